"""A dataset of an annual report's national tables, laid out as the report is: its six parts in
the official order, each table as the national format prints it. Pure: no I/O.

The layout is chosen when every resource names a national table's schema (read/nationaltables.py)
and the page holds every row of each (the preview is long enough: build.py asks for it). The
parts' prose comes from README.md sections whose headings begin with the part's numeral (一、 …
六、); the rest of the README stays where it always is. Each table becomes one or more grids of
cells with their spans, built here so that the template only writes them out:

- 表三: the rows down, their group headings (三、本年度办理结果, （三）不予公开) as cells spanning
  their rows, the applicant columns across under a two-level header (法人或其他组织 over its five);
  the corner holds the sum the table prints (本列数据的勾稽关系为 …).
- 表四: one line under a two-level header, its three groups (行政复议 …) over their five columns.
- 表二: one grid per block of 条例第二十条, each with its own columns, as the format prints it.
"""

from __future__ import annotations

from typing import Any

from markupsafe import Markup

from ..read.nationaltables import cells_of, table_number, value_fields
from .markup import rich_text
from .messages import LANGUAGES, TABLES

PARTS = ("一", "二", "三", "四", "五", "六")  # the report's parts; 表二 to 表四 fill parts 二 to 四
SEP = " · "  # between the levels of a row's group in the schema's `rows`


def report_model(tables: list[Any], readme: str) -> tuple[dict[str, Any] | None, str]:
    """The report's layout in each language (None when the dataset is not one report's national
    tables, or a table has more rows than the page holds), and the README without its parts."""
    schemas = [t.resource.get("schema") for t in tables]
    numbers = [table_number(s) for s in schemas]
    if not tables or None in numbers or any(t.rows > len(t.preview) for t in tables):
        return None, readme
    prose, rest = _parts(readme)
    layouts = {}
    for lang in LANGUAGES:
        words = TABLES[lang]["annual_report"]
        parts = []
        for i, numeral in enumerate(PARTS):
            grids = [
                {"title": _title(t, lang), "name": t.name, "grids": _grids(t, schema, lang, words)}
                for t, schema, n in zip(tables, schemas, numbers, strict=True)
                if n == i + 1
            ]
            parts.append({"title": words["parts"][i], "html": prose.get(numeral, ""), "tables": grids})
        layouts[lang] = {"parts": parts}
    return layouts, rest


def _parts(readme: str) -> tuple[dict[str, str], str]:
    """README.md's sections headed 一、… to 六、… as sanitised HTML by numeral, and the README without them."""
    found: dict[str, list[str]] = {}
    rest: list[str] = []
    current: list[str] = rest
    fenced = False
    for line in readme.splitlines(keepends=True):
        if line.startswith(("```", "~~~")):
            fenced = not fenced
        if not fenced and line.startswith("## "):
            numeral = next((n for n in PARTS if line[3:].strip().startswith(n + "、")), None)
            current = found.setdefault(numeral, []) if numeral else rest
            if numeral:
                continue
        elif not fenced and line.startswith("# "):
            current = rest
        current.append(line)
    return {n: rich_text("".join(lines)) for n, lines in found.items() if "".join(lines).strip()}, "".join(rest)


def _title(t: Any, lang: str) -> str:
    return str(t.resource.get("title_en") if lang == "en" and t.resource.get("title_en") else t.resource.get("title"))


def _text(item: dict, key: str, lang: str) -> str:
    return str(item.get(f"{key}_en") or item.get(key, "")) if lang == "en" else str(item.get(key, ""))


def _grids(t: Any, schema: dict, lang: str, words: dict) -> list[dict]:
    names = [f["name"] for f in t.fields]
    lines = [dict(zip(names, row, strict=False)) for row in t.preview]
    rows = [r for r in schema.get("rows", []) if isinstance(r, dict)]
    if not rows:  # 表四: its lines under the two-level header
        head = _head(value_fields(schema), 0, "", lang, words)
        return [{"caption": "", "kind": "line", "head": head, "body": _plain(lines, schema)}]
    by_code = {line.get("row_code"): line for line in lines}
    if schema.get("sums"):  # 表三
        return [_table_three(schema, rows, by_code, lang, words)]
    return _blocks(schema, rows, by_code, lang, words)


def _plain(lines: list[dict], schema: dict) -> list[list[dict]]:
    return [[_cell(line, f, schema) for f in value_fields(schema)] for line in lines]


def _cell(line: dict, field: dict, schema: dict) -> dict:
    """A figure as the CSV holds it (value for value), with its unit when a unit column names it."""
    value = str(line.get(field["name"], ""))
    unit = field.get("unitField")
    if value and isinstance(unit, str) and line.get(unit):
        value = f"{value} {line[unit]}"
    return {"text": value, "num": True}


def _split(title: str, lang: str) -> tuple[str, str]:
    """法人或其他组织：商业企业 -> (法人或其他组织, 商业企业); a title without a group -> ("", title)."""
    mark = ": " if lang == "en" else "："
    group, _, leaf = title.rpartition(mark)
    return group, leaf


def _head(fields: list[dict], label_columns: int, corner: str, lang: str, words: dict) -> list[list[dict]]:
    """The column headings, two rows when some columns sit under a group heading."""
    pairs = []
    for f in fields:
        group, leaf = _split(_text(f, "title", "zh"), "zh")
        if lang == "en":
            group_en, leaf_en = _split(_text(f, "title", "en"), "en")
            group, leaf = (group_en or words["column_groups"].get(group, group)) if group else "", leaf_en
        pairs.append((group, leaf))
    grouped = any(g for g, _ in pairs)
    top: list[dict] = []
    if label_columns:
        top.append({"text": corner, "corner": True, "colspan": label_columns, "rowspan": 2 if grouped else 1})
    second: list[dict] = []
    for i, (group, leaf) in enumerate(pairs):
        if not group:
            top.append({"text": leaf, "th": True, "scope": "col", "rowspan": 2 if grouped else 1})
        elif i == 0 or pairs[i - 1][0] != group:
            span = next((j for j in range(i, len(pairs)) if pairs[j][0] != group), len(pairs)) - i
            top.append({"text": group, "th": True, "scope": "colgroup", "colspan": span})
        if group:
            second.append({"text": leaf, "th": True, "scope": "col"})
    return [top, second] if grouped else [top]


def _table_three(schema: dict, rows: list[dict], by_code: dict, lang: str, words: dict) -> dict:
    levels = [str(r.get("group", "")).split(SEP) if r.get("group") else [] for r in rows]
    depth = max(len(x) for x in levels) + 1
    rule: dict = next((s for s in schema.get("sums", []) if s.get("across") == "rows"), {})
    corner = _text(rule, "rule", lang)
    body = []
    for i, (row, level) in enumerate(zip(rows, levels, strict=True)):
        cells: list[dict] = []
        for k in range(len(level)):
            if i and levels[i - 1][: k + 1] == level[: k + 1]:
                continue  # inside the group the cell above spans
            span = next((j for j in range(i, len(rows)) if levels[j][: k + 1] != level[: k + 1]), len(rows)) - i
            cells.append({"text": _level(row, k, lang), "th": True, "scope": "rowgroup", "rowspan": span})
        cells.append({"text": _text(row, "label", lang), "th": True, "scope": "row", "colspan": depth - len(level)})
        line = by_code.get(row["code"], {})
        cells += [_cell(line, f, schema) for f in value_fields(schema)]
        body.append(cells)
    return {
        "caption": "",
        "kind": "rows",
        "head": _head(value_fields(schema), depth, corner, lang, words),
        "body": body,
    }


def _level(row: dict, k: int, lang: str) -> str:
    zh = str(row.get("group", "")).split(SEP)
    en = str(row.get("group_en", "")).split(SEP) if lang == "en" else []
    return en[k] if len(en) > k and len(en) == len(zh) else zh[k]


def _blocks(schema: dict, rows: list[dict], by_code: dict, lang: str, words: dict) -> list[dict]:
    """表二: one grid per block (rows of the same group), with the block's own columns."""
    grids: list[dict] = []
    fields = {f["name"]: f for f in value_fields(schema)}
    units = {f.get("unitField") for f in fields.values()}
    for row in rows:
        if grids and grids[-1]["group"] == row.get("group"):
            block = grids[-1]
        else:
            own = [fields[n] for n in cells_of(schema, row) if n not in units]
            head = [[{"text": words["item"], "th": True, "scope": "col"}]]
            head[0] += [{"text": _text(f, "title", lang), "th": True, "scope": "col"} for f in own]
            block = {"group": row.get("group"), "caption": _text(row, "group", lang), "head": head, "body": []}
            block["fields"] = own
            grids.append(block)
        line = by_code.get(row["code"], {})
        label = {"text": _text(row, "label", lang), "th": True, "scope": "row"}
        block["body"].append([label] + [_cell(line, f, schema) for f in block["fields"]])
    return [{"caption": g["caption"], "kind": "block", "head": g["head"], "body": g["body"]} for g in grids]


def preview_rows(resources: list[dict], default: int) -> int:
    """The preview the page needs: every row of each national table (表三 has 25), at least `default`."""
    counts = [len(r["schema"].get("rows") or [1]) for r in resources if table_number(r.get("schema"))]
    return max([default, *counts])


def page_report(report: dict[str, Any] | None, lang: str) -> dict[str, Any] | None:
    """The layout in the page's language, each part's prose as the sanitised HTML it is."""
    if not report or lang not in report:
        return None
    parts = [dict(p, html=Markup(p["html"])) for p in report[lang]["parts"]]
    return dict(report[lang], parts=parts)
