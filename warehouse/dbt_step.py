"""Step d: ``dbt build`` (seeds, models, tests) in-process, into a new DuckDB file.

The profile reads the database path from ``WAREHOUSE_BUILD_PATH``; the build points it at
``<warehouse>.building-new`` so the published file is never opened for writing (one name
for every build of the warehouse, so that dbt's partial parse is reused: see
:attr:`BuildPaths.building`). dbt's
target and logs go to ``.build/dbt/`` (covered by the project lock), away from the
``target/`` that engineers' own dbt runs use.

The landed seeds (``seeds/landed/*.csv``) are loaded by :func:`load_landed_seeds` before dbt
runs, with the statement dbt-duckdb's seed materialization runs (a table of the column types
declared in ``seeds/landed/_landed__seeds.yml``, then DuckDB's ``COPY … FROM``), and dbt
builds everything else (``--exclude path:seeds/landed``). The tables are the ones ``dbt seed``
makes, row for row; what is saved is dbt parsing every row with agate first (1.96M table
cells: ~50 s of a 10,000-document build, and over a GB of memory). ``dbt build`` run by hand
still loads the same files as seeds.
"""

from __future__ import annotations

import json
import os
import re
from collections import Counter
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from warehouse.errors import BuildError, ExitCode
from warehouse.landed_load import LANDED_SCHEMA, Landing, LoadSummary
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


LANDED_SEEDS_SELECTOR = "path:seeds/landed"
REFERENCE_SEEDS = "seeds/reference/"
# What a node's SQL (or a project macro it calls) may read besides its refs: a node that
# mentions one of these is always run (never taken over from the file, see reused_nodes).
RUN_TIME_INPUTS = re.compile(
    r"\b(var|env_var|run_query|statement|load_result)\s*\(|\b(run_started_at|invocation_id"
    r"|get_relation|get_relations_by_pattern|this)\b"
)


def landed_column_types(seeds_yml: Path) -> dict[str, dict[str, str]]:
    """seed name → column → type, as ``seeds/landed/_landed__seeds.yml`` declares them (the one
    place the landed columns' types are declared); ValueError naming the file when a seed
    declares none."""
    import yaml

    declared = yaml.safe_load(seeds_yml.read_text(encoding="utf-8")) or {}
    types: dict[str, dict[str, str]] = {}
    for seed in declared.get("seeds", []):
        columns = (seed.get("config") or {}).get("column_types") or {}
        if not columns:
            raise ValueError(f"{seeds_yml}: seed {seed.get('name')} declares no column_types")
        types[str(seed["name"])] = {str(k): str(v) for k, v in columns.items()}
    return types


def load_landed_seeds(
    database: Path, landed: Path, csvs: Path | None = None, landing: Landing | None = None
) -> dict[str, int]:
    """Create ``raw.<seed>`` in ``database`` from ``<csvs>/<seed>.csv`` for every landed seed
    ``landed/_landed__seeds.yml`` declares (``csvs``: ``landed`` unless given, e.g. the
    build's new landing before it is installed there): the declared column types, then
    ``COPY … FROM`` as dbt-duckdb's seed does. Returns rows per table. ValueError naming the
    file when a CSV's header is not the declared columns. See :func:`load_landed_tables`."""
    return load_landed_tables(database, landed, csvs, landing).counts


def load_landed_tables(
    database: Path, landed: Path, csvs: Path | None = None, landing: Landing | None = None
) -> LoadSummary:
    """:func:`load_landed_seeds`, saying which tables were brought up to date document by
    document: in a copy of the published warehouse, with ``landing`` (what ingest says of
    the files), only the changed documents' rows of the per-document tables are replaced
    (:mod:`warehouse.landed_load`)."""
    import duckdb

    from warehouse.landed_load import load_landed

    declared = landed / "_landed__seeds.yml"
    types = landed_column_types(declared)
    with duckdb.connect(str(database)) as con:
        return load_landed(con, types, csvs or landed, landing, declared=declared)


def project_arguments(project: Path, target: Path, logs: Path, verbose: bool) -> list[str]:
    """Where dbt finds the project and its profile, and writes its target and logs (every
    engine's build); ``--quiet`` unless verbose."""
    args = [
        "--project-dir", str(project), "--profiles-dir", str(project),
        "--target-path", str(target), "--log-path", str(logs),
    ]  # fmt: skip
    return args if verbose else [*args, "--quiet"]


def dbt_arguments(
    paths: BuildPaths,
    *,
    verbose: bool,
    threads: int | None,
    quarantine: Sequence[Mapping[str, object]] = (),
    landed_loaded: bool = False,
    reused: Sequence[str] = (),
    command: str = "build",
) -> list[str]:
    """``landed_loaded``: the landed seeds' tables exist already (:func:`load_landed_seeds`),
    dbt leaves them out. ``reused``: names of nodes the file holds as this project builds them
    (:func:`reused_nodes`), left out too, each by name (no test is left out for a node it
    reads: ``--indirect-selection empty``). dbt's unit tests are not run: they test the SQL's
    mapping rules on fixtures, not the data, and run in ``make test``
    (``tests/marts/test_dbt_unit_tests.py``), as dbt advises (development and CI, not
    production builds). ``command``: ``parse`` takes the same project, target and vars, and
    writes no manifest.json (``--no-write-json``): the build it is parsed for writes the same
    manifest at its end, and writing it twice cost ~1 s of each incremental build."""
    args = [command, *project_arguments(paths.project, paths.dbt_target, paths.dbt_logs, verbose)]
    if quarantine:
        args += ["--vars", json.dumps({"quarantine": list(quarantine)}, ensure_ascii=False)]
    if command != "build":
        return [*args, "--no-write-json"]
    args += ["--exclude-resource-type", "unit_test"]
    if threads:
        args += ["--threads", str(threads)]
    if landed_loaded or reused:
        args += ["--exclude", *([LANDED_SEEDS_SELECTOR] if landed_loaded else []), *reused]
    if reused:
        args += ["--indirect-selection", "empty"]
    return args


def reused_nodes(manifest: Any, project_name: str) -> list[str]:
    """Names of the nodes that read only the reference seeds (``seeds/reference``): the seeds
    themselves, then every model and test all of whose parents are such nodes and whose SQL,
    with the project macros it calls, reads nothing at run time (:data:`RUN_TIME_INPUTS`: no
    var, no relation looked up outside its refs). In a file built by this same project
    (:func:`built_by_this_project`: the same models, macros, reference seeds and dbt) their
    tables are the ones a build makes, and their tests passed when it was published."""
    macros = manifest.macros

    def reads_at_run_time(code: str, macro_ids: Sequence[str], seen: set[str]) -> bool:
        if RUN_TIME_INPUTS.search(_jinja(code)):
            return True
        for macro_id in macro_ids:
            macro = macros.get(macro_id)
            if macro is None or macro_id in seen or macro.package_name != project_name:
                continue  # dbt's and the adapter's own macros
            seen.add(macro_id)
            if reads_at_run_time(macro.macro_sql, macro.depends_on.macros, seen):
                return True
        return False

    reused: dict[str, bool] = {}

    def is_reused(unique_id: str) -> bool:
        if unique_id not in reused:
            node = manifest.nodes.get(unique_id)
            if node is None:
                reused[unique_id] = False  # a source, a snapshot…: not taken over
            elif node.resource_type == "seed":
                reused[unique_id] = node.original_file_path.startswith(REFERENCE_SEEDS)
            else:
                parents = list(node.depends_on.nodes)
                reused[unique_id] = (
                    bool(parents)
                    and node.resource_type in ("model", "test")
                    and all(is_reused(parent) for parent in parents)
                    and not reads_at_run_time(
                        str(getattr(node, "raw_code", "")), node.depends_on.macros, set()
                    )
                )
        return reused[unique_id]

    return sorted(
        node.name
        for unique_id, node in manifest.nodes.items()
        if node.package_name == project_name and is_reused(unique_id)
    )


def _jinja(code: str) -> str:
    """The Jinja expressions and statements of ``code`` (comments and SQL left out)."""
    return "\n".join(re.findall(r"\{\{.*?\}\}|\{%.*?%\}", code, flags=re.DOTALL))


def built_by_this_project(database: Path, project: Path) -> bool:
    """Whether ``database`` is a copy of a warehouse published by this project as it is now
    (its baseline is today's :func:`warehouse.incremental.models_digest`)."""
    from warehouse.incremental import models_digest, published_digest

    return published_digest(database) == models_digest(project)


def _keep_run_results(paths: BuildPaths) -> None:
    """Copy dbt's run_results.json to build_run_results.json (the docs step's ``dbt docs
    generate`` replaces the first): every node's time in the last build, to read after it."""
    import shutil

    results = paths.dbt_target / "run_results.json"
    if results.is_file():
        shutil.copy2(results, paths.dbt_target / "build_run_results.json")


def has_landed_tables(database: Path) -> bool:
    """Whether ``database`` holds the landed seeds' tables (loaded by an earlier round)."""
    import duckdb

    if not database.exists():
        return False
    with duckdb.connect(str(database), read_only=True) as con:
        (found,) = con.execute(
            "select count(*) from information_schema.tables "
            "where table_schema = ? and table_name = 'landed_files'",
            [LANDED_SCHEMA],
        ).fetchone() or (0,)
    return int(found) > 0


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
    out of the marts), the landed seeds loaded first (:func:`load_landed_seeds`, once per
    file: a quarantine round finds them there); BuildError(DBT) naming the failed nodes. A
    failed document check is not a failure here: it is in ``document_failures`` for the
    build to quarantine."""
    if not has_landed_tables(paths.building):
        try:
            load_landed_seeds(paths.building, paths.landed)
        except (OSError, ValueError) as error:
            raise BuildError(ExitCode.DBT, f"loading the landed seeds failed: {error}") from error

    env = {
        "WAREHOUSE_BUILD_PATH": str(paths.building),
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
        "DO_NOT_TRACK": "1",
    }
    with environment(env):
        try:
            runner, reused = _runner(paths, verbose, quarantine)
            outcome = runner.invoke(
                dbt_arguments(
                    paths,
                    verbose=verbose,
                    threads=threads,
                    quarantine=quarantine,
                    landed_loaded=True,
                    reused=reused,
                )
            )
        finally:
            release_duckdb()
    _keep_run_results(paths)
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


def _runner(
    paths: BuildPaths, verbose: bool, quarantine: Sequence[Mapping[str, object]]
) -> tuple[Any, list[str]]:
    """The dbt runner of a build and the nodes it takes over from the file
    (:func:`reused_nodes`): when ``paths.building`` is a copy of a warehouse this project
    published, the project is parsed first (the runner then builds from that manifest, not
    parsing it twice) to find them; otherwise none (a build from nothing runs every node)."""
    from dbt.cli.main import dbtRunner

    if not built_by_this_project(paths.building, paths.project):
        return dbtRunner(), []
    parsed = dbtRunner().invoke(
        dbt_arguments(paths, verbose=verbose, threads=None, quarantine=quarantine, command="parse")
    )
    if not parsed.success or parsed.result is None:
        return dbtRunner(), []  # the build reports what parsing found
    manifest = parsed.result
    return dbtRunner(manifest=manifest), reused_nodes(manifest, _project_name(paths.project))


def _project_name(project: Path) -> str:
    import yaml

    declared = yaml.safe_load((project / "dbt_project.yml").read_text(encoding="utf-8")) or {}
    return str(declared.get("name", ""))


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
