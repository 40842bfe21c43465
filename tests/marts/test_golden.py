"""Golden files: the marts compared, figure by figure, with the figures printed on the page.

``tests/golden/<source file stem>.csv`` holds, for every real document in the project
(``data/raw``, ``data/jiangsu``), the expected figures of its summary, function and economic
tables, read independently of the parser (see ``tests/golden/README.md``). This module builds a
warehouse over a temporary folder holding copies of those documents and looks every golden
figure up in ``marts.fct_table_figures``:

- **found**: a cell of the same document and table (same printed title, or label, or — when the
  title was lost — kind), the same code (or, for rows without a code, the same row label) and the
  same column header, with the same amount, unit and converted amount (万元 / 元);
- **wrong**: a cell at the same place (table, code or row label, column) with another amount or
  unit, or the golden row's label landed under another code;
- **missing**: nothing landed at that place;
- **extra** (per document, not per golden row): a landed figure of a golden table that no golden
  row has and that is not the landed side of a wrong verdict. The golden files hold every figure
  of their tables, so an extra figure was not printed as a figure there (a code landed as an
  amount, a figure under a column label the page does not print).

Narrative-only documents have golden rows of kind ``narrative``: their headline figures,
compared with ``marts.fct_narrative_figures`` (or ``landed_prose_figures``) at the same text line
or PDF page, qualifier 'amount': found with the same figure key (and 类 for class amounts),
amount and unit; wrong when that key carries another amount there or the amount another key.

For documents built into marts, every found function / economic figure is also followed into
``fct_expenditure_by_function`` / ``fct_expenditure_by_economic`` (same table, code and column)
and must carry the golden measure and amount (``test_found_figures_reach_the_mapped_facts``).

Rows with a code are matched by the code (their name is not compared: a wrapped or shortened
name is cosmetic); a row without a code by its label.

Normalisation (both sides alike, nothing else): Unicode NFKC (full-width brackets, colons and
digits become ASCII), every whitespace character removed, header levels split on '|' and
empty levels dropped before they are joined again; table titles also lose a leading ordinal
or label (五、 / 公开05表 / 表五 / 附件5), which is compared on its own. Amounts are compared as
decimals.

When the build over every document fails (a known grain-test failure on the Jiangsu documents,
issue 9), the comparison falls back, for the documents that could not be built, to the landed
CSVs of ``ingest.pipeline.ingest_folder`` (``landed_table_cells`` with ``landed_tables`` for
titles and ``landed_pages`` for pages, page-break repeats left out as the mart does): the
comparison code reads either source as the same ``Figure`` records. The per-document table
printed by ``test_golden_report`` says which source each document was compared with.

The bar is 0 wrong and >= 98 % found on every document. Documents below the bar today are
marked ``xfail(strict=True)`` with the share measured when the mark was set, so the test flips
(XPASS fails) when the parser improves and the mark must be removed.
"""

from __future__ import annotations

import csv
import re
import shutil
import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

import duckdb
import pytest
from warehouse_build import private_project, run_cli

from ingest.divisions import DivisionIndex
from ingest.pipeline import ingest_folder

ROOT = Path(__file__).resolve().parents[2]
GOLDEN = ROOT / "tests" / "golden"
DOCUMENT_DIRS = (ROOT / "data" / "raw", ROOT / "data" / "jiangsu")
FOUND_BAR = 0.98


# --- the documents and their golden files ------------------------------------------------------


def golden_documents() -> dict[str, Path]:
    """Golden file stem → the project's copy of the document."""
    documents = {
        path.stem: path
        for folder in DOCUMENT_DIRS
        for path in sorted(folder.iterdir())
        if path.suffix.lower() in (".txt", ".pdf")
    }
    stems = {path.stem for path in GOLDEN.glob("*.csv")}
    return {stem: documents[stem] for stem in sorted(stems) if stem in documents}


@dataclass(frozen=True)
class Golden:
    table: str
    label: str
    table_kind: str
    page: str
    line: str
    code: str
    row_label: str
    column: str
    measure: str
    fiscal_year: str
    amount: str
    unit: str


def read_golden(stem: str) -> list[Golden]:
    with (GOLDEN / f"{stem}.csv").open(encoding="utf-8", newline="") as handle:
        return [Golden(**row) for row in csv.DictReader(handle)]


# --- normalisation (documented in the module docstring and the README) ------------------------


def norm(text: str) -> str:
    return "".join(unicodedata.normalize("NFKC", text or "").split())


_ORDINAL = re.compile(r"^(?:[一二三四五六七八九十]+、|公开\d+表|表[一二三四五六七八九十]+|附件\d+)")


def norm_title(text: str) -> str:
    """A title without a leading ordinal or label (五、 / 公开05表 / 表五 / 附件5)."""
    return _ORDINAL.sub("", norm(text))


def norm_column(text: str) -> str:
    return "|".join(part for part in (norm(p) for p in (text or "").split("|")) if part)


def decimal(text: object) -> Decimal | None:
    try:
        return Decimal(str(text).replace(",", "")) if text not in (None, "") else None
    except InvalidOperation:
        return None


# --- what landed, from either source -----------------------------------------------------------


@dataclass(frozen=True)
class Figure:
    """One landed cell, as the mart (or the landed CSVs) has it."""

    source_file: str
    table_id: int
    table_title: str
    table_label: str
    table_kind: str
    page: int | None
    code: str
    row_label: str
    column_label: str
    amount: Decimal | None
    unit: str
    amount_wan: Decimal | None
    amount_yuan: Decimal | None
    line: int | None = None  # source line (narrative figures are placed by line or page)


NARRATIVE = "narrative"  # table_kind of golden rows and figures read from the prose


# The file a figure was printed in: a disclosure published as two files is one document whose
# text is the narrative file then the tables file (audit_ingest.line_offset); a figure belongs
# to the file with the largest offset below its line.
SOURCE_FILE_OF_LINE = """
    coalesce((
        select a.source_file from marts.audit_ingest as a
        where a.document_id = f.document_id and a.status <> 'duplicate'
            and a.line_offset < coalesce(f.source_line, 1)
        order by a.line_offset desc limit 1
    ), d.source_file)
"""


def figures_from_marts(warehouse: Path) -> list[Figure]:
    query = f"""
        select {SOURCE_FILE_OF_LINE}, f.table_id, coalesce(f.table_title, ''), coalesce(f.table_label, ''),
               f.table_kind, f.source_page, coalesce(f.code, ''), coalesce(f.row_label, ''),
               coalesce(f.column_label, ''), f.amount_value, f.unit, f.amount_wan, f.amount_yuan
        from marts.fct_table_figures as f
        inner join marts.dim_document as d on f.document_id = d.document_id
    """
    narrative = f"""
        select {SOURCE_FILE_OF_LINE}, f.source_page, f.source_line, f.figure_key, coalesce(f.subject, ''),
               f.qualifier, f.amount_value, f.unit, f.amount_wan, f.amount_yuan
        from marts.fct_narrative_figures as f
        inner join marts.dim_document as d on f.document_id = d.document_id
    """
    with duckdb.connect(str(warehouse), read_only=True) as con:
        rows = con.execute(query).fetchall()
        prose = con.execute(narrative).fetchall()
    return [
        Figure(
            r[0],
            -1,
            "",
            "",
            NARRATIVE,
            r[1],
            r[3],
            r[4],
            r[5],
            decimal(r[6]),
            r[7] or "",
            decimal(r[8]),
            decimal(r[9]),
            r[2],
        )
        for r in prose
    ] + [
        Figure(
            r[0],
            int(r[1]),
            r[2],
            r[3],
            r[4],
            r[5],
            r[6],
            r[7],
            r[8],
            decimal(r[9]),
            r[10] or "",
            decimal(r[11]),
            decimal(r[12]),
        )
        for r in rows
    ]


@dataclass(frozen=True)
class Fact:
    """One mapped figure of fct_expenditure_by_function / fct_expenditure_by_economic."""

    source_file: str
    table_id: int
    code: str
    column_label: str
    measure: str
    amount_wan: Decimal | None


def facts_from_marts(warehouse: Path) -> list[Fact]:
    query = """
        select {source}, f.table_id, f.{code}, coalesce(f.column_label, ''), f.measure,
               f.amount_wan
        from marts.{mart} as f
        inner join marts.dim_document as d on f.document_id = d.document_id
        where f.table_id is not null
    """
    rows = []
    with duckdb.connect(str(warehouse), read_only=True) as con:
        for mart, code in (("fct_expenditure_by_function", "function_code"),
                           ("fct_expenditure_by_economic", "economic_code")):  # fmt: skip
            rows += con.execute(
                query.format(mart=mart, code=code, source=SOURCE_FILE_OF_LINE)
            ).fetchall()
    return [Fact(r[0], int(r[1]), r[2] or "", r[3], r[4], decimal(r[5])) for r in rows]


FUNCTION_KINDS = ("general_budget_expenditure", "expenditure_summary", "fiscal_expenditure")
ECONOMIC_KINDS = ("general_budget_basic_expenditure", "fiscal_basic_expenditure")
# the kinds whose figures feed fct_expenditure_by_function / _economic (int_expenditure__table_cells):
# 财政拨款基本支出表 (fiscal_basic_expenditure) repeats 一般公共预算基本支出表's economic rows and
# fct_expenditure_by_economic has no fund source to tell them apart, so it is not followed
FACT_KINDS = (
    "general_budget_expenditure",
    "expenditure_summary",
    "fiscal_expenditure",
    "general_budget_basic_expenditure",
)
FACT_MEASURES = {"function": ("total", "basic", "project"),
                 "economic": ("total", "personnel", "public_operating")}  # fmt: skip


def mapping(verdicts: list[Verdict], facts: list[Fact]) -> dict[str, list[str]]:
    """Found function / economic figures followed into the mapped facts.

    ``mapped``: a fact of the same table, code and column with the golden measure and amount
    (万元); ``mis-mapped``: facts there, none with that measure and amount (described);
    ``unmapped``: no fact for the cell. Only found figures with a code whose golden measure is
    one the fact knows are followed.
    """
    by_cell: dict[tuple[str, int, str, str], list[Fact]] = defaultdict(list)
    for fact in facts:
        by_cell[
            (fact.source_file, fact.table_id, fact.code, norm_column(fact.column_label))
        ].append(fact)
    result: dict[str, list[str]] = {"mapped": [], "mis-mapped": [], "unmapped": []}
    for verdict in verdicts:
        g = verdict.golden
        family = ("function" if g.table_kind in FUNCTION_KINDS
                  else "economic" if g.table_kind in ECONOMIC_KINDS else "")  # fmt: skip
        if verdict.status != "found" or not g.code or not family or g.table_kind not in FACT_KINDS:
            continue
        if g.measure not in FACT_MEASURES[family]:
            continue
        figure = verdict.landed[0]
        key = (figure.source_file, figure.table_id, g.code, norm_column(figure.column_label))
        here = by_cell.get(key, [])
        want = Decimal(g.amount) if g.unit == "万元" else Decimal(g.amount) / 10000
        where = f"{g.label or g.table} | {g.code} {g.row_label} | {g.column}"
        if any(f.measure == g.measure and f.amount_wan == want for f in here):
            result["mapped"].append(where)
        elif here:
            got = ", ".join(f"{f.measure} {f.amount_wan}" for f in here)
            result["mis-mapped"].append(f"{where}: golden {g.measure} {want}, facts {got}")
        else:
            result["unmapped"].append(where)
    return result


def _csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _page_of(pages: list[tuple[int, int, int]], line: int) -> int | None:
    """The page whose (first line, last line) range holds ``line``; None for text documents."""
    return next((p for first, last, p in pages if first <= line <= last), None)


def _wan_and_yuan(amount: Decimal | None, unit: str) -> tuple[Decimal | None, Decimal | None]:
    """The amount in 万元 and in 元 (None for other units), as the staging models convert it."""
    if amount is not None and unit == "万元":
        return amount, amount * 10000
    if amount is not None and unit == "元":
        return amount / 10000, amount
    return None, None


def figures_from_landed(out: Path) -> list[Figure]:
    """The same records from the landed CSVs (no dbt): amounts converted as staging does."""
    source = {r["document_id"]: r["source_file"] for r in _csv(out / "landed_documents.csv")}
    tables = {(r["document_id"], r["table_id"]): r for r in _csv(out / "landed_tables.csv")}
    pages: dict[str, list[tuple[int, int, int]]] = defaultdict(list)
    for r in _csv(out / "landed_pages.csv"):
        pages[r["document_id"]].append(
            (int(r["first_line"]), int(r["last_line"]), int(r["page_number"]))
        )
    figures = []
    for fig in _csv(out / "landed_prose_figures.csv"):
        doc, line = fig["document_id"], int(fig["line_number"])
        page = _page_of(pages[doc], line)
        amount, unit = decimal(fig["amount"]), fig["unit"]
        wan, yuan = _wan_and_yuan(amount, unit)
        figures.append(
            Figure(source[doc], -1, "", "", NARRATIVE, page, fig["figure_key"], fig["subject"],
                   fig["qualifier"], amount, unit, wan, yuan, line)
        )  # fmt: skip
    for cell in _csv(out / "landed_table_cells.csv"):
        if cell["repeat_of_line"] not in ("", "0"):
            continue
        doc, line = cell["document_id"], int(cell["line_number"])
        table = tables[(doc, cell["table_id"])]
        page = _page_of(pages[doc], line)
        amount, unit = decimal(cell["amount"]), cell["unit"]
        wan, yuan = _wan_and_yuan(amount, unit)
        figures.append(
            Figure(
                source[doc],
                int(cell["table_id"]),
                table["title"],
                table["label"],
                table["table_kind"],
                page,
                cell["code"],
                cell["row_label"],
                cell["column_label"],
                amount,
                unit,
                wan,
                yuan,
            )
        )
    return figures


# --- the comparison ----------------------------------------------------------------------------


@dataclass
class Verdict:
    golden: Golden
    status: str  # found | wrong | missing
    landed: list[Figure] = field(default_factory=list)

    def describe(self) -> str:
        g = self.golden
        got = "; ".join(
            f"{f.code or '-'} {f.row_label} = {f.amount} {f.unit} "
            + (f"(line {f.line}, p{f.page})" if f.table_kind == NARRATIVE
               else f"(table {f.table_id}, p{f.page})")
            for f in self.landed
        )  # fmt: skip
        if g.table_kind == NARRATIVE:
            place = f"line {g.line}" if g.line else f"p{g.page}"
            return (
                f"narrative {place} | {g.measure} {g.row_label}: printed {g.amount} {g.unit}, "
                f"landed {got or 'nothing'}{self.why()}"
            )
        return (
            f"{g.label or g.table_kind} {g.table} | {g.code or '-'} {g.row_label} | {g.column}: "
            f"printed {g.amount} {g.unit}, landed {got or 'nothing'}{self.why()}"
        )

    def why(self) -> str:
        """What differs, for a wrong figure: code (other or none), amount, unit, conversion."""
        if self.status != "wrong":
            return ""
        g, reasons = self.golden, set()
        for f in self.landed:
            if g.table_kind == NARRATIVE:
                if f.code != g.measure:
                    reasons.add(f"figure key {f.code} for {g.measure}")
                else:
                    reasons.add("amount" if f.amount != Decimal(g.amount) else "unit or conversion")
            elif g.code and f.code != g.code:
                reasons.add("code not landed" if not f.code else f"code {f.code} for {g.code}")
            elif not g.code and f.code:
                reasons.add(f"code {f.code} on an uncoded row")
            elif f.amount != Decimal(g.amount):
                reasons.add("amount")
            elif f.unit != g.unit:
                reasons.add("unit")
            else:
                reasons.add("converted amount")
        return " [" + "; ".join(sorted(reasons)) + "]"


def _same_figure(golden: Golden, figure: Figure) -> bool:
    want = Decimal(golden.amount)
    if figure.amount != want or figure.unit != golden.unit:
        return False
    converted = figure.amount_wan if golden.unit == "万元" else figure.amount_yuan
    return converted is not None and abs(converted - want) < Decimal("0.00005")


def _tables_for(golden: Golden, figures: Iterable[Figure]) -> set[int]:
    """Landed tables of the document that are the golden row's table: same title; else same
    label; else (title lost) same kind."""
    figures = list(figures)
    title, label = norm_title(golden.table), norm(golden.label)
    by_title = {f.table_id for f in figures if title and norm_title(f.table_title) == title}
    if by_title:
        return by_title
    by_label = {f.table_id for f in figures if label and norm(f.table_label) == label}
    if by_label:
        return by_label
    return {f.table_id for f in figures if not f.table_title and f.table_kind == golden.table_kind}


def compare(golden: list[Golden], figures: list[Figure]) -> tuple[list[Verdict], list[Figure]]:
    """Classify every golden row of one document against that document's landed figures.

    Returns the verdicts and the **extra** figures: landed figures of the golden tables that
    match no golden row and are not the landed side of a wrong verdict. The golden files hold
    every figure printed in their tables, so an extra figure is something that is not printed
    as a figure there (a code landed as an amount, a header number, a figure landed twice).
    """
    prose_rows = [row for row in golden if row.table_kind == NARRATIVE]
    prose = [f for f in figures if f.table_kind == NARRATIVE]
    golden = [row for row in golden if row.table_kind != NARRATIVE]
    figures = [f for f in figures if f.table_kind != NARRATIVE]
    tables_cache: dict[tuple[str, str, str], set[int]] = {}
    by_place: dict[tuple[int, str], list[Figure]] = defaultdict(list)
    for figure in figures:
        by_place[(figure.table_id, norm_column(figure.column_label))].append(figure)
    verdicts = []
    used: set[int] = set()  # ids of landed figures already matched (duplicate row labels)
    for row in golden:
        key = (row.table, row.label, row.table_kind)
        if key not in tables_cache:
            tables_cache[key] = _tables_for(row, figures)
        column = norm_column(row.column)
        candidates = [
            f
            for t in sorted(tables_cache[key])
            for f in by_place.get((t, column), [])
            if id(f) not in used
        ]
        label = norm(row.row_label)
        if row.code:
            at_place = [f for f in candidates if f.code == row.code]
            misfiled = [f for f in candidates if f.code != row.code and norm(f.row_label) == label]
        else:
            at_place = [f for f in candidates if not f.code and norm(f.row_label) == label]
            misfiled = [f for f in candidates if f.code and norm(f.row_label) == label]
        match = next((f for f in at_place if _same_figure(row, f)), None)
        if match is not None:
            used.add(id(match))
            verdicts.append(Verdict(row, "found", [match]))
        elif at_place or misfiled:
            verdicts.append(Verdict(row, "wrong", at_place + misfiled))
        else:
            verdicts.append(Verdict(row, "missing"))
    in_wrong = {id(f) for v in verdicts if v.status == "wrong" for f in v.landed}
    tables = set().union(*tables_cache.values()) if tables_cache else set()
    extra = [
        f
        for f in figures
        if f.table_id in tables and f.amount is not None and id(f) not in used | in_wrong
    ]
    return compare_narrative(prose_rows, prose) + verdicts, extra


_CLASS_NOISE = re.compile(r"\(类\)|预算$")


def _same_subject(golden: Golden, figure: Figure) -> bool:
    """For 类 amounts the subject names the class: 一般公共服务（类）支出 = 一般公共服务支出."""
    if golden.measure != "class_expenditure":
        return True
    want = _CLASS_NOISE.sub("", norm(golden.row_label)).removesuffix("支出")
    got = _CLASS_NOISE.sub("", norm(figure.row_label)).removesuffix("支出")
    return bool(want and got) and (want in got or got in want)


def compare_narrative(golden: list[Golden], figures: list[Figure]) -> list[Verdict]:
    """Headline figures of the prose: at the same line (text) or page (PDF), qualifier 'amount'.

    found: same figure key (and 类 for class amounts), amount, unit and converted amount;
    wrong: at that place the key with another amount or unit, or the amount under another key;
    missing: neither.
    """
    verdicts = []
    used: set[int] = set()
    places: list[list[Figure]] = []
    for row in golden:
        if row.line:
            here = [f for f in figures if f.line == int(row.line)]
        else:
            here = [f for f in figures if f.page == int(row.page)]
        places.append([f for f in here if f.column_label == "amount"])
    for row, here in zip(golden, places, strict=True):
        match = next(
            (f for f in here if id(f) not in used and f.code == row.measure
             and _same_subject(row, f) and _same_figure(row, f)),
            None,
        )  # fmt: skip
        if match is not None:
            used.add(id(match))
        verdicts.append(Verdict(row, "found", [match]) if match else Verdict(row, "missing"))
    for verdict, here in zip(verdicts, places, strict=True):
        if verdict.status == "found":
            continue
        row = verdict.golden
        same_key = [f for f in here if id(f) not in used and f.code == row.measure
                    and _same_subject(row, f)]  # fmt: skip
        same_amount = [f for f in here if id(f) not in used and f.amount == Decimal(row.amount)
                       and f.unit == row.unit]  # fmt: skip
        if same_key or same_amount:
            verdict.status, verdict.landed = "wrong", same_key + same_amount
    return verdicts


# --- the build (once per module) ---------------------------------------------------------------


@dataclass(frozen=True)
class Comparison:
    verdicts: dict[str, list[Verdict]]  # stem → verdicts
    extra: dict[str, list[Figure]]  # stem → landed figures of golden tables no golden row has
    source: dict[str, str]  # stem → 'marts' | 'landed CSVs'
    build_note: str
    mapped: dict[str, dict[str, list[str]]]  # stem → mapping() of its found figures (marts only)


def _build(docs: Path, root: Path) -> Path | None:
    result = run_cli(
        "build", "--docs", docs, "--warehouse", root / "warehouse.duckdb",
        "--exports", root / "exports", "--reports", root / "reports",
        "--project", private_project(root),
    )  # fmt: skip
    print(f"\nbuild of {docs}: exit {result.returncode}\n{result.stdout[-1500:]}")
    return root / "warehouse.duckdb" if result.returncode == 0 else None


E2E = pytest.mark.e2e


@pytest.fixture(scope="module")
def comparison(tmp_path_factory: pytest.TempPathFactory) -> Comparison:
    documents = golden_documents()
    root = tmp_path_factory.mktemp("golden")
    docs = root / "docs"
    docs.mkdir()
    for path in documents.values():
        shutil.copy2(path, docs / path.name)
    stem_of = {path.name: stem for stem, path in documents.items()}

    figures: dict[str, list[Figure]] = defaultdict(list)
    source: dict[str, str] = {}
    warehouse = _build(docs, root / "all")
    note = "build over every golden document"
    if warehouse is None:
        # issue 9: the build can fail on the Jiangsu documents; compare those with the landed
        # CSVs and build the others (data/raw) on their own.
        note = "build over every document failed; data/raw built alone, the rest from landed CSVs"
        out = root / "landed"
        ingest_folder(docs, out, DivisionIndex.load())
        for figure in figures_from_landed(out):
            if figure.source_file in stem_of:
                figures[stem_of[figure.source_file]].append(figure)
        source = dict.fromkeys(documents, "landed CSVs")
        subset = root / "docs-raw"
        subset.mkdir()
        for path in documents.values():
            if path.parent.name == "raw":
                shutil.copy2(path, subset / path.name)
        warehouse = _build(subset, root / "raw")
        if warehouse is None:
            note = "every build failed; every document compared with the landed CSVs"
        else:
            marts = [f for f in figures_from_marts(warehouse) if f.source_file in stem_of]
            for path in subset.iterdir():  # every built document, with or without figures
                stem = stem_of[path.name]
                figures[stem] = [f for f in marts if f.source_file == path.name]
                source[stem] = "marts"
    else:
        for figure in figures_from_marts(warehouse):
            if figure.source_file in stem_of:
                figures[stem_of[figure.source_file]].append(figure)
        source = dict.fromkeys(documents, "marts")
    compared = {stem: compare(read_golden(stem), figures.get(stem, [])) for stem in documents}
    verdicts = {stem: result[0] for stem, result in compared.items()}
    extra = {stem: result[1] for stem, result in compared.items()}
    facts = facts_from_marts(warehouse) if warehouse is not None else []
    mapped = {
        stem: mapping(verdicts[stem], facts) for stem in documents if source.get(stem) == "marts"
    }
    return Comparison(verdicts, extra, source, note, mapped)


def counts(verdicts: list[Verdict]) -> dict[str, int]:
    tally = {"found": 0, "wrong": 0, "missing": 0}
    for verdict in verdicts:
        tally[verdict.status] += 1
    return tally


def share_found(verdicts: list[Verdict]) -> float:
    return counts(verdicts)["found"] / len(verdicts) if verdicts else 1.0


# --- expectations today (measured; remove a mark when its test XPASSes) -------------------------

# stem → reason; the share is the one measured when the mark was set.
BELOW_BAR: dict[str, str] = {}
WITH_WRONG: dict[str, str] = {}
WITH_EXTRA: dict[str, str] = {}


def describe_extra(f: Figure) -> str:
    return (
        f"table {f.table_id} {f.table_title} | {f.code or '-'} {f.row_label} | {f.column_label}"
        f" = {f.amount} {f.unit} (p{f.page})"
    )


def _params(marks: dict[str, str]) -> list[object]:
    return [
        pytest.param(stem, marks=pytest.mark.xfail(strict=True, reason=marks[stem]))
        if stem in marks
        else stem
        for stem in golden_documents()
    ]


def test_every_document_has_a_golden_file() -> None:
    documents = {
        path.stem
        for folder in DOCUMENT_DIRS
        for path in folder.iterdir()
        if path.suffix.lower() in (".txt", ".pdf")
    }
    assert documents == set(golden_documents()), sorted(documents ^ set(golden_documents()))


@E2E
def test_golden_report(comparison: Comparison) -> None:
    """Print the per-document table (run with -s to see it); every golden row was classified."""
    lines = [f"golden comparison ({comparison.build_note})",
             f"{'document':<48} {'source':<12} {'rows':>5} {'found':>6} {'wrong':>6} "
             f"{'missing':>8} {'share':>7} {'extra':>6}"]  # fmt: skip
    for stem, verdicts in comparison.verdicts.items():
        c = counts(verdicts)
        lines.append(
            f"{stem:<48} {comparison.source.get(stem, '?'):<12} {len(verdicts):>5} "
            f"{c['found']:>6} {c['wrong']:>6} {c['missing']:>8} {share_found(verdicts):>7.1%} "
            f"{len(comparison.extra[stem]):>6}"
        )
    for stem, verdicts in comparison.verdicts.items():
        for verdict in verdicts:
            if verdict.status == "wrong":
                lines.append(f"WRONG {stem}: {verdict.describe()}")
        for figure in comparison.extra[stem]:
            lines.append(f"EXTRA {stem}: {describe_extra(figure)}")
    lines.append("found function/economic figures followed into the mapped facts:")
    for stem, result in comparison.mapped.items():
        lines.append(
            f"{stem:<48} mapped {len(result['mapped']):>4}  mis-mapped "
            f"{len(result['mis-mapped']):>4}  unmapped {len(result['unmapped']):>4}"
        )
        lines.extend(f"MIS-MAPPED {stem}: {line}" for line in result["mis-mapped"])
        lines.extend(f"UNMAPPED {stem}: {line}" for line in result["unmapped"][:10])
    print("\n" + "\n".join(lines))
    assert all(len(v) == len(read_golden(s)) for s, v in comparison.verdicts.items())


@E2E
@pytest.mark.parametrize("stem", _params(WITH_WRONG))
def test_no_wrong_figure(comparison: Comparison, stem: str) -> None:
    wrong = [v.describe() for v in comparison.verdicts[stem] if v.status == "wrong"]
    assert not wrong, f"{stem}: {len(wrong)} wrong figure(s):\n" + "\n".join(wrong[:40])


@E2E
@pytest.mark.parametrize("stem", _params(BELOW_BAR))
def test_found_share(comparison: Comparison, stem: str) -> None:
    verdicts = comparison.verdicts[stem]
    missing = [v.describe() for v in verdicts if v.status == "missing"]
    assert share_found(verdicts) >= FOUND_BAR, (
        f"{stem}: {share_found(verdicts):.1%} found ({counts(verdicts)}), first missing:\n"
        + "\n".join(missing[:20])
    )


@E2E
@pytest.mark.parametrize("stem", _params(WITH_EXTRA))
def test_no_extra_figure(comparison: Comparison, stem: str) -> None:
    """Every landed figure of a golden table is a printed figure (nothing else lands as one)."""
    extra = [describe_extra(f) for f in comparison.extra[stem]]
    assert not extra, f"{stem}: {len(extra)} extra figure(s):\n" + "\n".join(extra[:40])


@E2E
@pytest.mark.parametrize("stem", list(golden_documents()))
def test_found_figures_reach_the_mapped_facts(comparison: Comparison, stem: str) -> None:
    """Every found function / economic figure is in fct_expenditure_by_function /
    fct_expenditure_by_economic with the golden measure and amount (documents built into marts)."""
    if stem not in comparison.mapped:
        pytest.skip(f"{stem}: compared with the landed CSVs (no marts built for it)")
    result = comparison.mapped[stem]
    problems = result["mis-mapped"] + [f"unmapped: {line}" for line in result["unmapped"]]
    assert not problems, f"{stem}: {len(problems)} figure(s):\n" + "\n".join(problems[:40])


# --- the comparison itself, on made-up figures (no build) --------------------------------------


def _golden(**values: str) -> Golden:
    base = dict(table="一般公共预算支出表", label="表二", table_kind="general_budget_expenditure",
                page="3", line="", code="2010301", row_label="行政运行",
                column="2023 年预算数 | 基本支出", measure="basic", fiscal_year="2023",
                amount="703.03", unit="万元")  # fmt: skip
    return Golden(**{**base, **values})


def _figure(**values: object) -> Figure:
    base = dict(source_file="x.txt", table_id=2, table_title="一般公共预算支出表",
                table_label="表二", table_kind="general_budget_expenditure", page=3,
                code="2010301", row_label="行政运行", column_label="2023年预算数 | 基本支出",
                amount=Decimal("703.03"), unit="万元", amount_wan=Decimal("703.03"),
                amount_yuan=Decimal("7030300"))  # fmt: skip
    return Figure(**{**base, **values})  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("landed", "status"),
    [
        ({}, "found"),
        ({"column_label": "2023年预算数|基本支出 ", "table_title": "一般公共预算支出表 "}, "found"),
        ({"row_label": "行政运行（机关）", "column_label": "２０２３年预算数 | 基本支出"}, "found"),
        ({"amount": Decimal("703.30"), "amount_wan": Decimal("703.30")}, "wrong"),
        ({"unit": "元"}, "wrong"),
        ({"amount_wan": Decimal("0.070303")}, "wrong"),  # converted as if 元
        ({"code": ""}, "wrong"),  # the row's code not landed
        ({"code": "2010302"}, "wrong"),  # the row's name under another code
        ({"code": "2010302", "row_label": "一般行政管理事务"}, "missing"),  # another row only
        ({"column_label": "2023年预算数 | 项目支出"}, "missing"),  # misplaced column
        ({"table_title": "支出总表", "table_label": "表八"}, "missing"),  # another table
    ],
)
def test_compare_is_strict_about_place_and_figure(landed: dict, status: str) -> None:
    verdicts, _ = compare([_golden()], [_figure(**landed)])
    assert verdicts[0].status == status, verdicts[0].describe()


def test_compare_reports_extra_figures() -> None:
    """A code landed as an amount in a golden table is an extra figure."""
    code_as_amount = _figure(code="", row_label="", column_label="column 1",
                             amount=Decimal("2010301"))  # fmt: skip
    verdicts, extra = compare([_golden()], [_figure(), code_as_amount])
    assert [v.status for v in verdicts] == ["found"]
    assert extra == [code_as_amount]


def _prose(**values: object) -> Figure:
    base = dict(source_file="x.txt", table_id=-1, table_title="", table_label="",
                table_kind=NARRATIVE, page=None, code="basic_expenditure", row_label="基本支出",
                column_label="amount", amount=Decimal("393.53"), unit="万元",
                amount_wan=Decimal("393.53"), amount_yuan=Decimal("3935300"), line=113)  # fmt: skip
    return Figure(**{**base, **values})  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("landed", "status"),
    [
        ({}, "found"),
        ({"amount": Decimal("393.35"), "amount_wan": Decimal("393.35")}, "wrong"),
        ({"code": "project_expenditure"}, "wrong"),  # the amount under another key
        ({"line": 117}, "missing"),  # stated elsewhere: not this figure
        ({"column_label": "change"}, "missing"),  # a change is not the amount
    ],
)
def test_compare_narrative_headlines(landed: dict, status: str) -> None:
    golden = _golden(table="", label="", table_kind=NARRATIVE, page="", line="113", code="",
                     row_label="基本支出", column="amount", measure="basic_expenditure",
                     amount="393.53")  # fmt: skip
    verdicts, _ = compare([golden], [_prose(**landed)])
    assert verdicts[0].status == status, verdicts[0].describe()


def test_class_amounts_compare_the_class() -> None:
    golden = _golden(table="", label="", table_kind=NARRATIVE, page="8", line="", code="",
                     row_label="社会保障和就业（类）支出", column="amount",
                     measure="class_expenditure", amount="1509.72")  # fmt: skip
    landed = dict(code="class_expenditure", page=8, line=None)

    def status(row_label: str, amount: str) -> str:
        figure = _prose(row_label=row_label, amount=Decimal(amount), amount_wan=Decimal(amount),
                        **landed)  # fmt: skip
        return compare([golden], [figure])[0][0].status

    assert status("社会保障和就业支出", "1509.72") == "found"
    assert status("住房保障支出", "1509.72") == "wrong"  # this amount given to another class
    assert status("住房保障支出", "1093.52") == "missing"  # another class's own figure


def test_mapping_catches_a_wrong_measure() -> None:
    found = Verdict(_golden(), "found", [_figure()])
    right = Fact("x.txt", 2, "2010301", "2023年预算数 | 基本支出", "basic", Decimal("703.03"))
    assert mapping([found], [right])["mapped"]
    wrong = Fact("x.txt", 2, "2010301", "2023年预算数 | 基本支出", "total", Decimal("703.03"))
    assert mapping([found], [wrong])["mis-mapped"]
    assert mapping([found], [])["unmapped"]
