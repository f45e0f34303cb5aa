"""The sound vectorised test of a column's cells against their field, for the fast path (fast.py):
true only where frictionless would certainly read the value and find it within every
constraint. Everything else goes to frictionless's own cell reader.
"""

from __future__ import annotations

import math
import re
from decimal import Decimal

import pyarrow as pa
import pyarrow.compute as pc

from ..read.columns import DATE, INTEGER, NUMBER

NUMBER_TEXT = re.compile(NUMBER.strip("^$"))  # the canonical number shape, for exact decisions in Python


def passes(field: dict, col: pa.Array) -> pa.Array:
    """True where a non-missing value certainly reads and meets every constraint."""
    ftype = field.get("type", "string")
    c = field.get("constraints") or {}
    ok = pc.is_valid(col)  # all true: no cell is null here
    if ftype == "integer":
        ok = pc.match_substring_regex(col, INTEGER)
        numbers = pc.cast(pc.if_else(ok, col, "0"), pa.int64())
        for key, cmp in (("minimum", pc.greater_equal), ("maximum", pc.less_equal)):
            if key in c:
                ok = pc.and_(
                    ok,
                    cmp(numbers, int(c[key]))
                    if isinstance(c[key], int) and not isinstance(c[key], bool)
                    else pc.invert(pc.is_valid(col)),
                )
    elif ftype == "number":
        ok = pc.match_substring_regex(col, NUMBER)
        numbers = pc.cast(pc.if_else(ok, col, "0"), pa.float64())
        for key, cmp in (("minimum", pc.greater), ("maximum", pc.less)):
            if key in c:  # strictly inside by float is exactly inside; ties go to frictionless
                bound = c[key]
                ok = pc.and_(
                    ok,
                    cmp(numbers, float(bound))
                    if isinstance(bound, (int, float)) and not isinstance(bound, bool)
                    else pc.invert(pc.is_valid(col)),
                )
    elif ftype == "date":
        ok = pc.match_substring_regex(col, DATE)
        shaped = pc.unique(col.filter(ok))  # a column holds few distinct days: decide each once
        parsed = pc.strptime(shaped, format="%Y-%m-%d", unit="s", error_is_null=True)
        real = shaped.filter(pc.fill_null(pc.equal(pc.strftime(parsed, format="%Y-%m-%d"), shaped), False))
        ok = pc.and_(ok, pc.is_in(col, value_set=real))
        if "minimum" in c or "maximum" in c:
            ok = pc.invert(pc.is_valid(col))  # rare; frictionless decides
    elif ftype == "boolean":
        ok = pc.is_in(col, value_set=pa.array(["true", "True", "TRUE", "1", "false", "False", "FALSE", "0"]))
        if "enum" in c:
            ok = pc.invert(pc.is_valid(col))
    if ftype == "string":
        if "pattern" in c:
            ok = (
                pc.and_(ok, pc.match_substring_regex(col, f"^(?:{c['pattern']})$"))
                if _re2(c["pattern"])
                else pc.invert(pc.is_valid(col))
            )
        if "enum" in c:
            ok = pc.and_(ok, pc.is_in(col, value_set=pa.array([str(v) for v in c["enum"]], pa.string())))
        if "minLength" in c:
            ok = pc.and_(ok, pc.greater_equal(pc.utf8_length(col), c["minLength"]))
        if "maxLength" in c:
            ok = pc.and_(ok, pc.less_equal(pc.utf8_length(col), c["maxLength"]))
    elif any(k in c for k in ("pattern", "enum", "minLength", "maxLength")):
        ok = pc.invert(pc.is_valid(col))
    return pc.fill_null(ok, False)


def within_bounds(field: dict, value: str) -> bool:
    """True when a number cell that ties with a bound in floating point is, read exactly as
    frictionless reads it (Decimal, bounds through the same reader), inside its bounds.

    The float comparison above sends ties to be decided again; this decides the ones that pass
    without loading frictionless. False means only "not sure": frictionless then decides.
    """
    c = field.get("constraints") or {}
    if (
        field.get("type") != "number"
        or set(c) - {"required", "unique", "minimum", "maximum"}
        or not NUMBER_TEXT.fullmatch(value)
    ):
        return False
    bounds = [c[k] for k in ("minimum", "maximum") if k in c]
    if not all(isinstance(b, (int, float)) and not isinstance(b, bool) and math.isfinite(b) for b in bounds):
        return False
    number = Decimal(value)

    def exact(bound):  # frictionless reads a float bound as Decimal(str(bound)), an int as it is
        return Decimal(str(bound)) if isinstance(bound, float) else bound

    return ("minimum" not in c or number >= exact(c["minimum"])) and (
        "maximum" not in c or number <= exact(c["maximum"])
    )


def _re2(pattern: str) -> bool:
    try:
        pc.match_substring_regex(pa.array([""]), f"^(?:{pattern})$")
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        return False
    return True
