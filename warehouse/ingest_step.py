"""Step b: ingest the documents into a private folder, then install them in seeds/landed.

Ingest writes to ``.build/run-<pid>/landed`` first; the landed suite validates that folder,
and only then are the CSVs moved into ``seeds/landed`` (the previous ones are kept aside and
put back if a later step fails, so seeds/landed always matches the published warehouse).
"""

from __future__ import annotations

import os
import shutil
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from warehouse.errors import BuildError, ExitCode
from warehouse.landed_load import Landing


@dataclass(frozen=True)
class IngestSummary:
    files: int
    statuses: dict[str, int]  # status → number of files
    rejected: tuple[tuple[str, str], ...]  # (source_file, reason)
    counts: dict[str, int]  # landed file → rows
    parsing: str = ""  # parsed / from cache / jobs (ingest.batch.IngestStats.describe)
    # where each document's rows are in the landed files (warehouse.landed_load): a build
    # brings a copy of the published warehouse's landed tables up to date with them
    landing: Landing | None = field(default=None, compare=False, repr=False)

    def describe(self) -> str:
        statuses = ", ".join(f"{n} {s}" for s, n in sorted(self.statuses.items()))
        rows = ", ".join(f"{k.removeprefix('landed_')} {v}" for k, v in self.counts.items())
        text = f"{self.files} files ({statuses or 'none'}); {rows}"
        return text + (f"; {self.parsing}" if self.parsing else "")


def ingest_documents(
    docs: Path,
    out: Path,
    report: Path,
    say: Callable[[str], None] | None = None,
    jobs: int | None = None,
    cache: bool = True,
) -> IngestSummary:
    """Land every document under ``docs`` into ``out`` and write the markdown ingest report.
    Documents are parsed by ``jobs`` processes (default: one per core); unchanged ones are
    read from the parse cache in ``.build/cache/ingest`` (see ``ingest.cache``; ``cache``
    False: every document is parsed, the cache neither read nor written)."""
    from ingest.batch import default_jobs, ingest_folder
    from ingest.cache import DEFAULT_CACHE
    from ingest.report import render_report
    from warehouse.paths import REPO_ROOT

    if not docs.is_dir():
        raise BuildError(
            ExitCode.INGEST, f"{docs}: no such folder; pass --docs <folder with documents>"
        )
    out.mkdir(parents=True, exist_ok=True)
    try:
        result = ingest_folder(
            docs,
            out,
            progress=say,
            jobs=jobs or default_jobs(),
            cache=REPO_ROOT / DEFAULT_CACHE if cache else None,
        )
    except (OSError, ValueError) as error:
        raise BuildError(ExitCode.INGEST, f"ingest of {docs} failed: {error}") from error
    report.parent.mkdir(parents=True, exist_ok=True)
    report.write_text(render_report(result), encoding="utf-8")
    statuses = Counter(f.status for f in result.files)
    return IngestSummary(
        files=len(result.files),
        statuses=dict(statuses),
        rejected=tuple((f.source_file, f.reason) for f in result.files if f.status == "rejected"),
        counts=dict(result.counts),
        parsing=result.stats.describe(),
        landing=Landing(result.spans, dict(result.counts)) if result.spans is not None else None,
    )


def check_strict(summary: IngestSummary, report: Path) -> None:
    """With --strict, a rejected file fails the batch; the error names each file and why."""
    if not summary.rejected:
        return
    lines = [f"--strict: {len(summary.rejected)} file(s) rejected, nothing was built:"]
    lines += [f"  {source}: {reason}" for source, reason in summary.rejected]
    lines.append(f"Fix or remove these files (details in {report}), or build without --strict.")
    raise BuildError(ExitCode.INGEST, "\n".join(lines))


def install_landed(new: Path, landed: Path, backup: Path) -> None:
    """Move the CSVs of ``new`` into ``landed``; keep the replaced ones in ``backup`` first
    (hard links: the landed files are only ever replaced, never written in place, so a link
    keeps the old bytes; copied where links cannot be made).

    Other files in ``landed`` (the seeds YAML, .gitkeep) are left alone; a CSV that the new
    set does not have is removed, so dbt never loads a stale seed."""
    backup.mkdir(parents=True, exist_ok=True)
    landed.mkdir(parents=True, exist_ok=True)
    for old in landed.glob("*.csv"):
        _keep(old, backup / old.name)
    new_names = {p.name for p in new.glob("*.csv")}
    for path in sorted(new.glob("*.csv")):
        os.replace(path, landed / path.name)
    for old in landed.glob("*.csv"):
        if old.name not in new_names:
            old.unlink()


def _keep(source: Path, target: Path) -> None:
    """``target`` holding the bytes ``source`` holds now: a hard link, else a copy."""
    target.unlink(missing_ok=True)
    try:
        os.link(source, target)
    except OSError:
        shutil.copy2(source, target)


def restore_landed(landed: Path, backup: Path, failed: Path) -> None:
    """Put the previous CSVs back; keep the failed build's CSVs in ``failed`` to inspect."""
    shutil.rmtree(failed, ignore_errors=True)
    failed.mkdir(parents=True, exist_ok=True)
    for path in landed.glob("*.csv"):
        os.replace(path, failed / path.name)
    for path in sorted(backup.glob("*.csv")):
        shutil.copy2(path, landed / path.name)
