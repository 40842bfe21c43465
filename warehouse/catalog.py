"""What the warehouse holds: the marts, their row counts, columns and descriptions (read from
the DuckDB comments that dbt's ``persist_docs`` writes from the models' YAML)."""

from __future__ import annotations

from dataclasses import dataclass

import duckdb

SCHEMA = "marts"


@dataclass(frozen=True)
class MartTable:
    name: str
    rows: int  # -1 when not counted
    description: str

    @property
    def summary(self) -> str:
        """The description's first sentence (up to the first 。 or '. ' or line break)."""
        text = " ".join(self.description.split())
        for stop in ("。", ". ", "; "):
            head, sep, _ = text.partition(stop)
            if sep:
                text = head + (stop.strip() if stop == "。" else ".")
                break
        return text if len(text) <= 90 else text[:89] + "…"


@dataclass(frozen=True)
class MartColumn:
    name: str
    data_type: str
    nullable: bool
    description: str


def _quote(identifier: str) -> str:
    return '"' + identifier.replace('"', '""') + '"'


def mart_tables(con: duckdb.DuckDBPyConnection, *, count_rows: bool = True) -> list[MartTable]:
    """Tables and views of schema marts, by name, with their comments."""
    found = con.execute(
        """
        select table_name, coalesce(comment, '') from duckdb_tables()
        where schema_name = $schema and database_name = current_database()
        union all
        select view_name, coalesce(comment, '') from duckdb_views()
        where schema_name = $schema and database_name = current_database() and not internal
        order by 1
        """,
        {"schema": SCHEMA},
    ).fetchall()
    tables = []
    for name, comment in found:
        rows = -1
        if count_rows:
            (rows,) = con.execute(
                f"select count(*) from {_quote(SCHEMA)}.{_quote(name)}"
            ).fetchone() or (0,)
        tables.append(MartTable(name=name, rows=int(rows), description=comment.strip()))
    return tables


def mart_columns(con: duckdb.DuckDBPyConnection, table: str) -> list[MartColumn]:
    rows = con.execute(
        """
        select column_name, data_type, is_nullable, coalesce(comment, '')
        from duckdb_columns()
        where schema_name = $schema and table_name = $table
          and database_name = current_database()
        order by column_index
        """,
        {"schema": SCHEMA, "table": table},
    ).fetchall()
    return [
        MartColumn(name=n, data_type=t, nullable=bool(null), description=" ".join(c.split()))
        for n, t, null, c in rows
    ]
