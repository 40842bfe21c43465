"""A folder of documents → every landed file, with a report (the batch step of ingest).

Each file is parsed on its own (:mod:`ingest.document`) by up to ``jobs`` processes, or read
from the parse cache (:mod:`ingest.cache`), and rendered where it was parsed into its landed
rows (:class:`ingest.land.LandedDocument`); what spans files then runs here over every file:
a narrative and its tables published as two files are joined, byte-for-byte and same-text
duplicates are marked, republished documents superseded, and the landed files written by
streaming each document's rows (:func:`ingest.land.land_spliced`): with a cache, the rows of
each document parsed as in the last ingest are copied from the landed files that ingest
wrote, so an unchanged document's rows are neither read from the cache nor rendered again.
One bad file never stops the batch.
"""

from __future__ import annotations

import errno
import gc
import hashlib
import multiprocessing
import os
import time
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TypeVar

from ingest import document as one_document
from ingest.cache import DamagedEntry, ParseCache
from ingest.divisions import DivisionIndex
from ingest.document import DocumentRejected
from ingest.identify import match_view
from ingest.land import LandedDocument, LandedSpans, land_spliced, render_document
from ingest.records import DocumentRecord, FileRecord


@dataclass
class IngestResult:
    files: list[FileRecord]
    documents: list[LandedDocument]
    counts: dict[str, int]
    stats: IngestStats = field(default_factory=lambda: IngestStats())
    # where each document's rows are in the landed files (None: nothing landed)
    spans: LandedSpans | None = None

    @property
    def rejected(self) -> list[FileRecord]:
        return [f for f in self.files if f.status == "rejected"]


def discover(docs: Path) -> list[Path]:
    """Every regular, non-hidden file under ``docs``, in a stable order."""
    return [path for _, path in _discover(docs)]


def _discover(docs: Path) -> list[tuple[str, Path]]:
    """:func:`discover`'s files with their names relative to ``docs`` (forward slashes)."""
    if not docs.is_dir():
        raise FileNotFoundError(f"{docs}: no such folder; pass --docs <folder with documents>")
    found: list[tuple[str, str]] = []
    _walk(os.fspath(docs), "", found)
    found.sort(key=lambda item: item[0])
    return [(name, Path(path)) for name, path in found]


def _walk(folder: str, prefix: str, found: list[tuple[str, str]]) -> None:
    """Append (name relative to the top folder, path) of every regular file under ``folder``
    whose name and folders' names do not start with a dot, as ``Path.rglob('*')`` finds
    them: a folder that cannot be listed is left out, a link to a folder not followed, a
    link to a file taken (its target a regular file)."""
    try:
        with os.scandir(folder) as listing:
            entries = list(listing)
    except PermissionError:
        return
    for entry in entries:
        if entry.name.startswith("."):
            continue
        if _entry_is(entry.is_dir) and not entry.is_symlink():
            _walk(entry.path, f"{prefix}{entry.name}/", found)
        elif _entry_is(entry.is_file):
            found.append((prefix + entry.name, entry.path))


def _entry_is(test: Callable[[], bool]) -> bool:
    """``entry.is_dir()`` / ``entry.is_file()``, False where ``pathlib`` says False (a
    broken or looping link, a name that went away)."""
    try:
        return test()
    except OSError as error:
        if error.errno in (errno.ENOENT, errno.ENOTDIR, errno.EBADF, errno.ELOOP):
            return False
        raise


def _file_record(source: str, data: bytes, digest: str = "", **values: object) -> FileRecord:
    base: dict[str, object] = {
        "source_file": source,
        "sha256": digest or hashlib.sha256(data).hexdigest(),
        "size_bytes": len(data),
        "encoding": "",
        "status": "rejected",
        "reason": "",
        "document_id": "",
        "duplicate_of": "",
        "rows_landed": 0,
        "unparsed_lines": 0,
        "repeated_rows_dropped": 0,
    }
    base.update(values)
    return FileRecord(**base)  # type: ignore[arg-type]


Progress = Callable[[str], None]


@dataclass
class IngestStats:
    """How the documents of one batch were read: parsed now or taken from the cache."""

    jobs: int = 1  # processes that parsed (1: in this process)
    parsed: int = 0  # files parsed
    cached: int = 0  # files whose parse was read from the cache
    joined_parsed: int = 0  # narrative + tables pairs parsed as one document
    joined_cached: int = 0
    # source file → the cache key of the parse its landed rows come from (for the landed
    # spans, ingest.land.LandedSpans); empty without a cache
    row_keys: dict[str, str] = field(default_factory=dict, repr=False, compare=False)

    def describe(self) -> str:
        text = f"{self.parsed} parsed, {self.cached} from cache"
        if self.joined_parsed or self.joined_cached:
            text += f", joined pairs {self.joined_parsed} parsed, {self.joined_cached} from cache"
        return text + f", {self.jobs} job(s)"


def default_jobs() -> int:
    """The machine's cores."""
    return os.cpu_count() or 1


# (result or None, rejection reason, whether the outcome may be cached, seconds)
_Outcome = tuple["LandedDocument | None", str, bool, float]


@dataclass(frozen=True)
class _Context:
    """What every parse of a batch shares: sent once to each worker process."""

    divisions: DivisionIndex
    cache: ParseCache | None


def _parse_one(item: tuple[str, bytes, str, bytes], context: _Context) -> _Outcome:
    """``parse_document`` with every failure turned into a rejection of this file only, the
    document rendered for landing (so only its text travels back and is kept), the
    outcome stored in the cache under the item's key (by the process that parsed it, so the
    main process does not serialise it twice). A parser bug (any other exception) is not
    cached: it is cheap to try again next time."""
    source, data, key, digest = item  # (digest: sha256 of data, hashed once per batch)
    divisions = context.divisions
    started = time.perf_counter()
    try:
        parsed = one_document.parse_document(data, source, divisions, digest.hex())
        result: LandedDocument | None = render_document(parsed)
        reason, cacheable = "", True
    except DocumentRejected as exc:
        result, reason, cacheable = None, exc.reason, True
    except Exception as exc:  # a parser bug must not stop the batch
        result, cacheable = None, False
        reason = (
            f"the parser failed ({type(exc).__name__}: {exc}); nothing from this file was "
            "landed — please report it with the file"
        )
    took = time.perf_counter() - started
    if context.cache is not None and cacheable:
        context.cache.put(key, (result, reason))
    return result, reason, cacheable, took


_Joined = tuple["LandedDocument", tuple[int, ...]]


def _join_one(item: tuple[list[tuple[bytes, str]], str], context: _Context) -> _Joined | str:
    """``parse_joined`` (cached under the item's key), or the name of the exception it raised
    (then the two files stay separate documents rather than lose either; not cached)."""
    parts, key = item
    try:
        combined, offsets = one_document.parse_joined(parts, context.divisions)
        joined = (render_document(combined, offsets), offsets)
    except Exception as exc:
        return type(exc).__name__
    if context.cache is not None:
        context.cache.put(key, joined)
    return joined


_T = TypeVar("_T")
_R = TypeVar("_R")

# The context of a worker process, set once by ``_start_worker`` (a worker parses many
# documents; the division index is passed once, not with every document).
_WORKER_CONTEXT: _Context | None = None


def _start_worker(context: _Context) -> None:
    global _WORKER_CONTEXT
    _WORKER_CONTEXT = context


def _run_in_worker(function: Callable[[_T, _Context], _R], chunk: list[_T]) -> list[_R]:
    assert _WORKER_CONTEXT is not None, "worker started without its context"
    return [function(item, _WORKER_CONTEXT) for item in chunk]


def _run_all(
    function: Callable[[_T, _Context], _R],
    items: list[_T],
    context: _Context,
    jobs: int,
    progress: Progress | None = None,
) -> Iterator[_R]:
    """``function(item, context)`` of every item, in the order of ``items``, run by up to
    ``jobs`` processes (forked on Linux; one job, or one item, runs in this process).
    ``function`` must be a module-level function that turns its failures into values.

    Items go to the workers in small chunks (PDFs take 100× a text). A chunk that fails on
    the way (an outcome that cannot be sent back) is run again here; when a worker dies
    (killed, out of memory, a crash in a PDF library) which item did it is unknown, so every
    item not yet done is run here, one by one."""
    jobs = max(1, min(jobs, len(items)))
    if jobs == 1:
        for item in items:
            yield function(item, context)
        return
    methods = multiprocessing.get_all_start_methods()
    processes = multiprocessing.get_context("fork" if "fork" in methods else None)
    size = max(1, min(16, len(items) // (jobs * 8)))
    chunks = [items[start:start + size] for start in range(0, len(items), size)]
    done = 0
    try:
        with ProcessPoolExecutor(max_workers=jobs, mp_context=processes,
                                 initializer=_start_worker, initargs=(context,)) as pool:
            futures = [pool.submit(_run_in_worker, function, chunk) for chunk in chunks]
            for chunk, future in zip(chunks, futures, strict=True):
                try:
                    outcomes = future.result()
                except BrokenProcessPool:
                    raise
                except Exception as exc:
                    if progress is not None:
                        progress(f"{len(chunk)} file(s) parsed again in this process "
                                 f"({type(exc).__name__}: {exc})")
                    outcomes = [function(item, context) for item in chunk]
                for outcome in outcomes:
                    done += 1
                    yield outcome
    except BrokenProcessPool as exc:
        if progress is not None:
            progress(f"a parsing process stopped ({exc or 'no reason given'}); parsing the "
                     f"remaining {len(items) - done} file(s) in this process")
        for item in items[done:]:
            yield function(item, context)


# Parsing makes millions of short-lived objects that reference counting frees: ingesting the
# generated corpora leaves no cycle for the collector (0 objects collected by 806 young, 73
# middle and 5 full collections per 1,000 documents), while each full collection walks
# everything parsed so far (0.52-0.74 CPU s per 1,000 documents, 8 % of the ingest, timed
# with gc.callbacks). The young generation is collected every 10,000 net allocations instead
# of 700 and the older ones as often relative to it, so a cycle is still freed, later.
_SPACED_COLLECTIONS = (10_000, 10, 10)


@contextmanager
def spaced_collections() -> Iterator[None]:
    """The cycle collector run less often while a batch is parsed (:data:`_SPACED_COLLECTIONS`,
    inherited by the forked parsing processes); its thresholds restored after, whatever
    happens. A ``with`` block, or a decorator of a function (:func:`ingest_files`)."""
    before = gc.get_threshold()
    gc.set_threshold(*_SPACED_COLLECTIONS)
    try:
        yield
    finally:
        gc.set_threshold(*before)


@spaced_collections()
def ingest_files(
    items: Iterable[tuple[str, bytes, float]],
    divisions: DivisionIndex,
    progress: Progress | None = None,
    *,
    jobs: int = 1,
    cache: ParseCache | None = None,
    stats: IngestStats | None = None,
) -> tuple[list[FileRecord], list[LandedDocument]]:
    """Parse (source, bytes, mtime) items; duplicates and republications resolved.

    Each file is parsed on its own by up to ``jobs`` processes, or read from ``cache`` when
    the same bytes under the same name were parsed by the same parser version; the batch
    step (joins, duplicates, republications) then runs over every file, in this process.
    The result does not depend on ``jobs`` or on the cache. ``stats`` is filled in."""
    stats = stats if stats is not None else IngestStats()
    ordered = sorted(items, key=lambda item: item[0])
    digests = {source: hashlib.sha256(data).digest() for source, data, _ in ordered}
    keys = [cache.key([(source, data)], [digests[source]]) if cache else ""
            for source, data, _ in ordered]
    outcomes: list[_Outcome | None] = []
    for key in keys:
        stored = cache.get(key) if cache else None
        outcomes.append((stored[0], stored[1], True, 0.0) if _valid_stored(stored) else None)
    missing = [index for index, outcome in enumerate(outcomes) if outcome is None]
    stats.jobs = max(1, min(jobs, len(missing)))
    stats.parsed, stats.cached = len(missing), len(ordered) - len(missing)
    context = _Context(divisions, cache)
    fresh = _run_all(_parse_one, [(ordered[i][0], ordered[i][1], keys[i],
                                   digests[ordered[i][0]]) for i in missing],
                     context, jobs, progress)
    parsed: list[_Parsed] = []
    for index, (source, data, mtime) in enumerate(ordered):
        outcome = outcomes[index]
        from_cache = outcome is not None
        if outcome is None:
            outcome = next(fresh)
        result, reason, _cacheable, took = outcome
        parsed.append((source, data, mtime, result, reason))
        if keys[index]:
            stats.row_keys[source] = keys[index]
        if progress is not None:
            timing = "cached" if from_cache else f"{took:.2f} s"
            if result is None:
                progress(f"[{index + 1}/{len(ordered)}] {source}: rejected — {reason} ({timing})")
            else:
                progress(
                    f"[{index + 1}/{len(ordered)}] {source} → {result.document.document_id}: "
                    f"{result.counts.get('landed_tables', 0)} tables, {result.rows_landed} rows, "
                    f"{result.unparsed_lines} unparsed lines ({timing})"
                )
    joined = _join_split_disclosures(parsed, divisions, progress, cache, stats, jobs)
    return _resolve(parsed, joined, {source: d.hex() for source, d in digests.items()})


def _valid_stored(stored: object) -> bool:
    """A cache value this version writes: (LandedDocument, '') or (None, reason)."""
    if not isinstance(stored, tuple) or len(stored) != 2:
        return False
    result, reason = stored
    if result is None:
        return isinstance(reason, str) and bool(reason)
    return isinstance(result, LandedDocument) and isinstance(result.document, DocumentRecord)


_Parsed = tuple[str, bytes, float, "LandedDocument | None", str]


def _split_key(doc: DocumentRecord) -> tuple[str, str, int, str]:
    return (doc.district_code, match_view(doc.unit_name), doc.fiscal_year, doc.doc_kind)


def _join_split_disclosures(
    parsed: list[_Parsed],
    divisions: DivisionIndex,
    progress: Progress | None = None,
    cache: ParseCache | None = None,
    stats: IngestStats | None = None,
    jobs: int = 1,
) -> dict[str, tuple[str, int]]:
    """Pair every tables-only file (no title page, unit read from its table headers) with a
    narrative file of the same unit, division, year and kind, and parse each pair as one
    document (narrative lines first). ``parsed`` is updated in place: the narrative's entry
    holds the joined result, the tables file's entry none. Returns tables file → (narrative
    file, line offset). A tables file without a partner stays its own document.

    The pairs are chosen first (a narrative joins at most one tables file, whatever the
    parse gives), then parsed by up to ``jobs`` processes, or read from ``cache`` under both
    files' names and bytes (a joined parse reads both files again: for PDFs, the expensive
    part), then applied in order."""
    narratives: dict[tuple[str, str, int, str], list[int]] = {}
    for index, (_source, _data, _mtime, result, _reason) in enumerate(parsed):
        if result is not None and not result.tables_only:
            narratives.setdefault(_split_key(result.document), []).append(index)
    pairs: list[tuple[int, int]] = []  # (tables file, its narrative)
    for index, (_source, _data, _mtime, result, _reason) in enumerate(parsed):
        if result is None or not result.tables_only:
            continue
        partners = narratives.get(_split_key(result.document), []) or _short_name_partners(
            narratives, result.document
        )
        if partners:
            pairs.append((index, partners.pop(0)))
    parts = [[(parsed[n][1], parsed[n][0]), (parsed[t][1], parsed[t][0])] for t, n in pairs]
    keys = [cache.key([(name, raw) for raw, name in pair]) if cache else "" for pair in parts]
    outcomes: list[_Joined | str | None] = []
    for key in keys:
        stored = cache.get(key) if cache else None
        outcomes.append(stored if _valid_joined(stored) else None)
    missing = [i for i, outcome in enumerate(outcomes) if outcome is None]
    fresh = _run_all(_join_one, [(parts[i], keys[i]) for i in missing],
                     _Context(divisions, cache), jobs, progress)
    for i, outcome in zip(missing, fresh, strict=True):
        outcomes[i] = outcome
    if stats is not None:
        stats.joined_parsed, stats.joined_cached = len(missing), len(pairs) - len(missing)
    joined: dict[str, tuple[str, int]] = {}
    for (index, partner), outcome, key in zip(pairs, outcomes, keys, strict=True):
        source, data, mtime, _result, _reason = parsed[index]
        narrative_source, narrative_data, narrative_mtime, narrative, _ = parsed[partner]
        if isinstance(outcome, str) or outcome is None:
            if progress is not None:
                progress(f"{source}: not joined to {narrative_source} ({outcome})")
            continue
        combined, offsets = outcome
        assert narrative is not None
        if _split_key(combined.document) != _split_key(narrative.document):
            continue
        parsed[partner] = (narrative_source, narrative_data, narrative_mtime, combined, "")
        parsed[index] = (source, data, mtime, None, "")
        if stats is not None and key:
            stats.row_keys[narrative_source] = key
        joined[source] = (narrative_source, offsets[1])
        if progress is not None:
            progress(f"{source}: joined to {narrative_source} → {combined.document.document_id}")
    return joined


def _valid_joined(stored: object) -> bool:
    return (
        isinstance(stored, tuple) and len(stored) == 2 and isinstance(stored[0], LandedDocument)
        and isinstance(stored[1], tuple) and len(stored[1]) == 2
    )


def _short_name_partners(
    narratives: dict[tuple[str, str, int, str], list[int]], tables: DocumentRecord
) -> list[int]:
    """Narratives of the same year and kind whose unit's full name ends with the short name the
    tables print (部门：<X>厅 for <province><X>厅, the province left out), when the tables state no other
    division; only when exactly one unit fits."""
    if len(tables.unit_name) < 4:
        return []
    fits = [
        key for key, indexes in narratives.items()
        if indexes and key[2:] == (tables.fiscal_year, tables.doc_kind)
        and key[1].endswith(match_view(tables.unit_name))
        and (not tables.district_code or tables.district_code == key[0])
    ]
    return narratives[fits[0]] if len({key[1] for key in fits}) == 1 else []


def _resolve(
    parsed: list[_Parsed],
    joined: dict[str, tuple[str, int]] | None = None,
    digests: dict[str, str] | None = None,  # source → sha256 of its bytes (hex), when known
) -> tuple[list[FileRecord], list[LandedDocument]]:
    joined = joined or {}
    digests = digests or {}
    files: list[FileRecord] = []
    kept: dict[str, LandedDocument] = {}  # content hash → first file (by path) with it
    landed: list[tuple[LandedDocument, float]] = []
    for source, data, mtime, result, reason in parsed:
        if source in joined:
            continue
        if result is None:
            files.append(_file_record(source, data, digests.get(source, ""), status="rejected",
                                      reason=reason))
            continue
        doc = result.document
        twin = kept.get(doc.content_sha256)
        if twin is not None:
            files.append(
                _file_record(
                    source, data, digests.get(source, ""), encoding=doc.encoding,
                    status="duplicate",
                    reason=f"same document as {twin.document.source_file} (identical text); "
                    "landed once, under that file",
                    document_id=twin.document.document_id,
                    duplicate_of=twin.document.source_file,
                )
            )
            continue
        kept[doc.content_sha256] = result
        landed.append((result, mtime))
    documents = _supersede(landed)
    by_source = {d.document.source_file: d for d in documents}
    for source, data, _mtime, result, _reason in parsed:
        if result is None or source not in by_source:
            continue
        final = by_source[source]
        doc = final.document
        reasons = list(final.problems) + list(final.notes)
        if doc.is_superseded:
            reasons.append(
                "a newer publication of the same unit, year and kind exists; both are kept and "
                "the newer one is used in the marts"
            )
        files.append(
            _file_record(
                source, data, digests.get(source, ""), encoding=doc.encoding,
                status="partial" if final.problems else "landed",
                reason="; ".join(reasons),
                document_id=doc.document_id,
                rows_landed=final.rows_landed,
                unparsed_lines=final.unparsed_lines,
                repeated_rows_dropped=final.repeated_rows,
            )
        )
    for source, data, _mtime, _result, _reason in parsed:
        if source not in joined:
            continue
        narrative, offset = joined[source]
        at = next(i for i, f in enumerate(files) if f.source_file == narrative)
        partner = files[at]
        document = by_source.get(narrative)
        if document is not None:  # each file counts the rows of its own lines
            files[at] = replace(partner, **document.parts[0])
        counts = document.parts[1] if document is not None else {}
        files.append(
            replace(
                partner,
                **counts,
                source_file=source,
                sha256=digests.get(source) or hashlib.sha256(data).hexdigest(),
                size_bytes=len(data),
                reason=f"the tables of the disclosure in {narrative} (no title page; same unit, "
                f"year and kind): landed with it as one document, its lines from line "
                f"{offset + 1}" + (f"; {partner.reason}" if partner.reason else ""),
                line_offset=offset,
            )
        )
    files.sort(key=lambda f: f.source_file)
    documents.sort(key=lambda d: d.document.document_id)
    return files, documents


def _supersede(landed: list[tuple[LandedDocument, float]]) -> list[LandedDocument]:
    """Same unit, district, year and kind published twice with different text: the newer wins.

    Newer means: the later publication date printed in the document; when neither prints one
    (or both print the same), the later file modification time; then the larger content hash,
    so the choice never depends on the order files are read in. A copy that landed only partly
    (cut off, damaged bytes) never supersedes a complete one, however new its file.
    """
    groups: dict[tuple[str, str, int, str], list[tuple[LandedDocument, float]]] = {}
    for result, mtime in landed:
        doc = result.document
        groups.setdefault((doc.district_code, match_view(doc.unit_name), doc.fiscal_year,
                           doc.doc_kind),
                          []).append((result, mtime))
    out: list[LandedDocument] = []
    for members in groups.values():
        members.sort(
            key=lambda m: (
                not m[0].problems,
                m[0].document.published_date,
                m[1],
                m[0].document.content_sha256,
            )
        )
        newest = members[-1][0]
        older = [m[0] for m in members[:-1]]
        for result in older:
            result.document = replace(result.document, is_superseded=True)
            out.append(result)
        if older:
            newest.document = replace(newest.document, supersedes=older[-1].document.document_id)
        out.append(newest)
    return out


def ingest_folder(
    docs: Path,
    out: Path,
    divisions: DivisionIndex | None = None,
    progress: Progress | None = None,
    *,
    jobs: int = 1,
    cache: Path | None = None,
) -> IngestResult:
    """Read every file under ``docs`` and land the records under ``out``: parsed by up to
    ``jobs`` processes, unchanged files read from the ``cache`` folder when one is given."""
    divisions = divisions or DivisionIndex.load()
    items = [(name, p.read_bytes(), p.stat().st_mtime) for name, p in _discover(docs)]
    parse_cache = ParseCache(cache, divisions) if cache is not None else None
    with spaced_collections():  # (landing walks every document's rows as well)
        for attempt in (1, 2):
            stats = IngestStats()
            files, documents = ingest_files(
                items, divisions, progress, jobs=jobs, cache=parse_cache, stats=stats
            )
            if parse_cache is not None:
                parse_cache.prune()
            keys = [stats.row_keys.get(d.document.source_file, "") for d in documents]
            try:
                counts, spans = land_spliced(
                    out, files, documents, keys,
                    parse_cache.previous_landed() if parse_cache is not None else None,
                )
            except DamagedEntry as error:  # removed: its document is parsed again
                if attempt == 2:
                    raise
                if progress is not None:
                    progress(f"{error}; reading the cache again")
                continue
            break
    if parse_cache is not None:
        parse_cache.keep_landed(out, spans)
    return IngestResult(files=files, documents=documents, counts=counts, stats=stats,
                        spans=spans)
