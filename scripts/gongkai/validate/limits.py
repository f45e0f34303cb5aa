"""Bounds on a resource file's shape, checked before any reader holds a line of it.

A million cells on one line (a few megabytes) made the strict parser and frictionless run for
minutes in gigabytes; a line or cell of tens of megabytes does the same to pyarrow's blocks.
This pass reads the bytes in fixed chunks and decides with numpy, never building a row: the
number of cells in each record, the bytes in each physical line and in each cell, against
limits.max_fields, max_line_bytes and max_cell_bytes. Cells are delimited by commas and line
breaks outside quotes; a byte is inside quotes when an odd number of quotes precede it (a
doubled quote counts twice), which is exactly how the pinned dialect reads.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ..core.config import Limits, Settings
from ..core.jsonlines import line_of, pointer
from ..core.problems import Problem
from ..read.load import DESCRIPTOR, Dataset, fields_of
from .paths import _unsafe

CHUNK = 1 << 21  # bytes per read: a few arrays of this size are all the memory it takes
QUOTE, COMMA, LF, CR = 34, 44, 10, 13


def check_limits(ds: Dataset, lines: dict[str, int], settings: Settings) -> Iterator[Problem]:
    """Fields per schema, and fields, line bytes and cell bytes in each resource file."""
    limits = settings.limits
    for i, res in enumerate(ds.resources):
        fields = fields_of(res)
        if len(fields) > limits.max_fields:
            ptr = pointer(["resources", i, "schema", "fields"])
            message = f"{len(fields)} fields; the limit (limits.max_fields) is {limits.max_fields}"
            yield Problem(
                "too-many-fields",
                message,
                ds.file(DESCRIPTOR),
                line=line_of(lines, ptr),
                field=ptr,
                dataset=ds.name,
                params={"rule": "schema", "count": len(fields), "limit": limits.max_fields},
            )
        path = res.get("path")
        if not isinstance(path, str) or _unsafe(path):
            continue  # the path check reports it; nothing is opened
        full = ds.root / path
        if (
            full.is_symlink()
            or not full.is_file()
            or full.stat().st_nlink > 1
            or full.stat().st_size > limits.max_csv_bytes
        ):
            continue  # reported by the folder and path checks, and never read
        for found in shape_limits(full, limits):
            yield Problem(
                found.code,
                found.message,
                ds.file(path),
                line=found.line,
                field=found.field,
                dataset=ds.name,
                params={"limit": _LIMITS[found.code](limits)},
            )


@dataclass(frozen=True)
class Breach:
    code: str
    message: str
    line: int
    field: str | None


@dataclass
class _Carry:
    """What a chunk hands the next: where the open line, cell and record began."""

    parity: int = 0  # 1 while inside quotes
    line_start: int = 0  # byte offset of the current physical line
    cell_start: int = 0
    record_start: int = 0
    record_fields: int = 1  # cells of the current record so far (the open one included)


def shape_limits(path: Path, limits: Limits, chunk: int = CHUNK) -> list[Breach]:
    """The first breach of each limit, from the first chunk that holds one (then it stops)."""
    found: dict[str, tuple[int, int]] = {}  # code -> (byte offset, cell index in its record)
    carry = _Carry()
    buffer = bytearray(chunk)
    base = 0
    with path.open("rb", buffering=0) as f:
        while not found and (size := f.readinto(buffer)):
            a = np.frombuffer(buffer, dtype=np.uint8, count=size)
            if not _plain_chunk(a, base, carry, limits):
                _chunk(a, base, carry, limits, found)
            base += size
    header = _header(path, limits.max_line_bytes) if found else []  # only to name a breach's field
    breaches = []
    for code, (offset, cell) in sorted(found.items(), key=lambda item: item[1][0]):
        line = _line_at(path, offset)
        name = header[cell] if cell < len(header) else f"column {cell + 1}"
        breaches.append(
            Breach(code, _MESSAGES[code].format(limits=limits), line, None if code == "too-many-fields" else name)
        )
    return breaches


_LIMITS = {
    "too-many-fields": lambda limits: limits.max_fields,
    "line-too-long": lambda limits: limits.max_line_bytes,
    "cell-too-long": lambda limits: limits.max_cell_bytes,
}
_MESSAGES = {
    "too-many-fields": (
        "the record has more than {limits.max_fields} cells (limits.max_fields); the file is not read further"
    ),
    "line-too-long": (
        "the line is longer than {limits.max_line_bytes} bytes (limits.max_line_bytes); the file is not read further"
    ),
    "cell-too-long": (
        "the cell is longer than {limits.max_cell_bytes} bytes (limits.max_cell_bytes); the file is not read further"
    ),
}


def _plain_chunk(a: np.ndarray, base: int, carry: _Carry, limits: Limits) -> bool:
    """The common case, decided from line breaks and quotes alone (a few passes over the bytes):
    every record is one line (no line break inside quotes, none carried over), and no line is
    longer than a cell may be or holds more commas than a record may have cells. Then no
    limit can be exceeded; hand on the carry and say True. Otherwise leave it to _chunk."""
    if carry.record_start != carry.line_start:
        return False  # a record that began on an earlier line is still open
    breaks = np.flatnonzero((a == LF) | (a == CR))
    if not len(breaks):
        return False
    quotes = np.flatnonzero(a == QUOTE)
    if ((np.searchsorted(quotes, breaks) + carry.parity) & 1).any():
        return False  # a quoted line break: records are not lines
    starts = np.concatenate(([carry.line_start - base], breaks + 1))
    lengths = np.concatenate((breaks, [len(a)])) - starts  # the last is the line still open
    longest = int(lengths.max())
    if longest > min(limits.max_line_bytes, limits.max_cell_bytes):
        return False
    if longest >= limits.max_fields:  # a line this long could hold too many cells: count its commas
        commas = np.flatnonzero(a == COMMA)
        per_line = np.diff(np.searchsorted(commas, np.concatenate(([0], breaks, [len(a)]))))
        per_line[0] += carry.record_fields - 1
        if int(per_line.max()) >= limits.max_fields:
            return False
    tail = a[int(breaks[-1]) + 1 :]
    parity = (carry.parity + len(quotes)) & 1
    open_parity = (carry.parity + int(np.searchsorted(quotes, breaks[-1]))) & 1
    inside = np.bitwise_xor.accumulate((tail == QUOTE).view(np.uint8)) ^ np.uint8(open_parity) if len(tail) else tail
    commas = np.flatnonzero((tail == COMMA) & (inside == 0)) if len(tail) else tail
    carry.parity = parity
    carry.line_start = carry.record_start = base + int(breaks[-1]) + 1
    carry.cell_start = carry.line_start + (int(commas[-1]) + 1 if len(commas) else 0)
    carry.record_fields = 1 + len(commas)
    return True


def _chunk(a: np.ndarray, base: int, carry: _Carry, limits: Limits, found: dict) -> None:
    quotes = a == QUOTE
    if quotes.any():
        inside = np.bitwise_xor.accumulate(quotes.view(np.uint8)) ^ np.uint8(carry.parity)
        outside = inside == 0
        parity = int(inside[-1])
    else:
        outside = np.full(len(a), carry.parity == 0)
        parity = carry.parity
    breaks = (a == LF) | (a == CR)
    separators = np.flatnonzero((breaks | (a == COMMA)) & outside)  # where each cell ends
    ends = breaks[separators]  # which of them end a record

    def cell_index(k: int) -> int:
        """Index in its record of the cell that ends at separator k (k may be len(separators))."""
        last = int(np.searchsorted(np.flatnonzero(ends), k)) - 1
        return k + carry.record_fields - 1 if last < 0 else k - int(np.flatnonzero(ends)[last]) - 1

    # physical lines
    line_ends = np.flatnonzero(breaks)
    starts = np.concatenate(([carry.line_start - base], line_ends[:-1] + 1))
    long = np.flatnonzero(line_ends - starts > limits.max_line_bytes)
    tail = len(a) - (int(line_ends[-1]) + 1 if len(line_ends) else carry.line_start - base)
    if len(long) or tail > limits.max_line_bytes:
        at = int(starts[long[0]]) + limits.max_line_bytes if len(long) else len(a) - tail + limits.max_line_bytes
        if at < len(a):
            found["line-too-long"] = (base + at, cell_index(int(np.searchsorted(separators, at))))
    # cells
    cell_starts = np.concatenate(([carry.cell_start - base], separators[:-1] + 1))
    long = np.flatnonzero(separators - cell_starts > limits.max_cell_bytes)
    open_cell = len(a) - (int(separators[-1]) + 1 if len(separators) else carry.cell_start - base)
    if len(long):
        found["cell-too-long"] = (base + int(cell_starts[long[0]]), cell_index(int(long[0])))
    elif open_cell > limits.max_cell_bytes:
        found["cell-too-long"] = (base + len(a) - open_cell, cell_index(len(separators)))
    # cells per record
    end_at = np.flatnonzero(ends)
    counts = np.diff(np.concatenate(([-1], end_at)))  # separators per record, its end included
    if len(counts):
        counts[0] += carry.record_fields - 1
    open_fields = (
        (len(separators) - (int(end_at[-1]) + 1) + 1) if len(end_at) else carry.record_fields + len(separators)
    )
    many = np.flatnonzero(counts > limits.max_fields)
    if len(many):
        record = int(many[0])
        start = carry.record_start if record == 0 else base + int(separators[end_at[record - 1]]) + 1
        found["too-many-fields"] = (start, 0)
    elif open_fields > limits.max_fields:
        found["too-many-fields"] = (
            carry.record_start if not len(end_at) else base + int(separators[end_at[-1]]) + 1,
            0,
        )
    # hand on what is still open
    carry.parity = parity
    if len(line_ends):
        carry.line_start = base + int(line_ends[-1]) + 1
    if len(separators):
        carry.cell_start = base + int(separators[-1]) + 1
    if len(end_at):
        carry.record_start = base + int(separators[end_at[-1]]) + 1
    carry.record_fields = open_fields


def _header(path: Path, limit: int) -> list[str]:
    """The header's names as far as they fit in one line's limit, for naming a breach's field."""
    with path.open("rb") as f:
        head = f.read(limit)
    text = head.decode("utf-8", errors="replace")
    try:
        names = next(csv.reader(io.StringIO(text, newline="")), [])
    except csv.Error:
        return []
    cut = len(head) == limit and b"\n" not in head and b"\r" not in head
    return names[:-1] if cut else names  # the last name may be cut short


def _line_at(path: Path, offset: int) -> int:
    """The physical line holding byte `offset`, counted as the strict parser counts (LF, CR, CRLF)."""
    lf = cr = crlf = 0
    previous = 0
    with path.open("rb") as f:
        done = 0
        while done < offset:
            block = f.read(min(CHUNK, offset - done))
            if not block:
                break
            lf += block.count(b"\n")
            cr += block.count(b"\r")
            crlf += block.count(b"\r\n") + (previous == CR and block[0] == LF)
            previous = block[-1]
            done += len(block)
    return 1 + lf + cr - crlf
