"""The dataset folder contract: datapackage.json, data/<resource>.csv, README.md, CHANGELOG.md."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

from ..core.config import Settings
from ..core.jsonlines import line_of, value_lines
from ..core.problems import Problem
from ..read.load import DESCRIPTOR, Dataset

TOP_LEVEL = {DESCRIPTOR, "README.md", "CHANGELOG.md", "data"}
README_SECTIONS = ("数据", "来源与处理", "许可")


def check_folder(ds: Dataset, settings: Settings) -> Iterator[Problem]:
    """Only expected files, no links, sizes within limits, descriptor present and parseable."""
    yield from _links(ds)
    for entry in sorted(os.listdir(ds.root)):
        if entry not in TOP_LEVEL:
            yield Problem(
                "unexpected-file",
                f"not part of a dataset folder (allowed: {', '.join(sorted(TOP_LEVEL))})",
                ds.file(entry),
                dataset=ds.name,
                params={"rule": "folder", "allowed": "、".join(sorted(TOP_LEVEL))},
            )
    expected = {r.get("path") for r in ds.resources if isinstance(r.get("path"), str)}
    data = ds.root / "data"
    if data.is_dir() and not data.is_symlink():
        for entry in sorted(os.listdir(data)):
            if f"data/{entry}" not in expected:
                yield Problem(
                    "unexpected-file",
                    "no resource in datapackage.json has this path",
                    ds.file(f"data/{entry}"),
                    dataset=ds.name,
                    params={"rule": "data"},
                )
    for name in ("README.md", "CHANGELOG.md"):
        if not (ds.root / name).is_file():
            yield Problem(
                "missing-file", f"every dataset needs a {name}", ds.file(name), dataset=ds.name, params={"name": name}
            )

    descriptor = ds.root / DESCRIPTOR
    if not descriptor.is_file():
        yield Problem(
            "missing-file",
            "every dataset needs a datapackage.json",
            ds.file(DESCRIPTOR),
            dataset=ds.name,
            params={"name": DESCRIPTOR},
        )
        return
    limit = settings.limits.max_descriptor_bytes
    if descriptor.stat().st_size > limit:
        yield Problem(
            "file-too-large",
            f"{descriptor.stat().st_size} bytes; the limit (limits.max_descriptor_bytes) is {limit}",
            ds.file(DESCRIPTOR),
            dataset=ds.name,
            params={"size": descriptor.stat().st_size, "limit": limit, "setting": "limits.max_descriptor_bytes"},
        )
    for code, message, line, ptr, facts in ds.json_hazards:
        yield Problem(code, message, ds.file(DESCRIPTOR), line=line, field=ptr, dataset=ds.name, params=facts)
    if ds.json_error:
        yield Problem(
            ds.json_error_code,
            ds.json_error,
            ds.file(DESCRIPTOR),
            line=ds.json_error_line,
            field=ds.json_error_field,
            dataset=ds.name,
            params=ds.json_error_params,
        )
        return
    if ds.descriptor is None:  # a symbolic link, never read: _links reported it
        return
    declared = ds.descriptor.get("name")
    if declared != ds.name:
        message = f'name is "{declared}" but the folder is "{ds.name}"; they must be equal'
        at = line_of(value_lines(ds.loaded_text), "/name")
        yield Problem(
            "name-mismatch",
            message,
            ds.file(DESCRIPTOR),
            line=at,
            field="/name",
            dataset=ds.name,
            params={"value": declared, "folder": ds.name},
        )


def check_readme(ds: Dataset) -> Iterator[Problem]:
    path = ds.root / "README.md"
    if not path.is_file():
        return
    text = path.read_text(encoding="utf-8", errors="replace")
    headings = {line[3:].strip() for line in text.splitlines() if line.startswith("## ")}
    for section in README_SECTIONS:
        if section not in headings:
            yield Problem(
                "readme-section-missing",
                f'README.md needs a section "## {section}"',
                ds.file("README.md"),
                dataset=ds.name,
                params={"section": section},
            )


def _links(ds: Dataset) -> Iterator[Problem]:
    # A symlink or hard link can point a reader at any file on the build machine.
    for dirpath, dirnames, filenames in os.walk(ds.root, followlinks=False):
        for entry in dirnames + filenames:
            path = Path(dirpath, entry)
            rel = ds.file(path.relative_to(ds.root).as_posix())
            if path.is_symlink():
                yield Problem("symlink", "symbolic links are not allowed in datasets", rel, dataset=ds.name)
            elif path.is_file() and path.stat().st_nlink > 1:
                yield Problem("hard-link", "hard links are not allowed in datasets", rel, dataset=ds.name)
