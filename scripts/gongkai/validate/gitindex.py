"""What git itself records under datasets/: no symlinks and no submodules, even unchecked-out.

A submodule or a symlink can arrive in a pull request as an index entry that the working
tree does not show as such (an empty folder, a file of text); git's own modes tell.
"""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

from ..core.problems import Problem

MODES = {
    "120000": ("symlink", "git records this as a symbolic link; links are not allowed in datasets"),
    "160000": ("submodule", "git records this as a submodule; datasets must hold their files themselves"),
}


def check_git_index(root: Path) -> Iterator[Problem]:
    if shutil.which("git") is None or not (root / ".git").exists():
        return
    result = subprocess.run(["git", "ls-files", "-s", "--", "datasets"], cwd=root, capture_output=True, text=True)
    if result.returncode != 0:
        return
    for line in result.stdout.splitlines():
        meta, _, path = line.partition("\t")
        mode = meta.split(" ", 1)[0]
        if mode in MODES:
            code, message = MODES[mode]
            parts = path.split("/")
            yield Problem(code, message, path, dataset=parts[1] if len(parts) > 1 else None, params={"rule": "git"})
