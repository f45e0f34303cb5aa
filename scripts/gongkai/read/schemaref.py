"""The one kind of schema reference a resource may make: to a Table Schema this site publishes.

The national tables of the annual reports (schemas/ in the repository, published under /schemas/)
are shared by every dataset that holds a body's report. A resource names one as
`"schema": "<site_url>schemas/annual-report/2021/table-3.json"` or as the site-absolute path
`"/schemas/annual-report/2021/table-3.json"`; load.py inlines the repository file in its place
before any check, export or page reads the descriptor, so every stage sees the same schema.
Nothing is fetched: a reference is only ever a name for a file of this repository, read without
following links (core/repofiles.py), and any other reference stays a string for the path check
(validate/paths.py) to refuse with the reason given here.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from ..core import pathcheck, repofiles
from ..core.config import SETTINGS_FILE, load_settings
from ..core.errors import GongkaiError

FOLDER = "schemas"  # in the repository and on the site: schemas/<subject>/.../<table>.json
ALLOWED = "a schema this site publishes, written /schemas/<…>.json or as the site's URL followed by schemas/<…>.json"


@dataclass(frozen=True)
class Reference:
    """A resource's schema reference, as written and as the repository file it names."""

    written: str
    file: str  # schemas/….json, relative to the repository root


def repo_file(reference: str, url: str) -> tuple[str | None, str | None]:
    """The repository file (schemas/….json) a reference names, or None and why it is refused;
    url is the site's (gongkai.yml's site.url), which a reference may begin with."""
    base = url.rstrip("/")
    path = reference
    if base and reference.startswith(base + "/"):
        path = reference[len(base) :]
    elif "://" in reference or reference.startswith("//"):
        site = url or "gongkai.yml gives none"
        return None, f"{reference!r} is not under this site's URL ({site}); nothing is fetched"
    why = pathcheck.refusal(path)
    if why is not None:
        return None, f"{reference!r} {why}"
    if not path.startswith("/" + FOLDER + "/") or not path.endswith(".json"):
        return None, f"{reference!r} is not under /{FOLDER}/ or not a .json file"
    return path[1:], None


def site_url(root: Path) -> str:
    """The site's URL from gongkai.yml, read only when a reference is written as a URL ("" without one)."""
    try:
        stamp = os.stat(root / SETTINGS_FILE).st_mtime_ns
    except OSError:
        return ""
    return _site_url(root, stamp)


@lru_cache(maxsize=8)
def _site_url(root: Path, stamp: int) -> str:
    try:
        return load_settings(root).site_url
    except GongkaiError:
        return ""  # the settings' own problems are reported by every command that loads them


def read_schema(root: Path, rel: str) -> tuple[dict | None, str | None]:
    """The schema in a repository file, or None and why it cannot be used."""
    try:
        text = repofiles.read_text(root, rel)
    except FileNotFoundError:
        return None, f"{rel} does not exist in this repository's {FOLDER}/"
    except (repofiles.RepoFileRefused, NotADirectoryError, UnicodeDecodeError) as exc:
        return None, f"{rel} cannot be read: {exc}"
    try:
        schema = json.loads(text)
    except json.JSONDecodeError as exc:
        return None, f"{rel} is not valid JSON: {exc.msg} (line {exc.lineno})"
    if not isinstance(schema, dict):
        return None, f"{rel} does not hold a JSON object"
    return schema, None


def resolve(root: Path, reference: str) -> tuple[dict | None, Reference | None, str | None]:
    """The schema a reference names, the reference, or why it is refused."""
    rel, why = repo_file(reference, site_url(root) if "://" in reference else "")
    if rel is None:
        return None, None, why
    schema, why = read_schema(root, rel)
    if schema is None:
        return None, None, f"{reference!r}: {why}"
    return schema, Reference(reference, rel), None


def inline(descriptor: dict, root: Path) -> tuple[dict[int, Reference], dict[int, str]]:
    """Each resource's schema reference replaced by the schema it names, in place: by resource index,
    what was inlined and why any other reference was refused (it stays a string for the path check)."""
    inlined: dict[int, Reference] = {}
    refused: dict[int, str] = {}
    resources = descriptor.get("resources")
    for i, res in enumerate(resources if isinstance(resources, list) else []):
        written = res.get("schema") if isinstance(res, dict) else None
        if not isinstance(written, str):
            continue
        schema, reference, why = resolve(root, written)
        if schema is None or reference is None:
            refused[i] = why or "refused"
            continue
        res["schema"] = schema
        inlined[i] = reference
    return inlined, refused


def published(root: Path) -> dict[str, bytes]:
    """Every schema file of the repository, by its path (schemas/….json), as the site publishes it:
    byte for byte. A link anywhere under schemas/ stops the build (repofiles)."""
    top = root / FOLDER
    if not top.is_dir() or top.is_symlink():
        return {}
    files = sorted(p.relative_to(root).as_posix() for p in top.glob("*/**/*.json"))  # one folder per subject
    return {rel: repofiles.read_bytes(root, rel) for rel in files}
