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

from ..core import repofiles, safeyaml
from ..core.config import Settings
from ..core.errors import InvalidData
from ..core.problems import Problem, Report

GENERATOR_CONFIG = "mkdocs.yml"
DOCS_DIR = "build/docs"  # where the build writes the pages MkDocs reads (build.BUILD_DOCS)
HOOKS_DIR = "scripts/"  # a hook is pipeline code; one elsewhere (docs/, datasets/) would be data run as code
THEME_DIR = "overrides/"  # the theme's templates: site code
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
    and !relative) only, pages from build/docs, hooks from scripts/, templates from overrides/,
    no other settings file. Problems name the line."""
    try:
        text = repofiles.read_text(root, GENERATOR_CONFIG)
    except FileNotFoundError:
        return [
            Problem("generator-config", f"{GENERATOR_CONFIG} is missing", GENERATOR_CONFIG, params={"rule": "missing"})
        ]
    except UnicodeDecodeError as exc:
        return [
            Problem(
                "generator-config",
                f"{GENERATOR_CONFIG} is not UTF-8 ({exc.reason} at byte {exc.start})",
                GENERATOR_CONFIG,
                params={"rule": "utf-8", "byte": exc.start},
            )
        ]
    limits = settings.limits
    try:
        data = safeyaml.load(
            text, max_bytes=limits.max_yaml_bytes, max_depth=limits.max_nesting, scalar_tags=MKDOCS_TAGS
        )
    except safeyaml.YamlRefused as exc:
        return [
            Problem(
                "generator-config",
                f"{exc.message}; MkDocs would read it with a loader that runs code, so nothing was built",
                GENERATOR_CONFIG,
                line=exc.line,
                params={"rule": "refused", "reason": exc.message},
            )
        ]
    if not isinstance(data, dict):
        return [
            Problem(
                "generator-config",
                "expected a mapping of MkDocs settings at the top level",
                GENERATOR_CONFIG,
                line=1,
                params={"rule": "mapping"},
            )
        ]
    lines = _key_lines(text)
    return [
        Problem(
            "generator-config",
            message,
            GENERATOR_CONFIG,
            line=lines.get(key.split(".")[0]),
            field=key,
            params={"zh": zh},
        )
        for key, message, zh in _unsafe_settings(root, data)
    ]


def _unsafe_settings(root: Path, data: dict):
    """(setting, why, why in Chinese) for each setting that would let files a pull request controls run as code
    in MkDocs: pages are data, so none of them may become a template, a hook or more settings."""
    if data.get("docs_dir", "docs") != DOCS_DIR:
        yield (
            "docs_dir",
            (
                f"docs_dir is {data.get('docs_dir', 'docs')!r}; it must be "
                f"{DOCS_DIR!r}, where gongkai writes the pages it checked"
            ),
            f"docs_dir 是 {data.get('docs_dir', 'docs')!r}；它必须是 {DOCS_DIR!r}，gongkai 把检查过的页面写在那里",
        )
    for key in (
        "INHERIT",
        "extra_templates",
    ):  # another YAML file for MkDocs' loader; pages rendered as Jinja (which reaches Python)
        if key in data:
            yield (
                key,
                (
                    f"{key} is not allowed: MkDocs would read {data[key]!r} as "
                    f"{'settings with its own YAML loader' if key == 'INHERIT' else 'Jinja templates'}"
                ),
                f"不允许 {key}：MkDocs 会把 {data[key]!r} 当作"
                f"{'设置，用它自己的 YAML 加载器读入' if key == 'INHERIT' else ' Jinja 模板'}",
            )
    hooks = data.get("hooks") or []
    for hook in hooks if isinstance(hooks, list) else [hooks]:
        if not (isinstance(hook, str) and _inside(root, hook, HOOKS_DIR)):
            yield (
                "hooks",
                (
                    f"the hook {hook!r} is not under {HOOKS_DIR}: a hook is Python run by the build, so it must be "
                    "site code a maintainer reviewed"
                ),
                f"钩子 {hook!r} 不在 {HOOKS_DIR} 下：钩子是构建时运行的 Python，必须是维护者审查过的网站代码",
            )
    theme = data.get("theme")
    if not isinstance(theme, dict):
        theme = {}
    custom = theme.get("custom_dir")
    if custom is not None and not (isinstance(custom, str) and _inside(root, custom, THEME_DIR)):
        yield (
            "theme.custom_dir",
            (
                f"theme.custom_dir is {custom!r}; templates are Jinja, "
                f"which reaches Python, so they come from {THEME_DIR} only"
            ),
            f"theme.custom_dir 是 {custom!r}；模板是能执行 Python 的 Jinja，所以只能来自 {THEME_DIR}",
        )
    if "static_templates" in theme:
        yield (
            "theme.static_templates",
            "theme.static_templates is not allowed: it renders more files as Jinja templates",
            "不允许 theme.static_templates：它把更多文件当作 Jinja 模板渲染",
        )


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
        Problem(
            "site-code-changed",
            f"{path} is site code, not data: this change needs a maintainer's review before it is merged",
            path,
            params={"path": path},
        )
        for path in sorted(set(paths))
        if is_site_code(path)
    ]


def _inside(root: Path, path: str, folder: str) -> bool:
    resolved = (root / path).resolve()
    return resolved.is_relative_to((root / folder).resolve()) and ".." not in PurePosixPath(path).parts


def _key_lines(text: str) -> dict[str, int]:
    """The line of each top-level key, for messages."""
    lines: dict[str, int] = {}
    for number, line in enumerate(text.splitlines(), 1):
        if line[:1].isalpha() and ":" in line:
            lines.setdefault(line.split(":", 1)[0].strip(), number)
    return lines
