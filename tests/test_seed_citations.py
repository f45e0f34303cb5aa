"""The seed datasets cite the official annual report behind the article, and mark a figure as
stated by the report only where the report's words were read."""

from __future__ import annotations

import csv
import json
import os
import re
from pathlib import Path

import pytest
from conftest import ROOT
from selectolax.lexbor import LexborHTMLParser
from test_datasets import ARTICLE, SEED_DATASETS, rows

REPORT_ID = "gz-city-2018"
TITLE = "广州市人民政府2018年政府信息公开工作年度报告"
REPORTS = ROOT / "datasets/disclosure-annual-reports"
# The hand transcription of the annual reports (reports.csv, figures.csv, SOURCE.md), as in
# test_annual_reports.py; the comparisons with it are skipped where it is absent.
SHARED = Path(os.environ.get("GONGKAI_ANNUAL_REPORTS_SOURCE", ROOT.parent / "shared/data/gz-annual-reports"))


def _table(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def _descriptor(name: str) -> dict:
    return json.loads((ROOT / "datasets" / name / "datapackage.json").read_text(encoding="utf-8"))


def _report_source(name: str) -> dict:
    found = [s for s in _descriptor(name)["sources"] if s["title"] == TITLE]
    assert len(found) == 1, name
    return found[0]


def _shared() -> Path:
    if not (SHARED / "SOURCE.md").is_file():
        pytest.skip(f"the transcription is not here ({SHARED}); set GONGKAI_ANNUAL_REPORTS_SOURCE")
    return SHARED


def _what_was_read_of_the_report(folder: Path) -> str:
    """The report's words as the transcription shows them: the phrases of its figures, and
    SOURCE.md, whose note on the 2018 report quotes the sentence read in a copy of the full
    report (its lines joined again: the wrap falls inside that sentence)."""
    phrases = [r["phrase"] for r in _table(folder / "figures.csv") if r["report_id"] == REPORT_ID]
    note = re.sub(r"\n\s*", "", (folder / "SOURCE.md").read_text(encoding="utf-8"))
    return "\n".join([*phrases, note])


def _figures() -> list[tuple[str, dict[str, str]]]:
    return [(name, row) for name in SEED_DATASETS for row in rows(name, "figures")]


@pytest.mark.parametrize("name", SEED_DATASETS)
def test_the_official_report_is_cited_beside_the_article_as_the_reports_table_lists_it(name):
    sources = _descriptor(name)["sources"]
    assert sources[0]["date"] == "2019-05-16" and "新闻报道" in sources[0]["title"]  # the article stays first
    cited = _report_source(name)
    (listed,) = [r for r in _table(REPORTS / "data/reports.csv") if r["report_id"] == REPORT_ID]
    assert TITLE == f"{listed['body']}{listed['year']}年政府信息公开工作年度报告"
    assert cited["path"] == listed["url"] and cited["date"] == listed["published_date"] == "2019-03-20"


def test_the_cited_url_and_date_are_the_transcriptions():
    (listed,) = [r for r in _table(_shared() / "reports.csv") if r["report_id"] == REPORT_ID]
    for name in SEED_DATASETS:
        cited = _report_source(name)
        assert (cited["path"], cited["date"]) == (listed["url"], listed["published"]), name


def test_every_figure_says_whether_the_report_states_it_and_only_the_reports_words_confirm():
    marked = {}
    for name, row in _figures():
        phrase = row["report_phrase"]  # every seed figure carries the column
        assert phrase == phrase.strip(), (name, row["id"])
        if phrase:
            marked[name, row["id"]] = phrase
            # the report states this figure, in the article's words (SOURCE.md: word for word)
            assert row["quote"] in phrase and phrase in ARTICLE[int(row["paragraph"]) - 1], (name, row["id"])
            assert re.sub(r"\D", "", row["value"]) in phrase, (name, row["id"])
    # the repository's own record of what was read (the annual reports dataset's limits) quotes each phrase
    limits = (REPORTS / "README.md").read_text(encoding="utf-8")
    assert all(phrase in limits for phrase in marked.values())
    assert set(marked) == {("decision-openness", "power-list-categories"), ("decision-openness", "power-list-items")}


def test_a_figure_is_marked_exactly_where_the_transcription_shows_the_report_stating_it():
    read = _what_was_read_of_the_report(_shared())
    for name, row in _figures():
        if row["report_phrase"]:
            assert row["report_phrase"] in read, (name, row["id"])
        else:
            assert row["quote"] not in read, (name, row["id"], "the report states it, but it is not marked")


@pytest.mark.parametrize("name", SEED_DATASETS)
def test_the_readme_says_what_the_report_confirms_and_what_rests_on_the_article(name):
    readme = (ROOT / "datasets" / name / "README.md").read_text(encoding="utf-8")
    section = readme.split("## 来源与处理", 1)[1].split("## 许可", 1)[0]
    assert _report_source(name)["path"] in section and "只读到官方页面的开头部分" in section
    figures = rows(name, "figures")
    confirmed = [r for r in figures if r["report_phrase"]]
    for row in confirmed:
        assert row["report_phrase"] in section, row["id"]
    for row in figures:
        if not row["report_phrase"]:  # named among the article's alone, inner quotation marks as ‘ ’
            assert row["quote"].replace("“", "‘").replace("”", "’") in section, row["id"]
    assert "只出自新闻报道" in section
    assert ("全部为空" in section) == (not confirmed)
    field = {f["name"]: f for r in _descriptor(name)["resources"] for f in r["schema"]["fields"]}["report_phrase"]
    assert field["title"] == "年度报告原文"
    assert TITLE in field["description"] and "只出自新闻报道" in field["description"]


def test_the_dataset_page_lists_both_sources_and_the_column(built_site):
    for page in ["datasets/decision-openness/index.html", "en/datasets/decision-openness/index.html"]:
        html = LexborHTMLParser((built_site / "site" / page).read_text(encoding="utf-8"))
        items = html.css("ul.gk-sources > li")
        assert len(items) == 2
        assert "新闻报道" in items[0].text() and "2019-05-16" in items[0].text()
        link = items[1].css_first("a")
        assert link.text() == TITLE and link.attributes["href"] == _report_source("decision-openness")["path"]
        assert "2019-03-20" in items[1].text()
        assert "年度报告原文" in html.body.text()  # the column, in the data dictionary (a field's title)
