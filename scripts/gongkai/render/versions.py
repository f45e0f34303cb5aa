"""A dataset's published versions for its page: each with its date and entry from CHANGELOG.md,
what it changed from the version before, and its files at addresses that never change."""

from __future__ import annotations

import re
from typing import Any

from markupsafe import Markup

from .markup import rich_inline

VERSION_HEADING = re.compile(r"^## (\d+\.\d+\.\d+) — (\d{4}-\d{2}-\d{2})\s*$")


def versions_model(
    versions,
    meta: dict,
    changelog: str,
    changes: dict[str, str] | None = None,
    changes_en: dict[str, str] | None = None,
) -> list[dict[str, Any]]:
    """The published versions: each with its date, changelog entry, what it changed from the
    version before (diff.py; in Chinese, and in English for the English page) and its files, at
    URLs that never change."""
    notes = _changelog_entries(changelog)
    changes, changes_en = dict(changes or {}), dict(changes_en or {})
    if versions and list(notes) and versions[-1].version != list(notes)[-1]:
        changes.pop(versions[-1].version, None)  # older versions are not in this copy's history: no "first"
        changes_en.pop(versions[-1].version, None)
    resources = [r["name"] for r in meta["resources"]]
    rows = []
    for v in versions:
        date, note = notes.get(v.version, (v.date, ""))
        rows.append(
            {
                "version": v.version,
                "current": v.commit is None,
                "date": date,
                "note": note,
                "note_html": Markup(rich_inline(note)),  # the entry's own Markdown (`code`, links) rendered
                "change": changes.get(v.version, ""),
                "change_en": changes_en.get(v.version, "") if v.version in changes else "",
                "resources": resources,
            }
        )
    return rows


def _changelog_entries(text: str) -> dict[str, tuple[str, str]]:
    """version -> (date, the entry's text as one line) from CHANGELOG.md."""
    entries: dict[str, tuple[str, list[str]]] = {}
    current = None
    for line in text.splitlines():
        m = VERSION_HEADING.match(line)
        if m:
            current = m.group(1)
            entries[current] = (m.group(2), [])
        elif line.startswith("## "):
            current = None
        elif current and line.strip():
            entries[current][1].append(line.strip())
    return {v: (date, " ".join(lines)) for v, (date, lines) in entries.items()}
