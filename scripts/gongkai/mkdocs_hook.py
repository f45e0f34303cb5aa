"""The thin MkDocs hook: site settings from gongkai.yml, and regeneration while serving.

All data logic lives in the gongkai package; this file only connects it to MkDocs so the
site generator can be swapped without touching the pipeline.
"""

from __future__ import annotations

import json
import logging
import os
import re
import sys
from pathlib import Path
from types import MethodType

from mkdocs.exceptions import PluginError
from mkdocs.plugins import CombinedEvent, event_priority

from gongkai.core import compiled, safeyaml
from gongkai.core.config import load_settings
from gongkai.core.errors import GongkaiError, InvalidData
from gongkai.core.output import copy_new
from gongkai.publish import interfaces, pagecache, pagehits, sitefiles
from gongkai.render.markup import MAX_BRACKETS, bracket_overflow, esc_theme
from gongkai.render.rawhtml import stash, unstash

log = logging.getLogger("mkdocs.hooks.gongkai")
ROOT = Path(__file__).resolve().parents[2]
_command = {"name": "build"}
_stashed: dict[str, list[str]] = {}  # a page's raw HTML blocks while Markdown converts the rest
_store = pagecache.open_store()  # each unchanged page from the last build (pagecache.py), when publish_site asks
_pages = pagehits.Pages(_store) if _store is not None else None


def on_startup(command, dirty):
    _command["name"] = command


def on_shutdown():
    if _store is not None:
        _store.close()


_others: list[interfaces.Child] = []  # the process building the other interfaces, while it runs
_by_default: dict[str, str] = {}  # in that process: the non-page files the default build writes (dest -> source)


@event_priority(-200)  # after the i18n plugin's: the default interface's files and navigation are final
def on_nav(nav, config, files):
    if not _nested(config) and interfaces.apart(config, _command["name"]):
        _others.append(interfaces.start(config, files, _in_child, on_shutdown))
    return nav


def _in_child(copied: dict[str, str]) -> None:
    _by_default.update(copied)
    if _store is not None:
        _store.manifest = interfaces.MANIFEST


def on_build_error(error):
    while _others:
        interfaces.stop(_others.pop())


def _text(value) -> str:
    """A value from a file a PR can change, for a place in the theme's templates. MkDocs and
    Material interpolate these without autoescape (page titles, meta tags, the copyright), so
    they enter the templates escaped; the theme's own `| e` on top only escapes twice where
    a value is shown as text in an attribute."""
    return esc_theme(value)


def on_config(config):
    settings = load_settings(ROOT)
    config.site_name = _text(settings.site_name)
    config.site_description = _text(settings.site_description)
    if _language(config) == "en":  # the English build runs on_config again, in its own language
        operator = settings.operator_name_en or settings.operator_name
        config.copyright = _text(f"{operator} · Data published under the licence each dataset names")
    else:
        config.copyright = _text(f"{settings.operator_name} · 数据按各数据集注明的许可发布")
    if _command["name"] != "serve":
        # While serving, MkDocs has set site_url to the local address; keep it.
        config.site_url = settings.site_url
    return config


def _language(config) -> str:
    """The interface being built: the i18n plugin builds each language with the same config."""
    i18n = config.plugins.get("i18n")
    return str(getattr(i18n, "current_language", None) or config.theme.get("language") or "zh")


def _nested(config) -> bool:
    """Whether this is the i18n plugin building another language inside the main build
    (the English interface): the main build's state must survive it."""
    i18n = config.plugins.get("i18n")
    return bool(getattr(i18n, "building", False))


def on_pre_build(config):
    if _nested(config) or _command["name"] != "serve":
        return
    from gongkai.build import generate_docs  # the whole pipeline, imported only to regenerate while serving

    try:
        generate_docs(ROOT)
    except InvalidData as exc:
        for problem in exc.report.problems:
            log.error(str(problem))
        log.error("gongkai: data invalid; the preview keeps the last valid pages")
    except GongkaiError as exc:
        log.error(f"gongkai: {exc}")


_generated: list = []  # this build's generated downloads, kept from the i18n plugin (_set_aside)


@event_priority(100)  # before the i18n plugin (-100)
def _set_aside(files, config):
    # The downloads are most of a catalog's files (nine per dataset). The i18n plugin makes a
    # new File of each file for each language, which took longer than the rest of a rebuild
    # with every page unchanged; a file gongkai generated (not in docs/) that is not a page has
    # no other language, and goes past it as it is (_after_i18n puts it back).
    hand_written = _hand_written()
    _generated[:] = [f for f in files if not f.is_documentation_page() and f.src_uri not in hand_written]
    for file in _generated:
        files.remove(file)
    return files


def _hand_written() -> set[str]:
    docs = ROOT / "docs"
    return {p.relative_to(docs).as_posix() for p in docs.rglob("*") if p.is_file()}


@event_priority(-110)  # after the i18n plugin, which makes new File objects for each language
def _after_i18n(files, config):
    aside = list(_generated)
    _generated.clear()
    for file in aside:
        files.append(file)
    # With two interfaces the English build puts the same downloads in the same places again:
    # a copy made once is kept.
    for file in files:
        if not file.is_documentation_page() and file.abs_src_path and getattr(file, "_content", None) is None:
            same = _by_default.get(file.dest_uri) == file.abs_src_path  # the default build, apart, writes it
            file.copy_file = MethodType(_copied if same else _link_file, file)
    # publish_site links gongkai's own files in while MkDocs goes on, from one copy of each (sitefiles.py)
    placed = os.environ.get(sitefiles.ENV)
    docs = os.path.join(config.docs_dir, "")
    left = [f for f in aside if f.abs_src_path and f.abs_src_path.startswith(docs)] if placed else []
    for file in aside if _nested(config) else left:  # the Chinese build, just before, put each in the same place
        file.copy_file = MethodType(_copied, file)
    if placed and not _nested(config):
        listed = {"docs": config.docs_dir, "files": [[f.src_uri, f.dest_uri] for f in left]}
        Path(placed + ".tmp").write_text(json.dumps(listed, ensure_ascii=False), encoding="utf-8")
        os.replace(placed + ".tmp", placed)  # whole when it appears: publish_site reads it as soon as it does
    if _pages is not None:
        _start_build(_pages, files, config)
    return files


on_files = CombinedEvent(_set_aside, _after_i18n)


def _start_build(pages: pagehits.Pages, files, config) -> None:
    # Every page of this interface shares these; the i18n plugin's English build comes here again.
    shared = [str(config.site_url), _language(config), str(config.use_directory_urls), _generator()]
    theme = config.theme.custom_dir
    site = pagecache.site_key(ROOT, Path(config.config_file_path), theme and Path(theme), Path(__file__), shared)
    pages.start(config, files, site, {on_post_page})


def _generator() -> str:
    return "properdocs" if "properdocs" in sys.modules else "mkdocs"


def on_pre_page(page, config, files):
    # A page whose key the cache holds is neither read nor converted nor put through the theme:
    # its copy is linked, and MkDocs gets back what other pages may ask of it (pagehits.py).
    if _pages is not None:
        _pages.look_up(page)
    return page


def on_env(env, config, files):
    if _pages is not None:
        env.get_template = _pages.stored_or(env.get_template)
        compiled.keep(env, ROOT)  # the theme's templates compiled once, not in every build (core/compiled.py)
    return env


@event_priority(-1000)  # last: the page as it is written, whatever other post_page handlers did
def on_post_page(output, page, config):
    return _pages.written(output, page) if _pages is not None else output


def _copied(file, dirty: bool = False) -> None:
    pass


def _link_file(file, dirty: bool = False) -> None:
    # A copy, never a hard link: build/docs links to build/cache, and a published file must not
    # share its bytes with a file that can be changed in place there (gongkai build links its own
    # files from copies of their own instead, publish/sitefiles.py). The copy keeps the source's
    # mtime, so size and mtime tell that the second interface's copy is already made.
    source, target = file.abs_src_path, file.abs_dest_path
    try:
        held, wanted = os.stat(target), os.stat(source)
        if (held.st_size, held.st_mtime_ns) == (wanted.st_size, wanted.st_mtime_ns):
            return
    except FileNotFoundError:
        pass
    os.makedirs(os.path.dirname(target), exist_ok=True)
    copy_new(source, target)  # a stale file from an earlier build into the same folder is replaced, not written through


_FRONT_MATTER = re.compile(r"^-{3}[ \t]*\n(.*?\n)(?:\.{3}|-{3})[ \t]*\n", re.DOTALL)  # as mkdocs.utils.meta reads it
THEME_META = ("title", "description", "author")  # front matter values Material puts into the page head and header


def on_page_read_source(page, config):
    # MkDocs reads front matter with PyYAML's SafeLoader, which expands aliases without bound
    # (a few hundred bytes can take gigabytes). Every page's front matter is read first by
    # gongkai's own reader (no aliases, no tags, size and depth capped); a refusal stops the build.
    with open(page.file.abs_src_path, encoding="utf-8-sig", errors="strict") as f:
        source = f.read()
    overflow = bracket_overflow(source) if (ROOT / "docs" / page.file.src_uri).is_file() else None  # hand-written pages
    if overflow:
        raise PluginError(
            f"{page.file.src_uri}: line {overflow[0]}: a paragraph with {overflow[1]} [ characters (at most "
            f"{MAX_BRACKETS}); Markdown would take minutes over it"
        )
    match = _FRONT_MATTER.match(source)
    if match:
        try:
            safeyaml.load(match.group(1))
        except safeyaml.YamlRefused as exc:
            raise PluginError(f"{page.file.src_uri}: front matter: {exc}") from None
    return source


def _check_meta(markdown: str, page) -> None:
    # A front matter MkDocs could not read stays in the page as Markdown: its JSON-LD and search
    # text would become page content. That is a failed build, never a published page.
    if _FRONT_MATTER.match(markdown):
        raise PluginError(f"{page.file.src_uri}: its front matter is not valid YAML; the page would show it as text")
    if "template" in page.meta:  # which template renders a page is site code (overrides/), not a page's choice
        raise PluginError(
            f"{page.file.src_uri}: front matter: a page may not choose its template (template: "
            f"{str(page.meta['template'])[:40]!r})"
        )
    for key in THEME_META:
        if isinstance(page.meta.get(key), str):
            page.meta[key] = _text(page.meta[key])


# The characters str.splitlines() breaks lines at besides \n and \r. The i18n plugin rewrites
# every page line by line with it (for its admonition titles), which would turn each of these
# into a line break: U+2028 in a cell or a title would cut it in two on the page. They are set
# aside before that pass and put back right after it, before Markdown reads the page.
_SPLIT_ONLY = re.compile("[\x0b\x0c\x1c-\x1e\x85\u2028\u2029]")
_HELD = "\ue000gongkai-line-separator\ue000"
_held: dict[str, list[str]] = {}


@event_priority(100)  # before the i18n plugin's pass (priority 50)
def _hold_line_separators(markdown, page, config, files):
    found = _SPLIT_ONLY.findall(markdown)
    if not found:
        return markdown
    if _HELD in markdown:
        raise PluginError(f"{page.file.src_uri}: contains gongkai's own placeholder text; remove it")
    _held[page.file.src_uri] = found
    return _SPLIT_ONLY.sub(_HELD, markdown)


@event_priority(40)  # right after it
def _restore_line_separators(markdown, page, config, files):
    found = iter(_held.pop(page.file.src_uri, []))
    return re.sub(re.escape(_HELD), lambda m: next(found), markdown)


@event_priority(-110)  # last: what other plugins do to the Markdown comes first
def _stash_raw_html(markdown, page, config, files):
    _check_meta(markdown, page)
    # A generated dataset page is mostly HTML gongkai has escaped already; Python-Markdown would
    # parse every tag of it only to pass it through (rawhtml.py). Hand-written pages go as they are.
    if not page.meta.get("gongkai_explorer"):
        return markdown
    text, _stashed[page.file.src_uri] = stash(markdown)
    return text


on_page_markdown = CombinedEvent(_hold_line_separators, _restore_line_separators, _stash_raw_html)


@event_priority(110)  # first: every other plugin sees the whole page
def on_page_content(html, page, config, files):
    return unstash(html, _stashed.pop(page.file.src_uri, []))


def on_template_context(context, template_name, config):
    return interfaces.not_found_context(context, template_name, config)


@event_priority(100)  # first: before the i18n plugin builds the other language (at -100)
def _keep_not_found(config):
    interfaces.keep_not_found(config, _nested(config))


@event_priority(90)  # after _keep_not_found, before the i18n plugin would build the other interfaces
def _hold_others(config):
    if _others:
        interfaces.hold(_others[-1])


@event_priority(-200)
def _join_others(config):
    if _others:
        interfaces.join(_others.pop())


on_post_build = CombinedEvent(_keep_not_found, _hold_others, _join_others)


def on_serve(server, config, builder):
    for path in ("datasets", "docs", "gongkai.yml"):
        server.watch(str(ROOT / path))
    return server
