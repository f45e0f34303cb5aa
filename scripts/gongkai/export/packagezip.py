"""The one zip writer for data packages: the current download (deflated) and each version's (stored).

Members are bytes or files; a file is streamed, never read whole. Members go in sorted
order under one folder, with a fixed time and mode, so the same inputs make the same bytes:
a version's zip is locked in urls.lock by its SHA-256 and is written the same way by every build.
"""

from __future__ import annotations

import datetime as dt
import shutil
import zipfile
from pathlib import Path
from typing import IO


def write_package_zip(
    target: Path | IO[bytes], folder: str, members: dict[str, bytes | Path], stamp: dt.datetime, *, compress: bool
) -> None:
    method = zipfile.ZIP_DEFLATED if compress else zipfile.ZIP_STORED
    with zipfile.ZipFile(target, "w", method) as zf:
        for name in sorted(members):
            info = zipfile.ZipInfo(f"{folder}/{name}", date_time=stamp.timetuple()[:6])
            info.compress_type = method
            info.external_attr = 0o644 << 16
            data = members[name]
            if isinstance(data, bytes):
                zf.writestr(info, data)
                continue
            # zip64 by writestr's own rule, so a file member gives the bytes it would as bytes
            zip64 = data.stat().st_size * 1.05 > zipfile.ZIP64_LIMIT
            with data.open("rb") as src, zf.open(info, "w", force_zip64=zip64) as dst:
                shutil.copyfileobj(src, dst, 1 << 20)
