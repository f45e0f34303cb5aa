"""Each page's HTML as the last successful build wrote it, so a rebuild renders only the pages that changed.

MkDocs renders every page on every build: Markdown, then the theme's Jinja templates, once per
interface. At a thousand datasets that is four thousand pages re-rendered for a one-value change.
A page's HTML is a function of its Markdown source and of what every page shares: mkdocs.yml,
gongkai.yml, the theme overrides, gongkai's code, the versions of MkDocs, Material, the i18n plugin
and the Markdown extensions, the build date (SOURCE_DATE_EPOCH) and the interface's language; and,
for the page itself, where it is published and which translations it has. A page whose Markdown
could link to another file (a Markdown link or reference) also depends on the list of every file of
the site, since MkDocs resolves and checks those links. The key is a hash of all of that, so any
change to any of it renders the page again.

The generator's hook (mkdocs_hook.py, through pagehits.py) asks the store before a page is read; on
a hit it skips the Markdown and the template, links the page's copy into the site (the page as the
last build wrote it, kept once by its SHA-256 with the site's other files, sitefiles.py) and restores
what other pages may ask of it (its title, its anchors, its links to other pages' anchors, which
MkDocs still checks). A page rendered is written as such a copy too, and linked. Entries written
during a build go to build/pages.new/ and only a build that passed `--strict` and the site check
commits them into build/pages/ (`commit`): a page that warned never becomes a hit that hides its
warning. A hit whose copy is gone or changed is rendered again. The cache is used only when
publish_site names it (ENV): `mkdocs build` or `serve` run by hand render and write everything, as
before. Its output still passes the whole site check.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import subprocess
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

from ..core.errors import BuildError
from . import sitefiles
from .cache import code_version
from .verdicts import VERDICTS

FOLDER = Path("build/pages")  # committed entries: <key[:2]>/<key>.page
ENV = "GONGKAI_PAGE_CACHE"  # set by publish_site for the generator's process: the repository's build/pages
MANIFEST = "used.txt"  # the keys one build used, written when the generator stops
MANIFESTS = "used*.txt"  # with those of the generator's child, if one built the other interfaces
COPIES = "copies"  # in place of "used": the copies one build linked, by hash (publish_site records their stamps)
FORMAT = "gongkai-pages-3"
SUFFIX = ".page"  # JSON: the copy's hash, the title, anchors and links
GENERATOR_PACKAGES = (
    "mkdocs",
    "properdocs",
    "mkdocs-material",
    "mkdocs-static-i18n",
    "Markdown",
    "pymdown-extensions",
    "Pygments",
    "Jinja2",
    "MarkupSafe",
)
# Markdown syntax that makes a link MkDocs resolves: [text](target), [text][ref], [ref]: target.
MAY_LINK = re.compile(r"\]\(|\]\[|^[ ]{0,3}\[[^\]\n]+\]:", re.MULTILINE)


@dataclass(frozen=True)
class Entry:
    """One page as a successful build left it."""

    digest: str  # the SHA-256 of the page as written: its copy (sitefiles.Copies)
    title: str | None
    anchors: list[str]  # the ids on the page, for other pages' links to them
    links: dict[str, dict[str, str]] | None  # src_uri of a page linked to -> anchor -> the link as written

    def to_text(self) -> str:
        facts = {"digest": self.digest, "title": self.title, "anchors": self.anchors, "links": self.links}
        return json.dumps(facts, ensure_ascii=False)


def _versions() -> str:
    found = []
    for name in GENERATOR_PACKAGES:
        try:
            found.append(f"{name}={metadata.version(name)}")
        except metadata.PackageNotFoundError:
            found.append(f"{name}=-")
    return ";".join(found)


def _tree(folder: Path) -> bytes:
    digest = hashlib.sha256()
    for path in sorted(folder.rglob("*")) if folder.is_dir() else []:
        if path.is_file():
            digest.update(path.relative_to(folder).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.digest()


def site_key(root: Path, config_file: Path, theme_dir: Path | None, hook: Path, shared: list[str]) -> str:
    """What every page of one build depends on; `shared` adds the generator's resolved values
    (site URL, language, the module that runs the build)."""
    digest = hashlib.sha256(FORMAT.encode() + b"\0" + code_version().encode() + b"\0" + _versions().encode())
    for path in (config_file, root / "gongkai.yml", hook):
        digest.update(path.read_bytes() if path.is_file() else b"-")
        digest.update(b"\0")
    digest.update(_tree(theme_dir) if theme_dir else b"-")
    digest.update(os.environ.get("SOURCE_DATE_EPOCH", "-").encode())
    digest.update("\0".join(shared).encode())
    return digest.hexdigest()


def files_key(files: list[tuple[str, str]]) -> str:
    """The site's files (source path, published path): what a page's Markdown links resolve against."""
    return hashlib.sha256("\n".join(f"{s}\t{d}" for s, d in sorted(files)).encode()).hexdigest()


def page_key(site: str, files: str, source: bytes, place: list[str]) -> str:
    """One page's key: the site's, its source, where it goes and its translations (`place`), and the
    site's file list when its Markdown may link to another file."""
    digest = hashlib.sha256(site.encode() + b"\0" + "\0".join(place).encode() + b"\0")
    text = source.decode("utf-8", errors="replace")
    digest.update((files if MAY_LINK.search(text) else "-").encode() + b"\0")
    digest.update(source)
    return digest.hexdigest()


class Store:
    """The cache as one generator process sees it: committed entries to read, new ones to stage,
    and the copies of the pages (next to the site's other files, sitefiles.FOLDER)."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.staging = staging(folder)
        self.used: set[str] = set()
        self.manifest = MANIFEST  # a child process that builds other interfaces writes its own (interfaces.py)
        self.copies = sitefiles.Copies(folder.with_name(sitefiles.FOLDER.name))

    def get(self, key: str) -> Entry | None:
        self.used.add(key)
        try:
            record = json.loads((self.folder / key[:2] / f"{key}{SUFFIX}").read_bytes())
            entry = Entry(record["digest"], record["title"], list(record["anchors"]), record["links"])
            return entry if isinstance(entry.digest, str) else None
        except (OSError, ValueError, KeyError, TypeError):  # absent or damaged: the page is rendered
            return None

    def put(self, key: str, entry: Entry) -> None:
        target = self.staging / key[:2] / f"{key}{SUFFIX}"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(entry.to_text().encode("utf-8"))

    def close(self) -> None:
        self.staging.mkdir(parents=True, exist_ok=True)
        (self.staging / self.manifest).write_text("".join(f"{k}\n" for k in sorted(self.used)), encoding="ascii")
        linked = "".join(f"{d}\n" for d in sorted(self.copies.linked))
        (self.staging / self.manifest.replace("used", COPIES)).write_text(linked, encoding="ascii")


def linked(folder: Path) -> set[str]:
    """The copies the generator's processes linked into the site this build (Store.close)."""
    found = staging(folder).glob(MANIFESTS.replace("used", COPIES))
    return {d for listed in found for d in listed.read_text(encoding="ascii").split()}


def staging(folder: Path) -> Path:
    return folder.with_name(folder.name + ".new")


def open_store() -> Store | None:
    """The store publish_site named for this process, or None (a build run by hand renders every page)."""
    named = os.environ.get(ENV)
    return Store(Path(named)) if named else None


def prepare(folder: Path) -> None:
    """Before the generator runs: no entries staged by a build that did not finish."""
    shutil.rmtree(staging(folder), ignore_errors=True)


def commit(folder: Path) -> None:
    """After a build that passed: its new entries join the cache, and entries it did not use leave it."""
    fresh = staging(folder)
    manifest = fresh / MANIFEST
    if not manifest.is_file():
        discard(folder)
        return
    used = {key for listed in fresh.glob(MANIFESTS) for key in listed.read_text(encoding="ascii").split()}
    for entry in fresh.glob(f"*/*{SUFFIX}"):
        target = folder / entry.parent.name / entry.name
        target.parent.mkdir(parents=True, exist_ok=True)
        os.replace(entry, target)
    for entry in folder.glob("*/*"):
        if entry.is_file() and (entry.suffix != SUFFIX or entry.stem not in used):  # unused, or an earlier format
            entry.unlink()
    discard(folder)


def discard(folder: Path) -> None:
    """After a failed build: what it staged is dropped, the committed entries stay."""
    shutil.rmtree(staging(folder), ignore_errors=True)


def check_untracked(root: Path) -> None:
    """Refuse a page cache, page verdicts or the site's copies of its files that git tracks: a pull
    request could bring the HTML of its own pages, a verdict that passes them, or a copy whose
    bytes are not those its name says (sitefiles.py)."""
    if shutil.which("git") is None or not (root / ".git").exists():
        return
    for kept in (FOLDER, VERDICTS, sitefiles.FOLDER):
        listed = subprocess.run(["git", "ls-files", "--", str(kept)], cwd=root, capture_output=True, text=True)
        if listed.stdout.strip():
            raise BuildError(
                f"{kept} is tracked by git; remove it from the repository (it must only ever be built locally)"
            )
