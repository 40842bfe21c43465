"""One generated disclosure: its text, and the truth of every figure it prints.

A document is drawn from a seed: a unit (county, city or province level), a year, a kind
(budget / final accounts), a value for every variant dimension (``corpus.variants``) and the
unit's figures (``corpus.finance``). The text follows the Chongqing templates (prose sections
一…六, then the standard tables under 附件N / 表N / 公开NN表 labels); the truth lists every
figure of the expenditure tables (function and economic codes) and every headline figure,
converted to 万元 with Decimal exactly as printed.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field, replace
from decimal import ROUND_HALF_UP, Decimal

from corpus.finance import Finances
from corpus.finance import generate as generate_finances
from corpus.layout import Grid, Row, render
from corpus.reference import Reference
from corpus.units import Unit, draw_unit
from corpus.variants import draw

_CN_NUMBERS = "一二三四五六七八九十"
_CN_ORDINAL = ("一", "二", "三", "四", "五", "六", "七", "八", "九", "十", "十一", "十二", "十三")
_TEN_THOUSAND = Decimal(10000)
_CENT = Decimal("0.01")


@dataclass(frozen=True)
class TruthFigure:
    file: str
    source_kind: str  # 'table' | 'narrative'
    table_kind: str  # the table's kind (ingest.table_kinds), '' for narrative
    table_label: str  # 附件2 / 表三 / '' as printed
    mart: str  # 'function' | 'economic' | 'summary'
    code: str  # classification code; '' for summary figures
    measure: str  # total|basic|project|personnel|public_operating, or the summary column
    fund_source: str  # general_public_budget | all | '' (economic and summary)
    fiscal_year: int
    amount_wan: str  # Decimal text, exactly the printed amount in 万元
    printed: str  # the number as printed, with its unit
    contested: bool = False  # a fault printed another amount for the same key


@dataclass(frozen=True)
class TruthDocument:
    file: str
    unit_name: str
    division_code: str
    division_name: str
    division_level: str
    fiscal_year: int
    doc_kind: str
    scope: str
    families: dict[str, str]
    faults: tuple[str, ...]
    part_of: str = ""  # split files: the file the narrative is in
    slice: str = ""  # the family this document was generated to test (isolation plans)


@dataclass
class GeneratedDocument:
    files: list[tuple[str, bytes]]
    documents: list[TruthDocument]
    figures: list[TruthFigure]


@dataclass
class _Table:
    kind: str
    grid: Grid
    truth: list[tuple[str, str, str, str, int, str]] = field(default_factory=list)
    # (mart, code, measure, fund_source, fiscal_year, printed cell)
    unit: str = "万元"


def _wan(amount: Decimal) -> str:
    """Decimal text without exponent or trailing zeros ('1398.18', '25', '0')."""
    text = format(amount, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text or "0"


class _Printer:
    """How this document prints numbers."""

    def __init__(self, rng: random.Random, variants: dict[str, str], granularity: int) -> None:
        self.thousands = variants["thousands"] == "yes"
        self.zero = variants["zero_style"]
        self.granularity = granularity
        self.short_prose = rng.random() < 0.3  # 68.2 / 25 rather than 68.20 / 25.00
        self.prose_thousands = variants["prose_numbers"] == "thousands"

    def cell(self, yuan: int, unit: str) -> str:
        if yuan == 0:
            return "0.00" if self.zero == "zero" else ""
        if unit == "万元":
            value = (Decimal(yuan) / _TEN_THOUSAND).quantize(_CENT)
        else:
            value = Decimal(yuan).quantize(_CENT)
        return f"{value:,.2f}" if self.thousands else f"{value:.2f}"

    def prose(self, yuan: int) -> tuple[str, Decimal]:
        """A 万元 figure as the narrative prints it (rounded to the cent of 万元)."""
        value = (Decimal(yuan) / _TEN_THOUSAND).quantize(_CENT, rounding=ROUND_HALF_UP)
        text = f"{value:,.2f}" if self.prose_thousands else f"{value:.2f}"
        if self.short_prose and not self.prose_thousands:
            text = _wan(value)
        return text, Decimal(text.replace(",", ""))


def cell_amount_wan(cell: str, unit: str) -> str:
    value = Decimal(cell.replace(",", ""))
    if unit == "元":
        value = value / _TEN_THOUSAND
    return _wan(value)


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
class _Column:
    upper: str  # group header cell ('' under a group started to the left)
    lower: str
    value: object  # callable: code | None → 元 (None: not printed)
    truth: tuple[str, int] | None  # (measure, fiscal year) when the column is a mart measure
    percent: bool = False


def function_table(
    fin: Finances, printer: _Printer, rng: random.Random, variants: dict[str, str], *,
    kind: str, fund: str, unit: str, year: int, budget: bool, prior: bool,
) -> _Table:
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
    columns: list[_Column] = []
    if prior:
        columns.append(_Column(f"{year - 1}年预算数", "", prior_value, ("total", year - 1)))
    if changes and not budget and fund != "all":  # final accounts: the initial budget first
        columns.append(_Column("年初预算数", "", prior_value, None))
    for index, (measure, label) in enumerate(zip(("total", "basic", "project"), labels,
                                                 strict=True)):
        columns.append(_Column(group if index == 0 else "", label, rolled(measure),
                               (measure, year)))
    if three_way:
        columns.append(_Column("", "单位预留机动经费", rolled("reserve"), ("reserve", year)))
    if changes and budget:
        total = rolled("total")

        def change(code: str | None) -> int:
            return total(code) - prior_value(code)

        def percent(code: str | None) -> int:
            before = prior_value(code)
            return 0 if not before else change(code) * 10000 // before  # in 0.01 %

        columns.append(_Column("比上年增减", "金额", change, None))
        columns.append(_Column("", "%", percent, None, percent=True))
    code_header = _code_header(style)
    lead = code_header[0]
    header: list[list[str]] = []
    if any(c.upper for c in columns):
        first = ["功能分类科目" if budget else "项目"] + [""] * (len(lead) - 1)
        header.append(first + [c.upper for c in columns])
    header.append(lead + [c.lower for c in columns])
    if len(code_header) > 1:
        header.append(code_header[1] + [""] * len(columns))
    table = _Table(kind=kind, grid=Grid("", "", "", False, header, []), unit=unit)

    def printed(column: _Column, code: str | None) -> str:
        value = column.value(code)  # type: ignore[operator]
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
                                   wrap_above=rest is not None and rng.random() < 0.5))
        for column, text in zip(columns, values, strict=True):
            if column.truth and text:
                measure, fiscal_year = column.truth
                table.truth.append(("function", code, measure, fund_source, fiscal_year, text))
    return table


def economic_table(
    fin: Finances, printer: _Printer, rng: random.Random, variants: dict[str, str], *,
    unit: str, year: int, budget: bool,
) -> _Table:
    kind = "general_budget_basic_expenditure"
    wrap = variants["wrap_names"] == "yes"
    style = variants["code_style"]
    rows = fin.economic_rows()
    table = _Table(kind=kind, grid=Grid("", "", "", False, [], []), unit=unit)
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
            table.grid.rows.append(Row(cells))
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
        table.grid.rows.append(Row(cells, wrap=(1, rest) if rest else None))
        if printed:
            table.truth.append(("economic", code, "total", "", year, printed))
            table.truth.append(("economic", code, "personnel" if personnel else
                                "public_operating", "", year, printed))
    return table


def fiscal_summary_table(fin: Finances, printer: _Printer, *, unit: str, budget: bool) -> _Table:
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
    return _Table("fiscal_income_expenditure_summary", Grid("", "", "", False, header, rows),
                  unit=unit)


def income_expenditure_table(fin: Finances, printer: _Printer, *, unit: str,
                             budget: bool) -> _Table:
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
    return _Table(kind, Grid("", "", "", False, header, rows), unit=unit)


def income_table(fin: Finances, printer: _Printer, variants: dict[str, str], *, unit: str,
                 budget: bool) -> _Table:
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
    return _Table("income_summary", Grid("", "", "", False, header, rows), unit=unit)


def three_public_table(fin: Finances, printer: _Printer, *, unit: str, year: int,
                       budget: bool) -> _Table:
    tp = fin.three_public
    vehicles = tp["vehicle_purchase"] + tp["vehicle_operation"]
    total = vehicles + tp["overseas"] + tp["reception"]
    group = f"{year} 年预算数" if budget else f"{year}年度决算数"
    header = [[group, "", "", "", "", ""],
              ["合计", "因公出国（境）费", "公务用车购置及运行费", "", "", "公务接待费"],
              ["", "", "小计", "公务用车购置费", "公务用车运行费", ""]]
    row = [total, tp["overseas"], vehicles, tp["vehicle_purchase"], tp["vehicle_operation"],
           tp["reception"]]
    return _Table("three_public", Grid("", "", "", False, header,
                                       [Row([printer.cell(v, unit) for v in row])]), unit=unit)


def empty_fund_table(kind: str) -> _Table:
    header = [["科目编码", "科目名称", "本年政府性基金预算财政拨款支出", "", ""],
              ["", "", "总计", "基本支出", "项目支出"]]
    grid = Grid("", "", "", False, header, [Row(["", "合计", "", "", ""])])
    grid.notes = ["(备注：本单位无政府性基金收支，故此表无数据。)"]
    return _Table(kind, grid)


# --- labels, titles, units -----------------------------------------------------------------


def _label(style: str, index: int) -> str:
    if style == "附件":
        return f"附件{index}" if index % 2 else f"附件 {index}"
    if style == "表":
        return f"表{_CN_ORDINAL[index - 1]}"
    if style == "公开表":
        return f"公开{index:02d}表"
    return ""


def _unit_line(style: str, unit: str, unit_name: str) -> tuple[str, bool]:
    if style == "金额单位":
        return f"金额单位：{unit}", False
    if style == "bracket_title":
        return f"单位：{unit}", True
    if style == "bracket_line":
        return f"（单位：{unit}）", False
    if style == "编制单位":
        return f"编制单位：{unit_name}\t\t\t单位：{unit}", False
    return f"单位：{unit}", False


def _doc_words(kind: str, scope_word: str) -> tuple[str, str]:
    kind_word = "预算" if kind == "budget" else "决算"
    return kind_word, "" if scope_word == "none" else scope_word


def _title_lines(rng: random.Random, unit: Unit, year: int, variants: dict[str, str]) -> list[str]:
    kind_word, scope = _doc_words(variants["kind"], variants["scope_word"])
    form = variants["title_form"]
    du = "年度" if variants["kind"] == "final_accounts" or rng.random() < 0.3 else "年"
    if form == "spaced_year":
        return [f"{unit.name} {year} {du}{scope}{kind_word}情况说明"]
    if form in ("bare", "公开", "信息公开", "公开说明"):
        suffix = "" if form == "bare" else form
        return [f"{unit.name}{year}{du}{scope}{kind_word}{suffix}"]
    if form == "two_lines":
        return [unit.name, f"{year}{du}{scope}{kind_word}情况说明"]
    if form == "year_first":
        return [f"{year}年度{unit.name}{scope}{kind_word}公开"]
    if form == "level_word":
        return [f"{unit.name}{year}年{unit.level_word}{scope or '部门'}{kind_word}"]
    if form == "two_lines_sentence":
        return [unit.name, f"{year}{du}{scope}{kind_word}", f"（按照规定向社会公开{kind_word}信息）"]
    if form == "dated":
        month, day = rng.randint(1, 3 if kind_word == "预算" else 9), rng.randint(1, 28)
        publish_year = year if kind_word == "预算" else year + 1
        return [f"{unit.name}{year}{du}{scope}{kind_word}情况说明",
                f"{publish_year}年{month}月{day}日"]
    if form == "page_number":
        return [f"- {rng.randint(1, 3)} -", f"{unit.name}{year}{du}{scope}{kind_word}情况说明"]
    return [f"{unit.name}{year}{du}{scope}{kind_word}情况说明"]


# --- narrative -----------------------------------------------------------------------------


@dataclass
class _Narrative:
    lines: list[str]
    truth: list[tuple[str, Decimal, str]]  # (summary column, amount, printed)
    classes: list[tuple[str, Decimal, str]] = field(default_factory=list)  # 类 figures


def _change(rng: random.Random, printer: _Printer, now: int, before: int, year: int,
            budget: bool) -> str:
    diff = now - before
    base = f"{year - 1} 年" if rng.random() < 0.5 else "上年"
    base = (f"比 {year - 1} 年" if rng.random() < 0.5 else "比上年") if budget else "较上年决算数"
    if diff == 0:
        return "与上年持平"
    text, _ = printer.prose(abs(diff))
    return f"{base}{'增加' if diff > 0 else '减少'} {text} 万元"


def _procurement_sentence(printer: _Printer, fin: Finances, budget: bool,
                          scope_word: str) -> tuple[str, list[tuple[str, Decimal, str]]]:
    goods, works, services = (fin.procurement[k] for k in ("goods", "works", "services"))
    total = goods + works + services
    word = "预算" if budget else "支出"
    if total == 0:
        if budget:
            return "2、政府采购情况。所属各预算单位政府采购预算总额0元。", [
                ("procurement_total_wan", Decimal(0), "0元")]
        return f"（四）政府采购支出情况说明。本{scope_word}政府采购支出总额 0 万元。", [
            ("procurement_total_wan", Decimal(0), "0 万元")]
    t_text, t_value = printer.prose(total)
    g, _ = printer.prose(goods)
    w, _ = printer.prose(works)
    s, _ = printer.prose(services)
    if budget:
        sentence = (f"2、政府采购情况。所属各预算单位政府采购预算总额 {t_text} 万元：政府采购货物"
                    f"预算 {g} 万元、政府采购工程预算 {w} 万元、政府采购服务预算 {s} 万元。")
    else:
        sentence = (f"（四）政府采购支出情况说明。本{scope_word}政府采购{word}总额 {t_text} 万元，"
                    f"其中：政府采购货物支出 {g} 万元、政府采购工程支出 {w} 万元、政府采购服务"
                    f"支出 {s} 万元。")
    return sentence, [("procurement_total_wan", t_value, f"{t_text} 万元")]


def narrative(rng: random.Random, fin: Finances, printer: _Printer, unit: Unit, year: int,
              variants: dict[str, str], faults: tuple[str, ...]) -> _Narrative:
    budget = variants["kind"] == "budget"
    scope = "单位" if variants["scope_word"] == "单位" else "部门"
    own = f"本{scope}"
    truth: list[tuple[str, Decimal, str]] = []
    total = fin.grand("total", "all")
    gpb = fin.grand("total", "gpb")
    basic = fin.basic_total
    project_gpb = fin.grand("project", "gpb")
    tp = fin.three_public
    tp_total = sum(tp.values())
    class_figures: list[tuple[str, Decimal, str]] = []

    def say(column: str | None, yuan: int) -> str:
        text, value = printer.prose(yuan)
        if column:
            truth.append((column, value, f"{text} 万元"))
        return text

    lines = [f"一、{scope}基本情况", "",
             "（一）职能职责", "",
             f"1.贯彻执行国家和上级有关方针政策，负责{unit.division_name}相关工作的组织实施。", "",
             "2.承担本级交办的其他任务。", "",
             "（二）机构设置", "",
             f"{unit.name}内设{rng.randint(2, 9)}个科室，{own}为一级预算单位。", ""]
    classes = [c for c in fin.codes() if len(c) == 3]
    if budget:
        lines += [f"二、{scope}收支总体情况", ""]
        income = (f"（一）收入预算：{year} 年年初预算数 {say('total_income_wan', total)} 万元，其中："
                  f"一般公共预算拨款 {say(None, gpb)} 万元，政府性基金预算拨款 0 万元，国有资本经营"
                  f"预算收入 0 万元，事业收入 {say(None, fin.other_income)} 万元，事业单位经营收入 0 "
                  f"万元，其他收入 0 万元。收入{_change(rng, printer, total, fin.prior['total'], year, True)}"
                  f"，主要是一般公共预算拨款变动。")
        lines += [income, ""]
        for c in classes:
            text, value = printer.prose(fin.rollup(c, "total", "all"))
            class_figures.append((c, value, f"{text} 万元"))
        parts = "，".join(f"{fin.names[c]}预算 {p}" for c, _, p in class_figures)
        spend = (f"（二）支出预算：{year} 年年初预算数 {say('total_expenditure_wan', total)} 万元，"
                 f"其中：{parts}。")
        if "social_insurance_zero" in faults:
            spend = spend[:-1] + "，社会保险基金支出预算 0.00 万元。"
        lines += [spend, ""]
        lines += [f"三、{scope}预算情况说明", ""]
        reserve = fin.rollup("2", "reserve", "gpb")
        reserve_clause = f"；单位预留机动经费 {say(None, reserve)} 万元" if reserve else ""
        gpb_text = say("general_public_budget_wan", gpb)
        lines += [
            f"{year} 年一般公共预算财政拨款收入 {gpb_text} 万元，一般公共预算财政拨款支出 "
            f"{gpb_text} 万元，{_change(rng, printer, gpb, fin.prior['gpb'], year, True)}。其中："
            f"基本支出 {say('basic_expenditure_wan', basic)} 万元，"
            f"{_change(rng, printer, basic, fin.prior['basic'], year, True)}，主要原因是人员变动"
            f"以及正常薪资调整；项目支出 {say('project_expenditure_wan', project_gpb)} 万元，"
            f"{_change(rng, printer, project_gpb, fin.prior['project'], year, True)}，主要原因是"
            f"部分项目金额调整{reserve_clause}。", "",
            f"{year} 年政府性基金预算收入 0 万元，政府性基金预算支出 "
            f"{say('government_fund_wan', 0)} 万元。", "",
            "四、“三公”经费情况说明", "",
            f"{year} 年“三公”经费预算 {say('three_public_total_wan', tp_total)} 万元，"
            f"{_change(rng, printer, tp_total, fin.prior['three_public'], year, True)}。其中："
            f"因公出国（境）费用 {say(None, tp['overseas'])} 万元，与上年持平；公务接待费 "
            f"{say(None, tp['reception'])} 万元；公务用车运行维护费 "
            f"{say(None, tp['vehicle_operation'])} 万元；公务用车购置费 "
            f"{say(None, tp['vehicle_purchase'])} 万元。", "",
            "五、其他重要事项的情况说明", "",
            f"1、机关运行经费。{year} 年一般公共预算财政拨款运行经费 "
            f"{say('operating_funds_wan', fin.operating_total)} 万元，"
            f"{_change(rng, printer, fin.operating_total, fin.prior['operating'], year, True)}。"
            f"主要用于办公费、印刷费、邮电费、水电费、差旅费等。", "",
        ]
        sentence, items = _procurement_sentence(printer, fin, True, scope)
        truth += items
        lines += [sentence, "",
                  f"3、绩效目标设置情况。{year} 年项目支出均实行了绩效目标管理。", "",
                  f"4、国有资产占有使用情况。截至 {year - 1} 年 12 月，所属各预算单位共有车辆 "
                  f"{fin.vehicles} 辆。", ""]
    else:
        t = say("total_income_wan", total)
        say("total_expenditure_wan", total)
        lines += [f"二、{scope}决算情况说明", "",
                  "（一）收入支出决算总体情况说明", "",
                  f"1.总体情况。{year}年度收入总计{t}万元，支出总计{t}万元。收支"
                  f"{_change(rng, printer, total, fin.prior['total'], year, False)}。", "",
                  f"2.收入情况。{year}年度收入合计{t}万元，其中财政拨款收入{say(None, gpb)}万元。",
                  "",
                  f"3.支出情况。{year}年度支出合计{t}万元，其中基本支出{say(None, basic)}万元，"
                  f"项目支出{say('project_expenditure_wan', fin.grand('project', 'all'))}万元。",
                  "",
                  f"4.结转结余情况。{year}年度年末结转和结余0.00万元。", "",
                  "（二）一般公共预算财政拨款支出决算情况说明", ""]
        g = say("general_public_budget_wan", gpb)
        truth.append(("government_fund_wan", Decimal(0), "无政府性基金预算财政拨款收支"))
        lines += [f"1.收入情况。{year} 年度一般公共预算财政拨款收入 {g} 万元，"
                  f"{_change(rng, printer, gpb, fin.prior['gpb'], year, False)}。", "",
                  f"2.支出情况。{year} 年度一般公共预算财政拨款支出 {g} 万元。", ""]
        lines += ["（三）一般公共预算财政拨款基本支出决算情况说明", "",
                  f"{year} 年度一般公共预算财政拨款基本支出 {say('basic_expenditure_wan', basic)} "
                  f"万元。其中：人员经费 {say('personnel_expenditure_wan', fin.personnel_total)} "
                  f"万元，主要包括基本工资、津贴补贴等；公用经费 "
                  f"{say('public_operating_expenditure_wan', fin.operating_total)} 万元，主要包括"
                  f"办公费、邮电费等。", "",
                  "（四）政府性基金预算收支决算情况说明", "",
                  f"{own}{year}年度无政府性基金预算财政拨款收支。", "",  # printed: none, 0
                  "三、“三公”经费情况说明", "",
                  f"（一）“三公”经费支出情况。{year} 年度“三公”经费支出共计 "
                  f"{say('three_public_total_wan', tp_total)} 万元。", "",
                  "四、其他需要说明的事项", "",
                  f"（一）机关运行经费情况说明。{year} 年度{own}机关运行经费支出 "
                  f"{say('operating_funds_wan', fin.operating_total)} 万元。", ""]
        sentence, items = _procurement_sentence(printer, fin, False, scope)
        truth += items
        lines += [sentence, ""]
    if "figure_twice" in faults:
        other = tp_total + fin.granularity * rng.randint(1, 50)
        text, value = printer.prose(other)
        lines += [f"另：{year} 年“三公”经费{'预算' if budget else '支出'}共计 {text} 万元。", ""]
        truth.append(("three_public_total_wan", value, f"{text} 万元"))
    lines += ["六、专业性名词解释", "",
              "（一）基本支出：指为保障机构正常运转、完成日常工作任务而发生的人员经费和公用经费。", "",
              "（二）项目支出：指在基本支出之外为完成特定行政任务和事业发展目标所发生的支出。", "",
              f"{'预算' if budget else '决算'}公开联系人：王{rng.choice('一二三明华')} 联系方式："
              f"023-{rng.randint(40000000, 89999999)}", ""]
    return _Narrative(lines, truth, class_figures)


# --- the whole document --------------------------------------------------------------------


def _table_unit(rng: random.Random, mode: str) -> str:
    if mode == "yuan":
        return "元"
    if mode == "mixed":
        return rng.choice(("万元", "元"))
    return "万元"


def build(index: int, seed: int, ref: Reference, choose=None,
          faults: tuple[str, ...] = ()) -> GeneratedDocument:
    """Document number ``index`` of the batch drawn from ``seed`` (independent of the others)."""
    rng = random.Random(f"{seed}:{index}")
    variants = draw(rng, choose)
    budget = variants["kind"] == "budget"
    if not budget:
        variants["prior_column"] = "no"
        variants["expenditure_split"] = "two"
    unit = draw_unit(rng, ref, variants["level"])
    year = rng.randint(2018, 2026) if budget else rng.randint(2017, 2025)
    granularity = 1 if variants["money_unit"] == "yuan" else 100
    fin = generate_finances(rng, ref, granularity, variants["funds"] == "with_other",
                            reserve=variants["expenditure_split"] == "three")
    printer = _Printer(rng, variants, granularity)
    name = f"{index:05d}.txt"

    def unit_for() -> str:
        return _table_unit(rng, variants["money_unit"])

    if budget:
        tables = [
            fiscal_summary_table(fin, printer, unit=unit_for(), budget=True),
            function_table(fin, printer, rng, variants, kind="general_budget_expenditure",
                           fund="gpb", unit=unit_for(), year=year, budget=True,
                           prior=variants["prior_column"] == "yes"),
            economic_table(fin, printer, rng, variants, unit=unit_for(), year=year, budget=True),
            three_public_table(fin, printer, unit=unit_for(), year=year, budget=True),
            empty_fund_table("government_fund_expenditure"),
            income_expenditure_table(fin, printer, unit=unit_for(), budget=True),
            income_table(fin, printer, variants, unit=unit_for(), budget=True),
            function_table(fin, printer, rng, variants, kind="expenditure_summary", fund="all",
                           unit=unit_for(), year=year, budget=True, prior=False),
        ]
        titles = ["财政拨款收支总表", "一般公共预算财政拨款支出预算表",
                  "一般公共预算财政拨款基本支出预算表", "一般公共预算“三公”经费支出表",
                  "政府性基金预算支出表", f"{'部门' if variants['scope_word'] != '单位' else ''}收支总表",
                  "部门收入总表", "部门支出总表"]
    else:
        tables = [
            income_expenditure_table(fin, printer, unit=unit_for(), budget=False),
            income_table(fin, printer, variants, unit=unit_for(), budget=False),
            function_table(fin, printer, rng, variants, kind="expenditure_summary", fund="all",
                           unit=unit_for(), year=year, budget=False, prior=False),
            fiscal_summary_table(fin, printer, unit=unit_for(), budget=False),
            function_table(fin, printer, rng, variants, kind="general_budget_expenditure",
                           fund="gpb", unit=unit_for(), year=year, budget=False, prior=False),
            economic_table(fin, printer, rng, variants, unit=unit_for(), year=year, budget=False),
            empty_fund_table("government_fund_expenditure"),
            three_public_table(fin, printer, unit=unit_for(), year=year, budget=False),
        ]
        titles = ["收入支出决算总表", "收入决算表", "支出决算表", "财政拨款收入支出决算总表",
                  "一般公共预算财政拨款支出决算表", "一般公共预算财政拨款基本支出决算表",
                  "政府性基金预算财政拨款收入支出决算表", "财政拨款“三公”经费支出决算表"]
    for number, (table, title) in enumerate(zip(tables, titles, strict=True), start=1):
        grid = table.grid
        grid.label = _label(variants["label_style"], number)
        grid.label_on_title = variants["label_style"] == "公开表" and rng.random() < 0.5
        grid.title = (unit.name + title) if variants["table_title"] == "with_unit" else title
        grid.unit_line, grid.unit_on_title = _unit_line(variants["unit_style"], table.unit,
                                                       unit.name)
    # page breaks inside the longest function table
    if variants["page_break"] != "none":
        longest = max((t for t in tables if t.kind in ("general_budget_expenditure",
                                                       "expenditure_summary")),
                      key=lambda t: len(t.grid.rows))
        if len(longest.grid.rows) >= 4:
            longest.grid.page_break_at = rng.randint(2, len(longest.grid.rows) - 1)
            longest.grid.break_repeats_title = variants["page_break"] != "header"
            longest.grid.repeat_rows = 1 if variants["page_break"] == "repeat_row" else 0
    # faults that change tables
    if "contradicting_totals" in faults:
        target = next(t for t in tables if t.kind == "general_budget_expenditure")
        cells = target.grid.rows[0].cells
        column = next(i for i, c in enumerate(cells) if c and c != "合计")
        bumped = Decimal(cells[column].replace(",", "")) + Decimal("1.00")
        cells[column] = f"{bumped:,.2f}" if printer.thousands else f"{bumped:.2f}"
    if "table_twice" in faults:
        source = next(t for t in tables if t.kind == "general_budget_basic_expenditure")
        tables.insert(tables.index(source) + 1, replace(source, grid=replace(source.grid)))
    if "empty_table" in faults:
        tables.append(_Table("asset_summary", Grid("", unit.name + "国有资产占用情况表", "", False,
                                                   [], [], header_only=True)))
    if "header_only" in faults:
        header = empty_fund_table("state_capital_expenditure")
        header.grid.title = unit.name + "国有资本经营预算支出表"
        header.grid.header_only = True
        header.grid.notes = []
        header.grid.unit_line = "单位：万元"
        tables.append(header)
    text_export = variants["layout"] == "text"
    title = _title_lines(rng, unit, year, variants)
    story = narrative(rng, fin, printer, unit, year, variants, faults)
    head = [""] * rng.randint(0, 2) + title + [""]
    if variants["furniture"] == "web":
        head = [f"首页 > 政务公开 > 财政预决算 > {'部门预算' if budget else '部门决算'}", "",
                " ".join(title), "",
                f"索引号：{unit.division_code}{rng.randint(10000, 99999)}/{year}-{index % 1000:05d}",
                f"发布机构：{unit.name}",
                f"发文日期：{year if budget else year + 1}-0{rng.randint(1, 9)}-{rng.randint(10, 28)}",
                "【打印】 【纠错】 【关闭】", "", *head]
    table_lines: list[str] = []
    for table in tables:
        table_lines += [*render(table.grid, text_export), ""]
    if "cut_table" in faults:
        while table_lines and not any(ch.isdigit() for ch in table_lines[-1]):
            table_lines.pop()
        if table_lines:
            last = table_lines.pop()
            digits = [i for i, ch in enumerate(last) if ch.isdigit()]
            table_lines.append(last[: digits[len(digits) // 2]])
    scope = {"部门": "department", "单位": "unit"}.get(variants["scope_word"], "department")
    families = dict(variants)
    encoding = "gb18030" if variants["encoding"] == "gb18030" else "utf-8"

    def encode(lines: list[str]) -> bytes:
        return ("\n".join(lines) + "\n").encode(encoding)

    figures: list[TruthFigure] = []
    tables_file = name
    files: list[tuple[str, bytes]]
    if "split_files" in faults:
        tables_file = f"{index:05d}_tables.txt"
        files = [(name, encode(head + story.lines)), (tables_file, encode(table_lines))]
    else:
        files = [(name, encode(head + story.lines + table_lines))]
    cut = "cut_table" in faults
    for table in tables:
        if cut and table is tables[-1]:
            continue
        for mart, code, measure, fund, fy, printed in table.truth:
            figures.append(TruthFigure(
                file=tables_file, source_kind="table", table_kind=table.kind,
                table_label=table.grid.label, mart=mart, code=code, measure=measure,
                fund_source=fund, fiscal_year=fy, amount_wan=cell_amount_wan(printed, table.unit),
                printed=f"{printed} {table.unit}",
            ))
    if "table_twice" in faults:  # the copy states the same figures: one truth per key
        seen: set[tuple] = set()
        unique = []
        for figure in figures:
            key = (figure.mart, figure.code, figure.measure, figure.fund_source,
                   figure.fiscal_year)
            if key not in seen:
                seen.add(key)
                unique.append(figure)
        figures = unique
    contested_columns = {c for c, _, _ in story.truth
                         if len({v for k, v, _ in story.truth if k == c}) > 1}
    if budget:
        # headline figures the narrative does not state come from the tables' 合计 rows
        for column, value in (("personnel_expenditure_wan", fin.personnel_total),
                              ("public_operating_expenditure_wan", fin.operating_total)):
            economic = next(t for t in tables if t.kind == "general_budget_basic_expenditure")
            printed = printer.cell(value, economic.unit)
            if printed:
                figures.append(TruthFigure(
                    file=tables_file, source_kind="table", table_kind=economic.kind,
                    table_label=economic.grid.label, mart="summary", code="", measure=column,
                    fund_source="", fiscal_year=year,
                    amount_wan=cell_amount_wan(printed, economic.unit),
                    printed=f"{printed} {economic.unit}"))
    for code, value, printed in story.classes:  # the same key as the table's 类 row: an
        # alternative printed amount (rounded to 万元 cents when the table is in 元)
        figures.append(TruthFigure(
            file=name, source_kind="narrative", table_kind="", table_label="", mart="function",
            code=code, measure="total", fund_source="all", fiscal_year=year,
            amount_wan=_wan(value), printed=printed))
    for column, value, printed in story.truth:
        figures.append(TruthFigure(
            file=name, source_kind="narrative", table_kind="", table_label="", mart="summary",
            code="", measure=column, fund_source="", fiscal_year=year, amount_wan=_wan(value),
            printed=printed, contested=column in contested_columns))
    documents = [TruthDocument(
        file=name, unit_name=unit.name, division_code=unit.division_code,
        division_name=unit.division_name, division_level=unit.division_level,
        fiscal_year=year, doc_kind=variants["kind"], scope=scope, families=families,
        faults=faults)]
    if "split_files" in faults:
        documents.append(replace(documents[0], file=tables_file, part_of=name))
    if "conflicting_copy" in faults:
        copy_name = f"{index:05d}_copy.txt"
        body = head + story.lines + table_lines
        changed = _change_one_figure(body, rng)
        files.append((copy_name, encode(changed)))
        documents.append(replace(documents[0], file=copy_name, part_of=name))
    return GeneratedDocument(files=files, documents=documents, figures=figures)


def _change_one_figure(lines: list[str], rng: random.Random) -> list[str]:
    """The same document with one table figure changed (a second, different publication)."""
    out = list(lines)
    candidates = [i for i, line in enumerate(out) if "\t" in line or "   " in line]
    for index in reversed(candidates):
        cells = out[index].split("\t")
        for position in range(len(cells) - 1, -1, -1):
            cell = cells[position].strip()
            if cell and cell.replace(",", "").replace(".", "", 1).isdigit() and "." in cell:
                value = Decimal(cell.replace(",", "")) + Decimal(rng.randint(1, 9))
                cells[position] = f"{value:.2f}"
                out[index] = "\t".join(cells)
                return out
    return out
