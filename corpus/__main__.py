"""``python -m corpus generate|score`` (see ``python -m corpus --help``)."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from corpus.batch import generate_batch, isolation_plan
from corpus.score import format_score, observed_from_landed, observed_from_warehouse, score
from corpus.variants import DIMENSIONS, FAULTS, parse_families


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m corpus", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    gen = commands.add_parser("generate", help="write N documents and their truth")
    gen.add_argument("--out", type=Path, required=True,
                     help="batch folder: documents in OUT/docs, truth in OUT/_truth")
    gen.add_argument("--count", type=int, default=100)
    gen.add_argument("--seed", type=int, default=0)
    gen.add_argument("--family", action="append", default=[], metavar="DIM=VALUE[,VALUE]",
                     help="pin a dimension (repeatable); dimensions: " + ", ".join(DIMENSIONS))
    gen.add_argument("--faults", default="",
                     help="comma-separated faults to inject (opt-in): " + ", ".join(FAULTS))
    gen.add_argument("--isolation", type=int, default=0, metavar="K",
                     help="instead of --count: K documents per family value, one dimension "
                          "varied at a time over a known-good baseline (scores per family)")
    gen.add_argument("--fault-rate", type=float, default=0.2,
                     help="share of documents that get one of the faults (default 0.2)")
    sc = commands.add_parser("score", help="compare a warehouse (or landed CSVs) with the truth")
    sc.add_argument("--truth", type=Path, required=True, help="the batch folder (or its _truth)")
    source = sc.add_mutually_exclusive_group()
    source.add_argument("--warehouse", type=Path, help="a built warehouse.duckdb")
    source.add_argument("--landed", type=Path, default=Path("seeds/landed"),
                        help="landed CSV folder, when no warehouse is given (default seeds/landed)")
    sc.add_argument("--include-faulty", action="store_true")
    args = parser.parse_args(argv)
    if args.command == "generate":
        try:
            choose = parse_families(args.family)
            faults = tuple(f for f in args.faults.split(",") if f)
            started = time.perf_counter()
            plan = isolation_plan(args.isolation) if args.isolation else None
            summary = generate_batch(args.out, args.count, args.seed, choose, faults,
                                     args.fault_rate, plan=plan)
        except ValueError as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 2
        seconds = time.perf_counter() - started
        print(f"{summary.documents} documents ({summary.files} files, {summary.faulty} faulty, "
              f"{summary.size_bytes / 1e6:.1f} MB, {summary.figures} truth figures) in "
              f"{seconds:.2f} s → {summary.docs} (truth: {args.out / '_truth'})")
        return 0
    observed = (observed_from_warehouse(args.warehouse) if args.warehouse
                else observed_from_landed(args.landed))
    result = score(args.truth, observed, include_faulty=args.include_faulty)
    print(format_score(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
