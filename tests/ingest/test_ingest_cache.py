"""The parse cache and the parser version: an unchanged document is not parsed again, and
nothing a cache holds can change a landed byte.

Parses are counted by wrapping ``parse_document`` / ``parse_joined`` (runs with ``jobs=1``
parse in this process), never by timing.
"""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import ROOT, TONGNAN_2025, WANZHOU_2021, landed_bytes
from test_identify import NARRATIVE, TABLES

from ingest import batch, document
from ingest.cache import ParseCache, StoredRows
from ingest.divisions import DivisionIndex
from ingest.pipeline import IngestResult, ingest_files, ingest_folder
from ingest.records import PARSER_REFERENCE_FILES, PARSER_VERSION, parser_digest

Run = Callable[..., tuple[IngestResult, dict[str, bytes], list[str]]]


@pytest.fixture
def parses(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The source of every document parsed from now on (a joined pair as 'a+b')."""
    seen: list[str] = []
    parse_document, parse_joined = document.parse_document, document.parse_joined

    def counting_document(data, source, divisions, *rest):
        seen.append(source)
        return parse_document(data, source, divisions, *rest)

    def counting_joined(parts, divisions):
        seen.append("+".join(source for _, source in parts))
        return parse_joined(parts, divisions)

    monkeypatch.setattr(document, "parse_document", counting_document)
    monkeypatch.setattr(document, "parse_joined", counting_joined)
    return seen


@pytest.fixture
def run(tmp_path: Path, divisions: DivisionIndex) -> Run:
    """``run(docs, cache=<tmp cache>, jobs=1) -> (result, landed bytes, progress lines)``."""
    counter = iter(range(1000))

    def ingest(docs: Path, cache: Path | None = tmp_path / "cache", jobs: int = 1):
        out = tmp_path / f"out_{next(counter)}"
        lines: list[str] = []
        result = ingest_folder(docs, out, divisions, lines.append, jobs=jobs, cache=cache)
        return result, landed_bytes(out), lines

    return ingest


@pytest.fixture
def docs(write_folder) -> Path:
    """The five Chongqing samples, a duplicate, a rejected file and a narrative + tables pair."""
    return write_folder(
        {
            "copy.txt": (ROOT / "data" / "raw" / WANZHOU_2021).read_bytes(),
            "bad/essay.txt": "春天来了，公园里的花都开了。孩子们在草地上奔跑。\n".encode(),
            "pair/n.txt": NARRATIVE.encode(),
            "pair/t.txt": TABLES.encode(),
        }
    )


def test_parser_version_is_a_digest_of_the_ingest_code_and_its_reference_data(tmp_path) -> None:
    assert re.fullmatch(r"1\.1\.0\+[0-9a-f]{12}", PARSER_VERSION), PARSER_VERSION
    assert PARSER_VERSION.endswith(parser_digest())
    code = tmp_path / "tables.py"
    code.write_text("x = 1\n")
    reference = tmp_path / "divisions.csv"
    reference.write_text("code,name\n")
    before = parser_digest((code,), (reference,))
    code.write_text("x = 2\n")
    after_code = parser_digest((code,), (reference,))
    reference.write_text("code,name\n500101,万州区\n")
    after_reference = parser_digest((code,), (reference,))
    assert len({before, after_code, after_reference}) == 3


def test_the_parser_version_covers_the_native_sources() -> None:
    """A change to ingest's C (ingest/native/*.c: the PDF reader's loops, the landed rows'
    renderer) changes the version."""
    python = tuple(sorted((ROOT / "ingest").glob("*.py")))
    native = tuple(sorted((ROOT / "ingest" / "native").glob("*.c")))
    assert [p.name for p in native] == ["char_counts.c", "landed_rows.c", "pdfium_loops.c", "record_maker.c"]
    assert parser_digest() == parser_digest((*python, *native))
    assert parser_digest() != parser_digest(python)


def test_every_reference_file_ingest_reads_is_in_the_parser_version() -> None:
    """A seeds/reference CSV named in ingest/ but left out of the digest would let a cached
    parse outlive a change of that file."""
    named = set()
    for path in (ROOT / "ingest").glob("*.py"):
        named |= set(re.findall(r"[\w.-]+\.csv", path.read_text(encoding="utf-8")))
    reference = {p.name for p in (ROOT / "seeds" / "reference").glob("*.csv")}
    read_by_ingest = named & reference
    assert read_by_ingest, "ingest reads the division lists"
    assert read_by_ingest <= {p.name for p in PARSER_REFERENCE_FILES}


def test_the_landed_parser_version_is_the_current_one(run, docs) -> None:
    result, _, _ = run(docs, cache=None)
    assert {d.document.parser_version for d in result.documents} == {PARSER_VERSION}


def test_a_second_run_parses_nothing_and_lands_the_same_bytes(run, docs, parses) -> None:
    cold, cold_bytes, _ = run(docs)
    assert len(parses) == 10  # 9 files and the pair n.txt + t.txt
    assert "pair/n.txt+pair/t.txt" in parses
    assert (cold.stats.parsed, cold.stats.cached, cold.stats.joined_parsed) == (9, 0, 1)
    parses.clear()
    warm, warm_bytes, lines = run(docs)
    assert parses == []
    assert (warm.stats.parsed, warm.stats.cached, warm.stats.joined_cached) == (0, 9, 1)
    numbered = [line for line in lines if line.startswith("[")]
    assert len(numbered) == 9 and all(line.endswith("(cached)") for line in numbered)
    assert warm_bytes == cold_bytes
    assert warm.files == cold.files
    statuses = {f.source_file: f.status for f in warm.files}
    assert statuses["copy.txt"] == "duplicate" and statuses["bad/essay.txt"] == "rejected"
    assert warm.files[[f.source_file for f in warm.files].index("pair/t.txt")].line_offset > 0


def test_a_changed_document_is_parsed_again_and_only_it(run, docs, parses) -> None:
    run(docs)
    path = docs / TONGNAN_2025
    text = path.read_text(encoding="utf-8")
    changed = text.replace(
        "2010350\t事业运行\t345.64\t353.13\t353.13\t", "2010350\t事业运行\t345.64\t353.14\t353.14\t"
    )
    assert changed != text
    path.write_text(changed, encoding="utf-8")
    parses.clear()
    _, warm_bytes, _ = run(docs)
    assert parses == [TONGNAN_2025]
    _, fresh_bytes, _ = run(docs, cache=None)
    assert warm_bytes == fresh_bytes
    assert b"353.14" in warm_bytes["landed_table_cells"]


def test_a_changed_tables_file_parses_its_pair_again(run, docs, parses) -> None:
    run(docs)
    (docs / "pair" / "t.txt").write_text(TABLES.replace("100.00", "101.00"), encoding="utf-8")
    parses.clear()
    run(docs)
    assert parses == ["pair/t.txt", "pair/n.txt+pair/t.txt"]


def test_another_parser_version_does_not_read_the_cache(tmp_path, docs, divisions, parses) -> None:
    items = [(p.relative_to(docs).as_posix(), p.read_bytes(), 0.0) for p in batch.discover(docs)]
    folder = tmp_path / "cache"
    first = ingest_files(items, divisions, cache=ParseCache(folder, divisions))
    parses.clear()
    again = ingest_files(items, divisions, cache=ParseCache(folder, divisions))
    assert parses == []
    other = ParseCache(folder, divisions, parser_version="1.1.0+000000000000")
    newer = ingest_files(items, divisions, cache=other)
    assert len(parses) == 10
    assert first == again == newer


def test_another_division_index_does_not_read_the_cache(tmp_path, docs, divisions) -> None:
    """A caller may pass its own index: a parse made with another one is not reused."""
    smaller = DivisionIndex(by_name=dict(list(divisions.by_name.items())[:10]))
    folder = tmp_path / "cache"
    key = ParseCache(folder, divisions).key([("a.txt", b"x")])
    assert ParseCache(folder, smaller).key([("a.txt", b"x")]) != key
    assert ParseCache(folder, divisions).key([("b.txt", b"x")]) != key  # the name is recorded


def test_a_corrupt_cache_entry_is_ignored_and_rewritten(run, docs, parses, tmp_path) -> None:
    _, cold_bytes, _ = run(docs)
    entries = sorted((tmp_path / "cache").rglob("*.pickle"))
    assert len(entries) == 10
    entries[0].write_bytes(b"not a pickle")
    entries[1].write_bytes(entries[1].read_bytes()[:40])  # cut off
    entries[2].write_bytes(entries[3].read_bytes())  # another document's entry
    parses.clear()
    _, again_bytes, _ = run(docs)
    assert len(parses) == 3
    assert again_bytes == cold_bytes
    parses.clear()
    run(docs)
    assert parses == []  # rewritten
    assert not [p for p in (tmp_path / "cache").rglob("*") if p.name.endswith(".tmp")]


def test_a_parser_bug_in_a_worker_rejects_only_that_file(
    run, docs, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The pool's workers are forked after the patch: the bug happens in a worker process."""
    parse_document = document.parse_document

    def buggy(data, source, divisions, *rest):
        if source == WANZHOU_2021:
            raise RuntimeError("boom")
        return parse_document(data, source, divisions, *rest)

    monkeypatch.setattr(document, "parse_document", buggy)
    _, in_process_bytes, _ = run(docs, cache=None, jobs=1)
    pooled, pooled_bytes, _ = run(docs, jobs=2)
    assert pooled.stats.jobs == 2
    assert pooled_bytes == in_process_bytes
    failed = next(f for f in pooled.files if f.source_file == WANZHOU_2021)
    assert failed.status == "rejected"
    assert failed.reason.startswith("the parser failed (RuntimeError: boom); nothing from this")
    assert next(f for f in pooled.files if f.source_file == "copy.txt").status == "landed"
    # a parser bug is not cached: once fixed, the file is parsed again
    monkeypatch.setattr(document, "parse_document", parse_document)
    fixed, _, _ = run(docs)
    assert fixed.stats.parsed == 1
    assert next(f for f in fixed.files if f.source_file == WANZHOU_2021).status == "landed"


def _in_a_worker(parent: int) -> bool:
    return os.getpid() != parent


def test_a_worker_that_dies_costs_no_file(run, docs, monkeypatch: pytest.MonkeyPatch) -> None:
    """A worker killed mid-parse (a crash in a PDF library, out of memory): the files not yet
    gathered are parsed in the main process; nothing is lost or changed."""
    _, reference, _ = run(docs, cache=None, jobs=1)
    parse_document, parent = document.parse_document, os.getpid()

    def dying(data, source, divisions, *rest):
        if source == TONGNAN_2025 and _in_a_worker(parent):
            os._exit(1)
        return parse_document(data, source, divisions, *rest)

    monkeypatch.setattr(document, "parse_document", dying)
    result, landed, lines = run(docs, cache=None, jobs=2)
    assert result.stats.jobs == 2
    assert any(line.startswith("a parsing process stopped") for line in lines)
    assert landed == reference
    # (not every file refused alike: the stand-in parses as the parser does)
    assert next(f for f in result.files if f.source_file == TONGNAN_2025).status == "landed"


def test_an_outcome_a_worker_cannot_send_back_is_parsed_here(
    run, docs, monkeypatch: pytest.MonkeyPatch
) -> None:
    _, reference, _ = run(docs, cache=None, jobs=1)
    parse_document, parent = document.parse_document, os.getpid()

    def unpicklable(data, source, divisions, *rest):
        result = parse_document(data, source, divisions, *rest)
        if source == WANZHOU_2021 and _in_a_worker(parent):
            result.notes.append(lambda: None)  # pickle refuses a lambda (kept in the notes)
        return result

    monkeypatch.setattr(document, "parse_document", unpicklable)
    result, landed, lines = run(docs, cache=None, jobs=2)
    assert any("parsed again in this process" in line for line in lines)
    assert landed == reference
    assert next(f for f in result.files if f.source_file == WANZHOU_2021).status == "landed"


def test_the_parses_of_other_parser_versions_are_deleted(run, docs, tmp_path, divisions) -> None:
    folder = tmp_path / "cache"
    old = ParseCache(folder, divisions, parser_version="1.0.9+0123456789ab")
    old.put(old.key([("a.txt", b"x")]), (None, "a reason"))
    kept = folder / "notes"  # not a version's folder: left alone
    kept.mkdir(parents=True)
    run(docs)
    assert sorted(p.name for p in folder.iterdir()) == sorted([PARSER_VERSION, "notes"])


# --- the landed files of the last ingest: unchanged documents' rows copied from them ---------


@pytest.fixture
def reads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The cache entry of every cached document whose rows were read to be written."""
    seen: list[str] = []
    encoded = StoredRows.encoded

    def counting(self: StoredRows) -> dict[str, bytes]:
        seen.append(self._path)
        return encoded(self)

    monkeypatch.setattr(StoredRows, "encoded", counting)
    return seen


def _change_remove_add(docs: Path) -> None:
    """One document changed, one removed, one added, and the tables file of the pair changed
    (the pair is parsed again as one document)."""
    path = docs / TONGNAN_2025
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("\t353.13\t353.13\t", "\t353.14\t353.14\t"), encoding="utf-8")
    (docs / WANZHOU_2021).unlink()
    (docs / "copy.txt").rename(docs / "0_first.txt")  # the duplicate, now first: it lands
    (docs / "pair" / "t.txt").write_text(TABLES.replace("100.00", "101.00"), encoding="utf-8")


def test_an_ingest_copies_the_rows_of_unchanged_documents_from_the_last_landed_files(
    run, docs, tmp_path, reads, parses
) -> None:
    """Changed, removed, added and re-joined documents: the same bytes as an ingest without a
    cache, and no unchanged document's rows read from the cache."""
    run(docs)
    spans = ParseCache(tmp_path / "cache", DivisionIndex.load()).previous_landed()
    assert spans is not None and len(spans.spans.keys) == 6  # 5 samples + the pair
    _change_remove_add(docs)
    parses.clear()
    warm, warm_bytes, _ = run(docs)
    assert sorted(parses) == sorted([TONGNAN_2025, "0_first.txt", "pair/t.txt",
                                     "pair/n.txt+pair/t.txt"])
    assert reads == []  # every other document's rows copied from the last landed files
    _, fresh_bytes, _ = run(docs, cache=None)
    for name, data in fresh_bytes.items():
        assert warm_bytes[name] == data, name
    assert b"353.14" in warm_bytes["landed_table_cells"]
    assert b"101.00" in warm_bytes["landed_table_cells"]
    assert len(warm.documents) == 6
    # the spans now describe the files just landed: nothing changed, nothing read, same bytes
    again_bytes = run(docs)[1]
    assert reads == [] and again_bytes == fresh_bytes


def test_landed_files_changed_since_they_were_kept_are_not_copied(
    run, docs, tmp_path, reads
) -> None:
    """A kept file written again in place (same size) or removed: the rows are read from the
    cache entries and written, the same bytes."""
    _, cold_bytes, _ = run(docs)
    kept = tmp_path / "cache" / PARSER_VERSION / "landed"
    cells = kept / "landed_table_cells.csv"
    data = cells.read_bytes()
    with cells.open("r+b") as handle:  # in place: the landed file it links to changes too
        handle.write(data.replace(b"353.13", b"999.99", 1)[:len(data)])
    (kept / "landed_tables.csv").unlink()
    _, warm_bytes, _ = run(docs)
    assert len(reads) == 6  # every landed document's rows read from its entry
    assert warm_bytes == cold_bytes


def test_a_damaged_entry_found_while_landing_is_parsed_again(run, docs, tmp_path, parses) -> None:
    """Rows that are not those stored (the same size, another CRC): the entry is removed, the
    batch read again and that document parsed again; the same bytes."""
    _, cold_bytes, _ = run(docs)
    shutil.rmtree(tmp_path / "cache" / PARSER_VERSION / "landed")  # every row read from entries
    entry = ParseCache(tmp_path / "cache", DivisionIndex.load()).path(
        ParseCache(tmp_path / "cache", DivisionIndex.load()).key(
            [(TONGNAN_2025, (docs / TONGNAN_2025).read_bytes())]))
    data = bytearray(entry.read_bytes())
    data[-2] ^= 0x01
    entry.write_bytes(bytes(data))
    parses.clear()
    _, warm_bytes, lines = run(docs)
    assert parses == [TONGNAN_2025]
    assert any("changed after it was read; removed" in line for line in lines)
    assert warm_bytes == cold_bytes
