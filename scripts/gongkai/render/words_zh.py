"""The Chinese words of the generated pages (messages.py puts the languages together)."""

from __future__ import annotations

from typing import Any

ZH: dict[str, Any] = {
    "lang": "zh",
    # the dataset page
    "sections": {
        "downloads": "下载",
        "quality": "数据质量",
        "charts": "图表",
        "crosstabs": "统计",
        "dictionary": "数据字典",
        "preview": "数据预览",
        "snippets": "使用示例",
        "sources": "来源",
        "readme": "说明",
        "licenses": "许可",
        "changelog": "更新记录",
        "cite": "引用",
        "versions": "版本",
        "data": "数据",
        "more": "更多信息",
        "files": "全部文件和 SHA-256 校验值",
        "profile": "各列概况",
        "metadata": "元数据",
    },
    "get": {
        "xlsx": "下载 Excel 表格",
        "csv": "下载 CSV",
        "more": "其他格式（带 BOM 的 CSV、JSON、Parquet、元数据、整包 ZIP）",
        "rows": "{rows} 行",
        "hint": "用 Excel 或 WPS 打开请选 Excel 表格；旧版 Excel 打开 CSV 中文乱码时，请用“其他格式”中带 BOM 的 CSV。",
    },
    "site_updated": "本站更新",
    "query": {
        "link": "用 SQL 查询这个数据集",
        "link_hint": "在浏览器中运行，不需要安装任何软件",
        "title": "用 SQL 查询：{title}",
        "intro": (
            "在浏览器中用 DuckDB 对本数据集的 Parquet 文件运行 SQL：文件从本站读取，查询在你的电脑上进行，"
            "不经过任何服务器。每个资源是一张表，表名如下。"
        ),
        "tables": "表",
        "table_row": "{rows} 行 · 文件 {file} · 列：{columns}",
        "examples": "示例查询",
        "sql": "SQL",
        "run": "运行",
        "download": "下载结果 CSV",
        "back": "返回数据集页面",
        "loading": "正在载入查询引擎（约 35 MB，只在第一次打开时下载）……",
        "ready": "可以查询了。",
        "running": "正在查询……",
        "result": "共 {rows} 行，用时 {ms} 毫秒。",
        "truncated": "只显示前 {shown} 行；下载的 CSV 包含全部 {rows} 行。",
        "error": "查询出错：{message}",
        "error_hint": "请检查表名和列名（区分大小写，含连字符的名字要加双引号），以及 SQL 的写法。",
        "not_select": "只能运行查询（SELECT、WITH、DESCRIBE 等），不能修改数据。",
        "engine_failed": "查询引擎载入失败：{message}。请换用较新的浏览器，或下载 Parquet 文件在本地查询。",
        "no_engine": "本站没有随附查询引擎（构建时缺少 DuckDB-Wasm 文件），请下载 Parquet 文件在本地查询。",
        "noscript": "查询需要在浏览器中运行 JavaScript。也可以下载 Parquet 文件，用数据集页面上的代码在本地查询。",
        "null": "（空）",
        "error_table": "没有名为 {name} 的表",
        "error_column": "没有名为 {name} 的列",
        "error_syntax": "SQL 语法错误，在 {near} 附近",
        "example_rows": "前 100 行",
        "example_crosstab": "{title}：按两列计数",
        "example_group": "按“{column}”计数",
        "example_key": "按“{column}”查一行",
    },
    "more_intro": "以下内容多供核对和编程使用，点击标题展开。",
    "facts": {
        "publisher": "发布机构",
        "topics": "主题",
        "keywords": "关键词",
        "frequency": "更新频率",
        "open_type": "开放类型",
        "version": "版本",
        "modified": "最后更新",
        "created": "首次发布",
        "size": "数据量",
        "size_value": "{rows} 行，{resources} 个资源",
        "id": "标识符",
        "maintainers": "维护者",
        "licence": "许可",
    },
    "list_sep": "、",
    "full_stop": "。",
    "comma": "，",
    "colon": "：",
    "not_english": "",
    "chinese_page": "",
    "report": ("发现数据有误？", "纠错 / 报告问题", "（在本站的代码仓库中提交，已填好数据集和版本）"),
    "report_mail": ("；没有 GitHub 账号也可以", "发邮件纠错", "（邮件的主题和正文已填好）"),
    "request": ("找不到需要的数据？申请开放数据（数据需求）：", "在代码仓库中提出", "发邮件提出"),
    "types": {
        "string": "文本",
        "integer": "整数",
        "number": "数值",
        "date": "日期",
        "datetime": "日期时间",
        "boolean": "布尔",
        "year": "年份",
        "yearmonth": "年月",
        "time": "时间",
    },
    "kinds": {
        "csv": "CSV（UTF-8）",
        "csv-bom": "CSV（UTF-8，带 BOM）",
        "xlsx": "Excel（XLSX）",
        "json": "JSON",
        "parquet": "Parquet",
        "datapackage": "元数据 datapackage.json",
        "zip": "整包下载（ZIP）",
    },
    # Which file for which tool, in the order people look for them.
    "uses": {
        "xlsx": "Excel、WPS 表格",
        "csv-bom": "旧版 Excel（打开 CSV 时中文乱码）",
        "csv": "编程、数据库、统计软件（UTF-8）",
        "json": "网页开发",
        "parquet": "数据分析、SQL（按类型存储，DuckDB、pandas、R 可直接读取）",
        "datapackage": "元数据和表结构（Frictionless）",
        "zip": "整个数据集（含说明和更新记录）",
    },
    "downloads_guide": (
        "按用途选择文件：Excel 或 WPS 用户请下载 XLSX（中文表头，另有“数据字典”工作表）；"
        "旧版 Excel 直接打开 CSV 时中文乱码，请下载带 BOM 的 CSV（内容与 CSV 完全相同，只在开头多 3 个字节）；"
        "编程使用请下载 CSV（UTF-8 编码）；网页开发可用 JSON。SHA-256 用于核对文件是否完整、是否被改动。"
    ),
    "downloads_header": ["适用于", "资源", "文件", "格式", "大小", "SHA-256"],
    "whole_dataset": "整个数据集",
    "not_made": "未生成",
    "note_formulas": (
        "{title}：{n} 个单元格以 = + - @ 等字符开头。XLSX "
        "中保存为文本，不会被当作公式执行；用其他软件导入 CSV 时请按文本导入。"
    ),
    "note_text_numbers": (
        "{title}：{n} 个数值 Excel 无法原样保存（超过 15 位有效数字，或超出 Excel 的数值范围），XLSX "
        "中以文本保存，以免被截断或改变。"
    ),
    "chart_data": "图表数据：",
    "home_chart_data": "数据：",
    "total": "合计",
    "primary_key": "主键：",
    "dictionary_header": ["字段名", "中文名", "类型", "单位", "说明", "取值要求"],
    "profile_intro": "各列概况（构建时根据全部 {rows} 行计算；不同值最多精确计数到 {limit}）：",
    "profile_header": ["字段名", "非空", "不同值", "最小值", "最大值", "最常见的值（行数）", "示例"],
    "more_than": "超过 {limit}",
    "all_different": "各不相同",
    "count": "{value}（{n}）",
    "preview_some": "前 {shown} 行，共 {rows} 行。",
    "preview_all": "全部 {rows} 行。",
    # the table explorer (assets/explorer.js reads these from the page; {slots} filled there)
    "explorer": {
        "search": "在全部列中查找",
        "columns": "按列筛选",
        "choice": ("全部", "（空白）", "最小", "最大"),
        "count": "共 {rows} 行，筛选后 {shown} 行",
        "pager": ("上一页", "下一页", "第 {page} / {pages} 页"),
        "download": "下载筛选结果",
        "file": "{name}-筛选.csv",
        "reset": "清除筛选和排序",
        "empty": "没有符合条件的行。",
        "status": ("正在载入全部数据……", "未能载入数据，下面是静态预览。"),
        "truncated": "全表共 {rows} 行，这里只列出、筛选前 {limit} 行。完整的表请下载 ",
    },
    "snippets": (
        "用 pandas 读取（文本字段按文本读取，保留前导零，不把“NA”等当作空值）：",
        "用 curl 下载并核对 SHA-256：",
        "用 frictionless 读取整个数据包（含字段类型）：",
        "用 DuckDB 对 Parquet 文件运行 SQL（读取网址需要 httpfs 扩展，DuckDB 第一次使用时自动安装）：",
        "用 pandas 读取 Parquet（列已按表结构分类型：代码是文本，数值是精确小数，日期是日期）：",
        "用 polars 读取 Parquet：",
        "用 R 的 arrow 包读取 Parquet：",
    ),
    "cite": "{publisher}. {title}（版本 {version}）[数据集]. {site}, {modified}. {url}",
    "quality_intro": (
        "按开放数据评估通常检查的几个方面打分（参照复旦大学《中国地方政府数据开放报告》“开放数林”的数据层指标和“五星开"
        "放数据”）：开放许可、机器可读、表结构描述、来源、完整性（空单元格的比例）和及时性（按声明的更新频率，"
        "以构建所用提交的日期 {as_of} 为准）。每项 0—100 分，不适用的项不计入总分。"
    ),
    "quality_total": ("总分 ", " / 100（各项的平均）。"),
    "quality_short": "每项 0—100 分，及时性以构建所用提交的日期 {as_of} 为准；评分的方法见",  # then the quality page
    "quality_all": "全部数据集的质量",
    "quality_header": ["方面", "得分", "说明"],
    "not_applicable": "不适用",
    "versions_intro": (
        "每个版本的文件放在固定的网址下，发布后不再改变，可以在代码中长期引用；XLSX 和 JSON 只提供当前版本。"
        "“与上一版本相比”由构建时逐行比较两个版本的数据得出（有主键时按主键）。"
    ),
    "versions_header": ["版本", "日期", "说明", "与上一版本相比", "文件（不会改变）"],
    "current": "（当前）",
    "feed": {  # the Atom feeds of versions and the links to them
        "dataset": "{title}：版本更新",
        "topic": "主题“{name}”：数据集的版本更新",
        "publisher": "{name}：数据集的版本更新",
        "entry": "{title} {version}",
        "subscribe": "订阅",
        "subscribe_hint": "（Atom：每个新版本一条，附与上一版本相比的变化）",
        "versions_json": "全部版本（versions.json）",
    },
    # the home page
    "datasets_count": "个数据集",
    "rows_count": "行数据",
    "publishers_count": "个发布机构",
    "figures": "主要数字",
    "quote": "原文：“{quote}”",
    "figures_source": (
        "数字和原文出自数据集[{title}]({link})（来源：{source}），每个数字都可以在那里下载并核对原文所在段落。"
    ),
    "latest": "最近更新",
    "all_datasets": "查看全部数据集",
    "topics": "主题",
    "paren": "（{n}）",
    "about": "关于本站",
    "about_link": "关于本站与数据政策",
    "home_lede": None,  # the site's description (gongkai.yml site.description)
    "about_text": None,  # the operator's note (gongkai.yml operator.note)
    # the catalog
    "catalog_title": "全部数据集",
    "catalog_intro": (
        "共 {n} 个数据集，按最后更新时间排列。也可以[按主题]({topics})或[按发布机构]({publishers})"
        "浏览；选择下面的条件筛选，筛选条件会写在网址中，可以直接分享。"
    ),
    "facets": {"topic": "主题", "publisher": "发布机构", "frequency": "更新频率", "format": "格式", "year": "数据年份"},
    "facet_all": "全部（{n}）",
    "facet_count": "{value}（{n}）",
    "sort": "排序",
    "sort_modified": "最后更新（新→旧）",
    "sort_title": "名称",
    "shown_all": "共 {n} 个数据集",
    "shown_some": "显示 {shown} 个，共 {n} 个数据集",
    "catalog_header": ["数据集", "发布机构", "主题", "最后更新", "格式"],
    "period": {"instant": "数据时点", "interval": "统计期间"},  # the data period (temporal), by kind
    "card": {"rows": "{n} 行", "keyword": "关键词", "hint": "标题、简介或关键词", "none": "没有符合条件的数据集。"},
    "sort_period": "数据时间（新→旧）",
    # a long catalog or listing in parts (render/listings.py): this page holds the newest, parts the rest
    "parts_intro": "本页列出最近首次发布的 {shown} 个。更早的按首次发布的先后分页，每页 {n} 个：",
    "part_link": "{first} 至 {last} 首次发布（{n} 个）",
    "part_title": "第 {k} 部分",
    "part_intro": "按首次发布的先后，第 {start}—{end} 个数据集（{first} 至 {last} 首次发布），共 {total} 个。",
    "part_back": "最近发布的数据集和筛选",
    "parts_nav": "各部分",
    "parts_loading": "正在载入全部 {n} 个数据集……",
    "parts_failed": "（其余部分未能载入，只筛选了本页列出的数据集）",
    # listings
    "topic_title": "主题：{name}",
    "publisher_title": "发布机构：{name}",
    "publishers": "发布机构",
    "listing_count": "共 {n} 个数据集。",
    "index_count": "（{n} 个数据集）",
    "none": "暂无数据集。",
    "quality_reasons": "扣分的原因",
    "quality_points": "{title} {score} 分。",
    "no_deductions": "没有扣分项。",
    "quality_page_header": ["数据集", "总分"],
    # a withdrawn dataset's page
    "withdrawn_title": "已撤回：{title}",
    "withdrawn_banner": "此数据集已撤回",
    "withdrawn_text": "数据集“{title}”（{name}）已于 {date} 撤回，其全部文件（包括各个版本）不再提供。",
    "withdrawn_reason": "原因：{reason}",
    # the national tables' schemas (render/schemapages.py)
    "schemas": {
        "title": "全国统一表格的表结构",
        "intro": (
            "政府信息公开工作年度报告的全国统一表格（表二、表三、表四）在这里各有一份"
            " Frictionless 表结构（Table Schema），每张表、每种格式一份，带版本号。"
            "数据集的资源可以直接引用这些表结构；本站校验时核对表中的合计（勾稽关系），"
            "合计对不上的单元格会被指出。"
        ),
        "header": ["表格", "格式", "版本", "表结构文件"],
        "formats": {"2019": "2019年试行格式", "2021": "2021年格式", "2019, 2021": "2019年试行格式和2021年格式通用"},
        "heading": "{title}（{format}）",
        "facts_header": ["项目", "内容"],
        "file": "表结构文件",
        "name": "名称",
        "version": "版本",
        "source": "表格来源",
        "article": "条例依据",
        "law": "《中华人民共和国政府信息公开条例》",
        "key": "主键",
        "no_key": "无（原表只有一行数据）",
        "layout": "排列方式",
        "fields_title": "列",
        "fields_header": ["字段名", "列名", "类型", "单位", "必填", "条例依据"],
        "rows_title": "行",
        "rows_intro": "每一行数据的 row_code 和 row_label 取自下表；原表的分组标题不单列一行，写在“所属分组”中。",
        "rows_header": ["行代码", "行名称", "所属分组", "条例依据"],
        "yes": "是",
        "no": "否",
        "sums_title": "核对的合计（勾稽关系）",
        "sums_none": "这张表没有需要核对的合计。",
        "use_title": "在数据集中引用",
        "use_text": "在资源的 schema 中写这份表结构的网址，或站内路径，不必把表结构抄进 datapackage.json：",
        "use_note": (
            "校验时本站读取仓库 schemas/ 中的同一个文件，并按其中的合计规则核对数据；只接受本站发布的表结构，"
            "其他网址或路径一律拒绝。发布的 datapackage.json 中，表结构已展开写入，离线也能使用。"
        ),
        "law_note": "条例依据指《中华人民共和国政府信息公开条例》（2019年修订）的条文。",
    },
    # an annual report's page (render/reportlayout.py): its six parts, in the national formats' order
    "annual_report": {
        "parts": [
            "一、总体情况",
            "二、主动公开政府信息情况",
            "三、收到和处理政府信息公开申请情况",
            "四、政府信息公开行政复议、行政诉讼情况",
            "五、存在的主要问题及改进情况",
            "六、其他需要报告的事项",
        ],
        "intro": (
            "这份年度报告按全国统一格式的六个部分排列，表格与原表的行和列相同；表格浏览器、数据字典和其他信息在后面。"
        ),
        "missing": "本数据集没有收录报告这一部分。",
        "item": "信息内容",
        "column_groups": {"法人或其他组织": "法人或其他组织"},  # the English table names them
    },
}
