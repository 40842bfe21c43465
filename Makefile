# Two commands do all the set-up on a fresh machine:
#   make build   ingest data/raw, dbt build, validations, exports, publish warehouse.duckdb
#   make test    every test (pytest: unit, end-to-end, dbt tests, lint)
# Options: make build DOCS=<folder> WAREHOUSE=<file> STRICT=1

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DOCS ?= data/raw
WAREHOUSE ?= warehouse.duckdb
STRICT ?=

export DBT_SEND_ANONYMOUS_USAGE_STATS := false
export DO_NOT_TRACK := 1

.PHONY: build test lint ingest clean venv

venv: $(STAMP)

$(STAMP): requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $(STAMP)

ingest: $(STAMP)
	$(BIN)/python -m ingest --docs $(DOCS) --out seeds/landed

clean:
	rm -rf target logs exports reports .build seeds/landed/*.csv
