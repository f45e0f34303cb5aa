"""Every row of a national table (schemas/): a resource laid out by 表二 or 表三 has each row the
format prints, once, named by its code in the primary key. The enum refuses a code that is not the
format's; this names one that is missing, which no sum can show (arithmetic.py checks a sum only
when all its rows are there). A row where nothing happened is written with 0, not left out."""

from __future__ import annotations

import csv

from ..core.problems import Problem
from ..read.load import Dataset, schema_of
from .arithmetic import national_schemas


def check_national_rows(ds: Dataset, root) -> list[Problem]:
    national = national_schemas(root, having="rows") if ds.resources else {}
    problems: list[Problem] = []
    for res in ds.resources:
        name = schema_of(res).get("name")
        schema = national.get(name) if isinstance(name, str) else None
        rows = schema.get("rows") if schema else None
        key = schema.get("primaryKey") if schema else None
        key = key[0] if isinstance(key, list) and key else key
        if schema is None or not isinstance(rows, list) or not isinstance(key, str):
            continue
        present = _codes(ds.root / res["path"], key)
        if present is None:
            continue  # no such column: the header check names it
        for row in rows:
            if isinstance(row, dict) and isinstance(row.get("code"), str) and row["code"] not in present:
                label = str(row.get("label", row["code"]))
                problems.append(
                    Problem(
                        "national-row-missing",
                        f"the row {row['code']} ({row.get('label_en') or label}) of {schema.get('title_en') or name} "
                        "is missing: the national table prints every row; write 0 where nothing happened",
                        ds.file(res["path"]),
                        field=key,
                        dataset=ds.name,
                        params={"code": row["code"], "label": label, "table": str(schema.get("title", name))},
                    )
                )
    return problems


def _codes(path, key: str) -> set[str] | None:
    with path.open(encoding="utf-8", newline="") as f:
        reader = csv.reader(f)
        header = next(reader, None)
        if header is None or key not in header:
            return None
        at = header.index(key)
        return {record[at] for record in reader if len(record) > at}
