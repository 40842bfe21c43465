"""The quick paths of the segmenter give the answer of the full rules they stand for.

ingest/segment.py: a run of figure rows is found first and its lines made in one go (the run
ends at the first line that is not a figure row, or at the document's end); a line without a
tab is not split into cells; _maybe_title_block / _maybe_scaffolding are written out in the
loop. Each test puts a line on each side of the shortcut's boundary.
"""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

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


_RULED_ROWS = [
    "科目编码\t科目名称\t总计\t基本支出\t项目支出",  # a header: a row
    "\t某某单位收入支出预算总表\t",  # one filled cell, a title
    "\t某某单位收入支出预算总表 1.5\t",  # one filled cell with a decimal: no title block
    "单位：万元\t\t",  # a 单位 line, the cells after it empty
    "单位：\t\t",  # a 单位 line naming no unit (its value follows)
    "单位：万元\t合计\t",  # a cell after it holds text: no 单位 line
    "部门：某某局\t\t单位：元",  # a compiler and a unit: a title block
    "某某局\t\t",  # no colon, no label start: a title block only right after a compiler line
    "附表3\t\t",  # a label start
    " --- \t === \t",  # rule characters only: a separator
    "合计\t  \t",  # spaces to strip
    "项目:\t1.25",  # a colon and a decimal: no title block
]


@pytest.mark.parametrize("text", _RULED_ROWS)
def test_ruled_row_facts_are_the_full_rules_on_the_line(text: str) -> None:
    # the reference: the expressions _segment applied to every ruled row before the cache
    cells = [c.strip() for c in text.split("\t")] if re.search(r"[^\S\t]", text) \
        else text.split("\t")
    filled = [c for c in cells if c]
    first = filled[0]
    ruled = seg._ruled_row(text)
    assert list(ruled.cells) == cells and list(ruled.filled) == filled
    for after_issuer in (False, True):
        asks = bool(seg._maybe_title_block(text, first[0], after_issuer)) \
            and not seg._DECIMAL.search(text)
        assert (ruled.maybe_title_block or (after_issuer and ruled.no_decimal)) is asks
    assert ruled.ruled_title is (len(filled) == 1 and seg.looks_like_table_title(filled[0]))
    unit_match = seg._UNIT_LINE.match(first)
    assert ruled.unit_line is bool(
        unit_match and all(not c for c in cells[cells.index(first) + 1:]))
    if ruled.unit_line:
        assert ruled.unit == (unit_match.group(1) or "")
        assert (not ruled.unit) is (unit_match.group(1) is None)  # (expect_unit_value)
    assert ruled.separator is bool(seg._SEPARATOR_ROW.match(text))


def test_ruled_rows_segment_as_before() -> None:
    # a compiler line and its wrapped name, a 单位 line after it, a separator; a ruled title and
    # a 单位 line whose value follows on its own line (the same with main's code, before the cache)
    lines = ["某某单位一般公共预算支出预算表", "部门：某某局\t\t", "某某局\t\t", "单位：元\t\t",
             "科目编码\t科目名称\t总计", " --- \t === \t", "201\t一般公共服务支出\t1.50",
             "\t某某单位政府性基金预算支出预算表\t", "单位：\t\t", "万元", "项目\t预算数\t",
             "合计\t2.00\t"]
    result = segment(lines, "d")
    assert [(b.title, b.unit, [line.number for line in b.lines]) for b in result.blocks] == [
        ("某某单位一般公共预算支出预算表", "元", [5, 7]),
        ("某某单位政府性基金预算支出预算表", "万元", [11, 12])]
    assert result.scaffolding == [1, 2, 3, 4, 6, 8, 9, 10] and result.prose == []


_DIGIT_POINT = re.compile(r"\d\.\d")


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet="0123456789.\t a٣５²一-", max_size=14))
def test_a_digit_point_is_found_as_the_expression_finds_it(text: str) -> None:
    assert seg._has_digit_point(text) == (_DIGIT_POINT.search(text) is not None)


def test_a_digit_point_needs_a_digit_either_side() -> None:
    for text, found in [("1.2", True), (".5", False), ("5.", False), ("a.1\t2.b", False),
                        ("x.y 3.4", True), ("..1.2", True), ("٣.٣", True), ("².²", False),
                        ("1..2", False), ("", False), ("１.５", True)]:
        assert seg._has_digit_point(text) is found, text
        assert (_DIGIT_POINT.search(text) is not None) is found, text
