"""``budget-warehouse`` (also ``python -m warehouse``): one command line for the warehouse.

build, ingest, validate, export, query, tables, schema, report. Options shared by several
commands are decorators (in the style of sqlite-utils), so every command spells them the same
way; every command exits with the codes of :mod:`warehouse.errors`.
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

from ingest.cli import jobs_option
from ingest.cli import main as ingest_command
from warehouse import __version__
from warehouse.errors import BuildError, ExitCode, exit_codes_help

F = TypeVar("F", bound=Callable[..., Any])

EXIT_CODES_HELP = exit_codes_help()


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


class _Termination:
    """The SIGTERM handler of a build: SystemExit, so the build removes its private files on
    the way out. It remembers the signal, because code running inside a library (a DuckDB query,
    dbt) may turn that SystemExit into its own error ("Query interrupted"); the build still
    exits 128 + signal, as a scheduler expects, not as a failure."""

    def __init__(self) -> None:
        self.signum: int | None = None
        self._previous: object = None

    def __enter__(self) -> _Termination:
        self._previous = signal.signal(signal.SIGTERM, self)
        return self

    def __exit__(self, exc_type: type[BaseException] | None, *_exc: object) -> None:
        signal.signal(signal.SIGTERM, self._previous)  # type: ignore[arg-type]
        if self.signum is not None and exc_type is not None and issubclass(exc_type, Exception):
            sys.exit(128 + self.signum)  # the library's error in place of the handler's exit

    def __call__(self, signum: int, _frame: object) -> None:
        self.signum = signum
        click.echo(
            "build interrupted (SIGTERM); the published warehouse was not changed.", err=True
        )
        raise SystemExit(128 + signum)


def _default_reports(reports: Path | None, warehouse: Path) -> Path:
    return reports or warehouse.expanduser().resolve().parent / "reports"


@click.group(context_settings={"help_option_names": ["-h", "--help"]}, epilog=EXIT_CODES_HELP)
@click.version_option(__version__, "--version", "-V", prog_name="budget-warehouse")
def cli() -> None:
    """Build, query and export the budget disclosure warehouse.

    \b
    budget-warehouse build                      ingest data/raw, dbt, validate, export, publish
    budget-warehouse tables                     the marts, their rows and descriptions
    budget-warehouse schema fct_three_public    columns, types, descriptions
    budget-warehouse query "select ..."         read-only SQL (also - for stdin, --file)
    budget-warehouse export --format xlsx       one Excel workbook of every mart
    budget-warehouse report                     reports/index.html, charts that open offline
    """


cli.add_command(ingest_command, name="ingest")


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
@click.option(
    "--engine",
    type=click.Choice(["duckdb", "spark"]),
    default="duckdb",
    show_default=True,
    help="spark: ingest and `dbt build --target spark` only (no validations, exports or "
    "publication); the marts are Parquet tables under SPARK_DIR/warehouse/marts.db.",
)
@click.option(
    "--spark-dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="With --engine spark: where Spark writes everything (default .build/spark).",
)
@click.option(
    "--no-data-tests",
    is_flag=True,
    help="With --engine spark: models and unit tests only (the smoke test's scope).",
)
@jobs_option
@click.option(
    "--no-cache",
    is_flag=True,
    help="Parse every document again (ingest's parse cache is neither read nor written) "
    "and build every mart from nothing (as --full-refresh).",
)
@click.option(
    "--full-refresh",
    is_flag=True,
    help="Build every mart from nothing, not incrementally from the published warehouse "
    "(which a build does when the same models built it: only changed documents are computed).",
)
@click.option(
    "--project",
    type=click.Path(file_okay=False, exists=True, path_type=Path),
    default=None,
    help="The dbt project to build in (its seeds/landed, .build/); default: this checkout.",
)
@verbose_option
def build(
    docs: Path,
    warehouse: Path,
    exports: Path | None,
    reports: Path | None,
    strict: bool,
    lock_timeout: float,
    threads: int | None,
    engine: str,
    spark_dir: Path | None,
    no_data_tests: bool,
    jobs: int | None,
    no_cache: bool,
    full_refresh: bool,
    project: Path | None,
    verbose: bool,
) -> None:
    """Ingest DOCS, run dbt into a new file, validate, export, and publish it atomically.

    When the landed files, the project and the options are those of the last publish of the
    same warehouse (nothing changed), the steps after ingest are skipped and the published
    warehouse stands.

    Analysts' read-only connections to the warehouse keep working during the build (they see
    the previous snapshot until they reconnect); a failed build changes nothing they see."""
    if engine == "spark":
        _build_on_spark(docs, spark_dir, strict, lock_timeout, threads, not no_data_tests, verbose)
        return
    from warehouse.build import BuildOptions, run_build
    from warehouse.memory import freeze_for_exit
    from warehouse.paths import BuildPaths

    paths = BuildPaths.create(
        docs=docs,
        warehouse=warehouse,
        exports=exports,
        reports=_default_reports(reports, warehouse),
        project=project,
    )
    options = BuildOptions(
        paths=paths,
        strict=strict,
        lock_timeout=lock_timeout,
        verbose=verbose,
        threads=threads,
        jobs=jobs,
        cache=not no_cache,
        incremental=not full_refresh,
    )
    try:
        with _Termination():  # a scheduler's kill cleans up like Ctrl-C
            report = run_build(options, say=click.echo)
    except BuildError as error:
        freeze_for_exit()
        _fail(error)
    except Exception:
        traceback.print_exc()
        click.echo(
            "build failed: unexpected error (above); the published warehouse was not changed.",
            err=True,
        )
        freeze_for_exit()
        sys.exit(int(ExitCode.FAILED))
    else:
        freeze_for_exit()  # the process ends after the lines below: no collection at exit
        if report.unchanged is not None:
            click.echo(
                f"unchanged: {paths.warehouse} as published at {report.unchanged.published_at} "
                f"stands ({report.seconds:.2f} s); exports in {paths.exports}; "
                f"{report.unchanged.quarantined} document(s) quarantined"
            )
            return
        click.echo(
            f"published {paths.warehouse} in {report.seconds:.2f} s; exports in "
            f"{paths.exports}; reports in {paths.reports}; "
            f"{len(report.quarantine)} document(s) quarantined"
        )


def _build_on_spark(
    docs: Path,
    spark_dir: Path | None,
    strict: bool,
    lock_timeout: float,
    threads: int | None,
    data_tests: bool,
    verbose: bool,
) -> None:
    """build --engine spark (warehouse/spark_step.py)."""
    from warehouse.spark_step import SparkPaths, run_spark_build

    paths = SparkPaths.create(docs=docs, root=spark_dir)
    try:
        with _Termination():
            report = run_spark_build(
                paths,
                strict=strict,
                lock_timeout=lock_timeout,
                verbose=verbose,
                threads=threads,
                data_tests=data_tests,
                say=click.echo,
            )
    except BuildError as error:
        _fail(error)
    except Exception:
        traceback.print_exc()
        click.echo("build failed: unexpected error (above)", err=True)
        sys.exit(int(ExitCode.FAILED))
    else:
        click.echo(
            f"built on Spark in {report.seconds:.2f} s; marts (Parquet) in "
            f"{paths.warehouse / 'marts.db'}"
        )


@cli.command(epilog=EXIT_CODES_HELP)
@warehouse_option
@click.option(
    "--landed",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Also validate this folder of landed CSVs (e.g. seeds/landed).",
)
@click.option(
    "--manifest",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="dbt's manifest.json naming the marts (default: the last build's, .build/dbt/target).",
)
@reports_option
@verbose_option
def validate(
    warehouse: Path,
    landed: Path | None,
    manifest: Path | None,
    reports: Path | None,
    verbose: bool,
) -> None:
    """Run the great-expectations suites on a published warehouse (read-only).

    Exit 0 when no critical expectation fails, 5 when the landed suite fails, 7 when only the
    marts suite does."""
    import duckdb

    from expectations.landed_suite import landed_checks, open_landed
    from expectations.marts_suite import ManifestError, marts_checks
    from expectations.results import format_table
    from expectations.runner import GxSession
    from warehouse.build import latest_plausible_year
    from warehouse.paths import REPO_ROOT

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
    manifest = manifest or REPO_ROOT / ".build" / "dbt" / "target" / "manifest.json"
    try:
        checks = marts_checks(year, manifest)
    except ManifestError as error:
        raise click.ClickException(str(error)) from error
    with duckdb.connect(str(warehouse), read_only=True) as con:
        results.append(session.validate("marts", con, checks))
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


@cli.command(epilog=EXIT_CODES_HELP)
@warehouse_option
@exports_option
@click.option(
    "--format",
    "export_format",
    type=click.Choice(["all", "csv+parquet", "xlsx"]),
    default="all",
    show_default=True,
    help="all: what the build writes; csv+parquet: exports/csv, exports/parquet and "
    "manifest.json; xlsx: exports/xlsx/marts.xlsx only (a sheet per mart and one describing "
    "every column).",
)
@lock_timeout_option
def export(warehouse: Path, exports: Path | None, export_format: str, lock_timeout: float) -> None:
    """Write the exports of a published warehouse (each folder swapped in whole)."""
    import duckdb

    from warehouse.exports import swap_directory, write_exports
    from warehouse.lock import BuildLock
    from warehouse.paths import BuildPaths
    from warehouse.xlsx_export import write_workbook

    _require(warehouse)
    paths = BuildPaths.create(docs=Path("."), warehouse=warehouse, exports=exports)
    lock = BuildLock(paths.warehouse_lock, f"warehouse {paths.warehouse}")
    lines = []
    try:
        lock.acquire(lock_timeout, click.echo)
        with lock:
            if export_format in ("csv+parquet", "all"):
                with _mart_bar(paths.warehouse, "csv, parquet") as advance:
                    try:
                        exported = write_exports(
                            paths.warehouse,
                            paths.exports_building,
                            on_model=advance,
                            xlsx=export_format == "all",
                            previous=paths.exports,
                        )
                        old_book = paths.exports / "xlsx"
                        if export_format != "all" and old_book.is_dir():  # keep the workbook
                            shutil.copytree(paths.exports / "xlsx", paths.exports_building / "xlsx")
                        swap_directory(paths.exports_building, paths.exports)
                    except (OSError, RuntimeError, duckdb.Error) as error:
                        raise BuildError(ExitCode.EXPORT, f"export failed: {error}") from error
                    finally:
                        shutil.rmtree(paths.exports_building, ignore_errors=True)
                rows = sum(e.rows for e in exported)
                what = "CSV, Parquet and xlsx" if export_format == "all" else "CSV and Parquet"
                lines.append(
                    f"exported {len(exported)} marts, {rows} rows ({what}) → {paths.exports}"
                )
                reused = sum(e.reused for e in exported)
                if reused:
                    parts = sum(len(e.partitions) for e in exported)
                    lines.append(f"{reused} of {parts} partitions unchanged, taken over")
            if export_format == "xlsx":
                target = paths.exports / "xlsx"
                building = target.with_name(f"xlsx.building-{paths.pid}")
                with _mart_bar(paths.warehouse, "xlsx") as advance:
                    try:
                        book = write_workbook(paths.warehouse, building, on_model=advance)
                        swap_directory(building, target)
                    except (OSError, RuntimeError, duckdb.Error) as error:
                        raise BuildError(ExitCode.EXPORT, f"export failed: {error}") from error
                    finally:
                        shutil.rmtree(building, ignore_errors=True)
                lines.append(
                    f"wrote {target / book.path.name}: {len(book.sheets)} sheets, "
                    f"{book.rows} rows, {book.columns_described} columns described"
                )
    except BuildError as error:
        _fail(error)
    for line in lines:
        click.echo(line)


def _mart_bar(warehouse: Path, label: str):
    from warehouse.exports import mart_relations
    from warehouse.terminal import progress_bar

    with _connect(warehouse) as con:
        count = len(mart_relations(con))
    return progress_bar(count, label)


# --- reading the warehouse --------------------------------------------------------------------


def _require(warehouse: Path) -> None:
    if not warehouse.is_file():
        raise click.ClickException(f"{warehouse}: no such file; run `make build` first")


def _connect(warehouse: Path):
    """A read-only connection with the marts on the search path (``show tables`` finds them)."""
    import duckdb

    _require(warehouse)
    con = duckdb.connect(str(warehouse), read_only=True)
    con.execute("set search_path = 'marts,main'")
    return con


def _parse_params(values: tuple[str, ...]) -> dict[str, str]:
    params: dict[str, str] = {}
    for value in values:
        name, sep, text = value.partition("=")
        if not sep or not name.strip().isidentifier():
            raise click.BadParameter(
                f"{value!r}: write name=value and use $name in the SQL", param_hint="--param"
            )
        params[name.strip()] = text
    return params


def _read_sql(sql: str | None, file: Path | None) -> str:
    if sql is not None and file is not None:
        raise click.UsageError("give the SQL as an argument, as - (stdin) or with --file, not both")
    if file is not None:
        return file.read_text(encoding="utf-8")
    if sql is None:
        raise click.UsageError("no SQL: give it as an argument, - for stdin, or --file PATH")
    if sql == "-":
        return click.get_text_stream("stdin", encoding="utf-8").read()
    return sql


@cli.command(epilog=EXIT_CODES_HELP)
@warehouse_option
@click.argument("sql", required=False)
@click.option(
    "--file",
    "-f",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    default=None,
    help="Read the SQL from this file.",
)
@click.option(
    "--param",
    "-p",
    "params",
    multiple=True,
    metavar="NAME=VALUE",
    help="Bind $NAME in the SQL to VALUE (a bound parameter, never pasted into the SQL; "
    "repeatable).",
)
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["table", "csv", "json"]),
    default="table",
    show_default=True,
    help="table for reading, csv (BOM, formula-safe) or json for piping.",
)
@click.option(
    "--limit",
    type=click.IntRange(min=0),
    default=200,
    show_default=True,
    help="Rows printed as a table (0: all). csv and json print every row.",
)
def query(
    warehouse: Path,
    sql: str | None,
    file: Path | None,
    params: tuple[str, ...],
    output_format: str,
    limit: int,
) -> None:
    """Run SQL against the published warehouse, read-only (a build never waits for it).

    The marts are on the search path: ``fct_three_public`` is ``marts.fct_three_public``.

    \b
    budget-warehouse query "select * from audit_reconciliation where status = 'mismatch'"
    budget-warehouse query --param year=2023 "select * from fct_budget_summary where fiscal_year = $year"
    budget-warehouse query --format csv "select * from fct_budget_summary" > summary.csv
    echo "show tables" | budget-warehouse query -
    budget-warehouse query --file question.sql
    """
    import json

    import duckdb

    from warehouse.exports import write_safe_csv

    text = _read_sql(sql, file)
    bound = _parse_params(params)
    with _connect(warehouse) as con:
        try:
            cursor = con.execute(text, bound) if bound else con.execute(text)
        except duckdb.Error as exc:
            raise click.ClickException(f"query failed: {exc}") from None
        if cursor.description is None:
            return
        columns = [d[0] for d in cursor.description]
        rows = cursor.fetchall()
    if output_format == "csv":
        stream = click.get_text_stream("stdout", encoding="utf-8")
        write_safe_csv(stream, columns, rows)
        stream.flush()
    elif output_format == "json":
        records = [dict(zip(columns, row, strict=True)) for row in rows]
        click.echo(json.dumps(records, ensure_ascii=False, default=str, indent=1))
    else:
        shown = rows if limit == 0 else rows[:limit]
        _echo_table(columns, shown)
        more = f" (first {len(shown)} shown; --limit 0 for all)" if len(shown) < len(rows) else ""
        click.echo(f"{len(rows)} row(s){more}")


@cli.command(epilog=EXIT_CODES_HELP)
@warehouse_option
@click.option("--full", is_flag=True, help="Whole descriptions (default: the first sentence).")
def tables(warehouse: Path, full: bool) -> None:
    """List the marts with their row counts and descriptions."""
    from warehouse.catalog import mart_tables

    with _connect(warehouse) as con:
        found = mart_tables(con)
    _echo_table(
        ["table", "rows", "description"],
        [(t.name, f"{t.rows:,}", t.description if full else t.summary) for t in found],
        right={1},
    )
    click.echo(
        f"{len(found)} table(s) in schema marts; `budget-warehouse schema TABLE` for columns"
    )


@cli.command(epilog=EXIT_CODES_HELP)
@warehouse_option
@click.argument("table")
def schema(warehouse: Path, table: str) -> None:
    """Columns of TABLE (a mart, with or without ``marts.``): type and description."""
    from warehouse.catalog import mart_columns, mart_tables

    name = table.removeprefix("marts.")
    with _connect(warehouse) as con:
        known = {t.name: t for t in mart_tables(con, count_rows=False)}
        if name not in known:
            close = [t for t in known if name.lower() in t]
            hint = f" (did you mean {', '.join(close[:5])}?)" if close else ""
            raise click.ClickException(
                f"no table {name!r} in schema marts{hint}; `budget-warehouse tables` lists them"
            )
        columns = mart_columns(con, name)
    info = known[name]
    click.echo(f"marts.{name}: {info.description or '(no description)'}")
    click.echo("")
    _echo_table(
        ["column", "type", "null", "description"],
        [(c.name, c.data_type, "yes" if c.nullable else "no", c.description) for c in columns],
    )
    click.echo(f"{len(columns)} column(s)")


@cli.command(epilog=EXIT_CODES_HELP)
@warehouse_option
@reports_option
def report(warehouse: Path, reports: Path | None) -> None:
    """Rebuild reports/index.html from the published warehouse: one static page of charts
    (inline SVG) that opens offline."""
    _require(warehouse)
    from warehouse.report import write_report

    target = _default_reports(reports, warehouse) / "index.html"
    try:
        written = write_report(warehouse, target)
    except (OSError, RuntimeError) as error:
        _fail(BuildError(ExitCode.REPORT, f"writing {target} failed: {error}"))
    click.echo(f"wrote {written.path}: {written.charts} charts, {written.bytes:,} bytes")


def _echo_table(
    columns: list[str], rows: list[tuple[Any, ...]] | list[list[Any]], right: set[int] = frozenset()
) -> None:
    texts = [[("" if v is None else str(v)) for v in row] for row in rows]
    widths = [max([_width(c), *(_width(r[i]) for r in texts)]) for i, c in enumerate(columns)]

    def line(values: list[str]) -> str:
        cells = [
            (" " * (w - _width(v)) + v) if i in right else _pad(v, w)
            for i, (v, w) in enumerate(zip(values, widths, strict=True))
        ]
        return "  ".join(cells).rstrip()

    click.echo(line(columns))
    click.echo("  ".join("-" * w for w in widths))
    for row in texts:
        click.echo(line(row))


def _width(text: str) -> int:
    """Display width: CJK characters take two columns."""
    import unicodedata

    return sum(2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1 for ch in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _width(text))
