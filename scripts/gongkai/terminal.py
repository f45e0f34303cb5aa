"""What the command line prints: a report's problems (text, JSON, GitHub annotations) and the
summary line under them, and the progress of a long build. Problems are worded by
core/problemtext.py; this module only puts them on the terminal."""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path

from .core.problems import Report
from .core.problemtext import line, report_lines


class Progress:
    """Datasets done and time left, on stderr, at most every two seconds, for long builds."""

    def __init__(self):
        self.start = {}
        self.shown = 0.0

    def __call__(self, stage: str, done: int, total: int) -> None:
        now = time.monotonic()
        began = self.start.setdefault(stage, now)
        if now - self.shown < 2 and done < total or now - began < 2:
            return
        self.shown = now
        left = (now - began) / done * (total - done)
        print(f"gongkai: {stage} {done}/{total} datasets, about {left:.0f} s left", file=sys.stderr)


def print_report(report: Report, fmt: str, root: object, limit: int | None = None, lang: str = "zh") -> None:
    if fmt == "json":
        print(json.dumps(report.to_dict(), ensure_ascii=False, indent=2))
        return
    errors = report.errors if limit is None else report.errors[:limit]
    shown = errors + report.warnings
    for said in report_lines(shown, lang, report.titles):
        print(said)
    if os.environ.get("GITHUB_ACTIONS") == "true":
        for problem in shown:
            where = f",line={problem.line}" if problem.line else ""
            kind = "error" if problem.is_error else "warning"
            print(f"::{kind} file={problem.file}{where}::{_annotation(problem, lang, report.titles)}")
    more = report.problem_count - len(errors)
    if more > 0:
        print(
            f"…… 另有 {more} 个问题（都已计数；要全部列出，调高 gongkai.yml 的 limits.max_listed_problems）"
            if lang == "zh"
            else f"… and {more} more (every problem is counted; raise "
            "limits.max_listed_problems in gongkai.yml to list them)"
        )
    print(f"gongkai: {_summary(report, lang)}", file=sys.stderr)


def _summary(report: Report, lang: str) -> str:
    names, warned = len(report.datasets), len(report.warnings)
    if lang == "zh":
        tail = f"，{warned} 个警告" if warned else ""
        if report.valid:
            return f"{names} 个数据集通过校验{tail}"
        return f"检查了 {names} 个数据集，发现 {report.problem_count} 个问题{tail}"
    tail = f", {warned} warning(s)" if warned else ""
    if report.valid:
        return f"{names} dataset(s) valid{tail}"
    return f"{report.problem_count} problem(s) in {names} dataset(s) checked{tail}"


def _annotation(problem, lang: str, titles: dict) -> str:
    text = line(problem, lang, titles).split(": ", 1)[1]  # GitHub shows the file and line itself
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def os_failure(exc: OSError, root: Path) -> str:
    reason = exc.strerror or str(exc)
    reason = reason[:1].lower() + reason[1:]  # "No space left on device" inside a sentence
    if not exc.filename:
        return reason
    path = Path(os.fsdecode(exc.filename))
    where = path.relative_to(root).as_posix() if path.is_absolute() and path.is_relative_to(root) else str(path)
    return f"{where}: {reason}"
