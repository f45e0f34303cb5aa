"""A smaller site: no markup repeated on every cell, and listing pages bounded however many datasets."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from gongkai.render.messages import TABLES

ROOT = Path(__file__).resolve().parents[1]


def test_the_stacked_dictionary_labels_on_a_phone_are_the_dictionary_header_in_both_languages():
    css = (ROOT / "docs/assets/gongkai.css").read_text(encoding="utf-8")
    zh = dict(re.findall(r'^  \.gk-stack td:nth-child\((\d)\)::before \{ content: "([^"]*)："; \}', css, re.M))
    en = dict(
        re.findall(r'^  html\[lang=en\] \.gk-stack td:nth-child\((\d)\)::before \{ content: "([^"]*): "; \}', css, re.M)
    )
    assert [zh[str(i)] for i in range(1, len(zh) + 1)] == TABLES["zh"]["dictionary_header"]
    assert [en[str(i)] for i in range(1, len(en) + 1)] == TABLES["en"]["dictionary_header"]


def _summaries(n: int, settings, topics: int = 1) -> list:
    from gongkai.export.downloads import Download
    from gongkai.render.catalog import Summary

    description = (
        "基准测试用的合成数据，不是真实记录：由基准程序按固定的随机种子生成。只用于测量，不代表任何机关的任何事项。"
    )
    out = []
    for k in range(n):
        meta = {
            "title": f"基准测试数据集{k}",
            "title_en": f"Benchmark dataset {k}",
            "description": description,
            "publisher": {"name": settings.publishers[0].name},
            "topics": [settings.topics[k % topics].name],
            "modified": f"2026-01-{1 + k % 28:02d}",
            "created": (dt.date(2000, 1, 1) + dt.timedelta(days=k)).isoformat(),  # first published in turn
            "temporal": "2020-01-01/2020-12-31",
            "keywords": ["基准测试"],
            "update_frequency": "不更新",
        }
        files = [
            Download(f"datasets/set-{k:05d}/items.{x}", x, 3000, "0" * 64, "items") for x in ("csv", "xlsx", "json")
        ]
        out.append(Summary(name=f"set-{k:05d}", meta=meta, rows=50, downloads=files))
    return out


THEME = 30_000  # the theme's head, header, navigation and footer around a page's content (about 22 KB today)


def test_the_catalog_page_of_ten_thousand_datasets_stays_under_200_kb_and_its_parts_hold_every_dataset_once():
    from gongkai.core.config import load_settings
    from gongkai.render.listings import PART, catalog_pages

    settings = load_settings(ROOT)
    entries = _summaries(10_000, settings)
    for lang in ("zh", "en"):
        pages = catalog_pages(entries, settings, lang)
        front = pages.pop(f"datasets/index{'' if lang == 'zh' else '.en'}.md")
        assert len(front.encode()) + THEME < 200_000, lang
        assert front.count('<li class="gk-card"') == PART
        assert len(pages) == 10_000 // PART  # catalog/1/ … catalog/100/
        found = re.findall(r'<a href="\.\./\.\./datasets/(set-\d+)/">', "".join(pages.values()))
        assert sorted(found) == sorted(e.name for e in entries)  # every dataset, each in one part
        assert max(len(p.encode()) for p in pages.values()) + THEME < 200_000
        assert front.count("data-gk-part") == len(pages)  # the page links every part


def test_a_part_keeps_its_datasets_when_more_are_published():
    from gongkai.core.config import load_settings
    from gongkai.render.listings import PART, parts

    settings = load_settings(ROOT)
    entries = _summaries(3 * PART + 7, settings)
    newer = _summaries(3 * PART + 60, settings)  # 53 more, first published later
    before, after = parts(entries)[1], parts(newer)[1]
    assert [sorted(e.name for e in p) for p in before[:3]] == [sorted(e.name for e in p) for p in after[:3]]
    assert len(before) == len(after) == 4 and len(after[3]) == 60  # the last part fills up


def test_a_topic_of_ten_thousand_datasets_is_paged_too():
    from gongkai.core.config import load_settings
    from gongkai.render.listings import PART, listing_pages

    settings = load_settings(ROOT)
    entries = _summaries(10_000, settings)
    topic = settings.topics[0]
    pages = listing_pages("topic", topic.name, topic.slug, entries, settings, "zh")
    own = pages.pop(f"topics/{topic.slug}/index.md")
    assert len(own.encode()) + THEME < 200_000 and len(pages) == 10_000 // PART
    assert own.count("](../../datasets/") == PART  # a row a dataset: its link
    assert f"topics/{topic.slug}/100/index.md" in pages
