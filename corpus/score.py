"""Score a warehouse (or the landed CSVs) against a generated batch's truth.

A truth figure is *found* when the marts hold it for the same document, mart, code, measure,
fund source and year with the same amount (Decimal equality, in 万元); *wrong* when they hold
another amount for that key; *missing* when they hold nothing for it. A figure the marts hold
for a key the truth does not have, in a mart the truth covers for that document, is *wrong*
too (an *extra*): it was read from something that is not that figure. Counts are given
overall, per mart and per family (``layout=text`` …: the variant each document drew).

Sources of observed figures:
- a built warehouse (DuckDB): ``marts.fct_expenditure_by_function``,
  ``marts.fct_expenditure_by_economic``, ``marts.fct_budget_summary``, ``marts.dim_document``;
- the landed CSVs (``seeds/landed`` of an ingest run), mapped with the same rules as the
  marts' SQL (column label → measure, table kind → fund source, 元 → 万元, narrative first).
"""

from __future__ import annotations

import csv
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

from corpus.batch import TRUTH_DIR
from corpus.variants import DIMENSIONS

SUMMARY_COLUMNS = (
    "total_income_wan", "total_expenditure_wan", "general_public_budget_wan",
    "government_fund_wan", "basic_expenditure_wan", "project_expenditure_wan",
    "personnel_expenditure_wan", "public_operating_expenditure_wan", "three_public_total_wan",
    "operating_funds_wan", "procurement_total_wan",
)
Key = tuple[str, str, str, str, str, int]  # file, mart, code, measure, fund_source, fiscal_year


@dataclass
class Counts:
    found: int = 0
    wrong: int = 0  # another amount for a truth key
    extra: int = 0  # a figure for a key the truth does not have (counted as wrong)
    missing: int = 0

    @property
    def expected(self) -> int:
        return self.found + self.wrong + self.missing

    @property
    def wrong_total(self) -> int:
        return self.wrong + self.extra

    @property
    def found_pct(self) -> float:
        return 100.0 * self.found / self.expected if self.expected else 100.0

    def add(self, outcome: str) -> None:
        setattr(self, outcome, getattr(self, outcome) + 1)


@dataclass(frozen=True)
class Finding:
    """One wrong (or extra) figure, with what the truth says and what landed."""

    file: str
    key: str  # mart/code/measure/fund/year
    expected: str  # truth amount (万元) and as printed; '' for an extra
    observed: str  # what the marts hold (万元)
    families: str


@dataclass
class Score:
    overall: Counts
    by_mart: dict[str, Counts]
    by_family: dict[str, Counts]
    by_slice: dict[str, Counts]  # isolation batches: per family tested alone
    findings: list[Finding]
    documents_expected: int
    documents_landed: int  # truth documents that appear in dim_document
    identity_mismatches: dict[str, int]  # field → documents whose landed value differs
    identity_by_family: dict[str, dict[str, int]]  # slice (or family) → field → documents
    contested_skipped: int = 0
    faulty_skipped: int = 0
    examples: dict[str, list[str]] = field(default_factory=dict)

    def family(self, name: str) -> Counts:
        return self.by_family.get(name, Counts())


# --- truth ---------------------------------------------------------------------------------


def _read_csv(path: Path) -> list[dict[str, str]]:
    if not path.is_file():
        raise FileNotFoundError(f"{path}: no truth file; run `python -m corpus generate` first")
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _decimal(text: str | None) -> Decimal | None:
    if text is None or text == "":
        return None
    try:
        return Decimal(str(text))
    except InvalidOperation:
        return None


# --- observed: warehouse -------------------------------------------------------------------


@dataclass
class Observed:
    documents: dict[str, dict[str, str]]  # source_file → identity fields
    figures: dict[Key, list[Decimal]]


def observed_from_warehouse(path: Path) -> Observed:
    import duckdb

    con = duckdb.connect(str(path), read_only=True)
    try:
        docs = {}
        by_id = {}
        for row in con.execute(
            "select document_id, source_file, unit_name, fiscal_year, doc_kind, scope, "
            "coalesce(district_code, '') from marts.dim_document"
        ).fetchall():
            file = Path(row[1]).name
            by_id[row[0]] = file
            docs[file] = {"unit_name": row[2], "fiscal_year": str(row[3]), "doc_kind": row[4],
                          "scope": row[5], "division_code": row[6]}
        figures: dict[Key, list[Decimal]] = defaultdict(list)
        for doc, year, code, measure, fund, amount in con.execute(
            "select document_id, fiscal_year, function_code, measure, fund_source, amount_wan "
            "from marts.fct_expenditure_by_function"
        ).fetchall():
            figures[(by_id.get(doc, doc), "function", code, measure, fund, int(year))].append(
                Decimal(str(amount)))
        for doc, year, code, measure, amount in con.execute(
            "select document_id, fiscal_year, economic_code, measure, amount_wan "
            "from marts.fct_expenditure_by_economic"
        ).fetchall():
            figures[(by_id.get(doc, doc), "economic", code, measure, "", int(year))].append(
                Decimal(str(amount)))
        columns = ", ".join(SUMMARY_COLUMNS)
        for row in con.execute(
            f"select document_id, fiscal_year, {columns} from marts.fct_budget_summary"
        ).fetchall():
            for column, amount in zip(SUMMARY_COLUMNS, row[2:], strict=True):
                if amount is not None:
                    figures[(by_id.get(row[0], row[0]), "summary", "", column, "",
                             int(row[1]))].append(Decimal(str(amount)))
    finally:
        con.close()
    return Observed(docs, dict(figures))


# --- observed: landed CSVs (the marts' rules, in Python) -----------------------------------

_FUNCTION_KINDS = {
    "general_budget_expenditure": "general_public_budget",
    "expenditure_summary": "all",
    "government_fund_expenditure": "government_fund",
    "state_capital_expenditure": "state_capital",
}
_YEAR = re.compile(r"((?:19|20)\d{2})")
_CODE = re.compile(r"^\d{3}(?:\d{2}){0,2}$")
_PROSE_KEYS = {
    "total_income_wan": ("total_income",),
    "total_expenditure_wan": ("total_expenditure",),
    "general_public_budget_wan": ("general_public_budget_expenditure",
                                  "general_public_budget_income"),
    "government_fund_wan": ("government_fund_expenditure",),
    "basic_expenditure_wan": ("basic_expenditure",),
    "project_expenditure_wan": ("project_expenditure",),
    "personnel_expenditure_wan": ("personnel_expenditure",),
    "public_operating_expenditure_wan": ("public_operating_expenditure",),
    "three_public_total_wan": ("three_public_total",),
    "operating_funds_wan": ("operating_funds",),
    "procurement_total_wan": ("procurement_total",),
}


def _function_measure(label: str) -> str | None:
    if "结转" in label or "结余" in label:
        return None
    if "基本支出" in label:
        return "basic"
    if "项目支出" in label:
        return "project"
    if "预留机动" in label:  # 单位预留机动经费 (the marts' int_column_label_rules: reserve)
        return "reserve"
    if any(w in label for w in ("总计", "合计", "小计", "预算数", "决算数")):
        return "total"
    return None


def _economic_measure(label: str) -> str | None:
    if "结转" in label or "结余" in label:
        return None
    if "人员经费" in label:
        return "personnel"
    if "公用经费" in label:
        return "public_operating"
    if any(w in label for w in ("总计", "合计", "小计", "基本支出", "预算数", "决算数")):
        return "total"
    return None


def _to_wan(amount: str, unit: str) -> Decimal | None:
    value = _decimal(amount)
    if value is None:
        return None
    if unit == "元":
        return value / Decimal(10000)
    if unit == "万元":
        return value
    return None


def observed_from_landed(landed: Path) -> Observed:
    documents = {r["document_id"]: r for r in _read_csv(landed / "landed_documents.csv")}
    by_id = {d: Path(r["source_file"]).name for d, r in documents.items()}
    docs = {
        Path(r["source_file"]).name: {
            "unit_name": r["unit_name"], "fiscal_year": r["fiscal_year"],
            "doc_kind": r["doc_kind"], "scope": r["scope"], "division_code": r["district_code"],
        }
        for r in documents.values()
    }
    kinds = {(r["document_id"], r["table_id"]): r["table_kind"]
             for r in _read_csv(landed / "landed_tables.csv")}
    figures: dict[Key, list[Decimal]] = {}
    totals: dict[tuple[str, str, str, str], Decimal] = {}  # (doc, source, kind?, measure)
    ranked: list[tuple] = []
    for cell in _read_csv(landed / "landed_table_cells.csv"):
        doc = cell["document_id"]
        kind = kinds.get((doc, cell["table_id"]), "")
        if kind not in _FUNCTION_KINDS and kind != "general_budget_basic_expenditure":
            continue
        if cell["repeat_of_line"] not in ("", "0"):
            continue
        amount = _to_wan(cell["amount"], cell["unit"])
        if amount is None or doc not in documents:
            continue
        label = cell["column_label"]
        doc_year = int(documents[doc]["fiscal_year"])
        if documents[doc]["doc_kind"] == "final_accounts" and "预算" in label \
                and "决算" not in label:
            continue
        economic = kind == "general_budget_basic_expenditure"
        measure = _economic_measure(label) if economic else _function_measure(label)
        if measure is None:
            continue
        year_match = _YEAR.search(label)
        year = int(year_match.group(1)) if year_match else (doc_year - 1 if "上年" in label
                                                           else doc_year)
        code = cell["code"]
        order = (int(cell["table_id"]), int(cell["line_number"]), int(cell["column_number"]))
        if _CODE.match(code):
            mart = "economic" if economic else "function"
            fund = "" if economic else _FUNCTION_KINDS[kind]
            ranked.append((order, (by_id[doc], mart, code, measure, fund, year), amount))
        elif not code and any(w in cell["row_label"] for w in ("合计", "总计")) \
                and year == doc_year:
            source = "economic" if economic else kind
            rank = (0 if kind == "expenditure_summary" else 1, *order)
            ranked.append((rank, ("total", doc, source, measure), amount))
    for _, key, amount in sorted(ranked, key=lambda r: r[0]):
        if key[0] == "total":
            totals.setdefault(key[1:], amount)  # type: ignore[arg-type]
            if key[2] in ("expenditure_summary", "general_budget_expenditure"):
                totals.setdefault((key[1], "function", key[3]), amount)
        elif key not in figures:  # the first table in document order wins
            figures[key] = [amount]  # type: ignore[index]
    prose: dict[tuple[str, str], tuple[tuple[int, int], Decimal]] = {}
    for figure in _read_csv(landed / "landed_prose_figures.csv"):
        if figure["qualifier"] != "amount":
            continue
        amount = _to_wan(figure["amount"], figure["unit"])
        if amount is None:
            continue
        rank = ({"all": 0, "general_public_budget": 1}.get(figure["fund_source"], 2),
                int(figure["line_number"]))
        key = (figure["document_id"], figure["figure_key"])
        if key not in prose or rank < prose[key][0]:
            prose[key] = (rank, amount)
    fallback = {
        "total_expenditure_wan": ("function", "total"),
        "general_public_budget_wan": ("general_budget_expenditure", "total"),
        "basic_expenditure_wan": ("function", "basic"),
        "project_expenditure_wan": ("function", "project"),
        "personnel_expenditure_wan": ("economic", "personnel"),
        "public_operating_expenditure_wan": ("economic", "public_operating"),
    }
    for doc, row in documents.items():
        year = int(row["fiscal_year"])
        for column, keys in _PROSE_KEYS.items():
            value = next((prose[(doc, k)][1] for k in keys if (doc, k) in prose), None)
            if value is None and column in fallback:
                source, measure = fallback[column]
                value = totals.get((doc, source, measure))
            if value is not None:
                figures[(by_id[doc], "summary", "", column, "", year)] = [value]
    return Observed(docs, figures)


# --- comparison ----------------------------------------------------------------------------


def _families(row: dict[str, str]) -> list[str]:
    out = [f"{d}={row[d]}" for d in DIMENSIONS if row.get(d)]
    out.append(f"faults={row['faults'] or 'none'}")
    return out


def score(truth_dir: Path, observed: Observed, include_faulty: bool = False,
          max_findings: int = 200) -> Score:
    truth = truth_dir / TRUTH_DIR if (truth_dir / TRUTH_DIR).is_dir() else truth_dir
    documents = _read_csv(truth / "documents.csv")
    figures = _read_csv(truth / "figures.csv")
    doc_rows = {d["file"]: d for d in documents}
    main_of = {d["file"]: (d["part_of"] or d["file"]) for d in documents}
    overall = Counts()
    by_mart: dict[str, Counts] = defaultdict(Counts)
    by_family: dict[str, Counts] = defaultdict(Counts)
    by_slice: dict[str, Counts] = defaultdict(Counts)
    findings: list[Finding] = []
    faulty_skipped = contested_skipped = 0
    expected: dict[Key, list[Decimal]] = defaultdict(list)
    contested: set[Key] = set()
    for figure in figures:
        doc = doc_rows[main_of.get(figure["file"], figure["file"])]
        if doc["faults"] and not include_faulty:
            faulty_skipped += 1
            continue
        key: Key = (figure["file"], figure["mart"], figure["code"], figure["measure"],
                    figure["fund_source"], int(figure["fiscal_year"]))
        expected[key].append(Decimal(figure["amount_wan"]))
        if figure["contested"] == "1":
            contested.add(key)

    def record(file: str, mart: str, outcome: str) -> None:
        row = doc_rows[main_of.get(file, file)]
        overall.add(outcome)
        by_mart[mart].add(outcome)
        for family in _families(row):
            by_family[family].add(outcome)
        if row.get("slice"):
            by_slice[row["slice"]].add(outcome)

    def families_text(file: str) -> str:
        row = doc_rows[main_of.get(file, file)]
        return " ".join(([f"slice={row['slice']}"] if row.get("slice") else []) + _families(row))

    for key, amounts in expected.items():
        seen = observed.figures.get(key)
        file, mart = key[0], key[1]
        if key in contested:
            contested_skipped += 1
            continue
        if not seen:
            record(file, mart, "missing")
        elif any(a == s for a in amounts for s in seen):
            record(file, mart, "found")
        else:
            record(file, mart, "wrong")
            if len(findings) < max_findings:
                findings.append(Finding(file, "/".join(map(str, key[1:])),
                                        ", ".join(map(str, amounts)),
                                        ", ".join(map(str, seen)), families_text(file)))
    covered = {(k[0], k[1]) for k in expected}
    truth_files = {d["file"] for d in documents}
    for key, seen in observed.figures.items():
        if key in expected or (key[0], key[1]) not in covered or key[0] not in truth_files:
            continue
        record(key[0], key[1], "extra")
        if len(findings) < max_findings:
            findings.append(Finding(key[0], "/".join(map(str, key[1:])), "",
                                    ", ".join(map(str, seen)), families_text(key[0])))
    landed = 0
    mismatches: dict[str, int] = defaultdict(int)
    identity: dict[str, dict[str, int]] = defaultdict(dict)
    scored_docs = [d for d in documents if include_faulty or not d["faults"]]
    for doc in scored_docs:
        seen_doc = observed.documents.get(doc["file"])
        if seen_doc is None:
            for family in [doc["slice"]] if doc.get("slice") else _families(doc):
                identity[family]["not_landed"] = identity[family].get("not_landed", 0) + 1
            continue
        landed += 1
        for name in ("unit_name", "fiscal_year", "doc_kind", "scope", "division_code"):
            if str(seen_doc.get(name, "")) != doc[name]:
                mismatches[name] += 1
                for family in [doc["slice"]] if doc.get("slice") else _families(doc):
                    identity[family][name] = identity[family].get(name, 0) + 1
    return Score(
        overall=overall, by_mart=dict(by_mart), by_family=dict(by_family),
        by_slice=dict(by_slice), findings=findings,
        documents_expected=len(scored_docs), documents_landed=landed,
        identity_mismatches=dict(mismatches), identity_by_family=dict(identity),
        contested_skipped=contested_skipped,
        faulty_skipped=faulty_skipped,
    )


def format_score(result: Score, families: Iterable[str] | None = None) -> str:
    def line(name: str, c: Counts) -> str:
        return (f"{name:<34} {c.expected:>8} {c.found:>8} {c.wrong:>6} {c.extra:>6} "
                f"{c.missing:>8} {c.found_pct:>7.2f}%")

    out = [f"{'':<34} {'expected':>8} {'found':>8} {'wrong':>6} {'extra':>6} {'missing':>8} "
           f"{'found':>8}", line("overall", result.overall)]
    for mart, counts in sorted(result.by_mart.items()):
        out.append(line(f"mart {mart}", counts))
    out.append("")
    if result.by_slice:
        out.append("families tested alone (isolation batch):")
        for name, counts in result.by_slice.items():
            out.append(line(name, counts))
    else:
        names = sorted(result.by_family) if families is None else list(families)
        for name in names:
            out.append(line(name, result.family(name)))
    out.append("")
    out.append(f"documents: {result.documents_landed} of {result.documents_expected} landed; "
               f"identity mismatches: {dict(result.identity_mismatches) or 'none'}")
    for family, fields_ in sorted(result.identity_by_family.items()):
        if result.by_slice:
            out.append(f"  identity differs in {family}: {fields_}")
    if result.faulty_skipped:
        out.append(f"{result.faulty_skipped} figures of faulty documents not scored "
                   "(--include-faulty to score them)")
    if result.findings:
        out.append("")
        out.append("wrong figures (first ones):")
        for finding in result.findings[:20]:
            out.append(f"  {finding.file} {finding.key}: expected {finding.expected or '-'} "
                       f"observed {finding.observed}  [{finding.families}]")
    return "\n".join(out)
