"""The ``marts`` suite: what great-expectations adds to dbt on the analysts' tables.

dbt is the authority for the marts' invariants: contracts (columns and types), grains
(``unique_combination_of_columns``), closed vocabularies (``accepted_values``), relationships to
the dimensions and the singular tests of ``tests/dbt`` fail the dbt step. This suite does not
repeat them. It keeps what dbt does not do, driven by dbt's ``manifest.json`` (the marts and
their columns, never a hand-kept list of models):

* document checks (``quarantine=True``): a negative amount, an implausible fiscal year — one
  document is odd, the build quarantines it and publishes the rest;
* 万元 and 元 telling the same amount, for every ``<x>_wan`` / ``<x>_yuan`` pair of every mart;
* distributions and cross-figure rules dbt does not state (basic + project ≤ total, the 三公
  items within their total, shares within [0, 1], codes and their levels, pages of PDFs) — the
  rules comparing one printed figure with another are warnings: documents contradict
  themselves and audit_reconciliation reports it;
* the data docs (``reports/gx/data_docs``) of every check.

Money reaches GX as integer fen computed in SQL (``checks.fen``); tolerances are 0.01 万元 per
figure summed (printed figures are rounded to 0.01 万元).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from expectations.checks import (
    CLASSIFICATION_CODE,
    Expect,
    TableCheck,
    between,
    fen,
    in_set,
    is_true,
    matches,
    yuan_fen,
)

SUITE = "marts"
FIRST_FISCAL_YEAR = 2000
ROUNDING_FEN = 10_000  # 0.01 万元 in fen
WAN_YUAN_TOLERANCE_FEN = 100  # amount_wan keeps one 元 (4 decimals of 万元)
MART_PREFIXES = ("dim_", "fct_", "mart_", "audit_")

# The summary figures that are amounts (never changes) and so cannot be negative.
SUMMARY_AMOUNTS = (
    "total_income_wan",
    "total_expenditure_wan",
    "general_public_budget_wan",
    "government_fund_wan",
    "basic_expenditure_wan",
    "project_expenditure_wan",
    "personnel_expenditure_wan",
    "public_operating_expenditure_wan",
    "three_public_total_wan",
    "operating_funds_wan",
    "procurement_total_wan",
)

# Document checks: amounts a correct reading of a correct document never gives negative (a
# change, a difference or a prior-year delta may be). A rule whose model or column the
# manifest lacks is an error (``MartsManifest.require``), so a rename cannot drop it silently.
NON_NEGATIVE: dict[str, dict[str, str]] = {
    "fct_expenditure_by_function": {"amount_wan": "expenditure (amount_wan)"},
    "fct_expenditure_by_economic": {"amount_wan": "expenditure (amount_wan)"},
    "fct_three_public": {
        "amount_wan": "三公 expenditure (amount_wan)",
        "prior_year_amount_wan": "prior_year_amount_wan",
    },
    "fct_income_by_source": {"amount_wan": "income (amount_wan)"},
    "fct_procurement": {"amount_wan": "procurement (amount_wan)"},
    "fct_performance_evaluation": {
        "annual_budget_wan": "annual_budget_wan",
        "executed_wan": "executed_wan",
    },
    "fct_budget_summary": {
        **{column: column for column in SUMMARY_AMOUNTS},
        "vehicle_count": "vehicle_count",
    },
}
# Keys that name a fact's rows in failing samples (and the document to quarantine).
SAMPLE_KEYS = ("document_id", "source_line", "source_file", "check_key", "item", "category")


class ManifestError(RuntimeError):
    """dbt's manifest is missing or does not hold what a check needs (names the file)."""


@dataclass(frozen=True)
class MartsManifest:
    """The marts dbt built (``dim_``/``fct_``/``mart_``/``audit_`` models of the project, in
    schema ``marts``) and their columns, in the order of the model YAML."""

    columns: Mapping[str, tuple[str, ...]]
    path: Path

    @classmethod
    def load(cls, path: Path) -> MartsManifest:
        if not path.is_file():
            raise ManifestError(
                f"{path}: no dbt manifest; the marts suite runs after dbt (make build, or"
                " `dbt parse` in the project) and reads the marts from it"
            )
        manifest = json.loads(path.read_text(encoding="utf-8"))
        columns = {
            node["name"]: tuple(node.get("columns") or {})
            for node in manifest.get("nodes", {}).values()
            if node.get("resource_type") == "model"
            and node.get("package_name") == manifest.get("metadata", {}).get("project_name")
            and node["name"].startswith(MART_PREFIXES)
        }
        if not columns:
            raise ManifestError(f"{path}: the manifest names no mart (dim_/fct_/mart_/audit_)")
        return cls(dict(sorted(columns.items())), path)

    def require(self, model: str, *columns: str) -> None:
        missing = [c for c in columns if c not in self.columns.get(model, ())]
        if model not in self.columns or missing:
            raise ManifestError(
                f"{self.path}: the marts suite checks {model}.{', '.join(missing) or '*'},"
                " which dbt does not build; update expectations/marts_suite.py"
            )

    def money_pairs(self, model: str) -> list[str]:
        """The ``<x>`` of every ``<x>_wan`` with an ``<x>_yuan`` beside it."""
        names = self.columns[model]
        return [c[:-4] for c in names if c.endswith("_wan") and f"{c[:-4]}_yuan" in names]

    def keys(self, model: str) -> tuple[str, ...]:
        """Columns shown with a failing row: the document and line, else the first three."""
        keys = tuple(k for k in SAMPLE_KEYS if k in self.columns[model])
        return keys or self.columns[model][:3]


def _non_negative(column: str, what: str) -> Expect:
    """A document check: a negative figure is the document's (or a misread of it)."""
    return between(column, 0, None, f"{what} is not negative", quarantine=True)


def _checked(column: str) -> str:
    """The name GX sees: money as integer fen (``<x>_fen``), a count as itself."""
    return f"{column[:-4]}_fen" if column.endswith("_wan") else column


def _as_checked(column: str) -> str:
    return fen(column) if column.endswith("_wan") else column


def _document_checks(manifest: MartsManifest, max_fiscal_year: int) -> list[TableCheck]:
    checks = [
        TableCheck(
            SUITE,
            "dim_document",
            "select document_id, source_file, fiscal_year from marts.dim_document",
            (
                between(
                    "fiscal_year",
                    FIRST_FISCAL_YEAR,
                    max_fiscal_year,
                    f"fiscal_year between {FIRST_FISCAL_YEAR} and {max_fiscal_year}",
                    quarantine=True,  # a document check: the year printed in the document
                ),
            ),
            key_columns=("document_id", "source_file"),
            name="dim_document (year)",
        )
    ]
    for model, rules in NON_NEGATIVE.items():
        manifest.require(model, *rules)
        keys = manifest.keys(model)
        amounts = ", ".join(f"{_as_checked(column)} as {_checked(column)}" for column in rules)
        checks.append(
            TableCheck(
                SUITE,
                model,
                f"select {', '.join(keys)}, {amounts} from marts.{model}",
                tuple(_non_negative(_checked(c), what) for c, what in rules.items()),
                key_columns=keys,
                name=f"{model} (not negative)",
            )
        )
    return checks


def _money_checks(manifest: MartsManifest) -> list[TableCheck]:
    """万元 and 元 give the same amount (within 1 元), every pair of every mart."""
    checks = []
    for model in manifest.columns:
        pairs = manifest.money_pairs(model)
        if not pairs:
            continue
        keys = manifest.keys(model)
        gaps = ", ".join(
            f"abs({yuan_fen(f'{x}_yuan')} - {fen(f'{x}_wan')}) as {x}_gap_fen" for x in pairs
        )
        checks.append(
            TableCheck(
                SUITE,
                model,
                f"select {', '.join(keys)}, {gaps} from marts.{model}",
                tuple(
                    between(
                        f"{x}_gap_fen",
                        0,
                        WAN_YUAN_TOLERANCE_FEN,
                        f"{x}_wan and {x}_yuan give the same amount (within 1 元)",
                    )
                    for x in pairs
                ),
                key_columns=keys,
                name=f"{model} (万元 = 元)",
            )
        )
    return checks


def _code_checks() -> list[TableCheck]:
    return [
        TableCheck(
            SUITE,
            "dim_function_code",
            """
            select function_code, function_name, function_level,
                   coalesce(length(function_code) = 1 + 2 * function_level, false)
                       as level_matches_code_length,
                   coalesce(class_code = substr(function_code, 1, 3), false)
                       as class_is_code_prefix
            from marts.dim_function_code
            """,
            (
                matches("function_code", CLASSIFICATION_CODE, "function_code is 3, 5 or 7 digits"),
                is_true("level_matches_code_length", "function_level is 1/2/3 for 3/5/7 digits"),
                is_true("class_is_code_prefix", "class_code is the first 3 digits of the code"),
            ),
            key_columns=("function_code", "function_name"),
            name="dim_function_code (levels)",
        ),
        TableCheck(
            SUITE,
            "dim_economic_code",
            """
            select economic_code, economic_name, economic_level,
                   coalesce(class_code = substr(economic_code, 1, 3), false)
                       as class_is_code_prefix
            from marts.dim_economic_code
            """,
            (
                matches("economic_code", CLASSIFICATION_CODE, "economic_code is 3 or 5 digits"),
                in_set("economic_level", (1, 2)),
                is_true("class_is_code_prefix", "class_code is the first 3 digits of the code"),
            ),
            key_columns=("economic_code", "economic_name"),
            name="dim_economic_code (levels)",
        ),
    ]


def _summary_checks() -> list[TableCheck]:
    basic_plus_project = fen(
        "s.basic_expenditure_wan + s.project_expenditure_wan - s.total_expenditure_wan"
    )
    personnel_plus_public = fen(
        "s.personnel_expenditure_wan + s.public_operating_expenditure_wan - s.basic_expenditure_wan"
    )
    three_public = fen("s.three_public_total_wan - s.total_expenditure_wan")
    return [
        TableCheck(
            SUITE,
            "fct_budget_summary",
            f"""
            select s.document_id, s.doc_kind,
                   {basic_plus_project} as basic_plus_project_over_total_fen,
                   {personnel_plus_public} as personnel_plus_public_over_basic_fen,
                   {three_public} as three_public_over_total_fen
            from marts.fct_budget_summary as s
            """,
            (
                between(
                    "basic_plus_project_over_total_fen",
                    None,
                    2 * ROUNDING_FEN,
                    "basic + project expenditure <= total expenditure (+0.02 万元)",
                    critical=False,
                ),
                between(
                    "personnel_plus_public_over_basic_fen",
                    None,
                    2 * ROUNDING_FEN,
                    "personnel + public operating <= basic expenditure (+0.02 万元)",
                    critical=False,
                ),
                between(
                    "three_public_over_total_fen",
                    None,
                    ROUNDING_FEN,
                    "三公 total <= total expenditure",
                    critical=False,
                ),
            ),
            key_columns=("document_id", "doc_kind"),
            name="fct_budget_summary (consistency)",
        ),
        TableCheck(
            SUITE,
            "fct_three_public",
            f"""
            with items as (
                select document_id,
                       max(case when item = 'total' then {fen("amount_wan")} end) as total,
                       sum(case when item in ('overseas_travel', 'official_reception',
                                              'vehicle_total')
                                then {fen("amount_wan")} end) as parts,
                       max(case when item = 'vehicle_total' then {fen("amount_wan")} end)
                           as vehicle_total,
                       sum(case when item in ('vehicle_purchase', 'vehicle_operation')
                                then {fen("amount_wan")} end) as vehicle_parts
                from marts.fct_three_public
                group by document_id
            )
            select document_id,
                   parts - total as items_over_total_fen,
                   vehicle_parts - vehicle_total as vehicle_items_over_vehicle_total_fen
            from items
            """,
            (
                between(
                    "items_over_total_fen",
                    None,
                    3 * ROUNDING_FEN,
                    "overseas + reception + vehicles <= 三公 total (+0.03 万元)",
                    critical=False,
                ),
                between(
                    "vehicle_items_over_vehicle_total_fen",
                    None,
                    2 * ROUNDING_FEN,
                    "vehicle purchase + operation <= vehicle total (+0.02 万元)",
                    critical=False,
                ),
            ),
            key_columns=("document_id",),
            name="fct_three_public (consistency)",
        ),
    ]


def _comparison_and_audit_checks() -> list[TableCheck]:
    return [
        TableCheck(
            SUITE,
            "mart_district_function_comparison",
            f"""
            select m.fiscal_year, m.doc_kind, m.district_code, m.class_code,
                   {fen("m.amount_wan")} as amount_fen,
                   cast(m.share_of_district_total as double) as share_of_district_total
            from marts.mart_district_function_comparison as m
            """,
            (
                # sums facts whose negative figures were quarantined: an invariant here
                between("amount_fen", 0, None, "amount_wan is not negative"),
                between("share_of_district_total", 0, 1, "share_of_district_total within [0, 1]"),
            ),
            key_columns=("fiscal_year", "doc_kind", "district_code", "class_code"),
            name="mart_district_function_comparison (shares)",
        ),
        TableCheck(
            SUITE,
            "audit_ingest",
            """
            select source_file, status, document_id,
                   coalesce((status = 'rejected') = (document_id is null), false)
                       as document_id_null_only_when_rejected
            from marts.audit_ingest
            """,
            (
                is_true(
                    "document_id_null_only_when_rejected",
                    "document_id is null exactly when the file was rejected",
                ),
            ),
            key_columns=("source_file", "status"),
            name="audit_ingest (document ids)",
        ),
    ]


def _page_checks() -> list[TableCheck]:
    """dim_document's page columns (that every source_page holds its source_line is the dbt
    test assert_source_page_holds_source_line)."""
    return [
        TableCheck(
            SUITE,
            "dim_document",
            """
            select document_id, source_file, page_count, pages_without_text,
                   coalesce(pages_without_text is null or page_count is not null, false)
                       as pages_without_text_only_for_pdfs
            from marts.dim_document
            """,
            (
                between("page_count", 1, None, "page_count is at least 1 when given"),
                matches(
                    "pages_without_text",
                    r"^[1-9][0-9]*(?:, [1-9][0-9]*)*$",
                    "pages_without_text is a comma list of page numbers when given",
                ),
                is_true(
                    "pages_without_text_only_for_pdfs",
                    "pages_without_text is null for a document without pages",
                ),
            ),
            key_columns=("document_id", "source_file"),
            name="dim_document (pages)",
        ),
    ]


def marts_checks(max_fiscal_year: int, manifest: MartsManifest | Path) -> list[TableCheck]:
    """Every check of the marts suite (``max_fiscal_year``: the latest plausible year;
    ``manifest``: dbt's ``manifest.json`` of the build, or its path)."""
    if isinstance(manifest, Path):
        manifest = MartsManifest.load(manifest)
    return [
        *_document_checks(manifest, max_fiscal_year),
        *_money_checks(manifest),
        *_code_checks(),
        *_summary_checks(),
        *_comparison_and_audit_checks(),
        *_page_checks(),
    ]
