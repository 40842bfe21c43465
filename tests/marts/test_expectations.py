"""The great-expectations suites: they pass on the real samples and catch corrupted data."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import shutil
from collections.abc import Callable
from pathlib import Path

import duckdb
import pytest
from warehouse_build import SAMPLES, Published

from expectations.landed_suite import landed_checks, open_landed
from expectations.marts_suite import ManifestError, MartsManifest, marts_checks
from expectations.results import FAILED, PASSED, Outcome, SuiteResult, format_table
from expectations.runner import GxSession
from ingest.pipeline import ingest_folder
from warehouse.build import BuildOptions, BuildSteps, latest_plausible_year, run_build
from warehouse.errors import BuildError, ExitCode
from warehouse.ingest_step import ingest_documents
from warehouse.paths import REPO_ROOT, BuildPaths

YEAR = latest_plausible_year()
# the dbt manifest of the session's build (the checkout's project, .build/dbt/target)
MANIFEST = REPO_ROOT / ".build" / "dbt" / "target" / "manifest.json"


@pytest.fixture(scope="module")
def session(tmp_path_factory: pytest.TempPathFactory) -> GxSession:
    return GxSession(tmp_path_factory.mktemp("gx-reports"))


@pytest.fixture(scope="module")
def landed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample documents landed by the real ingest into a private folder."""
    out = tmp_path_factory.mktemp("landed")
    ingest_folder(SAMPLES, out)
    return out


def validate_landed(session: GxSession, folder: Path) -> SuiteResult:
    con = open_landed(folder)
    try:
        return session.validate("landed", con, landed_checks(YEAR))
    finally:
        con.close()


def failed(result: SuiteResult, check: str, description: str) -> Outcome:
    matches = [
        o
        for o in result.outcomes
        if o.check == check and o.description.startswith(description) and o.status != PASSED
    ]
    assert matches, f"expected {check}: {description!r} to fail\n{format_table([result])}"
    return matches[0]


def rewrite_csv(path: Path, change: Callable[[list[dict[str, str]]], None]) -> None:
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        fields = list(reader.fieldnames or [])
        rows = list(reader)
    change(rows)
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=fields, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    path.write_text(buffer.getvalue(), encoding="utf-8")


def first(rows: list[dict[str, str]], **conditions: Callable[[str], bool]) -> dict[str, str]:
    return next(r for r in rows if all(test(r[k]) for k, test in conditions.items()))


# --- landed suite -----------------------------------------------------------------------


def test_landed_suite_passes_on_the_sample_documents(session: GxSession, landed: Path) -> None:
    result = validate_landed(session, landed)
    print(format_table([result]))
    assert result.passed, result.failure_message()
    assert not result.warnings
    assert len(result.outcomes) >= 40


def test_landed_suite_catches_a_corrupted_code(
    session: GxSession, landed: Path, tmp_path: Path
) -> None:
    folder = tmp_path / "landed"
    shutil.copytree(landed, folder)
    corrupted: dict[str, str] = {}

    def corrupt(rows: list[dict[str, str]]) -> None:
        row = first(rows, code=lambda c: len(c) == 5)
        row["code"] = row["code"][:2] + "A" + row["code"][3:]
        corrupted.update(row)

    rewrite_csv(folder / "landed_table_cells.csv", corrupt)
    result = validate_landed(session, folder)
    outcome = failed(result, "landed_table_cells", "code is 3, 5 or 7 digits")
    assert outcome.status == FAILED and outcome.critical
    assert outcome.unexpected_count == 1
    assert outcome.samples == (
        f"document_id={corrupted['document_id']} line_number={corrupted['line_number']} "
        f"column_number={corrupted['column_number']} code={corrupted['code']}",
    )
    assert not result.passed
    assert len(result.critical_failures) == 1
    message = result.failure_message()
    assert (
        f"code={corrupted['code']}" in message
        and f"line_number={corrupted['line_number']}" in message
    )


CORRUPTIONS = [
    (
        "landed_table_cells",
        "amount is decimal text",
        lambda rows: first(rows, amount=bool).update(amount="35x.13"),
    ),
    (
        "landed_table_cells",
        "every landed_table_cells row's document_id is in landed_documents",
        lambda rows: rows[0].update(document_id="500000-2025-budget-00000000"),
    ),
    (
        "landed_prose_figures",
        "line_number is an integer >= 1",
        lambda rows: rows[0].update(line_number="0"),
    ),
    (
        "landed_documents",
        "fiscal_year between",
        lambda rows: rows[0].update(fiscal_year="2205"),
    ),
    ("landed_documents", "doc_kind in", lambda rows: rows[0].update(doc_kind="budgets")),
    (
        "landed_documents",
        "district_code is 6 digits",
        lambda rows: rows[0].update(district_code="5001"),
    ),
    ("landed_documents", "document_id is unique", lambda rows: rows.append(dict(rows[0]))),
]


@pytest.mark.parametrize(("check", "description", "change"), CORRUPTIONS)
def test_landed_suite_catches_corrupted_values(
    session: GxSession, landed: Path, tmp_path: Path, check: str, description: str, change
) -> None:
    folder = tmp_path / "landed"
    shutil.copytree(landed, folder)
    rewrite_csv(folder / f"{check}.csv", change)
    result = validate_landed(session, folder)
    outcome = failed(result, check, description)
    assert outcome.critical and outcome.unexpected_count and outcome.samples


def test_an_implausible_year_quarantines_its_document_instead_of_failing_the_suite(
    session: GxSession, landed: Path, tmp_path: Path
) -> None:
    folder = tmp_path / "landed"
    shutil.copytree(landed, folder)
    changed: list[str] = []

    def future_year(rows: list[dict[str, str]]) -> None:
        rows[0]["fiscal_year"] = "2205"
        changed.append(rows[0]["document_id"])

    rewrite_csv(folder / "landed_documents.csv", future_year)
    result = validate_landed(session, folder)
    outcome = failed(result, "landed_documents", "fiscal_year between")
    assert outcome.quarantine and outcome.quarantines  # a document check …
    assert outcome.document_ids == tuple(changed)  # … naming the document of the failing row
    assert not outcome.is_blocking and result.passed
    assert result.quarantining == [outcome]
    assert "1 document checks failed on 1 documents" in result.headline()


def test_landed_suite_catches_a_column_out_of_contract(
    session: GxSession, landed: Path, tmp_path: Path
) -> None:
    folder = tmp_path / "landed"
    shutil.copytree(landed, folder)
    path = folder / "landed_table_cells.csv"
    text = path.read_text(encoding="utf-8")
    header, rest = text.split("\n", 1)
    path.write_text(header.replace(",amount,", ",amount_wan,") + "\n" + rest, encoding="utf-8")
    result = validate_landed(session, folder)
    outcome = failed(result, "landed_table_cells (columns)", "columns are the landed contract")
    assert "amount_wan" in outcome.samples[0]
    # the content checks of that file cannot read `amount` and report an error, not a pass
    errors = [o for o in result.outcomes if o.check == "landed_table_cells" and o.status == "error"]
    assert errors and "amount" in errors[0].message


def test_build_stops_before_dbt_when_the_landed_suite_fails(tmp_path: Path) -> None:
    def ingest_then_corrupt(docs: Path, out: Path, report: Path, say) -> object:
        summary = ingest_documents(docs, out, report, say)
        rewrite_csv(
            out / "landed_table_cells.csv",
            lambda rows: first(rows, code=lambda c: len(c) == 5).update(code="20A03"),
        )
        return summary

    def dbt_must_not_run(*_: object, **__: object) -> None:
        raise AssertionError("dbt ran on landed data that failed validation")

    landed_dir = REPO_ROOT / "seeds" / "landed"
    before = {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in landed_dir.glob("*.csv")}
    paths = BuildPaths.create(
        docs=SAMPLES, warehouse=tmp_path / "w.duckdb", reports=tmp_path / "reports"
    )
    lines: list[str] = []
    with pytest.raises(BuildError) as failure:
        run_build(
            BuildOptions(paths=paths),
            BuildSteps(ingest=ingest_then_corrupt, dbt=dbt_must_not_run),
            say=lines.append,
        )
    assert failure.value.code == ExitCode.LANDED_EXPECTATIONS
    assert "code=20A03" in failure.value.message
    assert any("code=20A03" in line for line in lines), "the results table shows the row"
    assert not (tmp_path / "w.duckdb").exists()
    after = {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in landed_dir.glob("*.csv")}
    assert after == before
    assert (tmp_path / "reports" / "gx" / "data_docs" / "index.html").is_file()


@pytest.mark.parametrize("corruption", ["value", "header"])
def test_the_build_checks_the_loaded_landed_tables_and_stops_before_dbt(
    tmp_path: Path, corruption: str
) -> None:
    """With the build's own dbt step the landed suite reads the landed tables loaded into the
    file dbt builds into (one parse of the CSVs): a corrupted value is caught there; a header
    out of contract cannot be loaded and the suite reads the CSV and says so. Either way the
    build stops before dbt with nothing left behind."""

    def ingest_then_corrupt(docs: Path, out: Path, report: Path, say) -> object:
        summary = ingest_documents(docs, out, report, say)
        path = out / "landed_table_cells.csv"
        if corruption == "value":
            rewrite_csv(
                path, lambda rows: first(rows, code=lambda c: len(c) == 5).update(code="20A03")
            )
        else:
            header, rest = path.read_text(encoding="utf-8").split("\n", 1)
            path.write_text(header.replace(",amount,", ",amount_wan,") + "\n" + rest, "utf-8")
        return summary

    paths = BuildPaths.create(
        docs=SAMPLES, warehouse=tmp_path / "w.duckdb", reports=tmp_path / "reports"
    )
    loaded: list[bool] = []
    real_validate = GxSession.validate

    def validate(self: GxSession, suite: str, con: duckdb.DuckDBPyConnection, checks):
        if suite == "landed":
            (path,) = con.execute(
                "select path from duckdb_databases() where not internal "
                "and database_name = current_database()"
            ).fetchone() or (None,)
            loaded.append(path is not None)
        return real_validate(self, suite, con, checks)

    lines: list[str] = []
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(GxSession, "validate", validate)
        with pytest.raises(BuildError) as failure:
            run_build(
                BuildOptions(paths=paths), BuildSteps(ingest=ingest_then_corrupt), say=lines.append
            )
    assert failure.value.code == ExitCode.LANDED_EXPECTATIONS
    if corruption == "value":
        assert loaded == [True], "the suite read the loaded tables"
        assert "code=20A03" in failure.value.message
    else:
        assert loaded == [False], "the CSVs could not be loaded: the suite read them"
        assert "amount_wan" in failure.value.message
    assert not any(line.startswith("[4/7] dbt build") for line in lines)
    assert not paths.building.exists() and not (tmp_path / "w.duckdb").exists()


# --- marts suite ------------------------------------------------------------------------


@pytest.mark.e2e
def test_marts_suite_passes_on_the_built_warehouse(
    session: GxSession, published: Published
) -> None:
    with duckdb.connect(str(published.warehouse), read_only=True) as con:
        result = session.validate("marts", con, marts_checks(YEAR, MANIFEST))
    print(format_table([result]))
    assert result.passed, result.failure_message()
    assert not [o for o in result.outcomes if o.status == "error"]
    # Only rules comparing one published figure with another may warn: documents (or their
    # text extraction) can disagree with themselves; audit_reconciliation reports those.
    assert all(o.check.endswith("(consistency)") for o in result.warnings)


@pytest.mark.e2e
def test_build_wrote_results_and_data_docs(published: Published) -> None:
    gx = published.reports / "gx"
    assert (gx / "data_docs" / "index.html").is_file()
    assert list((gx / "data_docs" / "validations").rglob("*.html"))
    for suite in ("landed", "marts"):
        assert f'"suite": "{suite}"' in (gx / f"{suite}.json").read_text(encoding="utf-8")
    assert "landed:" in published.second.stdout and "marts:" in published.second.stdout


@pytest.mark.e2e
def test_marts_suite_catches_corrupted_marts(
    session: GxSession, published: Published, tmp_path: Path
) -> None:
    copy = tmp_path / "corrupted.duckdb"
    shutil.copy2(published.warehouse, copy)
    with duckdb.connect(str(copy)) as con:
        keys = con.execute(
            "select document_id, fiscal_year, function_code, measure, fund_source"
            " from marts.fct_expenditure_by_function order by all limit 1"
        ).fetchall()
        (negative,) = keys
        where = (
            "document_id = ? and fiscal_year = ? and function_code = ? and measure = ?"
            " and fund_source = ?"
        )
        con.execute(
            f"update marts.fct_expenditure_by_function set amount_wan = -amount_wan - 1,"
            f" amount_yuan = (-amount_wan - 1) * 10000 where {where}",
            list(negative),
        )
        con.execute(
            "update marts.fct_expenditure_by_economic set amount_yuan = amount_yuan + 100000"
            " where rowid = (select min(rowid) from marts.fct_expenditure_by_economic)"
        )
        # a mart no hand-kept list named: the suite finds its 万元/元 pairs in the manifest
        con.execute(
            "update marts.fct_performance_funds set executed_yuan = executed_yuan + 500"
            " where rowid = (select min(rowid) from marts.fct_performance_funds"
            " where executed_yuan is not null)"
        )
    with duckdb.connect(str(copy), read_only=True) as con:
        result = session.validate("marts", con, marts_checks(YEAR, MANIFEST))
    print(format_table([result]))
    assert not result.passed
    fact = "fct_expenditure_by_function"
    negative_outcome = failed(
        result, f"{fact} (not negative)", "expenditure (amount_wan) is not negative"
    )
    assert negative_outcome.unexpected_count == 1
    # a document check: it names the document to quarantine and does not block by itself
    assert negative_outcome.document_ids == (negative[0],)
    assert negative_outcome.quarantines and not negative_outcome.is_blocking
    gap = failed(result, "fct_expenditure_by_economic (万元 = 元)", "amount_wan and amount_yuan")
    assert gap.unexpected_count == 1
    funds = failed(result, "fct_performance_funds (万元 = 元)", "executed_wan and executed_yuan")
    assert funds.unexpected_count == 1


def _manifest(tmp_path: Path, columns: dict[str, list[str]]) -> Path:
    nodes = {
        f"model.p.{name}": {
            "name": name,
            "resource_type": "model",
            "package_name": "p",
            "columns": {c: {"name": c} for c in cols},
        }
        for name, cols in columns.items()
    }
    path = tmp_path / "manifest.json"
    path.write_text(json.dumps({"metadata": {"project_name": "p"}, "nodes": nodes}), "utf-8")
    return path


def test_marts_suite_takes_its_marts_and_money_pairs_from_the_manifest(tmp_path: Path) -> None:
    manifest = MartsManifest.load(
        _manifest(
            tmp_path,
            {
                "fct_new": ["document_id", "source_line", "paid_wan", "paid_yuan", "rate_wan"],
                "int_helper": ["x_wan", "x_yuan"],  # not a mart
            },
        )
    )
    assert list(manifest.columns) == ["fct_new"]
    assert manifest.money_pairs("fct_new") == ["paid"]
    assert manifest.keys("fct_new") == ("document_id", "source_line")
    with pytest.raises(ManifestError, match=r"fct_new\.gone"):
        manifest.require("fct_new", "gone")
    # the suite's own rules name marts this manifest lacks: an error, not a silent skip
    with pytest.raises(ManifestError, match="fct_expenditure_by_function"):
        marts_checks(YEAR, manifest)
    with pytest.raises(ManifestError, match="no dbt manifest"):
        MartsManifest.load(tmp_path / "missing.json")


@pytest.mark.e2e
def test_marts_suite_checks_every_mart_with_money_of_the_real_manifest(
    published: Published,
) -> None:
    manifest = MartsManifest.load(MANIFEST)
    checked = {
        c.table for c in marts_checks(YEAR, manifest) if c.check_name.endswith("(万元 = 元)")
    }
    with_pairs = {m for m in manifest.columns if manifest.money_pairs(m)}
    assert {"fct_performance_funds", "fct_table_figures", "fct_narrative_figures"} <= with_pairs
    assert checked == with_pairs


def test_results_table_shows_failing_rows_and_widths_of_chinese_text() -> None:
    outcome = Outcome(
        suite="landed",
        check="landed_table_cells",
        expectation="expect_column_values_to_match_regex",
        description="code is 3, 5 or 7 digits when present",
        critical=True,
        status=FAILED,
        element_count=414,
        unexpected_count=1,
        samples=("document_id=d line_number=23 code=20A03 row_label=一般公共服务支出",),
    )
    table = format_table([SuiteResult("landed", (outcome,), 0.1, None)])
    header, _rule, row, headline = table.splitlines()
    assert header.split() == [
        "suite", "check", "expectation", "status", "unexpected", "sample", "of", "failing", "rows"
    ]  # fmt: skip
    assert row.startswith("landed  landed_table_cells  code is 3, 5 or 7 digits when present")
    assert " failed " in row and " 1 " in row and "code=20A03" in row
    assert headline == "landed: 0/1 expectations passed, 1 critical failures, 0 warnings"


# --- the checks evaluated in DuckDB give what GX gives on the frame ---------------------------


def _stored_results(session: GxSession) -> dict[tuple[str, int], str]:
    """Every stored validation result of the session, as the JSON the data docs render."""
    from great_expectations.util import convert_to_json_serializable

    store = session._gx_context().validation_results_store
    found = {}
    for key in store.list_keys():
        run = store.get(key)
        for r in run.results:
            entry = (r.success, r.result, run.success, run.statistics)
            found[(run.suite_name, int(r.expectation_config.meta["check_number"]))] = json.dumps(
                convert_to_json_serializable(entry), sort_keys=True
            )
    return found


def _stored_runs(session: GxSession) -> dict[str, tuple[object, ...]]:
    """Every stored validation run of the session: its batch id, its key's batch and its
    expectations' configurations in the order the data docs list them."""
    from great_expectations.util import convert_to_json_serializable

    store = session._gx_context().validation_results_store
    found = {}
    for key in store.list_keys():
        run = store.get(key)
        configs = [
            json.dumps(convert_to_json_serializable(r.expectation_config.to_json_dict()),
                       sort_keys=True).replace(r.expectation_config.id or "-", "<id>")
            for r in run.results
        ]  # fmt: skip
        found[run.suite_name] = (run.batch_id, key.batch_identifier, tuple(configs))
    return found


def test_failing_samples_do_not_depend_on_the_physical_order_of_rows(tmp_path: Path) -> None:
    """An incremental build holds a mart's rows in another physical order than a full build;
    the samples (audit_ingest.quarantine_detail) must be the same, in SQL and on frames."""
    from expectations.checks import TableCheck, between

    con = duckdb.connect()
    rows = "select 'd' || (i % 9) as document_id, i as n from range(60) r(i)"
    con.execute(f"create table forward as {rows} order by i")
    con.execute(f"create table backward as {rows} order by i desc")
    check = (between("n", 0, 3, "n within [0, 3]", quarantine=True),)
    found = {}
    for pushdown in (True, False):
        session = GxSession(tmp_path / f"gx-{pushdown}", pushdown=pushdown)
        for table in ("forward", "backward"):
            result = session.validate(
                "t", con, [TableCheck(table, "t", f"select * from {table}", check,
                                      key_columns=("document_id",))],
            )  # fmt: skip
            (outcome,) = result.outcomes
            found[pushdown, table] = (outcome.samples, outcome.document_ids)
    assert len(set(found.values())) == 1, found
    samples, documents = found[True, "forward"]
    assert samples[0] == "document_id=d0 n=9" and len(samples) == 5
    assert documents == tuple(f"d{i}" for i in range(9))


def test_checks_evaluated_in_sql_give_the_results_gx_gives_on_frames(tmp_path: Path) -> None:
    """Every column expectation kind, with nulls, duplicates (single and compound), values
    outside a set or range, more failures than samples, an all-null row and an empty table:
    the outcomes, the stored GX results (the data docs) and the quarantined documents of the
    SQL path equal GX's on the pandas frame."""
    from expectations.checks import (
        TableCheck,
        between,
        in_set,
        is_true,
        matches,
        not_null,
        unique,
    )

    con = duckdb.connect()
    con.execute(
        """
        create table t as select * from (values
            ('a', 1, 'x1', true, 'd1', 1.5::double), (null, 2, 'x2', false, 'd2', null),
            ('b', null, 'zz', true, 'd1', 2.0), ('a', 5, null, true, 'd3', 0.5),
            ('c', 3, 'x1', true, null, 9.0), ('c', 3, 'x1', true, 'd4', -1.0),
            (null, null, null, null, null, null)) v(k, n, s, b, document_id, f)
        union all
        select 'e' || (i % 7), 10 + i % 3, 'y' || i, i % 2 = 0, 'd' || i, i / 10
        from range(40) r(i)
        """
    )
    expectations = (
        not_null("k"),
        matches("s", r"^x\d$", "s is x and a digit"),
        in_set("k", ["a", "b"]),
        between("n", 1, 3, "n within [1, 3]", quarantine=True),
        between("f", 0, 1, "f within [0, 1]"),
        unique(["k"]),
        unique(["k", "s"]),
        unique(["n", "b"]),
        is_true("b", "b is true"),
        in_set("n", [1, 2, 3]),
    )
    checks = [
        TableCheck("t", "t", "select * from t", expectations, key_columns=("document_id", "k")),
        TableCheck("t", "t", "select * from t where false", expectations, name="t (empty)"),
    ]
    on_frames = GxSession(tmp_path / "frames", pushdown=False)
    in_sql = GxSession(tmp_path / "sql")
    expected = on_frames.validate("t", con, checks)
    found = in_sql.validate("t", con, checks)
    assert found.outcomes == expected.outcomes
    assert any(o.status == FAILED and len(o.samples) == 5 for o in found.outcomes)
    # n = 5 (d3) and every generated row (n 10-12) are outside [1, 3]; d3 is among them
    assert next(o.document_ids for o in found.outcomes if o.quarantine) == tuple(
        sorted(f"d{i}" for i in range(40))
    )
    assert _stored_results(in_sql) == _stored_results(on_frames)
    assert _stored_runs(in_sql) == _stored_runs(on_frames)
    assert found.docs_index is not None and found.docs_index.is_file()


def test_data_docs_render_each_page_once_and_index_every_suite(tmp_path: Path) -> None:
    """A session's second suite renders its own pages; the first suite's pages stay as they
    were written, and the index lists both suites' results."""
    from expectations.checks import TableCheck, columns_are, not_null

    con = duckdb.connect()
    con.execute("create table t as select range as n from range(3)")
    session = GxSession(tmp_path / "gx")
    first = session.validate("first", con, [TableCheck("first", "t", "select * from t",
                                                       (not_null("n"),))])  # fmt: skip
    assert first.docs_index is not None
    pages = {p: p.stat().st_mtime_ns for p in session.docs_dir.rglob("*.html")
             if p.name != "index.html"}  # fmt: skip
    assert any("first" in p.parts for p in pages)
    second = session.validate("second", con, [TableCheck("second", "t", "select * from t",
                                                         (columns_are(["n"], "n only"),))])  # fmt: skip
    assert second.docs_index == first.docs_index
    assert {p: p.stat().st_mtime_ns for p in pages} == pages
    after = [p for p in session.docs_dir.rglob("*.html") if p not in pages]
    assert any("second" in p.parts for p in after)
    index = first.docs_index.read_text(encoding="utf-8")
    assert "first.t" in index and "second.t" in index
