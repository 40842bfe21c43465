"""Table blocks: the unit of work between the segmenter and the table parsers."""

from __future__ import annotations

from dataclasses import dataclass, field

from ingest.fast_init import fast_init


@fast_init
@dataclass(frozen=True)
class Line:
    """One line of the normalised text with its 1-based number."""

    number: int
    text: str

    @property
    def cells(self) -> list[str]:
        """Tab-separated cells, each stripped of surrounding spaces."""
        return [cell.strip() for cell in self.text.split("\t")]

    @property
    def is_blank(self) -> bool:
        return not self.text.strip()


@dataclass
class TableBlock:
    """A table as found in the text: its title area and its tab-separated lines.

    ``lines`` holds every line from the first header line to the last row, blank lines
    excluded, with page-break repeats of the title and ``单位`` lines removed (a repeated
    header stays in ``lines``; parsers recognise it). ``context`` holds the non-tab lines
    inside the block that are not rows (notes such as ``(备注：本单位无政府性基金收支…)``).
    """

    document_id: str
    table_id: int
    kind: str
    identified_by: str  # 'title' | 'shape' | 'none'
    label: str  # 附件 3 / 表七, '' when none
    title: str
    title_line: int
    unit: str  # '万元' | '元' | '' when the document does not establish it
    lines: list[Line] = field(default_factory=list)
    context: list[Line] = field(default_factory=list)
    page_breaks: list[int] = field(default_factory=list)  # line numbers where a repeat began
    # where the unit came from: 'unit line' | 'title' | 'issuer line' | 'inherited' | '' (none);
    # a unit stated twice differently is '' with the conflict in ``unit_problem``
    unit_source: str = ""
    unit_problem: str = ""
