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
import zipfile
from dataclasses import dataclass, field

from .load import Dataset
from .output import sha256
from .tables import Table
from .xlsx import write_workbook

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
    """An array of records keyed by field name, typed by the schema, one record per line.

    Encoded a column at a time: the json module encodes a whole list in C, and a NUL byte,
    which JSON always escapes inside strings, separates the encoded values again.
    """
    if not table.typed:
        return b"[\n\n]\n"
    keys = [json.dumps(f["name"], ensure_ascii=False) + ": " for f in table.fields]
    columns = [_encode_column([row[i] for row in table.typed]) for i in range(len(table.fields))]
    lines = ["{" + ", ".join(map(str.__add__, keys, cells)) + "}" for cells in zip(*columns, strict=True)]
    return ("[\n" + ",\n".join(lines) + "\n]\n").encode("utf-8")


def _encode_column(values: list) -> list[str]:
    if all(v is None or (isinstance(v, str)) for v in values):
        encoded = json.dumps(values, ensure_ascii=False, separators=("\x00", ":"))[1:-1]
        return encoded.split("\x00") if values else []
    return [json_value(v) for v in values]


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
            if "\ufffe" in cell or "\uffff" in cell:
                return f"第 {i + 2} 行“{table.fields[j]['name']}”字段含有 XML 不允许的字符（U+FFFE 或 U+FFFF），无法写入 Excel，请下载 CSV。"
            if len(cell) > XLSX_MAX_CELL:
                return f"第 {i + 2} 行“{table.fields[j]['name']}”字段超过 Excel 单元格 {XLSX_MAX_CELL} 字符上限，请下载 CSV。"
    return None


def to_xlsx(table: Table, stamp: dt.datetime) -> tuple[bytes, int]:
    """The workbook, and how many numbers it keeps as text because Excel would round them."""
    types = [f.get("type", "string") for f in table.fields]
    as_text = 0

    def data_rows():
        nonlocal as_text
        yield [("s", f.get("title") or f["name"]) for f in table.fields]
        for raw, typed in zip(table.raw, table.typed):
            row = []
            for text, value, kind in zip(raw, typed, types):
                cell = excel_cell(text, value, kind)
                as_text += kind in ("integer", "number") and cell is not None and cell[0] == "s"
                row.append(cell)
            yield row

    def dictionary_rows():
        yield [("s", h) for h in ("字段名", "中文名", "类型", "单位", "说明", "约束")]
        for f in table.fields:
            values = [f["name"], f.get("title", ""), f.get("type", "string"), unit_of(f, table.fields), f.get("description", ""), constraints_text(f)]
            yield [("s", str(v)) for v in values]

    buf = io.BytesIO()
    write_workbook(buf, [("数据", data_rows()), ("数据字典", dictionary_rows())], stamp)
    return buf.getvalue(), as_text


def excel_cell(text: str, value, kind: str):
    """How one cell goes into Excel: typed where Excel holds the value exactly, else its text.

    Strings are always text cells, so "=1+1" stays text and is never evaluated; numbers
    Excel would round (more than 15 significant digits) and dates it cannot show stay text.
    """
    if value is None:
        return None
    if kind == "integer" and isinstance(value, int) and not isinstance(value, bool) and len(str(abs(value))) <= EXCEL_DIGITS:
        return ("n", str(value))
    if kind == "number" and isinstance(value, decimal.Decimal) and value.is_finite() and len(value.as_tuple().digits) <= EXCEL_DIGITS:
        return ("n", str(value))
    if kind == "date" and isinstance(value, dt.date) and not isinstance(value, dt.datetime) and value >= EXCEL_FIRST_DATE:
        return ("d", value)
    if kind == "boolean" and isinstance(value, bool):
        return ("b", value)
    return ("s", text)


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


def _timestamp(modified: str) -> dt.datetime:
    return dt.datetime.strptime(modified, "%Y-%m-%d")


def _json_bytes(data) -> bytes:
    return (json.dumps(data, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
