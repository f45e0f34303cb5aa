"""Keeping raw HTML blocks away from Python-Markdown changes nothing on the page."""

from __future__ import annotations

import markdown
import pytest
import yaml
from conftest import ROOT
from gongkai.render.rawhtml import stash, unstash


def _converter():
    config = yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))
    names, options = [], {}
    for entry in config["markdown_extensions"]:
        name, opts = next(iter(entry.items())) if isinstance(entry, dict) else (entry, None)
        names.append(name)
        if opts:
            options[name] = opts
    return lambda text: markdown.Markdown(extensions=names, extension_configs=options).convert(text)


def _body(text: str) -> str:
    return text.split("\n---\n", 1)[1] if text.startswith("---\n") else text


def test_every_generated_page_converts_to_the_same_html_with_its_blocks_kept_apart(built_site):
    convert = _converter()
    pages = [
        p
        for p in sorted((built_site / "build/docs").rglob("*.md"))
        if "\ngongkai_explorer: true" in p.read_text(encoding="utf-8")
    ]
    assert len(pages) >= 18  # every seed dataset, in both interfaces
    kept = 0
    for page in pages:
        text = _body(page.read_text(encoding="utf-8"))
        stashed, blocks = stash(text)
        kept += len(blocks)
        assert unstash(convert(stashed), blocks) == convert(text), page
    assert kept > 10 * len(pages)  # most of each page went around Markdown


@pytest.mark.parametrize(
    "text",
    [
        '<pre><code>a\n\n<div class="x">inside the code</div>\n\nb</code></pre>',  # a block open across blank lines
        "<div>\n<p>one</p>\n\n<table><tr><td>two</td></tr></table>\n</div>",
        "<p>an HTML paragraph</p>\nand Markdown *after* it on the next line",
        "<span>an inline tag is Markdown's</span>",
        "GKRAWHTML0X already in the text\n\n<p>x</p>",
    ],
)
def test_blocks_that_are_not_self_contained_stay_with_markdown(text):
    convert = _converter()
    stashed, blocks = stash(text)
    assert unstash(convert(stashed), blocks) == convert(text)
    if "GKRAWHTML" in text or "<span>" in text or "*after*" in text:
        assert blocks == []


def test_a_lost_block_is_an_error_not_a_silent_gap():
    stashed, blocks = stash("# T\n\n<p>kept apart</p>\n")
    assert blocks == ["<p>kept apart</p>\n"] or blocks == ["<p>kept apart</p>"]
    with pytest.raises(ValueError):
        unstash("<h1>T</h1>", blocks)
