"""The build's last step before publishing: dbt's docs as one static page, and the report.

- ``reports/dbt_docs/index.html``: ``dbt docs generate --static`` (manifest and catalog
  inlined, so the page opens from disk with no server and no network).
- ``reports/index.html``: the charts page (:mod:`warehouse.report`).

Both are read from the new, not yet published database. They are for people to read, so a
failure here is reported and the build goes on: the warehouse itself is not affected
(``budget-warehouse report`` rebuilds the report and exits 10 when it cannot).
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from pathlib import Path

from warehouse.paths import BuildPaths

Say = Callable[[str], None]
DOCS_FOLDER = "dbt_docs"


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


def run_docs_step(paths: BuildPaths, say: Say) -> None:
    """dbt docs and the report of the building database; failures are said, not raised."""
    import duckdb

    from warehouse.report import write_report

    try:
        page = generate_dbt_docs(paths, paths.building)
        say(f"dbt docs: {page}")
    except (OSError, RuntimeError) as error:
        say(f"dbt docs: not written ({error}); the build goes on")
    try:
        report = write_report(
            paths.building, paths.reports / "index.html", source=paths.warehouse.name
        )
        say(f"report: {report.path} ({report.charts} charts)")
    except (OSError, RuntimeError, ValueError, duckdb.Error) as error:
        say(f"report: not written ({error}); `budget-warehouse report` rebuilds it")
