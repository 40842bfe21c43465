"""The quick paths of the segmenter give the answer of the full rules they stand for.

ingest/segment.py: a run of figure rows is found first and its lines made in one go (the run
ends at the first line that is not a figure row, or at the document's end); a line without a
tab is not split into cells; _maybe_title_block / _maybe_scaffolding are written out in the
loop. Each test puts a line on each side of the shortcut's boundary.
"""

from __future__ import annotations

import pytest

from ingest import segment as seg
from ingest.segment import segment

_TITLE = "某某单位收入支出预算总表"


def _rows(result: seg.Segmented) -> list[list[tuple[int, str]]]:
    return [[(line.number, line.text) for line in block.lines] for block in result.blocks]


@pytest.mark.parametrize("after", [
    None,  # the run ends with the document
    "",  # a blank line
    "合计\t\t",  # a tab row without a decimal (not a figure row): read by the full rules
    "以上为预算数。",  # prose
    "1.50\t2.50",  # a figure row: it joins the run
])
def test_a_run_of_figure_rows_ends_where_the_full_rule_ends_it(after: str | None) -> None:
    lines = [_TITLE, "单位：万元", "项目\t预算数", "工资福利支出\t1.25", "商品和服务支出\t3.50",
             "对个人和家庭的补助\t0.75"]
    if after is not None:
        lines.append(after)
    result = segment(lines, "d")
    run = [(4, "工资福利支出\t1.25"), (5, "商品和服务支出\t3.50"), (6, "对个人和家庭的补助\t0.75")]
    expected = [(3, "项目\t预算数"), *run]
    if after in ("合计\t\t", "1.50\t2.50"):
        expected.append((7, after))  # a row of the table either way
    assert _rows(result) == [expected]
    assert result.blocks[0].unit == "万元"
    assert result.prose == ([7] if after == "以上为预算数。" else [])


def test_one_figure_row_alone_and_the_line_after_it_read_by_the_full_rules() -> None:
    lines = [_TITLE, "项目\t预算数", "合计\t9.00", "单位：万元", "说明"]
    result = segment(lines, "d")
    assert _rows(result) == [[(2, "项目\t预算数"), (3, "合计\t9.00")]]
    assert 4 in result.scaffolding and result.prose == [5]


def test_rows_after_a_run_keep_their_numbers() -> None:
    lines = ["项目\t预算数", "a\t1.00", "b\t2.00", "", "c\t3.00", "d\t4.00", "尾"]
    result = segment(lines, "d")
    assert _rows(result) == [[(1, "项目\t预算数"), (2, "a\t1.00"), (3, "b\t2.00"),
                              (5, "c\t3.00"), (6, "d\t4.00")]]
    assert result.prose == [7]


@pytest.mark.parametrize("line", ["\t \t", " \t\u3000"])
def test_a_line_of_tabs_and_spaces_is_blank_not_a_ruled_row(line: str) -> None:
    lines = ["项目\t预算数", "a\t1.00", line, "b\t1.00"]
    result = segment(lines, "d")
    assert _rows(result) == [[(1, "项目\t预算数"), (2, "a\t1.00"), (4, "b\t1.00")]]
    assert result.prose == [] and result.scaffolding == []


@pytest.mark.parametrize(("line", "scaffolding", "lands_as"), [
    # maybe scaffolding: read by the full rules
    ("附件3", True, "scaffolding"),  # a label (its first character)
    ("单位：万元", True, "scaffolding"),  # a colon
    ("金额单位:元", True, "scaffolding"),  # an ASCII colon
    ("填报单位某某", True, "prose"),  # 填 (below a table's rows: prose, by the full rules)
    (_TITLE, True, "prose"),  # ends in 表 and holds it (a title without rows: prose)
    ("某某单位收入支出预算总表（续）", True, "prose"),  # 表 then a bracket note
    ("部门预算公开（详见附表）", True, "prose"),  # a bracket after 表: the full rules decide
    # prose for sure: no label start, colon, 填 or title ending
    ("本单位收入支出预算总表已公开。", False, "prose"),
    ("数据详见附表内容", False, "prose"),  # holds 表 but ends otherwise
])
def test_the_written_out_scaffolding_test_is_maybe_scaffolding(
        line: str, scaffolding: bool, lands_as: str) -> None:
    assert seg._maybe_scaffolding(line) is scaffolding
    result = segment(["项目\t预算数", "a\t1.00", line], "d")
    assert (3 in result.prose, 3 in result.scaffolding) == (lands_as == "prose",
                                                             lands_as == "scaffolding")
