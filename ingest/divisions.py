"""County-level divisions: resolve a district named in a document to its 6-digit code."""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from pathlib import Path

DEFAULT_DIVISIONS = Path(__file__).resolve().parent.parent / "seeds" / "reference" / (
    "china_county_divisions.csv"
)

# Suffixes that may be dropped when a document names a province or city ("重庆" for 重庆市).
_PROVINCE_SUFFIX = re.compile(r"(省|市|壮族自治区|回族自治区|维吾尔自治区|特别行政区|自治区)$")
_CITY_SUFFIX = re.compile(r"(市|地区|自治州|盟)$")


@dataclass(frozen=True)
class Division:
    code: str
    name: str
    city_name: str
    province_name: str


@dataclass(frozen=True)
class DivisionIndex:
    """All divisions, indexed by name (a name may belong to several divisions)."""

    by_name: dict[str, tuple[Division, ...]]

    @classmethod
    def load(cls, path: Path = DEFAULT_DIVISIONS) -> DivisionIndex:
        with path.open(encoding="utf-8", newline="") as handle:
            rows = list(csv.DictReader(handle))
        if not rows or "code" not in rows[0]:
            raise ValueError(f"{path}: expected columns code,name,city_name,province_name")
        by_name: dict[str, list[Division]] = {}
        for row in rows:
            division = Division(row["code"], row["name"], row["city_name"], row["province_name"])
            by_name.setdefault(division.name, []).append(division)
        return cls({name: tuple(items) for name, items in by_name.items()})

    def resolve(self, text: str) -> Division | None:
        """The division named in ``text``.

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


def _context_score(text: str, division: Division) -> int:
    """2 when the province is named, +1 when the city is named (beyond 市辖区/县)."""
    score = 0
    province = division.province_name
    short_province = _PROVINCE_SUFFIX.sub("", province)
    if province in text or (len(short_province) >= 2 and short_province in text):
        score += 2
    city = division.city_name
    if city not in ("市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划"):
        short_city = _CITY_SUFFIX.sub("", city)
        if city in text or (len(short_city) >= 2 and short_city in text):
            score += 1
    return score
