"""Write the performance golden files from the parser's output, for review.

``tests/golden/performance/<stem>.{projects,indicators,funds}.csv`` hold what the performance
tables (绩效目标表 / 绩效自评表) of each document of ``data/raw`` yield: one row per project,
indicator and fund-source row, keyed by the text line. Unlike the figure goldens these were
first written from the parser's output, then checked against the inline asserts they replaced
and against the document text (see ``tests/golden/performance/README.md``). A regenerated file
is a proposal: read its diff against the document text before committing it. The test
(``tests/ingest/test_performance_golden.py``) only reads the files; it never runs this.

Run: ``.venv/bin/python tests/golden/tools/performance_rows.py``.
"""

from __future__ import annotations

import csv
import sys
from dataclasses import asdict
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
sys.path.insert(0, str(ROOT))
from ingest.divisions import DivisionIndex  # noqa: E402
from ingest.document import DocumentRejected, parse_document  # noqa: E402
from ingest.records import (  # noqa: E402
    IndicatorRecord,
    ProjectFundRecord,
    ProjectRecord,
    column_names,
)

OUT = ROOT / "tests" / "golden" / "performance"
RAW = ROOT / "data" / "raw"
DROPPED = ("document_id", "table_id", "line_number")
MONEY = ("annual_budget", "fiscal_appropriation", "adjusted_budget", "executed")
FACTOR = {"万元": Decimal(1), "元": Decimal("0.0001")}


def wan(value: str, unit: str) -> str:
    """A printed amount in 万元: '682000.00' 元 → '68.2'; '' stays ''."""
    if not value:
        return ""
    return format((Decimal(value) * FACTOR[unit]).normalize(), "f")


def row(record: object) -> dict[str, str]:
    values = asdict(record)  # type: ignore[call-overload]
    out = {"line": str(values["line_number"])}
    for name, value in values.items():
        if name in DROPPED:
            continue
        out[name] = str(value)
        if name in MONEY:
            out[f"{name}_wan"] = wan(value, values["amount_unit"])
    return out


def columns(record_type: type) -> list[str]:
    """The golden file's header: line, the record's fields, each amount followed by its 万元."""
    out = ["line"]
    for name in column_names(record_type):
        if name not in DROPPED:
            out += [name, f"{name}_wan"] if name in MONEY else [name]
    return out


def write(path: Path, rows: list[dict[str, str]], columns: list[str]) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def main() -> None:
    divisions = DivisionIndex.load()
    OUT.mkdir(exist_ok=True)
    for path in sorted(RAW.iterdir()):
        if path.suffix.lower() not in (".txt", ".pdf"):
            continue
        try:
            result = parse_document(path.read_bytes(), path.name, divisions)
        except DocumentRejected as exc:
            print(f"{path.name}: rejected ({exc.reason})")
            continue
        parts = {
            "projects": (result.projects, ProjectRecord),
            "indicators": (result.indicators, IndicatorRecord),
            "funds": (result.project_funds, ProjectFundRecord),
        }
        if not any(records for records, _ in parts.values()):
            print(f"{path.name}: no performance records, no golden file")
            continue
        for part, (records, record_type) in parts.items():
            write(OUT / f"{path.stem}.{part}.csv", [row(r) for r in records], columns(record_type))
            print(f"{path.stem}.{part}.csv: {len(records)} rows")


if __name__ == "__main__":
    main()
