"""The URL contract: a path, once published, keeps answering.

`urls.lock` (committed, append-only) lists every public path the site ever published,
one per line, as a path under the site URL ("/datasets/x/x.csv"). Each build compares
today's paths with it: a locked path that is gone is an error naming the path and its
line, unless `redirects.yml` maps it to the path that replaced it (redirects.py: a page
becomes a redirect page with a canonical link, a file a copy of its new self). A new path is a
warning until `gongkai lock` appends it, so every addition shows up in a pull request.
A pull request may only append to the lock (`gongkai check` holds it to the base branch's,
lock_against_base), and a lock that is empty, cut off or deleted is an error, never "no
contract" (lock_damage); `gongkai lock` replaces it whole or not at all (write_lock).
With a download store (core/blobstore.py) the lock also lists the store's absolute URLs: the store keeps
each for good, so a build does not ask for them, and `gongkai publish` checks they are still there.
"""

from __future__ import annotations

import json
import os
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from ..core import repofiles, sitepaths
from ..core.errors import BuildError
from ..core.pathcheck import refusal, require
from ..core.problems import Problem
from ..core.sitepaths import in_version_folder, public_path
from ..export.downloads import MEDIA_TYPES
from .redirects import REDIRECTS

LOCK = "urls.lock"
WITHDRAWN = "withdrawn"
HEADER = "# Every public path this site has published (append-only; `gongkai lock` adds new ones).\n"


def public_paths(files: dict) -> set[str]:
    """The paths people and programs link to, from the generated file map (MkDocs turns
    a.md into /a/ and a/index.md into /a/; a/index.en.md is /en/a/). Theme assets and stylesheets are not a contract.
    Every path goes into urls.lock, one per line, and urls.json: a hand-written file under docs/
    whose name is not a well-formed site path (a newline would add a line to the lock) stops the build."""
    paths = set()
    for rel in files:
        if rel.startswith((sitepaths.ASSETS, sitepaths.SEARCH, "_")):  # theme assets; search index; host settings
            continue
        path = public_path(rel)
        why = refusal(path)
        if why:
            raise BuildError(f"the file {rel!r} would be published as {path!r}, which {why}: rename it")
        paths.add(path)
    return paths


@dataclass(frozen=True)
class Lock:
    """urls.lock as it is on disk. Iterating gives (line, path, mark) for every locked line;
    the mark is a version file's SHA-256 (its bytes may never change), "withdrawn", or None."""

    entries: tuple[tuple[int, str, str | None], ...]
    text: str | None  # None: there is no urls.lock
    committed: bool = False  # (no file) git history has one: it was deleted, not never made

    def __iter__(self):
        return iter(self.entries)


def parse_lock(text: str) -> tuple[tuple[int, str, str | None], ...]:
    found = []
    for number, line in enumerate(text.splitlines(), 1):
        line = line.strip()
        if line and not line.startswith("#"):
            locked, _, mark = line.partition(" ")
            found.append((number, locked, mark.strip() or None))
    return tuple(found)


def read_lock(root: Path) -> Lock:
    if not repofiles.exists(root, LOCK):
        return Lock((), None, committed=_ever_committed(root))
    text = repofiles.read_text(root, LOCK)
    return Lock(parse_lock(text), text)


def lock_damage(lock: Lock, publishes: bool) -> list[Problem]:
    """Whether urls.lock can be trusted at all. An empty, cut-off or deleted lock would switch
    the URL contract off, so each is an error; only a site that never had a lock (a new
    fork) goes without one, with a warning. publishes: whether the site publishes any path."""
    if lock.text is None:
        if lock.committed:
            message = (
                f"{LOCK} is missing but git history has it: a published site keeps its lock; restore it (git checkout "
                f"HEAD -- {LOCK}, or from the last commit that had it)"
            )
            return [Problem("lock-missing", message, LOCK)]
        message = f"there is no {LOCK}, so no URL of this site is protected yet; run `gongkai lock` and commit {LOCK}"
        return [Problem("lock-absent", message, LOCK, severity="warning")]
    restore = f"restore it from git (git checkout HEAD -- {LOCK}) and run `gongkai lock` again"
    if not lock.entries and publishes:
        return [
            Problem(
                "lock-empty",
                (
                    f"{LOCK} locks no path ({len(lock.text.encode('utf-8'))} "
                    f"bytes) while the site publishes paths: {restore}"
                ),
                LOCK,
                line=1,
                params={"size": len(lock.text.encode("utf-8"))},
            )
        ]
    if not lock.text.startswith(HEADER):
        first = lock.text.split("\n", 1)[0][:80]
        message = (
            f"{LOCK} does not begin with its header line (it begins {first!r}): it was not written whole; {restore}"
        )
        return [Problem("lock-truncated", message, LOCK, line=1, params={"rule": "header", "first": repr(first)})]
    if not lock.text.endswith("\n"):
        last = lock.text.rsplit("\n", 1)[-1][:80]
        line = lock.text.count("\n") + 1
        return [
            Problem(
                "lock-truncated",
                f"{LOCK} does not end with a newline: its last line {last!r} was cut off; {restore}",
                LOCK,
                line=line,
                params={"rule": "newline", "last": repr(last)},
            )
        ]
    return []


def lock_against_base(base_text: str | None, lock: Lock, base: str) -> list[Problem]:
    """The pull request's urls.lock against the base branch's: only appending is allowed. A
    line that is gone, or whose mark (a version's SHA-256, a withdrawal) changed, is an error
    naming the base's line; so are a deleted, emptied or cut-off lock. base: the ref, for messages."""
    if base_text is None:
        return [p for p in lock_damage(lock, publishes=False) if p.code == "lock-truncated"]
    before = parse_lock(base_text)
    if lock.text is None:
        return [
            Problem(
                "lock-edited",
                f"{LOCK} was deleted; {base} has it with {len(before)} locked line(s): it is append-only, put it back",
                LOCK,
                params={"rule": "deleted", "base": base, "count": len(before)},
            )
        ]
    problems = [p for p in lock_damage(lock, publishes=bool(before)) if p.code != "lock-absent"]
    if any(p.code == "lock-empty" for p in problems):
        return problems  # every line is gone: one problem says so
    now: dict[str, set[str | None]] = {}
    for _, path, mark in lock.entries:
        now.setdefault(path, set()).add(mark)
    for line, path, mark in before:
        if mark in now.get(path, ()):
            continue
        entry = f"{path} {mark}" if mark else path
        if path not in now:
            what = "is gone from this pull request's lock"
            what_zh = "在这个拉取请求的 urls.lock 中不见了"
        else:
            what = "lost its mark: here the path is locked " + ", ".join(
                sorted(f"with {m}" if m else "without a mark" for m in now[path])
            )
            what_zh = "丢了标记：这里锁定的是" + "、".join(sorted(f"带 {m}" if m else "不带标记" for m in now[path]))
        rule = (
            "a published URL never disappears"
            if not mark
            else "a version's bytes never change"
            if mark != WITHDRAWN
            else "a withdrawal stays recorded"
        )
        message = f"line {line} on {base}, {entry!r}, {what}; {LOCK} is append-only ({rule}): put the line back"
        rule_zh = (
            "发布过的网址永不消失" if not mark else "版本的字节永不改变" if mark != WITHDRAWN else "撤回的记录要保留"
        )
        zh = f"{base} 上第 {line} 行 {entry!r} {what_zh}；{LOCK} 只能追加（{rule_zh}）：把这一行放回去"
        problems.append(Problem("lock-edited", message, LOCK, line=line, params={"zh": zh}))
    return problems


def write_lock(root: Path, text: str) -> None:
    """Write urls.lock whole or not at all: a temporary file beside it, flushed to disk, then
    renamed over it, so a kill or a full disk leaves the old lock or the new one, never a part."""
    path = root / LOCK
    mode = path.stat().st_mode & 0o777 if path.exists() else 0o644
    fd, tmp = tempfile.mkstemp(prefix=f".{LOCK}.", suffix=".tmp", dir=root)
    try:
        os.fchmod(fd, mode)
        data = memoryview(text.encode("utf-8"))
        while data:
            data = data[os.write(fd, data) :]
        os.fsync(fd)
        os.close(fd)
        fd = -1
        os.replace(tmp, path)
    except BaseException:
        if fd >= 0:
            os.close(fd)
        Path(tmp).unlink(missing_ok=True)
        raise
    folder = os.open(root, os.O_RDONLY)
    try:
        os.fsync(folder)  # the rename itself survives a power cut
    finally:
        os.close(folder)


def _ever_committed(root: Path) -> bool:
    try:
        out = subprocess.run(
            ["git", "log", "-1", "--format=%H", "--", LOCK], cwd=root, capture_output=True, check=True
        ).stdout
    except (subprocess.CalledProcessError, FileNotFoundError):
        return False  # not a repository, or no commit yet: nothing was ever published from it
    return bool(out.strip())


def check_lock(
    lock: Lock,
    published: set[str],
    redirects: dict[str, str],
    digests: dict[str, str],
    withdrawn: tuple[str, ...] = (),
    *,
    history: bool = True,
) -> list[Problem]:
    """digests: /path -> sha256 of every versioned file built today; withdrawn: path prefixes
    of withdrawn datasets (withdrawals.py), whose paths may be gone; history: whether old
    versions could be built (a copy without git history warns about them instead)."""
    problems = lock_damage(lock, publishes=bool(published))
    if problems or lock.text is None:
        return problems  # a lock that cannot be trusted is no contract to check against
    checked = set()
    hashes: dict[str, str] = {}  # path -> the SHA-256 its first hash mark locked
    for line, path, mark in lock:
        if mark and mark != WITHDRAWN:
            # Every hash mark counts, not only the path's first line: a second line may not lock other bytes.
            if hashes.setdefault(path, mark) != mark:
                message = (
                    f"{path} is locked twice with different SHA-256 ({hashes[path][:12]}… and {mark[:12]}…); a "
                    "version never changes: publish a new one"
                )
                facts = {"rule": "twice", "path": path, "first": hashes[path][:12], "second": mark[:12]}
                problems.append(Problem("url-changed", message, LOCK, line=line, params=facts))
            elif path in checked and path in digests and digests[path] != mark:
                message = (
                    f"{path} is a published version's file and its bytes changed (locked sha256 {mark[:12]}…, now "
                    f"{digests[path][:12]}…); a version never changes: publish a new one"
                )
                facts = {"rule": "bytes", "path": path, "locked": mark[:12], "now": digests[path][:12]}
                problems.append(Problem("url-changed", message, LOCK, line=line, params=facts))
        if path in checked or "://" in path:
            continue  # a later line only marks a path already listed; the download store keeps its URLs (upload.py)
        checked.add(path)
        if path not in published and path not in redirects and not path.startswith(withdrawn or ("\0",)):
            if not history and in_version_folder(path):
                message = f"{path} is not built here: this copy has no git history, and old versions come from it"
                facts = {"rule": "history", "locked": path}  # not "path": grouped, each item keeps its sentence
                problems.append(Problem("url-removed", message, LOCK, line=line, severity="warning", params=facts))
                continue
            message = (
                f"{path} was published and is gone: restore it, or map it to "
                f"its new place in {REDIRECTS} (see the maintainer's guide)"
            )
            problems.append(Problem("url-removed", message, LOCK, line=line, params={"path": path}))
        elif mark and mark != WITHDRAWN and path in digests and digests[path] != mark:
            message = (
                f"{path} is a published version's file and its bytes changed (locked sha256 {mark[:12]}…, now "
                f"{digests[path][:12]}…); a version never changes: publish a new one"
            )
            facts = {"rule": "bytes", "path": path, "locked": mark[:12], "now": digests[path][:12]}
            problems.append(Problem("url-changed", message, LOCK, line=line, params=facts))
    for path in sorted(published - checked):
        message = f"{path} is new: run `gongkai lock` and commit {LOCK}"
        problems.append(
            Problem(
                "url-not-locked",
                message,
                LOCK,
                dataset=_dataset_of(path),  # grouped per dataset in messages
                severity="warning",
                params={"path": path},
            )
        )
    return problems


def _dataset_of(path: str) -> str | None:
    """The dataset a public path belongs to (its page, files and versions, in either language)."""
    parts = path.strip("/").split("/")
    parts = parts[1:] if parts[:1] == [sitepaths.ENGLISH.strip("/")] else parts
    return parts[1] if len(parts) >= 2 and parts[0] + "/" == sitepaths.DATASETS else None


def urls_json(published: set[str], redirects: dict[str, str], withdrawn: tuple[str, ...] = ()) -> bytes:
    data = {"paths": sorted(published), "redirects": dict(sorted(redirects.items())), "withdrawn": sorted(withdrawn)}
    return (json.dumps(data, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def lock_text(
    lock: Lock,
    root: Path,
    published: set[str],
    redirects: dict[str, str],
    digests: dict[str, str],
    withdrawn: tuple[str, ...] = (),
) -> tuple[str, list[str]]:
    """urls.lock with today's new paths appended, and paths of withdrawn datasets marked
    (never removing a line); and the lines added. The lock must be whole (lock_damage)."""
    existing = lock.text if lock.text is not None else HEADER
    locked = {path for _, path, _ in lock}
    marked = {path for _, path, mark in lock if mark == WITHDRAWN}
    added = [
        f"{path} {digests[path]}" if path in digests else path for path in sorted((published | set(redirects)) - locked)
    ]
    gone = sorted(p for p in locked - published - set(redirects) - marked if withdrawn and p.startswith(withdrawn))
    added += [f"{path} {WITHDRAWN}" for path in gone]
    text = existing if existing.endswith("\n") or not existing else existing + "\n"
    return text + "".join(f"{line}\n" for line in added), added


def host_files(
    redirects: dict[str, str], versioned: dict[str, str], stored: dict[str, str] | None = None
) -> dict[str, bytes]:
    """_headers and _redirects for static hosts that read them (Netlify, Cloudflare Pages);
    paths are relative to the folder the host serves. Elsewhere the redirect pages and file
    copies do the same work, and GitHub Pages already sends CORS headers. A version's files
    never change, so hosts may cache them for good. Parquet gets its registered media type, which
    hosts do not know from the name (they send application/octet-stream). Every path in them has passed
    sitepaths (require), and each line is checked to hold its fields and no more. stored: site paths whose file
    the download store serves (blobs.py) -> its URL there; each old path answers with a redirect to it."""
    headers = (
        "/*\n  Access-Control-Allow-Origin: *\n  X-Content-Type-Options: nosniff\n"
        f"/{sitepaths.DATASETS}*\n  Cache-Control: public, max-age=3600\n"
        f"/{sitepaths.CATALOG_JSON}\n  Cache-Control: public, max-age=600\n"
        f"/*.parquet\n  Content-Type: {MEDIA_TYPES['parquet']}\n"
    )
    folders = sorted({require(path).rsplit("/", 1)[0] for path in versioned})
    headers += "".join(
        f"{require(folder)}/*\n  Cache-Control: public, max-age=31536000, immutable\n" for folder in folders
    )
    moved = "".join(f"{require(old)} {require(new)} 301\n" for old, new in sorted(redirects.items()))
    stored = {old: url for old, url in (stored or {}).items() if old not in redirects}  # redirects.yml's first
    moved += "".join(f"{require(old)} {url} 301\n" for old, url in sorted(stored.items()))
    _hold_fields(
        sitepaths.HOST_HEADERS,
        [line for line in headers.splitlines() if not line.startswith("  ")],
        1,
        len(folders) + 4,
    )
    _hold_fields(sitepaths.HOST_REDIRECTS, moved.splitlines(), 3, len(redirects) + len(stored))
    return {sitepaths.HOST_HEADERS: headers.encode("utf-8"), sitepaths.HOST_REDIRECTS: moved.encode("utf-8")}


def _hold_fields(name: str, lines: list[str], fields: int, count: int) -> None:
    # A host reads these files line by line, fields split on white space: a line too many, or
    # a field too many, is a rule nobody wrote. require() makes that impossible; this proves it.
    bad = next((line for line in lines if len(line.split()) != fields), None)
    if bad is not None:
        raise BuildError(f"refusing to write {name}: the line {bad!r} does not hold exactly {fields} field(s)")
    if len(lines) != count:
        raise BuildError(f"refusing to write {name}: {len(lines)} lines for {count} rule(s)")
