"""PDF reader speed: the pdfium reader against the pdfplumber one, per bundled PDF.

Prints, for every PDF under ``data/raw``, ``data/pdf`` and ``data/jiangsu``: its pages, the
CPU seconds each reader takes (best of ``--repeat`` runs, in one process after a warm-up read,
so import costs are left out; CPU time, not wall time, because the machine is shared and a
wall clock counts the other processes' turns too), seconds per page, the ratio old/new, and
the geometric mean of the ratios; for all PDFs together, CPU seconds per page and pages per
CPU second of each reader and their ratio (the issue's target: 15×). Asserts nothing. Usage: ``.venv/bin/python -m benchmarks.bench_pdf`` (or ``make bench``).
"""

from __future__ import annotations

import argparse
import contextlib
import math
import time
from collections.abc import Callable
from pathlib import Path

from ingest.read import DecodedText, UnreadableDocument
from ingest.read_pdf import read_pdf, read_pdf_pdfplumber

ROOT = Path(__file__).resolve().parent.parent
FOLDERS = ("raw", "pdf", "jiangsu")


def best_of(reader: Callable[[bytes, str], DecodedText], data: bytes, name: str,
            repeat: int) -> float:
    best = math.inf
    for _ in range(repeat):
        started = time.process_time()
        with contextlib.suppress(UnreadableDocument):  # refusing a PDF is timed too
            reader(data, name)
        best = min(best, time.process_time() - started)
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=3, help="runs per reader and PDF")
    args = parser.parse_args()
    pdfs = sorted(p for folder in FOLDERS for p in (ROOT / "data" / folder).glob("*.pdf"))
    if not pdfs:
        print("no PDFs under data/raw, data/pdf, data/jiangsu")
        return
    warm = pdfs[0].read_bytes()
    read_pdf(warm, pdfs[0].name)
    read_pdf_pdfplumber(warm, pdfs[0].name)
    import pypdfium2

    print(f"{'PDF':<48} {'pages':>5} {'old s':>7} {'new s':>7} {'old s/p':>8} "
          f"{'new s/p':>8} {'ratio':>6}")
    ratios: list[float] = []
    old_total = new_total = 0.0
    pages_total = 0
    for path in pdfs:
        data = path.read_bytes()
        pages = len(pypdfium2.PdfDocument(data))
        old = best_of(read_pdf_pdfplumber, data, path.name, args.repeat)
        new = best_of(read_pdf, data, path.name, args.repeat)
        ratio = old / new
        ratios.append(ratio)
        old_total, new_total, pages_total = old_total + old, new_total + new, pages_total + pages
        name = f"{path.parent.name}/{path.name}"
        print(f"{name[:48]:<48} {pages:>5} {old:>7.3f} {new:>7.3f} {old / pages:>8.4f} "
              f"{new / pages:>8.4f} {ratio:>5.1f}×", flush=True)
    geomean = math.exp(sum(math.log(r) for r in ratios) / len(ratios))
    print(f"{'all ' + str(len(pdfs)) + ' PDFs':<48} {pages_total:>5} {old_total:>7.3f} "
          f"{new_total:>7.3f} {old_total / pages_total:>8.4f} {new_total / pages_total:>8.4f} "
          f"{old_total / new_total:>5.1f}×")
    print(f"pages per CPU second: pdfplumber {pages_total / old_total:.1f}, pdfium "
          f"{pages_total / new_total:.1f}; per page {old_total / new_total:.1f}× faster "
          f"(target 15×)")
    print(f"geometric mean of the per-PDF ratios (per page): {geomean:.1f}× "
          f"(CPU seconds, best of {args.repeat} runs each)")


if __name__ == "__main__":
    main()
