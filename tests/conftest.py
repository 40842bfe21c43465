"""Shared fixtures: the real sample documents, the division index, folders of files in tmp.

``baseline`` ingests the five samples alone once per session; tests that add bad files to a
folder holding the samples compare every sample's landed rows with it, so "one bad file never
stops the batch and nothing else is lost" is checked row by row, not by counting.
"""

from __future__ import annotations

import csv
import importlib
import io
import os
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

import duckdb
import pytest
from warehouse_build import Published, published_once

from ingest.divisions import DivisionIndex
from ingest.pipeline import IngestResult, ingest_folder
from ingest.records import LANDED_FILES

ROOT = Path(__file__).resolve().parent.parent
RAW = ROOT / "data" / "raw"
SAMPLE_NAMES: tuple[str, ...] = tuple(sorted(p.name for p in RAW.glob("*.txt")))
TONGNAN_2025 = "003_2ab6434017984cbb.txt"  # 重庆市潼南区电子政务中心 2025 部门预算, 9 附件 tables
WANZHOU_2021 = "002_bcb333aaa529c723.txt"  # 重庆市万州区党政信息中心 2021 决算, prose + 自评表

def native_extension(name: str) -> tuple[ModuleType | None, pytest.MarkDecorator]:
    """One of ingest's C extensions (built with the compiled modules, ``make compiled``) or
    None, and a mark that skips a test without it (no current build, or INGEST_PURE=1)."""
    try:
        module: ModuleType | None = importlib.import_module(name)
    except ImportError:
        module = None
    return module, pytest.mark.skipif(
        module is None, reason=f"{name} is not built or not in use (make compiled)")


def landed_csv_text(rows: Iterable[Iterable[object]]) -> str:
    """The general rule of a landed file's rows, independent of ``ingest.land``: the csv
    module's text, a bool as true/false, LF line ends, a value holding a carriage return
    quoted whatever the Python version (each row written ended by CR LF, so that the csv
    module quotes a carriage return as a character of its line terminator, its CR LF then
    made an LF)."""
    text = []
    for row in rows:
        buffer = io.StringIO()
        csv.writer(buffer, lineterminator="\r\n").writerow(
            [("true" if v else "false") if isinstance(v, bool) else v for v in row])
        text.append(buffer.getvalue()[:-2] + "\n")
    return "".join(text)


Rows = list[dict[str, str]]
Landed = dict[str, Rows]  # landed file name (without .csv) → its rows


@dataclass(frozen=True)
class Ingested:
    """One ``ingest_folder`` run: its result, the folder read and the landed files."""

    result: IngestResult
    docs: Path
    out: Path
    landed: Landed

    def file(self, source_file: str) -> dict[str, str]:
        """The ``landed_files`` row of one input file."""
        rows = [r for r in self.landed["landed_files"] if r["source_file"] == source_file]
        assert len(rows) == 1, f"{source_file}: {len(rows)} rows in landed_files"
        return rows[0]

    def document_id(self, source_file: str) -> str:
        return self.file(source_file)["document_id"]

    def rows(self, name: str, document_id: str) -> Rows:
        """Rows of one landed file that belong to one document."""
        return [r for r in self.landed[name] if r.get("document_id") == document_id]


def read_landed(out: Path) -> Landed:
    """Every landed CSV under ``out`` as rows of text (nothing inferred)."""
    landed: Landed = {}
    for name in LANDED_FILES:
        with (out / f"{name}.csv").open(encoding="utf-8", newline="") as handle:
            landed[name] = list(csv.DictReader(handle))
    return landed


def landed_bytes(out: Path) -> dict[str, bytes]:
    """The landed CSV files as bytes, for byte-for-byte comparisons."""
    return {name: (out / f"{name}.csv").read_bytes() for name in LANDED_FILES}


@pytest.fixture(scope="session")
def divisions() -> DivisionIndex:
    return DivisionIndex.load()


@pytest.fixture(scope="session")
def sample_bytes() -> dict[str, bytes]:
    """File name → bytes of every real sample document (UTF-8 text)."""
    assert len(SAMPLE_NAMES) == 5, f"expected the 5 sample documents in {RAW}"
    return {name: (RAW / name).read_bytes() for name in SAMPLE_NAMES}


@pytest.fixture(scope="session")
def sample_text(sample_bytes: dict[str, bytes]) -> dict[str, str]:
    return {name: data.decode("utf-8") for name, data in sample_bytes.items()}


WriteFolder = Callable[..., Path]


@pytest.fixture
def write_folder(tmp_path: Path, sample_bytes: dict[str, bytes]) -> WriteFolder:
    """``write_folder(files, with_samples=True, name="docs", mtimes=None) -> folder``.

    Writes ``files`` (relative name → bytes) into ``tmp_path/name``, after the five samples
    unless ``with_samples`` is false (a name in ``files`` replaces the sample of that name).
    ``mtimes`` sets modification times (name → seconds since the epoch).
    """

    def write(
        files: Mapping[str, bytes],
        with_samples: bool = True,
        name: str = "docs",
        mtimes: Mapping[str, float] | None = None,
    ) -> Path:
        folder = tmp_path / name
        folder.mkdir(parents=True, exist_ok=False)
        everything = dict(sample_bytes) if with_samples else {}
        everything.update(files)
        for relative, data in everything.items():
            path = folder / relative
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
        for relative, mtime in (mtimes or {}).items():
            os.utime(folder / relative, (mtime, mtime))
        return folder

    return write


IngestRun = Callable[[Path], Ingested]


@pytest.fixture
def run_ingest(tmp_path: Path, divisions: DivisionIndex) -> IngestRun:
    """``run_ingest(folder) -> Ingested``: ``ingest_folder`` into a fresh tmp output folder."""
    counter = iter(range(1_000_000))

    def run(docs: Path) -> Ingested:
        out = tmp_path / f"landed_{next(counter)}"
        result = ingest_folder(docs, out, divisions)
        return Ingested(result, docs, out, read_landed(out))

    return run


@pytest.fixture(scope="session")
def baseline(tmp_path_factory: pytest.TempPathFactory, divisions: DivisionIndex) -> Ingested:
    """The five samples ingested alone (as published, UTF-8)."""
    out = tmp_path_factory.mktemp("baseline_landed")
    result = ingest_folder(RAW, out, divisions)
    return Ingested(result, RAW, out, read_landed(out))


def _without(rows: Iterable[dict[str, str]], columns: Iterable[str]) -> list[tuple]:
    drop = set(columns)
    return [tuple((k, v) for k, v in row.items() if k not in drop) for row in rows]


# Columns that describe the bytes of a file rather than what it says.
BYTE_COLUMNS = ("sha256", "size_bytes", "encoding")


def assert_same_document(
    run: Ingested,
    source: str,
    reference: Ingested,
    reference_source: str | None = None,
    ignore: Iterable[str] = BYTE_COLUMNS,
) -> None:
    """Every landed row of ``source`` in ``run`` equals the rows of ``reference_source`` in
    ``reference`` (same source name by default), apart from the ``ignore`` columns."""
    reference_source = reference_source or source
    ignore = tuple(ignore)
    mine, theirs = run.file(source), reference.file(reference_source)
    assert _without([mine], ignore) == _without([theirs], ignore), (
        f"{source}: landed_files row differs from {reference_source}"
    )
    doc, ref_doc = mine["document_id"], theirs["document_id"]
    for name in LANDED_FILES:
        if name == "landed_files":
            continue
        got = _without(run.rows(name, doc), ignore)
        want = _without(reference.rows(name, ref_doc), ignore)
        assert got == want, (
            f"{source}: {name} differs from {reference_source} ({len(got)} vs {len(want)} rows)"
        )


@pytest.fixture
def assert_samples_intact(baseline: Ingested) -> Callable[..., None]:
    """``assert_samples_intact(run, except_=())``: every sample not in ``except_`` landed in
    ``run`` exactly as when the samples are ingested alone (same rows, byte for byte)."""

    def check(run: Ingested, except_: Iterable[str] = ()) -> None:
        skip = set(except_)
        checked = 0
        for name in SAMPLE_NAMES:
            if name in skip:
                continue
            assert run.file(name)["status"] == "landed", run.file(name)
            assert_same_document(run, name, baseline, ignore=())
            checked += 1
        assert checked >= 4

    return check


# --- the built warehouse (expensive: built once per session, on first use) ---------------------


@pytest.fixture(scope="session")
def published(tmp_path_factory: pytest.TempPathFactory) -> Published:
    """Two real builds through ``python -m warehouse build``, shared by every module."""
    return published_once(tmp_path_factory)


@pytest.fixture(scope="session")
def con(published: Published) -> Iterator[duckdb.DuckDBPyConnection]:
    """A read-only connection to the warehouse the session's real build published."""
    connection = duckdb.connect(str(published.warehouse), read_only=True)
    yield connection
    connection.close()
