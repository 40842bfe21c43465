"""The pdfium reader's per-character loop in C (``ingest/native/pdf_chars.c``), when built.

:func:`ingest.pdf_pdfium._asked` asks pdfium three things of every visible character (its
map error, loose box and text object), one cffi call each. The C loop asks the same through
pypdfium2's own function pointers in one call per page (no linking against pdfium), and copies
pdfium's answers without arithmetic, so the characters are the Python loop's to the bit.

The library is built by ``make native`` (part of the set-up, ``make venv``) next to its source;
without it (no C compiler) the reader keeps its Python loop. A library that is there but cannot
be loaded gives one warning naming it and the Python loop.
"""

from __future__ import annotations

import ctypes
import functools
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pypdfium2.raw as raw

try:
    import cffi
except ImportError:  # pragma: no cover - cffi is a pinned requirement
    cffi = None

LIBRARY = Path(__file__).resolve().parent / "native" / "libpdf_chars.so"
SOURCE = LIBRARY.with_name("pdf_chars.c")

_CDEF = """
int pdf_chars_ask(void *text_page, const int32_t *indices, int n, void *map_error,
                  void *loose_box, void *text_object, int32_t *kept, float *boxes,
                  uint64_t *owners);
"""
# the pdfium functions the loop calls, in pdf_chars_ask's order
_CALLED = ("FPDFText_HasUnicodeMapError", "FPDFText_GetLooseCharBox", "FPDFText_GetTextObject")


@dataclass(frozen=True)
class NativeChars:
    """The loaded library and the pdfium function pointers it is given."""

    ffi: Any
    lib: Any
    functions: tuple[Any, ...]  # cffi void * of each of _CALLED

    def ask(self, text_page: int, indices: list[int]
            ) -> tuple[list[int] | None, np.ndarray, np.ndarray]:
        """For the visible characters at ``indices`` of the text page (its address): the
        positions of those with a Unicode mapping (map error not 1; ``None`` when all have
        one), and for each of those their loose boxes ((m, 4) float32: left, top, right,
        bottom) and their text objects' addresses ((m,) uint64, 0 for none)."""
        n = len(indices)
        wanted = np.array(indices, dtype=np.int32)
        kept = np.empty(n, dtype=np.int32)
        boxes = np.empty((n, 4), dtype=np.float32)
        owners = np.empty(n, dtype=np.uint64)
        ffi = self.ffi
        m = self.lib.pdf_chars_ask(
            ffi.cast("void *", text_page), ffi.from_buffer("int32_t[]", wanted), n,
            *self.functions, ffi.from_buffer("int32_t[]", kept),
            ffi.from_buffer("float[]", boxes), ffi.from_buffer("uint64_t[]", owners))
        mapped = None if m == n else kept[:m].tolist()
        return mapped, boxes[:m], owners[:m]


def load_native(path: Path) -> NativeChars | None:
    """The library at ``path`` loaded, or ``None``: silently when it was not built, with one
    warning (the file, what to do) when it is there but cannot be loaded."""
    if cffi is None or not path.is_file():
        return None
    try:
        ffi = cffi.FFI()
        ffi.cdef(_CDEF)
        lib = ffi.dlopen(str(path))
        functions = tuple(ffi.cast("void *", ctypes.cast(getattr(raw, name), ctypes.c_void_p).value)
                          for name in _CALLED)
        lib.pdf_chars_ask  # noqa: B018 - the symbol is looked up here, not at the first page
    except (OSError, AttributeError, cffi.FFIError) as exc:
        warnings.warn(f"{path}: the native PDF character loop cannot be loaded ({exc}); the "
                      f"slower Python loop is used. Rebuild it with `make native`.",
                      RuntimeWarning, stacklevel=2)
        return None
    return NativeChars(ffi, lib, functions)


@functools.cache
def native_chars() -> NativeChars | None:
    """:func:`load_native` of the built library (:data:`LIBRARY`), loaded once per process."""
    return load_native(LIBRARY)
