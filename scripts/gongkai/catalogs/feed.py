"""/feed.xml: an Atom feed of dataset publications and updates, newest first.

One entry per dataset at its current version; `updated` is the dataset's `modified` date
(from its metadata, never the clock), so the same commit gives the same feed.
"""

from __future__ import annotations

from xml.sax.saxutils import escape, quoteattr

from ..core.config import Settings
from .catalog import Summary, by_modified

CHINA = "+08:00"


def atom_feed(summaries: list[Summary], settings: Settings) -> bytes:
    ordered = by_modified(summaries)
    updated = f"{ordered[0].modified}T00:00:00{CHINA}" if ordered else "2019-05-16T00:00:00+08:00"
    entries = "".join(_entry(s, settings) for s in ordered)
    text = (
        '<?xml version="1.0" encoding="utf-8"?>\n'
        '<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="zh-CN">\n'
        f"  <id>{escape(settings.url_for('feed.xml'))}</id>\n"
        f"  <title>{escape(settings.site_name)}：数据集更新</title>\n"
        f"  <updated>{updated}</updated>\n"
        f"  <author><name>{escape(settings.operator_name)}</name></author>\n"
        f'  <link rel="self" href={quoteattr(settings.url_for("feed.xml"))}/>\n'
        f'  <link rel="alternate" href={quoteattr(settings.site_url)}/>\n'
        f"{entries}</feed>\n"
    )
    return text.encode("utf-8")


def _entry(s: Summary, settings: Settings) -> str:
    page = settings.url_for(f"datasets/{s.name}/")
    version = s.meta.get("version", "")
    return (
        "  <entry>\n"
        f"    <id>urn:uuid:{escape(s.meta['id'])}</id>\n"  # the id survives renames; the link follows the name
        f"    <title>{escape(s.title)}（{escape(version)}）</title>\n"
        f"    <updated>{s.modified}T00:00:00{CHINA}</updated>\n"
        f'    <link rel="alternate" href={quoteattr(page)}/>\n'
        f"    <author><name>{escape(s.publisher)}</name></author>\n"
        f"    <summary>{escape(s.meta['description'])}</summary>\n" + "".join(f"    <category term={quoteattr(t)}/>\n" for t in s.topics) + "  </entry>\n"
    )
