"""Untrusted text from a pull request is shown literally and never runs."""

from __future__ import annotations

import json

from conftest import gongkai

HOSTILE = {
    "script": "<script>alert(1)</script>",
    "jinja": "{{ 7*7 }}",
    "pipe": "a|b",
    "link": "[点我](javascript:alert(1))",
    "attr": '{: onclick="alert(1)" }',
    "snippet": '--8<-- "mkdocs.yml"',
}


def test_hostile_cells_and_metadata_render_as_text(repo_factory):
    repo = repo_factory(["tiny"])
    csv = repo / "datasets/tiny/data/items.csv"
    rows = "".join(
        f'{900000 + i},"{v.replace(chr(34), chr(34) * 2)}",1,1,2019-01-01\n' for i, v in enumerate(HOSTILE.values())
    )
    csv.write_text(csv.read_text(encoding="utf-8") + rows, encoding="utf-8")
    desc_path = repo / "datasets/tiny/datapackage.json"
    desc = json.loads(desc_path.read_text(encoding="utf-8"))
    desc["description"] = "说明 " + " ".join(HOSTILE.values())
    desc["keywords"] = ['测试"]\ntitle: 被改了', "<b>粗</b>"]
    desc_path.write_text(json.dumps(desc, ensure_ascii=False, indent=2), encoding="utf-8")
    (repo / "datasets/tiny/README.md").write_text(
        (
            "# 测试\n\n## 数据\n\n<script>alert(2)</script> [x](javascript:alert(3)) **粗**\n"
            "\n## 来源与处理\n\n无。\n\n## 许可\n\nCC BY 4.0\n"
        ),
        encoding="utf-8",
    )
    result = gongkai("build", cwd=repo)
    assert result.returncode == 0, result.stdout + result.stderr
    html = (repo / "site/datasets/tiny/index.html").read_text(encoding="utf-8")
    body = html[html.index("<article") : html.index("</article>")]
    assert "<script" not in body
    assert 'href="javascript' not in body
    assert 'onclick="' not in body
    assert "docs_dir" not in body  # no snippet inclusion of mkdocs.yml
    # each hostile value is visible, character for character, as HTML text
    for value in [
        "&lt;script&gt;alert(1)&lt;/script&gt;",
        "a|b",
        "&#123;&#123; 7*7 &#125;&#125;",
        "--8&lt;-- &quot;mkdocs.yml&quot;",
        "&#91;点我&#93;(javascript:alert(1))",  # Markdown's syntax characters as entities, as the braces
        "&#123;: onclick=&quot;alert(1)&quot; &#125;",
    ]:
        assert value in body, value
    # the README's markup is sanitised: bold kept, script and javascript: link dropped
    assert "<strong>粗</strong>" in body and "alert(2)" not in body and "alert(3)" not in body
    # a keyword cannot break out of the front matter into the page title
    assert "被改了" not in html.split("<title>")[1].split("</title>")[0]
