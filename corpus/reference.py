"""The reference lists the generator draws from: real codes, real names, real divisions.

Everything is read from ``seeds/reference/`` (the same files the warehouse loads), once per
process, so generated documents only use codes and names the classification really has.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

REFERENCE = Path(__file__).resolve().parent.parent / "seeds" / "reference"
MUNICIPALITIES = ("北京市", "天津市", "上海市", "重庆市")


@dataclass(frozen=True)
class Code:
    code: str
    name: str


@dataclass(frozen=True)
class FunctionBranch:
    """One 款 of a 类 with the 项 under it (all three levels known to the reference)."""

    klass: Code
    kuan: Code
    items: tuple[Code, ...]


@dataclass(frozen=True)
class County:
    code: str
    name: str
    city_code: str  # 6 digits, padded
    city_name: str
    province_code: str  # 6 digits, padded
    province_name: str


@dataclass(frozen=True)
class Reference:
    branches: tuple[FunctionBranch, ...]
    class_names: dict[str, str]  # every 类 code → name (for the summary tables)
    economic: dict[str, tuple[Code, ...]]  # 301 / 302 / 303 → its 款
    economic_names: dict[str, str]
    counties: tuple[County, ...]
    repeated_names: frozenset[tuple[str, str]]  # (province, county name) used twice or more


def _rows(name: str) -> list[dict[str, str]]:
    with (REFERENCE / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@lru_cache(maxsize=1)
def load() -> Reference:
    functional = _rows("functional_classification.csv")
    by_code = {r["code"]: r for r in functional}
    kuan_items: dict[str, list[Code]] = {}
    for row in functional:
        if row["level"] == "3" and row["parent_code"] in by_code:
            kuan_items.setdefault(row["parent_code"], []).append(Code(row["code"], row["name"]))
    branches = []
    for kuan_code, items in sorted(kuan_items.items()):
        kuan = by_code[kuan_code]
        klass = by_code.get(kuan["parent_code"])
        if klass is None or klass["level"] != "1":
            continue
        branches.append(
            FunctionBranch(
                Code(klass["code"], klass["name"]), Code(kuan_code, kuan["name"]), tuple(items)
            )
        )
    class_names = {r["code"]: r["name"] for r in _rows("functional_classes.csv")}
    economic_rows = _rows("economic_classification.csv")
    economic: dict[str, list[Code]] = {}
    for row in economic_rows:
        if row["level"] == "2" and row["parent_code"] in ("301", "302", "303"):
            economic.setdefault(row["parent_code"], []).append(Code(row["code"], row["name"]))
    economic_names = {r["code"]: r["name"] for r in economic_rows}
    counties = []
    for row in _rows("china_county_divisions.csv"):
        counties.append(
            County(
                code=row["code"],
                name=row["name"],
                city_code=row["city_code"].ljust(6, "0"),
                city_name=row["city_name"],
                province_code=row["province_code"].ljust(6, "0"),
                province_name=row["province_name"],
            )
        )
    seen: dict[tuple[str, str], int] = {}
    for county in counties:
        key = (county.province_name, county.name)
        seen[key] = seen.get(key, 0) + 1
    return Reference(
        repeated_names=frozenset(k for k, n in seen.items() if n > 1),
        branches=tuple(branches),
        class_names=class_names,
        economic={k: tuple(v) for k, v in economic.items()},
        economic_names=economic_names,
        counties=tuple(counties),
    )
