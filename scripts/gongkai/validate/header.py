"""The header row must name the schema's fields exactly: "id " is not "id"."""

from __future__ import annotations

from collections.abc import Iterator

from ..core.problems import Problem
from ..read.csvtext import CsvText
from ..read.load import Dataset, fields_of


def check_header(ds: Dataset, resource: dict, table: CsvText) -> Iterator[Problem]:
    # frictionless compares labels after stripping spaces; the published CSV would not match.
    fields = [f.get("name") for f in fields_of(resource)]
    if not table.header and table.lines:
        # csv reads an empty first line as a record with no cells: the names would be read as data
        message = "the first line is empty; the header (the field names) must be the first line of the file"
        yield Problem("blank-header", message, ds.file(resource["path"]), line=1, dataset=ds.name)
        return
    for label, name in zip(table.header, fields, strict=False):
        if label != name and label.strip() == name:
            message = f'header "{label}" differs from the schema\'s "{name}" only by spaces; remove them'
            yield Problem(
                "label-whitespace",
                message,
                ds.file(resource["path"]),
                line=1,
                field=name,
                dataset=ds.name,
                params={"label": label, "name": name},
            )
