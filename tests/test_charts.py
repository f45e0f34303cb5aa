"""Charts drawn at build time from the datasets' own rows, and the home page's dashboard."""

from __future__ import annotations

import csv
import html
import io
import json
import re

from conftest import ROOT, gongkai
from gongkai.core import sitepaths


def _datasets():
    return {
        p.name: json.loads((p / "datapackage.json").read_text(encoding="utf-8"))
        for p in sorted((ROOT / "datasets").iterdir())
        if p.is_dir()
    }


def _rows(name: str, resource: dict) -> list[dict]:
    return list(csv.DictReader(io.StringIO((ROOT / "datasets" / name / resource["path"]).read_text(encoding="utf-8"))))


def test_each_declared_view_is_an_svg_chart_of_the_resource_with_its_words_and_data(built_site):
    site = built_site / "site"
    sums = (site / "SHA256SUMS").read_text(encoding="utf-8")
    drawn = 0
    for name, desc in _datasets().items():
        page = (site / "datasets" / name / "index.html").read_text(encoding="utf-8")
        for view in desc.get("views", []):
            svg = (site / "datasets" / name / f"{view['name']}.svg").read_text(encoding="utf-8")
            assert svg.startswith("<svg") and "Noto Sans CJK SC" in svg
            texts = {html.unescape(t) for t in re.findall(r"<text[^>]*>([^<]*)</text>", svg)}
            assert view["title"] in texts
            resource = next(r for r in desc["resources"] if r["name"] == view["resources"][0])
            for row in _rows(name, resource):
                if (
                    "filter" not in json.dumps(view["spec"])
                    or f"'{row.get('part_of')}'" in json.dumps(view["spec"])
                    or f"'{row.get('period')}'" in json.dumps(view["spec"])
                ):
                    assert row["indicator"] in texts, (view["name"], row["indicator"])
            assert f" {sitepaths.dataset_file(name, sitepaths.chart_file(view['name']))}\n" in sums
            figure = re.search(
                (
                    rf'<figure class="gk-chart">\s*<img src="{view["name"]}.svg" '
                    r'alt="([^"]*)"[^>]*>\s*<figcaption>(.*?)</figcaption>'
                ),
                page,
                re.S,
            )
            assert figure and html.unescape(figure.group(1)) == view["description"]
            assert f'href="{resource["name"]}.csv"' in figure.group(2)
            drawn += 1
    assert drawn >= 2


def test_the_home_page_shows_the_headline_figures_with_their_quotes_and_the_charts(built_site):
    import yaml

    home = yaml.safe_load((ROOT / "gongkai.yml").read_text(encoding="utf-8"))["home"]
    page = (built_site / "site/index.html").read_text(encoding="utf-8")
    name, resource = home["headline"].split("/")
    desc = _datasets()[name]
    rows = _rows(name, next(r for r in desc["resources"] if r["name"] == resource))
    tiles = re.findall(
        (
            r'<div class="gk-tile"><strong>(.*?)<small> (.*?)</small></strong><span>(.*?)</span>'
            r'<span class="gk-tile-quote">原文：“(.*?)”</span></div>'
        ),
        page,
    )
    assert [(v.replace(",", ""), u, s.split(" · ")[-1], q) for v, u, s, q in tiles] == [
        (r["qualifier"] + r["value"], r["unit"], r["indicator"], r["quote"]) for r in rows
    ]
    assert f"{desc['sources'][0]['title']}，{desc['sources'][0]['date']}" in html.unescape(page)
    for chart in home["charts"]:
        dataset, view = chart.split("/")
        assert f'<img src="{sitepaths.dataset_file(dataset, sitepaths.chart_file(view))}"' in page


def test_a_view_may_not_bring_data_or_links_of_its_own(repo_factory):
    repo = repo_factory(packages=["tiny"])
    path = repo / "datasets/tiny/datapackage.json"
    desc = json.loads(path.read_text(encoding="utf-8"))
    desc["views"] = [
        {
            "name": "amounts",
            "title": "金额图",
            "description": "条形图：每行的金额（测试用）。",
            "resources": ["items"],
            "specType": "vega-lite",
            "spec": {"mark": "bar", "layer": [{"data": {"url": "http://127.0.0.1:9/other.csv"}, "mark": "point"}]},
        }
    ]
    path.write_text(json.dumps(desc, ensure_ascii=False, indent=2), encoding="utf-8")
    result = gongkai("validate", cwd=repo)
    assert result.returncode == 1
    assert (
        '/views/0/spec/layer/0/data: "data" is not allowed in a view' in result.stdout
        and "[view-external]" in result.stdout
    )


def test_every_chart_drawn_stays_inside_itself_and_within_the_pixel_limit(built_site):
    from gongkai.core.config import Limits
    from gongkai.export.charts import svg_size
    from gongkai.export.svgcheck import svg_problems

    drawn = sorted((built_site / "site/datasets").glob("*/*.svg"))
    assert len(drawn) >= 2
    for svg in drawn:
        data = svg.read_bytes()
        assert svg_problems(data) == [], svg
        assert 0 < max(svg_size(data)) <= Limits.max_view_pixels, svg
