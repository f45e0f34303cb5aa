"""`gongkai new NAME --template annual-report-2021 --body … --year …`: a body's annual report on
government information disclosure as a dataset laid out by the national tables (schemas/).

One resource per national table of the format (表二, 表三, 表四), each naming the published schema
by reference, and each CSV holding every row of the national table with its row_code and
row_label from the schema's `rows`. A cell the national table has is written 待填写, the
placeholder every scaffold uses: `gongkai validate` names each one at its line and column (a
type-error, since 待填写 is not a number) until the figure from the report replaces it. A cell
the national table does not have (表二's blocks have different columns) is left empty, as the
schema asks. Once filled, the sums are checked like any national table's (validate/arithmetic.py).

The descriptor's metadata come from gongkai.yml the way `gongkai new --from` fills them
(metadata.descriptor); what the body, the year and the format say is filled in too (title,
period, keywords, source title), and the rest stays a named placeholder.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass
from pathlib import Path

from ..core.config import SLUG, Settings
from ..core.errors import UsageError
from ..read.nationaltables import cells_of, table_number
from ..read.schemaref import FOLDER, published
from .dataset import write_folder
from .intake import Intake
from .metadata import Answers, descriptor, licence_text, todo

PREFIX = "annual-report-"
CELL = "待填写"  # a cell of the national table still to fill (validate/placeholder.py's word)
TOPIC = "政务公开"  # the topic a report goes under when gongkai.yml has it
# The report's prose parts (国办公开办函〔2019〕60号, 〔2021〕30号): the tables fill parts 二 to 四, and the
# page shows README.md's sections with these headings in their place (render/reportlayout.py).
PROSE = ("一、总体情况", "五、存在的主要问题及改进情况", "六、其他需要报告的事项")


@dataclass(frozen=True)
class NationalTable:
    number: int  # 2, 3 or 4: 表二 …
    reference: str  # /schemas/annual-report/2021/table-3.json
    schema: dict


@dataclass
class ReportPlan:
    name: str
    body: str
    year: int
    report_format: str  # "2019" or "2021": the year the format was first used
    tables: list[NationalTable]

    @property
    def title(self) -> str:
        return f"{self.body}{self.year}年政府信息公开工作年度报告"


def formats(root: Path) -> dict[str, list[NationalTable]]:
    """The national tables of each report format the repository's schemas/ holds, by format."""
    found: dict[str, list[NationalTable]] = {}
    for rel, data in published(root).items():
        try:
            schema = json.loads(data)
        except ValueError:
            continue  # not ours to report: the schema pages' build names it
        number = table_number(schema)
        if number is None:
            continue
        for fmt in re.findall(r"\d{4}", str(schema.get("reportFormat", ""))):
            found.setdefault(fmt, []).append(NationalTable(number, "/" + rel, schema))
    return {fmt: sorted(tables, key=lambda t: t.number) for fmt, tables in sorted(found.items())}


def plan_report(settings: Settings, name: str, template: str, body: str, year: int) -> ReportPlan:
    """What the template writes, or a usage error saying what to give instead."""
    if not SLUG.match(name) or len(name) > 80:
        raise UsageError(f"{name!r}：数据集名称只用小写字母、数字和连字符，如 liwan-2021-annual-report")
    if (settings.datasets_dir / name).exists():
        raise UsageError(f"datasets/{name}/ 已经存在")
    known = formats(settings.root)
    names = "、".join(PREFIX + f for f in known) or f"（{FOLDER}/ 中没有年度报告的表结构）"
    fmt = template.removeprefix(PREFIX)
    if not template.startswith(PREFIX) or fmt not in known:
        raise UsageError(f"--template {template!r}：可用的模板有 {names}")
    if not body.strip() or any(c in body for c in "\n\r\t/\\"):
        raise UsageError("--body：写报告机关的全称，如 广州市荔湾区人民政府")
    first = int(fmt)
    later = [int(f) for f in known if int(f) > first]
    last = min(later) - 1 if later else dt.date.today().year
    if not first <= year <= last:
        fits = [f for f in known if int(f) <= year] or list(known)
        raise UsageError(
            f"--year {year}：{template} 用于 {first}–{last} 年度的报告；{year} 年度的报告用 {PREFIX}{fits[-1]}"
            if first <= year or fits[-1] != fmt
            else f"--year {year}：年度报告的全国统一表格从 {first} 年度起使用"
        )
    return ReportPlan(name, body.strip(), year, fmt, known[fmt])


def write_report(settings: Settings, plan: ReportPlan, today: dt.date | None = None) -> Path:
    """The dataset folder, through the same writer as `gongkai new --from` (dataset.write_folder)."""
    today = today or dt.date.today()
    answers = Answers(
        title=plan.title,
        description=(
            f"{plan.title}的全国统一表格（{_format_name(plan)}）："
            + "、".join(_short(t) for t in plan.tables)
            + "，每张表一个文件，照报告原表逐格收录，合计经过核对。"
        ),
        keywords=["政府信息公开工作年度报告", plan.body, f"{plan.year}年"],
        temporal=f"{plan.year}-01-01/{plan.year}-12-31",
        source_title=plan.title,
    )
    resources = [_resource(plan, t) for t in plan.tables]
    desc = descriptor(settings, plan.name, resources, answers, today)
    known = settings.publisher(plan.body)
    desc["publisher"] = {
        "name": known.name if known else todo(f"发布机构：把 {plan.body} 加入 gongkai.yml 的 publishers，再写它的名称")
    }
    if settings.topic(TOPIC):
        desc["topics"] = [TOPIC]
    files = {f"data/table-{t.number}.csv": table_csv(t.schema) for t in plan.tables}
    files["README.md"] = _readme(plan, desc)
    return write_folder(settings, plan.name, desc, files, today)


def table_csv(schema: dict) -> str:
    """Every row of the national table, labelled, with 待填写 in each cell the table has."""
    names = [f["name"] for f in schema["fields"]]
    rows = schema.get("rows") or [None]  # 表四: one line, no row labels
    lines = []
    for row in rows:
        cells = {"row_code": row["code"], "row_label": row["label"]} if row else {}
        wanted = cells_of(schema, row)
        lines.append([cells.get(n, CELL if n in wanted else "") for n in names])
    return Intake(names, lines).csv_text()


def _resource(plan: ReportPlan, table: NationalTable) -> dict:
    schema = table.schema
    return {
        "name": f"table-{table.number}",
        "path": f"data/table-{table.number}.csv",
        "title": schema.get("title") or todo("资源的中文标题"),
        **({"title_en": schema["title_en"]} if schema.get("title_en") else {}),
        "description": f"{plan.title}的{_short(table)}，照原表逐格填写（{_format_name(plan)}）。",
        "format": "csv",
        "mediatype": "text/csv",
        "encoding": "utf-8",
        "schema": table.reference,
    }


def _short(table: NationalTable) -> str:
    return str(table.schema.get("title", f"table-{table.number}")).split(" ", 1)[0]  # 表三


def _format_name(plan: ReportPlan) -> str:
    return "2019年试行格式" if plan.report_format == "2019" else f"{plan.report_format}年格式"


def _readme(plan: ReportPlan, desc: dict) -> str:
    tables = "\n".join(f"- `data/table-{t.number}.csv`：{t.schema.get('title', '')}" for t in plan.tables)
    prose = "\n\n".join(f"## {part}\n\n{todo(f'报告“{part}”的原文')}" for part in PROSE)
    return (
        f"# {plan.title}\n\n## 数据\n\n{desc['description']}\n\n{tables}\n\n"
        "表中尚未填写的单元格（`gongkai new` 写入的占位词）换成报告原表中的数；原表中没有的格留空。"
        "`gongkai validate` 列出每个还没有填的格，并核对表中的合计。\n\n"
        f"{prose}\n\n## 来源与处理\n\n"
        f"来源：{plan.title}（{todo('报告的网址和发布日期')}）。\n\n"
        f"`gongkai new --template {PREFIX}{plan.report_format}` 按全国统一表格建立了各表的行和列。\n\n"
        f"## 许可\n\n{licence_text(desc)}\n"
    )
