"""`gongkai new` and `gongkai update`: a dataset folder from a maintainer's file, and new data
for an existing dataset.

Both are planned first and written last. A plan holds every note (what was converted, what was
kept as text and why, the proposed key and constraints), so the CLI shows them before anything
is written. `new` writes into a hidden folder beside the others and renames it into place.
`update` writes the new data into a temporary copy of the dataset and validates the copy; only
valid data replace the files, so invalid data leave the folder byte for byte as it was.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from ..core.config import SLUG, Settings
from ..core.errors import UsageError
from ..core.problems import Problem, Report
from ..read import schemaref
from ..read.load import DESCRIPTOR, discover, fields_of, schema_of
from ..validate.validator import validate
from .columntypes import Column, split_heading, type_column
from .convert import convert_to
from .intake import Intake, read_file
from .metadata import Answers, Table, descriptor, readme, resource
from .names import FIELD, field_names, resource_name, table_title
from .notes import Note
from .proposals import constraint_note, constraints, primary_key


@dataclass
class NewPlan:
    name: str
    source: Path
    intake: Intake
    table: Table
    notes: list[Note] = field(default_factory=list)
    processing: list[Note] = field(default_factory=list)  # what was done to the data, for the README


@dataclass
class UpdatePlan:
    folder: Path
    descriptor: dict
    target: dict
    csv_text: str
    notes: list[Note] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)  # the new data, cell by cell, then validation


def plan_new(
    settings: Settings, name: str, source: Path, names: list[str] | None = None, resource_arg: str | None = None
) -> NewPlan:
    if not SLUG.match(name) or len(name) > 80:
        raise UsageError(f"{name!r}：数据集名称只用小写字母、数字和连字符，如 street-offices")
    if (settings.datasets_dir / name).exists():
        raise UsageError(f"datasets/{name}/ 已经存在；要换它的数据，运行 `gongkai update {name} --from {source.name}`")
    if resource_arg is not None and (not SLUG.match(resource_arg) or resource_arg in ("datapackage", "index")):
        raise UsageError(f"--resource {resource_arg!r}：资源名只用小写字母、数字和连字符，如 districts")
    intake = read_file(source)
    columns = [
        type_column(h, [r[i] for r in intake.rows], intake.numbers, from_xlsx=intake.from_xlsx)
        for i, h in enumerate(intake.header)
    ]
    processing = list(intake.notes) + [n for c in columns for n in c.notes]
    notes = list(processing)
    if names:
        _check_names(names, intake.header)
    field_list = names or field_names([c.title for c in columns])
    notes.append(
        Note(
            "字段名（表头保留为字段的中文名 title）："
            + "、".join(f"{c.title} → {n}" for c, n in zip(columns, field_list, strict=True))
            + ("" if names else "；要自己取名，加 --names a,b,c 再运行"),
            "field names (each heading is kept as the field's title): "
            + ", ".join(f"{c.title} → {n}" for c, n in zip(columns, field_list, strict=True)),
        )
    )
    proposed = [constraints(c) for c in columns]
    notes += [n for c, p in zip(columns, proposed, strict=True) if (n := constraint_note(c.title, p))]
    key = primary_key(columns, field_list)
    if key:
        titles = "、".join(columns[field_list.index(k)].title for k in key)
        notes.append(
            Note(
                f"主键：{titles}（每行都有、各不相同；更新时按它比较行）",
                f"primary key: {', '.join(key)} (filled and unique)",
            )
        )
    title = table_title(source.stem)
    chinese_title = title if any("\u4e00" <= ch <= "\u9fff" for ch in title) else None
    res = resource_arg or resource_name(title)
    notes.append(
        Note(f"资源名：{res}（数据文件 data/{res}.csv；要换名字，加 --resource 名称）", f"resource name: {res}")
    )
    return NewPlan(
        name, source, intake, Table(res, chinese_title, columns, field_list, proposed, key), notes, processing
    )


def write_new(settings: Settings, plan: NewPlan, answers: Answers | None = None, today: dt.date | None = None) -> Path:
    """The dataset folder, complete, renamed into place; nothing is left of it if writing fails."""
    today = today or dt.date.today()
    answers = answers or Answers()
    desc = descriptor(settings, plan.name, [resource(plan.table, answers)], answers, today)
    processing = [n.zh if n.record is None else n.record for n in plan.processing]
    files = {f"data/{plan.table.resource}.csv": _csv(plan), "README.md": readme(desc, plan.source.name, processing)}
    return write_folder(settings, plan.name, desc, files, today)


def write_folder(settings: Settings, name: str, desc: dict, files: dict[str, str], today: dt.date) -> Path:
    """datasets/<name>/ with its descriptor, files (relative path -> text) and first changelog entry,
    written into a hidden folder beside the others and renamed into place: all of it or nothing."""
    folder = settings.datasets_dir / name
    settings.datasets_dir.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".new-{name}-", dir=settings.datasets_dir))
    try:
        (staging / "data").mkdir()
        for rel, text in files.items():
            (staging / rel).write_text(text, encoding="utf-8", newline="")
        _write_json(staging / DESCRIPTOR, desc)
        (staging / "CHANGELOG.md").write_text(
            f"# 更新记录\n\n## 1.0.0 — {today.isoformat()}\n\n首次发布。\n", encoding="utf-8"
        )
        staging.rename(folder)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return folder


def _csv(plan: NewPlan) -> str:
    columns = plan.table.columns
    rows = [[c.values[i] for c in columns] for i in range(len(plan.intake.rows))]
    return Intake(plan.table.names, rows).csv_text()


def _check_names(names: list[str], header: list[str]) -> None:
    bad = [n for n in names if not FIELD.match(n)]
    if len(names) != len(header) or bad or len(set(names)) != len(names):
        problem = (
            f"{'、'.join(bad)} 不是字段名（小写字母、数字、下划线）" if bad else f"请给 {len(header)} 个不同的名字"
        )
        raise UsageError(f"--names：文件有 {len(header)} 列（{'、'.join(header)}）；{problem}")


def plan_update(settings: Settings, name: str, source: Path, resource_arg: str | None = None) -> UpdatePlan:
    """The new descriptor and data, converted to the fields' types, and every problem with them."""
    folder = settings.datasets_dir / name
    path = folder / DESCRIPTOR
    desc = json.loads(path.read_text(encoding="utf-8"))
    resources = [r for r in desc.get("resources", []) if isinstance(r, dict)]
    listed = "、".join(str(r.get("name", "?")) for r in resources)
    if resource_arg is None and len(resources) != 1:
        raise UsageError(f"{name} 有 {len(resources)} 个资源（{listed}）；用 --resource 说明换哪一个")
    target = next((r for r in resources if resource_arg in (None, r.get("name"))), None)
    if target is None:
        raise UsageError(f"{name} 没有资源 {resource_arg!r}（有 {listed}）")
    shared = target.get("schema") if isinstance(target.get("schema"), str) else None
    if shared is not None:  # a national table's schema (read/schemaref.py): read here, kept as the reference
        schema, _, why = schemaref.resolve(settings.root, shared)
        if schema is None:
            raise UsageError(f"{name}: {why}")
        target = dict(target, schema=schema)
    intake = read_file(source)
    notes = list(intake.notes)
    old = {f["name"]: f for f in fields_of(target)}
    header = _match_headings(intake.header, old, notes)
    fields, columns, problems = [], [], []
    for i, (heading, fname) in enumerate(zip(intake.header, header, strict=True)):
        cells = [r[i] for r in intake.rows]
        if fname in old:
            values, changed, bad = convert_to(
                old[fname], heading, cells, intake.numbers, source.name, from_xlsx=intake.from_xlsx
            )
            notes += changed
            problems += bad
            fields.append(old[fname])
            columns.append(values)
            continue
        col = type_column(heading, cells, intake.numbers, from_xlsx=intake.from_xlsx)
        notes += col.notes
        table = Table("x", None, [col], [fname], [constraints(col)], None)
        fields.append(resource(table, Answers())["schema"]["fields"][0])
        columns.append(col.values)
    added = [f["name"] for f in fields if f["name"] not in old]
    dropped = [n for n in old if n not in header]
    if added:
        notes.append(
            Note(
                f"新字段 {'、'.join(added)}：请在 {DESCRIPTOR} 中填写它们的“待填写”", f"new field(s) {', '.join(added)}"
            )
        )
    if dropped:
        notes.append(
            Note(f"字段 {'、'.join(dropped)} 不在新文件中，已从表结构中删去", f"field(s) {', '.join(dropped)} removed")
        )
    if shared is not None and (added or dropped):
        raise UsageError(f"{name} 的资源使用共用的表结构 {shared}，列是固定的：新文件的列必须与它相同")
    target["schema"]["fields"] = fields
    key = schema_of(target).get("primaryKey")
    if key and any(k not in header for k in ([key] if isinstance(key, str) else key)):
        del target["schema"]["primaryKey"]
        notes.append(
            Note("主键用到的字段被删去，主键也已删去；如果表有主键，请重新设置", "the primary key was removed")
        )
    rows = [[col[i] for col in columns] for i in range(len(intake.rows))]
    return UpdatePlan(folder, desc, target, Intake(header, rows).csv_text(), notes, problems)


def _match_headings(headings: list[str], old: dict, notes: list[Note]) -> list[str]:
    """A heading may be the field's name, its title, or its title with the unit (常住人口（万人）)."""
    titles = {f.get("title"): n for n, f in old.items()}
    header = []
    for h in headings:
        header.append(h if h in old else titles.get(h) or titles.get(split_heading(h)[0]) or h)
    renamed = [f"{h} → {n}" for h, n in zip(headings, header, strict=True) if h != n]
    if renamed:
        notes.append(
            Note(
                "表头按字段的中文名对应到字段：" + "、".join(renamed),
                "headings matched by title: " + ", ".join(renamed),
            )
        )
    unknown = [h for h in header if h not in old]
    if unknown:
        fixed = field_names([split_heading(h)[0] for h in unknown])
        header = [fixed[unknown.index(h)] if h in unknown else h for h in header]
    return header


def try_update(settings: Settings, plan: UpdatePlan) -> tuple[Report, Path]:
    """The plan written into a temporary copy of the dataset, and that copy validated.
    The caller removes the copy (its parent's parent) after moving what it needs."""
    scratch = Path(tempfile.mkdtemp(prefix="gongkai-update-"))
    copy = scratch / "datasets" / plan.folder.name
    shutil.copytree(plan.folder, copy, symlinks=True)
    (copy / plan.target["path"]).write_text(plan.csv_text, encoding="utf-8", newline="")
    _write_json(copy / DESCRIPTOR, plan.descriptor)
    for shared in (schemaref.FOLDER, "gongkai.yml"):  # what a schema reference resolves against
        if (settings.root / shared).is_dir():
            shutil.copytree(settings.root / shared, scratch / shared, symlinks=True)
        elif (settings.root / shared).is_file():
            shutil.copy(settings.root / shared, scratch / shared)
    report = validate(
        discover(scratch / "datasets", [plan.folder.name], max_nesting=settings.limits.max_nesting), settings
    )
    return report, copy


def commit_update(plan: UpdatePlan, copy: Path) -> None:
    """The validated files moved over the dataset's, each by one rename."""
    for rel in (plan.target["path"], DESCRIPTOR):
        staged = plan.folder / (rel + ".gongkai-new")
        shutil.copyfile(copy / rel, staged)
        os.replace(staged, plan.folder / rel)


def _write_json(path: Path, data: dict) -> None:
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


__all__ = ["Column", "NewPlan", "UpdatePlan", "commit_update", "plan_new", "plan_update", "try_update", "write_new"]
