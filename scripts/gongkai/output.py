"""Writing generated files: only when their bytes change, so `serve` does not loop on its own output."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def write_if_changed(path: Path, data: bytes) -> None:
    if path.is_file() and path.read_bytes() == data:
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_bytes(data)
    os.replace(tmp, path)


def sync_tree(root: Path, files: dict[str, bytes]) -> None:
    """Make `root` hold exactly `files` (relative POSIX path -> bytes), touching only what differs."""
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
