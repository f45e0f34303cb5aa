"""The URL contract: a path, once published, keeps answering.

`urls.lock` (committed, append-only) lists every public path the site ever published,
one per line, as a path under the site URL ("/datasets/x/x.csv"). Each build compares
today's paths with it: a locked path that is gone is an error naming the path and its
line, unless `redirects.yml` maps it to the path that replaced it (a page becomes a
redirect page with a canonical link, a file a copy of its new self). A new path is a
warning until `gongkai lock` appends it, so every addition shows up in a pull request.
"""

from __future__ import annotations

import html
import json
import posixpath
from pathlib import Path

import yaml

from .history import is_versioned
from .problems import Problem

LOCK = "urls.lock"
REDIRECTS = "redirects.yml"
WITHDRAWN = "withdrawn"
HEADER = "# Every public path this site has published (append-only; `gongkai lock` adds new ones).\n"


def public_paths(files: dict) -> set[str]:
    """The paths people and programs link to, from the generated file map (MkDocs turns
    a.md into /a/ and a/index.md into /a/; a/index.en.md is /en/a/). Theme assets and stylesheets are not a contract."""
    paths = set()
    for rel in files:
        if rel.startswith(("assets/", "_")):  # theme assets; host settings (_headers, _redirects)
            continue
        if rel.endswith(".md"):
            page = rel[: -len(".md")]
            english = page.endswith(".en")  # a.en.md is the English a.md, published under /en/ (i18n plugin)
            page = page[: -len(".en")] if english else page
            page = page[: -len("index")] if page == "index" or page.endswith("/index") else page + "/"
            paths.add("/" + ("en/" if english else "") + page)
        else:
            paths.add("/" + rel)
    return paths


def read_lock(root: Path) -> list[tuple[int, str, str | None]] | None:
    """(line, path, mark) for every line of urls.lock, or None when the site has no lock yet.
    The mark is a version file's SHA-256 (its bytes may never change), "withdrawn", or None."""
    path = root / LOCK
    if not path.is_file():
        return None
    found = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        line = line.strip()
        if line and not line.startswith("#"):
            locked, _, mark = line.partition(" ")
            found.append((number, locked, mark.strip() or None))
    return found


def read_redirects(root: Path, published: set[str]) -> tuple[dict[str, str], list[Problem]]:
    """old path -> new path from redirects.yml, each checked; problems name the line."""
    path = root / REDIRECTS
    if not path.is_file():
        return {}, []
    text = path.read_text(encoding="utf-8")
    try:
        data = yaml.safe_load(text) or {}
    except yaml.YAMLError as exc:
        return {}, [Problem("invalid-redirects", f"not valid YAML: {exc}", REDIRECTS)]
    if not isinstance(data, dict):
        return {}, [Problem("invalid-redirects", "must map old paths to new ones, e.g. /datasets/old-name/: /datasets/new-name/", REDIRECTS)]
    lines = {line.split(":", 1)[0].strip().strip("'\""): n for n, line in enumerate(text.splitlines(), 1)}
    redirects, problems = {}, []
    for old, new in data.items():
        where = lines.get(str(old))
        if not (isinstance(old, str) and isinstance(new, str) and old.startswith("/") and new.startswith("/")):
            problems.append(Problem("invalid-redirects", f"{old!r}: both paths must be strings starting with /", REDIRECTS, line=where))
        elif old in published:
            problems.append(Problem("invalid-redirects", f"{old} is still published; a redirect would hide it", REDIRECTS, line=where))
        elif new not in published:
            problems.append(Problem("invalid-redirects", f"{old} redirects to {new}, which the site does not publish", REDIRECTS, line=where))
        elif old.endswith("/") != new.endswith("/"):
            problems.append(Problem("invalid-redirects", f"{old} and {new}: a page redirects to a page, a file to a file", REDIRECTS, line=where))
        else:
            redirects[old] = new
    for old, new in list(redirects.items()):  # a moved page's English version moves with it
        if old.endswith("/") and "/en" + new in published and "/en" + old not in published:
            redirects.setdefault("/en" + old, "/en" + new)
    return redirects, problems


def check_lock(
    lock, published: set[str], redirects: dict[str, str], digests: dict[str, str], withdrawn: tuple[str, ...] = (), *, history: bool = True
) -> list[Problem]:
    """digests: /path -> sha256 of every versioned file built today; withdrawn: path prefixes
    of withdrawn datasets (withdrawals.py), whose paths may be gone; history: whether old
    versions could be built (a copy without git history warns about them instead)."""
    if lock is None:
        return []
    problems = []
    checked = set()
    for line, path, mark in lock:
        if path in checked:
            continue  # a later line only marks a path already listed
        checked.add(path)
        if path not in published and path not in redirects and not path.startswith(withdrawn or ("\0",)):
            if not history and is_versioned(path):
                message = f"{path} is not built here: this copy has no git history, and old versions come from it"
                problems.append(Problem("url-removed", message, LOCK, line=line, severity="warning"))
                continue
            message = f"{path} was published and is gone: restore it, or map it to its new place in {REDIRECTS} (see the maintainer's guide)"
            problems.append(Problem("url-removed", message, LOCK, line=line))
        elif mark and mark != WITHDRAWN and path in digests and digests[path] != mark:
            message = f"{path} is a published version's file and its bytes changed (locked sha256 {mark[:12]}…, now {digests[path][:12]}…); a version never changes: publish a new one"
            problems.append(Problem("url-changed", message, LOCK, line=line))
    for path in sorted(published - checked):
        problems.append(Problem("url-not-locked", f"{path} is new: run `gongkai lock` and commit {LOCK}", LOCK, severity="warning"))
    return problems


def redirect_files(redirects: dict[str, str], files: dict) -> dict:
    """Site files that keep old paths answering: redirect pages, and copies of moved files."""
    out = {}
    for old, new in redirects.items():
        if old.endswith("/"):
            out[old[1:] + "index.html"] = _redirect_page(old, new)
        else:
            out[old[1:]] = files[new[1:]]
    return out


def _redirect_page(old: str, new: str) -> bytes:
    # Relative, so it works under any mount path; canonical, so search engines move on.
    target = html.escape(posixpath.relpath(new, old) + "/", quote=True)
    return (
        '<!doctype html>\n<html lang="zh-CN">\n<head>\n<meta charset="utf-8">\n<title>页面已迁移</title>\n'
        f'<link rel="canonical" href="{target}">\n<meta http-equiv="refresh" content="0; url={target}">\n</head>\n'
        f'<body>\n<p>本页已迁移到 <a href="{target}">新地址</a>。</p>\n</body>\n</html>\n'
    ).encode()


def urls_json(published: set[str], redirects: dict[str, str], withdrawn: tuple[str, ...] = ()) -> bytes:
    data = {"paths": sorted(published), "redirects": dict(sorted(redirects.items())), "withdrawn": sorted(withdrawn)}
    return (json.dumps(data, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def lock_text(
    lock, root: Path, published: set[str], redirects: dict[str, str], digests: dict[str, str], withdrawn: tuple[str, ...] = ()
) -> tuple[str, list[str]]:
    """urls.lock with today's new paths appended, and paths of withdrawn datasets marked
    (never removing a line); and the lines added."""
    existing = (root / LOCK).read_text(encoding="utf-8") if lock is not None else HEADER
    locked = {path for _, path, _ in lock or []}
    marked = {path for _, path, mark in lock or [] if mark == WITHDRAWN}
    added = [f"{path} {digests[path]}" if path in digests else path for path in sorted((published | set(redirects)) - locked)]
    gone = sorted(p for p in locked - published - set(redirects) - marked if withdrawn and p.startswith(withdrawn))
    added += [f"{path} {WITHDRAWN}" for path in gone]
    text = existing if existing.endswith("\n") or not existing else existing + "\n"
    return text + "".join(f"{line}\n" for line in added), added


def host_files(redirects: dict[str, str], versioned: dict[str, str]) -> dict[str, bytes]:
    """_headers and _redirects for static hosts that read them (Netlify, Cloudflare Pages);
    paths are relative to the folder the host serves. Elsewhere the redirect pages and file
    copies do the same work, and GitHub Pages already sends CORS headers. A version's files
    never change, so hosts may cache them for good."""
    headers = (
        "/*\n  Access-Control-Allow-Origin: *\n  X-Content-Type-Options: nosniff\n"
        "/datasets/*\n  Cache-Control: public, max-age=3600\n"
        "/catalog.json\n  Cache-Control: public, max-age=600\n"
    )
    folders = sorted({path.rsplit("/", 1)[0] for path in versioned})
    headers += "".join(f"{folder}/*\n  Cache-Control: public, max-age=31536000, immutable\n" for folder in folders)
    moved = "".join(f"{old} {new} 301\n" for old, new in sorted(redirects.items()))
    return {"_headers": headers.encode("utf-8"), "_redirects": moved.encode("utf-8")}
