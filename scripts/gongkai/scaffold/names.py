"""ASCII names for what a maintainer headed in Chinese: field names and resource names.

A field name is what programs and URLs use, so it is ASCII (the profile's pattern); the Chinese
heading stays as the field's title. Common words of government tables have their English word
(区划代码 → division_code, 常住人口 → resident_population); other characters are spelt in
pinyin (pypinyin), one run of them as one word (设立日期 → sheli_date).
"""

from __future__ import annotations

import re
import unicodedata

from pypinyin import lazy_pinyin

FIELD = re.compile(r"^[a-z][a-z0-9]*(_[a-z0-9]+)*$")  # the profile's field name pattern
# Longest first wins: 区划代码 before 区 and 代码. An empty word is dropped (各区 → district).
GLOSSARY = {
    "行政区划代码": "division_code",
    "区划代码": "division_code",
    "统一社会信用代码": "credit_code",
    "代码": "code",
    "编码": "code",
    "编号": "id",
    "序号": "seq",
    "名称": "name",
    "姓名": "name",
    "名次": "rank",
    "排名": "rank",
    "名": "name",  # 区名 → district_name, not district_ming
    "标题": "title",
    "内容": "content",
    "说明": "description",
    "来源": "source",
    "网址": "url",
    "链接": "link",
    "地区": "region",
    "级别": "level",
    "状态": "status",
    "人数": "people",
    "区": "district",
    "县": "county",
    "市": "city",
    "省": "province",
    "街道": "street",
    "镇": "town",
    "乡": "township",
    "村": "village",
    "社区": "community",
    "人口": "population",
    "常住": "resident",
    "户籍": "registered",
    "日期": "date",
    "时间": "time",
    "统计": "stat",
    "年份": "year",
    "年度": "year",
    "月份": "month",
    "数量": "count",
    "个数": "count",
    "件数": "count",
    "数据": "data",
    "数": "count",
    "金额": "amount",
    "面积": "area",
    "地址": "address",
    "电话": "phone",
    "备注": "note",
    "类别": "category",
    "类型": "kind",
    "合计": "total",
    "总计": "total",
    "总数": "total",
    "比例": "ratio",
    "占比": "share",
    "增长率": "growth_rate",
    "增长": "growth",
    "收入": "income",
    "支出": "expenditure",
    "预算": "budget",
    "服务点": "service_point",
    "部门": "department",
    "机构": "agency",
    "各": "",
    "的": "",
}
_LONGEST = max(map(len, GLOSSARY))
# Fragments of a file name that say nothing about the table: never a resource's name.
GENERIC = {"data", "excel", "csv", "xlsx", "xls", "export", "sheet", "sheet1", "table", "final", "copy", "new", "wps"}


def slug(text: str) -> str:
    """Lower-case ASCII words joined by underscores; "" when the text has none."""
    text = unicodedata.normalize("NFKC", text)
    words: list[str] = []
    run: list[str] = []  # characters outside the glossary, spelt together in pinyin

    def flush() -> None:
        if run:
            words.append("".join(lazy_pinyin("".join(run))))
            run.clear()

    i = 0
    while i < len(text):
        for size in range(min(_LONGEST, len(text) - i), 0, -1):
            word = GLOSSARY.get(text[i : i + size])
            if word is not None:
                flush()
                words.append(word)
                i += size
                break
        else:
            ch = text[i]
            if "\u4e00" <= ch <= "\u9fff":
                run.append(ch)
            else:
                flush()
                words.append(ch.lower() if ch.isascii() and ch.isalnum() else " ")
            i += 1
    flush()
    joined = re.sub(r"[^a-z0-9]+", "_", " ".join(_glue(words))).strip("_")
    return joined


def _glue(words: list[str]) -> list[str]:
    """ASCII letters and digits that came one by one become one word again (GDP, 2019)."""
    out: list[str] = []
    for w in words:
        if len(w) == 1 and w.isalnum() and out and out[-1][-1:].isalnum() and out[-1] not in GLOSSARY.values():
            out[-1] += w
        else:
            out.append(w)
    return out


def field_names(titles: list[str]) -> list[str]:
    """A distinct field name for each column title (its unit already taken off)."""
    names: list[str] = []
    for i, title in enumerate(titles, 1):
        name = slug(title) or f"column_{i}"
        if not name[0].isalpha():
            name = f"f_{name}"
        name = name[:60].rstrip("_")
        base, n = name, 2
        while name in names or not FIELD.match(name):
            name, n = f"{base}_{n}", n + 1
            if not FIELD.match(base):
                name = base = f"column_{i}"
        names.append(name)
    return names


def resource_name(title: str) -> str:
    """A readable resource name from the table's title (the file name without its generic parts)."""
    name = slug(title).replace("_", "-")
    parts = [p for p in name.split("-") if p and p not in GENERIC]
    name = "-".join(parts)[:60].strip("-")
    if not name or name in ("datapackage", "index") or not name[0].isalnum():
        return "table1"
    return name


def table_title(stem: str) -> str:
    """The file's name as a table title: 各区人口-excel → 各区人口 (generic ASCII fragments dropped)."""
    parts = [p for p in re.split(r"[-_ .（）()]+", stem) if p and p.lower() not in GENERIC]
    return "-".join(parts)
