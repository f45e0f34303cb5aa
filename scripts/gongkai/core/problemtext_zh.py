"""Each problem's Chinese sentence, worded from the facts its check gives as `params`.

Keyed `code`, or `code:rule` where one code has several sentences (the check names the rule in
its params). The English is always the check's own `message`; core/problemtext.py chooses. Text
quoted from another program (Python's csv module, frictionless, a regular-expression parser) is
shown inside “…” as the fact it is. tests/test_messages.py renders problems of every kind the
checks emit and fails on English left outside quotes, and on a code with no sentence here that
is not on its commented allow-list.
"""

from __future__ import annotations

# Placeholders are params; a check that gives fewer facts than a sentence needs is shown with the
# registry's title and its own sentence instead (problemtext._fill).
DETAILS: dict[str, str] = {
    # table cells (frictionless and the fast path)
    "type-error": "“{value}” 不是{type_zh}，应写成 {shape} 这样",
    "constraint-error": "“{value}” 不满足约束 {constraint}（{constraint_zh}）：{asks}",
    "unique-error": "“{value}” 出现了不止一次，而这个字段的值必须唯一",
    "primary-key:repeat": "主键（{cells}）与第 {other} 行的重复",
    "primary-key:blank": "这一行构成主键的单元格都是空的（{cells}）",
    "primary-key": "这一行的主键（{cells}）与另一行重复",
    "foreign-key": "“{value}” 不是{target_zh}中已有的 {fields}：它指向的行不存在",
    "missing-cell": "这一行的单元格太少：缺少这个字段",
    "extra-cell": "这一行的单元格比表结构的字段多（多出的值 “{value}”）",
    "blank-row": "这一行是空的；删除它",
    "incorrect-label": "表头是 “{label}”，而表结构在这里要的是 “{name}”",
    "duplicate-label": "表头 “{label}” 出现了不止一次",
    "blank-label": "这一列的表头是空的",
    "missing-label": "表结构的字段 “{name}” 在表头中没有",
    "extra-label": "表头 “{label}” 在表结构中没有对应的字段",
    "label-whitespace": "表头 “{label}” 与表结构的 “{name}” 只差空格；删去空格",
    "blank-header": "第一行是空的：表头（字段名）必须是文件的第一行",
    "unmatched-header": "表头与表结构的字段一个也对不上（Frictionless 说：“{note}”）",
    "number-not-finite:nan": "“{value}” 不是有限数：JSON 无法保存 NaN 或无穷大，Excel 也无法显示；把单元格留空",
    "number-not-finite:overflow": "“{value}” 在每个 JSON 读取程序中都会溢出为无穷大，Excel 也无法显示；"
    "在文字字段中写成文字，或换算单位",
    "number-not-ascii": "“{value}” 只有宽松的解析器才读成数（用了 0—9 以外的数字、`_` 或空格），"
    "下载中会是另一段文字：用半角数字 0—9 书写",
    "formula-like": "{count} 个单元格以 = + - @、制表符或回车开头（第一个在这一行）；它们在每个下载中都是文字，"
    "但导入 CSV 的电子表格可能把它们当公式执行",
    # text hygiene (validate/text.py)
    "pinyin-artefact": "“{value}” 像是转换字形时留下的拼音注音；删去它",
    "control-character:control": "含有不可见的控制字符 {code}；删去它",
    "control-character:noncharacter": "含有非字符 {code}；删去它",
    "invisible-character:key": "含有看不见的字符 {code}（Unicode 名称 “{name}”）：看起来相同的值其实不同；删去它",
    "invisible-character:one": "含有看不见的字符 {code}（Unicode 名称 “{name}”）",
    "invisible-character:count": "{count} 个值含有看不见的字符，如 {code}（Unicode 名称 “{name}”，第一个在这一行）；"
    "它们原样保留，但读者看不见",
    # reading a file (validate/encoding.py, validate/limits.py)
    "lfs-pointer": "这是 Git LFS 指针，不是数据：先取回文件（`git lfs pull`），构建才会发布真实的行",
    "utf8-bom": "文件以字节顺序标记（BOM）开头，Excel 的“CSV UTF-8”就这样保存；去掉它：{command}",
    "encoding-error:gbk": "这一行的第 {column} 个字节（{byte}）不是 UTF-8。文件能按 GBK/GB18030 读出，"
    "这是中文 Windows 上 Excel 保存 CSV 的编码：另存为不带 BOM 的 UTF-8，"
    "或运行 `gongkai update <数据集> --from <文件>`（它会转换 GBK）",
    "encoding-error:csv": "这一行的第 {column} 个字节（{byte}）不是 UTF-8：另存为不带 BOM 的 UTF-8，"
    "或运行 `gongkai update <数据集> --from <文件>`",
    "encoding-error": "有一个字节（{byte}）不是 UTF-8：另存为不带 BOM 的 UTF-8",
    "empty-file": "文件是空的：要有表头和至少一行数据",
    "no-rows": "文件只有表头，没有数据行",
    "csv-syntax:eof": "从这一行起的引号没有闭合，一直读到文件末尾：一个未闭合的双引号吞掉了文件的其余部分",
    "csv-syntax:after_quote": "这一行有个带引号的单元格在结束引号之后还有字符：结束引号后应紧跟逗号或换行，"
    '单元格里的引号要写成两个（""）',
    "csv-syntax:other": "这一行不能按 CSV 读取（Python 的 csv 说：“{reason}”）；多半是引号没有闭合",
    "too-many-fields:schema": "有 {count} 个字段，上限（limits.max_fields）是 {limit}",
    "too-many-fields": "这一条记录的单元格超过 {limit} 个（limits.max_fields）；文件不再往下读",
    "line-too-long": "这一行超过 {limit} 字节（limits.max_line_bytes）；文件不再往下读",
    "cell-too-long": "这个单元格超过 {limit} 字节（limits.max_cell_bytes）；文件不再往下读",
    "markdown-too-complex": "一个段落里有 {count} 个 [（至多 {limit} 个）：Markdown 处理它要几分钟；"
    "把段落拆开，或改写方括号",
    # the folder (validate/folder.py, validate/paths.py, validate/gitindex.py)
    "unexpected-file:folder": "数据集文件夹里只能有 {allowed}",
    "unexpected-file:data": "datapackage.json 中没有哪个资源的路径是这个文件",
    "missing-file": "每个数据集都要有 {name}",
    "missing-file:resource": "资源文件 “{path}” 不存在",
    "file-too-large": "文件有 {size} 字节，超过了上限 {limit}（gongkai.yml 的 {setting}）",
    "symlink": "数据集中不允许符号链接",
    "symlink:git": "git 把它记作符号链接；数据集中不允许链接",
    "submodule": "git 把它记作子模块；数据集必须自己保存文件",
    "hard-link": "数据集中不允许硬链接",
    "name-mismatch": "name 是 “{value}”，而文件夹名是 “{folder}”：两者必须相同",
    "readme-section-missing": "README.md 要有一节 “## {section}”",
    "unsafe-path:url": "{value} 是网址：不会去取远处的数据；写成 data/<资源名>.csv",
    "unsafe-path:not_a_path": "{value} 不是路径：每个资源写一个相对路径，写成 data/<资源名>.csv",
    "unsafe-path:not_plain": "{value} 不是普通的相对路径（含 \\、~、$ 或 %）；写成 data/<资源名>.csv",
    "unsafe-path:outside": "{value} 离开了数据集文件夹；写成 data/<资源名>.csv",
    "path-name-mismatch": "路径是 “{path}”，而资源 “{name}” 应放在 “{expected}”",
    "duplicate-resource": "又一个资源叫 “{value}”：每个资源要有自己的名字和文件",
    "external-reference:profile": "不允许引用 profile：gongkai 使用自己的规范",
    "external-reference": "{key} 要直接写在 datapackage.json 里，不能用路径或网址引用",
    "duplicate-id": "id “{value}” 已被数据集 “{other}” 使用；每个数据集永远保留自己的 id",
    # datapackage.json as JSON (core/jsonlines.py, read/load.py)
    "invalid-json:syntax": "不是合法的 JSON：这一行第 {column} 列附近有错（JSON 读取器说：“{reason}”）",
    "invalid-json:utf-8": "第 {byte} 个字节起不是 UTF-8",
    "invalid-json:top_level": "最外层必须是一个 JSON 对象（{{…}}）",
    "json-too-deep": "嵌套超过 {limit} 层（limits.max_nesting）；改扁平",
    "json-surrogate:key": "这个键中有单独的代理项转义（\\ud800-\\udfff 而没有配对的另一半），任何 UTF-8 文件都无法保存",
    "json-surrogate:text": "这段文字中有单独的代理项转义（\\ud800-\\udfff 而没有配对的另一半），"
    "任何 UTF-8 文件都无法保存",
    "json-number:nan": "{value} 不是 JSON（发布的副本将无法解析）；写成 null，或把值写成文字",
    "json-number:big_integer": "整数 {value} 超出了 ±2^53：JSON 读取程序（所有浏览器）会读成另一个数；写成文字",
    "json-number:overflow": "{value} 溢出为无穷大，JSON 无法保存；写成文字",
    "json-number:underflow": "{value} 对双精度数来说太小，读回来是 0；写成文字",
    # the descriptor's meaning (validate/changelog.py, validate/patterns.py, validate/profile.py)
    "changelog-heading": "版本标题应写成 “## 1.2.0 — 2026-01-31”：版本号与日期之间是破折号 —",
    "changelog-empty": "CHANGELOG.md 里没有任何版本标题",
    "changelog-order": "版本要按新到旧排列，日期也不能倒退",
    "changelog-version": "最新一条记录的版本是 {found}，而 datapackage.json 的 version 是 “{declared}”",
    "changelog-date": "最新一条记录的日期是 {found}，而 datapackage.json 的 modified 是 “{declared}”",
    "unsafe-pattern:invalid": "pattern “{pattern}” 不是有效的正则表达式（“{error}”）",
    "unsafe-pattern:nested": "pattern “{pattern}” 在重复的部分里又有重复，匹配可能耗时无限：改写成不嵌套的形式",
    "placeholder": "{value}",
    "temporal:required": "缺少数据的时间 temporal：数据时点写一个日期，统计期间写两个日期",
    "temporal:value": "temporal 的 {value} 不是 ISO 8601 的日期或区间，或日期不存在",
    # frictionless on the descriptor: its own sentence, quoted
    "package-error": "Frictionless 认为元数据无效：“{note}”",
    "package-error:unreadable": "Frictionless 读不了这个数据包（{exception}）；先改正 datapackage.json 列出的其他问题",
    "resource-error": "Frictionless 认为资源的元数据无效：“{note}”",
    "schema-error": "Frictionless 认为表结构无效：“{note}”",
    "field-error": "Frictionless 认为字段的写法无效：“{note}”",
    "source-error": "Frictionless 读不到资源的数据：“{note}”",
    "scheme-error": "资源的 scheme 不是本地文件（Frictionless 说：“{note}”）",
    "format-error": "资源的 format 不是 csv（Frictionless 说：“{note}”）",
    "compression-error": "资源声明了压缩 compression（Frictionless 说：“{note}”）",
    "dialect-error": "资源的 dialect 写错了（Frictionless 说：“{note}”）",
    "control-error": "资源的 dialect 写错了（Frictionless 说：“{note}”）",
    "hash-count": "datapackage.json 写的 hash 是 {expected}，文件实际是 {actual}",
    "byte-count": "datapackage.json 写的 bytes 是 {expected}，文件实际有 {actual} 字节",
    "field-count": "datapackage.json 写的 fields 是 {expected}，文件实际有 {actual} 列",
    "row-count": "datapackage.json 写的 rows 是 {expected}，文件实际有 {actual} 行",
    # charts (validate/views.py)
    "invalid-view:resources": "图表要画本数据集的恰好一个资源（{allowed}），这里是 {value}",
    "invalid-view:twice": "有两个图表都叫 “{name}”",
    "invalid-view:resource_name": "图表不能与资源 “{name}” 同名",
    "invalid-view:depth": "spec 嵌套超过 40 层",
    "invalid-view:transform": '变换（transform）要写成对象，如 {{"filter": …}}',
    "view-external:key": "图表里不允许 “{name}”：图表只从资源自己的行画出，不用 spec 里的数据或链接",
    "view-external:image": "不允许 image 标记：它显示读者浏览器要从网址取回的图片",
    "view-external:url": "{value}：图表里不允许 url(...)（读者的浏览器会去取它）",
    "view-not-allowed:channel": "编码通道 “{name}” 不在图表可用的清单中（{allowed}）",
    "view-not-allowed:bin": "bin 只能设置 {allowed}；不允许 “{name}”（精确的步长可以分出任意多个区间：用 maxbins）",
    "view-not-allowed:key": "“{name}” 不在图表可用的清单中（见维护者指南的“图表”一节）",
    "view-not-allowed:mark": "标记 {value} 不在图表可用的清单中（{allowed}）",
    "view-not-allowed:size": '“{name}” 应是像素数或 {{"step": 像素数}}，这里是 {value}',
    "view-not-allowed:pixels": "“{name}” 应是像素数，这里是 {value}",
    "view-not-allowed:count": "“{name}” 在这里应是一个数，这里是 {value}（一个间隔可以意味着任意多个刻度）",
    "view-not-allowed:param": "param 只能是窗口运算的数，这里是 {value}（静态图表没有参数）",
    "view-not-allowed:scale": '{channel} 通道上不允许 "scale": null：它会拿每个单元格的文字当颜色',
    "view-not-allowed:range": "{channel} 通道上不允许从字段读取 range：它会拿每个单元格的文字当颜色",
    "view-not-allowed:transform": "这个变换不在图表可用的清单中（{allowed}）",
    "view-not-allowed:rows": "变换 “{name}” 不在图表可用的清单中（{allowed}）：它能自己造出行",
    "view-not-allowed:font": "“{name}” 只能含字母、数字、空格、逗号、句点、引号和连字符，这里是 {value}",
    "view-not-allowed:function": "表达式函数 “{name}” 不在图表可用的清单中（见维护者指南的“图表”一节）",
    "view-too-large:bytes": "spec 的 JSON 有 {size} 字节，超过 gongkai.yml 的 limits.max_view_bytes（{limit}）",
    "view-too-large:pixels": "“{name}” 是 {value} 像素，超过 gongkai.yml 的 limits.max_view_pixels（{limit}）",
    "view-too-large:steps": "“{name}” 是 {value}，超过 gongkai.yml 的 limits.max_view_steps（{limit}）",
    "view-too-large:drawn": "图表 “{name}” 画出来是 {size} 像素，超过 gongkai.yml 的 limits.max_view_pixels（{limit}）",
    "chart-failed:nan": "图表 “{name}” 中有 NaN 或 Infinity，画不出来",
    "chart-failed": "图表 “{name}” 画不出来（“{note}”）",
    "chart-unsafe": "图表 “{name}” 画出的 SVG 引用了图表以外的东西，所以不发布（“{note}”）",
    # the build and its cache (build.py, render/dashboard.py)
    "shallow-clone": "浅克隆：这次构建不发布旧版本",
    "shallow-clone:gate": "这里没有完整的 git 历史：没有检查历史中的版本（构建会检查）",
    "national-row-missing": "{table}缺少 {code}（{label}）这一行：原表每一行都要有，没有发生的填 0",
    "host-file-too-large": "{path} 在站点上会有 {size}，{host} 每个文件的上限是 {limit}",
    "host-site-too-large:bytes": "合并后站点会有 {amount} 字节，{host} 的上限是 {limit} 字节",
    "host-site-too-large:files": "合并后站点会有 {amount} 个文件，{host} 的上限是 {limit} 个",
    "no-contact-email": "不发布 data.json（DCAT-US）：{names} 没有联系邮箱；给每个数据集的维护者写上 email，"
    "或设置 operator.email",
    "cache-entry-dropped": "{name} 的构建缓存已损坏，重新构建（“{reason}”）",
    "home-missing:headline": "home.headline 写的 {value} 不是已发布数据集的资源；首页不显示它",
    "home-missing:columns": "home.headline 的 {value} 没有 {missing} 列；首页不显示它",
    "home-missing:chart": "home.charts 写的 {value} 不是已发布数据集的图表；首页不显示它",
    "generator-config:missing": "没有 mkdocs.yml",
    "generator-config:utf-8": "mkdocs.yml 的第 {byte} 个字节起不是 UTF-8",
    "generator-config:refused": "“{reason}”：MkDocs 会用能执行代码的加载器读它，所以什么都没有构建",
    "generator-config:mapping": "mkdocs.yml 的最外层应是 MkDocs 设置的映射（键: 值）",
    "site-code-changed": "{path} 是网站代码而不是数据：这个改动要经维护者审查后才能合并",
    # history and the URL contract (publish/history.py, publish/urls.py, gate/check.py)
    "version-conflict:commits": "版本 {version} 在提交 {commit}（{date}）与提交 {newer}（{newer_date}）中的数据不同；"
    "一个版本的数据永远不能改",
    "version-conflict:working": "版本 {version} 已经以别的数据提交过（提交 {commit}）：提高版本号，"
    "并在 CHANGELOG.md 加一条记录",
    "id-changed": "id 由 {old}（版本 {version}，提交 {commit}）改成了 {new}；数据集的 id 永不改变：改回 {old}",
    "dataset-removed": "datasets/{name}/ 被删除了，但它的网址必须继续可用：改名时在 redirects.yml 中为 "
    "/datasets/{name}/ 写一条重定向，撤回时在 withdrawn.yml 中记录",
    "modified-date": "modified 由 {old} 改回了 {new}：不能比目标分支上的更早",
    "lock-missing": "urls.lock 不见了，但 git 历史中有它：已发布的网站要保留网址锁；从 git 恢复"
    "（`git checkout HEAD -- urls.lock`，或从最后一个有它的提交）",
    "lock-absent": "还没有 urls.lock，本站的网址都还没有受保护；运行 `gongkai lock` 并提交 urls.lock",
    "lock-empty": "urls.lock 没有锁定任何路径（{size} 字节），而网站发布了路径：从 git 恢复"
    "（`git checkout HEAD -- urls.lock`）再运行 `gongkai lock`",
    "lock-truncated:header": "urls.lock 不以标题行开头（开头是 {first}）：没有完整写入；从 git 恢复"
    "（`git checkout HEAD -- urls.lock`）再运行 `gongkai lock`",
    "lock-truncated:newline": "urls.lock 不以换行符结尾：最后一行 {last} 被截断了；从 git 恢复"
    "（`git checkout HEAD -- urls.lock`）再运行 `gongkai lock`",
    "lock-edited:deleted": "urls.lock 被删除了；{base} 上它有 {count} 行锁定的路径：它只能追加，把它放回去",
    "url-changed:twice": "{path} 被锁定了两次，SHA-256 不同（{first}… 与 {second}…）；版本永不改变：发布一个新版本",
    "url-changed:bytes": "{path} 是已发布版本的文件，它的字节变了（锁定的 SHA-256 是 {locked}…，现在是 {now}…）；"
    "版本永不改变：发布一个新版本",
    "url-removed:history": "这里没有构建 {locked}：这个副本没有 git 历史，而旧版本来自 git 历史",
    # a site path in redirects.yml or withdrawn.yml refused by core/sitepaths.py: its reason quoted
    "invalid-redirects:path": "{what_zh} {value} 不能用作网站路径（“{why}”）",
    "invalid-withdrawal:path": "{what_zh} {value} 不能用作网站路径（“{why}”）",
    # the published paths (publish/urls.py)
    "url-not-locked": "{path} 是新网址",
    "url-removed": "{path} 发布过，现在不见了",
    # a pull request (gate/check.py)
    "sum-mismatch": "{left_zh} = {left}，{right_zh} = {right}，相差 {difference}（{check}）{noted}",
    "version-bump:lower": "版本由 {old} 改成了 {new}：新版本号必须更大",
    "version-bump:short": (
        "{changes}，需要升级{level}，即 {old} → {next}，{found}；再在 CHANGELOG.md 加一条日期与 modified 相同的记录"
    ),
}

# What a refused site path is, in the words of core/pathcheck.resolve's callers.
WHAT = {"old path": "旧路径", "new path": "新路径", "the withdrawn path": "撤回的路径", "path": "路径"}
