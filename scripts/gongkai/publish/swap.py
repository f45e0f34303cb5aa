"""Putting a verified build in place of site/ so that a build stopped at any moment leaves a complete site.

A build is made in site.new/. Only once it has passed the site check does it get a marker file,
and only a marked site.new/ is ever published. The swap is one step where the platform has
one (Linux renameat2 with RENAME_EXCHANGE: site/ is never missing); elsewhere it is two
renames, site/ -> site.old/ then site.new/ -> site/, and a build stopped between them leaves
a state recover() can read without guessing:

    site/ present                         it is complete; site.new/ and site.old/ are leftovers
    site/ missing, site.new/ marked       the swap was under way: finish it
    site/ missing, site.old/ present      site.old/ is the last complete site: put it back

Every build and `serve` calls recover() before anything else.
"""

from __future__ import annotations

import ctypes
import errno
import os
import shutil
import sys
from functools import lru_cache
from pathlib import Path

VERIFIED = ".gongkai-verified"  # MkDocs never copies a dotfile from docs/, so only mark_verified() writes one


def staging(site_dir: Path) -> Path:
    return site_dir.with_name(site_dir.name + ".new")


def _previous(site_dir: Path) -> Path:
    return site_dir.with_name(site_dir.name + ".old")


def recover(site_dir: Path) -> str | None:
    """Finish or undo a swap a stopped build left half done, then remove what it left;
    returns what was restored, in one line, or None when site/ needed nothing."""
    fresh, old = staging(site_dir), _previous(site_dir)
    restored = None
    if not site_dir.exists():
        if (fresh / VERIFIED).is_file():
            os.rename(fresh, site_dir)
            restored = (
                f"restored {site_dir.name}/ from {fresh.name}/, which a build stopped during its swap had verified"
            )
        elif old.is_dir():
            os.rename(old, site_dir)
            restored = (
                f"restored {site_dir.name}/ from {old.name}/, the last "
                "complete site (a build was stopped during its swap)"
            )
    if site_dir.is_dir():
        (site_dir / VERIFIED).unlink(missing_ok=True)
    discard(fresh)
    discard(old)
    return restored


def mark_verified(fresh: Path) -> None:
    """Say that the folder passed the site check: from now on it may be published, even by recover()."""
    (fresh / VERIFIED).write_bytes(b"")


def swap_in(fresh: Path, site_dir: Path, aside: Path | None = None) -> None:
    """Put the verified folder at site_dir and remove the site it replaces, or move it whole to
    `aside` where that is free and on the same file system, for the next build to remove beside
    its pipeline (`discard`). When a step fails (a folder it cannot write), site/ is as it was and
    the new site is discarded."""
    old = _previous(site_dir)
    try:
        if site_dir.is_dir() and _exchange(fresh, site_dir):
            replaced = fresh  # it now holds the site that was replaced
        else:
            if site_dir.exists():
                os.rename(site_dir, old)  # stopped here: recover() finishes the swap from the marked site.new/
            replaced = old
            try:
                os.rename(fresh, site_dir)
            except OSError:
                if old.exists() and not site_dir.exists():
                    os.rename(old, site_dir)
                raise
    except OSError:
        discard(fresh)
        raise
    (site_dir / VERIFIED).unlink()
    if not _moved(replaced, aside):
        discard(replaced)


def _moved(replaced: Path, aside: Path | None) -> bool:
    if aside is None or os.path.lexists(aside):  # none named, or the last one's removal is still under way
        return False
    try:
        aside.parent.mkdir(parents=True, exist_ok=True)
        os.rename(replaced, aside)
    except OSError:  # another file system: removed now
        return False
    return True


def discard(path: Path) -> None:
    """Remove a leftover folder; its marker first, so that a half-removed folder is never taken for a verified one."""
    if path.is_dir() and not path.is_symlink():
        (path / VERIFIED).unlink(missing_ok=True)
        shutil.rmtree(path, ignore_errors=True)  # what stays is removed by the next build's recover()
    elif os.path.lexists(path):
        path.unlink()


AT_FDCWD = -100
RENAME_EXCHANGE = 2


@lru_cache(maxsize=1)
def _renameat2():
    if not sys.platform.startswith("linux"):
        return None
    try:
        call = ctypes.CDLL(None, use_errno=True).renameat2  # glibc 2.28 and later
    except (OSError, AttributeError):
        return None
    call.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    call.restype = ctypes.c_int
    return call


def _exchange(a: Path, b: Path) -> bool:
    """Swap two folders in one step; False where the platform or the file system has no such step."""
    call = _renameat2()
    if call is None:
        return False
    if call(AT_FDCWD, os.fsencode(a), AT_FDCWD, os.fsencode(b), RENAME_EXCHANGE) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP, errno.EPERM):
        return False  # the file system cannot exchange: two renames instead
    raise OSError(code, os.strerror(code), str(b))
