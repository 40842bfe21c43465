"""Guards of the table reader: each test feeds a bad case and asserts nothing wrong lands.

The inputs are the layouts of the field (FIELD_NOTES.md, "Tables"): units stated on the title
line, on the 部门/编制单位 line or in the header; blank cells; codes of the other
classification; amounts followed by text; two figures in one cell. They go through the
low-level functions (segment → parse_table) so that they do not depend on identification.
"""

from __future__ import annotations

import json

import pytest

from ingest.segment import segment, title_block
from ingest.tables import parse_table

T = "\t"


def _parse(lines: list[str]):
    blocks = segment(lines, "doc").blocks
    return [parse_table(block) for block in blocks]


def _one(lines: list[str]):
    (parsed,) = _parse(lines)
    return parsed


FUNCTION_HEADER = T.join(["科目编码", "科目名称", "合计", "基本支出", "项目支出"])
FUNCTION_ROW = T.join(["2010101", "行政运行", "120.50", "120.50", ""])


# --- units ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("scaffolding", "unit"),
    [
        (["部门支出总表", "编制单位：某某局  单位：元"], "元"),
        (["部门支出总表", "金额单位：元"], "元"),
        (["部门支出总表（单位：万元）"], "万元"),
        (["部门支出总表", "（单位：万元）"], "万元"),
        (["部门支出总表", "部门：某某厅" + T + T + "单位：元" + T], "元"),
        (["支出预算总表部门：某某厅单位：万元" + T + T + T], "万元"),
        (["公开03表支出预算总表部门：某某厅单位：元" + T + T], "元"),
        (["部门支出总表", "单位:元"], "元"),
    ],
)
def test_unit_from_the_title_block(scaffolding: list[str], unit: str) -> None:
    parsed = _one([*scaffolding, FUNCTION_HEADER, FUNCTION_ROW])
    assert parsed.table.unit == unit
    assert {c.unit for c in parsed.cells} == {unit}
    assert parsed.table.table_kind == "expenditure_summary"


@pytest.mark.parametrize(
    ("header", "unit"),
    [
        (T.join(["科目编码", "科目名称", "合计（元）", "基本支出", "项目支出"]), "元"),
        (T.join(["科目编码", "科目名称", "金额（万元）", "", ""]), "万元"),
    ],
)
def test_unit_from_a_header_cell(header: str, unit: str) -> None:
    parsed = _one(["部门支出总表", header, T.join(["2010101", "行政运行", "120.50", "", ""])])
    assert parsed.table.unit == unit
    assert {c.unit for c in parsed.cells} == {unit}


def test_unit_at_the_right_of_the_header_is_no_column_label() -> None:
    header = T.join(["科目编码", "科目名称", "合计", "基本支出", "单位：元"])
    second = T.join(["", "", "", "", "项目支出"])
    parsed = _one(["部门支出总表", header, second, FUNCTION_ROW])
    assert parsed.table.unit == "元"
    assert "单位" not in parsed.table.column_labels


def test_a_money_table_without_a_unit_lands_flagged_and_unconverted() -> None:
    parsed = _one(["部门支出总表", FUNCTION_HEADER, FUNCTION_ROW])
    assert parsed.table.unit == ""
    assert "unit not established" in parsed.table.note
    # the cells keep the printed figure, with no unit: dbt's amount_to_wan gives null for
    # them and every money model keeps only cells with amount_wan not null
    assert {(c.amount, c.unit) for c in parsed.cells} == {("120.50", "")}


def test_two_units_for_one_table_is_no_unit() -> None:
    header = T.join(["科目编码", "科目名称", "合计（元）", "基本支出", "项目支出"])
    parsed = _one(["部门支出总表", "单位：万元", header, FUNCTION_ROW])
    assert parsed.table.unit == ""
    assert "万元" in parsed.table.note and "元" in parsed.table.note
    assert {c.unit for c in parsed.cells} == {""}


def test_a_table_that_lost_its_title_block_takes_the_one_unit_of_the_document() -> None:
    lines = [
        "部门支出总表",
        "单位：元",
        FUNCTION_HEADER,
        FUNCTION_ROW,
        "",
        T.join(["2010102", "一般行政管理事务", "3.00", "", "3.00"]),  # shape of another page
    ]
    parsed = _parse(lines)
    assert [p.table.unit for p in parsed] == ["元"] * len(parsed)


def test_title_block_parts() -> None:
    found = title_block("编制单位：某某局  金额单位：元")
    assert found is not None and (found.unit, found.issuer, found.title) == ("元", True, "")
    assert title_block("本部门单位：万元的说明如下，详见附表。") is None
    assert title_block("2017年部门预算支出总额为 123.45 万元") is None


# --- rows that cannot be placed under their columns ---------------------------------------------


def test_a_figure_under_no_header_column_is_unparsed_not_shifted() -> None:
    # a figure between 合计 and 基本支出, under neither: it could be either
    header = T.join(["功能科目代码", "功能科目名称", "合计", "", "基本支出", "项目支出"])
    row = T.join(["204", "公共安全支出", "", "23513.11", "", ""])
    parsed = _one(["财政拨款支出预算表", "单位：万元", header, row])
    assert parsed.cells == []
    assert [u.reason for u in parsed.unparsed] == ["table_row_not_aligned"]


def test_a_row_narrowed_by_a_collapsed_blank_cell_is_unparsed() -> None:
    # 基本支出 blank and its cell lost: 5.00 would otherwise read as 基本支出
    row = T.join(["2010102", "一般行政管理事务", "5.00", "5.00"])
    last = T.join(["2010199", "其他政府办公厅（室）及相关机构事务支出", "1.00", "", "1.00"])
    parsed = _one(["部门支出总表", "单位：万元", FUNCTION_HEADER, FUNCTION_ROW, row, last])
    assert [(c.code, c.column_label) for c in parsed.cells] == [
        ("2010101", "合计"),
        ("2010101", "基本支出"),
        ("2010199", "合计"),
        ("2010199", "项目支出"),
    ]
    assert [(u.line_number, u.reason) for u in parsed.unparsed] == [(5, "table_row_not_aligned")]


def test_a_figure_in_the_name_column_is_unparsed() -> None:
    row = T.join(["2010101", "120.50", "120.50", "", ""])
    parsed = _one(["部门支出总表", "单位：万元", FUNCTION_HEADER, row])
    assert parsed.cells == []
    assert [u.reason for u in parsed.unparsed] == ["table_row_not_aligned"]


# --- codes --------------------------------------------------------------------------------------


def test_an_amount_followed_by_text_is_not_a_code() -> None:
    header = T.join(["项目", "金额", "说明"])
    row = T.join(["办公费", "100", "用于日常办公"])
    parsed = _one(["政府采购预算明细表", "单位：万元", header, row])
    assert [(c.code, c.row_label, c.column_label, c.amount) for c in parsed.cells] == [
        ("", "办公费", "金额", "100")
    ]


def test_an_amount_after_a_code_row_is_not_a_code() -> None:
    header = T.join(["科目编码", "科目名称", "合计", "备注"])
    row = T.join(["2010101", "行政运行", "201", "含追加"])
    parsed = _one(["部门支出总表", "单位：万元", header, row])
    assert [(c.code, c.column_label, c.amount) for c in parsed.cells] == [
        ("2010101", "合计", "201")
    ]


def test_two_numbers_in_one_cell_are_not_joined_into_one() -> None:
    for cell in ("1234 5678", "12.00 3.40"):
        row = T.join(["2010101", "行政运行", cell, "", ""])
        parsed = _one(["部门支出总表", "单位：万元", FUNCTION_HEADER, row])
        assert parsed.cells == []
        assert [u.reason for u in parsed.unparsed] == ["table_cell_not_a_number"]


def test_a_row_with_a_malformed_cell_lands_none_of_its_figures() -> None:
    # "1,2" may be two figures of a collapsed column: the row's other figures may be shifted
    for cell in ("1,2", "12.3.4", "1234 5678"):
        row = T.join(["2010101", "行政运行", "5.00", cell, "7.00"])
        parsed = _one(["部门支出总表", "单位：万元", FUNCTION_HEADER, row])
        assert parsed.cells == []
        assert [u.reason for u in parsed.unparsed] == ["table_cell_not_a_number"]


def test_a_code_printed_with_spaces_is_one_code() -> None:
    row = T.join(["208 05 05", "机关事业单位基本养老保险缴费支出", "8.00", "8.00", ""])
    parsed = _one(["部门支出总表", "单位：万元", FUNCTION_HEADER, row])
    assert {c.code for c in parsed.cells} == {"2080505"}


def test_an_economic_code_in_a_function_table_is_unparsed() -> None:
    rows = [FUNCTION_ROW, T.join(["30201", "办公费", "3.00", "3.00", ""])]
    parsed = _one(["一般公共预算财政拨款支出预算表", "单位：万元", FUNCTION_HEADER, *rows])
    assert {c.code for c in parsed.cells} == {"2010101"}
    assert [(u.line_number, u.reason) for u in parsed.unparsed] == [
        (5, "table_code_not_of_this_table")
    ]
    assert "30201" in parsed.table.note


def test_a_function_code_in_an_economic_table_is_unparsed() -> None:
    header = T.join(["科目编码", "科目名称", "合计", "人员经费", "公用经费"])
    rows = [
        T.join(["30101", "基本工资", "10.00", "10.00", ""]),
        T.join(["2010101", "行政运行", "10.00", "10.00", ""]),
    ]
    parsed = _one(["一般公共预算基本支出预算表", "单位：万元", header, *rows])
    assert {c.code for c in parsed.cells} == {"30101"}
    assert [u.reason for u in parsed.unparsed] == ["table_code_not_of_this_table"]


def test_an_economic_table_is_never_filed_as_a_function_table() -> None:
    header = T.join(["科目编码", "科目名称", "金额"])
    rows = [T.join(["302", "商品和服务支出", "15.00"]), T.join(["30201", "办公费", "15.00"])]
    parsed = _one(["一般公共预算支出预算表", "单位：万元", header, *rows])
    assert parsed.table.table_kind == "unidentified"
    assert "economic-classification" in parsed.table.note
    assert parsed.cells == []


def test_the_operating_funds_table_is_an_economic_table() -> None:
    header = T.join(["科目编码", "科目名称", "机关运行经费支出"])
    rows = [
        T.join(["", "合计", "15.00"]),
        T.join(["302", "商品和服务支出", "15.00"]),
        T.join(["30201", "办公费", "15.00"]),
    ]
    parsed = _one(["一般公共预算机关运行经费支出预算表", "单位：万元", header, *rows])
    assert parsed.table.table_kind == "operating_funds"
    assert [c.code for c in parsed.cells] == ["", "302", "30201"]
    assert json.loads(parsed.table.column_labels)[2] == "机关运行经费支出"


# --- merged header cells of ruled tables --------------------------------------------------------


def test_a_figure_inside_a_merged_header_cell_is_placed_under_it() -> None:
    # 金额 merged over ruled columns 4–6, its text in column 5, the figures in column 4;
    # the other neighbour is the name column: the figure can only be the 金额
    header = T.join(["", "功能科目代码", "功能科目名称", "", "", "金额", ""])
    rows = [
        T.join(["", "", "合计", "", "28849.38", "", ""]),
        T.join(["204", "", "公共安全支出", "", "23513.11", "", ""]),
    ]
    parsed = _one(["财政拨款支出预算表", "单位：万元", header, *rows])
    assert [(c.code, c.row_label, c.column_label, c.amount) for c in parsed.cells] == [
        ("", "合计", "金额", "28849.38"),
        ("204", "公共安全支出", "金额", "23513.11"),
    ]
    assert "merged header" in parsed.table.note


def test_a_figure_between_two_amount_headers_is_not_placed() -> None:
    header = T.join(["合计", "", "", "基本支出", "", "", "项目支出", ""])
    row = T.join(["", "9146.79", "", "", "5916.27", "", "", "3123.68"])
    parsed = _one(["支出预算总表", "单位：万元", header, row, row])
    assert parsed.cells == []
    assert {u.reason for u in parsed.unparsed} == {"table_row_not_aligned"}


def test_header_lines_of_different_ruled_grids_place_no_figure() -> None:
    top = T.join(["", "收入", "", "", "支出", ""])  # 6 ruled columns
    middle = T.join(["", "项目名称", "", "", "金额", "", "项目名称", "", "", "金额", "", ""])
    row = T.join(
        ["", "一、一般公共预算", "", "", "33172.15", "", "", "一、基本支出", "", "", "18570.82", ""]
    )
    parsed = _one(["财政拨款收支预算总表", "单位：万元", top, middle, row])
    assert parsed.cells == []
    assert "different ruled grids" in parsed.table.note


def test_a_code_in_an_amount_column_is_never_an_amount() -> None:
    """The right lane's spaced code (302 08) or a bare reference code sliding into an amount
    column: the row lands unparsed, no figure 8 or 30207 under an amount label."""
    from ingest.tables import code_in_amount_cell

    assert code_in_amount_cell("08", "general_budget_basic_expenditure", ["301", "08", "3.54"])
    assert code_in_amount_cell(
        "30207",
        "general_budget_basic_expenditure",
        ["30101", "基本工资", "119.90", "30207", "邮电费", "12.42"],
    )
    assert code_in_amount_cell("30207", "unidentified", ["301", "x", "1.50", "30207"])
    # an integer amount in a table of integers (元) is an amount; so is one that is no code
    assert not code_in_amount_cell("30207", "general_budget_basic_expenditure", ["30101", "30207"])
    assert not code_in_amount_cell("45809", "general_budget_basic_expenditure", ["1.00", "45809"])
    assert not code_in_amount_cell("0.50", "general_budget_basic_expenditure", ["0.50"])
    assert not code_in_amount_cell("0", "general_budget_basic_expenditure", ["0", "1.00"])


def test_a_two_lane_row_whose_right_code_slid_into_an_amount_column_lands_nothing() -> None:
    header = T.join(["科目编码", "科目名称", "合计", "人员经费", "公用经费"])
    rows = [
        T.join(["30101", "基本工资", "10.00", "10.00", ""]),
        T.join(["301", "工资福利支出", "3.54", "30201", "办公费"]),  # a lane lost its place
        T.join(["302", "08", "3.54", "", "3.54"]),
    ]  # 302 08 printed apart, 08 under 合计
    parsed = _one(["一般公共预算基本支出预算表", "单位：万元", header, *rows])
    assert {(c.code, c.amount) for c in parsed.cells} == {("30101", "10.00")}
    assert [u.reason for u in parsed.unparsed] == ["table_code_in_amount_column"] * 2
