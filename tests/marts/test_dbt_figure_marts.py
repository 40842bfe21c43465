"""fct_narrative_figures and fct_table_figures: every figure read reaches the marts."""

from __future__ import annotations

from decimal import Decimal

import duckdb
import pytest

pytestmark = pytest.mark.e2e


def _landed_rows(con: duckdb.DuckDBPyConnection, name: str) -> int:
    """Rows of a landed seed as this build loaded it (schema raw of the same warehouse: other
    tests build other folders and replace the checkout's seeds/landed in the meantime)."""
    (rows,) = con.execute(f"select count(*) from raw.{name}").fetchone()
    return rows


def test_every_prose_figure_is_a_row(con) -> None:
    (rows,) = con.execute("select count(*) from marts.fct_narrative_figures").fetchone()
    assert rows == _landed_rows(con, "landed_prose_figures")


def test_every_table_cell_but_page_break_repeats_is_a_row(con) -> None:
    (rows,) = con.execute("select count(*) from marts.fct_table_figures").fetchone()
    (repeats,) = con.execute("select sum(repeated_rows_dropped) from marts.audit_ingest").fetchone()
    assert repeats == 2  # 潼南 2025 附件3: 30215 and 30216 printed again after a page break
    landed = _landed_rows(con, "landed_table_cells")
    assert rows == landed - 4  # each repeated row has two figures (总计, 日常公用经费)


def test_final_accounts_counts_and_costs(con) -> None:
    rows = con.execute(
        "select figure_key, qualifier, amount_value, unit from marts.fct_narrative_figures"
        " where unit_name = '重庆市万州区党政信息中心' and fiscal_year = 2021"
        " and figure_key in ('training_cost', 'overseas_groups', 'evaluated_projects')"
        " order by figure_key, qualifier, unit"
    ).fetchall()
    assert ("training_cost", "amount", Decimal("1.1800"), "万元") in rows
    assert ("training_cost", "change_pct", Decimal("21.6000"), "%") in rows
    assert ("overseas_groups", "count", Decimal("0.0000"), "个团组") in rows
    assert ("evaluated_projects", "count", Decimal("14.0000"), "个") in rows


def test_a_table_no_fact_uses_is_still_there(con) -> None:
    # 大渡口 2023 表六 收支总表, income side: 一般公共预算资金 1,398.18
    rows = con.execute(
        "select table_label, row_label, column_label, amount_wan from marts.fct_table_figures"
        " where district_name = '大渡口区' and table_kind = 'income_expenditure_summary'"
        " and row_label = '一般公共预算资金'"
    ).fetchall()
    assert rows == [("表六", "一般公共预算资金", "收入 | 预算数", Decimal("1398.1800"))]
