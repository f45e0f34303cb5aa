"""The search index (gongkai.search): its terms, what it holds, its files. The browser half
(search.js gives the same terms, queries find their datasets) is in test_browser.py."""

from __future__ import annotations

import gzip
import json
from collections import Counter

import pytest
from gongkai.core import sitepaths
from gongkai.read.columnprofile import FieldProfile, searchable_values
from gongkai.search.documents import FIELDS, Document
from gongkai.search.shards import DOC_CHUNK, IndexWriter, shard_count
from gongkai.search.terms import exact, shard_of, shards_of, terms

# Strings whose terms search.js must give exactly as terms.py does (test_browser.py compares them).
TERM_CASES = [
    "沙面街道",
    "沙",
    "区划代码 440103001",
    "Guangzhou administrative divisions: districts",
    "ＡＢＣ１２３４ 全角",
    "中文English混合123",
    "𠀀𠀁 extension B",
    "a-b_c.d 12 3456",
    "",
    "«财政»，透明度！",
]


def test_chinese_runs_become_every_pair_and_a_single_character_stays():
    assert terms("沙面街道") == ["沙面", "面街", "街道"]
    assert terms("镇") == ["镇"]
    assert terms("天河区、越秀区") == ["天河", "河区", "越秀", "秀区"]  # punctuation separates runs


def test_ascii_tokens_are_whole_and_the_index_adds_their_prefixes():
    assert terms("Divisions of 440103001") == ["divisions", "of", "440103001"]
    assert terms("440103001", prefixes=True) == ["440", "4401", "44010", "440103", "4401030", "44010300", "440103001"]
    assert terms("abc", prefixes=True) == ["abc"]  # shorter than four: no prefixes
    assert "440103" in terms("440103001", prefixes=True)  # a code's start finds it


def test_nfkc_and_case_fold_before_splitting():
    assert terms("ＡＢＣ１２３") == ["abc123"]
    assert terms("DIVISIONS") == terms("divisions")
    assert exact("「沙面街道」") == exact("沙面街道") == "=沙面街道"
    assert exact("——") is None


def test_a_term_always_falls_in_the_same_shard():
    assert shard_of("沙面", 1) == 0
    assert shard_of("沙面", 16) == shard_of("沙面", 16)
    assert {shard_of(t, 8) for t in terms("广州市11个区和178个乡级单位的统计用区划代码和名称")} != {0}
    assert shard_of("a", 2**32) == 0xE40C292C  # FNV-1a of "a": the same function as search.js


def test_the_index_puts_every_term_in_the_shard_search_js_looks_in():
    # finish() hashes all terms at once (shards_of); search.js hashes one (shard_of's twin)
    names = [*terms("广州市11个区和178个乡级单位的统计用区划代码和名称 440103001 Shamian", prefixes=True)]
    names += [exact("沙面街道 " * 40), "a", "𠀋𠀋", "=2020 01 01", "é", "x" * 300]
    for shards in (1, 2, 64, 4096, 2**32):
        assert shards_of(names, shards).tolist() == [shard_of(t, shards) for t in names]


def _profile(values: list[str], kind: str = "string") -> FieldProfile:
    p = FieldProfile(name="x", type=kind)
    p.counts = Counter(values)
    p.filled = len(values)
    return p


def test_text_and_code_columns_give_their_values_in_file_order_up_to_the_cap():
    column = _profile(["沙面街道", "岭南街道", "沙面街道", "华林街道"])
    assert searchable_values({"name": "name"}, column, 5000) == ["沙面街道", "岭南街道", "华林街道"]
    assert searchable_values({"name": "name"}, column, 2) == ["沙面街道", "岭南街道"]
    codes = _profile(["440103001", "440103002"], "integer")
    assert searchable_values({"name": "code", "title": "区划代码"}, codes, 10) == ["440103001", "440103002"]
    assert searchable_values({"name": "count", "title": "数量"}, _profile(["1", "2"], "integer"), 10) == []


def test_free_text_only_when_the_field_opts_in_and_any_column_can_opt_out():
    long = _profile(["这是一段很长的说明文字，" * 5, "另一段同样很长的说明文字，" * 5])
    assert searchable_values({"name": "note"}, long, 10) == []
    assert len(searchable_values({"name": "note", "search": True}, long, 10)) == 2
    assert searchable_values({"name": "name", "search": False}, _profile(["沙面街道"]), 10) == []
    assert searchable_values({"name": "n", "search": True}, _profile(["1"], "integer"), 10) == ["1"]


def _doc(n: int, kind: str = "dataset") -> Document:
    d = Document(f"datasets/d{n}/", f"数据集{n}", "简介。", kind, {"title": [f"数据集{n}"], "description": ["简介"]})
    d.columns = [("items", "事项", "区划代码")]
    d.column_texts = ["code 区划代码"]
    d.values = [(0, f"44010{n:04d}")]
    return d


def _files(docs: list[Document]) -> dict[str, bytes]:
    writer = IndexWriter("zh")
    for d in docs:
        writer.add(d)
    return writer.finish()


def test_the_same_documents_give_the_same_bytes():
    docs = [_doc(n) for n in range(120)] + [_doc(200, "page")]
    first, second = _files(docs), _files([_doc(n) for n in range(120)] + [_doc(200, "page")])
    assert first == second
    meta = json.loads(first[sitepaths.search_meta("zh")])
    assert (meta["documents"], meta["datasets"], meta["fields"]) == (121, 120, list(FIELDS))
    assert all(sitepaths.kind_of(path) == "search" for path in first)
    chunks = [p for p in first if "/d/" in p]
    assert len(chunks) == -(-121 // DOC_CHUNK)
    assert json.loads(first[sitepaths.search_chunk("zh", "docs", 0)])[3][:3] == ["datasets/d3/", "数据集3", "简介。"]


def test_postings_name_the_field_and_the_value_a_term_is_in():
    files = _files([_doc(0), _doc(1)])
    meta = json.loads(files[sitepaths.search_meta("zh")])
    shard = json.loads(files[sitepaths.search_chunk("zh", "terms", shard_of("=440100001", meta["shards"]))])
    assert shard["=440100001"] == [1, FIELDS.index("values"), 1, 1]  # document 1, its value number 1
    values = json.loads(files[sitepaths.search_chunk("zh", "values", 0)])
    assert values == [[0, "440100000"], [0, "440100001"]]


def test_datasets_come_first_so_their_numbers_tell_them_apart():
    writer = IndexWriter("zh")
    writer.add(_doc(0, "page"))
    with pytest.raises(ValueError):
        writer.add(_doc(1))


def test_shards_are_sized_from_the_index():
    from array import array

    assert shard_count({"a": array("i", [0, 0, 0])}) == 1
    big = {f"t{i}": array("i", range(300)) for i in range(2000)}
    assert shard_count(big) >= 16


def test_the_built_index_holds_dataset_and_hand_written_pages_only(built_site):
    for lang in ("zh", "en"):
        folder = built_site / "site" / sitepaths.search_folder(lang)
        meta = json.loads((folder / sitepaths.SEARCH_META).read_text(encoding="utf-8"))
        urls = [d[0] for n in range(-(-meta["documents"] // meta["doc_chunk"])) for d in _chunk(folder, "d", n)]
        prefix = "en/" if lang == "en" else ""
        datasets = [u for u in urls if u.startswith(prefix + sitepaths.DATASETS)]
        assert len(datasets) == meta["datasets"] == 10
        assert all(u.count("/") == len(prefix.split("/")) + 1 for u in datasets)  # datasets/<name>/, no catalog
        others = {u.removeprefix(prefix) for u in urls[meta["datasets"] :]}
        assert others == {"about/", *(f"guide/{g}/" for g in ("architecture", "developers", "maintainers"))} | {
            "guide/publishing/",
            "guide/security/",
        }
        for name in ("", sitepaths.TOPICS, sitepaths.PUBLISHERS, sitepaths.QUALITY, sitepaths.DATASETS):
            assert prefix + name not in urls
        for shard in folder.glob("t/*.json"):
            assert len(gzip.compress(shard.read_bytes())) < 50 * 1024


def test_row_values_are_in_the_index_and_preview_only_text_is_not_a_snippet(built_site):
    folder = built_site / "site" / sitepaths.search_folder("zh")
    values = [v for path in sorted(folder.glob("v/*.json")) for _, v in json.loads(path.read_text("utf-8"))]
    assert {"沙面街道", "440103001", "天河区"} <= set(values)
    docs = _chunk(folder, "d", 0)
    divisions = next(d for d in docs if d[0] == "datasets/administrative-divisions/")
    assert divisions[2].startswith("广州市11个区") and divisions[2].endswith("。")
    assert ["streets", "街道、镇等乡级单位", "区划代码"] in divisions[3]


def _chunk(folder, kind: str, n: int) -> list:
    return json.loads((folder / kind / f"{n}.json").read_text(encoding="utf-8"))


def test_a_field_says_whether_search_holds_its_values(repo_factory):
    from conftest import gongkai

    repo = repo_factory(["tiny"])
    path = repo / "datasets/tiny/datapackage.json"
    desc = json.loads(path.read_text(encoding="utf-8"))
    fields = desc["resources"][0]["schema"]["fields"]
    fields[0]["search"], fields[2]["search"] = False, True  # code out; amount, a number, in
    path.write_text(json.dumps(desc, ensure_ascii=False, indent=2), encoding="utf-8")
    result = gongkai("build", cwd=repo)
    assert result.returncode == 0, result.stdout + result.stderr
    folder = repo / "site" / sitepaths.search_folder("zh")
    values = {v for p in folder.glob("v/*.json") for _, v in json.loads(p.read_text(encoding="utf-8"))}
    assert "000123" not in values and "440100" not in values  # its codes, left out
    assert {"5", "0"} <= values and "第一行, 含逗号" in values  # the amounts, let in; names as always
    fields[0]["search"] = "yes"
    path.write_text(json.dumps(desc, ensure_ascii=False, indent=2), encoding="utf-8")
    result = gongkai("validate", cwd=repo)
    assert result.returncode == 1 and "search" in result.stdout + result.stderr


def test_a_word_in_every_document_keeps_its_strongest_postings_only():
    from gongkai.search.shards import MAX_GROUPS

    docs = []
    for n in range(MAX_GROUPS + 100):
        d = Document(f"datasets/d{n}/", f"数据集{n}", "", "dataset", {"text": ["政府信息"]})
        if n % 200 == 0:
            d.texts["title"] = ["政府信息公开"]
        docs.append(d)
    files = _files(docs)
    meta = json.loads(files[sitepaths.search_meta("zh")])
    shard = json.loads(files[sitepaths.search_chunk("zh", "terms", shard_of("政府", meta["shards"]))])
    groups = [shard["政府"][i : i + 3] for i in range(0, len(shard["政府"]), 3)]
    assert len(groups) == MAX_GROUPS
    assert shard["+政府"] == MAX_GROUPS + 100  # the box counts "1000+": the documents the word was in
    rare = json.loads(files[sitepaths.search_chunk("zh", "terms", shard_of("公开", meta["shards"]))])
    assert "公开" in rare and "+公开" not in rare  # in six titles only: nothing lost, an exact count
    titles = [g[0] for g in groups if g[1] == FIELDS.index("title")]
    assert titles == list(range(0, MAX_GROUPS + 100, 200))  # every title kept; the texts of the last documents go
    assert [g[0] for g in groups] == sorted(g[0] for g in groups)
