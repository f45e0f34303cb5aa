"""A catalog in parts, in a real browser: the filters load every part and see every dataset."""

from __future__ import annotations

import functools
import http.server
import threading
from pathlib import Path

import markdown
import pytest
from test_browser import CHROMIUM, browser, page  # noqa: F401  (the fixtures; skips without chromium)
from test_site_size import ROOT, _summaries

pytestmark = pytest.mark.browser

SHELL = (
    '<!doctype html><html lang="zh"><head><meta charset="utf-8"><title>t</title></head><body><article>{}</article>'
    '<script src="{}assets/gongkai.js"></script></body></html>'
)


@pytest.fixture(scope="module")
def parted(tmp_path_factory):
    """The catalog pages of 250 datasets (the page and catalog/1/ … catalog/3/) as plain HTML pages
    around the content gongkai writes, with the site's own script, served over HTTP."""
    from gongkai.core.config import load_settings
    from gongkai.render.listings import catalog_pages

    settings = load_settings(ROOT)
    entries = _summaries(250, settings, topics=2)
    entries[3].meta["keywords"] = ["独一无二"]  # first published early: in part 1 only
    site = tmp_path_factory.mktemp("parted")
    (site / "assets").mkdir()
    (site / "assets/gongkai.js").write_bytes((ROOT / "docs/assets/gongkai.js").read_bytes())
    for rel, text in catalog_pages(entries, settings, "zh").items():
        html = markdown.markdown(text, extensions=["md_in_html"])
        target = site / Path(rel).parent / "index.html"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(SHELL.format(html, "../" * (len(Path(rel).parts) - 1)), encoding="utf-8")
    handler = functools.partial(_Quiet, directory=str(site))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    httpd.shutdown()


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def _shown(pg) -> list[str]:
    return pg.locator(".gk-cards .gk-card:not([hidden]) .gk-card-title a").evaluate_all(
        "els => els.map(e => new URL(e.href).pathname)"
    )


def test_a_keyword_finds_a_dataset_listed_only_in_a_part_and_its_link_works(page, parted):  # noqa: F811
    page.goto(parted + "datasets/")
    assert len(_shown(page)) == 100 and page.locator(".gk-count").text_content() == "显示 100 个，共 250 个数据集"
    assert page.locator("a[data-gk-part]").count() == 3
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.fill('input[name="q"]', "独一无二")
    page.wait_for_function("document.querySelector('.gk-count').textContent.startsWith('显示 1 个')")
    assert _shown(page) == ["/datasets/set-00003/"]
    assert page.locator(".gk-count").text_content() == "显示 1 个，共 250 个数据集"
    assert sorted(r.removeprefix(parted) for r in requests) == ["catalog/1/", "catalog/2/", "catalog/3/"]
    assert "q=%E7%8B%AC" in page.url  # the choice is kept in the address
    page.fill('input[name="q"]', "")
    page.wait_for_function("document.querySelector('.gk-count').textContent === '共 250 个数据集'")
    assert len(_shown(page)) == 250 and len(set(_shown(page))) == 250  # every dataset once, none twice


def test_a_shared_address_with_a_filter_loads_the_parts_and_counts_every_dataset(page, parted):  # noqa: F811
    from gongkai.core.config import load_settings

    topic = load_settings(ROOT).topics[1].name
    page.goto(parted + "datasets/?topic=" + topic)
    page.wait_for_function("document.querySelectorAll('.gk-card:not([hidden])').length === 125")
    option = page.locator(f'select[name="topic"] option[value="{topic}"]').text_content()
    assert option.endswith("（125）")
