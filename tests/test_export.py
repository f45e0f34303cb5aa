"""Every download reads back, value for value, against an independent parse of the source CSV."""

from __future__ import annotations

import hashlib
import json
import re
import zipfile
from pathlib import Path

import openpyxl
import pytest
from conftest import ROOT, generate, gongkai
from frictionless import Package
from readback import check_json, check_xlsx, descriptor, source_table

REAL = sorted(p.name for p in (ROOT / "datasets").iterdir() if p.is_dir())


@pytest.fixture
def tiny_site(built_tiny):
    return built_tiny


def cases(repo: Path, name: str):
    src = repo / "datasets" / name
    pkg = descriptor(src)
    for res in pkg["resources"]:
        header, rows = source_table(src, res)
        yield src, repo / "site" / "datasets" / name, res, header, rows


def check_dataset(repo: Path, name: str) -> None:
    for src, out, res, header, rows in cases(repo, name):
        fields = res["schema"]["fields"]
        assert header == [f["name"] for f in fields]
        stem = res["name"]

        # CSV: the original, byte for byte
        assert (out / f"{stem}.csv").read_bytes() == (src / res["path"]).read_bytes()

        missing = res["schema"].get("missingValues", [""])
        check_json((out / f"{stem}.json").read_bytes(), fields, rows, missing)
        check_xlsx((out / f"{stem}.xlsx").read_bytes(), fields, rows, missing)

    # datapackage.json: resolves against its own URL, with sizes, hashes and row counts
    published = json.loads((out / "datapackage.json").read_text(encoding="utf-8"))
    for res in published["resources"]:
        data = (out / res["path"]).read_bytes()
        assert res["path"] == f"{res['name']}.csv"
        assert res["bytes"] == len(data)
        assert res["hash"] == "sha256:" + hashlib.sha256(data).hexdigest()
        assert res["rows"] == len(source_table(src, {"path": f"data/{res['name']}.csv"})[1])
    report = Package(str(out / "datapackage.json")).validate()
    assert report.valid, report.flatten(["type", "note"])

    # zip: the package as in the repository
    with zipfile.ZipFile(out / f"{name}.zip") as zf:
        names = set(zf.namelist())
        for res in descriptor(src)["resources"]:
            assert zf.read(f"{name}/{res['path']}") == (src / res["path"]).read_bytes()
        assert {f"{name}/datapackage.json", f"{name}/README.md", f"{name}/CHANGELOG.md"} <= names
        inner = json.loads(zf.read(f"{name}/datapackage.json"))
        assert [r["path"] for r in inner["resources"]] == [r["path"] for r in descriptor(src)["resources"]]


def test_tiny_fixture_downloads_read_back_value_for_value(tiny_site):
    check_dataset(tiny_site, "tiny")


def test_tricky_values_survive_every_format(tiny_site):
    out = tiny_site / "site/datasets/tiny"
    records = json.loads((out / "items.json").read_text(encoding="utf-8"))
    assert [r["code"] for r in records] == ["000123", "440100", "010203", "999999"]
    assert records[1]["name"] == "=1+1" and records[3]["name"] == "NA" and records[2]["name"] == "多行\n文本"
    assert records[2]["day"] is None and records[3]["amount"] is None
    ws = openpyxl.load_workbook(out / "items.xlsx")["数据"]
    assert ws["A2"].value == "000123" and ws["A2"].data_type == "s"
    assert ws["B3"].value == "=1+1" and ws["B3"].data_type == "s"
    # 17 significant digits would be rounded by Excel; the cell keeps the text instead
    assert ws["D3"].value == "0.30000000000000004"
    # and the page says both things a spreadsheet user needs to know
    page = (out / "index.html").read_text(encoding="utf-8")
    assert "1 个单元格以 = + - @ 等字符开头" in page
    assert "1 个数值 Excel 无法原样保存（超过 15 位有效数字" in page


@pytest.mark.parametrize("name", REAL)
def test_real_downloads_read_back_value_for_value(built_site, name):
    check_dataset(built_site, name)


def test_sha256sums_lists_every_download_with_its_hash(built_site):
    site = built_site / "site"
    lines = (site / "SHA256SUMS").read_text(encoding="utf-8").splitlines()
    listed = {}
    for line in lines:
        digest, path = re.fullmatch(r"([0-9a-f]{64})  (\S+)", line).groups()
        listed[path] = digest
    for path, digest in listed.items():
        assert hashlib.sha256((site / path).read_bytes()).hexdigest() == digest
    downloads = {
        p.relative_to(site).as_posix() for p in (site / "datasets").rglob("*") if p.is_file() and p.name != "index.html"
    }
    assert set(listed) == downloads


def test_exports_are_byte_identical_across_builds(tiny_site, tmp_path):
    from conftest import make_repo

    again = make_repo(tmp_path, packages=["tiny"])
    assert gongkai("build", cwd=again).returncode == 0
    first = tiny_site / "site/datasets/tiny"
    files = sorted(f for f in first.rglob("*") if f.is_file())
    assert any(f.parent.name == "1.0.0" for f in files)  # the version's own files too
    for f in files:
        rel = f.relative_to(first)
        assert (again / "site/datasets/tiny" / rel).read_bytes() == f.read_bytes(), rel


def test_xlsx_is_not_produced_when_a_cell_is_too_long_for_excel(repo_factory):
    repo = repo_factory(["tiny"])
    csv = repo / "datasets/tiny/data/items.csv"
    csv.write_text(csv.read_text(encoding="utf-8").replace("999999,NA", "999999," + "长" * 40000), encoding="utf-8")
    out = generate(repo) / "datasets/tiny"  # the downloads as published, and the page gongkai writes for MkDocs
    assert not (out / "items.xlsx").exists()
    assert (out / "items.csv").read_bytes() == csv.read_bytes()
    assert "超过 Excel 单元格 32767 字符上限" in (out / "index.md").read_text(encoding="utf-8")
