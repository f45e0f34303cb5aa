"""The words of the generated pages, one table per language; the templates hold the markup.

A message is plain text: the template escapes it like any other value. Messages with
`{name}` slots are filled with `msg.x.format(...)` in the template, then escaped.
"""

from __future__ import annotations

from types import MappingProxyType

from .words_en import EN
from .words_zh import ZH

# Every language has the same keys (tests/test_templates.py); the templates read them as `msg`.
TABLES = MappingProxyType({"zh": ZH, "en": EN})
LANGUAGES = tuple(TABLES)
