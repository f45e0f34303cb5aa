"""Every version a dataset ever had, from git history, published at a URL that never changes.

For each `version` in a dataset's history the last commit that carried it is canonical; the
version in the working tree is the newest. Each version's CSV files are published byte for
byte as git holds them, with a descriptor that points at them and a zip, under
datasets/<name>/<version>/. The zip is deflated by the pinned libdeflate (export/packagezip.py:
its bytes do not depend on the system's zlib), except for a version published before that, whose
zip urls.lock holds as the SHA-256 of its stored (uncompressed) bytes: that one stays stored, so
no published file ever changes (version_zip). Old versions are checked for structure only (files present and
parseable), not against today's profile. One version with different data in two commits is
an error naming both. A shallow clone has lost versions: the build refuses it (unless
GONGKAI_ALLOW_SHALLOW is set, for test machines that cannot fetch history; never for a deploy).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import os
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from ..core import sitepaths
from ..core.errors import BuildError
from ..core.jsonlines import line_of, value_lines
from ..core.output import file_digest
from ..core.problems import Problem
from ..core.sitepaths import public_path, version_folder, version_zip_file
from ..core.sourcehash import source_hashes
from ..export.packagezip import Method, write_package_zip
from ..export.parquet import parquet_bytes, primary_key, rows_from_text
from ..read import schemaref
from ..read.csvtext import CsvSyntaxError, parse
from ..read.load import DESCRIPTOR, Dataset, source_folder
from .urls import read_lock

SEMVER = re.compile(r"^\d+\.\d+\.\d+$")
RESOURCE = re.compile(r"^[a-z0-9][a-z0-9_-]*$")


@dataclass(frozen=True)
class Version:
    version: str
    commit: str | None  # the canonical commit; None for the working tree
    date: str  # YYYY-MM-DD: the commit's date, or the working tree's `modified`


def history_available(root: Path) -> tuple[bool, bool]:
    """(versions can come from git, a shallow clone was let through): asked once per build.
    Versions need root to be a repository's top with its full history."""
    if not _in_git(root) or not _has_commit(root):  # a repository with no commit yet has no earlier versions
        return False, False
    if _git(root, "rev-parse", "--is-shallow-repository").strip() == b"true":
        if not os.environ.get("GONGKAI_ALLOW_SHALLOW"):
            raise BuildError(
                "this is a shallow clone, so older versions of the datasets are "
                "missing: run `git fetch --unshallow` (or clone without --depth)"
            )
        return False, True  # a test machine that cannot deepen its clone: current versions only
    return True, False


def read_history(
    root: Path, ds: Dataset, available: bool, *, working_tree: bool = True, rev: str = "HEAD"
) -> tuple[list[Version], list[Problem]]:
    """The dataset's versions, newest first (the working tree's included), and conflicts.
    working_tree: also hold the working tree's data to the commit that carries its version
    (the gate leaves it out where its own bump rule has already refused that version).
    rev: whose history. The build reads HEAD's; the gate reads the target branch's, since what
    a pull request publishes is its result, not the commits on its way there.

    History follows first parents only: a pull request merged with a merge commit (or squashed)
    adds one step to the branch's history, whatever commits it was made of."""
    current = Version(ds.loaded["version"], None, ds.loaded["modified"])
    if not available:
        return [current], []
    folder = source_folder(ds.name)
    seen: dict[str, tuple[str, str, dict]] = {}  # version -> (commit, date, data blobs) of its canonical commit
    order: list[Version] = []
    problems: list[Problem] = []
    where = ds.file(DESCRIPTOR)
    ids: list[tuple[str, str, str]] = []  # (id, commit, version) of each commit's descriptor
    for line in _git(root, "log", "--first-parent", "--format=%H %cs", rev, "--", folder).decode().splitlines():
        commit, date = line.split()
        version, identifier = _version_at(root, commit, folder)
        if version is None:
            continue
        if identifier is not None:
            ids.append((identifier, commit, version))
        blobs = _blobs(root, commit, f"{folder}/data")
        if version not in seen:
            seen[version] = (commit, date, blobs)
            order.append(Version(version, commit, date))
        elif seen[version][2] != blobs:
            newer = seen[version][0]
            message = (
                f"version {version} has different data in commit {commit[:10]} ({date}) and in commit {newer[:10]} "
                f"({seen[version][1]}); a version's data must never change"
            )
            facts = {
                "rule": "commits",
                "version": version,
                "commit": commit[:10],
                "date": date,
                "newer": newer[:10],
                "newer_date": seen[version][1],
            }
            problems.append(
                Problem("version-conflict", message, where, field="/version", dataset=ds.name, params=facts)
            )
    published = seen.get(current.version)
    if working_tree and published and published[2] != _disk_blobs(ds.root / "data"):
        message = (
            f"version {current.version} was already committed with other data (commit {published[0][:10]}): raise the "
            "version and add a CHANGELOG.md entry"
        )
        facts = {"rule": "working", "version": current.version, "commit": published[0][:10]}
        problems.append(Problem("version-conflict", message, where, field="/version", dataset=ds.name, params=facts))
    problems += _id_changes(ds, ids)
    return [current, *(v for v in order if v.version != current.version)], problems


def history_problems(
    root: Path, ds: Dataset, available: bool, *, working_tree: bool = True, rev: str = "HEAD"
) -> list[Problem]:
    """What the build refuses in a dataset's history (a version with two sets of data, an id
    that changed): the gate asks the same question, so the two never disagree."""
    return read_history(root, ds, available, working_tree=working_tree, rev=rev)[1]


def _id_changes(ds: Dataset, ids: list[tuple[str, str, str]]) -> list[Problem]:
    # A dataset's id names it in every catalog and harvester: it never changes (its folder,
    # the name, may, with a redirect). A descriptor that had no id yet may gain one.
    current = ds.loaded.get("id")
    if not isinstance(current, str):
        return []
    for identifier, commit, version in ids:  # newest first: name the last commit that had the old id
        if identifier != current:
            line = line_of(value_lines(ds.descriptor_text), "/id") if ds.descriptor_text else None
            message = (
                f"the id changed from {identifier} (version {version}, commit {commit[:10]}) to {current}; a "
                f"dataset's id never changes: put {identifier} back"
            )
            facts = {"old": identifier, "version": version, "commit": commit[:10], "new": current}
            return [
                Problem(
                    "id-changed", message, ds.file(DESCRIPTOR), line=line, field="/id", dataset=ds.name, params=facts
                )
            ]
    return []


def version_files(
    root: Path, ds: Dataset, v: Version, locked: ZipLocks | None = None
) -> tuple[dict[str, bytes], list[Problem]]:
    """Site path -> bytes for one version's files, or the structural problems that stop them.
    locked: the lock's zips, which decide how the version's zip is stored (version_zip)."""
    locked = ZipLocks.read(root) if locked is None else locked
    where = ds.file(DESCRIPTOR) + (f" at commit {v.commit[:10]}" if v.commit else "")

    def problem(message: str, zh: str) -> tuple[dict, list[Problem]]:
        facts = {"zh": f"版本 {v.version}：{zh}"}  # a sentence per cause, worded here (core/problemtext.py)
        return {}, [
            Problem("old-version-broken", f"version {v.version}: {message}", where, dataset=ds.name, params=facts)
        ]

    read = (
        (lambda rel: (ds.root / rel).read_bytes())
        if v.commit is None
        else (lambda rel: _git(root, "show", f"{v.commit}:{source_folder(ds.name)}/{rel}"))
    )
    if not SEMVER.match(v.version):
        return problem("the version is not MAJOR.MINOR.PATCH", NOT_SEMVER_ZH)
    try:
        raw_descriptor = read(DESCRIPTOR)
        resources = _plain_resources(raw_descriptor)
        if isinstance(resources, str):
            return problem(resources, PLAIN_ZH)
        sources = {}
        texts = {}
        for name, path in resources.items():
            data = read(path)
            texts[name] = parse(data.decode("utf-8")).rows
            if v.commit and not texts[name]:  # (the working tree was validated in full)
                return problem(f"{path} has no rows", f"{path} 没有数据行")
            sources[name] = (path, data)
    except (OSError, subprocess.CalledProcessError, ValueError, KeyError, TypeError, CsvSyntaxError) as exc:
        return problem(f"cannot be read ({type(exc).__name__}: {exc})", f"读不了（{type(exc).__name__}：“{exc}”）")
    base = sitepaths.version_folder(ds.name, v.version)
    files = {base + sitepaths.resource_file(name, "csv"): data for name, (_, data) in sources.items()}
    sizes = {name: (len(data), hashlib.sha256(data).hexdigest()) for name, (_, data) in sources.items()}
    files[base + sitepaths.DATAPACKAGE] = _version_descriptor(raw_descriptor, sizes)
    files.update(_version_parquet(base, raw_descriptor, texts, root))
    members: dict[str, bytes | Path] = {DESCRIPTOR: raw_descriptor, **{path: data for path, data in sources.values()}}
    for name in ("README.md", "CHANGELOG.md"):
        try:
            members[name] = read(name)
        except (OSError, subprocess.CalledProcessError):
            pass
    rel = base + sitepaths.version_zip_file(ds.name, v.version)
    files[rel] = version_zip(ds.name, v, members, locked.get(sitepaths.public_path(rel)))
    return files, []


def version_zip(name: str, v: Version, members: dict[str, bytes | Path], locked: str | None) -> bytes:
    """A version's zip: stored when urls.lock holds the SHA-256 of its stored bytes (published
    before zips were compressed), deflated by the pinned libdeflate otherwise."""

    def written(method: Method) -> bytes:
        buffer = io.BytesIO()
        write_package_zip(buffer, f"{name}-{v.version}", members, _stamp(v.date), method=method)
        return buffer.getvalue()

    if locked is not None:
        stored = written("stored")
        if hashlib.sha256(stored).hexdigest() == locked:
            return stored
    return written("pinned")


@dataclass(frozen=True)
class ZipLocks:
    """Public path -> the SHA-256 urls.lock holds, for every version's zip: read once per build."""

    marks: dict[str, str]

    @classmethod
    def read(cls, root: Path) -> ZipLocks:
        return cls({path: mark for _, path, mark in read_lock(root) if mark and path.endswith(".zip")})

    def get(self, path: str) -> str | None:
        return self.marks.get(path)

    def current(self, ds: Dataset) -> str | None:
        """What the lock holds for the zip of the working tree's version (write_current_version)."""
        version = (ds.descriptor or {}).get("version")  # (asked before validation, which stops what did not load)
        if not isinstance(version, str):
            return None
        return self.get(public_path(version_folder(ds.name, version) + version_zip_file(ds.name, version)))


def _version_parquet(
    base: str, raw_descriptor: bytes, texts: dict[str, list[list[str]]], root: Path
) -> dict[str, bytes]:
    """Each resource of an old version as Parquet, typed by that version's own schema (a national
    table's, read/schemaref.py, as schemas/ holds it now: the version's descriptor keeps the reference).
    A resource some cell of which does not read as its type (old versions are checked for structure
    only) has none: its CSV stays the version's record."""
    files = {}
    descriptor = json.loads(raw_descriptor)
    schemaref.inline(descriptor, root)
    for res in descriptor["resources"]:
        schema = res.get("schema")
        rows = texts.get(res["name"])
        if not isinstance(schema, dict) or not rows or not isinstance(schema.get("fields"), list):
            continue
        fields, body = schema["fields"], rows
        if any(len(row) != len(fields) for row in body):
            continue
        typed = rows_from_text(fields, body, schema.get("missingValues", [""]))
        if typed is not None:
            files[base + sitepaths.resource_file(res["name"], "parquet")] = parquet_bytes(
                fields, primary_key(res), body, typed
            )
    return files


def write_current_version(
    ds: Dataset,
    folder: Path,
    copies: dict[str, tuple[Path, int, str]],
    parquets: dict[str, tuple[Path, int, str]] | None = None,
    locked: str | None = None,
) -> tuple[dict[str, Path], dict[str, tuple[int, str]], list[Problem]]:
    """The working tree's version, written under `folder` (laid out as site paths) from the
    export's copies of its CSVs and its Parquet files (resource -> (file, size, SHA-256)):
    the same bytes version_files() gives, without reading a CSV into memory. Returns the
    files, the size and SHA-256 of each, and the problems that stop them. locked: the SHA-256
    urls.lock holds for the version's zip, if any (version_zip)."""
    v = Version(ds.loaded["version"], None, ds.loaded["modified"])
    where = ds.file(DESCRIPTOR)
    raw_descriptor = (ds.root / DESCRIPTOR).read_bytes()
    resources = _plain_resources(raw_descriptor) if SEMVER.match(v.version) else "the version is not MAJOR.MINOR.PATCH"
    if isinstance(resources, str):
        zh = f"版本 {v.version}：{NOT_SEMVER_ZH if SEMVER.match(v.version) is None else PLAIN_ZH}"
        broken = Problem(
            "old-version-broken", f"version {v.version}: {resources}", where, dataset=ds.name, params={"zh": zh}
        )
        return {}, {}, [broken]
    base = sitepaths.version_folder(ds.name, v.version)
    (folder / base).mkdir(parents=True, exist_ok=True)
    files: dict[str, Path] = {}
    digests: dict[str, tuple[int, str]] = {}
    for name, (copy, size, sha) in copies.items():
        rel = base + sitepaths.resource_file(name, "csv")
        files[rel] = _link_or_copy(copy, folder / rel)
        digests[rel] = (size, sha)
    for name, (copy, size, sha) in (parquets or {}).items():
        rel = base + sitepaths.resource_file(name, "parquet")
        files[rel] = _link_or_copy(copy, folder / rel)
        digests[rel] = (size, sha)
    descriptor = _version_descriptor(raw_descriptor, {name: (size, sha) for name, (_, size, sha) in copies.items()})
    rel = base + sitepaths.DATAPACKAGE
    (folder / rel).write_bytes(descriptor)
    files[rel], digests[rel] = folder / rel, (len(descriptor), hashlib.sha256(descriptor).hexdigest())
    members: dict[str, bytes | Path] = {DESCRIPTOR: raw_descriptor}
    members.update({path: copies[name][0] for name, path in resources.items()})
    members.update({name: ds.root / name for name in ("README.md", "CHANGELOG.md") if (ds.root / name).is_file()})
    rel = base + sitepaths.version_zip_file(ds.name, v.version)
    stamp, where_zip = _stamp(v.date), folder / rel
    write_package_zip(where_zip, f"{ds.name}-{v.version}", members, stamp, method="stored" if locked else "pinned")
    if locked and file_digest(where_zip)[1] != locked:  # locked, but not as stored bytes: as version_zip decides
        write_package_zip(where_zip, f"{ds.name}-{v.version}", members, stamp, method="pinned")
    files[rel], digests[rel] = where_zip, file_digest(where_zip)
    return files, digests, []


NOT_SEMVER_ZH = "版本号不是 MAJOR.MINOR.PATCH 的形式"
PLAIN_ZH = "有资源没有规范的名称和 data/ 路径"


def _plain_resources(raw_descriptor: bytes) -> dict[str, str] | str:
    """Resource name -> data/ path from a descriptor's bytes, or why a version cannot be built from it."""
    resources = {}
    for res in json.loads(raw_descriptor)["resources"]:
        name, path = res["name"], res["path"]
        if not (
            isinstance(name, str)
            and RESOURCE.match(name)
            and isinstance(path, str)
            and path.startswith("data/")
            and ".." not in path
        ):
            return f"resource {name!r} has no plain name and data/ path"
        resources[name] = path
    return resources


def _version_descriptor(raw_descriptor: bytes, sizes: dict[str, tuple[int, str]]) -> bytes:
    published = json.loads(raw_descriptor)
    for res in published["resources"]:
        size, sha = sizes[res["name"]]
        res.update(path=sitepaths.resource_file(res["name"], "csv"), bytes=size, hash=f"sha256:{sha}")
    return (json.dumps(published, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def _link_or_copy(source: Path, target: Path) -> Path:
    # the same bytes as the export's copy: a second name for that file where the file system allows
    target.unlink(missing_ok=True)
    try:
        os.link(source, target)
    except OSError:
        shutil.copyfile(source, target)
    return target


def _stamp(date: str) -> dt.datetime:
    return dt.datetime.strptime(date, "%Y-%m-%d")


def _version_at(root: Path, commit: str, folder: str) -> tuple[str | None, str | None]:
    """(version, id) of the descriptor at a commit; None for what it did not hold."""
    try:
        descriptor = json.loads(_git(root, "show", f"{commit}:{folder}/{DESCRIPTOR}"))
        version, identifier = descriptor.get("version"), descriptor.get("id")
    except (subprocess.CalledProcessError, ValueError, AttributeError):
        return None, None  # the folder had no readable descriptor then: no version to publish
    return (version if isinstance(version, str) else None), (identifier if isinstance(identifier, str) else None)


def _blobs(root: Path, commit: str, folder: str) -> dict[str, str]:
    out = _git(root, "ls-tree", "-r", commit, "--", folder).decode()
    return {line.split("\t", 1)[1].rsplit("/", 1)[-1]: line.split()[2] for line in out.splitlines()}


def _disk_blobs(folder: Path) -> dict[str, str]:
    # git's blob id of each file, so the working tree compares with commits without git
    return {p.name: source_hashes(p).git_blob for p in sorted(folder.glob("*")) if p.is_file()}


def _in_git(root: Path) -> bool:
    try:
        top = _git(root, "rev-parse", "--show-toplevel").decode().strip()
    except (subprocess.CalledProcessError, FileNotFoundError):
        return False
    return Path(top).resolve() == root.resolve()


def _has_commit(root: Path) -> bool:
    found = subprocess.run(["git", "rev-parse", "--verify", "--quiet", "HEAD"], cwd=root, capture_output=True)
    return found.returncode == 0


def _git(root: Path, *args: str) -> bytes:
    return subprocess.run(["git", *args], cwd=root, capture_output=True, check=True).stdout
