"""fct_performance_funds on the warehouse the session's real build published.

The fund-source rows printed under a project's budget: 万州 2021 final accounts (项目绩效自评表,
其中：上级资金 / 区级资金, 万元) and 大渡口 2023 budget (表十一–十三, 其中：财政拨款, 元). Every
expected value is printed in a document under ``data/raw``; documents are found by district,
year and kind, never by file name.
"""

from __future__ import annotations

from decimal import Decimal

import duckdb
import pytest
from warehouse_build import document_id_of

pytestmark = pytest.mark.e2e

COLUMNS = (
    "source_line, source_kind, table_kind, project_name, fund_label, amount_unit,"
    " annual_budget_wan, adjusted_budget_wan, executed_wan, executed_yuan, execution_rate, score"
)


def _funds(con: duckdb.DuckDBPyConnection, document_id: str) -> list[tuple]:
    return con.execute(
        f"select {COLUMNS} from marts.fct_performance_funds where document_id = ?"
        " order by source_line",
        [document_id],
    ).fetchall()


def test_wanzhou_self_evaluation_fund_rows(con: duckdb.DuckDBPyConnection) -> None:
    document_id = document_id_of(con, "万州区", 2021, "final_accounts")
    kind = "performance_self_evaluation"
    assert _funds(con, document_id) == [
        (
            147,
            "table",
            kind,
            "面向重大公共卫生突发事件的智慧医疗一期项目建设（智慧万州子项目）",
            "上级资金",
            "万元",
            None,
            Decimal("6078.9000"),
            Decimal("6078.9000"),
            Decimal("60789000.00"),
            Decimal("100.0000"),
            Decimal("100.0000"),
        ),
        (
            193,
            "table",
            kind,
            "政府信息平台运行经费",
            "区级资金",
            "万元",
            Decimal("15.0000"),
            Decimal("15.0000"),
            Decimal("15.0000"),
            Decimal("150000.00"),
            Decimal("100.0000"),
            Decimal("100.0000"),
        ),
    ]


def test_wanzhou_fund_row_that_does_not_align_stays_unparsed(
    con: duckdb.DuckDBPyConnection,
) -> None:
    """电子政务外网维护费 prints 7 figures under 6 header words (lines 171 and 174): neither
    its budget row nor its 区级资金 row is landed as a figure."""
    document_id = document_id_of(con, "万州区", 2021, "final_accounts")
    funds = con.execute(
        "select count(*) from marts.fct_performance_funds"
        " where document_id = ? and project_name = '电子政务外网维护费'",
        [document_id],
    ).fetchone()
    assert funds == (0,)
    unparsed = con.execute(
        "select line_number, reason from staging.stg_landed__unparsed_lines"
        " where document_id = ? order by line_number",
        [document_id],
    ).fetchall()
    assert unparsed == [(171, "budget_row_not_aligned"), (174, "budget_row_not_aligned")]


def test_fund_rows_belong_to_the_evaluated_project(con: duckdb.DuckDBPyConnection) -> None:
    document_id = document_id_of(con, "万州区", 2021, "final_accounts")
    rows = con.execute(
        "select f.fund_label, e.project_name, e.adjusted_budget_wan, f.adjusted_budget_wan"
        " from marts.fct_performance_funds as f"
        " inner join marts.fct_performance_evaluation as e using (project_key)"
        " where f.document_id = ? order by f.source_line",
        [document_id],
    ).fetchall()
    assert rows == [
        (
            "上级资金",
            "面向重大公共卫生突发事件的智慧医疗一期项目建设（智慧万州子项目）",
            Decimal("6078.9000"),
            Decimal("6078.9000"),
        ),
        ("区级资金", "政府信息平台运行经费", Decimal("15.0000"), Decimal("15.0000")),
    ]


def test_dadukou_fiscal_appropriation_rows_in_yuan(con: duckdb.DuckDBPyConnection) -> None:
    document_id = document_id_of(con, "大渡口区", 2023, "budget")
    rows = con.execute(
        "select source_line, table_kind, project_name, fund_label, amount_unit,"
        " annual_budget_wan, annual_budget_yuan, executed_wan"
        " from marts.fct_performance_funds where document_id = ? order by source_line",
        [document_id],
    ).fetchall()
    kind = "performance_project"
    assert rows == [
        (
            306,
            kind,
            "政府网站集约化平台综合外包服务",
            "财政拨款",
            "元",
            Decimal("30.0000"),
            Decimal("300000.00"),
            None,
        ),
        (
            329,
            kind,
            "政府网站运维服务",
            "财政拨款",
            "元",
            Decimal("7.0000"),
            Decimal("70000.00"),
            None,
        ),
        (
            352,
            kind,
            "重庆市大渡口区电子政务外网综合管理平台建设",
            "财政拨款",
            "元",
            Decimal("68.2000"),
            Decimal("682000.00"),
            None,
        ),
    ]


def test_every_fund_row_has_the_common_columns(con: duckdb.DuckDBPyConnection) -> None:
    rows = con.execute(
        "select f.document_id, f.unit_id, f.fiscal_year, f.doc_kind, d.unit_id, d.fiscal_year"
        " from marts.fct_performance_funds as f"
        " left join marts.dim_document as d using (document_id)"
    ).fetchall()
    assert len(rows) == 5
    assert all(r[1] == r[4] and r[2] == r[5] and r[3] is not None for r in rows)
