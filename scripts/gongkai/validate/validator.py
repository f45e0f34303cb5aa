"""Validation behind one function: package(s) in, Report out. Never raises for bad data.

The order matters: the folder, path and encoding pre-flight runs first, and frictionless
only reads a dataset whose files passed it (so no link, URL or odd encoding reaches it).
"""

from __future__ import annotations

from ..core.config import Settings
from ..core.jsonlines import value_lines
from ..core.parallel import Progress, ahead, in_own_process, run_each
from ..core.problems import Problem, Report
from ..read.columns import BLOCK, FastSource, NotPlain, fast_source
from ..read.csvtext import CsvText
from ..read.load import DESCRIPTOR, Dataset, fields_of
from ..read.tables import Surveys
from .arithmetic import check_arithmetic
from .changelog import check_changelog
from .encoding import check_text_file, read_csv
from .fast import ColumnCheck
from .folder import check_folder, check_readme
from .formula import check_formula_cells, formula_problems
from .gitindex import check_git_index
from .header import check_header
from .limits import check_limits
from .nationalrows import check_national_rows
from .numbers import check_number_cells
from .paths import check_paths
from .patterns import check_patterns
from .placeholder import check_placeholders, covered, placeholder_pointers
from .profile import check_profile
from .table import check_metadata, check_tables
from .text import check_descriptor_text, check_markdown_text, check_table_text, hygiene, key_fields
from .unique import check_catalog
from .views import check_views


def validate(datasets: list[Dataset], settings: Settings, progress: Progress | None = None) -> Report:
    report = Report(datasets=[ds.name for ds in datasets])
    for problems in run_each(validate_dataset, datasets, settings, stage="validate", progress=progress):
        report.extend(problems)
    return finish_report(report, datasets, settings)


def finish_report(report: Report, datasets: list[Dataset], settings: Settings) -> Report:
    """Add the checks across datasets and put every problem in file and line order."""
    report.extend(check_catalog(datasets))
    report.extend(check_git_index(settings.root))
    report.problems.sort(key=lambda p: (p.file, p.line or 0, p.severity))
    named = {p.file for p in report.problems if p.field}
    for ds in datasets:
        for res in ds.resources if ds.descriptor is not None else []:
            file = ds.file(res["path"]) if isinstance(res.get("path"), str) else None
            if file in named:
                titles = {f["name"]: f["title"] for f in fields_of(res) if _titled(f)}
                report.titles[file] = titles
    return report


def _titled(f: dict) -> bool:
    return isinstance(f.get("name"), str) and isinstance(f.get("title"), str) and f["title"] not in ("", f["name"])


def validate_dataset(ds: Dataset, settings: Settings, surveys: Surveys | None = None) -> list[Problem]:
    """Every problem of one dataset; surveys, when given, receives the tables' surveys if the
    fast path read the files (read/tables.py), so that the export need not read them again."""
    problems = list(check_folder(ds, settings))
    if ds.descriptor is None:
        return problems
    lines = value_lines(ds.loaded_text)
    preflight = list(check_paths(ds, lines, settings))
    preflight += check_limits(
        ds, lines, settings
    )  # before any reader holds a row: no parser or frictionless sees a file beyond them
    preflight += check_patterns(ds, lines)  # a pattern that backtracks without end never reaches a validator
    for name in ("README.md", "CHANGELOG.md"):
        preflight += check_text_file(ds, name)
    problems += preflight
    if not preflight and not _blocking(problems):
        problems += check_data(ds, surveys=surveys)
        if not any(p.is_error for p in problems):  # the sums of valid numbers only
            problems += check_arithmetic(ds, settings.root)
        problems += check_national_rows(ds, settings.root)
    placeholders = placeholder_pointers(ds.descriptor)
    problems += [p for p in check_profile(ds, lines, settings) if not covered(p.field, placeholders)]
    problems += check_placeholders(ds, lines)
    problems += check_views(ds, lines, settings.limits)
    problems += check_descriptor_text(ds, lines)
    problems += check_readme(ds)
    problems += check_changelog(ds)
    for name in ("README.md", "CHANGELOG.md"):
        problems += check_markdown_text(ds, name)
    return problems


def check_data(ds: Dataset, *, engine: str = "auto", surveys: Surveys | None = None) -> list[Problem]:
    """Every data check of a dataset whose files passed the pre-flight.

    engine "auto" takes the vectorised path when every resource allows it (validate/fast.py)
    and frictionless otherwise; "frictionless" forces the reference.
    """
    if engine == "auto":
        fast = {res["path"]: fast_source(ds.root / res["path"], res) for res in ds.resources}
        sources = {path: source for path, source in fast.items() if source is not None}
        if fast and len(sources) == len(fast):
            try:
                return _check_fast(ds, sources, surveys)
            except NotPlain:
                if surveys is not None:
                    surveys.not_plain()
                # found out midway: the row-by-row way decides the whole dataset
    problems: list[Problem] = []
    tables: dict[str, CsvText] = {}
    for res in ds.resources:
        table, found = read_csv(ds, res["path"])
        problems += found
        if table is not None:
            tables[res["path"]] = table
            problems += check_header(ds, res, table)
            problems += check_table_text(ds, res["path"], table)
            problems += check_formula_cells(ds, res, table)
            problems += check_number_cells(ds, res, table)
    if not any(p.code in READ_FAILURES for p in problems):
        problems += check_tables(ds, tables)
    if surveys is not None and not any(p.is_error for p in problems):  # a survey is of a valid table only
        for res in ds.resources:
            if res["path"] in tables:
                surveys.add_parsed(res, tables[res["path"]])
    return problems


def _check_fast(ds: Dataset, sources: dict[str, FastSource], surveys: Surveys | None) -> list[Problem]:
    big = sum(source.path.stat().st_size for source in sources.values()) > BLOCK
    if not big:  # threads cost more than they save on small files
        return check_metadata(ds) or _scan_resources(ds, sources, big, surveys)
    # frictionless's word on the descriptor comes from a process of its own while the rows are
    # checked: its import is pure Python, and in a thread it would hold the GIL the checks need
    metadata = in_own_process(check_metadata, ds)
    try:
        problems = _scan_resources(ds, sources, big, surveys)
    except NotPlain:
        raise
    except Exception:
        if metadata.result():  # a descriptor frictionless rejects: say that, not what it tripped
            return metadata.result()
        raise
    return metadata.result() or problems


def _scan_resources(ds: Dataset, sources: dict[str, FastSource], big: bool, surveys: Surveys | None) -> list[Problem]:
    problems: list[Problem] = []
    for res in ds.resources:
        source = sources[res["path"]]
        file = ds.file(res["path"])
        check = ColumnCheck(res)
        if surveys is not None:
            surveys.start(res, source.header)
        for batch in ahead(source.batches()) if big else source.batches():
            check.add(batch)
            if surveys is not None:
                surveys.add(batch)
        if surveys is not None:
            surveys.finish()
        scan = check.finish(lambda rows, source=source: _row_text(source, rows))
        for f in scan.findings:
            problems.append(
                Problem(f.code, f.message, file, line=f.row, field=f.field, dataset=ds.name, params=f.params)
            )
        keys = key_fields(res)
        problems += hygiene(ds, file, ((row, name, value, name in keys) for row, name, value in scan.suspicious))
        problems += formula_problems(ds, res, scan.formulas, lambda i: i + 2)
    return problems


def _row_text(source: FastSource, rows: set[int]) -> dict[int, str]:
    """The cells of a few rows joined by commas, read again from the file (only for duplicate keys)."""
    found: dict[int, str] = {}
    start = 2
    for batch in source.batches():
        for row in rows:
            if start <= row < start + batch.num_rows:
                found[row] = ",".join(col[row - start].as_py() for col in batch.columns)
        start += batch.num_rows
    return found


READ_FAILURES = {"utf8-bom", "encoding-error", "empty-file", "csv-syntax", "no-rows"}


def _blocking(problems: list[Problem]) -> bool:
    # Links and oversized files must never be opened by a reader that follows or slurps them.
    # A number no JSON reader keeps (NaN, 1e400, beyond 2^53) inside a resource would reach the
    # table readers as a value they cannot compare with: its rows are checked once it is fixed.
    return any(
        p.code in ("symlink", "hard-link", "file-too-large")
        or p.file.endswith(DESCRIPTOR)
        and (p.code == "invalid-json" or p.code == "json-number" and (p.field or "").startswith("/resources/"))
        for p in problems
    )
