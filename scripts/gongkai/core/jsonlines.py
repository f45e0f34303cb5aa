"""Find the line of any value in a JSON text, so metadata problems can say where they are.

The standard json module keeps no positions; this scanner walks the same text once and
records the line on which each value (addressed by its JSON pointer) starts.
"""

from __future__ import annotations

import json
import math
import re

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


# --- what a JSON text may hold before it is parsed -------------------------------------------

# Structural characters, strings (an unterminated one ends the scan), numbers and the
# non-standard constants Python's json module accepts.
_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"|[{}\[\],]|-?(?:NaN|Infinity)|-?[0-9][0-9.eE+-]*|"')
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")
_SURROGATE = re.compile("[\ud800-\udfff]")
SAFE_INTEGER = 2**53  # beyond it a JSON reader that reads numbers as doubles (every browser) changes the value


def json_hazards(text: str, max_nesting: int) -> list[tuple[str, str, int, str, dict]]:
    """(code, message, line, pointer, facts) for what json.loads would choke on or accept but no JSON
    reader keeps: nesting deeper than max_nesting (the decoder recurses: 700 levels crash it, and
    so would every reader after it), NaN and Infinity (not JSON at all: the published copy would
    not parse), numbers that overflow or underflow a double, integers beyond 2**53, and lone
    surrogates (no UTF-8 file can hold one). One pass of a regular expression, no recursion;
    a nesting problem stops the scan, the other problems are only meaningful for valid JSON."""
    found: list[tuple[str, str, int, str, dict]] = []
    stack: list[list] = []  # per open container: [kind, key token or index, expecting a key]

    def where() -> str:
        parts = [json.loads(f[1]) if f[0] == "{" else f[1] for f in stack if f[1] is not None]
        return _SURROGATE.sub(
            lambda c: f"\\u{ord(c.group()):04x}", pointer(parts)
        )  # printable, as the problem shows it

    def add(code: str, message: str, pos: int, ptr: str, **facts) -> None:
        # facts: what the Chinese sentence is worded from (core/problemtext_zh.py)
        found.append((code, message, text.count("\n", 0, pos) + 1, ptr, facts))

    for m in _TOKEN.finditer(text):
        token = m.group()
        top = stack[-1] if stack else None
        if token in "{[":
            if len(stack) >= max_nesting:
                add(
                    "json-too-deep",
                    f"nested more than {max_nesting} levels deep (limits.max_nesting); flatten it",
                    m.start(),
                    where(),
                    limit=max_nesting,
                )
                return found
            stack.append([token, None if token == "{" else 0, token == "{"])
        elif token in "}]":
            if stack:
                stack.pop()
        elif token == ",":
            if top and top[0] == "{":
                top[2] = True
            elif top:
                top[1] += 1
        elif token == '"':
            return found  # unterminated: the parser says so
        elif token[0] == '"':
            is_key = top is not None and top[0] == "{" and top[2]
            if top is not None and is_key:
                top[1], top[2] = token, False
            if _SURROGATE_ESCAPE.search(token) and _SURROGATE.search(json.loads(token)):
                what = "key" if is_key else "text"
                add(
                    "json-surrogate",
                    (
                        f"the {what} holds a lone surrogate escape (\\ud800-\\udfff "
                        "without its pair), which no UTF-8 file can hold"
                    ),
                    m.start(),
                    where(),
                    rule=what,
                )
        else:
            problem = _number_problem(token)
            if problem:
                add("json-number", problem[0], m.start(), where(), rule=problem[1], value=problem[2])
    return found


def _number_problem(token: str) -> tuple[str, str, str] | None:
    """(why, rule, the number as shown) for a number no JSON reader keeps."""
    if token.lstrip("-") in ("NaN", "Infinity"):
        return f"{token} is not JSON (a published copy would not parse); write null or the value as text", "nan", token
    digits = token.lstrip("-")
    if digits.isdigit():
        # 2^53 has 16 digits; a longer integer is beyond it (and int() refuses 4,300 digits or more)
        if len(digits) > 16 or (len(digits) > 15 and abs(int(token)) > SAFE_INTEGER):
            shown = token if len(token) <= 40 else f"{token[:20]}…({len(digits)} digits)"
            why = (
                f"the integer {shown} is beyond ±2^53: JSON readers (every "
                "browser) read it as a different number; write it as text"
            )
            return why, "big_integer", shown
        return None
    try:
        value = float(token)
    except ValueError:
        return None  # not a number: the parser says so
    if math.isinf(value):
        return f"{token} overflows to infinity, which JSON cannot hold; write it as text", "overflow", token
    if value == 0 and any(c in "123456789" for c in token.split("e")[0].split("E")[0]):
        return f"{token} is too small for a double and reads back as 0; write it as text", "underflow", token
    return None
