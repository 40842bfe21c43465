"""Step g: make the new DuckDB file the warehouse, atomically.

``os.replace`` swaps the directory entry; a process that already has the old file open keeps
reading the old inode (its snapshot) until it reconnects, and is never blocked. Nothing opens
the published file for writing, so analysts' read-only connections never stop a build.
"""

from __future__ import annotations

import os
import threading
import time
from pathlib import Path

import duckdb


def checkpoint(database: Path) -> None:
    """Fold the write-ahead log into the file and close it (it must be self-contained)."""
    con = duckdb.connect(str(database))
    try:
        con.execute("checkpoint")
    finally:
        con.close()
    wal = database.with_name(database.name + ".wal")
    if wal.exists():
        raise RuntimeError(f"{wal} still exists after CHECKPOINT; is {database} open elsewhere?")


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def sync_soon(path: Path) -> threading.Thread:
    """Start writing ``path``'s pages to disk in a background thread (fsync), so that the
    publish's own fsync finds little left: the build copies the published file (hundreds of
    MB at 10,000 documents) before dbt, and the disk writes it while the exports and the
    report run. A failure is left to :func:`publish`'s fsync, which raises it."""

    def sync() -> None:
        try:
            _fsync(path)
        except OSError:
            return

    thread = threading.Thread(target=sync, name="sync-building", daemon=True)
    thread.start()
    return thread


def publish(new: Path, warehouse: Path) -> Path | None:
    """Replace ``warehouse`` by ``new`` (same folder). Returns where a stale write-ahead log
    of the old file was moved, if there was one (it would not match the new file)."""
    checkpoint(new)
    _fsync(new)
    stale: Path | None = None
    old_wal = warehouse.with_name(warehouse.name + ".wal")
    if old_wal.exists():
        stale = old_wal.with_name(f"{old_wal.name}.stale-{time.strftime('%Y%m%dT%H%M%S')}")
        os.replace(old_wal, stale)
    os.replace(new, warehouse)
    _fsync(warehouse.parent)
    return stale


def remove_database(path: Path) -> None:
    """Delete a DuckDB file and its write-ahead log, if present."""
    for leftover in (path, path.with_name(path.name + ".wal")):
        leftover.unlink(missing_ok=True)
