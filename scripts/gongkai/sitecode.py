"""Site code is not data.

A pull request may change datasets and hand-written pages: gongkai validates those. Files
that run or shape the build and the site (the generator's settings, the theme overrides, the
site's own script and style, the pipeline, the workflows) are code: `gongkai check` lists
each change to them as needing a maintainer's review, and the build reads mkdocs.yml with
the safe YAML reader before MkDocs does, because MkDocs' own loader constructs Python
objects from tags such as !!python/object/apply (a command run at build time).
"""

from __future__ import annotations

from pathlib import Path, PurePosixPath

from . import safeyaml
from .config import Settings
from .errors import InvalidData
from .problems import Problem, Report

GENERATOR_CONFIG = "mkdocs.yml"
DOCS_DIR = "build/docs"  # where the build writes the pages MkDocs reads (build.BUILD_DOCS)
HOOKS_DIR = "scripts/"  # a hook is pipeline code; one elsewhere (docs/, datasets/) would be data run as code
MKDOCS_TAGS = ("!ENV", "!relative")  # the only local tags MkDocs itself defines
# Paths (a file, or a folder ending in /) whose change is a change of the site's code.
SITE_CODE = (
    GENERATOR_CONFIG,
    "gongkai.yml",  # site settings and the limits that bound what a pull request can make the build do
    "overrides/",
    "docs/assets/",  # the site's own script and style, loaded by every page
    "scripts/",  # the pipeline and the MkDocs hook (scripts/gongkai/mkdocs_hook.py)
    ".github/",
    ".ci/",
    "Makefile",
    "pyproject.toml",
    "tests/",
    "benchmarks/",
)


def check_generator_config(root: Path, settings: Settings) -> list[Problem]:
    """Whether mkdocs.yml is safe to hand to MkDocs: plain YAML values (and MkDocs' own !ENV
    and !relative) only, pages from build/docs, hooks from scripts/. Problems name the line."""
    path = root / GENERATOR_CONFIG
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return [Problem("generator-config", f"{GENERATOR_CONFIG} is missing", GENERATOR_CONFIG)]
    except UnicodeDecodeError as exc:
        return [Problem("generator-config", f"{GENERATOR_CONFIG} is not UTF-8 ({exc.reason} at byte {exc.start})", GENERATOR_CONFIG)]
    limits = settings.limits
    try:
        data = safeyaml.load(text, max_bytes=limits.max_yaml_bytes, max_depth=limits.max_nesting, scalar_tags=MKDOCS_TAGS)
    except safeyaml.YamlRefused as exc:
        return [
            Problem(
                "generator-config", f"{exc.message}; MkDocs would read it with a loader that runs code, so nothing was built", GENERATOR_CONFIG, line=exc.line
            )
        ]
    if not isinstance(data, dict):
        return [Problem("generator-config", "expected a mapping of MkDocs settings at the top level", GENERATOR_CONFIG, line=1)]
    problems = []
    lines = _key_lines(text)
    if data.get("docs_dir", "docs") != DOCS_DIR:
        message = f"docs_dir is {data.get('docs_dir', 'docs')!r}; it must be {DOCS_DIR!r}, where gongkai writes the pages it checked"
        problems.append(Problem("generator-config", message, GENERATOR_CONFIG, line=lines.get("docs_dir"), field="docs_dir"))
    hooks = data.get("hooks") or []
    for hook in hooks if isinstance(hooks, list) else [hooks]:
        if not (isinstance(hook, str) and _inside(root, hook, HOOKS_DIR)):
            message = f"the hook {hook!r} is not under {HOOKS_DIR}: a hook is Python run by the build, so it must be site code a maintainer reviewed"
            problems.append(Problem("generator-config", message, GENERATOR_CONFIG, line=lines.get("hooks"), field="hooks"))
    return problems


def require_generator_config(root: Path, settings: Settings) -> None:
    """Stop the build before anything runs MkDocs on a refused mkdocs.yml."""
    problems = check_generator_config(root, settings)
    if problems:
        raise InvalidData(Report(problems=problems))


def is_site_code(path: str) -> bool:
    """Whether a repository path (POSIX, relative to the root) is site code."""
    if "__pycache__/" in path or path.endswith(".pyc"):
        return False  # Python's own cache beside the code, never committed
    return any(path == code or (code.endswith("/") and path.startswith(code)) for code in SITE_CODE)


def site_code_problems(paths: list[str]) -> list[Problem]:
    """One failing problem per changed site-code file: a data pull request changes none, a code
    pull request is told apart and waits for a maintainer's review."""
    return [
        Problem("site-code-changed", f"{path} is site code, not data: this change needs a maintainer's review before it is merged", path)
        for path in sorted(set(paths))
        if is_site_code(path)
    ]


def _inside(root: Path, path: str, folder: str) -> bool:
    resolved = (root / path).resolve()
    return resolved.is_relative_to((root / folder).resolve()) and ".." not in PurePosixPath(path).parts


def _key_lines(text: str) -> dict[str, int]:
    """The line of each top-level key, for messages."""
    lines = {}
    for number, line in enumerate(text.splitlines(), 1):
        if line[:1].isalpha() and ":" in line:
            lines.setdefault(line.split(":", 1)[0].strip(), number)
    return lines
