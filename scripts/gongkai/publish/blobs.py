"""The download store's share of a build (`downloads` in gongkai.yml, core/blobstore.py).

With a store set, every download and version file leaves the site's file map for build/blobs/, laid out
as the store's keys (blobs/sha256/<2 hex>/<sha256>/<name>), which `gongkai publish` uploads (upload.py).
Its old site path stays public: the host's _redirects sends it to the store (urls.host_files), and
urls.lock keeps both the path and the store's URL. SHA256SUMS names the moved files by their URL.
Without a store nothing moves and every function here returns what the site had before.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..core import sitepaths
from ..core.blobstore import Downloads, stored_url
from ..core.output import file_digest, sha256
from ..render.catalog import Summary

BUILD_BLOBS = Path("build/store")  # the store's files of the last build, as keys: what `gongkai publish` uploads


@dataclass
class Store:
    blobs: dict[str, bytes | Path] = field(default_factory=dict)  # key -> the file
    moved: dict[str, str] = field(default_factory=dict)  # "/"-rooted site path -> its URL in the store


def plan_store(downloads: Downloads | None, files: dict[str, bytes | Path], known: dict[str, str]) -> Store:
    """Which files of the map go to the store, under which keys; known: file-map path -> SHA-256 as the
    build already hashed it (a file it did not, such as a redirect's copy, is hashed here)."""
    store = Store()
    if downloads is None:
        return store
    for rel, data in files.items():
        url = stored_url(downloads, rel, known.get(rel) or _digest(data))
        if url is not None:
            store.blobs[url[len(downloads.url) :]] = data
            store.moved["/" + rel] = url
    return store


def _digest(data: bytes | Path) -> str:
    return sha256(data) if isinstance(data, bytes) else file_digest(data)[1]


def take_stored(files: dict[str, bytes | Path], store: Store) -> dict[str, bytes | Path]:
    """The site's file map without the files the store serves."""
    return {rel: data for rel, data in files.items() if "/" + rel not in store.moved}


def page_links(downloads: Downloads | None, known: dict[str, str]) -> dict[str, dict[str, str]]:
    """Each dataset page's links into the store, by dataset: each stored file's name as the page writes it
    (relative to the dataset's folder: streets.csv, 1.0.0/streets.csv) -> its URL. Empty without a store."""
    links: dict[str, dict[str, str]] = {}
    if downloads is None:
        return links
    for rel, sha in known.items():
        url = stored_url(downloads, rel, sha)
        if url is not None:  # a stored file is in a dataset's folder: datasets/<name>/...
            name, file = rel[len(sitepaths.DATASETS) :].split("/", 1)
            links.setdefault(name, {})[file] = url
    return links


def checksums(
    summaries: list[Summary],
    redirects: dict[str, str],
    versioned: dict[str, str],
    indexes: dict[str, bytes],
    moved: dict[str, str],
) -> bytes:
    """SHA256SUMS: `sha256sum -c SHA256SUMS` run at the site root checks every published download: the
    latest files, every version's files, the version indexes and feeds, and old paths kept as copies.
    A file the store serves is named by its URL (fetch it, then check it by its name)."""
    digests = {d.path: d.sha256 for e in summaries for d in e.downloads}
    digests.update({path: sha256(data) for path, data in indexes.items() if path.startswith(sitepaths.DATASETS)})
    digests.update({path[1:]: sha for path, sha in versioned.items()})
    digests.update({old[1:]: digests[new[1:]] for old, new in redirects.items() if new[1:] in digests})
    named = {moved.get("/" + path, path): sha for path, sha in digests.items()}
    lines = sorted(f"{sha}  {path}" for path, sha in named.items())
    return ("\n".join(lines) + "\n").encode("utf-8")
