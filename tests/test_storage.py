"""Downloads on object storage (issue 20): with `downloads` set, the site names every download at its
content-addressed URL in the store, `gongkai publish` puts each file there with rclone and checks its
bytes, and without the setting the site links its own files as before. The store is rclone's own WebDAV
server on 127.0.0.1, in a temporary folder; the site is fetched from it as a reader would."""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest
from conftest import gongkai, make_repo, release

if shutil.which("rclone") is None:
    if os.environ.get("GONGKAI_REQUIRE_BROWSER"):
        raise RuntimeError("GONGKAI_REQUIRE_BROWSER is set but rclone is missing (apt-get install rclone)")
    pytest.skip("rclone is not installed; `make test` installs it when run as root", allow_module_level=True)

GIT = ["git", "-c", "user.name=测试", "-c", "user.email=test@example.org", "-c", "commit.gpgsign=false"]
REMOTE = "GKSTORE"  # configured by environment variables only: no rclone.conf is read or written


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    """rclone serving a temporary folder over WebDAV: (its base URL, the folder)."""
    folder = tmp_path_factory.mktemp("store")
    port = _free_port()
    server = subprocess.Popen(
        ["rclone", "serve", "webdav", str(folder), "--addr", f"127.0.0.1:{port}", "--dir-cache-time", "0s"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}/"
    for _ in range(100):
        try:
            urllib.request.urlopen(url, timeout=1)
            break
        except OSError:
            time.sleep(0.1)
    saved = dict(os.environ)
    os.environ.update({f"RCLONE_CONFIG_{REMOTE}_TYPE": "webdav", f"RCLONE_CONFIG_{REMOTE}_URL": url})
    try:
        yield url, folder
    finally:
        os.environ.clear()
        os.environ.update(saved)
        server.terminate()
        server.wait(timeout=10)


def _git(repo, *args: str) -> None:
    subprocess.run([*GIT, *args], cwd=repo, check=True, capture_output=True)


def _set_downloads(repo: Path, url: str, remote: str) -> None:
    settings = repo / "gongkai.yml"
    text = settings.read_text(encoding="utf-8")
    settings.write_text(text + f"\ndownloads:\n  url: {url}\n  remote: '{remote}'\n", encoding="utf-8")


@pytest.fixture(scope="module")
def published(store, tmp_path_factory):
    """tiny with two versions in git history (the second changes a value), administrative-divisions,
    downloads set to the store; built and published once."""
    url, _ = store
    repo = make_repo(tmp_path_factory.mktemp("site"), ["tiny"], ["administrative-divisions"])
    (repo / ".gitignore").write_text("build/\nsite/\nsite.new/\n", encoding="utf-8")
    _set_downloads(repo, url, f"{REMOTE}:")
    _git(repo, "init", "-q")
    _git(repo, "add", "-A")
    _git(repo, "commit", "-q", "-m", "1.0.0")
    csv = repo / "datasets/tiny/data/items.csv"
    csv.write_text(csv.read_text(encoding="utf-8").replace("999999,NA", "999999,改过"), encoding="utf-8")
    release(repo / "datasets/tiny", "1.1.0", "2026-01-05", "改了一个值。")
    _git(repo, "commit", "-q", "-am", "1.1.0")
    built = gongkai("build", cwd=repo)
    assert built.returncode == 0, built.stdout + built.stderr
    first = gongkai("--lang", "en", "publish", cwd=repo)
    assert first.returncode == 0, first.stdout + first.stderr
    return repo, first


def _named_urls(site: Path, base: str) -> set[str]:
    """Every store URL any file of the built site names (pages, catalogs, feeds, SHA256SUMS, _redirects)."""
    shape = re.compile(re.escape(base) + r"blobs/sha256/[0-9a-f]{2}/[0-9a-f]{64}/[^\"'\s<>&\\]+")
    found: set[str] = set()
    for path in site.rglob("*"):
        if path.is_file() and path.suffix in ("", ".html", ".json", ".jsonld", ".xml", ".txt"):
            found.update(shape.findall(path.read_text(encoding="utf-8", errors="replace")))
    return found


def _fetch(url: str) -> bytes:
    with urllib.request.urlopen(url, timeout=30) as answer:
        return answer.read()


def test_every_store_url_the_site_names_answers_with_the_bytes_its_hash_names(store, published):
    url, _ = store
    repo, first = published
    site = repo / "site"
    named = _named_urls(site, url)
    # every download of both datasets and every version's files: tiny 1.0.0 and 1.1.0 have different CSVs
    names = {u.rsplit("/", 1)[1] for u in named}
    assert {"items.csv", "items.bom.csv", "items.xlsx", "items.json", "items.parquet", "tiny.zip"} <= names
    assert {"tiny-1.0.0.zip", "tiny-1.1.0.zip", "streets.csv", "administrative-divisions.zip"} <= names
    assert len({u for u in named if u.endswith("/items.csv")}) == 2
    for each in sorted(named):
        data = _fetch(each)
        assert hashlib.sha256(data).hexdigest() == each.split("/")[-2], each
    # value for value: the store's CSV of today is the repository's file, byte for byte
    today = json.loads((site / "catalog.json").read_text(encoding="utf-8"))
    tiny = next(d for d in today["datasets"] if d["name"] == "tiny")
    csv = next(f for f in tiny["files"] if f["format"] == "csv")
    assert _fetch(csv["url"]) == (repo / "datasets/tiny/data/items.csv").read_bytes()
    assert all(f["url"].startswith(url) for f in tiny["files"] if f["format"] not in ("chart", "datapackage"))
    assert f"uploaded {len(list((repo / 'build/store').rglob('*.*')))} file(s)" in first.stdout


def test_the_site_no_longer_carries_the_data_and_every_consumer_points_to_the_store(store, published):
    url, _ = store
    repo, _ = published
    site = repo / "site"
    data = [p.name for p in (site / "datasets").rglob("*") if p.suffix in (".csv", ".xlsx", ".parquet", ".zip")]
    assert data == []
    page = (site / "datasets/tiny/index.html").read_text(encoding="utf-8")
    english = (site / "en/datasets/tiny/index.html").read_text(encoding="utf-8")
    for html in (page, english):
        assert re.search(rf'href="{re.escape(url)}blobs/sha256/[^"]+/items\.xlsx" download', html)
        assert re.search(rf'data-csv="{re.escape(url)}blobs/sha256/[^"]+/items\.csv"', html)  # the table explorer
    query = (site / "datasets/tiny/query/index.html").read_text(encoding="utf-8")
    assert re.search(rf"{re.escape(url)}blobs/sha256/[0-9a-f/]+/items\.parquet", query)
    sums = (site / "SHA256SUMS").read_text(encoding="utf-8").splitlines()
    stored = [line for line in sums if "://" in line]
    assert stored and all(line.split("  ")[1].startswith(url) for line in stored)
    assert "  datasets/tiny/versions.json" in "\n".join(sums)  # what stays on the site keeps its path
    for name in ("catalog.jsonld", "datasets/tiny/versions.json"):
        assert f"{url}blobs/sha256/" in (site / name).read_text(encoding="utf-8"), name
    # the old paths answer on hosts that read _redirects: a 301 to the same bytes in the store
    rules = dict(line.split(" ", 1) for line in (site / "_redirects").read_text(encoding="utf-8").splitlines())
    assert rules["/datasets/tiny/items.csv"] == f"{csv_url(site)} 301"
    assert rules["/datasets/tiny/1.0.0/items.csv"].startswith(url)


def csv_url(site: Path) -> str:
    catalog = json.loads((site / "catalog.json").read_text(encoding="utf-8"))
    tiny = next(d for d in catalog["datasets"] if d["name"] == "tiny")
    return next(f["url"] for f in tiny["files"] if f["format"] == "csv")


def test_a_second_publish_uploads_nothing_and_says_so_in_chinese(published):
    repo, first = published
    again = gongkai("--lang", "zh", "publish", cwd=repo)
    assert again.returncode == 0, again.stderr
    count = len([p for p in (repo / "build/store").rglob("*") if p.is_file()])
    assert f"gongkai: 上传了 0 个文件到 {REMOTE}:" in again.stdout
    assert f"gongkai: {count} 个文件已在存储中，跳过" in again.stdout
    assert f"逐个核对了 {count} 个文件的 SHA-256" in again.stdout


def test_a_tampered_or_missing_file_in_the_store_fails_publish_naming_it(store, published):
    url, folder = store
    repo, _ = published
    key = csv_url(repo / "site")[len(url) :]
    target = folder / key
    original = target.read_bytes()
    try:
        target.write_bytes(original.replace("改过".encode(), "改了".encode()))  # the same size, other bytes
        caught = gongkai("--lang", "en", "publish", cwd=repo)
        assert caught.returncode == 1
        assert f"  {key}: the store holds other bytes (SHA-256 {hashlib.sha256(target.read_bytes()).hexdigest()})" in (
            caught.stderr
        )
        assert "do not deploy the site" in caught.stderr
        target.unlink()
        gone = gongkai("--lang", "en", "publish", "--check", "new", cwd=repo)  # uploaded again, and checked
        assert gone.returncode == 0, gone.stderr
        assert "uploaded 1 file(s)" in gone.stdout and target.read_bytes() == original
    finally:
        target.write_bytes(original)


def test_store_urls_enter_the_lock_and_a_locked_one_must_stay_in_the_store(store, published, tmp_path):
    url, _ = store
    repo = shutil.copytree(published[0], tmp_path / "repo", symlinks=True)
    locked = gongkai("lock", cwd=repo)
    assert locked.returncode == 0, locked.stderr
    lock = (repo / "urls.lock").read_text(encoding="utf-8").splitlines()
    assert csv_url(repo / "site") in lock and "/datasets/tiny/items.csv" in lock  # the store's URL, the old path
    # A URL published by an older build that today's site no longer names: the build lets it be (the store
    # keeps it), and publish checks that the store still holds it.
    old = f"blobs/sha256/00/{'0' * 64}/items.csv"
    with (repo / "urls.lock").open("a", encoding="utf-8") as f:
        f.write(f"{url}{old}\n")
    rebuilt = gongkai("--lang", "en", "build", cwd=repo)
    assert rebuilt.returncode == 0, rebuilt.stdout + rebuilt.stderr
    assert "url-removed" not in rebuilt.stdout + rebuilt.stderr
    missing = gongkai("--lang", "en", "publish", cwd=repo)
    assert missing.returncode == 1
    assert f"  {old}: not in the store" in missing.stderr


def test_without_the_setting_the_site_links_its_own_files(built_tiny):
    site = built_tiny / "site"
    assert (site / "datasets/tiny/items.csv").read_bytes() == (built_tiny / "datasets/tiny/data/items.csv").read_bytes()
    page = (site / "datasets/tiny/index.html").read_text(encoding="utf-8")
    assert 'href="items.xlsx" download' in page and 'data-csv="items.csv"' in page
    assert 'data-csv="../../../datasets/tiny/items.csv"' in (site / "en/datasets/tiny/index.html").read_text("utf-8")
    assert all("://" not in line for line in (site / "SHA256SUMS").read_text(encoding="utf-8").splitlines())
    assert not any(path.name == "blobs" for path in site.rglob("*"))
    assert gongkai("--lang", "en", "publish", cwd=built_tiny).returncode == 2  # nothing to publish to


@pytest.mark.parametrize(
    ("lines", "said"),
    [
        ("  url: http://data.example.org/\n  remote: 's3:bucket'\n", "downloads.url: an https URL ending in /"),
        ("  url: https://data.example.org/gk\n  remote: 's3:bucket'\n", "downloads.url: an https URL ending in /"),
        ("  url: https://data.example.org/\n  remote: bucket\n", "downloads.remote: an rclone remote and path"),
        ("  url: https://data.example.org/\n  remote: 's3:b'\n  cdn: yes\n", "downloads.cdn: not a setting"),
    ],
)
def test_a_downloads_setting_that_cannot_be_used_is_refused_naming_it(tmp_path, lines, said):
    repo = make_repo(tmp_path, ["tiny"])
    settings = repo / "gongkai.yml"
    settings.write_text(settings.read_text(encoding="utf-8") + "\ndownloads:\n" + lines, encoding="utf-8")
    refused = gongkai("--lang", "en", "build", cwd=repo)
    assert refused.returncode == 1
    assert said in refused.stderr


# --- In a browser: the table explorer and the query page read the store across origins ----------------------

CHROMIUM = Path("/usr/bin/chromium")
ENGINE = Path(__file__).resolve().parents[1] / "tools/duckdb/dist"
PREFIX = "/gongkai/"


def _bucket_handler(root: Path, counted):
    """The store as a bucket with public reads and the CORS rules maintainers.md asks for: Range
    answered, any origin allowed, the range headers exposed."""
    from rangeserver import _handler

    class Bucket(_handler(root, "/", counted)):
        def end_headers(self):
            self.send_header("Access-Control-Allow-Origin", "*")
            self.send_header("Access-Control-Expose-Headers", "Content-Length, Content-Range, Accept-Ranges")
            super().end_headers()

        def do_OPTIONS(self):
            self.send_response(204)
            self.send_header("Access-Control-Allow-Methods", "GET, HEAD")
            self.send_header("Access-Control-Allow-Headers", "Range")
            self.end_headers()

    return Bucket


@pytest.fixture(scope="module")
def cross_origin(tmp_path_factory):
    """The divisions dataset with downloads in a store on another origin: (site URL, store URL, what the
    store sent). The store serves build/store/, the keys `gongkai publish` would upload."""
    if not CHROMIUM.exists() or not (ENGINE / "duckdb.mjs").is_file():
        missing = "chromium" if not CHROMIUM.exists() else "DuckDB-Wasm (`make duckdb`)"
        if os.environ.get("GONGKAI_REQUIRE_BROWSER"):
            raise RuntimeError(f"GONGKAI_REQUIRE_BROWSER is set but {missing} is missing")
        pytest.skip(f"{missing} is not installed")
    import http.server
    import threading

    from rangeserver import Counted, serving

    repo = make_repo(tmp_path_factory.mktemp("cors"), real=["administrative-divisions"])
    (repo / "tools/duckdb").mkdir(parents=True)
    (repo / "tools/duckdb/dist").symlink_to(ENGINE)
    (repo / "build/store").mkdir(parents=True)
    counted = Counted()
    bucket = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _bucket_handler(repo / "build/store", counted))
    threading.Thread(target=bucket.serve_forever, daemon=True).start()
    store_url = f"http://127.0.0.1:{bucket.server_address[1]}/"
    _set_downloads(repo, store_url, "unused:")
    built = gongkai("build", cwd=repo)
    assert built.returncode == 0, built.stdout + built.stderr
    try:
        with serving(repo / "site", PREFIX) as (base, _):
            yield base, store_url, counted
    finally:
        bucket.shutdown()
        bucket.server_close()


@pytest.mark.browser
def test_the_explorer_and_the_query_page_read_the_store_across_origins(cross_origin):
    from playwright.sync_api import sync_playwright

    base, store_url, counted = cross_origin
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox", "--disable-gpu"])
        page = browser.new_page()
        errors: list[str] = []
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.goto(base + "datasets/administrative-divisions/?streets.q=沙面街道")
        box = page.locator(".gk-explorer[data-name='streets']")
        box.locator(".gk-ex-count", has_text="筛选后 1 行").wait_for(timeout=10000)
        page.goto(base + "datasets/administrative-divisions/query/")
        page.wait_for_function("!document.querySelector('.gk-query-run').disabled", timeout=60000)
        page.fill(".gk-query-sql", "SELECT count(*) AS n FROM streets")
        page.evaluate("document.querySelector('.gk-query-status').textContent = ''")
        page.click(".gk-query-run")
        page.wait_for_function(
            "() => { const e = document.querySelector('.gk-query-status');"
            " return e.textContent !== '' && !e.className.includes('busy'); }"
        )
        rows = page.locator(".gk-query-result tbody td").all_inner_texts()
        browser.close()
    streets = (Path(__file__).resolve().parents[1] / "datasets/administrative-divisions/data/streets.csv").read_bytes()
    assert rows == [str(streets.count(b"\n") - 1)]
    assert errors == []
    fetched = {path.rsplit("/", 1)[1] for path in counted.sent}
    assert {"streets.csv", "streets.parquet"} <= fetched  # both from the store, not the site
    parquet = next(path for path in counted.ranges if path.endswith("/streets.parquet"))
    assert counted.ranges[parquet] > 0  # DuckDB read the Parquet by ranges across origins
