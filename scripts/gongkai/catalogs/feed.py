"""/feed.xml: an Atom feed of dataset publications and updates, newest first.

One entry per dataset at its current version; `updated` is the dataset's `modified` date
(from its metadata, never the clock), so the same commit gives the same feed. The markup is
templates/feed.xml.j2, every value escaped for XML (templating.render_xml).
"""

from __future__ import annotations

from ..core.config import Settings
from ..render.catalog import Summary, by_modified
from ..render.templating import render_xml

CHINA = "+08:00"


def atom_feed(summaries: list[Summary], settings: Settings) -> bytes:
    ordered = by_modified(summaries)
    updated = f"{ordered[0].modified}T00:00:00{CHINA}" if ordered else "2019-05-16T00:00:00+08:00"
    return render_xml("feed.xml.j2", settings=settings, entries=ordered, updated=updated, zone=CHINA).encode("utf-8")
