# Two commands do all the set-up on a fresh machine:
#   make build   ingest data/raw, dbt build, validations, exports, publish warehouse.duckdb
#   make test    every test (ruff, sqlfluff, pytest: unit, end-to-end, dbt tests)
# Options: make build DOCS=<folder> WAREHOUSE=<file> STRICT=1 [EXPORTS=<folder>] [LOCK_TIMEOUT=<s>]
#          make build ENGINE=spark   the same dbt project on Spark (ingest + dbt build only)

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
SPARK_STAMP := $(VENV)/.spark-installed
ENGINE ?= duckdb
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
	$(if $(filter 1 true yes,$(STRICT)),--strict) $(if $(EXPORTS),--exports $(EXPORTS)) \
	--engine $(ENGINE)

.PHONY: build test lint ingest clean venv bench landed-seeds browser spark-venv spark-java native \
	compiled

venv: $(STAMP)

# The project itself is installed editable (the `budget-warehouse` command) with the
# setuptools the venv already has: nothing is downloaded for it. The PDF reader's native loop
# is built with it (`make native`).
$(STAMP): requirements.txt pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements.txt
	$(BIN)/pip install --quiet --disable-pip-version-check --no-build-isolation --no-deps -e .
	$(MAKE) --no-print-directory native
	touch $(STAMP)

# The pdfium reader's loops over a page's characters and paths in C (ingest/pdf_native.py loads
# them; rebuilt when the source changes): a plain shared library, no Python headers, no linking
# against pdfium. The C compiler is installed with apt-get when missing and allowed (root);
# without one the reader keeps its Python loops (slower, the same pages) and the test that the
# native loops are in use skips.
NATIVE_SRC := ingest/native/pdfium_loops.c
NATIVE_LIB := ingest/native/libpdfium_loops.so
native: $(NATIVE_LIB)

$(NATIVE_LIB): $(NATIVE_SRC)
	@if ! command -v $(CC) >/dev/null 2>&1 && command -v apt-get >/dev/null 2>&1 \
	    && [ "$$(id -u)" = 0 ]; then \
	  echo "== installing a C compiler (apt-get gcc)"; \
	  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
	      gcc >/dev/null; } \
	    || echo "gcc could not be installed: the PDF reader keeps its Python loops" >&2; \
	fi; \
	if command -v $(CC) >/dev/null 2>&1; then \
	  $(CC) -O2 -Wall -shared -fPIC -o $@.tmp $< && mv $@.tmp $@ && echo "== built $@"; \
	else \
	  echo "no C compiler ($(CC)): the PDF reader keeps its Python loops (slower);" \
	    "install one and run make native" >&2; \
	fi

# Ingest's hot modules compiled with mypyc into .build/mypyc (ingest/compiled_build.py; loaded by
# ingest/compiled.py only while every compiled source is the one built: INGEST_PURE=1 keeps pure
# Python). mypy/mypyc come from requirements-mypyc.txt in their own venv, .venv-mypyc (mypy 2.x
# needs a pathspec dbt-core refuses), made from .venv's Python. Rebuilt when a compiled source
# changes (~80 CPU s). Without a C compiler, or should the build fail, one warning and ingest
# runs pure Python (slower, the same results): never a failed make.
MYPYC_VENV := .venv-mypyc
MYPYC_STAMP := $(MYPYC_VENV)/.installed
COMPILED := .build/mypyc/manifest.json
# make looks at every ingest source's time; whether the build is stale is the loader's own test
# (ingest.compiled.compiled_extensions: the manifest's digests, for MODULES, its one list), so a
# source touched but not changed, or a module that is not compiled, costs no build.
COMPILED_SOURCES := $(wildcard ingest/*.py) $(wildcard ingest/native/*.c) requirements-mypyc.txt
compiled: $(COMPILED)

$(COMPILED): $(STAMP) $(COMPILED_SOURCES)
	@if INGEST_PURE=1 $(BIN)/python -c "import sys; from ingest.compiled import \
	    compiled_extensions; sys.exit(compiled_extensions()[0] is None)" 2>/dev/null; then \
	  touch $@; exit 0; \
	fi; \
	if ! command -v $(CC) >/dev/null 2>&1 && command -v apt-get >/dev/null 2>&1 \
	    && [ "$$(id -u)" = 0 ]; then \
	  echo "== installing a C compiler (apt-get gcc)"; \
	  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
	      gcc >/dev/null; } || true; \
	fi; \
	mkdir -p .build; \
	if ! command -v $(CC) >/dev/null 2>&1; then \
	  echo "warning: no C compiler ($(CC)): ingest runs pure Python (slower);" \
	    "install one and run make compiled" >&2; \
	elif ! { [ $(MYPYC_STAMP) -nt requirements-mypyc.txt ] || \
	    { $(BIN)/python -m venv $(MYPYC_VENV) \
	      && $(MYPYC_VENV)/bin/pip install --quiet --disable-pip-version-check \
	           -r requirements-mypyc.txt \
	      && touch $(MYPYC_STAMP); }; } >.build/mypyc-build.log 2>&1; then \
	  echo "warning: mypyc could not be installed (.build/mypyc-build.log): ingest runs" \
	    "pure Python (slower)" >&2; \
	else \
	  echo "== compiling ingest with mypyc (a few minutes; log in .build/mypyc-build.log)"; \
	  if $(MYPYC_VENV)/bin/python -m ingest.compiled_build >.build/mypyc-build.log 2>&1; then \
	    tail -1 .build/mypyc-build.log; \
	  else \
	    echo "warning: the mypyc build failed (.build/mypyc-build.log): ingest runs pure" \
	      "Python (slower)" >&2; \
	  fi; \
	fi

build: $(STAMP) native compiled $(if $(filter spark,$(ENGINE)),$(SPARK_STAMP) spark-java)
	$(BIN)/python -m warehouse build $(BUILD_FLAGS)

# The Spark build and its smoke test (tests/test_spark_smoke.py): dbt-spark and pyspark from
# requirements-spark.txt (not paid for by the DuckDB build), and Java 17, installed with
# apt-get when missing and allowed (root); without Java the smoke test skips with a message.
spark-venv: $(SPARK_STAMP)

$(SPARK_STAMP): $(STAMP) requirements-spark.txt
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements-spark.txt
	touch $(SPARK_STAMP)

spark-java:
	@if ! command -v java >/dev/null 2>&1 && [ -z "$$JAVA_HOME" ] \
	    && command -v apt-get >/dev/null 2>&1 && [ "$$(id -u)" = 0 ]; then \
	  echo "== installing Java 17 for Spark (apt-get openjdk-17-jre-headless)"; \
	  mkdir -p /usr/share/man/man1; \
	  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
	      openjdk-17-jre-headless >/dev/null; } \
	    || echo "Java could not be installed: the Spark smoke test will be skipped" >&2; \
	fi

ingest: $(STAMP) native compiled
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
test: $(STAMP) $(SPARK_STAMP) native compiled landed-seeds browser spark-java
	@status=0; \
	echo "== ruff"; $(BIN)/ruff check . || status=1; \
	echo "== sqlfluff"; $(SQLFLUFF) || status=1; \
	echo "== pytest"; $(BIN)/python -m pytest $(PYTEST_ARGS) || status=1; \
	if [ $$status -ne 0 ]; then echo "make test: FAILED (see above)"; fi; \
	exit $$status

# Prints, for BENCH_SIZES generated documents and the bundled PDFs, documents/s, seconds per
# step (wall and CPU), peak memory, a no-change and a one-document rebuild, and dbt beside the
# same SQL run directly in DuckDB; writes the table to BENCHMARKS.md (figures, no assertions).
# Then ingest throughput (documents/s per core, one process, no cache) on COPIES copies of the
# bundled texts and on INGEST_GENERATED generated text documents.
BENCH_SIZES ?= 100,1000,10000
COPIES ?= 40
INGEST_GENERATED ?= 1000
bench: $(STAMP) native compiled
	$(BIN)/python -m benchmarks.bench_build --sizes $(BENCH_SIZES)
	$(BIN)/python -m benchmarks.bench_ingest --copies $(COPIES) --text-only --generated $(INGEST_GENERATED) --out BENCHMARKS.md

clean:
	rm -rf target logs exports reports .build seeds/landed/*.csv metastore_db derby.log spark-warehouse
	rm -f $(NATIVE_LIB)
