"""Identify a disclosure from its text alone: unit, district, year, kind, scope, unit code."""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence
from dataclasses import dataclass

from ingest.divisions import DivisionIndex

_TITLE = re.compile(
    r"(?P<unit>[^\t]*?)\s*(?P<year>(?:19|20)\d{2})\s*年\s*度?\s*"
    r"(?P<scope>部门|单位)?\s*(?P<kind>预算|决算)"
    r"(?P<rest>[^\t]{0,20})$"
)
_TITLE_SCAN_LINES = 12  # non-empty lines at the top that may hold the title
_UNIT_SUFFIXES = (
    "中心", "办公室", "局", "委员会", "委", "部", "厅", "院", "所", "站", "队", "馆", "会", "处",
    "室", "校", "学", "园", "社", "团", "司", "署", "办", "府", "组", "区", "县", "市", "政府",
    "协会", "街道", "镇", "乡", "场", "台", "库", "科", "股", "联", "盟", "宫", "报",
    "（本级）", "(本级)", "本级",
)


def is_unit_name(name: str) -> bool:
    """A budget unit's name ends like one (…中心, …局, …委员会, …街道办事处, …（本级）)."""
    return 2 <= len(name) <= 60 and name.endswith(_UNIT_SUFFIXES)


class NotADisclosure(ValueError):
    """The text has no budget/final-accounts title; ``reason`` says what was looked for."""

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


def _compact(text: str) -> str:
    return re.sub(r"\s+", "", text)


def find_title(lines: Sequence[str]) -> tuple[str, str, int, str, str, int]:
    """(unit, year, kind word, scope word, title text, title line) from the top lines.

    The title may stand on one line (``重庆市潼南区电子政务中心 2025 年部门预算情况说明``) or be
    wrapped over the first lines of a cover (``上海市普陀区规划和自然`` / ``资源局`` / ``2024 年度部门决算``):
    the cover's short lines, up to the first heading or 目录, are read as one title. A unit that
    is a placeholder (上海市 XX 局 in a blank template) is no unit.
    """
    cover = _cover(lines)
    if cover:
        joined = _compact("".join(text for _, text in cover))
        found = _match_title(joined)
        if found is not None:
            unit, year, kind, scope = found
            year_line = next((n for n, text in cover if year in _compact(text)), cover[-1][0])
            return unit, year, kind, scope, " ".join(t for _, t in cover), year_line
    seen = 0
    for number, raw in enumerate(lines, start=1):
        text = raw.strip()
        if not text:
            continue
        seen += 1
        if seen > _TITLE_SCAN_LINES:
            break
        if "\t" in raw:
            continue
        found = _match_title(_PART.sub("", _compact(text)))
        if found is not None:
            unit, year, kind, scope = found
            return unit, year, kind, scope, text, number
    if cover and _PLACEHOLDER.search(_compact("".join(t for _, t in cover))):
        raise NotADisclosure(
            "",
            "is a blank template (its unit is a placeholder such as 'XX'); nothing to land — "
            "ingest the filled-in disclosures instead",
        )
    raise NotADisclosure(
        "",
        "no budget or final-accounts title (like '<unit> 2025 年部门预算情况说明' or "
        "'<unit>2024年度部门决算') in the first lines; it is not a disclosure this parser knows",
    )


_PART = re.compile(r"^第[一二三四五六七八九十]+部分")
_PLACEHOLDER = re.compile(r"XX|ＸＸ|××|xx|\*\*|○○|某")
_COVER_LINES = 4
_COVER_LINE_LENGTH = 40


def _cover(lines: Sequence[str]) -> list[tuple[int, str]]:
    """The short lines at the top, before the first heading, 目录 or tab line."""
    from ingest.normalise import is_heading  # local: normalise imports nothing from here

    cover: list[tuple[int, str]] = []
    for number, raw in enumerate(lines, start=1):
        text = raw.strip()
        if not text:
            continue
        compact = _compact(text)
        if "\t" in raw or is_heading(text) or compact in ("目录", "目次") or \
                len(compact) > _COVER_LINE_LENGTH or len(cover) >= _COVER_LINES:
            break
        cover.append((number, text))
    return cover


def _match_title(compact: str) -> tuple[str, str, str, str] | None:
    match = _TITLE.search(compact)
    if not match:
        return None
    rest = match.group("rest")
    if rest and not re.match(r"^(情况说明|说明|公开|报告|表|草案|情况|（[^）]*）|\([^)]*\))", rest):
        return None
    unit = match.group("unit")
    if not unit or not is_unit_name(unit) or _PLACEHOLDER.search(unit):
        return None
    return unit, match.group("year"), match.group("kind"), match.group("scope") or ""


def _scope(scope_word: str, lines: Sequence[str]) -> str:
    if scope_word == "部门":
        return "department"
    if scope_word == "单位":
        return "unit"
    body = "".join(lines[:80])
    return "unit" if body.count("本单位") > body.count("本部门") else "department"


_CODE_DASH_NAME = re.compile(r"(?<![\dA-Za-z])(\d{3,12})\s*[-－—]\s*([^\t（(，,。\s]+)")


def find_unit_code(lines: Sequence[str], unit_name: str) -> str:
    """A code printed in front of the unit's own name (``103001-重庆市…办公室（本级）`` or a
    table row ``312002 | 区电子政务中心``). The longest such code wins."""
    found: list[str] = []
    for raw in lines:
        for match in _CODE_DASH_NAME.finditer(raw):
            if _same_unit(match.group(2), unit_name):
                found.append(match.group(1))
        if "\t" in raw:
            cells = [c.strip() for c in raw.split("\t")]
            for left, right in itertools.pairwise(cells):
                if re.fullmatch(r"\d{4,12}", left) and len(left) not in (5, 7) \
                        and _same_unit(right, unit_name):
                    found.append(left)
    if not found:
        return ""
    return max(found, key=lambda code: (len(code), -found.index(code)))


def _same_unit(printed: str, unit_name: str) -> bool:
    printed = _compact(printed)
    printed = re.sub(r"[（(]本级[）)]$", "", printed)
    return len(printed) >= 4 and (printed == unit_name or unit_name.endswith(printed))


_PARENT_PATTERNS = (
    re.compile(r"主管部门(?:是|为|：|:)\s*([^，。,；;\t]+)"),
    re.compile(r"为([^，。,；;\t]{4,40}?)(?:管理|主管|下属)的[^，。]{0,12}事业单位"),
)


def find_parent(lines: Sequence[str], unit_name: str) -> str:
    for raw in lines[:120]:
        text = _compact(raw)
        if "\t" in raw:
            continue
        for pattern in _PARENT_PATTERNS:
            match = pattern.search(text)
            if match:
                parent = re.sub(r"^\d+[-－]", "", match.group(1))
                if parent != unit_name and parent.endswith(_UNIT_SUFFIXES):
                    return parent
    return ""


_DATE = re.compile(r"((?:19|20)\d{2})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日")


def find_published_date(lines: Sequence[str]) -> str:
    """A date printed alone on one of the last lines (the signature of the publication)."""
    tail = [raw.strip() for raw in lines if raw.strip()][-8:]
    for text in reversed(tail):
        match = _DATE.search(text)
        if match and len(_compact(text)) <= 24:
            year, month, day = (int(g) for g in match.groups())
            if 1 <= month <= 12 and 1 <= day <= 31:
                return f"{year:04d}-{month:02d}-{day:02d}"
    return ""


def identify(lines: Sequence[str], divisions: DivisionIndex, source: str = "") -> Identity:
    """Everything the text says about who published what, for which year."""
    try:
        unit, year, kind_word, scope_word, title, title_line = find_title(lines)
    except NotADisclosure as exc:
        raise NotADisclosure(source, exc.reason) from None
    division = divisions.resolve(unit)
    if division is None:
        division = divisions.resolve(_compact("".join(lines[: title_line + 40])))
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
    )
