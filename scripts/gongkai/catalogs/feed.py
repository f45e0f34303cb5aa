"""Atom feeds: /feed.xml, every dataset at its current version; and the feeds of versions, one
per dataset, topic and publisher (datasets/<name>/feed.xml, topics/<slug>/feed.xml,
publishers/<slug>/feed.xml, and the same under en/ in English), each entry one version with
what it changed.

Dates come from the metadata and git history (never the clock) and ids from the dataset's id
(versionindex.entry_id), so the same commit gives the same feeds and an entry keeps its id in
every feed and every build. The markup is templates/feed.xml.j2 and versions.xml.j2, every
value escaped for XML (templating.render_xml).
"""

from __future__ import annotations

from ..core import sitepaths
from ..core.config import Settings
from ..render.catalog import Summary, by_modified, english, used_publishers, used_topics, with_publisher, with_topic
from ..render.messages import TABLES
from ..render.templating import render_xml
from .versionindex import entry_id, feed_id

CHINA = "+08:00"
LISTED = 50  # entries in a topic's or a publisher's feed: the newest versions of its datasets
FIRST = "2019-05-16"  # a feed with no entry is dated by the first datasets' report


def atom_feed(summaries: list[Summary], settings: Settings) -> bytes:
    ordered = by_modified(summaries)
    updated = f"{ordered[0].modified}T00:00:00{CHINA}" if ordered else "2019-05-16T00:00:00+08:00"
    return render_xml("feed.xml.j2", settings=settings, entries=ordered, updated=updated, zone=CHINA).encode("utf-8")


def version_feeds(summaries: list[Summary], versions: dict[str, list[dict]], settings: Settings) -> dict[str, bytes]:
    """Site path -> feed: for each dataset all its versions, for each topic and publisher the
    newest LISTED versions of its datasets; both interfaces. versions: versionindex.machine_versions."""
    feeds = {}
    for lang in ("zh", "en"):
        words = TABLES[lang]["feed"]
        for s in summaries:
            page = sitepaths.dataset_page(s.name)
            title = words["dataset"].format(title=_title(s, lang))
            entries = _entries([s], versions, settings, lang)
            feeds[sitepaths.feed_of(page, lang)] = _feed(
                page, feed_id(s.meta["id"], lang), title, entries, settings, lang
            )
        groups = [
            (sitepaths.topic_page(t.slug), words["topic"], t.name, "topic", with_topic(summaries, t.name))
            for t in used_topics(summaries, settings)
        ]
        groups += [
            (
                sitepaths.publisher_page(p.slug),
                words["publisher"],
                p.name,
                "publisher",
                with_publisher(summaries, p.name),
            )
            for p in used_publishers(summaries, settings)
        ]
        for page, template, name, kind, members in groups:
            title = template.format(name=settings.localise(kind, name, lang))
            entries = _entries(members, versions, settings, lang)[:LISTED]
            feeds[sitepaths.feed_of(page, lang)] = _feed(page, None, title, entries, settings, lang)
    return feeds


def _feed(page: str, identifier: str | None, title: str, entries: list[dict], settings: Settings, lang: str) -> bytes:
    self_url = settings.url_for(sitepaths.feed_of(page, lang))
    values = {
        "id": identifier or self_url,  # a topic or publisher has no id of its own: its feed's URL
        "title": title,
        "updated": entries[0]["updated"] if entries else f"{FIRST}T00:00:00{CHINA}",
        "author": settings.operator_name if lang == "zh" else settings.operator_name_en or settings.operator_name,
        "self": self_url,
        "alternate": settings.url_for(page if lang == "zh" else sitepaths.ENGLISH + page),
        "lang": "zh-CN" if lang == "zh" else "en",
    }
    return render_xml("versions.xml.j2", feed=values, entries=entries).encode("utf-8")


def _entries(members: list[Summary], versions: dict[str, list[dict]], settings: Settings, lang: str) -> list[dict]:
    """Each version of the given datasets as a feed entry, newest first (ties: by title, then newest version)."""
    words = TABLES[lang]["feed"]
    out = []
    for s in members:
        page = sitepaths.dataset_page(s.name)
        for v in versions.get(s.name, []):
            summary = v["summary"] if lang == "zh" else v["summary_en"]
            out.append(
                {
                    "id": entry_id(s.meta["id"], v["version"]),
                    "title": words["entry"].format(title=_title(s, lang), version=v["version"]),
                    "updated": f"{v['date']}T00:00:00{CHINA}",
                    "link": settings.url_for(page if lang == "zh" else sitepaths.ENGLISH + page),
                    "related": v["datapackage"],
                    "author": settings.localise("publisher", s.publisher, lang),
                    "summary": summary or "",
                    "note": v["note"],  # CHANGELOG.md's entry: in Chinese on both feeds
                    "topics": [settings.localise("topic", t, lang) for t in s.topics],
                    "order": (v["date"], s.name, v["version"]),
                }
            )
    out.sort(key=lambda e: e["order"][1])
    out.sort(key=lambda e: (e["order"][0], _semver(e["order"][2])), reverse=True)
    return out


def _title(s: Summary, lang: str) -> str:
    return s.title if lang == "zh" else english(s.meta, "title")[0]


def _semver(version: str) -> tuple[int, ...]:
    return tuple(int(part) for part in version.split("."))
