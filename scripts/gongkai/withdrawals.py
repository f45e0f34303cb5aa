"""Withdrawn datasets (a legal order, personal data published by mistake): a notice, no files.

`withdrawn.yml` at the repository root lists each withdrawn dataset with its name, title,
date and reason. Its folder must be gone from datasets/; its page becomes a notice saying
what was withdrawn, when and why; the URL contract (urls.py) accepts that its other paths
are gone, and `gongkai lock` marks them withdrawn in urls.lock.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import yaml

from .markup import esc, esc_md
from .problems import Problem

FILE = "withdrawn.yml"
KEYS = ("name", "title", "date", "reason")


@dataclass(frozen=True)
class Withdrawal:
    name: str
    title: str
    date: str
    reason: str

    @property
    def prefix(self) -> str:
        return f"/datasets/{self.name}/"


def read_withdrawals(root: Path, present: set[str]) -> tuple[list[Withdrawal], list[Problem]]:
    path = root / FILE
    if not path.is_file():
        return [], []
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or []
    except yaml.YAMLError as exc:
        return [], [Problem("invalid-withdrawal", f"not valid YAML: {exc}", FILE)]
    if not isinstance(data, list):
        return [], [Problem("invalid-withdrawal", "must be a list of entries with name, title, date and reason", FILE)]
    found, problems = [], []
    for i, item in enumerate(data):
        values = {k: item.get(k) if isinstance(item, dict) else None for k in KEYS}
        if isinstance(values["date"], dt.date):
            values["date"] = values["date"].isoformat()
        missing = [k for k in KEYS if not (isinstance(values[k], str) and values[k].strip())]
        if missing:
            problems.append(Problem("invalid-withdrawal", f"entry {i + 1}: {', '.join(missing)} missing", FILE, field=f"/{i}"))
        elif values["name"] in present:
            message = f"{values['name']} is withdrawn but datasets/{values['name']}/ is still there: remove the folder"
            problems.append(Problem("invalid-withdrawal", message, FILE, field=f"/{i}/name"))
        else:
            found.append(Withdrawal(**{k: values[k].strip() for k in KEYS}))
    return found, problems


def notice_page(w: Withdrawal) -> str:
    """The page left at a withdrawn dataset's address (pure)."""
    return (
        "---\nsearch:\n  exclude: true\n---\n\n"
        f"# 已撤回：{esc_md(w.title)}\n\n"
        '<div class="admonition warning">\n<p class="admonition-title">此数据集已撤回</p>\n'
        f"<p>数据集“{esc(w.title)}”（<code>{esc(w.name)}</code>）已于 {esc(w.date)} 撤回，其全部文件（包括各个版本）不再提供。</p>\n"
        f"<p>原因：{esc(w.reason)}</p>\n</div>\n"
    )
