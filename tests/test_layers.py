"""The package's layers: a module imports only from its own layer or the ones below, no two
packages import each other (directly or round about), and no module grows past about 400
lines. Read from the source with ast, so a lazy import inside a function counts too."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "scripts/gongkai"

# Lowest first. A package may import from its own layer and every layer before it.
LAYERS = [
    {"core"},  # problems, errors, settings, safe readers, public paths, writing files
    {"read"},
    {"validate"},
    {"export"},
    {"render"},  # page models, templates and messages: the feed in catalogs/ is a template too
    {"catalogs", "search"},  # files built from the page models: machine-readable catalogs, the search index
    {"publish"},
    {"gate", "scaffold"},
    {"build", "perdataset"},
    {"cli", "cliwords", "terminal", "mkdocs_hook"},
]
LEVEL = {name: i for i, names in enumerate(LAYERS) for name in names}

# Arrows up a layer that stay for now, each with why; take one off when its cause is gone.
UPWARD = {
    (
        "validate.encoding",
        "render.markup",
    ): "bracket_overflow is shared with the hook; the lead moves it down when splitting markup.py"
}

LIMIT = 400
# Modules over LIMIT, each with why.
LONG = {
    "core/problemcodes.py": (
        "the registry is one table of every code (title, severity, "
        "anchor, hint); new on main, its split is its author's"
    ),
}


def _modules() -> dict[str, Path]:
    """Dotted name under gongkai ('core.config', 'build', '' for the package itself) -> file."""
    out = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE).with_suffix("").parts
        if parts[-1] == "__init__":
            parts = parts[:-1]
        out[".".join(parts)] = path
    return out


def _is_package(dotted: str, modules: dict[str, Path]) -> bool:
    return dotted == "" or modules[dotted].name == "__init__.py"


def _imports(dotted: str, path: Path, modules: dict[str, Path]) -> set[str]:
    """The gongkai modules this file imports, as dotted names under gongkai."""
    here = dotted.split(".") if dotted else []
    package = here if _is_package(dotted, modules) else here[:-1]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            targets = [a.name[len("gongkai.") :] for a in node.names if a.name.startswith("gongkai.")]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - (node.level - 1)]
                module = ".".join(base + ([node.module] if node.module else []))
            elif node.module == "gongkai" or (node.module or "").startswith("gongkai."):
                module = node.module[len("gongkai.") :] if node.module != "gongkai" else ""
            else:
                continue
            # `from .x import name`: name is a submodule when x is a package and name a module in it
            subs = [f"{module}.{a.name}".lstrip(".") for a in node.names]
            targets = [s for s in subs if s in modules and not _is_package(s, modules)] or [module]
        else:
            continue
        for target in targets:
            assert target in modules, (
                f"{path.relative_to(PACKAGE)}:{node.lineno}: imports gongkai.{target}, which does not exist"
            )
            found.add(target)
    return found


def _unit(dotted: str) -> str:
    """The layer unit of a module: its package, or its own name for a top-level module."""
    return dotted.split(".")[0] if dotted else "core"


def _graph() -> dict[str, set[str]]:
    modules = _modules()
    return {dotted: _imports(dotted, path, modules) for dotted, path in modules.items()}


def test_every_module_has_a_layer():
    missing = sorted({_unit(m) for m in _modules()} - LEVEL.keys())
    assert missing == [], f"packages or top-level modules with no layer in LAYERS: {missing}"


def test_no_import_runs_up_a_layer():
    graph = _graph()
    upward = []
    for source, targets in graph.items():
        for target in sorted(targets):
            if LEVEL[_unit(target)] > LEVEL[_unit(source)] and (source, target) not in UPWARD:
                upward.append(f"gongkai.{source} imports gongkai.{target}: {_unit(source)} is below {_unit(target)}")
    assert upward == []
    stale = [pair for pair in UPWARD if pair[1] not in graph.get(pair[0], set())]
    assert stale == [], f"no longer imported; take them off UPWARD: {stale}"


def test_no_cycle_between_packages():
    edges: dict[str, set[str]] = {}
    for source, targets in _graph().items():
        for target in targets:
            if _unit(source) != _unit(target):
                edges.setdefault(_unit(source), set()).add(_unit(target))
    assert _cycles(edges) == []


def test_no_cycle_between_modules():
    assert _cycles(_graph()) == []


def _cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """Every cycle met by a depth-first walk (one per back edge), as the path round it."""
    found, state, stack = [], {}, []

    def walk(node: str) -> None:
        state[node] = "open"
        stack.append(node)
        for nxt in sorted(edges.get(node, ())):
            if state.get(nxt) == "open":
                found.append(stack[stack.index(nxt) :] + [nxt])
            elif nxt not in state:
                walk(nxt)
        stack.pop()
        state[node] = "done"

    for node in sorted(edges):
        if node not in state:
            walk(node)
    return found


def test_the_cycle_finder_finds_a_cycle():
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c", "a"]]
    assert _cycles({"a": {"b"}, "b": set()}) == []


def test_no_module_is_over_the_limit():
    lengths = {
        path.relative_to(PACKAGE).as_posix(): len(path.read_text(encoding="utf-8").splitlines())
        for path in _modules().values()
    }
    over = {name: n for name, n in lengths.items() if n > LIMIT and name not in LONG}
    assert over == {}, f"modules over {LIMIT} lines: split each along its seams"
    stale = {name: lengths.get(name) for name in LONG if lengths.get(name, 0) <= LIMIT}
    assert stale == {}, f"within {LIMIT} lines now (or gone): take them off LONG"


def test_the_docs_name_every_package_and_module():
    """README's layout names each package; the architecture note lists each module in its package's row."""
    root = PACKAGE.parents[1]
    readme = (root / "README.md").read_text(encoding="utf-8")
    rows = {
        line.split("`")[1]: line
        for line in (root / "docs/guide/architecture.md").read_text(encoding="utf-8").splitlines()
        if line.startswith("| `")
    }
    unnamed = []
    for folder in sorted(p for p in PACKAGE.iterdir() if p.is_dir() and p.name != "__pycache__"):
        if f"  {folder.name}/ " not in readme:
            unnamed.append(f"README.md: {folder.name}/")
        row = rows.get(f"{folder.name}/", "")
        unnamed += [
            f"docs/guide/architecture.md: {folder.name}/{f.name}"
            for f in sorted(folder.iterdir())
            if f.is_file() and f.name != "__init__.py" and f"`{f.name}`" not in row
        ]
    assert unnamed == []
