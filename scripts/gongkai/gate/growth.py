"""What a pull request adds to the site: the bytes and files of each changed dataset's downloads
and version folders, measured by exporting it here and at the base with the build's own export,
held to the host's limits (core/hosting.py) before anything is built.

A file over the host's per-file limit is refused here, by name. The whole site's bytes and files
are projected from the last build's measure (build/site-budget.json, publish/budget.py) when
there is one: the growth on top of it, against the limits. With a download store (`downloads`),
only the files that stay on the site count. Pages are not counted (a dataset's
two pages and two query pages take about the same whatever its data)."""

from __future__ import annotations

import io
import json
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from ..core import sitepaths
from ..core.blobstore import is_stored
from ..core.config import Settings
from ..core.hosting import Hosting
from ..core.problems import Problem
from ..export.downloads import export_dataset
from ..publish.budget import size_text
from ..publish.history import write_current_version
from ..read.load import Dataset, discover, source_folder
from ..read.tables import read_tables

BASELINE = Path("build/site-budget.json")  # the last build's measure (publish/generator.py writes it)


@dataclass(frozen=True)
class Change:
    """One dataset's files on the site before and after: site path -> bytes."""

    name: str
    before: dict[str, int]
    after: dict[str, int]

    @property
    def bytes(self) -> int:
        return sum(self.after.values()) - sum(self.before.values())

    @property
    def files(self) -> int:
        return len(self.after) - len(self.before)


@dataclass
class Growth:
    hosting: Hosting  # the limits it is held to (gongkai.yml)
    changes: list[Change] = field(default_factory=list)
    baseline: dict | None = None  # build/site-budget.json as the last build wrote it

    @property
    def bytes(self) -> int:
        return sum(c.bytes for c in self.changes)

    @property
    def files(self) -> int:
        return sum(c.files for c in self.changes)

    def largest(self) -> tuple[str, int]:
        """The largest file the changed datasets publish, as a site path."""
        sizes = [(path, size) for c in self.changes for path, size in c.after.items()]
        return max(sizes, key=lambda ps: (ps[1], ps[0]), default=("", 0))


def measure(root: Path, settings: Settings, commit: str, here: list[Dataset], removed: list[str]) -> Growth:
    """Each changed dataset's files here and at the base commit; a removed one goes to nothing."""
    growth = Growth(settings.hosting, baseline=_baseline(root))
    with tempfile.TemporaryDirectory(prefix="gongkai-growth-") as tmp:
        work = Path(tmp)
        for ds in here:
            old = _at_base(root, commit, ds.name, work / "base", settings)
            before = _footprint(old, settings, work / "before") if old else {}
            after = _footprint(ds, settings, work / "after")
            if old is not None and old.loaded.get("version") != ds.loaded.get("version"):
                # the base's version folder stays published beside the new one
                after.update({p: n for p, n in before.items() if p.startswith(version_of(old))})
            growth.changes.append(Change(ds.name, before, after))
        for name in removed:
            old = _at_base(root, commit, name, work / "base", settings)
            if old is not None:  # its latest downloads go; its version folders stay (withdrawals keep nothing)
                growth.changes.append(Change(name, _footprint(old, settings, work / "before"), {}))
    return growth


def version_of(ds: Dataset) -> str:
    return sitepaths.version_folder(ds.name, str(ds.loaded.get("version", "")))


def problems(growth: Growth) -> list[Problem]:
    """A changed dataset's file over the host's per-file limit; the projected site over its limits."""
    hosting, found = growth.hosting, []
    if hosting.max_file_bytes is not None:
        for change in growth.changes:
            for path, size in sorted(change.after.items()):
                if size > hosting.max_file_bytes and change.before.get(path) != size:  # not one already published
                    said = {"size": size_text(size), "limit": size_text(hosting.max_file_bytes)}
                    facts = {"path": path, **said, "host": _host(hosting)}
                    message = (
                        f"{path} would be {said['size']} on the site; {_host(hosting)} allows {said['limit']} per file"
                    )
                    found.append(_problem("host-file-too-large", message, change.name, facts))
    if growth.baseline:
        projected = {
            "max_site_bytes": growth.baseline.get("bytes", 0) + growth.bytes,
            "max_files": growth.baseline.get("files", 0) + growth.files,
        }
        for limit, amount in projected.items():
            allowed = getattr(hosting, limit)
            if (
                allowed is not None
                and amount > allowed
                and (growth.bytes if limit == "max_site_bytes" else growth.files) > 0
            ):
                rule = "bytes" if limit == "max_site_bytes" else "files"
                facts = {"rule": rule, "amount": f"{amount:,}", "limit": f"{allowed:,}", "host": _host(hosting)}
                message = f"the site would have {amount:,} {rule} once merged; {_host(hosting)} allows {allowed:,}"
                found.append(_problem("host-site-too-large", message, "", facts, file=str(BASELINE)))
    return found


def _problem(code: str, message: str, name: str, facts: dict, file: str | None = None) -> Problem:
    where = file or source_folder(name)
    return Problem(code, message, where, dataset=name or None, params=facts)


def _host(hosting: Hosting) -> str:
    return hosting.preset if hosting.preset != "none" else "gongkai.yml"


def _baseline(root: Path) -> dict | None:
    try:
        record = json.loads((root / BASELINE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return record if isinstance(record, dict) and isinstance(record.get("bytes"), int) else None


def _footprint(ds: Dataset, settings: Settings, folder: Path) -> dict[str, int]:
    """The files the build publishes for this dataset's data: its downloads and its current
    version's folder, exported as the build exports them."""
    tables = read_tables(ds, settings.limits.preview_rows)
    exported = export_dataset(ds, tables, settings.site_url, folder, settings.limits)
    sizes = {d.path: d.bytes for d in exported.downloads}
    files = dict(exported.files)
    copies = {
        d.resource: (files[d.path], d.bytes, d.sha256) for d in exported.downloads if d.kind == "csv" and d.resource
    }
    parquets = {
        d.resource: (files[d.path], d.bytes, d.sha256) for d in exported.downloads if d.kind == "parquet" and d.resource
    }
    _current, written, _broken = write_current_version(ds, folder, copies, parquets)
    sizes.update({path: size for path, (size, _sha) in written.items()})
    for path, file in files.items():
        sizes.setdefault(path, file.stat().st_size)  # charts and other files that are not downloads
    if settings.downloads is not None:  # those go to the download store, not the static host
        sizes = {path: size for path, size in sizes.items() if not is_stored(path)}
    return sizes


def _at_base(root: Path, commit: str, name: str, work: Path, settings: Settings) -> Dataset | None:
    """The dataset as the base commit has it, written out of git into `work` and loaded."""
    folder = work / source_folder(name)
    for part in ("schemas", source_folder(name)):  # a resource's schema may be one of the site's own
        if (work / part).is_dir():
            continue
        archive = subprocess.run(["git", "archive", "--format=tar", commit, "--", part], cwd=root, capture_output=True)
        if archive.returncode == 0:  # else not in the base: a new dataset, or no national schemas
            with tarfile.open(fileobj=io.BytesIO(archive.stdout)) as tar:
                tar.extractall(work, filter="data")
    if not (folder / "datapackage.json").is_file():
        return None
    try:
        found = discover(folder.parent, [name], max_nesting=settings.limits.max_nesting)
    except (OSError, ValueError):  # a base the build could not read counts as nothing
        return None
    return found[0] if found and isinstance(found[0].loaded, dict) else None
