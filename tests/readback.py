"""An independent reading of source CSVs, to compare every download with, value for value.

Deliberately not our pipeline and not frictionless: the csv module and plain conversions.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
import zipfile
from decimal import Decimal
from pathlib import Path

import openpyxl


def source_table(dataset_dir: Path, resource: dict) -> tuple[list[str], list[list[str]]]:
    text = (dataset_dir / resource["path"]).read_bytes().decode("utf-8")  # no newline translation
    rows = list(csv.reader(io.StringIO(text, newline="")))
    return rows[0], rows[1:]


def typed(raw: str, field: dict, missing=("",)):
    if raw in missing:
        return None
    kind = field.get("type", "string")
    if kind in ("integer", "year"):  # a year is written as its number in JSON and XLSX
        return int(raw)
    if kind == "number":
        return Decimal(raw)
    if kind == "date":
        return dt.date.fromisoformat(raw)
    return raw


def descriptor(dataset_dir: Path) -> dict:
    return json.loads((dataset_dir / "datapackage.json").read_text(encoding="utf-8"))


def check_json(data: bytes, fields: list[dict], rows: list[list[str]], missing=("",)) -> None:
    """The JSON download holds the source's values: typed by the schema, digits as written."""
    records = json.loads(data.decode("utf-8"), parse_float=Decimal)
    names = [f["name"] for f in fields]
    assert len(records) == len(rows)
    for record, row in zip(records, rows, strict=True):
        assert list(record) == names
        for f, raw in zip(fields, row, strict=True):
            value, expected = record[f["name"]], typed(raw, f, missing)
            if f["type"] == "date" and value is not None:
                value = dt.date.fromisoformat(value)
            if f["type"] == "number" and value is not None:
                # JSON has one number type: 8 reads back as int, 1.10 as Decimal; the digits are the source's
                assert Decimal(str(value)) == expected, (f["name"], raw, value)
                if isinstance(value, Decimal):  # 1.10 stays 1.10; (-0 reads back as the integer 0)
                    assert str(value) == str(expected), (f["name"], raw, value)
                continue
            assert value == expected and type(value) is type(expected), (f["name"], raw, value)


def excel_text(stored: str) -> str:
    """What Excel shows for stored cell text: it decodes _xHHHH_ (ECMA-376 ST_Xstring)."""
    return re.sub(r"_x([0-9A-Fa-f]{4})_", lambda m: chr(int(m.group(1), 16)), stored)


def check_xlsx(data: bytes, fields: list[dict], rows: list[list[str]], missing=("",)) -> None:
    """The XLSX holds the source's values, strings as text cells, and no formula at all."""
    wb = openpyxl.load_workbook(io.BytesIO(data))
    sheet = list(wb["数据"].iter_rows(values_only=True))
    assert [excel_text(c) for c in sheet[0]] == [f["title"] for f in fields]
    assert len(sheet) - 1 == len(rows)
    for cells, row in zip(sheet[1:], rows, strict=True):
        for f, raw, cell in zip(fields, row, cells, strict=False):
            expected = typed(raw, f, missing)
            if expected is None:
                assert cell is None, (f["name"], raw, cell)
            elif isinstance(cell, str):
                assert excel_text(cell) == raw, (f["name"], raw, cell)
            elif isinstance(cell, dt.datetime):
                assert cell.date() == expected, (f["name"], raw, cell)
            else:
                assert Decimal(repr(cell)) == Decimal(raw), (f["name"], raw, cell)
    assert [r[0] for r in wb["数据字典"].iter_rows(min_row=2, values_only=True)] == [f["name"] for f in fields]
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        sheets = [zf.read(n).decode() for n in zf.namelist() if n.startswith("xl/worksheets/")]
    assert not any("<f>" in s or "<f " in s for s in sheets), "a cell became a formula"
