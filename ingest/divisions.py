"""Administrative divisions: resolve a budget unit to the division its own name states.

Three levels are known: provinces (``<2 digits>0000``), prefecture-level cities (``<4 digits>00``)
and county-level divisions (6 digits). A unit belongs to the division its name states
(江苏省高级人民法院 → 320000, 上海市财政局 → 310000, 南京市财政局 → 320100, 重庆市万州区… → 500101),
never to a county its text merely mentions: :meth:`DivisionIndex.resolve_unit` reads the name
only. :meth:`DivisionIndex.resolve` reads free text (a county named with its province or city)
and is used only when the unit's name states no division at all.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import ingest

# Beside the package's folder, not this module's file: compiled (ingest/compiled.py), a
# module's __file__ is its extension in .build/mypyc/ingest/.
_REFERENCE = Path(ingest.__file__).resolve().parent.parent / "seeds" / "reference"
DEFAULT_DIVISIONS = _REFERENCE / "china_county_divisions.csv"
DEFAULT_PROVINCE_CITY_DIVISIONS = _REFERENCE / "china_province_city_divisions.csv"

# Suffixes that may be dropped when a document names a province or city ("重庆" for 重庆市).
_PROVINCE_SUFFIX = re.compile(r"(省|市|壮族自治区|回族自治区|维吾尔自治区|特别行政区|自治区)$")
_CITY_SUFFIX = re.compile(r"(市|地区|自治州|盟)$")
# City-level rows of the reference that are groupings, not cities (the municipalities' 市辖区 / 县,
# 省直辖县级行政区划): a unit never belongs to them.
NOT_A_CITY = ("市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划")
# How far into a unit's name its division may start (中共 / 共青团 / 中国人民政治协商会议 … first).
_MAX_NAME_OFFSET = 12

LEVELS = ("province", "city", "county")


@dataclass(frozen=True)
class Division:
    code: str
    name: str
    city_name: str  # '' for a province
    province_name: str
    level: str = "county"  # 'province' | 'city' | 'county'

    @property
    def province_code(self) -> str:
        return self.code[:2]

    @property
    def city_code(self) -> str:
        return self.code[:4]


@dataclass(frozen=True)
class DivisionIndex:
    """All divisions, indexed by name (a name may belong to several divisions)."""

    by_name: dict[str, tuple[Division, ...]]  # county-level divisions
    upper_by_name: dict[str, tuple[Division, ...]] = field(default_factory=dict)  # provinces, cities
    # each index's name lengths by first character, longest first (what _longest tries)
    _county_lengths: dict[str, tuple[int, ...]] = field(
        init=False, repr=False, compare=False, default_factory=dict
    )
    _upper_lengths: dict[str, tuple[int, ...]] = field(
        init=False, repr=False, compare=False, default_factory=dict
    )

    def __post_init__(self) -> None:
        self._county_lengths.update(_lengths_by_first(self.by_name))
        self._upper_lengths.update(_lengths_by_first(self.upper_by_name))

    @classmethod
    def load(
        cls,
        path: Path = DEFAULT_DIVISIONS,
        upper_path: Path | None = DEFAULT_PROVINCE_CITY_DIVISIONS,
    ) -> DivisionIndex:
        with path.open(encoding="utf-8", newline="") as handle:
            rows = list(csv.DictReader(handle))
        if not rows or "code" not in rows[0]:
            raise ValueError(f"{path}: expected columns code,name,city_name,province_name")
        by_name: dict[str, list[Division]] = {}
        for row in rows:
            # a city without counties (东莞市 441900, 中山市 442000, 儋州市 460400) stands in the
            # county list too, with its city code: it is the city, at the city's level
            level = "city" if row["code"].endswith("00") else "county"
            division = Division(
                row["code"], row["name"], row["city_name"], row["province_name"], level
            )
            by_name.setdefault(division.name, []).append(division)
        upper: dict[str, list[Division]] = {}
        if upper_path is not None and upper_path.exists():
            with upper_path.open(encoding="utf-8", newline="") as handle:
                upper_rows = list(csv.DictReader(handle))
            if upper_rows and "division_code" not in upper_rows[0]:
                raise ValueError(
                    f"{upper_path}: expected columns division_code,division_name,division_level,"
                    "province_code,province_name"
                )
            for row in upper_rows:
                name, level = row["division_name"], row["division_level"]
                if level not in ("province", "city") or name in NOT_A_CITY:
                    continue
                city_name = name if level == "city" else ""
                division = Division(
                    row["division_code"], name, city_name, row["province_name"], level
                )
                upper.setdefault(name, []).append(division)
        return cls(
            {name: tuple(items) for name, items in by_name.items()},
            {name: tuple(items) for name, items in upper.items()},
        )

    def is_division_name(self, name: str) -> bool:
        """True when ``name`` is nothing but divisions (上海市, 重庆市万州区, 南京市): an area's
        total, not a budget unit."""
        division, end = self._chain(name, 0)
        return division is not None and end == len(name)

    def resolve_unit(self, unit_name: str) -> Division | None:
        """The division the unit's own name states, the most specific one it names.

        The name may start with its division (江苏省…, 南京市…, 重庆市万州区…, 万州区… when the
        county's name is unique) or carry an organisation's prefix first (中共上海市普陀区委…);
        a county whose name several provinces share, without its province or city, resolves to
        nothing. Text the name does not contain is never read.
        """
        for start in range(min(len(unit_name), _MAX_NAME_OFFSET + 1)):
            division, _end = self._chain(unit_name, start, counties_alone=start == 0)
            if division is not None:
                return division
        return None

    def _chain(
        self, name: str, start: int, counties_alone: bool = True
    ) -> tuple[Division | None, int]:
        """Province, then city, then county, each optional, read from ``name[start:]``."""
        pos = start
        province = _longest(name, pos, self.upper_by_name, lambda d: d.level == "province",
                            self._upper_lengths)
        if province is not None:
            pos += len(province.name)
        city = _longest(
            name, pos, self.upper_by_name,
            lambda d: d.level == "city" and (province is None or d.province_name == province.name),
            self._upper_lengths,
        )
        city_start = pos
        if city is not None:
            pos += len(city.name)
        county = None
        if province is not None or city is not None or counties_alone:

            def in_scope(d: Division) -> bool:
                return (city is None or d.city_name == city.name) and (
                    province is None or d.province_name == province.name
                )

            county = _longest(name, pos, self.by_name, in_scope, self._county_lengths)
            if county is None and _is_ambiguous(name, pos, self.by_name, in_scope):
                # the name states a county that several divisions in scope share (河北省桥西区…):
                # its division is not known for sure, and the province or city it also names
                # is not the unit's division (a county unit filed as a provincial one would
                # enter the provincial comparisons)
                return None, pos
            if county is None and city is not None:
                # a county whose own name begins with its city's (南阳市城乡一体化示范区,
                # 唐山市汉沽管理区): read from where the city's name starts
                inner = _longest(name, city_start, self.by_name, in_scope, self._county_lengths)
                if inner is not None and len(inner.name) > len(city.name):
                    county, pos = inner, city_start
        if county is not None:
            pos += len(county.name)
        return (county or city or province), pos

    def resolve(self, text: str) -> Division | None:
        """The county-level division named in ``text``.

        Every division whose name occurs in the text is a candidate; a candidate whose
        province or city is also named (``上海市普陀区``, ``重庆市万州区``) beats one whose isn't,
        then the longest name wins, then the earliest mention. A name shared by divisions in
        several provinces with no province or city named resolves to nothing rather than to a
        guess.
        """
        best: tuple[int, int, int, Division] | None = None
        ambiguous = False
        for name, divisions in self.by_name.items():
            position = text.find(name)
            if position < 0:
                continue
            for division in divisions:
                score = _context_score(text, division)
                key = (score, len(name), -position)
                if best is None or key > best[:3]:
                    best = (*key, division)
                    ambiguous = False
                elif key == best[:3] and division.code != best[3].code:
                    ambiguous = True
        if best is None or ambiguous:
            return None
        return best[3]


def _longest(
    text: str, pos: int, index: dict[str, tuple[Division, ...]], keep,
    lengths: dict[str, tuple[int, ...]] | None = None,
) -> Division | None:
    """The division with the longest name starting at ``pos``; None when none or ambiguous.

    Names of 2 to 20 characters are tried, longest first; with ``lengths`` (the index's name
    lengths by first character, :func:`_lengths_by_first`) only the lengths some name starting
    with ``text[pos]`` has (any other length finds nothing: the same answer, fewer lookups)."""
    room = min(len(text) - pos, 20)
    if lengths is None:
        tried: Iterable[int] = range(room, 1, -1)
    elif room < 2:
        return None
    else:
        tried = (length for length in lengths.get(text[pos], ()) if length <= room)
    for length in tried:
        candidates = [d for d in index.get(text[pos:pos + length], ()) if keep(d)]
        if len(candidates) == 1:
            return candidates[0]
        if len(candidates) > 1:
            return None
    return None


def _lengths_by_first(index: dict[str, tuple[Division, ...]]) -> dict[str, tuple[int, ...]]:
    """First character → the lengths (2 or more) of the index's names starting with it,
    longest first."""
    lengths: dict[str, set[int]] = {}
    for name in index:
        if len(name) >= 2:
            lengths.setdefault(name[0], set()).add(len(name))
    return {first: tuple(sorted(found, reverse=True)) for first, found in lengths.items()}


def _is_ambiguous(
    text: str, pos: int, index: dict[str, tuple[Division, ...]], keep
) -> bool:
    """True when the longest division name starting at ``pos`` belongs to several divisions."""
    for length in range(min(len(text) - pos, 20), 1, -1):
        candidates = [d for d in index.get(text[pos:pos + length], ()) if keep(d)]
        if candidates:
            return len(candidates) > 1
    return False


def _context_score(text: str, division: Division) -> int:
    """2 when the province is named, +1 when the city is named (beyond 市辖区/县)."""
    score = 0
    province = division.province_name
    short_province = _PROVINCE_SUFFIX.sub("", province)
    if province in text or (len(short_province) >= 2 and short_province in text):
        score += 2
    city = division.city_name
    if city not in NOT_A_CITY:
        short_city = _CITY_SUFFIX.sub("", city)
        if city in text or (len(short_city) >= 2 and short_city in text):
            score += 1
    return score
