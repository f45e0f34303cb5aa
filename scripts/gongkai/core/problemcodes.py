"""Every problem code in one registry: its Chinese title, the severities it may have, the heading of
the maintainer's guide that explains it, and how to fix it.

`Problem` refuses a code or a severity the registry does not list (problems.py), so no check can
report a code the guide does not explain. The guide's code table, between START and END in
docs/guide/maintainers.md, is generated from here (`make docs-codes`); tests/test_problem_codes.py
compares the two and checks that every registered code is produced somewhere.

Codes marked `frictionless` are frictionless's own error types, passed through by checks/table.py:
those its baseline check reports and those its package, resource, schema and dialect readers raise.
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass
from pathlib import Path

ERROR = frozenset({"error"})
WARNING = frozenset({"warning"})  # shown and counted, does not stop the build
EITHER = ERROR | WARNING  # one code, two weights: e.g. an invisible character in a key, or in other text

GUIDE = "docs/guide/maintainers.md"
START = (
    "<!-- problem-codes:start (written by make docs-codes from scripts/gongkai/core/problemcodes.py: edit it there) -->"
)
END = "<!-- problem-codes:end -->"


@dataclass(frozen=True)
class Code:
    code: str
    title: str  # short, Chinese: what is wrong
    fix: str  # the guide's 怎么改
    meaning: str = ""  # the guide's 含义 where it says more than the title
    severity: frozenset[str] = ERROR
    anchor: str = "problem-codes"  # id of the guide's heading that explains it: { #id } there keeps it stable
    frictionless: bool = False
    example: str = ""  # what a right value looks like: shown after the fix, in the guide and in every message

    @property
    def explanation(self) -> str:
        return self.meaning or self.title


def _registry(*entries: Code) -> dict[str, Code]:
    codes = {entry.code: entry for entry in entries}
    if len(codes) != len(entries):
        raise ValueError("a problem code is registered twice")
    return codes


CODES = _registry(
    Code("unexpected-file", "文件夹里有规定以外的文件", "删除，或在 `resources` 中登记"),
    Code(
        "missing-file",
        "缺少必需的文件",
        "补上",
        meaning="缺少 `datapackage.json`、`README.md`、`CHANGELOG.md` 或资源文件",
    ),
    Code("file-too-large", "文件超过 `gongkai.yml` 中的大小上限", "拆分数据，或与维护组商量上限"),
    Code("symlink", "符号链接", "换成真实文件"),
    Code("hard-link", "硬链接", "换成独立的文件"),
    Code("invalid-json", "`datapackage.json` 不是合法 JSON", "按提示的行和列修改"),
    Code(
        "name-mismatch",
        "`name` 与文件夹名不同",
        "改成一致",
    ),
    Code(
        "unsafe-path",
        "资源路径是网址、绝对路径或离开了文件夹",
        "写成 `data/<资源名>.csv`",
        example='"path": "data/items.csv"',
    ),
    Code(
        "path-name-mismatch",
        "资源路径与资源名不对应",
        "写成 `data/<资源名>.csv`",
        example='"path": "data/items.csv"',
    ),
    Code("submodule", "git 记录中有子模块", "删除子模块，把文件直接放进数据集"),
    Code("duplicate-resource", "两个资源同名", "给每个资源取不同的名字"),
    Code(
        "external-reference",
        "`schema`、`dialect` 或 `profile` 引用了外部文件",
        "把表结构直接写进 `datapackage.json`",
    ),
    Code(
        "encoding-error",
        "不是 UTF-8",
        "按提示转换编码",
        frictionless=True,
        example="gongkai new <名称> --from 原文件.csv",
    ),
    Code(
        "lfs-pointer", "资源文件是 Git LFS 指针而不是数据", "运行 `git lfs pull` 取回真实文件", example="git lfs pull"
    ),
    Code("utf8-bom", "文件开头有 BOM", "去掉 BOM"),
    Code("empty-file", "文件是空的", "写入表头和数据"),
    Code("no-rows", "只有表头没有数据", "写入数据"),
    Code("csv-syntax", "CSV 格式错误，通常是引号没有闭合", "在所指行补上引号", example='"广州,天河"'),
    Code("label-whitespace", "表头与字段名只差空格（如 `name `）", "删去空格"),
    Code(
        "formula-like",
        "像公式的文本单元格",
        "不影响发布：CSV 原样保存，XLSX 中为文本；确认内容无误即可",
        meaning="文本单元格以 `=`、`+`、`-`、`@`、制表符或回车（含全角形式）开头，电子表格可能把它当公式执行",
        severity=WARNING,
    ),
    Code("pinyin-artefact", "残留的拼音注音，如 `(gòu)`", "删除"),
    Code("control-character", "不可见的控制字符或文字方向控制符", "删除"),
    Code(
        "metadata-profile",
        "元数据不符合规范（缺少键、取值不在列表中、格式不对）",
        "按说明修改",
    ),
    Code(
        "temporal",
        "没有写数据的时间（`temporal`），或写法不对",
        "写成数据时点 `2022-10-31`，或统计期间 `2018-01-01/2018-12-31`（前一日期不晚于后一日期）",
        meaning="缺少 `temporal`，或它不是 ISO 8601 日期 `YYYY-MM-DD`、区间 `YYYY-MM-DD/YYYY-MM-DD`，或日期不存在",
        anchor="temporal",
        example='"temporal": "2018-01-01/2018-12-31"',
    ),
    Code(
        "readme-section-missing",
        "README 缺少规定的小节",
        "补上 `## 数据`、`## 来源与处理`、`## 许可`",
        example="## 来源与处理",
    ),
    Code(
        "changelog-heading",
        "更新记录标题格式不对",
        "写成 `## 1.2.0 — 2026-01-31`",
        anchor="versions",
        example="## 1.2.0 — 2026-01-31",
    ),
    Code("changelog-empty", "更新记录没有任何版本", "加一条", anchor="versions"),
    Code("changelog-order", "版本没有按新到旧排列", "调整顺序", anchor="versions"),
    Code(
        "changelog-version",
        "最新一条的版本与 `version` 不同",
        "改成一致",
        anchor="versions",
    ),
    Code(
        "changelog-date",
        "最新一条的日期与 `modified` 不同",
        "改成一致",
        anchor="versions",
    ),
    Code(
        "duplicate-id",
        "两个数据集用了同一个 `id`",
        "新数据集生成新的 UUID",
        example='python3 -c "import uuid; print(uuid.uuid4())"',
    ),
    Code(
        "type-error",
        "单元格不符合字段类型",
        "改正数值，或改字段类型",
        frictionless=True,
        example="1108000, 110.8, 2019-05-16",
    ),
    Code(
        "constraint-error",
        "违反约束（必填、最小值、格式、取值）",
        "改正数值",
        frictionless=True,
    ),
    Code("unique-error", "应唯一的字段出现重复", "去掉重复", frictionless=True),
    Code("primary-key", "主键重复", "去掉重复行或改正主键", frictionless=True),
    Code(
        "sum-mismatch",
        "全国统一表格的合计对不上（勾稽关系不成立）",
        "对照原表改正所指单元格；原表本身印错的，照印刷的数字填写，并在资源的 `arithmeticNotes` 中注明这一格",
        meaning="表三各类申请人之和不等于总计，或本年新收加上年结转不等于办理结果总计加结转下年度；表四各组之和不等于总计",
        severity=EITHER,
        anchor="national-tables",
        example='"arithmeticNotes": [{"row": "results_total", "field": "natural_person", "note": "原表如此印刷"}]',
    ),
    Code("foreign-key", "指向的行不存在", "改正引用值", frictionless=True),
    Code("missing-cell", "这一行的单元格比表头少", "补齐", frictionless=True),
    Code(
        "extra-cell",
        "这一行的单元格比表头多",
        "删去多余的，或给含逗号的值加引号",
        frictionless=True,
        example='"1,108,000"',
    ),
    Code("blank-row", "空行", "删除", frictionless=True),
    Code("incorrect-label", "表头与表结构不一致", "改表头或表结构", frictionless=True),
    Code("duplicate-label", "表头重复", "改名", frictionless=True),
    Code("blank-label", "表头为空", "补上", frictionless=True),
    Code("missing-label", "表头比表结构少", "补上", frictionless=True),
    Code("extra-label", "表头比表结构多", "删去或补充字段说明", frictionless=True),
    Code("blank-header", "没有表头", "在第一行写上字段名", frictionless=True),
    Code(
        "unmatched-header",
        "表头与表结构的字段一个也对不上",
        "改表头，或删去 `fieldsMatch`",
        meaning="表头与表结构的字段一个也对不上（`fieldsMatch` 为 `partial`）",
        frictionless=True,
    ),
    Code(
        "hash-count",
        "资源的 `hash` 与文件实际的哈希不同",
        "删去 `hash`（页面和 `SHA256SUMS` 会给出实际的 SHA-256），或改为实际值",
        frictionless=True,
    ),
    Code("byte-count", "资源的 `bytes` 与文件实际的字节数不同", "删去 `bytes`，或改为实际的字节数", frictionless=True),
    Code("field-count", "资源的 `fields` 与文件实际的列数不同", "删去 `fields`，或改为实际的列数", frictionless=True),
    Code("row-count", "资源的 `rows` 与文件实际的行数不同", "删去 `rows`，或改为实际的行数", frictionless=True),
    Code("package-error", "Frictionless 认为元数据本身无效", "按说明修改", frictionless=True),
    Code("resource-error", "Frictionless 认为元数据本身无效", "按说明修改", frictionless=True),
    Code("schema-error", "Frictionless 认为元数据本身无效", "按说明修改", frictionless=True),
    Code("field-error", "Frictionless 认为元数据本身无效", "按说明修改", frictionless=True),
    Code(
        "source-error", "Frictionless 读不到资源的数据", "按说明修改；资源文件是 `data/<资源名>.csv`", frictionless=True
    ),
    Code("scheme-error", "资源的 `scheme` 不是本地文件", "删去 `scheme`", frictionless=True),
    Code(
        "format-error",
        "资源的 `format` 不是 `csv`",
        '写成 `"format": "csv"`',
        frictionless=True,
        example='"format": "csv"',
    ),
    Code(
        "compression-error",
        "资源声明了压缩（`compression`）",
        "删去 `compression`：资源文件是不压缩的 CSV",
        frictionless=True,
    ),
    Code(
        "dialect-error",
        "资源的 `dialect` 写错",
        "删去 `dialect`：gongkai 总按逗号分隔、双引号包围、有表头的 CSV 读取",
        frictionless=True,
    ),
    Code(
        "control-error",
        "资源的 `dialect` 写错",
        "删去 `dialect`：gongkai 总按逗号分隔、双引号包围、有表头的 CSV 读取",
        frictionless=True,
    ),
    Code(
        "url-removed",
        "`urls.lock` 中的路径不再发布",
        "恢复它，或在 `redirects.yml` 中映射到新路径",
        meaning="`urls.lock` 中的路径不再发布；在没有 git 历史的副本中，旧版本的路径只是警告（旧版本来自 git 历史）",
        severity=EITHER,
        anchor="urls",
    ),
    Code(
        "url-not-locked",
        "新发布的路径还没有记入 `urls.lock`",
        "运行 `gongkai lock` 并提交 `urls.lock`",
        severity=WARNING,
        anchor="urls",
        example="gongkai lock && git add urls.lock",
    ),
    Code(
        "url-changed",
        "已发布版本的文件变了",
        "版本发布后不能改：恢复原文件，改动作为新版本发布",
        meaning="某个已发布版本的文件字节与 `urls.lock` 中记录的 SHA-256 不同",
        anchor="urls",
    ),
    Code(
        "version-conflict",
        "同一版本号的数据不同",
        "提高版本号并在 `CHANGELOG.md` 中记录；已合并的历史无法改写，所以要在拉取请求中改好（必要时合并为一个提交）",
        meaning="同一个版本号在两个提交中（或在提交与当前工作区中）数据不同",
        anchor="urls",
    ),
    Code("old-version-broken", "历史中某个版本的文件缺失或无法解析", "该版本无法发布；检查那次提交", anchor="urls"),
    Code(
        "shallow-clone",
        "浅克隆：旧版本不发布",
        "用完整历史克隆（`git fetch --unshallow`）",
        meaning="浅克隆，只在设置了 `GONGKAI_ALLOW_SHALLOW` 的测试机器上允许；旧版本不会发布",
        severity=WARNING,
        anchor="urls",
        example="git fetch --unshallow",
    ),
    Code(
        "national-row-missing",
        "全国统一表格缺少一行",
        "按原表补上这一行（`row_code` 与 `row_label` 取自表结构的 `rows`），没有发生的填 0",
        meaning="按表二或表三排列的资源没有原表的某一行；原表每一行都要有",
        anchor="national-tables",
    ),
    Code(
        "host-file-too-large",
        "一个下载文件超过主机每个文件的上限",
        "拆分数据（按年份或地区分成几个资源），或把下载文件放到对象存储（`gongkai.yml` 的 `downloads`），"
        "或在 `hosting` 中换主机预设或改上限",
        meaning="改动后的数据集发布的某个文件（CSV、XLSX、JSON、Parquet 或 zip）大于 `hosting` 的 `max_file_bytes`，"
        "主机会拒绝部署",
        anchor="hosting",
    ),
    Code(
        "host-site-too-large",
        "合并后站点会超过主机的上限",
        "把下载文件放到对象存储（`gongkai.yml` 的 `downloads`），删去不再需要的资源，"
        "或在 `hosting` 中换主机预设或改上限",
        meaning="以上次构建的测量（`build/site-budget.json`）加上本次改动的增长，"
        "站点的字节数或文件数超过 `hosting` 的上限",
        anchor="hosting",
    ),
    Code(
        "no-contact-email",
        "不发布 `data.json`：没有联系邮箱",
        "在 `contributors` 的维护者中加 `email`，或在 `gongkai.yml` 中设置 `operator.email`",
        meaning=(
            "有数据集的维护者没有 `email`，`gongkai.yml` 也没有 `operator.email`，"
            "所以不发布 `data.json`（DCAT-US 要求联系邮箱）"
        ),
        severity=WARNING,
        example='"email": "open@example.gov.cn"',
    ),
    Code(
        "placeholder", "`gongkai new` 留下的“待填写”还没有填", "换成真实内容", example='"title": "广州市各区常住人口"'
    ),
    Code(
        "version-bump",
        "与目标分支相比有改动，但版本升级不够（或版本号降低）",
        "按说明把 `version` 升到所需的一级，更新 `modified`，在 `CHANGELOG.md` 加记录",
        anchor="versions",
        example='"version": "1.3.0"',
    ),
    Code(
        "modified-date",
        "`modified` 比目标分支上的更早",
        "改为这次改动的日期",
        anchor="versions",
        example='"modified": "2026-12-02"',
    ),
    Code(
        "dataset-removed",
        "拉取请求删除了一个数据集文件夹",
        "改名时在 `redirects.yml` 中指定新址；撤回时在 `withdrawn.yml` 中记录",
        anchor="urls",
    ),
    Code(
        "home-missing",
        "首页的数字或图表指向没有发布的内容",
        "改为本站已有的数据集，或删去该项",
        meaning="`gongkai.yml` 的 `home.headline` 或 `home.charts` 指向的数据集、资源或图表没有发布",
        severity=WARNING,
    ),
    Code(
        "invalid-view",
        "图表（`views`）写错",
        "按说明修改",
        meaning="图表（`views`）写错：没有画本数据集的一个资源、重名、与资源同名，或 `spec` 嵌套超过 40 层",
        anchor="views",
    ),
    Code(
        "view-external",
        "图表引用了本数据集以外的数据或站外的东西",
        "删去该键或值；数据由构建时从资源读入",
        meaning=(
            "图表的 `spec` 中有 `data`、`datasets`、`url`、`href`（键或编码通道）、`image` 标记，"
            "或任何字符串中有 `url(`：图表只能画本数据集自己的数据，也不能引用站外的东西"
        ),
        anchor="views",
    ),
    Code(
        "invalid-withdrawal",
        "`withdrawn.yml` 写错",
        "按报告所指的行修改，或删除 `datasets/<name>/`",
        meaning=(
            "`withdrawn.yml` 写错：缺少 name、title、date 或 reason；`name` 不是数据集名称（小写字母、"
            "数字和单个连字符，最多 80 个字符，与文件夹名相同）；所撤回数据集的文件夹还在；或文件不能安全读取（别名、"
            "标签、嵌套过深、过大）"
        ),
        anchor="urls",
    ),
    Code(
        "invalid-redirects",
        "`redirects.yml` 写错",
        "按报告所指的行和值修改；英文页面的重定向随中文页面自动生成，不必写",
        meaning=(
            "`redirects.yml` 写错：旧路径仍在发布、新路径不存在、页面与文件互指、文件改了类型（扩展名）、"
            "旧路径会覆盖或嵌入本站已有的文件；路径不合规（不以 `/` 开头，含 `..`、`.`、`//`、`\\`、`%`、空白、"
            "控制或格式字符、`?`、`#`、`*` 等，或过长）；旧路径是本站自有路由（`/`、`/assets/`、`/search/`、`/en/`、"
            "目录文件、`/_`、`/.` 开头等）；或文件不能安全读取"
        ),
        anchor="urls",
    ),
    Code(
        "cache-entry-dropped",
        "缓存文件已损坏，已丢弃重建",
        "无需处理；若反复出现，检查磁盘或是否有程序改写 `build/cache/`",
        meaning=(
            "`build/cache/` 中某个数据集的缓存文件与写入时记录的大小和 SHA-256 不符（被改动或损坏），已丢弃并重新生成"
        ),
        severity=WARNING,
    ),
    Code(
        "json-too-deep",
        "`datapackage.json` 嵌套过深",
        "把报告所指的值改扁平",
        meaning="`datapackage.json` 嵌套层数超过 `limits.max_nesting`（默认 32）；文件不再往下读",
    ),
    Code(
        "json-number",
        "`datapackage.json` 中有 JSON 无法如实保存的数",
        "改为 `null`，或把值写成字符串",
        meaning=(
            "`datapackage.json` 中有 `NaN`、`Infinity`（不是 JSON，发布的副本将无法解析），"
            "超出双精度范围的数（如 `1e400`、`1e-400`），或超过 ±2^53 的整数（浏览器等 JSON 读取程序会读成另一个数）"
        ),
        example='"value": null',
    ),
    Code(
        "unsafe-pattern",
        "`pattern` 无效或可能耗时无限",
        "改写成不嵌套的形式，如 `^[a-z]+$`",
        meaning=(
            "字段约束 `pattern` 不是有效的正则表达式，或在重复的部分里又有重复（如 `^(([a-z])+)+$`），"
            "校验时可能耗时无限"
        ),
        example="^[a-z]+$",
    ),
    Code(
        "markdown-too-complex",
        "Markdown 段落中的 `[` 过多",
        "把段落拆开，或改写方括号",
        meaning="`README.md` 或 `CHANGELOG.md` 的一个段落里有 500 个以上的 `[`：Markdown 处理它的时间随个数的平方增长",
    ),
    Code(
        "json-surrogate",
        "`datapackage.json` 中有单独的代理项",
        "删去该转义，或改为完整的字符",
        meaning='`datapackage.json` 的文字中有单独的代理项转义（如 `"\\ud800"`），任何 UTF-8 文件都无法保存',
    ),
    Code(
        "too-many-fields",
        "字段过多",
        "拆成几个资源，或检查是否缺了换行、多了逗号",
        meaning=(
            "一条记录（含表头）的单元格数，或 schema 的字段数，超过 `limits.max_fields`（默认 1000）；文件不再往下读"
        ),
    ),
    Code(
        "line-too-long",
        "CSV 的一行过长",
        "检查换行符；过长的内容放到单独的文件",
        meaning="CSV 的一个物理行超过 `limits.max_line_bytes` 字节；文件不再往下读",
    ),
    Code(
        "cell-too-long",
        "CSV 的单元格过长",
        "检查是否有未闭合的引号；过长的内容放到单独的文件",
        meaning="CSV 的一个单元格超过 `limits.max_cell_bytes` 字节（含跨行的引号单元格）；文件不再往下读",
    ),
    Code(
        "number-not-finite",
        "数值字段中有非有限数",
        "留空（缺失值），或换算单位",
        meaning=(
            "`number` 字段中有 `NaN`、`INF`、`-inf`、`Infinity`，或溢出为无穷大的数（如 `1e400`）：frictionless 接受，"
            "但 JSON 无法保存、Excel 无法显示，gongkai 拒绝"
        ),
    ),
    Code(
        "number-not-ascii",
        "数值不是用半角数字 0—9 写的",
        "改用半角数字 0—9 书写，去掉空格和 `_`",
        meaning=(
            "`integer` 或 `number` 字段中的数不是用 0—9 写的（全角数字 `１０２０`、其他文字的数字 `٣٦`、`1_020`、"
            "前后有空格）：宽松的解析器把它读成数，但 JSON 和 XLSX 中会是另一段文字"
        ),
        example="1020",
    ),
    Code(
        "invisible-character",
        "看不见的字符",
        "删去该字符；警告处如确属有意（如表情符号中的连接符）可保留",
        meaning=(
            "主键、`unique` 字段、字段名或资源名中有看不见的字符（零宽空格、零宽连接符、软连字符、"
            "标签字符 U+E0000–U+E007F、C1 控制字符等 Unicode 格式字符），看起来相同的值其实不同；在其他地方为警告，"
            "给出个数和第一处"
        ),
        severity=EITHER,
    ),
    Code(
        "view-not-allowed",
        "图表用了允许清单以外的写法",
        "按消息所指的 JSON 指针改用清单中的写法",
        meaning=(
            "图表用了允许清单（见本页“图表”一节）以外的标记、变换、编码通道、键或表达式函数，字体名中有字母、数字、"
            '空格、逗号、句点、引号和连字符以外的字符，或颜色通道的颜色直接取自数据（`"scale": null`、'
            "从字段读取的 `range`）"
        ),
        anchor="views",
    ),
    Code(
        "view-too-large",
        "图表超出大小限制",
        "减小该值；确需更大时与维护组商量上限",
        meaning=(
            "图表超出 `gongkai.yml` 的限制：`spec` 的 JSON 超过 `limits.max_view_bytes` 字节，`width`、`height`、"
            "`step` 或画出的图超过 `limits.max_view_pixels` 像素，`tickCount`、`maxbins`、"
            "`nice` 或 `bin.steps` 超过 `limits.max_view_steps`"
        ),
        anchor="views",
    ),
    Code(
        "chart-failed",
        "构建时画不出图表",
        "按消息修改图表或数据；构建停止并保留原网站，不会崩溃，其他图表的问题同时报告",
        meaning=(
            "构建时画不出这个图表：超过 `limits.view_seconds` 秒（一个数据集的全部图表合计），"
            "需要的内存超过 `limits.view_megabytes` MB，渲染程序崩溃，Vega-Lite 报错，"
            "或数据中有图表画不了的数（非有限数、超出双精度范围）"
        ),
        anchor="views",
    ),
    Code(
        "chart-unsafe",
        "画出的 SVG 引用了图表以外的东西",
        "检查图表的颜色和数据：颜色只能写颜色值，不能取自数据中的文字",
        meaning=(
            "画出的 SVG 引用了图表以外的东西（`url(...)` 不是 `url(#id)`、链接不是 `#id`、脚本、事件属性、`<image>`、"
            "`<foreignObject>` 等），因此不发布"
        ),
        anchor="views",
    ),
    Code(
        "lock-edited",
        "`urls.lock` 被改动（只能追加）",
        "把那一行原样放回；要改网址就加 `redirects.yml`，要撤回就写 `withdrawn.yml` 再运行 `gongkai lock`",
        meaning=(
            "拉取请求中的 `urls.lock` 与目标分支的相比删了行、改了或去掉了标记（版本文件的 SHA-256、`withdrawn`），"
            "或整个文件被删：`urls.lock` 只能追加。消息给出目标分支上的行号和原行"
        ),
        anchor="urls",
    ),
    Code(
        "lock-empty",
        "`urls.lock` 是空的",
        "从 git 恢复：`git checkout HEAD -- urls.lock`，再运行 `gongkai lock`",
        meaning=(
            "`urls.lock` 存在却没有任何路径，而网站发布了路径（例如写入被中断后只剩 0 字节）；构建不会因此放弃网址契约"
        ),
        anchor="urls",
        example="git checkout HEAD -- urls.lock && gongkai lock",
    ),
    Code(
        "lock-truncated",
        "`urls.lock` 没有完整写入",
        "同上，从 git 恢复后重新运行 `gongkai lock`",
        meaning="`urls.lock` 不以标题行开头，或最后一行没有换行符：文件没有完整写入",
        anchor="urls",
    ),
    Code(
        "lock-missing",
        "`urls.lock` 不见了",
        "从 git 恢复 `urls.lock`",
        meaning="`urls.lock` 不见了，但 git 历史中有它：已发布的网站必须保留网址锁",
        anchor="urls",
    ),
    Code(
        "lock-absent",
        "还没有 `urls.lock`",
        "运行 `gongkai lock` 并提交 `urls.lock`",
        meaning="没有 `urls.lock`，git 历史中也从未有过（新建的分叉）：还没有网址受保护",
        severity=WARNING,
        anchor="urls",
        example="gongkai lock && git add urls.lock",
    ),
    Code(
        "id-changed",
        "数据集的 `id` 变了",
        "把 `id` 改回消息中给出的原值",
        meaning=(
            "数据集的 `id` 与 git 历史中的不同：`id` 在各目录和采集方那里代表这个数据集，永不改变（文件夹名可以改，"
            "需加重定向）"
        ),
        anchor="urls",
    ),
    Code(
        "generator-config",
        "`mkdocs.yml` 不能安全地交给 MkDocs",
        (
            "只用普通 YAML 值（以及 MkDocs 自己的 `!ENV`、`!relative`）；改回 `docs_dir: build/docs`，"
            "钩子放在 `scripts/` 下，模板放在 `overrides/` 下"
        ),
        meaning=(
            "`mkdocs.yml` 不能安全地交给 MkDocs：有 `!!python/...` 等标签（MkDocs 的加载器会据此执行代码）、别名、"
            "过大或过深，`docs_dir` 不是 `build/docs`，钩子（`hooks`）不在 `scripts/` 下，"
            "`theme.custom_dir` 不在 `overrides/` 下，或用了 `INHERIT`、`extra_templates`、"
            "`theme.static_templates`（会把页面当作 Jinja 模板或另一份设置读入，而 Jinja 模板能执行 Python）"
        ),
    ),
    Code(
        "site-code-changed",
        "拉取请求改动了网站代码",
        "数据拉取请求不应改这些文件，请撤回这些改动；代码拉取请求须由维护者审查后合并",
        meaning=(
            "`gongkai check`：拉取请求改动了网站代码而非数据（`mkdocs.yml`、`gongkai.yml`、`overrides/`、"
            "`docs/assets/`、`scripts/`、`.github/`、`.ci/`、`Makefile`、`pyproject.toml`、`tests/`、`benchmarks/`），"
            "每个文件一条；报告中另列一节"
        ),
        anchor="pull-requests",
    ),
)

SEVERITIES: dict[str, frozenset[str]] = {entry.code: entry.severity for entry in CODES.values()}  # read per Problem


def refusal(code: str, severity: str) -> str | None:
    """Why a problem with this code and severity cannot be made, or None when the registry allows it."""
    allowed = SEVERITIES.get(code)
    if allowed is None:
        return (
            f"problem code {code!r} is not registered: add it to gongkai/core/problemcodes.py and run make docs-codes"
        )
    if severity not in allowed:
        return f"problem code {code!r} may not be {severity!r} (the registry allows {', '.join(sorted(allowed))})"
    return None


def guide_table() -> str:
    """The guide's table of codes; codes that share their explanation, fix and severity share a row."""
    rows: list[tuple[list[str], Code]] = []
    for entry in CODES.values():
        last = rows[-1][1] if rows else None
        if last and _row_of(last) == _row_of(entry):
            rows[-1][0].append(entry.code)
        else:
            rows.append(([entry.code], entry))
    lines = ["| 代码 | 含义 | 怎么改 |", "|---|---|---|"]
    for codes, entry in rows:
        names = "、".join(f"`{code}`" for code in codes) + _SEVERITY_NOTE[entry.severity]
        fix = f"{entry.fix}，例如 `{entry.example}`" if entry.example else entry.fix
        lines.append(f"| {names} | {_cell(entry.explanation)} | {_cell(fix)} |")
    return "\n".join(lines) + "\n"


def _row_of(entry: Code) -> tuple:
    return entry.explanation, entry.fix, entry.example, entry.severity


_SEVERITY_NOTE = {ERROR: "", WARNING: "（警告）", EITHER: "（错误或警告）"}


def _cell(text: str) -> str:
    return text.replace("|", "\\|")  # a pipe would end the cell


def with_table(page: str) -> str:
    """The guide's text with the table between the markers replaced by the registry's."""
    head, start, rest = page.partition(START)
    body, end, tail = rest.partition(END)
    if not start or not end:
        raise ValueError(f"{GUIDE} needs the lines {START} and {END} around the table of problem codes")
    return f"{head}{START}\n\n{guide_table()}\n{END}{tail}"  # blank lines: the comments stay out of the table


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m gongkai.core.problemcodes", description="Write or check the guide's table of problem codes."
    )
    group = parser.add_mutually_exclusive_group(required=True)
    group.add_argument("--write", metavar="GUIDE", type=Path, help="regenerate the table in this file")
    group.add_argument(
        "--check", metavar="GUIDE", type=Path, help="exit 1 if the table in this file is not the registry's"
    )
    args = parser.parse_args(argv)
    path = args.write or args.check
    page = path.read_text(encoding="utf-8")
    wanted = with_table(page)
    if args.check:
        if wanted != page:
            print(f"{path}: the table of problem codes is out of date: run make docs-codes", file=sys.stderr)
            return 1
        return 0
    if wanted != page:
        path.write_text(wanted, encoding="utf-8")
        print(f"{path}: table of problem codes regenerated")
    return 0


if __name__ == "__main__":
    sys.exit(main())
