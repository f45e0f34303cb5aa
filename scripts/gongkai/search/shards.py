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
give the same bytes. A document's terms are held as numbers and its slots as compact integer
arrays; finish() merges every document's postings in one stable sort (numpy) and hashes every
term to its shard at once, instead of a Python step per term of each document.
"""

from __future__ import annotations

import hashlib
import json
import math
from array import array
from collections.abc import Mapping, Sized
from pathlib import Path
from typing import Any

import numpy as np

from ..core import sitepaths
from ..core.output import write_if_changed
from .documents import FIELDS, WEIGHTS, Document
from .terms import EXACT, MAX_PREFIX, MIN_PREFIX, exact, shards_of, terms

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
    into `folder` as they are made (a huge catalog's index is not held in memory). A document's
    terms are held as numbers, its slots as it gave them; finish merges them all at once."""

    def __init__(self, lang: str, folder: Path | None = None):
        self.lang, self.folder = lang, folder
        self.numbers: dict[str, int] = {}  # term -> its number, in order of first appearance
        self.posted: list[Posted] = []
        self.docs: list[list] = []  # the open display chunk
        self.values: list[list] = []  # the values not yet in a chunk
        self.files: dict[str, bytes | Path] = {}
        self.digest = hashlib.sha256()  # of every file but meta.json, in the order written
        self.count = self.datasets = self.value_count = self.value_chunks = 0

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
        numbers = self.numbers
        for field_number, names, counts, slots in ready["fields"]:
            shift = first_value if field_number == FIELD["values"] else 0
            found = array("i", [numbers.setdefault(term, len(numbers)) for term in names])
            self.posted.append((number, field_number, shift, found, counts, slots))
        self.value_count += len(ready["values"])
        self.values.extend(ready["values"])
        while len(self.values) >= VALUE_CHUNK:  # each chunk as soon as it is full
            self._emit_values(self.values[:VALUE_CHUNK])
            del self.values[:VALUE_CHUNK]
        self.docs.append(ready["shown"])
        if len(self.docs) == DOC_CHUNK:
            self._flush_docs()

    def _flush_docs(self) -> None:
        if self.docs:
            number = (self.count - 1) // DOC_CHUNK
            self._emit(sitepaths.search_chunk(self.lang, "docs", number), _json(self.docs))
            self.docs = []

    def _emit_values(self, chunk: list[list]) -> None:
        self._emit(sitepaths.search_chunk(self.lang, "values", self.value_chunks), _json(chunk))
        self.value_chunks += 1

    def finish(self) -> dict[str, bytes | Path]:
        """Every file of this language's index, by site path (meta.json last, with the hash of the rest)."""
        self._flush_docs()
        if self.values:
            self._emit_values(self.values)
            self.values = []
        names = list(self.numbers)
        postings, cut = _merged(self.posted, len(names))
        self.posted = []
        shards = shard_count(dict(zip(names, postings, strict=True)))
        of = shards_of(names, shards)
        by_shard = np.split(np.argsort(of, kind="stable"), np.cumsum(np.bincount(of, minlength=shards))[:-1])
        for number, held in enumerate(t.tolist() for t in by_shard):
            shard: dict[str, list[int] | int] = {names[t]: postings[t].tolist() for t in held}
            shard.update({CUT + names[t]: cut[t] for t in held if t in cut})
            self._emit(sitepaths.search_chunk(self.lang, "terms", number), _json(shard))
            for t in held:
                postings[t] = _NONE  # let go once written
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


# One document field as add() holds it: document, field number, the shift of its value slots,
# its terms' numbers, each term's slot count, and the slots.
Posted = tuple[int, int, int, array, array, array]
_NONE = np.zeros(0, np.int32)


def _merged(posted: list[Posted], terms: int) -> tuple[list[np.ndarray], dict[int, int]]:
    """Each term's postings, by term number: every group (document, field, n, its n slots) in the
    order added, as one stable sort of every posted term; and the cut terms' document counts."""
    if not posted:
        return [_NONE] * terms, {}
    per_field = np.array([len(p[3]) for p in posted], np.int64)
    term, n, slots = (_joined([p[i] for p in posted]) for i in (3, 4, 5))  # type: ignore[misc]
    doc = np.repeat(np.array([p[0] for p in posted], np.int32), per_field)
    field = np.repeat(np.array([p[1] for p in posted], np.int32), per_field)
    slots = slots + np.repeat(np.repeat(np.array([p[2] for p in posted], np.int32), per_field), n)
    order = np.argsort(term, kind="stable")  # the groups by term, each term's in the order added
    size = 3 + n[order].astype(np.int64)
    at = np.cumsum(size) - size  # where each group starts in out
    out = np.empty(int(size.sum()), np.int32)
    out[at], out[at + 1], out[at + 2] = doc[order], field[order], n[order]
    rank = np.empty_like(order)
    rank[order] = np.arange(len(order))
    owner = np.repeat(np.arange(len(n)), n)  # the posted term of each slot
    first = np.cumsum(n) - n
    out[at[rank[owner]] + 3 + (np.arange(len(slots)) - first[owner])] = slots
    groups = np.bincount(term, minlength=terms)
    starts = np.cumsum(groups) - groups  # each term's first group
    ends = np.append(at, len(out))[starts + groups]
    postings = [out[a:b] for a, b in zip(at[starts].tolist(), ends.tolist(), strict=True)]
    cut: dict[int, int] = {}
    for t in np.flatnonzero(groups > MAX_GROUPS).tolist():
        own = np.arange(starts[t], starts[t] + groups[t])
        docs, fields = doc[order[own]], field[order[own]]
        kept = np.lexsort((docs, fields))[:MAX_GROUPS]  # the strongest fields, then the lowest documents
        kept = own[kept[np.lexsort((fields[kept], docs[kept]))]]  # in document order, then field order
        postings[t] = np.concatenate([out[at[g] : at[g] + size[g]] for g in kept.tolist()])
        if (documents := len(np.unique(docs))) > len(np.unique(doc[order[kept]])):  # some lost it
            cut[t] = documents
    return postings, cut


def _joined(arrays: list[array]) -> np.ndarray:
    return np.frombuffer(b"".join(arrays), np.intc).astype(np.int32)


# A document as the index takes it: kind, shown (its display entry), values ([column, value] in
#   order) and fields: per document field, in the order posted, [field number, its terms (sorted),
#   each term's slot count n as an array, their slots as one array], a value slot counted from
#   the document's own first value. renderedpages.py keeps it for the next build.
Prepared = dict[str, Any]


def prepare(doc: Document) -> Prepared:
    """The terms of a document, by field, with their slots: the costly part of indexing it."""
    fields: list[list] = []

    def post(name: str, found: dict[str, list[int]]) -> None:
        names, counts, slots = sorted(found), array("i"), array("i")
        for term in names:
            kept = found[term][:SLOTS]
            counts.append(len(kept))
            slots.extend(kept)
        fields.append([FIELD[name], names, counts, slots])

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


def shard_count(postings: Mapping[str, Sized]) -> int:
    """A power of two, so that a shard's JSON stays about SHARD_BYTES: from the terms' sizes."""
    size = len("".join(postings).encode("utf-8")) + 4 * len(postings) + 4 * sum(map(len, postings.values()))
    return 1 << max(0, math.ceil(math.log2(max(1, size / SHARD_BYTES))))
