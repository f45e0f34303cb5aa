"""Each dataset's generated Markdown pages as the last build rendered them, so a rebuild renders
only the datasets whose pages can have changed.

A dataset's pages (its page and query page in both interfaces) are a function of its page model,
which its cache key (cache.dataset_key: its files, gongkai.yml, the national schemas, gongkai's
code) already fixes, and of what the build adds from outside it: its versions from history, its
quality verdict and date, where its files are stored, and whether the query engine is published.
The key of an entry is a hash of all of that (`key`), so any change renders the pages again.

Entries live in build/rendered/<name>.json, sealed with their own SHA-256 like the dataset
cache's records: a damaged or foreign entry is never used, the pages are rendered instead. The
folder must never be tracked by git: cache.check_untracked refuses it before the build reads it.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from pathlib import Path

from .cache import RENDERED as FOLDER
from .cache import unseal, write_record

FORMAT = "gongkai-rendered-1"


def key(dataset_key: str, *inputs: object) -> str:
    """An entry's key: the dataset's cache key and the repr of everything else its pages are made from."""
    text = "\0".join([FORMAT, dataset_key, *(repr(i) for i in inputs)])
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def pages(root: Path, name: str, entry_key: str, render: Callable[[], dict[str, bytes]]) -> dict[str, bytes]:
    """The dataset's pages (docs path -> Markdown bytes): from its entry when the key matches,
    else from render(), which is then stored (sealed and renamed into place, as cache.py's records)."""
    path = root / FOLDER / f"{name}.json"
    found = _read(path, entry_key)
    if found is not None:
        return found
    made = render()
    path.parent.mkdir(parents=True, exist_ok=True)
    write_record(path, {"key": entry_key, "pages": {p: text.decode("utf-8") for p, text in made.items()}})
    return made


def prune(root: Path, names: Iterable[str]) -> None:
    """Entries of datasets that are no longer in the catalog leave the folder."""
    keep = {f"{n}.json" for n in names}
    for path in (root / FOLDER).glob("*.json*") if (root / FOLDER).is_dir() else []:
        if path.name not in keep:
            path.unlink(missing_ok=True)


def _read(path: Path, entry_key: str) -> dict[str, bytes] | None:
    try:
        record = unseal(path.read_bytes())
    except OSError:
        return None
    try:
        if record is None or record["key"] != entry_key:
            return None
        return {str(p): str(text).encode("utf-8") for p, text in record["pages"].items()}
    except (KeyError, TypeError, AttributeError):
        return None
