"""The site check's reading of page text: Markdown or template syntax that did not render fails
the build, while code, attributes and values (whose syntax characters are entities) pass."""

from __future__ import annotations

import pytest
from gongkai.publish.pagetext import stray_markup
from gongkai.render.markup import esc, esc_md, rich_text

PAGE = "<html><head><title>{title}</title></head><body><article>{body}</article></body></html>"


@pytest.mark.parametrize(
    ("body", "what"),
    [
        ("<p>质量见[全部数据集的质量](../../quality/index.md)</p>", "Markdown link syntax"),
        ("<p>see <strong>[all]</strong>(x.md)</p>", "Markdown link syntax"),
        ("<table><tr><td>新增（`title_en`）</td></tr></table>", "Markdown code in backticks"),
        ("<p>{{ d.title }}</p>", "template markup"),
        ("<p>{% if x %}</p>", "template markup"),
        ("<div>\n## 数据\n</div>", "a Markdown heading that did not render"),
        ("<p>text</p><p># 标题</p>", "a Markdown heading that did not render"),
    ],
)
def test_stray_markup_in_page_text_is_found(body, what):
    found = stray_markup(PAGE.format(title="t", body=body))
    assert found and all(f.startswith(what) for f in found), found


@pytest.mark.parametrize(
    "body",
    [
        "<pre><code>[a](b.md) `c` {{ x }} {% y %}\n## h</code></pre>",
        "<p>Use <code>[text](x.md)</code> and <kbd>{{</kbd></p>",
        '<a href="x.md#a" title="[a](b) {{ c }}">ok</a><img alt="`x`" src="a.svg">',
        "<script>var a = '[x](y) {{ z }}';</script><style>a{b:c}</style>",
        "<p>C# and a#b, 1 # 2, [1] (2)</p>",
    ],
)
def test_code_attributes_and_plain_text_pass(body):
    assert stray_markup(PAGE.format(title="[a](b) {{ x }}", body=body)) == []


HOSTILE = "[x](javascript:alert(1)) {{ 7*7 }} {% raw %} `code`\n## heading\n# h1"


def test_values_shown_as_text_never_look_like_stray_markup():
    # every escaper writes the syntax characters as entities: the reader sees them, the check does not
    body = f"<p>{esc(HOSTILE)}</p><h2>{esc_md(HOSTILE)}</h2>{rich_text(chr(92).join('[]') + ' a](b')}"
    assert stray_markup(PAGE.format(title="t", body=body)) == []


def test_readme_headings_render_a_level_below_the_section():
    html = rich_text("# 标题\n\n## 数据\n\n### 细节\n\ntext")
    assert html.startswith("<h3>标题</h3>\n<h4>数据</h4>\n<h4>细节</h4>")
