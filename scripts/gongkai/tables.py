"""Read a valid resource into raw and typed rows.

Raw strings come from our strict CSV parser; typed values from frictionless's own cell
readers for the resource's Table Schema, so exports type cells exactly as validation did.
"""

from __future__ import annotations

from dataclasses import dataclass

from frictionless import Schema

from .csvtext import CsvText, parse
from .load import Dataset


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
    text = (ds.root / resource["path"]).read_bytes().decode("utf-8")
    csv: CsvText = parse(text)
    schema = Schema.from_descriptor(resource["schema"])
    typed = []
    for row in csv.rows:
        values, _notes = schema.read_cells(row)
        typed.append(values)
    return Table(resource=resource, fields=list(resource["schema"]["fields"]), header=csv.header, raw=csv.rows, typed=typed)


def read_tables(ds: Dataset) -> list[Table]:
    return [read_table(ds, res) for res in ds.resources]
