"""Tables of text exports (space-separated columns) → the rows the table parser reads.

Real exports: five real PDFs (three Shanghai final accounts, two Jiangsu budgets) saved as text
by five common exporters (``tests/data/text_exports/README.md``), compared figure by figure
with the same PDFs read as PDFs (``tests/data/text_exports/expected``). Inline cases: one per
layout feature of the family (split codes, wrapped names, two groups on one line, glued
figures, multi-line headers, page-break repeats, tables of contents, blank cells that cannot
be placed).
"""

from __future__ import annotations

import csv

import pytest
from text_export_figures import (
    EXPECTED,
    EXPORTERS,
    EXPORTS,
    comparison_for,
    documents,
    figures_of_lines,
)

from ingest.divisions import DivisionIndex
from ingest.normalise import normalise_text
from ingest.pipeline import parse_document
from ingest.segment import segment
from ingest.tables import parse_table
from ingest.text_tables import is_toc_line, rebuild_text_tables, tokens

# found share reached per exporter and document (floors at the measured share, rounded
# down); exports without the page layout give only their simple code tables. The Jiangsu
# figures include the 财政拨款支出 / 财政拨款基本支出 / 机关运行经费 tables (kinds
# fiscal_expenditure, fiscal_basic_expenditure, operating_funds): pypdfium2 writes the
# tables-only 42d4fd889f7a012f in stream order (rows before their titles), none is read
FLOORS: dict[tuple[str, str], float] = {
    # 95.7 %: the one-line 支出预算总表 totals (4 figures) read 98.6 % while normalising
    # shifted every figure after a thousands separator one position left (by luck onto its
    # header); its figures now keep their printed right edge and stand between headers
    ("pdftotext_layout", "324795c7efce9893"): 0.95,
    ("pdftotext_layout", "42d4fd889f7a012f"): 0.98,
    ("pdftotext_layout", "44874c062a89c26e"): 0.96,
    ("pdftotext_layout", "d45e923176f9fe4b"): 0.88,
    ("pdftotext_layout", "f2546b5778018165"): 0.96,
    ("pdfplumber_layout", "324795c7efce9893"): 0.95,  # as pdftotext_layout's, above
    ("pdfplumber_layout", "42d4fd889f7a012f"): 0.95,
    ("pdfplumber_layout", "44874c062a89c26e"): 1.0,
    ("pdfplumber_layout", "d45e923176f9fe4b"): 0.9,
    ("pdfplumber_layout", "f2546b5778018165"): 1.0,
    ("pdfplumber", "324795c7efce9893"): 0.82,
    ("pdfplumber", "42d4fd889f7a012f"): 0.77,
    ("pdfplumber", "44874c062a89c26e"): 0.52,  # + the 基本支出 table, two groups a line
    ("pdfplumber", "d45e923176f9fe4b"): 0.23,
    ("pdfplumber", "f2546b5778018165"): 0.46,
    # plain pdftotext writes one cell per line: code tables whose cells come in reading
    # order are read cell by cell (the Shanghai exports write blocks out of order: none)
    ("pdftotext", "324795c7efce9893"): 0.53,
    ("pdftotext", "42d4fd889f7a012f"): 0.51,
    ("pypdfium2", "324795c7efce9893"): 0.82,
    ("pypdfium2", "44874c062a89c26e"): 0.04,
    ("pypdfium2", "d45e923176f9fe4b"): 0.22,
    ("pypdfium2", "f2546b5778018165"): 0.10,
}
DOCUMENTS = documents()


def _known_extras() -> set[tuple[str, str, int, str, str, int, str]]:
    """Rows printed on the page that the PDF reading lost (checked by hand)."""
    with (EXPECTED / "not_in_pdf_reading.csv").open(encoding="utf-8", newline="") as handle:
        return {
            (
                r["document"],
                r["kind"],
                int(r["occurrence"]),
                r["code"],
                r["label"],
                int(r["column"]),
                r["amount"],
            )
            for r in csv.DictReader(handle)
        }


def test_the_bundled_exports_cover_five_exporters_and_five_documents() -> None:
    assert len(DOCUMENTS) == 5
    for exporter in EXPORTERS:
        assert sorted(p.stem for p in (EXPORTS / exporter).glob("*.txt")) == DOCUMENTS


@pytest.mark.parametrize("exporter", EXPORTERS)
@pytest.mark.parametrize("name", DOCUMENTS)
def test_no_wrong_figure_and_the_found_share(exporter: str, name: str) -> None:
    comparison = comparison_for(exporter, name)
    assert comparison.wrong_keys == []
    extras = {(name, *key, value) for key, value, _ in comparison.extra_keys or []}
    assert extras <= _known_extras()
    assert comparison.found_share >= FLOORS.get((exporter, name), 0.0)


def test_a_complete_final_account_through_parse_document() -> None:
    """pdfplumber's layout export of a whole final account: its tables land by kind, the rows
    the reader could not place land as unparsed lines with the reason."""
    data = (EXPORTS / "pdfplumber_layout" / "44874c062a89c26e.txt").read_bytes()
    result = parse_document(data, "export.txt", DivisionIndex.load())
    kinds = {t.table_kind for t in result.tables}
    assert {
        "income_expenditure_summary",
        "income_summary",
        "expenditure_summary",
        "general_budget_expenditure",
        "general_budget_basic_expenditure",
    } <= kinds
    cells = {(c.code, c.column_label, c.amount) for c in result.cells}
    assert any(code == "2013950" for code, _, _ in cells)
    assert len(result.document.title) > 0
    # line numbers are the export's own
    lines = data.decode("utf-8").split("\n")
    for cell in result.cells[:50]:
        assert cell.value_text.replace(".", "").isdigit()
        printed = lines[cell.line_number - 1].replace(",", "")
        assert cell.value_text in printed


# --- inline cases ------------------------------------------------------------------------


def _rows(text: str) -> tuple[list[str], list]:
    rebuilt = rebuild_text_tables(normalise_text(text))
    return rebuilt.lines, rebuilt.notes


def _cells(text: str) -> dict[tuple[str, str, str], str]:
    """(code or label, column label, line) → amount, through the segmenter and table parser."""
    lines, _ = _rows(text)
    out: dict[tuple[str, str, str], str] = {}
    for block in segment(lines, "doc").blocks:
        for cell in parse_table(block).cells:
            out[(cell.code or cell.row_label, cell.column_label, str(cell.line_number))] = (
                cell.amount
            )
    return out


def _by_code(text: str) -> dict[tuple[str, str], str]:
    return {(k[0], k[1]): v for k, v in _cells(text).items()}


def _line(*parts: tuple[int, str]) -> str:
    """A line of a layout export: each text at its character position (as pdftotext writes
    them: one character, CJK or not, is one position)."""
    out = ""
    for start, text in parts:
        assert len(out) < start or not out, (out, start, text)
        out = out.ljust(start) + text
    return out


def _r(end: int, text: str) -> tuple[int, str]:
    """A figure right-aligned to end at ``end``."""
    return end - len(text), text


_SPENDING_HEADER = [
    _line((20, "支出决算表")),
    _line((52, "单位：万元")),
    _line((2, "科目编码"), (16, "科目名称"), (34, "合计"), (42, "基本支出"), (52, "项目支出")),
    _line((1, "类"), (5, "款"), (9, "项")),
]
SPLIT_CODES = "\n".join(
    [
        *_SPENDING_HEADER,
        _line((16, "合计"), _r(38, "30.00"), _r(47, "20.00"), _r(57, "10.00")),
        _line(
            (0, "201"), (16, "一般公共服务支出"), _r(38, "30.00"), _r(47, "20.00"), _r(57, "10.00")
        ),
        _line(
            (0, "201"),
            (5, "06"),
            (16, "财政事务"),
            _r(38, "30.00"),
            _r(47, "20.00"),
            _r(57, "10.00"),
        ),
        _line((0, "201"), (5, "06"), (9, "01"), (16, "行政运行"), _r(38, "20.00"), _r(47, "20.00")),
        _line(
            (0, "201"),
            (5, "06"),
            (9, "02"),
            (16, "一般行政管理事务"),
            _r(38, "10.00"),
            _r(57, "10.00"),
        ),
        "",
    ]
)


def test_split_codes_and_blank_cells_placed_by_position() -> None:
    cells = _by_code(SPLIT_CODES)
    assert cells[("2010601", "基本支出")] == "20.00"
    assert ("2010601", "项目支出") not in cells
    assert cells[("2010602", "项目支出")] == "10.00"
    assert ("2010602", "基本支出") not in cells
    assert cells[("201", "合计")] == "30.00"


def test_line_numbers_stay_those_of_the_input() -> None:
    lines, _ = _rows(SPLIT_CODES)
    assert len(lines) == len(normalise_text(SPLIT_CODES))
    assert lines[7].startswith("2010601\t行政运行\t20.00\t20.00\t")
    assert lines[1].strip() == "单位：万元" and lines[0].strip() == "支出决算表"


NAMES_ABOVE = """\
                 收入决算表
                                         单位：万元
      科目编码        科目名称          合计       财政拨款      其他收入
               合计
                                  16.20      10.00       6.20
               一般公共服务支出
 201                              16.20      10.00       6.20
               财政事务
 201  06                          16.20      10.00       6.20
               机关事业单位基本养老保险
 201  06  01   缴费支出             10.00      10.00
               其他支出
 201  06  99                       6.20                  6.20
"""


def test_names_wrapped_above_their_code_line() -> None:
    lines, notes = _rows(NAMES_ABOVE)
    rows = [line for line in lines if line.startswith("201")]
    assert rows[2].split("\t")[:2] == ["2010601", "机关事业单位基本养老保险缴费支出"]
    assert rows[3].split("\t")[:2] == ["2010699", "其他支出"]
    cells = _by_code(NAMES_ABOVE)
    assert cells[("2010699", "其他收入")] == "6.20"
    assert ("2010699", "财政拨款") not in cells
    assert cells[("合计", "其他收入")] == "6.20"
    assert notes == []


NAMES_BELOW_AND_AROUND = """\
                 一般公共预算财政拨款支出决算表
                                         单位：万元
      科目编码        科目名称               合计
 208             社会保障和就业支出         30.00
 208  05         行政事业单位养老支出       30.00

 208  05  05                            20.00
                 机关事业单位基本养老保险
                 缴费支出

                 机关事业单位职业年金缴
 208  05  06                            10.00
                 费支出
"""


def test_names_wrapped_below_and_around_the_code_line() -> None:
    lines, notes = _rows(NAMES_BELOW_AND_AROUND)
    rows = {line.split("\t")[0]: line.split("\t")[1] for line in lines if "\t" in line}
    assert rows["2080505"] == "机关事业单位基本养老保险缴费支出"
    assert rows["2080506"] == "机关事业单位职业年金缴费支出"
    assert notes == []


TWO_GROUPS = """\
                 一般公共预算财政拨款基本支出决算表
                                                   单位：万元
  经济分类                               经济分类
  科目编码    科目名称       决算数         科目编码    科目名称        决算数
301      工资福利支出       100.00      302      商品和服务支出      20.00
30101    基本工资          60.00       30201    办公费            15.00
30102    津贴补贴          40.00       30202    印刷费             5.00
         人员经费合计      100.00               公用经费合计       20.00
"""


def test_two_code_groups_on_one_line() -> None:
    cells = _by_code(TWO_GROUPS)
    amounts = {code: amount for (code, _), amount in cells.items()}
    assert amounts["30101"] == "60.00"
    assert amounts["30201"] == "15.00"
    assert amounts["30202"] == "5.00"
    assert amounts["302"] == "20.00"
    assert amounts["人员经费合计"] == "100.00"
    assert amounts["公用经费合计"] == "20.00"


def test_figures_glued_to_the_next_label_are_split() -> None:
    assert [t.text for t in tokens("八、其他收入   6.20八、社会保障和就业支出")] == [
        "八、其他收入",
        "6.20",
        "八、社会保障和就业支出",
    ]
    assert [t.text for t in tokens("合计2940.05")] == ["合计", "2940.05"]


SUMMARY = """\
                   收入支出决算总表
                                                 单位：万元
           收入                           支出
       项目           决算数              项目            决算数
一、一般公共预算财政拨款收入      2,940.05   一、一般公共服务支出        2,106.66
二、政府性基金预算财政拨款收入                二、外交支出
八、其他收入                  6.20八、社会保障和就业支出        839.59
         本年收入合计     2,946.25       本年支出合计        2,946.25
"""


def test_summary_table_two_lanes_glued_figure_and_multi_line_header() -> None:
    amounts = {label: amount for (label, _), amount in _by_code(SUMMARY).items()}
    assert amounts["一、一般公共预算财政拨款收入"] == "2940.05"
    assert amounts["一、一般公共服务支出"] == "2106.66"
    assert amounts["八、其他收入"] == "6.20"
    assert amounts["八、社会保障和就业支出"] == "839.59"
    assert amounts["本年支出合计"] == "2946.25"
    assert "二、外交支出" not in amounts


REPEATED_HEADER = "\n".join(
    [
        *_SPENDING_HEADER[:3],
        _line(
            (0, "201"), (16, "一般公共服务支出"), _r(38, "30.00"), _r(47, "20.00"), _r(57, "10.00")
        ),
        _line(
            (0, "201"),
            (5, "06"),
            (16, "财政事务"),
            _r(38, "30.00"),
            _r(47, "20.00"),
            _r(57, "10.00"),
        ),
        "\f" + _SPENDING_HEADER[0],
        *_SPENDING_HEADER[1:3],
        _line((0, "201"), (5, "06"), (9, "01"), (16, "行政运行"), _r(38, "20.00"), _r(47, "20.00")),
        _line(
            (0, "201"),
            (5, "06"),
            (9, "02"),
            (16, "一般行政管理事务"),
            _r(38, "10.00"),
            _r(57, "10.00"),
        ),
        "",
    ]
)


def test_page_break_repeats_title_unit_and_header() -> None:
    lines, notes = _rows(REPEATED_HEADER)
    blocks = segment(lines, "doc").blocks
    assert len(blocks) == 1 and blocks[0].page_breaks
    cells = _by_code(REPEATED_HEADER)
    assert cells[("2010602", "项目支出")] == "10.00"
    assert cells[("2010601", "基本支出")] == "20.00"
    assert notes == []


TOC = """\
目  录
一、收入支出决算总表 ………………………………………… 3
二、收入决算表 ……………………………………………… 4
三、支出决算表 ……………………………………………… 5
"""


def test_a_table_of_contents_is_not_a_table() -> None:
    assert is_toc_line("二、收入决算表 ……………………………………………… 4")
    assert is_toc_line("三、支出决算表 .............. 5")
    lines, notes = _rows(TOC)
    assert lines == normalise_text(TOC) and notes == []
    assert figures_of_lines(lines) == {}


_INCOME_HEADER = [
    _line((20, "收入决算表")),
    _line((62, "单位：万元")),
    _line(
        (2, "科目编码"),
        (12, "科目名称"),
        (30, "合计"),
        (40, "财政拨款"),
        (50, "上级补助"),
        (60, "事业收入"),
        (70, "其他收入"),
    ),
]

# a new page without the header: the figures stand elsewhere, three of five columns are blank,
# and no parent row fixes which: the row lands unparsed, never shifted
BLANKS_UNSURE = "\n".join(
    [
        *_INCOME_HEADER,
        _line(
            (0, "201"), (12, "一般公共服务支出"), _r(35, "30.00"), _r(45, "20.00"), _r(75, "10.00")
        ),
        "\f" + _line((0, "208"), (10, "社会保障和就业支出"), _r(28, "9.00"), _r(36, "9.00")),
        "",
    ]
)


def test_figures_that_cannot_be_placed_land_unparsed_not_shifted() -> None:
    lines, notes = _rows(BLANKS_UNSURE)
    assert [n.line_number for n in notes] == [5]
    assert notes[0].reason.startswith("text_table_row_not_placed:")
    assert "208" in notes[0].text
    assert lines[4] == ""  # not read as prose either
    cells = _by_code(BLANKS_UNSURE)
    assert cells[("201", "其他收入")] == "10.00"
    assert cells[("201", "财政拨款")] == "20.00"
    assert not any(code == "208" for code, _ in cells)


# the same, but the class row's children settle it: 20805 = 208 in every column
BLANKS_BY_SUMS = "\n".join(
    [
        *_INCOME_HEADER,
        _line((12, "合计"), _r(35, "39.00"), _r(45, "29.00"), _r(75, "10.00")),
        _line(
            (0, "201"), (12, "一般公共服务支出"), _r(35, "30.00"), _r(45, "20.00"), _r(75, "10.00")
        ),
        "\f" + _line((0, "208"), (10, "社会保障和就业支出"), _r(28, "9.00"), _r(36, "9.00")),
        _line((0, "208"), (4, "05"), (10, "行政事业单位养老支出"), _r(28, "9.00"), _r(36, "9.00")),
        "",
    ]
)


def test_figures_placed_by_the_sums_when_one_way_fits() -> None:
    _lines, notes = _rows(BLANKS_BY_SUMS)
    cells = _by_code(BLANKS_BY_SUMS)
    assert cells[("208", "财政拨款")] == "9.00"
    assert cells[("20805", "财政拨款")] == "9.00"
    assert ("208", "其他收入") not in cells
    assert notes == []


# figures that do not stand under the header the clusters would give them (a hand-spaced
# or damaged layout): not placed by counting
MISALIGNED = "\n".join(
    [
        *_INCOME_HEADER,
        _line(
            (0, "201"),
            (12, "一般公共服务支出"),
            _r(44, "30.00"),
            _r(54, "20.00"),
            _r(65, "6.00"),
            _r(72, "4.00"),
            _r(80, "0.00"),
        ),
        "",
    ]
)


def test_figures_under_other_headers_are_not_placed_by_counting() -> None:
    lines, notes = _rows(MISALIGNED)
    assert not any(line.startswith("201\t") for line in lines)
    assert [n.line_number for n in notes] == [4]


def test_a_row_whose_parts_do_not_add_up_is_not_landed() -> None:
    lines = SPLIT_CODES.split("\n")
    lines[8] = lines[8].replace("     10.00   ", "     12.00   ", 1)  # total 12 ≠ 10
    assert "12.00" in lines[8]
    text = "\n".join(lines)
    lines, notes = _rows(text)
    assert {n.line_number for n in notes} >= {9}
    assert not any(line.startswith("2010602") for line in lines)


def test_text_with_tab_rows_is_left_alone() -> None:
    text = "收入决算表\n单位：万元\n科目编码\t科目名称\t合计\n201\t一般公共服务支出\t3.00\n"
    lines, notes = _rows(text)
    assert lines == normalise_text(text) and notes == []


def test_unplaced_rows_reach_the_unparsed_lines_of_parse_document() -> None:
    title = "上海市黄浦区档案馆2024年度部门决算\n\n"
    data = (title + BLANKS_UNSURE).encode("utf-8")
    result = parse_document(data, "x.txt", DivisionIndex.load())
    reasons = {u.line_number: u.reason for u in result.unparsed}
    assert reasons[7].startswith("text_table_row_not_placed:")
    assert not any(c.code == "208" for c in result.cells)


PLAIN_NAMES_ABOVE = """\
一般公共预算财政拨款支出决算表
单位：万元
项目
支出功能分类
合计 基本支出 项目支出
科目编码 科目名称
类 款 项
一般公共服务支出
201 30.00 20.00 10.00
财政事务
201 06 30.00 20.00 10.00
行政运行
201 06 01 20.00 20.00
机关事业单位基本养老保险
201 06 02 缴费支出 10.00 10.00
合计 30.00 20.00 10.00
"""


def test_a_plain_export_code_table_read_by_count_and_sums() -> None:
    """pdfplumber's extract_text(): single spaces, names above their code line; a row with
    fewer figures than columns is placed by its parent's sums (20106 = its two rows)."""
    lines, notes = _rows(PLAIN_NAMES_ABOVE)
    assert notes == []
    rows = {line.split("\t")[0]: line.split("\t")[1:] for line in lines if "\t" in line}
    # without positions a name line between two rows cannot be told apart from parts of
    # both: only the name printed on the code line is kept
    assert rows["2010601"] == ["", "20.00", "20.00", ""]
    assert rows["2010602"] == ["缴费支出", "10.00", "", "10.00"]


AMBIGUOUS_BY_SUMS = """\
一般公共预算财政拨款支出决算表
单位：万元
科目编码 科目名称 合计 基本支出 项目支出
201 一般公共服务支出 30.00 15.00 15.00
201 06 财政事务 30.00 15.00 15.00
201 06 01 行政运行 20.00 10.00 10.00
201 06 02 一般行政管理事务 5.00 5.00
201 06 99 其他政府办公厅（室）及相关机构事务支出 5.00 5.00
合计 30.00 15.00 15.00
"""


def test_a_plain_export_row_the_sums_cannot_place_is_unparsed() -> None:
    """Two rows of 5.00 under 20106: one is 基本支出, the other 项目支出, but which is which
    neither positions nor sums say. Both land unparsed; the rest is read."""
    lines, notes = _rows(AMBIGUOUS_BY_SUMS)
    assert [n.line_number for n in notes] == [7, 8]
    assert all(n.reason.startswith("text_table_row_not_placed:") for n in notes)
    rows = {line.split("\t")[0] for line in lines if "\t" in line}
    assert {"201", "20106", "2010601"} <= rows
    assert not rows & {"2010602", "2010699"}


def test_a_plain_export_summary_table_is_not_read_without_positions() -> None:
    text = (
        "收入支出决算总表\n单位：万元\n收入 支出\n项目 决算数 项目 决算数\n"
        "一、一般公共预算财政拨款收入 30.00 一、一般公共服务支出 30.00\n"
    )
    lines, notes = _rows(text)
    assert lines == normalise_text(text) and notes == []


def test_a_title_printed_after_its_table_is_not_taken_for_the_next() -> None:
    """pypdfium2 writes some tables in stream order: rows, then the title, then 表六 and the
    next table's 单位 line. The title does not open the next table."""
    text = (
        "201 一般公共服务支出 30.00\n财政拨款支出预算表\n表六\n部门：某单位 单位：万元\n"
        "科目编码 科目名称 金额\n合计 30.00\n301 工资福利支出 30.00\n"
    )
    lines, _ = _rows(text)
    assert lines == normalise_text(text)


def test_codes_that_do_not_fit_the_title_are_not_read() -> None:
    text = (
        "一般公共预算支出决算表\n单位：万元\n科目编码 科目名称 金额\n合计 30.00\n"
        "301 工资福利支出 30.00\n30101 基本工资 30.00\n"
    )
    lines, _ = _rows(text)
    assert lines == normalise_text(text)
    assert figures_of_lines(
        _rows(text.replace("301 工资", "201 一般").replace("30101 基本工资", "20101 人大事务"))[0]
    )


ZERO_ANYWHERE = """\
一般公共预算财政拨款支出决算表
单位：万元
科目编码 科目名称 合计 基本支出 项目支出 经营支出
201 一般公共服务支出 30.00 20.00 10.00 0.00
201 06 财政事务 30.00 20.00 10.00 0.00
201 06 01 行政运行 20.00 20.00 0.00
201 06 02 一般行政管理事务 10.00 10.00 0.00
合计 30.00 20.00 10.00 0.00
"""


def test_a_printed_zero_the_sums_cannot_place_is_left_out_not_guessed() -> None:
    """2010601 prints 20.00 20.00 0.00 under four columns: the sums put 20.00 under 基本支出
    but the zero fits 项目支出 and 经营支出 alike: the row lands without it, and the zero is
    reported."""
    lines, notes = _rows(ZERO_ANYWHERE)
    rows = {line.split("\t")[0]: line.split("\t")[2:] for line in lines if "\t" in line}
    assert rows["2010601"] == ["20.00", "20.00", "", ""]
    assert rows["2010602"] == ["10.00", "", "10.00", ""]
    assert [(n.line_number, n.reason.split(":")[0]) for n in notes] == [
        (6, "text_table_figure_not_placed"),
        (7, "text_table_figure_not_placed"),
    ]


# a 支出预算总表: one line of totals under a header without code or name columns; the total
# (right-aligned) stands right of its header word, the other figures under theirs
TOTALS_ONLY = "\n".join(
    [
        _line((20, "支出预算总表")),
        _line((62, "单位：万元")),
        _line(
            (4, "合计"),
            (16, "基本支出"),
            (28, "项目支出"),
            (40, "单位预留机动经费"),
            (58, "结转下年资金"),
        ),
        _line(_r(14, "30.00"), _r(24, "20.00"), _r(36, "9.00"), _r(50, "1.00")),
        "",
    ]
)


def test_a_line_of_totals_without_labels_placed_by_the_columns_order() -> None:
    """The total overlaps no header word, but the three figures right of it are placed under
    基本支出 / 项目支出 / 单位预留机动经费: one column is left on their left (合计), so the
    total takes it; a lane without code or name columns makes each line of figures a row."""
    lines, notes = _rows(TOTALS_ONLY)
    assert notes == []
    assert lines[3].split("\t")[2:] == ["30.00", "20.00", "9.00", "1.00", ""]
    figures = figures_of_lines(lines)
    assert figures[("expenditure_summary", 0, "", "", 0)] == "30.00"
    assert figures[("expenditure_summary", 0, "", "", 3)] == "1.00"


def test_a_gap_of_two_columns_for_one_figure_is_not_filled() -> None:
    """One unplaced figure left of the placed ones but two columns there (合计, 基本支出):
    the sums fit either way (10 = 9 + 1); when the columns between placed neighbours
    outnumber the unplaced figures, nothing is guessed."""
    text = "\n".join(
        [
            *TOTALS_ONLY.split("\n")[:3],
            _line(_r(14, "10.00"), _r(36, "9.00"), _r(50, "1.00")),  # 基本支出 blank
            "",
        ]
    )
    lines, notes = _rows(text)
    assert [n.line_number for n in notes] == [4]
    assert "10.00" not in lines[3]


def test_a_figure_ending_before_its_column_header_is_not_placed_by_order() -> None:
    """基本支出 / 项目支出 / 单位预留机动经费 are placed by their headers; the first figure
    would fill 合计 by order, but it ends before that header's middle (it stands left of
    every header): a right-aligned figure cannot stand there, so the row lands unparsed,
    never shifted. Ending right of the header's middle, it is the total."""
    header = _line(
        (10, "合计"),
        (22, "基本支出"),
        (34, "项目支出"),
        (46, "单位预留机动经费"),
        (64, "结转下年资金"),
    )

    def text(total_end: int) -> str:
        return "\n".join(
            [
                *TOTALS_ONLY.split("\n")[:2],
                header,
                _line(_r(total_end, "30.00"), _r(26, "20.00"), _r(38, "9.00"), _r(52, "1.00")),
                "",
            ]
        )

    lines, notes = _rows(text(8))
    assert [n.line_number for n in notes] == [4]
    assert not any("30.00" in line for line in lines)
    lines, notes = _rows(text(16))
    assert notes == [] and lines[3].split("\t")[2:] == ["30.00", "20.00", "9.00", "1.00", ""]


def test_a_part_of_a_line_not_placed_is_noted_though_the_line_was_read() -> None:
    """The Jiangsu 收支预算总表 prints 当年支出小计 under 功能分类 and its amount under 支出用途
    (pdftotext -layout, 324795c7efce9893 lines 291 and 295): the 收入 side of the line lands,
    the 支出 amount that no row takes is reported, not lost."""
    text = (EXPORTS / "pdftotext_layout" / "324795c7efce9893.txt").read_text(encoding="utf-8")
    lines, notes = _rows(text)
    noted = {n.line_number: n for n in notes if n.reason.endswith("other part was read)")}
    assert {291, 295} <= set(noted)
    assert lines[290].split("\t")[1:3] == ["当年收入小计", "28849.38"]
    assert "当年支出小计" in noted[291].text


# A page aligned by display width (a CJK character two positions wide), read one character
# per position: the header's positions drift from the rows' by the names' length. Rows print
# 合计 and 基本支出 only; by overlap the second figure of the long-named row stood under 项目支出
# while the short-named rows' stood right of it (found in a 10,000-document corpus batch:
# a 基本支出 figure landed as 项目支出).
DRIFTED_PAGE = """\
                          林业局支出决算表

                                                                      单位：万元

科目编码   科目名称                           本年支出合计   基本支出   项目支出
2101199    其他行政事业单位医疗支出                 973.74     973.74

221        住房保障支出                              36.42      36.42

22102      住房改革支出                              36.42      36.42

2210201    住房公积金                                36.42      36.42
"""


def test_positions_that_contradict_the_header_place_nothing() -> None:
    cells = _by_code(DRIFTED_PAGE)
    assert ("2101199", "项目支出") not in cells
    assert all(column != "项目支出" for _, column in cells)
    _, notes = _rows(DRIFTED_PAGE)
    assert {n.line_number for n in notes} >= {6, 8, 10, 12}


def test_thousands_separators_keep_the_figures_right_edge() -> None:
    """Figures printed with separators (元 tables): normalising drops the commas but keeps
    each figure's right edge, so the columns after a wide figure do not shift left (two
    commas per figure moved the third column four positions, under no header)."""
    header = _line(
        (2, "科目编码"), (14, "科目名称"), (34, "本年支出合计"), (50, "基本支出"), (63, "项目支出")
    )
    text = "\n".join(
        [
            _line((24, "支出决算表")),
            _line((60, "单位：元")),
            header,
            _line(
                (0, "合计"), _r(41, "11,266,211.00"), _r(55, "9,331,432.00"), _r(68, "1,934,779.00")
            ),
            _line(
                (0, "201"),
                (8, "一般公共服务支出"),
                _r(41, "11,266,211.00"),
                _r(55, "9,331,432.00"),
                _r(68, "1,934,779.00"),
            ),
            _line(
                (0, "20103"),
                (8, "政府办公厅（室）及相关机构事务"),
                _r(41, "9,331,432.00"),
                _r(55, "9,331,432.00"),
            ),
            _line(
                (0, "20104"), (8, "发展与改革事务"), _r(41, "1,934,779.00"), _r(68, "1,934,779.00")
            ),
            "",
        ]
    )
    assert normalise_text(text)[3].index("1934779.00") == 68 - len("1934779.00")
    cells = _by_code(text)
    assert cells[("201", "项目支出")] == "1934779.00"
    assert cells[("20103", "基本支出")] == "9331432.00"
    assert ("20103", "项目支出") not in cells
    assert cells[("20104", "项目支出")] == "1934779.00"


def test_change_columns_under_a_centred_group_label_and_the_sums_without_them() -> None:
    """比上年增减 centred over 金额 | % overlaps neither: it is their group (比上年增减金额,
    比上年增减%, never a bare 金额), and the row sums (合计 = 基本 + 项目, children = parent)
    leave the change and ratio columns out (a ratio does not add up)."""
    fig = (31, 41, 51, 59, 66)

    def row(code: str, name: str, *values: str) -> str:
        parts = [(0, code)] if code else []
        parts.append((10, name))
        return _line(*parts, *(_r(end, v) for end, v in zip(fig, values, strict=True) if v))

    text = "\n".join(
        [
            _line((24, "支出预算表")),
            _line((56, "单位：万元")),
            _line((58, "比上年增减")),
            _line(
                (0, "科目编码"),
                (10, "科目名称"),
                (28, "合计"),
                (36, "基本支出"),
                (46, "项目支出"),
                (56, "金额"),
                (64, "%"),
            ),
            row("", "合计", "30.00", "20.00", "10.00", "3.00", "11.11"),
            row("201", "一般公共服务支出", "30.00", "20.00", "10.00", "3.00", "11.11"),
            row("20101", "人大事务", "30.00", "20.00", "10.00", "3.00", "11.11"),
            row("2010101", "行政运行", "20.00", "20.00", "", "1.00", "5.26"),
            row("2010102", "一般行政管理事务", "10.00", "", "10.00", "2.00", "25.00"),
            "",
        ]
    )
    cells = _by_code(text)
    assert cells[("2010101", "基本支出")] == "20.00"
    assert ("2010101", "项目支出") not in cells
    assert cells[("2010102", "项目支出")] == "10.00"
    assert cells[("2010102", "比上年增减金额")] == "2.00"
    assert cells[("2010102", "比上年增减%")] == "25.00"
    assert all(column != "金额" for _, column in cells)


def test_a_group_label_over_a_lane_is_not_a_column() -> None:
    """人员经费 / 公用经费 centred over each lane of a basic-expenditure table stand over its
    科目名称: they label the lane (the rebuilt header keeps them over their lanes, as a tab
    header prints them), the column stays a name column."""
    text = "\n".join(
        [
            _line((20, "基本支出预算表")),
            _line((50, "单位：万元")),
            _line((12, "人员经费"), (44, "公用经费")),
            _line(
                (0, "科目编码"),
                (10, "科目名称"),
                (24, "金额"),
                (32, "科目编码"),
                (42, "科目名称"),
                (56, "金额"),
            ),
            _line(
                (0, "301"),
                (10, "工资福利支出"),
                _r(27, "9.00"),
                (32, "302"),
                (42, "商品和服务支出"),
                _r(59, "3.00"),
            ),
            _line(
                (0, "30101"),
                (10, "基本工资"),
                _r(27, "9.00"),
                (32, "30201"),
                (42, "办公费"),
                _r(59, "3.00"),
            ),
            "",
        ]
    )
    cells = _by_code(text)
    assert {k: v for k, v in cells.items() if k[0] in ("30101", "30201")} == {
        ("30101", "人员经费 | 金额"): "9.00",
        ("30201", "公用经费 | 金额"): "3.00",
    }
    lines, _ = _rows(text)
    assert lines[2].split("\t") == ["人员经费", "", "", "公用经费", "", ""]


def test_a_period_label_over_narrow_columns_does_not_widen_one() -> None:
    """2025年基本支出 centred over 总计 | 人员经费 | 日常公用经费 overlaps only the middle
    header; joined to it, that column would reach over the 总计 figures (narrow figures under
    wide headers) and nothing would be placed. It labels the three."""
    text = "\n".join(
        [
            _line((20, "基本支出预算表")),
            _line((44, "单位：万元")),
            _line((34, "2025年基本支出")),
            _line(
                (1, "科目编码"),
                (14, "科目名称"),
                (29, "总计"),
                (38, "人员经费"),
                (45, "日常公用经费"),
            ),
            _line((0, "合计"), _r(35, "2.30"), _r(42, "1.78"), _r(51, "0.52")),
            _line((0, "301"), (9, "工资福利支出"), _r(35, "1.77"), _r(42, "1.77")),
            _line((0, "30102"), (9, "津贴补贴"), _r(35, "1.77"), _r(42, "1.77")),
            _line(
                (0, "302"), (9, "商品和服务支出"), _r(35, "0.53"), _r(42, "0.01"), _r(51, "0.52")
            ),
            _line((0, "30201"), (9, "办公费"), _r(35, "0.53"), _r(42, "0.01"), _r(51, "0.52")),
            "",
        ]
    )
    cells = _by_code(text)
    assert cells[("30102", "人员经费")] == "1.77"
    assert cells[("30201", "日常公用经费")] == "0.52"
    assert cells[("301", "总计")] == "1.77"


def _stream(*cells: str) -> str:
    """A plain ``pdftotext`` export: one cell per paragraph."""
    return "\n\n".join(cells) + "\n"


STREAM = _stream(
    "一般公共预算财政拨款支出决算表",
    "单位：万元",
    "项目",
    "功能分类",
    "科目编码",
    "合计",
    "基本支出",
    "项目支出",
    "科目名称",
    "201",
    "一般公共服务",
    "支出",
    "30.00",
    "20.00",
    "10.00",
    "20139",
    "社会工作事务",
    "30.00",
    "20.00",
    "10.00",
    "2013901",
    "行政运行",
    "20.00",
    "20.00",
    "2013999",
    "其他社会工作",
    "事务支出",
    "10.00",
    "10.00",
)


def test_a_plain_pdftotext_export_read_cell_by_cell() -> None:
    """Plain pdftotext writes one cell per line: a row is its code, name parts and figures up
    to the next code; a row with two figures under three columns is placed by the sums."""
    cells = _by_code(STREAM)
    assert cells[("201", "合计")] == "30.00" and cells[("201", "项目支出")] == "10.00"
    assert cells[("2013901", "基本支出")] == "20.00"
    assert ("2013901", "项目支出") not in cells
    assert cells[("2013999", "项目支出")] == "10.00"
    assert ("2013999", "基本支出") not in cells


def test_a_plain_export_block_out_of_reading_order_is_not_read() -> None:
    """The exporter wrote the names of several rows, then their figures: which figure is
    whose is not sure, nothing of the table is read."""
    text = _stream(
        "一般公共预算财政拨款支出决算表",
        "单位：万元",
        "科目编码",
        "合计",
        "基本支出",
        "项目支出",
        "科目名称",
        "201",
        "一般公共服务支出",
        "30.00",
        "20.00",
        "10.00",
        "20139",
        "社会工作事务",
        "行政运行",
        "其他社会工作事务支出",
        "卫生健康支出",
        "30.00",
        "20.00",
        "10.00",
        "20.00",
        "20.00",
        "10.00",
        "10.00",
        "2013901",
        "2013999",
    )
    assert _by_code(text) == {}


def test_two_code_groups_side_by_side_without_positions() -> None:
    """pdfplumber's plain text of a 基本支出 table: 301 items left, 302 right, one 决算数 each;
    a line splits after its left figure, wrapped names alone on their lines are not read."""
    text = "\n".join(
        [
            "一般公共预算财政拨款基本支出决算表",
            "单位：万元",
            "经济分类 经济分类",
            "科目名称 决算数 科目名称 决算数",
            "科目编码 科目编码",
            "301 工资福利支出 9.00 302 商品和服务支出 3.00",
            "30101 基本工资 9.00 30201 办公费 3.00",
            "机关事业单位基本",
            "30108 0.00 30205 水费 0.00",
            "养老保险缴费",
            "",
        ]
    )
    cells = {k[0]: v for k, v in _by_code(text).items()}
    assert cells == {
        "301": "9.00",
        "30101": "9.00",
        "30108": "0.00",
        "302": "3.00",
        "30201": "3.00",
        "30205": "0.00",
    }


def test_a_summary_line_without_codes_is_not_split_into_groups_by_count() -> None:
    """收入 | 支出 side by side without positions: ``八、其他收入 八、社会保障和就业支出 10.82``
    has one figure for two labels; whose it is, only positions could say."""
    text = "\n".join(
        [
            "收入支出决算总表",
            "单位：万元",
            "项目 决算数 项目 决算数",
            "一、一般公共预算财政拨款收入 30.00 一、一般公共服务支出 19.18",
            "八、其他收入 八、社会保障和就业支出 10.82",
            "",
        ]
    )
    assert "10.82" not in _by_code(text).values()


def test_a_unit_name_with_jingji_does_not_make_a_function_table_economic() -> None:
    """经济 in the unit's name (…经济开发区财政局…支出预算表) is no economic classification: the
    function codes fit the title (only 基本支出, 经济分类, 机关运行 name economic tables)."""
    text = SPLIT_CODES.replace("支出决算表", "开发区经济开发局支出决算表", 1)
    assert _by_code(text)[("2010601", "基本支出")] == "20.00"
