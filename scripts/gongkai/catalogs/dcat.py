"""/catalog.jsonld: the catalog in DCAT-AP 3.0.1 (JSON-LD), for harvesters of European-style portals.

Built from the same summaries as catalog.json. The context is inline, so no processor has to
fetch anything to read it. It passes the DCAT-AP 3.0.1 SHACL shapes and their range shapes (the
ones data.europa.eu runs; tests/test_dcat.py): every value that the range shapes give a class
carries that type (a licence is a dct:LicenseDocument, a media type a dct:MediaType, a landing
page a foaf:Document), and the recommended properties are there wherever the descriptors or
gongkai.yml hold them: format (the EU file-type vocabulary), data period, place, topics as
themes, contact point, publishers by their own URL, English titles and keywords, and every version
(dcat:hasVersion, dcat:version, dcat:previousVersion) at its permanent folder URL.

A catalog of more than PART (100) datasets is paged as DCAT-AP harvesters expect (ckanext-dcat
also gives 100 a page): the datasets in the order they were first published, each hundred a page,
the first catalog.jsonld itself, the others catalog/<k>.jsonld, as the catalog's HTML parts
(render/listings.py), so a page keeps its datasets as new ones are published and its address can be
locked. Each page is the whole catalog's description with its page's datasets, plus a
hydra:PagedCollection (hydra:view) giving the total and the first, last, next and previous pages.
At 10,000 datasets one file would be about 150 MB, over GitHub Pages' 100 MB and Cloudflare
Pages' 25 MB a file; a page is about 1.5 MB.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence

from ..core import sitepaths
from ..core.config import Settings
from ..export.downloads import DATA_KINDS, MEDIA_TYPES, Download
from ..read.period import period_or_none
from ..render.catalog import Summary, by_modified, english
from ..render.listings import PART, parts

CONTEXT = {
    "dcat": "http://www.w3.org/ns/dcat#",
    "dcatap": "http://data.europa.eu/r5r/",
    "dct": "http://purl.org/dc/terms/",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "locn": "http://www.w3.org/ns/locn#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "spdx": "http://spdx.org/rdf/terms#",
    "vcard": "http://www.w3.org/2006/vcard/ns#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
}
HYDRA = "http://www.w3.org/ns/hydra/core#"  # the paging of a catalog of more than PART datasets
IANA = "http://www.iana.org/assignments/media-types/"
EU = "http://publications.europa.eu/resource/authority/"
# dct:format from the EU file-type vocabulary, by download kind (a descriptor is JSON).
FILE_TYPES = {
    "csv": "CSV",
    "csv-bom": "CSV",
    "xlsx": "XLSX",
    "json": "JSON",
    "datapackage": "JSON",
    "zip": "ZIP",
    "parquet": "PARQUET",
}
LANGUAGES = ("ZHO", "ENG")  # the catalog's languages: Chinese metadata, English where given
# Every published path keeps answering (urls.lock) and a version's files never change.
STABLE = {
    "@id": EU + "planned-availability/STABLE",
    "@type": "skos:Concept",
    "skos:prefLabel": {"@value": "stable", "@language": "en"},
}
# What each kind of distribution is, in both languages: its dct:description.
KIND_WORDS = {
    "csv": ("CSV（UTF-8，与仓库中的文件逐字节一致）", "CSV (UTF-8, byte for byte the repository's file)"),
    "csv-bom": ("CSV（开头带 UTF-8 BOM，供旧版 Excel）", "CSV with a UTF-8 byte order mark, for older Excel"),
    "xlsx": ("Excel 工作簿", "Excel workbook"),
    "json": ("JSON 记录", "JSON records"),
    "parquet": ("Parquet（按表结构定类型）", "Parquet, typed by the Table Schema"),
    "datapackage": ("数据包的元数据（datapackage.json）", "the data package's metadata (datapackage.json)"),
    "zip": ("整个数据包（ZIP）", "the whole data package (ZIP)"),
}


# A version: its number, its date and its published descriptor (build._version_metadata).
Described = tuple[str, str, dict]


def catalog_jsonld(
    summaries: list[Summary],
    settings: Settings,
    versions: Mapping[str, Sequence[Described]] | None = None,
    digests: Mapping[str, str] | None = None,
) -> dict[str, bytes]:
    """The catalog, site path -> JSON-LD; versions: each dataset's versions, newest first; digests: file-map
    path -> SHA-256 of the versions' files, for their URLs in the download store (core/blobstore.py) when one
    is set. A catalog of more than PART datasets comes in pages (see the module's docstring)."""
    versions, digests = versions or {}, digests or {}
    ordered = by_modified(summaries)
    catalog: dict = {
        "@context": CONTEXT,
        "@id": settings.url_for(sitepaths.CATALOG_JSONLD),
        "@type": "dcat:Catalog",
        "dct:title": _texts(settings.site_name, settings.site_name_en),
        "dct:description": _zh(settings.site_description or settings.site_name),
        "dct:publisher": _operator(settings),
        "foaf:homepage": _document(settings.site_url),
        "dct:language": [{"@id": f"{EU}language/{code}", "@type": "dct:LinguisticSystem"} for code in LANGUAGES],
        "dcat:themeTaxonomy": {
            "@id": _taxonomy(settings),
            "@type": "skos:ConceptScheme",
            "dct:title": [_zh("主题"), _en("Topics")],
        },
    }
    if ordered:
        catalog["dct:modified"] = {"@value": ordered[0].modified, "@type": "xsd:date"}
        catalog["dct:issued"] = {"@value": min(s.meta["created"] for s in ordered)[:10], "@type": "xsd:date"}

    def page(shown: list[Summary], **more) -> bytes:
        datasets = [_dataset(s, settings, versions.get(s.name, ()), digests) for s in shown]
        return _encoded({**catalog, **more, "dcat:dataset": datasets})

    _, chunks = parts(summaries)
    if not chunks:
        return {sitepaths.CATALOG_JSONLD: page(ordered)}
    context = {**CONTEXT, "hydra": HYDRA}
    return {
        sitepaths.catalog_jsonld_page(k): page(
            chunk, **{"@context": context, "hydra:view": _paging(k, chunks, settings)}
        )
        for k, chunk in enumerate(chunks, 1)
    }


def _paging(k: int, chunks: list[list[Summary]], settings: Settings) -> dict:
    """Where page k stands among the pages, as ckanext-dcat writes it (hydra:PagedCollection, each link
    as a literal under both its current and its older Hydra name), which the harvesters of CKAN,
    data.europa.eu (piveau) and data.gouv.fr (udata) follow."""
    last = len(chunks)
    links = {"first": 1, "last": last, "next": k + 1 if k < last else None, "previous": k - 1 if k > 1 else None}
    view: dict = {
        "@id": settings.url_for(sitepaths.catalog_jsonld_page(k)),
        "@type": "hydra:PagedCollection",
        "hydra:totalItems": sum(len(chunk) for chunk in chunks),
        "hydra:itemsPerPage": PART,
    }
    for name, n in links.items():
        if n is not None:
            view[f"hydra:{name}"] = view[f"hydra:{name}Page"] = settings.url_for(sitepaths.catalog_jsonld_page(n))
    return view


def _encoded(data: dict) -> bytes:
    return (json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n").encode("utf-8")


def _dataset(s: Summary, settings: Settings, versions: Sequence[Described], digests: Mapping[str, str]) -> dict:
    page = settings.url_for(sitepaths.dataset_page(s.name))
    meta = s.meta
    licences = _licences(meta)
    titles = {r["name"]: r.get("title", r["name"]) for r in meta.get("resources", [])}
    data = {
        "@id": page,
        "@type": "dcat:Dataset",
        "dct:identifier": meta["id"],
        **_described(meta, s.publisher, settings),
        "dct:modified": {"@value": s.modified, "@type": "xsd:date"},
        "dct:issued": {"@value": meta["created"], "@type": "xsd:dateTime"},
        "dcat:version": meta["version"],
        "dcat:landingPage": _document(page),
        "dcat:distribution": [
            _distribution(
                settings.download_url(d.path, d.sha256), d.kind, page, licences, titles.get(d.resource or ""), d
            )
            for d in s.downloads
            if d.kind in DATA_KINDS
        ],
    }
    data.update(_versions(s, settings, versions, page, digests))
    return data


def _described(meta: dict, publisher: str, settings: Settings) -> dict:
    """What a descriptor says of its dataset: titles and descriptions in both languages, publisher,
    data period, place, topics, contact and keywords (a version's, from its own descriptor)."""
    title, description = (str(meta.get(key) or "") for key in ("title", "description"))
    topics = [t for t in meta.get("topics", []) if isinstance(t, str)]
    temporal = meta.get("temporal")
    return {
        "dct:title": _texts(title, _given(meta, "title")),
        "dct:description": _texts(description, _given(meta, "description")),
        "dct:publisher": _publisher(publisher, settings),
        **_temporal(temporal if isinstance(temporal, str) else ""),
        **_spatial(meta),
        "dcat:theme": [_theme(t, settings) for t in topics],
        "dcat:contactPoint": _contact(meta, settings),
        "dcat:keyword": _keywords(meta, topics, settings),
    }


def _distribution(
    url: str, kind: str, page: str, licences: list[dict], resource: str | None, d: Download | None = None
) -> dict:
    zh, en = KIND_WORDS.get(kind, (kind.upper(), kind.upper()))
    media = MEDIA_TYPES.get(kind, "application/octet-stream")
    found = {
        "@id": f"{url}#distribution",
        "@type": "dcat:Distribution",
        "dct:title": url.rsplit("/", 1)[1],
        "dct:description": [_zh(f"{resource}：{zh}" if resource else zh), _en(en)],
        "dcat:accessURL": {"@id": page},
        "dcat:downloadURL": {"@id": url},
        "dcat:mediaType": {"@id": IANA + media, "@type": "dct:MediaType"},
        "dct:format": {"@id": f"{EU}file-type/{FILE_TYPES.get(kind, 'BIN')}", "@type": "dct:MediaTypeOrExtent"},
        "dcatap:availability": STABLE,
    }
    if d is not None:
        found["dcat:byteSize"] = {"@value": str(d.bytes), "@type": "xsd:nonNegativeInteger"}
        found["spdx:checksum"] = {
            "@type": "spdx:Checksum",
            "spdx:algorithm": {"@id": "http://spdx.org/rdf/terms#checksumAlgorithm_sha256"},
            "spdx:checksumValue": {"@value": d.sha256, "@type": "xsd:hexBinary"},
        }
    if licences:
        found["dct:license"] = licences[0]
    return found


def _versions(
    s: Summary, settings: Settings, versions: Sequence[Described], page: str, digests: Mapping[str, str]
) -> dict:
    """dcat:hasVersion: every version at its permanent folder, described by its own published
    descriptor, each pointing to the one before it (dcat:previousVersion); the dataset itself is
    the current version."""
    if not versions:
        return {}
    folder = {v: settings.url_for(sitepaths.version_folder(s.name, v)) for v, _, _ in versions}
    nodes = []
    for i, (version, date, meta) in enumerate(versions):
        publisher = meta.get("publisher", {}).get("name") if isinstance(meta.get("publisher"), dict) else None
        described = _described(meta, publisher if isinstance(publisher, str) else s.publisher, settings)
        if not meta.get("title") or not meta.get("description"):  # an old descriptor without them
            described["dct:title"] = _texts(
                f"{s.title}（{version}）", f"{_given(s.meta, 'title') or s.title} ({version})"
            )
            described["dct:description"] = [
                _zh(f"“{s.title}”的 {version} 版，{date} 发布；文件在此网址下，发布后不再改变。"),
                _en(f"Version {version} of this dataset, published {date}; its files at this URL never change."),
            ]
        licences = _licences(meta)
        zipped = sitepaths.version_file(s.name, version, sitepaths.version_zip_file(s.name, version))
        node = {
            "@id": folder[version],
            "@type": "dcat:Dataset",
            **described,
            "dcat:version": version,
            "dct:issued": {"@value": date, "@type": "xsd:date"},
            "dcat:distribution": [
                _distribution(
                    settings.download_url(zipped, digests[zipped]) if zipped in digests else settings.url_for(zipped),
                    "zip",
                    page,
                    licences,
                    None,
                ),
                _distribution(
                    settings.url_for(sitepaths.version_file(s.name, version, sitepaths.DATAPACKAGE)),
                    "datapackage",
                    page,
                    licences,
                    None,
                ),
            ],
        }
        if i + 1 < len(versions):
            node["dcat:previousVersion"] = {"@id": folder[versions[i + 1][0]]}
        nodes.append(node)
    found: dict = {"dcat:hasVersion": nodes, "dcat:hasCurrentVersion": {"@id": folder[versions[0][0]]}}
    if len(versions) > 1:
        found["dcat:previousVersion"] = {"@id": folder[versions[1][0]]}
    return found


def _temporal(temporal: str) -> dict:
    """dct:temporal, the data period (a date: a period of one day), as DCAT-AP writes a period of time."""
    period = period_or_none(temporal)
    if period is None:
        return {}
    return {
        "dct:temporal": {
            "@type": "dct:PeriodOfTime",
            "dcat:startDate": {"@value": period.start.isoformat(), "@type": "xsd:date"},
            "dcat:endDate": {"@value": period.end.isoformat(), "@type": "xsd:date"},
        }
    }


def _spatial(meta: dict) -> dict:
    """dct:spatial: the place the descriptor names, with its administrative division code."""
    spatial = meta.get("spatial")
    if not isinstance(spatial, dict) or not spatial.get("name"):
        return {}
    place: dict = {"@type": "dct:Location", "locn:geographicName": _zh(spatial["name"])}
    if spatial.get("code"):
        place["dct:identifier"] = str(spatial["code"])
    return {"dct:spatial": place}


def _publisher(name: str, settings: Settings) -> dict:
    """An agent by the URL gongkai.yml gives it (its publisher page's when none)."""
    known = settings.publisher(name)
    iri = known.url if known and known.url else None
    if iri is None:
        iri = settings.url_for(sitepaths.publisher_page(known.slug)) + "#agent" if known else settings.site_url
    names = [_zh(name)] + ([_en(known.name_en)] if known and known.name_en else [])
    return {"@id": iri, "@type": "foaf:Agent", "foaf:name": names}


def _operator(settings: Settings) -> dict:
    return {
        "@id": settings.operator_url or f"{settings.site_url}#operator",
        "@type": "foaf:Agent",
        "foaf:name": _texts(settings.operator_name, settings.operator_name_en),
    }


def _contact(meta: dict, settings: Settings) -> dict:
    """The maintainer the descriptor names (its e-mail and page), else the site's operator."""
    person = next((c for c in meta.get("contributors", []) if c.get("role") == "maintainer"), None)
    name, url, email = (
        (person["title"], person.get("path"), person.get("email"))
        if person
        else (settings.operator_name, settings.operator_url, settings.operator_email)
    )
    contact: dict = {"@type": ["vcard:Kind", "vcard:Organization"], "vcard:fn": name}
    if email:
        contact["vcard:hasEmail"] = {"@id": f"mailto:{email}"}
    if url:
        contact["vcard:hasURL"] = {"@id": url}
    return contact


def _theme(topic: str, settings: Settings) -> dict:
    known = settings.topic(topic)
    iri = settings.url_for(sitepaths.topic_page(known.slug)) if known else f"{_taxonomy(settings)}-{topic}"
    labels = [_zh(topic)] + ([_en(known.name_en)] if known and known.name_en else [])
    return {
        "@id": iri,
        "@type": "skos:Concept",
        "skos:prefLabel": labels,
        "skos:inScheme": {"@id": _taxonomy(settings)},
    }


def _keywords(meta: dict, topics: list[str], settings: Settings) -> list[dict]:
    """The keywords and topics in Chinese; in English, the descriptor's keywords_en and the topics'
    English names (gongkai.yml), each word once."""
    keywords, given = ([k for k in meta.get(key, []) if isinstance(k, str)] for key in ("keywords", "keywords_en"))
    words = [_zh(k) for k in dict.fromkeys([*keywords, *topics])]
    english = [*given, *(settings.localise("topic", t, "en") for t in topics)]
    return words + [_en(t) for t in dict.fromkeys(english) if t not in topics]


def _licences(meta: dict) -> list[dict]:
    return [_licence(lic["path"]) for lic in meta.get("licenses", []) if isinstance(lic, dict) and lic.get("path")]


def _taxonomy(settings: Settings) -> str:
    return settings.url_for(sitepaths.CATALOG_JSONLD) + "#topics"


def _licence(url: str) -> dict:
    return {"@id": url, "@type": "dct:LicenseDocument"}


def _document(url: str) -> dict:
    return {"@id": url, "@type": "foaf:Document"}


def _given(meta: dict, key: str) -> str:
    text, is_english = english(meta, key)
    return text if is_english else ""


def _texts(zh: str, en: str = "") -> list[dict]:
    return [_zh(zh)] + ([_en(en)] if en else [])


def _zh(text: str) -> dict:
    return {"@value": text, "@language": "zh-CN"}


def _en(text: str) -> dict:
    return {"@value": text, "@language": "en"}
