"""What the search index holds: one document per dataset page and per hand-written page, in
each interface language, with its text in weighted fields.

List pages (home, catalog, topics, publishers, quality, 404) are not documents: they repeat
the datasets' words and would rank above the datasets themselves. Of a dataset page only what
tells it apart is indexed (title, keywords, columns, row values, description, README), never
the boilerplate every page has (downloads, snippets, the dictionary's fixed words).
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from ..core import sitepaths
from ..core.config import Settings
from ..render.catalog import english, first_sentence

# The fields a query can match, strongest first: the client ranks by these weights
# (search.js reads them from meta.json), a dataset page above any other page.
FIELDS = ("title", "keywords", "columns", "values", "description", "text")
WEIGHTS = {"title": 100, "keywords": 70, "columns": 60, "values": 50, "description": 30, "text": 10}
SNIPPET_CHARACTERS = 160


@dataclass
class Document:
    url: str  # relative to the site root: datasets/x/, en/datasets/x/, guide/maintainers/
    title: str
    snippet: str  # the description's first sentence
    kind: str  # "dataset" or "page"
    texts: dict[str, list[str]] = field(default_factory=dict)  # field -> its texts (not columns, values)
    columns: list[tuple[str, str, str]] = field(default_factory=list)  # (resource, its title, the column's title)
    column_texts: list[str] = field(default_factory=list)  # what finds each column: its name and titles
    values: list[tuple[int, str]] = field(default_factory=list)  # (column, a distinct value)


def dataset_document(model: dict[str, Any], settings: Settings, lang: str) -> Document:
    """A dataset page's document from its page model (render.dataset_model) in one language."""
    meta = model["meta"]
    en = lang != "zh"
    title = english(meta, "title")[0] if en else model["title"]
    description = english(meta, "description")[0] if en else meta["description"]
    topics = [settings.localise("topic", t) if en else t for t in model["topics"]]
    publisher = settings.localise("publisher", model["publisher"]) if en else model["publisher"]
    given = [k for k in meta.get("keywords_en", []) if isinstance(k, str)] if en else []
    keywords = [*given, *meta.get("keywords", []), *topics, publisher]
    url = (sitepaths.ENGLISH if en else "") + sitepaths.dataset_page(model["name"])
    texts = {
        "title": [title, model["title"]] if en else [title],
        "keywords": keywords,
        "description": [description, *(str(s.get("title", "")) for s in model["sources"])],
        "text": [_plain(model["readme_html"])],
    }
    doc = Document(url, title, _snippet(description), "dataset", texts)
    for t in model["tables"]:
        resource_title = english(t, "title")[0] if en else t["title"]
        known = t.get("search_values", {})
        for f in t["fields"]:
            heading = (english(f, "title")[0] if en else f.get("title")) or f["name"]
            doc.columns.append((t["name"], resource_title, heading))
            doc.column_texts.append(" ".join(dict.fromkeys([f["name"], f.get("title", ""), heading])))
            column = len(doc.columns) - 1
            doc.values.extend((column, v) for v in known.get(f["name"], []))
    return doc


def page_documents(pages: dict[str, bytes], lang: str) -> Iterator[Document]:
    """The hand-written pages (docs/*.md), as text: title from the first heading, snippet from
    the first paragraph. Under /en/ the Chinese pages stand in for the English ones."""
    for rel in sorted(pages):
        if not rel.endswith(".md"):
            continue
        text = pages[rel].decode("utf-8", errors="replace")
        title, body, first = _markdown_text(text)
        url = (sitepaths.ENGLISH if lang != "zh" else "") + sitepaths.public_path(rel)[1:]
        yield Document(url, title or url, _snippet(first), "page", {"title": [title], "text": [body]})


_FRONT = re.compile(r"\A---\n.*?\n(?:---|\.\.\.)\n", re.DOTALL)
_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_MARKS = re.compile(r"^\s*(?:#+|[-*+]|\d+\.|>|\|)\s*|[*_`|]+|\{[^}]*\}", re.MULTILINE)


def _markdown_text(text: str) -> tuple[str, str, str]:
    """A Markdown page's title (its first # heading), its text without the markup, and its first
    paragraph of prose (not a heading, a list, a table or code)."""
    text = _FRONT.sub("", text.replace("\r\n", "\n"))
    title = next((line[2:].strip() for line in text.splitlines() if line.startswith("# ")), "")
    first = next((p for p in text.split("\n\n") if p.strip() and not p.lstrip().startswith(_NOT_PROSE)), "")
    return title, _strip(text), _strip(first)


_NOT_PROSE = ("#", "|", "-", "*", "`", "<", ">", "!", "[")


def _strip(text: str) -> str:
    body = _LINK.sub(r"\1", text)
    body = re.sub(r"<[^>]*>", " ", body)
    body = _MARKS.sub(" ", body)
    body = re.sub(r"^\s*:?-{3,}:?(\s+:?-{3,}:?)*\s*$", "", body, flags=re.MULTILINE)  # table rules
    return html.unescape(body)


def _plain(markup: str) -> str:
    # The README as its reader sees it: tags out, entities back to characters.
    return html.unescape(re.sub(r"<[^>]*>", " ", markup or ""))


def _snippet(text: str) -> str:
    text = " ".join(text.split())
    sentence = first_sentence(text)
    return sentence if len(sentence) <= SNIPPET_CHARACTERS else sentence[: SNIPPET_CHARACTERS - 1] + "…"
