"""Step d: ``dbt build`` (seeds, models, tests) in-process, into a new DuckDB file.

The profile reads the database path from ``WAREHOUSE_BUILD_PATH``; the build points it at
``<warehouse>.building-<pid>`` so the published file is never opened for writing. dbt's
target and logs go to ``.build/dbt/`` (covered by the project lock), away from the
``target/`` that engineers' own dbt runs use.
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from warehouse.errors import BuildError, ExitCode
from warehouse.paths import BuildPaths

FAILED_STATUSES = frozenset({"error", "fail", "runtime error"})


@dataclass(frozen=True)
class DbtSummary:
    statuses: dict[str, int]  # node status → count
    failures: tuple[str, ...]  # 'model.x: message' for each failed node

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


def dbt_arguments(paths: BuildPaths, *, verbose: bool, threads: int | None) -> list[str]:
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
    return args


def summarise(result: Any) -> DbtSummary:
    """Count node statuses and describe failures from a dbt RunExecutionResult."""
    statuses: Counter[str] = Counter()
    failures = []
    for node_result in getattr(result, "results", None) or []:
        status = str(getattr(node_result.status, "value", node_result.status))
        statuses[status] += 1
        if status in FAILED_STATUSES:
            message = (node_result.message or "").strip().splitlines()
            failures.append(f"{node_result.node.unique_id}: {message[0] if message else status}")
    return DbtSummary(dict(statuses), tuple(failures))


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
    paths: BuildPaths, *, verbose: bool = False, threads: int | None = None
) -> DbtSummary:
    """Run ``dbt build`` into ``paths.building``; BuildError(DBT) naming the failed nodes."""
    from dbt.cli.main import dbtRunner

    env = {
        "WAREHOUSE_BUILD_PATH": str(paths.building),
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
        "DO_NOT_TRACK": "1",
    }
    with environment(env):
        try:
            outcome = dbtRunner().invoke(dbt_arguments(paths, verbose=verbose, threads=threads))
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
