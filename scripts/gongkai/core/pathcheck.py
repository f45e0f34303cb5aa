"""Paths named in repository files, checked: `redirects.yml` and `withdrawn.yml` name paths under the
site root ("/datasets/x/"). The build writes files at those paths, lists them in the host's `_redirects`
and links to them. A path is accepted only when it stays inside the site, reads the same to the file
system, a host's `_redirects` parser and a browser, and names no route the site itself owns (the home
page, the theme's assets and search, the English interface, the catalogs, host settings). The layout of
what the build publishes is sitepaths.py.
"""

from __future__ import annotations

import re
import unicodedata

from .errors import BuildError
from .problems import Problem
from .sitepaths import ASSETS, ENGLISH, NOT_FOUND, SEARCH, SITE_FILES, SITEMAP, SITEMAP_GZ

MAX_BYTES = 512  # a path, as UTF-8; dataset paths are well under 200
MAX_SEGMENT_BYTES = 200  # one folder or file name (file systems stop at 255, and ".tmp" is added while writing)
PUNCTUATION = "-._~+,@()"  # beside letters, digits and "/": nothing a host, a shell or a URL parser reads as syntax

# Routes the site owns: a repository file may not name them (compared case-folded, for
# case-insensitive file systems). Folders cover themselves and everything under them.
RESERVED_FILES = frozenset(
    ("/" + p).casefold()
    for p in ("", "index.html", NOT_FOUND, SITEMAP, SITEMAP_GZ, *SITE_FILES, "robots.txt", "CNAME", "favicon.ico")
)
RESERVED_FOLDERS = tuple("/" + f.rstrip("/") for f in (ASSETS, SEARCH, ENGLISH, "stylesheets", "javascripts"))
# theme files, search index, English pages (derived)
RESERVED_STARTS = ("/_", "/.")  # host settings (_headers, _redirects), .nojekyll and other hidden files

_PLAIN = re.compile(r"[A-Za-z0-9/" + re.escape(PUNCTUATION) + r"]*")


def resolve(
    raw: object,
    *,
    code: str,
    file: str,
    line: int | None = None,
    field: str | None = None,
    what: str = "path",
    owned: bool = True,
) -> tuple[str | None, Problem | None]:
    """The site path `raw` names, or the problem that refuses it (code and position given by
    the caller: the file's own problem code). owned: the build writes at this path, so it may
    not be a reserved route; False for a path that is only pointed at (a redirect's target,
    which must already be published)."""
    why = refusal(raw)
    if why is None and isinstance(raw, str):  # refusal() passes strings only
        why = reserved(raw) if owned else None
        if why is None:
            return raw, None
    facts = {"rule": "path", "what": what, "value": _shown(raw), "why": why}  # worded in core/problemtext_zh.py
    return None, Problem(code, f"{what} {_shown(raw)}: {why}", file, line=line, field=field, params=facts)


def refusal(raw: object) -> str | None:
    """Why `raw` is not a well-formed site path (None when it is): it must stay inside the
    site and mean one thing to every program that reads it."""
    if not isinstance(raw, str):
        return "must be a string starting with /"
    if not raw.startswith("/"):
        return "must start with / (a path under the site root)"
    size = len(raw.encode("utf-8", "surrogatepass"))
    if size > MAX_BYTES:
        return f"is {size} bytes long; the limit is {MAX_BYTES}"
    if not _PLAIN.fullmatch(raw):
        bad = next((c for c in raw if not (c == "/" or c in PUNCTUATION or unicodedata.category(c)[0] in "LNM")), None)
        if bad is not None:
            return _character(bad)
        if not unicodedata.is_normalized("NFC", raw):
            return "is not in Unicode NFC form (the same name could be written two ways)"
    segments = raw[1:].split("/")
    for i, segment in enumerate(segments):
        if segment == "" and i < len(segments) - 1:
            return "has an empty segment (//)"
        if segment in (".", ".."):
            return f"has a {segment} segment; a path may not leave or restate its folder"
        if segment.startswith(".") or segment.endswith("."):
            return f"has the name {segment!r}, which starts or ends with . (hidden, or changed by some file systems)"
        if len(segment.encode("utf-8")) > MAX_SEGMENT_BYTES:
            return f"has a name longer than {MAX_SEGMENT_BYTES} bytes"
    return None


def reserved(path: str) -> str | None:
    """Why a well-formed path is the site's own route (None when it is free to name)."""
    folded = path.casefold()
    if folded in RESERVED_FILES:
        return "is a route the site itself publishes; a repository file may not name it"
    folder = next((f for f in RESERVED_FOLDERS if folded == f or folded.startswith(f + "/")), None)
    if folder is not None:
        return f"is under {folder}/, which the site itself fills; a repository file may not name it"
    if folded.startswith(RESERVED_STARTS):
        return "starts with _ or . (host settings and hidden files); a repository file may not name it"
    return None


def require(path: str) -> str:
    """The last line of defence where a path becomes a file or a host rule: a value that did
    not pass refusal() here is a bug upstream, never data to write."""
    why = refusal(path)
    if why is not None:
        raise BuildError(f"refusing to write the site path {_shown(path)}: it {why}")
    return path


def _character(c: str) -> str:
    name = unicodedata.name(c, "")
    label = f"U+{ord(c):04X}" + (f" {name}" if name else "")
    if c in "\\":
        return "has a backslash (\\), which some hosts read as /"
    if c == "%":
        return "has a % (escapes are not decoded: write the character itself)"
    if c in "?#":
        return f"has {c!r}: a query or fragment is not part of a path"
    kind = unicodedata.category(c)
    if kind[0] == "Z" or c.isspace():
        return f"has white space ({label}), which would split a host's _redirects line"
    if kind[0] == "C":
        return f"has the control or format character {label}"
    return f"has {c!r} ({label}); a site path holds letters, digits, / and {' '.join(PUNCTUATION)} only"


def _shown(value: object) -> str:
    # repr makes a newline or a tab visible; a huge value is cut so the report stays readable.
    text = repr(value)
    return text if len(text) <= 120 else text[:100] + f"…' ({len(text)} characters)"
