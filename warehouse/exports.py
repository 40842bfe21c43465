"""Step f: every table of schema ``marts`` as CSV (UTF-8 with BOM, for Excel), Parquet and one
Excel workbook.

Exports are written into ``<exports>.building-<pid>`` and swapped in when the warehouse is
published (:func:`swap_directory`), so a failed build leaves the previous exports in place.

Text cells that a spreadsheet would run as a formula (starting with ``=``, ``+``, ``-``, ``@``,
tab or carriage return) get a leading ``'`` in the CSV files (the OWASP rule against CSV
injection), so a document's text never becomes a formula; numbers are never changed. The
workbook stores such cells as text (:mod:`warehouse.xlsx_export`).

Layout::

    exports/csv/<model>.csv                               header + rows, sorted, BOM
    exports/parquet/<model>/fiscal_year=<year>/data_0.parquet   models with fiscal_year
    exports/parquet/<model>/<model>.parquet                     the others
    exports/xlsx/marts.xlsx                               a sheet per mart + 字段说明 columns
    exports/manifest.json                                 models, row counts, columns
"""

from __future__ import annotations

import csv
import ctypes
import ctypes.util
import json
import os
import re
import shutil
import sys
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, TextIO

import duckdb

from warehouse.memory import release_memory

PARTITION_COLUMN = "fiscal_year"
SCHEMA = "marts"
BOM = "\ufeff"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_FORMULA_PATTERN = "^[=+@\t\r-]"  # the same characters, as a DuckDB regular expression


def formula_safe(value: str) -> str:
    """``value`` with a leading ``'`` when a spreadsheet would read it as a formula."""
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def write_safe_csv(stream: TextIO, columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
    """CSV with BOM (Excel shows Chinese), text cells made formula-safe, numbers as they are."""
    stream.write(BOM)
    writer = csv.writer(stream, lineterminator="\n")
    writer.writerow([formula_safe(c) for c in columns])
    for row in rows:
        writer.writerow([formula_safe(v) if isinstance(v, str) else v for v in row])


@dataclass(frozen=True)
class ExportedModel:
    model: str
    rows: int
    columns: list[str]
    csv: str  # path relative to the exports folder
    parquet: str
    partitioned_by: str | None


def _quote(identifier: str) -> str:
    return '"' + identifier.replace('"', '""') + '"'


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def mart_relations(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Tables and views of schema ``marts``, by name."""
    rows = con.execute(
        "select table_name from information_schema.tables where table_schema = ? "
        "order by table_name",
        [SCHEMA],
    ).fetchall()
    return [name for (name,) in rows]


def _safe_select(relation: str, columns: list[tuple[str, str]]) -> str:
    """Every column of ``relation``, text columns made formula-safe (see :func:`formula_safe`)."""
    parts = []
    for name, data_type in columns:
        quoted = _quote(name)
        if data_type == "VARCHAR":
            parts.append(
                f"case when regexp_matches({quoted}, {_literal(_FORMULA_PATTERN)}) "
                f"then {_literal(chr(39))} || {quoted} else {quoted} end as {quoted}"
            )
        else:
            parts.append(quoted)
    return f"select {', '.join(parts)} from {relation}"


SORTED = "export_sorted"  # the temporary table one mart is sorted into, once


def export_model(con: duckdb.DuckDBPyConnection, model: str, out: Path) -> ExportedModel:
    """One mart as CSV and Parquet. Its rows are sorted once (``order by all``: by their stored
    values) into a temporary table, and both files are written from it in that order: the CSV
    with text cells made formula-safe, the Parquet with the stored values."""
    typed = [
        (str(name), str(data_type))
        for (name, data_type) in con.execute(
            "select column_name, data_type from information_schema.columns "
            "where table_schema = ? and table_name = ? order by ordinal_position",
            [SCHEMA, model],
        ).fetchall()
    ]
    columns = [name for name, _ in typed]
    relation = f"{_quote(SCHEMA)}.{_quote(model)}"
    sorted_rows = f"temp.main.{SORTED}"
    con.execute(f"create or replace temp table {SORTED} as select * from {relation} order by all")
    try:
        (rows,) = con.execute(f"select count(*) from {sorted_rows}").fetchone() or (0,)
        csv_path = out / "csv" / f"{model}.csv"
        csv_path.parent.mkdir(parents=True, exist_ok=True)
        # COPY has no BOM option; PREFIX needs SUFFIX and keeps the header (STACK_NOTES.md).
        con.execute(
            f"copy ({_safe_select(sorted_rows, typed)}) to {_literal(str(csv_path))} "
            "(format csv, prefix '\ufeff', suffix '\n')"
        )
        parquet_dir = out / "parquet" / model
        parquet_dir.mkdir(parents=True, exist_ok=True)
        partitioned = PARTITION_COLUMN in columns
        if partitioned:
            _write_partitions(con, sorted_rows, parquet_dir)
        else:
            con.execute(
                f"copy {sorted_rows} to {_literal(str(parquet_dir / f'{model}.parquet'))} "
                "(format parquet, compression zstd)"
            )
    finally:
        con.execute(f"drop table if exists {sorted_rows}")
    return ExportedModel(
        model=model,
        rows=int(rows),
        columns=columns,
        csv=csv_path.relative_to(out).as_posix(),
        parquet=parquet_dir.relative_to(out).as_posix(),
        partitioned_by=PARTITION_COLUMN if partitioned else None,
    )


HIVE_NULL = "__HIVE_DEFAULT_PARTITION__"  # the folder of rows without a fiscal_year


def _write_partitions(con: duckdb.DuckDBPyConnection, sorted_rows: str, folder: Path) -> None:
    """``<folder>/fiscal_year=<year>/data_0.parquet`` per year, named as DuckDB's
    ``partition_by`` names them (the year in the folder, not in the file), each file's rows in
    the sorted order. One plain COPY per year keeps the order; ``partition_by`` does not (on
    several threads or one, it interleaves a year's rows differently on every run)."""
    column = _quote(PARTITION_COLUMN)
    years = [
        year
        for (year,) in con.execute(
            f"select distinct {column} from {sorted_rows} order by 1 nulls last"
        ).fetchall()
    ]
    for year in years:
        part = folder / f"{PARTITION_COLUMN}={HIVE_NULL if year is None else year}"
        part.mkdir(parents=True, exist_ok=True)
        where = f"{column} is null" if year is None else f"{column} = {int(year)}"
        con.execute(
            f"copy (select * exclude ({column}) from {sorted_rows} where {where}) "
            f"to {_literal(str(part / 'data_0.parquet'))} (format parquet, compression zstd)"
        )


def duckdb_memory_limit() -> str:
    """DuckDB's buffer cap for the build's connections (``WAREHOUSE_DUCKDB_MEMORY``, default
    1GB, as profiles.yml gives dbt): beyond it sorts spill to disk, so a sorted export of
    millions of rows does not take the build's memory to several GB."""
    value = os.environ.get("WAREHOUSE_DUCKDB_MEMORY", "1GB").strip()
    if not re.fullmatch(r"\d+(\.\d+)?\s*[KMGT]i?B", value, flags=re.IGNORECASE):
        raise ValueError(f"WAREHOUSE_DUCKDB_MEMORY={value!r}: give a size such as 1GB or 800MB")
    return value


XLSX_AUTO_ROWS = 100_000  # marts rows up to which a build also writes the workbook


def write_exports(
    database: Path,
    out: Path,
    on_model: Callable[[str], None] | None = None,
    *,
    xlsx: bool | None = None,
) -> list[ExportedModel]:
    """Export every mart of ``database`` (opened read-only) into the empty folder ``out``:
    CSV, Parquet, the manifest and (``xlsx``) the workbook ``xlsx/marts.xlsx``.
    ``on_model(name)`` is called after each mart (for a progress bar).

    ``xlsx=None`` (the build's default) writes the workbook only while the marts hold at most
    ``XLSX_AUTO_ROWS`` rows: a spreadsheet is for reading a batch, and writing one is ~100×
    slower per row than CSV (1,000 documents: 534k rows, ~140 s). ``True`` always writes it
    (``export --format xlsx``), ``False`` never."""
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)
    exported = []
    with duckdb.connect(str(database), read_only=True) as con:
        con.execute(f"set memory_limit = {_literal(duckdb_memory_limit())}")
        for model in mart_relations(con):
            exported.append(export_model(con, model, out))
            if on_model is not None:
                on_model(model)
    rows = sum(e.rows for e in exported)
    if xlsx is None:
        xlsx = rows <= XLSX_AUTO_ROWS
        if not xlsx:
            print(
                f"exports: xlsx workbook not written ({rows:,} rows > {XLSX_AUTO_ROWS:,}); "
                "write it with `budget-warehouse export --format xlsx`",
                file=sys.stderr,
            )
    if xlsx:
        from warehouse.xlsx_export import write_workbook

        write_workbook(database, out / "xlsx")
    manifest = {"schema": SCHEMA, "models": [asdict(e) for e in exported]}
    (out / "manifest.json").write_text(
        json.dumps(manifest, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
    )
    release_memory()
    return exported


_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def _exchange(a: Path, b: Path) -> bool:
    """Atomically exchange two paths (Linux renameat2); False when not supported here."""
    name = ctypes.util.find_library("c")
    if name is None:
        return False
    libc = ctypes.CDLL(name, use_errno=True)
    renameat2 = getattr(libc, "renameat2", None)
    if renameat2 is None:
        return False
    result = renameat2(
        _AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), ctypes.c_uint(_RENAME_EXCHANGE)
    )
    return result == 0


def swap_directory(new: Path, target: Path) -> None:
    """Put ``new`` at ``target``. Readers see the old or the new folder whole: the exchange is
    atomic where the kernel supports it, else two renames a few microseconds apart."""
    if not target.exists():
        target.parent.mkdir(parents=True, exist_ok=True)
        os.rename(new, target)
        return
    if _exchange(new, target):
        shutil.rmtree(new)  # now holds the previous exports
        return
    retired = target.with_name(f"{target.name}.retired-{os.getpid()}")
    os.rename(target, retired)
    os.rename(new, target)
    shutil.rmtree(retired)
