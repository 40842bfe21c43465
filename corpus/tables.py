"""The standard tables of a disclosure, as grids, with the truth of the figures they print.

Each builder returns a :class:`Table`: the grid to print (``corpus.layout``) and, for the
expenditure tables the marts read, one truth entry per printed figure: (mart, code, measure,
fund source, fiscal year, the cell as printed).
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from corpus.finance import Finances
from corpus.layout import Grid, Row
from corpus.printing import Printer


@dataclass
class Table:
    kind: str
    grid: Grid
    truth: list[tuple[str, str, str, str, int, str]] = field(default_factory=list)
    # (mart, code, measure, fund_source, fiscal_year, printed cell)
    unit: str = "万元"
    # budget against actual (mart_budget_execution): (code, fund_source, fiscal_year,
    # 'budget' | 'actual', printed cell) of the rows of a final account's 年初预算数 table
    execution: list[tuple[str, str, int, str, str]] = field(default_factory=list)


# --- tables --------------------------------------------------------------------------------


def _code_cells(code: str, style: str) -> list[str]:
    if style == "split":
        return [code[:3], code[3:5], code[5:7]]
    if style == "split_partial":  # each row prints only its own level: 201 | 03 | 01
        return ["", "", code[5:7]] if len(code) == 7 else ["", code[3:5], ""] \
            if len(code) == 5 else [code, "", ""]
    if style == "spaced":
        return [" ".join(p for p in (code[:3], code[3:5], code[5:7]) if p)]
    return [code]


def _code_header(style: str) -> list[list[str]]:
    if style in ("split", "split_partial"):
        return [["科目编码", "", "", "科目名称"], ["类", "款", "项", ""]]
    return [["科目编码", "科目名称"]]


def _wrap(name: str, rng: random.Random, enabled: bool) -> tuple[str, str | None]:
    if not enabled or len(name) < 9 or rng.random() < 0.4:
        return name, None
    cut = rng.randint(5, len(name) - 2)
    return name[:cut], name[cut:]


@dataclass(frozen=True)
class Column:
    upper: str  # group header cell ('' under a group started to the left)
    lower: str
    value: Callable[[str | None], int]  # code (None: the 合计 row) → 元
    truth: tuple[str, int] | None  # (measure, fiscal year) when the column is a mart measure
    percent: bool = False


def function_table(
    fin: Finances, printer: Printer, rng: random.Random, variants: dict[str, str], *,
    kind: str, fund: str, unit: str, year: int, budget: bool, prior: bool,
) -> Table:
    """A table by functional code: 类 / 款 / 项 rows, 总计 | 基本支出 | 项目支出 columns, and
    the optional prior-year, initial-budget, reserve and change columns."""
    style = variants["code_style"]
    wrap = variants["wrap_names"] == "yes"
    funds = "all" if fund == "all" else "gpb"
    fund_source = "all" if fund == "all" else "general_public_budget"
    width_code = 3 if style in ("split", "split_partial") else 1
    changes = variants["change_columns"] == "yes"
    three_way = budget and variants["expenditure_split"] == "three"

    def rolled(measure: str):
        return lambda code: fin.grand(measure, funds) if code is None else \
            fin.rollup(code, measure, funds)

    def prior_value(code: str | None) -> int:
        if code is None:
            return sum(fin.prior_items[c] for c in fin.codes() if len(c) == 3)
        return fin.prior_items[code]

    if budget:
        labels = ("总计", "基本支出", "项目支出")
        group = f"{year}年预算数"
    elif fund == "all":
        labels, group = ("本年支出合计", "基本支出", "项目支出"), ""
    else:
        labels, group = ("合计", "基本支出", "项目支出"), "本年支出"
    columns: list[Column] = []
    if prior:
        columns.append(Column(f"{year - 1}年预算数", "", prior_value, ("total", year - 1)))
    if changes and not budget and fund != "all":  # final accounts: the initial budget first
        columns.append(Column("年初预算数", "", prior_value, ("initial_budget", year)))
    for index, (measure, label) in enumerate(zip(("total", "basic", "project"), labels,
                                                 strict=True)):
        columns.append(Column(group if index == 0 else "", label, rolled(measure),
                               (measure, year)))
    if three_way:
        columns.append(Column("", "单位预留机动经费", rolled("reserve"), ("reserve", year)))
    if changes and budget:
        total = rolled("total")

        def change(code: str | None) -> int:
            return total(code) - prior_value(code)

        def percent(code: str | None) -> int:
            before = prior_value(code)
            return 0 if not before else change(code) * 10000 // before  # in 0.01 %

        columns.append(Column("比上年增减", "金额", change, None))
        columns.append(Column("", "%", percent, None, percent=True))
    code_header = _code_header(style)
    lead = code_header[0]
    header: list[list[str]] = []
    if any(c.upper for c in columns):
        first = ["功能分类科目" if budget else "项目"] + [""] * (len(lead) - 1)
        header.append(first + [c.upper for c in columns])
    header.append(lead + [c.lower for c in columns])
    if len(code_header) > 1:
        header.append(code_header[1] + [""] * len(columns))
    table = Table(kind=kind, grid=Grid("", "", "", False, header, []), unit=unit)

    def printed(column: Column, code: str | None) -> str:
        value = column.value(code)
        if column.percent:
            return "" if value == 0 else f"{Decimal(value) / 100:.2f}"
        if value < 0:
            return "-" + printer.cell(-value, unit)
        return printer.cell(value, unit)

    table.grid.rows.append(Row(["合计"] + [""] * (len(lead) - 1)
                               + [printed(c, None) for c in columns]))
    for code in fin.codes():
        if fund != "all" and fin.rollup(code, "total", "gpb") == 0:
            continue
        name, rest = _wrap(fin.names[code], rng, wrap)
        cells = [*_code_cells(code, style), name]
        cells += [""] * (len(lead) - len(cells))
        values = [printed(c, code) for c in columns]
        table.grid.rows.append(Row(cells + values, wrap=(width_code, rest) if rest else None,
                                   wrap_above=rest is not None and rng.random() < 0.5,
                                   codes=(code,)))
        budgeted = any(c.truth and c.truth[0] == "initial_budget" for c in columns)
        for column, text in zip(columns, values, strict=True):
            if column.truth and text:
                measure, fiscal_year = column.truth
                if measure == "initial_budget":  # not a fact of the document: the budget
                    table.execution.append((code, fund_source, fiscal_year, "budget", text))
                    continue
                table.truth.append(("function", code, measure, fund_source, fiscal_year, text))
                if budgeted and measure == "total":
                    table.execution.append((code, fund_source, fiscal_year, "actual", text))
    return table


def economic_table(
    fin: Finances, printer: Printer, rng: random.Random, variants: dict[str, str], *,
    unit: str, year: int, budget: bool,
) -> Table:
    kind = "general_budget_basic_expenditure"
    wrap = variants["wrap_names"] == "yes"
    style = variants["code_style"]
    rows = fin.economic_rows()
    table = Table(kind=kind, grid=Grid("", "", "", False, [], []), unit=unit)
    if variants["basic_lanes"] == "two":
        left = [r for r in rows if r[0][:3] in ("301", "303")]
        right = [r for r in rows if r[0][:3] == "302"]
        table.grid.header = [["人员经费", "", "", "公用经费", "", ""],
                             ["科目编码", "科目名称", "金额", "科目编码", "科目名称", "金额"]]
        for index in range(max(len(left), len(right))):
            cells: list[str] = []
            for lane, measure in ((left, "personnel"), (right, "public_operating")):
                if index < len(lane):
                    code, name, amount = lane[index]
                    printed = printer.cell(amount, unit)
                    cells += [" ".join((code[:3], code[3:])).strip() if style == "spaced"
                              else code, name, printed]
                    if printed:
                        table.truth.append(("economic", code, measure, "", year, printed))
                else:
                    cells += ["", "", ""]
            table.grid.rows.append(Row(cells, codes=tuple(
                lane[index][0] for lane in (left, right) if index < len(lane))))
        table.grid.rows.append(Row(["人员经费合计", "", printer.cell(fin.personnel_total, unit),
                                    "公用经费合计", "", printer.cell(fin.operating_total, unit)]))
        return table
    labels = ("总计", "人员经费", "日常公用经费") if budget else ("合计", "人员经费", "公用经费")
    group = f"{year}年基本支出" if budget else "本年基本支出"
    table.grid.header = [["经济分类科目", "", group, "", ""], ["科目编码", "科目名称", *labels]]
    table.grid.rows.append(Row(["合计", "", printer.cell(fin.basic_total, unit),
                                printer.cell(fin.personnel_total, unit),
                                printer.cell(fin.operating_total, unit)]))
    for code, full_name, amount in rows:
        personnel = code[:3] != "302"
        name, rest = _wrap(full_name, rng, wrap)
        printed = printer.cell(amount, unit)
        code_cell = " ".join((code[:3], code[3:])).strip() if style == "spaced" else code
        cells = [code_cell, name, printed, printed if personnel else "",
                 "" if personnel else printed]
        table.grid.rows.append(Row(cells, wrap=(1, rest) if rest else None, codes=(code,)))
        if printed:
            table.truth.append(("economic", code, "total", "", year, printed))
            table.truth.append(("economic", code, "personnel" if personnel else
                                "public_operating", "", year, printed))
    return table


def fiscal_summary_table(fin: Finances, printer: Printer, *, unit: str, budget: bool) -> Table:
    gpb = fin.grand("total", "gpb")
    word = "预算数" if budget else "决算数"
    header = [["收入", "", "支出", "", "", ""],
              ["项目", word, "项目", "合计", "一般公共预算", "政府性基金预算"]]
    rows = [Row(["一、本年收入", printer.cell(gpb, unit), "一、本年支出", printer.cell(gpb, unit),
                 printer.cell(gpb, unit), ""])]
    left = [("一般公共预算拨款", gpb), ("政府性基金预算拨款", 0), ("国有资本经营预算拨款", 0),
            ("二、上年结转", 0)]
    right = [(fin.names[c], fin.rollup(c, "total", "gpb")) for c in fin.codes() if len(c) == 3]
    right.append(("二、结转下年", 0))
    for index in range(max(len(left), len(right))):
        cells = ["", ""] if index >= len(left) else [left[index][0],
                                                     printer.cell(left[index][1], unit)]
        if index < len(right):
            name, amount = right[index]
            cells += [name, printer.cell(amount, unit), printer.cell(amount, unit), ""]
        else:
            cells += ["", "", "", ""]
        rows.append(Row(cells))
    rows.append(Row(["收入合计", printer.cell(gpb, unit), "支出合计", printer.cell(gpb, unit),
                     printer.cell(gpb, unit), ""]))
    return Table("fiscal_income_expenditure_summary", Grid("", "", "", False, header, rows),
                  unit=unit)


def income_expenditure_table(fin: Finances, printer: Printer, *, unit: str,
                             budget: bool) -> Table:
    total = fin.grand("total", "all")
    word = "预算数" if budget else "决算数"
    header = [["收入", "", "支出", ""], ["项目", word, "项目", word]]
    left = [("一般公共预算拨款收入", fin.grand("total", "gpb")), ("政府性基金预算拨款收入", 0),
            ("事业收入", fin.other_income), ("其他收入", 0)]
    right = [(fin.names[c], fin.rollup(c, "total", "all")) for c in fin.codes() if len(c) == 3]
    rows = []
    for index in range(max(len(left), len(right))):
        cells = ["", ""] if index >= len(left) else [left[index][0],
                                                     printer.cell(left[index][1], unit)]
        cells += ["", ""] if index >= len(right) else [right[index][0],
                                                       printer.cell(right[index][1], unit)]
        rows.append(Row(cells))
    rows.append(Row(["本年收入合计", printer.cell(total, unit), "本年支出合计",
                     printer.cell(total, unit)]))
    rows.append(Row(["收入总计", printer.cell(total, unit), "支出总计", printer.cell(total, unit)]))
    kind = "income_expenditure_summary"
    return Table(kind, Grid("", "", "", False, header, rows), unit=unit)


def income_table(fin: Finances, printer: Printer, variants: dict[str, str], *, unit: str,
                 budget: bool) -> Table:
    style = variants["code_style"]
    lead = _code_header(style)
    sources = ("总计", "一般公共预算拨款收入", "政府性基金预算拨款收入", "事业收入", "其他收入") \
        if budget else ("本年收入合计", "财政拨款收入", "事业收入", "经营收入", "其他收入")
    header = [lead[0] + list(sources)]
    if len(lead) > 1:
        header.append(lead[1] + [""] * len(sources))

    def values(code: str | None) -> list[int]:
        total = fin.grand("total", "all") if code is None else fin.rollup(code, "total", "all")
        gpb = fin.grand("total", "gpb") if code is None else fin.rollup(code, "total", "gpb")
        if budget:
            return [total, gpb, 0, total - gpb, 0]
        return [total, gpb, total - gpb, 0, 0]

    rows = [Row(["合计"] + [""] * (len(lead[0]) - 1)
                + [printer.cell(v, unit) for v in values(None)])]
    for code in fin.codes():
        cells = [*_code_cells(code, style), fin.names[code]]
        rows.append(Row(cells + [printer.cell(v, unit) for v in values(code)]))
    return Table("income_summary", Grid("", "", "", False, header, rows), unit=unit)


def three_public_table(fin: Finances, printer: Printer, *, unit: str, year: int,
                       budget: bool) -> Table:
    tp = fin.three_public
    vehicles = tp["vehicle_purchase"] + tp["vehicle_operation"]
    total = vehicles + tp["overseas"] + tp["reception"]
    group = f"{year} 年预算数" if budget else f"{year}年度决算数"
    header = [[group, "", "", "", "", ""],
              ["合计", "因公出国（境）费", "公务用车购置及运行费", "", "", "公务接待费"],
              ["", "", "小计", "公务用车购置费", "公务用车运行费", ""]]
    row = [total, tp["overseas"], vehicles, tp["vehicle_purchase"], tp["vehicle_operation"],
           tp["reception"]]
    return Table("three_public", Grid("", "", "", False, header,
                                       [Row([printer.cell(v, unit) for v in row])]), unit=unit)


def empty_fund_table(kind: str) -> Table:
    header = [["科目编码", "科目名称", "本年政府性基金预算财政拨款支出", "", ""],
              ["", "", "总计", "基本支出", "项目支出"]]
    grid = Grid("", "", "", False, header, [Row(["", "合计", "", "", ""])])
    grid.notes = ["(备注：本单位无政府性基金收支，故此表无数据。)"]
    return Table(kind, grid)
