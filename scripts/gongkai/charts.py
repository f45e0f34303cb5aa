"""Charts: the views a dataset declares (the Frictionless `views` convention with a Vega-Lite
spec), rendered at build time to static SVG with vl-convert.

The data behind a chart are always the dataset's own resource, typed by its schema and put
into the spec here: a spec never names data of its own, and vl-convert is not allowed to
fetch anything (allowed_base_urls=[]), so a chart cannot show other numbers than the page's
downloads, nor reach the network. Chinese labels are laid out with the Noto CJK fonts when
the machine has them (fonts-noto-cjk) and name common Chinese fonts for the reader's browser.
"""

from __future__ import annotations

import copy
import datetime as dt
import decimal
import re
from pathlib import Path

from .tables import Table

FONT = "Noto Sans CJK SC, Source Han Sans SC, PingFang SC, Microsoft YaHei, sans-serif"
FONT_DIRS = (Path("/usr/share/fonts/opentype/noto"), Path("/usr/share/fonts/truetype/noto"))
CONFIG = {
    "font": FONT,
    "background": "white",
    "view": {"stroke": None},
    "axis": {"labelFontSize": 12, "titleFontSize": 12, "labelLimit": 360},
    "title": {"fontSize": 14, "anchor": "start"},
    "bar": {"color": "#c62828"},
}
_fonts_registered = False


def render_view(view: dict, table: Table) -> bytes:
    """The view as SVG bytes, with the resource's rows as its data."""
    import vl_convert as vlc

    _register_fonts(vlc)
    spec = copy.deepcopy(view["spec"])
    spec.pop("$schema", None)
    spec["data"] = {"values": records(table)}
    spec.setdefault("title", view["title"])
    svg = vlc.vegalite_to_svg(spec, config=CONFIG, allowed_base_urls=[], format_locale="zh-CN", time_format_locale="zh-CN")
    return svg.encode("utf-8")


def svg_size(svg: bytes) -> tuple[int, int]:
    """The drawing's width and height in pixels, from its opening tag; (0, 0) if it gives none."""
    size = re.search(rb'<svg[^>]*? width="([0-9.]+)" height="([0-9.]+)"', svg[:1000])
    return (round(float(size.group(1))), round(float(size.group(2)))) if size else (0, 0)


def records(table: Table) -> list[dict]:
    """Every row as the schema types it, in values a chart can use (numbers as numbers)."""
    names = [f["name"] for f in table.fields]
    out = []
    for _raw, typed in table.chunks():
        out += [{n: _plain(v) for n, v in zip(names, row, strict=True)} for row in typed]
    return out


def _plain(value):
    if isinstance(value, decimal.Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, (dt.date, dt.datetime, dt.time)):
        return value.isoformat()
    return value


def _register_fonts(vlc) -> None:
    global _fonts_registered
    if not _fonts_registered:
        for folder in FONT_DIRS:
            if folder.is_dir():
                vlc.register_font_directory(str(folder))
        _fonts_registered = True
