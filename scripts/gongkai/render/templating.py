"""The one way markup is made: Jinja2 templates (templates/) with autoescape on.

Every value a template prints passes `finalize`, the project's HTML escaper (markup.esc:
HTML special characters, braces as entities so neither Jinja nor Markdown attribute lists
see them, line breaks kept visible), unless it is already Markup: sanitised rich text,
or the output of the two other escapers, `|md` for inline Markdown (headings, link texts)
and `|pre` for code inside <pre>. Templates never use `|safe`.
"""

from __future__ import annotations

import html
import json
import string
from functools import cache
from typing import Any
from urllib.parse import quote

from jinja2 import Environment, PackageLoader, StrictUndefined, pass_context
from markupsafe import Markup, escape

from ..core import sitepaths
from . import markup, memo
from .messages import TABLES


def _finalize(value: Any) -> Markup:
    return value if isinstance(value, Markup) else Markup(markup.esc(value))


def _md(value: Any) -> Markup:
    return Markup(markup.esc_md(value))


def _pre(value: Any) -> Markup:
    # inside <pre>: newlines stay newlines; & < > " ' escaped
    return Markup(html.escape(str(value)))


def _fill(message: str, **args: Any) -> Markup:
    """A message with {slots} for HTML: its words and each value escaped (a Markup value is kept)."""
    return Markup("".join(_parts(message, args, markup.esc)))


def _fill_md(message: str, **args: Any) -> Markup:
    """A message with {slots} for Markdown: its words are the project's own Markdown (links to
    pages), each value escaped for inline Markdown (a Markup value, such as a page path, is kept)."""
    return Markup("".join(_parts(message, args, markup.esc_md, literal=str)))


def _parts(message: str, args: dict, escape, literal=markup.esc):
    for text, name, _, _ in string.Formatter().parse(message):
        yield literal(text)
        if name is not None:
            value = args[name]
            yield str(value) if isinstance(value, Markup) else escape(value)


def _path(value: Any) -> Markup:
    """A page or file path for a link: URL-quoted, so it needs no other escaping."""
    return Markup(quote(str(value), safe="/._~-#"))


def _join(items: Any, separator: str = "") -> Markup:
    """Jinja's join, with the project's escaper for each item and the separator."""
    return Markup(_finalize(separator)).join(_finalize(i) for i in items)


@pass_context
def _localise(context, kind: str, value: Any) -> Any:
    """`localise("publisher", name)` in a template: a name from gongkai.yml (publisher, topic,
    frequency, open_type, licence) in the page's language; a list of names gives a list. Reads
    `settings` and `lang` from the template's values, so every page shows names one way."""
    settings, lang = context["settings"], context["lang"]
    if isinstance(value, list | tuple):
        return [settings.localise(kind, str(v), lang) for v in value]
    return settings.localise(kind, "" if value is None else str(value), lang)


def _json(value: Any) -> str:
    """A value as JSON text for a data attribute: plain text (not Markup), so `finalize` escapes it
    on the one path every value takes. Printable characters stay themselves (a Chinese character
    is 3 bytes, not the 6 of its \\u escape); any other (controls, line separators, bidi and other
    format characters) is written as a \\u escape, so nothing invisible reaches the page."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return text if text.isprintable() else "".join(c if c.isprintable() else _u_escape(c) for c in text)


def _u_escape(c: str) -> str:
    return json.dumps(c)[1:-1]  # \uXXXX (a surrogate pair past the BMP)


def _front_matter(values: dict) -> Markup:
    return Markup(markup.front_matter(values))


def _xml_text(value: Any) -> Markup:
    # XML text and quoted attributes: & < > " ' as entities; a line break stays a line break
    return value if isinstance(value, Markup) else escape("" if value is None else value)


def _environment(finalize) -> Environment:
    # one templates folder and one set of whitespace rules; only the escaper differs by output
    env = Environment(
        loader=PackageLoader("gongkai.render", "templates"),
        autoescape=True,
        finalize=finalize,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=False,
        extensions=["jinja2.ext.do"],
    )
    env.globals["paths"] = sitepaths  # every public path a template links: paths.dataset_page_md(name), ...
    return env


@cache
def xml_environment() -> Environment:
    """For XML files (the Atom feed): the same templates folder, XML's escaping."""
    return _environment(_xml_text)


def render_xml(template: str, **values: Any) -> str:
    return xml_environment().get_template(template).render(**values)


@cache
def environment() -> Environment:
    env = _environment(_finalize)
    env.globals["localise"] = _localise  # names from gongkai.yml in the page's language
    env.filters.update(
        md=_md,
        pre=_pre,
        fill=_fill,
        fill_md=_fill_md,
        path=_path,
        join=_join,
        size=markup.human_size,
        front_matter=_front_matter,
        json=_json,
    )
    return env


def render(template: str, lang: str = "zh", **values: Any) -> str:
    """A page or part from templates/<template> with the language's messages as `msg`; while a
    build holds a memo active (memo.py), the page the same values gave last time."""
    held = memo.active()
    if held is not None:
        return held.page(template, lang, values, lambda: _render(template, lang, values))
    return _render(template, lang, values)


def _render(template: str, lang: str, values: dict[str, Any]) -> str:
    return environment().get_template(template).render(msg=_Messages(TABLES[lang]), lang=lang, **values)


class _Messages:
    """Message table access as msg.key, msg.section.key; a missing key is an error, not a blank."""

    def __init__(self, table: dict):
        self._table = table

    def __getattr__(self, key: str) -> Any:
        try:
            value = self._table[key]
        except KeyError:
            raise AttributeError(f"no message {key!r} for {self._table['lang']}") from None
        return value  # a nested table is a dict: a missing key there is StrictUndefined, an error too

    def __getitem__(self, key: str) -> Any:
        return self.__getattr__(key)
