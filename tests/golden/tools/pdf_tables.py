"""Golden rows of the PDF documents, read with pdfplumber's ``extract_tables()`` and checked
against ``pdftotext -layout`` (poppler-utils).

Each table is described here by hand: its printed title and label, the pages it spans, and for
each lane (a summary table prints 收入 and 支出 side by side, the 基本支出 table two code lanes)
the cell columns holding the code (split 类|款|项 columns are joined), the row name and each
amount, with the column headers as printed. The figures are read from the cells. Cross-check:
on every page, the multiset of decimal numbers ``pdftotext -layout`` prints must equal the
multiset of figures read from the page's cells (so no figure is dropped, invented or misread);
placement is then checked by ``check.py`` (sums and column identities) and by looking at the
rendered pages. Run: ``.venv/bin/python tests/golden/tools/pdf_tables.py [stem ...]``.
"""

from __future__ import annotations

import re
import subprocess
import sys
from collections import Counter
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path

import pdfplumber

sys.path.insert(0, str(Path(__file__).resolve().parent))
from golden_csv import GoldenRow, write

ROOT = Path(__file__).resolve().parents[3]
CODE = re.compile(r"^\d{2,7}$")  # one code column, or one piece of 类|款|项
NUMBER = re.compile(r"(?<![\d.])-?\d{1,3}(?:,\d{3})*(?:\.\d+)|(?<![\d.])-?\d+\.\d+")


@dataclass(frozen=True)
class Amount:
    col: int
    header: str  # as printed, levels joined with ' | '
    measure: str


@dataclass(frozen=True)
class Lane:
    code_cols: tuple[int, ...]  # () when the table has no code column
    label_col: int | tuple[int, ...]  # several: the first non-blank cell names the row
    amounts: tuple[Amount, ...]


@dataclass(frozen=True)
class Table:
    title: str
    label: str
    kind: str
    pages: tuple[int, ...]
    lanes: tuple[Lane, ...]
    year: str
    unit: str = "万元"
    table_index: int = 0  # which pdfplumber table of the page


def cell(row: list[str | None], col: int) -> str:
    return (row[col] or "").replace("\n", "") if col < len(row) else ""


def amount_of(text: str) -> str | None:
    value = text.strip().replace(",", "")
    if not value:
        return None
    try:
        Decimal(value)
    except InvalidOperation:
        return None
    return value


def rows_of(pdf: pdfplumber.PDF, table: Table, seen_pages: Counter) -> list[GoldenRow]:
    out: list[GoldenRow] = []
    for page_number in table.pages:
        tables = pdf.pages[page_number - 1].extract_tables()
        rows = tables[table.table_index]
        for row in rows:
            for lane in table.lanes:
                pieces = [cell(row, c).strip() for c in lane.code_cols]
                code = (
                    "".join(pieces)
                    if pieces and all(CODE.match(p) or not p for p in pieces) and pieces[0]
                    else ""
                )
                if code and not re.fullmatch(r"\d{3}(\d{2}){0,2}", code):
                    code = ""
                label_cols = (
                    lane.label_col if isinstance(lane.label_col, tuple) else (lane.label_col,)
                )
                label = next((cell(row, c).strip() for c in label_cols if cell(row, c).strip()), "")
                if not label and not code:
                    label = next((p for p in pieces if p), "")
                for amount in lane.amounts:
                    text = cell(row, amount.col)
                    value = amount_of(text)
                    if value is None:
                        if text.strip():
                            print(f"   p{page_number} not a figure: {text!r} in {row}")
                        continue
                    seen_pages[page_number] += 1
                    out.append(
                        GoldenRow(
                            table=table.title,
                            label=table.label,
                            table_kind=table.kind,
                            page=str(page_number),
                            line="",
                            code=code,
                            row_label=label,
                            column=amount.header,
                            measure=amount.measure,
                            fiscal_year=table.year,
                            amount=value,
                            unit=table.unit,
                        )
                    )
    return out


def layout_numbers(pdf_path: Path, page: int) -> Counter:
    text = subprocess.run(
        ["pdftotext", "-layout", "-f", str(page), "-l", str(page), str(pdf_path), "-"],
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    return Counter(n.replace(",", "") for n in NUMBER.findall(text))


def cross_check(pdf_path: Path, rows: list[GoldenRow], pages: set[int]) -> list[str]:
    problems = []
    for page in sorted(pages):
        printed = layout_numbers(pdf_path, page)
        read = Counter(r.amount for r in rows if r.page == str(page))
        if printed != read:
            problems.append(
                f"p{page}: pdftotext only {dict(printed - read)}, cells only {dict(read - printed)}"
            )
    return problems


def row_check(pdf_path: Path, rows: list[GoldenRow]) -> list[str]:
    """Each coded row's amount is printed on the layout line that carries its code (the code
    as one token, or split 类 款 项 tokens) or on a neighbouring line (a wrapped cell centres its
    neighbours vertically); rows without a code are skipped."""
    problems = []
    texts: dict[str, list[str]] = {}
    for row in rows:
        if not row.code:
            continue
        if row.page not in texts:
            texts[row.page] = subprocess.run(
                ["pdftotext", "-layout", "-f", row.page, "-l", row.page, str(pdf_path), "-"],
                capture_output=True, text=True, check=True,
            ).stdout.splitlines()  # fmt: skip
        code = row.code
        split = " ".join(p for p in (code[:3], code[3:5], code[5:7]) if p)
        pattern = re.compile(
            rf"(?<!\d)({re.escape(code)}|{re.escape(split).replace(' ', ' +')})(?!\d)"
        )
        page = texts[row.page]
        near = [page[j] for i, line in enumerate(page) if pattern.search(line)
                for j in range(max(i - 1, 0), min(i + 2, len(page)))]  # fmt: skip
        numbers = [n.replace(",", "") for line in near for n in NUMBER.findall(line)]
        if row.amount not in numbers:
            problems.append(
                f"p{row.page} {row.table} {code} {row.column}: {row.amount} not on its code line"
            )
    return problems


# --- the tables ----------------------------------------------------------------------------

FINAL_SUMMARY = (  # 收入支出决算总表: 收入 | 决算数 and 支出 | 决算数
    Lane((), 0, (Amount(1, "收入 | 决算数", "income"),)),
    Lane((), 2, (Amount(3, "支出 | 决算数", "total"),)),
)
FISCAL_SUMMARY = (  # 财政拨款收入支出决算总表
    Lane((), 0, (Amount(1, "收入 | 决算数", "income"),)),
    Lane(
        (),
        2,
        (
            Amount(3, "支出 | 合计", "total"),
            Amount(4, "支出 | 一般公共预算财政拨款", "general_public_budget"),
            Amount(5, "支出 | 政府性基金预算财政拨款", "government_fund"),
            Amount(6, "支出 | 国有资本经营预算财政拨款", "state_capital"),
        ),
    ),
)
INCOME_HEADERS = (
    ("本年收入合计", "total"), ("财政拨款收入", "fiscal_appropriation"),
    ("上级补助收入", "superior_subsidy"), ("事业收入", "business_income"),
    ("经营收入", "operating_income"), ("附属单位上缴收入", "subordinate_remittance"),
    ("其他收入", "other_income"),
)  # fmt: skip
EXPENDITURE_HEADERS = (
    ("本年支出合计", "total"), ("基本支出", "basic"), ("项目支出", "project"),
    ("上缴上级支出", "remittance_to_superior"), ("经营支出", "operating"),
    ("对附属单位补助支出", "subsidy_to_subordinate"),
)  # fmt: skip
GENERAL_HEADERS = (("合计", "total"), ("基本支出", "basic"), ("项目支出", "project"))


def coded(code_cols: tuple[int, ...], label_col: int, first: int, headers) -> tuple[Lane, ...]:
    return (
        Lane(
            code_cols, label_col, tuple(Amount(first + i, h, m) for i, (h, m) in enumerate(headers))
        ),
    )


def shanghai(unit: str, pages: dict[str, tuple[int, ...]], split: bool) -> tuple[Table, ...]:
    """The national final-accounts template as 普陀区 prints it; ``split``: codes in 类|款|项."""
    fn = ((0, 1, 2), 3, 4) if split else ((0,), 1, 2)
    econ = (((0, 1), 2, 3), ((4, 5), 6, 7)) if split else (((0,), 1, 2), ((3,), 4, 5))
    return (
        Table(f"{unit}2024 年度部门决算表 收入支出决算总表" if False else "收入支出决算总表", "",
              "income_expenditure_summary", pages["summary"], FINAL_SUMMARY, "2024"),
        Table("收入决算表", "", "income_summary", pages["income"],
              coded(fn[0], fn[1], fn[2], INCOME_HEADERS), "2024"),
        Table("支出决算表", "", "expenditure_summary", pages["expenditure"],
              coded(fn[0], fn[1], fn[2], EXPENDITURE_HEADERS), "2024"),
        Table("财政拨款收入支出决算总表", "", "fiscal_income_expenditure_summary",
              pages["fiscal"], FISCAL_SUMMARY, "2024"),
        Table("一般公共预算财政拨款支出决算表", "", "general_budget_expenditure", pages["general"],
              coded(fn[0], fn[1], fn[2], GENERAL_HEADERS), "2024"),
        Table("一般公共预算财政拨款基本支出决算表", "", "general_budget_basic_expenditure",
              pages["basic"],
              tuple(Lane(c, lab, (Amount(a, "决算数", "total"),)) for c, lab, a in econ), "2024"),
    )  # fmt: skip


def jiangsu_cppcc(
    year: str, titles: dict[str, str], labels: tuple[str, ...], general_pages: tuple[int, int]
) -> tuple[Table, ...]:
    """The 江苏省 provincial budget tables as the 政协办公厅 tables files print them."""
    amount = (Amount(2, "金额", "total"),)
    return (
        Table(
            "收支预算总表",
            labels[0],
            "income_expenditure_summary",
            (1,),
            (
                Lane((), 0, (Amount(1, "收入 | 金额", "income"),)),
                Lane((), 2, (Amount(3, "支出 | 功能分类 | 金额", "total"),)),
                Lane((), (4, 2), (Amount(5, "支出 | 支出用途 | 金额", "total"),)),
            ),
            year,
        ),
        Table(
            "收入预算总表",
            labels[1],
            "income_summary",
            (2,),
            (Lane((), (1, 0), (Amount(2, "金额", "income"),)),),
            year,
        ),
        Table(
            "支出预算总表",
            labels[2],
            "expenditure_summary",
            (3,),
            (
                Lane(
                    (),
                    (),
                    (
                        Amount(0, "合计", "total"),
                        Amount(1, "基本支出", "basic"),
                        Amount(2, "项目支出", "project"),
                        Amount(3, "单位预留机动经费", "reserve"),
                        Amount(4, "结转下年资金", "carry_forward"),
                    ),
                ),
            ),
            year,
        ),
        Table(
            "财政拨款收支预算总表",
            labels[3],
            "fiscal_income_expenditure_summary",
            (4,),
            (
                Lane((), 0, (Amount(1, "收入 | 金额", "income"),)),
                Lane((), 2, (Amount(3, "支出 | 支出用途 | 金额", "total"),)),
            ),
            year,
        ),
        Table(
            titles["fiscal"], labels[4], "fiscal_expenditure", (5,), (Lane((0,), 1, amount),), year
        ),
        Table(
            titles["fiscal_basic"],
            labels[5],
            "fiscal_basic_expenditure",
            (6,),
            (Lane((0,), 1, amount),),
            year,
        ),
        Table(
            titles["general"],
            labels[6],
            "general_budget_expenditure",
            (general_pages[0],),
            (Lane((0,), 1, amount),),
            year,
        ),
        Table(
            titles["general_basic"],
            labels[7],
            "general_budget_basic_expenditure",
            (general_pages[1],),
            (Lane((0,), 1, amount),),
            year,
        ),
    )


PLAIN = {
    "fiscal": "财政拨款支出预算表",
    "fiscal_basic": "财政拨款基本支出预算表",
    "general": "一般公共预算支出预算表",
    "general_basic": "一般公共预算基本支出预算表",
}
WITH_SCHEME = {
    "fiscal": "财政拨款支出预算表（功能科目）",
    "fiscal_basic": "财政拨款基本支出预算表（经济科目）",
    "general": "一般公共预算支出预算表（功能科目）",
    "general_basic": "一般公共预算基本支出预算表（经济科目）",
}
OPEN = tuple(f"公开0{i}表" for i in range(1, 9))

DOCUMENTS: dict[str, tuple[Path, tuple[Table, ...]]] = {
    "中共上海市普陀区委社会工作部 2024 年度部门决算": (
        ROOT / "data/raw/中共上海市普陀区委社会工作部 2024 年度部门决算.pdf",
        shanghai(
            "",
            {
                "summary": (5,),
                "income": (6, 7),
                "expenditure": (8, 9),
                "fiscal": (10, 11),
                "general": (12,),
                "basic": (13,),
            },
            split=False,
        ),
    ),
    "上海市普陀区财政局2024年度部门决算": (
        ROOT / "data/raw/上海市普陀区财政局2024年度部门决算.pdf",
        shanghai(
            "",
            {
                "summary": (6, 7),
                "income": (8, 9),
                "expenditure": (10, 11),
                "fiscal": (12, 13),
                "general": (15,),
                "basic": (16, 17),
            },
            split=True,
        ),
    ),
    "上海市普陀区规划和自然资源局 2024 年度部门决算": (
        ROOT / "data/raw/上海市普陀区规划和自然资源局 2024 年度部门决算.pdf",
        shanghai(
            "",
            {
                "summary": (7,),
                "income": (8, 9),
                "expenditure": (10, 11),
                "fiscal": (12, 13),
                "general": (14, 15),
                "basic": (16,),
            },
            split=False,
        ),
    ),
    "42d4fd889f7a012f": (
        ROOT / "data/jiangsu/42d4fd889f7a012f.pdf",
        jiangsu_cppcc(
            "2017", PLAIN, ("表一", "表二", "表三", "表四", "表五", "表六", "表八", "表九"), (8, 9)
        ),
    ),
    "600311282f84ff8d": (
        ROOT / "data/jiangsu/600311282f84ff8d.pdf",
        jiangsu_cppcc("2018", PLAIN, OPEN, (7, 8)),
    ),
    "a7aeca568d65a104": (
        ROOT / "data/jiangsu/a7aeca568d65a104.pdf",
        jiangsu_cppcc("2019", WITH_SCHEME, OPEN, (7, 8)),
    ),
}


def main(stems: list[str]) -> None:
    for stem, (path, tables) in DOCUMENTS.items():
        if stems and stem not in stems:
            continue
        print(stem)
        seen: Counter = Counter()
        with pdfplumber.open(path) as pdf:
            rows = [row for table in tables for row in rows_of(pdf, table, seen)]
        for problem in row_check(path, rows):
            print("   ROW-CHECK", problem)
        for problem in cross_check(path, rows, set(seen)):
            print("   CROSS-CHECK", problem)
        print("  ", len(rows), "rows", write(stem, rows))


if __name__ == "__main__":
    main(sys.argv[1:])
