"""No page makes a failing request: one page of every type in Debian's chromium, under a sub-path,
with every failed request, 4xx or 5xx response and console error counted (zero on every page)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from gongkai.core import sitepaths
from test_browser import PREFIX, browser, server  # noqa: F401  (fixtures shared with the page tests)

pytestmark = pytest.mark.browser

PAGES = {
    "home": "",
    "catalog": sitepaths.DATASETS,
    "dataset": sitepaths.dataset_page("administrative-divisions"),
    "dataset (en)": sitepaths.ENGLISH + sitepaths.dataset_page("administrative-divisions"),
    "home (en)": sitepaths.ENGLISH,
    "topic": sitepaths.topic_page("administrative-divisions"),
    "publisher": sitepaths.publisher_page("national-bureau-of-statistics"),
    "quality": sitepaths.QUALITY,
    "guide": "guide/developers/",
    "404": "no/such/page/",
}
SITE_URL = "https://gongkai-data.github.io/gongkai/"


class _Faults:
    """Everything that went wrong while a page was open."""

    def __init__(self, page, expected_404: str | None = None):
        self.found: list[str] = []
        self.requests: list[str] = []
        page.on("request", lambda r: self.requests.append(r.url))
        page.on("requestfailed", lambda r: self.found.append(f"failed {r.url}: {r.failure}"))
        page.on("response", lambda r: self._response(r, expected_404))
        page.on("console", lambda m: self._console(m, expected_404))
        page.on("pageerror", lambda e: self.found.append(f"script error: {e}"))

    def _console(self, message, expected_404: str | None) -> None:
        # chromium logs the 404 page's own status as an error: that one is the page working
        if message.type == "error" and message.location.get("url") != expected_404:
            self.found.append(f"console: {message.text} ({message.location.get('url')})")

    def _response(self, response, expected_404: str | None) -> None:
        if response.status >= 400 and not (response.status == 404 and response.url == expected_404):
            self.found.append(f"{response.status} {response.url}")


def _open(browser, url: str, expected_404: str | None = None):  # noqa: F811
    context = browser.new_context()
    page = context.new_page()
    faults = _Faults(page, expected_404)
    page.goto(url)
    page.wait_for_load_state("networkidle")
    return context, page, faults


@pytest.mark.parametrize("kind", list(PAGES))
def test_a_page_of_every_type_makes_no_failing_request_and_logs_no_error(server, browser, kind):  # noqa: F811
    url = server + PAGES[kind]
    context, page, faults = _open(browser, url, expected_404=url if kind == "404" else None)
    try:
        if kind == "home":  # the header's search, used once: it fetches the index parts it needs
            page.locator("input.md-search__input").click()
            page.locator("input.md-search__input").fill("沙面")
            page.locator(".md-search-result__item").first.wait_for(timeout=5000)
            page.wait_for_load_state("networkidle")
        assert faults.found == [], kind
        assert faults.requests and all(r.startswith(server) for r in faults.requests), faults.requests
        assert not [r for r in faults.requests if r.endswith("sitemap.xml")]  # Material's language switch
    finally:
        context.close()


def test_the_language_switch_opens_the_same_page_in_the_other_language_without_a_lookup(server, browser):  # noqa: F811
    url = server + PAGES["dataset"]
    context, page, faults = _open(browser, url)
    try:
        page.locator(".md-select__link[hreflang=en]").first.evaluate("a => a.click()")
        page.wait_for_url(server + PAGES["dataset (en)"])
        page.wait_for_load_state("networkidle")
        assert faults.found == []
        assert not [r for r in faults.requests if r.endswith("sitemap.xml")]
    finally:
        context.close()


def test_language_alternates_are_absolute_in_the_sitemap_and_no_page_has_a_relative_one(built_site):
    site = built_site / "site"
    sitemap = (site / "sitemap.xml").read_text(encoding="utf-8")
    alternates = re.findall(r'<xhtml:link rel="alternate" hreflang="([^"]+)" href="([^"]+)"', sitemap)
    assert {lang for lang, _ in alternates} == {"zh", "en"}
    for _, href in alternates:
        assert href.startswith(SITE_URL), href
        path = Path(href[len(SITE_URL) :])
        assert (site / path / "index.html").is_file(), href
    for page in site.rglob("*.html"):
        for link in re.findall(r"<link\b[^>]*>", page.read_text(encoding="utf-8")):
            if "hreflang" in link:
                assert re.search(r'href="https?://', link), (page, link)
