"""/datasets/<name>/versions.json: every published version of a dataset, for programs.

The same versions the dataset page lists (render/versions.py, from git history), newest first,
each with its date, its folder's URL, the CHANGELOG.md entry, the change summary the page shows
(and as data: gate/diff.py change_record) and every file of its folder with size and SHA-256
(the digests SHA256SUMS states). Files are taken from whatever each version folder holds, so
a new kind of file appears without a change here. Described by versions.schema.json; like
catalog.json it holds no build time: the same commit gives the same bytes.

machine_versions() is the one reading of a dataset's versions: catalog.json's compact list,
the feeds (feed.py) and any catalog that names versions use it.
"""

from __future__ import annotations

import json
import uuid
from pathlib import Path

from ..core import sitepaths
from ..core.config import Settings
from ..render.catalog import Summary

SCHEMA = Path(__file__).resolve().parents[1] / "schemas" / sitepaths.VERSIONS_SCHEMA  # published under its own name


def version_listing(files: dict[str, bytes | Path], digests: dict[str, str]) -> dict[str, list[dict]]:
    """Version folder (datasets/<name>/<version>/) -> its files (path, bytes, SHA-256), from the
    build's file map and the digests of every version's file ("/"-rooted, as SHA256SUMS gets them)."""
    folders: dict[str, list[dict]] = {}
    for rooted, sha in sorted(digests.items()):
        rel = rooted.lstrip("/")
        data = files.get(rel)
        if data is None or not sitepaths.in_version_folder(rel):
            continue
        size = len(data) if isinstance(data, bytes) else data.stat().st_size
        folders.setdefault(rel.rsplit("/", 1)[0] + "/", []).append({"path": rel, "bytes": size, "sha256": sha})
    return folders


def machine_versions(
    summary: Summary,
    rows: list[dict],
    records: dict[str, dict],
    listing: dict[str, list[dict]],
    settings: Settings,
) -> list[dict]:
    """A dataset's versions as data, newest first. rows: the page's version list
    (versions_model); records: version -> change_record; listing: version_listing()."""
    out = []
    for row in rows:
        version = row["version"]
        folder = sitepaths.version_folder(summary.name, version)
        shown = row["change"]  # "" where the page shows none: older versions lie outside this copy's history
        record = records.get(version) if shown else None
        out.append(
            {
                "version": version,
                "date": row["date"],
                "current": row["current"],
                "url": settings.url_for(folder),
                "datapackage": settings.url_for(folder + sitepaths.DATAPACKAGE),
                "note": row["note"],
                "summary": shown or None,
                "summary_en": row["change_en"] or None,  # the English page's words
                "changes": record,
                "files": [dict(f, url=settings.download_url(f["path"], f["sha256"])) for f in listing.get(folder, [])],
            }
        )
    return out


def versions_json(summary: Summary, versions: list[dict], settings: Settings) -> bytes:
    data = {
        "$schema": settings.url_for(sitepaths.VERSIONS_SCHEMA),
        "id": summary.meta["id"],
        "name": summary.name,
        "title": summary.title,
        "page": settings.url_for(sitepaths.dataset_page(summary.name)),
        "current": summary.meta["version"],
        "feeds": feed_urls(sitepaths.dataset_page(summary.name), settings),
        "count": len(versions),
        "versions": versions,
    }
    return (json.dumps(data, ensure_ascii=False, indent=1) + "\n").encode("utf-8")


def feed_urls(page: str, settings: Settings) -> dict[str, str]:
    """The Atom feeds of a page's versions, by interface language."""
    return {lang: settings.url_for(sitepaths.feed_of(page, lang)) for lang in ("zh", "en")}


def entry_id(dataset_id: str, version: str) -> str:
    """A version's permanent id in every feed: derived from the dataset's id (which survives
    renames) and the version number, never from a URL or the build."""
    return f"urn:uuid:{uuid.uuid5(uuid.UUID(dataset_id), 'version/' + version)}"


def feed_id(dataset_id: str, lang: str) -> str:
    """A dataset's feed's permanent id in one interface language (survives renames, like entry_id)."""
    return f"urn:uuid:{uuid.uuid5(uuid.UUID(dataset_id), 'feed/' + lang)}"


def schema_bytes() -> bytes:
    return SCHEMA.read_bytes()


def version_metadata(
    versions: dict[str, list], files: dict[str, bytes | Path]
) -> dict[str, list[tuple[str, str, dict]]]:
    """Each dataset's versions, newest first, as (version, date, that version's published descriptor)
    for DCAT (a version's metadata are its own, read from its datapackage.json)."""
    found: dict[str, list[tuple[str, str, dict]]] = {}
    for name, listed in versions.items():
        found[name] = []
        for v in listed:
            data = files.get(sitepaths.version_file(name, v.version, sitepaths.DATAPACKAGE))
            raw = data.read_bytes() if isinstance(data, Path) else data
            meta = json.loads(raw) if raw else {}
            found[name].append((v.version, v.date, meta if isinstance(meta, dict) else {}))
    return found
