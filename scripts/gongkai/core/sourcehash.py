"""The hashes of a repository file, from one read per build.

A data file is hashed for the cache key (cache.dataset_key), for the published descriptor's
`hash` (export), and by git's rule for comparing the working tree with commits (history).
All three come from one pass over the file, remembered for as long as the file's stat is
unchanged, so a build reads each file once for them. Workers forked after the cache keys
were computed inherit what was read. Checks that must see the bytes as they are now (the
cache audit, the site check) read the file themselves (output.file_digest).
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Hashes:
    size: int
    sha256: str
    git_blob: str  # the id git gives the file's bytes as a blob (SHA-1 of "blob <size>\0" + bytes)


_seen: dict[tuple, Hashes] = {}


def source_hashes(path: Path) -> Hashes:
    st = os.stat(path)
    stamp = (os.fspath(path), st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns)
    known = _seen.get(stamp)
    if known is None:
        known = _seen[stamp] = _read(path, st.st_size)
    return known


def _read(path: Path, expected: int) -> Hashes:
    sha = hashlib.sha256()
    blob = hashlib.sha1(b"blob %d\0" % expected)  # the size from stat: git's header comes first
    size = 0
    with open(path, "rb") as f:
        while block := f.read(1 << 20):
            sha.update(block)
            blob.update(block)
            size += len(block)
    if size != expected:  # the file changed while it was read: git's header needs the true size
        return _read(path, size)
    return Hashes(size, sha.hexdigest(), blob.hexdigest())
