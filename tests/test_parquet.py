"""Parquet downloads: typed by the Table Schema, value for value the CSV, sorted by the key,
zstd, the same bytes from the same rows, and listed wherever the other downloads are."""

from __future__ import annotations

import csv
import datetime as dt
import decimal
import hashlib
import io
import json
import subprocess
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from conftest import ROOT, examples, gongkai
from gongkai.export import parquetsort
from gongkai.export.parquet import ROW_GROUP_ROWS, ParquetTable, parquet_bytes
from hypothesis import given, settings
from hypothesis import strategies as st

DATASETS = sorted(p.name for p in (ROOT / "datasets").iterdir() if (p / "datapackage.json").is_file())
GIT = ["git", "-c", "user.name=测试", "-c", "user.email=test@example.org", "-c", "commit.gpgsign=false"]


def _resources(site: Path, name: str) -> list[dict]:
    return json.loads((site / "datasets" / name / "datapackage.json").read_text(encoding="utf-8"))["resources"]


def _csv_rows(path: Path) -> tuple[list[str], list[list[str]]]:
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"), newline="")))
    return rows[0], rows[1:]


def _as_text(value, kind: str) -> str | None:
    """A Parquet value as the CSV writes it, for the types the repository's datasets use."""
    if value is None:
        return None
    if kind == "date":
        return value.isoformat()
    return str(value)


def _same_value(value, raw: str, kind: str, missing: list[str]) -> bool:
    if raw in missing:
        return value is None
    if kind == "number":  # exact: a Decimal equal to the written number, never a float
        return isinstance(value, decimal.Decimal) and value == decimal.Decimal(raw)
    if kind == "integer":
        return isinstance(value, int) and value == int(raw)
    return _as_text(value, kind) == raw


@pytest.mark.parametrize("name", DATASETS)
def test_every_resource_reads_back_value_for_value_sorted_by_its_key(built_site, name):
    site = built_site / "site"
    for res in _resources(site, name):
        folder = site / "datasets" / name
        header, rows = _csv_rows(folder / res["path"])
        parquet = pq.ParquetFile(folder / f"{res['name']}.parquet")
        table = parquet.read()
        fields = res["schema"]["fields"]
        assert table.column_names == header == [f["name"] for f in fields]
        key = res["schema"].get("primaryKey", [])
        key = [key] if isinstance(key, str) else key
        if key:
            positions = [header.index(k) for k in key]
            rows = sorted(rows, key=lambda r: [r[i] for i in positions])  # the keys here are text
        got = table.to_pylist()
        assert len(got) == len(rows) == res["rows"]
        missing = res["schema"].get("missingValues", [""])
        for record, raw in zip(got, rows, strict=True):
            for f, cell in zip(fields, raw, strict=True):
                assert _same_value(record[f["name"]], cell, f["type"], missing), (res["name"], f["name"], cell)
        meta = parquet.metadata
        assert {meta.row_group(g).column(c).compression for g in range(meta.num_row_groups) for c in range(3)} == {
            "ZSTD"
        }
        titles = json.loads(parquet.schema_arrow.metadata[b"gongkai.fields"])
        assert [t.get("title") for t in titles] == [f.get("title") for f in fields]


def test_types_follow_the_table_schema(built_tiny):
    table = pq.read_table(built_tiny / "site/datasets/tiny/items.parquet")
    assert table.schema.field("code").type == pa.string()
    assert table.schema.field("amount").type == pa.int64()
    assert pa.types.is_decimal(table.schema.field("share").type)
    assert table.schema.field("day").type == pa.date32()
    rows = table.to_pylist()
    assert [r["code"] for r in rows] == ["000123", "010203", "440100", "999999"]  # sorted, leading zeros kept
    by_code = {r["code"]: r for r in rows}
    assert by_code["440100"]["share"] == decimal.Decimal("0.30000000000000004")  # every digit, no float
    assert by_code["000123"]["share"] == decimal.Decimal("1.10")
    assert by_code["000123"]["day"] == dt.date(2019, 5, 15)
    assert by_code["010203"]["name"] == "多行\n文本" and by_code["440100"]["name"] == "=1+1"
    assert by_code["999999"]["amount"] is None and by_code["999999"]["share"] is None  # empty cells: null
    assert by_code["010203"]["day"] is None
    assert by_code["999999"]["name"] == "NA"  # only the schema's missing values are null


def test_values_no_arrow_type_holds_exactly_keep_their_text(tmp_path):
    fields = [
        {"name": "big", "type": "integer"},
        {"name": "odd", "type": "number"},
        {"name": "wide", "type": "number"},
        {"name": "at", "type": "datetime"},
    ]
    raw = [["99999999999999999999", "NaN", "1.5", "2020-01-01T10:00:00"], ["1", "2", "123.456", "2020-01-02T00:00:00"]]
    typed = [
        [99999999999999999999, decimal.Decimal("NaN"), decimal.Decimal("1.5"), dt.datetime(2020, 1, 1, 10)],
        [1, decimal.Decimal("2"), decimal.Decimal("123.456"), dt.datetime(2020, 1, 2)],
    ]
    table = pq.read_table(pa.BufferReader(parquet_bytes(fields, [], raw, typed)))
    assert table.column("big").to_pylist() == ["99999999999999999999", "1"]  # past int64: text, not a wrong number
    assert table.column("odd").to_pylist() == ["NaN", "2"]
    assert table.schema.field("wide").type == pa.decimal128(6, 3)  # the most places any value has
    assert table.column("wide").to_pylist() == [decimal.Decimal("1.500"), decimal.Decimal("123.456")]
    assert table.schema.field("at").type == pa.timestamp("us")


def test_a_column_split_across_chunks_takes_one_scale_and_one_key_order(tmp_path):
    fields = [{"name": "id", "type": "integer"}, {"name": "x", "type": "number"}]
    sink = ParquetTable(tmp_path / "t.parquet", fields, ["id"])
    sink.add([["3", "1.5"]], [[3, decimal.Decimal("1.5")]])
    sink.add([["1", "10.25"], ["2", "7"]], [[1, decimal.Decimal("10.25")], [2, decimal.Decimal("7")]])
    assert sink.close() == 3
    table = pq.read_table(tmp_path / "t.parquet")
    assert table.schema.field("x").type == pa.decimal128(4, 2)
    assert table.to_pylist() == [
        {"id": 1, "x": decimal.Decimal("10.25")},
        {"id": 2, "x": decimal.Decimal("7.00")},
        {"id": 3, "x": decimal.Decimal("1.50")},
    ]


def test_the_same_rows_give_the_same_bytes_and_row_groups_sized_for_range_reads(tmp_path):
    fields = [{"name": "id", "type": "string"}, {"name": "n", "type": "integer"}]
    rows = [[f"R{i:07d}", str(i % 97)] for i in range(ROW_GROUP_ROWS * 2 + 10)]
    typed = [[r[0], int(r[1])] for r in reversed(rows)]
    first = parquet_bytes(fields, ["id"], [list(r) for r in reversed(rows)], typed)
    assert first == parquet_bytes(fields, ["id"], [list(r) for r in reversed(rows)], typed)
    meta = pq.ParquetFile(pa.BufferReader(first)).metadata
    assert [meta.row_group(g).num_rows for g in range(meta.num_row_groups)] == [ROW_GROUP_ROWS, ROW_GROUP_ROWS, 10]
    stats = [meta.row_group(g).column(0).statistics for g in range(meta.num_row_groups)]
    assert all(a.max < b.min for a, b in zip(stats, stats[1:])), "each row group holds its own key range"


def _small_runs():
    """The external sort at its smallest: every chunk a run of its own, merged two at a time from
    batches of a row or two, so a table of a few rows goes through every round of the merge."""
    from unittest import mock

    return mock.patch.multiple(parquetsort, RUN_BYTES=1, MERGE_BYTES=64, FAN_IN=2)


def _written(fields, key, raw, typed, chunk: int, target=None) -> bytes:
    sink = pa.BufferOutputStream() if target is None else target
    table = ParquetTable(sink, fields, key)
    for start in range(0, len(raw), chunk):
        table.add(raw[start : start + chunk], typed[start : start + chunk])
    assert table.close() == len(raw)
    return sink.getvalue().to_pybytes() if target is None else target.read_bytes()


@settings(max_examples=examples(80))
@given(
    rows=st.lists(st.tuples(st.one_of(st.none(), st.integers(-3, 3)), st.text("ab中", max_size=3)), max_size=60),
    chunk=st.integers(1, 9),
)
def test_in_any_order_and_any_chunks_the_rows_come_out_as_a_stable_sort_of_the_whole_table(rows, chunk):
    fields = [{"name": "k", "type": "integer"}, {"name": "v", "type": "string"}]
    raw = [["" if k is None else str(k), v] for k, v in rows]
    typed = [[k, v] for k, v in rows]
    whole = _written(fields, ["k"], raw, typed, max(len(rows), 1))  # one run, sorted in memory
    with _small_runs():
        merged = _written(fields, ["k"], raw, typed, chunk)  # spilled runs, merged in rounds
    assert merged == whole
    expected = sorted(rows, key=lambda r: (r[0] is None, r[0] or 0))  # stable; nulls last, as Arrow sorts
    assert pq.read_table(pa.BufferReader(merged)).to_pylist() == [{"k": k, "v": v} for k, v in expected]


def test_a_table_out_of_key_order_is_merged_from_runs_on_disk_removed_once_the_file_is_written(tmp_path):
    from unittest import mock

    fields = [{"name": "district", "type": "string"}, {"name": "n", "type": "integer"}, {"name": "x", "type": "number"}]
    rows = [(f"D{(i * 7919) % 13:02d}", (i * 104729) % 70_001, decimal.Decimal(i % 100) / 8) for i in range(70_000)]
    raw = [[d, str(n), str(x)] for d, n, x in rows]
    typed = [list(r) for r in rows]
    key = ["district", "n"]
    in_memory = _written(fields, key, raw, typed, len(rows))  # one run: sorted in memory
    target = tmp_path / "cache" / "t.parquet"
    target.parent.mkdir()
    table = ParquetTable(target, fields, key)
    for start in range(0, len(rows), 1_500):
        table.add(raw[start : start + 1_500], typed[start : start + 1_500])
    assert [p.name[:9] for p in target.parent.iterdir()] == [".parquet-"]  # the chunks wait beside the file
    with mock.patch.multiple(parquetsort, RUN_BYTES=200_000, MERGE_BYTES=2**16, FAN_IN=4):  # 14 runs, 2 rounds
        assert table.close() == len(rows)
    assert [p.name for p in target.parent.iterdir()] == ["t.parquet"]  # and are gone once it is written
    assert target.read_bytes() == in_memory  # the same bytes whichever way the rows were sorted
    assert pq.read_table(target).to_pylist() == [{"district": d, "n": n, "x": x} for d, n, x in sorted(rows)]
    meta = pq.ParquetFile(target).metadata
    assert [meta.row_group(g).num_rows for g in range(meta.num_row_groups)] == [ROW_GROUP_ROWS, 70_000 - ROW_GROUP_ROWS]


def test_an_export_that_stops_midway_leaves_no_spill_in_the_cache_folder(tmp_path):
    import gc

    table = ParquetTable(tmp_path / "t.parquet", [{"name": "n", "type": "integer"}], ["n"])
    table.add([["2"], ["1"]], [[2], [1]])
    assert any(tmp_path.iterdir())
    del table  # an error elsewhere in the export: close() is never called
    gc.collect()
    assert list(tmp_path.iterdir()) == []


def test_each_parquet_is_listed_with_its_bytes_and_sha256(built_site):
    site = built_site / "site"
    sums = dict(
        reversed(line.split("  ", 1)) for line in (site / "SHA256SUMS").read_text(encoding="utf-8").splitlines()
    )
    catalog = json.loads((site / "catalog.json").read_text(encoding="utf-8"))
    listed = {f["path"]: f for d in catalog["datasets"] for f in d["files"] if f["format"] == "parquet"}
    for name in DATASETS:
        for res in _resources(site, name):
            path = f"datasets/{name}/{res['name']}.parquet"
            data = (site / path).read_bytes()
            digest = hashlib.sha256(data).hexdigest()
            (alternate,) = res["alternates"]
            assert alternate == {
                "path": f"{res['name']}.parquet",
                "format": "parquet",
                "mediatype": "application/vnd.apache.parquet",
                "bytes": len(data),
                "hash": f"sha256:{digest}",
            }
            assert listed[path]["bytes"] == len(data) and listed[path]["sha256"] == digest
            assert listed[path]["mediatype"] == "application/vnd.apache.parquet"
            assert sums[path] == digest
            version = json.loads((site / "datasets" / name / "datapackage.json").read_text())["version"]
            assert sums[f"datasets/{name}/{version}/{res['name']}.parquet"] == digest  # the current version's copy
        page = (site / "datasets" / name / "index.html").read_text(encoding="utf-8")
        assert f'href="{_resources(site, name)[0]["name"]}.parquet"' in page  # in 其他格式 and the file list
        assert 'href="query/"' in page


def _git(repo: Path, *args: str) -> None:
    subprocess.run([*GIT, *args], cwd=repo, check=True, capture_output=True)


def test_a_version_from_history_has_its_parquet_locked_by_path_not_by_bytes(repo_factory):
    repo = repo_factory(packages=["tiny"])
    (repo / ".gitignore").write_text("build/\nsite/\nsite.new/\n", encoding="utf-8")
    _git(repo, "init", "-q")
    _git(repo, "add", "-A")
    _git(repo, "commit", "-q", "-m", "tiny 1.0.0")
    first = (repo / "datasets/tiny/data/items.csv").read_bytes()
    desc = json.loads((repo / "datasets/tiny/datapackage.json").read_text(encoding="utf-8"))
    desc.update(version="1.1.0", modified="2026-02-01")
    (repo / "datasets/tiny/datapackage.json").write_text(json.dumps(desc, ensure_ascii=False), encoding="utf-8")
    changelog = repo / "datasets/tiny/CHANGELOG.md"
    title, rest = changelog.read_text(encoding="utf-8").split("\n", 1)
    changelog.write_text(f"{title}\n\n## 1.1.0 — 2026-02-01\n\n改正一个值。\n{rest}", encoding="utf-8")
    csv_file = repo / "datasets/tiny/data/items.csv"
    csv_file.write_text(csv_file.read_text(encoding="utf-8").replace("999999,NA", "999999,改过"), encoding="utf-8")
    _git(repo, "add", "-A")
    _git(repo, "commit", "-q", "-m", "tiny 1.1.0")
    assert gongkai("lock", cwd=repo).returncode == 0
    built = gongkai("build", cwd=repo)
    assert built.returncode == 0, built.stdout + built.stderr
    site = repo / "site"
    old = pq.read_table(site / "datasets/tiny/1.0.0/items.parquet").to_pylist()
    new = pq.read_table(site / "datasets/tiny/1.1.0/items.parquet").to_pylist()
    assert [r["name"] for r in old][-1] == "NA" and [r["name"] for r in new][-1] == "改过"
    header, rows = _csv_rows(site / "datasets/tiny/1.0.0/items.csv")
    assert (site / "datasets/tiny/1.0.0/items.csv").read_bytes() == first
    assert sorted(r[0] for r in rows) == [r["code"] for r in old]
    sums = (site / "SHA256SUMS").read_text(encoding="utf-8")
    digest = hashlib.sha256((site / "datasets/tiny/1.0.0/items.parquet").read_bytes()).hexdigest()
    assert f"{digest}  datasets/tiny/1.0.0/items.parquet\n" in sums
    lock = (repo / "urls.lock").read_text(encoding="utf-8").splitlines()
    # its values never change, but its bytes may with the writer: locked as a path, not a hash
    assert "/datasets/tiny/1.0.0/items.parquet" in lock
    assert any(line.startswith("/datasets/tiny/1.0.0/items.csv ") for line in lock)


def test_the_pandas_parquet_snippet_on_each_page_reads_the_typed_table(built_site):
    import html
    import re

    from rangeserver import serving

    site = built_site / "site"
    with serving(site) as (base, _):
        for name in DATASETS:
            page = (site / "datasets" / name / "index.html").read_text(encoding="utf-8")
            code = next(
                html.unescape(c)
                for c in re.findall(r'<code class="language-python">(.*?)</code>', page, re.S)
                if "pd.read_parquet" in c
            )
            url = re.search(r'read_parquet\("([^"]+)"\)', code)[1]
            local = code.replace(url, base + url.split("/gongkai/", 1)[1])
            scope: dict = {}
            exec(local, scope)  # the snippet as the page shows it, at this server
            expected = pq.read_table(site / url.split("/gongkai/", 1)[1]).to_pandas()
            assert scope["df"].equals(expected) and len(expected) == _resources(site, name)[0]["rows"]


def _host_headers(site: Path, path: str) -> dict[str, str]:
    """The headers a static host that reads _headers (Netlify, Cloudflare Pages) sends for a path:
    every rule whose pattern matches (a * matches anything, slashes too) adds its headers."""
    import fnmatch

    found: dict[str, str] = {}
    pattern = None
    for line in (site / "_headers").read_text(encoding="utf-8").splitlines():
        if not line.startswith(" "):
            pattern = line
        elif fnmatch.fnmatchcase(path, pattern):
            name, value = line.strip().split(": ", 1)
            found[name] = value
    return found


def test_parquet_is_served_and_catalogued_with_its_registered_media_type(built_site):
    from rdflib import Graph, URIRef
    from rdflib.namespace import DCAT

    site = built_site / "site"
    files = sorted(p.relative_to(site).as_posix() for p in site.rglob("*.parquet"))
    assert any(f.count("/") == 3 for f in files) and len(files) > len(DATASETS)  # current files, versions' copies
    for path in files:
        assert _host_headers(site, "/" + path)["Content-Type"] == "application/vnd.apache.parquet", path
    for other in ("/catalog.json", f"/datasets/{DATASETS[0]}/{_resources(site, DATASETS[0])[0]['path']}"):
        assert "Content-Type" not in _host_headers(site, other), other  # the host's own type from the name
    graph = Graph().parse(data=(site / "catalog.jsonld").read_text(encoding="utf-8"), format="json-ld")
    parquet = [d for d in graph.subjects(DCAT.downloadURL, None) if str(d).endswith(".parquet#distribution")]
    assert parquet
    for d in parquet:
        assert graph.value(d, DCAT.mediaType) == URIRef(
            "http://www.iana.org/assignments/media-types/application/vnd.apache.parquet"
        )
