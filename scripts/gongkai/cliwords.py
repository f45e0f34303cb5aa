"""The command line's own words in each language: every command's and option's help, and the
sentences argparse says itself (usage, a missing argument, an unknown choice).

argparse looks its sentences up through the module's `_` (gettext) each time it says one; `use`
puts the Chinese ones in its place for this process. A sentence not listed stays argparse's own.
"""

from __future__ import annotations

import argparse

ARGPARSE_ZH = {
    "usage: ": "用法：",
    "positional arguments": "位置参数",
    "options": "选项",
    "optional arguments": "选项",
    "show this help message and exit": "显示这段帮助后退出",
    "show program's version number and exit": "显示版本号后退出",
    "%(prog)s: error: %(message)s\n": "%(prog)s：用法错误：%(message)s\n",
    "the following arguments are required: %s": "缺少必需的参数：%s",
    "unrecognized arguments: %s": "不认识的参数：%s",
    "invalid choice: %(value)r (choose from %(choices)s)": "%(value)r 不是可选的值（可选：%(choices)s）",
    "argument %(argument_name)s: %(message)s": "参数 %(argument_name)s：%(message)s",
    "expected one argument": "需要一个值",
    "expected at least one argument": "至少需要一个值",
    "expected at most one argument": "最多一个值",
    "invalid %(type)s value: %(value)r": "%(value)r 不是有效的 %(type)s 值",
    "ambiguous option: %(option)s could match %(matches)s": "选项 %(option)s 不明确，可能是 %(matches)s",
    "not allowed with argument %s": "不能与参数 %s 同时使用",
    "one of the arguments %s is required": "需要参数 %s 之一",
    "ignored explicit argument %r": "忽略了给出的值 %r",
}

HELP = {
    "zh": {
        "description": "校验数据集并构建 gongkai 开放数据网站。",
        "root": "放 gongkai.yml 的仓库根目录（默认：.）",
        "version": "显示版本号后退出",
        "lang": "消息的语言（默认 zh；在英文区域设置 LC_ALL、LC_MESSAGES、LANG 下为 en）",
        "validate": "校验数据集，每个问题列为 文件:行: 字段: 说明 [代码]",
        "validate.datasets": "数据集的文件夹名（默认：全部）",
        "format": "输出格式：text（文字）或 json",
        "build": "校验，生成页面和下载文件，把网站构建到 site/",
        "build.site_dir": "构建的网站放在哪里（默认：site/）",
        "build.generator": "所用的网站生成器",
        "new": "从 CSV（UTF-8 或 GB18030）或 XLSX 文件建立 datasets/<名称>/：字段类型、单位、主键和约束都已推定；"
        "在终端中运行时，询问只有人知道的事项",
        "new.name": "数据集的文件夹名：小写字母、数字和连字符",
        "new.source": "数据文件：.csv 或 .xlsx",
        "new.template": "代替 --from：按全国统一表格排好的一份年度报告（2019 年试行格式用 annual-report-2019），"
        "每行每列都有名称，要填的单元格标为 待填写",
        "new.body": "与 --template 一起用：报告机关的全称",
        "new.year": "与 --template 一起用：报告的年度",
        "new.names": "各列的字段名，按顺序（默认：由表头生成的 ASCII 名称）",
        "new.resource": "资源名（默认：由文件名生成）",
        "new.ask": "询问标题、简介、来源等（默认：连着终端时询问）",
        "update": "用 CSV 或 XLSX 文件替换一个数据集的数据，保留元数据；新数据有效才改动；"
        "列出问题或差异，以及需要的版本升级",
        "update.name": "数据集的文件夹名",
        "update.source": "新的数据文件：.csv 或 .xlsx",
        "update.resource": "哪个资源（数据集有不止一个资源时必须给出）",
        "check": "拉取请求的门禁：校验 --base 以来改动的数据集，比较差异，检查版本升级和站点体积",
        "check.base": "与之比较的 git 引用，例如 origin/main",
        "check.report": "Markdown 报告写到哪里（默认：build/check-report.md）",
        "lock": "把网站现在发布的每个路径追加到 urls.lock（从不删除）",
        "publish": "把构建好的下载文件上传到下载存储（gongkai.yml 的 downloads），并逐个核对 SHA-256",
        "publish.check": "核对存储中的每个文件（all），或只核对这次上传的（new）",
        "serve": "在 http://127.0.0.1:8000 预览，datasets/ 或 docs/ 改动时重新构建",
        "serve.dev_addr": "预览的地址和端口",
    },
    "en": {
        "description": "Validate datasets and build the gongkai open-data site.",
        "root": "repository root holding gongkai.yml (default: .)",
        "version": "show the version and exit",
        "lang": "language of messages (default: zh, or en under an English locale: LC_ALL, LC_MESSAGES, LANG)",
        "validate": "check datasets and list every problem as file:line: field: message [code]",
        "validate.datasets": "dataset folder names (default: all)",
        "format": "output format: text or json",
        "build": "validate, generate pages and downloads, and build the site into site/",
        "build.site_dir": "where to put the built site (default: site/)",
        "build.generator": "site generator to run",
        "new": "create datasets/<name>/ from a CSV (UTF-8 or GB18030) or XLSX file: typed, with units, key and "
        "constraints; asks what only a person knows when run in a terminal",
        "new.name": "the dataset's folder name: lowercase letters, digits and hyphens",
        "new.source": "the data: .csv or .xlsx",
        "new.template": "instead of --from: a body's annual report laid out by the national tables (annual-report-2019 "
        "for the 2019 trial format), every row and column labelled, each cell to fill marked 待填写",
        "new.body": "with --template: the reporting body's full name",
        "new.year": "with --template: the year the report covers",
        "new.names": "field names for the columns, in order (default: ASCII names made from the headings)",
        "new.resource": "the resource's name (default: made from the file's name)",
        "new.ask": "ask for the title, description, source ... (default: when a terminal is attached)",
        "update": "replace a dataset's data from a CSV or XLSX file, keeping its metadata; nothing changes unless the "
        "new data are valid; prints the problems or the diff and the bump it needs",
        "update.name": "the dataset's folder name",
        "update.source": "the new data: .csv or .xlsx",
        "update.resource": "which resource (needed when the dataset has more than one)",
        "check": "the pull-request gate: validate what changed since --base, diff it, check the version bump and "
        "the site's size",
        "check.base": "the git ref to compare with, e.g. origin/main",
        "check.report": "where to write the Markdown report (default: build/check-report.md)",
        "lock": "append every path the site now publishes to urls.lock (never removes one)",
        "publish": "upload the built downloads to the download store and check each SHA-256",
        "publish.check": "hash every file in the store (all), or only the ones just uploaded (new)",
        "serve": "preview at http://127.0.0.1:8000, rebuilding when datasets/ or docs/ change",
        "serve.dev_addr": "the preview's address and port",
    },
}


def chosen_language(argv: list[str]) -> str | None:
    """--lang as the command line gives it, read before argparse (whose words depend on it)."""
    for i, arg in enumerate(argv):
        if arg == "--lang" and i + 1 < len(argv):
            return argv[i + 1]
        if arg.startswith("--lang="):
            return arg.split("=", 1)[1]
    return None


def use(lang: str) -> dict[str, str]:
    """argparse's sentences in `lang` for this process, and the commands' help in it."""
    words = ARGPARSE_ZH if lang == "zh" else {}
    argparse._ = lambda message: words.get(message, message)  # type: ignore[attr-defined]
    return HELP["zh" if lang == "zh" else "en"]
