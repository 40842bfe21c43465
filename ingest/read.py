"""Bytes → text: encoding detection and a reader interface other formats can plug into.

A reader turns one file's bytes into text whose lines are what the parsers see. Plain text is
read here; a PDF or Excel reader can be added later by registering another function for its
suffix in ``READERS`` — it returns the same :class:`DecodedText` (a PDF reader would put one
page's text after another and record page starts in ``page_starts``).
"""

from __future__ import annotations

import codecs
from collections.abc import Callable
from dataclasses import dataclass, field


class UnreadableDocument(ValueError):
    """The file cannot be turned into text; ``reason`` says what to do about it."""

    def __init__(self, source: str, reason: str) -> None:
        super().__init__(f"{source}: {reason}")
        self.source = source
        self.reason = reason


@dataclass(frozen=True)
class DecodedText:
    text: str
    encoding: str
    page_starts: tuple[int, ...] = field(default=())  # 1-based line numbers where pages begin


_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)

# Share of characters that must be CJK, ASCII printable or common punctuation for a decoding
# to count as text. Random bytes decoded as GB18030 give mostly rare ideographs and controls.
_MIN_PLAUSIBLE = 0.85


def _plausible_share(text: str) -> float:
    if not text:
        return 0.0
    good = 0
    for ch in text:
        code = ord(ch)
        if (
            ch in "\n\r\t"
            or 0x20 <= code < 0x7F
            or 0x4E00 <= code <= 0x9FFF  # CJK unified ideographs
            or 0x3000 <= code <= 0x303F  # CJK punctuation
            or 0xFF00 <= code <= 0xFFEF  # full-width forms
            or 0x2000 <= code <= 0x206F  # general punctuation (“ ” …)
            or code in (0xB7, 0xD7, 0x2264, 0x2265, 0x2266, 0x2267, 0x25CB, 0x25CF)
        ):
            good += 1
    return good / len(text)


def decode_text(data: bytes, source: str = "<bytes>") -> DecodedText:
    """Decode a text document, detecting UTF-8 (with or without BOM), UTF-16 and GB18030/GBK.

    Raises :class:`UnreadableDocument` for empty input and for bytes that are not text in any
    of these encodings.
    """
    if not data.strip():
        raise UnreadableDocument(source, "the file is empty; re-download it from the publisher")
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return DecodedText(data.decode(encoding), encoding.replace("-sig", "-bom"))
            except UnicodeDecodeError as exc:
                raise UnreadableDocument(
                    source, f"starts with a {encoding} byte-order mark but is not {encoding} "
                    f"(byte {exc.start}); re-export the file as UTF-8"
                ) from exc
    try:
        text = data.decode("utf-8")
        if "\x00" not in text and _plausible_share(text) >= _MIN_PLAUSIBLE:
            return DecodedText(text, "utf-8")
    except UnicodeDecodeError:
        pass
    # Without a BOM, GB18030 and UTF-16 both decode almost any bytes: keep the reading that
    # looks most like Chinese text.
    best: tuple[float, str, str] | None = None
    for encoding, label in (("gb18030", "gb18030"), ("utf-16-le", "utf-16"),
                            ("utf-16-be", "utf-16")):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if "\x00" in text:
            continue
        share = _plausible_share(text)
        if share >= _MIN_PLAUSIBLE and (best is None or share > best[0]):
            best = (share, text, label)
    if best is not None:
        return DecodedText(best[1], best[2])
    raise UnreadableDocument(
        source,
        "is not text in UTF-8, UTF-16 or GB18030 (binary or corrupted content); "
        "if it is a PDF or spreadsheet, export its text or add a reader for that format",
    )


def _read_text_file(data: bytes, source: str) -> DecodedText:
    return decode_text(data, source)


def _looks_like_pdf(data: bytes) -> bool:
    return data.lstrip()[:5] == b"%PDF-"


def _read_pdf(data: bytes, source: str) -> DecodedText:
    if not _looks_like_pdf(data):
        raise UnreadableDocument(
            source, "is named .pdf but is not a PDF (no %PDF- header); re-download it"
        )
    from ingest.read_pdf import read_pdf  # imported here: pdfplumber is slow to import

    return read_pdf(data, source)


Reader = Callable[[bytes, str], DecodedText]

READERS: dict[str, Reader] = {
    ".txt": _read_text_file,
    ".text": _read_text_file,
    ".md": _read_text_file,
    ".pdf": _read_pdf,
}


def read_document(data: bytes, source: str) -> DecodedText:
    """Pick a reader by the file's suffix (unknown suffixes are tried as text)."""
    suffix = source[source.rfind(".") :].lower() if "." in source else ""
    reader = READERS.get(suffix, _read_text_file)
    if reader is _read_text_file and _looks_like_pdf(data):
        reader = _read_pdf
    return reader(data, source)
