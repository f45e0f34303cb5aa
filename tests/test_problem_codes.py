"""The problem-code registry against the source that makes problems and the guide that explains them."""

from __future__ import annotations

import ast
import json
import re

import markdown
import pytest
from conftest import ROOT
from gongkai.core import problemcodes
from gongkai.core.config import load_settings
from gongkai.core.problemcodes import CODES, EITHER, ERROR, WARNING
from gongkai.core.problems import Problem
from gongkai.read.load import discover
from gongkai.validate.validator import validate

PACKAGE = ROOT / "scripts" / "gongkai"
GUIDE = ROOT / problemcodes.GUIDE
KEBAB = re.compile(r"[a-z][a-z0-9]*(?:-[a-z0-9]+)+")
# Modules outside validate/ that hand codes to the checks: the JSON scanner and the descriptor reader.
READERS = {"core/jsonlines.py", "read/load.py"}
# Kebab-case strings in those modules that are not problem codes: an encoding, git's subcommands
# and a download kind (sitepaths names each kind's file).
NOT_CODES = {"utf-8", "ls-files", "ls-tree", "rev-parse"}
# Callables whose first argument is a problem code: Problem itself and the helpers that build one.
MAKERS = {"Problem", "problem", "Finding", "Breach", "add"}
WORD = re.compile(r"[a-z][a-z0-9-]*")
CJK = re.compile(r"[\u4e00-\u9fff]")


def _problem_modules() -> dict[str, ast.Module]:
    """Every module that makes problems: those importing Problem, the checks and the readers."""
    found = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        name = path.relative_to(PACKAGE).as_posix()
        tree = ast.parse(path.read_text(encoding="utf-8"))
        imports_problem = any(
            isinstance(node, ast.ImportFrom) and any(alias.name == "Problem" for alias in node.names)
            for node in ast.walk(tree)
        )
        if imports_problem or name.startswith("validate/") or name in READERS:
            found[name] = tree
    return found


MODULES = _problem_modules()


def _strings(tree: ast.Module) -> set[str]:
    return {node.value for node in ast.walk(tree) if isinstance(node, ast.Constant) and isinstance(node.value, str)}


def _made(tree: ast.Module) -> list[tuple[str, str | None, int]]:
    """(code, severity or None when not written as a literal, line) for each problem the module makes
    with a literal code: a maker's first argument, a `code=` keyword, or a (code, message, severity) tuple."""
    made = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            callee = node.func.id if isinstance(node.func, ast.Name) else getattr(node.func, "attr", None)
            keywords = {k.arg: k.value for k in node.keywords}
            severity = keywords.get("severity", ast.Constant("error"))
            severity = severity.value if isinstance(severity, ast.Constant) else None
            first = node.args[0] if node.args else keywords.get("code")
            if callee in MAKERS and isinstance(first, ast.Constant) and isinstance(first.value, str):
                if callee == "Problem" or WORD.fullmatch(first.value):  # a helper may take the message first
                    made.append((first.value, severity if callee == "Problem" else None, node.lineno))
        elif (
            isinstance(node, ast.Tuple) and len(node.elts) == 3 and all(isinstance(e, ast.Constant) for e in node.elts)
        ):
            code, _, severity = (e.value for e in node.elts)
            if isinstance(code, str) and KEBAB.fullmatch(code) and severity in ("error", "warning"):
                made.append((code, severity, node.lineno))
    return made


def frictionless_types() -> set[str]:
    """The error types frictionless can hand validate/table.py, which passes each through as a code:
    what its baseline check (the only one we run) reports about rows, cells, labels and file
    counts, and what its package, resource, schema and dialect readers raise (with their
    subclasses: a field, a source, a scheme, a format, an encoding, a compression, a control)."""
    from frictionless import errors
    from frictionless.checks import baseline

    def family(cls) -> set[str]:
        return {cls.type}.union(*(family(sub) for sub in cls.__subclasses__()))

    readers = (errors.PackageError, errors.ResourceError, errors.SchemaError, errors.DialectError)
    return {error.type for error in baseline.Errors}.union(*(family(cls) for cls in readers))


def _guide_ids() -> set[str]:
    """The heading ids of the guide as the site renders them (mkdocs.yml: toc and attr_list)."""
    md = markdown.Markdown(extensions=["toc", "attr_list", "tables"])
    html = md.convert(GUIDE.read_text(encoding="utf-8"))
    return set(re.findall(r'<h[1-6] id="([^"]+)"', html))


def test_the_guide_table_is_the_one_the_registry_writes():
    page = GUIDE.read_text(encoding="utf-8")
    assert problemcodes.with_table(page) == page, "run make docs-codes"
    for code in CODES:
        assert f"`{code}`" in page.split(problemcodes.START)[1].split(problemcodes.END)[0], code


def test_codes_sharing_an_explanation_share_a_row_and_severities_are_marked():
    table = problemcodes.guide_table()
    assert (
        "| `package-error`、`resource-error`、`schema-error`、`field-error` | Frictionless 认为元数据本身无效 |"
        in table
    )
    assert "| `formula-like`（警告） |" in table
    assert "| `invisible-character`（错误或警告） |" in table
    assert table.count("\n") == 2 + len({(c.explanation, c.fix, c.severity) for c in CODES.values()})


def test_every_code_the_source_makes_is_registered_with_its_severity():
    made = [(name, line, code, severity) for name, tree in MODULES.items() for code, severity, line in _made(tree)]
    assert len({code for _, _, code, _ in made}) > 60  # the scan sees the checks, not nothing
    assert [(name, line, code) for name, line, code, _ in made if code not in CODES] == []
    wrong = [
        (name, line, code, severity)
        for name, line, code, severity in made
        if severity is not None and severity not in CODES[code].severity
    ]
    assert wrong == []


def test_every_kebab_case_string_in_the_problem_modules_is_a_code():
    strings = {(name, s) for name, tree in MODULES.items() for s in _strings(tree) if KEBAB.fullmatch(s)}
    unknown = sorted((name, s) for name, s in strings if s not in CODES and s not in NOT_CODES)
    assert unknown == [], "register the code, or add the string to NOT_CODES if it is not one"


def test_every_registered_code_is_made_somewhere():
    written = set().union(*(_strings(tree) for tree in MODULES.values()))
    ours = {code for code, entry in CODES.items() if not entry.frictionless}
    assert sorted(ours - written) == []
    assert NOT_CODES <= written  # a stale exception would hide nothing, but it should go


def test_the_frictionless_codes_are_exactly_the_types_frictionless_can_pass_through():
    registered = {code for code, entry in CODES.items() if entry.frictionless}
    assert registered == frictionless_types()


def test_a_frictionless_type_the_guide_did_not_list_before_reaches_the_report_registered(repo_factory):
    repo = repo_factory(["tiny"])
    descriptor = repo / "datasets/tiny/datapackage.json"
    data = json.loads(descriptor.read_text(encoding="utf-8"))
    data["resources"][0]["bytes"] = 3
    descriptor.write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")
    settings = load_settings(repo)
    report = validate(discover(settings.datasets_dir), settings)
    assert report.flatten(["file", "code"]) == [["datasets/tiny/data/items.csv", "byte-count"]]


def test_an_unknown_code_is_refused_when_the_problem_is_made():
    with pytest.raises(ValueError, match=r"datasets/x/datapackage.json: problem code 'no-such-code' is not registered"):
        Problem("no-such-code", "message", "datasets/x/datapackage.json")


@pytest.mark.parametrize(
    "code, severity", [("formula-like", "error"), ("type-error", "warning"), ("type-error", "fatal")]
)
def test_a_severity_the_registry_does_not_allow_is_refused(code, severity):
    with pytest.raises(ValueError, match=f"problem code '{code}' may not be '{severity}'"):
        Problem(code, "message", "f", severity=severity)


def test_a_code_with_both_severities_takes_either():
    assert CODES["invisible-character"].severity == EITHER
    assert Problem("invisible-character", "m", "f", severity="warning").is_error is False
    assert Problem("invisible-character", "m", "f").is_error is True


def test_each_entry_has_a_chinese_title_and_fix_and_an_anchor_the_guide_renders():
    ids = _guide_ids()
    for code, entry in CODES.items():
        assert KEBAB.fullmatch(code) or code.isalpha(), code
        assert CJK.search(entry.title) and CJK.search(entry.fix), code
        assert len(entry.title) <= 45, f"{code}: the title is a short name; the rest goes in meaning"
        assert entry.meaning != entry.title, code
        assert entry.severity in (ERROR, WARNING, EITHER), code
        assert entry.anchor in ids, f"{code}: no heading {{ #{entry.anchor} }} in the guide"


def test_the_command_checks_and_rewrites_the_table(tmp_path):
    page = GUIDE.read_text(encoding="utf-8")
    stale = tmp_path / "maintainers.md"
    stale.write_text(page.replace("| `symlink` | 符号链接 |", "| `symlink` | 链接 |"), encoding="utf-8")
    assert problemcodes.main(["--check", str(GUIDE)]) == 0
    assert problemcodes.main(["--check", str(stale)]) == 1
    assert problemcodes.main(["--write", str(stale)]) == 0
    assert stale.read_text(encoding="utf-8") == page


def test_a_guide_without_the_markers_is_refused(tmp_path):
    with pytest.raises(ValueError, match="problem-codes:start"):
        problemcodes.with_table("# 维护者指南\n")
