"""Per-dataset work on every core: datasets do not depend on each other until the catalog."""

from __future__ import annotations

import ctypes
import os
import queue
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor, ThreadPoolExecutor
from contextlib import contextmanager, suppress
from dataclasses import dataclass

try:
    import resource
except ImportError:  # Windows has no getrusage: only this process's CPU is counted there
    resource = None  # type: ignore[assignment]  # typeshed has the module on every platform; _cpu() checks for None

Progress = Callable[[str, int, int], None]  # (stage, done, total)


@dataclass
class Timing:
    """Wall time and CPU time of one stage, its worker processes included once they have ended."""

    items: int = 0
    seconds: float = 0.0
    cpu: float = 0.0

    @property
    def cores(self) -> float:
        """CPU time over wall time: how many cores the stage kept busy."""
        return self.cpu / self.seconds if self.seconds else 0.0


@contextmanager
def timed(items: int) -> Iterator[Timing]:
    timing = Timing(items)
    start, before = time.perf_counter(), _cpu()
    try:
        yield timing
    finally:
        timing.seconds, timing.cpu = time.perf_counter() - start, _cpu() - before


def _cpu() -> float:
    if resource is None:
        return time.process_time()
    own, ended = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + ended.ru_utime + ended.ru_stime


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


def ahead(items: Iterable, depth: int = 2) -> Iterator:
    """The items of an iterator produced in a thread, up to `depth` ahead of the consumer.

    For pyarrow's CSV reader, which releases the GIL: the next batch is parsed on the
    other core while this one is checked. Exceptions reach the consumer in order.
    """
    box: queue.Queue = queue.Queue(maxsize=depth)
    done = object()
    stop = threading.Event()

    def produce():
        try:
            for item in items:
                if stop.is_set():
                    return
                box.put((item, None))
            box.put((done, None))
        except BaseException as exc:  # noqa: BLE001 - handed to the consumer
            box.put((done, exc))

    thread = threading.Thread(target=produce, daemon=True)
    thread.start()
    try:
        while True:
            item, exc = box.get()
            if exc is not None:
                raise exc
            if item is done:
                return
            yield item
    finally:
        stop.set()
        while thread.is_alive():  # let a blocked producer finish
            try:
                box.get_nowait()
            except queue.Empty:
                thread.join(0.01)


def in_background(func: Callable, *args) -> Future:
    """func(*args) in a thread, for work that waits on imports or I/O while the caller computes."""
    pool = ThreadPoolExecutor(max_workers=1)
    future = pool.submit(func, *args)
    pool.shutdown(wait=False)
    return future


def in_own_process(func: Callable, *args) -> Future:
    """func(*args) in a process of its own, for pure-Python work (a slow import and what follows)
    that would otherwise hold the GIL the caller's threads need. func, args and the result pickle.

    The process starts the way run_each's workers start (forked where the platform forks, so
    nothing already imported is imported again).
    """
    pool = ProcessPoolExecutor(max_workers=1, initializer=die_with, initargs=(os.getpid(),))
    future = pool.submit(func, *args)
    pool.shutdown(wait=False)
    return future


def die_with(parent: int) -> None:
    """A worker's first step: on Linux it is killed when the process that started it dies, so a build
    killed with SIGKILL leaves no worker behind (one would wait for work forever, or write into build/).
    Also the first step of the generator's forked child (publish/interfaces.py)."""
    if sys.platform.startswith("linux"):
        with suppress(OSError, AttributeError):
            ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent:  # it died before the request was made
        os._exit(1)


PR_SET_PDEATHSIG = 1
