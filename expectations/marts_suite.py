"""The ``marts`` suite: the analysts' tables in a built warehouse (DATA_CONTRACT.md).

Critical expectations are the ones a correct build can never break: contract columns present,
contract grains unique, closed vocabularies, amounts that cannot be negative non-negative,
every fact's document and classification code known to the dimensions, 万元 and 元 telling
the same amount. Rules that compare one published figure with another (basic + project ≤
total, the 三公 items within their total) are warnings: documents contradict themselves, and
the warehouse reports such disagreements (audit_reconciliation) instead of refusing them. A
corrupted figure still shows up as a warning row and in the data docs.

Money reaches GX as integer fen computed in SQL (``checks.fen``); the cross-figure rules are
computed in SQL as integer differences. Tolerances are 0.01 万元 per figure summed (printed
figures are rounded to 0.01 万元).
"""

from __future__ import annotations

from expectations.checks import (
    CLASSIFICATION_CODE,
    DISTRICT_CODE,
    Expect,
    TableCheck,
    between,
    columns_include,
    fen,
    in_set,
    is_true,
    matches,
    not_null,
    unique,
    yuan_fen,
)

SUITE = "marts"
FIRST_FISCAL_YEAR = 2000
ROUNDING_FEN = 10_000  # 0.01 万元 in fen
WAN_YUAN_TOLERANCE_FEN = 100  # amount_wan keeps one 元 (4 decimals of 万元)

COMMON_COLUMNS = (
    "document_id",
    "unit_id",
    "unit_name",
    "district_code",
    "district_name",
    "fiscal_year",
    "doc_kind",
)
FACT_COLUMNS = (*COMMON_COLUMNS, "source_kind", "source_line", "source_page")
DOC_KINDS = ("budget", "final_accounts")
SOURCE_KINDS = ("table", "narrative")
FUNCTION_MEASURES = ("total", "basic", "project", "reserve")
FUNCTION_FUND_SOURCES = (
    "general_public_budget", "government_fund", "state_capital", "fiscal_appropriation", "all"
)
ECONOMIC_MEASURES = ("total", "personnel", "public_operating")
THREE_PUBLIC_ITEMS = (
    "total",
    "overseas_travel",
    "official_reception",
    "vehicle_purchase",
    "vehicle_operation",
    "vehicle_total",
    "meeting",
    "training",
    "grand_total",
)
INCOME_SOURCES = (
    "general_public_budget",
    "government_fund",
    "state_capital",
    "fiscal_special_account",
    "business",
    "superior_subsidy",
    "subordinate_remittance",
    "operating",
    "other",
    "carried_over",
    "fiscal_appropriation",  # final accounts: 财政拨款收入
)
PROCUREMENT_CATEGORIES = (
    "total",
    "goods",
    "works",
    "services",
    "sme_awarded",
    "small_micro_awarded",
)
TARGET_OPERATORS = (">=", "<=", "=", ">", "<", "qualitative")
FILE_STATUSES = ("landed", "partial", "rejected", "duplicate", "quarantined")
RECONCILIATION_STATUSES = ("ok", "rounding", "mismatch")

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

# Models whose rows point at the document (source_line) and at the PDF page (source_page).
MODELS_WITH_PAGES = (
    "fct_expenditure_by_function",
    "fct_expenditure_by_economic",
    "fct_budget_summary",
    "fct_three_public",
    "fct_income_by_source",
    "fct_procurement",
    "fct_performance_targets",
    "fct_performance_evaluation",
    "fct_narrative_figures",
    "fct_table_figures",
    "audit_reconciliation",
)

# Columns each model must have (the contract; models may have more).
CONTRACT_COLUMNS: dict[str, tuple[str, ...]] = {
    "dim_document": (
        *COMMON_COLUMNS,
        "source_file",
        "sha256",
        "title",
        "scope",
        "unit_code",
        "parser_version",
        "page_count",
        "pages_without_text",
    ),
    "dim_unit": ("unit_id", "unit_name", "unit_short_name", "district_code", "parent_unit_name"),
    "dim_district": ("district_code", "district_name", "city_name", "province_name"),
    "dim_function_code": (
        "function_code",
        "function_name",
        "function_level",
        "class_code",
        "class_name",
        "section_code",
        "section_name",
    ),
    "dim_economic_code": (
        "economic_code",
        "economic_name",
        "economic_level",
        "class_code",
        "class_name",
    ),
    "fct_expenditure_by_function": (
        *FACT_COLUMNS,
        "function_code",
        "function_level",
        "function_name",
        "measure",
        "fund_source",
        "is_comparative",
        "amount_wan",
        "amount_yuan",
    ),
    "fct_expenditure_by_economic": (
        *FACT_COLUMNS,
        "economic_code",
        "economic_level",
        "economic_name",
        "measure",
        "amount_wan",
        "amount_yuan",
    ),
    "fct_budget_summary": (*COMMON_COLUMNS, *SUMMARY_AMOUNTS, "vehicle_count"),
    "fct_three_public": (*FACT_COLUMNS, "item", "amount_wan", "prior_year_amount_wan"),
    "fct_performance_targets": (
        *FACT_COLUMNS,
        "project_name",
        "indicator_level1",
        "indicator_level2",
        "indicator_level3",
        "indicator_name",
        "measure_unit",
        "operator",
        "target_value",
        "target_text",
        "actual_value",
        "weight",
        "is_core",
        "project_budget_wan",
    ),
    "fct_income_by_source": (
        *FACT_COLUMNS,
        "function_code",
        "income_source",
        "amount_wan",
        "amount_yuan",
    ),
    "fct_procurement": (*FACT_COLUMNS, "category", "amount_wan", "fund_source"),
    "fct_performance_evaluation": (
        *FACT_COLUMNS,
        "project_name",
        "department_name",
        "annual_budget_wan",
        "adjusted_budget_wan",
        "executed_wan",
        "execution_rate",
        "score",
    ),
    "mart_district_function_comparison": (
        "fiscal_year",
        "doc_kind",
        "district_code",
        "class_code",
        "class_name",
        "amount_wan",
        "share_of_district_total",
    ),
    "audit_ingest": (
        "source_file",
        "sha256",
        "status",
        "reason",
        "document_id",
    ),
    "audit_reconciliation": (
        "document_id",
        "check_name",
        "expected_wan",
        "actual_wan",
        "difference_wan",
        "status",
        "detail",
    ),
}


def _known_document(alias: str = "f") -> str:
    return (
        f"coalesce({alias}.document_id in (select document_id from marts.dim_document), false)"
        " as document_in_dim"
    )


def _known_code(column: str, dimension: str, alias: str = "f") -> str:
    return (
        f"coalesce({alias}.{column} in (select {column} from marts.{dimension}), false)"
        f" as {column}_in_dim"
    )


def _wan_yuan_gap(alias: str = "f") -> str:
    return (
        f"abs({yuan_fen(f'{alias}.amount_yuan')} - {fen(f'{alias}.amount_wan')})"
        " as wan_yuan_gap_fen"
    )


def _fact_rules(model: str) -> tuple[Expect, ...]:
    """Rules every fact shares: a known document, the closed vocabularies of the common columns."""
    return (
        is_true("document_in_dim", f"every {model} row's document_id is in dim_document"),
        in_set("doc_kind", DOC_KINDS),
        in_set("source_kind", SOURCE_KINDS),
    )


def _non_negative(column: str, what: str) -> Expect:
    """A document check: a negative figure is the document's (or a misread of it)."""
    return between(column, 0, None, f"{what} is not negative", quarantine=True)


def _agree(what: str = "amount") -> Expect:
    return between(
        "wan_yuan_gap_fen",
        0,
        WAN_YUAN_TOLERANCE_FEN,
        f"{what}_wan and {what}_yuan give the same amount (within 1 元)",
    )


def _contract_checks() -> list[TableCheck]:
    return [
        TableCheck(
            SUITE,
            model,
            f"select * from marts.{model} limit 0",
            (columns_include(columns, "has the contract's columns (DATA_CONTRACT.md)"),),
            name=f"{model} (columns)",
        )
        for model, columns in CONTRACT_COLUMNS.items()
    ]


def _dimension_checks(max_fiscal_year: int) -> list[TableCheck]:
    return [
        TableCheck(
            SUITE,
            "dim_document",
            "select document_id, source_file, unit_name, district_code, fiscal_year, doc_kind,"
            " scope from marts.dim_document",
            (
                not_null("document_id"),
                unique(["document_id"]),
                in_set("doc_kind", DOC_KINDS),
                in_set("scope", ("department", "unit")),
                not_null("fiscal_year"),
                between(
                    "fiscal_year",
                    FIRST_FISCAL_YEAR,
                    max_fiscal_year,
                    f"fiscal_year between {FIRST_FISCAL_YEAR} and {max_fiscal_year}",
                    quarantine=True,  # a document check: the year printed in the document
                ),
                matches("district_code", DISTRICT_CODE, "district_code is 6 digits when known"),
            ),
            key_columns=("document_id", "source_file"),
        ),
        TableCheck(
            SUITE,
            "dim_unit",
            "select unit_id, unit_name, district_code from marts.dim_unit",
            (
                not_null("unit_id"),
                unique(["unit_id"]),
                not_null("unit_name"),
                matches("district_code", DISTRICT_CODE, "district_code is 6 digits when known"),
            ),
            key_columns=("unit_id", "unit_name"),
        ),
        TableCheck(
            SUITE,
            "dim_district",
            "select district_code, district_name from marts.dim_district",
            (
                not_null("district_code"),
                unique(["district_code"]),
                matches("district_code", DISTRICT_CODE, "district_code is 6 digits"),
                not_null("district_name"),
            ),
            key_columns=("district_code", "district_name"),
        ),
        TableCheck(
            SUITE,
            "dim_function_code",
            """
            select function_code, function_name, function_level, class_code,
                   coalesce(length(function_code) = 1 + 2 * function_level, false)
                       as level_matches_code_length,
                   coalesce(class_code = substr(function_code, 1, 3), false)
                       as class_is_code_prefix
            from marts.dim_function_code
            """,
            (
                not_null("function_code"),
                unique(["function_code"]),
                matches("function_code", CLASSIFICATION_CODE, "function_code is 3, 5 or 7 digits"),
                in_set("function_level", (1, 2, 3)),
                is_true("level_matches_code_length", "function_level is 1/2/3 for 3/5/7 digits"),
                is_true("class_is_code_prefix", "class_code is the first 3 digits of the code"),
            ),
            key_columns=("function_code", "function_name"),
        ),
        TableCheck(
            SUITE,
            "dim_economic_code",
            """
            select economic_code, economic_name, economic_level, class_code,
                   coalesce(class_code = substr(economic_code, 1, 3), false)
                       as class_is_code_prefix
            from marts.dim_economic_code
            """,
            (
                not_null("economic_code"),
                unique(["economic_code"]),
                matches("economic_code", CLASSIFICATION_CODE, "economic_code is 3 or 5 digits"),
                in_set("economic_level", (1, 2)),
                is_true("class_is_code_prefix", "class_code is the first 3 digits of the code"),
            ),
            key_columns=("economic_code", "economic_name"),
        ),
    ]


def _fact_checks() -> list[TableCheck]:
    return [
        TableCheck(
            SUITE,
            "fct_expenditure_by_function",
            f"""
            select f.document_id, f.fiscal_year, f.doc_kind, f.source_kind, f.source_line,
                   f.function_code, f.function_level, f.measure, f.fund_source,
                   f.is_comparative, {fen("f.amount_wan")} as amount_fen,
                   {_wan_yuan_gap()}, {_known_document()},
                   {_known_code("function_code", "dim_function_code")}
            from marts.fct_expenditure_by_function as f
            """,
            (
                *_fact_rules("fct_expenditure_by_function"),
                unique(["document_id", "fiscal_year", "function_code", "measure", "fund_source"]),
                is_true("function_code_in_dim", "every function_code is in dim_function_code"),
                in_set("function_level", (1, 2, 3)),
                in_set("measure", FUNCTION_MEASURES),
                in_set("fund_source", FUNCTION_FUND_SOURCES),
                in_set("is_comparative", (True, False)),
                not_null("amount_fen", "amount_wan is present"),
                _non_negative("amount_fen", "expenditure (amount_wan)"),
                _agree(),
            ),
            key_columns=("document_id", "source_line", "function_code", "measure", "fund_source"),
        ),
        TableCheck(
            SUITE,
            "fct_expenditure_by_economic",
            f"""
            select f.document_id, f.fiscal_year, f.doc_kind, f.source_kind, f.source_line,
                   f.economic_code, f.economic_level, f.measure,
                   {fen("f.amount_wan")} as amount_fen, {_wan_yuan_gap()}, {_known_document()},
                   {_known_code("economic_code", "dim_economic_code")}
            from marts.fct_expenditure_by_economic as f
            """,
            (
                *_fact_rules("fct_expenditure_by_economic"),
                unique(["document_id", "economic_code", "measure"]),
                is_true("economic_code_in_dim", "every economic_code is in dim_economic_code"),
                in_set("measure", ECONOMIC_MEASURES),
                not_null("amount_fen", "amount_wan is present"),
                _non_negative("amount_fen", "expenditure (amount_wan)"),
                _agree(),
            ),
            key_columns=("document_id", "source_line", "economic_code", "measure"),
        ),
        TableCheck(
            SUITE,
            "fct_three_public",
            f"""
            select f.document_id, f.doc_kind, f.source_kind, f.source_line, f.item,
                   {fen("f.amount_wan")} as amount_fen,
                   {fen("f.prior_year_amount_wan")} as prior_year_amount_fen, {_known_document()}
            from marts.fct_three_public as f
            """,
            (
                *_fact_rules("fct_three_public"),
                unique(["document_id", "item"]),
                in_set("item", THREE_PUBLIC_ITEMS),
                _non_negative("amount_fen", "三公 expenditure (amount_wan)"),
                _non_negative("prior_year_amount_fen", "prior_year_amount_wan"),
            ),
            key_columns=("document_id", "source_line", "item"),
        ),
        TableCheck(
            SUITE,
            "fct_income_by_source",
            f"""
            select f.document_id, f.doc_kind, f.source_kind, f.source_line, f.function_code,
                   f.income_source, {fen("f.amount_wan")} as amount_fen, {_wan_yuan_gap()},
                   {_known_document()},
                   coalesce(f.function_code is null or f.function_code in
                       (select function_code from marts.dim_function_code), false)
                       as function_code_in_dim
            from marts.fct_income_by_source as f
            """,
            (
                *_fact_rules("fct_income_by_source"),
                unique(["document_id", "function_code", "income_source"]),
                is_true("function_code_in_dim", "every function_code is in dim_function_code"),
                in_set("income_source", INCOME_SOURCES),
                _non_negative("amount_fen", "income (amount_wan)"),
                _agree(),
            ),
            key_columns=("document_id", "source_line", "function_code", "income_source"),
        ),
        TableCheck(
            SUITE,
            "fct_procurement",
            f"""
            select f.document_id, f.doc_kind, f.source_kind, f.source_line, f.category,
                   f.fund_source, {fen("f.amount_wan")} as amount_fen, {_known_document()}
            from marts.fct_procurement as f
            """,
            (
                *_fact_rules("fct_procurement"),
                in_set("category", PROCUREMENT_CATEGORIES),
                _non_negative("amount_fen", "procurement (amount_wan)"),
            ),
            key_columns=("document_id", "source_line", "category"),
        ),
        TableCheck(
            SUITE,
            "fct_performance_targets",
            f"""
            select f.document_id, f.doc_kind, f.source_kind, f.source_line, f.project_name,
                   f.indicator_name, f.operator, {_known_document()}
            from marts.fct_performance_targets as f
            """,
            (
                *_fact_rules("fct_performance_targets"),
                in_set("operator", TARGET_OPERATORS),
            ),
            key_columns=("document_id", "source_line", "indicator_name"),
        ),
        TableCheck(
            SUITE,
            "fct_performance_evaluation",
            f"""
            select f.document_id, f.doc_kind, f.source_kind, f.source_line, f.project_name,
                   {fen("f.annual_budget_wan")} as annual_budget_fen,
                   {fen("f.executed_wan")} as executed_fen, {_known_document()}
            from marts.fct_performance_evaluation as f
            """,
            (
                *_fact_rules("fct_performance_evaluation"),
                _non_negative("annual_budget_fen", "annual_budget_wan"),
                _non_negative("executed_fen", "executed_wan"),
            ),
            key_columns=("document_id", "source_line", "project_name"),
        ),
    ]


def _summary_checks() -> list[TableCheck]:
    amounts = ",\n                   ".join(
        f"{fen('s.' + c)} as {c[:-4]}_fen" for c in SUMMARY_AMOUNTS
    )
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
            select s.document_id, s.fiscal_year, s.doc_kind,
                   {amounts},
                   s.vehicle_count, {_known_document("s")}
            from marts.fct_budget_summary as s
            """,
            (
                unique(["document_id"], "one row per document"),
                not_null("document_id"),
                is_true("document_in_dim", "every summary's document_id is in dim_document"),
                in_set("doc_kind", DOC_KINDS),
                *(_non_negative(f"{c[:-4]}_fen", c) for c in SUMMARY_AMOUNTS),
                between("vehicle_count", 0, None, "vehicle_count is not negative"),
            ),
            key_columns=("document_id",),
        ),
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
                unique(["fiscal_year", "doc_kind", "district_code", "class_code"]),
                in_set("doc_kind", DOC_KINDS),
                matches("class_code", r"^\d{3}$", "class_code is a 3-digit 类"),
                # sums facts whose negative figures were quarantined: an invariant here
                between("amount_fen", 0, None, "amount_wan is not negative"),
                between("share_of_district_total", 0, 1, "share_of_district_total within [0, 1]"),
            ),
            key_columns=("fiscal_year", "doc_kind", "district_code", "class_code"),
        ),
        TableCheck(
            SUITE,
            "audit_ingest",
            """
            select source_file, status, reason, document_id,
                   coalesce(status = 'landed' or coalesce(reason, '') <> '', false)
                       as reason_given_unless_landed,
                   coalesce((status = 'rejected') = (document_id is null), false)
                       as document_id_null_only_when_rejected
            from marts.audit_ingest
            """,
            (
                not_null("source_file"),
                unique(["source_file"]),
                in_set("status", FILE_STATUSES),
                is_true("reason_given_unless_landed", "reason is given unless the file landed"),
                is_true(
                    "document_id_null_only_when_rejected",
                    "document_id is null exactly when the file was rejected",
                ),
            ),
            key_columns=("source_file", "status"),
        ),
        TableCheck(
            SUITE,
            "audit_reconciliation",
            """
            select a.document_id, a.check_name, a.status,
                   coalesce(a.document_id in (select document_id from marts.dim_document), false)
                       as document_in_dim
            from marts.audit_reconciliation as a
            """,
            (
                not_null("check_name"),
                in_set("status", RECONCILIATION_STATUSES),
                is_true("document_in_dim", "every check's document_id is in dim_document"),
            ),
            key_columns=("document_id", "check_name"),
        ),
    ]


def _page_checks() -> list[TableCheck]:
    """source_page: null for a document without pages (a text document); for a PDF, a page
    of the document (1..page_count) whenever the row has a source_line."""
    rows = "\n            union all\n            ".join(
        f"select '{model}' as model_name, document_id, source_line, source_page"
        f" from marts.{model}"
        for model in MODELS_WITH_PAGES
    )
    return [
        TableCheck(
            SUITE,
            "fct_* and audit_reconciliation",
            f"""
            with rows as (
            {rows}
            )
            select r.model_name, r.document_id, r.source_line, r.source_page, d.page_count,
                   coalesce(d.page_count is not null or r.source_page is null, false)
                       as no_page_without_pages,
                   coalesce(
                       d.page_count is null or r.source_line is null
                           or r.source_page between 1 and d.page_count,
                       false
                   ) as page_within_document
            from rows as r
            left join marts.dim_document as d
                on r.document_id = d.document_id
            """,
            (
                is_true(
                    "no_page_without_pages",
                    "source_page is null for a document without pages (a text document)",
                ),
                is_true(
                    "page_within_document",
                    "a PDF row with a source_line has a source_page within 1..page_count",
                ),
            ),
            key_columns=("model_name", "document_id", "source_line", "source_page"),
            name="source_page (every model with source_line)",
        ),
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


def marts_checks(max_fiscal_year: int) -> list[TableCheck]:
    """Every check of the marts suite (``max_fiscal_year``: the latest plausible year)."""
    return [
        *_contract_checks(),
        *_dimension_checks(max_fiscal_year),
        *_fact_checks(),
        *_summary_checks(),
        *_comparison_and_audit_checks(),
        *_page_checks(),
    ]
