"""The pages of the national tables' schemas: one per schema file of schemas/, and their index.

Each schema is published byte for byte at its own path (build.py takes the files from
read/schemaref.published), and beside it a page in each interface language that lists every row
and every column with the article of the 条例 it comes from, the sums that are checked
(validate/arithmetic.py) and how a dataset refers to it. The page is assembled once from a model of
the schema (schema_model); a schema that cannot be read as one stops the build, naming its file.
"""

from __future__ import annotations

import json
from typing import Any

from markupsafe import Markup

from ..core import sitepaths
from ..core.config import Settings
from ..core.errors import BuildError
from .messages import LANGUAGES
from .templating import render


def schema_pages(files: dict[str, bytes], settings: Settings) -> dict[str, str]:
    """Every schema's page and the index, in both languages, by their Markdown sources; {} without schemas."""
    models = [schema_model(path, data, settings) for path, data in sorted(files.items())]
    if not models:
        return {}
    pages = {}
    for lang in LANGUAGES:
        pages[sitepaths.page_md(sitepaths.SCHEMAS, lang)] = render(
            "schemas.md.j2", lang, schemas=models, files=_up(sitepaths.SCHEMAS, lang)
        )
        for model in models:
            pages[sitepaths.page_md(model["page"], lang)] = render(
                "schema.md.j2", lang, s=model, files=_up(model["page"], lang)
            )
    return pages


def _up(page: str, lang: str) -> Markup:
    # From a page's source folder to the root of the pages' sources, where the schema files' paths
    # start. The English page links the same way: the i18n plugin resolves its links from the folder
    # its source shares with the Chinese one, and the files are published once, for both.
    return Markup("../" * page.count("/"))


def schema_model(path: str, data: bytes, settings: Settings) -> dict[str, Any]:
    """What a schema's page shows, from the file's bytes."""
    try:
        schema = json.loads(data)
        fields = [_field(f) for f in schema["fields"]]
        rows = [_row(r) for r in schema.get("rows", [])]
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        raise BuildError(f"{path}: not a Table Schema the schema pages can show ({exc!r})") from None
    return {
        "file": path,
        "page": sitepaths.schema_page(path),
        "url": settings.url_for(path),
        "name": str(schema.get("name", "")),
        "version": str(schema.get("version", "")),
        "format": str(schema.get("reportFormat", "")),
        "title": _both(schema, "title"),
        "description": _both(schema, "description"),
        "layout": _both(schema, "layout"),
        "article": str(schema.get("article", "")),
        "source": str(schema.get("source", "")),
        "key": schema.get("primaryKey") or [],
        "fields": fields,
        "rows": rows,
        "sums": [_both(rule, "rule") for rule in schema.get("sums", [])],
    }


def _both(d: dict, key: str) -> dict[str, str]:
    """A text in each language: the English where the schema gives it, else the Chinese."""
    zh = str(d.get(key, ""))
    return {"zh": zh, "en": str(d.get(key + "_en") or zh)}


def _field(f: dict) -> dict[str, Any]:
    constraints = f.get("constraints") or {}
    return {
        "name": str(f["name"]),
        "title": _both(f, "title"),
        "type": str(f.get("type", "")),
        "unit": str(f.get("unit") or f.get("unitField") or ""),
        "required": bool(constraints.get("required")),
        "article": str(f.get("article", "")),
    }


def _row(r: dict) -> dict[str, Any]:
    return {
        "code": str(r["code"]),
        "label": str(r["label"]),
        "label_en": str(r.get("label_en", "")),
        "group": _both(r, "group") if r.get("group") else None,
        "article": str(r.get("article", "")),
    }
