"""The same dbt project builds on Apache Spark and gives the DuckDB build's rows (issue 13).

``budget-warehouse build --engine spark --no-data-tests`` (ingest, the seeds as Parquet
sources, every model and unit test on a local Spark through dbt-spark's session method) on the
documents of the ``published`` DuckDB build (the bundled documents plus a file that is no
disclosure); then every row of ``fct_expenditure_by_function``, ``fct_budget_summary``,
``audit_reconciliation`` and ``mart_budget_execution``, read from the Spark marts' Parquet files with DuckDB, must equal the
DuckDB build's, and their columns must have the same names and types. Skips only when there
is no Java (``make test`` installs openjdk-17-jre-headless with apt-get when it can); a missing
pyspark or dbt-spark is a failure (``make test`` installs requirements-spark.txt).
"""

from __future__ import annotations

import datetime as dt
import re
import time
from decimal import Decimal

import duckdb
import pytest
from warehouse_build import ROOT, Published, run_cli

from warehouse.spark_step import SparkPaths, java_problem, pyspark_problem, write_seeds_parquet

COMPARED = (
    "fct_expenditure_by_function",
    "fct_budget_summary",
    "audit_reconciliation",
    "mart_budget_execution",
)
LEFTOVERS = ("metastore_db", "derby.log", "spark-warehouse")


def _seconds(stdout: str, pattern: str) -> float | None:
    found = re.search(pattern, stdout)
    return float(found.group(1)) if found else None


def test_java_problem_says_how_to_install_java(monkeypatch: pytest.MonkeyPatch) -> None:
    """Without Java the smoke test skips with this reason (the only reason it may skip)."""
    monkeypatch.delenv("JAVA_HOME", raising=False)
    monkeypatch.setenv("PATH", "/nonexistent")
    problem = java_problem()
    assert problem is not None
    assert "make spark-java" in problem and "openjdk-17-jre-headless" in problem


def test_seeds_parquet_keeps_text_as_the_seeds_do(tmp_path) -> None:
    """Codes keep their leading zeros, amounts their printed digits, an empty field is null
    (as dbt-duckdb loads the seed); a CSV of the previous build that is gone leaves nothing."""
    csv = tmp_path / "landed_table_cells.csv"
    csv.write_text('code,amount,row_label\n0301,"1,234.50",\n2010350,12.3000,"a, b"\n', "utf-8")
    out = tmp_path / "parquet"
    (out / "stale").mkdir(parents=True)
    assert write_seeds_parquet([csv], out) == {"landed_table_cells": 2}
    assert sorted(p.name for p in out.iterdir()) == ["landed_table_cells"]
    with duckdb.connect() as con:
        relation = f"read_parquet('{out}/landed_table_cells/*.parquet')"
        rows = con.execute(f"select * from {relation} order by code").fetchall()
        kinds = {k for _, k, *_ in con.execute(f"describe select * from {relation}").fetchall()}
    assert rows == [("0301", "1,234.50", None), ("2010350", "12.3000", "a, b")]
    assert kinds == {"VARCHAR"}


@pytest.fixture(scope="module")
def spark(published: Published, tmp_path_factory: pytest.TempPathFactory) -> SparkPaths:
    problem = java_problem()
    if problem:
        pytest.skip(f"Spark smoke test skipped: Java could not be installed here ({problem})")
    problem = pyspark_problem()
    if problem:
        pytest.fail(problem)
    before = {name: (ROOT / name).exists() for name in LEFTOVERS}
    root = tmp_path_factory.mktemp("spark") / "spark"
    started = time.perf_counter()
    result = run_cli(
        "build", "--engine", "spark", "--no-data-tests",
        "--docs", published.docs, "--spark-dir", root,
        timeout=2400,
    )  # fmt: skip
    seconds = time.perf_counter() - started
    duckdb_seconds = _seconds(published.second.stdout, r"published .* in ([0-9.]+) s")
    dbt_duckdb = _seconds(published.second.stdout, r"\[4/7\] dbt build\s+([0-9.]+) s")
    print(
        f"\nSpark build (ingest + dbt models and unit tests, JVM start-up included): "
        f"exit {result.returncode} in {seconds:.1f} s; the DuckDB build of the same documents: "
        f"{duckdb_seconds} s (its dbt build with every data test: {dbt_duckdb} s)"
    )
    print(result.stdout[-3000:])
    if result.returncode != 0:
        pytest.fail(
            f"Spark build failed (exit {result.returncode}):\n{result.stdout[-6000:]}\n"
            f"{result.stderr[-6000:]}"
        )
    for name in LEFTOVERS:  # Spark's own files stay in the Spark folder
        assert (ROOT / name).exists() == before[name], f"the Spark build left {name} in {ROOT}"
    return SparkPaths.create(docs=published.docs, root=root)


def _normalise(value: object) -> object:
    """One spelling per value: decimals without trailing zeros (Spark and DuckDB may keep
    different scales for one number), dates as ISO text."""
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def _sort_key(row: tuple) -> tuple:
    return tuple((value is None, str(value)) for value in row)


def _rows(con: duckdb.DuckDBPyConnection, relation: str) -> tuple[list[str], list[tuple]]:
    result = con.execute(f"select * from {relation}")
    columns = [d[0] for d in result.description]
    rows = [tuple(_normalise(v) for v in row) for row in result.fetchall()]
    return columns, sorted(rows, key=_sort_key)


def _types(con: duckdb.DuckDBPyConnection, relation: str) -> dict[str, str]:
    return {
        name: kind
        for name, kind, *_ in con.execute(f"describe select * from {relation}").fetchall()
    }


def _spark_relation(spark: SparkPaths, mart: str) -> str:
    files = sorted(spark.mart(mart).glob("*.parquet"))
    assert files, f"{spark.mart(mart)}: Spark wrote no Parquet file for {mart}"
    return f"read_parquet('{spark.mart(mart)}/*.parquet')"


@pytest.mark.e2e
@pytest.mark.parametrize("mart", COMPARED)
def test_spark_mart_equals_duckdb(spark: SparkPaths, published: Published, mart: str) -> None:
    with duckdb.connect(str(published.warehouse), read_only=True) as con:
        duck_columns, duck_rows = _rows(con, f"marts.{mart}")
        duck_types = _types(con, f"marts.{mart}")
    with duckdb.connect() as con:
        spark_columns, spark_rows = _rows(con, _spark_relation(spark, mart))
        spark_types = _types(con, _spark_relation(spark, mart))
    assert spark_columns == duck_columns
    assert spark_types == duck_types, "column types differ (Spark's Parquet as DuckDB reads it)"
    assert duck_rows, f"{mart} is empty on DuckDB: nothing was compared"
    only_duck = sorted(set(duck_rows) - set(spark_rows), key=_sort_key)
    only_spark = sorted(set(spark_rows) - set(duck_rows), key=_sort_key)
    assert not only_duck and not only_spark, (
        f"{mart}: {len(only_duck)} row(s) only on DuckDB, {len(only_spark)} only on Spark; "
        f"first: DuckDB {only_duck[:3]} Spark {only_spark[:3]}"
    )
    assert spark_rows == duck_rows  # the same rows, the same number of times
    print(f"{mart}: {len(duck_rows)} rows equal on Spark and DuckDB")


@pytest.mark.e2e
def test_spark_reads_the_seeds_as_parquet_sources(spark: SparkPaths) -> None:
    """Every landed and reference CSV became one Parquet source table, all columns text."""
    landed = sorted(p.stem for p in spark.landed.glob("*.csv"))
    reference = sorted(p.stem for p in (ROOT / "seeds" / "reference").glob("*.csv"))
    written = sorted(p.name for p in spark.parquet.iterdir())
    assert written == sorted(landed + reference)
    with duckdb.connect() as con:
        kinds = {
            kind
            for name in written
            for _, kind, *_ in con.execute(
                f"describe select * from read_parquet('{spark.parquet / name}/*.parquet')"
            ).fetchall()
        }
    assert kinds == {"VARCHAR"}


@pytest.mark.e2e
def test_spark_files_stay_in_the_spark_folder(spark: SparkPaths) -> None:
    assert (spark.root / "metastore_db").is_dir()
    assert (spark.root / "derby.log").is_file()
    assert spark.mart("fct_budget_summary").is_dir()
