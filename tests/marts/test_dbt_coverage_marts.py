"""The coverage marts and the reconciliation audit, built on the real sample documents.

Every test reads the warehouse that the session's real build published (the ``published``
fixture: ``python -m warehouse build``, which runs every dbt test too).
Documents are found by district, year and kind (never by file name). Every expected value
below is printed in a document under ``data/raw``.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import duckdb
import pytest
from warehouse_build import document_id_of

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).resolve().parents[2]


def _rows(con: duckdb.DuckDBPyConnection, sql: str, params: list[object]) -> list[tuple]:
    return con.execute(sql, params).fetchall()


# --- fct_three_public ------------------------------------------------------------------------


def _three_public(con: duckdb.DuckDBPyConnection, document_id: str) -> dict[str, tuple]:
    rows = _rows(
        con,
        "select item, amount_wan, prior_year_amount_wan, source_kind, amount_yuan"
        " from marts.fct_three_public where document_id = ?",
        [document_id],
    )
    return {row[0]: row[1:] for row in rows}


def test_tongnan_2025_three_public_prose_amount_table_prior_year(con):
    items = _three_public(con, document_id_of(con, "潼南区", 2025, "budget"))
    # Narrative: 6.7 万元, 比2024年减少6.3; table 附件4: 2024年预算数 总计 13.00, 2025 总计 blank.
    assert items["total"][:3] == (Decimal("6.7000"), Decimal("13.0000"), "narrative")
    assert items["total"][3] == Decimal("67000.00")
    # 公务用车运行维护费 0 万元, 比2024年减少8万元; the table's 2024 column prints 8.00.
    assert items["vehicle_operation"][:3] == (Decimal("0.0000"), Decimal("8.0000"), "narrative")
    assert items["official_reception"][:2] == (Decimal("6.7000"), Decimal("5.0000"))
    # 公务用车购置及运行费 is not stated as such; the narrative's 购置费 0 + 运行维护费 0 give it, so
    # the items never mix in the table's shifted 小计 6.70. The prior year is the table's 13.00.
    assert items["vehicle_total"][:3] == (Decimal("0.0000"), Decimal("13.0000"), "narrative")


def test_dadukou_2023_three_public(con):
    items = _three_public(con, document_id_of(con, "大渡口区", 2023, "budget"))
    assert items["total"][0] == Decimal("27.9000")
    assert items["official_reception"][0] == Decimal("2.9000")
    assert items["vehicle_operation"][0] == Decimal("25.0000")
    # 比2022年减少0.1万元 → prior year 28.00.
    assert items["total"][1] == Decimal("28.0000")


def test_kaizhou_2023_and_wanzhou_2021_three_public_totals(con):
    kaizhou = _three_public(con, document_id_of(con, "开州区", 2023, "budget"))
    assert kaizhou["total"][:3] == (Decimal("1.9000"), Decimal("2.0000"), "narrative")
    wanzhou = _three_public(con, document_id_of(con, "万州区", 2021, "final_accounts"))
    assert wanzhou["total"][0] == Decimal("0.0000")


# --- fct_income_by_source --------------------------------------------------------------------


def _income(con, document_id: str, code: str) -> list[tuple]:
    return _rows(
        con,
        "select income_source, amount_wan, function_level, is_template_header"
        " from marts.fct_income_by_source where document_id = ? and function_code = ?"
        " order by income_source",
        [document_id, code],
    )


def test_tongnan_2025_income_by_source(con):
    doc = document_id_of(con, "潼南区", 2025, "budget")
    assert _income(con, doc, "2010350") == [
        ("general_public_budget", Decimal("353.1300"), 3, False)
    ]
    # 附件7's 总计 column and 合计 row are totals, not sources.
    sources = _rows(
        con,
        "select distinct income_source from marts.fct_income_by_source where document_id = ?",
        [doc],
    )
    assert sources == [("general_public_budget",)]


def test_dadukou_2023_income_from_the_table_without_header(con):
    doc = document_id_of(con, "大渡口区", 2023, "budget")
    # 表七 lost its title and header: recognised by shape, columns named from the template.
    assert _income(con, doc, "2080501") == [("general_public_budget", Decimal("18.4400"), 3, True)]
    assert _income(con, doc, "210") == [("general_public_budget", Decimal("40.9200"), 1, True)]


# --- fct_procurement -------------------------------------------------------------------------


def _procurement(con, document_id: str) -> dict[tuple[str, str], tuple]:
    rows = _rows(
        con,
        "select category, fund_source, amount_wan, source_kind from marts.fct_procurement"
        " where document_id = ?",
        [document_id],
    )
    return {(row[0], row[1]): row[2:] for row in rows}


def test_dadukou_2023_procurement(con):
    figures = _procurement(con, document_id_of(con, "大渡口区", 2023, "budget"))
    for fund_source in ("all", "general_public_budget"):
        assert figures[("goods", fund_source)] == (Decimal("20.2000"), "narrative")
        assert figures[("services", fund_source)] == (Decimal("92.8000"), "narrative")
        assert figures[("works", fund_source)] == (Decimal("0.0000"), "narrative")
        assert figures[("total", fund_source)] == (Decimal("113.0000"), "narrative")


def test_wanzhou_2021_procurement_awarded_to_smes(con):
    figures = _procurement(con, document_id_of(con, "万州区", 2021, "final_accounts"))
    assert figures[("total", "all")][0] == Decimal("1033.2000")
    assert figures[("sme_awarded", "all")][0] == Decimal("1033.2000")
    assert figures[("small_micro_awarded", "all")][0] == Decimal("0.0000")


def test_tongnan_2025_procurement_printed_in_yuan(con):
    # 政府采购预算总额0元; the procurement table 附件9 prints no figures.
    figures = _procurement(con, document_id_of(con, "潼南区", 2025, "budget"))
    assert figures == {("total", "all"): (Decimal("0.0000"), "narrative")}


# --- fct_performance_targets / fct_performance_evaluation -----------------------------------


def test_dadukou_2023_performance_targets(con):
    doc = document_id_of(con, "大渡口区", 2023, "budget")
    counts = _rows(
        con,
        "select project_name, count(*) from marts.fct_performance_targets"
        " where document_id = ? group by project_name order by project_name nulls first",
        [doc],
    )
    assert counts[0] == (None, 9)  # 表十 整体绩效目标表
    assert len(counts) == 4
    assert all(count == 9 for _, count in counts[1:])
    budget = _rows(
        con,
        "select distinct project_budget_wan, project_budget_yuan"
        " from marts.fct_performance_targets"
        " where document_id = ? and project_name like '%电子政务外网综合管理平台%'",
        [doc],
    )
    # 资金情况 (元) 年度资金总额 682,000.00 元.
    assert budget == [(Decimal("68.2000"), Decimal("682000.00"))]


def test_tongnan_2025_whole_unit_targets(con):
    doc = document_id_of(con, "潼南区", 2025, "budget")
    whole_unit = _rows(
        con,
        "select count(*) from marts.fct_performance_targets"
        " where document_id = ? and project_name is null",
        [doc],
    )
    assert whole_unit == [(32,)]
    published = _rows(
        con,
        "select operator, target_value, weight, measure_unit from marts.fct_performance_targets"
        " where document_id = ? and indicator_name = '公开信息数'",
        [doc],
    )
    assert published == [(">=", Decimal("15000.0000"), Decimal("5.0000"), "条")]


def test_wanzhou_2021_self_evaluation(con):
    doc = document_id_of(con, "万州区", 2021, "final_accounts")
    projects = _rows(
        con,
        "select project_name, executed_wan, execution_rate, score, indicator_count"
        " from marts.fct_performance_evaluation where document_id = ? order by table_id",
        [doc],
    )
    assert len(projects) == 3
    smart_medicine = [p for p in projects if "智慧医疗" in p[0]]
    assert smart_medicine == [
        (
            "面向重大公共卫生突发事件的智慧医疗一期项目建设（智慧万州子项目）",
            Decimal("6078.9000"),
            Decimal("100.0000"),
            Decimal("100.0000"),
            4,
        )
    ]
    # Its indicators carry the year's actual values: 预计使用率 target ≥95, actual 92.
    actual = _rows(
        con,
        "select target_value, actual_value from marts.fct_performance_targets"
        " where document_id = ? and indicator_name = '预计使用率'",
        [doc],
    )
    assert actual == [(Decimal("95.0000"), Decimal("92.0000"))]


# --- audit_reconciliation --------------------------------------------------------------------


def _checks(con, document_id: str, check_name: str) -> list[tuple]:
    return _rows(
        con,
        "select expected_wan, actual_wan, difference_wan, figure_count, status"
        " from marts.audit_reconciliation where document_id = ? and check_name = ?"
        " order by check_key",
        [document_id, check_name],
    )


def test_tongnan_2025_prose_basic_expenditure_disagrees_with_the_tables(con):
    doc = document_id_of(con, "潼南区", 2025, "budget")
    # Narrative 基本支出 420.10 (the 2024 total) vs 附件2 合计 基本支出 451.32.
    rows = _checks(con, doc, "narrative_vs_table:basic_expenditure:general_budget_expenditure")
    assert rows == [(Decimal("451.3200"), Decimal("420.1000"), Decimal("-31.2200"), 1, "mismatch")]


def test_tongnan_2025_goods_and_services_rows_do_not_add_up(con):
    doc = document_id_of(con, "潼南区", 2025, "budget")
    # 302 商品和服务支出 82.50; its rows sum to 81.20 once the page-break repeats of
    # 30215 会议费 and 30216 培训费 are left out (9 rows, not 11).
    for column in ("total", "public_operating"):
        rows = _checks(con, doc, f"children_sum:general_budget_basic_expenditure:302:{column}")
        assert rows == [(Decimal("82.5000"), Decimal("81.2000"), Decimal("-1.3000"), 9, "mismatch")]


def test_wanzhou_2023_class_sum_is_a_rounding_difference(con):
    doc = document_id_of(con, "万州区", 2023, "budget")
    # 688.06 + 0 + 0 + 63.21 + 21.16 + 0 + 0 + 19.39 + 0 = 791.82 vs 年初预算数 791.83.
    rows = _checks(con, doc, "narrative_class_sum:other:total_expenditure")
    assert rows == [(Decimal("791.8300"), Decimal("791.8200"), Decimal("-0.0100"), 9, "rounding")]


def test_dadukou_2023_table_total_rounding_and_matching_identities(con):
    doc = document_id_of(con, "大渡口区", 2023, "budget")
    # 表二: 类 rows 1017.54 + 68.20 + 208.71 + 40.92 + 62.82 = 1398.19 vs 合计 1398.18.
    rows = _checks(con, doc, "children_sum:general_budget_expenditure:total:total")
    assert rows == [(Decimal("1398.1800"), Decimal("1398.1900"), Decimal("0.0100"), 5, "rounding")]
    # 合计 1398.18 = 基本支出 1126.29 + 项目支出 271.89.
    rows = _checks(con, doc, "basic_plus_project:general_budget_expenditure:total")
    assert rows == [(Decimal("1398.1800"), Decimal("1398.1800"), Decimal("0.0000"), 2, "ok")]
    # 三公 表四: 合计 27.90 = 公务用车 小计 25.00 + 公务接待费 2.90.
    rows = _checks(con, doc, "three_public_items:table:total")
    assert rows == [(Decimal("27.9000"), Decimal("27.9000"), Decimal("0.0000"), 2, "ok")]


def test_tongnan_2025_three_public_table_disagrees_with_itself(con):
    doc = document_id_of(con, "潼南区", 2025, "budget")
    # 2024: 总计 13.00 but 小计 13.00 + 公务接待费 5.00 = 18.00.
    rows = _checks(con, doc, "three_public_items:table:prior_total")
    assert rows == [(Decimal("13.0000"), Decimal("18.0000"), Decimal("5.0000"), 2, "mismatch")]
    # The narrative's prior-year figures agree with the table's 2024 column.
    rows = _checks(con, doc, "narrative_vs_table:three_public:prior_total")
    assert rows == [(Decimal("13.0000"), Decimal("13.0000"), Decimal("0.0000"), 1, "ok")]


def test_summary_tables_are_checked_against_the_expenditure_table(con):
    doc = document_id_of(con, "潼南区", 2025, "budget")
    # 附件1 财政拨款收支总表 (一般公共预算 column, by 类 name) vs 附件2 by code.
    rows = _checks(
        con,
        doc,
        "summary_vs_expenditure:fiscal_income_expenditure_summary:208:general_public_budget",
    )
    assert rows == [(Decimal("59.0500"), Decimal("59.0500"), Decimal("0.0000"), 1, "ok")]
    rows = _checks(con, doc, "income_vs_expenditure:income_summary:expenditure_summary")
    assert rows == [(Decimal("451.3200"), Decimal("451.3200"), Decimal("0.0000"), 1, "ok")]


def test_every_document_is_reconciled(con):
    documents = _rows(con, "select count(*) from marts.dim_document", [])
    reconciled = _rows(
        con, "select count(distinct document_id) from marts.audit_reconciliation", []
    )
    assert reconciled == documents
    statuses = _rows(con, "select distinct status from marts.audit_reconciliation", [])
    assert {s for (s,) in statuses} <= {"ok", "rounding", "mismatch"}
