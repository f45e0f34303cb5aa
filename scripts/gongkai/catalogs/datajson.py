"""/data.json: the catalog in Project Open Data / DCAT-US 1.1, the format CKAN and data.gov harvest.

Built from the same summaries as catalog.json. DCAT-US requires a contact e-mail for every
dataset (`contactPoint.hasEmail`); it is the maintainer's e-mail from the descriptor, or the
operator's from gongkai.yml. Where neither is given the file is not written at all (a
harvester rejects an incomplete one) and `contacts_missing` says which datasets lack one.
"""

from __future__ import annotations

import json

from ..core import sitepaths
from ..core.config import Settings
from ..export.downloads import DATA_KINDS, MEDIA_TYPES
from ..read.period import period_or_none
from ..render.catalog import Summary, by_modified

CONFORMS_TO = "https://project-open-data.cio.gov/v1.1/schema"
ACCESS_LEVELS = {"无条件开放": "public", "有条件开放": "restricted public"}


def contacts_missing(summaries: list[Summary], settings: Settings) -> list[str]:
    """Names of the datasets that have no contact e-mail, in name order."""
    return sorted(s.name for s in summaries if not _contact(s, settings))


def data_json(summaries: list[Summary], settings: Settings) -> bytes:
    """The catalog file; call only when contacts_missing() is empty."""
    data = {
        "@context": f"{CONFORMS_TO}/catalog.jsonld",
        "@id": settings.url_for(sitepaths.DATA_JSON),
        "@type": "dcat:Catalog",
        "conformsTo": CONFORMS_TO,
        "describedBy": f"{CONFORMS_TO}/catalog.json",
        "dataset": [_dataset(s, settings) for s in by_modified(summaries)],
    }
    return (json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n").encode(
        "utf-8"
    )  # compact: the C encoder


def _dataset(s: Summary, settings: Settings) -> dict:
    meta = s.meta
    contact = _contact(s, settings)
    if contact is None:  # the build asks contacts_missing() first and writes no data.json then
        raise ValueError(f"{s.name} has no contact point: call data_json only when contacts_missing() is empty")
    name, email = contact
    access = ACCESS_LEVELS.get(meta["open_type"], "restricted public")
    frequency = next((f.iso8601 for f in settings.update_frequencies if f.name == meta.get("update_frequency")), None)
    licence = next((lic["path"] for lic in meta["licenses"] if lic.get("path")), None)
    dataset = {
        "@type": "dcat:Dataset",
        "identifier": meta["id"],
        "title": s.title,
        "description": meta["description"],
        "keyword": list(dict.fromkeys([*meta.get("keywords", []), *s.topics])),
        "modified": s.modified,
        "issued": meta["created"][:10],
        "publisher": {"@type": "org:Organization", "name": s.publisher},
        "contactPoint": {"@type": "vcard:Contact", "fn": name, "hasEmail": f"mailto:{email}"},
        "accessLevel": access,
        "landingPage": settings.url_for(sitepaths.dataset_page(s.name)),
        "describedBy": settings.url_for(sitepaths.dataset_file(s.name, sitepaths.DATAPACKAGE)),
        "describedByType": "application/json",
        "language": ["zh-CN"],
        "theme": s.topics,
        "distribution": [
            {
                "@type": "dcat:Distribution",
                "title": d.path.rsplit("/", 1)[1],
                "downloadURL": settings.download_url(d.path, d.sha256),
                "mediaType": MEDIA_TYPES[d.kind],
                "format": d.kind.upper(),
            }
            for d in s.downloads
            if d.kind in DATA_KINDS
        ],
    }
    if access != "public":  # DCAT-US: rights explains anything short of public
        dataset["rights"] = meta["open_type"]
    if licence:
        dataset["license"] = licence
    if frequency:
        dataset["accrualPeriodicity"] = frequency
    period = period_or_none(s.temporal)
    if period:  # DCAT-US takes an interval: a date is the one-day period start/start
        dataset["temporal"] = f"{period.start.isoformat()}/{period.end.isoformat()}"
    if meta.get("spatial", {}).get("name"):
        dataset["spatial"] = meta["spatial"]["name"]
    return dataset


def _contact(s: Summary, settings: Settings) -> tuple[str, str] | None:
    for person in s.meta.get("contributors", []):
        if person.get("role") == "maintainer" and person.get("email"):
            return person["title"], person["email"]
    if settings.operator_email:
        return settings.operator_name, settings.operator_email
    return None
