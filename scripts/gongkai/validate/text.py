"""Text hygiene: leftover pinyin annotations from script conversion, control characters,
invisible characters.

The seed article was machine-converted to Traditional Chinese and carries annotations such
as 機構(gòu); none of that may reach a published file. Invisible characters (zero-width
spaces and joiners, soft hyphens, tag characters, C1 controls) make values that look alike
but differ: refused where a value identifies something (keys, unique fields, names), counted
in a warning elsewhere, where they may be meant (a joiner inside an emoji, a soft hyphen).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator

from ..core.characters import CONTROL
from ..core.jsonlines import line_of, pointer
from ..core.problems import Problem
from ..read.csvtext import CsvText
from ..read.load import DESCRIPTOR, Dataset, fields_of, schema_of

TONED = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ"
PINYIN = re.compile(rf"[(（][a-zü]*[{TONED}][a-zü{TONED}]*[)）]")
# Invisible, beside CONTROL's: every Unicode format character (category Cf: Python's table, a
# test keeps this list equal to it) but the bidi controls CONTROL refuses everywhere; the whole
# tag block; C1 controls; variation selectors, the grapheme joiner and the Hangul fillers,
# which show as nothing. validate/fast.py takes the same ranges for its first pass.
INVISIBLE_RANGES = (
    (0x0080, 0x009F),
    (0x00AD, 0x00AD),
    (0x034F, 0x034F),
    (0x0600, 0x0605),
    (0x061C, 0x061C),
    (0x06DD, 0x06DD),
    (0x070F, 0x070F),
    (0x0890, 0x0891),
    (0x08E2, 0x08E2),
    (0x115F, 0x1160),
    (0x180E, 0x180E),
    (0x200B, 0x200F),
    (0x2060, 0x2064),
    (0x206A, 0x206F),
    (0x3164, 0x3164),
    (0xFE00, 0xFE0F),
    (0xFEFF, 0xFEFF),
    (0xFFA0, 0xFFA0),
    (0xFFF9, 0xFFFB),
    (0x110BD, 0x110BD),
    (0x110CD, 0x110CD),
    (0x13430, 0x1343F),
    (0x1BCA0, 0x1BCA3),
    (0x1D173, 0x1D17A),
    (0xE0000, 0xE007F),
    (0xE0100, 0xE01EF),
)
INVISIBLE = re.compile("[" + "".join(f"{chr(a)}-{chr(b)}" for a, b in INVISIBLE_RANGES) + "]")


def text_problems(value: str, *, key: bool = False) -> list[tuple[str, str, str, dict]]:
    """(code, message, severity, facts) for each hygiene problem in one string; key: the string
    identifies something (a key or unique cell, a field or resource name)."""
    found = []
    m = PINYIN.search(value)
    if m:
        found.append(
            (
                "pinyin-artefact",
                f'"{m.group()}" looks like a pinyin annotation left by script conversion; delete it',
                "error",
                {"value": m.group()},
            )
        )
    m = CONTROL.search(value)
    if m:
        odd = m.group() in "\ufffe\uffff"
        what = "the noncharacter" if odd else "the invisible control character"
        facts = {"rule": "noncharacter" if odd else "control", "code": f"U+{ord(m.group()):04X}"}
        found.append(("control-character", f"contains {what} U+{ord(m.group()):04X}; delete it", "error", facts))
    m = INVISIBLE.search(value)
    if m and key:
        message = (
            f"contains the invisible character {describe(m.group())}: values that look the same would differ; delete it"
        )
        found.append(("invisible-character", message, "error", {"rule": "key", **char_facts(m.group())}))
    elif m:
        message = f"contains the invisible character {describe(m.group())}"
        found.append(("invisible-character", message, "warning", {"rule": "one", **char_facts(m.group())}))
    return found


def describe(char: str) -> str:
    return f"U+{ord(char):04X} ({unicodedata.name(char, 'unnamed')})"


def char_facts(char: str) -> dict:
    """A character's code point and Unicode name, for the Chinese sentence (core/problemtext_zh.py)."""
    return {"code": f"U+{ord(char):04X}", "name": unicodedata.name(char, "unnamed")}


def invisible_warnings(ds: Dataset, file: str, hits: Iterable[tuple[int | None, str | None, str]]) -> Iterator[Problem]:
    """One warning per field (or per file) for (line, field, value) hits outside keys: how many
    cells, the first line and the first character, so a file full of them reads as one line."""
    summary: dict[str | None, list] = {}  # field -> [count, first line, first character]
    for line, field, value in hits:
        m = INVISIBLE.search(value)
        if m is None:  # nothing invisible in it: not a hit
            continue
        entry = summary.setdefault(field, [0, line, m.group()])
        entry[0] += 1
    for field, (count, line, first) in summary.items():
        char = describe(first)
        message = (
            f"{count} value(s) contain invisible characters such as {char} (first on this line); they are kept as "
            "they are, but a reader cannot see them"
        )
        facts = {"rule": "count", "count": count, **char_facts(first)}
        yield Problem(
            "invisible-character",
            message,
            file,
            line=line,
            field=field,
            dataset=ds.name,
            severity="warning",
            params=facts,
        )


def hygiene(ds: Dataset, file: str, cells: Iterable[tuple[int | None, str | None, str, bool]]) -> Iterator[Problem]:
    """The problems of (line, field, value, key) cells, invisible characters outside keys summed up per field."""
    quiet = []
    for line, field, value, key in cells:
        for code, message, severity, facts in text_problems(value, key=key):
            if code == "invisible-character" and severity == "warning":
                quiet.append((line, field, value))
            else:
                yield Problem(
                    code, message, file, line=line, field=field, dataset=ds.name, severity=severity, params=facts
                )
    yield from invisible_warnings(ds, file, quiet)


def key_fields(resource: dict) -> set[str]:
    """Fields whose values identify a row: the primary key's and the unique ones."""
    schema = schema_of(resource)
    key = schema.get("primaryKey")
    names = (
        {key} if isinstance(key, str) else {k for k in key if isinstance(k, str)} if isinstance(key, list) else set()
    )
    return names | {
        f["name"]
        for f in fields_of(resource)
        if isinstance(f.get("name"), str)
        and isinstance(f.get("constraints"), dict)
        and f["constraints"].get("unique") is True
    }


def check_table_text(ds: Dataset, relpath: str, table: CsvText) -> Iterator[Problem]:
    file = ds.file(relpath)
    for label in table.header:
        for code, message, severity, facts in text_problems(label, key=True):  # a field's name
            yield Problem(
                code,
                f"header: {message}",
                file,
                line=1,
                field=label,
                dataset=ds.name,
                severity=severity,
                params=facts,
            )
    resource = next((r for r in ds.resources if r.get("path") == relpath), {})
    keys = key_fields(resource)

    def cells():
        for i, row in enumerate(table.rows):
            for col, value in enumerate(row):
                field = table.header[col] if col < len(table.header) else f"column {col + 1}"
                yield table.lines[i + 1], field, value, field in keys

    yield from hygiene(ds, file, cells())


# Descriptor strings that name or identify something: an invisible character there is refused.
NAME_POINTERS = re.compile(
    r"^/name$|^/id$|^/resources/\d+/name$|^/resources/\d+/schema/fields/\d+/name$|^/resources/\d+/schema/primaryKey(/\d+)?$"
)


def check_descriptor_text(ds: Dataset, lines: dict[str, int]) -> Iterator[Problem]:
    if ds.descriptor is None:
        return
    for path, value in _strings(ds.descriptor, ()):
        ptr = pointer(path)
        for code, message, severity, facts in text_problems(value, key=bool(NAME_POINTERS.match(ptr))):
            yield Problem(
                code,
                message,
                ds.file(DESCRIPTOR),
                line=line_of(lines, ptr),
                field=ptr,
                dataset=ds.name,
                severity=severity,
                params=facts,
            )


def check_markdown_text(ds: Dataset, relpath: str) -> Iterator[Problem]:
    path = ds.root / relpath
    if not path.is_file() or path.is_symlink():
        return
    lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
    yield from hygiene(ds, ds.file(relpath), ((n, None, line, False) for n, line in enumerate(lines, 1)))


def _strings(node, path):
    if isinstance(node, str):
        yield path, node
    elif isinstance(node, dict):
        for k, v in node.items():
            yield from _strings(v, (*path, k))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield from _strings(v, (*path, i))
