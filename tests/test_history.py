"""Every version from git history at a URL that never changes, and the ways that can go wrong."""

from __future__ import annotations

import hashlib
import json
import re
import subprocess

from conftest import gongkai, release

GIT = ["git", "-c", "user.name=测试", "-c", "user.email=test@example.org", "-c", "commit.gpgsign=false"]


def _git(repo, *args: str) -> str:
    return subprocess.run([*GIT, *args], cwd=repo, check=True, capture_output=True, text=True).stdout


def _commit(repo, message: str, date: str = "2026-01-02T12:00:00+08:00") -> str:
    (repo / ".gitignore").write_text("build/\nsite/\nsite.new/\n", encoding="utf-8")
    _git(repo, "add", "-A")
    env_date = {"GIT_AUTHOR_DATE": date, "GIT_COMMITTER_DATE": date}
    subprocess.run([*GIT, "commit", "-q", "-m", message], cwd=repo, check=True, env={**_env(), **env_date})
    return _git(repo, "rev-parse", "HEAD").strip()


def _env() -> dict:
    import os

    return dict(os.environ)


def _bump(repo, version: str, date: str, note: str) -> None:
    release(repo / "datasets/tiny", version, date, note)


def _two_versions(repo_factory):
    """A repository whose history holds tiny 1.0.0 and 1.0.1 (a README-only change)."""
    repo = repo_factory(packages=["tiny"])
    _git(repo, "init", "-q")
    _commit(repo, "tiny 1.0.0")
    _bump(repo, "1.0.1", "2026-01-05", "只改说明。")
    _commit(repo, "tiny 1.0.1", "2026-01-05T12:00:00+08:00")
    return repo


def _change_a_value(repo) -> None:
    csv = repo / "datasets/tiny/data/items.csv"
    csv.write_text(csv.read_text(encoding="utf-8").replace("999999,NA", "999999,改过"), encoding="utf-8")


def test_every_version_in_history_is_published_byte_for_byte_and_locked(repo_factory):
    repo = repo_factory(packages=["tiny"])
    _git(repo, "init", "-q")
    _commit(repo, "tiny 1.0.0")
    first = (repo / "datasets/tiny/data/items.csv").read_bytes()

    _change_a_value(repo)
    refused = gongkai("build", cwd=repo)  # new data under the old version number
    assert refused.returncode == 1
    assert (
        "version 1.0.0 was already committed with other data" in refused.stdout
        and "[version-conflict]" in refused.stdout
    )

    _bump(repo, "1.1.0", "2026-02-01", "改正一个值。")
    _commit(repo, "tiny 1.1.0", "2026-02-01T12:00:00+08:00")
    assert gongkai("lock", cwd=repo).returncode == 0
    built = gongkai("build", cwd=repo)
    assert built.returncode == 0, built.stdout + built.stderr
    site = repo / "site/datasets/tiny"
    assert (site / "1.0.0/items.csv").read_bytes() == first
    assert (site / "1.1.0/items.csv").read_bytes() == (repo / "datasets/tiny/data/items.csv").read_bytes() != first
    old = json.loads((site / "1.0.0/datapackage.json").read_text(encoding="utf-8"))
    assert old["version"] == "1.0.0" and old["resources"][0]["path"] == "items.csv"
    assert old["resources"][0]["hash"] == f"sha256:{hashlib.sha256(first).hexdigest()}"
    assert (site / "1.0.0/tiny-1.0.0.zip").is_file()
    page = (site / "index.html").read_text(encoding="utf-8")
    assert 'href="1.0.0/items.csv"' in page and 'href="1.1.0/items.csv"' in page and "改正一个值。" in page
    # each version says what it changed from the one before, computed from the two versions' rows
    rows = {
        m[0]: m[1] for m in re.findall(r"<tr><td><code>([0-9.]+)</code>.*?</td>(?:<td>.*?</td>){2}<td>(.*?)</td>", page)
    }
    assert rows == {"1.1.0": "修改 1 行", "1.0.0": "首次发布"}
    lock = (repo / "urls.lock").read_text(encoding="utf-8")
    assert f"/datasets/tiny/1.0.0/items.csv {hashlib.sha256(first).hexdigest()}\n" in lock

    # A version's file whose bytes differ from the lock is refused, naming the lock's line.
    lines = lock.splitlines()
    n = next(i for i, line in enumerate(lines) if line.startswith("/datasets/tiny/1.0.0/items.csv "))
    lines[n] = "/datasets/tiny/1.0.0/items.csv " + "0" * 64
    (repo / "urls.lock").write_text("\n".join(lines) + "\n", encoding="utf-8")
    changed = gongkai("build", cwd=repo)
    assert changed.returncode == 1
    assert (
        f"urls.lock:{n + 1}: /datasets/tiny/1.0.0/items.csv is a published version's file and its bytes changed"
        in changed.stdout
    )


def test_one_version_with_different_data_in_two_commits_names_both(repo_factory):
    repo = repo_factory(packages=["tiny"])
    _git(repo, "init", "-q")
    first = _commit(repo, "tiny 1.0.0")
    _change_a_value(repo)
    second = _commit(repo, "changed data, forgot the version", "2026-01-03T12:00:00+08:00")
    result = gongkai("build", cwd=repo)
    assert result.returncode == 1
    assert (
        f"version 1.0.0 has different data in commit {first[:10]} (2026-01-02) and in commit {second[:10]} (2026-01-03)"
        in result.stdout
    )


def test_a_pull_request_that_bumps_the_version_in_a_later_commit_passes_and_merges_cleanly(repo_factory):
    """A maintainer commits the new data, then the version (as the gate asked): what the pull
    request publishes is its result, so the gate passes, and main, merged with a merge commit,
    keeps 1.0.0 as it was published and adds 1.1.0."""
    repo = repo_factory(packages=["tiny"])
    _git(repo, "init", "-q", "-b", "main")
    _commit(repo, "tiny 1.0.0")
    first = (repo / "datasets/tiny/data/items.csv").read_bytes()
    assert gongkai("lock", cwd=repo).returncode == 0
    _commit(repo, "lock")
    _git(repo, "checkout", "-q", "-b", "update")
    _change_a_value(repo)
    _commit(repo, "new data", "2026-02-01T12:00:00+08:00")
    refused = gongkai("check", "--base", "main", cwd=repo)
    assert refused.returncode == 1 and "[version-bump]" in refused.stdout
    assert "[version-conflict]" not in refused.stdout  # one thing to do, not two
    _bump(repo, "1.1.0", "2026-02-01", "改正一个值。")
    _commit(repo, "tiny 1.1.0", "2026-02-01T13:00:00+08:00")
    passed = gongkai("check", "--base", "main", cwd=repo)
    assert passed.returncode == 0, passed.stdout + passed.stderr
    # the new version's folder is a new path: the gate says to lock it (before, it said nothing)
    assert "gongkai: 1 new path(s) (/datasets/tiny/1.1.0/items.csv, …) are not in urls.lock yet" in passed.stderr
    _git(repo, "checkout", "-q", "main")
    _git(repo, "merge", "-q", "--no-ff", "-m", "Merge update", "update")
    assert gongkai("lock", cwd=repo).returncode == 0
    built = gongkai("build", cwd=repo)
    assert built.returncode == 0, built.stdout + built.stderr
    assert (repo / "site/datasets/tiny/1.0.0/items.csv").read_bytes() == first


def test_a_shallow_clone_is_refused_rather_than_losing_versions(repo_factory, tmp_path):
    repo = _two_versions(repo_factory)
    shallow = tmp_path / "shallow"
    subprocess.run(["git", "clone", "-q", "--depth", "1", f"file://{repo}", str(shallow)], check=True)
    env = {k: v for k, v in _env().items() if k != "GONGKAI_ALLOW_SHALLOW"}
    result = gongkai("build", cwd=shallow, env=env)
    assert result.returncode == 1
    assert "shallow clone" in result.stderr and "git fetch --unshallow" in result.stderr


def test_a_copy_without_git_history_builds_current_versions_and_says_what_it_left_out(repo_factory, tmp_path):
    import shutil

    repo = _two_versions(repo_factory)
    assert gongkai("lock", cwd=repo).returncode == 0
    copy = tmp_path / "exported"
    shutil.copytree(repo, copy, ignore=shutil.ignore_patterns(".git", "build", "site"))
    result = gongkai("build", cwd=copy)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "/datasets/tiny/1.0.0/items.csv is not built here: this copy has no git history" in result.stderr
    assert (copy / "site/datasets/tiny/1.0.1/items.csv").is_file() and not (copy / "site/datasets/tiny/1.0.0").exists()
    page = (copy / "site/datasets/tiny/index.html").read_text(encoding="utf-8")
    assert "<td>首次发布</td>" not in page  # 1.0.1 is not the first version, whatever this copy can see


def test_a_repository_with_no_commit_yet_builds_its_current_versions(repo_factory):
    """`git init` and a first `gongkai build` before the first commit: there is no earlier version
    to read, so the build publishes the working tree's, as in a copy without history."""
    repo = repo_factory(["tiny"])
    _git(repo, "init", "-q")
    result = gongkai("build", cwd=repo)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    assert (repo / "site/datasets/tiny/index.html").is_file()
