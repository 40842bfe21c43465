"""Records that ingest lands, one dataclass per landed CSV file.

These dataclasses are the contract between the Python side and dbt: the field order is the
column order of ``seeds/landed/<name>.csv`` and every field is described in
``seeds/landed/_landed__seeds.yml``. Amounts are kept as decimal *text* exactly as printed
(thousands separators removed) together with the unit they were printed in; conversion to
万元 / 元 happens in dbt staging, never here.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field, fields
from pathlib import Path

from ingest.divisions import DEFAULT_DIVISIONS, DEFAULT_PROVINCE_CITY_DIVISIONS
from ingest.fast_init import fast_init, record_maker
from ingest.unit_names import match_name

# The reference files ingest reads (seeds/reference/…); a new one read by ingest must be listed
# here (tests/ingest/test_ingest_cache.py checks that every seeds/reference CSV named in ingest/ is).
_REFERENCE = DEFAULT_DIVISIONS.parent
PARSER_REFERENCE_FILES: tuple[Path, ...] = (
    DEFAULT_DIVISIONS,
    DEFAULT_PROVINCE_CITY_DIVISIONS,
    # the code lists the table guards check codes against (ingest/tables.py reference_codes)
    _REFERENCE / "functional_classification.csv",
    _REFERENCE / "functional_classes.csv",
    _REFERENCE / "economic_classification.csv",
)


def parser_digest(
    sources: tuple[Path, ...] | None = None, reference: tuple[Path, ...] = PARSER_REFERENCE_FILES
) -> str:
    """12 hex of the sha256 of the ingest code (``ingest/*.py``, and the C source of the PDF
    reader's native loop, ``ingest/native/*.c``) and the reference data it reads: any change to
    either gives another version, so a cached parse is never reused across it."""
    here = Path(__file__).parent
    code = sources if sources is not None else (
        *sorted(here.glob("*.py")), *sorted((here / "native").glob("*.c")))
    digest = hashlib.sha256()
    for path in (*code, *reference):
        data = path.read_bytes() if path.is_file() else b""
        digest.update(f"{path.name}\0{len(data)}\0".encode())
        digest.update(data)
    return digest.hexdigest()[:12]


# ``<release>+<digest>``: the release is bumped by hand for a change worth naming, the digest
# changes by itself with every change of the code or the reference data.
PARSER_RELEASE = "1.1.0"
PARSER_VERSION = f"{PARSER_RELEASE}+{parser_digest()}"


@dataclass(frozen=True)
class FileRecord:
    """One input file and what became of it (``landed_files.csv``)."""

    source_file: str  # path relative to the documents folder, forward slashes
    sha256: str  # of the raw bytes
    size_bytes: int
    encoding: str  # detected encoding, '' when unreadable
    status: str  # 'landed' | 'partial' | 'rejected' | 'duplicate'
    reason: str  # sentence a user can act on; '' only when landed cleanly
    document_id: str  # '' when rejected
    duplicate_of: str  # source_file of the copy that was landed, for 'duplicate'
    rows_landed: int  # table cells + prose figures + indicator rows landed
    unparsed_lines: int
    repeated_rows_dropped: int  # page-break repeats flagged (kept in the cells file, filtered in dbt)
    # Lines of the document before this file's first line: 0 for a file that is its own document
    # (or the first part of one); for the tables file joined to its narrative, the narrative's
    # line count (its line n is line n + line_offset of the document).
    line_offset: int = 0


@dataclass(frozen=True)
class DocumentRecord:
    """One published document (``landed_documents.csv``)."""

    document_id: str
    source_file: str
    sha256: str
    content_sha256: str  # of the normalised text; equal for the same text in two encodings
    encoding: str
    title: str  # the document's own title line(s), joined
    title_line: int  # line of the title; for a cover without title, where the unit was read
    identified_by: str  # 'title' | 'heading' | 'table_header' | 'prose' (how the unit was found)
    unit_name: str  # full official name as printed in the title
    unit_code: str  # printed unit code (e.g. 312002, 103001), '' when none
    parent_unit_name: str  # 主管部门 when the document states it
    district_code: str  # 6-digit code of the division the unit's name states, '' when unresolved
    district_name: str
    division_level: str  # 'province' | 'city' | 'county', '' when unresolved
    fiscal_year: int
    doc_kind: str  # 'budget' | 'final_accounts'
    scope: str  # 'department' | 'unit'
    published_date: str  # ISO date printed in the document, '' when none
    supersedes: str  # document_id of an earlier publication of the same unit/year/kind
    is_superseded: bool  # a newer publication of the same unit/year/kind exists
    parser_version: str
    line_count: int
    table_count: int
    rows_landed: int
    unparsed_lines: int
    # unit_name as compared across documents and years (ingest.unit_names.match_name): computed
    # here, so every constructor of the record lands it alike
    match_name: str = field(init=False, default="")

    def __post_init__(self) -> None:
        object.__setattr__(self, "match_name", match_name(self.unit_name))


@fast_init
@dataclass(frozen=True)
class TableRecord:
    """One table block found in a document (``landed_tables.csv``)."""

    document_id: str
    table_id: int  # 1.. in document order
    table_kind: str  # see ingest.table_kinds.TABLE_KINDS; 'unidentified' when unknown
    identified_by: str  # 'title' | 'shape' | 'none'
    label: str  # 附件 3 / 表七 as printed, '' when none
    title: str  # as printed, '' when the title was lost
    title_line: int  # 0 when the title was lost
    unit: str  # '万元' | '元' (the table's 单位)
    header_source: str  # 'document' | 'template' | 'none'
    column_labels: str  # JSON array of the column labels, index = column_number
    first_line: int
    last_line: int
    row_count: int
    cell_count: int
    repeated_rows: int  # rows flagged as page-break repeats
    note: str


@fast_init
@dataclass(frozen=True)
class CellRecord:
    """One figure in a table, in long form (``landed_table_cells.csv``)."""

    document_id: str
    table_id: int
    line_number: int
    row_number: int  # 1.. within the table (data rows only)
    column_number: int  # 0-based index of the cell in its row
    code: str  # classification code printed in the row (3/5/7 digits), '' when none
    row_label: str  # the row's name: nearest text cell left of the figure (科目名称 / 项目)
    column_label: str  # header labels of the column joined with ' | ', top to bottom
    value_text: str  # the cell as printed (after normalisation)
    amount: str  # decimal text ('353.13', '682000.00'), '' when the cell is not a number
    unit: str  # '万元' | '元' | '%'
    repeat_of_line: int  # line of the row this one repeats (page break), 0 when original


# CellRecord(…) made without the class call (ingest makes one per figure of every table)
new_cell_record = record_maker(CellRecord)


@fast_init
@dataclass(frozen=True)
class ProseFigureRecord:
    """One figure read from the narrative (``landed_prose_figures.csv``)."""

    document_id: str
    line_number: int  # line where the number starts
    section: str  # nearest heading above, as printed
    figure_key: str  # see ingest.prose.FIGURE_KEYS; 'unclassified' when no rule matched
    subject: str  # what the figure is about, as printed (e.g. 一般公共服务支出)
    qualifier: str  # 'amount' | 'change' | 'change_pct' | 'share_pct' | 'prior_year' | 'count'
    fund_source: str  # 'all' | 'general_public_budget' | 'government_fund' | 'state_capital'
    amount: str  # decimal text, signed for changes (减少 → negative)
    unit: str  # '万元' | '元' | '%' | '辆' | '个' | '人' | '批次' | '项' | '台'
    context: str  # the clause the figure was read from


@fast_init
@dataclass(frozen=True)
class ProjectRecord:
    """One project of a performance table (``landed_projects.csv``)."""

    document_id: str
    table_id: int
    line_number: int
    project_name: str
    project_code: str
    department_name: str  # 主管部门
    implementing_unit: str  # 实施单位 / 填报单位
    amount_unit: str  # '万元' | '元' as printed for the amounts below
    annual_budget: str  # 年度资金总额 / 年初预算数
    fiscal_appropriation: str  # 其中：财政拨款
    adjusted_budget: str  # 全年（调整）预算数
    executed: str  # 全年执行数
    execution_rate: str  # percent, as printed
    score: str  # 自评总分 / 执行率得分
    overall_target: str  # 总体目标 / 年初绩效目标 text
    adjusted_target: str
    actual_result: str  # 全年目标实际完成情况


@fast_init
@dataclass(frozen=True)
class IndicatorRecord:
    """One performance indicator (``landed_indicators.csv``)."""

    document_id: str
    table_id: int
    line_number: int
    project_name: str  # '' for the whole-unit target table
    indicator_level1: str
    indicator_level2: str
    indicator_level3: str
    indicator_name: str
    measure_unit: str
    operator: str  # '>=' | '<=' | '=' | '>' | '<' | 'qualitative' | ''
    target_value: str  # decimal text when numeric
    target_text: str  # the target as printed
    adjusted_target_text: str
    actual_text: str  # 全年完成值 (self-evaluation only)
    weight: str  # decimal text, percent sign dropped
    score: str  # 指标得分 (self-evaluation only)
    is_core: str  # 'true' | 'false' | ''


@fast_init
@dataclass(frozen=True)
class UnparsedLineRecord:
    """A non-empty line no parser understood (``landed_unparsed_lines.csv``)."""

    document_id: str
    line_number: int
    reason: str  # 'prose_without_figures' | 'table_row_not_understood' | ...
    text: str


@fast_init
@dataclass(frozen=True)
class PageRecord:
    """One page of a PDF document and the lines it holds (``landed_pages.csv``).

    Text documents have no pages. A page without a text layer holds no line
    (``first_line`` > ``last_line``).
    """

    document_id: str
    page_number: int  # 1-based
    first_line: int
    last_line: int
    has_text: bool


@fast_init
@dataclass(frozen=True)
class ProjectFundRecord:
    """One fund-source row of a project's budget (``landed_project_funds.csv``).

    The rows printed under a project's own budget row (其中：上级资金 / 区级资金 in a 绩效自评表,
    其中：财政拨款 / 其他资金 under 资金情况 in a 绩效目标表). Only rows whose figures sit under
    the budget header the same way the project's own budget row does are landed.
    """

    document_id: str
    table_id: int
    line_number: int
    project_name: str
    fund_label: str  # as printed, 其中 dropped: 上级资金 | 区级资金 | 财政拨款 | 其他资金 | ...
    amount_unit: str  # '万元' | '元' as printed for the project's amounts
    annual_budget: str  # 年初预算数 / 年度资金总额, '' when blank
    adjusted_budget: str  # 全年（调整）预算数
    executed: str  # 全年执行数
    execution_rate: str  # percent, as printed
    score: str  # 执行率得分


LANDED_FILES: dict[str, type] = {
    "landed_files": FileRecord,
    "landed_documents": DocumentRecord,
    "landed_tables": TableRecord,
    "landed_table_cells": CellRecord,
    "landed_prose_figures": ProseFigureRecord,
    "landed_projects": ProjectRecord,
    "landed_indicators": IndicatorRecord,
    "landed_unparsed_lines": UnparsedLineRecord,
    "landed_pages": PageRecord,
    "landed_project_funds": ProjectFundRecord,
}


def column_names(record_type: type) -> list[str]:
    """The CSV header of a landed record type."""
    return [f.name for f in fields(record_type)]
