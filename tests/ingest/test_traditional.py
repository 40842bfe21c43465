"""A document printed in traditional characters lands the figures of its simplified original.

Some units and mirror sites publish in traditional characters (FIELD_NOTES.md). Each bundled
Chongqing text (data/raw/*.txt) is converted with OpenCC's s2t and parsed beside the
original: every table cell (table, line, column, code, amount, unit) and every prose figure
(line, figure key, qualifier, fund source, amount, unit) must be the same, the tables of the
same kinds, and the labels, titles and names kept as printed (the original's, in s2t).
The measures the marts give the printed labels are the dbt unit test
``column_label_rules_read_traditional_labels_through_their_simplified_view``; this module also
checks that its character pairs (macros/measures.sql ``label_view``) cover the rules.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import pytest
from opencc import OpenCC

from ingest import traditional
from ingest.divisions import DivisionIndex
from ingest.pipeline import DocumentResult, parse_document

ROOT = Path(__file__).resolve().parents[2]
TEXTS = sorted((ROOT / "data" / "raw").glob("*.txt"))
TEMPLATE_LABELS = {"总计", "一般公共预算拨款收入", "政府性基金预算拨款收入", "国有资本经营预算拨款收入",
                   "财政专户管理资金收入", "事业收入", "上级补助收入", "附属单位上缴收入",
                   "事业单位经营收入", "其他收入", "科目编码", "科目名称"}  # fmt: skip


@cache
def _divisions() -> DivisionIndex:
    return DivisionIndex.load()


@cache
def _pair(name: str) -> tuple[DocumentResult, DocumentResult]:
    path = ROOT / "data" / "raw" / name
    text = path.read_bytes().decode("utf-8-sig")
    converted = _converter().convert(text)
    assert converted != text
    return (
        parse_document(path.read_bytes(), name, _divisions()),
        parse_document(converted.encode("utf-8"), name, _divisions()),
    )


@cache
def _converter() -> OpenCC:
    return OpenCC("s2t")


@cache
def _s2t(text: str) -> str:
    return _converter().convert(text)


@pytest.mark.parametrize("name", [p.name for p in TEXTS])
def test_table_cells_are_the_originals(name: str) -> None:
    original, printed = _pair(name)
    assert len(original.cells) + len(original.figures) > 20

    def key(c):
        return (
            c.table_id,
            c.line_number,
            c.column_number,
            c.code,
            c.amount,
            c.unit,
            c.repeat_of_line,
        )

    assert sorted(map(key, printed.cells)) == sorted(map(key, original.cells))
    assert [t.table_kind for t in printed.tables] == [t.table_kind for t in original.tables]
    assert [t.unit for t in printed.tables] == [t.unit for t in original.tables]
    by_key = {key(c): c for c in original.cells}
    for cell in printed.cells:
        source = by_key[key(cell)]
        assert cell.row_label == _s2t(source.row_label)
        if source.column_label not in TEMPLATE_LABELS:  # a lost header's template: no print
            assert cell.column_label == _s2t(source.column_label)
    for table, source in zip(printed.tables, original.tables, strict=True):
        assert table.title == _s2t(source.title)


@pytest.mark.parametrize("name", [p.name for p in TEXTS])
def test_prose_figures_are_the_originals(name: str) -> None:
    original, printed = _pair(name)
    assert len(original.figures) > 5

    def key(f):
        return (f.line_number, f.figure_key, f.qualifier, f.fund_source, f.amount, f.unit)

    assert sorted(map(key, printed.figures)) == sorted(map(key, original.figures))
    # subjects and sections as printed: the original's in traditional characters
    assert sorted((*key(f), f.subject, f.section) for f in printed.figures) == sorted(
        (*key(f), _s2t(f.subject), _s2t(f.section)) for f in original.figures
    )


@pytest.mark.parametrize("name", [p.name for p in TEXTS])
def test_performance_tables_are_the_originals(name: str) -> None:
    original, printed = _pair(name)

    def project(r):
        return (
            r.table_id,
            r.line_number,
            r.amount_unit,
            r.annual_budget,
            r.executed,
            r.execution_rate,
            r.score,
        )

    def indicator(r):
        return (r.table_id, r.line_number, r.operator, r.target_value, r.weight, r.score)

    assert sorted(map(project, printed.projects)) == sorted(map(project, original.projects))
    assert sorted(map(indicator, printed.indicators)) == sorted(map(indicator, original.indicators))
    assert sorted(r.project_name for r in printed.projects) == sorted(
        _s2t(r.project_name) for r in original.projects
    )
    assert sorted(r.indicator_name for r in printed.indicators) == sorted(
        _s2t(r.indicator_name) for r in original.indicators
    )
    assert len(printed.unparsed) == len(original.unparsed)


@pytest.mark.parametrize("name", [p.name for p in TEXTS])
def test_identity_is_the_originals_with_the_name_as_printed(name: str) -> None:
    original, printed = _pair(name)
    for field in ("district_code", "fiscal_year", "doc_kind", "scope"):
        assert getattr(printed.document, field) == getattr(original.document, field), field
    assert printed.document.unit_name == _s2t(original.document.unit_name)


@pytest.mark.parametrize("encoding", ["gb18030", "utf-16-le", "utf-16-be"])
@pytest.mark.parametrize("name", [p.name for p in TEXTS])
def test_a_traditional_text_in_gb18030_or_utf16_without_a_mark_lands_as_in_utf8(
        name: str, encoding: str) -> None:
    """Without a byte-order mark the decoder judges each reading by its common and frequent
    ideographs (simplified ones): a traditional text's are judged on its simplified view, so it
    is read, not refused as binary (Big5, Shift_JIS and EUC-KR stay refused: test_bad_input)."""
    _original, printed = _pair(name)
    converted = _s2t((ROOT / "data" / "raw" / name).read_bytes().decode("utf-8-sig"))
    result = parse_document(converted.encode(encoding), name, _divisions())
    assert result.document.encoding == encoding.removesuffix("-le").removesuffix("-be")
    assert result.document.document_id == printed.document.document_id
    assert result.problems == printed.problems == []
    assert result.cells == printed.cells and result.figures == printed.figures
    assert result.tables == printed.tables


def test_a_simplified_document_is_read_as_it_is() -> None:
    for path in TEXTS:
        lines = path.read_bytes().decode("utf-8-sig").split("\n")
        assert traditional.view(lines) is None
    # OpenCC's table turns some simplified characters into others: never for such a document
    assert traditional.view(["乾安县财政局2023年部门预算", "著作权"]) is None


def test_the_view_keeps_every_position_and_gives_back_the_print() -> None:
    printed = ["單位：萬元", "科目編碼\t科目名稱\t合計", "2010101\t行政運行\t12.00"]
    view = traditional.view(printed, min_changed=1)
    assert view == ["单位：万元", "科目编码\t科目名称\t合计", "2010101\t行政运行\t12.00"]
    back = traditional.Printed(view, printed)
    assert back.of("行政运行") == "行政運行"
    assert back.label("科目名称 | 合计") == "科目名稱 | 合計"


def test_label_view_pairs_cover_the_rules() -> None:
    """Every traditional form of every character the label rules match on is in label_view."""
    sql = (ROOT / "macros" / "measures.sql").read_text(encoding="utf-8")
    body = sql[sql.index("macro label_view") :]
    source, target = re.findall(r"'([^']+)'", body)[:2]
    assert len(source) == len(target)
    models = "".join(
        (ROOT / "models" / "intermediate" / name).read_text(encoding="utf-8")
        for name in (
            "tables/int_tables__money_cells.sql",
            "expenditure/int_expenditure__table_cells.sql",
        )
    )
    rules = sql.replace(source, "").replace(target, "") + models
    matched = set(re.findall(r"[\u4e00-\u9fff]", "".join(re.findall(r"'[^']*'", rules))))
    table = traditional._table()
    missing = sorted(chr(k) for k, v in table.items() if v in matched and chr(k) not in source)
    assert not missing, f"add to label_view: {''.join(missing)}"
    for trad, simp in zip(source, target, strict=True):
        assert table.get(ord(trad)) == simp
