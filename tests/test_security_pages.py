"""No value from a pull request runs script in a reader's browser: hostile metadata is shown
as the text it is (page title, head, JSON-LD, search text), hand-written pages carrying active
content are refused by the site check, and nothing can break a page's front matter."""

from __future__ import annotations

import json

import pytest
from conftest import gongkai
from gongkai.core import sitepaths
from gongkai.publish.verify import page_problems
from selectolax.lexbor import LexborHTMLParser
from test_build import tree_digest

DESC = "datasets/tiny/datapackage.json"
# Characters that broke the front matter (C1 controls, YAML line breaks, noncharacters, the
# BOM) or the page title, and markup a reader's browser would run if it were not escaped.
TITLE = "测试</title><script>window.__pwned=1</script>标题\u0086\ufdd0"
DESCRIPTION = (
    "用于测试的小数据集\u0085<img src=x onerror=window.__pwned=2>，"
    "只有几行\u2028第二行\u2029{{ 7*7 }}\ufeff\U0001ffff结束。"
)
KEYWORDS = ['测试"]\ntitle: 被改了', "<b>粗</b>", "\u0085"]


def _hostile_metadata(repo) -> None:
    path = repo / DESC
    desc = json.loads(path.read_text(encoding="utf-8"))
    desc.update(title=TITLE, description=DESCRIPTION, keywords=KEYWORDS)
    path.write_text(json.dumps(desc, ensure_ascii=False, indent=2), encoding="utf-8")


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory):
    from conftest import make_repo

    repo = make_repo(tmp_path_factory.mktemp("hostile"), ["tiny"])
    _hostile_metadata(repo)
    result = gongkai("build", cwd=repo)
    assert result.returncode == 0, result.stdout + result.stderr
    return repo


def _parse(repo, rel: str) -> LexborHTMLParser:
    return LexborHTMLParser((repo / "site" / rel).read_text(encoding="utf-8"))


@pytest.mark.parametrize("rel", ["datasets/tiny/index.html", "en/datasets/tiny/index.html"])
def test_hostile_metadata_is_shown_as_text_in_the_page_head_and_title(hostile_site, rel):
    tree = _parse(hostile_site, rel)
    assert tree.css_first("title").text().startswith(TITLE.replace("\u0086", "").replace("\ufdd0", "")[:6])
    assert [s.attributes.get("type") for s in tree.css("script") if "__pwned" in s.text()] in (
        [],
        ["application/ld+json"],
    )
    assert not [n for n in tree.css("img") if "onerror" in n.attributes]
    assert page_problems(str(tree.html))[0] == []


def test_the_json_ld_carries_every_character_of_the_metadata(hostile_site):
    tree = _parse(hostile_site, "datasets/tiny/index.html")
    ld = json.loads(next(s.text() for s in tree.css('script[type="application/ld+json"]')))
    assert ld["name"] == TITLE
    assert ld["description"] == DESCRIPTION  # U+0085, U+2028 and U+2029 are kept, not folded into spaces
    assert set(KEYWORDS) <= set(ld["keywords"])


def test_the_page_title_is_the_dataset_title_as_text(hostile_site):
    tree = _parse(hostile_site, "datasets/tiny/index.html")
    h1 = tree.css_first("article h1")
    assert TITLE.split("<")[0] in h1.text() and "</title><script>" in h1.text()
    title = tree.css_first("title").text()
    assert "</title><script>window.__pwned=1</script>" in title


def test_search_text_of_a_hostile_dataset_is_indexed_as_text(hostile_site):
    # The index holds the title as it is; search.js writes it with textContent, never as HTML.
    folder = hostile_site / "site" / sitepaths.search_folder("zh")
    docs = json.loads((folder / "d/0.json").read_text(encoding="utf-8"))
    entry = next(d for d in docs if d[0] == sitepaths.dataset_page("tiny"))
    assert entry[1] == TITLE
    script = (hostile_site / "docs/assets/search.js").read_text(encoding="utf-8")
    assert "innerHTML" not in script and "insertAdjacentHTML" not in script and "textContent" in script


# Hand-written pages (a pull request can change docs/ too): each is refused by the site check.
HOSTILE_PAGES = {
    "img-slash-handler": "<img/src/onerror=alert(1)>",
    "svg-xlink": '<svg><a xlink:href="javascript:alert(1)"><text y="10">x</text></a></svg>',
    "formaction": '<form><button formaction="javascript:alert(1)">x</button></form>',
    "meta-refresh": '<meta http-equiv="refresh" content="0;url=https://evil.example/">',
    "base-href": '<base href="https://evil.example/">',
    "style-hides-page": "<style>body{display:none}</style>",
    "svg-paint": '<svg><rect width="9" height="9" fill="url(http://evil.example/p)"/></svg>',
    "script": "<script>alert(1)</script>",
    "entity-javascript": '<a href="jav&#x61;script:alert(1)">x</a>',
    "tab-javascript": '<a href="java&#9;script:alert(1)">x</a>',
    "tracker-image": '<img src="https://tracker.example/p.gif" alt="x">',
    "iframe": '<iframe src="https://evil.example/"></iframe>',
    "noscript-differential": '<noscript><p title="</noscript><img src=x onerror=alert(1)>"></p></noscript>',
    "svg-animate": (
        '<svg><a><animate attributeName="href" values="javascript:alert(1)"/><text y="10">x</text></a></svg>'
    ),
    "style-attribute-overlay": '<div style="position:fixed;inset:0;background:#fff">x</div>',
    "data-url": '<a href="data:text/html,<script>alert(1)</script>">x</a>',
    # found by a review after the first round
    "declarative-shadow-root": '<template shadowrootmode="open"><img src=x onerror="alert(1)"><slot></slot></template>',
    "meta-refresh-quoted": '<meta http-equiv="refresh" content="0;url=\'//evil.example/\'">',
    "meta-refresh-spaced": '<meta http-equiv="refresh" content="0;url =//evil.example/">',
    "backslash-srcset": '<img srcset="\\/evil.example/a.png 1x" alt="x">',
    "backslash-poster": '<video poster="\\/evil.example/p.png"></video>',
}


@pytest.fixture(scope="module")
def refused(built_tiny, tmp_path_factory):
    """One repository with every hostile page at once: the build must refuse each by name."""
    from conftest import copy_repo

    repo = copy_repo(built_tiny, tmp_path_factory.mktemp("pages") / "repo")
    before = tree_digest(repo / "site")
    for case, payload in HOSTILE_PAGES.items():
        (repo / "docs" / f"{case}.md").write_text(f"# 页面\n\n正文。\n\n{payload}\n", encoding="utf-8")
    result = gongkai("build", cwd=repo)
    return repo, before, result


@pytest.mark.parametrize("case", sorted(HOSTILE_PAGES))
def test_a_hand_written_page_with_active_content_is_refused_by_name(refused, case):
    repo, before, result = refused
    assert result.returncode == 1, result.stdout + result.stderr
    assert f"  {case}/index.html: " in result.stderr


def test_a_refused_page_leaves_the_published_site_as_it_was(refused):
    repo, before, result = refused
    assert "site/ was left as it was" in result.stderr
    assert tree_digest(repo / "site") == before


def test_a_front_matter_alias_bomb_is_refused_before_mkdocs_reads_it(repo_factory):
    repo = repo_factory(["tiny"])
    lines = ['a: &a ["x","x","x","x","x","x","x","x","x"]'] + [
        f"{n}: &{n} [*{p},*{p},*{p},*{p},*{p},*{p},*{p},*{p},*{p}]" for p, n in zip("abcdefgh", "bcdefghi")
    ]
    (repo / "docs/about.md").write_text("---\n" + "\n".join(lines) + "\n---\n\n# 关于\n", encoding="utf-8")
    result = gongkai("build", cwd=repo)
    assert result.returncode == 1
    assert "about.md: front matter: line 2: aliases" in result.stderr
    assert not (repo / "site").exists()


def test_a_hand_written_title_in_front_matter_is_escaped_in_head_and_nav(repo_factory):
    repo = repo_factory(["tiny"])
    (repo / "docs/about.md").write_text(
        (
            '---\ntitle: "关于</title><script>alert(1)</script>"\n'
            "description: '\"><script>alert(2)</script>'\n---\n\n# 关于\n"
        ),
        encoding="utf-8",
    )
    result = gongkai("build", cwd=repo)
    assert result.returncode == 0, result.stderr
    tree = _parse(repo, "about/index.html")
    assert tree.css_first("title").text().startswith("关于</title><script>alert(1)</script>")
    assert tree.css_first('meta[name="description"]').attributes["content"] == '"><script>alert(2)</script>'
    assert not [s for s in tree.css("script") if "alert" in s.text()]


def test_site_settings_reach_the_page_chrome_as_text(repo_factory):
    repo = repo_factory(["tiny"])
    settings = repo / "gongkai.yml"
    text = settings.read_text(encoding="utf-8")
    settings.write_text(text.replace("  name: ", '  name: "<script>alert(1)</script>" #', 1), encoding="utf-8")
    result = gongkai("build", cwd=repo)
    assert result.returncode == 0, result.stderr
    tree = _parse(repo, "index.html")
    assert not [s for s in tree.css("script") if "alert" in s.text()]


def test_the_site_check_accepts_the_theme_and_refuses_lookalikes():
    theme = (
        "<script>var target=document.getElementById(location.hash.slice(1));"
        'target&&target.name&&(target.checked=target.name.startsWith("__tabbed_"))</script>'
    )
    assert page_problems(f"<html><body>{theme}<article><p>x</p></article></body></html>")[0] == []
    extended = theme.replace("))</script>", "));alert(1)</script>")
    assert page_problems(f"<html><body>{extended}<article><p>x</p></article></body></html>")[0] != []
    scope = (
        '<script>__md_scope=new URL("..",location),__md_hash=e=>[...e].reduce(((e,_)=>'
        "(e<<5)-e+_.charCodeAt(0)),0),__md_get=(e,_=localStorage,t=__md_scope)=>"
        'JSON.parse(_.getItem(t.pathname+"."+e)),__md_set=(e,_,t=localStorage,a=__md_scope)=>'
        '{try{t.setItem(a.pathname+"."+e,JSON.stringify(_))}catch(e){}}</script>'
    )
    assert page_problems(f"<head>{scope}</head><article>x</article>")[0] == []
    broken_out = scope.replace('"..",', '"",alert(1),"",')  # the template's expression cannot leave its string
    assert page_problems(f"<head>{broken_out}</head><article>x</article>")[0] != []


def test_a_control_character_in_the_site_settings_is_refused_with_its_key(repo_factory):
    repo = repo_factory(["tiny"])
    settings = repo / "gongkai.yml"
    text = settings.read_text(encoding="utf-8")
    settings.write_text(text.replace("  name: ", '  name: "\\u202e\\uffff" #', 1), encoding="utf-8")
    result = gongkai("build", cwd=repo)
    assert result.returncode == 1
    assert "site.name: contains the control character U+202E" in result.stderr
    assert not (repo / "site").exists()


@pytest.mark.parametrize("name", ["e.htm", "e.HTML", "e.xhtml", "e.xml", "e.SVG", "run.sh"])
def test_docs_holds_pages_and_their_files_only(repo_factory, name):
    repo = repo_factory(["tiny"])
    (repo / "docs" / "u").mkdir()
    (repo / "docs" / "u" / name).write_text("<script>window.PWN=1</script>", encoding="utf-8")
    result = gongkai("build", cwd=repo)
    assert result.returncode == 1
    assert f"docs/u/{name}: docs/ holds Markdown pages and their files" in result.stderr
    assert not (repo / "site").exists()


@pytest.mark.parametrize("where", ["docs/passwd.txt", "urls.lock", "redirects.yml", "withdrawn.yml"])
def test_a_symbolic_link_in_the_repository_is_never_followed(repo_factory, where):
    repo = repo_factory(["tiny"])
    secret = repo.parent / "secret.txt"
    secret.write_text("root:x:0:0:the build machine's secret\n", encoding="utf-8")
    (repo / where).symlink_to(secret)
    result = gongkai("build", cwd=repo)
    assert result.returncode == 1
    assert f"{where} is a symbolic link; links are never followed" in result.stderr
    assert "secret" not in result.stdout + result.stderr.replace("secret.txt", "")
    assert not (repo / "site").exists()


@pytest.mark.parametrize(
    "front, said",
    [
        ("template: nope.html", "a page may not choose its template"),
        ("date: 2026-02-30", "'2026-02-30' is not a valid value"),
    ],
)
def test_a_front_matter_a_page_may_not_have_is_one_line_not_a_traceback(repo_factory, front, said):
    repo = repo_factory(["tiny"])
    (repo / "docs/about.md").write_text(f"---\n{front}\n---\n\n# 关于\n", encoding="utf-8")
    result = gongkai("build", cwd=repo)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert said in result.stderr


def test_markdown_that_would_take_minutes_is_refused_at_once(repo_factory):
    # Python-Markdown's time grows with the square of the brackets in a paragraph: 15,000 "![" took a minute
    repo = repo_factory(["tiny"])
    readme = repo / "datasets/tiny/README.md"
    readme.write_text(readme.read_text(encoding="utf-8") + "\n" + "![" * 15000 + "\n", encoding="utf-8")
    result = gongkai("validate", cwd=repo)
    assert result.returncode == 1
    assert "a paragraph with 15000 [ characters" in result.stdout and "[markdown-too-complex]" in result.stdout
    readme.write_text(readme.read_text(encoding="utf-8").replace("![" * 15000, ""), encoding="utf-8")
    (repo / "docs/about.md").write_text("# 关于\n\n" + "[" * 15000 + "\n", encoding="utf-8")
    result = gongkai("build", cwd=repo)
    assert result.returncode == 1
    assert "about.md: line 3: a paragraph with 15000 [ characters" in result.stderr
