"""Each dataset's generated Markdown pages as the last build rendered them, so a rebuild renders
only the datasets whose pages can have changed.

A dataset's pages (its page and query page in both interfaces) are a function of its page model,
which its cache key (cache.dataset_key: its files, gongkai.yml, the national schemas, gongkai's
code) already fixes, and of what the build adds from outside it: its versions from history, its
quality verdict and date, where its files are stored, and whether the query engine is published.
The key of an entry is a hash of all of that (`key`), so any change renders the pages again.

The same store keeps each dataset's search document in each language (shards.prepare: its
terms by field, the costly part of indexing it) under the dataset's key alone.

Entries live in build/rendered/<name>.json and build/rendered/search/<name>.<lang>.json, sealed
with their own SHA-256 like the dataset cache's records: a damaged or foreign entry is never
used, the pages are rendered (the document prepared) instead. An entry is not even read when
build/docs still holds the pages the last build wrote from an entry of the same key, each with
the stamp recorded after writing it (`Written`): a file changed since has another ctime. The
folder must never be tracked by git: cache.check_untracked refuses it before the build reads it.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import sys
from array import array
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

from ..core.config import Settings
from ..search.documents import dataset_document
from ..search.index import LANGUAGES
from ..search.shards import Prepared, prepare
from . import cache, sitefiles
from .cache import RENDERED as FOLDER
from .cache import unseal, write_record

SEARCH = "search"  # build/rendered/search/<name>.<lang>.json: a dataset's search document in one language
WRITTEN = FOLDER / "written.stamps"  # the pages' stamps in build/docs (Written; no .json: no dataset entry is named so)
LISTINGS = FOLDER / "listings.memo"  # the pages render/memo.py keeps, by key (no .json: no dataset entry is named so)

FORMAT = "gongkai-rendered-3"


def key(dataset_key: str, *inputs: object) -> str:
    """An entry's key: the dataset's cache key and the repr of everything else its pages are made from."""
    text = "\0".join([FORMAT, dataset_key, *(repr(i) for i in inputs)])
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def pages(
    root: Path, name: str, entry_key: str, render: Callable[[], dict[str, bytes]], written: Written | None = None
) -> dict[str, bytes | Path]:
    """The dataset's pages (docs path -> Markdown bytes): from its entry when the key matches,
    else from render(), which is then stored (sealed and renamed into place, as cache.py's records).
    With `written`: the pages in build/docs themselves (paths, which sync_tree leaves as they are)
    when the last build wrote them there from an entry of this key and none has changed since."""
    if written is not None and (same := written.unchanged(name, entry_key)) is not None:
        return same
    return _kept(root / FOLDER / f"{name}.json", entry_key, render, _texts, _encoded)


class Written:
    """Each dataset's pages as the last build wrote them into build/docs: the entry's key and each
    file's stamp (sitefiles.stamp_now: any write or rename changes it)."""

    def __init__(self, root: Path, docs: Path) -> None:
        self.path, self.docs = root / WRITTEN, docs
        try:
            held = json.loads(self.path.read_text(encoding="utf-8"))
            self.held: dict = held if isinstance(held, dict) and held.pop("format", None) == FORMAT else {}
        except (OSError, ValueError):
            self.held = {}  # every entry is read as before
        self.now: dict[str, tuple[str, list[str]]] = {}

    def unchanged(self, name: str, entry_key: str) -> dict[str, bytes | Path] | None:
        held = self.held.get(name)
        if not isinstance(held, list) or len(held) != 2 or held[0] != entry_key or not isinstance(held[1], dict):
            return None
        found: dict[str, bytes | Path] = {}
        for rel, stamp in held[1].items():
            path = self.docs.joinpath(*rel.split("/"))
            if sitefiles.stamp_now(str(path)) != stamp:
                return None
            found[rel] = path
        return found

    def wrote(self, name: str, entry_key: str, rels: Iterable[str]) -> None:
        self.now[name] = (entry_key, sorted(rels))

    def save(self) -> None:
        """After build/docs was written: the stamps of this build's pages there."""
        stamps = {
            name: [key, {rel: sitefiles.stamp_now(str(self.docs.joinpath(*rel.split("/")))) for rel in rels}]
            for name, (key, rels) in self.now.items()
        }
        if stamps != self.held:
            tmp = self.path.with_name(self.path.name + ".tmp")
            tmp.parent.mkdir(parents=True, exist_ok=True)
            tmp.write_text(json.dumps({"format": FORMAT, **stamps}, separators=(",", ":")), encoding="utf-8")
            os.replace(tmp, self.path)


def search_documents(root: Path, keyed: Iterable[tuple[str, str]], settings: Settings, lang: str) -> Iterator[Prepared]:
    """Each dataset's search document in one language, as the index takes it (shards.prepare),
    for (name, cache key) in catalog order: kept in build/rendered/search/ under the dataset's
    key, so only a changed dataset's terms are found again."""
    for name, dataset_key in keyed:

        def make(name: str = name, dataset_key: str = dataset_key) -> Prepared:
            return prepare(dataset_document(cache.model(root, name, dataset_key), settings, lang))

        path = root / FOLDER / SEARCH / f"{name}.{lang}.json"
        yield _kept(path, key(dataset_key, "search", lang, sys.byteorder), make, _slots_out, _slots_in)


def listings(root: Path) -> dict[str, str]:
    """The pages render/memo.py kept in the last build (catalog, topics, publishers, home, quality), by key."""
    try:
        record = unseal((root / LISTINGS).read_bytes())
        held = record["value"] if record is not None and record["key"] == FORMAT else {}
        return {str(k): str(v) for k, v in held.items()}
    except (OSError, KeyError, TypeError, AttributeError, ValueError):
        return {}  # a missing or damaged file: every page is rendered


def keep_listings(root: Path, held: dict[str, str], used: dict[str, str]) -> None:
    """This build's pages in place of the last build's, when they are not the same ones."""
    if used.keys() != held.keys():
        (root / LISTINGS).parent.mkdir(parents=True, exist_ok=True)
        write_record(root / LISTINGS, {"key": FORMAT, "value": dict(sorted(used.items()))})


def prune(root: Path, names: Iterable[str]) -> None:
    """Entries of datasets that are no longer in the catalog leave the folder."""
    names = list(names)
    kept = {root / FOLDER: {f"{n}.json" for n in names}}
    kept[root / FOLDER / SEARCH] = {f"{n}.{lang}.json" for n in names for lang in LANGUAGES}
    for folder, keep in kept.items():
        for path in folder.glob("*.json*") if folder.is_dir() else []:
            # a kept name's .tmp may be the search index's write under way (build.py starts it first)
            if path.name.removesuffix(".tmp") not in keep:
                path.unlink(missing_ok=True)


def _kept(path: Path, entry_key: str, make: Callable[[], Any], dump: Callable[[Any], Any], load: Callable[[Any], Any]):
    try:
        record = unseal(path.read_bytes())
        if record is not None and record["key"] == entry_key:
            return load(record["value"])
    except (OSError, KeyError, TypeError, AttributeError, ValueError):
        pass  # a missing, damaged or foreign entry: made again
    made = make()
    path.parent.mkdir(parents=True, exist_ok=True)
    write_record(path, {"key": entry_key, "value": dump(made)})
    return made


def _texts(made: dict[str, bytes]) -> dict[str, str]:
    return {p: text.decode("utf-8") for p, text in made.items()}


def _encoded(held: dict) -> dict[str, bytes]:
    return {str(p): str(text).encode("utf-8") for p, text in held.items()}


def _slots_out(made: Prepared) -> dict:
    # JSON parses one string of the slots' bytes about ten times faster than their numbers as lists
    fields = [[number, names, _b64(counts), _b64(slots)] for number, names, counts, slots in made["fields"]]
    return {**made, "fields": fields}


def _b64(numbers: array) -> str:
    return base64.b64encode(numbers.tobytes()).decode("ascii")


def _numbers(encoded: str) -> array:
    numbers = array("i")
    numbers.frombytes(base64.b64decode(encoded))
    return numbers


def _slots_in(held: dict) -> Prepared:
    if not isinstance(held, dict) or set(held) != {"kind", "shown", "values", "fields"}:
        raise ValueError("not a search document")
    fields = []
    for number, names, counts, slots in held["fields"]:
        counts, slots = _numbers(counts), _numbers(slots)
        if len(counts) != len(names) or sum(counts) != len(slots):
            raise ValueError("not a search document")
        fields.append([number, names, counts, slots])
    return {**held, "fields": fields}
