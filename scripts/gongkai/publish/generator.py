"""Running the site generator (MkDocs or ProperDocs) into a fresh folder, checking what it built,
and swapping it in for site/ only when it passed (swap.py): a failed or stopped build leaves site/ as it was.

epoch: SOURCE_DATE_EPOCH for the generator (the newest dataset's date, so the same data give
the same site); settings: where the site is served (its internal links resolve against it) and
the host's limits it must fit (budget.py).
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import threading
from concurrent.futures import Future
from contextlib import suppress
from pathlib import Path
from subprocess import PIPE
from urllib.parse import urlsplit

from ..core.config import Settings
from ..core.errors import BuildError
from ..core.parallel import in_background, timed
from . import budget, cache, pagecache, sitefiles, swap
from .budget import Budget
from .verdicts import VERDICTS
from .verify import verify_site


def publish_site(
    root: Path,
    site_dir: Path,
    generator: str,
    epoch: str,
    settings: Settings,
    stages: dict[str, float] | None = None,
    later: Future | None = None,
    *,
    settled: bool = False,
) -> Budget:
    """Build the site into a fresh folder and swap it in only when it passed its checks and fits its
    host (budget.py); a build stopped at any moment leaves a complete site/, or one the next build
    restores (swap.py). Returns the site's measure; the wall seconds of its steps are added to
    `stages` (generator, check, swap) and, with those already there, written to build/build-times.json.
    later: files still being made while MkDocs runs (site path -> file), put into the site with the rest.
    settled: sitefiles.settle has run for this build already (build.build runs it beside the pipeline)."""
    stages = {} if stages is None else stages
    swap.recover(site_dir)  # nothing left to do after build.build(); here for a caller of publish_site alone
    fresh = swap.staging(site_dir)
    pages = root / pagecache.FOLDER  # unchanged pages' HTML from the last build that passed (pagecache.py)
    pagecache.check_untracked(root)
    pagecache.prepare(pages)
    aside = root / sitefiles.LISTED  # the generated files the hook leaves to place() (sitefiles.py)
    aside.unlink(missing_ok=True)
    if not settled:
        sitefiles.settle(root)  # no changed copy is linked (pagehits.py)
    try:
        env = dict(os.environ, SOURCE_DATE_EPOCH=epoch, **{pagecache.ENV: str(pages), sitefiles.ENV: str(aside)})
        cmd = [
            sys.executable,
            "-m",
            generator,
            "build",
            "--strict",
            "--clean",
            "-f",
            str(root / "mkdocs.yml"),
            "-d",
            str(fresh),
        ]
        with timed(0) as ran:
            process = subprocess.Popen(cmd, cwd=root, env=env, stdout=PIPE, stderr=PIPE, text=True)
            ended = threading.Event()
            placing = in_background(_place_when_listed, root, fresh, aside, later, ended)
            try:
                stdout, stderr = process.communicate()
            except BaseException:  # interrupted: MkDocs does not go on writing into what is discarded
                process.kill()
                process.wait()
                raise
            finally:
                ended.set()
                placing.exception()  # never left linking into a folder about to be discarded
        if process.returncode != 0:
            _raise_os_failure(stderr)
            raise BuildError(f"{generator} build --strict failed; site/ was left as it was:\n{stdout}{stderr}".rstrip())
        placed = placing.result()
        pages_linked = pagecache.linked(pages)  # the pages, each linked from its copy (pagehits.py)
        sitefiles.record(root, pages_linked)  # after placing, which records the files' copies
        placed |= pages_linked
        stages["generator"] = ran.seconds
        with timed(0) as checked:
            mount = urlsplit(settings.site_url).path
            reasons = verify_site(fresh, mount, root / VERDICTS, sitefiles.known_digests(root))
        stages["check"] = checked.seconds
        if reasons:
            listed = "\n".join(f"  {r}" for r in reasons[:50])
            raise BuildError(f"the built site failed its checks; site/ was left as it was:\n{listed}{_audited(root)}")
        measured = budget.measure(fresh)
        budget.write(measured, settings.hosting, root / BUDGET)
        found = budget.overruns(measured, settings.hosting)
        if any(not o.near for o in found):
            raise budget.SiteTooLarge(measured, found, settings.hosting)
        swap.mark_verified(fresh)
    except BaseException:
        swap.discard(fresh)
        pagecache.discard(pages)
        with suppress(OSError):  # the failure being raised is the one to report
            sitefiles.prune(root, set())  # what the check refused is not recorded as known
        raise
    with timed(0) as swapped:
        swap.swap_in(fresh, site_dir, root / REPLACED)
        pagecache.commit(pages)  # only a build that passed every check keeps its pages for the next
        sitefiles.prune(root, placed)
    stages["swap"] = swapped.seconds
    _write_times(root / TIMES, stages)
    return measured


REPLACED = Path("build/site-replaced")  # the site the last build replaced, removed by the next (build.build)


def _place_when_listed(root: Path, fresh: Path, aside: Path, later: Future | None, ended: threading.Event) -> set[str]:
    """gongkai's own files linked into the new site (sitefiles.place) as soon as the hook has listed
    them, while MkDocs renders the pages: it writes none of them, and has cleaned the folder first."""
    while not aside.is_file() and not ended.wait(0.02):
        pass
    if not aside.is_file():
        raise BuildError(f"the MkDocs hook did not list the files it left to place ({sitefiles.LISTED})")
    wanted = sitefiles.listed(aside)
    if later is not None:
        wanted.update(later.result())  # the search index, made beside the pipeline (build.generate_docs)
    return sitefiles.place(root, fresh, wanted)


TIMES = Path("build/build-times.json")  # the last build's wall seconds by step: where a maintainer's wait goes


def _write_times(path: Path, stages: dict[str, float]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({k: round(v, 3) for k, v in stages.items()}, indent=1) + "\n", encoding="utf-8")


# The last line of a Python traceback for a failed write: "OSError: [Errno 28] No space left on device: 'src' -> 'dst'"
OS_FAILURE = re.compile(r"[A-Za-z]*Error: \[Errno (\d+)\] ([^:]+)(?:: '([^']*)')?(?: -> '([^']*)')?")


BUDGET = Path("build/site-budget.json")  # the last build's measure, for a maintainer and the PR gate


def _raise_os_failure(output: str) -> None:
    # The generator stopped on a full disk or a folder it cannot write: the same one line as for
    # a write of gongkai's own (cli.main), not the generator's traceback.
    lines = output.strip().splitlines()
    found = OS_FAILURE.fullmatch(lines[-1]) if lines else None
    if found:
        code, reason, source, target = found.groups()
        raise OSError(int(code), reason, target or source)


def _audited(root: Path) -> str:
    # A download that fails its checksum most likely comes from a cached file changed in place
    # with its stat kept (cache.read trusts an unchanged stat): drop every such entry, so the
    # next build rebuilds it instead of failing the same way until the cache is deleted by hand.
    dropped = cache.audit(root)
    if not dropped:
        return ""
    return (
        "\ncached files that no longer match their SHA-256 were "
        f"dropped; the next build rebuilds them: {', '.join(dropped)}"
    )
