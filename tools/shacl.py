"""The DCAT-AP 3.0.1 SHACL shapes on a built catalog.jsonld, as data.europa.eu runs them.

    python tools/shacl.py [--shapes DIR] [site/catalog.jsonld ...]

Reads the shapes (shapes.ttl, range.ttl, shapes_recommended.ttl, deprecateduris.ttl, from
SEMICeu/DCAT-AP's releases/3.0.1/html/shacl/) in place: they are not copied into this
repository. DIR is --shapes, else $GONGKAI_DCAT_AP_SHAPES, else vendor/dcat-ap-3.0.1 in the
folder `shared` beside the repository (or beside its main worktree). Prints the violations and
the recommended-property warnings by kind and exits 1 on any violation or deprecated term,
2 when the shapes cannot be found. Without a file named it checks the built site's catalog.jsonld
and, when the catalog is paged, every other page (site/catalog/<k>.jsonld). tests/test_dcat.py
runs the same checks.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHAPES = ("shapes.ttl", "range.ttl")  # mandatory properties, and the class or datatype of each value
RECOMMENDED = "shapes_recommended.ttl"  # recommended properties: warnings
DEPRECATED = "deprecateduris.ttl"  # terms DCAT-AP 3 replaced


def find_shapes(root: Path = ROOT) -> Path | None:
    """The folder that holds the shapes, or None."""
    given = os.environ.get("GONGKAI_DCAT_AP_SHAPES")
    candidates = [Path(given)] if given else []
    tops = [root]
    common = subprocess.run(
        ["git", "rev-parse", "--path-format=absolute", "--git-common-dir"], cwd=root, capture_output=True, text=True
    ).stdout.strip()
    if common:
        tops.append(Path(common).parent)  # a worktree's main checkout
    candidates += [top.parent / "shared" / "vendor" / "dcat-ap-3.0.1" for top in tops]
    return next((c for c in candidates if (c / SHAPES[0]).is_file()), None)


def run(catalog: str, shapes: Path, files: tuple[str, ...]) -> Counter:
    """(severity, focus class, property, constraint) -> count, for the shapes in `files`."""
    from pyshacl import validate
    from rdflib import Graph
    from rdflib.namespace import RDF, SH

    data = Graph().parse(data=catalog, format="json-ld")
    graph = Graph()
    for name in files:
        graph.parse(shapes / name, format="turtle")
    _, results, _ = validate(data, shacl_graph=graph, inference="none", allow_warnings=True)
    found: Counter = Counter()
    for r in results.subjects(RDF.type, SH.ValidationResult):
        focus = results.value(r, SH.focusNode)
        kind = data.value(focus, RDF.type)
        found[
            (
                _short(results.value(r, SH.resultSeverity)),
                _short(kind),
                _short(results.value(r, SH.resultPath)),
                _short(results.value(r, SH.sourceConstraintComponent)),
            )
        ] += 1
    return found


def deprecated_terms(catalog: str, shapes: Path) -> Counter:
    """Uses of the properties deprecateduris.ttl says to replace (its shapes only warn, with no
    constraint to fire, so pyshacl reports nothing: they are counted here)."""
    from rdflib import Graph
    from rdflib.namespace import SH

    data = Graph().parse(data=catalog, format="json-ld")
    old = Graph().parse(shapes / DEPRECATED, format="turtle")
    terms = {
        old.value(shape, SH.path)
        for shape, message in old.subject_objects(SH.message)
        if str(message).startswith("replace") or "inverse property" in str(message)
    }
    return Counter(_short(p) for _, p, _ in data if p in terms)


def _short(term) -> str:
    text = str(term) if term is not None else "-"
    return text.rsplit("#", 1)[-1].rsplit("/", 1)[-1] if "://" in text else text


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("catalogs", type=Path, nargs="*", help="default: site/catalog.jsonld and its other pages")
    parser.add_argument("--shapes", type=Path)
    args = parser.parse_args()
    shapes = args.shapes or find_shapes()
    if shapes is None:
        print(
            "the DCAT-AP 3.0.1 shapes were not found: pass --shapes DIR or set GONGKAI_DCAT_AP_SHAPES", file=sys.stderr
        )
        return 2
    site = ROOT / "site"
    pages = sorted((site / "catalog").glob("*.jsonld"), key=lambda p: int(p.stem) if p.stem.isdigit() else 0)
    violations, warnings, old = Counter(), Counter(), Counter()
    for path in args.catalogs or [site / "catalog.jsonld", *pages]:
        text = path.read_text(encoding="utf-8")
        violations += run(text, shapes, SHAPES)
        warnings += run(text, shapes, (RECOMMENDED,))
        old += deprecated_terms(text, shapes)
    for title, counts in (("violations", violations), ("recommended, missing", warnings), ("deprecated", old)):
        print(f"{title}: {sum(counts.values())}")
        for key, n in sorted(counts.items(), key=lambda item: (-item[1], str(item[0]))):
            print(f"  {n:5}  {key if isinstance(key, str) else ' '.join(key)}")
    return 1 if violations or old else 0


if __name__ == "__main__":
    sys.exit(main())
