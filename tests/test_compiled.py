"""Compiled templates kept between builds (core/compiled.py): loaded, not compiled again, while the
template and the environment's settings are the same; compiled again when either changes."""

from __future__ import annotations

import jinja2
from gongkai.core import compiled

SOURCE = "{% for x in items %}\n  <li>{{ x }}</li>\n{% endfor %}\n"


def _env(root, templates: dict[str, str], **settings) -> tuple[jinja2.Environment, list[str]]:
    env = jinja2.Environment(loader=jinja2.DictLoader(templates), autoescape=True, **settings)
    compiled.keep(env, root)
    made: list[str] = []
    compile_ = env.compile

    def counted(source, name=None, filename=None, raw=False, defer_init=False):
        made.append(name)
        return compile_(source, name, filename, raw, defer_init)

    env.compile = counted  # type: ignore[method-assign]
    return env, made


def test_a_template_compiled_by_one_build_is_loaded_by_the_next(tmp_path):
    first, made = _env(tmp_path, {"t": SOURCE})
    page = first.get_template("t").render(items=["<a>", "b"])
    assert made == ["t"] and "&lt;a&gt;" in page
    second, made = _env(tmp_path, {"t": SOURCE})
    assert second.get_template("t").render(items=["<a>", "b"]) == page
    assert made == []  # from the kept bytecode


def test_an_edited_template_or_other_settings_compile_again(tmp_path):
    first, _ = _env(tmp_path, {"t": SOURCE})
    plain = first.get_template("t").render(items=["a"])
    edited, made = _env(tmp_path, {"t": SOURCE.replace("<li>", "<li class=x>")})
    assert "class=x" in edited.get_template("t").render(items=["a"]) and made == ["t"]
    trimmed, made = _env(tmp_path, {"t": SOURCE}, trim_blocks=True, lstrip_blocks=True)
    assert trimmed.get_template("t").render(items=["a"]) != plain and made == ["t"]
    unescaped = jinja2.Environment(loader=jinja2.DictLoader({"t": SOURCE}), autoescape=False)
    compiled.keep(unescaped, tmp_path)
    assert "<a>" in unescaped.get_template("t").render(items=["<a>"])  # not autoescape's code
