"""Where a CSV's quotes stand, checked a block at a time beside pyarrow (RFC 4180): a quoted
field opens at the start of a field and closes at its end, a quote inside it doubled.

pyarrow is lenient: it reads `"天河"x` as 天河x and `ab"c` as ab"c, where the strict parser
(csvtext.py) refuses both with the line. A file with a quote out of place therefore leaves the
fast path, and the row-by-row way names it, so the two paths never disagree about a file.
Counting quotes from the start of the file, the 1st, 3rd … open a field and the 2nd, 4th …
close it (a doubled quote is a close and an open side by side): an opening quote follows a
comma, a line end or a closing quote; a closing quote is followed by a comma, a line end, an
opening quote or the end of the file.
"""

from __future__ import annotations

import numpy as np

QUOTE = ord('"')
BEFORE_OPEN = np.array([ord(","), ord("\n"), QUOTE, -1], dtype=np.int16)  # -1: the start of the file
AFTER_CLOSE = np.array([ord(","), ord("\r"), ord("\n"), QUOTE], dtype=np.int16)


class QuotePlacement:
    """Fed the file's bytes in order; `misplaced` once any quote stands where no field opens or closes."""

    def __init__(self) -> None:
        self.seen = 0  # quotes so far
        self.last = -1  # the previous block's last byte (-1 before the first)
        self.pending = False  # the previous block ended in a closing quote: the next byte decides
        self.misplaced = False

    def feed(self, block, size: int) -> None:
        if size == 0 or self.misplaced:
            return
        data = np.frombuffer(block, dtype=np.uint8, count=size)
        if self.pending and data[0] not in AFTER_CLOSE:
            self.misplaced = True
        self.pending = False
        at = np.flatnonzero(data == QUOTE)
        if at.size:
            opening = (np.arange(at.size) + self.seen) % 2 == 0
            opens, closes = at[opening], at[~opening]
            before = data[np.maximum(opens - 1, 0)].astype(np.int16)
            before[opens == 0] = self.last
            after = closes + 1
            inside = after < size
            if not np.isin(before, BEFORE_OPEN).all() or not np.isin(data[after[inside]], AFTER_CLOSE).all():
                self.misplaced = True
            self.pending = bool(closes.size and closes[-1] == size - 1)
            self.seen += int(at.size)
        self.last = int(data[size - 1])


def quotes_placed(source: bytes) -> bool:
    placement = QuotePlacement()
    placement.feed(source, len(source))
    return not placement.misplaced
