"""What a published warehouse was built from, so that a build with nothing new can stop early.

A publish depends on the landed CSVs (which carry the parser version, so a change of ingest
shows in them), the dbt project (models, macros, reference seeds, dbt tests, profile), the
code of the validations, exports and report, the versions of the libraries that run them,
and the build's options. :func:`inputs_digest` is one sha256 over all of them;
:func:`record_publish` keeps it (with the published file's size and modification time) in
``.build/published/``; :func:`unchanged_publish` says whether the warehouse and exports on
disk are still that publish, built from the same digest. Deleting ``.build/`` (or the
warehouse, or its exports) only makes the next build run in full.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
from collections.abc import Iterable
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

from warehouse.paths import BuildPaths

# Folders and files of the project whose content changes what a build publishes.
PROJECT_INPUTS = (
    "dbt_project.yml",
    "profiles.yml",
    "models",
    "macros",
    "seeds/reference",
    "tests/dbt",
    "expectations",
    "warehouse",
)
SUFFIXES = frozenset({".sql", ".yml", ".yaml", ".csv", ".py", ".md", ".json"})
LIBRARIES = (
    "dbt-core",
    "dbt-duckdb",
    "duckdb",
    "great-expectations",
    "pandas",
    "polars",
    "pyarrow",
    "openpyxl",
    "xlsxwriter",
)
_CHUNK = 1 << 20


def _files(root: Path, entry: str) -> Iterable[Path]:
    path = root / entry
    if path.is_file():
        yield path
    elif path.is_dir():
        yield from sorted(
            p
            for p in path.rglob("*")
            if p.is_file() and p.suffix in SUFFIXES and "__pycache__" not in p.parts
        )


def _library_versions() -> list[str]:
    versions = []
    for name in LIBRARIES:
        try:
            versions.append(f"{name}={metadata.version(name)}")
        except metadata.PackageNotFoundError:
            versions.append(f"{name}=-")
    return versions


def inputs_digest(paths: BuildPaths, landed: Path, options: Iterable[str]) -> str:
    """sha256 of the landed CSVs in ``landed``, the project's inputs, the library versions
    and ``options`` (the build's options as text, e.g. ``strict=False``)."""
    digest = hashlib.sha256()

    def add(label: str, path: Path) -> None:
        digest.update(f"\0{label}\0".encode())
        with path.open("rb") as handle:
            while chunk := handle.read(_CHUNK):
                digest.update(chunk)

    for csv_file in sorted(landed.glob("*.csv")):
        add(f"landed/{csv_file.name}", csv_file)
    for entry in PROJECT_INPUTS:
        for path in _files(paths.project, entry):
            add(path.relative_to(paths.project).as_posix(), path)
    for line in [
        *_library_versions(),
        *options,
        f"exports={paths.exports}",
        f"reports={paths.reports}",
    ]:
        digest.update(f"\0{line}".encode())
    return digest.hexdigest()


@dataclass(frozen=True)
class PublishRecord:
    digest: str
    published_at: str  # ISO time of the publish (UTC)
    size: int  # of the published file, to see it was not replaced since
    mtime_ns: int
    quarantined: int  # documents quarantined by that build


def _record_path(paths: BuildPaths) -> Path:
    key = hashlib.sha256(str(paths.warehouse).encode("utf-8")).hexdigest()[:16]
    return paths.scratch / "published" / f"{key}.json"


def record_publish(paths: BuildPaths, digest: str, quarantined: int) -> None:
    """Keep ``digest`` as what the warehouse just published at ``paths.warehouse`` was built
    from (written atomically; a failure to write only costs the next build its shortcut)."""
    stat = paths.warehouse.stat()
    record = PublishRecord(
        digest,
        dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        stat.st_size,
        stat.st_mtime_ns,
        quarantined,
    )
    target = _record_path(paths)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
        tmp.write_text(json.dumps(record.__dict__, indent=1) + "\n", encoding="utf-8")
        os.replace(tmp, target)
    except OSError:
        return


def unchanged_publish(paths: BuildPaths, digest: str) -> PublishRecord | None:
    """The record of the publish on disk when it was built from ``digest`` and its warehouse
    and exports are still there as published; None otherwise."""
    try:
        stored = PublishRecord(**json.loads(_record_path(paths).read_text(encoding="utf-8")))
        stat = paths.warehouse.stat()
    except (OSError, ValueError, TypeError):
        return None
    if stored.digest != digest or (stat.st_size, stat.st_mtime_ns) != (
        stored.size,
        stored.mtime_ns,
    ):
        return None
    if not (paths.exports / "manifest.json").is_file():
        return None
    return stored
