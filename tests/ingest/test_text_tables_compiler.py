"""A text export's title block with a compiler line (部门：X) or a unit cut after its colon.

``pdftotext -layout`` writes the title block line by line: a compiler line right above the
header was read as the header's first line, and ``单位：`` with its ``万元`` on the next line
(as the Chongqing copies print it) opened no table region, so the table was not rebuilt and
its figures went unparsed for want of a unit.
"""

from __future__ import annotations

import pytest

from ingest.normalise import normalise_text
from ingest.segment import segment
from ingest.tables import parse_table
from ingest.text_tables import rebuild_text_tables


def _line(*parts: tuple[int, str]) -> str:
    out = ""
    for start, text in parts:
        out = out.ljust(start) + text
    return out


def _r(end: int, text: str) -> tuple[int, str]:
    return end - len(text), text


_TITLE = _line((20, "一般公共预算财政拨款支出预算表"))
_HEADER = [
    _line((2, "科目编码"), (16, "科目名称"), (34, "总计"), (42, "基本支出"), (52, "项目支出")),
]
_ROWS = [
    _line((0, "合计"), _r(38, "30.00"), _r(47, "20.00"), _r(57, "10.00")),
    _line((0, "201"), (8, "一般公共服务支出"), _r(38, "30.00"), _r(47, "20.00"), _r(57, "10.00")),
    _line((0, "20106"), (8, "财政事务"), _r(38, "30.00"), _r(47, "20.00"), _r(57, "10.00")),
    _line((0, "2010601"), (8, "行政运行"), _r(38, "20.00"), _r(47, "20.00")),
    _line((0, "2010602"), (8, "一般行政管理事务"), _r(38, "10.00"), _r(57, "10.00")),
]
_UNIT = _line((52, "单位：万元"))


@pytest.mark.parametrize("block", [
    [_UNIT, "", "编制单位：某某市某某局"],  # the unit above, the compiler right above the header
    ["部门：某某市某某局", "单位：", "万元"],  # the unit cut after its colon, below the compiler
    ["单位：", "万元", ""],
    ["填报单位： 103001-某某市某某局", _UNIT],
    [_line((0, "部门：某某市某某局"), (52, "单位：万元"))],  # (read before too)
])
def test_the_table_is_rebuilt_under_any_title_block(block: list[str]) -> None:
    text = "\n".join([_TITLE, "", *block, *_HEADER, *_ROWS, ""])
    lines = rebuild_text_tables(normalise_text(text)).lines
    [table] = segment(lines, "doc").blocks
    assert table.unit == "万元"
    cells = {(c.code or c.row_label, c.column_label): c.amount
             for c in parse_table(table).cells}
    assert cells == {
        ("合计", "总计"): "30.00", ("合计", "基本支出"): "20.00", ("合计", "项目支出"): "10.00",
        ("201", "总计"): "30.00", ("201", "基本支出"): "20.00", ("201", "项目支出"): "10.00",
        ("20106", "总计"): "30.00", ("20106", "基本支出"): "20.00", ("20106", "项目支出"): "10.00",
        ("2010601", "总计"): "20.00", ("2010601", "基本支出"): "20.00",
        ("2010602", "总计"): "10.00", ("2010602", "项目支出"): "10.00",
    }


def test_a_compiler_line_above_a_two_lane_header_keeps_the_lane_labels() -> None:
    """301 items on the left, 302 on the right, under 人员经费 | 公用经费: the compiler line
    read as the header's first line left every figure under a bare 金额."""
    text = "\n".join([
        _line((10, "一般公共预算财政拨款基本支出预算表")), "", _line((50, "单位：万元")), "",
        "编制单位：某某市某某局",
        _line((12, "人员经费"), (42, "公用经费")),
        _line((1, "科目编码"), (10, "科目名称"), (26, "金额"), (32, "科目编码"), (42, "科目名称"),
              (56, "金额")),
        _line((0, "301"), (7, "工资福利支出"), _r(29, "912.52"), (31, "302"),
              (38, "商品和服务支出"), _r(59, "182.95")),
        _line((0, "30102"), (7, "津贴补贴"), _r(29, "912.52"), (31, "30204"),
              (38, "手续费"), _r(59, "182.95")),
        "",
    ])
    lines = rebuild_text_tables(normalise_text(text)).lines
    [table] = segment(lines, "doc").blocks
    assert table.unit == "万元"
    cells = {(c.code, c.column_label, c.amount) for c in parse_table(table).cells}
    assert cells == {("301", "人员经费 | 金额", "912.52"), ("30102", "人员经费 | 金额", "912.52"),
                     ("302", "公用经费 | 金额", "182.95"), ("30204", "公用经费 | 金额", "182.95")}
