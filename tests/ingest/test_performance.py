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


# --- 003 潼南 2025 附件10 预算整体绩效目标表 --------------------------------------------------


@pytest.fixture(scope="module")
def tongnan() -> PerformanceResult:
    return parse(table_block("003", 347, 382, OVERALL))


def test_overall_table_reads_every_indicator(tongnan: PerformanceResult) -> None:
    assert len(tongnan.indicators) == 32
    assert tongnan.unparsed == []
    assert {i.project_name for i in tongnan.indicators} == {""}
    assert {i.document_id for i in tongnan.indicators} == {"doc003"}
    assert {i.table_id for i in tongnan.indicators} == {7}
    assert sum(int(i.weight) for i in tongnan.indicators) == 100  # the weights of the table


def test_overall_table_header_fields_become_the_whole_unit_record(
    tongnan: PerformanceResult,
) -> None:
    (unit,) = tongnan.projects
    assert unit.project_name == ""
    assert unit.implementing_unit == "重庆市潼南区电子政务中心"
    assert unit.annual_budget == "451.32"
    assert unit.amount_unit == "万元"
    assert unit.line_number == 347
    assert unit.overall_target.startswith("统筹全区政务公开各项工作")
    assert unit.overall_target.endswith("展示政府良好形象。")


def test_overall_table_rows_before_the_page_break(tongnan: PerformanceResult) -> None:
    published = by_line(tongnan, 356)
    assert published.indicator_name == "公开信息数"
    assert (published.operator, published.target_value, published.target_text) == (
        ">=",
        "15000",
        "15000",
    )
    assert (published.measure_unit, published.weight) == ("条", "5")
    first = by_line(tongnan, 350)
    assert (first.indicator_name, first.operator, first.target_value, first.weight) == (
        "网站群新增单位网站",
        "=",
        "2",
        "2",
    )
    incidents = by_line(tongnan, 358)
    assert (incidents.indicator_name, incidents.operator, incidents.target_value) == (
        "网站安全事故数",
        "<=",
        "1",
    )
    assert by_line(tongnan, 361).indicator_name == "政府网站公开信息频率（工作日）"


def test_overall_table_rows_after_the_page_break_lost_their_first_cell(
    tongnan: PerformanceResult,
) -> None:
    frequency = by_line(tongnan, 363)
    assert frequency.indicator_name == "政务新媒体公开信息频率（工作日）"
    assert (frequency.measure_unit, frequency.operator, frequency.target_value) == (
        "天",
        "<=",
        "5",
    )
    assert frequency.weight == "5"
    check = by_line(tongnan, 367)
    assert (check.indicator_name, check.measure_unit, check.target_value, check.weight) == (
        "政务新媒体内容安全云检测",
        "万/年",
        "6.9",
        "2",
    )


def test_overall_table_qualitative_rows_print_the_nature_in_the_unit_column(
    tongnan: PerformanceResult,
) -> None:
    long_term = by_line(tongnan, 379)
    assert long_term.indicator_name == "相比传统公开渠道，提升政府政务公开效益"
    assert (long_term.operator, long_term.measure_unit, long_term.weight) == (
        "qualitative",
        "",
        "4",
    )
    assert (long_term.target_text, long_term.target_value) == ("长期", "")
    satisfied = by_line(tongnan, 382)
    assert satisfied.indicator_name == "满意度"
    assert satisfied.operator == "qualitative"
    assert satisfied.target_text == "网上办结率 95%，满意度 ≥95%"
    assert satisfied.target_value == ""
    numeric = by_line(tongnan, 381)
    assert (numeric.operator, numeric.measure_unit, numeric.target_value) == (">=", "%", "95")


# --- 004 大渡口 2023 表十 整体绩效目标表 ------------------------------------------------------


def test_overall_table_with_weights_without_percent_sign() -> None:
    result = parse(table_block("004", 284, 295, OVERALL))
    assert len(result.indicators) == 9
    assert result.unparsed == []
    meetings = by_line(result, 288)
    assert meetings.indicator_name == "统筹协调区政府重要工作相关会议"
    assert (meetings.weight, meetings.measure_unit, meetings.operator, meetings.target_value) == (
        "20",
        "场次",
        ">=",
        "50",
    )
    on_time = by_line(result, 295)
    assert (on_time.indicator_name, on_time.operator, on_time.target_value) == (
        "部门预算按时公开率",
        "=",
        "100",
    )
    (unit,) = result.projects
    assert unit.implementing_unit == "103-重庆市大渡口区人民政府办公室"
    assert unit.annual_budget == "1398.18"  # printed 1,398.18
    assert unit.overall_target.startswith("2023年，大渡口区政府办公室")


# --- 004 大渡口 2023 表十一–十三 区级专项资金(项目)绩效目标表 --------------------------------


@pytest.fixture(scope="module")
def dadukou_projects() -> PerformanceResult:
    """The three project tables cut as one block: each 填报单位 row opens the next project."""
    return parse(table_block("004", 297, 366, PROJECT, unit=""))


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
    assert 366 in dadukou_projects.understood_lines  # the --- separator line


def test_project_table_header_fields() -> None:
    result = parse(table_block("004", 347, 366, PROJECT, unit=""))
    (project,) = result.projects
    assert project.project_code == "50010423T000002826048"
    assert project.project_name == "重庆市大渡口区电子政务外网综合管理平台建设"
    assert project.department_name == "103-重庆市大渡口区人民政府办公室"
    assert project.implementing_unit == "103003-重庆市大渡口区政府信息公开服务中心"
    assert project.amount_unit == "元"
    assert project.annual_budget == "682000.00"
    assert project.fiscal_appropriation == "682000.00"
    assert project.overall_target.startswith("根据重庆市人民政府办公厅发布的")
    assert (project.adjusted_budget, project.executed, project.score) == ("", "", "")
    coverage = by_line(result, 357)
    assert (coverage.indicator_level1, coverage.indicator_level2) == ("产出指标", "数量指标")
    assert coverage.indicator_level3 == coverage.indicator_name == "固定场所政务公开覆盖率"
    assert (coverage.operator, coverage.target_value, coverage.measure_unit) == ("=", "100", "%")
    assert (coverage.weight, coverage.is_core) == ("10", "false")
    satisfied = by_line(result, 365)  # after a blank line (page break)
    assert (satisfied.indicator_level1, satisfied.indicator_level2) == (
        "满意度指标",
        "服务对象满意度指标",
    )
    assert (satisfied.indicator_name, satisfied.target_value) == ("群众满意度", "90")


def test_project_rows_shifted_left_or_right_are_read_around_the_operator(
    dadukou_projects: PerformanceResult,
) -> None:
    right = by_line(dadukou_projects, 313)  # shifted one cell right
    assert (right.indicator_level1, right.indicator_level2, right.indicator_name) == (
        "产出指标",
        "安全指标",
        "页面安全维护技术",
    )
    assert (right.operator, right.target_text, right.target_value) == ("qualitative", "高中低", "")
    assert (right.weight, right.is_core) == ("10", "")  # 是否核心指标 fell off the row
    left = by_line(dadukou_projects, 314)  # shifted one cell left, level cells blank
    assert (left.indicator_level2, left.indicator_name, left.weight, left.is_core) == (
        "安全指标",
        "网站页面错误更改",
        "10",
        "false",
    )
    timely = by_line(dadukou_projects, 315)
    assert (timely.indicator_level1, timely.indicator_level2, timely.indicator_name) == (
        "产出指标",
        "时效指标",
        "网站更新频率",
    )
    assert (timely.operator, timely.target_value, timely.measure_unit, timely.weight) == (
        ">=",
        "100",
        "次",
        "10",
    )
    ranking = by_line(dadukou_projects, 316)
    assert (ranking.indicator_level1, ranking.indicator_level2) == ("效益指标", "可持续影响指标")
    assert (ranking.operator, ranking.target_text, ranking.target_value) == (
        "qualitative",
        "11",
        "11",
    )
    crowd = by_line(dadukou_projects, 318)
    assert (crowd.indicator_level1, crowd.indicator_level2, crowd.indicator_name) == (
        "满意度指标",
        "服务对象满意度指标",
        "群众满意度",
    )
    assert (crowd.operator, crowd.target_value, crowd.measure_unit) == (">=", "90", "%")


def test_project_table_with_an_extra_column_recognises_levels_by_their_words(
    dadukou_projects: PerformanceResult,
) -> None:
    operation = by_line(dadukou_projects, 334)  # \geq in the source
    assert (operation.operator, operation.target_value, operation.measure_unit) == (
        ">=",
        "300",
        "处",
    )
    assert operation.indicator_level2 == "质量指标"  # blank: same as above
    timely = by_line(dadukou_projects, 338)  # 时效指标 printed where 三级指标 stands
    assert (timely.indicator_level2, timely.indicator_name) == ("时效指标", "网站更新频率")
    assert (timely.target_value, timely.measure_unit, timely.weight) == ("100", "次", "10")
    social = by_line(dadukou_projects, 339)  # level 2 in the unnamed column
    assert (social.indicator_level1, social.indicator_level2, social.indicator_name) == (
        "效益指标",
        "社会效益指标",
        "网站内容质量",
    )
    lasting = by_line(dadukou_projects, 340)
    assert (lasting.indicator_level1, lasting.indicator_level2) == ("效益指标", "可持续影响指标")
    crowd = by_line(dadukou_projects, 341)  # level 1 in the level-2 column
    assert (crowd.indicator_level1, crowd.indicator_level2, crowd.indicator_name) == (
        "满意度指标",
        "服务对象满意度指标",
        "群众满意度",
    )
    assert (crowd.target_value, crowd.is_core) == ("90", "false")
    (project,) = [p for p in dadukou_projects.projects if p.project_name == "政府网站运维服务"]
    assert (project.project_code, project.annual_budget, project.amount_unit) == (
        "50010423T000003183049",
        "70000.00",
        "元",
    )


# --- 002 万州 2021 项目绩效自评表 (final accounts) -------------------------------------------


@pytest.fixture(scope="module")
def wanzhou() -> list[PerformanceResult]:
    return [
        parse(table_block("002", 143, 162, SELF_EVALUATION)),
        parse(table_block("002", 166, 184, SELF_EVALUATION)),
        parse(table_block("002", 188, 204, SELF_EVALUATION)),
    ]


def test_self_evaluation_projects(wanzhou: list[PerformanceResult]) -> None:
    names = [result.projects[0].project_name for result in wanzhou]
    assert names == [
        "面向重大公共卫生突发事件的智慧医疗一期项目建设（智慧万州子项目）",
        "电子政务外网维护费",
        "政府信息平台运行经费",
    ]
    assert all(len(result.projects) == 1 for result in wanzhou)
    assert {r.projects[0].department_name for r in wanzhou} == {"重庆市万州区大数据应用发展管理局"}
    assert {r.projects[0].amount_unit for r in wanzhou} == {"万元"}


def test_self_evaluation_budget_execution_and_score(wanzhou: list[PerformanceResult]) -> None:
    medical = wanzhou[0].projects[0]
    assert medical.annual_budget == ""  # 年初预算数 left blank
    assert (medical.adjusted_budget, medical.executed) == ("6078.90", "6078.90")
    assert (medical.execution_rate, medical.score) == ("100", "100.00")
    assert medical.project_code == ""
    platform = wanzhou[2].projects[0]
    assert (platform.annual_budget, platform.adjusted_budget, platform.executed) == (
        "15",
        "15",
        "15",
    )
    assert (platform.execution_rate, platform.score) == ("100", "100")


def test_self_evaluation_target_texts_continue_on_the_next_line(
    wanzhou: list[PerformanceResult],
) -> None:
    medical = wanzhou[0].projects[0]
    assert medical.overall_target.startswith("以“统一标准规范、信息互联互通”为主要目标")
    assert medical.overall_target.endswith("重大公共卫生突发事件应急处理能力。")
    assert "储等资源" in medical.adjusted_target
    assert medical.actual_result.startswith("建成云数据中心")
    assert medical.actual_result.endswith("助力我区疫情防控信息化及医疗卫生服务水平。")
    network = wanzhou[1].projects[0]
    assert network.overall_target == "保障电子政务外网 稳定运行"
    assert network.adjusted_target == "保障电子政务外网稳定运行"
    assert network.actual_result == "全年电子政务外网运行稳定， 无重大故障发生。"


def test_self_evaluation_indicators_with_actual_values(
    wanzhou: list[PerformanceResult],
) -> None:
    usage = by_line(wanzhou[0], 156)
    assert usage.indicator_name == "预计使用率"
    assert (usage.measure_unit, usage.operator, usage.target_value) == ("%", ">=", "95")
    assert (usage.adjusted_target_text, usage.actual_text) == ("90", "92")
    assert (usage.weight, usage.score, usage.is_core) == ("20", "20", "true")
    assert usage.project_name.startswith("面向重大公共卫生突发事件")
    hardware = by_line(wanzhou[0], 160)
    assert (hardware.adjusted_target_text, hardware.actual_text) == ("", "100")  # 无 = none
    uptime = by_line(wanzhou[1], 178)
    assert (uptime.indicator_name, uptime.measure_unit, uptime.target_value) == (
        "年稳定运行",
        "天",
        "360",
    )
    assert (uptime.actual_text, uptime.weight, uptime.score) == ("365", "40", "40")


def test_self_evaluation_names_split_over_two_rows(wanzhou: list[PerformanceResult]) -> None:
    assert [i.indicator_name for i in wanzhou[0].indicators] == [
        "预计使用率",
        "当年建设任务完成率",
        "硬件配置完成率",
        "服务对象满意度",
    ]
    assert {157, 159} <= wanzhou[0].understood_lines
    users = by_line(wanzhou[1], 181)
    assert users.indicator_name == "用户满意度"
    assert (users.operator, users.target_value, users.actual_text) == (">=", "95", "100")
    assert 183 in wanzhou[1].understood_lines
    assert len(wanzhou[1].indicators) == 4


def test_self_evaluation_rows_without_leading_cell(wanzhou: list[PerformanceResult]) -> None:
    platform = wanzhou[2]
    assert [i.line_number for i in platform.indicators] == [199, 200, 201, 202, 203]
    update = by_line(platform, 200)
    assert (update.indicator_name, update.measure_unit, update.operator) == (
        "数据更新频率",
        "小时",
        "<=",
    )
    assert (update.target_value, update.actual_text, update.is_core) == ("24", "0", "false")
    response = by_line(platform, 202)  # weights as printed, even where they look wrong
    assert (response.weight, response.score) == ("115", "20")
    assert {196, 198} <= platform.understood_lines  # header and its split words 值 / (%)


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


def test_self_evaluation_fund_rows_under_the_budget_row(wanzhou: list[PerformanceResult]) -> None:
    (medical,) = wanzhou[0].funds
    assert (medical.line_number, medical.fund_label, medical.amount_unit) == (147, "上级资金", "万元")
    assert medical.project_name == wanzhou[0].projects[0].project_name
    assert medical.annual_budget == ""  # 年初预算数 left blank, as on the project's row
    assert (medical.adjusted_budget, medical.executed) == ("6078.90", "6078.90")
    assert (medical.execution_rate, medical.score) == ("100", "100")  # 执行率得分
    (platform,) = wanzhou[2].funds
    assert (platform.line_number, platform.fund_label) == (193, "区级资金")
    assert platform.project_name == "政府信息平台运行经费"
    # 年初预算数 | 全年(调整)预算数 | (blank) | 全年执行数, as on line 191
    assert (platform.annual_budget, platform.adjusted_budget, platform.executed) == (
        "15",
        "15",
        "15",
    )
    assert (platform.execution_rate, platform.score) == ("100", "100")
    assert 148 in wanzhou[0].understood_lines  # 区级资金 printed without figures
    assert {172, 173} <= wanzhou[1].understood_lines  # 其中： / 上级资金 without figures


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


def test_fund_rows_under_the_annual_amount_of_project_tables(
    dadukou_projects: PerformanceResult,
) -> None:
    funds = [(f.line_number, f.project_name, f.fund_label) for f in dadukou_projects.funds]
    assert funds == [
        (306, "政府网站集约化平台综合外包服务", "财政拨款"),
        (329, "政府网站运维服务", "财政拨款"),
        (352, "重庆市大渡口区电子政务外网综合管理平台建设", "财政拨款"),
    ]
    assert [f.annual_budget for f in dadukou_projects.funds] == [
        "300000.00",
        "70000.00",
        "682000.00",
    ]
    assert {f.amount_unit for f in dadukou_projects.funds} == {"元"}  # 资金情况 (元)
    assert {(f.adjusted_budget, f.executed, f.score) for f in dadukou_projects.funds} == {
        ("", "", "")
    }
    # 其他资金 printed blank: understood, nothing landed
    assert {307, 330, 353} <= dadukou_projects.understood_lines


def test_fund_value_in_another_column_than_the_annual_amount() -> None:
    block = table_block("004", 297, 323, PROJECT, unit="")
    result = parse(
        with_lines(block, {306: "\t其中：财政拨款\t\t300,000.00\t\t\t\t\t", 307: "\t其他资金\t\t5\t"})
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
