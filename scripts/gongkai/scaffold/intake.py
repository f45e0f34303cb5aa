"""A maintainer's file (CSV in UTF-8 or GB18030, or XLSX) read as a header and rows of text.

Used by `gongkai new` and `gongkai update`. The encoding is never guessed silently: UTF-8
is taken as it is (a BOM is dropped, and said), GB18030 (the superset of GBK that Excel
writes on Chinese Windows) is converted and said, with a sample line to check by eye;
anything else is refused with the fix. XLSX cells become the text a person sees: whole
numbers without ".0", dates as YYYY-MM-DD, booleans as true/false. A merged cell gives its
value to every cell of its range; a heading of two rows (a merged cell over the columns it
heads) joins its levels as 上级-下级 (人口-常住), a unit over them kept at the end. Each row
keeps its number in the file, so that a note or a problem names the row the maintainer sees.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from ..core.errors import UsageError
from .columntypes import split_heading
from .notes import Note

MAX_HEADER_ROWS = 3
JOIN = "-"  # between the levels of a heading of two or three rows


@dataclass
class Intake:
    header: list[str]
    rows: list[list[str]]
    notes: list[Note] = field(default_factory=list)  # what was done to the file, for the maintainer
    numbers: list[int] = field(default_factory=list)  # each row's number in the file (the header is 1)
    from_xlsx: bool = False

    def csv_text(self) -> str:
        """UTF-8 CSV with LF line ends, quoted only where needed."""
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(self.header)
        writer.writerows(self.rows)
        return out.getvalue()


def read_file(path: Path) -> Intake:
    if not path.is_file():
        raise UsageError(f"{path}：没有这个文件")
    suffix = path.suffix.lower()
    if suffix == ".xlsx":
        intake = _read_xlsx(path)
    elif suffix in (".csv", ".txt"):
        intake = _read_csv(path)
    else:
        raise UsageError(f"{path}：请给 .csv 或 .xlsx 文件（.xls 文件请先在 Excel 或 WPS 中另存为 .xlsx）")
    if not intake.header or not any(h.strip() for h in intake.header):
        raise UsageError(f"{path}：第一行应是表头（各列的名称）")
    if not intake.rows:
        raise UsageError(f"{path}：有表头但没有数据行")
    intake.header = [h.strip() for h in intake.header]
    blank = [i + 1 for i, h in enumerate(intake.header) if not h]
    if blank:
        raise UsageError(f"{path}：第 {'、'.join(map(str, blank))} 列没有表头；请给每一列写上名称")
    dupes = sorted({h for h in intake.header if intake.header.count(h) > 1})
    if dupes:
        raise UsageError(f"{path}：表头 {'、'.join(dupes)} 出现不止一次；请改成不同的名称")
    width = len(intake.header)
    for n, row in zip(intake.numbers, intake.rows, strict=True):
        if len(row) != width:
            raise UsageError(f"{path}:{n}：这一行有 {len(row)} 个单元格，表头有 {width} 列")
    return intake


def _read_csv(path: Path) -> Intake:
    raw = path.read_bytes()
    notes = []
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
        notes.append(Note(f"{path.name}：去掉了文件开头的 BOM", f"{path.name}: removed the byte order mark (BOM)"))
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        try:
            text = raw.decode("gb18030")
        except UnicodeDecodeError:
            line = raw.count(b"\n", 0, exc.start) + 1
            raise UsageError(
                f"{path}:{line}：文件既不是 UTF-8 也不是 GB18030/GBK（字节 0x{raw[exc.start]:02X}）；"
                "请在 Excel 或 WPS 中另存为“CSV UTF-8”或 .xlsx"
            ) from None
        lines = text.splitlines()
        sample = next((line for line in lines[1:] if any(ord(c) > 127 for c in line)), lines[0])
        notes.append(
            Note(
                f"{path.name}：按 GB18030（GBK）读入并转换为 UTF-8；请核对这一行的汉字是否正确：{sample[:80]}",
                f"{path.name}: read as GB18030 (GBK), not UTF-8, and converted to UTF-8; "
                f"check that this line reads correctly: {sample[:80]}",
                record=f"{path.name}：原文件为 GB18030（GBK）编码，已转换为 UTF-8",
            )
        )
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
        notes.append(Note(f"{path.name}：行尾由 CRLF 改为 LF", f"{path.name}: line ends converted from CRLF to LF"))
    reader = csv.reader(io.StringIO(text, newline=""))
    records, numbers, line = [], [], 0
    for record in reader:
        records.append(record)
        numbers.append(line + 1)
        line = reader.line_num
    return _table(path, records, numbers, notes)


def _table(path: Path, records: list[list[str]], numbers: list[int], notes: list[Note], header_rows: int = 1):
    while records and not any(c.strip() for c in records[-1]):
        records.pop()
    if not records:
        return Intake([], [], notes)
    header = records[0]
    for level in records[1:header_rows]:
        header = [_join(a, b) for a, b in zip(header, level, strict=True)]
    body = list(zip(records[header_rows:], numbers[header_rows:], strict=True))
    kept = [(r, n) for r, n in body if any(c.strip() for c in r)]
    if len(kept) < len(body):
        dropped = len(body) - len(kept)
        notes.append(Note(f"{path.name}：去掉空行 {dropped} 行", f"{path.name}: dropped {dropped} empty row(s)"))
    return Intake(header, [r for r, _ in kept], notes, [n for _, n in kept])


def _join(upper: str, lower: str) -> str:
    """人口（万人） over 常住 → 人口-常住（万人）: the unit stays at the end, where it is read from."""
    upper, lower = upper.strip(), lower.strip()
    if not lower or lower == upper:
        return upper
    if not upper:
        return lower
    title, unit = split_heading(upper)
    joined = f"{title}{JOIN}{lower}"
    return f"{joined}（{unit}）" if unit and split_heading(lower)[1] is None else joined


def _read_xlsx(path: Path) -> Intake:
    from openpyxl import load_workbook

    workbook = load_workbook(path, data_only=True)  # not read-only: merged ranges are only known so
    sheet = workbook.worksheets[0]
    extra = f"（文件有 {len(workbook.worksheets)} 个工作表）" if len(workbook.worksheets) > 1 else ""
    notes = [
        Note(
            f"{path.name}：读取第一个工作表“{sheet.title}”{extra}",
            f"{path.name}: read the first sheet, {sheet.title!r}",
        )
    ]
    records = [[_cell_text(v) for v in row] for row in sheet.iter_rows(values_only=True)]
    header_rows = 1
    for merged in sheet.merged_cells.ranges:
        value = records[merged.min_row - 1][merged.min_col - 1]
        for r in range(merged.min_row, merged.max_row + 1):
            for c in range(merged.min_col, merged.max_col + 1):
                records[r - 1][c - 1] = value
        if merged.min_row == 1:  # a heading over several columns has sub-headings in the next row
            below = merged.max_row + (1 if merged.max_col > merged.min_col else 0)
            header_rows = max(header_rows, min(below, MAX_HEADER_ROWS))
        else:
            notes.append(
                Note(
                    f"{path.name}：合并单元格 {merged.coord} 的值“{value}”填入区域内每个单元格",
                    f"{path.name}: the merged cells {merged.coord} each given its value {value!r}",
                )
            )
    workbook.close()
    if header_rows > 1:
        notes.append(
            Note(
                f"{path.name}：表头有 {header_rows} 行（合并单元格），各级名称用“{JOIN}”连接，如“上级{JOIN}下级”",
                f"{path.name}: the heading has {header_rows} rows (merged cells); levels joined with {JOIN!r}",
            )
        )
    width = max((i + 1 for r in records for i, v in enumerate(r) if v), default=0)
    records = [(r + [""] * width)[:width] for r in records]
    intake = _table(path, records, list(range(1, len(records) + 1)), notes, header_rows)
    intake.from_xlsx = True
    return intake


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
