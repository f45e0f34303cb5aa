"""CHANGELOG.md: one `## <version> — <YYYY-MM-DD>` heading per version, newest first."""

from __future__ import annotations

import re
from collections.abc import Iterator

from ..core.problems import Problem
from ..read.load import Dataset

HEADING = re.compile(r"^## (\d+)\.(\d+)\.(\d+) — (\d{4}-\d{2}-\d{2})\s*$")


def check_changelog(ds: Dataset) -> Iterator[Problem]:
    path = ds.root / "CHANGELOG.md"
    if not path.is_file() or ds.descriptor is None:
        return
    file = ds.file("CHANGELOG.md")
    entries = []
    for n, line in enumerate(path.read_text(encoding="utf-8", errors="replace").splitlines(), 1):
        if not line.startswith("## "):
            continue
        m = HEADING.match(line)
        if not m:
            yield Problem(
                "changelog-heading",
                'a version heading must read "## 1.2.0 — 2026-01-31" (an em dash between version and date)',
                file,
                line=n,
                dataset=ds.name,
            )
            continue
        entries.append((n, tuple(int(x) for x in m.group(1, 2, 3)), m.group(4)))
    if not entries:
        yield Problem("changelog-empty", "CHANGELOG.md has no version heading", file, dataset=ds.name)
        return
    for (n, version, date), (_, older, older_date) in zip(entries, entries[1:]):
        if version <= older or date < older_date:
            yield Problem(
                "changelog-order",
                "versions must be listed newest first, with dates that do not go back",
                file,
                line=n,
                dataset=ds.name,
            )
    n, version, date = entries[0]
    declared = ds.descriptor.get("version")
    if ".".join(map(str, version)) != declared:
        yield Problem(
            "changelog-version",
            f'the newest entry is {".".join(map(str, version))} but datapackage.json has version "{declared}"',
            file,
            line=n,
            dataset=ds.name,
            params={"found": ".".join(map(str, version)), "declared": declared},
        )
    modified = ds.descriptor.get("modified")
    if date != modified:
        yield Problem(
            "changelog-date",
            f'the newest entry is dated {date} but datapackage.json has modified "{modified}"',
            file,
            line=n,
            dataset=ds.name,
            params={"found": date, "declared": modified},
        )
