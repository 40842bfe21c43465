"""The golden-file row and its CSV form, shared by the tools that wrote the golden files.

These tools are a record of how ``tests/golden/*.csv`` were made (an independent reading of
the page: tab-separated lines of the Chongqing texts, ``pdftotext -layout`` of the PDFs),
not part of the test: the test reads the CSV files only.
"""

from __future__ import annotations

import csv
from dataclasses import asdict, dataclass, fields
from decimal import Decimal
from pathlib import Path

GOLDEN = Path(__file__).resolve().parents[1]


@dataclass(frozen=True)
class GoldenRow:
    table: str  # printed title ('' when the title was lost)
    label: str  # 附件 1 / 表一 / 公开01表 as printed, '' when none
    table_kind: str  # ingest.table_kinds kind
    page: str  # PDF page (1-based), '' for text
    line: str  # text line (1-based), '' for PDFs
    code: str  # classification code as printed (joined when split over columns)
    row_label: str  # as printed
    column: str  # printed header, top to bottom joined with ' | '
    measure: str
    fiscal_year: str
    amount: str  # decimal text as printed (thousands separators removed)
    unit: str  # 万元 | 元


COLUMNS = tuple(f.name for f in fields(GoldenRow))


def clean_amount(text: str) -> str:
    """'1,398.18' -> '1398.18'; raises on anything that is not a plain decimal."""
    value = text.strip().replace(",", "")
    Decimal(value)  # raises InvalidOperation
    return value


def write(stem: str, rows: list[GoldenRow]) -> Path:
    path = GOLDEN / f"{stem}.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=COLUMNS, lineterminator="\n")
        writer.writeheader()
        for row in rows:
            writer.writerow(asdict(row))
    return path


def read(path: Path) -> list[GoldenRow]:
    with path.open(encoding="utf-8", newline="") as handle:
        return [GoldenRow(**row) for row in csv.DictReader(handle)]
