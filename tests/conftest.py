"""Shared fixtures: temporary repositories built from the real config and tiny packages, the
CLI run in this process, and the hypothesis profiles."""

from __future__ import annotations

import contextlib
import fcntl
import io
import json
import os
import shutil
import subprocess
import sys
import traceback
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import settings

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).resolve().parent / "fixtures"
PACKAGES = FIXTURES / "packages"

# The checks' own sentences are English, and most tests assert them: the suite runs the CLI in
# English whatever the machine's locale. test_messages.py tests the Chinese default with its own
# environment (without GONGKAI_LANG).
os.environ["GONGKAI_LANG"] = "en"

# Hypothesis: the "full" profile (make test, CI) runs each property's full count with a fixed
# seed, so a run is repeatable; "quick" (make test-quick sets GONGKAI_HYPOTHESIS=quick) runs a
# tenth of it, for contributors. GONGKAI_EXAMPLES scales both; GONGKAI_EXPLORE=1 draws new cases.
settings.register_profile("full", derandomize=not os.environ.get("GONGKAI_EXPLORE"), deadline=None)
settings.register_profile("quick", parent=settings.get_profile("full"))
PROFILE = os.environ.get("GONGKAI_HYPOTHESIS", "full")
settings.load_profile(PROFILE)
SHARE = {"full": 1.0, "quick": 0.1}[PROFILE]
SCALE = float(os.environ.get("GONGKAI_EXAMPLES", "1"))


def examples(full: int) -> int:
    """The examples for a property that has `full` of them in the full profile (two at least)."""
    return max(2, round(full * SCALE * SHARE))


def make_repo(tmp: Path, packages: list[str] = (), real: list[str] = ()) -> Path:
    """A repository in `tmp` with our settings, docs and the named datasets."""
    repo = tmp / "repo"
    (repo / "datasets").mkdir(parents=True)
    for name in ("gongkai.yml", "mkdocs.yml"):
        shutil.copy(ROOT / name, repo / name)
    shutil.copytree(ROOT / "docs", repo / "docs")
    shutil.copytree(ROOT / "overrides", repo / "overrides")
    shutil.copytree(ROOT / "schemas", repo / "schemas")  # the national tables' schemas, published under /schemas/
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
    """`gongkai ARGS` run in `cwd` (with `env` as the whole environment), as a CompletedProcess:
    the CLI's own main() in this process, its output captured and an escaping exception printed
    as the interpreter would print it (exit 1). A subprocess costs half a second of imports, and
    the suite runs the CLI about two hundred times; MkDocs still runs in its own process, as it
    does for a maintainer. gongkai_process runs the real command where a test needs its process."""
    from gongkai import cli

    out, err = io.StringIO(), io.StringIO()
    here, saved = os.getcwd(), dict(os.environ)
    try:
        os.chdir(cwd)  # paths given relative to the repository (gongkai new --from FILE) resolve there
        if env is not None:
            os.environ.clear()
            os.environ.update(env)
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                code = cli.main(list(args))
            except SystemExit as exc:  # argparse on wrong usage
                code = exc.code if isinstance(exc.code, int) else int(exc.code is not None)
            except Exception:
                traceback.print_exc()
                code = 1
    finally:
        os.chdir(here)
        os.environ.clear()
        os.environ.update(saved)
    return subprocess.CompletedProcess(["gongkai", *args], code, out.getvalue(), err.getvalue())


def gongkai_process(*args: str, cwd: Path, env: dict | None = None) -> subprocess.CompletedProcess:
    """`python -m gongkai.cli ARGS` in a process of its own: for the exit status of a real process
    and for what a test measures of the process (its memory)."""
    return subprocess.run(
        [sys.executable, "-m", "gongkai.cli", *args], cwd=cwd, capture_output=True, text=True, env=env
    )


@pytest.fixture
def repo_factory(tmp_path):
    return lambda packages=(), real=(): make_repo(tmp_path, packages, real)


def _shared(tmp_path_factory, name: str, make: Callable[[Path], Path]) -> Path:
    """make(folder) once per run, its result read by every test that asks for it. Under
    pytest-xdist the workers share it: the first to get the lock makes it, the others wait and
    read its result."""
    if not os.environ.get("PYTEST_XDIST_WORKER"):
        return make(tmp_path_factory.mktemp(name))
    shared = tmp_path_factory.getbasetemp().parent  # the run's folder, above each worker's own
    with open(shared / f"{name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        done, failed = shared / f"{name}.done", shared / f"{name}.failed"
        if not done.exists() and not failed.exists():
            try:
                repo = make(shared / name)
                done.write_text(str(repo), encoding="utf-8")
            except AssertionError as exc:
                failed.write_text(str(exc), encoding="utf-8")
        if failed.exists():
            pytest.fail(f"{name} did not build: {failed.read_text(encoding='utf-8')}")
        return Path(done.read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def built_site(tmp_path_factory):
    """The real catalog built once, end to end (the real command, in its own process), in a
    temporary copy of the repository; tests only read it (one that builds again builds a copy)."""
    return _shared(tmp_path_factory, "built_site", _build_real_site)


def _build_real_site(tmp: Path) -> Path:
    repo = make_repo(tmp, real=sorted(p.name for p in (ROOT / "datasets").iterdir() if p.is_dir()))
    result = gongkai_process("build", cwd=repo)
    assert result.returncode == 0, result.stdout + result.stderr
    return repo


@pytest.fixture(scope="session")
def built_tiny(tmp_path_factory):
    """A repository with the tiny dataset, built once, end to end; tests only read it. A test
    that changes it asks for tiny_copy."""
    return _shared(tmp_path_factory, "built_tiny", _build_tiny)


def _build_tiny(tmp: Path) -> Path:
    repo = make_repo(tmp, ["tiny"])
    result = gongkai("build", cwd=repo)
    assert result.returncode == 0, result.stdout + result.stderr
    return repo


@pytest.fixture
def tiny_copy(built_tiny, tmp_path):
    """A copy of built_tiny, its site/ and build cache included: what a maintainer's checkout
    holds after one good build, for a test to change and build again."""
    return copy_repo(built_tiny, tmp_path / "repo")


def copy_repo(repo: Path, to: Path) -> Path:
    shutil.copytree(repo, to, symlinks=True)
    return to


def generate(repo: Path) -> Path:
    """The pipeline up to the site generator (build.generate_docs, in this process): build/docs/,
    each page as gongkai writes it for MkDocs and each download as the site publishes it, byte for
    byte. For a test of what gongkai computes, where a MkDocs run would only add seconds."""
    from gongkai.build import generate_docs

    generate_docs(repo)
    return repo / "build/docs"


def release(folder: Path, version: str, date: str, note: str) -> None:
    """A new version of the dataset in `folder`, as a maintainer writes it: version and modified in
    datapackage.json, and an entry for it at the top of CHANGELOG.md (not committed)."""
    path = folder / "datapackage.json"
    desc = json.loads(path.read_text(encoding="utf-8"))
    desc.update(version=version, modified=date)
    path.write_text(json.dumps(desc, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    changelog = folder / "CHANGELOG.md"
    title, rest = changelog.read_text(encoding="utf-8").split("\n", 1)
    changelog.write_text(f"{title}\n\n## {version} — {date}\n\n{note}\n{rest}", encoding="utf-8")
