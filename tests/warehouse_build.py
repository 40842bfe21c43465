"""The one expensive fixture of the test suite: real builds through ``python -m warehouse``.

``published_once`` runs the CLI twice into a temporary folder (a first build of two sample
documents, then a build of every sample document plus a file that is not a disclosure) while
this process holds a read-only connection to the published file, and caches the result for the
session. ``tests/conftest.py`` exposes it as the ``published`` fixture; the dbt, export,
expectation and publication tests all read that one warehouse. Timings are printed, never
asserted.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pytest

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "data" / "raw"
NOT_A_DISCLOSURE = "会议纪要\n本周例会讨论了机房搬迁，没有预算数字。\n"


def cli_env() -> dict[str, str]:
    env = dict(os.environ)
    env["DBT_SEND_ANONYMOUS_USAGE_STATS"] = "false"
    env["DO_NOT_TRACK"] = "1"
    env.pop("WAREHOUSE_BUILD_PATH", None)
    return env


def run_cli(*args: str | Path, timeout: float = 900) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "warehouse", *map(str, args)],
        cwd=ROOT,
        env=cli_env(),
        capture_output=True,
        text=True,
        timeout=timeout,
    )


# What a dbt project is made of (dbt_project.yml names these paths).
PROJECT_FILES = ("dbt_project.yml", "profiles.yml")
PROJECT_FOLDERS = ("models", "macros", "seeds/reference", "tests/dbt")


def private_project(root: Path) -> Path:
    """``root/project``: a copy of the dbt project with an empty ``seeds/landed``, for a build
    (``build --project``) or ``dbt parse`` that must not replace the checkout's
    ``seeds/landed`` or ``.build`` (other tests read the session build's landed files there).
    Made once per ``root``."""
    project = root / "project"
    if (project / "dbt_project.yml").is_file():
        return project
    project.mkdir(parents=True, exist_ok=True)
    for name in PROJECT_FILES:
        shutil.copy2(ROOT / name, project / name)
    for folder in PROJECT_FOLDERS:
        shutil.copytree(ROOT / folder, project / folder, dirs_exist_ok=True)
    (project / "seeds" / "landed").mkdir(parents=True, exist_ok=True)
    shutil.copy2(ROOT / "seeds/landed/_landed__seeds.yml", project / "seeds/landed")
    return project


def document_id_of(con: duckdb.DuckDBPyConnection, district: str, year: int, kind: str) -> str:
    """The one document of ``district`` (its dim_district name), year and kind in the marts."""
    rows = con.execute(
        "select document_id from marts.dim_document"
        " where district_name = ? and fiscal_year = ? and doc_kind = ?",
        [district, year, kind],
    ).fetchall()
    assert len(rows) == 1, f"expected one {district} {year} {kind} document, found {rows}"
    return rows[0][0]


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def document_count_in_new_process(warehouse: Path) -> int:
    """Count dim_document from a fresh process (DuckDB caches databases per process)."""
    code = (
        "import duckdb, sys; con = duckdb.connect(sys.argv[1], read_only=True); "
        "print(con.execute('select count(*) from marts.dim_document').fetchone()[0])"
    )
    out = subprocess.run(
        [sys.executable, "-c", code, str(warehouse)], capture_output=True, text=True, check=True
    )
    return int(out.stdout.strip())


@dataclass(frozen=True)
class Published:
    """What the two builds did, as seen from a reader that stayed connected throughout."""

    root: Path
    warehouse: Path
    exports: Path
    reports: Path
    docs: Path  # the second build's documents: every sample + one non-disclosure
    first: subprocess.CompletedProcess[str]
    second: subprocess.CompletedProcess[str]
    first_documents: int  # dim_document rows after the first build
    reader_before: int  # the open reader, before the second build
    reader_after: int  # the same reader, after the second build published
    new_process_after: int  # a new connection (other process) after the second build
    reader_sees_new_after_reconnect: int


_CACHE: dict[str, Published] = {}


def _build(docs: Path, root: Path) -> subprocess.CompletedProcess[str]:
    started = time.perf_counter()
    result = run_cli(
        "build",
        "--docs", docs,
        "--warehouse", root / "warehouse.duckdb",
        "--exports", root / "exports",
        "--reports", root / "reports",
    )  # fmt: skip
    print(
        f"\nbuild of {docs.name}: exit {result.returncode} in {time.perf_counter() - started:.1f} s"
    )
    print(result.stdout[-4000:])
    if result.returncode != 0:
        pytest.fail(
            f"build failed (exit {result.returncode}):\n{result.stdout[-6000:]}\n{result.stderr[-6000:]}"
        )
    return result


def _publish_twice(root: Path) -> Published:
    samples = sorted(p for p in SAMPLES.iterdir() if p.is_file())
    first_docs = root / "docs-first"
    first_docs.mkdir()
    for path in samples[:2]:
        shutil.copy2(path, first_docs / path.name)
    all_docs = root / "docs-all"
    all_docs.mkdir()
    for path in samples:
        shutil.copy2(path, all_docs / path.name)
    (all_docs / "meeting-notes.txt").write_text(NOT_A_DISCLOSURE, encoding="utf-8")

    warehouse = root / "warehouse.duckdb"
    first = _build(first_docs, root)
    reader = duckdb.connect(str(warehouse), read_only=True)
    count = "select count(*) from marts.dim_document"
    try:
        (reader_before,) = reader.execute(count).fetchone()
        second = _build(all_docs, root)
        (reader_after,) = reader.execute(count).fetchone()
        new_process_after = document_count_in_new_process(warehouse)
    finally:
        reader.close()
    with duckdb.connect(str(warehouse), read_only=True) as again:
        (reconnected,) = again.execute(count).fetchone()
    return Published(
        root=root,
        warehouse=warehouse,
        exports=root / "exports",
        reports=root / "reports",
        docs=all_docs,
        first=first,
        second=second,
        first_documents=reader_before,
        reader_before=reader_before,
        reader_after=reader_after,
        new_process_after=new_process_after,
        reader_sees_new_after_reconnect=reconnected,
    )


def published_once(tmp_path_factory: pytest.TempPathFactory) -> Published:
    """The two builds, run on first use; other modules' ``published`` fixtures call this."""
    if "run" not in _CACHE:
        _CACHE["run"] = _publish_twice(tmp_path_factory.mktemp("published"))
    return _CACHE["run"]
