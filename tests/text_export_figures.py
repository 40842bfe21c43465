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
import re
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from ingest.normalise import normalise_text
from ingest.segment import segment
from ingest.tables import NUMBER, parse_table
from ingest.text_tables import rebuild_text_tables

HERE = Path(__file__).resolve().parent
EXPORTS = HERE / "data" / "text_exports"
EXPECTED = EXPORTS / "expected"
EXPORTERS = ("pdftotext_layout", "pdfplumber_layout", "pdftotext", "pdfplumber", "pypdfium2")
# the tables whose figures are compared: summary, function-code and economic-code tables
KINDS = frozenset({
    "income_expenditure_summary", "income_summary", "expenditure_summary",
    "fiscal_income_expenditure_summary", "general_budget_expenditure",
    "general_budget_basic_expenditure", "government_fund_expenditure",
    "state_capital_expenditure",
})

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


def figures_of_lines(lines: list[str]) -> dict[Key, str]:
    """Every figure of the compared tables: key → amount (as printed, without commas)."""
    segmented = segment(lines, "doc")
    seen: Counter[str] = Counter()
    out: dict[Key, str] = {}
    for block in segmented.blocks:
        kind = block.kind
        if kind == "unidentified" and block.lines:
            kind = _title_above(lines, block.lines[0].number)
        if kind not in KINDS and not kind.startswith("title:"):
            continue
        occurrence = seen[kind]
        seen[kind] += 1
        parsed = parse_table(block)
        texts = {line.number: [_compact(c) for c in line.text.split("\t")] for line in block.lines}
        numeric = {c.column_number for c in parsed.cells}
        for cell in parsed.cells:
            if cell.repeat_of_line or cell.unit == "%":
                continue
            cells = texts[cell.line_number]
            label_at = next(
                (i for i in range(cell.column_number - 1, -1, -1)
                 if cells[i] and not NUMBER.match(cells[i])), -1)
            # columns right of the label that never hold a figure are its merged cells
            start = label_at + 1
            while start < cell.column_number and start not in numeric:
                start += 1
            ordinal = cell.column_number - start
            label = "" if cell.code else _compact(cell.row_label)
            key = (kind, occurrence, cell.code, label, ordinal)
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

    @property
    def found_share(self) -> float:
        return self.found / self.expected if self.expected else 1.0


def compare(expected: dict[Key, str], got: dict[Key, str]) -> Comparison:
    """found: same key, same amount; wrong: a figure landed with another amount, or under a
    key (code, column) the reference does not have; missing: the rest of the reference."""
    def amounts(values: str) -> list[str]:
        return values.split("|") if values else []

    total = sum(len(amounts(v)) for v in expected.values())
    found = wrong = 0
    wrong_keys: list[tuple[Key, str, str]] = []
    for key, values in sorted(got.items()):
        want = amounts(expected.get(key, ""))
        for value in amounts(values):
            if value in want:
                found += 1
            else:
                wrong += 1
                wrong_keys.append((key, value, expected.get(key, "")))
    return Comparison(total, found, wrong, total - found, wrong_keys)


def load_expected(name: str) -> dict[Key, str]:
    with (EXPECTED / f"{name}.csv").open(encoding="utf-8", newline="") as handle:
        return {
            (row["kind"], int(row["occurrence"]), row["code"], row["label"], int(row["column"])):
            row["amount"]
            for row in csv.DictReader(handle)
        }


def write_expected(name: str, figures: dict[Key, str]) -> None:
    EXPECTED.mkdir(exist_ok=True)
    with (EXPECTED / f"{name}.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["kind", "occurrence", "code", "label", "column", "amount"])
        for key, amount in sorted(figures.items()):
            writer.writerow([*key, amount])


def documents() -> list[str]:
    return sorted(p.stem for p in EXPECTED.glob("*.csv"))


def comparison_for(exporter: str, name: str) -> Comparison:
    text = (EXPORTS / exporter / f"{name}.txt").read_text(encoding="utf-8")
    return compare(load_expected(name), figures_of_text(text))


def main() -> None:
    print(f"{'exporter':<18} {'document':<17} {'expected':>8} {'found':>6} {'wrong':>6} "
          f"{'missing':>7} {'found %':>7}")
    for exporter in EXPORTERS:
        for name in documents():
            c = comparison_for(exporter, name)
            print(f"{exporter:<18} {name:<17} {c.expected:>8} {c.found:>6} {c.wrong:>6} "
                  f"{c.missing:>7} {100 * c.found_share:>6.1f}%")
            if "-v" in sys.argv:
                for key, value, want in c.wrong_keys:
                    print("    wrong", key, value, "expected", want or "-")


if __name__ == "__main__":
    main()
