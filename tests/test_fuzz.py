"""Fuzzing the loader and validator: any bytes, any descriptor, and never a crash.

The invariant: validation returns a report whose every problem names its file (and line and
field where they apply); any other exception is a bug.
"""

from __future__ import annotations

import json
import re
import shutil

import pytest
from conftest import PACKAGES, ROOT, examples, make_repo
from gongkai.core.config import load_settings
from gongkai.read.load import read
from gongkai.validate.validator import validate_dataset
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

SETTINGS = load_settings(ROOT)
TINY = json.loads((PACKAGES / "tiny/datapackage.json").read_text(encoding="utf-8"))
HEADER = b"code,name,amount,share,day\n"

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4),
    max_leaves=12,
)


@pytest.fixture(scope="module")
def repo(tmp_path_factory):
    return make_repo(tmp_path_factory.mktemp("fuzz"), packages=["tiny"])


def _check(repo) -> None:
    ds = read(repo / "datasets/tiny", repo)
    problems = validate_dataset(ds, SETTINGS)
    for p in problems:
        assert p.file.startswith("datasets/tiny"), p
        assert p.code and p.message
        assert p.line is None or p.line >= 1


def _reset(repo) -> None:
    shutil.rmtree(repo / "datasets/tiny")
    shutil.copytree(PACKAGES / "tiny", repo / "datasets/tiny")


fuzz = settings(
    max_examples=examples(300),
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)


@fuzz
@given(body=st.binary(max_size=600))
def test_any_bytes_as_a_csv_give_a_report_not_a_crash(repo, body):
    _reset(repo)
    (repo / "datasets/tiny/data/items.csv").write_bytes(HEADER + body)
    _check(repo)


@fuzz
@given(rows=st.lists(st.lists(st.text(alphabet=st.characters(codec="utf-8"), max_size=12), max_size=7), max_size=6))
def test_any_text_table_gives_a_report_not_a_crash(repo, rows):
    import csv
    import io

    _reset(repo)
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows([["code", "name", "amount", "share", "day"], *rows])
    (repo / "datasets/tiny/data/items.csv").write_text(buf.getvalue(), encoding="utf-8")
    _check(repo)


def _pointers(node, path=()):
    yield path
    if isinstance(node, dict):
        for k, v in node.items():
            yield from _pointers(v, (*path, k))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield from _pointers(v, (*path, i))


POINTERS = [p for p in _pointers(TINY) if p]


@fuzz
@given(where=st.sampled_from(POINTERS), value=json_values, delete=st.booleans())
def test_any_descriptor_gives_a_report_not_a_crash(repo, where, value, delete):
    _reset(repo)
    desc = json.loads(json.dumps(TINY))
    node = desc
    for key in where[:-1]:
        node = node[key]
    if delete and isinstance(node, dict):
        del node[where[-1]]
    else:
        node[where[-1]] = value
    (repo / "datasets/tiny/datapackage.json").write_text(json.dumps(desc, ensure_ascii=False), encoding="utf-8")
    _check(repo)


@fuzz
@given(text=st.text(max_size=300))
def test_any_descriptor_text_gives_a_report_not_a_crash(repo, text):
    _reset(repo)
    (repo / "datasets/tiny/datapackage.json").write_text(text, encoding="utf-8")
    _check(repo)


# JSON a pull request may write by hand: deep nesting, NaN and infinities, numbers beyond a
# double or 2^53, lone surrogate escapes, broken structure. Each gives problems naming the
# descriptor (with a line), never a RecursionError or a UnicodeEncodeError.
JSON_PIECES = [
    "{",
    "}",
    "[",
    "]",
    '"a"',
    ":",
    ",",
    "1",
    "NaN",
    "-Infinity",
    "1e400",
    "1e-400",
    "12345678901234567890",
    '"\\ud800"',
    '"\\udc00x"',
]
JSON_PIECES += [
    '"\\ud83d\\ude00"',
    '"\\\\ud800"',
    "[" * 40,
    "]" * 40,
    '{"a":' * 40,
    "}" * 40,
    " ",
    "\n",
    "true",
    '"',
    "\\",
]
hostile_json = st.lists(st.sampled_from(JSON_PIECES), max_size=40).map("".join)
hostile_values = st.recursive(
    st.floats()
    | st.integers(-(10**30), 10**30)
    | st.text(st.characters(codec=None), max_size=6),  # floats with NaN and inf; text with surrogates
    lambda children: st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=4), children, max_size=3),
    max_leaves=40,
)


@fuzz
@given(text=hostile_json)
def test_hostile_json_text_gives_a_report_not_a_crash(repo, text):
    _reset(repo)
    (repo / "datasets/tiny/datapackage.json").write_text(text, encoding="utf-8")
    _check(repo)


@fuzz
@given(where=st.sampled_from(POINTERS), value=hostile_values, depth=st.integers(0, 40))
def test_hostile_descriptor_values_are_refused_where_no_json_reader_keeps_them(repo, where, value, depth):
    _reset(repo)
    desc = json.loads(json.dumps(TINY))
    node = desc
    for key in where[:-1]:
        node = node[key]
    for _ in range(depth):
        value = [value]
    node[where[-1]] = value
    text = json.dumps(desc, ensure_ascii=True)  # a lone surrogate as its \ud800 escape, NaN as NaN
    (repo / "datasets/tiny/datapackage.json").write_text(text, encoding="utf-8")
    _check(repo)
    codes = {p.code for p in validate_dataset(read(repo / "datasets/tiny", repo), SETTINGS)}
    if "NaN" in text or "Infinity" in text:
        assert "json-number" in codes or "json-too-deep" in codes or "json-surrogate" in codes
    if re.search("[\ud800-\udfff]", json.dumps(desc, ensure_ascii=False)) and not codes & {
        "json-too-deep",
        "json-number",
    }:  # a lone one
        assert "json-surrogate" in codes
