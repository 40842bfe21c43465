"""Tables as printed: an abstract grid, written as tab-separated text or as a text export.

The tab layout is what the Chongqing text copies look like (one table row per line, cells
separated by tabs, blank cells empty). The text-export layout is what ``pdftotext -layout``
and pdfplumber's ``extract_text(layout=True)`` write for the same page: every cell starts at
its column's character position, one character (CJK or not) one position — as the real
exports in ``tests/data/text_exports/`` show: those tools place a word by its x on the page and
do not widen CJK characters —, figures right-aligned, blank cells as spaces, the unit at the
right of its line.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Row:
    cells: list[str]
    wrap: tuple[int, str] | None = None  # (column, rest of a name) printed on the next line
    wrap_above: bool = False  # text export: the first part of the name on the line above
    codes: tuple[str, ...] = ()  # classification codes printed in the row (for the truth)


@dataclass
class Grid:
    label: str  # 附件1 / 表一 / 公开01表 / ''
    title: str
    unit_line: str  # '单位：万元', '金额单位：元', '编制单位：…\t单位：元', …
    unit_on_title: bool  # '（单位：万元）' appended to the title line
    header: list[list[str]]
    rows: list[Row]
    notes: list[str] = field(default_factory=list)
    label_on_title: bool = False  # '附件1 <title>' on one line
    page_break_at: int = 0  # row index where the page breaks (0: none)
    break_repeats_title: bool = True
    break_repeats_header: bool = True  # False: the next page goes on with rows only
    repeat_rows: int = 0  # rows printed again after the break
    header_only: bool = False
    row_gap: bool = False  # text export: a blank line after every row (tall PDF rows)
    cut_last: bool = False  # the last row ends inside its last number (a cut-off file)
    # the compiler line's rows (部门：X), right above the header: (first cell, last cell) each,
    # written as ruled rows as wide as the table (tab layout) or left and right on the line
    compiler: list[tuple[str, str]] = field(default_factory=list)


def display_width(text: str) -> int:
    """Positions a text takes in a text export: one per character (``pdftotext -layout``
    and pdfplumber place words by their x on the page; a CJK character is one position)."""
    return len(text)


def _pad(text: str, width: int, right: bool) -> str:
    gap = " " * max(0, width - display_width(text))
    return gap + text if right else text + gap


def _is_number(cell: str) -> bool:
    """An amount (printed with decimals): right-aligned in its column, as PDFs print it."""
    return "." in cell and cell.replace(",", "").replace(".", "", 1).lstrip("-").isdigit()


def _title_lines(grid: Grid, text: bool, width: int) -> list[str]:
    title = grid.title + (f"（{grid.unit_line}）" if grid.unit_on_title else "")
    lines: list[str] = []
    if grid.label and not grid.label_on_title:
        lines += [grid.label, ""]
    if grid.label and grid.label_on_title:
        title = grid.label + title if grid.label.endswith("、") else f"{grid.label} {title}"
    if text:
        indent = max(0, (width - display_width(title)) // 2)
        lines += [" " * indent + title, ""]
    else:
        lines += [title, ""]
    if grid.unit_line and not grid.unit_on_title:
        if text:
            unit = grid.unit_line.replace("\t", "    ")
            lines += [_pad(unit, width, right=True), ""]
        else:
            lines += [grid.unit_line, ""]
    return lines


def render(grid: Grid, text_export: bool, gap: int = 3) -> list[str]:
    """The lines of one table (no trailing blank line); ``gap``: spaces between text-export
    columns (1: tight columns, as exporters write narrow PDF tables)."""
    columns = max(len(r) for r in [*grid.header, *(row.cells for row in grid.rows)] or [[""]])
    widths = [0] * columns
    if text_export:
        for cells in [*grid.header, *(row.cells for row in grid.rows)]:
            for index, cell in enumerate(cells):
                widths[index] = max(widths[index], display_width(cell))
        for row in grid.rows:
            if row.wrap:
                column, rest = row.wrap
                widths[column] = max(widths[column], display_width(rest))
    total_width = sum(widths) + gap * (columns - 1)

    def line(cells: list[str]) -> str:
        if not text_export:
            return "\t".join(cells)
        parts = []
        for index in range(columns):
            cell = cells[index] if index < len(cells) else ""
            parts.append(_pad(cell, widths[index], right=_is_number(cell)))
        return (" " * gap).join(parts).rstrip()

    def header_line(cells: list[str], level: int) -> str:
        """A header row as the exporters write it: every label centred over its cell (a
        PDF centres header labels), a group label over the columns it spans (the blank cells
        after it in its row, when a lower row labels them)."""
        if not text_export:
            return "\t".join(cells)
        below = grid.header[level + 1:]
        out = ""
        index = 0
        while index < columns:
            cell = cells[index] if index < len(cells) else ""
            end = index + 1
            while cell and below and end < columns and not (
                    end < len(cells) and cells[end]) and any(
                    end < len(row) and row[end] for row in below):
                end += 1
            start = sum(widths[:index]) + gap * index
            span = sum(widths[index:end]) + gap * (end - index - 1)
            if cell:
                at = start + max(0, (span - display_width(cell)) // 2)
                out = out.ljust(at) + cell if len(out) < at or not out else out + " " + cell
            index = end
        return out.rstrip()

    def wrapped(column: int, rest: str) -> str:
        cells = [""] * columns
        cells[column] = rest
        return line(cells) if text_export else "\t".join(cells)

    def compiler_lines() -> list[str]:
        """The compiler line's rows, right above the header (no blank line between)."""
        if text_export:
            return [first + _pad(last, max(4, total_width - display_width(first)), right=True)
                    if last else first for first, last in grid.compiler]
        return ["\t".join([first, *[""] * max(0, columns - 2), last])
                for first, last in grid.compiler]

    out = _title_lines(grid, text_export, total_width) + compiler_lines()
    header = [header_line(cells, level) for level, cells in enumerate(grid.header)]
    out += header
    if grid.header_only:
        return out
    for index, row in enumerate(grid.rows):
        if grid.page_break_at and index == grid.page_break_at:
            out.append("\f" if text_export else "")
            if grid.break_repeats_title:
                out += _title_lines(
                    Grid(label="", title=grid.title, unit_line=grid.unit_line,
                         unit_on_title=grid.unit_on_title, header=[], rows=[]),
                    text_export, total_width,
                ) + compiler_lines()  # (a page repeats the whole title block)
            if grid.break_repeats_header:
                out += header
            for repeated in grid.rows[max(0, index - grid.repeat_rows):index]:
                out.append(line(repeated.cells))
        cells = row.cells
        if row.wrap and row.wrap_above and text_export:
            column, rest = row.wrap
            head = cells[column]
            out.append(wrapped(column, head))
            cells = list(cells)
            cells[column] = rest
            out.append(line(cells))
            continue
        out.append(line(cells))
        if row.wrap:
            out.append(wrapped(*row.wrap))
        if grid.row_gap and text_export:
            out.append("")
    if grid.cut_last and grid.rows:
        while out and not out[-1].strip():
            out.pop()  # the gap after the last row: the file ends on the row itself
        text = out[-1]
        end = len(text.rstrip())
        start = end
        while start > 0 and (text[start - 1].isdigit() or text[start - 1] in ".,"):
            start -= 1
        out[-1] = text[: max(start + 1, (start + end) // 2)]  # keep part of the number
    if grid.notes:
        out.append("")
        out += grid.notes
    return out
