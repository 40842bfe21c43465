"""Golden files: the performance tables of every document of ``data/raw``, record by record.

``tests/golden/performance/<stem>.{projects,indicators,funds}.csv`` hold what the performance
tables (绩效目标表 / 绩效自评表) of a document yield: one row per project, indicator and
fund-source row, keyed by the text line (see ``tests/golden/performance/README.md``). This
module parses each document with :func:`ingest.document.parse_document` (identification,
segmentation and the performance parser, as the batch does) and compares, per file:

- **found**: a record at the golden row's line with every golden field equal;
- **wrong**: a record at that line with some field different (the diff names each field);
- **missing**: no record at that line;
- **extra**: a record at a line no golden row has.

A document without golden files prints no performance table: every record it yields is extra.
The ``*_wan`` columns are the printed amounts in 万元 (``amount_unit`` 元 divided by 10 000);
they are compared with the record's printed amount converted the same way. The test only reads
the files; ``tests/golden/tools/performance_rows.py`` writes them, for review.
"""

from __future__ import annotations

import csv
from dataclasses import asdict
from decimal import Decimal
from functools import cache
from pathlib import Path

import pytest

from ingest.divisions import DivisionIndex
from ingest.document import DocumentResult, parse_document
from ingest.records import IndicatorRecord, ProjectFundRecord, ProjectRecord, column_names

ROOT = Path(__file__).resolve().parents[2]
RAW = ROOT / "data" / "raw"
GOLDEN = ROOT / "tests" / "golden" / "performance"
PARTS: dict[str, type] = {
    "projects": ProjectRecord,
    "indicators": IndicatorRecord,
    "funds": ProjectFundRecord,
}
TO_WAN = {"万元": Decimal(1), "元": Decimal("0.0001")}
DOCUMENTS = sorted(p for p in RAW.iterdir() if p.suffix.lower() in (".txt", ".pdf"))
GOLDEN_COLUMNS = frozenset(
    column
    for path in GOLDEN.glob("*.csv")
    for column in path.read_text(encoding="utf-8").splitlines()[0].split(",")
)

Row = dict[str, str]


def golden_rows(stem: str, part: str) -> dict[int, Row]:
    """Line → golden row; no file: the document prints no such table."""
    path = GOLDEN / f"{stem}.{part}.csv"
    if not path.exists():
        return {}
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    by_line = {int(row["line"]): row for row in rows}
    assert len(by_line) == len(rows), f"{path.name}: two golden rows on one line"
    return by_line


def wan(value: str, unit: str) -> str:
    """A printed amount in 万元, as the golden file writes it ('' stays '')."""
    if not value:
        return ""
    return format((Decimal(value) * TO_WAN[unit]).normalize(), "f")


def record_row(record: object) -> Row:
    """A parsed record in the golden file's terms: its fields, and each amount in 万元."""
    values = {name: str(value) for name, value in asdict(record).items()}  # type: ignore[call-overload]
    values["line"] = values.pop("line_number")
    for name in list(values):
        if f"{name}_wan" in GOLDEN_COLUMNS:
            values[f"{name}_wan"] = wan(values[name], values["amount_unit"])
    return values


def records_of(result: DocumentResult, part: str) -> list[object]:
    return {
        "projects": result.projects,
        "indicators": result.indicators,
        "funds": result.project_funds,
    }[part]


def compare(golden: dict[int, Row], records: list[object]) -> tuple[int, list[str]]:
    """(found, problems): one readable line per wrong, missing or extra record."""
    parsed: dict[int, Row] = {}
    problems: list[str] = []
    for record in records:
        row = record_row(record)
        line = int(row["line"])
        if line in parsed:
            problems.append(f"line {line}: two records on one line")
        parsed[line] = row
    found = 0
    for line, expected in sorted(golden.items()):
        actual = parsed.get(line)
        if actual is None:
            problems.append(f"missing  line {line}: {_short(expected)}")
            continue
        diff = [
            f"{name}: golden {value!r}, parsed {actual.get(name, '<no field>')!r}"
            for name, value in expected.items()
            if actual.get(name) != value
        ]
        if diff:
            problems.append(f"wrong    line {line}: " + "; ".join(diff))
        else:
            found += 1
    for line in sorted(set(parsed) - set(golden)):
        problems.append(f"extra    line {line}: {_short(parsed[line])}")
    return found, problems


def _short(row: Row) -> str:
    name = row.get("indicator_name") or row.get("fund_label") or row.get("project_name", "")
    return f"{name!r} (project {row.get('project_name', '')!r})"


@cache
def parsed(path: Path) -> DocumentResult:
    """One document as the batch parses it (once per test session)."""
    return parse_document(path.read_bytes(), path.name, DivisionIndex.load())


@pytest.mark.parametrize("part", list(PARTS))
@pytest.mark.parametrize("path", DOCUMENTS, ids=lambda p: p.stem[:24])
def test_performance_records_match_the_golden_file(path: Path, part: str) -> None:
    golden = golden_rows(path.stem, part)
    found, problems = compare(golden, records_of(parsed(path), part))
    summary = (
        f"{path.stem}.{part}: {len(golden)} golden rows, {found} found, "
        f"{sum(p.startswith('wrong') for p in problems)} wrong, "
        f"{sum(p.startswith('missing') for p in problems)} missing, "
        f"{sum(p.startswith('extra') for p in problems)} extra"
    )
    assert not problems, summary + "\n" + "\n".join(problems)


def test_golden_files_name_documents_and_fields_that_exist() -> None:
    """A golden file of a document no longer in data/raw, or a column no record has, would
    compare nothing: both are errors, not silent passes."""
    stems = {p.stem for p in DOCUMENTS}
    files = sorted(GOLDEN.glob("*.csv"))
    assert files, f"no golden files in {GOLDEN}"
    for path in files:
        stem, part = path.name.removesuffix(".csv").rsplit(".", 1)
        assert stem in stems, f"{path.name}: no document {stem} in {RAW}"
        assert part in PARTS, f"{path.name}: part {part!r} is not one of {sorted(PARTS)}"
        header = path.read_text(encoding="utf-8").splitlines()[0].split(",")
        fields = {"line", *(f for f in column_names(PARTS[part]) if f != "line_number")}
        known = fields | {f"{f}_wan" for f in fields}
        assert set(header) <= known, f"{path.name}: unknown columns {set(header) - known}"
        assert {"line", "project_name"} <= set(header), f"{path.name}: no line / project_name"


def test_wan_columns_are_the_printed_amounts_converted() -> None:
    """The golden 万元 columns agree with the golden printed amounts and unit (a check of the
    files themselves: 682000.00 元 is 68.2 万元)."""
    checked = 0
    for path in GOLDEN.glob("*.csv"):
        with path.open(encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle):
                for column in [c for c in row if c.endswith("_wan")]:
                    printed = row[column.removesuffix("_wan")]
                    assert row[column] == wan(printed, row["amount_unit"]), (path.name, row["line"])
                    checked += bool(printed)
    assert checked > 0
