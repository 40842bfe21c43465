"""``python -m warehouse build`` end to end, and the command line around it.

The session fixture ``published`` (``tests/warehouse_build.py``, exposed by conftest) runs the
real CLI twice; these tests read what it printed and published.
"""

from __future__ import annotations

import fcntl
import os
import re
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest
from warehouse_build import (
    NOT_A_DISCLOSURE,
    ROOT,
    SAMPLES,
    Published,
    cli_env,
    private_project,
    run_cli,
    sha256,
)


@pytest.fixture
def mart_con(published: Published) -> Iterator[duckdb.DuckDBPyConnection]:
    con = duckdb.connect(str(published.warehouse), read_only=True)
    yield con
    con.close()


# --- the full build -------------------------------------------------------------------------


@pytest.mark.e2e
def test_build_prints_every_step_with_its_time(published: Published) -> None:
    lines = published.second.stdout.splitlines()
    for number, step in enumerate(
        ("lock", "ingest", "landed suite", "dbt build", "marts suite", "exports", "publish"),
        start=1,
    ):
        matching = [line for line in lines if line.startswith(f"[{number}/7] {step}")]
        assert matching, (
            f"no progress line for step {number} ({step}) in:\n{published.second.stdout}"
        )
        assert matching[0].split()[2 + step.count(" ")].replace(".", "", 1).isdigit()
    assert f"published {published.warehouse}" in published.second.stdout


@pytest.mark.e2e
def test_rejected_file_is_reported_but_does_not_stop_a_non_strict_build(
    published: Published, mart_con: duckdb.DuckDBPyConnection
) -> None:
    samples = len([p for p in SAMPLES.iterdir() if p.is_file()])
    assert f"{samples + 1} files ({samples} landed, 1 rejected)" in published.second.stdout
    status, reason, document_id = mart_con.execute(
        "select status, reason, document_id from marts.audit_ingest where source_file = ?",
        ["meeting-notes.txt"],
    ).fetchone()
    assert (status, document_id) == ("rejected", None)
    assert "title" in reason
    report = (published.reports / "ingest_report.md").read_text(encoding="utf-8")
    assert "meeting-notes.txt" in report


@pytest.mark.e2e
def test_built_warehouse_holds_the_sample_figures(mart_con: duckdb.DuckDBPyConnection) -> None:
    (amount,) = mart_con.execute(
        """
        select f.amount_wan
        from marts.fct_expenditure_by_function as f
        where f.district_name = '潼南区' and f.fiscal_year = 2025 and f.doc_kind = 'budget'
          and f.function_code = '2010350' and f.measure = 'total'
          and f.fund_source = 'general_public_budget' and not f.is_comparative
        """
    ).fetchone()
    assert str(amount) == "353.1300"


@pytest.mark.e2e
def test_validate_command_checks_a_published_warehouse(
    published: Published, tmp_path: Path
) -> None:
    result = run_cli(
        "validate", "--warehouse", published.warehouse, "--landed", ROOT / "seeds" / "landed",
        "--reports", tmp_path,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    assert re.search(r"landed: (\d+)/\1 expectations passed", result.stdout), result.stdout
    assert "marts: " in result.stdout and "0 critical failures" in result.stdout
    assert (tmp_path / "gx" / "data_docs" / "index.html").is_file()


@pytest.mark.e2e
def test_export_command_rewrites_the_same_exports(published: Published, tmp_path: Path) -> None:
    again = tmp_path / "exports"
    result = run_cli("export", "--warehouse", published.warehouse, "--exports", again)
    assert result.returncode == 0, result.stdout + result.stderr
    built = {p.relative_to(published.exports): p for p in published.exports.rglob("*.csv")}
    rewritten = {p.relative_to(again): p for p in again.rglob("*.csv")}
    assert sorted(built) == sorted(rewritten) and built
    for name, path in built.items():
        assert path.read_bytes() == rewritten[name].read_bytes(), name
    manifest = (published.exports / "manifest.json").read_bytes()
    assert (again / "manifest.json").read_bytes() == manifest


@pytest.mark.e2e
def test_export_over_the_same_exports_takes_every_partition_over(
    published: Published, tmp_path: Path
) -> None:
    """Exporting the published warehouse over a copy of its exports: every partition's rows
    have their recorded digest, so every file is taken over, and the files are the same."""
    again = tmp_path / "exports"
    shutil.copytree(published.exports, again)
    result = run_cli("export", "--warehouse", published.warehouse, "--exports", again)
    assert result.returncode == 0, result.stdout + result.stderr
    built = {
        p.relative_to(published.exports): p.read_bytes()
        for p in published.exports.rglob("*")
        if p.is_file() and "xlsx" not in p.parts
    }
    rewritten = {
        p.relative_to(again): p.read_bytes()
        for p in again.rglob("*")
        if p.is_file() and "xlsx" not in p.parts
    }
    assert sorted(built) == sorted(rewritten) and len(built) > 20
    assert built == rewritten
    taken = re.search(r"(\d+) of (\d+) partitions unchanged, taken over", result.stdout)
    assert taken and taken.group(1) == taken.group(2), result.stdout


# --- strictness, locking, the command line ----------------------------------------------------


def test_strict_build_fails_naming_rejected_files_and_publishes_nothing(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    shutil.copy2(sorted(SAMPLES.iterdir())[0], docs)
    (docs / "meeting-notes.txt").write_text(NOT_A_DISCLOSURE, encoding="utf-8")
    (docs / "scan.bin").write_bytes(bytes(range(256)) * 8)
    warehouse = tmp_path / "warehouse.duckdb"
    result = run_cli(
        "build", "--docs", docs, "--warehouse", warehouse, "--strict",
        "--project", private_project(tmp_path),
    )  # fmt: skip
    assert result.returncode == 4, result.stdout + result.stderr
    assert "2 file(s) rejected" in result.stderr
    assert "meeting-notes.txt: no budget or final-accounts title" in result.stderr
    assert "scan.bin: is not text" in result.stderr
    assert not warehouse.exists()
    assert not list(tmp_path.glob("warehouse.duckdb.building-*"))


def _hold(lock_path: Path) -> int:
    """Take the lock the way a running build does (pid inside); returns the open fd.
    Blocks while a real build holds it (the project lock is shared with `make build`)."""
    lock_path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o644)
    fcntl.flock(fd, fcntl.LOCK_EX)
    os.ftruncate(fd, 0)
    os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
    return fd


def test_second_build_gives_up_with_a_clear_message_when_the_lock_is_held(tmp_path: Path) -> None:
    warehouse = tmp_path / "warehouse.duckdb"
    warehouse.write_bytes(b"the published warehouse stands in for itself here")
    before = sha256(warehouse)
    fd = _hold(tmp_path / "warehouse.duckdb.lock")
    try:
        started = time.perf_counter()
        result = run_cli("build", "--warehouse", warehouse, "--lock-timeout", "1.5")
        print(f"gave up after {time.perf_counter() - started:.1f} s")
    finally:
        os.close(fd)
    assert result.returncode == 3, result.stdout + result.stderr
    assert f"another build is running (pid {os.getpid()})" in result.stdout
    assert "waiting up to 1.5 s" in result.stdout
    assert "gave up after 1.5 s" in result.stderr and "--lock-timeout" in result.stderr
    assert sha256(warehouse) == before
    assert not list(tmp_path.glob("*.building-*"))


def test_build_of_another_warehouse_waits_for_the_project_lock(tmp_path: Path) -> None:
    """seeds/landed and dbt's target belong to the project: builds of two different
    warehouses from one checkout take turns."""
    fd = _hold(ROOT / ".build" / "project.lock")
    try:
        result = run_cli("build", "--warehouse", tmp_path / "other.duckdb", "--lock-timeout", "0.5")
    finally:
        os.close(fd)
    assert result.returncode == 3, result.stdout + result.stderr
    assert f"(pid {os.getpid()}) on dbt project {ROOT}" in result.stdout
    assert not (tmp_path / "other.duckdb").exists()


def test_cli_lists_its_commands_and_exit_codes() -> None:
    result = run_cli("--help")
    assert result.returncode == 0
    for command in ("build", "validate", "export"):
        assert command in result.stdout
    build_help = run_cli("build", "--help").stdout
    for option in ("--docs", "--warehouse", "--exports", "--strict", "--lock-timeout"):
        assert option in build_help
    assert "3 lock timeout" in build_help
    assert "10 --strict and a document was quarantined" in " ".join(build_help.split())


def test_make_build_passes_docs_warehouse_and_strict() -> None:
    def dry_run(*variables: str) -> str:
        """The command `make build` would run (works under `make test` too)."""
        result = subprocess.run(
            ["make", "--no-print-directory", "-n", "build", *variables],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        )
        lines = [line for line in result.stdout.splitlines() if "-m warehouse build" in line]
        assert len(lines) == 1, result.stdout
        return lines[0]

    command = dry_run("DOCS=some/docs", "WAREHOUSE=/tmp/w.duckdb", "STRICT=1")
    assert "--docs some/docs" in command and "--warehouse /tmp/w.duckdb" in command
    assert "--strict" in command
    assert "--strict" not in dry_run()
    assert "--docs data/raw --warehouse warehouse.duckdb" in dry_run()


def test_ci_entry_point_runs_make_test() -> None:
    script = ROOT / ".ci" / "run"
    assert os.access(script, os.X_OK)
    text = script.read_text(encoding="utf-8")
    assert text.startswith("#!/usr/bin/env bash")
    assert "set -euo pipefail" in text and "make test" in text


# --- the landed seeds, loaded without dbt's agate parse --------------------------------------


def test_landed_seeds_load_as_dbt_seed_loads_them(tmp_path: Path) -> None:
    """``load_landed_seeds`` (what a build runs instead of dbt's seed step) gives the tables
    ``dbt seed`` gives for the same landed CSVs: same columns, types and rows, nulls included."""
    from ingest.pipeline import ingest_folder
    from warehouse.dbt_step import landed_column_types, load_landed_seeds

    project = tmp_path / "project"
    (project / "seeds" / "landed").mkdir(parents=True)
    for name in ("dbt_project.yml", "profiles.yml"):
        shutil.copy2(ROOT / name, project / name)
    shutil.copytree(ROOT / "macros", project / "macros")
    shutil.copy2(ROOT / "seeds" / "landed" / "_landed__seeds.yml", project / "seeds" / "landed")
    landed = project / "seeds" / "landed"
    ingest_folder(SAMPLES, landed)
    seeded = tmp_path / "seeded.duckdb"
    env = {**cli_env(), "WAREHOUSE_BUILD_PATH": str(seeded)}
    completed = subprocess.run(
        [
            str(Path(sys.executable).with_name("dbt")),
            "seed",
            "--select",
            "path:seeds/landed",
            "--project-dir",
            str(project),
            "--profiles-dir",
            str(project),
        ],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
    )
    assert completed.returncode == 0, completed.stdout[-3000:]
    loaded = tmp_path / "loaded.duckdb"
    counts = load_landed_seeds(loaded, landed)
    names = sorted(landed_column_types(landed / "_landed__seeds.yml"))
    assert sorted(counts) == names and counts["landed_table_cells"] > 1000
    with duckdb.connect(str(loaded)) as con:
        con.execute(f"attach '{seeded}' as seeded (read_only)")
        for name in names:
            columns = (
                "select column_name, data_type from duckdb_columns() where database_name "
                "= ? and schema_name = 'raw' and table_name = ? order by column_index"
            )
            assert (
                con.execute(columns, ["loaded", name]).fetchall()
                == con.execute(columns, ["seeded", name]).fetchall()
            ), name
            for a, b in (("raw", "seeded.raw"), ("seeded.raw", "raw")):
                (extra,) = con.execute(
                    f"select count(*) from (select * from {a}.{name} except all "
                    f"select * from {b}.{name})"
                ).fetchone()
                assert extra == 0, f"{name}: {extra} rows of {a} not in {b}"
        assert (
            counts["landed_table_cells"]
            == con.execute("select count(*) from seeded.raw.landed_table_cells").fetchone()[0]
        )
        (blank_codes,) = con.execute(
            "select count(*) from raw.landed_table_cells where code is null"
        ).fetchone()
        assert blank_codes > 0  # an empty cell is NULL in both, as dbt-duckdb's COPY reads it


def test_a_landed_file_whose_columns_are_not_the_declared_ones_is_refused(tmp_path: Path) -> None:
    from ingest.pipeline import ingest_folder
    from warehouse.dbt_step import load_landed_seeds

    landed = tmp_path / "landed"
    landed.mkdir()
    shutil.copy2(ROOT / "seeds" / "landed" / "_landed__seeds.yml", landed)
    ingest_folder(SAMPLES, landed)
    (landed / "landed_pages.csv").write_text("document_id,page\nx,1\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"landed_pages\.csv: columns"):
        load_landed_seeds(tmp_path / "w.duckdb", landed)
