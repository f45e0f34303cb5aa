# The one way to do each thing; README and CI use these targets.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: install site serve test test-bench validate lint bench browser clean docs-codes

# Create the virtual environment and install gongkai with its test tools.
$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

# Only the Python environment (CI's gate step needs nothing more).
install: $(STAMP)

site: $(STAMP)
	$(BIN)/gongkai build

serve: $(STAMP)
	$(BIN)/gongkai serve

validate: $(STAMP)
	$(BIN)/gongkai validate

# The maintainer's guide's table of problem codes, written from scripts/gongkai/core/problemcodes.py.
docs-codes: $(STAMP)
	$(BIN)/python -m gongkai.core.problemcodes --write docs/guide/maintainers.md

test: $(STAMP) browser
	$(BIN)/python -m pytest

# The benchmark's smoke run (quick mode, checked against frictionless): not in `make test`.
test-bench: $(STAMP)
	$(BIN)/python -m pytest -m bench

# The benchmark: synthetic inputs in a temporary folder; ARGS=--quick for a small run.
bench: test-bench
	$(BIN)/python benchmarks/run.py $(ARGS)

lint: $(STAMP)
	$(BIN)/ruff check scripts tests benchmarks
	$(BIN)/mypy scripts/gongkai

# Browser tests drive Debian's chromium (with CJK fonts for the screenshots and charts); the
# reproducibility test moves the clock with faketime.
# Install what is missing when we can (root or sudo), else say so.
SYSTEM_PACKAGES := chromium fonts-noto-cjk faketime
browser:
	@missing=""; [ -x /usr/bin/chromium ] || missing="chromium"; command -v faketime >/dev/null || missing="$$missing faketime"; \
	[ -d /usr/share/fonts/opentype/noto ] || missing="$$missing fonts-noto-cjk"; \
	if [ -z "$$missing" ]; then :; \
	elif [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(SYSTEM_PACKAGES) >/dev/null; \
	elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(SYSTEM_PACKAGES) >/dev/null; \
	else echo "note: $$missing missing and cannot be installed here; the tests that need them will be skipped"; fi

clean:
	rm -rf build site site.new site.old
