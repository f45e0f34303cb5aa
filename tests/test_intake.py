"""`gongkai new` and `gongkai update` on spreadsheets as maintainers have them: GB18030 with
thousands separators, slash dates and CRLF; XLSX with merged two-row headings and Excel date
serials; units in headings and cells; and an update that is all or nothing."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import sys
from pathlib import Path

import openpyxl
import pytest
from conftest import examples, gongkai
from hypothesis import given, settings
from hypothesis import strategies as st

# Long enough for any description minimum the profile may set (Google asks for 50 characters)
DESCRIPTION = (
    "广州市11个区的常住人口，按区划代码每区一行，数据时点为2019年5月16日；"
    "本数据为示例数据，供试用新建数据集的流程，数字不代表官方统计。"
)
DISTRICTS = [
    ("440103", "荔湾区", "1,108,000", "2019/5/16"),
    ("440104", "越秀区", "1,173,200", "2019/5/16"),
    ("440105", "海珠区", "1,697,400", "2019/5/16"),
    ("440106", "天河区", "1,749,400", "2019/5/16"),
    ("440111", "白云区", "2,710,000", "2019/5/16"),
    ("440112", "黄埔区", "1,113,600", "2019/5/16"),
    ("440113", "番禺区", "1,774,200", "2019/5/16"),
    ("440114", "花都区", "1,094,200", "2019/5/16"),
    ("440115", "南沙区", " 750,000", "2019/5/16"),
    ("440117", "从化区", "652,000", "2019/5/16"),
    ("440118", "增城区", "1,219,700", "2019/5/16"),
]


def csv_text(header: list[str], rows, end: str = "\r\n") -> str:
    cell = lambda c: f'"{c}"' if "," in c else c  # noqa: E731
    return end.join([",".join(header)] + [",".join(cell(c) for c in r) for r in rows]) + end


@pytest.fixture
def repo(repo_factory):
    return repo_factory(real=["key-area-disclosure"])


@pytest.fixture
def districts_csv(tmp_path) -> Path:
    path = tmp_path / "各区人口.csv"
    path.write_bytes(csv_text(["区划代码", "区", "常住人口（万人）", "统计日期"], DISTRICTS).encode("gb18030"))
    return path


def descriptor(repo: Path, name: str) -> dict:
    return json.loads((repo / "datasets" / name / "datapackage.json").read_text(encoding="utf-8"))


def fields(repo: Path, name: str) -> list[dict]:
    return descriptor(repo, name)["resources"][0]["schema"]["fields"]


def folder_hashes(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def test_a_gb18030_excel_csv_becomes_typed_fields_with_unit_key_and_constraints(repo, districts_csv):
    result = gongkai("--lang", "zh", "new", "district-population", "--from", str(districts_csv), "--no-ask", cwd=repo)
    assert result.returncode == 0, result.stderr
    said = result.stderr.splitlines()
    for line in (
        "gongkai: 各区人口.csv：行尾由 CRLF 改为 LF",
        "gongkai: 常住人口：去掉首尾空格 1 处",
        "gongkai: 常住人口：去掉千分位逗号 11 处",
        "gongkai: 常住人口：单位“万人”写入表结构（unit），字段名称为“常住人口”",
        "gongkai: 统计日期：2019/5/16 式的日期改写为 2019-05-16 式 11 处",
        "gongkai: 主键：区划代码（每行都有、各不相同；更新时按它比较行）",
        "gongkai: 区划代码：建议的约束：格式 ^[0-9]{6}$，不能为空",
    ):
        assert line in said, (line, said)
    # every note comes before the folder is said to exist
    assert said.index("gongkai: 常住人口：去掉千分位逗号 11 处") < next(i for i, s in enumerate(said) if "已建立" in s)
    folder = repo / "datasets/district-population"
    assert [p.name for p in (folder / "data").iterdir()] == ["district-population.csv"]  # not data.csv
    data = (folder / "data/district-population.csv").read_text(encoding="utf-8")
    assert data.splitlines()[:2] == [
        "division_code,district,resident_population,stat_date",
        "440103,荔湾区,1108000,2019-05-16",
    ]
    assert "440115,南沙区,750000,2019-05-16" in data.splitlines()
    got = [
        (f["name"], f["title"], f["type"], f.get("unit"), f.get("constraints"))
        for f in fields(repo, "district-population")
    ]
    assert got == [
        ("division_code", "区划代码", "string", None, {"required": True, "pattern": "^[0-9]{6}$"}),
        ("district", "区", "string", None, {"required": True}),
        ("resident_population", "常住人口", "integer", "万人", {"required": True, "minimum": 0}),
        ("stat_date", "统计日期", "date", None, {"required": True}),
    ]
    d = descriptor(repo, "district-population")
    assert d["resources"][0]["schema"]["primaryKey"] == ["division_code"]
    assert d["resources"][0]["title"] == "各区人口"
    # what gongkai.yml gives is filled in, not left to fill
    assert d["licenses"][0]["name"] == "CC-BY-4.0" and d["licenses"][0]["path"].startswith("https://")
    assert (d["update_frequency"], d["open_type"], d["publisher"]["name"]) == ("每年", "无条件开放", "广州市人民政府")
    assert d["contributors"][0]["role"] == "maintainer" and "待填写" not in json.dumps(d["contributors"])
    readme = (folder / "README.md").read_text(encoding="utf-8")
    assert "- 常住人口：去掉千分位逗号 11 处" in readme  # the processing, for readers too
    # the encoding as a record, without the request to check a line, which is for the maintainer
    assert "- 各区人口.csv：原文件为 GB18030（GBK）编码，已转换为 UTF-8" in readme and "请核对" not in readme


def test_without_a_terminal_only_what_a_person_knows_is_left_to_fill(repo, districts_csv):
    gongkai("--lang", "zh", "new", "district-population", "--from", str(districts_csv), "--no-ask", cwd=repo)
    check = gongkai("validate", "district-population", cwd=repo)
    assert check.returncode == 1
    named = [line for line in check.stdout.splitlines() if not line.startswith("  ")]  # not the fix under them
    assert all(line.endswith("[placeholder]") for line in named), named
    pointers = sorted(line.split(": ")[1] for line in named if "datapackage.json" in line)
    assert pointers == sorted(
        ["/title", "/description", "/topics/0", "/keywords/0", "/temporal"]
        + ["/sources/0/title", "/sources/0/path", "/sources/0/date", "/resources/0/description"]
        + [f"/resources/0/schema/fields/{i}/description" for i in range(4)]
    )
    assert len(named) == 16  # 25 before intake understood spreadsheets (issue 19 counted 26)


def answers(*lines: str) -> io.StringIO:
    return io.StringIO("".join(f"{line}\n" for line in lines))


def test_in_a_terminal_new_asks_in_chinese_and_the_dataset_is_valid_at_once(repo, districts_csv, monkeypatch):
    monkeypatch.setattr(
        sys,
        "stdin",
        answers(
            "广州市各区常住人口",
            DESCRIPTION,
            "2018",  # not a topic number: asked again
            "6",
            "人口、各区",
            "2019年5月16日",
            "示例来源",
            "https://example.org/report",
            "2019/5/16",
            "",  # the frequency gongkai.yml gives
            "每行一个区",
            "区的行政区划代码",
            "区的名称",
            "年末常住人口",
            "统计的日期",
        ),
    )
    result = gongkai("--lang", "zh", "new", "district-population", "--from", str(districts_csv), "--ask", cwd=repo)
    assert result.returncode == 0, result.stderr
    assert "数据集的标题" in result.stderr and "没有看懂“2018”" in result.stderr
    d = descriptor(repo, "district-population")
    assert (d["title"], d["topics"], d["keywords"], d["temporal"]) == (
        "广州市各区常住人口",
        ["经济发展"],
        ["人口", "各区"],
        "2019-05-16",
    )
    assert d["sources"] == [{"title": "示例来源", "path": "https://example.org/report", "date": "2019-05-16"}]
    assert d["update_frequency"] == "每年"
    assert gongkai("validate", "district-population", cwd=repo).returncode == 0


def merged_heading_book(path: Path) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "各区"
    sheet.append(["区划代码", "区", "人口（万人）", None, "统计日期", "填报日期", "类别"])
    sheet.append([None, None, "常住", "户籍", None, None, None])
    for cells in ("A1:A2", "B1:B2", "C1:D1", "E1:E2", "F1:F2", "G1:G2"):
        sheet.merge_cells(cells)
    rows = [
        ("440103", "荔湾区", 112.32, 77.11, 43601, dt.datetime(2019, 6, 1), "中心城区"),
        ("440104", "越秀区", 103.84, 117.89, 43601, dt.datetime(2019, 6, 2), "中心城区"),
        ("440105", "海珠区", 183.2, 106.56, 43601, dt.datetime(2019, 6, 3), "中心城区"),
        ("440111", "白云区", 374.31, 109.39, 43601, dt.datetime(2019, 6, 4), "外围城区"),
        ("440114", "花都区", 164.39, 79.71, 43601, dt.datetime(2019, 6, 5), "外围城区"),
    ]
    for row in rows:
        sheet.append(list(row))
    book.save(path)
    return path


def test_an_xlsx_with_a_merged_two_row_heading_and_date_serials(repo, tmp_path):
    book = merged_heading_book(tmp_path / "各区人口-excel.xlsx")
    result = gongkai("--lang", "zh", "new", "districts", "--from", str(book), "--no-ask", cwd=repo)
    assert result.returncode == 0, result.stderr
    assert "gongkai: 各区人口-excel.xlsx：表头有 2 行（合并单元格），各级名称用“-”连接，如“上级-下级”" in result.stderr
    assert "gongkai: 统计日期：Excel 的日期序号（如 43601）改写为日期 5 处" in result.stderr
    got = [(f["name"], f["title"], f["type"], f.get("unit")) for f in fields(repo, "districts")]
    assert got == [
        ("division_code", "区划代码", "string", None),
        ("district", "区", "string", None),
        ("population_resident", "人口-常住", "number", "万人"),
        ("population_registered", "人口-户籍", "number", "万人"),
        ("stat_date", "统计日期", "date", None),
        ("tianbao_date", "填报日期", "date", None),
        ("category", "类别", "string", None),
    ]
    assert fields(repo, "districts")[6]["constraints"] == {"required": True, "enum": ["中心城区", "外围城区"]}
    resource = descriptor(repo, "districts")["resources"][0]
    assert resource["name"] == "district-population"  # from 各区人口, not "excel"
    rows = (repo / "datasets/districts" / resource["path"]).read_text(encoding="utf-8").splitlines()
    assert rows[1] == "440103,荔湾区,112.32,77.11,2019-05-16,2019-06-01,中心城区"


def new_from(repo: Path, tmp_path: Path, header: list[str], rows, name: str = "t") -> tuple[str, list[dict], list[str]]:
    path = tmp_path / f"{name}.csv"
    path.write_text(csv_text(header, rows, "\n"), encoding="utf-8")
    result = gongkai("--lang", "zh", "new", name, "--from", str(path), "--no-ask", "--resource", "items", cwd=repo)
    assert result.returncode == 0, result.stderr
    data = (repo / "datasets" / name / "data/items.csv").read_text(encoding="utf-8").splitlines()
    return result.stderr, fields(repo, name), data


def test_a_unit_after_every_number_goes_to_the_schema_and_mixed_units_stay_text(repo, tmp_path):
    said, got, data = new_from(
        repo,
        tmp_path,
        ["名称", "面积", "人口", "占比"],
        [("甲", "4.14万", "12万", "12.5%"), ("乙", "0.9万", "3", "７．５％"), ("丙", "13万", "4亿", "80%")],
    )
    assert [(f["type"], f.get("unit")) for f in got] == [
        ("string", None),
        ("number", "万"),
        ("string", None),
        ("number", "%"),
    ]
    assert "gongkai: 面积：去掉数后的“万” 3 处" in said
    assert "gongkai: 人口：有的值带“万”、有的不带或带别的单位（第 3、4 行），单位不一，保留为文本" in said
    assert "gongkai: 占比：全角数字和符号改为半角 1 处" in said
    assert data[2] == "乙,0.9,3,7.5"
    assert got[3]["constraints"] == {"required": True, "minimum": 0, "maximum": 100}


def test_a_column_with_a_few_values_that_are_not_dates_stays_text_and_says_which_rows(repo, tmp_path):
    rows = [(str(i), d) for i, d in enumerate(["2019.5.16", "2019年5月17日", "不详", "2019-05-19", "2019/5/20"], 1)]
    said, got, data = new_from(repo, tmp_path, ["编号", "日期"], rows + [("6", "待定"), ("7", "2019/5/22")])
    assert got[1]["type"] == "string"
    assert "gongkai: 日期：有 2 个值不是日期（第 4、7 行），保留为文本" in said
    said, got, data = new_from(repo, tmp_path, ["编号", "日期"], rows[:2] + rows[3:], name="u")
    assert got[1]["type"] == "date"
    assert data[1:] == ["1,2019-05-16", "2,2019-05-17", "4,2019-05-19", "5,2019-05-20"]
    assert "gongkai: 日期：2019.5.16 式的日期改写为 2019-05-16 式 1 处" in said
    assert "gongkai: 日期：2019年5月16日 式的日期改写为 2019-05-16 式 1 处" in said


def test_codes_keep_their_zeros_and_digits_and_decimals_stay_exact(repo, tmp_path):
    said, got, data = new_from(
        repo,
        tmp_path,
        ["街道代码", "序", "金额（元）"],
        [("440103001", "0012", "1,234.50"), ("440103001002", "0340", "0.10000000000000000555")],
    )
    assert [f["type"] for f in got] == ["string", "string", "number"]
    assert got[0]["constraints"]["pattern"] == "^[0-9]{9,12}$"
    assert data[1:] == ["440103001,0012,1234.50", "440103001002,0340,0.10000000000000000555"]


def fill_placeholders(repo: Path, name: str) -> None:
    """What a maintainer does after a `gongkai new` that could not ask: each placeholder replaced."""
    real = {
        "/title": "广州市各区常住人口",
        "/description": DESCRIPTION,
        "/temporal": "2019-05-16",
        "/sources/0/path": "https://example.org/report",
        "/sources/0/date": "2019-05-16",
    }

    def fill(node, pointer: str):
        if isinstance(node, dict):
            return {k: fill(v, f"{pointer}/{k}") for k, v in node.items()}
        if isinstance(node, list):
            return [fill(v, f"{pointer}/{i}") for i, v in enumerate(node)]
        if isinstance(node, str) and node.startswith("待填写"):
            return real.get(pointer) or {"/topics/0": "经济发展"}.get(pointer) or "示例说明文字。"
        return node

    path = repo / "datasets" / name / "datapackage.json"
    path.write_text(json.dumps(fill(descriptor(repo, name), ""), ensure_ascii=False, indent=2), encoding="utf-8")
    readme = repo / "datasets" / name / "README.md"
    readme.write_text(readme.read_text(encoding="utf-8").replace("待填写：", ""), encoding="utf-8")


@pytest.fixture
def published(repo, districts_csv):
    assert (
        gongkai(
            "--lang", "zh", "new", "district-population", "--from", str(districts_csv), "--no-ask", cwd=repo
        ).returncode
        == 0
    )
    fill_placeholders(repo, "district-population")
    assert gongkai("validate", "district-population", cwd=repo).returncode == 0
    return repo


def test_update_with_invalid_data_changes_nothing_and_names_file_row_field_and_what_was_expected(published, tmp_path):
    folder = published / "datasets/district-population"
    before = folder_hashes(folder)
    new = tmp_path / "新数据.csv"
    rows = [("440103", "荔湾区", "1,234.6", "2022/12/31"), ("440104", "越秀区", "1,200", "2022-13-01")]
    new.write_text(csv_text(["区划代码", "区", "常住人口（万人）", "统计日期"], rows), encoding="utf-8")
    result = gongkai("--lang", "zh", "update", "district-population", "--from", str(new), cwd=published)
    assert result.returncode == 1
    assert result.stdout.splitlines() == [
        "新数据.csv:2: resident_population: 应为整数，如 1234（单位 万人），这里是“1,234.6” [type-error]",
        "新数据.csv:3: stat_date: 应为日期，如 2022-12-31（也可写 2022/12/31、2022年12月31日），"
        "这里是“2022-13-01” [type-error]",
        "  怎么改：改正数值，或改字段类型，例如 1108000, 110.8, 2019-05-16",  # once, under the last of its kind
    ]
    assert "datasets/district-population/ 没有任何改动" in result.stderr
    assert "version bump" not in result.stderr
    assert folder_hashes(folder) == before
    assert not list(published.glob("datasets/.*")) and not list(folder.rglob("*.gongkai-new"))


def test_update_that_breaks_a_constraint_changes_nothing_either(published, tmp_path):
    folder = published / "datasets/district-population"
    before = folder_hashes(folder)
    new = tmp_path / "new.csv"
    rows = [(c, d, "-5" if c == "440103" else p, s) for c, d, p, s in DISTRICTS]
    new.write_text(csv_text(["区划代码", "区", "常住人口（万人）", "统计日期"], rows), encoding="utf-8")
    result = gongkai("--lang", "zh", "update", "district-population", "--from", str(new), cwd=published)
    assert result.returncode == 1
    assert "datasets/district-population/data/district-population.csv:2: resident_population:" in result.stdout
    assert "[constraint-error]" in result.stdout
    assert folder_hashes(folder) == before


def test_a_valid_update_converts_like_new_and_prints_the_diff_and_bump_after_the_summary(published, tmp_path):
    new = tmp_path / "new.csv"
    rows = [(c, d, "1,118,000" if c == "440103" else p, "2022/12/31") for c, d, p, _ in DISTRICTS]
    new.write_text(csv_text(["区划代码", "区", "常住人口（万人）", "统计日期"], rows), encoding="utf-8")
    result = gongkai("--lang", "zh", "update", "district-population", "--from", str(new), cwd=published)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "gongkai: 常住人口（万人）：去掉千分位逗号 11 处" in result.stderr
    assert "  district-population division_code=440103: resident_population: '1108000' → '1118000'" in result.stdout
    data = (published / "datasets/district-population/data/district-population.csv").read_text(encoding="utf-8")
    assert data.splitlines()[1] == "440103,荔湾区,1118000,2022-12-31"
    err = result.stderr.splitlines()
    bump = next(i for i, s in enumerate(err) if "这需要升级" in s)
    assert bump > err.index("gongkai: 常住人口（万人）：去掉千分位逗号 11 处")


def test_notes_are_english_with_lang_en(repo, districts_csv):
    result = gongkai("new", "district-population", "--from", str(districts_csv), "--no-ask", "--lang", "en", cwd=repo)
    assert "gongkai: 常住人口: thousands separators removed in 11 cell(s)" in result.stderr
    assert "gongkai: primary key: division_code (filled and unique)" in result.stderr
    assert "去掉" not in result.stderr


def test_a_new_dataset_default_that_gongkai_yml_does_not_list_is_named(repo, districts_csv):
    settings = repo / "gongkai.yml"
    settings.write_text(
        settings.read_text(encoding="utf-8").replace("  update_frequency: 每年\n", "  update_frequency: 每十年\n"),
        encoding="utf-8",
    )
    result = gongkai("--lang", "zh", "new", "district-population", "--from", str(districts_csv), "--no-ask", cwd=repo)
    assert result.returncode == 1  # a settings error, as for every command
    assert "new_dataset.update_frequency: '每十年' is not one of 实时" in result.stderr
    assert not (repo / "datasets/district-population").exists()


@given(st.decimals(allow_nan=False, allow_infinity=False, places=3, min_value=-(10**12), max_value=10**12))
@settings(max_examples=examples(300))
def test_every_number_written_with_separators_or_full_width_reads_back_digit_for_digit(value):
    from gongkai.scaffold.cellforms import number_cell

    plain = format(value, "f")
    whole, _, frac = plain.lstrip("-").partition(".")
    grouped = ("-" if plain.startswith("-") else "") + f"{int(whole):,}" + (f".{frac}" if frac else "")
    wide = grouped.translate({ord(c): ord(c) + 0xFEE0 for c in "0123456789,.-"})
    for written in (plain, grouped, wide):
        read = number_cell(written)
        assert read is not None and read.text == plain, (written, read)


def test_the_key_proposed_is_the_code_not_a_running_number(repo, tmp_path):
    """A 序号 column (001, 002 … in row order) is each row's place, not its identity: inserting
    a row would renumber every row after it, so the named code is proposed instead."""
    path = tmp_path / "各区人口.csv"
    rows = [(f"{i:03d}", *row) for i, row in enumerate(DISTRICTS, 1)]
    path.write_bytes(csv_text(["序号", "区划代码", "区", "常住人口（万人）", "统计日期"], rows).encode("gb18030"))
    result = gongkai("--lang", "zh", "new", "district-population", "--from", str(path), "--no-ask", cwd=repo)
    assert "gongkai: 主键：区划代码（每行都有、各不相同；更新时按它比较行）" in result.stderr, result.stderr
    schema = descriptor(repo, "district-population")["resources"][0]["schema"]
    assert schema["primaryKey"] == ["division_code"]


def test_field_names_use_english_words_for_common_headings_and_pinyin_for_the_rest():
    from gongkai.scaffold.names import field_names

    headings = ["区名", "街道名称", "名次", "信息来源", "常住人口", "设立日期"]
    assert field_names(headings) == [
        "district_name",
        "street_name",
        "rank",
        "xinxi_source",
        "resident_population",
        "sheli_date",
    ]
