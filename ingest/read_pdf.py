"""PDF → text for the parsers (placeholder until the PDF reader lands)."""

from __future__ import annotations

from ingest.read import DecodedText, UnreadableDocument


def read_pdf(data: bytes, source: str) -> DecodedText:
    raise UnreadableDocument(
        source,
        "is a PDF; this version reads text exports only (save the PDF's text as .txt)",
    )
