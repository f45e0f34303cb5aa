"""Placeholders left by `gongkai new` (values beginning with 待填写): each one is named until filled."""

from __future__ import annotations

from collections.abc import Iterator

from ..core.jsonlines import line_of, pointer
from ..core.problems import Problem
from ..read.load import DESCRIPTOR, Dataset

PLACEHOLDER = "待填写"


def placeholder_pointers(descriptor) -> list[str]:
    """JSON pointers of every string value that is still a placeholder, in document order."""
    found: list[str] = []

    def walk(value, parts: list) -> None:
        if isinstance(value, str) and value.startswith(PLACEHOLDER):
            found.append(pointer(parts))
        elif isinstance(value, dict):
            for key, item in value.items():
                walk(item, [*parts, key])
        elif isinstance(value, list):
            for i, item in enumerate(value):
                walk(item, [*parts, i])

    walk(descriptor, [])
    return found


def check_placeholders(ds: Dataset, lines: dict[str, int]) -> Iterator[Problem]:
    for ptr in placeholder_pointers(ds.descriptor):
        value = _at(ds.descriptor, ptr)
        yield Problem(
            "placeholder",
            f"fill this in: {value}",
            ds.file(DESCRIPTOR),
            line=line_of(lines, ptr),
            field=ptr,
            dataset=ds.name,
            params={"value": value},
        )
    for name in ("README.md", "CHANGELOG.md"):
        path = ds.root / name
        if not path.is_file():
            continue
        for n, line in enumerate(path.read_text(encoding="utf-8", errors="replace").splitlines(), 1):
            if PLACEHOLDER in line:
                yield Problem(
                    "placeholder",
                    f"fill this in: {line.strip()}",
                    ds.file(name),
                    line=n,
                    dataset=ds.name,
                    params={"value": line.strip()},
                )


def covered(problem_field: str | None, placeholders: list[str]) -> bool:
    """Whether a profile problem is about a value that is still a placeholder: the placeholder
    message says what to do, a pattern or enum message about the same value would only confuse."""
    return problem_field in placeholders


def _at(document, ptr: str):
    for part in ptr.lstrip("/").split("/"):
        part = part.replace("~1", "/").replace("~0", "~")
        document = document[int(part)] if isinstance(document, list) else document[part]
    return document
