"""A faster ``__init__`` for frozen dataclasses that ingest makes by the hundred thousand."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import MISSING, fields
from typing import TypeVar

T = TypeVar("T")

try:  # the C maker, built with the compiled modules (ingest/native/record_maker.c)
    from ingest._record_maker import maker as _c_maker
except ImportError:  # no current build, or INGEST_PURE=1: the maker is a Python function
    _c_maker = None


def fast_init(cls: type) -> type:
    """A frozen record class whose ``__init__`` stores the fields in the instance's
    ``__dict__`` directly.

    A frozen dataclass's own ``__init__`` sets each field through ``object.__setattr__`` (to get
    past the ``__setattr__`` that refuses changes), 4× the time of this one; ingest makes a
    record for every figure it lands. The same attributes hold the same values, and the
    record stays frozen (assigning a field still raises). Only for records whose fields all
    go to ``__init__`` without defaults and that have no ``__post_init__``.
    """
    names = [f.name for f in fields(cls)]
    assert all(f.init and f.default is MISSING and f.default_factory is MISSING
               for f in fields(cls)) and not hasattr(cls, "__post_init__"), cls
    assert "values__" not in names, cls
    source = (f"def __init__(self, {', '.join(names)}):\n    values__ = self.__dict__\n"
              + "".join(f"    values__[{name!r}] = {name}\n" for name in names))
    namespace: dict[str, object] = {}
    exec(source, namespace)  # our own field names, as dataclasses itself does
    init = namespace["__init__"]
    init.__qualname__ = f"{cls.__qualname__}.__init__"  # type: ignore[attr-defined]
    cls.__init__ = init  # type: ignore[misc]
    return cls


def record_maker(cls: type[T], python: bool = False) -> Callable[..., T]:
    """A function of a :func:`fast_init` record's fields (positional, in field order) that
    makes the record the class would, without the class call: ``cls(a, b, …)`` goes through
    ``type.__call__``, ``object.__new__`` and the ``__init__`` slot's generic call, several
    times the cost of storing the fields. The record is of the same class, with the same
    ``__dict__`` in the same order, so equal to and indistinguishable from ``cls(a, b, …)``.
    With the compiled modules built, the maker is ``ingest._record_maker``'s, the same steps in
    C (``python=True``: the Python one, always)."""
    assert cls.__init__.__qualname__ == f"{cls.__qualname__}.__init__", cls  # fast_init's
    names = [f.name for f in fields(cls)]  # type: ignore[arg-type]
    if _c_maker is not None and not python:
        return _c_maker(cls, tuple(names))  # type: ignore[no-any-return]
    assert "new__" not in names and "cls__" not in names and "record__" not in names, cls
    source = (f"def make({', '.join(names)}):\n    record__ = new__(cls__)\n"
              "    values__ = record__.__dict__\n"
              + "".join(f"    values__[{name!r}] = {name}\n" for name in names)
              + "    return record__\n")
    namespace: dict[str, object] = {"new__": object.__new__, "cls__": cls}
    exec(source, namespace)  # our own field names, as fast_init does
    make = namespace["make"]
    make.__qualname__ = f"make_{cls.__qualname__}"  # type: ignore[attr-defined]
    return make  # type: ignore[return-value]
