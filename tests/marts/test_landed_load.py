"""The landed tables of a copy of the published warehouse brought up to date document by
document (warehouse/landed_load.py): the same rows as loading every CSV whole, and loaded
whole whenever the landing cannot say for sure which rows the tables hold."""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pytest

from ingest.batch import IngestResult, ingest_folder
from warehouse.dbt_step import load_landed_tables
from warehouse.landed_load import KEYS_TABLE, Landing

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "data" / "raw"
SEEDS = ROOT / "seeds" / "landed"
TEXTS = sorted(p for p in SAMPLES.iterdir() if p.suffix == ".txt")


def _ingest(docs: Path, out: Path, cache: Path) -> tuple[IngestResult, Landing]:
    result = ingest_folder(docs, out, cache=cache)
    assert result.spans is not None
    return result, Landing(result.spans, dict(result.counts))


def _tables(database: Path) -> dict[str, list[tuple[object, ...]]]:
    """Every landed table's rows, sorted (the order of rows in a table carries no meaning)."""
    with duckdb.connect(str(database), read_only=True) as con:
        names = [name for (name,) in con.execute(
            "select table_name from duckdb_tables() where schema_name = 'raw'").fetchall()]
        return {name: sorted(con.execute(f"select * from raw.{name}").fetchall(), key=repr)
                for name in names}


def _keys(database: Path) -> list[tuple[str, str]] | None:
    with duckdb.connect(str(database), read_only=True) as con:
        try:
            return con.execute(f"select key, document_id from {KEYS_TABLE}").fetchall()
        except duckdb.CatalogException:
            return None


@pytest.fixture()
def published(tmp_path: Path) -> tuple[Path, Path, Path]:
    """A warehouse file loaded whole from a landing of four bundled texts (with its keys)."""
    docs = tmp_path / "docs"
    docs.mkdir()
    for path in TEXTS[:4]:
        shutil.copy2(path, docs / path.name)
    cache = tmp_path / "cache"
    _, landing = _ingest(docs, tmp_path / "first", cache)
    database = tmp_path / "published.duckdb"
    loaded = load_landed_tables(database, SEEDS, tmp_path / "first", landing)
    assert loaded.updated == ()  # (nothing held before: loaded whole)
    return docs, cache, database


def _change(docs: Path) -> None:
    """One document removed, one added, one edited (a figure's last digit)."""
    files = sorted(docs.iterdir())
    files[0].unlink()
    shutil.copy2(TEXTS[4], docs / TEXTS[4].name)
    text = files[1].read_text(encoding="utf-8")
    at = next(i for i, ch in enumerate(text) if ch == "." and text[i + 1 : i + 3].isdigit())
    last = text[at + 2]
    files[1].write_text(text[: at + 2] + ("1" if last != "1" else "2") + text[at + 3 :],
                        encoding="utf-8")


def test_the_copy_gets_only_the_changed_documents_rows(published, tmp_path: Path) -> None:
    docs, cache, database = published
    keys_before = dict(_keys(database) or [])
    assert len(keys_before) == 4 and all(keys_before.values())
    _change(docs)
    result, landing = _ingest(docs, tmp_path / "second", cache)
    copy = tmp_path / "copy.duckdb"
    shutil.copyfile(database, copy)
    loaded = load_landed_tables(copy, SEEDS, tmp_path / "second", landing)
    assert {"landed_table_cells", "landed_prose_figures", "landed_tables"} <= set(loaded.updated)
    assert "landed_documents" not in loaded.updated  # (always whole)
    # gone: the removed and the edited document's old key; new: the added and the edited
    assert loaded.documents_replaced == 4
    whole = tmp_path / "whole.duckdb"
    load_landed_tables(whole, SEEDS, tmp_path / "second")
    assert _tables(copy) == _tables(whole)
    assert loaded.counts == {name: result.counts[name] for name in loaded.counts}
    keys = dict(_keys(copy) or [])
    assert set(keys) == set(landing.spans.keys)
    ids = {d.document.document_id for d in result.documents}
    assert set(keys.values()) == ids


def test_files_the_spans_do_not_describe_are_loaded_whole(published, tmp_path: Path) -> None:
    docs, cache, database = published
    _change(docs)
    _, landing = _ingest(docs, tmp_path / "second", cache)
    cells = tmp_path / "second" / "landed_table_cells.csv"
    data = cells.read_bytes()
    cells.unlink()
    cells.write_bytes(data)  # the same bytes, another file: the spans may not be its
    copy = tmp_path / "copy.duckdb"
    shutil.copyfile(database, copy)
    loaded = load_landed_tables(copy, SEEDS, tmp_path / "second", landing)
    assert loaded.updated == ()
    assert _keys(copy) is None  # (and the next build loads whole too)
    whole = tmp_path / "whole.duckdb"
    load_landed_tables(whole, SEEDS, tmp_path / "second")
    assert _tables(copy) == _tables(whole)


def test_a_table_that_does_not_hold_the_keys_rows_is_loaded_whole(
    published, tmp_path: Path
) -> None:
    docs, cache, database = published
    with duckdb.connect(str(database)) as con:  # rows the keys table says are there, gone
        con.execute("delete from raw.landed_table_cells where row_number = 1")
    _change(docs)
    _, landing = _ingest(docs, tmp_path / "second", cache)
    loaded = load_landed_tables(database, SEEDS, tmp_path / "second", landing)
    assert "landed_table_cells" not in loaded.updated
    assert "landed_prose_figures" in loaded.updated
    whole = tmp_path / "whole.duckdb"
    load_landed_tables(whole, SEEDS, tmp_path / "second")
    assert _tables(database) == _tables(whole)


def test_without_a_landing_or_keys_everything_is_loaded_whole(published, tmp_path: Path) -> None:
    docs, cache, database = published
    _change(docs)
    _, landing = _ingest(docs, tmp_path / "second", cache)
    loaded = load_landed_tables(database, SEEDS, tmp_path / "second")  # no landing: whole
    assert loaded.updated == () and _keys(database) is None
    loaded = load_landed_tables(database, SEEDS, tmp_path / "second", landing)  # no keys held
    assert loaded.updated == () and _keys(database) is not None
    nothing = ingest_folder(docs, tmp_path / "third")  # no cache: no keys
    assert nothing.spans is not None and not all(nothing.spans.keys)
    loaded = load_landed_tables(database, SEEDS, tmp_path / "third",
                                Landing(nothing.spans, dict(nothing.counts)))
    assert loaded.updated == () and _keys(database) is None
