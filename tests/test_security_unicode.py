"""Random Unicode in every metadata field and in cells, through the whole build: each value is
either refused with a problem that names the file and the field, or published and read back
unchanged from the page's JSON-LD, catalog.json, the Atom feed, the JSON download and the
page's own text. Never a traceback, never a page that lost or changed a character.

Each example is one whole build (a few seconds), so there are few of them; the strings are
drawn from every plane, with the characters that broke the site before weighted in: C0 and
C1 controls, U+0085, U+2028, U+2029, noncharacters, format characters and lone surrogates.
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET

from conftest import examples, gongkai, make_repo
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from selectolax.lexbor import LexborHTMLParser

TRICKY = (
    "\x00\x01\x1f\x7f\x80\x85\x9f\u00ad\u200b\u200d\u2028\u2029\u202e\u2066\ufeff\ufdd0\ufffe\uffff\U0001fffe"
    "\U000e0041\ud800\udfff<>&\"'{}|*_[]()#`\\"
)
TEXT = st.text(
    st.one_of(st.characters(codec=None, exclude_categories=()), st.sampled_from(TRICKY)), min_size=1, max_size=12
)
# What validation lets through (C0 controls, DEL, bidi controls, U+FFFE, U+FFFF and lone surrogates are refused
# everywhere): these must all be published, character for character.
REFUSED = (
    set("\x00\x01\x1f\x7f\u202e\u2066\ud800\udfff")
    | {chr(c) for c in range(0x20)}
    | set("\u202a\u202b\u202c\u202d\u2067\u2068\u2069")
)
KEPT = st.text(
    st.one_of(st.characters(codec=None, exclude_categories=("Cs",)), st.sampled_from(TRICKY)).filter(
        lambda c: c not in REFUSED
    ),
    min_size=1,
    max_size=12,
)
KEYS = ("title", "description", "keyword", "source", "resource", "field", "cell")
LINE = re.compile(r"^(datasets/tiny/[^:]+|gongkai\.yml)(:\d+)?: ")


def _fill(repo, values: dict) -> None:
    path = repo / "datasets/tiny/datapackage.json"
    desc = json.loads(path.read_text(encoding="utf-8"))
    desc["title"] = "测试" + values["title"]
    desc["description"] = "用于测试的小数据集，只有几行。" + values["description"]
    desc["keywords"] = ["测试" + values["keyword"]]
    desc["sources"][0]["title"] = "来源" + values["source"]
    res = desc["resources"][0]
    res["title"] = "事项" + values["resource"]
    res["schema"]["fields"][1]["title"] = "名称" + values["field"]
    # ensure_ascii: a lone surrogate goes in as JSON writes it (\ud800), as a PR could write it
    path.write_text(json.dumps(desc, ensure_ascii=True, indent=2), encoding="utf-8")
    csv = repo / "datasets/tiny/data/items.csv"
    cell = values["cell"].replace('"', '""')
    data = csv.read_text(encoding="utf-8") + f'888888,"{cell}",1,1,2019-01-01\n'
    csv.write_bytes(data.encode("utf-8", "surrogatepass"))


def _normal(text: str) -> str:
    return " ".join(text.split())


# No shrinking: each step of it is a whole build; the failing values are printed as drawn.
@settings(
    max_examples=examples(10),
    phases=[Phase.explicit, Phase.reuse, Phase.generate],
    suppress_health_check=list(HealthCheck),
)
@given(st.one_of(*(st.fixed_dictionaries({k: text for k in KEYS}) for text in (TEXT, KEPT))))
def test_random_unicode_is_refused_by_name_or_published_unchanged(tmp_path_factory, values):
    repo = make_repo(tmp_path_factory.mktemp("unicode"), ["tiny"])
    _fill(repo, values)
    result = gongkai("build", cwd=repo)
    assert "Traceback" not in result.stderr, result.stderr
    if result.returncode != 0:
        errors = [
            line
            for line in result.stdout.split("\n")
            if line.endswith("]") and "[" in line and ": warning: " not in line
        ]
        assert errors, result.stdout + result.stderr
        assert all(LINE.match(p) for p in errors), errors
        assert "site/ was left as it was" in result.stderr
        return
    site = repo / "site"
    desc = json.loads((repo / "datasets/tiny/datapackage.json").read_text(encoding="utf-8"))
    page = LexborHTMLParser((site / "datasets/tiny/index.html").read_text(encoding="utf-8"))
    ld = json.loads(page.css_first('script[type="application/ld+json"]').text())
    assert ld["name"] == desc["title"] and ld["description"] == desc["description"]
    catalog = json.loads((site / "catalog.json").read_text(encoding="utf-8"))
    entry = next(d for d in catalog["datasets"] if d["name"] == "tiny")
    assert entry["title"] == desc["title"] and entry["description"] == desc["description"]
    feed = ET.fromstring((site / "feed.xml").read_bytes())
    ns = {"a": "http://www.w3.org/2005/Atom"}
    assert feed.find("a:entry/a:summary", ns).text == desc["description"]
    assert feed.find("a:entry/a:title", ns).text.startswith(desc["title"])
    versions = ET.fromstring((site / "datasets/tiny/feed.xml").read_bytes())  # the feed of its versions
    assert versions.find("a:entry/a:title", ns).text.startswith(desc["title"])
    assert json.loads((site / "datasets/tiny/versions.json").read_text(encoding="utf-8"))["title"] == desc["title"]
    rows = json.loads((site / "datasets/tiny/items.json").read_text(encoding="utf-8"))
    assert rows[-1]["name"] == values["cell"]
    assert _normal(page.css_first("article h1").text()).startswith(_normal(desc["title"]))
    assert _normal(desc["description"]) in _normal(page.css_first("article .gk-lede").text())
