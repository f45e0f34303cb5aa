"""The files gongkai generates that are not pages, put into each new site as hard links to one
read-only copy of each: a rebuild neither copies them again nor hashes them again, and removing
the replaced site frees only links.

MkDocs would copy every download, catalog and search file into each new site (at a thousand
datasets, 230 MB in 15,000 files), the site check would hash every download again, and the swap
would free each copy with the site it replaces. Instead the MkDocs hook leaves the files it sets
aside from the i18n plugin uncopied and lists them (LISTED, named by ENV), and after MkDocs place()
links each one in from

    build/site-files/<2 hex>/<sha256>   one copy of a file, made by copying it while hashing it, so
                                        its name is the hash of exactly the bytes written; read-only
    build/site-files/state.json         each source's stamp and its copy's hash: a source whose stamp
                                        is unchanged is not read again (gongkai never writes into a
                                        file: a new export is a new file); and each copy's stamp
                                        as gongkai last recorded it

A stamp is a file's device, inode, size, mtime and ctime; the kernel sets ctime on every write,
chmod, link and unlink, and no system call sets it back. place() records a copy's stamp once it has
linked it, prune() once the replaced site's links are gone (after a build that passed only); a copy
whose stamp differs from the record was changed by something else (a site/ file written in place
writes into its copy) and is hashed before use, and copied again when its bytes are not its name.
This assumes nothing writes into site/ during the seconds of a build itself. The site check takes a download that is its
hash's copy with the recorded stamp as matching SHA256SUMS, and hashes any other (verify.py).

A copy of its own, never a link to build/docs: that links to build/cache, and a published file must
not share its bytes with a file there. The folder belongs to the build and is refused when git
tracks it (pagecache.check_untracked), like the caches.
"""

from __future__ import annotations

import errno
import hashlib
import json
import os
import re
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from ..core.errors import BuildError
from ..core.output import copy_new, file_digest, naming_failures, plain_relative

FOLDER = Path("build/site-files")
ENV = "GONGKAI_PLACED"  # set by publish_site: where the hook lists the files it left for place()
LISTED = Path("build/site-placed.json")
STATE = "state.json"
FORMAT = "gongkai-site-files-2"
READ_ONLY = 0o444
DIGEST = re.compile(r"[0-9a-f]{64}")
NO_LINK = {errno.EXDEV, errno.EMLINK, errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP}
Stamp = list[int]  # device, inode, size, mtime, ctime: any write, chmod or link changes one of them


def listed(path: Path) -> dict[str, Path]:
    """The files the MkDocs hook left uncopied, by site path: where each is in build/docs."""
    data = json.loads(path.read_text(encoding="utf-8"))
    docs, found = Path(data["docs"]), {}
    for src, dest in data["files"]:  # place() checks every destination
        if not plain_relative(src):
            raise BuildError(f"refusing to place {src!r}: not a plain relative path")
        found[dest] = docs.joinpath(*src.split("/"))
    return found


def place(root: Path, site: Path, wanted: dict[str, Path]) -> set[str]:
    """Link every file (site path -> its source) into the new site from its copy, made now when
    its source is new or changed, or when the copy was changed since gongkai last knew its bytes;
    a copy where the file system allows no link. Returns the hashes of the copies it used."""
    for dest in wanted:
        if not plain_relative(dest):
            raise BuildError(f"refusing to place {dest!r}: not a plain relative path")
    store = root / FOLDER
    store.mkdir(parents=True, exist_ok=True)
    sources, copies = _read(store / STATE)
    pairs = [(str(source), dest) for dest, source in wanted.items()]
    named = sorted({source for source, _ in pairs})
    stamps = dict(zip(named, _each(_stamp_of, named), strict=True))
    digests = {s: e[5] for s, e in sources.items() if s in stamps and e[:5] == stamps[s]}
    needed = sorted(set(digests.values()))
    kept = set(_each(lambda d: _trusted(store, d, copies.get(d)), needed))
    redo = [s for s in named if digests.get(s) not in kept]
    digests.update(zip(redo, _each(lambda s: _copy_in(s, store), redo), strict=True))
    by_folder: dict[str, list[tuple[str, str]]] = {}
    for source, dest in pairs:
        target = os.path.join(site, *dest.split("/"))
        by_folder.setdefault(os.path.dirname(target), []).append((_copy_of(digests[source], store), target))
    _each(_link_folder, list(by_folder.items()))
    used = sorted(set(digests.values()))
    copies.update(zip(used, _each(lambda d: _stamp_of(_copy_of(d, store)), used), strict=True))
    sources = {s: [*stamps[s], digests[s]] for s in named}
    _write(store / STATE, sources, copies)
    return set(used)


def _each(func, items: list) -> list:
    """func over items in order, a share of them on each core's thread: stat, link, copy and hash
    are the kernel's or hashlib's work, outside the GIL (a future per item would cost more than a stat)."""
    workers = min(os.cpu_count() or 1, max(1, len(items) // 64))
    if workers < 2:
        return [func(item) for item in items]
    share = -(-len(items) // workers)
    parts = [items[i : i + share] for i in range(0, len(items), share)]
    with ThreadPoolExecutor(max_workers=len(parts)) as pool:
        return [r for done in pool.map(lambda part: [func(item) for item in part], parts) for r in done]


def trusted(root: Path):
    """For the site check: whether a site file is the very copy of the given hash with the stamp
    place() or prune() recorded for it (nothing has written into it since); a file it is not is hashed."""
    _, copies = _read(root / FOLDER / STATE)

    def check(path: Path, digest: str) -> bool:
        try:
            return copies.get(digest) == _stamp_of(str(path))
        except OSError:
            return False

    return check


def cleared(root: Path, remove: Callable[[], None]) -> None:
    """remove() takes away a replaced site (swap.discard): its links to the copies go, and with them
    each copy's ctime changes. A copy whose stamp was the recorded one just before is recorded again
    after, so the next build does not hash it; one already changed unseen stays changed."""
    store = root / FOLDER
    sources, copies = _read(store / STATE)
    held = [d for d, stamp in copies.items() if _current(_copy_of(d, store)) == stamp]
    remove()
    if not held:
        return
    for digest in held:
        if (now := _current(_copy_of(digest, store))) is not None:
            copies[digest] = now
    _write(store / STATE, sources, copies)


def _current(path: str) -> Stamp | None:
    try:
        return _stamp_of(path)
    except OSError:
        return None


def prune(root: Path, placed: set[str]) -> None:
    """After a build: remove every copy no site links to any more (its only link is the store's
    own) but those it placed, and record the stamps of those it placed and the site check passed
    (the replaced site's removal changed them). After a failed build `placed` is empty: a copy
    whose stamp changed is hashed when next used."""
    store = root / FOLDER
    if not store.is_dir():
        return
    sources, copies = _read(store / STATE)
    fresh: dict[str, Stamp] = {}
    kept: set[str] = set()
    for entry in os.scandir(store):
        if entry.is_file(follow_symlinks=False) and entry.name.startswith("tmp-"):
            os.unlink(entry.path)  # left by a build that was stopped
        if not entry.is_dir(follow_symlinks=False):
            continue
        for held in os.scandir(entry.path):
            stat = held.stat(follow_symlinks=False)
            if stat.st_nlink <= 1 and held.name not in placed:  # a placed copy stays where a link was impossible
                os.unlink(held.path)
                continue
            kept.add(held.name)
            stamp = _stamp(stat)
            if held.name in placed or copies.get(held.name) == stamp:  # else changed unseen: hashed when next used
                fresh[held.name] = stamp
    _write(store / STATE, {s: e for s, e in sources.items() if e[5] in kept}, fresh)


def _stamp(held: os.stat_result) -> Stamp:
    return [held.st_dev, held.st_ino, held.st_size, held.st_mtime_ns, held.st_ctime_ns]


def _stamp_of(path: str) -> Stamp:
    return _stamp(os.stat(path))


def _copy_of(digest: str, store: Path) -> str:
    return os.path.join(store, digest[:2], digest)


def _trusted(store: Path, digest: str, stamp: Stamp | None) -> str | None:
    """The hash when its copy is there with its bytes: by its stamp, or else by hashing it."""
    path = _copy_of(digest, store)
    try:
        if stamp is not None and _stamp_of(path) == stamp:
            return digest
        return digest if file_digest(Path(path))[1] == digest else None
    except OSError:
        return None


def _copy_in(source: str, store: Path) -> str:
    """A read-only copy of source in the store, named by the hash of the bytes written; its hash.
    A copy already there under that name is replaced (it was not trusted, or this one is the same)."""
    digest = hashlib.sha256()
    tmp = os.path.join(store, f"tmp-{os.getpid()}-{os.urandom(6).hex()}")
    with naming_failures(source):
        try:
            with open(source, "rb") as src, open(tmp, "wb") as out:
                while block := src.read(1 << 20):
                    digest.update(block)
                    out.write(block)
            held = os.stat(source)
            os.utime(tmp, ns=(held.st_atime_ns, held.st_mtime_ns))  # the site's file keeps its source's mtime
            os.chmod(tmp, READ_ONLY)
            name = digest.hexdigest()
            final = _copy_of(name, store)
            os.makedirs(os.path.dirname(final), exist_ok=True)
            os.replace(tmp, final)  # a site that links the copy replaced keeps the bytes it had
            return name
        finally:
            if os.path.lexists(tmp):
                os.unlink(tmp)


def _link_folder(item: tuple[str, list[tuple[str, str]]]) -> None:
    folder, files = item
    os.makedirs(folder, exist_ok=True)
    for copy, target in files:
        with naming_failures(target):
            try:
                os.link(copy, target)
            except OSError as exc:
                if exc.errno not in NO_LINK:
                    raise  # a file already there, a full disk: not a reason to copy
                copy_new(copy, target)  # another file system, or a copy linked as often as it may be


def _read(path: Path) -> tuple[dict[str, list], dict[str, Stamp]]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}, {}
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        return {}, {}
    sources, copies = data.get("sources"), data.get("copies")
    if not isinstance(sources, dict) or not isinstance(copies, dict):
        return {}, {}
    # a damaged entry is left out: its file is copied, or its copy hashed, again
    sources = {s: e for s, e in sources.items() if _stamped(e, 6) and isinstance(e[5], str) and DIGEST.fullmatch(e[5])}
    return sources, {d: e for d, e in copies.items() if DIGEST.fullmatch(d) and _stamped(e, 5)}


def _stamped(entry, length: int) -> bool:
    return isinstance(entry, list) and len(entry) == length and all(type(n) is int for n in entry[:5])


def _write(path: Path, sources: dict[str, list], copies: dict[str, Stamp]) -> None:
    tmp = path.with_name(path.name + ".tmp")
    data = {"format": FORMAT, "sources": sources, "copies": copies}
    tmp.write_text(json.dumps(data, separators=(",", ":")), encoding="utf-8")
    os.replace(tmp, path)
