"""Golden rows of the narrative-only documents: their headline figures, written by hand.

These documents print no summary, function or economic table; what they state are headline
figures in prose. Each row below was read from the page (Chongqing: the text line where the
number starts; Jiangsu: the PDF page, read with ``pdftotext``) and is kept as printed: the
``measure`` is the figure's meaning in the project's vocabulary (``ingest/figure_keys.py``,
qualifier 'amount' only), ``row_label`` the printed name of the quantity. Only headline
figures are kept: totals, 一般公共预算 income and expenditure, 基本 / 项目 split, 类 amounts,
人员 / 公用经费, 三公 total, and for Jiangsu 会议费, 培训费, 机关运行经费, 政府采购 totals. A phrase
naming two quantities with one number (收入、支出预算总计 X) is left out. Changes and shares are
left out. Run: ``.venv/bin/python tests/golden/tools/prose_rows.py``.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from golden_csv import GoldenRow, clean_amount, write

# (place, measure, row label as printed, amount); place is a line (text) or 'p<page>' (PDF)
ROWS: dict[str, tuple[str, list[tuple[str, str, str, str]]]] = {
    "000_7ef4b414fc9c2a25": ("2023", [
        ("91", "total_income", "收入预算：2023 年年初预算数", "791.83"),
        ("91", "general_public_budget_income", "一般公共预算财政拨款", "791.83"),
        ("99", "total_expenditure", "支出预算：2023 年年初预算数", "791.83"),
        ("99", "class_expenditure", "一般公共服务支出", "688.06"),
        ("101", "class_expenditure", "社会保障和就业支出", "63.21"),
        ("101", "class_expenditure", "卫生健康支出", "21.16"),
        ("103", "class_expenditure", "住房保障支出", "19.39"),
        ("111", "general_public_budget_income", "一般公共预算财政拨款收入", "791.83"),
        ("111", "general_public_budget_expenditure", "一般公共预算财政拨款支出", "791.83"),
        ("113", "basic_expenditure", "基本支出", "393.53"),
        ("117", "project_expenditure", "项目支出", "398.3"),
        ("129", "three_public_total", "“三公”经费预算", "0"),
    ]),
    "001_95262c62ed572865": ("2023", [
        ("35", "total_income", "收入预算：2023年年初预算数", "577.79"),
        ("35", "general_public_budget_income", "一般公共预算拨款", "577.79"),
        ("37", "total_expenditure", "支出预算：2023年年初预算数", "577.79"),
        ("37", "class_expenditure", "一般公共服务支出预算", "465.15"),
        ("37", "class_expenditure", "社会保障和就业支出预算", "56.90"),
        ("37", "class_expenditure", "卫生健康支出预算", "28.44"),
        ("37", "class_expenditure", "住房保障支出预算", "27.30"),
        ("41", "general_public_budget_income", "一般公共预算财政拨款收入", "577.79"),
        ("41", "general_public_budget_expenditure", "一般公共预算财政拨款支出", "577.79"),
        ("41", "basic_expenditure", "基本支出", "543.79"),
        ("41", "project_expenditure", "项目支出", "34.00"),
        ("46", "three_public_total", "“三公”经费预算", "1.90"),
        ("46", "three_public_reception", "公务接待费", "1.90"),
    ]),
    "002_bcb333aaa529c723": ("2021", [
        ("67", "total_income", "收入总计", "6954.99"),
        ("67", "total_expenditure", "支出总计", "6954.99"),
        ("71", "current_income", "收入合计", "6950.72"),
        ("71", "fiscal_appropriation_income", "财政拨款收入", "6950.72"),
        ("71", "carried_over_income", "年初结转结余", "4.27"),
        ("73", "current_expenditure", "支出合计", "6954.99"),
        ("73", "basic_expenditure", "基本支出", "443.88"),
        ("73", "project_expenditure", "项目支出", "6511.11"),
        ("79", "fiscal_appropriation_total", "财政拨款收、支总计", "6954.99"),
        ("83", "general_public_budget_income", "一般公共预算财政拨款收入", "871.82"),
        ("85", "general_public_budget_expenditure", "一般公共预算财政拨款支出", "876.09"),
        ("91", "class_expenditure", "一般公共服务支出", "774.33"),
        ("95", "class_expenditure", "社会保障与就业支出", "63.80"),
        ("97", "class_expenditure", "卫生健康支出", "19.87"),
        ("99", "class_expenditure", "住房保障支出", "18.09"),
        ("103", "basic_expenditure", "一般公共预算财政拨款基本支出", "443.88"),
        ("103", "personnel_expenditure", "人员经费", "373.22"),
        ("103", "public_operating_expenditure", "公用经费", "70.66"),
        ("107", "government_fund_income", "政府性基金预算财政拨款收入总计", "6078.90"),
        ("107", "government_fund_expenditure", "支出", "6078.90"),
        ("117", "three_public_total", "“三公”经费支出共计", "0.00"),
    ]),
    "cd9ac66d664e7af3": ("2017", [
        ("p7", "total_income", "收入预算总计", "9,146.79"),
        ("p7", "fiscal_appropriation_income", "财政拨款收入预算总计", "9,066.79"),
        ("p7", "general_public_budget_income", "一般公共预算收入预算", "9,066.79"),
        ("p7", "total_expenditure", "支出预算总计", "9,146.79"),
        ("p7", "class_expenditure", "一般公共服务（类）支出", "6,543.55"),
        ("p8", "class_expenditure", "社会保障和就业（类）支出", "1,509.72"),
        ("p8", "class_expenditure", "住房保障（类）支出", "1,093.52"),
        ("p8", "basic_expenditure", "基本支出预算数", "5,916.27"),
        ("p8", "project_expenditure", "项目支出预算数", "3,123.68"),
        ("p10", "personnel_expenditure", "人员经费", "4,704.35"),
        ("p12", "public_operating_expenditure", "公用经费", "1,131.92"),
        ("p17", "operating_funds", "一般公共预算机关运行经费支出预算", "3,348.98"),
        ("p19", "meeting_cost", "会议费预算支出", "1,094.62"),
        ("p19", "training_cost", "培训费预算支出", "81.60"),
        ("p19", "procurement_total", "部门政府采购预算总金额", "1,271.22"),
    ]),
    "d27f30612b40816c": ("2018", [
        ("p8", "total_income", "收入预算总计", "10,150.48"),
        ("p8", "fiscal_appropriation_income", "财政拨款收入预算总计", "10,070.48"),
        ("p8", "general_public_budget_income", "一般公共预算收入预算", "10,070.48"),
        ("p8", "total_expenditure", "支出预算总计", "10,150.48"),
        ("p8", "class_expenditure", "一般公共服务（类）支出", "7,827.46"),
        ("p8", "class_expenditure", "社会保障和就业（类）支出", "823.76"),
        ("p8", "class_expenditure", "住房保障（类）支出", "1,499.26"),
        ("p9", "basic_expenditure", "基本支出预算数", "5,678.17"),
        ("p9", "project_expenditure", "项目支出预算数", "3,314.68"),
        ("p12", "personnel_expenditure", "人员经费", "4,482.32"),
        ("p12", "public_operating_expenditure", "公用经费", "1,115.85"),
        ("p14", "meeting_cost", "会议费预算支出", "884.16"),
        ("p14", "training_cost", "培训费预算支出", "97.60"),
        ("p15", "operating_funds", "一般公共预算机关运行经费预算支出", "1,115.85"),
        ("p15", "procurement_total", "政府采购支出预算总额", "1,281.76"),
    ]),
    "4588cbbcbd3fc885": ("2019", [
        ("p9", "total_income", "收入预算总计", "13,377.11"),
        ("p9", "fiscal_appropriation_income", "财政拨款收入预算总计", "13,297.11"),
        ("p9", "general_public_budget_income", "一般公共预算收入预算", "13,297.11"),
        ("p10", "total_expenditure", "支出预算总计", "13,377.11"),
        ("p10", "class_expenditure", "一般公共服务（类）支出", "10,271.56"),
        ("p10", "class_expenditure", "社会保障和就业（类）支出", "858.51"),
        ("p10", "class_expenditure", "住房保障（类）支出", "2,247.04"),
        ("p10", "basic_expenditure", "基本支出预算数", "6,522.75"),
        ("p11", "project_expenditure", "项目支出", "4,968.34"),
        ("p14", "personnel_expenditure", "人员经费", "5,312.01"),
        ("p14", "public_operating_expenditure", "公用经费", "1,130.74"),
    ]),
}  # fmt: skip


def main() -> None:
    for stem, (year, rows) in ROWS.items():
        golden = [
            GoldenRow(
                table="",
                label="",
                table_kind="narrative",
                page=place[1:] if place.startswith("p") else "",
                line="" if place.startswith("p") else place,
                code="",
                row_label=label,
                column="amount",
                measure=measure,
                fiscal_year=year,
                amount=clean_amount(amount),
                unit="万元",
            )
            for place, measure, label, amount in rows
        ]
        print(stem, len(golden), write(stem, golden))


if __name__ == "__main__":
    main()
