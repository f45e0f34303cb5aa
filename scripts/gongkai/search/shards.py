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

from ..core import sitepaths
from .documents import FIELDS, WEIGHTS, Document
from .terms import EXACT, MAX_PREFIX, MIN_PREFIX, exact, shard_of, terms

FORMAT = 1  # meta.json's "format": search.js refuses an index it does not know
DOC_CHUNK = 50  # documents per display chunk: a query loads those of its first results
VALUE_CHUNK = 256  # values per chunk
SLOTS = 8  # slots kept per term, document and field
SHARD_BYTES = 200_000  # a shard's estimated JSON (shard_count: about twice the real), 20-30 KB with gzip
FIELD = {name: i for i, name in enumerate(FIELDS)}


def _json(value) -> bytes:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), sort_keys=True).encode("utf-8")


class IndexWriter:
    """Documents in (datasets first, then pages), files out (finish)."""

    def __init__(self, lang: str):
        self.lang = lang
        self.postings: dict[str, array] = {}
        self.docs: list[list] = []  # the open display chunk
        self.values: list[list] = []  # the open value chunk
        self.files: dict[str, bytes] = {}
        self.count = self.datasets = self.value_count = 0

    def add(self, doc: Document) -> None:
        number = self.count
        if doc.kind == "dataset":
            if self.datasets != number:
                raise ValueError("dataset documents come before all others")
            self.datasets += 1
        self.count += 1
        for name in ("title", "keywords", "description", "text"):
            found = {t for text in doc.texts.get(name, []) for t in terms(text, prefixes=True)}
            self._post(number, FIELD[name], {t: [] for t in found})
        slotted: dict[str, list[int]] = {}
        for column, text in enumerate(doc.column_texts):
            heading = doc.columns[column][2]
            keys = [*terms(text, prefixes=True), exact(heading), exact(text.split(" ", 1)[0])]
            for t in dict.fromkeys(k for k in keys if k):
                slotted.setdefault(t, []).append(column)
        self._post(number, FIELD["columns"], slotted)
        slotted = {}
        for column, value in doc.values:
            vid = self.value_count
            self.value_count += 1
            self._value(column, value)
            whole = exact(value)
            for t in [*terms(value, prefixes=True), *([whole] if whole else [])]:
                slotted.setdefault(t, []).append(vid)
        self._post(number, FIELD["values"], slotted)
        self.docs.append([doc.url, doc.title, doc.snippet, [list(c) for c in doc.columns]])
        if len(self.docs) == DOC_CHUNK:
            self._flush_docs()

    def _post(self, doc: int, field_number: int, found: dict[str, list[int]]) -> None:
        for term in sorted(found):
            slots = found[term][:SLOTS]
            held = self.postings.get(term)
            if held is None:
                held = self.postings[term] = array("i")
            held.extend((doc, field_number, len(slots), *slots))

    def _value(self, column: int, value: str) -> None:
        self.values.append([column, value])
        if len(self.values) == VALUE_CHUNK:
            self._flush_values()

    def _flush_docs(self) -> None:
        if self.docs:
            number = (self.count - 1) // DOC_CHUNK
            self.files[sitepaths.search_chunk(self.lang, "docs", number)] = _json(self.docs)
            self.docs = []

    def _flush_values(self) -> None:
        if self.values:
            number = (self.value_count - 1) // VALUE_CHUNK
            self.files[sitepaths.search_chunk(self.lang, "values", number)] = _json(self.values)
            self.values = []

    def finish(self) -> dict[str, bytes]:
        """Every file of this language's index, by site path (meta.json last, with the hash of the rest)."""
        self._flush_docs()
        self._flush_values()
        shards = shard_count(self.postings)
        by_shard: list[list[str]] = [[] for _ in range(shards)]
        for term in self.postings:
            by_shard[shard_of(term, shards)].append(term)
        for number, names in enumerate(by_shard):
            shard = {term: self.postings.pop(term).tolist() for term in sorted(names)}
            self.files[sitepaths.search_chunk(self.lang, "terms", number)] = _json(shard)
        digest = hashlib.sha256()
        for path in sorted(self.files):
            digest.update(path.encode("utf-8") + b"\0" + self.files[path])
        meta = {
            "format": FORMAT,
            "version": digest.hexdigest()[:16],
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
        self.files[sitepaths.search_meta(self.lang)] = _json(meta)
        return self.files


def shard_count(postings: dict[str, array]) -> int:
    """A power of two, so that a shard's JSON stays about SHARD_BYTES: from the terms' sizes."""
    size = sum(len(t.encode("utf-8")) + 4 + 4 * len(p) for t, p in postings.items())
    return 1 << max(0, math.ceil(math.log2(max(1, size / SHARD_BYTES))))
