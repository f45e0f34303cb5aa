"""Charts cannot hang, crash or reach out (issue 14: "denial of service" for views, "script
runs" and external references in SVG).

Hostile views are refused by `gongkai validate` with file, line and JSON pointer (the
allow-list, validate/views.py). What the list might let through is bounded by the drawing
process (charts.py: a time and a memory limit, a panic or V8 out of memory in a child), and
every SVG drawn is read by svgcheck before it is published; those two backstops are driven
directly with specs the allow-list would refuse, since no spec through the CLI reaches them.
"""

from __future__ import annotations

import copy
import json
import re
import time
from decimal import Decimal
from pathlib import Path

import pytest
from conftest import ROOT, gongkai
from gongkai.core.config import Limits
from gongkai.core.jsonlines import line_of, value_lines
from gongkai.export import charts
from gongkai.export.svgcheck import svg_problems
from gongkai.read.load import discover
from gongkai.read.tables import read_tables
from gongkai.validate.views import spec_problems

DESCRIPTOR = "datasets/tiny/datapackage.json"
X = {"field": "code", "type": "nominal"}
Y = {"field": "amount", "type": "quantitative"}
XY = {"x": X, "y": Y}
LIMITS = Limits(
    max_csv_bytes=1, max_descriptor_bytes=1, preview_rows=1, max_listed_problems=1
)  # the view limits at their defaults

# (spec, pointer inside the spec, code): each one view of the hostile descriptor
HOSTILE = [
    ({"mark": "bar", "encoding": XY, "width": 10**8}, "/width", "view-too-large"),
    ({"mark": "bar", "encoding": XY, "height": 10**8}, "/height", "view-too-large"),
    ({"mark": "bar", "encoding": XY, "width": {"step": 10**6}}, "/width", "view-too-large"),
    ({"mark": "bar", "encoding": XY, "width": "container"}, "/width", "view-not-allowed"),
    ({"data": {"sequence": {"start": 0, "stop": 10**8}}, "mark": "point"}, "/data", "view-external"),
    (
        {"mark": "bar", "layer": [{"data": {"url": "http://127.0.0.1:9/x.csv"}, "mark": "point"}]},
        "/layer/0/data",
        "view-external",
    ),
    ({"mark": "bar", "encoding": XY, "datasets": {"x": []}}, "/datasets", "view-external"),
    (
        {"mark": "tick", "encoding": {"x": {**Y, "axis": {"tickCount": 10**8}}}},
        "/encoding/x/axis/tickCount",
        "view-too-large",
    ),
    (
        {"mark": "tick", "encoding": {"x": {**Y, "axis": {"tickCount": {"interval": "millisecond", "step": 1}}}}},
        "/encoding/x/axis/tickCount",
        "view-not-allowed",
    ),
    (
        {"mark": "bar", "encoding": {"x": {**Y, "bin": {"maxbins": 10**8}}, "y": {"aggregate": "count"}}},
        "/encoding/x/bin/maxbins",
        "view-too-large",
    ),
    (
        {"mark": "bar", "encoding": {"x": {**Y, "bin": {"step": 1e-9}}, "y": {"aggregate": "count"}}},
        "/encoding/x/bin/step",
        "view-not-allowed",
    ),
    (
        {"mark": "bar", "encoding": XY, "transform": [{"bin": {"maxbins": 10**8}, "field": "amount", "as": "b"}]},
        "/transform/0/bin/maxbins",
        "view-too-large",
    ),
    ({"mark": {"type": "text", "font": "a<b", "text": "x"}, "encoding": XY}, "/mark/font", "view-not-allowed"),
    ({"mark": "bar", "encoding": XY, "config": {"font": "x&y"}}, "/config/font", "view-not-allowed"),
    (
        {"mark": "bar", "encoding": {"x": {**X, "axis": {"labelFontWeight": "<b"}}, "y": Y}},
        "/encoding/x/axis/labelFontWeight",
        "view-not-allowed",
    ),
    ({"mark": {"type": "bar", "fill": "url(http://127.0.0.1:9/p)"}, "encoding": XY}, "/mark/fill", "view-external"),
    (
        {"mark": "bar", "encoding": {**XY, "color": {"value": "URL( 'http://127.0.0.1:9/p' )"}}},
        "/encoding/color/value",
        "view-external",
    ),
    ({"mark": {"type": "bar", "href": "javascript:alert(1)"}, "encoding": XY}, "/mark/href", "view-external"),
    ({"mark": "bar", "encoding": {**XY, "href": {"value": "http://127.0.0.1:9/"}}}, "/encoding/href", "view-external"),
    ({"mark": "image", "encoding": {**XY, "url": {"field": "name"}}}, "/mark", "view-external"),
    ({"mark": "geoshape", "encoding": XY}, "/mark", "view-not-allowed"),
    (
        {"mark": "bar", "encoding": {**XY, "description": {"field": "name"}}},
        "/encoding/description",
        "view-not-allowed",
    ),
    (
        {"mark": "bar", "encoding": {**XY, "color": {"field": "name", "scale": None}}},
        "/encoding/color/scale",
        "view-not-allowed",
    ),
    (
        {"mark": "bar", "encoding": {**XY, "fill": {"field": "code", "scale": {"range": {"field": "name"}}}}},
        "/encoding/fill/scale/range",
        "view-not-allowed",
    ),
    (
        {"mark": "bar", "encoding": XY, "transform": [{"calculate": "sequence(0, 1e8)", "as": "s"}]},
        "/transform/0/calculate",
        "view-not-allowed",
    ),
    (
        {"mark": "bar", "encoding": XY, "transform": [{"calculate": "pad(datum.name, 1e9, 'x')", "as": "s"}]},
        "/transform/0/calculate",
        "view-not-allowed",
    ),
    (
        {"mark": "bar", "encoding": XY, "transform": [{"filter": "random() < 0.5"}]},
        "/transform/0/filter",
        "view-not-allowed",
    ),
    (
        {
            "mark": "bar",
            "encoding": XY,
            "transform": [{"impute": "amount", "key": "code", "keyvals": {"start": 0, "stop": 10**8}}],
        },
        "/transform/0/impute",
        "view-not-allowed",
    ),
    (
        {"mark": "bar", "encoding": XY, "transform": [{"density": "amount", "steps": 10**8}]},
        "/transform/0/density",
        "view-not-allowed",
    ),
    (
        {"mark": "bar", "encoding": XY, "params": [{"name": "p", "bind": {"input": "range"}}]},
        "/params",
        "view-not-allowed",
    ),
    (
        {"mark": {"type": "text", "text": "x", "font": {"expr": "'a<' + 'b'"}}, "encoding": XY},
        "/mark/font/expr",
        "view-not-allowed",
    ),
    (
        {"mark": {"type": "bar", "cursor": "url(http://127.0.0.1:9/c), auto"}, "encoding": XY},
        "/mark/cursor",
        "view-not-allowed",
    ),
    ({"mark": "bar", "encoding": XY, "usermeta": {"embedOptions": {}}}, "/usermeta", "view-not-allowed"),
    ({"mark": "bar", "encoding": XY, "config": {"style": {"s": {"fill": "red"}}}}, "/config/style", "view-not-allowed"),
    ({"mark": "bar", "encoding": XY, "description": "很长" * 20000}, "", "view-too-large"),
]


def _view(i: int, spec: dict) -> dict:
    return {
        "name": f"v{i}",
        "title": "测试图表",
        "description": "条形图：每行的金额（测试用）。",
        "resources": ["items"],
        "specType": "vega-lite",
        "spec": spec,
    }


def _with_views(repo: Path, specs: list[dict]) -> str:
    path = repo / DESCRIPTOR
    desc = json.loads(path.read_text(encoding="utf-8"))
    desc["views"] = [_view(i, spec) for i, spec in enumerate(specs)]
    text = json.dumps(desc, ensure_ascii=False, indent=2)
    path.write_text(text, encoding="utf-8")
    return text


def _set_limit(repo: Path, name: str, value: int) -> None:
    path = repo / "gongkai.yml"
    text, n = re.subn(rf"(?m)^(  {name}:) *\d+", rf"\g<1> {value}", path.read_text(encoding="utf-8"))
    assert n == 1
    path.write_text(text, encoding="utf-8")


def test_each_hostile_view_is_refused_with_its_line_and_pointer_and_the_valid_ones_pass(repo_factory):
    repo = repo_factory(packages=["tiny"])
    valid = {
        "mark": "bar",
        "encoding": {**XY, "tooltip": [{"field": "name"}]},
        "transform": [{"filter": "datum.amount > 0"}],
        "width": 360,
    }
    text = _with_views(repo, [spec for spec, _, _ in HOSTILE] + [valid])
    lines = value_lines(text)
    result = gongkai("validate", cwd=repo)
    assert result.returncode == 1 and "Traceback" not in result.stderr, result.stderr
    printed = [line for line in result.stdout.splitlines() if line.startswith(DESCRIPTOR)]
    for i, (_, inner, code) in enumerate(HOSTILE):
        ptr = f"/views/{i}/spec{inner}"
        expected = f"{DESCRIPTOR}:{line_of(lines, ptr)}: {ptr}: "
        assert any(line.startswith(expected) and line.endswith(f"[{code}]") for line in printed), (
            expected,
            code,
            printed,
        )
    assert not [line for line in printed if f"/views/{len(HOSTILE)}/" in line]  # the valid view
    assert len(printed) >= len(HOSTILE)


def test_the_datasets_views_are_on_the_allow_list():
    views = [
        v
        for p in sorted((ROOT / "datasets").glob("*/datapackage.json"))
        for v in json.loads(p.read_text(encoding="utf-8")).get("views", [])
    ]
    assert views and all(list(spec_problems(v["spec"], LIMITS)) == [] for v in views)


def test_the_view_limits_are_the_settings_ones(repo_factory):
    repo = repo_factory(packages=["tiny"])
    _with_views(repo, [{"mark": "bar", "encoding": XY, "width": 500}])
    assert gongkai("validate", cwd=repo).returncode == 0
    _set_limit(repo, "max_view_pixels", 400)
    result = gongkai("validate", cwd=repo)
    assert (
        result.returncode == 1
        and '/views/0/spec/width: "width" is 500 pixels, more than limits.max_view_pixels (400)' in result.stdout
    )


def test_a_chart_beyond_the_renderers_memory_fails_the_build_with_its_view_and_leaves_site_as_it_was(repo_factory):
    repo = repo_factory(packages=["tiny"])
    text = _with_views(repo, [{"mark": "bar", "encoding": XY}])
    _set_limit(
        repo, "view_megabytes", 200
    )  # below what V8 reserves to start: the child dies as a hostile chart would make it
    site = repo / "site"
    site.mkdir()
    (site / "index.html").write_bytes(b"<p>the published site</p>")
    result = gongkai("build", cwd=repo)
    assert result.returncode == 1 and "Traceback" not in result.stderr, result.stdout + result.stderr
    line = line_of(value_lines(text), "/views/0/spec")
    assert (
        f'{DESCRIPTOR}:{line}: /views/0/spec: chart "v0" needed more memory than limits.view_megabytes (200 MB)'
        in result.stdout
    )
    assert "[chart-failed]" in result.stdout
    assert [p.name for p in site.iterdir()] == ["index.html"] and (
        site / "index.html"
    ).read_bytes() == b"<p>the published site</p>"
    assert not list(repo.rglob("core*"))  # the abort left no core file


def _job(spec: dict, values: list[dict] | None = None) -> dict:
    spec = copy.deepcopy(spec)
    spec["data"] = {"values": values or [{"code": "a", "amount": 1}]}
    return {"vl_spec": spec, "config": charts.CONFIG}


def test_a_panic_in_the_renderer_fails_only_its_chart_and_the_others_are_drawn():
    ok = _job({"mark": "bar", "encoding": XY})
    panic = _job(
        {"mark": {"type": "text", "font": "a<b", "text": "x"}, "encoding": XY}
    )  # vl-convert aborts its process on this
    broken = _job({"mark": "bar", "encoding": {"x": {"field": "code", "type": "nominal", "axis": {"labelExpr": "(("}}}})
    outcomes = charts._draw([ok, panic, broken, ok], 60, 2048)
    assert outcomes[0][0].startswith(b"<svg") and outcomes[3][0] == outcomes[0][0]
    assert outcomes[1][0] is None and outcomes[1][1].startswith("crashed the chart renderer: Failed to parse text SVG")
    assert outcomes[2][0] is None and outcomes[2][1].startswith("could not be drawn: ValueError")


def test_a_chart_that_does_not_end_is_stopped_at_the_time_limit():
    endless = _job(
        {
            "data": {"sequence": {"start": 0, "stop": 10**8}},
            "mark": "point",
            "encoding": {"x": {"field": "data", "type": "quantitative"}},
        }
    )
    endless["vl_spec"]["data"] = {"sequence": {"start": 0, "stop": 10**8}}
    start = time.monotonic()
    outcomes = charts._draw([endless, _job({"mark": "bar", "encoding": XY})], 2, 2048)
    assert time.monotonic() - start < 10
    assert outcomes == [
        (None, "took longer than limits.view_seconds (2 s) in gongkai.yml to draw"),
        (None, "was not drawn: the dataset's charts took longer than limits.view_seconds (2 s) in gongkai.yml"),
    ]


def test_a_drawing_that_refers_outside_itself_is_not_published(repo_factory):
    # Paint read from the data: the allow-list refuses this spec, the SVG check refuses its drawing.
    repo = repo_factory(packages=["tiny"])
    _with_views(
        repo,
        [
            {
                "mark": "bar",
                "encoding": {
                    **XY,
                    "color": {"field": "code", "type": "nominal", "scale": {"range": {"field": "name"}}},
                },
            }
        ],
    )
    (repo / "datasets/tiny/data/items.csv").write_text(
        "code,name,amount,share,day\n000123,url(http://127.0.0.1:9/p),5,1.10,2019-05-15\n", encoding="utf-8"
    )
    ds = discover(repo / "datasets")[0]
    svgs, problems = charts.draw_charts(ds, read_tables(ds), LIMITS)
    assert svgs == {}
    [problem] = problems
    assert (problem.code, problem.file, problem.field) == ("chart-unsafe", DESCRIPTOR, "/views/0/spec")
    assert 'fill="url(http://127.0.0.1:9/p)": url(http://127.0.0.1:9/p) refers outside the document' in problem.message


@pytest.mark.parametrize(
    "value",
    [Decimal("Infinity"), Decimal("-Infinity"), Decimal("NaN"), Decimal("1e400"), float("nan"), float("inf"), 10**400],
)
def test_a_value_no_chart_can_draw_is_a_problem_of_its_field_not_a_traceback(value):
    class Table:
        name, path, fields = "items", "data/items.csv", [{"name": "code"}, {"name": "amount"}]

        def chunks(self):
            yield [], [["a", 1], ["b", value]]

    with pytest.raises(charts.Undrawable, match=r"^record 2, field amount: the value .* cannot be drawn") as raised:
        charts.records(Table())
    assert raised.value.field == "amount"


def test_numbers_a_chart_can_draw_reach_it_as_json_numbers():
    class Table:
        fields = [{"name": "n"}]

        def chunks(self):
            yield (
                [],
                [[Decimal("2")], [Decimal("1.5")], [10**30], [Decimal("12345678901234567890")], [Decimal("1e-400")]],
            )

    assert [r["n"] for r in charts.records(Table())] == [2, 1.5, 1e30, 1.2345678901234567e19, 0.0]


SVG = '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink">{}</svg>'
UNSAFE_SVG = [
    SVG.format('<rect fill="url(http://127.0.0.1:9/p)"/>'),
    SVG.format("<rect fill=\"URL( 'http://127.0.0.1:9/p' )\"/>"),
    SVG.format('<rect fill="\\75 rl(http://127.0.0.1:9/p)"/>'),  # a CSS escape hides url(
    SVG.format('<rect filter="url(other.svg#f)"/>'),
    SVG.format('<rect style="fill:url(//127.0.0.1:9/p)"/>'),
    SVG.format("<rect style=\"background:image-set('x.png' 1x)\"/>"),
    SVG.format('<a xlink:href="javascript:alert(1)"><rect/></a>'),
    SVG.format('<a href=" JavaScript:alert(1)"><rect/></a>'),
    SVG.format('<a href="http://127.0.0.1:9/"><rect/></a>'),
    SVG.format('<use href="data:image/svg+xml,&lt;svg/&gt;#x"/>'),
    SVG.format("<script>alert(1)</script>"),
    SVG.format('<script xlink:href="http://127.0.0.1:9/x.js"/>'),
    SVG.format('<foreignObject><div xmlns="http://www.w3.org/1999/xhtml">x</div></foreignObject>'),
    SVG.format('<image xlink:href="#x"/>'),
    SVG.format('<feImage href="http://127.0.0.1:9/p.png"/>'),
    SVG.format('<rect onclick="alert(1)"/>'),
    SVG.format('<rect xmlns:e="urn:x" e:onload="alert(1)"/>'),
    SVG.format('<a><animate attributeName="href" values="javascript:alert(1)"/></a>'),
    SVG.format('<set attributeName="onmouseover" to="alert(1)"/>'),
    SVG.format('<style>@import "http://127.0.0.1:9/a.css";</style>'),
    SVG.format("<style><![CDATA[rect{fill:url(http://127.0.0.1:9/p)}]]></style>"),
    SVG.format("<style>@\\69mport 'x.css';</style>"),
    SVG.format('<g xml:base="http://127.0.0.1:9/"><use href="#x"/></g>'),
    SVG.format('<iframe xmlns="http://www.w3.org/1999/xhtml" src="http://127.0.0.1:9/"/>'),
    '<?xml-stylesheet href="http://127.0.0.1:9/a.css"?>' + SVG.format(""),
    '<!DOCTYPE svg [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>'
    + SVG.format("<text>&b;</text>"),
    '<!DOCTYPE svg SYSTEM "http://127.0.0.1:9/svg.dtd">' + SVG.format(""),
    SVG.format("<text>&undefined;</text>"),
    '<html xmlns="http://www.w3.org/1999/xhtml"><script>alert(1)</script></html>',
    "<svg",
]


@pytest.mark.parametrize("svg", UNSAFE_SVG)
def test_an_svg_that_runs_script_or_refers_outside_itself_is_refused(svg):
    assert svg_problems(svg.encode("utf-8"))


def test_an_svg_that_stays_inside_itself_passes():
    inside = SVG.format(
        '<defs><clipPath id="c1"><rect/></clipPath><linearGradient id="g.1"/></defs>'
        '<g clip-path="url(#c1)" fill="url(\'#g.1\')"><a xlink:href="#c1">'
        '<text aria-label="see url(http://example.org) \\ here">a&lt;b</text></a></g>'
        "<style>rect { fill: url(#g.1) }</style>"
    )
    assert svg_problems(inside.encode("utf-8")) == []
    drawn = charts._draw([_job({"mark": "bar", "encoding": XY}, [{"code": "<&\"'", "amount": 1}])], 60, 2048)[0][0]
    assert drawn and svg_problems(drawn) == []


def test_a_character_no_svg_can_hold_is_drawn_as_a_replacement_and_never_aborts_the_renderer():
    class Table:
        fields = [{"name": "code"}, {"name": "amount"}]

        def chunks(self):
            yield [], [["a\x01b", 1], ["\ufffe", 2], ["\ud800", 3]]

    values = charts.records(Table())
    assert [v["code"] for v in values] == ["a\ufffdb", "\ufffd", "\ufffd"]
    [(svg, why)] = charts._draw(
        [_job({"mark": "text", "encoding": {**XY, "text": {"field": "code"}}}, values)], 60, 2048
    )
    assert why is None and svg_problems(svg) == [] and "a\ufffdb" in svg.decode("utf-8")


def test_infinity_in_a_chart_value_is_refused_with_its_line_and_the_build_does_not_crash(repo_factory):
    repo = repo_factory(packages=["tiny"])
    text = _with_views(
        repo,
        [
            {
                "mark": "bar",
                "width": float("inf"),
                "encoding": {"x": X, "y": {**Y, "scale": {"domain": [0, float("-inf")]}}},
            }
        ],
    )
    assert "Infinity" in text  # json.dumps writes the literal a hand-edited descriptor would hold
    lines = value_lines(text)
    result = gongkai("build", cwd=repo)
    assert result.returncode == 1 and "Traceback" not in result.stderr, result.stderr
    for ptr in ("/views/0/spec/width", "/views/0/spec/encoding/y/scale/domain/1"):
        assert f"{DESCRIPTOR}:{lines[ptr]}: {ptr}: " in result.stdout
    assert '/views/0/spec/width: "width" is a number of pixels, got Infinity [view-not-allowed]' in result.stdout
    assert not (repo / "site").exists()


def test_a_caller_that_skips_validation_gets_a_problem_for_infinity_in_a_spec_not_a_traceback(repo_factory):
    repo = repo_factory(packages=["tiny"])
    _with_views(repo, [{"mark": "bar", "encoding": {"x": X, "y": {**Y, "scale": {"domain": [0, float("nan")]}}}}])
    ds = discover(repo / "datasets")[0]
    svgs, [problem] = charts.draw_charts(ds, read_tables(ds), LIMITS)
    assert (
        svgs == {}
        and (problem.code, problem.field) == ("chart-failed", "/views/0/spec")
        and "NaN or Infinity" in problem.message
    )


@pytest.mark.parametrize(
    "spec, message",
    [
        (
            {"mark": "bar", "encoding": XY, "padding": 1e9},
            'chart "v0" is 2e+09×2e+09 pixels, more than limits.max_view_pixels (4000)',
        ),
        (
            {"mark": {"type": "bar", "strokeWidth": 1e300, "stroke": "red"}, "encoding": XY},
            'chart "v0" is 2e+300×2e+300 pixels, more than',
        ),
    ],
)
def test_a_drawing_larger_than_the_pixel_limit_is_not_published(repo_factory, spec, message):
    # Sizes the spec does not state (padding, a stroke) still make the drawing huge: its own size is checked too.
    repo = repo_factory(packages=["tiny"])
    _with_views(repo, [spec])
    ds = discover(repo / "datasets")[0]
    svgs, [problem] = charts.draw_charts(ds, read_tables(ds), LIMITS)
    assert svgs == {} and problem.code == "view-too-large" and message in problem.message
