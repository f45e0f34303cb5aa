"""The site measured against its host's limits (issue 20): reported on every build, and a site over
a limit is not published, naming the limit, the figures and the datasets that take the most."""

from __future__ import annotations

import json

from conftest import gongkai, make_repo


def _set_hosting(repo, lines: str) -> None:
    settings = repo / "gongkai.yml"
    text = settings.read_text(encoding="utf-8")
    start = text.index("\nhosting:\n")
    end = text.index("\n\n", start + 1)
    settings.write_text(text[:start] + "\nhosting:\n" + lines + text[end:], encoding="utf-8")


def _files(site) -> dict[str, int]:
    return {p.relative_to(site).as_posix(): p.stat().st_size for p in site.rglob("*") if p.is_file()}


def test_every_build_reports_the_site_s_bytes_files_and_largest_file(built_tiny):
    record = json.loads((built_tiny / "build/site-budget.json").read_text(encoding="utf-8"))
    files = _files(built_tiny / "site")
    assert record["bytes"] == sum(files.values()) and record["files"] == len(files)
    biggest = max(files.items(), key=lambda kv: kv[1])
    assert record["largest"] == {"path": record["largest"]["path"], "bytes": biggest[1]}
    assert files[record["largest"]["path"]] == biggest[1]
    # the tiny dataset's pages and downloads, in both languages, are counted as its own
    tiny = sum(size for path, size in files.items() if path.startswith(("datasets/tiny/", "en/datasets/tiny/")))
    assert record["datasets"] == {"tiny": tiny}
    assert record["hosting"] == "github-pages" and record["limits"]["max_site_bytes"] == 1_000_000_000


def test_a_site_over_its_host_s_file_count_is_not_published_and_the_message_says_why(tmp_path):
    repo = make_repo(tmp_path, ["tiny"], ["administrative-divisions"])
    assert gongkai("build", cwd=repo).returncode == 0
    before = _files(repo / "site")
    _set_hosting(repo, "  preset: cloudflare-pages\n  max_files: 50\n")
    result = gongkai("--lang", "zh", "build", cwd=repo)
    assert result.returncode == 1
    err = result.stderr
    assert f"gongkai: 站点有 {len(before):,} 个文件" not in err  # the new site's count, not the old one's
    line = next(x for x in err.splitlines() if "个文件，cloudflare-pages 的上限是 50 个" in x)
    assert line.startswith("  站点有 ")
    assert "超过上限，没有发布，site/ 保持原样" in err
    heaviest = next(x for x in err.splitlines() if x.startswith("gongkai: 占用最多的数据集："))
    assert heaviest.index("administrative-divisions") < heaviest.index("tiny")  # the larger one first
    assert _files(repo / "site") == before  # the site from before, untouched


def test_a_file_over_the_per_file_limit_is_named_and_near_a_limit_is_a_warning(tmp_path):
    repo = make_repo(tmp_path, ["tiny"])
    _set_hosting(repo, "  preset: none\n  max_file_bytes: 1000\n")
    result = gongkai("--lang", "en", "build", cwd=repo)
    assert result.returncode == 1
    record = json.loads((repo / "build/site-budget.json").read_text(encoding="utf-8"))
    largest = record["largest"]["path"]
    assert f"  {largest} is " in result.stderr and "gongkai.yml allows 1.0 KB per file" in result.stderr
    assert not (repo / "site").exists()  # nothing was published
    _set_hosting(repo, f"  preset: none\n  max_files: {record['files'] + 10}\n  warn_share: 0.5\n")
    result = gongkai("--lang", "en", "build", cwd=repo)
    assert result.returncode == 0, result.stderr
    assert "gongkai: warning: near its host's limit (50%):" in result.stdout
    assert f"the site has {record['files']:,} files; gongkai.yml allows {record['files'] + 10:,}" in result.stdout


def test_a_hosting_setting_that_cannot_be_used_is_refused_naming_it(tmp_path):
    repo = make_repo(tmp_path, ["tiny"])
    _set_hosting(repo, "  preset: netlify\n  max_files: -3\n")
    result = gongkai("validate", cwd=repo)
    assert result.returncode == 1
    assert "hosting.preset: 'netlify' is not one of github-pages, cloudflare-pages, none" in result.stderr
    assert "hosting.max_files: a positive whole number or null, got -3" in result.stderr
