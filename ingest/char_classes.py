"""Classes of characters, and how many characters of a text belong to one.

Reading a document counts characters of a class over its whole text several times (its CJK
characters and traditional forms, and, for a text not in UTF-8, the plausible characters and
the common and frequent ideographs of each candidate decoding). A :class:`CharClass` is made
once from its characters and code ranges; :func:`count` counts with the C extension
``ingest._char_counts`` (``ingest/native/char_counts.c``, a bitmap look-up a character) when it
is built, else with the class's regular expression (``len(pattern.findall(text))``): the same
number either way (``tests/ingest/test_char_classes.py``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

try:  # the C counter, built with the compiled modules (ingest/native/char_counts.c)
    from ingest._char_counts import count as _c_count
    from ingest._char_counts import find as _c_find
except ImportError:  # no current build, or INGEST_PURE=1: counted with the expression
    _c_count = _c_find = None

_CODE_POINTS = 0x110000
_INVERT = bytes(255 - byte for byte in range(256))


@dataclass(frozen=True)
class CharClass:
    """A class of characters: its runs of code points, and a bitmap of them."""

    runs: tuple[tuple[int, int], ...]  # sorted, disjoint (low, high) runs, inclusive
    negated: bool  # the class is every code point outside the runs
    bitmap: bytes  # bit c (bitmap[c >> 3] >> (c & 7) & 1) set for each code point c in it

    def __contains__(self, character: str) -> bool:
        code = ord(character)
        return code >> 3 < len(self.bitmap) and bool(self.bitmap[code >> 3] >> (code & 7) & 1)

    @property
    def pattern(self) -> re.Pattern[str]:
        """The class as one character of a regular expression."""
        return _pattern(self.runs, self.negated)


def char_class(characters: Iterable[str] = (), ranges: Iterable[tuple[int, int]] = (),
               negated: bool = False) -> CharClass:
    """The class of ``characters`` and the code points of ``ranges`` (inclusive: (low, high)),
    or, ``negated``, of every other code point."""
    runs: list[tuple[int, int]] = []
    for low, high in sorted([*((ord(ch), ord(ch)) for ch in characters), *ranges]):
        if runs and low <= runs[-1][1] + 1:
            runs[-1] = (runs[-1][0], max(runs[-1][1], high))
        else:
            runs.append((low, high))
    bits = bytearray(_CODE_POINTS // 8)
    for low, high in runs:
        if low == high:
            bits[low >> 3] |= 1 << (low & 7)
        else:
            _set_range(bits, low, high)
    if negated:
        bits = bits.translate(_INVERT)
    return CharClass(tuple(runs), negated, bytes(bits.rstrip(b"\0")))


@lru_cache(maxsize=64)
def _pattern(runs: tuple[tuple[int, int], ...], negated: bool) -> re.Pattern[str]:
    return re.compile(_members(runs, negated))


def _set_range(bits: bytearray, low: int, high: int) -> None:
    while low <= high and low & 7:
        bits[low >> 3] |= 1 << (low & 7)
        low += 1
    while low <= high and high & 7 != 7:
        bits[high >> 3] |= 1 << (high & 7)
        high -= 1
    if low <= high:  # whole bytes: low is the first of one, high the last of another
        bits[low >> 3 : (high >> 3) + 1] = b"\xff" * ((high >> 3) - (low >> 3) + 1)


def count(members: CharClass, text: str) -> int:
    """How many characters of ``text`` are in the class."""
    if _c_count is not None:
        return _c_count(text, members.bitmap)
    return count_pure(members, text)


def find(members: CharClass, text: str) -> int:
    """The index of the first character of ``text`` in the class, -1 when none."""
    if _c_find is not None:
        return _c_find(text, members.bitmap)
    return find_pure(members, text)


def find_pure(members: CharClass, text: str) -> int:
    """:func:`find` by regular expressions (what it does without the extension), as
    :func:`count_pure` reads the class: its BMP characters in one search, then the astral
    characters before that one by one when the class holds some."""
    runs, astral = _pure_patterns(members.runs, members.negated)
    found = runs.search(text)
    at = -1 if found is None else found.start()
    if astral is not None:
        for character in astral.finditer(text, 0, len(text) if at < 0 else at):
            if character.group() in members:
                return character.start()
    return at


def count_pure(members: CharClass, text: str) -> int:
    """:func:`count` by regular expressions (what it does without the extension): the
    characters of the runs of the class's BMP characters (no string made for each), and the
    astral characters one by one when the class holds some (a class of BMP characters is
    matched in constant time, one holding astral ones by trying each of its ranges in turn)."""
    runs, astral = _pure_patterns(members.runs, members.negated)
    found = sum(map(len, runs.findall(text)))
    if astral is not None:
        found += sum(1 for character in astral.findall(text) if character in members)
    return found


_ASTRAL = re.compile("[\U00010000-\U0010ffff]")

# White space as str.isspace, re's \s and str.split see it (Unicode's White_Space and the
# four ASCII separators \x1c-\x1f), but the tab: a ruled row's cell separator.
SPACE_BUT_TAB = char_class(ranges=(
    (0x0A, 0x0D), (0x1C, 0x20), (0x85, 0x85), (0xA0, 0xA0), (0x1680, 0x1680), (0x2000, 0x200A),
    (0x2028, 0x2029), (0x202F, 0x202F), (0x205F, 0x205F), (0x3000, 0x3000)))


@lru_cache(maxsize=64)
def _pure_patterns(runs: tuple[tuple[int, int], ...], negated: bool
                   ) -> tuple[re.Pattern[str], re.Pattern[str] | None]:
    """A run of the class's characters (its BMP ones when it holds astral ones: then the
    astral characters' pattern too)."""
    if not runs or runs[-1][1] <= 0xFFFF:  # no astral run: one pattern counts the class
        return re.compile(_members(runs, negated) + "+"), None
    bmp = tuple((low, min(high, 0xFFFF)) for low, high in runs if low <= 0xFFFF)
    if negated:  # the BMP characters outside the runs
        return re.compile(_members((*bmp, (0x10000, 0x10FFFF)), True) + "+"), _ASTRAL
    return re.compile(_members(bmp, False) + "+"), _ASTRAL


def _members(runs: tuple[tuple[int, int], ...], negated: bool) -> str:
    """The runs as a class of a regular expression (one character)."""
    members = "".join(re.escape(chr(low)) if low == high
                      else f"{re.escape(chr(low))}-{re.escape(chr(high))}" for low, high in runs)
    if not members:  # (an empty class matches nothing; negated, everything)
        return r"[\s\S]" if negated else r"[^\s\S]"
    return f"[{'^' if negated else ''}{members}]"
