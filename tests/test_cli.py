"""The command line as a maintainer and a CI job see it: output lines and exit codes."""

from __future__ import annotations

import json
import os

from conftest import gongkai

LINE = r"^datasets/[a-z0-9-]+/[^:]+:(\d+:)? (\S+: )?.+ \[[a-z0-9-]+\]$"


def test_validate_exits_0_when_valid(repo_factory):
    result = gongkai("validate", cwd=repo_factory(["tiny"]))
    assert result.returncode == 0
    assert result.stdout.splitlines()[:1] == [
        "datasets/tiny/data/items.csv:3: name (名称): warning: 1 cell(s) begin with = + - @, tab or CR "
        "(first on this line); they stay text in every download, but a spreadsheet importing the CSV "
        "may run them [formula-like]"
    ]
    assert "1 dataset(s) valid, 1 warning(s)" in result.stderr


def test_validate_lists_every_problem_as_file_line_field_message_code(repo_factory):
    import re

    result = gongkai("validate", cwd=repo_factory(["type-error", "duplicate-primary-key", "non-utf8"]))
    assert result.returncode == 1
    lines = [line for line in result.stdout.splitlines() if not line.startswith("  ")]  # not the fix under each
    assert all(re.match(LINE, line) for line in lines), lines
    assert len([line for line in lines if "warning:" not in line]) == 3
    assert 'datasets/type-error/data/items.csv:3: amount (数量): "zero" is not a valid integer [type-error]' in lines


def test_validate_one_dataset_by_name(repo_factory):
    repo = repo_factory(["tiny", "type-error"])
    assert gongkai("validate", "tiny", cwd=repo).returncode == 0
    assert gongkai("validate", "type-error", cwd=repo).returncode == 1


def test_wrong_usage_exits_2(repo_factory):
    repo = repo_factory(["tiny"])
    assert gongkai("validate", "no-such-dataset", cwd=repo).returncode == 2
    assert gongkai("frobnicate", cwd=repo).returncode == 2
    assert gongkai("validate", "--format", "xml", cwd=repo).returncode == 2


def test_json_format_gives_the_same_problems_for_machines(repo_factory):
    result = gongkai("validate", "--format", "json", cwd=repo_factory(["type-error"]))
    assert result.returncode == 1
    report = json.loads(result.stdout)
    assert report["valid"] is False and report["problem_count"] == 1
    assert report["problems"][0] | {"message": "", "params": {}} == {
        "code": "type-error",
        "message": "",
        "file": "datasets/type-error/data/items.csv",
        "line": 3,
        "field": "amount",
        "dataset": "type-error",
        "severity": "error",
        "params": {},
    }


def test_github_actions_annotations(repo_factory):
    env = dict(os.environ, GITHUB_ACTIONS="true")
    result = gongkai("validate", cwd=repo_factory(["type-error"]), env=env)
    assert "::error file=datasets/type-error/data/items.csv,line=3::amount (数量): " in result.stdout


def test_listing_is_capped_but_counting_is_not(repo_factory):
    repo = repo_factory(["tiny"])
    settings = repo / "gongkai.yml"
    settings.write_text(
        settings.read_text(encoding="utf-8").replace("max_listed_problems: 200", "max_listed_problems: 2"),
        encoding="utf-8",
    )
    csv = repo / "datasets/tiny/data/items.csv"
    bad = "".join(f"{100000 + i},x,minus,1,2019-01-01\n" for i in range(5))
    csv.write_text(csv.read_text(encoding="utf-8") + bad, encoding="utf-8")
    result = gongkai("validate", cwd=repo)
    lines = [line for line in result.stdout.splitlines() if "warning:" not in line and not line.startswith("  ")]
    assert len(lines) == 3 and lines[-1].startswith("… and 3 more")
    assert "5 problem(s)" in result.stderr
