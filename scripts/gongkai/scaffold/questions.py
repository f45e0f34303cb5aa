"""The questions an interactive `gongkai new` asks, in Chinese: what only a person knows.

`ask` is given the question and returns the answer (the CLI reads the terminal; tests give the
lines). An empty answer leaves the named placeholder, or keeps the default shown in brackets.
A data period or a date is read in the forms people write (2019/5/16, 2019年5月16日, 2018年)
and written as ISO 8601; an answer that cannot be read is asked again.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from ..core.config import Settings
from .cellforms import date_cell
from .metadata import Answers, Table, description_min

Ask = Callable[[str], str]
LIST_SEP = re.compile(r"[,，、;；\s]+")
TRIES = 3


def ask_questions(settings: Settings, table: Table, ask: Ask) -> Answers:
    a = Answers()
    a.title = ask("数据集的标题（如“广州市各区常住人口”）：").strip() or None
    least = description_min()
    a.description = _until(
        ask, f"简介：记录了什么、范围和口径（至少 {least} 个字）：", lambda t: t if len(t) >= least else None
    )
    names = [t.name for t in settings.topics]
    menu = "  ".join(f"{i}.{n}" for i, n in enumerate(names, 1))
    a.topics = _until(ask, f"主题（{menu}）；写编号，多个用逗号隔开：", lambda t: _topics(t, names))
    keywords = [k for k in LIST_SEP.split(ask("关键词（用逗号或顿号隔开）：")) if k]
    a.keywords = list(dict.fromkeys(keywords)) or None
    a.temporal = _until(
        ask,
        "数据的时间：某一天的情况写日期（如 2019-05-16、2019年5月16日），"
        "一年的统计写年份（如 2018），其他期间写“起至止”：",
        period,
    )
    a.source_title = ask("来源的标题（如报道、公报或文件的名称）：").strip() or None
    a.source_where = ask("来源的网址（没有网址就写来源说明）：").strip() or None
    a.source_date = _until(ask, "来源的日期（如 2019-05-16）：", lambda t: (date_cell(t) or (None,))[0])
    frequencies = [f.name for f in settings.update_frequencies]
    default = settings.new_dataset.get("update_frequency", "")
    a.update_frequency = _until(
        ask, f"更新频率（{'、'.join(frequencies)}）[{default}]：", lambda t: t if t in frequencies else None
    )
    a.resource_description = ask("这张表每一行是什么（如“每行一个区”）：").strip() or None
    for col, name in zip(table.columns, table.names, strict=True):
        unit = f"，单位“{col.unit}”" if col.unit else ""
        text = ask(f"字段“{col.title}”（{name}{unit}）的含义和口径：").strip()
        if text:
            a.field_descriptions[name] = text
        if col.type in ("integer", "number") and not col.unit:
            unit_answer = ask(f"字段“{col.title}”的单位（如 个、元、%）：").strip()
            if unit_answer:
                a.units[name] = unit_answer
    return a


def _until(ask: Ask, question: str, read: Callable[[str], object]):
    """The answer as `read` makes it; asked again (up to three times) when it cannot; None when empty."""
    for _ in range(TRIES):
        text = ask(question).strip()
        if not text:
            return None
        value = read(text)
        if value:
            return value
        question = f"没有看懂“{text}”，请再写一次。{question}"
    return None


def _topics(text: str, names: list[str]) -> list[str] | None:
    chosen = []
    for part in (p for p in LIST_SEP.split(text) if p):
        if part.isdigit() and 1 <= int(part) <= len(names):
            chosen.append(names[int(part) - 1])
        elif part in names:
            chosen.append(part)
        else:
            return None
    return list(dict.fromkeys(chosen)) or None


def period(text: str) -> str | None:
    """A data period as people write it, in ISO 8601: a day, a year (2018, 2018年), or start至end."""
    text = text.strip()
    year = re.fullmatch(r"([0-9]{4})年?", text)
    if year:
        return f"{year.group(1)}-01-01/{year.group(1)}-12-31"
    parts = re.split(r"\s*(?:至|到|—|~|～|/(?=[0-9]{4}-))\s*", text)
    if len(parts) > 2:
        return None
    days = [date_cell(p) for p in parts]
    if any(d is None for d in days):
        return None
    isos = [d[0] for d in days if d]
    if len(isos) == 2 and isos[0] > isos[1]:
        return None
    return "/".join(isos)
