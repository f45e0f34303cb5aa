"""schema.org Dataset JSON-LD for each dataset page: what Google Dataset Search reads.

Pure: built from the entry's metadata and downloads; the theme puts it in the page head.
"""

from __future__ import annotations

from ..core import sitepaths
from ..core.config import Settings
from ..export.downloads import DATA_KINDS, MEDIA_TYPES
from .catalog import Entry


def dataset_jsonld(e: Entry, settings: Settings) -> dict:
    meta = e.meta
    publisher = {"@type": "Organization", "name": e.publisher}
    if meta["publisher"].get("path"):
        publisher["url"] = meta["publisher"]["path"]
    data = {
        "@context": "https://schema.org",
        "@type": "Dataset",
        "@id": settings.url_for(sitepaths.dataset_page(e.name)),
        "url": settings.url_for(sitepaths.dataset_page(e.name)),
        "identifier": meta["id"],
        "name": e.title,
        "description": meta["description"],
        "inLanguage": "zh-CN",
        "version": meta["version"],
        "dateModified": e.modified,
        "keywords": list(dict.fromkeys([*meta.get("keywords", []), *e.topics])),
        "license": [lic["path"] for lic in meta["licenses"] if lic.get("path")]
        or [lic["name"] for lic in meta["licenses"]],
        "isAccessibleForFree": True,
        "creator": publisher,
        "publisher": publisher,
        "includedInDataCatalog": {"@type": "DataCatalog", "name": settings.site_name, "url": settings.site_url},
        "distribution": [
            {
                "@type": "DataDownload",
                "name": d.path.rsplit("/", 1)[1],
                "contentUrl": settings.url_for(d.path),
                "encodingFormat": MEDIA_TYPES[d.kind],
                "contentSize": f"{d.bytes} B",
                "sha256": d.sha256,
            }
            for d in e.exported.downloads
            if d.kind in DATA_KINDS
        ],
    }
    created = meta.get("created")
    if isinstance(created, str):
        data["dateCreated"] = created
    spatial = meta.get("spatial")
    if isinstance(spatial, dict) and spatial.get("name"):
        data["spatialCoverage"] = {"@type": "Place", "name": spatial["name"]}
    if e.temporal:  # ISO 8601, as schema.org's temporalCoverage takes it
        data["temporalCoverage"] = e.temporal
    sources = [s for s in meta.get("sources", []) if isinstance(s, dict) and s.get("title")]
    if sources:
        data["isBasedOn"] = [
            {"@type": "CreativeWork", "name": s["title"], **({"url": s["path"]} if s.get("path") else {})}
            for s in sources
        ]
    return data
