"""The performance-table parser, on the real performance tables of the sample documents.

Blocks are cut from the normalised sample text by line range (``table_block`` below), the way
the segmenter hands them over: tab-separated lines are rows, other non-blank lines context.
"""

from __future__ import annotations

from dataclasses import replace
from functools import cache
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ingest.blocks import Line, TableBlock
from ingest.normalise import normalise_text
from ingest.performance import (
    PERFORMANCE_KINDS,
    REASON_BEFORE_HEADER,
    REASON_BUDGET_NOT_ALIGNED,
    REASON_FUND_SOURCE,
    REASON_INCOMPLETE,
    REASON_NAME_WITHOUT_FIGURES,
    REASON_NO_OPERATOR,
    PerformanceResult,
    decimal_text,
    operator_of,
    parse_performance_table,
    split_project_name,
)
from ingest.records import IndicatorRecord
from ingest.segment import segment

RAW = Path(__file__).resolve().parents[2] / "data" / "raw"

OVERALL = "performance_overall"
PROJECT = "performance_project"
SELF_EVALUATION = "performance_self_evaluation"


@cache
def document_lines(prefix: str) -> tuple[str, ...]:
    """The normalised lines of the sample document whose file name starts with ``prefix``."""
    (path,) = RAW.glob(f"{prefix}_*.txt")
    return tuple(normalise_text(path.read_text(encoding="utf-8")))


def table_block(prefix: str, first: int, last: int, kind: str, unit: str = "万元") -> TableBlock:
    """Lines ``first``..``last`` (1-based, inclusive) of a sample document as a TableBlock."""
    text = document_lines(prefix)
    rows: list[Line] = []
    context: list[Line] = []
    for number in range(first, last + 1):
        line = Line(number, text[number - 1])
        if line.is_blank:
            continue
        (rows if "\t" in line.text else context).append(line)
    return TableBlock(
        document_id=f"doc{prefix}",
        table_id=7,
        kind=kind,
        identified_by="title",
        label="",
        title="",
        title_line=0,
        unit=unit,
        lines=rows,
        context=context,
    )


def assert_accounted(block: TableBlock, result: PerformanceResult) -> None:
    """Every non-blank block line is understood or unparsed, never both, never neither."""
    lines = {line.number for line in block.lines if not line.is_blank}
    unparsed = [record.line_number for record in result.unparsed]
    assert len(unparsed) == len(set(unparsed))
    assert not result.understood_lines & set(unparsed)
    assert result.understood_lines | set(unparsed) == lines


def parse(block: TableBlock) -> PerformanceResult:
    result = parse_performance_table(block)
    assert_accounted(block, result)
    return result


def by_line(result: PerformanceResult, number: int) -> IndicatorRecord:
    (record,) = [i for i in result.indicators if i.line_number == number]
    return record


# --- what each indicator, project and fund row reads -----------------------------------------
# The values read from every performance table of data/raw (002 万州 2021 自评表, 003 潼南 2025
# 整体绩效目标表, 004 大渡口 2023 整体 and 专项资金绩效目标表) are kept as data:
# tests/golden/performance/*.csv, compared record by record by test_performance_golden.py. The
# layout family each line stands for is listed in tests/golden/performance/README.md. The tests
# below are about behaviour: what a block yields as a whole, lines read without a record of
# their own, and rows that must stay unparsed.


@pytest.fixture(scope="module")
def dadukou_projects() -> PerformanceResult:
    """The three project tables cut as one block: each 填报单位 row opens the next project."""
    return parse(table_block("004", 297, 366, PROJECT, unit=""))


@pytest.fixture(scope="module")
def wanzhou() -> list[PerformanceResult]:
    return [
        parse(table_block("002", 143, 162, SELF_EVALUATION)),
        parse(table_block("002", 166, 184, SELF_EVALUATION)),
        parse(table_block("002", 188, 204, SELF_EVALUATION)),
    ]


def test_records_carry_the_block_document_and_table() -> None:
    result = parse(table_block("003", 347, 382, OVERALL))
    records = [*result.projects, *result.indicators]
    assert {(r.document_id, r.table_id) for r in records} == {("doc003", 7)}
    assert {i.project_name for i in result.indicators} == {""}  # the whole-unit table


def test_project_tables_give_three_projects_of_nine_indicators(
    dadukou_projects: PerformanceResult,
) -> None:
    projects = dadukou_projects.projects
    assert [p.project_name for p in projects] == [
        "政府网站集约化平台综合外包服务",
        "政府网站运维服务",
        "重庆市大渡口区电子政务外网综合管理平台建设",
    ]
    assert [p.line_number for p in projects] == [301, 324, 347]
    for project in projects:
        indicators = [
            i for i in dadukou_projects.indicators if i.project_name == project.project_name
        ]
        assert len(indicators) == 9
    assert dadukou_projects.unparsed == []
    # the block states no unit: 资金情况 (元) on each project's own row gives it
    assert {p.amount_unit for p in projects} == {"元"}
    assert {f.amount_unit for f in dadukou_projects.funds} == {"元"}


@pytest.mark.parametrize(
    ("prefix", "first", "last", "kind", "lines"),
    [
        # the --- separator line; 其他资金 printed blank under each project's 财政拨款 row
        ("004", 297, 366, PROJECT, {366, 307, 330, 353}),
        # 区级资金 printed without figures; the rest of a name printed below its figures
        # (当年 | 建设任务完成率: the record on line 157 carries the joined name)
        ("002", 143, 162, SELF_EVALUATION, {148, 159}),
        # 其中： / 上级资金 without figures; 用户 | 满意度 (the record on line 181)
        ("002", 166, 184, SELF_EVALUATION, {172, 173, 183}),
        # the indicator header and its split words 值 / (%)
        ("002", 188, 204, SELF_EVALUATION, {196, 198}),
    ],
)
def test_lines_read_without_a_record_of_their_own(
    prefix: str, first: int, last: int, kind: str, lines: set[int]
) -> None:
    result = parse(table_block(prefix, first, last, kind, unit="" if kind == PROJECT else "万元"))
    assert lines <= result.understood_lines
    records = [*result.projects, *result.indicators, *result.funds]
    assert not lines & {r.line_number for r in records}


def test_self_evaluation_lines_not_landed_are_reported(wanzhou: list[PerformanceResult]) -> None:
    reasons = [[(u.line_number, u.reason) for u in result.unparsed] for result in wanzhou]
    assert reasons == [
        [],
        # 7 figures under 6 header words: neither the budget row nor its 区级资金 row is guessed
        [(171, REASON_BUDGET_NOT_ALIGNED), (174, REASON_BUDGET_NOT_ALIGNED)],
        [],
    ]
    assert wanzhou[1].projects[0].score == "100"  # 自评总分 still read
    assert wanzhou[1].projects[0].executed == ""
    assert wanzhou[1].funds == []
    assert wanzhou[1].unparsed[1].text.split("\t")[1] == "区级资金"


def test_fund_row_shifted_off_the_header_stays_unparsed() -> None:
    block = table_block("002", 188, 204, SELF_EVALUATION)
    # the 执行数 moved into the blank column: the row no longer sits like line 191 does
    shifted = "\t区级资金\t15\t15\t15\t\t100\t100\t100\t\t"
    result = parse(with_lines(block, {193: shifted}))
    assert result.funds == []
    assert [(u.line_number, u.reason) for u in result.unparsed] == [
        (193, REASON_BUDGET_NOT_ALIGNED)
    ]
    assert result.projects[0].executed == "15"  # the project's own row still lands


def test_fund_row_without_a_budget_row_to_compare_with() -> None:
    block = table_block("002", 188, 204, SELF_EVALUATION)
    result = parse(with_lines(block, {191: "\t\t\t\t\t\t\t\t\t\t"}))
    assert result.funds == []
    assert [(u.line_number, u.reason) for u in result.unparsed] == [(193, REASON_FUND_SOURCE)]


def test_fund_value_in_another_column_than_the_annual_amount() -> None:
    block = table_block("004", 297, 323, PROJECT, unit="")
    result = parse(
        with_lines(
            block, {306: "\t其中：财政拨款\t\t300,000.00\t\t\t\t\t", 307: "\t其他资金\t\t5\t"}
        )
    )
    assert result.funds == []
    assert result.projects[0].fiscal_appropriation == "300000.00"  # still the project's field
    assert [(u.line_number, u.reason) for u in result.unparsed] == [(307, REASON_FUND_SOURCE)]


# --- the lead's segmenter hands over the same blocks -----------------------------------------


@pytest.mark.parametrize(
    ("prefix", "expected"),
    [
        ("002", [(1, 4), (1, 4), (1, 5)]),
        ("003", [(1, 32)]),
        ("004", [(1, 9), (1, 9), (1, 9), (1, 9)]),
    ],
)
def test_segmented_performance_blocks_are_fully_accounted(
    prefix: str, expected: list[tuple[int, int]]
) -> None:
    blocks = [
        block
        for block in segment(list(document_lines(prefix)), f"doc{prefix}").blocks
        if block.kind in PERFORMANCE_KINDS
    ]
    results = [parse(block) for block in blocks]
    assert [(len(r.projects), len(r.indicators)) for r in results] == expected


# --- bad input ---------------------------------------------------------------------------------


def with_lines(block: TableBlock, replacements: dict[int, str]) -> TableBlock:
    lines = [Line(line.number, replacements.get(line.number, line.text)) for line in block.lines]
    return replace(block, lines=lines)


def test_empty_block() -> None:
    result = parse(table_block("003", 383, 383, OVERALL))
    assert result == PerformanceResult([], [], [], frozenset())


def test_block_with_only_the_header() -> None:
    result = parse(table_block("003", 347, 349, OVERALL))
    assert result.indicators == []
    assert result.unparsed == []
    assert result.understood_lines == frozenset({347, 348, 349})
    assert result.projects[0].annual_budget == "451.32"
    project_header = parse(table_block("004", 301, 309, PROJECT))
    assert project_header.indicators == []
    assert project_header.projects[0].annual_budget == "300000.00"
    only_columns = parse(table_block("003", 349, 349, OVERALL))
    assert (only_columns.projects, only_columns.indicators) == ([], [])


def test_truncated_table_cut_mid_row() -> None:
    block = table_block("003", 347, 382, OVERALL)
    cut = with_lines(block, {381: "满意度\t4%\t%", 382: "满意度\t3%\t定性"})
    result = parse(cut)
    assert [(u.line_number, u.reason) for u in result.unparsed] == [
        (381, REASON_NO_OPERATOR),
        (382, REASON_INCOMPLETE),
    ]
    assert len(result.indicators) == 30
    assert result.unparsed[0].text == "满意度\t4%\t%"
    assert result.unparsed[0].document_id == "doc003"


def test_row_with_an_unknown_operator_is_unparsed() -> None:
    block = table_block("003", 347, 382, OVERALL)
    result = parse(with_lines(block, {356: "\t公开信息数\t5%\t条\t≠\t15000"}))
    assert [(u.line_number, u.reason) for u in result.unparsed] == [(356, REASON_NO_OPERATOR)]
    assert len(result.indicators) == 31
    assert "公开信息数" not in {i.indicator_name for i in result.indicators}


def test_rows_before_any_header_and_orphan_names() -> None:
    block = table_block("003", 350, 352, OVERALL)  # the column header line left out
    result = parse(block)
    assert result.indicators == []
    assert {u.reason for u in result.unparsed} == {REASON_BEFORE_HEADER}
    orphan = with_lines(table_block("003", 349, 350, OVERALL), {350: "\t网站群新增单位网站"})
    result = parse(orphan)
    assert [(u.line_number, u.reason) for u in result.unparsed] == [
        (350, REASON_NAME_WITHOUT_FIGURES)
    ]


def test_a_name_printed_above_its_figures_is_joined_to_them() -> None:
    block = table_block("003", 349, 351, OVERALL)
    split = with_lines(block, {350: "\t网站群新增", 351: "\t单位网站\t2%\t个\t=\t2"})
    result = parse(split)
    (only,) = result.indicators
    assert (only.indicator_name, only.line_number, only.target_value) == (
        "网站群新增单位网站",
        351,
        "2",
    )
    assert result.understood_lines == frozenset({349, 350, 351})


# --- small pieces --------------------------------------------------------------------------


def test_operators_amounts_and_codes() -> None:
    assert [operator_of(c) for c in ("≥", "≤", "=", ">", "<", "定性", "\\geq", "≧", "约")] == [
        ">=",
        "<=",
        "=",
        ">",
        "<",
        "qualitative",
        ">=",
        ">=",
        None,
    ]
    assert decimal_text("682,000.00") == "682000.00"
    assert decimal_text("2%") == ""
    assert decimal_text("2%", allow_percent=True) == "2"
    assert decimal_text("高中低") == ""
    assert split_project_name(
        "50010423T000002826048-重庆市大渡口区电子政务外网综合管理平台建设"
    ) == (
        "50010423T000002826048",
        "重庆市大渡口区电子政务外网综合管理平台建设",
    )
    assert split_project_name("电子政务外网维护费") == ("", "电子政务外网维护费")


_HEADERS = [
    "绩效指标\t指标\t指标权重\t计量单位\t指标性质\t指标值",
    "绩效指标\t一级指标\t二级指标\t三级指标\t指标性质\t指标值\t度量单位\t权重(%)\t是否核心指标",
    "绩效指标\t指标名称\t计量单位\t指标性质\t年初指标值\t调整指标值\t全年完成值\t"
    "得分系数(%)\t指标权重(分)\t指标得分(分)\t是否核心指标",
]
_ROWS = [
    ["", "公开信息数", "5%", "条", "≥", "15000"],
    ["", "相比传统公开渠道", "4%", "定性", "", "长期"],
    ["", "产出指标", "数量指标", "专业资料购买份数", "≥", "50", "份", "10", "否"],
    ["", "", "", "网站页面符合文件要求", "定性", "高中低", "", "10", "否"],
    ["", "预计使用率", "%", "≥", "95", "90", "92", "20", "20", "20", "是"],
    ["", "用户"],
    ["说明", ""],
    ["项目名称", "50010423T000002826048-某项目", "", "项目编码", "", "自评总分（分）", "100.00"],
    [
        "项目资金（万元）",
        "年度总金额",
        "年初预算数",
        "全年（调整）预算数",
        "全年执行数",
        "执行率（%）",
    ],
    ["", "其中：上级资金", "", "6078.90", "6078.90", "100"],
    ["资金情况 (元)", "年度资金总额：", "", "", "682000.00"],
    ["--", "----", "---"],
]
_NOISE = st.sampled_from(
    ["", "≥", "≤", "=", "定性", "≠", "95", "2%", "%", "满意度", "数量指标", "无"]
)


@st.composite
def _perturbed_row(draw: st.DrawFn) -> list[str]:
    """A real row shape, shifted, cut, or with a cell replaced."""
    cells = list(draw(st.sampled_from(_ROWS)))
    action = draw(st.sampled_from(["keep", "keep", "drop_first", "insert", "cut", "replace"]))
    if action == "drop_first":
        cells = cells[1:] or [""]
    elif action == "insert":
        cells.insert(draw(st.integers(0, len(cells))), "")
    elif action == "cut":
        cells = cells[: draw(st.integers(1, len(cells)))]
    elif action == "replace":
        cells[draw(st.integers(0, len(cells) - 1))] = draw(_NOISE)
    return cells


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(_HEADERS), st.lists(_perturbed_row(), max_size=14))
def test_any_rows_are_accounted_for_without_raising(header: str, rows: list[list[str]]) -> None:
    lines = [Line(9, header)]
    lines += [Line(number, "\t".join(cells)) for number, cells in enumerate(rows, start=10)]
    block = TableBlock(
        document_id="docX",
        table_id=1,
        kind=PROJECT,
        identified_by="title",
        label="",
        title="",
        title_line=0,
        unit="万元",
        lines=lines,
    )
    result = parse(block)
    for indicator in result.indicators:
        assert indicator.operator in {">=", "<=", "=", ">", "<", "qualitative"}
        assert indicator.indicator_name
        assert indicator.target_text
        assert indicator.is_core in {"true", "false", ""}
        assert indicator.weight == "" or decimal_text(indicator.weight) == indicator.weight
