"""What `gongkai check` found, as Markdown anyone can read without signing in (a file, and the
GitHub Actions job summary), and as short lines for the terminal. Cells are escaped: a pull
request's data must not be able to inject Markdown or HTML into the report."""

from __future__ import annotations

import html
import re

from ..core.problemtext import report_lines
from ..publish.budget import size_text
from ..render.markup import md_table
from .check import Checked
from .diff import LEVELS, SAMPLE, Diff, TableDiff, changes_line
from .growth import BASELINE, Growth


def lock_hint(checked: Checked, lang: str = "zh") -> str | None:
    """What to run when the changed datasets publish paths urls.lock does not hold yet."""
    if not checked.unlocked:
        return None
    first = checked.unlocked[0]
    if lang == "zh":
        return (
            f"{len(checked.unlocked)} 个新网址（{first} 等）还没有写入 urls.lock：运行 gongkai lock，"
            "再把 urls.lock 与改动一起提交"
        )
    return (
        f"{len(checked.unlocked)} new path(s) ({first}, …) are not in urls.lock yet: run gongkai lock "
        "and commit urls.lock with your change"
    )


def _signed(n: int, bytes_: bool = True) -> str:
    text = size_text(abs(n)) if bytes_ else f"{abs(n):,}"
    return ("+" if n >= 0 else "−") + text


def growth_line(growth: Growth | None, lang: str = "zh") -> str | None:
    """The site's growth from this change in one line, with the projected size when the last
    build's measure is known."""
    if growth is None or not growth.changes:
        return None
    zh, hosting = lang == "zh", growth.hosting
    each = ("、" if zh else ", ").join(f"{c.name} {_signed(c.bytes)}" for c in growth.changes)
    if zh:
        line = f"站点的下载文件 {_signed(growth.bytes)}，{_signed(growth.files, False)} 个文件（{each}）"
    else:
        line = f"site downloads {_signed(growth.bytes)}, {_signed(growth.files, False)} files ({each})"
    if growth.baseline:
        total = growth.baseline["bytes"] + growth.bytes
        files = growth.baseline.get("files", 0) + growth.files
        limit = f" / {size_text(hosting.max_site_bytes)}" if hosting.max_site_bytes else ""
        limit_files = f" / {hosting.max_files:,}" if hosting.max_files else ""
        line += (
            f"；合并后约 {size_text(total)}{limit}，{files:,}{limit_files} 个文件"
            if zh
            else f"; about {size_text(total)}{limit} and {files:,}{limit_files} files once merged"
        )
    return line


def terminal_lines(checked: Checked, lang: str = "zh") -> list[str]:
    zh = lang == "zh"
    lines = []
    for name, diff in checked.diffs.items():
        lines.append(f"{name}: {_versions(diff)}: {changes_line(diff, lang) or ('没有改动' if zh else 'no change')}")
    invalid = "有校验错误，未比较" if zh else "not compared, it has validation errors"
    lines += [f"{name}: {invalid}" for name in checked.invalid]
    lines += [f"{name}: {'已删除' if zh else 'removed'}" for name in checked.removed]
    if checked.site_code:
        review = "网站代码有改动，需要维护者审查" if zh else "site code changed, needs a maintainer's review"
        lines.append(f"{review}: {', '.join(checked.site_code)}")
    grown = growth_line(checked.growth, lang)
    hint = lock_hint(checked, lang)
    return lines + [said for said in (grown, hint) if said]


def markdown_report(checked: Checked, lang: str = "zh") -> str:
    report = checked.report
    verdict = "✅ 通过 / passed" if report.valid else f"❌ {report.problem_count} 个问题 / problem(s)"
    out = [
        f"# gongkai check：{verdict}",
        "",
        f"与基准 `{_cell(checked.base)}`（{checked.commit[:10]}）相比。Compared with the base.",
    ]
    rows = []
    for name, diff in checked.diffs.items():
        added, removed, changed = (
            sum(len(getattr(t, kind)) for t in diff.tables) for kind in ("added", "removed", "changed")
        )
        schema = sum(len(t.schema) for t in diff.tables)
        needed = LEVELS.get(diff.needed, "—") if diff.old else "新数据集"
        rows.append(
            [
                f"`{name}`",
                _cell(_versions(diff)),
                needed,
                str(added),
                str(removed),
                str(changed),
                str(schema),
                _verdict(checked, name),
            ]
        )
    rows += [[f"`{name}`", "", "", "", "", "", "", "❌ 校验未通过，未比较"] for name in checked.invalid]
    rows += [[f"`{name}`", "", "", "", "", "", "", "已删除 removed"] for name in checked.removed]
    if rows:
        out += [
            "",
            md_table(["数据集", "版本", "需要的版本升级", "新增行", "删除行", "修改行", "表结构变化", "结果"], rows),
        ]
    else:
        out += ["", "没有数据集改动。No dataset changed."]
    out += _site_code_section(checked.site_code)
    out += _growth_section(checked.growth)
    hint = lock_hint(checked, lang)
    if hint:
        out += ["", f"**urls.lock**：{_cell(hint)}"]
    if report.problems:
        said = (text.replace("```", "'''") for text in report_lines(report.problems, lang, report.titles))
        out += ["", "## 问题 Problems", "", "```text", *said, "```"]
    for name, diff in checked.diffs.items():
        out += ["", f"## {name}：{_cell(_versions(diff))}"]
        if diff.old is None:
            out += ["", "新数据集。A new dataset."]
            continue
        if diff.changes:  # in Chinese with the English beside it, as the terminal says it in each language
            out += ["", f"- 改动：{_cell(changes_line(diff, 'zh'))}", f"- Changes: {_cell(changes_line(diff, 'en'))}"]
        else:
            out += ["", "数据与元数据都没有变化。Neither the data nor the metadata changed."]
        for table in diff.tables:
            out += _table_section(table)
    return "\n".join(out) + "\n"


def _growth_section(growth: Growth | None) -> list[str]:
    # What merging adds to the site, dataset by dataset, and the host's limits it is held to.
    if growth is None or not growth.changes:
        return []
    out = ["", "## 站点体积 Site size", ""]
    out += ["本次改动使站点的下载文件与版本文件（不含页面）变化如下。What this change adds to the site's downloads."]
    rows = [
        [
            f"`{c.name}`",
            size_text(sum(c.before.values())),
            size_text(sum(c.after.values())),
            _signed(c.bytes),
            _signed(c.files, False),
        ]
        for c in growth.changes
    ]
    rows.append(["合计 total", "", "", _signed(growth.bytes), _signed(growth.files, False)])
    out += ["", md_table(["数据集", "之前", "之后", "变化", "文件数变化"], rows)]
    path, size = growth.largest()
    if path:
        out += ["", f"- 改动的数据集中最大的文件 the largest file: `{_cell(path)}`（{size_text(size)}）"]
    hosting, said = growth.hosting, growth_line(growth, "zh")
    if growth.baseline and said:
        out += [f"- 以上次构建（`{BASELINE}`）为基础：{_cell(said.split('；', 1)[-1])}"]
    else:
        out += [f"- 没有上次构建的测量（`{BASELINE}`），所以只列出本次改动的增长。No earlier build measured here."]
    limits = [
        f"每个文件 {size_text(hosting.max_file_bytes)}" if hosting.max_file_bytes else "",
        f"站点 {size_text(hosting.max_site_bytes)}" if hosting.max_site_bytes else "",
        f"{hosting.max_files:,} 个文件" if hosting.max_files else "",
    ]
    shown = "，".join(x for x in limits if x) or "无"
    out += [f"- 主机 {_cell(hosting.preset)} 的上限 the host's limits：{shown}"]
    return out


def _site_code_section(paths: list[str]) -> list[str]:
    # Told apart from data: a pull request that changes how the site is built or what runs in
    # a reader's browser is code, and passes only once a maintainer has read it.
    if not paths:
        return []
    out = ["", "## 需要维护者审查的代码改动 Site code changed: needs a maintainer's review", ""]
    out += ["这些文件是网站的代码，不是数据；合并前须由维护者逐一审查。These files are site code, not data."]
    return out + ["", *(f"- {_cell(path)}" for path in paths)]


def _table_section(table: TableDiff) -> list[str]:
    if table.empty:
        return []
    by = f"按主键 {'、'.join(table.key)} 比较" if table.key else "没有主键，按整行比较（修改显示为删除加新增）"
    out = [
        "",
        f"### {table.resource}",
        "",
        f"{by}：新增 {len(table.added)} 行，删除 {len(table.removed)} 行，修改 {len(table.changed)} 行。",
    ]
    if table.changed:
        rows = [
            [_cell(", ".join(f"{k}={v}" for k, v in key.items())), f"`{f}`", _cell(old), _cell(new)]
            for key, cells in table.changed[:SAMPLE]
            for f, (old, new) in cells.items()
        ]
        out += [
            "",
            f"修改的行（前 {SAMPLE} 行）：" if len(table.changed) > SAMPLE else "修改的行：",
            "",
            md_table(["行", "字段", "原值", "新值"], rows),
        ]
    for kind, label in (("added", "新增的行"), ("removed", "删除的行")):
        found = getattr(table, kind)
        if found:
            header = list(found[0])
            rows = [[_cell(row.get(h, "")) for h in header] for row in found[:SAMPLE]]
            more = f"（前 {SAMPLE} 行，共 {len(found)} 行）" if len(found) > SAMPLE else ""
            out += ["", f"{label}{more}：", "", md_table([f"`{h}`" for h in header], rows)]
    return out


def _cell(text) -> str:
    """A value for a Markdown table cell in the report: no HTML, no links or emphasis, one line.
    (markup.esc_md escapes more, for the site's Markdown; GitHub's renderer shows this cleaner.)"""
    s = html.escape("" if text is None else str(text), quote=False)
    s = re.sub(r"([\\`*_\[\]|~])", r"\\\1", s)
    return s.replace("\r\n", " ").replace("\n", " ").replace("\r", " ")


def _versions(diff: Diff) -> str:
    return (
        f"new {diff.new.version}"
        if diff.old is None
        else diff.new.version
        if diff.old.version == diff.new.version
        else f"{diff.old.version} → {diff.new.version}"
    )


def _verdict(checked: Checked, name: str) -> str:
    errors = [p for p in checked.report.errors if p.dataset == name]
    return "✅" if not errors else f"❌ {len(errors)}"
