"""PDF → text for the parsers: prose lines as printed, ruled tables as tab-separated rows.

The parsers were written for text extracted from PDFs (see ``data/raw/*.txt``): one printed
line per text line, a table as one tab-separated line per row, table titles and ``单位：万元``
on their own lines. This module produces that shape from a PDF's text layer.

Two readers share the assembly below. :func:`read_pdf` takes the characters and ruling edges
from pdfium (:mod:`ingest.pdf_pdfium`, boxes as pdfminer computes them) and finds tables with
pdfplumber's own table functions restated without pdfminer (:mod:`ingest.pdf_tables`);
:func:`read_pdf_pdfplumber` is the former pdfplumber reader, ~10× slower, kept as the test
oracle and for the files the fast reader hands over (rotated or offset pages, files pdfium
cannot open). What they produce:

* characters are grouped into printed lines by how much their vertical extents overlap, not by
  their top coordinate: published PDFs set Latin digits in another font whose baseline sits a
  few points lower (``2024`` next to ``年度部门决算``, ``“`` next to ``三公``), and a top-based
  grouping breaks such a line in two;
* every ruled table (pdfplumber's ``lines`` strategy) becomes one line per row, its cells in
  column order, empty and merged-away cells as empty strings; the text of a wrapped cell is
  joined without a space between CJK characters and with one between Latin letters or digits;
  the glyphs of a cell are found through an index (:class:`GlyphIndex`), not a scan of the
  page;
* double-ruled tables (each cell's frame inset inside an outer frame) are read as printed:
  grid slots narrower than one glyph are no column (:func:`table_columns`), grid rows that
  are only the lower band of taller cells join their printed row, and a text cell cut off by
  a rule of its own joins the cell above;
* a ruled table cut by a page break gets the rule the break left undrawn
  (:func:`ingest.pdf_tables.closing_edges`, for both readers), and its two parts drawn on
  different grids are written on the finer one by x-position (:func:`align_page_breaks`);
* text lines and table rows are put in reading order by their position on the page;
* lines that are only a page number (``- 3 -``, ``第 3 页``, ``3/25``, a bare number in the
  page margin) and running headers/footers repeated in the margins of many pages are dropped,
  so they cannot be read as figures;
* a page without a text layer yields no line; its number is reported in
  ``DecodedText.pages_without_text``.
"""

from __future__ import annotations

import bisect
import contextlib
import gc
import io
import re
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from itertools import groupby
from operator import attrgetter
from typing import Any, NamedTuple

from ingest.read import DecodedText, UnreadableDocument

# Two glyphs belong to one printed line when their vertical extents overlap by at least this
# share of the smaller glyph's height (offset Latin digits overlap ~60%, adjacent lines 0%).
_SAME_LINE_OVERLAP = 0.5
# A horizontal gap wider than this share of the font size is printed as a space.
_SPACE_GAP = 0.25
# The top and bottom bands of a page where page numbers and running headers/footers live.
_MARGIN_BAND = 0.08
# A margin line repeated on at least this many pages (and this share of them) is a running
# header or footer.
_RUNNING_MIN_PAGES = 3
_RUNNING_MIN_SHARE = 0.4

_DASHES = r"[-－—–~～\s]*"
_DECORATED_PAGE_NUMBER = re.compile(
    r"^(?:"
    rf"{_DASHES}[-－—–~～]\s*\d{{1,4}}\s*[-－—–~～]{_DASHES}"  # - 3 -  — 3 —
    r"|第\s*\d{1,4}\s*页(?:\s*[,，/／]?\s*共\s*\d{1,4}\s*页)?"  # 第 3 页 / 第3页 共25页
    r"|\d{1,4}\s*[/／]\s*\d{1,4}"  # 3/25
    r"|(?:page|Page|PAGE)\s*\d{1,4}(?:\s*(?:of|/)\s*\d{1,4})?"  # Page 3 of 25
    r")$"
)
_BARE_PAGE_NUMBER = re.compile(r"^\d{1,4}$")


class Glyph:
    """One character of the text layer with its box (points, origin top-left); its height
    (at least 0.1) and vertical middle are computed once, the line grouping reads them often
    (slots: the fastest attribute reads Python has, faster than a tuple's fields)."""

    __slots__ = ("bottom", "height", "middle", "size", "text", "top", "x0", "x1")

    def __init__(self, text: str, x0: float, x1: float, top: float, bottom: float,
                 size: float) -> None:
        self.text = text
        self.x0 = x0
        self.x1 = x1
        self.top = top
        self.bottom = bottom
        self.size = size
        height = bottom - top
        self.height = 0.1 if height < 0.1 else height  # max(height, 0.1), without the call
        self.middle = (top + bottom) / 2

    def __repr__(self) -> str:
        return (f"Glyph({self.text!r}, x0={self.x0:.2f}, x1={self.x1:.2f}, top={self.top:.2f}, "
                f"bottom={self.bottom:.2f}, size={self.size:.2f})")


def glyphs_from_columns(texts: Sequence[str], x0s: Sequence[float], x1s: Sequence[float],
                        tops: Sequence[float], bottoms: Sequence[float], sizes: Sequence[float]
                        ) -> list[Glyph]:
    """The glyphs of a page from their fields' columns."""
    return list(map(Glyph, texts, x0s, x1s, tops, bottoms, sizes))


class PrintedLine(NamedTuple):
    """One line of the page in reading order: prose text, or a table row (``cells`` set).
    Immutable (a named tuple: built several times faster than a frozen dataclass, and a page
    builds one per printed line)."""

    top: float
    bottom: float
    text: str
    cells: tuple[str, ...] | None = None
    ends_table: bool = False
    # a table row's place on the page: each cell's box (left, right), None for an empty cell,
    # and each column's (left, right) in its table's grid
    spans: tuple[tuple[float, float] | None, ...] | None = None
    grid: tuple[tuple[float, float], ...] | None = None

    @property
    def is_row(self) -> bool:
        return self.cells is not None


# --- glyphs → lines ------------------------------------------------------------------------


def _overlap(a_top: float, a_bottom: float, b_top: float, b_bottom: float) -> float:
    return min(a_bottom, b_bottom) - max(a_top, b_top)


_BY_MIDDLE = attrgetter("middle", "x0")
_BY_X0 = attrgetter("x0")
_BY_BOX = attrgetter("top", "bottom")


def group_lines(glyphs: Iterable[Glyph]) -> list[list[Glyph]]:
    """Glyphs grouped into printed lines (top to bottom), each line left to right.

    A line's band is the extent of its tallest glyph; a glyph joins the line whose band it
    overlaps most (among the last three lines), when that overlap is at least half the
    smaller height.

    Glyphs that follow each other (by middle, then x0) with the same top and bottom (the
    characters of one printed run) are placed at once: each would join the line the first
    joined (its band then overlaps them fully, or, not changed by them, overlaps them as
    it did the first, and no other band changed).
    """
    if not isinstance(glyphs, list):
        glyphs = list(glyphs)
    if len(glyphs) < 2:
        return [glyphs] if glyphs else []
    members: list[list[Glyph]] = []
    bands: list[list[float]] = []  # [top, bottom, height] of the line's tallest glyph
    tops: list[float] = []  # the line's smallest glyph top
    for (g_top, g_bottom), run in groupby(sorted(glyphs, key=_BY_MIDDLE), key=_BY_BOX):
        if g_top != g_top or g_bottom != g_bottom:  # NaN: each glyph on its own, as ever
            for glyph in run:
                _place(glyph, members, bands, tops)
            continue
        glyph = next(run)
        line = _place(glyph, members, bands, tops)
        line.extend(run)  # noqa: B031 - the rest of the run, once
    order = sorted(range(len(members)), key=tops.__getitem__)
    return [sorted(members[n], key=_BY_X0) for n in order]


def _place(glyph: Glyph, members: list[list[Glyph]], bands: list[list[float]],
           tops: list[float]) -> list[Glyph]:
    """:func:`group_lines`' placing of one glyph: it joins a line (or starts one), whose
    members are returned."""
    g_top, g_bottom, g_height = glyph.top, glyph.bottom, glyph.height
    count = len(bands)
    if count:  # the last line first, as below: a full overlap there ends the search
        band = bands[-1]
        top, bottom, height = band
        if (((g_bottom if g_bottom < bottom else bottom) - (g_top if g_top > top else top))
                / (g_height if g_height < height else height)) >= 1.0:
            line = members[-1]
            line.append(glyph)
            if g_height > height:
                band[:] = [g_top, g_bottom, g_height]
            if g_top < tops[-1]:
                tops[-1] = g_top
            return line
    best_share = 0.0
    best = -1
    for index in range(count - 1, count - 4 if count > 3 else -1, -1):
        top, bottom, height = bands[index]
        # (min(bottom) - max(top)) / min(height), spelled out: this is the hot loop
        share = (((g_bottom if g_bottom < bottom else bottom) - (g_top if g_top > top else top))
                 / (g_height if g_height < height else height))
        if share >= _SAME_LINE_OVERLAP and (best < 0 or share > best_share):
            best_share, best = share, index
            if share >= 1.0:  # a full overlap: no earlier line can overlap more
                break
    if best < 0:
        line = [glyph]
        members.append(line)
        bands.append([g_top, g_bottom, g_height])
        tops.append(g_top)
        return line
    line = members[best]
    line.append(glyph)
    band = bands[best]
    if g_height > band[2]:
        band[:] = [g_top, g_bottom, g_height]
    if g_top < tops[best]:
        tops[best] = g_top
    return line


def line_text(glyphs: Sequence[Glyph], cjk_spaces: bool = True) -> str:
    """The glyphs of one line as text, a space where the printed gap is wide.

    With ``cjk_spaces=False`` (table cells) a gap between two CJK characters is not a space:
    cells print short labels spread to the cell's width (``因 公 出 国 （ 境 ） 费用``).
    """
    if not glyphs:
        return ""
    previous = glyphs[0]
    parts: list[str] = [previous.text]
    for glyph in glyphs[1:]:
        size = glyph.size if glyph.size < previous.size else previous.size
        if (glyph.x0 - previous.x1 > _SPACE_GAP * size
                and (cjk_spaces or previous.text.isascii() or glyph.text.isascii())
                and parts[-1] != " "):
            parts.append(" ")
        parts.append(glyph.text)
        previous = glyph
    return "".join(parts).strip()


def _is_latin(ch: str) -> bool:
    return ch.isascii() and ch.isalnum()


def join_wrapped(pieces: Sequence[str]) -> str:
    """The lines of a wrapped cell as one string: no space inside CJK text, one between
    Latin letters or digits."""
    out = ""
    for piece in pieces:
        piece = piece.strip()
        if not piece:
            continue
        if out and _is_latin(out[-1]) and _is_latin(piece[0]):
            out += " "
        out += piece
    return out


# --- tables --------------------------------------------------------------------------------

BBox = tuple[float, float, float, float]


def _inside(glyph: Glyph, box: BBox) -> bool:
    x = (glyph.x0 + glyph.x1) / 2
    y = glyph.middle
    return box[0] <= x <= box[2] and box[1] <= y <= box[3]


class GlyphIndex:
    """The glyphs whose centre lies in a box (edges included), in their original order:
    ``[g for g in glyphs if _inside(g, box)]`` through a sort by centre y and a bisect."""

    def __init__(self, glyphs: Sequence[Glyph]) -> None:
        self.glyphs = glyphs
        by_y = sorted([(g.middle, (g.x0 + g.x1) / 2, n) for n, g in enumerate(glyphs)])
        self._ys = [y for y, _, _ in by_y]
        self._xs = [x for _, x, _ in by_y]
        self._ns = [n for _, _, n in by_y]
        self._by_y = list(zip(self._xs, self._ns, strict=True))
        total = sum(self._ys)  # NaN when a centre is NaN (or inf - inf: then as if)
        self._no_nan = total == total  # (a NaN centre is in no box: looked at one by one)

    def numbers_in(self, box: BBox) -> list[int]:
        """The numbers of the glyphs in ``box``, ascending."""
        start = bisect.bisect_left(self._ys, box[1])
        stop = bisect.bisect_right(self._ys, box[3])
        left, right = box[0], box[2]
        return sorted([n for x, n in self._by_y[start:stop] if left <= x <= right])

    def inside(self, box: BBox) -> list[Glyph]:
        return [self.glyphs[n] for n in self.numbers_in(box)]

    def numbers_in_row(self, boxes: Sequence[BBox | None]) -> list[list[int]]:
        """``numbers_in`` for each box of one table row (boxes side by side): the glyphs of
        the row's band are sorted by x once, each box takes its slice of them."""
        present = [box for box in boxes if box is not None]
        if not present:
            return [[] for _ in boxes]
        band_top = min([box[1] for box in present])
        band_bottom = max([box[3] for box in present])
        y_start = bisect.bisect_left(self._ys, band_top)
        y_stop = bisect.bisect_right(self._ys, band_bottom)
        band = sorted(zip(self._xs[y_start:y_stop], self._ys[y_start:y_stop],
                          self._ns[y_start:y_stop], strict=True))
        xs = [x for x, _, _ in band]
        numbers = [n for _, _, n in band]
        out: list[list[int]] = []
        for box in boxes:
            if box is None:
                out.append([])
                continue
            start = bisect.bisect_left(xs, box[0])
            stop = bisect.bisect_right(xs, box[2])
            top, bottom = box[1], box[3]
            if top <= band_top and bottom >= band_bottom and self._no_nan:  # every y in
                out.append(sorted(numbers[start:stop]))
            else:
                out.append(sorted([n for _, y, n in band[start:stop] if top <= y <= bottom]))
        return out


def cell_text(glyphs: Sequence[Glyph]) -> str:
    if len(glyphs) == 1:  # what the lines of one glyph join to
        return glyphs[0].text.strip()
    top, bottom = glyphs[0].top, glyphs[0].bottom
    if bottom - top >= 0.1:  # glyphs of one band (each overlaps the line fully): one line
        for glyph in glyphs:
            if glyph.top != top or glyph.bottom != bottom:
                break
        else:
            # as group_lines sorts (by middle, then x0): their middles are all the same
            line = sorted(glyphs, key=_BY_X0)
            return join_wrapped([line_text(line, cjk_spaces=False)])
    return join_wrapped([line_text(line, cjk_spaces=False) for line in group_lines(glyphs)])


def table_rows(rows: Sequence[Sequence[BBox | None]], glyphs: Sequence[Glyph] | GlyphIndex
               ) -> list[PrintedLine]:
    """One :class:`PrintedLine` per table row that has any text; cells in column order."""
    index = glyphs if isinstance(glyphs, GlyphIndex) else GlyphIndex(glyphs)
    return _table_rows(rows, [index.numbers_in_row(row) for row in rows], index.glyphs)


def _slot_bounds(rows: Sequence[Sequence[BBox | None]]) -> list[tuple[float, float]]:
    """The (left, right) of each slot of the table's grid: a slot runs from its cells' left
    edge to the next slot's (the last one to the table's right edge)."""
    width = max((len(row) for row in rows), default=0)
    lefts: list[float | None] = [None] * width
    right = 0.0
    for row in rows:
        for index, box in enumerate(row):
            if box is not None:
                if lefts[index] is None:
                    lefts[index] = box[0]
                if box[2] > right:  # max(right, box[2])
                    right = box[2]
    out = []
    for index, left in enumerate(lefts):
        following = next((x for x in lefts[index + 1 :] if x is not None), right)
        out.append((left if left is not None else following, following))
    return out


def _covered(bounds: Sequence[tuple[float, float]], index: int, box: BBox) -> range:
    """The slots a cell starting at slot ``index`` covers: those left of its right edge."""
    last = index
    while last + 1 < len(bounds) and bounds[last + 1][0] < box[2] - 0.5:
        last += 1
    return range(index, last + 1)


def table_columns(rows: Sequence[Sequence[BBox | None]], members: Sequence[Sequence[list[int]]],
                  glyphs: Sequence[Glyph]) -> list[int | None]:
    """Slot → printed column: each grid slot's column in the output row, ``None`` for a slot
    that is dropped.

    Tables drawn with double rules (every header cell inset a few points inside its frame)
    have slots narrower than one character between the real columns; the figures' cells span
    them, so a figure starts in another slot than its header label. A slot narrower than the
    table's median glyph is no column: it is dropped, and a cell starting in it is placed in
    the first wider slot it covers, which is where the label above it stands. A slot that
    some cell's text could not otherwise be placed in is kept. Tables without such slots keep
    every slot.
    """
    width = max((len(row) for row in rows), default=0)
    sizes = sorted(glyphs[n].size for row in members for numbers in row for n in numbers)
    bounds = _slot_bounds(rows)
    if not sizes or not width:
        return list(range(width))
    size = sizes[len(sizes) // 2]
    thin = [right - left < size for left, right in bounds]
    if not any(thin):
        return list(range(width))
    for row, row_members in zip(rows, members, strict=True):
        for index, (box, numbers) in enumerate(zip(row, row_members, strict=True)):
            if box is None or not numbers:
                continue
            if all(thin[k] for k in _covered(bounds, index, box)):
                thin[index] = False  # text with no wider slot to stand in: keep its slot
    out: list[int | None] = []
    column = 0
    for flag in thin:
        out.append(None if flag else column)
        column += 0 if flag else 1
    return out


_FIGURE = re.compile(r"^[-\d.,%\s]+$")


@dataclass
class _GridRow:
    """One row of the table's grid: its text cells as {column: (box, text)} and the boxes
    it holds (``None`` slots are covered by a cell from the left or from above)."""

    cells: dict[int, tuple[BBox, str]]
    boxes: list[BBox]
    middle: float  # the lowest middle of its text lines' glyphs
    # per text cell: its glyphs' left, right, top, bottom and median size (:func:`_ink`;
    # set by :func:`header_cells` on the header rows, the only ones that read it)
    ink: dict[int, tuple[float, float, float, float, float]] = field(default_factory=dict)
    # per text cell: its glyphs
    glyphs: dict[int, list[Glyph]] = field(default_factory=dict)


    @property
    def top(self) -> float:
        return min(box[1] for box in self.boxes)

    @property
    def bottom(self) -> float:
        return max(box[3] for box in self.boxes)


def _continues(above: _GridRow, row: _GridRow) -> bool:
    """True when ``row`` is the lower part of the printed row ``above``: every text cell of
    ``above`` reaches down past the glyphs of ``row`` (the row is only a band of the taller
    cells' height, cut by the rules of a shorter cell), and ``row`` prints only where
    ``above`` has nothing.
    Double-ruled tables inset each cell's frame differently, so a figure can sit in a grid
    row of its own beside its code and name, or a name beside the figure of the row."""
    return all(box[3] > row.middle for box, _ in above.cells.values()) \
        and not set(above.cells) & set(row.cells)


def _wraps(above: _GridRow, row: _GridRow) -> bool:
    """True when ``row`` is only the wrapped end of text cells of ``above``, cut off by a rule:
    it holds no box but its text cells, each under a text cell of ``above`` of the same width
    that ends where it starts, and no figure."""
    if len(row.boxes) != len(row.cells):
        return False
    for column, (box, text) in row.cells.items():
        if column not in above.cells or _FIGURE.match(text):
            return False
        upper, upper_text = above.cells[column]
        if _FIGURE.match(upper_text) or abs(upper[0] - box[0]) > 1 or abs(upper[2] - box[2]) > 1 \
                or abs(upper[3] - box[1]) > 1:
            return False
    return True


_EDGE = 1.0  # points: two box edges this close are one rule


def _wrapped(upper: _GridRow, lower: _GridRow, column: int) -> bool:
    """The text of ``lower``'s cell continues ``upper``'s: one cell's text cut by a rule that
    neighbouring cells draw. The pieces have the same left and right, the lower starts where
    the upper ends, the upper's text runs across its box (within a glyph and a half) and the
    lines are as close as the lines of one paragraph (less than 0.8 glyph apart) —
    two cells of their own centre their text, far apart."""
    box, _ = upper.cells[column]
    below, _ = lower.cells[column]
    if abs(box[0] - below[0]) > _EDGE or abs(box[2] - below[2]) > _EDGE \
            or abs(box[3] - below[1]) > _EDGE:
        return False
    if column not in upper.ink or column not in lower.ink:
        return False
    left, right, _, bottom, size = upper.ink[column]
    top = lower.ink[column][2]
    return right - left >= box[2] - box[0] - 1.5 * size and top - bottom < 0.8 * size


def _ink(cell: Sequence[Glyph]) -> tuple[float, float, float, float, float]:
    """The cell's glyphs' left, right, top, bottom and median size."""
    sizes = sorted([g.size for g in cell])
    return (min([g.x0 for g in cell]), max([g.x1 for g in cell]),
            min([g.top for g in cell]), max([g.bottom for g in cell]), sizes[len(sizes) // 2])


def header_cells(rows: Sequence[_GridRow], grid: Sequence[tuple[float, float]]
                 ) -> tuple[list[_GridRow], dict[int, dict[int, list[int]]]]:
    """The header of a ruled table (its rows above the first row holding a figure) as the
    printed path of its header cells.

    * A header cell's text wrapped inside its cell but cut into grid rows by the rules of
      neighbouring cells (因公出 / 国（境） / 费 under one another: see :func:`_wrapped`) is
      one text, in the piece's first row; a row left without text is dropped.
    * A header cell drawn over several columns with header cells of its own below them
      (“三公”经费 over 小计 … 公务接待费, 公务用车购置及运行维护费 over its three) is a group.
      When the column right of it has no text in the group's row nor above, but a header
      cell below (会议费 merged down, its text lower in the cell), the text would read as
      spanning that column too: such a group is returned as {row: {column: other columns it
      covers}} and its text is printed over each of them (``tables.column_labels`` then
      ends it there).

    Nothing changes without a figure row below, so text-only grids are left as they are.
    """
    first = next((n for n, row in enumerate(rows)
                  if any(_FIGURE.match(text) for _, text in row.cells.values())), None)
    if not first or first < 2:
        return list(rows), {}
    head = [_GridRow(dict(r.cells), list(r.boxes), r.middle,
                     {column: _ink(cell) for column, cell in r.glyphs.items()})
            for r in rows[:first]]
    for upper_number, upper in enumerate(head):
        for column in sorted(upper.cells):
            for lower in head[upper_number + 1 :]:
                if column not in lower.cells:
                    continue  # a row of the neighbours' grid: the piece may be further down
                if not _wrapped(upper, lower, column):
                    break
                box, text = upper.cells[column]
                below, rest = lower.cells[column]
                upper.cells[column] = ((box[0], box[1], box[2], below[3]),
                                       join_wrapped([text, rest]))
                left, right, top, _, size = upper.ink[column]
                lower_ink = lower.ink[column]
                upper.ink[column] = (left, max(right, lower_ink[1]), top, lower_ink[3], size)
                del lower.cells[column]
                del lower.ink[column]
    head = [row for row in head if row.cells]
    groups: dict[int, dict[int, list[int]]] = {}
    for number, row in enumerate(head):
        for column, (box, _) in row.cells.items():
            covered = [j for j, (left, right) in enumerate(grid)
                       if j != column and left >= box[0] - _EDGE and right <= box[2] + _EDGE]
            if not covered:
                continue
            under = {j for lower in head[number + 1 :] for j in lower.cells
                     if j == column or j in covered}
            beside = max(covered) + 1  # the column right of the group
            if len(under) >= 2 and beside < len(grid) \
                    and not any(beside in other.cells for other in head[: number + 1]) \
                    and any(beside in lower.cells for lower in head[number + 1 :]):
                # only then would the column beside read as part of the group
                groups.setdefault(number, {})[column] = covered
    return head + list(rows[first:]), groups


def _table_rows(rows: Sequence[Sequence[BBox | None]], members: Sequence[Sequence[list[int]]],
                glyphs: Sequence[Glyph]) -> list[PrintedLine]:
    columns = table_columns(rows, members, glyphs)
    bounds = _slot_bounds(rows)
    width = 1 + max((c for c in columns if c is not None), default=-1)
    grid: list[_GridRow] = []
    for row, row_members in zip(rows, members, strict=True):
        boxes = [box for box in row if box is not None]
        if not boxes:
            continue
        cells: dict[int, tuple[BBox, str]] = {}
        cell_glyphs: dict[int, list[Glyph]] = {}
        middle = 0.0
        for index, (box, numbers) in enumerate(zip(row, row_members, strict=True)):
            if box is None or not numbers:
                continue
            for k in _covered(bounds, index, box):  # the first covered slot that is a column
                target = columns[k]
                if target is not None:
                    break
            else:
                raise StopIteration  # as next() of an empty search did
            cell = [glyphs[n] for n in numbers]
            text = cell_text(cell)
            if text:
                cells[target] = (box, text)
                middle = max(middle, max([g.middle for g in cell]))
                cell_glyphs[target] = cell
        if cells:
            grid.append(_GridRow(cells, boxes, middle, glyphs=cell_glyphs))
    merged: list[_GridRow] = []
    for row in grid:
        above = merged[-1] if merged else None
        if above is not None and _continues(above, row):
            merged[-1] = _GridRow({**above.cells, **row.cells}, above.boxes + row.boxes,
                                  row.middle, glyphs={**above.glyphs, **row.glyphs})
        elif above is not None and _wraps(above, row):
            joined = dict(above.cells)
            for column, (box, text) in row.cells.items():
                upper, upper_text = joined[column]
                joined[column] = ((upper[0], upper[1], upper[2], box[3]),
                                  join_wrapped([upper_text, text]))
            merged[-1] = _GridRow(joined, above.boxes + row.boxes, row.middle,
                                  glyphs=above.glyphs)
        else:
            merged.append(row)
    grid_x = tuple(bounds[k] for k, column in enumerate(columns) if column is not None)
    merged, groups = header_cells(merged, grid_x)
    out: list[PrintedLine] = []
    for number, row in enumerate(merged):
        texts = [""] * width  # "" where no text, or a cell merged from the left or above covers
        spans: list[tuple[float, float] | None] = [None] * width
        for column, (box, text) in row.cells.items():
            texts[column] = text
            spans[column] = (box[0], box[2])
        printed = list(texts)
        for column, covered in groups.get(number, {}).items():
            for other in covered:
                printed[other] = texts[column]  # a group header: its text over each column
        out.append(PrintedLine(row.top, row.bottom, "\t".join(printed), tuple(texts),
                               spans=tuple(spans), grid=grid_x))
    if out:
        out[-1] = out[-1]._replace(ends_table=True)
    return out


# --- one page ------------------------------------------------------------------------------


_UNMAPPED = re.compile(r"^\(cid:\d+\)$")


def glyphs_of(chars: Iterable[dict[str, Any]]) -> tuple[list[Glyph], int]:
    """The visible characters of a page as glyphs, and how many had no Unicode mapping
    (pdfminer prints those as ``(cid:123)``; they are left out)."""
    out: list[Glyph] = []
    unmapped = 0
    for char in chars:
        text = char.get("text", "")
        if not text or not text.strip():
            continue
        if _UNMAPPED.match(text):
            unmapped += 1
            continue
        out.append(
            Glyph(
                text=text,
                x0=float(char["x0"]),
                x1=float(char["x1"]),
                top=float(char["top"]),
                bottom=float(char["bottom"]),
                size=float(char.get("size") or (char["bottom"] - char["top"])),
            )
        )
    return out, unmapped


def _text_lines(glyphs: Sequence[Glyph]) -> list[PrintedLine]:
    out = []
    for line in group_lines(glyphs):
        text = line_text(line)
        if text:
            out.append(PrintedLine(min([g.top for g in line]), max([g.bottom for g in line]),
                                   text))
    return out


def page_lines(glyphs: Sequence[Glyph], tables: Sequence[tuple[BBox, Sequence[Sequence[BBox | None]]]]
               ) -> list[PrintedLine]:
    """Text lines outside the tables and the tables' rows, in reading order (top to bottom)."""
    if not tables:
        return sorted(_text_lines(glyphs), key=lambda item: item.top)
    index = GlyphIndex(glyphs)
    in_tables: set[int] = set()
    for bbox, _ in tables:
        in_tables.update(index.numbers_in(bbox))
    items = _text_lines([g for n, g in enumerate(glyphs) if n not in in_tables])
    for bbox, rows in tables:
        members = [index.numbers_in_row(row) for row in rows]
        items.extend(_table_rows(rows, members, glyphs))
        # text inside the table's frame but in no cell (a caption between rulings) is kept
        in_cells = {n for row_members in members for numbers in row_members for n in numbers}
        items.extend(_text_lines([glyphs[n] for n in index.numbers_in(bbox) if n not in in_cells]))
    # rows keep their table order; a text line sorts by its top against the rows' tops
    return sorted(items, key=lambda item: item.top)


def _read_page(page: Any) -> list[PrintedLine]:
    """The page's lines; none when it has no text layer (or one without character mapping)."""
    page = page.dedupe_chars()
    glyphs, unmapped = glyphs_of(page.chars)
    if not glyphs or unmapped > len(glyphs):
        return []
    from ingest.pdf_tables import closing_edges

    fields = ("x0", "top", "x1", "bottom", "width", "height", "orientation")
    closing = closing_edges(tuple(edge[f] for f in fields) for edge in page.edges)
    settings = {"explicit_horizontal_lines": [
        {**dict(zip(fields, edge, strict=True)), "object_type": "closing_edge"}
        for edge in closing
    ]} if closing else {}
    tables = [
        (tuple(table.bbox), [tuple(row.cells) for row in table.rows])
        for table in page.find_tables(table_settings=settings)
    ]
    return page_lines(glyphs, tables)  # type: ignore[arg-type]


# --- page numbers and running headers ------------------------------------------------------


def is_page_number(text: str) -> bool:
    """A line that is only a page number in a decorated form (``- 3 -``, ``第3页``, ``3/25``)."""
    return bool(_DECORATED_PAGE_NUMBER.match(text.strip()))


def _in_margin(line: PrintedLine, height: float) -> bool:
    return line.top >= height * (1 - _MARGIN_BAND) or line.bottom <= height * _MARGIN_BAND


def _running_key(text: str) -> str:
    return re.sub(r"\d+", "#", re.sub(r"\s+", "", text))


def drop_page_furniture(pages: Sequence[tuple[float, list[PrintedLine]]]) -> list[list[PrintedLine]]:
    """Each page's lines without page numbers and running headers/footers.

    ``pages`` holds (page height, lines). A decorated page number is dropped wherever it
    stands; a bare number only when it is the first or last text line of its page and stands
    in the top or bottom margin band. A text line in the margin band whose wording (digits
    aside) repeats in the margins of several pages is a running header or footer.
    """
    margin_keys: Counter[str] = Counter()
    for height, lines in pages:
        keys = {_running_key(line.text) for line in lines
                if not line.is_row and _in_margin(line, height)}
        margin_keys.update(keys)
    with_text = sum(1 for _, lines in pages if lines)
    running = {
        key for key, count in margin_keys.items()
        if count >= _RUNNING_MIN_PAGES and count >= _RUNNING_MIN_SHARE * with_text
    }
    out: list[list[PrintedLine]] = []
    for height, lines in pages:
        text_lines = [line for line in lines if not line.is_row]
        edges = {id(text_lines[0]), id(text_lines[-1])} if text_lines else set()
        kept: list[PrintedLine] = []
        for line in lines:
            if not line.is_row:
                if is_page_number(line.text):
                    continue
                if (
                    _BARE_PAGE_NUMBER.match(line.text)
                    and id(line) in edges
                    and _in_margin(line, height)
                ):
                    continue
                if _in_margin(line, height) and _running_key(line.text) in running:
                    continue
            kept.append(line)
        out.append(kept)
    return out


# --- tables continued over a page break ---------------------------------------------------

# Two grids are one table's when their outer edges lie this close (points).
_SAME_EDGE = 3.0


def _on_grid(line: PrintedLine, grid: Sequence[tuple[float, float]]) -> PrintedLine | None:
    """The row re-expressed on a finer grid of the same table: each text cell goes to the
    first column of ``grid`` it covers. None when a cell covers no column, cuts a column in
    part, or two cells would share one."""
    assert line.cells is not None and line.spans is not None
    texts = [""] * len(grid)
    spans: list[tuple[float, float] | None] = [None] * len(grid)
    last = -1
    for text, span in zip(line.cells, line.spans, strict=True):
        if not text:
            continue
        if span is None:
            return None
        inside = []
        for index, (left, right) in enumerate(grid):
            share = (min(right, span[1]) - max(left, span[0])) / max(right - left, 0.1)
            if share >= 0.8:
                inside.append(index)
            elif share > 0.2:
                return None  # the cell cuts this column: the grids do not nest
        if not inside or inside[0] <= last:
            return None
        last = inside[0]
        texts[last], spans[last] = text, span
    return line._replace(text="\t".join(texts), cells=tuple(texts), spans=tuple(spans),
                         grid=tuple(grid))


def align_page_breaks(pages: Sequence[list[PrintedLine]]) -> list[list[PrintedLine]]:
    """A table cut by a page break whose two parts are drawn on different ruled grids (a
    header cell merged over columns on one page, the columns on the next) is written on one
    grid: the rows of the coarser part go to the columns of the finer part by their position
    on the page, when the two parts share their outer edges and every cell of the coarser
    part covers whole columns of the finer one. Otherwise both parts stay as they are."""
    out = [list(lines) for lines in pages]
    for number in range(len(out) - 1):
        before, after = out[number], out[number + 1]
        if not before or not after or not before[-1].is_row or not after[0].is_row:
            continue
        upper_grid, lower_grid = before[-1].grid, after[0].grid
        if not upper_grid or not lower_grid or upper_grid == lower_grid:
            continue
        if abs(upper_grid[0][0] - lower_grid[0][0]) > _SAME_EDGE \
                or abs(upper_grid[-1][1] - lower_grid[-1][1]) > _SAME_EDGE:
            continue
        upper = len(before)
        while upper > 0 and before[upper - 1].is_row and before[upper - 1].grid == upper_grid:
            upper -= 1
        lower = 0
        while lower < len(after) and after[lower].is_row and after[lower].grid == lower_grid:
            lower += 1
        if len(upper_grid) < len(lower_grid):
            lines, grid, place = before[upper:], lower_grid, (before, upper)
        elif len(lower_grid) < len(upper_grid):
            lines, grid, place = after[:lower], upper_grid, (after, 0)
        else:
            continue
        moved = [_on_grid(line, grid) for line in lines]
        if any(line is None for line in moved):
            continue
        target, start = place
        target[start : start + len(moved)] = moved  # type: ignore[assignment]
    return out


# --- the document --------------------------------------------------------------------------


def assemble(pages: Sequence[Sequence[PrintedLine]], has_text: Sequence[bool]) -> DecodedText:
    """Lines of all pages as one text; a blank line follows each table so that two tables
    printed one under the other stay apart."""
    out: list[str] = []
    starts: list[int] = []
    for lines in pages:
        starts.append(len(out) + 1)
        for line in lines:
            out.append(line.text)
            if line.ends_table:
                out.append("")
    without = tuple(number for number, flag in enumerate(has_text, start=1) if not flag)
    return DecodedText(
        text="\n".join(out),
        encoding="pdf",
        page_starts=tuple(starts),
        pages_without_text=without,
    )


def _why_unreadable(exc: BaseException) -> str:
    inner = exc.args[0] if exc.args and isinstance(exc.args[0], BaseException) else exc
    name = type(inner).__name__
    if "Password" in name or "Encrypt" in name:
        return _ENCRYPTED
    return (
        f"is not a readable PDF ({name}: {inner}); the file is corrupted or truncated — "
        "re-download it from the publisher"
    )


def _no_text_layer(pages: int) -> str:
    return (
        f"has no readable text layer on any of its {pages} page(s) (a scan, or fonts "
        "without character mapping); run OCR on it and add the text (.txt) or the OCR'd "
        "PDF instead"
    )


_ENCRYPTED = (
    "is an encrypted PDF that cannot be opened without a password; ask the publisher "
    "for an unprotected copy or save it unprotected (print to PDF) and add that file"
)
_NO_PAGES = "is a PDF without pages; re-download it"


@contextlib.contextmanager
def _collector_paused() -> Iterator[None]:
    """Python's cyclic garbage collector off for the block (on again after it, if it was).

    Reading a PDF allocates some hundred thousand small objects (glyphs, edges, cells) and
    makes no reference cycle; each collection the allocations trigger walks every tracked
    object of the process to find none (5 % of the reader's time, more in a process holding
    many objects). Memory is still freed as usual, by reference counting.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def read_pdf(data: bytes, source: str) -> DecodedText:
    """The PDF's text as the parsers expect it (read with pdfium). Raises
    :class:`UnreadableDocument`.

    A document with a rotated page, or a page whose boxes do not start at the origin, is
    read with :func:`read_pdf_pdfplumber` (whose coordinates the assembly was written for),
    and so is one pdfium cannot open (other than for a password) or fails on midway: one odd
    file costs time, never a document. The garbage collector is paused meanwhile
    (:func:`_collector_paused`).
    """
    with _collector_paused():
        return _read_pdf(data, source)


def _read_pdf(data: bytes, source: str) -> DecodedText:
    from ingest import pdf_pdfium as pdfium
    from ingest.pdf_tables import page_tables

    pages: list[tuple[float, list[PrintedLine]]] = []
    has_text: list[bool] = []
    try:
        doc = pdfium.open_document(data)
    except pdfium.PdfOpenError as exc:
        if exc.password:
            raise UnreadableDocument(source, _ENCRYPTED) from exc
        # pdfium cannot open it: pdfminer may (it is lenient with some damage), and if it
        # cannot either it says why (no pages, truncated, not a PDF) as it always did
        return read_pdf_pdfplumber(data, source)
    try:
        if len(doc) == 0:
            raise UnreadableDocument(source, _NO_PAGES)
        for content in pdfium.read_pages(doc, glyphs_from_columns):
            glyphs = content.chars
            lines: list[PrintedLine] = []
            if glyphs and content.unmapped <= len(glyphs):
                lines = page_lines(glyphs, page_tables(content.edges))
            pages.append((content.height, lines))
            has_text.append(bool(lines))
    except UnreadableDocument:
        raise
    except Exception:  # a rotated page, a page pdfium cannot load, a surprise
        # in a damaged file: pdfminer reads it or says why, as it always did
        return read_pdf_pdfplumber(data, source)
    finally:
        doc.close()
    if not any(has_text):
        raise UnreadableDocument(source, _no_text_layer(len(has_text)))
    return assemble(align_page_breaks(drop_page_furniture(pages)), has_text)


def read_pdf_pdfplumber(data: bytes, source: str) -> DecodedText:
    """The same text read with pdfplumber (pdfminer): ~20× slower, kept as the oracle the
    fast reader is tested against, and for pages the fast reader does not take."""
    import pdfplumber  # imported here: slow to import

    pages: list[tuple[float, list[PrintedLine]]] = []
    has_text: list[bool] = []
    try:
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            if not pdf.pages:
                raise UnreadableDocument(source, _NO_PAGES)
            for page in pdf.pages:
                lines = _read_page(page)
                pages.append((float(page.height), lines))
                has_text.append(bool(lines))
                page.close()
    except UnreadableDocument:
        raise
    except Exception as exc:  # pdfminer raises many types for broken or protected files
        raise UnreadableDocument(source, _why_unreadable(exc)) from exc
    if not any(has_text):
        raise UnreadableDocument(source, _no_text_layer(len(has_text)))
    return assemble(align_page_breaks(drop_page_furniture(pages)), has_text)
