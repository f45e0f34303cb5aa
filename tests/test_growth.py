"""What a pull request adds to the site, said by `gongkai check` before anything is built, and held
to the host's limits (gate/growth.py); the build's own measure names every file over a limit."""

from __future__ import annotations

import json
import subprocess

from conftest import gongkai, release

GIT = ["git", "-c", "user.name=测试", "-c", "user.email=test@example.org", "-c", "commit.gpgsign=false"]


def _git(repo, *args: str) -> str:
    return subprocess.run([*GIT, *args], cwd=repo, check=True, capture_output=True, text=True).stdout


def _commit(repo, message: str) -> None:
    (repo / ".gitignore").write_text("build/\nsite/\nsite.new/\n", encoding="utf-8")
    _git(repo, "add", "-A")
    _git(repo, "commit", "-q", "-m", message)


def _pull_request(repo_factory, rows: int = 200):
    """tiny 1.0.0 on main; a branch that adds `rows` rows and bumps to 1.1.0."""
    repo = repo_factory(packages=["tiny"])
    _git(repo, "init", "-q", "-b", "main")
    _commit(repo, "tiny 1.0.0")
    _git(repo, "checkout", "-q", "-b", "more")
    csv = repo / "datasets/tiny/data/items.csv"
    added = "".join(f"{900000 + i:06d},新增第{i}行,{i},0.50,2020-02-01\n" for i in range(rows))
    csv.write_text(csv.read_text(encoding="utf-8") + added, encoding="utf-8")
    release(repo / "datasets/tiny", "1.1.0", "2026-02-01", "新增一批行。")
    _commit(repo, "tiny 1.1.0")
    return repo


def _report(repo) -> str:
    return (repo / "build/check-report.md").read_text(encoding="utf-8")


def test_the_gate_says_how_much_a_pull_request_adds_to_the_site(repo_factory):
    repo = _pull_request(repo_factory)
    result = gongkai("check", "--base", "main", "--lang", "zh", cwd=repo)
    assert result.returncode == 0, result.stdout + result.stderr
    line = next(s for s in result.stderr.splitlines() if "站点的下载文件" in s)
    # the new version folder: its CSV, Parquet, datapackage.json and zip are new files
    assert "+4 个文件" in line and "tiny +" in line, line
    report = _report(repo)
    assert "## 站点体积 Site size" in report
    row = next(s for s in report.splitlines() if s.startswith("| `tiny` |"))
    before, after = (cell.strip() for cell in row.split("|")[2:4])
    assert before != after
    assert "没有上次构建的测量" in report  # nothing built here yet: the growth alone


def test_with_the_last_build_measured_the_gate_projects_the_site_and_refuses_one_over_its_host(repo_factory):
    repo = _pull_request(repo_factory)
    budget = repo / "build/site-budget.json"
    budget.parent.mkdir(parents=True, exist_ok=True)
    budget.write_text(json.dumps({"bytes": 400_000, "files": 100}), encoding="utf-8")
    passed = gongkai("check", "--base", "main", "--lang", "zh", cwd=repo)
    assert passed.returncode == 0, passed.stdout + passed.stderr
    assert "合并后约" in passed.stderr and "104 个文件" in passed.stderr
    budget.write_text(json.dumps({"bytes": 999_999_000, "files": 100}), encoding="utf-8")
    refused = gongkai("check", "--base", "main", "--lang", "zh", cwd=repo)
    assert refused.returncode == 1
    line = next(s for s in refused.stdout.splitlines() if "[host-site-too-large]" in s)
    assert "github-pages 的上限是 1,000,000,000 字节" in line, line


def test_a_file_over_the_host_s_per_file_limit_is_refused_by_name_before_the_build(repo_factory):
    repo = _pull_request(repo_factory, rows=2000)
    settings = repo / "gongkai.yml"
    text = settings.read_text(encoding="utf-8")
    settings.write_text(text.replace("hosting:\n", "hosting:\n  max_file_bytes: 60000\n", 1), encoding="utf-8")
    _commit(repo, "a small per-file limit")  # a settings change is site code; only the data's problem is asked here
    result = gongkai("check", "--base", "main", "--lang", "en", cwd=repo)
    over = [s for s in result.stdout.splitlines() if "[host-file-too-large]" in s]
    assert result.returncode == 1 and over, result.stdout
    assert any("datasets/tiny/items.xlsx" in s or "datasets/tiny/items.json" in s for s in over), over
    assert all("allows 60.0 KB per file" in s for s in over)
    assert not any("/1.0.0/" in s for s in over)  # a file already published is not this change's doing


def test_the_build_names_every_file_over_the_per_file_limit(repo_factory):
    repo = repo_factory(packages=["tiny"])
    settings = repo / "gongkai.yml"
    text = settings.read_text(encoding="utf-8")
    settings.write_text(text.replace("hosting:\n", "hosting:\n  max_file_bytes: 20000\n", 1), encoding="utf-8")
    result = gongkai("build", cwd=repo)
    assert result.returncode == 1
    named = [s for s in result.stderr.splitlines() if "allows 20.0 KB per file" in s]
    record = json.loads((repo / "build/site-budget.json").read_text(encoding="utf-8"))
    over = [f["path"] for f in record["largest_files"] if f["bytes"] > 20000]
    assert len(over) >= 2 and len(named) == min(len(over), 20), (named, over)
    assert all(any(path in s for s in named) for path in over)
