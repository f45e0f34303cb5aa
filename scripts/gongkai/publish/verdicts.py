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
    table, known = _read(store)
    digest_of = copies or (lambda path: None)
    keys = {rel: _key(str(site / rel), rel, mount, digest_of) for rel in pages}
    todo = [rel for rel in pages if keys[rel] not in known]
    jobs = [todo[i : i + PAGES_PER_JOB] for i in range(0, len(todo), PAGES_PER_JOB)]
    fresh = [v for found in run_each(judge, jobs, site, mount) for v in found]
    kept = len(known)
    if fresh:
        numbers = {(link, target): i for i, (link, target) in enumerate(table)}
        for rel, verdict in zip(todo, fresh, strict=True):
            links = []
            for link, target in verdict["links"]:
                number = numbers.get((link, target))
                if number is None:
                    number = numbers[(link, target)] = len(table)
                    table.append([link, target])
                links.append(number)
            known[keys[rel]] = (verdict["problems"], links)
    mine = {keys[rel]: known[keys[rel]] for rel in pages}
    if store is not None and (todo or len(mine) != kept):  # unchanged pages, the same file: not written again
        _write(store, table, mine)
    exists: dict[str, bool] = {}
    broken: dict[int, str] = {}  # link number -> what is wrong with it
    for number in sorted({n for _, links in mine.values() for n in links}):
        link, target = table[number]
        if target is None:
            broken[number] = f"link {link} leaves the site"
            continue
        if target not in exists:
            exists[target] = _listed(target, listed) or _on_disk(site / target)
        if not exists[target]:
            broken[number] = f"link {link} points at nothing"
    found = []
    for rel in pages:
        problems, links = mine[keys[rel]]
        found += [f"{rel}: {what}" for what in problems]
        if broken and not broken.keys().isdisjoint(links):
            found += [f"{rel}: {broken[n]}" for n in links if n in broken]
    return found


def _listed(target: str, listed: Set[str]) -> bool:
    bare = target.rstrip("/")
    return bare in listed or (f"{bare}/index.html" if bare else "index.html") in listed


def _on_disk(path: Path) -> bool:
    return path.is_file() or (path / "index.html").is_file()


def _key(page: str, rel: str, mount: str, digest_of: Callable[[str], str | None]) -> str:
    held = digest_of(page) or file_digest(Path(page))[1]
    return hashlib.sha256(f"{rel}\0{mount}\0{held}".encode()).hexdigest()


# Stored: every distinct link once ([link as written, target]), each page's verdict as its
# problems and the numbers of its links (a page's navigation repeats on every page).
Stored = tuple[list[str], list[int]]


def _read(store: Path | None) -> tuple[list[list], dict[str, Stored]]:
    if store is None:
        return [], {}
    try:
        data = json.loads(store.read_text(encoding="utf-8"))
        table, pages = data.get("links"), data.get("pages")
        if data.get("checker") == _checker() and isinstance(table, list) and isinstance(pages, dict):
            if not all(
                isinstance(pair, list)
                and len(pair) == 2
                and isinstance(pair[0], str)
                and (pair[1] is None or isinstance(pair[1], str))
                for pair in table
            ):
                return [], {}
            size = len(table)
            usable = {
                key: (problems, links)
                for key, (problems, links) in pages.items()
                if isinstance(problems, list) and all(type(n) is int and 0 <= n < size for n in links)
            }
            return table, usable
    except (OSError, ValueError, AttributeError, TypeError):  # absent or damaged: every page is checked
        pass
    return [], {}


def _write(store: Path, table: list[list], verdicts: dict[str, Stored]) -> None:
    used = sorted({n for _, links in verdicts.values() for n in links})  # links no page holds any more go
    renumber = {n: i for i, n in enumerate(used)}
    pages = {key: [problems, [renumber[n] for n in links]] for key, (problems, links) in verdicts.items()}
    store.parent.mkdir(parents=True, exist_ok=True)
    partial = store.with_name(store.name + ".partial")
    data = {"checker": _checker(), "links": [table[n] for n in used], "pages": pages}
    partial.write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
    os.replace(partial, store)
