"""The process that draws one dataset's charts (charts.py starts it): a spec that makes V8
run out of memory or vl-convert panic aborts this process, never the build.

Run as a script, and on purpose knows nothing of gongkai: it reads one JSON job on stdin,
{"megabytes": M, "seconds": S, "fonts": [folder, ...], "charts": [{"vl_spec": ..., "config": ...,
"format_locale": ..., "time_format_locale": ...}, ...]}, limits itself, and writes one JSON line
per chart, in order, as each is drawn: {"svg": "<svg ..."} or {"error": "why"}.
"""

from __future__ import annotations

import json
import sys

try:
    import resource
except ImportError:  # Windows: the parent's time limit is the only bound there
    resource = None  # type: ignore[assignment]  # typeshed has the module on every platform; limit() checks for None


def limit(megabytes: int, seconds: int) -> None:
    """Bound this process's memory and CPU time.

    The memory bound is RLIMIT_DATA (writable private memory), not RLIMIT_AS: V8 reserves far
    more address space than it uses (its cages need more than 64 GB of it before drawing
    anything), so an address-space bound either stops every chart or none. What V8 actually
    commits for its heap is writable memory, which RLIMIT_DATA counts. The CPU bound stops a
    child whose parent is gone.
    """
    if resource is None:
        return
    for kind, value in (
        (resource.RLIMIT_DATA, megabytes << 20),
        (resource.RLIMIT_CPU, seconds + 1),
        (resource.RLIMIT_CORE, 0),
    ):  # no core file from an abort
        try:
            resource.setrlimit(kind, (value, value))
        except (
            ValueError,
            OSError,
        ):  # a platform that does not allow it (macOS for RLIMIT_DATA): the parent's time limit still holds
            pass


def main() -> None:
    job = json.loads(sys.stdin.buffer.read())
    limit(job["megabytes"], job["seconds"])
    import vl_convert as vlc

    for folder in job["fonts"]:
        vlc.register_font_directory(folder)
    for chart in job["charts"]:
        try:
            # never fetch anything, whatever the spec names
            result = {"svg": vlc.vegalite_to_svg(**chart, allowed_base_urls=[])}
        except Exception as exc:  # noqa: BLE001 - vl-convert raises ValueError and others; each is this chart's problem
            result = {"error": f"{type(exc).__name__}: {exc}"}
        sys.stdout.write(json.dumps(result, ensure_ascii=False) + "\n")
        sys.stdout.flush()


if __name__ == "__main__":
    main()
