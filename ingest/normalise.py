"""Character normalisation (line-preserving) and prose reflow.

``normalise_text`` keeps the document's line structure, so a line number in the normalised
text is the line number a reader sees when opening the published file. Joining what the PDF
broke apart (a sentence, a number and its unit printed lines apart) is ``reflow``'s job: it
builds paragraphs from the prose lines and remembers, for every character, the line it came
from.
"""

from __future__ import annotations

import bisect
import functools
import html
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from ingest.char_classes import CharClass, char_class, find
from ingest.fast_init import fast_init

_CONTINUES_NUMBER = re.compile(r"^[\d.．%％万元个人辆项台批次年月日]")
_FIGURE_WITH_UNIT = re.compile(r"\d+(?:\.\d+)?\s*(?:万元|元|%)")

_FULLWIDTH_DIGITS = str.maketrans("０１２３４５６７８９", "0123456789")
_SIMPLE_CHARS = str.maketrans(
    {
        "\u3000": " ",  # ideographic space
        "\u00a0": " ",  # no-break space
        "\u200b": "",  # zero-width space
        "\ufeff": "",  # BOM inside the text
        "％": "%",
        "≧": "≥",
        "≦": "≤",
        "﹪": "%",
    }
)
# both tables at once (their keys are apart, and neither maps to a key of the other)
_LINE_CHARS: dict[int, int | str | None] = {**_FULLWIDTH_DIGITS, **_SIMPLE_CHARS}
# the same, as (character, replacement) pairs: str.replace of the few characters a text holds
# is many times faster than str.translate, which looks every character up
_LINE_REPLACEMENTS: tuple[tuple[str, str], ...] = tuple(
    (chr(code), new if isinstance(new, str) else "" if new is None else chr(new))
    for code, new in _LINE_CHARS.items()
)


def _replace_line_chars(text: str) -> str:
    """``text.translate(_LINE_CHARS)``: no replacement holds a character of the table, so one
    replacement after the other is the same."""
    for old, new in _LINE_REPLACEMENTS:
        if old in text:
            text = text.replace(old, new)
    return text


_TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9]*(?:\s[^<>]*)?/?>")
_LATEX_OPERATORS = (
    (re.compile(r"\$?\\geq?(?![A-Za-z])\$?"), "≥"),
    (re.compile(r"\$?\\leq?(?![A-Za-z])\$?"), "≤"),
    (re.compile(r"\$?\\neq?(?![A-Za-z])\$?"), "≠"),
)
_ASCII_OPERATORS = ((re.compile(r">="), "≥"), (re.compile(r"<="), "≤"))
# The character a pattern replaces is matched first and the character before it checked by a
# lookbehind after it (``．(?<=\d．)`` for ``(?<=\d)．``): the same matches, but the regular
# expression engine then skips to the candidate characters instead of trying the lookbehind at
# every position of the line (4–9× faster on a prose line). And each character has a pattern
# of its own: one starting with a literal character is searched for by a fast scan, one
# starting with a class of two ([．。]) tries the class at every position (10× slower on a
# text). A rule's patterns replace single characters, none a digit or a character another of
# them looks at, so one pattern after the other changes what the class did in one pass.
_FULLWIDTH_POINTS = tuple((point, re.compile(rf"{point}(?<=\d{point})(?=\d)")) for point in "．。")
_FULLWIDTH_COMMA_IN_NUMBER = re.compile(r"，(?<=\d，)(?=\d{3}(?:[^\d]|$))")
_FULLWIDTH_MINUSES = tuple((minus, re.compile(rf"{minus}(?=\d)")) for minus in "－−")
_THOUSANDS = re.compile(r"\d(?<![\d.,]\d)\d{0,2}(?:,\d{3})+(?:\.\d+)?(?![\d,])")
# Word field codes that leak into text exports (``一、部门概况 PAGEREF _Toc123 \h 3``): the code,
# its switches and the page number it stands for are not published text.
_FIELD_CODES = re.compile(
    r"\s*(?:"
    r"PAGEREF\s+_Toc\d+(?:\s+\\?h\b)?(?:\s+\d+)?"
    r"|HYPERLINK\s+\\?l\s+\"?_Toc\d+\"?"
    r"|\bTOC(?:\s+\\[a-z](?:\s+\"[^\"]*\")?)+"
    r"|\\\*\s*MERGEFORMAT"
    r")"
)
# A pinyin reading a mirror site put after a character: 预(yù)算(suàn). Only readings with a
# tone mark count, so (kg) or (a) after a character is kept. One pattern for each opening
# bracket (see _FULLWIDTH_POINTS), read by _drop_pinyin.
_PINYIN_READING = (
    r"(?=[a-zü]*[āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ])[a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]{1,7}[)）]"
)
_PINYIN = tuple(
    (bracket, re.compile(rf"{re.escape(bracket)}(?<=[\u4e00-\u9fff]{re.escape(bracket)})"
                         + _PINYIN_READING))
    for bracket in "(（"
)


def _drop_pinyin(text: str) -> str:
    """``text`` without its pinyin readings (a CJK character, an opening bracket, up to seven
    letters with a tone mark among them, a closing bracket).

    The readings found by both brackets' patterns in ``text`` are dropped at once: one
    regular expression of both brackets dropping what it matches in one pass drops the same
    ones, as no reading holds an opening bracket (none starts inside another)."""
    spans = [match.span() for bracket, pattern in _PINYIN if bracket in text
             for match in pattern.finditer(text)]
    if not spans:
        return text
    spans.sort()
    parts: list[str] = []
    at = 0
    for start, end in spans:
        parts.append(text[at:start])
        at = end
    parts.append(text[at:])
    return "".join(parts)


def _drop_thousands(match: re.Match[str]) -> str:
    return match.group(0).replace(",", "")


_FIGURES_IN_A_ROW = re.compile(r"\d\.\d+ +-?\d")


def _drop_thousands_in_place(match: re.Match[str]) -> str:
    """The same, the number's right edge kept: a text export's columns are character
    positions (figures right-aligned), so the removed separators become spaces before it."""
    number = match.group(0)
    return " " * number.count(",") + number.replace(",", "")


def normalise_line(line: str) -> str:
    """Normalise one line's characters; never joins or splits lines."""
    return _normalise_translated(_replace_line_chars(line))


# What only some texts hold: field codes, tags, entities, LaTeX and ASCII operators. Their
# rules run line by line (a tag's ``\s``, a field code's ``\s*`` would run on past a line
# break, and an entity may stand for one).
_LINE_BY_LINE = ("PAGEREF", "HYPERLINK", "TOC", "MERGEFORMAT", "<", "&", "\\", "=")


def _line_by_line(text: str) -> bool:
    """The text holds one of :data:`_LINE_BY_LINE` (substring tests: faster than a regex; a
    word looked for only in a text holding its first character, a faster test still)."""
    return any(word[0] in text and word in text for word in _LINE_BY_LINE)


def _normalise_whole(text: str) -> list[str]:
    """``[_normalise_translated(line) for line in text.split("\n")]`` for a translated text
    holding none of :data:`_LINE_BY_LINE`.

    Those rules then change nothing, and the others run on the whole text at once: no match
    of theirs holds or crosses a line break (a look-around sees the break where a line's
    start or end would stop it, and neither is a digit or a CJK character, nor matches
    ``[．。，－−（(]``), and none writes one, so each line changes as alone. Trailing spaces
    (no ``\\r`` is left to strip) go before the thousands' separators, which read the line
    stripped or need a digit after a space and never end a line with a space: the same lines.
    """
    text = _fullwidth_in_figures(_drop_pinyin(text))
    lines = text.split("\n")
    if " \n" in text or text.endswith(" "):  # (else no line ends with a space)
        lines = [line.rstrip(" ") for line in lines]
    if "," in text:
        return [_drop_line_thousands(line) if "," in line else line for line in lines]
    return lines


def _fullwidth_in_figures(text: str) -> str:
    """Full-width points, commas and minus signs of figures as ASCII (a line or a whole text:
    no match holds or crosses a line break)."""
    for point, pattern in _FULLWIDTH_POINTS:
        if point in text:
            text = pattern.sub(".", text)
    if "，" in text:
        text = _FULLWIDTH_COMMA_IN_NUMBER.sub(",", text)
    for minus, pattern in _FULLWIDTH_MINUSES:
        if minus in text:
            text = pattern.sub("-", text)
    return text


def _drop_line_thousands(line: str) -> str:
    """The thousands' separators of a line gone (see _normalise_translated)."""
    # a text export's table row: runs of spaces, or figures side by side
    laid_out = "\t" not in line and ("  " in line.strip() or bool(_FIGURES_IN_A_ROW.search(line)))
    return _THOUSANDS.sub(_drop_thousands_in_place if laid_out else _drop_thousands, line)


def _normalise_translated(line: str) -> str:
    """normalise_line of a line already translated by ``_LINE_CHARS``."""
    if "PAGEREF" in line or "HYPERLINK" in line or "TOC" in line or "MERGEFORMAT" in line:
        line = _FIELD_CODES.sub("", line)
    line = _drop_pinyin(line)
    if "<" in line:
        line = _TAG.sub("", line)
    if "&" in line:
        line = html.unescape(line).translate(_SIMPLE_CHARS)
    if "\\" in line:
        for pattern, replacement in _LATEX_OPERATORS:
            line = pattern.sub(replacement, line)
    if "=" in line:
        for pattern, replacement in _ASCII_OPERATORS:
            line = pattern.sub(replacement, line)
    line = _fullwidth_in_figures(line)
    if "," in line:
        line = _drop_line_thousands(line)
    return line.rstrip(" \r")


def normalise_text(text: str) -> list[str]:
    """The document's lines, normalised. Line ``i`` (1-based) is ``result[i - 1]``."""
    if "\r" in text:  # (a one-character test: faster than two replacements finding none)
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    # the character table maps no character to or from a line break: one pass for the text
    text = _replace_line_chars(text)
    if not _line_by_line(text):
        return _normalise_whole(text)
    return [_normalise_translated(line) for line in text.split("\n")]


@functools.lru_cache(maxsize=1)
def _t2s():
    try:
        from opencc import OpenCC
    except ImportError:  # pragma: no cover - pinned in requirements.txt
        return None
    return OpenCC("t2s")


@functools.lru_cache(maxsize=1)
def _t2s_triggers() -> tuple[frozenset[str], tuple[str, ...]] | None:
    """What a text must hold for OpenCC's t2s to change it: one of the one-character keys of
    its tables, or one of the longer keys that hold none of those (three: 有序, …). ``None``
    (always convert) when the converter's tables are not laid out as expected."""
    converter = _t2s()
    try:
        tables = [table for group in converter._dict_chain_data for table in group]
        keys = [key for _, _, mapping in tables for key in mapping]
    except (AttributeError, TypeError, ValueError):  # pragma: no cover - another opencc
        return None
    if not keys or not all(isinstance(key, str) and key for key in keys):
        return None  # pragma: no cover - an empty key would match anywhere
    characters = frozenset(key for key in keys if len(key) == 1)
    phrases = tuple(key for key in keys if len(key) > 1 and characters.isdisjoint(key))
    return characters, phrases


def to_simplified(text: str) -> str:
    """``text`` in simplified characters (OpenCC's t2s table), for matching only: the text a
    document lands with stays as published. Without the converter installed, ``text``.
    A text that holds no key of OpenCC's tables is returned as it is without asking it
    (most are: the converter is slow, and identification asks for every top line)."""
    if simplified_as_is(text):
        return text
    converter = _t2s()
    assert converter is not None  # (simplified_as_is without one)
    return converter.convert(text)


def simplified_as_is(text: str) -> bool:
    """True when :func:`to_simplified` returns ``text`` as it is without converting it — and
    then every part of ``text`` too (a part holds no key the whole does not hold): a caller
    reading many parts of one text (its lines, cells) asks once for the text."""
    if _t2s() is None or text.isascii():
        return True
    triggers = _t2s_triggers()
    return triggers is not None and not _holds_trigger_character(text, triggers[0]) \
        and not any(phrase in text for phrase in triggers[1])


def _holds_trigger_character(text: str, characters: frozenset[str]) -> bool:
    """``not characters.isdisjoint(text)``, by one scan of the text against the class of the
    characters (char_classes.find: a bitmap look-up a character; the set would make a
    string of every character of the text)."""
    return find(_trigger_class(characters), text) >= 0


@functools.lru_cache(maxsize=2)
def _trigger_class(characters: frozenset[str]) -> CharClass:
    return char_class(characters)


# --- prose reflow -------------------------------------------------------------------------

_SENTENCE_END = ("。", "；", ";", "！", "？")
_HEADING = re.compile(
    r"^\s*(?:"
    r"[一二三四五六七八九十]+、"  # 一、
    r"|[（(][一二三四五六七八九十\d]+[）)]"  # （一） (1)
    r"|\d+[.、．](?!\d)"  # 1. 1、
    r"|第[一二三四五六七八九十]+部分"
    r"|附件\s*\d*"
    r"|表[一二三四五六七八九十]+\s*$"
    r")"
)


@fast_init
@dataclass(frozen=True)
class Paragraph:
    """Prose lines joined into one string, with the source line of every character."""

    text: str
    starts: tuple[int, ...]  # offsets in ``text`` where each source line begins
    lines: tuple[int, ...]  # the source line number of each start

    def line_at(self, offset: int) -> int:
        """The 1-based source line of the character at ``offset``."""
        if len(self.lines) == 1:
            return self.lines[0]  # (a paragraph of one line, the commonest)
        index = bisect.bisect_right(self.starts, offset) - 1
        return self.lines[index if index > 0 else 0]

    @property
    def first_line(self) -> int:
        return self.lines[0]


def is_heading(text: str) -> bool:
    return bool(_HEADING.match(text))


def reflow(numbered_lines: Iterable[tuple[int, str]]) -> list[Paragraph]:
    """Join prose lines into paragraphs.

    A line continues the previous one unless the previous one ended a sentence or the line
    starts a heading (一、 （一） 1. 附件…). Blank lines never end a paragraph by themselves:
    PDF text puts a blank line after every printed line.
    """
    paragraphs: list[Paragraph] = []
    parts: list[str] = []  # the paragraph's pieces, with the spaces put between lines
    starts: list[int] = []
    numbers: list[int] = []
    length = 0
    previous = ""
    items = [(number, text) for number, raw in numbered_lines if (text := raw.strip())]
    last = len(items) - 1
    for index, (number, text) in enumerate(items):
        # (a footer, see is_page_footer, starts with a digit, a dash or 第: other lines are not)
        if (text[0] in _FOOTER_FIRST or text[0].isdigit()) and is_page_footer(
                text, previous, items[index + 1][1] if index < last else ""):
            continue  # a page number or footer printed mid-sentence
        heading = _HEADING.match(text) is not None  # (is_heading)
        if parts and (heading or previous.endswith(_SENTENCE_END)):
            paragraphs.append(Paragraph("".join(parts), tuple(starts), tuple(numbers)))
            parts, starts, numbers, length = [], [], [], 0
        # (_needs_space is False unless the previous line ends in a digit (str.isdigit: ① and
        # ３ too) or an ASCII letter: a line ending in a CJK character or stop, most do, is
        # joined without the call)
        end = previous[-1] if parts else ""
        if end and (end.isascii() or end.isdigit()) and _needs_space(previous, text):
            parts.append(" ")
            length += 1
        starts.append(length)
        numbers.append(number)
        parts.append(text)
        length += len(text)
        previous = text
        if heading and len(text) <= 30 and not _has_figure(text):
            # a short heading line stands alone
            paragraphs.append(Paragraph("".join(parts), tuple(starts), tuple(numbers)))
            parts, starts, numbers, length = [], [], [], 0
            previous = ""
    if parts:
        paragraphs.append(Paragraph("".join(parts), tuple(starts), tuple(numbers)))
    return paragraphs


_FOOTER = re.compile(
    r"^(?:[-—–]\s*\d{1,4}\s*[-—–]|第\s*\d{1,4}\s*页(?:\s*[,，/]?\s*共\s*\d{1,4}\s*页)?"
    r"|\d{1,4}\s*/\s*\d{1,4})$"
)
_BARE_NUMBER = re.compile(r"^\d{1,3}$")
_FOOTER_FIRST = "-—–第"  # what a footer that does not start with a digit starts with


def is_page_footer(text: str, previous: str = "", following: str = "") -> bool:
    """A page number or footer standing alone between prose lines (``- 3 -``, ``第 3 页``,
    ``3/20``, or a bare ``18`` that neither continues a number on the line before nor is
    followed by its unit or decimals)."""
    text = text.strip()
    if _FOOTER.match(text):
        return True
    if not _BARE_NUMBER.match(text):
        return False
    if previous and (previous[-1].isdigit() or previous[-1] in ".．-+"):
        return False
    return not following or not _CONTINUES_NUMBER.match(following)


def _needs_space(left: str, right: str) -> bool:
    """Latin words broken across lines keep a separating space, and so do two digit runs:
    gluing "增加 12" to "34 万元" would invent 1234. A number wrapped after its decimal point
    ("6151." / "49") is joined."""
    if not left or not right:
        return False
    if left[-1].isdigit() and right[0].isdigit():
        return True
    return left[-1].isascii() and left[-1].isalpha() and right[0].isascii() and right[0].isalpha()


def _has_figure(text: str) -> bool:
    return bool(_FIGURE_WITH_UNIT.search(text))


def numbered(lines: Sequence[str], numbers: Iterable[int]) -> list[tuple[int, str]]:
    """Pair 1-based line numbers with their text."""
    return [(n, lines[n - 1]) for n in numbers]
