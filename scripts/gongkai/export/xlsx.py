"""A small streaming XLSX writer: rows in, a valid workbook out, at the speed of zipfile.

openpyxl builds every cell as a Python object (about 4.5k rows/s here); this writes the
sheet XML directly as rows arrive. It writes only what gongkai needs: inline strings (never
formulas), numbers, booleans, dates with a date format, a bold header row and a frozen pane,
and fixed document dates so the same data give the same bytes. Below the writer: how a
table's cells go into it (typed where Excel holds the value exactly, else text) and when a
table cannot go into Excel at all.
"""

from __future__ import annotations

import datetime as dt
import decimal
import re
import zipfile
from collections.abc import Iterable
from pathlib import Path
from xml.sax.saxutils import escape

from ..read.fields import constraints_text, unit_of
from ..read.tables import XLSX_MAX_CELL, XLSX_MAX_ROWS, Chunk, Table

_EXCEL_EPOCH = dt.date(1899, 12, 30)
EXCEL_DIGITS = 15  # Excel keeps 15 significant digits; longer numbers are written as text
# Excel's number range (its specifications: 9.99999999999999E+307 at most, 2.2251E-308 the smallest
# magnitude other than 0): outside it a numeric cell shows as 0 or an error, so such numbers stay text
EXCEL_LARGEST = decimal.Decimal("9.99999999999999E+307")
EXCEL_SMALLEST = decimal.Decimal("2.2250738585072014E-308")
EXCEL_FIRST_DATE = dt.date(1900, 3, 1)  # Excel cannot show earlier dates (and counts 1900-02-29); they stay text
# _xHHHH_ as written, a carriage return, and what XML 1.0 cannot hold at all (C0 controls but
# tab and line feed, U+FFFE, U+FFFF): ECMA-376 writes them all as _xHHHH_, which Excel decodes.
_OOXML_ESCAPE = re.compile("_(x[0-9A-Fa-f]{4}_)|[\r\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")

# A cell: ("s", text) string, ("n", text) number as written, ("b", bool), ("d", date), or None.
Cell = tuple | None


def ooxml_escape(text: str) -> str:
    """Text as Excel must store it to read it back unchanged (ECMA-376 ST_Xstring).

    Excel decodes _xHHHH_ in cell text, so a literal "_x0041_" would show as "A"; XML turns a
    carriage return into a line feed and cannot hold U+FFFE at all (a title holding one made
    the whole workbook unreadable): these are written in the escaped form.
    """
    return _OOXML_ESCAPE.sub(lambda m: "_x005F_" + m.group(1) if m.group(1) else f"_x{ord(m.group(0)):04X}_", text)


def column_letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def _cell(ref: str, cell: Cell, header: bool) -> str:
    if cell is None:
        return ""
    kind, value = cell
    if kind == "s":
        style = ' s="2"' if header else ""
        return (
            f'<c r="{ref}" t="inlineStr"{style}><is><t xml:space="preserve">{escape(ooxml_escape(value))}</t></is></c>'
        )
    if kind == "n":
        return f'<c r="{ref}"><v>{value}</v></c>'
    if kind == "b":
        return f'<c r="{ref}" t="b"><v>{1 if value else 0}</v></c>'
    if kind == "d":
        return f'<c r="{ref}" s="1"><v>{(value - _EXCEL_EPOCH).days}</v></c>'
    raise ValueError(kind)


def _sheet(rows: Iterable[list[Cell]], freeze: bool) -> Iterable[bytes]:
    yield (
        b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    )
    if freeze:
        yield (
            b'<sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" '
            b'state="frozen"/></sheetView></sheetViews>'
        )
    yield b"<sheetData>"
    letters: list[str] = []
    for r, row in enumerate(rows, start=1):
        while len(letters) < len(row):
            letters.append(column_letter(len(letters)))
        cells = "".join(_cell(f"{letters[c]}{r}", cell, r == 1) for c, cell in enumerate(row))
        yield f'<row r="{r}">{cells}</row>'.encode()
    yield b"</sheetData></worksheet>"


_STYLES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    '<numFmts count="1"><numFmt numFmtId="164" formatCode="yyyy-mm-dd"/></numFmts>'
    '<fonts count="2"><font><sz val="11"/><name val="Calibri"/></font>'
    '<font><b/><sz val="11"/><name val="Calibri"/></font></fonts>'
    '<fills count="2"><fill><patternFill patternType="none"/></fill>'
    '<fill><patternFill patternType="gray125"/></fill></fills>'
    '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="3"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    '<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/></cellXfs>'
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
    "</styleSheet>"
)


def write_workbook(path_or_file, sheets: list[tuple[str, Iterable[list[Cell]]]], stamp: dt.datetime) -> None:
    """Write sheets (name, rows) to an XLSX; the first row of each is its bold header."""
    date_time = stamp.timetuple()[:6]
    iso = stamp.strftime("%Y-%m-%dT%H:%M:%SZ")
    names = [name for name, _ in sheets]
    sheet_types = "".join(
        (
            f'<Override PartName="/xl/worksheets/sheet{i}.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
        )
        for i in range(1, len(names) + 1)
    )
    parts = {
        "[Content_Types].xml": (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            '<Override PartName="/xl/styles.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
            '<Override PartName="/docProps/core.xml" '
            'ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>'
            '<Override PartName="/docProps/app.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.extended-properties+xml"/>'
            f"{sheet_types}</Types>"
        ),
        "_rels/.rels": (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" '
            'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
            'Target="xl/workbook.xml"/>'
            '<Relationship Id="rId2" '
            'Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" '
            'Target="docProps/core.xml"/>'
            '<Relationship Id="rId3" '
            'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/extended-properties" '
            'Target="docProps/app.xml"/>'
            "</Relationships>"
        ),
        "docProps/app.xml": (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"><Application>gongkai</Application></Properties>'
        ),
        "docProps/core.xml": (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
            'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" '
            'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><dc:creator>gongkai</dc:creator>'
            f'<dcterms:created xsi:type="dcterms:W3CDTF">{iso}</dcterms:created>'
            f'<dcterms:modified xsi:type="dcterms:W3CDTF">{iso}</dcterms:modified></cp:coreProperties>'
        ),
        "xl/workbook.xml": (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
            'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>'
            + "".join(f'<sheet name="{escape(n)}" sheetId="{i}" r:id="rId{i}"/>' for i, n in enumerate(names, 1))
            + "</sheets></workbook>"
        ),
        "xl/_rels/workbook.xml.rels": (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            + "".join(
                (
                    f'<Relationship Id="rId{i}" '
                    'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" '
                    f'Target="worksheets/sheet{i}.xml"/>'
                )
                for i in range(1, len(names) + 1)
            )
            + f'<Relationship Id="rId{len(names) + 1}" '
            'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" '
            'Target="styles.xml"/>'
            "</Relationships>"
        ),
        "xl/styles.xml": _STYLES,
    }
    with zipfile.ZipFile(path_or_file, "w", zipfile.ZIP_DEFLATED, compresslevel=6) as zf:
        for name, text in parts.items():
            info = zipfile.ZipInfo(name, date_time=date_time)
            info.compress_type = zipfile.ZIP_DEFLATED
            zf.writestr(info, text.encode("utf-8"))
        for i, (_, rows) in enumerate(sheets, 1):
            info = zipfile.ZipInfo(f"xl/worksheets/sheet{i}.xml", date_time=date_time)
            info.compress_type = zipfile.ZIP_DEFLATED
            with zf.open(info, "w") as out:
                buffer = []
                size = 0
                for chunk in _sheet(rows, freeze=i == 1):
                    buffer.append(chunk)
                    size += len(chunk)
                    if size > 1 << 20:
                        out.write(b"".join(buffer))
                        buffer, size = [], 0
                out.write(b"".join(buffer))


# --- a table as a workbook ---------------------------------------------------------------


def xlsx_obstacle(table: Table) -> str | None:
    """Why this table cannot go into Excel without losing data, or None."""
    if table.rows > XLSX_MAX_ROWS:
        return f"{table.rows} 行，超过 Excel 的 {XLSX_MAX_ROWS} 行上限，请下载 CSV。"
    if table.unsafe_cell:
        index, name, why = table.unsafe_cell
        if why == "xml":
            return (
                f"第 {index + 2} 行“{name}”字段含有 XML 不允许的字符（U+FFFE 或 U+FFFF），无法写入 Excel，请下载 CSV。"
            )
        return f"第 {index + 2} 行“{name}”字段超过 Excel 单元格 {XLSX_MAX_CELL} 字符上限，请下载 CSV。"
    return None


def write_xlsx(table: Table, path: Path, stamp: dt.datetime, chunks: Iterable[Chunk] | None = None) -> int:
    """Write the workbook; return how many numbers it keeps as text because Excel would round them.
    chunks: the table's (raw, typed) chunks when the caller reads them for other formats too."""
    types = [f.get("type", "string") for f in table.fields]
    as_text = 0

    def data_rows():
        nonlocal as_text
        yield [("s", f.get("title") or f["name"]) for f in table.fields]
        for raws, typeds in table.chunks() if chunks is None else chunks:  # a Chunk unpacks as (raw, typed)
            for raw, typed in zip(raws, typeds, strict=True):
                row = []
                for text, value, kind in zip(raw, typed, types, strict=True):
                    cell = excel_cell(text, value, kind)
                    as_text += kind in ("integer", "number") and cell is not None and cell[0] == "s"
                    row.append(cell)
                yield row

    def dictionary_rows():
        yield [("s", h) for h in ("字段名", "中文名", "类型", "单位", "说明", "约束")]
        for f in table.fields:
            values = [
                f["name"],
                f.get("title", ""),
                f.get("type", "string"),
                unit_of(f, table.fields),
                f.get("description", ""),
                constraints_text(f),
            ]
            yield [("s", str(v)) for v in values]

    write_workbook(path, [("数据", data_rows()), ("数据字典", dictionary_rows())], stamp)
    return as_text


def excel_cell(text: str, value, kind: str):
    """How one cell goes into Excel: typed where Excel holds the value exactly, else its text.

    Strings are always text cells, so "=1+1" stays text and is never evaluated; numbers
    Excel would round (more than 15 significant digits) or cannot show (excel_number) and
    dates it cannot show stay text; write_xlsx counts the numbers, and the page says how many.
    """
    if value is None:
        return None
    if (
        kind == "integer"
        and isinstance(value, int)
        and not isinstance(value, bool)
        and len(str(abs(value))) <= EXCEL_DIGITS
    ):
        return ("n", str(value))
    if kind == "number" and isinstance(value, decimal.Decimal) and excel_number(value):
        return ("n", str(value))
    if (
        kind == "date"
        and isinstance(value, dt.date)
        and not isinstance(value, dt.datetime)
        and value >= EXCEL_FIRST_DATE
    ):
        return ("d", value)
    if kind == "boolean" and isinstance(value, bool):
        return ("b", value)
    return ("s", text)


def excel_number(value: decimal.Decimal) -> bool:
    """Whether Excel holds and shows this number as written: finite, at most 15 significant
    digits, and within its range (a subnormal such as 1e-320 or 1e-400 would show as 0)."""
    if not value.is_finite() or len(value.as_tuple().digits) > EXCEL_DIGITS:
        return False
    return value.is_zero() or EXCEL_SMALLEST <= abs(value) <= EXCEL_LARGEST
