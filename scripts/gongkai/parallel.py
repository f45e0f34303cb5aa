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
    with ProcessPoolExecutor(max_workers=workers) as pool:
        futures = [pool.submit(func, item, *args) for item in items]
        results = []
        for i, future in enumerate(futures, 1):
            results.append(future.result())
            if progress:
                progress(stage, i, total)
        return results
