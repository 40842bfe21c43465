"""Checks as plain data: which frame to read and what to expect of it.

A :class:`TableCheck` names a SQL query that yields one pandas frame and the expectations to
validate on it. Money never reaches GX as a float: queries convert it to integer fen (分) in
SQL, and cross-figure rules are computed in SQL as integer differences, so a rule such as
``basic + project <= total`` is exact.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

FEN_PER_WAN = 1_000_000  # 1 万元 = 10,000 元 = 1,000,000 分
INTEGER_AT_LEAST_1 = r"^[1-9][0-9]*$"
DECIMAL_TEXT = r"^-?[0-9]+(?:\.[0-9]+)?$"
CLASSIFICATION_CODE = r"^\d{3}(?:\d{2}){0,2}$"
DISTRICT_CODE = r"^\d{6}$"


@dataclass(frozen=True)
class Expect:
    """One expectation: a GX expectation class name, its arguments, and a sentence."""

    kind: str  # GX expectation class in great_expectations.expectations
    kwargs: Mapping[str, object]
    description: str  # what must be true, in words, shown in the report and data docs
    critical: bool = True  # a failed critical expectation fails the build
    # a document check (issue 9): a document's content can fail it, and a failure
    # quarantines the documents of the failing rows (the frame needs document_id) instead
    # of failing the build; every other expectation is an invariant of the code
    quarantine: bool = False

    @property
    def column(self) -> str | None:
        column = self.kwargs.get("column")
        return column if isinstance(column, str) else None

    @property
    def columns(self) -> tuple[str, ...]:
        """Columns the expectation is about (shown beside the key columns of failing rows)."""
        if self.column:
            return (self.column,)
        column_list = self.kwargs.get("column_list")
        if isinstance(column_list, list | tuple) and "Compound" in self.kind:
            return tuple(str(c) for c in column_list)
        return ()


@dataclass(frozen=True)
class TableCheck:
    """A frame to validate: ``query`` runs on the suite's DuckDB connection."""

    suite: str
    table: str  # the landed file or mart model, as shown in the report
    query: str
    expectations: tuple[Expect, ...]
    key_columns: tuple[str, ...] = ()  # shown with each sample failing row
    name: str = field(default="")  # distinguishes two checks of one table; defaults to table

    @property
    def check_name(self) -> str:
        return self.name or self.table


def fen(expression: str) -> str:
    """SQL for a 万元 amount as integer fen (null stays null)."""
    return f"cast(round({expression} * {FEN_PER_WAN}) as bigint)"


def yuan_fen(expression: str) -> str:
    """SQL for a 元 amount as integer fen."""
    return f"cast(round({expression} * 100) as bigint)"


def sql_text(value: str) -> str:
    """A SQL string literal."""
    return "'" + value.replace("'", "''") + "'"


# --- expectation constructors (kwargs as GX spells them) ---------------------------------


def not_null(column: str, description: str = "", *, critical: bool = True) -> Expect:
    return Expect(
        "ExpectColumnValuesToNotBeNull",
        {"column": column},
        description or f"{column} is present",
        critical,
    )


def matches(column: str, regex: str, description: str, *, critical: bool = True) -> Expect:
    """``column`` matches ``regex`` (null values are not checked)."""
    return Expect(
        "ExpectColumnValuesToMatchRegex", {"column": column, "regex": regex}, description, critical
    )


def in_set(
    column: str, values: Sequence[object], description: str = "", *, critical: bool = True
) -> Expect:
    return Expect(
        "ExpectColumnValuesToBeInSet",
        {"column": column, "value_set": list(values)},
        description or f"{column} in {{{', '.join(map(str, values))}}}",
        critical,
    )


def is_true(column: str, description: str, *, critical: bool = True) -> Expect:
    """A boolean column computed in SQL is true on every row."""
    return in_set(column, [True], description, critical=critical)


def between(
    column: str,
    minimum: float | None,
    maximum: float | None,
    description: str,
    *,
    critical: bool = True,
    quarantine: bool = False,
) -> Expect:
    return Expect(
        "ExpectColumnValuesToBeBetween",
        {"column": column, "min_value": minimum, "max_value": maximum},
        description,
        critical,
        quarantine,
    )


def failing_mask(expect: Expect, frame: Any) -> Any:
    """The rows of ``frame`` an expectation fails on (pandas boolean Series), for the
    column-value expectations a document check may use; None for any other kind."""
    column = expect.column
    if column is None or column not in frame.columns:
        return None
    values = frame[column]
    present = values.notna()
    if expect.kind == "ExpectColumnValuesToNotBeNull":
        return ~present
    if expect.kind == "ExpectColumnValuesToBeBetween":
        low, high = expect.kwargs.get("min_value"), expect.kwargs.get("max_value")
        numbers = pd.to_numeric(values, errors="coerce")
        outside = numbers.isna() & present
        if low is not None:
            outside |= numbers < low
        if high is not None:
            outside |= numbers > high
        return outside & present
    if expect.kind == "ExpectColumnValuesToBeInSet":
        allowed = list(expect.kwargs.get("value_set") or [])
        return present & ~values.isin(allowed)
    if expect.kind == "ExpectColumnValuesToMatchRegex":
        regex = str(expect.kwargs.get("regex"))
        return present & ~values.astype(str).str.contains(regex, regex=True)
    return None


def unique(columns: Sequence[str], description: str = "", *, critical: bool = True) -> Expect:
    if len(columns) == 1:
        return Expect(
            "ExpectColumnValuesToBeUnique",
            {"column": columns[0]},
            description or f"{columns[0]} is unique",
            critical,
        )
    return Expect(
        "ExpectCompoundColumnsToBeUnique",
        {"column_list": list(columns)},
        description or f"one row per ({', '.join(columns)})",
        critical,
    )


def columns_are(columns: Sequence[str], description: str) -> Expect:
    return Expect(
        "ExpectTableColumnsToMatchOrderedList", {"column_list": list(columns)}, description
    )


def columns_include(columns: Sequence[str], description: str) -> Expect:
    return Expect(
        "ExpectTableColumnsToMatchSet",
        {"column_set": list(columns), "exact_match": False},
        description,
    )
