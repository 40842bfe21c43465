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

from ingest.char_classes import CharClass, char_class, count

# A document is read through the view when at least this share of its CJK characters (and
# at least _MIN_CHANGED of them) are traditional forms: a simplified document holds at most a
# few characters the tables would change (乾, 著, 於 in names), a traditional one a third.
_MIN_SHARE = 0.05
_MIN_CHANGED = 5
_CJK = char_class(ranges=((0x3400, 0x9FFF), (0x20000, 0x2FFFF)))
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
    changed = count(_traditional_characters(), text)
    if changed < min_changed:
        return False
    # the share needs the CJK characters counted; when those of a head of the text are
    # already too many for ``changed`` to reach the share, so are those of the whole text
    # (a count of a prefix is a lower bound), and the long count is not made
    head = text[: 64 * (changed + 1)]
    if len(head) < len(text) and changed < _MIN_SHARE * count(_CJK, head):
        return False
    return changed >= _MIN_SHARE * count(_CJK, text)


@lru_cache(maxsize=1)
def _traditional_characters() -> CharClass:
    """The CJK characters the table changes (those of the BMP and the astral ones)."""
    return char_class(ch for ch in map(chr, _table()) if ch in _CJK)


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
