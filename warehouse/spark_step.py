"""``budget-warehouse build --engine spark``: the same dbt project built on Apache Spark.

Scope (issue 13): ingest the documents, write every seed CSV (``landed`` and
``seeds/reference``) as Parquet (the dbt source ``seeds_parquet``, which Spark reads in place),
and ``dbt build --target spark`` (models, data tests, unit tests). The great-expectations suites, exports, report and publication stay with the
DuckDB build. The marts are Parquet tables under ``<spark dir>/warehouse/marts.db/<model>/``,
readable by Spark, DuckDB or polars.

Everything Spark writes (the warehouse, the Derby metastore, ``derby.log``, scratch, dbt's
target and logs) stays in the Spark folder (``.build/spark/`` by default), never in the
repository root. dbt-spark's ``session`` method starts a local Spark inside this process: it
needs Java 17 (``make spark-java``) and ``requirements-spark.txt``.
"""

from __future__ import annotations

import os
import shutil
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from warehouse.dbt_step import DbtSummary, environment, project_arguments, summarise
from warehouse.errors import BuildError, ExitCode
from warehouse.ingest_step import IngestSummary, check_strict, ingest_documents
from warehouse.lock import BuildLock
from warehouse.paths import REPO_ROOT
from warehouse.progress import Progress

Say = Callable[[str], None]
STEPS = 4
SPARK_TARGET = "spark"
DEFAULT_SPARK_DIR = REPO_ROOT / ".build" / "spark"


@dataclass(frozen=True)
class SparkPaths:
    """Every path a Spark build touches; ``root`` is SPARK_BUILD_DIR of profiles.yml."""

    project: Path
    docs: Path
    root: Path

    @classmethod
    def create(
        cls, *, docs: Path, root: Path | None = None, project: Path | None = None
    ) -> SparkPaths:
        return cls(
            project=(project or REPO_ROOT).resolve(),
            docs=docs.expanduser().resolve(),
            root=(root or DEFAULT_SPARK_DIR).expanduser().resolve(),
        )

    @property
    def landed(self) -> Path:
        """The landed CSVs of this build (the DuckDB build's seeds/landed is left alone)."""
        return self.root / "landed"

    @property
    def parquet(self) -> Path:
        """<name>/data.parquet for every seed: the tables of the source seeds_parquet."""
        return self.root / "seeds_parquet"

    @property
    def warehouse(self) -> Path:
        """spark.sql.warehouse.dir: <schema>.db/<table>/ Parquet files."""
        return self.root / "warehouse"

    @property
    def ingest_report(self) -> Path:
        return self.root / "ingest_report.md"

    @property
    def lock(self) -> Path:
        return self.root / "build.lock"

    @property
    def dbt_target(self) -> Path:
        return self.root / "dbt" / "target"

    @property
    def dbt_logs(self) -> Path:
        return self.root / "dbt" / "logs"

    def mart(self, name: str) -> Path:
        """The folder of a mart's Parquet files."""
        return self.warehouse / "marts.db" / name


@dataclass
class SparkBuildReport:
    paths: SparkPaths
    timings: list[tuple[str, float]]
    ingest: IngestSummary | None = None
    parquet: dict[str, int] = field(default_factory=dict)  # seed → rows written
    dbt: DbtSummary | None = None
    seconds: float = 0.0


def java_problem() -> str | None:
    """Why Spark cannot start here (no Java), or None."""
    java_home = os.environ.get("JAVA_HOME")
    if java_home and (Path(java_home) / "bin" / "java").is_file():
        return None
    if shutil.which("java"):
        return None
    return (
        "no Java found (JAVA_HOME unset and no `java` on PATH): Spark needs Java 17; "
        "install it with `make spark-java` (apt-get install openjdk-17-jre-headless)"
    )


def pyspark_problem() -> str | None:
    """Why dbt-spark's session method cannot run here, or None."""
    try:
        import pyspark  # noqa: F401
        from dbt.adapters.spark import Plugin  # noqa: F401
    except ImportError as error:
        return (
            f"{error}: the Spark build needs dbt-spark[session] and pyspark; "
            "install them with `.venv/bin/pip install -r requirements-spark.txt` "
            "(`make build ENGINE=spark` and `make test` do)"
        )
    return None


LOG_CONFIG = """\
# Written by warehouse/spark_step.py for each Spark build (profiles.yml points the driver at it).
rootLogger.level = {level}
rootLogger.appenderRef.stderr.ref = console
appender.console.type = Console
appender.console.name = console
appender.console.target = SYSTEM_ERR
appender.console.layout.type = PatternLayout
appender.console.layout.pattern = %d{{yy/MM/dd HH:mm:ss}} %p %c{{1}}: %m%n%ex
"""


def write_log_config(root: Path, *, verbose: bool) -> Path:
    """Spark's log4j2 configuration: errors only, or warnings with --verbose (Spark warns on
    every statement dbt runs that it reuses the session)."""
    root.mkdir(parents=True, exist_ok=True)
    path = root / "log4j2.properties"
    path.write_text(LOG_CONFIG.format(level="warn" if verbose else "error"), encoding="utf-8")
    return path


def seed_csvs(landed: Path, project: Path) -> list[Path]:
    """The landed CSVs and the reference seeds, in name order (each becomes a source table)."""
    return sorted([*landed.glob("*.csv"), *(project / "seeds" / "reference").glob("*.csv")])


def write_seeds_parquet(csv_files: Iterable[Path], out: Path) -> dict[str, int]:
    """Write each CSV as ``out/<name>/data.parquet`` with every column text, read the way
    dbt-duckdb loads the seeds (header row, empty field → null); name → rows. ``out`` is
    replaced as a whole, so a seed that is gone leaves no stale table."""
    import duckdb

    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)
    rows: dict[str, int] = {}
    with duckdb.connect() as con:
        for csv in csv_files:
            folder = out / csv.stem
            folder.mkdir()
            target = folder / "data.parquet"
            con.execute(
                "copy (select * from read_csv(?, all_varchar = true, header = true)) "
                f"to '{_sql_path(target)}' (format parquet)",
                [str(csv)],
            )
            rows[csv.stem] = int(
                con.execute("select count(*) from read_parquet(?)", [str(target)]).fetchone()[0]
            )
    return rows


def _sql_path(path: Path) -> str:
    return str(path).replace("'", "''")


def dbt_arguments(command: list[str], paths: SparkPaths, *, verbose: bool) -> list[str]:
    return [
        *command, "--target", SPARK_TARGET,
        *project_arguments(paths.project, paths.dbt_target, paths.dbt_logs, verbose),
    ]  # fmt: skip


def _invoke(command: list[str], paths: SparkPaths, *, verbose: bool, what: str) -> DbtSummary:
    from dbt.cli.main import dbtRunner

    env = {
        "SPARK_BUILD_DIR": str(paths.root),
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
        "DO_NOT_TRACK": "1",
    }
    with environment(env):
        outcome = dbtRunner().invoke(dbt_arguments(command, paths, verbose=verbose))
    if isinstance(outcome.exception, KeyboardInterrupt | SystemExit):
        raise outcome.exception
    summary = summarise(outcome.result)
    if outcome.success:
        return summary
    if outcome.exception is not None:
        detail = f"dbt could not run ({what}): {outcome.exception}"
    else:
        shown = "\n".join(f"  {f}" for f in summary.failures[:20])
        detail = f"dbt {what} on Spark failed ({summary.describe()}):\n{shown}"
    raise BuildError(
        ExitCode.DBT,
        f"{detail}\ndbt's log: {paths.dbt_logs / 'dbt.log'}; rerun with --verbose to see "
        "dbt's and Spark's output.",
    )


def run_spark_build(
    paths: SparkPaths,
    *,
    strict: bool = False,
    lock_timeout: float = 600.0,
    verbose: bool = False,
    threads: int | None = None,
    data_tests: bool = True,
    say: Say = print,
) -> SparkBuildReport:
    """Ingest, Parquet, ``dbt build --target spark``; BuildError with the exit code to use.
    ``data_tests=False`` leaves out dbt's data tests (models and unit tests still run): the
    smoke test's scope, as the DuckDB build runs every data test on the same data."""
    started = time.perf_counter()
    for problem in (pyspark_problem(), java_problem()):
        if problem:
            raise BuildError(ExitCode.FAILED, f"cannot build on Spark: {problem}")
    progress = Progress(STEPS, say)
    report = SparkBuildReport(paths, progress.timings)
    lock = BuildLock(paths.lock, f"Spark build in {paths.root}")
    with progress.step("lock") as note:
        lock.acquire(lock_timeout, say)
        note.text = f"{paths.root}"
    try:
        with progress.step("ingest") as note:
            shutil.rmtree(paths.landed, ignore_errors=True)
            report.ingest = ingest_documents(
                paths.docs, paths.landed, paths.ingest_report, say if verbose else None
            )
            note.text = report.ingest.describe()
            if strict:
                check_strict(report.ingest, paths.ingest_report)

        with progress.step("parquet") as note:
            report.parquet = write_seeds_parquet(
                seed_csvs(paths.landed, paths.project), paths.parquet
            )
            note.text = (
                f"{len(report.parquet)} seeds, {sum(report.parquet.values())} rows → "
                f"{paths.parquet}"
            )

        with progress.step("dbt build") as note:
            write_log_config(paths.root, verbose=verbose)
            command = ["build"] + (["--threads", str(threads)] if threads else [])
            if not data_tests:
                command += ["--exclude-resource-type", "test"]
            report.dbt = _invoke(command, paths, verbose=verbose, what="build")
            note.text = f"{report.dbt.describe()}; marts in {paths.warehouse / 'marts.db'}"
    finally:
        lock.release()
    report.seconds = time.perf_counter() - started
    return report
