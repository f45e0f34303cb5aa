"""The export reads each table as few times as the work needs, and the files come out the same.

The current version's folder is written from the export's copies instead of reading the CSV
into memory, the copies are hashed as they are written, and one typed pass feeds the XLSX,
the JSON and the charts. These tests hold each shortcut to the long way's bytes.
"""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from datetime import datetime

from gongkai.core.config import load_settings
from gongkai.core.output import file_digest
from gongkai.export.charts import draw_charts
from gongkai.export.downloads import BOM, copy_hashed
from gongkai.export.jsonrecords import write_json
from gongkai.export.xlsx import write_xlsx
from gongkai.perdataset import export_entry
from gongkai.publish.history import Version, version_files, write_current_version
from gongkai.read.load import discover
from gongkai.read.tables import read_tables


def _tiny(repo_factory):
    repo = repo_factory(packages=["tiny"], real=["administrative-divisions", "disclosure-overview"])
    settings = load_settings(repo)
    return repo, settings, {ds.name: ds for ds in discover(repo / "datasets")}


def test_the_current_version_written_from_the_export_has_the_bytes_read_from_the_working_tree(repo_factory, tmp_path):
    repo, settings, datasets = _tiny(repo_factory)
    for ds in datasets.values():  # one table, and two tables with a view
        folder = tmp_path / ds.name
        entry = export_entry(ds, settings, folder)
        copies = {
            d.resource: (entry.exported.files[d.path], d.bytes, d.sha256)
            for d in entry.exported.downloads
            if d.kind == "csv"
        }
        parquets = {
            d.resource: (entry.exported.files[d.path], d.bytes, d.sha256)
            for d in entry.exported.downloads
            if d.kind == "parquet"
        }
        written, digests, problems = write_current_version(ds, folder, copies, parquets)
        expected, broken = version_files(repo, ds, Version(ds.loaded["version"], None, ds.loaded["modified"]))
        assert problems == broken == []
        assert sorted(written) == sorted(expected)
        for rel, path in written.items():
            assert path.read_bytes() == expected[rel], rel
            assert digests[rel] == file_digest(path), rel
        archive = zipfile.ZipFile(io.BytesIO(expected[next(r for r in expected if r.endswith(".zip"))]))
        for res in ds.resources:  # the zip holds the data as committed, value for value
            member = f"{ds.name}-{ds.loaded['version']}/{res['path']}"
            assert archive.read(member) == (ds.root / res["path"]).read_bytes()


def test_the_copies_are_the_csv_byte_for_byte_and_their_hashes_are_of_what_was_written(tmp_path):
    source = tmp_path / "in.csv"
    source.write_bytes("代码,名称\n440103,荔湾区\n".encode() * 70_000)  # over a megabyte: several blocks
    plain, bom = tmp_path / "a.csv", tmp_path / "a.bom.csv"
    found = copy_hashed(source, {plain: b"", bom: BOM})
    assert plain.read_bytes() == source.read_bytes()
    assert bom.read_bytes() == b"\xef\xbb\xbf" + source.read_bytes()
    assert found == {plain: file_digest(plain), bom: file_digest(bom)}
    assert found[plain][1] == hashlib.sha256(source.read_bytes()).hexdigest()


def test_the_one_typed_pass_writes_what_each_format_writes_on_its_own(repo_factory, tmp_path):
    repo, settings, datasets = _tiny(repo_factory)
    ds = datasets["disclosure-overview"]  # two tables, one drawn by views
    entry = export_entry(ds, settings, tmp_path / "together")
    by_path = entry.exported.files
    tables = read_tables(ds, settings.limits.preview_rows)
    for table in tables:
        base = f"datasets/{ds.name}/{table.name}"
        alone = tmp_path / f"{table.name}.json"
        write_json(table, alone)
        assert by_path[f"{base}.json"].read_bytes() == alone.read_bytes()
        assert len(json.loads(alone.read_text(encoding="utf-8"))) == table.rows
        sheet = tmp_path / f"{table.name}.xlsx"
        stamp = datetime.strptime(ds.loaded["modified"], "%Y-%m-%d")
        write_xlsx(table, sheet, stamp)
        assert by_path[f"{base}.xlsx"].read_bytes() == sheet.read_bytes()
    svgs, problems = draw_charts(ds, tables, settings.limits)  # each table read here on its own
    assert problems == [] and svgs and set(svgs) == set(entry.exported.charts)
    for name, svg in svgs.items():
        assert by_path[f"datasets/{ds.name}/{name}.svg"].read_bytes() == svg


def _survey_facts(table):
    return (
        table.path,
        table.header,
        table.fast,
        table.rows,
        table.preview,
        table.formulas,
        {spec: (tab.columns, tab.counts) for spec, tab in table.crosstabs.items()},
        table.unsafe_cell,
        [vars(p) for p in table.profiles],
    )


def test_the_surveys_taken_during_validation_are_what_reading_each_table_again_finds(repo_factory):
    from gongkai.read.tables import Surveys
    from gongkai.validate.validator import validate_dataset

    # tiny has quoted cells, so the fast path gives up on it and the strict parser's survey is used;
    # administrative-divisions has a foreign key (the strict way); disclosure-overview is read the fast way
    repo = repo_factory(packages=["tiny"], real=["administrative-divisions", "disclosure-overview"])
    settings = load_settings(repo)
    for ds in discover(repo / "datasets"):
        surveys = Surveys(ds, settings.limits.preview_rows)
        assert not [p for p in validate_dataset(ds, settings, surveys) if p.is_error]
        # the strict parser's survey stands in only where the export would use that parser too: streets
        # (with a foreign key); districts, plain, is typed the fast way and read again for it
        expected = ["data/streets.csv"] if ds.name == "administrative-divisions" else [r["path"] for r in ds.resources]
        assert sorted(surveys.tables) == sorted(expected), ds.name
        again = [_survey_facts(t) for t in read_tables(ds, settings.limits.preview_rows)]
        assert [_survey_facts(t) for t in read_tables(ds, settings.limits.preview_rows, surveys)] == again, ds.name


def test_a_table_that_fails_validation_is_never_surveyed_and_validation_still_reports_it(repo_factory):
    from gongkai.read.tables import Surveys
    from gongkai.validate.validator import validate_dataset

    repo = repo_factory(packages=["tiny"])
    [ds] = discover(repo / "datasets")
    data = ds.root / ds.resources[0]["path"]
    lines = data.read_bytes().split(b"\n")
    lines[2] = lines[2].replace(b",", b',"', 1) + b'"'  # row 2's cells run together in one quoted cell
    data.write_bytes(b"\n".join(lines))
    [ds] = discover(repo / "datasets")
    settings = load_settings(repo)
    surveys = Surveys(ds, settings.limits.preview_rows)
    problems = validate_dataset(ds, settings, surveys)
    assert any(p.is_error and p.line == 3 for p in problems)
    assert surveys.tables == {}
