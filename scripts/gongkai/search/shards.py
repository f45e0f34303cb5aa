"""The search index's files for one language, written from documents one at a time.

    search/<lang>/meta.json      shard count, chunk sizes, fields and weights, a version hash
    search/<lang>/t/<n>.json     terms hashed into shards: {term: postings}
    search/<lang>/d/<n>.json     documents' display data, DOC_CHUNK a file, by document number
    search/<lang>/v/<n>.json     the row values a result names, VALUE_CHUNK a file, by value number

A term's postings are flat integers, one group per document field it occurs in:
    document, field (documents.FIELDS), n, then n slots
where a slot is a column's number in that document (field "columns") or a value's number
(field "values"), and n is 0 for the other fields. A document holds at most SLOTS slots per
term and field, so a term in every row of a big table costs as much as a rare one; the
value a result shows is one all the query's terms share, else the rarest term's.

A query reads meta.json, the shards of its terms and the chunks of its first results only:
the cost of one search stays flat as the catalog grows. The same documents in the same order
give the same bytes. Postings are held as compact integer arrays and each shard's are let go
once its file is written, so no posting is held twice.
"""

from __future__ import annotations

import hashlib
import json
import math
from array import array
from pathlib import Path
from typing import Any

from ..core import sitepaths
from ..core.output import write_if_changed
from .documents import FIELDS, WEIGHTS, Document
from .terms import EXACT, MAX_PREFIX, MIN_PREFIX, exact, shard_of, terms

FORMAT = 1  # meta.json's "format": search.js refuses an index it does not know
DOC_CHUNK = 50  # documents per display chunk: a query loads those of its first results
VALUE_CHUNK = 256  # values per chunk
SLOTS = 8  # slots kept per term, document and field
# Groups (document fields) kept per term: a word in every README of a huge catalog would make one
# shard, and every query with it, as big as the catalog. Past this the strongest fields are kept
# (a title before a README), then the lowest document numbers (dataset pages first).
MAX_GROUPS = 1000
CUT = "+"  # a shard's "+<term>": how many documents a cut term was in (the box then says "1000+")
SHARD_BYTES = 50_000  # a shard's JSON on average; the fullest are about three times that, under 50 KB with gzip
FIELD = {name: i for i, name in enumerate(FIELDS)}


def _json(value) -> bytes:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), sort_keys=True).encode("utf-8")


class IndexWriter:
    """Documents in (datasets first, then pages), files out (finish): as bytes, or written
    into `folder` as they are made (a huge catalog's index is not held in memory)."""

    def __init__(self, lang: str, folder: Path | None = None):
        self.lang, self.folder = lang, folder
        self.postings: dict[str, array] = {}
        self.docs: list[list] = []  # the open display chunk
        self.values: list[list] = []  # the open value chunk
        self.files: dict[str, bytes | Path] = {}
        self.digest = hashlib.sha256()  # of every file but meta.json, in the order written
        self.count = self.datasets = self.value_count = 0

    def _emit(self, path: str, data: bytes) -> None:
        self.digest.update(path.encode("utf-8") + b"\0" + data)
        if self.folder is None:
            self.files[path] = data
            return
        target = self.folder / path
        target.parent.mkdir(parents=True, exist_ok=True)
        write_if_changed(str(target), data)  # names the file on a full disk, for the CLI's one line
        self.files[path] = target

    def add(self, doc: Document | Prepared) -> None:
        """The next document: as it is, or as `prepare` made it (a cached one's terms are not found again)."""
        ready = doc if isinstance(doc, dict) else prepare(doc)
        number = self.count
        if ready["kind"] == "dataset":
            if self.datasets != number:
                raise ValueError("dataset documents come before all others")
            self.datasets += 1
        self.count += 1
        first_value = self.value_count  # a document's value slots count from its own first value
        for field_number, names, flat in ready["fields"]:
            shift = first_value if field_number == FIELD["values"] else 0
            at = 0
            for term in names:
                n = flat[at]
                held = self.postings.get(term)
                if held is None:
                    held = self.postings[term] = array("i")
                held.extend((number, field_number, n))
                if n:
                    slots = flat[at + 1 : at + 1 + n]
                    held.extend(array("i", [s + shift for s in slots]) if shift else slots)
                at += 1 + n
        for column, value in ready["values"]:
            self.value_count += 1
            self._value(column, value)
        self.docs.append(ready["shown"])
        if len(self.docs) == DOC_CHUNK:
            self._flush_docs()

    def _value(self, column: int, value: str) -> None:
        self.values.append([column, value])
        if len(self.values) == VALUE_CHUNK:
            self._flush_values()

    def _flush_docs(self) -> None:
        if self.docs:
            number = (self.count - 1) // DOC_CHUNK
            self._emit(sitepaths.search_chunk(self.lang, "docs", number), _json(self.docs))
            self.docs = []

    def _flush_values(self) -> None:
        if self.values:
            number = (self.value_count - 1) // VALUE_CHUNK
            self._emit(sitepaths.search_chunk(self.lang, "values", number), _json(self.values))
            self.values = []

    def finish(self) -> dict[str, bytes | Path]:
        """Every file of this language's index, by site path (meta.json last, with the hash of the rest)."""
        self._flush_docs()
        self._flush_values()
        cut: dict[str, int] = {}
        for term, held in self.postings.items():
            if len(held) > MAX_GROUPS * 3:  # each group is at least 3 integers: fewer cannot be cut
                groups = _groups(held)
                if len(groups) > MAX_GROUPS:
                    kept = _strongest(groups)
                    self.postings[term] = _packed(kept)
                    if (documents := len({g[0] for g in groups})) > len({g[0] for g in kept}):  # some lost it
                        cut[term] = documents
        shards = shard_count(self.postings)
        by_shard: list[list[str]] = [[] for _ in range(shards)]
        for term in self.postings:
            by_shard[shard_of(term, shards)].append(term)
        for number, names in enumerate(by_shard):
            shard: dict[str, list[int] | int] = {term: self.postings.pop(term).tolist() for term in sorted(names)}
            shard.update({CUT + term: cut[term] for term in names if term in cut})
            self._emit(sitepaths.search_chunk(self.lang, "terms", number), _json(shard))
        meta = {
            "format": FORMAT,
            "version": self.digest.hexdigest()[:16],
            "shards": shards,
            "documents": self.count,
            "datasets": self.datasets,
            "doc_chunk": DOC_CHUNK,
            "value_chunk": VALUE_CHUNK,
            "fields": list(FIELDS),
            "weights": [WEIGHTS[f] for f in FIELDS],
            "min_prefix": MIN_PREFIX,
            "max_prefix": MAX_PREFIX,
            "exact": EXACT,
        }
        self._emit(sitepaths.search_meta(self.lang), _json(meta))
        return self.files


# A document as the index takes it: kind, shown (its display entry), values ([column, value] in
#   order) and fields: per document field, in the order posted, [field number, its terms (sorted),
#   their slots as one flat array: for each term n, then its n slots], a value slot counted from
#   the document's own first value. renderedpages.py keeps it for the next build.
Prepared = dict[str, Any]


def prepare(doc: Document) -> Prepared:
    """The terms of a document, by field, with their slots: the costly part of indexing it."""
    fields: list[list] = []

    def post(name: str, found: dict[str, list[int]]) -> None:
        names, flat = sorted(found), array("i")
        for term in names:
            slots = found[term][:SLOTS]
            flat.append(len(slots))
            flat.extend(slots)
        fields.append([FIELD[name], names, flat])

    for name in ("title", "keywords", "description", "text"):
        post(name, {t: [] for text in doc.texts.get(name, []) for t in terms(text, prefixes=True)})
    slotted: dict[str, list[int]] = {}
    for column, text in enumerate(doc.column_texts):
        heading = doc.columns[column][2]
        keys = [*terms(text, prefixes=True), exact(heading), exact(text.split(" ", 1)[0])]
        for t in dict.fromkeys(k for k in keys if k):
            slotted.setdefault(t, []).append(column)
    post("columns", slotted)
    slotted = {}
    for number, (_, value) in enumerate(doc.values):
        whole = exact(value)
        for t in [*terms(value, prefixes=True), *([whole] if whole else [])]:
            slotted.setdefault(t, []).append(number)
    post("values", slotted)
    shown = [doc.url, doc.title, doc.snippet, [list(c) for c in doc.columns]]
    return {"kind": doc.kind, "shown": shown, "values": [[c, v] for c, v in doc.values], "fields": fields}


def _groups(held: array) -> list[tuple[int, int, list[int]]]:
    out, i = [], 0
    while i < len(held):
        n = held[i + 2]
        out.append((held[i], held[i + 1], held[i + 3 : i + 3 + n].tolist()))
        i += 3 + n
    return out


def _strongest(groups: list[tuple[int, int, list[int]]]) -> list[tuple[int, int, list[int]]]:
    """A term's groups cut to MAX_GROUPS, the strongest fields first, in document order."""
    return sorted(sorted(groups, key=lambda g: (g[1], g[0]))[:MAX_GROUPS])


def _packed(groups: list[tuple[int, int, list[int]]]) -> array:
    out = array("i")
    for doc, field_number, slots in groups:
        out.extend((doc, field_number, len(slots), *slots))
    return out


def shard_count(postings: dict[str, array]) -> int:
    """A power of two, so that a shard's JSON stays about SHARD_BYTES: from the terms' sizes."""
    size = sum(len(t.encode("utf-8")) + 4 + 4 * len(p) for t, p in postings.items())
    return 1 << max(0, math.ceil(math.log2(max(1, size / SHARD_BYTES))))
