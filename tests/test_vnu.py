"""Every built page through the Nu HTML Checker (vnu.jar, pinned in tools/vnu/, run with Debian's
Java): the HTML our templates write passes; what Material for MkDocs itself writes is listed below,
each message with the reason it is left."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess

import pytest
from conftest import ROOT

VNU = ROOT / "tools/vnu/node_modules/vnu-jar/build/dist/vnu.jar"

# (message, the markup it is about, why it stays): each is in a template of Material 9 that we do
# not override, and each is what the theme's own script or stylesheet relies on.
MATERIAL = [
    (
        "Attribute “autocomplete” is only allowed when the input type is",
        r'<input class="md-toggle" data-md-toggle="(drawer|search)" type="checkbox"',
        "base.html: the drawer and search toggles are checkboxes that Material's CSS opens and closes; "
        "autocomplete=off keeps a browser from restoring one left open when the reader goes back",
    ),
    (
        "The value of the “for” attribute of the “label” element must be the ID of a non-hidden form control.",
        r'<label class="md-nav__title" for="__toc">',
        "partials/toc.html: the table of contents' title labels the hidden __toc toggle that opens it on phones",
    ),
    (
        "Bad value “” for attribute “tabindex” on element “label”",
        r'<label class="md-nav__link" for="__nav_\d+" id="__nav_\d+_label" tabindex=""',
        'partials/nav-item.html: a section\'s label in the navigation; Material writes tabindex="" (no tab '
        "stop) for a section that is not itself a link",
    ),
]


def _java() -> str | None:
    return shutil.which("java")


@pytest.fixture(scope="module")
def checked(built_site):
    missing = [what for what, ok in (("tools/vnu (make vnu)", VNU.is_file()), ("java", _java())) if not ok]
    if missing:
        if os.environ.get("GONGKAI_REQUIRE_BROWSER"):
            raise RuntimeError(f"the Nu HTML Checker cannot run here: {', '.join(missing)} missing (make vnu)")
        pytest.skip(f"the Nu HTML Checker cannot run: {', '.join(missing)} missing; `make vnu` installs it")
    site = built_site / "site"
    pages = sorted(str(p) for p in site.rglob("*.html"))
    run = subprocess.run(
        [_java(), "-jar", str(VNU), "--format", "json", "--exit-zero-always", *pages],
        capture_output=True,
        text=True,
        timeout=600,
    )
    return site, pages, json.loads(run.stderr)["messages"]


def _material(message: dict) -> bool:
    return any(
        message["message"].startswith(text) and re.search(markup, message.get("extract", ""))
        for text, markup, _ in MATERIAL
    )


def test_every_page_passes_the_nu_html_checker_but_for_what_material_writes(checked):
    site, pages, messages = checked
    assert len(pages) > 40  # every page type of the real catalog, in both languages
    ours = [
        f"{m.get('url', '').split(str(site))[-1]}:{m.get('lastLine')}: {m['message']} {m.get('extract', '')!r}"
        for m in messages
        if m["type"] in ("error", "non-document-error") and not _material(m)
    ]
    assert ours == []


def test_each_allowed_message_is_still_found(checked):
    # An allowance that no longer matches anything is dropped from the list, not kept "just in case".
    _, _, messages = checked
    for text, markup, why in MATERIAL:
        assert any(m["message"].startswith(text) and re.search(markup, m.get("extract", "")) for m in messages), why


def test_the_catalog_cards_hold_their_filter_values_as_json_in_valid_attributes(built_site):
    page = (built_site / "site/datasets/index.html").read_text(encoding="utf-8")
    assert "\x1f" not in page
    from selectolax.lexbor import LexborHTMLParser

    cards = LexborHTMLParser(page).css("li.gk-card")
    assert cards
    for card in cards:
        topics = json.loads(card.attributes["data-topic"])
        assert topics and all(isinstance(t, str) for t in topics)
        assert json.loads(card.attributes["data-format"])[:1] == ["CSV"]
