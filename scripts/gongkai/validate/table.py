"""Frictionless, the reference validator: structure, types, constraints and keys of every row."""

from __future__ import annotations

import copy
import re
from collections.abc import Iterator

from ..core.problems import Problem
from ..read.csvtext import CsvText
from ..read.load import DESCRIPTOR, Dataset, fields_of, schema_of

# Dialect pinned for every resource: never sniffed.
DIALECT = {"delimiter": ",", "quoteChar": '"', "doubleQuote": True, "header": True}
LIMIT_ERRORS = 10**9  # check every row; the CLI caps the listing, never the count


def check_tables(ds: Dataset, tables: dict[str, CsvText]) -> Iterator[Problem]:
    """Run frictionless over the package; `tables` maps resource path -> strict parse."""
    descriptor = copy.deepcopy(ds.loaded)
    resources = descriptor.get("resources")
    for res in resources if isinstance(resources, list) else []:
        if isinstance(res, dict):
            res["dialect"] = dict(DIALECT)
            res["encoding"] = "utf-8"
            res["format"] = "csv"  # what the files are; another value is the profile's problem, not a reader to try
    from frictionless import (
        FrictionlessException,
        Package,
    )  # imported when needed: it loads every plugin, pandas included

    try:
        package = Package(descriptor, basepath=str(ds.root))
        report = package.validate(limit_errors=LIMIT_ERRORS)
    except FrictionlessException as exc:
        yield from _metadata(ds, exc.error, getattr(exc, "reasons", []))
        return
    except Exception as exc:  # noqa: BLE001 - a malformed descriptor can trip frictionless anywhere
        yield _unreadable(ds, exc)
        return
    for error in report.errors:
        yield from _metadata(ds, error, [])
    by_name = {r.get("name"): r for r in ds.resources}
    for task in report.tasks:
        res = by_name.get(task.name, {})
        path = res.get("path", "")
        types = {f.get("name"): f.get("type", "string") for f in fields_of(res)}
        key = schema_of(res).get("primaryKey")
        key = ",".join(key) if isinstance(key, list) else key
        table = tables.get(path)
        for error in task.errors:
            yield _row_problem(ds, path, table, types, key, error)


def check_metadata(ds: Dataset) -> list[Problem]:
    """What frictionless says about the descriptor alone, without reading a row."""
    from frictionless import FrictionlessException, Package

    try:
        Package(copy.deepcopy(ds.descriptor), basepath=str(ds.root))
    except FrictionlessException as exc:
        return list(_metadata(ds, exc.error, getattr(exc, "reasons", [])))
    except Exception as exc:  # noqa: BLE001 - as in check_tables
        return [_unreadable(ds, exc)]
    return []


def _unreadable(ds: Dataset, exc: Exception) -> Problem:
    # Fail closed: the package is not published, and the maintainer learns why.
    message = (
        f"frictionless could not read this package ({type(exc).__name__}); fix the problems listed for datapackage.json"
    )
    facts = {"rule": "unreadable", "exception": type(exc).__name__}
    return Problem("package-error", message, ds.file(DESCRIPTOR), dataset=ds.name, params=facts)


def _row_problem(ds: Dataset, path: str, table: CsvText | None, types: dict, key: str | None, error) -> Problem:
    row = getattr(error, "row_number", None)
    field = getattr(error, "field_name", None)
    if error.type == "foreign-key":
        field = ",".join(error.field_names)
    elif error.type == "primary-key":
        field = key
    line = table.line_of_row(row) if (table and row) else (1 if field and row is None else None)
    if error.type in ("incorrect-label", "duplicate-label", "blank-label", "missing-label", "extra-label"):
        line = 1
    message = _message(error, types.get(field, ""), table)
    return Problem(
        error.type,
        message,
        ds.file(path),
        line=line,
        field=field,
        dataset=ds.name,
        params=_facts(error, types, field, table),
    )


def _facts(error, types: dict, field: str | None, table: CsvText | None) -> dict:
    """The cell and what it broke, for messages in the reader's language (core/problemtext.py)."""
    cell = getattr(error, "cell", None)
    match error.type:
        case "type-error" | "constraint-error" | "unique-error":
            return {"value": cell or "", "type": types.get(field, ""), "note": getattr(error, "note", "") or ""}
        case "primary-key":
            cells = ",".join(str(c) for c in (getattr(error, "cells", None) or []))
            return primary_key_facts(_short(cells), _lines_for_positions(error.note or "", table))
        case "foreign-key":
            return {
                "value": ",".join(str(c) for c in error.field_cells),
                "target": error.reference_name or "",
                "fields": ",".join(error.reference_field_names),
            }
        case "extra-cell":
            return {"value": _short(str(cell))}
        case "incorrect-label":
            return {"label": error.label, "name": error.field_name}
        case "duplicate-label" | "blank-label" | "missing-label" | "extra-label":
            return {"label": getattr(error, "label", "") or "", "name": field or ""}
        case "hash-count" | "byte-count" | "field-count" | "row-count":
            found = re.search(r'expected is "([^"]*)" and actual is "([^"]*)"', getattr(error, "note", "") or "")
            return {"expected": found.group(1), "actual": found.group(2)} if found else {}
    return {"note": getattr(error, "note", "") or ""}  # frictionless's own words, quoted in the Chinese sentence


def primary_key_facts(cells: str, note: str) -> dict:
    """A repeated or blank key, from either validation path's note."""
    if 'all "None"' in note:
        return {"rule": "blank", "cells": cells}
    found = re.search(r"on line (\d+)", note)
    return {"rule": "repeat", "cells": cells, "other": found.group(1)} if found else {"cells": cells}


def _lines_for_positions(note: str, table: CsvText | None) -> str:
    # frictionless counts records; a maintainer needs the physical line of the other row.
    def line(m: re.Match) -> str:
        found = table.line_of_row(int(m.group(1))) if table else None
        return f"on line {found}" if found else m.group(0)

    return re.sub(r'at position "?(\d+)"?', line, note)


def _message(error, field_type: str, table: CsvText | None = None) -> str:
    cell = getattr(error, "cell", None)
    note = getattr(error, "note", "") or ""
    match error.type:
        case "type-error":
            return f'"{cell}" is not a valid {field_type}'
        case "constraint-error":
            return f'"{cell}" breaks the constraint: {note}'
        case "unique-error":
            return f'"{cell}" appears more than once but the field must be unique'
        case "primary-key":
            cells = ",".join(str(c) for c in (getattr(error, "cells", None) or []))
            return f"duplicate primary key in the row ({_short(cells)}): {_lines_for_positions(note, table)}"
        case "foreign-key":
            target = f'resource "{error.reference_name}"' if error.reference_name else "this resource"
            wanted = ",".join(str(c) for c in error.field_cells)
            return (
                f'"{wanted}" is not a {",".join(error.reference_field_names)} '
                f"in {target}; the row it points at does not exist"
            )
        case "missing-cell":
            return "the row has too few cells: this field is missing"
        case "extra-cell":
            return f'the row has more cells than the schema has fields (extra value "{_short(str(cell))}")'
        case "blank-row":
            return "the row is empty; delete it"
        case "incorrect-label":
            return f'header is "{error.label}" but the schema expects "{error.field_name}" here'
    return f"{error.title}: {note}" if note else error.title


def _metadata(ds: Dataset, error, reasons) -> Iterator[Problem]:
    notes = [getattr(r, "note", str(r)) for r in reasons] or [getattr(error, "note", "") or error.message]
    for note in notes:
        code = getattr(error, "type", "package-error")
        yield Problem(code, note, ds.file(DESCRIPTOR), dataset=ds.name, params={"note": note})


def _short(text: str) -> str:
    return text if len(text) <= 80 else text[:80] + "…"
