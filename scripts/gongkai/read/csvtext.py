"""Strict reading of a UTF-8 CSV text with the pinned dialect, keeping physical line numbers.

This is the second parser beside frictionless: it never sniffs, never guesses an encoding,
and knows on which physical line each record starts (a quoted cell may span lines).
"""

from __future__ import annotations

import csv
import io
import sys
from dataclasses import dataclass

csv.field_size_limit(sys.maxsize)


@dataclass
class CsvText:
    header: list[str]
    rows: list[list[str]]  # data rows, raw strings as written
    lines: list[int]  # lines[i] = physical line where record i starts (record 0 = header)

    def line_of_row(self, row_number: int) -> int | None:
        """Physical line of a frictionless row number (header = 1)."""
        idx = row_number - 1
        return self.lines[idx] if 0 <= idx < len(self.lines) else None


class CsvSyntaxError(ValueError):
    def __init__(self, line: int, message: str):
        super().__init__(message)
        self.line = line


def parse(text: str) -> CsvText:
    """Parse CSV text; raise CsvSyntaxError with the line where the bad record starts."""
    # the pinned dialect, never sniffed; strict: a stray quote is an error, not a guess
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=",", quotechar='"', doublequote=True, strict=True)
    records: list[list[str]] = []
    lines: list[int] = []
    end = 0
    while True:
        start = end + 1
        try:
            record = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            raise CsvSyntaxError(start, str(exc)) from None
        end = reader.line_num
        records.append(record)
        lines.append(start)
    header = records[0] if records else []
    return CsvText(header=header, rows=records[1:], lines=lines)
