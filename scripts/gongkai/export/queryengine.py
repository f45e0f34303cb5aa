"""DuckDB-Wasm's files for the query pages, published once for the whole site (assets/duckdb/).

`make duckdb` installs the pinned npm package (tools/duckdb/package.json and its lock) and
bundles its browser module with Apache Arrow into tools/duckdb/dist/: one ES module, the two
workers and the two wasm builds (exception handling for current browsers, MVP for older
ones). The build publishes that folder as it is; nothing is fetched from a CDN at run time.
"""

from __future__ import annotations

from pathlib import Path

from ..core import sitepaths

DIST = Path("tools/duckdb/dist")
FILES = (
    "duckdb.mjs",
    "duckdb-browser-eh.worker.js",
    "duckdb-browser-mvp.worker.js",
    "duckdb-eh.wasm",
    "duckdb-mvp.wasm",
)


def engine_files(root: Path) -> dict[str, Path]:
    """Site path -> file of each part of the engine; {} when `make duckdb` has not made them
    (the query pages then say so, and the build warns)."""
    folder = root / DIST
    if not all((folder / name).is_file() for name in FILES):
        return {}
    return {sitepaths.QUERY_ENGINE + name: folder / name for name in FILES}
