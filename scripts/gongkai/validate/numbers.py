"""Number cells no download can hold (NaN, infinities, 1e400) or would hold as another text
(1_020, full-width or other scripts' digits), refused on the row-by-row way.

The vectorised way refuses the same cells in validate/fast.py; both ask cells.number_refusal.
"""

from __future__ import annotations

from collections.abc import Iterator

from ..core.problems import Problem
from ..read.cells import number_refusal, number_refused_facts, number_refused_message, number_text_refusal
from ..read.columns import cell_reader
from ..read.csvtext import CsvText
from ..read.load import Dataset, fields_of, schema_of
from .fastcells import NUMBER_TEXT


def check_number_cells(ds: Dataset, resource: dict, table: CsvText) -> Iterator[Problem]:
    missing = schema_of(resource).get("missingValues", [""])
    missing = missing if isinstance(missing, list) else [""]
    for col, field in enumerate(fields_of(resource)):
        if field.get("type") not in ("number", "integer") or not isinstance(field.get("name"), str):
            continue
        cells = [(i, row[col]) for i, row in enumerate(table.rows) if col < len(row)]
        doubtful = {
            v for _, v in cells if v not in missing and not NUMBER_TEXT.fullmatch(v)
        }  # the canonical shape is always finite
        if not doubtful:
            continue
        reasons = _reasons(field, missing, doubtful)
        for i, value in cells:
            found = reasons.get(value)
            if found:
                code, reason = found
                yield Problem(
                    code,
                    number_refused_message(value, reason),
                    ds.file(resource["path"]),
                    line=table.lines[i + 1],
                    field=field["name"],
                    dataset=ds.name,
                    params=number_refused_facts(value, reason),
                )


def _reasons(field: dict, missing: list, values: set[str]) -> dict[str, tuple[str, str] | None]:
    """Each value as frictionless reads it (its field options included), then our decision."""
    try:
        reader = cell_reader(field, missing)
    except Exception:  # noqa: BLE001 - a malformed field is the metadata checks' to report
        return {}
    typed: dict[str, tuple[str, str] | None] = {}
    for value in values:
        cells, notes = reader.read_cells([value])
        if "type" in (notes[0] or {}):
            typed[value] = None  # not a number at all: frictionless's type-error says so
        elif field.get("type") == "number" and (refusal := number_refusal(cells[0])):
            typed[value] = ("number-not-finite", refusal)
        else:
            why = number_text_refusal(value, field)
            typed[value] = ("number-not-ascii", why) if why else None
    return typed
