"""The built site in a real browser (Debian's chromium via Playwright), mounted under a sub-path."""

from __future__ import annotations

import functools
import http.server
import os
import threading
from pathlib import Path
from urllib.parse import urlsplit

import pytest

CHROMIUM = Path("/usr/bin/chromium")
PREFIX = "/gongkai/"

if not CHROMIUM.exists():
    if os.environ.get("GONGKAI_REQUIRE_BROWSER"):
        raise RuntimeError("GONGKAI_REQUIRE_BROWSER is set but /usr/bin/chromium is missing (apt-get install chromium)")
    pytest.skip("Debian's chromium is not installed; `make test` installs it when run as root", allow_module_level=True)

from playwright.sync_api import sync_playwright  # noqa: E402

pytestmark = pytest.mark.browser


class _SubPathHandler(http.server.SimpleHTTPRequestHandler):
    """Serves site/ at PREFIX only, like a GitHub Pages project site."""

    def translate_path(self, path):
        if not path.startswith(PREFIX):
            return str(Path(self.directory) / "__outside_the_prefix__")
        return super().translate_path("/" + path[len(PREFIX) :])

    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def server(built_site):
    handler = functools.partial(_SubPathHandler, directory=str(built_site / "site"))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}{PREFIX}"
    httpd.shutdown()


@pytest.fixture(scope="module")
def browser():
    with sync_playwright() as p:
        b = p.chromium.launch(
            executable_path=str(CHROMIUM),
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield b
        b.close()


@pytest.fixture
def page(browser):
    context = browser.new_context()
    pg = context.new_page()
    pg.requests = []
    pg.on("request", lambda r: pg.requests.append(r.url))
    yield pg
    context.close()


def _search(page, base: str, query: str) -> list[str]:
    page.goto(base)
    page.wait_for_load_state("networkidle")  # the search worker has fetched its index
    box = page.locator("input.md-search__input")
    box.click()
    box.fill(query)
    box.press("End")  # Material reads the query on keyup, as when a person types
    page.locator(".md-search-result__item").first.wait_for(timeout=15000)
    return page.locator(".md-search-result__item a").evaluate_all("els => els.map(e => e.href)")


@pytest.mark.parametrize(
    "query, dataset",
    [("财政", "fiscal-transparency"), ("舆情", "public-opinion-response"), ("新闻发布会", "executive-meeting-releases"), ("权责清单", "decision-openness")],
)
def test_a_chinese_query_finds_its_dataset(page, server, query, dataset):
    hrefs = _search(page, server, query)
    assert any(f"{PREFIX}datasets/{dataset}/" in h for h in hrefs), hrefs


def test_pages_make_no_request_outside_the_site(page, server):
    for path in ["", "datasets/", "datasets/key-area-disclosure/", "about/"]:
        page.goto(server + path)
        page.wait_for_load_state("networkidle")
    outside = [u for u in page.requests if urlsplit(u).hostname != "127.0.0.1"]
    assert outside == []
    assert all(urlsplit(u).path.startswith(PREFIX) for u in page.requests)


def test_the_dataset_page_links_work_under_the_sub_path(page, server):
    page.goto(server + "datasets/key-area-disclosure/")
    href = page.locator("a[href$='figures.csv']").first.get_attribute("href")
    response = page.request.get(urlsplit(page.url)._replace(fragment="").geturl().rsplit("/", 1)[0] + "/" + href)
    assert response.status == 200
    assert response.body().decode("utf-8").startswith("id,indicator,value")
    # the preview is a plain HTML table, readable without JavaScript
    assert page.locator("table >> text=公开重点领域信息").count() >= 1
