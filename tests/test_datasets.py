"""The seed article's figures, transcribed faithfully: every number, its phrase, its paragraph."""

from __future__ import annotations

import csv
import json
import re
from collections import defaultdict
from decimal import Decimal

import pytest
from conftest import FIXTURES, ROOT

# The article, converted to Simplified Chinese with the pinyin annotations removed and the
# advertisement (the last paragraphs of the seed) left out; one paragraph per line.
ARTICLE = (FIXTURES / "seed-article.zh-Hans.txt").read_text(encoding="utf-8").splitlines()
SEED_DATASETS = [
    "disclosure-overview",
    "decision-openness",
    "executive-meeting-releases",
    "key-area-disclosure",
    "fiscal-transparency",
    "public-opinion-response",
    "platform-building",
    "government-services",
]


def rows(name: str, resource: str) -> list[dict]:
    path = ROOT / "datasets" / name / "data" / f"{resource}.csv"
    if not path.exists():
        return []
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def all_rows(resource: str) -> list[tuple[str, dict]]:
    return [(name, row) for name in SEED_DATASETS for row in rows(name, resource)]


def test_every_quote_is_in_its_paragraph_of_the_article():
    for name, row in all_rows("figures") + all_rows("milestones"):
        paragraph = ARTICLE[int(row["paragraph"]) - 1]
        assert row["quote"] in paragraph, (name, row["id"])


def test_each_value_is_the_number_its_quote_states():
    chinese = {"三": 3, "四": 4, "五": 5, "第二": 2}
    for name, row in all_rows("figures"):
        value = Decimal(row["value"])
        quote = row["quote"]
        stated = {Decimal(n) for n in re.findall(r"\d+", quote)}
        stated |= {Decimal(n) * 10000 for n in re.findall(r"(\d+)万", quote)}
        stated |= {Decimal(v) for word, v in chinese.items() if word in quote}
        assert value in stated, (name, row["id"], value, quote)


def test_every_number_in_the_article_is_published():
    quoted = " ".join(row["quote"] for _, row in all_rows("figures") + all_rows("milestones"))
    for n, paragraph in enumerate(ARTICLE, 1):
        for number in re.findall(r"\d+", paragraph):
            assert number in quoted, f"paragraph {n}: {number} is not in any published row"


def test_qualifiers_follow_the_source_wording():
    for name, row in all_rows("figures"):
        quote, qualifier = row["quote"], row["qualifier"]
        if qualifier:
            assert qualifier in quote, (name, row["id"])
        else:
            assert not re.search(r"超过\d|\d+[万]?多|约\d|\d余", quote), (name, row["id"], "inexact but unqualified")


def test_totals_the_source_implies_hold():
    for name in SEED_DATASETS:
        table = rows(name, "figures")
        parts = defaultdict(list)
        for row in table:
            if row["part_of"]:
                parts[row["part_of"]].append(row)
        by_id = {row["id"]: row for row in table}
        for total_id, members in parts.items():
            total = by_id[total_id]
            assert all(m["unit"] == total["unit"] for m in members)
            assert sum(Decimal(m["value"]) for m in members) == Decimal(total["value"]), (name, total_id)
    key_area = {r["id"]: Decimal(r["value"]) for r in rows("key-area-disclosure", "figures")}
    assert (
        key_area["construction-items"] + key_area["public-welfare-items"] + key_area["public-resources-items"]
        == key_area["key-area-items"]
        == 141
    )


@pytest.mark.parametrize("name", SEED_DATASETS)
def test_seed_datasets_cite_the_same_source(name):
    pkg = json.loads((ROOT / "datasets" / name / "datapackage.json").read_text(encoding="utf-8"))
    reference = json.loads((ROOT / "datasets" / SEED_DATASETS[0] / "datapackage.json").read_text(encoding="utf-8"))
    assert pkg["sources"] == reference["sources"]
    assert pkg["sources"][0]["date"] == "2019-05-16"


def test_nothing_published_carries_traditional_script_pinyin_or_the_advertisement():
    text = "".join(p.read_text(encoding="utf-8") for p in (ROOT / "datasets").rglob("*") if p.is_file())
    for word in ["是领先的大数据治理", "福利大放送", "微店", "機構", "條例", "廣州", "資訊", "(gòu)", "(yīng)"]:
        assert word not in text, word
