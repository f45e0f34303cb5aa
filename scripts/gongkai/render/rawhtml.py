"""Raw HTML blocks of generated pages, kept away from Python-Markdown.

A dataset page is mostly HTML that gongkai has already escaped (tables, panels, code). Python-
Markdown parses every tag of such a block only to pass it through unchanged, which is most of
what building a catalog's pages costs. Before conversion each self-contained block is swapped
for a placeholder paragraph; after conversion the placeholder is swapped back. The result is
the same page (tests/test_rawhtml.py converts every generated page both ways).
"""

from __future__ import annotations

import re

from markdown.util import BLOCK_LEVEL_ELEMENTS

VOID = {"hr"}  # block-level tags without a closing tag
TAGS = sorted(set(BLOCK_LEVEL_ELEMENTS) - VOID)
OPENS = re.compile(r"<(" + "|".join(TAGS) + r")[\s>/]", re.IGNORECASE)
CLOSES = re.compile(r"</(" + "|".join(TAGS) + r")\s*>", re.IGNORECASE)
PREFIX = "GKRAWHTML"
TOKEN = PREFIX + "{}X"


def stash(text: str) -> tuple[str, list[str]]:
    """The text with each raw HTML block (a paragraph that opens with a block-level tag and
    closes every block-level tag it opens, outside any block left open before it) replaced by a
    placeholder paragraph, and the blocks in order. Text that already holds a placeholder-like
    word is left as it is."""
    if PREFIX in text:
        return text, []
    blocks: list[str] = []
    out: list[str] = []
    depth = 0  # block-level tags opened and not yet closed: Markdown's raw block runs on through blank lines
    for chunk in re.split(r"(\n[ \t]*\n)", text):
        if not chunk.strip() or chunk.isspace():
            out.append(chunk)
            continue
        balance = len(OPENS.findall(chunk)) - len(CLOSES.findall(chunk))
        if depth == 0 and balance == 0 and OPENS.match(chunk) and chunk.rstrip().endswith(">"):
            out.append(TOKEN.format(len(blocks)))
            blocks.append(chunk)
        else:
            out.append(chunk)
        depth = max(0, depth + balance)
    return "".join(out), blocks


def unstash(html: str, blocks: list[str]) -> str:
    """The converted page with each placeholder paragraph replaced by its block."""
    if not blocks:
        return html
    seen: list[int] = []

    def back(match: re.Match) -> str:
        seen.append(int(match.group(1)))
        return blocks[int(match.group(1))] + "\n"

    restored = re.sub(r"<p>" + TOKEN.format(r"(\d+)") + r"</p>", back, html)
    if sorted(seen) != list(range(len(blocks))):
        raise ValueError("a raw HTML block was not restored after Markdown conversion")
    return restored.strip()  # as Markdown strips its output
