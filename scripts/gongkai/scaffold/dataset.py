"""`gongkai new` and `gongkai update`: a dataset folder from a maintainer's file, and new data
for an existing dataset.

The schema is inferred by frictionless, then corrected to what a person would choose: codes
with leading zeros (0012) and numbers too long for a spreadsheet stay text; types the site
does not present become text. Everything a machine cannot know (titles, descriptions,
publisher's topic, licence, source) is written as a placeholder beginning with PLACEHOLDER,
which `gongkai validate` names one by one until it is filled in.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import tempfile
import uuid
from dataclasses import dataclass, field
from pathlib import Path

from ..core.config import SLUG, Settings
from ..core.errors import UsageError
from ..publish.history import RESOURCE
from ..read.load import DESCRIPTOR, fields_of, schema_of
from ..validate.placeholder import PLACEHOLDER
from .intake import Intake, read_file

FIELD = re.compile(r"^[a-z][a-z0-9]*(_[a-z0-9]+)*$")  # the profile's field name pattern
KEPT_TYPES = {"string", "integer", "number", "date", "boolean", "datetime", "time", "year"}
LEADING_ZERO = re.compile(r"^[+-]?0[0-9]")
CODE_HEADING = re.compile(r"代码|编码|编号|号码|邮编|证号|身份证|电话|code|(^|_)id$|(^|_)no$", re.IGNORECASE)
README = """# {todo}：数据集标题

## 数据

{todo}：数据集记录了什么、范围和口径；`{path}` 每一行是什么。

## 来源与处理

{todo}：来源文件（标题、发布机构、日期、网址），以及整理时做了哪些处理。

## 许可

{todo}：许可，如：数据按 [知识共享 署名 4.0 国际（CC BY 4.0）](https://creativecommons.org/licenses/by/4.0/) 发布。
"""


@dataclass
class Scaffolded:
    folder: Path
    notes: list[str] = field(default_factory=list)


def new_dataset(
    settings: Settings, name: str, source: Path, names: list[str] | None = None, today: dt.date | None = None
) -> Scaffolded:
    if not SLUG.match(name) or len(name) > 80:
        raise UsageError(f"{name!r}: a dataset name is lowercase letters, digits and hyphens, e.g. street-offices")
    folder = settings.datasets_dir / name
    if folder.exists():
        raise UsageError(
            f"datasets/{name}/ already exists; to replace its data use `gongkai update {name} --from {source}`"
        )
    intake = read_file(source)
    resource_name = re.sub(r"[^a-z0-9_-]+", "-", source.stem.lower()).strip("-_") or "data"
    if not RESOURCE.match(resource_name) or resource_name in ("datapackage", "index"):
        resource_name = "data"
    notes = list(intake.notes)
    if names:
        bad = [n for n in names if not FIELD.match(n)]
        if len(names) != len(intake.header) or bad or len(set(names)) != len(names):
            problem = (
                f"{', '.join(bad)} are not field names (lowercase letters, digits, underscores)"
                if bad
                else f"give {len(intake.header)} distinct names"
            )
            raise UsageError(
                f"--names: the file has {len(intake.header)} columns ({'、'.join(intake.header)}); {problem}"
            )
        header, renamed = names, [f"{h} → {n}" for h, n in zip(intake.header, names, strict=True) if h != n]
    else:
        header, renamed = _field_names(intake.header)
    if renamed:
        hint = "" if names else "; to choose the names, run again with --names a,b,c"
        notes.append(f"field names (each heading is kept as the field's title): {'、'.join(renamed)}{hint}")
    headings = intake.header
    intake = Intake(header, intake.rows, intake.notes)
    fields = [_field(f, heading) for f, heading in zip(infer_fields(intake, headings), headings, strict=True)]
    today = today or dt.date.today()
    now = dt.datetime.now().astimezone().replace(microsecond=0)
    descriptor = {
        "id": str(uuid.uuid4()),
        "name": name,
        "title": f"{PLACEHOLDER}：数据集的中文标题",
        "description": f"{PLACEHOLDER}：用一两句话说明数据集记录了什么、来自哪里（至少 10 个字）",
        "version": "1.0.0",
        "created": now.isoformat(),
        "modified": today.isoformat(),
        "publisher": {"name": settings.default_publisher},
        "topics": [f"{PLACEHOLDER}：主题，取 gongkai.yml 中 topics 的名称之一"],
        "keywords": [f"{PLACEHOLDER}：关键词"],
        "temporal": f"{PLACEHOLDER}：数据的时间，数据时点写日期 YYYY-MM-DD，统计期间写 YYYY-MM-DD/YYYY-MM-DD",
        "update_frequency": f"{PLACEHOLDER}：更新频率，取 gongkai.yml 中 update_frequencies 的名称之一",
        "open_type": f"{PLACEHOLDER}：开放类型，取 gongkai.yml 中 open_types 之一",
        "licenses": [
            {
                "name": f"{PLACEHOLDER}：许可代码，如 CC-BY-4.0",
                "title": f"{PLACEHOLDER}：许可名称",
                "path": f"{PLACEHOLDER}：许可网址",
            }
        ],
        "sources": [
            {
                "title": f"{PLACEHOLDER}：来源文件的标题",
                "path": f"{PLACEHOLDER}：来源网址",
                "date": f"{PLACEHOLDER}：来源日期 YYYY-MM-DD",
            }
        ],
        "contributors": [
            {
                "title": f"{PLACEHOLDER}：维护者",
                "role": "maintainer",
                "path": f"{PLACEHOLDER}：联系网址（或删去本行、改写 email）",
            }
        ],
        "resources": [
            {
                "name": resource_name,
                "path": f"data/{resource_name}.csv",
                "title": f"{PLACEHOLDER}：资源的中文标题",
                "description": f"{PLACEHOLDER}：这张表每一行是什么",
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "schema": {"fields": fields},
            }
        ],
    }
    (folder / "data").mkdir(parents=True)
    (folder / "data" / f"{resource_name}.csv").write_text(intake.csv_text(), encoding="utf-8", newline="")
    (folder / DESCRIPTOR).write_text(json.dumps(descriptor, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    (folder / "README.md").write_text(
        README.format(todo=PLACEHOLDER, path=f"data/{resource_name}.csv"), encoding="utf-8"
    )
    (folder / "CHANGELOG.md").write_text(
        f"# 更新记录\n\n## 1.0.0 — {today.isoformat()}\n\n首次发布。\n", encoding="utf-8"
    )
    return Scaffolded(folder=folder, notes=notes)


def update_dataset(settings: Settings, name: str, source: Path, resource: str | None = None) -> Scaffolded:
    """Replace one resource's data, keeping the metadata; fields follow the new headings."""
    folder = settings.datasets_dir / name
    path = folder / DESCRIPTOR
    if not path.is_file():
        raise UsageError(
            f"datasets/{name}/ has no {DESCRIPTOR}; create the dataset with `gongkai new {name} --from {source}`"
        )
    descriptor = json.loads(path.read_text(encoding="utf-8"))
    resources = [r for r in descriptor.get("resources", []) if isinstance(r, dict)]
    if resource is None and len(resources) != 1:
        raise UsageError(
            f"{name} has {len(resources)} resources; say which with --resource "
            f"({', '.join(r.get('name', '?') for r in resources)})"
        )
    target = next((r for r in resources if resource in (None, r.get("name"))), None)
    if target is None:
        raise UsageError(f"{name} has no resource {resource!r} ({', '.join(r.get('name', '?') for r in resources)})")
    intake = read_file(source)
    notes = list(intake.notes)
    old_fields = {f["name"]: f for f in fields_of(target)}
    titles = {f.get("title"): f["name"] for f in fields_of(target)}
    # A heading may be the field's name or its title (as a spreadsheet exported from the site has).
    header = [h if h in old_fields else titles.get(h, h) for h in intake.header]
    renamed = [f"{h} → {n}" for h, n in zip(intake.header, header, strict=True) if h != n]
    if renamed:
        notes.append("headings matched to field names by their titles: " + "、".join(renamed))
    new_names = [h for h in header if h not in old_fields]
    if new_names:
        fixed, _ = _field_names(new_names)
        header = [fixed[new_names.index(h)] if h in new_names else h for h in header]
    headings = intake.header
    intake = Intake(header, intake.rows, intake.notes)
    inferred = {f["name"]: f for f in infer_fields(intake, headings)}
    fields = [old_fields.get(h) or _field(inferred[h], heading) for h, heading in zip(header, headings, strict=True)]
    added = [f["name"] for f in fields if f["name"] not in old_fields]
    dropped = [n for n in old_fields if n not in header]
    if added:
        notes.append(f"new field(s) {', '.join(added)}: fill in their placeholders in {DESCRIPTOR}")
    if dropped:
        notes.append(f"field(s) {', '.join(dropped)} are not in the new file and were removed from the schema")
    target["schema"]["fields"] = fields
    key = schema_of(target).get("primaryKey")
    if key and any(k not in header for k in ([key] if isinstance(key, str) else key)):
        del target["schema"]["primaryKey"]
        notes.append("the primary key named a removed field and was removed; set a new one if the table has one")
    (folder / target["path"]).write_text(intake.csv_text(), encoding="utf-8", newline="")
    path.write_text(json.dumps(descriptor, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return Scaffolded(folder=folder, notes=notes)


def infer_fields(intake: Intake, headings: list[str] | None = None) -> list[dict]:
    """frictionless's inference over every row, corrected to the types a person would choose.
    `headings`: the file's own column headings (before renaming), which can say "code"."""
    headings = headings or intake.header
    from frictionless import Detector, Resource

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "data.csv"
        path.write_text(intake.csv_text(), encoding="utf-8")
        res = Resource(str(path), detector=Detector(sample_size=len(intake.rows) + 1, field_confidence=1.0))
        res.infer()
        inferred = res.schema.to_dict()["fields"]
    fields = []
    for i, f in enumerate(inferred):
        kind = f.get("type", "string")
        values = [row[i] for row in intake.rows if row[i] != ""]
        if kind in ("integer", "number") and (
            CODE_HEADING.search(headings[i])
            or any(LEADING_ZERO.match(v) or len(v.lstrip("+-").replace(".", "")) > 15 for v in values)
        ):
            kind = "string"  # a code (0012, or a column named as one), or more digits than a spreadsheet keeps
        if kind not in KEPT_TYPES:
            kind = "string"
        fields.append({"name": intake.header[i], "type": kind})
    return fields


def _field(inferred: dict, heading: str) -> dict:
    chinese = bool(re.search(r"[\u4e00-\u9fff]", heading))
    out = {
        "name": inferred["name"],
        "title": heading if chinese else f"{PLACEHOLDER}：字段 {inferred['name']} 的中文名",
        "description": f"{PLACEHOLDER}：字段 {heading} 的含义和口径",
        "type": inferred["type"],
    }
    if inferred["type"] in ("integer", "number"):
        out["unit"] = f"{PLACEHOLDER}：单位，如 个、元、%"
    return out


def _field_names(header: list[str]) -> tuple[list[str], list[str]]:
    """Headings as field names: a heading that already is one stays; others become column_<n>."""
    names, renamed = [], []
    for i, heading in enumerate(header, 1):
        plain = heading.strip().lower().replace(" ", "_").replace("-", "_")
        name = plain if FIELD.match(plain) and plain not in names else f"column_{i}"
        if name != heading:
            renamed.append(f"{heading} → {name}")
        names.append(name)
    return names, renamed
