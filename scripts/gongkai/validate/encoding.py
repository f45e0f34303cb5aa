"""Strict UTF-8 and strict CSV syntax for each resource file, before any other reader sees it."""

from __future__ import annotations

from collections.abc import Iterator

from ..core.problems import Problem
from ..read.csvtext import CsvSyntaxError, CsvText, parse
from ..read.load import Dataset
from ..render.markup import MAX_BRACKETS, bracket_overflow

LFS_POINTER = b"version https://git-lfs.github.com/spec/"
FIX_ENCODING = "save it as UTF-8 without BOM, or run `gongkai update <dataset> --from <file>` (it converts GBK)"


def read_csv(ds: Dataset, relpath: str) -> tuple[CsvText | None, list[Problem]]:
    """Decode and parse one resource file; on failure return the problems instead."""
    file = ds.file(relpath)
    raw = (ds.root / relpath).read_bytes()
    if raw.startswith(LFS_POINTER):
        message = (
            "this is a Git LFS pointer, not the data: fetch the "
            "file (git lfs pull) so the build publishes the real rows"
        )
        return None, [Problem("lfs-pointer", message, file, line=1, dataset=ds.name)]
    if raw.startswith(b"\xef\xbb\xbf"):
        return None, [
            Problem(
                "utf8-bom",
                (
                    "the file starts with a byte order mark (BOM, as Excel's 'CSV UTF-8' writes); remove it: sed -i "
                    "'1s/^\\xEF\\xBB\\xBF//' <file>"
                ),
                file,
                line=1,
                dataset=ds.name,
                params={"command": "sed -i '1s/^\\xEF\\xBB\\xBF//' <file>"},
            )
        ]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        col = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        byte = raw[exc.start]
        guess = (
            " It decodes as GBK/GB18030, the encoding Excel uses for CSV on Chinese Windows;"
            if _is_gb18030(raw)
            else ""
        )
        return None, [
            Problem(
                "encoding-error",
                f"not valid UTF-8 at byte {col} of the line (0x{byte:02X}).{guess} {FIX_ENCODING}",
                file,
                line=line,
                dataset=ds.name,
                params={"rule": "gbk" if guess else "csv", "column": col, "byte": f"0x{byte:02X}"},
            )
        ]
    if not text.strip():
        return None, [
            Problem("empty-file", "the file is empty; it needs a header and at least one row", file, dataset=ds.name)
        ]
    try:
        table = parse(text)
    except CsvSyntaxError as exc:
        return None, [
            Problem(
                "csv-syntax",
                f"{exc} (an unclosed double quote swallows the rest of the file)",
                file,
                line=exc.line,
                dataset=ds.name,
                params={"rule": _csv_rule(str(exc)), "reason": str(exc)},
            )
        ]
    if not table.rows:
        return table, [Problem("no-rows", "the file has a header but no data rows", file, line=1, dataset=ds.name)]
    return table, []


def check_text_file(ds: Dataset, relpath: str) -> Iterator[Problem]:
    """README.md, CHANGELOG.md and the descriptor must be UTF-8 too."""
    path = ds.root / relpath
    if not path.is_file() or path.is_symlink():
        return
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        yield Problem(
            "encoding-error",
            f"not valid UTF-8 (byte 0x{raw[exc.start]:02X}); {FIX_ENCODING}",
            ds.file(relpath),
            line=line,
            dataset=ds.name,
            params={"byte": f"0x{raw[exc.start]:02X}"},
        )
        return
    overflow = bracket_overflow(text) if relpath.endswith(".md") else None
    if overflow:
        message = (
            f"a paragraph with {overflow[1]} [ characters (at most {MAX_BRACKETS}): Markdown would take minutes over "
            "it; split it or write the brackets differently"
        )
        yield Problem(
            "markdown-too-complex",
            message,
            ds.file(relpath),
            line=overflow[0],
            dataset=ds.name,
            params={"count": overflow[1], "limit": MAX_BRACKETS},
        )


def _csv_rule(reason: str) -> str:
    # Python's csv module words what broke; the Chinese sentence is chosen by it (core/problemtext_zh.py)
    if "unexpected end of data" in reason:
        return "eof"
    if "expected after" in reason:
        return "after_quote"
    return "other"


def _is_gb18030(raw: bytes) -> bool:
    # A hint for the message only; the file is rejected either way, never converted here.
    try:
        raw.decode("gb18030")
    except UnicodeDecodeError:
        return False
    return True
