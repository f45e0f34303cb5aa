"""A field's `pattern` constraint is code the validators run on every cell: it must compile, and
it may not be a pattern whose matching time explodes (catastrophic backtracking).

frictionless matches patterns with Python's `re`, which backtracks: `^(([a-z])+)+$` against
34 letters and a hyphen takes longer than anyone waits, and the time doubles with each letter.
An unbounded repeat whose body is itself a repeat is the shape that does it, so it is refused (write the
pattern without nesting: `^[a-z]+$`). A pattern `re` cannot compile is refused with its error.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # typeshed describes re's parser under its deprecated alias names only
    import sre_constants
    import sre_parse
else:  # the same modules, without the aliases' DeprecationWarning (Python 3.11+)
    from re import _constants as sre_constants
    from re import _parser as sre_parse

from ..core.jsonlines import line_of, pointer
from ..core.problems import Problem
from ..read.load import DESCRIPTOR, Dataset, fields_of

_REPEATS = {sre_constants.MAX_REPEAT, sre_constants.MIN_REPEAT} | (
    {sre_constants.POSSESSIVE_REPEAT} if hasattr(sre_constants, "POSSESSIVE_REPEAT") else set()
)


def check_patterns(ds: Dataset, lines: dict[str, int]) -> Iterator[Problem]:
    for i, res in enumerate(ds.resources):
        for j, field in enumerate(fields_of(res)):
            constraints = field.get("constraints") if isinstance(field, dict) else None
            pattern = constraints.get("pattern") if isinstance(constraints, dict) else None
            if not isinstance(pattern, str):
                continue
            refused = _refusal(pattern)
            if refused:
                ptr = pointer(["resources", i, "schema", "fields", j, "constraints", "pattern"])
                why, facts = refused
                yield Problem(
                    "unsafe-pattern",
                    why,
                    ds.file(DESCRIPTOR),
                    line=line_of(lines, ptr),
                    field=ptr,
                    dataset=ds.name,
                    params=facts,
                )


def pattern_refusal(pattern: str) -> str | None:
    """Why a pattern may not be used, or None."""
    refused = _refusal(pattern)
    return refused[0] if refused else None


def _refusal(pattern: str) -> tuple[str, dict] | None:
    # why, in English, and the facts for the Chinese sentence (core/problemtext_zh.py)
    shown = pattern[:60]
    try:
        parsed = sre_parse.parse(pattern)
    except (re.error, RecursionError, OverflowError) as exc:
        why = f"the pattern {shown!r} is not a valid regular expression: {exc}"
        return why, {"rule": "invalid", "pattern": shown, "error": str(exc)}
    if _nested(parsed):
        why = (
            f"the pattern {shown!r} repeats a part that itself repeats; matching it can take practically "
            "forever: write it without the nesting"
        )
        return why, {"rule": "nested", "pattern": shown}
    return None


def _nested(parsed) -> bool:
    """Whether an unbounded repeat's body is itself essentially a repeat: ((a)+)+, (x|y+)+,
    (\\w+\\s?)+ — a body of one unbounded repeat and nothing that must match. Those split one
    string in exponentially many ways; (-[a-z]+)* does not (each round starts with its hyphen)."""
    for op, av in parsed:
        if op in _REPEATS:
            low, high, sub = av
            if (high == sre_constants.MAXREPEAT or high > 1) and _is_repeat(list(sub)):
                return True
            if _nested(sub):
                return True
        elif op == sre_constants.SUBPATTERN and _nested(av[-1]):
            return True
        elif op == sre_constants.BRANCH and any(_nested(branch) for branch in av[1]):
            return True
        elif op in (sre_constants.ASSERT, sre_constants.ASSERT_NOT) and _nested(av[1]):
            return True
    return False


def _is_repeat(items: list) -> bool:
    while len(items) == 1 and items[0][0] == sre_constants.SUBPATTERN:
        items = list(items[0][1][-1])
    if len(items) == 1 and items[0][0] == sre_constants.BRANCH:
        return any(_is_repeat(list(branch)) for branch in items[0][1][1])
    repeats = [
        item for item in items if item[0] in _REPEATS and (item[1][1] == sre_constants.MAXREPEAT or item[1][1] > 1)
    ]
    optional = [item for item in items if item[0] in _REPEATS and item[1][0] == 0 or item[0] == sre_constants.AT]
    return bool(repeats) and all(item in optional or item in repeats for item in items)
