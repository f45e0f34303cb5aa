"""The pipeline, written out once, top to bottom.

    load the packages
    -> for each dataset, in worker processes (or from build/cache when its inputs are
       unchanged): validate -> export download files -> render its page
    -> every version of every dataset from git history, under datasets/<name>/<version>/
    -> checks across datasets -> catalog, topic and publisher pages, catalog.json
    -> the URL contract (urls.lock, redirects.yml, withdrawn.yml) -> write build/docs
    -> mkdocs build --strict into a fresh folder -> verify it (checksums, links, no script
       in content) -> swap it in as site/

Export runs before rendering because each page shows the size and SHA-256 of its files.
Nothing reaches build/docs or site/ until every dataset has passed, and site/ is only
replaced by a complete, verified site: a failure at any stage leaves it as it was.
"""

from __future__ import annotations

import datetime as dt
import os
import subprocess
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

from .catalogs.catalogfile import catalog_json, schema_bytes
from .catalogs.datajson import contacts_missing, data_json
from .catalogs.dcat import catalog_jsonld
from .catalogs.feed import atom_feed, version_feeds
from .catalogs.versionindex import machine_versions, version_listing, version_metadata, versions_json
from .catalogs.versionindex import schema_bytes as versions_schema
from .core import compiled, repofiles, sitepaths
from .core.config import SETTINGS_FILE, Limits, Settings, load_settings
from .core.errors import BuildError, InvalidData
from .core.output import sha256, sync_tree
from .core.parallel import Progress, Timing, in_own_process, run_each, timed
from .core.problems import Problem, Report
from .export.queryengine import engine_files
from .gate import sitecode
from .gate.diff import change_record, history_diffs, summary_en, summary_zh
from .perdataset import Failed, Processed, from_cache, process_keyed
from .publish import cache, renderedpages, sitefiles, swap
from .publish.blobs import BUILD_BLOBS, checksums, page_links, plan_store, take_stored
from .publish.budget import Budget
from .publish.generator import REPLACED, publish_site
from .publish.history import Version, ZipLocks, history_available, read_history, version_files
from .publish.redirects import read_redirects, redirect_files
from .publish.urls import check_lock as check_lock_file
from .publish.urls import host_files, public_paths, read_lock, urls_json
from .publish.withdrawals import notice_page, read_withdrawals
from .read.load import Dataset, discover
from .read.schemaref import published as published_schemas
from .render.catalog import Summary
from .render.dashboard import home_dashboard
from .render.memo import Memo, using
from .render.quality import assess, overall
from .render.query import render_query
from .render.render import PageExtras, quality_model, render_dataset, render_quality_page, render_site
from .render.schemapages import schema_pages
from .render.templating import environment, xml_environment
from .render.versions import versions_model
from .search.index import build_index
from .validate.validator import finish_report

BUILD_DOCS = Path("build/docs")
BUILD_SEARCH = Path("build/search")  # the search index as written (linked into build/docs when made in-line)
HAND_WRITTEN = Path("docs")


@dataclass
class Generated:
    settings: Settings
    entries: list[Summary]
    report: Report
    files: dict[str, bytes | Path]
    published: set[str]  # public paths, /-rooted (urls.py)
    redirects: dict[str, str]
    versioned: dict[str, str]  # /-rooted path of each version's file -> sha256
    withdrawn: tuple[str, ...]  # path prefixes of withdrawn datasets
    processing: Timing  # the datasets the cache did not hold: validated, exported, rendered
    budget: Budget | None = None  # the built site's measure (publish/budget.py), once it is built
    search: Future | None = None  # the search index's files (site path -> file), when made apart
    stages: dict[str, float] = field(default_factory=dict)  # wall seconds by step of build() (generator.TIMES)


def build(
    root: Path,
    *,
    site_dir: Path | None = None,
    generator: str = "mkdocs",
    progress: Progress | None = None,
    notice: Callable[[str], None] | None = None,
) -> Generated:
    site_dir = site_dir or root / "site"
    restored = recover_site(site_dir)  # before anything else: a build that fails now still leaves a complete site/
    if restored and notice:
        notice(restored)
    # The site files' copies are settled, and the site the last build replaced removed, beside this
    # build's pipeline, not in its wait
    aside = root / REPLACED
    clearing = in_own_process(sitefiles.settle, root, partial(swap.discard, aside) if os.path.lexists(aside) else None)
    try:
        return _build(root, site_dir, generator, progress, clearing)
    finally:
        if clearing is not None:
            clearing.exception()  # never left running after the build


def _build(root: Path, site_dir: Path, generator: str, progress: Progress | None, clearing: Future | None) -> Generated:
    with timed(0) as pipeline:
        generated = generate_docs(root, progress, index_apart=True)
    generated.stages["pipeline"] = pipeline.seconds
    if clearing is not None:
        clearing.result()  # done long before: it records the copies' stamps anew, which placing reads
    later, settings = generated.search, generated.settings
    try:
        epoch, stages = _epoch(generated), generated.stages
        generated.budget = publish_site(root, site_dir, generator, epoch, settings, stages, later, settled=True)
    except BaseException:
        if later is not None:
            later.exception()  # the index writes into build/search/: never left running after the build
        raise
    generated.files.update(later.result() if later else {})
    return generated


def generate_docs(
    root: Path, progress: Progress | None = None, *, check_urls: bool = True, index_apart: bool = False
) -> Generated:
    """Everything up to the site generator: the pages and files of build/docs. index_apart: the
    search index is made in a process of its own, still running when this returns (Generated.search),
    not in build/docs: the caller waits for it on every path, as build() does."""
    settings = load_settings(root)
    sitecode.require_generator_config(root, settings)  # mkdocs.yml read safely before MkDocs reads it
    cache.check_untracked(root)
    for env in (environment(), xml_environment()):
        compiled.keep(env, root)  # the page templates compiled once, not in every build
    datasets = discover(settings.datasets_dir, max_nesting=settings.limits.max_nesting)
    settings_bytes = repofiles.read_bytes(root, SETTINGS_FILE)
    # Unchanged datasets come straight from the cache; only the others go to worker processes
    # (starting the pool costs more than reading a thousand cache records).
    keys = [cache.dataset_key(ds, settings_bytes) for ds in datasets]
    cached = [from_cache(ds, settings, key) for ds, key in zip(datasets, keys, strict=True)]
    zips = ZipLocks.read(root)  # how each version's zip is stored (history.version_zip)
    todo = [
        (ds, key, zips.current(ds))
        for ds, key, hit in zip(datasets, keys, cached, strict=True)
        if not isinstance(hit, Processed | Failed)
    ]
    with timed(len(todo)) as processing:  # the per-dataset stage: on every core
        fresh = iter(run_each(process_keyed, todo, settings, stage="datasets", progress=progress))
    outcomes = [hit if isinstance(hit, Processed | Failed) else next(fresh) for hit in cached]
    report = Report(datasets=[ds.name for ds in datasets])
    report.extend([hit for hit in cached if isinstance(hit, Problem)])  # damaged cache entries, dropped and rebuilt
    for outcome in outcomes:
        report.extend(outcome.problems)
    report = finish_report(report, datasets, settings)
    results = [r for r in outcomes if isinstance(r, Processed)]
    if not report.valid or len(results) < len(outcomes):
        raise InvalidData(report)
    hand_written = repofiles.hand_written(root, HAND_WRITTEN.as_posix())
    keyed = [(ds.name, r.key) for ds, r in zip(datasets, results, strict=True)]  # models read back one at a time
    documents = partial(renderedpages.search_documents, settings.root, keyed, settings)  # kept, as the pages
    index = partial(build_index, documents, hand_written, root / BUILD_SEARCH)
    # Apart, the index needs only the datasets' models: it starts now, on the core the rest of the
    # pipeline leaves idle, and is placed into the site after MkDocs (sitefiles.py).
    later = in_own_process(index) if index_apart else None
    try:
        generated = _assemble(
            root,
            settings,
            datasets,
            results,
            report,
            processing,
            zips,
            hand_written,
            None if later else index,
            check_urls,
        )
    except BaseException:
        if later is not None:
            later.exception()  # the index writes into build/: never left running after a failure
        raise
    generated.search = later
    return generated


def _assemble(
    root: Path,
    settings: Settings,
    datasets: list[Dataset],
    results: list[Processed],
    report: Report,
    processing: Timing,
    zips: ZipLocks,
    hand_written: dict[str, bytes],
    index: Callable[[], dict[str, bytes | Path]] | None,
    check_urls: bool,
) -> Generated:
    """The rest of generate_docs, once every dataset has passed: versions, listings, catalogs and
    the URL contract, written to build/docs. index: the search index, made here when not apart."""
    summaries = [r.summary for r in results]
    withdrawn, problems = read_withdrawals(root, {ds.name for ds in datasets}, limits=settings.limits)
    report.extend(problems)
    history, shallow = history_available(root)  # asked once: it runs git
    if shallow:
        message = "shallow clone: older versions are not published in this build"
        report.extend([Problem("shallow-clone", message, "datasets/", severity="warning")])
    versions, versioned = _versions(root, datasets, report, history, zips)
    board, problems = home_dashboard(root, settings, {r.summary.name: (r.summary, r.files) for r in results})
    report.extend(problems)
    # the listing pages a change leaves as they were come from the last build (render/memo.py)
    memo = Memo(held := renderedpages.listings(root), cache.code_version())
    with using(memo):
        pages = render_site(summaries, settings, board)
    pages.update(schema_pages(schemas := published_schemas(root), settings))  # the national tables' schemas
    as_of = _as_of(root, summaries, history)
    assessed = []
    listed: dict[str, tuple[list[dict], dict[str, dict]]] = {}  # name -> (the page's versions, their changes as data)
    engine = engine_files(root)  # DuckDB-Wasm for the query pages, once for the site ({} before `make duckdb`)
    pages.update(
        {sitepaths.dataset_page_md(w.name, lang): notice_page(w, lang) for w in withdrawn for lang in ("zh", "en")}
    )  # the notice in both interfaces
    every = {"/" + rel: sha256(data) for rel, data in versioned.items()}  # versions from history
    every.update(
        {"/" + rel: sha for r in results for rel, sha in r.digests.items() if sitepaths.in_version_folder(rel)}
    )  # the working tree's
    known = {rel: sha for r in results for rel, sha in r.digests.items()} | {p[1:]: sha for p, sha in every.items()}
    stored = page_links(settings.downloads, known)  # each dataset's files in the download store, if one is set
    rendered: dict[str, bytes | Path] = {}  # the datasets' pages, encoded as made (a str takes twice the memory)
    written = renderedpages.Written(root, root / BUILD_DOCS)  # or as the last build left them in build/docs
    for ds, r in zip(datasets, results, strict=True):
        changelog = (ds.root / "CHANGELOG.md").read_text(encoding="utf-8")
        diffs = history_diffs(ds, versions[ds.name], versioned)
        criteria = assess(r.summary, settings, as_of)
        assessed.append((r.summary, criteria, overall(criteria)))
        zh, en = ({v: say(d) for v, d in diffs.items()} for say in (summary_zh, summary_en))
        shown = versions_model(versions[ds.name], r.summary.meta, changelog, zh, en)
        listed[ds.name] = (shown, {v: change_record(d) for v, d in diffs.items()})
        links = stored.get(ds.name, {})
        extras = PageExtras(quality_model(criteria, overall(criteria), as_of), shown, links)
        entry = renderedpages.key(r.key, extras, bool(engine))  # an unchanged dataset's pages are not rendered again
        render = partial(_pages, ds.name, r.key, extras, settings, engine)
        made = renderedpages.pages(root, ds.name, entry, render, written)
        written.wrote(ds.name, entry, made)
        rendered.update(made)
    renderedpages.prune(root, [ds.name for ds in datasets])
    assessed.sort(key=lambda a: (-a[2], a[0].name))
    with using(memo):
        pages[sitepaths.page_md(sitepaths.QUALITY)] = render_quality_page(assessed, as_of)
    renderedpages.keep_listings(root, held, memo.used)
    files: dict[str, bytes | Path] = {**hand_written, **schemas}
    clash = sorted(set(files) & (set(pages) | set(rendered)))
    if clash:
        raise BuildError(f"docs/ has pages that gongkai generates: {', '.join(clash)}")
    files.update({path: text.encode("utf-8") for path, text in pages.items()})
    files.update(rendered)
    if index is not None:
        files.update(index())
    files.update(engine)
    for result in results:
        files.update(result.files)
    files.update(versioned)
    digests = {path: sha for path, sha in every.items() if sitepaths.is_versioned(path)}  # hash-locked
    # Versions for machines: versions.json beside each dataset page, the feeds of versions, catalog.json's list
    listing = version_listing(files, every)
    machine = {s.name: machine_versions(s, *listed[s.name], listing, settings) for s in summaries}
    indexes = {sitepaths.versions_index(s.name): versions_json(s, machine[s.name], settings) for s in summaries}
    indexes.update(version_feeds(summaries, machine, settings))
    files.update(indexes)
    files[sitepaths.VERSIONS_SCHEMA] = versions_schema()
    files[sitepaths.CATALOG_JSON] = catalog_json(summaries, settings, machine)
    files[sitepaths.CATALOG_SCHEMA] = schema_bytes()
    files[sitepaths.FEED] = atom_feed(summaries, settings)
    files.update(catalog_jsonld(summaries, settings, version_metadata(versions, files), known))
    uncontactable = contacts_missing(summaries, settings)
    if uncontactable:
        message = (
            f"data.json (DCAT-US) is not published: no contact e-mail for {', '.join(uncontactable)}; give each a "
            "maintainer e-mail or set operator.email"
        )
        facts = {"names": "、".join(uncontactable)}
        report.extend([Problem("no-contact-email", message, "gongkai.yml", severity="warning", params=facts)])
    else:
        files[sitepaths.DATA_JSON] = data_json(summaries, settings)
    files[sitepaths.CHECKSUMS] = files[sitepaths.URLS_JSON] = b""  # written below; listed now as public paths
    gone = tuple(w.prefix for w in withdrawn)
    # its English query page, outside its folder, goes with its files (its pages get a notice)
    gone_paths = gone + tuple(sitepaths.public_path(sitepaths.query_page_md(w.name, "en")) for w in withdrawn)
    published, redirects = _check_urls(
        root, files, report, digests, gone_paths, check_lock=check_urls, history=history, limits=settings.limits
    )
    files.update(redirect_files(redirects, files))
    store = plan_store(settings.downloads, files, known)  # the downloads leave the site for the store, if set
    files = take_stored(files, store)
    published |= set(store.moved.values())
    files.update(host_files(redirects, digests, store.moved))
    files[sitepaths.CHECKSUMS] = checksums(summaries, redirects, every, indexes, store.moved)
    files[sitepaths.URLS_JSON] = urls_json(published, redirects, gone)
    sync_tree(root / BUILD_DOCS, files)
    written.save()
    sync_tree(root / BUILD_BLOBS, store.blobs)
    return Generated(settings, summaries, report, files, published, redirects, digests, gone_paths, processing)


def _pages(name: str, key: str, extras: PageExtras, settings: Settings, engine: dict) -> dict[str, bytes]:
    """A dataset's page and query page in both interfaces, rendered from its cached model."""
    model, made = cache.model(settings.root, name, key), {}
    for lang in ("zh", "en"):
        made[sitepaths.dataset_page_md(name, lang)] = render_dataset(model, extras, settings, lang).encode()
        query = render_query(model, lang, engine=bool(engine), links=extras.links)
        made[sitepaths.query_page_md(name, lang)] = query.encode()
    return made


def _versions(
    root: Path, datasets: list[Dataset], report: Report, available: bool, zips: ZipLocks
) -> tuple[dict[str, list[Version]], dict[str, bytes]]:
    """Each dataset's versions from git history, and the files of every version (history.py)."""
    versions: dict[str, list[Version]] = {}
    files: dict[str, bytes] = {}
    for ds in datasets:
        found, problems = read_history(root, ds, available)
        report.extend(problems)
        versions[ds.name] = []
        for v in found:
            if v.commit is None:  # built with the dataset (process_dataset), from the cache when unchanged
                versions[ds.name].append(v)
                continue
            built, broken = version_files(root, ds, v, zips)
            report.extend(broken)
            if built:
                versions[ds.name].append(v)
                files.update(built)
    if not report.valid:
        raise InvalidData(report)
    return versions, files


def _check_urls(
    root: Path,
    files: dict,
    report: Report,
    digests: dict[str, str],
    withdrawn: tuple[str, ...],
    *,
    check_lock: bool,
    history: bool,
    limits: Limits,
) -> tuple[set[str], dict[str, str]]:
    """The URL contract (urls.py): no published path disappears without a redirect, no version's file changes."""
    published = public_paths(files)
    redirects, problems = read_redirects(root, published, limits=limits)
    if check_lock:
        problems += check_lock_file(read_lock(root), published, redirects, digests, withdrawn, history=history)
    report.extend(problems)
    if not report.valid:
        raise InvalidData(report)
    return published, redirects


def recover_site(site_dir: Path) -> str | None:
    """A complete site/ again after a build was stopped during its swap (swap.recover); what was
    restored, in one line."""
    return swap.recover(site_dir)


def _as_of(root: Path, summaries: list[Summary], history: bool) -> str:
    """The date quality is judged at: the commit being built (the newest dataset's date when
    there is no git history), never the clock, so a commit always builds the same site."""
    if history:
        date = subprocess.run(
            ["git", "log", "-1", "--format=%cs"], cwd=root, capture_output=True, text=True
        ).stdout.strip()
        if date:
            return date
    return max((s.modified for s in summaries), default="2019-05-16")


def _epoch(generated: Generated) -> str:
    # The same data give the same site: date the build by the newest dataset, not the clock.
    newest = max((e.modified for e in generated.entries), default="2019-05-16")
    return str(int(dt.datetime.strptime(newest, "%Y-%m-%d").replace(tzinfo=dt.UTC).timestamp()))
