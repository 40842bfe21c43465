"""Run checks with great-expectations 1.x and build data docs.

One :class:`GxSession` holds one ephemeral GX context (nothing is written but the data docs
and JSON summaries under ``reports``); a build validates the landed suite and the marts suite
in the same session, so the data docs show both.

A check whose expectations are all column expectations (not null, regex, in set, between,
unique) is evaluated in DuckDB (:mod:`expectations.pushdown`): its rows never become a pandas
frame, and the results SQL found (GX's own ``SUMMARY`` fields) are stored as GX's validation
result of the check's suite, as GX's validation would store it (no GX validation is run for
it: on an empty frame that cost more than the SQL), so the data docs show them. Data docs
pages are rendered once per session, for what was stored since the last render. Any other check (the landed files' column lists) is validated by GX
on a pandas frame. ``GxSession(pushdown=False)`` validates every check on frames (the
reference the pushdown is tested against).
"""

from __future__ import annotations

import copy
import datetime
import shutil
import time
from collections.abc import Mapping, Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd

from expectations.checks import Expect, TableCheck, failing_mask
from expectations.gx_import import great_expectations
from expectations.pushdown import (
    ColumnResult,
    columns_of,
    evaluate,
    ordered_query,
    pushable,
)
from expectations.results import ERROR, FAILED, PASSED, Outcome, SuiteResult
from warehouse.memory import release_memory

MAX_SAMPLES = 5
DOCS_SITE = "warehouse"


class GxSession:
    """Validates checks into ``reports`` (``reports/data_docs/index.html``,
    ``reports/<suite>.json``). The GX import (~2 s of CPU) happens on first use, unless
    :func:`expectations.gx_import.preload` started it earlier."""

    def __init__(self, reports: Path, *, pushdown: bool = True) -> None:
        self.reports = reports
        self.pushdown = pushdown
        self._context: Any = None
        self._definitions: dict[str, Any] = {}  # check → its ValidationDefinition
        self._suites: dict[str, Any] = {}  # pushed-down check → its ExpectationSuite
        self._rendered: set[Any] = set()  # store keys whose data docs pages are written

    @property
    def docs_dir(self) -> Path:
        return self.reports / "data_docs"

    def _gx_context(self) -> Any:
        if self._context is None:
            gx = great_expectations()  # already imported when the build preloaded it
            from great_expectations.data_context.types.base import ProgressBarsConfig

            context = gx.get_context(mode="ephemeral")
            context.variables.progress_bars = ProgressBarsConfig(globally=False)
            shutil.rmtree(self.docs_dir, ignore_errors=True)  # docs show this session only
            context.add_data_docs_site(
                site_name=DOCS_SITE,
                site_config={
                    "class_name": "SiteBuilder",
                    "site_index_builder": {"class_name": "DefaultSiteIndexBuilder"},
                    "store_backend": {
                        "class_name": "TupleFilesystemStoreBackend",
                        "base_directory": str(self.docs_dir),
                    },
                },
            )
            self._context = context
        return self._context

    def validate(
        self, suite: str, con: duckdb.DuckDBPyConnection, checks: Sequence[TableCheck]
    ) -> SuiteResult:
        """Read each check's frame from ``con``, validate it, write docs and a JSON summary.

        The checks DuckDB evaluates run first, before anything needs GX: DuckDB releases
        the GIL, so a GX import still under way (:func:`expectations.gx_import.preload`)
        goes on beside them."""
        started = time.perf_counter()
        in_sql = {
            index: _evaluate_in_sql(con, check)
            for index, check in enumerate(checks)
            if self.pushdown and pushable(check)
        }
        outcomes: list[Outcome] = []
        for index, check in enumerate(checks):
            if index in in_sql:
                outcomes.extend(self._outcomes_in_sql(check, in_sql[index]))
                continue
            try:
                frame = con.execute(ordered_query(check.query)).df()
            except duckdb.Error as error:
                outcomes.extend(_unreadable(check, error))
                continue
            outcomes.extend(_validate_frame(self._definition(check), check, frame))
            del frame
        docs_index = self._build_docs()
        release_memory()
        result = SuiteResult(suite, tuple(outcomes), time.perf_counter() - started, docs_index)
        result.write_json(self.reports / f"{suite}.json")
        return result

    def _outcomes_in_sql(
        self, check: TableCheck, evaluated: tuple[list[str], list[ColumnResult]] | list[Outcome]
    ) -> list[Outcome]:
        """The outcomes of a check DuckDB evaluated (:func:`_evaluate_in_sql`); its results
        stored as GX's (so the data docs show them)."""
        if isinstance(evaluated, list):
            return evaluated  # the check's rows could not be read
        columns, results = evaluated
        _record(self._gx_context(), self._suite(check), check, results)
        outcomes = []
        for expect, found in zip(check.expectations, results, strict=True):
            shown = list(
                dict.fromkeys(c for c in (*check.key_columns, *expect.columns) if c in columns)
            )
            outcomes.append(
                Outcome(
                    check.suite,
                    check.check_name,
                    expect.kind,
                    expect.description,
                    expect.critical,
                    PASSED if found.success else FAILED,
                    found.result["element_count"],
                    found.result["unexpected_count"],
                    tuple(
                        " ".join(f"{c}={_format_value(_plain(row[c]))}" for c in shown)
                        for row in found.sample_rows
                    ),
                    "",
                    expect.quarantine,
                    found.document_ids,
                )
            )
        return outcomes

    def _suite(self, check: TableCheck) -> Any:
        """The GX ExpectationSuite of a pushed-down check, registered once per session (the
        data docs render it; no data source or validation definition: GX validates nothing)."""
        key = repr(check)
        if key not in self._suites:
            self._suites[key] = _add_suite(self._gx_context(), check)
        return self._suites[key]

    def _definition(self, check: TableCheck) -> Any:
        """The GX ValidationDefinition of a check, created once per session (registering
        suites and assets costs GX far more than validating a frame)."""
        key = repr(check)
        if key not in self._definitions:
            self._definitions[key] = _define(self._gx_context(), check)
        return self._definitions[key]

    def _build_docs(self) -> Path | None:
        """Render the pages of the suites and results stored since the last call (each page
        once per session: GX renders every stored one unless told which) and the index."""
        context = self._gx_context()
        try:
            stored = {
                *context.validation_results_store.list_keys(),
                *context.expectations_store.list_keys(),
            }
            new = [key for key in stored if key not in self._rendered]
            if new or not self._rendered:
                context.build_data_docs(site_names=[DOCS_SITE], resource_identifiers=new)
            self._rendered |= stored
        except Exception:  # docs are a convenience: a rendering bug must not fail a build
            return None
        index = self.docs_dir / "index.html"
        return index if index.exists() else None


def _evaluate_in_sql(
    con: duckdb.DuckDBPyConnection, check: TableCheck
) -> tuple[list[str], list[ColumnResult]] | list[Outcome]:
    """The check's columns and each expectation's result, found by DuckDB; its error
    outcomes when its rows cannot be read."""
    try:
        columns = columns_of(con, check.query)
        return columns, evaluate(con, check, MAX_SAMPLES, columns)
    except duckdb.Error as error:
        return _unreadable(check, error)


def _plain(value: Any) -> Any:
    """A DuckDB value as the pandas frame holds it (DECIMAL as float), for samples."""
    return float(value) if isinstance(value, Decimal) else value


def _record(context: Any, suite: Any, check: TableCheck, results: Sequence[ColumnResult]) -> None:
    """Store, as GX's validation result of ``suite`` on the check's batch, what SQL found
    (success and GX's ``SUMMARY`` result of each expectation), as ``ValidationDefinition.run``
    would store it: the expectations in GX's validation order (grouped by column), each
    configuration with the batch's id, the statistics and the batch's metadata (its spec
    says the rows were read by DuckDB, with the check's query)."""
    from great_expectations.core.expectation_validation_result import (
        ExpectationSuiteValidationResult,
        ExpectationValidationResult,
    )
    from great_expectations.core.run_identifier import RunIdentifier
    from great_expectations.data_context.types.resource_identifiers import (
        ExpectationSuiteIdentifier,
        ValidationResultIdentifier,
    )

    gx = great_expectations()
    run_time = datetime.datetime.now(datetime.UTC)
    run_id = RunIdentifier(run_time=run_time)
    batch_id = f"{check.suite}-{check.check_name}"  # a fluent dataframe asset's batch id
    validated = []
    for expectation in _validation_order(suite.expectations):
        config = copy.deepcopy(expectation.configuration)
        config.kwargs["batch_id"] = batch_id
        found = results[int(config.meta["check_number"])]
        validated.append(
            ExpectationValidationResult(
                success=found.success,
                expectation_config=config,
                result=dict(found.result),
                exception_info={
                    "raised_exception": False,
                    "exception_message": None,
                    "exception_traceback": None,
                },
            )
        )
    successful = sum(1 for r in validated if r.success)
    evaluated = len(validated)
    run = ExpectationSuiteValidationResult(
        success=successful == evaluated,
        results=validated,
        suite_name=suite.name,
        statistics={
            "evaluated_expectations": evaluated,
            "successful_expectations": successful,
            "unsuccessful_expectations": evaluated - successful,
            "success_percent": successful / evaluated * 100 if evaluated else None,
        },
        meta={
            "great_expectations_version": gx.__version__,
            "batch_spec": {"batch_data": "DuckDB", "query": check.query},
            "batch_markers": {"ge_load_time": run_time.strftime("%Y%m%dT%H%M%S.%fZ")},
            "active_batch_definition": {
                "batch_identifiers": {},
                "data_asset_name": check.check_name,
                "data_connector_name": "fluent",
                "datasource_name": check.suite,
            },
            "validation_id": None,
            "checkpoint_id": None,
            "run_id": run_id,
            "validation_time": run_time,
            "batch_parameters": None,
        },
        batch_id=batch_id,
    )
    key = ValidationResultIdentifier(
        expectation_suite_identifier=ExpectationSuiteIdentifier(name=suite.name),
        run_id=run_id,
        batch_identifier=batch_id,
    )
    context.validation_results_store.set(key, run)


def _validation_order(expectations: Sequence[Any]) -> list[Any]:
    """GX validates a suite's expectations grouped by column, in order of each column's first
    expectation (``Validator.process_expectations_for_validation``)."""
    groups: dict[str, list[Any]] = {}
    for expectation in expectations:
        column = expectation.configuration.kwargs.get("column")
        groups.setdefault(column if isinstance(column, str) else "", []).append(expectation)
    return [e for group in groups.values() for e in group]


def _unreadable(check: TableCheck, error: Exception) -> list[Outcome]:
    """One 'error' outcome per expectation when the frame cannot be read."""
    message = f"cannot read {check.table}: {str(error).splitlines()[0]}"
    return [
        Outcome(
            check.suite,
            check.check_name,
            expect.kind,
            expect.description,
            expect.critical,
            ERROR,
            None,
            None,
            (),
            message,
        )
        for expect in check.expectations
    ]


def _define(context: Any, check: TableCheck) -> Any:
    """Register the check's dataframe asset, expectation suite and validation definition."""
    gx = great_expectations()

    try:
        source = context.data_sources.get(check.suite)
    except KeyError:
        source = context.data_sources.add_pandas(check.suite)
    try:
        asset = source.get_asset(check.check_name)
    except LookupError:
        asset = source.add_dataframe_asset(check.check_name)
    try:
        batch = asset.get_batch_definition("whole")
    except KeyError:
        batch = asset.add_batch_definition_whole_dataframe("whole")
    suite = _add_suite(context, check)
    return context.validation_definitions.add_or_update(
        gx.ValidationDefinition(name=suite.name, data=batch, suite=suite)
    )


def _add_suite(context: Any, check: TableCheck) -> Any:
    """Register the check's expectation suite (each expectation's meta: its number)."""
    gx = great_expectations()
    import great_expectations.expectations as gxe

    suite = gx.ExpectationSuite(name=f"{check.suite}.{check.check_name}")
    for number, expect in enumerate(check.expectations):
        expectation_class = getattr(gxe, expect.kind)
        suite.add_expectation(
            expectation_class(
                **expect.kwargs,
                description=expect.description,
                severity="critical" if expect.critical else "warning",
                meta={"check_number": number},
            )
        )
    return context.suites.add_or_update(suite)


def _validate_frame(definition: Any, check: TableCheck, frame: pd.DataFrame) -> list[Outcome]:
    run = definition.run(
        batch_parameters={"dataframe": frame},
        result_format={"result_format": "SUMMARY", "partial_unexpected_count": MAX_SAMPLES},
    )
    by_number = {int(r.expectation_config.meta["check_number"]): r for r in run.results}
    outcomes = []
    for number, expect in enumerate(check.expectations):
        r = by_number[number]
        message = _exception_message(r.exception_info)
        status = PASSED if r.success else (ERROR if message else FAILED)
        result: Mapping[str, Any] = r.result or {}
        outcomes.append(
            Outcome(
                check.suite,
                check.check_name,
                expect.kind,
                expect.description,
                expect.critical,
                status,
                _int_or_none(result.get("element_count", len(frame))),
                _int_or_none(result.get("unexpected_count")),
                () if r.success else _samples(check, expect.columns, frame, result),
                message,
                expect.quarantine,
                () if r.success or not expect.quarantine else _documents(expect, frame),
            )
        )
    return outcomes


def _documents(expect: Expect, frame: pd.DataFrame) -> tuple[str, ...]:
    """The documents of a document check's failing rows (sorted; () when not computable,
    which makes the failure blocking)."""
    mask = failing_mask(expect, frame)
    if mask is None or "document_id" not in frame.columns:
        return ()
    ids = frame.loc[mask.fillna(False).astype(bool), "document_id"].dropna()
    return tuple(sorted({str(i) for i in ids}))


def _exception_message(info: Any) -> str:
    """GX nests exception info per metric; return the first message raised, '' if none."""
    if not isinstance(info, Mapping):
        return ""
    if info.get("raised_exception"):
        return str(info.get("exception_message") or "exception")
    for value in info.values():
        message = _exception_message(value)
        if message:
            return message
    return ""


def _int_or_none(value: Any) -> int | None:
    try:
        return None if value is None else int(value)
    except (TypeError, ValueError):
        return None


def _format_value(value: Any) -> str:
    if value is None or (isinstance(value, float) and pd.isna(value)) or value is pd.NA:
        return "∅"
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # a nullable integer column read back as float64
    text = str(value)
    return text if len(text) <= 40 else text[:39] + "…"


def _samples(
    check: TableCheck, columns: Sequence[str], frame: pd.DataFrame, result: Mapping[str, Any]
) -> tuple[str, ...]:
    """Failing rows as 'key=value …' (key columns first, then the columns checked)."""
    indexes = result.get("partial_unexpected_index_list") or []
    shown = [c for c in (*check.key_columns, *columns) if c in frame.columns]
    shown = list(dict.fromkeys(shown))
    samples = []
    for index in indexes[:MAX_SAMPLES]:
        try:
            row = frame.loc[index]
        except KeyError:
            continue
        samples.append(" ".join(f"{c}={_format_value(row[c])}" for c in shown))
    if samples:
        return tuple(samples)
    if "details" in result:  # table-level expectations (column lists)
        return (f"observed {result.get('observed_value')}; {result['details']}",)
    if "partial_unexpected_list" in result:
        return tuple(_format_value(v) for v in result["partial_unexpected_list"][:MAX_SAMPLES])
    return ()
