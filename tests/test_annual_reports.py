"""The annual reports dataset holds its transcription value for value, and each number is the printed one."""

from __future__ import annotations

import csv
import os
import re
from decimal import Decimal
from pathlib import Path

import pytest
from conftest import ROOT

DATASET = ROOT / "datasets/disclosure-annual-reports"
# The hand transcription the dataset was made from (reports.csv, figures.csv, SOURCE.md); set
# GONGKAI_ANNUAL_REPORTS_SOURCE to its folder. Without it, the tests against it are skipped.
SOURCE = Path(os.environ.get("GONGKAI_ANNUAL_REPORTS_SOURCE", ROOT.parent / "shared/data/gz-annual-reports"))
NOT_QUANTITIES = {"020—83126455", "第一", "第二", "十五", "4位;5场", "10个部门;13场"}


def read(folder: Path, resource: str) -> list[dict[str, str]]:
    with (folder / f"{resource}.csv").open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def printed_number(text: str) -> tuple[Decimal, str, str] | None:
    """(number, qualifier, unit from the value) as a reader reads "超80.5万", "50余", "+19", "5.26%"."""
    m = re.fullmatch(r"(超|近|突破)?\+?([0-9]+(?:\.[0-9]+)?)(万)?(余|多)?(%)?", text)
    if m is None:
        return None
    number = Decimal(m[2]) * (Decimal(10000) if m[3] else 1)
    return number, m[1] or m[4] or "", "%" if m[5] else ""


def source() -> Path:
    if not (SOURCE / "figures.csv").is_file():
        pytest.skip(f"the transcription is not here ({SOURCE}); set GONGKAI_ANNUAL_REPORTS_SOURCE")
    return SOURCE


def test_every_report_of_the_source_is_in_the_dataset_as_given():
    src = read(source(), "reports")
    ours = read(DATASET / "data", "reports")
    assert len(ours) == len(src) == 36
    for s, o in zip(src, ours, strict=True):
        assert {k: o[k] for k in s} == s  # every column, text exactly as transcribed, same order


def test_every_figure_of_the_source_is_in_the_dataset_with_its_text_labels_and_phrase():
    src = read(source(), "figures")
    ours = read(DATASET / "data", "figures")
    assert len(ours) == len(src) == 269
    for s, o in zip(src, ours, strict=True):
        for column in ("report_id", "table", "row_label", "column_label", "phrase"):
            assert o[column] == s[column], (o["id"], column)
        assert o["value_text"] == s["value"], o["id"]
        # the unit as given; a percentage's % comes from its printed value, where the source leaves the unit empty
        assert o["unit"] == (s["unit"] or ("%" if s["value"].endswith("%") else "")), o["id"]


def test_each_number_is_the_printed_value_and_non_quantities_stay_text():
    rows = read(DATASET / "data", "figures")
    for row in rows:
        parsed = printed_number(row["value_text"])
        if parsed is None:
            assert row["value_text"] in NOT_QUANTITIES and row["value"] == "" and row["qualifier"] == "", row
            continue
        number, qualifier, unit = parsed
        assert Decimal(row["value"]) == number, row
        assert row["qualifier"] == qualifier, row
        if unit:
            assert row["unit"] == unit, row
    by_text = {r["value_text"]: r for r in rows}
    assert (by_text["4.14万"]["value"], by_text["+19"]["value"], by_text["5.26%"]["value"]) == ("41400", "19", "5.26")
    assert (by_text["超80.5万"]["value"], by_text["超80.5万"]["qualifier"]) == ("805000", "超")
    assert sum(r["value"] == "" for r in rows) == len(NOT_QUANTITIES)


def test_a_publication_date_only_where_the_page_shows_a_full_day():
    for row in read(DATASET / "data", "reports"):
        day = re.fullmatch(r"([0-9]{4}-[0-9]{2}-[0-9]{2})( [0-9]{2}:[0-9]{2}:[0-9]{2})?", row["published"])
        assert row["published_date"] == (day[1] if day else ""), row
    dates = {r["report_id"]: r["published_date"] for r in read(DATASET / "data", "reports")}
    assert dates["gz-city-2018"] == "2019-03-20" and dates["gz-city-2013"] == ""  # "2014年3月 (date line)"


def test_every_figure_belongs_to_a_listed_report():
    reports = {r["report_id"] for r in read(DATASET / "data", "reports")}
    figures = read(DATASET / "data", "figures")
    assert {f["report_id"] for f in figures} <= reports
    assert len({f["id"] for f in figures}) == len(figures)
