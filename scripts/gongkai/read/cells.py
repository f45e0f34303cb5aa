"""Facts about cell text that validation reports and pages show: one definition for both."""

from __future__ import annotations

import math
import re
from decimal import Decimal, InvalidOperation

import numpy as np
import pyarrow as pa

TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "＝", "＋", "－", "＠")
NUMERIC = ("integer", "number")


def formula_like(table_fields: list[dict], rows: list[list[str]]) -> dict[str, tuple[int, int]]:
    """field name -> (count, index of the first row) of text cells a spreadsheet would evaluate."""
    found: dict[str, tuple[int, int]] = {}
    for col, field in enumerate(table_fields):
        name = field.get("name")
        if field.get("type", "string") in NUMERIC or not isinstance(name, str):
            continue  # -5 and +86 are numbers there, typed as numbers in every download
        for i, row in enumerate(rows):
            if col < len(row) and row[col].startswith(TRIGGERS):
                count, first = found.get(name, (0, i))
                found[name] = (count + 1, first)
    return found


# What a cell a spreadsheet would evaluate starts with (TRIGGERS), in UTF-8: its first byte, and
# the lead byte of the triggers of more than one byte (the full-width ＝＋－＠).
TRIGGER_BYTES = tuple(t.encode() for t in TRIGGERS)
ONE_BYTE = np.isin(np.arange(256), [t[0] for t in TRIGGER_BYTES if len(t) == 1])
LEADS = np.isin(np.arange(256), [t[0] for t in TRIGGER_BYTES if len(t) > 1])


def cell_lengths(column: pa.Array) -> np.ndarray:
    """Each cell's length in UTF-8 bytes, from a string column's offsets, in place."""
    offsets = column.buffers()[1]
    if not len(column):
        return np.zeros(0, np.int32)
    return np.diff(np.frombuffer(offsets, np.int32, len(column) + 1, column.offset * 4))


def _in_place(column: pa.Array) -> tuple[np.ndarray, np.ndarray]:
    """A string column's bytes and where each cell starts in them, as numpy views of its buffers."""
    _, offsets, data = column.buffers()
    text = np.frombuffer(data, np.uint8) if data is not None else np.zeros(0, np.uint8)
    starts = np.frombuffer(offsets, np.int32, len(column), column.offset * 4) if len(column) else np.zeros(0, np.int32)
    return text, starts


def leading_bytes(column: pa.Array, count: int) -> tuple[np.ndarray, list[np.ndarray]]:
    """Each cell's length in bytes and its first `count` bytes, one array a position (0 past a
    cell's end), from a string column's offsets and bytes in place."""
    lengths = cell_lengths(column)
    text, starts = _in_place(column)
    if not text.size:
        return lengths, [np.zeros(len(column), np.uint8) for _ in range(count)]
    found = []
    for i in range(count):
        byte = text.take(starts + i, mode="clip")
        byte[lengths <= i] = 0
        found.append(byte)
    return lengths, found


def formula_cells(column: pa.Array) -> np.ndarray:
    """Which cells of a string column start with a trigger, as formula_like's startswith
    finds them, read from the column's offsets and bytes in place (no cell is sliced or copied)."""
    text, starts = _in_place(column)
    if not text.size:
        return np.zeros(len(column), bool)
    lengths = cell_lengths(column)
    filled = lengths > 0
    first = text.take(starts, mode="clip")  # an empty cell's "first byte" is the next cell's, or the last: masked
    found = ONE_BYTE.take(first)
    found &= filled
    led = np.flatnonzero(LEADS.take(first) & filled)
    for trigger in (t for t in TRIGGER_BYTES if len(t) > 1):
        cells = led[lengths[led] >= len(trigger)]
        same = np.ones(len(cells), bool)
        for i, byte in enumerate(trigger):
            same &= text[starts[cells] + i] == byte
        found[cells[same]] = True
    if column.null_count:
        found &= np.asarray(column.is_valid())
    return found


def number_refusal(value) -> str | None:
    """Why a value frictionless reads as a number is refused, or None.

    frictionless reads NaN, INF, -inf and Infinity as numbers (Decimal takes them) and keeps
    1e400 as a Decimal, but no download can hold them: JSON has no such numbers, a JSON reader
    turns 1e400 into infinity, and Excel shows none of them. Refusing them is gongkai's own
    decision, the one place where both engines deliberately say more than frictionless.
    """
    if isinstance(value, str):
        try:
            value = Decimal(value.strip())
        except InvalidOperation:
            return None  # not a number at all: frictionless's type-error says so
    if not isinstance(value, (Decimal, float)) or isinstance(value, bool):
        return None
    if not value.is_finite() if isinstance(value, Decimal) else not math.isfinite(value):
        return (
            "is not a finite number: JSON cannot hold NaN or an infinity and Excel cannot show it; leave the cell empty"
        )
    if math.isinf(float(value)):
        return (
            "overflows to infinity in every JSON reader and Excel cannot "
            "show it; write it as text in a string field, or in other units"
        )
    return None


# A number as the downloads write it: ASCII digits, one sign, one point, an exponent.
ASCII_NUMBER = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")
NUMBER_OPTIONS = ("groupChar", "decimalChar", "bareNumber")


def number_text_refusal(text: str, field: dict) -> str | None:
    """Why a cell frictionless reads as an integer or number is refused for how it is written.

    Python's number parsing (frictionless's) accepts 1_020, full-width １０２０ and other scripts'
    digits (٣٦): the CSV keeps the text while JSON and XLSX would hold 1020 and 36, a value that
    is not what the file says. A field that declares its own number format is left to it.
    """
    if any(key in field for key in NUMBER_OPTIONS) or ASCII_NUMBER.fullmatch(text):
        return None
    return (
        "is read as a number only by a lenient parser (digits other than 0-9, _ or spaces); the downloads would hold "
        "a different text: write it with the digits 0-9"
    )


def number_refused_message(text: str, reason: str) -> str:
    return f'"{text}" {reason}'


def number_refused_facts(text: str, reason: str) -> dict:
    """The cell and which refusal, for the message in the reader's language (core/problemtext_zh.py)."""
    rule = "overflow" if reason.startswith("overflows") else "lenient" if "lenient" in reason else "nan"
    return {"value": text, "rule": rule}
