"""The home page's headline figures and charts, as gongkai.yml's `home` names them."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import NamedTuple

from ..core import sitepaths
from ..core.config import SETTINGS_FILE, Settings
from ..core.problems import Problem
from ..export.charts import svg_size
from .catalog import Summary
from .render import Dashboard


class _Published(NamedTuple):
    summary: Summary
    files: dict[str, Path]


def home_dashboard(
    root: Path, settings: Settings, published: dict[str, tuple[Summary, dict[str, Path]]]
) -> tuple[Dashboard, list[Problem]]:
    """The home page's headline figures and charts named in gongkai.yml, read from the datasets.
    One that names nothing published is left out with a warning (a fork that has not yet
    chosen its own still builds). published: each processed dataset's summary and files."""
    by_name = {name: _Published(*pair) for name, pair in published.items()}
    board = Dashboard()
    problems = []

    def skip(message: str, **facts) -> None:
        problems.append(
            Problem(
                "home-missing",
                message + "; it is left off the home page",
                SETTINGS_FILE,
                severity="warning",
                params=facts,
            )
        )

    if settings.home_headline:
        name, _, resource = settings.home_headline.partition("/")
        found = by_name.get(name)
        res = next((x for x in found.summary.meta["resources"] if x["name"] == resource), None) if found else None
        rows = []
        if res is not None:
            with (root / "datasets" / name / res["path"]).open(encoding="utf-8", newline="") as f:
                rows = list(csv.DictReader(f))
        missing = {"indicator", "value", "unit"} - set(rows[0] if rows else {})
        if res is None:
            message = f"home.headline names {settings.home_headline}, which is not a published dataset's resource"
            skip(message, rule="headline", value=settings.home_headline)
        elif missing:
            message = f"home.headline {settings.home_headline} has no column {', '.join(sorted(missing))}"
            skip(message, rule="columns", value=settings.home_headline, missing="、".join(sorted(missing)))
        elif found is not None:
            source = (found.summary.meta.get("sources") or [{}])[0]
            board.dataset, board.title, board.figures = name, found.summary.title, rows
            board.title_en = str(found.summary.meta.get("title_en") or "")
            board.source = [str(source[k]) for k in ("title", "date") if source.get(k)]
    for chart in settings.home_charts:
        name, _, view_name = chart.partition("/")
        found = by_name.get(name)
        view = next((v for v in found.summary.meta.get("views", []) if v["name"] == view_name), None) if found else None
        if view is None or found is None:
            skip(f"home.charts names {chart}, which is not a view of a published dataset", rule="chart", value=chart)
            continue
        svg = found.files[sitepaths.dataset_file(name, sitepaths.chart_file(view_name))]
        board.charts.append((name, view, svg_size(svg.read_bytes())))
    return board, problems
