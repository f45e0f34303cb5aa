"""Writing generated files: only when their bytes change, so `serve` does not loop on its own output."""

from __future__ import annotations

import filecmp
import hashlib
import os
import shutil
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path

from .errors import BuildError


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def file_digest(path: Path) -> tuple[int, str]:
    """Size and SHA-256 of a file, read in blocks (files may be larger than memory)."""
    digest = hashlib.sha256()
    size = 0
    with path.open("rb") as f:
        while block := f.read(1 << 20):
            digest.update(block)
            size += len(block)
    return size, digest.hexdigest()


def write_if_changed(path: str, data: bytes | Path) -> None:
    """Put bytes, or a copy of a file, at path (its folder exists), unless it already holds exactly that.
    Never writes into an existing file: it may be a link to a cached export (always a new file, renamed)."""
    with naming_failures(path):
        _write_if_changed(path, data)


@contextmanager
def naming_failures(path: Path | str):
    """A failed write() (a full disk) names no file: name the one being written, for the CLI's one line."""
    try:
        yield
    except OSError as exc:
        exc.filename = exc.filename or str(path)
        raise


def _write_if_changed(path: str, data: bytes | Path) -> None:
    try:
        held = os.stat(path)  # one stat answers "is it there" and, for a hard link, "is it the same file"
    except FileNotFoundError:
        held = None
    if held is None and isinstance(data, Path):
        try:
            os.link(data, path)  # a new file: a link appears whole, no temporary needed
            return
        except OSError:
            pass  # another file system: copied below
    if held is not None:
        if isinstance(data, bytes) and held.st_size == len(data) and _read(path) == data:
            return
        if isinstance(data, Path):
            source = os.stat(data)
            if (held.st_ino, held.st_dev) == (source.st_ino, source.st_dev):
                return
            if held.st_size == source.st_size and filecmp.cmp(path, data, shallow=False):
                _relink(data, path)  # the same bytes: link it, so the next build decides by the inode alone
                return
    tmp = path + ".tmp"
    if os.path.lexists(tmp):
        os.unlink(tmp)
    if isinstance(data, bytes):
        with open(tmp, "wb") as f:
            f.write(data)
    else:
        link_or_copy(data, tmp)
    os.replace(tmp, path)


def _read(path: str) -> bytes:
    with open(path, "rb") as f:
        return f.read()


def _relink(source: Path, path: str) -> None:
    tmp = path + ".tmp"
    if os.path.lexists(tmp):
        os.unlink(tmp)
    try:
        os.link(source, tmp)
    except OSError:
        return  # another file system: the copy stays, compared by content next time
    os.replace(tmp, path)


def link_or_copy(source: Path | str, target: str) -> None:
    """A hard link where the file system allows it, else a copy. A link costs nothing and makes
    "unchanged" a check of the inode. Safe because exported files are never rewritten in place:
    a new export gets a new folder, and cached files are read-only (cache.py)."""
    try:
        os.link(source, target)
    except OSError:
        copy_new(source, target)


def copy_new(source: Path | str, target: str) -> None:
    """A copy of source at target as a new file, with source's mtime: an existing target is
    removed first, never written through (it may be a link to a file we must not change)."""
    if os.path.lexists(target):
        os.unlink(target)
    shutil.copyfile(source, target)
    held = os.stat(source)
    os.utime(target, ns=(held.st_atime_ns, held.st_mtime_ns))


def _fill(folders: list[str], by_folder: dict[str, list[tuple[str, bytes | Path]]]) -> None:
    for folder in folders:
        os.makedirs(folder, exist_ok=True)
        for path, data in by_folder[folder]:
            write_if_changed(path, data)


def plain_relative(rel: str) -> bool:
    """Whether a generated file's name stays inside the folder it is written to: relative, with "/"
    between plain names (no "", "." or ".." part, no backslash)."""
    return not rel.startswith("/") and "\\" not in rel and not any(part in ("", ".", "..") for part in rel.split("/"))


def sync_tree(root: Path, files: dict[str, bytes | Path]) -> None:
    """Make `root` hold exactly `files` (relative POSIX path -> bytes, or a file to copy), touching
    only what differs."""
    top = str(root)
    for rel in files:  # the last line of defence: every name was validated upstream, and none may leave root
        if not plain_relative(rel):
            raise BuildError(f"refusing to write {rel!r}: not a plain relative path inside {root.name}/")
    wanted = {
        os.path.join(top, *rel.split("/")): data for rel, data in files.items()
    }  # strings: thousands of files, no pathlib overhead
    by_folder: dict[str, list[tuple[str, bytes | Path]]] = {}
    for path, data in wanted.items():
        by_folder.setdefault(os.path.dirname(path), []).append((path, data))
    # Making folders and files is mostly the kernel's work (half a millisecond each on some
    # disks), done outside the GIL: a thread per core, each with its own folders.
    folders = sorted(by_folder)
    workers = os.cpu_count() or 1
    with ThreadPoolExecutor(max_workers=workers) as pool:
        for done in [pool.submit(_fill, folders[i::workers], by_folder) for i in range(workers)]:
            done.result()
    if not root.is_dir():
        return
    for dirpath, dirnames, filenames in os.walk(top, topdown=False):
        for name in filenames:
            path = os.path.join(dirpath, name)
            if path not in wanted:
                os.unlink(path)
        for name in dirnames:
            try:
                os.rmdir(os.path.join(dirpath, name))  # only an empty folder goes
            except OSError:
                pass
