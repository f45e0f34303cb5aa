"""Charts: the views a dataset declares (the Frictionless `views` convention with a Vega-Lite
spec), rendered at build time to static SVG with vl-convert.

The data behind a chart are always the dataset's own resource, typed by its schema and put
into the spec here: a spec never names data of its own (validate/views.py), and vl-convert is
not allowed to fetch anything (allowed_base_urls=[]), so a chart cannot show other numbers
than the page's downloads, nor reach the network. Chinese labels are laid out with the Noto
CJK fonts when the machine has them (fonts-noto-cjk) and name common Chinese fonts for the
reader's browser.

A dataset's charts are drawn in a process of their own (chartprocess.py) with a time and a
memory limit (gongkai.yml limits.view_seconds, view_megabytes): a spec that hangs V8, runs it
out of memory or makes vl-convert panic becomes a problem of that view, never a dead build.
Every SVG drawn is then read by svgcheck before it may be published.
"""

from __future__ import annotations

import copy
import datetime as dt
import decimal
import json
import math
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

from ..core.config import Limits
from ..core.jsonlines import line_of, pointer, value_lines
from ..core.problems import Problem
from ..read.load import DESCRIPTOR, Dataset
from ..read.tables import Table
from .svgcheck import svg_problems

FONT = "Noto Sans CJK SC, Source Han Sans SC, PingFang SC, Microsoft YaHei, sans-serif"
FONT_DIRS = (Path("/usr/share/fonts/opentype/noto"), Path("/usr/share/fonts/truetype/noto"))
CONFIG = {
    "font": FONT,
    "background": "white",
    "view": {"stroke": None},
    # Text at 12 pixels or more: on a phone the chart is shown at its own size (gongkai.css), so
    # no label is drawn below 11 pixels there.
    "axis": {"labelFontSize": 12, "titleFontSize": 12, "labelLimit": 360},
    "legend": {"labelFontSize": 12, "titleFontSize": 12},
    "header": {"labelFontSize": 12, "titleFontSize": 12},
    "text": {"fontSize": 12},
    "title": {"fontSize": 14, "anchor": "start"},
    "bar": {"color": "#c62828"},
}
CHILD = Path(__file__).with_name("chartprocess.py")
MAX_EXACT = 2**53  # integers beyond this reach a chart as the nearest float (a JSON reader's doubles)
NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")  # characters no SVG (XML 1.0) can hold


class Undrawable(ValueError):
    """A cell value a chart cannot draw (not finite, or beyond a double)."""

    def __init__(self, field: str, record: int, value):
        shown = str(value) if len(str(value)) <= 40 else str(value)[:39] + "…"
        super().__init__(
            f"record {record}, field {field}: the value {shown} cannot be "
            "drawn (a chart draws finite numbers within a double's range)"
        )
        self.field = field


def draw_charts(
    ds: Dataset, tables: list[Table], limits: Limits | None = None, rows: dict[str, ChartRows] | None = None
) -> tuple[dict[str, bytes], list[Problem]]:
    """Every view of the dataset as SVG bytes (view name -> SVG), and a problem for each view
    that could not be drawn, or whose drawing may not be published. limits defaults to
    gongkai.yml's defaults (config.Limits); rows: each drawn table's rows, when the caller
    has collected them (export), else each table is read here once."""
    views = ds.loaded.get("views") or []
    if not views:
        return {}, []
    seconds = limits.view_seconds if limits else Limits.view_seconds
    megabytes = limits.view_megabytes if limits else Limits.view_megabytes
    pixels = limits.max_view_pixels if limits else Limits.max_view_pixels
    lines = value_lines(ds.descriptor_text) if ds.descriptor_text else {}
    by_name = {t.name: t for t in tables}
    collected = dict(rows or {})
    problems: list[Problem] = []

    def problem(code: str, i: int, message: str, **facts) -> Problem:
        ptr = pointer(["views", i, "spec"])
        return Problem(
            code,
            f'chart "{views[i]["name"]}" {message}',
            ds.file(DESCRIPTOR),
            line=line_of(lines, ptr),
            field=ptr,
            dataset=ds.name,
            params={"name": views[i]["name"], **facts},
        )

    jobs: list[tuple[int, dict]] = []
    for i, view in enumerate(views):
        table = by_name[view["resources"][0]]
        try:
            json.dumps(view["spec"], allow_nan=False)
        except ValueError:  # validation refuses these (json-number); a caller that skipped it gets a problem too
            problems.append(problem("chart-failed", i, "holds NaN or Infinity, which no chart can draw", rule="nan"))
            continue
        try:
            if table.name not in collected:
                collected[table.name] = chart_rows(table)
            jobs.append((i, chart_job(view, collected[table.name].rows())))
        except Undrawable as exc:
            problems.append(
                Problem(
                    "chart-failed",
                    f'chart "{view["name"]}": {exc}',
                    ds.file(table.path),
                    field=exc.field,
                    dataset=ds.name,
                    params={"name": view["name"], "note": str(exc)},
                )
            )
    svgs: dict[str, bytes] = {}
    for (i, _job), outcome in zip(jobs, _draw([job for _, job in jobs], seconds, megabytes), strict=True):
        if outcome[0] is None:
            problems.append(problem("chart-failed", i, outcome[1], note=outcome[1]))
            continue
        svg = outcome[0]
        unsafe = svg_problems(svg)
        size = _dimensions(svg)
        if unsafe:
            problems.append(
                problem(
                    "chart-unsafe",
                    i,
                    "was drawn with references outside the drawing, so it is not published: " + "; ".join(unsafe[:3]),
                    note="; ".join(unsafe[:3]),
                )
            )
        elif size is None or max(size) > pixels:
            drawn = (
                f"is {size[0]:g}×{size[1]:g} pixels, more than"
                if size
                else "was drawn without a finite width and height, beyond"
            )
            message = f"{drawn} limits.max_view_pixels ({pixels}) in gongkai.yml"
            problems.append(
                problem(
                    "view-too-large",
                    i,
                    message,
                    rule="drawn",
                    size=f"{size[0]:g}×{size[1]:g}" if size else "",
                    limit=pixels,
                )
            )
        else:
            svgs[views[i]["name"]] = svg
    return svgs, problems


def chart_job(view: dict, values: list[dict]) -> dict:
    """What the drawing process needs for one view: its spec with the resource's rows as data."""
    spec = copy.deepcopy(view["spec"])
    spec.pop("$schema", None)
    spec["data"] = {"values": values}
    spec.setdefault("title", view["title"])
    return {"vl_spec": spec, "config": CONFIG, "format_locale": "zh-CN", "time_format_locale": "zh-CN"}


Drawn = tuple[bytes, None] | tuple[None, str]  # (SVG, None) or (None, why)


def _draw(charts: list[dict], seconds: int, megabytes: int) -> list[Drawn]:
    """(SVG, None) or (None, why) for each chart, in order, all within `seconds`.

    The charts go to one process; when it dies (out of memory, a panic) on one of them, that
    one fails and the rest go to a fresh process, so every broken view is named in one build.
    """
    outcomes: list[Drawn] = []
    deadline = time.monotonic() + seconds
    while len(outcomes) < len(charts):
        rest = charts[len(outcomes) :]
        left = deadline - time.monotonic()
        if left <= 0:
            outcomes += [
                (
                    None,
                    (
                        "was not drawn: the dataset's charts took longer than "
                        f"limits.view_seconds ({seconds} s) in gongkai.yml"
                    ),
                )
            ] * len(rest)
            break
        drawn, ended = _run_child(rest, left, seconds, megabytes)
        outcomes += drawn
        if ended and len(outcomes) < len(charts):
            outcomes.append((None, ended))  # the chart it was drawing when it ended
    return outcomes


def _run_child(charts: list[dict], left: float, seconds: int, megabytes: int) -> tuple[list[Drawn], str | None]:
    """The outcomes the drawing process wrote before it ended, and why it ended early (or None)."""
    job = {
        "megabytes": megabytes,
        "seconds": math.ceil(left),
        "fonts": [str(d) for d in FONT_DIRS if d.is_dir()],
        "charts": charts,
    }
    # ASCII JSON: a lone surrogate in a title reaches the child as an escape, and fails there
    data = json.dumps(job, allow_nan=False).encode("ascii")
    try:
        proc = subprocess.Popen(
            [sys.executable, "-I", str(CHILD)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE
        )
    except OSError as exc:
        return [], f"could not be drawn: the chart renderer did not start ({exc})"
    try:
        out, err = proc.communicate(data, timeout=left)
        timed_out = False
    except subprocess.TimeoutExpired:
        proc.kill()
        out, err = proc.communicate()
        timed_out = True
    drawn: list[Drawn] = []
    for line in out.split(b"\n")[:-1]:  # a line cut off by the kill has no newline
        try:
            result = json.loads(line)
        except ValueError:
            break  # not the child's own line: it ended in a way _why_ended tells
        drawn.append(
            (result["svg"].encode("utf-8"), None)
            if "svg" in result
            else (None, f"could not be drawn: {_shown(result['error'])}")
        )
    if len(drawn) == len(charts):
        return drawn, None
    return drawn, _why_ended(proc.returncode, err.decode("utf-8", "replace"), timed_out, seconds, megabytes)


def _why_ended(code: int, err: str, timed_out: bool, seconds: int, megabytes: int) -> str:
    if timed_out or code == -getattr(signal, "SIGXCPU", 24):
        return f"took longer than limits.view_seconds ({seconds} s) in gongkai.yml to draw"
    if re.search(r"out of memory|MemoryError|memory allocation of \d+ bytes failed", err, re.I):
        return f"needed more memory than limits.view_megabytes ({megabytes} MB) in gongkai.yml to draw"
    # vl-convert's panic names its cause on the line after "panicked at"
    lines = [line.strip() for line in err.splitlines() if line.strip()]
    after = [lines[i + 1] for i, line in enumerate(lines[:-1]) if "panicked at" in line]
    cause = after[0] if after else (lines[-1] if lines else f"exit status {code}")
    return f"crashed the chart renderer: {_shown(cause)}"


def _shown(text: str, limit: int = 300) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def svg_size(svg: bytes) -> tuple[int, int]:
    """The drawing's width and height in pixels, from its opening tag; (0, 0) if it gives none."""
    size = _dimensions(svg)
    return (round(size[0]), round(size[1])) if size else (0, 0)


def _dimensions(svg: bytes) -> tuple[float, float] | None:
    # Vega writes huge sizes in exponent form (width="2e+300") and may write Infinity or NaN
    size = re.search(rb'<svg[^>]*? width="([^"]*)" height="([^"]*)"', svg[:1000])
    try:
        width, height = (float(size.group(1)), float(size.group(2))) if size else (math.nan, math.nan)
    except ValueError:
        return None
    return (width, height) if math.isfinite(width) and math.isfinite(height) else None


class ChartRows:
    """Every row of a table as the schema types it, in values a chart can use (numbers as
    numbers), collected a chunk at a time (add) from the pass that also writes the downloads.
    rows() raises Undrawable for a number no chart can draw (NaN, an infinity, beyond a double)."""

    def __init__(self, fields: list[dict]):
        self.names = [f["name"] for f in fields]
        self.collected: list[dict] = []
        self.failed: Undrawable | None = None

    def add(self, _raw: list[list[str]], typed: list[list]) -> None:
        for row in typed if self.failed is None else ():
            try:
                self.collected.append({n: _plain(v) for n, v in zip(self.names, row, strict=True)})
            except (OverflowError, ValueError):
                bad = next(i for i, v in enumerate(row) if not _drawable(v))
                self.failed = Undrawable(self.names[bad], len(self.collected) + 1, row[bad])
                return

    def rows(self) -> list[dict]:
        if self.failed is not None:
            raise self.failed
        return self.collected


def chart_rows(table: Table) -> ChartRows:
    """The table's ChartRows, read on its own."""
    found = ChartRows(table.fields)
    for chunk in table.chunks():
        found.add(*chunk)
    return found


def records(table: Table) -> list[dict]:
    return chart_rows(table).rows()


def _plain(value):
    if isinstance(value, str):
        # a character XML cannot hold would abort vl-convert and make the SVG unreadable; the
        # chart shows U+FFFD in its place (the downloads keep the cell as it is)
        return NOT_XML.sub("\ufffd", value)
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, decimal.Decimal):
        if value.is_finite() and value == value.to_integral_value() and abs(value) <= MAX_EXACT:
            return int(value)
        return _finite(float(value))
    if isinstance(value, int):
        return (
            value if abs(value) <= MAX_EXACT else _finite(float(value))
        )  # float() raises OverflowError beyond a double
    if isinstance(value, float):
        return _finite(value)
    if isinstance(value, (dt.date, dt.datetime, dt.time)):
        return value.isoformat()
    if isinstance(value, (list, tuple)):  # array, geopoint, yearmonth
        return [_plain(v) for v in value]
    if isinstance(value, dict):  # object, geojson
        return {str(k): _plain(v) for k, v in value.items()}
    return str(value)  # duration and any other type: as text, never a value JSON cannot hold


def _finite(number: float) -> float:
    if not math.isfinite(number):
        raise ValueError(number)
    return number


def _drawable(value) -> bool:
    try:
        _plain(value)
    except (OverflowError, ValueError):
        return False
    return True
