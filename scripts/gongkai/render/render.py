"""Markdown pages from the catalog. Pure: data in, {page path: Markdown} out, no I/O.

Untrusted text goes through markup.esc (HTML blocks) or markup.esc_md (inline Markdown).
Links between pages are Markdown links to .md files, so `mkdocs build --strict` checks them.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from urllib.parse import quote, urlencode

from ..catalogs.catalog import Entry, by_modified, used_publishers, used_topics, with_publisher, with_topic
from ..catalogs.structured import dataset_jsonld
from ..core.config import Settings
from ..read.columnprofile import DISTINCT_LIMIT
from ..read.fields import constraints_text, unit_of
from .markup import esc, esc_md, facts_table, front_matter, html_table, human_size, md_table, rich_text

TYPE_NAMES = {
    "string": "文本",
    "integer": "整数",
    "number": "数值",
    "date": "日期",
    "datetime": "日期时间",
    "boolean": "布尔",
    "year": "年份",
    "yearmonth": "年月",
    "time": "时间",
}
KIND_NAMES = {
    "csv": "CSV（UTF-8）",
    "csv-bom": "CSV（UTF-8，带 BOM）",
    "xlsx": "Excel（XLSX）",
    "json": "JSON",
    "datapackage": "元数据 datapackage.json",
    "zip": "整包下载（ZIP）",
}


def render_site(entries: list, settings: Settings, dashboard: Dashboard | None = None) -> dict[str, str]:
    """Home, catalog, topic and publisher pages from dataset summaries (dataset pages: render_dataset)."""
    pages = {
        "index.md": render_home(entries, settings, dashboard),
        "datasets/index.md": render_catalog(entries, settings),
        "topics/index.md": render_topic_index(entries, settings),
        "publishers/index.md": render_publisher_index(entries, settings),
    }
    for topic in used_topics(entries, settings):
        pages[f"topics/{topic.slug}/index.md"] = _listing_page(f"主题：{topic.name}", with_topic(entries, topic.name), settings, depth=2)
    for pub in used_publishers(entries, settings):
        pages[f"publishers/{pub.slug}/index.md"] = _listing_page(f"发布机构：{pub.name}", with_publisher(entries, pub.name), settings, depth=2)
    return pages


# --- home, catalog, listings ----------------------------------------------------------------


@dataclass
class Dashboard:
    """The home page's headline figures and charts (gongkai.yml `home`), read by build.py."""

    dataset: str = ""  # the headline resource's dataset
    title: str = ""
    source: str = ""  # its first source: title and date
    figures: list[dict] = field(default_factory=list)  # its rows, as text
    charts: list[tuple[str, dict, tuple[int, int]]] = field(default_factory=list)  # (dataset, view, (width, height))


def _dashboard(d: Dashboard | None) -> list[str]:
    if d is None or not (d.figures or d.charts):
        return []
    parts = []
    if d.figures:
        tiles = []
        for row in d.figures:
            value = row["value"]
            shown = f"{int(value):,}" if value.isdigit() else value
            quote = f'<span class="gk-tile-quote">原文：“{esc(row["quote"])}”</span>' if row.get("quote") else ""
            period = f"{esc(row['period_label'])} · " if row.get("period_label") else ""
            tiles.append(
                f'<div class="gk-tile"><strong>{esc(row.get("qualifier", ""))}{esc(shown)}<small> {esc(row.get("unit", ""))}</small></strong>'
                f"<span>{period}{esc(row['indicator'])}</span>{quote}</div>"
            )
        parts += [
            "## 主要数字",
            '<div class="gk-tiles">\n' + "\n".join(tiles) + "\n</div>",
            f"数字和原文出自数据集[{esc_md(d.title)}](datasets/{d.dataset}/index.md)（来源：{esc_md(d.source)}），每个数字都可以在那里下载并核对原文所在段落。",
        ]
    for dataset, view, size in d.charts:
        parts.append(_figure(view, f"datasets/{dataset}/", size, f'数据：<a href="datasets/{dataset}/">{esc(dataset)}</a>'))
    return parts


def render_home(entries: list[Entry], settings: Settings, dashboard: Dashboard | None = None) -> str:
    rows = sum(e.rows for e in entries)
    latest = by_modified(entries)[:5]
    topics = used_topics(entries, settings)
    parts = [
        f"# {esc_md(settings.site_name)}",
        f'<p class="gk-lede">{esc(settings.site_description)}</p>',
        f'<div class="gk-stats">\n<div><strong>{len(entries)}</strong> 个数据集</div>\n'
        f"<div><strong>{rows}</strong> 行数据</div>\n"
        f"<div><strong>{len(used_publishers(entries, settings))}</strong> 个发布机构</div>\n</div>",
        *_dashboard(dashboard),
        "## 最近更新",
        "\n".join(f"- [{esc_md(e.title)}](datasets/{e.name}/index.md)（{e.modified}）" for e in latest),
        "[查看全部数据集](datasets/index.md)",
        "## 主题",
        "\n".join(f"- [{esc_md(t.name)}](topics/{t.slug}/index.md)（{len(with_topic(entries, t.name))}）" for t in topics),
        "## 关于本站",
        f"<p>{esc(settings.operator_note)}</p>",
        "[关于本站与数据政策](about.md)",
    ]
    return "\n\n".join(parts) + "\n"


# The catalog's filters: (URL parameter, label, the values of a dataset).
FACETS = (
    ("topic", "主题", lambda e: list(e.topics)),
    ("publisher", "发布机构", lambda e: [e.publisher]),
    ("frequency", "更新频率", lambda e: [e.meta.get("update_frequency", "")]),
    ("format", "格式", lambda e: list(e.formats)),
    ("year", "更新年份", lambda e: [e.modified[:4]]),
)


def render_catalog(entries: list[Entry], settings: Settings) -> str:
    """Every dataset, newest first, in plain HTML; with JavaScript (assets/catalog.js) the
    filters narrow the list, show counts and keep the choice in the URL (?topic=…&year=…)."""
    ordered = by_modified(entries)
    controls = []
    for key, label, values in FACETS:
        counts: dict[str, int] = {}
        for e in ordered:
            for v in values(e):
                counts[v] = counts.get(v, 0) + 1
        keys = sorted(counts, reverse=True) if key == "year" else sorted(counts, key=lambda v: (-counts[v], v))
        options = [f'<option value="">全部（{len(ordered)}）</option>'] + [f'<option value="{esc(v)}">{esc(v)}（{counts[v]}）</option>' for v in keys]
        controls.append(f'<label>{label} <select name="{key}" data-facet="{key}">{"".join(options)}</select></label>')
    controls.append('<label>排序 <select name="sort"><option value="modified">最后更新（新→旧）</option><option value="title">名称</option></select></label>')
    rows = []
    for e in ordered:
        data = " ".join(f'data-{key}="{esc(chr(31).join(values(e)))}"' for key, _, values in FACETS)
        topics = "、".join(esc(t) for t in e.topics)
        rows.append(
            f'<tr {data} data-modified="{esc(e.modified)}" data-title="{esc(e.title)}">'
            f'<td><a href="{e.name}/">{esc(e.title)}</a></td><td>{esc(e.publisher)}</td><td>{topics}</td>'
            f"<td>{esc(e.modified)}</td><td>{esc(' '.join(e.formats))}</td></tr>"
        )
    table = (
        '<div class="gk-table" tabindex="0">\n<table class="gk-catalog-list">\n<thead><tr><th>数据集</th><th>发布机构</th><th>主题</th><th>最后更新</th><th>格式</th></tr></thead>\n<tbody>\n'
        + "\n".join(rows)
        + "\n</tbody>\n</table>\n</div>"
    )
    form = (
        f'<form class="gk-filters" data-search-exclude>\n{" ".join(controls)}\n<p class="gk-count" aria-live="polite">共 {len(ordered)} 个数据集</p>\n</form>'
    )
    intro = f"共 {len(entries)} 个数据集，按最后更新时间排列。也可以[按主题](../topics/index.md)或[按发布机构](../publishers/index.md)浏览；选择下面的条件筛选，筛选条件会写在网址中，可以直接分享。"
    return "\n\n".join(["# 全部数据集", intro, f'<div class="gk-catalog">\n{form}\n\n{table}\n</div>']) + "\n"


def _catalog_row(e: Entry, settings: Settings, prefix: str) -> list[str]:
    topics = "、".join(f"[{esc_md(t)}]({prefix}../topics/{settings.topic(t).slug}/index.md)" for t in e.topics)
    pub = settings.publisher(e.publisher)
    return [
        f"[{esc_md(e.title)}]({prefix}{e.name}/index.md)",
        f"[{esc_md(e.publisher)}]({prefix}../publishers/{pub.slug}/index.md)",
        topics,
        e.modified,
        " ".join(e.formats),
    ]


def render_topic_index(entries: list[Entry], settings: Settings) -> str:
    items = [f"- [{esc_md(t.name)}]({t.slug}/index.md)（{len(with_topic(entries, t.name))} 个数据集）" for t in used_topics(entries, settings)]
    return "# 主题\n\n" + ("\n".join(items) or "暂无数据集。") + "\n"


def render_publisher_index(entries: list[Entry], settings: Settings) -> str:
    items = [f"- [{esc_md(p.name)}]({p.slug}/index.md)（{len(with_publisher(entries, p.name))} 个数据集）" for p in used_publishers(entries, settings)]
    return "# 发布机构\n\n" + ("\n".join(items) or "暂无数据集。") + "\n"


def _listing_page(title: str, entries: list[Entry], settings: Settings, depth: int) -> str:
    up = "../" * depth
    header = ["数据集", "发布机构", "主题", "最后更新", "格式"]
    rows = [_catalog_row(e, settings, prefix=f"{up}datasets/") for e in by_modified(entries)]
    return f"# {esc_md(title)}\n\n共 {len(entries)} 个数据集。\n\n{md_table(header, rows)}\n"


# --- the dataset page -----------------------------------------------------------------------

# Where the quality panel goes: it is judged at the date of the commit being built, so it is
# filled in for every build (build.py) while the rest of the page comes from the cache.
QUALITY_SLOT = "<!-- gongkai:quality -->"

# Sections the same on every dataset page (downloads, preview rows, snippets, licence, changelog,
# citation) stay out of the search index: it holds what tells datasets apart, so it stays small.
UNSEARCHED = " { data-search-exclude }"


def render_dataset(e: Entry, settings: Settings) -> str:
    parts = [
        _front_matter(e, settings),
        f"# {esc_md(e.title)}",
        f'<p class="gk-lede">{esc(e.meta["description"])}</p>',
        _metadata_table(e, settings),
        _report_problem(e, settings),
        "## 下载" + UNSEARCHED,
        _downloads(e),
        QUALITY_SLOT,
        *(["## 图表" + UNSEARCHED, *[_chart(e, view) for view in e.meta["views"]]] if e.meta.get("views") else []),
        *(["## 统计" + UNSEARCHED, *[_crosstab(e, spec) for spec in e.meta["crosstabs"]]] if e.meta.get("crosstabs") else []),
        "## 数据字典",
        *[_dictionary(e, t) for t in e.tables],
        "## 数据预览" + UNSEARCHED,
        *[_preview(t, settings) for t in e.tables],
        "## 使用示例" + UNSEARCHED,
        _snippets(e, settings),
        "## 来源",
        _sources(e),
        "## 说明",
        f'<div class="gk-readme">\n{rich_text(e.readme)}\n</div>',
        "## 许可" + UNSEARCHED,
        _licenses(e),
        "## 更新记录" + UNSEARCHED,
        f'<div class="gk-changelog">\n{rich_text(_strip_title(e.changelog))}\n</div>',
        "## 引用" + UNSEARCHED,
        _citation(e, settings),
    ]
    return "\n\n".join(parts) + "\n"


def _front_matter(e: Entry, settings: Settings) -> str:
    # Search tags: Material indexes tags as whole words, while jieba splits the page text
    # into short ones, so 新闻发布会 (a keyword) and 新闻 (in the text) both find the page.
    # The page itself is left out of Material's indexing (it would parse every table of it);
    # mkdocs_hook adds one entry built from gongkai_search: what tells datasets apart.
    tags = list(dict.fromkeys([*e.meta.get("keywords", []), *e.topics]))
    # gongkai_jsonld: schema.org Dataset for search engines; overrides/main.html puts it in the head.
    return front_matter(
        {"tags": tags, "search": {"exclude": True}, "gongkai_search": search_text(e), "gongkai_jsonld": dataset_jsonld(e, settings)}
    )


def search_text(e: Entry) -> str:
    """The searchable text of a dataset, as escaped HTML: description, publisher, topics,
    each resource with its fields (name, title, unit, description), and the sources. No rows."""
    parts = [esc(e.meta["description"]), esc(e.publisher), esc(" ".join(e.topics))]
    for t in e.tables:
        fields = [" ".join(str(x) for x in (f["name"], f.get("title", ""), unit_of(f, t.fields), f.get("description", "")) if x) for f in t.fields]
        parts.append(f"<p>{esc(t.resource.get('title', t.name))}：{esc('；'.join(fields))}</p>")
    parts += [esc(s.get("title", "")) for s in e.meta.get("sources", []) if isinstance(s, dict)]
    return " ".join(p for p in parts if p)


def _metadata_table(e: Entry, settings: Settings) -> str:
    m = e.meta
    maintainers = [c for c in m.get("contributors", []) if c.get("role") == "maintainer"]
    rows = [
        ("发布机构", esc(e.publisher)),
        ("主题", esc("、".join(e.topics))),
        ("关键词", esc("、".join(m.get("keywords", [])))),
        ("更新频率", esc(m.get("update_frequency"))),
        ("开放类型", esc(m.get("open_type"))),
        ("版本", esc(m.get("version"))),
        ("最后更新", esc(m.get("modified"))),
        ("首次发布", esc(str(m.get("created", ""))[:10])),
        *([("数据时点", esc(m["vintage"]) + (f"<br>{esc(m['vintage_note'])}" if m.get("vintage_note") else ""))] if m.get("vintage") else []),
        ("数据量", f"{e.rows} 行，{len(e.tables)} 个资源"),
        ("标识符", f"<code>{esc(m.get('id'))}</code>"),
        ("维护者", "；".join(_contact(c) for c in maintainers)),
    ]
    # Left out of the search index: keywords and topics are indexed as tags, the rest is not searched for.
    return facts_table(rows)


def report_problem_url(e: Entry, settings: Settings) -> str:
    """A new issue in the site's repository with the dataset, version and page filled in."""
    page = settings.url_for(f"datasets/{e.name}/")
    title = f"[纠错] {e.title}（{e.name} {e.meta['version']}）"
    body = f"数据集：{e.title}\n名称：{e.name}\n版本：{e.meta['version']}\n页面：{page}\n\n哪里有问题（文件、行、字段）：\n\n应当是什么（请附来源）：\n"
    return f"{settings.repository}/issues/new?" + urlencode({"title": title, "body": body}, quote_via=quote)


def _report_problem(e: Entry, settings: Settings) -> str:
    if not settings.repository:
        return ""
    link = esc(report_problem_url(e, settings))
    return f'<p class="gk-report">发现数据有误？<a href="{link}" rel="nofollow noopener">纠错 / 报告问题</a>（在本站的代码仓库中提交，已填好数据集和版本）</p>'


def _contact(c: dict) -> str:
    link = f"mailto:{c['email']}" if c.get("email") else c.get("path", "")
    if link.startswith(("https://", "http://", "mailto:")):
        return f'<a href="{esc(link)}" rel="nofollow noopener">{esc(c.get("title"))}</a>'
    return esc(c.get("title"))


# Which file for which tool, in the order people look for them.
USES = (
    ("xlsx", "Excel、WPS 表格"),
    ("csv-bom", "旧版 Excel（打开 CSV 时中文乱码）"),
    ("csv", "编程、数据库、统计软件（UTF-8）"),
    ("json", "网页开发"),
    ("datapackage", "元数据和表结构（Frictionless）"),
    ("zip", "整个数据集（含说明和更新记录）"),
)


def _downloads(e: Entry) -> str:
    # An HTML table left out of the search index: hashes and file names are not what people search.
    titles = {t.name: esc(t.resource.get("title", t.name)) for t in e.tables}
    rows = []
    for kind, use in USES:
        for d in [d for d in e.exported.downloads if d.kind == kind]:
            what = titles.get(d.resource, "整个数据集")
            rows.append([esc(use), what, _file_link(d.path), KIND_NAMES[d.kind], human_size(d.bytes), f"<code>{d.sha256}</code>"])
        if kind == "xlsx":
            for t in e.tables:
                notice = e.exported.notices.get(f"{t.name}.xlsx")
                if notice:
                    rows.append([esc(use), titles[t.name], "—", KIND_NAMES["xlsx"], "未生成", esc(notice)])
    guide = (
        "按用途选择文件：Excel 或 WPS 用户请下载 XLSX（中文表头，另有“数据字典”工作表）；"
        "旧版 Excel 直接打开 CSV 时中文乱码，请下载带 BOM 的 CSV（内容与 CSV 完全相同，只在开头多 3 个字节）；"
        "编程使用请下载 CSV（UTF-8 编码）；网页开发可用 JSON。SHA-256 用于核对文件是否完整、是否被改动。"
    )
    table = html_table(["适用于", "资源", "文件", "格式", "大小", "SHA-256"], rows, attrs="data-search-exclude")
    return guide + "\n\n" + table + _download_notes(e)


def _chart(e: Entry, view: dict) -> str:
    """A chart drawn at build time from the dataset's own rows, with its words and its data."""
    resource = view["resources"][0]
    files = "、".join(f'<a href="{esc(resource)}.{kind}">{esc(resource)}.{kind}</a>' for kind in ("csv", "xlsx") if e.downloads(resource=resource, kind=kind))
    return _figure(view, "", e.exported.charts.get(view["name"], (0, 0)), f"{esc(view['description'])} 图表数据：{files}")


def _figure(view: dict, folder: str, size: tuple[int, int], caption: str) -> str:
    """A chart's SVG (in `folder`, relative to the page) with its alt text and caption (HTML)."""
    width, height = size
    dims = f' width="{width}" height="{height}"' if width else ""
    return (
        f'<figure class="gk-chart">\n<img src="{folder}{esc(view["name"])}.svg" alt="{esc(view["description"])}"{dims} loading="lazy">\n'
        f"<figcaption>{esc(view['title'])}。{caption}</figcaption>\n</figure>"
    )


def _file_link(path: str) -> str:
    name = path.rsplit("/", 1)[1]
    return f'<a href="{esc(name)}">{esc(name)}</a>'


def _download_notes(e: Entry) -> str:
    """What a reader should know before opening the files in a spreadsheet."""
    notes = []
    for t in e.tables:
        title = esc(t.resource.get("title", t.name))
        formulas = sum(count for count, _ in t.formulas.values())
        if formulas:
            notes.append(f"{title}：{formulas} 个单元格以 = + - @ 等字符开头。XLSX 中保存为文本，不会被当作公式执行；用其他软件导入 CSV 时请按文本导入。")
        text_numbers = e.exported.text_numbers.get(t.name)
        if text_numbers:
            notes.append(f"{title}：{text_numbers} 个数值 Excel 无法原样保存（超过 15 位有效数字，或超出 Excel 的数值范围），XLSX 中以文本保存，以免被截断或改变。")
    if not notes:
        return ""
    return '\n\n<ul class="gk-notes">\n' + "\n".join(f"<li>{n}</li>" for n in notes) + "\n</ul>"


def _crosstab(e: Entry, spec: dict) -> str:
    """Counts of rows by one field against another, with totals, computed from the data."""
    table = next(t for t in e.tables if t.name == spec["resource"])
    titles = {f["name"]: f.get("title") or f["name"] for f in table.fields}
    tab = table.crosstabs[(spec["rows"], spec["columns"])]
    counts, columns = tab.counts, list(tab.columns)
    header = [esc(f"{titles[spec['rows']]} \\ {titles[spec['columns']]}"), *map(esc, columns), "合计"]
    body = [[esc(key), *(str(counts[key].get(col, 0)) for col in columns), str(sum(counts[key].values()))] for key in counts]
    totals = [sum(counts[k].get(col, 0) for k in counts) for col in columns]
    body.append(["<strong>合计</strong>", *(f"<strong>{n}</strong>" for n in totals), f"<strong>{sum(totals)}</strong>"])
    return f"### {esc_md(spec['title'])}{UNSEARCHED}\n\n" + html_table(header, body, attrs="data-search-exclude")


def _dictionary(e: Entry, t) -> str:
    rows = []
    for f in t.fields:
        rows.append(
            [
                f"<code>{esc(f['name'])}</code>",
                esc(f.get("title", "")),
                esc(TYPE_NAMES.get(f.get("type", "string"), f.get("type"))),
                esc(unit_of(f, t.fields)),
                esc(f.get("description", "")),
                esc(constraints_text(f)),
            ]
        )
    pk = t.resource["schema"].get("primaryKey")
    key = f"<p>主键：<code>{esc(', '.join(pk) if isinstance(pk, list) else pk)}</code></p>\n\n" if pk else ""
    definitions = html_table(["字段名", "中文名", "类型", "单位", "说明", "约束"], rows)
    return f"### {esc_md(t.resource.get('title', t.name))}\n\n{key}{definitions}\n\n{_profile(t)}"


def _values(items: list[str]) -> str:
    """Cell values as a list (a value may itself contain any separator)."""
    return '<ul class="gk-values">' + "".join(f"<li>{i}</li>" for i in items) + "</ul>" if items else "—"


def _profile(t) -> str:
    """Each column as the data show it (columnprofile.py), computed when the site was built."""
    rows = []
    for p in t.profiles:
        if p.distinct is None:
            distinct = f"超过 {DISTINCT_LIMIT}"
        else:
            distinct = str(p.distinct)
        if p.filled and p.distinct == p.filled:
            frequent = "各不相同"
        else:
            frequent = _values([f"{esc(v)}（{n}）" for v, n in p.frequent()])
        rows.append(
            [
                f"<code>{esc(p.name)}</code>",
                f"{p.filled} / {t.rows}",
                distinct,
                esc(p.low) if p.low is not None else "—",
                esc(p.high) if p.high is not None else "—",
                frequent,
                _values([esc(v) for v in p.examples]),
            ]
        )
    intro = f'<p class="gk-profile-note">各列概况（构建时根据全部 {t.rows} 行计算；不同值最多精确计数到 {DISTINCT_LIMIT}）：</p>'
    return intro + "\n\n" + html_table(["字段名", "非空", "不同值", "最小值", "最大值", "最常见的值（行数）", "示例"], rows, attrs="data-search-exclude")


def _preview(t, settings: Settings) -> str:
    n = settings.limits.preview_rows
    shown = t.preview[:n]
    header = [esc(f.get("title") or f["name"]) for f in t.fields]
    rows = [[esc(c) for c in row] for row in shown]
    note = f"前 {len(shown)} 行，共 {t.rows} 行。" if t.rows > n else f"全部 {t.rows} 行。"
    return f"### {esc_md(t.resource.get('title', t.name))}{UNSEARCHED}\n\n{note}\n\n" + html_table(header, rows, attrs="data-search-exclude")


def _snippets(e: Entry, settings: Settings) -> str:
    t = e.tables[0]
    csv_url = settings.url_for(f"datasets/{e.name}/{t.name}.csv")
    pkg_url = settings.url_for(f"datasets/{e.name}/datapackage.json")
    dtypes = ", ".join(f'"{f["name"]}": "string"' for f in t.fields if f.get("type", "string") == "string")
    blocks = [
        (
            "用 pandas 读取（文本字段按文本读取，保留前导零，不把“NA”等当作空值）：",
            "python",
            f'import pandas as pd\n\ndf = pd.read_csv(\n    "{csv_url}",\n    dtype={{{dtypes}}},\n    keep_default_na=False,\n    na_values=[""],\n)',
        ),
        ("用 curl 下载并核对 SHA-256：", "bash", f"curl -fLO {csv_url}\nsha256sum {t.name}.csv"),
        ("用 frictionless 读取整个数据包（含字段类型）：", "python", f'from frictionless import Package\n\npackage = Package("{pkg_url}")'),
    ]
    # Raw HTML, left out of the search index; code is escaped like any other text.
    parts = [f'<p>{esc(intro)}</p>\n<pre><code class="language-{lang}">{html.escape(code)}</code></pre>' for intro, lang, code in blocks]
    return '<div class="gk-snippets" data-search-exclude>\n' + "\n".join(parts) + "\n</div>"


def _sources(e: Entry) -> str:
    items = []
    for s in e.meta.get("sources", []):
        title = esc(s.get("title"))
        if str(s.get("path", "")).startswith(("https://", "http://")):
            title = f'<a href="{esc(s["path"])}" rel="nofollow noopener">{title}</a>'
        detail = f"<br>{esc(s['citation'])}" if s.get("citation") else ""
        items.append(f"<li>{title}（{esc(s.get('date'))}）{detail}</li>")
    return '<ul class="gk-sources">\n' + "\n".join(items) + "\n</ul>"


def _licenses(e: Entry) -> str:
    items = [
        f'<li><a href="{esc(lic["path"])}" rel="nofollow noopener">{esc(lic.get("title") or lic.get("name"))}</a></li>' for lic in e.meta.get("licenses", [])
    ]
    return "<ul>\n" + "\n".join(items) + "\n</ul>"


def _citation(e: Entry, settings: Settings) -> str:
    url = settings.url_for(f"datasets/{e.name}/")
    m = e.meta
    text = f"{e.publisher}. {e.title}（版本 {m['version']}）[数据集]. {settings.site_name}, {m['modified']}. {url}"
    return f'<p class="gk-cite" data-search-exclude><code>{esc(text)}</code></p>'


def _strip_title(markdown_text: str) -> str:
    # The changelog's own "# 更新记录" title would duplicate the section heading.
    lines = markdown_text.splitlines()
    if lines and lines[0].startswith("# "):
        lines = lines[1:]
    return "\n".join(lines).replace("\n## ", "\n### ")


# --- versions ------------------------------------------------------------------------------

VERSION_HEADING = re.compile(r"^## (\d+\.\d+\.\d+) — (\d{4}-\d{2}-\d{2})\s*$")


def render_versions(name: str, versions, meta: dict, changelog: str, changes: dict[str, str] | None = None) -> str:
    """The page's list of published versions: each with its date, changelog entry, what it
    changed from the version before (diff.py) and its files, at URLs that never change."""
    notes = _changelog_entries(changelog)
    changes = dict(changes or {})
    if versions and list(notes) and versions[-1].version != list(notes)[-1]:
        changes.pop(versions[-1].version, None)  # older versions are not in this copy's history: no "first"
    resources = [r["name"] for r in meta["resources"]]
    rows = []
    for v in versions:
        date, note = notes.get(v.version, (v.date, ""))
        links = [f'<a href="{esc(v.version)}/{esc(r)}.csv">{esc(r)}.csv</a>' for r in resources]
        links += [f'<a href="{esc(v.version)}/datapackage.json">datapackage.json</a>', f'<a href="{esc(v.version)}/{esc(name)}-{esc(v.version)}.zip">zip</a>']
        latest = "（当前）" if v.commit is None else ""
        rows.append([f"<code>{esc(v.version)}</code>{latest}", esc(date), esc(note), esc(changes.get(v.version, "")), " ".join(links)])
    intro = "每个版本的文件放在固定的网址下，发布后不再改变，可以在代码中长期引用；XLSX 和 JSON 只提供当前版本。“与上一版本相比”由构建时逐行比较两个版本的数据得出（有主键时按主键）。"
    table = html_table(["版本", "日期", "说明", "与上一版本相比", "文件（不会改变）"], rows, attrs="data-search-exclude")
    return f"\n## 版本{UNSEARCHED}\n\n{intro}\n\n{table}\n"


def _changelog_entries(text: str) -> dict[str, tuple[str, str]]:
    """version -> (date, the entry's text as one line) from CHANGELOG.md."""
    entries: dict[str, tuple[str, list[str]]] = {}
    current = None
    for line in text.splitlines():
        m = VERSION_HEADING.match(line)
        if m:
            current = m.group(1)
            entries[current] = (m.group(2), [])
        elif line.startswith("## "):
            current = None
        elif current and line.strip():
            entries[current][1].append(line.strip())
    return {v: (date, " ".join(lines)) for v, (date, lines) in entries.items()}


# --- quality ----------------------------------------------------------------------------------

QUALITY_INTRO = (
    "按开放数据评估通常检查的几个方面打分（参照复旦大学《中国地方政府数据开放报告》“开放数林”的数据层指标和“五星开放数据”）："
    "开放许可、机器可读、表结构描述、来源、完整性（空单元格的比例）和及时性（按声明的更新频率，以构建所用提交的日期 {as_of} 为准）。"
    "每项 0—100 分，不适用的项不计入总分。"
)


def render_quality_panel(criteria, total: int, as_of: str) -> str:
    rows = [[esc(c.title), "不适用" if c.score is None else str(c.score), esc(c.why)] for c in criteria]
    table = html_table(["方面", "得分", "说明"], rows, attrs="data-search-exclude")
    return f"## 数据质量{UNSEARCHED}\n\n<p>总分 <strong>{total}</strong> / 100（各项的平均）。{esc(QUALITY_INTRO.format(as_of=as_of))}[全部数据集的质量](../../quality/index.md)</p>\n\n{table}"


def render_quality_page(assessed: list, as_of: str) -> str:
    """assessed: (summary, criteria, total) per dataset, best first."""
    keys = [c.title for c in assessed[0][1]] if assessed else []
    rows = []
    for s, criteria, total in assessed:
        cells = ["不适用" if c.score is None else str(c.score) for c in criteria]
        rows.append([f"[{esc_md(s.title)}](../datasets/{s.name}/index.md)", f"**{total}**", *cells])
    lowest = [(s, c) for s, criteria, _ in assessed for c in criteria if c.score is not None and c.score < 100]
    notes = "\n".join(f"- [{esc_md(s.title)}](../datasets/{s.name}/index.md)：{esc_md(c.title)} {c.score} 分。{esc_md(c.why)}" for s, c in lowest)
    parts = [
        "# 数据质量",
        esc_md(QUALITY_INTRO.format(as_of=as_of)),
        md_table(["数据集", "总分", *keys], rows) if rows else "暂无数据集。",
        "## 扣分的原因",
        notes or "没有扣分项。",
    ]
    return "\n\n".join(parts) + "\n"
