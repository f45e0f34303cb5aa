"""The URL contract: what was published keeps answering, and catalog.json says where it is."""

from __future__ import annotations

import hashlib
import json
import shutil

import jsonschema
from conftest import ROOT, gongkai
from gongkai.publish.verify import verify_site


def _build_refused_with(repo_factory, name: str, text: str) -> str:
    """Build the tiny dataset with one root settings file written; the build must fail. Its report."""
    repo = repo_factory(packages=["tiny"])
    (repo / name).write_text(text, encoding="utf-8")
    result = gongkai("build", cwd=repo)
    assert result.returncode == 1
    return result.stdout


def _rename(repo, old: str, new: str) -> None:
    shutil.move(repo / "datasets" / old, repo / "datasets" / new)
    desc_path = repo / "datasets" / new / "datapackage.json"
    desc = json.loads(desc_path.read_text(encoding="utf-8"))
    desc["name"] = new  # the id stays: it is the dataset, the name is only its address
    desc_path.write_text(json.dumps(desc, ensure_ascii=False, indent=2), encoding="utf-8")


def test_a_renamed_dataset_fails_until_redirected_and_then_every_old_url_answers(repo_factory):
    repo = repo_factory(packages=["tiny"])
    assert gongkai("lock", cwd=repo).returncode == 0
    lock_before = (repo / "urls.lock").read_text(encoding="utf-8")
    assert "/datasets/tiny/items.csv\n" in lock_before and "/datasets/tiny/\n" in lock_before
    assert (repo / "site/datasets/tiny/1.0.0/items.csv").is_file() is False  # (not built yet)
    assert gongkai("build", cwd=repo).returncode == 0
    old_csv = (repo / "site/datasets/tiny/items.csv").read_bytes()

    _rename(repo, "tiny", "tiny-items")
    failed = gongkai("build", cwd=repo)
    assert failed.returncode == 1
    line = lock_before.splitlines().index("/datasets/tiny/items.csv") + 1
    assert f"urls.lock:{line}: /datasets/tiny/items.csv was published and is gone" in failed.stdout
    assert (repo / "site/datasets/tiny/items.csv").read_bytes() == old_csv  # the old site stays up

    old_paths = [line.split()[0] for line in lock_before.splitlines() if line.startswith("/datasets/tiny/")]
    assert "/datasets/tiny/1.0.0/items.csv" in old_paths  # the version's own URL is locked too
    moves = {
        p: p.replace("/datasets/tiny/", "/datasets/tiny-items/")
        .replace("/tiny.zip", "/tiny-items.zip")
        .replace("/tiny-1.0.0.zip", "/tiny-items-1.0.0.zip")
        for p in old_paths
    }
    (repo / "redirects.yml").write_text("".join(f"{old}: {new}\n" for old, new in moves.items()), encoding="utf-8")
    built = gongkai("build", cwd=repo)
    assert built.returncode == 0, built.stdout + built.stderr
    site = repo / "site"
    assert (
        (site / "datasets/tiny/items.csv").read_bytes()
        == (site / "datasets/tiny-items/items.csv").read_bytes()
        == old_csv
    )
    page = (site / "datasets/tiny/index.html").read_text(encoding="utf-8")
    assert '<link rel="canonical" href="../tiny-items/">' in page and 'url=../tiny-items/"' in page
    assert verify_site(site, "/gongkai/") == []  # the redirect's link resolves, the copy is in SHA256SUMS
    assert f"{hashlib.sha256(old_csv).hexdigest()}  datasets/tiny/items.csv" in (site / "SHA256SUMS").read_text(
        encoding="utf-8"
    )
    urls = json.loads((site / "urls.json").read_text(encoding="utf-8"))
    assert urls["redirects"]["/datasets/tiny/"] == "/datasets/tiny-items/" and "/datasets/tiny-items/" in urls["paths"]
    assert urls["redirects"]["/en/datasets/tiny/"] == "/en/datasets/tiny-items/"  # the English page follows its dataset
    assert '<link rel="canonical" href="../tiny-items/">' in (site / "en/datasets/tiny/index.html").read_text(
        encoding="utf-8"
    )
    assert "/datasets/tiny/ /datasets/tiny-items/ 301\n" in (site / "_redirects").read_text(
        encoding="utf-8"
    )  # for hosts that read it

    assert (
        "url-not-locked" in built.stderr and "new paths are not in urls.lock yet: /datasets/tiny-items/" in built.stderr
    )
    assert gongkai("lock", cwd=repo).returncode == 0
    lock_after = (repo / "urls.lock").read_text(encoding="utf-8")
    assert lock_after.startswith(lock_before)  # append-only: nothing locked is ever dropped
    assert "/datasets/tiny-items/items.csv\n" in lock_after
    assert "url-not-locked" not in gongkai("build", cwd=repo).stderr


def test_a_redirect_to_a_path_the_site_does_not_publish_is_refused(repo_factory):
    out = _build_refused_with(repo_factory, "redirects.yml", "/datasets/old/: /datasets/nowhere/\n")
    assert (
        "redirects.yml:1: /datasets/old/ redirects to /datasets/nowhere/, "
        "which the site does not publish [invalid-redirects]"
    ) in out


def test_the_committed_lock_covers_the_real_site(built_site):
    locked = {
        line.split()[0]
        for line in (ROOT / "urls.lock").read_text(encoding="utf-8").splitlines()
        if line and not line.startswith("#")
    }
    published = set(json.loads((built_site / "site/urls.json").read_text(encoding="utf-8"))["paths"])
    assert published <= locked, f"run `gongkai lock`: {sorted(published - locked)}"


def test_catalog_json_follows_its_schema_and_every_file_it_lists_is_what_it_says(built_site):
    site = built_site / "site"
    catalog = json.loads((site / "catalog.json").read_text(encoding="utf-8"))
    schema = json.loads((site / "catalog.schema.json").read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator(schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER).validate(
        catalog
    )
    names = sorted(p.name for p in (ROOT / "datasets").iterdir() if p.is_dir())
    assert sorted(d["name"] for d in catalog["datasets"]) == names and catalog["count"] == len(names)
    for dataset in catalog["datasets"]:
        desc = json.loads((ROOT / "datasets" / dataset["name"] / "datapackage.json").read_text(encoding="utf-8"))
        assert (dataset["id"], dataset["version"], dataset["title"]) == (desc["id"], desc["version"], desc["title"])
        assert {f["format"] for f in dataset["files"]} >= {"csv", "json", "datapackage", "zip"}
        for f in dataset["files"]:
            data = (site / f["path"]).read_bytes()
            assert len(data) == f["bytes"] and hashlib.sha256(data).hexdigest() == f["sha256"]
            assert f["url"].endswith("/" + f["path"])


def test_a_withdrawn_dataset_leaves_a_notice_its_files_go_and_the_lock_marks_them(repo_factory):
    # (with a second dataset in the same topic and publisher, whose pages stay)
    repo = repo_factory(packages=["tiny"], real=["fiscal-transparency"])
    assert gongkai("lock", cwd=repo).returncode == 0
    assert gongkai("build", cwd=repo).returncode == 0
    shutil.rmtree(repo / "datasets/tiny")
    refused = gongkai("build", cwd=repo)  # gone without a word: the contract refuses it
    assert refused.returncode == 1 and "/datasets/tiny/items.csv was published and is gone" in refused.stdout

    reason = "依据有关部门要求撤回：数据中误含个人信息。"
    (repo / "withdrawn.yml").write_text(
        f"- name: tiny\n  title: 测试用小数据集\n  date: 2026-03-01\n  reason: {reason}\n", encoding="utf-8"
    )
    built = gongkai("build", cwd=repo)
    assert built.returncode == 0, built.stdout + built.stderr
    notice = (repo / "site/datasets/tiny/index.html").read_text(encoding="utf-8")
    assert "已撤回" in notice and "2026-03-01" in notice and reason in notice
    assert not (repo / "site/datasets/tiny/items.csv").exists() and "datasets/tiny/" not in (
        repo / "site/SHA256SUMS"
    ).read_text(encoding="utf-8")
    assert json.loads((repo / "site/urls.json").read_text(encoding="utf-8"))["withdrawn"] == ["/datasets/tiny/"]

    before = (repo / "urls.lock").read_text(encoding="utf-8")
    assert gongkai("lock", cwd=repo).returncode == 0
    after = (repo / "urls.lock").read_text(encoding="utf-8")
    assert after.startswith(before) and "/datasets/tiny/items.csv withdrawn\n" in after
    assert "/datasets/tiny/ withdrawn" not in after  # the page itself still answers, as the notice


def test_a_withdrawal_of_a_dataset_still_present_is_refused(repo_factory):
    out = _build_refused_with(
        repo_factory, "withdrawn.yml", "- name: tiny\n  title: 测试\n  date: 2026-03-01\n  reason: 测试\n"
    )
    assert (
        "withdrawn.yml:1: /0/name: tiny is withdrawn but datasets/tiny/ "
        "is still there: remove the folder [invalid-withdrawal]"
    ) in out
