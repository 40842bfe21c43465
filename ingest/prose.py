"""Prose → figures: every number with a unit in the narrative, classified.

The narrative is reflowed into paragraphs (see :func:`ingest.normalise.reflow`), split into
sentences at 。, and read left to right. Each number followed by a unit (万元, 元, %, 辆, 个…)
is one figure. What it measures is decided from the words just before it (its *label*), the
words just after it and the headings above it, by the ordered rules in ``_RULES``: the
first rule that matches names the figure. A number preceded by 比上年增加 / 较2022年减少 is the
change of the figure the sentence is about, one after 占 is a share, and 与上年持平 states a
zero change without printing a number. Numbers no rule classifies still land, as
``unclassified``, so nothing is lost; a line whose numbers could not be read at all is
reported as unparsed.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache

from ingest import traditional
from ingest.fast_init import fast_init
from ingest.normalise import Paragraph, is_heading, reflow
from ingest.records import ProseFigureRecord, UnparsedLineRecord

_COLON = re.compile(r"[：:]")
_EACH_VERB = re.compile(r"(?:分别|各)?(?:为|是|达到|达)?\s*$")
_STOP_OR_COLON = re.compile(r"[。：:]")
_UP_TO_COLON = re.compile(r"^.*[:：]")

# --- tokens --------------------------------------------------------------------------------

_UNIT = (
    r"(?P<unit>万元|元|%|辆|个团组|个|人次|人|批次|项|台\s*[（(]\s*套\s*[）)]|台|套"
    r"|分(?![钟之])"  # a score: 平均得分 99.43 分
    r"|万(?=[（(，,。；;、\s]|$))"  # 万元 written 万 (国内公务接待支出 0.39 万（含…）
)
# (?=[-\d]) only states what the number's first character is (the lookbehinds are tried at
# every position of the text otherwise): the same matches, found 1.5× faster.
_FIGURE = re.compile(r"(?=[-\d])(?<![\d.\-])(?<!\d,)(?P<num>-?\d+(?:\.\d+)?)\s*" + _UNIT)
# A list of money figures in one phrase: `收入、支出分别为 A、B万元`, `…分别为 A万元、B万元`,
# `A,B万元` (a comma between two amounts). Each figure goes to its own label, or, when the
# labels cannot be paired with the figures one to one, none of them lands.
_LIST_NUMBER = r"-?\d+(?:\.\d+)?\s*(?:万元|元)?"
_LIST_SEPARATOR = r"\s*(?:、|,|，|和|及|与|以及)\s*"
_FIGURE_LIST = re.compile(
    r"(?:(?P<each>分别(?:为|是|达到|达)?|各为)\s*)?"
    r"(?<![\d.\-])(?P<numbers>" + _LIST_NUMBER + r"(?:" + _LIST_SEPARATOR + _LIST_NUMBER + r")+)"
    r"(?<=万元|.元)"
)
# what every list holds: a number, maybe its unit, a separator and the next number
_LIST_HINT = re.compile(r"\d\s*(?:万元|元)?" + _LIST_SEPARATOR + r"-?\d")
# what every _LIST_HINT match ends with: the last character of a separator (以及 ends with
# 及), spaces and the next number's first characters; searched for first, 3× faster (a set
# of first characters is skipped to in C, where _LIST_HINT is tried at every digit)
_LIST_HINT_END = re.compile(r"[、,，和及与]\s*-?\d")


def _may_hold_list(text: str) -> bool:
    """``_LIST_HINT`` is found in ``text``."""
    return _LIST_HINT_END.search(text) is not None and _LIST_HINT.search(text) is not None
_LIST_ITEM = re.compile(r"(?P<num>-?\d+(?:\.\d+)?)\s*(?P<unit>万元|元)?")
_LABEL_SEPARATOR = re.compile(r"、|以及|和|及|与")
# (pattern, characters one of which its every match holds): a text holding none of them
# is not searched for it; () for a pattern searched in every text with a digit.
_NOT_FIGURES: tuple[tuple[re.Pattern[str], tuple[str, ...]], ...] = (
    (re.compile(r"(?:19|20)\d{2}\s*年(?:度)?"), ("年",)),  # years
    (re.compile(r"\d{1,2}\s*月(?:\s*\d{1,2}\s*日)?"), ("月",)),  # months and dates
    (re.compile(r"\d{1,2}\s*日"), ("日",)),
    # document numbers 〔2021〕57 号
    (re.compile(r"[〔\[（(]\s*\d{4}\s*[〕\]）)]\s*\d+\s*号"), ("号",)),
    (re.compile(r"\d+\s*号"), ("号",)),
    (re.compile(r"\d{3,4}\s*[-－]\s*\d{7,8}"), ("-", "－")),  # phone numbers
    (re.compile(r"\d{7,}"), ()),  # long digit runs (phones, codes)
    (re.compile(r"[（(]\d{1,2}[)）]"), ("（", "(")),
    (re.compile(r"第\s*\d+\s*[条款项章节]"), ("第",)),
)
# a list enumerator at a paragraph start (1. / （2） / 3、): anchored at the start and never
# empty, so it matches once at most, at 0 (``match``, not ``finditer``)
_ENUMERATOR_START = re.compile(r"^\s*[（(]?\d{1,2}[)）.、．]")
_BARE_NUMBER = re.compile(r"\d+(?:\.\d+)?")
_CHANGE = re.compile(
    r"(?:(?:比|较|与)\s*(?:上年|去年|上一年|(?:19|20)\d{2}\s*年|上年决算数?|上年预算数?|上年支出数?"
    r"|年初预算数?|预算数?)[^，。；：]*?)?"
    r"(?P<verb>增加了?|减少了?|增长了?|下降了?|上升了?|降低了?|节约了?|持平)\s*$"
)
# 主要原因是基本支出增加人员工资、住房公积金等 1447.63 万元: the verb governs a list of reasons
# ending in 等 and the number is the change, not the figure itself.
_CHANGE_WITH_OBJECT = re.compile(r"(?P<verb>增加了?|减少了?)[^，,。；;：:\d]{1,40}?等\s*$")
_VERSUS_BUDGET = re.compile(r"(?:比|较)\s*(?:年初预算数?|预算数?)")
_SHARE = re.compile(r"(?:占|占比|占到)[^，。；]{0,16}?的?\s*$")
_FLAT = re.compile(
    r"(?:与|同)\s*(?:上年|去年|(?:19|20)\d{2}\s*年|上年决算数?)[^，。；]{0,6}?持平"
)
_CLAUSE_CUT = re.compile(r"[，,。；;]")
_CLAUSE_MARKS = "，,。；;"  # the characters of _CLAUSE_CUT
_SPACES = re.compile(r"\s+")
# final accounts: "年初预算为 2.85 万元，支出决算为 0.39 万元，完成年初预算的 13.68%"
_INITIAL_BUDGET = re.compile(r"(?:年初)?预算(?:数)?(?:为|是)?\s*$")
_ACTUAL_ONLY = re.compile(r"^(?:其中[:：]?)?(?:支出)?决算(?:数)?(?:为|是)?\s*$")
_EXECUTION = re.compile(r"完成(?:年初)?预算(?:数)?的\s*$")
# final accounts: "全年预算为 52.00 万元" / "调整预算数为": the budget after the year's adjustments
_ADJUSTED_BUDGET = re.compile(r"(?:全年|调整后?的?|调整)(?:[（(]调整[）)])?预算(?:数)?(?:为|是)?\s*$")
_ADJUSTED_EXECUTION = re.compile(r"完成(?:全年|调整后?的?|调整)预算(?:数)?的\s*$")
# A statement per function code in final accounts: the paragraph opens with the code's path
# "一般公共服务支出（类）财政事务（款）行政运行（项）。…年初预算为 X 万元，支出决算为 Y 万元" (the
# path may wrap into the next paragraph after a short heading line), or with its printed code
# "行政运行（2010101）：…" / "2010101 行政运行：…".
_ENUMERATOR = re.compile(r"^\s*(?:\d+[、.．]|[（(][一二三四五六七八九十\d]+[）)]|[一二三四五六七八九十]+、)\s*")
_PATH_NAME = r"[\u4e00-\u9fa5、“”]{2,30}?"
_FUNCTION_PATH = re.compile(
    rf"^(?P<cls>{_PATH_NAME})[（(]类[）)]"
    rf"(?:(?P<sec>{_PATH_NAME})[（(]款[）)])?"
    rf"(?:(?P<item>{_PATH_NAME})[（(]项[）)])?"
)
_FUNCTION_CODE = re.compile(
    rf"^(?:(?P<name1>{_PATH_NAME})[（(](?P<code1>2\d{{2}}(?:\d{{2}}){{1,2}})[）)]"
    rf"|(?P<code2>2\d{{2}}(?:\d{{2}}){{1,2}})\s*(?P<name2>{_PATH_NAME})(?=[：:。，,（(]))"
)
# what a label says besides "the budget / the actual" in such a paragraph: nothing
_STATEMENT_WORDS = re.compile(
    r"(?:年初|全年|调整后?的?|调整)?(?:[（(]调整[）)])?(?:预算|决算)(?:数)?(?:为|是)?|支出|其|该项"
)
_LEADING_NOISE = re.compile(
    r"^(?:[（(][一二三四五六七八九十\d]+[）)]|[一二三四五六七八九十]+、|\d+[.、．])?\s*"
    r"(?:其中[:：]?|此外[:：，]?|主要是|主要为|另外|以及|和|及)?\s*"
    r"(?:(?:19|20)\d{2}\s*年度?)?\s*"
)


def _clause_start(text: str) -> int:
    """Where the last clause of ``text`` starts: after its last ``_CLAUSE_CUT`` mark."""
    return max(text.rfind(mark) for mark in _CLAUSE_MARKS) + 1


# the verbs _CHANGE ends with (the label is stripped: nothing follows them)
_CHANGE_VERBS = ("增加", "减少", "增长", "下降", "上升", "降低", "节约")
_CHANGE_ENDINGS = (*_CHANGE_VERBS, *(verb + "了" for verb in _CHANGE_VERBS), "持平")


def _change(label: str) -> re.Match[str] | None:
    """``_CHANGE`` or ``_CHANGE_WITH_OBJECT`` in a stripped label, searched only when the label
    ends as they do (with a change verb, or with 等)."""
    if label.endswith(_CHANGE_ENDINGS):
        found = _CHANGE.search(label)
        if found:
            return found
    return _CHANGE_WITH_OBJECT.search(label) if label.endswith("等") else None


def _mask_non_figures(text: str) -> list[tuple[int, int]]:
    if not _ANY_DIGIT.search(text):
        return []  # every pattern matches a digit
    return _mask_with_digits(text)


# (_mask_with_digits tests the first two characters a pattern needs: no pattern needs more)
assert all(len(needs) <= 2 for _, needs in _NOT_FIGURES)


def _mask_with_digits(text: str) -> list[tuple[int, int]]:
    """_mask_non_figures of a text known to hold a digit (its caller searched for one)."""
    spans: list[tuple[int, int]] = []
    for pattern, needs in _NOT_FIGURES:
        if needs and needs[0] not in text and (len(needs) == 1 or needs[1] not in text):
            continue  # the text holds none of the characters its every match holds
        spans += [match.span() for match in pattern.finditer(text)]
    enumerator = _ENUMERATOR_START.match(text)
    if enumerator:
        spans.append(enumerator.span())
    return spans


_ANY_DIGIT = re.compile(r"\d")


def _inside(position: int, spans: Sequence[tuple[int, int]]) -> bool:
    for start, end in spans:  # noqa: SIM110 (a loop: any() over a generator costs more)
        if start <= position < end:
            return True
    return False


# --- classification ------------------------------------------------------------------------


@fast_init
@dataclass(frozen=True)
class Token:
    number: str
    unit: str
    label: str  # text between the previous figure (or the clause start) and this number
    after: str  # text right after the unit, to the next comma
    heading: str  # the headings above, joined
    offset: int


Predicate = Callable[[Token], bool]


# The predicates are plain loops, not all()/any() over generators: classify tries every rule
# on every figure of the prose, the hot loop of prose reading.


def _has(*words: str) -> Predicate:
    def test(t: Token) -> bool:
        label = t.label
        for w in words:  # noqa: SIM110 - no generator per call
            if w not in label:
                return False
        return True
    return test


def _any(*words: str) -> Predicate:
    def test(t: Token) -> bool:
        label = t.label
        for w in words:  # noqa: SIM110 - no generator per call
            if w in label:
                return True
        return False
    return test


# The only words the rules look for in the headings above a figure, and in the text after it
# (within _AFTER_SPAN characters): _classify_cached is keyed on which of them are present,
# not on the texts, so one classification serves every heading that holds the same of them.
_HEADING_WORDS = ("绩效", "收入", "支出")
_AFTER_WORD, _AFTER_SPAN = "自评", 12


def _heading(*words: str) -> Predicate:
    assert all(word in _HEADING_WORDS for word in words), words  # see _HEADING_WORDS
    def test(t: Token) -> bool:
        heading = t.heading
        for w in words:  # noqa: SIM110 - no generator per call
            if w in heading:
                return True
        return False
    return test


def _unit(*units: str) -> Predicate:
    return lambda t: t.unit in units


def _all(*predicates: Predicate) -> Predicate:
    def test(t: Token) -> bool:
        for p in predicates:  # noqa: SIM110 - no generator per call
            if not p(t):
                return False
        return True
    return test


def _not(predicate: Predicate) -> Predicate:
    return lambda t: not predicate(t)


_MONEY = _unit("万元", "元")
_COUNT_UNITS = (
    "辆", "个", "个团组", "人", "人次", "批次", "项", "台", "套", "台(套)", "台（套）", "分",
)

# (figure_key, predicate). Order matters: specific before general. A rule reads the headings
# only through _heading (its words among _HEADING_WORDS) and the text after a figure only for
# _AFTER_WORD: _classify_cached gives the rules no more of them than that.
_RULES: tuple[tuple[str, Predicate], ...] = (
    # counts
    ("overseas_groups", _all(_unit("个团组", "个"), _any("因公出国", "出国（境）", "出国(境)"))),
    ("reception_batches", _all(_unit("批次"), _any("接待"))),
    ("vehicles_purchased", _all(_unit("辆"), _any("购置"), _not(_any("安排", "计划", "预算")))),
    ("vehicles_planned_purchase", _all(_unit("辆"), _any("购置"))),
    ("vehicle_count", _all(_unit("辆"), _any("共有车辆", "保有量", "车辆总数", "实有车辆"))),
    ("vehicle_count_general", _all(_unit("辆"), _any("一般公务用车"))),
    ("vehicle_count_enforcement", _all(_unit("辆"), _any("执法执勤", "执勤执法"))),
    ("equipment_count", _all(_unit("台", "套", "台(套)", "台（套）"), _any("设备"))),
    (
        "evaluated_projects",
        _all(_unit("个", "项"),
             lambda t: _AFTER_WORD in t.label or _AFTER_WORD in t.after[:_AFTER_SPAN]),
    ),
    ("evaluation_score", _all(_unit("分"), _any("得分", "评分", "自评", "总分"))),
    # 三公
    ("three_public_total", _all(_MONEY, _any("三公"))),
    (
        "three_public_vehicle_total",
        _all(_MONEY, _any("公务用车购置及运行维护费", "公务用车购置及运行费")),
    ),
    ("three_public_vehicle_operation", _all(_MONEY, _any("公务用车运行", "车辆运行维护"))),
    ("three_public_vehicle_purchase", _all(_MONEY, _any("公务用车购置", "车辆购置"))),
    ("three_public_overseas_travel", _all(_MONEY, _any("因公出国", "出国（境）费", "出国(境)费"))),
    ("three_public_reception", _all(_MONEY, _any("公务接待"))),
    # other important matters
    ("operating_funds", _all(_MONEY, _any("运行经费"))),
    ("training_cost", _all(_MONEY, _any("培训费"))),
    ("meeting_cost", _all(_MONEY, _any("会议费"))),
    ("procurement_small_micro_awarded", _all(_MONEY, _any("小微企业"))),
    ("procurement_sme_awarded", _all(_MONEY, _any("中小企业"))),
    ("procurement_goods", _all(_MONEY, _any("采购货物", "货物类", "货物预算", "货物支出"))),
    ("procurement_works", _all(_MONEY, _any("采购工程", "工程类", "工程预算", "工程支出"))),
    ("procurement_services", _all(_MONEY, _any("采购服务", "服务类", "服务预算", "服务支出"))),
    ("procurement_total", _all(_MONEY, _any("政府采购"))),
    ("performance_managed_funds", _all(_MONEY, _any("绩效目标管理", "绩效管理", "涉及一般公共预算当年"))),
    ("evaluated_funds", _all(_MONEY, _any("涉及资金"), _heading("绩效"))),
    # structure
    ("personnel_expenditure", _all(_MONEY, _any("人员经费"))),
    ("public_operating_expenditure", _all(_MONEY, _any("公用经费"))),
    ("basic_expenditure", _all(_MONEY, _any("基本支出"))),
    ("project_expenditure", _all(_MONEY, _any("项目支出"))),
    # carry-over (before the fund rules: 年末一般公共预算财政拨款结转和结余)
    ("carried_over_income", _all(_MONEY, _any("上年结转", "年初结转"))),
    ("carry_forward", _all(_MONEY, _any("年末结转", "结转下年"))),
    # funds
    ("government_fund_income", _all(_MONEY, _any("政府性基金"), _any("收入", "拨款"))),
    ("government_fund_expenditure", _all(_MONEY, _any("政府性基金"), _any("支出"))),
    ("state_capital_expenditure", _all(_MONEY, _any("国有资本经营"), _any("支出"))),
    ("state_capital_income", _all(_MONEY, _any("国有资本经营"))),
    ("general_public_budget_expenditure", _all(_MONEY, _any("一般公共预算"), _any("支出"))),
    ("general_public_budget_income", _all(_MONEY, _any("一般公共预算"))),
    ("fiscal_appropriation_total", _all(_MONEY, _any("财政拨款收、支", "财政拨款收支"))),
    ("fiscal_appropriation_income", _all(_MONEY, _any("财政拨款收入"))),
    # 社会保险基金支出预算 0.00 万元 is not the unit's total expenditure: no key of its own
    ("unclassified", _all(_MONEY, _any("社会保险基金"))),
    # totals
    ("operating_income", _all(_MONEY, _any("经营收入"))),
    ("business_income", _all(_MONEY, _any("事业收入"))),
    ("other_income", _all(_MONEY, _any("其他收入"))),
    ("current_income", _all(_MONEY, _any("收入合计"))),
    ("current_expenditure", _all(_MONEY, _any("支出合计"))),
    ("total_income", _all(_MONEY, _any("收入支出总计", "收支总计", "收支"))),  # both sides
    ("total_income", _all(_MONEY, _any("收入总计", "收入预算", "收入决算", "总收入"))),
    ("total_expenditure", _all(_MONEY, _any("支出总计", "支出预算", "支出决算", "总支出"))),
    (
        "total_income",
        _all(_MONEY, _any("年初预算数", "预算总额", "决算数"), _heading("收入")),
    ),
    (
        "total_expenditure",
        _all(_MONEY, _any("年初预算数", "预算总额", "决算数"), _heading("支出")),
    ),
)

_NOT_A_CLASS = (
    "基本支出", "项目支出", "财政拨款支出", "预算支出", "基金支出", "资本经营支出",
    "事业支出", "经营支出", "人员支出", "公用支出", "本年支出", "上年支出", "年度支出",
    "总支出", "费支出", "经费支出",
)
_CLASS_NAME = re.compile(r"([\u4e00-\u9fa5（）()]{2,16}?支出)(?:（类）|\(类\))?(?:预算|决算)?(?:数)?$")


def _class_name(label: str) -> str | None:
    """The 类 name a label ends with (一般公共服务支出, 社会保障和就业支出), if any."""
    text = _LEADING_NOISE.sub("", label)
    text = _UP_TO_COLON.sub("", text)
    match = _CLASS_NAME.search(text)
    if not match:
        return None
    name = match.group(1)
    if any(name.endswith(word) for word in _NOT_A_CLASS) or len(name) < 4:
        return None
    if any(word in name for word in (
        "一般公共预算", "政府性基金预算", "三公", "采购", "年", "经费", "接待", "出国", "公务用车",
        "会议", "培训",
    )):
        return None
    return name


def classify(token: Token) -> tuple[str, str]:
    """(figure_key, subject) of an amount or count token."""
    return _classify(token.unit, token.label, token.after, token.heading)


def _classify(unit: str, label: str, after: str, heading: str) -> tuple[str, str]:
    """classify of a token given by its fields (see _classify_cached)."""
    return _classify_cached(unit, label, _after_key(after), _heading_key(heading))


@lru_cache(maxsize=1024)
def _under_heading(
    headings: tuple[tuple[int, str], ...], level: int, text: str
) -> tuple[tuple[tuple[int, str], ...], str, str]:
    """The headings above the paragraphs after a heading of ``level`` and ``text`` under
    ``headings`` (those of a lower level kept), and their _heading_facts: found once per
    distinct headings (the same recur in every document of a template)."""
    above = (*[h for h in headings if h[0] < level], (level, text))
    return above, *_heading_facts(" / ".join([h[1] for h in above]))


@lru_cache(maxsize=1024)
def _heading_facts(heading: str) -> tuple[str, str]:
    """(the fund named, _heading_key) of the headings above a paragraph, joined: found once
    per distinct headings (they recur in every document of a template)."""
    return _fund_of(heading) or "all", _heading_key(heading)


def _heading_key(heading: str) -> str:
    """The words of _HEADING_WORDS that ``heading`` holds, one a line: it holds the same of
    them as ``heading`` (no word holds a line break, so none is found across two)."""
    return "\n".join([word for word in _HEADING_WORDS if word in heading])


def _after_key(after: str) -> str:
    """_AFTER_WORD when ``after`` holds it where the rules look, else ''."""
    return _AFTER_WORD if _AFTER_WORD in after[:_AFTER_SPAN] else ""


@lru_cache(maxsize=4096)
def _classify_cached(unit: str, label: str, after_key: str, heading_key: str) -> tuple[str, str]:
    """classify of a token by the only things the rules read: its unit, its label and which
    words of the text after it and of the headings they look for are there (the same labels
    and units recur in every document of a template)."""
    token = Token("", unit, label, after_key, heading_key, 0)
    name = _class_name(token.label) if token.unit in ("万元", "元") else None
    if name is not None:
        return "class_expenditure", name
    for key, predicate in _RULES:
        if predicate(token):
            return key, _subject(token.label)
    if token.unit in ("万元", "元"):
        bare = _LEADING_NOISE.sub("", token.label).strip("：: ")
        if bare in ("支出", "收入"):
            return ("total_expenditure" if bare == "支出" else "total_income"), bare
    return "unclassified", _subject(token.label)


def _subject(label: str) -> str:
    text = _LEADING_NOISE.sub("", label).strip("：:，, ")
    return text.lstrip("、，,；;：: ")[-40:]


# --- fund source ---------------------------------------------------------------------------


def _fund_of(text: str) -> str | None:
    if "一般公共预算" in text:
        return "general_public_budget"
    if "政府性基金" in text:
        return "government_fund"
    if "国有资本经营" in text:
        return "state_capital"
    return None


_FUND_KEYS = {
    "general_public_budget": ("general_public_budget_expenditure", "general_public_budget_income"),
    "government_fund": ("government_fund_expenditure", "government_fund_income"),
    "state_capital": ("state_capital_expenditure", "state_capital_income"),
}

# --- the reader ----------------------------------------------------------------------------


@dataclass
class ProseResult:
    figures: list[ProseFigureRecord] = field(default_factory=list)
    unparsed: list[UnparsedLineRecord] = field(default_factory=list)


_PEOPLE_AFTER = {"overseas_groups": "overseas_people", "reception_batches": "reception_people"}


class _Sentence:
    """State while reading one sentence (a plain class with slots: one is made per sentence)."""

    __slots__ = ("changed", "child_fund", "last_fund", "last_keys", "last_subject")

    def __init__(
        self,
        last_keys: list[str] | None = None,
        last_subject: str = "",
        last_fund: str = "all",
        child_fund: str | None = None,
    ) -> None:
        self.last_keys: list[str] = [] if last_keys is None else last_keys  # of the last amount
        self.last_subject = last_subject
        self.last_fund = last_fund
        self.child_fund = child_fund
        self.changed = False  # a change was stated for last_keys


def parse_prose(
    document_id: str,
    lines: Sequence[str],
    prose_lines: Sequence[int],
    doc_kind: str = "budget",
) -> ProseResult:
    """Figures from the narrative lines of a document (1-based ``prose_lines``).

    In a budget, 年初预算数 is the figure itself; in final accounts it is the budget the actual
    is compared with (qualifier 'initial_budget').

    A document printed in traditional characters is read on its simplified view
    (ingest.traditional: 萬元, 一般公共預算, 基本支出 are matched as printed in simplified);
    sections, subjects, contexts and unparsed lines land as printed.
    """
    views = traditional.view(lines)
    if views is None:
        return _parse_prose(document_id, lines, prose_lines, doc_kind)
    result = _parse_prose(document_id, views, prose_lines, doc_kind)
    printed = traditional.Printed([views[n - 1] for n in prose_lines],
                                  [lines[n - 1] for n in prose_lines])
    result.figures = [
        replace(f, section=printed.of(f.section), subject=printed.of(f.subject),
                context=printed.of(f.context))
        for f in result.figures
    ]
    result.unparsed = [replace(u, text=lines[u.line_number - 1].strip())
                       if 0 < u.line_number <= len(lines) else u for u in result.unparsed]
    return result


def _parse_prose(
    document_id: str,
    lines: Sequence[str],
    prose_lines: Sequence[int],
    doc_kind: str,
) -> ProseResult:
    result = ProseResult()
    paragraphs = reflow((n, lines[n - 1]) for n in prose_lines)
    headings: tuple[tuple[int, str], ...] = ()  # (level, text)
    covered: dict[int, int] = {}  # line → numbers read
    numbers_on_line: dict[int, int] = {}
    # the function code the paragraphs since the last heading state figures of (final accounts)
    function_ref = ""
    path_head = ""  # a heading that is only (the start of) a path: the next paragraph may end it
    section, section_fund = "", "all"  # the last heading above; the fund the headings name
    heading_key = ""  # the words of the headings the rules look for (_heading_key)
    final_accounts = doc_kind == "final_accounts"
    for paragraph in paragraphs:
        text = paragraph.text
        scan = _scan(text)
        level = scan.level
        if level:
            headings, section_fund, heading_key = _under_heading(headings, level, scan.heading)
            section = scan.heading
        numbers = scan.numbers
        if numbers:
            if len(paragraph.lines) == 1:  # (every offset is on its one line)
                line = paragraph.lines[0]
                numbers_on_line[line] = numbers_on_line.get(line, 0) + len(numbers)
            else:
                for offset in numbers:
                    line = paragraph.line_at(offset)
                    numbers_on_line[line] = numbers_on_line.get(line, 0) + 1
        if final_accounts:
            function_ref, path_head = _next_function_ref(text, level, function_ref, path_head)
        if not scan.sentences:
            continue
        figures, masked = scan.figures, scan.masked
        inherited = _Sentence()
        for sentence_start, sentence, first, last, listed, read, absent in scan.sentences:
            if read:
                inherited = _read_sentence(
                    document_id, paragraph, sentence_start, sentence, figures[first:last],
                    listed, heading_key, section, section_fund, masked, result, covered,
                    inherited, final_accounts, function_ref,
                )
            if absent:
                _stated_absences(document_id, paragraph, sentence_start, sentence, section,
                                 result)
    for line, count in sorted(numbers_on_line.items()):
        if covered.get(line, 0) < count:
            result.unparsed.append(
                UnparsedLineRecord(
                    document_id,
                    line,
                    "number_without_unit",
                    lines[line - 1].strip(),
                )
            )
    return result


# a _FIGURE match: (start, end, the number's start, the number, its unit as landed: _unit_of)
_Figure = tuple[int, int, int, str, str]


class _Scan:
    """What a paragraph's text alone decides, found once per distinct text (:func:`_scan`)."""

    __slots__ = ("figures", "heading", "level", "lists", "masked", "numbers", "sentences")

    def __init__(
        self,
        level: int,
        heading: str,
        masked: list[tuple[int, int]],
        numbers: tuple[int, ...],
        figures: list[_Figure],
        lists: bool,
        sentences: tuple[tuple[int, str, int, int, bool, bool, bool], ...],
    ) -> None:
        self.level = level  # _heading_level
        self.heading = heading  # _heading_text of a heading paragraph, else ''
        self.masked = masked  # _mask_non_figures
        self.numbers = numbers  # the offsets of the numbers outside the masked spans
        self.figures = figures  # of the _FIGURE matches outside the masked spans
        self.lists = lists  # the paragraph may hold a list of figures (_LIST_HINT)
        # (start, sentence, first figure, end of its figures, listed, read, absent) of each
        # sentence to read (``read``: by _read_sentence) or to search for stated absences
        # (``absent``); ``listed``: _LIST_HINT is found in the sentence
        self.sentences = sentences


@lru_cache(maxsize=8192)
def _scan(text: str) -> _Scan:
    """The :class:`_Scan` of a paragraph's text: the same headings, sentences and many
    paragraphs recur in every document of a template."""
    level = _heading_level(text)
    heading = _heading_text(text) if level else ""
    digits = _ANY_DIGIT.search(text) is not None
    if not digits and "无" not in text and "没有" not in text:
        # Nothing to read: every figure and list of figures holds a digit, so no sentence
        # of the paragraph has one, none sets the keys a 持平 or a later figure refers to
        # (the state starts afresh in each paragraph), and an absence is stated with 无 or
        # 没有.
        return _Scan(level, heading, [], (), [], False, ())
    masked = _mask_with_digits(text) if digits else []
    # The figures of the whole paragraph, found in one pass and read sentence by sentence:
    # the same as in each sentence, for no match crosses a sentence stop, and the
    # characters either side of a sentence that the pattern looks at (a stop before it,
    # the stop it ends with) are none that it reads as part of a number or unit.
    starts = [match.start() for match in _BARE_NUMBER.finditer(text)]
    matches = list(_FIGURE.finditer(text))
    for mask_start, mask_end in masked:  # (_inside, one span at a time: a list is a few)
        starts = [start for start in starts if not mask_start <= start < mask_end]
        matches = [m for m in matches if not mask_start <= m.start("num") < mask_end]
    numbers = tuple(starts)
    figures = [(*m.span(), m.start("num"), m.group("num"), _unit_of(m.group("unit")))
               for m in matches]
    # a list in a sentence is one in the paragraph: no paragraph without one has any
    lists = digits and _may_hold_list(text)
    sentences: list[tuple[int, str, int, int, bool, bool, bool]] = []
    first = 0  # the first figure of the sentence
    for sentence_start, sentence in _sentences(text):
        sentence_end = sentence_start + len(sentence)
        last = first
        while last < len(figures) and figures[last][0] < sentence_end:
            last += 1
        # A sentence without a figure, a list (_read_sentence reads one only where
        # _LIST_HINT is found) or a 持平 (every _FLAT match holds it, and a flat change is
        # the only record made without a figure or list) is not read: _read_sentence would
        # only start its ``changed`` afresh, which the next sentence read does first.
        listed = lists and _LIST_HINT.search(sentence) is not None
        read = last > first or listed or "持平" in sentence
        absent = "无" in sentence or "没有" in sentence  # (how every absence is stated)
        if read or absent:
            sentences.append((sentence_start, sentence, first, last, listed, read, absent))
        first = last
    return _Scan(level, heading, masked, numbers, figures, lists, tuple(sentences))


def _sentences(text: str) -> list[tuple[int, str]]:
    """(start, sentence) of each sentence of ``text``: up to and with each stop, and the rest
    after the last stop when there is any."""
    return [(match.start(), match.group()) for match in _SENTENCE.finditer(text)]


# a sentence: to the next stop and with it, or (no stop ahead) the rest of the text
_SENTENCE = re.compile(r"[^。！？!?]*[。！？!?]|[^。！？!?]+")
# The heading levels, group n is level n, tried in this order. One alternation gives the
# level the five patterns tried in turn gave: each alternative is tried in order after the
# same spaces, and a shorter run of spaces leaves a space next, which none of them opens with.
_HEADING_LEVELS = re.compile(
    r"^\s*(?:(第[一二三四五六七八九十]+部分)"
    r"|([一二三四五六七八九十]+、)"
    r"|([（(][一二三四五六七八九十]+[）)])"
    r"|(\d+[.、．](?!\d))"
    r"|([（(]\d+[）)]))"
)
_HEADING_END = re.compile(r"[。：:，,；;]|\s*\d+(?:\.\d+)?\s*(?:万元|元|%)")


def _heading_level(text: str) -> int:
    """1 (第一部分) … 5 ((1)) for a paragraph opening with a heading number, else 0."""
    match = _HEADING_LEVELS.match(text)
    return match.lastindex or 0 if match else 0


def _heading_text(text: str) -> str:
    """The heading part of a paragraph: up to its first stop, comma or figure."""
    end = _HEADING_END.search(text)
    return (text[: end.start()] if end else text)[:40]


@fast_init
@dataclass(frozen=True)
class _Label:
    """What the rules read from the text before a figure, found once per distinct text.

    Every test the reader makes on a figure's label depends on the label alone (the unit, the
    text after the figure, the headings and the sentence's state are combined with these
    answers in :func:`_read_sentence`), and the same texts before a figure recur in every
    document of a template and in every year's document of a unit: :func:`_label_of` finds
    them once per distinct text (an ``lru_cache``), with exactly the expressions the reader
    applied to every figure before.
    """

    text: str  # the label: the last clause of the text before the number, stripped
    change_verb: str | None  # the verb of _change when the label states a change
    change_subject: str  # the label before the change phrase, stripped
    change_fund: str | None  # _fund_of(change_subject)
    versus_budget: bool  # the change is against the budget (比年初预算)
    statement: str | None  # _budget_statement(label)
    only_statement_words: bool  # the label is nothing but 调整预算数为 and the like
    adjusted_execution: bool  # 完成调整预算的 …%
    execution: bool  # 完成年初预算的 …%
    actual_only: bool  # 决算数为
    share: bool  # 占 …%
    initial_budget: bool  # 年初预算为 (and not 决算)
    adjusted_budget: bool  # 全年预算为 / 调整预算为
    opens_child: bool  # 其中
    own_fund: str | None  # the fund the label names
    bare: str  # the label without leading noise and colons


@lru_cache(maxsize=8192)
def _label_of(before: str) -> _Label:
    """The :class:`_Label` of the text between the previous figure (or the sentence start)
    and a figure's number."""
    label = before[_clause_start(before) :].strip()
    change = _change(label)
    subject = label[: change.start()].strip() if change else ""
    noiseless = _LEADING_NOISE.sub("", label)
    return _Label(
        text=label,
        change_verb=change.group("verb") if change else None,
        change_subject=subject,
        change_fund=_fund_of(subject),
        versus_budget=bool(change) and bool(_VERSUS_BUDGET.search(label)),
        statement=_budget_statement(label),
        only_statement_words=not _STATEMENT_WORDS.sub("", noiseless).strip("：: "),
        adjusted_execution=bool(_ADJUSTED_EXECUTION.search(label)),
        execution=bool(_EXECUTION.search(label)),
        actual_only=bool(_ACTUAL_ONLY.match(label)),
        share=bool(_SHARE.search(label)),
        initial_budget=bool(_INITIAL_BUDGET.search(label)) and "决算" not in label,
        adjusted_budget=bool(_ADJUSTED_BUDGET.search(label)),
        opens_child=label.startswith("其中") or "其中" in label[:4],
        own_fund=_fund_of(label),
        bare=noiseless.strip("：: "),
    )


@lru_cache(maxsize=256)
def _unit_of(printed: str) -> str:
    """A figure's unit as landed: without spaces, 万 as 万元, 台(套) with full-width brackets."""
    unit = _SPACES.sub("", printed)
    unit = "万元" if unit == "万" else unit
    return unit.replace("(", "（").replace(")", "）") if unit.startswith("台") else unit


_MONEY_UNITS = ("万元", "元")


def _read_sentence(
    document_id: str,
    paragraph: Paragraph,
    sentence_start: int,
    sentence: str,
    figures: Sequence[_Figure],
    lists: bool,
    heading_key: str,
    section: str,
    section_fund: str,
    masked: Sequence[tuple[int, int]],
    result: ProseResult,
    covered: dict[int, int],
    inherited: _Sentence,
    final_accounts: bool,
    function_ref: str = "",
) -> _Sentence:
    """Read one sentence, whose ``figures`` (``_FIGURE`` matches outside the masked spans, in
    the paragraph, as _Figure) were found in its paragraph; ``lists``: whether the sentence
    may hold a list of figures (_LIST_HINT is found in it). Returns the sentence's state: the
    next sentence's 其中 or 较上年 refers to it. The state is ``inherited``, the previous sentence's (which its caller no longer
    reads), continued: only its ``changed`` starts afresh in each sentence."""
    state = inherited
    state.changed = False
    text = paragraph.text
    sentence_end = sentence_start + len(sentence)
    previous_end = sentence_start  # (offsets in the paragraph from here on)
    # the source line of a figure: of a paragraph of one line (most are), that line
    only_line = paragraph.lines[0] if len(paragraph.lines) == 1 else 0
    if lists:  # (else no two numbers joined by a separator)
        listed = _read_figure_lists(
            document_id, paragraph, sentence_start, sentence, heading_key, section, section_fund,
            masked, result, covered, state,
        )
        if listed:
            figures = [f for f in figures if not _inside(f[2] - sentence_start, listed)]
    # 与上年持平: a zero change stated in words, attached to the figure before it
    flats = [sentence_start + m.start() for m in _FLAT.finditer(sentence)] \
        if "持平" in sentence else []
    flat_index = 0
    records = result.figures
    for start, end, number_start, number, unit in figures:
        while flat_index < len(flats) and flats[flat_index] < start:
            if flats[flat_index] >= previous_end and state.last_keys and not state.changed:
                _emit_change(document_id, paragraph, flats[flat_index], section, state, "0",
                             "万元", "change", "与上年持平", result)
            flat_index += 1
        facts = _label_of(text[previous_end:start])
        label = facts.text
        money = unit in _MONEY_UNITS
        line = only_line or paragraph.line_at(number_start)
        covered[line] = covered.get(line, 0) + 1
        # _context: 40 characters before the figure and 20 after, within the sentence
        context = text[start - 40 if start - 40 > sentence_start else sentence_start :
                       end + 20 if end + 20 < sentence_end else sentence_end].strip()
        previous_end = end

        statement = facts.statement if final_accounts else None
        if statement and money and function_ref and facts.change_verb is None:
            fund = facts.own_fund or section_fund
            state.last_keys, state.last_subject = ["function_expenditure"], function_ref
            state.last_fund, state.changed = fund, False
            _emit_related(document_id, line, section, state, number, unit, statement, context,
                          result)
            continue
        if statement == "adjusted_budget" and money and state.last_keys \
                and facts.only_statement_words:
            _emit_related(document_id, line, section, state, number, unit, "adjusted_budget",
                          context, result)
            continue
        if unit == "%":
            if facts.adjusted_execution:
                _emit_related(document_id, line, section, state, number, unit,
                              "adjusted_budget_execution_pct", context, result)
                continue
            if facts.execution:
                _emit_related(document_id, line, section, state, number, unit,
                              "budget_execution_pct", context, result)
                continue
        elif money and facts.actual_only and state.last_keys:
            _emit_related(document_id, line, section, state, number, unit, "amount", context,
                          result)
            continue
        if unit == "%" and facts.share:
            _emit_related(document_id, line, section, state, number, unit, "share_pct",
                          context, result)
            continue
        verb = facts.change_verb
        if verb is not None:
            subject_text = facts.change_subject
            negative = verb.startswith(("减少", "下降", "降低", "节约"))
            value = _signed(number, negative)
            qualifier = "change_pct" if unit == "%" else "change"
            if facts.versus_budget:
                qualifier = "budget_variance_pct" if unit == "%" else "budget_variance"
            if subject_text and unit != "%":
                key, subject = _classify_cached(unit, subject_text, "", heading_key)
                keys = _with_fund(key, facts.change_fund or section_fund, subject_text)
                if key != "unclassified":
                    state.last_keys, state.last_subject = keys, subject
                    state.last_fund = facts.change_fund or section_fund
            state.changed = qualifier == "change"
            _emit_related(document_id, line, section, state, value, unit, qualifier, context,
                          result)
            continue
        after_text = text[end : end + 16 if end + 16 < sentence_end else sentence_end]
        # the text after the figure, to its clause's end, is read for _AFTER_WORD only; when
        # the 16 characters after the figure do not hold it, neither does that text (a part)
        after_key = _after_key(_CLAUSE_CUT.split(after_text, maxsplit=1)[0]) \
            if _AFTER_WORD in after_text else ""
        key, subject = _classify_cached(unit, label, after_key, heading_key)
        own_fund = facts.own_fund
        if facts.opens_child:
            state.child_fund = state.last_fund
        fund = own_fund or state.child_fund or section_fund
        if key in _TOTALS:
            if own_fund is None and facts.bare not in ("收入", "支出"):
                fund = "all" if state.child_fund is None else fund  # the document's grand totals
            keys = _with_fund(key, fund, label)
        else:
            keys = [key]  # (what _with_fund gives every other key)
            if key == "unclassified" and unit in ("人", "人次") and state.last_keys \
                    and not facts.bare.strip("、，,；; "):
                key = _PEOPLE_AFTER.get(state.last_keys[0], key)
                subject = state.last_subject
                keys = _with_fund(key, fund, label)
        qualifier = "count" if unit in _COUNT_UNIT_SET else "amount"
        if final_accounts and money and facts.initial_budget:
            qualifier = "initial_budget"  # the year's budget printed beside its final accounts
            if facts.adjusted_budget:
                qualifier = "adjusted_budget"  # 全年预算 / 调整预算: after the year's adjustments
        if unit == "%":
            qualifier = "share_pct" if state.last_keys else "amount"
        for one_key in keys:
            records.append(ProseFigureRecord(
                document_id, line, section, one_key, subject, qualifier, fund, number, unit,
                context,
            ))
        if qualifier in ("amount", "count", "initial_budget") and key != "unclassified":
            state.last_keys, state.last_subject, state.last_fund = keys, subject, fund
            state.changed = False
            if after_text.lstrip().startswith(("：", ":")):
                state.child_fund = fund  # 其中一般公共预算拨款政府采购 113 万元：货物 …
    for flat in flats[flat_index:]:
        if state.last_keys and flat >= previous_end and not state.changed:
            _emit_change(document_id, paragraph, flat, section, state, "0",
                         "万元", "change", "与上年持平", result)
    return state


_TOTALS = frozenset(("total_income", "total_expenditure"))
_COUNT_UNIT_SET = frozenset(_COUNT_UNITS)


def _read_figure_lists(
    document_id: str,
    paragraph: Paragraph,
    sentence_start: int,
    sentence: str,
    heading_key: str,
    section: str,
    section_fund: str,
    masked: Sequence[tuple[int, int]],
    result: ProseResult,
    covered: dict[int, int],
    state: _Sentence,
) -> list[tuple[int, int]]:
    """Read the lists of money figures of a sentence; returns their spans (in the sentence).

    A list is two or more amounts joined by 、 , 和 …, the last with its unit, after 分别为
    or with a bare amount before a separator (`A、B万元`, `A,B万元`). Its labels are the
    clause before it split at 、/和/及/与; with as many labels as figures each figure lands
    under its own label, else the line is unparsed ('prose_figure_list_not_aligned') and no
    figure of the list lands.
    """
    spans: list[tuple[int, int]] = []
    for match in _FIGURE_LIST.finditer(sentence):
        if _inside(sentence_start + match.start("numbers"), masked):
            continue
        items = list(_LIST_ITEM.finditer(match.group("numbers")))
        bare_before_last = any(item.group("unit") is None for item in items[:-1])
        if match.group("each") is None and not bare_before_last:
            continue  # 300万元、200万元 with labels between is not one list
        before = sentence[: match.start()]
        cut = list(_CLAUSE_CUT.finditer(before))
        clause = before[cut[-1].end() :] if cut else before
        clause = _LEADING_NOISE.sub("", clause.strip())
        clause = _EACH_VERB.sub("", clause)
        labels = [part.strip() for part in _LABEL_SEPARATOR.split(clause) if part.strip()]
        start = match.start("numbers")
        spans.append((start, match.end()))
        line = paragraph.line_at(sentence_start + start)
        for item in items:
            item_line = paragraph.line_at(sentence_start + start + item.start())
            covered[item_line] = covered.get(item_line, 0) + 1
        if len(labels) != len(items):
            result.unparsed.append(
                UnparsedLineRecord(
                    document_id, line, "prose_figure_list_not_aligned",
                    paragraph.text[sentence_start : sentence_start + len(sentence)].strip(),
                )
            )
            continue
        unit = next(i.group("unit") for i in reversed(items) if i.group("unit"))
        context = _context(sentence, match.start(), match.end())
        for label, item in zip(labels, items, strict=True):
            item_unit = item.group("unit") or unit
            key, subject = _classify_cached(item_unit, label, "", heading_key)
            fund = _fund_of(label) or section_fund
            keys = _with_fund(key, fund, label)
            for one_key in keys:
                result.figures.append(
                    ProseFigureRecord(
                        document_id=document_id,
                        line_number=paragraph.line_at(sentence_start + start + item.start()),
                        section=section,
                        figure_key=one_key,
                        subject=subject,
                        qualifier="amount",
                        fund_source=fund,
                        amount=item.group("num"),
                        unit=item_unit,
                        context=context,
                    )
                )
            if key != "unclassified":
                state.last_keys, state.last_subject, state.last_fund = keys, subject, fund
                state.changed = False
    return spans


# Facts stated in words, without a number: 无车辆 means zero vehicles.
_ABSENCES: tuple[tuple[re.Pattern[str], str, str, str], ...] = (
    (re.compile(r"无(?:公务)?车辆|没有(?:公务)?车辆"), "vehicle_count", "count", "辆"),
    (re.compile(r"无(?:使用)?政府性基金"), "government_fund_expenditure", "amount", "万元"),
)


def _stated_absences(
    document_id: str,
    paragraph: Paragraph,
    sentence_start: int,
    sentence: str,
    section: str,
    result: ProseResult,
) -> None:
    if "无" not in sentence and "没有" not in sentence:
        return  # every absence is stated with one of them
    for pattern, key, qualifier, unit in _ABSENCES:
        match = pattern.search(sentence)
        if match is None:
            continue
        fund = "government_fund" if key.startswith("government_fund") else "all"
        result.figures.append(
            ProseFigureRecord(
                document_id=document_id,
                line_number=paragraph.line_at(sentence_start + match.start()),
                section=section,
                figure_key=key,
                subject=match.group(0),
                qualifier=qualifier,
                fund_source=fund,
                amount="0",
                unit=unit,
                context=_context(sentence, match.start(), match.end()),
            )
        )


# what every text a function code opens holds: 类 (a path) or a code's first five digits,
# spaces maybe between them (the code is read with the spaces taken out)
_CODE_HINT = re.compile(r"2(?:\s*\d){4}")


@lru_cache(maxsize=4096)
def _function_ref(text: str) -> str:
    """The function code a paragraph opens with, as printed without spaces: its 类/款/项 path
    (``一般公共服务支出（类）财政事务（款）行政运行（项）``) or name and code
    (``行政运行（2010101）``); '' when the paragraph opens with neither."""
    if "类" not in text and _CODE_HINT.search(text) is None:
        return ""  # neither _FUNCTION_PATH nor _FUNCTION_CODE matches
    head = _ENUMERATOR.sub("", _SPACES.sub("", text), count=1)
    path = _FUNCTION_PATH.match(head)
    if path:
        return path.group(0)
    coded = _FUNCTION_CODE.match(head)
    if coded:
        name = coded.group("name1") or coded.group("name2")
        code = coded.group("code1") or coded.group("code2")
        return f"{name}（{code}）"
    return ""


def _next_function_ref(text: str, level: int, current: str, path_head: str) -> tuple[str, str]:
    """(function ref, path head) for a paragraph: one opening with a path states that code's
    figures, and so do the paragraphs after it up to the next heading; a heading line that is
    only the start of a path (``…（类）…（款）行政单位``) is ended by the next paragraph
    (``医疗（项）。主要用于…``)."""
    if path_head:
        joined = _function_ref(path_head + text)
        if len(joined) > len(_function_ref(path_head)):
            return joined, ""
    ref = _function_ref(text)
    if ref:
        return ref, text if level and not _STOP_OR_COLON.search(text) else ""
    if level:
        return "", ""
    return current, ""


def _budget_statement(label: str) -> str | None:
    """'initial_budget' | 'adjusted_budget' | 'amount' (the actual) when ``label`` only says
    which of them the number is (年初预算为 / 全年预算为 / 支出决算为), else None."""
    bare = _LEADING_NOISE.sub("", _COLON.split(label)[-1]).strip("：:，, ")
    if _STATEMENT_WORDS.sub("", bare).strip("：:，, "):
        return None
    if _ADJUSTED_BUDGET.search(bare):
        return "adjusted_budget"
    if "决算" in bare:
        return "amount"
    if _INITIAL_BUDGET.search(bare):
        return "initial_budget"
    return None


def _with_fund(key: str, fund: str, label: str) -> list[str]:
    """收支 names both sides; a bare 收入/支出 under a fund heading is that fund's figure."""
    if key != "total_income" and key != "total_expenditure":
        return [key]  # (both rules below are about these two keys only)
    if key == "total_income" and ("收支" in label or "收、支" in label or "收入支出" in label):
        return ["total_income", "total_expenditure"]
    bare = _LEADING_NOISE.sub("", label).strip("：: ")
    if key in ("total_income", "total_expenditure") and bare in ("收入", "支出") and \
            fund in _FUND_KEYS:
        expenditure, income = _FUND_KEYS[fund]
        return [income if key == "total_income" else expenditure]
    return [key]


def _signed(number: str, negative: bool) -> str:
    if not negative or number.startswith("-") or float(number) == 0:
        return number
    return "-" + number


def _context(sentence: str, start: int, end: int) -> str:
    return sentence[max(0, start - 40) : end + 20].strip()


def _emit_related(
    document_id: str,
    line: int,
    section: str,
    state: _Sentence,
    value: str,
    unit: str,
    qualifier: str,
    context: str,
    result: ProseResult,
) -> None:
    keys = state.last_keys or ["unclassified"]
    for key in keys:
        result.figures.append(ProseFigureRecord(  # (the fields in order: no keywords to match)
            document_id, line, section, key, state.last_subject, qualifier, state.last_fund,
            value, unit, context,
        ))


def _emit_change(
    document_id: str,
    paragraph: Paragraph,
    offset: int,
    section: str,
    state: _Sentence,
    value: str,
    unit: str,
    qualifier: str,
    context: str,
    result: ProseResult,
) -> None:
    _emit_related(document_id, paragraph.line_at(offset), section, state, value, unit, qualifier,
                  context, result)


def is_prose_heading(text: str) -> bool:
    return is_heading(text)
