"""The listing pages a build keeps (render/memo.py): the same values give the kept page, any other
value renders it again, and a value that cannot be written out exactly is never guessed at."""

from __future__ import annotations

import threading
from dataclasses import replace

from gongkai.render.catalog import Summary
from gongkai.render.memo import Memo, using
from gongkai.render.templating import render
from markupsafe import Markup


def _summary(**meta) -> Summary:
    return Summary(name="tiny", meta={"title": "示例", **meta}, rows=3, downloads=[])


class _Counted:
    def __init__(self) -> None:
        self.calls = 0

    def __call__(self) -> str:
        self.calls += 1
        return f"page {self.calls}"


def _page(memo: Memo, values: dict, template: str = "t", lang: str = "zh") -> tuple[str, int]:
    made = _Counted()
    with using(memo):
        text = memo.page(template, lang, values, made)
    return text, made.calls


def test_the_same_values_give_the_kept_page_and_a_changed_one_renders_again():
    first = Memo({}, "code-1")
    values = {"rows": [(_summary(), {"topic": "财政"})], "count": 1, "title": Markup("<b>目录</b>")}
    assert _page(first, values) == ("page 1", 1)
    later = Memo(first.used, "code-1")
    equal = {**values, "rows": [(_summary(), {"topic": "财政"})]}  # equal values, not the same objects
    assert _page(later, equal) == ("page 1", 0)
    for changed in (
        {"rows": [(_summary(title="示例二"), {"topic": "财政"})]},  # deep in a dataset's metadata
        {"rows": [(replace(_summary(), rows=4), {"topic": "财政"})]},
        {"rows": [(_summary(), {"topic": "财政", "year": "2020"})]},
        {"count": 1.0},  # equal in Python, another value on a page
        {"title": "<b>目录</b>"},  # text, not markup: escaped on the page
    ):
        assert _page(Memo(first.used, "code-1"), {**values, **changed})[1] == 1, changed
    assert _page(Memo(first.used, "code-2"), values)[1] == 1  # other code or templates
    assert _page(Memo(first.used, "code-1"), values, lang="en")[1] == 1
    assert _page(Memo(first.used, "code-1"), values, template="u")[1] == 1


def test_only_the_pages_asked_for_are_kept():
    first = Memo({}, "c")
    _page(first, {"n": 1})
    _page(first, {"n": 2})
    later = Memo(first.used, "c")
    _page(later, {"n": 2})
    assert list(later.used.values()) == ["page 1"]  # n=1's page is not carried on


def test_a_value_that_cannot_be_written_out_is_rendered_every_time():
    limit = 5
    for odd in (lambda: limit, threading.Lock(), (x for x in ())):
        memo = Memo({}, "c")
        assert _page(memo, {"f": odd})[1] == 1
        assert _page(memo, {"f": odd})[1] == 1
        assert memo.unkeyed == 2 and memo.used == {}


def test_a_page_from_the_memo_is_the_page_the_template_gives():
    memo = Memo({}, "c")
    with using(memo):
        made = render("redirect.html.j2", target="../新/", title="旧页")
    with using(Memo(memo.used, "c")) as later:
        again = render("redirect.html.j2", target="../新/", title="旧页")
    assert again == made == render("redirect.html.j2", target="../新/", title="旧页")
    assert later.rendered == 0 and memo.rendered == 1
