"""Safe publication: readers keep their snapshot, failed builds change nothing, locks wait.

The reader scenario uses the two real builds of ``test_build_cli.published``; the failure
scenarios run the real orchestrator in-process with one step replaced by a failing one (the
steps before it, ingest and the landed suite, run for real on the sample documents).
"""

from __future__ import annotations

import hashlib
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import duckdb
import pytest
from warehouse_build import SAMPLES, Published, cli_env

from warehouse.build import BuildOptions, BuildSteps, run_build
from warehouse.errors import BuildError, ExitCode
from warehouse.exports import swap_directory
from warehouse.lock import BuildLock
from warehouse.paths import REPO_ROOT, BuildPaths
from warehouse.publish import publish


def tree_digest(folder: Path) -> dict[str, str]:
    """Relative path → sha256 of every file under ``folder``."""
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def landed_digest() -> dict[str, str]:
    landed = REPO_ROOT / "seeds" / "landed"
    return {
        p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(landed.glob("*.csv"))
    }


# --- readers and the real builds ----------------------------------------------------------


@pytest.mark.e2e
def test_open_reader_keeps_its_snapshot_while_a_build_publishes(published: Published) -> None:
    assert published.first_documents == 2
    assert published.reader_after == published.reader_before == 2
    samples = len([p for p in SAMPLES.iterdir() if p.is_file()])
    assert published.new_process_after == samples
    assert published.reader_sees_new_after_reconnect == samples


@pytest.mark.e2e
def test_published_file_is_self_contained(published: Published) -> None:
    folder = published.warehouse.parent
    assert not (folder / "warehouse.duckdb.wal").exists()
    assert not list(folder.glob("warehouse.duckdb.building-*"))
    assert not list(folder.glob("exports.building-*"))
    assert not list((REPO_ROOT / ".build").glob("run-*/landed"))


# --- failures leave everything as it was ----------------------------------------------------


def _options(published_: Published, docs: Path) -> BuildOptions:
    paths = BuildPaths.create(
        docs=docs,
        warehouse=published_.warehouse,
        exports=published_.exports,
        reports=published_.root / "reports-failed",
    )
    return BuildOptions(paths=paths, lock_timeout=120)


def _failing_dbt(paths: BuildPaths, **_: object) -> None:
    """dbt that gets half-way: it creates the new file, writes a table, then fails."""
    with duckdb.connect(str(paths.building)) as con:
        con.execute("create schema marts; create table marts.dim_document as select 1 as half")
    raise BuildError(ExitCode.DBT, "dbt build failed (injected): model.x: boom")


@pytest.mark.e2e
def test_build_failing_in_dbt_leaves_warehouse_exports_and_seeds_untouched(
    published: Published,
) -> None:
    warehouse_before = hashlib.sha256(published.warehouse.read_bytes()).hexdigest()
    exports_before = tree_digest(published.exports)
    landed_before = landed_digest()
    options = _options(published, SAMPLES)
    lines: list[str] = []
    with pytest.raises(BuildError) as failure:
        run_build(options, BuildSteps(dbt=_failing_dbt), say=lines.append)
    assert failure.value.code == ExitCode.DBT
    assert any(line.startswith("[4/7] dbt build") and "FAILED" in line for line in lines)
    assert hashlib.sha256(published.warehouse.read_bytes()).hexdigest() == warehouse_before
    assert tree_digest(published.exports) == exports_before
    assert landed_digest() == landed_before
    assert not options.paths.building.exists()
    assert not options.paths.exports_building.exists()
    failed = REPO_ROOT / ".build" / "failed" / "landed"
    assert (failed / "landed_documents.csv").is_file(), "the failed landing is kept to inspect"


@pytest.mark.e2e
def test_build_failing_at_publication_leaves_the_old_file(published: Published) -> None:
    warehouse_before = hashlib.sha256(published.warehouse.read_bytes()).hexdigest()
    exports_before = tree_digest(published.exports)

    def failing_export(database: Path, out: Path) -> list:
        out.mkdir(parents=True)
        (out / "partial.csv").write_text("half", encoding="utf-8")
        raise OSError(28, "No space left on device (injected)")

    options = _options(published, SAMPLES)
    steps = BuildSteps(dbt=_fake_dbt_copying(published.warehouse), export=failing_export)
    with pytest.raises(BuildError) as failure:
        run_build(options, steps, say=lambda _: None)
    assert failure.value.code == ExitCode.EXPORT
    assert "No space left" in failure.value.message
    assert hashlib.sha256(published.warehouse.read_bytes()).hexdigest() == warehouse_before
    assert tree_digest(published.exports) == exports_before
    assert not options.paths.exports_building.exists()
    assert not options.paths.building.exists()


def _fake_dbt_copying(source: Path):
    """A dbt step that 'builds' by copying a known-good warehouse (keeps this test fast)."""

    def fake(paths: BuildPaths, **_: object):
        from warehouse.dbt_step import DbtSummary

        shutil.copy2(source, paths.building)
        return DbtSummary({"success": 1}, ())

    return fake


@pytest.mark.e2e
def test_leftovers_of_a_killed_build_are_removed_by_the_next(
    published: Published, tmp_path: Path
) -> None:
    folder = published.warehouse.parent
    dead = folder / "warehouse.duckdb.building-999999"
    dead.write_bytes(b"half-written by a build that was killed")
    dead_exports = folder / "exports.building-999999"
    dead_exports.mkdir()
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "not-a-disclosure.txt").write_text("随手记\n", encoding="utf-8")
    options = BuildOptions(
        paths=BuildPaths.create(
            docs=docs,
            warehouse=published.warehouse,
            exports=published.exports,
            reports=tmp_path / "reports",
        ),
        strict=True,
    )
    with pytest.raises(BuildError) as failure:
        run_build(options, say=lambda _: None)
    assert failure.value.code == ExitCode.INGEST
    assert not dead.exists() and not dead_exports.exists()


@pytest.mark.e2e
def test_build_terminated_during_dbt_cleans_up_and_changes_nothing(published: Published) -> None:
    """A scheduler's SIGTERM in the middle of dbt: private files go, published ones stay."""
    warehouse_before = hashlib.sha256(published.warehouse.read_bytes()).hexdigest()
    exports_before = tree_digest(published.exports)
    landed_before = landed_digest()
    process = subprocess.Popen(
        [sys.executable, "-m", "warehouse", "build", "--docs", str(SAMPLES),
         "--warehouse", str(published.warehouse), "--exports", str(published.exports),
         "--reports", str(published.root / "reports-terminated")],
        cwd=REPO_ROOT, env=cli_env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    assert process.stdout is not None
    for line in process.stdout:
        if line.startswith("[3/7] landed suite"):
            break
    building = published.warehouse.with_name("warehouse.duckdb.building-new")
    deadline = time.monotonic() + 60
    while not building.exists() and time.monotonic() < deadline and process.poll() is None:
        time.sleep(0.05)  # dbt has created the new file: it is mid-build
    print(f"new file seen: {building.exists()}")
    process.send_signal(signal.SIGTERM)
    rest, errors = process.communicate(timeout=120)
    assert process.returncode == 128 + signal.SIGTERM, rest + errors
    assert "interrupted (SIGTERM)" in errors
    assert not building.exists()
    assert not building.with_name(building.name + ".wal").exists()
    assert hashlib.sha256(published.warehouse.read_bytes()).hexdigest() == warehouse_before
    assert tree_digest(published.exports) == exports_before
    assert landed_digest() == landed_before


def test_sigterm_swallowed_by_a_library_still_exits_as_terminated(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """DuckDB turns the handler's SystemExit raised mid-query into ``RuntimeError: Query
    interrupted`` (seen in CI when the signal landed in the seed COPY): the exit code is still
    128 + SIGTERM, not 'unexpected error', and the handler does not outlive the command."""
    from click.testing import CliRunner

    import warehouse.build
    from warehouse.cli import cli

    def library_swallowing_the_signal(options: BuildOptions, say: object) -> None:
        try:
            os.kill(os.getpid(), signal.SIGTERM)
            time.sleep(5)  # the handler runs here and raises SystemExit
        except SystemExit as exit_:
            raise RuntimeError("Query interrupted") from exit_
        raise AssertionError("the SIGTERM handler did not run")

    monkeypatch.setattr(warehouse.build, "run_build", library_swallowing_the_signal)
    before = signal.getsignal(signal.SIGTERM)
    result = CliRunner().invoke(
        cli, ["build", "--docs", str(tmp_path), "--warehouse", str(tmp_path / "w.duckdb")]
    )
    assert result.exit_code == 128 + signal.SIGTERM, result.output
    assert "interrupted (SIGTERM)" in result.output
    assert "unexpected error" not in result.output
    assert signal.getsignal(signal.SIGTERM) == before


# --- the pieces: publish, directory swap, lock ----------------------------------------------


def _database(path: Path, rows: int) -> None:
    with duckdb.connect(str(path)) as con:
        con.execute(
            f"create schema marts; create table marts.t as select range as v from range({rows})"
        )


def test_publish_replaces_the_file_under_an_open_reader(tmp_path: Path) -> None:
    warehouse, new = tmp_path / "w.duckdb", tmp_path / "w.duckdb.building-1"
    _database(warehouse, 3)
    _database(new, 7)
    reader = duckdb.connect(str(warehouse), read_only=True)
    try:
        assert reader.execute("select count(*) from marts.t").fetchone() == (3,)
        assert publish(new, warehouse) is None
        assert reader.execute("select count(*) from marts.t").fetchone() == (3,)
    finally:
        reader.close()
    assert not new.exists()
    with duckdb.connect(str(warehouse), read_only=True) as con:
        assert con.execute("select count(*) from marts.t").fetchone() == (7,)


def test_publish_moves_a_stale_write_ahead_log_aside(tmp_path: Path) -> None:
    """A WAL left by a crashed writer of the old file would make the new file unreadable."""
    warehouse, new = tmp_path / "w.duckdb", tmp_path / "w.duckdb.building-1"
    _database(warehouse, 3)
    _database(new, 7)
    (tmp_path / "w.duckdb.wal").write_bytes(b"left by a writer that crashed")
    stale = publish(new, warehouse)
    assert stale is not None and stale.read_bytes() == b"left by a writer that crashed"
    with duckdb.connect(str(warehouse), read_only=True) as con:
        assert con.execute("select count(*) from marts.t").fetchone() == (7,)


def test_swap_directory_replaces_the_whole_folder(tmp_path: Path) -> None:
    target, new = tmp_path / "exports", tmp_path / "exports.building-1"
    (target / "csv").mkdir(parents=True)
    (target / "csv" / "old.csv").write_text("old", encoding="utf-8")
    (new / "csv").mkdir(parents=True)
    (new / "csv" / "new.csv").write_text("new", encoding="utf-8")
    swap_directory(new, target)
    assert sorted(p.name for p in (target / "csv").iterdir()) == ["new.csv"]
    assert not new.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["exports"]


def test_lock_waits_for_the_holder_then_takes_over(tmp_path: Path) -> None:
    path = tmp_path / "w.duckdb.lock"
    holder = BuildLock(path, "warehouse w")
    holder.acquire(0)
    messages: list[str] = []
    threading.Timer(0.6, holder.release).start()
    waiter = BuildLock(path, "warehouse w")
    started = time.perf_counter()
    waiter.acquire(30, messages.append)
    waited = time.perf_counter() - started
    waiter.release()
    print(f"waited {waited:.2f} s")
    assert messages == [
        f"another build is running (pid {os.getpid()}) on warehouse w — waiting up to 30 s"
    ]
    assert path.read_text(encoding="ascii").strip() == str(os.getpid())


def test_lock_times_out_with_exit_code_3(tmp_path: Path) -> None:
    path = tmp_path / "w.duckdb.lock"
    with BuildLock(path, "warehouse w") as holder:
        holder.acquire(0)
        with pytest.raises(BuildError) as failure:
            BuildLock(path, "warehouse w").acquire(0.3, lambda _: None)
    assert failure.value.code == ExitCode.LOCK_TIMEOUT == 3
    assert "--lock-timeout" in failure.value.message
