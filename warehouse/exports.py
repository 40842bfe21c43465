"""Step f: every table of schema ``marts`` as CSV (UTF-8 with BOM, for Excel) and Parquet.

Exports are written into ``<exports>.building-<pid>`` and swapped in when the warehouse is
published (:func:`swap_directory`), so a failed build leaves the previous exports in place.

Layout::

    exports/csv/<model>.csv                               header + rows, sorted, BOM
    exports/parquet/<model>/fiscal_year=<year>/data_0.parquet   models with fiscal_year
    exports/parquet/<model>/<model>.parquet                     the others
    exports/manifest.json                                 models, row counts, columns
"""

from __future__ import annotations

import ctypes
import ctypes.util
import json
import os
import shutil
from dataclasses import asdict, dataclass
from pathlib import Path

import duckdb

PARTITION_COLUMN = "fiscal_year"
SCHEMA = "marts"


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


def export_model(con: duckdb.DuckDBPyConnection, model: str, out: Path) -> ExportedModel:
    columns = [
        name
        for (name,) in con.execute(
            "select column_name from information_schema.columns "
            "where table_schema = ? and table_name = ? order by ordinal_position",
            [SCHEMA, model],
        ).fetchall()
    ]
    relation = f"{_quote(SCHEMA)}.{_quote(model)}"
    ordered = f"select * from {relation} order by all"
    csv_path = out / "csv" / f"{model}.csv"
    csv_path.parent.mkdir(parents=True, exist_ok=True)
    # COPY has no BOM option; PREFIX needs SUFFIX and keeps the header (STACK_NOTES.md).
    con.execute(
        f"copy ({ordered}) to {_literal(str(csv_path))} (format csv, prefix '\ufeff', suffix '\n')"
    )
    parquet_dir = out / "parquet" / model
    parquet_dir.mkdir(parents=True, exist_ok=True)
    partitioned = PARTITION_COLUMN in columns
    if partitioned:
        con.execute(
            f"copy ({ordered}) to {_literal(str(parquet_dir))} "
            f"(format parquet, compression zstd, partition_by ({PARTITION_COLUMN}), "
            "overwrite_or_ignore true)"
        )
    else:
        con.execute(
            f"copy ({ordered}) to {_literal(str(parquet_dir / f'{model}.parquet'))} "
            "(format parquet, compression zstd)"
        )
    (rows,) = con.execute(f"select count(*) from {relation}").fetchone() or (0,)
    return ExportedModel(
        model=model,
        rows=int(rows),
        columns=columns,
        csv=csv_path.relative_to(out).as_posix(),
        parquet=parquet_dir.relative_to(out).as_posix(),
        partitioned_by=PARTITION_COLUMN if partitioned else None,
    )


def write_exports(database: Path, out: Path) -> list[ExportedModel]:
    """Export every mart of ``database`` (opened read-only) into the empty folder ``out``."""
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)
    with duckdb.connect(str(database), read_only=True) as con:
        exported = [export_model(con, model, out) for model in mart_relations(con)]
    manifest = {"schema": SCHEMA, "models": [asdict(e) for e in exported]}
    (out / "manifest.json").write_text(
        json.dumps(manifest, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
    )
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
