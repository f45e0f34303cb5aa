"""The catalogs part of the benchmark: full builds of n synthetic datasets, how the site grows with n.

For each size: a cold `gongkai build` (as a fresh clone) with its wall time, CPU, peak memory of
the build and its children (sampled while it runs, see TreeMemory) and the site it writes
(build/site-budget.json: bytes and files); up to --reference-up-to datasets also the pipeline
alone, the rebuilds after no change and one change, and a plain MkDocs build of the same pages
(the reference takes longest of all at 10,000, so above that size only the cold build runs, once).
Rows are handed to `save` as each size finishes: a failure at 10,000 keeps the 1,000 figures.
Last, one row of growth: time, memory and bytes per dataset at each size and their ratio.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path

from benchmarks import synth

BIN = Path(sys.executable).parent
BUDGET = "build/site-budget.json"  # written by every build (publish/budget.py)
SAMPLE_S = 0.2


class TreeMemory:
    """The memory of a process and all its descendants while it runs, read from /proc every SAMPLE_S:
    the peak of their sum (PSS, so pages the forked workers share are counted once) and each
    process's own peak (VmHWM), by role: the build process itself, MkDocs, the largest worker."""

    def __init__(self, pid: int):
        self.pid = pid
        self.sum_kb = 0
        self.own_kb: dict[int, tuple[str, int]] = {}  # pid -> (role, VmHWM)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> TreeMemory:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        while not self._stop.is_set():
            total = 0
            for pid in _tree(self.pid):
                fields = _status(pid)
                if not fields:
                    continue
                total += _pss(pid) or fields.get("VmRSS", 0)
                before, peak = self.own_kb.get(pid, ("worker", 0))
                # a process that has ended (a zombie) shows no command line: it keeps the role it had
                role = "build" if pid == self.pid else "mkdocs" if before == "mkdocs" or _is_mkdocs(pid) else "worker"
                self.own_kb[pid] = (role, max(fields.get("VmHWM", 0), peak))
            self.sum_kb = max(self.sum_kb, total)
            self._stop.wait(SAMPLE_S)

    def peaks_mb(self) -> dict[str, float]:
        roles: dict[str, int] = {}
        for role, kb in self.own_kb.values():
            roles[role] = max(roles.get(role, 0), kb)
        return {"tree_peak_mb": _mb(self.sum_kb), **{f"{role}_peak_mb": _mb(kb) for role, kb in roles.items()}}


def _mb(kb: int) -> float:
    return round(kb / 1024, 1)


def _tree(pid: int) -> list[int]:
    found, todo = [], [pid]
    while todo:
        p = todo.pop()
        found.append(p)
        try:
            for task in os.listdir(f"/proc/{p}/task"):
                with open(f"/proc/{p}/task/{task}/children") as f:
                    todo.extend(int(c) for c in f.read().split())
        except OSError:
            continue
    return found


def _status(pid: int) -> dict[str, int]:
    try:
        with open(f"/proc/{pid}/status") as f:
            lines = [line.split() for line in f if line.startswith(("VmRSS:", "VmHWM:"))]
    except OSError:
        return {}
    return {parts[0][:-1]: int(parts[1]) for parts in lines}


def _pss(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/smaps_rollup") as f:
            return next((int(line.split()[1]) for line in f if line.startswith("Pss:")), 0)
    except OSError:
        return 0


def _is_mkdocs(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as f:
            return b"mkdocs" in f.read().split(b"\0")[:3][-1]
    except OSError:
        return False


def measure(cmd: list[str]) -> dict:
    """Wall time, CPU time (children included), the largest process's peak (ru_maxrss) and the
    whole tree's memory (TreeMemory) of one command."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    streams: dict[str, bytes] = {}
    readers = [
        threading.Thread(target=lambda name=name, f=f: streams.update({name: f.read()}))
        for name, f in (("out", proc.stdout), ("err", proc.stderr))
    ]
    with TreeMemory(proc.pid) as memory:
        for reader in readers:
            reader.start()
        _, status, usage = os.wait4(proc.pid, 0)  # not proc.wait(): wait4 gives the tree's rusage
        proc.returncode = os.waitstatus_to_exitcode(status)
    for reader in readers:
        reader.join()
    wall = time.perf_counter() - start
    return {
        "seconds": round(wall, 3),
        "cpu": round(usage.ru_utime + usage.ru_stime, 3),
        "peak_mb": round(usage.ru_maxrss / 1024, 1),  # the largest single process of the tree
        **memory.peaks_mb(),
        "exit": proc.returncode,
        "stdout": streams["out"].decode("utf-8", "replace"),
        "stderr": streams["err"].decode("utf-8", "replace")[-2000:],
    }


def median_of(cmd: list[str], runs: int, before: Callable[[], None] | None = None) -> dict:
    """measure(cmd) `runs` times (before() ahead of each): see median_run."""
    return median_run(partial(measure, cmd), runs, before)


def median_run(run: Callable[[], dict], runs: int, before: Callable[[], None] | None = None) -> dict:
    """run() `runs` times (before() ahead of each), the run with the median wall time; every run's
    seconds kept, so the spread on a noisy machine is on record, and the highest peaks of them all."""
    done = []
    for _ in range(runs):
        if before:
            before()
        done.append(run())
    done.sort(key=lambda r: r["seconds"])
    chosen = dict(done[len(done) // 2])
    chosen["runs_s"] = [r["seconds"] for r in done]
    for key in {k for r in done for k in r if k.endswith("_mb")}:
        chosen[key] = max(r.get(key, 0) for r in done)
    return chosen


def gongkai(*args: str, root: Path) -> list[str]:
    return [str(BIN / "gongkai"), "--root", str(root), *args]


def pipeline(root: Path) -> list[str]:
    """The pipeline alone (validate, export, render, write build/docs), without MkDocs."""
    code = (
        "import sys, json, pathlib; from gongkai.build import generate_docs; "
        "t = generate_docs(pathlib.Path(sys.argv[1])).processing; "
        "print(json.dumps({'items': t.items, 'seconds': t.seconds, 'cpu': t.cpu}))"
    )
    return [sys.executable, "-c", code, str(root)]


def _clear(*folders: Path) -> None:
    for folder in folders:
        shutil.rmtree(folder, ignore_errors=True)


def bench_catalogs(
    tmp: Path, sizes: list[int], *, runs: int, reference_up_to: int, save: Callable[[list[dict]], None]
) -> list[dict]:
    results: list[dict] = []
    for n in sizes:
        small = n <= reference_up_to
        results += _catalog(tmp, n, runs if small else 1, small)
        save(results)
    if len({r["datasets"] for r in results if "datasets" in r}) > 1:
        results.append(growth([r for r in results if "datasets" in r]))
        save(results)
    return results


def _catalog(tmp: Path, n: int, runs: int, small: bool) -> list[dict]:
    root = synth.repo(tmp / f"catalog-{n}")
    synth.catalog(root, n)
    full = median_of(gongkai("build", root=root), runs, before=partial(_clear, root / "build", root / "site"))
    built = _build_row(root, n, full)
    if not small:
        built["note"] = "plain MkDocs reference and the rebuild rows left out above --reference-up-to"
        shutil.rmtree(root)
        return [built]
    shutil.rmtree(root / "build/cache")
    scratch = measure(pipeline(root))
    noop = measure(pipeline(root))
    csv = root / "datasets/set-0000/data/items.csv"
    csv.write_text(csv.read_text(encoding="utf-8") + "0-x,荔湾区,变更,2020-01-01,1.00,1\n", encoding="utf-8")
    changed = measure(pipeline(root))
    again = measure(gongkai("build", root=root))
    # The reference: plain MkDocs + Material on the very pages gongkai generated, small navigation.
    ref = synth.plain_mkdocs_from(tmp / f"plain-{n}", root / "build/docs")
    plain = median_of(
        [str(BIN / "mkdocs"), "build", "-q", "-f", str(ref / "mkdocs.yml")], runs, before=partial(_clear, ref / "site")
    )
    built.update(
        reference=f"plain mkdocs build of the same {n} pages",
        reference_s=plain["seconds"],
        reference_mb=plain["peak_mb"],
        ok=built["ok"] and plain["exit"] == 0,
    )
    built["runs"]["reference"] = plain["runs_s"]
    stage = (
        json.loads(scratch["stdout"].splitlines()[-1]) if scratch["exit"] == 0 else {"items": 0, "seconds": 0, "cpu": 0}
    )
    shutil.rmtree(root)
    shutil.rmtree(ref)
    return [
        built,
        {
            "stage": f"pipeline, {n} datasets, from scratch",
            "gongkai_s": scratch["seconds"],
            "gongkai_mb": scratch["peak_mb"],
            "ok": scratch["exit"] == 0 and stage["items"] == n,
            "cpu_over_wall": round(scratch["cpu"] / scratch["seconds"], 2),
            # the per-dataset stage alone (validate, export, render each dataset)
            "per_dataset_stage_cpu_over_wall": round(stage["cpu"] / stage["seconds"], 2) if stage["seconds"] else None,
            "per_dataset_stage_s": round(stage["seconds"], 3),
        },
        {"stage": f"pipeline, {n} datasets, nothing changed", "gongkai_s": noop["seconds"], "ok": noop["exit"] == 0},
        {"stage": f"pipeline, {n} datasets, one changed", "gongkai_s": changed["seconds"], "ok": changed["exit"] == 0},
        {"stage": f"build {n} datasets, one changed", "gongkai_s": again["seconds"], "ok": again["exit"] == 0},
    ]


def _build_row(root: Path, n: int, full: dict) -> dict:
    """The cold build's row: time, CPU, memory, and the site it wrote."""
    budget = json.loads((root / BUDGET).read_text(encoding="utf-8")) if (root / BUDGET).exists() else {}
    index = [f for f in (root / "site/search").rglob("*") if f.is_file()]  # the site's own index, every file
    site_bytes, files = budget.get("bytes"), budget.get("files")
    return {
        "stage": f"build {n} datasets",
        "datasets": n,
        "gongkai_s": full["seconds"],
        "cpu_s": full["cpu"],
        "cpu_over_wall": round(full["cpu"] / full["seconds"], 2),
        "gongkai_mb": full["tree_peak_mb"],  # the build and its children at once
        "largest_process_mb": full["peak_mb"],
        "build_process_mb": full.get("build_peak_mb"),  # the pipeline (and the search index)
        "mkdocs_mb": full.get("mkdocs_peak_mb"),
        "worker_mb": full.get("worker_peak_mb"),
        "site_mb": round(site_bytes / 2**20, 1) if site_bytes else None,
        "site_bytes": site_bytes,
        "site_files": files,
        "bytes_per_dataset": round(site_bytes / n) if site_bytes else None,
        "per_dataset_s": round(full["seconds"] / n, 4),
        "search_index_mb": round(sum(f.stat().st_size for f in index) / 2**20, 2) if index else None,
        "ok": full["exit"] == 0,
        "error": None if full["exit"] == 0 else full["stderr"][-500:],
        "runs": {"gongkai": full["runs_s"], "reference": []},
    }


def growth(builds: list[dict]) -> dict:
    """Per dataset at each size, and the largest size's figure over the smallest's: 1.0 is linear,
    below 1 better than linear (fixed costs spread over more datasets)."""
    each = {
        b["datasets"]: {
            "wall_s": b["gongkai_s"] / b["datasets"],
            "cpu_s": b["cpu_s"] / b["datasets"],
            "peak_mb": b["gongkai_mb"] / b["datasets"],
            "bytes": b["bytes_per_dataset"] or 0,
            "files": (b["site_files"] or 0) / b["datasets"],
        }
        for b in builds
        if b["ok"]
    }
    if len(each) < 2:
        return {"stage": "growth per dataset", "ok": False, "note": "fewer than two sizes built"}
    low, high = min(each), max(each)
    ratio = {key: round(each[high][key] / each[low][key], 2) if each[low][key] else None for key in each[low]}
    shown = "; ".join(
        f"{n}: {e['wall_s']:.3f} s, {e['cpu_s']:.3f} s CPU, {e['peak_mb']:.2f} MB, {e['bytes'] / 1024:.0f} KB"
        for n, e in sorted(each.items())
    )
    return {
        "stage": f"growth per dataset, {low} -> {high}",
        "per_dataset": {str(n): {k: round(v, 4) for k, v in e.items()} for n, e in each.items()},
        "ratio": ratio,
        "linear_or_better": all(r is not None and r <= 1.05 for k, r in ratio.items() if k != "files"),
        "note": f"per dataset {shown}; {high} over {low}: " + ", ".join(f"{k} x{r}" for k, r in ratio.items()),
    }
