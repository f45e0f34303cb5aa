"""Rebuild only what changed: each dataset's results, keyed by a hash of its inputs and our code.

The key covers every byte of the dataset folder, the site settings and gongkai's own source,
so any change to any of them is a miss. An entry is a JSON record, sealed with its own SHA-256
on its first line, and plain files under build/cache/ (never pickles); a cache that git
tracks is refused: a pull request cannot smuggle in a "valid" verdict for its own data.

An entry is checked before it is used: its seal, and each file against the size and SHA-256
recorded when it was written. Hashing every export on every build would cost what the cache
saves, so a file is re-hashed only when its stat (size, mtime, inode) differs from the
record's. Files are read-only once written and nothing rewrites one in place: a new export
gets a new folder, so a changed stat means someone else changed the file. A file changed in
place with its mtime put back still never reaches site/: site/ holds copies, and the site
check hashes every download against SHA256SUMS before the swap (audit() then drops the entry).
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import stat
import subprocess
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from ..core.errors import BuildError
from ..core.output import file_digest, naming_failures
from ..core.sourcehash import source_hashes
from ..read.load import Dataset

CACHE = Path("build/cache")
PACKAGE = Path(__file__).resolve().parents[1]  # all of gongkai, not only publish/
READ_ONLY = 0o444  # an accidental write into a cached file fails instead of changing a download


@lru_cache(maxsize=1)  # the code does not change while a build runs: read it once, not once per dataset
def code_version() -> str:
    digest = hashlib.sha256()
    # every file of the package: its code, and the templates and tables it reads (a changed
    # template must render every kept page again, renderedpages.py)
    for path in sorted(PACKAGE.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts:
            digest.update(path.relative_to(PACKAGE).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def dataset_key(ds: Dataset, settings_bytes: bytes) -> str:
    digest = hashlib.sha256(code_version().encode() + b"\0" + settings_bytes)
    for path in sorted(ds.root.rglob("*")):
        if path.is_symlink():
            digest.update(b"link\0" + path.relative_to(ds.root).as_posix().encode())
        elif path.is_file():
            digest.update(path.relative_to(ds.root).as_posix().encode() + b"\0" + source_hashes(path).sha256.encode())
    # the national tables' schemas: a dataset may name one (read/schemaref.py) and their sums are checked
    schemas = ds.root.parent.parent / "schemas"
    for path in (
        sorted(p for p in schemas.rglob("*.json") if p.is_file() and not p.is_symlink()) if schemas.is_dir() else []
    ):
        digest.update(
            b"schemas\0" + path.relative_to(schemas).as_posix().encode() + source_hashes(path).sha256.encode()
        )
    return digest.hexdigest()


RENDERED = Path("build/rendered")  # each dataset's generated pages (renderedpages.py), read before any page is built


def check_untracked(root: Path) -> None:
    """Refuse a cache that git tracks, before the build reads it: a pull request could bring its own
    exports or the Markdown of its own pages under a key anyone can compute."""
    if shutil.which("git") is None or not (root / ".git").exists():
        return
    for kept in (CACHE, RENDERED):
        tracked = subprocess.run(
            ["git", "ls-files", "--", str(kept)], cwd=root, capture_output=True, text=True
        ).stdout.strip()
        if tracked:
            raise BuildError(
                f"{kept}/ is tracked by git; remove it from the repository (it must only ever be built locally)"
            )


@dataclass
class Lookup:
    """What the cache holds for one dataset and key: the entry and its files, or nothing."""

    entry: dict | None = None
    files: dict[str, Path] = field(default_factory=dict)
    dropped: str | None = None  # an entry was there but damaged: the file (relative to the repository) that was wrong
    reason: str = ""


def read(root: Path, name: str, key: str) -> Lookup:
    index = root / CACHE / f"{name}.json"
    try:
        data = index.read_bytes()
    except OSError:
        return Lookup()
    entry = _unseal(data)
    if entry is None:
        if data.startswith(b"{"):  # a record from before records were sealed: a plain miss
            return Lookup()
        return _drop(root, name, f"{CACHE.as_posix()}/{name}.json", "its record is damaged")
    if entry.get("key") != key:
        return Lookup()
    folder = root / CACHE / name
    files = {rel: folder / rel for rel in entry["files"]}
    moved = False
    for rel, path in files.items():
        size, digest, *stamp = entry["files"][rel]
        try:
            st = path.lstat()
        except OSError:
            return _drop(root, name, f"{CACHE.as_posix()}/{name}/{rel}", "the file is missing")
        if not stat.S_ISREG(st.st_mode):
            return _drop(root, name, f"{CACHE.as_posix()}/{name}/{rel}", "it is no longer a plain file")
        if [st.st_size, st.st_mtime_ns, st.st_ino] == [size, *stamp]:
            continue
        if st.st_size != size or file_digest(path)[1] != digest:
            return _drop(
                root,
                name,
                f"{CACHE.as_posix()}/{name}/{rel}",
                "the file no longer matches the size and SHA-256 recorded when it was written",
            )
        entry["files"][rel] = [
            size,
            digest,
            st.st_mtime_ns,
            st.st_ino,
        ]  # the same bytes under a new stat (a copy, a restore): hash it once
        moved = True
    if moved:
        try:
            write_record(index, entry)
        except OSError:
            pass  # a cache it cannot write (a read-only copy) is still used; it is hashed again next time
    return Lookup(entry, files)


def audit(root: Path) -> list[str]:
    """Hash every file of every entry and drop each entry whose files are not what was recorded;
    the site check calls on it when a download did not match (a file changed with its stat kept).
    Returns the dropped files, relative to the repository."""
    dropped: list[str] = []
    for index in sorted((root / CACHE).glob("*.json")):
        name = index.stem
        try:
            entry = _unseal(index.read_bytes())
        except OSError:
            entry = None
        if entry is None:
            _discard(root, name)
            dropped.append(f"{CACHE.as_posix()}/{name}.json")
            continue
        for rel, (size, digest, *_) in entry["files"].items():
            path = root / CACHE / name / rel
            try:
                intact = file_digest(path) == (size, digest)
            except OSError:
                intact = False
            if not intact:
                _discard(root, name)
                dropped.append(f"{CACHE.as_posix()}/{name}/{rel}")
                break
    return dropped


def fresh_folder(root: Path, name: str) -> Path:
    """An empty folder for one dataset's exports; its cache entry is void until write()."""
    (root / CACHE / f"{name}.json").unlink(missing_ok=True)
    folder = root / CACHE / name
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    return folder


def write(
    root: Path, name: str, key: str, entry: dict, files: dict[str, Path], known: dict[str, tuple[int, str]]
) -> dict[str, str]:
    """Record the entry for files already written into the dataset's folder; return their SHA-256s.
    known: the size and SHA-256 of each file as its writer computed them (a file missing there
    is hashed here). The files become read-only, and their stat is recorded after that (a chmod
    keeps the mtime)."""
    recorded = {}
    for rel, path in files.items():
        os.chmod(path, READ_ONLY)
        size, digest = known[rel] if rel in known else file_digest(path)
        st = path.stat()
        recorded[rel] = [size, digest, st.st_mtime_ns, st.st_ino]
    record = dict(entry, key=key, files=recorded)
    write_record(root / CACHE / f"{name}.json", record)
    return digests(record)


def model(root: Path, name: str, key: str) -> dict:
    """The page model (render.dataset_model) of an entry this build has read or written, its files
    checked then: read again where it is needed, as every dataset's model held at once was most of
    a big build's memory (about 80 KB a dataset)."""
    try:
        entry = _unseal((root / CACHE / f"{name}.json").read_bytes())
    except OSError:
        entry = None
    if entry is None or entry.get("key") != key or entry.get("model") is None:
        raise BuildError(f"build/cache lost the entry of {name} during the build; build again")
    return entry["model"]


def digests(entry: dict) -> dict[str, str]:
    """SHA-256 of each file of a cache entry, as recorded when it was written."""
    return {rel: recorded[1] for rel, recorded in entry["files"].items()}


def write_record(index: Path, record: dict) -> None:
    # A new file renamed into place: a killed build leaves the old record or the new one, whole.
    body = json.dumps(record, ensure_ascii=False).encode("utf-8")
    tmp = index.with_name(index.name + ".tmp")
    tmp.unlink(missing_ok=True)
    with naming_failures(index):
        tmp.write_bytes(hashlib.sha256(body).hexdigest().encode() + b"\n" + body)
    os.chmod(tmp, READ_ONLY)
    os.replace(tmp, index)


def unseal(data: bytes) -> dict | None:
    """A record written by write_record, or None when its seal (the SHA-256 of its body) does not match."""
    seal, _, body = data.partition(b"\n")
    if hashlib.sha256(body).hexdigest().encode() != seal:
        return None
    try:
        record = json.loads(body)
    except ValueError:
        return None
    return record if isinstance(record, dict) else None


def _unseal(data: bytes) -> dict | None:
    entry = unseal(data)
    return entry if entry is not None and isinstance(entry.get("files"), dict) else None


def _drop(root: Path, name: str, file: str, reason: str) -> Lookup:
    """A lookup that found a damaged entry (file: what was wrong), after removing it."""
    _discard(root, name)
    return Lookup(dropped=file, reason=reason)


def _discard(root: Path, name: str) -> None:
    """Remove a damaged entry, so that it is rebuilt and never consulted again."""
    (root / CACHE / f"{name}.json").unlink(missing_ok=True)
    shutil.rmtree(root / CACHE / name, ignore_errors=True)
