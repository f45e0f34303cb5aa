"""Pages rendered from the same values as in the last build are not rendered again: the catalog,
topic, publisher, home and quality pages, most of which a one-dataset change leaves as they were.

While a build holds a `Memo` active (`using`), templating.render looks each page up by its key: a
hash of the template, the language, a salt the build gives (gongkai's code: templates, message
tables and filters are part of it) and every value the template is given, written out in full
by pickle (`_Writer`). A value pickle cannot write out (a lambda, a closure, a lock) makes the
page rendered every time, never a guess. Pure: the build reads and writes the held pages
(publish/renderedpages.py).
"""

from __future__ import annotations

import dataclasses
import hashlib
import io
import pickle
import types
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

_ACTIVE: ContextVar[Memo | None] = ContextVar("gongkai_memo", default=None)


class Unkeyed(TypeError):
    """A value the fingerprint cannot write out exactly."""


class Memo:
    """The pages of the last build by key (held), and those this build asked for (used)."""

    def __init__(self, held: dict[str, str], salt: str) -> None:
        self.held, self.salt = held, salt
        self.used: dict[str, str] = {}
        self.rendered = self.unkeyed = 0  # misses, and pages that could not be keyed
        self._seen: dict[int, tuple[Any, str]] = {}  # id -> (a dataclass, kept alive; its bytes' hash)

    def page(self, template: str, lang: str, values: dict[str, Any], render: Callable[[], str]) -> str:
        try:
            key = self._key(template, lang, values)
        except Unkeyed:
            self.unkeyed += 1
            return render()
        text = self.used.get(key)
        if text is None:
            text = self.held.get(key)
        if text is None:
            text = render()
            self.rendered += 1
        self.used[key] = text
        return text

    def _key(self, template: str, lang: str, values: dict[str, Any]) -> str:
        digest = hashlib.sha256("\0".join([self.salt, template, lang]).encode("utf-8", "surrogatepass"))
        out = io.BytesIO()
        try:
            _Writer(out, self._seen).dump(sorted(values.items()))
        except (pickle.PicklingError, TypeError, AttributeError) as refused:
            raise Unkeyed(str(refused)) from None
        digest.update(out.getvalue())
        return digest.hexdigest()

    def forget(self) -> None:
        """Values written out are not trusted past the call they were written for (they may change)."""
        self._seen.clear()


class _Writer(pickle.Pickler):
    """pickle writes every value out whole, so the same bytes mean the same values; a dataclass
    (a dataset's Summary, the settings) is written once per memo use and named by its bytes' hash
    after that. A function is written by its name, a lambda or closure is refused."""

    def __init__(self, out: io.BytesIO, seen: dict[int, tuple[Any, str]]) -> None:
        super().__init__(out, protocol=5)
        self.seen = seen

    def reducer_override(self, value: Any) -> Any:
        if isinstance(value, types.FunctionType) and not _plain(value):
            raise Unkeyed(value.__qualname__)
        if not dataclasses.is_dataclass(value) or isinstance(value, type):
            return NotImplemented
        held = self.seen.get(id(value))
        if held is None:
            inner = io.BytesIO()
            _Writer(inner, self.seen).dump([type(value), [getattr(value, f.name) for f in dataclasses.fields(value)]])
            held = self.seen[id(value)] = (value, hashlib.sha256(inner.getvalue()).hexdigest())
        return (_written, (held[1],))


def _written(digest: str) -> None:
    """What a dataclass is written as in a key (never called: keys are not read back)."""


def _plain(function: Any) -> bool:
    # a module's own function is its code, which the salt covers; a closure or lambda also holds values
    return getattr(function, "__closure__", None) is None and "<" not in function.__qualname__


def active() -> Memo | None:
    return _ACTIVE.get()


@contextmanager
def using(memo: Memo) -> Iterator[Memo]:
    """templating.render looks pages up in memo while the block runs."""
    token = _ACTIVE.set(memo)
    try:
        yield memo
    finally:
        _ACTIVE.reset(token)
        memo.forget()
