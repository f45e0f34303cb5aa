"""Problems in words, rendered once at the edge: Chinese by default, English with `--lang en` or
an English locale.

A check states what it found as data: a code, a position, its English sentence (`message`, kept
for JSON readers and shown with --lang en) and the facts as `params` (the value, the limit, the
path, and `rule` where one code has several sentences). The Chinese sentence is worded from those
facts by the template for `code:rule` or `code` in problemtext_zh.DETAILS; a check that can only
say it in a whole sentence gives that as `params["zh"]`. The metadata profile's errors are worded
in both languages here (PROFILE). A problem whose template lacks a fact it needs shows the
registry's Chinese title and the check's own sentence, so nothing is lost. Every line is followed
by the registry's fix and example (problemcodes.py, problemcodes_en.py).
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Mapping

from .problemcodes import CODES
from .problemcodes_en import ENGLISH
from .problems import Problem
from .problemtext_zh import DETAILS, WHAT

LANGUAGES = ("zh", "en")

# A field type in words, and what a value of it looks like.
TYPES = {
    "integer": ("整数", "an integer", "1108000"),
    "number": ("数", "a number", "110.8"),
    "date": ("日期", "a date", "2019-05-16"),
    "boolean": ("真假值", "true or false", "true"),
    "string": ("文字", "text", "广州"),
    "datetime": ("日期时间", "a date and time", "2019-05-16T09:00:00"),
    "year": ("年份", "a year", "2019"),
    "object": ("对象", "an object", "{…}"),
    "array": ("列表", "a list", "[…]"),
}
# A constraint in words, and what it asks for ({limit}: the value it is set to).
CONSTRAINTS = {
    "required": ("必填", "这一项必须填写"),
    "minimum": ("最小值", "不能小于 {limit}"),
    "maximum": ("最大值", "不能大于 {limit}"),
    "exclusiveMinimum": ("下限", "必须大于 {limit}"),
    "exclusiveMaximum": ("上限", "必须小于 {limit}"),
    "pattern": ("格式", "应符合 {limit}"),
    "enum": ("可选值", "应是 {limit} 之一"),
    "minLength": ("最短长度", "至少 {limit} 个字符"),
    "maxLength": ("最长长度", "至多 {limit} 个字符"),
    "unique": ("唯一", "不能重复"),
}
# A descriptor property in words (Chinese, English) and a value that would do.
PROPERTIES = {
    "id": ("标识符", "identifier", '"id": "3f2b8c1e-5d4a-4b6f-9c2e-1a7d8e9f0b12"'),
    "name": ("名称", "name", '"name": "district-population"'),
    "title": ("中文标题", "Chinese title", '"title": "广州市各区常住人口"'),
    "description": (
        "简介",
        "description",
        '"description": "2019年末广州市11个区的常住人口（万人）和户籍人口（万人），每区一行，'
        '数字取自广州市统计局发布的《2019年广州市国民经济和社会发展统计公报》。"',
    ),
    "publisher": ("发布机构", "publisher", '"publisher": {"name": "广州市人民政府办公厅"}'),
    "topics": ("主题", "topics", '"topics": ["政务公开"]'),
    "keywords": ("关键词", "keywords", '"keywords": ["政府信息公开"]'),
    "licenses": (
        "许可",
        "licence",
        '"licenses": [{"name": "CC-BY-4.0", "title": "知识共享 署名 4.0 国际", '
        '"path": "https://creativecommons.org/licenses/by/4.0/"}]',
    ),
    "sources": (
        "来源",
        "sources",
        '"sources": [{"title": "来源文件的标题", "path": "https://…", "date": "2019-05-16"}]',
    ),
    "update_frequency": ("更新频率", "update frequency", '"update_frequency": "每年"'),
    "open_type": ("开放类型", "open type", '"open_type": "无条件开放"'),
    "created": ("首次发布时间", "first publication", '"created": "2026-11-27T00:00:00+08:00"'),
    "modified": ("最后更新日期", "last change", '"modified": "2026-12-02"'),
    "version": ("版本", "version", '"version": "1.0.0"'),
    "contributors": (
        "维护者",
        "maintainers",
        '"contributors": [{"title": "某局", "role": "maintainer", "email": "open@example.gov.cn"}]',
    ),
    "resources": ("资源", "resources", '"resources": [{"name": "districts", "path": "data/districts.csv", …}]'),
    "path": ("路径或网址", "path or URL", '"path": "https://…"'),
    "email": ("邮箱", "email address", '"email": "open@example.gov.cn"'),
    "date": ("日期", "date", '"date": "2019-05-16"'),
    "unit": ("单位", "unit", '"unit": "万人"'),
    "schema": ("表结构", "schema", '"schema": {"fields": […]}'),
    "fields": ("字段", "fields", '"fields": [{"name": "code", "title": "区划代码", "type": "string", …}]'),
    "type": ("类型", "type", '"type": "integer"'),
    "format": ("格式", "format", '"format": "csv"'),
    "encoding": ("编码", "encoding", '"encoding": "utf-8"'),
    "role": ("角色", "role", '"role": "maintainer"'),
}

# metadata-profile, by the JSON Schema rule that failed (English None: the check's own sentence)
PROFILE: dict[str, tuple[str, str | None]] = {
    "required": ("缺少必填项 {named}{eg}", "{named} is required{eg}"),
    "type": ("{named_}应是{type_zh}，现在是 {value}{eg}", "{named} must be {type_en}, not {value}{eg}"),
    "enum": (
        "{named_}的 {value} 不是可选值，可选：{allowed}（见 gongkai.yml）",
        "{named}: {value} is not one of the allowed values: {allowed} (see gongkai.yml)",
    ),
    "pattern": ("{named_}的 {value} 格式不对，应符合 {pattern}{eg}", "{named}: {value} does not match {pattern}{eg}"),
    "minLength": (
        "{named_}太短：至少 {limit} 个字符，现在 {length} 个{eg}",
        "{named} is too short: at least {limit} characters, now {length}{eg}",
    ),
    "maxLength": (
        "{named_}太长：至多 {limit} 个字符，现在 {length} 个",
        "{named} is too long: at most {limit} characters, now {length}",
    ),
    "description_length": (
        "{named_}有 {length} 个字符，须为 {shortest} 至 {longest} 个（搜索引擎不收录更短或更长的）："
        "写明数据集包含什么（范围、时间、单位、来源）{eg}",
        "{named} has {length} characters; search engines need {shortest} to {longest}: "
        "say what the dataset holds (scope, period, units, source){eg}",
    ),
    "minItems": ("{named_}至少要有 {limit} 项{eg}", "{named} needs at least {limit} item(s){eg}"),
    "contains": (
        "至少要有一位 role 为 maintainer、附 email 或 path 的维护者{eg}",
        'needs at least one contributor with role "maintainer" and an email or path{eg}',
    ),
    "unit": (
        "integer 和 number 字段要有 unit（单位），或用 unitField 指明哪一列写着单位{eg}",
        "a number or integer field needs a unit (or unitField naming the field that holds it){eg}",
    ),
    "additionalProperties": ("不认识的键：{keys}（是否拼错了？）", "keys the profile does not know: {keys} (a typo?)"),
    "maxItems": ("{named_}至多只能有 {limit} 项", None),
    "const": ("{named_}必须是 {expected}，现在是 {value}", None),
    "uniqueItems": ("{named_}中有重复的项：{value}", None),
    "format": ("{named_}的 {value} 格式不对", None),
    "other": ("{named_}的 {value} 不符合规范（规则 {expected}）", None),
    "primaryKey": ("primaryKey 写的 “{name}” 不是这个资源的字段", None),
    "unitField": ("unitField 写的 “{name}” 不是这个资源的字段", None),
    "crosstab_resource": ("交叉表的 resource “{name}” 不是本数据集的资源", None),
    "crosstab_field": ("交叉表的 {key} “{name}” 不是资源 “{resource}” 的字段", None),
}
# Warnings of one kind, one line per dataset: count and the first few.
GROUPS = {
    "url-not-locked": (
        "{count} 个新网址尚未写入 urls.lock：{items}",
        "{count} new paths are not in urls.lock yet: {items}",
    ),
}
SHOWN = 3  # items named in a grouped line


def language(choice: str | None = None, environ: Mapping[str, str] = os.environ) -> str:
    """The chosen language: --lang, else GONGKAI_LANG, else the locale (LC_ALL, LC_MESSAGES, LANG:
    the first set), else Chinese."""
    if choice:
        return choice
    if environ.get("GONGKAI_LANG") in LANGUAGES:
        return environ["GONGKAI_LANG"]
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = environ.get(name)
        if value:
            return "en" if value.lower().startswith("en") else "zh"
    return "zh"


def describe(problem: Problem, lang: str) -> str:
    """What is wrong, in words: the part of the line between the field and the code."""
    params = dict(problem.params)
    if problem.code == "metadata-profile" and params.get("rule") in PROFILE:
        zh, en = PROFILE[params["rule"]]
        template = zh if lang == "zh" else en
        filled = _fill(template, _profile_words(params, lang)) if template else None
        if filled:
            return filled
    if lang == "en":
        return problem.message
    if params.get("zh"):
        return str(params["zh"])
    template = DETAILS.get(f"{problem.code}:{params.get('rule')}") or DETAILS.get(problem.code)
    filled = _fill(template, _detail_words(params)) if template else None
    return filled or f"{CODES[problem.code].title}：{problem.message}"


def line(problem: Problem, lang: str, titles: dict[str, dict[str, str]] | None = None) -> str:
    """`file:line: field: words [code]`, with warnings marked; a column's field with its title
    (the header the maintainer wrote) beside it when `titles` (Report.titles) knows one."""
    where = problem.file if problem.line is None else f"{problem.file}:{problem.line}"
    title = (titles or {}).get(problem.file, {}).get(problem.field or "")
    shown = (
        problem.field if not title else f"{problem.field}（{title}）" if lang == "zh" else f"{problem.field} ({title})"
    )
    what = f"{shown}: " if problem.field else ""
    note = "" if problem.is_error else ("警告：" if lang == "zh" else "warning: ")
    return f"{where}: {what}{note}{describe(problem, lang)} [{problem.code}]"


def hint(code: str, lang: str, shown: str = "") -> str:
    """The registry's fix and example, indented under the problem; no example the line already shows."""
    entry = CODES[code]
    fix = entry.fix if lang == "zh" else ENGLISH[code][1]
    example = "" if not entry.example or entry.example in shown else entry.example
    if lang == "zh":
        return f"  怎么改：{fix}" + (f"，例如 {example}" if example else "")
    return f"  fix: {fix}" + (f", e.g. {example}" if example else "")


def report_lines(problems: Iterable[Problem], lang: str, titles: dict[str, dict[str, str]] | None = None) -> list[str]:
    """Errors one per line, each run of one code followed by its fix; warnings of one kind grouped
    into one line per dataset with a count."""
    problems = list(problems)
    errors = [p for p in problems if p.is_error]
    out: list[str] = []
    for i, problem in enumerate(errors):
        out.append(line(problem, lang, titles))
        if i + 1 == len(errors) or errors[i + 1].code != problem.code:
            out.append(hint(problem.code, lang, out[-1]))
    for group in _groups([p for p in problems if not p.is_error]):
        out.append(line(group[0], lang, titles) if len(group) == 1 else _group_line(group, lang))
        out.append(hint(group[0].code, lang, out[-1]))
    return out


def _groups(warnings: list[Problem]) -> list[list[Problem]]:
    groups: dict[tuple, list[Problem]] = {}
    for p in warnings:
        groups.setdefault((p.dataset or p.file, p.code), []).append(p)
    return list(groups.values())


def _group_line(group: list[Problem], lang: str) -> str:
    first = group[0]
    files = {p.file for p in group}
    where = first.file if len(files) == 1 else os.path.commonpath(sorted(files)) + "/"
    items = [_item(p, lang) for p in group[:SHOWN]]
    more = (" 等" if lang == "zh" else ", …") if len(group) > SHOWN else ""
    joined = ("、" if lang == "zh" else ", ").join(items) + more
    zh, en = GROUPS.get(first.code, ("{count} 处{title}：{items}", "{count} × {title}: {items}"))
    words = {"count": len(group), "items": joined, "title": CODES[first.code].title if lang == "zh" else None}
    if lang == "en":
        words["title"] = ENGLISH[first.code][0]
    note = "警告：" if lang == "zh" else "warning: "
    return f"{where}: {note}{(zh if lang == 'zh' else en).format(**words)} [{first.code}]"


def _item(problem: Problem, lang: str) -> str:
    params = dict(problem.params)
    if "path" in params:
        return params["path"]
    where = f"{problem.line} 行" if lang == "zh" and problem.line else f"line {problem.line}" if problem.line else ""
    text = describe(problem, lang)
    return f"{where} {text}".strip() if where else text


def _fill(template: str, words: dict) -> str | None:
    try:
        return template.format(**words)
    except (KeyError, IndexError):
        return None  # a check that gave fewer facts: its own sentence instead


def _detail_words(params: dict) -> dict:
    words = dict(params)
    ftype = str(params.get("type", ""))
    zh, en, shape = TYPES.get(ftype, (ftype, ftype, ""))
    words.update(type_zh=f"{zh}（{ftype}）" if ftype else zh, type_en=en, shape=shape)
    note = str(params.get("note", ""))
    found = re.match(r'constraint "(\w+)" is "(.*)"$', note)
    constraint = params.get("constraint") or (found.group(1) if found else "")
    name, asks = CONSTRAINTS.get(constraint, (constraint, "“{limit}”"))
    limit = found.group(2) if found else ""
    words.update(constraint=constraint, constraint_zh=name, asks=asks.format(limit=limit) if found else f"“{note}”")
    if "what" in params:
        words["what_zh"] = WHAT.get(str(params["what"]), str(params["what"]))
    if "target" in params:
        words["target_zh"] = f"资源 “{params['target']}” " if params["target"] else "本资源"
    return words


def _profile_words(params: dict, lang: str) -> dict:
    words = _detail_words(params)
    name = str(params.get("property", ""))
    word, word_en, example = PROPERTIES.get(name, (name, name, ""))
    example = params.get("example") or example
    if lang == "zh":
        words["named"] = f"{name}（{word}）" if word != name else name
        words["named_"] = words["named"] if word != name else f"{name} "  # no space after a closing bracket
        words["eg"] = f"，例如 {example}" if example else ""
    else:
        words["named"] = f"{name} ({word_en})" if word_en != name else name
        words["eg"] = f", e.g. {example}" if example else ""
    return words
