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


def write_if_changed(path: Path, data: bytes | Path) -> None:
    """Put bytes, or a copy of a file, at path, unless it already holds exactly that."""
    if path.is_file():
        if isinstance(data, bytes) and path.stat().st_size == len(data) and path.read_bytes() == data:
            return
        if isinstance(data, Path) and (os.path.samefile(path, data) or filecmp.cmp(path, data, shallow=False)):
            return
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    tmp.unlink(missing_ok=True)
    if isinstance(data, bytes):
        tmp.write_bytes(data)
    else:
        _link_or_copy(data, tmp)
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
    for rel, data in files.items():
        write_if_changed(root / rel, data)
    if not root.is_dir():
        return
    wanted = {root / rel for rel in files}
    for dirpath, dirnames, filenames in os.walk(root, topdown=False):
        for name in filenames:
            path = Path(dirpath, name)
            if path not in wanted:
                path.unlink()
        for name in dirnames:
            path = Path(dirpath, name)
            if not any(path.iterdir()):
                path.rmdir()
