"""Golden rows of the Jiangsu court documents (narrative and tables in one file), read from
``pdftotext -layout`` (poppler-utils) line by line.

pdfplumber's cells are unreliable on these pages (rows dropped at page breaks, class amounts
in a column of their own), so the layout text is the reading here. A section runs from its
printed title to the next title; what is read from it depends on its kind:
- ``coded``: one amount column (金额): lines ``code name amount`` and ``合计 amount``;
- ``totals``: 支出预算总表, one row of amounts under 合计 / 基本支出 / 项目支出 / 单位预留机动经费
  (结转下年资金 printed blank);
- ``two_lanes``: 财政拨款收支预算总表, ``label amount`` on the 收入 side and on the 支出用途
  side; a number belongs to the label printed before it on its line.
The 收支预算总表 (three lanes, labels wrapped over lines, the 当年支出小计 amount printed under
the 支出用途 column with its label under 功能分类) and the 收入预算总表 (two label levels) are
written by hand below (``HAND``) from the layout text and the rendered pages. Pages are counted by form feeds. Cross-check: every decimal number printed in a
covered section is used exactly once. Run: ``.venv/bin/python tests/golden/tools/layout_tables.py``.
"""

from __future__ import annotations

import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from golden_csv import GoldenRow, clean_amount, write

ROOT = Path(__file__).resolve().parents[3]
NUMBER = re.compile(r"-?\d{1,3}(?:,\d{3})*\.\d+|-?\d+\.\d+")
CODED = re.compile(r"^\s*(\d{3}(?:\d{2}){0,2})\s+(?:(\S.*?)\s+)?(" + NUMBER.pattern + r")\s*$")
END = re.compile(r"(三公|机关运行经费|政府性基金).*表\s*$")  # the table after the last covered one
TOTAL = re.compile(r"^\s*(合\s*计)\s+(" + NUMBER.pattern + r")\s*$")
SEGMENT = re.compile(r"\S+(?: \S+)*")


@dataclass(frozen=True)
class Section:
    title: str  # printed title without its ordinal (一、 / 公开 01 表)
    label: str  # the ordinal or 公开NN表 as printed
    kind: str
    reading: str  # coded | totals | two_lanes


def sections_of(lines: list[str], wanted: list[Section]) -> dict[Section, tuple[int, int]]:
    starts = []
    for section in wanted:
        key = re.sub(r"\s+", "", section.title)
        for index, line in enumerate(lines):
            compact = re.sub(r"\s+", "", line)
            if compact.endswith(key) and not compact.endswith("基本" + key) and index > 40:
                if section.title.endswith("支出预算表") and "基本" in compact and "基本" not in key:
                    continue
                starts.append((index, section))
                break
        else:
            raise SystemExit(f"title not found: {section.title}")
    starts.sort(key=lambda item: item[0])
    bounds = {}
    for (index, section), following in zip(starts, [*starts[1:], (len(lines), None)], strict=True):
        end = next(
            (i for i in range(index + 1, following[0]) if END.search(lines[i])), following[0]
        )
        bounds[section] = (index + 1, end)
    return bounds


def read(stem: str, year: str, wanted: list[Section]) -> list[GoldenRow]:
    text = subprocess.run(
        ["pdftotext", "-layout", str(ROOT / "data/jiangsu" / f"{stem}.pdf"), "-"],
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    lines, pages = [], []
    for page_number, page in enumerate(text.split("\f"), 1):
        for line in page.split("\n"):
            lines.append(line)
            pages.append(page_number)
    rows: list[GoldenRow] = []

    def add(
        section: Section, index: int, code: str, label: str, column: str, measure: str, amount: str
    ) -> None:
        rows.append(GoldenRow(
            table=section.title, label=section.label, table_kind=section.kind,
            page=str(pages[index]), line="", code=code, row_label=label, column=column,
            measure=measure, fiscal_year=year, amount=clean_amount(amount), unit="万元",
        ))  # fmt: skip

    for section, (first, last) in sections_of(lines, wanted).items():
        printed = used = 0
        for index in range(first, last):
            line = lines[index]
            numbers = NUMBER.findall(line)
            printed += len(numbers)
            if not numbers:
                continue
            if section.reading == "coded":
                if match := CODED.match(line):
                    add(
                        section,
                        index,
                        match[1],
                        (match[2] or "").strip(),
                        "金额",
                        "total",
                        match[3],
                    )
                    used += 1
                elif match := TOTAL.match(line):
                    add(section, index, "", "合计", "金额", "total", match[2])
                    used += 1
                else:
                    print(f"   {stem} p{pages[index]} unread: {line.strip()}")
            elif section.reading == "totals":
                headers = (("合计", "total"), ("基本支出", "basic"), ("项目支出", "project"),
                           ("单位预留机动经费", "reserve"))  # fmt: skip
                if len(numbers) != 4:
                    print(f"   {stem} p{pages[index]} not 4 amounts: {line.strip()}")
                    continue
                for (header, measure), number in zip(headers, numbers, strict=True):
                    add(section, index, "", "", header, measure, number)
                    used += 1
            else:  # two_lanes
                segments = [m.group(0) for m in SEGMENT.finditer(line)]
                label_seen = ""
                side = 0
                for segment in segments:
                    if NUMBER.fullmatch(segment):
                        column = "收入 | 金额" if side == 1 else "支出 | 支出用途 | 金额"
                        add(
                            section,
                            index,
                            "",
                            label_seen,
                            column,
                            "income" if side == 1 else "total",
                            segment,
                        )
                        used += 1
                    else:
                        label_seen = segment
                        side += 1
                        if side == 1 and segments.index(segment) == 0 and line.index(segment) > 30:
                            side = 2  # a line holding only the 支出 side
        if printed != used:
            print(f"   CROSS-CHECK {stem} {section.title}: {printed} numbers printed, {used} read")
    return rows


def court(
    year: str, prefix: str, labels: tuple[str, ...], titles: tuple[str, ...]
) -> list[Section]:
    kinds = (
        ("expenditure_summary", "totals"), ("fiscal_income_expenditure_summary", "two_lanes"),
        ("fiscal_expenditure", "coded"), ("fiscal_basic_expenditure", "coded"),
        ("general_budget_expenditure", "coded"), ("general_budget_basic_expenditure", "coded"),
    )  # fmt: skip
    return [
        Section(prefix + title, label, kind, reading)
        for title, label, (kind, reading) in zip(titles, labels, kinds, strict=True)
    ]


PLAIN = ("支出预算总表", "财政拨款收支预算总表", "财政拨款支出预算表", "财政拨款基本支出预算表",
         "一般公共预算支出预算表", "一般公共预算基本支出预算表")  # fmt: skip
SCHEME = ("支出预算总表", "财政拨款收支预算总表", "财政拨款支出预算表（功能科目）",
          "财政拨款基本支出预算表（经济科目）", "一般公共预算支出预算表（功能科目）",
          "一般公共预算基本支出预算表（经济科目）")  # fmt: skip
DOCUMENTS = {
    "324795c7efce9893": ("2017", court("2017", "2017 年度江苏省高级人民法院部门",
                                       ("三、", "四、", "五、", "六、", "八、", "九、"), PLAIN)),
    "9bb83bc165f9437a": ("2018", court("2018", "2018 年度江苏省高级人民法院",
                                       ("三、", "四、", "五、", "六、", "七、", "八、"), PLAIN)),
    "7e5ac42ed95dae8c": ("2019", court("2019", "", tuple(f"公开0{i}表" for i in (3, 4, 5, 6, 7, 8)),
                                       SCHEME)),
}  # fmt: skip


IN, FN, USE = "收入 | 金额", "支出 | 功能分类 | 金额", "支出 | 支出用途 | 金额"


def summary_rows(title: str, label: str, year: str, pages: tuple[str, str], amounts: dict) -> list:
    """The 收支预算总表 rows of one court file: (page, row label, column, amount)."""
    first, second = pages
    a = amounts
    spec = [
        (first, "一、财政拨款", IN, a["income"]), (first, "1.一般公共预算", IN, a["income"]),
        (first, "一、基本支出", USE, a["basic"]), (first, "二、项目支出", USE, a["project"]),
        (first, "三、单位预留机动经费", USE, a["reserve"]),
        (a["p_public_security"], "四、公共安全支出", FN, a["204"]),
        (a["p_social"], "八、社会保障和就业支出", FN, a["208"]),
        (a["p_housing"], "十八、住房保障支出", FN, a["221"]),
        (second, "当年收入小计", IN, a["income"]), (second, "当年支出小计", USE, a["income"]),
        (second, "收入合计", IN, a["income"]), (second, "支出合计", USE, a["income"]),
    ]  # fmt: skip
    return [
        GoldenRow(title, label, "income_expenditure_summary", page, "", "", row_label, column,
                  "income" if column == IN else "total", year, clean_amount(amount), "万元")
        for page, row_label, column, amount in spec
    ]  # fmt: skip


def income_rows(title: str, label: str, year: str, page: str, total: str, grant: str) -> list:
    spec = (("收入总计", total), ("小计", total), (grant, total))
    return [
        GoldenRow(title, label, "income_summary", page, "", "", row_label, "金额", "income", year,
                  clean_amount(amount), "万元")
        for row_label, amount in spec
    ]  # fmt: skip


HAND = {
    "324795c7efce9893": summary_rows(
        "2017 年度江苏省高级人民法院部门收支预算总表", "一、", "2017", ("11", "12"),
        {"income": "28,849.38", "basic": "17,123.19", "project": "11,543.27", "reserve": "182.92",
         "204": "23,513.11", "208": "2,347.13", "221": "2,989.14", "p_public_security": "12",
         "p_social": "12", "p_housing": "12"},
    ) + income_rows("2017 年度江苏省高级人民法院部门收入预算总表", "二、", "2017", "12",
                    "28,849.38", "公共财政拨款(补助)资金"),
    "9bb83bc165f9437a": summary_rows(
        "2018 年度江苏省高级人民法院收支预算总表", "一、", "2018", ("9", "10"),
        {"income": "33,172.15", "basic": "18,570.82", "project": "11,343.27", "reserve": "3,258.06",
         "204": "26,200.88", "208": "2,254.76", "221": "4,716.51", "p_public_security": "9",
         "p_social": "9", "p_housing": "10"},
    ) + income_rows("2018 年度江苏省高级人民法院收入预算总表", "二、", "2018", "10",
                    "33,172.15", "公共财政拨款(补助)资金"),
    "7e5ac42ed95dae8c": summary_rows(
        "收支预算总表", "公开01表", "2019", ("8", "8"),
        {"income": "37,188.34", "basic": "21,968.00", "project": "10,208.94", "reserve": "5,011.40",
         "204": "27,488.23", "208": "2,355.65", "221": "7,344.46", "p_public_security": "8",
         "p_social": "8", "p_housing": "8"},
    ) + income_rows("收入预算总表", "公开02表", "2019", "9", "37,188.34",
                    "公共财政拨款（补助）资金"),
}  # fmt: skip


def main() -> None:
    for stem, (year, sections) in DOCUMENTS.items():
        rows = HAND[stem] + read(stem, year, sections)
        print(stem, len(rows), write(stem, rows))


if __name__ == "__main__":
    main()
