"""``python -m warehouse``: build, validate and export the warehouse.

Options shared by several commands are decorators (in the style of sqlite-utils), so every
command spells them the same way.
"""

from __future__ import annotations

import shutil
import signal
import sys
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from warehouse.errors import BuildError, ExitCode

F = TypeVar("F", bound=Callable[..., Any])

EXIT_CODES_HELP = (
    "Exit codes: 0 published; 3 lock timeout; 4 ingest (or --strict rejection); 5 landed "
    "expectations; 6 dbt; 7 marts expectations; 8 exports; 9 publish; 10 --strict and a "
    "document was quarantined; 1 unexpected error. A document check that fails quarantines "
    "its documents (audit_ingest status 'quarantined') and the rest publishes (exit 0)."
)


def warehouse_option(fn: F) -> F:
    return click.option(
        "--warehouse",
        type=click.Path(dir_okay=False, path_type=Path),
        default=Path("warehouse.duckdb"),
        show_default=True,
        help="The published DuckDB file.",
    )(fn)


def exports_option(fn: F) -> F:
    return click.option(
        "--exports",
        type=click.Path(file_okay=False, path_type=Path),
        default=None,
        help="Exports folder (csv/, parquet/). Default: exports/ next to the warehouse.",
    )(fn)


def reports_option(fn: F) -> F:
    return click.option(
        "--reports",
        type=click.Path(file_okay=False, path_type=Path),
        default=None,
        help="Reports folder (ingest_report.md, gx/ data docs). Default: reports/ next to "
        "the warehouse.",
    )(fn)


def lock_timeout_option(fn: F) -> F:
    return click.option(
        "--lock-timeout",
        type=click.FloatRange(min=0),
        default=600.0,
        show_default=True,
        help="Seconds to wait for another build of the same warehouse or project to finish.",
    )(fn)


def verbose_option(fn: F) -> F:
    return click.option(
        "--verbose", "-v", is_flag=True, help="Show dbt's output and every expectation."
    )(fn)


def _fail(error: BuildError) -> None:
    click.echo(f"build failed: {error.message}", err=True)
    sys.exit(int(error.code))


def _terminate(signum: int, _frame: object) -> None:
    """SIGTERM → SystemExit, so the build removes its private files on the way out."""
    click.echo("build interrupted (SIGTERM); the published warehouse was not changed.", err=True)
    raise SystemExit(128 + signum)


def _default_reports(reports: Path | None, warehouse: Path) -> Path:
    return reports or warehouse.expanduser().resolve().parent / "reports"


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
def cli() -> None:
    """Build, validate and export the budget disclosure warehouse."""


@cli.command(epilog=EXIT_CODES_HELP)
@click.option(
    "--docs",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("data/raw"),
    show_default=True,
    help="Folder of published documents (read recursively).",
)
@warehouse_option
@exports_option
@reports_option
@click.option(
    "--strict",
    is_flag=True,
    help="Fail the build (publish nothing) when any document is rejected or quarantined.",
)
@lock_timeout_option
@click.option("--threads", type=click.IntRange(min=1), default=None, help="dbt threads.")
@verbose_option
def build(
    docs: Path,
    warehouse: Path,
    exports: Path | None,
    reports: Path | None,
    strict: bool,
    lock_timeout: float,
    threads: int | None,
    verbose: bool,
) -> None:
    """Ingest DOCS, run dbt into a new file, validate, export, and publish it atomically.

    Analysts' read-only connections to the warehouse keep working during the build (they see
    the previous snapshot until they reconnect); a failed build changes nothing they see."""
    from warehouse.build import BuildOptions, run_build
    from warehouse.paths import BuildPaths

    paths = BuildPaths.create(
        docs=docs,
        warehouse=warehouse,
        exports=exports,
        reports=_default_reports(reports, warehouse),
    )
    options = BuildOptions(
        paths=paths, strict=strict, lock_timeout=lock_timeout, verbose=verbose, threads=threads
    )
    signal.signal(signal.SIGTERM, _terminate)  # a scheduler's kill cleans up like Ctrl-C
    try:
        report = run_build(options, say=click.echo)
    except BuildError as error:
        _fail(error)
    except Exception:
        traceback.print_exc()
        click.echo(
            "build failed: unexpected error (above); the published warehouse was not changed.",
            err=True,
        )
        sys.exit(int(ExitCode.FAILED))
    else:
        click.echo(
            f"published {paths.warehouse} in {report.seconds:.2f} s; exports in "
            f"{paths.exports}; reports in {paths.reports}; "
            f"{len(report.quarantine)} document(s) quarantined"
        )


@cli.command()
@warehouse_option
@click.option(
    "--landed",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Also validate this folder of landed CSVs (e.g. seeds/landed).",
)
@reports_option
@verbose_option
def validate(warehouse: Path, landed: Path | None, reports: Path | None, verbose: bool) -> None:
    """Run the great-expectations suites on a published warehouse (read-only).

    Exit 0 when no critical expectation fails, 5 when the landed suite fails, 7 when only the
    marts suite does."""
    import duckdb

    from expectations.landed_suite import landed_checks, open_landed
    from expectations.marts_suite import marts_checks
    from expectations.results import format_table
    from expectations.runner import GxSession
    from warehouse.build import latest_plausible_year

    session = GxSession(_default_reports(reports, warehouse) / "gx")
    year = latest_plausible_year()
    results = []
    if landed is not None:
        con = open_landed(landed)
        try:
            results.append(session.validate("landed", con, landed_checks(year)))
        finally:
            con.close()
    if not warehouse.is_file():
        raise click.ClickException(f"{warehouse}: no such file; run `make build` first")
    with duckdb.connect(str(warehouse), read_only=True) as con:
        results.append(session.validate("marts", con, marts_checks(year)))
    click.echo(format_table(results, show_passed=verbose))
    if results[-1].docs_index:
        click.echo(f"data docs: {results[-1].docs_index}")
    failed = [r for r in results if not r.passed]
    for result in failed:
        click.echo(result.failure_message(), err=True)
    if failed:
        landed_failed = failed[0].suite == "landed"
        sys.exit(
            int(ExitCode.LANDED_EXPECTATIONS if landed_failed else ExitCode.MARTS_EXPECTATIONS)
        )


@cli.command()
@warehouse_option
@exports_option
@lock_timeout_option
def export(warehouse: Path, exports: Path | None, lock_timeout: float) -> None:
    """Write the CSV and Parquet exports of a published warehouse (swapped in whole)."""
    from warehouse.exports import swap_directory, write_exports
    from warehouse.lock import BuildLock
    from warehouse.paths import BuildPaths

    if not warehouse.is_file():
        raise click.ClickException(f"{warehouse}: no such file; run `make build` first")
    paths = BuildPaths.create(docs=Path("."), warehouse=warehouse, exports=exports)
    lock = BuildLock(paths.warehouse_lock, f"warehouse {paths.warehouse}")
    try:
        lock.acquire(lock_timeout, click.echo)
        with lock:
            try:
                exported = write_exports(paths.warehouse, paths.exports_building)
                swap_directory(paths.exports_building, paths.exports)
            finally:
                shutil.rmtree(paths.exports_building, ignore_errors=True)
    except BuildError as error:
        _fail(error)
    click.echo(
        f"exported {len(exported)} marts, {sum(e.rows for e in exported)} rows → {paths.exports}"
    )


@cli.command()
@warehouse_option
@click.argument("sql")
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["table", "csv", "json"]),
    default="table",
    show_default=True,
    help="table for reading, csv or json for piping.",
)
@click.option("--limit", type=click.IntRange(min=0), default=200, show_default=True,
              help="Rows printed as a table (0: all). csv and json print every row.")
def query(warehouse: Path, sql: str, output_format: str, limit: int) -> None:
    """Run SQL against the published warehouse, read-only (a build never waits for it).

    \b
    python -m warehouse query "select * from marts.audit_reconciliation where status = 'mismatch'"
    python -m warehouse query --format csv "select * from marts.fct_budget_summary" > summary.csv
    """
    import csv
    import json

    import duckdb

    if not warehouse.is_file():
        raise click.ClickException(f"{warehouse}: no such file; run `make build` first")
    with duckdb.connect(str(warehouse), read_only=True) as con:
        try:
            cursor = con.execute(sql)
        except duckdb.Error as exc:
            raise click.ClickException(f"query failed: {exc}") from None
        if cursor.description is None:
            return
        columns = [d[0] for d in cursor.description]
        rows = cursor.fetchall()
    if output_format == "csv":
        writer = csv.writer(sys.stdout, lineterminator="\n")
        writer.writerow(columns)
        writer.writerows(rows)
    elif output_format == "json":
        records = [dict(zip(columns, row, strict=True)) for row in rows]
        click.echo(json.dumps(records, ensure_ascii=False, default=str, indent=1))
    else:
        shown = rows if limit == 0 else rows[:limit]
        texts = [[("" if v is None else str(v)) for v in row] for row in shown]
        widths = [max([_width(c), *(_width(r[i]) for r in texts)]) for i, c in enumerate(columns)]
        click.echo("  ".join(_pad(c, w) for c, w in zip(columns, widths, strict=True)).rstrip())
        click.echo("  ".join("-" * w for w in widths))
        for row in texts:
            click.echo("  ".join(_pad(v, w) for v, w in zip(row, widths, strict=True)).rstrip())
        more = f" (first {len(shown)} shown; --limit 0 for all)" if len(shown) < len(rows) else ""
        click.echo(f"{len(rows)} row(s){more}")


def _width(text: str) -> int:
    """Display width: CJK characters take two columns."""
    import unicodedata

    return sum(2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1 for ch in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _width(text))
