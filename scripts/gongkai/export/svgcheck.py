"""Whether an SVG file stays inside itself: no script, no event handler, no reference to
anything outside the document (a URL in paint, a link, an image, a stylesheet).

A browser that opens an SVG directly runs its scripts and fetches what it names, so a chart
drawn from a pull request's spec, or any SVG a page ships, is read here before it is
published. The file is parsed with expat alone, streaming: a DOCTYPE (and with it any entity)
is refused before it can expand, and no tree is built.
"""

from __future__ import annotations

import re
from typing import NoReturn
from xml.parsers import expat

SVG = "http://www.w3.org/2000/svg"
XLINK = "http://www.w3.org/1999/xlink"
XML = "http://www.w3.org/XML/1998/namespace"
# Elements that run script, embed other documents or fetch, and SMIL animation, which can
# set an attribute (an href) to a javascript: URL after every check on the file has passed.
FORBIDDEN_ELEMENTS = {
    "script",
    "foreignObject",
    "image",
    "feImage",
    "iframe",
    "embed",
    "object",
    "audio",
    "video",
    "animate",
    "animateMotion",
    "animateTransform",
    "animateColor",
    "set",
    "discard",
    "handler",
    "listener",
}
LOCAL_REF = re.compile(r"#[A-Za-z_][\w.\-]*")
URL_OPEN = re.compile(r"url\s*\(", re.I)
URL_CALL = re.compile(r"url\s*\(\s*(['\"]?)([^'\")]*)\1\s*\)", re.I)  # url(x), url('x'), url("x")
# CSS that fetches or runs without url(): @import "x.css", image-set("x.png"), src(...), and
# the old IE and Firefox hooks; a backslash is refused too, since a CSS escape (\75 rl) hides any of them
CSS_FETCH = re.compile(r"@import|image-set\s*\(|src\s*\(|-moz-binding|behavior\s*:|expression\s*\(|\\", re.I)
# attributes read as text only (for assistive technology), never as CSS or as a URL
TEXT_ATTRIBUTES = re.compile(r"aria-[a-z]+|role|class|id")
MAX_LISTED = 20


class _Refused(Exception):
    pass


def svg_problems(data: bytes) -> list[str]:
    """Why the SVG `data` may not be published, one reason per offending element or
    attribute (at most MAX_LISTED); [] when it is well-formed SVG that refers to nothing
    outside itself. Reasons name the element, the attribute and the start of its value."""
    found: list[str] = []
    stack: list[str] = []
    style: list[str] = []

    def refuse(reason: str) -> None:
        found.append(reason)
        if len(found) >= MAX_LISTED:
            raise _Refused

    def start(name: str, attrs: dict[str, str]) -> None:
        ns, _, tag = name.rpartition(" ")
        if not stack and (ns, tag) != (SVG, "svg"):
            refuse(f"the document is <{tag}>, not an SVG <svg> element")
        stack.append(tag)
        if ns != SVG:
            refuse(f"<{tag}> is not an SVG element (namespace {ns or 'none'})")
        elif tag in FORBIDDEN_ELEMENTS:
            refuse(
                f"<{tag}> is not allowed: it runs script, embeds or fetches "
                "another document, or changes attributes after loading"
            )
        for key, value in attrs.items():
            reason = _attribute_problem(key, value)
            if reason:
                refuse(f"<{tag}> {reason}")

    def end(name: str) -> None:
        tag = stack.pop()
        if tag == "style":
            reason = _css_problem("".join(style))
            if reason:
                refuse(f"<style> {reason}")
            style.clear()

    def text(chars: str) -> None:
        if stack and stack[-1] == "style":
            style.append(chars)

    def doctype(*_args) -> NoReturn:
        refuse("a DOCTYPE is not allowed (it can declare entities that expand or fetch)")
        raise _Refused

    def instruction(target: str, _data: str) -> None:
        refuse(f"the processing instruction <?{target}?> is not allowed (xml-stylesheet fetches a stylesheet)")

    parser = expat.ParserCreate(namespace_separator=" ")
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = text
    parser.StartDoctypeDeclHandler = doctype
    parser.EntityDeclHandler = doctype
    parser.ProcessingInstructionHandler = instruction
    parser.ExternalEntityRefHandler = lambda *_args: doctype() or 0
    try:
        parser.Parse(data, True)
    except _Refused:
        pass
    except expat.ExpatError as exc:
        found.append(
            f"not well-formed XML: {expat.ErrorString(exc.code)} at line {exc.lineno}, column {exc.offset + 1}"
        )
    return found


def _attribute_problem(key: str, value: str) -> str | None:
    """Why one attribute (expat's "namespace local" name) runs script or refers outside the
    document, or None. Presentation attributes (fill, filter, clip-path, ...) are CSS values,
    so every attribute but the text-only ones is read as CSS."""
    ns, _, local = key.rpartition(" ")
    shown = _shown(value)
    name = f"xlink:{local}" if ns == XLINK else f"xml:{local}" if ns == XML else local
    if local.lower().startswith("on"):
        return f'{name}="{shown}": event handlers are not allowed'
    if name == "xml:base":
        return f'xml:base="{shown}" is not allowed: it moves every relative reference'
    if local == "href":
        return (
            None
            if LOCAL_REF.fullmatch(value.strip())
            else f'{name}="{shown}": only a link to an element of this document (#id) is allowed'
        )
    if ns or TEXT_ATTRIBUTES.fullmatch(local):
        return None
    reason = _css_problem(value)
    return f'{name}="{shown}": {reason}' if reason else None


def _css_problem(css: str) -> str | None:
    """Why CSS text (a <style> element, a style or presentation attribute) fetches something, or None."""
    fetch = CSS_FETCH.search(css)
    if fetch:
        return f'"{_shown(fetch.group(0))}" is not allowed: it can fetch or run something outside the document'
    for opening in URL_OPEN.finditer(css):
        call = URL_CALL.match(css, opening.start())
        if not call or not LOCAL_REF.fullmatch(call.group(2).strip()):
            return (
                f"url({_shown(call.group(2)) if call else '…'}) refers outside the document; only url(#id) is allowed"
            )
    return None


def _shown(value: str, limit: int = 80) -> str:
    value = value.replace("\n", " ")
    return value if len(value) <= limit else value[: limit - 1] + "…"
