"""End to end: the whole site, its URL contract, its failure modes, its search index."""

from __future__ import annotations

import csv
import hashlib
import html
import io
import json
import os
import re
import shutil
import subprocess
import sys
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import yaml
from conftest import ROOT, gongkai
from gongkai.core import sitepaths
from gongkai.publish.verify import verify_site

SITE_URL = yaml.safe_load((ROOT / "gongkai.yml").read_text(encoding="utf-8"))["site"]["url"]


def tree_digest(path: Path) -> dict[str, str]:
    return {
        p.relative_to(path).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(path.rglob("*"))
        if p.is_file()
    }


def test_every_contract_url_exists(built_site):
    site = built_site / "site"
    settings = yaml.safe_load((built_site / "gongkai.yml").read_text(encoding="utf-8"))
    expected = [
        "index.html",
        "datasets/index.html",
        "topics/index.html",
        "publishers/index.html",
        "about/index.html",
        "SHA256SUMS",
    ]
    for ds in sorted((built_site / "datasets").iterdir()):
        pkg = json.loads((ds / "datapackage.json").read_text(encoding="utf-8"))
        base = sitepaths.dataset_page(ds.name)
        expected += [base + "index.html", base + sitepaths.DATAPACKAGE, base + sitepaths.zip_file(ds.name)]
        for res in pkg["resources"]:
            expected += [base + sitepaths.resource_file(res["name"], kind) for kind in ("csv", "xlsx", "json")]
        slugs = {t["name"]: t["slug"] for t in settings["topics"]}
        expected += [sitepaths.topic_page(slugs[t]) + "index.html" for t in pkg["topics"]]
        pubs = {p["name"]: p["slug"] for p in settings["publishers"]}
        expected.append(sitepaths.publisher_page(pubs[pkg["publisher"]["name"]]) + "index.html")
    missing = [p for p in expected if not (site / p).is_file()]
    assert missing == []


def test_dataset_page_shows_what_a_reader_needs(built_site):
    html = (built_site / "site/datasets/fiscal-transparency/index.html").read_text(encoding="utf-8")
    for text in [
        "广州市财政透明度情况",
        "数据字典",
        "下载 Excel 表格",
        "原文表述",
        "连续四年位列第二",
        "SHA-256",
        "CC BY 4.0",
        "引用",
    ]:
        assert text in html, text
    assert f"{SITE_URL}datasets/fiscal-transparency/figures.csv" in html  # absolute URL in snippets
    assert "2019-05-16" in html and "电子政务智库" in html  # the source, cited


def test_a_dataset_page_comes_in_the_order_a_reader_needs_it(built_site):
    # the period and publisher, then the downloads, the data, the dictionary; files with their
    # SHA-256, versions and code examples last, collapsed
    html = (built_site / "site/datasets/administrative-divisions/index.html").read_text(encoding="utf-8")
    order = [
        "数据时点",
        "国家统计局",
        'href="streets.xlsx"',
        'href="streets.csv"',
        '>数据<a class="headerlink"',
        "沙面街道",
        '>数据字典<a class="headerlink"',
        "<summary>全部文件和 SHA-256 校验值</summary>",
        "<summary>版本</summary>",
        "<summary>使用示例</summary>",
    ]
    places = [html.find(text) for text in order]
    assert -1 not in places, [t for t, i in zip(order, places, strict=True) if i == -1]
    assert places == sorted(places), [t for t, _ in sorted(zip(order, places, strict=True), key=lambda x: x[1])]
    assert "^[0-9]{9}$" not in html.split('>数据字典<a class="headerlink"')[1].split("<summary>")[0]  # words
    assert "9 位数字" in html


class _Refs(HTMLParser):
    def __init__(self):
        super().__init__()
        self.refs: list[tuple[str, str, str]] = []

    def handle_starttag(self, tag, attrs):
        for key, value in attrs:
            if key in ("href", "src") and value:
                self.refs.append((tag, key, value))


def _refs(page: Path):
    parser = _Refs()
    parser.feed(page.read_text(encoding="utf-8"))
    return parser.refs


def test_no_page_loads_anything_from_outside_the_site(built_site):
    for page in (built_site / "site").rglob("*.html"):
        for tag, key, value in _refs(page):
            loads = tag in ("script", "img", "iframe", "source") or (tag == "link" and key == "href")
            if loads and urlsplit(value).scheme:
                assert value.startswith(SITE_URL), f"{page}: <{tag} {key}={value}>"
    css = "".join(p.read_text(encoding="utf-8") for p in (built_site / "site").rglob("*.css"))
    assert "fonts.googleapis" not in css and "fonts.gstatic" not in css


def test_the_built_site_passes_its_own_checks_under_the_sub_path(built_site):
    # checksums, every internal link resolved as a browser would under /<repo>/, no script in content
    assert verify_site(built_site / "site", urlsplit(SITE_URL).path) == []


def test_verification_catches_a_changed_download_and_a_broken_link(built_site, tmp_path):
    site = tmp_path / "site"
    shutil.copytree(built_site / "site", site)
    csv = site / "datasets/key-area-disclosure/figures.csv"
    csv.write_bytes(csv.read_bytes() + b"x")
    page = site / "about/index.html"
    page.write_text(
        page.read_text(encoding="utf-8").replace("</article>", '<a href="../nowhere/">x</a></article>'),
        encoding="utf-8",
    )
    assert verify_site(site, urlsplit(SITE_URL).path) == [
        "datasets/key-area-disclosure/figures.csv does not match its SHA-256 in SHA256SUMS",
        "about/index.html: link ../nowhere/ points at nothing",
    ]


def test_verification_catches_markup_that_did_not_render(built_site, tmp_path):
    site = tmp_path / "site"
    shutil.copytree(built_site / "site", site)
    page = site / "en/datasets/key-area-disclosure/index.html"
    stray = "<p>[all datasets](../../quality/index.md) `1.0.0` {{ d.title }}</p>\n<div>\n## 说明\n</div>"
    page.write_text(page.read_text(encoding="utf-8").replace("</article>", stray + "</article>"), encoding="utf-8")
    rel = "en/datasets/key-area-disclosure/index.html"
    assert verify_site(site, urlsplit(SITE_URL).path) == [
        f"{rel}: Markdown link syntax in the page text: '[all datasets](../../quality/index.md)'",
        f"{rel}: Markdown code in backticks in the page text: '`1.0.0`'",
        f"{rel}: template markup in the page text: '{{{{'",
        f"{rel}: template markup in the page text: '}}}}'",
        f"{rel}: a Markdown heading that did not render in the page text: '## 说明'",
    ]


def test_a_broken_link_in_a_dataset_readme_fails_the_build_and_leaves_site_untouched(tiny_copy):
    repo = tiny_copy  # built once
    before = tree_digest(repo / "site")
    readme = repo / "datasets/tiny/README.md"
    readme.write_text(
        readme.read_text(encoding="utf-8") + "\n见[另一个数据集](../no-such-dataset/)。\n", encoding="utf-8"
    )
    result = gongkai("build", cwd=repo)
    assert result.returncode == 1
    assert "datasets/tiny/index.html: link ../no-such-dataset/ points at nothing" in result.stderr
    assert tree_digest(repo / "site") == before


def test_the_site_has_its_own_search_index_and_not_the_themes(built_site):
    site = built_site / "site"
    assert not (site / "search/search_index.json").exists()  # Material's search plugin is not used
    for lang in ("zh", "en"):
        meta = json.loads((site / sitepaths.search_meta(lang)).read_text(encoding="utf-8"))
        assert meta["datasets"] == 10 and meta["shards"] >= 1
    page = (built_site / "build/docs" / sitepaths.dataset_page_md("fiscal-transparency")).read_text(encoding="utf-8")
    assert "gongkai_search:" not in page and "\ntags:" not in page  # the index is built from the model, not the page
    html = (site / sitepaths.dataset_page("fiscal-transparency") / "index.html").read_text(encoding="utf-8")
    assert 'class="md-search gk-search"' in html and "assets/search.js" in html


def test_two_builds_of_the_same_commit_give_the_same_site_in_another_folder_on_another_day(built_site, tmp_path):
    faketime = shutil.which("faketime")
    if faketime is None:
        if os.environ.get("GONGKAI_REQUIRE_BROWSER"):
            pytest.fail("faketime is missing (make test installs it with apt-get)")
        pytest.skip("faketime is missing")
    copy = tmp_path / "copy"
    shutil.copytree(built_site, copy, ignore=shutil.ignore_patterns("site", "build"))
    later = subprocess.run(
        [faketime, "2031-03-04 05:06:07", sys.executable, "-c", "import datetime; print(datetime.date.today())"],
        capture_output=True,
        text=True,
    )
    assert later.stdout.strip() == "2031-03-04"  # the clock really moved for the build below
    result = subprocess.run(
        [faketime, "2031-03-04 05:06:07", sys.executable, "-m", "gongkai.cli", "build"],
        cwd=copy,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert tree_digest(copy / "site") == tree_digest(built_site / "site")


def test_bad_data_stops_the_build_and_leaves_site_untouched(tiny_copy):
    repo = tiny_copy  # built once
    before = tree_digest(repo / "site")
    csv = repo / "datasets/tiny/data/items.csv"
    csv.write_text(csv.read_text(encoding="utf-8").replace("440100,=1+1,0,", "440100,=1+1,zero,"), encoding="utf-8")
    result = gongkai("build", cwd=repo)
    assert result.returncode == 1
    assert (
        result.stdout.splitlines()[0]
        == 'datasets/tiny/data/items.csv:3: amount (数量): "zero" is not a valid integer [type-error]'
    )
    assert "[formula-like]" in result.stdout.splitlines()[2]  # under the type error's fix
    assert "site/ was left as it was" in result.stderr
    assert tree_digest(repo / "site") == before


def test_a_failing_site_generator_leaves_site_untouched(tiny_copy):
    repo = tiny_copy  # built once
    before = tree_digest(repo / "site")
    (repo / "docs/about.md").write_text("# 关于\n\n[坏链接](nowhere.md)\n", encoding="utf-8")
    result = gongkai("build", cwd=repo)
    assert result.returncode == 1
    assert "nowhere.md" in result.stderr
    assert tree_digest(repo / "site") == before
    assert not (repo / "site.new").exists()


@pytest.mark.parametrize("generator", ["properdocs"])
def test_the_site_also_builds_with_properdocs(repo_factory, generator):
    repo = repo_factory(["tiny"])
    result = gongkai("build", "--generator", generator, cwd=repo)
    assert result.returncode == 0, result.stdout + result.stderr
    assert (repo / "site/datasets/tiny/index.html").is_file()
    built, published = repo / "build/docs/datasets/tiny/items.xlsx", repo / "site/datasets/tiny/items.xlsx"
    assert published.read_bytes() == built.read_bytes()
    # the downloads are copied into the site under either generator: no published file shares its
    # bytes with build/, where the cache's files live (test_faults.py)
    assert not os.path.samefile(built, published)


def _seed_pages(site: Path):
    """(folder, descriptor, built page) for every seed dataset."""
    for folder in sorted(p for p in (ROOT / "datasets").iterdir() if p.is_dir()):
        desc = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
        yield folder, desc, (site / "datasets" / folder.name / "index.html").read_text(encoding="utf-8")


def test_each_dataset_page_says_which_file_for_which_tool_and_links_a_prefilled_problem_report(built_site):
    from urllib.parse import parse_qs

    site = built_site / "site"
    for folder, desc, page in _seed_pages(site):
        for res in desc["resources"]:
            data = (folder / res["path"]).read_bytes()
            # the BOM variant is the CSV, byte for byte, behind the three bytes old Excel needs
            assert (site / "datasets" / folder.name / f"{res['name']}.bom.csv").read_bytes() == b"\xef\xbb\xbf" + data
            assert f'href="{res["name"]}.bom.csv"' in page
        for use in (
            "Excel、WPS 表格",
            "旧版 Excel（打开 CSV 时中文乱码）",
            "编程、数据库、统计软件（UTF-8）",
            "网页开发",
        ):
            assert f"<small>{use}</small>" in page, (folder.name, use)
        link = re.search(r'<p class="gk-report">.*?<a href="([^"]+)"', page).group(1).replace("&amp;", "&")
        parts = urlsplit(link)
        assert f"{parts.scheme}://{parts.netloc}{parts.path}" == "https://github.com/gongkai-data/gongkai/issues/new"
        query = parse_qs(parts.query)
        assert query["title"] == [f"[纠错] {desc['title']}（{folder.name} {desc['version']}）"]
        body = query["body"][0]
        assert f"版本：{desc['version']}" in body and SITE_URL + sitepaths.dataset_page(folder.name) in body


def _profile_rows(page: str, resource_title: str) -> dict[str, list[str]]:
    """field name -> the cells of its row in the column profile under the resource's heading."""
    section = (
        page.split("<summary>各列概况</summary>", 1)[1]
        .split(f"<h3>{html.escape(resource_title)}</h3>", 1)[1]
        .split("gk-profile-note", 1)[1]
        .split("</table>", 1)[0]
    )
    rows = re.findall(r"<tr><td><code>(.*?)</code></td>(.*?)</tr>", section, re.S)
    return {name: re.findall(r"<td>(.*?)</td>", cells, re.S) for name, cells in rows}


def _items(cell: str) -> list[str]:
    return [html.unescape(i) for i in re.findall(r"<li>(.*?)</li>", cell, re.S)]


def test_the_data_dictionary_shows_a_column_profile_computed_from_every_row(built_site):
    from decimal import Decimal

    for folder, desc, page in _seed_pages(built_site / "site"):
        for res in desc["resources"]:
            header, *rows = list(csv.reader(io.StringIO((folder / res["path"]).read_text(encoding="utf-8"))))
            shown = _profile_rows(page, res["title"])
            assert list(shown) == header, (folder.name, res["name"])
            for i, f in enumerate(res["schema"]["fields"]):
                values = [r[i] for r in rows if r[i] != ""]
                filled, distinct, low, high, frequent, examples = shown[f["name"]]
                assert filled == f"{len(values)} / {len(rows)}"
                assert distinct == str(len(set(values)))
                if f["type"] in ("integer", "number") and values:
                    assert (Decimal(low), Decimal(high)) == (min(map(Decimal, values)), max(map(Decimal, values)))
                elif f["type"] in ("date", "year") and values:
                    assert (low, high) == (min(values), max(values))
                else:
                    assert (low, high) == ("—", "—")
                counts = Counter(values)
                if values and len(counts) == len(values):
                    assert frequent == "各不相同"
                else:
                    top = [(v, n) for v, n in counts.most_common(3) if n > 1]
                    assert _items(frequent) == [f"{v}（{n}）" for v, n in top]
                assert _items(examples) == list(dict.fromkeys(values))[:3]


def test_english_pages_show_the_english_metadata_and_link_the_same_files(built_site):
    site = built_site / "site"
    settings = yaml.safe_load((ROOT / "gongkai.yml").read_text(encoding="utf-8"))
    home = (site / "en/index.html").read_text(encoding="utf-8")
    assert '<html lang="en"' in home and f">{settings['site']['name_en']}<" in home
    for folder, desc, _ in _seed_pages(site):
        page = (site / "en/datasets" / folder.name / "index.html").read_text(encoding="utf-8")
        assert f">{html.escape(desc['title_en'])}<" in page and html.escape(desc["description_en"]) in page
        links = re.findall(r'href="(\.\./\.\./\.\./datasets/[^"]+\.(?:csv|xlsx|json|zip))"', page)
        assert links, folder.name
        for link in links:  # resolved from /en/datasets/<name>/: the one published copy
            assert (site / "en/datasets" / folder.name / link).resolve().is_file(), link
        for res in desc["resources"]:
            assert html.escape(res["title_en"]) in page
