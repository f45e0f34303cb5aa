"""The pages that list datasets: the catalog with its filters, each topic's and publisher's page.

A listing of thousands of datasets would be megabytes of HTML, so one of more than PART comes
in parts (`parts`): in the order the datasets were first published (`created`, then name), each
hundred is a part page of its own (catalog/<k>/, topics/<slug>/<k>/; the last one fills up as
datasets are added), and the listing's own page shows the hundred first published most recently.
A part keeps its datasets as new ones are published (only removing or backdating one moves
them), so its address can be locked like any other page. The catalog's script (assets/gongkai.js)
loads the parts when a filter or another order is chosen, so they still see every dataset;
without it every part is a link.
"""

from __future__ import annotations

import json
from collections.abc import Sequence

from markupsafe import Markup

from ..core import sitepaths
from ..core.config import Settings
from .catalog import D, Described, Summary, by_modified, card_model, english, with_publisher, with_topic
from .markup import front_matter
from .messages import TABLES
from .snippets import request_links
from .templating import render

PART = 100  # datasets on a part page, and on the listing's own page

# The catalog's filters: (URL parameter, the values of a dataset).
FACETS = (
    ("topic", lambda e: list(e.topics)),
    ("publisher", lambda e: [e.publisher]),
    ("frequency", lambda e: [e.meta.get("update_frequency", "")]),
    ("format", lambda e: list(e.formats)),
    ("year", lambda e: e.years),  # the years the data describe (temporal), not the site's update
)


def parts(entries: Sequence[D]) -> tuple[list[D], list[list[D]]]:
    """(the datasets on the listing's own page, newest first; the parts, oldest first: none when
    the page holds them all). Each part and the page list their datasets by last update."""
    ordered = sorted(entries, key=lambda e: (str(e.meta.get("created", "")), e.name))
    if len(ordered) <= PART:
        return by_modified(ordered), []
    chunks = [by_modified(ordered[k : k + PART]) for k in range(0, len(ordered), PART)]
    return by_modified(ordered[-PART:]), chunks


def _part_links(chunks: list[list[Summary]], href) -> list[dict]:
    # each part named by when its datasets were first published, the way a reader looks for them
    return [
        {"href": href(k), "first": _created(chunk, min), "last": _created(chunk, max), "n": len(chunk), "k": k}
        for k, chunk in enumerate(chunks, 1)
    ]


def _created(chunk: Sequence[Described], pick) -> str:
    return pick(str(e.meta.get("created", ""))[:10] for e in chunk)


SINGLE = ("publisher", "frequency")  # one value a dataset: the attribute is the value itself


def _attribute(key: str, values: list[str]) -> str:
    # Each card's values in its data-* attribute (gongkai.js reads it): the one value, or a JSON
    # array, so any name can be held and every character is one an HTML attribute may contain.
    return values[0] if key in SINGLE else json.dumps(values, ensure_ascii=False, separators=(",", ":"))


def _cards(entries: list[Summary], lang: str) -> list[tuple]:
    return [(e, {key: _attribute(key, values(e)) for key, values in FACETS}, card_model(e, lang)) for e in entries]


def catalog_pages(entries: list[Summary], settings: Settings, lang: str = "zh") -> dict[str, str]:
    """The catalog page and its parts (catalog/<k>/), page source path -> Markdown."""
    front, chunks = parts(entries)
    links = _part_links(chunks, lambda k: "../" + sitepaths.part_page(sitepaths.CATALOG_PARTS, k))
    pages = {sitepaths.catalog_md(lang): render_catalog(entries, settings, lang, front=front, links=links)}
    for k, chunk in enumerate(chunks, 1):
        pages[sitepaths.page_md(sitepaths.part_page(sitepaths.CATALOG_PARTS, k), lang)] = render(
            "catalog_part.md.j2",
            lang,
            k=k,
            start=(k - 1) * PART + 1,
            end=(k - 1) * PART + len(chunk),
            total=len(entries),
            part=links[k - 1],
            rows=_cards(chunk, lang),
            links=[dict(link, href=f"../{link['k']}/") for link in links],
            up="../../" + sitepaths.DATASETS,  # a card's link, from catalog/<k>/ to datasets/<name>/
            settings=settings,
        )
    return pages


def render_catalog(
    entries: list[Summary],
    settings: Settings,
    lang: str = "zh",
    *,
    front: list[Summary] | None = None,
    links: list[dict] | None = None,
) -> str:
    """The catalog page: the latest datasets (front; all of them when not given) in plain HTML, the
    filters counting every dataset (entries); with JavaScript (assets/gongkai.js) the filters narrow
    the list, load the parts (links) when needed, and keep the choice in the URL (?topic=…&year=…)."""
    ordered = by_modified(entries)
    facets = []
    for key, values in FACETS:
        counts: dict[str, int] = {}
        for e in ordered:
            for v in values(e):
                counts[v] = counts.get(v, 0) + 1
        keys = sorted(counts, reverse=True) if key == "year" else sorted(counts, key=lambda v: (-counts[v], v))
        facets.append((key, [(v, counts[v]) for v in keys]))
    shown = ordered if front is None else front
    return render(
        "catalog.md.j2",
        lang,
        facets=facets,
        rows=_cards(shown, lang),
        count=len(ordered),
        links=links or [],
        part_size=PART,
        up="",
        english=english,
        settings=settings,
        request=request_links(settings),
    )


def listing_pages(
    kind: str, name: str, slug: str, entries: list[Summary], settings: Settings, lang: str
) -> dict[str, str]:
    """A topic's or publisher's page (kind "topic" or "publisher") and its parts, path -> Markdown."""
    page = sitepaths.topic_page(slug) if kind == "topic" else sitepaths.publisher_page(slug)
    front, chunks = parts(entries)
    links = _part_links(chunks, lambda k: sitepaths.part_page("", k))
    title = f"{kind}_title"
    feed = front_matter({"gongkai_feed": feed_link(page, settings.localise(kind, name, lang), lang)})
    common = dict(title=title, name=name, settings=settings, english=english, total=len(entries), part_size=PART)
    pages = {
        sitepaths.page_md(page, lang): render(
            "listing.md.j2",
            lang,
            **common,
            entries=front,
            links=links,
            part=None,
            up="../../",
            files="" if lang == "zh" else "../../../" + page,  # the feeds are beside the Chinese page
            front=Markup(feed),
        )
    }
    for k, chunk in enumerate(chunks, 1):
        pages[sitepaths.page_md(sitepaths.part_page(page, k), lang)] = render(
            "listing.md.j2",
            lang,
            **common,
            entries=chunk,
            part=dict(links[k - 1], start=(k - 1) * PART + 1, end=(k - 1) * PART + len(chunk)),
            links=[dict(link, href="../" + str(link["href"])) for link in links],
            up="../../../",
            back=sitepaths.page_md(page),
            files="",
            front="",
        )
    return pages


def topic_and_publisher_pages(entries: list[Summary], settings: Settings, lang: str) -> dict[str, str]:
    pages: dict[str, str] = {}
    for topic in settings.topics:
        if with_topic(entries, topic.name):
            pages.update(
                listing_pages("topic", topic.name, topic.slug, with_topic(entries, topic.name), settings, lang)
            )
    for pub in settings.publishers:
        if with_publisher(entries, pub.name):
            pages.update(
                listing_pages("publisher", pub.name, pub.slug, with_publisher(entries, pub.name), settings, lang)
            )
    return pages


def feed_link(page: str, title: str, lang: str) -> dict[str, str]:
    # overrides/main.html links the page's feed of versions in its head (the page shows the link too)
    return {"href": sitepaths.feed_of(page, lang), "title": TABLES[lang]["feed"]["subscribe"] + " · " + title}
