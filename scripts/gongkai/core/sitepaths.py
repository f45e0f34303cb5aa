"""Public site paths: where the build publishes every file, and which paths a repository file may name.

The layout is the one place a public path is made: the dataset page and each of its downloads,
the version folders, the catalog and list pages, the schemas' files and pages, the files at the site root.
Every writer, the URL contract and the tests ask it; no other module spells a public path. Paths are
relative POSIX paths as the build's file map holds them ("datasets/x/x.csv", no leading /); a page is its
Markdown source there ("datasets/x/index.md") and is published as its folder ("/datasets/x/", public_path).

The check of a path a repository file names is in pathcheck.py.
"""

from __future__ import annotations

import re

# --- The layout: where each public file is published -----------------------------------------

SUFFIX = {"zh": "", "en": ".en"}  # page source suffix: index.md, index.en.md (mkdocs-static-i18n), under /en/
ENGLISH = "en/"  # where the English pages are published

# Files at the site root. gongkai writes these:
CATALOG_JSON = "catalog.json"
CATALOG_SCHEMA = "catalog.schema.json"
VERSIONS_SCHEMA = "versions.schema.json"  # the schema of every dataset's versions.json
CATALOG_JSONLD = "catalog.jsonld"  # DCAT-AP
DATA_JSON = "data.json"  # DCAT-US
FEED = "feed.xml"  # Atom
CHECKSUMS = "SHA256SUMS"
URLS_JSON = "urls.json"
SITE_FILES = (CATALOG_JSON, CATALOG_SCHEMA, VERSIONS_SCHEMA, CATALOG_JSONLD, DATA_JSON, FEED, CHECKSUMS, URLS_JSON)
HOST_HEADERS, HOST_REDIRECTS = "_headers", "_redirects"  # host settings (Netlify, Cloudflare Pages): no public path
# ... and MkDocs these, beside the theme's folders:
SITEMAP, SITEMAP_GZ = "sitemap.xml", "sitemap.xml.gz"
NOT_FOUND = "404.html"
ASSETS = "assets/"  # the theme's and docs/assets/ files: not a contract

# The search index (search/): per interface language, a small meta file, the term shards, the
# documents' display data and the row values a result names, each in numbered chunks. Rebuilt
# with every build and read only by the site's own script: not a contract (no urls.lock line).
SEARCH = "search/"
SEARCH_META = "meta.json"
SEARCH_PARTS = {"terms": "t", "docs": "d", "values": "v"}  # chunk kind -> its folder


def search_folder(lang: str) -> str:
    """One language's index: search/zh/, search/en/ (the English pages query the latter)."""
    return f"{SEARCH}{lang}/"


def search_meta(lang: str) -> str:
    return search_folder(lang) + SEARCH_META


def search_chunk(lang: str, kind: str, number: int) -> str:
    """A numbered chunk of one kind (SEARCH_PARTS): search/<lang>/t/<n>.json and so on."""
    return f"{search_folder(lang)}{SEARCH_PARTS[kind]}/{number}.json"


# Folders of pages; each is published at its folder, written as its index.md.
DATASETS = "datasets/"  # the catalog page, and a folder for each dataset
TOPICS = "topics/"
PUBLISHERS = "publishers/"
QUALITY = "quality/"
CATALOG_PARTS = "catalog/"  # the catalog's older datasets in parts, catalog/<k>/ (no dataset can be so named)
SCHEMAS = "schemas/"  # the national tables' Table Schemas, as the repository's schemas/ holds them, a page each

DATAPACKAGE = "datapackage.json"  # a dataset's descriptor as published, in its folder and in each version's
# A resource's downloads, by kind: the name of its file in the dataset's folder.
RESOURCE_FILES = {
    "csv": "{}.csv",
    "csv-bom": "{}.bom.csv",
    "xlsx": "{}.xlsx",
    "json": "{}.json",
    "parquet": "{}.parquet",
}
VERSION = r"\d+\.\d+\.\d+"  # a version folder's name: MAJOR.MINOR.PATCH (history.SEMVER)
VERSIONS = "versions.json"  # every version of a dataset, for programs, in its folder (a resource may not be so named)
# The Atom feeds of a dataset's, a topic's or a publisher's versions, in its (Chinese) page's folder, by
# interface language: beside the page's other files, so a rename's redirects and a withdrawal cover them too.
# (Not feed.en.xml: the i18n plugin would move that under en/.)
FEED_FILES = {"zh": "feed.xml", "en": "feed-en.xml"}


def page_md(folder: str, lang: str = "zh") -> str:
    """The Markdown source of the page published at `folder` ("" for the home page)."""
    return f"{folder}index{SUFFIX[lang]}.md"


def home_md(lang: str = "zh") -> str:
    return page_md("", lang)


def catalog_md(lang: str = "zh") -> str:
    """Every dataset, with its filters."""
    return page_md(DATASETS, lang)


def part_page(listing: str, number: int | str) -> str:  # part k of CATALOG_PARTS, a topic or publisher: listings.py
    return f"{listing}{number}/"


def catalog_jsonld_page(number: int) -> str:
    """Page k of catalog.jsonld when the catalog is paged (catalogs/dcat.py): the first is catalog.jsonld
    itself, the others catalog/<k>.jsonld, beside the catalog's part pages."""
    return CATALOG_JSONLD if number == 1 else f"{CATALOG_PARTS}{number}.jsonld"


def topic_page(slug: str) -> str:
    return f"{TOPICS}{slug}/"


def publisher_page(slug: str) -> str:
    return f"{PUBLISHERS}{slug}/"


def topic_md(slug: str, lang: str = "zh") -> str:
    return page_md(topic_page(slug), lang)


def publisher_md(slug: str, lang: str = "zh") -> str:
    return page_md(publisher_page(slug), lang)


def dataset_page(name: str) -> str:
    """A dataset's page, and the folder of its downloads and versions: datasets/<name>/."""
    return f"{DATASETS}{name}/"


def dataset_page_md(name: str, lang: str = "zh") -> str:
    return page_md(dataset_page(name), lang)


def query_page(name: str) -> str:
    """A dataset's SQL page (DuckDB-Wasm over its Parquet files): datasets/<name>/query/."""
    return dataset_page(name) + "query/"


def query_page_md(name: str, lang: str = "zh") -> str:
    return page_md(query_page(name), lang)


QUERY_ENGINE = ASSETS + "duckdb/"  # DuckDB-Wasm's module, workers and wasm, once for the site (not a contract)


def resource_file(resource: str, kind: str) -> str:
    """The name of a resource's download of one kind (RESOURCE_FILES) in the dataset's folder."""
    return RESOURCE_FILES[kind].format(resource)


def schema_page(file: str) -> str:  # a schema's page, beside its file: schemas/x/t.json -> schemas/x/t/
    return file.removesuffix(".json") + "/"


def chart_file(view: str) -> str:
    """A view's chart, drawn to SVG, in the dataset's folder."""
    return f"{view}.svg"


def zip_file(name: str) -> str:
    """The whole dataset as in the repository, with its published descriptor."""
    return f"{name}.zip"


def dataset_file(name: str, file: str) -> str:
    """A file in the dataset's folder (resource_file, chart_file, DATAPACKAGE, zip_file)."""
    return dataset_page(name) + file


def in_version(version: str, file: str) -> str:
    """A version's file relative to the dataset's folder, as its page links it: <version>/<file>."""
    return f"{version}/{file}"


def version_folder(name: str, version: str) -> str:
    """A version's files, published once and never changed: datasets/<name>/<version>/."""
    return dataset_page(name) + in_version(version, "")


def version_file(name: str, version: str, file: str) -> str:
    """A file of a version: each resource's CSV (resource_file), DATAPACKAGE, version_zip_file."""
    return dataset_page(name) + in_version(version, file)


def version_zip_file(name: str, version: str) -> str:
    return f"{name}-{version}.zip"


BLOBS = "blobs/sha256/"  # the download store (`downloads` in gongkai.yml, core/blobstore.py)


def blob_key(sha256: str, name: str) -> str:
    """A file in the download store: under its SHA-256, in a folder that keeps its name (a reader saves streets.csv)."""
    return f"{BLOBS}{sha256[:2]}/{sha256}/{name}"


def versions_index(name: str) -> str:
    """Every version of a dataset with its files and changes, for programs: datasets/<name>/versions.json."""
    return dataset_file(name, VERSIONS)


def feed_of(page: str, lang: str = "zh") -> str:
    """The Atom feed of the versions a page lists (dataset_page, topic_page, publisher_page), with
    its titles and summaries in one interface language: <page>feed.xml, <page>feed-en.xml."""
    return page + FEED_FILES[lang]


def public_path(rel: str) -> str:
    """The /-rooted path at which the site publishes a file-map path: a page's Markdown source is
    its folder (a.md and a/index.md are /a/; a.en.md is /en/a/), any other file itself."""
    if not rel.endswith(".md"):
        return "/" + rel
    page = rel[: -len(".md")]
    english = page.endswith(SUFFIX["en"])
    page = page[: -len(SUFFIX["en"])] if english else page
    page = page[: -len("index")] if page == "index" or page.endswith("/index") else page + "/"
    return "/" + (ENGLISH if english else "") + page


def english_page(path: str) -> str:
    """The English page of a /-rooted page path."""
    return "/" + ENGLISH + path[1:]


# What is published where, for kind_of(): each kind's paths, made by the functions above from
# placeholders that stand for any name and any version.
_NAME, _VERSION, _NUMBER, _ANY = "\x00", "\x01", "\x02", "\x03"
_PAGE_FOLDERS = (
    "",
    DATASETS,
    TOPICS,
    PUBLISHERS,
    *(f(_NAME) for f in (dataset_page, query_page, topic_page, publisher_page)),
    *(part_page(f, _NUMBER) for f in (CATALOG_PARTS, topic_page(_NAME), publisher_page(_NAME))),
)
_LAYOUT = {
    "page": [
        *(page_md(folder, lang) for folder in _PAGE_FOLDERS for lang in SUFFIX),
        page_md(QUALITY),
    ],
    "versions": [  # before "download": versions.json is no resource's JSON
        versions_index(_NAME),
        *(feed_of(page(_NAME), lang) for page in (dataset_page, topic_page, publisher_page) for lang in SUFFIX),
    ],
    "download": [
        *(dataset_file(_NAME, resource_file(_NAME, kind)) for kind in RESOURCE_FILES),
        *(dataset_file(_NAME, f) for f in (chart_file(_NAME), DATAPACKAGE, zip_file(_NAME))),
    ],
    # a version's Parquet: its values never change, its bytes may with the writer (pyarrow), so not hash-locked
    "version-parquet": [version_file(_NAME, _VERSION, resource_file(_NAME, "parquet"))],
    "version": [version_file(_NAME, _VERSION, _NAME)],  # any other file in a version folder: never to change
    "site": [*SITE_FILES, HOST_HEADERS, HOST_REDIRECTS, CATALOG_PARTS + _NUMBER + ".jsonld"],
    "schema": [SCHEMAS + _NAME + "/" + _ANY, *(page_md(SCHEMAS, lang) for lang in SUFFIX)],  # files, pages, index
    "search": [
        *(search_meta(lang) for lang in SUFFIX),
        *(search_folder(lang) + part + "/" + _NUMBER + ".json" for lang in SUFFIX for part in SEARCH_PARTS.values()),
    ],
}


def _pattern(paths: list[str]) -> re.Pattern[str]:
    holes = {_NAME: "[^/]+", _VERSION: VERSION, _NUMBER: "[0-9]+", _ANY: ".+"}
    shapes = (re.sub("[\x00-\x03]", lambda m: holes[m.group()], re.escape(p)) for p in paths)
    return re.compile("|".join(f"(?:{s})" for s in shapes))


_KINDS = {kind: _pattern(paths) for kind, paths in _LAYOUT.items()}


def kind_of(path: str) -> str | None:
    """What the layout publishes at a file-map path: "page" (a generated page's source),
    "download", "version" (a published version's file), "version-parquet" (a version's Parquet),
    "versions" (a dataset's version index, the feeds of versions), "site" (a file at the root),
    "search" (the search index's files); None for a path the layout does not make (a hand-written
    page, a redirect)."""
    return next((k for k, pattern in _KINDS.items() if pattern.fullmatch(path)), None)


def is_versioned(path: str) -> bool:
    """Whether a site path (/-rooted or not) is a file of a published version: never to change."""
    return kind_of(path.strip("/")) == "version"


def in_version_folder(path: str) -> bool:
    """Whether a site path is any file of a published version, its Parquet included."""
    return kind_of(path.strip("/")) in ("version", "version-parquet")
