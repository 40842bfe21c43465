"""Write landed records as deterministic CSV files, atomically."""

from __future__ import annotations

import csv
import io
import os
import tempfile
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

from ingest.records import LANDED_FILES, column_names


def _cell(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return "" if value is None else str(value)


def render_csv(record_type: type, records: Iterable[object]) -> str:
    """CSV text (header + rows, LF line ends, minimal quoting) for records of one type."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    names = column_names(record_type)
    writer.writerow(names)
    # the fields are scalars: read them directly (dataclasses.astuple deep-copies every value,
    # four fifths of a no-change ingest's time)
    for record in records:
        writer.writerow([_cell(getattr(record, name)) for name in names])
    return buffer.getvalue()


def write_atomic(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` so that readers see the old or the new file, never half."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def land_all(out_dir: Path, records: Mapping[str, Sequence[object]]) -> dict[str, int]:
    """Write every landed file (missing kinds are written header-only); return row counts."""
    counts: dict[str, int] = {}
    for name, record_type in LANDED_FILES.items():
        rows = records.get(name, ())
        write_atomic(out_dir / f"{name}.csv", render_csv(record_type, rows))
        counts[name] = len(rows)
    return counts
