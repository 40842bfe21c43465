"""The pdfium reader's loops over a page's characters and paths in C
(``ingest/native/pdfium_loops.c``), when built.

:func:`ingest.pdf_pdfium._asked` asks pdfium three things of every visible character (its
map error, loose box and text object) and three of every run of one text object (its font,
font size and matrix), and :func:`ingest.pdf_pdfium._page_paths_of` asks of
every object its type and of every path its matrix, segment count and first segment: one cffi
call each. The C loops ask the same through pypdfium2's own function pointers in one call per
page (no linking against pdfium) and copy pdfium's answers without arithmetic, so the pages
read are the Python loops' to the bit.

The library is built by ``make native`` (part of the set-up, ``make venv``) next to its source;
without it (no C compiler) the reader keeps its Python loops. A library that is there but
cannot be loaded gives one warning naming it and what to do, and the Python loops are used.
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

LIBRARY = Path(__file__).resolve().parent / "native" / "libpdfium_loops.so"

_CDEF = """
int pdf_chars_ask(void *text_page, const int32_t *indices, int n, void *map_error,
                  void *loose_box, void *text_object, int32_t *kept, float *boxes,
                  uint64_t *owners);
void pdf_runs_ask(void *text_page, const int32_t *firsts, const uint64_t *objects, int n,
                  void *text_font, void *font_size, void *char_matrix, uint64_t *fonts,
                  double *sizes, float *matrices);
int pdf_paths_ask(void *page, int count, void *get_object, void *object_type,
                  void *object_matrix, void *count_segments, void *get_segment, int path_type,
                  int form_type, uint64_t *paths, float *matrices, int32_t *counts,
                  uint64_t *firsts);
void pdf_segments_copy(const uint64_t *firsts, const int64_t *sizes, int n, uint8_t *out);
"""
# the pdfium functions each loop calls, in its arguments' order
_CHAR_CALLS = ("FPDFText_HasUnicodeMapError", "FPDFText_GetLooseCharBox",
               "FPDFText_GetTextObject")
_RUN_CALLS = ("FPDFTextObj_GetFont", "FPDFText_GetFontSize", "FPDFText_GetMatrix")
_PATH_CALLS = ("FPDFPage_GetObject", "FPDFPageObj_GetType", "FPDFPageObj_GetMatrix",
               "FPDFPath_CountSegments", "FPDFPath_GetPathSegment")


@dataclass(frozen=True)
class PagePaths:
    """A page's path objects as :func:`ingest.pdf_pdfium._page_paths_of` asks for them: their
    addresses, matrices to page space (one row of a, b, c, d, e, f each, read as float32 and
    held as doubles), segment counts and first segments' addresses (0 under two segments)."""

    paths: list[int]
    matrices: np.ndarray
    counts: list[int]
    firsts: np.ndarray  # (paths,) uint64


@dataclass(frozen=True)
class NativeLoops:
    """The loaded library and the pdfium function pointers its loops are given."""

    ffi: Any
    lib: Any
    char_calls: tuple[Any, ...]  # cffi void * of each of _CHAR_CALLS
    run_calls: tuple[Any, ...]  # and of _RUN_CALLS
    path_calls: tuple[Any, ...]  # and of _PATH_CALLS

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
            *self.char_calls, ffi.from_buffer("int32_t[]", kept),
            ffi.from_buffer("float[]", boxes), ffi.from_buffer("uint64_t[]", owners))
        mapped = None if m == n else kept[:m].tolist()
        return mapped, boxes[:m], owners[:m]

    def runs(self, text_page: int, firsts: list[int], objects: np.ndarray
             ) -> tuple[list[int], list[float], np.ndarray]:
        """Per run of characters of one text object (``objects``: their addresses as
        uint64, 0 for none; ``firsts``: their first characters' indices): the object's
        font's address (0 without an object), and the first character's font size and
        matrix ((runs, 6) float32: a, b, c, d, e, f)."""
        n = len(firsts)
        wanted = np.array(firsts, dtype=np.int32)
        owners = np.ascontiguousarray(objects, dtype=np.uint64)
        fonts = np.empty(n, dtype=np.uint64)
        sizes = np.empty(n, dtype=np.float64)
        matrices = np.empty((n, 6), dtype=np.float32)
        ffi = self.ffi
        self.lib.pdf_runs_ask(
            ffi.cast("void *", text_page), ffi.from_buffer("int32_t[]", wanted),
            ffi.from_buffer("uint64_t[]", owners), n, *self.run_calls,
            ffi.from_buffer("uint64_t[]", fonts), ffi.from_buffer("double[]", sizes),
            ffi.from_buffer("float[]", matrices))
        return fonts.tolist(), sizes.tolist(), matrices

    def paths(self, page: int, count: int) -> PagePaths | None:
        """The path objects among the page's ``count`` objects (its address), in page order;
        ``None`` when one of its objects is a form XObject or a path's matrix cannot be read
        (the caller asks pdfium in Python then)."""
        paths = np.empty(count, dtype=np.uint64)
        matrices = np.empty((count, 6), dtype=np.float32)
        counts = np.empty(count, dtype=np.int32)
        firsts = np.empty(count, dtype=np.uint64)
        ffi = self.ffi
        n = self.lib.pdf_paths_ask(
            ffi.cast("void *", page), count, *self.path_calls, raw.FPDF_PAGEOBJ_PATH,
            raw.FPDF_PAGEOBJ_FORM, ffi.from_buffer("uint64_t[]", paths),
            ffi.from_buffer("float[]", matrices), ffi.from_buffer("int32_t[]", counts),
            ffi.from_buffer("uint64_t[]", firsts))
        if n < 0:
            return None
        return PagePaths(paths[:n].tolist(), matrices[:n].astype(np.float64),
                         counts[:n].tolist(), firsts[:n])

    def copy_segments(self, firsts: np.ndarray, sizes: list[int]) -> bytes:
        """The segment arrays at ``firsts`` (addresses), ``sizes`` bytes each, one after
        the other."""
        lengths = np.array(sizes, dtype=np.int64)
        out = bytearray(int(lengths.sum()))
        ffi = self.ffi
        self.lib.pdf_segments_copy(
            ffi.from_buffer("uint64_t[]", np.ascontiguousarray(firsts, dtype=np.uint64)),
            ffi.from_buffer("int64_t[]", lengths), len(sizes), ffi.from_buffer("uint8_t[]", out))
        return bytes(out)


def _pointers(ffi: Any, names: tuple[str, ...]) -> tuple[Any, ...]:
    """pypdfium2's function pointers of ``names``, as cffi ``void *``."""
    return tuple(ffi.cast("void *", ctypes.cast(getattr(raw, name), ctypes.c_void_p).value)
                 for name in names)


def load_native(path: Path) -> NativeLoops | None:
    """The library at ``path`` loaded, or ``None``: silently when it was not built, with one
    warning (the file, what to do) when it is there but cannot be loaded."""
    if cffi is None or not path.is_file():
        return None
    try:
        ffi = cffi.FFI()
        ffi.cdef(_CDEF)
        lib = ffi.dlopen(str(path))
        for name in ("pdf_chars_ask", "pdf_runs_ask", "pdf_paths_ask", "pdf_segments_copy"):
            getattr(lib, name)  # every symbol looked up here, not at the first page
    except (OSError, AttributeError, cffi.FFIError) as exc:
        warnings.warn(f"{path}: the native PDF reading loops cannot be loaded ({exc}); the "
                      f"slower Python loops are used. Rebuild the library with `make native`.",
                      RuntimeWarning, stacklevel=2)
        return None
    return NativeLoops(ffi, lib, _pointers(ffi, _CHAR_CALLS), _pointers(ffi, _RUN_CALLS),
                       _pointers(ffi, _PATH_CALLS))


@functools.cache
def native_loops() -> NativeLoops | None:
    """:func:`load_native` of the built library (:data:`LIBRARY`), loaded once per process."""
    return load_native(LIBRARY)
