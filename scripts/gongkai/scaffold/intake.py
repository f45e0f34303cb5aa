"""A maintainer's file (CSV in UTF-8 or GB18030, or XLSX) read as a header and rows of text.

Used by `gongkai new` and `gongkai update`. The encoding is never guessed silently: UTF-8
is taken as it is (a BOM is dropped, and said), GB18030 (the superset of GBK that Excel
writes on Chinese Windows) is converted and said, with a sample line to check by eye;
anything else is refused with the fix. XLSX cells become the text a person sees: whole
numbers without ".0", dates as YYYY-MM-DD, booleans as true/false.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from ..core.errors import UsageError


@dataclass
class Intake:
    header: list[str]
    rows: list[list[str]]
    notes: list[str] = field(default_factory=list)  # what was done to the file, for the maintainer

    def csv_text(self) -> str:
        """UTF-8 CSV with LF line ends, quoted only where needed."""
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(self.header)
        writer.writerows(self.rows)
        return out.getvalue()


def read_file(path: Path) -> Intake:
    if not path.is_file():
        raise UsageError(f"{path}: no such file")
    suffix = path.suffix.lower()
    if suffix == ".xlsx":
        intake = _read_xlsx(path)
    elif suffix in (".csv", ".txt"):
        intake = _read_csv(path)
    else:
        raise UsageError(f"{path}: give a .csv or .xlsx file (an .xls file: save it as .xlsx first)")
    if not intake.header or not any(h.strip() for h in intake.header):
        raise UsageError(f"{path}: the first row must be the column headings")
    if not intake.rows:
        raise UsageError(f"{path}: there are column headings but no rows")
    blank = [i + 1 for i, h in enumerate(intake.header) if not h.strip()]
    if blank:
        raise UsageError(f"{path}: column(s) {', '.join(map(str, blank))} have no heading; give every column a heading")
    dupes = sorted({h for h in intake.header if intake.header.count(h) > 1})
    if dupes:
        raise UsageError(f"{path}: the heading(s) {', '.join(dupes)} appear more than once")
    width = len(intake.header)
    for n, row in enumerate(intake.rows, 2):
        if len(row) != width:
            raise UsageError(f"{path}:{n}: this row has {len(row)} cells but there are {width} columns")
    return intake


def _read_csv(path: Path) -> Intake:
    raw = path.read_bytes()
    notes = []
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
        notes.append(f"{path.name}: removed the byte order mark (BOM) at the start")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        try:
            text = raw.decode("gb18030")
        except UnicodeDecodeError:
            line = raw.count(b"\n", 0, exc.start) + 1
            raise UsageError(
                f"{path}:{line}: the file is neither UTF-8 nor GB18030/GBK (byte 0x{raw[exc.start]:02X}); "
                "save it from Excel or WPS as 'CSV UTF-8', or convert it with iconv -f <encoding> -t UTF-8"
            ) from None
        sample = next((line for line in text.splitlines()[1:] if any(ord(c) > 127 for c in line)), text.splitlines()[0])
        notes.append(
            f"{path.name}: read as GB18030 (GBK), not UTF-8, and converted "
            f"to UTF-8; check that this line reads correctly: {sample[:80]}"
        )
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
        notes.append(f"{path.name}: line ends converted from CRLF to LF")
    records = list(csv.reader(io.StringIO(text, newline="")))
    while records and not any(records[-1]):
        records.pop()
    if not records:
        return Intake([], [], notes)
    dropped = sum(1 for r in records[1:] if not any(c.strip() for c in r))
    if dropped:
        notes.append(f"{path.name}: dropped {dropped} empty row(s)")
    return Intake(records[0], [r for r in records[1:] if any(c.strip() for c in r)], notes)


def _read_xlsx(path: Path) -> Intake:
    from openpyxl import load_workbook

    workbook = load_workbook(path, read_only=True, data_only=True)
    sheet = workbook.worksheets[0]
    notes = [
        f"{path.name}: read the first sheet, {sheet.title!r}"
        + (f" (the file has {len(workbook.worksheets)} sheets)" if len(workbook.worksheets) > 1 else "")
    ]
    records = [[_cell_text(v) for v in row] for row in sheet.iter_rows(values_only=True)]
    workbook.close()
    while records and not any(records[-1]):
        records.pop()
    if not records:
        return Intake([], [], notes)
    width = max(i + 1 for r in records for i, v in enumerate(r) if v) if any(any(r) for r in records) else 0
    records = [(r + [""] * width)[:width] for r in records]
    rows = [r for r in records[1:] if any(c.strip() for c in r)]
    if len(rows) < len(records) - 1:
        notes.append(f"{path.name}: dropped {len(records) - 1 - len(rows)} empty row(s)")
    return Intake(records[0], rows, notes)


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep="T")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        return format(Decimal(repr(value)).normalize(), "f")
    return str(value)
