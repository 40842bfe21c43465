"""Ingest with 1 and 2 jobs, cold and warm parse cache: prints figures, asserts nothing.

Two folders: the bundled documents (``data/raw`` + ``data/jiangsu``) and ``--copies`` copies
of the Chongqing texts (``data/raw/*.txt``, each copy with a distinct last line, so none is a
duplicate). Each run is ``python -m ingest`` in a child process; its CPU time includes the
worker processes. On a machine shared with other work, wall time says little about
parallelism: compare the CPU times too.
Usage: ``.venv/bin/python -m benchmarks.bench_jobs_cache --copies 100``.
"""

from __future__ import annotations

import argparse
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _ingest(docs: Path, out: Path, jobs: int, cache: Path | None) -> tuple[float, float, str]:
    command = [sys.executable, "-m", "ingest", "--docs", str(docs), "--out", str(out),
               "--report", str(out / "report.md"), "--quiet", "--jobs", str(jobs)]
    command += ["--cache", str(cache)] if cache else ["--no-cache"]
    cpu, started = _children_cpu(), time.perf_counter()
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=True)
    wall = time.perf_counter() - started
    summary = done.stderr.strip().splitlines()[-1]
    parsed = summary.split("; ")[-3]  # "<n> parsed, <m> from cache, ..."
    return wall, _children_cpu() - cpu, parsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--copies", type=int, default=100, help="copies of the 5 texts")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        bundled, texts = Path(tmp) / "bundled", Path(tmp) / "texts"
        for name in ("raw", "jiangsu"):
            shutil.copytree(ROOT / "data" / name, bundled / name)
        texts.mkdir()
        for copy in range(args.copies):
            for source in sorted((ROOT / "data" / "raw").glob("*.txt")):
                target = texts / f"{copy:04d}-{source.name}"
                target.write_bytes(source.read_bytes() + f"\n备注 {copy}\n".encode())
        print("| documents | jobs | cache | wall s | CPU s | parsed |")
        print("|---|---:|---|---:|---:|---|")
        for label, docs in (("bundled (data/raw + data/jiangsu)", bundled),
                            (f"{args.copies * 5} texts", texts)):
            outputs = []
            for jobs in (1, 2):
                cache = Path(tmp) / f"cache-{docs.name}-{jobs}"
                for state in ("none", "cold", "warm"):
                    out = Path(tmp) / f"out-{docs.name}-{jobs}-{state}"
                    wall, cpu, parsed = _ingest(docs, out, jobs, None if state == "none"
                                                else cache)
                    outputs.append({p.name: p.read_bytes() for p in out.glob("*.csv")})
                    print(f"| {label} | {jobs} | {state} | {wall:.2f} | {cpu:.2f} | {parsed} |",
                          flush=True)
            same = all(o == outputs[0] for o in outputs)
            print(f"| {label}: landed files identical in every run: {same} | | | | | |")


if __name__ == "__main__":
    main()
