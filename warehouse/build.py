"""The build: lock, ingest, validate landed, dbt build, validate marts, export, publish.

Every step runs against private files (``.build/run-<pid>/``, ``<warehouse>.building-new``,
``<exports>.building-<pid>``); only the last step touches what readers use, with renames. Any
failure removes the private files, puts the previous seeds/landed back, and leaves the
published warehouse and exports exactly as they were.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import time
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor, wait
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import duckdb

from warehouse.build_inputs import PublishRecord, inputs_digest, record_publish, unchanged_publish
from warehouse.dbt_step import (
    LANDED_SCHEMA,
    DbtSummary,
    has_landed_tables,
    load_landed_seeds,
    run_dbt_build,
)
from warehouse.docs_step import ReportJob
from warehouse.errors import BuildError, ExitCode
from warehouse.exports import (
    ExportedModel,
    duckdb_memory_limit,
    swap_directory,
    write_exports,
)
from warehouse.incremental import (
    Start,
    changed_count,
    models_digest,
    record_baseline,
    start_build,
    start_copy,
)
from warehouse.ingest_step import (
    IngestSummary,
    check_strict,
    ingest_documents,
    install_landed,
    restore_landed,
)
from warehouse.landed_load import Landing
from warehouse.lock import BuildLock
from warehouse.memory import release_memory
from warehouse.paths import BuildPaths
from warehouse.progress import Progress
from warehouse.publish import publish, remove_database, sync_soon
from warehouse.quarantine import Quarantine

if TYPE_CHECKING:  # great-expectations and pandas take seconds to import: only when used
    from expectations.results import SuiteResult
    from expectations.runner import GxSession

Say = Callable[[str], None]
STEPS = 7
# dbt build + marts suite rounds: the first, and one more per round that quarantined new
# documents (removing a document never makes another fail, so a second round settles it)
MAX_ROUNDS = 3


@dataclass(frozen=True)
class BuildOptions:
    paths: BuildPaths
    strict: bool = False
    lock_timeout: float = 600.0
    verbose: bool = False
    threads: int | None = None
    jobs: int | None = None  # ingest processes (None: the machine's cores)
    cache: bool = True  # read and write ingest's parse cache
    # start dbt from the published warehouse when the same project built it (warehouse/
    # incremental.py); False: a full build from nothing (--full-refresh, --no-cache)
    incremental: bool = True


@dataclass(frozen=True)
class BuildSteps:
    """The steps that do the work; a test may replace one (e.g. a dbt step that fails)."""

    ingest: Callable[[Path, Path, Path, Say | None], IngestSummary] = ingest_documents
    dbt: Callable[..., DbtSummary] = run_dbt_build
    export: Callable[..., list[ExportedModel]] = write_exports
    publish: Callable[[Path, Path], Path | None] = publish


@dataclass
class BuildReport:
    warehouse: Path
    timings: list[tuple[str, float]]
    ingest: IngestSummary | None = None
    landed: SuiteResult | None = None
    dbt: DbtSummary | None = None
    marts: SuiteResult | None = None
    exports: list[ExportedModel] = field(default_factory=list)
    seconds: float = 0.0
    quarantine: Quarantine = field(default_factory=Quarantine)
    accounting: dict[str, int] = field(default_factory=dict)  # audit_ingest status → files
    # set when nothing changed since the last publish (the later steps were skipped)
    unchanged: PublishRecord | None = None
    incremental: bool = False  # dbt started from the published warehouse
    # the landed tables brought up to date document by document in the copy (incremental)
    landed_updated: tuple[str, ...] = ()


def latest_plausible_year(today: dt.date | None = None) -> int:
    """Budgets for year N are published early in year N: anything later is an error."""
    return (today or dt.date.today()).year + 1


def remove_leftovers(paths: BuildPaths) -> list[Path]:
    """Delete private files of builds that died (call with both locks held)."""
    removed: list[Path] = []
    for path in paths.warehouse.parent.glob(paths.building_glob):
        if path.is_file():
            path.unlink()
            removed.append(path)
    for pattern in (paths.exports_glob, f"{paths.exports.name}.retired-*"):
        for path in paths.exports.parent.glob(pattern):
            shutil.rmtree(path, ignore_errors=True)
            removed.append(path)
    for path in paths.scratch.glob("run-*"):
        shutil.rmtree(path, ignore_errors=True)
        removed.append(path)
    return removed


def run_build(
    options: BuildOptions, steps: BuildSteps | None = None, say: Say = print
) -> BuildReport:
    """Build and publish; raises BuildError (with the exit code to use) when a step fails."""
    started = time.perf_counter()
    paths = options.paths
    progress = Progress(STEPS, say)
    report = BuildReport(paths.warehouse, progress.timings)
    with ExitStack() as stack:
        with progress.step("lock") as note:
            deadline = time.monotonic() + options.lock_timeout
            for lock in (
                BuildLock(paths.warehouse_lock, f"warehouse {paths.warehouse}"),
                BuildLock(paths.project_lock, f"dbt project {paths.project}"),
            ):
                lock.acquire(max(0.0, deadline - time.monotonic()), say)
                stack.callback(lock.release)
            leftovers = remove_leftovers(paths)
            note.text = f"pid {paths.pid}" + (
                f"; removed {len(leftovers)} leftovers of crashed builds" if leftovers else ""
            )
        stack.callback(shutil.rmtree, paths.run_dir, True)
        _build_locked(options, steps or BuildSteps(), progress, report, say)
    report.seconds = time.perf_counter() - started
    return report


def _build_locked(
    options: BuildOptions, steps: BuildSteps, progress: Progress, report: BuildReport, say: Say
) -> None:
    paths = options.paths
    year = latest_plausible_year()
    installed = False
    report_job: ReportJob | None = None
    exporting: Future[list[ExportedModel]] | None = None
    models = models_digest(paths.project)
    # the copy an incremental start takes, made beside the ingest (warehouse/incremental.py)
    copying = (
        start_copy(paths, models, allowed=options.incremental and options.cache)
        if steps.dbt is run_dbt_build
        else None
    )
    try:
        with progress.step("ingest") as note:
            ingest_report = paths.reports / "ingest_report.md"
            extra: dict[str, object] = {"jobs": options.jobs} if options.jobs else {}
            if not options.cache:
                extra["cache"] = False
            report.ingest = steps.ingest(
                paths.docs,
                paths.landed_new,
                ingest_report,
                say if options.verbose else None,
                **extra,
            )
            note.text = report.ingest.describe()
            release_memory()  # the parsed documents, before the landed suite
            if options.strict:
                check_strict(report.ingest, ingest_report)
            # what the build publishes from (the landed files' bytes among it): in the step
            digest = inputs_digest(paths, paths.landed_new, _option_lines(options, year))

        previous = unchanged_publish(paths, digest)
        # the shortcut knows what the default steps publish: replaced steps always run
        if (
            previous is not None
            and not (options.strict and previous.quarantined)
            and steps == BuildSteps()
        ):
            if copying is not None:
                copying.discard()
            install_landed(paths.landed_new, paths.landed, paths.landed_previous)
            report.unchanged = previous
            say(
                f"      unchanged since the publish of {previous.published_at}: the same landed "
                "files, dbt project, code, libraries and options; the published warehouse, "
                "exports and reports stand (landed suite, dbt build, marts suite, exports and "
                "publish skipped)"
            )
            return

        with progress.step("landed suite") as note:
            from expectations.gx_import import preload

            preload()  # GX imports beside the suite's first work (DuckDB's, GIL released)
            from expectations.landed_suite import landed_checks
            from expectations.runner import GxSession

            session = GxSession(paths.reports / "gx")
            start = None
            if steps.dbt is run_dbt_build:
                # the file dbt builds into, with today's landed tables: the suite checks them
                # there (one parse of the landed CSVs for both)
                start = start_build(
                    paths,
                    models,
                    allowed=options.incremental and options.cache,
                    csvs=paths.landed_new,
                    copied=copying,
                    landing=report.ingest.landing,
                )
            con = _open_landed(paths, start, report.ingest.landing)
            _cap_memory(con)
            try:
                report.landed = session.validate("landed", con, landed_checks(year))
            finally:
                con.close()
            note.text = report.landed.headline()
            _print_results(report.landed, options.verbose, say)
            if not report.landed.passed:
                raise BuildError(ExitCode.LANDED_EXPECTATIONS, report.landed.failure_message())
            report.quarantine.add_outcomes(report.landed)

        install_landed(paths.landed_new, paths.landed, paths.landed_previous)
        installed = True

        with progress.step("dbt build") as note:
            if start is None:  # replaced dbt steps (tests) build from nothing
                start = start_build(paths, models, allowed=False)
            report.incremental = start.incremental
            report.landed_updated = start.loaded.updated if start.loaded is not None else ()
            report.dbt = _dbt_round(steps, options, report.quarantine)
            note.text = f"{report.dbt.describe()}; {start.reason}{_changed_text(paths)}"

        with progress.step("marts suite") as note:
            # the exports are written beside the suite (both only read the file); a round that
            # quarantines documents, or a failure, throws them away before anything else
            exporting = _start_exports(steps, paths)
            for round_number in range(1, MAX_ROUNDS + 1):
                report.marts = _validate_marts(session, paths, year)
                found = report.quarantine.add_outcomes(report.marts)
                found += report.quarantine.add_dbt(report.dbt, paths.building)
                if not found:
                    break
                _drop_exports(exporting, paths)  # dbt builds into the file again
                exporting = None
                if round_number == MAX_ROUNDS:
                    raise BuildError(
                        ExitCode.DBT,
                        f"document checks still fail after {MAX_ROUNDS} rounds of quarantine "
                        f"({report.quarantine.describe()}): the checks are not per document",
                    )
                say(
                    f"      quarantined {found} more document(s); rebuilding without "
                    f"{len(report.quarantine)}"
                )
                report.dbt = _dbt_round(steps, options, report.quarantine)
                say(f"      dbt round {round_number + 1}:{_changed_text(paths)}")
            note.text = report.marts.headline()
            _print_results(report.marts, options.verbose, say)
            if not report.marts.passed:
                raise BuildError(ExitCode.MARTS_EXPECTATIONS, report.marts.failure_message())
            report.accounting = _accounting(paths.building, report)
            say("      " + _describe_accounting(report.accounting, report.quarantine))
            if options.strict and report.quarantine:
                raise BuildError(
                    ExitCode.QUARANTINED,
                    f"--strict: {len(report.quarantine)} document(s) quarantined "
                    f"({report.quarantine.describe()}); nothing was published",
                )

        with progress.step("exports") as note:
            # the report of the publish step, drawn beside the exports (both only read)
            report_job = ReportJob(paths).start()
            if exporting is None:  # the marts suite's last round quarantined documents
                exporting = _start_exports(steps, paths)
            try:
                report.exports = exporting.result()
            except (OSError, duckdb.Error) as error:
                raise BuildError(ExitCode.EXPORT, f"writing exports failed: {error}") from error
            rows = sum(e.rows for e in report.exports)
            note.text = f"{len(report.exports)} marts, {rows} rows → {paths.exports}"
            reused = sum(e.reused for e in report.exports)
            if reused:
                parts = sum(len(e.partitions) for e in report.exports)
                note.text += f" ({reused} of {parts} partitions unchanged, taken over)"

        with progress.step("publish") as note:
            from warehouse.docs_step import run_docs_step

            # reports/dbt_docs/index.html, reports/index.html (the latter drawn beside the exports)
            docs = run_docs_step(paths, say, report_job)
            try:
                if steps.dbt is run_dbt_build:
                    record_baseline(paths.building, models)
                stale = steps.publish(paths.building, paths.warehouse)
                swap_directory(paths.exports_building, paths.exports)
            except (OSError, RuntimeError, duckdb.Error) as error:
                raise BuildError(
                    ExitCode.PUBLISH, f"publishing {paths.warehouse} failed: {error}"
                ) from error
            note.text = f"{paths.warehouse} ({paths.warehouse.stat().st_size:,} bytes); {docs}"
            record_publish(paths, digest, len(report.quarantine))
            if stale:
                note.text += f"; a stale write-ahead log of the old file was moved to {stale}"
    except BaseException:
        if copying is not None:
            copying.discard()  # (before the building file is removed; not when taken)
        _drop_exports(exporting, paths)  # they read the file _discard removes, as the report
        if report_job is not None:
            report_job.wait()
        _discard(paths, installed)
        raise


def _start_exports(steps: BuildSteps, paths: BuildPaths) -> Future[list[ExportedModel]]:
    """The export step (:func:`write_exports` taking unchanged partitions over from the
    published exports, linking whole files: the published exports are removed when these
    replace them) on a thread of its own, into ``paths.exports_building``."""
    sync_soon(paths.building)  # written to disk beside the exports (publish fsyncs it)
    reuse: dict[str, object] = (
        {"previous": paths.exports, "link": True} if steps.export is write_exports else {}
    )
    pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="exports")
    try:
        return pool.submit(steps.export, paths.building, paths.exports_building, **reuse)
    finally:
        pool.shutdown(wait=False)  # the thread ends with the export


def _drop_exports(exporting: Future[list[ExportedModel]] | None, paths: BuildPaths) -> None:
    """Wait for an export under way (its outcome, or error, unused) and remove what it
    wrote."""
    if exporting is not None:
        wait([exporting])
        shutil.rmtree(paths.exports_building, ignore_errors=True)


def _open_landed(
    paths: BuildPaths, start: Start | None, landing: Landing | None = None
) -> duckdb.DuckDBPyConnection:
    """The landed suite's connection: to ``paths.building`` with the landed tables loaded
    (``start``: loaded by an incremental start; otherwise loaded here into a new file, which
    dbt then builds into) and read there, or, when they cannot be loaded (a CSV that is not
    the declared columns or not CSV: the suite says what is wrong) or ``start`` is None (a
    replaced dbt step), the landed CSVs themselves."""
    from expectations.landed_suite import open_landed, open_loaded

    if start is not None and not start.incremental:
        try:
            load_landed_seeds(paths.building, paths.landed, paths.landed_new, landing)
        except (OSError, ValueError, duckdb.Error):
            remove_database(paths.building)  # the dbt step loads them, or says why it cannot
    if start is not None and has_landed_tables(paths.building):
        return open_loaded(paths.building, LANDED_SCHEMA, paths.landed_new)
    return open_landed(paths.landed_new)


def _dbt_round(steps: BuildSteps, options: BuildOptions, quarantine: Quarantine) -> DbtSummary:
    """One dbt build; the quarantine var only when there is one (a test's dbt step need not
    know it)."""
    kwargs: dict[str, object] = {"verbose": options.verbose, "threads": options.threads}
    if quarantine:
        kwargs["quarantine"] = quarantine.as_var()
    try:
        return steps.dbt(options.paths, **kwargs)
    finally:
        release_memory()  # dbt's parse and DuckDB's buffers, before the marts suite


def _changed_text(paths: BuildPaths) -> str:
    counts = changed_count(paths.building)
    if counts is None:
        return ""
    return f" ({counts[0]} of {counts[1]} documents computed)"


def _option_lines(options: BuildOptions, year: int) -> list[str]:
    """The options that change what a build publishes (not --jobs: the landed files are the
    same whatever the number), as text for :func:`inputs_digest`."""
    return [f"strict={options.strict}", f"threads={options.threads}", f"year={year}"]


def _validate_marts(session: GxSession, paths: BuildPaths, year: int) -> SuiteResult:
    from expectations.marts_suite import marts_checks

    with duckdb.connect(str(paths.building), read_only=True) as con:
        _cap_memory(con)
        checks = marts_checks(year, paths.dbt_target / "manifest.json")
        return session.validate("marts", con, checks)


def _cap_memory(con: duckdb.DuckDBPyConnection) -> None:
    """DuckDB's buffers capped as for dbt and the exports (``duckdb_memory_limit``)."""
    con.execute(f"set memory_limit = '{duckdb_memory_limit()}'")


ACCOUNTED = ("landed", "partial", "duplicate", "rejected", "quarantined")


def _accounting(database: Path, report: BuildReport) -> dict[str, int]:
    """audit_ingest's files by status (that they add up to the input files is the dbt test
    assert_audit_ingest_accounts_for_every_file); BuildError(DBT) on a status outside the
    five, which would be a defect of audit_ingest."""
    with duckdb.connect(str(database), read_only=True) as con:
        try:
            rows = con.execute(
                "select status, count(*) from marts.audit_ingest group by status"
            ).fetchall()
        except duckdb.Error:
            return {}  # a test's dbt step that builds no audit_ingest
    counts = dict.fromkeys(ACCOUNTED, 0)
    counts.update({str(status): int(n) for status, n in rows})
    if set(counts) - set(ACCOUNTED):
        raise BuildError(ExitCode.DBT, f"audit_ingest has a status outside {ACCOUNTED}: {counts}")
    return counts


def _describe_accounting(counts: dict[str, int], quarantine: Quarantine) -> str:
    total = sum(counts.values())
    parts = " + ".join(f"{counts.get(s, 0)} {s}" for s in ACCOUNTED)
    text = f"files {total} = {parts}"
    if quarantine:
        text += f"; quarantined: {quarantine.describe()}"
    return text


def _discard(paths: BuildPaths, installed: bool) -> None:
    """Remove this build's private files; keep its landed CSVs in .build/failed/landed."""
    remove_database(paths.building)
    shutil.rmtree(paths.exports_building, ignore_errors=True)
    if installed:
        restore_landed(paths.landed, paths.landed_previous, paths.landed_failed)
    elif paths.landed_new.is_dir():
        shutil.rmtree(paths.landed_failed, ignore_errors=True)
        paths.landed_failed.parent.mkdir(parents=True, exist_ok=True)
        os.replace(paths.landed_new, paths.landed_failed)


def _print_results(result: SuiteResult, verbose: bool, say: Say) -> None:
    from expectations.results import format_table

    say(format_table([result], show_passed=verbose))
    if result.docs_index:
        say(f"data docs: {result.docs_index}")
