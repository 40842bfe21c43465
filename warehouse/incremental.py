"""Incremental builds: start dbt from a copy of the published warehouse when it was built by
the same dbt project, so that only the changed documents' rows are computed again.

The per-document models are ``incremental`` on DuckDB (``macros/incremental.sql``). The model
``int_incremental__changed_documents`` compares every document's landed rows and its row of
``int_documents__identified`` (and the code dimensions) with what the file was built from
(``int_incremental__document_state``); those models delete the changed documents' rows and
insert theirs; ``mart_budget_execution`` (made across a unit-year's documents) deletes and
computes the unit-years of the changed documents. Everything else derived across documents
(dimensions, ``dim_unit``, the comparisons, ``audit_ingest``) stays a table built from every
document. An incremental build's marts are the full build's, row for row
(``tests/marts/test_incremental.py``).

The published file carries the digest of the project that built it (:data:`BASELINE_TABLE`):
:func:`models_digest` over the models, macros, reference seeds, landed column types, dbt
project and profile, the dbt step and the versions of dbt and DuckDB. A build starts from the
published file only when that digest is today's; otherwise (or with ``--full-refresh`` /
``--no-cache``, or without a published file) dbt builds a new file from nothing.

The copy (815 MB at 10,000 documents, ~4 s, nearly all of it the kernel's) begins beside the
ingest (:func:`start_copy`): whether the build will start from the published file is known
then but for the landing (no change at all, or most documents changed), and a build that does
not start from it stops the copy and removes it.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import threading
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import BinaryIO

import duckdb

from warehouse.landed_load import Landing, LoadSummary
from warehouse.paths import BuildPaths

# What the marts are computed from, besides the landed rows (see build_inputs for the
# no-change shortcut, which also covers the validations, exports and report code).
MODEL_INPUTS = (
    "dbt_project.yml",
    "profiles.yml",
    "models",
    "macros",
    "seeds/reference",
    "seeds/landed/_landed__seeds.yml",
    "warehouse/dbt_step.py",
    "warehouse/landed_load.py",
)
MODEL_LIBRARIES = ("dbt-core", "dbt-adapters", "dbt-duckdb", "duckdb")
SUFFIXES = frozenset({".sql", ".yml", ".yaml", ".csv", ".py", ".md", ".json"})
BASELINE_SCHEMA = "incremental"
BASELINE_TABLE = f"{BASELINE_SCHEMA}.baseline"
CHANGED_MODEL = "staging.int_incremental__changed_documents"


def _inputs(project: Path) -> list[Path]:
    found: list[Path] = []
    for entry in MODEL_INPUTS:
        path = project / entry
        if path.is_file():
            found.append(path)
        elif path.is_dir():
            found.extend(
                sorted(
                    p
                    for p in path.rglob("*")
                    if p.is_file() and p.suffix in SUFFIXES and "__pycache__" not in p.parts
                )
            )
    return found


def models_digest(project: Path) -> str:
    """sha256 of what the marts are computed from besides the landed rows (MODEL_INPUTS and
    the versions of MODEL_LIBRARIES)."""
    digest = hashlib.sha256()
    for path in _inputs(project):
        digest.update(f"\0{path.relative_to(project).as_posix()}\0".encode())
        digest.update(path.read_bytes())
    for name in MODEL_LIBRARIES:
        try:
            version = metadata.version(name)
        except metadata.PackageNotFoundError:
            version = "-"
        digest.update(f"\0{name}={version}".encode())
    return digest.hexdigest()


def published_digest(warehouse: Path) -> str | None:
    """The models digest the published file records, None when it has none (or is not
    readable)."""
    if not warehouse.is_file():
        return None
    try:
        with duckdb.connect(str(warehouse), read_only=True) as con:
            row = con.execute(f"select models_digest from {BASELINE_TABLE}").fetchone()
    except duckdb.Error:
        return None
    return str(row[0]) if row else None


def record_baseline(database: Path, digest: str) -> None:
    """Write into ``database`` (before it is published) the models digest it was built with."""
    with duckdb.connect(str(database)) as con:
        con.execute(f"create schema if not exists {BASELINE_SCHEMA}")
        con.execute(f"create or replace table {BASELINE_TABLE} (models_digest varchar)")
        con.execute(f"insert into {BASELINE_TABLE} values (?)", [digest])


@dataclass(frozen=True)
class Start:
    """How dbt starts: from a copy of the published file (incremental) or from nothing."""

    incremental: bool
    reason: str  # why, for the build's dbt line
    # how the landed tables were loaded into the copy (None: not loaded here)
    loaded: LoadSummary | None = None


class PublishedCopy:
    """The published warehouse copied to the building file on a thread of its own (begun by
    :func:`start_copy`), in pieces of :attr:`PIECE` bytes copied by the kernel (through one
    buffer where it cannot), so that :meth:`discard` stops it between two.
    :func:`start_build` takes the copy when it was made whole; a build that does not start from it discards it (which a taken copy
    ignores: the build's own clean-up removes the building file)."""

    PIECE = 8 << 20

    def __init__(self, source: Path, target: Path) -> None:
        self.source = source
        self.target = target
        self.taken = False
        self._stop = threading.Event()
        self._whole = False
        self._thread = threading.Thread(target=self._copy, name="published-copy", daemon=True)

    def start(self) -> PublishedCopy:
        self._thread.start()
        return self

    def _copy(self) -> None:
        try:
            with self.source.open("rb") as source, self.target.open("wb") as target:
                size = os.fstat(source.fileno()).st_size
                done = _kernel_copy(source.fileno(), target.fileno(), size, self.PIECE,
                                    self._stop)
                if done < size and not self._stop.is_set():  # no kernel copy here: buffered
                    source.seek(done)
                    target.seek(done)
                    done = _buffered_copy(source, target, done, size, self.PIECE, self._stop)
                self._whole = done == size and not self._stop.is_set()
        except OSError:
            self._whole = False  # start_build copies again, or says why it cannot

    def take(self) -> bool:
        """Wait for the copy; True (and the copy is the build's) when it was made whole."""
        self._thread.join()
        self.taken = self._whole
        return self.taken

    def discard(self) -> None:
        """Stop the copy and remove what it wrote, unless it was taken."""
        if self.taken:
            return
        self._stop.set()
        self._thread.join()
        self._whole = False  # (removed: never taken after)
        self.target.unlink(missing_ok=True)


def _kernel_copy(source: int, target: int, size: int, piece: int, stop: threading.Event) -> int:
    """Bytes of ``source`` copied to ``target`` (both at offset 0) by ``os.copy_file_range``
    in pieces of ``piece`` bytes (the kernel copies: 2.5-4.4 s against 5.2-6.9 s through a
    Python buffer for an 857 MB warehouse on ext4), stopping between two when ``stop`` is set
    or where the system cannot copy so (another system, file system or kernel): the caller
    goes on from there."""
    done = 0
    try:
        while done < size and not stop.is_set():
            copied = os.copy_file_range(source, target, min(piece, size - done))
            if not copied:
                break  # (shorter than it was: not whole)
            done += copied
    except (OSError, AttributeError):
        pass
    return done


def _buffered_copy(
    source: BinaryIO, target: BinaryIO, done: int, size: int, piece: int, stop: threading.Event
) -> int:
    """:func:`_kernel_copy`'s fallback: read and written through one buffer, from ``done``."""
    buffer = memoryview(bytearray(piece))
    while done < size and not stop.is_set():
        read = source.readinto(buffer)
        if not read:
            break
        target.write(buffer[:read])
        done += read
    return done


def start_copy(paths: BuildPaths, digest: str, *, allowed: bool) -> PublishedCopy | None:
    """The copy of the published warehouse begun (:class:`PublishedCopy`) when an incremental
    start may take it: allowed, and the published file built by this project (``digest``)
    without a write-ahead log; None otherwise."""
    if not allowed or published_digest(paths.warehouse) != digest:
        return None
    if paths.warehouse.with_name(paths.warehouse.name + ".wal").exists():
        return None
    paths.building.unlink(missing_ok=True)
    return PublishedCopy(paths.warehouse, paths.building).start()


def start_build(
    paths: BuildPaths,
    digest: str,
    *,
    allowed: bool,
    csvs: Path | None = None,
    copied: PublishedCopy | None = None,
    landing: Landing | None = None,
) -> Start:
    """Copy the published warehouse to ``paths.building`` (or take ``copied``, the copy begun
    beside the ingest) and load today's landed tables (``csvs``, or the installed
    ``paths.landed``) into the copy when it was built by the same project (``digest``): only
    the changed documents' rows where ``landing`` (what ingest says of the files) allows
    (:mod:`warehouse.landed_load`); otherwise leave ``paths.building`` absent (dbt builds it
    from nothing)."""
    try:
        start = _start_build(paths, digest, allowed=allowed, csvs=csvs, copied=copied,
                             landing=landing)
    finally:
        if copied is not None:
            copied.discard()  # (not when taken)
    return start


def _start_build(
    paths: BuildPaths, digest: str, *, allowed: bool, csvs: Path | None,
    copied: PublishedCopy | None, landing: Landing | None,
) -> Start:
    from warehouse.dbt_step import load_landed_tables

    if not allowed:
        return Start(False, "full build (asked for)")
    recorded = published_digest(paths.warehouse)
    if recorded is None:
        return Start(False, "full build (no published warehouse built incrementally)")
    if recorded != digest:
        return Start(False, "full build (the models, macros or dbt changed since the publish)")
    if paths.warehouse.with_name(paths.warehouse.name + ".wal").exists():
        return Start(False, "full build (the published warehouse has a write-ahead log)")
    share = changed_landing(paths.warehouse, (csvs or paths.landed) / "landed_documents.csv")
    if share is not None and share[0] * 2 > share[1]:
        # every document changes with a new parser version: the per-document models would
        # delete and insert nearly every row, which is slower than a build from nothing and,
        # at 10,000 documents, ran out of DuckDB's 1 GB (int_tables__money_cells)
        return Start(False, f"full build ({share[0]} of {share[1]} documents changed)")
    try:
        if copied is None or not copied.take():
            shutil.copyfile(paths.warehouse, paths.building)
        loaded = load_landed_tables(paths.building, paths.landed, csvs, landing)
    except (OSError, ValueError, duckdb.Error) as error:
        paths.building.unlink(missing_ok=True)
        return Start(False, f"full build (copying the published warehouse failed: {error})")
    reason = "incremental from the published warehouse"
    if loaded.updated:
        reason += f" (landed rows of {loaded.documents_replaced} document(s) replaced)"
    return Start(True, reason, loaded)


def changed_count(database: Path) -> tuple[int, int] | None:
    """(changed documents, documents) of the last dbt run into ``database``; None when the
    model is not there (a test's dbt step)."""
    try:
        with duckdb.connect(str(database), read_only=True) as con:
            row = con.execute(
                f"select count(*) filter (where is_changed), count(*) from {CHANGED_MODEL}"
            ).fetchone()
    except duckdb.Error:
        return None
    return (int(row[0]), int(row[1])) if row else None


def changed_landing(warehouse: Path, documents_csv: Path) -> tuple[int, int] | None:
    """(documents landed now that the published ``warehouse`` does not hold as they are,
    documents landed now): a document is changed when its ``document_id`` (which carries its
    content's hash) is new or its ``parser_version`` differs. None when either cannot be read
    (the build then goes on as it would have)."""
    if not documents_csv.is_file():
        return None
    try:
        with duckdb.connect() as con:
            con.execute("attach ? as published (read_only)", [str(warehouse)])
            row = con.execute(
                """
                select
                    count(*) filter (
                        where published.document_id is null
                        or published.parser_version is distinct from landed.parser_version
                    ),
                    count(*)
                from read_csv(?, header = true, all_varchar = true) as landed
                left join published.raw.landed_documents as published
                    on published.document_id = landed.document_id
                """,
                [str(documents_csv)],
            ).fetchone()
    except duckdb.Error:
        return None
    return (int(row[0]), int(row[1])) if row else None
