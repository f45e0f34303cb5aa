"""Where the downloads are served (`downloads` in gongkai.yml): the site itself, or a content-addressed store.

Unset, every download is a file of the site, linked relatively, as always. Set, every download and every
version's file (sitepaths.is_stored tells which) is published once to object storage under its SHA-256
(sitepaths.blob_key: blobs/sha256/<2 hex>/<sha256>/<name>), uploaded by `gongkai publish` with rclone to
`remote`, and linked at `url` + key: pages, catalogs, feeds and SHA256SUMS all ask stored_url() here, the
one place a download's address is made. A key never changes its bytes, so a CDN may cache it for good.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from . import sitepaths

# https; plain http only for this machine (a test's own rclone server)
_URL = re.compile(r"^(https://[A-Za-z0-9.-]+|http://(127\.0\.0\.1|localhost))(:\d+)?(/[A-Za-z0-9._~%/-]*)?/$")
_REMOTE = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_. -]*:[^\s]*$")  # rclone's name:path
SETTINGS = ("url", "remote")


@dataclass(frozen=True)
class Downloads:
    url: str  # the store's public base URL, ending in /: a key is appended
    remote: str  # the rclone remote and path the files are uploaded to ("gongkai-blobs:bucket/prefix")

    def url_of(self, key: str) -> str:
        return self.url + key

    def target(self, key: str = "") -> str:
        """The rclone path of a key (of the store's top with none)."""
        return self.remote.rstrip("/") + ("/" if not self.remote.endswith(":") and key else "") + key


def is_stored(path: str) -> bool:
    """Whether a file-map path goes to the store when one is set: every download and version file but the
    charts (drawn into the pages) and the descriptors (their relative paths resolve against the site)."""
    return sitepaths.kind_of(path) in ("download", "version", "version-parquet") and not path.endswith(
        (".svg", "/" + sitepaths.DATAPACKAGE)
    )


def stored_url(downloads: Downloads | None, path: str, sha256: str) -> str | None:
    """The store's URL of a site path with these bytes; None where the file stays on the site."""
    if downloads is None or not is_stored(path):
        return None
    return downloads.url_of(sitepaths.blob_key(sha256, path.rsplit("/", 1)[-1]))


def downloads_from(section: object, errors: list[str]) -> Downloads | None:
    """The `downloads` section read (None: not set, the site carries its downloads)."""
    if section is None:
        return None
    if not isinstance(section, dict):
        errors.append(f"downloads: expected a mapping with {' and '.join(SETTINGS)}, got {section!r}")
        return None
    errors += [
        f"downloads.{key}: not a setting (one of {', '.join(SETTINGS)})" for key in section if key not in SETTINGS
    ]
    url, remote = section.get("url"), section.get("remote")
    if not isinstance(url, str) or not _URL.match(url):
        errors.append(f"downloads.url: an https URL ending in /, such as https://data.example.org/, got {url!r}")
    if not isinstance(remote, str) or not _REMOTE.match(remote):
        errors.append(
            f"downloads.remote: an rclone remote and path, such as gongkai-blobs:bucket/prefix, got {remote!r}"
        )
    if not isinstance(url, str) or not isinstance(remote, str):
        return None
    return Downloads(url, remote)
