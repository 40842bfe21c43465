"""The landed CSVs loaded into the build's DuckDB file, as the tables dbt's models read.

Every table is made as dbt-duckdb's seed materialization makes it: the column types declared
in ``seeds/landed/_landed__seeds.yml``, then DuckDB's ``COPY … FROM`` the CSV.

An incremental build starts from a copy of the published warehouse, whose landed tables hold
the rows of an earlier landing. There the tables of the per-document files
(:data:`ingest.land.DOCUMENT_FILES`: cells, prose figures, tables, unparsed lines, …) are
brought to today's landing document by document instead of being copied again from the CSVs
(10,000 documents: 2.7M rows, ~3 s of a build after one changed document). That rests on
ingest's own rule (:class:`ingest.land.LandedSpans`): a document's rows are a function of its
parse-cache key, so a document of the same key holds the same rows. The file records which
keys its tables hold (:data:`KEYS_TABLE`, written with the rows); today's landing says where
each document's rows are in each CSV (the spans) and how many rows each file has. The rows of
the documents gone, or landed under a new key, are deleted (by their ``document_id``); the
rows of the new keys are copied from their byte ranges of today's CSVs; and each table must
then hold the landing's row count, else it is loaded whole. Without spans, keys (no parse
cache), a keys table, or files that are the ones the spans describe, every table is loaded
whole, and the keys table is dropped: the next build loads whole too.

``landed_files`` and ``landed_documents`` (one row per file or document, and rows of
unchanged documents that change: ``supersedes``, ``duplicate_of``) are always loaded whole.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ingest.land import DOCUMENT_FILES, LandedSpans, file_identity

LANDED_SCHEMA = "raw"
KEYS_SCHEMA = "incremental"
# key → document_id of every document whose rows the landed tables of DOCUMENT_FILES hold
KEYS_NAME = "landed_keys"
KEYS_TABLE = f"{KEYS_SCHEMA}.{KEYS_NAME}"


@dataclass(frozen=True)
class Landing:
    """What ingest says of the landed files it wrote: where each document's rows are in each
    (``spans``) and how many rows each holds (``counts``, landed file → rows)."""

    spans: LandedSpans
    counts: Mapping[str, int]


@dataclass(frozen=True)
class LoadSummary:
    """Rows per table, and the tables brought up to date document by document (with the
    documents whose rows were replaced) rather than loaded whole."""

    counts: dict[str, int]
    updated: tuple[str, ...] = ()
    documents_replaced: int = 0


def load_landed(
    con: Any,
    types: Mapping[str, Mapping[str, str]],
    csvs: Path,
    landing: Landing | None = None,
    *,
    declared: Path,
) -> LoadSummary:
    """Load ``<csvs>/<name>.csv`` into ``raw.<name>`` for every seed ``types`` holds (as the
    file ``declared`` declares them) on ``con`` (a DuckDB connection to the build's file), by
    document where :func:`_usable` allows. ValueError naming both files when a CSV's header is
    not the declared columns."""
    for name, columns in types.items():
        _check_header(csvs / f"{name}.csv", columns, declared)
    con.execute(f"create schema if not exists {LANDED_SCHEMA}")
    con.execute(f"create schema if not exists {KEYS_SCHEMA}")
    usable = landing is not None and _usable(landing, csvs)
    held = _held(con) if usable else None
    con.execute(f"drop table if exists {KEYS_TABLE}")  # (written again when all is loaded)
    keys = landing.spans.keys if landing is not None else ()
    gone: list[str] = []
    new: list[int] = []
    ids: dict[int, str] = {}
    if held is not None:
        assert landing is not None
        today = set(keys)
        gone = [key for key in held if key not in today]
        new = [i for i, key in enumerate(keys) if key not in held]
        ids = _document_ids(csvs, landing.spans, new)
    counts: dict[str, int] = {}
    updated: list[str] = []
    for name, columns in types.items():
        path = csvs / f"{name}.csv"
        table = f"{LANDED_SCHEMA}.{_quote(name)}"
        if held is not None and name in DOCUMENT_FILES and _exists(con, LANDED_SCHEMA, name):
            assert landing is not None
            _replace_documents(
                con, table, path, landing.spans.files[name][1], new,
                [held[key] for key in gone] + [ids[i] for i in new],
            )
            (count,) = con.execute(f"select count(*) from {table}").fetchone() or (0,)
            if count == landing.counts.get(name):
                counts[name] = int(count)
                updated.append(name)
                continue
        counts[name] = _load_whole(con, table, path, columns)
    if usable:
        assert landing is not None
        by_key = dict(held) if held is not None else {}
        by_key.update((keys[i], found) for i, found in ids.items())
        missing = [i for i, key in enumerate(keys) if key not in by_key]
        by_key.update((keys[i], found)
                      for i, found in _document_ids(csvs, landing.spans, missing).items())
        con.execute(f"create table {KEYS_TABLE} (key varchar, document_id varchar)")
        con.execute(f"insert into {KEYS_TABLE} select unnest(?), unnest(?)",
                    [list(keys), [by_key[key] for key in keys]])
    return LoadSummary(counts, tuple(updated), len(gone) + len(new) if updated else 0)


def _check_header(path: Path, columns: Mapping[str, str], declared: Path) -> None:
    with path.open(encoding="utf-8", newline="") as handle:
        header = handle.readline().rstrip("\n").split(",")
    if header != list(columns):
        raise ValueError(
            f"{path}: columns {header} are not the ones declared in {declared} "
            f"({list(columns)}); run ingest again"
        )


def _load_whole(con: Any, table: str, path: Path, columns: Mapping[str, str]) -> int:
    listed = ", ".join(f"{_quote(c)} {t}" for c, t in columns.items())
    con.execute(f"create or replace table {table} ({listed})")
    con.execute(f"copy {table} from {_literal(path)} (format csv, header true, delimiter ',')")
    (count,) = con.execute(f"select count(*) from {table}").fetchone() or (0,)
    return int(count)


def _keyed(spans: LandedSpans) -> bool:
    """Every document has a key (ingest ran with a parse cache), each its own."""
    return all(spans.keys) and len(set(spans.keys)) == len(spans.keys)


def _usable(landing: Landing, csvs: Path) -> bool:
    """The spans describe the CSVs in ``csvs`` as they are (same size, time, inode), for
    every per-document file, and every document has a key of its own."""
    spans = landing.spans
    if not _keyed(spans) or set(spans.files) != set(DOCUMENT_FILES):
        return False
    for name, (identity, starts) in spans.files.items():
        try:
            if file_identity((csvs / f"{name}.csv").stat()) != identity:
                return False
        except OSError:
            return False
        if len(starts) != len(spans.keys) + 1:
            return False
    return True


def _exists(con: Any, schema: str, name: str) -> bool:
    (found,) = con.execute(
        "select count(*) from duckdb_tables() where database_name = current_database() "
        "and schema_name = ? and table_name = ?", [schema, name],
    ).fetchone() or (0,)
    return int(found) > 0


def _held(con: Any) -> dict[str, str] | None:
    """key → document_id of the documents whose rows the file's tables hold; None when the
    file does not say (no keys table: loaded whole without keys, or by dbt itself)."""
    if not _exists(con, KEYS_SCHEMA, KEYS_NAME):
        return None
    return dict(con.execute(f"select key, document_id from {KEYS_TABLE}").fetchall())


def _document_ids(csvs: Path, spans: LandedSpans, documents: Sequence[int]) -> dict[int, str]:
    """The ``document_id`` (every per-document row's first column) of each of ``documents``
    (indexes into the spans), read at the start of its rows in the first file that holds
    some; '' for a document without a row in any (nothing of it to delete later)."""
    found = {i: "" for i in documents}
    handles = {}
    try:
        for name in DOCUMENT_FILES:
            starts = spans.files[name][1]
            left = [i for i in documents if not found[i] and starts[i + 1] > starts[i]]
            if not left:
                continue
            handles[name] = os.open(csvs / f"{name}.csv", os.O_RDONLY)
            for i in left:
                head = os.pread(handles[name], min(256, starts[i + 1] - starts[i]), starts[i])
                found[i] = head.split(b",", 1)[0].decode("utf-8")
    finally:
        for fd in handles.values():
            os.close(fd)
    return found


def _replace_documents(
    con: Any,
    table: str,
    path: Path,
    starts: Sequence[int],
    new: Sequence[int],
    document_ids: Sequence[str],
) -> None:
    """Delete the rows of ``document_ids`` from ``table``; append the rows of documents
    ``new`` (indexes into ``starts``), copied from their byte ranges of ``path`` (after its
    header) into a CSV of their own, then loaded as the whole file would be."""
    ids = sorted({i for i in document_ids if i})
    if ids:
        con.execute(f"delete from {table} where document_id in (select unnest(?))", [ids])
    ranges = [(starts[i], starts[i + 1]) for i in new if starts[i + 1] > starts[i]]
    if not ranges:
        return
    part = path.with_name(f".{path.stem}.changed.{os.getpid()}.csv")
    try:
        with path.open("rb") as source, part.open("wb") as out:
            out.write(source.readline())  # the header
            for start, end in ranges:
                source.seek(start)
                out.write(source.read(end - start))
        con.execute(f"copy {table} from {_literal(part)} (format csv, header true, "
                    "delimiter ',')")
    finally:
        part.unlink(missing_ok=True)


def _quote(identifier: str) -> str:
    return '"' + identifier.replace('"', '""') + '"'


def _literal(path: Path) -> str:
    return "'" + str(path).replace("'", "''") + "'"
