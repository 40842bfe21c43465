"""Code tables → long rows (code, row label, column label, amount).

Works for every table that is not a performance table: the header is the run of lines before
the first data row, merged header cells are filled to the right, and every numeric cell of a
data row becomes one :class:`CellRecord`. A header repeated inside the table (a page break)
is recognised, and the rows right after it that repeat rows already read are flagged with
``repeat_of_line`` instead of being read twice.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from ingest.blocks import Line, TableBlock
from ingest.records import CellRecord, TableRecord, UnparsedLineRecord

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
    return re.sub(r"\s+", "", text)


def _cells(line: Line) -> list[str]:
    return [_compact(c) for c in line.text.split("\t")]


def classify_cell(cell: str) -> str:
    """'empty' | 'number' | 'percent' | 'code' | 'text' | 'malformed'."""
    if not cell or cell in PLACEHOLDER:
        return "empty"
    if NUMBER.match(cell):
        return "number"
    if PERCENT.match(cell):
        return "percent"
    return "text"


def _is_code_cell(cells: Sequence[str], index: int, code_columns: set[int]) -> bool:
    cell = cells[index]
    if not CODE.match(cell):
        return False
    if index in code_columns:
        return True
    following = cells[index + 1] if index + 1 < len(cells) else ""
    return classify_cell(following) == "text"


def _split_code(cells: Sequence[str], index: int) -> tuple[str, int] | None:
    """A code printed over 类 | 款 | 项 columns (201 | 06 | 01 → 2010601), and its last cell.

    A 3-digit 类 followed by up to two 2-digit (or empty) cells and then the row's name.
    """
    if not re.fullmatch(r"\d{3}", cells[index]):
        return None
    parts = [cells[index]]
    last = index
    for offset in (1, 2):
        position = index + offset
        if position >= len(cells):
            break
        cell = cells[position]
        if re.fullmatch(r"\d{2}", cell) and len(parts) == offset:
            parts.append(cell)
            last = position
        elif cell == "":
            last = position
        else:
            break
    following = next((c for c in cells[last + 1 :] if c), "")
    if len(parts) == 1 or classify_cell(following) != "text":
        return None
    return "".join(parts), last


def _is_data_row(cells: Sequence[str]) -> bool:
    kinds = [classify_cell(c) for c in cells]
    if any(k in ("number", "percent") for k in kinds):
        return True
    filled = [c for c in cells if c]
    if not filled:
        return False
    if CODE.match(filled[0]):
        return True
    # a figure-less total row (合计 and nothing else) is data; 合计 among other labels is header
    return filled[0] in _TOTAL_LABELS and len(filled) == 1


def column_labels(header: Sequence[Sequence[str]], width: int) -> list[str]:
    """Labels per column: header cells top to bottom, merged cells filled to the right.

    An empty cell in an upper header line takes the value to its left when the line below has
    something in that column (the cell was merged across columns).
    """
    filled: list[list[str]] = []
    for depth, row in enumerate(header):
        row = list(row) + [""] * (width - len(row))
        lower = header[depth + 1 :]
        upper = header[:depth]
        out: list[str] = []
        carry = ""
        for index, cell in enumerate(row):
            if cell:
                carry = cell
            elif any(index < len(above) and above[index] for above in upper):
                carry = ""  # a new column group starts above: a cell merged down, not across
            elif carry and any(index < len(below) and below[index] for below in lower):
                cell = carry
            out.append(cell)
        filled.append(out)
    labels: list[str] = []
    for index in range(width):
        parts: list[str] = []
        for row in filled:
            cell = row[index] if index < len(row) else ""
            if cell and (not parts or parts[-1] != cell):
                parts.append(cell)
        labels.append(" | ".join(parts))
    return labels


def _shape_kind(rows: Sequence[list[str]]) -> tuple[str, tuple[str, ...]] | None:
    """Recognise a title-less table by its shape: function-code rows of the 收入总表's width."""
    code_rows = [r for r in rows if r and CODE.match(r[0]) and r[0].startswith("2")]
    if not code_rows or len(code_rows) < len(rows) * 0.8:
        return None
    widths = {len(r) for r in code_rows}
    if widths == {len(INCOME_SUMMARY_TEMPLATE)}:
        return "income_summary", INCOME_SUMMARY_TEMPLATE
    return None


def parse_table(block: TableBlock) -> ParsedTable:
    """Long rows of one code table; every line ends up understood or unparsed."""
    rows = [(line, _cells(line)) for line in block.lines]
    header_rows: list[tuple[Line, list[str]]] = []
    for line, cells in rows:
        if _is_data_row(cells):
            break
        header_rows.append((line, cells))
    body = rows[len(header_rows) :]
    width = max((len(c) for _, c in rows), default=0)
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
    labels = column_labels(header_cells, width)
    code_columns = {
        i for i, label in enumerate(labels)
        if any(word in label for word in ("编码", "代码", "序号", "编号"))
    }
    result = ParsedTable(table=None)  # type: ignore[arg-type]
    result.understood.update(line.number for line, _ in header_rows)
    header_signature = [tuple(cells) for cells in header_cells] if header_rows else []

    seen_rows: dict[tuple[str, ...], int] = {}
    code_lines: dict[str, list[int]] = {}
    breaks = sorted(block.page_breaks)
    after_break = False
    previous_line = 0
    repeated = 0
    row_number = 0
    index = 0
    while index < len(body):
        line, cells = body[index]
        # a repeated header (page break): skip it and watch for repeated rows
        if header_signature and tuple(cells) == header_signature[0]:
            span = len(header_signature)
            window = [tuple(c) for _, c in body[index : index + span]]
            if window == header_signature:
                result.understood.update(ln.number for ln, _ in body[index : index + span])
                after_break = True
                index += span
                continue
        index += 1
        signature = tuple(c for c in cells)
        if not any(cells):
            result.understood.add(line.number)
            continue
        if any(previous_line < b < line.number for b in breaks):
            after_break = True  # the title was repeated: a page break
        previous_line = line.number
        repeat_of = 0
        if after_break and signature in seen_rows:
            repeat_of = seen_rows[signature]
            repeated += 1
        else:
            after_break = False
            seen_rows.setdefault(signature, line.number)
            first = next((c for c in cells if c), "")
            if CODE.match(first):
                code_lines.setdefault(first, []).append(line.number)
        row_number += 1
        row_cells, bad = _row_cells(block, kind, line, cells, labels, code_columns, row_number,
                                    repeat_of)
        row_cells, extra = _split_side_by_side(row_cells)
        row_number += extra
        result.cells.extend(row_cells)
        if bad:
            result.unparsed.append(
                UnparsedLineRecord(
                    block.document_id,
                    line.number,
                    "table_cell_not_a_number",
                    line.text.strip(),
                )
            )
        else:
            result.understood.add(line.number)
    if repeated:
        note = (note + "; " if note else "") + f"{repeated} row(s) repeated after a page break"
    for printed in block.context:  # 备注：本单位无政府性基金收支，故此表无数据。
        text = re.sub(r"\s+", "", printed.text)
        if text and not re.fullmatch(r"[-—=_]+", text):
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
        unit=block.unit,
        header_source=header_source,
        column_labels=json.dumps(labels, ensure_ascii=False),
        first_line=block.lines[0].number if block.lines else block.title_line,
        last_line=block.lines[-1].number if block.lines else block.title_line,
        row_count=row_number,
        cell_count=len(result.cells),
        repeated_rows=repeated,
        note=note,
    )
    return result


def _split_side_by_side(cells: list[CellRecord]) -> tuple[list[CellRecord], int]:
    """Two code groups printed side by side on one line (301 … | 302 …) are two rows."""
    codes: list[str] = []
    for cell in cells:
        if cell.code and (not codes or codes[-1] != cell.code):
            codes.append(cell.code)
    if len(codes) < 2:
        return cells, 0
    base = cells[0].row_number
    out = [replace(c, row_number=base + codes.index(c.code)) if c.code else c for c in cells]
    return out, len(codes) - 1


def _row_cells(
    block: TableBlock,
    kind: str,
    line: Line,
    cells: list[str],
    labels: list[str],
    code_columns: set[int],
    row_number: int,
    repeat_of: int,
) -> tuple[list[CellRecord], bool]:
    out: list[CellRecord] = []
    code = ""
    row_label = ""
    malformed = False
    skip_until = -1
    for index, cell in enumerate(cells):
        if index <= skip_until:
            continue
        kind_of_cell = classify_cell(cell)
        if kind_of_cell == "empty":
            continue
        split = _split_code(cells, index)
        if split is not None:
            code, skip_until = split
            row_label = ""
            continue
        if _is_code_cell(cells, index, code_columns):
            code, row_label = cell, ""
            continue
        if index in code_columns:  # a unit code (312002) in a 编码 column is a label, not money
            row_label = cell
            continue
        if kind_of_cell == "text":
            if _DIGIT.search(cell) and re.fullmatch(r"[-\d.,%]+", cell):
                malformed = True  # looks like a figure but does not parse (12.3.4, 1,2)
            row_label = cell
            continue
        unit = "%" if kind_of_cell == "percent" else block.unit
        amount = cell.rstrip("%")
        out.append(
            CellRecord(
                document_id=block.document_id,
                table_id=block.table_id,
                line_number=line.number,
                row_number=row_number,
                column_number=index,
                code=code,
                row_label=row_label,
                column_label=labels[index] if index < len(labels) and labels[index]
                else f"column {index + 1}",
                value_text=cell,
                amount=amount,
                unit=unit,
                repeat_of_line=repeat_of,
            )
        )
    del kind
    return out, malformed
