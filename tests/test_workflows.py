"""The GitHub Actions workflows: linted by actionlint, and holding the promises the guide makes."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import yaml
from conftest import ROOT

WORKFLOWS = ROOT / ".github/workflows"


def actionlint() -> str:
    found = shutil.which("actionlint", path=str(Path(sys.executable).parent)) or shutil.which("actionlint")
    assert found, "actionlint is missing: it comes with the test extras (pip install -e '.[test]')"
    return found


def test_the_workflows_pass_actionlint():
    files = sorted(str(p) for p in WORKFLOWS.glob("*.yml"))
    assert len(files) == 2
    result = subprocess.run([actionlint(), "-no-color", *files], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_actionlint_catches_a_broken_workflow(tmp_path):
    broken = tmp_path / ".github/workflows/broken.yml"
    broken.parent.mkdir(parents=True)
    broken.write_text(
        "on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo ${{ github.nope }}\n",
        encoding="utf-8",
    )
    result = subprocess.run([actionlint(), "-no-color", str(broken)], capture_output=True, text=True, cwd=tmp_path)
    assert result.returncode == 1 and "nope" in result.stdout


def _load(name: str) -> dict:
    data = yaml.safe_load((WORKFLOWS / name).read_text(encoding="utf-8"))
    data["on"] = data.pop(True, data.get("on"))  # YAML 1.1 reads the key `on` as true
    return data


def _steps(job: dict) -> list[dict]:
    return job["steps"]


def test_the_pull_request_gate_is_read_only_with_full_history_and_runs_check_tests_and_build():
    flow = _load("pull-request.yml")
    assert list(flow["on"]) == ["pull_request"]  # never pull_request_target: no secrets for forks
    assert flow["permissions"] == {"contents": "read"}
    steps = _steps(flow["jobs"]["check"])
    checkout = next(s for s in steps if s.get("uses", "").startswith("actions/checkout"))
    assert checkout["with"]["fetch-depth"] == 0 and checkout["with"]["persist-credentials"] is False
    runs = " ".join(s.get("run", "") for s in steps)
    assert 'gongkai check --base "origin/$BASE_REF"' in runs and "make test" in runs and "make site" in runs
    assert any(
        s.get("with", {}).get("path") == "site/"
        for s in steps
        if s.get("uses", "").startswith("actions/upload-artifact")
    )
    assert "secrets." not in (WORKFLOWS / "pull-request.yml").read_text(encoding="utf-8")


def test_deploy_publishes_only_after_tests_and_build_passed():
    flow = _load("deploy.yml")
    assert flow["on"]["push"]["branches"] == ["main"]
    build, deploy = flow["jobs"]["build"], flow["jobs"]["deploy"]
    runs = [s.get("run") for s in _steps(build) if s.get("run")]
    assert runs == ["make test", "make site"]
    assert deploy["needs"] == "build" and deploy["permissions"] == {"pages": "write", "id-token": "write"}
    assert (
        next(s for s in _steps(build) if s.get("uses", "").startswith("actions/checkout"))["with"]["fetch-depth"] == 0
    )
