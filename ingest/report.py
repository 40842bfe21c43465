"""The ingest report: what became of every file, readable by a person."""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ingest.batch import IngestResult
    from ingest.document import DocumentResult


def _escape(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def render_report(result: IngestResult) -> str:
    """Markdown: one row per file, then per document the tables and unparsed lines."""
    lines = [
        "# Ingest report",
        "",
        "| file | status | document | rows landed | unparsed lines | page-break repeats | reason |",
        "|---|---|---|---:|---:|---:|---|",
    ]
    for record in result.files:
        lines.append(
            f"| {_escape(record.source_file)} | {record.status} | {record.document_id} | "
            f"{record.rows_landed} | {record.unparsed_lines} | {record.repeated_rows_dropped} | "
            f"{_escape(record.reason)} |"
        )
    for doc in result.documents:
        lines.append(doc.report)
    return "\n".join(lines) + "\n"


def document_section(doc: DocumentResult) -> str:
    """One document's part of the report: its tables and unparsed lines (rendered where the
    document is parsed, so the batch keeps the text, not the records)."""
    d = doc.document
    lines = [
        "",
        f"## {d.document_id} — {d.unit_name} {d.fiscal_year} {d.doc_kind} ({d.source_file})",
        "",
        f"district {d.district_code} {d.district_name}; scope {d.scope}; unit code "
        f"{d.unit_code or '—'}; {len(doc.tables)} tables; {len(doc.cells)} table cells; "
        f"{len(doc.figures)} prose figures; {len(doc.projects)} projects; "
        f"{len(doc.indicators)} indicators; {len(doc.unparsed)} unparsed lines",
        "",
    ]
    if doc.tables:
        lines += ["| table | kind | found by | label | title | rows | cells | note |",
                  "|---:|---|---|---|---|---:|---:|---|"]
        for t in doc.tables:
            lines.append(
                f"| {t.table_id} | {t.table_kind} | {t.identified_by} | {t.label} | "
                f"{_escape(t.title) or '(lost)'} | {t.row_count} | {t.cell_count} | "
                f"{_escape(t.note)} |"
            )
    if doc.unparsed:
        reasons = Counter(u.reason for u in doc.unparsed)
        lines += ["", "Unparsed lines: " + ", ".join(f"{r} {n}" for r, n in reasons.items())]
        for u in doc.unparsed:
            lines.append(f"- line {u.line_number} ({u.reason}): {_escape(u.text[:120])}")
    return "\n".join(lines)
