"""What machines read besides catalog.json: schema.org JSON-LD on each page, the Atom feed, host files."""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import xml.etree.ElementTree as ET

from conftest import FIXTURES, ROOT, gongkai
from gongkai.core import sitepaths

ATOM = "{http://www.w3.org/2005/Atom}"
SITE_URL = "https://gongkai-data.github.io/gongkai/"


def _datasets():
    return {
        p.name: json.loads((p / "datapackage.json").read_text(encoding="utf-8"))
        for p in sorted((ROOT / "datasets").iterdir())
        if p.is_dir()
    }


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
        assert data["identifier"] == desc["id"] and data["url"] == SITE_URL + sitepaths.dataset_page(name)
        assert data["license"] and all(lic.startswith("https://") for lic in data["license"])
        assert data["creator"]["name"] == data["publisher"]["name"] == desc["publisher"]["name"]
        assert data["spatialCoverage"]["name"] == desc["spatial"]["name"]
        formats = {d["encodingFormat"] for d in data["distribution"]}
        assert {"text/csv", "application/json", "application/zip"} <= formats
        for d in data["distribution"]:
            assert _site_file(site, d["contentUrl"]).is_file(), d["contentUrl"]
        assert data["temporalCoverage"] == desc["temporal"]  # the data period, never the update date


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
        for prop in (
            DCTERMS.title,
            DCTERMS.description,
            DCTERMS.identifier,
            DCTERMS.publisher,
            DCTERMS.modified,
            DCAT.keyword,
            DCAT.landingPage,
        ):
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


def test_data_json_is_dcat_us_with_every_field_a_harvester_requires(repo_factory):
    import jsonschema

    repo = repo_factory(real=["key-area-disclosure", "administrative-divisions"])
    settings = repo / "gongkai.yml"
    settings.write_text(
        settings.read_text(encoding="utf-8").replace("  # email: data@example.org", "  email: data@example.org"),
        encoding="utf-8",
    )
    result = gongkai("build", cwd=repo)
    assert result.returncode == 0, result.stdout + result.stderr
    site = repo / "site"
    data = json.loads((site / "data.json").read_text(encoding="utf-8"))
    schema = json.loads((FIXTURES / "dcat-us-1.1.schema.json").read_text(encoding="utf-8"))
    jsonschema.validate(data, schema, format_checker=jsonschema.FormatChecker())
    by_id = {d["identifier"]: d for d in data["dataset"]}
    for name in ("key-area-disclosure", "administrative-divisions"):
        desc = _datasets()[name]
        entry = by_id[desc["id"]]
        assert (entry["title"], entry["description"], entry["modified"]) == (
            desc["title"],
            desc["description"],
            desc["modified"],
        )
        assert entry["publisher"]["name"] == desc["publisher"]["name"] and entry["accessLevel"] == "public"
        assert entry["contactPoint"]["hasEmail"] == "mailto:data@example.org"  # no maintainer e-mail: the operator's
        assert set(desc["keywords"]) <= set(entry["keyword"])
        published = {d["downloadURL"]: d for d in entry["distribution"]}
        for resource in desc["resources"]:
            url = SITE_URL + sitepaths.dataset_file(name, sitepaths.resource_file(resource["name"], "csv"))
            assert published[url]["mediaType"] == "text/csv"
            assert _site_file(site, url).read_bytes() == (repo / "datasets" / name / resource["path"]).read_bytes()
        for url in published:
            assert _site_file(site, url).is_file(), url
    assert "/data.json" in json.loads((site / "urls.json").read_text(encoding="utf-8"))["paths"]


def test_without_a_contact_e_mail_data_json_is_left_out_and_the_build_says_why(built_site, tmp_path):
    # DCAT-US requires contactPoint.hasEmail; the seed maintainers give an issues page instead.
    assert not (built_site / "site" / "data.json").exists()
    again = tmp_path / "repo"
    shutil.copytree(built_site, again, symlinks=True)  # with its cache: other tests read built_site while this builds
    result = gongkai("build", cwd=again)
    assert result.returncode == 0
    assert (
        "data.json (DCAT-US) is not published: no contact e-mail for administrative-divisions, decision-openness"
        in result.stdout + result.stderr
    )


def test_every_dataset_has_a_versions_json_that_follows_its_schema_and_a_feed_of_its_versions(built_site):
    import feedparser
    import jsonschema

    site = built_site / "site"
    schema = json.loads((site / sitepaths.VERSIONS_SCHEMA).read_text(encoding="utf-8"))
    validator = jsonschema.Draft202012Validator(schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER)
    catalog = json.loads((site / sitepaths.CATALOG_JSON).read_text(encoding="utf-8"))
    for name, desc in _datasets().items():
        index = json.loads((site / sitepaths.versions_index(name)).read_text(encoding="utf-8"))
        validator.validate(index)
        assert (index["id"], index["current"], index["versions"][0]["version"]) == (desc["id"],) + (
            desc["version"],
        ) * 2
        listed = next(d for d in catalog["datasets"] if d["name"] == name)
        assert listed["versions_url"] == SITE_URL + sitepaths.versions_index(name)
        assert [v["version"] for v in listed["versions"]] == [v["version"] for v in index["versions"]]
        for v in index["versions"]:
            for f in v["files"]:
                data = _site_file(site, f["url"]).read_bytes()
                assert (len(data), hashlib.sha256(data).hexdigest()) == (f["bytes"], f["sha256"])
        for lang, url in index["feeds"].items():
            feed = feedparser.parse(_site_file(site, url).read_bytes())
            assert not feed.bozo and feed.version == "atom10" and len(feed.entries) == index["count"], (name, lang)
