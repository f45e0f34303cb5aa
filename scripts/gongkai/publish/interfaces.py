"""The site's other interfaces (English) built in a process of their own, beside the default one.

The i18n plugin builds each further language once the default one has finished, from inside its
post_build event: one core renders both interfaces in turn, while the machine's other core waits.
What the other build takes from the default one is all there once the default build has its files
and navigation (on_nav): the config, the i18n plugin's files of the default language with the
pages the navigation made of them (sitemap.xml lists them) and the plugin's language switcher. So
the hook forks there (`start`). The child runs the plugin's own loop over the other languages,
the same `build(config)` calls it would make, into a folder of its own inside the site being
built. The parent goes on with the default interface and, at its post_build, waits for the child
and moves its files in (`join`): each replaces the parent's file at its place, as the other
build's files did when written after the default's (sitemap.xml), except the theme's 404 page,
which goes to en/ (as keep_not_found does when the two run in turn).

A non-page file the default build writes from the same source at the same place is not written
again by the child. The site is the same byte for byte as the plugin's own way gives
(tests/test_interfaces.py). The plugin's way is kept where forking is not safe or not possible
(`apart`): `mkdocs serve`, a platform without fork, a process with threads, a search or PDF
plugin (which gather entries across the languages' builds), or SERIAL set.
"""

from __future__ import annotations

import copy
import logging
import os
import shutil
import signal
import sys
import threading
import traceback
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from click import ClickException
from mkdocs.exceptions import PluginError

from ..core import sitepaths
from ..core.parallel import die_with

log = logging.getLogger("mkdocs.hooks.gongkai")
MANIFEST = "used-other-interfaces.txt"  # the page cache keys the child used (pagecache.MANIFESTS)
SERIAL = "GONGKAI_SERIAL_INTERFACES"  # set: the interfaces are built one after the other, as the plugin does
FOLDER = ".gongkai-other-interfaces"  # the child's output, inside the site being built until join()
GATHERING_PLUGINS = ("search", "material/search", "with-pdf")  # they collect entries across the builds


def apart(config, command: str) -> bool:
    """Whether this build's other interfaces can be built in a child process."""
    i18n = config.plugins.get("i18n")
    return (
        command == "build"
        and not os.environ.get(SERIAL)
        and hasattr(os, "fork")
        and threading.active_count() == 1  # a fork copies one thread: another's locks could be held
        and i18n is not None
        and not i18n.building
        and len(i18n.build_languages) > 1
        and not any(name in config.plugins for name in GATHERING_PLUGINS)
    )


@dataclass
class Child:
    pid: int
    folder: Path  # where it writes
    site: Path  # the site being built, where its files go
    sitemap: bool  # whether it writes the site's sitemap.xml (the default build then does not)
    i18n: Any  # the default build's i18n plugin


def start(config, files, prepare, finish) -> Child:
    """Fork; the child builds the other interfaces and exits, the parent gets the Child to join.
    In the child, prepare(copied) comes first, with {dest_uri: source} of the non-page files the
    default build writes itself (the child need not write them again), and finish() last."""
    site = Path(config.site_dir)
    folder = site / FOLDER
    shutil.rmtree(folder, ignore_errors=True)  # left by a build that was killed (MkDocs' clean skips dot folders)
    copied = {f.dest_uri: f.abs_src_path for f in files if not f.is_documentation_page() and f.abs_src_path}
    sys.stdout.flush()
    sys.stderr.flush()
    parent = os.getpid()
    pid = os.fork()
    if pid:
        # The last build's sitemap.xml (and .gz) lists every interface: the child's replaces this one's
        # in join(), as the plugin's other build overwrites it, so this build does not render its own.
        sitemap = sitepaths.SITEMAP in config.theme.static_templates
        config.theme.static_templates.discard(sitepaths.SITEMAP)
        return Child(pid, folder, site, sitemap, config.plugins["i18n"])
    code = 1
    try:
        die_with(parent)
        prepare(copied)
        _build_others(config, folder)
        finish()
        code = 0
    except BaseException as exc:  # noqa: BLE001 - the child's end: reported here, the parent stops the build
        log.error(f"the {_others(config)} interface: {exc or type(exc).__name__}")
        if not isinstance(exc, (PluginError, ClickException)):  # not MkDocs' own: how it came about, last
            traceback.print_exc()  # a full disk's OSError as its last line, which publish_site reports alone
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)


def _build_others(config, folder: Path) -> None:
    from mkdocs import utils
    from mkdocs.commands.build import build  # as the i18n plugin calls it for each language

    i18n = config.plugins["i18n"]
    default = i18n.current_language
    i18n.building = True  # as in the plugin's post_build: the builds that follow are the other languages'
    config.site_dir = str(folder)
    os.makedirs(folder)
    utils.clean_directory = lambda directory: None  # as the plugin does: a third language keeps the second
    for locale in i18n.build_languages:
        if locale != default:
            i18n.current_language = locale
            build(config, dirty=False)


def _others(config) -> str:
    i18n = config.plugins["i18n"]
    return ", ".join(lang for lang in i18n.build_languages if lang != i18n.default_language)


def hold(child: Child) -> None:
    """In the default build's post_build, before the i18n plugin's: the other interfaces are being
    built already, so the plugin does not build them again (as it does not in a build it started)."""
    child.i18n.building = True


def join(child: Child) -> None:
    """Wait for the child; move its files into the site, or stop the build if it failed."""
    child.i18n.building = False
    _, status = os.waitpid(child.pid, 0)
    code = os.waitstatus_to_exitcode(status)
    if code != 0:
        shutil.rmtree(child.folder, ignore_errors=True)
        if code < 0:
            raise PluginError(
                f"the process building the other interfaces was killed ({signal.Signals(-code).name}; out of memory?)"
            )
        raise PluginError(f"the build of the other interfaces failed (exit status {code}); its messages are above")
    if child.sitemap and not (child.folder / sitepaths.SITEMAP).is_file():
        shutil.rmtree(child.folder, ignore_errors=True)
        raise PluginError("the build of the other interfaces wrote no sitemap.xml")
    _to_english(child.folder)
    _move_into(child.folder, child.site)
    shutil.rmtree(child.folder)


def _move_into(source: Path, target: Path) -> None:
    """Every file of source to the same place under target, replacing what is there; a folder
    target does not have yet is moved whole."""
    for entry in os.scandir(source):
        there = target / entry.name
        if entry.is_dir(follow_symlinks=False) and there.is_dir():
            _move_into(Path(entry.path), there)
        else:
            if there.is_dir():
                shutil.rmtree(there)
            os.replace(entry.path, there)


def stop(child: Child) -> None:
    """The default build failed: the child is not left writing into the site, nor its folder in it."""
    try:
        os.kill(child.pid, signal.SIGKILL)
        os.waitpid(child.pid, 0)
    except (ProcessLookupError, ChildProcessError):
        pass
    shutil.rmtree(child.folder, ignore_errors=True)
    child.i18n.building = False  # were it held already


def not_found_context(context, template_name: str, config):
    """The i18n plugin points the language switch at the page last built's other version; on the
    404 page (no page of its own) it leads to each language's home page instead."""
    i18n = config.plugins.get("i18n")
    if template_name == sitepaths.NOT_FOUND and getattr(i18n, "extra_alternate", None):
        config.extra.alternate = copy.deepcopy(i18n.extra_alternate)
    return context


_not_found: dict[str, bytes] = {}  # the Chinese 404 page, while the English build writes its own


def keep_not_found(config, nested: bool) -> None:
    """Built in turn, every language's build writes the theme's 404.html at the site's root, the
    last one built winning (mkdocs-static-i18n issue 284): the Chinese page is kept, the English
    one moved to en/ (join() does the same with the child's)."""
    page = Path(config.site_dir) / sitepaths.NOT_FOUND
    if not nested:
        if page.is_file():
            _not_found["zh"] = page.read_bytes()
        return
    if page.is_file() and "zh" in _not_found:
        _to_english(Path(config.site_dir))
        page.write_bytes(_not_found.pop("zh"))


def _to_english(site: Path) -> None:
    """The English build's 404 page, written at the site's root, to en/ where it belongs."""
    page = site / sitepaths.NOT_FOUND
    if page.is_file():
        english = site / sitepaths.ENGLISH / sitepaths.NOT_FOUND
        english.parent.mkdir(parents=True, exist_ok=True)
        os.replace(page, english)
