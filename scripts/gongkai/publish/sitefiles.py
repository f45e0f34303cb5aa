"""The files gongkai generates that are not pages, put into each new site as hard links to one
read-only copy of each: a rebuild neither copies them again nor hashes them again, and removing
the replaced site frees only links. The pages are such copies too: the MkDocs hook links each
from the store or makes its copy (Copies, pagehits.py), and publish_site records their stamps.

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
This assumes nothing writes into site/ during the seconds of a build itself. The site check takes a file that is a
copy with the recorded stamp as having its hash's bytes, and hashes any other (verify.py).

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
from contextlib import suppress
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


def known_digests(root: Path) -> Callable[[str], str | None]:
    """For the site check: the hash of a site file that is one of the copies with the stamp place()
    or record() last recorded for it (nothing has written into it since), else None (it is hashed)."""
    _, copies = _read(root / FOLDER / STATE)
    by_inode = {(stamp[0], stamp[1]): (stamp, digest) for digest, stamp in copies.items()}

    def digest_of(path: str) -> str | None:
        try:
            stamp = _stamp_of(path)
        except OSError:
            return None
        held = by_inode.get((stamp[0], stamp[1]))
        return held[1] if held is not None and held[0] == stamp else None

    return digest_of


def record(root: Path, digests: set[str]) -> None:
    """The stamps of copies linked outside place() (the pages, pagehits.py), as they are now."""
    store = root / FOLDER
    sources, copies = _read(store / STATE)
    found = {d: now for d in sorted(digests) if DIGEST.fullmatch(d) and (now := stamp_now(_copy_of(d, store)))}
    if found:
        _write(store / STATE, sources, {**copies, **found})


class Copies:
    """The store's copies as one MkDocs process uses them for pages (pagehits.py): a page whose
    bytes a trusted copy holds is linked from it, a page just rendered becomes a copy."""

    def __init__(self, store: Path) -> None:
        self.store = store
        self.made: set[str] = set()  # by this process
        self.linked: set[str] = set()  # what this process linked: publish_site records their stamps

    def usable(self, digest: str) -> bool:
        """Whether the store holds the copy: settle() has taken out every copy changed since recorded."""
        if digest in self.made:
            return True
        return DIGEST.fullmatch(digest) is not None and os.path.isfile(_copy_of(digest, self.store))

    def add(self, data: bytes, target: str) -> str:
        """data as the copy of its hash (made when there is no trusted one), linked at target."""
        digest = hashlib.sha256(data).hexdigest()
        if not self.usable(digest):

            def fill(out) -> str:
                out.write(data)
                return digest

            with naming_failures(target):
                _new_copy(self.store, fill)
            self.made.add(digest)
        self.link(digest, target)
        return digest

    def link(self, digest: str, target: str) -> None:
        os.makedirs(os.path.dirname(target), exist_ok=True)
        if os.path.lexists(target):
            os.unlink(target)  # never written through
        _link_folder((os.path.dirname(target), [(_copy_of(digest, self.store), target)]))
        self.linked.add(digest)


def settle(root: Path, remove: Callable[[], None] | None = None) -> None:
    """Before a build links anything: a copy whose stamp is not the one recorded (something wrote
    into it, or a failed build linked it) is hashed, and taken out of the store when its bytes are
    not its name, so that a copy there is one to link (Copies, place()). Then remove(), if given,
    takes away a replaced site (swap.discard): its links to the copies go, and with them each
    copy's ctime changes; a copy whose stamp was the recorded one just before is recorded again."""
    store = root / FOLDER
    sources, copies = _read(store / STATE)
    held, changed = [], False
    for digest, stamp in list(copies.items()):
        path = _copy_of(digest, store)
        now = stamp_now(path)
        if now == stamp:
            held.append(digest)
        elif now is not None and file_digest(Path(path))[1] == digest:
            copies[digest], changed = now, True  # linked by a build that failed: the bytes are still its name
        else:
            with suppress(FileNotFoundError):
                os.unlink(path)  # a site/ file written in place wrote into it: made again when needed
            del copies[digest]
            changed = True
    if remove is not None:
        remove()
        for digest in held:
            if (now := stamp_now(_copy_of(digest, store))) is not None:
                copies[digest], changed = now, True
    if changed:
        _write(store / STATE, sources, copies)


def stamp_now(path: str) -> Stamp | None:
    """A file's stamp (device, inode, size, mtime, ctime), or None when it is not there."""
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

    def fill(out) -> str:
        digest = hashlib.sha256()
        with open(source, "rb") as src:
            while block := src.read(1 << 20):
                digest.update(block)
                out.write(block)
        out.flush()  # nothing is written after the mtime is set
        held = os.stat(source)
        os.utime(out.fileno(), ns=(held.st_atime_ns, held.st_mtime_ns))  # the site's file keeps its source's mtime
        return digest.hexdigest()

    with naming_failures(source):
        return _new_copy(store, fill)


def _new_copy(store: Path, fill: Callable) -> str:
    """A copy written by fill(file), which gives its hash, renamed into place under that hash,
    read-only; a site that links a copy it replaces keeps the bytes it had."""
    tmp = os.path.join(store, f"tmp-{os.getpid()}-{os.urandom(6).hex()}")
    os.makedirs(store, exist_ok=True)
    try:
        with open(tmp, "xb") as out:
            name = fill(out)
        os.chmod(tmp, READ_ONLY)
        final = _copy_of(name, store)
        os.makedirs(os.path.dirname(final), exist_ok=True)
        os.replace(tmp, final)
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


# The state as this process last read or wrote it, by the file's stat: a build reads it several times
# (placing, recording, the check, pruning), and parsing it takes a tenth of a second at 1,000 datasets.
_held: dict[str, tuple[Stamp, tuple[dict[str, list], dict[str, Stamp]]]] = {}


def _read(path: Path) -> tuple[dict[str, list], dict[str, Stamp]]:
    try:
        stat = _stamp_of(str(path))
        held = _held.get(str(path))
        if held is not None and held[0] == stat:
            return dict(held[1][0]), dict(held[1][1])  # the lists in them are never changed in place
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
    copies = {d: e for d, e in copies.items() if DIGEST.fullmatch(d) and _stamped(e, 5)}
    _held[str(path)] = (stat, (sources, copies))
    return dict(sources), dict(copies)


def _stamped(entry, length: int) -> bool:
    return isinstance(entry, list) and len(entry) == length and all(type(n) is int for n in entry[:5])


def _write(path: Path, sources: dict[str, list], copies: dict[str, Stamp]) -> None:
    tmp = path.with_name(path.name + ".tmp")
    data = {"format": FORMAT, "sources": sources, "copies": copies}
    tmp.write_text(json.dumps(data, separators=(",", ":")), encoding="utf-8")
    os.replace(tmp, path)
    _held[str(path)] = (_stamp_of(str(path)), (dict(sources), dict(copies)))
