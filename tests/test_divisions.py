"""Guangzhou's districts and 街镇: real records, keys between tables, and the cross-check."""

from __future__ import annotations

import csv
import json
import re

from conftest import ROOT
from test_validate import run

DATASET = ROOT / "datasets/administrative-divisions"
KINDS = [(1, 99, "街道"), (100, 199, "镇"), (200, 399, "乡"), (400, 599, "类似乡级单位")]


def read(resource: str) -> list[dict]:
    with (DATASET / "data" / f"{resource}.csv").open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def test_codes_are_strings_of_six_and_nine_digits():
    districts, streets = read("districts"), read("streets")
    assert len(districts) == 11 and len(streets) == 178
    assert all(re.fullmatch(r"\d{6}", d["code"]) for d in districts)
    assert all(re.fullmatch(r"\d{9}", s["code"]) for s in streets)
    fields = {
        r["name"]: r["schema"]["fields"]
        for r in json.loads((DATASET / "datapackage.json").read_text(encoding="utf-8"))["resources"]
    }
    assert all(f["type"] == "string" for f in fields["districts"] + fields["streets"] if f["name"].endswith("code"))


def test_kind_follows_digits_7_to_9_of_the_code_never_the_name():
    for s in read("streets"):
        n = int(s["code"][6:9])
        assert s["kind"] == next(kind for lo, hi, kind in KINDS if lo <= n <= hi), s


def test_counts_by_kind_match_the_code_list():
    kinds = [s["kind"] for s in read("streets")]
    assert (kinds.count("街道"), kinds.count("镇"), kinds.count("类似乡级单位")) == (142, 34, 2)
    special = {s["code"]: s["name"] for s in read("streets") if s["kind"] == "类似乡级单位"}
    assert special == {"440117404": "黄龙带水库", "440117405": "大岭山林场"}


def test_each_unit_names_its_district_by_code_and_name():
    names = {d["code"]: d["name"] for d in read("districts")}
    for s in read("streets"):
        assert s["code"].startswith(s["district_code"])
        assert names[s["district_code"]] == s["district_name"]


def test_a_street_pointing_at_a_missing_district_is_reported(repo_factory):
    report = run(repo_factory(["foreign-key"]))
    assert report.flatten(["file", "line", "field", "code"]) == [
        ["datasets/foreign-key/data/streets.csv", 4, "district_code", "foreign-key"]
    ]
    assert '"440199"' in report.problems[0].message and 'resource "districts"' in report.problems[0].message


def test_a_crosstab_must_name_real_fields(repo_factory):
    repo = repo_factory(["foreign-key"])
    path = repo / "datasets/foreign-key/datapackage.json"
    desc = json.loads(path.read_text(encoding="utf-8"))
    desc["crosstabs"] = [{"title": "各区数量", "resource": "streets", "rows": "district_code", "columns": "kind"}]
    path.write_text(json.dumps(desc, ensure_ascii=False, indent=2), encoding="utf-8")
    assert ["/crosstabs/0/columns", "metadata-profile"] in run(repo).flatten(["field", "code"])


def _text(html: str) -> str:
    return re.sub(r"\s+", "", re.sub(r"<[^>]+>", "", html))


def test_the_page_shows_counts_per_district_and_kind_and_the_cross_check(built_site):
    page = _text((built_site / "site/datasets/administrative-divisions/index.html").read_text(encoding="utf-8"))
    assert "所属区\\类别街道镇类似乡级单位合计" in page
    assert "从化区352" + "10" in page  # 3 街道, 5 镇, 2 类似乡级单位, 10 in all
    assert "合计142342178" in page
    for phrase in ["172个街镇", "2019年5月16日", "176个街镇", "142个街道+34个镇", "截止时间2022年10月31日"]:
        assert phrase in page, phrase


def test_the_services_page_states_both_figures_unaltered(built_site):
    page = _text((built_site / "site/datasets/government-services/index.html").read_text(encoding="utf-8"))
    for phrase in ["172个街镇", "176个街镇", "142个街道+34个镇", "乡级单位合计178个", "截止时间2022年10月31日"]:
        assert phrase in page, phrase
    services = {
        r["id"]: r["value"]
        for r in csv.DictReader((ROOT / "datasets/government-services/data/figures.csv").open(encoding="utf-8"))
    }
    assert services["streets-towns-onboarded"] == "172"
