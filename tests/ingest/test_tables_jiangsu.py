"""Jiangsu provincial budget tables (data/jiangsu, 公开01表 … / 表一 …) read through the
low-level functions, so that they do not depend on document identification."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest

from ingest.normalise import normalise_text
from ingest.read import read_document
from ingest.segment import segment
from ingest.tables import ParsedTable, parse_table

JIANGSU = Path(__file__).resolve().parents[2] / "data" / "jiangsu"
TABLES_2017 = "42d4fd889f7a012f.pdf"  # 政协办公厅 2017, tables only (表一 …, 部门：… line)
TABLES_2019 = "a7aeca568d65a104.pdf"  # the same unit's 2019 tables (公开01表 …)


@cache
def _tables(name: str) -> tuple[ParsedTable, ...]:
    decoded = read_document((JIANGSU / name).read_bytes(), name)
    blocks = segment(normalise_text(decoded.text), name).blocks
    return tuple(parse_table(block) for block in blocks)


def _amounts(parsed: ParsedTable) -> dict[tuple[str, str, str], str]:
    return {(c.code, c.row_label, c.column_label): c.amount for c in parsed.cells}


@pytest.mark.parametrize("name", [TABLES_2017, TABLES_2019])
def test_every_table_is_recognised_with_its_unit(name: str) -> None:
    tables = _tables(name)
    kinds = [t.table.table_kind for t in tables]
    assert kinds == [
        "income_expenditure_summary",
        "income_summary",
        "expenditure_summary",
        "fiscal_income_expenditure_summary",
        "fiscal_expenditure",
        "fiscal_basic_expenditure",
        "government_fund_expenditure" if name == TABLES_2017 else "general_budget_expenditure",
        *(["general_budget_expenditure"] if name == TABLES_2017 else []),
        "general_budget_basic_expenditure",
        *(
            ["operating_funds", "three_public"]
            if name == TABLES_2017
            else ["three_public", "government_fund_expenditure", "operating_funds"]
        ),
        "procurement",
    ]
    assert {t.table.unit for t in tables} == {"万元"}
    assert not [u for t in tables for u in t.unparsed]


def test_three_way_split_lands_the_reserve_column() -> None:
    summary = next(t for t in _tables(TABLES_2017) if t.table.table_kind == "expenditure_summary")
    assert {c.column_label: c.amount for c in summary.cells} == {
        "合计": "9146.79",
        "基本支出": "5916.27",
        "项目支出": "3123.68",
        "单位预留机动经费": "106.84",
    }


def test_three_public_with_meeting_and_training_and_the_total_first() -> None:
    table = next(t for t in _tables(TABLES_2017) if t.table.table_kind == "three_public")
    by_label = {c.column_label: c.amount for c in table.cells}
    assert by_label["合计"] == "1852.32"
    assert by_label["“三公”经费 | 因公出国（境）费"] == "76.00"
    assert by_label["“三公”经费 | 公务接待费"] == "443.50"
    assert by_label["会议费"] == "1094.62"
    assert by_label["培训费"] == "81.60"
    # 公务用车购置费 is a blank cell (zero): no figure is invented for it
    assert "“三公”经费 | 公务用车购置及运行维护费 | 公务用车购置费" not in by_label


def test_function_and_economic_rows_by_code() -> None:
    tables = {t.table.table_kind: t for t in _tables(TABLES_2017)}
    fiscal = _amounts(tables["fiscal_expenditure"])
    assert fiscal[("2080504", "未归口管理的行政单位离退休", "金额")] == "1509.72"
    operating = tables["operating_funds"]
    assert {c.code[:3] for c in operating.cells if c.code} == {"302", "310"}  # economic codes
