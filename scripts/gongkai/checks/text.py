"""Text hygiene: leftover pinyin annotations from script conversion, control characters.

The seed article was machine-converted to Traditional Chinese and carries annotations such
as 機構(gòu); none of that may reach a published file.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from ..csvtext import CsvText
from ..jsonlines import line_of, pointer
from ..load import DESCRIPTOR, Dataset
from ..problems import Problem

TONED = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ"
PINYIN = re.compile(rf"[(（][a-zü]*[{TONED}][a-zü{TONED}]*[)）]")
# C0 controls except tab, LF, CR; DEL; bidi embeddings, overrides and isolates.
CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u202a-\u202e\u2066-\u2069]")


def text_problems(value: str) -> list[tuple[str, str]]:
    """(code, message) for each hygiene problem in one string."""
    found = []
    m = PINYIN.search(value)
    if m:
        found.append(("pinyin-artefact", f'"{m.group()}" looks like a pinyin annotation left by script conversion; delete it'))
    m = CONTROL.search(value)
    if m:
        found.append(("control-character", f"contains the invisible control character U+{ord(m.group()):04X}; delete it"))
    return found


def check_table_text(ds: Dataset, relpath: str, table: CsvText) -> Iterator[Problem]:
    file = ds.file(relpath)
    for label in table.header:
        for code, message in text_problems(label):
            yield Problem(code, f"header: {message}", file, line=1, field=label, dataset=ds.name)
    for i, row in enumerate(table.rows):
        for col, value in enumerate(row):
            for code, message in text_problems(value):
                field = table.header[col] if col < len(table.header) else f"column {col + 1}"
                yield Problem(code, message, file, line=table.lines[i + 1], field=field, dataset=ds.name)


def check_descriptor_text(ds: Dataset, lines: dict[str, int]) -> Iterator[Problem]:
    if ds.descriptor is None:
        return
    for path, value in _strings(ds.descriptor, ()):
        ptr = pointer(path)
        for code, message in text_problems(value):
            yield Problem(code, message, ds.file(DESCRIPTOR), line=line_of(lines, ptr), field=ptr, dataset=ds.name)


def check_markdown_text(ds: Dataset, relpath: str) -> Iterator[Problem]:
    path = ds.root / relpath
    if not path.is_file() or path.is_symlink():
        return
    for n, line in enumerate(path.read_text(encoding="utf-8", errors="replace").splitlines(), 1):
        for code, message in text_problems(line):
            yield Problem(code, message, ds.file(relpath), line=n, dataset=ds.name)


def _strings(node, path):
    if isinstance(node, str):
        yield path, node
    elif isinstance(node, dict):
        for k, v in node.items():
            yield from _strings(v, (*path, k))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield from _strings(v, (*path, i))
