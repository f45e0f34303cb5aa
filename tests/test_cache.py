"""Rebuilds reprocess only what changed, and a cache never vouches for data it did not check."""

from __future__ import annotations

import shutil
import subprocess

import pytest
from conftest import gongkai
from gongkai.publish import cache


def _stamps(repo):
    return {p.name: p.stat().st_mtime_ns for p in (repo / "build/cache").glob("*.json")}


def test_only_the_changed_dataset_is_reprocessed(repo_factory):
    repo = repo_factory(["tiny"], real=["disclosure-overview", "key-area-disclosure"])
    first = gongkai("build", cwd=repo)
    assert first.returncode == 0
    assert "gongkai: 3 dataset(s) processed in " in first.stdout and ", 0 unchanged from the cache" in first.stdout
    before = _stamps(repo)
    assert set(before) == {"tiny.json", "disclosure-overview.json", "key-area-disclosure.json"}
    again = gongkai("build", cwd=repo)
    assert again.returncode == 0
    assert "gongkai: 0 dataset(s) processed in " in again.stdout and ", 3 unchanged from the cache" in again.stdout
    assert _stamps(repo) == before  # a no-op run touches no cache entry
    csv = repo / "datasets/tiny/data/items.csv"
    csv.write_text(csv.read_text(encoding="utf-8").replace("第一行", "第一行（改）"), encoding="utf-8")
    changed = gongkai("build", cwd=repo)
    assert changed.returncode == 0
    assert "gongkai: 1 dataset(s) processed in " in changed.stdout and ", 2 unchanged from the cache" in changed.stdout
    after = _stamps(repo)
    assert after["tiny.json"] != before["tiny.json"]
    assert {k: v for k, v in after.items() if k != "tiny.json"} == {k: v for k, v in before.items() if k != "tiny.json"}
    assert "第一行（改）" in (repo / "site/datasets/tiny/items.csv").read_text(encoding="utf-8")


def test_a_cached_failure_is_reported_again(repo_factory):
    repo = repo_factory(["type-error"])
    first = gongkai("build", cwd=repo)
    second = gongkai("build", cwd=repo)
    assert first.returncode == second.returncode == 1
    assert first.stdout == second.stdout and "[type-error]" in second.stdout


@pytest.mark.parametrize("kept", ["build/cache", "build/rendered"])
def test_a_cache_committed_to_git_is_refused(tiny_copy, kept):
    repo = tiny_copy  # built once: build/cache/ holds the cache, build/rendered/ the dataset's pages
    page = repo / "build/rendered/tiny.json"
    forged = cache.unseal(page.read_bytes())
    forged["value"] = {p: text + "<script>alert(1)</script>" for p, text in forged["value"].items()}
    cache.write_record(page, forged)  # a PR's own Markdown under the right key, sealed: used if not refused
    git = ["git", "-c", "user.email=t@example.org", "-c", "user.name=t"]
    subprocess.run([*git, "init", "-q"], cwd=repo, check=True)
    subprocess.run([*git, "add", "-f", kept], cwd=repo, check=True)
    result = gongkai("build", cwd=repo)
    assert result.returncode == 1
    assert f"{kept}/ is tracked by git" in result.stderr
    assert not (repo / "build/docs/datasets/tiny/index.md").read_bytes().count(b"<script>alert(1)")


def test_a_changed_template_changes_the_code_version_every_kept_page_depends_on(tmp_path, monkeypatch):
    # the kept pages (renderedpages.py, pagecache.py) are keyed on code_version: a developer who
    # edits a page template must see every page rendered again, not last build's HTML
    package = tmp_path / "gongkai"
    shutil.copytree(cache.PACKAGE, package, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(cache, "PACKAGE", package)
    cache.code_version.cache_clear()
    try:
        before = cache.code_version()
        template = package / "render/templates/dataset.md.j2"
        template.write_text(template.read_text(encoding="utf-8") + "\n", encoding="utf-8")
        cache.code_version.cache_clear()
        assert cache.code_version() != before
        (package / "__pycache__").mkdir(exist_ok=True)
        (package / "__pycache__/build.cpython-311.pyc").write_bytes(b"compiled")  # not the code itself
        changed = cache.code_version()
        cache.code_version.cache_clear()
        assert cache.code_version() == changed
    finally:
        cache.code_version.cache_clear()
