"""Code tables → long rows (code, row label, column label, amount).

Works for every table that is not a performance table: the header is the run of lines before
the first data row, merged header cells are filled to the right, and every numeric cell of a
data row becomes one :class:`CellRecord`. A header repeated inside the table (a page break)
is recognised, and the rows right after it that repeat rows already read are flagged with
``repeat_of_line`` instead of being read twice.
"""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field, replace
from functools import lru_cache
from operator import attrgetter
from typing import Final

from ingest import traditional
from ingest.blocks import Line, TableBlock
from ingest.char_classes import SPACE_BUT_TAB, find
from ingest.divisions import DEFAULT_DIVISIONS
from ingest.records import CellRecord, TableRecord, UnparsedLineRecord, new_cell_record
from ingest.table_kinds import UNIDENTIFIED

_FIGURE_LIKE = re.compile(r"[-\d.,%]+")
_RULE_CHARS = re.compile(r"[-—=_]+")
_SPACES = re.compile(r"\s+")
_CODE_OF = attrgetter("code")

NUMBER = re.compile(r"^-?\d+(?:\.\d+)?$")
PERCENT = re.compile(r"^-?\d+(?:\.\d+)?%$")
CODE = re.compile(r"^\d{3}(?:\d{2}){0,2}$")
PLACEHOLDER = frozenset({".", "-", "—", "－", "/", "／", "无", "——", "--", "…", "*"})
_DIGIT = re.compile(r"\d")
_TOTAL_LABELS = ("合计", "总计", "小计")

# The standard 部门收入总表 of the Chongqing budget template: used as the header of a table
# whose title and header were lost, when its rows have exactly this shape.
INCOME_SUMMARY_TEMPLATE: tuple[str, ...] = (
    "科目编码",
    "科目名称",
    "总计",
    "一般公共预算拨款收入",
    "政府性基金预算拨款收入",
    "国有资本经营预算拨款收入",
    "财政专户管理资金收入",
    "事业收入",
    "上级补助收入",
    "附属单位上缴收入",
    "事业单位经营收入",
    "其他收入",
)


@dataclass
class ParsedTable:
    table: TableRecord
    cells: list[CellRecord] = field(default_factory=list)
    unparsed: list[UnparsedLineRecord] = field(default_factory=list)
    understood: set[int] = field(default_factory=set)


def _compact(text: str) -> str:
    return "".join(text.split())  # = _SPACES.sub("", text): \s is str.isspace


_SPACED_CODE = re.compile(r"^\d{3}(?:\s+\d{2}){1,2}$")  # 208 05 05 / 301 01: one code
_NUMERIC_TOKEN = re.compile(r"^[-\d.,%]*\d[-\d.,%]*$")


@lru_cache(maxsize=1 << 16)  # a pure function of the cell text
def _cell(text: str) -> str:
    """A cell without its whitespace, except between two figures (``12.00 3.40`` is two
    numbers in one cell: kept spaced so that it is never read as the one number 12.003.40)."""
    tokens = text.split()
    if len(tokens) < 2:
        return tokens[0] if tokens else ""
    if all(_NUMERIC_TOKEN.match(t) for t in tokens) \
            and not _SPACED_CODE.match(text.strip()):
        return " ".join(tokens)
    return _compact(text)


def _cells(line: Line) -> list[str]:
    text = line.text
    cells = text.split("\t")
    if find(SPACE_BUT_TAB, text) < 0:
        return cells  # no cell holds white space: each is its own _cell
    return list(map(_cell, cells))


@lru_cache(maxsize=1 << 16)  # a pure function of the cell; tables repeat their figures
def classify_cell(cell: str) -> str:
    """'empty' | 'number' | 'percent' | 'code' | 'text' | 'malformed'."""
    if not cell or cell in PLACEHOLDER:
        return "empty"
    if NUMBER.match(cell):
        return "number"
    if PERCENT.match(cell):
        return "percent"
    if " " in cell:
        return "malformed"  # two figures in one cell (see _cell)
    return "text"


# The kinds _row_cells acts on: classify_cell's, with a number told apart as a decimal, an
# integer of a code's shape (CODE: 3, 5 or 7 digits) or another integer, and a text cell
# that looks like a figure but does not parse (12.3.4, 1,2) told apart from a name. One
# cached look-up per cell instead of a look-up and several tests.
# (Final: compiled, each is a constant in the code, not a look-up in the module's globals)
CELL_EMPTY: Final = 0
CELL_DECIMAL: Final = 1
CELL_INTEGER: Final = 2
CELL_CODE: Final = 3
CELL_PERCENT: Final = 4
CELL_MALFORMED: Final = 5
CELL_TEXT: Final = 6
CELL_FIGURE_TEXT: Final = 7
_KIND_CODES = {"empty": CELL_EMPTY, "percent": CELL_PERCENT, "malformed": CELL_MALFORMED}


# cell_kind's answers by cell (a plain dict: a compiled look-up of it costs a fifth of an
# lru_cache's call, and cell_kind is asked for every cell of every row), emptied at 65,536
_CELL_KINDS: Final[dict[str, int]] = {}


def cell_kind(cell: str) -> int:
    """The kind of a cell for reading a row (see above)."""
    kind = _CELL_KINDS.get(cell)
    if kind is None:
        if len(_CELL_KINDS) >= 1 << 16:
            _CELL_KINDS.clear()
        kind = _CELL_KINDS[cell] = _cell_kind(cell)
    return kind


def _cell_kind(cell: str) -> int:
    kind = classify_cell(cell)
    if kind == "number":
        if "." in cell:
            return CELL_DECIMAL
        return CELL_CODE if CODE.match(cell) else CELL_INTEGER
    if kind == "text":
        figure_like = _DIGIT.search(cell) and _FIGURE_LIKE.fullmatch(cell)
        return CELL_FIGURE_TEXT if figure_like else CELL_TEXT
    return _KIND_CODES[kind]


def _is_code_cell(
    cells: Sequence[str], index: int, code_columns: AbstractSet[int],
    amount_columns: AbstractSet[int] = frozenset(),
) -> bool:
    """A code: in a 编码 column, or (no such column) a row's leading 3/5/7-digit integer before
    its name. A number under an amount column is an amount, whatever follows it."""
    cell = cells[index]
    if not CODE.match(cell):
        return False
    if index in code_columns:
        return True
    if index in amount_columns:
        return False
    following = next((c for c in cells[index + 1 :] if c), "")
    if classify_cell(following) != "text":
        return False
    if not any(classify_cell(c) in ("number", "percent") for c in cells[:index]):
        return True  # the row's leading code
    return not code_columns and _after_group(cells, index)


def _after_group(cells: Sequence[str], index: int) -> bool:
    """A second code–name–amount group on one line (301 … 100 | 302 … 50): the code follows
    an amount that itself follows a name."""
    before = [c for c in cells[:index] if c]
    return len(before) >= 3 and classify_cell(before[-1]) == "number" \
        and classify_cell(before[-2]) == "text"


_THREE_DIGITS, _TWO_DIGITS = re.compile(r"\d{3}"), re.compile(r"\d{2}")


def _split_code(cells: Sequence[str], index: int) -> tuple[str, int] | None:
    """A code printed over 类 | 款 | 项 columns (201 | 06 | 01 → 2010601), and its last cell.

    A 3-digit 类 followed by up to two 2-digit (or empty) cells and then the row's name.
    """
    if not _THREE_DIGITS.fullmatch(cells[index]):
        return None
    parts = [cells[index]]
    last = index
    for offset in (1, 2):
        position = index + offset
        if position >= len(cells):
            break
        cell = cells[position]
        if _TWO_DIGITS.fullmatch(cell) and len(parts) == offset:
            parts.append(cell)
            last = position
        elif cell == "":
            last = position
        else:
            break
    if len(parts) == 1:
        return None
    following = _first_filled(cells[last + 1 :])
    if classify_cell(following) != "text":
        return None
    return "".join(parts), last


_PART = re.compile(r"^\d{2}$")
_CLASS_PART = re.compile(r"^\d{3}$")
_SPLIT_LEAVES = ("类", "款", "项")
_CODE_COLUMN = re.compile("编码|代码|序号|编号")  # words of a code column's label


def split_code_columns(
    labels: Sequence[str], rows: Sequence[Sequence[str]]
) -> tuple[int, int] | None:
    """(first column, width) of the 类 | 款 | 项 columns (width 3) or the 类 | 款 columns of
    an economic table (width 2) of a table printing its codes split, or None.

    From the header (adjacent columns whose labels end in 类, 款(, 项)), or, when the header
    names no such columns, from the rows: a 3-digit 类 cell as the row's first cell, followed
    by one or two cells that are empty or 2-digit and then the row's name, at the same place
    in every such row.
    """
    return _split_by_labels(labels) or _split_by_rows(rows)


def _split_by_labels(labels: Sequence[str]) -> tuple[int, int] | None:
    """split_code_columns from the header: adjacent labels ending in 类, 款(, 项)."""
    leaves = [label.rpartition(" | ")[2] for label in labels]
    for index in range(len(leaves) - 1):
        if tuple(leaves[index : index + 2]) == _SPLIT_LEAVES[:2]:
            width = 3 if index + 2 < len(leaves) and leaves[index + 2] == "项" else 2
            return index, width
    return None


def _first_filled(cells: Sequence[str]) -> str:
    """The first filled cell of a row, '' when none (``next(filter(None, cells), "")``)."""
    for cell in cells:
        if cell:
            return cell
    return ""


def _split_by_rows(rows: Sequence[Sequence[str]]) -> tuple[int, int] | None:
    """split_code_columns from the rows, for a header that names no 类 | 款 columns."""
    shapes: set[tuple[int, int]] = set()
    for cells in rows:
        first = _first_filled(cells)
        # (a match of ^\d{3}$ is 3 characters long, or 4 with a line feed after them)
        if len(first) not in (3, 4) or not _CLASS_PART.match(first):
            continue
        index = cells.index(first)  # (the cells before it are empty)
        # both shapes need the cell after the 类 to be empty or a 2-digit part (and to be
        # there, since the name follows it): a row whose next cell is neither is neither
        following = cells[index + 1] if index + 1 < len(cells) else None
        if following is None or (following and not _PART.match(following)):
            continue
        for width in (3, 2):
            parts = cells[index + 1 : index + width]
            name = index + width
            if name < len(cells) and all(not p or _PART.match(p) for p in parts) \
                    and classify_cell(cells[name]) == "text":
                shapes.add((index, width))
                break
    return next(iter(shapes)) if len(shapes) == 1 else None


@dataclass
class CodeContext:
    """The 类 and 款 of the last coded row above, within one table (the parents a 款 or 项 row
    printing only its own part belongs to)."""

    klass: str = ""
    kuan: str = ""

    def enter(self, code: str) -> None:
        if len(code) >= 3:
            self.klass = code[:3]
            self.kuan = code[:5] if len(code) >= 5 else ""


def resolve_partial_code(
    cells: Sequence[str], split: tuple[int, int], context: CodeContext, kind: str
) -> tuple[list[str], str, str]:
    """A row of a split-code table whose 类 (and 款) cells are blank and that prints only its
    own part (``| 03 |`` or ``| | 01 |``), rebuilt under the enclosing row above.

    Returns (cells, code, problem): the row with its 类 | 款 | 项 cells filled in and the full
    code, or the row unchanged and '' when it is not a partial row, or the reason it cannot be
    rebuilt for sure ('table_partial_code_without_parent': no 类 / 款 row above in this table;
    'table_partial_code_not_of_the_shape': a part that is not 2 digits, or a rebuilt code not
    of the table kind's classification — for a table of unknown kind, not in the reference).
    """
    start, width = split
    out = list(cells) + [""] * max(0, start + width - len(cells))
    head, kuan, xiang = [*out[start : start + width], ""][:3]
    if head or not (kuan or xiang):
        return list(cells), "", ""
    following = next((c for c in out[start + width :] if c), "")
    if classify_cell(following) != "text":
        return list(cells), "", ""  # not a coded row (figures in the code columns)
    if any(p and not _PART.match(p) for p in (kuan, xiang)):
        return list(cells), "", "table_partial_code_not_of_the_shape"
    if kuan:
        parent = context.klass
        code = parent + kuan + xiang if parent else ""
    else:
        parent = context.kuan
        code = parent + xiang if parent else ""
    if not code:
        return list(cells), "", "table_partial_code_without_parent"
    if kind in FUNCTION_KINDS or kind in ECONOMIC_KINDS:
        certain = code_fits(kind, code)  # of the classification the table is keyed by
    else:  # a table of unknown kind: only a code the reference knows
        known = reference_codes()
        certain = code in known["function"] or code in known["economic"]
    if not certain:
        return list(cells), "", "table_partial_code_not_of_the_shape"
    out[start : start + width] = [code[:3], code[3:5], code[5:7]][:width]
    return out, code, ""


def _split_row_code(cells: Sequence[str], split: tuple[int, int]) -> str:
    """The full code printed in a split-code row's 类 | 款 (| 项) cells ('' when none)."""
    start, width = split
    head = cells[start] if start < len(cells) else ""
    if not head:
        return ""
    if CODE.match(head) and len(head) > 3:
        return head  # a joined code in the 类 column
    if not _CLASS_PART.match(head):
        return ""
    code = head
    for cell in cells[start + 1 : start + width]:
        if not _PART.match(cell):
            break
        code += cell
    return code


# the cell kinds classify_cell calls "number" or "percent"
_FIGURE_KINDS = frozenset({CELL_DECIMAL, CELL_INTEGER, CELL_CODE, CELL_PERCENT})


def _is_data_row(cells: Sequence[str]) -> bool:
    if not _FIGURE_KINDS.isdisjoint(map(cell_kind, cells)):  # (stops at the first figure)
        return True
    filled = [c for c in cells if c]
    if not filled:
        return False
    if CODE.match(filled[0]):
        return True
    # a figure-less total row (合计 and nothing else) is data; 合计 among other labels is header
    return filled[0] in _TOTAL_LABELS and len(filled) == 1


def _sub_header(cells: Sequence[str], header: Sequence[Sequence[str]]) -> bool:
    """A line holding only 小计 (合计, 总计) under the first column of a header group whose
    other columns already have labels of their own below it (公务用车购置及运行维护费 over
    小计 | 公务用车购置费 | 公务用车运行维护费, the 小计 printed lower): a header line, not a
    figure-less total row."""
    filled = [i for i, c in enumerate(cells) if c]
    if not header or len(filled) != 1 or cells[filled[0]] not in _TOTAL_LABELS:
        return False
    index = filled[0]
    labels = column_labels(header, max(len(cells), max(len(r) for r in header)))
    return bool(labels[index]) and any(
        label.startswith(labels[index] + " | ") for label in labels[index + 1 :])


def column_labels(header: Sequence[Sequence[str]], width: int) -> list[str]:
    """Labels per column: header cells top to bottom, merged cells filled to the right.

    An empty cell in an upper header line takes the value to its left when the line below has
    something in that column (the cell was merged across columns). A cell printed over each
    of the columns it spans (the PDF reader writes a group header so: ``三公 | 三公 | 三公``)
    states its extent: the empty cell after it is not part of it (a column whose own header
    cell was merged down and prints its text lower, 会议费 beside the 三公 group).
    """
    # Per column, read once: the first header line where a column group starts in it (a
    # filled cell unlike the one to its left) and the last header line with a cell in it.
    # "A group starts above line d" is then group_start < d, "something below" last > d.
    columns = max([width, *map(len, header)])
    group_start = [len(header)] * columns
    last_filled = [-1] * columns
    for depth, row in enumerate(header):
        for index, cell in enumerate(row):
            if cell:
                last_filled[index] = depth
                if group_start[index] > depth and (index == 0 or row[index - 1] != cell):
                    group_start[index] = depth
    filled: list[list[str]] = []
    for depth, row in enumerate(header):
        row = list(row) + [""] * (width - len(row))
        out: list[str] = []
        carry = ""
        for index, cell in enumerate(row):
            if cell:
                carry = cell
                if index and row[index - 1] == cell:
                    carry = ""  # a cell repeated over its span: it ends where it is printed
            elif group_start[index] < depth:
                carry = ""  # a new column group starts above: a cell merged down, not across
            elif carry and last_filled[index] > depth:
                cell = carry
            out.append(cell)
        filled.append(out)
    if not filled:
        return [""] * width
    labels: list[str] = []
    for column in zip(*filled, strict=False):  # (each filled row has ``width`` cells or more)
        parts: list[str] = []
        for cell in column:
            if cell and (not parts or parts[-1] != cell):
                parts.append(cell)
        labels.append(" | ".join(parts))
    return labels[:width]


def _shape_kind(rows: Sequence[list[str]]) -> tuple[str, tuple[str, ...]] | None:
    """Recognise a title-less table by its shape: function-code rows of the 收入总表's width."""
    code_rows = [r for r in rows if r and CODE.match(r[0]) and r[0].startswith("2")]
    if not code_rows or len(code_rows) < len(rows) * 0.8:
        return None
    widths = {len(r) for r in code_rows}
    if widths == {len(INCOME_SUMMARY_TEMPLATE)}:
        return "income_summary", INCOME_SUMMARY_TEMPLATE
    return None


# Table kinds whose rows carry functional codes (2xx / 2xxxx / 2xxxxxx) and those whose rows
# carry economic codes (301–399 / 5xx, with their 款). A code of the other classification is
# never read as a row of the table.
FUNCTION_KINDS = frozenset({
    "general_budget_expenditure",
    "expenditure_summary",
    "government_fund_expenditure",
    "state_capital_expenditure",
    "fiscal_expenditure",
    "income_summary",
})
ECONOMIC_KINDS = frozenset({
    "general_budget_basic_expenditure",
    "fiscal_basic_expenditure",
    "operating_funds",
})
FUNCTION_CODE = re.compile(r"^2\d{2}(?:\d{2}){0,2}$")
ECONOMIC_CODE = re.compile(r"^(?:3\d{2}|5\d{2})(?:\d{2})?$")
_REFERENCE = DEFAULT_DIVISIONS.parent  # seeds/reference (not beside a compiled __file__)


@lru_cache(maxsize=1)
def reference_codes() -> dict[str, frozenset[str]]:
    """Codes the reference seeds know: {'function': …, 'economic': …} (empty when absent)."""
    known: dict[str, set[str]] = {"function": set(), "economic": set()}
    sources = (
        ("function", "functional_classification.csv"),
        ("function", "functional_classes.csv"),
        ("economic", "economic_classification.csv"),
    )
    for classification, name in sources:
        path = _REFERENCE / name
        if path.exists():
            with path.open(encoding="utf-8", newline="") as handle:
                known[classification].update(row["code"] for row in csv.DictReader(handle))
    return {k: frozenset(v) for k, v in known.items()}


@lru_cache(maxsize=1 << 12)  # a pure function of a few table kinds and codes
def code_fits(kind: str, code: str) -> bool:
    """True when ``code`` has the shape of the classification the table kind is keyed by."""
    if kind in FUNCTION_KINDS:
        return bool(FUNCTION_CODE.match(code))
    if kind in ECONOMIC_KINDS:
        return bool(ECONOMIC_CODE.match(code))
    return True


_LEADING_ZERO = re.compile(r"^0\d+$")


def code_in_amount_cell(cell: str, kind: str, row: Sequence[str]) -> bool:
    """A number that is a code printed where an amount stands, not an amount.

    Amounts never print a leading zero, but the 款/项 digits of a code printed apart do
    (``302 08`` read as code 302 and "amount" 08). A bare integer that is a reference code of
    the table's classification (any classification for a table of unknown kind), in a row
    whose other amounts print decimals, is a code that slid into an amount column (the right
    lane's code of a two-lane row). Either way the row is not landed.
    """
    if _LEADING_ZERO.match(cell):
        return True
    if "." in cell or not CODE.match(cell):
        return False
    known = reference_codes()
    if kind in FUNCTION_KINDS:
        codes = known["function"]
    elif kind in ECONOMIC_KINDS:
        codes = known["economic"]
    else:
        codes = known["function"] | known["economic"]
    if cell not in codes:
        return False
    return any(other != cell and "." in other and NUMBER.match(other) for other in row)


_HEADER_UNIT = re.compile(r"[（(]\s*(万元|元)\s*[）)]|(?:金额)?单位\s*[:：]\s*(万元|元)")
_UNIT_ONLY_CELL = re.compile(r"^[（(]?(?:金额)?单位[:：](?:万元|元)[）)]?$")
_NAME_LEAVES = frozenset({"项目", "科目", "项目名称", "科目名称", "功能科目名称", "经济科目名称",
                          "单位名称", "功能分类科目", "经济分类科目", "支出功能分类科目"})


def header_unit(header: Sequence[Sequence[str]]) -> set[str]:
    """Units named in header cells: 金额（元）, （万元）, 单位：万元 at the header's right."""
    return {
        match.group(1) or match.group(2)
        for row in header for cell in row if "元" in cell  # (each unit ends in 元)
        for match in _HEADER_UNIT.finditer(cell)
    }


def _table_unit(block: TableBlock, in_header: AbstractSet[str]) -> tuple[str, str]:
    """The table's unit and, when it cannot be established, why (for the table note);
    ``in_header``: the units the header names (header_unit)."""
    if block.unit_problem:
        return "", f"unit not established: {block.unit_problem}"
    if len(in_header) > 1:
        return "", f"unit not established: the header names {' and '.join(sorted(in_header))}"
    header_says = next(iter(in_header), "")
    if block.unit and header_says and block.unit != header_says:
        if block.unit_source == "inherited":
            return header_says, ""
        return "", (
            f"unit not established: the {block.unit_source or 'title block'} says "
            f"{block.unit}, the header {header_says}"
        )
    if block.unit:
        note = "" if block.unit_source != "inherited" else (
            f"unit not printed (title block lost): {block.unit} as every other table of the "
            "document states"
        )
        return block.unit, note
    if header_says:
        return header_says, ""
    return "", (
        "unit not established (no 单位 line, title block or header names it): amounts kept "
        "as printed, without a unit, and left out of the money facts"
    )


def _is_name_column(label: str) -> bool:
    leaf = label.rpartition(" | ")[2]
    return leaf in _NAME_LEAVES or leaf.endswith("名称")


def pair_amounts_with_names(labels: Sequence[str]) -> tuple[list[str], list[int]]:
    """Labels where two amount columns would carry the same label, told apart by the name
    column each stands beside.

    Side-by-side summaries print (name, amount) pairs under group headers (支出 | 功能分类 |
    功能科目名称, 金额; 支出 | 支出用途 | 项目名称, 金额). When a group header's ruled cell is
    drawn one column too wide, two amount columns compose the same label (支出 | 支出用途 |
    金额 twice) and their figures could not be told apart. An amount column whose label is
    shared and whose left neighbour is a name column then takes that name column's upper
    levels. Nothing changes unless that makes every shared label unique; the changed columns
    are returned.
    """
    named = [label for label in labels if label]
    if len(set(named)) == len(named):
        return list(labels), []  # no label is shared: nothing to tell apart
    out = list(labels)
    counts: dict[str, int] = {}
    for label in labels:
        counts[label] = counts.get(label, 0) + 1
    changed: list[int] = []
    for index, label in enumerate(labels):
        if not label or counts[label] < 2 or _is_name_column(label):
            continue
        name = index - 1
        if name < 0 or not _is_name_column(labels[name]):
            continue
        upper = labels[name].split(" | ")[:-1]
        leaf = label.split(" | ")[-1]
        relabel = " | ".join([*upper, leaf])
        if upper and relabel != label:
            out[index] = relabel
            changed.append(index)
    shared = [i for i, label in enumerate(labels) if label and counts[label] > 1]
    if not changed or len({out[i] for i in shared}) != len(shared):
        return list(labels), []
    return out, changed


def parse_table(block: TableBlock) -> ParsedTable:
    """Long rows of one code table; every line ends up understood or unparsed.

    A table printed in traditional characters is read on its simplified view
    (ingest.traditional: 合計, 編碼, 單位：萬元 are matched as 合计, 编码, 单位：万元); its
    row and column labels, title and unparsed lines land as printed.
    """
    texts = [line.text for line in block.lines] + [block.title]
    views = traditional.view(texts, min_changed=1)
    if views is None:
        return _parse_table(block)
    view_block = replace(
        block,
        lines=[Line(line.number, text) for line, text in zip(block.lines, views, strict=False)],
        context=[Line(c.number, traditional.simplified(c.text)) for c in block.context],
        title=views[-1],
    )
    parsed = _parse_table(view_block)
    printed = traditional.Printed(views, texts)
    by_number = {line.number: line.text for line in block.lines}
    parsed.cells = [replace(c, row_label=printed.of(c.row_label),
                            column_label=printed.label(c.column_label)) for c in parsed.cells]
    parsed.unparsed = [replace(u, text=by_number[u.line_number].strip())
                       if u.line_number in by_number else u for u in parsed.unparsed]
    labels = [printed.label(label) for label in json.loads(parsed.table.column_labels)]
    parsed.table = replace(parsed.table, title=block.title, label=block.label,
                           column_labels=json.dumps(labels, ensure_ascii=False))
    return parsed


@dataclass(frozen=True)
class _Header:
    """What a table's header lines say about its columns (see _read_header)."""

    labels: tuple[str, ...]
    labels_json: str  # TableRecord.column_labels
    paired: tuple[int, ...]  # columns told apart by their name column (pair_amounts_with_names)
    code_columns: frozenset[int]
    amount_columns: frozenset[int] | None  # None: the header is not the document's
    widths: tuple[int, ...]  # of the header lines, for a header printed in the document
    units: frozenset[str]  # header_unit
    split: tuple[int, int] | None  # the split-code columns the labels name


@lru_cache(maxsize=1 << 10)  # a pure function of the header: one template's every table
def _read_header(header: tuple[tuple[str, ...], ...], width: int, printed: bool) -> _Header:
    """The columns of a table of ``width`` columns under these header lines (``printed``:
    the document's own, not a template's)."""
    label_cells = [["" if _UNIT_ONLY_CELL.match(c) else c for c in row] for row in header]
    labels, paired = pair_amounts_with_names(column_labels(label_cells, width))
    code_columns = frozenset(i for i, label in enumerate(labels) if _CODE_COLUMN.search(label))
    # columns a figure may stand in: under a header that is neither a code nor a name column
    amount_columns: frozenset[int] | None = None
    if printed:
        amount_columns = frozenset(
            i for i, label in enumerate(labels)
            if label and i not in code_columns and not _is_name_column(label)
        )
    widths = tuple(sorted({len(c) for c in header})) if printed else ()
    if len(widths) > 1:
        # header lines of different ruled grids: their cells do not stand over the same
        # columns, so no label can be composed by position and no figure is placed
        amount_columns = frozenset()
    return _Header(tuple(labels), json.dumps(labels, ensure_ascii=False), tuple(paired),
                   code_columns, amount_columns, widths, frozenset(header_unit(header)),
                   _split_by_labels(labels))


def _parse_table(block: TableBlock) -> ParsedTable:
    cell_rows = list(map(_cells, block.lines))
    rows = list(zip(block.lines, cell_rows, strict=True))
    header_rows: list[tuple[Line, list[str]]] = []
    for line, cells in rows:
        if _is_data_row(cells) and not _sub_header(cells, [c for _, c in header_rows]):
            break
        header_rows.append((line, cells))
    body = rows[len(header_rows) :]
    width = max(map(len, cell_rows), default=0)
    kind, identified_by, header_source = block.kind, block.identified_by, "document"
    note = ""
    header_cells = [cells for _, cells in header_rows]
    if not header_rows:
        header_source = "none"
        shape = _shape_kind([cells for _, cells in body])
        if shape is not None and kind == "unidentified":
            kind, template = shape
            identified_by, header_source = "shape", "template"
            header_cells = [list(template)]
            note = (
                "title and header lost; recognised by shape (function-code rows with the "
                f"{len(template)} columns of the 收入总表 template)"
            )
        elif kind == "unidentified":
            note = "title and header lost; shape not recognised: column labels are positions"
    header_key = tuple(map(tuple, header_cells))
    header = _read_header(header_key, width, header_source == "document")
    unit, unit_note = _table_unit(block, header.units)
    if unit_note:
        note = (note + "; " if note else "") + unit_note
    labels, paired = header.labels, header.paired
    if paired:
        note = (note + "; " if note else "") + "columns with one label told apart by the name " \
            "column on their left: " + ", ".join(f"column {i + 1} → {labels[i]}" for i in paired)
    code_columns, amount_columns = header.code_columns, header.amount_columns
    merged: dict[int, int] = {}
    header_widths = header.widths
    if len(header_widths) > 1:
        note = (note + "; " if note else "") + (
            "header lines printed on different ruled grids (widths "
            f"{', '.join(str(w) for w in header_widths)}): figures not placed under labels"
        )
    if amount_columns:
        merged = _merged_header_columns(labels, amount_columns, [c for _, c in body])
        if merged:
            note = (note + "; " if note else "") + "figures placed under their merged header " \
                "cell: " + ", ".join(
                    f"column {j + 1} → {labels[t]}" for j, t in sorted(merged.items()))
    header_width = max((len(c) for c in header_cells), default=0) if header_rows else 0
    last_amount_column = max(amount_columns, default=-1) if amount_columns else -1
    columns = _columns(labels, code_columns, amount_columns, tuple(sorted(merged.items())), width)
    result = ParsedTable(table=None)  # type: ignore[arg-type]
    result.understood.update(line.number for line, _ in header_rows)
    header_signature = list(header_key) if header_rows else []

    split = header.split if header.split is not None else _split_by_rows([c for _, c in body])
    context = CodeContext()  # the 类 / 款 above: parents of rows printing only their part
    partial_codes = 0
    wrong_codes: list[str] = []
    not_aligned: list[int] = []
    seen_rows: dict[tuple[str, ...], int] = {}
    code_lines: dict[str, list[int]] = {}
    breaks = sorted(block.page_breaks)
    after_break = False
    previous_line = 0
    repeated = 0
    row_number = 0
    first_header_line = header_signature[0] if header_signature else None
    understood = result.understood
    skip = 0  # lines of a repeated header still to pass
    for index, (line, cells) in enumerate(body):
        if skip:
            skip -= 1
            continue
        number = line.number
        signature = tuple(cells)
        # a repeated header (page break): skip it and watch for repeated rows
        if signature == first_header_line:
            span = len(header_signature)
            window = [tuple(c) for _, c in body[index : index + span]]
            if window == header_signature:
                understood.update(ln.number for ln, _ in body[index : index + span])
                after_break = True
                skip = span - 1
                continue
        first_filled = _first_filled(cells)
        if not first_filled:
            understood.add(number)
            continue
        if breaks and any(previous_line < b < number for b in breaks):
            after_break = True  # the title was repeated: a page break
        previous_line = number
        row_code = ""
        if split is not None:
            cells, row_code, partial_problem = resolve_partial_code(cells, split, context, kind)
            if partial_problem:
                result.unparsed.append(UnparsedLineRecord(
                    block.document_id, line.number, partial_problem, line.text.strip()))
                if split[0] + 1 < len(cells) and cells[split[0] + 1]:
                    context.kuan = ""  # its 项 rows have no parent that can be told
                continue
            partial_codes += bool(row_code)
            row_code = row_code or _split_row_code(cells, split)
            if row_code:
                context.enter(row_code)
            elif split[0] < len(cells) and cells[split[0]]:
                context = CodeContext()  # a 类 cell that is no code: no parent for what follows
            signature = tuple(cells)
        repeat_of = 0
        if after_break and signature in seen_rows:
            repeat_of = seen_rows[signature]
            repeated += 1
        else:
            after_break = False
            seen_rows.setdefault(signature, number)
            # the row's code: its split code, or its first filled cell
            first = row_code if split is not None else first_filled
            if cell_kind(first) == CELL_CODE:  # (= CODE.match(first), a cached look-up)
                where = code_lines.get(first)  # (no list made for a code seen before)
                if where is None:
                    code_lines[first] = [number]
                else:
                    where.append(number)
        row_number += 1
        row_cells, problem, several_codes = _row_cells(
            block, unit, kind, line, cells, columns, row_number, repeat_of)
        if not problem and amount_columns is not None and len(cells) < header_width \
                and len(row_cells) > 1 and last_amount_column > len(cells) - 1 \
                and line is not block.lines[-1]:
            # narrower than the header with two or more figures: a blank cell between them
            # may have collapsed (or trailing blanks were trimmed); which figure stands under
            # which column cannot be told, so none is placed. (The table's last line may be
            # cut off by a damaged file instead: the pipeline's truncation check reads it.)
            problem = "table_row_not_aligned"
        if not problem:
            understood.add(number)
        else:
            if problem == "table_code_not_of_this_table":
                wrong_codes.extend(sorted({c.code for c in row_cells if c.code}))
                row_cells = []
            elif problem == "table_row_not_aligned":
                row_cells = []  # never shifted into a neighbouring column
                not_aligned.append(number)
            elif problem == "table_code_in_amount_column":
                row_cells = []  # which figure belongs to which code cannot be told
                not_aligned.append(number)
            else:  # table_cell_not_a_number: two figures in one cell (or a figure that does
                # not parse) may stand for a collapsed column, so the row's other figures may
                # be shifted: none is landed (a figure of it under no amount column as well)
                row_cells = []
            result.unparsed.append(
                UnparsedLineRecord(block.document_id, number, problem, line.text.strip()))
        if several_codes:  # (a row of one code holds no second code group)
            row_cells, extra = _split_side_by_side(row_cells)
            row_number += extra
        result.cells.extend(row_cells)
    codes = set(map(_CODE_OF, result.cells))
    codes.discard("")
    kind, identified_by, misfiled = _check_classification(
        kind, identified_by, codes | set(wrong_codes))
    if misfiled:
        note = (note + "; " if note else "") + misfiled
    if wrong_codes:
        note = (note + "; " if note else "") + (
            f"rows with codes of another classification left unparsed ({', '.join(wrong_codes)})"
        )
    if not_aligned:
        note = (note + "; " if note else "") + (
            f"{len(not_aligned)} row(s) whose figures stand under no amount column left "
            f"unparsed (lines {', '.join(str(n) for n in not_aligned)})"
        )
    unknown = _unknown_codes(kind, codes)
    if unknown:
        note = (note + "; " if note else "") + (
            f"codes not in the reference (kept): {', '.join(unknown)}"
        )
    if partial_codes:
        note = (note + "; " if note else "") + (
            f"{partial_codes} row(s) printing only their 款 / 项 part of the code read under "
            "the 类 / 款 row above")
    if repeated:
        note = (note + "; " if note else "") + f"{repeated} row(s) repeated after a page break"
    for printed in block.context:  # 备注：本单位无政府性基金收支，故此表无数据。
        text = _SPACES.sub("", printed.text)
        if text and not _RULE_CHARS.fullmatch(text):
            note = (note + "; " if note else "") + f"printed note (line {printed.number}): {text}"
    for code, where in sorted(code_lines.items()):
        if len(where) > 1:  # not provably a repeat: kept, and said
            lines_text = ", ".join(str(n) for n in where)
            note = (note + "; " if note else "") + f"code {code} printed {len(where)} times " \
                f"(lines {lines_text}), all kept"
    result.table = TableRecord(
        document_id=block.document_id,
        table_id=block.table_id,
        table_kind=kind,
        identified_by=identified_by,
        label=block.label,
        title=block.title,
        title_line=block.title_line,
        unit=unit,
        header_source=header_source,
        column_labels=header.labels_json,
        first_line=block.lines[0].number if block.lines else block.title_line,
        last_line=block.lines[-1].number if block.lines else block.title_line,
        row_count=row_number,
        cell_count=len(result.cells),
        repeated_rows=repeated,
        note=note,
    )
    return result


def _merged_header_columns(
    labels: Sequence[str], amount_columns: AbstractSet[int], rows: Sequence[Sequence[str]]
) -> dict[int, int]:
    """Figure columns without a header of their own that lie inside one merged header cell.

    A ruled header cell merged over several ruled columns prints its text in one of them (金额
    over three columns, the figures under the first). A figure column without a label belongs
    to the merged cell of its nearest labelled neighbour when exactly one neighbour (left or
    right) is an amount column and the other is a name or code column or the table's edge, and
    no row has figures both in it and under that label. Anything else stays unplaced.
    """
    if all(labels) and max(map(len, rows), default=0) <= len(labels):
        return {}  # every column has a label of its own
    figures: dict[int, set[int]] = {}  # column → rows with a figure in it
    for number, cells in enumerate(rows):
        for index, cell in enumerate(cells):
            if classify_cell(cell) in ("number", "percent"):
                figures.setdefault(index, set()).add(number)
    labelled = [i for i, label in enumerate(labels) if label]
    out: dict[int, int] = {}
    for column, with_figures in figures.items():
        if column < len(labels) and labels[column]:
            continue
        left = max((i for i in labelled if i < column), default=None)
        right = min((i for i in labelled if i > column), default=None)
        sides = [x for x in (left, right) if x is not None and x in amount_columns]
        if len(sides) != 1:
            continue
        target = sides[0]
        between = range(min(column, target) + 1, max(column, target))
        if any(i in figures for i in between) or figures.get(target, set()) & with_figures:
            continue  # another figure column between, or both under one label in a row
        out[column] = target
    taken: dict[int, list[int]] = {}
    for column, target in out.items():
        taken.setdefault(target, []).append(column)
    return {c: t for c, t in out.items() if len(taken[t]) == 1 and t not in figures}


def _check_classification(kind: str, identified_by: str, codes: set[str]) -> tuple[str, str, str]:
    """A table filed by its title under one classification whose codes all belong to the
    other (an economic table titled like a function table) is not filed under that kind (its
    rows are already unparsed as codes of another classification)."""
    if not codes:
        return kind, identified_by, ""
    function = all(map(FUNCTION_CODE.match, codes))
    economic = all(map(ECONOMIC_CODE.match, codes))
    if kind in FUNCTION_KINDS and economic and not function:
        return UNIDENTIFIED, "none", (
            f"title says {kind} but every code is an economic-classification code: not filed "
            "as a function table"
        )
    if kind in ECONOMIC_KINDS and function and not economic:
        return UNIDENTIFIED, "none", (
            f"title says {kind} but every code is a functional-classification code: not filed "
            "as an economic table"
        )
    return kind, identified_by, ""


def _unknown_codes(kind: str, codes: set[str]) -> list[str]:
    classification = "function" if kind in FUNCTION_KINDS else (
        "economic" if kind in ECONOMIC_KINDS else "")
    if not classification:
        return []
    known = reference_codes()[classification]
    if not known:
        return []
    return sorted(codes - known)


def _split_side_by_side(cells: list[CellRecord]) -> tuple[list[CellRecord], int]:
    """Two code groups printed side by side on one line (301 … | 302 …) are two rows."""
    first = ""
    for cell in cells:  # two groups only when two codes differ
        if cell.code:
            if not first:
                first = cell.code
            elif cell.code != first:
                break
    else:
        return cells, 0
    codes: list[str] = []
    for cell in cells:
        if cell.code and (not codes or codes[-1] != cell.code):
            codes.append(cell.code)
    if len(codes) < 2:
        return cells, 0
    base = cells[0].row_number
    out = [_renumbered(c, base + codes.index(c.code)) if c.code else c for c in cells]
    return out, len(codes) - 1


def _renumbered(cell: CellRecord, row_number: int) -> CellRecord:
    """``replace(cell, row_number=row_number)``, made as _row_cells makes a record."""
    return new_cell_record(
        cell.document_id, cell.table_id, cell.line_number, row_number, cell.column_number,
        cell.code, cell.row_label, cell.column_label, cell.value_text, cell.amount, cell.unit,
        cell.repeat_of_line)


@dataclass(frozen=True)
class _Columns:
    """What a table's columns say about the cells under them, worked out once per table.

    ``places``: for each cell position of the table's rows, where a figure printed there
    lands: (column — that of its merged header cell, else its own —, that column's label or
    its position when it has none, whether it stands under no amount column). ``figures``:
    the columns a figure may stand in (the amount columns and the merged ones).
    """

    labels: Sequence[str]
    code_columns: frozenset[int]
    amount: frozenset[int] | None  # None: no header says which columns hold amounts
    merged: dict[int, int]
    figures: frozenset[int]
    places: list[tuple[int, str, bool]]

    def place(self, index: int) -> tuple[int, str, bool]:
        """Where a figure at cell position ``index`` lands (see ``places``)."""
        column = self.merged.get(index, index)
        label = self.labels[column] if column < len(self.labels) and self.labels[column] \
            else f"column {column + 1}"
        return column, label, self.amount is not None and column not in self.amount


@lru_cache(maxsize=1 << 10)  # a pure function of the header's reading and the merged cells
def _columns(labels: tuple[str, ...], code_columns: frozenset[int],
             amount: frozenset[int] | None, merged: tuple[tuple[int, int], ...],
             width: int) -> _Columns:
    """The _Columns of a table (``merged``: its merged header columns' items)."""
    columns = _Columns(labels, code_columns, amount, dict(merged),
                       (amount or frozenset()) | {column for column, _ in merged}, [])
    columns.places.extend(map(columns.place, range(width)))
    return columns


# The reasons a row cannot be read, one bit each, and the reason given for a set of them:
# the first of malformed cell, code of another classification, code in an amount cell,
# figure under no amount column.
_MALFORMED_CELL: Final = 1
_WRONG_CODE: Final = 2
_CODE_AS_AMOUNT: Final = 4
_MISALIGNED: Final = 8
_REASONS = ("table_cell_not_a_number", "table_code_not_of_this_table",
            "table_code_in_amount_column", "table_row_not_aligned")
_REASON_OF: Final = ("", *(next(_REASONS[bit] for bit in range(4) if flags >> bit & 1)
                    for flags in range(1, 16)))


def _row_cells(
    block: TableBlock,
    unit: str,
    kind: str,
    line: Line,
    cells: list[str],
    columns: _Columns,
    row_number: int,
    repeat_of: int,
) -> tuple[list[CellRecord], str, bool]:
    """The row's cells and '' or the reason the row cannot be read (then land none of it):
    'table_cell_not_a_number', 'table_row_not_aligned' (a figure under no amount column:
    a collapsed blank cell shifted it), 'table_code_not_of_this_table',
    'table_code_in_amount_column' (a code where an amount stands: see code_in_amount_cell);
    and whether the row took a second, different code after a first (two code groups side
    by side may then share the line: see _split_side_by_side)."""
    out: list[CellRecord] = []
    append = out.append
    code = row_label = ""
    flags = 0  # the reasons found (bits, see _REASON_OF)
    several_codes = False
    code_columns, places = columns.code_columns, columns.places
    known_places = len(places)
    document_id, table_id, line_number = block.document_id, block.table_id, line.number
    new_cell = new_cell_record  # (one look-up of the imported maker a row, not one a figure)
    numbered = enumerate(cells)
    for index, cell in numbered:
        kind_of_cell = cell_kind(cell)
        if kind_of_cell == CELL_EMPTY:
            continue
        if kind_of_cell == CELL_DECIMAL and index not in code_columns:
            # a decimal outside a 编码 column, the common case: an amount (the steps below
            # would take it to the same record: it is no code, not malformed, not text)
            column, label, outside = places[index] if index < known_places \
                else columns.place(index)
            if outside:
                flags |= _MISALIGNED
            append(new_cell(document_id, table_id, line_number, row_number, column, code,
                              row_label, label, cell, cell, unit, repeat_of))
            continue
        if kind_of_cell == CELL_TEXT:
            # a name: the steps below take it to the row's label too, in a 编码 column or not
            # (it is no code, not malformed, no figure-like text)
            row_label = cell
            continue
        # only an integer of a code's shape can be a code (_split_code's 3-digit 类 and
        # _is_code_cell's code both are); any integer can be a code in an amount cell
        if kind_of_cell == CELL_CODE:
            if index == 0 and len(cells) > 1 and cell_kind(cells[1]) == CELL_TEXT:
                # the common row: a leading code, then its name. _split_code wants a 2-digit
                # part or "" after a 类 (a text is neither: no split code), and _is_code_cell
                # finds no figure before it and a name after it: a code, unless it stands
                # under an amount column that is not a 编码 column (then an amount, as there)
                if 0 in code_columns or 0 not in columns.figures:
                    code = cell  # (the row's first code: no code before it, no label yet)
                    if not code_fits(kind, code):
                        flags |= _WRONG_CODE
                    continue
                split = None
            # (a code cell of 3 characters is a 3-digit 类: only it can start a split code)
            elif len(cell) == 3:
                split = _split_code(cells, index)
            else:
                split = None
            amount_columns = columns.amount
            if split is not None and (amount_columns is None or index not in amount_columns):
                found, last = split
                for _ in range(last - index):  # its 款 and 项 cells are read
                    next(numbered)
            elif index in code_columns \
                    or _is_code_cell(cells, index, code_columns, columns.figures):
                found = cell  # (_is_code_cell: a code in a 编码 column is a code)
            else:
                found = ""
            if found:
                several_codes = several_codes or (code != "" and found != code)
                code, row_label = found, ""
                if not code_fits(kind, code):
                    flags |= _WRONG_CODE
                continue
        if index in code_columns:  # a unit code (312002) in a 编码 column is a label, not money
            row_label = cell
            continue
        if kind_of_cell == CELL_MALFORMED:
            flags |= _MALFORMED_CELL  # two figures in one cell: neither is read
            continue
        if kind_of_cell in (CELL_TEXT, CELL_FIGURE_TEXT):
            if kind_of_cell == CELL_FIGURE_TEXT:
                flags |= _MALFORMED_CELL  # looks like a figure but does not parse (12.3.4, 1,2)
            row_label = cell
            continue
        if kind_of_cell in (CELL_INTEGER, CELL_CODE) and code_in_amount_cell(cell, kind, cells):
            flags |= _CODE_AS_AMOUNT
            continue
        column, label, outside = places[index] if index < known_places \
            else columns.place(index)
        if outside:
            flags |= _MISALIGNED
        if kind_of_cell == CELL_PERCENT:
            append(new_cell(document_id, table_id, line_number, row_number, column, code,
                              row_label, label, cell, cell.rstrip("%"), "%", repeat_of))
        else:  # a number: no % to strip
            append(new_cell(document_id, table_id, line_number, row_number, column, code,
                              row_label, label, cell, cell, unit, repeat_of))
    return out, _REASON_OF[flags], several_codes
