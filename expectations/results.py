"""Validation outcomes and how they are shown: a short terminal table and a JSON summary."""

from __future__ import annotations

import json
import unicodedata
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

PASSED, FAILED, ERROR = "passed", "failed", "error"


@dataclass(frozen=True)
class Outcome:
    """What one expectation found."""

    suite: str
    check: str  # the TableCheck's name (the landed file or mart model, and a qualifier)
    expectation: str  # GX expectation type, e.g. expect_column_values_to_match_regex
    description: str
    critical: bool
    status: str  # 'passed' | 'failed' | 'error' (the data could not be read or checked)
    element_count: int | None
    unexpected_count: int | None
    samples: tuple[str, ...]  # a few failing rows, formatted 'column=value …'
    message: str = ""  # what went wrong when status is 'error'
    quarantine: bool = False  # a document check: its failure quarantines document_ids
    document_ids: tuple[str, ...] = ()  # the documents of the failing rows (sorted)

    @property
    def quarantines(self) -> bool:
        """A failed document check that named the documents to quarantine."""
        return self.quarantine and self.status == FAILED and bool(self.document_ids)

    @property
    def is_blocking(self) -> bool:
        return self.critical and self.status != PASSED and not self.quarantines


@dataclass(frozen=True)
class SuiteResult:
    suite: str
    outcomes: tuple[Outcome, ...]
    seconds: float
    docs_index: Path | None  # data docs HTML, None when they could not be built

    @property
    def critical_failures(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.is_blocking]

    @property
    def warnings(self) -> list[Outcome]:
        return [o for o in self.outcomes if not o.critical and o.status != PASSED]

    @property
    def quarantining(self) -> list[Outcome]:
        """Failed document checks (each names the documents it quarantines)."""
        return [o for o in self.outcomes if o.quarantines]

    @property
    def passed(self) -> bool:
        return not self.critical_failures

    def headline(self) -> str:
        ok = sum(o.status == PASSED for o in self.outcomes)
        return (
            f"{self.suite}: {ok}/{len(self.outcomes)} expectations passed, "
            f"{len(self.critical_failures)} critical failures, {len(self.warnings)} warnings"
        ) + (
            f", {len(self.quarantining)} document checks failed on "
            f"{len({d for o in self.quarantining for d in o.document_ids})} documents"
            if self.quarantining
            else ""
        )

    def failure_message(self, max_rows: int = 3) -> str:
        """Names the failing expectations and their failing rows (for the build's error)."""
        lines = [
            f"{self.suite} suite: {len(self.critical_failures)} critical expectation(s) failed"
        ]
        for o in self.critical_failures:
            count = "" if o.unexpected_count is None else f" ({o.unexpected_count} rows)"
            lines.append(
                f"  {o.check}: {o.description}{count}{' — ' + o.message if o.message else ''}"
            )
            lines.extend(f"      {sample}" for sample in o.samples[:max_rows])
        if self.docs_index:
            lines.append(f"  details: {self.docs_index}")
        return "\n".join(lines)

    def write_json(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        payload = {
            "suite": self.suite,
            "passed": self.passed,
            "seconds": round(self.seconds, 3),
            "outcomes": [asdict(o) for o in self.outcomes],
        }
        path.write_text(json.dumps(payload, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


def display_width(text: str) -> int:
    """Terminal columns taken by ``text`` (CJK characters take two)."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _clip(text: str, width: int) -> str:
    if display_width(text) <= width:
        return text
    out, used = [], 0
    for ch in text:
        w = display_width(ch)
        if used + w > width - 1:
            break
        out.append(ch)
        used += w
    return "".join(out) + "…"


def _pad(text: str, width: int) -> str:
    return text + " " * max(0, width - display_width(text))


def format_table(results: Sequence[SuiteResult], *, show_passed: bool = False) -> str:
    """The validation report: one row per expectation that did not pass (every expectation
    with ``show_passed``), then one headline per suite."""
    header = ("suite", "check", "expectation", "status", "unexpected", "sample of failing rows")
    rows: list[tuple[str, ...]] = []
    for result in results:
        for o in result.outcomes:
            if o.status == PASSED and not show_passed:
                continue
            status = (
                o.status if o.status == PASSED else f"{o.status}{'' if o.critical else ' (warn)'}"
            )
            sample = o.message if o.status == "error" else "; ".join(o.samples[:2])
            rows.append(
                (
                    o.suite,
                    _clip(o.check, 34),
                    _clip(o.description, 58),
                    status,
                    "" if o.unexpected_count is None else str(o.unexpected_count),
                    _clip(sample, 90),
                )
            )
    lines: list[str] = []
    if rows:
        widths = [max(display_width(r[i]) for r in (header, *rows)) for i in range(len(header))]
        lines.append("  ".join(_pad(h, w) for h, w in zip(header, widths, strict=True)).rstrip())
        lines.append("  ".join("-" * w for w in widths))
        lines.extend(
            "  ".join(_pad(c, w) for c, w in zip(r, widths, strict=True)).rstrip() for r in rows
        )
    lines.extend(result.headline() for result in results)
    return "\n".join(lines)
