"""Exports written by the build: CSV with BOM for Excel, Parquet partitioned by fiscal_year,
every mart exported with exactly its rows."""

from __future__ import annotations

import csv
import io
import json
import zipfile
from pathlib import Path

import duckdb
import pytest
from warehouse_build import Published

from warehouse.exports import _safe_select, formula_safe, mart_csv_files, write_exports

BOM = b"\xef\xbb\xbf"


def _csv_text(exports: Path, model: str) -> str:
    """A mart's CSV text as one table: the header once, then the rows of every file of it in
    order (each file holds the BOM and the header)."""
    files = mart_csv_files(exports, model)
    texts = [f.read_bytes() for f in files]
    assert all(text.startswith(BOM) for text in texts), files
    decoded = [text[len(BOM):].decode("utf-8") for text in texts]
    headers = {text.split("\n", 1)[0] for text in decoded}
    assert len(headers) == 1, (model, headers)
    return decoded[0] + "".join(text.split("\n", 1)[1] for text in decoded[1:])


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
    # a file per mart without fiscal_year, a folder of a file per year for the others
    names = [p.stem if p.is_file() else p.name for p in (published.exports / "csv").iterdir()]
    assert sorted(names) == sorted(marts)
    assert sorted(p.name for p in (published.exports / "parquet").iterdir()) == sorted(marts)
    manifest = json.loads((published.exports / "manifest.json").read_text(encoding="utf-8"))
    assert {m["model"]: m["rows"] for m in manifest["models"]} == {
        name: rows for name, (rows, _) in marts.items()
    }


@pytest.mark.e2e
def test_csv_has_bom_header_and_the_mart_rows(published: Published, marts) -> None:
    for name, (rows, columns) in marts.items():
        for path in mart_csv_files(published.exports, name):
            assert path.read_bytes().startswith(BOM), path
        records = list(csv.reader(io.StringIO(_csv_text(published.exports, name))))
        assert records[0] == columns, name
        assert len(records) - 1 == rows, name


@pytest.mark.e2e
def test_csv_keeps_chinese_names_and_exact_amounts(published: Published) -> None:
    text = _csv_text(published.exports, "fct_expenditure_by_function")
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
    years = sorted(p.name for p in (tmp_path / "out" / "csv" / "fct_x").iterdir())
    assert years == ["fct_x_2024.csv", "fct_x_2025.csv", "fct_x_no_year.csv"]
    csv_bytes = (tmp_path / "out" / "csv" / "fct_x" / "fct_x_2024.csv").read_bytes()
    assert csv_bytes == BOM + "fiscal_year,name,amount_wan\n2024,一般公共服务支出,1.5000\n".encode()
    assert (tmp_path / "out" / "csv" / "fct_x" / "fct_x_no_year.csv").read_bytes() == (
        BOM + "fiscal_year,name,amount_wan\n,未知,3.2500\n".encode())
    assert (tmp_path / "out" / "csv" / "dim_y.csv").read_bytes() == BOM + b"code\n201\n"
    parts = sorted(p.name for p in (tmp_path / "out" / "parquet" / "fct_x").iterdir())
    assert parts == [
        "fiscal_year=2024",
        "fiscal_year=2025",
        "fiscal_year=__HIVE_DEFAULT_PARTITION__",
    ]
    # no year, no file (the manifest gives its columns)
    assert list((tmp_path / "out" / "csv" / "empty_z").iterdir()) == []
    assert exported["empty_z"].columns == ["fiscal_year", "v"] and exported["empty_z"].rows == 0


# --- formula-safe CSV and the Excel workbook ----------------------------------------------------

HOSTILE = [
    '=HYPERLINK("http://example.invalid","点我")',
    "+1+2",
    "-3+4",
    "@SUM(A1:A2)",
    "\tindent",
    "\rreturn",
]


@pytest.fixture(scope="module")
def hostile_warehouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    database = tmp_path_factory.mktemp("hostile") / "w.duckdb"
    with duckdb.connect(str(database)) as con:
        con.execute("create schema marts")
        con.execute(
            "create table marts.fct_x (fiscal_year integer, name varchar, "
            "amount_wan decimal(18, 4), amount_yuan decimal(20, 2), share decimal(9, 6), "
            "published date)"
        )
        con.executemany(
            "insert into marts.fct_x values (?, ?, ?, ?, ?, ?)",
            [(2024, text, -12345.6789, -123456789.0, 0.125, "2024-02-01") for text in HOSTILE]
            + [(2025, "一般公共服务支出", 1234567.5, 12345675000.0, 1, None)],
        )
        con.execute("create table marts.mart_district_function_comparison_long as select 1 as v")
        con.execute("comment on table marts.fct_x is 'Spending by 类 (一般公共预算).'")
        con.execute("comment on column marts.fct_x.amount_wan is 'Amount in 万元.'")
    return database


def test_csv_exports_neutralise_formula_cells(hostile_warehouse: Path, tmp_path: Path) -> None:
    write_exports(hostile_warehouse, tmp_path / "out", xlsx=False)
    rows = list(csv.reader(io.StringIO(_csv_text(tmp_path / "out", "fct_x"), newline="")))
    names = [r[1] for r in rows[1:]]
    assert sorted(names) == sorted(["'" + t for t in HOSTILE] + ["一般公共服务支出"])
    amounts = {r[2] for r in rows[1:]}
    assert amounts == {"-12345.6789", "1234567.5000"}  # numbers are never prefixed
    # Parquet keeps the stored values: only the spreadsheet-facing CSV is neutralised
    with duckdb.connect() as con:
        stored = con.execute(
            f"select name from read_parquet('{tmp_path}/out/parquet/fct_x/*/*.parquet')"
        ).fetchall()
    assert sorted(n for (n,) in stored) == sorted([*HOSTILE, "一般公共服务支出"])
    assert not (tmp_path / "out" / "xlsx").exists()


def test_workbook_values_types_and_hostile_cells(hostile_warehouse: Path, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    from warehouse.xlsx_export import COLUMNS_SHEET

    write_exports(hostile_warehouse, tmp_path / "out")
    book = load_workbook(tmp_path / "out" / "xlsx" / "marts.xlsx")
    assert book.sheetnames == [COLUMNS_SHEET, "fct_x", "mart_district_function_comparis"]
    sheet = book["fct_x"]
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == "A1:F8"
    assert [c.value for c in sheet[1]] == [
        "fiscal_year", "name", "amount_wan", "amount_yuan", "share", "published",
    ]  # fmt: skip
    # text as stored (XML reads a carriage return back as a line feed)
    rows = {row[1].value.replace("\n", "\r"): row for row in sheet.iter_rows(min_row=2)}
    assert set(rows) == {*HOSTILE, "一般公共服务支出"}
    for text in HOSTILE:
        cell = rows[text][1]
        assert cell.data_type == "s", text  # a string, never a formula
    chinese = rows["一般公共服务支出"]
    assert chinese[0].value == 2025 and chinese[0].data_type == "n"
    assert chinese[2].value == 1234567.5 and chinese[2].data_type == "n"
    assert chinese[2].number_format == "#,##0.0000"
    assert chinese[3].value == 12345675000 and chinese[3].number_format == "#,##0.00"
    assert chinese[4].value == 1 and chinese[4].number_format == "0.000000"
    assert chinese[5].value is None
    dated = rows["+1+2"]
    assert dated[2].value == -12345.6789
    assert dated[5].value.date().isoformat() == "2024-02-01"
    assert dated[5].number_format == "yyyy-mm-dd"
    about = [[c.value for c in row] for row in book[COLUMNS_SHEET].iter_rows()]
    assert about[0] == ["表 table", "工作表 sheet", "字段 column", "类型 type", "说明 description"]
    assert ["fct_x", "fct_x", None, None, "Spending by 类 (一般公共预算)."] in about
    assert ["fct_x", "fct_x", "amount_wan", "DECIMAL(18,4)", "Amount in 万元."] in about
    assert book[COLUMNS_SHEET].freeze_panes == "A2"
    with zipfile.ZipFile(tmp_path / "out" / "xlsx" / "marts.xlsx") as archive:
        sheets = [n for n in archive.namelist() if n.startswith("xl/worksheets/sheet")]
        assert sheets and not any(b"<f>" in archive.read(n) for n in sheets)  # no formula


@pytest.mark.e2e
def test_the_build_writes_the_workbook_of_every_mart(published: Published, marts) -> None:
    from openpyxl import load_workbook

    from warehouse.xlsx_export import COLUMNS_SHEET

    book = load_workbook(published.exports / "xlsx" / "marts.xlsx", read_only=True)
    assert book.sheetnames[0] == COLUMNS_SHEET
    assert len(book.sheetnames) == len(marts) + 1
    for name, (rows, columns) in marts.items():
        sheet = book[name[:31]]
        values = list(sheet.iter_rows(values_only=True))
        assert list(values[0]) == columns, name
        assert len(values) - 1 == rows, name
    described = list(book[COLUMNS_SHEET].iter_rows(min_row=2, values_only=True))
    assert len([r for r in described if r[2]]) == sum(len(c) for _, c in marts.values())
    assert all(r[4] for r in described), "a mart or column without description"
    sheet = list(book["fct_expenditure_by_function"].iter_rows(values_only=True))
    header = sheet[0]
    pick = [
        r
        for r in sheet[1:]
        if r[header.index("district_name")] == "潼南区"
        and r[header.index("fiscal_year")] == 2025
        and r[header.index("function_code")] == "2010350"
        and r[header.index("measure")] == "total"
        and r[header.index("fund_source")] == "general_public_budget"
    ]
    assert [r[header.index("amount_wan")] for r in pick] == [353.13]
    assert [r[header.index("amount_yuan")] for r in pick] == [3531300]


def test_parquet_partitions_hold_their_rows_in_the_csv_order(tmp_path: Path) -> None:
    """Each fiscal_year file holds that year's rows sorted as the CSV (by all columns), the
    same on every run (DuckDB's partition_by interleaves them differently each time)."""
    database = tmp_path / "w.duckdb"
    with duckdb.connect(str(database)) as con:
        con.execute(
            """
            create schema marts;
            create table marts.fct_x as
                select 2020 + (i * 7919) % 5 as fiscal_year, 'd' || ((i * 104729) % 50000) as id,
                       ((i * 31) % 1000)::decimal(18, 4) as amount_wan
                from range(300000) r(i);
            """
        )
    runs = []
    for run in range(2):
        write_exports(database, tmp_path / f"out{run}", xlsx=False)
        runs.append(
            {
                year.name: con_rows(year / "data_0.parquet")
                for year in sorted((tmp_path / f"out{run}" / "parquet" / "fct_x").iterdir())
            }
        )
    assert runs[0] == runs[1]
    assert list(runs[0]) == [f"fiscal_year={y}" for y in range(2020, 2025)]
    for rows in runs[0].values():
        assert rows == sorted(rows) and len(rows) == 60000


def con_rows(path: Path) -> list[tuple]:
    with duckdb.connect() as con:
        return con.execute(
            f"select * from read_parquet('{path}', hive_partitioning = false)"
        ).fetchall()


# --- exports that take unchanged partitions over from the previous ones -------------------------


def _tree(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def _changing_warehouse(database: Path) -> None:
    with duckdb.connect(str(database)) as con:
        con.execute(
            """
            create schema marts;
            create table marts.fct_x as
                select case when i % 11 = 0 then null else 2020 + i % 4 end as fiscal_year,
                       'd' || lpad((i % 997)::varchar, 4, '0') as document_id,
                       case when i % 13 = 0 then '=SUM(A1)' else '教育支出 ' || i end as name,
                       (i * 7 % 1000)::decimal(18, 4) as amount_wan
                from range(20000) r(i);
            create table marts.dim_y as select 'c' || i as code from range(50) r(i);
            create table marts.empty_z (fiscal_year integer, v integer);
            """
        )


def test_an_export_after_a_change_takes_unchanged_partitions_over_byte_for_byte(
    tmp_path: Path,
) -> None:
    """One year changed, one gone, one new, the NULL year and the other marts unchanged:
    the export that takes partitions over from the previous one is the full export, byte for
    byte (CSV, Parquet and manifest), and took over what did not change."""
    database = tmp_path / "w.duckdb"
    _changing_warehouse(database)
    first = tmp_path / "first"
    write_exports(database, first, xlsx=False)
    write_exports(database, tmp_path / "again", xlsx=False)
    assert _tree(first) == _tree(tmp_path / "again")  # the same on every run
    with duckdb.connect(str(database)) as con:
        con.execute(
            "update marts.fct_x set amount_wan = amount_wan + 1 where fiscal_year = 2021 and document_id = 'd0005'"
        )
        con.execute("delete from marts.fct_x where fiscal_year = 2023")
        con.execute("insert into marts.fct_x values (2024, 'd0001', '+新', 1.0)")
    taken = {
        e.model: e for e in write_exports(database, tmp_path / "taken", xlsx=False, previous=first)
    }
    full = write_exports(database, tmp_path / "full", xlsx=False)
    assert _tree(tmp_path / "taken") == _tree(tmp_path / "full")
    assert all(e.reused == 0 for e in full)
    # fct_x: 2020, 2022 and NULL unchanged, 2021 changed, 2024 new; dim_y whole
    assert taken["fct_x"].reused == 3 and len(taken["fct_x"].partitions) == 5
    assert taken["dim_y"].reused == 1
    text = _csv_text(tmp_path / "taken", "fct_x")
    assert "'+新" in text and "'=SUM(A1)" in text and "\n=SUM" not in text


def test_an_export_replacing_the_previous_links_the_files_it_takes_over_whole(
    tmp_path: Path,
) -> None:
    """``link=True`` (the build: the previous exports are removed when it publishes): the
    Parquet files and whole CSVs taken over are hard links of the previous ones, a changed
    mart's CSV is written; the same bytes as a full export. Without it, every file is the
    export's own."""
    database = tmp_path / "w.duckdb"
    _changing_warehouse(database)
    first = tmp_path / "first"
    write_exports(database, first, xlsx=False)
    with duckdb.connect(str(database)) as con:
        con.execute("update marts.fct_x set amount_wan = amount_wan + 1 where fiscal_year = 2021")
    linked = tmp_path / "linked"
    write_exports(database, linked, xlsx=False, previous=first, link=True)
    write_exports(database, tmp_path / "full", xlsx=False)
    assert _tree(linked) == _tree(tmp_path / "full")

    def same_file(relative: str, folder: Path = linked) -> bool:
        return (folder / relative).stat().st_ino == (first / relative).stat().st_ino

    assert same_file("csv/dim_y.csv") and same_file("parquet/fct_x/fiscal_year=2020/data_0.parquet")
    assert same_file("csv/fct_x/fct_x_2020.csv")
    assert not same_file("csv/fct_x/fct_x_2021.csv")  # 2021 changed: written
    assert not same_file("parquet/fct_x/fiscal_year=2021/data_0.parquet")
    copied = tmp_path / "copied"
    write_exports(database, copied, xlsx=False, previous=first)
    assert not same_file("csv/dim_y.csv", copied)
    assert not same_file("parquet/fct_x/fiscal_year=2020/data_0.parquet", copied)


def test_an_export_takes_nothing_over_from_exports_of_another_format(tmp_path: Path) -> None:
    database = tmp_path / "w.duckdb"
    _changing_warehouse(database)
    first = tmp_path / "first"
    write_exports(database, first, xlsx=False)
    manifest = json.loads((first / "manifest.json").read_text(encoding="utf-8"))
    manifest["format"]["code"] = "another"
    (first / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    again = write_exports(database, tmp_path / "again", xlsx=False, previous=first)
    assert all(e.reused == 0 for e in again)
    # a column of another type: its mart is written anew
    with duckdb.connect(str(database)) as con:
        con.execute("create or replace table marts.dim_y as select 1 as code")
    second = {
        e.model: e
        for e in write_exports(
            database, tmp_path / "second", xlsx=False, previous=tmp_path / "again"
        )
    }
    assert second["dim_y"].reused == 0 and second["fct_x"].reused == len(second["fct_x"].partitions)
    assert (tmp_path / "second" / "csv" / "dim_y.csv").read_bytes() == BOM + b"code\n1\n"
    # a previous CSV edited since (saved again by a spreadsheet): its mart is written anew
    edited = tmp_path / "second" / "csv" / "fct_x" / "fct_x_2020.csv"
    edited.write_bytes(edited.read_bytes().replace(b"\n", b"\r\n"))
    third = {
        e.model: e
        for e in write_exports(
            database, tmp_path / "third", xlsx=False, previous=tmp_path / "second"
        )
    }
    assert third["fct_x"].reused == 0 and third["dim_y"].reused == 1
    write_exports(database, tmp_path / "full", xlsx=False)
    assert _tree(tmp_path / "third") == _tree(tmp_path / "full")


def test_csv_rows_are_by_fiscal_year_then_by_all_columns(tmp_path: Path) -> None:
    database = tmp_path / "w.duckdb"
    _changing_warehouse(database)
    write_exports(database, tmp_path / "out", xlsx=False)
    text = _csv_text(tmp_path / "out", "fct_x")
    rows = list(csv.reader(io.StringIO(text)))[1:]
    keys = [(r[0] == "", int(r[0] or 0), r[1]) for r in rows]  # NULL year last
    assert len(rows) == 20000 and keys == sorted(keys)
    with duckdb.connect(str(database), read_only=True) as con:
        (expected,) = con.execute(
            "select count(*) from marts.fct_x where fiscal_year is null"
        ).fetchone()
    assert sum(1 for k in keys if k[0]) == expected and keys[-1][0]  # the NULL year last


def test_marts_exported_side_by_side_are_the_one_worker_export_byte_for_byte(
    tmp_path: Path,
) -> None:
    """Three workers (one cursor and temporary table each, largest mart first) write every
    file and the manifest (marts by name, not by which finished first) as one worker does,
    cold and taking partitions over; progress is reported on the caller's thread, once per
    mart."""
    import threading

    database = tmp_path / "w.duckdb"
    _changing_warehouse(database)
    with duckdb.connect(str(database)) as con:
        con.execute(
            "create table marts.fct_w as select 2020 + i % 3 as fiscal_year, i as v "
            "from range(30000) r(i)"
        )
    serial = write_exports(database, tmp_path / "serial", xlsx=False, workers=1)
    seen: list[tuple[str, bool]] = []

    def progress(model: str) -> None:
        seen.append((model, threading.current_thread() is threading.main_thread()))

    side = write_exports(database, tmp_path / "side", xlsx=False, workers=3, on_model=progress)
    assert _tree(tmp_path / "side") == _tree(tmp_path / "serial")
    assert [e.model for e in side] == [e.model for e in serial] == sorted(e.model for e in side)
    assert sorted(m for m, _ in seen) == sorted(e.model for e in side)
    assert all(on_caller for _, on_caller in seen)
    assert not (tmp_path / "side" / ".parts").exists()
    # after a change: taken over side by side as one worker takes over
    with duckdb.connect(str(database)) as con:
        con.execute("delete from marts.fct_x where fiscal_year = 2023")
        con.execute("update marts.fct_w set v = v + 1 where fiscal_year = 2021")
    one = write_exports(
        database, tmp_path / "one", xlsx=False, previous=tmp_path / "serial", workers=1
    )
    many = write_exports(
        database, tmp_path / "many", xlsx=False, previous=tmp_path / "side", workers=3
    )
    assert _tree(tmp_path / "many") == _tree(tmp_path / "one")
    assert [e.reused for e in many] == [e.reused for e in one]
    assert {e.model: e.reused for e in many}["fct_w"] == 2


def test_an_error_in_one_mart_exported_side_by_side_is_raised(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from warehouse import exports

    database = tmp_path / "w.duckdb"
    _changing_warehouse(database)
    real = exports.export_model

    def failing(con, model, *args, **kwargs):
        if model == "dim_y":
            raise duckdb.IOException("disk full")
        return real(con, model, *args, **kwargs)

    monkeypatch.setattr(exports, "export_model", failing)
    with pytest.raises(duckdb.IOException, match="disk full"):
        write_exports(database, tmp_path / "out", xlsx=False, workers=2)


def test_the_sql_formula_rule_is_formula_safe() -> None:
    """The CSV's SQL rule (``_safe_select``) prefixes exactly what ``formula_safe`` does:
    by the first code point, whatever follows it (a combining mark, a line break)."""
    values = [*HOSTILE, "", "=", "=\u0301x", "-", "中=", "\U00020000=", "'", "\n=", " =", "a@"]
    with duckdb.connect() as con:
        con.execute("create table t (i integer, v varchar)")
        con.executemany("insert into t values (?, ?)", list(enumerate([*values, None])))
        made = con.execute(
            f"select v from ({_safe_select('t', [('i', 'INTEGER'), ('v', 'VARCHAR')])}) "
            "order by i"
        ).fetchall()
    assert [v for (v,) in made] == [*map(formula_safe, values), None]
