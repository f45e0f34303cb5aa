"""What changed between two versions of a dataset, and which version bump that needs.

Rows are compared as the text in the files (what goes in comes out, so "1.0" → "1.00" is a
change). With the same primary key in both versions rows are matched by key: added, removed
and changed rows with their changed cells. Without one, whole rows are compared as a
multiset (a changed row shows as one removed and one added). The bump rule:

- major: a resource or field removed (a rename is a removal and an addition), a field
  retyped, the primary key changed, rows removed;
- minor: a resource, field or rows added;
- patch: values corrected, constraints or other metadata edited.
"""

from __future__ import annotations

import csv
import io
import json
from collections import Counter
from dataclasses import dataclass, field

from ..core import sitepaths
from ..publish.history import SEMVER
from ..read.load import Dataset, fields_of, schema_of

PATCH, MINOR, MAJOR = 1, 2, 3
LEVELS = {PATCH: "patch", MINOR: "minor", MAJOR: "major"}
FIRST = "首次发布"  # what the first published version changed
FIRST_EN = "first publication"
SAMPLE = 20  # rows listed per kind of change; every one is counted
UNCOMPARED = {
    "version",
    "modified",
    "resources",
    "id",
}  # descriptor keys not counted as a metadata edit (an id never changes: history.py refuses it)


@dataclass
class Snapshot:
    """One version of a dataset: its descriptor and each resource's CSV text."""

    descriptor: dict
    tables: dict[str, str]  # resource name -> CSV text
    readme: str = ""

    @property
    def version(self) -> str:
        return str(self.descriptor.get("version", ""))


@dataclass
class TableDiff:
    resource: str
    key: list[str]  # the primary key rows were matched by; [] for whole-row comparison
    added: list[dict] = field(default_factory=list)
    removed: list[dict] = field(default_factory=list)
    changed: list[tuple[dict, dict[str, tuple[str, str]]]] = field(
        default_factory=list
    )  # (key cells, field -> (old, new))
    schema: list[tuple[int, str, str]] = field(default_factory=list)  # (level, what changed, the same in Chinese)

    @property
    def empty(self) -> bool:
        return not (self.added or self.removed or self.changed or self.schema)


@dataclass
class Diff:
    old: Snapshot | None  # None: a new dataset
    new: Snapshot
    tables: list[TableDiff] = field(default_factory=list)
    changes: list[tuple[int, str]] = field(default_factory=list)  # (level, reason), for the bump
    edited: list[str] = field(default_factory=list)  # descriptor keys, resource keys, README.md edited

    @property
    def needed(self) -> int:
        return max((level for level, _ in self.changes), default=0)

    def reasons(self, level: int) -> list[str]:
        return [reason for lv, reason in self.changes if lv == level]


def snapshot_here(ds: Dataset) -> Snapshot:
    """The dataset as the working tree has it."""
    tables = {res["name"]: (ds.root / res["path"]).read_text(encoding="utf-8") for res in ds.resources}
    readme = ds.root / "README.md"
    return Snapshot(
        descriptor=ds.loaded, tables=tables, readme=readme.read_text(encoding="utf-8") if readme.is_file() else ""
    )


def snapshot_published(name: str, version: str, files: dict[str, bytes]) -> Snapshot:
    """A version as history.py publishes it (datasets/<name>/<version>/...)."""
    base = sitepaths.version_folder(name, version)
    descriptor = json.loads(files[base + sitepaths.DATAPACKAGE])
    tables = {
        r["name"]: files[base + sitepaths.resource_file(r["name"], "csv")].decode("utf-8")
        for r in descriptor["resources"]
    }
    return Snapshot(descriptor=descriptor, tables=tables)


def history_summaries(ds: Dataset, versions: list, files: dict[str, bytes]) -> dict[str, str]:
    """version -> what it changed from the version before it, for each published version
    (newest first, the working tree's first); the oldest is the first publication."""
    return {version: summary_zh(diff) for version, diff in history_diffs(ds, versions, files).items()}


def history_diffs(ds: Dataset, versions: list, files: dict[str, bytes]) -> dict[str, Diff]:
    """version -> its Diff from the version before it (old None for the oldest): what the
    version list says in a line (summary_zh) and versions.json gives as data (change_record)."""
    if len(versions) == 1:  # nothing to compare: no file needs reading
        return {versions[0].version: Diff(old=None, new=Snapshot(descriptor={}, tables={}))}
    snapshots = [
        snapshot_here(ds) if v.commit is None else snapshot_published(ds.name, v.version, files) for v in versions
    ]
    return {
        v.version: compare(snapshots[i + 1] if i + 1 < len(snapshots) else None, snapshots[i])
        for i, v in enumerate(versions)
    }


def change_record(diff: Diff) -> dict:
    """A Diff as plain data for programs: the counts and schema changes summary_zh puts in a
    line, the bump it needs and the reasons in English (the same words `gongkai check` prints)."""
    if diff.old is None:
        return {"first": True}
    old_res = [r.get("name") for r in diff.old.descriptor.get("resources", []) if isinstance(r, dict)]
    new_res = [r.get("name") for r in diff.new.descriptor.get("resources", []) if isinstance(r, dict)]
    return {
        "first": False,
        "bump": LEVELS.get(diff.needed),
        "resources_added": sorted(str(n) for n in new_res if n not in old_res),
        "resources_removed": sorted(str(n) for n in old_res if n not in new_res),
        "tables": [
            {
                "resource": t.resource,
                "key": t.key,
                "rows_added": len(t.added),
                "rows_removed": len(t.removed),
                "rows_changed": len(t.changed),
                "schema": [{"level": LEVELS[level], "en": en, "zh": zh} for level, en, zh in t.schema],
            }
            for t in diff.tables
        ],
        "metadata_edited": diff.edited,
        "reasons": [reason for _, reason in diff.changes],
    }


def compare(old: Snapshot | None, new: Snapshot) -> Diff:
    diff = Diff(old=old, new=new)
    if old is None:
        return diff
    old_res = {r["name"]: r for r in old.descriptor.get("resources", []) if isinstance(r, dict)}
    new_res = {r["name"]: r for r in new.descriptor.get("resources", []) if isinstance(r, dict)}
    for name in old_res.keys() - new_res.keys():
        diff.changes.append((MAJOR, f"resource {name} removed"))
    for name in sorted(new_res.keys() - old_res.keys()):
        diff.changes.append((MINOR, f"resource {name} added"))
    for name in [n for n in new_res if n in old_res]:
        table = _table_diff(name, old_res[name], new_res[name], old.tables.get(name, ""), new.tables.get(name, ""))
        diff.tables.append(table)
        diff.changes += [(level, en) for level, en, _ in table.schema]
        if table.removed:
            diff.changes.append((MAJOR, f"{len(table.removed)} row(s) removed from {name}"))
        if table.added:
            diff.changes.append((MINOR, f"{len(table.added)} row(s) added to {name}"))
        if table.changed:
            diff.changes.append((PATCH, f"{len(table.changed)} row(s) changed in {name}"))
    edited = sorted(
        k
        for k in old.descriptor.keys() | new.descriptor.keys()
        if k not in UNCOMPARED and old.descriptor.get(k) != new.descriptor.get(k)
    )
    edited += [
        f"{name}: {k}" for name in new_res if name in old_res for k in _resource_edits(old_res[name], new_res[name])
    ]
    if old.readme != new.readme:
        edited.append("README.md")
    diff.edited = edited
    if edited:
        diff.changes.append((PATCH, "metadata edited: " + ", ".join(edited)))
    return diff


def summary_zh(diff: Diff) -> str:
    """One line for the public: what this version changed from the one before it."""
    if diff.old is None:
        return FIRST
    old_res = {r.get("name") for r in diff.old.descriptor.get("resources", []) if isinstance(r, dict)}
    new_res = {r.get("name") for r in diff.new.descriptor.get("resources", []) if isinstance(r, dict)}
    # key=str: a resource without a name (None) sorts beside the named ones instead of raising
    parts = [f"新增资源 {n}" for n in sorted(new_res - old_res, key=str)] + [
        f"删除资源 {n}" for n in sorted(old_res - new_res, key=str)
    ]
    many = len(diff.tables) > 1
    for t in diff.tables:
        counts = [
            f"{label} {len(rows)} 行"
            for label, rows in (("新增", t.added), ("删除", t.removed), ("修改", t.changed))
            if rows
        ]
        counts += [zh for _, _, zh in t.schema]
        if counts:
            parts.append((f"{t.resource}：" if many else "") + "，".join(counts))
    if not parts and diff.changes:
        parts.append("数据未变，元数据有修改")
    return "；".join(parts) or "无变化"


def summary_en(diff: Diff) -> str:
    """The same line in English: every change as `gongkai check` lists it."""
    if diff.old is None:
        return FIRST_EN
    return "; ".join(reason for _, reason in diff.changes) or "no change"


LEVELS_ZH = {PATCH: "修订版本（patch）", MINOR: "次版本（minor）", MAJOR: "主版本（major）"}


def changes_line(diff: Diff, lang: str) -> str:
    """What changed and the bump it needs, for the terminal: Chinese by default, English with --lang en."""
    if diff.old is None:
        return "新数据集" if lang == "zh" else "new dataset"
    if lang == "zh":
        said = summary_zh(diff)
        return said + (f"，需要升级{LEVELS_ZH[diff.needed]}" if diff.needed else "")
    parts = [reason for _, reason in sorted(diff.changes, key=lambda c: -c[0])]
    return "; ".join(parts) + (f" (needs a {LEVELS[diff.needed]} bump)" if diff.needed else "")


def bump_advice(diff: Diff, lang: str) -> str:
    """What a maintainer does next after `gongkai update`: the version to set, or that nothing changed."""
    if not (diff.needed and diff.old is not None):  # only a dataset that had a version needs a bump
        return "数据没有变化" if lang == "zh" else "the data did not change"
    old, level = diff.old.version, diff.needed
    if lang == "zh":
        return (
            f"这需要升级{LEVELS_ZH[level]}：把 datapackage.json 的 version 改为 {next_version(old, level)}、"
            "modified 改为今天的日期，并在 CHANGELOG.md 加一条记录"
        )
    return (
        f"this needs a {LEVELS[level]} version bump: set version to {next_version(old, level)} and modified "
        "to today's date in datapackage.json, and add a CHANGELOG.md entry for it"
    )


def bump_of(old: str, new: str) -> int | None:
    """The level of the step from version old to new; None when it is not a step up."""
    a, b = _semver(old), _semver(new)
    if a is None or b is None or b <= a:
        return None
    return MAJOR if b[0] > a[0] else MINOR if b[1] > a[1] else PATCH


def next_version(old: str, level: int) -> str:
    major, minor, patch = _semver(old) or (0, 0, 0)
    return {MAJOR: f"{major + 1}.0.0", MINOR: f"{major}.{minor + 1}.0", PATCH: f"{major}.{minor}.{patch + 1}"}[level]


def rows_of(text: str) -> tuple[list[str], list[list[str]]]:
    """Header and rows of CSV text; blank lines are not rows."""
    records = [r for r in csv.reader(io.StringIO(text, newline="")) if r]
    return (records[0], records[1:]) if records else ([], [])


def _table_diff(name: str, old_res: dict, new_res: dict, old_text: str, new_text: str) -> TableDiff:
    old_fields = {f["name"]: f for f in fields_of(old_res) if "name" in f}
    new_fields = {f["name"]: f for f in fields_of(new_res) if "name" in f}
    schema: list[tuple[int, str, str]] = []
    for f in sorted(old_fields.keys() - new_fields.keys()):
        schema.append((MAJOR, f"field {name}.{f} removed", f"删除字段 {f}"))
    for f in [f for f in new_fields if f not in old_fields]:
        schema.append((MINOR, f"field {name}.{f} added", f"新增字段 {f}"))
    for f in [f for f in new_fields if f in old_fields]:
        was, now = old_fields[f], new_fields[f]
        if (was.get("type", "string"), was.get("format", "default")) != (
            now.get("type", "string"),
            now.get("format", "default"),
        ):
            before, after = was.get("type", "string"), now.get("type", "string")
            schema.append(
                (
                    MAJOR,
                    f"field {name}.{f} retyped from {before} to {after}",
                    f"字段 {f} 的类型由 {before} 改为 {after}",
                )
            )
        if was.get("constraints") != now.get("constraints"):
            schema.append((PATCH, f"constraints of {name}.{f} changed", f"字段 {f} 的约束有变化"))
    old_key, new_key = _key(old_res), _key(new_res)
    if old_key != new_key:
        schema.append(
            (
                MAJOR,
                f"primary key of {name} changed from {old_key or 'none'} to {new_key or 'none'}",
                f"主键改为 {'、'.join(new_key) or '无'}",
            )
        )
    table = TableDiff(
        resource=name, key=new_key if old_key == new_key else [], schema=sorted(schema, key=lambda s: -s[0])
    )
    old_header, old_rows = rows_of(old_text)
    new_header, new_rows = rows_of(new_text)
    common = [h for h in new_header if h in old_header]
    if table.key and all(k in common for k in table.key):
        _by_key(table, old_header, old_rows, new_header, new_rows, common)
    else:
        table.key = []
        _by_rows(table, old_header, old_rows, new_header, new_rows, common)
    return table


def _by_key(table: TableDiff, old_header, old_rows, new_header, new_rows, common) -> None:
    def keyed(header, rows):
        at = [header.index(k) for k in table.key]
        return {tuple(r[i] for i in at): dict(zip(header, r, strict=False)) for r in rows}

    before, after = keyed(old_header, old_rows), keyed(new_header, new_rows)
    for key, row in after.items():
        if key not in before:
            table.added.append(row)
            continue
        cells = {
            h: (before[key].get(h, ""), row.get(h, "")) for h in common if before[key].get(h, "") != row.get(h, "")
        }
        if cells:
            table.changed.append((dict(zip(table.key, key, strict=True)), cells))
    table.removed = [row for key, row in before.items() if key not in after]


def _by_rows(table: TableDiff, old_header, old_rows, new_header, new_rows, common) -> None:
    def project(header, rows):
        at = [header.index(h) for h in common]
        return Counter(tuple(r[i] if i < len(r) else "" for i in at) for r in rows)

    before, after = project(old_header, old_rows), project(new_header, new_rows)
    table.added = [dict(zip(common, row, strict=True)) for row in (after - before).elements()]
    table.removed = [dict(zip(common, row, strict=True)) for row in (before - after).elements()]


def _key(resource: dict) -> list[str]:
    key = schema_of(resource).get("primaryKey") or []
    return [key] if isinstance(key, str) else list(key)


def _resource_edits(old: dict, new: dict) -> list[str]:
    """What changed in a resource besides its fields' types, constraints and the key (compared above)."""
    edits = sorted(
        k for k in old.keys() | new.keys() if k not in ("schema", "path", "bytes", "hash") and old.get(k) != new.get(k)
    )
    old_fields = {f.get("name"): f for f in fields_of(old)}
    for f in fields_of(new):
        was = old_fields.get(f.get("name"))
        if was is not None and {k: v for k, v in was.items() if k not in ("type", "format", "constraints")} != {
            k: v for k, v in f.items() if k not in ("type", "format", "constraints")
        }:
            edits.append(f"field {f['name']} described")
    return edits


def _semver(text: str) -> tuple[int, int, int] | None:
    if not (isinstance(text, str) and SEMVER.match(text)):
        return None
    major, minor, patch = (int(x) for x in text.split("."))  # SEMVER: exactly three numbers
    return major, minor, patch
