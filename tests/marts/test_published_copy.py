"""The copy of the published warehouse begun beside the ingest (warehouse/incremental.py):
taken whole by an incremental start, stopped and removed by a build that does not start
from it, never begun for a file another project built."""

from __future__ import annotations

import os
from pathlib import Path

import duckdb

from warehouse.incremental import PublishedCopy, record_baseline, start_copy
from warehouse.paths import BuildPaths


def _paths(tmp_path: Path) -> BuildPaths:
    (tmp_path / "docs").mkdir()
    return BuildPaths.create(docs=tmp_path / "docs", warehouse=tmp_path / "w" / "warehouse.duckdb",
                             project=tmp_path / "project")


def _published(paths: BuildPaths, digest: str) -> bytes:
    paths.warehouse.parent.mkdir(parents=True)
    with duckdb.connect(str(paths.warehouse)) as con:
        con.execute("create table t as select range as v, 'x' || range as s from range(200000)")
    record_baseline(paths.warehouse, digest)
    return paths.warehouse.read_bytes()


def test_the_copy_is_taken_whole_and_kept(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(PublishedCopy, "PIECE", 4096)  # many pieces
    paths = _paths(tmp_path)
    data = _published(paths, "d1")
    copy = start_copy(paths, "d1", allowed=True)
    assert copy is not None and copy.take()
    copy.discard()  # taken: the build's, not removed
    assert paths.building.read_bytes() == data


def test_the_copy_is_whole_where_the_kernel_cannot_copy(tmp_path: Path, monkeypatch) -> None:
    """Another system or file system: the pieces the kernel copied, then a buffer."""
    monkeypatch.setattr(PublishedCopy, "PIECE", 4096)
    calls = []

    def copy_file_range(source: int, target: int, count: int) -> int:
        calls.append(count)
        if len(calls) > 3:
            raise OSError(18, "Invalid cross-device link")
        return os.sendfile(target, source, None, count)

    monkeypatch.setattr(os, "copy_file_range", copy_file_range)
    paths = _paths(tmp_path)
    data = _published(paths, "d1")
    copy = start_copy(paths, "d1", allowed=True)
    assert copy is not None and copy.take()
    assert len(calls) == 4 and paths.building.read_bytes() == data


def test_a_discarded_copy_is_stopped_and_removed(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(PublishedCopy, "PIECE", 4096)
    paths = _paths(tmp_path)
    _published(paths, "d1")
    copy = start_copy(paths, "d1", allowed=True)
    assert copy is not None
    copy.discard()
    assert not paths.building.exists() and not copy.take()


def test_no_copy_of_a_file_another_project_built_or_when_not_allowed(tmp_path: Path) -> None:
    paths = _paths(tmp_path)
    _published(paths, "d1")
    assert start_copy(paths, "another", allowed=True) is None
    assert start_copy(paths, "d1", allowed=False) is None
    paths.warehouse.with_name(paths.warehouse.name + ".wal").write_bytes(b"")
    assert start_copy(paths, "d1", allowed=True) is None
    assert not paths.building.exists()
