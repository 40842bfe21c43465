"""Recognise a table's kind from its title.

Budget and final-accounts disclosures use the same nine-or-so standard tables under many
titles (附件7 部门收入总表, 表七 收入总表, 收入决算表 …). A title is matched against ordered
rules: the first rule whose every keyword occurs in the (whitespace-free) title wins, so more
specific rules come first. The unit's own name in front of the title does not matter.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

_TRAILING_BRACKET = re.compile(r"[（(][^）)]*[）)]$")
# 部门：X / 编制单位：X / 填报单位：X / 预算单位：X — who compiled a table, a line of its title
# block (read by the segmenter in ruled rows and by the text-table rebuilder in text exports)
COMPILER_LINE = re.compile(r"(?:编制|填报|预算)?(?:部门|单位)(?:名称)?\s*[:：]\s*\S")


@dataclass(frozen=True)
class TableKind:
    kind: str
    description: str
    keywords: tuple[tuple[str, ...], ...]  # any of these keyword sets (all words must occur)
    excludes: tuple[str, ...] = ()  # none of these words may occur


# Order matters: specific before general.
TABLE_KINDS: tuple[TableKind, ...] = (
    TableKind(
        "performance_self_evaluation",
        "项目绩效自评表 (final accounts): budget, execution, score and indicators with actuals",
        (("自评表",), ("绩效自评",)),
    ),
    TableKind(
        "performance_project",
        "项目/专项资金绩效目标表: one project's budget and indicators",
        (("项目", "绩效目标表"), ("专项资金", "绩效目标表"), ("项目支出绩效",)),
    ),
    TableKind(
        "performance_overall",
        "部门/单位整体绩效目标表: whole-unit indicators",
        (("整体绩效",), ("绩效目标表",)),
    ),
    TableKind(
        "three_public",
        "“三公”经费支出表 / 财政拨款“三公”经费支出决算表",
        (("三公",),),
    ),
    TableKind(
        "operating_funds",
        "(一般公共预算)机关运行经费支出(预算)表 (by economic code, 302xx)",
        (("机关运行经费",),),
    ),
    TableKind(
        "fiscal_basic_expenditure",
        "财政拨款基本支出预算表（经济科目）: all fiscal appropriations (一般公共预算 + 政府性基金)",
        (("财政拨款", "基本支出"),),
        ("一般公共预算", "政府性基金", "国有资本"),
    ),
    TableKind(
        "general_budget_basic_expenditure",
        "一般公共预算财政拨款基本支出表 (by economic code: 人员经费 / 公用经费)",
        (("一般公共预算", "基本支出"), ("基本支出", "经济分类"), ("基本支出预算表",), ("基本支出决算表",)),
    ),
    TableKind(
        "general_budget_expenditure",
        "一般公共预算财政拨款支出表 (by function code)",
        (("一般公共预算", "支出"),),
    ),
    TableKind(
        "government_fund_expenditure",
        "政府性基金预算(财政拨款)支出表 / 政府性基金预算财政拨款收入支出决算表",
        (("政府性基金",),),
    ),
    TableKind(
        "state_capital_expenditure",
        "国有资本经营预算财政拨款(收入)支出表 / 决算表",
        (("国有资本经营",),),
    ),
    TableKind(
        "fiscal_expenditure",
        "财政拨款支出预算表（功能科目）: all fiscal appropriations by function code",
        (("财政拨款", "支出预算表"), ("财政拨款", "支出决算表")),
        ("一般公共预算", "政府性基金", "国有资本", "收支", "收入"),
    ),
    TableKind(
        "fiscal_income_expenditure_summary",
        "财政拨款收支总表 / 财政拨款收入支出决算总表 (by 类 name, both sides)",
        (("财政拨款收支",), ("财政拨款收入支出",)),
    ),
    TableKind(
        "procurement",
        "政府采购预算明细表 / 政府采购情况表",
        (("政府采购",), ("采购",)),
    ),
    TableKind(
        "income_expenditure_summary",
        "部门收支总表 / 收支总表 / 收入支出决算总表 (by source and 类 name)",
        (("收支总表",), ("收支预算总表",), ("收入支出", "总表"), ("收支", "决算总表")),
    ),
    TableKind(
        "income_summary",
        "部门收入总表 / 收入总表 / 收入决算表 (by function code and income source)",
        (("收入总表",), ("收入预算总表",), ("收入决算表",), ("收入预算表",)),
    ),
    TableKind(
        "expenditure_summary",
        "部门支出总表 / 支出总表 / 支出决算表 (by function code: basic / project)",
        (("支出总表",), ("支出预算总表",), ("支出决算表",), ("支出预算表",)),
    ),
    TableKind(
        "asset_summary",
        "资产情况表 / 国有资产占用情况表",
        (("资产",),),
    ),
)

UNIDENTIFIED = "unidentified"
KIND_NAMES: tuple[str, ...] = (*tuple(k.kind for k in TABLE_KINDS), UNIDENTIFIED)

_SPACE = re.compile(r"\s+")
# every word a rule names: a title is looked up once for each, the rules then read the set of
# words found (a rule's keywords all occur ⟺ they are a subset of the words found)
_WORDS: tuple[str, ...] = tuple(sorted({
    word for kind in TABLE_KINDS for words in (*kind.keywords, kind.excludes) for word in words
}))
_RULES: tuple[tuple[str, frozenset[str], tuple[frozenset[str], ...]], ...] = tuple(
    (kind.kind, frozenset(kind.excludes), tuple(frozenset(words) for words in kind.keywords))
    for kind in TABLE_KINDS
)


@lru_cache(maxsize=8192)
def recognise_title(title: str) -> str | None:
    """Return the table kind of a title, or None when no rule matches.

    >>> recognise_title("重庆市潼南区电子政务中心部门收入总表")
    'income_summary'
    >>> recognise_title("财政拨款“三公”经费支出决算表")
    'three_public'
    """
    compact = _SPACE.sub("", title)
    found = frozenset([word for word in _WORDS if word in compact])
    for kind, excludes, keywords in _RULES:
        if not excludes.isdisjoint(found):
            continue
        for words in keywords:
            if words <= found:
                return kind
    return None


@lru_cache(maxsize=8192)
def looks_like_table_title(line: str) -> bool:
    """A line that can be a table title: short, ends in 表 (optionally with a bracket note)."""
    if "表" not in line:
        return False
    compact = _SPACE.sub("", line)
    if not compact or "\t" in line or len(compact) > 60:
        return False
    if compact.endswith(("。", "；", "，")):
        return False
    stripped = _TRAILING_BRACKET.sub("", compact)
    return stripped.endswith("表") and recognise_title(compact) is not None
