"""The C renderer of the landed rows (``ingest/native/landed_rows.c``, ``ingest._landed_rows``)
held to the Python one, byte for byte: ``render_rows(...).encode('utf-8')`` for every record it
takes, and None (the caller renders in Python) for every record or value it must not take.
The compiled-against-pure test (tests/ingest/test_compiled.py) compares the landed files of
whole corpora rendered either way."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import pytest
from conftest import native_extension
from hypothesis import given, settings
from hypothesis import strategies as st

from ingest import land
from ingest.divisions import DivisionIndex
from ingest.document import parse_document
from ingest.land import DOCUMENT_FILES, render_encoded, render_rows
from ingest.records import LANDED_FILES, CellRecord, column_names, new_cell_record

ROOT = Path(__file__).resolve().parents[2]

native, needs_native = native_extension("ingest._landed_rows")


@dataclass(frozen=True)
class _Row:
    a: str
    b: int
    c: object


class _Slotted:
    """A record without a __dict__ (its fields in slots)."""

    __slots__ = ("a", "b")

    def __init__(self, a: str, b: int) -> None:
        self.a, self.b = a, b


class _Text(str):
    pass


class _Number(int):
    pass


def _rows(records: list[object], record_type: type = _Row) -> bytes | None:
    assert native is not None
    return native.csv_rows(records, tuple(column_names(record_type)))


def _python(records: list[object], record_type: type = _Row) -> bytes:
    return render_rows(record_type, records).encode("utf-8")


# the characters the CSV treats specially, every UTF-8 length, and plain text
EDGES = ["", ",", '"', '""', "\n", "\r", "\r\n", "a,b", 'say "x"', "é", "ÿ", "ā", "中文",
         "单位：万元", "，全角，", "💴", "a💴,b", "\x00", "\u2028", "\t", " lead", "%s", "\x7f",
         "\u07ff", "\u0800", "\uffff", "\U0010ffff"]
INTEGERS = [0, 1, -1, 353, -353, 2**63 - 1, -(2**63)]


@needs_native
def test_the_c_rows_are_the_python_rows_for_every_edge_value():
    records = [_Row(text, number, other) for text in EDGES for number in INTEGERS[:3]
               for other in (*EDGES[:6], *INTEGERS, True, False, None)]
    assert _rows(records) == _python(records)
    for text in EDGES:
        for number in INTEGERS:
            assert _rows([_Row(text, number, text)]) == _python([_Row(text, number, text)])


@needs_native
@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.text(max_size=12), st.integers(-(2**63), 2**63 - 1),
                          st.one_of(st.text(alphabet=',"\r\n中a💴é', max_size=6),
                                    st.integers(-(2**63), 2**63 - 1), st.booleans(),
                                    st.none())), max_size=8))
def test_the_c_rows_are_the_python_rows_for_any_str_int_bool_or_none(rows):
    records = [_Row(*row) for row in rows]
    try:
        expected = _python(records)
    except UnicodeEncodeError:  # a lone surrogate: the C renderer leaves it to Python
        assert _rows(records) is None
        return
    assert _rows(records) == expected


@needs_native
@pytest.mark.parametrize("other", [1.5, Decimal("353.13"), _Text("x"), _Number(3), 2**63,
                                   -(2**63) - 1, "\ud800", "a\udfffb"],
                         ids=["float", "decimal", "str-subclass", "int-subclass", "2^63",
                              "-2^63-1", "surrogate", "inner-surrogate"])
def test_a_value_the_c_renderer_must_not_write_gives_none(other):
    records = [_Row("a", 1, "fine"), _Row("b", 2, other)]
    assert _rows(records) is None


@needs_native
def test_records_without_their_fields_in_a_dict_give_none():
    assert native is not None
    assert native.csv_rows([_Slotted("a", 1)], ("a", "b")) is None  # no __dict__
    partial = _Row("a", 1, "c")
    object.__delattr__(partial, "c")
    assert _rows([partial]) is None  # a field missing from it
    # the fields in another order than the columns': looked up by name, the same bytes
    shuffled = object.__new__(_Row)
    for name, value in (("c", "z,"), ("a", "x"), ("b", 5)):
        object.__setattr__(shuffled, name, value)
    assert _rows([shuffled]) == b'x,5,"z,"\n' == _python([shuffled])
    extra = _Row("a", 1, "c")
    object.__setattr__(extra, "extra", "ignored")
    assert _rows([extra]) == b"a,1,c\n"


@needs_native
def test_a_single_column_or_bad_arguments():
    assert native is not None
    assert native.csv_rows([], ("a", "b")) == b""
    assert native.csv_rows([_Row("", 1, "")], ("a",)) is None  # csv quotes a lone empty value
    with pytest.raises(TypeError):
        native.csv_rows((_Row("a", 1, "c"),), ("a", "b"))  # a list only
    with pytest.raises(TypeError):
        native.csv_rows([_Row("a", 1, "c")], ("a", 1))


@needs_native
def test_every_landed_file_of_the_bundled_documents_is_rendered_in_c_as_in_python():
    divisions = DivisionIndex.load()
    compared = 0
    for path in sorted((ROOT / "data" / "raw").iterdir()):
        result = parse_document(path.read_bytes(), path.name, divisions)
        for name, attribute in DOCUMENT_FILES.items():
            records = list(getattr(result, attribute))
            if not records:
                continue
            record_type = LANDED_FILES[name]
            assert _rows(records, record_type) == _python(records, record_type), (path, name)
            compared += len(records)
    assert compared > 2000


def test_render_encoded_is_the_python_rows_whether_or_not_the_c_renderer_is_there(
        monkeypatch):
    cells = [new_cell_record("d-1", 1, 7, 1, 2, "2010301", "行政运行", "合计 | 小计",
                             "1,234.5", "1234.50", "万元", 0),
             new_cell_record("d-1", 1, 8, 2, 2, "", 'say "x"', "合计", "12", "12", "元", 7)]
    expected = render_rows(CellRecord, cells).encode("utf-8")
    assert render_encoded(CellRecord, cells) == expected
    assert render_encoded(CellRecord, tuple(cells)) == expected
    monkeypatch.setattr(land, "_c_csv_rows", None)
    assert render_encoded(CellRecord, cells) == expected
