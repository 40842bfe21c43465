"""After one changed document, an incremental build publishes what a build from nothing does.

A generated batch is built (the build's own steps: exports taken over from the published
ones, the report drawn beside them); one document's figure is edited and the warehouse built
again, incrementally from the published file, and a second warehouse from nothing with the
same documents. The exports must be the same files byte for byte (the workbook: every part
but the creation and modification times openpyxl stamps into ``docProps/core.xml``, which
differ between any two builds), and every table of the
two warehouses must hold the same rows (``except all`` both ways), but for the two models
that say which documents the build computed (:data:`THIS_BUILDS`: every document in a
build from nothing, the changed one incrementally).
"""

from __future__ import annotations

import zipfile
from pathlib import Path

import duckdb
import pytest
from warehouse_build import private_project

from corpus.__main__ import main as corpus_main
from warehouse.build import BuildOptions, BuildReport, run_build
from warehouse.incremental import CHANGED_MODEL
from warehouse.paths import BuildPaths

THIS_BUILDS = frozenset({CHANGED_MODEL, "staging.int_incremental__landed_changes"})


def _build(root: Path, docs: Path, name: str, *, incremental: bool) -> BuildReport:
    paths = BuildPaths.create(
        docs=docs,
        warehouse=root / name / "warehouse.duckdb",
        exports=root / name / "exports",
        reports=root / name / "reports",
        project=root / "project",
    )
    return run_build(BuildOptions(paths=paths, incremental=incremental), say=lambda _line: None)


STAMPED = "docProps/core.xml"  # a workbook's creation and modification times


def _contents(path: Path) -> bytes | dict[str, bytes]:
    """A file's bytes; a workbook's parts but the one stamped with the time it was written."""
    if path.suffix != ".xlsx":
        return path.read_bytes()
    with zipfile.ZipFile(path) as workbook:
        return {n: workbook.read(n) for n in sorted(workbook.namelist()) if n != STAMPED}


def _files(folder: Path) -> dict[str, bytes | dict[str, bytes]]:
    return {
        path.relative_to(folder).as_posix(): _contents(path)
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def table_differences(first: Path, second: Path) -> dict[str, tuple[int, int]]:
    """schema.table → (rows only in ``first``, rows only in ``second``) for every table of
    either file that differs (``except all``); (-1, -1) for a table only one file holds."""
    con = duckdb.connect()
    try:
        tables: dict[str, set[str]] = {}
        for alias, path in (("one", first), ("two", second)):
            con.execute(f"attach '{path}' as {alias} (read_only)")
            tables[alias] = {
                f"{schema}.{name}"
                for schema, name in con.execute(
                    "select schema_name, table_name from duckdb_tables() where database_name = ?",
                    [alias],
                ).fetchall()
            }
        found = {name: (-1, -1) for name in tables["one"] ^ tables["two"]}
        for name in sorted(tables["one"] & tables["two"]):
            counts = []
            for a, b in (("one", "two"), ("two", "one")):
                (n,) = con.execute(
                    f"select count(*) from (select * from {a}.{name} except all "
                    f"select * from {b}.{name})"
                ).fetchone()
                counts.append(int(n))
            if any(counts):
                found[name] = (counts[0], counts[1])
        return found
    finally:
        con.close()


@pytest.fixture(scope="module")
def builds(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, BuildReport]:
    root = tmp_path_factory.mktemp("incremental_publish")
    private_project(root)
    corpus_main(["generate", "--out", str(root / "batch"), "--count", "24", "--seed", "5"])
    docs = root / "batch" / "docs"
    _build(root, docs, "live", incremental=True)  # nothing published yet: from nothing
    path = sorted(docs.glob("*.txt"))[3]
    text = path.read_text(encoding="utf-8")
    figure = next(w for w in text.split() if w.replace(".", "").isdigit() and "." in w)
    path.write_text(text.replace(figure, f"{float(figure) + 1:.2f}", 1), encoding="utf-8")
    incremental = _build(root, docs, "live", incremental=True)
    _build(root, docs, "fresh", incremental=False)
    return root, incremental


def test_the_build_after_one_change_is_incremental(builds) -> None:
    _root, report = builds
    assert report.incremental
    assert sum(e.reused for e in report.exports) > 0  # partitions taken over


def test_the_exports_are_a_full_builds_byte_for_byte(builds) -> None:
    root, _report = builds
    live, fresh = _files(root / "live" / "exports"), _files(root / "fresh" / "exports")
    assert sorted(live) == sorted(fresh)
    assert [name for name in live if live[name] != fresh[name]] == []


def test_the_warehouse_holds_a_full_builds_rows(builds) -> None:
    root, _report = builds
    differences = table_differences(
        root / "live" / "warehouse.duckdb", root / "fresh" / "warehouse.duckdb"
    )
    assert set(differences) <= THIS_BUILDS, differences
