"""Publishing by pull request: `gongkai new`, `gongkai update`, `gongkai check` in a test repository."""

from __future__ import annotations

import json
import os
import re
import shlex
import subprocess
from pathlib import Path

import openpyxl
import pytest
from conftest import ROOT, gongkai, release

GBK_CSV = (
    "街道代码,街道名称,服务点数,设立日期\n440103001,沙面街道,3,2019-05-01\n440103002,岭南街道,12,2020-01-15\n"
    "440104003,北京街道,7,2021-07-09\n"
)


def git(repo: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=repo, capture_output=True, text=True, check=True).stdout


def commit(repo: Path, message: str) -> None:
    git(repo, "add", "-A")
    git(repo, "-c", "user.name=测试", "-c", "user.email=test@example.org", "commit", "-q", "-m", message)


def fill_in(repo: Path, name: str) -> None:
    """What a maintainer does after `gongkai new`: replace every placeholder with real metadata."""
    folder = repo / "datasets" / name
    path = folder / "datapackage.json"
    d = json.loads(path.read_text(encoding="utf-8"))
    d.update(
        title="广州市街道便民服务点",
        description="广州市部分街道的便民服务点数量和设立日期（示例）：每行一个街道，写明街道代码、街道名称、服务点的个数和第一个服务点的设立日期。",
        topics=["政务服务"],
        keywords=["便民服务", "街道"],
        temporal="2026-11-01",
        update_frequency="每年",
        open_type="无条件开放",
        licenses=[{"name": "CC-BY-4.0", "title": "CC BY 4.0", "path": "https://creativecommons.org/licenses/by/4.0/"}],
        sources=[{"title": "示例来源", "citation": "示例用的来源说明。", "date": "2026-11-01"}],
        contributors=[{"title": "示例维护者", "role": "maintainer", "email": "maintainer@example.org"}],
    )
    res = d["resources"][0]
    res.update(title="服务点", description="每行一个街道。")
    for f in res["schema"]["fields"]:
        f["description"] = f"{f['title']}。"
        if "unit" in f:
            f["unit"] = "个"
    res["schema"]["primaryKey"] = [res["schema"]["fields"][0]["name"]]
    path.write_text(json.dumps(d, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    readme = folder / "README.md"
    readme.write_text(readme.read_text(encoding="utf-8").replace("待填写：", ""), encoding="utf-8")


@pytest.fixture
def repo(repo_factory):
    repo = repo_factory(real=["key-area-disclosure"])
    git(repo, "init", "-q", "-b", "main")
    commit(repo, "start")
    return repo


def new_from_gbk(repo: Path, tmp_path: Path) -> subprocess.CompletedProcess:
    source = tmp_path / "服务点.csv"
    source.write_bytes(GBK_CSV.encode("gb18030"))
    return gongkai("--lang", "zh", "new", "street-services", "--from", str(source), cwd=repo)


def test_new_turns_a_gbk_csv_into_a_dataset_that_validates_once_the_named_placeholders_are_filled(repo, tmp_path):
    result = new_from_gbk(repo, tmp_path)
    assert result.returncode == 0, result.stderr
    assert "服务点.csv：按 GB18030（GBK）读入并转换为 UTF-8" in result.stderr
    folder = repo / "datasets/street-services"
    data = (folder / "data/service-point.csv").read_text(encoding="utf-8")
    assert data.splitlines()[1] == "440103001,沙面街道,3,2019-05-01"  # converted, values as they were
    fields = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))["resources"][0]["schema"]["fields"]
    assert [(f["title"], f["type"]) for f in fields] == [
        ("街道代码", "string"),
        ("街道名称", "string"),
        ("服务点数", "integer"),
        ("设立日期", "date"),
    ]
    check = gongkai("validate", "street-services", cwd=repo)
    assert check.returncode == 1
    named = [line for line in check.stdout.splitlines() if line.endswith("[placeholder]")]
    assert (
        "datasets/street-services/datapackage.json:4: /title: fill this in: 待填写：数据集的中文标题 [placeholder]"
        in named
    )
    assert any("/topics/0" in line for line in named) and any(
        "/resources/0/schema/fields/2/unit" in line for line in named
    )
    assert any(line.startswith("datasets/street-services/README.md:") for line in named)
    said = [line for line in check.stdout.splitlines() if not line.startswith("  ")]  # not the fix under them
    assert all("[placeholder]" in line for line in said)  # nothing but what to fill in
    fill_in(repo, "street-services")
    done = gongkai("validate", "street-services", cwd=repo)
    assert done.returncode == 0, done.stdout


def test_new_reads_xlsx_cells_as_the_text_a_person_sees(repo, tmp_path):
    import datetime as dt

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["code", "名称", "金额", "日期"])
    sheet.append(["0012", "甲", 1200.0, dt.datetime(2024, 3, 1)])
    sheet.append(["0340", "乙", 3.25, dt.datetime(2024, 4, 2)])
    book.save(tmp_path / "money.xlsx")
    result = gongkai("new", "money", "--from", str(tmp_path / "money.xlsx"), cwd=repo)
    assert result.returncode == 0, result.stderr
    assert (repo / "datasets/money/data/money.csv").read_text(
        encoding="utf-8"
    ) == "code,name,amount,date\n0012,甲,1200,2024-03-01\n0340,乙,3.25,2024-04-02\n"
    fields = json.loads((repo / "datasets/money/datapackage.json").read_text(encoding="utf-8"))["resources"][0][
        "schema"
    ]["fields"]
    assert [f["type"] for f in fields] == ["string", "string", "number", "date"]


def test_new_refuses_a_file_in_an_encoding_it_cannot_be_sure_of(repo, tmp_path):
    source = tmp_path / "bad.csv"
    source.write_bytes("a,b\n1,ü\n".encode("utf-16"))
    result = gongkai("new", "bad", "--from", str(source), cwd=repo)
    assert result.returncode == 2
    assert "既不是 UTF-8 也不是 GB18030/GBK" in result.stderr
    assert not (repo / "datasets/bad").exists()


@pytest.fixture
def published(repo, tmp_path):
    """A repository whose main branch has the street-services dataset, version 1.0.0."""
    assert new_from_gbk(repo, tmp_path).returncode == 0
    fill_in(repo, "street-services")
    commit(repo, "add street-services")
    git(repo, "checkout", "-q", "-b", "change")
    return repo


def published_date(repo: Path) -> str:
    """The date the dataset was first published (gongkai new dates it today): an update may not go back before it."""
    return json.loads((repo / "datasets/street-services/datapackage.json").read_text(encoding="utf-8"))["modified"]


def set_version(repo: Path, version: str, date: str, note: str = "更正。") -> None:
    release(repo / "datasets/street-services", version, date, note)


def test_check_fails_a_changed_row_without_a_version_bump_and_names_the_bump(published, tmp_path):
    data = published / "datasets/street-services/data/service-point.csv"
    data.write_text(data.read_text(encoding="utf-8").replace("岭南街道,12", "岭南街道,13"), encoding="utf-8")
    result = gongkai("check", "--base", "main", cwd=published)
    assert result.returncode == 1
    line = next(line for line in result.stdout.splitlines() if "[version-bump]" in line)
    assert line.startswith("datasets/street-services/datapackage.json:")
    assert (
        "1 row(s) changed in service-point: this needs a patch version bump (1.0.0 → 1.0.1) "
        "but the version is still 1.0.0" in line
    )


def test_check_demands_a_major_bump_for_removed_rows_even_when_a_minor_one_was_made(published):
    data = published / "datasets/street-services/data/service-point.csv"
    data.write_text("\n".join(data.read_text(encoding="utf-8").splitlines()[:-1]) + "\n", encoding="utf-8")
    set_version(published, "1.1.0", published_date(published))
    result = gongkai("check", "--base", "main", cwd=published)
    assert result.returncode == 1
    assert (
        "1 row(s) removed from service-point: this needs a major version bump (1.0.0 → 2.0.0) but 1.0.0 → 1.1.0 "
        "is a minor bump" in result.stdout
    )


def test_a_valid_update_passes_and_the_report_lists_the_exact_rows_changed(published, tmp_path, monkeypatch):
    new = tmp_path / "new.csv"
    new.write_text(
        GBK_CSV.replace("岭南街道,12", "岭南街道,15") + "440104004,东山街道,4,2022-02-02\n", encoding="utf-8"
    )
    update = gongkai("update", "street-services", "--from", str(new), cwd=published)
    assert (
        "minor: 1 row(s) added to service-point" in update.stdout
        and "patch: 1 row(s) changed in service-point" in update.stdout
    )
    assert "street_code=440103002: service_point_count: '12' → '15'" in update.stdout
    assert "set version to 1.1.0" in update.stderr
    set_version(published, "1.1.0", published_date(published), "新增东山街道，更正岭南街道的服务点数。")
    summary = tmp_path / "summary.md"
    env = dict(__import__("os").environ, GITHUB_STEP_SUMMARY=str(summary))
    result = gongkai("check", "--base", "main", "--report", str(tmp_path / "report.md"), cwd=published, env=env)
    assert result.returncode == 0, result.stdout + result.stderr
    report = (tmp_path / "report.md").read_text(encoding="utf-8")
    assert summary.read_text(encoding="utf-8") == report
    assert "| `street-services` | 1.0.0 → 1.1.0 | minor | 1 | 0 | 1 | 0 | ✅ |" in report
    assert "| street\\_code=440103002 | `service_point_count` | 12 | 15 |" in report
    assert "| 440104004 | 东山街道 | 4 | 2022-02-02 |" in report
    assert "按主键 street_code 比较：新增 1 行，删除 0 行，修改 1 行。" in report


def test_update_of_a_descriptor_that_does_not_load_says_so_in_one_line(published, tmp_path):
    # it was a traceback: the snapshot before the update held no descriptor
    (published / "datasets/street-services/datapackage.json").write_text("{", encoding="utf-8")
    new = tmp_path / "new.csv"
    new.write_text(GBK_CSV, encoding="utf-8")
    update = gongkai("update", "street-services", "--from", str(new), cwd=published)
    assert update.returncode == 2, update.stderr
    assert "Traceback" not in update.stderr
    assert "datasets/street-services/datapackage.json cannot be read (not valid JSON" in update.stderr


def test_without_a_primary_key_rows_are_compared_whole(published):
    path = published / "datasets/street-services/datapackage.json"
    d = json.loads(path.read_text(encoding="utf-8"))
    del d["resources"][0]["schema"]["primaryKey"]
    path.write_text(json.dumps(d, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    commit(published, "no key")
    git(published, "branch", "-f", "main")
    data = published / "datasets/street-services/data/service-point.csv"
    data.write_text(data.read_text(encoding="utf-8").replace("岭南街道,12", "岭南街道,13"), encoding="utf-8")
    result = gongkai("check", "--base", "main", cwd=published)
    assert "1 row(s) removed from service-point" in result.stdout and "needs a major version bump" in result.stdout
    report = (published / "build/check-report.md").read_text(encoding="utf-8")
    assert "没有主键，按整行比较" in report and "| 440103002 | 岭南街道 | 13 | 2020-01-15 |" in report


def test_a_removed_dataset_needs_a_withdrawal_or_a_redirect(published):
    git(published, "rm", "-rq", "datasets/street-services")
    result = gongkai("check", "--base", "main", cwd=published)
    assert result.returncode == 1
    assert (
        "datasets/street-services: datasets/street-services/ was removed; its URLs must keep answering" in result.stdout
    )


def test_the_publishing_guide_shows_the_real_output_of_each_step(repo):
    """docs/guide/publishing.md, run step by step: every output line it shows is a line the command printed."""
    guide = (ROOT / "docs/guide/publishing.md").read_text(encoding="utf-8")
    blocks = [b for b in re.findall(r"```text\n(.*?)```", guide, re.S) if b.startswith("$ ")]
    steps = [(shlex.split(b.splitlines()[0][2:])[1:], b.splitlines()[1:]) for b in blocks]
    assert [args[0] for args, _ in steps] == ["new", "validate", "update", "update", "check", "check"]
    (repo / "服务点.csv").write_bytes(GBK_CSV.encode("gb18030"))
    folder = repo / "datasets/street-services"
    before = {
        1: lambda: fill_in(repo, "street-services"),
        2: lambda: (commit(repo, "add"), git(repo, "checkout", "-q", "-b", "update"), _write_2027(repo, "十五")),
        3: lambda: _write_2027(repo),
        5: lambda: set_version(repo, "1.1.0", "2027-01-10", "新增东山街道；更正岭南街道的服务点数（12 → 15）。"),
    }
    for i, (args, shown) in enumerate(steps):
        if i in before:
            before[i]()
        result = gongkai(*args, cwd=repo, env={**os.environ, "GONGKAI_LANG": "zh"})  # a maintainer's default
        printed = (result.stdout + result.stderr).splitlines()
        missing = [line for line in shown if line not in printed]
        assert not missing, (args, missing, printed)
        if i == 2:  # the refused update left the folder as committed
            assert git(repo, "status", "--porcelain", "--", str(folder)) == ""
    report = (repo / "build/check-report.md").read_text(encoding="utf-8").splitlines()
    shown = re.findall(r"```markdown\n(.*?)```", guide, re.S)[-1].splitlines()
    assert [line for line in shown if line not in report] == []


def _write_2027(repo: Path, lingnan: str = "15") -> None:
    """Next year's file as Excel saves it: GB18030, CRLF, the Chinese headings, dates with slashes."""
    rows = (
        "街道代码,街道名称,服务点数,设立日期\r\n440103001,沙面街道,3,2019/5/1\r\n"
        f"440103002,岭南街道,{lingnan},2020/1/15\r\n"
        "440104003,北京街道,7,2021/7/9\r\n440104004,东山街道,4,2022/2/2\r\n"
    )
    (repo / "服务点-2027.csv").write_bytes(rows.encode("gb18030"))
