"""Read a valid resource into raw and typed rows.

Raw strings come from our strict CSV parser; typed values from frictionless's own cell
readers for the resource's Table Schema, so exports type cells exactly as validation did.
"""

from __future__ import annotations

from dataclasses import dataclass

from frictionless import Schema

from .columns import read_fast, typed_values
from .csvtext import CsvText, parse
from .load import Dataset, fields_of, schema_of


@dataclass
class Table:
    resource: dict  # the resource descriptor
    fields: list[dict]  # schema fields, in file order
    header: list[str]
    raw: list[list[str]]  # cells as written in the CSV
    typed: list[list]  # cells as the schema types them (None = missing)

    @property
    def name(self) -> str:
        return self.resource["name"]

    @property
    def path(self) -> str:
        return self.resource["path"]


def read_table(ds: Dataset, resource: dict) -> Table:
    fast = read_fast(ds.root / resource["path"], resource)
    if fast is not None:
        return _from_columns(resource, fast)
    text = (ds.root / resource["path"]).read_bytes().decode("utf-8")
    csv: CsvText = parse(text)
    schema = Schema.from_descriptor(resource["schema"])
    typed = []
    for row in csv.rows:
        values, _notes = schema.read_cells(row)
        typed.append(values)
    return Table(resource=resource, fields=list(resource["schema"]["fields"]), header=csv.header, raw=csv.rows, typed=typed)


def _from_columns(resource: dict, fast) -> Table:
    # Whole columns typed the way frictionless types them (checks/fast.py), then rows.
    fields = fields_of(resource)
    missing = schema_of(resource).get("missingValues", [""])
    raw_columns = [fast.table[f["name"]].combine_chunks().to_pylist() for f in fields]
    typed_columns = [typed_values(f, fast.table[f["name"]].combine_chunks(), missing) for f in fields]
    raw = [list(row) for row in zip(*raw_columns, strict=True)]
    typed = [list(row) for row in zip(*typed_columns, strict=True)]
    return Table(resource=resource, fields=list(resource["schema"]["fields"]), header=fast.header, raw=raw, typed=typed)


def read_tables(ds: Dataset) -> list[Table]:
    return [read_table(ds, res) for res in ds.resources]
