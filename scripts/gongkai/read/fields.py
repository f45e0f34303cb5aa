"""Field helpers: a field's unit and its constraints in words, one wording for the pages and the
XLSX data dictionary.

The public never sees a regular expression: a pattern is put in words when it is one the
words can say exactly (a run of digits or letters, the date forms the datasets use), and
otherwise the field's `example` (Table Schema) shows the form.
"""

from __future__ import annotations

import re

# Patterns whose meaning has a plain wording; the datasets use these for dates and periods.
_DAY = "[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?"
KNOWN_PATTERNS = {
    f"^{_DAY}$": (
        "年、年月或日期，如 2018、2018-05、2018-05-16",
        "a year, month or day, e.g. 2018, 2018-05, 2018-05-16",
    ),
    f"^(\\.\\.|{_DAY})(/({_DAY}))?$": (
        "年、年月、日期或时间段，如 2018、2018-05-16、2018-01/2018-12（“..”表示不限）",
        "a year, month, day or period, e.g. 2018, 2018-05-16, 2018-01/2018-12 (“..” is open-ended)",
    ),
    "^[a-z0-9]+(-[a-z0-9]+)*$": (
        "小写字母和数字，可用连字符连接，如 open-data-2018",
        "lower-case letters and digits, joined by hyphens, e.g. open-data-2018",
    ),
}
# One character class repeated: ^[0-9]{6}$ is "6 位数字".
_RUN = re.compile(
    r"^\^(\[0-9\]|\\d|\[a-z\]|\[A-Z\]|\[A-Za-z\]|\[a-zA-Z\]|\[0-9A-Z\]|\[A-Z0-9\])\{(\d+)(?:,(\d+))?\}\$$"
)
_CLASSES = {
    "[0-9]": ("数字", "digits"),
    "\\d": ("数字", "digits"),
    "[a-z]": ("小写字母", "lower-case letters"),
    "[A-Z]": ("大写字母", "capital letters"),
    "[A-Za-z]": ("字母", "letters"),
    "[a-zA-Z]": ("字母", "letters"),
    "[0-9A-Z]": ("数字或大写字母", "digits or capital letters"),
    "[A-Z0-9]": ("数字或大写字母", "digits or capital letters"),
}
_WORDS = {
    "zh": {
        "required": "必填",
        "unique": "各行不重复",
        "minimum": "不小于 {}",
        "maximum": "不大于 {}",
        "exclusiveMinimum": "大于 {}",
        "exclusiveMaximum": "小于 {}",
        "enum": "只能是：{}",
        "minLength": "至少 {} 个字",
        "maxLength": "至多 {} 个字",
        "example": "有固定格式，如 {}",
        "unsaid": "有固定格式（见 datapackage.json）",
        "sep": "；",
        "list": "、",
        "exactly": "{n} 位{what}",
        "between": "{n}—{m} 位{what}",
    },
    "en": {
        "required": "required",
        "unique": "unique in every row",
        "minimum": "at least {}",
        "maximum": "at most {}",
        "exclusiveMinimum": "more than {}",
        "exclusiveMaximum": "less than {}",
        "enum": "one of: {}",
        "minLength": "at least {} characters",
        "maxLength": "at most {} characters",
        "example": "a fixed form, e.g. {}",
        "unsaid": "a fixed form (see datapackage.json)",
        "sep": "; ",
        "list": ", ",
        "exactly": "{n} {what}",
        "between": "{n} to {m} {what}",
    },
}


def unit_of(field: dict, fields: list[dict]) -> str:
    """The unit of a field, or where to find it when each row states its own."""
    if "unit" in field:
        return field["unit"]
    if "unitField" in field:
        other = next((f for f in fields if f.get("name") == field["unitField"]), {})
        return f"见“{other.get('title') or field['unitField']}”列"
    return ""


def constraints_text(field: dict, lang: str = "zh") -> str:
    """What a value of the field must be, in words a reader understands (no regular expressions)."""
    words = _WORDS["en" if lang == "en" else "zh"]
    parts = []
    for key, value in (field.get("constraints") or {}).items():
        if key == "pattern":
            parts.append(pattern_text(str(value), field.get("example"), lang))
        elif value is True and key in words:
            parts.append(words[key])
        elif value is False:
            continue
        elif key == "enum" and isinstance(value, list):
            parts.append(words["enum"].format(words["list"].join(map(str, value))))
        elif key in words:
            parts.append(words[key].format(value))
    return words["sep"].join(parts)


def pattern_text(pattern: str, example: object = None, lang: str = "zh") -> str:
    """A pattern in words: exactly, or by the field's example, never the expression itself."""
    zh = lang != "en"
    words = _WORDS["zh" if zh else "en"]
    if pattern in KNOWN_PATTERNS:
        return KNOWN_PATTERNS[pattern][0 if zh else 1]
    run = _RUN.match(pattern)
    if run:
        what = _CLASSES[run.group(1)][0 if zh else 1]
        n, m = run.group(2), run.group(3)
        return (words["between"] if m else words["exactly"]).format(n=n, m=m, what=what)
    if example not in (None, ""):
        return words["example"].format(example)
    return words["unsaid"]
