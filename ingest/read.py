"""Bytes → text: encoding detection and a reader interface other formats can plug into.

A reader turns one file's bytes into text whose lines are what the parsers see. Plain text is
read here; a PDF or Excel reader can be added later by registering another function for its
suffix in ``READERS`` — it returns the same :class:`DecodedText` (a PDF reader would put one
page's text after another and record page starts in ``page_starts``).

What is read, and what is refused (each refusal says why and what to do):

- UTF-8 (with or without BOM), UTF-16 (LE/BE, with or without BOM), UTF-32 with a BOM, and
  GB18030 (which includes GBK and GB2312). Without a BOM, GB18030 and UTF-16 decode almost any
  bytes, so a reading only counts when it looks like Chinese text: mostly CJK, ASCII and
  punctuation, most ideographs among the 3,755 common ones (GB2312 level 1), and a fair share
  among the few hundred most frequent ones (for a text printed in traditional characters, on
  its simplified view). Japanese or Korean bytes read as GB18030 give rare ideographs, or
  common ones in a random order, and are refused, not landed as gibberish.
- A file cut off inside a multi-byte character (an interrupted download) is read up to the
  cut; a few invalid byte sequences in an otherwise valid file are replaced by U+FFFD. Both are
  reported in :attr:`DecodedText.problems` so the document lands as ``partial``, not lost.
- Refused: empty files, known binary formats (ZIP/xlsx/docx, old Office, images, archives),
  and text in other legacy encodings. Big5, Shift_JIS and EUC-KR are recognised only to name
  them in the reason: the disclosures this warehouse reads are published in mainland China in
  GB or Unicode encodings, and a Big5 (traditional-character) text would not match the
  simplified vocabulary (预算/决算) the parsers read, so converting it would land nothing useful.
"""

from __future__ import annotations

import codecs
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache

from ingest import traditional
from ingest.char_classes import CharClass, char_class, count


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
    pages_without_text: tuple[int, ...] = field(default=())  # 1-based PDF pages with no text layer
    # Why the text is not exactly what was published (cut inside a character, bytes replaced);
    # sentences a user can act on. Empty when the bytes decoded cleanly.
    problems: tuple[str, ...] = field(default=())


# (byte-order mark, codec for the bytes after it, label); UTF-32 LE before UTF-16 LE, whose
# mark is a prefix of it.
_BOMS: tuple[tuple[bytes, str, str], ...] = (
    (codecs.BOM_UTF8, "utf-8", "utf-8-bom"),
    (codecs.BOM_UTF32_LE, "utf-32-le", "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32-be", "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16-le", "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16-be", "utf-16"),
)

# Binary formats people save next to the text exports, named in the rejection reason.
_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"PK\x03\x04", "a ZIP archive (an Excel .xlsx or Word .docx file is one)"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an old Microsoft Office file (.xls or .doc)"),
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"Rar!\x1a\x07", "a RAR archive"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"),
)

# Share of characters that must be CJK, ASCII printable or common punctuation for a decoding
# to count as text. Random bytes decoded as GB18030 give mostly rare ideographs and controls.
_MIN_PLAUSIBLE = 0.85
# Share of ideographs that must be among the 3,755 common ones (GB2312 level 1) once a text has
# enough ideographs to judge. Measured: the five samples 0.996–1.0; Chinese text saved as Big5,
# Shift_JIS or EUC-KR and read as GB18030 0.0–0.40.
_MIN_COMMON = 0.75
_MIN_IDEOGRAPHS_TO_JUDGE = 20
# Share of ideographs that must be among ~350 of the most frequent characters of written
# Chinese, once a text has ``_MIN_IDEOGRAPHS_FOR_FREQUENCY`` of them. Korean (EUC-KR) bytes
# read as GB18030 give common characters in a random order, so the level-1 check passes them.
# Measured: the five samples 0.60–0.63, a short essay 0.67; Korean read as GB18030 0.02–0.11.
_MIN_FREQUENT = 0.25
_MIN_IDEOGRAPHS_FOR_FREQUENCY = 50
_FREQUENT_IDEOGRAPHS = frozenset(
    "的一是不了在人有我他这个们中来上大为和国地到以说时要就出会可也你对生能而子那得于着下自之"
    "年过发后作里用道行所然家种事成方多经么去法学如都同现当没动面起看定天分还进好小部其些主样"
    "理心她本前开但因只从想实日军者意无力它与长把机十民第公此已工使情明性知全三又关点正业外将"
    "两高间由问很最重并物手应战向头文体政美相见被利什二等产或新己制身果加西斯月话合回特代内信"
    "表化老给世位次度门任常先海通教儿原东声提立及比员解水名真论处走义各入几口认条平系气题活尔"
    "更别打女变四神总何电数安少报才结反受目太量再感建务做接必场件计管期市直德资命山金指克许统"
    "区保至队形社便空决治展马科司五基眼书非则听白却界达光放强即像难且权思王象完设式色路记南品"
    "住告类求据程北边死张该交规万取拉格望觉术领共确传师观清今切院让识候带导争运笔"
)
# Invalid byte sequences tolerated (replaced by U+FFFD) before a file counts as not text: at
# most this many, and at most one per ``_BYTES_PER_TOLERATED_ERROR`` bytes.
_MAX_REPLACED = 16
_BYTES_PER_TOLERATED_ERROR = 2000


def _gb2312_level1() -> frozenset[str]:
    chars: set[str] = set()
    for lead in range(0xB0, 0xD8):
        for trail in range(0xA1, 0xFF):
            try:
                chars.add(bytes((lead, trail)).decode("gb2312"))
            except UnicodeDecodeError:
                continue
    return frozenset(chars)


_COMMON_IDEOGRAPHS = _gb2312_level1()


def _is_ideograph(code: int) -> bool:
    return 0x4E00 <= code <= 0x9FFF


# the CJK unified ideographs (as _is_ideograph)
_IDEOGRAPHS = char_class(ranges=((0x4E00, 0x9FFF),))
# What belongs in a Chinese document: tab, LF, FF, CR, ASCII printable, CJK unified
# ideographs, CJK punctuation, full-width forms, general punctuation (“ ” …) and a few signs.
_PLAUSIBLE_RANGES: tuple[tuple[int, int], ...] = (
    (0x09, 0x0A), (0x0C, 0x0D), (0x20, 0x7E), (0x4E00, 0x9FFF), (0x3000, 0x303F),
    (0xFF00, 0xFFEF), (0x2000, 0x206F), (0xB7, 0xB7), (0xD7, 0xD7), (0x2264, 0x2267),
    (0x25CB, 0x25CB), (0x25CF, 0x25CF),
)


@lru_cache(maxsize=8)
def _implausible(extra: tuple[tuple[int, int], ...]) -> CharClass:
    """The characters outside the plausible ranges and ``extra``."""
    return char_class(ranges=(*_PLAUSIBLE_RANGES, *extra), negated=True)


def _plausible_share(text: str, extra: tuple[tuple[int, int], ...] = ()) -> float:
    """Share of characters that belong in a Chinese document (``extra``: more code ranges)."""
    if not text:
        return 0.0
    bad = count(_implausible(extra), text)
    return (len(text) - bad) / len(text)


@lru_cache(maxsize=1)
def _uncommon_ideographs() -> CharClass:
    """The ideographs that are not common ones (_COMMON_IDEOGRAPHS)."""
    common = {ord(ch) for ch in _COMMON_IDEOGRAPHS if _is_ideograph(ord(ch))}
    return char_class(chr(code) for code in range(0x4E00, 0xA000) if code not in common)


@lru_cache(maxsize=1)
def _frequent_ideographs() -> CharClass:
    """The frequent ideographs (_FREQUENT_IDEOGRAPHS that are ideographs)."""
    return char_class(ch for ch in _FREQUENT_IDEOGRAPHS if _is_ideograph(ord(ch)))


def _common_share(text: str, ideographs: int | None = None) -> float | None:
    """Share of the ideographs that are common ones; None when too few to judge.
    ``ideographs``: how many ``text`` holds (``count(_IDEOGRAPHS, text)``) when counted."""
    if ideographs is None:
        ideographs = count(_IDEOGRAPHS, text)
    if ideographs < _MIN_IDEOGRAPHS_TO_JUDGE:
        return None
    return (ideographs - count(_uncommon_ideographs(), text)) / ideographs


def _frequent_share(text: str, ideographs: int | None = None) -> float | None:
    """Share of the ideographs that are among the most frequent ones; None when too few."""
    if ideographs is None:
        ideographs = count(_IDEOGRAPHS, text)
    if ideographs < _MIN_IDEOGRAPHS_FOR_FREQUENCY:
        return None
    return count(_frequent_ideographs(), text) / ideographs


def _chinese_score(text: str) -> float | None:
    """How much ``text`` looks like a Chinese document; None when it does not."""
    if "\x00" in text:
        return None
    plausible = _plausible_share(text)
    if plausible < _MIN_PLAUSIBLE:
        return None
    shares = _shares(text, count(_IDEOGRAPHS, text))
    if shares is None:
        # a text printed in traditional characters (FIELD_NOTES.md, "How documents arrive")
        # has a third of its ideographs outside the (simplified) common and frequent ones:
        # its shares are those of its simplified view. Measured on the bundled texts printed
        # in traditional characters: common 0.63-0.65 as printed, 1.0 on the view; Big5,
        # Shift_JIS and EUC-KR bytes read as GB18030 or UTF-16 stay below both thresholds
        # on theirs (common at most 0.63, frequent at most 0.12).
        view = traditional.simplified(text)
        shares = _shares(view, count(_IDEOGRAPHS, view))
        if shares is None:
            return None
    return plausible + shares


def _shares(text: str, ideographs: int) -> float | None:
    """The common share (1.0 when too few ideographs to judge it) when the common and the
    frequent shares both pass, else None. ``ideographs``: how many ``text`` holds."""
    common = _common_share(text, ideographs)
    if common is not None and common < _MIN_COMMON:
        return None
    frequent = _frequent_share(text, ideographs)
    if frequent is not None and frequent < _MIN_FREQUENT:
        return None
    return 1.0 if common is None else common


# a control character other than tab, LF, FF and CR
_CONTROL = char_class(ranges=((0x00, 0x08), (0x0B, 0x0B), (0x0E, 0x1F)))


_CONTROL_BYTES = bytes([*range(0x00, 0x09), 0x0B, *range(0x0E, 0x20)])  # the same, as bytes


def _control_share(text: str) -> float:
    controls = count(_CONTROL, text)
    return controls / len(text) if text else 1.0


def _utf8_control_share(data: bytes, text: str) -> float:
    """``_control_share(text)`` of ``text = data.decode("utf-8")``, counted in the bytes (one
    C pass deleting them): in UTF-8 a byte below 0x80 is always the ASCII character itself."""
    controls = len(data) - len(data.translate(None, _CONTROL_BYTES))
    return controls / len(text) if text else 1.0


# What the codecs say when the bytes stop inside a character.
_CUT_REASONS = frozenset({"unexpected end of data", "incomplete multibyte sequence",
                          "truncated data"})


@dataclass(frozen=True)
class _Lenient:
    text: str
    replaced: int
    first_bad: int  # byte offset of the first replaced sequence, -1 when none
    cut_at_end: bool  # the bytes end inside a multi-byte character


def _decode_lenient(data: bytes, encoding: str, offset: int = 0) -> _Lenient | None:
    """Decode, replacing a few invalid sequences with U+FFFD and dropping a character cut off
    at the very end. None when there are too many invalid sequences to call it text.
    ``offset``: where ``data`` starts in the file (after a byte-order mark)."""
    limit = min(_MAX_REPLACED, len(data) // _BYTES_PER_TOLERATED_ERROR)
    parts: list[str] = []
    position = 0
    replaced = 0
    first_bad = -1
    cut = False
    while True:
        try:
            parts.append(data[position:].decode(encoding))
            break
        except UnicodeDecodeError as exc:
            start, end = position + exc.start, position + exc.end
            parts.append(data[position:start].decode(encoding))
            if end >= len(data) and exc.reason in _CUT_REASONS:
                cut = True  # a multi-byte character cut off by the end of the file
                break
            replaced += 1
            if replaced > limit:
                return None
            if first_bad < 0:
                first_bad = offset + start
            parts.append("\ufffd")
            position = end
    return _Lenient("".join(parts), replaced, first_bad, cut)


def _lenient_problems(reading: _Lenient, label: str) -> tuple[str, ...]:
    problems: list[str] = []
    if reading.cut_at_end:
        problems.append(
            "the file ends in the middle of a character (it was cut off, e.g. by an "
            "interrupted download); the text before the cut was read — re-download the full "
            "document"
        )
    if reading.replaced:
        problems.append(
            f"{reading.replaced} invalid byte sequence(s) in the {label} text (the first at "
            f"byte {reading.first_bad}) were replaced by U+FFFD; a figure next to one may be "
            "missing — re-download or re-export the file"
        )
    return tuple(problems)


_LEGACY: tuple[tuple[str, str, tuple[tuple[int, int], ...]], ...] = (
    ("big5", "Big5 (traditional Chinese)", ()),
    ("shift_jis", "Shift_JIS (Japanese)", ((0x3040, 0x30FF),)),
    ("euc_kr", "EUC-KR (Korean)", ((0xAC00, 0xD7A3), (0x3130, 0x318F))),
)


def _legacy_guess(data: bytes) -> str:
    """The legacy encoding the bytes read best in, for the rejection reason; '' when none."""
    best: tuple[float, str] | None = None
    for encoding, name, extra in _LEGACY:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        share = _plausible_share(text, extra)
        if share >= _MIN_PLAUSIBLE and (best is None or share > best[0]):
            best = (share, name)
    return best[1] if best else ""


def _reject_binary(data: bytes, source: str) -> None:
    for magic, what in _MAGIC:
        if data.startswith(magic):
            raise UnreadableDocument(
                source,
                f"is {what}, not text; export the document's text as .txt (UTF-8), or add a "
                "reader for this format to ingest.read.READERS",
            )


def _decode_with_bom(data: bytes, source: str) -> DecodedText | None:
    for bom, encoding, label in _BOMS:
        if not data.startswith(bom):
            continue
        reading = _decode_lenient(data[len(bom) :], encoding, len(bom))
        if reading is None:
            raise UnreadableDocument(
                source, f"starts with a {label} byte-order mark but is not {label} text "
                "(too many invalid byte sequences); re-export the file as UTF-8"
            )
        return DecodedText(reading.text, label, problems=_lenient_problems(reading, label))
    return None


def decode_text(data: bytes, source: str = "<bytes>") -> DecodedText:
    """Decode a text document, detecting UTF-8 (with or without BOM), UTF-16 and GB18030/GBK.

    Raises :class:`UnreadableDocument` for empty input, known binary formats and bytes that are
    not Chinese text in any of these encodings.
    """
    if not data:
        raise UnreadableDocument(
            source, "the file is empty (0 bytes); re-download it from the publisher"
        )
    if not data.strip():
        raise UnreadableDocument(
            source, "the file is empty (only spaces and blank lines); re-download it from the "
            "publisher"
        )
    _reject_binary(data, source)
    with_bom = _decode_with_bom(data, source)
    if with_bom is not None:
        return with_bom
    try:
        text = data.decode("utf-8")
        # Valid UTF-8 with non-ASCII bytes is UTF-8; only NULs and controls make it binary.
        if "\x00" not in text and _utf8_control_share(data, text) < 0.05:
            return DecodedText(text, "utf-8")
    except UnicodeDecodeError:
        pass
    # Without a BOM, GB18030 and UTF-16 both decode almost any bytes: keep the reading that
    # looks most like Chinese text. A reading that needed repairs (a cut-off last character, a
    # few invalid bytes replaced) counts too, after every clean one, and says so.
    best: tuple[int, float, DecodedText] | None = None
    for encoding, label in (("utf-8", "utf-8"), ("gb18030", "gb18030"),
                            ("utf-16-le", "utf-16"), ("utf-16-be", "utf-16")):
        reading = _decode_lenient(data, encoding)
        if reading is None:
            continue
        score = _chinese_score(reading.text)
        if score is None:
            continue
        repairs = reading.replaced + reading.cut_at_end
        key = (-repairs, score)
        if best is None or key > best[:2]:
            decoded = DecodedText(reading.text, label,
                                  problems=_lenient_problems(reading, label))
            best = (*key, decoded)
    if best is not None:
        return best[2]
    legacy = _legacy_guess(data)
    if legacy:
        raise UnreadableDocument(
            source,
            f"is not text in UTF-8, UTF-16 or GB18030: it reads as {legacy}, an encoding this "
            "warehouse does not read; re-save the file as UTF-8 (or GB18030)",
        )
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


def _read_html(data: bytes, source: str) -> DecodedText:
    from ingest.read_html import read_html  # imported here: read_html imports this module

    return read_html(data, source)


def _looks_like_html(data: bytes) -> bool:
    from ingest.read_html import looks_like_html

    return looks_like_html(data)


Reader = Callable[[bytes, str], DecodedText]

READERS: dict[str, Reader] = {
    ".txt": _read_text_file,
    ".text": _read_text_file,
    ".md": _read_text_file,
    ".pdf": _read_pdf,
    ".html": _read_html,
    ".htm": _read_html,
    ".shtml": _read_html,
    ".xhtml": _read_html,
    ".jsp": _read_html,
    ".asp": _read_html,
    ".aspx": _read_html,
    ".php": _read_html,
}


def read_document(data: bytes, source: str) -> DecodedText:
    """Pick a reader by the file's suffix, then by its content: a text file (or one with an
    unknown suffix) that is really a PDF or an HTML page is read as one."""
    suffix = source[source.rfind(".") :].lower() if "." in source else ""
    reader = READERS.get(suffix, _read_text_file)
    if reader is _read_text_file and _looks_like_pdf(data):
        reader = _read_pdf
    elif reader is _read_text_file and _looks_like_html(data):
        reader = _read_html
    return reader(data, source)
