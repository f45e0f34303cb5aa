"""A dataset's query page: SQL in the browser (DuckDB-Wasm, docs/assets/query.js) over the
dataset's Parquet files, with example queries written from its schema. Pure: built from the
dataset's page model; the template shows it, and the page works under any sub-path (every
link is relative).
"""

from __future__ import annotations

from typing import Any

from markupsafe import Markup

from ..core import sitepaths
from .markup import front_matter
from .messages import TABLES
from .templating import render

GROUPS_MAX = 60  # a column with at most this many distinct values is a category worth counting by


def render_query(
    model: dict[str, Any], lang: str = "zh", *, engine: bool = True, links: dict[str, str] | None = None
) -> str:
    """The query page of one dataset in one language; engine: whether the site publishes DuckDB-Wasm;
    links: the dataset's files in the download store (publish/blobs.py), fetched from there."""
    words = TABLES[lang]["query"]
    up = "../../../" if lang == "zh" else "../../../../"  # from datasets/<name>/query/ (or en/…) to the root
    tables = [
        {
            "name": t["name"],
            "title": t["title"] if lang == "zh" else (t.get("title_en") or t["title"]),
            "rows": t["rows"],
            "file": sitepaths.resource_file(t["name"], "parquet"),
            "url": (links or {}).get(sitepaths.resource_file(t["name"], "parquet"))
            or up + sitepaths.dataset_file(model["name"], sitepaths.resource_file(t["name"], "parquet")),
            "columns": [f["name"] for f in t["fields"]],
        }
        for t in model["tables"]
    ]
    head = {"gongkai_query": True}  # overrides/main.html loads the query page's script on this page only
    return render(
        "query.md.j2",
        lang,
        front=Markup(front_matter(head)),
        d=model,
        title=model["title"] if lang == "zh" else (model["meta"].get("title_en") or model["title"]),
        tables=tables,
        examples=example_queries(model, words, lang),
        engine=up + sitepaths.QUERY_ENGINE if engine else "",
        dataset_page="../",
    )


def example_queries(model: dict[str, Any], words: dict[str, str], lang: str = "zh") -> list[dict[str, str]]:
    """Two to four queries a reader can run at once, from the schema and the data's profile:
    the first rows, counts by the page's crosstab (or by a category column), one row by its key,
    and a sum of a number column by category."""
    examples = []
    first = model["tables"][0]
    examples.append({"title": words["example_rows"], "sql": f"SELECT *\nFROM {ident(first['name'])}\nLIMIT 100"})
    for spec in model["meta"].get("crosstabs", [])[:1]:
        rows, cols = ident(spec["rows"]), ident(spec["columns"])
        examples.append(
            {
                "title": words["example_crosstab"].format(title=spec["title"]),
                "sql": (
                    f"SELECT {rows}, {cols}, count(*) AS n\nFROM {ident(spec['resource'])}\n"
                    f"GROUP BY {rows}, {cols}\nORDER BY {rows}, {cols}"
                ),
            }
        )
    for t in model["tables"]:
        category = _category(t, lang)
        if category and not model["meta"].get("crosstabs"):
            name = ident(category["name"])
            examples.append(
                {
                    "title": words["example_group"].format(column=category["heading"]),
                    "sql": f"SELECT {name}, count(*) AS n\nFROM {ident(t['name'])}\nGROUP BY {name}\nORDER BY n DESC",
                }
            )
            break
    keyed = next((t for t in model["tables"] if t["primary_key"] and t["preview"]), None)
    if keyed is not None and "," not in keyed["primary_key"]:
        key = keyed["primary_key"]
        position = [f["name"] for f in keyed["fields"]].index(key)
        value = keyed["preview"][0][position]
        kind = keyed["fields"][position]["type"]
        literal = value if kind == "integer" and value.lstrip("-").isdigit() else literal_text(value)
        examples.append(
            {
                "title": words["example_key"].format(column=_heading(keyed["fields"][position], lang)),
                "sql": f"SELECT *\nFROM {ident(keyed['name'])}\nWHERE {ident(key)} = {literal}",
            }
        )
    return examples[:4]


def _heading(f: dict[str, Any], lang: str) -> str:
    return (f.get("title") if lang == "zh" else f.get("title_en")) or f["name"]


def _category(t: dict[str, Any], lang: str) -> dict[str, Any] | None:
    # a text column that repeats: fewer distinct values than rows, and few enough to read
    for f in t["fields"]:
        p = f["profile"]
        if f["type"] == "string" and 1 < p["distinct"] <= GROUPS_MAX and p["distinct"] < p["filled"]:
            return dict(f, heading=_heading(f, lang))
    return None


def ident(name: str) -> str:
    """An SQL identifier, always quoted: a resource or field name may hold a hyphen or a keyword."""
    return '"' + name.replace('"', '""') + '"'


def literal_text(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"
