"""Checks on a freshly built site, before it replaces site/: the build fails closed.

Every download matches SHA256SUMS, every internal link resolves (offline), and no page
content carries a script, an event handler or a javascript: URL. Pages are searched with
regular expressions, not parsed, a batch of pages per core.
"""

from __future__ import annotations

import hashlib
import html
import re
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

from .parallel import in_background, run_each

SPACE = re.compile(r"[\x00-\x20]")


def verify_site(site: Path, mount: str = "/") -> list[str]:
    """Every reason the built site must not be published; empty when it may.

    `mount` is the path the site is served under (the path of site.url, e.g. /gongkai/):
    links are resolved as a browser would resolve them there.
    """
    sums = in_background(_checksums, site)  # reading and hashing release the GIL: beside the page checks
    pages = _pages(site, mount)
    return sums.result() + pages


def _checksums(site: Path) -> list[str]:
    sums = site / "SHA256SUMS"
    if not sums.is_file():
        return ["SHA256SUMS is missing"]
    found = []
    listed = set()
    for line in sums.read_text(encoding="utf-8").splitlines():
        digest, _, rel = line.partition("  ")
        listed.add(rel)
        path = site / rel
        if not path.is_file():
            found.append(f"SHA256SUMS lists {rel}, which is not in the site")
        elif hashlib.sha256(path.read_bytes()).hexdigest() != digest:
            found.append(f"{rel} does not match its SHA-256 in SHA256SUMS")
    downloads = {p.relative_to(site).as_posix() for p in (site / "datasets").rglob("*") if p.is_file() and p.suffix != ".html"}
    found += [f"{rel} is published but not listed in SHA256SUMS" for rel in sorted(downloads - listed)]
    return found


# In generated HTML a literal "<" only opens a tag (text has &lt;), so these find every
# script-bearing tag and every on…= handler in content; a false alarm fails closed.
ACTIVE_TAG = re.compile(r"<(script|iframe|object|embed)\b", re.IGNORECASE)
HANDLER_ATTR = re.compile(r"<[a-zA-Z][^>]*?\s(on[a-zA-Z]+)\s*=", re.IGNORECASE)


def _unsafe(content: str) -> list[str]:
    found = [f"<{m.group(1).lower()}> in page content" for m in ACTIVE_TAG.finditer(content)]
    return found + [f"{m.group(1).lower()}=… (an event handler in page content)" for m in HANDLER_ATTR.finditer(content)]


# MkDocs, Material, Python-Markdown and our renderer all write attributes in double quotes.
LINK = re.compile(r"""\s(?:href|src)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))""", re.IGNORECASE)


PAGES_PER_JOB = 200


def _pages(site: Path, mount: str) -> list[str]:
    pages = sorted(site.rglob("*.html"))
    jobs = [pages[i : i + PAGES_PER_JOB] for i in range(0, len(pages), PAGES_PER_JOB)]
    return [problem for found in run_each(_check_pages, jobs, site, mount) for problem in found]


def _check_pages(pages: list[Path], site: Path, mount: str) -> list[str]:
    found = []
    exists: dict[Path, bool] = {}
    verdicts: dict[tuple[str, str], str | None] = {}  # (page folder, link) -> problem; pages share most links
    for page in pages:
        rel = page.relative_to(site).as_posix()
        text = page.read_text(encoding="utf-8")
        start, end = text.find("<article"), text.rfind("</article>")
        if start != -1 and end > start:  # only content is searched; the theme's chrome is trusted
            found += [f"{rel}: {what}" for what in _unsafe(text[start:end])]
        base = mount + rel
        folder = base.rpartition("/")[0]
        for match in LINK.finditer(text):
            link = html.unescape(next(g for g in match.groups() if g is not None))
            key = (folder, link)
            if key not in verdicts:
                verdicts[key] = _link_problem(site, mount, base, link, exists)
            if verdicts[key]:
                found.append(f"{rel}: {verdicts[key]}")
    return found


def _link_problem(site: Path, mount: str, base: str, link: str, exists: dict[Path, bool]) -> str | None:
    if SPACE.sub("", link).lower().startswith(("javascript:", "vbscript:", "data:text/html")):  # browsers drop tabs and breaks
        return f"<… {link[:40]!r}> (a script URL)"
    parts = urlsplit(link)
    if not link or parts.scheme or link.startswith(("#", "//")):
        return None
    target = urlsplit(urljoin(base, link)).path
    if not target.startswith(mount):
        return f"link {link} leaves the site"
    path = site / unquote(target[len(mount) :])
    if path not in exists:
        exists[path] = path.is_file() or (path / "index.html").is_file()
    return None if exists[path] else f"link {link} points at nothing"
