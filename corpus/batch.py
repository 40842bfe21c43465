"""Batches of generated documents: files on disk with their truth, or bytes in memory.

``generate_batch`` writes ``DIR/docs/<nnnnn>.txt`` (and the extra files some faults need; pass
``DIR/docs`` to ingest) and the truth as CSV under ``DIR/_truth/``: ``documents.csv`` (one row per file: identity, the variant
of every dimension, faults) and ``figures.csv`` (one row per printed figure). Document *i* of
a seed is the same whatever the batch size, so a batch of 100 is the start of a batch of 1,000.
``generate_documents`` is the fast path for benchmarks (no truth, nothing written).
"""

from __future__ import annotations

import csv
import random
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, fields, replace
from pathlib import Path

from corpus.document import (
    ExecutionFigure,
    GeneratedDocument,
    TruthDocument,
    TruthFigure,
    build,
)
from corpus.reference import load
from corpus.variants import DIMENSIONS, FAULTS

TRUTH_DIR = "_truth"
DOCS_DIR = "docs"
DOCUMENT_COLUMNS = ("file", "unit_name", "division_code", "division_name", "division_level",
                    "fiscal_year", "doc_kind", "scope", "faults", "part_of", "slice", *DIMENSIONS)
# The dimensions today's known-good documents are pinned to when one family is tested alone
# (``isolation_plan``); every other dimension stays free (the default mix). A dimension whose
# every value the parser reads is drawn uniformly over all of them (more of the rare values than
# the default mix); one with a value it cannot read yet is pinned to the others.
_ALL = {name: tuple(v for v, _ in options) for name, options in DIMENSIONS.items()}
BASELINE: dict[str, tuple[str, ...]] = {
    "layout": ("tab",),  # text exports: most of their tables are not rebuilt yet
    "unit_style": _ALL["unit_style"],
    "title_form": _ALL["title_form"],
    "label_style": _ALL["label_style"],
    "money_unit": _ALL["money_unit"],  # drawn uniformly: 元 tables in most slices
    "level": _ALL["level"],
    "code_style": ("joined", "split", "spaced"),  # split_partial: 款 / 项 rows not read
    "expenditure_split": _ALL["expenditure_split"],  # three: budgets only (the generator)
}


@dataclass(frozen=True)
class Slice:
    """Documents generated to test one family: that value pinned, the baseline for the rest."""

    family: str  # 'dimension=value', or 'baseline'
    choose: dict[str, tuple[str, ...]]


def isolation_plan(per_family: int, exclude: Sequence[str] = ()) -> list[Slice]:
    """``per_family`` documents per family value, one dimension varied at a time (families in
    ``exclude``, as 'dimension=value', left out)."""
    plan = [Slice("baseline", dict(BASELINE))] * per_family
    for dimension, options in DIMENSIONS.items():
        for value, _ in options:
            if f"{dimension}={value}" in exclude:
                continue
            choose = {**BASELINE, dimension: (value,)}
            if (dimension, value) in (("prior_column", "yes"), ("expenditure_split", "three")):
                choose["kind"] = ("budget",)  # budgets only: a final account never has them
            if dimension in ("compiler_unit", "compiler_wrap"):  # with a compiler line only
                choose["compiler_line"] = tuple(v for v in _ALL["compiler_line"] if v != "none")
            plan += [Slice(f"{dimension}={value}", choose)] * per_family
    return plan
FIGURE_COLUMNS = tuple(f.name for f in fields(TruthFigure))
EXECUTION_COLUMNS = tuple(f.name for f in fields(ExecutionFigure))


@dataclass(frozen=True)
class BatchSummary:
    out: Path
    docs: Path  # the folder to ingest
    documents: int  # generated documents (a split or copied document counts once)
    files: int
    figures: int
    faulty: int
    size_bytes: int


def _faults_for(seed: int, index: int, faults: Sequence[str], rate: float) -> tuple[str, ...]:
    if not faults:
        return ()
    rng = random.Random(f"faults:{seed}:{index}")
    if rng.random() >= rate:
        return ()
    return (faults[rng.randrange(len(faults))],)


def check_faults(faults: Sequence[str]) -> tuple[str, ...]:
    unknown = [f for f in faults if f not in FAULTS]
    if unknown:
        raise ValueError(f"unknown fault {unknown[0]!r}; known faults: {', '.join(FAULTS)}")
    return tuple(faults)


def iter_documents(
    count: int, seed: int, choose: Mapping[str, Sequence[str]] | None = None,
    faults: Sequence[str] = (), fault_rate: float = 0.2, start: int = 0,
    plan: Sequence[Slice] | None = None,
) -> Iterator[GeneratedDocument]:
    """Documents ``start`` … ``start + count - 1``; with a ``plan``, document i follows plan[i]."""
    ref = load()
    faults = check_faults(faults)
    if plan is not None:
        count = len(plan) - start
    for index in range(start, start + count):
        pinned = plan[index].choose if plan is not None else choose
        doc = build(index, seed, ref, pinned, _faults_for(seed, index, faults, fault_rate))
        if plan is not None:
            doc.documents = [replace(d, slice=plan[index].family) for d in doc.documents]
        yield doc


def _files_of_range(args: tuple) -> list[tuple[str, bytes]]:
    start, count, seed, choose, faults, fault_rate = args
    return [f for doc in iter_documents(count, seed, choose, faults, fault_rate, start=start)
            for f in doc.files]


def generate_documents(
    count: int, seed: int = 0, choose: Mapping[str, Sequence[str]] | None = None,
    faults: Sequence[str] = (), fault_rate: float = 0.2, jobs: int = 1,
) -> list[tuple[str, bytes]]:
    """(file name, bytes) of ``count`` documents, in memory: the benchmarks' generator.

    ``jobs`` > 1 generates ranges of documents in worker processes; the result is the same
    (document i depends on the seed and i only)."""
    if jobs <= 1 or count < 200:
        return _files_of_range((0, count, seed, choose, faults, fault_rate))
    import multiprocessing

    step = -(-count // (jobs * 4))
    ranges = [(start, min(step, count - start), seed, choose, tuple(faults), fault_rate)
              for start in range(0, count, step)]
    with multiprocessing.get_context("fork").Pool(jobs) as pool:
        return [f for chunk in pool.map(_files_of_range, ranges) for f in chunk]


def _document_row(doc: TruthDocument) -> list[object]:
    return [doc.file, doc.unit_name, doc.division_code, doc.division_name, doc.division_level,
            doc.fiscal_year, doc.doc_kind, doc.scope, "|".join(doc.faults), doc.part_of,
            doc.slice, *(doc.families[d] for d in DIMENSIONS)]


def _figure_row(figure: TruthFigure) -> list[object]:
    return [int(v) if isinstance(v, bool) else v
            for v in (getattr(figure, name) for name in FIGURE_COLUMNS)]


def generate_batch(
    out: Path, count: int, seed: int = 0, choose: Mapping[str, Sequence[str]] | None = None,
    faults: Sequence[str] = (), fault_rate: float = 0.2, plan: Sequence[Slice] | None = None,
) -> BatchSummary:
    """Write ``count`` documents and their truth under ``out`` (created; existing files kept)."""
    docs = out / DOCS_DIR
    docs.mkdir(parents=True, exist_ok=True)
    truth = out / TRUTH_DIR
    truth.mkdir(exist_ok=True)
    files = figure_count = faulty = size = documents_made = 0
    with (truth / "documents.csv").open("w", encoding="utf-8", newline="") as documents, \
            (truth / "figures.csv").open("w", encoding="utf-8", newline="") as figures, \
            (truth / "budget_execution.csv").open("w", encoding="utf-8", newline="") as execution:
        doc_writer = csv.writer(documents, lineterminator="\n")
        fig_writer = csv.writer(figures, lineterminator="\n")
        execution_writer = csv.writer(execution, lineterminator="\n")
        doc_writer.writerow(DOCUMENT_COLUMNS)
        fig_writer.writerow(FIGURE_COLUMNS)
        execution_writer.writerow(EXECUTION_COLUMNS)
        for doc in iter_documents(count, seed, choose, faults, fault_rate, plan=plan):
            documents_made += 1
            for name, data in doc.files:
                (docs / name).write_bytes(data)
                files += 1
                size += len(data)
            doc_writer.writerows(_document_row(d) for d in doc.documents)
            fig_writer.writerows(_figure_row(f) for f in doc.figures)
            execution_writer.writerows([getattr(e, name) for name in EXECUTION_COLUMNS]
                                       for e in doc.execution)
            figure_count += len(doc.figures)
            faulty += bool(doc.documents[0].faults)
    return BatchSummary(out, docs, documents_made, files, figure_count, faulty, size)
