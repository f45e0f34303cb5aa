"""Data quality per dataset: what open-data evaluations check, each score with its reasons.

The criteria follow the data layer of the Fudan 中国地方政府数据开放报告 (开放数林: open
licence, machine-readable formats, described data, completeness, timeliness, provenance)
and Tim Berners-Lee's five-star scheme. Scores are 0-100; a criterion that does not apply
(timeliness of a dataset that is never updated) has none and does not count. Timeliness is
judged from the data period (`temporal`) and the declared frequency at `as_of`, the date of the
commit being built, so the same commit scores the same.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from ..core.config import Settings
from ..read.period import period_or_none
from .catalog import Summary
from .period import period_text

# Licences that meet the Open Definition (opendefinition.org/licenses), by SPDX identifier.
OPEN_LICENCES = {
    "CC-BY-4.0",
    "CC-BY-SA-4.0",
    "CC0-1.0",
    "ODC-By-1.0",
    "ODbL-1.0",
    "PDDL-1.0",
    "CC-BY-3.0",
    "CC-BY-SA-3.0",
    "OGL-UK-3.0",
}
FORMATS = {"csv": "CSV", "json": "JSON", "xlsx": "XLSX"}


@dataclass(frozen=True)
class Criterion:
    key: str
    title: str
    score: int | None  # None: does not apply
    why: str  # the reason for the score, in words a reader understands


def assess(s: Summary, settings: Settings, as_of: str) -> list[Criterion]:
    return [_licence(s), _formats(s), _described(s), _sources(s), _completeness(s), _timeliness(s, settings, as_of)]


def overall(criteria: list[Criterion]) -> int:
    scored = [c.score for c in criteria if c.score is not None]
    return round(sum(scored) / len(scored)) if scored else 0


def _licence(s: Summary) -> Criterion:
    names = [lic.get("name", "") for lic in s.meta["licenses"]]
    open_ = [n for n in names if n in OPEN_LICENCES]
    if open_:
        return Criterion(
            "licence",
            "开放许可",
            100,
            f"{'、'.join(open_)}：符合开放定义（Open Definition）的许可，可自由使用、再分发，注明来源即可。",
        )
    return Criterion("licence", "开放许可", 0, f"许可 {'、'.join(names)} 不在开放许可之列，使用可能受限。")


def _formats(s: Summary) -> Criterion:
    kinds = {d.kind for d in s.downloads}
    have = [label for kind, label in FORMATS.items() if kind in kinds]
    missing = [label for kind, label in FORMATS.items() if kind not in kinds]
    score = round(100 * len(have) / len(FORMATS))
    why = f"提供 {'、'.join(have)}，均为开放、机器可读的格式，附表结构（datapackage.json）。"
    if missing:
        why += f"缺少 {'、'.join(missing)}（见下载一节的说明）。"
    return Criterion("formats", "机器可读", score, why)


def _described(s: Summary) -> Criterion:
    """Each field titled, explained, with a unit when it is a quantity and a constraint that
    says what a valid value is; each resource with a primary key."""
    earned = possible = 0
    gaps: list[str] = []
    unconstrained = []
    for res in s.meta["resources"]:
        schema = res.get("schema", {})
        for f in schema.get("fields", []):
            checks = [bool(f.get("title")), bool(f.get("description")), bool(f.get("constraints"))]
            if f.get("type") in ("integer", "number"):
                checks.append(bool(f.get("unit") or f.get("unitField")))
            earned += sum(checks)
            possible += len(checks)
            if not f.get("constraints"):
                unconstrained.append(f"{res['name']}.{f['name']}")
        possible += 2
        if schema.get("primaryKey"):
            earned += 2
        else:
            gaps.append(f"资源 {res['name']} 没有主键")
    if unconstrained:
        shown = "、".join(unconstrained[:5]) + ("等" if len(unconstrained) > 5 else "")
        gaps.append(f"{len(unconstrained)} 个字段没有约束（{shown}），读者无法从表结构得知什么值有效")
    score = round(100 * earned / possible) if possible else 0
    why = (
        "每个字段都有中文名和说明，数量有单位，约束说明有效取值，每个资源有主键。"
        if not gaps
        else "；".join(gaps) + "。"
    )
    return Criterion("described", "表结构描述", score, why)


def _sources(s: Summary) -> Criterion:
    sources = [x for x in s.meta.get("sources", []) if isinstance(x, dict)]
    linked = [x for x in sources if str(x.get("path", "")).startswith(("http://", "https://"))]
    if sources and len(linked) == len(sources):
        return Criterion("sources", "来源", 100, "每个来源都有标题、日期和网址，可以直接核对。")
    if sources:
        return Criterion(
            "sources",
            "来源",
            70,
            f"{len(sources) - len(linked)} 个来源只有文字说明、没有网址，读者要自己查找原文核对。",
        )
    return Criterion("sources", "来源", 0, "没有注明来源。")


def _completeness(s: Summary) -> Criterion:
    if not s.cells:
        return Criterion("completeness", "完整性", None, "没有数据单元格。")
    share = s.empty / s.cells
    score = round(100 * (1 - share))
    if not s.empty:
        return Criterion("completeness", "完整性", 100, f"全部 {s.cells} 个单元格都有值。")
    return Criterion(
        "completeness",
        "完整性",
        score,
        f"{s.cells} 个单元格中有 {s.empty} 个为空（{share:.1%}）；空值可能表示来源未给出该项。",
    )


def _timeliness(s: Summary, settings: Settings, as_of: str) -> Criterion:
    """Whether newer data are due: the data period's last day plus the declared frequency's days
    (gongkai.yml), against the commit's date. The period, not `modified`: re-publishing 2018
    figures in 2026 does not make them current."""
    frequency = s.meta.get("update_frequency")
    days = next((f.days for f in settings.update_frequencies if f.name == frequency), None)
    if days is None:
        return Criterion("timeliness", "及时性", None, f"更新频率为“{frequency}”，不按期评价。")
    period = period_or_none(s.temporal)
    if period is None:  # validation requires temporal; a summary cached before it had none
        end, basis = dt.date.fromisoformat(s.modified), f"没有注明数据的时间，按最后更新日期 {s.modified} 计"
    else:
        end = period.end
        basis = f"数据时点为 {end}" if period.instant else f"统计期间为{period_text(period)}（至 {end}）"
    due = end + dt.timedelta(days=days)
    today = dt.date.fromisoformat(as_of)
    said = f"{basis}，按“{frequency}”更新，下一期数据应在 {due} 前发布"
    if today <= due:
        return Criterion("timeliness", "及时性", 100, f"{said}；截至 {as_of} 未逾期。")
    late = (today - due).days
    return Criterion("timeliness", "及时性", 0, f"{said}；截至 {as_of} 已逾期 {late} 天{_roughly(late)}。")


def _roughly(days: int) -> str:
    """How long in words a reader weighs at a glance, beside the exact count of days."""
    if days >= 365:
        return f"（约 {days / 365.25:.1f} 年）".replace(".0 年", " 年")
    if days >= 60:
        return f"（约 {round(days / 30.44)} 个月）"
    return ""
