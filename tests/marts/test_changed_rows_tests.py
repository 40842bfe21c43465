"""The row-level and per-document grain tests of a per-document model read only the changed
documents' rows in an incremental build (``rows_to_test``, ``macros/incremental.sql``).

A small generated batch is built from nothing, one document edited and the warehouse built
again incrementally. The compiled SQL of two tests of ``int_tables__money_cells`` (its grain,
with document_id, and its not-null columns) is then run over copies of each published file
with a fault put in: a build from nothing reads every document's rows (a fault anywhere
fails); an incremental build reads the changed document's (a fault there fails) and not an
unchanged one's, which the build that computed those rows tested (the full rule would see it:
the fault is there). A test of a model that is a table reads every row.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import duckdb
import pytest
from warehouse_build import private_project

from corpus.__main__ import main as corpus_main
from warehouse.build import BuildOptions, BuildSteps, run_build
from warehouse.exports import ExportedModel
from warehouse.incremental import CHANGED_MODEL
from warehouse.paths import BuildPaths

MODEL = "model.budget_warehouse.int_tables__money_cells"
CELLS = "staging.int_tables__money_cells"
NARROWED = "unchanged.document_id"  # what rows_to_test adds to a test's SQL


def _no_exports(_database: Path, out: Path) -> list[ExportedModel]:
    out.mkdir(parents=True, exist_ok=True)
    (out / "manifest.json").write_text("{}\n", encoding="utf-8")
    return []


def _build(root: Path, docs: Path) -> BuildPaths:
    paths = BuildPaths.create(
        docs=docs,
        warehouse=root / "live" / "warehouse.duckdb",
        exports=root / "live" / "exports",
        reports=root / "live" / "reports",
        project=root / "project",
    )
    run_build(BuildOptions(paths=paths), BuildSteps(export=_no_exports), say=lambda _l: None)
    return paths


def _tests(paths: BuildPaths) -> dict[tuple[str, str], str]:
    """(generic test, tested model) → its compiled SQL, from the build's manifest."""
    manifest = json.loads((paths.dbt_target / "manifest.json").read_text(encoding="utf-8"))
    return {
        (node["test_metadata"]["name"], node.get("attached_node") or ""): node["compiled_code"]
        for node in manifest["nodes"].values()
        if node["resource_type"] == "test"
        and node.get("test_metadata")
        and node.get("compiled_code")
    }


@pytest.fixture(scope="module")
def builds(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[Path, dict]]:
    root = tmp_path_factory.mktemp("changed_rows")
    private_project(root)
    corpus_main(["generate", "--out", str(root / "batch"), "--count", "12", "--seed", "3"])
    docs = root / "batch" / "docs"
    built: dict[str, tuple[Path, dict]] = {}
    for name in ("full", "incremental"):
        paths = _build(root, docs)
        copy = root / name / "warehouse.duckdb"
        copy.parent.mkdir()
        shutil.copyfile(paths.warehouse, copy)
        built[name] = (copy, _tests(paths))
        path = sorted(docs.glob("*.txt"))[2]
        text = path.read_text(encoding="utf-8")
        figure = next(w for w in text.split() if w.replace(".", "").isdigit() and "." in w)
        path.write_text(text.replace(figure, f"{float(figure) + 1:.2f}", 1), encoding="utf-8")
    return built


def _documents(database: Path, changed: bool) -> list[str]:
    with duckdb.connect(str(database), read_only=True) as con:
        rows = con.execute(
            f"select document_id from {CHANGED_MODEL} where is_changed = ? and document_id in "
            f"(select document_id from {CELLS}) order by document_id",
            [changed],
        ).fetchall()
    return [str(r[0]) for r in rows]


def _failures(database: Path, tmp: Path, sql: str, fault: str, document: str) -> int:
    """Rows the test's ``sql`` returns over a copy of ``database`` with ``fault`` put into
    one row of ``document``; and checks that the fault is there."""
    copy = tmp / "warehouse.duckdb"
    copy.unlink(missing_ok=True)
    shutil.copyfile(database, copy)
    with duckdb.connect(str(copy)) as con:
        key = f"from {CELLS} where document_id = '{document}' order by all limit 1"
        if fault == "duplicate":
            con.execute(f"insert into {CELLS} select * {key}")
        else:
            con.execute(f"update {CELLS} set line_number = null where rowid = (select rowid {key})")
        (found,) = con.execute(f"select count(*) from ({sql}) as failures").fetchone() or (0,)
    return int(found)


TESTS = {"duplicate": "unique_combination_of_columns", "null": "not_null_columns"}


@pytest.mark.parametrize("fault", list(TESTS))
def test_a_build_from_nothing_tests_every_documents_rows(builds, tmp_path: Path, fault) -> None:
    database, tests = builds["full"]
    assert _documents(database, changed=False) == []
    document = _documents(database, changed=True)[0]
    assert _failures(database, tmp_path, tests[(TESTS[fault], MODEL)], fault, document) > 0


@pytest.mark.parametrize("fault", list(TESTS))
def test_an_incremental_build_tests_the_changed_documents_rows(
    builds, tmp_path: Path, fault
) -> None:
    database, tests = builds["incremental"]
    sql = tests[(TESTS[fault], MODEL)]
    assert NARROWED in sql
    (changed,) = _documents(database, changed=True)
    unchanged = _documents(database, changed=False)[0]
    assert _failures(database, tmp_path, sql, fault, changed) > 0
    # the unchanged document's rows were tested by the build that computed them; the full
    # rule (every row read) sees the fault
    assert _failures(database, tmp_path, sql, fault, unchanged) == 0
    assert _failures(database, tmp_path, _every_row(sql), fault, unchanged) > 0


def _every_row(sql: str) -> str:
    """The test's SQL reading every row of the model (rows_to_test's narrowing taken out)."""
    narrowed = re.compile(
        r"\(select \* from (\S+) where document_id is null or document_id not in \(.*?\)\)"
        r" as changed_rows",
        flags=re.DOTALL,
    )
    plain, count = narrowed.subn(r"\1", sql)
    assert count and NARROWED not in plain
    return plain


def test_a_table_models_tests_read_every_row(builds) -> None:
    _database, tests = builds["incremental"]
    on_tables = [
        sql
        for (name, model), sql in tests.items()
        if model == "model.budget_warehouse.dim_document"
    ]
    assert on_tables and all(NARROWED not in sql for sql in on_tables)
