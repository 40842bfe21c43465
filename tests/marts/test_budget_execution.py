"""Budget against actuals: the unit identity (``dim_unit``), the per-code prose statements of
final accounts, and ``mart_budget_execution`` on the real documents and on the generated corpus.

- ``ingest.unit_names.match_name``: the forms one unit's name is printed in compare equal;
  another division or another unit does not.
- ``ingest.prose``: the family of per-code statements in final accounts (the path on the
  statement's line, wrapped after a short heading line, in a heading sentence of its own, or
  a printed code), and 全年预算 as the adjusted budget.
- The real documents (``data/raw`` and ``data/jiangsu`` built together): the Jiangsu court and
  the 政协 office are one unit each over 2017–2019 and the Chongqing unit one over its 2021
  final accounts and 2023 budget; the mart's budget / actual per code equal
  ``tests/golden/budget_execution/real_documents.csv`` (read from the documents' text and checked against it).
- The corpus: final accounts whose tables print a 年初预算数 column; the mart's budget and
  actual per code equal ``_truth/budget_execution.csv``, and dim_unit groups the documents as
  the truth's (division, unit name) does.
"""

from __future__ import annotations

import csv
import shutil
from collections import defaultdict
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest
from warehouse_build import run_cli

from corpus import generate_batch
from corpus.batch import BASELINE
from ingest.prose import parse_prose
from ingest.unit_names import match_name

ROOT = Path(__file__).resolve().parents[2]
GOLDEN = ROOT / "tests" / "golden" / "budget_execution" / "real_documents.csv"


# --- the identity rule ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("printed", "other"),
    [
        ("某省高级人民法院", "某省高级人民法院（本级）"),  # (本级), full-width brackets
        ("某省高级人民法院", "某省高级人民法院(本级)"),
        ("某省高级人民法院", "某省高级人民法院本级"),
        ("某省高级人民法院", "某省高級人民法院"),  # traditional characters
        ("某省高级人民法院", "某省 高级人民 法院"),  # spaces of a PDF's text layer
        ("某区政府办公室（外事办公室）", "某区政府办公室【外事办公室】"),  # bracket forms
        ("某区政府办公室(外事办公室)", "某区政府办公室〔外事办公室〕"),
        ("某区ＩＴ中心", "某区IT中心"),  # full-width letters
    ],
)
def test_forms_of_one_name_compare_equal(printed: str, other: str) -> None:
    assert match_name(printed) == match_name(other)


@pytest.mark.parametrize(
    ("one", "another"),
    [
        ("某省高级人民法院", "某省人民检察院"),
        ("某区财政局", "某区财政局机关服务中心"),
        ("某区政府办公室", "某区政府办公室（外事办公室）"),  # a bracket's words stay
    ],
)
def test_other_units_do_not(one: str, another: str) -> None:
    assert match_name(one) != match_name(another)


# --- per-code statements in final accounts --------------------------------------------------


def _figures(text: str, kind: str = "final_accounts") -> list[tuple[str, str, str, str]]:
    lines = text.strip("\n").split("\n")
    result = parse_prose("d", lines, list(range(1, len(lines) + 1)), kind)
    return [(f.figure_key, f.qualifier, f.subject, f.amount) for f in result.figures]


PATH = "一般公共服务支出（类）财政事务（款）行政运行（项）"


def test_a_statement_on_the_line_of_its_path() -> None:
    figures = _figures(
        "（三）一般公共预算财政拨款支出决算具体情况\n"
        f"1、{PATH}。主要用于：基本支出。年初预算为1560.05万元，支出决算为1511.89万元，"
        "完成年初预算的96.91%。\n"
    )
    assert ("function_expenditure", "initial_budget", PATH, "1560.05") in figures
    assert ("function_expenditure", "amount", PATH, "1511.89") in figures
    assert ("function_expenditure", "budget_execution_pct", PATH, "96.91") in figures


def test_a_path_wrapped_after_a_short_heading_line() -> None:
    figures = _figures(
        "（三）一般公共预算财政拨款支出决算具体情况\n"
        "6、卫生健康支出（类）行政事业单位医疗（款）行政单位\n"
        "医疗（项）。主要用于：医疗保险支出。年初预算为 42.73\n"
        "万元，支出决算为 40.35 万元，完成年初预算的 94.43%。\n"
    )
    path = "卫生健康支出（类）行政事业单位医疗（款）行政单位医疗（项）"
    assert ("function_expenditure", "initial_budget", path, "42.73") in figures
    assert ("function_expenditure", "amount", path, "40.35") in figures


def test_a_heading_sentence_then_the_full_year_budget() -> None:
    figures = _figures(
        "（三）一般公共预算财政拨款支出决算具体情况\n"
        "一般公共预算财政拨款支出年初预算为 0 万元，全年预算为\n"
        "321.02 万元，支出决算为 307.82 万元，完成年初预算的 95.89%。\n"
        "1、一般公共服务支出（类）社会工作事务（款）行政运行（项）。\n"
        "主要用于：人员支出。全年预算为 52.00 万元，\n"
        "支出决算为 51.32 万元，完成全年预算数的 98.69%。\n"
        "六、一般公共预算财政拨款基本支出决算情况说明\n"
        "年初预算为 9.00 万元。\n"
    )
    path = "一般公共服务支出（类）社会工作事务（款）行政运行（项）"
    assert ("general_public_budget_expenditure", "initial_budget",
            "一般公共预算财政拨款支出年初预算为", "0") in figures  # fmt: skip
    assert ("general_public_budget_expenditure", "adjusted_budget",
            "一般公共预算财政拨款支出年初预算为", "321.02") in figures  # fmt: skip
    assert ("function_expenditure", "adjusted_budget", path, "52.00") in figures
    assert ("function_expenditure", "amount", path, "51.32") in figures
    assert ("function_expenditure", "adjusted_budget_execution_pct", path, "98.69") in figures
    # the next heading ends the statements: its figure is of no code
    assert not [f for f in figures if f[3] == "9.00" and f[0] == "function_expenditure"]


def test_a_printed_code() -> None:
    figures = _figures("2.行政运行（2010101）：年初预算为10.00万元，支出决算为9.50万元。\n")
    assert ("function_expenditure", "initial_budget", "行政运行（2010101）", "10.00") in figures
    assert ("function_expenditure", "amount", "行政运行（2010101）", "9.50") in figures


def test_a_budget_document_has_no_such_statements() -> None:
    figures = _figures(f"1、{PATH}。年初预算为1560.05万元。\n", kind="budget")
    assert not [f for f in figures if f[0] == "function_expenditure"]


# --- the real documents -------------------------------------------------------------------


def _build(docs: Path, root: Path) -> Path:
    result = run_cli(
        "build", "--docs", docs, "--warehouse", root / "warehouse.duckdb",
        "--exports", root / "exports", "--reports", root / "reports",
    )  # fmt: skip
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    return root / "warehouse.duckdb"


@pytest.fixture(scope="module")
def real(tmp_path_factory: pytest.TempPathFactory) -> duckdb.DuckDBPyConnection:
    root = tmp_path_factory.mktemp("budget-execution-real")
    docs = root / "docs"
    docs.mkdir()
    for folder in ("raw", "jiangsu"):
        for path in (ROOT / "data" / folder).iterdir():
            if path.suffix in (".txt", ".pdf"):
                shutil.copy2(path, docs / path.name)
    return duckdb.connect(str(_build(docs, root)), read_only=True)


def _units(con: duckdb.DuckDBPyConnection) -> dict[str, set[tuple[str, int, str]]]:
    """unit_id → {(printed unit name, fiscal year, doc kind)} of its documents."""
    units: dict[str, set[tuple[str, int, str]]] = defaultdict(set)
    for unit_id, name, year, kind in con.execute(
        "select unit_id, unit_name, fiscal_year, doc_kind from marts.dim_document"
    ).fetchall():
        units[unit_id].add((name, year, kind))
    return units


@pytest.mark.e2e
def test_real_units_across_years(real: duckdb.DuckDBPyConnection) -> None:
    units = _units(real)
    by_name = {frozenset(n for n, _, _ in docs): docs for docs in units.values()}
    court = by_name[frozenset({"江苏省高级人民法院"})]
    assert sorted(y for _, y, _ in court) == [2017, 2018, 2019]
    office = next(docs for names, docs in by_name.items() if any("政协" in n for n in names))
    assert sorted(y for _, y, _ in office) == [2017, 2018, 2019]
    chongqing = by_name[frozenset({"重庆市万州区党政信息中心"})]
    assert sorted((y, k) for _, y, k in chongqing) == [(2021, "final_accounts"), (2023, "budget")]
    # 17 files, 14 documents (the 政协 narratives joined to their tables), 9 units
    assert sum(len(d) for d in units.values()) == 14 and len(units) == 9
    rules = dict(real.execute(
        "select unit_name, identity_rule from marts.dim_unit"
    ).fetchall())  # fmt: skip
    assert rules["重庆市潼南区电子政务中心"] == "unit_code"  # prints 312002
    assert rules["江苏省高级人民法院"] == "name"


def _golden() -> list[dict[str, str]]:
    with GOLDEN.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _golden_key(g: dict[str, str]) -> tuple[str, ...]:
    return (g["unit_name"], g["fiscal_year"], g["fund_source"], g["line_kind"],
            g["function_code"] or g["function_path"])  # fmt: skip


def _amount(value: object) -> Decimal | None:
    return None if value in (None, "") else Decimal(str(value))


@pytest.mark.e2e
def test_real_budget_against_actual_equals_the_golden_file(
    real: duckdb.DuckDBPyConnection,
) -> None:
    rows = real.execute(
        """
        select unit_name, fiscal_year, fund_source, line_kind,
               coalesce(function_code, function_path, ''),
               budget_wan, adjusted_budget_wan, actual_wan, budget_source, sources_agree
        from marts.mart_budget_execution
        where budget_wan is not null or adjusted_budget_wan is not null
        """
    ).fetchall()
    landed = {tuple(map(str, r[:5])): r[5:] for r in rows}
    golden = _golden()
    missing, wrong = [], []
    for g in golden:
        key = _golden_key(g)
        if key not in landed:
            missing.append(key)
            continue
        budget, adjusted, actual, source, agree = landed[key]
        expected = (_amount(g["budget_wan"]), _amount(g["adjusted_budget_wan"]),
                    _amount(g["actual_wan"]), g["budget_source"] or None, True)  # fmt: skip
        if (_amount(budget), _amount(adjusted), _amount(actual), source, agree) != expected:
            wrong.append((key, (budget, adjusted, actual, source, agree), expected))
    extra = sorted(set(landed) - {_golden_key(g) for g in golden})
    assert not missing and not wrong and not extra, (missing, wrong, extra)
    # 41 lines with a budget: 3 Shanghai final accounts (their per-项 prose beside their tables)
    # and the Chongqing 2021 final accounts (its 类 prose and the change against the budget)
    assert len(golden) == 41


@pytest.mark.e2e
def test_real_unresolved_statements_keep_their_path(real: duckdb.DuckDBPyConnection) -> None:
    # a path whose 项 the document's own tables print under another name or 款 is not guessed
    paths = {r[0] for r in real.execute(
        "select function_path from marts.mart_budget_execution "
        "where line_kind = 'function_unresolved'"
    ).fetchall()}  # fmt: skip
    assert "住房保障支出（类）住房保障支出（款）住房公积金（项）" in paths
    assert len(paths) == 4


# --- the generated corpus -------------------------------------------------------------------


@pytest.fixture(scope="module")
def corpus_build(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    root = tmp_path_factory.mktemp("budget-execution-corpus")
    generate_batch(root / "batch", 30, seed=3, choose={
        "kind": ("final_accounts",), "change_columns": ("yes",),
        # the families whose code tables the parser reads (corpus.batch.BASELINE)
        "layout": BASELINE["layout"], "code_style": BASELINE["code_style"],
    })  # fmt: skip
    return root / "batch", _build(root / "batch" / "docs", root)


@pytest.mark.e2e
def test_corpus_budget_and_actual_per_code_equal_the_truth(
    corpus_build: tuple[Path, Path],
) -> None:
    batch, warehouse = corpus_build
    with (batch / "_truth" / "budget_execution.csv").open(encoding="utf-8") as handle:
        truth = list(csv.DictReader(handle))
    assert truth, "the batch prints no 年初预算数 column"
    con = duckdb.connect(str(warehouse), read_only=True)
    file_of = dict(con.execute(
        "select document_id, source_file from marts.audit_ingest where document_id is not null"
    ).fetchall())  # fmt: skip
    seen: dict[tuple[str, str, str, int, str], Decimal] = {}
    for ids, code, fund, year, budget, actual in con.execute(
        "select budget_document_ids, function_code, fund_source, fiscal_year, budget_table_wan,"
        " actual_table_wan from marts.mart_budget_execution where line_kind = 'function'"
    ).fetchall():
        for document_id in (ids or "").split(","):
            if document_id:
                file = file_of[document_id]
                seen[(file, code, fund, year, "budget")] = budget
                seen[(file, code, fund, year, "actual")] = actual
    found = wrong = 0
    for t in truth:
        key = (t["file"], t["code"], t["fund_source"], int(t["fiscal_year"]), t["measure"])
        if key in seen:
            if seen[key] == Decimal(t["amount_wan"]):
                found += 1
            else:
                wrong += 1
    print(f"\ncorpus budget against actual: {found} of {len(truth)} found, {wrong} wrong")
    assert wrong == 0
    assert found >= 0.99 * len(truth)


@pytest.mark.e2e
def test_corpus_units_are_grouped_as_the_truth(corpus_build: tuple[Path, Path]) -> None:
    batch, warehouse = corpus_build
    with (batch / "_truth" / "documents.csv").open(encoding="utf-8") as handle:
        truth_unit = {
            r["file"]: (r["division_code"], r["unit_name"]) for r in csv.DictReader(handle)
        }
    con = duckdb.connect(str(warehouse), read_only=True)
    unit_of = dict(con.execute(
        "select a.source_file, d.unit_id from marts.audit_ingest as a "
        "inner join marts.dim_document as d using (document_id)"
    ).fetchall())  # fmt: skip
    assert set(unit_of) <= set(truth_unit)
    pairs = {(truth_unit[f], u) for f, u in unit_of.items()}
    # one unit_id per truth unit and one truth unit per unit_id
    assert len({t for t, _ in pairs}) == len(pairs) == len({u for _, u in pairs})
