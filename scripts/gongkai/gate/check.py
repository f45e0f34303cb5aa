"""`gongkai check --base <ref>`: the pull-request gate.

Validates the datasets that changed since the base (in the working tree, committed or not),
compares each with its base version (diff.py) and holds the version to the bump rule: the
change needs at least its bump, a version only goes up, and `modified` does not go back (the
CHANGELOG entry for the version, dated `modified`, is validation's rule). A dataset that is
gone needs a withdrawal or a redirect. The build's own refusals are asked here with the same
functions: its history (a version with two sets of data, a changed id: history.py) and its
URL lock, which a pull request may only append to (urls.py). A change to site code rather
than data fails too, until a maintainer has reviewed it (sitecode.py).
"""

from __future__ import annotations

import json
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from ..core import sitepaths
from ..core.config import Limits, Settings
from ..core.errors import BuildError, UsageError
from ..core.jsonlines import line_of, value_lines
from ..core.problems import Problem, Report
from ..publish.history import history_available, history_problems
from ..publish.redirects import redirected_paths
from ..publish.urls import LOCK, lock_against_base, read_lock
from ..publish.withdrawals import read_withdrawals
from ..read import schemaref
from ..read.load import DESCRIPTOR, Dataset, discover, source_folder
from ..validate.validator import finish_report, validate_dataset
from . import growth as site_growth
from .diff import LEVELS, LEVELS_ZH, Diff, Snapshot, bump_of, compare, next_version, snapshot_here, summary_zh
from .sitecode import is_site_code, site_code_problems


@dataclass
class Checked:
    base: str  # the ref as given
    commit: str  # what it resolved to
    report: Report
    diffs: dict[str, Diff] = field(default_factory=dict)  # dataset name -> diff, for valid changed datasets
    removed: list[str] = field(default_factory=list)
    invalid: list[str] = field(default_factory=list)  # changed datasets that failed validation (no diff)
    site_code: list[str] = field(
        default_factory=list
    )  # changed files that are code, not data: a maintainer reviews them
    unlocked: list[str] = field(default_factory=list)  # public paths of changed datasets not yet in urls.lock
    growth: site_growth.Growth | None = None  # what the change adds to the site (growth.py)


def check(root: Path, settings: Settings, base: str) -> Checked:
    commit = _resolve(root, base)
    names = changed_datasets(root, commit)
    present = [n for n in names if (settings.datasets_dir / n).is_dir()]
    datasets = discover(settings.datasets_dir, present, max_nesting=settings.limits.max_nesting) if present else []
    report = Report(datasets=present)
    invalid = []
    for ds in datasets:
        problems = validate_dataset(ds, settings)
        report.extend(problems)
        if any(p.is_error for p in problems):
            invalid.append(ds.name)
    everything = (
        discover(settings.datasets_dir, max_nesting=settings.limits.max_nesting)
        if settings.datasets_dir.is_dir()
        else []
    )
    finish_report(report, everything, settings)  # ids unique across the catalog, git index
    checked = Checked(base=base, commit=commit, report=report, invalid=invalid)
    history = _history(root, report)
    for ds in datasets:
        if ds.name in invalid:
            continue
        diff = compare(snapshot_at(root, commit, ds.name), snapshot_here(ds))
        checked.diffs[ds.name] = diff
        bump = version_problems(ds, diff)
        report.extend(bump)
        # What the build would refuse, decided by the build's own function; a version the bump
        # rule refused is not reported twice (the build's "already committed with other data").
        report.extend(
            history_problems(
                root,
                ds,
                history,
                working_tree=not any(p.is_error and p.field == "/version" for p in bump),
                rev=commit,  # the target branch's history and this pull request's result on top of it
            )
        )
    checked.removed = [n for n in names if n not in present]
    report.extend(_removal_problems(root, checked.removed, settings.limits))
    valid = [ds for ds in datasets if ds.name not in invalid]
    checked.growth = site_growth.measure(root, settings, commit, valid, checked.removed)
    report.extend(site_growth.problems(checked.growth))
    lock = read_lock(root)
    report.extend(lock_against_base(_show(root, commit, LOCK), lock, base))
    checked.unlocked = unlocked_paths([ds for ds in datasets if ds.name not in invalid], lock)
    checked.site_code = [p for p in changed_files(root, commit) if is_site_code(p)]
    report.extend(site_code_problems(checked.site_code))
    report.problems.sort(key=lambda p: (p.file, p.line or 0, p.severity))
    return checked


def unlocked_paths(datasets: list[Dataset], lock) -> list[str]:
    """The page and CSV paths of these datasets that urls.lock lacks: `gongkai lock` is needed
    before the build stops warning (url-not-locked). The page and its CSVs, current and in the
    current version's folder (a new version publishes one), stand for the rest."""
    locked = {path for _, path, _ in lock}
    wanted = []
    for ds in datasets:
        wanted.append(sitepaths.public_path(sitepaths.dataset_page(ds.name)))
        version = ds.loaded.get("version") if isinstance(ds.loaded, dict) else None
        for res in ds.resources:
            if isinstance(res.get("name"), str):
                file = sitepaths.resource_file(res["name"], "csv")
                wanted.append(sitepaths.public_path(sitepaths.dataset_file(ds.name, file)))
                if isinstance(version, str):
                    wanted.append(sitepaths.public_path(sitepaths.version_file(ds.name, version, file)))
    return [path for path in wanted if path not in locked]


def changed_datasets(root: Path, commit: str) -> list[str]:
    """Dataset folders with any file added, changed or removed between the base and the working
    tree, or touched by a commit since the base (a change made and undone still left a version
    in history, which the build publishes)."""
    changed = changed_files(root, commit, "datasets/")
    changed += _git(
        root, "log", "--format=", "--name-only", "--no-renames", f"{commit}..HEAD", "--", "datasets/"
    ).splitlines()
    return sorted({p.split("/")[1] for p in changed if p.count("/") >= 2})


def changed_files(root: Path, commit: str, folder: str = ".") -> list[str]:
    """Files added, changed or removed between the base and the working tree (untracked ones included)."""
    changed = _git(root, "diff", "--name-only", "--no-renames", commit, "--", folder).splitlines()
    changed += _git(root, "ls-files", "--others", "--exclude-standard", "--", folder).splitlines()
    return sorted(set(changed))


def snapshot_at(root: Path, commit: str, name: str) -> Snapshot | None:
    """The dataset as the commit has it; None when it did not exist there."""
    folder = f"{commit}:{source_folder(name)}"  # git's name of the folder at that commit
    try:
        descriptor = json.loads(_git(root, "show", f"{folder}/{DESCRIPTOR}"))
    except (subprocess.CalledProcessError, ValueError):
        return None
    if isinstance(descriptor, dict):  # compared with the working tree's as load.py reads it
        schemaref.inline(descriptor, root)
    tables = {}
    for res in descriptor.get("resources", []):
        try:
            tables[res["name"]] = _git(root, "show", f"{folder}/{res['path']}")
        except (subprocess.CalledProcessError, KeyError, TypeError):
            tables[res.get("name", "?")] = ""
    try:
        readme = _git(root, "show", f"{folder}/README.md")
    except subprocess.CalledProcessError:
        readme = ""
    return Snapshot(descriptor=descriptor, tables=tables, readme=readme)


def version_problems(ds: Dataset, diff: Diff) -> list[Problem]:
    if diff.old is None:
        return []
    old, new = diff.old.version, diff.new.version
    lines = value_lines(ds.loaded_text)
    where: dict = {"file": ds.file(DESCRIPTOR), "dataset": ds.name}
    step = bump_of(old, new)
    problems = []

    def problem(code: str, message: str, pointer: str, params: dict | None = None) -> Problem:
        return Problem(code, message, line=line_of(lines, pointer), field=pointer, params=params or {}, **where)

    if new != old and step is None:
        problems.append(
            problem(
                "version-bump",
                f"the version went from {old} to {new}; a new version must be higher",
                "/version",
                {"rule": "lower", "old": old, "new": new},
            )
        )
    needed = diff.needed
    if needed and (step is None or step < needed):
        found = (
            f"but the version is still {old}"
            if new == old
            else f"but {old} → {new} is a {LEVELS[step]} bump"
            if step
            else ""
        )
        because = "; ".join(diff.reasons(needed))
        message = (
            f"{because}: this needs a {LEVELS[needed]} version bump ({old} → {next_version(old, needed)}) {found}; "
            "then add a CHANGELOG.md entry for it dated as modified"
        )
        found_zh = f"而版本仍是 {old}" if new == old else f"而 {old} → {new} 只是{LEVELS_ZH[step]}升级" if step else ""
        facts = {
            "rule": "short",
            "changes": summary_zh(diff),
            "level": LEVELS_ZH[needed],
            "old": old,
            "next": next_version(old, needed),
            "found": found_zh,
        }
        problems.append(problem("version-bump", message.replace("  ", " "), "/version", facts))
    before, after = str(diff.old.descriptor.get("modified", "")), str(ds.loaded.get("modified", ""))
    if after < before:
        message = f"modified went back from {before} to {after}"
        problems.append(problem("modified-date", message, "/modified", {"old": before, "new": after}))
    return problems


def _removal_problems(root: Path, removed: list[str], limits: Limits) -> list[Problem]:
    withdrawn_names = {w.name for w in read_withdrawals(root, set(), limits=limits)[0]}  # read as the build reads it
    redirected = redirected_paths(root, limits=limits)  # the build reports a broken file
    return [
        Problem(
            "dataset-removed",
            (
                f"datasets/{name}/ was removed; its URLs must keep answering: rename it with a redirects.yml entry "
                f"for /datasets/{name}/, or record a withdrawal in withdrawn.yml"
            ),
            source_folder(name),
            dataset=name,
            params={"name": name},
        )
        for name in removed
        if name not in withdrawn_names and "/" + sitepaths.dataset_page(name) not in redirected
    ]


def _history(root: Path, report: Report) -> bool:
    """Whether versions can be read from git here, as the build asks it; a shallow clone that
    only fetched the base is still checked, without the history questions."""
    try:
        available, _ = history_available(root)
    except BuildError:
        available = False
    if not available:
        report.extend(
            [
                Problem(
                    "shallow-clone",
                    "no full git history here: versions in history were not checked (the build checks them)",
                    "datasets/",
                    severity="warning",
                    params={"rule": "gate"},
                )
            ]
        )
    return available


def _show(root: Path, commit: str, path: str) -> str | None:
    """A file's text at the commit; None when the commit has no such file."""
    try:
        return _git(root, "show", f"{commit}:{path}")
    except subprocess.CalledProcessError:
        return None


def _resolve(root: Path, ref: str) -> str:
    try:
        return _git(root, "rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}").strip()
    except subprocess.CalledProcessError:
        raise UsageError(
            f"--base {ref}: not a commit in this repository (with a "
            f"shallow clone, fetch the base first: git fetch origin {ref})"
        ) from None
    except FileNotFoundError:
        raise UsageError("git is needed for `gongkai check`") from None


def _git(root: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=root, capture_output=True, check=True).stdout.decode("utf-8")
