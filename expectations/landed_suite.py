"""The ``landed`` suite: the CSV files ingest writes to seeds/landed, checked before dbt.

The files are read as text (``all_varchar``) so that a malformed value is seen as printed,
not silently cast to null. Every rule here follows from the landed contract
(``ingest/records.py``) and the vocabularies in ``ingest/figure_keys.py`` and
``ingest/table_kinds.py``.
"""

from __future__ import annotations

from pathlib import Path

import duckdb

from expectations.checks import (
    CLASSIFICATION_CODE,
    DECIMAL_TEXT,
    DISTRICT_CODE,
    INTEGER_AT_LEAST_1,
    Expect,
    TableCheck,
    between,
    columns_are,
    in_set,
    is_true,
    matches,
    not_null,
    sql_text,
    unique,
)
from ingest.figure_keys import FIGURE_KEYS, FUND_SOURCES, QUALIFIERS
from ingest.records import LANDED_FILES, column_names
from ingest.table_kinds import KIND_NAMES

SUITE = "landed"
FIRST_FISCAL_YEAR = 2000
DOC_KINDS = ("budget", "final_accounts")
SCOPES = ("department", "unit")
FILE_STATUSES = ("landed", "partial", "rejected", "duplicate")
MONEY_UNITS = ("万元", "元")
CELL_UNITS = ("万元", "元", "%")
SHA256 = r"^[0-9a-f]{64}$"


def open_landed(landed_dir: Path) -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB connection with one text-only view per landed CSV file present."""
    con = duckdb.connect()
    for name in LANDED_FILES:
        path = landed_dir / f"{name}.csv"
        if path.is_file():
            con.execute(
                f"create view {name} as select * from read_csv({sql_text(str(path))}, "
                "header = true, all_varchar = true, delim = ',', quote = '\"', escape = '\"')"
            )
    return con


def open_loaded(database: Path, schema: str, landed_dir: Path) -> duckdb.DuckDBPyConnection:
    """A connection to ``database`` with one temporary text-only view per landed file: over
    ``<schema>.<file>`` where the build loaded it (every column text, from the same CSV:
    ``warehouse.dbt_step.load_landed_seeds``, the table dbt's models read), else over the CSV
    file as :func:`open_landed` reads it. The views are the connection's own (temporary):
    nothing is added to the database."""
    con = duckdb.connect(str(database))
    loaded = {
        name
        for (name,) in con.execute(
            "select table_name from duckdb_tables() where schema_name = ? "
            "and database_name = current_database()",
            [schema],
        ).fetchall()
    }
    for name in LANDED_FILES:
        path = landed_dir / f"{name}.csv"
        if name in loaded:
            con.execute(f'create temp view {name} as select * from "{schema}"."{name}"')
        elif path.is_file():
            con.execute(
                f"create temp view {name} as select * from read_csv({sql_text(str(path))}, "
                "header = true, all_varchar = true, delim = ',', quote = '\"', escape = '\"')"
            )
    return con


def _known_document(alias: str = "t") -> str:
    return (
        f"coalesce({alias}.document_id in (select document_id from landed_documents), false)"
        " as document_is_landed"
    )


def _document_rules(table: str) -> tuple[Expect, ...]:
    return (
        not_null("document_id", "document_id is present"),
        is_true("document_is_landed", f"every {table} row's document_id is in landed_documents"),
    )


def _line_rule() -> Expect:
    return matches("line_number", INTEGER_AT_LEAST_1, "line_number is an integer >= 1")


def _contract_checks() -> list[TableCheck]:
    return [
        TableCheck(
            SUITE,
            name,
            f"select * from {name} limit 0",
            (columns_are(column_names(record), "columns are the landed contract, in order"),),
            name=f"{name} (columns)",
        )
        for name, record in LANDED_FILES.items()
    ]


def landed_checks(max_fiscal_year: int) -> list[TableCheck]:
    """Every check of the landed suite; ``max_fiscal_year`` is the latest plausible year
    (budgets for next year are published early in that year: pass today's year + 1)."""
    checks = _contract_checks()
    checks.append(
        TableCheck(
            SUITE,
            "landed_files",
            """
            select source_file, status, reason, document_id,
                   coalesce(status = 'landed' or coalesce(reason, '') <> '', false)
                       as reason_given_unless_landed,
                   coalesce(status = 'rejected' or coalesce(document_id, '') <> '', false)
                       as document_id_given_unless_rejected
            from landed_files
            """,
            (
                not_null("source_file"),
                unique(["source_file"]),
                in_set("status", FILE_STATUSES),
                is_true(
                    "reason_given_unless_landed",
                    "a file that did not land cleanly says why (reason non-empty)",
                ),
                is_true(
                    "document_id_given_unless_rejected",
                    "a file that was not rejected names its document_id",
                ),
            ),
            key_columns=("source_file", "status"),
        )
    )
    checks.append(
        TableCheck(
            SUITE,
            "landed_documents",
            """
            select document_id, source_file, sha256, unit_name,
                   nullif(district_code, '') as district_code, fiscal_year,
                   try_cast(fiscal_year as integer) as fiscal_year_number, doc_kind, scope,
                   title_line,
                   coalesce(case coalesce(division_level, '')
                       when 'province' then district_code like '__0000'
                       when 'city' then district_code like '____00'
                           and district_code not like '__0000'
                       when 'county' then district_code not like '____00'
                       when '' then coalesce(district_code, '') = ''
                   end, false) as division_level_fits_code
            from landed_documents
            """,
            (
                not_null("document_id"),
                unique(["document_id"]),
                matches("sha256", SHA256, "sha256 is 64 lowercase hex digits"),
                not_null("fiscal_year_number", "fiscal_year is an integer"),
                between(
                    "fiscal_year_number",
                    FIRST_FISCAL_YEAR,
                    max_fiscal_year,
                    f"fiscal_year between {FIRST_FISCAL_YEAR} and {max_fiscal_year}",
                    quarantine=True,  # a document check: the year printed in the document
                ),
                in_set("doc_kind", DOC_KINDS),
                in_set("scope", SCOPES),
                matches("district_code", DISTRICT_CODE, "district_code is 6 digits or empty"),
                is_true(
                    "division_level_fits_code",
                    "division_level is 'province' (code ..0000), 'city' (....00) or 'county', "
                    "empty exactly when district_code is",
                ),
                not_null("unit_name", "unit_name is present"),
            ),
            key_columns=("document_id", "source_file"),
        )
    )
    checks.append(
        TableCheck(
            SUITE,
            "landed_tables",
            f"""
            select t.document_id, t.table_id, t.table_kind, t.unit, {_known_document()}
            from landed_tables as t
            """,
            (
                *_document_rules("landed_tables"),
                matches("table_id", INTEGER_AT_LEAST_1, "table_id is an integer >= 1"),
                unique(["document_id", "table_id"]),
                in_set("table_kind", KIND_NAMES),
                in_set("unit", MONEY_UNITS),
            ),
            key_columns=("document_id", "table_id"),
        )
    )
    checks.append(
        TableCheck(
            SUITE,
            "landed_table_cells",
            f"""
            select t.document_id, t.table_id, t.line_number, t.column_number,
                   nullif(t.code, '') as code, t.row_label, nullif(t.amount, '') as amount, t.unit, {_known_document()}
            from landed_table_cells as t
            """,
            (
                *_document_rules("landed_table_cells"),
                _line_rule(),
                matches("code", CLASSIFICATION_CODE, r"code is 3, 5 or 7 digits when present"),
                matches("amount", DECIMAL_TEXT, "amount is decimal text when present"),
                in_set("unit", CELL_UNITS),
            ),
            key_columns=("document_id", "line_number", "column_number"),
        )
    )
    checks.append(
        TableCheck(
            SUITE,
            "landed_prose_figures",
            f"""
            select t.document_id, t.line_number, t.figure_key, t.subject, t.qualifier,
                   t.fund_source, nullif(t.amount, '') as amount, t.unit, {_known_document()}
            from landed_prose_figures as t
            """,
            (
                *_document_rules("landed_prose_figures"),
                _line_rule(),
                matches("amount", DECIMAL_TEXT, "amount is decimal text when present"),
                in_set("figure_key", list(FIGURE_KEYS)),
                in_set("qualifier", QUALIFIERS),
                in_set("fund_source", FUND_SOURCES),
            ),
            key_columns=("document_id", "line_number", "figure_key"),
        )
    )
    checks.append(_pages_check())
    checks.append(_project_funds_check())
    for name in ("landed_projects", "landed_indicators", "landed_unparsed_lines"):
        checks.append(
            TableCheck(
                SUITE,
                name,
                f"select t.document_id, t.line_number, {_known_document()} from {name} as t",
                (*_document_rules(name), _line_rule()),
                key_columns=("document_id", "line_number"),
            )
        )
    return checks


def _pages_check() -> TableCheck:
    """landed_pages: one row per PDF page; a page's lines follow the previous page's, and a
    page without a text layer holds none (first_line > last_line)."""
    return TableCheck(
        SUITE,
        "landed_pages",
        f"""
        with pages as (
            select t.document_id, t.page_number, t.first_line, t.last_line, t.has_text,
                   try_cast(t.first_line as bigint) as first_number,
                   try_cast(t.last_line as bigint) as last_number,
                   lag(try_cast(t.last_line as bigint)) over (
                       partition by t.document_id order by try_cast(t.page_number as bigint)
                   ) as previous_last_number,
                   {_known_document()}
            from landed_pages as t
        )
        select document_id, page_number, first_line, last_line, has_text, document_is_landed,
               coalesce(last_number >= first_number - 1, false) as range_is_ordered,
               coalesce(
                   first_number = coalesce(previous_last_number, 0) + 1, false
               ) as starts_after_previous_page,
               coalesce(has_text <> 'false' or last_number < first_number, false)
                   as no_text_means_no_line
        from pages
        """,
        (
            *_document_rules("landed_pages"),
            *(not_null(c) for c in ("page_number", "first_line", "last_line", "has_text")),
            matches("page_number", INTEGER_AT_LEAST_1, "page_number is an integer >= 1"),
            unique(["document_id", "page_number"]),
            matches("first_line", INTEGER_AT_LEAST_1, "first_line is an integer >= 1"),
            matches("last_line", r"^[0-9]+$", "last_line is an integer >= 0"),
            in_set("has_text", ("true", "false")),
            is_true(
                "range_is_ordered",
                "last_line >= first_line - 1 (a page holds zero or more lines)",
            ),
            is_true(
                "starts_after_previous_page",
                "a page starts on the line after the previous page ends (the first on line 1)",
            ),
            is_true(
                "no_text_means_no_line",
                "a page without a text layer holds no line (first_line > last_line)",
            ),
        ),
        key_columns=("document_id", "page_number"),
    )


def _project_funds_check() -> TableCheck:
    """landed_project_funds: one row per fund line of a landed table, amounts as decimal text,
    at least one figure on every row (a fund row printed blank is not landed)."""
    amounts = ("annual_budget", "adjusted_budget", "executed", "execution_rate", "score")
    return TableCheck(
        SUITE,
        "landed_project_funds",
        f"""
        select t.document_id, t.table_id, t.line_number, t.fund_label, t.amount_unit,
               {", ".join(f"nullif(t.{c}, '') as {c}" for c in amounts)},
               coalesce(
                   (t.document_id, t.table_id) in (
                       select (document_id, table_id) from landed_tables
                       where table_kind like 'performance%'
                   ),
                   false
               ) as table_is_a_landed_performance_table,
               coalesce({" or ".join(f"t.{c} <> ''" for c in amounts)}, false) as has_a_figure,
               {_known_document()}
        from landed_project_funds as t
        """,
        (
            *_document_rules("landed_project_funds"),
            _line_rule(),
            unique(["document_id", "line_number"]),
            matches("table_id", INTEGER_AT_LEAST_1, "table_id is an integer >= 1"),
            is_true(
                "table_is_a_landed_performance_table",
                "every fund row's table is a performance table in landed_tables",
            ),
            not_null("fund_label", "fund_label is present"),
            in_set("amount_unit", MONEY_UNITS),
            *(matches(c, DECIMAL_TEXT, f"{c} is decimal text when present") for c in amounts),
            is_true("has_a_figure", "every fund row carries at least one figure"),
        ),
        key_columns=("document_id", "line_number"),
    )
