"""Download files for each dataset: the CSV byte for byte, XLSX, JSON, datapackage.json, zip.

Every file is written into a folder of its own (the dataset's cache folder), streamed a
chunk of rows at a time, so a table of any size exports in flat memory. Nothing reaches
build/docs or site/ until every dataset is done, so a failure leaves nothing half-published.
Same commit, same bytes.
"""

from __future__ import annotations

import copy
import datetime as dt
import decimal
import json
import shutil
import zipfile
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

from ..core import sitepaths
from ..core.config import Limits
from ..core.output import file_digest
from ..read.load import DESCRIPTOR, Dataset
from ..read.tables import Table
from .charts import draw_charts, svg_size
from .xlsx import write_xlsx, xlsx_obstacle

MEDIA_TYPES = {
    "csv": "text/csv",
    "csv-bom": "text/csv",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "json": "application/json",
    "datapackage": "application/json",
    "zip": "application/zip",
    "chart": "image/svg+xml",
}
DATA_KINDS = ("csv", "csv-bom", "xlsx", "json", "datapackage", "zip")  # distributions of the data (not its charts)


@dataclass(frozen=True)
class Download:
    path: str  # site path, e.g. datasets/<name>/<resource>.csv
    kind: str  # csv, csv-bom, xlsx, json, datapackage, zip, chart
    bytes: int
    sha256: str
    resource: str | None = None


@dataclass
class Exported:
    files: dict[str, Path]  # site path -> the written file
    downloads: list[Download]
    notices: dict[str, str]  # "<resource>.xlsx" -> why it was not produced
    text_numbers: dict[str, int] = field(default_factory=dict)  # resource -> numbers kept as text in the XLSX
    charts: dict[str, tuple[int, int]] = field(default_factory=dict)  # view name -> (width, height) of its SVG
    problems: list = field(default_factory=list)  # views that could not be drawn or published (charts.py)


def export_dataset(
    ds: Dataset, tables: list[Table], site_url: str, folder: Path, limits: Limits | None = None
) -> Exported:
    """Write every download of one dataset under `folder` (laid out as site paths)."""
    out = Exported(files={}, downloads=[], notices={})
    (folder / sitepaths.dataset_page(ds.name)).mkdir(parents=True, exist_ok=True)

    def add(name: str, kind: str, write, resource: str | None = None):
        site_path = sitepaths.dataset_file(ds.name, name)
        path = folder / site_path
        result = write(path)
        size, digest = file_digest(path)
        out.files[site_path] = path
        out.downloads.append(Download(site_path, kind, size, digest, resource))
        return result

    stamp = _timestamp(ds.loaded["modified"])
    sources = {t.path: file_digest(t.file) for t in tables}
    for table in tables:
        file = partial(sitepaths.resource_file, table.name)
        add(file("csv"), "csv", lambda path, t=table: shutil.copyfile(t.file, path), table.name)
        add(file("csv-bom"), "csv-bom", lambda path, t=table: write_bom_csv(t.file, path), table.name)
        reason = xlsx_obstacle(table)
        if reason:
            out.notices[file("xlsx")] = reason
        else:
            as_text = add(file("xlsx"), "xlsx", lambda path, t=table: write_xlsx(t, path, stamp), table.name)
            if as_text:
                out.text_numbers[table.name] = as_text
        add(file("json"), "json", lambda path, t=table: write_json(t, path), table.name)

    svgs, out.problems = draw_charts(ds, tables, limits)
    for view in ds.loaded.get("views", []):
        if view["name"] in svgs:
            svg = svgs[view["name"]]
            chart = sitepaths.chart_file(view["name"])
            add(chart, "chart", lambda path, svg=svg: path.write_bytes(svg), view["resources"][0])
            out.charts[view["name"]] = svg_size(svg)

    published = published_descriptor(ds, tables, sources, site_url, local_paths=False)
    add(sitepaths.DATAPACKAGE, "datapackage", lambda path: path.write_bytes(_json_bytes(published)))
    add(sitepaths.zip_file(ds.name), "zip", lambda path: write_zip(ds, tables, sources, site_url, stamp, path))
    return out


def write_bom_csv(source: Path, path: Path) -> None:
    """The CSV's bytes behind a UTF-8 byte order mark: old Excel versions then read it as
    UTF-8 instead of the system's code page (GBK on Chinese Windows). Nothing else differs."""
    with source.open("rb") as src, path.open("wb") as out:
        out.write(b"\xef\xbb\xbf")
        shutil.copyfileobj(src, out, 1 << 20)


def published_descriptor(
    ds: Dataset, tables: list[Table], sources: dict[str, tuple[int, str]], site_url: str, *, local_paths: bool
) -> dict:
    """The descriptor as published: relative paths that resolve against its own URL, plus sizes and hashes."""
    desc = copy.deepcopy(ds.loaded)
    desc["homepage"] = site_url + sitepaths.dataset_page(ds.name)
    by_name = {t.name: t for t in tables}
    for res in desc["resources"]:
        table = by_name[res["name"]]
        size, digest = sources[table.path]
        if not local_paths:
            res["path"] = sitepaths.resource_file(res["name"], "csv")
        res["bytes"] = size
        res["hash"] = f"sha256:{digest}"
        res["rows"] = table.rows
    return desc


# --- JSON ---------------------------------------------------------------------------------


def write_json(table: Table, path: Path) -> None:
    """An array of records keyed by field name, typed by the schema, one record per line.

    Encoded a column at a time: the json module encodes a whole list in C, and a NUL byte,
    which JSON always escapes inside strings, separates the encoded values again.
    """
    keys = [json.dumps(f["name"], ensure_ascii=False) + ": " for f in table.fields]
    with path.open("w", encoding="utf-8", newline="\n") as out:
        out.write("[\n")
        first = True
        for _raw, typed in table.chunks():
            if not typed:
                continue
            columns = [_encode_column([row[i] for row in typed]) for i in range(len(table.fields))]
            lines = ["{" + ", ".join(map(str.__add__, keys, cells)) + "}" for cells in zip(*columns, strict=True)]
            out.write(("" if first else ",\n") + ",\n".join(lines))
            first = False
        out.write("\n]\n")


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


# --- zip ----------------------------------------------------------------------------------


def write_zip(
    ds: Dataset, tables: list[Table], sources: dict[str, tuple[int, str]], site_url: str, stamp: dt.datetime, path: Path
) -> None:
    """The whole package as in the repository, its descriptor enriched with sizes and hashes."""
    members: dict[str, bytes | Path] = {
        DESCRIPTOR: _json_bytes(published_descriptor(ds, tables, sources, site_url, local_paths=True))
    }
    for name in ("README.md", "CHANGELOG.md"):
        members[name] = ds.root / name
    members.update({t.path: t.file for t in tables})
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name in sorted(members):
            info = zipfile.ZipInfo(f"{ds.name}/{name}", date_time=stamp.timetuple()[:6])
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            data = members[name]
            if isinstance(data, bytes):
                zf.writestr(info, data)
                continue
            with (
                data.open("rb") as src,
                zf.open(info, "w", force_zip64=data.stat().st_size >= zipfile.ZIP64_LIMIT) as dst,
            ):
                shutil.copyfileobj(src, dst, 1 << 20)


def _timestamp(modified: str) -> dt.datetime:
    return dt.datetime.strptime(modified, "%Y-%m-%d")


def _json_bytes(data) -> bytes:
    # allow_nan=False: a NaN would make the file invalid JSON (load.py refuses it in the descriptor)
    return (json.dumps(data, ensure_ascii=False, indent=2, allow_nan=False) + "\n").encode("utf-8")
