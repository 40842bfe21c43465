"""Incremental builds give exactly the full build's marts (issue 10, warehouse/incremental.py).

A generated batch of 40 documents is built in full; then, one change at a time, a figure is
edited, a document added, one removed, one made a duplicate of another, and a faulty document
added that a document check quarantines. After each change the warehouse is built
incrementally from the one published before, and a second warehouse from nothing with the same
documents: every mart table must hold the same rows (``except all`` both ways), and only the
changed documents must have been computed again. A change of a model file and
``--full-refresh`` build from nothing.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pytest
from warehouse_build import private_project

from corpus.__main__ import main as corpus_main
from warehouse.build import BuildOptions, BuildReport, BuildSteps, run_build
from warehouse.exports import ExportedModel
from warehouse.incremental import changed_count, changed_landing, models_digest, start_build
from warehouse.paths import BuildPaths

SAMPLES = Path(__file__).resolve().parents[2] / "data" / "raw"
TONGNAN_2025 = "003_2ab6434017984cbb.txt"


def _no_exports(_database: Path, out: Path) -> list[ExportedModel]:
    """The exports are not what is compared (and take the most time of a small build)."""
    out.mkdir(parents=True, exist_ok=True)
    (out / "manifest.json").write_text("{}\n", encoding="utf-8")
    return []


STEPS = BuildSteps(export=_no_exports)


def _paths(root: Path, docs: Path, name: str) -> BuildPaths:
    return BuildPaths.create(
        docs=docs,
        warehouse=root / name / "warehouse.duckdb",
        exports=root / name / "exports",
        reports=root / name / "reports",
        project=root / "project",
    )


def _build(root: Path, docs: Path, name: str, *, incremental: bool) -> BuildReport:
    options = BuildOptions(paths=_paths(root, docs, name), incremental=incremental)
    return run_build(options, STEPS, say=lambda _line: None)


def mart_differences(
    first: Path, second: Path, schema: str = "marts"
) -> dict[str, tuple[int, int]]:
    """mart table (or table of ``schema``) → (rows only in ``first``, rows only in
    ``second``), multiset difference (``except all``), for every table that differs; a table
    missing on one side counts as (-1, -1)."""
    con = duckdb.connect()
    try:
        con.execute(f"attach '{first}' as first_db (read_only)")
        con.execute(f"attach '{second}' as second_db (read_only)")
        tables = {}
        for database in ("first_db", "second_db"):
            tables[database] = {
                name
                for (name,) in con.execute(
                    "select table_name from duckdb_tables() "
                    "where database_name = ? and schema_name = ?",
                    [database, schema],
                ).fetchall()
            }
        differences = {name: (-1, -1) for name in tables["first_db"] ^ tables["second_db"]}
        for name in sorted(tables["first_db"] & tables["second_db"]):
            one = f"first_db.{schema}.{name}"
            two = f"second_db.{schema}.{name}"
            (only_first,) = con.execute(
                f"select count(*) from (select * from {one} except all select * from {two})"
            ).fetchone()
            (only_second,) = con.execute(
                f"select count(*) from (select * from {two} except all select * from {one})"
            ).fetchone()
            if only_first or only_second:
                differences[name] = (only_first, only_second)
        return differences
    finally:
        con.close()


# --- the changes, applied one after the other to the documents folder ------------------------


def _edit_figure(docs: Path, extra: Path) -> None:
    path = sorted(docs.glob("*.txt"))[5]
    text = path.read_text(encoding="utf-8")
    figure = next(word for word in text.split() if word.replace(".", "").isdigit() and "." in word)
    path.write_text(text.replace(figure, f"{float(figure) + 1:.2f}", 1), encoding="utf-8")


def _add(docs: Path, extra: Path) -> None:
    shutil.copy2(sorted(extra.glob("*.txt"))[0], docs / "added.txt")


def _remove(docs: Path, extra: Path) -> None:
    sorted(docs.glob("*.txt"))[10].unlink()


def _duplicate(docs: Path, extra: Path) -> None:
    files = sorted(docs.glob("*.txt"))
    shutil.copy2(files[20], files[21])  # 21 is now a second copy of 20


def _quarantined(docs: Path, extra: Path) -> None:
    """A document whose figure is negative: the marts suite quarantines it (issue 9)."""
    text = (SAMPLES / TONGNAN_2025).read_text(encoding="utf-8")
    (docs / "negative_figure.txt").write_text(text.replace("353.13", "-353.13"), "utf-8")


Change = Callable[[Path, Path], None]
CHANGES: dict[str, Change] = {
    "edit_figure": _edit_figure,
    "add": _add,
    "remove": _remove,
    "duplicate": _duplicate,
    "quarantined": _quarantined,
}


@dataclass(frozen=True)
class Outcome:
    incremental: BuildReport
    full: BuildReport
    computed: tuple[int, int] | None  # (documents computed, documents) by the incremental
    differences: dict[str, tuple[int, int]]  # every mart, every column
    before_vs_after: dict[str, tuple[int, int]]  # the published marts before and after
    landed_differences: dict[str, tuple[int, int]]  # the landed tables (raw), every column


@pytest.fixture(scope="module")
def outcomes(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Outcome]:
    root = tmp_path_factory.mktemp("incremental")
    private_project(root)
    for out, count, seed in ((root / "batch", 40, 3), (root / "extra", 1, 4)):
        corpus_main(["generate", "--out", str(out), "--count", str(count), "--seed", str(seed)])
    docs = root / "batch" / "docs"
    _build(root, docs, "live", incremental=False)
    live = root / "live" / "warehouse.duckdb"
    found: dict[str, Outcome] = {}
    for step, (name, change) in enumerate(CHANGES.items()):
        before = root / f"before-{name}.duckdb"
        shutil.copyfile(live, before)
        change(docs, root / "extra" / "docs")
        incremental = _build(root, docs, "live", incremental=True)
        computed = changed_count(live)
        full = _build(root, docs, f"full-{step}", incremental=False)
        found[name] = Outcome(
            incremental,
            full,
            computed,
            mart_differences(live, root / f"full-{step}" / "warehouse.duckdb"),
            mart_differences(before, live),
            mart_differences(live, root / f"full-{step}" / "warehouse.duckdb", "raw"),
        )
    return found


@pytest.mark.parametrize("change", list(CHANGES))
def test_an_incremental_build_gives_the_full_builds_marts(outcomes, change: str) -> None:
    outcome = outcomes[change]
    assert outcome.incremental.incremental, "the build did not start from the published file"
    assert not outcome.full.incremental
    assert outcome.differences == {}, f"marts differ from the full build: {outcome.differences}"
    # the comparison sees a change: the marts before the change differ from after it
    assert outcome.before_vs_after, "the change changed no mart row: the test proves nothing"


@pytest.mark.parametrize("change", list(CHANGES))
def test_the_landed_tables_are_updated_by_document_to_the_full_builds(
    outcomes, change: str
) -> None:
    """The copy's landed tables get only the changed documents' rows (warehouse/landed_load.py)
    and then hold, row for row, what loading every CSV whole gives."""
    outcome = outcomes[change]
    assert "landed_table_cells" in outcome.incremental.landed_updated
    assert "landed_prose_figures" in outcome.incremental.landed_updated
    assert not outcome.full.landed_updated
    assert outcome.landed_differences == {}, outcome.landed_differences


@pytest.mark.parametrize(
    ("change", "computed"),
    [("edit_figure", 2), ("add", 1), ("remove", 1), ("duplicate", 2), ("quarantined", 1)],
)
def test_only_the_changed_documents_are_computed(outcomes, change: str, computed: int) -> None:
    # an edited document is a new document (its id is of its content) and the old one gone; a
    # duplicate removes one document and changes the landed_files rows of the one it
    # duplicates (the duplicate file's row carries that document_id); the quarantined
    # document is new, then quarantined in round two
    assert outcomes[change].computed is not None
    assert outcomes[change].computed[0] == computed


def test_the_quarantine_rounds_run_incrementally(outcomes) -> None:
    outcome = outcomes["quarantined"]
    assert len(outcome.incremental.quarantine) == 1
    assert set(outcome.incremental.quarantine.documents) == set(outcome.full.quarantine.documents)


def test_a_changed_model_or_a_full_refresh_builds_from_nothing(outcomes, tmp_path: Path) -> None:
    root = next(iter(outcomes.values())).incremental.warehouse.parents[1]
    paths = _paths(root, root / "batch" / "docs", "live")
    project = root / "project"
    digest = models_digest(project)
    assert start_build(paths, digest, allowed=False).reason == "full build (asked for)"
    assert not paths.building.exists()
    model = project / "models" / "marts" / "fct_table_figures.sql"
    saved = model.read_text(encoding="utf-8")
    try:
        model.write_text(saved + "\n-- a change\n", encoding="utf-8")
        changed = models_digest(project)
        assert changed != digest
        start = start_build(paths, changed, allowed=True)
        assert not start.incremental and "models" in start.reason
        assert not paths.building.exists()
    finally:
        model.write_text(saved, encoding="utf-8")
    assert models_digest(project) == digest


def test_a_landing_where_most_documents_changed_builds_from_nothing(outcomes) -> None:
    # a new parser version changes every document: deleting and inserting nearly every row
    # is slower than a build from nothing (and ran out of memory at 10,000 documents)
    root = next(iter(outcomes.values())).incremental.warehouse.parents[1]
    paths = _paths(root, root / "batch" / "docs", "live")
    digest = models_digest(root / "project")
    documents = paths.landed / "landed_documents.csv"
    saved = documents.read_text(encoding="utf-8")
    total = len(saved.splitlines()) - 1
    assert changed_landing(paths.warehouse, documents) == (0, total)
    header, *rows = saved.splitlines()
    column = header.split(",").index("parser_version")
    assert all("," not in row.split(",", column)[-1].split(",")[0] for row in rows)

    def with_version(count: int) -> str:
        changed = []
        for number, row in enumerate(rows):
            cells = row.split(",")
            if number < count:
                cells[column] = cells[column] + "-next"
            changed.append(",".join(cells))
        return "\n".join([header, *changed]) + "\n"

    try:
        documents.write_text(with_version(total), encoding="utf-8")
        assert changed_landing(paths.warehouse, documents) == (total, total)
        start = start_build(paths, digest, allowed=True)
        assert (start.incremental, start.reason) == (
            False, f"full build ({total} of {total} documents changed)")
        assert not paths.building.exists()
        documents.write_text(with_version(total // 2), encoding="utf-8")  # half: incremental
        assert changed_landing(paths.warehouse, documents) == (total // 2, total)
        start = start_build(paths, digest, allowed=True)
        assert start.incremental, start.reason
    finally:
        paths.building.unlink(missing_ok=True)
        documents.write_text(saved, encoding="utf-8")
