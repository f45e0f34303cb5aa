"""Shared fixtures: temporary repositories built from the real config and tiny packages."""

from __future__ import annotations

import fcntl
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).resolve().parent / "fixtures"
PACKAGES = FIXTURES / "packages"


def make_repo(tmp: Path, packages: list[str] = (), real: list[str] = ()) -> Path:
    """A repository in `tmp` with our settings, docs and the named datasets."""
    repo = tmp / "repo"
    (repo / "datasets").mkdir(parents=True)
    for name in ("gongkai.yml", "mkdocs.yml"):
        shutil.copy(ROOT / name, repo / name)
    shutil.copytree(ROOT / "docs", repo / "docs")
    shutil.copytree(ROOT / "overrides", repo / "overrides")
    # mkdocs.yml names the hook by path; the hook finds gongkai.yml next to mkdocs.yml's parent.
    hook = repo / "scripts" / "gongkai"
    hook.mkdir(parents=True)
    shutil.copy(ROOT / "scripts" / "gongkai" / "mkdocs_hook.py", hook / "mkdocs_hook.py")
    for name in packages:
        shutil.copytree(PACKAGES / name, repo / "datasets" / name)
    for name in real:
        shutil.copytree(ROOT / "datasets" / name, repo / "datasets" / name)
    return repo


def gongkai(*args: str, cwd: Path, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "gongkai.cli", *args], cwd=cwd, capture_output=True, text=True, env=env
    )


@pytest.fixture
def repo_factory(tmp_path):
    return lambda packages=(), real=(): make_repo(tmp_path, packages, real)


@pytest.fixture(scope="session")
def built_site(tmp_path_factory):
    """The real catalog built once, end to end, in a temporary copy of the repository; tests
    only read it (one that builds again builds a copy). Under pytest-xdist the workers share
    one build: the first to get the lock builds, the others wait and read its result."""
    if not os.environ.get("PYTEST_XDIST_WORKER"):
        return _build_real_site(tmp_path_factory.mktemp("site"))
    shared = tmp_path_factory.getbasetemp().parent  # the run's folder, above each worker's own
    with open(shared / "built_site.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        done, failed = shared / "built_site.done", shared / "built_site.failed"
        if not done.exists() and not failed.exists():
            try:
                repo = _build_real_site(shared / "built_site")
                done.write_text(str(repo), encoding="utf-8")
            except AssertionError as exc:
                failed.write_text(str(exc), encoding="utf-8")
        if failed.exists():
            pytest.fail(f"the real site did not build: {failed.read_text(encoding='utf-8')}")
        return Path(done.read_text(encoding="utf-8"))


def _build_real_site(tmp: Path) -> Path:
    repo = make_repo(tmp, real=sorted(p.name for p in (ROOT / "datasets").iterdir() if p.is_dir()))
    result = gongkai("build", cwd=repo)
    assert result.returncode == 0, result.stdout + result.stderr
    return repo
