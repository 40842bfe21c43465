"""The quick paths of the table reader and of the CSV rendering, at their boundaries.

ingest/tables.py and ingest/land.py take short cuts that must give the answer of the full
rule on every input (a header read once per distinct header, a cell's kind looked up once,
quick rejections before a full test, one %-formatting of a document's rows): each test here
puts a case on either side of one short cut's boundary, with the answer the full rule gives.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from conftest import landed_csv_text

from ingest.blocks import Line, TableBlock
from ingest.land import render_rows
from ingest.records import CellRecord
from ingest.tables import (
    CELL_CODE,
    CELL_DECIMAL,
    CELL_EMPTY,
    CELL_FIGURE_TEXT,
    CELL_INTEGER,
    CELL_MALFORMED,
    CELL_PERCENT,
    CELL_TEXT,
    _split_code,
    cell_kind,
    classify_cell,
    column_labels,
    header_unit,
    pair_amounts_with_names,
    parse_table,
    split_code_columns,
)

T = "\t"


def _block(lines: list[str], kind: str = "general_budget_basic_expenditure") -> TableBlock:
    return TableBlock("doc", 1, kind, "title", "", "支出表", 1, "万元",
                      lines=[Line(n, text) for n, text in enumerate(lines, start=2)],
                      unit_source="unit line")


@pytest.mark.parametrize(("cell", "kind"), [
    ("", CELL_EMPTY), ("—", CELL_EMPTY), ("1.50", CELL_DECIMAL), ("-3.5", CELL_DECIMAL),
    ("201", CELL_CODE), ("20101", CELL_CODE), ("2010101", CELL_CODE),
    ("12", CELL_INTEGER), ("2010", CELL_INTEGER), ("201010101", CELL_INTEGER),
    ("08", CELL_INTEGER), ("-201", CELL_INTEGER), ("5%", CELL_PERCENT),
    ("12.00 3.40", CELL_MALFORMED), ("合计", CELL_TEXT), ("12.3.4", CELL_FIGURE_TEXT),
    ("1,2", CELL_FIGURE_TEXT), ("2024年", CELL_TEXT),
])
def test_cell_kind_refines_classify_cell(cell: str, kind: int) -> None:
    assert cell_kind(cell) == kind
    number = kind in (CELL_DECIMAL, CELL_INTEGER, CELL_CODE)
    assert (classify_cell(cell) == "number") == number
    assert (classify_cell(cell) == "text") == (kind in (CELL_TEXT, CELL_FIGURE_TEXT))


def test_cell_kind_answers_the_same_once_its_cache_fills_and_is_emptied() -> None:
    from ingest import tables

    cells = [f"{n}.{n % 100:02d}" for n in range(70_000)] + ["201", "合计", "5%", ""]
    first = [cell_kind(cell) for cell in cells]  # (the cache is emptied once on the way)
    assert len(tables._CELL_KINDS) <= 1 << 16
    assert first == [tables._cell_kind(cell) for cell in cells]
    assert first[-4:] == [CELL_CODE, CELL_TEXT, CELL_PERCENT, CELL_EMPTY]
    assert set(first[:-4]) == {CELL_DECIMAL}
    assert [cell_kind(cell) for cell in cells] == first


def test_split_code_needs_a_part_and_then_a_name() -> None:
    assert _split_code(["201", "01", "02", "行政运行", "1.00"], 0) == ("2010102", 2)
    assert _split_code(["201", "01", "", "机构事务", "1.00"], 0) == ("20101", 2)
    assert _split_code(["201", "01", "机构事务"], 0) == ("20101", 1)
    # a lone 类 (no part after it) is no split code, whatever follows
    assert _split_code(["201", "一般公共服务支出", "1.00"], 0) is None
    assert _split_code(["201", "", "01", "行政运行"], 0) is None  # 项 without its 款
    assert _split_code(["201", "01", "1.00"], 0) is None  # a figure where the name stands
    assert _split_code(["201", "01"], 0) is None  # no name at all
    assert _split_code(["2010", "01", "行政运行"], 0) is None


def test_split_code_columns_quick_rejection_boundary() -> None:
    """A 类 followed by a cell that is neither empty nor a 2-digit part is no split-code
    row (rejected before the shapes are tried); followed by an empty or a 2-digit cell it is
    one, of width 3 or 2."""
    labels = ["", "", "", "", ""]
    assert split_code_columns(labels, [["201", "", "01", "行政运行", "1.00"]]) == (0, 3)
    assert split_code_columns(labels, [["", "301", "01", "基本工资", "1.00"]]) == (1, 2)
    assert split_code_columns(labels, [["", "201", "01", "01", "行政运行"]]) == (1, 3)
    assert split_code_columns(labels, [["301", "", "基本工资", "1.00"]]) == (0, 2)
    assert split_code_columns(labels, [["201", "一般公共服务支出", "1.00"]]) is None
    assert split_code_columns(labels, [["201", "1.00", "名称"]]) is None
    assert split_code_columns(labels, [["201"]]) is None
    assert split_code_columns(["类", "款", "项", "科目名称"], []) == (0, 3)
    assert split_code_columns(["科目编码 | 类", "科目编码 | 款", "名称"], []) == (0, 2)


def test_pair_amounts_quick_exit_only_without_shared_labels() -> None:
    unique = ["支出 | 项目名称", "支出 | 金额", "收入 | 项目", "收入 | 金额"]
    assert pair_amounts_with_names(unique) == (unique, [])
    shared = ["支出 | 功能科目名称", "支出 | 金额", "支出 | 项目名称", "支出 | 金额"]
    assert pair_amounts_with_names(shared) == (shared, [])  # the relabels stay shared
    told_apart = ["支出 | 功能分类 | 功能科目名称", "支出 | 支出用途 | 金额",
                  "支出 | 支出用途 | 项目名称", "支出 | 支出用途 | 金额"]
    labels, changed = pair_amounts_with_names(told_apart)
    assert changed == [1]
    assert labels[1] == "支出 | 功能分类 | 金额"


def test_header_unit_looks_only_at_cells_with_yuan() -> None:
    assert header_unit([["项目", "金额（元）"], ["单位：万元"]]) == {"元", "万元"}
    assert header_unit([["项目", "金额(万元 )", "（ 元）"]]) == {"万元", "元"}
    assert header_unit([["项目", "金额", "单位：千"]]) == set()


def test_column_labels_group_starts_and_cells_below() -> None:
    header = [
        ["科目", "", "三公", "三公", "三公", "会议费"],
        ["", "", "小计", "因公出国", "公务接待", ""],
        ["编码", "名称", "", "", "", ""],
    ]
    assert column_labels(header, 7) == [
        "科目 | 编码", "科目 | 名称", "三公 | 小计", "三公 | 因公出国", "三公 | 公务接待",
        "会议费", "",
    ]
    # a cell merged across (nothing above starts a group there, something below): filled
    assert column_labels([["支出", ""], ["基本", "项目"]], 2) == ["支出 | 基本", "支出 | 项目"]
    # a group starting above stops the carry of the line below
    assert column_labels([["a", "b"], ["c", ""], ["", "d"]], 2) == ["a | c", "b | d"]
    assert column_labels([], 3) == ["", "", ""]


def test_row_problem_order_and_two_code_groups() -> None:
    header = T.join(["科目编码", "科目名称", "金额", "科目编码", "科目名称", "金额"])
    parsed = parse_table(_block([
        header,
        T.join(["301", "工资福利支出", "100.00", "302", "商品和服务支出", "50.00"]),
        # a malformed cell and a figure under no column: the malformed cell is the reason
        T.join(["30101", "基本工资", "12.3.4", "", "", "", "1.00"]),
        T.join(["30102", "津贴补贴", "2.00", "", "", "", "3.00"]),
        T.join(["30103", "奖金", "2.00"]),
    ]))
    cells = [(c.line_number, c.row_number, c.code, c.amount) for c in parsed.cells]
    # nothing of the row with a malformed cell lands (its 1.00 stands under no column)
    assert cells == [(3, 1, "301", "100.00"), (3, 2, "302", "50.00"), (6, 5, "30103", "2.00")]
    reasons = {u.line_number: u.reason for u in parsed.unparsed}
    assert reasons == {4: "table_cell_not_a_number", 5: "table_row_not_aligned"}


def test_a_header_read_again_reads_the_same() -> None:
    lines = [T.join(["科目编码", "科目名称", "合计"]), T.join(["301", "工资福利支出", "1.00"])]
    first, again = parse_table(_block(lines)), parse_table(_block(lines))
    assert first == again
    wider = parse_table(_block([*lines, T.join(["302", "商品和服务支出", "2.00", "3.00"])]))
    assert wider.table.column_labels == '["科目编码", "科目名称", "合计", ""]'


@dataclass(frozen=True)
class _Mixed:
    text: str
    number: int
    flag: bool
    other: object


@pytest.mark.parametrize("text", [
    "plain", "", "a,b", 'say "x"', "two\nlines", "cr\r", " spaced ", "单位：万元",
])
def test_render_rows_is_the_csv_modules_text(text: str) -> None:
    cells = [CellRecord("doc", 1, 3, 1, 2, "301", text, "合计", "1.00", "1.00", "万元", 0),
             CellRecord("doc", 1, 4, 2, 2, "", "名称", text, "2", "2", "元", 3)]
    rows = [tuple(vars(c).values()) for c in cells]
    assert render_rows(CellRecord, cells) == landed_csv_text(rows)
    mixed = [_Mixed(text, 7, True, None), _Mixed("x", -1, False, text)]
    assert render_rows(_Mixed, mixed) == landed_csv_text([(text, 7, True, ""), ("x", -1, False, text)])
    assert render_rows(CellRecord, []) == ""


def _read(lines: list[str]) -> tuple[list[tuple[int, int, str, str, str]], list[tuple[int, str]]]:
    parsed = parse_table(_block(lines))
    return ([(c.line_number, c.column_number, c.code, c.row_label, c.amount)
             for c in parsed.cells], [(u.line_number, u.reason) for u in parsed.unparsed])


def test_leading_code_then_name_short_cut_boundary() -> None:
    """A row's first cell a code and its second a name is read as code + name without
    _split_code and _is_code_cell, unless the first column is an amount column that is no
    编码 column; either side gives what the full rule gives."""
    # the short cut: under a 编码 column, and under a name column (项目), a code; a code of
    # another classification still makes the row unparsed
    assert _read(["科目编码\t科目名称\t金额", "30101\t基本工资\t1.50", "999\t其他\t2.00"]) == (
        [(3, 2, "30101", "基本工资", "1.50")], [(4, "table_code_not_of_this_table")])
    assert _read(["项目\t\t金额", "30101\t基本工资\t1.50"]) == (
        [(3, 2, "30101", "基本工资", "1.50")], [])
    # not the short cut: the first column is an amount column (a code there is no code)
    assert _read(["金额\t名称\t金额", "30101\t基本工资\t1.50", "301\t工资\t2.00"]) == (
        [], [(3, "table_code_in_amount_column"), (4, "table_code_in_amount_column")])
    # not the short cut: a figure or a 2-digit part after the code
    assert _read(["科目编码\t科目名称\t金额", "30101\t1.50\t2.00"]) == (
        [], [(3, "table_row_not_aligned")])
    assert _read(["科目编码\t科目名称\t金额", "301\t01\t基本工资\t1.50"]) == (
        [(3, 2, "30101", "基本工资", "1.50")], [])


def test_a_name_cell_is_the_rows_label_in_a_code_column_or_not() -> None:
    """A text cell (CELL_TEXT) is taken to the row's label at once; a figure-like text (1,2)
    is not that short cut: in a 编码 column a label, elsewhere a malformed cell."""
    assert _read(["科目编码\t科目名称\t金额", "合计\t\t3.00", "\t合计\t3.00"]) == (
        [(3, 2, "", "合计", "3.00"), (4, 2, "", "合计", "3.00")], [])
    assert _read(["科目编码\t科目名称\t金额", "1,2\t\t3.00", "\t1,2\t3.00"]) == (
        [(3, 2, "", "1,2", "3.00")], [(4, "table_cell_not_a_number")])


def test_a_record_made_without_the_class_call_is_the_class_calls() -> None:
    from dataclasses import replace

    from ingest.records import new_cell_record
    from ingest.tables import _renumbered

    values = ("doc", 1, 5, 2, 3, "30101", "基本工资", "合计", "12.50", "12.50", "万元", 0)
    made, called = new_cell_record(*values), CellRecord(*values)
    assert type(made) is CellRecord and made == called
    assert list(made.__dict__.items()) == list(called.__dict__.items())
    with pytest.raises(AttributeError):
        made.amount = "1"  # type: ignore[misc]  # still frozen
    renumbered = _renumbered(made, 7)
    assert renumbered == replace(called, row_number=7)
    assert list(renumbered.__dict__) == list(called.__dict__)
