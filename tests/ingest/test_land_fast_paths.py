"""Every fast path of ``ingest.land``'s row rendering held to the general rule: the rows the
csv module writes (LF line ends, minimal quoting, a bool as true/false, None as ''), byte
for byte, whatever the values; and the guards that send a value to the general rule
refuse every value the fast path must not take."""

from __future__ import annotations

import random
from dataclasses import dataclass, replace
from decimal import Decimal

import pytest
from conftest import landed_csv_text
from hypothesis import given, settings
from hypothesis import strategies as st

from ingest.land import (
    _joined_values,
    _needs_quotes,
    _quoted,
    _quoted_columns,
    _row_format,
    parse_rows,
    render_rows,
)
from ingest.records import CellRecord, TableRecord


@dataclass(frozen=True)
class _Two:
    text: str
    number: int


@dataclass(frozen=True)
class _Five:
    a: str
    b: int
    c: str
    d: object
    e: str


@dataclass(frozen=True)
class _One:
    only: object


@dataclass(frozen=True)
class _Declared:
    """Every column declared str or int: rendered column by column (land._declared_text)."""

    a: str
    b: int
    c: str


@dataclass(frozen=True, slots=True)
class _Slotted:
    a: str
    b: int


# the characters and pieces the csv module treats specially, and some it does not
ADVERSARIAL = ["", " ", "  lead", "trail  ", ",", '"', '""', "\r", "\n", "\r\n", "a,b",
               'say "x"', "two\nlines", "cr\rhere", '["收入 | 项目", "合计"]', "单位：万元",
               "，全角，", "-1", "1.50", "0", "'", "\t", "%s", "%", "\x00", "\u2028", "é", "💴"]
NUMBERS = [0, 1, -1, 7, -353, 10**20, -(10**20)]
OTHERS = [None, True, False, 1.5, -0.0, float("inf"), Decimal("353.13"), Decimal("-1E+3")]

texts = st.one_of(st.sampled_from(ADVERSARIAL), st.text(
    alphabet=st.sampled_from(list(',"\r\n \t%ab单位-.0')), max_size=8), st.text(max_size=6))
plain = st.one_of(texts, st.sampled_from(NUMBERS), st.integers())
anything = st.one_of(plain, st.sampled_from(OTHERS))


def _records(record_type: type, rows: list[tuple[object, ...]]) -> list[object]:
    return [record_type(*row) for row in rows]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.tuples(texts, st.one_of(st.integers(), st.sampled_from(NUMBERS))),
                max_size=6))
def test_two_columns_of_str_and_int_are_the_csv_modules_text(rows: list[tuple[object, ...]]) -> None:
    assert render_rows(_Two, _records(_Two, rows)) == landed_csv_text(rows)


@settings(max_examples=400, deadline=None)
@given(st.lists(st.tuples(plain, plain, plain, anything, texts), max_size=6))
def test_mixed_values_are_the_csv_modules_text(rows: list[tuple[object, ...]]) -> None:
    """str and int values (the formatting fast path, quoted columns included), and None,
    bools, floats, Decimals in a row (the general path) alike."""
    assert render_rows(_Five, _records(_Five, rows)) == landed_csv_text(rows)


@settings(max_examples=200, deadline=None)
@given(st.lists(anything, max_size=6))
def test_one_column_is_the_csv_modules_text(values: list[object]) -> None:
    rows = [(value,) for value in values]
    assert render_rows(_One, _records(_One, rows)) == landed_csv_text(rows)


def test_random_rows_of_every_special_character() -> None:
    """Many rows, each value drawn from the adversarial pieces joined at random, so that a
    special character sits at the start, the middle and the end of values."""
    pick = random.Random(20261202)
    for _ in range(300):
        rows = [tuple("".join(pick.choices(ADVERSARIAL, k=pick.randrange(3)))
                      if column != 1 else pick.choice(NUMBERS) for column in range(5))
                for _ in range(pick.randrange(1, 12))]
        assert render_rows(_Five, _records(_Five, rows)) == landed_csv_text(rows)


@pytest.mark.parametrize("text", ADVERSARIAL)
def test_quoted_is_how_the_csv_module_writes_a_value(text: str) -> None:
    """A value among others, written by the csv module, is _quoted's text: quoted exactly
    when _needs_quotes says so."""
    written = landed_csv_text([(text, "x")])
    assert written == f"{_quoted(text)},x\n"
    assert _needs_quotes(text) == written.startswith('"')


@given(st.text())
def test_needs_quotes_refuses_every_value_the_csv_module_quotes(text: str) -> None:
    """The guard of the unquoted join: a value the csv module would quote is never let
    through as it is."""
    written = landed_csv_text([(text, "x")])
    assert _needs_quotes(text) == written.startswith('"')
    assert f"{_quoted(text)},x\n" == written


@pytest.mark.parametrize("special", [",", '"', "\r", "\n"])
def test_the_unquoted_join_is_refused_for_a_value_needing_quotes(special: str) -> None:
    """A value holding a comma, a quote or a line break (a carriage return too) anywhere is
    never joined as it is: the text made is the general rule's (its column quoted)."""
    quoted_by_csv = landed_csv_text([(special, "x")]).startswith('"')
    assert quoted_by_csv
    for text in (special, f"a{special}", f"{special}b", f"a{special}b"):
        values = ("x", text, 1, "y", text, -2)
        joined = _joined_values(values, 3)
        assert joined == landed_csv_text([values[:3], values[3:]])
        assert (joined != (_row_format(3) * 2) % values) == quoted_by_csv


def test_no_other_character_makes_the_csv_module_quote() -> None:
    """Every character, alone and inside a value: the csv module's text of the row is the
    values joined by commas, each as _quoted gives it (so _needs_quotes misses none)."""
    for start in range(0, 0x110000, 0x10000):
        values = [chr(code) for code in range(start, start + 0x10000)
                  if not 0xD800 <= code < 0xE000]
        for row in (values, [f" a{value}b " for value in values]):
            assert landed_csv_text([tuple(row)]) == ",".join(map(str, map(_quoted, row))) + "\n"


def test_quoted_columns_quotes_only_the_columns_needing_it() -> None:
    values = ("a", 'q"', 1, "plain", "b", "c,d", -2, "plain")
    quoted = _quoted_columns(values, 4)
    assert quoted == ("a", '"q"""', 1, "plain", "b", '"c,d"', -2, "plain")
    assert quoted[0] is values[0] and quoted[3] is values[3]  # untouched columns as they are


def test_landed_table_and_cell_rows_are_the_csv_modules_text() -> None:
    """The landed records as ingest makes them: a table's column_labels JSON (always quoted)
    and titles with commas and quotes; cells with labels of every kind; read back as they
    were."""
    tables = [TableRecord("doc", n, "kind", "title", label, title, 3, "万元", "document",
                          labels, 4, 9, 5, 10, 0, note)
              for n, (label, title, labels, note) in enumerate([
                  ("附件1", "收入支出决算总表", '["收入 | 项目", "收入 | 决算数"]', ""),
                  ("", 'a "quoted", title', "[]", "note, with comma"),
                  ("表七", "two\nlines", '["x"]', " tab\there "),
              ], start=1)]
    rows = [tuple(vars(t).values()) for t in tables]
    assert render_rows(TableRecord, tables) == landed_csv_text(rows)
    assert parse_rows(TableRecord, render_rows(TableRecord, tables)) == tables
    # a carriage return is quoted (Python 3.11's csv module would leave it bare, and it
    # would read back as a line end): it reads back as it was
    carriage = [replace(tables[0], note="a\rb"), replace(tables[1], title="cr\r")]
    rendered = render_rows(TableRecord, carriage)
    assert rendered == landed_csv_text([tuple(vars(t).values()) for t in carriage])
    assert parse_rows(TableRecord, rendered) == carriage
    cells = [CellRecord("doc", 1, 3 + n, n, 2, code, label, column, value, value, "万元", 0)
             for n, (code, label, column, value) in enumerate([
                 ("301", "工资福利支出", "合计", "1.00"),
                 ("", 'say "x"', "a | b", "-2.50"),
                 ("30101", "a,b", "", ""),
             ])]
    rows = [tuple(vars(c).values()) for c in cells]
    assert render_rows(CellRecord, cells) == landed_csv_text(rows)
    assert parse_rows(CellRecord, render_rows(CellRecord, cells)) == cells


def test_rows_needing_no_quotes_are_joined_without_quoting_columns(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """The other side of the guard: rows whose values need no quotes (spaces, tabs, CJK,
    negative numbers, empty values)
    are joined as they are, the columns never looked at one by one; a value needing quotes
    in any row but the first is still found. Compiled, land calls _quoted_columns
    directly (a patch of the module is never seen): the test then runs in pure Python in a
    child process."""
    import ingest.land as land

    if not str(land.__file__).endswith(".py"):
        _in_pure_python("test_rows_needing_no_quotes_are_joined_without_quoting_columns")
        return
    def refuse(values: tuple[object, ...], width: int) -> tuple[object, ...]:
        raise AssertionError("quoted columns for rows needing no quotes")

    clean = [(" a b ", -3, "单位：万元", "", "\t"), ("", 0, "%s", "x", "1.50")]
    with monkeypatch.context() as patched:
        patched.setattr(land, "_quoted_columns", refuse)
        assert render_rows(_Five, _records(_Five, clean)) == landed_csv_text(clean)
    for special in (",", '"', "\n", "\r"):
        rows = [*clean, ("last", 1, f"a{special}b", None, "y")]
        rows[-1] = (*rows[-1][:3], "z", "y")
        assert render_rows(_Five, _records(_Five, rows)) == landed_csv_text(rows)


@settings(max_examples=400, deadline=None)
@given(st.lists(st.tuples(anything, anything, anything), max_size=6))
def test_declared_columns_holding_anything_are_the_csv_modules_text(
        rows: list[tuple[object, ...]]) -> None:
    """Columns declared str and int (the column-by-column path) holding a value of another
    type (None, a bool, a float, a Decimal, an int in a str column, a str in an int one):
    the general rule's text all the same."""
    assert render_rows(_Declared, _records(_Declared, rows)) == landed_csv_text(rows)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(texts, st.one_of(st.integers(), st.sampled_from(NUMBERS)), texts),
                max_size=8))
def test_declared_columns_are_made_column_by_column(rows: list[tuple[object, ...]]) -> None:
    """str values in the str columns and ints in the int one: made by the declared path
    alone (the general rule never asked), quoted columns included, as the csv module
    writes them; read back as they were."""
    import ingest.land as land

    def refuse(*args: object) -> None:
        raise AssertionError("the general rule asked for declared str and int columns")

    records = _records(_Declared, rows)
    with pytest.MonkeyPatch.context() as patched:
        patched.setattr(land, "_joined_values", refuse)
        patched.setattr(land, "_csv_text", refuse)
        text = render_rows(_Declared, records)
    assert text == landed_csv_text(rows)
    assert parse_rows(_Declared, text) == records


def test_records_without_a_dict_take_the_general_rule() -> None:
    rows = [("a,b", 1), ("", -2), ('q"', 3)]
    assert render_rows(_Slotted, [_Slotted(*row) for row in rows]) == landed_csv_text(rows)


def test_a_bool_in_an_int_column_is_written_as_a_bool() -> None:
    rows = [("x", True, "y"), ("z", 0, "w")]
    assert render_rows(_Declared, _records(_Declared, rows)) == landed_csv_text(rows)


def _in_pure_python(test: str) -> None:
    """Run this file's ``test`` in a child pytest with the compiled modules off
    (``INGEST_PURE=1``): a test that patches a function inside a compiled module."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    env = {**os.environ, "INGEST_PURE": "1"}
    done = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
                           f"{Path(__file__).resolve()}::{test}"],
                          env=env, capture_output=True, text=True,
                          cwd=Path(__file__).resolve().parents[2])
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-2000:]
    assert "1 passed" in done.stdout, done.stdout[-3000:]
