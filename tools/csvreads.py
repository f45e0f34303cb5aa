"""How many times a fresh build's pipeline opens each data file, and where from.

    python tools/csvreads.py [REPO] [--file SUFFIX]

Runs the pipeline (validation, exports, pages; not MkDocs) of REPO (default: this checkout)
in one process with an empty cache, and counts every open of a file under datasets/*/data/
for reading, by the three innermost gongkai (or frictionless) functions that opened it.
Reads made inside pyarrow's C++ reader are not seen by Python's audit hook: each pyarrow
pass over a file shows as the `_shape` count of the same pass (columns.batches). The
cache folder (build/) is deleted first; nothing else is touched.
"""

from __future__ import annotations

import argparse
import collections
import os
import shutil
import sys
import traceback
from pathlib import Path


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("repo", nargs="?", default=".", type=Path)
    parser.add_argument("--file", default="", help="count only files whose path ends with this")
    args = parser.parse_args()
    root = args.repo.resolve()
    data = str(root / "datasets")
    shutil.rmtree(root / "build", ignore_errors=True)
    os.cpu_count = lambda: 1  # one process: the workers' opens are counted too
    counts: dict[str, collections.Counter] = collections.defaultdict(collections.Counter)

    def hook(event: str, hook_args: tuple) -> None:
        if event != "open" or not isinstance(hook_args[0], (str, os.PathLike)):
            return
        path = os.fspath(hook_args[0])
        mode = str(hook_args[1] or "r")
        if not path.startswith(data) or "/data/" not in path or not path.endswith(args.file) or set(mode) & set("wax+"):
            return
        frames = [f for f in traceback.extract_stack()[:-1] if "gongkai" in f.filename or "frictionless" in f.filename]
        where = " < ".join(f"{Path(f.filename).stem}.{f.name}" for f in frames[-1:-4:-1])
        counts[os.path.relpath(path, root)][where] += 1

    sys.addaudithook(hook)
    from gongkai.build import generate_docs

    generate_docs(root)
    for path in sorted(counts):
        print(f"{path}: {sum(counts[path].values())} opens")
        for where, n in counts[path].most_common():
            print(f"  {n}  {where}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
