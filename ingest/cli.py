"""``python -m ingest`` (also ``budget-warehouse ingest``): land a folder of disclosures as dbt
seeds. Exit codes are the warehouse's (:mod:`warehouse.errors`): 4 when ingest fails or, with
--strict, a file is rejected."""

from __future__ import annotations

import sys
import time
from pathlib import Path

import click

from ingest.cache import DEFAULT_CACHE
from ingest.pipeline import IngestResult, default_jobs, discover, ingest_folder
from ingest.records import LANDED_FILES
from ingest.report import render_report
from warehouse.errors import ExitCode, exit_codes_help
from warehouse.terminal import progress_bar

jobs_option = click.option(
    "--jobs",
    "-j",
    type=click.IntRange(min=1),
    default=None,
    help="Processes that parse documents (default: the machine's cores; 1: no extra "
    "process). What is landed and published is the same whatever the number.",
)


@click.command(context_settings={"help_option_names": ["-h", "--help"]}, epilog=exit_codes_help())
@click.option(
    "--docs",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("data/raw"),
    show_default=True,
    help="Folder of published documents (any file names; read recursively).",
)
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("seeds/landed"),
    show_default=True,
    help="Where the landed CSV seeds are written (atomically, one file per record kind).",
)
@click.option(
    "--report",
    type=click.Path(dir_okay=False, path_type=Path),
    default=Path("reports/ingest_report.md"),
    show_default=True,
    help="Markdown ingest report: one row per file with status and reason.",
)
@click.option("--strict", is_flag=True, help="Exit 4 when any file is rejected.")
@click.option("--quiet", "-q", is_flag=True, help="Only print the summary.")
@click.option(
    "--if-missing",
    is_flag=True,
    help="Do nothing when every landed file already exists under OUT (for tools that only "
    "need the seeds to exist, such as sqlfluff's dbt templater).",
)
@jobs_option
@click.option(
    "--cache",
    type=click.Path(file_okay=False, path_type=Path),
    default=DEFAULT_CACHE,
    show_default=True,
    help="Folder of parsed documents by content hash and parser version: an unchanged "
    "document is not parsed again.",
)
@click.option("--no-cache", is_flag=True, help="Parse every document; read and write no cache.")
def main(
    docs: Path,
    out: Path,
    report: Path,
    strict: bool,
    quiet: bool,
    if_missing: bool,
    jobs: int | None,
    cache: Path,
    no_cache: bool,
) -> None:
    """Read, identify and parse every document under DOCS and land the figures under OUT.

    On a terminal a progress bar counts the files; otherwise one line per file is printed
    (none with --quiet)."""
    if if_missing and all((out / f"{name}.csv").is_file() for name in LANDED_FILES):
        return
    started = time.perf_counter()
    try:
        total = len(discover(docs))
    except FileNotFoundError as exc:
        click.echo(f"ingest failed: {exc}", err=True)
        sys.exit(int(ExitCode.INGEST))
    with progress_bar(0 if quiet else total, "ingest") as advance:

        def progress(message: str) -> None:
            if advance is not None:
                advance(message.split("] ", 1)[-1].split(" → ", 1)[0].split(": rejected", 1)[0])
            elif not quiet:
                click.echo(message, err=True)

        try:
            result: IngestResult = ingest_folder(
                docs, out, progress=progress, jobs=jobs or default_jobs(),
                cache=None if no_cache else cache,
            )
        except (OSError, ValueError) as exc:
            click.echo(f"ingest failed: {exc}", err=True)
            sys.exit(int(ExitCode.INGEST))
    text = render_report(result)
    report.parent.mkdir(parents=True, exist_ok=True)
    report.write_text(text, encoding="utf-8")
    statuses: dict[str, int] = {}
    for record in result.files:
        statuses[record.status] = statuses.get(record.status, 0) + 1
    summary = ", ".join(f"{count} {status}" for status, count in sorted(statuses.items()))
    click.echo(
        f"ingest: {len(result.files)} files ({summary}); "
        + ", ".join(f"{name.removeprefix('landed_')} {n}" for name, n in result.counts.items())
        + f"; {result.stats.describe()}; {time.perf_counter() - started:.2f} s; report {report}",
        err=True,
    )
    if strict and result.rejected:
        names = "; ".join(f"{f.source_file}: {f.reason}" for f in result.rejected)
        click.echo(f"ingest --strict: {len(result.rejected)} file(s) rejected: {names}", err=True)
        sys.exit(int(ExitCode.INGEST))
