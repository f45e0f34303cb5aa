"""Discover datasets/<name>/datapackage.json and read each descriptor. No validation here.

A descriptor that is not JSON still loads (with `descriptor=None`) so that validation can
report it in the same list as every other problem.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

DESCRIPTOR = "datapackage.json"


@dataclass
class Dataset:
    name: str  # the folder name, which must equal descriptor["name"]
    root: Path  # absolute path of datasets/<name>
    rel: str  # "datasets/<name>", as problems and messages show it
    descriptor_text: str | None = None
    descriptor: dict | None = None
    json_error: str | None = None
    json_error_line: int | None = None

    @property
    def resources(self) -> list[dict]:
        d = self.descriptor or {}
        res = d.get("resources")
        return [r for r in res if isinstance(r, dict)] if isinstance(res, list) else []

    def file(self, relpath: str) -> str:
        return f"{self.rel}/{relpath}"


def schema_of(resource: dict) -> dict:
    """The resource's inline Table Schema, or {} when it is missing or malformed."""
    schema = resource.get("schema")
    return schema if isinstance(schema, dict) else {}


def fields_of(resource: dict) -> list[dict]:
    """The schema's fields that are objects; malformed entries are the profile's to report."""
    fields = schema_of(resource).get("fields")
    return [f for f in fields if isinstance(f, dict)] if isinstance(fields, list) else []


def discover(datasets_dir: Path, names: list[str] | None = None) -> list[Dataset]:
    """Every dataset folder under datasets_dir (or just `names`), sorted by name."""
    if names:
        folders = [datasets_dir / n for n in names]
    else:
        folders = sorted(p for p in datasets_dir.iterdir() if p.is_dir() and not p.name.startswith("."))
    return [read(folder, datasets_dir.parent) for folder in folders]


def read(folder: Path, repo_root: Path) -> Dataset:
    try:
        rel = folder.relative_to(repo_root).as_posix()
    except ValueError:
        rel = folder.as_posix()
    ds = Dataset(name=folder.name, root=folder, rel=rel)
    path = folder / DESCRIPTOR
    if not path.is_file() or path.is_symlink():
        return ds
    raw = path.read_bytes()
    try:
        ds.descriptor_text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        ds.json_error = f"not valid UTF-8 at byte {exc.start}"
        return ds
    try:
        data = json.loads(ds.descriptor_text)
    except json.JSONDecodeError as exc:
        ds.json_error = f"not valid JSON: {exc.msg} (column {exc.colno})"
        ds.json_error_line = exc.lineno
        return ds
    if not isinstance(data, dict):
        ds.json_error = "the top level must be a JSON object"
        ds.json_error_line = 1
        return ds
    ds.descriptor = data
    return ds
