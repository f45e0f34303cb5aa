"""A site built from hostile input, loaded in a real browser: no script of the input runs and
no request leaves the site, on every kind of page gongkai generates and on a hand-written one.

Every payload sets a canary (window.__pwned) or fetches from outside the site if it runs; the
browser must see neither, while the text of each payload is there to read.
"""

from __future__ import annotations

import functools
import http.server
import json
import threading
from urllib.parse import urlsplit

import pytest
from conftest import gongkai, make_repo
from test_browser import PREFIX, _SubPathHandler, browser  # noqa: F401  (browser is a fixture)

pytestmark = pytest.mark.browser

PAYLOADS = [
    "</title><script>window.__pwned='title'</script>",
    "<img src=x onerror=\"window.__pwned='img'\">",
    "<svg onload=\"window.__pwned='svg'\"></svg>",
    '"><script>window.__pwned="attr"</script>',
    "[x](javascript:window.__pwned='md')",
    "{: onclick=\"window.__pwned='attr-list'\" }",
    '<img src="https://tracker.example/p.gif">',
    "\u0085<iframe src=javascript:window.__pwned='nel'></iframe>\u2028",
    "{{ 7*7 }}{% raw %}",
]
TEXT = " ".join(PAYLOADS)


def _hostile_repo(tmp):
    repo = make_repo(tmp, ["tiny"])
    path = repo / "datasets/tiny/datapackage.json"
    desc = json.loads(path.read_text(encoding="utf-8"))
    desc["title"] = "测试" + PAYLOADS[0]
    desc["title_en"] = "Test" + PAYLOADS[3]
    desc["description"] = "用于测试的小数据集。" + TEXT
    desc["description_en"] = "A small test dataset. " + TEXT
    desc["keywords"] = [PAYLOADS[1], PAYLOADS[3]]
    desc["sources"][0]["title"] = "来源" + PAYLOADS[1]
    desc["resources"][0]["title"] = "事项" + PAYLOADS[2]
    fields = desc["resources"][0]["schema"]["fields"]
    fields[1]["title"] = "名称" + PAYLOADS[3]
    fields[1]["description"] = TEXT
    path.write_text(json.dumps(desc, ensure_ascii=False, indent=2), encoding="utf-8")
    csv = repo / "datasets/tiny/data/items.csv"
    rows = "".join(f'{700000 + i},"{p.replace(chr(34), chr(34) * 2)}",1,1,2019-01-01\n' for i, p in enumerate(PAYLOADS))
    csv.write_text(csv.read_text(encoding="utf-8") + rows, encoding="utf-8")
    readme = repo / "datasets/tiny/README.md"
    readme.write_text(
        readme.read_text(encoding="utf-8").replace("测试。", "测试。\n\n" + "\n\n".join(PAYLOADS)), encoding="utf-8"
    )
    (repo / "withdrawn.yml").write_text(
        yaml_list([{"name": "gone", "title": "撤回" + PAYLOADS[0], "date": "2026-01-01", "reason": PAYLOADS[1]}]),
        encoding="utf-8",
    )
    (repo / "redirects.yml").write_text('"/datasets/old-tiny/": "/datasets/tiny/"\n', encoding="utf-8")
    # A hand-written page: a title in its front matter and payloads as code, as a maintainer would quote them.
    (repo / "docs/about.md").write_text(
        "---\ntitle: "
        + json.dumps("关于" + PAYLOADS[0])
        + "\n---\n\n# 关于\n\n"
        + "\n".join(f"- `{p}`" for p in PAYLOADS[:4])
        + "\n",
        encoding="utf-8",
    )
    return repo


def yaml_list(items: list[dict]) -> str:
    return "".join(
        "- " + "\n  ".join(f"{k}: {json.dumps(v, ensure_ascii=False)}" for k, v in item.items()) + "\n"
        for item in items
    )


@pytest.fixture(scope="module")
def hostile_server(tmp_path_factory):
    repo = _hostile_repo(tmp_path_factory.mktemp("hostile-browser"))
    result = gongkai("build", cwd=repo)
    assert result.returncode == 0, result.stdout + result.stderr
    handler = functools.partial(_SubPathHandler, directory=str(repo / "site"))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}{PREFIX}"
    httpd.shutdown()


PAGES = [
    "",  # home
    "datasets/",  # catalog
    "datasets/tiny/",  # a dataset page: metadata, downloads, dictionary, profile, preview, README, sources
    "topics/",
    "topics/open-government/",
    "publishers/",
    "quality/",
    "about/",  # hand-written, with a hostile front matter title
    "datasets/gone/",  # a withdrawal notice
    "datasets/old-tiny/",  # a redirect page
    "en/",
    "en/datasets/",
    "en/datasets/tiny/",
    "en/datasets/gone/",
    "404.html",  # the page a host shows for a missing address
]


@pytest.mark.parametrize("path", PAGES)
def test_no_script_of_the_input_runs_and_nothing_leaves_the_site(browser, hostile_server, path):  # noqa: F811
    context = browser.new_context()
    page = context.new_page()
    requests, dialogs = [], []
    page.on("request", lambda r: requests.append(r.url))
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.goto(hostile_server + path)
    page.wait_for_load_state("networkidle")
    if path == "datasets/old-tiny/":
        page.wait_for_url("**/datasets/tiny/")
    links = page.locator("a").evaluate_all("els => els.map(e => e.getAttribute('href') || '')")
    pwned = page.evaluate("() => window.__pwned")
    context.close()
    assert pwned is None and dialogs == []
    assert [u for u in requests if urlsplit(u).hostname != "127.0.0.1"] == []
    assert not [
        h
        for h in links
        if h.replace("\t", "").replace("\n", "").strip().lower().startswith(("javascript:", "data:", "vbscript:"))
    ]


def test_the_payloads_are_there_to_read_as_text(browser, hostile_server):  # noqa: F811
    context = browser.new_context()
    page = context.new_page()
    page.goto(hostile_server + "datasets/tiny/")
    assert page.title().startswith("测试</title><script>")
    body = page.locator("article").inner_text()
    for payload in [
        "<img src=x onerror=\"window.__pwned='img'\">",
        "[x](javascript:window.__pwned='md')",
        "{{ 7*7 }}{% raw %}",
    ]:
        assert payload in body
    context.close()
