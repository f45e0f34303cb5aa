"""redirects.yml: old public paths mapped to the paths that replaced them, so a locked URL keeps answering.

Each entry is checked (read_redirects) before the build writes anything for it: both paths pass
pathcheck.resolve, the new one is published, a page maps to a page and a file to a file of the
same type, and the old one lands on nothing the site already has. A moved page's English page
moves with it. redirect_files makes what answers at each old path: a redirect page with a
canonical link, or a copy of the moved file. The URL contract (urls.py) accepts a locked path
that redirects.yml maps.
"""

from __future__ import annotations

import posixpath
from pathlib import Path

from ..core import repofiles, safeyaml, sitepaths
from ..core.config import Limits
from ..core.jsonlines import line_of, pointer
from ..core.pathcheck import require, resolve
from ..core.problems import Problem
from ..core.yamllines import value_lines
from ..render.templating import render

REDIRECTS = "redirects.yml"
INVALID_REDIRECTS = "invalid-redirects"


def read_redirects(root: Path, published: set[str], *, limits: Limits) -> tuple[dict[str, str], list[Problem]]:
    """old path -> new path from redirects.yml, each checked; problems name the line and the value.
    Both paths pass pathcheck.resolve; the old one becomes a file in the site, so it must not
    be the site's own route nor land on (or inside, or around) a file the site publishes."""
    entries, problems = _redirect_entries(root, limits)
    outputs, folders = _occupied(published)
    redirects = {}
    for line, old, new in entries:
        problem = _redirect_problem(old, new, published, outputs, folders)
        if problem:
            problems.append(Problem(INVALID_REDIRECTS, problem[0], REDIRECTS, line=line, params={"zh": problem[1]}))
            continue
        redirects[old] = new
        _occupy(_output(old), outputs, folders)
    for line, old, new in entries:  # a moved page's English version moves with it
        old_en, new_en = sitepaths.english_page(old), sitepaths.english_page(new)
        if old in redirects and old.endswith("/") and new_en in published and old_en not in published:
            clash = _clash(_output(old_en), outputs, folders)
            if clash:
                message, zh = f"{old}: its English page {old_en} {clash[0]}", f"{old}：它的英文页面 {old_en} {clash[1]}"
                problems.append(Problem(INVALID_REDIRECTS, message, REDIRECTS, line=line, params={"zh": zh}))
                continue
            redirects.setdefault(old_en, new_en)
            _occupy(_output(old_en), outputs, folders)
    return redirects, problems


def redirected_paths(root: Path, *, limits: Limits) -> set[str]:
    """The old paths redirects.yml names (as the build reads them), for the gate; the build reports a broken file."""
    return {old for _, old, _ in _redirect_entries(root, limits)[0]}


def _redirect_entries(root: Path, limits: Limits) -> tuple[list[tuple[int | None, str, str]], list[Problem]]:
    """(line, old, new) for each entry of redirects.yml whose two paths resolve (sitepaths)."""
    if not repofiles.exists(root, REDIRECTS):
        return [], []
    text = repofiles.read_text(root, REDIRECTS)
    try:
        data = safeyaml.load(text, max_bytes=limits.max_yaml_bytes, max_depth=limits.max_nesting)
    except safeyaml.YamlRefused as refused:
        zh = f"不能安全地读取 {REDIRECTS}（“{refused.message}”）"
        return [], [Problem(INVALID_REDIRECTS, refused.message, REDIRECTS, line=refused.line, params={"zh": zh})]
    if data is None:
        return [], []
    if not isinstance(data, dict):
        return [], [
            Problem(
                INVALID_REDIRECTS,
                "must map old paths to new ones, e.g. /datasets/old-name/: /datasets/new-name/",
                REDIRECTS,
                line=1,
                params={"zh": "应把旧路径映射到新路径，例如 /datasets/old-name/: /datasets/new-name/"},
            )
        ]
    lines = value_lines(text)
    entries, problems = [], []
    for raw_old, raw_new in data.items():
        where = line_of(lines, pointer((str(raw_old),)))
        old, refused_old = resolve(raw_old, code=INVALID_REDIRECTS, file=REDIRECTS, line=where, what="old path")
        new, refused_new = resolve(
            raw_new, code=INVALID_REDIRECTS, file=REDIRECTS, line=where, what="new path", owned=False
        )
        problems += [p for p in (refused_old, refused_new) if p]
        if old and new:
            entries.append((where, old, new))
    return entries, problems


def _redirect_problem(
    old: str, new: str, published: set[str], outputs: set[str], folders: set[str]
) -> tuple[str, str] | None:
    """Why an entry is refused, in English and in Chinese, or None."""
    if old in published:
        return f"{old} is still published; a redirect would hide it", f"{old} 仍在发布；重定向会把它盖住"
    if new not in published:
        return f"{old} redirects to {new}, which the site does not publish", f"{old} 重定向到 {new}，而本站没有发布它"
    if old.endswith("/") != new.endswith("/"):
        return (
            f"{old} and {new}: a page redirects to a page, a file to a file",
            f"{old} 与 {new}：页面只能重定向到页面，文件只能到文件",
        )
    if not old.endswith("/") and posixpath.splitext(old)[1].casefold() != posixpath.splitext(new)[1].casefold():
        # A copy keeps its type: a CSV copied to /x.html or /x.md would be served, or rendered, as a page.
        ext = posixpath.splitext(new)[1]
        return (
            f"{old} and {new}: a file redirects to a file of the same type ({ext or 'no extension'})",
            f"{old} 与 {new}：文件只能重定向到同一类型（{ext or '无扩展名'}）的文件",
        )
    clash = _clash(_output(old), outputs, folders)
    return (f"{old} {clash[0]}", f"{old} {clash[1]}") if clash else None


def _output(path: str) -> str:
    """The file in the site a path is answered by (case-folded: some file systems ignore case)."""
    return (path + "index.html" if path.endswith("/") else path).casefold()


def _occupied(published: set[str]) -> tuple[set[str], set[str]]:
    outputs: set[str] = set()
    folders: set[str] = set()
    for path in published:
        _occupy(_output(path), outputs, folders)
    return outputs, folders


def _occupy(output: str, outputs: set[str], folders: set[str]) -> None:
    outputs.add(output)
    folder = posixpath.dirname(output)
    while folder not in folders and folder != "/":
        folders.add(folder)
        folder = posixpath.dirname(folder)


def _clash(output: str, outputs: set[str], folders: set[str]) -> tuple[str, str] | None:
    """Why writing the site file `output` would replace or break one the site already has (English, Chinese)."""
    if output in outputs:
        return f"would be written as {output}, which the site already has", f"会写成 {output}，而本站已经有这个文件"
    if output in folders:
        return (
            f"would be written as {output}, which is a folder of the site",
            f"会写成 {output}，而这是本站的一个文件夹",
        )
    folder = posixpath.dirname(output)
    while folder != "/":
        if folder in outputs:
            return (
                f"would be written inside {folder}, which is a file of the site",
                f"会写进 {folder}，而这是本站的一个文件",
            )
        folder = posixpath.dirname(folder)
    return None


def redirect_files(redirects: dict[str, str], files: dict) -> dict:
    """Site files that keep old paths answering: redirect pages, and copies of moved files.
    Only paths read_redirects accepted get here; require() stops anything else at the door."""
    out = {}
    for old, new in redirects.items():
        old, new = require(old), require(new)
        if old.endswith("/"):
            out[old[1:] + "index.html"] = _redirect_page(old, new)
        else:
            out[old[1:]] = files[new[1:]]
    return out


def _redirect_page(old: str, new: str) -> bytes:
    # Relative, so it works under any mount path; canonical, so search engines move on.
    return render("redirect.html.j2", target=posixpath.relpath(require(new), require(old)) + "/").encode()
