"""A compiler line (部门：X) in a ruled copy, and what the rows right below it are.

A compiler's name that wraps lands alone in its cell on the next ruled row (``财政局\\t\\t``) and
is read as the rest of the name. A header row (several filled cells) or a 单位 line there is not
the rest of a name: read as one, the table lost its column labels, or its unit (``单位：`` with
its ``万元`` wrapped into the next ruled row), and its figures landed under ``column 3``.
"""

from __future__ import annotations

import pytest

from ingest.divisions import DivisionIndex
from ingest.document import parse_document

_TOP = "重庆市渝中区财政局2024年部门预算情况说明\n\n一、收支预算总表\n\n表1 收支预算总表\n"
_ROW = "201\t一般公共服务支出\t12.5\n"


@pytest.fixture(scope="module")
def divisions() -> DivisionIndex:
    return DivisionIndex.load()


@pytest.mark.parametrize(("between", "label", "unit"), [
    # the issuer line and the header right below it (no unit printed anywhere)
    ("部门：重庆市渝中区财政局\t\t\n科目编码\t科目名称\t总计\n", "总计", ""),
    # the name wrapped into the next ruled row, then the header
    ("部门：重庆市渝中区\t\t\n财政局\t\t\n科目编码\t科目名称\t总计\n", "总计", ""),
    # a ruled 单位 line whose 万元 wrapped into the next ruled row
    ("部门：重庆市渝中区财政局\t\t\n单位：\t\t\n万元\t\t\n科目编码\t科目名称\t总计\n", "总计", "万元"),
    # the name wrapped, then the ruled 单位 line and its wrapped 万元
    ("部门：重庆市渝中区\t\t\n财政局\t\t\n单位：\t\t\n万元\t\t\n科目编码\t科目名称\t总计\n",
     "总计", "万元"),
    # the unit in the issuer's row, and in the header (before the fix too)
    ("部门：重庆市渝中区财政局\t\t单位：万元\n科目编码\t科目名称\t总计\n", "总计", "万元"),
    ("部门：重庆市渝中区财政局\t\t\n科目编码\t科目名称\t总计（万元）\n", "总计（万元）", "万元"),
    ("部门：重庆市渝中区财政局\t\t\n单位：万元\t\t\n科目编码\t科目名称\t总计\n", "总计", "万元"),
    # a rest of more than 12 characters (the name cut early in a narrow cell), then the unit
    ("填报单位： 103001-重庆市\t\t\n渝中区人力资源和社会保障局\t\t\n单位：万元\t\t\n"
     "科目编码\t科目名称\t总计\n", "总计", "万元"),
    ("部门：重庆\t\t\n市渝中区人力资源和社会保障局\t\t\n科目编码\t科目名称\t总计（万元）\n",
     "总计（万元）", "万元"),
    # the unit at the right of the compiler's row, its name wrapped below
    ("编制单位：重庆市渝中区\t\t单位：万元\n人力资源和社会保障局\t\t\n科目编码\t科目名称\t总计\n",
     "总计", "万元"),
])
def test_the_rows_below_a_compiler_line(divisions: DivisionIndex, between: str, label: str,
                                        unit: str) -> None:
    result = parse_document((_TOP + between + _ROW).encode(), "issuer.txt", divisions)
    [table] = result.tables
    assert table.column_labels == f'["科目编码", "科目名称", "{label}"]'
    assert table.unit == unit
    assert [(c.code, c.column_label, c.amount, c.unit) for c in result.cells] == [
        ("201", label, "12.5", unit)]


def test_the_compiler_line_repeated_after_a_page_break(divisions: DivisionIndex) -> None:
    """A page break prints the title block again, its compiler line (wrapped) too: those
    rows are the title block's, not rows of the table."""
    block = "部门：重庆市渝中区\t\t\n人力资源和社会保障局\t\t\n单位：万元\t\t\n科目编码\t科目名称\t总计\n"
    text = (_TOP + block + _ROW + "\n表1 收支预算总表\n\n" + block
            + "202\t外交支出\t3.5\n")
    result = parse_document(text.encode(), "issuer.txt", divisions)
    [table] = result.tables
    assert table.column_labels == '["科目编码", "科目名称", "总计"]'
    assert table.row_count == 2
    assert [(c.code, c.column_label, c.amount, c.unit) for c in result.cells] == [
        ("201", "总计", "12.5", "万元"), ("202", "总计", "3.5", "万元")]
