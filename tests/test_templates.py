"""The page templates: one set for both languages, every value escaped on its one path.

In-process: a tiny dataset is exported into a temporary folder and its pages rendered
from its model, without MkDocs or a subprocess.
"""

from __future__ import annotations

import json
import re
import shutil

import pytest
from conftest import PACKAGES, ROOT
from gongkai.core.config import load_settings
from gongkai.perdataset import export_entry
from gongkai.read.load import discover
from gongkai.render import messages
from gongkai.render.listings import render_catalog
from gongkai.render.render import PageExtras, dataset_model, quality_model, render_dataset, render_home
from gongkai.render.templating import render

TEMPLATES = ROOT / "scripts" / "gongkai" / "render" / "templates"
HOSTILE = '</title><script>alert(1)</script>{{ 7*7 }}{: onclick="x" }[a](javascript:alert(2))\n\u2028line'


def _shape(value):
    if isinstance(value, dict):
        return {k: _shape(v) for k, v in value.items() if k != "lang"}
    if isinstance(value, (list, tuple)):
        return [type(v).__name__ for v in value]
    return "none" if value is None else "text"


def test_every_message_exists_in_both_languages_with_the_same_slots():
    zh, en = messages.ZH, messages.EN
    assert _shape(zh).keys() == _shape(en).keys()
    for key in zh:
        if isinstance(zh[key], str) and isinstance(en[key], str):
            assert set(re.findall(r"\{(\w+)\}", zh[key])) == set(re.findall(r"\{(\w+)\}", en[key])), key
        if isinstance(zh[key], dict):
            assert zh[key].keys() == en[key].keys(), key
        if isinstance(zh[key], (list, tuple)):
            assert len(zh[key]) == len(en[key]), key


def test_templates_never_switch_escaping_off():
    for path in TEMPLATES.glob("*.j2"):
        text = path.read_text(encoding="utf-8")
        assert "|safe" not in text.replace(" ", ""), path.name
        assert "autoescape" not in text, path.name


def test_a_missing_message_is_an_error_not_a_blank():
    from gongkai.render import templating
    from jinja2 import UndefinedError

    template = templating.environment().from_string("{{ msg.no_such_message }}")
    with pytest.raises(UndefinedError, match="no_such_message"):
        template.render(msg=templating._Messages(messages.EN))


@pytest.fixture
def tiny_model(tmp_path):
    """The tiny fixture with hostile text in every metadata field a page shows."""
    return _tiny_model(tmp_path)


CONTACT = "data+纠错@example.org"


@pytest.fixture
def tiny_model_with_contact(tmp_path):
    """The same, with a contact e-mail (operator.email) set in gongkai.yml."""
    return _tiny_model(tmp_path, email=CONTACT)


def _tiny_model(tmp_path, email: str | None = None):
    repo = tmp_path / "repo"
    (repo / "datasets").mkdir(parents=True)
    settings_text = (ROOT / "gongkai.yml").read_text(encoding="utf-8")
    if email:
        settings_text = settings_text.replace("  # email: data@example.org", f'  email: "{email}"')
        assert email in settings_text
    (repo / "gongkai.yml").write_text(settings_text, encoding="utf-8")
    shutil.copytree(PACKAGES / "tiny", repo / "datasets" / "tiny")
    path = repo / "datasets/tiny/datapackage.json"
    desc = json.loads(path.read_text(encoding="utf-8"))
    desc["title"] = "标题" + HOSTILE
    desc["description"] = "说明" + HOSTILE
    desc["keywords"] = [HOSTILE]
    desc["sources"][0]["title"] = HOSTILE
    desc["sources"][0]["citation"] = HOSTILE
    desc["contributors"][0]["title"] = HOSTILE
    field = desc["resources"][0]["schema"]["fields"][0]
    field["title"], field["description"], field["title_en"] = HOSTILE, HOSTILE, "Item " + HOSTILE
    desc["title_en"] = "Tiny " + HOSTILE
    path.write_text(json.dumps(desc, ensure_ascii=False), encoding="utf-8")
    settings = load_settings(repo)
    (ds,) = discover(settings.datasets_dir)
    entry = export_entry(ds, settings, tmp_path / "out")
    quality = quality_model([], 0, "2026-12-02")
    return dataset_model(entry, settings), PageExtras(quality, []), entry, settings


def _html_parts(page: str) -> str:
    """The page without its front matter (JSON, checked by test_security_pages) and its code blocks."""
    body = page.split("\n---\n", 1)[1]
    return re.sub(r"<pre>.*?</pre>", "", body, flags=re.S)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_hostile_metadata_reaches_the_page_escaped(tiny_model, lang):
    model, extras, _, settings = tiny_model
    page = _html_parts(render_dataset(model, extras, settings, lang))
    assert "<script" not in page and "</title>" not in page
    assert "{{" not in page and "{:" not in page  # braces are entities: no Jinja, no attribute list
    # In Markdown (headings; raw HTML blocks are not Markdown) a link in a title stays text
    markdown_lines = [line for line in page.splitlines() if line.startswith("#")]
    assert markdown_lines and not any("](javascript" in line for line in markdown_lines)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "\u2028" in page  # the separator is kept (the hook holds it across the i18n plugin)


def test_one_template_set_makes_both_languages(tiny_model):
    model, extras, _, settings = tiny_model
    zh, en = render_dataset(model, extras, settings, "zh"), render_dataset(model, extras, settings, "en")
    headings = lambda page: re.findall(r"^##+ ", page, flags=re.M)  # noqa: E731
    assert headings(zh) == headings(en)  # the same sections, in the same order
    assert "## 数据字典" in zh and "## Data dictionary" in en
    assert "# Tiny " in en and "# 标题" in zh  # the English title where the descriptor gives one
    assert "Item &lt;/title&gt;" in en  # the field's English title
    assert 'href="../../../datasets/tiny/items.csv"' in en  # files are published once, beside the Chinese page
    assert 'href="items.csv"' in zh


def test_home_and_catalog_in_both_languages(tiny_model):
    _, _, entry, settings = tiny_model
    summaries = [entry.summary()]
    assert "个数据集" in render_home(summaries, settings, None, "zh")
    en_home = render_home(summaries, settings, None, "en")
    assert "Recently updated" in en_home and "# Tiny " in en_home or "[Tiny " in en_home
    en_catalog = render_catalog(summaries, settings, "en")
    assert 'data-count-all="{n} datasets"'.replace("{", "&#123;").replace("}", "&#125;") in en_catalog
    assert "<script" not in en_catalog


def test_fill_escapes_values_and_words_apart():
    # a value with braces and markup cannot become a slot or a tag
    item = type("T", (), {"name": "{n}<b>", "slug": "a b"})()
    out = render("index.md.j2", kind="topics", settings=load_settings(ROOT), items=[(item, 3)])
    assert "&#123;n&#125;&lt;b&gt;" in out.replace("\\", "") and "(a%20b/index.md)" in out


def _hrefs(page: str, start: str) -> list[str]:
    from html import unescape

    return [unescape(h) for h in re.findall(r'href="(' + re.escape(start) + r'[^"]*)"', page)]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_report_by_email_is_prefilled_like_the_issue(tiny_model_with_contact, lang):
    from urllib.parse import parse_qs, unquote, urlsplit

    model, extras, _, settings = tiny_model_with_contact
    page = render_dataset(model, extras, settings, lang)
    (report,) = re.findall(r'<p class="gk-report">.*?</p>', page)
    (mailto,) = _hrefs(report, "mailto:")
    (issue,) = _hrefs(report, settings.repository + "/issues/new")
    parts = urlsplit(mailto)
    assert unquote(parts.path) == CONTACT
    mail, github = parse_qs(parts.query), parse_qs(urlsplit(issue).query)
    assert mail["subject"] == github["title"] and mail["subject"][0].startswith("[纠错] 标题</title>")
    assert mail["body"][0] == github["body"][0].replace("\n", "\r\n")  # RFC 6068: line breaks as CRLF
    assert "页面：" + settings.url_for("datasets/tiny/") in mail["body"][0]
    # RFC 6068: only unreserved characters stay as they are; the hostile title cannot leave the attribute
    assert re.fullmatch(r"[A-Za-z0-9%@+._~=&?:-]*", mailto), mailto
    assert "<script" not in _html_parts(page)


def test_without_a_contact_address_only_the_issue_links_show(tiny_model):
    model, extras, entry, settings = tiny_model
    page = render_dataset(model, extras, settings, "zh")
    (report,) = re.findall(r'<p class="gk-report">.*?</p>', page)
    assert "mailto:" not in report and "/issues/new?" in report and "发邮件" not in report
    home = render_home([entry.summary()], settings, None, "zh")
    assert "数据需求" in home and "mailto:" not in home and "发邮件提出" not in home


def test_request_a_dataset_by_issue_and_by_email(tiny_model_with_contact):
    from urllib.parse import parse_qs, urlsplit

    _, _, entry, settings = tiny_model_with_contact
    for page in (render_home([entry.summary()], settings, None, "en"), render_catalog([entry.summary()], settings)):
        (mailto,) = _hrefs(page, "mailto:")
        assert parse_qs(urlsplit(mailto).query)["subject"] == ["[数据需求] "]
        assert len(_hrefs(page, settings.repository + "/issues/new")) == 1


def test_english_pages_name_publishers_topics_and_frequencies_in_english(tiny_model):
    _, _, entry, settings = tiny_model
    assert settings.localise("publisher", "国家统计局", "en") == "National Bureau of Statistics"
    assert settings.localise("frequency", "每年", "en") == "Yearly"
    assert settings.localise("open_type", "无条件开放", "en") == "Open to all"
    assert settings.localise("licence", "CC-BY-4.0", "en") == "Creative Commons Attribution 4.0 International"
    assert settings.localise("topic", "政务公开", "zh") == "政务公开"
    assert settings.localise("topic", "no such topic", "en") == "no such topic"  # unknown: as given
    with pytest.raises(KeyError):
        settings.localise("colour", "红", "en")
    template = "{{ localise('publisher', p) }}|{{ localise('topic', ts)|join(', ') }}"
    from gongkai.render.templating import environment

    out = environment().from_string(template).render(settings=settings, lang="en", p="广州市人民政府", ts=["政务公开"])
    assert out == "Guangzhou Municipal People&#x27;s Government|Open government"
    summary = entry.summary()
    catalog = render_catalog([summary], settings, "en")
    assert settings.localise("publisher", summary.publisher, "en") in catalog.replace("&#x27;", "'")
    cells = [c.replace("&#x27;", "'") for c in re.findall(r"<dd>([^<]*)</dd>", catalog)]  # the cards' facts
    assert summary.publisher not in cells and settings.localise("publisher", summary.publisher, "en") in cells
    options = re.findall(r'<option value="([^"]*)">([^<]*)</option>', catalog)
    assert ("政务公开", "Open government (1)") in options  # the filters' values stay as the data, shown in English
