"""The corpus generator (``corpus/``): determinism, truth consistency, and the parser scored
against the truth, per family.

The per-family tests use an *isolation batch*: a few documents per family value, one dimension
varied at a time over a known-good baseline (``corpus.batch.isolation_plan``), so a failing
family shows alone. A family today's parser cannot read yet is ``xfail(strict=True)`` with
the share found when this was measured: it flips to a failure (XPASS) the day the parser
reads it, and the entry must then be removed.
"""

from __future__ import annotations

import csv
import hashlib
import re
from collections import defaultdict
from decimal import Decimal
from pathlib import Path

import pytest
from warehouse_build import private_project, run_cli

from corpus import generate_batch, generate_documents
from corpus.batch import isolation_plan
from corpus.score import (
    Score,
    format_score,
    observed_from_landed,
    observed_from_warehouse,
    score,
)
from corpus.variants import DIMENSIONS, FAULTS
from ingest.pipeline import ingest_folder

SEED = 11
UNIT_SEED = 0  # a batch with a 元 table large enough to overflow once read as 万元

# Measured on the parser of this branch (isolation batch, seed 11, landed rows): found share,
# and why. Wrong figures would be listed in the reason: they are parser defects, reported, not
# hidden. Every other family reads 100 % with nothing wrong.
KNOWN_FAILING_FIGURES: dict[str, str] = {}
# Document identity (unit, year, kind, scope, division) per family: every family is right.
KNOWN_FAILING_IDENTITY: dict[str, str] = {}
FAMILIES = ["baseline"] + [f"{d}={v}" for d, options in DIMENSIONS.items() for v, _ in options]


def _params(known: dict[str, str], leave_out: tuple[str, ...] = ()) -> list[object]:
    return [
        pytest.param(f, marks=pytest.mark.xfail(strict=True, reason=known[f])) if f in known else f
        for f in FAMILIES
        if f not in leave_out
    ]


def _digest(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


# --- determinism ---------------------------------------------------------------------------


def test_same_seed_gives_byte_identical_files(tmp_path: Path) -> None:
    faults = ",".join(FAULTS).split(",")
    first = generate_batch(tmp_path / "a", 40, seed=7, faults=faults, fault_rate=0.5)
    second = generate_batch(tmp_path / "b", 40, seed=7, faults=faults, fault_rate=0.5)
    assert first.files == second.files >= 40
    assert _digest(tmp_path / "a") == _digest(tmp_path / "b")
    generate_batch(tmp_path / "c", 40, seed=8)
    assert _digest(tmp_path / "c")["docs/00000.txt"] != _digest(tmp_path / "a")["docs/00000.txt"]


def test_document_i_does_not_depend_on_batch_size_or_on_faults_elsewhere(tmp_path: Path) -> None:
    small = dict(generate_documents(10, seed=3))
    large = dict(generate_documents(25, seed=3))
    assert all(large[name] == data for name, data in small.items())
    faulty = dict(generate_documents(25, seed=3, faults=list(FAULTS), fault_rate=0.5))
    truth = tmp_path / "t"
    generate_batch(truth, 25, seed=3, faults=list(FAULTS), fault_rate=0.5)
    clean = [r["file"] for r in _rows(truth / "_truth" / "documents.csv") if not r["faults"]]
    assert 0 < len(clean) < 25
    assert all(faulty[name] == large[name] for name in clean)


def test_unknown_family_or_fault_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match=r"layout=.*pdf.*choose among"):
        generate_documents(1, choose={"layout": ("pdf",)})
    with pytest.raises(ValueError, match="unknown fault 'typo'; known faults: figure_twice"):
        generate_documents(1, faults=["typo"])


# --- truth ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def truth_batch(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("truth")
    generate_batch(out, 120, seed=5)
    return out


def test_truth_figures_are_printed_in_their_document(truth_batch: Path) -> None:
    texts: dict[str, str] = {}
    for figure in _rows(truth_batch / "_truth" / "figures.csv"):
        file = figure["file"]
        if file not in texts:
            raw = (truth_batch / "docs" / file).read_bytes()
            texts[file] = (
                raw.decode("utf-8") if raw.isascii() or _is_utf8(raw) else raw.decode("gb18030")
            )
        number = figure["printed"].split(" ")[0]
        assert number in texts[file] or number.rstrip("元万") in texts[file], figure


def _is_utf8(raw: bytes) -> bool:
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def test_truth_adds_up_like_a_real_document(truth_batch: Path) -> None:
    """Items sum to 款, 款 to 类; basic + project (+ reserve) = total; headlines agree."""
    documents = {r["file"]: r for r in _rows(truth_batch / "_truth" / "documents.csv")}
    tables: dict[tuple[str, str, str, str, str], dict[str, Decimal]] = defaultdict(dict)
    summary: dict[str, dict[str, Decimal]] = defaultdict(dict)
    for f in _rows(truth_batch / "_truth" / "figures.csv"):
        if f["mart"] == "summary":
            summary[f["file"]][f["measure"]] = Decimal(f["amount_wan"])
        elif f["source_kind"] == "table":
            key = (f["file"], f["table_kind"], f["measure"], f["fund_source"], f["fiscal_year"])
            tables[key][f["code"]] = Decimal(f["amount_wan"])
    checked = 0
    for key, amounts in tables.items():
        for code, amount in amounts.items():
            width = {3: 5, 5: 7}.get(len(code))
            children = [
                a for c, a in amounts.items() if width and len(c) == width and c.startswith(code)
            ]
            if children:
                assert sum(children) == amount, (key, code)
                checked += 1
        if key[1] != "general_budget_basic_expenditure" and key[2] == "total":
            basic = tables.get((key[0], key[1], "basic", key[3], key[4]), {})
            project = tables.get((key[0], key[1], "project", key[3], key[4]), {})
            reserve = tables.get((key[0], key[1], "reserve", key[3], key[4]), {})
            for code, amount in amounts.items():
                if basic or project:  # a prior-year column has no basic / project split
                    assert (
                        basic.get(code, 0) + project.get(code, 0) + reserve.get(code, 0) == amount
                    ), (key, code)
                    checked += 1
    assert checked > 5000
    for file, figures in summary.items():
        doc = documents[file]
        if doc["doc_kind"] == "budget":
            assert (
                figures["basic_expenditure_wan"] + figures["project_expenditure_wan"]
                == figures["general_public_budget_wan"]
                or doc["money_unit"] == "yuan"
                or doc["expenditure_split"] == "three"
            ), file
            assert figures["total_income_wan"] == figures["total_expenditure_wan"], file
        if doc["money_unit"] != "yuan":
            classes = tables[(file, "expenditure_summary", "total", "all", doc["fiscal_year"])]
            assert (
                sum(a for c, a in classes.items() if len(c) == 3)
                == figures["total_expenditure_wan"]
            ), file


def test_faults_are_labelled_and_present(tmp_path: Path) -> None:
    out = tmp_path / "faults"
    generate_batch(out, 3 * len(FAULTS), seed=9, faults=list(FAULTS), fault_rate=1.0)
    documents = _rows(out / "_truth" / "documents.csv")
    by_fault: dict[str, list[dict[str, str]]] = defaultdict(list)
    for row in documents:
        by_fault[row["faults"]].append(row)
    assert set(by_fault) <= set(FAULTS) and len(by_fault) >= len(FAULTS) - 2

    def text(row: dict[str, str]) -> str:
        raw = (out / "docs" / row["file"]).read_bytes()
        return raw.decode("utf-8") if _is_utf8(raw) else raw.decode("gb18030")

    for fault, rows in by_fault.items():
        mains = [r for r in rows if not r["part_of"]]
        if fault in ("split_files", "conflicting_copy"):
            assert len(rows) == 2 * len(mains)  # the second file is listed with part_of
        for row in mains:
            body = text(row)
            if fault == "social_insurance_zero":
                assert "社会保险基金支出预算 0.00 万元" in body or row["doc_kind"] != "budget"
            if fault == "header_only":
                assert "国有资本经营预算支出表" in body
            if fault == "split_files":
                assert not re.search(r"\n(附件 ?1|表一|公开01表)\n", body)
            if fault == "cut_table":  # the file ends inside a number
                last = body.rstrip("\n").rsplit("\n", 1)[-1]
                assert last[-1].isdigit() and not re.search(r"\d\.\d\d$", last), last
    figures = _rows(out / "_truth" / "figures.csv")
    twice = {r["file"] for r in by_fault.get("figure_twice", [])}
    assert twice, "seed 9 generates figure_twice documents"
    assert any(f["contested"] == "1" for f in figures if f["file"] in twice)


# --- the parser against the truth: landed rows (fast) ---------------------------------------


@pytest.fixture(scope="module")
def isolation_landed(tmp_path_factory: pytest.TempPathFactory) -> Score:
    out = tmp_path_factory.mktemp("isolation")
    generate_batch(out, 0, seed=SEED, plan=isolation_plan(6))
    landed = out / "landed"
    ingest_folder(out / "docs", landed)
    result = score(out, observed_from_landed(landed))
    print("\nisolation batch, landed rows:\n" + format_score(result))
    return result


def _assert_family(result: Score, family: str) -> None:
    counts = result.by_slice[family]
    assert counts.expected > 100
    assert counts.wrong_total == 0 and counts.found_pct >= 99.0, (
        f"{family}: {counts.found_pct:.1f} % found, {counts.wrong} wrong, {counts.extra} extra; "
        + "; ".join(
            f"{f.file} {f.key}: expected {f.expected} got {f.observed}"
            for f in result.findings
            if f"slice={family} " in f.families + " "
        )[:600]
    )


@pytest.mark.parametrize("family", _params(KNOWN_FAILING_FIGURES))
def test_family_figures_landed(isolation_landed: Score, family: str) -> None:
    _assert_family(isolation_landed, family)


@pytest.mark.parametrize("family", _params(KNOWN_FAILING_IDENTITY))
def test_family_identity_landed(isolation_landed: Score, family: str) -> None:
    # every document of the family landed ('not_landed' otherwise) with its identity right
    assert family not in isolation_landed.identity_by_family, isolation_landed.identity_by_family[
        family
    ]


def test_default_mix_batch_through_ingest(tmp_path: Path) -> None:
    """A few hundred documents of the default (realistic) mix: the issue's bar, measured."""
    generate_batch(tmp_path, 300, seed=1)
    result = ingest_folder(tmp_path / "docs", tmp_path / "landed")
    assert len(result.files) == 300
    scored = score(tmp_path, observed_from_landed(tmp_path / "landed"))
    print(f"\ndefault mix, 300 documents: {scored.overall} ({scored.overall.found_pct:.1f} %)")
    assert scored.overall.expected > 30000
    # the bar: nothing wrong, and ≥ 99 % found (measured 99.14 %, seed 1)
    assert scored.overall.wrong_total == 0, format_score(scored)
    assert scored.overall.found_pct >= 99.0, format_score(scored)


# --- the same, through a real build (marts) --------------------------------------------------


@pytest.fixture(scope="module")
def isolation_built(tmp_path_factory: pytest.TempPathFactory) -> Score:
    out = tmp_path_factory.mktemp("isolation_build")
    generate_batch(out, 0, seed=SEED, plan=isolation_plan(4))
    warehouse = out / "warehouse.duckdb"
    result = run_cli(
        "build",
        "--docs",
        out / "docs",
        "--warehouse",
        warehouse,
        "--exports",
        out / "exports",
        "--reports",
        out / "reports",
        "--project",
        private_project(out),
    )
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-4000:]
    scored = score(out, observed_from_warehouse(warehouse))
    print("\nisolation batch, warehouse:\n" + format_score(scored))
    return scored


@pytest.mark.e2e
@pytest.mark.parametrize("family", _params(KNOWN_FAILING_FIGURES))
def test_family_figures_in_the_marts(isolation_built: Score, family: str) -> None:
    _assert_family(isolation_built, family)


UNIT_STYLES_ON_THE_TITLE_LINE = ("bracket_title", "编制单位")


@pytest.mark.e2e
def test_yuan_tables_under_any_unit_line_build_and_land_right(tmp_path: Path) -> None:
    """元 tables whose unit stands on the title line ('…表（单位：元）') or after 编制单位：X:
    once read as 万元 they overflowed DECIMAL(18) in the marts and stopped the build (issue 9)."""
    generate_batch(
        tmp_path,
        12,
        seed=UNIT_SEED,
        choose={
            "unit_style": UNIT_STYLES_ON_THE_TITLE_LINE,
            "money_unit": ("yuan",),
            "level": ("county",),
            "code_style": ("joined", "split", "spaced"),
            "title_form": ("one_line",),
            "layout": ("tab",),
        },
    )
    warehouse = tmp_path / "w.duckdb"
    result = run_cli(
        "build",
        "--docs",
        tmp_path / "docs",
        "--warehouse",
        warehouse,
        "--exports",
        tmp_path / "exports",
        "--reports",
        tmp_path / "reports",
        "--project",
        private_project(tmp_path),
    )
    assert result.returncode == 0, result.stdout[-3000:]
    scored = score(tmp_path, observed_from_warehouse(warehouse))
    assert scored.overall.wrong_total == 0 and scored.overall.found_pct >= 99.0, format_score(
        scored
    )


# --- faults (issue 9) ------------------------------------------------------------------------

GOOD = {
    "layout": ("tab",),
    "unit_style": ("单位",),
    "title_form": ("one_line",),
    "label_style": ("附件", "表"),
    "level": ("county",),
}


def test_faulty_documents_leave_the_others_landed_rows_unchanged(tmp_path: Path) -> None:
    generate_batch(
        tmp_path / "mixed", 60, seed=21, choose=GOOD, faults=list(FAULTS), fault_rate=0.4
    )
    documents = _rows(tmp_path / "mixed" / "_truth" / "documents.csv")
    clean = [r["file"] for r in documents if not r["faults"]]
    assert 20 < len(clean) < 55
    alone = tmp_path / "clean"
    alone.mkdir()
    for name in clean:
        (alone / name).write_bytes((tmp_path / "mixed" / "docs" / name).read_bytes())
    mixed = ingest_folder(tmp_path / "mixed" / "docs", tmp_path / "mixed_landed")
    only = ingest_folder(alone, tmp_path / "clean_landed")
    assert len(mixed.files) == len(documents)  # every file is accounted for
    for name in ("landed_table_cells", "landed_prose_figures"):
        ids = {r["document_id"] for r in _rows(tmp_path / "clean_landed" / "landed_files.csv")}
        rows_alone = [r for r in _rows(tmp_path / "clean_landed" / f"{name}.csv")]
        rows_mixed = [
            r for r in _rows(tmp_path / "mixed_landed" / f"{name}.csv") if r["document_id"] in ids
        ]
        assert rows_mixed == rows_alone, name
    assert only.counts["landed_table_cells"] > 0


@pytest.mark.e2e
def test_a_batch_with_faults_publishes(tmp_path: Path) -> None:
    generate_batch(tmp_path, 60, seed=21, choose=GOOD, faults=list(FAULTS), fault_rate=0.4)
    result = run_cli(
        "build",
        "--docs",
        tmp_path / "docs",
        "--warehouse",
        tmp_path / "w.duckdb",
        "--exports",
        tmp_path / "exports",
        "--reports",
        tmp_path / "reports",
        "--project",
        private_project(tmp_path),
    )
    assert result.returncode == 0, result.stdout[-3000:]


def test_parallel_generation_is_the_same() -> None:
    assert generate_documents(240, seed=4, jobs=2) == generate_documents(240, seed=4)
