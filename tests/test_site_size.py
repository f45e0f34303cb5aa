"""A smaller site: no markup repeated on every cell, and listing pages bounded however many datasets."""

from __future__ import annotations

import re
from pathlib import Path

from gongkai.render.messages import TABLES

ROOT = Path(__file__).resolve().parents[1]


def test_the_stacked_dictionary_labels_on_a_phone_are_the_dictionary_header_in_both_languages():
    css = (ROOT / "docs/assets/gongkai.css").read_text(encoding="utf-8")
    zh = dict(re.findall(r'^  \.gk-stack td:nth-child\((\d)\)::before \{ content: "([^"]*)："; \}', css, re.M))
    en = dict(
        re.findall(r'^  html\[lang=en\] \.gk-stack td:nth-child\((\d)\)::before \{ content: "([^"]*): "; \}', css, re.M)
    )
    assert [zh[str(i)] for i in range(1, len(zh) + 1)] == TABLES["zh"]["dictionary_header"]
    assert [en[str(i)] for i in range(1, len(en) + 1)] == TABLES["en"]["dictionary_header"]
