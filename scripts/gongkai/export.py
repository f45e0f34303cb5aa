"""Download files for each dataset: the CSV byte for byte, XLSX, JSON, datapackage.json, zip.

Every function here returns bytes; nothing is written until the whole site's files are
ready, so a failure leaves nothing half-published. Same commit, same bytes.
"""

from __future__ import annotations

import copy
import datetime as dt
import decimal
import io
import json
import re
import zipfile
from dataclasses import dataclass, field

from openpyxl import Workbook
from openpyxl.styles import Font

from .load import Dataset
from .output import sha256
from .tables import Table

XLSX_MAX_ROWS = 1_048_575  # one row is the header
XLSX_MAX_CELL = 32_767
EXCEL_DIGITS = 15  # Excel keeps 15 significant digits; longer numbers are written as text
EXCEL_FIRST_DATE = dt.date(1900, 3, 1)  # Excel cannot show earlier dates (and counts 1900-02-29); they stay text


@dataclass(frozen=True)
class Download:
    path: str  # site path, e.g. datasets/<name>/<resource>.csv
    kind: str  # csv, xlsx, json, datapackage, zip
    bytes: int
    sha256: str
    resource: str | None = None


@dataclass
class Exported:
    files: dict[str, bytes]  # site path -> bytes
    downloads: list[Download]
    notices: dict[str, str]  # "<resource>.xlsx" -> why it was not produced
    text_numbers: dict[str, int] = field(default_factory=dict)  # resource -> numbers kept as text in the XLSX


def export_dataset(ds: Dataset, tables: list[Table], site_url: str) -> Exported:
    base = f"datasets/{ds.name}"
    out = Exported(files={}, downloads=[], notices={})

    def add(name: str, kind: str, data: bytes, resource: str | None = None) -> None:
        out.files[f"{base}/{name}"] = data
        out.downloads.append(Download(f"{base}/{name}", kind, len(data), sha256(data), resource))

    stamp = _timestamp(ds.descriptor["modified"])
    sources: dict[str, bytes] = {}
    for table in tables:
        raw = (ds.root / table.path).read_bytes()
        sources[table.path] = raw
        add(f"{table.name}.csv", "csv", raw, table.name)
        reason = xlsx_obstacle(table)
        if reason:
            out.notices[f"{table.name}.xlsx"] = reason
        else:
            data, as_text = to_xlsx(table, stamp)
            add(f"{table.name}.xlsx", "xlsx", data, table.name)
            if as_text:
                out.text_numbers[table.name] = as_text
        add(f"{table.name}.json", "json", to_json(table), table.name)

    published = published_descriptor(ds, tables, sources, site_url, local_paths=False)
    add("datapackage.json", "datapackage", _json_bytes(published))
    add(f"{ds.name}.zip", "zip", to_zip(ds, tables, sources, site_url, stamp))
    return out


def published_descriptor(ds: Dataset, tables: list[Table], sources: dict[str, bytes], site_url: str, *, local_paths: bool) -> dict:
    """The descriptor as published: relative paths that resolve against its own URL, plus sizes and hashes."""
    desc = copy.deepcopy(ds.descriptor)
    desc["homepage"] = f"{site_url}datasets/{ds.name}/"
    by_name = {t.name: t for t in tables}
    for res in desc["resources"]:
        table = by_name[res["name"]]
        data = sources[table.path]
        if not local_paths:
            res["path"] = f"{res['name']}.csv"
        res["bytes"] = len(data)
        res["hash"] = f"sha256:{sha256(data)}"
        res["rows"] = len(table.raw)
    return desc


# --- JSON ---------------------------------------------------------------------------------


def to_json(table: Table) -> bytes:
    """An array of records keyed by field name, typed by the schema, one record per line."""
    names = [f["name"] for f in table.fields]
    lines = []
    for row in table.typed:
        pairs = ", ".join(f"{json.dumps(n, ensure_ascii=False)}: {json_value(v)}" for n, v in zip(names, row))
        lines.append("{" + pairs + "}")
    return ("[\n" + ",\n".join(lines) + "\n]\n").encode("utf-8")


def json_value(value) -> str:
    """JSON text for a typed cell. Decimals keep every digit as written (never through float)."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, decimal.Decimal):
        return str(value) if value.is_finite() else json.dumps(str(value))
    if isinstance(value, float):
        return repr(value) if value == value and value not in (float("inf"), float("-inf")) else json.dumps(str(value))
    if isinstance(value, (dt.date, dt.datetime, dt.time)):
        return json.dumps(value.isoformat())
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False)
    return json.dumps(str(value), ensure_ascii=False)


# --- XLSX ---------------------------------------------------------------------------------


def xlsx_obstacle(table: Table) -> str | None:
    """Why this table cannot go into Excel without losing data, or None."""
    if len(table.raw) > XLSX_MAX_ROWS:
        return f"{len(table.raw)} 行，超过 Excel 的 {XLSX_MAX_ROWS} 行上限，请下载 CSV。"
    for i, row in enumerate(table.raw):
        for j, cell in enumerate(row):
            if len(cell) > XLSX_MAX_CELL:
                return f"第 {i + 2} 行“{table.fields[j]['name']}”字段超过 Excel 单元格 {XLSX_MAX_CELL} 字符上限，请下载 CSV。"
    return None


def to_xlsx(table: Table, stamp: dt.datetime) -> tuple[bytes, int]:
    """The workbook, and how many numbers it keeps as text because Excel would round them."""
    wb = Workbook()
    ws = wb.active
    ws.title = "数据"
    bold = Font(bold=True)
    ws.append([ooxml_escape(f.get("title") or f["name"]) for f in table.fields])
    for cell in ws[1]:
        cell.font = bold
        cell.data_type = "s"
    types = [f.get("type", "string") for f in table.fields]
    as_text = 0
    for r, (raw, typed) in enumerate(zip(table.raw, table.typed), start=2):
        for c, (text, value, kind) in enumerate(zip(raw, typed, types), start=1):
            written = _write_cell(ws.cell(row=r, column=c), text, value, kind)
            as_text += kind in ("integer", "number") and written == "text"
    ws.freeze_panes = "A2"

    dictionary = wb.create_sheet("数据字典")
    dictionary.append(["字段名", "中文名", "类型", "单位", "说明", "约束"])
    for cell in dictionary[1]:
        cell.font = bold
        cell.data_type = "s"
    for f in table.fields:
        row = [f["name"], f.get("title", ""), f.get("type", "string"), unit_of(f, table.fields), f.get("description", ""), constraints_text(f)]
        row = [ooxml_escape(str(v)) for v in row]
        dictionary.append(row)
        for cell in dictionary[dictionary.max_row]:
            cell.data_type = "s"

    wb.properties.creator = "gongkai"
    wb.properties.created = stamp
    wb.properties.modified = stamp
    buf = io.BytesIO()
    wb.save(buf)
    return _fixed_zip(buf.getvalue(), stamp), as_text


def _write_cell(cell, text: str, value, kind: str) -> str:
    """Write one cell; return how: "empty", "typed" or "text".

    Strings are always typed as strings, so "=1+1" stays text and is never evaluated;
    numbers Excel would round (more than 15 significant digits) are kept as their text.
    """
    if value is None:
        return "empty"
    if kind == "integer" and isinstance(value, int) and not isinstance(value, bool) and len(str(abs(value))) <= EXCEL_DIGITS:
        cell.value = value
    elif kind == "number" and isinstance(value, decimal.Decimal) and value.is_finite() and len(value.as_tuple().digits) <= EXCEL_DIGITS:
        cell.value = value
    elif kind == "date" and isinstance(value, dt.date) and value >= EXCEL_FIRST_DATE:
        cell.value = value
        cell.number_format = "yyyy-mm-dd"
    elif kind == "boolean" and isinstance(value, bool):
        cell.value = value
    else:
        cell.value = ooxml_escape(text)
        cell.data_type = "s"
        return "text"
    return "typed"


_OOXML_ESCAPE = re.compile(r"_(x[0-9A-Fa-f]{4}_)|\r")


def ooxml_escape(text: str) -> str:
    """Text as Excel must store it to read it back unchanged (ECMA-376 ST_Xstring).

    Excel decodes _xHHHH_ in cell text, so a literal "_x0041_" would show as "A", and XML
    turns a carriage return into a line feed; both are written in the escaped form.
    """
    return _OOXML_ESCAPE.sub(lambda m: "_x000D_" if m.group(0) == "\r" else "_x005F_" + m.group(1), text)


def unit_of(field: dict, fields: list[dict]) -> str:
    """The unit of a field, or where to find it when each row states its own."""
    if "unit" in field:
        return field["unit"]
    if "unitField" in field:
        other = next((f for f in fields if f.get("name") == field["unitField"]), {})
        return f"见“{other.get('title') or field['unitField']}”列"
    return ""


def constraints_text(field: dict) -> str:
    c = field.get("constraints") or {}
    words = {
        "required": "必填",
        "unique": "唯一",
        "minimum": "最小值",
        "maximum": "最大值",
        "pattern": "格式",
        "enum": "取值",
        "minLength": "最短",
        "maxLength": "最长",
    }
    parts = []
    for key, value in c.items():
        label = words.get(key, key)
        if value is True:
            parts.append(label)
        elif isinstance(value, list):
            parts.append(f"{label}：{'、'.join(map(str, value))}")
        else:
            parts.append(f"{label}：{value}")
    return "；".join(parts)


# --- zip ----------------------------------------------------------------------------------


def to_zip(ds: Dataset, tables: list[Table], sources: dict[str, bytes], site_url: str, stamp: dt.datetime) -> bytes:
    """The whole package as in the repository, its descriptor enriched with sizes and hashes."""
    members = {"datapackage.json": _json_bytes(published_descriptor(ds, tables, sources, site_url, local_paths=True))}
    for name in ("README.md", "CHANGELOG.md"):
        members[name] = (ds.root / name).read_bytes()
    members.update(sources)
    return _zip({f"{ds.name}/{k}": v for k, v in members.items()}, stamp)


def _zip(members: dict[str, bytes], stamp: dt.datetime) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name in sorted(members):
            info = zipfile.ZipInfo(name, date_time=stamp.timetuple()[:6])
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            zf.writestr(info, members[name])
    return buf.getvalue()


def _fixed_zip(data: bytes, stamp: dt.datetime) -> bytes:
    # openpyxl stamps zip entries and dcterms:modified with the current time; fix both.
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        members = {info.filename: zf.read(info.filename) for info in zf.infolist()}
    iso = stamp.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    core = "docProps/core.xml"
    if core in members:
        members[core] = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)", rb"\g<1>" + iso + rb"\g<2>", members[core])
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as out:
        for name, content in members.items():  # keep [Content_Types].xml first
            info = zipfile.ZipInfo(name, date_time=stamp.timetuple()[:6])
            info.compress_type = zipfile.ZIP_DEFLATED
            out.writestr(info, content)
    return buf.getvalue()


def _timestamp(modified: str) -> dt.datetime:
    return dt.datetime.strptime(modified, "%Y-%m-%d")


def _json_bytes(data) -> bytes:
    return (json.dumps(data, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
