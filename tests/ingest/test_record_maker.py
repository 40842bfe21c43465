"""The records' makers (``ingest.fast_init.record_maker``): the C one
(``ingest/native/record_maker.c``, ``ingest._record_maker``) and the Python one make the record
the class call makes: same class, same ``__dict__`` in the same order, same pickle."""

from __future__ import annotations

import pickle
import sys
from dataclasses import dataclass, replace

import pytest
from conftest import native_extension

from ingest.fast_init import fast_init, record_maker
from ingest.records import CellRecord, ProseFigureRecord, new_cell_record

native, needs_native = native_extension("ingest._record_maker")

CELL = ("doc", 1, 5, 2, 3, "30101", "基本工资", "合计", "12.50", "12.50", "万元", 0)
PROSE = ("doc", 9, "一、收支预算总体情况", "total_expenditure", "支出", "amount", "all",
         "1234.56", "万元", "支出预算1234.56万元")


def _makers(cls: type) -> list[object]:
    makers = [record_maker(cls, python=True)]
    if native is not None:
        makers.append(record_maker(cls))
    return makers


@pytest.mark.parametrize(("cls", "values"), [(CellRecord, CELL), (ProseFigureRecord, PROSE)])
def test_each_maker_makes_the_record_the_class_call_makes(cls: type, values: tuple) -> None:
    called = cls(*values)
    for make in _makers(cls):
        made = make(*values)
        assert type(made) is cls and made == called and hash(made) == hash(called)
        assert list(made.__dict__.items()) == list(called.__dict__.items())
        assert pickle.dumps(made) == pickle.dumps(called)
        assert pickle.loads(pickle.dumps(made)) == called
        assert repr(made) == repr(called)
        with pytest.raises(AttributeError):
            made.document_id = "other"  # still frozen
        assert replace(made, document_id="x") == replace(called, document_id="x")


@needs_native
def test_the_ingest_maker_is_the_c_one_when_built() -> None:
    assert type(new_cell_record).__module__ == "ingest._record_maker"
    assert repr(new_cell_record) == "<record maker of CellRecord>"


@needs_native
def test_the_c_maker_says_what_it_was_given_wrong() -> None:
    make = record_maker(CellRecord)
    with pytest.raises(TypeError, match="takes 12 positional arguments but 11 were given"):
        make(*CELL[:-1])
    with pytest.raises(TypeError, match="takes no keyword arguments"):
        make(*CELL[:-1], repeat_of_line=0)
    with pytest.raises(TypeError, match="must be a class"):
        native.maker("CellRecord", ("a",))
    with pytest.raises(TypeError, match="names must be a tuple of str"):
        native.maker(CellRecord, ["document_id"])
    with pytest.raises(TypeError, match="names must be a tuple of str"):
        native.maker(CellRecord, ("document_id", 1))
    with pytest.raises(TypeError, match=r"made by object\.__new__ and have a __dict__"):
        native.maker(int, ("real",))

    class Slotted:
        __slots__ = ("a",)

    with pytest.raises(TypeError, match="have a __dict__"):
        native.maker(Slotted, ("a",))


@needs_native
def test_the_c_maker_keeps_no_reference_to_what_it_made() -> None:
    value = "一个不与别处共享的值" + str(id(object()))
    before = sys.getrefcount(value)
    make = record_maker(CellRecord)
    records = [make(value, *CELL[1:]) for _ in range(1000)]
    assert sys.getrefcount(value) == before + 1000
    del records
    assert sys.getrefcount(value) == before


def test_a_record_class_of_its_own_is_made_the_same_by_both() -> None:
    @fast_init
    @dataclass(frozen=True)
    class Pair:
        left: str
        right: int

    for make in _makers(Pair):
        made = make("a", 1)
        assert made == Pair("a", 1) and list(made.__dict__) == ["left", "right"]
