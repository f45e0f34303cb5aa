"""The English interface built in a process of its own beside the Chinese one (publish/interfaces.py):
the same site, byte for byte, as the i18n plugin builds in turn, and a failure in it stops the build."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import generate, gongkai, make_repo
from gongkai.publish import interfaces, pagecache


def _files(site: Path) -> dict[str, str]:
    return {
        p.relative_to(site).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(site.rglob("*"))
        if p.is_file()
    }


def _mkdocs(repo: Path, out: Path, pages: Path, generator: str, **env: str) -> subprocess.CompletedProcess:
    """The generator as publish_site runs it, with the page cache in `pages`."""
    environ = {k: v for k, v in os.environ.items() if k != interfaces.SERIAL}
    environ.update({"SOURCE_DATE_EPOCH": "1767312000", pagecache.ENV: str(pages), **env})
    pagecache.prepare(pages)
    cmd = [sys.executable, "-m", generator, "build", "--strict", "--clean", "-f", "mkdocs.yml", "-d", str(out)]
    return subprocess.run(cmd, cwd=repo, env=environ, capture_output=True, text=True)


@pytest.fixture(scope="module")
def generated(tmp_path_factory) -> Path:
    repo = make_repo(tmp_path_factory.mktemp("interfaces"), ["tiny"], ["fiscal-transparency"])
    generate(repo)
    return repo


@pytest.mark.parametrize("generator", ["mkdocs", "properdocs"])
def test_the_english_interface_built_apart_is_the_site_the_plugin_builds_in_turn(generated, tmp_path, generator):
    serial = _mkdocs(generated, tmp_path / "serial", tmp_path / "pages-serial", generator, **{interfaces.SERIAL: "1"})
    assert serial.returncode == 0, serial.stderr
    assert not (tmp_path / "pages-serial.new" / interfaces.MANIFEST).exists()  # one process built both
    apart = _mkdocs(generated, tmp_path / "apart", tmp_path / "pages-apart", generator)
    assert apart.returncode == 0, apart.stderr
    assert (tmp_path / "pages-apart.new" / interfaces.MANIFEST).is_file()  # a second process built English
    site = _files(tmp_path / "apart")
    assert site == _files(tmp_path / "serial")
    assert "en/404.html" in site and "en/datasets/tiny/index.html" in site
    assert not any(interfaces.FOLDER in path for path in site)
    root_404 = (tmp_path / "apart/404.html").read_text(encoding="utf-8")
    english_404 = (tmp_path / "apart/en/404.html").read_text(encoding="utf-8")
    assert '<html lang="zh"' in root_404 and '<html lang="en"' in english_404
    sitemap = (tmp_path / "apart/sitemap.xml").read_text(encoding="utf-8")
    assert sitemap.count("<url>") == sitemap.count('hreflang="en"') > 20  # both interfaces, every page
    assert "/en/datasets/tiny/" in sitemap and "/datasets/tiny/</loc>" in sitemap

    # With the pages of both interfaces kept, each process takes its own from the cache: the same site again.
    pagecache.commit(tmp_path / "pages-apart")
    again = _mkdocs(generated, tmp_path / "again", tmp_path / "pages-apart", generator)
    assert again.returncode == 0, again.stderr
    assert _files(tmp_path / "again") == site


def test_a_warning_in_the_english_interface_alone_stops_the_build_and_site_stays(tmp_path):
    repo = make_repo(tmp_path, ["tiny"])
    assert gongkai("build", cwd=repo).returncode == 0
    before = _files(repo / "site")
    # An English page of a hand-written guide with a link to no page: only the English build sees it.
    (repo / "docs/about.en.md").write_text("# About\n\nSee [the missing page](missing.md).\n", encoding="utf-8")
    result = gongkai("build", cwd=repo)
    assert result.returncode != 0
    told = result.stdout + result.stderr
    assert "missing.md" in told and "other interfaces failed" in told
    assert _files(repo / "site") == before
    assert not (repo / "site.new").exists()
    shutil.rmtree(repo / "site")
