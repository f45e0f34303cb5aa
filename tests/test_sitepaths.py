"""Public paths have one owner, core/sitepaths.py: the layout makes every path the build
publishes, and no other module or template spells one by hand. Read from the source (ast for
Python, the tags of each template), so a new hand-built path fails here naming its file and line."""

from __future__ import annotations

import ast
import re

from conftest import ROOT
from gongkai.core import pathcheck, sitepaths

PACKAGE = ROOT / "scripts/gongkai"
OWNER = PACKAGE / "core/sitepaths.py"
FOLDERS = (sitepaths.DATASETS, sitepaths.TOPICS, sitepaths.PUBLISHERS, sitepaths.QUALITY)
# The layout's files beside the ones kind_of() knows: MkDocs writes them.
GENERATOR_FILES = {sitepaths.SITEMAP, sitepaths.SITEMAP_GZ, sitepaths.NOT_FOUND}
# A download's file name after its interpolated stem ({r}.csv). In Python only the suffixes no
# other file has: a repository's data/<r>.csv and the cache's <name>.json are not public paths.
SUFFIXES = re.compile(r"\.(?:bom\.csv|csv|xlsx|json|svg|zip)$")
PYTHON_SUFFIXES = re.compile(r"\.(?:bom\.csv|xlsx|svg|zip)$")
HOLE = "\0"  # stands for an interpolated value


def _spelled(text: str) -> bool:
    """Whether a literal path (no interpolation) is one the layout makes."""
    bare = re.sub(r"^(?:\.\./)+", "", text)  # a relative link names the same path
    return bool(bare) and (sitepaths.kind_of(bare) is not None or bare in GENERATOR_FILES)


def _built(shape: str, suffixes: re.Pattern[str] = SUFFIXES) -> bool:
    """Whether a path with interpolated parts (HOLE) builds a public path by hand: a page folder
    followed by a value (datasets/{name}), or a value followed by a download's suffix ({r}.csv)."""
    folder = any(f + HOLE in shape or (f in shape and shape.index(f) < shape.rfind(HOLE)) for f in FOLDERS)
    return folder or any(suffixes.search(part) for part in shape.split(HOLE)[1:])


def python_paths(source: str) -> list[tuple[int, str]]:
    """(line, text) of each public path a Python module spells: a string constant the layout
    makes, an f-string or a + that puts a value into a path. Prose (any white space), docstrings
    and comments are left alone."""
    tree = ast.parse(source)
    skip = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                skip.add(id(first.value))
        if isinstance(node, ast.JoinedStr):
            skip.update(id(v) for v in node.values)
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.JoinedStr):
            shape = "".join(v.value if isinstance(v, ast.Constant) else HOLE for v in node.values)
            if not re.search(r"\s", shape) and _built(shape, PYTHON_SUFFIXES):
                found.append((node.lineno, ast.unparse(node)))
        elif isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add) and id(node) not in skip:
            parts = _operands(node, skip)
            shape = "".join(
                p.value if isinstance(p, ast.Constant) and isinstance(p.value, str) else HOLE for p in parts
            )
            if HOLE in shape and not re.search(r"\s", shape) and _built(shape, PYTHON_SUFFIXES):
                found.append((node.lineno, ast.unparse(node)))
        elif isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in skip:
            if not re.search(r"\s", node.value) and _spelled(node.value):
                found.append((node.lineno, repr(node.value)))
    return found


def _operands(node: ast.expr, inner: set[int]) -> list[ast.expr]:
    # a + b + c as [a, b, c]; the inner additions are marked, so each chain is read once
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        inner.add(id(node))
        return _operands(node.left, inner) + _operands(node.right, inner)
    return [node]


TAG = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}", re.S)
QUOTED = re.compile(r"\"([^\"]*)\"|'([^']*)'")
TARGET = re.compile(r"\]\(([^)\s]+)\)|(?:href|src)=\"([^\"]+)\"")


def template_paths(text: str) -> list[tuple[int, str]]:
    """(line, text) of each public path a template spells: literal text around a printed value
    (datasets/{{ name }}, {{ r }}.csv), a quoted path in an expression, or a link's literal target."""
    found = []
    shape = TAG.sub(lambda m: HOLE if m.group().startswith("{{") else " ", text)  # values as holes, blocks apart
    for word in re.finditer(r"[^\s()\[\]\"'<>=]+", shape):
        if HOLE in word.group() and _built(word.group()):
            found.append((text.count("\n", 0, _offset(text, word.start())) + 1, word.group().replace(HOLE, "{{…}}")))
    for tag in TAG.finditer(text):
        for quoted in QUOTED.finditer(tag.group()):
            value = quoted.group(1) if quoted.group(1) is not None else quoted.group(2)
            if _spelled(value) or any(f in value for f in FOLDERS):
                found.append((text.count("\n", 0, tag.start()) + 1, value))
    for link in TARGET.finditer(text):
        target = link.group(1) or link.group(2)
        if "{" not in target and _spelled(target):
            found.append((text.count("\n", 0, link.start()) + 1, target))
    return found


def _offset(text: str, shape_offset: int) -> int:
    # The offset in `text` of an offset in its shape (each tag shrank to one character).
    shift = 0
    for tag in TAG.finditer(text):
        if tag.start() - shift >= shape_offset:
            break
        shift += len(tag.group()) - 1
    return shape_offset + shift


def test_no_module_or_template_builds_a_public_path_by_hand():
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        if path != OWNER:
            found += [
                f"{path.relative_to(ROOT)}:{line}: {text}" for line, text in python_paths(path.read_text("utf-8"))
            ]
    for path in sorted(PACKAGE.rglob("*.j2")):
        found += [f"{path.relative_to(ROOT)}:{line}: {text}" for line, text in template_paths(path.read_text("utf-8"))]
    assert found == [], "build these with gongkai.core.sitepaths (`paths` in templates)"


def test_the_scan_finds_a_hand_built_path_and_passes_prose():
    source = '''
"""A docstring may name datasets/x/ and catalog.json."""
a = f"datasets/{name}/{resource}.csv"
b = "catalog.json"
c = site_url + "datasets/" + name
d = f"{table}.bom.csv"
e = f"the folder datasets/{name}/ is missing"
f = "datasets/"
g = sitepaths.dataset_page(name)
h = "feed.xml.j2"
'''
    assert [line for line, _ in python_paths(source)] == [3, 4, 5, 6]
    template = (
        '<a href="datasets/{{ d }}/">x</a>\n'
        "[all](datasets/index.md) [q](../../quality/index.md)\n"
        '{{ settings.url_for("feed.xml") }} {{ "topics/" ~ slug }}\n'
        '<img src="{{ folder }}{{ view.name }}.svg">\n'
        '<a href="{{ paths.dataset_page(d) }}">{{ paths.resource_file(r, "csv") }}</a> [about](about.md)\n'
    )
    assert sorted({line for line, _ in template_paths(template)}) == [1, 2, 3, 4]


def test_the_layout_classifies_what_it_makes():
    name, version, resource = "x", "1.0.0", "items"
    made = {
        "page": [
            sitepaths.home_md("en"),
            sitepaths.catalog_md(),
            sitepaths.dataset_page_md(name, "en"),
            sitepaths.topic_md("a"),
            sitepaths.publisher_md("b"),
            sitepaths.page_md(sitepaths.QUALITY),
        ],
        "download": [
            sitepaths.dataset_file(name, sitepaths.resource_file(resource, k)) for k in sitepaths.RESOURCE_FILES
        ]
        + [sitepaths.dataset_file(name, f) for f in (sitepaths.chart_file("v"), sitepaths.DATAPACKAGE)]
        + [sitepaths.dataset_file(name, sitepaths.zip_file(name))],
        "version": [
            sitepaths.version_file(name, version, f)
            for f in (sitepaths.resource_file(resource, "csv"), sitepaths.DATAPACKAGE)
        ]
        + [sitepaths.version_file(name, version, sitepaths.version_zip_file(name, version))],
        "versions": [sitepaths.versions_index(name)]
        + [
            sitepaths.feed_of(page, lang)
            for page in (sitepaths.dataset_page(name), sitepaths.topic_page("a"), sitepaths.publisher_page("b"))
            for lang in ("zh", "en")
        ],
        "site": [
            *sitepaths.SITE_FILES,
            sitepaths.HOST_HEADERS,
            sitepaths.HOST_REDIRECTS,
            sitepaths.catalog_jsonld_page(3),
        ],
        "search": [sitepaths.search_meta("en"), *(sitepaths.search_chunk("zh", k, 12) for k in sitepaths.SEARCH_PARTS)],
        "schema": [
            "schemas/annual-report/2021/table-3.json",
            sitepaths.page_md(sitepaths.schema_page("schemas/annual-report/table-4.json"), "en"),
            sitepaths.page_md(sitepaths.SCHEMAS),
        ],
    }
    assert {kind: [sitepaths.kind_of(p) for p in paths] for kind, paths in made.items()} == {
        kind: [kind] * len(paths) for kind, paths in made.items()
    }
    assert [sitepaths.is_versioned(p) for p in ("/datasets/x/1.0.0/items.csv", "datasets/x/items.csv")] == [True, False]
    assert sitepaths.kind_of("about.md") is None and sitepaths.kind_of("assets/gongkai.css") is None
    assert [sitepaths.public_path(p) for p in ("index.en.md", "datasets/x/index.md", "about.md", "feed.xml")] == [
        "/en/",
        "/datasets/x/",
        "/about/",
        "/feed.xml",
    ]
    assert all(pathcheck.reserved("/" + f) for f in sitepaths.SITE_FILES)  # a repository file may not name one


def test_every_file_the_build_writes_is_one_the_layout_makes(built_site):
    docs = built_site / "build/docs"
    written = {p.relative_to(docs).as_posix() for p in docs.rglob("*") if p.is_file()}
    index = built_site / "build/search"  # the search index, made beside MkDocs and put into the site after it
    written |= {p.relative_to(index).as_posix() for p in index.rglob("*") if p.is_file()}
    hand_written = {p.relative_to(built_site / "docs").as_posix() for p in (built_site / "docs").rglob("*")}
    generated = written - hand_written
    assert sorted(rel for rel in generated if sitepaths.kind_of(rel) is None) == []
    assert {sitepaths.kind_of(rel) for rel in generated} == {
        "page",
        "download",
        "version",
        "versions",
        "version-parquet",
        "site",
        "search",
        "schema",
    }
    assert sorted(rel for rel in written & hand_written if sitepaths.kind_of(rel)) == []  # none in docs/ is generated
