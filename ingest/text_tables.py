"""Space-separated tables of a text export → the tab-separated rows the table parser reads.

A PDF saved as text (``pdftotext -layout``, pdfplumber's ``extract_text(layout=True)``, and
their plain variants) prints a table as lines of words separated by runs of spaces: codes
printed ``208 05 05`` or over 类 | 款 | 项 columns, names wrapped onto the line above or below
the figures, figures of one row split over two lines, two code–name–amount groups side by
side (301 items left, 302 right), headers over several lines, numbers glued to the next label.
This module finds those table regions (a table title followed by its ``单位`` line) and
rewrites each rebuilt row as one tab-separated line on the line where the row's code (or
label) is printed, so line numbers stay those of the input. The lines whose content was
merged into a row (wrapped names, split figures, header lines) become blank.

Exports that keep the layout (one character, CJK or not, is one position): the columns come
from the header, its words grouped by position (words under one another are one column, a
word over several columns is a group label). Figures are right-aligned in their cells, so on
each page their right edges fall into clusters: as many clusters as the header has figure
columns are those columns in order (unless the figures stand under other headers); fewer
are placed under the header column they overlap, when the header is on the same page.
Exports without the layout (plain ``pdftotext``, ``extract_text()``, pdfium's text): only
simple code tables are read, by count — a one-line header of whole column labels, a row
that fills every column confirming the count.

Rows with fewer figures than columns that positions do not place are placed by the sums
(the rows under a parent add up to it column by column, the class rows to the 合计 row) when
exactly one way fits; a printed zero that fits any blank column is left out and reported.

Never a wrong figure: a row whose figures cannot be placed for sure (a figure between two
columns, a figure fragment that could belong to the row above or below, a row whose parts do
not add up to its total, children that do not add up to their parent) is not emitted as a
row: its lines are blanked and each is returned as a :class:`TextTableNote` with the reason,
to land as an unparsed line.
"""

from __future__ import annotations

import itertools
import re
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import NamedTuple

from ingest.table_kinds import COMPILER_LINE, looks_like_table_title

_CODE_DIGITS = re.compile(r"\d{3}(?:\d{2}){0,2}")
_CODE_PART = re.compile(r"\d{2,7}")
_COUNT_END = re.compile(r"[计数]$")
_FIGURE_CHARS = re.compile(r"-?[\d.,]+")
_LABEL_COLUMN_WORD = re.compile(r"项目|名称|科目|编码|代码|分类")
_WORD = re.compile(r"\S+")

_UNIT = re.compile(r"单位\s*[:：]\s*(万元|元)\s*[）)]?\s*$")  # also （单位：万元）
# 单位： alone on its line, its 万元 / 元 on the next (a unit cut after its colon)
_UNIT_CUT = re.compile(r"^[（(]?\s*(?:金额)?单\s*位\s*[:：]$")


_LEADER = re.compile(r"[.…·．]{3,}\s*\d*\s*$|…{2,}")
_LEADER_REVERSED = re.compile(r"\s*\d*\s*[.…·．]{3}")  # _LEADER's first part, read backwards
_AMOUNT = re.compile(r"^-?\d+\.\d+$")
_INTEGER = re.compile(r"^-?\d+$")
_NUMBER = re.compile(r"-?\d+(\.\d+)?$")  # _AMOUNT (its group matched) or _INTEGER, in one
_PLACEHOLDER = frozenset({"-", "—", "－", "/", "／", "——", "--", "…"})
_TOTAL_WORDS = ("合计", "总计", "小计")
_TOTAL_WORD = re.compile("|".join(_TOTAL_WORDS))  # a word of _TOTAL_WORDS, in one search
_LABEL_WORD = re.compile(
    r"^(?:项目|项目名称|科目|科目名称|科目编码|编码|名称|类|款|项|类款项|类\s*款\s*项|"
    r"[^\d]*分类|[^\d]*分类科目|[^\d]*科目名称|[^\d]*科目(?:编码|代码)|收入|支出|支出用途|"
    r"[^\d]*(?:代码|编号|序号))$"
)
_LABEL_EXACT = frozenset({"项目", "项目名称", "科目", "科目名称", "科目编码", "编码", "名称", "类",
                          "款", "项", "类款项", "收入", "支出", "支出用途"})
# the endings of _LABEL_WORD's other alternatives ([^\d]*…, 类\s*款\s*项; $ also before a
# final line break)
_LABEL_ENDINGS = ("分类", "分类科目", "科目名称", "科目编码", "科目代码", "代码", "编号", "序号",
                  "项", "\n")


def is_label_word(text: str) -> bool:
    """``_LABEL_WORD.match(text)``: a word of the header's label columns. A text that is
    none of its whole words and ends in none of its other alternatives' endings cannot
    match it (a row's name, 一般公共服务支出, is told in two tests); any other is matched."""
    if text in _LABEL_EXACT:
        return True
    return text.endswith(_LABEL_ENDINGS) and bool(_LABEL_WORD.match(text))


_GROUP_WORD = re.compile(r"^(?:收入|支出)$")  # 收入 | 支出 over the two halves of a summary
_CODE_WORD = re.compile(r"^[^\d]*(?:编码|代码)$")
_NOT_A_FIGURE_LABEL = re.compile(r"编码|代码|名称|科目")
# a decimal figure glued to a following label (6.20八、…) or a label glued to a figure
_GLUED = re.compile(r"(?<=\d\.\d\d)(?=[^\d\s.,%])|(?<=[\u4e00-\u9fff）)、])(?=-?\d+\.\d\d(?!\d))")
_WIDE_GAP = re.compile(r"\S {3,}\S")
_PROSE_END = ("。", "；")
_SECTION = re.compile(r"^第[一二三四五六七八九十]+部分")
_NOTE_LINE = re.compile(r"^[（(]?(?:备注|注|说明)[:：]")  # a note under the table ends it
_TABLE_LABEL = re.compile(r"^(?:附件|附表)\d+$|^表[一二三四五六七八九十\d]+$|^公开\d+表$")


@dataclass(frozen=True)
class TextTableNote:
    """A line of a text-export table that was not turned into a row, and why."""

    line_number: int
    reason: str
    text: str


@dataclass
class RebuiltText:
    lines: list[str]
    notes: list[TextTableNote] = field(default_factory=list)
    tables: int = 0  # tables rebuilt


class Token(NamedTuple):
    """A word of a line and its character positions (a tuple: tables make them by the
    hundred thousand)."""

    text: str
    start: int
    end: int

    @property
    def centre(self) -> float:
        return (self.start + self.end) / 2


@dataclass
class Column:
    start: int
    end: int
    words: list[Token] = field(default_factory=list)
    prefix: str = ""  # a group label printed over this column and its neighbour

    @property
    def is_label(self) -> bool:
        return all(is_label_word(w.text) for w in self.words)

    def is_code(self, split_codes: bool) -> bool:
        """A code column: 科目编码, or 类 / 款 / 项 when the header prints them as columns."""
        return self.is_label and any(
            _CODE_WORD.match(w.text) or (split_codes and w.text in ("类", "款", "项"))
            for w in self.words
        )


# --- tokens --------------------------------------------------------------------------------


_new_tuple = tuple.__new__  # a Token from its fields without NamedTuple's Python __new__


def tokens(line: str) -> list[Token]:
    """The words of a line with their character positions; glued figures split apart.

    The words are ``str.split``'s (the same whitespace as the pattern ``\\s``); each is
    found from the end of the one before, so its start is its position in the line."""
    out: list[Token] = []
    add = out.append  # (hoisted, as are find and the constructor: one call less a word)
    new = _new_tuple
    end = 0
    find = line.find
    for word in line.split():
        start = find(word, end)
        end = start + len(word)
        if "." not in word or not word.lstrip("-").strip("0123456789.,%"):
            # a glue point (_GLUED) needs a decimal point, and next to the figure either a
            # character after its decimals that is no digit, '.', ',' or '%', or a CJK
            # character, ）, ) or 、 before it: a word of leading minus signs and then only
            # digits, '.', ',' and '%' has neither (no digit precedes its minus signs)
            add(new(Token, (word, start, end)))
            continue
        for piece in _GLUED.split(word):
            if piece:
                add(new(Token, (piece, start, start + len(piece))))
                start += len(piece)
    return out


def _is_amount(text: str) -> bool:
    return bool(_AMOUNT.match(text))


def is_toc_line(text: str) -> bool:
    """A table-of-contents entry: leader dots (……… 3, ....... 12) before a page number.

    ``_LEADER`` is three leader dots, then spaces, a page number and spaces to the end, or
    two ellipses anywhere. The first is matched from the line's end (``_LEADER_REVERSED`` on
    the reversed line: the same characters in reverse order, anchored where the line ends)
    instead of searched for at every position; the second is a substring test. Three
    leader dots in a row are ``...`` or hold one of the other three: a line with neither
    (a table row, whose figures hold single dots) is no entry, without reversing it."""
    if "……" in text:
        return True
    if "..." not in text and "…" not in text and "·" not in text and "．" not in text:
        return False
    return bool(_LEADER_REVERSED.match(text[::-1]))


# --- regions -------------------------------------------------------------------------------


@dataclass
class Region:
    title_line: int  # 0-based index
    unit_line: int
    end: int  # exclusive


_TITLE_END = re.compile(r"表(?:[（(][^）)]*[）)])?$")


def _is_title(text: str) -> bool:
    """A table title: a short line ending in 表 (or a title the kinds know), not a TOC entry."""
    if "表" not in text:
        return False  # both kinds of title hold it
    stripped = text.strip()
    compact = _compact(stripped)
    if not stripped or is_toc_line(stripped) or len(compact) > 60:
        return False
    return bool(_TITLE_END.search(compact)) or looks_like_table_title(stripped)


def _compact(text: str) -> str:
    """The text without whitespace (``str.split`` splits at the whitespace ``\\s`` matches)."""
    return "".join(text.split())


# a line that ends a table region: a section heading, a table label, a note (one pattern
# for _SECTION, _TABLE_LABEL and _NOTE_LINE, matched at the same start)
_REGION_END = re.compile("|".join(f"(?:{p.pattern})" for p in (_SECTION, _TABLE_LABEL,
                                                                   _NOTE_LINE)))


_REGION_END_FIRST = frozenset("第附表公（(备注说")  # the first characters _REGION_END can match


def _ends_region(text: str) -> bool:
    """A line (stripped, not blank) that ends the table region above it: a title, a section
    heading, table label or note (``_REGION_END``), a table-of-contents entry, a prose
    sentence, or a long line without a wide gap. The stripped line begins and ends with
    the characters its compact text begins and ends with, and is at least as long: the
    compact text is made only where those tests leave the answer open."""
    if _is_title(text) or is_toc_line(text):
        return True
    if text[0] in _REGION_END_FIRST and _REGION_END.match(_compact(text)):
        return True
    if text.endswith(_PROSE_END) and len(_compact(text)) > 20:
        return True
    return len(text) > 60 and len(_compact(text)) > 60 and not _WIDE_GAP.search(text)


def find_regions(lines: Sequence[str]) -> list[Region]:
    """Table regions: a title, its 单位 line within three lines, and the lines up to the next
    title, section heading or prose sentence."""
    regions: list[Region] = []
    index = 0
    while index < len(lines):
        if "表" not in lines[index] or not _is_title(lines[index]):  # (both kinds hold 表)
            index += 1
            continue
        unit = index if _UNIT.search(lines[index]) else None  # …表（单位：元）
        seen = 0
        for probe in range(index + 1, min(index + 8, len(lines)) if unit is None else 0):
            text = lines[probe].strip()
            if not text:
                continue
            seen += 1
            if _TABLE_LABEL.match(_compact(text)):
                break  # 表六 after the title: the title closed the table above (stream order)
            if _UNIT.search(text):
                unit = probe
                break
            if _UNIT_CUT.match(text) and probe + 1 < len(lines) \
                    and lines[probe + 1].strip() in ("万元", "元"):
                unit = probe + 1  # (the region starts below its value)
                break
            if seen >= 3:
                break
        if unit is None:
            index += 1
            continue
        end = unit + 1
        title = _compact(lines[index])
        while end < len(lines):
            text = lines[end].strip()
            if text and _ends_region(text) and _compact(text) != title:
                break
            end += 1
        regions.append(Region(index, unit, end))
        index = end
    return regions


# --- header → columns ----------------------------------------------------------------------


def _overlaps(a: Token | Column, b: Token | Column) -> bool:
    return a.start < b.end and b.start < a.end


def header_columns(header: Sequence[Sequence[Token]]) -> tuple[list[Column], list[Token]]:
    """Columns from the header's words: narrowest words first, a word joins the column it
    overlaps; a word overlapping two columns is a group label over them (returned apart)."""
    words = sorted((w for line in header for w in line), key=lambda w: (w.end - w.start, w.start))
    columns: list[Column] = []
    groups: list[Token] = [w for w in words if _GROUP_WORD.match(w.text)]
    for word in words:
        if _GROUP_WORD.match(word.text):
            continue
        start, end = word.start, word.end
        hits = [c for c in columns if start < c.end and c.start < end]  # _overlaps
        if len(hits) == 1:
            column = hits[0]
            column.words.append(word)
            column.start = min(column.start, word.start)
            column.end = max(column.end, word.end)
        elif not hits:
            columns.append(Column(word.start, word.end, [word]))
        else:
            groups.append(word)
    # a word above a column's label word (科目名称, 项目) that is no label itself is a group
    # label over the lane, centred over its columns (人员经费 over 科目编码 科目名称 金额)
    line_of = {id(w): n for n, line in enumerate(header) for w in line}
    for column in columns:
        labels = [line_of[id(w)] for w in column.words if is_label_word(w.text)]
        if not labels:
            # a period label centred over several figure columns (2025年基本支出 over 总计 |
            # 人员经费 | 公用经费) overlaps only the middle one: it labels them all
            lowest = max(line_of[id(w)] for w in column.words)
            period = [w for w in column.words if _PERIOD.match(w.text)
                      and line_of[id(w)] < lowest and all(
                          w.end - w.start > v.end - v.start for v in column.words
                          if line_of[id(v)] == lowest)]
            if period:
                groups.extend(period)
                column.words = [w for w in column.words if w not in period]
                column.start = min(w.start for w in column.words)
                column.end = max(w.end for w in column.words)
            continue
        above = [w for w in column.words
                 if not is_label_word(w.text) and line_of[id(w)] < min(labels)]
        if above and len(above) < len(column.words):
            groups.extend(above)
            column.words = [w for w in column.words if w not in above]
            column.start = min(w.start for w in column.words)
            column.end = max(w.end for w in column.words)
    columns.sort(key=lambda c: c.start)
    _gap_groups(columns, line_of)
    # widening can make two columns overlap: merge them (they were one column)
    merged: list[Column] = []
    for column in columns:
        if merged and _overlaps(merged[-1], column):
            merged[-1].words.extend(column.words)
            merged[-1].end = max(merged[-1].end, column.end)
        else:
            merged.append(column)
    return merged, groups


_PERIOD = re.compile(r"^(?:19|20)\d\d年")
_CHANGE_GROUP = re.compile(r"增减|变动|比上年")


def _gap_groups(columns: list[Column], line_of: dict[int, int]) -> None:
    """A change group label centred over two columns narrower than itself (比上年增减 over
    金额 | %) overlaps neither: a column of one upper-line change word standing in the gap
    between two figure columns whose words all stand on lower lines is that group; so is a
    year label centred over four (2018年预算数), which only names the columns. Were it a
    column of its own, its figures form a cluster no column takes, and nothing on the page
    is placed by position (``_order_possible``). It is taken out; a change group is
    prefixed to the labels of both (比上年增减金额, 比上年增减%), so that a change column
    never reads as a bare 金额."""
    index = 1
    while index < len(columns) - 1:
        left, middle, right = columns[index - 1], columns[index], columns[index + 1]
        lines = {line_of[id(w)] for w in middle.words}
        if len(middle.words) == 1 and not is_label_word(middle.words[0].text) \
                and not left.is_label and not right.is_label and all(
                line_of[id(w)] > max(lines) for w in (*left.words, *right.words)):
            if _CHANGE_GROUP.search(middle.words[0].text):
                left.prefix = right.prefix = middle.words[0].text
            del columns[index]
            continue
        index += 1


def column_label(column: Column, header_lines: Sequence[Sequence[Token]]) -> str:
    """The column's words top to bottom (a wrapped label joined without spaces)."""
    ids = {id(w) for w in column.words}
    parts: list[str] = []
    for line in header_lines:
        for word in line:
            if id(word) in ids:
                parts.append(word.text)
    return column.prefix + "".join(parts)


@dataclass
class Lane:
    code_columns: list[int]  # indexes into the table's columns
    name_columns: list[int]
    amount_columns: list[int]
    title: str = ""  # the group label over the whole lane (人员经费 | 公用经费)


def lanes_of(columns: Sequence[Column], split_codes: bool) -> list[Lane]:
    """Label columns followed by amount columns, repeated (two groups side by side)."""
    lanes: list[Lane] = []
    current: Lane | None = None
    for index, column in enumerate(columns):
        if column.is_label:
            if current is None or current.amount_columns:
                current = Lane([], [], [])
                lanes.append(current)
            code = any(_CODE_WORD.match(w.text) or (split_codes and w.text in ("类", "款", "项"))
                       for w in column.words)  # column.is_code, its words all labels
            (current.code_columns if code else current.name_columns).append(index)
        else:
            if current is None:
                current = Lane([], [], [])
                lanes.append(current)
            current.amount_columns.append(index)
    return [lane for lane in lanes if lane.amount_columns]


# --- rows ----------------------------------------------------------------------------------


@dataclass
class Piece:
    """What one line holds in one lane."""

    line: int  # 0-based
    codes: list[str] = field(default_factory=list)
    names: list[str] = field(default_factory=list)
    values: dict[int, str] = field(default_factory=dict)  # amount column → figure
    problem: str = ""
    loose: list[str] = field(default_factory=list)  # figures not placed under a column
    name_end: int = 0
    figures: list[tuple[int, str]] = field(default_factory=list)  # (position, figure)


@dataclass
class Row:
    line: int
    codes: list[str] = field(default_factory=list)
    names: list[str] = field(default_factory=list)
    values: dict[int, str] = field(default_factory=dict)
    lines: list[int] = field(default_factory=list)
    problem: str = ""
    figures: list[tuple[int, str]] = field(default_factory=list)  # (position, figure)
    unplaced: bool = False  # a figure the positions did not place
    dropped: list[str] = field(default_factory=list)  # zeros the sums cannot place
    own_names: list[str] = field(default_factory=list)  # the name printed on the row's line

    @property
    def code(self) -> str:
        return "".join(self.codes)

    @property
    def name(self) -> str:
        return "".join(self.names)


def _boundaries(columns: Sequence[Column]) -> list[float]:
    return [(columns[i].end + columns[i + 1].start) / 2 for i in range(len(columns) - 1)]


def _column_at(position: float, bounds: Sequence[float]) -> int:
    """The column a position stands in: the number of boundaries at or left of it. The
    header's columns do not overlap and stand in order (``header_columns``), so each
    boundary lies between its two columns and the boundaries ascend: a binary search."""
    return bisect_right(bounds, position)


def is_figure(token: Token, columns: Sequence[Column], amount: set[int],
              bounds: Sequence[float] | None = None) -> bool:
    """A figure: a decimal, or an integer standing under an amount column of the header.
    ``bounds``: ``_boundaries(columns)``, when the caller has them."""
    if _is_amount(token.text):
        return True
    return bool(_INTEGER.match(token.text)) and \
        _column_at(token.centre, _boundaries(columns) if bounds is None else bounds) in amount


def _figures(line_tokens: Sequence[Token], bounds: Sequence[float], amount: set[int]
             ) -> list[Token]:
    """The line's figures (``is_figure``); only an integer needs its column. One match a
    word (``_NUMBER``: a decimal when its decimals matched, else an integer)."""
    out: list[Token] = []
    number = _NUMBER.match
    for token in line_tokens:
        found = number(token.text)
        if found is not None and (found.lastindex is not None
                                  or _column_at(token.centre, bounds) in amount):
            out.append(token)
    return out


def _clusters(edges: Sequence[int]) -> list[list[int]]:
    """Right edges grouped into columns: an edge within 3 characters of a group's first."""
    clusters: list[list[int]] = []
    for edge in sorted(set(edges)):
        if clusters and edge - clusters[-1][0] <= 3:
            clusters[-1].append(edge)
        else:
            clusters.append([edge])
    return clusters


def place_figures(
    figures: Sequence[tuple[int, Token]], columns: Sequence[Column], lanes: Sequence[Lane],
    header_here: bool,
) -> dict[int, dict[int, int | None]]:
    """The amount column of every figure of one page of a table, or None when not sure
    (by line, then by the figure's start on it).

    A figure belongs to the lane (code–name–amount group) it stands in. Figures are
    right-aligned in their cells: in a lane their right edges fall into clusters, one per
    printed column. A lane with one amount column takes all its figures. As many clusters as
    the lane has amount columns: the clusters are the columns in order, unless most figures
    of a cluster stand under another column's header. Otherwise, when the header is printed
    on the same page (its character positions are comparable), a cluster goes under the one
    header column all its figures overlap, the clusters keeping the columns' order, and
    clusters no header places take the columns left between placed ones when the counts
    match (``_fill_by_order``). Anything else is not sure.
    """
    by_lane: dict[int, list[tuple[int, Token]]] = {}
    if len(lanes) == 1:
        by_lane[0] = list(figures)
    else:
        # the lane whose label columns start left of the figure (figures are right-aligned
        # at the right end of their group, never left of its labels): the lanes stand in
        # the header's column order, so their starts ascend and the last one at or left of
        # the figure is found by binary search (the first lane when none is)
        starts = [min(columns[c].start for c in (*lane.code_columns, *lane.name_columns,
                                                  *lane.amount_columns)) for lane in lanes]
        for line, token in figures:
            lane_number = max(bisect_right(starts, token.start) - 1, 0)
            by_lane.setdefault(lane_number, []).append((line, token))
    out: dict[int, dict[int, int | None]] = {}
    for number, members in by_lane.items():
        amount = lanes[number].amount_columns
        # figures of one row position share their cell: each span is tested once, counted
        spans: dict[tuple[int, int], int] = {}
        for _, token in members:
            span = (token.start, token.end)
            spans[span] = spans.get(span, 0) + 1
        clusters = _clusters([end for _, end in spans])
        cluster_of = {edge: n for n, group in enumerate(clusters) for edge in group}
        # the amount columns each figure overlaps (_overlaps), with the figures' count
        under: dict[int, list[tuple[set[int], int]]] = {}
        if len(amount) > 1:
            column_spans = [(c, columns[c].start, columns[c].end) for c in amount]
            for (start, end), count in spans.items():
                under.setdefault(cluster_of[end], []).append((
                    {c for c, c_start, c_end in column_spans if start < c_end and c_start < end},
                    count))
        mapping: dict[int, int | None] = {}
        if len(amount) == 1:
            mapping = dict.fromkeys(range(len(clusters)), amount[0])
        elif len(clusters) == len(amount) and all(
                2 * sum(count for over, count in overs if over and amount[n] not in over)
                < sum(count for _, count in overs) for n, overs in under.items()):
            mapping = dict(enumerate(amount))
        elif header_here:
            for n, overs in under.items():
                common = set(amount)
                for over, _ in overs:
                    if over:
                        common &= over
                mapping[n] = common.pop() if len(common) == 1 else None
            placed = [mapping[n] for n in sorted(mapping) if mapping[n] is not None]
            if placed != sorted(set(placed)):  # type: ignore[type-var]  # (no None)  # two clusters under one column, or crossed
                mapping = {}
            edges = {n: clusters[n] for n in mapping}  # the right edges of each cluster
            _fill_by_order(mapping, list(amount), lambda n, c: all(
                _ends_in_cell(end, c, columns) for end in edges[n]))  # noqa: B023 (used now)
            if not _order_possible(mapping, list(amount)):
                mapping = {}
        column_of = {edge: mapping.get(n) for edge, n in cluster_of.items()}  # by right edge
        for line, (_, start, end) in members:
            cells = out.get(line)
            if cells is None:
                cells = out[line] = {}
            cells[start] = column_of[end]
    return out


def _order_possible(mapping: dict[int, int | None], amount: list[int]) -> bool:
    """Every cluster left unplaced still has an amount column between its placed neighbours.

    Clusters are columns in order: a cluster right of the one placed under the lane's last
    amount column (or left of the first, or between two adjacent columns) has no column to
    stand in. The header's character positions then do not match the rows' (a text aligned
    by display width, where a CJK character takes two positions, read one character per
    position), so what the overlaps placed is not sure either: nothing on the page is
    placed by position.
    """
    order = sorted(mapping)
    for index, n in enumerate(order):
        if mapping[n] is not None:
            continue
        left = next((mapping[m] for m in reversed(order[:index]) if mapping[m] is not None),
                    None)
        right = next((mapping[m] for m in order[index + 1:] if mapping[m] is not None), None)
        if left is None and right is None:
            continue
        low = amount.index(left) + 1 if left is not None else 0
        high = amount.index(right) if right is not None else len(amount)
        if high <= low:
            return False
    return True


def _ends_in_cell(end: int, column: int, columns: Sequence[Column]) -> bool:
    """A right-aligned figure ending at ``end`` can stand under ``column``: it ends right of
    the middle of the column's header and before the next column's header begins."""
    here = columns[column]
    after = columns[column + 1].start if column + 1 < len(columns) else None
    return end >= (here.start + here.end) / 2 and (after is None or end < after)


def _fill_by_order(mapping: dict[int, int | None], amount: list[int],
                   fits: Callable[[int, int], bool]) -> None:
    """Clusters no header places, between two placed ones (or an end of the lane): when as
    many amount columns lie between those neighbours as unplaced clusters, the clusters keep
    the columns' order and each takes its column, if its figures can stand there
    (``fits(cluster, column)``); otherwise they stay unplaced."""
    order = sorted(mapping)
    if not any(mapping[n] is not None for n in order):
        return
    index = 0
    while index < len(order):
        if mapping[order[index]] is not None:
            index += 1
            continue
        end = index
        while end < len(order) and mapping[order[end]] is None:
            end += 1
        left = mapping[order[index - 1]] if index > 0 else None
        right = mapping[order[end]] if end < len(order) else None
        low = amount.index(left) + 1 if left is not None else 0
        high = amount.index(right) if right is not None else len(amount)
        if high - low == end - index and all(
                fits(n, amount[low + offset]) for offset, n in enumerate(order[index:end])):
            for offset, n in enumerate(order[index:end]):
                mapping[n] = amount[low + offset]
        index = end


_WORD_CELL = -1  # the placement of a word that is no figure (columns count from 0)


def split_pieces(
    line_tokens: Sequence[Token], bounds: Sequence[float], lanes: Sequence[Lane],
    lane_of: dict[int, int], line: int, placement: dict[int, int | None],
) -> list[Piece | None]:
    """The line's words per lane: codes, name parts and figures by column. ``bounds``:
    ``_boundaries`` of the header's columns; ``lane_of``: ``_lane_of(lanes)``;
    ``placement``: the column of every figure of the line by its start (``place_figures``),
    None when not sure. A placed figure stands in its column's lane, any other word in the
    lane of the column it stands under (with one lane: that lane)."""
    pieces: list[Piece | None] = [None] * len(lanes)
    one_lane = len(lanes) == 1
    placed_at = placement.get  # (the lookups hoisted, each Token unpacked once)
    lane_at = lane_of.get
    code_part = _CODE_PART.fullmatch
    for token in line_tokens:
        text, start, end = token
        if text in _PLACEHOLDER:
            continue
        index = placed_at(start, _WORD_CELL)
        if one_lane:
            lane_number = 0
        elif index is None or index == _WORD_CELL:
            lane_number = lane_at(_column_at(token.centre, bounds), 0)
        else:
            lane_number = lane_at(index, 0)
        piece = pieces[lane_number]
        if piece is None:
            piece = pieces[lane_number] = Piece(line, [], [], {}, "", [], 0, [])  # (no factories)
        if index != _WORD_CELL:  # a figure
            piece.figures.append((start, text))
            if index is None:
                piece.problem = f"{_UNPLACED} ({text})"
                piece.loose.append(text)
            elif index in piece.values:
                piece.problem = f"two figures under one column ({piece.values[index]}, {text})"
            else:
                piece.values[index] = text
        elif code_part(text):
            piece.codes.append(text)
        elif is_label_word(text) and not piece.names and not piece.values:
            continue  # a header word (类 款 项) repeated among the rows
        else:
            if piece.names and start - piece.name_end >= 3 and not piece.values:
                piece.names = []  # another cell: a category label left of the row's own label
            piece.names.append(text)
            piece.name_end = end
    return pieces


def _lane_of(lanes: Sequence[Lane]) -> dict[int, int]:
    """Column → the lane it belongs to (the last lane naming it)."""
    lane_of: dict[int, int] = {}
    for number, lane in enumerate(lanes):
        for index in (*lane.code_columns, *lane.name_columns, *lane.amount_columns):
            lane_of[index] = number
    return lane_of


def _code_ok(codes: Sequence[str]) -> bool:
    if not codes:
        return True
    joined = "".join(codes)
    return bool(_CODE_DIGITS.fullmatch(joined)) and len(codes[0]) in (3, 5, 7)


_ENUMERATED = re.compile(
    r"^(?:[一二三四五六七八九十]+、|[（(][一二三四五六七八九十\d]+[）)]|\d+[.、．]|其中[:：])")
# a label that ends like a complete line item: a following name-only line is its own row
_COMPLETE_LABEL = re.compile(r"(?:收入|支出|资金|经费|拨款|费|计|结余|结转|预算|[）)])$")
_UNPLACED = "a figure that neither its position nor the sums place under one column for sure"
_ROW_PHRASE = re.compile(r"合计|总计|小计|结转|结余|总表")


def _is_anchor(piece: Piece, coded: bool) -> bool:
    """A piece that is a row of its own (not a wrapped part of another row)."""
    if piece.codes and len(piece.codes[0]) >= 3:
        return True
    name = "".join(piece.names)
    if not piece.codes and _TOTAL_WORD.search(name):  # (a word of _TOTAL_WORDS in the name)
        return True
    if coded:
        return False
    # a lane without codes (收入 / 支出 of a summary table): a numbered or named line item
    return bool(name) and (bool(_ENUMERATED.match(name)) or bool(_ROW_PHRASE.search(name))
                           or bool(piece.values) or bool(piece.figures))


_NEAR = 3  # a wrapped part stands at most this many lines from its row


def merge_lane(pieces: Sequence[tuple[Piece, bool]], figures_only: bool = False) -> list[Row]:
    """Rows of one lane from its pieces; ``bool`` says a blank line precedes the piece.

    A fragment (a name part, a code part or figures without a row of their own) joins a row
    printed next to it, never across a blank line when the other side is not: figures join
    the row above unless it already has a figure in their column (then the row below); a name
    part joins the row that has no name of its own, or follows the table's wrap direction
    when the rows have no names of their own; a 款/项 code part joins the row above. What
    fits neither or both for sure is returned as a row with a problem. In a lane whose header
    has neither a code nor a name column (a 支出预算总表 of one line of totals:
    ``figures_only``) every line of figures is a row of its own.
    """
    coded = any(p.codes for p, _ in pieces)
    anchors: list[int] = []
    own_name: dict[int, bool] = {}
    # an anchor's row takes over its piece's lists (a piece is read through its row from
    # here on; the direction and the names of its own are read before any row changes)
    rows: dict[int, Row] = {}
    for i, (piece, _) in enumerate(pieces):
        if _is_anchor(piece, coded) or (figures_only and (piece.values or piece.figures)):
            anchors.append(i)
            own_name[i] = bool(piece.names)
            rows[i] = Row(piece.line, piece.codes, piece.names, piece.values, [piece.line],
                          piece.problem, piece.figures, bool(piece.loose), [],
                          list(piece.names))
    direction = _wrap_direction(pieces, anchors)
    nameless = sum(1 for i in anchors if not own_name[i])
    strong = direction if anchors and nameless * 2 >= len(anchors) else ""
    for index, (piece, _blank_before) in enumerate(pieces):
        if index in rows:
            continue
        # the anchors ascend (pieces in order): the nearest on each side by binary search
        at = bisect_left(anchors, index)  # index is no anchor: anchors[at - 1] < index
        prev_anchor = anchors[at - 1] if at else None
        next_anchor = anchors[at] if at < len(anchors) else None
        parted_above = prev_anchor is not None and any(
            pieces[k][1] for k in range(prev_anchor + 1, index + 1))
        parted_below = next_anchor is not None and any(
            pieces[k][1] for k in range(index + 1, next_anchor + 1))
        near = [a for a in (prev_anchor, next_anchor)
                if a is not None and abs(pieces[a][0].line - piece.line) <= _NEAR]
        candidates = [a for a in near
                      if not (a == prev_anchor and parted_above)
                      and not (a == next_anchor and parted_below)] or near
        if not coded and piece.names and not piece.values:
            if prev_anchor is None or prev_anchor not in candidates \
                    or _COMPLETE_LABEL.search(rows[prev_anchor].name):
                continue  # a line item without figures
            target: int | None = prev_anchor  # a summary label wrapped onto the next line
        else:
            target = _choose(piece, candidates, rows, own_name, strong or direction,
                             bool(strong))
        if target is None:
            if piece.values or piece.codes or piece.problem or (coded and piece.names):
                rows[index] = Row(
                    piece.line, list(piece.codes), list(piece.names), dict(piece.values),
                    [piece.line], piece.problem or "a wrapped part of a row that could "
                    "belong to the row above or below")
            continue
        row = rows[target]
        if set(piece.values) & set(row.values):
            row.problem = row.problem or "two figures for one column"
        row.values.update(piece.values)
        if piece.codes:
            row.codes.extend(piece.codes)
        if piece.names:
            if target > index:
                row.names[:0] = piece.names
            else:
                row.names.extend(piece.names)
        row.lines.append(piece.line)
        row.figures.extend(piece.figures)
        row.unplaced = row.unplaced or bool(piece.loose)
        if row.problem.startswith(_UNPLACED) and piece.problem and not piece.loose:
            row.problem = piece.problem
        row.problem = row.problem or piece.problem
    return [rows[i] for i in sorted(rows)]


def _wrap_direction(pieces: Sequence[tuple[Piece, bool]], anchors: Sequence[int]) -> str:
    """'above' when rows without a name of their own have their name on the line above."""
    above = below = 0
    first_both = ""
    anchor_set = set(anchors)
    for a in anchors:
        if pieces[a][0].names:
            continue
        before = a - 1 >= 0 and a - 1 not in anchor_set and bool(pieces[a - 1][0].names) \
            and not pieces[a][1]
        after = a + 1 < len(pieces) and a + 1 not in anchor_set \
            and bool(pieces[a + 1][0].names) and not pieces[a + 1][1]
        if before and not after:
            above += 1
        elif after and not before:
            below += 1
        elif before and after and not first_both:
            # alternating name and code lines: the first row's name opens the table
            first_both = "above" if a - 1 == 0 or (a - 2) in anchor_set else "-"
    if above == below == 0 and first_both == "above":
        return "above"
    if above > below:
        return "above"
    if below > above:
        return "below"
    return ""


def _has_total(row: Row) -> bool:
    return not row.codes and _TOTAL_WORD.search(row.name) is not None


def _choose(piece: Piece, candidates: Sequence[int], rows: dict[int, Row],
            own_name: dict[int, bool], direction: str, strong: bool) -> int | None:
    if len(candidates) == 1:
        return candidates[0]
    if not candidates:
        return None
    above, below = candidates[0], candidates[1]
    if piece.figures and not piece.codes:
        # a row's figures (or its name's last part with them) printed apart from it: the
        # one neighbour that has no figure yet
        empty = [c for c in (above, below) if not rows[c].figures and not rows[c].values]
        if len(empty) == 1:
            return empty[0]
        if piece.loose:
            return None
    if piece.names and not piece.codes:
        totals = [c for c in (above, below) if own_name[c] and _has_total(rows[c])]
        if len(totals) == 1:  # a 合计 row has its whole label: the part is the other row's
            return below if totals[0] == above else above
        if strong:
            return {"above": below, "below": above}.get(direction)
        if own_name[above] and own_name[below] and not _COMPLETE_LABEL.search(rows[above].name) \
                and _COMPLETE_LABEL.search(rows[below].name):
            return above  # the row above stops mid-word (…养老保 / 险缴费支出)
        if not piece.values:
            return None  # a name part whose row is not sure stays out of the labels
        if own_name[above] != own_name[below]:
            return below if own_name[above] else above
        if direction == "above":
            return below
        if direction == "below":
            return above
        return None
    if piece.values:
        free = [c for c in (above, below) if not set(piece.values) & set(rows[c].values)]
        if len(free) == 1:
            return free[0]
        if not free:
            return None
        return above
    if piece.codes:
        # a 款/项 part on the line of the name: the row above lacks it
        return above if len(rows[above].codes) < 2 else below
    return None


# --- checks --------------------------------------------------------------------------------


def _value(text: str) -> float:
    return float(text)


# change, ratio and comparison columns (比上年增减金额, 增长%, 上年预算数): not parts of the
# row's total, and a ratio does not add up over the rows
_SIDE_LABEL = re.compile(r"增减|增长|变动|%|％|上年|年初")


def _sum_columns(lane: Lane, labels: Sequence[str]) -> list[int]:
    """The lane's amount columns that add up: the total and its parts, without the change,
    ratio and comparison columns."""
    return [c for c in lane.amount_columns if not _SIDE_LABEL.search(labels[c] or "")]


def _has_total_column(lane: Lane, labels: Sequence[str], amount: list[int] | None = None
                      ) -> bool:
    """The lane's first column that adds up is its total. ``amount``: ``_sum_columns``,
    when the caller has them."""
    if amount is None:
        amount = _sum_columns(lane, labels)
    return len(amount) >= 2 and bool(_TOTAL_WORD.search(labels[amount[0]] or ""))


def check_rows(rows: Sequence[Row], lane: Lane, labels: Sequence[str],
               amount: list[int] | None = None) -> bool:
    """Mark rows whose figures do not add up (total = parts; children = parent), over the
    columns that add up (``_sum_columns``). True when the sums between rows (the class rows
    to the 合计 row, children to their parent) marked a row: only then, or after figures
    were placed, can a second check mark more (``_finish``). ``amount``: ``_sum_columns``,
    when the caller has them."""
    if amount is None:
        amount = _sum_columns(lane, labels)
    has_total = _has_total_column(lane, labels, amount)
    amount_set = set(amount)
    total_column, part_columns = (amount[0], amount[1:]) if has_total else (-1, [])
    codes = ["".join(row.codes) for row in rows]  # row.code, once a row
    for row, code in zip(rows, codes, strict=True):
        if row.problem:
            continue
        if row.codes and not (_CODE_DIGITS.fullmatch(code) and len(row.codes[0]) in (3, 5, 7)):
            row.problem = f"code {' '.join(row.codes)} is not a classification code"
            continue  # (_code_ok)
        values = row.values
        if has_total and values:
            total = values.get(total_column)
            parts: list[float] = []  # (a loop: a comprehension costs more for a few columns)
            for c in part_columns:
                if c in values:
                    parts.append(float(values[c]))
            if total is None:
                row.problem = "a figure without the row's total"
            elif abs(float(total) - sum(parts)) > 0.011 * max(len(parts), 1) + 1e-9:
                row.problem = (
                    f"the figures ({' '.join(values[c] for c in sorted(values))}) do "
                    "not add up to the row's total: a blank cell cannot be placed for sure"
                )
    marked = False
    coded: dict[str, Row] = {}  # the last row of each code read so far without a problem
    open_codes: set[str] = set()
    total_row: Row | None = None
    for row, code in zip(rows, codes, strict=True):
        if code:
            if row.problem:
                open_codes.add(code)
            else:
                coded[code] = row
        elif total_row is None and not row.problem and any(
                w in row.name for w in _TOTAL_WORDS[:2]):
            total_row = row
    classes = [r for c, r in coded.items() if len(c) == 3]
    if total_row is not None and classes and not any(len(c) == 3 for c in open_codes) \
            and not _sums_match(total_row.values, [r.values for r in classes], amount):
        reason = "the class rows do not add up to the 合计 row: a figure may be misplaced"
        for r in (total_row, *classes):
            r.problem = r.problem or reason
        marked = True
    # the rows of each 类 / 款 code's children (codes two digits longer), in row order
    children_of: dict[str, list[Row]] = {}
    for child_code, r in coded.items():
        if len(child_code) in (5, 7):
            children_of.setdefault(child_code[:-2], []).append(r)
    open_parents = {c[:-2] for c in open_codes if len(c) in (5, 7)}
    for code, parent in coded.items():
        if len(code) not in (3, 5):
            continue
        children = children_of.get(code, [])
        if not children or code in open_parents:
            continue  # a child not read for sure: the sum cannot be checked
        # the children's figures in each column that adds up, in row order, gathered in one
        # pass over the figures they have (a column where none has one is not checked when
        # the parent has none either)
        got: dict[int, list[float]] = {}
        for r in children:
            for column, figure in r.values.items():
                if figure and column in amount_set:
                    got.setdefault(column, []).append(float(figure))
        for column in amount:
            want = parent.values.get(column)
            if want is None and column not in got:
                continue
            added = sum(got.get(column, ()))
            if want is None or abs(float(want) - added) > 0.011 * len(children) + 1e-9:
                reason = (f"the rows under {code} do not add up to it in column "
                          f"'{labels[column]}': a figure may be misplaced")
                for r in (parent, *children):
                    r.problem = r.problem or reason
                marked = True
    return marked


def _placements(figures: Sequence[str], amount: Sequence[int], has_total: bool
                ) -> list[dict[int, str]]:
    """Every order-keeping placement of a row's figures under the amount columns (with a
    total column: the first figure is the total and the rest add up to it)."""
    out: list[dict[int, str]] = []
    for chosen in itertools.combinations(range(len(amount)), len(figures)):
        if has_total and chosen[0] != 0:
            continue
        values = {amount[c]: f for c, f in zip(chosen, figures, strict=True)}
        if has_total and len(figures) > 1:
            parts = sum(_value(f) for f in figures[1:])
            if abs(_value(figures[0]) - parts) > 0.011 * len(figures) + 1e-9:
                continue
        out.append(values)
    return out


def _sums_match(parent: dict[int, str], children: Sequence[dict[int, str]],
                amount: Sequence[int]) -> bool:
    tolerance = 0.011 * max(len(children), 1) + 1e-9
    for column in amount:
        want = _value(parent[column]) if column in parent else 0.0
        got = sum(_value(child[column]) for child in children if column in child)
        if abs(want - got) > tolerance:
            return False
    return True


def _agreed(fits: Sequence[Sequence[dict[int, str]]]) -> list[dict[int, str]] | None:
    """The one placement all fitting ways share, or None. Ways that differ only in where a
    printed zero stands (a zero fits any blank column) agree on the other figures; the
    zeros are then left out."""
    if not fits:
        return None
    if len(fits) == 1:
        return [dict(values) for values in fits[0]]
    def nonzero(values: dict[int, str]) -> dict[int, str]:
        return {c: v for c, v in values.items() if _value(v) != 0}
    first = [nonzero(values) for values in fits[0]]
    if all([nonzero(values) for values in fit] == first for fit in fits[1:]):
        return first
    return None


def _settle(row: Row, values: dict[int, str]) -> None:
    zeros = [f for _, f in sorted(row.figures) if _value(f) == 0]
    placed = sum(1 for v in values.values() if _value(v) == 0)
    row.dropped = zeros[placed:]
    row.values, row.problem, row.unplaced = dict(values), "", False


def resolve_by_sums(rows: Sequence[Row], lane: Lane, has_total: bool) -> bool:
    """Place the figures of rows the positions could not place, when the sums leave one way:
    the rows under a parent add up to it column by column (the class rows to the 合计 row),
    and a parent is the sum of its rows. A row stays unplaced when two ways fit. True when
    a row was placed."""
    amount = lane.amount_columns

    def pending(row: Row) -> bool:
        return row.unplaced and row.problem.startswith(_UNPLACED) and bool(row.code) \
            and _code_ok(row.codes)

    def parent_code(code: str) -> str:
        return code[:-2] if len(code) > 3 else ""

    if not any(pending(row) for row in rows):
        return False  # both ways below place pending rows only
    settled = False
    by_code = {row.code: row for row in rows if row.code}
    total_row = next((r for r in rows if not r.code and any(w in r.name for w in _TOTAL_WORDS)
                      and not r.problem), None)
    progress = True
    while progress:
        progress = False
        groups: dict[str, list[Row]] = {}
        for row in rows:
            if row.code and _code_ok(row.codes):
                groups.setdefault(parent_code(row.code), []).append(row)
        for parent_key, members in groups.items():
            parent = total_row if parent_key == "" else by_code.get(parent_key)
            unknown = [m for m in members if pending(m)]
            if parent is None or parent.problem or not unknown:
                continue
            if any(m.problem and not pending(m) for m in members):
                continue
            known = [m.values for m in members if not pending(m)]
            options = [_placements([f for _, f in sorted(m.figures)], amount, has_total)
                       for m in unknown]
            combos = 1
            for option in options:
                combos *= max(len(option), 1)
            if combos == 0 or combos > 5000:
                continue
            fits = [combo for combo in itertools.product(*options)
                    if _sums_match(parent.values, [*known, *combo], amount)]
            agreed = _agreed(fits)
            if agreed is not None:
                for member, values in zip(unknown, agreed, strict=True):
                    _settle(member, values)
                progress = settled = True
        for row in rows:
            if not pending(row):
                continue
            children = [r for r in rows if r.code and len(r.code) == len(row.code) + 2
                        and r.code.startswith(row.code)]
            if not children or any(c.problem for c in children):
                continue
            placements = [v for v in _placements([f for _, f in sorted(row.figures)], amount,
                                                 has_total)
                          if _sums_match(v, [c.values for c in children], amount)]
            agreed = _agreed([(fit,) for fit in placements])
            if agreed is not None:
                _settle(row, agreed[0])
                progress = settled = True
    return settled


# --- a table -------------------------------------------------------------------------------


def _pages_from(lines: Sequence[str], start: int, last: int) -> dict[int, int]:
    """The page of every line from ``start`` (the table's title) to ``last``: the form feeds
    (pages of a pdftotext export) from the title to the line, counted in one pass (a line
    before ``start`` is on page 0). Without a form feed in those lines every line is on page
    0: nothing is listed (callers read a line's page with 0 as the default)."""
    pages: dict[int, int] = {}
    if "\f" not in "".join(lines[start:last + 1]):
        return pages
    feeds = 0
    for k in range(start, last + 1):
        feeds += lines[k].count("\f")
        pages[k] = feeds
    return pages


def _has_layout(lines: Sequence[str]) -> bool:
    body = [line for line in lines if line.strip()]
    wide = sum(1 for line in body if _WIDE_GAP.search(line) or line.startswith("   "))
    return bool(body) and wide >= 0.5 * len(body)


def _unit_or_compiler_line(line: str) -> bool:
    """A 单位 line or a compiler line (部门：X): a line of a table's title block, above its
    header or printed again with its title."""
    return bool(_UNIT.search(line) or COMPILER_LINE.match(line.lstrip()))


def _starts_body(words: Sequence[Token]) -> bool:
    for word in words:
        if _AMOUNT.match(word.text):  # _is_amount
            return True
    if words and _CODE_DIGITS.fullmatch(words[0].text) and len(words) > 1:
        return True
    return bool(words) and words[0].text in _TOTAL_WORDS and all(
        _is_amount(w.text) for w in words[1:])


def _header_understood(lanes: Sequence[Lane], labels: Sequence[str]) -> bool:
    """Columns read from the header make sense: every figure column has a label of two
    characters or more (a one-character fragment is a piece of a wrapped label the positions
    did not join), no figure column is labelled like a code or name column (编码, 科目: a
    header whose words the positions grouped wrongly, figures would land under codes), and
    every group after the first has a label column of its own."""
    for number, lane in enumerate(lanes):
        if any(len(labels[c]) < 2 or _NOT_A_FIGURE_LABEL.search(labels[c])
               for c in lane.amount_columns):
            return False
        own = [labels[c] for c in (*lane.code_columns, *lane.name_columns)]
        if number and not any(_LABEL_COLUMN_WORD.search(label) for label in own):
            return False
    return True


def _is_row_name(line: Sequence[Token], header: Sequence[list[Token]]) -> bool:
    """The last line above the first row is the row's name, not header: one word that is not
    a header word, under a name column of the header and under no figure column."""
    if line and all(_ENUMERATED.match(w.text) for w in line):
        return True  # 一、… line items (a summary table's first row, without figures)
    if len(line) != 1 or is_label_word(line[0].text):
        return False
    columns, _ = header_columns(header)
    under = [c for c in columns if _overlaps(line[0], c)]
    return bool(under) and all(c.is_label and not c.is_code(True) for c in under)


def _split_region(lines: Sequence[str], span: range, words: dict[int, list[Token]],
                  title: str) -> tuple[list[int], list[int], list[int]]:
    """Header lines, body lines and page-break repeats (the title, its 单位 line and the
    header printed again) of a region."""
    header_idx: list[int] = []
    body_idx: list[int] = []
    repeats: list[int] = []
    in_header = True
    skipping = False
    for i in span:
        if not words[i]:
            continue  # a blank line (every character that is no space is in a word)
        # the words, in order, are the compact line: a line whose first word does not begin
        # the title is not the title
        is_title = title.startswith(words[i][0].text) and _compact(lines[i]) == title
        if is_title or (_unit_or_compiler_line(lines[i]) and not _starts_body(words[i])):
            repeats.append(i)  # (a compiler line: above the header, or repeated with it)
            skipping = True
            continue
        if in_header:
            if _starts_body(words[i]):
                in_header = False
            else:
                header_idx.append(i)
                continue
        if skipping:
            if not _starts_body(words[i]):
                repeats.append(i)
                continue
            skipping = False
        body_idx.append(i)
    return header_idx, body_idx, repeats


def _blank_before(lines: Sequence[str], body_idx: Sequence[int]) -> dict[int, bool]:
    out: dict[int, bool] = {}
    previous = None
    for i in body_idx:
        out[i] = previous is not None and i > previous + 1 and any(
            not lines[k].strip() for k in range(previous + 1, i))
        previous = i
    return out


Built = tuple[list[Lane], list[str], list[list[Row]]]


def _lane_titles(lanes: Sequence[Lane], columns: Sequence[Column],
                 groups: Sequence[Token]) -> None:
    """Two or more lanes each under one group label of its own (人员经费 over the left
    lane, 公用经费 over the right): the labels say what each lane's amounts are."""
    if len(lanes) < 2:
        return
    titles: list[str] = []
    for lane in lanes:
        member = [columns[c] for c in (*lane.code_columns, *lane.name_columns,
                                         *lane.amount_columns)]
        start, end = min(c.start for c in member), max(c.end for c in member)
        over = [g.text for g in groups if not _GROUP_WORD.match(g.text)
                and start <= g.centre <= end]
        if len(over) != 1:
            return
        titles.append(over[0])
    for lane, title in zip(lanes, titles, strict=True):
        lane.title = title


# a header read from its words: its columns, lanes and column labels (read only: a header
# printed again, in this document or another of the same template, shares them)
Header = tuple[list[Column], list[Lane], list[str]]


@lru_cache(maxsize=1 << 10)
def read_header(header_lines: tuple[tuple[Token, ...], ...]) -> Header | None:
    """The columns, lanes and labels of a header printed with its layout, or None when the
    header is not understood (no figure column, a row label read as a column,
    ``_header_understood``). A pure function of the header's words and their positions."""
    columns, groups = header_columns(header_lines)
    split_codes = any(
        sum(1 for w in line if w.text in ("类", "款", "项")) >= 2 for line in header_lines)
    lanes = lanes_of(columns, split_codes)
    if not lanes:
        return None
    _lane_titles(lanes, columns, groups)
    labels = [column_label(c, header_lines) for c in columns]
    if any(_ENUMERATED.match(labels[c]) or (any(w in labels[c] for w in _TOTAL_WORDS[1:])
           and not _COUNT_END.search(labels[c]))
           for lane in lanes for c in lane.amount_columns):
        return None  # a row label read as a column: the header is not understood
    if not _header_understood(lanes, labels):
        return None
    return columns, lanes, labels


def _layout_rows(lines: Sequence[str], region: Region, words: dict[int, list[Token]],
                 header_idx: list[int], body_idx: list[int]) -> Built | None:
    """Rows of a table whose export keeps the layout: columns by character position."""
    while len(header_idx) > 1 and _is_row_name(words[header_idx[-1]],
                                               [words[i] for i in header_idx[:-1]]):
        body_idx.insert(0, header_idx.pop())  # a row's name printed above its code line
    header = read_header(tuple(tuple(words[i]) for i in header_idx))
    if header is None:
        return None
    columns, lanes, labels = header
    amount_set = {c for lane in lanes for c in lane.amount_columns}
    placement: dict[int, dict[int, int | None]] = {}  # by line (a line is on one page)
    page_of = _pages_from(lines, region.title_line, max([header_idx[0], *body_idx]))
    header_page = page_of.get(header_idx[0], 0)
    bounds = _boundaries(columns)
    pages: dict[int, list[tuple[int, Token]]] = {}
    for i in body_idx:
        figures = _figures(words[i], bounds, amount_set)
        if figures:  # (a page without figures places none)
            on_page = pages.setdefault(page_of.get(i, 0), [])
            for token in figures:
                on_page.append((i, token))
    for page, page_figures in pages.items():
        placement.update(place_figures(page_figures, columns, lanes, page == header_page))
    per_lane: list[list[tuple[Piece, bool]]] = [[] for _ in lanes]
    blank = _blank_before(lines, body_idx)
    lane_of = _lane_of(lanes)
    no_figures: dict[int, int | None] = {}
    for i in body_idx:
        for lane_number, piece in enumerate(split_pieces(
                words[i], bounds, lanes, lane_of, i, placement.get(i, no_figures))):
            if piece is not None and (piece.codes or piece.names or piece.values
                                      or piece.problem):
                per_lane[lane_number].append((piece, blank[i]))
    return lanes, labels, [
        merge_lane(pieces, figures_only=not lane.code_columns and not lane.name_columns)
        for lane, pieces in zip(lanes, per_lane, strict=True)]


_COLUMN_LABEL = re.compile(r"(?:合计|小计|总计|支出|收入|决算数|预算数|金额|经费|资金|拨款)$")


def _counted_rows(lines: Sequence[str], words: dict[int, list[Token]],
                  header_idx: list[int], body_idx: list[int]) -> Built | None:
    """Rows of a table whose export lost the layout (single spaces between words).

    Only a simple table is read: one code–name–figures group per line, a header whose
    every word is a label column word or a whole column label (合计 基本支出 项目支出),
    and a row with a figure in every column (the count is confirmed). A row with as many
    figures as columns is read in order; a row with fewer is placed by the sums or not at
    all.
    """
    first = [w.text for w in words[body_idx[0]]]
    nameless = bool(first) and _CODE_DIGITS.fullmatch(first[0]) is not None \
        and all(_CODE_PART.fullmatch(w) or _is_amount(w) for w in first)
    last = [w.text for w in words[header_idx[-1]]]
    if nameless and len(header_idx) > 1 and len(last) == 1 and not is_label_word(last[0]):
        body_idx.insert(0, header_idx.pop())  # the first row's name, printed above its codes
    label_lines = [[w.text for w in words[i] if not is_label_word(w.text)
                    and not _GROUP_WORD.match(w.text)] for i in header_idx]
    label_lines = [line for line in label_lines if line]
    if len(label_lines) != 1:
        return None  # the column labels must stand on one line, whole
    two = _two_lanes_counted(words, header_idx, body_idx)
    if two is not None:
        return two
    amount_labels = label_lines[0]
    if not all(len(w) >= 2 and _COLUMN_LABEL.search(w) and not _ENUMERATED.match(w)
               for w in amount_labels):
        return None
    count = len(amount_labels)
    labels = ["科目编码", "科目名称", *amount_labels]
    lane = Lane([0], [1], list(range(2, 2 + count)))
    blank = _blank_before(lines, body_idx)
    pieces: list[tuple[Piece, bool]] = []
    widest = 0
    for i in body_idx:
        piece = Piece(i)
        for position, word in enumerate(words[i]):
            text = word.text
            if text in _PLACEHOLDER:
                continue
            if _is_amount(text):
                piece.figures.append((i * 1000 + position, text))
            elif _CODE_PART.fullmatch(text) and not piece.names and not piece.figures:
                piece.codes.append(text)
            elif is_label_word(text) and not piece.names and not piece.figures:
                continue
            elif piece.figures:
                return None  # a label after figures: two groups on a line need positions
            else:
                piece.names.append(text)
        widest = max(widest, len(piece.figures))
        if piece.figures:
            piece.loose = [f for _, f in piece.figures]
        if piece.codes or piece.names or piece.figures:
            pieces.append((piece, blank[i]))
    if widest != count:
        return None  # no row fills every column: the column count is not confirmed
    rows = merge_lane(pieces)
    if not rows or any(not row.code and not _has_total(row) and row.figures for row in rows):
        return None  # without positions only code tables are read (summaries need them)
    for row in rows:
        # without positions a name line between two rows may hold parts of both (an export
        # that merges the lines of neighbouring cells): only the row's own line is its name
        row.names = list(row.own_names)
        if row.problem and not row.problem.startswith(_UNPLACED):
            continue
        figures = [f for _, f in sorted(row.figures)]
        row.problem, row.unplaced = "", False
        if len(figures) == count:
            row.values = dict(zip(lane.amount_columns, figures, strict=True))
        elif len(figures) > count:
            row.problem = "more figures than the header has columns"
        elif figures:
            row.problem, row.unplaced = f"{_UNPLACED} ({' '.join(figures)})", True
    return [lane], labels, [rows]


def _two_lanes_counted(words: dict[int, list[Token]], header_idx: list[int],
                       body_idx: list[int]) -> Built | None:
    """Two code–name–amount groups side by side without positions (301 items left, 302
    right: ``科目名称 决算数 科目名称 决算数``), one amount column each. A line splits where
    a word follows its left group's figure; each group's figure is its row's. Lines of
    names alone (wrapped names) are not read: whose group they continue is not sure."""
    pattern = None
    for i in header_idx:
        texts = [w.text for w in words[i]]
        kinds = ["label" if is_label_word(t) else "amount" for t in texts]
        if kinds == ["label", "amount", "label", "amount"]:
            pattern = (texts[1], texts[3])
    if pattern is None or not all(len(t) >= 2 and _COLUMN_LABEL.search(t) for t in pattern):
        return None
    lanes = [Lane([0], [1], [2]), Lane([3], [4], [5])]
    rows: list[list[Row]] = [[], []]
    for i in body_idx:
        texts = [w.text for w in words[i] if w.text not in _PLACEHOLDER]
        figures = [n for n, t in enumerate(texts) if _is_amount(t)]
        if not figures:
            if any(_CODE_PART.fullmatch(t) for t in texts):
                return None  # a code without its figure: not this table's shape
            continue  # a wrapped name
        split = figures[0] + 1
        groups = [texts[:split], texts[split:]]
        if len(figures) > 2 or (len(figures) == 2 and figures[1] != len(texts) - 1):
            return None
        for number, group in enumerate(groups):
            if not group:
                continue
            codes = [t for t in group if _CODE_PART.fullmatch(t)]
            amounts = [t for t in group if _is_amount(t)]
            names = [t for t in group if t not in codes and t not in amounts]
            if len(amounts) != 1 or (group[0] not in codes and codes) or len(names) > 1 or (
                    not codes and not any(w in "".join(names) for w in _TOTAL_WORDS)):
                return None  # a code table only: a group is a code, one name and its figure
            lane = lanes[number]
            row = Row(i, codes=codes, names=names, lines=[i],
                      values={lane.amount_columns[0]: amounts[0]})
            row.own_names = list(names)
            rows[number].append(row)
    if not rows[0] or not rows[1]:
        return None
    # a line with one group is the left one unless its class is the right lane's: a right
    # group goes on alone when the left lane ended (302 items after the last 301 one)
    paired = {row.line for row in rows[1]}
    classes = [{r.code[:3] for r in lane_rows if r.line in paired and r.code}
               for lane_rows in rows]
    for row in [r for r in rows[0] if r.line not in paired]:
        if row.code and row.code[:3] in classes[1] and row.code[:3] not in classes[0]:
            rows[0].remove(row)
            row.values = {lanes[1].amount_columns[0]: row.values[lanes[0].amount_columns[0]]}
            rows[1].append(row)
        elif row.code and row.code[:3] not in classes[0] and pattern[0] != pattern[1]:
            return None  # a group of neither lane's class: which lane it is, is not sure
            # (with one label over both lanes, either lane gives the figure the same column)
    rows[1].sort(key=lambda r: r.line)
    labels = ["科目编码", "科目名称", pattern[0], "科目编码", "科目名称", pattern[1]]
    return lanes, labels, rows


_ECONOMIC_TITLE = re.compile(r"基本支出|经济分类|机关运行")  # 经济 alone: 经济开发区, 经济和信息化局


def _codes_fit_title(title: str, codes: Sequence[str]) -> bool:
    """Codes of the classification the title names: economic (3xx / 5xx) in a 基本支出,
    经济分类 or 机关运行经费 table, functional (2xx) in any other 支出 table. A table whose
    rows do not fit is not this title's table (an export that prints titles out of order)."""
    if not codes:
        return True
    economic = [c for c in codes if c[0] in "35"]
    functional = [c for c in codes if c[0] == "2"]
    if _ECONOMIC_TITLE.search(title):
        return not functional
    if "支出" in title or "收入" in title:
        return not economic
    return True


_CODE = re.compile(r"\d{3}(?:\d{2}){0,2}")


def _is_stream(words: dict[int, list[Token]], span: range) -> bool:
    """An export that writes one cell per line (plain ``pdftotext``): nearly every line of
    the region holds one word."""
    filled = [i for i in span if words[i]]
    return len(filled) >= 6 and sum(1 for i in filled if len(words[i]) == 1) >= 0.9 * len(filled)


def _stream_rows(lines: Sequence[str], span: range, words: dict[int, list[Token]],
                 title: str) -> tuple[Built, list[int], list[int], list[int]] | None:
    """Rows of a code table written one cell per line, in reading order (code, name parts,
    figures): a row starts at its code (or at 合计 followed by a figure) and takes the lines
    up to the next. The column labels are the header's words that are not label words
    (合计 基本支出 项目支出), each whole on its line; a row with as many figures as labels
    is read in order, one with fewer is placed by the sums or not at all (as
    ``_counted_rows``). Anything out of that order (a name after a row's figures, a figure
    before any row, a header label that is not a whole column label) and nothing is read."""
    filled = [i for i in span if words[i]]
    def figure_next(k: int) -> bool:
        return k + 1 < len(filled) and _is_amount(words[filled[k + 1]][0].text)
    start = next((k for k, i in enumerate(filled)
                  if _CODE.fullmatch(words[i][0].text)
                  or (words[i][0].text in _TOTAL_WORDS[:2] and figure_next(k))), None)
    if not start:
        return None
    header_idx = filled[:start]
    rows: list[Row] = []
    # the 合计 row's cells written among the header's (合计, 金额, 9066.79): its label before
    # the last column label, its figures after it, as many as the labels
    at_figures = next((n for n, i in enumerate(header_idx) if _is_amount(words[i][0].text)),
                      None)
    if at_figures is not None:
        figure_lines, header_idx = header_idx[at_figures:], header_idx[:at_figures]
        total_at = [i for i in header_idx if words[i][0].text in _TOTAL_WORDS[:2]]
        if len(total_at) != 1 or not all(_is_amount(words[i][0].text) for i in figure_lines):
            return None
        header_idx = [i for i in header_idx if i != total_at[0]]
        total = Row(total_at[0], names=[words[total_at[0]][0].text])
        total.figures = [(i, words[i][0].text) for i in figure_lines]
        total.lines = [total_at[0], *figure_lines]
        rows.append(total)
    header_words = [w.text for i in header_idx for w in words[i]]
    amount_labels = [w for w in header_words
                     if not is_label_word(w) and not _GROUP_WORD.match(w)]
    if not amount_labels or not all(len(w) >= 2 and _COLUMN_LABEL.search(w)
                                    and not _ENUMERATED.match(w) for w in amount_labels):
        return None
    count = len(amount_labels)
    if rows and len(rows[0].figures) != count:
        return None
    known = set(header_words)
    body_idx: list[int] = [i for row in rows for i in row.lines]
    repeats: list[int] = []
    current: Row | None = None
    for k in range(start, len(filled)):
        i = filled[k]
        if len(words[i]) != 1:
            return None
        text = words[i][0].text
        if text in _PLACEHOLDER:
            body_idx.append(i)
            continue
        if _is_amount(text):
            if current is None:
                return None
            current.figures.append((i, text))
            current.lines.append(i)
            body_idx.append(i)
        elif _CODE.fullmatch(text) or (text in _TOTAL_WORDS[:2] and figure_next(k)):
            current = Row(i, codes=[text]) if _CODE.fullmatch(text) else Row(i, names=[text])
            current.lines.append(i)
            rows.append(current)
            body_idx.append(i)
        elif _compact(lines[i]) == title or _UNIT.search(lines[i]) or (
                text in known and (current is None or current.figures)):
            repeats.append(i)  # the title, unit and header printed again after a page break
        elif current is not None and not current.figures and not _is_amount(text) \
                and not _FIGURE_CHARS.fullmatch(text):
            current.names.append(text)
            current.lines.append(i)
            body_idx.append(i)
        else:
            return None  # a name after the row's figures: whose row it is, is not sure
    orphans: list[tuple[int, str]] = []
    last = rows[-1] if rows else None
    if last is not None and len(last.figures) > count and len(last.code) > 3 and all(
            len(r.figures) <= count for r in rows[:-1]):
        # cells the exporter wrote after the table's last row (figures of rows above whose
        # cells came out of order): not the last row's; it keeps its own, which its parent's
        # sum then checks, and they land unparsed
        orphans = last.figures[count:]
        last.figures = last.figures[:count]
        last.lines = [i for i in last.lines if i not in {i for i, _ in orphans}]
    if not rows or max(len(r.figures) for r in rows) != count:
        return None  # no row fills every column: the column count is not confirmed
    if any(len(r.names) > 3 or (r.codes and not r.names) for r in rows):
        # the exporter wrote a block of cells out of reading order (names of several rows,
        # then their figures): rows cannot be told apart for sure
        return None
    lane = Lane([0], [1], list(range(2, 2 + count)))
    for row in rows:
        row.own_names = list(row.names)
        figures = [f for _, f in row.figures]
        if len(figures) == count:
            row.values = dict(zip(lane.amount_columns, figures, strict=True))
        elif len(figures) > count:
            row.problem = "more figures than the header has columns"
        elif figures:
            row.problem, row.unplaced = f"{_UNPLACED} ({' '.join(figures)})", True
    for i, figure in orphans:
        rows.append(Row(i, figures=[(i, figure)], lines=[i], unplaced=True,
                        problem=f"a figure after the table's last row, whose row is not sure "
                                f"({figure})"))
    labels = ["科目编码", "科目名称", *amount_labels]
    return ([lane], labels, [rows]), header_idx, body_idx, repeats


def rebuild_region(lines: list[str], region: Region, notes: list[TextTableNote]) -> bool:
    """Rewrite one table region in place; False (lines untouched) when it is not readable."""
    span = range(region.unit_line + 1, region.end)
    words = {i: tokens(lines[i]) for i in span}  # a form feed is whitespace: no word holds it
    title = _compact(lines[region.title_line])
    streamed = _stream_rows(lines, span, words, title) if _is_stream(words, span) else None
    built: Built | None
    if streamed is not None:
        built, header_idx, body_idx, repeats = streamed
        return _finish(lines, title, built, header_idx, body_idx, repeats, notes)
    header_idx, body_idx, repeats = _split_region(lines, span, words, title)
    if not header_idx or not body_idx:
        return False
    if _has_layout([lines[i] for i in span]):
        built = _layout_rows(lines, region, words, header_idx, body_idx)
    else:
        built = _counted_rows(lines, words, header_idx, body_idx)
    if built is None:
        return False
    return _finish(lines, title, built, header_idx, body_idx, repeats, notes)


def check_lane(rows: Sequence[Row], lane: Lane, labels: Sequence[str]) -> None:
    """Check a lane's rows (``check_rows``), place what the sums place (``resolve_by_sums``)
    and check again what that changed."""
    amount = _sum_columns(lane, labels)
    marked = check_rows(rows, lane, labels, amount)
    placed = amount == lane.amount_columns and resolve_by_sums(
        rows, lane, _has_total_column(lane, labels, amount))  # else the sums cannot place
    if marked or placed:
        # a row marked by the sums (a code printed twice: an earlier row of that code is
        # checked next) or placed figures can make the second check mark more; without
        # either it sees what the first saw (rows marked by their own figures stay marked,
        # the same rows are checked against the same sums) and marks nothing
        check_rows(rows, lane, labels, amount)


def _finish(lines: list[str], title: str, built: Built, header_idx: list[int],
            body_idx: list[int], repeats: list[int], notes: list[TextTableNote]) -> bool:
    lanes, labels, rows_by_lane = built
    if not _codes_fit_title(title, [code for rows in rows_by_lane for r in rows
                                    if (code := r.code)]):
        return False
    for lane, rows in zip(lanes, rows_by_lane, strict=True):
        check_lane(rows, lane, labels)
    _write(lines, lanes, labels, rows_by_lane, header_idx, body_idx, repeats, title, notes)
    return True


def _write(lines: list[str], lanes: Sequence[Lane], labels: Sequence[str],
           rows_by_lane: Sequence[Sequence[Row]], header_idx: Sequence[int],
           body_idx: Sequence[int], repeats: Sequence[int], title: str,
           notes: list[TextTableNote]) -> None:
    """The header on its first line, every row on its anchor line, the rest blank."""
    out: dict[int, dict[int, str]] = {}
    problems: dict[int, str] = {}
    blanks = itertools.repeat("")  # the text of a column the row has no figure in
    for lane_number, (lane, rows) in enumerate(zip(lanes, rows_by_lane, strict=True)):
        for row in rows:
            if row.problem:
                for ln in row.lines:
                    problems.setdefault(ln, row.problem)
                continue
            if not row.values and not row.code:
                continue
            group = [row.code, row.name, *map(row.values.get, lane.amount_columns, blanks)]
            out.setdefault(row.line, {})[lane_number] = "\t".join(group)
    header_cells: list[str] = []
    for lane in lanes:
        code_label = "".join(labels[c] for c in lane.code_columns)
        name_label = "".join(labels[c] for c in lane.name_columns) or "名称"
        header_cells.append("\t".join([
            code_label if "编码" in code_label else code_label + "编码",
            name_label,
            *(labels[c] for c in lane.amount_columns),
        ]))
    original = {i: lines[i] for i in (*header_idx, *body_idx, *repeats)}
    for i in (*header_idx, *body_idx):
        lines[i] = ""
    for i in repeats:
        keep = _compact(original[i]) == title or _unit_or_compiler_line(original[i])
        lines[i] = original[i].replace("\f", "").strip() if keep else ""
    if len(header_idx) > 1 and all(lane.title for lane in lanes):
        # the lanes' group labels on the line above the header, as a tab header prints them
        lines[header_idx[0]] = "\t".join(
            "\t".join([lane.title] + [""] * (1 + len(lane.amount_columns))) for lane in lanes)
        lines[header_idx[1]] = "\t".join(header_cells)
    else:
        lines[header_idx[0]] = "\t".join(header_cells)
    for line_number, groups in out.items():
        if len(lanes) == 1:
            lines[line_number] = groups[0]  # the one lane's group: every line has it
            continue
        cells = [
            groups.get(n) or "\t".join([""] * (2 + len(lane.amount_columns)))
            for n, lane in enumerate(lanes)
        ]
        lines[line_number] = "\t".join(cells)
    for line_number, reason in sorted(problems.items()):
        # a line whose other lane was read still says what of it was not (the 支出 side of
        # a summary line whose 收入 side landed)
        also = " (the line's other part was read)" if line_number in out else ""
        notes.append(TextTableNote(line_number + 1,
                                   f"text_table_row_not_placed: {reason}{also}",
                                   original[line_number].strip()))
    for rows in rows_by_lane:
        for row in rows:
            if row.dropped and not row.problem:
                notes.append(TextTableNote(
                    row.line + 1,
                    f"text_table_figure_not_placed: {' '.join(row.dropped)} (a zero that fits "
                    "any blank column of the row; the row's other figures were read)",
                    original[row.line].strip()))


def rebuild_text_tables(lines: Sequence[str]) -> RebuiltText:
    """The document's lines with every readable space-separated table as tab rows.

    Text that already has tab-separated rows (or no table region) is returned unchanged.
    Line ``i`` of the result is line ``i`` of the input (rebuilt rows stand on the line of
    their code or label; merged lines are blank).
    """
    out = list(lines)
    if "\t" in "".join(lines):  # a tab in any line (joining makes none)
        return RebuiltText(out)
    result = RebuiltText(out)
    for region in find_regions(out):
        if rebuild_region(out, region, result.notes):
            result.tables += 1
    result.notes.sort(key=lambda n: n.line_number)
    return result
