"""What a reader copies or follows from a dataset's page: code that loads its data, and a link
that opens an issue to report a mistake, filled in with the dataset, its version and page.
Pure: built from the entry and the settings; the page template shows them.
"""

from __future__ import annotations

from urllib.parse import quote, urlencode

from ..core import sitepaths
from ..core.config import Settings
from .catalog import Entry


def code_snippets(e: Entry, settings: Settings) -> list[tuple[str, str]]:
    """(language, code) to load the first table: pandas with every text column kept as text,
    curl with its checksum, frictionless on the descriptor."""
    t = e.tables[0]
    csv_file = sitepaths.resource_file(t.name, "csv")
    csv_url = settings.url_for(sitepaths.dataset_file(e.name, csv_file))
    pkg_url = settings.url_for(sitepaths.dataset_file(e.name, sitepaths.DATAPACKAGE))
    dtypes = ", ".join(f'"{f["name"]}": "string"' for f in t.fields if f.get("type", "string") == "string")
    return [
        (
            "python",
            (
                f'import pandas as pd\n\ndf = pd.read_csv(\n    "{csv_url}",\n    dtype={{{dtypes}}},\n'
                '    keep_default_na=False,\n    na_values=[""],\n)'
            ),
        ),
        ("bash", f"curl -fLO {csv_url}\nsha256sum {csv_file}"),
        ("python", f'from frictionless import Package\n\npackage = Package("{pkg_url}")'),
    ]


def report_problem_url(e: Entry, settings: Settings) -> str:
    """A new issue in the site's repository with the dataset, version and page filled in."""
    page = settings.url_for(sitepaths.dataset_page(e.name))
    title = f"[纠错] {e.title}（{e.name} {e.meta['version']}）"
    body = (
        f"数据集：{e.title}\n名称：{e.name}\n版本：{e.meta['version']}\n页面：{page}\n\n"
        "哪里有问题（文件、行、字段）：\n\n应当是什么（请附来源）：\n"
    )
    return f"{settings.repository}/issues/new?" + urlencode({"title": title, "body": body}, quote_via=quote)
