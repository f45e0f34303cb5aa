"""A rebuild after a small change: only what changed is rendered and checked again (publish/pagecache.py,
publish/verdicts.py), and the site is the very site a clean build makes."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import time
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import yaml
from conftest import gongkai, make_repo
from gongkai.publish import pagecache, renderedpages, sitefiles
from gongkai.publish.generator import REPLACED, TIMES
from gongkai.publish.verdicts import VERDICTS
from gongkai.publish.verify import verify_site

NEW_ROW = '440101,"新增的一行",7,0.50,2020-02-01\n'


def _files(site: Path) -> dict[str, str]:
    return {
        p.relative_to(site).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(site.rglob("*"))
        if p.is_file()
    }


def _entries(repo: Path) -> set[str]:
    return {p.name for p in (repo / pagecache.FOLDER).glob(f"*/*{pagecache.SUFFIX}")}


def _build(repo: Path) -> None:
    result = gongkai("build", cwd=repo)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    """A small repository built once, as a maintainer's checkout is after `gongkai build`."""
    repo = make_repo(tmp_path_factory.mktemp("rebuild"), ["tiny"], ["fiscal-transparency"])
    _build(repo)
    return repo


@pytest.fixture
def repo(built, tmp_path) -> Path:
    copy = tmp_path / "repo"
    shutil.copytree(built, copy, symlinks=True)
    return copy


def _rendered(repo: Path) -> dict[str, int]:
    """Each kept entry (renderedpages.py) and when it was written."""
    folder = repo / renderedpages.FOLDER
    return {p.relative_to(folder).as_posix(): p.stat().st_mtime_ns for p in folder.rglob("*.json")}


def _clean_copy(repo: Path, folder: Path) -> Path:
    """The same repository without build/ and site/: what a fresh clone builds."""
    shutil.copytree(repo, folder, ignore=shutil.ignore_patterns("build", "site"))
    return folder


def test_a_one_csv_change_renders_only_its_pages_and_builds_the_same_site_as_a_clean_build(repo, tmp_path):
    before = _entries(repo)
    assert len(before) > 40  # every page of both interfaces was kept
    kept = _rendered(repo)
    assert set(kept) == {
        "tiny.json",
        "fiscal-transparency.json",
        *(f"search/{name}.{lang}.json" for name in ("tiny", "fiscal-transparency") for lang in ("zh", "en")),
    }
    _build(repo)  # the copy's listing pages are keyed on its own settings (its root)
    listings = renderedpages.listings(repo)  # the catalog, topic, publisher, home and quality pages
    assert len(listings) > 10 and _rendered(repo) == kept
    with (repo / "datasets/tiny/data/items.csv").open("a", encoding="utf-8") as f:
        f.write(NEW_ROW)
    _build(repo)
    relisted = renderedpages.listings(repo)
    assert len(relisted) == len(listings)
    assert 0 < len(relisted.keys() - listings.keys()) < len(listings)  # the pages that show tiny, not the others
    now = _rendered(repo)
    for entry in (
        "fiscal-transparency.json",
        "search/fiscal-transparency.zh.json",
        "search/fiscal-transparency.en.json",
    ):
        assert now[entry] == kept[entry]  # its pages were not rendered again, its search terms not found again
    for entry in ("tiny.json", "search/tiny.zh.json", "search/tiny.en.json"):
        assert now[entry] != kept[entry]
    after = _entries(repo)
    rendered = after - before
    assert 2 <= len(rendered) < len(before) / 3  # the dataset's pages and the lists, not the guides
    assert len(after) == len(before)  # the replaced pages' entries are gone
    assert not pagecache.staging(repo / pagecache.FOLDER).exists()
    assert "新增的一行" in (repo / "site/datasets/tiny/index.html").read_text(encoding="utf-8")

    clean = _clean_copy(repo, tmp_path / "clean")
    _build(clean)
    assert _files(repo / "site") == _files(clean / "site")  # every file, byte for byte


@pytest.mark.parametrize(
    "change",
    ["overrides/main.html", "mkdocs.yml", "gongkai.yml"],
)
def test_a_change_to_the_theme_or_the_settings_renders_every_page_again(repo, change):
    before = _entries(repo)
    path = repo / change
    if change == "overrides/main.html":
        text = path.read_text(encoding="utf-8").replace(
            "{% block extrahead %}", "{% block extrahead %}<!-- 主题改了 -->"
        )
        path.write_text(text, encoding="utf-8")
    elif change == "mkdocs.yml":
        path.write_text(path.read_text(encoding="utf-8").replace("primary: red", "primary: indigo"), encoding="utf-8")
    else:
        settings = yaml.safe_load(path.read_text(encoding="utf-8"))
        old = settings["site"]["name"]
        path.write_text(path.read_text(encoding="utf-8").replace(old, old + "（测试）", 1), encoding="utf-8")
    _build(repo)
    assert _entries(repo).isdisjoint(before)  # no page came from the cache
    pages = list((repo / "site").rglob("*.html"))
    shown = {
        "overrides/main.html": "<!-- 主题改了 -->",
        "mkdocs.yml": 'data-md-color-primary="indigo"',
        "gongkai.yml": "（测试）",
    }[change]
    page = (repo / "site/datasets/fiscal-transparency/index.html").read_text(encoding="utf-8")
    assert shown in page
    assert len(pages) > 40


def test_a_removed_dataset_leaves_the_site_and_the_cache(repo, tmp_path):
    before = _entries(repo)
    shutil.rmtree(repo / "datasets/tiny")
    _build(repo)
    assert not (repo / "site/datasets/tiny").exists()
    assert not (repo / "site/en/datasets/tiny").exists()
    assert "datasets/tiny/" not in (repo / "site/datasets/index.html").read_text(encoding="utf-8")
    assert len(_entries(repo)) < len(before)
    clean = _clean_copy(repo, tmp_path / "clean")
    _build(clean)
    assert _files(repo / "site") == _files(clean / "site")


def test_a_page_that_failed_the_build_fails_it_again(repo):
    # Entries are kept only by a build that passed: a page whose link MkDocs refused is not a hit
    # that hides the warning next time.
    (repo / "docs/broken.md").write_text("# 坏链接\n\n[无处](nowhere.md)\n", encoding="utf-8")
    kept = _entries(repo)
    for _ in range(2):
        result = gongkai("build", cwd=repo)
        assert result.returncode == 1
        assert "nowhere.md" in result.stdout + result.stderr
        assert _entries(repo) == kept
        assert not pagecache.staging(repo / pagecache.FOLDER).exists()


def _mount(repo: Path) -> str:
    settings = yaml.safe_load((repo / "gongkai.yml").read_text(encoding="utf-8"))
    return urlsplit(settings["site"]["url"]).path


def test_kept_verdicts_do_not_let_a_download_or_a_page_changed_in_place_through(repo):
    _build(repo)  # in this copy of the repository the site's links and their stamps are its own (sitefiles.py)
    site, verdicts = repo / "site", repo / VERDICTS
    assert verdicts.is_file()
    known = sitefiles.known_digests(repo)  # downloads and pages are links to copies known by their stamps
    assert verify_site(site, _mount(repo), verdicts, known) == []
    download = site / "datasets/tiny/items.csv"
    page = site / "datasets/tiny/index.html"
    held = {p: os.stat(p) for p in (download, page)}
    data = bytearray(download.read_bytes())
    data[-2] = ord("9") if data[-2] != ord("9") else ord("8")  # one digit, the same size
    download.write_bytes(bytes(data))
    html = page.read_text(encoding="utf-8")
    page.write_text(html.replace("</article>", "<script>alert(1)</script></article>", 1), encoding="utf-8")
    for path, stat in held.items():
        os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))  # its mtime put back
    assert verify_site(site, _mount(repo), verdicts, known) == [
        # the version's file has the same bytes: both are links to one copy (sitefiles.py), changed with it
        "datasets/tiny/1.0.0/items.csv does not match its SHA-256 in SHA256SUMS",
        "datasets/tiny/items.csv does not match its SHA-256 in SHA256SUMS",
        "datasets/tiny/index.html: <script> in page content",
    ]


def test_a_download_changed_in_place_in_site_is_not_carried_into_the_next_build(repo, tmp_path):
    _build(repo)
    download = repo / "site/datasets/tiny/items.csv"  # a link to the one copy the next site links too
    held = download.stat()
    data = bytearray(download.read_bytes())
    data[-2] = ord("9") if data[-2] != ord("9") else ord("8")
    os.chmod(download, 0o644)  # root or the owner can; the copy's 0444 only stops an accidental write
    download.write_bytes(bytes(data))
    os.chmod(download, held.st_mode)
    os.utime(download, ns=(held.st_atime_ns, held.st_mtime_ns))
    _build(repo)  # the copy's stamp changed: it is hashed, found wrong and made again from the export
    clean = _clean_copy(repo, tmp_path / "clean")
    _build(clean)
    assert _files(repo / "site") == _files(clean / "site")
    assert download.read_bytes() != bytes(data)


def test_a_page_changed_in_place_in_site_is_not_carried_into_the_next_build(repo, tmp_path):
    _build(repo)
    page = repo / "site/datasets/tiny/index.html"  # a link to the page's copy, which the next build would link
    held = page.stat()
    assert held.st_nlink >= 2 and not held.st_mode & 0o222
    html = page.read_text(encoding="utf-8").replace("</article>", "<script>alert(1)</script></article>", 1)
    os.chmod(page, 0o644)
    page.write_text(html, encoding="utf-8")  # into the copy, as root could
    os.chmod(page, held.st_mode)
    os.utime(page, ns=(held.st_atime_ns, held.st_mtime_ns))
    _build(repo)  # the copy's stamp changed: hashed, found wrong, the page rendered and written again
    assert "<script>alert(1)" not in page.read_text(encoding="utf-8")
    clean = _clean_copy(repo, tmp_path / "clean")
    _build(clean)
    assert _files(repo / "site") == _files(clean / "site")


def test_a_generated_page_changed_in_build_docs_is_written_again(repo):
    _build(repo)  # in this copy the pages' stamps in build/docs are its own (renderedpages.Written)
    page = repo / "build/docs/datasets/fiscal-transparency/index.md"
    held = page.stat()
    text = page.read_text(encoding="utf-8")
    page.write_text(text.replace("透明", "不透明", 1), encoding="utf-8")
    os.utime(page, ns=(held.st_atime_ns, held.st_mtime_ns))  # its mtime put back; its ctime cannot be
    _build(repo)
    assert page.read_text(encoding="utf-8") == text
    assert "不透明" not in (repo / "site/datasets/fiscal-transparency/index.html").read_text(encoding="utf-8")


@pytest.mark.parametrize("kept", ["fiscal-transparency.json", "search/fiscal-transparency.zh.json"])
def test_a_damaged_rendered_entry_is_rendered_again(repo, tmp_path, kept):
    entry = repo / renderedpages.FOLDER / kept
    entry.write_bytes(entry.read_bytes().replace("透明".encode(), "不透明".encode()))  # its seal no longer matches
    _build(repo)
    assert "不透明" not in (repo / "site/datasets/fiscal-transparency/index.html").read_text(encoding="utf-8")
    assert not any("不透明" in p.read_text(encoding="utf-8") for p in (repo / "site/search").rglob("*.json"))
    clean = _clean_copy(repo, tmp_path / "clean")
    _build(clean)
    assert _files(repo / "site") == _files(clean / "site")


def test_a_build_says_where_its_time_went(repo):
    started = time.perf_counter()
    result = gongkai("build", cwd=repo)
    wall = time.perf_counter() - started
    assert result.returncode == 0, result.stderr
    said = [line for line in result.stdout.splitlines() if line.startswith("gongkai: time by step:")]
    assert len(said) == 1 and "mkdocs" in said[0] and "site check" in said[0]
    steps = json.loads((repo / TIMES).read_text(encoding="utf-8"))
    assert set(steps) == {"pipeline", "generator", "check", "swap"}
    assert all(seconds >= 0 for seconds in steps.values()) and sum(steps.values()) <= wall
    assert steps["generator"] > 0.1  # MkDocs ran: no step is left at zero by mistake


def test_a_page_entry_gives_back_what_other_pages_ask_of_it_and_one_cut_short_is_a_miss(tmp_path):
    folder, key = tmp_path / "pages", "ab" + "0" * 62
    entry = pagecache.Entry("cd" * 32, '标题\n"', ["top", "第一节"], {"a.md": {"top": "a.md#top"}})
    store = pagecache.Store(folder)
    assert store.get(key) is None  # a miss, as the hook asks first; the page is rendered and put
    store.put(key, entry)
    store.close()
    pagecache.commit(folder)
    assert pagecache.Store(folder).get(key) == entry  # quotes and a newline in the title as they were
    path = folder / key[:2] / f"{key}{pagecache.SUFFIX}"
    path.write_bytes(path.read_bytes()[:-4])  # a disk that kept only part of it: the page is rendered again
    assert pagecache.Store(folder).get(key) is None


def test_copies_of_the_site_files_committed_to_git_are_refused(repo):
    before = _files(repo / "site")
    copy = next(p for p in (repo / sitefiles.FOLDER).glob("*/*") if p.is_file())
    os.chmod(copy, 0o644)
    copy.write_bytes(b"<script>alert(1)</script>")  # bytes its name does not say, brought by a pull request
    git = ["git", "-c", "user.email=t@example.org", "-c", "user.name=t"]
    subprocess.run([*git, "init", "-q"], cwd=repo, check=True)
    subprocess.run([*git, "add", "-f", str(sitefiles.FOLDER)], cwd=repo, check=True)
    subprocess.run([*git, "commit", "-q", "-m", "a pull request"], cwd=repo, check=True)
    result = gongkai("build", cwd=repo)
    assert result.returncode == 1
    assert f"{sitefiles.FOLDER} is tracked by git" in result.stderr
    assert _files(repo / "site") == before  # nothing published


def test_the_replaced_site_is_set_aside_whole_and_removed_by_the_next_build(repo):
    """The site a build replaces is not removed in the maintainer's wait: it is moved to
    build/site-replaced/, and the next build removes it beside its pipeline."""
    aside = repo / REPLACED
    before = _files(repo / "site")
    _build(repo)
    assert _files(aside) == before  # the replaced site, whole, out of the published folder
    first = aside.stat().st_ino
    _build(repo)
    assert aside.is_dir() and aside.stat().st_ino != first  # that one removed, the one just replaced in its place
    assert sorted(p.name for p in repo.glob("site*")) == ["site"]


def test_removing_the_replaced_site_keeps_every_unchanged_copy_trusted(repo, monkeypatch):
    """The replaced site links the same read-only copies as the new one; removing it changes each
    copy's ctime. The removal records them again, so the rebuild after it hashes none of them."""
    _build(repo)
    _build(repo)  # the site of the build before, which links the copies, is set aside in build/site-replaced
    hashed: list[Path] = []
    real = sitefiles.file_digest

    def counted(path):
        hashed.append(path)
        return real(path)

    monkeypatch.setattr(sitefiles, "file_digest", counted)
    _build(repo)  # removes it, then places the same copies into the new site
    assert (repo / "site/datasets/tiny/items.csv").is_file()
    assert hashed == []


def test_kept_verdicts_still_report_every_link_that_leads_nowhere_now(tmp_path):
    from gongkai.publish.verdicts import check_pages

    site, store = tmp_path / "site", tmp_path / "verdicts.json"
    for rel in ("a/index.html", "b/index.html", "c/index.html"):
        (site / rel).parent.mkdir(parents=True, exist_ok=True)
        (site / rel).write_text(rel, encoding="utf-8")
    judged: list[str] = []

    def judge(pages, site, mount):
        judged.extend(pages)
        nav = [["../c/", "c/"], ["https://x.example/", None]]  # on every page, as a navigation is
        return [{"problems": [], "links": [*nav, ["../a/#top", "a/"]]} for _ in pages]

    pages = ["a/index.html", "b/index.html"]
    first = check_pages(site, pages, "/", judge, store)
    assert judged == pages and first == [
        "a/index.html: link https://x.example/ leaves the site",
        "b/index.html: link https://x.example/ leaves the site",
    ]
    (site / "c/index.html").unlink()
    assert check_pages(site, pages, "/", judge, store) == [
        "a/index.html: link ../c/ points at nothing",
        "a/index.html: link https://x.example/ leaves the site",
        "b/index.html: link ../c/ points at nothing",
        "b/index.html: link https://x.example/ leaves the site",
    ]
    assert judged == pages  # from the kept verdicts: each distinct link stored once
    held = json.loads(store.read_text(encoding="utf-8"))
    assert len(held["links"]) == 3
    held["links"][0] = ["../c/", 7]  # damaged: every page is judged again
    store.write_text(json.dumps(held), encoding="utf-8")
    check_pages(site, pages, "/", judge, store)
    assert judged == pages + pages
