"""Ingest throughput on many documents: prints figures, asserts nothing.

Every bundled document is copied ``--copies`` times into a temporary folder (each copy gets a
distinct last line, so none is a byte-for-byte duplicate), then ``ingest_folder`` lands them all
in one process without a cache. With ``--generated N``, N generated text documents
(``python -m corpus generate --seed 1``) are ingested the same way. Each batch is ingested
``--repeat`` times (3) in the process; each run prints documents/s per core: documents over
the CPU seconds of this process (user + system: one process, so the other core's work is not
counted, though a shared host's neighbours still slow it) and over the wall-clock seconds; the
table holds the median run. Usage: ``.venv/bin/python -m benchmarks.bench_ingest --copies 40
--generated 1000`` (or ``make bench``).
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.sections import write_section
from ingest.divisions import DivisionIndex
from ingest.pipeline import ingest_folder

ROOT = Path(__file__).resolve().parent.parent


def _copies(sources: list[Path], copies: int, docs: Path) -> None:
    for copy in range(copies):
        for source in sources:
            target = docs / f"{copy:04d}-{source.name}"
            if source.suffix.lower() == ".pdf":
                shutil.copy2(source, target)  # PDFs: identical copies land as duplicates
            else:
                target.write_bytes(source.read_bytes() + f"\n备注 {copy}\n".encode())


def _generate(count: int, root: Path) -> Path:
    subprocess.run([sys.executable, "-m", "corpus", "generate", "--out", str(root),
                    "--count", str(count), "--seed", "1"], check=True, cwd=ROOT,
                   stdout=subprocess.DEVNULL)
    return root / "docs"


HEADING = "## Text ingest per core"
def run(label: str, docs: Path, out: Path, divisions: DivisionIndex, repeat: int = 3) -> str:
    """Ingest ``docs`` ``repeat`` times (one process, no cache, into a fresh folder under
    ``out`` each time), print the throughput of each run and return a table row of the median
    run. A shared host's speed varies from minute to minute by more than the changes measured
    here (seen: the same code 420 and 590 documents/s per core within ten minutes); the median
    of three is a figure one slow minute does not make, every run is shown beside it. The
    first run also pays for what a process does once (its heap's growth, first reads of the
    reference data)."""
    size = sum(p.stat().st_size for p in docs.iterdir())
    runs: list[tuple[float, float]] = []
    for attempt in range(repeat):
        cpu, wall = time.process_time(), time.perf_counter()
        result = ingest_folder(docs, out / f"run-{attempt + 1}", divisions)
        cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
        runs.append((cpu, wall))
        files = len(result.files)
        landed = sum(1 for f in result.files if f.status in ("landed", "partial"))
        rows = sum(result.counts[name] for name in ("landed_table_cells", "landed_prose_figures",
                                                      "landed_projects", "landed_indicators"))
        print(f"ingest {label}, run {attempt + 1} of {repeat}: {files} files ({landed} landed, "
              f"{files - landed} duplicates/rejected), {size / 1e6:.1f} MB, {rows} figures; "
              f"{cpu:.2f} s CPU, {wall:.2f} s wall (1 process, no cache) = "
              f"{files / cpu:.1f} documents/s per core ({files / wall:.1f} per wall-clock "
              f"second), {rows / cpu:,.0f} figures/s per core")
    cpu, wall = sorted(runs)[len(runs) // 2]
    each = ", ".join(f"{files / c:.0f}" for c, _ in runs)
    return (f"| {label} | {files} | {size / 1e6:.1f} | {rows} | {cpu:.2f} | {wall:.2f} | "
            f"**{files / cpu:.1f}** | {each} | {rows / cpu:,.0f} |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--docs", type=Path, default=ROOT / "data" / "raw")
    parser.add_argument("--copies", type=int, default=40)
    parser.add_argument("--text-only", action="store_true", help="leave the PDFs out")
    parser.add_argument("--generated", type=int, default=0,
                        help="also ingest this many generated text documents (seed 1)")
    parser.add_argument("--repeat", type=int, default=3,
                        help="times each batch is ingested (the table holds the median run)")
    parser.add_argument("--out", type=Path, help="Markdown file to write the section into")
    args = parser.parse_args()
    sources = sorted(p for p in args.docs.iterdir() if p.is_file())
    if args.text_only:
        sources = [p for p in sources if p.suffix.lower() != ".pdf"]
    divisions = DivisionIndex.load()
    with tempfile.TemporaryDirectory() as tmp:
        docs = Path(tmp) / "docs"
        docs.mkdir()
        _copies(sources, args.copies, docs)
        kind = "texts" if args.text_only else "documents"
        rows = [run(f"{args.copies} copies of the bundled {kind}", docs, Path(tmp) / "landed",
                    divisions, args.repeat)]
        if args.generated:
            generated = _generate(args.generated, Path(tmp) / "generated")
            rows.append(run(f"{args.generated} generated text documents", generated,
                            Path(tmp) / "generated-landed", divisions, args.repeat))
    if args.out is not None:
        section = "\n".join([
            HEADING, "",
            "`python -m benchmarks.bench_ingest` (one process, no parse cache; documents/s per "
            "core = documents over this process's CPU seconds; each batch ingested three times "
            "in the process, the median run in the row, every run's documents/s per core "
            "beside it). Target: 500.", "",
            "| batch | files | MB | figures | CPU s | wall s | documents/s per core | "
            "each run | figures/s per core |",
            "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
            *rows, "",
        ])
        write_section(args.out, HEADING, section)
        print(f"written to {args.out}")


if __name__ == "__main__":
    main()
