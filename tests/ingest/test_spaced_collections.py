"""The cycle collector is run less often while a batch is parsed and landed, and put back as it
was after, whatever happens (ingest.batch.spaced_collections)."""

from __future__ import annotations

import gc
from pathlib import Path

import pytest

from ingest import batch
from ingest.batch import ingest_folder, spaced_collections

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def default_thresholds():
    before = gc.get_threshold()
    gc.set_threshold(700, 10, 10)
    yield
    gc.set_threshold(*before)


def test_thresholds_raised_inside_and_restored_after(default_thresholds):
    with spaced_collections():
        assert gc.get_threshold() == batch._SPACED_COLLECTIONS
        with spaced_collections():  # nested: the outer batch keeps its spacing
            pass
        assert gc.get_threshold() == batch._SPACED_COLLECTIONS
    assert gc.get_threshold() == (700, 10, 10)


def test_thresholds_restored_when_the_batch_fails(default_thresholds):
    with pytest.raises(RuntimeError), spaced_collections():
        raise RuntimeError("a parse that fails")
    assert gc.get_threshold() == (700, 10, 10)


def test_ingest_parses_with_spaced_collections_and_restores(default_thresholds, tmp_path,
                                                             monkeypatch):
    seen: list[tuple[int, int, int]] = []
    parse = batch.one_document.parse_document

    def watched(*args, **kwargs):
        seen.append(gc.get_threshold())
        return parse(*args, **kwargs)

    monkeypatch.setattr(batch.one_document, "parse_document", watched)
    docs = tmp_path / "docs"
    docs.mkdir()
    text = next(p for p in sorted((ROOT / "data" / "raw").iterdir()) if p.suffix == ".txt")
    (docs / text.name).write_bytes(text.read_bytes())
    result = ingest_folder(docs, tmp_path / "landed")
    assert [f.status for f in result.files] == ["landed"]
    assert seen and set(seen) == {batch._SPACED_COLLECTIONS}
    assert gc.get_threshold() == (700, 10, 10)
