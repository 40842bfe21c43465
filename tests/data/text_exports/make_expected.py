"""Re-make ``expected/<name>.csv``: the figures of each PDF read as a PDF (ruled tables).

Run from the project root: ``.venv/bin/python tests/data/text_exports/make_expected.py``.
The PDF is read by ``ingest.read`` (pdfplumber, ruled tables) and its figures keyed as in
``tests/text_export_figures.py``; tests only read the CSV files this writes.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from make_exports import SOURCES, name_of  # noqa: E402
from text_export_figures import figures_of_lines, write_expected  # noqa: E402

from ingest.normalise import normalise_text  # noqa: E402
from ingest.read import read_document  # noqa: E402


def main() -> None:
    for pdf in SOURCES:
        decoded = read_document(pdf.read_bytes(), pdf.name)
        figures = figures_of_lines(normalise_text(decoded.text))
        write_expected(name_of(pdf), figures)
        print(name_of(pdf), pdf.name, len(figures))


if __name__ == "__main__":
    main()
