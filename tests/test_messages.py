"""Messages as a maintainer reads them: Chinese by default, English with --lang en or an English
locale, each with the registry's fix; the profile's errors in words; warnings grouped; the lock hint."""

from __future__ import annotations

import json
import re
import subprocess
import uuid
from pathlib import Path

import pytest
from brokenpackages import BREAKAGES
from conftest import PACKAGES, gongkai, make_repo
from gongkai.core.config import load_settings
from gongkai.core.problemcodes import CODES
from gongkai.core.problemcodes_en import ENGLISH
from gongkai.core.problems import Problem
from gongkai.core.problemtext import PROFILE, describe, hint, language, line, report_lines
from gongkai.core.problemtext_zh import DETAILS
from gongkai.gate.sitecode import check_generator_config, site_code_problems
from gongkai.publish.redirects import read_redirects
from gongkai.publish.urls import HEADER, LOCK, Lock, check_lock, lock_against_base, lock_damage, parse_lock
from gongkai.publish.withdrawals import read_withdrawals
from gongkai.read.load import discover
from gongkai.validate.validator import validate

CJK = re.compile(r"[\u4e00-\u9fff]")
ZH = {"LANG": "C.UTF-8", "PATH": "/usr/bin:/bin"}
EN = {"LANG": "en_US.UTF-8", "PATH": "/usr/bin:/bin"}
# the field named as in the schema, with its title (the header the maintainer wrote) beside it
TYPE_ERROR = "datasets/type-error/data/items.csv:3: amount（数量）: "
TYPE_ERROR_EN = "datasets/type-error/data/items.csv:3: amount (数量): "


def test_problems_are_chinese_by_default_with_the_fix_and_an_example(repo_factory):
    result = gongkai("validate", "type-error", cwd=repo_factory(["type-error"]), env=ZH)
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    assert lines[0] == TYPE_ERROR + "“zero” 不是整数（integer），应写成 1108000 这样 [type-error]"
    assert lines[1] == "  怎么改：改正数值，或改字段类型，例如 1108000, 110.8, 2019-05-16"
    assert result.stderr.splitlines()[-1] == "gongkai: 检查了 1 个数据集，发现 1 个问题，1 个警告"


@pytest.mark.parametrize(
    "how", [(["--lang", "en", "validate"], ZH), (["validate", "--lang", "en"], ZH), (["validate"], EN)]
)
def test_english_with_lang_en_before_or_after_the_command_or_under_an_english_locale(repo_factory, how):
    args, env = how
    result = gongkai(*args, "type-error", cwd=repo_factory(["type-error"]), env=env)
    lines = result.stdout.splitlines()
    assert lines[0] == TYPE_ERROR_EN + '"zero" is not a valid integer [type-error]'
    assert lines[1] == "  fix: correct the value, or change the field's type, e.g. 1108000, 110.8, 2019-05-16"
    assert result.stderr.splitlines()[-1] == "gongkai: 1 problem(s) in 1 dataset(s) checked, 1 warning(s)"


@pytest.mark.parametrize(
    "env, expected",
    [
        ({}, "zh"),
        ({"LANG": "C.UTF-8"}, "zh"),
        ({"LANG": "zh_CN.UTF-8"}, "zh"),
        ({"LANG": "en_GB.UTF-8"}, "en"),
        ({"LANG": "en_US.UTF-8", "LC_ALL": "zh_CN.UTF-8"}, "zh"),  # LC_ALL wins, as in every POSIX program
        ({"LANG": "zh_CN.UTF-8", "LC_MESSAGES": "en_US.UTF-8"}, "en"),
    ],
)
def test_the_locale_chooses_the_language_when_lang_is_not_given(env, expected):
    assert language(None, env) == expected
    assert language("zh", {"LANG": "en_US.UTF-8"}) == "zh"


def test_the_english_table_covers_exactly_the_registry():
    assert sorted(ENGLISH) == sorted(CODES)


@pytest.mark.parametrize("code", sorted(CODES))
def test_every_code_renders_in_both_languages_with_a_fix(code):
    entry = CODES[code]
    severity = "error" if "error" in entry.severity else "warning"
    problem = Problem(
        code,
        "the check's own sentence",
        "datasets/x/datapackage.json",
        line=3,
        field="/title",
        dataset="x",
        severity=severity,
    )
    zh, en = line(problem, "zh"), line(problem, "en")
    assert zh.startswith("datasets/x/datapackage.json:3: /title: ") and zh.endswith(f" [{code}]")
    assert CJK.search(zh.split(": ", 2)[2]), zh  # the registry's Chinese title at least
    assert "the check's own sentence" in en and not CJK.search(en), en
    zh_fix, en_fix = hint(code, "zh"), hint(code, "en")
    assert zh_fix.startswith("  怎么改：") and entry.fix in zh_fix
    assert en_fix.startswith("  fix: ") and ENGLISH[code][1] in en_fix
    if entry.example:
        assert zh_fix.endswith(f"，例如 {entry.example}") and en_fix.endswith(f", e.g. {entry.example}")


def _profile_repo(repo_factory, change) -> Path:
    repo = repo_factory(["missing-metadata"])
    path = repo / "datasets/missing-metadata/datapackage.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")
    return repo


def test_a_missing_licence_is_named_in_words_with_an_example(repo_factory):
    repo = _profile_repo(repo_factory, lambda d: None)
    zh = gongkai("validate", cwd=repo, env=ZH).stdout.splitlines()
    assert (
        "datasets/missing-metadata/datapackage.json:1: /: 缺少必填项 licenses（许可），例如 "
        '"licenses": [{"name": "CC-BY-4.0", "title": "知识共享 署名 4.0 国际", '
        '"path": "https://creativecommons.org/licenses/by/4.0/"}] [metadata-profile]'
    ) in zh
    assert any(
        s.startswith("datasets/missing-metadata/datapackage.json:1: /: 缺少必填项 publisher（发布机构）") for s in zh
    )
    assert not any("is a required property" in s for s in zh)
    en = gongkai("validate", "--lang", "en", cwd=repo, env=ZH).stdout
    assert '/: licenses (licence) is required, e.g. "licenses": [{"name": "CC-BY-4.0"' in en


def test_profile_messages_give_the_rule_s_own_figures(repo_factory):
    def change(d):
        d["description"] = "短"
        d["open_type"] = "随便"
        d["version"] = "v1"
        d["keywords"] = "测试"

    zh = gongkai("validate", cwd=_profile_repo(repo_factory, change), env=ZH).stdout
    # the minimum comes from the profile, whatever it is set to
    assert re.search(
        r":\d+: /description: description（简介）有 1 个字符，须为 \d+ 至 \d+ 个"
        r"（搜索引擎不收录更短或更长的）.*，例如 ",
        zh,
    ), zh
    assert '/open_type: open_type（开放类型）的 "随便" 不是可选值，可选：无条件开放、有条件开放（见 gongkai.yml）' in zh
    assert '/version: version（版本）的 "v1" 格式不对，应符合 ^(0|[1-9]' in zh
    assert '/keywords: keywords（关键词）应是列表（array），现在是 "测试"，例如 "keywords": ["政府信息公开"]' in zh


def _not_locked(paths: list[str]) -> list[Problem]:
    text = HEADER + "/\n"
    return check_lock(Lock(parse_lock(text), text), {"/", *paths}, {}, {})


def test_warnings_of_one_kind_are_one_line_per_dataset_with_a_count():
    new = [f"/datasets/new/{name}" for name in ("", "a.csv", "a.json", "a.xlsx", "b.csv", "b.json", "b.xlsx")]
    new += ["/datasets/new/new.zip", "/datasets/new/datapackage.json", "/en/datasets/new/", "/datasets/new/a.bom.csv"]
    warnings = _not_locked(new) + _not_locked(["/datasets/other/"])
    assert len(warnings) == 12 and {p.code for p in warnings} == {"url-not-locked"}
    error = Problem(
        "type-error",
        '"x" is not a valid integer',
        "datasets/new/data/a.csv",
        line=2,
        field="n",
        dataset="new",
        params={"value": "x", "type": "integer"},
    )
    lines = report_lines([error, *warnings], "zh")
    assert lines[0] == "datasets/new/data/a.csv:2: n: “x” 不是整数（integer），应写成 1108000 这样 [type-error]"
    assert lines[2] == (
        f"{LOCK}: 警告：11 个新网址尚未写入 urls.lock：/datasets/new/、/datasets/new/a.bom.csv、/datasets/new/a.csv 等"
        " [url-not-locked]"
    )
    assert lines[3] == "  怎么改：运行 `gongkai lock` 并提交 `urls.lock`，例如 gongkai lock && git add urls.lock"
    assert lines[4] == f"{LOCK}: 警告：/datasets/other/ 是新网址 [url-not-locked]"  # one alone keeps its own line
    assert len(lines) == 6
    english = report_lines(warnings, "en")
    assert english[0].startswith(f"{LOCK}: warning: 11 new paths are not in urls.lock yet: /datasets/new/, ")


def test_errors_stay_one_per_line_and_each_run_of_a_code_shares_its_fix():
    errors = [
        Problem(
            "placeholder",
            f"fill this in: 待填写：{i}",
            "datasets/x/datapackage.json",
            line=i,
            dataset="x",
            params={"value": f"待填写：{i}"},
        )
        for i in (4, 5, 6)
    ]
    lines = report_lines(errors, "zh")
    assert lines[:3] == [f"datasets/x/datapackage.json:{i}: 待填写：{i} [placeholder]" for i in (4, 5, 6)]
    assert lines[3].startswith("  怎么改：换成真实内容") and len(lines) == 4


def _git(repo: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-c", "user.name=测试", "-c", "user.email=test@example.org", *args],
        cwd=repo,
        check=True,
        capture_output=True,
    )


def test_check_says_to_run_gongkai_lock_for_a_new_dataset_until_its_paths_are_locked(repo_factory, tmp_path):
    repo = repo_factory(["tiny"])
    _git(repo, "init", "-q", "-b", "main")
    _git(repo, "add", "-A")
    _git(repo, "commit", "-qm", "start")
    folder = repo / "datasets/tiny2"
    folder.parent.joinpath("tiny2").mkdir()
    for item in (PACKAGES / "tiny").iterdir():
        target = folder / item.name
        if item.is_dir():
            target.mkdir()
            for inner in item.iterdir():
                (target / inner.name).write_bytes(inner.read_bytes())
        else:
            target.write_bytes(item.read_bytes())
    data = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
    data.update(name="tiny2", id=str(uuid.uuid4()))
    (folder / "datapackage.json").write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")
    report = tmp_path / "report.md"
    result = gongkai("check", "--base", "main", "--report", str(report), cwd=repo, env=ZH)
    said = [s for s in result.stderr.splitlines() if "gongkai lock" in s]
    assert said == [
        "gongkai: 3 个新网址（/datasets/tiny2/ 等）还没有写入 urls.lock："
        "运行 gongkai lock，再把 urls.lock 与改动一起提交"
    ], result.stderr
    assert "运行 gongkai lock" in report.read_text(encoding="utf-8")
    english = gongkai("check", "--base", "main", "--report", str(report), "--lang", "en", cwd=repo, env=ZH)
    assert "3 new path(s) (/datasets/tiny2/, …) are not in urls.lock yet: run gongkai lock" in english.stderr
    lock = repo / LOCK
    held = lock.read_text(encoding="utf-8") if lock.exists() else HEADER
    lock.write_text(
        held + "/datasets/tiny2/\n/datasets/tiny2/items.csv\n/datasets/tiny2/1.0.0/items.csv\n", encoding="utf-8"
    )
    again = gongkai("check", "--base", "main", "--report", str(report), cwd=repo, env=ZH)
    assert "gongkai lock" not in again.stderr


# English words left in a Chinese sentence: three or more in a row, once quoted text (“…”, "…", '…', `…`) and
# tokens holding a path, file name, setting, value or command (/ . _ @ : = < > or a digit) are set aside.
QUOTED = re.compile(r"`[^`]*`|“[^”]*”|\"[^\"]*\"|'[^']*'")
TOKEN = re.compile(r"\S*[/\\._@:=<>\d]\S*")
ENGLISH_RUN = re.compile(r"[A-Za-z]+(?:[ ,;()-]+[A-Za-z]+){2,}")
# Codes worded by their check rather than by a template in problemtext_zh.DETAILS, and why.
WORDED_ELSEWHERE = {
    "metadata-profile": "the profile's errors are worded by JSON Schema rule in problemtext.PROFILE",
    "old-version-broken": "each cause has its own sentence, given by publish/history.py as params['zh']",
}


def english_left(text: str) -> list[str]:
    return ENGLISH_RUN.findall(TOKEN.sub(" ", QUOTED.sub(" ", text)))


def _unworded(problem: Problem) -> str | None:
    """Why a problem does not read wholly in Chinese, or None."""
    text = describe(problem, "zh")
    if text == f"{CODES[problem.code].title}：{problem.message}" and problem.message:
        return f"no Chinese sentence, the check's own shown: {line(problem, 'zh')}"
    left = english_left(text)
    return f"English left ({left}): {line(problem, 'zh')}" if left else None


def test_the_english_detector_finds_an_english_sentence_and_passes_quoted_names():
    assert english_left("最新一条的版本与 `version` 不同：the newest entry is 1.0.0 but datapackage.json has 1.1.0")
    assert not english_left("资源 “districts” 中没有 “440199”，见 data/items.csv 与 limits.max_fields（Git LFS）")


@pytest.mark.parametrize("code, breakage", BREAKAGES, ids=[f"{i}-{code}" for i, (code, _) in enumerate(BREAKAGES)])
def test_every_problem_a_broken_dataset_gives_reads_wholly_in_chinese(tmp_path, code, breakage):
    repo = make_repo(tmp_path, ["tiny"])
    breakage(repo / "datasets/tiny")
    settings = load_settings(repo)
    problems = validate(discover(settings.datasets_dir), settings).problems
    assert code in {p.code for p in problems}, [str(p) for p in problems]
    assert [why for p in problems if (why := _unworded(p))] == []


@pytest.mark.parametrize("package", sorted(p.name for p in PACKAGES.iterdir()))
def test_every_problem_of_the_broken_fixtures_reads_wholly_in_chinese(tmp_path, package):
    repo = make_repo(tmp_path, [package])
    settings = load_settings(repo)
    problems = validate(discover(settings.datasets_dir), settings).problems
    assert [why for p in problems if (why := _unworded(p))] == []


def test_the_url_lock_the_site_code_and_the_yaml_files_read_wholly_in_chinese(tmp_path):
    repo = make_repo(tmp_path)
    limits = load_settings(repo).limits
    locked = HEADER + "/gone/\n/datasets/x/1.0.0/x.csv " + "a" * 64 + "\n/datasets/x/1.0.0/x.csv " + "b" * 64 + "\n"
    problems = check_lock(Lock(parse_lock(locked), locked), {"/", "/new/"}, {}, {}, history=False)
    problems += lock_damage(Lock((), ""), publishes=True)  # empty
    problems += lock_damage(Lock(parse_lock("/x/\n"), "/x/\n"), publishes=True)  # no header
    problems += lock_damage(Lock(parse_lock(HEADER + "/x/"), HEADER + "/x/"), publishes=True)  # no last newline
    problems += lock_damage(Lock((), None, committed=True), publishes=True) + lock_damage(Lock((), None), True)
    problems += lock_against_base(HEADER + "/a/\n", Lock((), None), "main")
    problems += lock_against_base(HEADER + "/a/\n/b/\n", Lock(parse_lock(HEADER + "/b/\n"), HEADER + "/b/\n"), "main")
    problems += site_code_problems(["Makefile"])
    (repo / "redirects.yml").write_text("/gone/: /nowhere/\n/x y/: /\n/: /\n", encoding="utf-8")
    problems += read_redirects(repo, {"/"}, limits=limits)[1]
    (repo / "withdrawn.yml").write_text("- name: Bad Name\n  title: t\n  date: 2026-01-01\n  reason: r\n- name: x\n")
    problems += read_withdrawals(repo, set(), limits=limits)[1]
    (repo / "mkdocs.yml").write_text("docs_dir: docs\nhooks: [elsewhere.py]\n", encoding="utf-8")
    problems += check_generator_config(repo, load_settings(repo))
    codes = {p.code for p in problems}
    assert {"url-removed", "url-changed", "url-not-locked", "lock-empty", "lock-truncated", "lock-missing"} <= codes
    assert {"lock-absent", "lock-edited", "site-code-changed", "invalid-redirects", "invalid-withdrawal"} <= codes
    assert "generator-config" in codes
    assert [why for p in problems if (why := _unworded(p))] == []


def test_every_code_has_a_chinese_sentence_or_says_where_it_is_worded():
    templated = {key.split(":")[0] for key in DETAILS}
    assert templated <= set(CODES), templated - set(CODES)
    assert sorted(set(CODES) - templated) == sorted(WORDED_ELSEWHERE)
    assert {"required", "type", "enum", "pattern", "primaryKey"} <= set(PROFILE)


def test_update_s_cell_that_is_not_its_field_s_type_reads_in_either_language():
    from gongkai.scaffold.convert import convert_to

    spec = {"name": "population", "type": "integer", "unit": "万人"}
    _, _, problems = convert_to(spec, "常住人口（万人）", ["1,234.6"], [2], "新数据.csv")
    assert (
        line(problems[0], "zh")
        == "新数据.csv:2: population: 应为整数，如 1234（单位 万人），这里是“1,234.6” [type-error]"
    )
    assert line(problems[0], "en") == (
        '新数据.csv:2: population: expected a whole number, e.g. 1234 (unit 万人), not "1,234.6" [type-error]'
    )


def test_help_and_usage_errors_follow_the_language(tmp_path):
    import os

    from conftest import gongkai_process

    env = {**os.environ, "GONGKAI_LANG": "", "LANG": "C.UTF-8", "LC_ALL": "", "LC_MESSAGES": ""}
    shown = gongkai_process("--help", cwd=tmp_path, env=env)
    assert shown.returncode == 0 and shown.stdout.startswith("用法：gongkai")
    assert (
        "校验数据集，每个问题列为 文件:行: 字段: 说明 [代码]" in shown.stdout and "显示这段帮助后退出" in shown.stdout
    )
    wrong = gongkai_process("check", cwd=tmp_path, env=env)
    assert wrong.returncode == 2 and wrong.stderr.splitlines()[-1] == "gongkai check：用法错误：缺少必需的参数：--base"
    english = gongkai_process("check", "--lang", "en", cwd=tmp_path, env=env)
    assert english.stderr.splitlines()[-1] == "gongkai check: error: the following arguments are required: --base"
    unknown = gongkai_process("--lang=en", "build", "--generator", "x", cwd=tmp_path, env=env)
    assert "invalid choice: 'x'" in unknown.stderr
