"""Every fault leaves a working site: a build killed at any moment, a damaged cache, a full disk or
a folder it cannot write."""

from __future__ import annotations

import errno
import hashlib
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from concurrent.futures import Future
from pathlib import Path

import pytest
from conftest import copy_repo, gongkai, make_repo
from gongkai import build as build_module
from gongkai import cli
from gongkai.build import generate_docs, recover_site
from gongkai.core import output
from gongkai.publish import cache, sitefiles, swap
from gongkai.read.load import discover

CACHED_JSON = "build/cache/tiny/datasets/tiny/items.json"
PUBLISHED_JSON = "site/datasets/tiny/items.json"


def tree_digest(path: Path) -> dict[str, str]:
    return {
        p.relative_to(path).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(path.rglob("*"))
        if p.is_file()
    }


def checksums_hold(site: Path) -> bool:
    """Every line of the site's SHA256SUMS names a file of the site with those bytes."""
    lines = (site / "SHA256SUMS").read_text(encoding="utf-8").splitlines()
    return bool(lines) and all(
        hashlib.sha256((site / rel).read_bytes()).hexdigest() == sha
        for sha, _, rel in (line.partition("  ") for line in lines)
    )


def leftovers(repo: Path) -> list[str]:
    return sorted(p.name for p in repo.glob("site.*"))


@pytest.fixture(scope="module")
def two_sites(built_tiny, tmp_path_factory):
    """A built repository (site A, a real build: a copy of built_tiny) and a site B for the same
    repository with docs/about.md changed (site A with that page changed: the swap tests need two
    complete sites to tell apart, not a second MkDocs run)."""
    tmp = tmp_path_factory.mktemp("faults")
    repo = copy_repo(built_tiny, tmp / "repo")
    about = repo / "docs/about.md"
    texts = {"A": about.read_text(encoding="utf-8")}
    texts["B"] = texts["A"] + "\n另一个版本的说明。\n"
    sites = {"A": tmp / "site-A", "B": tmp / "site-B"}
    shutil.copytree(repo / "site", sites["A"])
    shutil.copytree(repo / "site", sites["B"])
    page = sites["B"] / "about/index.html"
    page.write_text(
        page.read_text(encoding="utf-8").replace("</h1>", "</h1>\n<p>另一个版本的说明。</p>", 1), encoding="utf-8"
    )
    # The search index is not MkDocs' output: a build makes it beside MkDocs and puts it in after (sitefiles.py)
    about.write_text(texts["B"], encoding="utf-8")
    generate_docs(repo)
    shutil.rmtree(sites["B"] / "search")
    shutil.copytree(repo / "build/search/search", sites["B"] / "search")
    about.write_text(texts["A"], encoding="utf-8")
    generate_docs(repo)
    digests = {s: tree_digest(p) for s, p in sites.items()}
    assert digests["A"] != digests["B"]
    return {"repo": repo, "texts": texts, "sites": sites, "digests": digests}


def _copy_repo(two_sites, tmp_path: Path) -> Path:
    repo = tmp_path / "repo"
    shutil.copytree(two_sites["repo"], repo, symlinks=True)
    return repo


# --- killed builds ---------------------------------------------------------------------------


def _killable_build(
    repo: Path, sites: dict[str, Path], texts: dict[str, str], kill_at: int | tuple[str, int], exchange: bool, log: Path
) -> int:
    """`gongkai build` in a forked child whose k-th file-system step (rename, unlink, copy, the
    exchange, the marker...) is a SIGKILL; or, for kill_at = (label, n), the n-th step with that
    label from the marker of the verified site on (the steps of the swap). MkDocs is replaced by
    a copy of the site it built for the same docs (two_sites): a kill costs a second, not a build."""
    pid = os.fork()
    if pid:
        _, status = os.waitpid(pid, 0)
        return -os.WTERMSIG(status) if os.WIFSIGNALED(status) else os.WEXITSTATUS(status)
    code = 1
    try:
        os.dup2(os.open(os.devnull, os.O_WRONLY), 1)
        os.dup2(os.open(os.devnull, os.O_WRONLY), 2)
        steps: list[str] = []
        me = os.getpid()
        quiet: list[bool] = []  # while not empty, steps are not counted

        def due() -> bool:
            if isinstance(kill_at, int):
                return len(steps) == kill_at
            label, n = kill_at
            if "mark" not in steps:
                return False
            swapping = steps[steps.index("mark") :]
            return swapping[-1] == label and swapping.count(label) == n

        def counted(owner, name, label, fake=None):
            real = getattr(owner, name)

            def step(*args, **kwargs):
                if os.getpid() == me and not quiet:
                    steps.append(label)
                    if due():
                        os.kill(me, signal.SIGKILL)
                return (fake or real)(*args, **kwargs)

            setattr(owner, name, step)

        for name in ("rename", "replace", "unlink", "rmdir", "mkdir", "link"):
            counted(os, name, name)
        counted(shutil, "copyfile", "copyfile")
        counted(swap, "mark_verified", "mark")
        counted(swap, "_exchange", "exchange", fake=None if exchange else (lambda a, b: False))
        real_popen = subprocess.Popen

        class Generator:  # what publish_site asks of the generator's process
            def __init__(self, cmd, env):
                self.cmd, self.env, self.returncode = cmd, env, None

            def communicate(self):
                about = (repo / "docs/about.md").read_text(encoding="utf-8")
                state = next(s for s, text in texts.items() if text == about)
                out = self.cmd[self.cmd.index("-d") + 1]
                shutil.copytree(sites[state], out, dirs_exist_ok=True, ignore=_generator_output)
                listed = {"docs": str(repo / "build/docs"), "files": []}  # the site above holds what the hook lists
                Path(self.env[sitefiles.ENV] + ".tmp").write_text(json.dumps(listed), encoding="utf-8")
                os.rename(self.env[sitefiles.ENV] + ".tmp", self.env[sitefiles.ENV])  # whole, as the hook writes it
                self.returncode = 0
                return "", ""

        def generator(cmd, *args, **kwargs):
            return Generator(cmd, kwargs["env"]) if "-d" in cmd else real_popen(cmd, *args, **kwargs)

        subprocess.Popen = generator
        real_apart = build_module.in_own_process

        def apart(func, *args):
            # The removal of the site the last build replaced: in a process of its own, so its steps are
            # not the build's; here done first, not counted, so that every build has the same steps.
            if func is not sitefiles.settle:
                return real_apart(func, *args)
            done: Future = Future()
            quiet.append(True)
            done.set_result(func(*args))
            quiet.clear()
            return done

        build_module.in_own_process = apart
        code = cli.main(["--root", str(repo), "build"])
        log.write_text(json.dumps(steps), encoding="utf-8")
    finally:
        os._exit(code)


def _generator_output(folder: str, names: list[str]) -> list[str]:
    # what MkDocs leaves out of its site: the search index, which the build puts in after it
    return ["search"] if Path(folder).name.startswith("site-") else []


def _state_after_recovery(repo: Path, scratch: Path) -> dict[str, str] | None:
    """What the next build will start from: recovery run on a copy, so that the next build does
    its own recovery (and may be killed during it)."""
    shutil.rmtree(scratch, ignore_errors=True)
    scratch.mkdir()
    for path in repo.glob("site*"):
        shutil.copytree(path, scratch / path.name)
    recover_site(scratch / "site")
    assert leftovers(scratch) == []
    site = scratch / "site"
    return tree_digest(site) if site.exists() else None


def test_a_build_killed_at_any_step_leaves_the_old_or_the_new_complete_site(two_sites, tmp_path):
    """Twenty kills: at named steps of the swap (the one-step exchange and the two-rename
    fallback), at random steps of whole builds (recovery of an earlier kill included), and at
    random times of real builds with MkDocs; after each, site/ is the complete old or new site."""
    repo, texts, sites, digests = (
        _copy_repo(two_sites, tmp_path),
        two_sites["texts"],
        two_sites["sites"],
        two_sites["digests"],
    )
    rng = random.Random(14)
    about = repo / "docs/about.md"
    state = "A"  # what site/ holds
    log = tmp_path / "steps.json"

    def flip() -> str:
        wanted = "B" if state == "A" else "A"
        about.write_text(texts[wanted], encoding="utf-8")
        return wanted

    # A dry run of each swap path tells where its steps are.
    # A dry run of each swap path (the one-step exchange, and two renames where it is missing)
    # counts the steps of a whole build.
    total = {}
    for exchange in (True, False):
        wanted = flip()
        assert _killable_build(repo, sites, texts, 0, exchange, log) == 0
        assert tree_digest(repo / "site") == digests[wanted] and leftovers(repo) == []
        state = wanted
        total[exchange] = len(json.loads(log.read_text(encoding="utf-8")))
    # 9 kills at the swap: before the marker, before the exchange (or each rename), just after it
    # (the marker still in site/), and as the replaced site is moved aside for the next build to remove
    kills = [(True, ("mark", 1)), (True, ("exchange", 1)), (True, ("unlink", 1)), (True, ("rename", 1))]
    kills += [
        (False, ("rename", 1)),
        (False, ("rename", 2)),
        (False, ("unlink", 1)),
        (False, ("rename", 3)),
        (False, ("replace", 1)),
    ]
    kills += [(rng.random() < 0.5, None) for _ in range(7)]  # 7 at random steps
    killed, missing = 0, {True: 0, False: 0}
    for exchange, at in kills:
        wanted = flip()
        at = at or rng.randint(1, total[exchange])
        code = _killable_build(repo, sites, texts, at, exchange, log)
        assert code in (-signal.SIGKILL, 0)
        killed += code == -signal.SIGKILL
        missing[exchange] += not (
            repo / "site"
        ).exists()  # killed between the two renames: only recovery brings site/ back
        after = _state_after_recovery(repo, tmp_path / "scratch")
        assert after in (digests[state], digests[wanted]), f"kill at step {at} (exchange={exchange}) left neither site"
        state = "A" if after == digests["A"] else "B"
    # 4 kills of real builds (MkDocs included, its process killed with them) at random times,
    # two while gongkai generates the pages and two while MkDocs writes site.new/; what MkDocs
    # builds for B is not the B above, so the site is judged by its files and checksums
    for i in range(4):
        flip()
        child = subprocess.Popen(
            [sys.executable, "-m", "gongkai.cli", "build"],
            cwd=repo,
            start_new_session=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        if i >= 2:
            while not (repo / "site.new").exists() and child.poll() is None:
                time.sleep(0.02)
        time.sleep(rng.uniform(0.3, 1.5) if i < 2 else rng.uniform(0, 0.8))
        os.killpg(child.pid, signal.SIGKILL)
        killed += child.wait() == -signal.SIGKILL
        scratch = tmp_path / "scratch"
        after = _state_after_recovery(repo, scratch)
        assert after is not None and set(after) == set(digests["A"]) and checksums_hold(scratch / "site")
        state = "A" if after == digests["A"] else "B"
    assert killed >= 18  # a kill can come after the build's last step
    assert missing[False] >= 1  # the two-rename fallback's window was hit, and recovered from
    if swap._renameat2() is not None:
        assert missing[True] == 0  # with the one-step exchange there is no such window
    final = gongkai("build", cwd=repo)
    assert final.returncode == 0, final.stderr
    assert (
        leftovers(repo) == [] and set(tree_digest(repo / "site")) == set(digests["A"]) and checksums_hold(repo / "site")
    )


def test_the_next_build_restores_site_before_anything_else_even_when_it_fails(two_sites, tmp_path):
    repo = _copy_repo(two_sites, tmp_path)
    before = tree_digest(repo / "site")
    # killed between site/ -> site.old/ and site.new/ -> site/, site.new/ not yet verified
    (repo / "site").rename(repo / "site.old")
    shutil.copytree(repo / "site.old", repo / "site.new")
    (repo / "site.new/index.html").unlink()
    shutil.copytree(make_repo(tmp_path / "bad", ["type-error"]) / "datasets/type-error", repo / "datasets/type-error")
    result = gongkai("build", cwd=repo)
    assert result.returncode == 1 and "[type-error]" in result.stdout
    assert (
        "gongkai: restored site/ from site.old/, the last complete site (a build was stopped during its swap)"
        in result.stderr.splitlines()
    )
    assert tree_digest(repo / "site") == before and leftovers(repo) == []


def test_a_verified_site_new_is_finished_and_an_unverified_one_never_published(
    two_sites, tmp_path, capsys, monkeypatch
):
    repo = _copy_repo(two_sites, tmp_path)
    site = repo / "site"
    new = two_sites["sites"]["B"]
    # killed after site/ -> site.old/ with site.new/ verified: the swap is finished (by `serve` here)
    site.rename(repo / "site.old")
    shutil.copytree(new, repo / "site.new")
    swap.mark_verified(repo / "site.new")
    monkeypatch.setattr(cli.subprocess, "call", lambda *a, **k: 0)  # MkDocs' server is not started
    assert cli.main(["--root", str(repo), "serve"]) == 0
    assert (
        "gongkai: restored site/ from site.new/, which a build stopped during its swap had verified"
        in capsys.readouterr().err
    )
    assert tree_digest(site) == two_sites["digests"]["B"] and leftovers(repo) == []
    # a complete-looking site.new/ without the marker, and no site.old/: nothing is published from it
    shutil.rmtree(site)
    shutil.copytree(new, repo / "site.new")
    assert recover_site(site) is None and not site.exists() and leftovers(repo) == []


# --- the cache -------------------------------------------------------------------------------


def _garble(path: Path, keep_stat: bool = False) -> None:
    held = path.stat()
    data = bytearray(path.read_bytes())
    data[10] ^= 0x20  # same size
    os.chmod(path, 0o644)  # root or the owner can; the cache's 0444 only stops an accidental write
    with open(path, "r+b") as f:
        f.write(data)
    os.chmod(path, held.st_mode)
    if keep_stat:
        os.utime(path, ns=(held.st_atime_ns, held.st_mtime_ns))


def test_no_published_file_shares_its_bytes_with_the_cache_and_cached_files_are_read_only(built_tiny):
    repo = built_tiny  # as the build left it: a copy would give every file an inode of its own
    cached = [p for p in (repo / "build/cache").rglob("*") if p.is_file()]
    assert cached and all(p.stat().st_mode & 0o777 == 0o444 for p in cached)
    own = repo / sitefiles.FOLDER  # the site's own copies of its generated files, which it links
    copies = [p for p in own.glob("*/*") if p.is_file()]
    build = {
        (p.stat().st_dev, p.stat().st_ino) for p in (repo / "build").rglob("*") if p.is_file() and own not in p.parents
    }
    published = {(p.stat().st_dev, p.stat().st_ino) for p in (repo / "site").rglob("*") if p.is_file()}
    assert build & published == set()
    assert published & {(p.stat().st_dev, p.stat().st_ino) for p in copies}  # the downloads are links to them
    for copy in copies:  # each read-only, and named by the SHA-256 of its bytes
        assert copy.stat().st_mode & 0o777 == 0o444 and hashlib.sha256(copy.read_bytes()).hexdigest() == copy.name


def test_a_cached_file_changed_in_place_is_dropped_rebuilt_and_never_published(two_sites, tmp_path):
    repo = _copy_repo(two_sites, tmp_path)
    before = tree_digest(repo / "site")
    _garble(repo / CACHED_JSON)
    assert tree_digest(repo / "site") == before  # the garbling itself does not reach site/
    result = gongkai("build", cwd=repo)
    assert result.returncode == 0, result.stderr
    line = (
        f"{CACHED_JSON}: warning: the cached build of tiny was damaged and is rebuilt: the file no longer matches the "
        "size and SHA-256 recorded when it was written [cache-entry-dropped]"
    )
    assert line in result.stderr.splitlines()
    assert "1 dataset(s) processed" in result.stdout
    assert tree_digest(repo / "site") == before


def _restamp(repo: Path) -> None:
    # A copied repository has new inodes: the cache hashes each file once and records the new stat.
    ds = discover(repo / "datasets")[0]
    assert cache.read(repo, ds.name, cache.dataset_key(ds, (repo / "gongkai.yml").read_bytes())).entry is not None


def test_a_cached_file_changed_with_its_mtime_put_back_fails_closed_once_then_builds(two_sites, tmp_path):
    repo = _copy_repo(two_sites, tmp_path)
    _restamp(repo)
    before = tree_digest(repo / "site")
    _garble(repo / CACHED_JSON, keep_stat=True)  # the stat check cannot see it: the site check does
    failed = gongkai("build", cwd=repo)
    assert failed.returncode == 1
    assert "datasets/tiny/items.json does not match its SHA-256 in SHA256SUMS" in failed.stderr
    assert f"the next build rebuilds them: {CACHED_JSON}" in failed.stderr
    assert tree_digest(repo / "site") == before and leftovers(repo) == []
    again = gongkai("build", cwd=repo)  # without deleting the cache by hand
    assert again.returncode == 0, again.stderr
    assert "1 dataset(s) processed" in again.stdout and tree_digest(repo / "site") == before


def _dropped(repo: Path) -> list[str]:
    """The pipeline without MkDocs (what build runs first): the cache's warnings, as the CLI prints them."""
    generated = generate_docs(repo)
    return [str(p) for p in generated.report.warnings if p.code == "cache-entry-dropped"]


def test_a_damaged_cache_record_or_a_missing_file_is_dropped_with_one_line(two_sites, tmp_path):
    repo = _copy_repo(two_sites, tmp_path)
    record = repo / "build/cache/tiny.json"
    data = record.read_bytes()
    os.chmod(record, 0o644)
    record.write_bytes(data.replace("第一行".encode(), "第二行".encode(), 1))  # the page text, still valid JSON
    assert _dropped(repo) == [
        (
            "build/cache/tiny.json: warning: the cached build of tiny was "
            "damaged and is rebuilt: its record is damaged [cache-entry-dropped]"
        )
    ]
    assert "第二行" not in (repo / "build/docs/datasets/tiny/index.md").read_text(encoding="utf-8")
    (repo / CACHED_JSON).unlink()
    assert _dropped(repo) == [
        (
            f"{CACHED_JSON}: warning: the cached build of tiny was damaged "
            "and is rebuilt: the file is missing [cache-entry-dropped]"
        )
    ]
    assert _dropped(repo) == []


def test_a_cache_copied_elsewhere_is_still_used(two_sites, tmp_path):
    # new inodes and new mtimes: each file is hashed once, then its new stat is trusted
    repo = _copy_repo(two_sites, tmp_path)
    shutil.rmtree(repo / "build/cache")
    shutil.copytree(two_sites["repo"] / "build/cache", repo / "build/cache", copy_function=shutil.copyfile)
    for _ in range(2):
        generated = generate_docs(repo)
        assert generated.processing.items == 0
        assert not any(p.code == "cache-entry-dropped" for p in generated.report.warnings)


# --- disks and folders it cannot write ----------------------------------------------------------


def test_a_full_disk_gives_one_line_naming_the_file_and_leaves_site(two_sites, tmp_path, capsys, monkeypatch):
    repo = _copy_repo(two_sites, tmp_path)
    before = tree_digest(repo / "site")
    (repo / "docs/about.md").write_text("# 关于\n\n改了。\n", encoding="utf-8")

    def full(path, data):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))  # as write() raises it: no file named

    monkeypatch.setattr(output, "_write_if_changed", full)
    assert cli.main(["--root", str(repo), "build"]) == 1
    err = capsys.readouterr().err.splitlines()
    assert err[-1].startswith("gongkai: build/docs/") and err[-1].endswith(
        ": no space left on device; site/ was left as it was"
    )
    assert "Traceback" not in "\n".join(err)
    assert tree_digest(repo / "site") == before and leftovers(repo) == []


def test_a_file_where_a_folder_belongs_gives_one_line(two_sites, tmp_path):
    # chmod does not stop root (the tests may run as root): a file in place of build/docs/ does
    repo = _copy_repo(two_sites, tmp_path)
    before = tree_digest(repo / "site")
    shutil.rmtree(repo / "build/docs")
    (repo / "build/docs").write_text("not a folder", encoding="utf-8")
    result = gongkai("build", cwd=repo)
    assert result.returncode == 1
    assert result.stderr.splitlines()[-1] == "gongkai: build/docs: file exists; site/ was left as it was"
    assert "Traceback" not in result.stderr
    assert tree_digest(repo / "site") == before


def _private_mounts() -> bool:
    if shutil.which("unshare") is None:
        return False
    probe = subprocess.run(["unshare", "-m", "sh", "-c", "mount -t tmpfs -o size=1m tmpfs /mnt"], capture_output=True)
    return probe.returncode == 0


@pytest.mark.skipif(
    not _private_mounts(),
    reason="needs unshare -m and tmpfs mounts (root in a private mount namespace) for a real full or read-only disk",
)
@pytest.mark.parametrize(
    ("folder", "options", "reason"),
    [
        ("build", "ro", "read-only file system"),
        ("build", "size=48k", "no space left on device"),
        ("site.new", "size=200k", "no space left on device"),
    ],
)
def test_a_real_read_only_or_full_disk_gives_one_line(two_sites, tmp_path, folder, options, reason):
    # build/ read-only or full while gongkai writes, or site.new/ full while MkDocs writes the site
    repo = _copy_repo(two_sites, tmp_path)
    before = tree_digest(repo / "site")
    shutil.rmtree(repo / "build")
    (repo / folder).mkdir()
    script = f'mount -t tmpfs -o {options} tmpfs {folder} && exec "$0" -m gongkai.cli build'
    result = subprocess.run(
        ["unshare", "-m", "sh", "-c", script, sys.executable], cwd=repo, capture_output=True, text=True
    )
    assert result.returncode == 1, result.stderr
    last = result.stderr.splitlines()[-1]
    assert last.startswith(f"gongkai: {folder}/") and last.endswith(f": {reason}; site/ was left as it was"), last
    assert "Traceback" not in result.stderr
    assert tree_digest(repo / "site") == before


@pytest.mark.skipif(
    os.geteuid() == 0,
    reason="chmod does not stop root from writing (the file-in-place-of-a-folder and tmpfs tests cover root)",
)
def test_a_read_only_build_folder_gives_one_line(two_sites, tmp_path):
    repo = _copy_repo(two_sites, tmp_path)
    before = tree_digest(repo / "site")
    (repo / "docs/about.md").write_text("# 关于\n\n改了。\n", encoding="utf-8")  # so that build/docs/ must be written
    os.chmod(repo / "build/docs", 0o555)
    try:
        result = gongkai("build", cwd=repo)
    finally:
        os.chmod(repo / "build/docs", 0o755)
    assert result.returncode == 1
    assert result.stderr.splitlines()[-1].startswith("gongkai: build/docs/") and result.stderr.endswith(
        ": permission denied; site/ was left as it was\n"
    )
    assert tree_digest(repo / "site") == before


@pytest.mark.parametrize("exchange", [True, False])
def test_a_swap_step_that_fails_leaves_the_old_site_and_no_new_one(tmp_path, monkeypatch, exchange):
    site, fresh = tmp_path / "site", tmp_path / "site.new"
    site.mkdir()
    (site / "index.html").write_text("old", encoding="utf-8")
    fresh.mkdir()
    (fresh / "index.html").write_text("new", encoding="utf-8")
    swap.mark_verified(fresh)
    real = os.rename

    def refused(a, b, *args, **kwargs):
        if Path(a) == fresh:
            raise OSError(errno.EACCES, os.strerror(errno.EACCES), str(b))
        return real(a, b, *args, **kwargs)

    monkeypatch.setattr(os, "rename", refused)
    if exchange:
        monkeypatch.setattr(
            swap, "_exchange", lambda a, b: (_ for _ in ()).throw(OSError(errno.EIO, os.strerror(errno.EIO), str(b)))
        )
    else:
        monkeypatch.setattr(swap, "_exchange", lambda a, b: False)
    with pytest.raises(OSError):
        swap.swap_in(fresh, site)
    assert (site / "index.html").read_text(encoding="utf-8") == "old" and sorted(
        p.name for p in tmp_path.iterdir()
    ) == ["site"]
