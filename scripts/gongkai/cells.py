"""Facts about cell text that validation reports and pages show: one definition for both."""

from __future__ import annotations

TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "＝", "＋", "－", "＠")
NUMERIC = ("integer", "number")


def formula_like(table_fields: list[dict], rows: list[list[str]]) -> dict[str, tuple[int, int]]:
    """field name -> (count, index of the first row) of text cells a spreadsheet would evaluate."""
    found: dict[str, tuple[int, int]] = {}
    for col, field in enumerate(table_fields):
        name = field.get("name")
        if field.get("type", "string") in NUMERIC or not isinstance(name, str):
            continue  # -5 and +86 are numbers there, typed as numbers in every download
        for i, row in enumerate(rows):
            if col < len(row) and row[col].startswith(TRIGGERS):
                count, first = found.get(name, (0, i))
                found[name] = (count + 1, first)
    return found
