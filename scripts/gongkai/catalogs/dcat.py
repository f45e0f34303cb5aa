"""/catalog.jsonld: the catalog in DCAT-AP 3 (JSON-LD), for harvesters of European-style portals.

Built from the same summaries as catalog.json. The context is inline, so no processor has
to fetch anything to read it. Classes and properties are the ones DCAT-AP 3 makes mandatory
for a catalogue, a dataset and a distribution, plus the recommended ones the metadata gives:
download URL, media type, byte size, SHA-256 checksum, licence, publisher, keywords, dates.
"""

from __future__ import annotations

import json

from ..core import sitepaths
from ..core.config import Settings
from ..export.downloads import DATA_KINDS, MEDIA_TYPES
from ..read.period import period_or_none
from ..render.catalog import Summary, by_modified

CONTEXT = {
    "dcat": "http://www.w3.org/ns/dcat#",
    "dct": "http://purl.org/dc/terms/",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "spdx": "http://spdx.org/rdf/terms#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "owl": "http://www.w3.org/2002/07/owl#",
}
IANA = "http://www.iana.org/assignments/media-types/"


def catalog_jsonld(summaries: list[Summary], settings: Settings) -> bytes:
    operator = {
        "@id": settings.operator_url or f"{settings.site_url}#operator",
        "@type": "foaf:Agent",
        "foaf:name": settings.operator_name,
    }
    data = {
        "@context": CONTEXT,
        "@id": settings.url_for(sitepaths.CATALOG_JSONLD),
        "@type": "dcat:Catalog",
        "dct:title": _zh(settings.site_name),
        "dct:description": _zh(settings.site_description or settings.site_name),
        "dct:publisher": operator,
        "foaf:homepage": {"@id": settings.site_url},
        "dcat:dataset": [_dataset(s, settings) for s in by_modified(summaries)],
    }
    return (json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n").encode("utf-8")


def _dataset(s: Summary, settings: Settings) -> dict:
    page = settings.url_for(sitepaths.dataset_page(s.name))
    licences = [{"@id": lic["path"]} for lic in s.meta["licenses"] if lic.get("path")]
    return {
        "@id": page,
        "@type": "dcat:Dataset",
        "dct:identifier": s.meta["id"],
        "dct:title": _zh(s.title),
        "dct:description": _zh(s.meta["description"]),
        "dct:publisher": {"@type": "foaf:Agent", "foaf:name": s.publisher},
        "dct:modified": {"@value": s.modified, "@type": "xsd:date"},
        "dct:issued": {"@value": s.meta["created"], "@type": "xsd:dateTime"},
        "owl:versionInfo": s.meta["version"],
        **_temporal(s),
        "dcat:keyword": [_zh(k) for k in dict.fromkeys([*s.meta.get("keywords", []), *s.topics])],
        "dcat:landingPage": {"@id": page},
        "dcat:distribution": [
            {
                "@id": f"{settings.url_for(d.path)}#distribution",
                "@type": "dcat:Distribution",
                "dct:title": d.path.rsplit("/", 1)[1],
                "dcat:accessURL": {"@id": page},
                "dcat:downloadURL": {"@id": settings.url_for(d.path)},
                "dcat:mediaType": {"@id": IANA + MEDIA_TYPES[d.kind]},
                "dcat:byteSize": {"@value": str(d.bytes), "@type": "xsd:nonNegativeInteger"},
                "spdx:checksum": {
                    "@type": "spdx:Checksum",
                    "spdx:algorithm": {"@id": "http://spdx.org/rdf/terms#checksumAlgorithm_sha256"},
                    "spdx:checksumValue": {"@value": d.sha256, "@type": "xsd:hexBinary"},
                },
                **({"dct:license": licences[0]} if licences else {}),
            }
            for d in s.downloads
            if d.kind in DATA_KINDS
        ],
    }


def _temporal(s: Summary) -> dict:
    """dct:temporal, the data period (a date: a period of one day), as DCAT-AP writes a period of time."""
    period = period_or_none(s.temporal)
    if period is None:
        return {}
    return {
        "dct:temporal": {
            "@type": "dct:PeriodOfTime",
            "dcat:startDate": {"@value": period.start.isoformat(), "@type": "xsd:date"},
            "dcat:endDate": {"@value": period.end.isoformat(), "@type": "xsd:date"},
        }
    }


def _zh(text: str) -> dict:
    return {"@value": text, "@language": "zh-CN"}
