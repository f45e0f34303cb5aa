"""The one way gongkai reads YAML from a file a pull request can change.

PyYAML's safe loader still expands aliases (a "billion laughs" file of a few hundred bytes
becomes gigabytes), follows any nesting depth, and accepts files of any size. This reader
refuses aliases and merge keys outright (none of our files needs them), caps the size and
the nesting depth, and builds plain values only: a tag it is not told to allow is refused,
so no file can make Python construct an object. Errors carry the line they were found on.
"""

from __future__ import annotations

from dataclasses import dataclass

import yaml

MAX_BYTES = 1 << 20  # gongkai.yml, redirects.yml, withdrawn.yml, mkdocs.yml: a few KB each
MAX_DEPTH = 32


@dataclass(frozen=True)
class YamlRefused(Exception):
    """Why a YAML file cannot be used, and the line (1-based) where that was found."""

    message: str
    line: int | None = None

    def __str__(self) -> str:
        return f"line {self.line}: {self.message}" if self.line else self.message


def load(
    text: str, *, max_bytes: int = MAX_BYTES, max_depth: int = MAX_DEPTH, scalar_tags: tuple[str, ...] = ()
) -> object:
    """The plain value (dict, list, str, int, float, bool, None, date) a YAML text holds.

    scalar_tags: local tags such as "!ENV" whose scalar or sequence is kept as it is
    (returned as a TaggedValue), for checking a file another program reads with its own
    loader (mkdocs.yml). Raises YamlRefused.
    """
    size = len(text.encode("utf-8", "surrogatepass"))
    if size > max_bytes:
        raise YamlRefused(f"the file is {size} bytes; the limit is {max_bytes}")
    loader = _Loader(text, max_depth, scalar_tags)
    try:
        return loader.get_single_data()
    except YamlRefused:
        raise
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        raise YamlRefused(f"not valid YAML: {exc.problem or exc.context}", mark.line + 1 if mark else None) from None
    except yaml.YAMLError as exc:
        raise YamlRefused(f"not valid YAML: {exc}") from None
    except RecursionError:
        raise YamlRefused(f"nested more than {max_depth} levels deep") from None
    except (ValueError, OverflowError) as exc:  # a value YAML reads as a date or time that is none (2026-02-30)
        raise YamlRefused(f"not a valid value: {exc}") from None
    finally:
        loader.dispose()


@dataclass(frozen=True)
class TaggedValue:
    tag: str
    value: object


class _Loader(yaml.SafeLoader):
    def __init__(self, text: str, max_depth: int, scalar_tags: tuple[str, ...]):
        super().__init__(text)
        self._depth = 0
        self._max_depth = max_depth
        self._scalar_tags = scalar_tags

    def compose_node(self, parent, index):
        if self.check_event(yaml.AliasEvent):
            mark = self.peek_event().start_mark
            raise YamlRefused("aliases (*name) and merge keys (<<) are not allowed; write the value out", mark.line + 1)
        event = self.peek_event()
        self._depth += 1
        if self._depth > self._max_depth:
            raise YamlRefused(f"nested more than {self._max_depth} levels deep", event.start_mark.line + 1)
        try:
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1

    def construct_object(self, node, deep=False):
        tag = node.tag
        if tag in self._scalar_tags:
            value = (
                self.construct_scalar(node)
                if isinstance(node, yaml.ScalarNode)
                else self.construct_sequence(node, deep=True)
            )
            return TaggedValue(tag, value)
        if tag.removeprefix(_CORE) not in _PLAIN or not tag.startswith(_CORE):
            raise YamlRefused(f"the tag {tag} is not allowed: only plain values", node.start_mark.line + 1)
        try:
            return super().construct_object(node, deep)
        except (ValueError, OverflowError) as exc:  # a date or time that is none, such as 2026-02-30
            raise YamlRefused(
                f"{getattr(node, 'value', '')!r} is not a valid value: {exc}", node.start_mark.line + 1
            ) from None

    def construct_mapping(self, node, deep=False):
        seen = set()
        for key_node, _ in node.value:
            key = key_node.value if isinstance(key_node, yaml.ScalarNode) else None
            if key is not None and key in seen:
                raise YamlRefused(f"the key {key!r} is given twice", key_node.start_mark.line + 1)
            seen.add(key)
        return super().construct_mapping(node, deep)


_CORE = "tag:yaml.org,2002:"
_PLAIN = {"null", "bool", "int", "float", "str", "seq", "map", "timestamp"}
