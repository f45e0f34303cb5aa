"""Escaping for untrusted text on its way into generated Markdown and HTML.

Cell values and metadata never pass through Markdown as Markdown: they go into raw HTML
blocks, escaped for HTML, with { and } turned into entities (no Jinja, no attribute lists)
and line breaks kept visible. Rich text (a dataset README) goes through a Markdown instance
with no extensions and an allowlist sanitiser.
"""

from __future__ import annotations

import json
import re
import threading

import markdown
import nh3

_MD_SPECIAL = re.compile(r"([\\*_()+\-.!~])")
# Markdown's and Jinja's syntax characters ([ ] ` # { }) are written as entities wherever a value
# is shown: the reader sees the same text, and the published HTML holds them literally only where
# the site's own markup did not render, which the site check (publish/pagetext.py) refuses.
_SYNTAX = {"[": "&#91;", "]": "&#93;", "`": "&#96;", "#": "&#35;", "{": "&#123;", "}": "&#125;"}
_HTML = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#x27;", **_SYNTAX})
_HTML_MD = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", "|": "&#124;", **_SYNTAX})
ALLOWED_TAGS = {"p", "a", "ul", "ol", "li", "em", "strong", "code", "pre", "br", "h3", "h4", "blockquote"}


def esc(text) -> str:
    """Text for an HTML context (element content or a quoted attribute)."""
    s = ("" if text is None else str(text)).translate(_HTML)
    return s.replace("\r\n", "<br>").replace("\n", "<br>").replace("\r", "<br>")


def esc_md(text) -> str:
    """Text for an inline Markdown context (headings, link texts, Markdown table cells)."""
    s = _MD_SPECIAL.sub(r"\\\1", ("" if text is None else str(text)).translate(_HTML_MD))
    return s.replace("\r\n", " ").replace("\n", " ").replace("\r", " ")


def esc_theme(text) -> str:
    """Text for the theme's templates (titles, meta tags): esc without turning line breaks into <br>."""
    return str(text).translate(_HTML)


# What YAML (PyYAML, which MkDocs reads front matter with) would refuse or fold inside a
# double-quoted string: DEL and C1 controls (U+0085 is a YAML line break), the Unicode line
# and paragraph separators, the BOM, BMP noncharacters and surrogates. JSON escapes C0 itself.
_YAML_UNSAFE = re.compile("[\x7f-\x9f\u2028\u2029\ufeff\ufdd0-\ufdef\ufffe\uffff\ud800-\udfff]")


def front_matter(values: dict) -> str:
    """A page's front matter that no character of a value can break: each value is JSON
    (valid YAML flow), with every character YAML treats specially written as a \\u escape.
    A front matter MkDocs cannot read would turn its JSON-LD and search text into page text."""
    lines = [
        f"{key}: {_YAML_UNSAFE.sub(_u_escape, json.dumps(value, ensure_ascii=False))}" for key, value in values.items()
    ]
    return "---\n" + "\n".join(lines) + "\n---"


def _u_escape(m: re.Match) -> str:
    return f"\\u{ord(m.group()):04x}"


# Python-Markdown looks for the closing bracket from every "[" of a paragraph: its time grows
# with the square of their number (15,000 "![" in a 31 KB README held a build for a minute).
# No real paragraph needs many; a paragraph beyond this is refused before Markdown sees it.
MAX_BRACKETS = 500


def bracket_overflow(text: str) -> tuple[int, int] | None:
    """(line, count) of the first paragraph with more than MAX_BRACKETS "[" characters, or None."""
    line = 1
    for block in re.split(r"(\n[ \t]*\n)", text):
        count = block.count("[")
        if count > MAX_BRACKETS:
            return line, count
        line += block.count("\n")
    return None


def rich_text(source: str) -> str:
    """Maintainer-written Markdown rendered without extensions, then sanitised by an allowlist."""
    rendered = _converter().reset().convert(source)
    # The README sits in a section of the page (h2): its headings start a level below, not as text
    rendered = _HEADING.sub(lambda m: f"<{m.group(1)}h{min(int(m.group(2)) + 2, 4)}", rendered)
    clean = nh3.clean(
        rendered,
        tags=ALLOWED_TAGS,
        attributes={"a": {"href", "title"}},
        url_schemes={"http", "https", "mailto"},
        link_rel="nofollow noopener",
    )
    return _TEXT_SYNTAX.sub(lambda m: _SYNTAX.get(m.group(), m.group()), clean)


def _converter() -> markdown.Markdown:
    """One converter per thread, reset before each text: making one costs more than converting a
    changelog line, and a build converts a thousand of them."""
    made = getattr(_local, "markdown", None)
    if made is None:
        made = _local.markdown = markdown.Markdown(extensions=[], output_format="html")
    return made


_local = threading.local()
_HEADING = re.compile(r"<(/?)h([1-6])(?=[\s>])")
# In sanitised HTML: a tag (quoted attributes may hold ">"), an entity, or a syntax character of the text
_TEXT_SYNTAX = re.compile(r"""<(?:[^>"']|"[^"]*"|'[^']*')*>|&#?\w+;|[\[\]`#{}]""")


def rich_inline(source: str) -> str:
    """One line of maintainer-written Markdown (a changelog entry in a table cell): rich_text
    without the paragraph around it."""
    html_text = rich_text(source).strip()
    if html_text.startswith("<p>") and html_text.endswith("</p>") and html_text.count("<p>") == 1:
        return html_text[3:-4]
    return html_text


def md_table(header: list[str], rows: list[list[str]]) -> str:
    """A Markdown table for the gate's pull-request comment (GitHub Markdown, not the site); cells
    are escaped Markdown."""
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)


def human_size(n: int) -> str:
    if n < 1024:
        return f"{n} B"
    size = float(n)
    for unit in ("KB", "MB", "GB"):
        size /= 1024
        if size < 1024 or unit == "GB":
            break
    return f"{size:.1f} {unit}"
