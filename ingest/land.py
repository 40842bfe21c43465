"""Write landed records as deterministic CSV files, atomically.

A parsed document is rendered once, where it was parsed, into its rows of every landed file
(:func:`render_document` → :class:`LandedDocument`): the batch step keeps a few hundred
bytes of metadata and the rendered text per document, not millions of record objects, and
:func:`land_documents` writes the files by streaming the documents' rows in order. The
records can be read back from the rendered rows (:meth:`LandedDocument.records`): every
field is a str, an int or a bool, so the text says exactly what the record held.
"""

from __future__ import annotations

import csv
import io
import os
import tempfile
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import ExitStack, contextmanager, suppress
from dataclasses import dataclass, field, fields
from functools import cache
from itertools import chain
from operator import attrgetter, itemgetter
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from ingest.records import LANDED_FILES, DocumentRecord, FileRecord, column_names

try:  # the C renderer, built with the compiled modules (ingest/native/landed_rows.c)
    from ingest._landed_rows import csv_rows as _c_csv_rows
except ImportError:  # no current build, or INGEST_PURE=1: the rows are rendered in Python
    _c_csv_rows = None

if TYPE_CHECKING:
    from ingest.document import DocumentResult

# The landed files of one document's own records, with the DocumentResult field holding them.
# landed_documents and landed_files are written from the batch (supersession, duplicates).
DOCUMENT_FILES: dict[str, str] = {
    "landed_tables": "tables",
    "landed_table_cells": "cells",
    "landed_prose_figures": "figures",
    "landed_projects": "projects",
    "landed_indicators": "indicators",
    "landed_unparsed_lines": "unparsed",
    "landed_pages": "pages",
    "landed_project_funds": "project_funds",
}
# the files whose rows count as landed figures (DocumentResult.rows_landed)
FIGURE_FILES = ("landed_table_cells", "landed_prose_figures", "landed_projects",
                "landed_indicators", "landed_project_funds")


def _cell(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return "" if value is None else str(value)


@cache
def _values(record_type: type) -> Callable[[object], Any]:
    """A record's field values in column order (one C call per record): a tuple of them, or
    for a record of one field its value alone."""
    return attrgetter(*column_names(record_type))


@cache
def _column_names(record_type: type) -> tuple[str, ...]:
    """A record type's column names (``dataclasses.fields`` once per type)."""
    return tuple(column_names(record_type))


@cache
def _width(record_type: type) -> int:
    """How many fields (columns) a record type has (``dataclasses.fields`` once per type)."""
    return len(_column_names(record_type))


def _row(values: tuple[object, ...]) -> Sequence[object]:
    """The CSV row of a record's values: as they are, since the csv module writes None as ''
    and any other non-str value as str(value), exactly as :func:`_cell` does, except a bool."""
    return [_cell(v) for v in values] if bool in map(type, values) else values


def _csv_rows(record_type: type, records: Iterable[object]) -> Iterable[Sequence[object]]:
    # the fields are scalars: read them directly (dataclasses.astuple deep-copies every value)
    rows = list(map(_values(record_type), records))
    if bool in set(map(type, chain.from_iterable(rows))):  # (one C pass over every value)
        return list(map(_row, rows))
    return rows  # = map(_row, rows): no row holds a bool


def _csv_text(rows: Iterable[Sequence[object]]) -> str:
    """The csv module's text of ``rows`` (LF line ends, minimal quoting), a value holding a
    carriage return quoted as well, whatever the Python version: the csv module of Python
    3.12 on quotes one, that of 3.11 leaves it bare, and a bare one reads back as a line end
    that breaks the row (a file's name may hold one)."""
    rows = rows if isinstance(rows, list) else list(rows)
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    text = buffer.getvalue()
    if _QUOTES_CR or "\r" not in text:
        return text
    # row by row, each ended by CR LF: the csv module quotes a value holding a character of
    # its line terminator, so a carriage return too; each row's CR LF is then made its LF
    row_buffer = io.StringIO()
    writer = csv.writer(row_buffer, lineterminator="\r\n")
    lines = []
    for row in rows:
        row_buffer.seek(0)
        row_buffer.truncate()
        writer.writerow(row)
        lines.append(row_buffer.getvalue()[:-2] + "\n")
    return "".join(lines)


def render_rows(record_type: type, records: Iterable[object]) -> str:
    """CSV rows (no header, LF line ends, minimal quoting) of records of one type."""
    width = _width(record_type)
    if width >= 2 and isinstance(records, list | tuple):
        declared = _declared_text(record_type, records, width)
        if declared is not None:
            return declared
    if width < 2:  # (a one-field getter gives the value, not a tuple of it)
        rows: Sequence[Any] = [(value,) for value in map(_values(record_type), records)]
        types = set(map(type, chain.from_iterable(rows)))
    else:
        values = tuple(chain.from_iterable(map(_values(record_type), records)))
        types = set(map(type, values))  # (one C pass over every value)
        joined = _joined_values(values, width) if types <= _PLAIN_TYPES else None
        if joined is not None:
            return joined
        rows = [values[start : start + width] for start in range(0, len(values), width)]
    # = map(_row, rows): without a bool, _row gives every row as it is
    return _csv_text(list(map(_row, rows)) if bool in types else rows)


_PLAIN_TYPES = frozenset({str, int})


def render_encoded(record_type: type, records: Sequence[object]) -> bytes:
    """:func:`render_rows`'s text as UTF-8 bytes, made by the C renderer when it is built and
    takes every record (``ingest/native/landed_rows.c``: the same bytes, tested as such), else
    by :func:`render_rows`."""
    if _c_csv_rows is not None:
        encoded = _c_csv_rows(records if isinstance(records, list) else list(records),
                              _column_names(record_type))
        if encoded is not None:
            return encoded
    return render_rows(record_type, records).encode("utf-8")


@cache
def _stored_values(record_type: type) -> Callable[[Mapping[str, object]], tuple[object, ...]]:
    """A record's field values in column order read from its ``__dict__`` (by name: a dict
    lookup each, cheaper than an attribute lookup; for two or more columns)."""
    return itemgetter(*column_names(record_type))


@cache
def _declared_types(record_type: type) -> tuple[type | None, ...]:
    """Each column's declared type when it is ``str`` or ``int`` (as written, or the
    annotation's text), else None."""
    plain: dict[object, type] = {"str": str, "int": int, str: str, int: int}
    return tuple(plain.get(f.type) if isinstance(f.type, str | type) else None
                 for f in fields(record_type))


def _declared_text(record_type: type, records: Sequence[object], width: int) -> str | None:
    """:func:`render_rows`'s text of ``records`` made column by column from the declared
    types, when every column is declared ``str`` or ``int`` and holds only such values
    (a ``str`` column: ``str.join`` takes every value of it; an ``int`` column: every value
    is exactly an int, never a bool); None otherwise (the caller then looks at every value).

    The values are read from each record's ``__dict__`` in column order and formatted as
    the csv module writes them (``%s``: a str as it is, an int as ``str()`` gives it), the
    values of a ``str`` column holding a comma, a quote or a line break (the text of the
    whole column tells) quoted as the csv module quotes (:func:`_quoted_text`), the other
    columns as they are (no int needs quotes).

    ``str.join`` takes a subclass of str too: one that overrides ``__str__`` would be
    written by its ``__str__`` where the csv module writes its text (ingest makes no
    subclass of str; checking every value's exact type costs 15 % more here)."""
    types = _declared_types(record_type)
    if None in types:
        return None
    if not records:
        return ""
    try:
        values = tuple(chain.from_iterable(map(_stored_values(record_type), map(vars, records))))
    except (TypeError, KeyError):  # a record without __dict__ (slots), or a field not in it
        return None
    rows = len(records)
    quoted: list[object] | None = None
    for column, declared in enumerate(types):
        items = values[column::width]
        if declared is str:
            try:
                text = "".join(items)  # type: ignore[arg-type]
            except TypeError:  # a value that is not a str (None, a number, a bool, …)
                return None
            if _needs_quotes(text):
                if quoted is None:
                    quoted = list(values)
                quoted[column::width] = list(map(_quoted_text, items))  # type: ignore[arg-type]
        elif set(map(type, items)) != _INT:
            return None
    return (_row_format(width) * rows) % (values if quoted is None else tuple(quoted))


_INT = {int}


def _quoted_text(value: str) -> str:
    """A str as the csv module writes it in a row of several values (minimal quoting,
    quotes doubled): the one place a landed value is quoted."""
    return '"' + value.replace('"', '""') + '"' if _needs_quotes(value) else value


@cache
def _row_format(width: int) -> str:
    """``%s,%s,…%s\\n``: one row of ``width`` values."""
    return ",".join(["%s"] * width) + "\n"


@cache
def _concat_format(count: int) -> str:
    """``%s%s…%s``: ``count`` values' texts one after the other."""
    return "%s" * count


def _joined_values(values: tuple[object, ...], width: int) -> str | None:
    """The text the csv module writes for the rows of ``width`` values each that ``values``
    holds one after the other (LF line ends, minimal quoting), every value a str or an int,
    made by formatting the values; None when it cannot be made so (the caller writes them
    with the csv module).

    The csv module quotes a value holding the delimiter, the quote character or a line
    break, and the lone empty value of a one-column row (so: never here, ``width`` ≥ 2);
    it writes an int as ``str()`` does, and so does ``%s`` (a str as it is). The joined
    text holds exactly one comma per value boundary and one line feed per row, and no
    quote or carriage return, only when no value needed quoting; when one did, the columns
    holding such a value are quoted as the csv module quotes (:func:`_quoted_columns`)."""
    if not values:
        return ""
    rows, rest = divmod(len(values), width)
    if width < 2 or rest:
        return None
    form = _row_format(width) * rows
    # a value of the first row needing quotes: the plain join is not tried (the quoted
    # columns below are right whatever the rows hold; this only saves a join bound to fail)
    if not _needs_quotes(_concat_format(width) % values[:width]):
        text = form % values
        if '"' not in text and "\r" not in text and text.count("\n") == rows \
                and text.count(",") == rows * (width - 1):
            return text
    return form % _quoted_columns(values, width)


def _csv_quotes(character: str) -> bool:
    """Whether this Python's csv module (LF line ends, minimal quoting) quotes a value
    holding ``character`` in a row of several values."""
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerow([f"a{character}b", "x"])
    return buffer.getvalue().startswith('"')


# The csv module quotes a value holding the delimiter, the quote character or a character
# of the line terminator (no other character: tests/ingest/test_land_fast_paths.py tries
# every one) and, from Python 3.12 on, a carriage return too: asked of the csv module itself.
# The landed files quote a carriage return with any Python (_csv_text, _needs_quotes).
_QUOTES_CR = _csv_quotes("\r")
if not all(map(_csv_quotes, ',"\n')):
    raise RuntimeError("ingest.land: this csv module leaves a comma, a quote or a line feed "
                       "unquoted; the landed files cannot be written as documented")


def _needs_quotes(text: str) -> bool:
    """Whether a value of this text is quoted in a row of several values of a landed file:
    as the csv module quotes it (minimal quoting, ``,`` and ``"``, LF line ends), a
    carriage return always (:func:`_csv_text`)."""
    return '"' in text or "," in text or "\n" in text or "\r" in text


def _quoted(value: object) -> object:
    """A str or an int as the csv module writes it in a row of several values (minimal
    quoting, quotes doubled), as a str for ``%s``; an int, or a str needing no quotes,
    as it is."""
    return _quoted_text(value) if type(value) is str else value


def _quoted_columns(values: tuple[object, ...], width: int) -> tuple[object, ...]:
    """``values`` (rows of ``width`` str or int values, one after the other) with every
    value of a column that holds one needing quotes quoted as the csv module quotes it
    (:func:`_quoted`: a value needing none stays as it is), the other columns untouched.

    A column is left as it is only when the text of all its values together holds no
    comma, quote or line break, so none of its values needs quotes (an int never does)."""
    columns = [values[column::width] for column in range(width)]
    for column, items in enumerate(columns):
        if _needs_quotes(_concat_format(len(items)) % items):
            columns[column] = tuple(map(_quoted, items))
    return tuple(chain.from_iterable(zip(*columns, strict=True)))


def render_csv(record_type: type, records: Iterable[object]) -> str:
    """CSV text (header + rows, LF line ends, minimal quoting) for records of one type."""
    return _csv_text([column_names(record_type)]) + _csv_text(_csv_rows(record_type, records))


@cache
def _converters(record_type: type) -> tuple[Any, ...]:
    def boolean(text: str) -> bool:
        return text == "true"

    by_type = {"int": int, "bool": boolean, "str": str}
    names = (getattr(f.type, "__name__", str(f.type)) for f in fields(record_type))
    return tuple(by_type[name] for name in names)


def parse_rows(record_type: type, text: str) -> list[Any]:
    """The records of :func:`render_rows` text, as they were."""
    convert = _converters(record_type)
    return [record_type(*(c(v) for c, v in zip(convert, row, strict=True)))
            for row in csv.reader(io.StringIO(text, newline=""))]


@dataclass
class LandedDocument:
    """One parsed document as the batch step uses it: its document record, what the ingest
    report and the landed files record about it, and its rows of every landed file rendered
    as CSV (``rows``: landed file → its rows without header as UTF-8 bytes; ``counts``: landed
    file → rows).
    ``parts``: for a disclosure joined from several files, each file's share of the counts
    (keys rows_landed, unparsed_lines, repeated_rows_dropped)."""

    document: DocumentRecord
    rows: Mapping[str, bytes]  # a dict, or the cache's StoredRows (read when first used)
    counts: dict[str, int]
    report: str  # the document's section of the ingest report (ingest.report)
    repeated_rows: int = 0
    tables_only: bool = False
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    parts: tuple[dict[str, int], ...] = ()

    @property
    def rows_landed(self) -> int:
        return sum(self.counts.get(name, 0) for name in FIGURE_FILES)

    @property
    def unparsed_lines(self) -> int:
        return self.counts.get("landed_unparsed_lines", 0)

    def records(self, landed_file: str) -> list[Any]:
        """The records of one landed file, read back from the rendered rows."""
        return parse_rows(LANDED_FILES[landed_file],
                          self.rows.get(landed_file, b"").decode("utf-8"))

    # the records by the names DocumentResult gives them (read back; for tests and tools;
    # @property, not property(lambda …): that is no property of a class compiled with mypyc)
    @property
    def tables(self) -> list[Any]:
        return self.records("landed_tables")

    @property
    def cells(self) -> list[Any]:
        return self.records("landed_table_cells")

    @property
    def figures(self) -> list[Any]:
        return self.records("landed_prose_figures")

    @property
    def projects(self) -> list[Any]:
        return self.records("landed_projects")

    @property
    def indicators(self) -> list[Any]:
        return self.records("landed_indicators")

    @property
    def unparsed(self) -> list[Any]:
        return self.records("landed_unparsed_lines")

    @property
    def pages(self) -> list[Any]:
        return self.records("landed_pages")

    @property
    def project_funds(self) -> list[Any]:
        return self.records("landed_project_funds")


def part_counts(result: DocumentResult, first: int, last: int | None) -> dict[str, int]:
    """rows_landed / unparsed_lines / repeated_rows_dropped of the lines after ``first`` up to
    ``last`` (one file's part of a joined document)."""

    def inside(line: int) -> bool:
        return line > first and (last is None or line <= last)

    rows = sum(
        inside(record.line_number)
        for group in (result.cells, result.figures, result.projects, result.indicators,
                      result.project_funds)
        for record in group
    )
    return {
        "rows_landed": rows,
        "unparsed_lines": sum(inside(u.line_number) for u in result.unparsed),
        "repeated_rows_dropped": len(
            {c.line_number for c in result.cells if c.repeat_of_line and inside(c.line_number)}
        ),
    }


def render_document(result: DocumentResult, offsets: Sequence[int] = ()) -> LandedDocument:
    """``result`` rendered for landing; ``offsets``: each part's first line - 1 when the
    document was joined from several files."""
    from ingest.report import document_section

    rows: dict[str, bytes] = {}
    counts: dict[str, int] = {}
    for name, attribute in DOCUMENT_FILES.items():
        records = getattr(result, attribute)
        counts[name] = len(records)
        if records:
            rows[name] = render_encoded(LANDED_FILES[name], records)
    bounds = [*offsets[1:], None]
    parts = tuple(part_counts(result, first, last)
                  for first, last in zip(offsets, bounds, strict=True)) if offsets else ()
    return LandedDocument(
        document=result.document,
        rows=rows,
        counts=counts,
        report=document_section(result),
        repeated_rows=result.repeated_rows,
        tables_only=result.tables_only,
        problems=list(result.problems),
        notes=list(result.notes),
        parts=parts,
    )


@contextmanager
def atomic_writer(path: Path) -> Iterator[TextIO]:
    """A text file at ``path`` that readers see old or new, never half: written to a
    temporary file in the same folder, synced, then renamed over ``path``."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_atomic(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` so that readers see the old or the new file, never half."""
    with atomic_writer(path) as handle:
        handle.write(text)


def land_all(out_dir: Path, records: Mapping[str, Sequence[object]]) -> dict[str, int]:
    """Write every landed file (missing kinds are written header-only); return row counts."""
    counts: dict[str, int] = {}
    for name, record_type in LANDED_FILES.items():
        rows = records.get(name, ())
        write_atomic(out_dir / f"{name}.csv", render_csv(record_type, rows))
        counts[name] = len(rows)
    return counts


@dataclass(frozen=True)
class LandedSpans:
    """Where each document's rows are in one set of landed files (those of
    :data:`DOCUMENT_FILES`), so that a later landing can copy the rows of every document it
    lands unchanged from those files instead of writing them again.

    ``keys``: each document's key, in the files' order (the parse cache's key of the parse its
    rows were rendered from: the same key, the same rows); ``files``: landed file → its
    (size, modification time in ns, inode) when written, and ``starts``, the byte offset of
    each document's rows (one more: the file's end), so document ``i``'s rows are bytes
    ``starts[i]`` to ``starts[i + 1]``."""

    keys: tuple[str, ...]
    files: dict[str, tuple[tuple[int, int, int], tuple[int, ...]]]

    def __reduce__(self) -> tuple[type[LandedSpans], tuple[object, ...]]:
        """Pickled as its fields (compiled with mypyc, a frozen dataclass would be unpickled by
        setting its attributes, which it refuses)."""
        return LandedSpans, (self.keys, self.files)


@dataclass(frozen=True)
class PreviousLanded:
    """Landed files written earlier (in ``folder``, by their names) with their spans."""

    folder: Path
    spans: LandedSpans


def file_identity(stat: os.stat_result) -> tuple[int, int, int]:
    """What says a file is the one written (a later write or replacement changes it)."""
    return (stat.st_size, stat.st_mtime_ns, stat.st_ino)


class _Output:
    """One landed file being written: bytes gathered and written in large pieces, runs of a
    previous file copied in the kernel (``os.copy_file_range``) where the system can."""

    _FLUSH_AT = 1 << 20

    def __init__(self, fd: int) -> None:
        self.fd = fd
        self.position = 0  # bytes of the file so far (written or pending)
        self._pending: list[bytes] = []
        self._pending_bytes = 0
        self._run: tuple[int, int, int] | None = None  # (source fd, start, end) to copy

    def write(self, data: bytes) -> None:
        if not data:
            return
        if self._run is not None:
            self._copy_run()
        self._pending.append(data)
        self._pending_bytes += len(data)
        self.position += len(data)
        if self._pending_bytes >= self._FLUSH_AT:
            self._write_pending()

    def copy(self, source: int, start: int, end: int) -> None:
        """Append bytes ``start`` to ``end`` of the file open as ``source``."""
        if end <= start:
            return
        if self._run is not None and self._run[0] == source and self._run[2] == start:
            self._run = (source, self._run[1], end)
        else:
            self._copy_run()
            self._run = (source, start, end)
        self.position += end - start

    def close(self) -> None:
        self._copy_run()
        self._write_pending()

    def _write_pending(self) -> None:
        """The gathered pieces written in one call (``os.writev``: not joined first, where
        the system has it), what a short write left written after."""
        if not self._pending:
            return
        pieces, self._pending = self._pending, []
        self._pending_bytes = 0
        written = _writev(self.fd, pieces)
        if written < sum(map(len, pieces)):
            self.write_raw(memoryview(b"".join(pieces))[written:])

    def _copy_run(self) -> None:
        if self._run is None:
            return
        source, start, end = self._run
        self._run = None
        self._write_pending()
        done = start
        try:
            while done < end:
                copied = os.copy_file_range(source, self.fd, end - done, done)
                if copied == 0:
                    break
                done += copied
        except (OSError, AttributeError):
            pass  # not here (another system, another file system): through Python below
        while done < end:
            data = os.pread(source, min(1 << 22, end - done), done)
            if not data:
                raise OSError(f"landed file (fd {source}) ended at byte {done} of {end}")
            self.write_raw(data)
            done += len(data)

    def write_raw(self, data: bytes | memoryview) -> None:
        view = memoryview(data)
        while view:
            view = view[os.write(self.fd, view):]


def _writev(fd: int, pieces: list[bytes]) -> int:
    """Bytes of ``pieces`` written to ``fd`` by one call: ``os.writev`` of at most
    ``SC_IOV_MAX`` pieces, else (another system, or more pieces) a write of them joined."""
    if _IOV_MAX and len(pieces) <= _IOV_MAX:
        return os.writev(fd, pieces)
    return os.write(fd, b"".join(pieces))


def _iov_max() -> int:
    try:
        return os.sysconf("SC_IOV_MAX") if hasattr(os, "writev") else 0
    except (ValueError, OSError):
        return 0


_IOV_MAX = _iov_max()


@contextmanager
def _atomic_outputs(paths: Sequence[Path]) -> Iterator[list[_Output]]:
    """Binary files at ``paths``, each written to a temporary file in its folder, synced,
    then renamed over its path when all were written (none when one failed)."""
    temporary: list[tuple[int, str]] = []
    try:
        for path in paths:
            path.parent.mkdir(parents=True, exist_ok=True)
            temporary.append(tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp",
                                              dir=path.parent))
        outputs = [_Output(fd) for fd, _ in temporary]
        yield outputs
        for output in outputs:
            output.close()
            os.fsync(output.fd)
        for fd, _ in temporary:
            os.close(fd)
        for (_, tmp), path in zip(temporary, paths, strict=True):
            os.replace(tmp, path)
        temporary.clear()
    finally:
        for fd, tmp in temporary:
            with suppress(OSError):
                os.close(fd)
            Path(tmp).unlink(missing_ok=True)


def _header(record_type: type) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerow(column_names(record_type))
    return buffer.getvalue().encode("utf-8")


def _open_previous(
    previous: PreviousLanded | None, stack: ExitStack
) -> dict[str, tuple[int, tuple[int, ...]]]:
    """landed file → (open file, starts) of the previous files still as written (the same
    size, modification time and inode as recorded, the same header as written now)."""
    if previous is None:
        return {}
    found: dict[str, tuple[int, tuple[int, ...]]] = {}
    for name, (identity, starts) in previous.spans.files.items():
        if name not in DOCUMENT_FILES or len(starts) != len(previous.spans.keys) + 1:
            continue
        try:
            fd = os.open(previous.folder / f"{name}.csv", os.O_RDONLY)
        except OSError:
            continue
        stack.callback(os.close, fd)
        try:
            same = file_identity(os.fstat(fd)) == tuple(identity)
            header = _header(LANDED_FILES[name])
            same = same and starts[0] == len(header) and os.pread(fd, len(header), 0) == header
        except OSError:
            same = False
        if same:
            found[name] = (fd, starts)
    return found


def _batch_row(values: tuple[object, ...]) -> list[object]:
    """:func:`_row`, faster for rows that mostly hold a bool: the csv module writes None
    as '' and any other non-str value as str(value), as :func:`_cell` does, except a bool."""
    return [("true" if v else "false") if v.__class__ is bool else v for v in values]


def encoded_rows(document: LandedDocument) -> Mapping[str, bytes]:
    """A document's rows of every landed file as UTF-8 bytes (a cached document's are read
    from its cache entry as they are stored and not kept, see ``ingest.cache.StoredRows``)."""
    encoded = getattr(document.rows, "encoded", None)
    if encoded is not None:
        return encoded()
    return document.rows


def land_documents(
    out_dir: Path, files: Sequence[FileRecord], documents: Sequence[LandedDocument]
) -> dict[str, int]:
    """Write every landed file from the batch's file records and its documents (in the
    order given), one document's rows at a time; return row counts. The bytes are those
    :func:`land_all` writes for the same records."""
    return land_spliced(out_dir, files, documents)[0]


def land_spliced(
    out_dir: Path,
    files: Sequence[FileRecord],
    documents: Sequence[LandedDocument],
    keys: Sequence[str] = (),
    previous: PreviousLanded | None = None,
) -> tuple[dict[str, int], LandedSpans]:
    """:func:`land_documents`, also returning where each document's rows are
    (:class:`LandedSpans`); the bytes are the same whatever ``keys`` and ``previous`` are.

    ``keys``: each document's key (see :class:`LandedSpans`; '' or none given: no key);
    ``previous``: landed files written before, whose rows of a document of the same key are
    copied from there (runs of consecutive documents in one piece, in the kernel) rather
    than written from the document's rows, which are then never read: after one changed
    document at 10,000 documents the files are mostly copied. A previous file that was
    changed or replaced since it was written is not used."""
    counts: dict[str, int] = {}
    for name in ("landed_files", "landed_documents"):
        record_type = LANDED_FILES[name]
        records: Sequence[object] = files if name == "landed_files" else [
            d.document for d in documents]
        with atomic_writer(out_dir / f"{name}.csv") as handle:
            handle.write(_csv_text([column_names(record_type)]))
            handle.write(_csv_text(list(map(_batch_row, map(_values(record_type), records)))))
            counts[name] = len(records)
    names = list(DOCUMENT_FILES)
    keys = list(keys) if keys else [""] * len(documents)
    if len(keys) != len(documents):
        raise ValueError(f"land_documents: {len(keys)} keys for {len(documents)} documents")
    starts: dict[str, list[int]] = {name: [] for name in names}
    identities: dict[str, tuple[int, int, int]] = {}
    with ExitStack() as stack:
        sources = _open_previous(previous, stack)
        at = {key: i for i, key in enumerate(previous.spans.keys)  # type: ignore[union-attr]
              if key} if sources else {}  # (sources only with a previous landing)
        paths = [out_dir / f"{name}.csv" for name in names]
        with _atomic_outputs(paths) as outputs:
            by_name = dict(zip(names, outputs, strict=True))
            for name, output in by_name.items():
                output.write(_header(LANDED_FILES[name]))
            pairs = [(output, starts[name], name) for name, output in by_name.items()]
            for document, key in zip(documents, keys, strict=True):
                index = at.get(key) if key else None
                if index is None:  # (nothing to copy: every file's rows from the document)
                    rows = encoded_rows(document)
                    for output, begun, name in pairs:
                        begun.append(output.position)
                        output.write(rows.get(name, b""))
                    continue
                encoded: Mapping[str, bytes] | None = None
                for name, output in by_name.items():
                    starts[name].append(output.position)
                    source = sources.get(name)
                    if source is not None:
                        fd, previous_starts = source
                        output.copy(fd, previous_starts[index], previous_starts[index + 1])
                        continue
                    if encoded is None:
                        encoded = encoded_rows(document)
                    output.write(encoded.get(name, b""))
            for name, output in by_name.items():
                starts[name].append(output.position)
        for name, path in zip(names, paths, strict=True):
            identities[name] = file_identity(path.stat())
    for name in names:
        counts[name] = sum(d.counts.get(name, 0) for d in documents)
    ordered = {name: counts[name] for name in LANDED_FILES}
    spans = LandedSpans(
        keys=tuple(keys),
        files={name: (identities[name], tuple(starts[name])) for name in names},
    )
    return ordered, spans
