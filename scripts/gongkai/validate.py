"""Validation behind one function: package(s) in, Report out. Never raises for bad data.

The order matters: the folder, path and encoding pre-flight runs first, and frictionless
only reads a dataset whose files passed it (so no link, URL or odd encoding reaches it).
"""

from __future__ import annotations

from .checks.catalog import check_catalog
from .checks.changelog import check_changelog
from .checks.encoding import check_text_file, read_csv
from .checks.folder import check_folder, check_readme
from .checks.formula import check_formula_cells
from .checks.gitindex import check_git_index
from .checks.header import check_header
from .checks.paths import check_paths
from .checks.profile import check_profile
from .checks.table import check_tables
from .checks.text import check_descriptor_text, check_markdown_text, check_table_text
from .config import Settings
from .csvtext import CsvText
from .jsonlines import value_lines
from .load import DESCRIPTOR, Dataset
from .problems import Problem, Report


def validate(datasets: list[Dataset], settings: Settings) -> Report:
    report = Report(datasets=[ds.name for ds in datasets])
    for ds in datasets:
        report.extend(validate_dataset(ds, settings))
    report.extend(check_catalog(datasets))
    report.extend(check_git_index(settings.root))
    report.problems.sort(key=lambda p: (p.file, p.line or 0, p.severity))
    return report


def validate_dataset(ds: Dataset, settings: Settings) -> list[Problem]:
    problems = list(check_folder(ds, settings))
    if ds.descriptor is None:
        return problems
    lines = value_lines(ds.descriptor_text)
    preflight = list(check_paths(ds, lines, settings))
    for name in ("README.md", "CHANGELOG.md"):
        preflight += check_text_file(ds, name)
    tables: dict[str, CsvText] = {}
    if not preflight and not _blocking(problems):
        for res in ds.resources:
            table, found = read_csv(ds, res["path"])
            preflight += found
            if table is not None:
                tables[res["path"]] = table
    problems += preflight
    for res in ds.resources:
        table = tables.get(res["path"]) if isinstance(res.get("path"), str) else None
        if table is not None:
            problems += check_header(ds, res, table)
            problems += check_table_text(ds, res["path"], table)
            problems += check_formula_cells(ds, res, table)
    problems += check_profile(ds, lines, settings)
    problems += check_descriptor_text(ds, lines)
    problems += check_readme(ds)
    problems += check_changelog(ds)
    for name in ("README.md", "CHANGELOG.md"):
        problems += check_markdown_text(ds, name)
    if not preflight and not _blocking(problems):
        problems += check_tables(ds, tables)
    return problems


def _blocking(problems: list[Problem]) -> bool:
    # Links and oversized files must never be opened by a reader that follows or slurps them.
    return any(p.code in ("symlink", "hard-link", "file-too-large") or p.file.endswith(DESCRIPTOR) and p.code == "invalid-json" for p in problems)
