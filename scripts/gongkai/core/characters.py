"""The characters no text gongkai publishes may hold: one decision for datasets (validate/text.py)
and site settings (config.py), which reach every page, the feed and the catalogs."""

from __future__ import annotations

import re

# C0 controls except tab, LF, CR; DEL; bidi embeddings, overrides and isolates; and U+FFFE and
# U+FFFF, which are not characters: XML cannot hold them, so the feed and an XLSX carrying one
# would not open.
CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u202a-\u202e\u2066-\u2069\ufffe\uffff]")
