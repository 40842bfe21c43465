"""The simplified view of a document printed in traditional characters, for matching only.

Some units (and mirror sites) publish in traditional characters (FIELD_NOTES.md, "How
documents arrive"). The readers' vocabulary (titles, 单位 lines, 合计, 编码, the prose's figure
keys) is simplified, so they read the *view*: the text converted character for character with
OpenCC's tables (TSCharacters, with the Taiwan and Hong Kong variants first brought to their
standard form). One character for one character keeps every position, so whatever a reader
takes from the view (a cell, a title, a clause) is found again at the same place of the
printed text: :class:`Printed` gives it back as printed. Documents printed in simplified
characters are read as they are (:func:`view` returns None): OpenCC's tables also turn some
simplified characters into others (乾 → 干), which must not change what a simplified
document says.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path

# A document is read through the view when at least this share of its CJK characters (and
# at least _MIN_CHANGED of them) are traditional forms: a simplified document holds at most a
# few characters the tables would change (乾, 著, 於 in names), a traditional one a third.
_MIN_SHARE = 0.05
_MIN_CHANGED = 5
_CJK = re.compile(r"[\u3400-\u9fff\U00020000-\U0002ffff]")
_SPACE = re.compile(r"\s+")


def _pairs(path: Path) -> dict[str, str]:
    out: dict[str, str] = {}
    if not path.exists():
        return out
    for line in path.read_text(encoding="utf-8").splitlines():
        key, _, values = line.partition("\t")
        first = values.split(" ")[0] if values else ""
        if len(key) == 1 and len(first) == 1 and first != key:
            out[key] = first
    return out


@lru_cache(maxsize=1)
def _table() -> dict[int, str]:
    """Traditional character → simplified character (str.translate table)."""
    try:
        import opencc
    except ImportError:  # pragma: no cover - pinned in requirements.txt
        return {}
    folder = Path(opencc.__file__).resolve().parent / "dictionary"
    to_simplified = _pairs(folder / "TSCharacters.txt")
    table = {ord(k): v for k, v in to_simplified.items()}
    for variants in ("TWVariantsRev.txt", "HKVariantsRev.txt"):
        for variant, standard in _pairs(folder / variants).items():
            table.setdefault(ord(variant), to_simplified.get(standard, standard))
    # a variant whose standard form simplifies back to itself (群 → 羣 → 群, and 税, 台, 温, 脱,
    # 户…: 36 characters every simplified text prints) is no traditional form: kept, it was
    # counted as one by is_traditional, so a simplified table with one 税 was read on its view
    return {code: to for code, to in table.items() if to != chr(code)}


def simplified(text: str) -> str:
    """``text`` with every traditional character replaced by its simplified form (same
    length, same positions)."""
    return text.translate(_table())


def is_traditional(text: str, min_changed: int = _MIN_CHANGED) -> bool:
    """True when ``text`` is printed in traditional characters (see _MIN_SHARE); a short
    text (one table) may pass a lower ``min_changed``."""
    _bmp, astral = _traditional_characters()
    # one scan for the BMP characters the table changes and for every astral character (a
    # range), of which those the table changes count
    found = _changed_or_astral().findall(text)
    changed = len(found)
    if changed:
        changed -= sum(1 for ch in found if ch > "\uffff" and ch not in astral)
    if changed < min_changed:
        return False
    # the share needs the CJK characters counted; when those of a head of the text are
    # already too many for ``changed`` to reach the share, so are those of the whole text
    # (a count of a prefix is a lower bound), and the long count is not made
    head = text[: 64 * (changed + 1)]
    if len(head) < len(text) and changed < _MIN_SHARE * len(_CJK.findall(head)):
        return False
    return changed >= _MIN_SHARE * len(_CJK.findall(text))


_ASTRAL = re.compile("[\U00010000-\U0010ffff]")


@lru_cache(maxsize=1)
def _changed_or_astral() -> re.Pattern[str]:
    """A BMP character the table changes, or any astral character."""
    bmp = "".join(sorted(ch for ch in map(chr, _table())
                         if _CJK.fullmatch(ch) and ord(ch) <= 0xFFFF))
    return re.compile(f"[{re.escape(bmp)}\U00010000-\U0010ffff]")


@lru_cache(maxsize=1)
def _traditional_characters() -> tuple[re.Pattern[str] | None, frozenset[str]]:
    """The CJK characters the table changes: those of the BMP as one character class (a
    regular expression matches a class of BMP characters in constant time, a class holding
    astral ones by trying each in turn), the astral ones as a set."""
    keys = [ch for ch in map(chr, _table()) if _CJK.fullmatch(ch)]
    bmp = "".join(sorted(ch for ch in keys if ord(ch) <= 0xFFFF))
    pattern = re.compile(f"[{re.escape(bmp)}]") if bmp else None
    return pattern, frozenset(ch for ch in keys if ord(ch) > 0xFFFF)


def view(lines: Sequence[str], min_changed: int = _MIN_CHANGED) -> list[str] | None:
    """The simplified view of the lines of a traditional text; None for a simplified one.

    A whole document's lines (``min_changed`` left as it is) are read once for the segmenter
    and once for the prose: the second asks :func:`_document_view` again for the same lines."""
    if min_changed != _MIN_CHANGED:
        return _view(lines, min_changed)
    found = _document_view(tuple(lines))
    return None if found is None else list(found)


@lru_cache(maxsize=2)  # (the document being parsed; the tables' own views do not pass here)
def _document_view(lines: tuple[str, ...]) -> tuple[str, ...] | None:
    found = _view(lines, _MIN_CHANGED)
    return None if found is None else tuple(found)


def _view(lines: Sequence[str], min_changed: int) -> list[str] | None:
    if not is_traditional("\n".join(lines), min_changed):
        return None
    return [simplified(line) for line in lines]


class Printed:
    """Gives back, as printed, what a reader took from the view of the same lines."""

    def __init__(self, view_lines: Sequence[str], printed_lines: Sequence[str]) -> None:
        self._view = _SPACE.sub("", "\n".join(view_lines))
        self._printed = _SPACE.sub("", "\n".join(printed_lines))
        self._chars: dict[str, str] = {}  # view character → its first printed form
        for shown, printed in zip(self._view, self._printed, strict=False):
            if shown != printed:
                self._chars.setdefault(shown, printed)

    def of(self, text: str) -> str:
        """``text`` (a cell, a title, a clause of the view; whitespace may differ) as printed.
        Text not found as a whole (a clause the reader put together) takes, character for
        character, the printed form the lines give that character."""
        if not text or text.isascii():
            return text
        core = _SPACE.sub("", text)
        at = self._view.find(core)
        if at < 0:
            return "".join(self._chars.get(ch, ch) for ch in text)
        source = iter(self._printed[at : at + len(core)])
        return "".join(ch if ch.isspace() else next(source) for ch in text)

    def label(self, label: str) -> str:
        """A column label (header cells joined with ' | ') as printed."""
        return " | ".join(self.of(part) for part in label.split(" | "))
