# Two commands do all the set-up on a fresh machine:
#   make build   ingest data/raw, dbt build, validations, exports, publish warehouse.duckdb
#   make test    every test (ruff, sqlfluff, pytest: unit, end-to-end, dbt tests)
# Options: make build DOCS=<folder> WAREHOUSE=<file> STRICT=1 [EXPORTS=<folder>] [LOCK_TIMEOUT=<s>]

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DOCS ?= data/raw
WAREHOUSE ?= warehouse.duckdb
STRICT ?=
EXPORTS ?=
LOCK_TIMEOUT ?= 600
PYTEST_ARGS ?=

export DBT_SEND_ANONYMOUS_USAGE_STATS := false
export DO_NOT_TRACK := 1

# sqlfluff's dbt templater compiles the project with the in-memory `lint` target (.sqlfluff),
# so lint never opens or locks a warehouse file.
SQLFLUFF := $(BIN)/sqlfluff lint models
BUILD_FLAGS := --docs $(DOCS) --warehouse $(WAREHOUSE) --lock-timeout $(LOCK_TIMEOUT) \
	$(if $(filter 1 true yes,$(STRICT)),--strict) $(if $(EXPORTS),--exports $(EXPORTS))

.PHONY: build test lint ingest clean venv bench landed-seeds browser

venv: $(STAMP)

# The project itself is installed editable (the `budget-warehouse` command) with the
# setuptools the venv already has: nothing is downloaded for it.
$(STAMP): requirements.txt pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements.txt
	$(BIN)/pip install --quiet --disable-pip-version-check --no-build-isolation --no-deps -e .
	touch $(STAMP)

build: $(STAMP)
	$(BIN)/python -m warehouse build $(BUILD_FLAGS)

ingest: $(STAMP)
	$(BIN)/python -m ingest --docs $(DOCS) --out seeds/landed

# sqlfluff's dbt templater compiles the project, which needs every landed seed file: on a fresh
# clone (or after a new kind of landed file was added) land the bundled documents first.
landed-seeds: $(STAMP)
	@$(BIN)/python -m ingest --if-missing --quiet

lint: $(STAMP) landed-seeds
	@status=0; \
	$(BIN)/ruff check . || status=1; \
	$(SQLFLUFF) || status=1; \
	exit $$status

# The report is checked in a real browser (tests/cli/test_report.py): Debian's chromium and a CJK
# font (for the screenshot), installed with apt-get when missing and allowed (root); without
# them the browser tests skip with a message.
browser:
	@if ! command -v chromium >/dev/null 2>&1 && command -v apt-get >/dev/null 2>&1 \
	    && [ "$$(id -u)" = 0 ]; then \
	  echo "== installing chromium (apt-get)"; \
	  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
	      chromium fonts-wqy-zenhei >/dev/null; } \
	    || echo "chromium could not be installed: the browser tests will be skipped" >&2; \
	fi

# Runs every check even when an earlier one fails, then fails if any did.
test: $(STAMP) landed-seeds browser
	@status=0; \
	echo "== ruff"; $(BIN)/ruff check . || status=1; \
	echo "== sqlfluff"; $(SQLFLUFF) || status=1; \
	echo "== pytest"; $(BIN)/python -m pytest $(PYTEST_ARGS) || status=1; \
	if [ $$status -ne 0 ]; then echo "make test: FAILED (see above)"; fi; \
	exit $$status

# Prints ingest throughput on COPIES copies of the bundled documents (figures, no assertions).
COPIES ?= 40
bench: $(STAMP)
	$(BIN)/python -m benchmarks.bench_ingest --copies $(COPIES) --text-only
	$(BIN)/python -m benchmarks.bench_ingest --copies 2
	$(BIN)/python -m benchmarks.bench_pdf

clean:
	rm -rf target logs exports reports .build seeds/landed/*.csv
