"""Exports written by the build: CSV with BOM for Excel, Parquet partitioned by fiscal_year,
every mart exported with exactly its rows."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import duckdb
import pytest
from warehouse_build import Published

from warehouse.exports import write_exports

BOM = b"\xef\xbb\xbf"


@pytest.fixture(scope="module")
def marts(published: Published) -> dict[str, tuple[int, list[str]]]:
    """Every relation of schema marts in the published warehouse: rows and columns."""
    with duckdb.connect(str(published.warehouse), read_only=True) as con:
        names = [
            n
            for (n,) in con.execute(
                "select table_name from information_schema.tables "
                "where table_schema = 'marts' order by table_name"
            ).fetchall()
        ]
        result = {}
        for name in names:
            (rows,) = con.execute(f'select count(*) from marts."{name}"').fetchone()
            columns = [
                c
                for (c,) in con.execute(
                    "select column_name from information_schema.columns where table_schema = "
                    "'marts' and table_name = ? order by ordinal_position",
                    [name],
                ).fetchall()
            ]
            result[name] = (rows, columns)
    return result


@pytest.mark.e2e
def test_every_mart_is_exported_in_both_formats(published: Published, marts) -> None:
    assert "fct_expenditure_by_function" in marts and "dim_document" in marts
    assert sorted(p.stem for p in (published.exports / "csv").glob("*.csv")) == sorted(marts)
    assert sorted(p.name for p in (published.exports / "parquet").iterdir()) == sorted(marts)
    manifest = json.loads((published.exports / "manifest.json").read_text(encoding="utf-8"))
    assert {m["model"]: m["rows"] for m in manifest["models"]} == {
        name: rows for name, (rows, _) in marts.items()
    }


@pytest.mark.e2e
def test_csv_has_bom_header_and_the_mart_rows(published: Published, marts) -> None:
    for name, (rows, columns) in marts.items():
        data = (published.exports / "csv" / f"{name}.csv").read_bytes()
        assert data.startswith(BOM), name
        records = list(csv.reader(io.StringIO(data[len(BOM) :].decode("utf-8"))))
        assert records[0] == columns, name
        assert len(records) - 1 == rows, name


@pytest.mark.e2e
def test_csv_keeps_chinese_names_and_exact_amounts(published: Published) -> None:
    text = (published.exports / "csv" / "fct_expenditure_by_function.csv").read_text(
        encoding="utf-8-sig"
    )
    rows = list(csv.DictReader(io.StringIO(text)))
    matching = [
        r
        for r in rows
        if r["district_name"] == "潼南区"
        and r["fiscal_year"] == "2025"
        and r["function_code"] == "2010350"
        and r["measure"] == "total"
        and r["fund_source"] == "general_public_budget"
    ]
    assert [r["amount_wan"] for r in matching] == ["353.1300"]
    assert [r["amount_yuan"] for r in matching] == ["3531300.00"]


@pytest.mark.e2e
def test_parquet_is_partitioned_by_fiscal_year_where_the_mart_has_one(
    published: Published, marts
) -> None:
    root = published.exports / "parquet"
    partitioned = [name for name, (_, columns) in marts.items() if "fiscal_year" in columns]
    assert "fct_expenditure_by_function" in partitioned
    with duckdb.connect() as con:
        for name, (rows, columns) in marts.items():
            folder = root / name
            if name in partitioned:
                years = sorted(p.name for p in folder.iterdir())
                assert years and all(y.startswith("fiscal_year=") for y in years), name
                read = f"read_parquet('{folder}/*/*.parquet', hive_partitioning = true)"
            else:
                assert [p.name for p in folder.iterdir()] == [f"{name}.parquet"], name
                read = f"read_parquet('{folder}/{name}.parquet')"
            if rows == 0 and name in partitioned:
                continue  # nothing to partition
            (count,) = con.execute(f"select count(*) from {read}").fetchone()
            assert count == rows, name
            got = [d[0] for d in con.execute(f"select * from {read} limit 0").description]
            assert sorted(got) == sorted(columns), name
        years = {
            int(y)
            for (y,) in con.execute(
                f"select distinct fiscal_year from read_parquet("
                f"'{root}/fct_expenditure_by_function/*/*.parquet', hive_partitioning = true)"
            ).fetchall()
        }
    with duckdb.connect(str(published.warehouse), read_only=True) as con:
        expected = {
            y
            for (y,) in con.execute(
                "select distinct fiscal_year from marts.fct_expenditure_by_function"
            ).fetchall()
        }
    assert years == expected


def test_exports_of_a_small_warehouse(tmp_path: Path) -> None:
    """The export code on its own: an empty mart, a mart without fiscal_year, a NULL year."""
    database = tmp_path / "w.duckdb"
    with duckdb.connect(str(database)) as con:
        con.execute(
            """
            create schema marts;
            create table marts.fct_x as
                select * from (values (2024, '一般公共服务支出', 1.5::decimal(18, 4)),
                                      (2025, '教育支出', 2.0), (null, '未知', 3.25)) t(fiscal_year, name, amount_wan);
            create table marts.dim_y as select '201' as code;
            create table marts.empty_z (fiscal_year integer, v integer);
            create table main.not_a_mart as select 1 as v;
            """
        )
    exported = {e.model: e for e in write_exports(database, tmp_path / "out")}
    assert sorted(exported) == ["dim_y", "empty_z", "fct_x"]
    assert exported["fct_x"].rows == 3 and exported["fct_x"].partitioned_by == "fiscal_year"
    assert exported["dim_y"].partitioned_by is None
    csv_bytes = (tmp_path / "out" / "csv" / "fct_x.csv").read_bytes()
    assert csv_bytes.startswith(BOM + b"fiscal_year,name,amount_wan\n")
    assert "2024,一般公共服务支出,1.5000" in csv_bytes.decode("utf-8")
    parts = sorted(p.name for p in (tmp_path / "out" / "parquet" / "fct_x").iterdir())
    assert parts == [
        "fiscal_year=2024",
        "fiscal_year=2025",
        "fiscal_year=__HIVE_DEFAULT_PARTITION__",
    ]
    assert (tmp_path / "out" / "csv" / "empty_z.csv").read_bytes() == BOM + b"fiscal_year,v\n"
