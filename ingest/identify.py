"""Identify a disclosure from its text alone: unit, district, year, kind, scope, unit code."""

from __future__ import annotations

import itertools
import re
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache

from ingest.divisions import Division, DivisionIndex
from ingest.normalise import simplified_as_is, to_simplified

_CODE_DASH_PREFIX = re.compile(r"^\d+[-－]")
_OWN_LEVEL_SUFFIX = re.compile(r"[（(]本级[）)]$")
_TITLE_KEY = re.compile(r"(?:文件|信息)?(?:标题|名称)[:：]?")

_UNIT_SUFFIXES = (
    "中心", "办公室", "局", "委员会", "委", "部", "厅", "院", "所", "站", "队", "馆", "会", "处",
    "室", "校", "学", "园", "社", "团", "司", "署", "办", "府", "组", "区", "县", "市", "政府",
    "协会", "街道", "镇", "乡", "场", "台", "库", "科", "股", "联", "盟", "宫", "报", "省",
    "（本级）", "(本级)", "本级",
)


def is_unit_name(name: str) -> bool:
    """A budget unit's name ends like one (…中心, …局, …委员会, …街道办事处, …（本级）)."""
    return 2 <= len(name) <= 60 and name.endswith(_UNIT_SUFFIXES)


class NotADisclosure(ValueError):
    """The text is not one unit's disclosure; ``reason`` says what was looked for or found."""

    def __init__(self, source: str, reason: str) -> None:
        super().__init__(f"{source}: {reason}")
        self.source = source
        self.reason = reason


@dataclass(frozen=True)
class Identity:
    unit_name: str
    fiscal_year: int
    doc_kind: str  # 'budget' | 'final_accounts'
    scope: str  # 'department' | 'unit'
    title: str
    title_line: int
    district_code: str
    district_name: str
    unit_code: str
    parent_unit_name: str
    published_date: str
    division_level: str = ""  # 'province' | 'city' | 'county' | '' when unresolved
    identified_by: str = "title"  # 'title' | 'heading' | 'table_header' | 'prose'
    tables_only: bool = False  # no title and mostly table rows: the tables part of a disclosure


def _compact(text: str) -> str:
    """``text`` without white space (``re.sub(r"\\s+", "", text)``: ``\\s`` is ``str.isspace``)."""
    return "".join(text.split())


@lru_cache(maxsize=1 << 14)  # a pure function of the text; documents share their boilerplate
def match_view(text: str) -> str:
    """What identification matches: simplified characters, no whitespace (pinyin readings and
    field codes are already gone in normalisation)."""
    return to_simplified(_compact(text))


# --- the title ------------------------------------------------------------------------------

_YEAR = r"(?P<year>(?:19|20)\d{2})年度?"
_LEVEL = r"(?P<level>(?:区县|区|县|市|省|州|旗|乡|镇)?本级|(?:区县|区|县|市|省|州|旗|乡|镇)级)?"
_SCOPE = r"(?P<scope>部门[（(]单位[）)]|单位[（(]部门[）)]|部门|单位)?"
_KIND = r"(?P<kind>预算|决算)"
_SUFFIX = (
    r"(?:(?:及|和|暨|与)[“\"]?三公[”\"]?经费(?:预算|决算)?)?"  # …部门预算及“三公”经费预算公开
    r"(?P<suffix>的?(?:(?:信息)?公开(?:说明|文件|表)?|(?:情况|编制)?说明|报告|表|草案|情况))?"
    r"(?:[（(][^（）()]{1,12}[）)])?"
)
_UNIT_FIRST = re.compile(
    rf"^(?:关于)?(?P<unit>[^\d]+?)(?:关于)?[（(]?{_YEAR}[）)]?{_LEVEL}{_SCOPE}{_KIND}{_SUFFIX}$"
)
_YEAR_FIRST = re.compile(rf"^(?:关于)?{_YEAR}(?P<unit>[^\d]+?){_LEVEL}{_SCOPE}{_KIND}{_SUFFIX}$")
_LEAD = re.compile(
    r"^(?:[•·●○■□◆◇▪▶►\-—*#>»]+|(?:文件|信息|文章)?(?:标题|名称)[:：|]|第[一二三四五六七八九十]+部分)+"
)
_PART = re.compile(r"^第[一二三四五六七八九十]+部分")
_FURNITURE = re.compile(
    r"^(?:"
    r"(?:索引号|发布机构|发文机关|发文机构|发布单位|发文日期|发布日期|发布时间|成文日期|生成日期|主题分类"
    r"|主题词|文号|发文字号|信息来源|来源|浏览次数|访问量|点击数|阅读次数|作者|责任编辑|公开方式|公开范围"
    r"|公开时限|公开形式|时效|有效性|信息分类|体裁分类|组配分类|所属机构|分类|编号)[:：|\t]?.*"
    r"|.*(?:当前位置|您的位置|所在位置).*|.*(?:>|»|›|＞|→).*"
    r"|(?:【?(?:打印|纠错|关闭|分享|收藏|返回顶部|扫一扫|字号|大中小|字体|打印本页|关闭窗口)】?)+.*"
    r"|.*(?:电话|传真|邮编|邮箱)[:：].*|.*\d{3,4}-\d{7,8}.*"
    r"|[-—–]?\d{1,4}[-—–]?|第\d{1,4}页(?:共\d{1,4}页)?|\d{1,4}/\d{1,4}"
    r"|(?:19|20)\d{2}年\d{1,2}月\d{1,2}日|(?:19|20)\d{2}[-/.]\d{1,2}[-/.]\d{1,2}(?:\d{1,2}:\d{2}(?::\d{2})?)?"
    r")$"
)
_PLACEHOLDER = re.compile(r"XX|ＸＸ|××|xx|\*\*|○○|某")
_NOT_A_UNIT = re.compile(r"(?:预算|决算|年度|\d{4}|[，。；;:：])")
_AGGREGATE = re.compile(r"^全(?:区|市|县|省|州|旗|镇|乡)|^(?:区|市|县|省)(?:级|本级)?(?:各)?部门$|各部门|汇总")
_AGGREGATE_WORDS = re.compile(r"全(?:区|市|县|省|州|旗)|各部门|各单位|汇总|合计|总体")
_NOTICE = re.compile(r"(?:^关于.*(?:通知|办法|规定|意见|批复|决定|公告)$|(?:管理)?(?:办法|条例|规定|细则)$)")
_NEWS = re.compile(r"(?:召开|举办|开展|部署|调研|会议|工作会|培训班|动员)")
_HEAD = re.compile(r"^(.{4,80}?(?:预算|决算)\S{0,10})\s")
_TOC = ("目录", "目次")
_TITLE_SCAN = 40  # non-empty lines at the top where a title may stand
_MAX_TITLE_LINES = 3  # a title wraps over at most this many lines
_MAX_TITLE_CHARS = 70


@dataclass(frozen=True)
class _Candidate:
    score: float
    unit: str
    year: str
    kind: str
    scope: str
    title: str
    title_line: int


@lru_cache(maxsize=1 << 14)
def _is_furniture(view: str) -> bool:
    """A page's furniture (索引号：…, 当前位置, a page number), not a title."""
    return _FURNITURE.match(_LEAD.sub("", view) or view) is not None


def _iter_top_items(lines: Sequence[str]) -> Iterator[tuple[int, str, str] | None]:
    """(line number, text as printed, matching view) for the top lines that may hold a title;
    ``None`` marks a boundary (a table row, a long prose line, 目录) a title cannot cross.
    One at a time: the title search stops reading when it has its best."""
    seen = 0
    for number, raw in enumerate(lines, start=1):
        text = raw.strip()
        if not text:
            continue
        seen += 1
        if seen > _TITLE_SCAN:
            break
        if "\t" in text:
            cells = [c.strip() for c in text.split("\t") if c.strip()]
            yield None
            for left, right in itertools.pairwise(cells):  # | 标题 | <title> | in a metadata table
                if _TITLE_KEY.fullmatch(match_view(left)):
                    yield number, right, match_view(right)
                    yield None
            continue
        view = match_view(text)
        if _is_furniture(view):
            continue
        if len(view) > _MAX_TITLE_CHARS:
            # a text export that collapsed its line breaks: the title is the line's head
            head = _HEAD.match(text)
            if head is not None:
                yield number, head.group(1), match_view(head.group(1))
            yield None
            continue
        if view in _TOC:
            yield number, text, view  # 目录: later candidates are in the TOC
            yield None
            continue
        yield number, text, view


# A candidate's score: 100, less 2 a position and 3 a wrapped line, less 25 after 目录, 15 for a
# 第…部分 heading and 6 for a title ending in 表, plus 6 when its unit names its division.
_BEST_SCORE = 100.0
_DIVISION_BONUS = 6.0


def _candidates(lines: Sequence[str], divisions: DivisionIndex | None) -> list[_Candidate]:
    """The title candidates of the top lines that can still be the best one (find_title's
    max of (score, -title_line)).

    A candidate's score is at most ``100 - 2 * position - 3 * (wrapped lines) + 6``, less 25
    after 目录. The items are read in order, and a window whose bound is already below the best
    score found is not matched (nor a longer window at the same place, nor any later item):
    its score, strictly lower, can neither beat nor tie the best, so the maximum is the one a
    match of every window gives. Only the top lines this needs are read.
    """
    stream = _iter_top_items(lines)
    items: list[tuple[int, str, str] | None] = []
    exhausted = False

    def have(count: int) -> bool:
        """Read items until ``count`` are there; False when the top lines end before."""
        nonlocal exhausted
        while len(items) < count and not exhausted:
            try:
                items.append(next(stream))
            except StopIteration:
                exhausted = True
        return len(items) >= count

    bonus = _DIVISION_BONUS if divisions is not None else 0.0
    found: list[_Candidate] = []
    best = float("-inf")
    toc_seen = False
    position = 0
    index = -1
    while have(index + 2):
        index += 1
        item = items[index]
        if item is None:
            continue
        if item[2] in _TOC:
            toc_seen = True
            continue
        position += 1
        base = _BEST_SCORE - 2 * position - (25 if toc_seen else 0)
        if base + bonus < best:
            break  # neither this item nor a later one can reach the best score
        had_part = bool(_PART.match(item[2]))
        window: list[tuple[int, str, str]] = []
        view = ""
        for offset in range(_MAX_TITLE_LINES):
            if not have(index + offset + 1):
                break
            follow = items[index + offset]
            if follow is None:
                break
            window.append(follow)
            view += follow[2]
            if "年" not in view or ("预算" not in view and "决算" not in view):
                continue  # no title (see _match_title)
            score = base - 3 * (len(window) - 1) - (15 if had_part else 0)
            if score + bonus < best:
                break  # a longer window scores lower still
            match = _match_title(_LEAD.sub("", view))
            if match is None:
                continue
            unit, year, kind, scope, suffix = match
            score -= 6 if suffix == "表" else 0
            # a wrapped title's first line completes the unit's name (上海市普陀区规划和自然 / 资源局)
            score += bonus if divisions is not None and divisions.resolve_unit(unit) else 0
            year_line = next((n for n, _, v in window if year in v), window[-1][0])
            title = " ".join(t for _, t, _ in window)
            found.append(_Candidate(score, unit, year, kind, scope, title, year_line))
            best = max(best, score)
    return found


_PAGE_BEFORE = re.compile(r"^\d{1,3}(?=[\u4e00-\u9fff])")
_DATE_AFTER = re.compile(
    r"(?:(?:发布|更新)?(?:日期|时间)[:：]?)?[（(]?(?:19|20)\d{2}[-/.年]\d{1,2}[-/.月]\d{1,2}日?"
    r"(?:\d{1,2}:\d{2}(?::\d{2})?)?[）)]?$"
)


# the longest text _SUFFIX matches after 预算 / 决算 (及“三公”经费预算 9, 的信息公开说明 7,
# （…12…） 14), with a character to spare for ``$`` before a final line break
_MAX_SUFFIX = 9 + 7 + 14 + 1


def _match_title(view: str) -> tuple[str, str, str, str, str] | None:
    """The title read from one candidate's view; a page number printed before it or a date
    after it on the same line is not part of it."""
    if "年" not in view or ("预算" not in view and "决算" not in view):
        return None  # both patterns read a year and 预算 / 决算 (the subs only remove text)
    view = _DATE_AFTER.sub("", _PAGE_BEFORE.sub("", view))
    kind_at = max(view.rfind("预算"), view.rfind("决算"))
    if kind_at < 0 or len(view) - (kind_at + 2) > _MAX_SUFFIX:
        return None  # both patterns end with 预算 / 决算 and at most _MAX_SUFFIX characters
    for pattern in (_UNIT_FIRST, _YEAR_FIRST):
        match = pattern.match(view)
        if match is None:
            continue
        unit = _clean_unit(match.group("unit"))
        if not unit or _NOT_A_UNIT.search(unit) or not is_unit_name(unit) \
                or _PLACEHOLDER.search(unit):
            continue
        return (unit, match.group("year"), match.group("kind"), match.group("scope") or "",
                match.group("suffix") or "")
    return None


def _clean_unit(unit: str) -> str:
    unit = _LEAD.sub("", unit)
    return unit.strip("“”\"'《》「」【】[]|·、,，:： ")


def find_title(
    lines: Sequence[str], divisions: DivisionIndex | None = None
) -> tuple[str, str, str, str, str, int]:
    """(unit, year, kind word, scope word, title text, title line) of the best title candidate.

    Candidates are the top lines (site furniture skipped: breadcrumbs, 索引号/发布机构 blocks,
    打印/纠错, phone numbers, page numbers, dates) and runs of up to three consecutive ones
    joined (a title wrapped over lines, the unit on one line and the year on the next). A
    candidate reads ``<unit><year>年(度)[level][部门|单位]<预算|决算>[suffix]`` or the same with
    the year first; the earliest, shortest one before 目录 and not a ``第二部分 …预算表`` heading
    wins; with ``divisions``, a candidate whose unit names its division beats a fragment of it.
    Raises :class:`NotADisclosure` with the reason when none does.
    """
    candidates = _candidates(lines, divisions)
    if candidates:
        best = max(candidates, key=lambda c: (c.score, -c.title_line))
        return best.unit, best.year, best.kind, best.scope, best.title, best.title_line
    raise NotADisclosure("", _why_not(lines, divisions))


def _is_aggregate_view(view: str, divisions: DivisionIndex | None) -> bool:
    """全区/各部门/汇总 wording, or nothing but an area (重庆市万州区, or no name) before the year."""
    if _AGGREGATE_WORDS.search(view):
        return True
    leading = re.match(r"^(.*?)(?:19|20)\d{2}", view)
    if leading is None:
        return False
    before = _LEAD.sub("", leading.group(1))
    return not before or (divisions is not None and divisions.is_division_name(before))


def _why_not(lines: Sequence[str], divisions: DivisionIndex | None = None) -> str:
    top = [match_view(raw) for raw in lines[:60] if raw.strip()]
    for view in top[:12]:
        bare = _LEAD.sub("", view)
        if (_UNIT_FIRST.match(bare) or _YEAR_FIRST.match(bare)) and _PLACEHOLDER.search(bare):
            return _TEMPLATE
    if _PLACEHOLDER.search("".join(top[:4])) and re.search(r"预算|决算", "".join(top[:4])):
        return _TEMPLATE
    for view in top[:12]:
        if re.search(r"预算|决算", view) and _NOTICE.search(view):
            return (
                f"is a notice or regulation ('{view[:40]}'), not one unit's budget or "
                "final-accounts disclosure; nothing to land"
            )
        if re.search(r"三公", view) and re.search(r"预算|决算", view) and \
                _is_aggregate_view(view, divisions):
            return (
                f"is an aggregate of many units ('{view[:40]}'), not one unit's disclosure; "
                "nothing to land — ingest the units' own disclosures"
            )
    news = next((v for v in top[:3] if _NEWS.search(v) and re.search(r"预算|决算", v)
                 and len(v) < 60), None)
    if news is not None:
        return (
            f"looks like a news item ('{news[:40]}'), not a budget or final-accounts "
            "disclosure; nothing to land"
        )
    return (
        "no budget or final-accounts title (like '<unit> 2025 年部门预算情况说明' or "
        "'2024年度<unit>部门决算') in the first lines, and no unit named in headings or above "
        "the tables (第一部分 <unit>概况, 部门：<unit>); it is not a disclosure this parser knows"
    )


_TEMPLATE = (
    "is a blank template (its unit is a placeholder such as 'XX'); nothing to land — "
    "ingest the filled-in disclosures instead"
)


# --- no title: unit, year and kind from headings, table headers and prose --------------------

_LABELLED_UNIT = re.compile(
    r"(?:^|\t|\s|[表）)])(?:部门|编制单位|单位名称|预算单位|部门名称|填报部门)[:：]\s*"
    r"(?P<unit>[^\t:：]{2,60}?)\s*(?=(?:金额)?单位[:：]|[（(]单位|\t|$)"
)
_PART_UNIT = re.compile(r"^第[一二三四五六七八九十]+部分(?P<unit>[^\d]{2,40}?)(?:部门|单位)?概况$")
_PROSE_UNIT = re.compile(rf"^(?P<unit>[^\d，。；、（(“”《》]{{4,40}}?){_YEAR}")
_HEADING_YEAR = re.compile(rf"{_YEAR}.{{0,30}}?(?P<kind>预算|决算)")


def _untitled(lines: Sequence[str]) -> tuple[str, str, str, str, int, str] | None:
    """(unit, year, kind word, evidence text, evidence line, how found) for a document whose
    cover holds no title text, or None."""
    units: dict[str, list[tuple[int, int, str]]] = {}  # unit → (rank, line, text)
    years: Counter[str] = Counter()
    rank_of = {"heading": 0, "table_header": 1, "prose": 2}
    as_is = simplified_as_is("\n".join(lines))  # (then every line's view is the line)
    for number, raw in enumerate(lines, start=1):
        if as_is and "年" not in raw and "：" not in raw and ":" not in raw and "第" not in raw:
            continue  # what every pattern below needs (a 第…部分 heading, 部门：X, a year)
        if not raw.strip():
            continue
        view = raw.strip() if as_is else to_simplified(raw.strip())
        compact = _compact(view)
        found: list[tuple[str, str]] = []
        part = _PART_UNIT.match(compact)
        if part:
            found.append((part.group("unit"), "heading"))
        found.extend((m.group("unit"), "table_header") for m in _LABELLED_UNIT.finditer(view))
        prose = _PROSE_UNIT.match(compact)
        if prose and "\t" not in raw:
            found.append((prose.group("unit"), "prose"))
        for unit, how in found:
            unit = _clean_unit(_compact(unit))
            if is_unit_name(unit) and not _NOT_A_UNIT.search(unit) \
                    and not _PLACEHOLDER.search(unit):
                units.setdefault(unit, []).append((rank_of[how], number, raw.strip()))
        if len(compact) <= 60:
            for match in _HEADING_YEAR.finditer(compact):
                years[match.group("year")] += 1
    if not units or not years:
        return None
    kind = kind_of_body(lines)
    if kind is None:
        counts = kind_evidence(lines)
        raise NotADisclosure(
            "",
            "has no title, and its headings and table titles do not say for sure whether it "
            f"is a budget or final accounts (预算 {counts['预算']} times, 决算 {counts['决算']} "
            "times, fund names such as 一般公共预算 not counted); nothing landed — ingest a "
            "copy with its cover title",
        )

    def strength(item: tuple[str, list[tuple[int, int, str]]]) -> tuple[int, int, int]:
        unit, seen = item
        best_rank = min(rank for rank, _, _ in seen)
        # prose mentions count only when repeated (a unit named once may be another unit)
        return (-best_rank if best_rank < 2 or len(seen) >= 2 else -9, len(seen), len(unit))

    unit, seen = max(units.items(), key=strength)
    if strength((unit, seen))[0] == -9:
        return None
    rank, line, text = min(seen)
    how = {0: "heading", 1: "table_header", 2: "prose"}[rank]
    year = max(years.items(), key=lambda kv: (kv[1], kv[0]))[0]
    return unit, year, kind, text, line, how


# 预算 in a fund's name (一般公共预算, 政府性基金预算), in 预算单位 / 预算管理 / 预算执行, or in a
# comparison (年初预算, 上年决算) is in budgets and final accounts alike: it says nothing of kind.
_KIND_NEUTRAL = re.compile(
    r"(?:一般公共|政府性基金|国有资本经营|社会保险基金|公共财政|财政)预算"
    r"|预算(?:单位|内|外|管理|绩效|编制|执行|调整|批复|资金|安排)"
    r"|(?:年初|调整|追加|上年|全年)(?:预算|决算)"
)
# the kind as a document or a table names itself: 部门决算, 收支预算总表, 决算情况说明, 决算数
_KIND_WORD = re.compile(
    r"(?:部门|单位|收支|收入|支出|拨款|经费)(?P<a>预算|决算)"
    r"|(?P<b>预算|决算)(?=情况|总表|表|公开|数|说明)"
)
_KIND_MARGIN = 3  # the kind named at least 3 times as often as the other


def kind_evidence(lines: Sequence[str]) -> Counter[str]:
    """How often the text (headings, table titles and headers, prose) names itself a budget
    (预算) or final accounts (决算), fund names and comparisons left out; each table cell is
    read alone."""
    counts: Counter[str] = Counter({"预算": 0, "决算": 0})
    as_is = simplified_as_is("\n".join(lines))
    for raw in lines:
        if as_is and "算" not in raw:
            continue  # (a kind word holds 算, and then a cell's view is the cell compacted)
        for cell in raw.split("\t"):
            view = _KIND_NEUTRAL.sub("", match_view(cell))
            for match in _KIND_WORD.finditer(view):
                counts[match.group("a") or match.group("b")] += 1
    return counts


def kind_of_body(lines: Sequence[str]) -> str | None:
    """预算 or 决算 when the body says so decisively (see :data:`_KIND_MARGIN`), else None."""
    counts = kind_evidence(lines)
    (top, n), (_other, m) = counts.most_common(2)
    return top if n >= 1 and n >= _KIND_MARGIN * m else None


def _scope(scope_word: str, lines: Sequence[str]) -> str:
    if scope_word.startswith("部门"):
        return "department"
    if scope_word.startswith("单位"):
        return "unit"
    body = "".join(lines[:80])
    return "unit" if body.count("本单位") > body.count("本部门") else "department"


def _mostly_tables(lines: Sequence[str]) -> bool:
    filled = [raw for raw in lines if raw.strip()]
    return bool(filled) and sum("\t" in raw for raw in filled) >= 0.5 * len(filled)


_UNIT_CODE = re.compile(r"\d{4,12}")
# a cell that may be a unit code (4 to 12 digits, not 5 or 7) with a cell after it
_CODE_CELL = re.compile(r"(?:^|\t)\s*(?:\d{4}|\d{6}|\d{8,12})\s*(?=\t)")
_CODE_DASH_NAME = re.compile(r"(?<![\dA-Za-z])(\d{3,12})\s*[-－—]\s*([^\t（(，,。\s]+)")


def find_unit_code(lines: Sequence[str], unit_name: str) -> str:
    """A code printed in front of the unit's own name (``103001-重庆市…办公室（本级）`` or a
    table row ``312002 | 区电子政务中心``). The longest such code wins."""
    found: list[str] = []
    if not unit_name:
        return ""
    # A name printed after a code matches (_same_unit) when, compacted and without a trailing
    # （本级）, it is a suffix of the unit's name: it then ends with the name's last character,
    # which the line holds (compacting only removes white space). A line without it is skipped.
    for raw in _lines_holding(lines, unit_name[-1]):
        if "-" in raw or "－" in raw or "—" in raw:  # (every match holds one)
            for match in _CODE_DASH_NAME.finditer(raw):
                if _same_unit(match.group(2), unit_name):
                    found.append(match.group(1))
        if "\t" in raw and _CODE_CELL.search(raw):
            cells = [c.strip() for c in raw.split("\t")]
            for left, right in itertools.pairwise(cells):
                if _UNIT_CODE.fullmatch(left) and len(left) not in (5, 7) \
                        and _same_unit(right, unit_name):
                    found.append(left)
    if not found:
        return ""
    return max(found, key=lambda code: (len(code), -found.index(code)))


def _lines_holding(lines: Sequence[str], char: str) -> Iterator[str]:
    """The lines holding ``char``, in order: each found from the previous one's end in the
    joined text (one C search each instead of one test a line). The lines hold no line break."""
    if char == "\n":
        return  # (no line holds one)
    text = "\n".join(lines)
    at = text.find(char)
    while at >= 0:
        start = text.rfind("\n", 0, at) + 1
        end = text.find("\n", at)
        if end < 0:
            end = len(text)
        yield text[start:end]
        at = text.find(char, end)


def _same_unit(printed: str, unit_name: str) -> bool:
    printed = _compact(printed)
    printed = _OWN_LEVEL_SUFFIX.sub("", printed)
    return len(printed) >= 4 and (printed == unit_name or unit_name.endswith(printed))


_PARENT_PATTERNS = (
    re.compile(r"主管部门(?:是|为|：|:)\s*([^，。,；;\t]+)"),
    re.compile(r"为([^，。,；;\t]{4,40}?)(?:管理|主管|下属)的[^，。]{0,12}事业单位"),
)


# 主管部门 or 事业单位 (what the patterns read) with white space anywhere inside, not a line
# break: a line matches one exactly when the line compacted holds the word (\s is str.isspace,
# what _compact's split removes). One pattern a word: one starting with a literal character is
# searched for by a fast scan, an alternation of two tries both at every position; the two
# words share no character, so their matches never overlap.
_PARENT_WORDS = tuple(re.compile(r"[^\S\n]*".join(word)) for word in ("主管部门", "事业单位"))


def find_parent(lines: Sequence[str], unit_name: str) -> str:
    # the lines holding a word, found in the joined top lines, in order and each once
    head = "\n".join(lines[:120])
    read_to = -1
    words = sorted(match.span() for pattern in _PARENT_WORDS for match in pattern.finditer(head))
    for word_start, word_end in words:
        if word_start < read_to:
            continue  # (a line already read)
        start = head.rfind("\n", 0, word_start) + 1
        read_to = head.find("\n", word_end)
        if read_to < 0:
            read_to = len(head)
        raw = head[start:read_to]
        if "\t" in raw:
            continue
        text = _compact(raw)
        for pattern in _PARENT_PATTERNS:
            match = pattern.search(text)
            if match:
                parent = _CODE_DASH_PREFIX.sub("", match.group(1))
                if parent != unit_name and parent.endswith(_UNIT_SUFFIXES):
                    return parent
    return ""


_DATE = re.compile(r"((?:19|20)\d{2})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日")


def find_published_date(lines: Sequence[str]) -> str:
    """A date printed alone on one of the last lines (the signature of the publication)."""
    tail: list[str] = []  # the last 8 non-blank lines, stripped (read from the end)
    for raw in reversed(lines):
        text = raw.strip()
        if text:
            tail.append(text)
            if len(tail) == 8:
                break
    tail.reverse()
    for text in reversed(tail):
        match = _DATE.search(text)
        if match and len(_compact(text)) <= 24:
            year, month, day = (int(g) for g in match.groups())
            if 1 <= month <= 12 and 1 <= day <= 31:
                return f"{year:04d}-{month:02d}-{day:02d}"
    return ""


def published_form(unit: str, lines: Sequence[str]) -> str:
    """The unit's name as the document prints it. Titles are matched in simplified characters
    (``match_view``), and OpenCC's table also turns characters of simplified text into others
    (乾安县 → 干安县): the name that lands is the printed run of characters whose simplified
    form is the matched name, found in the lines the title was read from."""
    width = len(unit)
    for raw in lines:
        compact = _compact(raw)
        if unit in compact:
            return unit
        for start in range(len(compact) - width + 1):
            window = compact[start:start + width]
            if to_simplified(window) == unit:
                return window
    return unit


_LEVEL_DEPTH = {"province": 1, "city": 2, "county": 3}


def _most_specific(printed: Division | None, view: Division | None) -> Division | None:
    """The division the unit's name states as printed, unless its simplified view names a
    more specific one: a name printed in traditional characters (河北省保定市清苑區…) reads
    only its province or city as printed (清苑區 is no division's name), its county in the
    view (清苑区)."""
    if printed is None or (view is not None
                           and _LEVEL_DEPTH.get(view.level, 0) > _LEVEL_DEPTH.get(printed.level, 0)):
        return view
    return printed


def identify(lines: Sequence[str], divisions: DivisionIndex, source: str = "") -> Identity:
    """Everything the text says about who published what, for which year."""
    identified_by = "title"
    try:
        unit, year, kind_word, scope_word, title, title_line = find_title(lines, divisions)
    except NotADisclosure as exc:
        try:
            untitled = _untitled(lines) if exc.reason.startswith("no budget") else None
        except NotADisclosure as why:
            raise NotADisclosure(source, why.reason) from None
        if untitled is None:
            raise NotADisclosure(source, exc.reason) from None
        unit, year, kind_word, _evidence, title_line, identified_by = untitled
        title = ""  # the cover holds no title text; title_line is where the unit was read
        scope_word = ""
    unit = published_form(unit, lines[: max(title_line, 1) + 3])
    if divisions.is_division_name(unit) or _AGGREGATE.search(unit):
        raise NotADisclosure(
            source,
            f"is an aggregate of many units ('{unit}' {year}), not one unit's disclosure; "
            "nothing to land — ingest the units' own disclosures",
        )
    division = _most_specific(divisions.resolve_unit(unit),
                              divisions.resolve_unit(match_view(unit)))
    if division is None:  # the name states no division: the county the top of the text names,
        # as printed or in its simplified view (重慶市萬州區 reads as no county as printed)
        top = "".join(lines[: title_line + 40])
        division = _most_specific(divisions.resolve(_compact(top)),
                                  divisions.resolve(match_view(top)))
    return Identity(
        unit_name=unit,
        fiscal_year=int(year),
        doc_kind="budget" if kind_word == "预算" else "final_accounts",
        scope=_scope(scope_word, lines),
        title=title,
        title_line=title_line,
        district_code=division.code if division else "",
        district_name=division.name if division else "",
        unit_code=find_unit_code(lines, unit),
        parent_unit_name=find_parent(lines, unit),
        published_date=find_published_date(lines),
        division_level=division.level if division else "",
        identified_by=identified_by,
        tables_only=identified_by == "table_header" and _mostly_tables(lines),
    )
