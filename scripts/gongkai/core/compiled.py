"""Jinja's compiled templates kept between builds (its own bytecode cache), for gongkai's page
templates and the theme's: compiling Material's templates took about half a second in each
interface's MkDocs process, and gongkai's own a fifth of a second in the pipeline, every build.

Jinja keys each compiled template by the template's name and file and checks it against a hash
of the source, so an edited template is compiled again; what it compiles to also depends on the
environment's settings, which name the folder (`keep`). The folder is inside build/rendered/,
which a build refuses when git tracks it (publish/cache.check_untracked): compiled code from a
pull request would run in the build.
"""

from __future__ import annotations

import hashlib
import sys
from pathlib import Path

import jinja2

FOLDER = Path("build/rendered/jinja")  # inside publish/cache.py's RENDERED


def keep(env: jinja2.Environment, root: Path) -> None:
    """env keeps what it compiles under root's FOLDER, in the folder of its settings."""
    settings = [
        jinja2.__version__,
        sys.version,
        env.block_start_string,
        env.block_end_string,
        env.variable_start_string,
        env.variable_end_string,
        env.comment_start_string,
        env.comment_end_string,
        env.line_statement_prefix,
        env.line_comment_prefix,
        env.trim_blocks,
        env.lstrip_blocks,
        env.newline_sequence,
        env.keep_trailing_newline,
        sorted(env.extensions),
        env.optimized,
        env.is_async,
        _named(env.autoescape),
        _named(env.finalize),
    ]
    folder = root / FOLDER / hashlib.sha256(repr(settings).encode()).hexdigest()[:16]
    folder.mkdir(parents=True, exist_ok=True)
    env.bytecode_cache = jinja2.FileSystemBytecodeCache(str(folder))


def _named(value: object) -> str:
    # a function by its name (its code is gongkai's, Jinja's or the theme's own), anything else as itself
    name = getattr(value, "__qualname__", None)
    return f"{getattr(value, '__module__', '')}.{name}" if callable(value) and name else repr(value)
