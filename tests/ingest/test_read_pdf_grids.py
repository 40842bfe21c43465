"""Ruled grids that are not one cell per column and row: double-ruled tables (each cell's
frame inset inside an outer frame), rows whose cells are inset differently, tables cut by a
page break without their closing rule or on another grid, and two amount columns under one
misdrawn group header. Real rows read from the three one-file budgets in ``data/jiangsu``
whose tables are drawn that way (2017, 2018, 2019), then the rules on made-up grids."""

from __future__ import annotations

from pathlib import Path

import pytest

from ingest.pdf_tables import closing_edges, find_tables
from ingest.read_pdf import Glyph, PrintedLine, align_page_breaks, read_pdf, table_columns
from ingest.tables import pair_amounts_with_names

JIANGSU = Path(__file__).resolve().parents[2] / "data" / "jiangsu"
FILES = {"2017": "324795c7efce9893.pdf", "2018": "9bb83bc165f9437a.pdf",
         "2019": "7e5ac42ed95dae8c.pdf"}  # fmt: skip


@pytest.fixture(scope="module")
def lines() -> dict[str, list[str]]:
    return {
        year: read_pdf((JIANGSU / name).read_bytes(), name).text.split("\n")
        for year, name in FILES.items()
    }


def _row(*cells: str) -> str:
    return "\t".join(cells)


def test_double_ruled_insets_are_no_columns(lines):
    """Header labels sit in inset frames, figures in the outer cells: one column each."""
    text = lines["2017"]
    assert _row("科目编码", "科目名称", "金额") in text
    assert _row("301", "工资福利支出", "7,687.65") in text
    assert _row("30101", "基本工资", "2,509.00") in text  # a cell over the inset slots
    # 支出预算总表: each figure under its own header, not between two
    at = text.index(_row("合计", "基本支出", "项目支出", "单位预留机动经费", "结转下年资金"))
    assert text[at + 1] == _row("28,849.38", "17,123.19", "11,543.27", "182.92", "")


def test_a_row_without_its_top_rule_after_a_page_break_is_a_table_row(lines):
    assert _row("30206", "电费", "235.00") in lines["2017"]
    assert "30206 电费 235.00" not in lines["2017"]
    assert _row("2210201", "住房公积金", "1,029.15") in lines["2017"]
    assert _row("30108", "机关事业单位基本养老保险缴费", "1,326.81") in lines["2018"]


def test_cells_inset_differently_make_one_row(lines):
    # the figure's grid row is below its code and name (2019 公开07表)
    assert _row("204", "公共安全支出", "27,488.23") in lines["2019"]
    assert _row("", "", "27,488.23") not in lines["2019"]
    # a name wrapped over two grid rows beside another lane's row (2018 收支预算总表)
    assert _row("2.政府性基金预算", "", "三、国防支出", "", "三、单位预留机动经费",
                "3,258.06") in lines["2018"]  # fmt: skip


def test_a_header_cut_by_a_page_break_is_placed_on_the_next_page_s_grid(lines):
    text = lines["2018"]
    at = text.index("四、2018年度江苏省高级人民法院财政拨款收支预算总表", 100)
    assert text[at + 2] == _row("收入", "", "支出", "")
    assert _row("项目名称", "金额", "支出用途", "") in text[at : at + 6]


def test_two_amount_columns_under_one_label_are_told_apart_by_their_names():
    labels = [
        "收入 | 项目名称",
        "收入 | 金额",
        "支出 | 功能分类 | 功能科目名称",
        "支出 | 支出用途 | 金额",
        "支出 | 支出用途 | 项目名称",
        "支出 | 支出用途 | 金额",
    ]
    out, changed = pair_amounts_with_names(labels)
    assert changed == [3]
    assert out[3] == "支出 | 功能分类 | 金额" and out[5] == "支出 | 支出用途 | 金额"
    # distinct labels, or no name column to tell them apart by: unchanged
    assert pair_amounts_with_names(["项目", "金额", "项目", "金额"]) == (
        ["项目", "金额", "项目", "金额"],
        [],
    )
    assert pair_amounts_with_names(["名称", "金额", "金额"]) == (["名称", "金额", "金额"], [])


def test_the_2019_summary_figures_land_under_the_function_lane(divisions, tmp_path):
    import csv
    import shutil

    from ingest.pipeline import ingest_folder

    docs = tmp_path / "docs"
    docs.mkdir()
    shutil.copy2(JIANGSU / FILES["2019"], docs / FILES["2019"])
    ingest_folder(docs, tmp_path / "out", divisions)
    with (tmp_path / "out" / "landed_table_cells.csv").open(encoding="utf-8") as handle:
        cells = {(c["row_label"], c["column_label"]): c["amount"] for c in csv.DictReader(handle)}
    assert cells[("四、公共安全支出", "支出 | 功能分类 | 金额")] == "27488.23"
    assert cells[("三、单位预留机动经费", "支出 | 支出用途 | 金额")] == "5011.40"
    assert ("四、公共安全支出", "支出 | 支出用途 | 金额") not in cells


# --- the rules on made-up grids ------------------------------------------------------------


def _v(x: float, top: float, bottom: float) -> tuple:
    return (x, top, x, bottom, 0.0, bottom - top, "v")


def _h(x0: float, x1: float, y: float) -> tuple:
    return (x0, y, x1, y, x1 - x0, 0.0, "h")


def test_closing_edges_draw_the_rule_a_page_break_left_out():
    # three vertical rules from y=70 down to 120; horizontal rules only at 90 and 120
    edges = [_v(60, 70, 120), _v(200, 70, 120), _v(400, 70, 120),
             _h(60, 400, 90), _h(60, 400, 120)]  # fmt: skip
    assert closing_edges(edges) == [(60, 70, 400, 70, 340, 0.0, "h")]
    assert len(find_tables(edges)) == 1
    assert len(find_tables(edges, closing_edges(edges))[0][1]) == 2  # the open row is a row
    closed = [*edges, _h(60, 400, 70)]
    assert closing_edges(closed) == []


def _glyph(x: float, y: float = 10.0) -> Glyph:
    return Glyph("字", x, x + 9, y, y + 9, 9.0)


def test_slots_narrower_than_a_glyph_are_dropped():
    # slots: [0-5] inset, [5-100], [100-105] inset, [105-200]
    header = ((0, 0, 5, 20), (5, 0, 100, 20), (100, 0, 105, 20), (105, 0, 200, 20))
    data = ((0, 20, 100, 40), None, (100, 20, 200, 40), None)
    glyphs = [_glyph(40), _glyph(150), _glyph(10, 30), _glyph(180, 30)]
    members = [[[], [0], [], [1]], [[2], [], [3], []]]
    assert table_columns([header, data], members, glyphs) == [None, 0, None, 1]
    wide = ((0, 0, 100, 20), (100, 0, 200, 20))
    assert table_columns([wide], [[[0], [1]]], glyphs) == [0, 1]


def _line(cells: tuple[str, ...], spans: tuple, grid: tuple) -> PrintedLine:
    return PrintedLine(0, 10, "\t".join(cells), cells, spans=spans, grid=grid)


def test_align_page_breaks_places_the_coarser_part_by_position():
    fine = ((0, 100), (100, 200), (200, 300), (300, 400))
    coarse = ((0, 200), (200, 400))
    header = _line(("收入", "支出"), ((0, 200), (200, 400)), coarse)
    lower = _line(("项目名称", "金额", "项目名称", "金额"),
                  ((0, 100), (100, 200), (200, 300), (300, 400)), fine)  # fmt: skip
    pages = align_page_breaks([[header], [lower]])
    assert pages[0][0].cells == ("收入", "", "支出", "")
    assert pages[1][0] == lower
    # a cell that cuts a column in part: the grids do not nest, nothing moves
    cut = _line(("收入", "支出"), ((0, 150), (150, 400)), ((0, 150), (150, 400)))
    assert align_page_breaks([[cut], [lower]])[0][0] == cut


def test_a_unit_wrapped_over_two_ruled_cells_is_the_table_s_unit(lines):
    from ingest.segment import segment

    text = lines["2019"]
    at = text.index("“三公”经费、会议费、培训费支出预算表")
    # the unit's text wraps inside its ruled cell, cut by the rule of the cell beside it: the
    # reader joins the pieces (read_pdf.header_cells), the unit line is whole
    assert text[at + 1].split("\t")[-1] == "单位：万元" and text[at + 2].split("\t")[-1] == ""
    blocks = segment(text, "court2019").blocks
    block = next(b for b in blocks if b.title == "“三公”经费、会议费、培训费支出预算表")
    assert block.unit == "万元"
    # a 单位：万 with no 元 under it names no unit
    made_up = ["“三公”经费、会议费、培训费支出预算表", "\t\t单位：万", "部门名称：某某局\t\t",
               "合计\t会议费\t培训费", "3.00\t1.00\t2.00"]  # fmt: skip
    assert segment(made_up, "x").blocks[0].unit == ""
