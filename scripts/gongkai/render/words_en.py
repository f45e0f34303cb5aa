"""The English words of the generated pages (messages.py puts the languages together)."""

from __future__ import annotations

from typing import Any

EN: dict[str, Any] = {
    "lang": "en",
    "sections": {
        "downloads": "Downloads",
        "quality": "Data quality",
        "charts": "Charts",
        "crosstabs": "Counts",
        "dictionary": "Data dictionary",
        "preview": "Data preview",
        "snippets": "Code examples",
        "sources": "Sources",
        "readme": "About the data (in Chinese)",
        "licenses": "Licence",
        "changelog": "Changelog (in Chinese)",
        "cite": "Cite",
        "versions": "Versions",
        "data": "Data",
        "more": "More information",
        "files": "Every file, with its SHA-256",
        "profile": "Column profile",
        "metadata": "Metadata",
    },
    "get": {
        "xlsx": "Download Excel",
        "csv": "Download CSV",
        "more": "Other formats (CSV with BOM, JSON, Parquet, metadata, whole ZIP)",
        "rows": "{rows} rows",
        "hint": (
            "Choose Excel for Excel or WPS; if an old Excel shows garbled Chinese in the CSV, use the CSV with BOM."
        ),
    },
    "query": {
        "link": "Query this dataset with SQL",
        "link_hint": "runs in your browser, nothing to install",
        "title": "Query with SQL: {title}",
        "intro": (
            "Run SQL on this dataset's Parquet files with DuckDB in your browser: the files are read from this site "
            "and the query runs on your computer, through no server. Each resource is a table named as below."
        ),
        "tables": "Tables",
        "table_row": "{rows} rows · file {file} · columns: {columns}",
        "examples": "Example queries",
        "sql": "SQL",
        "run": "Run",
        "download": "Download result as CSV",
        "back": "Back to the dataset page",
        "loading": "Loading the query engine (about 35 MB, downloaded the first time only)…",
        "ready": "Ready to query.",
        "running": "Running…",
        "result": "{rows} rows in {ms} ms.",
        "truncated": "Showing the first {shown} rows; the CSV download holds all {rows}.",
        "error": "The query failed: {message}",
        "error_hint": "Check the table and column names (case-sensitive; quote names with hyphens) and the SQL.",
        "not_select": "Only queries can run (SELECT, WITH, DESCRIBE…); data cannot be changed.",
        "engine_failed": (
            "The query engine did not load: {message}. Try a newer browser, or download the Parquet files."
        ),
        "no_engine": "This site was built without the query engine (DuckDB-Wasm); download the Parquet files instead.",
        "noscript": (
            "Queries run as JavaScript in your browser. You can also download the Parquet files and use the code "
            "on the dataset page."
        ),
        "null": "(empty)",
        "error_table": "there is no table named {name}",
        "error_column": "there is no column named {name}",
        "error_syntax": "a syntax error near {near}",
        "example_rows": "First 100 rows",
        "example_crosstab": "{title}: counts by two columns",
        "example_group": "Counts by “{column}”",
        "example_key": "One row by “{column}”",
    },
    "site_updated": "Updated on this site",
    "more_intro": "Mostly for checking and for programmers: open a heading to see it.",
    "facts": {
        "publisher": "Publisher",
        "topics": "Topics",
        "keywords": "Keywords",
        "frequency": "Update frequency",
        "open_type": "Open type",
        "version": "Version",
        "modified": "Last updated",
        "created": "First published",
        "size": "Rows",
        "size_value": "{rows} in {resources} resource(s)",
        "id": "Identifier",
        "maintainers": "Maintainers",
        "licence": "Licence",
    },
    "list_sep": ", ",
    "full_stop": ". ",
    "comma": ", ",
    "colon": ": ",
    "not_english": " (no English title given: shown in Chinese)",
    "chinese_page": "The same page in Chinese: ",
    "report": (
        "Found a mistake in the data? ",
        "Report it",
        " (opens an issue in the site's repository with the dataset and version filled in)",
    ),
    "report_mail": ("; without a GitHub account, ", "report it by e-mail", " (subject and text filled in)"),
    "request": ("Cannot find the data you need? Request a dataset: ", "open an issue", "by e-mail"),
    "types": {
        "string": "text",
        "integer": "integer",
        "number": "number",
        "date": "date",
        "datetime": "date and time",
        "boolean": "true/false",
        "year": "year",
        "yearmonth": "year and month",
        "time": "time",
    },
    "kinds": {
        "csv": "CSV (UTF-8)",
        "csv-bom": "CSV (UTF-8 with BOM)",
        "xlsx": "Excel (XLSX)",
        "json": "JSON",
        "parquet": "Parquet",
        "datapackage": "datapackage.json",
        "zip": "ZIP",
    },
    "uses": {
        "xlsx": "Excel, WPS",
        "csv-bom": "Old Excel versions (garbled Chinese in CSV)",
        "csv": "Programs, databases, statistics (UTF-8)",
        "json": "Web development",
        "parquet": "Analysis and SQL (typed columns, read by DuckDB, pandas, R)",
        "datapackage": "Metadata and schema (Frictionless)",
        "zip": "Whole dataset (with README and changelog)",
    },
    "downloads_guide": (
        "Choose by tool: XLSX for Excel or WPS (Chinese headers, with a data-dictionary sheet); the CSV with a byte "
        "order mark when an old Excel shows garbled Chinese; CSV (UTF-8) for programs; JSON for the web. SHA-256 lets "
        "you check a file is complete and unchanged."
    ),
    "downloads_header": ["Use", "Resource", "File", "Format", "Size", "SHA-256"],
    "whole_dataset": "Whole dataset",
    "not_made": "not produced",
    "note_formulas": (
        "{title}: {n} cells start with = + - @ or similar. The XLSX keeps them "
        "as text, never as formulas; import the CSV as text in other programs."
    ),
    "note_text_numbers": (
        "{title}: {n} numbers cannot be held by Excel as they are (more than 15 significant digits, or beyond Excel's "
        "range); the XLSX keeps them as text."
    ),
    "chart_data": "Chart data: ",
    "home_chart_data": "Data: ",
    "total": "Total",
    "primary_key": "Primary key: ",
    "dictionary_header": ["Field", "Title", "Type", "Unit", "Description", "Values must be"],
    "profile_intro": (
        "The columns as the data show them (computed from all {rows} rows "
        "at build time; distinct values counted exactly up to {limit}):"
    ),
    "profile_header": ["Field", "Non-empty", "Distinct", "Lowest", "Highest", "Most frequent (rows)", "Examples"],
    "more_than": "more than {limit}",
    "all_different": "all different",
    "count": "{value} ({n})",
    "preview_some": "The first {shown} of {rows} rows.",
    "preview_all": "All {rows} rows.",
    "explorer": {
        "search": "Find in all columns",
        "columns": "Filter by column",
        "choice": ("All", "(blank)", "Min", "Max"),
        "count": "{rows} rows, {shown} after filtering",
        "pager": ("Previous", "Next", "Page {page} of {pages}"),
        "download": "Download filtered rows",
        "file": "{name}-filtered.csv",
        "reset": "Clear filters and sorting",
        "empty": "No rows match.",
        "status": ("Loading all rows…", "The data could not be loaded; the static preview is below."),
        "truncated": "The table has {rows} rows; only the first {limit} are listed and filtered here. All of it: ",
    },
    "snippets": (
        "Read with pandas (text fields as text, leading zeros kept, “NA” not read as missing):",
        "Download with curl and check the SHA-256:",
        "Read the whole data package with frictionless (with field types):",
        "Run SQL on the Parquet file with DuckDB (reading a URL needs the httpfs extension, installed on first use):",
        "Read the Parquet file with pandas (typed by the schema: codes as text, exact decimals, dates as dates):",
        "Read the Parquet file with polars:",
        "Read the Parquet file with R's arrow package:",
    ),
    "cite": "{publisher}. {title} (version {version}) [dataset]. {site}, {modified}. {url}",
    "quality_intro": (
        "Scored on what open-data assessments usually check (after Fudan University's Open Data Forest index and "
        "five-star open data): open licence, machine-readable formats, a described schema, sources, completeness (the "
        "share of empty cells) and timeliness (against the declared update frequency, as of {as_of}, the date of the "
        "commit built). Each 0–100; criteria that do not apply are left out of the total."
    ),
    "quality_total": ("Total ", " / 100 (the mean of the criteria). "),
    "quality_short": "Each 0–100, timeliness as of {as_of}, the date of the commit built; how they are scored: ",
    "quality_all": "Quality of all datasets",
    "quality_header": ["Criterion", "Score", "Why"],
    "not_applicable": "n/a",
    "versions_intro": (
        "Each version's files stay at fixed addresses and never change once published, so code can link them for "
        "good; XLSX and JSON are offered for the current version only. “Compared with the version before” is computed "
        "at build time, row by row (by primary key where there is one)."
    ),
    "versions_header": ["Version", "Date", "Note", "Compared with the version before", "Files (never change)"],
    "current": " (current)",
    "feed": {
        "dataset": "{title}: new versions",
        "topic": "Topic “{name}”: new versions of its datasets",
        "publisher": "{name}: new versions of its datasets",
        "entry": "{title} {version}",
        "subscribe": "Subscribe",
        "subscribe_hint": " (Atom: one entry per new version, with what it changed)",
        "versions_json": "Every version (versions.json)",
    },
    "datasets_count": "datasets",
    "rows_count": "rows of data",
    "publishers_count": "publishers",
    "figures": "Key figures",
    "quote": "Source text: “{quote}”",
    "figures_source": (
        "Figures and quotations from the dataset [{title}]({link}) (source: {source}); each can be downloaded and "
        "checked against its paragraph there."
    ),
    "latest": "Recently updated",
    "all_datasets": "All datasets",
    "topics": "Topics",
    "paren": " ({n})",
    "about": "About this site",
    "about_link": "About this site and its data policy",
    "home_lede": (
        "An open catalogue of data published under China's Regulations on the Disclosure of Government Information "
        "(政府信息公开条例): {n} datasets, {rows} rows from {publishers} publishers, each figure with its source. "
        "Pages are in Chinese with an English interface; titles and "
        "descriptions are in English where the publisher gives them."
    ),
    "about_text": (
        "This site is run by the gongkai open-source project. It republishes and organises government information "
        "from the sources named on each page; it is not an official government website. Every download is described "
        "by a Frictionless data package; machine-readable catalogues: "
        "catalog.json, catalog.jsonld (DCAT-AP) and feed.xml (Atom)."
    ),
    "catalog_title": "All datasets",
    "catalog_intro": (
        "{n} datasets, most recently updated first. Browse [by topic]({topics}) or [by "
        "publisher]({publishers}), or filter below; the filters are kept in the address, to share."
    ),
    "facets": {
        "topic": "Topic",
        "publisher": "Publisher",
        "frequency": "Update frequency",
        "format": "Format",
        "year": "Data year",
    },
    "facet_all": "All ({n})",
    "facet_count": "{value} ({n})",
    "sort": "Sort",
    "sort_modified": "Last updated (newest first)",
    "sort_title": "Title",
    "shown_all": "{n} datasets",
    "shown_some": "{shown} of {n} datasets",
    "catalog_header": ["Dataset", "Publisher", "Topics", "Last updated", "Formats"],
    "period": {"instant": "Data date", "interval": "Period covered"},
    "card": {"rows": "{n} rows", "keyword": "Keyword", "hint": "title, description, keyword", "none": "No matches."},
    "sort_period": "Data period (newest first)",
    "parts_intro": (
        "This page lists the {shown} first published most recently. Earlier ones are in parts of {n}, in the order "
        "they were first published:"
    ),
    "part_link": "first published {first} to {last} ({n})",
    "part_title": "part {k}",
    "part_intro": "Datasets {start}–{end} of {total} in the order they were first published ({first} to {last}).",
    "part_back": "The latest datasets, and the filters",
    "parts_nav": "Parts",
    "parts_loading": "Loading all {n} datasets…",
    "parts_failed": " (the other parts could not be loaded: only the datasets listed on this page were filtered)",
    "topic_title": "Topic: {name}",
    "publisher_title": "Publisher: {name}",
    "publishers": "Publishers",
    "listing_count": "{n} datasets.",
    "index_count": " ({n} datasets)",
    "none": "No datasets yet.",
    "quality_reasons": "Why points were taken off",
    "quality_points": "{title} {score} points. ",
    "no_deductions": "No points taken off.",
    "quality_page_header": ["Dataset", "Total"],
    "withdrawn_title": "Withdrawn: {title}",
    "withdrawn_banner": "This dataset has been withdrawn",
    "withdrawn_text": (
        "The dataset “{title}” ({name}) was withdrawn on {date}; "
        "none of its files (of any version) is published any more."
    ),
    "withdrawn_reason": "Reason: {reason}",
    # the national tables' schemas (render/schemapages.py)
    "schemas": {
        "title": "Table schemas of the national report tables",
        "intro": (
            "The national tables of the annual reports on government information disclosure (tables 2, 3 and 4) each "
            "have a versioned Frictionless Table Schema here, one per table and format. A dataset's resource can refer "
            "to one of them; validation then checks the table's sums and names every cell that does not add up."
        ),
        "header": ["Table", "Format", "Version", "Schema file"],
        "formats": {"2019": "2019 trial format", "2021": "2021 format", "2019, 2021": "2019 trial and 2021 formats"},
        "heading": "{title} ({format})",
        "facts_header": ["Item", "Value"],
        "file": "Schema file",
        "name": "Name",
        "version": "Version",
        "source": "Source of the table",
        "article": "Legal basis",
        "law": "Regulations on the Disclosure of Government Information, ",
        "key": "Primary key",
        "no_key": "none (the official table has one line of figures)",
        "layout": "Layout",
        "fields_title": "Columns",
        "fields_header": ["Field", "Column", "Type", "Unit", "Required", "Article"],
        "rows_title": "Rows",
        "rows_intro": (
            "Each line's row_code and row_label come from this list; the table's group headings are not lines of "
            "their own but each row's group."
        ),
        "rows_header": ["Row code", "Row label", "Group", "Article"],
        "yes": "yes",
        "no": "no",
        "sums_title": "Sums checked",
        "sums_none": "This table has no sums to check.",
        "use_title": "Using it in a dataset",
        "use_text": "Write the schema's URL, or its path on this site, as the resource's schema instead of copying it:",
        "use_note": (
            "Validation reads the same file from the repository's schemas/ folder and checks the data against its "
            "sums; only the schemas this site publishes are accepted, any other URL or path is refused. The published "
            "datapackage.json holds the schema written out, so it works offline too."
        ),
        "law_note": (
            "Articles are those of the Regulations of the People's Republic of China on the Disclosure of Government "
            "Information (revised 2019); rows and columns keep their official Chinese labels."
        ),
    },
    # an annual report's page (render/reportlayout.py): its six parts, in the national formats' order
    "annual_report": {
        "parts": [
            "I. Overview",
            "II. Government information disclosed on the body's own initiative",
            "III. Applications for government information received and processed",
            "IV. Administrative reviews and lawsuits over government information disclosure",
            "V. Main problems and how they are being addressed",
            "VI. Other matters to report",
        ],
        "intro": (
            "This annual report is laid out in the six parts of the national format, its tables with the official "
            "rows and columns; the table explorer, the data dictionary and the rest follow. The report's text "
            "is in Chinese."
        ),
        "missing": "This dataset does not hold this part of the report.",
        "item": "Item",
        "column_groups": {"法人或其他组织": "Legal persons and other organisations"},
    },
}
