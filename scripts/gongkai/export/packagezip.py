"""The one zip writer for data packages: the current download and each version's.

Members are bytes or files. Members go in sorted order under one folder, with a fixed time and
mode, so the same inputs make the same bytes. Three ways to store a member:
- "zlib": deflated by Python's zlib, streamed (the current download: its bytes are not locked), at
  level 6, or at level 1 for a member over FAST_ABOVE (a 1 GB CSV: a fifth of the time, a zip
  about an eighth larger);
- "pinned": deflated by libdeflate as the pinned `deflate` package bundles it, so the bytes
  depend on that package's version alone, never on the system's zlib (a version's zip, locked
  in urls.lock by its SHA-256). libdeflate compresses a member in one piece: a member larger
  than PINNED_MAX is stored instead (a rule of the sizes alone, so still the same bytes);
- "stored": not compressed (the versions published before compression, whose locked hashes
  are those of stored bytes: history.py keeps them stored).
"""

from __future__ import annotations

import datetime as dt
import shutil
import zipfile
from pathlib import Path
from typing import IO, Literal

import deflate

Method = Literal["zlib", "pinned", "stored"]
PINNED_LEVEL = 6  # libdeflate's 6: within 1% of its 9 on our CSVs at twice the speed (and 5x zlib's 6)
PINNED_MAX = 128 << 20  # held in memory while compressed: the default CSV limit (100 MB) fits
FAST_ABOVE = 64 << 20  # a larger member of the current zip is deflated at zlib's level 1


class _Pinned:
    """The compressor zipfile asks for, giving libdeflate's raw deflate of the whole member at flush."""

    def __init__(self) -> None:
        self._data = bytearray()

    def compress(self, data: bytes) -> bytes:
        self._data += data
        return b""

    def flush(self) -> bytearray:
        out = deflate.deflate_compress(bytes(self._data), PINNED_LEVEL)
        self._data = bytearray()
        return out


def write_package_zip(
    target: Path | IO[bytes], folder: str, members: dict[str, bytes | Path], stamp: dt.datetime, *, method: Method
) -> None:
    with zipfile.ZipFile(target, "w") as zf:
        for name in sorted(members):
            data = members[name]
            size = len(data) if isinstance(data, bytes) else data.stat().st_size
            how = "stored" if method == "pinned" and size > PINNED_MAX else method
            info = zipfile.ZipInfo(f"{folder}/{name}", date_time=stamp.timetuple()[:6])
            info.compress_type = zipfile.ZIP_STORED if how == "stored" else zipfile.ZIP_DEFLATED
            if how == "zlib":
                _level(info, 1 if size > FAST_ABOVE else 6)
            info.external_attr = 0o644 << 16
            info.file_size = size
            # zip64 by writestr's own rule, so a file member gives the bytes it would as bytes
            with zf.open(info, "w", force_zip64=size * 1.05 > zipfile.ZIP64_LIMIT) as dst:
                if how == "pinned":
                    dst._compressor = _Pinned()  # type: ignore[attr-defined]  # zipfile's own hook, set before any write
                if isinstance(data, bytes):
                    dst.write(data)
                    continue
                with data.open("rb") as src:
                    shutil.copyfileobj(src, dst, 1 << 20)


def _level(info: zipfile.ZipInfo, level: int) -> None:
    # ZipInfo's compression level: compress_level from Python 3.13, _compresslevel before (slots: one fails)
    try:
        info.compress_level = level  # type: ignore[attr-defined]
    except AttributeError:
        info._compresslevel = level  # type: ignore[attr-defined]
