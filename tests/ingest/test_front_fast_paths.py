"""The front of the parse reads less than it used to; these tests hold each shortcut to the
answer of the full rule, at the boundary where the shortcut decides.

- the title search stops once no later window can reach the best score: its best candidate is
  the one a match of every window of the top lines gives (``_reference_best`` below);
- ``_longest`` tries only the name lengths that start with the character at hand;
- ``find_unit_code`` / ``find_parent`` skip lines lacking a character every match holds.
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest

from ingest import identify as ident
from ingest import normalise, traditional
from ingest.divisions import DivisionIndex, _longest
from ingest.normalise import normalise_text, reflow
from ingest.read import read_document
from ingest.segment import segment
from ingest.table_kinds import TABLE_KINDS, recognise_title

ROOT = Path(__file__).resolve().parents[2]
GOLDEN = Path(__file__).resolve().parents[1] / "data"


def _reference_best(lines: list[str], divisions: DivisionIndex | None) -> tuple | None:
    """find_title's best (score, -title_line, unit, title) from every window, none skipped (the
    search as it was before it learnt to stop)."""
    items = list(ident._iter_top_items(lines))
    best = None
    toc_seen = False
    position = 0
    for index, item in enumerate(items):
        if item is None:
            continue
        if item[2] in ident._TOC:
            toc_seen = True
            continue
        position += 1
        window: list[tuple[int, str, str]] = []
        for follow in items[index:index + ident._MAX_TITLE_LINES]:
            if follow is None:
                break
            window.append(follow)
            view = "".join(v for _, _, v in window)
            had_part = bool(ident._PART.match(window[0][2]))
            match = ident._match_title(ident._LEAD.sub("", view))
            if match is None:
                continue
            unit, year, _kind, _scope, suffix = match
            score = 100.0 - 2 * position - 3 * (len(window) - 1)
            score -= 25 if toc_seen else 0
            score -= 15 if had_part else 0
            score -= 6 if suffix == "表" else 0
            score += 6 if divisions is not None and divisions.resolve_unit(unit) else 0
            year_line = next((n for n, _, v in window if year in v), window[-1][0])
            key = (score, -year_line, unit, " ".join(t for _, t, _ in window))
            best = key if best is None or key[:2] > best[:2] else best
    return best


def _pruned_best(lines: list[str], divisions: DivisionIndex | None) -> tuple | None:
    found = ident._candidates(lines, divisions)
    if not found:
        return None
    c = max(found, key=lambda c: (c.score, -c.title_line))
    return (c.score, -c.title_line, c.unit, c.title)


def _texts() -> list[str]:
    with (GOLDEN / "title_forms.csv").open(encoding="utf-8", newline="") as handle:
        forms = [row["text"].replace("\\n", "\n").replace("\\t", "\t")
                 for row in csv.DictReader(handle)]
    made = [
        # a penalised first candidate (第…部分 heading, a 表) and the title ten lines later
        "第二部分 某某县财政局2024年部门预算表\n" + "\n".join(f"说明{i}" for i in range(9))
        + "\n某某县财政局2024年部门预算",
        # candidates after 目录 (25 less) behind a weak first one
        "第一部分 某某局2023年部门决算表\n目录\n某某局2023年部门决算",
        # the same score twice: the earlier year line wins
        "某某局2024年部门预算\n某某局2024年部门预算",
        # a title wrapped over three lines behind a one-line fragment
        "上海市普陀区规划和自然\n资源局 2024 年度部门决算\n正文",
    ]
    return forms + made


@pytest.mark.parametrize("with_divisions", [True, False])
def test_the_title_search_that_stops_finds_the_best_of_every_window(
    divisions: DivisionIndex, with_divisions: bool
) -> None:
    index = divisions if with_divisions else None
    texts = _texts()
    real = ROOT / "data" / "raw"
    texts += [read_document(p.read_bytes(), p.name).text for p in sorted(real.glob("*.txt"))]
    checked = 0
    for text in texts:
        lines = normalise_text(text)
        expected = _reference_best(lines, index)
        assert _pruned_best(lines, index) == expected, text[:80]
        checked += expected is not None
    assert checked >= 20  # the comparison is about found titles, not empty ones


def test_longest_with_name_lengths_is_longest_without(divisions: DivisionIndex) -> None:
    for index, lengths in ((divisions.by_name, divisions._county_lengths),
                           (divisions.upper_by_name, divisions._upper_lengths)):
        assert lengths
        for name in list(index)[::7]:
            for text in (name + "财政局", "中共" + name + "委", name[:-1], name[0], ""):
                for pos in range(len(text) + 1):
                    assert _longest(text, pos, index, lambda d: True, lengths) == \
                        _longest(text, pos, index, lambda d: True), (text, pos)


def test_unit_code_of_a_name_printed_with_spaces_or_its_own_level() -> None:
    unit = "某市某区电子政务中心"
    lines = ["312002\t区 电子政务 中心（本级）\t12.00", "103001 - 某区电子政务中心 其他"]
    assert ident.find_unit_code(lines, unit) == "312002"
    assert ident.find_unit_code(lines[1:], unit) == "103001"
    # no line holds the name's last character: no code (the shortcut's own case)
    assert ident.find_unit_code(["312002\t区电子政务中\t1.00"], unit) == ""


def test_parent_named_with_spaces_inside_its_words() -> None:
    lines = ["本单位 主 管 部 门 是 某市 某某局，经费来源为财政拨款。"]
    assert ident.find_parent(lines, "某市某某中心") == "某市某某局"
    lines = ["本单位为某市某某局管理的公益一类事 业 单 位。"]
    assert ident.find_parent(lines, "某市某某中心") == "某市某某局"


def _recognise_by_rules(title: str) -> str | None:
    """recognise_title as the rules read: each kind's excludes, then its keyword sets in turn."""
    compact = "".join(title.split())
    for kind in TABLE_KINDS:
        if any(word in compact for word in kind.excludes):
            continue
        for words in kind.keywords:
            if all(word in compact for word in words):
                return kind.kind
    return None


def test_recognise_title_reads_the_rules() -> None:
    words = sorted({w for k in TABLE_KINDS for ws in (*k.keywords, k.excludes) for w in ws})
    titles = ["", "收入", "附件3 部门收入总表", "某某局 2024 年 财政拨款 支出 预算表"]
    titles += [a + b for a in words for b in words]  # every pair of rule words, both orders
    titles += [a + "某" + b + c for a in words[::3] for b in words[1::3] for c in words[2::5]]
    recognise_title.cache_clear()
    for title in titles:
        assert recognise_title(title) == _recognise_by_rules(title), title


def test_segment_shortcuts_at_their_boundary() -> None:
    """A figures row with two filled cells is a row at once; a line without a tab and without
    表, 单, a colon or a leading 附 is prose at once. Lines one character from those cases take
    the full rules."""
    lines = [
        "附件1",  # 1 a label: leading 附
        "某某局部门收入总表",  # 2 a title: 表
        "单位：万元",  # 3 a unit line: 单
        "项目\t金额",  # 4 a header row (no decimal)
        "单位：万元\t12.50",  # 5 a 单位 first cell with a figure after it: a row
        "201\t12.50",  # 6 a figures row
        "\t3.50\t",  # 7 one filled cell with a decimal: full rules (a row)
        "------\t------",  # 8 a separator row (no decimal): scaffolding
        "注：本表无数据",  # 9 a note inside the table: colon
        "二、说明文字中没有任何标记",  # 10 prose
        "附件2",  # 11 a label followed by prose: a heading after all
        "正文一段",  # 12 prose
    ]
    result = segment(lines, "doc")
    (block,) = result.blocks
    assert (block.label, block.title, block.unit) == ("附件1", "某某局部门收入总表", "万元")
    assert [line.number for line in block.lines] == [4, 5, 6, 7]
    assert [line.number for line in block.context] == [8, 9]
    assert result.scaffolding == [1, 2, 3, 8, 9]
    assert result.prose == [10, 11, 12]


def _normalised_line_by_line(text: str) -> list[str]:
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return [normalise._normalise_translated(line)
            for line in normalise._replace_line_chars(text).split("\n")]


_EDGES = [
    # look-arounds at a line's start and end: a break is neither a digit nor a CJK character
    "增加1，\n234万元", "合计12。\n5", "减少－\n5", "（yù）算\n预(suàn)", "预\n(yù)算",
    "12．\n34", "数1，234，\n567", "1,234\n,567", ",123\n4,567",
    # thousands after trailing spaces, laid-out rows, tabs
    "1,234  \n  合计  1,234.50   2,345.00  \n收入\t1,234.00\t\n3.50 -1,234 ",
    "支出 12,345.67 万元，同比增长 1,234 元。  ", "  \n\n  \u3000\u3000正文１２，３４５",
    "１，２３４．５６\u00a0\n\u200b－１２",
]


def test_normalising_the_whole_text_is_normalising_each_line() -> None:
    texts = list(_EDGES)
    texts.append("\n".join(_EDGES))
    for folder in ("raw", "jiangsu"):
        for path in sorted((ROOT / "data" / folder).iterdir())[:4]:
            if path.suffix in (".txt", ".pdf"):
                texts.append(read_document(path.read_bytes(), path.name).text)
    whole = 0
    for text in texts:
        assert normalise.normalise_text(text) == _normalised_line_by_line(text), text[:60]
        whole += not normalise._line_by_line(text)
    assert whole >= len(_EDGES)  # the whole-text way was the one compared
    # a text with an entity, a tag or an operator is normalised line by line
    for text in ("a &amp;\n1，234", "<b>预算</b>\n12。5", "x>=1\n合计 1,234"):
        assert normalise._line_by_line(text)
        assert normalise.normalise_text(text) == _normalised_line_by_line(text)


def test_control_share_counted_in_the_utf8_bytes() -> None:
    from ingest.read import _control_share, _utf8_control_share

    for text in ("正文\t\n", "a\x01b\x0b\x0c\r\x1f\x7f预算\x08", "\x00\x1e", "x", "“”\x0e"):
        data = text.encode("utf-8")
        assert _utf8_control_share(data, text) == _control_share(text), text


def test_reflow_tests_for_a_footer_only_lines_starting_like_one() -> None:
    """Footers (- 3 -, 第 2 页 共 9 页, 3/20, —12—, a bare 18) start with a digit, a dash or 第;
    reflow tries the footer rule on those lines only. Expected paragraphs as main read them."""
    lines = ["一、总体情况", "本年收入合计", "- 3 -", "12", "万元。", "第 2 页 共 9 页", "支出合计18.",
             "18", "万元，", "3/20", "—12—", "（一）收入 12 万元", "二、说明", "", "  ", "第一部分概况",
             "18", ""]
    got = [(p.text, p.starts, p.lines) for p in reflow(enumerate(lines, start=1))]
    assert got == [
        ("一、总体情况", (0,), (1,)),
        ("本年收入合计12万元。", (0, 6, 8), (2, 4, 5)),
        ("支出合计18.18万元，", (0, 7, 9), (7, 8, 9)),
        ("（一）收入 12 万元", (0,), (12,)),
        ("二、说明", (0,), (13,)),
        ("第一部分概况", (0,), (16,)),
    ]


def test_segment_title_block_shortcuts_at_their_boundary() -> None:
    """Without a colon, a label's first character (附 表 公) or a compiler line right above, a
    line holds no title block; a line without a tab that is no title, label, 填报单位 line, 单位
    line or note is prose. Lines at each edge:"""
    lines = [
        "某某局部门支出总表（续）",  # 1 a title ending in a bracket note
        "部门：某某局\t单位：万元",  # 2 a compiler and a unit on a ruled row (colons)
        "项目\t合计",  # 3 a header row: no colon, no label
        "201\t12.50",  # 4
        "",
        "表二\t财政拨款收支总表",  # 6 a label and a title on a ruled row (no colon, starts 表)
        "填报单位 某某局",  # 7 填报单位 without a colon, right above the rows
        "项目\t合计",  # 8
        "201\t3.00",  # 9
        "支出总表说明了本年的安排",  # 10 holds 表, ends otherwise: prose
    ]
    result = segment(lines, "doc")
    assert [(b.label, b.title, b.unit, [ln.number for ln in b.lines]) for b in result.blocks] == [
        ("", "某某局部门支出总表（续）", "万元", [3, 4]),
        ("表二", "财政拨款收支总表", "", [8, 9]),
    ]
    assert [ln.number for ln in result.blocks[1].context] == [7]
    assert result.scaffolding == [1, 2, 6, 7]
    assert result.prose == [10]


_CJK_PATTERN = re.compile(r"[\u3400-\u9fff\U00020000-\U0002ffff]")


def _is_traditional_by_definition(text: str, min_changed: int = 5) -> bool:
    """is_traditional spelt out: the CJK characters the table changes, against the share."""
    table = traditional._table()
    changed = sum(1 for ch in text if ord(ch) in table and _CJK_PATTERN.fullmatch(ch))
    if changed < min_changed:
        return False
    return changed >= traditional._MIN_SHARE * len(_CJK_PATTERN.findall(text))


def test_is_traditional_counts_as_defined() -> None:
    astral = [ch for ch in map(chr, traditional._table())
              if ord(ch) > 0xFFFF and _CJK_PATTERN.fullmatch(ch)]
    some_astral = sorted(astral)[:3]
    texts = ["", "重庆市财政局2024年部门预算", "重慶市萬州區財政局2024年部門預算公開", "乾著於",
             "\U0001f600\U00020000" * 3 + "預算", "".join(some_astral) * 2 + "部门预算",
             "".join(some_astral) + "預算" + "\U0001f600" * 9]
    texts += [read_document(p.read_bytes(), p.name).text
              for p in sorted((ROOT / "data" / "raw").glob("*.txt"))[:2]]
    for text in texts:
        for min_changed in (1, 2, 5):
            assert traditional.is_traditional(text, min_changed) == \
                _is_traditional_by_definition(text, min_changed), (text[:20], min_changed)
    assert some_astral and traditional.is_traditional("".join(some_astral) * 3, 1)


def _parent_line_by_line(lines: list[str], unit_name: str) -> str:
    for raw in lines[:120]:
        if "\t" in raw:
            continue
        text = "".join(raw.split())
        for pattern in ident._PARENT_PATTERNS:
            match = pattern.search(text)
            if match:
                parent = ident._CODE_DASH_PREFIX.sub("", match.group(1))
                if parent != unit_name and parent.endswith(ident._UNIT_SUFFIXES):
                    return parent
    return ""


def test_parent_and_code_found_in_the_joined_lines_as_line_by_line() -> None:
    unit = "某市某某中心"
    odd_spaces = "\u3000\x1c\x85\u2028\u00a0\x0b"
    lines = ["一、基本情况", "本单位主管部门为某市财政局\t（表格行不读）", f"主{odd_spaces}管部门是某市某某局，",
             "本单位为某市教育局管理的事业单位。", "主管部门：某某中心", "\t"] + ["正文"] * 130
    for cut in range(len(lines[:8]) + 1):
        variant = [*lines[cut:], "主管部门：某市卫生局"]
        assert ident.find_parent(variant, unit) == _parent_line_by_line(variant, unit), cut
    assert ident.find_parent(lines, unit) == "某市某某局"
    assert ident.find_parent(lines[3:], unit) == "某市教育局"
    assert ident.find_parent(["主管部门：某某中心", "事业单位"], "某某中心") == ""
    code_lines = ["说明", "", "312002\t某某中心\t1.00", "103001-某市某某中心", "心"]
    assert ident.find_unit_code(code_lines, unit) == "312002"
    assert ident.find_unit_code(code_lines[3:], unit) == "103001"
    assert ident.find_unit_code(["103001-某市某某中心"], unit) == "103001"  # the last line


def test_a_text_simplified_as_is_has_every_part_as_is() -> None:
    from ingest.normalise import simplified_as_is, to_simplified

    assert simplified_as_is("重庆市财政局2024年部门预算") and simplified_as_is("abc 123")
    assert not simplified_as_is("重慶市萬州區財政局2024年部門預算")
    text = read_document((ROOT / "data" / "raw").glob("*.txt").__next__().read_bytes(), "a.txt").text
    assert simplified_as_is(text)
    for start in range(0, len(text), 97):
        part = text[start:start + 40]
        assert to_simplified(part) == part


def _kind_evidence_by_cells(lines: list[str]) -> dict[str, int]:
    counts = {"预算": 0, "决算": 0}
    for raw in lines:
        for cell in raw.split("\t"):
            view = ident._KIND_NEUTRAL.sub("", ident.match_view(cell))
            for match in ident._KIND_WORD.finditer(view):
                counts[match.group("a") or match.group("b")] += 1
    return counts


def test_kind_evidence_and_untitled_read_a_plain_text_as_every_cell() -> None:
    """A text converted by nothing skips the lines that cannot hold what is counted; the
    counts and the untitled identity are those of every line and cell read."""
    plain = ["第一部分 东山县交通运输局概况", "部门：东山县交通运输局\t单位：万元", "收支预算总表\t预算数",
             "2024年部门预算", "一般公共预算支出\t12.00", "本年预算执行情况", "东山县交通运输局2024年度预算"]
    traditional_lines = [line.replace("预算", "預算").replace("部门", "部門") for line in plain]
    for lines in (plain, traditional_lines, plain + traditional_lines):
        assert dict(ident.kind_evidence(lines)) == _kind_evidence_by_cells(lines), lines[0]
    assert ident._untitled(plain) == ("东山县交通运输局", "2024", "预算", "第一部分 东山县交通运输局概况", 1,
                                      "heading")


def test_characters_simplified_print_alike_are_no_traditional_form() -> None:
    # 税, 台, 群, 脱, 温, 户 are variants in OpenCC's tables whose standard form simplifies back
    # to themselves: no change, so never counted as traditional (a simplified tax table with
    # one 税 was read on its view, which would turn a 乾 of a name into 干)
    table = traditional._table()
    assert all(to != chr(code) for code, to in table.items())
    for text in ("税", "台", "群", "脱", "温", "户", "税收返还支出", "企业所得税退税"):
        assert not traditional.is_traditional(text, 1), text
        assert traditional.view([text], min_changed=1) is None
    assert traditional.is_traditional("稅", 1) and traditional.simplified("稅收") == "税收"
