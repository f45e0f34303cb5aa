"""The developer's guide's Python examples, run as written against the built site served over HTTP."""

from __future__ import annotations

import csv
import functools
import io
import json
import re
import subprocess
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

import pytest
from conftest import ROOT
from frictionless import Package

GUIDE = ROOT / "docs/guide/developers.md"


@pytest.fixture(scope="module")
def site_url(built_site, tmp_path_factory):
    # Served under /gongkai/, the path of the configured site URL, as on GitHub Pages.
    top = tmp_path_factory.mktemp("served")
    (top / "gongkai").symlink_to(built_site / "site", target_is_directory=True)
    handler = functools.partial(_Quiet, directory=str(top))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/gongkai/"
    server.shutdown()


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def _examples(site: str) -> dict:
    """Run every Python block of the guide, <site> replaced; return what they define."""
    blocks = re.findall(r"```python\n(.*?)```", GUIDE.read_text(encoding="utf-8"), re.S)
    assert len(blocks) >= 2
    namespace: dict = {}
    for block in blocks:
        exec(compile(block.replace("<site>", site), str(GUIDE), "exec"), namespace)  # noqa: S102 - our own documentation
    return namespace


def _resources():
    for folder in sorted(p for p in (ROOT / "datasets").iterdir() if p.is_dir()):
        desc = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
        for res in desc["resources"]:
            yield folder, res


def test_the_pandas_example_reads_every_resource_cell_for_cell(site_url):
    read_table = _examples(site_url)["read_table"]
    for folder, res in _resources():
        df = read_table(site_url, folder.name, res["name"])
        header, *rows = list(csv.reader(io.StringIO((folder / res["path"]).read_text(encoding="utf-8"))))
        assert list(df.columns) == header, folder.name
        assert len(df) == len(rows), folder.name
        for i, row in enumerate(rows):
            got = ["" if value != value else value for value in df.iloc[i].tolist()]  # NaN (missing) is the empty cell
            assert got == row, (folder.name, res["name"], i + 2)


def test_the_frictionless_example_reads_every_resource_as_the_repository_types_it(site_url):
    read_typed = _examples(site_url)["read_typed"]
    for folder, res in _resources():
        served = [dict(r) for r in read_typed(site_url, folder.name, res["name"])]
        local = [dict(r) for r in Package(str(folder / "datapackage.json")).get_resource(res["name"]).read_rows()]
        assert served == local and served, (folder.name, res["name"])


def test_the_curl_example_downloads_a_file_and_its_checksum_verifies(site_url, tmp_path):
    # The guide's shell block, run as written with <site> replaced, in an empty directory.
    block = re.search(r"```bash\n(curl .*?)```", GUIDE.read_text(encoding="utf-8"), re.S).group(1)
    result = subprocess.run(
        ["bash", "-euo", "pipefail", "-c", block.replace("<site>", site_url)],
        cwd=tmp_path,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.strip() == "figures.csv: OK"
    assert (tmp_path / "figures.csv").read_bytes() == (
        ROOT / "datasets/key-area-disclosure/data/figures.csv"
    ).read_bytes()
    # and a changed file fails the same check
    (tmp_path / "figures.csv").write_bytes(b"tampered\n")
    check = block.splitlines()[1].replace("<site>", site_url)
    assert subprocess.run(["bash", "-euo", "pipefail", "-c", check], cwd=tmp_path, capture_output=True).returncode != 0
