"""Golden rows of the Chongqing text documents, read from their tab-separated lines.

Each table is described here by hand (line ranges of its data rows, which tab column holds the
code, the row name and each amount, and the column headers as printed on the table's header
lines); the figures themselves are read from the lines. Header rows repeated after a page break
are outside the ranges; a data row printed twice (page-break repeat) is kept once, and a repeat
whose figure differs stops the tool. Run: ``.venv/bin/python tests/golden/tools/tab_tables.py``.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from golden_csv import GoldenRow, clean_amount, write

ROOT = Path(__file__).resolve().parents[3]
CODE = re.compile(r"^\d{3}(\d{2}){0,2}$")


@dataclass(frozen=True)
class Col:
    index: int  # tab column of the amount
    label_index: int  # tab column of the row name for this amount
    header: str  # as printed, levels joined with ' | '
    measure: str
    year: str
    code_index: int | None = 0  # tab column of the code (None: no code column)


@dataclass(frozen=True)
class Table:
    title: str
    label: str
    kind: str
    ranges: tuple[tuple[int, int], ...]  # inclusive 1-based line ranges of data rows
    cols: tuple[Col, ...]
    unit: str = "万元"


def rows_of(lines: list[str], table: Table) -> list[GoldenRow]:
    out: dict[tuple[str, str, str], GoldenRow] = {}
    for first, last in table.ranges:
        for number in range(first, last + 1):
            line = lines[number - 1]
            if not line.strip():
                continue
            cells = line.split("\t")
            for col in table.cols:
                value = cells[col.index].strip() if col.index < len(cells) else ""
                if value in ("", "."):  # blank cell (a lone '.' is printed in one table)
                    continue
                code = ""
                if col.code_index is not None:
                    code = cells[col.code_index].strip()
                    code = code if CODE.match(code) else ""
                label = cells[col.label_index].strip()
                if not label and col.code_index is not None and not code:
                    label = cells[col.code_index].strip()  # 合计 printed in the code column
                row = GoldenRow(
                    table=table.title, label=table.label, table_kind=table.kind, page="",
                    line=str(number), code=code, row_label=label, column=col.header,
                    measure=col.measure, fiscal_year=col.year, amount=clean_amount(value),
                    unit=table.unit,
                )  # fmt: skip
                key = (code, label, col.header)
                if key in out:
                    if out[key].amount != row.amount:
                        raise SystemExit(f"line {number}: repeat of {key} differs: {row.amount}")
                    continue  # page-break repeat
                out[key] = row
    return list(out.values())


# --- 003: 重庆市潼南区电子政务中心 2025 部门预算 ------------------------------------------
Y25 = "2025"
T003 = (
    Table(
        "重庆市潼南区电子政务中心财政拨款收支总表",
        "附件 1",
        "fiscal_income_expenditure_summary",
        ((113, 130), (138, 150)),
        (
            Col(1, 0, "收入 | 预算数", "income", Y25, None),
            Col(3, 2, "支出 | 合计", "total", Y25, None),
            Col(4, 2, "支出 | 一般公共预算", "general_public_budget", Y25, None),
            Col(5, 2, "支出 | 政府性基金预算", "government_fund", Y25, None),
            Col(6, 2, "支出 | 国有资本经营预算", "state_capital", Y25, None),
        ),
    ),
    Table(
        "重庆市潼南区电子政务中心一般公共预算财政拨款支出预算表",
        "附件 2",
        "general_budget_expenditure",
        ((160, 174),),
        (
            Col(2, 1, "2024 年预算数", "total", "2024"),
            Col(3, 1, "2025 年预算数 | 总计", "total", Y25),
            Col(4, 1, "2025 年预算数 | 基本支出", "basic", Y25),
            Col(5, 1, "2025 年预算数 | 项目支出", "project", Y25),
        ),
    ),
    Table(
        "重庆市潼南区电子政务中心一般公共预算财政拨款基本支出预算表",
        "附件 3",
        "general_budget_basic_expenditure",
        ((184, 201), (205, 209)),
        (
            Col(2, 1, "2025 年基本支出 | 总计", "total", Y25),
            Col(3, 1, "2025 年基本支出 | 人员经费", "personnel", Y25),
            Col(4, 1, "2025 年基本支出 | 日常公用经费", "public_operating", Y25),
        ),
    ),
    Table(
        "重庆市潼南区电子政务中心部门收支总表",
        "附件 6",
        "income_expenditure_summary",
        ((243, 261), (269, 280)),
        (
            Col(1, 0, "收入 | 预算数", "income", Y25, None),
            Col(3, 2, "支出 | 预算数", "total", Y25, None),
        ),
    ),
    Table(
        "重庆市潼南区电子政务中心部门收入总表",
        "附件 7",
        "income_summary",
        ((291, 305),),
        tuple(
            Col(i, 1, f"{h}", m, Y25)
            for i, h, m in (
                (2, "总计", "total"),
                (3, "一般公共预算 财政拨款收入", "general_public_budget"),
                (4, "政府性 基金预 算拨款 收入", "government_fund"),
                (5, "国有资 本经营 预算拨 款收入", "state_capital"),
                (6, "财政专 户管理 资金收 入", "fiscal_special_account"),
                (7, "事业收 入", "business_income"),
                (8, "上级补 助收入", "superior_subsidy"),
                (9, "附属单 位上缴 收入", "subordinate_remittance"),
                (10, "事业单 位经营 收入", "operating_income"),
                (11, "其他收 入", "other_income"),
            )
        ),
    ),
    Table(
        "重庆市潼南区电子政务中心部门支出总表",
        "附件 8",
        "expenditure_summary",
        ((313, 327),),
        (
            Col(2, 1, "总计", "total", Y25),
            Col(3, 1, "基本支出", "basic", Y25),
            Col(4, 1, "项目支出", "project", Y25),
        ),
    ),
)

# --- 004: 重庆市大渡口区人民政府办公室 2023 部门预算 -------------------------------------
Y23 = "2023"
U004 = "重庆市大渡口区人民政府办公室"
T004 = (
    Table(
        f"{U004}财政拨款收支总表",
        "表一",
        "fiscal_income_expenditure_summary",
        ((96, 106),),
        (
            Col(1, 0, "收入 | 预算数", "income", Y23, None),
            Col(3, 2, "支出 | 合计", "total", Y23, None),
            Col(4, 2, "支出 | 一般公共预算", "general_public_budget", Y23, None),
            Col(5, 2, "支出 | 政府性基金 预算", "government_fund", Y23, None),
            Col(6, 2, "支出 | 国有资本经营 预算", "state_capital", Y23, None),
        ),
    ),
    Table(
        f"{U004}一般公共预算财政拨款支出预算表",
        "表二",
        "general_budget_expenditure",
        ((116, 143),),
        (
            Col(2, 1, "2023 年预算数 | 总计", "total", Y23),
            Col(3, 1, "2023 年预算数 | 基本支出", "basic", Y23),
            Col(4, 1, "2023 年预算数 | 项目支出", "project", Y23),
        ),
    ),
    Table(
        f"{U004}一般公共预算财政拨款基本支出预算表",
        "表三",
        "general_budget_basic_expenditure",
        ((155, 184),),
        (
            Col(2, 1, "2023年基本支出 | 总计", "total", Y23),
            Col(3, 1, "2023年基本支出 | 人员经费", "personnel", Y23),
            Col(4, 1, "2023年基本支出 | 日常公用经费", "public_operating", Y23),
        ),
    ),
    Table(
        f"{U004}收支总表",
        "表六",
        "income_expenditure_summary",
        ((217, 226),),
        (
            Col(1, 0, "收入 | 预算数", "income", Y23, None),
            Col(3, 2, "支出 | 预算数", "total", Y23, None),
        ),
    ),
    # 表七 (lines 228-240) lost its title and header rows: its columns are not printed, so
    # no golden row can name them (see README).
    Table(
        f"{U004}支出总表",
        "表八",
        "expenditure_summary",
        ((249, 276),),
        (
            Col(2, 1, "总计", "total", Y23),
            Col(3, 1, "基本支出", "basic", Y23),
            Col(4, 1, "项目支出", "project", Y23),
        ),
    ),
)

DOCUMENTS = {"003_2ab6434017984cbb": T003, "004_7db58793ff0af6ed": T004}


def main() -> None:
    for stem, tables in DOCUMENTS.items():
        lines = (ROOT / "data" / "raw" / f"{stem}.txt").read_text(encoding="utf-8").splitlines()
        rows = [row for table in tables for row in rows_of(lines, table)]
        print(stem, len(rows), write(stem, rows))


if __name__ == "__main__":
    main()
