"""One unusual document never stops the warehouse from publishing (issue 9).

The first tests are the misreads that made two reconciliation checks share a key on the
Jiangsu PDFs (the lines are quoted from data/jiangsu/9bb83bc165f9437a.pdf, 江苏省高级人民法院
2018 budget). The e2e tests build batches of mutated bundled samples with faults and assert
that the build publishes, quarantines only the faulty documents and leaves the others'
figures unchanged.
"""

from __future__ import annotations

from ingest.prose import parse_prose


def _figures(lines: list[str]) -> list[tuple[str, str, str, str]]:
    result = parse_prose("d", lines, list(range(1, len(lines) + 1)))
    return [(f.figure_key, f.qualifier, f.fund_source, f.amount) for f in result.figures]


def test_a_reason_listing_what_increased_is_a_change_not_the_figure() -> None:
    # 江苏省高级人民法院 2018, lines 473-476: 1447.63 is how much 基本支出 grew, not 基本支出.
    lines = [
        "一、收支预算总体情况说明",
        "一般公共预算收入预算33172.15万元，与上年相比增加4322.77万元，增长 14.98%。主要原因"
        "是基本支出增加机关事业单位养老保险、职业年金缴费等 1447.63 万元、项目经费支出安排减少"
        "江苏法院云平台租赁费 200 万元。",
    ]
    figures = _figures(lines)
    assert ("basic_expenditure", "change", "all", "1447.63") in figures
    assert not [f for f in figures if f[0] == "basic_expenditure" and f[1] == "amount"]


def test_social_insurance_fund_expenditure_is_not_the_total_expenditure() -> None:
    figures = _figures(["二、支出预算", "社会保险基金支出预算 0.00 万元。支出预算总计 100 万元。"])
    assert ("unclassified", "amount", "all", "0.00") in figures
    assert [f for f in figures if f[0] == "total_expenditure"] == [
        ("total_expenditure", "amount", "all", "100")
    ]


# --- the pieces: dbt results, dbt arguments, the convention ----------------------------------

import json  # noqa: E402
import re  # noqa: E402
from types import SimpleNamespace  # noqa: E402

from warehouse.dbt_step import DOCUMENT_CHECK_TAG, dbt_arguments, summarise  # noqa: E402
from warehouse.paths import REPO_ROOT  # noqa: E402


def _node_result(name: str, status: str, tags: list[str], failures: int = 0):
    node = SimpleNamespace(
        name=name, unique_id=f"test.x.{name}", tags=tags, relation_name=f'"db"."audit"."{name}"'
    )
    return SimpleNamespace(node=node, status=status, message="Got 2 results", failures=failures)


def test_a_failed_document_check_is_not_a_dbt_failure_but_an_invariant_is() -> None:
    result = SimpleNamespace(
        results=[
            _node_result("doc_check", "warn", [DOCUMENT_CHECK_TAG], failures=2),
            _node_result("grain", "fail", []),
            _node_result("other_warning", "warn", []),
        ]
    )
    summary = summarise(result)
    assert [f.test for f in summary.document_failures] == ["doc_check"]
    assert summary.document_failures[0].failing_rows == 2
    assert summary.document_failures[0].relation == '"db"."audit"."doc_check"'
    assert summary.failures == ("test.x.grain: Got 2 results",)


def test_the_quarantine_reaches_dbt_as_a_var(tmp_path: Path) -> None:
    paths = BuildPaths.create(docs=tmp_path, warehouse=tmp_path / "w.duckdb")
    assert "--vars" not in dbt_arguments(paths, verbose=False, threads=None)
    entry = {"document_id": "500000-2025-budget-0a", "checks": "c", "failing_rows": 1}
    args = dbt_arguments(paths, verbose=False, threads=None, quarantine=[entry])
    assert json.loads(args[args.index("--vars") + 1]) == {"quarantine": [entry]}


def test_the_documents_of_a_document_check_are_read_from_its_stored_failures() -> None:
    from warehouse.dbt_step import DocumentCheckFailure, failing_documents

    con = duckdb.connect()
    con.execute("create schema dbt_test__audit")
    con.execute(
        "create table dbt_test__audit.later_year as select * from (values"
        " ('b', '201', 2026), ('a', '205', 2027), ('b', '208', 2026)) as t(document_id, code, y)"
    )
    failure = DocumentCheckFailure("later_year", '"other"."dbt_test__audit"."later_year"', 3)
    found = failing_documents(con, failure, max_samples=1)
    assert found == {"a": (1, ("code=205 y=2027",)), "b": (2, ("code=201 y=2026",))}
    con.execute("create table dbt_test__audit.no_document as select 1 as n")
    with pytest.raises(BuildError, match="no document_id column"):
        failing_documents(
            con, DocumentCheckFailure("no_document", "dbt_test__audit.no_document", 1)
        )


def test_every_document_check_warns_and_stores_its_failing_rows() -> None:
    """The convention: a dbt test tagged document_check has severity warn (so it does not
    skip the models after it) and store_failures (so the build can read the documents)."""
    found = 0
    for path in sorted((REPO_ROOT / "tests" / "dbt").glob("*.sql")):
        text = path.read_text(encoding="utf-8")
        if DOCUMENT_CHECK_TAG not in text:
            continue
        found += 1
        config = re.search(r"config\((.*?)\)\s*}}", text, re.S)
        assert config, f"{path.name}: document_check outside a config() block"
        assert "severity='warn'" in config.group(1), path.name
        assert "store_failures=true" in config.group(1), path.name
        assert "document_id" in text, f"{path.name}: failing rows need document_id"
    for path in sorted((REPO_ROOT / "models").rglob("*.yml")):
        text = path.read_text(encoding="utf-8")
        for block in re.findall(r"config:\s*\{[^}]*document_check[^}]*\}", text):
            found += 1
            assert "severity: warn" in block and "store_failures: true" in block, path.name
    assert found >= 1


# --- whole builds over batches with faults (e2e) ---------------------------------------------

import shutil  # noqa: E402
from pathlib import Path  # noqa: E402

import duckdb  # noqa: E402
import pytest  # noqa: E402
from warehouse_build import private_project  # noqa: E402

from warehouse.build import BuildOptions, run_build  # noqa: E402
from warehouse.errors import BuildError, ExitCode  # noqa: E402
from warehouse.paths import BuildPaths  # noqa: E402

SAMPLES = Path(__file__).resolve().parents[2] / "data" / "raw"
WANZHOU_2023 = "000_7ef4b414fc9c2a25.txt"  # prose only
KAIZHOU_2023 = "001_95262c62ed572865.txt"
TONGNAN_2025 = "003_2ab6434017984cbb.txt"  # tables whose 合计 and 2010350 rows we alter
DADUKOU_2023 = "004_7db58793ff0af6ed.txt"  # 表一 … 表十三
ORIGINALS = (WANZHOU_2023, KAIZHOU_2023, TONGNAN_2025, DADUKOU_2023)


def _lines(name: str) -> list[str]:
    return (SAMPLES / name).read_text(encoding="utf-8").split("\n")


def _block(lines: list[str], title: str, next_title: str) -> tuple[int, int]:
    start = lines.index(title)
    return start, lines.index(next_title, start + 1)


def _stated_twice(lines: list[str]) -> list[str]:
    """The first sentence with a 万元 figure printed twice (a figure stated twice)."""
    at = next(i for i, line in enumerate(lines) if "万元" in line)
    return lines[: at + 1] + lines[at : at + 1] + lines[at + 1 :]


def _table_twice(lines: list[str]) -> list[str]:
    start, end = _block(lines, "表二", "表三")
    return lines[:end] + lines[start:end] + lines[end:]


def _cut_table(lines: list[str]) -> list[str]:
    start, end = _block(lines, "表三", "表四")
    return lines[: start + 12] + lines[end:]


def _header_only(lines: list[str]) -> list[str]:
    start, end = _block(lines, "表八", "表十")
    header = next(i for i in range(start, end) if lines[i].startswith("合计"))
    return lines[:header] + lines[end:]


def _empty_table(lines: list[str]) -> list[str]:
    start, end = _block(lines, "表五", "表六")
    return [*lines[: start + 1], "", *lines[end:]]


def _contradicting_total(lines: list[str]) -> list[str]:
    return [line.replace("合计\t\t420.10", "合计\t\t999.99", 1) for line in lines]


def _negative_figure(lines: list[str]) -> list[str]:
    return [line.replace("353.13", "-353.13") for line in lines]


def _later_year_column(lines: list[str]) -> list[str]:
    """附件 2's prior-year column misprinted as a later year (2024 → 2026 in a 2025 budget)."""
    return [line.replace("2024 年预算数", "2026 年预算数") for line in lines]


def _future_year(lines: list[str]) -> list[str]:
    return [line.replace("2025 年部门预算情况说明", "2098 年部门预算情况说明") for line in lines]


# name → (sample, mutation, quarantined?)
FAULTS = {
    "stated_twice.txt": (WANZHOU_2023, _stated_twice, False),
    "table_twice.txt": (DADUKOU_2023, _table_twice, False),
    "cut_and_header_only.txt": (DADUKOU_2023, lambda ls: _header_only(_cut_table(ls)), False),
    "empty_table.txt": (DADUKOU_2023, _empty_table, False),
    "contradicting_total.txt": (TONGNAN_2025, _contradicting_total, False),
    "negative_figure.txt": (TONGNAN_2025, _negative_figure, True),  # marts suite (GX)
    "future_year.txt": (TONGNAN_2025, _future_year, True),  # landed suite (GX)
    "later_year_column.txt": (TONGNAN_2025, _later_year_column, True),  # dbt document check
}

FIGURES = {
    "fct_expenditure_by_function": "document_id, fiscal_year, function_code, measure, "
    "fund_source, amount_wan, source_line",
    "fct_table_figures": "*",
    "fct_narrative_figures": "*",
    "fct_budget_summary": "*",
    "audit_reconciliation": "document_id, check_key, expected_wan, actual_wan, status",
}


def _build(root: Path, docs: Path, name: str, *, strict: bool = False):
    paths = BuildPaths.create(
        docs=docs,
        warehouse=root / f"{name}.duckdb",
        exports=root / f"{name}-exports",
        reports=root / f"{name}-reports",
        project=root / "project",
    )
    return run_build(BuildOptions(paths=paths, strict=strict), say=lambda _line: None)


def _published_figures(warehouse: Path, document_ids: list[str]) -> dict[str, list[tuple]]:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        return {
            model: sorted(
                map(
                    str,
                    con.execute(
                        f"select {columns} from marts.{model} where document_id in "
                        f"(select unnest(?::varchar[]))",
                        [document_ids],
                    ).fetchall(),
                )
            )
            for model, columns in FIGURES.items()
        }


@pytest.fixture(scope="module")
def batches(tmp_path_factory: pytest.TempPathFactory):
    root = tmp_path_factory.mktemp("quarantine")
    private_project(root)
    clean, faulty = root / "clean", root / "faulty"
    for folder in (clean, faulty):
        folder.mkdir()
        for name in ORIGINALS:
            shutil.copy2(SAMPLES / name, folder / name)
    for name, (sample, mutate, _) in FAULTS.items():
        (faulty / name).write_text("\n".join(mutate(_lines(sample))), encoding="utf-8")
    return root, _build(root, clean, "clean"), _build(root, faulty, "faulty")


def _audit(warehouse: Path) -> dict[str, tuple]:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        rows = con.execute(
            "select source_file, status, document_id, quarantine_checks, quarantine_detail"
            " from marts.audit_ingest"
        ).fetchall()
    return {row[0]: row[1:] for row in rows}


@pytest.mark.e2e
def test_a_batch_with_faults_publishes_and_quarantines_only_the_faulty(batches) -> None:
    _, _, faulty = batches
    audit = _audit(faulty.warehouse)
    quarantined = sorted(name for name, row in audit.items() if row[0] == "quarantined")
    assert quarantined == sorted(name for name, fault in FAULTS.items() if fault[2])
    for name in quarantined:
        _status, document_id, checks, detail = audit[name]
        assert document_id in faulty.quarantine.documents
        assert checks and detail  # the check and the offending rows are named
    assert faulty.accounting["quarantined"] == len(quarantined)
    assert sum(faulty.accounting.values()) == len(ORIGINALS) + len(FAULTS)
    with duckdb.connect(str(faulty.warehouse), read_only=True) as con:
        published = {
            r[0] for r in con.execute("select document_id from marts.dim_document").fetchall()
        }
        landed = {
            r[0] for r in con.execute("select document_id from raw.landed_documents").fetchall()
        }
        newest = con.execute(
            "select unit_name, fiscal_year, doc_kind, count(*) filter (not is_superseded)"
            " from marts.dim_document group by all"
        ).fetchall()
    assert not published & set(faulty.quarantine.documents)  # out of the marts …
    assert set(faulty.quarantine.documents) <= landed  # … but still in raw
    # a quarantined newest publication leaves the newest published one in the comparison
    assert [row for row in newest if row[3] != 1] == []


@pytest.mark.e2e
def test_the_other_documents_figures_are_unchanged(batches) -> None:
    _, clean, faulty = batches
    with duckdb.connect(str(clean.warehouse), read_only=True) as con:
        originals = [
            r[0] for r in con.execute("select document_id from marts.dim_document").fetchall()
        ]
    assert len(originals) == len(ORIGINALS)
    assert not clean.quarantine
    assert _published_figures(faulty.warehouse, originals) == _published_figures(
        clean.warehouse, originals
    )


@pytest.mark.e2e
def test_the_same_documents_quarantine_the_same_and_strict_fails(batches) -> None:
    root, _, faulty = batches
    with pytest.raises(BuildError) as error:
        _build(root, root / "faulty", "strict", strict=True)
    assert error.value.code == ExitCode.QUARANTINED
    for document_id in faulty.quarantine.documents:
        assert document_id in error.value.message
    assert not (root / "strict.duckdb").exists()
