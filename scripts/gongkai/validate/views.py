"""Views (charts) declared in datapackage.json: they must name one of the dataset's resources,
must not bring data or links of their own (the build supplies the resource's rows), and may
use only what a portal's static charts need (an allow-list), within gongkai.yml's limits.

The allow-list, not a deny-list, because Vega-Lite grows: a key we have not read is refused
until someone has. What it keeps out, and why:
- data, datasets, url, href, image marks, the href and url channels, `url(` in any string:
  other data than the resource's, and references the reader's browser would fetch or follow;
- params (selections, bindings), expr, style, usermeta: interaction that a static SVG does not
  have, and ways around the checks of a literal value;
- data generators and transforms that make rows (sequence, impute, density, lookup, ...),
  an exact bin step, a tick count as an interval, and counts or sizes beyond the limits:
  each can make the renderer draw without end (a sequence of 10^8 rows, 10^8 ticks);
- in expressions, only functions that compute a value from a row (no sequence(), pad(),
  random(), now() or data lookups): the rest can build huge arrays or strings, or change
  the drawing from one build to the next;
- font names outside a plain character set: vl-convert measures text by writing the font
  into SVG of its own unescaped, and panics (aborting the process) on `<` or `&`.
The renderer's process limits (charts.py) bound what this list lets through anyway.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterator
from typing import Protocol, TypeGuard

from ..core.config import Limits
from ..core.jsonlines import line_of, pointer
from ..core.problems import Problem
from ..read.load import DESCRIPTOR, Dataset
from .viewkeys import (
    ALLOWED_KEYS,
    BIN_KEYS,
    CHANNELS,
    COLOR_CHANNELS,
    COUNT_KEYS,
    EXPRESSION_KEYS,
    EXTERNAL,
    FUNCTIONS,
    MARKS,
    REFUSED_TRANSFORMS,
    SIZE_KEYS,
    TRANSFORMS,
)

FONT_TEXT = re.compile(r"[\w ,.'\"\-]*")  # letters of any script, digits, spaces, commas, dots, quotes, hyphens
URL_CALL = re.compile(r"url\s*\(", re.I)
STRING_LITERAL = re.compile(r"'(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\"", re.S)
CALL = re.compile(r"([A-Za-z_$][\w$]*)\s*\(")
MAX_DEPTH = 40
GUIDE = "docs/guide/maintainers.md, 图表"


def check_views(ds: Dataset, lines: dict[str, int], limits: Limits | None = None) -> Iterator[Problem]:
    """limits defaults to gongkai.yml's defaults (config.Limits)."""
    views = ds.loaded.get("views")
    if not isinstance(views, list):
        return
    resources = {r.get("name") for r in ds.resources}
    names = [v.get("name") for v in views if isinstance(v, dict)]
    for i, view in enumerate(views):
        if not isinstance(view, dict):
            continue  # the profile reports the shape

        def problem(message: str, parts: list, code: str = "invalid-view", i: int = i, **facts) -> Problem:
            ptr = pointer(["views", i, *parts])
            return Problem(
                code, message, ds.file(DESCRIPTOR), line=line_of(lines, ptr), field=ptr, dataset=ds.name, params=facts
            )

        named = view.get("resources")
        if isinstance(named, list) and (len(named) != 1 or named[0] not in resources):
            yield problem(
                (
                    "a view draws exactly one resource of this dataset "
                    f"({', '.join(sorted(map(str, resources)))}), got {named}"
                ),
                ["resources"],
                rule="resources",
                allowed="、".join(sorted(map(str, resources))),
                value=json.dumps(named, ensure_ascii=False),
            )
        if names.count(view.get("name")) > 1:
            yield problem(f'two views are named "{view.get("name")}"', ["name"], rule="twice", name=view.get("name"))
        if view.get("name") in resources:
            message = f'a view cannot share its name with resource "{view.get("name")}"'
            yield problem(message, ["name"], rule="resource_name", name=view.get("name"))
        spec = view.get("spec")
        if isinstance(spec, dict):
            for parts, code, message, facts in spec_problems(spec, limits or _DEFAULTS):
                yield problem(message, ["spec", *parts], code, **facts)


class ViewLimits(Protocol):
    """The limits a spec is held to: config.Limits, or _Defaults for a caller without settings."""

    @property
    def max_view_bytes(self) -> int: ...
    @property
    def max_view_pixels(self) -> int: ...
    @property
    def max_view_steps(self) -> int: ...


class _Defaults:  # gongkai.yml's defaults, for a caller without settings
    max_view_bytes = Limits.max_view_bytes
    max_view_pixels = Limits.max_view_pixels
    max_view_steps = Limits.max_view_steps


_DEFAULTS = _Defaults()


def spec_problems(spec: dict, limits: ViewLimits) -> Iterator[tuple[list, str, str, dict]]:
    """(path inside the spec, code, message, facts) for everything in a Vega-Lite spec that is not on
    the allow-list or is beyond a limit."""
    size = len(json.dumps(spec, ensure_ascii=False, separators=(",", ":")).encode("utf-8"))
    if size > limits.max_view_bytes:
        yield (
            [],
            "view-too-large",
            (
                f"the spec is {size} bytes as JSON, more than "
                f"limits.max_view_bytes ({limits.max_view_bytes}) in gongkai.yml"
            ),
            {"rule": "bytes", "size": size, "limit": limits.max_view_bytes},
        )
        return
    yield from _walk(spec, [], None, None, limits)


def _walk(
    node, parts: list, key: str | None, channel: str | None, limits: ViewLimits
) -> Iterator[tuple[list, str, str, dict]]:
    """Every problem in `node`, found under `key` (the nearest enclosing key) in the spec,
    inside encoding channel `channel` if any."""
    if len(parts) > MAX_DEPTH:
        yield parts, "invalid-view", f"the spec is nested more than {MAX_DEPTH} levels deep", {"rule": "depth"}
        return
    if isinstance(node, list):
        for i, item in enumerate(node):
            if key == "transform":
                yield from _transform(item, [*parts, i], limits)
            else:
                yield from _walk(item, [*parts, i], key, channel, limits)
        return
    if isinstance(node, str):
        yield from _string(node, parts, key)
        return
    if not isinstance(node, dict):
        return
    for name, value in node.items():
        here = [*parts, name]
        if name in EXTERNAL:
            yield (
                here,
                "view-external",
                (
                    f'"{name}" is not allowed in a view: the chart is drawn from the resource\'s own rows, and never '
                    "from data or links in the spec"
                ),
                {"rule": "key", "name": name},
            )
            continue
        if key == "encoding" and name not in CHANNELS:
            yield (
                here,
                "view-not-allowed",
                f'the encoding channel "{name}" is not one a view may use ({", ".join(sorted(CHANNELS))})',
                {"rule": "channel", "name": name, "allowed": "、".join(sorted(CHANNELS))},
            )
            continue
        if key == "bin" and name not in BIN_KEYS:
            yield (
                here,
                "view-not-allowed",
                (
                    f'"bin" may set only {", ".join(sorted(BIN_KEYS))}; "{name}" is not allowed (an exact step can '
                    "make any number of bins: use maxbins)"
                ),
                {"rule": "bin", "name": name, "allowed": "、".join(sorted(BIN_KEYS))},
            )
            continue
        if name not in ALLOWED_KEYS:
            message = f'"{name}" is not on the list of what a view may use ({GUIDE})'
            yield here, "view-not-allowed", message, {"rule": "key", "name": name}
            continue
        problem = _value_problem(name, value, key, channel, limits)
        if problem:
            yield here, *problem
            continue
        yield from _walk(value, here, name, name if key == "encoding" else channel, limits)


def _value_problem(
    name: str, value, parent: str | None, channel: str | None, limits: ViewLimits
) -> tuple[str, str, dict] | None:
    """(code, message, facts) when the value of `name` is refused on its own, or None to look inside it."""
    if name == "mark" and parent not in ("config",):
        kind = value.get("type") if isinstance(value, dict) else value
        if kind == "image":
            return (
                "view-external",
                'the "image" mark is not allowed: it shows pictures from URLs the reader\'s browser would fetch',
                {"rule": "image"},
            )
        if kind not in MARKS:
            return (
                "view-not-allowed",
                (
                    f"the mark {json.dumps(kind, ensure_ascii=False)} is not one a view may use "
                    f"({', '.join(sorted(MARKS))})"
                ),
                {"rule": "mark", "value": json.dumps(kind, ensure_ascii=False), "allowed": "、".join(sorted(MARKS))},
            )
    if name in SIZE_KEYS and parent not in ("encoding",) and channel is None:
        if isinstance(value, dict) and set(value) == {"band"} and parent != "view":
            return None  # a mark's width as a share of its band
        pixels = value.get("step") if isinstance(value, dict) and name in ("width", "height") else value
        if isinstance(value, dict) and name in ("width", "height") and set(value) != {"step"}:
            return (
                "view-not-allowed",
                f'"{name}" is a number of pixels or {{"step": pixels}}, got {json.dumps(value, ensure_ascii=False)}',
                {"rule": "size", "name": name, "value": json.dumps(value, ensure_ascii=False)},
            )
        if not _number(pixels):
            shown = json.dumps(pixels, ensure_ascii=False)
            return (
                "view-not-allowed",
                f'"{name}" is a number of pixels, got {shown}',
                {"rule": "pixels", "name": name, "value": shown},
            )
        if pixels > limits.max_view_pixels:
            return (
                "view-too-large",
                (
                    f'"{name}" is {pixels} pixels, more than limits.max_view_pixels '
                    f"({limits.max_view_pixels}) in gongkai.yml"
                ),
                {"rule": "pixels", "name": name, "value": pixels, "limit": limits.max_view_pixels},
            )
    if (
        name in COUNT_KEYS
        and value is not None
        and not isinstance(value, bool)
        and not (name == "nice" and isinstance(value, (str, dict)))
    ):
        if not _number(value):
            return (
                "view-not-allowed",
                (
                    f'"{name}" is a number here, got {json.dumps(value, ensure_ascii=False)} '
                    "(an interval can mean any number of ticks)"
                ),
                {"rule": "count", "name": name, "value": json.dumps(value, ensure_ascii=False)},
            )
        if value > limits.max_view_steps:
            return (
                "view-too-large",
                f'"{name}" is {value}, more than limits.max_view_steps ({limits.max_view_steps}) in gongkai.yml',
                {"rule": "steps", "name": name, "value": value, "limit": limits.max_view_steps},
            )
    if name == "steps" and isinstance(value, list) and len(value) > limits.max_view_steps:
        return (
            "view-too-large",
            (
                f'"steps" lists {len(value)} steps, more than '
                f"limits.max_view_steps ({limits.max_view_steps}) in gongkai.yml"
            ),
            {"rule": "steps", "name": "steps", "value": len(value), "limit": limits.max_view_steps},
        )
    if name == "param" and not _number(value):
        return (
            "view-not-allowed",
            (
                '"param" is allowed only as a window operation\'s number, got '
                f"{json.dumps(value, ensure_ascii=False)} (a static chart has no parameters)"
            ),
            {"rule": "param", "value": json.dumps(value, ensure_ascii=False)},
        )
    if name == "scale" and value is None and channel in COLOR_CHANNELS:
        return (
            "view-not-allowed",
            f'"scale": null is not allowed on the {channel} channel: it would paint with each cell\'s text as a colour',
            {"rule": "scale", "channel": channel},
        )
    if name == "range" and isinstance(value, dict) and channel in COLOR_CHANNELS:
        return (
            "view-not-allowed",
            (
                f"a range read from a field is not allowed on the {channel} "
                "channel: it would paint with each cell's text as a colour"
            ),
            {"rule": "range", "channel": channel},
        )
    return None


def _transform(item, parts: list, limits: ViewLimits) -> Iterator[tuple[list, str, str, dict]]:
    if not isinstance(item, dict):
        yield parts, "invalid-view", 'a transform is an object such as {"filter": ...}', {"rule": "transform"}
        return
    kind = next((k for k in [*TRANSFORMS, *REFUSED_TRANSFORMS] if k in item), None)
    allowed = {"allowed": "、".join(TRANSFORMS)}
    if kind is None:
        message = f"this transform is not one a view may use ({', '.join(TRANSFORMS)})"
        yield parts, "view-not-allowed", message, {"rule": "transform", **allowed}
        return
    if kind in REFUSED_TRANSFORMS:
        yield (
            [*parts, kind],
            "view-not-allowed",
            f'the "{kind}" transform is not one a view may use ({", ".join(TRANSFORMS)}): it can make rows of its own',
            {"rule": "rows", "name": kind, **allowed},
        )
        return
    yield from _walk(item, parts, None, None, limits)


def _string(text: str, parts: list, key: str | None) -> Iterator[tuple[list, str, str, dict]]:
    if URL_CALL.search(text):
        yield (
            parts,
            "view-external",
            (
                f"{json.dumps(text, ensure_ascii=False)}: url(...) is not "
                "allowed in a view (the reader's browser would fetch it)"
            ),
            {"rule": "url", "value": json.dumps(text, ensure_ascii=False)},
        )
        return
    if key and "font" in key.lower() and not FONT_TEXT.fullmatch(text):
        yield (
            parts,
            "view-not-allowed",
            (
                f'"{key}" may hold only letters, digits, spaces, commas, dots, quotes and hyphens, got '
                f"{json.dumps(text, ensure_ascii=False)}"
            ),
            {"rule": "font", "name": key, "value": json.dumps(text, ensure_ascii=False)},
        )
        return
    if key in EXPRESSION_KEYS:
        code = STRING_LITERAL.sub("''", text)
        for called in sorted({m.group(1) for m in CALL.finditer(code)} - FUNCTIONS):
            message = f'the expression function "{called}" is not one a view may use ({GUIDE})'
            yield parts, "view-not-allowed", message, {"rule": "function", "name": called}


def _number(value: object) -> TypeGuard[int | float]:  # a finite number; a bool is not one
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)
