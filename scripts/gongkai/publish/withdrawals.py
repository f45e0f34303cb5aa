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

from ..core import repofiles, safeyaml, sitepaths
from ..core.config import SLUG, Limits
from ..core.jsonlines import line_of
from ..core.problems import Problem
from ..core.sitepaths import resolve
from ..core.yamllines import value_lines
from ..render.templating import render

FILE = "withdrawn.yml"
CODE = "invalid-withdrawal"
KEYS = ("name", "title", "date", "reason")
MAX_NAME = 80  # the profile's maxLength for a dataset name


@dataclass(frozen=True)
class Withdrawal:
    name: str
    title: str
    date: str
    reason: str

    @property
    def prefix(self) -> str:
        return "/" + sitepaths.dataset_page(self.name)


def read_withdrawals(root: Path, present: set[str], *, limits: Limits) -> tuple[list[Withdrawal], list[Problem]]:
    """The withdrawals in withdrawn.yml, each checked; problems name the line and the value.
    present: dataset folders still in datasets/ (a withdrawn one must be gone)."""
    if not repofiles.exists(root, FILE):
        return [], []
    text = repofiles.read_text(root, FILE)
    try:
        data = safeyaml.load(text, max_bytes=limits.max_yaml_bytes, max_depth=limits.max_nesting) or []
    except safeyaml.YamlRefused as refused:
        return [], [Problem(CODE, refused.message, FILE, line=refused.line)]
    if not isinstance(data, list):
        return [], [Problem(CODE, "must be a list of entries with name, title, date and reason", FILE, line=1)]
    lines = value_lines(text)
    found, problems = [], []
    for i, item in enumerate(data):
        raw = {k: item.get(k) if isinstance(item, dict) else None for k in KEYS}
        if isinstance(raw["date"], dt.date):
            raw["date"] = raw["date"].isoformat()
        values = {k: v for k, v in raw.items() if isinstance(v, str) and v.strip()}
        missing = [k for k in KEYS if k not in values]
        where = line_of(lines, f"/{i}/name")
        if missing:
            problems.append(
                Problem(
                    CODE,
                    f"entry {i + 1}: {', '.join(missing)} missing",
                    FILE,
                    line=line_of(lines, f"/{i}"),
                    field=f"/{i}",
                )
            )
            continue
        name = values["name"]
        if not (SLUG.fullmatch(name) and len(name) <= MAX_NAME):
            # The name becomes the folder /datasets/<name>/: only a dataset folder's own name may reach it.
            message = (
                f"{name!r} is not a dataset name (lowercase letters, digits and "
                f"single hyphens, at most {MAX_NAME} characters, like its folder)"
            )
            problems.append(Problem(CODE, message, FILE, line=where, field=f"/{i}/name"))
        elif name in present:
            message = f"{name} is withdrawn but datasets/{name}/ is still there: remove the folder"
            problems.append(Problem(CODE, message, FILE, line=where, field=f"/{i}/name"))
        else:
            withdrawal = Withdrawal(**{k: values[k].strip() for k in KEYS})
            _, problem = resolve(
                withdrawal.prefix, code=CODE, file=FILE, line=where, field=f"/{i}/name", what="the withdrawn path"
            )
            if problem:
                problems.append(problem)
            else:
                found.append(withdrawal)
    return found, problems


def notice_page(w: Withdrawal, lang: str = "zh") -> str:
    """The page left at a withdrawn dataset's address (pure)."""
    return render("notice.md.j2", lang, w=w)
