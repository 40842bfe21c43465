"""A PDF page's characters and ruling edges, read with pdfium (pypdfium2).

This is the fast extraction behind :func:`ingest.read_pdf.read_pdf`. It gives what the shared
line and table assembly in :mod:`ingest.read_pdf` needs, in pdfplumber's coordinates (points,
origin at the page's top-left), so that the assembly reads the same lines and tables as it did
from pdfplumber (kept as the test oracle, ``read_pdf_pdfplumber``):

* a character's box is the one pdfminer computes: horizontally from its origin over its
  advance width (pdfium's "loose" box), vertically from ``baseline + descent·size`` up by the
  font size (the descent is the font's, as declared in its descriptor);
* characters printed twice at the same place (a fake bold) are kept once, as pdfplumber's
  ``dedupe_chars`` does (same text, font and size, within 1 pt);
* characters without a Unicode mapping are counted, not returned (pdfminer's ``(cid:N)``);
* ruling edges come from every path object, form XObjects included (their matrices
  composed): each subpath is split at its move-to points; a two-point subpath is a line (an
  ``h`` edge when flat, else a ``v`` edge, as pdfplumber has it), any other subpath gives one
  edge per pair of consecutive points (Bézier control points left out), kept when horizontal or
  vertical — exactly the edges pdfplumber derives from pdfminer's lines, rects and curves.

Handles are passed to pdfium as plain addresses through prototypes declared here: the
per-character calls are the reader's hot loop.
"""

from __future__ import annotations

import ctypes
import functools
import struct
from array import array
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from itertools import groupby, pairwise, repeat
from typing import Any, NamedTuple

import numpy as np
import pypdfium2 as pdfium
import pypdfium2.raw as raw

from ingest.pdf_native import native_loops

_P = ctypes.c_void_p
_INT = ctypes.c_int
_DOUBLE = ctypes.POINTER(ctypes.c_double)
_FLOAT = ctypes.POINTER(ctypes.c_float)


def _fn(name: str, restype: object, *argtypes: object) -> ctypes._CFuncPtr:  # type: ignore[name-defined]
    """pdfium's ``name`` with plain-address handles (no pointer objects built per call)."""
    proto = ctypes.CFUNCTYPE(restype, *argtypes)  # type: ignore[arg-type]
    return proto(ctypes.cast(getattr(raw, name), _P).value)


_load_page = _fn("FPDF_LoadPage", _P, _P, _INT)
_close_page = _fn("FPDF_ClosePage", None, _P)
_page_height = _fn("FPDF_GetPageHeightF", ctypes.c_float, _P)
_page_rotation = _fn("FPDFPage_GetRotation", _INT, _P)
_media_box_at = _fn("FPDFPage_GetMediaBox", _INT, _P, _P, _P, _P, _P)  # float addresses
_crop_box_at = _fn("FPDFPage_GetCropBox", _INT, _P, _P, _P, _P, _P)
_load_text = _fn("FPDFText_LoadPage", _P, _P)
_close_text = _fn("FPDFText_ClosePage", None, _P)
_count_chars = _fn("FPDFText_CountChars", _INT, _P)
_get_text = _fn("FPDFText_GetText", _INT, _P, _INT, _INT, _P)
_loose_box_at = _fn("FPDFText_GetLooseCharBox", _INT, _P, _INT, _P)  # FS_RECTF address
_char_origin = _fn("FPDFText_GetCharOrigin", _INT, _P, _INT, _DOUBLE, _DOUBLE)
_font_size = _fn("FPDFText_GetFontSize", ctypes.c_double, _P, _INT)
_char_matrix = _fn("FPDFText_GetMatrix", _INT, _P, _INT, ctypes.POINTER(raw.FS_MATRIX))
_char_matrix_at = _fn("FPDFText_GetMatrix", _INT, _P, _INT, _P)  # FS_MATRIX address
_text_object_address = _fn("FPDFText_GetTextObject", ctypes.c_size_t, _P, _INT)  # 0: none
_text_object = _fn("FPDFText_GetTextObject", _P, _P, _INT)
_map_error = _fn("FPDFText_HasUnicodeMapError", _INT, _P, _INT)
_font_info = _fn("FPDFText_GetFontInfo", ctypes.c_ulong, _P, _INT, _P, ctypes.c_ulong, _P)
_text_font = _fn("FPDFTextObj_GetFont", _P, _P)
_font_descent = _fn("FPDFFont_GetDescent", _INT, _P, ctypes.c_float, _FLOAT)
_count_objects = _fn("FPDFPage_CountObjects", _INT, _P)
_get_object = _fn("FPDFPage_GetObject", _P, _P, _INT)
_form_count = _fn("FPDFFormObj_CountObjects", _INT, _P)
_form_object = _fn("FPDFFormObj_GetObject", _P, _P, ctypes.c_ulong)
_object_type = _fn("FPDFPageObj_GetType", _INT, _P)
_object_matrix = _fn("FPDFPageObj_GetMatrix", _INT, _P, ctypes.POINTER(raw.FS_MATRIX))
_object_matrix_at = _fn("FPDFPageObj_GetMatrix", _INT, _P, _P)  # FS_MATRIX address
_count_segments = _fn("FPDFPath_CountSegments", _INT, _P)
_get_segment = _fn("FPDFPath_GetPathSegment", _P, _P, _INT)
_segment_point = _fn("FPDFPathSegment_GetPoint", _INT, _P, _FLOAT, _FLOAT)
_segment_type = _fn("FPDFPathSegment_GetType", _INT, _P)

_PATH, _FORM = raw.FPDF_PAGEOBJ_PATH, raw.FPDF_PAGEOBJ_FORM
# pages read together by read_pages (open at once; their characters' arithmetic done once)
_BATCH = 16

try:  # the calls mapped over a page's characters, objects and paths go through cffi
    import cffi

    _FFI: Any = cffi.FFI()
except ImportError:  # pragma: no cover - cffi is a pinned requirement
    _FFI = None


def _mapped(name: str, signature: str, fallback: Callable[..., Any]) -> Callable[..., Any]:
    """pdfium's ``name`` for the calls mapped over a page's characters, objects and paths:
    through cffi (a quarter less overhead per call than ctypes; a handle a ``void *`` made
    once by :func:`_handle` or returned by another mapped call, an address a plain integer, a
    null pointer 0), or ``fallback`` without cffi."""
    if _FFI is None:
        return fallback
    return _FFI.cast(signature, ctypes.cast(getattr(raw, name), _P).value)  # type: ignore[no-any-return]


def _handle(address: int) -> Any:
    """A page's or text page's handle as the mapped calls take it: a cffi ``void *`` (passed
    faster than an integer, which cffi converts through a byte array), the address itself
    without cffi."""
    return address if _FFI is None else _FFI.cast("void *", address)


def _address(handle: Any) -> int:
    """The address of a handle of :func:`_handle` or of a mapped call (for the ctypes calls)."""
    return handle if _FFI is None else int(_FFI.cast("uintptr_t", handle))


_map_error_of = _mapped("FPDFText_HasUnicodeMapError", "int(*)(void *, int)", _map_error)
_text_object_of = _mapped("FPDFText_GetTextObject", "uintptr_t(*)(void *, int)",
                          _text_object_address)
_loose_box_of = _mapped("FPDFText_GetLooseCharBox", "int(*)(void *, int, uintptr_t)",
                        _loose_box_at)
_text_font_of = _mapped("FPDFTextObj_GetFont", "uintptr_t(*)(uintptr_t)", _text_font)
_font_size_of = _mapped("FPDFText_GetFontSize", "double(*)(void *, int)", _font_size)
_char_matrix_of = _mapped("FPDFText_GetMatrix", "int(*)(void *, int, uintptr_t)",
                          _char_matrix_at)
# an object's handle: a void * (an address without cffi) passed on as it came
_get_object_of = _mapped("FPDFPage_GetObject", "void *(*)(void *, int)", _get_object)
_object_type_of = _mapped("FPDFPageObj_GetType", "int(*)(void *)", _object_type)
_object_matrix_of = _mapped("FPDFPageObj_GetMatrix", "int(*)(void *, uintptr_t)",
                            _object_matrix_at)
_count_segments_of = _mapped("FPDFPath_CountSegments", "int(*)(void *)", _count_segments)
_get_segment_of = _mapped("FPDFPath_GetPathSegment", "void *(*)(void *, int)",
                          _get_segment)

# the loops over characters and paths in C, when built (ingest/native/pdfium_loops.c); None:
# pdfium asked in Python (_char_answers, _run_answers, _path_matrices)
_NATIVE = native_loops()

_MOVETO, _BEZIERTO = raw.FPDF_SEGMENT_MOVETO, raw.FPDF_SEGMENT_BEZIERTO

Matrix = tuple[float, float, float, float, float, float]
Edge = tuple[float, float, float, float, float, float, str]  # as in ingest.pdf_tables
_IDENTITY: Matrix = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)


class Char(NamedTuple):
    """One visible character: text and pdfplumber-style box (origin top-left)."""

    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    size: float


@dataclass
class PageContent:
    height: float
    chars: list[Any]  # Char, or what read_pages was asked to make
    unmapped: int
    edges: list[Edge]


class PdfOpenError(Exception):
    """The bytes are not a PDF pdfium can open; ``password`` when it is encrypted."""

    def __init__(self, message: str, password: bool) -> None:
        super().__init__(message)
        self.password = password


def _compose(inner: Matrix, outer: Matrix) -> Matrix:
    """``inner`` then ``outer`` (PDF row-vector convention)."""
    a, b, c, d, e, f = inner
    A, B, C, D, E, F = outer
    return (a * A + b * C, a * B + b * D, c * A + d * C, c * B + d * D,
            e * A + f * C + E, e * B + f * D + F)


def _matrix(obj: int, fs: raw.FS_MATRIX) -> Matrix:
    _object_matrix(obj, ctypes.byref(fs))
    return (fs.a, fs.b, fs.c, fs.d, fs.e, fs.f)


def _paths(objects: Iterator[int], outer: Matrix, fs: raw.FS_MATRIX,
           depth: int) -> Iterator[tuple[int, Matrix]]:
    """Every path object with its matrix to page space, descending into form XObjects."""
    for obj in objects:
        kind = _object_type(obj)
        if kind == _PATH:
            yield obj, _matrix(obj, fs) if depth == 0 else _compose(_matrix(obj, fs), outer)
        elif kind == _FORM and depth < 16:
            inner = _matrix(obj, fs) if depth == 0 else _compose(_matrix(obj, fs), outer)
            count = _form_count(obj)
            yield from _paths((_form_object(obj, i) for i in range(count)), inner, fs, depth + 1)


def _page_paths(page: int, fs: raw.FS_MATRIX) -> list[tuple[int, Matrix]]:
    """``list(_paths(<the page's objects>, _IDENTITY, fs, 0))``: the page's own objects (most
    of them text) are typed in one loop, only forms are walked by :func:`_paths`."""
    object_type, get_object, matrix = _object_type, _get_object, _matrix
    out: list[tuple[int, Matrix]] = []
    for i in range(_count_objects(page)):
        obj = get_object(page, i)
        kind = object_type(obj)
        if kind == _PATH:
            out.append((obj, matrix(obj, fs)))
        elif kind == _FORM:
            out.extend(_paths(iter((obj,)), _IDENTITY, fs, 0))
    return out


def _edge(x0: float, y0: float, x1: float, y1: float, orientation: str) -> Edge | None:
    """An edge as pdfplumber has it, or ``None`` when shorter than the table finder's
    pre-filter (1 pt), which would drop it anyway."""
    top, bottom = (y0, y1) if y0 <= y1 else (y1, y0)
    left, right = (x0, x1) if x0 <= x1 else (x1, x0)
    width, height = right - left, bottom - top
    if (height if orientation == "v" else width) < 1:
        return None
    return (left, top, right, bottom, width, height, orientation)


def _subpath_edges(points: list[tuple[float, float]], edges: list[Edge]) -> None:
    """pdfminer's reading of one subpath: two points (or two and back) are a line, flat or
    not; any other shape gives an edge per consecutive pair that is horizontal or vertical
    (a rect's four sides are the same edges). Each is :func:`_edge`'s, spelled out here."""
    if len(points) < 2:
        return
    if len(points) == 2 or (len(points) == 3 and points[2] == points[0]):
        (x0, y0), (x1, y1) = points[0], points[1]
        edge = _edge(x0, y0, x1, y1, "h" if y0 == y1 else "v")
        if edge is not None:
            edges.append(edge)
        return
    x0, y0 = points[0]
    for x1, y1 in points[1:]:
        if x0 == x1:
            top, bottom = (y0, y1) if y0 <= y1 else (y1, y0)
            if not bottom - top < 1:
                edges.append((x0, top, x0, bottom, x0 - x0, bottom - top, "v"))
        elif y0 == y1:
            left, right = (x0, x1) if x0 <= x1 else (x1, x0)
            if not right - left < 1:
                edges.append((left, y0, right, y0, right - left, y0 - y0, "h"))
        x0, y0 = x1, y1


_SEGMENT = struct.Struct("<ffBBxx")  # pdfium's CFX_Path::Point: x, y, type, close


class _SegmentReader:
    """A path's segments as (type, x, y).

    ``FPDFPath_GetPathSegment`` returns the address of the segment in pdfium's point array
    (``CFX_Path::Point``: two floats, a type byte and a close flag, 12 bytes). Reading the
    array (a ``std::vector``, contiguous) in one copy replaces three calls per segment; it is
    used only after it was seen to give what the API gives, for the last segment's address
    and for every segment, on the first path of two or more segments; otherwise the API is
    asked.
    """

    def __init__(self) -> None:
        self.trusted: bool | None = None
        self._x, self._y = ctypes.c_float(), ctypes.c_float()
        self._layouts: dict[int, struct.Struct] = {}

    def by_api(self, path: int, count: int) -> list[tuple[int, float, float]]:
        px, py = ctypes.byref(self._x), ctypes.byref(self._y)
        out = []
        for i in range(count):
            seg = _get_segment(path, i)
            _segment_point(seg, px, py)
            out.append((_segment_type(seg), self._x.value, self._y.value))
        return out

    def columns(self, path: int) -> tuple[tuple[int, ...], tuple[float, ...],
                                          tuple[float, ...]]:
        """The path's segments as three columns: types, x, y (what :meth:`segments` gives,
        read in one unpack once the copy is trusted)."""
        count = _count_segments(path)
        if count <= 0:
            return (), (), ()
        first = _get_segment(path, 0) if self.trusted and count > 1 else None
        if not first:
            segments = self.segments(path)
            return (tuple(kind for kind, _, _ in segments), tuple(x for _, x, _ in segments),
                    tuple(y for _, _, y in segments))
        layout = self._layouts.get(count)
        if layout is None:
            layout = self._layouts[count] = struct.Struct("<" + "ffBBxx" * count)
        flat = layout.unpack(ctypes.string_at(first, _SEGMENT.size * count))
        return flat[2::4], flat[0::4], flat[1::4]

    def segments(self, path: int) -> list[tuple[int, float, float]]:
        count = _count_segments(path)
        if count <= 0:
            return []
        if self.trusted is False or count == 1:
            return self.by_api(path, count)
        first = _get_segment(path, 0)
        if not first:
            return self.by_api(path, count)
        if not self.trusted and _get_segment(path, count - 1) != first + _SEGMENT.size * (count - 1):
            return self.by_api(path, count)
        copied = [(kind, x, y) for x, y, kind, _ in
                  _SEGMENT.iter_unpack(ctypes.string_at(first, _SEGMENT.size * count))]
        if self.trusted is None:
            self.trusted = copied == self.by_api(path, count)
            if not self.trusted:
                return self.by_api(path, count)
        return copied


_POINT = np.dtype([("x", "<f4"), ("y", "<f4"), ("kind", "u1"), ("close", "u1"), ("pad", "V2")])
assert _POINT.itemsize == _SEGMENT.size


def _path_matrices(page: int) -> tuple[list[Any], np.ndarray] | None:
    """The page's path objects and their matrices to page space (one row of a, b, c, d, e,
    f each, in doubles), in :func:`_page_paths`' order; ``None`` when a matrix cannot be
    read. Without form XObjects, pdfium is asked in one call per object and path, mapped."""
    count = _count_objects(page)
    objects = list(map(_get_object_of, repeat(_handle(page), count), range(count)))
    kinds = list(map(_object_type_of, objects))
    if _FORM in kinds:
        paths = _page_paths(page, raw.FS_MATRIX())
        return [_handle(path) for path, _ in paths], np.array(
            [m for _, m in paths], dtype=np.float64).reshape(len(paths), 6)
    handles = [obj for obj, kind in zip(objects, kinds, strict=True) if kind == _PATH]
    matrices = np.empty((len(handles), 6), dtype=np.float32)
    base = matrices.ctypes.data
    if 0 in map(_object_matrix_of, handles, range(base, base + 24 * len(handles), 24)):
        return None
    return handles, matrices.astype(np.float64)


def page_edges(page: int, height: float, reader: _SegmentReader | None = None) -> list[Edge]:
    """The horizontal and vertical edges (1 pt or longer) of every path on the page, in
    page space with the origin at the top-left.

    :func:`page_edges_slowly` for all the page's paths at once: their segment arrays copied
    in one piece (once :class:`_SegmentReader` trusts the copy), the points transformed,
    the Bézier control points dropped, the subpaths cut and their edges found with numpy,
    the same arithmetic in the same order, the edges in the same order (:func:`_page_paths_of`
    and :func:`_edges_of`, which :func:`read_pages` runs over several pages at once).
    """
    reader = reader or _SegmentReader()
    paths = _page_paths_of(page, height, reader)
    if paths is None:
        return page_edges_slowly(page, height, reader)
    return _edges_of([paths])[0]


@dataclass
class _Paths:
    """A page's paths of two or more points as :func:`page_edges` reads them: their
    points (pdfium's segment arrays, one after the other), how many each has, and their
    matrices to page space (one row of a, b, c, d, e, f each, in doubles)."""

    points: bytes
    lengths: list[int]
    matrices: np.ndarray
    height: float


def _page_paths_of(page: int, height: float, reader: _SegmentReader) -> _Paths | None:
    """:func:`page_edges`' questions to pdfium for one page; ``None`` when the segment
    arrays cannot be copied (read with :func:`page_edges_slowly` then). Asked by the native
    loop when it is built and the page has no form XObject, else in Python, one mapped call
    per object and path (:func:`_path_matrices`)."""
    native = _NATIVE
    asked = native.paths(page, _count_objects(page)) if native is not None else None
    if asked is not None:
        firsts = asked.firsts

        def native_copy(chosen: list[int], sizes: list[int]) -> bytes | None:
            starts = firsts[chosen]
            return native.copy_segments(starts, sizes) if starts.all() else None

        return _chosen_paths(asked.paths, asked.counts, asked.matrices, height, reader,
                             int, native_copy)
    found = _path_matrices(page)
    if found is None:
        return None
    handles, matrices = found

    def copy(chosen: list[int], sizes: list[int]) -> bytes | None:
        starts = list(map(_get_segment_of, [handles[k] for k in chosen], repeat(0, len(chosen))))
        if not all(starts):  # a null segment (0, None, or cffi's NULL)
            return None
        # each path's segment array, copied in one piece (cffi's buffer: no call into ctypes)
        return b"".join(map(ctypes.string_at if _FFI is None else _FFI.buffer, starts, sizes))

    return _chosen_paths(handles, list(map(_count_segments_of, handles)), matrices, height,
                         reader, _address, copy)


def _chosen_paths(paths: Sequence[Any], counts: list[int], matrices: np.ndarray, height: float,
                  reader: _SegmentReader, address: Callable[[Any], int],
                  copy: Callable[[list[int], list[int]], bytes | None]) -> _Paths | None:
    """The page's paths of two or more points (of ``paths``, with their segment ``counts``
    and ``matrices``) as a :class:`_Paths`, their segment arrays copied by ``copy(chosen,
    sizes)`` (``None``: a null segment); ``None`` when the copy is not trusted, which
    ``reader`` establishes on the first path of two or more segments (at ``address(path)``)."""
    if reader.trusted is None:
        first = next((path for path, n in zip(paths, counts, strict=True) if n > 1), None)
        if first is None:
            return None
        reader.segments(address(first))
    if not reader.trusted:
        return None
    # a path of fewer than two points has no edge
    chosen = [k for k, n in enumerate(counts) if n > 1]
    if not chosen:
        return _Paths(b"", [], np.empty((0, 6), dtype=np.float64), height)
    lengths = [counts[k] for k in chosen]
    points = copy(chosen, [n * _SEGMENT.size for n in lengths])
    if points is None:
        return None
    return _Paths(points, lengths, matrices[chosen], height)


def _edges_of(pages: Sequence[_Paths]) -> list[list[Edge]]:
    """Each page's edges from its :class:`_Paths`, found for all the pages at once (a path
    is a run of points of its own; each point is flipped by its page's height)."""
    out: list[list[Edge]] = [[] for _ in pages]
    per_page = [len(paths.lengths) for paths in pages]
    lengths = np.array([n for paths in pages for n in paths.lengths], dtype=np.int64)
    if not len(lengths):
        return out
    points = np.frombuffer(b"".join([paths.points for paths in pages]), dtype=_POINT)
    matrices = np.concatenate([paths.matrices for paths in pages])
    page_of_path = np.repeat(np.arange(len(pages)), per_page)
    height_of_path = np.array([paths.height for paths in pages], dtype=np.float64)[page_of_path]
    path = np.repeat(np.arange(len(lengths)), lengths)
    a, b, c, d, e, f = matrices[path].T
    vx, vy = points["x"].astype(np.float64), points["y"].astype(np.float64)
    xs = a * vx + c * vy + e
    ys = height_of_path[path] - (b * vx + d * vy + f)
    kinds = points["kind"]
    n = len(kinds)
    # a curve segment's two control points are left out: of each run of Bézier points in a
    # path, every third is kept (nothing to leave out on a page of lines and rectangles)
    bezier = kinds == _BEZIERTO
    if bezier.any():
        index = np.arange(n)
        path_start = np.zeros(n, dtype=bool)
        path_start[np.cumsum(lengths)[:-1]] = True
        path_start[0] = True
        run_start = bezier & (path_start | ~np.concatenate(([False], bezier[:-1])))
        position = index - np.maximum.accumulate(np.where(run_start, index, 0)) + 1
        kept = ~bezier | (position % 3 == 0)
        xs, ys, kinds, path = xs[kept], ys[kept], kinds[kept], path[kept]
    n = len(xs)
    if n < 2:
        return out
    # a subpath starts at a path's first kept point and at every move-to
    first_kept = np.ones(n, dtype=bool)
    first_kept[1:] = path[1:] != path[:-1]
    subpath = np.cumsum(first_kept | (kinds == _MOVETO)) - 1
    length = np.bincount(subpath)
    begin = np.cumsum(length) - length
    # the pairs of consecutive points of one subpath, by their first point
    pair = np.flatnonzero(subpath[1:] == subpath[:-1])
    if not len(pair):
        return out
    owner = subpath[pair]
    size = length[owner]
    at = begin[owner]
    closed = np.zeros(len(pair), dtype=bool)
    three = size == 3
    closed[three] = (xs[at[three] + 2] == xs[at[three]]) & (ys[at[three] + 2] == ys[at[three]])
    line = (size == 2) | closed  # a line (flat: "h", else "v"), from its first pair only
    first_pair = pair == at
    pair, line = pair[~line | first_pair], line[~line | first_pair]
    x0, y0, x1, y1 = xs[pair], ys[pair], xs[pair + 1], ys[pair + 1]
    y_order, x_order = y0 <= y1, x0 <= x1
    top, bottom = np.where(y_order, y0, y1), np.where(y_order, y1, y0)
    left, right = np.where(x_order, x0, x1), np.where(x_order, x1, x0)
    vertical_line = line & ~(y0 == y1)
    # any other shape: an edge per pair that is vertical, else horizontal
    vertical_side = ~line & (x0 == x1)
    horizontal_side = ~line & ~(x0 == x1) & (y0 == y1)
    vertical = vertical_line | vertical_side
    out_x0 = np.where(vertical_side, x0, left)
    out_x1 = np.where(vertical_side, x0, right)
    out_top = np.where(horizontal_side, y0, top)
    out_bottom = np.where(horizontal_side, y0, bottom)
    width = np.where(vertical_side, x0 - x0, right - left)
    height_ = np.where(horizontal_side, y0 - y0, bottom - top)
    keep = (line | vertical_side | horizontal_side) & ~(np.where(vertical, height_, width) < 1)
    orientation = np.where(vertical[keep], "v", "h").tolist()
    edges = list(zip(out_x0[keep].tolist(), out_top[keep].tolist(), out_x1[keep].tolist(),
                     out_bottom[keep].tolist(), width[keep].tolist(), height_[keep].tolist(),
                     orientation, strict=True))
    # the edges follow their points, so the pages' edges follow each other
    counts = np.bincount(page_of_path[path[pair[keep]]], minlength=len(pages)).tolist()
    done = 0
    for number, count in enumerate(counts):
        out[number] = edges[done:done + count]
        done += count
    return out


def page_edges_slowly(page: int, height: float, reader: _SegmentReader | None = None) -> list[Edge]:
    """:func:`page_edges` path by path, as it was first written: the reference the tests
    hold it to, and the reading when the segment array cannot be copied."""
    reader = reader or _SegmentReader()
    edges: list[Edge] = []
    columns = reader.columns
    for path, (a, b, c, d, e, f) in _page_paths(page, raw.FS_MATRIX()):
        kinds, xs, ys = columns(path)
        if not kinds:
            continue
        points = [(a * vx + c * vy + e, height - (b * vx + d * vy + f))
                  for vx, vy in zip(xs, ys, strict=True)]
        if _BEZIERTO not in kinds and _MOVETO not in kinds[1:]:  # one subpath of lines
            _subpath_edges(points, edges)
            continue
        subpath: list[tuple[float, float]] = []
        bezier = 0
        for kind, point in zip(kinds, points, strict=True):
            if kind == _BEZIERTO:
                bezier += 1
                if bezier % 3:  # the two control points of a curve segment
                    continue
            else:
                bezier = 0
                if kind == _MOVETO and subpath:
                    _subpath_edges(subpath, edges)
                    subpath = []
            subpath.append(point)
        _subpath_edges(subpath, edges)
    return edges


def _font_name(text_page: int, index: int) -> str:
    buf = ctypes.create_string_buffer(256)
    size = _font_info(text_page, index, ctypes.cast(buf, _P), 256, None)
    return buf.raw[: max(size - 1, 0)].decode("utf-8", "replace")


def _clusters(items: list[tuple[float, int]], tolerance: float) -> list[list[int]]:
    """pdfplumber's ``cluster_objects``: values chained within ``tolerance``, in value order."""
    values = sorted({v for v, _ in items})
    cluster_of: dict[float, int] = {}
    number, last = 0, None
    for v in values:
        if last is not None and v > last + tolerance:
            number += 1
        cluster_of[v] = number
        last = v
    ordered = sorted(items, key=lambda item: cluster_of[item[0]])
    return [[i for _, i in group] for _, group in groupby(ordered, key=lambda item: cluster_of[item[0]])]


def _unique(members: list[int], chars: list[Char]) -> Iterator[int]:
    for y_cluster in _clusters([(chars[n].top, n) for n in members], 1):
        for x_cluster in _clusters([(chars[n].x0, n) for n in y_cluster], 1):
            yield min(x_cluster, key=lambda n: (chars[n].top, chars[n].x0, n))


def _has_cluster(members: list[int], chars: Sequence[Char]) -> bool:
    """Whether two of the characters fall in one cluster (top, then x0, chained within 1)."""
    by_top = sorted(members, key=lambda n: chars[n].top)
    cluster = [by_top[0]]
    for n in [*by_top[1:], None]:
        if n is not None and chars[n].top <= chars[cluster[-1]].top + 1:
            cluster.append(n)
            continue
        if len(cluster) > 1:
            xs = sorted(chars[k].x0 for k in cluster)
            if any(b <= a + 1 for a, b in pairwise(xs)):
                return True
        if n is not None:
            cluster = [n]
    return False


def _suspects(texts: Sequence[str], x0s: Sequence[float], tops: Sequence[float],
              sizes: Sequence[float], arrays: tuple[np.ndarray, np.ndarray, np.ndarray] | None
              = None, codes: np.ndarray | None = None) -> set[tuple[str, float]]:
    """The (text, size) groups with a cluster of two or more characters (top, then x0,
    chained within 1): :func:`_has_cluster` of every group at once, with numpy (characters
    sorted by text, size and top, stable as ``sorted`` is; clusters cut where the group
    changes or the top rises by more than 1; within a cluster, x0s sorted). ``arrays``: the
    x0s, tops and sizes as float64 arrays already, when the caller has them; ``codes``: the
    texts' code points, when each text is one character and the caller has them."""
    n = len(texts)
    if n < 2:
        return set()
    if codes is not None:
        code = codes
    else:
        try:
            code = np.fromiter(map(ord, texts), dtype=np.int64, count=n)
        except TypeError:  # a text of more than one character
            return _suspects_slowly(texts, x0s, tops, sizes)
    if arrays is None:
        x0 = np.array(x0s, dtype=np.float64)
        top = np.array(tops, dtype=np.float64)
        size = np.array(sizes, dtype=np.float64)
    else:
        x0, top, size = arrays
    if np.isnan(size + top + x0).any():  # (a NaN in any; inf - inf too: read slowly then)
        return _suspects_slowly(texts, x0s, tops, sizes)
    order = np.lexsort((top, size, code))
    c, s, t = code[order], size[order], top[order]
    start = np.empty(n, dtype=bool)
    start[0] = True
    start[1:] = (c[1:] != c[:-1]) | (s[1:] != s[:-1]) | ~(t[1:] <= t[:-1] + 1)
    cluster = np.cumsum(start)
    x = x0[order]
    within = np.lexsort((x, cluster))
    cl, xs = cluster[within], x[within]
    pair = (cl[1:] == cl[:-1]) & (xs[1:] <= xs[:-1] + 1)
    if not pair.any():
        return set()
    return {(texts[m], sizes[m]) for m in order[within[1:][pair]].tolist()}


def _batch_suspects(pages: Sequence[_Asked], bounds: Sequence[tuple[int, int]],
                    arrays: tuple[np.ndarray, np.ndarray, np.ndarray], sizes: list[float]
                    ) -> list[set[tuple[str, float]]] | None:
    """:func:`_suspects` of each page of a batch, in one pass over all their characters
    (``bounds``: each page's slice of ``arrays``, its x0s, tops and sizes; ``sizes`` the
    same as floats): the page is the first sort key, and a cluster ends where the page
    changes, so each cluster is one page's, as :func:`_suspects` finds it. ``None`` when a
    page's texts are not one character each or a coordinate is NaN (then page by page)."""
    if any(page.codes is None for page in pages):
        return None
    x0, top, size = arrays
    if np.isnan(size + top + x0).any():
        return None
    out: list[set[tuple[str, float]]] = [set() for _ in pages]
    code = np.concatenate([page.codes for page in pages])  # type: ignore[misc]
    n = len(code)
    if n < 2:
        return out
    lengths = [end - begin for begin, end in bounds]
    number = np.repeat(np.arange(len(pages)), lengths)
    order = np.lexsort((top, size, code, number))
    p, c, s, t = number[order], code[order], size[order], top[order]
    start = np.empty(n, dtype=bool)
    start[0] = True
    start[1:] = ((p[1:] != p[:-1]) | (c[1:] != c[:-1]) | (s[1:] != s[:-1])
                 | ~(t[1:] <= t[:-1] + 1))
    cluster = np.cumsum(start)
    # only a cluster of two or more can hold a pair: its members are sorted by x0 (a
    # character is in one when the next one in order, or itself, does not start a cluster)
    multi = np.zeros(n, dtype=bool)
    multi[:-1] = ~start[1:]
    multi[1:] |= ~start[1:]
    members = order[multi]
    x = x0[members]
    clusters = cluster[multi]
    within = np.lexsort((x, clusters))
    cl, xs = clusters[within], x[within]
    pair = (cl[1:] == cl[:-1]) & (xs[1:] <= xs[:-1] + 1)
    if not pair.any():
        return out
    for m in members[within[1:][pair]].tolist():
        k = int(number[m])
        out[k].add((pages[k].texts[m - bounds[k][0]], sizes[m]))
    return out


def _suspects_slowly(texts: Sequence[str], x0s: Sequence[float], tops: Sequence[float],
                     sizes: Sequence[float]) -> set[tuple[str, float]]:
    chars = [Char(text, x0, x0, top, top, size)
             for text, x0, top, size in zip(texts, x0s, tops, sizes, strict=True)]
    by_key: dict[tuple[str, float], list[int]] = {}
    for n, char in enumerate(chars):
        by_key.setdefault((char.text, char.size), []).append(n)
    return {key for key, members in by_key.items()
            if len(members) > 1 and _has_cluster(members, chars)}


def _dedupe(chars: list[Char], font_of: Callable[[int], str],
            suspect: set[tuple[str, float]]) -> list[Char]:
    """pdfplumber's ``dedupe_chars`` (tolerance 1; same text, font name and size).

    A first pass clusters by text and size only (top, then x0, chained within 1 pt); only a
    group with a cluster of two or more is clustered again with font names (asked for there
    only: splitting a group by font can only split its clusters further). ``suspect`` are
    the groups of the first pass with such a cluster (:func:`_suspects`).
    """
    if not suspect:
        return chars
    groups: dict[tuple[str, float, str], list[int]] = {}
    for n, char in enumerate(chars):
        if (char.text, char.size) in suspect:
            groups.setdefault((char.text, char.size, font_of(n)), []).append(n)
    dropped: set[int] = set()
    for members in groups.values():
        kept = set(_unique(members, chars))
        dropped.update(n for n in members if n not in kept)
    return [char for n, char in enumerate(chars) if n not in dropped]


def _visible(codes: array, count: int) -> Iterator[tuple[int, str]]:
    """(index, character) of each character that is not white space (pdfium's generated
    spaces and line breaks included) nor NUL; a surrogate pair is one character, at the
    index of its first half."""
    text = codes[:count].tobytes().decode("utf-16-le", "surrogatepass")
    if len(text) == count:  # no pair: one character per index
        return iter([(i, ch) for i, ch in enumerate(text) if not ch.isspace() and ch != "\0"])
    return _visible_slowly(codes, count)


@functools.cache
def _spaces() -> np.ndarray:
    """For each UTF-16 code unit, whether it is white space (``str.isspace``)."""
    return np.array([chr(code).isspace() for code in range(0x10000)], dtype=bool)


def _visible_columns(buf: np.ndarray, count: int
                     ) -> tuple[list[int], list[str], np.ndarray | None]:
    """:func:`_visible` as two columns, indices and characters, of the first ``count`` UTF-16
    code units in ``buf``, and the characters' code units (``None`` where a surrogate pair
    makes one character of two); without a surrogate pair (one character per index), found
    with numpy."""
    codes = buf[:count]
    text = codes.tobytes().decode("utf-16-le", "surrogatepass")
    if len(text) == count:
        found = np.flatnonzero((codes != 0) & ~_spaces()[codes])
        kept = codes[found]
        texts = list(kept.tobytes().decode("utf-16-le", "surrogatepass"))
        if len(texts) == len(found):  # (two lone halves brought together make one)
            return found.tolist(), texts, kept
    visible = list(_visible_slowly(array("H", codes.tobytes()), count))
    return [i for i, _ in visible], [ch for _, ch in visible], None


def _visible_slowly(codes: array, count: int) -> Iterator[tuple[int, str]]:
    skip = False
    for i in range(count):
        if skip:
            skip = False
            continue
        code = codes[i]
        if 0xD800 <= code < 0xDC00 and i + 1 < count and 0xDC00 <= codes[i + 1] < 0xE000:
            text = chr(0x10000 + ((code - 0xD800) << 10) + (codes[i + 1] - 0xDC00))
            skip = True
        else:
            text = chr(code)
        if not text.isspace() and code != 0:
            yield i, text


def chars_of(texts: Sequence[str], x0s: Sequence[float], x1s: Sequence[float],
             tops: Sequence[float], bottoms: Sequence[float], sizes: Sequence[float]
             ) -> list[Char]:
    """The characters of a page as :class:`Char`, from their fields' columns."""
    return list(map(Char, texts, x0s, x1s, tops, bottoms, sizes))


MakeChars = Callable[[Sequence[str], Sequence[float], Sequence[float], Sequence[float],
                      Sequence[float], Sequence[float]], list[Any]]


def page_chars(text_page: int, height: float, make: MakeChars = chars_of
               ) -> tuple[list[Any], int]:
    """The page's visible characters (deduplicated) and how many had no Unicode mapping;
    ``make`` builds them from the columns (text, x0, x1, top, bottom, size), all at once.

    What :func:`page_chars_slowly` computes character by character, in columns: pdfium is
    asked for every character's mapping, text object and loose box (one call each, mapped
    over the indices), for each text object's font, size and matrix once (at its first
    character), and for a character's origin only where its object's baseline is not
    horizontal; the arithmetic is the same, in doubles, with numpy. (:func:`_asked` and
    :func:`_computed`, which :func:`read_pages` runs over several pages at once.)
    """
    return _computed([_asked(text_page, height)], make)[0]


@dataclass
class _Asked:
    """What :func:`page_chars` asks pdfium about one page's characters (before any
    arithmetic): the visible mapped characters' indices, texts and code units (``None``
    where a surrogate pair makes one character of two), their loose boxes, where each run
    of one text object starts, and per run its object, font descent ratio, font size and
    matrix."""

    text_page: int
    height: float
    unmapped: int
    indices: list[int]
    texts: list[str]
    codes: np.ndarray | None
    boxes: np.ndarray  # (n, 4) float32: left, top, right, bottom
    starts: np.ndarray  # (n,) bool: a run starts here
    objects: np.ndarray  # (runs,) uint64
    ratios: list[float]
    fontsizes: list[float]
    matrices: np.ndarray  # (runs, 6) float32: a, b, c, d, e, f


def _char_answers(handle: Any, indices: list[int]
                  ) -> tuple[list[int] | None, np.ndarray, np.ndarray]:
    """What :meth:`ingest.pdf_native.NativeLoops.ask` gives, asked in Python (the loop when
    the library is not built): the positions of the characters with a Unicode mapping
    (``None`` when all have one), their loose boxes and their text objects' addresses, one
    mapped cffi call per character and question."""
    errors = list(map(_map_error_of, repeat(handle, len(indices)), indices))
    mapped = None
    if 1 in errors:
        mapped = [k for k, error in enumerate(errors) if error != 1]
        indices = [indices[k] for k in mapped]
    n = len(indices)
    # every character's loose box (4 floats: left, top, right, bottom), in visible order
    boxes = np.empty((n, 4), dtype=np.float32)
    base = boxes.ctypes.data
    deque(map(_loose_box_of, repeat(handle, n), indices, range(base, base + 16 * n, 16)),
          maxlen=0)
    owners = np.fromiter(map(_text_object_of, repeat(handle, n), indices), dtype=np.uint64,
                         count=n)
    return mapped, boxes, owners


def _asked(text_page: int, height: float) -> _Asked | None:
    """:func:`page_chars`' questions to pdfium for one page; ``None`` when it has no
    visible character; an :class:`_Asked` without characters when all are unmapped."""
    count = _count_chars(text_page)
    if count <= 0:
        return None
    codes = np.empty(count + 1, dtype=np.uint16)
    _get_text(text_page, 0, count, codes.ctypes.data)
    indices, texts, visible_codes = _visible_columns(codes, count)
    if not indices:
        return None
    handle = _handle(text_page)
    visible = len(indices)
    native = _NATIVE
    mapped, boxes, owners = (native.ask(text_page, indices) if native is not None
                             else _char_answers(handle, indices))
    unmapped = 0
    if mapped is not None:
        unmapped = visible - len(mapped)
        indices, texts = [indices[k] for k in mapped], [texts[k] for k in mapped]
        if visible_codes is not None:
            visible_codes = visible_codes[mapped]
    n = len(indices)
    # the runs of characters of one text object (an object's characters follow each other;
    # should one come back after another's, its run is one more run, read the same)
    starts = np.empty(n, dtype=bool)
    if n:
        starts[0] = True
        np.not_equal(owners[1:], owners[:-1], out=starts[1:])
    first = np.flatnonzero(starts)
    objects = owners[first]
    # per run (one text object: one font, size and matrix), at its first character: its
    # font's descent, its glyphs' size and its matrix
    firsts = [indices[k] for k in first.tolist()]
    fonts, fontsizes, matrices = (native.runs(text_page, firsts, objects) if native is not None
                                  else _run_answers(handle, firsts, objects))
    descents: dict[int | None, float] = {}
    descent = ctypes.c_float()
    pdescent = ctypes.byref(descent)
    for font in set(fonts):
        descents[font] = descent.value if font and _font_descent(font, 1.0, pdescent) else 0.0
    return _Asked(text_page, height, unmapped, indices, texts, visible_codes, boxes, starts,
                  objects, [descents[font] for font in fonts], fontsizes, matrices)


def _run_answers(handle: Any, firsts: list[int], objects: np.ndarray
                 ) -> tuple[list[int | None], list[float], np.ndarray]:
    """What :meth:`ingest.pdf_native.NativeLoops.runs` gives, asked in Python: per run of
    one text object (``objects``, its first character at ``firsts``) the object's font
    (``None`` without an object), and the first character's font size and matrix ((runs, 6)
    float32: a, b, c, d, e, f)."""
    fonts = [_text_font_of(obj) if obj else None for obj in objects.tolist()]
    fontsizes = list(map(_font_size_of, repeat(handle, len(firsts)), firsts))
    matrices = np.empty((len(firsts), 6), dtype=np.float32)
    mbase = matrices.ctypes.data
    deque(map(_char_matrix_of, repeat(handle, len(firsts)), firsts,
              range(mbase, mbase + 24 * len(firsts), 24)), maxlen=0)
    return fonts, fontsizes, matrices


def _computed(pages: Sequence[_Asked | None], make: MakeChars = chars_of
              ) -> list[tuple[list[Any], int]]:
    """Each page's characters (deduplicated) and unmapped count from :func:`_asked`'s
    answers: the arithmetic done once over all the pages' characters (numpy's cost per
    call paid once, not per page), each page's characters then made and deduplicated.
    """
    asked = [page for page in pages if page is not None and page.indices]
    out: list[tuple[list[Any], int]] = []
    if not asked:
        return [([], 0 if page is None else page.unmapped) for page in pages]
    # per run: the vertical extent of its glyph boxes from the baseline and its glyphs'
    # size, as pdfminer computes them
    ratio = np.array([r for page in asked for r in page.ratios], dtype=np.float64)
    fontsize = np.array([f for page in asked for f in page.fontsizes], dtype=np.float64)
    matrices = np.concatenate([page.matrices for page in asked])
    objects = np.concatenate([page.objects for page in asked])
    starts = np.concatenate([page.starts for page in asked])
    boxes = np.concatenate([page.boxes for page in asked])
    lengths = [len(page.indices) for page in asked]
    heights = np.repeat(np.array([page.height for page in asked], dtype=np.float64), lengths)
    which = np.cumsum(starts) - 1
    d = matrices[:, 3].astype(np.float64)
    low, high = ratio * fontsize * d, (ratio + 1) * fontsize * d
    ordered = low <= high
    low, high = np.where(ordered, low, high), np.where(ordered, high, low)
    # a horizontal baseline: every origin at the height of the matrix's f
    baseline = matrices[:, 5].astype(np.float64)
    horizontal = (matrices[:, 1] == 0) & (objects != 0)
    low, high, horizontal, baseline = low[which], high[which], horizontal[which], baseline[which]
    ends = np.cumsum(lengths).tolist()
    bounds = list(zip([0, *ends[:-1]], ends, strict=True))
    if not horizontal.all():
        ox, oy = ctypes.c_double(), ctypes.c_double()
        pox, poy = ctypes.byref(ox), ctypes.byref(oy)
        for page, (begin, end) in zip(asked, bounds, strict=True):
            others = np.flatnonzero(~horizontal[begin:end])
            for k in others.tolist():
                _char_origin(page.text_page, page.indices[k], pox, poy)
                baseline[begin + k] = oy.value
    top_array, size_array = heights - (baseline + high), high - low
    tops, sizes = top_array.tolist(), size_array.tolist()
    bottoms = (heights - (baseline + low)).tolist()
    # pdfium keeps coordinates as floats; rounded to 1e-4 they are again the decimals the
    # content stream wrote (212.21, not 212.2100067), as pdfminer reads them, so that a gap
    # exactly on the space threshold (a quarter em) falls on the same side (the arithmetic of
    # ``int(v * 1e4 + (0.5 if v >= 0 else -0.5)) / 1e4``, in doubles)
    sides = boxes[:, ::2].T.astype(np.float64)
    rounded = np.trunc(sides * 1e4 + np.where(sides >= 0, 0.5, -0.5)) / 1e4
    x0s_all, x1s_all = rounded.tolist()
    made: dict[int, tuple[list[Any], int]] = {}
    suspects = _batch_suspects(asked, bounds, (rounded[0], top_array, size_array), sizes)
    for number, (page, (begin, end)) in enumerate(zip(asked, bounds, strict=True)):
        texts, indices, text_page = page.texts, page.indices, page.text_page
        x0s, page_tops, page_sizes = x0s_all[begin:end], tops[begin:end], sizes[begin:end]
        chars = make(texts, x0s, x1s_all[begin:end], page_tops, bottoms[begin:end],
                     page_sizes)
        suspect = suspects[number] if suspects is not None else _suspects(
            texts, x0s, page_tops, page_sizes,
            (rounded[0][begin:end], top_array[begin:end], size_array[begin:end]), page.codes)
        chars = _dedupe(chars, lambda k, tp=text_page, ix=indices: _font_name(tp, ix[k]),
                        suspect)
        made[id(page)] = (chars, page.unmapped)
    for page in pages:
        if page is None:
            out.append(([], 0))
        else:
            out.append(made.get(id(page), ([], page.unmapped)))
    return out


def page_chars_slowly(text_page: int, height: float, make: MakeChars = chars_of
               ) -> tuple[list[Any], int]:
    """:func:`page_chars` character by character, as it was first written: the reference
    the tests hold it to."""
    count = _count_chars(text_page)
    if count <= 0:
        return [], 0
    buf = (ctypes.c_ushort * (count + 1))()
    _get_text(text_page, 0, count, buf)
    codes = array("H", bytes(buf))
    # every character's loose box is written into one array (4 floats: left, top, right,
    # bottom), read back at once below
    boxes = np.empty((count, 4), dtype=np.float32)
    base = boxes.ctypes.data
    ox, oy = ctypes.c_double(), ctypes.c_double()
    pox, poy = ctypes.byref(ox), ctypes.byref(oy)
    descent = ctypes.c_float()
    pdescent = ctypes.byref(descent)
    matrix = raw.FS_MATRIX()
    pmatrix = ctypes.byref(matrix)
    # per text object (one font, size and matrix): the vertical extent of its glyph boxes
    # from the baseline and its glyphs' size, as pdfminer computes them; and, when its
    # baseline is horizontal (every glyph's origin at the same height), the boxes' top and
    # bottom on the page
    objects: dict[int, tuple[float, float, float, float | None, float]] = {}
    descents: dict[int | None, float] = {}
    texts: list[str] = []
    indices: list[int] = []
    # each character's (low, high, size, top, bottom): its text object's, or its own
    vertical: list[tuple[float, float, float, float | None, float]] = []
    unmapped = 0
    map_error, text_object, loose_box = _map_error, _text_object, _loose_box_at
    for i, text in _visible(codes, count):
        if map_error(text_page, i) == 1:
            unmapped += 1
            continue
        obj = text_object(text_page, i)
        known = objects.get(obj)
        if known is None:
            font = _text_font(obj) if obj else None
            ratio = descents.get(font)
            if ratio is None:
                ratio = descent.value if font and _font_descent(font, 1.0, pdescent) else 0.0
                descents[font] = ratio
            fontsize = _font_size(text_page, i)
            _char_matrix(text_page, i, pmatrix)
            low, high = ratio * fontsize * matrix.d, (ratio + 1) * fontsize * matrix.d
            low, high = (low, high) if low <= high else (high, low)
            top: float | None = None
            bottom = 0.0
            if matrix.b == 0 and obj:  # a horizontal baseline: every origin at height f
                top, bottom = height - (matrix.f + high), height - (matrix.f + low)
            known = (low, high, high - low, top, bottom)
            objects[obj] = known
        loose_box(text_page, i, base + 16 * i)
        if known[3] is None:
            low, high, size, _, _ = known
            _char_origin(text_page, i, pox, poy)
            known = (low, high, size, height - (oy.value + high), height - (oy.value + low))
        vertical.append(known)
        texts.append(text)
        indices.append(i)
    if not texts:
        return [], unmapped
    # pdfium keeps coordinates as floats; rounded to 1e-4 they are again the decimals the
    # content stream wrote (212.21, not 212.2100067), as pdfminer reads them, so that a gap
    # exactly on the space threshold (a quarter em) falls on the same side (the arithmetic of
    # ``int(v * 1e4 + (0.5 if v >= 0 else -0.5)) / 1e4``, in doubles)
    sides = boxes[indices][:, ::2].T.astype(np.float64)
    x0s, x1s = (np.trunc(sides * 1e4 + np.where(sides >= 0, 0.5, -0.5)) / 1e4).tolist()
    _, _, sizes, tops, bottoms = zip(*vertical, strict=True)
    chars = make(texts, x0s, x1s, tops, bottoms, sizes)
    chars = _dedupe(chars, lambda n: _font_name(text_page, indices[n]),
                    _suspects(texts, x0s, tops, sizes))
    return chars, unmapped


def open_document(data: bytes) -> pdfium.PdfDocument:
    try:
        return pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        password = getattr(exc, "err_code", None) == raw.FPDF_ERR_PASSWORD
        raise PdfOpenError(str(exc), password) from exc


class NeedsOracle(Exception):
    """A rotated page, or one whose boxes do not start at the origin: pdfplumber's
    coordinates are not the plain flip of pdfium's there; read the document with the oracle."""


def _plain_geometry(page: int, boxes: np.ndarray | None = None) -> bool:
    """Whether the page is upright and its media box starts at the origin (its crop box, if
    any, the same): pdfplumber's coordinates are then pdfium's flipped. ``boxes``: eight
    float32s to write the two boxes into (made here when not given)."""
    if _page_rotation(page):
        return False
    if boxes is None:
        boxes = np.zeros(8, dtype=np.float32)
    at = boxes.ctypes.data
    has_media = _media_box_at(page, at, at + 4, at + 8, at + 12)
    has_crop = _crop_box_at(page, at + 16, at + 20, at + 24, at + 28)
    media_box = boxes[:4].tolist()
    if has_media and media_box[:2] != [0.0, 0.0]:
        return False
    return not (has_crop and has_media and boxes[4:].tolist() != media_box)


def read_pages(doc: pdfium.PdfDocument, make: MakeChars = chars_of) -> Iterator[PageContent]:
    """Each page's characters (built by ``make(texts, x0s, x1s, tops, bottoms, sizes)``, see
    :func:`page_chars`) and edges, in page order. Pages are read ``_BATCH`` at a time (open
    together), their characters' arithmetic done once for the batch (:func:`_computed`)."""
    handle = ctypes.cast(doc.raw, _P).value
    reader = _SegmentReader()
    boxes = np.zeros(8, dtype=np.float32)  # the media and crop box of each page in turn
    total = len(doc)
    for start in range(0, total, _BATCH):
        opened: list[tuple[int, int]] = []  # (page, text page), closed in the end
        try:
            asked: list[_Asked | None] = []
            heights: list[float] = []
            for index in range(start, min(start + _BATCH, total)):
                page = _load_page(handle, index)
                if not page:
                    raise PdfOpenError(f"page {index + 1} cannot be loaded", password=False)
                opened.append((page, 0))
                if not _plain_geometry(page, boxes):
                    raise NeedsOracle(f"page {index + 1}")
                height = _page_height(page)
                text_page = _load_text(page)
                opened[-1] = (page, text_page)
                asked.append(_asked(text_page, height))
                heights.append(height)
            computed = _computed(asked, make)
            # the edges of the pages with characters: the paths of each page read in turn
            # (read slowly where their segments cannot be copied), the edges of all at once
            edges: list[list[Edge]] = [[] for _ in computed]
            paths: dict[int, _Paths] = {}
            for number, ((page, _), height, (chars, _)) in enumerate(
                    zip(opened, heights, computed, strict=True)):
                if chars:
                    read = _page_paths_of(page, height, reader)
                    if read is None:
                        edges[number] = page_edges_slowly(page, height, reader)
                    else:
                        paths[number] = read
            for number, found in zip(paths, _edges_of(list(paths.values())), strict=True):
                edges[number] = found
            contents = [PageContent(height, chars, unmapped, page_edges_)
                        for height, (chars, unmapped), page_edges_ in zip(
                            heights, computed, edges, strict=True)]
        finally:
            for page, text_page in opened:
                if text_page:
                    _close_text(text_page)
                _close_page(page)
        yield from contents
