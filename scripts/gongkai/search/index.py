"""The search index of the whole site, one per interface language: what build.py calls.

The benchmark and a forking city can call build_index on any catalog's page models, or read
what `gongkai build` writes under search/ (sitepaths.search_folder).
"""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from ..core.config import Settings
from .documents import dataset_document, page_documents
from .shards import IndexWriter

LANGUAGES = ("zh", "en")


def build_index(
    models: Callable[[], Iterable[dict[str, Any]]],
    pages: dict[str, bytes],
    settings: Settings,
    folder: Path | None = None,
) -> dict[str, bytes | Path]:
    """Every file of the index by site path. models: the dataset page models (render.dataset_model),
    asked for once per language so they can be read one at a time; pages: the hand-written files
    (docs/), of which the Markdown pages are indexed. With a folder the files are written there
    (emptied first: a file once written is never changed, as build/docs links to it) and given
    as paths; without one, as bytes."""
    if folder is not None and folder.exists():
        shutil.rmtree(folder)
    files: dict[str, bytes | Path] = {}
    for lang in LANGUAGES:
        writer = IndexWriter(lang, folder)
        for model in models():
            writer.add(dataset_document(model, settings, lang))
        for doc in page_documents(pages, lang):
            writer.add(doc)
        files.update(writer.finish())
    return files
