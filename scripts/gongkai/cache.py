"""Rebuild only what changed: each dataset's results, keyed by a hash of its inputs and our code.

The key covers every byte of the dataset folder, the site settings and gongkai's own source,
so any change to any of them is a miss. Entries are JSON and plain files under build/cache/
(never pickles), and a cache that git tracks is refused: a pull request cannot smuggle in a
"valid" verdict for its own data.
"""

from __future__ import annotations

import functools
import hashlib
import json
import shutil
import subprocess
from functools import lru_cache
from pathlib import Path

from .errors import BuildError
from .load import Dataset
from .output import file_digest

CACHE = Path("build/cache")
PACKAGE = Path(__file__).resolve().parent


@lru_cache(maxsize=1)
@functools.lru_cache(maxsize=1)  # the code does not change while a build runs: read it once, not once per dataset
def code_version() -> str:
    digest = hashlib.sha256()
    for path in sorted(PACKAGE.rglob("*")):
        if path.suffix in (".py", ".json") and "__pycache__" not in path.parts:
            digest.update(path.relative_to(PACKAGE).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def dataset_key(ds: Dataset, settings_bytes: bytes) -> str:
    digest = hashlib.sha256(code_version().encode() + b"\0" + settings_bytes)
    for path in sorted(ds.root.rglob("*")):
        if path.is_symlink():
            digest.update(b"link\0" + path.relative_to(ds.root).as_posix().encode())
        elif path.is_file():
            digest.update(path.relative_to(ds.root).as_posix().encode() + b"\0" + file_digest(path)[1].encode())
    return digest.hexdigest()


def check_untracked(root: Path) -> None:
    if shutil.which("git") is None or not (root / ".git").exists():
        return
    tracked = subprocess.run(["git", "ls-files", "--", str(CACHE)], cwd=root, capture_output=True, text=True).stdout.strip()
    if tracked:
        raise BuildError(f"{CACHE}/ is tracked by git; remove it from the repository (it must only ever be built locally)")


def read(root: Path, name: str, key: str) -> tuple[dict, dict[str, Path]] | None:
    index = root / CACHE / f"{name}.json"
    try:
        entry = json.loads(index.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if entry.get("key") != key:
        return None
    folder = root / CACHE / name
    files = {rel: folder / rel for rel in entry["files"]}
    # Sizes only: reading every exported file back on each build would cost as much as the
    # build saves on big tables. A file changed in place would still never be published:
    # the site's verification checks every download against the SHA-256 recorded here.
    try:
        if any(path.stat().st_size != entry["files"][rel][0] for rel, path in files.items()):
            return None
    except OSError:
        return None
    return entry, files


def fresh_folder(root: Path, name: str) -> Path:
    """An empty folder for one dataset's exports; its cache entry is void until write()."""
    (root / CACHE / f"{name}.json").unlink(missing_ok=True)
    folder = root / CACHE / name
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    return folder


def write(root: Path, name: str, key: str, entry: dict, files: dict[str, Path]) -> dict[str, str]:
    """Record the entry for files already written into the dataset's folder; return their SHA-256s."""
    record = dict(entry, key=key, files={rel: file_digest(path) for rel, path in files.items()})
    (root / CACHE / f"{name}.json").write_text(json.dumps(record, ensure_ascii=False), encoding="utf-8")
    return {rel: digest for rel, (_, digest) in record["files"].items()}


def digests(entry: dict) -> dict[str, str]:
    """SHA-256 of each file of a cache entry, as recorded when it was written."""
    return {rel: digest for rel, (_, digest) in entry["files"].items()}
