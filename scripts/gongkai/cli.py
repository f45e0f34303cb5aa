"""The command line: the only place that prints or exits.

Exit codes: 0 ok, 1 invalid data or failed build, 2 wrong usage.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path

from . import __version__
from .cliwords import chosen_language, use
from .core.config import load_settings
from .core.errors import GongkaiError, InvalidData, UsageError
from .core.problems import Report
from .core.problemtext import LANGUAGES, language, report_lines
from .publish.budget import SiteTooLarge
from .publish.budget import lines as budget_lines
from .read.load import discover
from .terminal import Progress, os_failure, print_report
from .validate.validator import validate


def main(argv: list[str] | None = None) -> int:
    given = chosen_language(sys.argv[1:] if argv is None else argv)
    parser = _parser(use(language(given if given in LANGUAGES else None)))  # argparse speaks it too
    args = parser.parse_args(argv)
    args.lang = language(getattr(args, "lang", None))
    root = Path(args.root).resolve()
    try:
        return args.run(args, root)
    except InvalidData as exc:
        print_report(exc.report, getattr(args, "format", "text"), root, lang=args.lang)
        kept = "什么都没有生成，site/ 保持原样" if args.lang == "zh" else "nothing was built; site/ was left as it was"
        print(f"gongkai: {kept}", file=sys.stderr)
        return 1
    except SiteTooLarge as exc:  # the figures in the reader's language
        for said in budget_lines(exc.budget, exc.found, exc.hosting, args.lang):
            print(said if said.startswith("  ") else f"gongkai: {said}", file=sys.stderr)
        return exc.exit_code
    except GongkaiError as exc:
        print(f"gongkai: {exc}", file=sys.stderr)
        return exc.exit_code
    except OSError as exc:  # a full disk, a read-only folder, a file where a folder belongs: one line, not a traceback
        kept = "; site/ was left as it was" if args.command == "build" else ""
        print(f"gongkai: {os_failure(exc, root)}{kept}", file=sys.stderr)
        return 1


def _parser(h: dict[str, str]) -> argparse.ArgumentParser:
    """The commands, with their help in the language `h` (cliwords.HELP) holds."""
    p = argparse.ArgumentParser(prog="gongkai", description=h["description"])
    p.add_argument("--version", action="version", version=f"gongkai {__version__}", help=h["version"])
    p.add_argument("--root", default=".", help=h["root"])
    sub = p.add_subparsers(dest="command", required=True)

    v = sub.add_parser("validate", help=h["validate"], description=h["validate"])
    v.add_argument("datasets", nargs="*", metavar="DATASET", help=h["validate.datasets"])
    v.add_argument("--format", choices=["text", "json"], default="text", help=h["format"])
    v.set_defaults(run=_validate)

    b = sub.add_parser("build", help=h["build"], description=h["build"])
    b.add_argument("--site-dir", default=None, help=h["build.site_dir"])
    b.add_argument("--generator", default="mkdocs", choices=["mkdocs", "properdocs"], help=h["build.generator"])
    b.set_defaults(run=_build)

    n = sub.add_parser("new", help=h["new"], description=h["new"])
    n.add_argument("name", help=h["new.name"])
    n.add_argument("--from", dest="source", default=None, metavar="FILE", help=h["new.source"])
    n.add_argument("--template", default=None, metavar="annual-report-2021", help=h["new.template"])
    n.add_argument("--body", default=None, help=h["new.body"])
    n.add_argument("--year", type=int, default=None, help=h["new.year"])
    n.add_argument("--names", default=None, metavar="A,B,C", help=h["new.names"])
    n.add_argument("--resource", default=None, help=h["new.resource"])
    n.add_argument("--ask", action=argparse.BooleanOptionalAction, default=None, help=h["new.ask"])
    n.set_defaults(run=_new)

    u = sub.add_parser("update", help=h["update"], description=h["update"])
    u.add_argument("name", help=h["update.name"])
    u.add_argument("--from", dest="source", required=True, metavar="FILE", help=h["update.source"])
    u.add_argument("--resource", default=None, help=h["update.resource"])
    u.set_defaults(run=_update)

    c = sub.add_parser("check", help=h["check"], description=h["check"])
    c.add_argument("--base", required=True, metavar="REF", help=h["check.base"])
    c.add_argument("--report", default="build/check-report.md", metavar="FILE", help=h["check.report"])
    c.add_argument("--format", choices=["text", "json"], default="text", help=h["format"])
    c.set_defaults(run=_check)

    lk = sub.add_parser("lock", help=h["lock"], description=h["lock"])
    lk.set_defaults(run=_lock)

    pb = sub.add_parser("publish", help=h["publish"], description=h["publish"])
    pb.add_argument("--check", choices=["all", "new"], default="all", help=h["publish.check"])
    pb.set_defaults(run=_publish)
    s = sub.add_parser("serve", help=h["serve"], description=h["serve"])
    s.add_argument("--dev-addr", default="127.0.0.1:8000", help=h["serve.dev_addr"])
    s.set_defaults(run=_serve)
    for command in [p, *sub.choices.values()]:  # before or after the command: gongkai --lang en validate
        command.add_argument("--lang", choices=LANGUAGES, default=argparse.SUPPRESS, help=h["lang"])
    return p


def _validate(args, root: Path) -> int:
    settings = load_settings(root)
    known = {p.name for p in settings.datasets_dir.iterdir() if p.is_dir()} if settings.datasets_dir.is_dir() else set()
    unknown = [n for n in args.datasets if n not in known]
    if unknown:
        raise UsageError(f"no such dataset: {', '.join(unknown)} (folders under datasets/: {', '.join(sorted(known))})")
    report = validate(
        discover(settings.datasets_dir, args.datasets or None, max_nesting=settings.limits.max_nesting), settings
    )
    print_report(report, args.format, root, limit=settings.limits.max_listed_problems, lang=args.lang)
    return 0 if report.valid else 1


def _terminal() -> bool:
    try:
        return bool(sys.stdin and sys.stdin.isatty())
    except (OSError, ValueError, AttributeError):  # a closed or replaced stdin
        return False


def _ask(question: str) -> str:
    print(question, end="", file=sys.stderr, flush=True)
    return sys.stdin.readline().rstrip("\n")


def _new(args, root: Path) -> int:
    from .scaffold.dataset import plan_new, write_new
    from .scaffold.questions import ask_questions

    settings = load_settings(root)
    lang = args.lang
    if (args.source is None) == (args.template is None):
        raise UsageError("give --from FILE (a CSV or XLSX) or --template annual-report-2021 --body … --year …")
    if args.template is not None:
        return _new_report(args, settings, root)
    names = [n.strip() for n in args.names.split(",")] if args.names else None
    plan = plan_new(settings, args.name, Path(args.source).resolve(), names, args.resource)
    for note in plan.notes:  # every conversion and proposal, before anything is written
        print(f"gongkai: {note.text(lang)}", file=sys.stderr)
    interactive = args.ask if args.ask is not None else _terminal()
    answers = ask_questions(settings, plan.table, _ask) if interactive else None
    folder = write_new(settings, plan, answers)
    rel = folder.relative_to(root).as_posix()
    report = validate(discover(settings.datasets_dir, [args.name], max_nesting=settings.limits.max_nesting), settings)
    files = "datapackage.json、README.md、CHANGELOG.md、data/" if lang == "zh" else "datapackage.json, README.md, ..."
    then = {
        ("zh", True): "校验通过",
        ("zh", False): "请填写 validate 列出的“待填写”：",
        ("en", True): "it is valid",
        ("en", False): "fill in what validate lists:",
    }[lang, report.valid]
    made = f"已建立 {rel}/（{files}）；{then}" if lang == "zh" else f"created {rel}/ ({files}); {then}"
    print(f"gongkai: {made}", file=sys.stderr)
    print_report(report, "text", root, lang=lang)
    return 0


def _new_report(args, settings, root: Path) -> int:
    from .scaffold.reporttemplate import plan_report, write_report

    if args.body is None or args.year is None:
        raise UsageError("--template needs --body (the reporting body's full name) and --year (the year covered)")
    if args.names or args.resource:  # the national tables fix both
        raise UsageError("--names and --resource go with --from; a template's columns and resources are fixed")
    plan = plan_report(settings, args.name, args.template, args.body, args.year)
    folder = write_report(settings, plan)
    report = validate(discover(settings.datasets_dir, [args.name], max_nesting=settings.limits.max_nesting), settings)
    tables = ", ".join(f"data/table-{t.number}.csv" for t in plan.tables)
    made = (
        f"已建立 {folder.relative_to(root).as_posix()}/（{tables}）：把每个“待填写”换成报告中的数或文字"
        if args.lang == "zh"
        else f"created {folder.relative_to(root).as_posix()}/ ({tables}): replace each 待填写 with the report's figure"
    )
    print(f"gongkai: {made}", file=sys.stderr)
    print_report(report, "text", root, limit=settings.limits.max_listed_problems, lang=args.lang)
    return 0


def _update(args, root: Path) -> int:
    import shutil

    from .gate.diff import compare, snapshot_here
    from .scaffold.dataset import commit_update, plan_update, try_update

    settings = load_settings(root)
    lang = args.lang
    if not (settings.datasets_dir / args.name / "datapackage.json").is_file():
        raise UsageError(f"no dataset {args.name!r} under datasets/")
    current = discover(settings.datasets_dir, [args.name], max_nesting=settings.limits.max_nesting)[0]
    if current.descriptor is None:  # nothing to keep the metadata from, nor to compare with
        raise UsageError(
            f"{current.file('datapackage.json')} cannot be read ({current.json_error}): fix it first "
            f"(`gongkai validate {args.name}` says where)"
        )
    before = snapshot_here(current)
    plan = plan_update(settings, args.name, Path(args.source).resolve(), args.resource)
    unchanged = (
        f"gongkai: 新数据无效，datasets/{args.name}/ 没有任何改动；改正上面列出的问题后再运行"
        if lang == "zh"
        else f"gongkai: the new data are not valid; datasets/{args.name}/ was not changed"
    )
    if plan.problems:
        for said in report_lines(plan.problems, lang):
            print(said)
        count, source = len(plan.problems), Path(args.source).name
        said = f"{source} 中有 {count} 个问题" if lang == "zh" else f"{count} problem(s) in {source}"
        print(f"gongkai: {said}", file=sys.stderr)
        print(unchanged, file=sys.stderr)
        return 1
    report, copy = try_update(settings, plan)
    try:
        # A new column's placeholders are for the maintainer to fill in, not a reason to refuse the data.
        blocking = [p for p in report.errors if p.code != "placeholder"]
        if blocking:
            print_report(Report(problems=blocking, datasets=report.datasets), "text", root, lang=lang)
            print(unchanged, file=sys.stderr)
            return 1
        updated = discover(copy.parent, [args.name], max_nesting=settings.limits.max_nesting)[0]
        diff = compare(before, snapshot_here(updated))
        commit_update(plan, copy)
    finally:
        shutil.rmtree(copy.parent.parent, ignore_errors=True)
    for note in plan.notes:
        print(f"gongkai: {note.text(lang)}", file=sys.stderr)
    print_report(report, "text", root, lang=lang)
    _print_diff(diff, lang)  # last: what to do next is the version
    return 0


def _print_diff(diff, lang: str) -> None:
    from .gate.diff import LEVELS, bump_advice, summary_zh

    if lang == "zh" and diff.old is not None:
        print(f"改动：{summary_zh(diff)}")
    else:
        for level, reason in sorted(diff.changes, key=lambda c: -c[0]):
            print(f"{LEVELS[level]}: {reason}")
    for table in diff.tables:
        for key, cells in table.changed[:20]:
            for name, (old, new) in cells.items():
                print(f"  {table.resource} {', '.join(f'{k}={v}' for k, v in key.items())}: {name}: {old!r} → {new!r}")
    print(f"gongkai: {bump_advice(diff, lang)}", file=sys.stderr)


def _check(args, root: Path) -> int:
    from .gate.check import check
    from .gate.report import markdown_report, terminal_lines

    settings = load_settings(root)
    checked = check(root, settings, args.base)
    text = markdown_report(checked, args.lang)
    out = (root / args.report) if not Path(args.report).is_absolute() else Path(args.report)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(text, encoding="utf-8")
    summary = os.environ.get("GITHUB_STEP_SUMMARY")
    if summary:
        with open(summary, "a", encoding="utf-8") as f:
            f.write(text)
    if args.format == "json":
        print_report(checked.report, "json", root)
    else:
        print_report(checked.report, "text", root, lang=args.lang)
        for said in terminal_lines(checked, args.lang):
            print(f"gongkai: {said}", file=sys.stderr)
        shown = out.relative_to(root) if out.is_relative_to(root) else out
        print(f"gongkai: {'报告已写入' if args.lang == 'zh' else 'report written to'} {shown}", file=sys.stderr)
    return 0 if checked.report.valid else 1


def _build(args, root: Path) -> int:
    from .build import build  # pages, exports and MkDocs: not needed to validate

    site_dir = Path(args.site_dir).resolve() if args.site_dir else root / "site"
    generated = build(root, site_dir=site_dir, generator=args.generator, progress=Progress(), notice=_notice)
    for said in report_lines(generated.report.warnings, args.lang):
        print(said, file=sys.stderr)
    rows, count, files = sum(e.rows for e in generated.entries), len(generated.entries), len(generated.files)
    done = generated.processing
    cached = count - done.items
    zh = args.lang == "zh"
    print(
        f"gongkai: {count} 个数据集，{rows} 行，生成 {files} 个文件"
        if zh
        else f"gongkai: {count} datasets, {rows} rows, {files} files generated"
    )
    print(
        f"gongkai: 处理了 {done.items} 个数据集，用时 {done.seconds:.1f} 秒，"
        f"{done.cores:.1f} 个核（CPU {done.cpu:.1f} 秒），{cached} 个取自缓存"
        if zh
        else f"gongkai: {done.items} dataset(s) processed in {done.seconds:.1f} s on {done.cores:.1f} cores (CPU "
        f"{done.cpu:.1f} s), {cached} unchanged from the cache"
    )
    steps = generated.stages
    if {"pipeline", "generator", "check", "swap"} <= set(steps):
        print(
            f"gongkai: 各步用时：生成页面和文件 {steps['pipeline']:.1f} 秒，{args.generator} "
            f"{steps['generator']:.1f} 秒，核验 {steps['check']:.1f} 秒，替换 site/ {steps['swap']:.1f} 秒"
            if zh
            else f"gongkai: time by step: pages and files {steps['pipeline']:.1f} s, {args.generator} "
            f"{steps['generator']:.1f} s, site check {steps['check']:.1f} s, swap into site/ {steps['swap']:.1f} s"
        )
    if generated.budget is not None:
        from .publish.budget import overruns

        hosting = generated.settings.hosting
        for said in budget_lines(generated.budget, overruns(generated.budget, hosting), hosting, args.lang):
            print(f"gongkai: {said}" if not said.startswith("  ") else said)
    zh_built = f"站点已建在 {site_dir}/（打开 {site_dir}/index.html，或运行 `make serve`）"
    en_built = f"site built in {site_dir}/ (open {site_dir}/index.html, or run `make serve`)"
    print(f"gongkai: {zh_built if zh else en_built}")
    return 0


def _lock(args, root: Path) -> int:
    from .build import generate_docs
    from .core.errors import BuildError
    from .publish.urls import LOCK, lock_damage, lock_text, read_lock, write_lock

    generated = generate_docs(root, check_urls=False)
    lock = read_lock(root)
    damage = [p for p in lock_damage(lock, publishes=bool(generated.published)) if p.is_error]
    if damage:  # appending to a cut-off or deleted lock would make its losses permanent
        raise BuildError(f"{damage[0]}; {LOCK} was left as it was")
    text, added = lock_text(
        lock, root, generated.published, generated.redirects, generated.versioned, generated.withdrawn
    )
    try:
        write_lock(root, text)
    except OSError as exc:
        raise BuildError(f"{LOCK} could not be written ({exc.strerror or exc}); it was left as it was") from None
    for path in added:
        print(f"{'已记入' if args.lang == 'zh' else 'locked'} {path}")
    said = (
        (f"{len(added)} 个新网址已写入 {LOCK}；把它与改动一起提交" if added else f"{LOCK} 已包含全部网址，无需改动")
        if args.lang == "zh"
        else f"{len(added)} new path(s) added to {LOCK}; commit it with your change"
    )
    print(f"gongkai: {said}", file=sys.stderr)
    return 0


def _publish(args, root: Path) -> int:
    from .publish.upload import lines, publish_store  # rclone: only for a site with a download store

    done = publish_store(root, load_settings(root), check=args.check)
    for said in lines(done, args.lang):
        print(said if said.startswith("  ") else f"gongkai: {said}", file=sys.stderr if not done.ok else sys.stdout)
    return 0 if done.ok else 1


def _notice(line: str) -> None:
    print(f"gongkai: {line}", file=sys.stderr)


def _serve(args, root: Path) -> int:
    from .build import generate_docs, recover_site

    restored = recover_site(root / "site")  # a build stopped during its swap: site/ first, as a build would
    if restored:
        _notice(restored)
    generate_docs(root)  # validate and generate once before MkDocs starts watching
    cmd = [sys.executable, "-m", "mkdocs", "serve", "-f", str(root / "mkdocs.yml"), "--dev-addr", args.dev_addr]
    return subprocess.call(cmd, cwd=root)


if __name__ == "__main__":
    sys.exit(main())
