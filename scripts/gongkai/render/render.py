"""The generated pages: page models from the catalog, markup from templates/. Pure: no I/O.

A dataset's page model (dataset_model) is built in the worker that exports the dataset and is cached with it:
plain values, no markup but its sanitised README and changelog. The page is assembled once (render_dataset), in
both languages, after the stages that judge its quality and read its versions. Every value reaches the page
through templating.py. Links between pages are Markdown links to .md files, so `mkdocs build --strict` checks them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from markupsafe import Markup

from ..core import sitepaths
from ..core.config import Settings
from ..read.columnprofile import DISTINCT_LIMIT, searchable_values
from ..read.fields import constraints_text, unit_of
from .catalog import Entry, Summary, by_modified, english, used_publishers, used_topics, with_publisher, with_topic
from .listings import catalog_pages, feed_link, topic_and_publisher_pages
from .markup import front_matter, rich_text
from .messages import LANGUAGES, TABLES
from .period import period_fields
from .reportlayout import page_report, report_model
from .snippets import code_snippets, report_problem_mailto, report_problem_url, request_links
from .structured import dataset_jsonld
from .templating import render

KINDS = ("xlsx", "csv-bom", "csv", "json", "parquet", "datapackage", "zip")  # the order people look for files in


def render_site(entries: list[Summary], settings: Settings, dashboard: Dashboard | None = None) -> dict[str, str]:
    """Home, catalog, topic and publisher pages from dataset summaries (dataset pages: render_dataset)."""
    pages = {}
    for lang in LANGUAGES:
        pages[sitepaths.home_md(lang)] = render_home(entries, settings, dashboard, lang)
        pages.update(catalog_pages(entries, settings, lang))
        pages[sitepaths.page_md(sitepaths.TOPICS, lang)] = _index_page(
            "topics", [(t, len(with_topic(entries, t.name))) for t in used_topics(entries, settings)], settings, lang
        )
        pages[sitepaths.page_md(sitepaths.PUBLISHERS, lang)] = _index_page(
            "publishers",
            [(p, len(with_publisher(entries, p.name))) for p in used_publishers(entries, settings)],
            settings,
            lang,
        )
        pages.update(topic_and_publisher_pages(entries, settings, lang))
    return pages


# --- home, catalog, listings ----------------------------------------------------------------


@dataclass
class Dashboard:
    """The home page's headline figures and charts (gongkai.yml `home`), read by build.py."""

    dataset: str = ""  # the headline resource's dataset
    title: str = ""
    title_en: str = ""
    source: list[str] = field(default_factory=list)  # its first source: title and date
    figures: list[dict] = field(default_factory=list)  # its rows, as text
    charts: list[tuple[str, dict, tuple[int, int]]] = field(default_factory=list)  # (dataset, view, (width, height))


def render_home(
    entries: list[Summary], settings: Settings, dashboard: Dashboard | None = None, lang: str = "zh"
) -> str:
    figures = [
        dict(row, shown=f"{int(row['value']):,}" if row["value"].isdigit() else row["value"])
        for row in (dashboard.figures if dashboard else [])
    ]
    return render(
        "home.md.j2",
        lang,
        settings=settings,
        count=len(entries),
        rows=sum(e.rows for e in entries),
        publishers=len(used_publishers(entries, settings)),
        latest=by_modified(entries)[:5],
        topics=[(t, len(with_topic(entries, t.name))) for t in used_topics(entries, settings)],
        board=dashboard if dashboard and (dashboard.figures or dashboard.charts) else None,
        figures=figures,
        english=english,
        request=request_links(settings),
    )


def _index_page(kind: str, items: list, settings: Settings, lang: str) -> str:
    return render("index.md.j2", lang, kind=kind, items=items, settings=settings)


# --- the dataset page -----------------------------------------------------------------------


def dataset_model(e: Entry, settings: Settings) -> dict[str, Any]:
    """Everything a dataset's page shows that depends on the dataset alone, as plain values
    (cached with its exports; quality and versions are added when the page is assembled)."""
    m = e.meta
    tables = [_table_model(e, t, settings) for t in e.tables]
    downloads = [
        {"kind": d.kind, "resource": d.resource, "file": d.path.rsplit("/", 1)[1], "bytes": d.bytes, "sha256": d.sha256}
        for kind in KINDS
        for d in e.exported.downloads
        if d.kind == kind
    ]
    views = [
        dict(
            view,
            size=list(e.exported.charts.get(view["name"], (0, 0))),
            files=[
                sitepaths.resource_file(view["resources"][0], k)
                for k in ("csv", "xlsx")
                if e.downloads(resource=view["resources"][0], kind=k)
            ],
        )
        for view in m.get("views", [])
    ]
    report, rest = report_model(e.tables, e.readme)
    return {
        "name": e.name,
        "meta": m,
        "title": e.title,
        "publisher": e.publisher,
        "topics": e.topics,
        "modified": e.modified,  # the site's last update of the dataset, not the data's period
        "temporal": e.temporal,  # the data period, ISO 8601 (the page's words for it: _localised)
        "temporal_note": m.get("temporal_note", ""),
        "rows": e.rows,
        "tables": tables,
        "explorer_rows": settings.limits.explorer_rows,
        "downloads": downloads,
        "notices": {  # why an XLSX was not made
            t.name: note for t in e.tables if (note := e.exported.notices.get(sitepaths.resource_file(t.name, "xlsx")))
        },
        "maintainers": [_contact(c) for c in m.get("contributors", []) if c.get("role") == "maintainer"],
        "report_url": report_problem_url(e, settings) if settings.repository else "",
        "report_mailto": report_problem_mailto(e, settings),
        "views": views,
        "crosstabs": [_crosstab(e, spec) for spec in m.get("crosstabs", [])],
        "snippets": code_snippets(e, settings),
        "sources": [
            dict(s, link=str(s.get("path", "")).startswith(("https://", "http://")))
            for s in m.get("sources", [])
            if isinstance(s, dict)
        ],
        "readme_html": rich_text(e.readme),
        "report": report,
        "report_readme_html": rich_text(rest) if report else "",  # the README without the report's parts
        "changelog_html": rich_text(_strip_title(e.changelog)),
        "url": settings.url_for(sitepaths.dataset_page(e.name)),
        "site_name": settings.site_name,
        "jsonld": dataset_jsonld(e, settings),
    }


def _table_model(e: Entry, t, settings: Settings) -> dict[str, Any]:
    pk = t.resource["schema"].get("primaryKey")
    n = settings.limits.preview_rows
    return {
        "name": t.name,
        "title": t.resource.get("title", t.name),
        "title_en": t.resource.get("title_en"),
        "rows": t.rows,
        "primary_key": (", ".join(pk) if isinstance(pk, list) else pk) if pk else "",
        "fields": [
            dict(
                f,
                unit=unit_of(f, t.fields),
                type=f.get("type", "string"),
                profile=_profile(p, t.rows),
            )
            for f, p in zip(t.fields, t.profiles, strict=True)
        ],
        "preview": t.preview[:n],
        # the values search finds the dataset by (search/documents.py), not shown on the page
        "search_values": {
            f["name"]: found
            for f, p in zip(t.fields, t.profiles, strict=True)
            if (found := searchable_values(f, p, settings.limits.search_values_per_column))
        },
        "formulas": sum(count for count, _ in t.formulas.values()),
        "text_numbers": e.exported.text_numbers.get(t.name, 0),
    }


def _profile(p, rows: int) -> dict[str, Any]:
    """One column as the data show it (columnprofile.py), computed when the site was built."""
    return {
        "filled": p.filled,
        "distinct": p.distinct,
        "all_different": bool(p.filled and p.distinct == p.filled),
        "low": p.low,
        "high": p.high,
        "frequent": p.frequent(),
        "examples": p.examples,
    }


def _contact(c: dict) -> dict[str, str]:
    link = f"mailto:{c['email']}" if c.get("email") else c.get("path", "")
    return {"title": c.get("title", ""), "link": link if link.startswith(("https://", "http://", "mailto:")) else ""}


def _crosstab(e: Entry, spec: dict) -> dict[str, Any]:
    """Counts of rows by one field against another, with totals, computed from the data."""
    table = next(t for t in e.tables if t.name == spec["resource"])
    titles = {f["name"]: f.get("title") or f["name"] for f in table.fields}
    tab = table.crosstabs[(spec["rows"], spec["columns"])]
    columns = list(tab.columns)
    return {
        "title": spec["title"],
        "corner": f"{titles[spec['rows']]} \\ {titles[spec['columns']]}",
        "columns": columns,
        "rows": [
            [key, [tab.counts[key].get(col, 0) for col in columns], sum(tab.counts[key].values())] for key in tab.counts
        ],
        "totals": [sum(tab.counts[k].get(col, 0) for k in tab.counts) for col in columns],
    }


def _strip_title(markdown_text: str) -> str:
    # The changelog's own "# 更新记录" title would duplicate the section heading.
    lines = markdown_text.splitlines()
    if lines and lines[0].startswith("# "):
        lines = lines[1:]
    return "\n".join(lines).replace("\n## ", "\n### ")


@dataclass
class PageExtras:
    """What the dataset page shows that is computed after the dataset's own stage."""

    quality: dict[str, Any]  # quality_model
    versions: list[dict[str, Any]]  # versions_model
    links: dict[str, str] = field(default_factory=dict)  # file name -> its URL in the download store (blobs.py)


def render_dataset(model: dict[str, Any], extras: PageExtras, settings: Settings, lang: str = "zh") -> str:
    """The dataset's page in one language, assembled once from its model and extras."""
    page = _localised(model, lang)
    page["report"] = page_report(model.get("report"), lang)  # an annual report: its six parts (reportlayout.py)
    readme = model["report_readme_html"] if page["report"] else model["readme_html"]
    page["readme_html"], page["changelog_html"] = Markup(readme), Markup(model["changelog_html"])
    # gongkai_jsonld: schema.org Dataset for search engines; overrides/main.html puts it in the head.
    # The site's own search indexes the model itself (search/documents.py), not the page.
    head: dict[str, Any] = {"gongkai_jsonld": model["jsonld"]} if lang == "zh" else {}
    head["gongkai_explorer"] = True  # overrides/main.html loads the table explorer on this page only
    head["gongkai_feed"] = feed_link(sitepaths.dataset_page(model["name"]), page["title"], lang)
    # The files are published once, beside the Chinese page; the English page links them there.
    files = "" if lang == "zh" else "../../../" + sitepaths.dataset_page(model["name"])
    return render(
        "dataset.md.j2",
        lang,
        d=page,
        front=Markup(front_matter(head)),
        q=extras.quality,
        versions=extras.versions,
        files=files,
        links=extras.links,
        limit=DISTINCT_LIMIT,
        settings=settings,  # for localise(): names from gongkai.yml in the page's language
    )


def _localised(model: dict[str, Any], lang: str) -> dict[str, Any]:
    """The model with English titles and descriptions where given (lang "en"), else the Chinese."""
    en = lang != "zh"
    meta = model["meta"]
    title, title_english = english(meta, "title") if en else (model["title"], True)
    tables = []
    for t in model["tables"]:
        fields = []
        for f in t["fields"]:
            f = dict(f, title=english(f, "title")[0], description=english(f, "description")[0]) if en else dict(f)
            f["heading"] = f.get("title") or f["name"]
            f["constraints_text"] = constraints_text(f, lang)
            fields.append(f)
        tables.append(dict(t, title=english(t, "title")[0] if en else t["title"], fields=fields))
    description = english(meta, "description")[0] if en else meta["description"]
    period = period_fields(model.get("temporal"), lang)
    label = TABLES[lang]["period"].get(period["period_kind"], "")
    return dict(
        model,
        **period,
        period_label=label,
        title=title,
        title_english=title_english,
        description=description,
        tables=tables,
        titles={t["name"]: t["title"] for t in tables},
    )


# --- versions and quality ---------------------------------------------------------------------


def quality_model(criteria, total: int, as_of: str) -> dict[str, Any]:
    return {
        "total": total,
        "as_of": as_of,
        "criteria": [{"title": c.title, "score": c.score, "why": c.why} for c in criteria],
    }


def render_quality_page(assessed: list, as_of: str) -> str:
    """assessed: (summary, criteria, total) per dataset, best first."""
    keys = [c.title for c in assessed[0][1]] if assessed else []
    lowest = [(s, c) for s, criteria, _ in assessed for c in criteria if c.score is not None and c.score < 100]
    return render("quality.md.j2", assessed=assessed, keys=keys, lowest=lowest, as_of=as_of)
