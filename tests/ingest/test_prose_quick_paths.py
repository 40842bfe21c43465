"""The quick paths of the prose reader give the answer of the full rules they stand for.

ingest/prose.py skips work where it cannot change the answer: one alternation for the five
heading patterns, _FIGURE's first character asserted before its lookbehinds, the sentences
in one regex pass, what the rules read from a label found once per distinct label, the
classification cached on the heading and after words the rules read, paragraphs without a
digit (or 无/没有) not read sentence by sentence. Each test puts a case at the boundary of
one of them next to the rule it replaces (kept here as the reference).
"""

from __future__ import annotations

import re

import pytest

from ingest import prose
from ingest.normalise import normalise_text
from ingest.prose import Token, parse_prose

# --- the rules as they were before the quick paths (the reference) --------------------------

_FIVE_HEADING_PATTERNS = (
    (re.compile(r"^\s*第[一二三四五六七八九十]+部分"), 1),
    (re.compile(r"^\s*[一二三四五六七八九十]+、"), 2),
    (re.compile(r"^\s*[（(][一二三四五六七八九十]+[）)]"), 3),
    (re.compile(r"^\s*\d+[.、．](?!\d)"), 4),
    (re.compile(r"^\s*[（(]\d+[）)]"), 5),
)
_FIGURE_WITHOUT_LOOKAHEAD = re.compile(r"(?<![\d.\-])(?<!\d,)(?P<num>-?\d+(?:\.\d+)?)\s*" + prose._UNIT)


def _reference_heading_level(text: str) -> int:
    for pattern, level in _FIVE_HEADING_PATTERNS:
        if pattern.match(text):
            return level
    return 0


def _reference_sentences(text: str) -> list[tuple[int, str]]:
    out: list[tuple[int, str]] = []
    start = 0
    for match in re.finditer(r"[。！？!?]", text):
        out.append((start, text[start : match.end()]))
        start = match.end()
    if start < len(text):
        out.append((start, text[start:]))
    return out


def _reference_classify(token: Token) -> tuple[str, str]:
    """classify on the whole token: the headings and the text after it as they are."""
    name = prose._class_name(token.label) if token.unit in ("万元", "元") else None
    if name is not None:
        return "class_expenditure", name
    for key, predicate in prose._RULES:
        if predicate(token):
            return key, prose._subject(token.label)
    if token.unit in ("万元", "元"):
        bare = prose._LEADING_NOISE.sub("", token.label).strip("：: ")
        if bare in ("支出", "收入"):
            return ("total_expenditure" if bare == "支出" else "total_income"), bare
    return "unclassified", prose._subject(token.label)


def _read(text: str, kind: str = "budget"):
    lines = normalise_text(text)
    return parse_prose("doc", lines, list(range(1, len(lines) + 1)), kind)


# --- the tests -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "第三部分 其他", "  第十部分", "一、部门基本情况", "\u3000二、收入", " （三）支出", "(四)",
        "1.机关运行经费", "  2、政府采购", "3．绩效", "1.5万元", "12.30 万元", "（1）车辆", " (12)",
        "（一二）", "第1部分", "十一、", "一 、", "(1", "", "   ", "收入 5 万元",
    ],
)
def test_heading_level_is_the_first_of_the_five_patterns(text: str) -> None:
    assert prose._heading_level(text) == _reference_heading_level(text)


@pytest.mark.parametrize(
    "text",
    [
        "-5万元", "a-5万元", "1-5万元", "1,5万元", "a,5万元", "1.5万元", ".5万元", "3.-2元",
        "收入12.5 万元，支出-3 %", "5万（含）", "5万", "5万元5万元", "2台(套)", "2 台 （ 套 ）",
        "12,345万元", "-", "", "万元",
    ],
)
def test_figure_lookahead_finds_the_same_matches(text: str) -> None:
    spans = [m.span("num") + m.span("unit") for m in prose._FIGURE.finditer(text)]
    assert spans == [m.span("num") + m.span("unit") for m in _FIGURE_WITHOUT_LOOKAHEAD.finditer(text)]


@pytest.mark.parametrize(
    "text", ["", "。", "。。a", "a", "a。b", "a！b?c!", "收入 5 万元。支出 3 万元", "a。\n"],
)
def test_sentences_in_one_pass(text: str) -> None:
    assert prose._sentences(text) == _reference_sentences(text)


@pytest.mark.parametrize("heading", [
    "", "七、绩效目标", "二、收入预算", "三、支出预算", "二、收入支出预算 / （一）绩效",
])
@pytest.mark.parametrize(("unit", "label", "after"), [
    ("万元", "涉及资金", ""),
    ("万元", "年初预算数", ""),
    ("万元", "决算数", ""),
    ("个", "项目", "进行了绩效自评"),
    ("个", "项目", "01234567890自评"),  # 自评 from the 12th character on: not read
    ("个", "项目", "0123456789自评"),  # 自评 ends at the 12th character: read
    ("万元", "一般公共服务支出", ""),
    ("万元", "三公经费", ""),
])
def test_classification_cached_on_heading_and_after_words(heading, unit, label, after) -> None:
    token = Token("1", unit, label, after, heading, 0)
    assert prose.classify(token) == _reference_classify(token)


@pytest.mark.parametrize("before", [
    "", "其中：", "比上年增加", "一般公共预算拨款收入", "较年初预算减少", "完成年初预算的",
    "年初预算为", "全年预算为", "支出决算为", "，调整预算数为", "主要原因是增加人员工资等",
    "占一般公共预算支出的", "其中一般公共预算", "2024 年收入总计",
])
def test_label_facts_are_the_rules_applied_to_the_label(before: str) -> None:
    facts = prose._label_of(before)
    label = before[prose._clause_start(before) :].strip()
    change = prose._change(label)
    assert facts.text == label
    assert facts.change_verb == (change.group("verb") if change else None)
    assert facts.statement == prose._budget_statement(label)
    assert facts.own_fund == prose._fund_of(label)
    assert facts.execution == bool(prose._EXECUTION.search(label))
    assert facts.share == bool(prose._SHARE.search(label))
    assert facts.bare == prose._LEADING_NOISE.sub("", label).strip("：: ")


def test_a_paragraph_without_digits_states_an_absence() -> None:
    # no digit, but 无: still read (the absence lands as a zero)
    figures = _read("四、国有资产占用情况\n本单位无车辆。\n").figures
    assert [(f.figure_key, f.amount, f.unit) for f in figures] == [("vehicle_count", "0", "辆")]


def test_flat_change_in_a_digitless_sentence_of_the_same_paragraph() -> None:
    # the sentence without a digit still reads 持平 for the figure of the sentence before it
    figures = _read("2024年“三公”经费预算 1.60 万元。与上年持平。\n").figures
    assert [(f.figure_key, f.qualifier, f.amount) for f in figures] == [
        ("three_public_total", "amount", "1.60"), ("three_public_total", "change", "0"),
    ]


def test_flat_change_in_a_paragraph_without_digits_refers_to_nothing() -> None:
    # a new paragraph starts afresh: its 持平 has no figure to refer to, with or without the skip
    figures = _read("2024年“三公”经费预算 1.60 万元。\n一、与上年持平\n").figures
    assert [(f.figure_key, f.qualifier) for f in figures] == [("three_public_total", "amount")]


def test_numbers_without_units_counted_on_their_own_lines() -> None:
    # one paragraph over two lines: the bare number is on the second line
    result = _read("本部门收入 5 万元，较上年\n增长 12\n")
    assert [(u.line_number, u.reason) for u in result.unparsed] == [(2, "number_without_unit")]
    # a year is no figure: a one-line paragraph with only a year and a figure is all read
    assert not _read("2024 年收入 5 万元。\n").unparsed


@pytest.mark.parametrize(
    "text",
    [
        "收入5万！支出3万元。", "收入5万。支出-3万元", "5万", "收入 5 万元。3 万元？-2 %!1个",
        "2024年收入5万元，其中：拨款 1,2 万元。较上年增加 0.5 万元。与上年持平。",
        "共有车辆 2 辆。。。购置 1 台（套）设备", "12。5万元", "1.5。万元", "-。5万元",
    ],
)
def test_figures_of_a_paragraph_are_those_of_its_sentences(text: str) -> None:
    # one _FIGURE pass over the paragraph finds what a pass over each sentence found
    per_sentence = [
        (start + m.start("num"), start + m.end()) for start, sentence in _reference_sentences(text)
        for m in prose._FIGURE.finditer(sentence)
    ]
    assert [(m.start("num"), m.end()) for m in prose._FIGURE.finditer(text)] == per_sentence


@pytest.mark.parametrize("between", [
    "其余事项见后。",  # no figure, list or 持平: skipped, and the state passes over it unchanged
    "其中拨款 0.50 万元。",  # a figure: read by _read_sentence (unclassified: the keys stay)
    "",  # the 持平 sentence itself has no figure: read all the same (持平 is tested first)
])
def test_a_sentence_without_figures_is_skipped_but_not_one_with_a_flat_change(
        between: str) -> None:
    text = f"2024年“三公”经费预算 1.60 万元，比上年增加 0.10 万元。{between}与上年持平。\n"
    figures = _read(text).figures
    flats = [(f.figure_key, f.qualifier, f.amount) for f in figures if f.context == "与上年持平"]
    # the flat change is one of the figure the first sentence is about, whatever came between
    assert figures[0].figure_key == "three_public_total"
    assert flats == [("three_public_total", "change", "0")]


@pytest.mark.parametrize(("left", "right", "joined"), [
    ("增加 12", "34 万元", "增加 12 34 万元"),  # an ASCII digit: _needs_space is asked (a space)
    ("the", "word", "the word"),  # an ASCII letter: asked (a space)
    ("编号①", "2 项", "编号① 2 项"),  # ① is no ASCII but str.isdigit: asked (a space)
    ("支出增加", "12 万元", "支出增加12 万元"),  # a CJK character: joined without asking
    ("合计6151.", "49 万元", "合计6151.49 万元"),  # ASCII, asked: a wrapped decimal is joined
])
def test_reflow_asks_needs_space_only_after_a_digit_or_ascii(left, right, joined) -> None:
    from ingest.normalise import _needs_space, reflow
    assert _needs_space(left, right) is (" " in joined[len(left):len(left) + 1])
    assert [p.text for p in reflow([(1, left), (2, "  "), (3, right)])] == [joined]


@pytest.mark.parametrize("text", [
    "电话 023-12345678 收入 5 万元", "电话 023－12345678", "电话 023 12345678",  # - or － or neither
    "（1）收入 5 万元", "(1) 收入", "1) 收入",  # （ or ( or neither
    "2024年3月5日 第 3 条 〔2021〕57 号 12345678", "收入 5 万元",
])
def test_mask_skips_a_pattern_only_when_the_text_holds_none_of_its_characters(text) -> None:
    # the reference: every pattern searched in every text
    spans = [m.span() for pattern, _ in prose._NOT_FIGURES for m in pattern.finditer(text)]
    enumerator = prose._ENUMERATOR_START.match(text)
    spans += [enumerator.span()] if enumerator else []
    assert prose._mask_with_digits(text) == spans == prose._mask_non_figures(text)


@pytest.mark.parametrize("text", [
    "", "收入 5 万元", "收入、支出分别为 5、3 万元", "5,3万元", "5万元和 -3万元", "5 以及 3",
    "5元及3", "5 与\u30003", "5万元、支出", "、5", "5、", "甲、乙 5 万元", "5 ， 3", "5和-",
])
def test_a_list_hint_is_searched_only_where_its_end_is_found(text: str) -> None:
    assert prose._may_hold_list(text) is (prose._LIST_HINT.search(text) is not None)


def _reference_function_ref(text: str) -> str:
    head = prose._ENUMERATOR.sub("", prose._SPACES.sub("", text), count=1)
    path = prose._FUNCTION_PATH.match(head)
    if path:
        return path.group(0)
    coded = prose._FUNCTION_CODE.match(head)
    if coded:
        name = coded.group("name1") or coded.group("name2")
        code = coded.group("code1") or coded.group("code2")
        return f"{name}（{code}）"
    return ""


@pytest.mark.parametrize("text", [
    "一般公共服务支出（类）财政事务（款）行政运行（项）。年初预算为 5 万元",
    "行政运行（2010101）：年初预算为 5 万元", "2010101 行政运行：支出决算为 5 万元",
    "（一）行政运行（20101 01）：", "1. 20 1 0101 行政运行，", "行政运行（201）：",
    "2024 年收入 5 万元", "收入 5 万元", "", "社会保障（ 类 ）",
])
def test_function_ref_prefilter_gives_the_full_answer(text: str) -> None:
    prose._function_ref.cache_clear()
    assert prose._function_ref(text) == _reference_function_ref(text)


@pytest.mark.parametrize("text", [
    "2024年“三公”经费预算 1.60 万元，比上年增加 0.10 万元。其余事项见后。与上年持平。",
    "本单位无车辆。收入 5 万元。", "收入、支出分别为 5、3 万元。电话 023-12345678。",
    "（1）收入 5 万元，支出 3 万元！其中：拨款 1,2 万元？", "一、部门基本情况", "",
])
def test_scan_of_a_paragraph_is_its_parts(text: str) -> None:
    # the figures, numbers and sentences to read that _scan keeps are what the parts give
    scan = prose._scan(text)
    masked = prose._mask_non_figures(text)
    figures = [m for m in prose._FIGURE.finditer(text)
               if not prose._inside(m.start("num"), masked)]
    assert scan.level == prose._heading_level(text)
    assert scan.figures == [(*m.span(), m.start("num"), m.group("num"),
                             prose._unit_of(m.group("unit"))) for m in figures]
    assert scan.numbers == tuple(m.start() for m in prose._BARE_NUMBER.finditer(text)
                                 if not prose._inside(m.start(), masked))
    read = [(start, sentence) for start, sentence in prose._sentences(text)
            if any(start <= m.start() < start + len(sentence) for m in figures)
            or "持平" in sentence or prose._LIST_HINT.search(sentence)
            or "无" in sentence or "没有" in sentence]
    assert [(s[0], s[1]) for s in scan.sentences] == read
