"""Codes split over 类 | 款 | 项 columns whose 款 and 项 rows print only their own part.

A family of the field (FIELD_NOTES.md, "Codes … split into 类 | 款 | 项 columns"): the 类 row
prints ``201 | | |``, its 款 rows ``| 03 | |`` and their 项 rows ``| | 01 |``; the rest of the
code is that of the enclosing row above. The full code is rebuilt only when that is certain
(the part has its level's shape, the parent row is above in the same table, the code is in the
reference or of the table kind's classification); otherwise the row lands unparsed with the
reason. The same rows reach the reader from tab text, from HTML tables (``read_html``) and
from PDF grids (``read_pdf`` places every ruled cell in its column, blank cells included).
"""

from __future__ import annotations

import pytest

from ingest.normalise import normalise_text
from ingest.read_html import read_html
from ingest.segment import segment
from ingest.tables import ParsedTable, parse_table

T = "\t"


def _row(*cells: str) -> str:
    return T.join(cells)


def _tables(lines: list[str]) -> list[ParsedTable]:
    return [parse_table(block) for block in segment(lines, "doc").blocks]


def _one(lines: list[str]) -> ParsedTable:
    (parsed,) = _tables(lines)
    return parsed


def _figures(parsed: ParsedTable) -> dict[tuple[str, str], str]:
    return {
        (c.code, c.column_label.split(" | ")[-1]): c.amount
        for c in parsed.cells
        if not c.repeat_of_line
    }


def _unparsed(parsed: ParsedTable) -> dict[str, str]:
    return {u.text.split(T)[0] + "|" + u.text.split(T)[1]: u.reason for u in parsed.unparsed}


TITLE = ["一般公共预算财政拨款支出预算表", "单位：万元"]
HEADER = [
    _row("功能分类科目", "", "", "", "2024年预算数", "", ""),
    _row("科目编码", "", "", "科目名称", "总计", "基本支出", "项目支出"),
    _row("类", "款", "项", "", "", "", ""),
]
ROWS = [
    _row("合计", "", "", "", "1552.57", "7.21", "1545.36"),
    _row("201", "", "", "一般公共服务支出", "1552.57", "7.21", "1545.36"),
    _row("", "03", "", "政府办公厅（室）及相关机构事务", "1487.94", "0.00", "1487.94"),
    _row("", "", "01", "行政运行", "651.43", "0.00", "651.43"),
    _row("", "", "50", "事业运行", "836.51", "0.00", "836.51"),
    _row("", "29", "", "群众团体事务", "64.63", "7.21", "57.42"),
    _row("", "", "02", "一般行政管理事务", "64.63", "7.21", "57.42"),
]


def test_tab_rows_take_the_code_of_the_enclosing_row() -> None:
    parsed = _one([*TITLE, *HEADER, *ROWS])
    figures = _figures(parsed)
    assert figures[("201", "总计")] == "1552.57"
    assert figures[("20103", "总计")] == "1487.94"
    assert figures[("2010301", "项目支出")] == "651.43"
    assert figures[("2010350", "总计")] == "836.51"
    assert figures[("20129", "基本支出")] == "7.21"
    assert figures[("2012902", "项目支出")] == "57.42"
    assert not parsed.unparsed
    assert {c.code for c in parsed.cells} == {
        "",
        "201",
        "20103",
        "2010301",
        "2010350",
        "20129",
        "2012902",
    }
    assert "5 row(s) printing only their 款 / 项 part" in parsed.table.note
    assert "code 201 printed" not in parsed.table.note  # one 类 row, not six


def test_economic_codes_split_over_two_columns() -> None:
    lines = [
        "一般公共预算财政拨款基本支出预算表",
        "单位：万元",
        _row("经济分类科目编码", "", "科目名称", "合计", "人员经费", "公用经费"),
        _row("类", "款", "", "", "", ""),
        _row("301", "", "工资福利支出", "486.38", "486.38", ""),
        _row("", "01", "基本工资", "120.00", "120.00", ""),
        _row("", "02", "津贴补贴", "366.38", "366.38", ""),
        _row("302", "", "商品和服务支出", "60.11", "", "60.11"),
        _row("", "11", "差旅费", "60.11", "", "60.11"),
    ]
    parsed = _one(lines)
    figures = _figures(parsed)
    assert figures[("30101", "合计")] == "120.00"
    assert figures[("30102", "人员经费")] == "366.38"
    assert figures[("30211", "公用经费")] == "60.11"
    assert not parsed.unparsed


def test_a_part_with_no_parent_above_is_unparsed_not_glued() -> None:
    rows = [
        _row("", "03", "", "政府办公厅（室）及相关机构事务", "1487.94", "0.00", "1487.94"),
        _row("", "", "01", "行政运行", "651.43", "0.00", "651.43"),
    ]
    parsed = _one([*TITLE, *HEADER, *rows])
    assert not parsed.cells
    assert {u.reason for u in parsed.unparsed} == {"table_partial_code_without_parent"}
    assert len(parsed.unparsed) == 2


def test_a_项_part_right_under_a_类_row_has_no_款_and_is_unparsed() -> None:
    rows = [
        _row("201", "", "", "一般公共服务支出", "651.43", "0.00", "651.43"),
        _row("", "", "01", "行政运行", "651.43", "0.00", "651.43"),
    ]
    parsed = _one([*TITLE, *HEADER, *rows])
    assert {c.code for c in parsed.cells} == {"201"}
    assert [u.reason for u in parsed.unparsed] == ["table_partial_code_without_parent"]


def test_the_prefix_never_crosses_a_table_boundary() -> None:
    other = ["部门支出总表", "单位：万元", *HEADER]
    first, second = _tables([*TITLE, *HEADER, *ROWS[:4], "", *other, *ROWS[5:]])
    assert "2010301" in {c.code for c in first.cells}
    # the second table starts with a 款 part: its 类 is not the first table's 201
    assert not second.cells
    assert {u.reason for u in second.unparsed} == {"table_partial_code_without_parent"}


@pytest.mark.parametrize("bad", ["3", "003", "1a"])
def test_a_part_of_the_wrong_shape_is_unparsed_and_its_children_too(bad: str) -> None:
    rows = [
        _row("201", "", "", "一般公共服务支出", "651.43", "0.00", "651.43"),
        _row("", bad, "", "政府办公厅（室）及相关机构事务", "651.43", "0.00", "651.43"),
        _row("", "", "01", "行政运行", "651.43", "0.00", "651.43"),
    ]
    parsed = _one([*TITLE, *HEADER, *rows])
    assert {c.code for c in parsed.cells} == {"201"}
    reasons = [u.reason for u in parsed.unparsed]
    assert reasons[-1] == "table_partial_code_without_parent"  # 项 01 of no known 款
    assert all(r.startswith("table_partial_code") or r.startswith("table_") for r in reasons)


def test_a_rebuilt_code_of_the_other_classification_is_unparsed() -> None:
    rows = [  # a 301 类 row in a function table: 30101 is no function code
        _row("301", "", "", "工资福利支出", "651.43", "651.43", ""),
        _row("", "01", "", "基本工资", "651.43", "651.43", ""),
    ]
    parsed = _one([*TITLE, *HEADER, *rows])
    assert not parsed.cells
    assert [u.reason for u in parsed.unparsed] == [
        "table_code_not_of_this_table",
        "table_partial_code_not_of_the_shape",
    ]


def test_a_class_cell_that_is_no_code_ends_the_parent() -> None:
    rows = [
        _row("201", "", "", "一般公共服务支出", "651.43", "0.00", "651.43"),
        _row("", "03", "", "政府办公厅（室）及相关机构事务", "651.43", "0.00", "651.43"),
        _row("小计", "", "", "", "651.43", "0.00", "651.43"),
        _row("", "", "01", "行政运行", "651.43", "0.00", "651.43"),
    ]
    parsed = _one([*TITLE, *HEADER, *rows])
    assert "2010301" not in {c.code for c in parsed.cells}
    assert [u.reason for u in parsed.unparsed] == ["table_partial_code_without_parent"]


def test_a_page_break_with_a_repeated_header_keeps_the_parent() -> None:
    """The title and header repeated inside the table: the 项 rows after the break belong to
    the 款 before it, and the row repeated after the break is flagged, not read twice."""
    lines = [*TITLE, *HEADER, *ROWS[:4], *TITLE, *HEADER, ROWS[3], *ROWS[4:]]
    parsed = _one(lines)
    figures = _figures(parsed)
    assert figures[("2010350", "总计")] == "836.51"
    assert figures[("2012902", "项目支出")] == "57.42"
    assert parsed.table.repeated_rows == 1
    repeated = [c for c in parsed.cells if c.repeat_of_line]
    assert {c.code for c in repeated} == {"2010301"}
    assert not parsed.unparsed


def test_header_lost_the_columns_are_told_by_the_类_rows() -> None:
    """No header (a table cut at a page break, title kept): the 类 | 款 | 项 columns are where
    every 3-digit 类 row prints its code followed by two blank cells and its name."""
    parsed = _one([*TITLE, *ROWS[1:]])
    assert {c.code for c in parsed.cells} >= {"201", "20103", "2010301", "2012902"}
    assert not parsed.unparsed


def test_html_table_rows_take_the_code_of_the_enclosing_row() -> None:
    def tr(*cells: str) -> str:
        return "<tr>" + "".join(f"<td>{c}</td>" for c in cells) + "</tr>"

    html = (
        "<html><body><p>一般公共预算财政拨款支出预算表</p><p>单位：万元</p><table>"
        + "".join(tr(*line.split(T)) for line in HEADER + ROWS)
        + "</table></body></html>"
    )
    decoded = read_html(html.encode("utf-8"), "page.html")
    lines = normalise_text(decoded.text)
    (parsed,) = [p for p in _tables(lines) if p.cells]
    figures = _figures(parsed)
    assert figures[("2010301", "总计")] == "651.43"
    assert figures[("2012902", "基本支出")] == "7.21"
    assert not parsed.unparsed
