"""Reading the repository's own files (site settings, urls.lock, redirects.yml, withdrawn.yml,
mkdocs.yml, the hand-written pages under docs/) the one way: never through a link.

git stores symbolic links, so a pull request can commit `docs/passwd.txt -> /etc/passwd` and
a build that follows it publishes a file of the build machine (or quotes it in an error). Each
path is checked component by component from the repository root: a link or anything other than
a plain file is refused, naming the file. Dataset folders have their own pre-flight
(validate/folder.py). docs/ holds pages and their pictures only: a file a browser could run as a
document (HTML, XML, an SVG under another name) is refused there too.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from .errors import BuildError

# What a hand-written page may bring along; .css and .js only as the site's own assets (site code).
DOCS_SUFFIXES = {".md", ".png", ".jpg", ".jpeg", ".gif", ".webp", ".svg", ".ico", ".pdf", ".txt", ".csv"}
ASSET_SUFFIXES = {".css", ".js"}


class RepoFileRefused(BuildError):
    """A repository file that must not be read: a link, or not a plain file."""


def _check(root: Path, rel: str) -> Path:
    path = root
    for part in Path(rel).parts:
        path = path / part
        mode = os.lstat(path).st_mode  # FileNotFoundError when it is absent
        if stat.S_ISLNK(mode):
            raise RepoFileRefused(
                f"{rel}: {path.relative_to(root).as_posix()} is a symbolic "
                "link; links are never followed: commit the file itself"
            )
    if not stat.S_ISREG(mode):
        raise RepoFileRefused(f"{rel}: not a plain file")
    return path


def exists(root: Path, rel: str) -> bool:
    """Whether the repository has this file (a link counts, so that reading it is refused)."""
    return os.path.lexists(root / rel)


def read_text(root: Path, rel: str) -> str:
    """The file's text (UTF-8); FileNotFoundError when it is absent, RepoFileRefused for a link."""
    return _check(root, rel).read_text(encoding="utf-8")


def read_bytes(root: Path, rel: str) -> bytes:
    return _check(root, rel).read_bytes()


def hand_written(root: Path, folder: str = "docs") -> dict[str, bytes]:
    """Every file under docs/ by its path relative to it; refused: links, and files a page may not carry."""
    top = root / folder
    if os.path.islink(top):
        raise RepoFileRefused(f"{folder}/ is a symbolic link; links are never followed")
    files = {}
    for dirpath, dirnames, filenames in os.walk(top):
        for name in sorted(dirnames):
            if os.path.islink(os.path.join(dirpath, name)):
                rel = Path(dirpath, name).relative_to(root).as_posix()
                raise RepoFileRefused(
                    f"{rel} is a symbolic link; links are never followed: commit the files themselves"
                )
        for name in filenames:
            path = Path(dirpath, name)
            rel = path.relative_to(root).as_posix()
            inner = path.relative_to(top).as_posix()
            allowed = DOCS_SUFFIXES | (ASSET_SUFFIXES if inner.startswith("assets/") else set())
            if path.suffix not in allowed:
                kinds = " ".join(sorted(DOCS_SUFFIXES))
                raise RepoFileRefused(
                    f"{rel}: docs/ holds Markdown pages and their files ({kinds}), "
                    "written in lower case; this file would be published as it is"
                )
            files[inner] = read_bytes(root, rel)
    return dict(sorted(files.items()))
