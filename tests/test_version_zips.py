"""A version's zip: deflated by the pinned libdeflate, the same bytes every time; one published stored stays stored."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import zipfile
from pathlib import Path

from gongkai.core import sitepaths
from gongkai.export.packagezip import write_package_zip
from gongkai.publish.history import Version, ZipLocks, version_files
from gongkai.read.load import discover


def _tiny(repo_factory):
    repo = repo_factory(packages=["tiny"])
    ds = discover(repo / "datasets")[0]
    v = Version(ds.loaded["version"], None, ds.loaded["modified"])
    rel = sitepaths.version_folder(ds.name, v.version) + sitepaths.version_zip_file(ds.name, v.version)
    return repo, ds, v, rel


def _lock(repo, rel: str, sha: str) -> None:
    (repo / "urls.lock").write_text(f"# test\n{sitepaths.public_path(rel)} {sha}\n", encoding="utf-8")


def test_a_new_version_zip_is_deflated_and_extracts_to_exactly_the_committed_files(repo_factory):
    repo, ds, v, rel = _tiny(repo_factory)
    files, problems = version_files(repo, ds, v)
    assert problems == []
    archive = zipfile.ZipFile(io.BytesIO(files[rel]))
    infos = archive.infolist()
    assert {i.compress_type for i in infos} == {zipfile.ZIP_DEFLATED}
    assert archive.testzip() is None  # every member's CRC checks
    for res in ds.resources:
        member = f"{ds.name}-{v.version}/{res['path']}"
        assert archive.read(member) == (ds.root / res["path"]).read_bytes()  # value for value: byte for byte
    assert archive.read(f"{ds.name}-{v.version}/README.md") == (ds.root / "README.md").read_bytes()
    assert sum(i.compress_size for i in infos) < sum(i.file_size for i in infos)
    again, _ = version_files(repo, ds, v)
    assert again[rel] == files[rel]  # the same commit builds the same zip


def test_a_version_zip_locked_as_stored_bytes_keeps_them(repo_factory):
    repo, ds, v, rel = _tiny(repo_factory)
    members = {"datapackage.json": (ds.root / "datapackage.json").read_bytes()}
    members.update({res["path"]: (ds.root / res["path"]).read_bytes() for res in ds.resources})
    members.update({n: (ds.root / n).read_bytes() for n in ("README.md", "CHANGELOG.md")})
    buffer = io.BytesIO()
    stamp = dt.datetime.strptime(v.date, "%Y-%m-%d")
    write_package_zip(buffer, f"{ds.name}-{v.version}", members, stamp, method="stored")
    published = buffer.getvalue()  # how every version's zip was written before compression
    _lock(repo, rel, hashlib.sha256(published).hexdigest())
    files, _ = version_files(repo, ds, v)
    assert files[rel] == published
    assert {i.compress_type for i in zipfile.ZipFile(io.BytesIO(files[rel])).infolist()} == {zipfile.ZIP_STORED}


def test_a_version_zip_locked_as_deflated_stays_deflated(repo_factory):
    repo, ds, v, rel = _tiny(repo_factory)
    first, _ = version_files(repo, ds, v)
    _lock(repo, rel, hashlib.sha256(first[rel]).hexdigest())  # what `gongkai lock` records after the build
    assert ZipLocks.read(repo).current(ds) == hashlib.sha256(first[rel]).hexdigest()
    locked, _ = version_files(repo, ds, v)
    assert locked[rel] == first[rel]


def test_the_pinned_deflate_gives_the_same_bytes_on_every_machine(tmp_path):
    # The bytes depend on the pinned libdeflate alone (pyproject.toml): a change of this hash means
    # a new version's zip would differ between two builds of the same commit. Never update it
    # without a new pin, and then only for versions not yet locked.
    members: dict[str, bytes | Path] = {
        "data/a.csv": "代码,名称\n440103,荔湾区\n".encode() * 2000,
        "README.md": b"# a\n",
    }
    big = tmp_path / "b.csv"
    big.write_bytes(b"id,value\n" + b"".join(f"{i},{i * 7 % 1000}\n".encode() for i in range(200_000)))
    members["data/b.csv"] = big
    buffer = io.BytesIO()
    write_package_zip(buffer, "a-1.0.0", members, dt.datetime(2026, 1, 2), method="pinned")
    archive = zipfile.ZipFile(io.BytesIO(buffer.getvalue()))
    assert archive.read("a-1.0.0/data/b.csv") == big.read_bytes()
    assert len(buffer.getvalue()) < big.stat().st_size // 3
    assert hashlib.sha256(buffer.getvalue()).hexdigest() == PINNED_SHA256


PINNED_SHA256 = "eb676324488b00ec4752e0d4fb7bd5c8107b2973251c9d6dd96346b2633f390f"


def test_a_large_member_of_the_current_zip_is_deflated_faster_and_extracts_the_same(monkeypatch):
    """zlib level 1 past FAST_ABOVE (the 1 GB export's zip in a fifth of the time), 6 below it."""
    import datetime as dt
    import io
    import zipfile

    from gongkai.export import packagezip

    data = "440100,广州市,12345,2020-01-01\n".encode() * 100_000

    def zipped(threshold: int) -> bytes:
        monkeypatch.setattr(packagezip, "FAST_ABOVE", threshold)
        out = io.BytesIO()
        packagezip.write_package_zip(out, "x", {"a.csv": data}, dt.datetime(2020, 1, 1), method="zlib")
        return out.getvalue()

    usual, fast = zipped(len(data)), zipped(len(data) - 1)
    assert len(fast) > len(usual)  # a faster level, a larger zip
    for made in (usual, fast):
        assert zipfile.ZipFile(io.BytesIO(made)).read("x/a.csv") == data
