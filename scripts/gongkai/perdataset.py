"""The per-dataset step of a build: one dataset taken from the cache when nothing it depends on
changed, or else validated, exported and cached (in a worker process, build.generate_docs)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .core.config import Settings
from .core.output import naming_failures
from .core.problems import Problem
from .export.downloads import export_dataset
from .publish import cache
from .publish.history import write_current_version
from .read.load import Dataset
from .read.tables import Surveys, read_tables
from .render.catalog import Entry, Summary
from .render.render import dataset_model
from .render.reportlayout import preview_rows
from .validate.validator import validate_dataset


@dataclass
class Processed:
    """One dataset that passed validation, exported; its page model is in its cache entry (cache.model)."""

    problems: list[Problem]  # warnings only
    summary: Summary
    key: str  # its cache.dataset_key: cache.model() reads its page model back, one dataset at a time
    files: dict[str, Path]  # site path -> exported file, in build/cache
    digests: dict[str, str] = field(default_factory=dict)  # site path -> SHA-256 of each file


@dataclass
class Failed:
    """One dataset that failed validation: its problems, nothing exported."""

    problems: list[Problem]
    files: dict[str, Path] = field(default_factory=dict)
    digests: dict[str, str] = field(default_factory=dict)


def from_cache(ds: Dataset, settings: Settings, key: str) -> Processed | Failed | Problem | None:
    """The dataset as the last build left it, when nothing it depends on (its key) has changed;
    a warning when its entry was found damaged (cache.read dropped it: the dataset is rebuilt)."""
    hit = cache.read(settings.root, ds.name, key)
    if hit.dropped:
        message = f"the cached build of {ds.name} was damaged and is rebuilt: {hit.reason}"
        facts = {"name": ds.name, "reason": hit.reason}
        return Problem("cache-entry-dropped", message, hit.dropped, dataset=ds.name, severity="warning", params=facts)
    if hit.entry is None:
        return None
    record, files = hit.entry, hit.files
    problems = [Problem(**p) for p in record["problems"]]
    if record["summary"] is None:
        return Failed(problems, files, cache.digests(record))
    return Processed(problems, Summary.from_dict(record["summary"]), key, files, cache.digests(record))


def process_keyed(job: tuple[Dataset, str, str | None], settings: Settings) -> Processed | Failed:
    ds, key, locked_zip = job
    return process_dataset(ds, settings, key, locked_zip)


def process_dataset(ds: Dataset, settings: Settings, key: str, locked_zip: str | None = None) -> Processed | Failed:
    """Validate, export and render one dataset that the cache does not hold (from_cache),
    and cache the result under key, its cache.dataset_key (locked_zip: ZipLocks.current)."""
    surveys = Surveys(ds, preview_rows(ds.resources, settings.limits.preview_rows))  # taken by validation, for export
    problems = validate_dataset(ds, settings, surveys)
    folder = cache.fresh_folder(settings.root, ds.name)  # the exports are written straight into the cache
    result: Processed | Failed
    model: dict | None = None
    known: dict[str, tuple[int, str]] = {}  # file -> (size, SHA-256) as written
    if any(p.is_error for p in problems):
        result = Failed(problems)
    else:
        with naming_failures(folder):
            entry = export_entry(ds, settings, folder, surveys)
        # a chart that could not be drawn or published (charts.py), cached with the rest
        problems += entry.exported.problems
        files = dict(entry.exported.files)
        known.update({d.path: (d.bytes, d.sha256) for d in entry.exported.downloads})
        copies = {
            d.resource: (files[d.path], d.bytes, d.sha256)
            for d in entry.exported.downloads
            if d.kind == "csv" and d.resource is not None
        }
        parquets = {
            d.resource: (files[d.path], d.bytes, d.sha256)
            for d in entry.exported.downloads
            if d.kind == "parquet" and d.resource is not None
        }
        with naming_failures(folder):  # the working tree's version, from the export's copies: cached with the rest
            current, sizes, broken = write_current_version(ds, folder, copies, parquets, locked_zip)
        files.update(current)
        known.update(sizes)
        model = dataset_model(entry, settings)
        result = Processed(problems + broken, entry.summary(), key, files)
    record = {
        "problems": [p.to_dict() for p in problems],
        "summary": result.summary.to_dict() if isinstance(result, Processed) else None,
        "model": model,
    }
    result.digests = cache.write(settings.root, ds.name, key, record, result.files, known)
    return result


def export_entry(ds, settings: Settings, folder: Path, surveys: Surveys | None = None) -> Entry:
    tables = read_tables(ds, preview_rows(ds.resources, settings.limits.preview_rows), surveys)  # a report: every row
    exported = export_dataset(ds, tables, settings.site_url, folder, settings.limits)
    readme = (ds.root / "README.md").read_text(encoding="utf-8")
    changelog = (ds.root / "CHANGELOG.md").read_text(encoding="utf-8")
    return Entry(dataset=ds, tables=tables, exported=exported, readme=readme, changelog=changelog)
