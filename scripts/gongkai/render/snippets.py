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
    curl with its checksum, frictionless on the descriptor; then its Parquet file (typed, codes
    as text) with DuckDB, pandas, polars and R's arrow."""
    t = e.tables[0]
    csv_file = sitepaths.resource_file(t.name, "csv")
    csv_url, parquet_url = (_url(e, t.name, kind, settings) for kind in ("csv", "parquet"))
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
        (
            "python",
            f"import duckdb\n\nduckdb.sql(\"SELECT * FROM read_parquet('{parquet_url}') LIMIT 10\").show()",
        ),
        ("python", f'import pandas as pd\n\ndf = pd.read_parquet("{parquet_url}")'),
        ("python", f'import polars as pl\n\ndf = pl.read_parquet("{parquet_url}")'),
        ("r", f'library(arrow)\n\ndf <- read_parquet("{parquet_url}")'),
    ]


def _url(e: Entry, resource: str, kind: str, settings: Settings) -> str:
    # where the file is served: the site, or the download store (core/blobstore.py)
    found = e.downloads(resource=resource, kind=kind)
    path = sitepaths.dataset_file(e.name, sitepaths.resource_file(resource, kind))
    return settings.download_url(path, found[0].sha256) if found else settings.url_for(path)


def _report_text(e: Entry, settings: Settings) -> tuple[str, str]:
    """The subject and body of a report of a mistake, the same by issue and by e-mail."""
    page = settings.url_for(sitepaths.dataset_page(e.name))
    title = f"[纠错] {e.title}（{e.name} {e.meta['version']}）"
    body = (
        f"数据集：{e.title}\n名称：{e.name}\n版本：{e.meta['version']}\n页面：{page}\n\n"
        "哪里有问题（文件、行、字段）：\n\n应当是什么（请附来源）：\n"
    )
    return title, body


REQUEST = ("[数据需求] ", "需要什么数据：\n\n发布机构（如知道）：\n\n用途：\n")


def report_problem_url(e: Entry, settings: Settings) -> str:
    """A new issue in the site's repository with the dataset, version and page filled in."""
    return _new_issue(settings, *_report_text(e, settings))


def report_problem_mailto(e: Entry, settings: Settings) -> str:
    """The same report as an e-mail to the contact address (operator.email); "" without one."""
    return _mailto(settings, *_report_text(e, settings))


def request_links(settings: Settings) -> dict[str, str]:
    """Ways to ask for a dataset (数据需求): a new issue and an e-mail, each "" when not set up."""
    return {
        "issue": _new_issue(settings, *REQUEST) if settings.repository else "",
        "mailto": _mailto(settings, *REQUEST),
    }


def _new_issue(settings: Settings, title: str, body: str) -> str:
    return f"{settings.repository}/issues/new?" + urlencode({"title": title, "body": body}, quote_via=quote)


def _mailto(settings: Settings, subject: str, body: str) -> str:
    # RFC 6068: every character outside the unreserved set percent-encoded as UTF-8, line breaks as CRLF.
    if not settings.operator_email:
        return ""
    fields = {"subject": subject, "body": body.replace("\r\n", "\n").replace("\n", "\r\n")}
    address = quote(settings.operator_email, safe="@")
    return f"mailto:{address}?" + "&".join(f"{k}={quote(v, safe='')}" for k, v in fields.items())
