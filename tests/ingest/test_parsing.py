"""Read, identify and parse the five real sample disclosures; assert exact figures."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest

from ingest.divisions import DivisionIndex
from ingest.normalise import normalise_line, normalise_text, reflow
from ingest.pipeline import DocumentResult, parse_document
from ingest.read import UnreadableDocument, decode_text
from ingest.table_kinds import recognise_title

RAW = Path(__file__).resolve().parents[2] / "data" / "raw"
WANZHOU_2023 = "000_7ef4b414fc9c2a25.txt"
KAIZHOU_2023 = "001_95262c62ed572865.txt"
WANZHOU_2021 = "002_bcb333aaa529c723.txt"
TONGNAN_2025 = "003_2ab6434017984cbb.txt"
DADUKOU_2023 = "004_7db58793ff0af6ed.txt"


@cache
def divisions() -> DivisionIndex:
    return DivisionIndex.load()


@cache
def parsed(name: str) -> DocumentResult:
    return parse_document((RAW / name).read_bytes(), name, divisions())


def cells(name: str, **where: object) -> list:
    out = []
    for cell in parsed(name).cells:
        if all(getattr(cell, key) == value for key, value in where.items()):
            out.append(cell)
    return out


def figures(name: str, key: str, qualifier: str = "amount", **where: object) -> list[str]:
    return [
        f.amount
        for f in parsed(name).figures
        if f.figure_key == key
        and f.qualifier == qualifier
        and all(getattr(f, k) == v for k, v in where.items())
    ]


def table_of(name: str, kind: str):
    return next(t for t in parsed(name).tables if t.table_kind == kind)


# --- normalisation --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("一般公共预算拨款 １，３９８．１８ 万元", "一般公共预算拨款 1398.18 万元"),
        ("1,398.18\t682,000.00\t1,2", "1398.18\t682000.00\t1,2"),
        ("年稳定运行\t天\t\\geq\t360", "年稳定运行\t天\t≥\t360"),
        ("数据更新频率\t小时\t\\leq\t24", "数据更新频率\t小时\t≤\t24"),
        ("满意度 &ge; 95&#37;", "满意度 ≥ 95%"),
        ("<p>建成云数据中心</p>\t<p>助力</p>", "建成云数据中心\t助力"),
        ("网页打开速度\t≦\t1", "网页打开速度\t≤\t1"),
        ("增长 ８.５％", "增长 8.5%"),
        ("占比 100％，其中：", "占比 100%，其中："),
    ],
)
def test_normalise_line(raw: str, expected: str) -> None:
    assert normalise_line(raw) == expected


def test_normalise_keeps_line_numbers() -> None:
    # CRLF, a lone CR and blank lines each keep their line; full-width figures are normalised
    # in place, never moved to another line.
    assert normalise_text("标题\r\n\r\n拨款 １，３９８．１８ 万元\r末行\n") == [
        "标题", "", "拨款 1398.18 万元", "末行", ""
    ]  # fmt: skip
    text = (RAW / WANZHOU_2023).read_text(encoding="utf-8")
    lines = normalise_text(text)
    assert normalise_text(text.replace("\n", "\r\n")) == lines
    # 万州 2023 prints "基本支出 393.53 万元，比上年增加 92.06元" on line 113 of its text
    assert "基本支出 393.53 万元，比上年增加 92.06元" in lines[113 - 1]
    assert sum(1 for line in lines if line == "") > 50  # blank lines are kept, not dropped


def test_reflow_joins_a_number_and_its_unit_printed_lines_apart() -> None:
    # 万州 2023 prints "项目支出预算增加 0" and "万元。" two lines apart
    lines = normalise_text((RAW / WANZHOU_2023).read_text(encoding="utf-8"))
    paragraphs = reflow((n, lines[n - 1]) for n in range(99, 108))
    text = paragraphs[0].text
    assert "公共安全支出 0 万元" in text
    assert text.endswith("项目支出预算增加 0万元。")
    assert paragraphs[0].line_at(text.index("688.06")) == 99
    assert paragraphs[0].line_at(text.index("19.39")) == 103


@pytest.mark.parametrize(
    ("encoding", "expected"),
    [
        ("utf-8", "utf-8"),
        ("utf-8-sig", "utf-8-bom"),
        ("gb18030", "gb18030"),
        ("gbk", "gb18030"),
        ("utf-16", "utf-16"),
        ("utf-16-le", "utf-16"),
    ],
)
def test_decode_detects_encodings(encoding: str, expected: str) -> None:
    text = (RAW / KAIZHOU_2023).read_text(encoding="utf-8")
    decoded = decode_text(text.encode(encoding), "x.txt")
    assert decoded.text.lstrip("\ufeff") == text
    assert decoded.encoding == expected


def test_decode_rejects_empty_and_binary() -> None:
    with pytest.raises(UnreadableDocument, match="empty"):
        decode_text(b"  \n", "empty.txt")
    with pytest.raises(UnreadableDocument, match="not text"):
        decode_text(bytes(range(256)) * 20, "random.bin")


# --- identification ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "unit", "district", "year", "kind", "scope", "code", "parent"),
    [
        (WANZHOU_2023, "重庆市万州区党政信息中心", "500101", 2023, "budget", "unit", "", ""),
        (
            KAIZHOU_2023,
            "重庆市开州区政务信息中心",
            "500154",
            2023,
            "budget",
            "department",
            "",
            "重庆市开州区人民政府办公室",
        ),
        (
            WANZHOU_2021,
            "重庆市万州区党政信息中心",
            "500101",
            2021,
            "final_accounts",
            "unit",
            "",
            "重庆市万州区大数据应用发展管理局",
        ),
        (
            TONGNAN_2025,
            "重庆市潼南区电子政务中心",
            "500152",
            2025,
            "budget",
            "department",
            "312002",
            "",
        ),
        (
            DADUKOU_2023,
            "重庆市大渡口区人民政府办公室",
            "500104",
            2023,
            "budget",
            "department",
            "103001",
            "",
        ),
    ],
)
def test_identify(name, unit, district, year, kind, scope, code, parent) -> None:
    doc = parsed(name).document
    assert (doc.unit_name, doc.district_code, doc.fiscal_year, doc.doc_kind, doc.scope) == (
        unit,
        district,
        year,
        kind,
        scope,
    )
    assert doc.unit_code == code
    assert doc.parent_unit_name == parent


def test_district_resolution_uses_the_province_for_shared_names() -> None:
    index = divisions()
    assert index.resolve("上海市普陀区财政局").code == "310107"
    assert index.resolve("浙江省舟山市普陀区某局").code == "330903"
    assert index.resolve("重庆市万州区党政信息中心").code == "500101"
    assert index.resolve("普陀区财政局") is None  # two 普陀区 and nothing to choose by


# --- tables -------------------------------------------------------------------------------------


def test_table_titles_budget_and_final_accounts() -> None:
    assert recognise_title("重庆市潼南区电子政务中心部门收入总表") == "income_summary"
    assert recognise_title("收入决算表") == "income_summary"
    assert recognise_title("支出决算表") == "expenditure_summary"
    assert recognise_title("收入支出决算总表") == "income_expenditure_summary"
    assert recognise_title("财政拨款收入支出决算总表") == "fiscal_income_expenditure_summary"
    assert recognise_title("一般公共预算财政拨款支出决算表") == "general_budget_expenditure"
    assert (
        recognise_title("一般公共预算财政拨款基本支出决算表") == "general_budget_basic_expenditure"
    )
    assert recognise_title("财政拨款“三公”经费支出决算表") == "three_public"
    assert recognise_title("政府性基金预算财政拨款收入支出决算表") == "government_fund_expenditure"
    assert recognise_title("国有资本经营预算财政拨款收入支出决算表") == "state_capital_expenditure"
    assert recognise_title("政府采购情况表") == "procurement"
    assert recognise_title("区级专项资金项目绩效目标表") == "performance_project"
    assert recognise_title("一般性项目绩效自评表") == "performance_self_evaluation"


def test_tongnan_general_budget_table_with_prior_year_column() -> None:
    table = table_of(TONGNAN_2025, "general_budget_expenditure")
    rows = cells(TONGNAN_2025, table_id=table.table_id, code="2010350")
    by_label = {c.column_label: c.amount for c in rows}
    assert by_label == {
        "2024年预算数": "345.64",
        "2025年预算数 | 总计": "353.13",
        "2025年预算数 | 基本支出": "353.13",
    }
    assert all(c.row_label == "事业运行" and c.unit == "万元" for c in rows)


def test_tongnan_page_break_repeats_are_flagged_not_duplicated() -> None:
    table = table_of(TONGNAN_2025, "general_budget_basic_expenditure")
    meeting = cells(
        TONGNAN_2025, table_id=table.table_id, code="30215", column_label="2025年基本支出 | 总计"
    )
    assert [(c.line_number, c.amount, c.repeat_of_line) for c in meeting] == [
        (200, "10", 0),
        (205, "10", 200),
    ]
    assert table.repeated_rows == 2
    originals = [c for c in cells(TONGNAN_2025, table_id=table.table_id) if not c.repeat_of_line]
    assert sum(1 for c in originals if c.code == "30215") == 2  # 总计 and 日常公用经费 columns


def test_dadukou_thousands_separators_and_codes() -> None:
    table = table_of(DADUKOU_2023, "general_budget_expenditure")
    got = {(c.code, c.column_label): c.amount for c in cells(DADUKOU_2023, table_id=table.table_id)}
    assert got[("2010301", "2023年预算数 | 总计")] == "703.03"
    assert got[("2010302", "2023年预算数 | 项目支出")] == "133.00"
    assert got[("", "2023年预算数 | 总计")] == "1398.18"  # the 合计 row, printed 1,398.18
    basic = table_of(DADUKOU_2023, "general_budget_basic_expenditure")
    vehicle = cells(DADUKOU_2023, table_id=basic.table_id, code="30231")
    assert {c.column_label: c.amount for c in vehicle} == {
        "2023年基本支出 | 总计": "25.00",
        "2023年基本支出 | 日常公用经费": "25.00",
    }


def test_dadukou_lost_title_table_is_not_added_to_the_table_above() -> None:
    tables = parsed(DADUKOU_2023).tables
    summary = next(t for t in tables if t.label == "表六")
    lost = tables[tables.index(summary) + 1]
    assert summary.last_line == 226
    assert (lost.table_kind, lost.identified_by, lost.header_source, lost.title) == (
        "income_summary",
        "shape",
        "template",
        "",
    )
    income = cells(DADUKOU_2023, table_id=lost.table_id, code="2080501")
    assert {c.column_label: c.amount for c in income} == {
        "总计": "18.44",
        "一般公共预算拨款收入": "18.44",
    }
    assert not [c for c in cells(DADUKOU_2023, table_id=summary.table_id) if c.code]


def test_three_public_tables_keep_both_years() -> None:
    table = table_of(TONGNAN_2025, "three_public")
    rows = cells(TONGNAN_2025, table_id=table.table_id, row_label="合计")
    got = {c.column_label: c.amount for c in rows}
    assert got["2024年预算数 | 总计"] == "13.00"
    assert got["2024年预算数 | 公务用车购置及运行费 | 公务用车运行维护费"] == "8.00"
    assert got["2025年预算数 | 公务接待费"] == "6.70"
    dadukou = table_of(DADUKOU_2023, "three_public")
    got = {c.column_label: c.amount for c in cells(DADUKOU_2023, table_id=dadukou.table_id)}
    assert got == {
        "2023年预算数 | 合计": "27.90",
        "2023年预算数 | 公务用车购置及运行费 | 小计": "25.00",
        "2023年预算数 | 公务用车购置及运行费 | 公务用车运行费": "25.00",
        "2023年预算数 | 公务接待费": "2.90",
    }


def test_summary_tables_by_class_name() -> None:
    table = table_of(TONGNAN_2025, "fiscal_income_expenditure_summary")
    got = {
        (c.row_label, c.column_label): c.amount
        for c in cells(TONGNAN_2025, table_id=table.table_id)
    }
    assert got[("(二十)住房保障支出", "支出 | 一般公共预算")] == "19.61"
    assert got[("收入合计", "收入 | 预算数")] == "451.32"
    assert table.row_count == 31  # the page break repeated title and header, not rows


def test_every_table_of_the_template_is_recognised() -> None:
    kinds = [t.table_kind for t in parsed(TONGNAN_2025).tables]
    assert kinds == [
        "fiscal_income_expenditure_summary",
        "general_budget_expenditure",
        "general_budget_basic_expenditure",
        "three_public",
        "government_fund_expenditure",
        "income_expenditure_summary",
        "income_summary",
        "expenditure_summary",
        "procurement",
        "performance_overall",
    ]
    assert [t.label for t in parsed(DADUKOU_2023).tables][:8] == [
        "表一",
        "表二",
        "表三",
        "表四",
        "表五",
        "表六",
        "",
        "表八",
    ]


# --- prose --------------------------------------------------------------------------------------


def test_wanzhou_2023_prose_only() -> None:
    assert figures(WANZHOU_2023, "total_income") == ["791.83"]
    assert figures(WANZHOU_2023, "total_income", "change") == ["92.06"]
    classes = {
        f.subject: f.amount
        for f in parsed(WANZHOU_2023).figures
        if f.figure_key == "class_expenditure"
    }
    assert classes == {
        "一般公共服务支出": "688.06",
        "公共安全支出": "0",
        "教育支出": "0",
        "社会保障和就业支出": "63.21",
        "卫生健康支出": "21.16",
        "节能环保支出": "0",
        "资源勘探工业信息等支出": "0",
        "住房保障支出": "19.39",
        "粮油物资储备支出": "0",
    }
    # "项目支出预算增加 0" and "万元。" are two lines apart in the PDF text
    assert figures(WANZHOU_2023, "project_expenditure", "change") == ["0", "0"]
    assert figures(WANZHOU_2023, "basic_expenditure", fund_source="general_public_budget") == [
        "393.53"
    ]


def test_kaizhou_2023_compact_prose() -> None:
    classes = {
        f.subject: f.amount
        for f in parsed(KAIZHOU_2023).figures
        if f.figure_key == "class_expenditure"
    }
    assert classes["卫生健康支出"] == "28.44"
    assert figures(KAIZHOU_2023, "three_public_total") == ["1.90"]
    assert figures(KAIZHOU_2023, "three_public_total", "change") == ["-0.10"]
    assert figures(KAIZHOU_2023, "vehicle_count", "count") == ["0"]  # 无车辆
    assert figures(KAIZHOU_2023, "procurement_total") == ["0"]


def test_wanzhou_2021_final_accounts_prose() -> None:
    assert figures(WANZHOU_2021, "total_expenditure") == ["6954.99"]
    assert figures(WANZHOU_2021, "total_expenditure", "change") == ["6151.49"]
    assert figures(WANZHOU_2021, "total_expenditure", "change_pct") == ["765.6"]
    assert figures(WANZHOU_2021, "project_expenditure") == ["6511.11"]
    assert figures(WANZHOU_2021, "personnel_expenditure") == ["373.22"]
    assert figures(WANZHOU_2021, "public_operating_expenditure") == ["70.66"]
    general = [
        f
        for f in parsed(WANZHOU_2021).figures
        if f.figure_key == "class_expenditure" and f.subject == "一般公共服务支出"
    ]
    assert {(f.qualifier, f.amount) for f in general} == {
        ("amount", "774.33"),
        ("share_pct", "88.4"),
        ("budget_variance", "115.05"),
        ("change_pct", "17.5"),
    }
    assert all(f.fund_source == "general_public_budget" for f in general)
    assert figures(WANZHOU_2021, "procurement_total") == ["1033.20"]
    assert figures(WANZHOU_2021, "procurement_sme_awarded") == ["1033.20"]
    assert figures(WANZHOU_2021, "procurement_small_micro_awarded") == ["0"]
    assert figures(WANZHOU_2021, "overseas_groups", "count") == ["0"]
    assert figures(WANZHOU_2021, "training_cost") == ["1.18"]
    assert figures(WANZHOU_2021, "government_fund_expenditure") == ["6078.90"]
    assert "14" in figures(WANZHOU_2021, "evaluated_projects", "count")


def test_tongnan_2025_prose_disagrees_with_its_tables_and_is_kept() -> None:
    assert figures(TONGNAN_2025, "basic_expenditure") == ["420.10"]  # tables say 451.32
    assert figures(TONGNAN_2025, "three_public_total") == ["6.7"]
    assert figures(TONGNAN_2025, "three_public_total", "change") == ["-6.3"]
    assert figures(TONGNAN_2025, "three_public_vehicle_operation", "change") == ["-8"]
    assert figures(TONGNAN_2025, "three_public_overseas_travel", "change") == ["0"]  # 持平
    assert figures(TONGNAN_2025, "operating_funds") == ["82.50"]
    procurement = [f for f in parsed(TONGNAN_2025).figures if f.figure_key == "procurement_total"]
    assert [(f.amount, f.unit) for f in procurement] == [("0", "元")]
    assert figures(TONGNAN_2025, "vehicle_count", "count") == ["2"]


def test_dadukou_2023_procurement_by_fund_source() -> None:
    got = {
        (f.figure_key, f.fund_source): f.amount
        for f in parsed(DADUKOU_2023).figures
        if f.figure_key.startswith("procurement")
    }
    assert got == {
        ("procurement_total", "all"): "113",
        ("procurement_goods", "all"): "20.2",
        ("procurement_works", "all"): "0",
        ("procurement_services", "all"): "92.8",
        ("procurement_total", "general_public_budget"): "113",
        ("procurement_goods", "general_public_budget"): "20.2",
        ("procurement_works", "general_public_budget"): "0",
        ("procurement_services", "general_public_budget"): "92.8",
    }
    assert figures(DADUKOU_2023, "operating_funds") == ["257.23"]
    assert figures(DADUKOU_2023, "vehicle_count", "count") == ["6"]


def test_every_figure_has_a_line_and_a_document() -> None:
    for name in (WANZHOU_2023, KAIZHOU_2023, WANZHOU_2021, TONGNAN_2025, DADUKOU_2023):
        result = parsed(name)
        lines = normalise_text((RAW / name).read_text(encoding="utf-8"))
        for figure in result.figures:
            assert figure.document_id == result.document.document_id
            assert 1 <= figure.line_number <= len(lines)
        for cell in result.cells:
            assert cell.amount.lstrip("-") in lines[cell.line_number - 1].replace(",", "")


def test_unparsed_lines_are_reported_with_reasons() -> None:
    unparsed = parsed(WANZHOU_2023).unparsed
    assert [(u.line_number, u.reason) for u in unparsed] == [(41, "number_without_unit")]
