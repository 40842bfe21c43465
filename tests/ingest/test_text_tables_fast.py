"""The faster structures of ``ingest.text_tables`` give the answers of the rules they replace,
at the boundaries where a shortcut could differ: words found by ``str.split`` (every
whitespace, a word printed twice), the table-of-contents test read from the line's end, the
region-ending patterns matched as one, the column of a position found by binary search, and
the second sum check skipped only when it cannot mark anything."""

from __future__ import annotations

import re

import pytest

from ingest.text_tables import (
    _GLUED,
    _LABEL_WORD,
    _LEADER,
    _NOTE_LINE,
    _REGION_END,
    _SECTION,
    _TABLE_LABEL,
    _WIDE_GAP,
    Lane,
    Row,
    Token,
    _column_at,
    _ends_region,
    _is_title,
    check_lane,
    check_rows,
    is_label_word,
    is_toc_line,
    read_header,
    resolve_by_sums,
    tokens,
)


def _tokens_by_pattern(line: str) -> list[Token]:
    """The words as the patterns define them: ``\\S+``, glued figures split apart."""
    out: list[Token] = []
    for match in re.finditer(r"\S+", line):
        offset = match.start()
        for piece in _GLUED.split(match.group()):
            if piece:
                out.append(Token(piece, offset, offset + len(piece)))
                offset += len(piece)
    return out


@pytest.mark.parametrize("line", [
    "",
    "   ",
    "201 04 99   其他发展与改革事务支出     113.67   113.67",
    "12.00  12.00   12.00",  # a word printed again: found after the one before
    "1  11  1.1  11.1 1",  # a word that is part of an earlier one
    "八、其他收入   6.20八、社会保障和就业支出",  # glued both ways
    "合计2940.05\f",  # a form feed
    "项目\u3000\u3000金额\xa0100.00\u2003200.00",  # ideographic, no-break and em spaces
    "a\x1cb\x1dc\x1ed\x1ff\x85g",  # separators str.split and \\s both split at
    "\t 收入\t\t1,234.50 ",
    # the words of figure characters alone, and one character more: glued or not
    "113.67 -5.00 --1.00 1,234.56 12.5% 1.00-2 1.00-2.00 -1.00五 五12.34 12.34五",
    "1.234.56 1.00.00 .50 5. 1.00% 100%.00 ）12.00 12.00） 、-3.00 １２.３４五 1.00a",
])
def test_tokens_are_the_patterns_words(line: str) -> None:
    assert tokens(line) == _tokens_by_pattern(line)
    assert all(type(token) is Token for token in tokens(line))


@pytest.mark.parametrize("text", [
    "二、收入决算表 ……………………………………………… 4",
    "三、支出决算表 .............. 5",
    "目录……第一部分",  # two ellipses anywhere
    "收入决算表 ...",  # leaders without a page number
    "收入决算表 ...12 34",  # two numbers after the leaders: no entry
    "收入决算表 .. 3",  # two dots only
    "收入决算表 ·．. 3  ",  # mixed leaders, trailing spaces
    "收入决算表 ...３",  # a full-width page number (a decimal digit)
    "收入决算表 ...\u3000 12 \u3000",
    "收入决算表 ... 12\n",
    "合计   113.67   113.67",
    "...",
    "..",
    "",
])
def test_toc_test_is_the_leader_pattern(text: str) -> None:
    expected = any(dot in text for dot in ".…·．") and bool(_LEADER.search(text))
    assert is_toc_line(text) == expected


@pytest.mark.parametrize("compact", [
    "第二部分部门决算表", "第十一部分", "附件1", "附件1说明", "附表12", "表十", "表3续",
    "公开08表", "注：本表无数据", "（备注：无）", "说明:", "注意事项", "合计113.67",
])
def test_region_end_is_the_three_patterns(compact: str) -> None:
    expected = any(p.match(compact) for p in (_SECTION, _TABLE_LABEL, _NOTE_LINE))
    assert bool(_REGION_END.match(compact)) == expected


def test_column_at_is_the_linear_scan() -> None:
    bounds = [10.0, 20.5, 31.0, 40.0]

    def linear(position: float) -> int:
        index = 0
        while index < len(bounds) and position >= bounds[index]:
            index += 1
        return index

    for position in (0, 9.5, 10, 10.5, 20.5, 21, 30.9, 31, 40, 41, 100):
        assert _column_at(position, bounds) == linear(position)
    assert _column_at(5, []) == 0


LANE = Lane([0], [1], [2])
LABELS = ["科目编码", "科目名称", "合计"]


def _row(line: int, code: str, value: str) -> Row:
    return Row(line, codes=[code], names=["名称"], values={2: value}, lines=[line])


def test_second_check_after_rows_marked_by_the_sums() -> None:
    # 20101 printed twice: the first check compares 201 with the later 20101 (30 ≠ 20) and
    # marks both; only the second check then compares the earlier 20101 with its child
    # (10 ≠ 20): the second check must run although the sums placed nothing
    earlier, parent = _row(0, "20101", "10.00"), _row(1, "201", "30.00")
    later, child = _row(2, "20101", "20.00"), _row(3, "2010101", "20.00")
    rows = [earlier, parent, later, child]
    check_lane(rows, LANE, LABELS)
    assert parent.problem and later.problem
    assert "under 20101" in earlier.problem and "under 20101" in child.problem


def test_one_check_when_the_sums_mark_nothing() -> None:
    rows = [_row(0, "201", "30.00"), _row(1, "20101", "30.00"), _row(2, "2010101", "30.00")]
    assert check_rows(rows, LANE, LABELS) is False
    assert resolve_by_sums(rows, LANE, False) is False  # no row waits for the sums
    assert not any(row.problem for row in rows)
    wrong = [_row(0, "201", "30.00"), _row(1, "20101", "20.00")]
    assert check_rows(wrong, LANE, LABELS) is True


@pytest.mark.parametrize("text", [
    "项目", "项目名称", "科目", "科目名称", "科目编码", "编码", "名称", "类", "款", "项", "类款项",
    "类 款 项", "类\u3000款项", "收入", "支出", "支出用途", "功能分类", "经济分类科目", "支出功能分类科目",
    "功能科目名称", "部门科目编码", "科目代码", "单位代码", "编号", "序号", "2023分类", "1项",
    "一般公共服务支出", "工资福利支出", "本年收入", "其他支出项", "项目支出", "名称\n", "项目 \n",
    "支出\n", "分类\n", "收入支出", "", "201", "113.67",
])
def test_label_word_is_the_pattern(text: str) -> None:
    assert is_label_word(text) == bool(_LABEL_WORD.match(text))


def _ends_region_in_full(text: str) -> bool:
    compact = "".join(text.split())
    return bool(
        _is_title(text) or _REGION_END.match(compact) or is_toc_line(text)
        or (compact.endswith(("。", "；")) and len(compact) > 20)
        or (len(compact) > 60 and not _WIDE_GAP.search(text)))


@pytest.mark.parametrize("text", [
    "第二部分 部门决算表", "第 二 部 分", "附 件 1", "附表12", "表 十", "公开 08 表", "（注：本表无数据）",
    "注 ：无", "说明:", "201   一般公共服务支出   113.67",
    "本单位2023年度无政府性基金预算财政拨款收支，故本表为空表，以下各项均无数据说明。",  # > 20, 。
    "本单位 无政府性 基金 预算 收支。",  # 。 but 20 characters or fewer without spaces
    "一" * 61, "一 " * 40, "一" * 30 + "    " + "二" * 31, "一" * 60, "二、支出决算表 ......... 5",
    "四川省某县某局2023年收入决算表",
])
def test_region_end_tests_the_compact_text_only_when_open(text: str) -> None:
    assert _ends_region(text) == _ends_region_in_full(text)


def test_a_header_is_shared_only_with_the_same_words_at_the_same_positions() -> None:
    first = " 科目编码     科目名称          合计     基本支出    项目支出"
    moved = " 科目编码     科目名称      合计         基本支出    项目支出"
    header = read_header((tuple(tokens(first)),))
    assert header is not None
    assert read_header((tuple(tokens(first)),)) is header  # printed again: read once
    again = read_header((tuple(tokens(moved)),))
    assert again is not None and again is not header
    assert [(c.start, c.end) for c in again[0]] != [(c.start, c.end) for c in header[0]]
    assert header[2] == ["科目编码", "科目名称", "合计", "基本支出", "项目支出"]
