"""Deterministic synthetic inputs for the benchmark. Written to a temporary folder, never to datasets/."""

from __future__ import annotations

import csv
import json
import random
import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DISTRICTS = [
    "荔湾区",
    "越秀区",
    "海珠区",
    "天河区",
    "白云区",
    "黄埔区",
    "番禺区",
    "花都区",
    "南沙区",
    "从化区",
    "增城区",
]
STATUS = ["有效", "失效", "待定"]
WORDS = "政府信息公开主动依申请办理回应舆情新闻发布会财政预算决算绩效目标重点领域建设项目公益事业公共资源配置"


def repo(folder: Path, limits: dict | None = None) -> Path:
    """An empty repository with our settings and docs, limits raised for big inputs."""
    if folder.exists():
        shutil.rmtree(folder)
    (folder / "datasets").mkdir(parents=True)
    text = (ROOT / "gongkai.yml").read_text(encoding="utf-8")
    for key, value in (limits or {}).items():
        import re

        text = re.sub(rf"{key}: \d+", f"{key}: {value}", text)
    text = text.replace("  preset: github-pages\n", "  preset: none\n")  # 10,000 datasets pass GitHub Pages' 1 GB
    (folder / "gongkai.yml").write_text(text, encoding="utf-8")
    shutil.copy(ROOT / "mkdocs.yml", folder / "mkdocs.yml")
    shutil.copytree(ROOT / "docs", folder / "docs")
    shutil.copytree(ROOT / "overrides", folder / "overrides")
    shutil.copytree(ROOT / "schemas", folder / "schemas")  # the national tables' schemas: pages the nav names
    (folder / "scripts/gongkai").mkdir(parents=True)
    shutil.copy(ROOT / "scripts/gongkai/mkdocs_hook.py", folder / "scripts/gongkai/mkdocs_hook.py")
    return folder


BIG_FIELDS = [
    {
        "name": "id",
        "title": "编号",
        "type": "string",
        "description": "唯一编号。",
        "constraints": {"required": True, "unique": True, "pattern": "R[0-9]{9}"},
    },
    {
        "name": "code",
        "title": "区划代码",
        "type": "string",
        "description": "六位代码，保留前导零。",
        "constraints": {"required": True, "pattern": "[0-9]{6}"},
    },
    {
        "name": "district",
        "title": "区",
        "type": "string",
        "description": "区。",
        "constraints": {"required": True, "enum": DISTRICTS},
    },
    {"name": "title", "title": "标题", "type": "string", "description": "中文标题。"},
    {"name": "day", "title": "日期", "type": "date", "description": "日期。", "constraints": {"required": True}},
    {
        "name": "amount",
        "title": "金额",
        "type": "number",
        "unit": "万元",
        "description": "金额。",
        "constraints": {"minimum": 0},
    },
    {
        "name": "count",
        "title": "件数",
        "type": "integer",
        "unit": "件",
        "description": "件数。",
        "constraints": {"required": True, "minimum": 0},
    },
    {
        "name": "rate",
        "title": "比例",
        "type": "number",
        "unit": "%",
        "description": "比例。",
        "constraints": {"minimum": 0, "maximum": 100},
    },
    {"name": "status", "title": "状态", "type": "string", "description": "状态。", "constraints": {"enum": STATUS}},
    {"name": "note", "title": "备注", "type": "string", "description": "备注，可为空。"},
]


def _descriptor(name: str, resources: list[dict], n: int = 0) -> dict:
    return {
        "id": f"00000000-0000-4000-8000-{n:012d}",
        "name": name,
        "title": f"基准测试数据集{n}",
        "description": (
            "基准测试用的合成数据，不是真实记录：由基准程序按固定的随机种子生成，"
            "只用于测量校验、导出和构建的速度与内存，不代表任何机关的任何事项。"
        ),
        "version": "1.0.0",
        "created": "2026-01-01T00:00:00+08:00",
        "modified": "2026-01-02",
        "temporal": "2020-01-01/2020-12-31",
        "publisher": {"name": "广州市人民政府"},
        "topics": ["政务公开"],
        "keywords": ["基准测试"],
        "update_frequency": "不更新",
        "open_type": "无条件开放",
        "licenses": [
            {"name": "CC-BY-4.0", "title": "CC BY 4.0", "path": "https://creativecommons.org/licenses/by/4.0/"}
        ],
        "sources": [{"title": "合成数据", "citation": "由基准测试程序生成。", "date": "2026-01-01"}],
        "contributors": [{"title": "基准测试", "role": "maintainer", "email": "bench@example.org"}],
        "resources": resources,
    }


def _folder(folder: Path, desc: dict) -> None:
    (folder / "data").mkdir(parents=True, exist_ok=True)
    (folder / "datapackage.json").write_text(json.dumps(desc, ensure_ascii=False, indent=2), encoding="utf-8")
    (folder / "README.md").write_text(
        "# 基准\n\n## 数据\n\n合成。\n\n## 来源与处理\n\n生成。\n\n## 许可\n\nCC BY 4.0\n", encoding="utf-8"
    )
    (folder / "CHANGELOG.md").write_text("# 更新记录\n\n## 1.0.0 — 2026-01-02\n\n生成。\n", encoding="utf-8")


def big_dataset(repo_dir: Path, rows: int, bad_fraction: float = 0.0, seed: int = 1) -> Path:
    """One dataset of `rows` rows x 10 mixed columns; a fraction of rows broken in known ways."""
    rng = random.Random(seed)
    folder = repo_dir / "datasets/big"
    res = {
        "name": "records",
        "path": "data/records.csv",
        "title": "记录",
        "description": "合成记录。",
        "format": "csv",
        "mediatype": "text/csv",
        "encoding": "utf-8",
        "schema": {"fields": BIG_FIELDS, "primaryKey": ["id"]},
    }
    _folder(folder, _descriptor("big", [res], 1))
    with (folder / "data/records.csv").open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow([fld["name"] for fld in BIG_FIELDS])
        for i in range(rows):
            row = [
                f"R{i:09d}",
                f"{rng.randrange(0, 999999):06d}",
                DISTRICTS[i % 11],
                "".join(rng.choice(WORDS) for _ in range(rng.randrange(4, 16))),
                f"{2000 + i % 25}-{1 + i % 12:02d}-{1 + i % 28:02d}",
                f"{rng.randrange(0, 10**7) / 100:.2f}",
                str(rng.randrange(0, 5000)),
                f"{rng.random() * 100:.3f}",
                STATUS[i % 3],
                "" if i % 7 else "备注",
            ]
            if bad_fraction and rng.random() < bad_fraction:
                _break(row, rng, i)
            w.writerow(row)
    return folder


def _break(row: list[str], rng: random.Random, i: int) -> None:
    kind = rng.randrange(6)
    if kind == 0:
        row[6] = "x"  # type-error
    elif kind == 1:
        row[5] = "-1"  # constraint-error (minimum)
    elif kind == 2:
        row[2] = "不存在区"  # constraint-error (enum)
    elif kind == 3:
        row[1] = "12A456"  # constraint-error (pattern)
    elif kind == 4:
        row[0] = f"R{max(0, i - 1):09d}"  # unique-error + primary-key
    else:
        row[4] = ""  # constraint-error (required)


def catalog(repo_dir: Path, n: int, rows: int = 50, seed: int = 2) -> None:
    """n small datasets of `rows` rows x 6 columns."""
    rng = random.Random(seed)
    fields = [
        {
            "name": "id",
            "title": "编号",
            "type": "string",
            "description": "编号。",
            "constraints": {"required": True, "unique": True},
        },
        {"name": "district", "title": "区", "type": "string", "description": "区。"},
        {"name": "item", "title": "事项", "type": "string", "description": "事项。"},
        {"name": "day", "title": "日期", "type": "date", "description": "日期。"},
        {"name": "amount", "title": "金额", "type": "number", "unit": "万元", "description": "金额。"},
        {"name": "count", "title": "件数", "type": "integer", "unit": "件", "description": "件数。"},
    ]
    for k in range(n):
        name = f"set-{k:04d}"
        res = {
            "name": "items",
            "path": "data/items.csv",
            "title": "事项",
            "description": "合成事项。",
            "format": "csv",
            "mediatype": "text/csv",
            "encoding": "utf-8",
            "schema": {"fields": fields, "primaryKey": ["id"]},
        }
        folder = repo_dir / "datasets" / name
        _folder(folder, _descriptor(name, [res], 1000 + k))
        with (folder / "data/items.csv").open("w", encoding="utf-8", newline="") as f:
            w = csv.writer(f, lineterminator="\n")
            w.writerow([fld["name"] for fld in fields])
            for i in range(rows):
                w.writerow(
                    [
                        f"{k}-{i}",
                        DISTRICTS[i % 11],
                        "".join(rng.choice(WORDS) for _ in range(8)),
                        f"2020-{1 + i % 12:02d}-01",
                        f"{rng.randrange(10**6) / 100:.2f}",
                        str(rng.randrange(1000)),
                    ]
                )


def plain_mkdocs(folder: Path, pages: int) -> Path:
    """The reference: a plain Material site of `pages` pages with a small navigation."""
    if folder.exists():
        shutil.rmtree(folder)
    docs = folder / "docs"
    (docs / "p").mkdir(parents=True)
    (docs / "index.md").write_text("# 首页\n", encoding="utf-8")
    for k in range(pages):
        (docs / "p" / f"{k:04d}.md").write_text(f"# 页面 {k}\n\n" + "正文内容。" * 40 + "\n", encoding="utf-8")
    (folder / "mkdocs.yml").write_text(
        (
            "site_name: 参照\ntheme:\n  name: material\n  language: zh\n  font: false\nplugins:\n  - search:\n"
            "      lang: zh\nnav:\n  - 首页: index.md\n"
        ),
        encoding="utf-8",
    )
    return folder


def plain_mkdocs_from(folder: Path, docs: Path) -> Path:
    """A plain Material site over existing pages: no gongkai hook, a small navigation."""
    if folder.exists():
        shutil.rmtree(folder)
    shutil.copytree(docs, folder / "docs")
    # A plain site indexes every page in full: drop gongkai's "leave this page to the hook".
    for page in (folder / "docs").rglob("*.md"):
        text = page.read_text(encoding="utf-8")
        if "\nsearch:\n  exclude: true\n" in text:
            page.write_text(text.replace("\nsearch:\n  exclude: true\n", "\n", 1), encoding="utf-8")
    (folder / "mkdocs.yml").write_text(
        (
            "site_name: 参照\ntheme:\n  name: material\n  language: zh\n  font: false\nplugins:\n  - search:\n"
            "      lang: zh\nmarkdown_extensions:\n  - tables\n  - toc\n  - attr_list\nnav:\n  - 首页: index.md\n"
            "  - 数据集: datasets/index.md\n"
        ),
        encoding="utf-8",
    )
    return folder
