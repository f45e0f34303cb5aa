"""Paths a pull request names in redirects.yml and withdrawn.yml: each passes pathcheck.resolve,
so none leaves the site, replaces one of its own routes or writes a rule into _redirects.

The hostile builds run on one repository that has been built once: each must exit 1 with
the file, line and value in the report, leave site/ byte for byte as it was, and write
nothing outside the repository.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

import pytest
from conftest import copy_repo, gongkai
from gongkai.core.config import Limits
from gongkai.core.errors import BuildError
from gongkai.core.output import sync_tree
from gongkai.core.pathcheck import refusal, reserved, resolve
from gongkai.publish.redirects import redirect_files, redirected_paths
from gongkai.publish.urls import host_files

CSV = "/datasets/tiny/items.csv"
LIMITS = Limits(max_csv_bytes=1 << 20, max_descriptor_bytes=1 << 20, preview_rows=5, max_listed_problems=50)


@pytest.fixture(scope="module")
def built(built_tiny, tmp_path_factory):
    return copy_repo(built_tiny, tmp_path_factory.mktemp("paths") / "repo")


def _state(repo: Path) -> dict[str, str]:
    """Every file beside and inside the repository (its build/ scratch folder aside), with its SHA-256."""
    found = {}
    for dirpath, dirnames, filenames in os.walk(repo.parent):
        if Path(dirpath) == repo:
            dirnames.remove("build")
        for name in filenames:
            path = Path(dirpath, name)
            found[str(path.relative_to(repo.parent))] = hashlib.sha256(path.read_bytes()).hexdigest()
    return found


def _refused(repo: Path, name: str, text: str) -> str:
    """Build with one hostile root file; the build must fail and change nothing. Its report."""
    before = _state(repo)
    (repo / name).write_text(text, encoding="utf-8")
    try:
        result = gongkai("build", cwd=repo)
    finally:
        (repo / name).unlink()
    assert result.returncode == 1, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    assert _state(repo) == before  # site/ as it was, nothing new beside the repository or in it
    return result.stdout + result.stderr


def _yaml_map(pairs: list[tuple[str, str]]) -> str:
    return "".join(f"{json.dumps(old)}: {json.dumps(new)}\n" for old, new in pairs)  # JSON strings are YAML strings


# (old, new, what the report says about it); one entry per line of redirects.yml
HOSTILE_REDIRECTS = [
    ("/../../../evil.csv", CSV, "has a .. segment"),  # a hard link to the PR's CSV beside the repository
    ("/datasets/../../evil.csv", CSV, "has a .. segment"),  # ... inside the repository, outside build/docs
    ("/assets/gongkai.js", CSV, "is under /assets/"),  # the site's own script, loaded by every page
    (
        "/x.csv /datasets/tiny/items.csv 301\n/*",
        "https://evil.example/:splat",
        "has white space (U+0020",
    ),  # a rule for every URL
    ("/y.csv\t/*", CSV, "has white space (U+0009)"),
    ("/w.csv\n/*", CSV, "has white space (U+000A)"),
    ("/z.csv", CSV + " 301!\n/* https://evil.example/:splat", "has white space (U+0020"),  # the target side too
    ("/*", CSV, "has '*'"),  # a host's wildcard, without any white space
    ("/", "/datasets/tiny/", "is a route the site itself publishes"),  # the home page
    ("/index.html", CSV, "is a route the site itself publishes"),
    ("/en/datasets/old/", "/en/datasets/tiny/", "is under /en/"),  # English pages follow, they are not named
    ("/_redirects", CSV, "starts with _ or ."),
    ("/search/search_index.json", CSV, "is under /search/"),
    ("/404.html", CSV, "is a route the site itself publishes"),
    ("/CATALOG.JSON", CSV, "is a route the site itself publishes"),  # case-insensitive file systems
    ("/%2e%2e/%2e%2e/evil.csv", CSV, "has a %"),
    ("/a\\..\\..\\evil.csv", CSV, "has a backslash"),
    ("/old\u200b.csv", CSV, "U+200B ZERO WIDTH SPACE"),
    ("/old.csv?x=1", CSV, "has '?'"),
    ("/evil.html", CSV, "a file redirects to a file of the same type"),  # a CSV served, or rendered, as a page
    ("/evil.md", CSV, "a file redirects to a file of the same type"),
    (
        "/datasets/tiny/items.csv/",
        "/datasets/tiny/",
        "would be written inside /datasets/tiny/items.csv",
    ),  # a folder over a file
    ("/old" + "/x" * 300 + ".csv", CSV, "the limit is 512"),
    ("/old.csv", "../datasets/tiny/items.csv", "must start with /"),
]


def test_hostile_redirects_are_each_refused_with_their_line_and_value(built):
    out = _refused(built, "redirects.yml", _yaml_map([(old, new) for old, new, _ in HOSTILE_REDIRECTS]))
    for line, (old, new, why) in enumerate(HOSTILE_REDIRECTS, 1):
        reported = [
            x for x in out.splitlines() if x.startswith(f"redirects.yml:{line}: ") and x.endswith("[invalid-redirects]")
        ]
        named = (
            repr(old)[:60],
            repr(new)[:60],
            f"{old} ",
        )  # a refused path as repr (a newline shows), a well-formed one as it is
        assert any(why in x and any(n in x for n in named) for x in reported), (line, old, reported or out)


def test_hostile_withdrawals_are_each_refused_with_their_line_and_value(built):
    names = [
        "..",
        "../..",
        "../../../evil",
        ".",
        "/",
        "a/b",
        "Tiny",
        "tiny\n",
        "x" * 81,
        "-tiny",
    ]  # ".." made datasets/../index.md: the home page
    text = "".join(f"- name: {json.dumps(n)}\n  title: 撤回\n  date: 2026-03-01\n  reason: 测试\n" for n in names)
    out = _refused(built, "withdrawn.yml", text)
    for i, name in enumerate(names):
        assert f"withdrawn.yml:{1 + 4 * i}: /{i}/name: {name!r} is not a dataset name" in out, (name, out)


@pytest.mark.parametrize("name", ["evil\n.md", "a b.png", "x\u202e.md"])
def test_a_hand_written_file_whose_name_is_not_a_site_path_stops_the_build(built, name):
    # Its path would go to urls.lock (one per line) and urls.json: a newline would write a lock line.
    out = _refused(built, f"docs/{name}", "# x\n")
    assert f"the file {name!r} would be published as" in out


@pytest.mark.parametrize(
    ("name", "text", "expected"),
    [
        (
            "redirects.yml",
            "/a: " + "[" * 2000 + "]" * 2000 + "\n",
            "redirects.yml:1: nested more than 32 levels deep [invalid-redirects]",
        ),
        (
            "redirects.yml",
            "".join("  " * i + f"k{i}:\n" for i in range(100)),
            "nested more than 32 levels deep [invalid-redirects]",
        ),
        ("withdrawn.yml", "- " * 3000 + "x\n", "withdrawn.yml:1: nested more than 32 levels deep [invalid-withdrawal]"),
        (
            "redirects.yml",
            'a: &a ["x", "x"]\nb: [*a, *a]\n',
            "redirects.yml:2: aliases (*name) and merge keys (<<) are not allowed",
        ),
        (
            "withdrawn.yml",
            "- !!python/object/apply:os.system [touch ../pwned]\n",
            "withdrawn.yml:1: the tag tag:yaml.org,2002:python/object/apply:os.system is not allowed",
        ),
        (
            "redirects.yml",
            "/a.csv: /b.csv\n/a.csv: /c.csv\n",
            "redirects.yml:2: the key '/a.csv' is given twice [invalid-redirects]",
        ),
        (
            "withdrawn.yml",
            "- {name: zz, title: t, date: 9999-99-99, reason: r}\n",
            "withdrawn.yml:1: '9999-99-99' is not a valid value",
        ),
        ("redirects.yml", "/x/: 2026-02-30\n", "redirects.yml:1: '2026-02-30' is not a valid value"),
    ],
    ids=[
        "flow-nesting",
        "block-nesting",
        "withdrawn-nesting",
        "alias",
        "python-tag",
        "duplicate-key",
        "withdrawn-bad-date",
        "redirect-bad-date",
    ],
)
def test_yaml_that_cannot_be_read_safely_is_refused_with_its_line(built, name, text, expected):
    out = _refused(built, name, text)
    assert expected in out, out
    assert not (built.parent / "pwned").exists()


GOOD_PATHS = [
    "/datasets/x/",
    "/datasets/x/items.csv",
    "/datasets/x/1.0.0/x-1.0.0.zip",
    "/关于/",
    "/a_b~c+d,e@f(g)/",
    "/topics/",
    "/datasets/",
]
BAD_PATHS = [
    (None, "must be a string"),
    (5, "must be a string"),
    (["/a"], "must be a string"),
    ("", "must start with /"),
    ("datasets/x/", "must start with /"),
    ("/a//b", "empty segment"),
    ("//evil.example/", "empty segment"),
    ("/a/./b", "has a . segment"),
    ("/a/../b", "has a .. segment"),
    ("/..", "has a .. segment"),
    ("/a/.git/config", "starts or ends with ."),
    ("/a./", "starts or ends with ."),
    ("/a\\b", "backslash"),
    ("/a%2fb", "has a %"),
    ("/%2e%2e/", "has a %"),
    ("/a b", "white space"),
    ("/a\u3000b", "white space"),  # ideographic space
    ("/a\u2028b", "white space"),
    ("/a\x85b", "white space"),
    ("/a\x00b", "control or format character U+0000"),
    ("/a\x1bb", "control or format character U+001B"),
    ("/a\u202eb", "control or format character U+202E"),  # right-to-left override
    ("/a\ufeffb", "control or format character U+FEFF"),
    ("/a\U000e0041", "control or format character U+E0041"),  # a tag character
    ("/a\ud800", "control or format character U+D800"),  # a lone surrogate
    ("/a?b", "query or fragment"),
    ("/a#b", "query or fragment"),
    ("/a*", "has '*'"),
    ("/:splat", "has ':'"),
    ("/a<b>", "has '<'"),
    ("/a\u2215b", "DIVISION SLASH"),  # looks like a slash
    ("/e\u0301/", "NFC"),
    ("/" + "a" * 201, "longer than 200 bytes"),
    ("/a" * 257, "the limit is 512"),
]
RESERVED_PATHS = [
    "/",
    "/index.html",
    "/assets",
    "/assets/gongkai.js",
    "/ASSETS/gongkai.js",
    "/search/search_index.json",
    "/en/",
    "/en/datasets/x/",
    "/stylesheets/extra.css",
    "/javascripts/x.js",
    "/404.html",
    "/sitemap.xml",
    "/sitemap.xml.gz",
    "/catalog.json",
    "/catalog.schema.json",
    "/catalog.jsonld",
    "/data.json",
    "/feed.xml",
    "/urls.json",
    "/SHA256SUMS",
    "/sha256sums",
    "/_headers",
    "/_redirects",
    "/_anything",
    "/robots.txt",
    "/CNAME",
]


@pytest.mark.parametrize("path", GOOD_PATHS)
def test_the_resolver_accepts_plain_site_paths(path):
    assert resolve(path, code="invalid-redirects", file="redirects.yml") == (path, None)


@pytest.mark.parametrize(("raw", "why"), BAD_PATHS, ids=[repr(r)[:30] for r, _ in BAD_PATHS])
def test_the_resolver_refuses_paths_that_leave_the_site_or_read_two_ways(raw, why):
    path, problem = resolve(raw, code="invalid-redirects", file="redirects.yml", line=7, what="old path", owned=False)
    assert (
        path is None and problem.code == "invalid-redirects" and problem.file == "redirects.yml" and problem.line == 7
    )
    assert why in problem.message and problem.message.startswith("old path " + repr(raw)[:60]), problem.message


@pytest.mark.parametrize("path", RESERVED_PATHS)
def test_the_resolver_refuses_the_sites_own_routes_unless_only_pointed_at(path):
    assert refusal(path) is None and reserved(path)
    assert resolve(path, code="invalid-redirects", file="redirects.yml")[0] is None
    assert resolve(path, code="invalid-redirects", file="redirects.yml", owned=False) == (
        path,
        None,
    )  # a target is read, never written


@pytest.mark.parametrize("redirects", [{"/a b": "/c"}, {"/a": "/c\n/* https://evil.example/ 301!"}, {"/../x.csv": CSV}])
def test_host_files_and_redirect_files_write_only_what_the_resolver_accepts(redirects):
    with pytest.raises(BuildError, match="refusing to write the site path"):
        host_files(redirects, {})
    with pytest.raises(BuildError, match="refusing to write the site path"):
        redirect_files(redirects, {CSV[1:]: b"x", "c": b"x"})


def test_every_host_rule_line_holds_its_three_fields():
    files = host_files(
        {"/datasets/old/": "/datasets/new/", "/datasets/old/a.csv": "/datasets/new/a.csv"},
        {"/datasets/new/1.0.0/a.csv": "0" * 64},
    )
    assert [len(line.split()) for line in files["_redirects"].decode().splitlines()] == [3, 3]
    assert "/datasets/new/1.0.0/*\n" in files["_headers"].decode()


@pytest.mark.parametrize("rel", ["../evil.csv", "a/../../evil.csv", "/tmp/evil.csv", "a//b", "./a", "a\\..\\b"])
def test_sync_tree_refuses_a_path_outside_its_folder(tmp_path, rel):
    with pytest.raises(BuildError, match="not a plain relative path"):
        sync_tree(tmp_path / "out", {"ok.txt": b"x", rel: b"evil"})
    assert not (tmp_path / "evil.csv").exists() and not (tmp_path / "out").exists()


def test_the_gate_reads_redirects_as_the_build_does(tmp_path):
    (tmp_path / "redirects.yml").write_text("/a: " + "[" * 2000 + "]" * 2000 + "\n", encoding="utf-8")
    assert redirected_paths(tmp_path, limits=LIMITS) == set()  # refused, not a RecursionError
    (tmp_path / "redirects.yml").write_text(
        '"/datasets/../datasets/gone/": /datasets/x/\n/datasets/old/: /datasets/new/\n', encoding="utf-8"
    )
    assert redirected_paths(tmp_path, limits=LIMITS) == {"/datasets/old/"}
