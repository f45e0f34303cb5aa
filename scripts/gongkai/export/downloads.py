"""Download files for each dataset: the CSV byte for byte, XLSX, JSON, Parquet, datapackage.json, zip.

Every file is written into a folder of its own (the dataset's cache folder), streamed a
chunk of rows at a time, so a table of any size exports in flat memory. Nothing reaches
build/docs or site/ until every dataset is done, so a failure leaves nothing half-published.
Same commit, same bytes.
"""

from __future__ import annotations

import contextlib
import copy
import datetime as dt
import hashlib
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

from ..core import sitepaths
from ..core.config import Limits
from ..core.output import file_digest
from ..core.parallel import in_background
from ..core.sourcehash import source_hashes
from ..read.load import DESCRIPTOR, Dataset
from ..read.tables import Chunk, Table
from .charts import ChartRows, draw_charts, svg_size
from .jsonrecords import JsonRecords
from .packagezip import write_package_zip
from .parquet import ParquetTable, primary_key
from .xlsx import write_xlsx, xlsx_obstacle

MEDIA_TYPES = {
    "csv": "text/csv",
    "csv-bom": "text/csv",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "json": "application/json",
    "parquet": "application/vnd.apache.parquet",
    "datapackage": "application/json",
    "zip": "application/zip",
    "chart": "image/svg+xml",
}
DATA_KINDS = (
    "csv",
    "csv-bom",
    "xlsx",
    "json",
    "parquet",
    "datapackage",
    "zip",
)  # distributions of the data (not its charts)


@dataclass(frozen=True)
class Download:
    path: str  # site path, e.g. datasets/<name>/<resource>.csv
    kind: str  # csv, csv-bom, xlsx, json, parquet, datapackage, zip, chart
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
    """Write every download of one dataset under `folder` (laid out as site paths).

    Each table is read twice: once for its bytes (the CSV and BOM copies, hashed as they are
    written) and once typed, for every format that needs typed values (XLSX, JSON and the
    charts' rows and the Parquet, fed from the same chunks). The zip streams the files it packs,
    in a thread of its own beside them."""
    out = Exported(files={}, downloads=[], notices={})
    (folder / sitepaths.dataset_page(ds.name)).mkdir(parents=True, exist_ok=True)

    def add(name: str, kind: str, resource: str | None = None, known: tuple[int, str] | None = None) -> Path:
        site_path = sitepaths.dataset_file(ds.name, name)
        path = folder / site_path
        size, digest = known or file_digest(path)
        out.files[site_path] = path
        out.downloads.append(Download(site_path, kind, size, digest, resource))
        return path

    def at(name: str) -> Path:
        return folder / sitepaths.dataset_file(ds.name, name)

    stamp = _timestamp(ds.loaded["modified"])
    sources = {t.path: (h.size, h.sha256) for t in tables for h in [source_hashes(t.file)]}
    drawn = {view["resources"][0] for view in ds.loaded.get("views", [])}
    chart_rows: dict[str, ChartRows] = {}
    # the zip deflates the files as committed while the typed formats are written: zlib leaves the GIL
    zipping = in_background(write_zip, ds, tables, sources, site_url, stamp, at(sitepaths.zip_file(ds.name)))
    for table in tables:
        file = partial(sitepaths.resource_file, table.name)
        plain, bom = at(file("csv")), at(file("csv-bom"))
        copied = copy_hashed(table.file, {plain: b"", bom: BOM})
        add(file("csv"), "csv", table.name, copied[plain])
        add(file("csv-bom"), "csv-bom", table.name, copied[bom])
        missing = table.resource["schema"].get("missingValues", [""])
        parquet = ParquetTable(at(file("parquet")), table.fields, primary_key(table.resource), missing)
        records = JsonRecords(at(file("json")), table)
        sinks: list[Callable[[Chunk], None]] = [records.add, parquet.add_chunk]
        if table.name in drawn:
            sinks.append(partial(_as_rows, chart_rows.setdefault(table.name, ChartRows(table.fields)).add))
        reason = xlsx_obstacle(table)
        with records:
            chunks = _fan_out(table.chunks(), sinks)
            if reason:
                out.notices[file("xlsx")] = reason
            else:
                as_text = write_xlsx(table, at(file("xlsx")), stamp, chunks)
                add(file("xlsx"), "xlsx", table.name)
                if as_text:
                    out.text_numbers[table.name] = as_text
            for _ in chunks:  # without an XLSX, the JSON and the charts still take every chunk
                pass
        add(file("json"), "json", table.name)
        parquet.close()
        add(file("parquet"), "parquet", table.name)

    svgs, out.problems = draw_charts(ds, tables, limits, chart_rows)
    for view in ds.loaded.get("views", []):
        if view["name"] in svgs:
            svg = svgs[view["name"]]
            chart = sitepaths.chart_file(view["name"])
            at(chart).write_bytes(svg)
            add(chart, "chart", view["resources"][0])
            out.charts[view["name"]] = svg_size(svg)

    alternates = {d.resource: d for d in out.downloads if d.kind == "parquet"}
    published = published_descriptor(ds, tables, sources, site_url, local_paths=False, alternates=alternates)
    at(sitepaths.DATAPACKAGE).write_bytes(_json_bytes(published))
    add(sitepaths.DATAPACKAGE, "datapackage")
    zipping.result()
    add(sitepaths.zip_file(ds.name), "zip")
    return out


def _as_rows(add: Callable[[list[list[str]], list[list]], None], chunk: Chunk) -> None:
    add(chunk.raw, chunk.typed)  # a writer of Python rows: the charts


def _fan_out(chunks: Iterator[Chunk], sinks: list[Callable[[Chunk], None]]) -> Iterator[Chunk]:
    # each chunk goes to every sink before the caller (the XLSX writer) takes it
    for chunk in chunks:
        for sink in sinks:
            sink(chunk)
        yield chunk


BOM = b"\xef\xbb\xbf"


def copy_hashed(source: Path, targets: dict[Path, bytes]) -> dict[Path, tuple[int, str]]:
    """Copies of a file, each behind its own prefix, from one read; the size and SHA-256 of each
    as written. The BOM copy is the CSV's bytes behind a UTF-8 byte order mark: old Excel versions
    then read it as UTF-8 instead of the system's code page (GBK on Chinese Windows)."""
    digests = {path: hashlib.sha256(prefix) for path, prefix in targets.items()}
    sizes = {path: len(prefix) for path, prefix in targets.items()}
    with contextlib.ExitStack() as stack:
        outs = {path: stack.enter_context(path.open("wb")) for path in targets}
        for path, prefix in targets.items():
            outs[path].write(prefix)
        with source.open("rb") as src:
            while block := src.read(1 << 20):
                for path, out in outs.items():
                    out.write(block)
                    digests[path].update(block)
                    sizes[path] += len(block)
    return {path: (sizes[path], digests[path].hexdigest()) for path in targets}


def published_descriptor(
    ds: Dataset,
    tables: list[Table],
    sources: dict[str, tuple[int, str]],
    site_url: str,
    *,
    local_paths: bool,
    alternates: dict[str | None, Download] | None = None,
) -> dict:
    """The descriptor as published: relative paths that resolve against its own URL, plus sizes and hashes;
    alternates: each resource's Parquet, listed under the resource (`alternates`: the same rows in
    another format, a property frictionless ignores, so the descriptor still validates on its CSV)."""
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
        other = (alternates or {}).get(res["name"])
        if other is not None:
            res["alternates"] = [
                {
                    "path": other.path.rsplit("/", 1)[-1],
                    "format": other.kind,
                    "mediatype": MEDIA_TYPES[other.kind],
                    "bytes": other.bytes,
                    "hash": f"sha256:{other.sha256}",
                }
            ]
    return desc


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
    write_package_zip(path, ds.name, members, stamp, method="zlib")


def _timestamp(modified: str) -> dt.datetime:
    return dt.datetime.strptime(modified, "%Y-%m-%d")


def _json_bytes(data) -> bytes:
    # allow_nan=False: a NaN would make the file invalid JSON (load.py refuses it in the descriptor)
    return (json.dumps(data, ensure_ascii=False, indent=2, allow_nan=False) + "\n").encode("utf-8")
