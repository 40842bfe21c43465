"""One unusual document never stops the warehouse from publishing (issue 9).

The first tests are the misreads that made two reconciliation checks share a key on the
Jiangsu PDFs (the lines are quoted from data/jiangsu/9bb83bc165f9437a.pdf, 江苏省高级人民法院
2018 budget). The e2e tests build batches of mutated bundled samples with faults and assert
that the build publishes, quarantines only the faulty documents and leaves the others'
figures unchanged.
"""

from __future__ import annotations

from ingest.prose import parse_prose


def _figures(lines: list[str]) -> list[tuple[str, str, str, str]]:
    result = parse_prose("d", lines, list(range(1, len(lines) + 1)))
    return [(f.figure_key, f.qualifier, f.fund_source, f.amount) for f in result.figures]


def test_a_reason_listing_what_increased_is_a_change_not_the_figure() -> None:
    # 江苏省高级人民法院 2018, lines 473-476: 1447.63 is how much 基本支出 grew, not 基本支出.
    lines = [
        "一、收支预算总体情况说明",
        "一般公共预算收入预算33172.15万元，与上年相比增加4322.77万元，增长 14.98%。主要原因"
        "是基本支出增加机关事业单位养老保险、职业年金缴费等 1447.63 万元、项目经费支出安排减少"
        "江苏法院云平台租赁费 200 万元。",
    ]
    figures = _figures(lines)
    assert ("basic_expenditure", "change", "all", "1447.63") in figures
    assert not [f for f in figures if f[0] == "basic_expenditure" and f[1] == "amount"]


def test_social_insurance_fund_expenditure_is_not_the_total_expenditure() -> None:
    figures = _figures(["二、支出预算", "社会保险基金支出预算 0.00 万元。支出预算总计 100 万元。"])
    assert ("unclassified", "amount", "all", "0.00") in figures
    assert [f for f in figures if f[0] == "total_expenditure"] == [
        ("total_expenditure", "amount", "all", "100")
    ]
