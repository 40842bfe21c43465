"""PDF reader speed: the pdfium reader against the pdfplumber one, per bundled PDF and per page.

For every PDF under ``data/raw``, ``data/pdf`` and ``data/jiangsu``: its pages, the CPU seconds
each reader takes (best of ``--repeat`` runs, in one process after a warm-up read, so import
costs are left out; CPU time, not wall time, because the machine is shared and a wall clock
counts the other processes' turns too), pages per CPU second of each and the ratio; for all
PDFs together, pages per CPU second of each reader and their ratio (the issue's target: 15×)
and the geometric mean of the per-PDF ratios. Asserts nothing.

Usage: ``.venv/bin/python -m benchmarks.bench_pdf [--repeat 3] [--out BENCHMARKS.md]``; with
``--out`` the section (from its heading to the next ``## `` heading) is replaced in that
Markdown file, or appended. ``make bench`` adds the same section to ``BENCHMARKS.md`` through
:func:`section` (``benchmarks.bench_build``).
"""

from __future__ import annotations

import argparse
import contextlib
import math
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from benchmarks.sections import write_section
from ingest.read import DecodedText, UnreadableDocument
from ingest.read_pdf import read_pdf, read_pdf_pdfplumber

ROOT = Path(__file__).resolve().parent.parent
FOLDERS = ("raw", "pdf", "jiangsu")
HEADING = "## PDF reader per page: pdfium against pdfplumber"


@dataclass(frozen=True)
class PdfTiming:
    name: str
    pages: int
    old: float  # pdfplumber, CPU seconds (best of the runs)
    new: float  # pdfium

    @property
    def ratio(self) -> float:
        return self.old / self.new if self.new else math.inf


def best_of(reader: Callable[[bytes, str], DecodedText], data: bytes, name: str,
            repeat: int) -> float:
    best = math.inf
    for _ in range(repeat):
        started = time.process_time()
        with contextlib.suppress(UnreadableDocument):  # refusing a PDF is timed too
            reader(data, name)
        best = min(best, time.process_time() - started)
    return best


def bundled_pdfs(root: Path = ROOT) -> list[Path]:
    return sorted(p for folder in FOLDERS for p in (root / "data" / folder).glob("*.pdf"))


def measure(pdfs: list[Path], repeat: int = 3) -> list[PdfTiming]:
    """Both readers on each PDF, back to back (so that a change of the machine's load hits
    both), after a warm-up read of the first."""
    import pypdfium2

    if not pdfs:
        return []
    warm = pdfs[0].read_bytes()
    read_pdf(warm, pdfs[0].name)
    read_pdf_pdfplumber(warm, pdfs[0].name)
    out = []
    for path in pdfs:
        data = path.read_bytes()
        document = pypdfium2.PdfDocument(data)
        pages = len(document)
        document.close()
        old = best_of(read_pdf_pdfplumber, data, path.name, repeat)
        new = best_of(read_pdf, data, path.name, repeat)
        out.append(PdfTiming(f"{path.parent.name}/{path.name}", pages, old, new))
    return out


def section(timings: list[PdfTiming], repeat: int) -> str:
    """The Markdown section: one row per PDF, one for all, and the geometric mean."""
    if not timings:
        return f"{HEADING}\n\nNo PDFs under data/raw, data/pdf, data/jiangsu.\n"
    lines = [HEADING, "",
             f"`python -m benchmarks.bench_pdf`: CPU seconds per reader, best of {repeat} runs "
             "each, in one process after a warm-up read; pages per CPU second; ratio = "
             "pdfplumber seconds / pdfium seconds (per page: both read the same pages). "
             "Figures, never asserted.", "",
             "| PDF | pages | pdfplumber s | pdfium s | pdfplumber pages/s | pdfium pages/s "
             "| ratio |",
             "|---|---:|---:|---:|---:|---:|---:|"]
    for t in timings:
        lines.append(f"| {t.name} | {t.pages} | {t.old:.3f} | {t.new:.3f} | "
                     f"{t.pages / t.old:.1f} | {t.pages / t.new:.1f} | {t.ratio:.1f}× |")
    pages = sum(t.pages for t in timings)
    old = sum(t.old for t in timings)
    new = sum(t.new for t in timings)
    geomean = math.exp(sum(math.log(t.ratio) for t in timings) / len(timings))
    lines.append(f"| **all {len(timings)} PDFs** | {pages} | {old:.3f} | {new:.3f} | "
                 f"{pages / old:.1f} | {pages / new:.1f} | **{old / new:.1f}×** |")
    lines += ["", f"Per page the pdfium reader is **{old / new:.1f}×** faster than the pdfplumber "
              f"reader (target 15×): {new / pages * 1000:.2f} ms against "
              f"{old / pages * 1000:.2f} ms of CPU per page; geometric mean of the per-PDF "
              f"ratios {geomean:.1f}×."]
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=3, help="runs per reader and PDF")
    parser.add_argument("--out", type=Path, help="Markdown file to write the section into")
    args = parser.parse_args()
    text = section(measure(bundled_pdfs(), args.repeat), args.repeat)
    print(text, end="")
    if args.out is not None:
        write_section(args.out, HEADING, text)
        print(f"\nwritten to {args.out}")


if __name__ == "__main__":
    main()
