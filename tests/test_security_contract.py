"""The URL contract holds against the pull request itself, and site code is not data.

Each test plays a hostile pull request on a small repository whose main branch published the
tiny dataset and locked its URLs, and drives the real `gongkai check --base main` or
`gongkai build`: the outcome is the exit code and the line that names the file and its line.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys

import pytest
from conftest import gongkai, make_repo

GIT = ["git", "-c", "user.name=测试", "-c", "user.email=test@example.org", "-c", "commit.gpgsign=false"]
CSV = "datasets/tiny/data/items.csv"
DESCRIPTOR = "datasets/tiny/datapackage.json"


def _git(repo, *args: str) -> str:
    return subprocess.run([*GIT, *args], cwd=repo, check=True, capture_output=True, text=True).stdout


def _commit(repo, message: str) -> None:
    (repo / ".gitignore").write_text("build/\nsite/\nsite.new/\nsite.old/\n__pycache__/\n", encoding="utf-8")
    _git(repo, "add", "-A")
    _git(repo, "commit", "-q", "-m", message)


@pytest.fixture(scope="module")
def _published_once(tmp_path_factory):
    repo = make_repo(tmp_path_factory.mktemp("published"), ["tiny"])
    _git(repo, "init", "-q", "-b", "main")
    _commit(repo, "tiny 1.0.0")
    locked = gongkai("lock", cwd=repo)
    assert locked.returncode == 0, locked.stdout + locked.stderr
    _commit(repo, "lock")
    _git(repo, "checkout", "-q", "-b", "pr")
    return repo


@pytest.fixture
def published(_published_once, tmp_path):
    """main: tiny 1.0.0 with its URLs locked (each version file with its SHA-256); checked out on
    branch pr. Made once, copied for each test with its history and build cache."""
    repo = tmp_path / "repo"
    shutil.copytree(_published_once, repo, symlinks=True)
    return repo


def _check(repo) -> subprocess.CompletedProcess:
    return gongkai("check", "--base", "main", cwd=repo)


def _lock_lines(repo) -> list[str]:
    return (repo / "urls.lock").read_text(encoding="utf-8").splitlines(keepends=True)


def _line_of(lines: list[str], path: str) -> int:
    return next(n for n, line in enumerate(lines, 1) if line.split()[0] == path)


def _write_lock(repo, lines: list[str]) -> None:
    (repo / "urls.lock").write_text("".join(lines), encoding="utf-8")


# --- the gate holds urls.lock to append-only, against the base branch --------------------------


def _delete_line(lines, path):
    return [line for line in lines if line.split()[0] != path]


def _change_mark(lines, path):
    return [f"{path} {'0' * 64}\n" if line.split()[0] == path else line for line in lines]


def _strip_mark(lines, path):
    return [f"{path}\n" if line.split()[0] == path else line for line in lines]


@pytest.mark.parametrize(
    "edit, path, said",
    [
        (_delete_line, "/datasets/tiny/items.csv", "is gone from this pull request's lock"),
        (_delete_line, "/datasets/tiny/1.0.0/items.csv", "is gone from this pull request's lock"),
        (_change_mark, "/datasets/tiny/1.0.0/items.csv", "lost its mark: here the path is locked with 0000"),
        (_strip_mark, "/datasets/tiny/1.0.0/tiny-1.0.0.zip", "lost its mark: here the path is locked without a mark"),
    ],
)
def test_the_gate_refuses_a_lock_line_removed_or_its_mark_changed_naming_the_base_line(published, edit, path, said):
    before = _lock_lines(published)
    line = _line_of(before, path)
    _write_lock(published, edit(before, path))
    result = _check(published)
    assert result.returncode == 1, result.stdout + result.stderr
    refused = next(out for out in result.stdout.splitlines() if "[lock-edited]" in out)
    assert refused.startswith(f"urls.lock:{line}: line {line} on main, '{path}")
    assert said in refused and "urls.lock is append-only" in refused
    assert "lock-edited" in (published / "build/check-report.md").read_text(encoding="utf-8")


def test_deleting_lock_lines_with_the_files_they_name_fails_the_gate(published):
    """The attack the build alone cannot see: the CSV goes, and so do its lines in the lock."""
    desc = json.loads((published / DESCRIPTOR).read_text(encoding="utf-8"))
    lines = [line for line in _lock_lines(published) if not line.startswith("/datasets/tiny/")]
    _git(published, "rm", "-rq", "datasets/tiny")
    (published / "withdrawn.yml").write_text(
        f"- name: tiny\n  title: {desc['title']}\n  date: 2026-02-01\n  reason: 测试撤回。\n", encoding="utf-8"
    )  # a withdrawal keeps the gate's dataset-removed rule quiet: only the lock is left to catch it
    _write_lock(published, lines)
    result = _check(published)
    assert result.returncode == 1
    assert "'/datasets/tiny/', is gone from this pull request's lock" in result.stdout
    assert "'/datasets/tiny/items.csv', is gone" in result.stdout


def test_a_withdrawal_mark_may_not_be_removed_but_lines_may_be_appended(published):
    lines = _lock_lines(published) + ["/datasets/old-gone/\n", "/datasets/old-gone/ withdrawn\n"]
    _write_lock(published, lines)
    _commit(published, "an old withdrawal")
    _git(published, "branch", "-f", "main")
    appended = _lock_lines(published) + ["/datasets/new-thing/\n"]
    _write_lock(published, appended)
    assert "lock-edited" not in _check(published).stdout  # appending is what gongkai lock does
    _write_lock(published, [line for line in appended if "withdrawn" not in line])
    result = _check(published)
    assert result.returncode == 1
    line = len(lines)
    assert f"urls.lock:{line}: line {line} on main, '/datasets/old-gone/ withdrawn', lost its mark" in result.stdout
    assert "a withdrawal stays recorded" in result.stdout


@pytest.mark.parametrize("how", ["deleted", "emptied"])
def test_a_deleted_or_emptied_lock_fails_the_gate(published, how):
    if how == "deleted":
        (published / "urls.lock").unlink()
    else:
        (published / "urls.lock").write_text("", encoding="utf-8")
    result = _check(published)
    assert result.returncode == 1
    expected = (
        "urls.lock: urls.lock was deleted; main has it with"
        if how == "deleted"
        else "urls.lock:1: urls.lock locks no path (0 bytes)"
    )
    assert expected in result.stdout


def _bump(repo, version: str, date: str) -> None:
    desc = json.loads((repo / DESCRIPTOR).read_text(encoding="utf-8"))
    desc.update(version=version, modified=date)
    (repo / DESCRIPTOR).write_text(json.dumps(desc, ensure_ascii=False, indent=2), encoding="utf-8")
    log = repo / "datasets/tiny/CHANGELOG.md"
    title, rest = log.read_text(encoding="utf-8").split("\n", 1)
    log.write_text(f"{title}\n\n## {version} — {date}\n\n只改说明。\n{rest}", encoding="utf-8")


def test_rewriting_an_old_version_in_history_and_deleting_its_marks_fails_the_gate(published):
    """A branch whose history was rewritten so that version 1.0.0 holds other bytes, then 1.0.1
    with the data as it was: the build alone would publish the new 1.0.0 bytes (no mark left
    to compare them with); the gate sees each mark go."""
    base_lock = _lock_lines(published)
    _git(published, "checkout", "-q", "--orphan", "rewritten")
    csv = published / CSV
    original = csv.read_bytes()
    csv.write_bytes(original.replace(b"999999,NA", b"999999,CHANGED"))
    # (its Parquet is locked by path only: its bytes may change with the writer)
    marked = [line for line in base_lock if line.startswith("/datasets/tiny/1.0.0/") and ".parquet" not in line]
    assert len(marked) == 3 and all(len(line.split()) == 2 for line in marked)
    _write_lock(published, [line for line in base_lock if line not in marked])
    _commit(published, "1.0.0, rewritten")
    csv.write_bytes(original)
    _bump(published, "1.0.1", "2026-01-05")
    _commit(published, "1.0.1")
    result = _check(published)
    assert result.returncode == 1
    for line in marked:
        number = base_lock.index(line) + 1
        assert f"urls.lock:{number}: line {number} on main, '{line.strip()}', is gone" in result.stdout


# --- the build refuses a lock it cannot trust ---------------------------------------------------


@pytest.mark.parametrize(
    "damage, expected",
    [
        (lambda text: "", "urls.lock:1: urls.lock locks no path (0 bytes) while the site publishes paths"),
        (lambda text: text.rstrip("\n")[:-3], "does not end with a newline: its last line"),
        (lambda text: text.split("\n", 1)[1], "urls.lock:1: urls.lock does not begin with its header line"),
        (lambda text: "# nothing here\n", "urls.lock:1: urls.lock locks no path (15 bytes)"),
    ],
    ids=["empty", "cut-mid-line", "header-lost", "comments-only"],
)
def test_an_empty_or_cut_off_lock_fails_the_build_instead_of_switching_the_contract_off(published, damage, expected):
    lock = published / "urls.lock"
    lock.write_text(damage(lock.read_text(encoding="utf-8")), encoding="utf-8")
    result = gongkai("build", cwd=published)
    assert result.returncode == 1, result.stdout + result.stderr
    assert expected in result.stdout and ("[lock-empty]" in result.stdout or "[lock-truncated]" in result.stdout)
    assert not (published / "site").exists()
    refused = gongkai("lock", cwd=published)  # appending to a damaged lock would make its losses permanent
    assert refused.returncode == 1 and "urls.lock was left as it was" in refused.stderr


def test_a_lock_deleted_from_a_published_site_fails_the_build_a_fresh_fork_only_warns(published, tmp_path):
    (published / "urls.lock").unlink()
    result = gongkai("build", cwd=published)
    assert result.returncode == 1
    assert (
        "urls.lock: urls.lock is missing but git history has it" in result.stdout and "[lock-missing]" in result.stdout
    )
    fork = make_repo(tmp_path / "fork", ["tiny"])  # never locked: no history of a lock
    subprocess.run([*GIT, "init", "-q"], cwd=fork, check=True)
    _commit(fork, "a fresh fork")
    built = gongkai("build", cwd=fork)
    assert built.returncode == 0, built.stdout + built.stderr
    assert "urls.lock: warning: there is no urls.lock, so no URL of this site is protected yet" in built.stderr


# --- gongkai lock writes the whole file or nothing ----------------------------------------------


class _FailingWrite:
    """os for urls.py, whose write puts half the bytes on disk and then fails (a full disk)."""

    def __init__(self, real):
        self._real = real
        self.calls = 0

    def __getattr__(self, name):
        return getattr(self._real, name)

    def write(self, fd, data):
        self.calls += 1
        self._real.write(fd, bytes(data[: len(data) // 2]))
        raise OSError(28, "No space left on device")


def test_an_interrupted_lock_leaves_the_old_file_whole(published, monkeypatch, capsys):
    from gongkai import cli
    from gongkai.publish import urls

    lock = published / "urls.lock"
    old = "".join(line for line in _lock_lines(published) if not line.startswith("/datasets/tiny/1.0.0/"))
    lock.write_text(old, encoding="utf-8")  # three lines for gongkai lock to add
    failing = _FailingWrite(os)
    monkeypatch.setattr(urls, "os", failing)
    monkeypatch.setattr(sys, "argv", ["gongkai"])
    assert cli.main(["--root", str(published), "lock"]) == 1
    assert failing.calls == 1
    assert lock.read_text(encoding="utf-8") == old  # the old lock, byte for byte
    assert sorted(p.name for p in published.iterdir() if "urls.lock" in p.name) == [
        "urls.lock"
    ]  # no temporary file left
    assert "urls.lock could not be written (No space left on device); it was left as it was" in capsys.readouterr().err
    monkeypatch.undo()
    assert cli.main(["--root", str(published), "lock"]) == 0
    assert lock.read_text(encoding="utf-8").startswith(old) and "/datasets/tiny/1.0.0/items.csv " in lock.read_text(
        encoding="utf-8"
    )


def test_write_lock_is_flushed_before_the_rename(published, monkeypatch):
    from gongkai.publish import urls

    order = []
    real = os

    class Watching(_FailingWrite):
        def write(self, fd, data):
            return real.write(fd, data)

        def fsync(self, fd):
            order.append("fsync")
            return real.fsync(fd)

        def replace(self, src, dst):
            order.append("replace")
            return real.replace(src, dst)

    monkeypatch.setattr(urls, "os", Watching(os))
    urls.write_lock(published, urls.HEADER + "/\n")
    assert order == ["fsync", "replace", "fsync"]  # the file's bytes, then the rename, then the folder
    assert (published / "urls.lock").read_text(encoding="utf-8") == urls.HEADER + "/\n"


# --- one decision for the gate and the build: version conflicts and ids ---------------------------


def test_a_changed_id_is_refused_by_the_gate_and_the_build_not_taken_as_a_patch(published):
    path = published / DESCRIPTOR
    text = path.read_text(encoding="utf-8")
    path.write_text(
        text.replace("00000000-0000-4000-8000-000000000006", "00000000-0000-4000-8000-0000000000ff"), encoding="utf-8"
    )
    line = next(n for n, row in enumerate(text.splitlines(), 1) if '"id"' in row)
    gate = _check(published)
    assert gate.returncode == 1
    expected = (
        f"{DESCRIPTOR}:{line}: /id: the id changed from 00000000-0000-4000-8000-000000000006 (version 1.0.0, commit "
    )
    assert expected in gate.stdout and "[id-changed]" in gate.stdout
    assert "metadata edited: id" not in gate.stdout + gate.stderr  # not a patch-level edit
    built = gongkai("build", cwd=published)
    assert built.returncode == 1 and expected in built.stdout


def test_a_change_made_and_undone_in_the_branch_agrees_between_the_gate_and_the_merged_build(published):
    """Found by a review: the gate said "no change" where the build, reading history, failed with
    version-conflict. Both now ask history.py along first parents: what a pull request publishes is
    its merge (GitHub's pull-request checkout builds that merge, base first), so a change made and
    undone inside the branch is no change to either, and main merged with a merge commit publishes
    1.0.0 byte for byte as before."""
    csv = published / CSV
    original = csv.read_bytes()
    csv.write_bytes(original.replace(b"999999,NA", b"999999,CHANGED"))
    _commit(published, "changed data, forgot the version")
    csv.write_bytes(original)
    _commit(published, "undone")
    gate = _check(published)
    assert gate.returncode == 0, gate.stdout + gate.stderr
    assert "[version-conflict]" not in gate.stdout
    _git(published, "checkout", "-q", "main")
    _git(published, "merge", "-q", "--no-ff", "-m", "Merge pr", "pr")
    built = gongkai("build", cwd=published)
    assert built.returncode == 0, built.stdout + built.stderr
    assert (
        published / "site" / CSV.removeprefix("datasets/tiny/data/").join(["datasets/tiny/1.0.0/", ""])
    ).read_bytes() == original


# --- site code is not data ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "addition, said",
    [
        (
            "\nextra:\n  x: !!python/object/apply:os.system ['touch {canary}']\n",
            "the tag tag:yaml.org,2002:python/object/apply:os.system is not allowed",
        ),
        ("\nextra:\n  x: !!python/name:os.system\n", "the tag tag:yaml.org,2002:python/name:os.system is not allowed"),
        (
            "\nextra:\n  x: !!python/object/new:subprocess.Popen [['touch', '{canary}']]\n",
            "the tag tag:yaml.org,2002:python/object/new:subprocess.Popen is not allowed",
        ),
        ("\nextra: &a {{x: 1}}\nextra_more: *a\n", "aliases (*name) and merge keys (<<) are not allowed"),
    ],
    ids=["apply-os-system", "python-name", "new-popen", "alias"],
)
def test_a_mkdocs_yml_that_would_run_code_is_refused_before_mkdocs_reads_it(published, tmp_path, addition, said):
    canary = tmp_path / "CANARY"
    config = published / "mkdocs.yml"
    before = config.read_text(encoding="utf-8")
    config.write_text(before + addition.format(canary=canary), encoding="utf-8")
    line = before.count("\n") + 3
    result = gongkai("build", cwd=published)
    assert result.returncode == 1, result.stdout + result.stderr
    assert f"mkdocs.yml:{line}: {said}" in result.stdout and "[generator-config]" in result.stdout
    assert not canary.exists() and not (published / "site").exists()
    assert gongkai("serve", cwd=published).returncode == 1  # serve generates first, and refuses the same way
    assert not canary.exists()


HOOK = "  - scripts/gongkai/mkdocs_hook.py"
SSTI = "{{ lipsum.__globals__['os'].system('touch CANARY') }}"  # Jinja reaches Python


@pytest.mark.parametrize(
    "old, new, key, said",
    [
        (HOOK, "  - docs/evil.py", "hooks", "hooks: the hook 'docs/evil.py' is not under scripts/"),
        (
            HOOK,
            "  - scripts/../docs/evil.py",
            "hooks",
            "hooks: the hook 'scripts/../docs/evil.py' is not under scripts/",
        ),
        ("docs_dir: build/docs", "docs_dir: /", "docs_dir", "docs_dir: docs_dir is '/'; it must be 'build/docs'"),
        (
            "strict: true",
            "strict: true\nINHERIT: docs/evil.yml",
            "INHERIT",
            "INHERIT: INHERIT is not allowed: MkDocs would read 'docs/evil.yml' as settings",
        ),
        (
            "strict: true",
            "strict: true\nextra_templates: [evil.html]",
            "extra_templates",
            "extra_templates: extra_templates is not allowed: MkDocs would read ['evil.html'] as Jinja",
        ),
        (
            "custom_dir: overrides",
            "custom_dir: docs",
            "theme",
            "theme.custom_dir: theme.custom_dir is 'docs'; templates are Jinja",
        ),
    ],
    ids=["hook-in-docs", "hook-dotdot", "docs-dir", "inherit", "extra-templates", "custom-dir"],
)
def test_mkdocs_yml_may_not_make_data_into_code_or_publish_another_folder(published, old, new, key, said):
    config = published / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    (published / "docs/evil.py").write_text("open('CANARY', 'w')\n", encoding="utf-8")
    (published / "docs/evil.yml").write_text(
        "extra:\n  x: !!python/object/apply:os.system ['touch CANARY']\n", encoding="utf-8"
    )
    (published / "docs/evil.html").write_text(SSTI, encoding="utf-8")
    (published / "docs/main.html").write_text(SSTI, encoding="utf-8")
    assert old in text
    changed = text.replace(old, new)
    config.write_text(changed, encoding="utf-8")
    line = next(n for n, row in enumerate(changed.splitlines(), 1) if row.startswith(key + ":"))
    result = gongkai("build", cwd=published)
    assert result.returncode == 1
    assert f"mkdocs.yml:{line}: {said}" in result.stdout and "[generator-config]" in result.stdout
    assert not (published / "CANARY").exists() and not (published / "build/docs/CANARY").exists()


SITE_CODE = [
    "mkdocs.yml",
    "gongkai.yml",
    "overrides/main.html",
    "docs/assets/gongkai.js",
    "scripts/gongkai/mkdocs_hook.py",
    ".github/workflows/evil.yml",
    ".ci/run",
    "Makefile",
    "pyproject.toml",
    "tests/test_evil.py",
    "benchmarks/run.py",
]


def test_the_gate_fails_each_change_to_site_code_and_names_every_file_for_review(published):
    for path in SITE_CODE:  # changed, or added
        target = published / path
        target.parent.mkdir(parents=True, exist_ok=True)
        with target.open("a", encoding="utf-8") as f:
            f.write("\n")
    result = _check(published)
    assert result.returncode == 1, result.stdout + result.stderr
    refused = [line for line in result.stdout.splitlines() if line.endswith("[site-code-changed]")]
    assert refused == [
        (
            f"{path}: {path} is site code, not data: this change needs a "
            "maintainer's review before it is merged [site-code-changed]"
        )
        for path in sorted(SITE_CODE)
    ]
    assert f"site code changed, needs a maintainer's review: {', '.join(sorted(SITE_CODE))}" in result.stderr
    report = (published / "build/check-report.md").read_text(encoding="utf-8")
    section = report.split("## 需要维护者审查的代码改动", 1)[1].split("\n## ", 1)[0]
    assert [line[2:] for line in section.splitlines() if line.startswith("- ")] == [
        path.replace("_", "\\_") for path in sorted(SITE_CODE)
    ]


def test_a_data_pull_request_is_not_taken_for_site_code(published):
    page = published / "docs/about.md"
    page.write_text(page.read_text(encoding="utf-8") + "\n补充一段说明。\n", encoding="utf-8")
    (published / "scripts/gongkai/__pycache__").mkdir()
    (published / "scripts/gongkai/__pycache__/mkdocs_hook.cpython-311.pyc").write_bytes(b"\0")
    result = _check(published)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "site-code-changed" not in result.stdout
    assert "需要维护者审查" not in (published / "build/check-report.md").read_text(encoding="utf-8")


def test_a_second_hash_for_a_locked_version_file_is_refused_by_the_build(published):
    # found by a review: only a path's first line was compared, so a line put before it locked new bytes
    lines = _lock_lines(published)
    marked = next(line for line in lines if re.fullmatch(r"\S+ [0-9a-f]{64}\n", line))
    path = marked.split(" ")[0]
    lines.insert(1, f"{path} {'0' * 64}\n")
    (published / "urls.lock").write_text("".join(lines), encoding="utf-8")
    result = gongkai("build", cwd=published)
    assert result.returncode == 1
    assert f"{path} is locked twice with different SHA-256" in result.stdout
