"""The built site in a real browser (Debian's chromium via Playwright), mounted under a sub-path."""

from __future__ import annotations

import functools
import http.server
import os
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from gongkai.core import sitepaths

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

    extensions_map = {
        **http.server.SimpleHTTPRequestHandler.extensions_map,
        ".parquet": "application/vnd.apache.parquet",
    }

    def translate_path(self, path):
        if not path.startswith(PREFIX):
            return str(Path(self.directory) / "__outside_the_prefix__")
        return super().translate_path("/" + path[len(PREFIX) :])

    def log_message(self, *args):
        pass

    def send_error(self, code, message=None, explain=None):
        # A missing address gets the site's 404.html, at any depth, as GitHub Pages serves it.
        page = Path(self.directory) / sitepaths.NOT_FOUND
        if code != 404 or not page.is_file():
            return super().send_error(code, message, explain)
        body = page.read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)


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


def _search(page, base: str, query: str, path: str = "") -> list[dict]:
    """The results of a query typed into the header's box, each as its link, title and where the
    query was found; within 2 seconds of typing (the issue's bound on the seed site)."""
    page.goto(base + path)
    page.wait_for_load_state("networkidle")
    box = page.locator("input.md-search__input")
    box.click()
    started = time.monotonic()
    box.fill(query)
    page.locator(".md-search-result__item").first.wait_for(timeout=2000)
    assert time.monotonic() - started < 2
    return page.locator(".md-search-result__item a").evaluate_all(
        """els => els.map(e => ({
            href: e.href,
            title: e.querySelector('.gk-search__title').textContent,
            where: (e.querySelector('.gk-search__where') || {}).textContent || ''}))"""
    )


def _path(href: str) -> str:
    return urlsplit(href).path.removeprefix(PREFIX)


LIST_PAGES = ("", "datasets/", "topics/", "publishers/", "quality/")


@pytest.mark.parametrize(
    "query, dataset, where",
    [
        ("沙面", "administrative-divisions", "名称 = 沙面街道 · "),  # part of a value: a street's name
        ("440103001", "administrative-divisions", "区划代码 = 440103001 · 街道、镇等乡级单位"),  # a code
        ("440103", "administrative-divisions", "区划代码 = 440103"),  # a code's start: its district, its streets
        ("天河区", "administrative-divisions", "名称 = 天河区 · 区"),
        ("财政", "fiscal-transparency", ""),
        ("舆情", "public-opinion-response", ""),
        ("新闻发布会", "executive-meeting-releases", ""),
        ("权责清单", "decision-openness", ""),
    ],
)
def test_a_query_finds_its_dataset_first_and_says_where(page, server, query, dataset, where):
    results = _search(page, server, query)
    assert _path(results[0]["href"]) == sitepaths.dataset_page(dataset), results
    assert results[0]["where"].startswith(where), results[0]
    assert not any(_path(r["href"]) in LIST_PAGES or "/topics/" in r["href"] for r in results), results


def test_a_column_title_finds_every_dataset_with_that_column(page, server):
    import json as _json

    root = Path(__file__).resolve().parents[1] / "datasets"
    holding = {
        p.parent.name
        for p in root.glob("*/datapackage.json")
        for r in _json.loads(p.read_text(encoding="utf-8"))["resources"]
        for f in r["schema"]["fields"]
        if f.get("title") == "区划代码"
    }
    assert holding
    results = _search(page, server, "区划代码")
    found = {_path(r["href"]).split("/")[1] for r in results if _path(r["href"]).startswith("datasets/")}
    assert holding <= found, results
    assert results[0]["where"].startswith("列：区划代码 · "), results[0]


@pytest.mark.parametrize(
    "query, dataset", [("divisions", "administrative-divisions"), ("key areas", "key-area-disclosure")]
)
def test_an_english_query_on_the_english_pages_finds_the_english_page(page, server, query, dataset):
    results = _search(page, server, query, "en/")
    assert _path(results[0]["href"]) == sitepaths.ENGLISH + sitepaths.dataset_page(dataset), results


def test_opening_a_page_loads_no_search_data_until_the_box_is_used(page, server):
    for path in ["", "datasets/administrative-divisions/", "en/"]:
        page.goto(server + path)
        page.wait_for_load_state("networkidle")
    assert [u for u in page.requests if "/search/" in u] == []
    page.locator("input.md-search__input").fill("沙面")
    page.locator(".md-search-result__item").first.wait_for(timeout=2000)
    asked = [urlsplit(u).path for u in page.requests if "/search/" in u]
    assert asked and all(p.startswith(PREFIX + sitepaths.search_folder("en")) for p in asked), asked


def test_a_value_result_opens_the_explorer_filtered_to_it(page, server):
    results = _search(page, server, "沙面")
    page.locator(".md-search-result__item a").first.click()
    page.wait_for_load_state("domcontentloaded")
    assert urlsplit(page.url).query == "streets.q=%E6%B2%99%E9%9D%A2%E8%A1%97%E9%81%93", results[0]
    box = page.locator(".gk-explorer[data-name='streets']")
    box.locator(".gk-ex-count", has_text="筛选后 1 行").wait_for(timeout=5000)


def test_the_keyboard_opens_moves_through_and_closes_the_results(page, server):
    page.goto(server + "about/")
    page.wait_for_load_state("networkidle")
    page.keyboard.press("/")
    box = page.locator("input.md-search__input")
    assert box.evaluate("e => e === document.activeElement")
    page.keyboard.type("天河区")
    page.locator(".md-search-result__item").first.wait_for(timeout=2000)
    assert page.locator(".md-search-result__meta").get_attribute("aria-live") == "polite"
    assert "1" in page.locator(".md-search-result__meta").inner_text()
    page.keyboard.press("ArrowDown")
    assert page.evaluate("document.activeElement.classList.contains('md-search-result__link')")
    page.keyboard.press("ArrowUp")
    assert box.evaluate("e => e === document.activeElement")
    page.keyboard.press("Escape")
    assert not page.locator("#__search").is_checked()
    page.keyboard.press("s")
    assert box.evaluate("e => e === document.activeElement") and page.locator("#__search").is_checked()
    box.fill("440103001")
    page.keyboard.press("Enter")  # before the pause after typing: the new query's first result, not the old one's
    page.wait_for_url("**/datasets/administrative-divisions/?streets.q=440103001")


def test_the_browser_splits_a_query_into_the_terms_the_index_was_built_with(page, server):
    from gongkai.search.terms import exact, shard_of, terms
    from test_search import TERM_CASES

    page.goto(server + "about/")
    got = page.evaluate(
        """cases => cases.map(c => {
            const t = window.gongkaiSearchTerms;
            return [t.terms(c, false), t.terms(c, true), t.exact(c), t.terms(c, true).map(x => t.shardOf(x, 64))];
        })""",
        TERM_CASES,
    )
    want = [
        [terms(c), terms(c, prefixes=True), exact(c), [shard_of(x, 64) for x in terms(c, prefixes=True)]]
        for c in TERM_CASES
    ]
    assert got == want


def test_the_search_box_is_in_the_header_at_every_width(page, server):
    for width in (360, 1366):
        page.set_viewport_size({"width": width, "height": 800})
        page.goto(server + "datasets/administrative-divisions/")
        page.wait_for_load_state("networkidle")
        if width < 900:
            page.locator(".md-header label.md-header__button[for='__search']").click()
        box = page.locator("input.md-search__input")
        box.fill("沙面")
        page.locator(".md-search-result__item").first.wait_for(timeout=2000)
        item = page.locator(".md-search-result__item").first.bounding_box()
        assert item and item["x"] >= 0 and item["x"] + item["width"] <= width + 1, (width, item)


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


def _visible_datasets(page) -> list[str]:
    return page.locator(".gk-cards .gk-card:not([hidden]) .gk-card-title a").evaluate_all(
        "els => els.map(e => e.getAttribute('href'))"
    )


def test_catalog_filters_narrow_the_list_and_live_in_the_url(page, server):
    page.goto(server + "datasets/?topic=" + "行政区划")
    assert _visible_datasets(page) == ["administrative-divisions/"]
    assert page.locator(".gk-count").inner_text() == "显示 1 个，共 10 个数据集"
    page.select_option('select[name="topic"]', "")
    assert len(_visible_datasets(page)) == 10 and "topic=" not in page.url
    page.select_option('select[name="publisher"]', "国家统计局")
    assert _visible_datasets(page) == ["administrative-divisions/"]
    assert "publisher=%E5%9B%BD%E5%AE%B6%E7%BB%9F%E8%AE%A1%E5%B1%80" in page.url
    # counts follow the other choices: with this publisher, only one topic has datasets
    topics = page.locator('select[name="topic"] option').all_inner_texts()
    assert "行政区划（1）" in topics and "全部（1）" in topics
    page.select_option('select[name="publisher"]', "")
    page.select_option('select[name="sort"]', "title")
    assert "sort=title" in page.url and len(_visible_datasets(page)) == 10
    # a shared link opens the same view
    page.goto(server + "datasets/?format=CSV&year=2018&frequency=" + "每年")
    assert len(_visible_datasets(page)) == 6  # the years the data describe: six periods include 2018
    assert "2026" not in page.locator('select[name="year"]').inner_text()  # not the year the site updated them


def test_a_keyword_narrows_the_cards_with_the_other_filters_and_lives_in_the_url(page, server):
    page.goto(server + "datasets/")
    page.fill('input[name="q"]', "舆情")  # a title (回应媒体和网络舆情) and a description (热点或舆情)
    assert set(_visible_datasets(page)) == {"public-opinion-response/", "disclosure-overview/"}
    assert "q=%E8%88%86%E6%83%85" in page.url
    assert page.locator(".gk-count").inner_text() == "显示 2 个，共 10 个数据集"
    page.fill('input[name="q"]', "广州市")  # every title: the other filters still narrow it
    page.select_option('select[name="year"]', "2022")  # the divisions (as of 2022) and the reports (2013-2024)
    assert set(_visible_datasets(page)) == {"administrative-divisions/", "disclosure-annual-reports/"}
    page.fill('input[name="q"]', "没有这个词")
    assert _visible_datasets(page) == [] and page.locator(".gk-none").is_visible()
    page.goto(server + "en/datasets/?q=" + "divisions")  # the English catalogue searches the English text
    assert _visible_datasets(page) == ["administrative-divisions/"]
    assert page.locator('input[name="q"]').input_value() == "divisions"


@pytest.mark.parametrize("path", ["datasets/", "en/datasets/"])
def test_the_catalog_fits_360_pixels_with_titles_on_readable_lines(browser, server, path):
    context = browser.new_context(viewport={"width": 360, "height": 740}, is_mobile=True, has_touch=True)
    pg = context.new_page()
    pg.goto(server + path)
    assert pg.evaluate("document.documentElement.scrollWidth") <= 360
    # a title line holds more than two or three characters: the card is nearly the screen's width
    widths = pg.locator(".gk-card-title").evaluate_all("els => els.map(e => e.getBoundingClientRect().width)")
    assert len(widths) == 10 and min(widths) > 250, widths
    context.close()


def test_the_catalog_lists_every_dataset_without_javascript(browser, server):
    context = browser.new_context(java_script_enabled=False)
    pg = context.new_page()
    pg.goto(server + "datasets/?topic=" + "行政区划")
    assert len(_visible_datasets(pg)) == 10
    context.close()


CONTENT_TYPES = {
    ".csv": "text/csv",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".json": "application/json",
    ".zip": "application/zip",
    ".parquet": "application/vnd.apache.parquet",
}


def test_every_download_link_answers_with_the_right_type_and_bytes(page, server, built_site):
    site = built_site / "site"
    checked = 0
    for folder in sorted(
        p for p in (site / "datasets").iterdir() if (p / "index.html").is_file() and p.name[0].isalpha()
    ):
        page.goto(server + sitepaths.dataset_page(folder.name))
        links = page.locator(".gk-get a, .gk-files a").evaluate_all("els => els.map(e => e.href)")
        assert links, folder.name
        for url in links:
            response = page.request.get(url)
            assert response.status == 200, url
            suffix = "." + url.rsplit(".", 1)[1]
            assert response.headers["content-type"].split(";")[0] == CONTENT_TYPES[suffix], url
            assert response.body() == (folder / url.rsplit("/", 1)[1]).read_bytes(), url
            checked += 1
    assert checked >= 9 * 6


@pytest.mark.parametrize("width,height", [(1366, 900), (390, 844)])
def test_the_excel_download_is_on_the_first_screen_of_every_dataset_page(browser, server, built_site, width, height):
    context = browser.new_context(viewport={"width": width, "height": height})
    pg = context.new_page()
    names = sorted(p.name for p in (built_site / "site/datasets").iterdir() if (p / "index.html").is_file())
    for name in [n for n in names if n[0].isalpha()]:
        pg.goto(server + sitepaths.dataset_page(name))
        button = pg.locator(".gk-get a[href$='.xlsx']").first
        box = button.bounding_box()
        assert box is not None, name
        assert box["y"] + box["height"] <= height, (name, box)  # whole, without scrolling
        assert box["height"] >= 24 and box["width"] >= 24, (name, box)
    context.close()


@pytest.mark.parametrize("path", ["", "datasets/disclosure-overview/"])
def test_charts_keep_their_own_size_on_a_phone_so_their_text_stays_readable(browser, server, path):
    # the SVGs draw labels at 12 px (export/charts.py); shrunk to a phone's width they would fall
    # to 7 or 8 px, so on a phone a chart keeps its size and scrolls inside its own box
    context = browser.new_context(viewport={"width": 390, "height": 844})
    pg = context.new_page()
    pg.goto(server + path)
    charts = pg.locator(".gk-chart img")
    assert charts.count() > 0
    for i in range(charts.count()):
        img = charts.nth(i)
        img.scroll_into_view_if_needed()
        img.evaluate("i => i.decode()")
        natural, shown = img.evaluate("i => [i.naturalWidth, i.getBoundingClientRect().width]")
        assert shown >= natural * 11 / 12, (path, natural, shown)  # 12 px labels stay at 11 px or more
    assert pg.evaluate("document.documentElement.scrollWidth") <= 390
    context.close()


SCREENSHOTS = Path(__file__).resolve().parents[1] / "build" / "screenshots"


PAGE_TYPES = [
    "",
    "datasets/",
    "datasets/administrative-divisions/",
    "datasets/disclosure-overview/",
    "topics/",
    "topics/administrative-divisions/",
    "publishers/",
    "publishers/national-bureau-of-statistics/",
    "quality/",
    "guide/maintainers/",
    "about/",
    "en/",
    "en/datasets/",
    "en/datasets/administrative-divisions/",
]


@pytest.mark.parametrize("path", PAGE_TYPES)
def test_pages_fit_a_phone_screen(browser, server, path):
    context = browser.new_context(
        viewport={"width": 360, "height": 780}, device_scale_factor=2, is_mobile=True, has_touch=True
    )
    pg = context.new_page()
    failed = []
    pg.on("response", lambda r: failed.append((r.status, r.url)) if r.status >= 400 else None)
    pg.goto(server + path)
    pg.wait_for_load_state("networkidle")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    pg.screenshot(path=str(SCREENSHOTS / f"phone-{path.strip('/').replace('/', '-') or 'home'}.png"), full_page=True)
    # wide tables scroll inside their own box; the page itself never scrolls sideways
    overflow = pg.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0, (path, overflow)
    assert failed == []  # no request of the page fails (Material once fetched sitemap.xml beside each page)
    context.close()


@pytest.mark.parametrize(
    "path",
    [
        "",
        "datasets/",
        "datasets/key-area-disclosure/",
        "datasets/administrative-divisions/",
        "quality/",
        "topics/",
        "publishers/national-bureau-of-statistics/",
        "guide/developers/",
        "en/",
        "en/datasets/administrative-divisions/",
    ],
)
def test_no_serious_accessibility_violations(page, server, path):
    from axe_playwright_python.sync_playwright import Axe

    page.goto(server + path)
    page.wait_for_load_state("networkidle")
    # target-size (WCAG 2.2's 24-by-24-pixel rule) is off in axe by default: on here, at phone width too
    options = {"resultTypes": ["violations"], "rules": {"target-size": {"enabled": True}}}
    results = Axe().run(page, options=options)
    page.set_viewport_size({"width": 390, "height": 844})
    narrow = Axe().run(page, options=options)
    results.response["violations"] += narrow.response["violations"]
    serious = [v for v in results.response["violations"] if v["impact"] in ("serious", "critical")]
    assert serious == [], [(v["id"], v["help"], [n["target"] for n in v["nodes"]][:3]) for v in serious]


def test_a_dataset_page_stays_light(page, server, built_site):
    """Everything a dataset page loads (HTML, styles, scripts; no search data until a query is
    typed; not the downloads), counted as a static host sends it: gzip-compressed, as GitHub Pages,
    Netlify and Cloudflare Pages all do for these types."""
    import gzip

    bodies: dict[str, bytes] = {}
    page.on("response", lambda r: bodies.__setitem__(r.url, r.body()) if r.status == 200 else None)
    page.goto(server + "datasets/administrative-divisions/")
    page.wait_for_load_state("networkidle")
    raw = sum(len(b) for b in bodies.values())
    sent = sum(len(gzip.compress(b, 6)) for b in bodies.values())
    print(
        f"\ndataset page with its assets: {sent / 1024:.0f} KB transferred "
        f"({raw / 1024:.0f} KB uncompressed) in {len(bodies)} requests"
    )
    assert sent < 300 * 1024, sorted((len(b), u) for u, b in bodies.items())[-8:]
    assert not any("/search/" in u for u in bodies), sorted(bodies)


def test_the_language_switch_leads_to_the_english_interface_and_back(page, server):
    import json as _json

    desc = _json.loads(
        (Path(__file__).resolve().parents[1] / "datasets/key-area-disclosure/datapackage.json").read_text(
            encoding="utf-8"
        )
    )
    page.goto(server + "datasets/key-area-disclosure/")
    page.locator(".md-header .md-select").first.hover()
    page.locator('a.md-select__link[hreflang="en"]').first.click()
    page.wait_for_load_state("domcontentloaded")
    assert page.url.endswith(f"{PREFIX}en/datasets/key-area-disclosure/")
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator("h1").inner_text().rstrip("¶") == desc["title_en"]
    assert page.locator("input.md-search__input").get_attribute("placeholder") == "Search"
    assert "Data quality" in page.locator(".md-tabs").inner_text()
    # the English page's downloads are the very files of the Chinese page
    href = page.locator("a[href$='figures.csv']").first.get_attribute("href")
    response = page.request.get(page.url + href)
    assert (
        response.status == 200
        and response.body()
        == (Path(__file__).resolve().parents[1] / "datasets/key-area-disclosure/data/figures.csv").read_bytes()
    )
    page.locator(".md-header .md-select").first.hover()
    page.locator('a.md-select__link[hreflang="zh"]').first.click()
    page.wait_for_load_state("domcontentloaded")
    assert (
        page.url.endswith(f"{PREFIX}datasets/key-area-disclosure/")
        and page.locator("h1").inner_text().rstrip("¶") == desc["title"]
    )


@pytest.mark.parametrize(
    "path, lang, heading, search",
    [
        ("datasets/nope/", "zh", "页面不存在", ("财政", "datasets/fiscal-transparency/")),
        ("en/404.html", "en", "Page not found", ("key areas", "en/datasets/key-area-disclosure/")),
    ],
)
def test_the_404_page_speaks_the_interface_language_and_searches(page, server, path, lang, heading, search):
    response = page.goto(server + path)
    assert response is not None and response.status == (404 if path.endswith("/") else 200)
    assert page.locator("html").get_attribute("lang") == lang
    assert heading in page.locator("article h1").first.inner_text()
    links = page.locator("article a").evaluate_all("els => els.map(e => e.href)")
    here = server + ("en/" if lang == "en" else "")
    assert here in links and here + "datasets/" in links, links  # the home page and the catalog
    assert all(page.request.get(link).status == 200 for link in links)
    page.wait_for_load_state("networkidle")
    page.locator("article label.md-button").click()  # opens the header's search box
    box = page.locator("input.md-search__input")
    box.fill(search[0])
    page.locator(".md-search-result__item").first.wait_for(timeout=2000)
    hrefs = page.locator(".md-search-result__item a").evaluate_all("els => els.map(e => e.href)")
    assert any(PREFIX + search[1] in h for h in hrefs), hrefs
