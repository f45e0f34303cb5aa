"""Checks on a freshly built site, before it replaces site/: the build fails closed.

Every download matches SHA256SUMS, every internal link resolves (offline), and no page
content carries a script, an event handler or a javascript: URL.
"""

from __future__ import annotations

import hashlib
import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

HANDLER = re.compile(r"^on[a-z]+$")


def verify_site(site: Path, mount: str = "/") -> list[str]:
    """Every reason the built site must not be published; empty when it may.

    `mount` is the path the site is served under (the path of site.url, e.g. /gongkai/):
    links are resolved as a browser would resolve them there.
    """
    return _checksums(site) + _pages(site, mount)


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


class _Page(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []
        self.unsafe: list[str] = []
        self.depth = 0  # inside <article>, where content lives

    def handle_starttag(self, tag, attrs):
        if tag == "article":
            self.depth += 1
        for key, value in attrs:
            if key in ("href", "src") and value:
                self.links.append(value)
                if value.strip().lower().startswith(("javascript:", "vbscript:", "data:text/html")):
                    self.unsafe.append(f"<{tag} {key}={value[:40]!r}>")
            if self.depth and HANDLER.match(key):
                self.unsafe.append(f"<{tag} {key}=…> (an event handler in page content)")
        if self.depth and tag in ("script", "iframe", "object", "embed"):
            self.unsafe.append(f"<{tag}> in page content")

    def handle_endtag(self, tag):
        if tag == "article" and self.depth:
            self.depth -= 1


def _pages(site: Path, mount: str) -> list[str]:
    found = []
    for page in sorted(site.rglob("*.html")):
        rel = page.relative_to(site).as_posix()
        parser = _Page()
        parser.feed(page.read_text(encoding="utf-8"))
        found += [f"{rel}: {what}" for what in parser.unsafe]
        base = mount + rel
        for link in parser.links:
            parts = urlsplit(link)
            if parts.scheme or link.startswith(("#", "//")):
                continue
            target = urlsplit(urljoin(base, link)).path
            if not target.startswith(mount):
                found.append(f"{rel}: link {link} leaves the site")
                continue
            path = site / unquote(target[len(mount) :])
            if not (path.is_file() or (path / "index.html").is_file()):
                found.append(f"{rel}: link {link} points at nothing")
    return found
