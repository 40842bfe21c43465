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
from decimal import Decimal

from corpus.finance import generate as generate_finances
from corpus.layout import Grid, render
from corpus.narrative import narrative
from corpus.printing import Printer, cell_amount_wan, wan_text
from corpus.reference import Reference
from corpus.tables import (
    Table,
    economic_table,
    empty_fund_table,
    fiscal_summary_table,
    function_table,
    income_expenditure_table,
    income_table,
    three_public_table,
)
from corpus.titles import (
    compiler_rows,
    compiler_text,
    contents,
    table_label,
    title_lines,
    unit_line,
)
from corpus.units import draw_unit
from corpus.variants import draw


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


@dataclass(frozen=True)
class ExecutionFigure:
    """A budget or an actual of one code a final account's table prints beside each other."""

    file: str
    code: str
    fund_source: str
    fiscal_year: int
    measure: str  # 'budget' (年初预算数) | 'actual' (决算数, the 合计 column)
    amount_wan: str


@dataclass
class GeneratedDocument:
    files: list[tuple[str, bytes]]
    documents: list[TruthDocument]
    figures: list[TruthFigure]
    # budget against actual per code (``_truth/budget_execution.csv``): the 年初预算数 and 决算数
    # a final account's table prints for a code, in 万元
    execution: list[ExecutionFigure] = field(default_factory=list)


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
    late = random.Random(f"{seed}:{index}:late")  # (corpus.variants.LATE)
    variants = draw(rng, choose, late)
    budget = variants["kind"] == "budget"
    if not budget:
        variants["prior_column"] = "no"
        variants["expenditure_split"] = "two"
    compiler = variants["compiler_line"]
    if compiler == "none":  # the unit line stands where the unit_style puts it, nothing wraps
        variants["compiler_unit"], variants["compiler_wrap"] = "above", "no"
    elif variants["layout"] != "tab":
        variants["compiler_wrap"] = "no"  # (a wrapped name in a text export: not generated)
    unit = draw_unit(rng, ref, variants["level"])
    year = rng.randint(2018, 2026) if budget else rng.randint(2017, 2025)
    granularity = 1 if variants["money_unit"] == "yuan" else 100
    fin = generate_finances(rng, ref, granularity, variants["funds"] == "with_other",
                            reserve=variants["expenditure_split"] == "three")
    printer = Printer(rng, variants, granularity)
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
    compiler_name = unit.name
    if compiler == "填报单位":  # 填报单位： 103001-<unit>, as the Chongqing tables print it
        compiler_name = f"{late.randint(101, 999)}{late.randint(1, 20):03d}-{unit.name}"
    # the characters a wrapping name cell holds: its label (and code) and two more on the
    # first row, fewer than the line's (the name does wrap)
    printed = len(compiler_text(compiler, compiler_name))
    head = printed - len(unit.name)
    wrap_width = late.randint(head + 2, min(max(16, head + 4), printed - 1)) \
        if variants["compiler_wrap"] == "yes" else 0
    for number, (table, title) in enumerate(zip(tables, titles, strict=True), start=1):
        grid = table.grid
        grid.label = table_label(variants["label_style"], number)
        grid.label_on_title = variants["label_style"] == "ordinal" or (
            variants["label_style"] == "公开表" and rng.random() < 0.5)
        if variants["table_title"] == "with_unit":
            grid.title = unit.name + title
        elif variants["table_title"] == "year_unit":  # 2017 年度<unit>部门财政拨款支出预算表
            grid.title = f"{year} 年度{unit.name}{title}"
        else:
            grid.title = title
        style = variants["unit_style"]
        if compiler != "none" and style == "编制单位":
            style = "单位"  # (the compiler line is printed below)
        grid.unit_line, grid.unit_on_title = unit_line(style, table.unit, unit.name)
        if compiler != "none":
            placement = variants["compiler_unit"]
            spec = f"{'金额单位' if style == '金额单位' else '单位'}：{table.unit}"
            if placement != "above":
                grid.unit_line, grid.unit_on_title = "", False
            grid.compiler = compiler_rows(compiler, compiler_name, spec, placement, wrap_width)
    # page breaks inside the longest function table
    if variants["page_break"] != "none":
        longest = max((t for t in tables if t.kind in ("general_budget_expenditure",
                                                       "expenditure_summary")),
                      key=lambda t: len(t.grid.rows))
        if len(longest.grid.rows) >= 4:
            longest.grid.page_break_at = rng.randint(2, len(longest.grid.rows) - 1)
            longest.grid.break_repeats_title = variants["page_break"] not in ("header", "bare")
            longest.grid.break_repeats_header = variants["page_break"] != "bare"
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
        tables.append(Table("asset_summary", Grid("", unit.name + "国有资产占用情况表", "", False,
                                                   [], [], header_only=True)))
    if "header_only" in faults:
        header = empty_fund_table("state_capital_expenditure")
        header.grid.title = unit.name + "国有资本经营预算支出表"
        header.grid.header_only = True
        header.grid.notes = []
        header.grid.unit_line = "单位：万元"
        tables.append(header)
    text_export = variants["layout"].startswith("text")
    gap = 1 if variants["layout"] == "text_tight" else 3
    for table in tables:
        table.grid.row_gap = variants["layout"] == "text_gaps"
    title = title_lines(rng, unit, year, variants)
    story = narrative(rng, fin, printer, unit, year, variants, faults)
    head = [""] * rng.randint(0, 2) + title + [""]
    if variants["contents"] == "toc":
        head += contents([f"{t.grid.label} {t.grid.title}".strip() for t in tables], budget,
                         "单位" if variants["scope_word"] == "单位" else "部门")
    if variants["furniture"] == "web":
        head = [f"首页 > 政务公开 > 财政预决算 > {'部门预算' if budget else '部门决算'}", "",
                " ".join(title), "",
                f"索引号：{unit.division_code}{rng.randint(10000, 99999)}/{year}-{index % 1000:05d}",
                f"发布机构：{unit.name}",
                f"发文日期：{year if budget else year + 1}-0{rng.randint(1, 9)}-{rng.randint(10, 28)}",
                "【打印】 【纠错】 【关闭】", "", *head]
    if "cut_table" in faults:  # the file ends inside a number of the last expenditure table
        last = max(i for i, t in enumerate(tables) if t.truth)
        del tables[last + 1:]
        target = tables[last]
        keep = max(2, len(target.grid.rows) // 2)
        target.grid.rows = target.grid.rows[:keep]
        target.grid.cut_last = True
        target.grid.notes = []
        whole = {c for row in target.grid.rows[:-1] for c in row.codes}
        target.truth = [t for t in target.truth if t[1] in whole]
    table_lines: list[str] = []
    for table in tables:
        table_lines += [*render(table.grid, text_export, gap), ""]
    if "cut_table" in faults:
        table_lines.pop()  # nothing after the cut
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
    for table in tables:
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
            amount_wan=wan_text(value), printed=printed))
    for column, value, printed in story.truth:
        figures.append(TruthFigure(
            file=name, source_kind="narrative", table_kind="", table_label="", mart="summary",
            code="", measure=column, fund_source="", fiscal_year=year, amount_wan=wan_text(value),
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
    execution = [
        ExecutionFigure(file=tables_file, code=code, fund_source=fund, fiscal_year=fy,
                        measure=measure, amount_wan=cell_amount_wan(printed, table.unit))
        for table in tables for code, fund, fy, measure, printed in table.execution
    ]
    return GeneratedDocument(files=files, documents=documents, figures=figures,
                             execution=execution)


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
