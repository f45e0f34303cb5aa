"""Markup that did not render: a page whose text shows Markdown or template syntax is refused.

A Markdown link inside an HTML block, a changelog's backticks in a table cell or a heading the
sanitiser dropped all reach the reader as raw syntax. Every value the site shows writes these
characters as entities (render/markup.py), so in a page's source they appear literally only
where the site's own markup failed; the check reads the source text, entities apart, and
leaves code, preformatted text, scripts, styles and attributes alone.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

# Elements whose text is shown as written, or not shown: their content is not page text.
VERBATIM = {"code", "pre", "kbd", "samp", "script", "style", "textarea", "title", "template", "svg", "math"}
# Elements inside a line of text; any other tag starts a line, for the heading check.
INLINE = {"a", "abbr", "b", "bdi", "bdo", "cite", "data", "dfn", "em", "i", "mark", "q", "s", "small", "span",
          "strong", "sub", "sup", "time", "u", "wbr", "label"}  # fmt: skip
ENTITY = "\x00"  # stands for an entity in the text read: it is never part of a match
STRAY = (
    (re.compile(r"(?:\[[^\]\n\x00]*)?\]\([^)\n\x00]*\)?"), "Markdown link syntax"),
    (re.compile(r"`[^`\n\x00]+`"), "Markdown code in backticks"),
    (re.compile(r"\{\{|\{%|%\}|\}\}"), "template markup"),
    (re.compile(r"(?m)^[ \t]*#{1,6}[ \t]+\S[^\n]*"), "a Markdown heading that did not render"),
)


def stray_markup(html_text: str) -> list[str]:
    """Each piece of Markdown or template syntax in the page's text, described with its text."""
    reader = _TextReader()
    reader.feed(html_text)
    reader.close()
    text = "".join(reader.text)
    found = []
    for pattern, what in STRAY:
        for match in pattern.finditer(text):
            found.append(f"{what} in the page text: {match.group().strip()[:80]!r}")
    return found


class _TextReader(HTMLParser):
    """The page's text as written in the source: entities kept apart, verbatim elements left out."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.text: list[str] = []
        self.verbatim = 0

    def handle_starttag(self, tag: str, attrs) -> None:
        if tag in VERBATIM:
            self.verbatim += 1
        elif tag not in INLINE:
            self.text.append("\n")

    def handle_startendtag(self, tag: str, attrs) -> None:
        if tag not in INLINE:
            self.text.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in VERBATIM:
            self.verbatim = max(0, self.verbatim - 1)
        elif tag not in INLINE:
            self.text.append("\n")

    def handle_data(self, data: str) -> None:
        if not self.verbatim:
            self.text.append(data)

    def handle_entityref(self, name: str) -> None:
        if not self.verbatim:
            self.text.append(ENTITY)

    def handle_charref(self, name: str) -> None:
        self.handle_entityref(name)
