"""The quality panel and page: scores that explain themselves, judged at the commit's date."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import subprocess

from conftest import ROOT, generate
from test_history import GIT, _commit, _git


def _panel(page: str) -> tuple[int, dict[str, tuple[str, str]]]:
    """The total and each criterion's (score, reason) of a page's quality panel: the built page's
    HTML, or the Markdown gongkai writes for it (the panel is the same HTML in both)."""
    section = page.split("<summary>数据质量</summary>", 1)[1]
    total = int(re.search(r"总分 <strong>(\d+)</strong>", section).group(1))
    table = section.split("</table>", 1)[0]
    rows = re.findall(r"<tr><td>(.*?)</td><td>(.*?)</td><td>(.*?)</td></tr>", table, re.S)
    return total, {title: (score, why) for title, score, why in rows}


def test_each_dataset_page_scores_its_quality_with_reasons_from_its_own_data(built_site):
    site = built_site / "site"
    totals = {}
    for folder in sorted(p for p in (ROOT / "datasets").iterdir() if p.is_dir()):
        desc = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
        total, scores = _panel((site / "datasets" / folder.name / "index.html").read_text(encoding="utf-8"))
        assert list(scores) == ["开放许可", "机器可读", "表结构描述", "来源", "完整性", "及时性"]
        numbers = [int(s) for s, _ in scores.values() if s != "不适用"]
        assert total == round(sum(numbers) / len(numbers))
        cells = empty = 0
        for res in desc["resources"]:
            header, *rows = list(csv.reader(io.StringIO((folder / res["path"]).read_text(encoding="utf-8"))))
            cells += len(rows) * len(header)
            empty += sum(c == "" for r in rows for c in r)
        score, why = scores["完整性"]
        assert int(score) == round(100 * (1 - empty / cells))
        assert (f"{cells} 个单元格中有 {empty} 个为空" in why) if empty else (f"全部 {cells} 个单元格都有值" in why)
        linked = all(str(s.get("path", "")).startswith("https://") for s in desc["sources"])
        assert scores["来源"][0] == ("100" if linked else "70")
        assert scores["开放许可"][0] == "100" and "CC-BY-4.0" in scores["开放许可"][1]
        totals[folder.name] = total
    assert len(set(totals.values())) > 1  # scores differ for real reasons
    page = (site / "quality/index.html").read_text(encoding="utf-8")
    listed = re.findall(r'href="\.\./datasets/([a-z0-9-]+)/">.*?</a></td>\s*<td><strong>(\d+)</strong>', page, re.S)
    assert {name: int(total) for name, total in listed} == totals
    assert [int(t) for _, t in listed] == sorted(totals.values(), reverse=True)


def test_timeliness_is_judged_at_the_date_of_the_commit_being_built(repo_factory):
    repo = repo_factory(packages=["tiny"])
    path = repo / "datasets/tiny/datapackage.json"
    desc = json.loads(path.read_text(encoding="utf-8"))
    desc["update_frequency"] = "每月"  # 32 days allowed
    desc["temporal"] = "2026-01-02"  # the data are as of this day: the next are due 32 days on
    path.write_text(json.dumps(desc, ensure_ascii=False, indent=2), encoding="utf-8")
    _git(repo, "init", "-q")
    _commit(repo, "tiny", "2026-06-01T12:00:00+08:00")
    # the page as gongkai writes it (no MkDocs run: the date is gongkai's; the panel's HTML passes MkDocs as it is)
    _, scores = _panel((generate(repo) / "datasets/tiny/index.md").read_text(encoding="utf-8"))
    assert scores["及时性"] == (
        "0",
        "数据时点为 2026-01-02，按“每月”更新，下一期数据应在 2026-02-03 前发布；"
        "截至 2026-06-01 已逾期 118 天（约 4 个月）。",
    )
    subprocess.run(
        [*GIT, "commit", "-q", "--allow-empty", "-m", "committed again on the day it was due"],
        cwd=repo,
        check=True,
        env={
            **os.environ,
            "GIT_AUTHOR_DATE": "2026-02-03T09:00:00+08:00",
            "GIT_COMMITTER_DATE": "2026-02-03T09:00:00+08:00",
        },
    )
    _, scores = _panel((generate(repo) / "datasets/tiny/index.md").read_text(encoding="utf-8"))
    assert scores["及时性"][0] == "100" and "截至 2026-02-03 未逾期" in scores["及时性"][1]
