"""The fast reader's vectorised steps give what their plain Python statements give."""

from __future__ import annotations

import ctypes
import random
from collections.abc import Iterator
from itertools import accumulate, pairwise
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pytest
from pdf_bytes import pdf_file

from ingest import pdf_pdfium as pdfium
from ingest.pdf_pdfium import (
    _batch_suspects,
    _suspects,
    _suspects_slowly,
    open_document,
    page_chars,
    page_chars_slowly,
    page_edges,
    page_edges_slowly,
)

DATA = Path(__file__).resolve().parents[2] / "data"


def _page(rng: random.Random, n: int) -> tuple[list[str], list[float], list[float], list[float]]:
    texts = [rng.choice("0123456789元万合计") for _ in range(n)]
    x0s = [round(rng.uniform(50, 550), rng.choice((0, 1, 4))) for _ in range(n)]
    tops = [round(rng.uniform(50, 90), rng.choice((0, 1, 4))) for _ in range(n)]
    sizes = [rng.choice((9.0, 10.5, 12.0)) for _ in range(n)]
    for _ in range(rng.randrange(3)):  # a fake bold: a character printed again, shifted < 1 pt
        k = rng.randrange(n)
        texts.append(texts[k])
        x0s.append(x0s[k] + rng.choice((0.0, 0.3, 1.0, 1.5)))
        tops.append(tops[k] + rng.choice((0.0, 0.5, 1.0, 2.0)))
        sizes.append(sizes[k])
    return texts, x0s, tops, sizes


def test_suspects_are_the_groups_with_a_cluster() -> None:
    rng = random.Random(7)
    found = 0
    for _ in range(400):
        page = _page(rng, rng.randrange(1, 60))
        expected = _suspects_slowly(*page)
        assert _suspects(*page) == expected
        found += bool(expected)
    assert found > 50  # the comparison covered pages with doubled characters


def test_a_batch_of_pages_finds_each_pages_suspects() -> None:
    # several pages at once (read_pages' batches): each page's groups, as page by page
    rng = random.Random(11)
    found = 0
    for _ in range(150):
        pages = [_page(rng, rng.randrange(1, 40)) for _ in range(rng.randrange(1, 6))]
        if rng.random() < 0.3:  # the same line on every page (a running header)
            pages = [(["0"] * len(texts), x0s, [5.0] * len(texts), [9.0] * len(texts))
                     for texts, x0s, _, _ in pages]
        asked = [SimpleNamespace(texts=texts, codes=np.array([ord(t) for t in texts],
                                                             dtype=np.uint16))
                 for texts, _, _, _ in pages]
        ends = list(accumulate(len(texts) for texts, _, _, _ in pages))
        bounds = list(zip([0, *ends[:-1]], ends, strict=True))
        x0, top, size = (np.array([v for page in pages for v in page[k]], dtype=np.float64)
                         for k in (1, 2, 3))
        sizes = [v for page in pages for v in page[3]]
        expected = [_suspects(*page) for page in pages]
        assert _batch_suspects(asked, bounds, (x0, top, size), sizes) == expected  # type: ignore[arg-type]
        found += sum(map(bool, expected))
    assert found > 50


def test_no_suspect_on_a_page_without_doubles() -> None:
    texts, x0s = list("一二三四"), [10.0, 20.0, 30.0, 40.0]
    assert _suspects(texts, x0s, [5.0] * 4, [9.0] * 4) == set()
    assert _suspects(["一", "一"], [10.0, 10.5], [5.0, 5.8], [9.0, 9.0]) == {("一", 9.0)}


# --- the page's characters and edges against their first, step-by-step readings -----------

def _pages(data: bytes) -> Iterator[tuple[int, int, float]]:
    """(page, text page, height) of each page of the PDF, closed after use."""
    doc = open_document(data)
    try:
        handle = ctypes.cast(doc.raw, ctypes.c_void_p).value
        for index in range(len(doc)):
            page = pdfium._load_page(handle, index)
            text_page = pdfium._load_text(page)
            try:
                yield page, text_page, pdfium._page_height(page)
            finally:
                pdfium._close_text(text_page)
                pdfium._close_page(page)
    finally:
        doc.close()


BUNDLED = sorted(p for folder in ("raw", "pdf", "jiangsu") for p in (DATA / folder).glob("*.pdf"))


@pytest.mark.parametrize("path", BUNDLED, ids=[p.name for p in BUNDLED])
def test_columns_give_what_the_character_loop_gives(path: Path) -> None:
    # every page of every bundled PDF: the same characters (text, box, size, in order; the
    # floats to the bit, as repr shows them) and the same edges, in the same order
    pages = 0
    for page, text_page, height in _pages(path.read_bytes()):
        assert repr(page_chars(text_page, height)) == repr(page_chars_slowly(text_page, height))
        assert repr(page_edges(page, height)) == repr(page_edges_slowly(page, height))
        pages += 1
    assert pages >= 12


@pytest.mark.parametrize("path", BUNDLED, ids=[p.name for p in BUNDLED])
def test_pages_read_in_batches_give_what_each_page_gives(path: Path) -> None:
    # read_pages reads pages a batch at a time (characters and edges of several pages in
    # one computation): each page's characters and edges, as page by page, to the bit
    data = path.read_bytes()
    doc = open_document(data)
    try:
        batched = [(content.height, repr(content.chars), content.unmapped, repr(content.edges))
                   for content in pdfium.read_pages(doc)]
    finally:
        doc.close()
    single = []
    for page, text_page, height in _pages(data):
        chars, unmapped = page_chars_slowly(text_page, height)
        edges = page_edges_slowly(page, height) if chars else []
        single.append((height, repr(chars), unmapped, repr(edges)))
    assert batched == single


def _stream_pdf(ops: bytes) -> bytes:
    body = [b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>",
            b"<< /Length %d >>\nstream\n%s\nendstream" % (len(ops), ops)]
    return pdf_file(body)


def _random_paths(rng: random.Random) -> bytes:
    """Paths of every shape pdfplumber tells apart: rectangles, lines (flat, upright,
    slanted, drawn back to their start), polygons, several subpaths in one path, curves
    (``c``, ``v``, ``y``) among lines, closed and open, short and long, under a scaling or
    rotating ``cm``."""
    def point() -> bytes:
        x = rng.choice((rng.uniform(20, 570), float(rng.randrange(20, 570)), 100.0))
        y = rng.choice((rng.uniform(20, 820), float(rng.randrange(20, 820)), 400.0))
        return b"%.3f %.3f " % (x, y)

    ops = bytearray()
    for _ in range(rng.randrange(5, 40)):
        if rng.random() < 0.2:
            ops += b"q %s cm " % rng.choice((b"1 0 0 1 5 7", b"0.5 0 0 2 10 0", b"0 1 -1 0 600 0",
                                            b"1 0 0 -1 0 842"))
            ops += b"%s%s re S Q\n" % (point(), b"%.2f %.2f" % (rng.uniform(0.2, 90),
                                                                rng.uniform(0.2, 60)))
            continue
        for _ in range(rng.randrange(1, 4)):  # subpaths
            start = point()
            ops += start + b"m "
            x, y = map(float, start.split())
            for _ in range(rng.randrange(0, 6)):
                step = rng.choice(("h", "v", "slant", "curve_c", "curve_v", "curve_y", "back"))
                if step == "h":
                    x += rng.choice((0.5, 1.0, 30.0, -12.25))
                elif step == "v":
                    y += rng.choice((0.5, 1.0, 25.0, -8.5))
                elif step == "slant":
                    x, y = x + rng.uniform(-40, 40), y + rng.uniform(-40, 40)
                elif step == "back":
                    x, y = map(float, start.split())
                if step.startswith("curve"):
                    kind = step[-1].encode()
                    controls = {b"c": 2, b"v": 1, b"y": 1}[kind]
                    ops += b"".join(point() for _ in range(controls)) + point() + kind + b" "
                else:
                    ops += b"%.3f %.3f l " % (x, y)
            if rng.random() < 0.4:
                ops += b"h "
        ops += rng.choice((b"S\n", b"f\n", b"B\n", b"n\n"))
    return bytes(ops)


def test_edges_of_curves_and_subpaths_are_the_step_by_step_edges() -> None:
    # the bundled PDFs draw only rectangles and lines; curves, several subpaths in one path,
    # closed and open shapes are drawn here
    rng = random.Random(11)
    found = 0
    for _ in range(60):
        for page, _, height in _pages(_stream_pdf(_random_paths(rng))):
            edges = page_edges(page, height)
            assert repr(edges) == repr(page_edges_slowly(page, height))
            found += len(edges)
    assert found > 500


def _random_grid(rng: random.Random) -> list[tuple[float, float, float, float, float, float, str]]:
    """Rulings of one or two tables: a grid of rows and columns, each rule jittered within
    and beyond the snap tolerance, some cut in pieces with gaps below and above the join
    tolerance, some left out (merged cells, an open row), a few loose strokes."""
    edges = []
    for _ in range(rng.randrange(1, 3)):
        left, top = rng.uniform(20, 300), rng.uniform(20, 500)
        xs = [left]
        for _ in range(rng.randrange(1, 8)):
            xs.append(xs[-1] + rng.choice((0.8, 2.5, 30.0, rng.uniform(5, 90))))
        ys = [top]
        for _ in range(rng.randrange(1, 10)):
            ys.append(ys[-1] + rng.choice((1.5, 18.0, rng.uniform(4, 40))))

        def jitter() -> float:
            return rng.choice((0.0, 0.0, 0.4, -1.2, 2.9, 3.2))

        for y in ys:
            if rng.random() < 0.1:
                continue
            y += jitter()
            cuts = sorted(rng.sample(xs, k=min(len(xs), rng.randrange(2, 4))))
            for a, b in pairwise(cuts):
                a += rng.choice((0.0, 2.0, 3.5))
                if b - a >= 1:
                    edges.append((a, y, b, y, b - a, 0.0, "h"))
        for x in xs:
            if rng.random() < 0.1:
                continue
            x += jitter()
            cuts = sorted(rng.sample(ys, k=min(len(ys), rng.randrange(2, 4))))
            for a, b in pairwise(cuts):
                a += rng.choice((0.0, 2.0, 3.5))
                if b - a >= 1:
                    edges.append((x, a, x, b, 0.0, b - a, "v"))
    for _ in range(rng.randrange(3)):
        x, y = rng.uniform(0, 500), rng.uniform(0, 700)
        edges.append((x, y, x + 40, y, 40.0, 0.0, "h"))
    rng.shuffle(edges)
    return edges


def test_the_table_finder_finds_what_pdfplumber_finds() -> None:
    # ingest.pdf_tables against pdfplumber's own functions (lines strategy, default
    # settings) on random rulings: the same cells, grouped into the same tables
    from pdfplumber import table as plumber
    from pdfplumber.utils import filter_edges

    from ingest import pdf_tables

    fields = ("x0", "top", "x1", "bottom", "width", "height", "orientation")
    rng = random.Random(5)
    found = 0
    for _ in range(300):
        edges = _random_grid(rng)
        dicts = [{**dict(zip(fields, e, strict=True)), "object_type": "line"} for e in edges]
        merged = filter_edges(plumber.merge_edges(dicts, 3, 3, 3, 3), min_length=3)
        cells = plumber.intersections_to_cells(plumber.edges_to_intersections(merged, 3, 3))
        expected = sorted(sorted(t) for t in plumber.cells_to_tables(cells))
        ours = pdf_tables.merge_edges(pdf_tables.filter_edges(edges, None, 1))
        our_cells = pdf_tables.intersections_to_cells(pdf_tables.edges_to_intersections(
            pdf_tables.filter_edges(ours, None, 3)))
        assert sorted(our_cells) == sorted(cells)
        assert sorted(sorted(t) for t in pdf_tables.cells_to_tables(our_cells)) == expected
        found += len(cells)
    assert found > 300  # cells compared
