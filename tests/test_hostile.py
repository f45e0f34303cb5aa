"""Hostile pull requests: each case is refused with a clear message, and nothing is read,
fetched or published that should not be."""

from __future__ import annotations

import json
import os
import socket
import threading
from pathlib import Path

import pytest
from conftest import gongkai
from test_validate import run

DS = "datasets/tiny"


def _desc(repo: Path, change) -> None:
    path = repo / DS / "datapackage.json"
    desc = json.loads(path.read_text(encoding="utf-8"))
    change(desc)
    path.write_text(json.dumps(desc, ensure_ascii=False, indent=2), encoding="utf-8")


def _res(**values):
    return lambda d: d["resources"][0].update(values)


def _csv(repo: Path, text: str | None = None, raw: bytes | None = None) -> None:
    (repo / DS / "data/items.csv").write_bytes(raw if raw is not None else text.encode("utf-8"))


GOOD = "code,name,amount,share,day\n000123,一,5,1.10,2019-05-15\n440100,二,0,0.3,2020-01-31\n"


def _symlink_csv(repo):
    target = repo.parent / "outside.csv"
    target.write_text(GOOD, encoding="utf-8")
    (repo / DS / "data/items.csv").unlink()
    (repo / DS / "data/items.csv").symlink_to(target)


def _symlink_dir(repo):
    outside = repo.parent / "outside"
    (repo / DS / "data").rename(outside)
    (repo / DS / "data").symlink_to(outside)


def _hard_link(repo):
    other = repo.parent / "other.csv"
    os.link(repo / DS / "data/items.csv", other)


def _limit(repo, key, value):
    settings = repo / "gongkai.yml"
    text = settings.read_text(encoding="utf-8")
    import re

    settings.write_text(re.sub(rf"{key}: \d+", f"{key}: {value}", text), encoding="utf-8")


CASES = {
    # paths and references: refused before anything reads them
    "absolute-path": (lambda r: _desc(r, _res(path="/etc/passwd")), "unsafe-path"),
    "parent-path": (lambda r: _desc(r, _res(path="data/../../x.csv")), "unsafe-path"),
    "home-path": (lambda r: _desc(r, _res(path="~/.bashrc")), "unsafe-path"),
    "env-var-path": (lambda r: _desc(r, _res(path="$HOME/items.csv")), "unsafe-path"),
    "file-url": (lambda r: _desc(r, _res(path="file:///etc/passwd")), "unsafe-path"),
    "backslash-path": (lambda r: _desc(r, _res(path="data\\..\\..\\x.csv")), "unsafe-path"),
    "http-path": (lambda r: _desc(r, _res(path="https://example.org/items.csv")), "unsafe-path"),
    "path-list": (lambda r: _desc(r, _res(path=["data/items.csv"])), "unsafe-path"),
    "remote-schema": (lambda r: _desc(r, _res(schema="https://example.org/schema.json")), "external-reference"),
    "remote-dialect": (lambda r: _desc(r, _res(dialect="https://example.org/dialect.json")), "external-reference"),
    "remote-profile": (
        lambda r: _desc(r, lambda d: d.update(profile="https://example.org/profile.json")),
        "external-reference",
    ),
    "symlinked-csv": (_symlink_csv, "symlink"),
    "symlinked-data-folder": (_symlink_dir, "symlink"),
    "hard-link": (_hard_link, "hard-link"),
    "submodule-marker": (
        lambda r: (r / DS / "data/.git").write_text("gitdir: ../x", encoding="utf-8"),
        "unexpected-file",
    ),
    "extra-file": (lambda r: (r / DS / "run.sh").write_text("rm -rf /", encoding="utf-8"), "unexpected-file"),
    # sizes, with the limit named
    "csv-too-large": (lambda r: _limit(r, "max_csv_bytes", 10), "file-too-large"),
    "descriptor-too-large": (lambda r: _limit(r, "max_descriptor_bytes", 10), "file-too-large"),
    # encodings
    "gbk": (lambda r: _csv(r, raw=GOOD.encode("gbk")), "encoding-error"),
    "gb18030-rare-character": (lambda r: _csv(r, raw=GOOD.replace("一", "𠀀").encode("gb18030")), "encoding-error"),
    "utf-16": (lambda r: _csv(r, raw=GOOD.encode("utf-16")), "encoding-error"),
    "bom": (lambda r: _csv(r, raw=b"\xef\xbb\xbf" + GOOD.encode()), "utf8-bom"),
    # CSV structure
    "unclosed-quote": (
        lambda r: _csv(r, GOOD + '777777,"未闭合,1,1,2019-01-01\n888888,x,1,1,2019-01-01\n'),
        "csv-syntax",
    ),
    "semicolons": (lambda r: _csv(r, GOOD.replace(",", ";")), "incorrect-label"),
    "extra-cell": (lambda r: _csv(r, GOOD + "555555,x,1,1,2019-01-01,surplus\n"), "extra-cell"),
    "missing-cell": (lambda r: _csv(r, GOOD + "555555,x,1\n"), "missing-cell"),
    "blank-row": (lambda r: _csv(r, GOOD + "\n555555,x,1,1,2019-01-01\n"), "blank-row"),
    "empty-file": (lambda r: _csv(r, ""), "empty-file"),
    "header-only": (lambda r: _csv(r, "code,name,amount,share,day\n"), "no-rows"),
    "header-with-space": (lambda r: _csv(r, GOOD.replace("amount,", "amount ,", 1)), "label-whitespace"),
    "renamed-header": (lambda r: _csv(r, GOOD.replace("amount,", "qty,", 1)), "incorrect-label"),
    "duplicate-header": (lambda r: _csv(r, GOOD.replace("amount,", "name,", 1)), "duplicate-label"),
    # invisible and misleading characters
    "nul-in-cell": (lambda r: _csv(r, GOOD.replace("一", "一\x00")), "control-character"),
    "c0-in-cell": (lambda r: _csv(r, GOOD.replace("一", "一\x1f")), "control-character"),
    "bidi-override-in-cell": (lambda r: _csv(r, GOOD.replace("一", "\u202e一")), "control-character"),
    "control-in-header": (lambda r: _csv(r, GOOD.replace("name", "na\x07me", 1)), "control-character"),
    "control-in-title": (lambda r: _desc(r, lambda d: d.update(title="测试\u2066标题")), "control-character"),
    "pinyin-in-readme": (
        lambda r: (r / DS / "README.md").write_text(
            "# 机构(gòu)\n\n## 数据\n\n## 来源与处理\n\n## 许可\n", encoding="utf-8"
        ),
        "pinyin-artefact",
    ),
    # descriptors
    "invalid-json": (
        lambda r: (r / DS / "datapackage.json").write_text('{"name": "tiny",', encoding="utf-8"),
        "invalid-json",
    ),
    "json-array": (lambda r: (r / DS / "datapackage.json").write_text("[]", encoding="utf-8"), "invalid-json"),
    "resource-named-index": (lambda r: _desc(r, _res(name="index", path="data/index.csv")), "metadata-profile"),
    # its JSON would be published at datasets/<name>/versions.json, where the version index is
    "resource-named-versions": (
        lambda r: _desc(r, _res(name="versions", path="data/versions.csv")),
        "metadata-profile",
    ),
    "uppercase-name": (lambda r: _desc(r, lambda d: d.update(name="Tiny")), "name-mismatch"),
    "name-with-slash": (lambda r: _desc(r, lambda d: d.update(name="a/b")), "metadata-profile"),
    "duplicate-resource-names": (
        lambda r: _desc(r, lambda d: d["resources"].append(dict(d["resources"][0]))),
        "duplicate-resource",
    ),
    "no-schema": (lambda r: _desc(r, lambda d: d["resources"][0].pop("schema")), "metadata-profile"),
    "unknown-field-type": (
        lambda r: _desc(r, lambda d: d["resources"][0]["schema"]["fields"][1].update(type="banana")),
        "metadata-profile",
    ),
    "primary-key-names-no-field": (
        lambda r: _desc(r, lambda d: d["resources"][0]["schema"].update(primaryKey=["nope"])),
        "metadata-profile",
    ),
    "declared-hash-mismatch": (lambda r: _desc(r, _res(hash="sha256:" + "0" * 64)), "hash-count"),
    "javascript-license-url": (
        lambda r: _desc(r, lambda d: d["licenses"][0].update(path="javascript:alert(1)")),
        "metadata-profile",
    ),
    "javascript-contributor-url": (
        lambda r: _desc(
            r, lambda d: d["contributors"].append({"title": "x", "role": "contributor", "path": "javascript:alert(1)"})
        ),
        "metadata-profile",
    ),
    "lfs-pointer": (
        lambda r: _csv(r, "version https://git-lfs.github.com/spec/v1\noid sha256:" + "0" * 64 + "\nsize 123\n"),
        "lfs-pointer",
    ),
    "bad-changelog": (
        lambda r: (r / DS / "CHANGELOG.md").write_text("## v1 2026\n", encoding="utf-8"),
        "changelog-heading",
    ),
    # frictionless took the format as the reader to use and raised a problem type of its own,
    # which crashed validate (found by the messages helper): only the profile's word is said
    "xls-format": (lambda r: _desc(r, lambda d: d["resources"][0].update(format="xls")), "metadata-profile"),
    # a bound no JSON reader keeps reached frictionless's comparison and crashed validate: the
    # number is named and the rows wait until it is fixed
    "nan-bound": (lambda r: _raw_desc(r, '"minimum": 0', '"minimum": NaN'), "json-number"),
    "overflowing-bound": (lambda r: _raw_desc(r, '"minimum": 0', '"minimum": 1e400'), "json-number"),
}


def _raw_desc(repo, old: str, new: str) -> None:
    path = repo / DS / "datapackage.json"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.mark.parametrize("case", sorted(CASES))
def test_hostile_input_is_refused_with_a_clear_message(repo_factory, case):
    repo = repo_factory(["tiny"])
    mutate, code = CASES[case]
    mutate(repo)
    report = run(repo)
    assert not report.valid
    codes = {p.code for p in report.errors}
    assert code in codes, [str(p) for p in report.errors]
    for problem in report.errors:
        assert problem.file.startswith(DS), str(problem)
        assert "root:" not in problem.message  # no echo of /etc/passwd
    assert all(len(str(p)) < 600 for p in report.errors)


@pytest.mark.parametrize("case", ["symlinked-csv", "gbk", "unclosed-quote", "remote-schema"])
def test_nothing_is_published_from_a_hostile_dataset(repo_factory, case):
    repo = repo_factory(["tiny"])
    CASES[case][0](repo)
    result = gongkai("build", cwd=repo)
    assert result.returncode == 1
    assert not (repo / "site").exists() and not (repo / "build/docs").exists()


class _Listener:
    """A TCP listener on 127.0.0.1 that counts connections: it must see none."""

    def __init__(self):
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(8)
        self.sock.settimeout(0.2)
        self.connections = 0
        self.running = True
        self.thread = threading.Thread(target=self._accept, daemon=True)
        self.thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.sock.getsockname()[1]}"

    def _accept(self):
        while self.running:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                continue
            self.connections += 1
            conn.close()

    def close(self):
        self.running = False
        self.thread.join()
        self.sock.close()


@pytest.mark.parametrize("command", ["validate", "build"])
def test_no_network_request_is_attempted_for_remote_references(repo_factory, command):
    listener = _Listener()
    try:
        repo = repo_factory(["tiny"])

        def remote(d):
            d["profile"] = f"{listener.url}/profile.json"
            d["resources"][0]["path"] = f"{listener.url}/items.csv"
            d["resources"][0]["dialect"] = f"{listener.url}/dialect.json"
            d["resources"].append(
                dict(d["resources"][0], name="other", path="data/other.csv", schema=f"{listener.url}/schema.json")
            )

        _desc(repo, remote)
        result = gongkai(command, cwd=repo)
        assert result.returncode == 1
        assert "unsafe-path" in result.stdout and "external-reference" in result.stdout
    finally:
        listener.close()
    assert listener.connections == 0


def test_a_submodule_recorded_by_git_is_refused(repo_factory):
    import subprocess

    repo = repo_factory(["tiny"])
    git = ["git", "-c", "user.email=t@example.org", "-c", "user.name=t"]
    subprocess.run([*git, "init", "-q"], cwd=repo, check=True)
    subprocess.run([*git, "add", "-A"], cwd=repo, check=True)
    sha = "1" * 40
    subprocess.run(
        [*git, "update-index", "--add", "--cacheinfo", f"160000,{sha},datasets/tiny/data/vendor"], cwd=repo, check=True
    )
    report = run(repo)
    assert ["datasets/tiny/data/vendor", "submodule"] in report.flatten(["file", "code"])
