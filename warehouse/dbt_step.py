"""Step d: ``dbt build`` (seeds, models, tests) in-process, into a new DuckDB file.

The profile reads the database path from ``WAREHOUSE_BUILD_PATH``; the build points it at
``<warehouse>.building-<pid>`` so the published file is never opened for writing. dbt's
target and logs go to ``.build/dbt/`` (covered by the project lock), away from the
``target/`` that engineers' own dbt runs use.
"""

from __future__ import annotations

import json
import os
import re
from collections import Counter
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from warehouse.errors import BuildError, ExitCode
from warehouse.paths import BuildPaths

FAILED_STATUSES = frozenset({"error", "fail", "runtime error"})
# A dbt test a document's content can fail carries this tag (with severity: warn and
# store_failures: true, and a document_id column in its failing rows): its failure quarantines
# the documents of the failing rows. Every other test is an invariant of the code.
DOCUMENT_CHECK_TAG = "document_check"


@dataclass(frozen=True)
class DocumentCheckFailure:
    """A failed document check: the test and the table holding its failing rows."""

    test: str  # the test's name
    relation: str | None  # where dbt stored the failing rows (store_failures)
    failing_rows: int


@dataclass(frozen=True)
class DbtSummary:
    statuses: dict[str, int]  # node status → count
    failures: tuple[str, ...]  # 'model.x: message' for each failed node
    document_failures: tuple[DocumentCheckFailure, ...] = field(default=())

    def describe(self) -> str:
        return ", ".join(f"{n} {s}" for s, n in sorted(self.statuses.items())) or "nothing ran"


@contextmanager
def environment(values: Mapping[str, str]) -> Iterator[None]:
    """Set environment variables for the duration of the block (dbt reads env_var() then)."""
    saved = {key: os.environ.get(key) for key in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


def dbt_arguments(
    paths: BuildPaths,
    *,
    verbose: bool,
    threads: int | None,
    quarantine: Sequence[Mapping[str, object]] = (),
) -> list[str]:
    args = [
        "build",
        "--project-dir",
        str(paths.project),
        "--profiles-dir",
        str(paths.project),
        "--target-path",
        str(paths.dbt_target),
        "--log-path",
        str(paths.dbt_logs),
    ]
    if not verbose:
        args.append("--quiet")
    if threads:
        args += ["--threads", str(threads)]
    if quarantine:
        args += ["--vars", json.dumps({"quarantine": list(quarantine)}, ensure_ascii=False)]
    return args


def summarise(result: Any) -> DbtSummary:
    """Count node statuses and describe failures from a dbt RunExecutionResult."""
    statuses: Counter[str] = Counter()
    failures = []
    document_failures = []
    for node_result in getattr(result, "results", None) or []:
        status = str(getattr(node_result.status, "value", node_result.status))
        statuses[status] += 1
        node = node_result.node
        if DOCUMENT_CHECK_TAG in (getattr(node, "tags", None) or ()) and status in ("warn", "fail"):
            document_failures.append(
                DocumentCheckFailure(
                    node.name,
                    getattr(node, "relation_name", None),
                    int(getattr(node_result, "failures", 0) or 0),
                )
            )
            if status == "warn":
                continue
        if status in FAILED_STATUSES:
            message = (node_result.message or "").strip().splitlines()
            failures.append(f"{node_result.node.unique_id}: {message[0] if message else status}")
    return DbtSummary(dict(statuses), tuple(failures), tuple(document_failures))


def release_duckdb() -> None:
    """Close the DuckDB database dbt-duckdb keeps open in this process after a run.

    dbt-duckdb caches one environment (and so one DuckDB instance per file) at class level
    until the process exits. While it is open, this process cannot open the new file
    read-only ("different configuration") and its write-ahead log is not folded in."""
    from dbt.adapters.duckdb.connections import DuckDBConnectionManager as manager

    with manager._LOCK:
        environment_ = manager._ENV
        manager._ENV = None
        if environment_ is not None:
            environment_.close()


def run_dbt_build(
    paths: BuildPaths,
    *,
    verbose: bool = False,
    threads: int | None = None,
    quarantine: Sequence[Mapping[str, object]] = (),
) -> DbtSummary:
    """Run ``dbt build`` into ``paths.building`` with the ``quarantine`` var (documents left
    out of the marts); BuildError(DBT) naming the failed nodes. A failed document check is
    not a failure here: it is in ``document_failures`` for the build to quarantine."""
    from dbt.cli.main import dbtRunner

    env = {
        "WAREHOUSE_BUILD_PATH": str(paths.building),
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
        "DO_NOT_TRACK": "1",
    }
    with environment(env):
        try:
            outcome = dbtRunner().invoke(
                dbt_arguments(paths, verbose=verbose, threads=threads, quarantine=quarantine)
            )
        finally:
            release_duckdb()
    if isinstance(outcome.exception, KeyboardInterrupt | SystemExit):
        raise outcome.exception  # interrupted (Ctrl-C, SIGTERM): not a dbt failure
    summary = summarise(outcome.result)
    if outcome.success:
        return summary
    if outcome.exception is not None:
        detail = f"dbt could not run: {outcome.exception}"
    else:
        shown = "\n".join(f"  {f}" for f in summary.failures[:20])
        more = len(summary.failures) - 20
        detail = f"dbt build failed ({summary.describe()}):\n{shown}" + (
            f"\n  … and {more} more" if more > 0 else ""
        )
    raise BuildError(
        ExitCode.DBT,
        f"{detail}\nThe published warehouse was not changed. dbt's log: "
        f"{paths.dbt_logs / 'dbt.log'}; rerun with --verbose to see dbt's output.",
    )


def failing_documents(
    database: Any, failure: DocumentCheckFailure, max_samples: int = 3
) -> dict[str, tuple[int, tuple[str, ...]]]:
    """document_id → (failing rows, a few of them as 'column=value …') of a document check,
    read from the rows dbt stored; BuildError(DBT) when they name no document (the test
    breaks the convention, which is a defect of the project)."""
    if not failure.relation:
        raise BuildError(
            ExitCode.DBT,
            f"document check {failure.test}: no stored failures "
            "(a document_check test needs store_failures: true)",
        )
    # schema and table only: the catalog dbt names may differ from the one this connection
    # gives the same file
    parts = re.findall(r'"([^"]+)"', failure.relation) or failure.relation.split(".")
    table = ".".join('"' + part.replace('"', '""') + '"' for part in parts[-2:])
    frame = database.execute(f"select * from {table}").df()
    if "document_id" not in frame.columns:
        raise BuildError(
            ExitCode.DBT,
            f"document check {failure.test}: its failing rows "
            "have no document_id column, so no document can be quarantined",
        )
    found: dict[str, tuple[int, tuple[str, ...]]] = {}
    frame = frame.sort_values(list(frame.columns), kind="stable", na_position="first")
    for document_id, rows in frame.groupby("document_id", sort=True, dropna=False):
        if not isinstance(document_id, str):
            raise BuildError(
                ExitCode.DBT, f"document check {failure.test}: a failing row has no document_id"
            )
        samples = tuple(
            " ".join(f"{c}={v}" for c, v in row.items() if c != "document_id")
            for _, row in rows.head(max_samples).iterrows()
        )
        found[document_id] = (len(rows), samples)
    return found
