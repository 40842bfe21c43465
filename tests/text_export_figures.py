"""Figures of the code and summary tables of a text, and their comparison with a reference.

The reference is the same document read as a PDF (ruled tables): ``figures_of_text`` reads a
text through ``ingest.normalise`` → ``ingest.text_tables`` → ``ingest.segment`` →
``ingest.tables`` (no identification, so the tables-only Jiangsu files can be read too).
A figure's key is (table kind, which table of that kind, code, row label when the row has no
code, the figure's column counted from the row's label) and its value the amount printed.

``python tests/text_export_figures.py`` prints found / wrong / missing per exporter and
document.
"""

from __future__ import annotations

import csv
import json
import re
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from ingest.normalise import normalise_text
from ingest.segment import segment
from ingest.tables import CODE, NUMBER, parse_table
from ingest.text_tables import rebuild_text_tables

HERE = Path(__file__).resolve().parent
EXPORTS = HERE / "data" / "text_exports"
EXPECTED = EXPORTS / "expected"
EXPORTERS = ("pdftotext_layout", "pdfplumber_layout", "pdftotext", "pdfplumber", "pypdfium2")
# the tables whose figures are compared: summary, function-code and economic-code tables
# (the Jiangsu 财政拨款支出 / 财政拨款基本支出 / 机关运行经费 tables have kinds of their own)
KINDS = frozenset(
    {
        "income_expenditure_summary",
        "income_summary",
        "expenditure_summary",
        "fiscal_income_expenditure_summary",
        "general_budget_expenditure",
        "general_budget_basic_expenditure",
        "government_fund_expenditure",
        "state_capital_expenditure",
        "fiscal_expenditure",
        "fiscal_basic_expenditure",
        "operating_funds",
    }
)

Key = tuple[str, int, str, str, int]


def _compact(text: str) -> str:
    return re.sub(r"\s+", "", text)


_OTHER_TABLES = re.compile(r"三公|采购|绩效|资产|机关运行")


def _title_above(lines: list[str], first: int) -> str:
    """'title:<title>' for a block whose title the segmenter did not recognise: the nearest
    line ending in 表 among the six lines above its first row ('' when none)."""
    merged = re.match(r"^(.*?表)(?:部门|单位|编制单位)", _compact(lines[first - 1]))
    if merged:  # a PDF table whose first ruled row holds the title and the 单位 line
        return "" if _OTHER_TABLES.search(merged.group(1)) else f"title:{merged.group(1)}"
    for number in range(first - 1, max(first - 7, 0), -1):
        compact = _compact(lines[number - 1])
        if compact.endswith("表") and len(compact) <= 60 and "\t" not in lines[number - 1]:
            return "" if _OTHER_TABLES.search(compact) else f"title:{compact}"
    return ""


def _unlabelled_columns(cells: list, labels: list[str], numeric: set[int]) -> dict[int, int]:
    """A figure column without a header label, right of a labelled one it never shares a row
    with, is that column drawn with another cell width (the PDF reading of some ruled
    tables puts the bold class rows one cell to the right): column → the labelled column."""
    rows: dict[int, set[int]] = {}
    for cell in cells:
        rows.setdefault(cell.line_number, set()).add(cell.column_number)
    out: dict[int, int] = {}
    for column in sorted(numeric):
        if column < len(labels) and labels[column]:
            continue
        for other in (column - 1, column + 1):
            if (
                other in numeric
                and other < len(labels)
                and labels[other]
                and not any({column, other} <= used for used in rows.values())
            ):
                out[column] = other
                break
    return out


def figures_of_lines(lines: list[str]) -> dict[Key, str]:
    """Every figure of the compared tables: key → amount (as printed, without commas)."""
    segmented = segment(lines, "doc")
    seen: Counter[str] = Counter()
    out: dict[Key, str] = {}
    previous: tuple[str, int] | None = None
    for block in segmented.blocks:
        continued = False
        occurrence = 0
        if block.kind == "unidentified":
            kind = _title_above(lines, block.lines[0].number) if block.lines else ""
            coded = any(CODE.match(line.cells[0]) for line in block.lines if line.cells)
            if not kind and previous is not None and coded:
                kind, occurrence = previous  # a code table continued on the next page
                continued = True
        else:
            kind = block.kind
        if kind not in KINDS and not kind.startswith("title:"):
            previous = None
            continue
        if not continued:
            occurrence = seen[kind]
            seen[kind] += 1
        previous = (kind, occurrence)
        parsed = parse_table(block)
        texts = {line.number: [_compact(c) for c in line.text.split("\t")] for line in block.lines}
        labels = json.loads(parsed.table.column_labels)
        code_columns = {i for i, label in enumerate(labels) if re.search(r"编码|代码", label)}
        numeric = {c.column_number for c in parsed.cells if c.column_number not in code_columns}
        alias = _unlabelled_columns(parsed.cells, labels, numeric)
        numeric = {alias.get(c, c) for c in numeric}
        for cell in parsed.cells:
            if cell.repeat_of_line or cell.unit == "%" or cell.column_number in code_columns:
                continue  # a code read as an amount (under 功能科目代码) is not a figure
            cells = texts[cell.line_number]
            first = next((i for i, c in enumerate(cells) if c), -1)
            # the PDF reading sometimes takes a row's code for an amount (its code cell not
            # under the 代码 header cell): it is the row's code, not a figure
            lead = cells[first] if first >= 0 and CODE.match(cells[first]) else ""
            if lead and cell.column_number == first and not cell.code:
                continue
            code = cell.code or lead
            label_at = next(
                (
                    i
                    for i in range(cell.column_number - 1, -1, -1)
                    if cells[i] and (not NUMBER.match(cells[i]) or cells[i] == cell.code)
                ),
                -1,
            )
            # columns right of the label that never hold a figure are its merged cells
            column = alias.get(cell.column_number, cell.column_number)
            start = label_at + 1
            while start < column and start not in numeric:
                start += 1
            ordinal = column - start
            label = "" if code else _compact(cell.row_label)
            key = (kind, occurrence, code, label, ordinal)
            amount = f"{float(cell.amount):.2f}"
            if amount not in out.get(key, "").split("|"):  # a label printed twice in a table
                out[key] = f"{out[key]}|{amount}" if key in out else amount
    return out


def figures_of_text(text: str) -> dict[Key, str]:
    return figures_of_lines(rebuild_text_tables(normalise_text(text)).lines)


@dataclass
class Comparison:
    expected: int
    found: int
    wrong: int
    missing: int
    wrong_keys: list[tuple[Key, str, str]]
    extra: int = 0  # figures of rows the reference does not have (checked by hand)
    extra_keys: list[tuple[Key, str, str]] | None = None

    @property
    def found_share(self) -> float:
        return self.found / self.expected if self.expected else 1.0


def compare(expected: dict[Key, str], got: dict[Key, str]) -> Comparison:
    """found: same key, same amount; wrong: a figure of a row the reference has, landed with
    another amount or in another column; extra: a figure of a row the reference does not
    have (a row the PDF reading lost, or a misread code or label); missing: the rest of the
    reference."""

    def amounts(values: str) -> list[str]:
        return values.split("|") if values else []

    total = sum(len(amounts(v)) for v in expected.values())
    rows = {key[:4] for key in expected}
    found = 0
    wrong_keys: list[tuple[Key, str, str]] = []
    extra_keys: list[tuple[Key, str, str]] = []
    for key, values in sorted(got.items()):
        want = amounts(expected.get(key, ""))
        for value in amounts(values):
            if value in want:
                found += 1
            elif key[:4] in rows:
                wrong_keys.append((key, value, expected.get(key, "")))
            else:
                extra_keys.append((key, value, ""))
    return Comparison(
        total, found, len(wrong_keys), total - found, wrong_keys, len(extra_keys), extra_keys
    )


def load_expected(name: str) -> dict[Key, str]:
    """The reference figures of a document, with the hand corrections of
    ``expected/corrections.csv`` applied (cells the PDF reading put in the wrong column,
    each checked against the printed page)."""
    with (EXPECTED / f"{name}.csv").open(encoding="utf-8", newline="") as handle:
        out = {
            (
                row["kind"],
                int(row["occurrence"]),
                row["code"],
                row["label"],
                int(row["column"]),
            ): row["amount"]
            for row in csv.DictReader(handle)
        }
    with (EXPECTED / "corrections.csv").open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            if row["document"] != name:
                continue
            base = (row["kind"], int(row["occurrence"]), row["code"], row["label"])
            read = (*base, int(row["column_as_read"]))
            if out.get(read) != row["amount"]:
                raise ValueError(f"corrections.csv: {name} has no {read} = {row['amount']}")
            del out[read]
            out[(*base, int(row["column_on_page"]))] = row["amount"]
    return out


def write_expected(name: str, figures: dict[Key, str]) -> None:
    EXPECTED.mkdir(exist_ok=True)
    with (EXPECTED / f"{name}.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["kind", "occurrence", "code", "label", "column", "amount"])
        for key, amount in sorted(figures.items()):
            writer.writerow([*key, amount])


def documents() -> list[str]:
    return sorted(
        p.stem
        for p in EXPECTED.glob("*.csv")
        if p.stem not in ("corrections", "not_in_pdf_reading")
    )


def comparison_for(exporter: str, name: str) -> Comparison:
    text = (EXPORTS / exporter / f"{name}.txt").read_text(encoding="utf-8")
    return compare(load_expected(name), figures_of_text(text))


def main() -> None:
    print(
        f"{'exporter':<18} {'document':<17} {'expected':>8} {'found':>6} {'wrong':>6} "
        f"{'missing':>7} {'extra':>6} {'found %':>7}"
    )
    for exporter in EXPORTERS:
        for name in documents():
            c = comparison_for(exporter, name)
            print(
                f"{exporter:<18} {name:<17} {c.expected:>8} {c.found:>6} {c.wrong:>6} "
                f"{c.missing:>7} {c.extra:>6} {100 * c.found_share:>6.1f}%"
            )
            if "-v" in sys.argv:
                for key, value, want in c.wrong_keys:
                    print("    wrong", key, value, "expected", want or "-")
                for key, value, _ in c.extra_keys or []:
                    print("    extra", key, value)


if __name__ == "__main__":
    main()
