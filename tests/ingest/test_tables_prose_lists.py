"""Prose lists and pairs of figures: each figure goes to its own label, or none lands.

`收入、支出分别为 A、B万元`, `…分别为 A万元、B万元`, `A,B万元` (two totals separated by a comma):
the reader must never give both figures to the first label, nor read a piece of a number.
"""

from __future__ import annotations

import pytest

from ingest.normalise import normalise_text
from ingest.prose import parse_prose


def _read(text: str):
    lines = normalise_text(text)
    return parse_prose("doc", lines, list(range(1, len(lines) + 1)), "budget")


def _figures(text: str) -> list[tuple[str, str]]:
    return [(f.figure_key, f.amount) for f in _read(text).figures]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "2025年收入、支出预算分别为 451.32、452.10万元。",
            [("total_income", "451.32"), ("total_expenditure", "452.10")],
        ),
        (
            "本部门收入预算和支出预算分别为100.50万元、98.20万元。",
            [("total_income", "100.50"), ("total_expenditure", "98.20")],
        ),
        (
            "一般公共预算收入和政府性基金收入分别为 300,20万元。",
            [("general_public_budget_income", "300"), ("government_fund_income", "20")],
        ),
        (
            "基本支出、项目支出分别为 300 万元和 200 万元。",
            [("basic_expenditure", "300"), ("project_expenditure", "200")],
        ),
    ],
)
def test_each_figure_of_a_list_goes_to_its_own_label(text: str, expected) -> None:
    result = _read(text)
    assert [(f.figure_key, f.amount) for f in result.figures] == expected
    assert not result.unparsed


@pytest.mark.parametrize(
    "text",
    [
        "基本支出和项目支出分别为 300 万元、200 万元和 100 万元。",  # 2 labels, 3 figures
        "2017年收支总预算1,234.56,1,234.56万元。",  # one label, two totals
        "收支预算 451.32、451.32万元。",
    ],
)
def test_a_list_that_cannot_be_paired_lands_nothing(text: str) -> None:
    result = _read(text)
    assert result.figures == []
    assert [u.reason for u in result.unparsed] == ["prose_figure_list_not_aligned"]


def test_a_piece_of_a_number_after_a_comma_is_no_figure() -> None:
    # "1,234.56" after another figure keeps its comma: 234.56 is not a printed figure
    assert ("unclassified", "234.56") not in _figures("合计 5.00,1,234.56万元。")


def test_figures_with_their_own_labels_are_no_list() -> None:
    assert _figures("其中：基本支出 300 万元、项目支出 200 万元。") == [
        ("basic_expenditure", "300"),
        ("project_expenditure", "200"),
    ]
