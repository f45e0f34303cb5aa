"""Each dataset page's schema.org Dataset against Google's Dataset rules, and the profile's share of them."""

from __future__ import annotations

import json
import re

from conftest import ROOT, gongkai
from gongkai.read.load import fields_of

SITE_URL = "https://gongkai-data.github.io/gongkai/"


def _page_jsonld(site, name: str) -> dict:
    page = (site / "datasets" / name / "index.html").read_text(encoding="utf-8")
    found = re.findall(r'<script type="application/ld\+json">(.*?)</script>', page.split("</head>", 1)[0], re.S)
    assert len(found) == 1, name
    return json.loads(found[0])


def test_every_dataset_page_meets_googles_dataset_rules_with_what_its_descriptor_holds(built_site):
    site = built_site / "site"
    for folder in sorted((ROOT / "datasets").iterdir()):
        desc = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
        data = _page_jsonld(site, folder.name)
        assert 50 <= len(data["description"]) <= 5000, folder.name
        assert data["temporalCoverage"] == desc["temporal"]
        if desc.get("title_en"):
            assert desc["title_en"] in data["alternateName"]
        fields = [f for r in desc["resources"] for f in fields_of(r)]
        measured = {
            (v["name"], v.get("alternateName"), v.get("description"), v.get("unitText"))
            for v in data["variableMeasured"]
        }
        for f in fields:
            assert (f["name"], f.get("title"), f.get("description"), f.get("unit")) in measured, (
                folder.name,
                f["name"],
            )
        citations = [s.get("citation") or s["title"] for s in desc["sources"]]
        assert data["citation"] == citations and all(citations)
        assert data["distribution"]
        for d in data["distribution"]:
            assert d["contentUrl"].startswith(SITE_URL) and d["encodingFormat"]
            assert (site / d["contentUrl"][len(SITE_URL) :]).is_file(), d["contentUrl"]


def test_a_description_under_50_characters_is_refused_naming_the_file_and_field(repo_factory):
    repo = repo_factory(["tiny"])
    descriptor = repo / "datasets/tiny/datapackage.json"
    desc = json.loads(descriptor.read_text(encoding="utf-8"))
    desc["description"] = "用于测试的小数据集，只有几行。"  # 15 characters: Google drops the dataset
    descriptor.write_text(json.dumps(desc, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    result = gongkai("--lang", "zh", "validate", cwd=repo)
    assert result.returncode == 1
    line = next(line for line in result.stdout.splitlines() if "/description" in line)
    assert line.startswith("datasets/tiny/datapackage.json:") and "[metadata-profile]" in line
    assert "（简介）有 15 个字符，须为 50 至 5000 个" in line
    assert "search engines need 50 to 5000" in gongkai("--lang", "en", "validate", cwd=repo).stdout
    desc["description"] = "很长。" * 1700  # 5,100 characters
    descriptor.write_text(json.dumps(desc, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    result = gongkai("--lang", "zh", "validate", cwd=repo)
    assert "（简介）有 5100 个字符" in result.stdout
