"""Per-dataset work on every core: datasets do not depend on each other until the catalog."""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor

Progress = Callable[[str, int, int], None]  # (stage, done, total)


def run_each(func: Callable, items: Sequence, *args, stage: str = "", progress: Progress | None = None) -> list:
    """func(item, *args) for every item, in order; in worker processes when it pays off."""
    total = len(items)
    workers = min(os.cpu_count() or 1, total)
    if workers < 2 or total < 8:
        results = []
        for i, item in enumerate(items, 1):
            results.append(func(item, *args))
            if progress:
                progress(stage, i, total)
        return results
    # Chunks keep the cost of passing work between processes small next to the work itself.
    chunk = max(1, min(32, total // (workers * 8)))
    with ProcessPoolExecutor(max_workers=workers) as pool:
        results = []
        for i, result in enumerate(pool.map(_call, [(func, item, args) for item in items], chunksize=chunk), 1):
            results.append(result)
            if progress:
                progress(stage, i, total)
        return results


def _call(job):
    func, item, args = job
    return func(item, *args)
