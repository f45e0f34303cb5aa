"""Find the line of each entry in a YAML text, so problems in redirects.yml and withdrawn.yml can say where they are.

safeyaml.load returns plain values without positions; this composes the same text (which
safeyaml has already accepted: no aliases, bounded size and depth) and records the line on
which each mapping key or sequence item starts, addressed by its JSON pointer.
"""

from __future__ import annotations

import yaml

from .jsonlines import pointer


def value_lines(text: str) -> dict[str, int]:
    """JSON pointer -> line (1-based) of each key or item, in a text safeyaml.load accepted."""
    lines: dict[str, int] = {}
    root = yaml.compose(text, Loader=yaml.SafeLoader)
    if root is None:
        return lines
    lines[""] = root.start_mark.line + 1
    todo: list[tuple[yaml.Node, tuple[str | int, ...]]] = [(root, ())]
    while todo:
        node, path = todo.pop()
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                where = (*path, key.value if isinstance(key, yaml.ScalarNode) else "?")
                lines.setdefault(pointer(where), key.start_mark.line + 1)
                todo.append((value, where))
        elif isinstance(node, yaml.SequenceNode):
            for i, item in enumerate(node.value):
                lines[pointer((*path, i))] = item.start_mark.line + 1
                todo.append((item, (*path, i)))
    return lines
