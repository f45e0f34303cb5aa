"""What a national table's schema (schemas/annual-report/…) says about its layout, for the scaffold
that writes a report's tables and the page that lays them out.

The schema names which table it is (`annual-report-2021-table-3`: 表三 of the 2021 format), its
rows (`rows`, each with its `group`: 三、本年度办理结果 · （三）不予公开) and its columns (a field's
title 法人或其他组织：商业企业 is the column 商业企业 under the heading 法人或其他组织). 表二 is
printed as blocks, one per item of 条例第二十条, each with its own columns; which column belongs
to which block is read from the 条例 item both name in their `article`.
"""

from __future__ import annotations

import re

NAME = re.compile(r"annual-report-(?:(\d{4})-)?table-(\d+)")
LABELS = ("row_code", "row_label")  # the columns that name a row; the others hold its figures


def table_number(schema: object) -> int | None:
    """2, 3 or 4 for a national table's schema (by its name), None for any other."""
    name = schema.get("name") if isinstance(schema, dict) else None
    match = NAME.fullmatch(name) if isinstance(name, str) else None
    return int(match.group(2)) if match else None


def value_fields(schema: dict) -> list[dict]:
    return [f for f in schema.get("fields", []) if isinstance(f, dict) and f.get("name") not in LABELS]


def cells_of(schema: dict, row: dict | None) -> list[str]:
    """The value fields a row of the national table has a cell for. 表三 and 表四 have every cell;
    each block of 表二 has its own columns: a field belongs to the rows whose 条例 item (第二十条第（一）项)
    its own `article` names."""
    values = value_fields(schema)
    if row is None or schema.get("sums") or not row.get("article"):
        return [f["name"] for f in values]
    items = set(_items(str(row["article"])))
    return [f["name"] for f in values if items and items <= set(_items(str(f.get("article", ""))))]


def _items(article: str) -> list[str]:
    # 第二十条第（五）项、第（六）项 -> ["第二十条（五）", "第二十条（六）"]
    found, article_no = [], ""
    for part in re.finditer(r"(第[^第（]+条)?第（([^）]+)）项", article):
        article_no = part.group(1) or article_no
        found.append(f"{article_no}（{part.group(2)}）")
    return found
