"""Ingest throughput on many documents: prints figures, asserts nothing.

Every bundled document is copied ``--copies`` times into a temporary folder (each copy gets a
distinct last line, so none is a byte-for-byte duplicate), then ``ingest_folder`` lands them all.
Usage: ``.venv/bin/python -m benchmarks.bench_ingest --copies 40`` (or ``make bench``).
"""

from __future__ import annotations

import argparse
import shutil
import tempfile
import time
from pathlib import Path

from ingest.divisions import DivisionIndex
from ingest.pipeline import ingest_folder

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--docs", type=Path, default=ROOT / "data" / "raw")
    parser.add_argument("--copies", type=int, default=40)
    parser.add_argument("--text-only", action="store_true", help="leave the PDFs out")
    args = parser.parse_args()
    sources = sorted(p for p in args.docs.iterdir() if p.is_file())
    if args.text_only:
        sources = [p for p in sources if p.suffix.lower() != ".pdf"]
    with tempfile.TemporaryDirectory() as tmp:
        docs, out = Path(tmp) / "docs", Path(tmp) / "landed"
        docs.mkdir()
        for copy in range(args.copies):
            for source in sources:
                target = docs / f"{copy:04d}-{source.name}"
                if source.suffix.lower() == ".pdf":
                    shutil.copy2(source, target)  # PDFs: identical copies land as duplicates
                else:
                    target.write_bytes(source.read_bytes() + f"\n备注 {copy}\n".encode())
        size = sum(p.stat().st_size for p in docs.iterdir())
        divisions = DivisionIndex.load()
        started = time.perf_counter()
        result = ingest_folder(docs, out, divisions)
        seconds = time.perf_counter() - started
    files = len(result.files)
    landed = sum(1 for f in result.files if f.status in ("landed", "partial"))
    rows = sum(result.counts[name] for name in ("landed_table_cells", "landed_prose_figures",
                                                  "landed_projects", "landed_indicators"))
    print(f"ingest: {files} files ({landed} landed, {files - landed} duplicates/rejected), "
          f"{size / 1e6:.1f} MB in {seconds:.2f} s = {files / seconds:.1f} files/s, "
          f"{rows} figures = {rows / seconds:,.0f} figures/s (1 process)")


if __name__ == "__main__":
    main()
