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
from ..core.pathcheck import resolve
from ..core.problems import Problem
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
        zh = f"不能安全地读取 {FILE}（“{refused.message}”）"
        return [], [Problem(CODE, refused.message, FILE, line=refused.line, params={"zh": zh})]
    if not isinstance(data, list):
        message, zh = (
            "must be a list of entries with name, title, date and reason",
            "应是一列条目，每条有 name、title、date 和 reason",
        )
        return [], [Problem(CODE, message, FILE, line=1, params={"zh": zh})]
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
                    params={"zh": f"第 {i + 1} 条缺少 {'、'.join(missing)}"},
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
            zh = f"{name!r} 不是数据集名称（小写字母、数字和单个连字符，至多 {MAX_NAME} 个字符，与其文件夹名相同）"
            problems.append(Problem(CODE, message, FILE, line=where, field=f"/{i}/name", params={"zh": zh}))
        elif name in present:
            message = f"{name} is withdrawn but datasets/{name}/ is still there: remove the folder"
            zh = f"{name} 已撤回，但 datasets/{name}/ 还在：删除这个文件夹"
            problems.append(Problem(CODE, message, FILE, line=where, field=f"/{i}/name", params={"zh": zh}))
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
