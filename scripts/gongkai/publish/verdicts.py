"""The site check's verdicts on pages, kept by each page's bytes, so a rebuild parses only the pages that changed.

Parsing a page as a browser does and reading its text for stray markup (verify.py) costs a few
milliseconds a page: half a minute of CPU at four thousand pages, for a site where one dataset
changed. What that check finds in a page depends only on the page's bytes, where it is published
(its links resolve against that) and gongkai's code: a verdict is kept under a hash of those three,
with the links that must lead somewhere. Whether they do is asked again on every build, since
another page may have gone; so is every download's SHA-256 (verify.py hashes each one, whatever
is kept here: a file changed in place keeps its size and can keep its mtime). A page changed by one
byte has another key and is checked from scratch.

The verdicts of one site's pages are written after its check, whatever it found (a verdict is a
fact about the bytes, not a permission); a verdict file that git tracks is refused
(pagecache.check_untracked), since a pull request could bring one for its own pages.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable, Set
from importlib import metadata
from pathlib import Path

from ..core.output import file_digest
from ..core.parallel import run_each
from .cache import code_version

VERDICTS = Path("build/site-verdicts.json")
PAGES_PER_JOB = 200
# A verdict: the page's own problems (what it holds), and each link that must lead somewhere
# inside the site, as [link as written, path under the site or None when it leaves the site].
Verdict = dict[str, list]
Judge = Callable[[list[str], Path, str], list[Verdict]]  # site-relative pages, the site, its mount -> verdicts


def _checker() -> str:
    parser = metadata.version("selectolax")
    try:
        theme = metadata.version("mkdocs-material")  # the theme's inline scripts are allowed by pattern
    except metadata.PackageNotFoundError:
        theme = "-"
    return hashlib.sha256(f"{code_version()}\0{parser}\0{theme}".encode()).hexdigest()


def check_pages(
    site: Path,
    pages: list[str],
    mount: str,
    judge: Judge,
    store: Path | None,
    listed: Set[str] = frozenset(),
    copies: Callable[[str], str | None] | None = None,
) -> list[str]:
    """Every problem of every page of the site (pages: site-relative, in order): verdicts from
    `store` for pages it knows, `judge` (in worker processes) for the others; then every link the
    pages hold, resolved on disk (listed: the site's files as just found there, asked first).
    copies(path): the page's SHA-256 when it is a copy known unchanged (else it is read)."""
    known = _read(store)
    digest_of = copies or (lambda path: None)
    keys = {rel: _key(str(site / rel), rel, mount, digest_of) for rel in pages}
    todo = [rel for rel in pages if keys[rel] not in known]
    jobs = [todo[i : i + PAGES_PER_JOB] for i in range(0, len(todo), PAGES_PER_JOB)]
    fresh = [v for found in run_each(judge, jobs, site, mount) for v in found]
    kept = len(known)
    known.update({keys[rel]: v for rel, v in zip(todo, fresh, strict=True)})
    mine = {keys[rel]: known[keys[rel]] for rel in pages}
    if store is not None and (todo or len(mine) != kept):  # unchanged pages, the same file: not written again
        _write(store, mine)
    exists: dict[str, bool] = {}
    found = []
    for rel in pages:
        verdict = known[keys[rel]]
        found += [f"{rel}: {what}" for what in verdict["problems"]]
        for link, target in verdict["links"]:
            if target is None:
                found.append(f"{rel}: link {link} leaves the site")
                continue
            if target not in exists:
                exists[target] = _listed(target, listed) or _on_disk(site / target)
            if not exists[target]:
                found.append(f"{rel}: link {link} points at nothing")
    return found


def _listed(target: str, listed: Set[str]) -> bool:
    bare = target.rstrip("/")
    return bare in listed or (f"{bare}/index.html" if bare else "index.html") in listed


def _on_disk(path: Path) -> bool:
    return path.is_file() or (path / "index.html").is_file()


def _key(page: str, rel: str, mount: str, digest_of: Callable[[str], str | None]) -> str:
    held = digest_of(page) or file_digest(Path(page))[1]
    return hashlib.sha256(f"{rel}\0{mount}\0{held}".encode()).hexdigest()


def _read(store: Path | None) -> dict[str, Verdict]:
    if store is None:
        return {}
    try:
        data = json.loads(store.read_text(encoding="utf-8"))
        if data.get("checker") == _checker() and isinstance(data.get("pages"), dict):
            return data["pages"]
    except (OSError, ValueError, AttributeError):  # absent or damaged: every page is checked
        pass
    return {}


def _write(store: Path, verdicts: dict[str, Verdict]) -> None:
    store.parent.mkdir(parents=True, exist_ok=True)
    partial = store.with_name(store.name + ".partial")
    partial.write_text(json.dumps({"checker": _checker(), "pages": verdicts}, ensure_ascii=False), encoding="utf-8")
    os.replace(partial, store)
