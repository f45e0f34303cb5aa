"""The data period (temporal): read once, said as readers say it in each language, and the catalog's
year filter built from it, not from the date the site last updated a dataset."""

from __future__ import annotations

import json
import re

import pytest
from conftest import ROOT
from gongkai.core.config import load_settings
from gongkai.read.period import parse_period
from gongkai.render.catalog import Summary, card_model
from gongkai.render.listings import render_catalog
from gongkai.render.period import period_fields
from gongkai.render.quality import assess


@pytest.mark.parametrize(
    ("temporal", "zh", "en", "kind"),
    [
        ("2022-10-31", "截至2022年10月31日", "as of 31 October 2022", "instant"),
        ("2018-01-01/2018-12-31", "2018年", "2018", "interval"),
        ("2015-01-01/2019-12-31", "2015年—2019年", "2015–2019", "interval"),
        ("2018-01-01/2018-06-30", "2018年1月—6月", "January–June 2018", "interval"),
        ("2018-02-01/2018-02-28", "2018年2月", "February 2018", "interval"),
        ("2017-07-01/2018-06-30", "2017年7月—2018年6月", "July 2017 – June 2018", "interval"),
        ("2018-01-01/2019-05-16", "2018年1月1日—2019年5月16日", "1 January 2018 – 16 May 2019", "interval"),
        ("2019-05-16/2019-05-16", "2019年5月16日", "16 May 2019", "interval"),
    ],
)
def test_a_period_is_said_as_a_reader_says_it_in_both_languages(temporal, zh, en, kind):
    assert period_fields(temporal, "zh") == {"temporal": temporal, "period": zh, "period_kind": kind}
    assert period_fields(temporal, "en") == {"temporal": temporal, "period": en, "period_kind": kind}


def test_a_value_that_is_not_a_period_gives_no_words_rather_than_wrong_ones():
    assert period_fields("2018", "zh") == {"temporal": "", "period": "", "period_kind": ""}
    assert period_fields(None, "en")["period"] == ""


def test_the_years_a_period_covers_are_every_calendar_year_it_touches():
    assert parse_period("2017-07-01/2019-06-30").years == ["2019", "2018", "2017"]
    assert parse_period("2022-10-31").years == ["2022"]


def _summary(name: str, temporal: str, modified: str = "2026-11-27", frequency: str = "每年", **meta) -> Summary:
    descriptor = {
        "name": name,
        "title": f"数据集{name}",
        "description": "第一句说明数据。第二句不在卡片上。",
        "keywords": ["关键一"],
        "publisher": {"name": "广州市人民政府"},
        "topics": ["政务公开"],
        "update_frequency": frequency,
        "modified": modified,
        "temporal": temporal,
        "licenses": [{"name": "CC-BY-4.0"}],
        "resources": [],
        **meta,
    }
    return Summary(name=name, meta=descriptor, rows=3, downloads=[])


def test_the_catalog_year_filter_offers_the_years_of_the_data_periods_not_of_the_updates():
    entries = [
        _summary("a", "2018-01-01/2018-12-31"),
        _summary("b", "2022-10-31"),
        _summary("c", "2017-07-01/2018-06-30"),
    ]
    page = render_catalog(entries, load_settings(ROOT), "zh")
    select = re.search(r'<select name="year".*?</select>', page).group(0)
    assert re.findall(r'<option value="(\d+)">', select) == ["2022", "2018", "2017"]
    assert "2018（2）" in select and "2026" not in select
    cards = dict(re.findall(r'<a href="([a-z]+)/">.*?<dt>(.*?)</dt><dd>.*?</dd>', page))
    assert cards == {"a": "统计期间", "b": "数据时点", "c": "统计期间"}
    assert "<dd>截至2022年10月31日</dd>" in page and "<dd>2017年7月—2018年6月</dd>" in page
    english = render_catalog(entries, load_settings(ROOT), "en")
    assert "<dt>Data date</dt><dd>as of 31 October 2022</dd>" in english and "Data year" in english


def test_a_card_holds_the_first_sentence_and_the_words_a_keyword_finds():
    card = card_model(_summary("a", "2018-01-01/2018-12-31", title_en="Figures", description_en="One. Two."), "en")
    assert card["lede"] == "One." and card["title"] == "Figures" and card["period"] == "2018"
    assert "关键一" in card["text"] and "第二句" in card["text"]  # the Chinese is found from the English page too
    assert card_model(_summary("a", "2018-01-01/2018-12-31"), "zh")["lede"] == "第一句说明数据。"


def test_timeliness_of_2018_figures_in_a_2026_build_is_overdue_and_says_the_period_and_by_how_long():
    settings = load_settings(ROOT)
    # re-published yesterday, yet the figures are of 2018: modified does not make them current
    s = _summary("a", "2018-01-01/2018-12-31", modified="2026-11-30")
    timeliness = assess(s, settings, "2026-12-01")[-1]
    assert (timeliness.key, timeliness.score) == ("timeliness", 0)
    assert timeliness.why == (
        "统计期间为2018年（至 2018-12-31），按“每年”更新，下一期数据应在 2020-01-01 前发布；"
        "截至 2026-12-01 已逾期 2526 天（约 6.9 年）。"
    )
    assert "未逾期" not in timeliness.why


def test_timeliness_counts_the_frequency_from_the_day_the_data_are_as_of():
    settings = load_settings(ROOT)
    s = _summary("a", "2026-10-31", frequency="每月")  # 32 days: due 2026-12-02
    assert assess(s, settings, "2026-12-02")[-1].why == (
        "数据时点为 2026-10-31，按“每月”更新，下一期数据应在 2026-12-02 前发布；截至 2026-12-02 未逾期。"
    )
    late = assess(s, settings, "2026-12-12")[-1]
    assert late.score == 0 and late.why.endswith("已逾期 10 天。")
    assert assess(_summary("a", "2018-01-01/2018-12-31", frequency="不定期"), settings, "2026-12-01")[-1].score is None


def test_every_real_dataset_declares_its_period_and_says_where_it_comes_from():
    for path in sorted((ROOT / "datasets").glob("*/datapackage.json")):
        meta = json.loads(path.read_text(encoding="utf-8"))
        parse_period(meta["temporal"])
        assert meta.get("temporal_note"), path.parent.name
        assert "vintage" not in meta
        readme = (path.parent / "README.md").read_text(encoding="utf-8")
        assert f"（`{meta['temporal']}`）" in readme, path.parent.name


def test_the_dataset_page_model_holds_the_period_in_the_page_language():
    from gongkai.render.render import _localised

    model = {
        "meta": {"title": "区划", "description": "说明。"},
        "title": "区划",
        "tables": [],
        "temporal": "2022-10-31",
    }
    zh, en = _localised(model, "zh"), _localised(model, "en")
    assert (zh["temporal"], zh["period"], zh["period_label"], zh["period_kind"]) == (
        "2022-10-31",
        "截至2022年10月31日",
        "数据时点",
        "instant",
    )
    assert (en["period"], en["period_label"]) == ("as of 31 October 2022", "Data date")
