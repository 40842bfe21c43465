"""``python -m warehouse query``: read-only SQL for analysts."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner
from warehouse_build import Published

from warehouse.cli import cli

pytestmark = pytest.mark.e2e


def _query(published: Published, *args: str):
    return CliRunner().invoke(cli, ["query", "--warehouse", str(published.warehouse), *args])


def test_query_prints_a_table_with_wide_characters_aligned(published: Published) -> None:
    result = _query(
        published,
        "select district_name, class_code, amount_wan from marts.mart_district_function_comparison"
        " where fiscal_year = 2023 and doc_kind = 'budget' and class_code = '201'"
        " order by district_code",
    )
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].split() == ["district_name", "class_code", "amount_wan"]
    assert "万州区         201         688.0600" in lines
    assert lines[-1] == "3 row(s)"


def test_query_as_json_and_csv(published: Published) -> None:
    result = _query(
        published,
        "--format",
        "json",
        "select total_expenditure_wan from marts.fct_budget_summary"
        " where district_name = '大渡口区'",
    )
    assert json.loads(result.output) == [{"total_expenditure_wan": "1398.1800"}]
    result = _query(published, "--format", "csv", "select 1 as a, '潼南' as b")
    assert result.output == "\ufeffa,b\n1,潼南\n"  # the BOM: Excel shows the Chinese


def test_query_errors_are_clear(published: Published, tmp_path) -> None:
    result = _query(published, "select nope")
    assert result.exit_code == 1
    assert "query failed: Binder Error" in result.output
    missing = CliRunner().invoke(
        cli, ["query", "--warehouse", str(tmp_path / "x.duckdb"), "select 1"]
    )
    assert missing.exit_code == 1
    assert "run `make build` first" in missing.output
