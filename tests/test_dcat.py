"""catalog.jsonld against the DCAT-AP 3.0.1 SHACL shapes that data.europa.eu runs, and the
recommended properties wherever the descriptors and gongkai.yml hold them."""

from __future__ import annotations

import importlib.util
import json

import pytest
from conftest import ROOT
from gongkai.core import sitepaths
from gongkai.core.config import load_settings
from rdflib import Namespace

SITE_URL = "https://gongkai-data.github.io/gongkai/"
DCAT = Namespace("http://www.w3.org/ns/dcat#")  # rdflib's closed DCAT namespace lacks DCAT 3's version terms
EU = "http://publications.europa.eu/resource/authority/"


def _tool():
    spec = importlib.util.spec_from_file_location("shacl_tool", ROOT / "tools" / "shacl.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


SHACL = _tool()


@pytest.fixture(scope="module")
def shapes():
    found = SHACL.find_shapes(ROOT)
    if found is None:
        pytest.skip(
            "the DCAT-AP 3.0.1 shapes are not on this machine: set GONGKAI_DCAT_AP_SHAPES to the folder holding "
            "shapes.ttl and range.ttl (SEMICeu/DCAT-AP releases/3.0.1/html/shacl/), or put them in "
            "../shared/vendor/dcat-ap-3.0.1/ beside the repository"
        )
    pytest.importorskip("pyshacl")
    return found


@pytest.fixture(scope="module")
def catalog(built_site):
    return (built_site / "site" / "catalog.jsonld").read_text(encoding="utf-8")


def test_catalog_jsonld_has_no_violation_of_the_dcat_ap_shapes_or_range_shapes(shapes, catalog):
    assert SHACL.run(catalog, shapes, SHACL.SHAPES) == {}
    assert SHACL.deprecated_terms(catalog, shapes) == {}  # owl:versionInfo, dct:hasVersion, ...


def test_the_recommended_properties_the_descriptors_hold_are_not_reported_missing(shapes, catalog):
    missing = SHACL.run(catalog, shapes, (SHACL.RECOMMENDED,))
    about = {(k[1], k[2]): n for k, n in missing.items() if k[1] in {"Dataset", "Distribution"}}
    # Only a data period may be missing, on old versions whose descriptor had none (the current ones all do).
    assert set(about) <= {("Dataset", "temporal")}, about
    without = [v for v in _graph_json(catalog)["versions"] if "dct:temporal" not in v]
    assert about.get(("Dataset", "temporal"), 0) == len(without)
    for d in _graph_json(catalog)["datasets"]:
        assert "dct:temporal" in d, d["@id"]


def _graph_json(catalog: str) -> dict:
    data = json.loads(catalog)
    return {
        "datasets": data["dcat:dataset"],
        "versions": [v for d in data["dcat:dataset"] for v in d.get("dcat:hasVersion", [])],
        "catalog": data,
    }


def test_each_dataset_carries_what_its_descriptor_and_the_settings_say(built_site, catalog):
    from rdflib import Graph, Literal, URIRef
    from rdflib.namespace import DCTERMS, FOAF, RDF, SKOS

    vcard = Namespace("http://www.w3.org/2006/vcard/ns#")
    graph = Graph().parse(data=catalog, format="json-ld")
    settings = load_settings(built_site)
    for folder in sorted((ROOT / "datasets").iterdir()):
        desc = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
        ds = URIRef(SITE_URL + sitepaths.dataset_page(folder.name))
        assert (ds, RDF.type, DCAT.Dataset) in graph
        assert str(graph.value(ds, DCAT.version)) == desc["version"]
        titles = set(graph.objects(ds, DCTERMS.title))
        assert Literal(desc["title"], lang="zh-CN") in titles
        if desc.get("title_en"):
            assert Literal(desc["title_en"], lang="en") in titles
        if desc.get("description_en"):
            assert Literal(desc["description_en"], lang="en") in set(graph.objects(ds, DCTERMS.description))
        period = graph.value(ds, DCTERMS.temporal)
        start = str(graph.value(period, DCAT.startDate))
        assert desc["temporal"].split("/")[0] == start
        place = graph.value(ds, DCTERMS.spatial)
        assert (place, RDF.type, DCTERMS.Location) in graph
        publisher = graph.value(ds, DCTERMS.publisher)
        known = settings.publisher(desc["publisher"]["name"])
        assert known and str(publisher) == known.url  # the publisher's own address, from gongkai.yml
        assert Literal(desc["publisher"]["name"], lang="zh-CN") in set(graph.objects(publisher, FOAF.name))
        themes = {str(graph.value(t, SKOS.prefLabel)) for t in graph.objects(ds, DCAT.theme)}
        labels = {str(label) for t in graph.objects(ds, DCAT.theme) for label in graph.objects(t, SKOS.prefLabel)}
        assert themes and set(desc["topics"]) <= labels
        contact = graph.value(ds, DCAT.contactPoint)
        maintainer = next(c for c in desc["contributors"] if c["role"] == "maintainer")
        assert str(graph.value(contact, vcard.fn)) == maintainer["title"]
        assert str(graph.value(contact, vcard.hasURL)) == maintainer["path"]
        formats = {str(graph.value(d, DCTERMS["format"])) for d in graph.objects(ds, DCAT.distribution)}
        assert {EU + "file-type/CSV", EU + "file-type/XLSX", EU + "file-type/JSON", EU + "file-type/ZIP"} <= formats
        for licence in graph.objects(None, DCTERMS.license):
            assert (licence, RDF.type, DCTERMS.LicenseDocument) in graph


def test_every_version_is_a_dataset_at_its_permanent_folder_linked_to_the_one_before(tmp_path):
    """In a repository with history: two versions of a dataset, each at datasets/<name>/<version>/."""
    import subprocess

    from conftest import gongkai, make_repo
    from rdflib import Graph, URIRef
    from rdflib.namespace import RDF

    repo = make_repo(tmp_path, real=["platform-building"])
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@example.org", "-c", "commit.gpgsign=false"]
    subprocess.run([*git, "init", "-q"], cwd=repo, check=True)
    subprocess.run([*git, "add", "-A"], cwd=repo, check=True)
    subprocess.run([*git, "commit", "-qm", "first"], cwd=repo, check=True)
    descriptor = repo / "datasets/platform-building/datapackage.json"
    desc = json.loads(descriptor.read_text(encoding="utf-8"))
    first = desc["version"]
    major, minor, patch = map(int, first.split("."))
    second = f"{major}.{minor}.{patch + 1}"
    desc["version"] = second
    descriptor.write_text(json.dumps(desc, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    changelog = repo / "datasets/platform-building/CHANGELOG.md"
    text = changelog.read_text(encoding="utf-8")
    entry = f"\n## {second} — {desc['modified']}\n\n说明文字修订；数据未变。\n\n## "
    changelog.write_text(text.replace("\n## ", entry, 1), encoding="utf-8")
    subprocess.run([*git, "commit", "-qam", "second"], cwd=repo, check=True)
    result = gongkai("build", cwd=repo)
    assert result.returncode == 0, result.stdout + result.stderr
    graph = Graph().parse(data=(repo / "site/catalog.jsonld").read_text(encoding="utf-8"), format="json-ld")
    page = URIRef(SITE_URL + sitepaths.dataset_page("platform-building"))
    folders = {v: URIRef(SITE_URL + sitepaths.version_folder("platform-building", v)) for v in (first, second)}
    assert set(graph.objects(page, DCAT.hasVersion)) == set(folders.values())
    assert graph.value(page, DCAT.previousVersion) == folders[first]
    assert graph.value(folders[second], DCAT.previousVersion) == folders[first]
    assert graph.value(folders[first], DCAT.previousVersion) is None
    for version, node in folders.items():
        assert (node, RDF.type, DCAT.Dataset) in graph and str(graph.value(node, DCAT.version)) == version
        for dist in graph.objects(node, DCAT.distribution):
            url = str(graph.value(dist, DCAT.downloadURL))
            assert (repo / "site" / url[len(SITE_URL) :]).is_file(), url


def test_english_keywords_stand_beside_the_chinese_ones_and_pass_the_shapes(shapes, built_tiny):
    """A descriptor's keywords_en become dcat:keyword literals in English; the Chinese ones stay."""
    from rdflib import Graph, Literal, URIRef

    catalog = (built_tiny / "site" / "catalog.jsonld").read_text(encoding="utf-8")
    desc = json.loads((ROOT / "tests/fixtures/packages/tiny/datapackage.json").read_text(encoding="utf-8"))
    assert desc["keywords_en"]
    graph = Graph().parse(data=catalog, format="json-ld")
    keywords = set(graph.objects(URIRef(SITE_URL + sitepaths.dataset_page("tiny")), DCAT.keyword))
    assert {Literal(k, lang="en") for k in desc["keywords_en"]} <= keywords
    assert {Literal(k, lang="zh-CN") for k in [*desc["keywords"], *desc["topics"]]} <= keywords
    assert SHACL.run(catalog, shapes, SHACL.SHAPES) == {}


def test_english_keywords_reach_catalog_json_and_the_english_search(built_tiny):
    from gongkai.search.documents import dataset_document

    desc = json.loads((ROOT / "tests/fixtures/packages/tiny/datapackage.json").read_text(encoding="utf-8"))
    listed = json.loads((built_tiny / "site/catalog.json").read_text(encoding="utf-8"))["datasets"]
    entry = next(d for d in listed if d["name"] == "tiny")
    assert entry["keywords_en"] == desc["keywords_en"] and entry.get("title_en") == desc.get("title_en")
    model = {"meta": desc, "title": desc["title"], "topics": desc["topics"], "publisher": "广州市人民政府"}
    model.update(name="tiny", sources=[], readme_html="", tables=[])
    settings = load_settings(ROOT)
    english = dataset_document(model, settings, "en").texts["keywords"]
    assert set(desc["keywords_en"]) <= set(english)
    assert not set(desc["keywords_en"]) & set(dataset_document(model, settings, "zh").texts["keywords"])


def test_a_dataset_without_english_keywords_has_only_its_topics_names_in_english(catalog):
    from rdflib import Graph, Literal

    graph = Graph().parse(data=catalog, format="json-ld")
    settings = load_settings(ROOT)
    for folder in sorted((ROOT / "datasets").iterdir()):
        desc = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
        english = {k for k in graph.objects(_page(folder.name), DCAT.keyword) if k.language == "en"}
        expected = {settings.localise("topic", t, "en") for t in desc["topics"]} - set(desc["topics"])
        assert english == {Literal(t, lang="en") for t in [*desc.get("keywords_en", []), *expected]}, folder.name


def _page(name: str):
    from rdflib import URIRef

    return URIRef(SITE_URL + sitepaths.dataset_page(name))


# --- A catalog of more than a hundred datasets, in pages -------------------------------------------------

HYDRA = Namespace("http://www.w3.org/ns/hydra/core#")


@pytest.fixture(scope="module")
def tiny_summary(built_tiny, tmp_path_factory):
    """The tiny dataset's summary and the settings, as the build has them (its cache, in this process)."""
    from conftest import copy_repo
    from gongkai.build import generate_docs

    generated = generate_docs(copy_repo(built_tiny, tmp_path_factory.mktemp("paged") / "repo"))
    (summary,) = generated.entries
    return summary, generated.settings


def _many(tiny_summary, n: int) -> list:
    """n datasets like tiny, each its own name and identifier, first published a day apart."""
    import dataclasses
    import datetime as dt
    import uuid

    summary, _ = tiny_summary
    out = []
    for k in range(n):
        created = (dt.datetime(2020, 1, 1) + dt.timedelta(days=k)).isoformat() + "+08:00"
        meta = {**summary.meta, "id": str(uuid.UUID(int=k + 1, version=4)), "created": created}
        name = f"set-{k:04d}"
        files = [dataclasses.replace(d, path=d.path.replace("/tiny/", f"/{name}/")) for d in summary.downloads]
        out.append(dataclasses.replace(summary, name=name, meta=meta, downloads=files))
    return out


def _harvest(pages: dict[str, bytes]) -> tuple[list[str], list[str]]:
    """What a harvester does (ckanext-dcat's RDFParser.next_page): read catalog.jsonld, then the page
    each hydra:PagedCollection names as hydra:next, until none. (pages read, dataset IRIs found)."""
    from rdflib import Graph, URIRef
    from rdflib.namespace import RDF

    url, read, found = SITE_URL + sitepaths.CATALOG_JSONLD, [], []
    while url:
        read.append(url)
        graph = Graph().parse(data=pages[url[len(SITE_URL) :]].decode(), format="json-ld")
        found += [str(d) for d in graph.objects(URIRef(SITE_URL + sitepaths.CATALOG_JSONLD), DCAT.dataset)]
        url = next(
            (str(o) for p in graph.subjects(RDF.type, HYDRA.PagedCollection) for o in graph.objects(p, HYDRA.next)),
            None,
        )
        assert len(read) <= len(pages), read  # no page names one already read
    return read, found


def test_a_catalog_of_more_than_a_hundred_datasets_comes_in_pages_a_harvester_walks_to_every_dataset(tiny_summary):
    from gongkai.catalogs.dcat import catalog_jsonld

    entries = _many(tiny_summary, 250)
    pages = catalog_jsonld(entries, tiny_summary[1])
    assert list(pages) == ["catalog.jsonld", "catalog/2.jsonld", "catalog/3.jsonld"]
    read, found = _harvest(pages)
    assert read == [SITE_URL + p for p in pages]
    assert sorted(found) == sorted(SITE_URL + sitepaths.dataset_page(e.name) for e in entries)  # each once
    for k, text in enumerate(pages.values(), 1):
        view = json.loads(text)["hydra:view"]
        assert view["hydra:totalItems"] == 250 and view["hydra:itemsPerPage"] == 100
        assert view["hydra:lastPage"] == view["hydra:last"] == SITE_URL + "catalog/3.jsonld"
        # the older names piveau and udata read as literals, the same pages
        assert view.get("hydra:nextPage") == view.get("hydra:next") and ("hydra:next" in view) == (k < 3)
        assert ("hydra:previous" in view) == (k > 1)
    first = json.loads(pages["catalog.jsonld"])
    assert [d["@id"] for d in first["dcat:dataset"]] == sorted(
        (SITE_URL + sitepaths.dataset_page(e.name) for e in entries[:100]), key=found.index
    )  # the first page: the hundred first published


def test_every_page_of_a_paged_catalog_passes_the_dcat_ap_shapes(shapes, tiny_summary):
    from gongkai.catalogs.dcat import catalog_jsonld

    for path, text in catalog_jsonld(_many(tiny_summary, 201), tiny_summary[1]).items():
        assert SHACL.run(text.decode(), shapes, SHACL.SHAPES) == {}, path
        assert SHACL.deprecated_terms(text.decode(), shapes) == {}, path


def test_a_page_keeps_its_datasets_as_more_are_published_and_a_small_catalog_is_one_file(tiny_summary):
    from gongkai.catalogs.dcat import catalog_jsonld

    def ids(pages):
        return {path: sorted(d["@id"] for d in json.loads(text)["dcat:dataset"]) for path, text in pages.items()}

    before, after = (
        ids(catalog_jsonld(_many(tiny_summary, 230), tiny_summary[1])),
        ids(catalog_jsonld(_many(tiny_summary, 290), tiny_summary[1])),
    )
    assert [before[p] for p in ("catalog.jsonld", "catalog/2.jsonld")] == [
        after[p] for p in ("catalog.jsonld", "catalog/2.jsonld")
    ]
    assert len(before["catalog/3.jsonld"]) == 30 and len(after["catalog/3.jsonld"]) == 90  # the last one fills up
    (only,) = catalog_jsonld(_many(tiny_summary, 100), tiny_summary[1]).values()
    assert "hydra" not in json.loads(only)["@context"] and "hydra:view" not in json.loads(only)
    assert len(json.loads(only)["dcat:dataset"]) == 100


def test_at_ten_thousand_datasets_no_page_nears_a_hosts_limit_for_one_file(tiny_summary):
    """Cloudflare Pages takes no file over 25 MB, GitHub Pages none over 100 MB (core/hosting.py); one
    catalog.jsonld of 10,000 datasets was about 150 MB."""
    from gongkai.catalogs.dcat import catalog_jsonld

    pages = catalog_jsonld(_many(tiny_summary, 10_000), tiny_summary[1])
    assert len(pages) == 100 and max(len(text) for text in pages.values()) < 5_000_000
    assert sum(len(json.loads(text)["dcat:dataset"]) for text in pages.values()) == 10_000
