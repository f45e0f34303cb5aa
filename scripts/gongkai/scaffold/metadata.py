"""A new dataset's descriptor and README: defaults from gongkai.yml, answers from the maintainer,
and a named placeholder for whatever is still unknown.

gongkai.yml gives the publisher (default_publisher), the licence, update frequency and open type
(new_dataset) and the maintainer's contact (operator.email, or the repository's issues). Only a
person knows the title, description, topics, keywords, data period, source and what a row and
each field mean: `gongkai new` asks for them in a terminal (questions.py), and what is left
unanswered is a placeholder beginning with 待填写, which `gongkai validate` names one by one.
"""

from __future__ import annotations

import datetime as dt
import json
import uuid
from dataclasses import dataclass, field
from importlib import resources

from ..core.config import Settings
from ..validate.placeholder import PLACEHOLDER
from .columntypes import Column


def description_min() -> int:
    """The profile's least length of a description, so that the question and the placeholder say it."""
    schema = json.loads(resources.files("gongkai").joinpath("schemas/dataset.schema.json").read_text("utf-8"))
    return int(schema["properties"]["description"].get("minLength", 1))


@dataclass
class Answers:
    """What the maintainer said; None: not asked or not answered (a placeholder is written)."""

    title: str | None = None
    description: str | None = None
    topics: list[str] | None = None
    keywords: list[str] | None = None
    temporal: str | None = None
    source_title: str | None = None
    source_where: str | None = None  # a URL (path) or, without one, a citation
    source_date: str | None = None
    update_frequency: str | None = None
    open_type: str | None = None
    resource_description: str | None = None
    field_descriptions: dict[str, str] = field(default_factory=dict)
    units: dict[str, str] = field(default_factory=dict)


@dataclass
class Table:
    """The typed table a dataset is made of."""

    resource: str
    title: str | None
    columns: list[Column]
    names: list[str]
    constraints: list[dict]
    key: list[str] | None


def todo(what: str) -> str:
    return f"{PLACEHOLDER}：{what}"


def descriptor(settings: Settings, name: str, resources: list[dict], answers: Answers, today: dt.date) -> dict:
    given = settings.new_dataset
    licence = settings.licence_details.get(given.get("license", ""), {})
    source: dict[str, str] = {"title": answers.source_title or todo("来源文件的标题")}
    where = answers.source_where or todo("来源网址（没有网址时把 path 改为 citation，写来源说明）")
    source["path" if not answers.source_where or where.startswith(("http://", "https://")) else "citation"] = where
    source["date"] = answers.source_date or todo("来源日期 YYYY-MM-DD")
    contact = (
        {"email": settings.operator_email}
        if settings.operator_email
        else {"path": f"{settings.repository}/issues" if settings.repository else settings.operator_url}
    )
    now = dt.datetime.now().astimezone().replace(microsecond=0)
    return {
        "id": str(uuid.uuid4()),
        "name": name,
        "title": answers.title or todo("数据集的中文标题"),
        "description": answers.description
        or todo(f"用一两句话说明数据集记录了什么、来自哪里（至少 {description_min()} 个字）"),
        "version": "1.0.0",
        "created": now.isoformat(),
        "modified": today.isoformat(),
        "publisher": {"name": settings.default_publisher},
        "topics": answers.topics or [todo("主题，取 gongkai.yml 中 topics 的名称之一")],
        "keywords": answers.keywords or [todo("关键词")],
        "temporal": answers.temporal or todo("数据的时间，数据时点写日期 YYYY-MM-DD，统计期间写 YYYY-MM-DD/YYYY-MM-DD"),
        "update_frequency": answers.update_frequency
        or given.get("update_frequency")
        or todo("更新频率，取 gongkai.yml 中 update_frequencies 的名称之一"),
        "open_type": answers.open_type or given.get("open_type") or todo("开放类型，取 gongkai.yml 中 open_types 之一"),
        "licenses": [
            {
                "name": given.get("license") or todo("许可代码，如 CC-BY-4.0"),
                "title": licence.get("title") or todo("许可名称"),
                "path": licence.get("path") or todo("许可网址"),
            }
        ],
        "sources": [source],
        "contributors": [{"title": settings.operator_name, "role": "maintainer", **contact}],
        "resources": resources,
    }


def resource(table: Table, answers: Answers) -> dict:
    schema: dict = {
        "fields": [_field(c, n, k, answers) for c, n, k in zip(table.columns, table.names, table.constraints)]
    }
    if table.key:
        schema["primaryKey"] = table.key
    return {
        "name": table.resource,
        "path": f"data/{table.resource}.csv",
        "title": table.title or todo("资源的中文标题"),
        "description": answers.resource_description or todo("这张表每一行是什么，如“每行一个区”"),
        "format": "csv",
        "mediatype": "text/csv",
        "encoding": "utf-8",
        "schema": schema,
    }


def _field(col: Column, name: str, proposed: dict, answers: Answers) -> dict:
    chinese = any("\u4e00" <= ch <= "\u9fff" for ch in col.title)
    out: dict = {
        "name": name,
        "title": col.title if chinese else todo(f"字段 {name} 的中文名"),
        "description": answers.field_descriptions.get(name) or todo(f"字段 {col.title} 的含义和口径"),
        "type": col.type,
    }
    if col.type in ("integer", "number"):
        out["unit"] = col.unit or answers.units.get(name) or todo("单位，如 个、元、%")
    if proposed:
        out["constraints"] = proposed
    return out


def readme(descriptor: dict, source_file: str, processing: list[str]) -> str:
    res = descriptor["resources"][0]
    src = descriptor["sources"][0]
    where = src.get("path") or src.get("citation")
    source = (
        f"来源：{src['title']}（{where}，{src['date']}）。"
        if PLACEHOLDER not in src["title"]
        else todo("来源文件（标题、发布机构、日期、网址）。")
    )
    steps = "\n".join(f"- {line}" for line in processing) or "- 原样收录，未做改动。"
    licence = licence_text(descriptor)
    about = (
        descriptor["description"]
        if PLACEHOLDER not in descriptor["description"]
        else todo("数据集记录了什么、范围和口径。")
    )
    row = f"`{res['path']}`：{res['description']}\n\n" if PLACEHOLDER not in res["description"] else ""
    title = descriptor["title"] if PLACEHOLDER not in descriptor["title"] else todo("数据集标题")
    return (
        f"# {title}\n\n## 数据\n\n{about}\n\n{row}## 来源与处理\n\n{source}\n\n"
        f"`gongkai new` 从 `{source_file}` 整理时：\n\n{steps}\n\n## 许可\n\n{licence}\n"
    )


def licence_text(descriptor: dict) -> str:
    """README.md's 许可 line from the descriptor's first licence, or the placeholder for it."""
    lic = descriptor["licenses"][0]
    if PLACEHOLDER in json.dumps(lic, ensure_ascii=False):
        return todo(
            "许可，如：数据按 [知识共享 署名 4.0 国际（CC BY 4.0）]"
            "(https://creativecommons.org/licenses/by/4.0/) 发布。"
        )
    return f"数据按 [{lic['title']}]({lic['path']}) 发布。使用时请注明本站和上述来源。"
