"""``reports/index.html``: one static page about the warehouse that opens offline.

Charts are inline SVG (:mod:`warehouse.svg_charts`), there is no script and nothing is loaded
from anywhere: the file can be mailed or opened from a share. Every chart has the figures it
draws beside it in a table (folded), read from the marts as they are; nothing is computed
here but sums for bar lengths and counts.

Sections: spending by 类 per district (shares), a unit across years, 三公 by unit, budget
against actual (final accounts), reconciliation findings, ingest coverage.
"""

from __future__ import annotations

import datetime as dt
import os
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape
from pathlib import Path
from typing import Any

import duckdb

from warehouse.svg_charts import Bar, RateBar, fmt, grouped_bars, rate_bars, stacked_bars

KIND = {"budget": "预算", "final_accounts": "决算"}
THREE_PUBLIC = (
    ("overseas_travel", "因公出国(境)费"),
    ("vehicle_purchase", "公务用车购置费"),
    ("vehicle_operation", "公务用车运行维护费"),
    ("vehicle_total", "公务用车购置及运行维护费"),
    ("official_reception", "公务接待费"),
)
HEADLINES = (
    ("total_expenditure_wan", "支出总计"),
    ("basic_expenditure_wan", "基本支出"),
    ("project_expenditure_wan", "项目支出"),
    ("three_public_total_wan", "“三公”经费"),
)


@dataclass(frozen=True)
class Section:
    anchor: str
    title: str
    intro: str
    svg: str  # empty when there is nothing to draw
    table_head: Sequence[str]
    table_rows: Sequence[Sequence[Any]]
    empty: str = "Nothing to draw: the warehouse has no rows for this yet."


@dataclass(frozen=True)
class WrittenReport:
    path: Path
    charts: int
    bytes: int


def _rows(con: duckdb.DuckDBPyConnection, sql: str) -> list[tuple[Any, ...]]:
    return con.execute(sql).fetchall()


def _doc_label(unit_or_district: str | None, year: int | None, kind: str | None) -> str:
    return f"{unit_or_district or '?'} {year or ''} {KIND.get(kind or '', kind or '')}".strip()


def spending_by_class(con: duckdb.DuckDBPyConnection) -> Section:
    rows = _rows(
        con,
        """
        select district_name, fiscal_year, doc_kind, class_code, class_name, amount_wan,
               share_of_district_total, unit_count
        from marts.mart_district_function_comparison
        order by district_name, fiscal_year, doc_kind, class_code
        """,
    )
    grouped: dict[tuple[Any, ...], list[tuple[str, Any]]] = defaultdict(list)
    for district, year, kind, code, name, amount, _share, _units in rows:
        grouped[(district, year, kind)].append((f"{code} {name or ''}".strip(), amount))
    bars = [Bar(_doc_label(*key), parts) for key, parts in grouped.items()]
    return Section(
        "classes",
        "Spending by 类 per district (shares)",
        "Expenditure by functional class (类) of every district, summed over its units, as "
        "shares of the district's total (mart_district_function_comparison). Hover a bar for "
        "the amount in 万元.",
        stacked_bars(bars, title="Spending by 类 per district", percent=True),
        ["district", "year", "kind", "类", "amount 万元", "share", "units"],
        [
            (
                d,
                y,
                KIND.get(k, k),
                f"{c} {n or ''}",
                fmt(a),
                f"{float(s) * 100:.1f}%" if s is not None else "",
                u,
            )
            for d, y, k, c, n, a, s, u in rows
        ],
    )


def unit_across_years(con: duckdb.DuckDBPyConnection) -> Section:
    columns = ", ".join(c for c, _ in HEADLINES)
    rows = _rows(
        con,
        f"""
        with docs as (
            select unit_id, count(distinct fiscal_year) as years
            from marts.fct_budget_summary group by unit_id
        )
        select s.unit_name, s.fiscal_year, s.doc_kind, {columns}, d.years
        from marts.fct_budget_summary as s inner join docs as d using (unit_id)
        order by d.years desc, s.unit_name, s.fiscal_year, s.doc_kind
        """,
    )
    several = [r for r in rows if r[-1] >= 2]
    shown = several or rows
    intro = (
        "The headline figures of every unit published for more than one year "
        "(fct_budget_summary), year by year."
        if several
        else "No unit has documents of two years yet; the headline figures of every document."
    )
    bars = [
        Bar(
            _doc_label(r[0], r[1], r[2]),
            [(label, r[3 + i]) for i, (_, label) in enumerate(HEADLINES)],
        )
        for r in shown
    ]
    return Section(
        "years",
        "A unit across years",
        intro,
        grouped_bars(bars, title="A unit across years"),
        ["unit", "year", "kind", *(label + " 万元" for _, label in HEADLINES)],
        [
            (r[0], r[1], KIND.get(r[2], r[2]), *(fmt(v) if v is not None else "" for v in r[3:-1]))
            for r in shown
        ],
    )


def three_public(con: duckdb.DuckDBPyConnection) -> Section:
    rows = _rows(
        con,
        """
        select unit_name, fiscal_year, doc_kind, document_id, item, amount_wan, source_kind
        from marts.fct_three_public
        order by unit_name, fiscal_year, doc_kind, document_id, item
        """,
    )
    by_doc: dict[tuple[Any, ...], dict[str, Any]] = defaultdict(dict)
    for unit, year, kind, document, item, amount, _source in rows:
        by_doc[(unit, year, kind, document)][item] = amount
    bars = []
    for (unit, year, kind, _document), items in by_doc.items():
        split = (
            items.get("vehicle_purchase") is not None or items.get("vehicle_operation") is not None
        )
        parts = [
            (label, items.get(key))
            for key, label in THREE_PUBLIC
            if not (key == "vehicle_total" and split)
            and not (key in ("vehicle_purchase", "vehicle_operation") and not split)
        ]
        if all(v is None for _, v in parts) and items.get("total") is not None:
            parts = [("合计 (items not printed)", items["total"])]
        printed = items.get("total")
        label = _doc_label(unit, year, kind) + (
            f" (合计 {fmt(printed)})" if printed is not None else ""
        )
        bars.append(Bar(label, parts))
    names = dict(THREE_PUBLIC) | {"total": "合计"}
    return Section(
        "three-public",
        "三公 by unit",
        "“三公” expenditure of every document by item (fct_three_public): 因公出国(境)费, "
        "公务用车购置 / 运行维护费 (or their sum when only that is printed), 公务接待费, in 万元; "
        "the 合计 in the label is the printed total.",
        stacked_bars(bars, title="三公 by unit", show_sum=False),
        ["unit", "year", "kind", "item", "amount 万元", "from"],
        [
            (u, y, KIND.get(k, k), names.get(i, i), fmt(a) if a is not None else "", s)
            for u, y, k, _d, i, a, s in rows
        ],
    )


def budget_against_actual(con: duckdb.DuckDBPyConnection) -> Section:
    """Execution rates of mart_budget_execution: each unit-year's total (the 一般公共预算财政拨款
    sentence of its final accounts) and, under it, every code with a budget and an actual."""
    rows = _rows(
        con,
        """
        select unit_name, fiscal_year, fund_source, line_kind, function_code,
               coalesce(function_name, function_path) as name,
               budget_wan, adjusted_budget_wan, actual_wan,
               execution_rate, adjusted_execution_rate,
               budget_source, adjusted_budget_source, actual_source, sources_agree, disagreement
        from marts.mart_budget_execution
        where line_kind = 'total'
           or actual_wan is not null and (budget_wan is not null or adjusted_budget_wan is not null)
           or not sources_agree
        order by unit_name, fiscal_year, fund_source, line_kind desc, function_code
        """,
    )
    bars: list[RateBar] = []
    for unit, year, _fund, kind, code, name, budget, adjusted, actual, rate, adj_rate, *_ in rows:
        shown = rate if rate is not None else adj_rate
        if shown is None:
            continue
        against = "年初预算" if rate is not None else "全年预算"
        base = budget if rate is not None else adjusted
        detail = f"决算 {fmt(actual)} / {against} {fmt(base)} 万元"
        if kind == "total":
            bars.append(RateBar(f"{unit} {year} 合计 ({against})", shown, detail))
        elif kind == "function_unresolved":
            bars.append(RateBar(f"{name} (no code; {against})", shown, detail, indent=True))
        else:
            bars.append(
                RateBar(
                    f"{code or ''} {name or ''} ({against})".strip(), shown, detail, indent=True
                )
            )

    def money(value: Any) -> str:
        return fmt(value) if value is not None else ""

    def percent(value: Any) -> str:
        return f"{float(value) * 100:.2f}" if value is not None else ""

    return Section(
        "execution",
        "Budget against actual",
        "How much of its budget each unit spent (mart_budget_execution): 决算数 against "
        "年初预算数 (or, where only that is printed, 全年预算数), for the unit's 一般公共预算财政拨款 "
        "total and every code whose budget the final accounts state (their tables' 年初预算数 "
        "columns, their per-项 prose, a printed change 较年初预算数, or the unit's budget of "
        "the year). A figure whose sources disagree is not drawn: the table says which.",
        rate_bars(bars, title="Budget against actual"),
        [
            "unit",
            "year",
            "fund",
            "code",
            "name",
            "年初预算 万元",
            "全年预算 万元",
            "决算 万元",
            "执行率 %",
            "budget from",
            "actual from",
            "sources agree",
        ],
        [
            (
                u,
                y,
                f,
                c or ("合计" if k == "total" else ""),
                n or "",
                money(b),
                money(ab),
                money(a),
                percent(r if r is not None else ar),
                bs or abs_ or "",
                as_ or "",
                "yes" if ok else f"no: {dis}",
            )
            for u, y, f, k, c, n, b, ab, a, r, ar, bs, abs_, as_, ok, dis in rows
        ],
        empty="No final accounts state a budget and an actual of the same line yet.",
    )


def reconciliation(con: duckdb.DuckDBPyConnection) -> Section:
    counts = _rows(
        con,
        """
        select check_family, status, count(*) from marts.audit_reconciliation
        group by all order by check_family, status
        """,
    )
    by_family: dict[str, dict[str, int]] = defaultdict(dict)
    for family, status, n in counts:
        by_family[family][status] = int(n)
    bars = [
        Bar(family, [(s, statuses.get(s, 0)) for s in ("ok", "rounding", "mismatch")])
        for family, statuses in by_family.items()
    ]
    mismatches = _rows(
        con,
        """
        select unit_name, fiscal_year, doc_kind, check_name, expected_wan, actual_wan,
               difference_wan, source_page, source_line, detail
        from marts.audit_reconciliation where status = 'mismatch'
        order by unit_name, fiscal_year, abs(difference_wan) desc, check_name
        """,
    )
    return Section(
        "reconciliation",
        "Reconciliation findings",
        f"Checks of every document against itself (audit_reconciliation) by family and "
        f"status; {len(mismatches)} mismatch(es) are listed below, with where to look.",
        stacked_bars(bars, title="Reconciliation checks", unit="checks", decimals=0),
        [
            "unit",
            "year",
            "kind",
            "check",
            "expected 万元",
            "actual 万元",
            "difference",
            "page",
            "line",
            "detail",
        ],
        [
            (
                u,
                y,
                KIND.get(k, k),
                c,
                fmt(e) if e is not None else "",
                fmt(a) if a is not None else "",
                fmt(d) if d is not None else "",
                p,
                ln,
                t,
            )
            for u, y, k, c, e, a, d, p, ln, t in mismatches
        ],
    )


def ingest_coverage(con: duckdb.DuckDBPyConnection) -> Section:
    rows = _rows(
        con,
        """
        select source_file, status, unit_name, fiscal_year, doc_kind, rows_landed,
               unparsed_lines, reason
        from marts.audit_ingest order by status, source_file
        """,
    )
    statuses: dict[str, int] = defaultdict(int)
    for row in rows:
        statuses[row[1] or "?"] += 1
    order = ["landed", "partial", "duplicate", "rejected"]
    parts = [(s, statuses[s]) for s in order if statuses.get(s)]
    parts += [(s, n) for s, n in statuses.items() if s not in order]
    with_reason = sum(1 for r in rows if r[7])
    return Section(
        "ingest",
        "Ingest coverage",
        f"What became of every input file (audit_ingest): {len(rows)} file(s), "
        + ", ".join(f"{n} {s}" for s, n in parts)
        + f"; {with_reason} with a reason to read.",
        stacked_bars([Bar("files", parts)], title="Ingest coverage", unit="files", decimals=0),
        ["file", "status", "unit", "year", "kind", "rows landed", "unparsed lines", "reason"],
        [(f, s, u, y, KIND.get(k or "", k), n, p, r) for f, s, u, y, k, n, p, r in rows],
    )


SECTIONS = (
    spending_by_class,
    unit_across_years,
    three_public,
    budget_against_actual,
    reconciliation,
    ingest_coverage,
)

CSS = """
body{font-family:'Noto Sans CJK SC','Source Han Sans SC','WenQuanYi Zen Hei','Microsoft YaHei',
'PingFang SC',sans-serif;margin:24px auto;max-width:960px;color:#222;line-height:1.45}
h1{font-size:24px;margin-bottom:4px}h2{font-size:19px;margin-top:36px;border-bottom:1px solid #ddd}
nav a{margin-right:12px}.meta{color:#666;font-size:13px}figure{margin:8px 0}
table{border-collapse:collapse;font-size:12px;margin-top:6px}
td,th{border:1px solid #ddd;padding:2px 6px;text-align:left;vertical-align:top}
th{background:#f3f6fa}td.n{text-align:right;font-variant-numeric:tabular-nums}
details summary{cursor:pointer;color:#355;font-size:13px}.empty{color:#888;font-style:italic}
"""


def _cell(value: Any) -> str:
    if value is None:
        return "<td></td>"
    text = str(value)
    numeric = text.replace(",", "").replace(".", "", 1).replace("%", "").lstrip("-").isdigit()
    return f'<td class="n">{escape(text)}</td>' if numeric else f"<td>{escape(text)}</td>"


def render(sections: Sequence[Section], *, source: str, built: str, counts: str) -> str:
    nav = " ".join(f'<a href="#{s.anchor}">{escape(s.title)}</a>' for s in sections)
    parts = [
        "<!DOCTYPE html>",
        '<html lang="zh-CN"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        "<title>Budget disclosure warehouse — report</title>",
        f"<style>{CSS}</style></head><body>",
        "<h1>Budget disclosure warehouse</h1>",
        f'<p class="meta">{escape(counts)} · built {escape(built)} · from {escape(source)} · '
        "figures as printed in the documents, in 万元 unless marked</p>",
        f"<nav>{nav}</nav>",
    ]
    for section in sections:
        parts.append(f'<section id="{section.anchor}"><h2>{escape(section.title)}</h2>')
        parts.append(f"<p>{escape(section.intro)}</p>")
        if section.svg:
            parts.append(f'<figure class="chart">{section.svg}</figure>')
        else:
            parts.append(f'<p class="empty">{escape(section.empty)}</p>')
        if section.table_rows:
            head = "".join(f"<th>{escape(h)}</th>" for h in section.table_head)
            body = "".join(
                "<tr>" + "".join(_cell(v) for v in row) + "</tr>" for row in section.table_rows
            )
            parts.append(
                f"<details><summary>the figures ({len(section.table_rows)} rows)</summary>"
                f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table></details>"
            )
        parts.append("</section>")
    parts.append("</body></html>")
    return "\n".join(parts) + "\n"


def build_sections(con: duckdb.DuckDBPyConnection) -> list[Section]:
    return [make(con) for make in SECTIONS]


def write_report(database: Path, target: Path, source: str | None = None) -> WrittenReport:
    """Write the report of ``database`` (opened read-only) to ``target``, replaced whole;
    ``source`` names the warehouse on the page (default: the file's name)."""
    with duckdb.connect(str(database), read_only=True) as con:
        sections = build_sections(con)
        documents, units, districts = con.execute(
            "select count(*), count(distinct unit_id), count(distinct district_code) "
            "from marts.dim_document"
        ).fetchone() or (0, 0, 0)
    built = dt.datetime.fromtimestamp(database.stat().st_mtime, dt.UTC).strftime(
        "%Y-%m-%d %H:%M UTC"
    )
    html = render(
        sections,
        source=source or database.name,
        built=built,
        counts=f"{documents} documents, {units} units, {districts} districts",
    )
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(f".{target.name}.{os.getpid()}")
    partial.write_text(html, encoding="utf-8")
    os.replace(partial, target)
    return WrittenReport(
        path=target, charts=sum(1 for s in sections if s.svg), bytes=len(html.encode("utf-8"))
    )
