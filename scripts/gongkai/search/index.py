"""The search index of the whole site, one per interface language: what build.py calls.

The benchmark and a forking city can call build_index on any catalog's page models (`documents`),
or read what `gongkai build` writes under search/ (sitepaths.search_folder).
"""

from __future__ import annotations

import os
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
    and given as paths, without one as bytes. A file whose bytes are unchanged is left as it is
    (the site links it from one copy, publish/sitefiles.py: an unchanged shard is not copied
    again), a changed one is replaced by a new file, never written through (build/docs may link
    to it), and a file no longer made is removed."""
    files: dict[str, bytes | Path] = {}
    for lang in LANGUAGES:
        writer = IndexWriter(lang, folder)
        for doc in datasets(lang):
            writer.add(doc)
        for doc in page_documents(pages, lang):
            writer.add(doc)
        files.update(writer.finish())
    if folder is not None:
        _remove_others(folder, {str(path) for path in files.values()})
    return files


def _remove_others(folder: Path, kept: set[str]) -> None:
    for top, _, names in os.walk(folder, topdown=False):
        for name in names:
            if (path := os.path.join(top, name)) not in kept:
                os.unlink(path)
        if top != str(folder) and not os.listdir(top):
            os.rmdir(top)


def documents(
    models: Callable[[], Iterable[dict[str, Any]]], settings: Settings
) -> Callable[[str], Iterator[Document]]:
    """The dataset documents of page models (render.dataset_model), for build_index: models()
    is asked once per language."""
    return lambda lang: (dataset_document(model, settings, lang) for model in models())
