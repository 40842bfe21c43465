"""Quarantine: the documents a document check failed on, kept out of the marts.

A document check is a test a document's content can fail (a dbt test tagged
``document_check``, a great-expectations expectation with ``quarantine=True``); every other
test is an invariant of the code and still fails the build. The build collects the failing
documents here and passes them to dbt as the var ``quarantine`` (``as_var``): staging leaves
their rows out, ``audit_ingest`` shows them with status ``quarantined``, their landed rows stay
in ``raw``. The set only grows and is sorted, so the same documents give the same quarantine.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from expectations.results import SuiteResult
from warehouse.dbt_step import DbtSummary, failing_documents

MAX_DETAIL = 600  # characters of sample rows kept per document


@dataclass
class QuarantinedDocument:
    document_id: str
    checks: dict[str, int] = field(default_factory=dict)  # check → failing rows
    samples: list[str] = field(default_factory=list)
    pointers: set[str] = field(default_factory=set)  # where all the failing rows are

    def as_var(self) -> dict[str, object]:
        detail = " | ".join(self.samples)
        if len(detail) > MAX_DETAIL:
            detail = detail[: MAX_DETAIL - 1] + "…"
        if self.pointers:
            detail += f" (all failing rows: {', '.join(sorted(self.pointers))})"
        return {
            "document_id": self.document_id,
            "checks": "; ".join(sorted(self.checks)),
            "failing_rows": sum(self.checks.values()),
            "detail": detail,
        }


@dataclass
class Quarantine:
    documents: dict[str, QuarantinedDocument] = field(default_factory=dict)

    def __len__(self) -> int:
        return len(self.documents)

    def __bool__(self) -> bool:
        return bool(self.documents)

    def _entry(self, document_id: str) -> tuple[QuarantinedDocument, bool]:
        new = document_id not in self.documents
        if new:
            self.documents[document_id] = QuarantinedDocument(document_id)
        return self.documents[document_id], new

    def add_outcomes(self, result: SuiteResult) -> int:
        """Quarantine the documents of the suite's failed document checks; returns how many
        documents are new."""
        added = 0
        for outcome in result.quarantining:
            check = f"{result.suite}: {outcome.check}: {outcome.description}"
            for document_id in outcome.document_ids:
                entry, new = self._entry(document_id)
                added += new
                entry.checks[check] = entry.checks.get(check, 0) + 1
                entry.samples.extend(
                    s for s in outcome.samples if f"document_id={document_id}" in s
                )
                entry.pointers.add(f"reports/gx/{result.suite}.json")
        return added

    def add_dbt(self, summary: DbtSummary | None, database: Path) -> int:
        """Quarantine the documents of the failing rows of failed dbt document checks (read
        from the rows dbt stored in ``database``); returns how many documents are new."""
        if summary is None or not summary.document_failures:
            return 0
        added = 0
        with duckdb.connect(str(database), read_only=True) as con:
            for failure in sorted(summary.document_failures, key=lambda f: f.test):
                for document_id, (rows, samples) in failing_documents(con, failure).items():
                    entry, new = self._entry(document_id)
                    added += new
                    check = f"dbt: {failure.test}"
                    entry.checks[check] = entry.checks.get(check, 0) + rows
                    entry.samples.extend(samples)
                    entry.pointers.add(f"dbt test {failure.test} (store_failures)")
        return added

    def as_var(self) -> list[dict[str, object]]:
        return [self.documents[d].as_var() for d in sorted(self.documents)]

    def describe(self) -> str:
        return ", ".join(
            f"{d} ({'; '.join(sorted(self.documents[d].checks))})" for d in sorted(self.documents)
        )
