"""Checks across datasets: identifiers that must be unique in the whole catalog."""

from __future__ import annotations

from collections.abc import Iterator

from ..core.problems import Problem
from ..read.load import DESCRIPTOR, Dataset


def check_catalog(datasets: list[Dataset]) -> Iterator[Problem]:
    seen: dict[str, str] = {}
    for ds in datasets:
        ident = (ds.descriptor or {}).get("id")
        if not isinstance(ident, str):
            continue
        if ident in seen:
            yield Problem(
                "duplicate-id",
                f'id "{ident}" is already used by dataset "{seen[ident]}"; every dataset keeps its own id forever',
                ds.file(DESCRIPTOR),
                field="/id",
                dataset=ds.name,
                params={"value": ident, "other": seen[ident]},
            )
        else:
            seen[ident] = ds.name
