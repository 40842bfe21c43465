"""Column labels of multi-row headers: each column's label is the printed path of the header
cells above it.

The 三公 tables of the Jiangsu template (data/jiangsu, README) print a header over three or
four ruled rows: “三公”经费 over 小计 | 因公出国（境）费 | 公务用车购置及运行维护费 (itself over
小计 | 公务用车购置费 | 公务用车运行维护费) | 公务接待费, and 合计, 会议费, 培训费 merged down
beside it (their text lower in the cell than the group's). Header texts wrap inside their
cells (因公出 / 国（境） / 费). Read from the real PDFs.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest

from ingest.normalise import normalise_text
from ingest.read_pdf import read_pdf
from ingest.segment import segment
from ingest.tables import ParsedTable, column_labels, parse_table

JIANGSU = Path(__file__).resolve().parents[2] / "data" / "jiangsu"
THREE = "“三公”经费"
VEHICLE = f"{THREE} | 公务用车购置及运行维护费"


@cache
def _three_public(name: str) -> ParsedTable:
    text = read_pdf((JIANGSU / name).read_bytes(), name).text
    (block,) = [b for b in segment(normalise_text(text), "doc").blocks if b.kind == "three_public"]
    return parse_table(block)


def _labels(parsed: ParsedTable) -> dict[str, str]:
    return {c.amount: c.column_label for c in parsed.cells}


@pytest.mark.parametrize(
    ("name", "figures"),
    [
        (
            "324795c7efce9893.pdf",  # 2017 budget (one file)
            {
                "2599.37": "合计",
                "670.12": f"{THREE} | 小计",
                "180.00": f"{THREE} | 因公出国（境）费",
                "185.72": f"{THREE} | 公务接待费",
                "228.00": "会议费",
                "1701.25": "培训费",
            },
        ),
        (
            "9bb83bc165f9437a.pdf",  # 2018 budget (one file)
            {
                "2558.26": "合计",
                "620.75": f"{THREE} | 小计",
                "170.00": f"{THREE} | 因公出国（境）费",
                "183.95": f"{THREE} | 公务接待费",
                "271.26": "会议费",
                "1666.25": "培训费",
            },
        ),
        (
            "7e5ac42ed95dae8c.pdf",  # 2019, already right: unchanged
            {
                "2382.02": "合计",
                "513.75": f"{THREE} | 小计",
                "160.00": f"{THREE} | 因公出国（境）费",
                "86.95": f"{THREE} | 公务接待费",
                "271.02": "会议费",
                "1597.25": "培训费",
            },
        ),
        (
            "600311282f84ff8d.pdf",  # the other unit's 2018 tables file
            {
                "1656.86": "合计",
                "675.10": f"{THREE} | 小计",
                "106.00": f"{THREE} | 因公出国（境）费",
                "412.50": f"{THREE} | 公务接待费",
                "884.16": "会议费",
                "97.60": "培训费",
            },
        ),
    ],
)
def test_three_public_labels_are_the_printed_header_path(name: str, figures: dict[str, str]):
    labels = _labels(_three_public(name))
    for amount, label in figures.items():
        assert labels[amount] == label, amount


@pytest.mark.parametrize("name", ["324795c7efce9893.pdf", "9bb83bc165f9437a.pdf"])
def test_the_vehicle_group_labels_its_own_columns(name: str) -> None:
    by_column = {c.column_number: c.column_label for c in _three_public(name).cells}
    assert by_column[3] == f"{VEHICLE} | 小计"  # the 小计 printed alone on the last header line
    assert by_column[5] == f"{VEHICLE} | 公务用车运行维护费"
    assert by_column[6] == f"{THREE} | 公务接待费"  # not under the vehicle group
    labels = [c.column_label for c in _three_public(name).cells]
    assert not [label for label in labels if "会议费" in label and THREE in label]


def test_a_cell_printed_over_its_span_ends_there() -> None:
    header = [
        ["", "三公", "三公", "三公", "", ""],
        ["合计", "小计", "车辆", "接待", "会议费", "培训费"],
    ]
    assert column_labels(header, 6) == [
        "合计",
        "三公 | 小计",
        "三公 | 车辆",
        "三公 | 接待",
        "会议费",
        "培训费",
    ]
    # without the repeat, an empty cell with a header below takes the group to its left
    header = [["", "三公", "", "", ""], ["合计", "小计", "车辆", "接待", ""]]
    assert column_labels(header, 5) == ["合计", "三公 | 小计", "三公 | 车辆", "三公 | 接待", ""]
