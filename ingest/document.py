"""One document: its bytes in, its landed records out (the per-document step of ingest).

``parse_document`` reads, identifies and parses one file; ``parse_joined`` one disclosure
published as several files (a narrative and its tables). Both are pure: nothing here reads
the file system, shares state between documents or knows the other files of the batch (that
is :mod:`ingest.batch`).
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field

from ingest.blocks import TableBlock
from ingest.divisions import DivisionIndex
from ingest.identify import Identity, NotADisclosure, identify
from ingest.normalise import normalise_text
from ingest.performance import parse_performance_table
from ingest.prose import parse_prose
from ingest.read import DecodedText, UnreadableDocument, read_document
from ingest.records import (
    PARSER_VERSION,
    CellRecord,
    DocumentRecord,
    IndicatorRecord,
    PageRecord,
    ProjectFundRecord,
    ProjectRecord,
    ProseFigureRecord,
    TableRecord,
    UnparsedLineRecord,
)
from ingest.segment import segment
from ingest.tables import CODE, parse_table
from ingest.text_tables import rebuild_text_tables

KIND_SHORT = {"budget": "budget", "final_accounts": "final"}


class DocumentRejected(ValueError):
    """A file that cannot be landed; ``reason`` is a sentence a user can act on."""

    def __init__(self, source: str, reason: str) -> None:
        super().__init__(f"{source}: {reason}")
        self.source = source
        self.reason = reason


@dataclass
class DocumentResult:
    document: DocumentRecord
    tables: list[TableRecord] = field(default_factory=list)
    cells: list[CellRecord] = field(default_factory=list)
    figures: list[ProseFigureRecord] = field(default_factory=list)
    projects: list[ProjectRecord] = field(default_factory=list)
    indicators: list[IndicatorRecord] = field(default_factory=list)
    unparsed: list[UnparsedLineRecord] = field(default_factory=list)
    pages: list[PageRecord] = field(default_factory=list)
    project_funds: list[ProjectFundRecord] = field(default_factory=list)
    repeated_rows: int = 0
    tables_only: bool = False  # the tables part of a disclosure, identified from table headers
    problems: list[str] = field(default_factory=list)  # why the landing is only partial
    notes: list[str] = field(default_factory=list)  # worth saying, not a reason for 'partial'

    @property
    def rows_landed(self) -> int:
        return (
            len(self.cells)
            + len(self.figures)
            + len(self.projects)
            + len(self.indicators)
            + len(self.project_funds)
        )


def document_id_for(identity: Identity, content_sha256: str) -> str:
    """Readable and unique: ``<district>-<year>-<kind>-<8 hex of the normalised text>``."""
    district = identity.district_code or "000000"
    return f"{district}-{identity.fiscal_year}-{KIND_SHORT[identity.doc_kind]}-{content_sha256[:8]}"


def parse_document(
    data: bytes, source_file: str, divisions: DivisionIndex, sha256: str = ""
) -> DocumentResult:
    """Every record one document yields. Raises :class:`DocumentRejected`. ``sha256``: the
    hex digest of ``data`` when the caller has it (else it is computed)."""
    return _parse_decoded(_read(data, source_file), data, source_file, divisions, sha256)


def parse_joined(
    parts: Sequence[tuple[bytes, str]], divisions: DivisionIndex
) -> tuple[DocumentResult, tuple[int, ...]]:
    """One disclosure published as several files (the narrative, then its tables): their
    lines read as one text, so line numbers stay unique within the document and page numbers
    continue. Returns the result (its ``source_file`` is the first part's) and each part's
    line offset. Raises :class:`DocumentRejected`."""
    decoded = [_read(data, source) for data, source in parts]
    texts: list[str] = []
    starts: list[int] = []
    without: list[int] = []
    problems: list[str] = []
    offsets: list[int] = []
    line_offset = page_offset = 0
    for (_, source), part in zip(parts, decoded, strict=True):
        offsets.append(line_offset)
        text = part.text.replace("\r\n", "\n").replace("\r", "\n")
        texts.append(text)
        starts.extend(start + line_offset for start in part.page_starts)
        without.extend(page + page_offset for page in part.pages_without_text)
        problems.extend(f"{source}: {problem}" for problem in part.problems)
        line_offset += len(text.split("\n"))
        page_offset += len(part.page_starts)
    joined = DecodedText(
        text="\n".join(texts),
        encoding=decoded[0].encoding,
        page_starts=tuple(starts),
        pages_without_text=tuple(without),
        problems=tuple(problems),
    )
    first_data, first_source = parts[0]
    result = _parse_decoded(joined, first_data, first_source, divisions)
    result.tables_only = False
    result.notes[:] = [n for n in result.notes if not n.startswith("tables without a title")]
    listed = ", ".join(f"{source} from line {offset + 1}" for (_, source), offset
                       in zip(parts, offsets, strict=True))
    result.notes.append(f"one disclosure published as {len(parts)} files, read as one text: {listed}")
    return result, tuple(offsets)


def _read(data: bytes, source_file: str) -> DecodedText:
    try:
        return read_document(data, source_file)
    except UnreadableDocument as exc:
        raise DocumentRejected(source_file, exc.reason) from None


def _parse_decoded(
    decoded: DecodedText, data: bytes, source_file: str, divisions: DivisionIndex,
    sha256: str = "",
) -> DocumentResult:
    lines = normalise_text(decoded.text)
    try:
        identity = identify(lines, divisions, source_file)
    except NotADisclosure as exc:
        raise DocumentRejected(source_file, exc.reason) from None
    content_sha = hashlib.sha256("\n".join(lines).encode("utf-8")).hexdigest()
    document_id = document_id_for(identity, content_sha)
    rebuilt = rebuild_text_tables(lines)  # a text export's space-separated tables → tab rows
    lines = rebuilt.lines
    segmented = segment(lines, document_id)
    result = DocumentResult(document=None)  # type: ignore[arg-type]
    result.tables_only = identity.tables_only
    result.unparsed.extend(
        UnparsedLineRecord(document_id, n.line_number, n.reason, n.text) for n in rebuilt.notes)

    # where each table's cells are in result.cells (parse_table gives a block's cells, each of
    # its table_id, and they are appended one table after the other)
    cell_spans: dict[int, tuple[int, int]] = {}
    for block in segmented.blocks:
        first_cell = len(result.cells)
        _parse_block(block, result)
        cell_spans[block.table_id] = (first_cell, len(result.cells))
    prose = parse_prose(document_id, lines, segmented.prose, identity.doc_kind)
    result.figures.extend(prose.figures)
    result.unparsed.extend(prose.unparsed)
    result.unparsed.sort(key=lambda u: u.line_number)
    result.repeated_rows = sum(t.repeated_rows for t in result.tables)

    result.problems.extend(decoded.problems)
    if not identity.district_code:
        result.problems.append(
            "the division could not be resolved from the unit's name (name the province, city "
            "or county it is of, e.g. <province>省<county>县…); figures landed without a division"
        )
    if identity.tables_only:
        result.notes.append(
            "tables without a title page: the unit was read from the table headers "
            f"(line {identity.title_line}); no narrative file of the same unit, year and kind "
            "was found to join"
        )
    result.pages = _pages(document_id, decoded.page_starts, decoded.pages_without_text, len(lines))
    if decoded.pages_without_text:
        listed = ", ".join(str(n) for n in decoded.pages_without_text)
        result.notes.append(
            f"page(s) {listed} have no text layer (blank or scanned): nothing was read from them; "
            "check the PDF and, if they hold figures, supply a text export"
        )
    truncation = _truncation(lines, segmented.blocks, result, cell_spans)
    if truncation:
        result.problems.append(truncation)
    result.document = DocumentRecord(
        document_id=document_id,
        source_file=source_file,
        sha256=sha256 or hashlib.sha256(data).hexdigest(),
        content_sha256=content_sha,
        encoding=decoded.encoding,
        title=identity.title,
        title_line=identity.title_line,
        identified_by=identity.identified_by,
        unit_name=identity.unit_name,
        unit_code=identity.unit_code,
        parent_unit_name=identity.parent_unit_name,
        district_code=identity.district_code,
        district_name=identity.district_name,
        division_level=identity.division_level,
        fiscal_year=identity.fiscal_year,
        doc_kind=identity.doc_kind,
        scope=identity.scope,
        published_date=identity.published_date,
        supersedes="",
        is_superseded=False,
        parser_version=PARSER_VERSION,
        line_count=len(lines),
        table_count=len(result.tables),
        rows_landed=result.rows_landed,
        unparsed_lines=len(result.unparsed),
    )
    return result


def _pages(
    document_id: str, starts: tuple[int, ...], without_text: tuple[int, ...], line_count: int
) -> list[PageRecord]:
    """The line range of every page (PDFs only; text documents have no pages)."""
    pages: list[PageRecord] = []
    for index, first in enumerate(starts):
        last = (starts[index + 1] - 1) if index + 1 < len(starts) else line_count
        number = index + 1
        pages.append(PageRecord(document_id, number, first, last, number not in without_text))
    return pages


def _parse_block(block: TableBlock, result: DocumentResult) -> None:
    if block.kind.startswith("performance"):
        parsed = parse_performance_table(block)
        result.projects.extend(parsed.projects)
        result.indicators.extend(parsed.indicators)
        result.project_funds.extend(parsed.funds)
        result.unparsed.extend(parsed.unparsed)
        result.tables.append(
            TableRecord(
                document_id=block.document_id,
                table_id=block.table_id,
                table_kind=block.kind,
                identified_by=block.identified_by,
                label=block.label,
                title=block.title,
                title_line=block.title_line,
                unit=block.unit,
                header_source="document",
                column_labels="[]",
                first_line=block.lines[0].number if block.lines else block.title_line,
                last_line=block.lines[-1].number if block.lines else block.title_line,
                row_count=len(parsed.projects) + len(parsed.indicators),
                cell_count=len(parsed.indicators),
                repeated_rows=0,
                note=f"{len(parsed.projects)} project(s), {len(parsed.indicators)} indicator(s)",
            )
        )
        return
    parsed_table = parse_table(block)
    result.tables.append(parsed_table.table)
    result.cells.extend(parsed_table.cells)
    result.unparsed.extend(parsed_table.unparsed)


def _truncation(lines: list[str], blocks: list[TableBlock], result: DocumentResult,
                cell_spans: dict[int, tuple[int, int]] | None = None) -> str:
    """Why the document looks cut off inside a table, or ''.

    Only a document whose last line is a table row can be cut inside a table. It is, when that
    row has fewer cells than the table's rows usually have (its figures are then unreliable and
    are moved to the unparsed lines), or when the rows printed under the last parent code (or
    under the table's 合计) do not reach the parent's printed amount, allowing 0.01 万元 of
    rounding per row summed.

    ``cell_spans``: table_id → the slice of ``result.cells`` its table's cells are in (read
    instead of every cell of the document); all cells are read without it.
    """
    last = next((n for n in range(len(lines), 0, -1) if lines[n - 1].strip()), 0)
    # the (last) block holding that line: blocks and their lines searched from the end
    found = next(((block, line) for block in reversed(blocks) for line in reversed(block.lines)
                  if line.number == last), None)
    if found is None:
        return ""
    block, line = found
    # len(line.cells), counted without splitting every row into stripped cells
    widths = sorted(other.text.count("\t") + 1 for other in block.lines)
    typical = widths[len(widths) // 2] if widths else 0
    filled = [cell for cell in line.cells if cell]
    if len(line.cells) < typical - 1 and len(filled) >= 1:
        # the cell the text stops in may be cut mid-number ("19" of 19.54): not landed
        last_cell = len(line.text.rstrip("\r").split("\t")) - 1
        cut = [c for c in result.cells if c.line_number == last and c.column_number == last_cell]
        if cut:
            result.cells[:] = [c for c in result.cells if c not in cut]
            result.unparsed.append(
                UnparsedLineRecord(block.document_id, last, "row_cut_off", line.text.strip())
            )
        return (
            f"the document ends in the middle of a table (line {last} has {len(line.cells)} of "
            f"{typical} cells; the cell it stops in was not landed); the rows before it were "
            "landed — re-download the full document"
        )
    if block.kind.startswith("performance"):
        return ""
    start, end = (cell_spans or {}).get(block.table_id, (0, len(result.cells)))
    shortfall = _shortfall(
        [c for c in result.cells[start:end] if c.table_id == block.table_id
         and not c.repeat_of_line]
    )
    if shortfall:
        return (
            f"the document ends inside table {block.table_id} (line {last}) before its rows "
            f"reach a printed total ({shortfall}); the rows before were landed — re-download "
            "the full document"
        )
    return ""


def _shortfall(cells: list[CellRecord]) -> str:
    """'<parent>: <sum> of <printed>' when the last parent's child rows fall short, else ''."""
    coded = [c for c in cells if CODE.match(c.code)]
    if not coded:
        return ""
    last_code = coded[-1].code
    column = coded[-1].column_number
    amounts = {c.code: float(c.amount) for c in coded if c.column_number == column}
    parents = [last_code[:n] for n in (5, 3) if n < len(last_code)]
    for parent in parents:
        if parent not in amounts:
            continue
        children = [a for code, a in amounts.items()
                    if len(code) == len(last_code) and code.startswith(parent)]
        if sum(children) + 0.01 * len(children) < amounts[parent]:
            return f"{parent}: {sum(children):.2f} of {amounts[parent]:.2f}"
    total = next((c for c in cells if not c.code and c.row_label in ("合计", "总计")
                  and c.column_number == column), None)
    if total is not None:
        classes = [a for code, a in amounts.items() if len(code) == 3]
        if classes and sum(classes) + 0.01 * len(classes) < float(total.amount):
            return f"合计: {sum(classes):.2f} of {float(total.amount):.2f}"
    return ""
