"""Re-make the text exports bundled here (needs pdfplumber, pypdfium2 and Debian's poppler-utils).

Run from the project root: ``.venv/bin/python tests/data/text_exports/make_exports.py``.
Nothing in the tests or the pipeline runs this; it documents exactly how each file was made.
"""

from __future__ import annotations

import hashlib
import subprocess
from pathlib import Path

import pdfplumber
import pypdfium2

ROOT = Path(__file__).resolve().parents[3]
OUT = Path(__file__).resolve().parent
SOURCES = [
    *sorted((ROOT / "data" / "raw").glob("*.pdf")),
    ROOT / "data" / "jiangsu" / "42d4fd889f7a012f.pdf",
    ROOT / "data" / "jiangsu" / "324795c7efce9893.pdf",
]


def name_of(pdf: Path) -> str:
    """Files are named by the first 16 hex digits of the PDF's SHA-256 (as data/jiangsu)."""
    return hashlib.sha256(pdf.read_bytes()).hexdigest()[:16]


def plumber(pdf: Path, layout: bool) -> str:
    with pdfplumber.open(pdf) as doc:
        return "\n".join(page.extract_text(layout=layout) for page in doc.pages) + "\n"


def pdfium(pdf: Path) -> str:
    doc = pypdfium2.PdfDocument(str(pdf))
    pages = []
    for page in doc:
        textpage = page.get_textpage()
        pages.append(textpage.get_text_range())
        textpage.close()
        page.close()
    doc.close()
    return "\n".join(pages) + "\n"


def poppler(pdf: Path, layout: bool) -> str:
    args = ["pdftotext", "-enc", "UTF-8", *(["-layout"] if layout else []), str(pdf), "-"]
    return subprocess.run(args, check=True, capture_output=True).stdout.decode("utf-8")


EXPORTERS = {
    "pdfplumber": lambda pdf: plumber(pdf, layout=False),
    "pdfplumber_layout": lambda pdf: plumber(pdf, layout=True),
    "pypdfium2": pdfium,
    "pdftotext": lambda pdf: poppler(pdf, layout=False),
    "pdftotext_layout": lambda pdf: poppler(pdf, layout=True),
}


def main() -> None:
    for exporter, export in EXPORTERS.items():
        folder = OUT / exporter
        folder.mkdir(exist_ok=True)
        for pdf in SOURCES:
            text = export(pdf)
            (folder / f"{name_of(pdf)}.txt").write_text(text, encoding="utf-8", newline="")
            print(exporter, pdf.name, len(text))


if __name__ == "__main__":
    main()
