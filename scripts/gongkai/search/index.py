"""The search index of the whole site, one per interface language: what build.py calls.

The benchmark and a forking city can call build_index on any catalog's page models (`documents`),
or read what `gongkai build` writes under search/ (sitepaths.search_folder).
"""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

from ..core.config import Settings
from .documents import Document, dataset_document, page_documents
from .shards import IndexWriter, Prepared

LANGUAGES = ("zh", "en")


def build_index(
    datasets: Callable[[str], Iterable[Document | Prepared]],
    pages: dict[str, bytes],
    folder: Path | None = None,
) -> dict[str, bytes | Path]:
    """Every file of the index by site path. datasets(lang): the dataset documents in one language,
    in catalog order (see `documents`; a build gives them as prepared and kept, renderedpages.py),
    asked for once per language so they can be read one at a time; pages: the hand-written files
    (docs/), of which the Markdown pages are indexed. With a folder the files are written there
    (emptied first: a file once written is never changed, as build/docs links to it) and given
    as paths; without one, as bytes."""
    if folder is not None and folder.exists():
        shutil.rmtree(folder)
    files: dict[str, bytes | Path] = {}
    for lang in LANGUAGES:
        writer = IndexWriter(lang, folder)
        for doc in datasets(lang):
            writer.add(doc)
        for doc in page_documents(pages, lang):
            writer.add(doc)
        files.update(writer.finish())
    return files


def documents(
    models: Callable[[], Iterable[dict[str, Any]]], settings: Settings
) -> Callable[[str], Iterator[Document]]:
    """The dataset documents of page models (render.dataset_model), for build_index: models()
    is asked once per language."""
    return lambda lang: (dataset_document(model, settings, lang) for model in models())
