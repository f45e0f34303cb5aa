"""What machines read besides catalog.json: schema.org JSON-LD on each page, the Atom feed, host files."""

from __future__ import annotations

import hashlib
import json
import re
import xml.etree.ElementTree as ET

from conftest import ROOT

ATOM = "{http://www.w3.org/2005/Atom}"
SITE_URL = "https://gongkai-data.github.io/gongkai/"


def _datasets():
    return {p.name: json.loads((p / "datapackage.json").read_text(encoding="utf-8")) for p in sorted((ROOT / "datasets").iterdir()) if p.is_dir()}


def _site_file(site, url: str):
    assert url.startswith(SITE_URL), url
    path = site / url[len(SITE_URL) :]
    return path / "index.html" if url.endswith("/") else path


def test_every_dataset_page_carries_schema_org_dataset_json_ld_for_dataset_search(built_site):
    site = built_site / "site"
    for name, desc in _datasets().items():
        page = (site / "datasets" / name / "index.html").read_text(encoding="utf-8")
        head = page.split("</head>", 1)[0]
        found = re.findall(r'<script type="application/ld\+json">(.*?)</script>', head, re.S)
        assert len(found) == 1, name
        data = json.loads(found[0])
        assert (data["@context"], data["@type"]) == ("https://schema.org", "Dataset")
        assert (data["name"], data["description"], data["version"], data["dateModified"]) == (
            desc["title"],
            desc["description"],
            desc["version"],
            desc["modified"],
        )
        assert data["identifier"] == desc["id"] and data["url"] == f"{SITE_URL}datasets/{name}/"
        assert data["license"] and all(lic.startswith("https://") for lic in data["license"])
        assert data["creator"]["name"] == data["publisher"]["name"] == desc["publisher"]["name"]
        assert data["spatialCoverage"]["name"] == desc["spatial"]["name"]
        formats = {d["encodingFormat"] for d in data["distribution"]}
        assert {"text/csv", "application/json", "application/zip"} <= formats
        for d in data["distribution"]:
            assert _site_file(site, d["contentUrl"]).is_file(), d["contentUrl"]
        if "vintage" in desc:
            assert data["temporalCoverage"] == desc["vintage"]


def test_the_atom_feed_lists_every_dataset_newest_first_with_links_that_answer(built_site):
    site = built_site / "site"
    feed = ET.parse(site / "feed.xml").getroot()
    assert feed.tag == f"{ATOM}feed"
    entries = feed.findall(f"{ATOM}entry")
    datasets = _datasets()
    assert len(entries) == len(datasets)
    updated = [e.findtext(f"{ATOM}updated") for e in entries]
    assert updated == sorted(updated, reverse=True) and feed.findtext(f"{ATOM}updated") == updated[0]
    ids = {e.findtext(f"{ATOM}id") for e in entries}
    assert ids == {f"urn:uuid:{d['id']}" for d in datasets.values()}
    for e in entries:
        link = e.find(f"{ATOM}link").get("href")
        assert _site_file(site, link).is_file(), link
        assert e.findtext(f"{ATOM}summary")


def test_static_hosts_get_cors_and_caching_headers(built_site):
    headers = (built_site / "site/_headers").read_text(encoding="utf-8")
    assert "/*\n  Access-Control-Allow-Origin: *\n" in headers
    assert "/datasets/*\n  Cache-Control: public" in headers
    assert (built_site / "site/_redirects").is_file()


def test_catalog_jsonld_is_dcat_ap_with_the_classes_and_properties_harvesters_require(built_site):
    from rdflib import Graph, Namespace
    from rdflib.namespace import DCAT, DCTERMS, FOAF, RDF

    spdx = Namespace("http://spdx.org/rdf/terms#")
    site = built_site / "site"
    graph = Graph().parse(data=(site / "catalog.jsonld").read_text(encoding="utf-8"), format="json-ld")
    catalogs = list(graph.subjects(RDF.type, DCAT.Catalog))
    assert len(catalogs) == 1
    catalog = catalogs[0]
    for prop in (DCTERMS.title, DCTERMS.description, DCTERMS.publisher):
        assert graph.value(catalog, prop) is not None, prop
    assert graph.value(graph.value(catalog, DCTERMS.publisher), FOAF.name)
    datasets = list(graph.objects(catalog, DCAT.dataset))
    assert len(datasets) == len(_datasets())
    for ds in datasets:
        assert (ds, RDF.type, DCAT.Dataset) in graph
        for prop in (DCTERMS.title, DCTERMS.description, DCTERMS.identifier, DCTERMS.publisher, DCTERMS.modified, DCAT.keyword, DCAT.landingPage):
            assert graph.value(ds, prop) is not None, (ds, prop)
        distributions = list(graph.objects(ds, DCAT.distribution))
        assert distributions
        for dist in distributions:
            assert (dist, RDF.type, DCAT.Distribution) in graph
            url = str(graph.value(dist, DCAT.downloadURL))
            data = _site_file(site, url).read_bytes()
            assert graph.value(dist, DCAT.accessURL) is not None and graph.value(dist, DCTERMS.license) is not None
            assert str(graph.value(dist, DCAT.mediaType)).startswith("http://www.iana.org/assignments/media-types/")
            assert int(graph.value(dist, DCAT.byteSize)) == len(data)
            checksum = graph.value(dist, spdx.checksum)
            assert str(graph.value(checksum, spdx.checksumValue)) == hashlib.sha256(data).hexdigest()
