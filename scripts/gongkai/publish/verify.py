"""Checks on a freshly built site, before it replaces site/: the build fails closed.

Every download matches SHA256SUMS, every internal link resolves (offline), and no page can
act against its reader: each HTML page is parsed as a browser parses it (Lexbor, an HTML5
parser, through selectolax) and refused when it carries a script that is not the theme's
own, an event handler, a script URL, a `<base>`, a `<meta http-equiv>` other than a redirect
inside the site, a `<style>` or style attribute in content, a frame or plugin, SVG
animation, or a reference to anything outside the site that the browser would fetch by
itself (an image, a stylesheet, CSS `url()`, SVG paint), or whose text shows Markdown or
template syntax that did not render (pagetext.py). Hand-written pages are checked as
generated ones are. SVG and CSS files are checked for the same external references. A
false alarm fails closed: the site is not published and the message names the page.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable
from functools import cache
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

from selectolax.lexbor import LexborHTMLParser

from ..core import sitepaths
from ..core.output import file_digest
from ..core.parallel import in_background
from .pagetext import stray_markup
from .verdicts import Verdict, check_pages

SPACE = re.compile(r"[\x00-\x20]")
SCRIPT_SCHEMES = ("javascript:", "vbscript:", "data:", "livescript:", "mocha:")
# Elements that run code, load other documents or plugins, or rewrite where links go; and
# <noscript>, parsed as text by a browser that runs scripts and as markup by our parser (which
# does not), so what hides inside could differ between the check and the reader. Also the
# other elements whose content a browser reads as raw text in ways parsers have disagreed on.
FORBIDDEN = {
    **dict.fromkeys(("base",), "it changes where every link of the page goes"),
    **dict.fromkeys(
        ("iframe", "frame", "frameset", "object", "embed", "applet", "portal", "fencedframe"),
        "it loads another document or a plugin",
    ),
    **dict.fromkeys(
        ("noscript", "noembed", "noframes", "xmp", "plaintext"),
        "a browser may read its content differently from this check",
    ),
    # A template's content is a separate document the parser does not walk, and with
    # shadowrootmode a browser renders it at once: whatever it holds would run unchecked.
    **dict.fromkeys(("template",), "its content is not checked, and a browser may render it as a shadow root"),
}
SVG_ANIMATION = {"animate", "set", "animatemotion", "animatetransform", "animatecolor", "discard"}  # can rewrite href
URL_ATTRS = {"href", "src", "action", "formaction", "xlink:href", "data", "poster", "background", "ping", "cite",
             "lowsrc", "dynsrc", "longdesc", "manifest", "codebase", "icon", "to", "from", "values", "by", "srcset",
             "imagesrcset"}  # fmt: skip
FETCHED = {
    "src",
    "poster",
    "background",
    "data",
    "lowsrc",
    "dynsrc",
    "srcset",
    "imagesrcset",
}  # the browser loads these by itself
FETCHING_LINKS = {
    "stylesheet",
    "icon",
    "preload",
    "prefetch",
    "modulepreload",
    "manifest",
    "dns-prefetch",
    "preconnect",
    "apple-touch-icon",
    "import",
}
PAINT = {
    "fill",
    "stroke",
    "filter",
    "mask",
    "clip-path",
    "marker",
    "marker-start",
    "marker-mid",
    "marker-end",
    "cursor",
    "style",
}
CSS_URL = re.compile(r"url\(\s*(['\"]?)(.*?)\1\s*\)|@import\s+(['\"])(.*?)\3", re.IGNORECASE | re.DOTALL)
JSON_TYPES = {"application/ld+json", "application/json"}


def verify_site(
    site: Path, mount: str = "/", verdicts: Path | None = None, known: Callable[[str], str | None] | None = None
) -> list[str]:
    """Every reason the built site must not be published; empty when it may.

    `mount` is the path the site is served under (the path of site.url, e.g. /gongkai/):
    links are resolved as a browser would resolve them there. `verdicts`: where the pages'
    verdicts are kept between builds (verdicts.py), so unchanged pages are not parsed again.
    `known(file)`: the SHA-256 of a file that is a copy known unchanged since gongkai recorded it
    (sitefiles.known_digests), so it is not read; every other download and page is hashed.
    """
    files = site_files(site)
    sums = in_background(_checksums, site, files, known)  # reading and hashing release the GIL: beside the pages
    pages = check_pages(
        site, [rel for rel in files if rel.endswith(".html")], mount, _judge_pages, verdicts, set(files), known
    )
    return sums.result() + _active_files(files) + pages + _styles(site, files) + _svgs(site, files)


def site_files(site: Path) -> list[str]:
    """Every file of the site, site-relative, in the order of their paths' parts: one walk for every check."""
    found: list[str] = []
    _walk(str(site), "", found)
    return sorted(found, key=lambda rel: rel.split("/"))


def _walk(folder: str, prefix: str, found: list[str]) -> None:
    for entry in list(os.scandir(folder)):  # the kinds come with the names: no stat for most entries
        if entry.is_dir(follow_symlinks=False):  # as os.walk: a link to a folder is not entered
            _walk(entry.path, prefix + entry.name + "/", found)
        elif entry.is_file():  # a link to a file is listed, as os.path.isfile lists it
            found.append(prefix + entry.name)


def _checksums(site: Path, files: list[str], known: Callable[[str], str | None] | None) -> list[str]:
    sums = site / sitepaths.CHECKSUMS
    if not sums.is_file():
        return ["SHA256SUMS is missing"]
    found = []
    listed = set()
    for line in sums.read_text(encoding="utf-8").splitlines():
        digest, _, rel = line.partition("  ")
        listed.add(rel)
        if "://" in rel:
            continue  # in the download store: `gongkai publish` checks it there (upload.py)
        if not (path := site / rel).is_file():
            found.append(f"SHA256SUMS lists {rel}, which is not in the site")
        elif not (known and known(str(path)) == digest) and file_digest(path)[1] != digest:
            found.append(f"{rel} does not match its SHA-256 in SHA256SUMS")
    downloads = {rel for rel in files if rel.startswith(sitepaths.DATASETS) and not rel.endswith(".html")}
    found += [f"{rel} is published but not listed in SHA256SUMS" for rel in sorted(downloads - listed)]
    return found


# Files a browser opens as a document that can run script. Only .html pages and .svg drawings
# are checked (below), so any other spelling of these is refused, whatever its case; XML can
# carry XHTML script or an XSLT stylesheet, so only the generator's feeds and sitemaps are kept
# (the feeds of versions: templates/versions.xml.j2, every value escaped for XML).
ACTIVE_SUFFIXES = {
    ".html",
    ".htm",
    ".xhtml",
    ".xht",
    ".shtml",
    ".mht",
    ".mhtml",
    ".svg",
    ".svgz",
    ".xml",
    ".xsl",
    ".xslt",
}
OWN_XML = {sitepaths.FEED, sitepaths.SITEMAP, *sitepaths.FEED_FILES.values()}


def _active_files(files: list[str]) -> list[str]:
    found = []
    for rel in files:
        name = rel.rsplit("/", 1)[-1]
        dot = name.rfind(".")
        suffix = name[dot:] if 0 < dot < len(name) - 1 else ""  # PurePosixPath(name).suffix, without the object
        if suffix.lower() not in ACTIVE_SUFFIXES or suffix in (".html", ".svg"):
            continue
        if suffix.lower() == ".xml" and name in OWN_XML:
            continue
        found.append(
            f"{rel}: a file a browser opens as a page; only .html pages and .svg drawings are published, and checked"
        )
    return found


def _judge_pages(pages: list[str], site: Path, mount: str) -> list[Verdict]:
    """Each page's verdict (verdicts.py): what it holds, and where its links lead."""
    found: list[Verdict] = []
    for rel in pages:
        base = mount + rel
        text = (site / rel).read_text(encoding="utf-8", errors="replace")
        unsafe, links = page_problems(text)
        targets = [[link, target] for link in links if (target := _link_target(mount, base, link)) != ""]
        found.append({"problems": unsafe + stray_markup(text), "links": targets})
    return found


def page_problems(text: str) -> tuple[list[str], list[str]]:
    """What in one HTML page could act against its reader, and the links it holds (href, src)."""
    tree = LexborHTMLParser(text)
    root = tree.root
    if root is None:  # Lexbor gives every document an <html>, even an empty one; a page we cannot walk is refused
        return ["the HTML parser gave the page no root element"], []
    content: set[int] = (
        set()
    )  # the page's content: everything inside <article>, or the whole page when the theme did not write it
    articles = tree.css("article")
    for node in articles or [root]:
        content.update(n.mem_id for n in node.traverse(include_text=False))
    found: list[str] = []
    links: list[str] = []
    for node in root.traverse(include_text=False):
        if node.tag is None:  # not an element, comment or doctype: Lexbor names all of those, so refuse what it cannot
            found.append("a node the HTML parser could not name")
            continue
        tag = node.tag.lower()
        in_content = node.mem_id in content
        what = _element_problem(node, tag, in_content, bool(articles))
        if what:
            found.append(what)
        for name, value in node.attributes.items():
            name = name.lower()
            value = value or ""
            what = _attribute_problem(tag, name, value, node, in_content)
            if what:
                found.append(what)
            if (
                name in ("href", "src")
                and value
                and not (tag == "link" and "canonical" in (node.attributes.get("rel") or ""))
            ):
                links.append(value)
    return found, links


def _element_problem(node, tag: str, in_content: bool, articles: bool) -> str | None:
    if tag in FORBIDDEN:
        return f"<{tag}> ({FORBIDDEN[tag]})"
    if tag in SVG_ANIMATION:
        return f"<{tag}> (SVG animation can turn a link into a script)"
    if tag == "meta" and node.attributes.get("http-equiv") is not None:
        return _meta_problem(node, articles)
    if tag == "style" and in_content:
        return "<style> in page content (it can hide or restyle the page)"
    if tag == "style":
        return _css_problem(node.text(deep=True), "<style>")
    if tag == "script":
        return _script_problem(node, in_content)
    return None


# The one form redirects.py writes on a redirect page: a delay of 0 and a relative address inside the site.
REFRESH = re.compile(r"0; url=(?![a-zA-Z][a-zA-Z0-9+.-]*:)(?![/\\])[^\s'\"\\<>]+")


def _meta_problem(node, themed: bool) -> str | None:
    equiv = (node.attributes.get("http-equiv") or "").strip().lower()
    content = node.attributes.get("content") or ""
    if (
        equiv == "refresh" and not themed and REFRESH.fullmatch(content)
    ):  # a theme page (with <article>) never redirects
        return None
    return (
        f'<meta http-equiv="{equiv}" content="{content[:60]}"> (only '
        "gongkai's own redirect pages may redirect, and only inside the site)"
    )


def _script_problem(node, in_content: bool) -> str | None:
    kind = (node.attributes.get("type") or "").strip().lower()
    src = node.attributes.get("src")
    text = node.text(deep=True)
    if in_content and kind not in JSON_TYPES:
        return "<script> in page content"
    if kind in JSON_TYPES and src is None:
        try:
            json.loads(text)
        except ValueError:
            return f"<script type={kind}> that is not JSON"
        return None
    if in_content:
        return "<script> in page content"
    if src is not None:
        if _scheme(src) or src.startswith(("//", "\\")) or text.strip():
            return f"<script src={src[:60]!r}> (only the site's own scripts may load)"
        return None
    if any(pattern.fullmatch(text) for pattern in _theme_scripts()):
        return None
    return f"an inline <script> the theme does not write: {text[:60]!r}"


@cache
def _theme_scripts() -> tuple[re.Pattern, ...]:
    """The inline scripts Material's templates write, as patterns: each template expression
    may be any text that cannot leave a string literal. Read from the installed theme, so a
    theme upgrade needs no change here."""
    try:
        import material
    except ImportError:
        return ()
    patterns = []
    for template in (Path(material.__file__).parent / "templates").rglob("*.html"):
        if template.name == "redirect.html":  # Material's redirect template puts page.meta into a script: never allowed
            continue
        for body in re.findall(r"<script>(.*?)</script>", template.read_text(encoding="utf-8"), re.DOTALL):
            pieces = re.split(r"\{\{.*?\}\}|\{%.*?%\}", body)
            patterns.append(re.compile(r"""[^"'<>\\\n`]*""".join(re.escape(p) for p in pieces), re.DOTALL))
    return tuple(patterns)


def _attribute_problem(tag: str, name: str, value: str, node, in_content: bool) -> str | None:
    if name.startswith("on"):
        return f"<{tag} {name}=…> (an event handler)"
    bare = SPACE.sub("", value).lower()  # browsers drop tabs, breaks and controls in URLs
    if name in URL_ATTRS and bare.startswith(SCRIPT_SCHEMES):
        return f"<{tag} {name}={value[:40]!r}> (a script or data URL)"
    if bare.startswith(("javascript:", "vbscript:")):
        return f"<{tag} {name}={value[:40]!r}> (a script URL)"
    if name == "style" and in_content:
        return f"<{tag} style=…> in page content (it can hide or restyle the page)"
    if name in PAINT or name == "style":
        return _css_problem(value, f"<{tag} {name}>")
    if name in FETCHED and _external(value, srcset=name.endswith("srcset")):
        return f"<{tag} {name}={value[:60]!r}> (the reader's browser would fetch it from another site)"
    if (
        name in ("href", "xlink:href")
        and tag in ("image", "use", "feimage", "script", "textpath", "tref", "mpath")
        and not value.startswith("#")
    ):
        return f"<{tag} {name}={value[:60]!r}> (an SVG reference to another document)"
    if (
        tag == "link"
        and name == "href"
        and _external(value)
        and set((node.attributes.get("rel") or "").lower().split()) & FETCHING_LINKS
    ):
        return f"<link href={value[:60]!r}> (a stylesheet or icon from another site)"
    return None


def _css_problem(css: str, where: str) -> str | None:
    for match in CSS_URL.finditer(css or ""):
        target = (match.group(2) if match.group(2) is not None else match.group(4) or "").strip()
        if match.group(4) is not None or not target.startswith("#"):
            if (
                match.group(4) is not None
                or _external(target)
                or SPACE.sub("", target).lower().startswith(SCRIPT_SCHEMES)
            ):
                return f"{where} refers to {target[:60]!r} (CSS that fetches from outside the site)"
    if re.search(r"expression\s*\(|behavior\s*:|-moz-binding", css or "", re.IGNORECASE):
        return f"{where} holds script-bearing CSS"
    return None


def _scheme(url: str) -> bool:
    return bool(urlsplit(SPACE.sub("", url)).scheme)


def _external(url: str, *, srcset: bool = False) -> bool:
    # Browsers drop white space and controls in a URL and read a backslash as a slash: \/host is //host.
    candidates = [part.strip().split(" ")[0] for part in url.split(",")] if srcset else [url]
    return any(_scheme(u) or SPACE.sub("", u).replace("\\", "/").startswith("//") for u in candidates if u.strip())


def _styles(site: Path, files: list[str]) -> list[str]:
    """Stylesheets other than the theme's own must not fetch from outside the site."""
    found = []
    for rel in files:
        if not rel.endswith(".css") or rel.startswith("assets/stylesheets/"):
            continue
        what = _css_problem((site / rel).read_text(encoding="utf-8", errors="replace"), "the stylesheet")
        if what:
            found.append(f"{rel}: {what}")
    return found


def _svgs(site: Path, files: list[str]) -> list[str]:
    from ..export.svgcheck import svg_problems

    found = []
    for rel in files:
        if not rel.endswith(".svg") or rel.startswith("assets/"):
            continue  # the theme's icons
        found += [f"{rel}: {what}" for what in svg_problems((site / rel).read_bytes())]
    return found


def _link_target(mount: str, base: str, link: str) -> str | None:
    """Where a link leads under the site (a path to find there), "" when there is nothing to find
    (a fragment, another site), None when it leaves the site's mount."""
    parts = urlsplit(link)
    if not link or parts.scheme or link.startswith(("#", "//")):
        return ""
    target = urlsplit(urljoin(base, link)).path
    if not target.startswith(mount):
        return None
    return unquote(target[len(mount) :])
