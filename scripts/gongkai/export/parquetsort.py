"""Rows in key order, in bounded memory, for the Parquet writer (export/parquet.py).

A table reaches the writer a chunk at a time, and its column types are known only once every
chunk is in (a decimal column takes the most places any chunk needs; a column with one value
its type cannot take keeps its text). So each chunk is spilled as it comes (Spill: an Arrow
IPC stream per chunk, in a temporary folder beside the output, removed when the file is
written), and the file is written from the spill afterwards:

- in key order already (the common case: a file kept sorted by its key), checked on the key
  columns alone: the chunks go to the file as they come;
- otherwise sorted runs of at most RUN_BYTES are spilled too and merged, FAN_IN at a time, into
  the file (merge). Ties keep the order of the file (each row's position is a hidden last key),
  so the rows come out exactly as a stable sort of the whole table would give them.

Either way the writer gets row groups of exactly ROW_GROUP_ROWS rows (the last one smaller),
each one contiguous, so the bytes depend on the rows alone, never on the chunk sizes or runs.
"""

from __future__ import annotations

import io
import shutil
import tempfile
import weakref
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

RUN_BYTES = 32 * 2**20  # a sorted run in memory: its rows, once more while they are sorted
MERGE_BYTES = 32 * 2**20  # what the merge holds of all its runs at once
FAN_IN = 16  # runs merged at once; more runs are merged in rounds
SEQ = "__gongkai_row"  # each row's position in the file: the last sort key, never written

Batches = Callable[[], Iterator[pa.RecordBatch]]  # the table's batches, read again on each call


class Spill:
    """Record batches kept aside until the table is complete: in a temporary folder under `folder`
    (the dataset's cache folder), or in memory for a table written to memory (a small version)."""

    def __init__(self, folder: Path | None):
        self.folder = Path(tempfile.mkdtemp(prefix=".parquet-", dir=folder)) if folder else None
        self.file: io.BufferedRandom | io.BytesIO = (
            open(self.folder / "chunks.arrows", "w+b") if self.folder else io.BytesIO()  # noqa: SIM115
        )
        self.spans: list[tuple[int, int]] = []
        self.runs = 0
        # removed by close(), or when the writer is dropped unclosed (an export that failed midway)
        self.close = weakref.finalize(self, _remove, self.file, self.folder)

    def append(self, batch: pa.RecordBatch) -> None:
        start = self.file.seek(0, io.SEEK_END)
        with pa.ipc.new_stream(self.file, batch.schema) as writer:  # each chunk has its own types
            writer.write_batch(batch)
        self.spans.append((start, self.file.tell() - start))

    def batches(self) -> Iterator[pa.RecordBatch]:
        for start, length in self.spans:
            self.file.seek(start)
            yield pa.ipc.open_stream(self.file.read(length)).read_next_batch()

    def run(self, table_or_batches: pa.Table | Iterable[pa.Table], schema: pa.Schema, batch_rows: int):
        """A sorted run written aside (an Arrow IPC file, in batches of `batch_rows` rows), to be read
        back a batch at a time: not memory-mapped, since mapped pages count as the process's memory."""
        self.runs += 1
        path = self.folder / f"run-{self.runs}.arrow" if self.folder else None
        sink = pa.OSFile(str(path), "wb") if path else pa.BufferOutputStream()
        with pa.ipc.new_file(sink, schema) as writer:
            for table in [table_or_batches] if isinstance(table_or_batches, pa.Table) else table_or_batches:
                writer.write_table(table, max_chunksize=batch_rows)
        if path is None:
            return pa.ipc.open_file(sink.getvalue())
        sink.close()
        return pa.ipc.open_file(pa.OSFile(str(path)))


def _remove(file: io.IOBase, folder: Path | None) -> None:
    file.close()
    if folder:
        shutil.rmtree(folder, ignore_errors=True)


class RowGroups:
    """Tables in, row groups of exactly `rows` rows out (the last one smaller), each contiguous."""

    def __init__(self, write: Callable[[pa.Table], None], rows: int):
        self.write, self.rows = write, rows
        self.pending: list[pa.Table] = []
        self.count = self.written = 0

    def add(self, table: pa.Table) -> None:
        self.pending.append(table)
        self.count += table.num_rows
        while self.count >= self.rows:
            whole = pa.concat_tables(self.pending)
            self._emit(whole.slice(0, self.rows))
            rest = whole.slice(self.rows)
            self.pending, self.count = [rest], rest.num_rows

    def close(self, schema: pa.Schema) -> int:
        """Write what is left; the rows written."""
        if self.count or not self.written:  # an empty table is still a file, with its schema
            self._emit(pa.concat_tables(self.pending) if self.pending else schema.empty_table())
        return self.written

    def _emit(self, table: pa.Table) -> None:
        self.write(table.combine_chunks())
        self.written += table.num_rows
        self.pending = []


def write_in_key_order(batches: Batches, key: list[str], out: RowGroups, spill: Spill, schema: pa.Schema) -> int:
    """Every row of the table into `out`, sorted by `key` (stable); the rows written."""
    if not key or _in_order(batches(), key):
        for batch in batches():
            out.add(pa.Table.from_batches([batch]))
        return out.close(schema)
    order = [(k, "ascending") for k in key] + [(SEQ, "ascending")]
    runs, whole, batch_rows = _sorted_runs(batches(), order, spill)
    if whole is not None:  # one run: the table fits in memory
        out.add(whole.drop_columns([SEQ]))
        return out.close(schema)
    while len(runs) > FAN_IN:  # merged in rounds, so the merge holds at most FAN_IN runs
        runs = [
            spill.run(_merge(runs[i : i + FAN_IN], order), runs[0].schema, batch_rows)
            for i in range(0, len(runs), FAN_IN)
        ]
    for table in _merge(runs, order):
        out.add(table.drop_columns([SEQ]))
    return out.close(schema)


def _in_order(batches: Iterable[pa.RecordBatch], key: list[str]) -> bool:
    """Whether the rows are already in key order: each chunk's keys, after the last row before it."""
    before: pa.Table | None = None
    order = [(k, "ascending") for k in key]
    for batch in batches:
        keys = pa.Table.from_batches([batch.select(key)])
        if before is not None:
            keys = pa.concat_tables([before, keys])
        if keys.num_rows > 1:
            indices = pc.sort_indices(keys, sort_keys=order).to_numpy()
            if not np.array_equal(indices, np.arange(keys.num_rows)):
                return False
        before = keys.slice(keys.num_rows - 1).combine_chunks() if keys.num_rows else before
    return True


def _sorted_runs(
    batches: Iterable[pa.RecordBatch], order: list[tuple[str, str]], spill: Spill
) -> tuple[list, pa.Table | None, int]:
    """The table cut into sorted runs of about RUN_BYTES, each spilled in batches sized for the
    merge (and that size); or, when the whole table is one run, that run in memory."""
    runs: list = []
    pending: list[pa.RecordBatch] = []
    size = position = batch_rows = 0
    for batch in batches:
        rows = pa.array(np.arange(position, position + batch.num_rows, dtype=np.uint64))
        pending.append(pa.RecordBatch.from_arrays([*batch.columns, rows], [*batch.schema.names, SEQ]))
        position += batch.num_rows
        size += batch.nbytes
        if size >= RUN_BYTES:
            run = _sort(pending, order)
            pending, size = [], 0
            batch_rows = batch_rows or max(1, MERGE_BYTES // FAN_IN * run.num_rows // max(run.nbytes, 1))
            runs.append(spill.run(run, run.schema, batch_rows))
    if not runs:
        return [], _sort(pending, order) if pending else None, 0
    if pending:
        run = _sort(pending, order)
        runs.append(spill.run(run, run.schema, batch_rows))
    return runs, None, batch_rows


def _sort(batches: list[pa.RecordBatch], order: list[tuple[str, str]]) -> pa.Table:
    table = pa.Table.from_batches(batches)
    return table.take(pc.sort_indices(table, sort_keys=order))


def _merge(runs: list, order: list[tuple[str, str]]) -> Iterator[pa.Table]:
    """The runs' rows in one sorted stream. Each step sorts what the runs hold in memory and gives
    every row up to the smallest last row among the runs that have more on disk: no row still on
    disk can come before it (each run is sorted, and no two rows share a key and a position)."""
    held: list = [run.get_batch(0) if run.num_record_batches else None for run in runs]
    following = [1] * len(runs)
    while True:
        live = [r for r, b in enumerate(held) if b is not None and b.num_rows]
        if not live:
            return
        table = pa.Table.from_batches([held[r] for r in live]).combine_chunks()
        sizes = np.array([held[r].num_rows for r in live])
        owner = np.repeat(np.arange(len(live)), sizes)
        indices = pc.sort_indices(table, sort_keys=order).to_numpy()
        place = np.empty_like(indices)
        place[indices] = np.arange(len(indices))
        lasts = np.cumsum(sizes) - 1
        bounds = [place[lasts[i]] for i, r in enumerate(live) if following[r] < runs[r].num_record_batches]
        upto = int(min(bounds)) + 1 if bounds else len(indices)
        yield table.take(pa.array(indices[:upto]))
        taken = np.bincount(owner[indices[:upto]], minlength=len(live))
        for i, r in enumerate(live):
            rest = held[r].slice(int(taken[i]))
            if rest.num_rows == 0 and following[r] < runs[r].num_record_batches:
                rest = runs[r].get_batch(following[r])
                following[r] += 1
            held[r] = rest
