"""The docs tell the truth: every problem code and every command is documented."""

from __future__ import annotations

import re

from conftest import ROOT

SOURCE = "".join(p.read_text(encoding="utf-8") for p in (ROOT / "scripts/gongkai").rglob("*.py"))
MAINTAINERS = (ROOT / "docs/guide/maintainers.md").read_text(encoding="utf-8")
DEVELOPERS = (ROOT / "docs/guide/developers.md").read_text(encoding="utf-8")


def emitted_codes() -> set[str]:
    codes = set(re.findall(r'(?:Problem|problem)\(\s*"([a-z0-9-]+)"', SOURCE))
    codes |= set(re.findall(r'found\.append\(\("([a-z0-9-]+)"', SOURCE))
    codes |= set(re.findall(r'case "([a-z0-9-]+)"', SOURCE))
    return codes


def test_every_problem_code_is_documented_for_maintainers():
    codes = emitted_codes()
    assert len(codes) > 25
    assert sorted(c for c in codes if f"`{c}`" not in MAINTAINERS) == []


def test_every_cli_command_is_documented():
    from gongkai.cli import _parser
    from gongkai.cliwords import HELP

    commands = _parser(HELP["en"])._subparsers._group_actions[0].choices
    for name in commands:
        assert f"gongkai {name}" in DEVELOPERS, name
        assert f"gongkai {name}" in (ROOT / "README.md").read_text(encoding="utf-8"), name


def test_the_readme_names_the_settings_file_and_the_two_commands():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "gongkai.yml" in readme and "make site" in readme and "make test" in readme
    assert "make test" in (ROOT / ".ci/run").read_text(encoding="utf-8")
