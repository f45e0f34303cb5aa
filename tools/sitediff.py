"""Build the site of a git ref and of the working tree, and compare them byte for byte.

    python tools/sitediff.py main~1             # or: make site-diff REF=main~1
    python tools/sitediff.py main~1 --site site  # compare with a site/ already built here

Each side is built fresh in its own temporary `git worktree` (no `build/` cache), with that
side's own code (`PYTHONPATH=<worktree>/scripts python -m gongkai.cli build`):

- the ref: the worktree checked out at REF;
- the working tree: a worktree at HEAD with the checkout's uncommitted changes copied over
  (modified and untracked files, deletions), so the checkout's own `build/` and `site/` are
  never touched. `--site DIR` uses a site already built from the working tree instead.

Both worktrees are removed afterwards, also when a build fails or the run is interrupted.

Builds are reproducible by design: file timestamps come from the data, and the quality panel
is dated by the commit day of HEAD (`git log -1 --format=%cs`). So two commits of the same day
build the same site, and a ref committed on another day differs in the quality pages' dates
(and whatever timeliness scores follow from them); history is read from git, so a commit
that publishes a new version differs in its version folders too.

Exit status: 0 identical, 1 the sites differ, 2 a build or git failed.
"""

from __future__ import annotations

import argparse
import difflib
import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TEXT = {".html", ".md", ".json", ".jsonld", ".xml", ".csv", ".txt", ".js", ".css", ".svg", ".yml", ".yaml", ""}
SHOWN_FILES = 20  # changed files whose lines are printed
SHOWN_LINES = 6  # differing lines printed per file
WIDTH = 160  # characters of a line printed around its first difference


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("ref", help="the git ref to compare with, e.g. main~1")
    p.add_argument(
        "--site", type=Path, help="an already built site of the working tree to compare instead of building it"
    )
    args = p.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="sitediff-") as tmp:
        tmp = Path(tmp)
        worktrees: list[Path] = []
        try:
            before = _build_ref(args.ref, tmp / "ref", worktrees)
            after = args.site.resolve() if args.site else _build_working_tree(tmp / "now", worktrees)
            return _report(before, after, args.ref)
        except subprocess.CalledProcessError as exc:
            print(
                (
                    f"sitediff: {' '.join(map(str, exc.cmd[:4]))} failed (exit {exc.returncode}):\n"
                    f"{exc.stdout or ''}{exc.stderr or ''}"
                ),
                file=sys.stderr,
            )
            return 2
        finally:  # the worktrees go, whatever happened
            for tree in worktrees:
                _git("worktree", "remove", "--force", str(tree), check=False)
            _git("worktree", "prune", check=False)


def _git(*args: str, cwd: Path = ROOT, check: bool = True) -> str:
    return subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, check=check).stdout


def _add_worktree(path: Path, ref: str, worktrees: list[Path]) -> None:
    _git("worktree", "add", "--detach", "--quiet", str(path), ref)
    worktrees.append(path)


def _build_ref(ref: str, path: Path, worktrees: list[Path]) -> Path:
    _add_worktree(path, ref, worktrees)
    return _build(path, ref)


# A worktree at HEAD plus what the checkout has not committed: the same files, its own git view.
def _build_working_tree(path: Path, worktrees: list[Path]) -> Path:
    _add_worktree(path, "HEAD", worktrees)
    changed = _git("diff", "--name-only", "-z", "HEAD").split("\0")  # staged or not
    untracked = _git("ls-files", "--others", "--exclude-standard", "-z").split("\0")
    for name in filter(None, changed + untracked):
        source, target = ROOT / name, path / name
        if source.is_file() and not source.is_symlink():
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target)
        elif not source.exists():
            target.unlink(missing_ok=True)
    return _build(path, "the working tree")


def _build(tree: Path, label: str) -> Path:
    print(f"sitediff: building {label} ({_git('rev-parse', '--short', 'HEAD', cwd=tree).strip()}) ...", file=sys.stderr)
    env = dict(os.environ, PYTHONPATH=str(tree / "scripts"))  # its own code, ahead of the installed package
    subprocess.run(
        [sys.executable, "-m", "gongkai.cli", "build"], cwd=tree, env=env, capture_output=True, text=True, check=True
    )
    return tree / "site"


def _digests(site: Path) -> dict[str, str]:
    return {
        p.relative_to(site).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(site.rglob("*"))
        if p.is_file()
    }


def _report(before: Path, after: Path, ref: str) -> int:
    old, new = _digests(before), _digests(after)
    if not old or not new:  # an empty side would make any two sites "identical"
        print(f"sitediff: no site was built ({before if not old else after} holds no file)", file=sys.stderr)
        return 2
    removed = sorted(old.keys() - new.keys())
    added = sorted(new.keys() - old.keys())
    changed = sorted(k for k in old.keys() & new.keys() if old[k] != new[k])
    for name in removed:
        print(f"removed  {name}")
    for name in added:
        print(f"added    {name}")
    for i, name in enumerate(changed):
        print(f"changed  {name}")
        if i < SHOWN_FILES:
            for line in _differing_lines(before / name, after / name):
                print(f"    {line}")
    if not (removed or added or changed):
        print(f"identical: {len(new)} files (the site of {ref} and of the working tree)")
        return 0
    print(
        f"{len(changed)} changed, {len(added)} added, {len(removed)} "
        f"removed (of {len(old)} files in {ref}, {len(new)} now)"
    )
    return 1


# The first few lines that differ, each cut to the part around its first differing character.
def _differing_lines(a: Path, b: Path) -> list[str]:
    if a.suffix not in TEXT:
        return [f"binary: {a.stat().st_size:,} -> {b.stat().st_size:,} bytes"]
    try:
        old, new = a.read_text(encoding="utf-8").splitlines(), b.read_text(encoding="utf-8").splitlines()
    except UnicodeDecodeError:
        return ["not UTF-8 text"]
    lines: list[str] = []
    for group in difflib.SequenceMatcher(None, old, new, autojunk=False).get_grouped_opcodes(0):
        for tag, i1, i2, j1, j2 in group:
            paired = min(i2 - i1, j2 - j1) if tag == "replace" else 0
            for k in range(paired):  # a changed line: both sides from just before the first difference
                x, y = old[i1 + k], new[j1 + k]
                start = max(0, len(os.path.commonprefix([x, y])) - WIDTH // 4)
                lines += [f"-{i1 + k + 1}: {_cut(x, start)}", f"+{j1 + k + 1}: {_cut(y, start)}"]
            lines += [f"-{i + 1}: {_cut(old[i], 0)}" for i in range(i1 + paired, i2)]
            lines += [f"+{j + 1}: {_cut(new[j], 0)}" for j in range(j1 + paired, j2)]
        if len(lines) >= SHOWN_LINES:
            break
    return lines[:SHOWN_LINES] + ([f"... ({len(lines) - SHOWN_LINES}+ more)"] if len(lines) > SHOWN_LINES else [])


def _cut(line: str, start: int) -> str:
    piece = line[start : start + WIDTH]
    return ("…" if start else "") + piece + ("…" if start + WIDTH < len(line) else "")


if __name__ == "__main__":
    sys.exit(main())
