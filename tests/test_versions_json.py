"""Versions for machines: versions.json beside each dataset page, versions in catalog.json and the
Atom feeds of versions (per dataset, topic and publisher), read from a built site whose git
history holds three versions of the tiny dataset."""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
import xml.etree.ElementTree as ET

import feedparser
import jsonschema
import pytest
from conftest import ROOT, generate, gongkai, make_repo, release
from gongkai.core import sitepaths
from selectolax.lexbor import LexborHTMLParser as HTMLParser

GIT = ["git", "-c", "user.name=测试", "-c", "user.email=test@example.org", "-c", "commit.gpgsign=false"]
ATOM = "{http://www.w3.org/2005/Atom}"
SITE_URL = "https://gongkai-data.github.io/gongkai/"
TINY = "datasets/tiny"


def _git(repo, *args: str) -> str:
    return subprocess.run([*GIT, *args], cwd=repo, check=True, capture_output=True, text=True).stdout


def _commit(repo, message: str, date: str) -> None:
    (repo / ".gitignore").write_text("build/\nsite/\nsite.new/\n", encoding="utf-8")
    _git(repo, "add", "-A")
    stamp = f"{date}T12:00:00+08:00"
    env = {**__import__("os").environ, "GIT_AUTHOR_DATE": stamp, "GIT_COMMITTER_DATE": stamp}
    subprocess.run([*GIT, "commit", "-q", "-m", message], cwd=repo, check=True, env=env)


def _release(repo, version: str, date: str, note: str) -> None:
    """A new version of tiny: its version and date in the descriptor, an entry in CHANGELOG.md, committed."""
    release(repo / TINY, version, date, note)
    _commit(repo, f"tiny {version}", date)


@pytest.fixture(scope="module")
def history(tmp_path_factory):
    """tiny 1.0.0; 1.1.0 (a value corrected, a row added); 1.1.1 (README only): built and locked."""
    repo = make_repo(tmp_path_factory.mktemp("versions"), ["tiny"], ["fiscal-transparency"])
    _git(repo, "init", "-q")
    _commit(repo, "tiny 1.0.0", "2026-01-02")
    csv = repo / TINY / "data/items.csv"
    text = csv.read_text(encoding="utf-8").replace("999999,NA", "999999,改过")
    csv.write_text(text + "555555,新的一行,1,2.5,2020-02-02\n", encoding="utf-8")
    _release(repo, "1.1.0", "2026-02-01", "改正一个值，新增一行。")
    readme = repo / TINY / "README.md"
    readme.write_text(readme.read_text(encoding="utf-8") + "\n补充一句说明。\n", encoding="utf-8")
    _release(repo, "1.1.1", "2026-03-01", "只改说明 <b>&amp;</b>。")
    assert gongkai("lock", cwd=repo).returncode == 0
    built = gongkai("build", cwd=repo)
    assert built.returncode == 0, built.stdout + built.stderr
    return repo


def _json(path):
    return json.loads(path.read_text(encoding="utf-8"))


def _validator(site, schema_file: str):
    schema = _json(site / schema_file)
    return jsonschema.Draft202012Validator(schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER)


def _local(site, url: str):
    assert url.startswith(SITE_URL), url
    path = site / url[len(SITE_URL) :]
    return path / "index.html" if url.endswith("/") else path


def _page_versions(site, lang: str = "zh") -> list[list[str]]:
    """The version table of tiny's page as a reader sees it: the text of each row's cells."""
    page = HTMLParser((site / ("en/" if lang == "en" else "") / TINY / "index.html").read_text(encoding="utf-8"))
    rows = page.css("#gk-versions tbody tr") or page.css("#gk-versions tr")[1:]
    return [[td.text(strip=True) for td in tr.css("td")] for tr in rows]


def test_versions_json_lists_every_version_newest_first_with_the_bytes_and_sha256_published(history):
    site = history / "site"
    index = _json(site / sitepaths.versions_index("tiny"))
    _validator(site, sitepaths.VERSIONS_SCHEMA).validate(index)
    assert [v["version"] for v in index["versions"]] == ["1.1.1", "1.1.0", "1.0.0"] and index["count"] == 3
    assert [v["current"] for v in index["versions"]] == [True, False, False] and index["current"] == "1.1.1"
    assert [v["date"] for v in index["versions"]] == ["2026-03-01", "2026-02-01", "2026-01-02"]
    sums = {
        path: sha
        for sha, path in (
            line.split("  ", 1) for line in (site / "SHA256SUMS").read_text(encoding="utf-8").splitlines()
        )
    }
    for v in index["versions"]:
        folder = site / sitepaths.version_folder("tiny", v["version"])
        assert v["url"] == SITE_URL + sitepaths.version_folder("tiny", v["version"])
        published = sorted(p.relative_to(site).as_posix() for p in folder.iterdir())
        assert [f["path"] for f in v["files"]] == published  # every file the folder holds, none it does not
        for f in v["files"]:
            data = (site / f["path"]).read_bytes()
            assert (
                (f["bytes"], f["sha256"])
                == (len(data), hashlib.sha256(data).hexdigest())
                == (len(data), sums[f["path"]])
            )
            assert _local(site, f["url"]) == site / f["path"]
        assert _local(site, v["datapackage"]).is_file()
    old = index["versions"][-1]["files"]
    csv = next(f for f in old if f["path"].endswith("/items.csv"))
    assert (site / csv["path"]).read_bytes() == _git_show(history, "HEAD~2", "datasets/tiny/data/items.csv")


def _git_show(repo, commit: str, path: str) -> bytes:
    return subprocess.run(["git", "show", f"{commit}:{path}"], cwd=repo, check=True, capture_output=True).stdout


def test_each_versions_change_is_the_one_the_page_shows_and_also_given_as_counts(history):
    site = history / "site"
    versions = _json(site / sitepaths.versions_index("tiny"))["versions"]
    shown = _page_versions(site)
    assert [row[0] for row in shown] == ["1.1.1（当前）", "1.1.0", "1.0.0"]
    assert [v["summary"] for v in versions] == [row[3] for row in shown]
    assert [v["summary_en"] for v in versions] == [row[3] for row in _page_versions(site, "en")]  # the English page
    first_entry = (history / TINY / "CHANGELOG.md").read_text(encoding="utf-8").rsplit("\n\n", 1)[-1].strip()
    assert [v["note"] for v in versions] == ["只改说明 <b>&amp;</b>。", "改正一个值，新增一行。", first_entry]
    newest, middle, first = (v["changes"] for v in versions)
    assert first == {"first": True} and versions[-1]["summary_en"] == "first publication"
    table = middle["tables"][0]
    assert (table["resource"], table["key"], table["rows_added"], table["rows_removed"], table["rows_changed"]) == (
        "items",
        ["code"],
        1,
        0,
        1,
    )
    assert middle["bump"] == "minor" and "1 row(s) added to items" in versions[1]["summary_en"]
    assert newest["bump"] == "patch" and newest["metadata_edited"] == ["README.md"]
    assert all(t["rows_added"] == t["rows_removed"] == t["rows_changed"] == 0 for t in newest["tables"])


def test_catalog_json_gives_each_dataset_its_versions_the_index_and_the_feeds(history):
    site = history / "site"
    catalog = _json(site / sitepaths.CATALOG_JSON)
    _validator(site, sitepaths.CATALOG_SCHEMA).validate(catalog)
    tiny = next(d for d in catalog["datasets"] if d["name"] == "tiny")
    index = _json(_local(site, tiny["versions_url"]))
    assert tiny["versions"] == [{k: v[k] for k in ("version", "date", "url")} for v in index["versions"]]
    assert tiny["versions"][0]["version"] == tiny["version"]
    assert tiny["feeds"] == index["feeds"] and all(_local(site, url).is_file() for url in tiny["feeds"].values())
    feeds = catalog["feeds"]
    assert _local(site, feeds["all"]) == site / sitepaths.FEED
    for group in ("topics", "publishers"):
        assert feeds[group] and all(
            _local(site, u).is_file() for by_lang in feeds[group].values() for u in by_lang.values()
        )


def _entries(path) -> list[ET.Element]:
    return ET.parse(path).getroot().findall(f"{ATOM}entry")


def _check_atom(site, rel: str) -> ET.Element:
    """A feed as a feed reader takes it (feedparser: well-formed Atom 1.0) and the RFC 4287 rules
    that can be checked: the feed's and every entry's id, title, updated, author and alternate link."""
    path = site / rel
    parsed = feedparser.parse(path.read_bytes())
    assert not parsed.bozo, parsed.get("bozo_exception")
    assert parsed.version == "atom10"
    assert parsed.feed.updated_parsed and all(e.updated_parsed for e in parsed.entries)  # RFC 3339 dates
    assert len({e.id for e in parsed.entries}) == len(parsed.entries)  # no id twice in a feed
    feed = ET.parse(path).getroot()
    assert feed.tag == f"{ATOM}feed"
    for element in [feed, *feed.findall(f"{ATOM}entry")]:
        for child in ("id", "title", "updated"):
            assert len(element.findall(f"{ATOM}{child}")) == 1 and element.findtext(f"{ATOM}{child}").strip(), child
        alternate = [link for link in element.findall(f"{ATOM}link") if link.get("rel") == "alternate"]
        assert len(alternate) == 1 and alternate[0].get("href").startswith(SITE_URL)
        assert element.findtext(f"{ATOM}author/{ATOM}name") or feed.findtext(f"{ATOM}author/{ATOM}name")
    assert feed.find(f"{ATOM}link[@rel='self']").get("href") == SITE_URL + rel
    return feed


def test_each_dataset_topic_and_publisher_has_a_valid_atom_feed_with_one_entry_per_version(history):
    site = history / "site"
    index = _json(site / sitepaths.versions_index("tiny"))
    for lang in ("zh", "en"):
        feed = _check_atom(site, sitepaths.feed_of(sitepaths.dataset_page("tiny"), lang))
        entries = feed.findall(f"{ATOM}entry")
        assert len(entries) == index["count"] == 3
        assert [e.findtext(f"{ATOM}updated")[:10] for e in entries] == [v["date"] for v in index["versions"]]
        summaries = [e.findtext(f"{ATOM}summary") for e in entries]
        assert summaries == [v["summary" if lang == "zh" else "summary_en"] for v in index["versions"]]
        assert feed.findtext(f"{ATOM}updated") == entries[0].findtext(f"{ATOM}updated")
        assert feed.get("{http://www.w3.org/XML/1998/namespace}lang") == ("zh-CN" if lang == "zh" else "en")
        assert entries[0].findtext(f"{ATOM}content") == "只改说明 <b>&amp;</b>。"  # escaped once, read back as written
        for e in entries:
            page = next(link.get("href") for link in e.findall(f"{ATOM}link") if link.get("rel") == "alternate")
            assert _local(site, page).is_file()
    catalog = _json(site / sitepaths.CATALOG_JSON)
    for group, page in (("topics", sitepaths.topic_page), ("publishers", sitepaths.publisher_page)):
        for slug in catalog["feeds"][group]:
            for lang in ("zh", "en"):
                feed = _check_atom(site, sitepaths.feed_of(page(slug), lang))
                names = {
                    link.get("href").rstrip("/").rsplit("/", 1)[-1]
                    for link in feed.iter(f"{ATOM}link")
                    if link.get("rel") == "alternate"
                }
                members = {d["name"] for d in catalog["datasets"] if slug in _slugs(history, d, group)}
                assert members and members <= names
                expected = sum(len(_json(site / sitepaths.versions_index(n))["versions"]) for n in members)
                assert len(feed.findall(f"{ATOM}entry")) == min(expected, 50)


def _slugs(repo, dataset: dict, group: str) -> set[str]:
    from gongkai.core.config import load_settings

    settings = load_settings(repo)
    if group == "topics":
        return {settings.topic(t).slug for t in dataset.get("topics", [])}
    return {settings.publisher(dataset["publisher"]["name"]).slug}


def test_feed_entry_ids_stay_the_same_between_builds_and_when_a_version_is_added(history, tmp_path):
    site = history / "site"
    feed = sitepaths.feed_of(sitepaths.dataset_page("tiny"))
    before = {e.findtext(f"{ATOM}title"): e.findtext(f"{ATOM}id") for e in _entries(site / feed)}
    english = [
        e.findtext(f"{ATOM}id") for e in _entries(site / sitepaths.feed_of(sitepaths.dataset_page("tiny"), "en"))
    ]
    assert english == list(before.values()) and len(set(english)) == 3  # one id per version, in both interfaces
    repo = tmp_path / "repo"
    shutil.copytree(history, repo, symlinks=True)
    docs = generate(repo)
    assert (docs / feed).read_bytes() == (site / feed).read_bytes()  # the same commit: the same feed
    readme = repo / TINY / "README.md"
    readme.write_text(readme.read_text(encoding="utf-8") + "\n又一版。\n", encoding="utf-8")
    _release(repo, "1.1.2", "2026-04-01", "再改说明。")
    docs = generate(repo)
    after = {e.findtext(f"{ATOM}title"): e.findtext(f"{ATOM}id") for e in _entries(docs / feed)}
    assert len(after) == 4 and {t: i for t, i in after.items() if t in before} == before


def test_dataset_topic_and_publisher_pages_link_their_feed_in_the_head_and_in_the_text(history):
    site = history / "site"
    catalog = _json(site / sitepaths.CATALOG_JSON)
    pages = [sitepaths.dataset_page("tiny")]
    pages += [sitepaths.topic_page(slug) for slug in catalog["feeds"]["topics"]]
    pages += [sitepaths.publisher_page(slug) for slug in catalog["feeds"]["publishers"]]
    for page in pages:
        for lang in ("zh", "en"):
            folder = site / ("en/" if lang == "en" else "") / page
            html = HTMLParser((folder / "index.html").read_text(encoding="utf-8"))
            head = html.css("head link[rel~=alternate][type='application/atom+xml']")  # rel: a set of tokens
            assert len(head) == 1, (page, lang)
            assert (folder / head[0].attributes["href"]).resolve() == (site / sitepaths.feed_of(page, lang)).resolve()
            visible = html.css_first("article a[type='application/atom+xml']")
            assert visible.text(strip=True) == ("订阅" if lang == "zh" else "Subscribe")
            assert (folder / visible.attributes["href"]).resolve() == (site / sitepaths.feed_of(page, lang)).resolve()
    page = HTMLParser((site / "en" / TINY / "index.html").read_text(encoding="utf-8"))
    link = page.css_first("article a[type='application/json']").attributes["href"]
    assert (site / "en" / TINY / link).resolve() == (site / sitepaths.versions_index("tiny")).resolve()


def test_the_new_paths_enter_the_url_contract(history):
    paths = set(_json(history / "site" / sitepaths.URLS_JSON)["paths"])
    expected = {"/" + sitepaths.versions_index("tiny"), "/" + sitepaths.VERSIONS_SCHEMA}
    expected |= {"/" + sitepaths.feed_of(sitepaths.dataset_page("tiny"), lang) for lang in ("zh", "en")}
    assert expected <= paths
    locked = {line.split()[0] for line in (history / "urls.lock").read_text(encoding="utf-8").splitlines()[1:]}
    assert paths <= locked
    real = {line.split()[0] for line in (ROOT / "urls.lock").read_text(encoding="utf-8").splitlines()[1:]}
    assert {"/" + sitepaths.versions_index(p.name) for p in (ROOT / "datasets").iterdir() if p.is_dir()} <= real
