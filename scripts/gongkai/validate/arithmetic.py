"""The national tables' arithmetic: the sums the annual-report format prints as rules.

A schema of schemas/ (read/schemaref.py) states its sums as data, under `sums`: parts that add up
to a total, either across a row's fields (表三: the applicant columns sum to 总计; 表四: each
group's 维持, 纠正, 其他结果 and 尚未审结 sum to its 总计) or down the rows, one column at a time
(表三: 本年新收 + 上年结转 = 办理结果总计 + 结转下年度继续办理). The rules are always those of the
repository's file, found by the reference or by the schema's name, so a copy of the schema with
its sums taken out still has them checked.

A sum that does not add up is a `sum-mismatch` at its cell, with both sides and their difference.
The source is never corrected silently: when the report itself prints the wrong sum, the resource
names the cell in `arithmeticNotes` ({"row": …, "field": …, "note": "原表如此印刷"}) and the
problem is listed as a warning with that note instead of stopping the build.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from decimal import Decimal, InvalidOperation
from pathlib import Path

from ..core.problems import Problem
from ..read.load import Dataset, fields_of, schema_of
from ..read.schemaref import published

NOTES = "arithmeticNotes"


def national_schemas(root: Path, having: str = "sums") -> dict[str, dict]:
    """The repository's schemas with sums (or with `having`: "rows"), by their name."""
    found = {}
    for data in published(root).values():
        try:
            schema = json.loads(data)
        except ValueError:
            continue  # not ours to report here: the schema pages' build names it
        if isinstance(schema, dict) and isinstance(schema.get("name"), str) and schema.get(having):
            found[schema["name"]] = schema
    return found


def check_arithmetic(ds: Dataset, root: Path) -> list[Problem]:
    """Every broken sum of every resource laid out by a national table (none for other resources)."""
    national = national_schemas(root)
    problems: list[Problem] = []
    for res in ds.resources:
        name = schema_of(res).get("name")
        schema = national.get(name) if isinstance(name, str) else None
        if schema is None:
            continue
        problems += _check_resource(ds, res, schema)
    return problems


def _check_resource(ds: Dataset, res: dict, schema: dict) -> list[Problem]:
    titles = {f["name"]: str(f.get("title", f["name"])) for f in fields_of(res)}
    numeric = [f["name"] for f in fields_of(res) if f.get("type") in ("integer", "number")]
    key = schema.get("primaryKey")
    key = key[0] if isinstance(key, list) and key else key if isinstance(key, str) else None
    labels = {r["code"]: str(r.get("label", r["code"])) for r in schema.get("rows", []) if isinstance(r, dict)}
    table = list(_rows(ds.root / res["path"]))
    notes = _notes(res)
    found: list[Problem] = []
    for rule in schema["sums"]:
        if rule.get("across") == "fields":
            checks = _across_fields(table, rule, titles, key)
        else:
            checks = _down_rows(table, rule, numeric, key, labels, titles)
        for line, field, row, left, right, left_zh, right_zh in checks:
            note = notes.get((row, field)) or notes.get((None, field))
            found.append(_problem(ds, res, rule, line, field, left, right, left_zh, right_zh, note))
    return found


def _across_fields(table, rule, titles, key) -> Iterator[tuple]:
    for line, row in table:
        left, right = _total(row, rule["parts"]), _total(row, rule["total"])
        if left is not None and right is not None and left != right:
            yield (
                line,
                rule["total"][0],
                row.get(key) if key else None,
                left,
                right,
                "、".join(_part(titles.get(f, f)) for f in rule["parts"]) + " 之和",
                "、".join(_part(titles.get(f, f)) for f in rule["total"]),
            )


def _down_rows(table, rule, numeric, key, labels, titles) -> Iterator[tuple]:
    if key is None:
        return
    by_code = {row.get(key): (line, row) for line, row in table}
    if not all(code in by_code for code in (*rule["parts"], *rule["total"])):
        return  # a row is missing: the enum and the primary key say which lines exist, not the sum
    line = by_code[rule["total"][0]][0]
    for field in numeric:
        left = _total_of([by_code[c][1] for c in rule["parts"]], field)
        right = _total_of([by_code[c][1] for c in rule["total"]], field)
        if left is not None and right is not None and left != right:
            yield (
                line,
                field,
                rule["total"][0],
                left,
                right,
                f"{titles.get(field, field)}列中 " + " + ".join(_short(labels.get(c, c)) for c in rule["parts"]),
                " + ".join(_short(labels.get(c, c)) for c in rule["total"]),
            )


def _part(title: str) -> str:
    # "法人或其他组织：商业企业" -> "商业企业": the group is in the rule the line ends with
    return title.rsplit("：", 1)[-1]


def _short(label: str) -> str:
    # 表三's labels run to 40 characters; the line needs only their number and first words
    return label if len(label) <= 14 else label[:12] + "…"


def _problem(ds, res, rule, line, field, left, right, left_zh, right_zh, note) -> Problem:
    difference = left - right
    message = (
        f"{' + '.join(rule['parts'])} = {_shown(left)} but {' + '.join(rule['total'])} = {_shown(right)} "
        f"(difference {_shown(difference)}): {rule.get('rule_en', '')}"
    )
    if note:
        message += f"; noted in {NOTES}: {note}"
    params = {
        "left": _shown(left),
        "right": _shown(right),
        "difference": _shown(difference),
        "left_zh": left_zh,
        "right_zh": right_zh,
        "check": str(rule.get("rule", "")),
        "noted": f"；已在 {NOTES} 注明：{note}" if note else "",
    }
    return Problem(
        "sum-mismatch",
        message,
        ds.file(res["path"]),
        line=line,
        field=field,
        dataset=ds.name,
        severity="warning" if note else "error",
        params=params,
    )


def _notes(res: dict) -> dict[tuple[str | None, str], str]:
    """(row, field) -> note, from the resource's arithmeticNotes (the profile checks their shape)."""
    notes = res.get(NOTES)
    found = {}
    for n in notes if isinstance(notes, list) else []:
        if isinstance(n, dict) and isinstance(n.get("field"), str) and isinstance(n.get("note"), str):
            row = n.get("row")
            found[(row if isinstance(row, str) else None, n["field"])] = n["note"]
    return found


def _rows(path: Path) -> Iterator[tuple[int, dict[str, str]]]:
    """Each record with the physical line it starts on (the header is line 1)."""
    with path.open(encoding="utf-8", newline="") as f:
        reader = csv.reader(f)
        header = next(reader, None)
        if header is None:
            return
        start = reader.line_num + 1
        for record in reader:
            yield start, dict(zip(header, record, strict=False))
            start = reader.line_num + 1


def _number(text: str | None) -> Decimal | None:
    if text is None or text.strip() == "":
        return None
    try:
        return Decimal(text)
    except InvalidOperation:
        return None  # the table check reports it


def _total(row: dict[str, str], fields: list[str]) -> Decimal | None:
    """The sum of a row's cells; None when one is empty or not a number (no sum to check)."""
    return _sum([_number(row.get(f)) for f in fields])


def _total_of(rows: list[dict[str, str]], field: str) -> Decimal | None:
    """The sum of one column over some rows; None as for _total."""
    return _sum([_number(r.get(field)) for r in rows])


def _sum(values: list[Decimal | None]) -> Decimal | None:
    total = Decimal(0)
    for v in values:
        if v is None:
            return None
        total += v
    return total


def _shown(value: Decimal) -> str:
    return format(value.normalize(), "f") if value != value.to_integral() else str(int(value))
