"""Cells a spreadsheet would run as formulas: counted and shown, never altered.

The CSV stays byte for byte as reviewed and the XLSX types these cells as text, so nothing
runs in our downloads; the warning tells maintainers and readers who import the CSV elsewhere.
"""

from __future__ import annotations

from collections.abc import Iterator

from ..core.problems import Problem
from ..read.cells import formula_like
from ..read.csvtext import CsvText
from ..read.load import Dataset, fields_of


def check_formula_cells(ds: Dataset, resource: dict, table: CsvText) -> Iterator[Problem]:
    counts = formula_like(fields_of(resource), table.rows)
    yield from formula_problems(ds, resource, counts, lambda i: table.lines[i + 1])


def formula_problems(ds: Dataset, resource: dict, counts: dict[str, tuple[int, int]], line_of_row) -> Iterator[Problem]:
    """One warning per field: how many cells, and the line of the first."""
    for name, (count, first) in counts.items():
        message = (
            f"{count} cell(s) begin with = + - @, tab or CR (first on this line); they stay text in every download, "
            "but a spreadsheet importing the CSV may run them"
        )
        yield Problem(
            "formula-like",
            message,
            ds.file(resource["path"]),
            line=line_of_row(first),
            field=name,
            dataset=ds.name,
            severity="warning",
            params={"count": count},
        )
