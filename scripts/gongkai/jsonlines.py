"""Find the line of any value in a JSON text, so metadata problems can say where they are.

The standard json module keeps no positions; this scanner walks the same text once and
records the line on which each value (addressed by its JSON pointer) starts.
"""

from __future__ import annotations

import json

_WS = " \t\n\r"


def pointer(parts) -> str:
    """JSON pointer (RFC 6901) for a path of keys and indexes."""
    return "".join("/" + str(p).replace("~", "~0").replace("/", "~1") for p in parts)


def value_lines(text: str) -> dict[str, int]:
    """Map each JSON pointer in a valid JSON document to the line its value starts on."""
    lines: dict[str, int] = {}
    decoder = json.JSONDecoder()
    pos = 0
    line = 1

    def skip(i: int) -> int:
        nonlocal line
        while i < len(text) and text[i] in _WS:
            if text[i] == "\n":
                line += 1
            i += 1
        return i

    def advance(start: int, end: int) -> None:
        nonlocal line
        line += text.count("\n", start, end)

    def value(i: int, path: tuple) -> int:
        i = skip(i)
        lines[pointer(path)] = line
        ch = text[i]
        if ch == "{":
            i = skip(i + 1)
            if text[i] == "}":
                return i + 1
            while True:
                i = skip(i)
                key, end = decoder.raw_decode(text, i)
                advance(i, end)
                i = skip(end)
                i = value(i + 1, (*path, key))  # skip ':'
                i = skip(i)
                if text[i] == "}":
                    return i + 1
                i += 1  # ','
        if ch == "[":
            i = skip(i + 1)
            if text[i] == "]":
                return i + 1
            n = 0
            while True:
                i = value(i, (*path, n))
                n += 1
                i = skip(i)
                if text[i] == "]":
                    return i + 1
                i += 1
        _, end = decoder.raw_decode(text, i)
        advance(i, end)
        return end

    value(pos, ())
    return lines


def line_of(lines: dict[str, int], ptr: str) -> int | None:
    """Line of a pointer, or of its nearest ancestor that exists (for a missing key)."""
    while True:
        if ptr in lines:
            return lines[ptr]
        if not ptr:
            return None
        ptr = ptr.rsplit("/", 1)[0]
