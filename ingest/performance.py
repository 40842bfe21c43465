"""Parse performance tables (绩效目标表 / 绩效自评表) into projects and indicators.

Three table kinds arrive here as :class:`~ingest.blocks.TableBlock`:

* ``performance_overall`` 整体绩效目标表: a few header fields (部门(单位)名称, 部门支出预算数,
  当年整体绩效目标) then one indicator per row;
* ``performance_project`` 项目/专项资金绩效目标表: per project 填报单位, 项目名称, 主管部门,
  资金情况 (元), 总体目标, then indicators with 一级/二级/三级指标;
* ``performance_self_evaluation`` 项目绩效自评表 (final accounts): 项目名称, 主管部门, a budget
  grid (年初预算数 / 全年（调整）预算数 / 全年执行数 / 执行率 …), three target texts, then
  indicators with 年初指标值 / 调整指标值 / 全年完成值 / 指标得分.

The printed rows are messy (cells shifted left or right, merged level cells left blank, header
words and indicator names split over two lines), so the parser reads by *content*: the header
gives the order of the columns, each indicator row is anchored on its operator cell
(``≥ ≤ = > < 定性``) and the other cells are read around it at the offset that fits them best.
Level cells (…指标) are recognised by their words wherever they landed.

Fund-source rows printed under a project's budget (其中：上级资金 / 区级资金 under the budget
grid of a 绩效自评表, 其中：财政拨款 / 其他资金 under 资金情况) land as
:class:`~ingest.records.ProjectFundRecord` only when their figures sit under the header the same
way the project's own budget row does (cell for cell under the header words, or one figure per
header word in order; for a field row, in the column of the 年度资金总额 value). Otherwise the
row stays unparsed: nothing is guessed.

Every non-blank line of the block ends up either in ``understood_lines`` or as an
:class:`~ingest.records.UnparsedLineRecord` with a reason, never both and never neither.
Amounts stay decimal text in the unit they were printed in; conversion happens in dbt.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field, fields, replace
from functools import lru_cache

from ingest import traditional
from ingest.blocks import Line, TableBlock
from ingest.records import (
    IndicatorRecord,
    ProjectFundRecord,
    ProjectRecord,
    UnparsedLineRecord,
)

PERFORMANCE_KINDS = frozenset(
    {"performance_overall", "performance_project", "performance_self_evaluation"}
)

# Reasons written on unparsed lines (landed_unparsed_lines.reason).
REASON_NO_OPERATOR = "indicator_row_without_operator"
REASON_INCOMPLETE = "indicator_row_incomplete"
REASON_NOT_ALIGNED = "indicator_row_not_aligned"
REASON_BEFORE_HEADER = "indicator_row_before_header"
REASON_NAME_WITHOUT_FIGURES = "indicator_name_without_figures"
REASON_BUDGET_NOT_ALIGNED = "budget_row_not_aligned"
REASON_FUND_SOURCE = "fund_source_row_not_landed"
REASON_NOTE = "note_not_landed"
REASON_FIELD_ROW = "field_row_not_understood"
REASON_ROW = "performance_row_not_understood"


@dataclass(frozen=True)
class PerformanceResult:
    """What a performance table yields; see the module docstring for the accounting rule."""

    projects: list[ProjectRecord]
    indicators: list[IndicatorRecord]
    unparsed: list[UnparsedLineRecord]
    understood_lines: frozenset[int]
    funds: list[ProjectFundRecord] = field(default_factory=list)


# --------------------------------------------------------------------------------------------
# Cell vocabulary
# --------------------------------------------------------------------------------------------

_OPERATORS: dict[str, str] = {
    "≥": ">=",
    "≧": ">=",
    ">=": ">=",
    "\\geq": ">=",
    "&ge;": ">=",
    "大于等于": ">=",
    "≤": "<=",
    "≦": "<=",
    "<=": "<=",
    "\\leq": "<=",
    "&le;": "<=",
    "小于等于": "<=",
    "=": "=",
    "＝": "=",
    "等于": "=",
    ">": ">",
    "＞": ">",
    "大于": ">",
    "<": "<",
    "＜": "<",
    "小于": "<",
    "定性": "qualitative",
}

_SPACE = re.compile(r"\s+")
_NUMBER = re.compile(r"^[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?$")
_UNIT_IN_BRACKETS = re.compile(r"[(（]\s*(万元|元)\s*[)）]")
_UNIT_SUFFIX = re.compile(r"[(（]\s*(?:%|％|分|元|万元)\s*[)）]")
_SEPARATOR = re.compile(r"^[-—–=_]+$")
_HEADER_FRAGMENT = re.compile(r"^[(（]?(?:值|数|%|％|分|元|万元)[)）]?$")
_CODED_NAME = re.compile(r"^(?=[0-9A-Za-z]*\d)([0-9A-Za-z]{6,})\s*[-－—]\s*(\S.*)$")
_TITLE = re.compile(r"^(?:附件\d+|表[一二三四五六七八九十百\d]+|单位[：:].*)$")

_NONE_TEXTS = frozenset({"无", "/", "-", "—", "——"})

# The national framework's first-level indicator names (一级指标).
LEVEL1_WORDS = frozenset({"产出指标", "效益指标", "满意度指标", "成本指标"})


@lru_cache(maxsize=1 << 14)  # pure functions of a cell: a table asks for each many times
def _compact(cell: str) -> str:
    """Whitespace removed, full-width brackets made half-width."""
    return _SPACE.sub("", cell).replace("（", "(").replace("）", ")")


@lru_cache(maxsize=1 << 14)
def _key(cell: str) -> str:
    """A header word for lookups: compact, unit brackets and remaining brackets/colons dropped."""
    text = _UNIT_SUFFIX.sub("", _compact(cell))
    return text.replace("(", "").replace(")", "").rstrip("：:")


@lru_cache(maxsize=1 << 14)
def operator_of(cell: str) -> str | None:
    """The operator a cell prints ('>=', '<=', '=', '>', '<', 'qualitative'), or None."""
    return _OPERATORS.get(_SPACE.sub("", cell))


@lru_cache(maxsize=1 << 14)
def decimal_text(cell: str, allow_percent: bool = False) -> str:
    """Decimal text of a numeric cell (thousands separators removed), '' when not a number."""
    text = _SPACE.sub("", cell)
    if allow_percent and text.endswith(("%", "％")):
        text = text[:-1]
    if not _NUMBER.match(text):
        return ""
    return text.replace(",", "")


def split_project_name(text: str) -> tuple[str, str]:
    """``'50010423T000002826048-重庆市…建设'`` → ``('50010423T000002826048', '重庆市…建设')``."""
    match = _CODED_NAME.match(text.strip())
    if match is None:
        return "", text.strip()
    return match.group(1), match.group(2).strip()


def _is_separator(cells: Sequence[str]) -> bool:
    filled = [c for c in cells if c]
    return bool(filled) and all(_SEPARATOR.match(c) for c in filled)


def _is_title(cells: Sequence[str]) -> bool:
    """A title, label or unit line caught inside the block (附件 10, 表十一, 单位：元, …绩效…表)."""
    filled = [_compact(c) for c in cells if c]
    if len(filled) != 1 or len(filled[0]) > 60:
        return False
    text = filled[0]
    return bool(_TITLE.match(text)) or (text.endswith("表") and "绩效" in text)


# --------------------------------------------------------------------------------------------
# Header recognition
# --------------------------------------------------------------------------------------------

_INDICATOR_ROLES: dict[str, str] = {
    "绩效指标": "label",
    "指标": "name",
    "指标名称": "name",
    "一级指标": "level1",
    "二级指标": "level2",
    "三级指标": "level3",
    "指标权重": "weight",
    "权重": "weight",
    "计量单位": "unit",
    "度量单位": "unit",
    "指标性质": "op",
    "指标值": "target",
    "年初指标值": "target",
    "年初指标": "target",
    "调整指标值": "adjusted",
    "调整指标": "adjusted",
    "调整后指标值": "adjusted",
    "全年完成值": "actual",
    "全年实际值": "actual",
    "实际完成值": "actual",
    "得分系数": "coefficient",
    "指标得分": "score",
    "得分": "score",
    "是否核心指标": "core",
}

_BUDGET_ROLES: dict[str, str] = {
    "年初预算数": "annual_budget",
    "年初预算": "annual_budget",
    "全年调整预算数": "adjusted_budget",
    "全年调整预算": "adjusted_budget",
    "调整预算数": "adjusted_budget",
    "调整后预算数": "adjusted_budget",
    "全年预算数": "adjusted_budget",
    "全年执行数": "executed",
    "执行数": "executed",
    "执行率": "execution_rate",
    "执行率权重": "execution_rate_weight",
    "执行率得分": "execution_rate_score",
}
_TOTAL_LABELS = frozenset({"年度总金额", "年度资金总额", "合计", "总计"})
_FUND_SOURCE_LABELS = frozenset(
    {"上级资金", "区级资金", "市级资金", "县级资金", "本级资金", "其他资金", "自有资金", "其他"}
)

_TARGET_ROLES: dict[str, str] = {
    "年初绩效目标": "overall_target",
    "全年调整绩效目标": "adjusted_target",
    "调整绩效目标": "adjusted_target",
    "全年目标实际完成情况": "actual_result",
    "实际完成情况": "actual_result",
}

# Field labels → what they fill. 'ignored' labels are understood and deliberately not landed
# (contact people and telephone numbers, 财政科室, 执行率权重).
_FIELD_LABELS: dict[str, str] = {
    "项目名称": "project_name",
    "项目编码": "project_code",
    "项目代码": "project_code",
    "主管部门": "department_name",
    "实施单位": "implementing_unit",
    "填报单位": "reporting_unit",
    "部门单位名称": "unit_name",
    "单位名称": "unit_name",
    "部门名称": "unit_name",
    "部门支出预算数": "annual_budget",
    "部门预算数": "annual_budget",
    "年度资金总额": "annual_budget",
    "年度总金额": "annual_budget",
    "财政拨款": "fiscal_appropriation",
    "其他资金": "other_funds",
    "资金情况": "amount_heading",
    "项目资金": "amount_heading",
    "自评总分": "score",
    "当年整体绩效目标": "overall_target",
    "整体绩效目标": "overall_target",
    "总体目标": "overall_target",
    "年度总体目标": "overall_target",
    "年度绩效目标": "overall_target",
    "说明": "note",
    "其中": "of_which",
    "项目负责人及联系电话": "ignored",
    "项目负责人": "ignored",
    "项目联系人": "ignored",
    "联系人": "ignored",
    "联系电话": "ignored",
    "财政科室": "ignored",
    "预算执行率权重": "ignored",
}
_TEXT_FIELDS = frozenset({"overall_target", "adjusted_target", "actual_result"})


def _field_label(cell: str) -> tuple[str, str] | None:
    """(field, inline value) when a cell is a field label, e.g. '填报单位： 103001-…'."""
    compact = _compact(cell)
    if compact.startswith("其中"):
        rest = compact[2:].lstrip("：:")
        if not rest:
            return "of_which", ""
        compact = rest
        cell = rest
    parts = re.split(r"[：:]", cell, maxsplit=1)
    label = _key(parts[0])
    if label not in _FIELD_LABELS:
        return None
    inline = parts[1].strip() if len(parts) == 2 else ""
    return _FIELD_LABELS[label], inline


def _roles(cells: Sequence[str], vocabulary: dict[str, str]) -> dict[str, int]:
    """Role → first column position, for the header cells found in ``vocabulary``."""
    roles: dict[str, int] = {}
    for position, cell in enumerate(cells):
        role = vocabulary.get(_key(cell)) if cell else None
        if role is not None and role not in roles:
            roles[role] = position
    return roles


@dataclass(frozen=True)
class _IndicatorColumns:
    """Column positions of an indicator header (role → 0-based cell index)."""

    positions: dict[str, int]
    has_levels: bool

    @property
    def name_role(self) -> str:
        return "name" if "name" in self.positions else "level3"


def _indicator_header(cells: Sequence[str]) -> _IndicatorColumns | None:
    roles = _roles(cells, _INDICATOR_ROLES)
    if "op" not in roles or not ({"name", "level3"} & roles.keys()) or len(roles) < 3:
        return None
    has_levels = bool({"level1", "level2", "level3"} & roles.keys())
    return _IndicatorColumns(positions=roles, has_levels=has_levels)


def _budget_header(cells: Sequence[str]) -> dict[str, int] | None:
    roles = _roles(cells, _BUDGET_ROLES)
    return roles if len(roles) >= 2 else None


def _target_header(cells: Sequence[str]) -> dict[str, int] | None:
    roles = _roles(cells, _TARGET_ROLES)
    return roles if len(roles) >= 2 else None


def _is_header_fragment(cells: Sequence[str]) -> bool:
    filled = [_compact(c) for c in cells if c]
    return bool(filled) and all(_HEADER_FRAGMENT.match(c) for c in filled)


# --------------------------------------------------------------------------------------------
# Indicator rows: anchor on the operator, read around it
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Placement:
    offset: int
    score: float
    operator_index: int
    uncovered: tuple[int, ...]


def _looks_like_weight(cell: str) -> bool:
    return bool(decimal_text(cell, allow_percent=True))


def _looks_like_unit(cell: str) -> bool:
    return len(cell) <= 8 and not decimal_text(cell) and operator_of(cell) is None


def _score_offset(
    cells: Sequence[str], columns: _IndicatorColumns, offset: int, operator_index: int
) -> _Placement:
    positions = columns.positions

    def at(role: str) -> str | None:
        if role not in positions:
            return None
        index = positions[role] + offset
        return cells[index] if 0 <= index < len(cells) else None

    score = 0.0
    name = at(columns.name_role)
    if name and not decimal_text(name, allow_percent=True) and operator_of(name) is None:
        score += 2
    else:
        score -= 3
    op_cell_index = positions["op"] + offset
    unit_index = positions["unit"] + offset if "unit" in positions else None
    if op_cell_index == operator_index:
        score += 1
    elif unit_index == operator_index and not at("op"):
        score += 0  # 定性 printed in the unit column, the operator column left empty
    else:
        score -= 2
    target = at("target")
    score += 1 if target else -1
    if "weight" in positions:
        weight = at("weight")
        if weight and _looks_like_weight(weight):
            score += 1
        elif weight:
            score -= 1
    if "unit" in positions and unit_index != operator_index:
        unit = at("unit")
        if unit is None or unit == "" or _looks_like_unit(unit):
            score += 0.5
        else:
            score -= 1
    if "core" in positions:
        core = at("core")
        if core in ("是", "否"):
            score += 1
        elif core:
            score -= 1
    for role in ("coefficient", "score"):
        if role in positions:
            value = at(role)
            if value and decimal_text(value, allow_percent=True):
                score += 0.5
            elif value:
                score -= 1
    name_index = positions[columns.name_role] + offset
    covered = {p + offset for p in positions.values()}
    uncovered = tuple(
        i for i, c in enumerate(cells) if c and i not in covered and i >= max(name_index, 0)
    )
    score -= len(uncovered)
    return _Placement(offset, score, operator_index, uncovered)


def _place(cells: Sequence[str], columns: _IndicatorColumns) -> _Placement | None:
    operator_index = next((i for i, c in enumerate(cells) if operator_of(c)), None)
    if operator_index is None:
        return None
    anchors = [columns.positions["op"]]
    if "unit" in columns.positions:
        anchors.append(columns.positions["unit"])
    candidates = [
        _score_offset(cells, columns, operator_index - anchor, operator_index) for anchor in anchors
    ]
    # Highest score wins; on a tie the operator-column anchor (listed first) is kept.
    return max(candidates, key=lambda p: p.score)


def _level_words(
    cells: Sequence[str], columns: _IndicatorColumns, offset: int, name_index: int
) -> tuple[str, str, int]:
    """(level1, level2, count) read from the cells left of the indicator name.

    A cell whose words are a first-level indicator (产出指标…) is level 1, another …指标 cell
    is level 2; otherwise the header's column decides. Returns the number of level cells.
    """
    by_position = {p + offset: role for role, p in columns.positions.items()}
    found = [
        (i, c) for i, c in enumerate(cells[: max(name_index, 0)]) if c and _key(c) != "绩效指标"
    ]
    level1 = level2 = ""
    rest: list[tuple[int, str]] = []
    for index, cell in found:
        if _key(cell) in LEVEL1_WORDS and not level1:
            level1 = cell
        else:
            rest.append((index, cell))
    if len(rest) == 1:
        index, cell = rest[0]
        if level1 or (_key(cell).endswith("指标") and by_position.get(index) != "level1"):
            level2 = cell
        else:
            level1 = cell
    elif len(rest) >= 2:
        if level1:
            level2 = rest[0][1]
        else:
            level1, level2 = rest[0][1], rest[1][1]
    return level1, level2, len(found)


# --------------------------------------------------------------------------------------------
# Drafts (mutable while the block is read, frozen into records at the end)
# --------------------------------------------------------------------------------------------


@dataclass
class _ProjectDraft:
    line_number: int
    values: dict[str, str] = field(default_factory=dict)
    amount_unit: str = ""
    indicator_count: int = 0
    # how the project's own budget figures sat under their header: 'position' (cell under
    # header word), 'order' (one figure per header word) or 'column:<n>' (a field row's value
    # column); '' until a budget row was read. Fund rows land only when they sit the same way.
    budget_alignment: str = ""

    def text(self, name: str) -> str:
        return self.values.get(name, "")


@dataclass
class _IndicatorDraft:
    line_number: int
    project: _ProjectDraft | None
    level1: str
    level2: str
    level3: str
    name: str
    measure_unit: str
    operator: str
    target_text: str
    adjusted_target_text: str
    actual_text: str
    weight: str
    score: str
    is_core: str


@dataclass
class _FundDraft:
    line_number: int
    project: _ProjectDraft
    label: str
    values: dict[str, str]


@dataclass
class _State:
    block: TableBlock
    understood: set[int] = field(default_factory=set)
    unparsed: list[UnparsedLineRecord] = field(default_factory=list)
    projects: list[_ProjectDraft] = field(default_factory=list)
    indicators: list[_IndicatorDraft] = field(default_factory=list)
    funds: list[_FundDraft] = field(default_factory=list)
    section: str = "fields"  # 'fields' | 'budget' | 'targets' | 'indicators'
    columns: _IndicatorColumns | None = None
    budget_columns: dict[str, int] = field(default_factory=dict)
    target_columns: dict[str, int] = field(default_factory=dict)
    last_kind: str = ""  # what the previous line was: 'header', 'indicator', 'field:<name>', …
    level1: str = ""
    level2: str = ""
    pending_name: tuple[Line, str] | None = None

    @property
    def project(self) -> _ProjectDraft | None:
        return self.projects[-1] if self.projects else None

    def ok(self, line: Line, kind: str) -> None:
        self.understood.add(line.number)
        self.last_kind = kind

    def reject(self, line: Line, reason: str) -> None:
        self.unparsed.append(
            UnparsedLineRecord(
                document_id=self.block.document_id,
                line_number=line.number,
                reason=reason,
                text=line.text,
            )
        )
        self.last_kind = "unparsed"

    def new_project(self, line: Line) -> _ProjectDraft:
        draft = _ProjectDraft(line_number=line.number)
        self.projects.append(draft)
        self.section = "fields"
        self.columns = None
        self.budget_columns = {}
        self.target_columns = {}
        self.level1 = self.level2 = ""
        return draft

    def flush_pending(self) -> None:
        if self.pending_name is not None:
            self.reject(self.pending_name[0], REASON_NAME_WITHOUT_FIGURES)
            self.pending_name = None


# --------------------------------------------------------------------------------------------
# Line handlers
# --------------------------------------------------------------------------------------------

_STARTS_PROJECT = frozenset({"project_name", "reporting_unit", "unit_name"})


def _read_field_row(state: _State, line: Line, cells: Sequence[str]) -> None:
    """A row of label/value pairs (项目名称 | … | 项目编码 | … | 自评总分 | 100.00)."""
    pairs: list[tuple[str, str, str, int]] = []  # (field, value, label cell, value column)
    leftovers: list[str] = []
    index = 0
    while index < len(cells):
        cell = cells[index]
        index += 1
        if not cell:
            continue
        label = _field_label(cell)
        if label is None:
            leftovers.append(cell)
            continue
        name, value = label
        value_column = index - 1
        if not value:
            # the value is the next non-empty cell unless that cell is itself a label
            probe = index
            while probe < len(cells) and not cells[probe]:
                probe += 1
            if probe < len(cells) and _field_label(cells[probe]) is None:
                value = cells[probe]
                value_column = probe
                index = probe + 1
        pairs.append((name, value, cell, value_column))

    draft = state.project
    starter = next(((n, v) for n, v, _, _ in pairs if n in _STARTS_PROJECT), None)
    if starter is not None and draft is not None:
        name, value = starter
        if draft.indicator_count > 0 or (draft.text(name) and draft.text(name) != value):
            draft = None  # the row opens the next project of the block
    if draft is None:
        draft = state.new_project(line)

    reason = ""
    fund_pairs = sum(1 for name, *_ in pairs if name in _FUND_FIELDS)
    for name, value, label_cell, value_column in pairs:
        alone = fund_pairs == 1 and len(pairs) == 1 and not leftovers
        if name in _FUND_FIELDS and alone and decimal_text(value):
            # the only figure of its row, in the column of the project's 年度资金总额
            _add_field_fund(state, line, draft, label_cell, value, value_column)
        if name == "amount_heading":
            unit = _UNIT_IN_BRACKETS.search(label_cell)
            if unit:
                draft.amount_unit = unit.group(1)
        elif name in ("ignored", "of_which"):
            continue
        elif name == "note":
            if value:
                reason = REASON_NOTE
        elif name == "other_funds":
            if value and not _landed_fund(state, line):
                reason = REASON_FUND_SOURCE
        elif name in ("annual_budget", "fiscal_appropriation", "score"):
            amount = decimal_text(value)
            if value and not amount:
                reason = REASON_FIELD_ROW
            elif amount:
                draft.values[name] = amount
                if name == "annual_budget":
                    draft.budget_alignment = f"column:{value_column}"
        elif name in _TEXT_FIELDS:
            draft.values[name] = draft.text(name) + value
        else:
            draft.values[name] = value
    if leftovers and not reason:
        reason = REASON_FIELD_ROW
    if reason:
        state.funds[:] = [f for f in state.funds if f.line_number != line.number]
        state.reject(line, reason)
    else:
        state.ok(line, f"field:{pairs[-1][0]}")


_FUND_FIELDS = frozenset({"fiscal_appropriation", "other_funds"})


def _fund_label(cell: str) -> str:
    """A fund label as printed, without 其中 and colons: '其中：上级资金' → '上级资金'."""
    text = _SPACE.sub("", cell)
    if text.startswith("其中"):
        text = text[2:].lstrip("：:")
    return re.split(r"[：:]", text, maxsplit=1)[0]


def _landed_fund(state: _State, line: Line) -> bool:
    return any(f.line_number == line.number for f in state.funds)


def _add_field_fund(
    state: _State, line: Line, draft: _ProjectDraft, label: str, value: str, column: int
) -> None:
    """A fund row of 资金情况 (其中：财政拨款 | … | 300,000.00) in the 年度资金总额 column."""
    if draft.budget_alignment != f"column:{column}":
        return
    state.funds.append(
        _FundDraft(
            line_number=line.number,
            project=draft,
            label=_fund_label(label),
            values={"annual_budget": decimal_text(value)},
        )
    )


def _align_numbers(
    numbers: Sequence[tuple[int, str]], columns: dict[str, int]
) -> tuple[str, dict[str, str]] | None:
    """Map a budget row's numbers to the header roles: by position, else in order.

    Returns how they were aligned ('position' | 'order') and role → value, or None.
    """
    by_position = {p: role for role, p in columns.items()}
    if all(i in by_position for i, _ in numbers):
        return "position", {by_position[i]: value for i, value in numbers}
    if len(numbers) == len(columns):
        ordered = sorted(columns.items(), key=lambda item: item[1])
        return "order", {
            role: value for (role, _), (_, value) in zip(ordered, numbers, strict=True)
        }
    return None


def _read_budget_row(state: _State, line: Line, cells: Sequence[str]) -> None:
    numbers = [(i, decimal_text(c, allow_percent=True)) for i, c in enumerate(cells)]
    numbers = [(i, v) for i, v in numbers if v]
    labels = [c for c in cells if c and not decimal_text(c, allow_percent=True)]
    label = _key(labels[0]) if labels else ""
    if label.startswith("其中"):
        label = label[2:].lstrip("：:")
    if not numbers:
        state.ok(line, "budget")
        return
    if len(labels) > 1:
        state.reject(line, REASON_ROW)
        return
    if label in _FUND_SOURCE_LABELS or label == "财政拨款":
        _read_fund_row(state, line, cells, numbers)
        return
    if label and label not in _TOTAL_LABELS:
        state.reject(line, REASON_ROW)
        return
    aligned = _align_numbers(numbers, state.budget_columns)
    draft = state.project
    if aligned is None or draft is None:
        state.reject(line, REASON_BUDGET_NOT_ALIGNED)
        return
    mode, values = aligned
    draft.budget_alignment = mode
    for role, value in values.items():
        if role == "execution_rate_score":
            draft.values.setdefault("rate_score", value)
        elif role != "execution_rate_weight":
            draft.values[role] = value
    state.ok(line, "budget")


def _read_fund_row(
    state: _State, line: Line, cells: Sequence[str], numbers: Sequence[tuple[int, str]]
) -> None:
    """其中：上级资金 | … under the project's budget row: landed when aligned the same way."""
    draft = state.project
    aligned = _align_numbers(numbers, state.budget_columns)
    if aligned is None:
        state.reject(line, REASON_BUDGET_NOT_ALIGNED)
        return
    if draft is None or draft.budget_alignment not in ("position", "order"):
        state.reject(line, REASON_FUND_SOURCE)  # no budget row of the project to compare with
        return
    mode, values = aligned
    if mode != draft.budget_alignment:
        state.reject(line, REASON_BUDGET_NOT_ALIGNED)
        return
    label = next(c for c in cells if c and not decimal_text(c, allow_percent=True))
    if "execution_rate_score" in values:
        values["score"] = values.pop("execution_rate_score")
    values.pop("execution_rate_weight", None)
    state.funds.append(
        _FundDraft(line_number=line.number, project=draft, label=_fund_label(label), values=values)
    )
    state.ok(line, "budget")


def _read_target_row(state: _State, line: Line, cells: Sequence[str]) -> None:
    """Texts under 年初绩效目标 | 全年（调整）绩效目标 | 全年目标实际完成情况 (may continue)."""
    draft = state.project
    filled = [(i, c) for i, c in enumerate(cells) if c]
    ordered = sorted(state.target_columns.items(), key=lambda item: item[1])
    if draft is None:
        state.reject(line, REASON_ROW)
        return
    if len(filled) == len(ordered):
        assignment = [(role, text) for (role, _), (_, text) in zip(ordered, filled, strict=True)]
    else:
        assignment = []
        for index, text in filled:
            role = ordered[0][0]
            for candidate, position in ordered:
                if position <= index:
                    role = candidate
            assignment.append((role, text))
    for role, text in assignment:
        draft.values[role] = draft.text(role) + text
    state.ok(line, "targets")


def _read_indicator_row(state: _State, line: Line, cells: Sequence[str]) -> None:
    columns = state.columns
    assert columns is not None
    filled = [c for c in cells if c]
    placement = _place(cells, columns)
    if placement is None:
        _read_row_without_operator(state, line, cells, filled)
        return
    positions = columns.positions

    def at(role: str) -> str:
        if role not in positions:
            return ""
        index = positions[role] + placement.offset
        return cells[index] if 0 <= index < len(cells) else ""

    name_index = positions[columns.name_role] + placement.offset
    name = at(columns.name_role)
    target = at("target")
    operator = operator_of(cells[placement.operator_index]) or ""
    if placement.uncovered:
        state.flush_pending()
        state.reject(line, REASON_NOT_ALIGNED)
        return
    if not name or not target or decimal_text(name, allow_percent=True) or operator_of(name):
        state.flush_pending()
        state.reject(line, REASON_INCOMPLETE)
        return
    level1, level2, level_cells = _level_words(cells, columns, placement.offset, name_index)
    if level_cells > 2:
        state.flush_pending()
        state.reject(line, REASON_NOT_ALIGNED)
        return
    _set_levels(state, level1, level2)
    if state.pending_name is not None:
        state.understood.add(state.pending_name[0].number)
        name = state.pending_name[1] + name
        state.pending_name = None
    unit = at("unit")
    if "unit" in positions and positions["unit"] + placement.offset == placement.operator_index:
        unit = ""  # 定性 sat in the unit column
    adjusted = at("adjusted")
    draft = state.project
    if draft is not None:
        draft.indicator_count += 1
    state.indicators.append(
        _IndicatorDraft(
            line_number=line.number,
            project=draft,
            level1=state.level1,
            level2=state.level2,
            level3=name if "level3" in positions else "",
            name=name,
            measure_unit=unit,
            operator=operator,
            target_text=target,
            adjusted_target_text="" if adjusted in _NONE_TEXTS else adjusted,
            actual_text=at("actual"),
            weight=decimal_text(at("weight"), allow_percent=True),
            score=at("score"),
            is_core={"是": "true", "否": "false"}.get(at("core"), ""),
        )
    )
    state.ok(line, "indicator")


def _set_levels(state: _State, level1: str, level2: str) -> None:
    """Merged level cells: a blank level means 'same as above'; a new level 1 resets level 2."""
    if level1 and level1 != state.level1:
        state.level1 = level1
        state.level2 = ""
    if level2:
        state.level2 = level2


def _read_row_without_operator(
    state: _State, line: Line, cells: Sequence[str], filled: Sequence[str]
) -> None:
    columns = state.columns
    assert columns is not None
    if len(filled) != 1 or decimal_text(filled[0], allow_percent=True):
        state.flush_pending()
        state.reject(line, REASON_NO_OPERATOR)
        return
    text = filled[0]
    index = cells.index(text)
    role = {p: r for r, p in columns.positions.items()}.get(index, "")
    if columns.has_levels and (_key(text).endswith("指标") and role != columns.name_role):
        # a level cell alone on its row (merged cell printed on its own line)
        if _key(text) in LEVEL1_WORDS or role == "level1":
            _set_levels(state, text, "")
        else:
            _set_levels(state, "", text)
        state.ok(line, "level")
        return
    if state.last_kind in ("indicator", "name_continuation") and state.indicators:
        state.indicators[-1].name += text
        if state.indicators[-1].level3:
            state.indicators[-1].level3 += text
        state.ok(line, "name_continuation")
        return
    state.flush_pending()
    state.pending_name = (line, text)
    state.last_kind = "pending_name"


def _read_line(state: _State, line: Line) -> None:
    cells = line.cells
    filled = [c for c in cells if c]
    if not filled or _is_separator(cells):
        state.ok(line, "separator")
        return
    header = _indicator_header(cells)
    if header is not None:
        state.flush_pending()
        if not (state.columns is not None and state.section == "indicators"):
            state.level1 = state.level2 = ""  # a fresh table; a repeated header keeps them
        state.columns = header
        state.section = "indicators"
        state.ok(line, "header")
        return
    if state.last_kind == "header" and _is_header_fragment(cells):
        state.ok(line, "header")  # the rest of a header word split over two lines (值, (分))
        return
    budget = _budget_header(cells)
    if budget is not None:
        state.flush_pending()
        draft = state.project or state.new_project(line)
        unit = _UNIT_IN_BRACKETS.search(line.text)
        if unit:
            draft.amount_unit = unit.group(1)
        state.budget_columns = budget
        state.section = "budget"
        state.ok(line, "header")
        return
    targets = _target_header(cells)
    if targets is not None:
        state.flush_pending()
        if state.project is None:
            state.new_project(line)
        state.target_columns = targets
        state.section = "targets"
        state.ok(line, "targets_header")
        return
    if _field_label(filled[0]) is not None:
        state.flush_pending()
        _read_field_row(state, line, cells)
        return
    if _is_title(cells):
        state.ok(line, "title")
        return
    if state.section == "budget":
        _read_budget_row(state, line, cells)
    elif state.section == "targets":
        _read_target_row(state, line, cells)
    elif state.section == "indicators" and state.columns is not None:
        _read_indicator_row(state, line, cells)
    elif (
        state.last_kind in ("field:overall_target", "target_continuation")
        and len(filled) == 1
        and state.project is not None
    ):
        state.project.values["overall_target"] = state.project.text("overall_target") + filled[0]
        state.ok(line, "target_continuation")
    elif any(operator_of(c) for c in cells):
        state.reject(line, REASON_BEFORE_HEADER)
    else:
        state.reject(line, REASON_ROW)


# --------------------------------------------------------------------------------------------
# Records
# --------------------------------------------------------------------------------------------


def _project_name(draft: _ProjectDraft | None) -> tuple[str, str]:
    if draft is None:
        return "", ""
    code, name = split_project_name(draft.text("project_name"))
    return draft.text("project_code") or code, name


def _project_record(block: TableBlock, draft: _ProjectDraft) -> ProjectRecord:
    code, name = _project_name(draft)
    return ProjectRecord(
        document_id=block.document_id,
        table_id=block.table_id,
        line_number=draft.line_number,
        project_name=name,
        project_code=code,
        department_name=draft.text("department_name"),
        implementing_unit=(
            draft.text("implementing_unit")
            or draft.text("reporting_unit")
            or draft.text("unit_name")
        ),
        amount_unit=draft.amount_unit or block.unit,
        annual_budget=draft.text("annual_budget"),
        fiscal_appropriation=draft.text("fiscal_appropriation"),
        adjusted_budget=draft.text("adjusted_budget"),
        executed=draft.text("executed"),
        execution_rate=draft.text("execution_rate"),
        score=draft.text("score") or draft.text("rate_score"),
        overall_target=draft.text("overall_target"),
        adjusted_target=draft.text("adjusted_target"),
        actual_result=draft.text("actual_result"),
    )


def _indicator_record(block: TableBlock, draft: _IndicatorDraft) -> IndicatorRecord:
    qualitative = draft.operator == "qualitative"
    target_value = decimal_text(draft.target_text, allow_percent=not qualitative)
    return IndicatorRecord(
        document_id=block.document_id,
        table_id=block.table_id,
        line_number=draft.line_number,
        project_name=_project_name(draft.project)[1],
        indicator_level1=draft.level1,
        indicator_level2=draft.level2,
        indicator_level3=draft.level3,
        indicator_name=draft.name,
        measure_unit=draft.measure_unit,
        operator=draft.operator,
        target_value=target_value,
        target_text=draft.target_text,
        adjusted_target_text=draft.adjusted_target_text,
        actual_text=draft.actual_text,
        weight=draft.weight,
        score=draft.score,
        is_core=draft.is_core,
    )


def _fund_record(block: TableBlock, draft: _FundDraft) -> ProjectFundRecord:
    values = draft.values
    return ProjectFundRecord(
        document_id=block.document_id,
        table_id=block.table_id,
        line_number=draft.line_number,
        project_name=_project_name(draft.project)[1],
        fund_label=draft.label,
        amount_unit=draft.project.amount_unit or block.unit,
        annual_budget=values.get("annual_budget", ""),
        adjusted_budget=values.get("adjusted_budget", ""),
        executed=values.get("executed", ""),
        execution_rate=values.get("execution_rate", ""),
        score=values.get("score", ""),
    )


# Text fields of the records that are printed text (names, indicators, targets), given back as
# printed when the table was read on its simplified view; amount_unit stays '万元' | '元'.
_PRINTED_FIELDS = frozenset({
    "project_name", "department_name", "implementing_unit", "overall_target", "adjusted_target",
    "actual_result", "indicator_level1", "indicator_level2", "indicator_level3",
    "indicator_name", "measure_unit", "target_text", "adjusted_target_text", "actual_text",
    "fund_label",
})


def parse_performance_table(block: TableBlock) -> PerformanceResult:
    """Read a performance table block into projects, indicators and unparsed lines.

    Never raises on odd content: a row that cannot be placed lands as an unparsed line with
    a reason saying what was missing. A table printed in traditional characters is read on
    its simplified view (ingest.traditional); names and texts land as printed.
    """
    texts = [line.text for line in block.lines]
    views = traditional.view(texts, min_changed=1)
    if views is None:
        return _parse_performance_table(block)
    lines = [Line(line.number, text) for line, text in zip(block.lines, views, strict=True)]
    result = _parse_performance_table(replace(block, lines=lines))
    printed = traditional.Printed(views, texts)
    by_number = {line.number: line.text for line in block.lines}

    def back(record):
        return replace(record, **{
            f.name: printed.of(getattr(record, f.name))
            for f in fields(record) if f.name in _PRINTED_FIELDS
        })

    return replace(
        result,
        projects=[back(r) for r in result.projects],
        indicators=[back(r) for r in result.indicators],
        funds=[back(r) for r in result.funds],
        unparsed=[replace(u, text=by_number[u.line_number].strip())
                  if u.line_number in by_number else u for u in result.unparsed],
    )


def _parse_performance_table(block: TableBlock) -> PerformanceResult:
    state = _State(block=block)
    for line in block.lines:
        if line.is_blank:
            continue
        _read_line(state, line)
    state.flush_pending()
    projects = [
        _project_record(block, draft)
        for draft in state.projects
        if draft.values or draft.indicator_count
    ]
    indicators = [_indicator_record(block, draft) for draft in state.indicators]
    unparsed_numbers = {record.line_number for record in state.unparsed}
    funds = [
        _fund_record(block, draft)
        for draft in state.funds
        if draft.line_number not in unparsed_numbers
    ]
    return PerformanceResult(
        projects=projects,
        indicators=indicators,
        unparsed=sorted(state.unparsed, key=lambda record: record.line_number),
        understood_lines=frozenset(state.understood - unparsed_numbers),
        funds=funds,
    )
