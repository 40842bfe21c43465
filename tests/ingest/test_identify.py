"""Identity: every real disclosure identified exactly (unit, division and level, year, kind,
scope), every title form of docs/FIELD_NOTES.md read by one general method, and what is not one
unit's disclosure rejected with the reason.

Expected identities are data: ``tests/data/real_identities.csv`` (the real documents bundled in
data/raw, data/pdf, data/jiangsu) and ``tests/data/title_forms.csv`` (one row per title form,
text with ``\\n`` / ``\\t`` escapes).
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from ingest.divisions import DivisionIndex
from ingest.identify import NotADisclosure, identify
from ingest.normalise import normalise_line, normalise_text, reflow
from ingest.pipeline import DocumentRejected, ingest_files, parse_document
from ingest.read import read_document

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "data"
GOLDEN = Path(__file__).resolve().parents[1] / "data"
IDENTITY_COLUMNS = (
    "unit_name",
    "district_code",
    "division_level",
    "fiscal_year",
    "doc_kind",
    "scope",
    "identified_by",
)


def _rows(name: str) -> list[dict[str, str]]:
    with (GOLDEN / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _unescape(text: str) -> str:
    return text.replace("\\n", "\n").replace("\\t", "\t")


def _identity(lines: list[str], divisions: DivisionIndex) -> dict[str, str]:
    found = identify(lines, divisions)
    return {
        "unit_name": found.unit_name,
        "district_code": found.district_code,
        "division_level": found.division_level,
        "fiscal_year": str(found.fiscal_year),
        "doc_kind": found.doc_kind,
        "scope": found.scope,
        "identified_by": found.identified_by,
    }


# --- the real documents ------------------------------------------------------------------

REAL = _rows("real_identities.csv")


@pytest.fixture(scope="module")
def real_lines() -> dict[str, list[str]]:
    """folder/file → normalised lines of every real document (each PDF read once)."""
    return {
        f"{row['folder']}/{row['file']}": normalise_text(
            read_document((DATA / row["folder"] / row["file"]).read_bytes(), row["file"]).text
        )
        for row in REAL
    }


def test_every_bundled_document_is_listed() -> None:
    listed = {(row["folder"], row["file"]) for row in REAL}
    bundled = {
        (folder, path.name)
        for folder in ("raw", "pdf", "jiangsu")
        for path in (DATA / folder).iterdir()
        if path.suffix in (".txt", ".pdf")
    }
    assert listed == bundled


@pytest.mark.parametrize("row", REAL, ids=[f"{r['folder']}/{r['file']}" for r in REAL])
def test_real_document_identity(
    row: dict[str, str], real_lines: dict[str, list[str]], divisions: DivisionIndex
) -> None:
    lines = real_lines[f"{row['folder']}/{row['file']}"]
    if row["rejected_because"]:
        with pytest.raises(NotADisclosure) as info:
            identify(lines, divisions, row["file"])
        assert row["rejected_because"] in info.value.reason
        return
    got = _identity(lines, divisions)
    assert got == {column: row[column] for column in IDENTITY_COLUMNS}


def test_jiangsu_disclosures_in_two_files_become_one_document(divisions: DivisionIndex) -> None:
    """The 2019 政协办公厅 narrative (a cover without title text) and its tables-only file land
    as one document; the tables' lines follow the narrative's, both files point at it."""
    folder = DATA / "jiangsu"
    names = ["4588cbbcbd3fc885.pdf", "a7aeca568d65a104.pdf"]
    items = [(name, (folder / name).read_bytes(), 0.0) for name in names]
    narrative_alone = parse_document(items[0][1], names[0], divisions)
    tables_alone = parse_document(items[1][1], names[1], divisions)
    files, documents = ingest_files(items, divisions)

    assert len(documents) == 1
    doc = documents[0].document
    assert (doc.unit_name, doc.district_code, doc.division_level, doc.fiscal_year) == (
        "江苏省政协办公厅",
        "320000",
        "province",
        2019,
    )
    assert doc.source_file == names[0]
    narrative_lines = narrative_alone.document.line_count
    assert doc.line_count == narrative_lines + tables_alone.document.line_count
    by_name = {f.source_file: f for f in files}
    assert {f.document_id for f in files} == {doc.document_id}
    assert by_name[names[0]].line_offset == 0
    assert by_name[names[1]].line_offset == narrative_lines
    assert names[0] in by_name[names[1]].reason
    # every table of the tables file is in the document, its lines after the narrative's
    assert len(documents[0].tables) == len(narrative_alone.tables) + len(tables_alone.tables)
    joined_cells = [c for c in documents[0].cells if c.line_number > narrative_lines]
    assert len(joined_cells) == len(tables_alone.cells)
    assert [c.amount for c in joined_cells] == [c.amount for c in tables_alone.cells]
    assert [c.line_number - narrative_lines for c in joined_cells] == [
        c.line_number for c in tables_alone.cells
    ]
    # rows are counted once, each under its own file
    assert sum(f.rows_landed for f in files) == documents[0].rows_landed
    # page numbers continue
    pages = [p.page_number for p in documents[0].pages]
    assert pages == list(range(1, len(pages) + 1))
    assert len(pages) == len(narrative_alone.pages) + len(tables_alone.pages)


def test_tables_file_without_its_narrative_lands_alone(divisions: DivisionIndex) -> None:
    name = "600311282f84ff8d.pdf"
    files, documents = ingest_files(
        [(name, (DATA / "jiangsu" / name).read_bytes(), 0.0)], divisions
    )
    assert [f.status for f in files] == ["landed"]
    doc = documents[0].document
    assert (doc.unit_name, doc.district_code, doc.fiscal_year, doc.identified_by) == (
        "江苏省政协办公厅",
        "320000",
        2018,
        "table_header",
    )
    assert doc.title == ""
    assert "no narrative file" in files[0].reason


# --- title forms ---------------------------------------------------------------------------

FORMS = _rows("title_forms.csv")


@pytest.mark.parametrize("row", FORMS, ids=[r["form"] for r in FORMS])
def test_title_form(row: dict[str, str], divisions: DivisionIndex) -> None:
    lines = normalise_text(_unescape(row["text"]))
    if row["rejected_because"]:
        with pytest.raises(NotADisclosure) as info:
            identify(lines, divisions, "form.txt")
        assert row["rejected_because"] in info.value.reason
        return
    got = _identity(lines, divisions)
    assert got == {column: row[column] for column in IDENTITY_COLUMNS}


def test_traditional_title_is_quoted_as_published(divisions: DivisionIndex) -> None:
    lines = normalise_text("重慶市萬州區財政局2024年部門預算公開\n一、部門職責")
    found = identify(lines, divisions)
    assert found.title == "重慶市萬州區財政局2024年部門預算公開"
    assert found.unit_name == "重慶市萬州區財政局"  # as printed; matched through t2s
    assert found.district_code == "500101"


@pytest.mark.parametrize(
    ("printed", "code", "level"),
    [
        # province and city printed alike in both scripts, the county not: the county
        ("河北省保定市清苑區醫療保障局", "130608", "county"),
        ("山西省河曲縣公共資源交易中心", "140930", "county"),
        ("吉林省延邊朝鮮族自治州汪清縣水利局", "222424", "county"),
        ("安徽省合肥市廬陽區審計局", "340103", "county"),
        # only the province or the city named: as before
        ("河北省統計局", "130000", "province"),
        ("安徽省合肥市財政局", "340100", "city"),
    ],
)
def test_traditional_name_resolves_its_most_specific_division(
    divisions: DivisionIndex, printed: str, code: str, level: str
) -> None:
    lines = normalise_text(f"{printed}2021年度部門決算情況說明\n一、部門職責")
    found = identify(lines, divisions)
    assert found.unit_name == printed
    assert (found.district_code, found.division_level) == (code, level)


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("机关事务管理局2021年度部门决算情况说明\n重庆市万州区机关事务管理局\n一、部门职责", "500101"),
        ("機關事務管理局2021年度部門決算情況說明\n重慶市萬州區機關事務管理局\n一、部門職責", "500101"),
        ("財政局2023年度部門預算公開\n上海市普陀區財政局\n一、主要職能", "310107"),
    ],
)
def test_a_name_without_division_takes_the_county_the_top_names_in_either_script(
    divisions: DivisionIndex, text: str, code: str
) -> None:
    found = identify(normalise_text(text), divisions)
    assert (found.district_code, found.division_level) == (code, "county")
    assert found.unit_name == text.split("2")[0]  # as printed


# --- divisions ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("unit", "code", "level"),
    [
        ("江苏省高级人民法院", "320000", "province"),
        ("上海市财政局", "310000", "province"),
        ("南京市财政局", "320100", "city"),
        ("重庆市万州区党政信息中心", "500101", "county"),
        ("中共上海市普陀区委社会工作部", "310107", "county"),
        ("南京市鼓楼区教育局", "320106", "county"),
        ("东莞市财政局", "441900", "city"),
        # the city without counties named twice (city, then its county-list row): still the city
        ("广东省东莞市东莞市城市管理局", "441900", "city"),
        ("海南省儋州市儋州市住房和城乡建设委员会", "460400", "city"),
        # a county whose own name begins with its city's name is the county, not the city
        ("河南省南阳市城乡一体化示范区统计局", "411372", "county"),
        ("唐山市汉沽管理区财政局", "130272", "county"),
        ("湖南省岳阳市屈原管理区民政局", "430671", "county"),
        ("河南省南阳市统计局", "411300", "city"),
        ("万州区财政局", "500101", "county"),  # a county name no other province uses
        ("普陀区财政局", None, None),  # 上海市 and 浙江省舟山市 both have one: not guessed
        # two 桥西区 in 河北省: the county is not known, and the province is not its division
        ("河北省桥西区财政局", None, None),
        ("河北省石家庄市桥西区财政局", "130104", "county"),
        ("市场监督管理局", None, None),
    ],
)
def test_unit_resolves_to_the_division_its_name_states(
    unit: str, code: str | None, level: str | None, divisions: DivisionIndex
) -> None:
    found = divisions.resolve_unit(unit)
    assert (found.code if found else None, found.level if found else None) == (code, level)


def test_a_county_the_text_mentions_is_not_the_units_division(divisions: DivisionIndex) -> None:
    text = (
        "江苏省财政厅2024年部门预算公开\n一、部门职责\n"
        "本部门办公地点位于南京市鼓楼区北京西路，重庆市万州区对口支援项目……\n"
    )
    found = identify(normalise_text(text), divisions)
    assert (found.district_code, found.division_level) == ("320000", "province")


# --- formats: HTML, pinyin, field codes, page footers ---------------------------------------

PAGE = """<!DOCTYPE html><html><head><title>重庆市万州区财政局2024年部门预算公开-万州区</title>
<script>var t = "2023年度某某局部门预算";</script><style>.a{color:red}</style></head>
<body><div class="crumb">首页 &gt; 政务公开 &gt; 财政预决算</div>
<ul><li>索引号：11500101MB1520411X/2024-00012</li><li>发布机构：重庆市万州区财政局</li></ul>
<div><a href="#">打印</a> <a href="#">纠错</a></div>
<h1>重庆市万州区财政局2024年部门预算公开</h1>
<div class="content"><p>一、部门收支预算情况</p>
<p>2024年收入预算&nbsp;1,234.56万元，<br>支出预算1,234.56万元。</p>
<table><tr><th>科目编码</th><th>科目名称</th><th>金额</th></tr>
<tr><td>201</td><td>一般公共<br>服务支出</td><td>1,234.56</td></tr></table>
<p>表二 一般公共预算支出表</p><p><img src="t2.png"></p>
</div></body></html>"""


@pytest.mark.parametrize("name", ["page.jsp", "page.html", "saved-page.txt"])
def test_html_page_is_read_with_a_parser(name: str, divisions: DivisionIndex) -> None:
    decoded = read_document(PAGE.encode("utf-8"), name)
    lines = decoded.text.split("\n")
    assert "var t" not in decoded.text and "color:red" not in decoded.text
    assert "首页 > 政务公开 > 财政预决算" in lines  # entity decoded
    assert "2024年收入预算 1,234.56万元，" in lines  # <br> ends the line, &nbsp; a space
    assert "201\t一般公共 服务支出\t1,234.56" in lines  # a row: tab-separated cells
    assert any("printed as images" in p for p in decoded.problems)
    found = identify(normalise_text(decoded.text), divisions)
    assert (found.unit_name, found.district_code, found.fiscal_year, found.doc_kind) == (
        "重庆市万州区财政局",
        "500101",
        2024,
        "budget",
    )
    result = parse_document(PAGE.encode("utf-8"), name, divisions)
    assert result.problems  # the image-only table makes the landing partial


def test_gbk_page_is_read(divisions: DivisionIndex) -> None:
    page = PAGE.replace("<head>", '<head><meta charset="gbk">').encode("gb18030")
    found = identify(normalise_text(read_document(page, "p.htm").text), divisions)
    assert found.unit_name == "重庆市万州区财政局"


def test_pinyin_readings_and_field_codes_are_dropped() -> None:
    assert normalise_line("预(yù)算(suàn)收入100万元") == "预算收入100万元"
    assert normalise_line("重量(kg)与(a)") == "重量(kg)与(a)"  # not readings: kept
    assert normalise_line("一、部门概况 PAGEREF _Toc123456 \\h 3") == "一、部门概况"
    assert normalise_line('目录 TOC \\o "1-3" \\h \\z \\u') == "目录"
    assert normalise_line('二、收支情况 HYPERLINK \\l "_Toc99"') == "二、收支情况"


def test_page_numbers_and_footers_do_not_break_sentences() -> None:
    lines = [
        "2024年收入预算1234.56万元，比上年",
        "- 3 -",
        "增加12.00万元。",
        "支出预算",
        "18",
        "1234.56万元。",
        "共有在职人员",
        "18",
        "人。",
    ]
    paragraphs = reflow(enumerate(lines, start=1))
    texts = [p.text for p in paragraphs]
    assert texts[0] == "2024年收入预算1234.56万元，比上年增加12.00万元。"
    # a bare number followed by digits may be a number the PDF wrapped: kept, never glued on
    assert texts[1] == "支出预算18 1234.56万元。"
    assert texts[2] == "共有在职人员18人。"


def test_rejected_file_says_why(divisions: DivisionIndex) -> None:
    with pytest.raises(DocumentRejected) as info:
        parse_document(
            "关于做好2024年部门预算公开工作的通知\n各部门：".encode(), "n.txt", divisions
        )
    assert "notice or regulation" in info.value.reason


NARRATIVE = (
    "江苏省政协办公厅2020年度部门预算公开\n目 录\n第一部分 部门概况\n一、主要职能\n"
    "省政协是我省最广泛的爱国统一战线组织。\n二、收支预算情况\n"
    "江苏省政协办公厅2020年度收入预算总计100.00万元。\n"
)
TABLES = (
    "公开01表\n收支预算总表\t\t\n部门：省政协办公厅\t单位：万元\t\n项目名称\t金额\t\n"
    "一、财政拨款\t100.00\t\n收入合计\t100.00\t\n2020年政府采购预算表\t\t\n"
    "部门：省政协办公厅\t单位：万元\t\n项目\t金额\t\n合计\t0.00\t\n"
)


def test_tables_printing_the_short_name_join_the_narrative(divisions: DivisionIndex) -> None:
    items = [
        ("n.txt", NARRATIVE.encode(), 0.0),
        ("t.txt", TABLES.encode(), 0.0),
        ("other.txt", NARRATIVE.replace("2020", "2021").encode(), 0.0),
    ]
    files, documents = ingest_files(items, divisions)
    by_name = {f.source_file: f for f in files}
    assert by_name["n.txt"].document_id == by_name["t.txt"].document_id
    assert by_name["other.txt"].document_id != by_name["n.txt"].document_id
    assert by_name["t.txt"].line_offset == len(NARRATIVE.split("\n"))
    joined = next(d for d in documents if d.document.document_id == by_name["n.txt"].document_id)
    assert (joined.document.unit_name, joined.document.district_code) == (
        "江苏省政协办公厅",
        "320000",
    )
    assert joined.document.identified_by == "title"


def test_tables_of_another_year_stay_apart(divisions: DivisionIndex) -> None:
    items = [
        ("n.txt", NARRATIVE.encode(), 0.0),
        ("t.txt", TABLES.replace("2020", "2019").encode(), 0.0),
    ]
    files, documents = ingest_files(items, divisions)
    assert len(documents) == 2
    tables = next(f for f in files if f.source_file == "t.txt")
    assert tables.status in ("landed", "partial") and tables.line_offset == 0
