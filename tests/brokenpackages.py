"""The tiny fixture broken one way at a time, for tests that need a problem of each kind.

Each entry: the code the breakage must produce, and how to break a copy of tests/fixtures/packages/tiny
(the dataset folder is passed in). tests/test_messages.py renders every problem found in Chinese.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path

CSV = "data/items.csv"
HEADER = "code,name,amount,share,day"
LONG = "长" * 200  # 600 bytes


def _replace(folder: Path, rel: str, old: str, new: str) -> None:
    path = folder / rel
    text = path.read_text(encoding="utf-8")
    assert old in text, (rel, old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _descriptor(folder: Path, change: Callable[[dict], object]) -> None:
    path = folder / "datapackage.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


def _resource(data: dict) -> dict:
    return data["resources"][0]


def _fields(data: dict) -> list[dict]:
    return data["resources"][0]["schema"]["fields"]


def _write(folder: Path, rel: str, text: str) -> None:
    (folder / rel).write_text(text, encoding="utf-8")


def _unique_name(data: dict) -> None:
    _fields(data)[1]["constraints"] = {"unique": True}


def _self_reference(data: dict) -> None:
    reference = {"fields": "amount", "reference": {"resource": "", "fields": "code"}}
    _resource(data)["schema"]["foreignKeys"] = [reference]


def _limit(folder: Path, setting: str, value: int) -> None:
    """The repository's gongkai.yml with one limit lowered (the dataset folder is datasets/<name>)."""
    _replace(folder.parents[1], "gongkai.yml", f"  {setting}: ", f"  {setting}: {value}  # was ")


def _views(*views: dict) -> Callable[[dict], object]:
    return lambda data: data.update(views=list(views))


VIEW = {"name": "chart", "title": "图", "description": "图。", "resources": ["items"], "specType": "vega-lite"}

# (code, breakage): each breakage of the tiny fixture, named by the code it must produce
BREAKAGES: list[tuple[str, Callable[[Path], object]]] = [
    ("changelog-version", lambda d: _replace(d, "CHANGELOG.md", "## 1.0.0", "## 1.0.1")),
    ("changelog-date", lambda d: _replace(d, "CHANGELOG.md", "2026-01-02", "2026-01-03")),
    ("changelog-heading", lambda d: _replace(d, "CHANGELOG.md", "1.0.0 —", "1.0.0 -")),
    ("changelog-empty", lambda d: _write(d, "CHANGELOG.md", "# 更新记录\n")),
    ("changelog-order", lambda d: _replace(d, "CHANGELOG.md", "## 1.0.0", "## 0.9.0 — 2026-01-02\n\n旧。\n\n## 1.0.0")),
    ("missing-file", lambda d: (d / "README.md").unlink()),
    ("missing-file", lambda d: (d / CSV).unlink()),
    ("readme-section-missing", lambda d: _write(d, "README.md", "# 说明\n\n无。\n")),
    ("unexpected-file", lambda d: _write(d, "notes.txt", "x")),
    ("unexpected-file", lambda d: _write(d, "data/old.csv", "a\n1\n")),
    ("utf8-bom", lambda d: (d / CSV).write_bytes(b"\xef\xbb\xbf" + (d / CSV).read_bytes())),
    ("encoding-error", lambda d: (d / "README.md").write_bytes("# 说明\n".encode("gbk"))),
    ("encoding-error", lambda d: (d / CSV).write_bytes(f"{HEADER}\n000123,天河,1,1,2019-01-01\n".encode("gbk"))),
    ("empty-file", lambda d: _write(d, CSV, "")),
    ("no-rows", lambda d: _write(d, CSV, HEADER + "\n")),
    ("csv-syntax", lambda d: _write(d, CSV, f'{HEADER}\n000123,"天河,1,1,2019-01-01\n')),
    ("csv-syntax", lambda d: _write(d, CSV, f'{HEADER}\n000123,"天河\n区"x,1,1,2019-01-01\n')),
    ("label-whitespace", lambda d: _replace(d, CSV, "code,name,", "code,name ,")),
    ("blank-label", lambda d: _write(d, CSV, ",,,,\n000123,a,1,1,2019-01-01\n")),
    ("missing-cell", lambda d: _replace(d, CSV, ",5,1.10,2019-05-15", ",5,1.10")),
    ("extra-cell", lambda d: _replace(d, CSV, ",5,1.10,2019-05-15", ",5,1.10,2019-05-15,x")),
    ("blank-row", lambda d: _replace(d, CSV, "999999,", ",,,,\n999999,")),
    ("incorrect-label", lambda d: _replace(d, CSV, "code,name,", "code,title,")),
    ("duplicate-label", lambda d: _replace(d, CSV, "code,name,amount", "code,name,name")),
    ("extra-label", lambda d: _write(d, CSV, f"{HEADER},x\n000123,a,1,1,2019-01-01,y\n")),
    ("missing-label", lambda d: _write(d, CSV, "code,name,amount,share\n000123,a,1,1\n")),
    ("constraint-error", lambda d: _replace(d, CSV, ",5,1.10", ",-5,1.10")),
    ("constraint-error", lambda d: _replace(d, CSV, "000123,", "00123,")),
    ("constraint-error", lambda d: _replace(d, CSV, "000123,", ",")),
    ("type-error", lambda d: _replace(d, CSV, ",5,1.10", ",五,1.10")),
    ("unique-error", lambda d: (_descriptor(d, _unique_name), _replace(d, CSV, "NA", "=1+1"))),
    ("primary-key", lambda d: _replace(d, CSV, "999999,", "000123,")),
    ("foreign-key", lambda d: _descriptor(d, _self_reference)),
    ("number-not-finite", lambda d: _replace(d, CSV, "1.10", "inf")),
    ("number-not-finite", lambda d: _replace(d, CSV, "1.10", "1e400")),
    ("number-not-ascii", lambda d: _replace(d, CSV, ",5,", ",５,")),
    ("control-character", lambda d: _replace(d, CSV, "NA", "N\x07A")),
    ("invisible-character", lambda d: _replace(d, CSV, "NA", "N\u200bA")),
    ("invisible-character", lambda d: _replace(d, CSV, "000123", "000\u200b123")),
    ("invisible-character", lambda d: _replace(d, CSV, "code,name", "code,na\u200bme")),
    ("pinyin-artefact", lambda d: _replace(d, CSV, "NA", "结构(gòu)")),
    ("formula-like", lambda d: None),  # the fixture itself has one
    ("path-name-mismatch", lambda d: _descriptor(d, lambda x: _resource(x).update(path="data/other.csv"))),
    ("unsafe-path", lambda d: _descriptor(d, lambda x: _resource(x).update(path="../x.csv"))),
    ("unsafe-path", lambda d: _descriptor(d, lambda x: _resource(x).update(path="https://example.org/x.csv"))),
    ("duplicate-resource", lambda d: _descriptor(d, lambda x: x["resources"].append(dict(_resource(x))))),
    ("external-reference", lambda d: _descriptor(d, lambda x: x.update(profile="x.json"))),
    ("external-reference", lambda d: _descriptor(d, lambda x: _resource(x).update(dialect="d.json"))),
    ("name-mismatch", lambda d: _descriptor(d, lambda x: x.update(name="other"))),
    ("json-number", lambda d: _replace(d, "datapackage.json", '"minimum": 0', '"minimum": 90071992547409930')),
    ("json-surrogate", lambda d: _replace(d, "datapackage.json", '"测试"', '"\\ud800"')),
    ("json-too-deep", lambda d: _replace(d, "datapackage.json", '"temporal"', '"x": ' + "[" * 40 + "]" * 40 + ', "t"')),
    ("invalid-json", lambda d: _replace(d, "datapackage.json", '"name": "tiny",', '"name": "tiny"')),
    (
        "unsafe-pattern",
        lambda d: _descriptor(d, lambda x: _fields(x)[0]["constraints"].update(pattern="^(([0-9])+)+$")),
    ),
    ("unsafe-pattern", lambda d: _descriptor(d, lambda x: _fields(x)[0]["constraints"].update(pattern="^([0-9]$"))),
    ("byte-count", lambda d: _descriptor(d, lambda x: _resource(x).update(bytes=1))),
    ("hash-count", lambda d: _descriptor(d, lambda x: _resource(x).update(hash="sha256:" + "0" * 64))),
    ("compression-error", lambda d: _descriptor(d, lambda x: _resource(x).update(compression="zip"))),
    ("control-error", lambda d: _descriptor(d, lambda x: _resource(x).update(dialect={"delimiter": 5}))),
    ("field-error", lambda d: _descriptor(d, lambda x: _fields(x)[2].update(type="integerx"))),
    ("markdown-too-complex", lambda d: _write(d, "README.md", (d / "README.md").read_text("utf-8") + "[" * 600)),
    ("lfs-pointer", lambda d: _write(d, CSV, "version https://git-lfs.github.com/spec/v1\noid sha256:0\nsize 1\n")),
    ("symlink", lambda d: (d / "data/link.csv").symlink_to("items.csv")),
    ("hard-link", lambda d: os.link(d / "README.md", d / "data/hard.csv")),
    ("placeholder", lambda d: _descriptor(d, lambda x: x.update(title="待填写：标题"))),
    ("temporal", lambda d: _descriptor(d, lambda x: x.update(temporal="2018"))),
    ("temporal", lambda d: _descriptor(d, lambda x: x.pop("temporal"))),
    ("file-too-large", lambda d: _limit(d, "max_csv_bytes", 100)),
    ("file-too-large", lambda d: _limit(d, "max_descriptor_bytes", 100)),
    ("line-too-long", lambda d: (_limit(d, "max_line_bytes", 500), _write(d, CSV, f"{HEADER}\n000123,{LONG},1,1,\n"))),
    (
        "cell-too-long",
        lambda d: (_limit(d, "max_cell_bytes", 500), _write(d, CSV, f'{HEADER}\n0,"{LONG}\n{LONG}",1,1,\n')),
    ),
    ("too-many-fields", lambda d: _write(d, CSV, ",".join(f"c{i}" for i in range(1002)) + "\n")),
    ("metadata-profile", lambda d: _descriptor(d, lambda x: x.update(keywords="测试", open_type="随便"))),
    ("metadata-profile", lambda d: _descriptor(d, lambda x: _resource(x)["schema"].update(primaryKey=["nope"]))),
    ("invalid-view", lambda d: _descriptor(d, _views({**VIEW, "resources": ["nope"], "spec": {}}))),
    ("invalid-view", lambda d: _descriptor(d, _views({**VIEW, "name": "items", "spec": {"mark": "bar"}}))),
    ("view-external", lambda d: _descriptor(d, _views({**VIEW, "spec": {"mark": "bar", "data": {"url": "x"}}}))),
    ("view-not-allowed", lambda d: _descriptor(d, _views({**VIEW, "spec": {"mark": "boxplotx"}}))),
    ("view-not-allowed", lambda d: _descriptor(d, _views({**VIEW, "spec": {"mark": "bar", "encoding": {"q": {}}}}))),
    ("view-too-large", lambda d: _descriptor(d, _views({**VIEW, "spec": {"mark": "bar", "width": 99999}}))),
]
