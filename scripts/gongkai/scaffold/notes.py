"""What intake did or decided, said to the maintainer in Chinese (English with --lang en).

A note is data: the scaffold collects them while it reads and types a file, and the CLI prints
them, all of them, before anything is written.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Note:
    zh: str
    en: str
    record: str | None = None  # the line in README.md's 来源与处理, where it differs from zh (no request to the reader)

    def text(self, lang: str = "zh") -> str:
        return self.en if lang == "en" else self.zh


def rows_list(rows: list[int], limit: int = 5) -> tuple[str, str]:
    """Row numbers as words: 第 5、9 行 / rows 5, 9 (the first few, then 等 / …)."""
    shown = rows[:limit]
    more_zh, more_en = ("等", ", …") if len(rows) > limit else ("", "")
    return (
        f"第 {'、'.join(map(str, shown))}{more_zh} 行",
        f"row{'s' if len(rows) > 1 else ''} {', '.join(map(str, shown))}{more_en}",
    )
