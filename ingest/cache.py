"""A folder of parsed documents, so that an unchanged document is not parsed again.

One file per entry, ``<folder>/<parser version>/<key[:2]>/<key>.pickle``. The key is the sha256 of what the
parse depends on: each part's file name and the sha256 of its bytes (one part for a file, two
for a disclosure joined from a narrative and its tables), the parser version (a digest of the
ingest code and the reference data it reads, ``ingest.records.PARSER_VERSION``), the division
index the parse used, and the versions of Python and of the libraries that read PDFs. A renamed
file is parsed again (its name is recorded in its rows).

Writes are atomic (a temporary file in the same folder, then a rename), so a reader sees a
whole entry or none, and two builds writing the same entry at once both leave a valid one. An
entry that cannot be read back (truncated, garbage, another key, an old record layout) is
ignored: the document is parsed and the entry rewritten. The folders of other parser versions
are never read again: :meth:`ParseCache.prune` (called after every ingest) deletes them, so
the cache holds one version's parses (about 20 KB a document). The whole folder may be deleted
at any time.

An entry is a pickle of the outcome without the document's rendered rows, followed by the
rows themselves as UTF-8 bytes (their layout and CRC-32 in the pickle): reading an entry reads
the document's record, counts and report section, and its rows only when they are written
(:class:`StoredRows`), which, after a few changed documents, is for those only: the landed
files the last ingest wrote are kept beside the entries (``<version>/landed/``, hard links,
with :class:`ingest.land.LandedSpans`: where each document's rows are in them) and the rows of
every unchanged document are copied from there (:func:`ingest.land.land_spliced`).

The entries are pickles: the folder is the build's own scratch space (``.build/``), never a
place for files from elsewhere.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import platform
import re
import shutil
import tempfile
import zlib
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import replace
from functools import lru_cache
from importlib import metadata
from pathlib import Path
from typing import Any

from ingest.divisions import DivisionIndex
from ingest.land import LandedDocument, LandedSpans, PreviousLanded
from ingest.records import PARSER_VERSION

DEFAULT_CACHE = Path(".build") / "cache" / "ingest"
# Libraries whose output is parsed: another version may read another text from the same bytes.
_READING_LIBRARIES = ("pdfplumber", "pdfminer.six", "pypdfium2")
_FORMAT = 3  # of the entry files; bump when their layout changes (3: rows after the pickle)
LANDED = "landed"  # the folder (in the version's) of the last landed files and their spans
_SPANS = "spans.index"
_VERSION_FOLDER = re.compile(r"\d+\.\d+\.\d+\+[0-9a-f]{12}")


@lru_cache(maxsize=1)
def runtime_fingerprint() -> str:
    """Python's version and the reading libraries' versions ('-' when one is not installed)."""
    versions = []
    for name in _READING_LIBRARIES:
        try:
            versions.append(f"{name}={metadata.version(name)}")
        except metadata.PackageNotFoundError:
            versions.append(f"{name}=-")
    return ";".join([f"python={platform.python_version()}", *versions])


def division_fingerprint(divisions: DivisionIndex) -> str:
    """A digest of the division index (a test or caller may pass another one than the
    reference files'); a few milliseconds for the whole country."""
    digest = hashlib.sha256()
    for table in (divisions.by_name, divisions.upper_by_name):
        for name in sorted(table):
            digest.update(repr((name, table[name])).encode("utf-8"))
        digest.update(b"\0")
    return digest.hexdigest()


class ParseCache:
    """Parsed documents by content hash and parser version (see the module's docstring)."""

    def __init__(self, folder: Path, divisions: DivisionIndex,
                 parser_version: str = PARSER_VERSION) -> None:
        self.folder = folder
        self.parser_version = parser_version
        self._salt = "\n".join(
            [f"format={_FORMAT}", f"parser={parser_version}", runtime_fingerprint(),
             f"divisions={division_fingerprint(divisions)}"]
        )

    def key(self, parts: Sequence[tuple[str, bytes]],
            digests: Sequence[bytes] | None = None) -> str:
        """The key of one parse: each part's (file name, bytes) in order (``digests``: the
        parts' sha256, when the caller has them)."""
        digest = hashlib.sha256(self._salt.encode("utf-8"))
        for i, (source, data) in enumerate(parts):
            digest.update(b"\0part\0" + source.encode("utf-8") + b"\0")
            digest.update(digests[i] if digests is not None else hashlib.sha256(data).digest())
        return digest.hexdigest()

    @property
    def version_folder(self) -> Path:
        return self.folder / self.parser_version

    def path(self, key: str) -> Path:
        return self.version_folder / key[:2] / f"{key}.pickle"

    def prune(self) -> list[Path]:
        """Delete the folders of other parser versions (nothing else); returns them."""
        try:
            others = [p for p in self.folder.iterdir() if p.is_dir()
                      and p.name != self.parser_version and _VERSION_FOLDER.fullmatch(p.name)]
        except OSError:
            return []
        for other in others:
            shutil.rmtree(other, ignore_errors=True)
        return others

    def get(self, key: str) -> Any | None:
        """The value stored under ``key``, or None when there is none or it cannot be read
        (a document's rows are read when first used: :class:`StoredRows`)."""
        path = self._entry(key)
        try:
            with open(path, "rb") as handle:
                stored = pickle.load(handle)
                offset = handle.tell()
                size = os.fstat(handle.fileno()).st_size
        except FileNotFoundError:
            return None
        except Exception:  # corrupt, truncated, an old layout: parse again and rewrite
            return None
        if not isinstance(stored, dict) or stored.get("key") != key or "value" not in stored:
            return None
        layout, crc = stored.get("rows", ()), stored.get("crc", 0)
        try:
            if size != offset + sum(length for _, length in layout):
                return None  # cut off
        except (TypeError, ValueError):
            return None
        value = stored["value"]
        if layout:
            if not (isinstance(value, tuple) and value and isinstance(value[0], LandedDocument)):
                return None
            value[0].rows = StoredRows(path, offset, tuple(layout), crc)
        return value

    def put(self, key: str, value: Any) -> None:
        """Store ``value`` atomically (a document's rows after the rest, see :meth:`get`). A
        cache that cannot be written is not an error: the documents are landed all the same,
        they are parsed again next time."""
        target = Path(self._entry(key))
        try:
            stored, rows = _split_rows(value)
            header = pickle.dumps(
                {"key": key, "value": stored, "rows": tuple((n, len(b)) for n, b in rows),
                 "crc": _crc(b for _, b in rows)},
                protocol=pickle.HIGHEST_PROTOCOL,
            )
            target.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{key[:12]}.", suffix=".tmp")
            try:
                with os.fdopen(fd, "wb") as handle:
                    handle.write(header)
                    for _, data in rows:
                        handle.write(data)
                os.replace(tmp, target)
            except BaseException:
                Path(tmp).unlink(missing_ok=True)
                raise
        except Exception:  # a full disk, a read-only folder: land all the same
            return

    def _entry(self, key: str) -> str:
        return os.path.join(self.folder, self.parser_version, key[:2], f"{key}.pickle")

    # --- the last landed files -------------------------------------------------------------

    def previous_landed(self) -> PreviousLanded | None:
        """The landed files the last :meth:`keep_landed` kept, with their spans; None when
        there are none or they cannot be read (each file is checked again when used)."""
        folder = self.version_folder / LANDED
        try:
            with (folder / _SPANS).open("rb") as handle:
                spans = pickle.load(handle)
        except Exception:
            return None
        if not isinstance(spans, LandedSpans):
            return None
        return PreviousLanded(folder, spans)

    def keep_landed(self, out: Path, spans: LandedSpans) -> None:
        """Keep the landed files of ``spans`` in ``out`` (hard links, so nothing is copied;
        the files are only ever replaced, never written again) for the next ingest. Not
        kept (and the next ingest writes every row) where links cannot be made."""
        folder = self.version_folder / LANDED
        index = folder / _SPANS
        try:
            folder.mkdir(parents=True, exist_ok=True)
            for name in spans.files:
                tmp = folder / f".{name}.csv.{os.getpid()}.tmp"
                tmp.unlink(missing_ok=True)
                os.link(out / f"{name}.csv", tmp)
                os.replace(tmp, folder / f"{name}.csv")
            fd, partial = tempfile.mkstemp(dir=folder, prefix=f".{_SPANS}.", suffix=".tmp")
            try:
                with os.fdopen(fd, "wb") as handle:
                    pickle.dump(spans, handle, protocol=pickle.HIGHEST_PROTOCOL)
                os.replace(partial, index)
            except BaseException:
                Path(partial).unlink(missing_ok=True)
                raise
        except OSError:
            index.unlink(missing_ok=True)


def _crc(parts: Iterator[bytes] | Sequence[bytes]) -> int:
    crc = 0
    for data in parts:
        crc = zlib.crc32(data, crc)
    return crc


def _split_rows(value: Any) -> tuple[Any, list[tuple[str, bytes]]]:
    """``value`` to pickle, a document's rows taken out of it (as UTF-8 bytes), and the rows."""
    if not (isinstance(value, tuple) and value and isinstance(value[0], LandedDocument)):
        return value, []
    document = value[0]
    rows = list(document.rows.items())
    return (replace(document, rows={}), *value[1:]), rows


class DamagedEntry(OSError):
    """A cache entry's rows were not those stored (the entry is removed: build again)."""


class StoredRows(Mapping[str, bytes]):
    """A cached document's rows of every landed file (landed file → its CSV rows as UTF-8
    bytes), read from its cache entry when first needed: :meth:`encoded` as stored (not kept),
    the same bytes when the mapping is used (kept). An entry whose rows are not those stored
    (CRC-32) is removed and :class:`DamagedEntry` raised."""

    __slots__ = ("_crc", "_kept", "_layout", "_offset", "_path")

    def __init__(self, path: str, offset: int, layout: tuple[tuple[str, int], ...],
                 crc: int) -> None:
        self._path, self._offset, self._layout, self._crc = path, offset, layout, crc
        self._kept: dict[str, bytes] | None = None

    def encoded(self) -> dict[str, bytes]:
        total = sum(length for _, length in self._layout)
        try:
            with open(self._path, "rb") as handle:
                handle.seek(self._offset)
                data = handle.read(total + 1)
        except OSError as error:
            raise DamagedEntry(f"{self._path}: parse cache entry not readable ({error})") \
                from error
        if len(data) != total or zlib.crc32(data) != self._crc:
            Path(self._path).unlink(missing_ok=True)
            raise DamagedEntry(
                f"{self._path}: parse cache entry changed after it was read; removed (its "
                "document is parsed again by the next ingest)"
            )
        parts, at = {}, 0
        for name, length in self._layout:
            parts[name] = data[at:at + length]
            at += length
        return parts

    def _rows(self) -> dict[str, bytes]:
        if self._kept is None:
            self._kept = self.encoded()
        return self._kept

    def __getitem__(self, name: str) -> bytes:
        return self._rows()[name]

    def __iter__(self) -> Iterator[str]:
        return iter(name for name, _ in self._layout)

    def __len__(self) -> int:
        return len(self._layout)

    def __contains__(self, name: object) -> bool:
        return any(name == stored for stored, _ in self._layout)

    def get(self, name: str, default: Any = None) -> Any:
        return self._rows().get(name, default) if name in self else default

    def __reduce__(self) -> tuple[Any, ...]:
        return (dict, (dict(self._rows()),))

    def __repr__(self) -> str:
        return f"StoredRows({self._path!r}, {[name for name, _ in self._layout]})"
