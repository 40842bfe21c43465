"""Classes of characters (``ingest.char_classes``) and their C counter
(``ingest/native/char_counts.c``, ``ingest._char_counts``).

Every class ingest counts is checked over every code point: its bitmap, its regular expression
and the rule it stands for (spelt out here from first principles) hold the same characters.
The C count is held to the expression's on real documents and on texts of every width."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import native_extension
from hypothesis import given, settings
from hypothesis import strategies as st

from ingest import read, traditional
from ingest.char_classes import (
    SPACE_BUT_TAB,
    CharClass,
    char_class,
    count,
    count_pure,
    find,
    find_pure,
)

ROOT = Path(__file__).resolve().parents[2]

native, needs_native = native_extension("ingest._char_counts")

EVERY_CODE_POINT = "".join(map(chr, range(0x110000)))


def _members_by_bitmap(members: CharClass) -> set[int]:
    return {code for code in range(len(members.bitmap) * 8)
            if members.bitmap[code >> 3] >> (code & 7) & 1}


def _members_by_pattern(members: CharClass) -> set[int]:
    return {match.start() for match in members.pattern.finditer(EVERY_CODE_POINT)}


_PLAUSIBLE = ((0x09, 0x0A), (0x0C, 0x0D), (0x20, 0x7E), (0x4E00, 0x9FFF), (0x3000, 0x303F),
              (0xFF00, 0xFFEF), (0x2000, 0x206F), (0xB7, 0xB7), (0xD7, 0xD7),
              (0x2264, 0x2267), (0x25CB, 0x25CB), (0x25CF, 0x25CF))


def _rules() -> dict[str, tuple[CharClass, object]]:
    """Each class ingest counts, with the rule it stands for (a test of a code point)."""
    table = traditional._table()
    common = read._COMMON_IDEOGRAPHS
    frequent = read._FREQUENT_IDEOGRAPHS

    def cjk(code: int) -> bool:
        return 0x3400 <= code <= 0x9FFF or 0x20000 <= code <= 0x2FFFF

    def plausible(code: int, extra: tuple[tuple[int, int], ...] = ()) -> bool:
        return any(low <= code <= high for low, high in (*_PLAUSIBLE, *extra))

    extra = ((0x0100, 0x024F),)
    return {
        "traditional CJK": (traditional._CJK, cjk),
        "traditional forms": (traditional._traditional_characters(),
                              lambda code: code in table and cjk(code)),
        "ideographs": (read._IDEOGRAPHS, lambda code: 0x4E00 <= code <= 0x9FFF),
        "uncommon ideographs": (read._uncommon_ideographs(),
                                lambda code: 0x4E00 <= code <= 0x9FFF and chr(code) not in common),
        "frequent ideographs": (read._frequent_ideographs(),
                                lambda code: 0x4E00 <= code <= 0x9FFF and chr(code) in frequent),
        "implausible": (read._implausible(()), lambda code: not plausible(code)),
        "implausible, more ranges": (read._implausible(extra),
                                     lambda code: not plausible(code, extra)),
        "white space but the tab": (SPACE_BUT_TAB,
                                   lambda code: chr(code).isspace() and code != 0x09),
        "controls": (read._CONTROL,
                     lambda code: code <= 0x08 or code == 0x0B or 0x0E <= code <= 0x1F),
    }


@pytest.mark.parametrize("name", list(_rules()))
def test_each_class_holds_what_its_rule_says_in_bitmap_and_pattern(name: str) -> None:
    members, rule = _rules()[name]
    expected = {code for code in range(0x110000) if rule(code)}  # type: ignore[operator]
    assert _members_by_bitmap(members) == expected
    assert _members_by_pattern(members) == expected
    assert count_pure(members, EVERY_CODE_POINT) == len(expected)
    assert find(members, EVERY_CODE_POINT) == find_pure(members, EVERY_CODE_POINT) == (
        min(expected) if expected else -1)
    assert count(members, EVERY_CODE_POINT) == len(expected)
    assert all((chr(code) in members) == (code in expected)
               for code in (0, 0x41, 0x4E00, 0x9FFF, 0xA000, 0x20000, 0x10FFFF))


def test_char_class_merges_characters_and_ranges_and_escapes_what_regex_reads() -> None:
    members = char_class("]^-\\ab", ((0x62, 0x66), (0x4E00, 0x4E01)))
    assert _members_by_bitmap(members) == {*map(ord, "]^-\\abcdef"), 0x4E00, 0x4E01}
    assert _members_by_pattern(members) == _members_by_bitmap(members)
    everything = char_class(negated=True)
    assert len(everything.bitmap) == 0x110000 // 8 and count(everything, "a中\U0010ffff") == 3
    nothing = char_class()
    assert nothing.bitmap == b"" and count(nothing, "a中\U0010ffff") == 0
    assert count_pure(nothing, "a中") == 0 and count_pure(everything, "a中\U0010ffff") == 3
    astral = char_class("a\U00020000", negated=True)  # a negated class with an astral run
    assert count_pure(astral, "ab\U00020000\U00020001中") == count(astral, "ab\U00020000\U00020001中") == 3
    assert find_pure(astral, "a\U00020000\U00020001b") == find(astral, "a\U00020000\U00020001b") == 2
    cjk = char_class("中", ((0x20000, 0x20000),))  # a class with an astral run, not negated
    for text, at in [("ab\U00020000中", 2), ("ab中\U00020000", 2), ("\U00020001\U00020000", 1),
                     ("abc", -1), ("", -1)]:
        assert find_pure(cjk, text) == find(cjk, text) == at, text


def _texts() -> list[str]:
    texts = ["", "abc\x01\x0b", "é" * 9 + "\x00", "重庆市财政局2024年部门预算",
             "重慶市萬州區財政局2024年部門預算公開", "\U0001f600\U00020000" * 3 + "預算",
             "\ud800 lone surrogate 中", "\U0010ffff" + "\uffff" * 3]
    for path in sorted((ROOT / "data" / "raw").glob("*.txt")):
        data = path.read_bytes()
        texts.append(read.read_document(data, path.name).text)
        for encoding in ("gb18030", "utf-16-le", "utf-16-be", "latin-1"):
            texts.append(data.decode(encoding, errors="replace"))  # (candidate readings)
    return texts


def test_the_pure_count_is_one_match_a_character_on_documents_and_their_misreadings() -> None:
    for members, _rule in _rules().values():
        for text in _texts():
            assert count_pure(members, text) == len(members.pattern.findall(text))
    space = re.compile(r"[^\S\t]")  # what tables._cells searched for
    for text in [*_texts(), "a\tb", "a b", "a\u3000b", "\x1f", "\x85", "a\tb\n"]:
        found = space.search(text)
        assert find(SPACE_BUT_TAB, text) == (-1 if found is None else found.start())


@needs_native
def test_the_c_count_is_the_expressions_on_documents_and_their_misreadings() -> None:
    classes = [members for members, _rule in _rules().values()]
    texts = _texts()
    assert len(texts) > 20
    for members in classes:
        for text in texts:
            assert native.count(text, members.bitmap) == count_pure(members, text)
            assert count(members, text) == count_pure(members, text)
            assert native.find(text, members.bitmap) == find_pure(members, text)
            assert find(members, text) == find_pure(members, text)


@needs_native
@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(min_codepoint=0, max_codepoint=0x10FFFF), max_size=60),
       st.binary(max_size=40))
def test_the_c_count_reads_any_bitmap_as_the_bits_it_holds(text: str, bitmap: bytes) -> None:
    expected = sum(1 for ch in text
                   if ord(ch) >> 3 < len(bitmap) and bitmap[ord(ch) >> 3] >> (ord(ch) & 7) & 1)
    assert native.count(text, bitmap) == expected
    assert native.count(text, bytearray(bitmap)) == expected  # (any buffer)
    first = next((at for at, ch in enumerate(text) if ord(ch) >> 3 < len(bitmap)
                  and bitmap[ord(ch) >> 3] >> (ord(ch) & 7) & 1), -1)
    assert native.find(text, bitmap) == first


@needs_native
def test_the_c_count_refuses_what_is_not_a_text_and_a_buffer() -> None:
    with pytest.raises(TypeError, match="text must be a str"):
        native.count(b"abc", b"\xff")
    with pytest.raises(TypeError):
        native.count("abc", "not a buffer")
    with pytest.raises(TypeError, match="takes 2 arguments"):
        native.count("abc")
    with pytest.raises(TypeError, match=r"find\(text, bitmap\) takes 2 arguments"):
        native.find("abc")
    with pytest.raises(TypeError, match="find: text must be a str"):
        native.find(b"abc", b"\xff")


def test_no_class_is_left_as_a_counted_regular_expression() -> None:
    """The counts of classes go through char_classes.count (one rule, one place): no
    ``len(<pattern>.findall(...))`` or run-length sum is left in read and traditional."""
    for name in ("read", "traditional"):
        source = (ROOT / "ingest" / f"{name}.py").read_text(encoding="utf-8")
        assert not re.search(r"len\([\w.()]+\.findall\(", source), name
        assert "map(len" not in source, name
