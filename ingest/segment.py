"""Split a document's lines into prose and table blocks.

A table starts at a label (附件 3, 表七), a title (…部门收入总表) or simply at the first
tab-separated line; its 单位 line sets the unit. A page break inside a table repeats the title
and the 单位 line: those repeats are recognised here and do not open a new table. Tab lines that
follow a blank line but change the table's shape completely (a table whose title and header
were lost) open a new, untitled block.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import islice

from ingest import traditional
from ingest.blocks import Line, TableBlock
from ingest.char_classes import SPACE_BUT_TAB, find
from ingest.table_kinds import (
    COMPILER_LINE,
    UNIDENTIFIED,
    looks_like_table_title,
    recognise_title,
)

_CODE_DIGITS = re.compile(r"\d{3}(?:\d{2}){0,2}")
_FILLED_BY = re.compile(r"^填报单位")
_SIGNED_NUMBER = re.compile(r"-?\d+(?:\.\d+)?")
_SPACES = re.compile(r"\s+")

_LABEL = re.compile(
    r"^(附件|附表)\s*\d+\s*$|^表\s*[一二三四五六七八九十百\d]+\s*$|^公开\s*\d+\s*表\s*$"
)
_LABEL_WITH_TITLE = re.compile(
    r"^((?:附件|附表)\s*\d+|表\s*[一二三四五六七八九十]+|公开\s*\d+\s*表)[\s:：、.]*(\S.*)$"
)
# 单位：万元 / 金额单位：元 / （单位：万元） / 单位:元 — a unit named after its colon
_UNIT_SPEC = re.compile(r"[（(]?\s*(?:金额)?单\s*位\s*[:：]\s*(万元|元)(?![\u4e00-\u9fff])\s*[）)]?")
_UNIT_LINE = re.compile(r"^[（(]?\s*(?:金额)?单\s*位\s*[:：]\s*(万元|元)?\s*[）)]?$")
# 单位：万 whose 元 wrapped into the same column of the next ruled row
_UNIT_HEAD = re.compile(r"^[（(]?\s*(?:金额)?单\s*位\s*[:：]\s*万$")
# the most characters of a compiler's (COMPILER_LINE's) name wrapped into the next ruled
# row: any part of a long name (a narrow cell wraps early, a wide one late); a table title
# there is no name
_NAME_REST = 40
_NOTE = re.compile(r"^[（(]?\s*(备注|注|说明)\s*[:：]")
# a line every tab cell of which, stripped, is only rule characters (^[-—=_]*$), in one match
_SEPARATOR_ROW = re.compile(r"[^\S\t]*[-—=_]*[^\S\t]*(?:\t[^\S\t]*[-—=_]*[^\S\t]*)*\Z")


@dataclass(frozen=True)
class TitleBlock:
    """What a title-block line states: any of label, title, compiler (部门：X) and unit."""

    label: str
    title: str
    unit: str  # '万元' | '元' | '' when the line names none
    issuer: bool  # a 部门：/编制单位： part was printed
    unit_conflict: bool = False  # two different units on one line


_DECIMAL = re.compile(r"\d+\.\d+")
_DIGIT = re.compile(r"\d")
# how a label starts (附件 3, 附表 3, 表七, 公开 3 表)
_LABEL_FIRST = "附表公"


def _is_figures_row(text: str) -> bool:
    """A line (no line break in it) holding a decimal (\\d.\\d) and two cells that hold text:
    text, a tab after it, text after that tab — a tab inside the stripped line (``\\s`` and
    str.strip's white space are the same characters)."""
    return "\t" in text and "\t" in text.strip() and _has_digit_point(text)


def _has_digit_point(text: str) -> bool:
    """Whether ``text`` holds \\d.\\d (``re.search(r"\\d\\.\\d", text)``: ``\\d`` is
    str.isdecimal), found from point to point without a regular expression's call."""
    at = text.find(".", 1)
    last = len(text) - 1
    while 0 < at < last:
        if text[at - 1].isdecimal() and text[at + 1].isdecimal():
            return True
        at = text.find(".", at + 1)
    return False


def _maybe_title_block(text: str, first: str, after_issuer: bool) -> bool:
    """False when :func:`title_block` of a line whose first printed character is ``first``
    returns None for sure: it reads a unit spec or a compiler (部门：X) — both after a colon —,
    a label (the compacted line starts with it), or, right after a compiler line, that
    compiler's wrapped name."""
    return after_issuer or first in _LABEL_FIRST or "：" in text or ":" in text


def _maybe_scaffolding(stripped: str) -> bool:
    """False when a (stripped, non-empty) line without a tab is prose for sure: every other
    reading in _segment needs a title block (see _maybe_title_block), a label, a 填报单位 line
    (its first character), a 单位 line or a note (a colon), or a title — which holds 表 and
    ends in 表 or in the bracket of a note after it."""
    return (_maybe_title_block(stripped, stripped[0], False) or stripped[0] == "填"
            or (stripped[-1] in "表)）" and "表" in stripped))


@lru_cache(maxsize=1 << 14)  # a pure function of the line (documents share their scaffolding)
def title_block(text: str, after_issuer: bool = False) -> TitleBlock | None:
    """Parse ``[label] [title] [部门：X] [单位：万元]`` (any of them, in one line or cell run).

    None when the line is something else (prose, a header, a row). A line that only names the
    compiler (部门：X) is returned with ``issuer`` set and no title or unit.

    >>> title_block("收支预算总表部门：江苏省某某办公厅单位：万元")
    TitleBlock(label='', title='收支预算总表', unit='万元', issuer=True, unit_conflict=False)
    >>> title_block("编制单位：某某局  金额单位：元").unit
    '元'
    """
    if _DECIMAL.search(text):
        return None  # (the decimal survives compacting and the unit spec's removal below)
    compact = _compact(text)
    if not compact:
        return None
    spec = "单" in compact  # every unit spec holds 单
    rest = _UNIT_SPEC.sub("", compact) if spec else compact
    if _DECIMAL.search(rest):
        return None
    units = {m.group(1) for m in _UNIT_SPEC.finditer(compact)} if spec else set()
    issuer = COMPILER_LINE.search(rest) if "：" in rest or ":" in rest else None  # (it holds one)
    if issuer is not None:
        rest = rest[: issuer.start()]
    label = ""
    bare = _LABEL.match(rest)
    if bare:
        label, rest = rest, ""
    else:
        with_title = _LABEL_WITH_TITLE.match(rest)
        if with_title and looks_like_table_title(with_title.group(2)):
            label, rest = with_title.group(1), with_title.group(2)
    if rest and after_issuer and not label and len(rest) <= _NAME_REST \
            and not _DIGIT.search(rest) and not looks_like_table_title(rest):
        return TitleBlock(label="", title="", unit=next(iter(units)) if len(units) == 1 else "",
                          issuer=True, unit_conflict=len(units) > 1)  # the wrapped 部门：name
    if rest and not looks_like_table_title(rest):
        return None
    if not units and issuer is None and not (label and rest):
        return None  # a bare title or label: the callers' own rules read those
    return TitleBlock(
        label=label,
        title=rest,
        unit=next(iter(units)) if len(units) == 1 else "",
        issuer=issuer is not None,
        unit_conflict=len(units) > 1,
    )


@dataclass
class Segmented:
    prose: list[int] = field(default_factory=list)  # line numbers of prose lines
    blocks: list[TableBlock] = field(default_factory=list)
    scaffolding: list[int] = field(default_factory=list)  # labels, titles, 单位 lines, notes


def _compact(text: str) -> str:
    """``text`` without white space (``re.sub(r"\\s+", "", text)``: ``\\s`` is ``str.isspace``)."""
    return "".join(text.split())


def _width(line: Line) -> int:
    """Cells in the row as printed, trailing empty cells included (they carry the shape)."""
    return line.text.count("\t") + 1  # = len(line.cells)


def _looks_like_data(line: Line) -> bool:
    cells = [c for c in line.cells if c]
    return bool(cells) and bool(_CODE_DIGITS.fullmatch(cells[0])) and any(
        _SIGNED_NUMBER.fullmatch(c) for c in cells[1:]
    )


class _Builder:
    def __init__(self, document_id: str) -> None:
        self.document_id = document_id
        self.result = Segmented()
        self.block: TableBlock | None = None
        self.pending_label: tuple[int, str] | None = None
        self.blank_since_row = False
        self.last_issuer = 0  # line of the last 部门：X line read as scaffolding
        # the row widths of the current block's first ``_widths_of[1]`` lines (_shape_break)
        self._widths_of: tuple[TableBlock | None, int] = (None, 0)
        self._widths: set[int] = set()

    def _new_block(self, title: str, title_line: int) -> TableBlock:
        kind = recognise_title(title) if title else None
        label = ""
        if self.pending_label is not None:
            label = self.pending_label[1]
            self.pending_label = None
        block = TableBlock(
            document_id=self.document_id,
            table_id=len(self.result.blocks) + 1,
            kind=kind or UNIDENTIFIED,
            identified_by="title" if kind else "none",
            label=label,
            title=title,
            title_line=title_line,
            unit="",
        )
        self.result.blocks.append(block)
        self.block = block
        self.blank_since_row = False
        return block

    def close(self) -> None:
        if self.block is not None and not self.block.lines:
            # A title with no rows (a heading that reads like a title): it is prose.
            self.result.blocks.pop()
            if self.block.title_line:
                self.result.scaffolding.remove(self.block.title_line)
                self.result.prose.append(self.block.title_line)
        self.block = None

    def title(self, number: int, title: str) -> None:
        block = self.block
        if (
            block is not None
            and block.title
            and _compact(block.title) == _compact(title)
            and not block.kind.startswith("performance")  # one title per project table
        ):
            block.page_breaks.append(number)  # the title repeated after a page break
            self.result.scaffolding.append(number)
            return
        self.close()
        self.result.scaffolding.append(number)
        self._new_block(title, number)

    def unit(self, number: int, unit: str, source: str = "unit line") -> None:
        if number not in self.result.scaffolding:
            self.result.scaffolding.append(number)
        if self.block is None:
            self._new_block("", 0)
        assert self.block is not None
        block = self.block
        if not unit or block.lines:
            return
        if block.unit and block.unit != unit:
            block.unit_problem = (
                f"unit stated twice differently ({block.unit} by the {block.unit_source}, "
                f"{unit} by the {source} on line {number})"
            )
            block.unit, block.unit_source = "", ""
        elif not block.unit_problem:
            block.unit, block.unit_source = unit, source

    def _above_rows(self) -> bool:
        """A line here stands above the current table's rows: none came yet, or none since
        its title was printed again at a page break (the title block repeated with it)."""
        block = self.block
        return block is not None and (not block.lines or bool(
            block.page_breaks and block.page_breaks[-1] > block.lines[-1].number))

    def title_block(self, number: int, found: TitleBlock, text: str) -> bool:
        """Apply a title-block line; False when it is not scaffolding here (prose)."""
        if found.title:
            if found.label:
                self.close()
                self.pending_label = (number, _SPACES.sub(" ", found.label))
            self.title(number, found.title)
        elif found.label:
            self.close()
            self.pending_label = (number, _SPACES.sub(" ", found.label))
            self.result.scaffolding.append(number)
        elif not found.unit and not found.unit_conflict:
            # 部门：X alone: scaffolding only right above a table's rows (or above the rows
            # after its title printed again at a page break)
            # (_above_rows: there is a block)
            if not self._above_rows() or self.block.kind.startswith(  # type: ignore[union-attr]
                    "performance"):
                return False  # (a performance table reads its own 填报单位 row)
            self.last_issuer = number
            self.result.scaffolding.append(number)
            return True
        if found.unit_conflict:
            if self.block is None:
                self._new_block("", 0)
            assert self.block is not None
            self.block.unit, self.block.unit_source = "", ""
            self.block.unit_problem = f"two different units on line {number}"
            if number not in self.result.scaffolding:
                self.result.scaffolding.append(number)
        elif found.unit:
            self.unit(number, found.unit, "title" if found.title else
                      ("issuer line" if found.issuer else "unit line"))
            if found.issuer and not found.title and "\t" in text and self._above_rows():
                # 部门：X\t…\t单位：万元, a ruled row: X wraps into the next ruled row as well
                self.last_issuer = number
        elif number not in self.result.scaffolding:
            self.result.scaffolding.append(number)
        return True

    def row(self, line: Line) -> None:
        block = self.block
        if block is None:
            block = self._new_block("", 0)
        elif block.lines and self.blank_since_row and self._shape_break(block, line):
            self.close()
            block = self._new_block("", 0)
            block.identified_by = "none"
        block.lines.append(line)
        self.blank_since_row = False

    def _shape_break(self, block: TableBlock, line: Line) -> bool:
        """A code row whose width differs by 3+ cells from every row so far (the widths, a
        count of tabs, tested first: most rows are as wide as one before)."""
        known, counted = self._widths_of
        if known is not block or counted > len(block.lines):
            known, counted = block, 0
            self._widths = set()
        widths = self._widths
        widths.update([previous.text.count("\t") + 1 for previous in block.lines[counted:]])
        self._widths_of = (block, len(block.lines))
        width = _width(line)
        return all(abs(width - other) >= 3 for other in widths) and _looks_like_data(line)


def wrapped_unit(cells: Sequence[str], following: str | None) -> int | None:
    """The column of a unit cut in two cells by a wrap: a ruled row whose only cell is
    ``单位：万`` and the next ruled row holding ``元`` in the same column (the rest of that row,
    a 部门名称 line, is read as it stands). None otherwise."""
    filled = [c for c in cells if c]
    if len(filled) != 1 or not _UNIT_HEAD.match(filled[0]) or following is None \
            or "\t" not in following:
        return None
    index = list(cells).index(filled[0])
    below = following.split("\t")
    return index if index < len(below) and below[index].strip() == "元" else None


@dataclass(frozen=True)
class _RuledRow:
    """What the segmenter reads from a tab line that is not a figure row, the line alone."""

    cells: tuple[str, ...]  # stripped
    filled: tuple[str, ...]  # the cells holding text
    no_decimal: bool  # title_block's own first test (a decimal no tab or strip can cut)
    maybe_title_block: bool  # _maybe_title_block without after_issuer, and no decimal
    ruled_title: bool  # one filled cell, a table title
    unit_line: bool  # the first filled cell a 单位 line, every cell after it empty
    unit: str  # its unit ('' when none is named)
    separator: bool  # _SEPARATOR_ROW


@lru_cache(maxsize=1 << 12)  # a pure function of the line: the header rows of one template
def _ruled_row(text: str) -> _RuledRow:  # recur in all its documents (668 texts in 18,519)
    """The tests _segment makes on a ruled row that depend on its text only, in its words:
    title_block is asked when ``maybe_title_block`` or (right after a compiler line) when
    ``no_decimal`` (as ``_maybe_title_block(text, first, after_issuer)`` and no decimal)."""
    if find(SPACE_BUT_TAB, text) >= 0:
        cells = tuple([c.strip() for c in text.split("\t")])
    else:
        cells = tuple(text.split("\t"))  # no white space to strip
    filled = tuple([c for c in cells if c])
    first = filled[0]
    no_decimal = _DECIMAL.search(text) is None
    unit_match = _UNIT_LINE.match(first)
    return _RuledRow(
        cells=cells,
        filled=filled,
        no_decimal=no_decimal,
        maybe_title_block=no_decimal and _maybe_title_block(text, first[0], False),
        ruled_title=len(filled) == 1 and looks_like_table_title(first),
        unit_line=bool(unit_match) and all(not c for c in cells[cells.index(first) + 1 :]),
        unit=(unit_match.group(1) or "") if unit_match else "",
        separator=_SEPARATOR_ROW.match(text) is not None,
    )


def segment(lines: Sequence[str], document_id: str) -> Segmented:
    """Classify every line: prose, table row (inside a block) or table scaffolding.

    A document printed in traditional characters is segmented on its simplified view
    (ingest.traditional); the blocks keep the lines, titles and labels as printed.
    """
    views = traditional.view(lines)
    if views is None:
        return _segment(lines, document_id)
    result = _segment(views, document_id)
    printed = traditional.Printed(views, lines)

    def as_printed(line: Line) -> Line:
        view_line = views[line.number - 1]
        if line.text == view_line:
            return Line(line.number, lines[line.number - 1])
        return Line(line.number, printed.of(line.text))

    for block in result.blocks:
        block.lines = [as_printed(line) for line in block.lines]
        block.context = [as_printed(line) for line in block.context]
        block.title = printed.of(block.title)
        block.label = printed.of(block.label)
    return result


def _segment(lines: Sequence[str], document_id: str) -> Segmented:
    builder = _Builder(document_id)
    result = builder.result
    expect_unit_value = False
    unit_rest: tuple[int, int] | None = None  # (line, column) of a wrapped unit's 元
    figures_row = _is_figures_row  # (bound once: the test of nearly every table row)
    count = len(lines)
    numbered = enumerate(lines, start=1)
    for number, text in numbered:
        if unit_rest is not None and unit_rest[0] == number:
            parts = text.split("\t")
            parts[unit_rest[1]] = ""
            text = "\t".join(parts)
            unit_rest = None
        if not text:
            if builder.block is not None and builder.block.lines:
                builder.blank_since_row = True  # (a blank line, as below)
            continue
        if figures_row(text):
            # A row of figures: every other reading of a tab line needs a line without a
            # decimal (the title block, the separator row) or with one filled cell only (a
            # wrapped unit, a ruled title, a 单位 line: all cells after the first filled one
            # empty), so it is a row. It is not blank, nor 万元 / 元 alone (a unit's value).
            expect_unit_value = False
            block = builder.block
            if block is not None and not builder.blank_since_row:
                block.lines.append(Line(number, text))  # (builder.row, nothing to check)
            else:
                builder.row(Line(number, text))
                block = builder.block
            # the figures rows right below it join the block the same way (no blank line or
            # wrapped unit comes between), read here without the tests above
            assert block is not None
            end = number  # (the run's last line, 1-based: lines[end] is the line after it)
            while end < count:
                following = lines[end]
                if not figures_row(following):
                    break
                end += 1
            if end > number:  # the run's lines, made and skipped in one go each
                block.lines.extend(map(Line, range(number + 1, end + 1), lines[number:end]))
                next(islice(numbered, end - number - 1, None))
            continue
        stripped = text.strip()
        if not stripped:
            if builder.block is not None and builder.block.lines:
                builder.blank_since_row = True
            continue
        if expect_unit_value:
            expect_unit_value = False
            if stripped in ("万元", "元"):
                builder.unit(number, stripped)
                continue
        if "\t" in text:  # a ruled row: some cell holds text (a line of tabs and spaces only
            # is blank, read above), so ``filled`` is never empty; a line without a tab has no
            # cells and is read below
            ruled = _ruled_row(text)
            cells, filled = ruled.cells, ruled.filled
            column = wrapped_unit(cells, lines[number] if number < len(lines) else None) \
                if len(filled) == 1 else None  # (a wrapped unit is a row's only cell)
            if column is not None:
                builder.unit(number, "万元", "unit line")
                unit_rest = (number + 1, column)
                continue
            # A compiler's name wraps into its own cell, alone on the next ruled row: a row of
            # several filled cells (a header: 科目编码 | 科目名称 | 总计) or a 单位 line is never
            # its rest, and read so it would lose the header or the unit
            after_issuer = bool(builder.last_issuer) and builder.last_issuer == number - 1 \
                and len(filled) == 1 and not ruled.unit_line
            found = title_block(" ".join(filled), after_issuer) \
                if ruled.maybe_title_block or (after_issuer and ruled.no_decimal) else None
            if found is not None and builder.title_block(number, found, text):
                expect_unit_value = False
                continue
            if ruled.ruled_title:
                builder.title(number, filled[0])  # a ruled title row (one merged cell)
                continue
            if ruled.unit_line:
                builder.unit(number, ruled.unit)
                expect_unit_value = not ruled.unit
                continue
            if ruled.separator and builder.block is not None:
                builder.block.context.append(Line(number, text))
                result.scaffolding.append(number)
                continue
            builder.row(Line(number, text))
            continue
        # _maybe_title_block(stripped, stripped[0], False) and _maybe_scaffolding(stripped),
        # the same tests written out (two calls saved on every line without a tab)
        maybe_block = stripped[0] in _LABEL_FIRST or "：" in stripped or ":" in stripped
        if not maybe_block and stripped[0] != "填" \
                and not (stripped[-1] in "表)）" and "表" in stripped):
            if builder.block is None and builder.pending_label is None:
                result.prose.append(number)  # (_prose, with nothing to close)
            else:
                _prose(builder, number)
            continue
        # (a bare title, the commonest line here, holds no title block)
        found = title_block(stripped) if maybe_block else None
        if found is not None and builder.title_block(number, found, text):
            continue
        if _LABEL.match(stripped):
            builder.close()
            builder.pending_label = (number, _SPACES.sub(" ", stripped))
            result.scaffolding.append(number)
            continue
        with_title = _LABEL_WITH_TITLE.match(stripped)
        if with_title and looks_like_table_title(with_title.group(2)):
            builder.close()
            builder.pending_label = (number, _SPACES.sub(" ", with_title.group(1)))
            builder.title(number, with_title.group(2))
            continue
        if looks_like_table_title(stripped):
            builder.title(number, stripped)
            continue
        unit_match = _UNIT_LINE.match(stripped)
        if unit_match:
            builder.unit(number, unit_match.group(1) or "")
            expect_unit_value = unit_match.group(1) is None
            continue
        if builder.block is not None and _NOTE.match(stripped):
            builder.block.context.append(Line(number, text))
            result.scaffolding.append(number)
            continue
        if builder.block is not None and not builder.block.lines and len(stripped) <= 40 \
                and _FILLED_BY.match(stripped):
            builder.block.context.append(Line(number, text))
            result.scaffolding.append(number)
            continue
        _prose(builder, number)
    builder.close()
    result.prose.sort()
    _inherit_units(result.blocks)
    return result


def _prose(builder: _Builder, number: int) -> None:
    """Line ``number`` is prose: it ends the table, and a label standing right before it."""
    builder.close()
    result = builder.result
    if builder.pending_label is not None:
        # a label followed by prose: it was a heading after all
        label_line = builder.pending_label[0]
        result.scaffolding.remove(label_line)
        result.prose.append(label_line)
        builder.pending_label = None
    result.prose.append(number)


def _inherit_units(blocks: list[TableBlock]) -> None:
    """A table that lost its title block at a page break takes the unit of the document's
    other tables when they all state one and the same unit (said in ``unit_source``)."""
    stated = {b.unit for b in blocks if b.unit and not b.kind.startswith("performance")}
    if len(stated) != 1:
        return
    unit = next(iter(stated))
    for block in blocks:
        if not block.unit and not block.unit_problem and not block.title and not block.label:
            block.unit, block.unit_source = unit, "inherited"
