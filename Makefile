# The one way to do each thing; README and CI use these targets.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: install site serve test test-quick test-bench site-diff validate lint bench browser vnu audit clean docs-codes duckdb

# Create the virtual environment and install gongkai with its test tools.
$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

# Only the Python environment (CI's gate step needs nothing more).
install: $(STAMP)

site: $(STAMP) duckdb
	$(BIN)/gongkai build

serve: $(STAMP) duckdb
	$(BIN)/gongkai serve

validate: $(STAMP)
	$(BIN)/gongkai validate

# The maintainer's guide's table of problem codes, written from scripts/gongkai/core/problemcodes.py.
docs-codes: $(STAMP)
	$(BIN)/python -m gongkai.core.problemcodes --write docs/guide/maintainers.md

# DuckDB-Wasm for the query pages (tools/duckdb/ pins it): installed with Debian's nodejs and npm,
# its browser module bundled with Apache Arrow into tools/duckdb/dist/, which the build publishes.
duckdb: tools/duckdb/dist/duckdb.mjs
tools/duckdb/dist/duckdb.mjs: tools/duckdb/package.json tools/duckdb/package-lock.json tools/duckdb/entry.mjs
	@command -v npm >/dev/null || { [ "$$(id -u)" = 0 ] && apt-get install -y -qq nodejs npm >/dev/null; } || \
	{ echo "make duckdb needs nodejs and npm (apt-get install nodejs npm)"; exit 1; }
	npm ci --prefix tools/duckdb --no-audit --no-fund --loglevel=error
	npm run --prefix tools/duckdb --silent bundle

# Every test on every core (pytest-xdist; a test file stays on one worker, so its module
# fixtures are built once).
test: $(STAMP) browser vnu duckdb
	$(BIN)/python -m pytest -n auto --dist loadfile

# For contributors: everything but the browser tests, and a tenth of each property's examples
# (the hypothesis profile "quick", tests/conftest.py).
test-quick: $(STAMP)
	GONGKAI_HYPOTHESIS=quick $(BIN)/python -m pytest -n auto --dist loadfile -m "not browser and not bench"

# The benchmark's smoke run (quick mode, checked against frictionless): not in `make test`.
test-bench: $(STAMP)
	$(BIN)/python -m pytest -m bench

# The benchmark: synthetic inputs in a temporary folder; ARGS=--quick for a small run.
bench: test-bench
	$(BIN)/python benchmarks/run.py $(ARGS)

# The site of REF and of the working tree, each built fresh in a git worktree, compared byte for byte.
REF ?= main~1
site-diff: $(STAMP)
	$(BIN)/python tools/sitediff.py $(REF)

lint: $(STAMP)
	$(BIN)/ruff check scripts tests benchmarks tools
	$(BIN)/ruff format --check scripts tests benchmarks tools
	$(BIN)/mypy scripts/gongkai

# Browser tests drive Debian's chromium (with CJK fonts for the screenshots and charts); the
# reproducibility test moves the clock with faketime; the Nu HTML Checker (make vnu) runs on Java;
# the download store's test (tests/test_storage.py) serves and uploads with rclone.
# Install only what is missing when we can (root or sudo), else say so: a machine whose Node.js
# comes from elsewhere keeps it (Debian's npm conflicts with a nodejs that bundles its own).
# The packages the tests need: chromium fonts-noto-cjk faketime default-jre-headless nodejs npm rclone
browser:
	@missing=""; [ -x /usr/bin/chromium ] || missing="chromium"; command -v faketime >/dev/null || missing="$$missing faketime"; \
	[ -d /usr/share/fonts/opentype/noto ] || missing="$$missing fonts-noto-cjk"; command -v java >/dev/null || missing="$$missing default-jre-headless"; \
	command -v npm >/dev/null || missing="$$missing nodejs npm"; command -v rclone >/dev/null || missing="$$missing rclone"; \
	if [ -z "$$missing" ]; then :; \
	elif [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	else echo "note: $$missing missing and cannot be installed here; the tests that need them will be skipped"; fi

# The Nu HTML Checker (vnu.jar, pinned in tools/vnu/) for tests/test_vnu.py; Java comes from `make browser`.
# Installed again only when the lockfile is newer than the installed copy.
vnu: browser
	@if [ tools/vnu/node_modules/.package-lock.json -nt tools/vnu/package-lock.json ]; then :; \
	elif command -v npm >/dev/null; then npm ci --prefix tools/vnu --no-audit --no-fund --loglevel=error; \
	else echo "note: npm missing; tests/test_vnu.py will be skipped"; fi

# Lighthouse on the home, catalog and a dataset page of the built site (not in `make test`: its
# performance figure needs an idle machine). tools/audit/ pins lighthouse; Debian's nodejs and npm.
audit: site browser
	@command -v npm >/dev/null || { [ "$$(id -u)" = 0 ] && apt-get install -y -qq nodejs npm >/dev/null; } || \
	{ echo "make audit needs nodejs and npm (apt-get install nodejs npm)"; exit 1; }
	npm ci --prefix tools/audit --no-audit --no-fund --loglevel=error
	$(BIN)/python tools/audit.py

clean:
	rm -rf build site site.new site.old tools/audit/node_modules tools/vnu/node_modules tools/duckdb/node_modules tools/duckdb/dist
