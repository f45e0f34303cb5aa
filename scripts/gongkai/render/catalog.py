"""The catalog model: each valid dataset with its tables and exported files, ready to render."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, TypeVar

from ..core.config import Settings
from ..export.downloads import Download, Exported
from ..read.columnprofile import empty_cells
from ..read.load import Dataset
from ..read.period import period_or_none
from ..read.tables import Table
from .period import period_fields


class Described:
    """What a dataset's metadata say of it, for every kind of dataset object (Entry, Summary)."""

    if TYPE_CHECKING:  # stored by Summary, read from the dataset by Entry

        @property
        def name(self) -> str: ...

        @property
        def meta(self) -> dict: ...

    @property
    def title(self) -> str:
        return self.meta["title"]

    @property
    def publisher(self) -> str:
        return self.meta["publisher"]["name"]

    @property
    def topics(self) -> list[str]:
        return list(self.meta["topics"])

    @property
    def modified(self) -> str:
        return self.meta["modified"]  # the site's own update of the dataset, not the data's period

    @property
    def temporal(self) -> str:
        """The data period as declared (ISO 8601 date or interval; validation requires it)."""
        value = self.meta.get("temporal")
        return value if isinstance(value, str) else ""

    @property
    def years(self) -> list[str]:
        """The calendar years the data period covers, newest first."""
        period = period_or_none(self.temporal)
        return period.years if period else []


@dataclass
class Entry(Described):
    """A dataset with its tables read and its files exported: what its page model is made from."""

    dataset: Dataset
    tables: list[Table]
    exported: Exported
    readme: str
    changelog: str

    @property
    def name(self) -> str:
        return self.dataset.name

    @property
    def meta(self) -> dict:
        return self.dataset.loaded

    @property
    def rows(self) -> int:
        return sum(t.rows for t in self.tables)

    def downloads(self, resource: str | None = None, kind: str | None = None) -> list[Download]:
        return [
            d
            for d in self.exported.downloads
            if (resource is None or d.resource == resource) and (kind is None or d.kind == kind)
        ]

    @property
    def formats(self) -> list[str]:
        return self.summary().formats

    def summary(self) -> Summary:
        cells = sum(t.rows * len(t.fields) for t in self.tables)
        empty = sum(empty_cells(t.profiles, t.rows) for t in self.tables)
        return Summary(
            name=self.name,
            meta=self.meta,
            rows=self.rows,
            downloads=list(self.exported.downloads),
            cells=cells,
            empty=empty,
        )


@dataclass
class Summary(Described):
    """What the catalog pages need of a dataset: its metadata, row count and downloads.

    Small and JSON-friendly, so an unchanged dataset comes from the cache without its tables.
    """

    name: str
    meta: dict
    rows: int
    downloads: list[Download]
    cells: int = 0  # data cells (rows × fields), for the quality panel
    empty: int = 0  # of which missing values

    @property
    def formats(self) -> list[str]:
        kinds = {d.kind for d in self.downloads}
        return [k.upper() for k in ("csv", "xlsx", "json") if k in kinds]

    def to_dict(self) -> dict:
        return {
            "name": self.name,
            "meta": self.meta,
            "rows": self.rows,
            "downloads": [asdict(d) for d in self.downloads],
            "cells": self.cells,
            "empty": self.empty,
        }

    @classmethod
    def from_dict(cls, data: dict) -> Summary:
        return cls(
            name=data["name"],
            meta=data["meta"],
            rows=data["rows"],
            downloads=[Download(**d) for d in data["downloads"]],
            cells=data["cells"],
            empty=data["empty"],
        )


D = TypeVar("D", bound=Described)


def by_modified(entries: Sequence[D]) -> list[D]:
    """Newest first; ties by name so the order is stable."""
    return sorted(sorted(entries, key=lambda e: e.name), key=lambda e: e.modified, reverse=True)


def with_topic(entries: Sequence[D], topic: str) -> list[D]:
    return [e for e in entries if topic in e.topics]


def with_publisher(entries: Sequence[D], publisher: str) -> list[D]:
    return [e for e in entries if e.publisher == publisher]


def used_topics(entries: Sequence[Described], settings: Settings):
    return [t for t in settings.topics if with_topic(entries, t.name)]


def used_publishers(entries: Sequence[Described], settings: Settings):
    return [p for p in settings.publishers if with_publisher(entries, p.name)]


def english(item: dict, key: str) -> tuple[str, bool]:
    """The English text of a metadata key when given, else the Chinese; and whether it is English."""
    given = item.get(f"{key}_en")
    return (given, True) if isinstance(given, str) and given.strip() else (str(item.get(key, "")), False)


def card_model(e: Described, lang: str) -> dict[str, str]:
    """A catalog card's words in one language: title, first sentence of the description, the data
    period, and `text`: the words the keyword box searches that the card does not show (the rest of
    the description, the Chinese one on an English card, the keywords); gongkai.js adds the title,
    the first sentence, the topics and the publisher from the card itself, so none is there twice."""
    title, description = (
        (english(e.meta, "title")[0], english(e.meta, "description")[0])
        if lang != "zh"
        else (
            e.title,
            e.meta["description"],
        )
    )
    lede = first_sentence(description)
    words = [
        description[len(lede) :].strip(),
        "" if lang == "zh" else e.meta["description"],
        *e.meta.get("keywords", []),
    ]
    text = " ".join(w for w in dict.fromkeys(words) if w).lower()
    return dict(period_fields(e.temporal, lang), title=title, lede=lede, text=text)


def first_sentence(text: str) -> str:
    """Up to the first full stop (。！？, or ". " in English), so a card stays short."""
    match = re.search(r"[。！？]|[.!?](?=\s|$)", text)
    return text[: match.end()] if match else text
