"""The built site measured against its host's limits (core/hosting.py): bytes, files, the largest
file, and which datasets take the most. Measured on the fresh folder before it is swapped in, so a
site over a limit is never published; the figures are written to build/site-budget.json."""

from __future__ import annotations

import heapq
import json
import os
from dataclasses import dataclass, field
from pathlib import Path

from ..core.errors import BuildError
from ..core.hosting import Hosting
from ..core.sitepaths import DATASETS, ENGLISH

SHOWN = 5  # datasets named when the site is over or near a limit
KEPT = 20  # the largest files kept by name: each one over the per-file limit is named


@dataclass
class Budget:
    bytes: int = 0
    files: int = 0
    largest: tuple[str, int] = ("", 0)  # site-relative path, bytes
    datasets: dict[str, int] = field(default_factory=dict)  # bytes under each dataset's folders, both languages
    big: list[tuple[str, int]] = field(default_factory=list)  # the KEPT largest files, largest first

    def heaviest(self, n: int = SHOWN) -> list[tuple[str, int]]:
        return sorted(self.datasets.items(), key=lambda kv: (-kv[1], kv[0]))[:n]

    def to_dict(self) -> dict:
        path, size = self.largest
        return {
            "bytes": self.bytes,
            "files": self.files,
            "largest": {"path": path, "bytes": size},
            "largest_files": [{"path": p, "bytes": n} for p, n in self.big],
            "datasets": dict(self.heaviest(len(self.datasets))),
        }


@dataclass(frozen=True)
class Overrun:
    limit: str  # max_site_bytes, max_files, max_file_bytes
    used: int
    allowed: int
    path: str = ""  # the file, for max_file_bytes
    near: bool = False  # a warning: over warn_share of the limit, not over it


def measure(site: Path) -> Budget:
    budget = Budget()
    prefixes = (DATASETS, ENGLISH + DATASETS)  # "datasets/", "en/datasets/"
    kept: list[tuple[int, str]] = []  # a heap of the KEPT largest (size, path)
    for folder, _dirs, names in os.walk(site):
        rel_folder = Path(folder).relative_to(site).as_posix()
        for name in names:
            size = os.lstat(os.path.join(folder, name)).st_size
            rel = name if rel_folder == "." else f"{rel_folder}/{name}"
            budget.bytes += size
            budget.files += 1
            if size > budget.largest[1]:
                budget.largest = (rel, size)
            if len(kept) < KEPT:
                heapq.heappush(kept, (size, rel))
            elif (size, rel) > kept[0]:
                heapq.heapreplace(kept, (size, rel))
            for prefix in prefixes:
                if rel.startswith(prefix) and "/" in rel[len(prefix) :]:
                    dataset = rel[len(prefix) :].split("/", 1)[0]
                    budget.datasets[dataset] = budget.datasets.get(dataset, 0) + size
    budget.big = [(rel, size) for size, rel in sorted(kept, reverse=True)]
    return budget


def overruns(budget: Budget, hosting: Hosting) -> list[Overrun]:
    """Every limit the site passes, and (near=True) every one it is close to."""
    found = []
    used = {"max_site_bytes": budget.bytes, "max_files": budget.files, "max_file_bytes": budget.largest[1]}
    for limit, amount in used.items():
        allowed = getattr(hosting, limit)
        if allowed is None:
            continue
        path = budget.largest[0] if limit == "max_file_bytes" else ""
        if limit == "max_file_bytes" and amount > allowed:  # every file over it, by name
            over = [(p, n) for p, n in budget.big if n > allowed] or [budget.largest]
            found += [Overrun(limit, n, allowed, p) for p, n in over]
        elif amount > allowed:
            found.append(Overrun(limit, amount, allowed, path))
        elif amount > allowed * hosting.warn_share:
            found.append(Overrun(limit, amount, allowed, path, near=True))
    return found


def write(budget: Budget, hosting: Hosting, path: Path) -> None:
    record = {"hosting": hosting.preset, **budget.to_dict()}
    record["limits"] = {k: getattr(hosting, k) for k in ("max_site_bytes", "max_files", "max_file_bytes")}
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(record, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


class SiteTooLarge(BuildError):
    """The built site passes a limit of its host: it is not published."""

    def __init__(self, budget: Budget, found: list[Overrun], hosting: Hosting):
        self.budget, self.found, self.hosting = budget, found, hosting
        super().__init__("\n".join(lines(budget, found, hosting, "en")))


def size_text(n: int) -> str:
    """Bytes as people read them: 51.1 MB, 309.4 KB."""
    for unit, step in (("GB", 1e9), ("MB", 1e6), ("KB", 1e3)):
        if n >= step:
            return f"{n / step:.1f} {unit}"
    return f"{n} B"


def _amount(limit: str, n: int) -> str:
    return f"{n:,}" if limit == "max_files" else size_text(n)


WORDS = {
    "zh": {
        "max_site_bytes": "站点共 {used}，{host} 的上限是 {allowed}",
        "max_files": "站点有 {used} 个文件，{host} 的上限是 {allowed} 个",
        "max_file_bytes": "{path} 有 {used}，{host} 每个文件的上限是 {allowed}",
        "over": "超过上限，没有发布，site/ 保持原样：",
        "near": "警告：接近上限（{share:.0%}）：",
        "heaviest": "占用最多的数据集：",
        "more_files": "（只列出最大的 {n} 个文件，可能还有更多超过上限）",
        "summary": "站点 {bytes}，{files} 个文件，最大的文件 {path}（{largest}）",
        "fix": "把下载文件放到对象存储（gongkai.yml 的 downloads），或在 hosting 中"
        "换主机预设（github-pages、cloudflare-pages、none）或改上限",
    },
    "en": {
        "max_site_bytes": "the site is {used}; {host} allows {allowed}",
        "max_files": "the site has {used} files; {host} allows {allowed}",
        "max_file_bytes": "{path} is {used}; {host} allows {allowed} per file",
        "over": "over its host's limit: nothing was published; site/ was left as it was:",
        "near": "warning: near its host's limit ({share:.0%}):",
        "heaviest": "the datasets that take the most:",
        "more_files": "(only the {n} largest files are named; more may be over the limit)",
        "summary": "site {bytes} in {files} files, the largest {path} ({largest})",
        "fix": "move downloads to object storage (downloads in gongkai.yml), or set another preset (github-pages, "
        "cloudflare-pages, none) or other limits under hosting",
    },
}


def lines(budget: Budget, found: list[Overrun], hosting: Hosting, lang: str) -> list[str]:
    """The figures, then each limit passed or near, the heaviest datasets and what to do."""
    w = WORDS[lang]
    path, largest = budget.largest
    out = [
        w["summary"].format(
            bytes=size_text(budget.bytes), files=f"{budget.files:,}", path=path, largest=size_text(largest)
        )
    ]
    over = [o for o in found if not o.near]
    near = [o for o in found if o.near]
    host = hosting.preset if hosting.preset != "none" else "gongkai.yml"  # limits of one's own
    for group, head in ((over, w["over"]), (near, w["near"].format(share=hosting.warn_share))):
        if not group:
            continue
        out.append(head)
        for o in group:
            said = w[o.limit].format(
                used=_amount(o.limit, o.used), allowed=_amount(o.limit, o.allowed), host=host, path=o.path
            )
            out.append(f"  {said}")
        if sum(o.limit == "max_file_bytes" for o in group) >= KEPT:
            out.append("  " + w["more_files"].format(n=KEPT))
    if found:
        joined = ("、" if lang == "zh" else ", ").join(f"{n} {size_text(b)}" for n, b in budget.heaviest())
        out.append(w["heaviest"] + ("" if lang == "zh" else " ") + joined)
        out.append(f"  {w['fix']}")
    return out
