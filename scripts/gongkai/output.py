"""Writing generated files: only when their bytes change, so `serve` does not loop on its own output."""

from __future__ import annotations

import filecmp
import hashlib
import os
import shutil
from pathlib import Path


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


def write_if_changed(path: Path | str, data: bytes | Path) -> None:
    """Put bytes, or a copy of a file, at path, unless it already holds exactly that."""
    path = Path(path)
    try:
        held = os.stat(path)  # one stat answers "is it there" and, for a hard link, "is it the same file"
    except FileNotFoundError:
        held = None
    if held is not None:
        if isinstance(data, bytes) and held.st_size == len(data) and path.read_bytes() == data:
            return
        if isinstance(data, Path):
            source = os.stat(data)
            if (held.st_ino, held.st_dev) == (source.st_ino, source.st_dev):
                return
            if held.st_size == source.st_size and filecmp.cmp(path, data, shallow=False):
                _relink(data, path)  # the same bytes: link it, so the next build decides by the inode alone
                return
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    tmp.unlink(missing_ok=True)
    if isinstance(data, bytes):
        tmp.write_bytes(data)
    else:
        _link_or_copy(data, tmp)
    os.replace(tmp, path)


def _relink(source: Path, path: Path) -> None:
    tmp = path.with_name(path.name + ".tmp")
    tmp.unlink(missing_ok=True)
    try:
        os.link(source, tmp)
    except OSError:
        return  # another file system: the copy stays, compared by content next time
    os.replace(tmp, path)


def _link_or_copy(source: Path, target: Path) -> None:
    # A hard link costs nothing and makes "unchanged" a check of the inode. Safe because
    # exported files are never rewritten in place: a new export gets a new folder.
    try:
        os.link(source, target)
    except OSError:
        shutil.copyfile(source, target)


def sync_tree(root: Path, files: dict[str, bytes | Path]) -> None:
    """Make `root` hold exactly `files` (relative POSIX path -> bytes, or a file to copy), touching only what differs."""
    top = str(root)
    wanted = {os.path.join(top, *rel.split("/")) for rel in files}  # strings: thousands of files, no pathlib overhead
    for rel, data in files.items():
        write_if_changed(os.path.join(top, *rel.split("/")), data)
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
