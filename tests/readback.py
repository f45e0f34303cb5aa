"""An independent reading of source CSVs, to compare every download with, value for value.

Deliberately not our pipeline and not frictionless: the csv module and plain conversions.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from decimal import Decimal
from pathlib import Path


def source_table(dataset_dir: Path, resource: dict) -> tuple[list[str], list[list[str]]]:
    text = (dataset_dir / resource["path"]).read_text(encoding="utf-8")
    rows = list(csv.reader(io.StringIO(text, newline="")))
    return rows[0], rows[1:]


def typed(raw: str, field: dict):
    missing = field.get("_missing", [""])
    if raw in missing:
        return None
    kind = field.get("type", "string")
    if kind == "integer":
        return int(raw)
    if kind == "number":
        return Decimal(raw)
    if kind == "date":
        return dt.date.fromisoformat(raw)
    return raw


def descriptor(dataset_dir: Path) -> dict:
    return json.loads((dataset_dir / "datapackage.json").read_text(encoding="utf-8"))
