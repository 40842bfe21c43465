"""Step f: every table of schema ``marts`` as CSV (UTF-8 with BOM, for Excel), Parquet and one
Excel workbook.

Exports are written into ``<exports>.building-<pid>`` and swapped in when the warehouse is
published (:func:`swap_directory`), so a failed build leaves the previous exports in place.

Text cells that a spreadsheet would run as a formula (starting with ``=``, ``+``, ``-``, ``@``,
tab or carriage return) get a leading ``'`` in the CSV files (the OWASP rule against CSV
injection), so a document's text never becomes a formula; numbers are never changed. The
workbook stores such cells as text (:mod:`warehouse.xlsx_export`).

Rows are in :func:`export_order`: by fiscal_year (NULL last) where the mart has it, then by
every column. A mart with fiscal_year is written a year at a time (each year sorted on its own)
into one CSV file and one Parquet file per year; the manifest records per year (or per mart
without fiscal_year) a digest of its rows and its files. An export given the previous exports
(the published ones: the build and ``export`` do so) takes every partition whose digest is
unchanged over from them and sorts and writes only the others: after one changed document at
10,000 documents that is one year of the per-document marts. A file taken over is copied, or,
when the previous exports are the ones this export replaces (``link=True``: the build, which
removes them when it publishes), hard-linked: a published file is no other folder's. The files
are byte for byte those of a full export (``tests/marts/test_exports.py``).

A year per CSV file, not one file per mart: each file opens in a spreadsheet (at 10,000
documents a mart holds up to 2.4 million rows, past a worksheet's 1,048,576; a year of it
240,000), and a build after one changed document writes that year's files only. Before, the
unchanged years' bytes were copied into the mart's new CSV (2.1 GB at 10,000 documents), and a
build's fresh file pages cost this 2-core VM ~5 ms of system time per MB.

Layout::

    exports/csv/<model>.csv                                 marts without fiscal_year:
                                                            BOM + header + rows, sorted
    exports/csv/<model>/<model>_<year>.csv                  marts with fiscal_year: a file
    exports/csv/<model>/<model>_no_year.csv                 per year (BOM + header + rows)
    exports/parquet/<model>/fiscal_year=<year>/data_0.parquet   models with fiscal_year
    exports/parquet/<model>/<model>.parquet                     the others
    exports/xlsx/marts.xlsx                               a sheet per mart + 字段说明 columns
    exports/manifest.json                                 models, row counts, columns, types,
                                                          per partition: digest, files, bytes
"""

from __future__ import annotations

import csv
import ctypes
import ctypes.util
import hashlib
import json
import os
import re
import shutil
import sys
import threading
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor, as_completed
from contextlib import ExitStack
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, TextIO

import duckdb

from warehouse.memory import release_memory

PARTITION_COLUMN = "fiscal_year"
SCHEMA = "marts"
BOM = "\ufeff"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


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
class Partition:
    """One fiscal_year of a mart (``value`` None: the rows without one), or the whole of a mart
    without fiscal_year (``value`` ``"all"``): its rows' digest and its files (paths relative
    to the exports folder, with their sizes), so a later export can take them over."""

    value: int | str | None
    rows: int
    digest: str
    csv: str
    csv_bytes: int
    parquet: str
    parquet_bytes: int


@dataclass(frozen=True)
class ExportedModel:
    model: str
    rows: int
    columns: list[str]
    csv: str  # path relative to the exports folder: the CSV file, or the folder of a year's
    parquet: str
    partitioned_by: str | None
    types: list[str] = field(default_factory=list)
    partitions: list[Partition] = field(default_factory=list)
    # partitions taken over from the previous exports (not in the manifest: the files are the
    # same whether taken over or written)
    reused: int = field(default=0, compare=False)

    def manifest_entry(self) -> dict[str, Any]:
        entry = asdict(self)
        del entry["reused"]
        return entry


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


def export_order(columns: Sequence[str]) -> str:
    """The ORDER BY of a mart's exported rows: by ``fiscal_year`` (NULL last) where the mart
    has it, then by every column in the mart's order (``order by all``). Year first, so each
    year's rows are one run of the CSV (a later export can take a year over unchanged) and
    each Parquet year file holds a run of the sorted table."""
    if PARTITION_COLUMN not in columns:
        return "order by all"
    keys = [PARTITION_COLUMN, *columns]
    return "order by " + ", ".join(f"{_quote(c)} asc nulls last" for c in keys)


# FORMULA_STARTS as a DuckDB text: a value is made safe when its first character (``left``:
# a code point, as ``str.startswith`` reads) is one of them. (``regexp_matches`` took 40 % of
# writing a CSV; ``left(…) in (…)`` is planned as a join, which does not keep the rows' order.)
_FORMULA_SET = " || ".join(f"chr({ord(c)})" for c in FORMULA_STARTS)


def _safe_select(relation: str, columns: list[tuple[str, str]], where: str = "") -> str:
    """Every column of ``relation``, text columns made formula-safe (see :func:`formula_safe`)."""
    parts = []
    for name, data_type in columns:
        quoted = _quote(name)
        if data_type == "VARCHAR":
            parts.append(
                f"case when {quoted} <> '' and strpos({_FORMULA_SET}, left({quoted}, 1)) > 0 "
                f"then {_literal(chr(39))} || {quoted} else {quoted} end as {quoted}"
            )
        else:
            parts.append(quoted)
    return f"select {', '.join(parts)} from {relation}{where}"


SORTED = "export_sorted"  # the temporary table a partition is sorted into (+ the worker's number)
WHOLE = "all"  # the one partition of a mart without fiscal_year


def _digests(
    con: duckdb.DuckDBPyConnection, relation: str, partitioned: bool
) -> dict[int | str | None, tuple[int, str]]:
    """Rows and a digest of their values per partition: count, XOR and sum of the rows'
    64-bit hashes (rows are unique by the marts' grains, so none cancel out)."""
    key = _quote(PARTITION_COLUMN) if partitioned else _literal(WHOLE)
    found = con.execute(
        f"select k, count(*), coalesce(bit_xor(h), 0), coalesce(sum(h), 0) from "
        f"(select {key} as k, hash(*columns(*)) as h from {relation}) group by k"
    ).fetchall()
    digests: dict[int | str | None, tuple[int, str]] = {
        (None if k is None else k if isinstance(k, str) else int(k)): (
            int(n),
            f"{int(n)}-{int(x):016x}-{int(s):x}",
        )
        for k, n, x, s in found
    }
    if not partitioned and not digests:
        digests[WHOLE] = (0, "0-0000000000000000-0")
    return digests


def _partition_order(value: int | str | None) -> tuple[int, int | str]:
    return (1, 0) if value is None else (0, value)


def _where(value: int | str | None) -> str:
    if value == WHOLE:
        return ""
    column = _quote(PARTITION_COLUMN)
    return f" where {column} is null" if value is None else f" where {column} = {int(value)}"


def _write_partition(
    con: duckdb.DuckDBPyConnection,
    relation: str,
    typed: list[tuple[str, str]],
    value: int | str | None,
    csv_file: Path,
    parquet: Path,
    sorted_table: str = SORTED,
) -> None:
    """Sort one partition's rows into a temporary table and write its CSV file (BOM, header,
    formula-safe rows) and its Parquet file from it. Each partition is sorted on its own: the
    Parquet writer's row groups follow the chunks it is fed, so a year's file is the same
    whatever else the mart holds. ``sorted_table`` is the temporary table's name (one per
    worker)."""
    columns = [name for name, _ in typed]
    sorted_rows = f"temp.main.{_quote(sorted_table)}"
    con.execute(
        f"create or replace temp table {_quote(sorted_table)} as "
        f"select * from {relation}{_where(value)} {export_order(columns)}"
    )
    # COPY has no BOM option; PREFIX needs SUFFIX and keeps the header (STACK_NOTES.md); the
    # suffix takes the last row's line end, so '\n' gives the rows as they are
    con.execute(
        f"copy ({_safe_select(sorted_rows, typed)}) to {_literal(str(csv_file))} "
        "(format csv, prefix '\ufeff', suffix '\n')"
    )
    stored = "*" if value == WHOLE else f"* exclude ({_quote(PARTITION_COLUMN)})"
    con.execute(
        f"copy (select {stored} from {sorted_rows}) to {_literal(str(parquet))} "
        "(format parquet, compression zstd)"
    )


def _link_or_copy(source: Path, target: Path) -> None:
    """``target`` as a hard link of ``source``; a copy where links cannot be made."""
    try:
        os.link(source, target)
    except OSError:
        shutil.copyfile(source, target)


def _intact(model: ExportedModel, root: Path) -> bool:
    """Whether the files of ``model`` under ``root`` still have the sizes its manifest entry
    gives (a CSV opened and saved again in a spreadsheet, a file removed: nothing taken over)."""
    try:
        return all(
            (root / p.csv).stat().st_size == p.csv_bytes
            and (root / p.parquet).stat().st_size == p.parquet_bytes
            for p in model.partitions
        )
    except OSError:
        return False


def partition_csv(model: str, value: int | str | None) -> str:
    """A partition's CSV file, relative to the exports folder (see the module's layout)."""
    if value == WHOLE:
        return f"csv/{model}.csv"
    return f"csv/{model}/{model}_{'no_year' if value is None else value}.csv"


def export_model(
    con: duckdb.DuckDBPyConnection,
    model: str,
    out: Path,
    previous: ExportedModel | None = None,
    previous_root: Path | None = None,
    sorted_table: str = SORTED,
    link: bool = False,
) -> ExportedModel:
    """One mart as CSV and Parquet, its rows in :func:`export_order`: the CSV with text cells
    made formula-safe, the Parquet with the stored values; a file of each per fiscal_year, or
    one of each for a mart without it.

    Each partition (fiscal_year, or the whole mart) whose rows have the same digest as in
    ``previous`` (the manifest entry of the exports in ``previous_root``) is taken over from
    there: its two files copied. Each other partition is sorted on its own into a temporary
    table and both files are written from it. The files are byte for byte those of a full
    export. ``sorted_table``: the temporary table's name (each worker of
    :func:`write_exports` has its own; ``con`` is the worker's cursor). ``link``: files taken
    over are hard-linked (see the module's docstring)."""
    take = _link_or_copy if link else shutil.copyfile
    typed = [
        (str(name), str(data_type))
        for (name, data_type) in con.execute(
            "select column_name, data_type from information_schema.columns "
            "where table_schema = ? and table_name = ? order by ordinal_position",
            [SCHEMA, model],
        ).fetchall()
    ]
    columns = [name for name, _ in typed]
    types = [data_type for _, data_type in typed]
    partitioned = PARTITION_COLUMN in columns
    relation = f"{_quote(SCHEMA)}.{_quote(model)}"
    digests = _digests(con, relation, partitioned)
    values = sorted(digests, key=_partition_order)

    old: dict[int | str | None, Partition] = {}
    if (
        previous is not None
        and previous_root is not None
        and previous.columns == columns
        and previous.types == types
        and _intact(previous, previous_root)
    ):
        old = {p.value: p for p in previous.partitions}

    def reusable(value: int | str | None) -> Partition | None:
        before = old.get(value)
        return before if before is not None and before.digest == digests[value][1] else None

    taken = {v: p for v in values if (p := reusable(v)) is not None}
    csv_root = out / "csv" / model if partitioned else out / "csv"
    csv_root.mkdir(parents=True, exist_ok=True)
    parquet_dir = out / "parquet" / model
    parquet_dir.mkdir(parents=True, exist_ok=True)
    sorted_rows = f"temp.main.{_quote(sorted_table)}"
    partitions: list[Partition] = []
    with ExitStack() as stack:
        stack.callback(con.execute, f"drop table if exists {sorted_rows}")
        for value in values:
            rows, digest = digests[value]
            csv_file = out / partition_csv(model, value)
            if value == WHOLE:
                parquet = parquet_dir / f"{model}.parquet"
            else:
                folder = parquet_dir / f"{PARTITION_COLUMN}={HIVE_NULL if value is None else value}"
                folder.mkdir(parents=True, exist_ok=True)
                parquet = folder / "data_0.parquet"
            before = taken.get(value)
            if before is not None:
                assert previous_root is not None
                take(previous_root / before.csv, csv_file)
                take(previous_root / before.parquet, parquet)
            else:
                _write_partition(con, relation, typed, value, csv_file, parquet, sorted_table)
            partitions.append(
                Partition(
                    value=value,
                    rows=rows,
                    digest=digest,
                    csv=csv_file.relative_to(out).as_posix(),
                    csv_bytes=csv_file.stat().st_size,
                    parquet=parquet.relative_to(out).as_posix(),
                    parquet_bytes=parquet.stat().st_size,
                )
            )
    return ExportedModel(
        model=model,
        rows=sum(p.rows for p in partitions),
        columns=columns,
        csv=(csv_root if partitioned else out / partition_csv(model, WHOLE))
        .relative_to(out).as_posix(),
        parquet=parquet_dir.relative_to(out).as_posix(),
        partitioned_by=PARTITION_COLUMN if partitioned else None,
        types=types,
        partitions=partitions,
        reused=len(taken),
    )


HIVE_NULL = "__HIVE_DEFAULT_PARTITION__"  # the folder of rows without a fiscal_year


def duckdb_memory_limit() -> str:
    """DuckDB's buffer cap for the build's connections (``WAREHOUSE_DUCKDB_MEMORY``, default
    1GB, as profiles.yml gives dbt): beyond it sorts spill to disk, so a sorted export of
    millions of rows does not take the build's memory to several GB."""
    value = os.environ.get("WAREHOUSE_DUCKDB_MEMORY", "1GB").strip()
    if not re.fullmatch(r"\d+(\.\d+)?\s*[KMGT]i?B", value, flags=re.IGNORECASE):
        raise ValueError(f"WAREHOUSE_DUCKDB_MEMORY={value!r}: give a size such as 1GB or 800MB")
    return value


XLSX_AUTO_ROWS = 100_000  # marts rows up to which a build also writes the workbook


def _format() -> dict[str, Any]:
    """What the bytes of an export depend on besides the rows: this module (order, options,
    the formula guard) and DuckDB's writers. Partitions are taken over only from exports of
    the same."""
    code = hashlib.sha256(Path(__file__).read_bytes()).hexdigest()[:16]
    return {"code": code, "duckdb": duckdb.__version__}


def previous_exports(folder: Path | None) -> dict[str, ExportedModel]:
    """The marts of the exports in ``folder`` (their manifest) that a new export may take
    partitions over from: none when there is no manifest, or one of another format."""
    if folder is None:
        return {}
    try:
        manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(manifest, dict) or manifest.get("format") != _format():
        return {}
    found = {}
    try:
        for entry in manifest["models"]:
            partitions = [Partition(**p) for p in entry.pop("partitions")]
            model = ExportedModel(**entry, partitions=partitions)
            found[model.model] = model
    except (KeyError, TypeError):
        return {}
    return found


def mart_csv_files(exports: Path, model: str) -> list[Path]:
    """The CSV files of ``model`` in ``exports``, in row order (a year each for a mart with
    fiscal_year, NULL year last; one file otherwise), as its manifest lists them."""
    found = previous_exports(exports).get(model)
    if found is None:
        raise FileNotFoundError(f"{exports / 'manifest.json'}: no mart {model!r} exported there "
                                "by this version; run `budget-warehouse export` again")
    return [exports / p.csv for p in found.partitions]


def _largest_first(
    con: duckdb.DuckDBPyConnection, models: list[str], before: dict[str, ExportedModel]
) -> list[str]:
    """``models`` by rows, the largest first (the previous export's count, else DuckDB's
    estimate of a table's rows, else 0), so the workers finish about together."""
    estimated = dict(
        con.execute(
            "select table_name, estimated_size from duckdb_tables() where schema_name = ?",
            [SCHEMA],
        ).fetchall()
    )

    def rows(model: str) -> int:
        if model in before:
            return before[model].rows
        return int(estimated.get(model) or 0)

    return sorted(models, key=lambda m: (-rows(m), m))


def _export_side_by_side(
    con: duckdb.DuckDBPyConnection,
    models: list[str],
    out: Path,
    before: dict[str, ExportedModel],
    previous: Path | None,
    workers: int,
    on_model: Callable[[str], None] | None,
    link: bool = False,
) -> dict[str, ExportedModel]:
    """Export ``models`` (taken in this order) with ``workers`` threads, each with its own
    cursor of ``con`` and its own temporary table; ``on_model`` is called on this thread as
    each mart is done. The first error cancels the marts not yet begun and is raised here."""
    local = threading.local()
    cursors: list[duckdb.DuckDBPyConnection] = []
    lock = threading.Lock()

    def export(model: str) -> ExportedModel:
        if not hasattr(local, "cursor"):
            with lock:
                local.table = f"{SORTED}_{len(cursors)}"
                local.cursor = con.cursor()
                cursors.append(local.cursor)
        return export_model(local.cursor, model, out, before.get(model), previous, local.table,
                            link)

    done: dict[str, ExportedModel] = {}
    try:
        with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="export") as pool:
            futures = {pool.submit(export, model): model for model in models}
            try:
                for future in as_completed(futures):
                    done[futures[future]] = future.result()
                    if on_model is not None:
                        on_model(futures[future])
            except BaseException:
                pool.shutdown(wait=True, cancel_futures=True)
                raise
    finally:
        for cursor in cursors:
            cursor.close()
    return done


def write_exports(
    database: Path,
    out: Path,
    on_model: Callable[[str], None] | None = None,
    *,
    xlsx: bool | None = None,
    previous: Path | None = None,
    workers: int | None = None,
    link: bool = False,
) -> list[ExportedModel]:
    """Export every mart of ``database`` (opened read-only) into the empty folder ``out``:
    CSV, Parquet, the manifest and (``xlsx``) the workbook ``xlsx/marts.xlsx``.
    ``on_model(name)`` is called after each mart (for a progress bar). ``previous``: the
    published exports, whose unchanged partitions are taken over (:func:`export_model`);
    ``link``: ``out`` replaces ``previous``, which is then removed (the build), so files
    taken over whole are hard-linked, not copied.

    ``workers`` marts are exported at once (default: DuckDB's threads, the cores), each by a
    thread with its own cursor and temporary table, largest first (:func:`_largest_first`):
    DuckDB writes a sorted partition mostly on one core, so one mart at a time left the
    others idle. DuckDB's threads are shared out among the workers while they run (two
    workers of two threads each cost 15% more CPU, 10,000 documents); the bytes written do
    not depend on either. The memory limit is the database's, shared by the cursors. The files, the
    manifest (marts by name) and the order of the ``on_model`` calls' thread (the caller's)
    do not depend on it; the marts are reported as they finish.

    ``xlsx=None`` (the build's default) writes the workbook only while the marts hold at most
    ``XLSX_AUTO_ROWS`` rows: a spreadsheet is for reading a batch, and writing one is ~100×
    slower per row than CSV (1,000 documents: 534k rows, ~140 s). ``True`` always writes it
    (``export --format xlsx``), ``False`` never."""
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)
    before = previous_exports(previous)
    exported = []
    with duckdb.connect(str(database), read_only=True) as con:
        con.execute(f"set memory_limit = {_literal(duckdb_memory_limit())}")
        models = mart_relations(con)
        threads = int(con.execute("select current_setting('threads')").fetchone()[0])
        workers = max(1, min(threads if workers is None else workers, len(models)))
        if workers > 1:  # a core per worker (a setting of the database, not of a cursor)
            con.execute(f"set threads = {max(1, threads // workers)}")
        if workers == 1:
            done = {}
            for model in models:
                done[model] = export_model(con, model, out, before.get(model), previous,
                                           link=link)
                if on_model is not None:
                    on_model(model)
        else:
            order = _largest_first(con, models, before)
            try:
                done = _export_side_by_side(con, order, out, before, previous, workers,
                                            on_model, link)
            finally:
                con.execute(f"set threads = {threads}")
        exported = [done[model] for model in models]
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
    manifest = {
        "schema": SCHEMA,
        "format": _format(),
        "models": [e.manifest_entry() for e in exported],
    }
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
