"""Views (charts) declared in datapackage.json: they must name one of the dataset's resources
and must not bring data or links of their own (the build supplies the resource's rows)."""

from __future__ import annotations

from collections.abc import Iterator

from ..jsonlines import line_of, pointer
from ..load import DESCRIPTOR, Dataset
from ..problems import Problem

FORBIDDEN = {"url", "href", "data", "datasets"}  # keys that bring other data, or reach the network


def check_views(ds: Dataset, lines: dict[str, int]) -> Iterator[Problem]:
    views = ds.descriptor.get("views")
    if not isinstance(views, list):
        return
    resources = {r.get("name") for r in ds.resources}
    names = [v.get("name") for v in views if isinstance(v, dict)]
    for i, view in enumerate(views):
        if not isinstance(view, dict):
            continue  # the profile reports the shape

        def problem(message: str, parts: list, code: str = "invalid-view", i: int = i) -> Problem:
            ptr = pointer(["views", i, *parts])
            return Problem(code, message, ds.file(DESCRIPTOR), line=line_of(lines, ptr), field=ptr, dataset=ds.name)

        named = view.get("resources")
        if isinstance(named, list) and (len(named) != 1 or named[0] not in resources):
            yield problem(f"a view draws exactly one resource of this dataset ({', '.join(sorted(map(str, resources)))}), got {named}", ["resources"])
        if names.count(view.get("name")) > 1:
            yield problem(f'two views are named "{view.get("name")}"', ["name"])
        if view.get("name") in resources:
            yield problem(f'a view cannot share its name with resource "{view.get("name")}"', ["name"])
        spec = view.get("spec")
        if isinstance(spec, dict):
            for parts in _forbidden(spec, ["spec"]):
                yield problem(
                    f'"{parts[-1]}" is not allowed in a view: the chart is drawn from the resource\'s own rows, and never from data or links in the spec',
                    parts,
                    "view-external",
                )


def _forbidden(node, parts: list) -> Iterator[list]:
    if isinstance(node, dict):
        for key, value in node.items():
            if key in FORBIDDEN:
                yield [*parts, key]
            else:
                yield from _forbidden(value, [*parts, key])
    elif isinstance(node, list):
        for i, item in enumerate(node):
            yield from _forbidden(item, [*parts, i])
