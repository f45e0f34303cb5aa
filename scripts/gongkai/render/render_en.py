"""The English interface: English pages for the home page, the catalog and each dataset.

Pure, like render.py. The pages sit beside the Chinese ones (index.en.md), and the
mkdocs-static-i18n plugin publishes them under /en/ with Material's interface in English
and a language switch in the header. Metadata stay Chinese unless a descriptor gives
English (`title_en`, `description_en` on the dataset, a resource or a field); the data
are the same files as on the Chinese pages, linked from here.
"""

from __future__ import annotations

from ..catalogs.catalog import Entry, by_modified, used_publishers
from ..core.config import Settings
from ..read.columnprofile import DISTINCT_LIMIT
from ..read.fields import unit_of
from .markup import esc, esc_md, facts_table, front_matter, html_table, human_size

TYPE_NAMES = {"string": "text", "integer": "integer", "number": "number", "date": "date", "datetime": "date and time", "boolean": "true/false", "year": "year"}
USES = (
    ("xlsx", "Excel, WPS"),
    ("csv-bom", "Old Excel versions (garbled Chinese in CSV)"),
    ("csv", "Programs, databases, statistics (UTF-8)"),
    ("json", "Web development"),
    ("datapackage", "Metadata and schema (Frictionless)"),
    ("zip", "Whole dataset (with README and changelog)"),
)
KIND_NAMES = {"csv": "CSV (UTF-8)", "csv-bom": "CSV (UTF-8 with BOM)", "xlsx": "Excel (XLSX)", "json": "JSON", "datapackage": "datapackage.json", "zip": "ZIP"}


def english(item: dict, key: str) -> tuple[str, bool]:
    """The English text of a metadata key when given, else the Chinese; and whether it is English."""
    given = item.get(f"{key}_en")
    return (given, True) if isinstance(given, str) and given.strip() else (str(item.get(key, "")), False)


def render_site_en(entries: list, settings: Settings) -> dict[str, str]:
    return {"index.en.md": render_home_en(entries, settings), "datasets/index.en.md": render_catalog_en(entries)}


def render_home_en(entries: list, settings: Settings) -> str:
    latest = by_modified(entries)[:5]
    items = "\n".join(f"- [{esc_md(english(e.meta, 'title')[0])}](datasets/{e.name}/index.md) ({e.modified})" for e in latest)
    parts = [
        f"# {esc_md(settings.site_name_en or settings.site_name)}",
        f'<p class="gk-lede">An open catalogue of data published under China\'s Regulations on the Disclosure of Government Information (政府信息公开条例): '
        f"{len(entries)} datasets, {sum(e.rows for e in entries)} rows from {len(used_publishers(entries, settings))} publishers, each figure with its source. "
        "Pages are in Chinese with an English interface; titles and descriptions are in English where the publisher gives them.</p>",
        "## Recently updated",
        items,
        "[All datasets](datasets/index.md)",
        "## About this site",
        "This site is run by the gongkai open-source project. It republishes and organises government information from the sources named on each page; it is not an official government website. "
        "Every download is described by a Frictionless data package; machine-readable catalogues: `catalog.json`, `catalog.jsonld` (DCAT-AP) and `feed.xml` (Atom).",
    ]
    return "\n\n".join(parts) + "\n"


def render_catalog_en(entries: list) -> str:
    ordered = by_modified(entries)
    rows = []
    for e in ordered:
        title, _ = english(e.meta, "title")
        rows.append([f'<a href="{e.name}/">{esc(title)}</a>', esc(e.publisher), esc(", ".join(e.topics)), esc(e.modified), esc(" ".join(e.formats))])
    table = html_table(["Dataset", "Publisher", "Topics", "Last updated", "Formats"], rows)
    return f"# All datasets\n\n{len(ordered)} datasets, most recently updated first. Publishers and topics are given in Chinese, as the publishers name them.\n\n{table}\n"


def render_dataset_en(e: Entry, settings: Settings) -> str:
    """A dataset's page in English: what it is, its files, its fields; the Chinese page has the rest."""
    title, title_is_en = english(e.meta, "title")
    description, _ = english(e.meta, "description")
    up = f"../../../datasets/{e.name}/"  # the files are published once, beside the Chinese page
    note = "" if title_is_en else " (no English title given: shown in Chinese)"
    meta = [
        ("Publisher", esc(e.publisher)),
        ("Topics", esc(", ".join(e.topics))),
        ("Update frequency", esc(e.meta.get("update_frequency"))),
        ("Version", esc(e.meta.get("version"))),
        ("Last updated", esc(e.modified)),
        ("Rows", f"{e.rows} in {len(e.tables)} resource(s)"),
        ("Identifier", f"<code>{esc(e.meta.get('id'))}</code>"),
        (
            "Licence",
            ", ".join(f'<a href="{esc(lic["path"])}" rel="nofollow noopener">{esc(lic.get("title") or lic.get("name"))}</a>' for lic in e.meta["licenses"]),
        ),
    ]
    parts = [
        front_matter({"search": {"exclude": True}, "gongkai_search": _search_text(e)}),
        f"# {esc_md(title)}",
        f'<p class="gk-lede">{esc(description)}{esc(note)}</p>',
        facts_table(meta),
        f'<p>The full page in Chinese, with the data preview, column profile, quality panel, sources, versions and changelog: <a href="{up}">{esc(e.meta["title"])}</a>.</p>',
        "## Downloads",
        _downloads(e, up),
        "## Data dictionary",
        *[_dictionary(t) for t in e.tables],
        "## Sources",
        "\n".join(f"- {esc_md(s.get('title'))} ({esc_md(s.get('date'))})" for s in e.meta.get("sources", [])),
        "## Cite",
        f'<p class="gk-cite"><code>{esc(e.publisher)}. {esc(title)} (version {esc(e.meta["version"])}) [dataset]. {esc(settings.site_name)}, {esc(e.modified)}. {esc(settings.url_for(f"datasets/{e.name}/"))}</code></p>',
    ]
    return "\n\n".join(parts) + "\n"


def _search_text(e: Entry) -> str:
    """What English search finds the page by: the English metadata given, else nothing new."""
    parts = [english(e.meta, "title")[0], english(e.meta, "description")[0]]
    for t in e.tables:
        parts.append(english(t.resource, "title")[0])
        parts += [f.get("title_en", "") for f in t.fields]
    return esc(" ".join(p for p in parts if p))


def _downloads(e: Entry, up: str) -> str:
    titles = {t.name: esc(english(t.resource, "title")[0]) for t in e.tables}
    rows = []
    for kind, use in USES:
        for d in [d for d in e.exported.downloads if d.kind == kind]:
            name = d.path.rsplit("/", 1)[1]
            link = f'<a href="{up}{esc(name)}">{esc(name)}</a>'
            rows.append([esc(use), titles.get(d.resource, "Whole dataset"), link, KIND_NAMES[kind], human_size(d.bytes), f"<code>{d.sha256}</code>"])
    guide = "Choose by tool: XLSX for Excel or WPS (Chinese headers, with a data-dictionary sheet); the CSV with a byte order mark when an old Excel shows garbled Chinese; CSV (UTF-8) for programs; JSON for the web. SHA-256 lets you check a file is complete and unchanged."
    return guide + "\n\n" + html_table(["Use", "Resource", "File", "Format", "Size", "SHA-256"], rows, attrs="data-search-exclude")


def _dictionary(t) -> str:
    rows = []
    for f, p in zip(t.fields, t.profiles, strict=True):
        title, _ = english(f, "title")
        description, _ = english(f, "description")
        distinct = f"more than {DISTINCT_LIMIT}" if p.distinct is None else str(p.distinct)
        rows.append(
            [
                f"<code>{esc(f['name'])}</code>",
                esc(title),
                esc(TYPE_NAMES.get(f.get("type", "string"), f.get("type"))),
                esc(unit_of(f, t.fields)),
                esc(description),
                f"{p.filled} / {t.rows}",
                distinct,
            ]
        )
    title, _ = english(t.resource, "title")
    return f"### {esc_md(title)}\n\n" + html_table(["Field", "Title", "Type", "Unit", "Description", "Non-empty", "Distinct"], rows)
