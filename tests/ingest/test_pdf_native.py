"""The pdfium reader's loops over characters and paths in C (ingest/native/pdfium_loops.c,
ingest/pdf_native.py) give the Python loops' characters and edges to the bit, are in use
wherever they can be built, and the reader falls back to the Python loops, correct, when the
library is absent or broken."""

from __future__ import annotations

import os
import shutil
import warnings
from collections.abc import Iterator
from pathlib import Path

import pytest
from pdf_bytes import pdf_file

from ingest import pdf_native
from ingest import pdf_pdfium as pdfium
from ingest.pdf_pdfium import open_document, page_chars_slowly, page_edges_slowly

DATA = Path(__file__).resolve().parents[2] / "data"
BUNDLED = sorted(p for folder in ("raw", "pdf", "jiangsu") for p in (DATA / folder).glob("*.pdf"))
# the glyph name of code 65 (A) is unknown: pdfium has no Unicode for it (an unmapped character)
_UNMAPPED_FONT = (b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding << /Type "
                  b"/Encoding /Differences [65 /g123zz] >> >>")


def _unmapped_pdf() -> bytes:
    """One page of two text objects, each with characters of no Unicode mapping (``A``)
    among mapped ones, the second one scaled."""
    ops = b"BT /F1 12 Tf 72 700 Td (AB CAD) Tj ET BT /F1 20 Tf 0.5 0 0 1 72 600 Tm (BAA) Tj ET"
    return pdf_file([b"<< /Type /Catalog /Pages 2 0 R >>",
                     b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
                     b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font"
                     b" << /F1 5 0 R >> >> /Contents 4 0 R >>",
                     b"<< /Length %d >>\nstream\n%s\nendstream" % (len(ops), ops),
                     _UNMAPPED_FONT])


def _read(data: bytes) -> list[tuple[float, str, int, str]]:
    """Every page as read_pages reads it: height, characters, unmapped count, edges (the
    floats to the bit, as repr shows them)."""
    doc = open_document(data)
    try:
        return [(page.height, repr(page.chars), page.unmapped, repr(page.edges))
                for page in pdfium.read_pages(doc)]
    finally:
        doc.close()


def _slowly(data: bytes) -> Iterator[tuple[float, str, int, str]]:
    """Every page read character by character (the reference the reader is held to)."""
    doc = open_document(data)
    handle = pdfium.ctypes.cast(doc.raw, pdfium._P).value
    try:
        for index in range(len(doc)):
            page = pdfium._load_page(handle, index)
            text_page = pdfium._load_text(page)
            try:
                height = pdfium._page_height(page)
                chars, unmapped = page_chars_slowly(text_page, height)
                edges = page_edges_slowly(page, height) if chars else []
                yield height, repr(chars), unmapped, repr(edges)
            finally:
                pdfium._close_text(text_page)
                pdfium._close_page(page)
    finally:
        doc.close()


@pytest.fixture
def native() -> pdf_native.NativeLoops:
    if pdfium._NATIVE is None:
        pytest.skip("the native loops are not built (make native)")
    return pdfium._NATIVE


def test_the_native_loop_is_in_use_where_a_compiler_is() -> None:
    # make's set-up builds the library wherever a C compiler is: a build that failed (or was
    # not loaded) must fail here, not fall back to the slower loop unnoticed
    compiler = os.environ.get("CC", "cc")
    if shutil.which(compiler) is None:
        pytest.skip(f"no C compiler ({compiler}): the reader keeps its Python loops")
    assert pdf_native.LIBRARY.is_file(), f"{pdf_native.LIBRARY} is not built: run make native"
    assert pdfium._NATIVE is not None, f"{pdf_native.LIBRARY} did not load: run make native"


@pytest.mark.parametrize("path", BUNDLED, ids=[p.name for p in BUNDLED])
def test_the_native_loop_reads_what_the_python_loop_reads(
        path: Path, native: pdf_native.NativeLoops, monkeypatch: pytest.MonkeyPatch) -> None:
    # every page of every bundled PDF: the same characters and edges, in order, to the bit
    data = path.read_bytes()
    by_native = _read(data)
    monkeypatch.setattr(pdfium, "_NATIVE", None)
    by_python = _read(data)
    assert len(by_native) >= 12
    assert by_native == by_python


def test_unmapped_characters_are_counted_and_dropped_by_both_loops(
        native: pdf_native.NativeLoops, monkeypatch: pytest.MonkeyPatch) -> None:
    data = _unmapped_pdf()
    expected = list(_slowly(data))
    assert [unmapped for _, _, unmapped, _ in expected] == [4]
    assert "'A'" not in expected[0][1] and expected[0][1].count("Char(") == 4
    assert _read(data) == expected
    monkeypatch.setattr(pdfium, "_NATIVE", None)
    assert _read(data) == expected


def test_without_the_library_the_python_loop_reads_the_same(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pdf_native, "LIBRARY", tmp_path / "libpdfium_loops.so")
    pdf_native.native_loops.cache_clear()
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error")  # not built is no warning
            absent = pdf_native.native_loops()
    finally:
        pdf_native.native_loops.cache_clear()
    assert absent is None
    monkeypatch.setattr(pdfium, "_NATIVE", absent)
    calls = {name: _counted(monkeypatch, name)
             for name in ("_char_answers", "_run_answers", "_path_matrices")}
    for data in (_unmapped_pdf(), BUNDLED[0].read_bytes()):
        assert _read(data) == list(_slowly(data))
    # every page with characters asked its characters, runs and paths in Python
    assert [len(made) > 12 for made in calls.values()] == [True, True, True]


def _counted(monkeypatch: pytest.MonkeyPatch, name: str) -> list[int]:
    """``pdf_pdfium.<name>`` replaced by itself counting its calls (one 1 per call)."""
    made: list[int] = []
    real = getattr(pdfium, name)

    def counting(*args: object) -> object:
        made.append(1)
        return real(*args)

    monkeypatch.setattr(pdfium, name, counting)
    return made


def test_a_library_that_cannot_be_loaded_gives_one_warning_and_the_python_loop(
        tmp_path: Path) -> None:
    broken = tmp_path / "libpdfium_loops.so"
    broken.write_bytes(b"not a shared library")
    with pytest.warns(RuntimeWarning, match="make native") as caught:
        assert pdf_native.load_native(broken) is None
    assert len(caught) == 1 and str(broken) in str(caught[0].message)
