"""Arithmetic checks of the golden files: what was checked and every place it does not add up.

- hierarchy: in each (table, column) the 项 (7-digit function / 5-digit economic) rows sum to
  their 款/类 parent, 款 (5-digit function) rows to their 类, and the 类 rows to the table's
  合计 / 总计 row, within 0.01 per child row;
- columns: in each row, basic + project (+ reserve) = total, personnel + public_operating =
  total, and in income tables the sources sum to the total (same fiscal year).
A missing child is not an error when the parent is covered by the children printed (blank
cells mean zero). Prints every mismatch; exits 0 (mismatches are data, kept as printed).
Run: ``.venv/bin/python tests/golden/tools/check.py [stem ...]``.
"""

from __future__ import annotations

import sys
from collections import defaultdict
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from golden_csv import GOLDEN, GoldenRow, read

TOTAL_LABELS = ("合计", "总计", "支出合计", "收入合计")
PARTS = {
    "total": (("basic", "project", "reserve"), ("personnel", "public_operating")),
}
INCOME_SOURCES = (
    "fiscal_appropriation", "general_public_budget", "government_fund", "state_capital", "fiscal_special_account",
    "business_income", "superior_subsidy", "subordinate_remittance", "operating_income",
    "other_income", "carry_over", "unit_funds",
)  # fmt: skip


def parent_of(code: str) -> str:
    if len(code) == 7:
        return code[:5]
    if len(code) == 5:
        return code[:3]
    return ""


def check_hierarchy(rows: list[GoldenRow]) -> list[str]:
    problems: list[str] = []
    groups: dict[tuple[str, str, str], list[GoldenRow]] = defaultdict(list)
    for row in rows:
        groups[(row.table, row.page and "", row.column)].append(row)
    for (table, _, column), members in groups.items():
        by_code = {r.code: Decimal(r.amount) for r in members if r.code}
        if not by_code:
            continue
        total = [
            Decimal(r.amount)
            for r in members
            if not r.code and r.row_label.replace(" ", "") in TOTAL_LABELS
        ]
        children: dict[str, list[Decimal]] = defaultdict(list)
        for code, amount in by_code.items():
            children[parent_of(code)].append(amount)
        for parent, amounts in children.items():
            if parent == "":
                if total and abs(sum(amounts) - total[0]) > Decimal("0.01") * len(amounts):
                    problems.append(
                        f"{table} | {column}: 类 rows sum to {sum(amounts)}, 合计 {total[0]}"
                    )
                continue
            if parent not in by_code:
                problems.append(f"{table} | {column}: {parent} not printed for children {amounts}")
                continue
            if abs(sum(amounts) - by_code[parent]) > Decimal("0.01") * len(amounts):
                problems.append(
                    f"{table} | {column}: children of {parent} sum to {sum(amounts)}, printed {by_code[parent]}"
                )
    return problems


def check_columns(rows: list[GoldenRow]) -> list[str]:
    problems: list[str] = []
    cells: dict[tuple[str, str, str, str, str], dict[str, Decimal]] = defaultdict(dict)
    for row in rows:
        side = row.column.split(" | ")[0] if row.column.startswith(("收入", "支出")) else ""
        key = (row.table, row.code, row.row_label, row.fiscal_year, side)
        cells[key][row.measure] = cells[key].get(row.measure, Decimal(0)) + Decimal(row.amount)
    for key, measures in cells.items():
        if "total" not in measures:
            continue
        total = measures["total"]
        identities = (*PARTS["total"], INCOME_SOURCES)
        if not any(m in measures for m in INCOME_SOURCES[4:]):  # 财政拨款 summary: 3 budgets
            identities = (
                *identities,
                ("general_public_budget", "government_fund", "state_capital"),
            )
        for parts in identities:
            present = [m for m in parts if m in measures]
            if not present:
                continue
            got = sum(measures[m] for m in present)
            if abs(got - total) > Decimal("0.01"):
                problems.append(
                    f"{key[0]} | {key[1] or key[2]} ({key[3]}): {'+'.join(present)} = {got}, total {total}"
                )
    return sorted(set(problems))


ECONOMIC_TOTALS = {
    "人员经费合计": ("301", "303"),
    "公用经费合计": ("302", "307", "309", "310", "399"),
}


def check_economic_totals(rows: list[GoldenRow]) -> list[str]:
    """人员经费合计 = 301 + 303 and 公用经费合计 = 302 + 307 + 309 + 310 + 399 (基本支出 tables
    printing those total rows)."""
    problems = []
    for table in {r.table for r in rows}:
        members = [r for r in rows if r.table == table]
        by_code = {r.code: Decimal(r.amount) for r in members if r.code}
        for label, classes in ECONOMIC_TOTALS.items():
            for total in (r for r in members if r.row_label.replace(" ", "") == label):
                got = sum(by_code.get(c, Decimal(0)) for c in classes)
                if abs(got - Decimal(total.amount)) > Decimal("0.01"):
                    problems.append(
                        f"{table} | {label}: classes {classes} sum to {got}, printed {total.amount}"
                    )
    return problems


def main(stems: list[str]) -> None:
    paths = [GOLDEN / f"{s}.csv" for s in stems] if stems else sorted(GOLDEN.glob("*.csv"))
    for path in paths:
        rows = read(path)
        problems = check_hierarchy(rows) + check_columns(rows) + check_economic_totals(rows)
        print(f"{path.stem}: {len(rows)} rows, {len(problems)} mismatch(es)")
        for problem in problems:
            print("   ", problem)


if __name__ == "__main__":
    main(sys.argv[1:])
