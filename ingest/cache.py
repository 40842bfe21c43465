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
from collections.abc import Sequence
from functools import lru_cache
from importlib import metadata
from pathlib import Path
from typing import Any

from ingest.divisions import DivisionIndex
from ingest.records import PARSER_VERSION

DEFAULT_CACHE = Path(".build") / "cache" / "ingest"
# Libraries whose output is parsed: another version may read another text from the same bytes.
_READING_LIBRARIES = ("pdfplumber", "pdfminer.six", "pypdfium2")
_FORMAT = 2  # of the entry files; bump when their layout changes (2: rendered rows)
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

    def key(self, parts: Sequence[tuple[str, bytes]]) -> str:
        """The key of one parse: each part's (file name, bytes) in order."""
        digest = hashlib.sha256(self._salt.encode("utf-8"))
        for source, data in parts:
            digest.update(b"\0part\0" + source.encode("utf-8") + b"\0")
            digest.update(hashlib.sha256(data).digest())
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
        """The value stored under ``key``, or None when there is none or it cannot be read."""
        try:
            with self.path(key).open("rb") as handle:
                stored = pickle.load(handle)
        except FileNotFoundError:
            return None
        except Exception:  # corrupt, truncated, an old layout: parse again and rewrite
            return None
        if not isinstance(stored, dict) or stored.get("key") != key or "value" not in stored:
            return None
        return stored["value"]

    def put(self, key: str, value: Any) -> None:
        """Store ``value`` atomically. A cache that cannot be written is not an error: the
        documents are landed all the same, they are parsed again next time."""
        target = self.path(key)
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{key[:12]}.", suffix=".tmp")
            try:
                with os.fdopen(fd, "wb") as handle:
                    pickle.dump({"key": key, "value": value}, handle,
                                protocol=pickle.HIGHEST_PROTOCOL)
                os.replace(tmp, target)
            except BaseException:
                Path(tmp).unlink(missing_ok=True)
                raise
        except Exception:  # a full disk, a read-only folder: land all the same
            return
