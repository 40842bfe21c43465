"""The build's last step before publishing: dbt's docs as one static page, and the report.

- ``reports/dbt_docs/index.html``: ``dbt docs generate --static`` (manifest and catalog
  inlined, so the page opens from disk with no server and no network).
- ``reports/index.html``: the charts page (:mod:`warehouse.report`).

Both are read from the new, not yet published database. They are for people to read, so a
failure here is reported and the build goes on: the warehouse itself is not affected
(``budget-warehouse report`` rebuilds the report and exits 10 when it cannot).

dbt's page shows the project (manifest: models, columns, descriptions, tests, SQL and compiled
SQL, lineage) and the catalog of the database (every relation with its columns, types and
comments; DuckDB's catalog has no row counts or other statistics). Neither depends on the
rows, so when the project (:func:`warehouse.incremental.models_digest`, which covers dbt's
version) and the catalog are those the page on disk was generated from, the page stands and
``dbt docs generate`` (seconds: it compiles every node) is not run again. What it was
generated from is kept beside it (``.generated-from.json``, with the page's size and
modification time, so that a replaced page is generated again).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import os
import shutil
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from warehouse.paths import BuildPaths

Say = Callable[[str], None]
DOCS_FOLDER = "dbt_docs"
STAMP = ".generated-from.json"
# the schema warehouse/incremental.py writes its baseline into at publish: not a dbt relation
NOT_IN_CATALOG = ("incremental",)


def dbt_docs_arguments(paths: BuildPaths, target: Path) -> list[str]:
    return [
        "docs",
        "generate",
        "--static",
        "--project-dir",
        str(paths.project),
        "--profiles-dir",
        str(paths.project),
        "--target-path",
        str(target),
        "--log-path",
        str(paths.dbt_logs),
        "--quiet",
    ]


def generate_dbt_docs(paths: BuildPaths, database: Path) -> Path:
    """Run ``dbt docs generate --static`` against ``database``; install the page under
    ``reports/dbt_docs/index.html`` (replaced whole). Raises RuntimeError when dbt fails."""
    from dbt.cli.main import dbtRunner

    from warehouse.dbt_step import environment, release_duckdb
    from warehouse.memory import release_memory

    target = paths.dbt_target  # the build's own target: dbt reuses its partial parse
    env = {
        "WAREHOUSE_BUILD_PATH": str(database),
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
        "DO_NOT_TRACK": "1",
    }
    with environment(env):
        try:
            outcome = dbtRunner().invoke(dbt_docs_arguments(paths, target))
        finally:
            release_duckdb()
            release_memory()
    if isinstance(outcome.exception, KeyboardInterrupt | SystemExit):
        raise outcome.exception
    page = target / "static_index.html"
    if not outcome.success or not page.is_file():
        raise RuntimeError(
            f"dbt docs generate failed ({outcome.exception or 'see the log'}); dbt's log: "
            f"{paths.dbt_logs / 'dbt.log'}"
        )
    folder = paths.reports / DOCS_FOLDER
    folder.mkdir(parents=True, exist_ok=True)
    partial = folder / f".index.html.{os.getpid()}"
    shutil.copyfile(page, partial)
    os.replace(partial, folder / "index.html")
    return folder / "index.html"


def catalog_rows(database: Path) -> list[tuple[object, ...]]:
    """What dbt's catalog reads of ``database``: every table and view with its type and
    comment, every column with its position, type and comment (in a fixed order)."""
    import duckdb

    excluded = ", ".join(f"'{schema}'" for schema in NOT_IN_CATALOG)
    with duckdb.connect(str(database), read_only=True) as con:
        return con.execute(
            f"""
            with relations as (
                select database_name, schema_name, table_name, 'table' as kind, comment
                from duckdb_tables()
                union all
                select database_name, schema_name, view_name, 'view', comment
                from duckdb_views()
                where not internal
            )
            select r.database_name, r.schema_name, r.table_name, r.kind, r.comment,
                c.column_index, c.column_name, c.data_type, c.comment
            from relations as r
            left join duckdb_columns() as c using (database_name, schema_name, table_name)
            where r.database_name = current_database()
                and r.schema_name not in ({excluded})
            order by all
            """
        ).fetchall()


def docs_source(paths: BuildPaths, database: Path) -> str:
    """sha256 of what the docs page is generated from: the dbt project and dbt's version
    (:func:`models_digest`), this module, and :func:`catalog_rows` of ``database``."""
    from warehouse.incremental import models_digest

    digest = hashlib.sha256(models_digest(paths.project).encode())
    digest.update(Path(__file__).read_bytes())
    for row in catalog_rows(database):
        digest.update(("\0" + "\t".join("∅" if v is None else str(v) for v in row)).encode())
    return digest.hexdigest()


@dataclass(frozen=True)
class DocsStamp:
    source: str  # docs_source() of the build that generated the page
    generated_at: str  # ISO time (UTC)
    size: int  # of the page, to see it was not replaced since
    mtime_ns: int


def standing_docs(paths: BuildPaths, source: str) -> DocsStamp | None:
    """The stamp of ``reports/dbt_docs/index.html`` when it was generated from ``source``
    and is still the page written then; None otherwise."""
    folder = paths.reports / DOCS_FOLDER
    try:
        stamp = DocsStamp(**json.loads((folder / STAMP).read_text(encoding="utf-8")))
        stat = (folder / "index.html").stat()
    except (OSError, ValueError, TypeError):
        return None
    if stamp.source != source or (stat.st_size, stat.st_mtime_ns) != (stamp.size, stamp.mtime_ns):
        return None
    return stamp


def _write_stamp(page: Path, source: str) -> None:
    stat = page.stat()
    stamp = DocsStamp(
        source,
        dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        stat.st_size,
        stat.st_mtime_ns,
    )
    partial = page.with_name(f"{STAMP}.{os.getpid()}")
    partial.write_text(json.dumps(stamp.__dict__, indent=1) + "\n", encoding="utf-8")
    os.replace(partial, page.with_name(STAMP))


def _dbt_docs(paths: BuildPaths, say: Say) -> str:
    """Generate the page, or keep it when nothing it shows changed; what happened, short."""
    import duckdb

    folder = paths.reports / DOCS_FOLDER
    try:
        source = docs_source(paths, paths.building)
    except (OSError, duckdb.Error) as error:
        source = ""  # generated (and not stamped)
        say(f"dbt docs: the catalog of {paths.building} was not read ({error})")
    stamp = standing_docs(paths, source) if source else None
    if stamp is not None:
        say(
            f"dbt docs: {folder / 'index.html'} stands (generated {stamp.generated_at} from "
            "the same dbt project and catalog)"
        )
        return "dbt docs unchanged"
    (folder / STAMP).unlink(missing_ok=True)
    try:
        page = generate_dbt_docs(paths, paths.building)
    except (OSError, RuntimeError) as error:
        say(f"dbt docs: not written ({error}); the build goes on")
        return "dbt docs not written"
    if source:
        with contextlib.suppress(OSError):  # then the next build generates the page again
            _write_stamp(page, source)
    say(f"dbt docs: {page}")
    return "dbt docs generated"


@dataclass
class ReportJob:
    """The report of the building database, written on a thread of its own (beside the
    exports: both only read the file, the exports mostly in DuckDB with the GIL released, the
    report mostly in Python); :meth:`finish` waits for it and says what it said."""

    paths: BuildPaths
    lines: list[str] = field(default_factory=list)
    outcome: str = ""
    _thread: threading.Thread | None = None

    def start(self) -> ReportJob:
        self._thread = threading.Thread(target=self._run, name="report", daemon=True)
        self._thread.start()
        return self

    def _run(self) -> None:
        self.outcome = write_report_step(self.paths, self.lines.append)

    def wait(self) -> None:
        """Wait for the thread (before the building file is published or removed)."""
        if self._thread is not None:
            self._thread.join()
            self._thread = None

    def finish(self, say: Say) -> str:
        self.wait()
        for line in self.lines:
            say(line)
        self.lines.clear()
        return self.outcome


def write_report_step(paths: BuildPaths, say: Say) -> str:
    """The report of the building database; failures are said, not raised. Returns what was
    done with the seconds it took."""
    import duckdb

    from warehouse.report import PAGES, write_report

    started = time.perf_counter()
    try:
        report = write_report(
            paths.building, paths.reports / "index.html", source=paths.warehouse.name
        )
        pages = (
            f"; {report.pages} pages of large sections in {report.path.parent / PAGES}/, "
            f"{report.drawn} drawn again" if report.pages else ""
        )
        say(f"report: {report.path} ({report.charts} charts){pages}")
        written = f"report ({report.drawn} of {report.pages} pages drawn)" if report.pages \
            else "report"
    except (OSError, RuntimeError, ValueError, duckdb.Error) as error:
        say(f"report: not written ({error}); `budget-warehouse report` rebuilds it")
        written = "report not written"
    return f"{written} {time.perf_counter() - started:.1f} s"


def run_docs_step(paths: BuildPaths, say: Say, report: ReportJob | None = None) -> str:
    """dbt docs and the report of the building database; failures are said, not raised.
    ``report``: the report already under way (:class:`ReportJob`), waited for here (after
    dbt docs, whose dbt opens the file for writing: the report's thread has finished by then
    if it read the file beside the exports). Returns what was done with the seconds each
    took (for the build's step line)."""
    if report is not None:
        report.wait()  # dbt-duckdb opens the file for writing: not beside a reader
    started = time.perf_counter()
    docs = _dbt_docs(paths, say)
    docs += f" {time.perf_counter() - started:.1f} s"
    written = report.finish(say) if report is not None else write_report_step(paths, say)
    return f"{docs}, {written}"
