"""The dbt models built on the real sample documents, checked against the figures they print.

Every test reads the warehouse that the session's real build published (the ``published``
fixture: ``python -m warehouse build`` on every sample plus one file that is not a disclosure),
so these figures are checked on exactly what ``make build`` produces. Documents are found by district, year
and kind (never by file name). Every expected value below is printed in a document under
``data/raw``.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import duckdb
import pytest
from warehouse_build import document_id_of

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).resolve().parents[2]


def _fact(
    con: duckdb.DuckDBPyConnection,
    document_id: str,
    code: str,
    *,
    measure: str = "total",
    fund_source: str | None = None,
    fiscal_year: int | None = None,
) -> list[tuple]:
    sql = (
        "select amount_wan, amount_yuan, fund_source, fiscal_year, is_comparative, source_kind,"
        " function_level from marts.fct_expenditure_by_function"
        " where document_id = ? and function_code = ? and measure = ?"
    )
    params: list[object] = [document_id, code, measure]
    if fund_source is not None:
        sql += " and fund_source = ?"
        params.append(fund_source)
    if fiscal_year is not None:
        sql += " and fiscal_year = ?"
        params.append(fiscal_year)
    return con.execute(sql + " order by fund_source, fiscal_year", params).fetchall()


# --- fct_expenditure_by_function ------------------------------------------------------------


def test_tongnan_2025_current_and_prior_year_columns(con):
    doc = document_id_of(con, "潼南区", 2025, "budget")
    current = _fact(con, doc, "2010350", fund_source="general_public_budget", fiscal_year=2025)
    prior = _fact(con, doc, "2010350", fund_source="general_public_budget", fiscal_year=2024)
    assert current == [
        (
            Decimal("353.1300"),
            Decimal("3531300.00"),
            "general_public_budget",
            2025,
            False,
            "table",
            3,
        )
    ]
    assert prior == [
        (
            Decimal("345.6400"),
            Decimal("3456400.00"),
            "general_public_budget",
            2024,
            True,
            "table",
            3,
        )
    ]


def test_tongnan_2025_same_fact_in_two_tables_is_one_per_fund_source(con):
    doc = document_id_of(con, "潼南区", 2025, "budget")
    # 201 一般公共服务支出 353.13 is printed in 附件2 (一般公共预算) and 附件8 (部门支出总表).
    rows = _fact(con, doc, "201", fiscal_year=2025)
    assert [(r[2], r[0]) for r in rows] == [
        ("all", Decimal("353.1300")),
        ("general_public_budget", Decimal("353.1300")),
    ]


def test_dadukou_2023_item_rows(con):
    doc = document_id_of(con, "大渡口区", 2023, "budget")
    operation = _fact(con, doc, "2010301", fund_source="general_public_budget")
    assert [r[0] for r in operation] == [Decimal("703.0300")]
    project = _fact(con, doc, "2010302", measure="project", fund_source="general_public_budget")
    assert [(r[0], r[1], r[4]) for r in project] == [
        (Decimal("133.0000"), Decimal("1330000.00"), False)
    ]
    # 2010302 has no 基本支出 figure: nothing is invented for it.
    assert _fact(con, doc, "2010302", measure="basic") == []


def test_wanzhou_2023_classes_come_from_the_narrative(con):
    doc = document_id_of(con, "万州区", 2023, "budget")
    rows = _fact(con, doc, "201")
    assert [(r[0], r[2], r[5], r[6]) for r in rows] == [
        (Decimal("688.0600"), "all", "narrative", 1)
    ]
    # 社会保障和就业支出 63.21 is printed across a line break in the same sentence.
    assert [r[0] for r in _fact(con, doc, "208")] == [Decimal("63.2100")]


def test_wanzhou_2021_final_accounts_narrative_with_alias(con):
    doc = document_id_of(con, "万州区", 2021, "final_accounts")
    general = _fact(con, doc, "201")
    assert [(r[0], r[2], r[5]) for r in general] == [
        (Decimal("774.3300"), "general_public_budget", "narrative")
    ]
    # printed 社会保障与就业支出 (与, not 和): resolved through the alias list to 208.
    assert [r[0] for r in _fact(con, doc, "208")] == [Decimal("63.8000")]


def test_kaizhou_2023_health_class(con):
    doc = document_id_of(con, "开州区", 2023, "budget")
    assert [(r[0], r[5]) for r in _fact(con, doc, "210")] == [(Decimal("28.4400"), "narrative")]
    # printed 一般公共服务支出预算465.15万元: the 预算 suffix does not hide the class.
    assert [r[0] for r in _fact(con, doc, "201")] == [Decimal("465.1500")]


def test_documents_with_tables_take_no_narrative_rows(con):
    rows = con.execute(
        "select d.district_name, f.source_kind, count(*) from marts.fct_expenditure_by_function f"
        " join marts.dim_document d using (document_id)"
        " where d.district_name in ('潼南区', '大渡口区') group by all order by all"
    ).fetchall()
    assert {(r[0], r[1]) for r in rows} == {("大渡口区", "table"), ("潼南区", "table")}


# --- fct_expenditure_by_economic ------------------------------------------------------------


def test_economic_facts_tongnan_2025(con):
    doc = document_id_of(con, "潼南区", 2025, "budget")
    rows = dict(
        ((code, measure), amount)
        for code, measure, amount in con.execute(
            "select economic_code, measure, amount_wan from marts.fct_expenditure_by_economic"
            " where document_id = ?",
            [doc],
        ).fetchall()
    )
    assert rows[("30101", "personnel")] == Decimal("85.6900")
    assert rows[("30101", "total")] == Decimal("85.6900")
    assert rows[("302", "public_operating")] == Decimal("82.5000")
    # 30215 会议费 is printed again after the page break: one fact, not two.
    assert rows[("30215", "total")] == Decimal("10.0000")
    assert ("30101", "public_operating") not in rows


def test_economic_class_totals_dadukou_2023(con):
    doc = document_id_of(con, "大渡口区", 2023, "budget")
    totals = con.execute(
        "select measure, sum(amount_wan) from marts.fct_expenditure_by_economic"
        " where document_id = ? and economic_level = 1 group by measure order by measure",
        [doc],
    ).fetchall()
    assert totals == [
        ("personnel", Decimal("869.0600")),
        ("public_operating", Decimal("257.2300")),
        ("total", Decimal("1126.2900")),
    ]


# --- fct_budget_summary ---------------------------------------------------------------------


def _summary(con, district: str, year: int, kind: str) -> dict[str, object]:
    doc = document_id_of(con, district, year, kind)
    cursor = con.execute("select * from marts.fct_budget_summary where document_id = ?", [doc])
    names = [d[0] for d in cursor.description]
    return dict(zip(names, cursor.fetchone(), strict=True))


def test_summary_dadukou_2023(con):
    row = _summary(con, "大渡口区", 2023, "budget")
    assert row["total_expenditure_wan"] == Decimal("1398.1800")
    assert row["basic_expenditure_wan"] == Decimal("1126.2900")
    assert row["project_expenditure_wan"] == Decimal("271.8900")
    assert row["three_public_total_wan"] == Decimal("27.9000")
    assert row["three_public_total_change_wan"] == Decimal("-0.1000")
    assert row["operating_funds_wan"] == Decimal("257.2300")
    assert row["procurement_total_wan"] == Decimal("113.0000")
    assert row["vehicle_count"] == 6
    # 人员经费 / 公用经费 are not stated in the prose: the basic-expenditure table's 合计 row.
    assert row["personnel_expenditure_wan"] == Decimal("869.0600")
    assert row["public_operating_expenditure_wan"] == Decimal("257.2300")
    assert row["figures_from_tables"] == (
        "personnel_expenditure_wan, public_operating_expenditure_wan"
    )


def test_summary_wanzhou_2023(con):
    row = _summary(con, "万州区", 2023, "budget")
    assert row["total_income_wan"] == Decimal("791.8300")
    assert row["total_income_change_wan"] == Decimal("92.0600")
    assert row["basic_expenditure_wan"] == Decimal("393.5300")
    assert row["project_expenditure_wan"] == Decimal("398.3000")
    # 不在机关运行经费统计范围之内: not disclosed, so null rather than 0.
    assert row["operating_funds_wan"] is None
    assert row["figures_from_tables"] == ""


def test_summary_wanzhou_2021_final_accounts(con):
    row = _summary(con, "万州区", 2021, "final_accounts")
    # final accounts: total_income_wan is 收入合计 of the year (6950.72), the 收入总计 with
    # carry-overs (6954.99) is grand_total_income_wan (issue 8, item 5)
    assert row["total_income_wan"] == Decimal("6950.7200")
    assert row["grand_total_income_wan"] == Decimal("6954.9900")
    assert row["general_public_budget_wan"] == Decimal("876.0900")
    assert row["personnel_expenditure_wan"] == Decimal("373.2200")
    assert row["procurement_total_wan"] == Decimal("1033.2000")


def test_summary_tongnan_2025(con):
    row = _summary(con, "潼南区", 2025, "budget")
    # 政府采购预算总额0元 (printed in 元).
    assert row["procurement_total_wan"] == Decimal("0.0000")
    assert row["three_public_total_change_wan"] == Decimal("-6.3000")
    assert row["vehicle_count"] == 2


def test_a_prose_figure_printed_in_yuan_is_converted_not_rounded(con):
    # 万州 2023, line 113: "基本支出 393.53 万元，比上年增加 92.06元" — printed in 元 (as published):
    # 92.06 元 is 0.009206 万元, kept to 4 decimals in amount_wan and exact in amount_yuan.
    document_id = document_id_of(con, "万州区", 2023, "budget")
    rows = con.execute(
        "select amount_value, unit, amount_wan, amount_yuan from marts.fct_narrative_figures"
        " where document_id = ? and source_line = 113 and unit = '元'",
        [document_id],
    ).fetchall()
    assert rows == [(Decimal("92.0600"), "元", Decimal("0.0092"), Decimal("92.06"))]


# --- mart_district_function_comparison ------------------------------------------------------


def test_comparison_2023_budget_shares(con):
    rows = dict(
        ((district, code), (amount, share))
        for district, code, amount, share in con.execute(
            "select district_name, class_code, amount_wan, share_of_district_total"
            " from marts.mart_district_function_comparison"
            " where fiscal_year = 2023 and doc_kind = 'budget'"
        ).fetchall()
    )
    amount, share = rows[("万州区", "201")]
    assert amount == Decimal("688.0600")
    assert abs(float(share) - 0.869) < 0.0005
    amount, share = rows[("大渡口区", "201")]
    assert amount == Decimal("1017.5400")
    assert abs(float(share) - 0.728) < 0.0005
    # comparative 2024 columns of 潼南's 2025 budget do not leak into the comparison (the 2024
    # rows are the Shanghai final accounts only)
    assert con.execute(
        "select count(*) from marts.mart_district_function_comparison"
        " where fiscal_year = 2024 and (doc_kind = 'budget' or district_code = '500152')"
    ).fetchone() == (0,)


# --- dimensions and audit -------------------------------------------------------------------


def test_dim_district_covers_all_divisions(con):
    # 31 provinces; 342 prefecture-level rows less the groupings (4 市辖区, 重庆 县, 4 直辖县级
    # 行政区划); 2,978 counties less 东莞市, 中山市, 儋州市, which are cities without counties
    assert con.execute(
        "select division_level, count(*) from marts.dim_district group by 1 order by 1"
    ).fetchall() == [("city", 333), ("county", 2975), ("province", 31)]
    assert con.execute(
        "select district_code, district_name, division_level, city_code, province_name"
        " from marts.dim_district where district_code in ('320000', '320100', '310000')"
        " order by district_code"
    ).fetchall() == [
        ("310000", "上海市", "province", None, "上海市"),
        ("320000", "江苏省", "province", None, "江苏省"),
        ("320100", "南京市", "city", "3201", "江苏省"),
    ]
    assert con.execute(
        "select district_name, district_short_name, province_name from marts.dim_district"
        " where district_code = '500101'"
    ).fetchone() == ("万州区", "万州", "重庆市")


def test_unit_is_stable_across_years(con):
    rows = con.execute(
        "select unit_name, unit_short_name, first_fiscal_year, last_fiscal_year, document_count"
        " from marts.dim_unit where district_name = '万州区'"
    ).fetchall()
    assert rows == [("重庆市万州区党政信息中心", "党政信息中心", 2021, 2023, 2)]


def test_dim_function_code_hierarchy(con):
    assert con.execute(
        "select function_name, function_level, class_code, class_name, section_code,"
        " section_name from marts.dim_function_code where function_code = '2080505'"
    ).fetchone() == (
        "机关事业单位基本养老保险缴费支出",
        3,
        "208",
        "社会保障和就业支出",
        "20805",
        "行政事业单位养老支出",
    )


def test_audit_ingest_lists_every_file(con):
    rows = con.execute(
        "select status, count(*), sum(rows_landed) from marts.audit_ingest group by status"
    ).fetchall()
    samples = sorted(p.name for p in (ROOT / "data" / "raw").iterdir() if p.is_file())
    by_status = {status: count for status, count, _ in rows}
    # the session build adds one file that is not a disclosure: rejected, with its reason
    assert by_status == {"landed": len(samples), "rejected": 1}
    reason = con.execute(
        "select reason from marts.audit_ingest where status = 'rejected'"
    ).fetchone()[0]
    assert "not a disclosure" in reason
    assert (
        con.execute(
            "select repeated_rows_dropped from marts.audit_ingest a"
            " join marts.dim_document d using (document_id) where d.district_name = '潼南区'"
        ).fetchone()[0]
        > 0
    )


def test_staging_cells_column_year_and_units(con):
    doc = document_id_of(con, "潼南区", 2025, "budget")
    rows = con.execute(
        "select distinct column_label, column_year from staging.stg_landed__table_cells"
        " where document_id = ? and code = '2010350' and column_label like '%预算数%'"
        " order by column_year, column_label",
        [doc],
    ).fetchall()
    assert ("2024年预算数", 2024) in rows
    assert ("2025年预算数 | 总计", 2025) in rows


# --- lint -----------------------------------------------------------------------------------


def test_shanghai_pdf_final_accounts_reach_the_marts(con):
    # 上海市普陀区财政局 2024 决算 (PDF): 201 06 01 行政运行 printed over 类|款|项 columns
    rows = con.execute(
        "select fund_source, measure, amount_wan from marts.fct_expenditure_by_function"
        " where unit_name = '上海市普陀区财政局' and function_code = '2010601'"
        " and fiscal_year = 2024 order by 1, 2"
    ).fetchall()
    assert ("general_public_budget", "total", Decimal("1511.8900")) in rows
    assert ("general_public_budget", "basic", Decimal("1503.5200")) in rows
    # three units of 普陀区 (310107) side by side in the comparison
    rows = dict(
        con.execute(
            "select class_code, amount_wan from marts.mart_district_function_comparison"
            " where district_code = '310107' and fiscal_year = 2024 and doc_kind = 'final_accounts'"
        ).fetchall()
    )
    assert rows["220"] == Decimal("4461.6700")  # 自然资源海洋气象等支出, 规划和自然资源局
    summary = con.execute(
        "select total_expenditure_wan, basic_expenditure_wan, project_expenditure_wan"
        " from marts.fct_budget_summary where unit_name = '上海市普陀区财政局'"
    ).fetchone()
    # final accounts: total_expenditure_wan is 本年支出合计 (2336.91 + 603.14); 支出总计 2995.39
    # is grand_total_expenditure_wan (issue 8, item 5)
    assert summary == (Decimal("2940.0500"), Decimal("2336.9100"), Decimal("603.1400"))


# --- source_page (PDF page numbers) ------------------------------------------------------------


def test_pdf_fact_carries_the_page_it_is_printed_on(con):
    # 上海市普陀区财政局 2024 决算 (PDF): 201 06 01 行政运行 1,511.89 is printed on page 15 in the
    # 一般公共预算财政拨款支出决算表 and on page 10 in the 支出决算表 (部门支出, fund source all).
    rows = con.execute(
        "select fund_source, source_line, source_page from marts.fct_expenditure_by_function"
        " where unit_name = '上海市普陀区财政局' and fiscal_year = 2024"
        " and function_code = '2010601' and measure = 'total' order by fund_source"
    ).fetchall()
    # (lines: the header cell 支出功能分类科目编码, cut by a rule into two grid rows, reads as
    # one line since the grid rules of the court branch)
    assert rows == [("all", 153, 10), ("general_public_budget", 217, 15)]
    # 收入支出总计 2995.39 万元: the narrative sentence the summary is read from, on page 21
    assert con.execute(
        "select source_kind, source_page, grand_total_income_wan, total_income_wan"
        " from marts.fct_budget_summary where unit_name = '上海市普陀区财政局'"
    ).fetchone() == ("narrative", 21, Decimal("2995.3900"), Decimal("2946.2500"))


def test_pdf_document_page_count_and_pages_without_text(con):
    rows = con.execute(
        "select unit_name, page_count, pages_without_text from marts.dim_document"
        " where source_file like '%.pdf' order by page_count"
    ).fetchall()
    # the 财政局 PDF has 25 pages; page 14 is blank (no text layer, nothing read from it)
    assert rows == [
        ("中共上海市普陀区委社会工作部", 24, None),
        ("上海市普陀区财政局", 25, "14"),
        ("上海市普陀区规划和自然资源局", 30, None),
    ]
    pages = con.execute(
        "select p.page_number, p.first_line, p.last_line, p.has_text, p.line_count"
        " from staging.int_documents__pages p join marts.dim_document d using (document_id)"
        " where d.unit_name = '上海市普陀区财政局' and page_number between 13 and 15"
        " order by page_number"
    ).fetchall()
    assert pages == [(13, 190, 209, True, 20), (14, 210, 209, False, 0), (15, 210, 235, True, 26)]


def test_text_document_facts_have_no_page(con):
    doc = document_id_of(con, "潼南区", 2025, "budget")
    assert con.execute(
        "select page_count, pages_without_text from marts.dim_document where document_id = ?",
        [doc],
    ).fetchone() == (None, None)
    for model in (
        "fct_expenditure_by_function",
        "fct_expenditure_by_economic",
        "fct_budget_summary",
        "fct_three_public",
        "fct_income_by_source",
        "fct_procurement",
        "fct_performance_targets",
        "fct_narrative_figures",
        "fct_table_figures",
        "audit_reconciliation",
    ):
        rows, lines, pages = con.execute(
            f"select count(*), count(source_line), count(source_page) from marts.{model}"
            " where document_id = ?",
            [doc],
        ).fetchone()
        assert rows > 0 and lines > 0 and pages == 0, (model, rows, lines, pages)


def test_every_pdf_fact_has_a_page(con):
    # every row of a PDF document that has a source_line is on a page of that document
    for model in (
        "fct_expenditure_by_function",
        "fct_expenditure_by_economic",
        "fct_three_public",
        "fct_income_by_source",
        "fct_procurement",
        "fct_narrative_figures",
        "fct_table_figures",
        "audit_reconciliation",
    ):
        rows, on_a_page = con.execute(
            f"select count(*), count(*) filter (where f.source_page between 1 and d.page_count)"
            f" from marts.{model} f join marts.dim_document d using (document_id)"
            " where d.page_count is not null and f.source_line is not null"
        ).fetchone()
        assert rows > 0 and on_a_page == rows, (model, rows, on_a_page)
