"""``reports/index.html``: one static page about the warehouse that opens offline.

Charts are inline SVG (:mod:`warehouse.svg_charts`), there is no script and nothing is loaded
from anywhere: the file can be mailed or opened from a share. Every chart has the figures it
draws beside it in a table (folded), read from the marts as they are; nothing is computed
here but sums for bar lengths and counts.

Sections: spending by 类 per district (shares), a unit across years, 三公 by unit, budget
against actual (final accounts), reconciliation findings, ingest coverage.

A section whose chart or table holds more than ``PAGE_ROWS`` rows (thousands of documents) is
split into pages beside the report (``report/<section>-<digest>.html``), each with its part of
the chart and of the table, listed in the section on ``index.html``. The pages are cut at
groups of rows of one key (a district, a unit, a file) chosen by the key's digest, so a
changed document changes its own page and, at most, where the next one starts; a page whose
rows are those it was written from (a digest kept in ``report/.pages.json``) is not drawn or
written again.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import itertools
import json
import math
import os
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
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
    svg: str  # empty when there is nothing to draw (or when drawn from ``bars``)
    table_head: Sequence[str]
    table_rows: Sequence[Sequence[Any]]
    empty: str = "Nothing to draw: the warehouse has no rows for this yet."
    # the chart drawn from bars (``chart(bars)``), so that a page can draw its own part
    chart: Callable[[Sequence[Any]], str] | None = field(default=None, compare=False)
    bars: Sequence[Any] = ()
    # each bar's and each table row's key (a district, unit or file): pages are cut between
    # keys; none: the section is never split
    bar_keys: Sequence[str] = ()
    row_keys: Sequence[str] = ()
    key_name: str = ""  # what the keys are, for the list of pages

    def drawn(self) -> str:
        if self.svg or self.chart is None or not self.bars:
            return self.svg
        return self.chart(self.bars)


@dataclass(frozen=True)
class WrittenReport:
    path: Path
    charts: int
    bytes: int  # of the report's page
    pages: int = 0  # of split sections (report/)
    drawn: int = 0  # of those, drawn and written by this run (the others were the same)


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
        "",
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
        chart=lambda bars: stacked_bars(bars, title="Spending by 类 per district", percent=True),
        bars=bars,
        bar_keys=[str(key[0]) for key in grouped],
        row_keys=[str(r[0]) for r in rows],
        key_name="districts",
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
        "",
        ["unit", "year", "kind", *(label + " 万元" for _, label in HEADLINES)],
        [
            (r[0], r[1], KIND.get(r[2], r[2]), *(fmt(v) if v is not None else "" for v in r[3:-1]))
            for r in shown
        ],
        chart=lambda bars: grouped_bars(bars, title="A unit across years"),
        bars=bars,
        bar_keys=[str(r[0]) for r in shown],
        row_keys=[str(r[0]) for r in shown],
        key_name="units",
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
    bar_keys = []
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
        bar_keys.append(str(unit))
    names = dict(THREE_PUBLIC) | {"total": "合计"}
    return Section(
        "three-public",
        "三公 by unit",
        "“三公” expenditure of every document by item (fct_three_public): 因公出国(境)费, "
        "公务用车购置 / 运行维护费 (or their sum when only that is printed), 公务接待费, in 万元; "
        "the 合计 in the label is the printed total.",
        "",
        ["unit", "year", "kind", "item", "amount 万元", "from"],
        [
            (u, y, KIND.get(k, k), names.get(i, i), fmt(a) if a is not None else "", s)
            for u, y, k, _d, i, a, s in rows
        ],
        chart=lambda bars: stacked_bars(bars, title="三公 by unit", show_sum=False),
        bars=bars,
        bar_keys=bar_keys,
        row_keys=[str(r[0]) for r in rows],
        key_name="units",
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
    bar_keys: list[str] = []
    for unit, year, _fund, kind, code, name, budget, adjusted, actual, rate, adj_rate, *_ in rows:
        shown = rate if rate is not None else adj_rate
        if shown is None:
            continue
        bar_keys.append(str(unit))
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
        "",
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
        chart=lambda bars: rate_bars(bars, title="Budget against actual"),
        bars=bars,
        bar_keys=bar_keys,
        row_keys=[str(r[0]) for r in rows],
        key_name="units",
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
        row_keys=[str(r[0]) for r in mismatches],
        key_name="units",
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
        row_keys=[f"{s} {f}" for f, s, *_ in rows],
        key_name="files",
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


def _section_html(section: Section, svg: str | None) -> list[str]:
    """A section: its chart (``svg``; None: no chart in this place) and its table."""
    parts = [f'<section id="{section.anchor}"><h2>{escape(section.title)}</h2>',
             f"<p>{escape(section.intro)}</p>"]
    if svg:
        parts.append(f'<figure class="chart">{svg}</figure>')
    elif svg is not None:
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
    return parts


def _head(title: str) -> list[str]:
    return [
        "<!DOCTYPE html>",
        '<html lang="zh-CN"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{escape(title)}</title>",
        f"<style>{CSS}</style></head><body>",
    ]


def _pages_html(section: Section, pages: Sequence[Page]) -> list[str]:
    """A split section on the report's page: its summary chart (if any) and its pages."""
    parts = [f'<section id="{section.anchor}"><h2>{escape(section.title)}</h2>',
             f"<p>{escape(section.intro)}</p>"]
    if section.svg:
        parts.append(f'<figure class="chart">{section.svg}</figure>')
    rows = sum(page.rows for page in pages)
    what = "chart and figures" if section.chart is not None else "figures"
    parts.append(
        f"<p>{rows} rows: the {what} in {len(pages)} pages, by {escape(section.key_name)}:</p>"
    )
    body = "".join(
        f'<tr><td><a href="{PAGES}/{page.name}">{number}</a></td><td>{escape(page.first)}</td>'
        f'<td>{escape(page.last)}</td><td class="n">{page.rows}</td></tr>'
        for number, page in enumerate(pages, start=1)
    )
    parts.append(f"<table><thead><tr><th>page</th><th>from</th><th>to</th><th>rows</th></tr>"
                 f"</thead><tbody>{body}</tbody></table></section>")
    return parts


def render(
    sections: Sequence[Section],
    *,
    source: str,
    built: str,
    counts: str,
    pages: dict[str, list[Page]] | None = None,
) -> str:
    """The report's page; a section with ``pages`` (anchor → its pages) lists them."""
    pages = pages or {}
    nav = " ".join(f'<a href="#{s.anchor}">{escape(s.title)}</a>' for s in sections)
    parts = [
        *_head("Budget disclosure warehouse — report"),
        "<h1>Budget disclosure warehouse</h1>",
        f'<p class="meta">{escape(counts)} · built {escape(built)} · from {escape(source)} · '
        "figures as printed in the documents, in 万元 unless marked</p>",
        f"<nav>{nav}</nav>",
    ]
    for section in sections:
        split = pages.get(section.anchor)
        if split:
            parts += _pages_html(section, split)
        else:
            parts += _section_html(section, section.drawn())
    parts.append("</body></html>")
    return "\n".join(parts) + "\n"


# --- pages of large sections ------------------------------------------------------------------

PAGE_ROWS = 1_000  # a section with more bars or table rows than this is split into pages
PAGE_TARGET = 1_000  # rows a page holds on average (a power of two of keys per page)
PAGE_MAX = 4_000  # a page is cut before its next key once it holds this many rows
PAGES = "report"  # the folder of the pages, beside the report's page
PAGES_STAMP = ".pages.json"  # in it: what each page was drawn from


@dataclass(frozen=True)
class Page:
    """A part of a split section: its file in ``PAGES``, the section restricted to its rows
    and bars, its first and last key, and its rows."""

    name: str
    section: Section
    first: str
    last: str
    rows: int


def _key_bits(key: str) -> int:
    return int.from_bytes(hashlib.blake2b(key.encode("utf-8"), digest_size=8).digest(), "big")


def split_pages(section: Section, limit: int = PAGE_ROWS, target: int = PAGE_TARGET,
                most: int = PAGE_MAX) -> list[Page]:
    """The pages of ``section`` (none when it has no keys or at most ``limit`` bars and
    rows). A page starts at a key whose digest ends in ``k`` zero bits (``2**k`` keys per
    page on average, ``k`` from the rows per key and ``target``), or once the page holds
    ``most`` rows: where pages are cut depends on the keys, not on the rows before them."""
    rows, keys = section.table_rows, section.row_keys
    if not keys or len(keys) != len(rows) or max(len(rows), len(section.bars)) <= limit:
        return []
    distinct = sum(1 for i, key in enumerate(keys) if i == 0 or key != keys[i - 1])
    per_key = len(rows) / distinct
    bits = max(0, round(math.log2(target / per_key))) if per_key < target else 0
    mask = (1 << bits) - 1
    cuts = [0]
    for i in range(1, len(keys)):
        if keys[i] != keys[i - 1] and (_key_bits(keys[i]) & mask == 0
                                       or i - cuts[-1] >= most):
            cuts.append(i)
    cuts.append(len(keys))
    page_of: dict[str, int] = {}
    for number, (start, end) in enumerate(itertools.pairwise(cuts)):
        for i in range(start, end):
            if i == start or keys[i] != keys[i - 1]:
                page_of.setdefault(keys[i], number)
    bars: list[list[Any]] = [[] for _ in cuts[1:]]
    bar_keys: list[list[str]] = [[] for _ in cuts[1:]]
    last = 0
    for bar, key in zip(section.bars, section.bar_keys, strict=True):
        last = page_of.get(key, last)
        bars[last].append(bar)
        bar_keys[last].append(key)
    pages: list[Page] = []
    names: set[str] = set()
    for number, (start, end) in enumerate(itertools.pairwise(cuts)):
        name = f"{section.anchor}-{_key_bits(keys[start]):016x}"
        while name + ".html" in names:
            name += "-"
        names.add(name + ".html")
        part = replace(
            section,
            svg="",  # drawn from the page's bars; a summary chart stays on the report's page
            table_rows=rows[start:end],
            row_keys=keys[start:end],
            bars=bars[number],
            bar_keys=bar_keys[number],
        )
        pages.append(Page(name + ".html", part, keys[start], keys[end - 1], end - start))
    return pages


def _code_digest() -> str:
    from warehouse import svg_charts

    digest = hashlib.sha256(Path(__file__).read_bytes())
    digest.update(Path(svg_charts.__file__).read_bytes())
    return digest.hexdigest()


def page_digest(page: Page, code: str) -> str:
    """What a page is drawn from: its section's text, rows and bars, and the code drawing it."""
    section = page.section
    digest = hashlib.sha256(code.encode())
    digest.update(repr((section.anchor, section.title, section.intro, section.empty,
                        tuple(section.table_head), page.first, page.last)).encode("utf-8"))
    digest.update(repr(section.table_rows).encode("utf-8"))
    # a bar's fields (Bar, RateBar: frozen dataclasses; their own repr is several times slower)
    digest.update(repr([(type(bar).__name__, *vars(bar).values()) for bar in section.bars])
                  .encode("utf-8"))
    return digest.hexdigest()


def render_page(page: Page) -> str:
    """One page of a split section: a link back, its part of the chart and of the table."""
    section = page.section
    parts = [
        *_head(f"{section.title}: {page.first} … {page.last}"),
        f'<p class="meta"><a href="../index.html#{section.anchor}">the report</a> · '
        f"{escape(section.title)}: {page.rows} rows, {escape(page.first)} … "
        f"{escape(page.last)}</p>",
        *_section_html(section, section.drawn() if section.chart is not None else None),
        "</body></html>",
    ]
    return "\n".join(parts) + "\n"


def _write(path: Path, text: str) -> None:
    partial = path.with_name(f".{path.name}.{os.getpid()}")
    partial.write_text(text, encoding="utf-8")
    os.replace(partial, path)


def write_pages(folder: Path, pages: Sequence[Page]) -> int:
    """Write the pages into ``folder``, except those drawn from the same as the file there
    (``PAGES_STAMP``: page → digest, size and modification time); remove pages no longer
    there. Returns the pages written."""
    try:
        stamp = json.loads((folder / PAGES_STAMP).read_text(encoding="utf-8"))
        if not isinstance(stamp, dict):
            stamp = {}
    except (OSError, ValueError):
        stamp = {}
    folder.mkdir(parents=True, exist_ok=True)
    (folder / PAGES_STAMP).unlink(missing_ok=True)  # rewritten below, when every page is
    code = _code_digest()
    kept: dict[str, list[Any]] = {}
    written = 0
    for page in pages:
        digest = page_digest(page, code)
        path = folder / page.name
        before = stamp.get(page.name)
        try:
            stat = path.stat()
            same = before == [digest, stat.st_size, stat.st_mtime_ns]
        except OSError:
            same = False
        if not same:
            _write(path, render_page(page))
            stat = path.stat()
            written += 1
        kept[page.name] = [digest, stat.st_size, stat.st_mtime_ns]
    for old in folder.glob("*.html"):
        if old.name not in kept:
            old.unlink(missing_ok=True)
    _write(folder / PAGES_STAMP, json.dumps(kept, indent=0, sort_keys=True) + "\n")
    return written


def build_sections(con: duckdb.DuckDBPyConnection) -> list[Section]:
    return [make(con) for make in SECTIONS]


def write_report(database: Path, target: Path, source: str | None = None) -> WrittenReport:
    """Write the report of ``database`` (opened read-only) to ``target``, replaced whole, and
    the pages of its large sections into ``report/`` beside it (:func:`split_pages`: only
    the pages whose rows changed are drawn again); ``source`` names the warehouse on the page
    (default: the file's name)."""
    with duckdb.connect(str(database), read_only=True) as con:
        sections = build_sections(con)
        documents, units, districts = con.execute(
            "select count(*), count(distinct unit_id), count(distinct district_code) "
            "from marts.dim_document"
        ).fetchone() or (0, 0, 0)
    built = dt.datetime.fromtimestamp(database.stat().st_mtime, dt.UTC).strftime(
        "%Y-%m-%d %H:%M UTC"
    )
    pages = {s.anchor: split for s in sections if (split := split_pages(s))}
    target.parent.mkdir(parents=True, exist_ok=True)
    folder = target.parent / PAGES
    drawn = 0
    if pages or folder.is_dir():
        drawn = write_pages(folder, [page for split in pages.values() for page in split])
    html = render(
        sections,
        source=source or database.name,
        built=built,
        counts=f"{documents} documents, {units} units, {districts} districts",
        pages=pages,
    )
    _write(target, html)
    return WrittenReport(
        path=target,
        charts=sum(1 for s in sections if s.svg or (s.chart is not None and s.bars)),
        bytes=len(html.encode("utf-8")),
        pages=sum(len(split) for split in pages.values()),
        drawn=drawn,
    )
