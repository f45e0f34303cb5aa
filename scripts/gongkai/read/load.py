"""Discover datasets/<name>/datapackage.json and read each descriptor. No validation here.

A descriptor that is not JSON still loads (with `descriptor=None`) so that validation can
report it in the same list as every other problem.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from ..core.config import Limits
from ..core.jsonlines import json_hazards
from . import schemaref

DESCRIPTOR = "datapackage.json"
SOURCES = "datasets"  # the repository's folder of dataset folders (Settings.datasets_dir)
# Found by json_hazards but not blocking: the descriptor still loads so its other problems are listed too.
READABLE_HAZARDS = {"json-number"}


@dataclass
class Dataset:
    name: str  # the folder name, which must equal descriptor["name"]
    root: Path  # absolute path of datasets/<name>
    rel: str  # "datasets/<name>", as problems and messages show it
    descriptor_text: str | None = None
    descriptor: dict | None = None
    json_error: str | None = None
    json_error_line: int | None = None
    json_error_code: str = "invalid-json"
    json_error_field: str | None = None  # JSON pointer of the value at fault, where known
    json_error_params: dict = field(default_factory=dict)  # the facts behind json_error (core/problemtext_zh.py)
    json_hazards: list[tuple[str, str, int, str, dict]] = field(
        default_factory=list
    )  # (code, message, line, pointer, facts), see jsonlines
    # A resource's schema written as a reference to one of the site's own (schemaref.py): by the
    # resource's index, what it named (the schema is inlined in its place) or why it was refused.
    schema_refs: dict[int, schemaref.Reference] = field(default_factory=dict)
    schema_refusals: dict[int, str] = field(default_factory=dict)

    @property
    def resources(self) -> list[dict]:
        d = self.descriptor or {}
        res = d.get("resources")
        return [r for r in res if isinstance(r, dict)] if isinstance(res, list) else []

    # The stages after loading (the checks past the folder check, export, history, charts)
    # see only datasets whose descriptor loaded: validation stops the others first.
    @property
    def loaded(self) -> dict:
        """The descriptor; a dataset that did not load here is a caller's mistake, not bad data."""
        if self.descriptor is None:
            raise RuntimeError(
                f"{self.file(DESCRIPTOR)} did not load ({self.json_error or 'missing'}): validate it before using it"
            )
        return self.descriptor

    @property
    def loaded_text(self) -> str:
        """The descriptor's text, for the line of each value; set whenever the descriptor loaded."""
        if self.descriptor_text is None:
            raise RuntimeError(
                f"{self.file(DESCRIPTOR)} was not read ({self.json_error or 'missing'}): validate it before using it"
            )
        return self.descriptor_text

    def file(self, relpath: str) -> str:
        return f"{self.rel}/{relpath}"


def source_folder(name: str) -> str:
    """A dataset's folder as the repository and git name it, datasets/<name> (its page: sitepaths)."""
    return f"{SOURCES}/{name}"


def schema_of(resource: dict) -> dict:
    """The resource's inline Table Schema, or {} when it is missing or malformed."""
    schema = resource.get("schema")
    return schema if isinstance(schema, dict) else {}


def fields_of(resource: dict) -> list[dict]:
    """The schema's fields that are objects; malformed entries are the profile's to report."""
    fields = schema_of(resource).get("fields")
    return [f for f in fields if isinstance(f, dict)] if isinstance(fields, list) else []


def discover(
    datasets_dir: Path, names: list[str] | None = None, *, max_nesting: int = Limits.max_nesting
) -> list[Dataset]:
    """Every dataset folder under datasets_dir (or just `names`), sorted by name.
    max_nesting is the settings' limits.max_nesting (the default is its default)."""
    if names:
        folders = [datasets_dir / n for n in names]
    else:
        folders = sorted(p for p in datasets_dir.iterdir() if p.is_dir() and not p.name.startswith("."))
    return [read(folder, datasets_dir.parent, max_nesting=max_nesting) for folder in folders]


def read(folder: Path, repo_root: Path, *, max_nesting: int = Limits.max_nesting) -> Dataset:
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
        ds.json_error_params = {"rule": "utf-8", "byte": exc.start}
        return ds
    # Scanned before json.loads, which recurses (deep nesting crashes it) and accepts NaN.
    hazards = json_hazards(ds.descriptor_text, max_nesting)
    if any(code == "json-too-deep" for code, *_ in hazards):
        _refuse(ds, hazards[-1])
        return ds
    try:
        data = json.loads(ds.descriptor_text)
    except json.JSONDecodeError as exc:
        ds.json_error = f"not valid JSON: {exc.msg} (column {exc.colno})"
        ds.json_error_line = exc.lineno
        ds.json_error_params = {"rule": "syntax", "reason": exc.msg, "column": exc.colno}
        return ds
    except RecursionError:  # cannot happen below the nesting limit; a problem all the same
        _refuse(ds, ("json-too-deep", "nested too deeply for the JSON reader (limits.max_nesting)", 1, "", {}))
        return ds
    except ValueError:  # an integer of 4,300 digits or more, which Python will not convert: the scan named it
        _refuse(
            ds,
            next(
                (h for h in hazards if h[0] == "json-number"),
                ("json-number", "holds a number the JSON reader cannot read", 1, "", {}),
            ),
        )
        return ds
    blocking = [h for h in hazards if h[0] not in READABLE_HAZARDS]
    if blocking:  # a lone surrogate: no later stage could write or even print it
        _refuse(ds, blocking[0])
        ds.json_hazards = [h for h in hazards if h is not blocking[0]]
        return ds
    ds.json_hazards = hazards
    if not isinstance(data, dict):
        ds.json_error = "the top level must be a JSON object"
        ds.json_error_line = 1
        ds.json_error_params = {"rule": "top_level"}
        return ds
    ds.descriptor = data
    # Once, here: the checks, frictionless, the export and the pages all read the inlined schema.
    ds.schema_refs, ds.schema_refusals = schemaref.inline(data, repo_root)
    return ds


def _refuse(ds: Dataset, hazard: tuple[str, str, int, str, dict]) -> None:
    ds.json_error_code, ds.json_error, ds.json_error_line, ds.json_error_field, ds.json_error_params = hazard
