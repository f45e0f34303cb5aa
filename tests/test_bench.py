"""The benchmark runs end to end in its quick mode (timings are its business, not the tests')."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from conftest import ROOT

sys.path.insert(0, str(ROOT))
from benchmarks import catalogs  # noqa: E402
from benchmarks.search import CHROMIUM, ENGINES  # noqa: E402

pytestmark = pytest.mark.bench  # not in the default run: make test-bench (and make bench) run it


@pytest.fixture(scope="module")
def quick(tmp_path_factory):
    """One quick run of every part: its stdout and its JSON rows."""
    out = tmp_path_factory.mktemp("bench") / "bench.json"
    result = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks/run.py"), "--quick", "--json", str(out)],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout, json.loads(out.read_text(encoding="utf-8"))["results"]


def test_quick_benchmark_runs_and_agrees_with_frictionless(quick):
    stdout, results = quick
    stages = {r["stage"]: r for r in results}
    validation = [r for r in results if "same_errors" in r]
    assert len(validation) == 3 and all(r["same_errors"] for r in validation)
    assert any(s.endswith("(valid, CRLF line ends)") for s in stages)  # beside the same file with LF line ends
    assert any(s.startswith("export 30,000 rows") for s in stages)  # the streaming run on a bigger CSV
    assert all(r.get("ok", True) for r in results)
    assert any(s.startswith("build 30 datasets") for s in stages)
    for n in (10, 30):  # each size's cold build: its time, memory and the site it wrote (site-budget.json)
        built = stages[f"build {n} datasets"]
        assert built["cpu_s"] > 0 and built["gongkai_mb"] >= built["build_process_mb"] > 0 and built["mkdocs_mb"] > 0
        assert built["site_files"] > 20 * n and built["bytes_per_dataset"] == round(built["site_bytes"] / n)
    growth = stages["growth per dataset, 10 -> 30"]
    assert set(growth["per_dataset"]) == {"10", "30"} and growth["ratio"]["bytes"] > 0
    assert "stage" in stdout.splitlines()[0]


def test_quick_search_benchmark_measures_every_engine(quick):
    if not CHROMIUM.exists() and not os.environ.get("GONGKAI_REQUIRE_BROWSER"):
        pytest.skip("Debian's chromium is not installed (make browser installs it): the search part was left out")
    stdout, results = quick
    rows = [r for r in results if "engine" in r]
    assert sorted(r["engine"] for r in rows) == sorted(ENGINES)  # one row per engine at the quick size
    for r in rows:
        assert r["ok"], r
        assert r["index_s"] > 0 and r["index_peak_mb"] > 0 and r["index_bytes"] > 0 and r["index_files"] > 0
        word = r["queries"][0]
        assert isinstance(word["ms"], int) and word["bytes"] > 0 and word["found"], word  # a title's word is found
        assert isinstance(r["row_value_found"], bool)
    material = next(r for r in rows if r["engine"] == "material")
    assert material["open_bytes"] >= material["index_bytes"]  # Material downloads its whole index on opening a page
    ours = next(r for r in rows if r["engine"] == "ours")
    assert ours["open_paths"] and all(p.startswith("assets/search.") for p in ours["open_paths"])  # its code, no index
    assert ours["row_value_found"] and not material["row_value_found"]  # a street only in a CSV cell
    assert "search engine" in stdout


def test_the_memory_of_a_build_counts_its_children():
    # a parent of a few MB starting a child that holds 150 MB: ru_maxrss alone would not tell them apart
    child = "import time; held = b'x' * (150 * 2**20); time.sleep(1)"
    code = f"import subprocess, sys; subprocess.run([sys.executable, '-c', {child!r}], check=True)"
    measured = catalogs.measure([sys.executable, "-c", code])
    assert measured["exit"] == 0
    assert measured["worker_peak_mb"] >= 150 > measured["build_peak_mb"]
    assert measured["tree_peak_mb"] >= 150 and measured["peak_mb"] >= 150
