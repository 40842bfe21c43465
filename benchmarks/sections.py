"""A ``## `` section of a Markdown file (BENCHMARKS.md) written by a benchmark."""

from __future__ import annotations

from pathlib import Path


def replace_section(text: str, heading: str, new_section: str) -> str:
    """``text`` with the section under ``heading`` replaced by ``new_section`` (up to the
    next ``## `` heading), or with ``new_section`` appended."""
    start = text.find(heading)
    if start < 0:
        return text.rstrip("\n") + "\n\n" + new_section
    end = text.find("\n## ", start + len(heading))
    rest = text[end + 1 :] if end >= 0 else ""
    return text[:start] + new_section + ("\n" + rest if rest else "")


def write_section(path: Path, heading: str, new_section: str) -> None:
    """Replace (or add) the section under ``heading`` in the file at ``path``."""
    existing = path.read_text(encoding="utf-8") if path.exists() else ""
    path.write_text(replace_section(existing, heading, new_section), encoding="utf-8")
