"""What the MkDocs hook does with the page cache (pagecache.py) on each page: look it up before it
is read, give MkDocs back what other pages ask of a hit, and write every page as a copy of its own.

A hit is neither read nor converted nor put through the theme, and MkDocs writes nothing for it: its
copy is linked where MkDocs would write it (sitefiles.Copies). A page rendered this build becomes
such a copy when the last post_page handler has seen it, and its entry is staged. Either way the
page handlers give MkDocs an empty page, which it skips (its "Page skipped" notice is not shown for
these). Only where every post_page handler is known to pass pages through (this hook's, the i18n
plugin's without a PDF plugin) is the cache used: any other may change a page or need its text.
"""

from __future__ import annotations

import logging
from types import MethodType

from mkdocs.structure.toc import get_toc

from . import pagecache


class Pages:
    """One generator process's use of the store: this interface's hits and misses."""

    def __init__(self, store: pagecache.Store) -> None:
        self.store = store
        self.hits: dict[str, pagecache.Entry] = {}  # src_uri -> the stored page, this interface
        self.misses: dict[str, str] = {}  # src_uri -> its key, for a page rendered this build
        self.site = self.files = ""  # this interface's site key and file list key (start)
        self.usable = False
        self.quiet: set[str] = set()
        for name in ("mkdocs.commands.build", "properdocs.commands.build"):
            logging.getLogger(name).addFilter(self._not_skipped)

    def start(self, config, files, site: str, mine: set) -> None:
        """A new interface's build: its keys, and whether its post_page handlers let pages through."""
        self.site, self.files = site, pagecache.files_key([(f.src_uri, f.dest_uri) for f in files])
        self.hits.clear()
        self.misses.clear()
        i18n = config.plugins.get("i18n")
        passing = {getattr(i18n, "on_post_page", None)} if config.plugins.get("with-pdf") is None else set()
        self.usable = all(h in mine or h in passing for h in config.plugins.events["post_page"])

    def look_up(self, page) -> None:
        if not self.usable:
            return
        file = page.file
        alternates = getattr(file, "alternates", None) or {}
        place = [
            file.src_uri,
            file.dest_uri,
            page.url,
            str(getattr(file, "locale", "")),
            str(getattr(file, "locale_alternate_of", "")),
        ]
        place += sorted(f"{lang}={other.url}" for lang, other in alternates.items())
        with open(file.abs_src_path, "rb") as f:
            key = pagecache.page_key(self.site, self.files, f.read(), place)
        entry = self.store.get(key)
        if entry is None or not self.store.copies.usable(entry.digest):
            self.misses[file.src_uri] = key
            return
        self.hits[file.src_uri] = entry
        page.read_source = MethodType(_read_nothing, page)
        page.render = MethodType(self._render_stored, page)

    def _render_stored(self, page, config, files) -> None:
        entry = self.hits[page.file.src_uri]
        page.content, page.toc, page._title_from_render = "", get_toc([]), entry.title
        page.present_anchor_ids = set(entry.anchors)
        if entry.links is not None:  # MkDocs checks these once every page is read: they must still resolve
            linked = ((files.get_file_from_path(uri), anchors) for uri, anchors in entry.links.items())
            page.links_to_anchors = {f: dict(anchors) for f, anchors in linked if f is not None}

    def stored_or(self, get_template):
        def get(name, *args, **kwargs):
            template = get_template(name, *args, **kwargs)
            return _StoredPage(template, self.hits) if name == "main.html" else template

        return get

    def written(self, output: str, page) -> str:
        """The page as the last post_page handler gives it: linked from its copy; "" for MkDocs."""
        uri, target = page.file.src_uri, page.file.abs_dest_path
        entry = self.hits.get(uri)
        key = self.misses.pop(uri, None)
        if entry is not None:
            self.store.copies.link(entry.digest, target)
        elif key is not None and output.strip():
            data = output.encode("utf-8", errors="xmlcharrefreplace")  # as MkDocs writes a page
            digest = self.store.copies.add(data, target)
            links = page.links_to_anchors
            kept = {f.src_uri: dict(a) for f, a in links.items()} if links is not None else None
            self.store.put(key, pagecache.Entry(digest, page.title, sorted(page.present_anchor_ids or ()), kept))
        else:
            return output
        self.quiet.add(f"Page skipped: '{uri}'. Generated empty output.")
        return ""

    def _not_skipped(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if message in self.quiet:
            self.quiet.discard(message)
            return False
        return True


def _read_nothing(page, config) -> None:
    page.markdown, page.meta = "", {}


class _StoredPage:
    """The theme's page template, which gives nothing for a hit (its copy is linked instead)."""

    def __init__(self, template, hits: dict[str, pagecache.Entry]) -> None:
        self._template, self._hits = template, hits

    def __getattr__(self, name):  # a template that extends main.html (404.html) reads its blocks
        return getattr(self._template, name)

    def render(self, context) -> str:
        page = context.get("page") if isinstance(context, dict) else None
        hit = page is not None and getattr(page, "file", None) and page.file.src_uri in self._hits
        return "" if hit else self._template.render(context)
