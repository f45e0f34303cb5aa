"""The search index's terms: how text and a query become the same words.

One rule set, written twice: here for the index, in docs/assets/search.js for the reader's
query (tests/test_browser.py runs both on the same strings and compares). Chinese has no
spaces and no dictionary is shipped to the browser, so a run of CJK characters becomes every
pair of neighbours (沙面街道 -> 沙面 面街 街道): any part of two characters or more of a word
finds it. A run of ASCII letters and digits is one term, and the index also holds its
prefixes of three characters or more, so a code's start finds it (440103 -> 440103001).
"""

from __future__ import annotations

import re
import unicodedata

import numpy as np

MIN_PREFIX = 3  # the shortest prefix of an ASCII token the index holds
MAX_PREFIX = 24  # and the longest: a 64-character hash does not add 60 terms
EXACT = "="  # starts the term that stands for a whole value, written as its runs (exact())

# CJK ideographs (the unified blocks and their extensions, compatibility ideographs), kana and
# hangul: scripts written without spaces between words.
_CJK = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff\U00020000-\U0003134f"
_RUN = re.compile(f"([{_CJK}]+)|([a-z0-9]+)")


def runs(text: str) -> list[str]:
    """The runs of CJK characters and of ASCII letters and digits, after NFKC and lower case
    (full-width ４４０ is 440); everything else separates them."""
    folded = unicodedata.normalize("NFKC", text).lower()
    return [m.group() for m in _RUN.finditer(folded)]


def _run_terms(run: str, prefixes: bool) -> list[str]:
    if run[0].isascii():
        if not prefixes or len(run) < MIN_PREFIX + 1:
            return [run]
        return [run[:n] for n in range(MIN_PREFIX, min(len(run), MAX_PREFIX + 1))] + [run]
    if len(run) == 1:
        return [run]
    return [run[i : i + 2] for i in range(len(run) - 1)]


def terms(text: str, *, prefixes: bool = False) -> list[str]:
    """The distinct terms of text, in order of first appearance. The index asks for prefixes
    too (prefixes=True); a query does not, so its own token must be one of them."""
    found: dict[str, None] = {}
    for run in runs(text):
        for term in _run_terms(run, prefixes):
            found.setdefault(term)
    return list(found)


def exact(text: str) -> str | None:
    """The one term a whole value is indexed under, and a query equal to it asks for: its runs
    joined by a space (so 沙面街道 and ＂沙面街道＂ are the same value). None for text without any."""
    parts = runs(text)
    return EXACT + " ".join(parts) if parts else None


def shard_of(term: str, shards: int) -> int:
    """The shard a term's postings are in: FNV-1a (32 bits) of its UTF-8 bytes, modulo the
    shard count; search.js computes the same."""
    h = 0x811C9DC5
    for byte in term.encode("utf-8"):
        h = ((h ^ byte) * 0x01000193) & 0xFFFFFFFF
    return h % shards


def shards_of(names: list[str], shards: int) -> np.ndarray:
    """shard_of for many terms at once: the same FNV-1a, a byte column at a time for the terms
    of each length."""
    encoded = [t.encode("utf-8") for t in names]
    lengths = np.fromiter(map(len, encoded), np.int64, len(encoded))
    found = np.zeros(len(encoded), np.int64)
    for length in np.unique(lengths).tolist():
        which = np.flatnonzero(lengths == length)
        table = np.frombuffer(b"".join(encoded[i] for i in which.tolist()), np.uint8).reshape(len(which), length)
        h = np.full(len(which), 0x811C9DC5, np.uint64)
        for column in table.T:
            h = ((h ^ column) * np.uint64(0x01000193)) & np.uint64(0xFFFFFFFF)
        found[which] = (h % np.uint64(shards)).astype(np.int64)
    return found
