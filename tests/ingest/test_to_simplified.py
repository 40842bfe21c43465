"""``to_simplified`` skips OpenCC only where OpenCC would change nothing."""

from __future__ import annotations

from pathlib import Path

from ingest.normalise import _t2s, _t2s_triggers, to_simplified

ROOT = Path(__file__).resolve().parents[2]


def _lines() -> list[str]:
    lines: list[str] = []
    for path in sorted((ROOT / "data" / "raw").glob("*.txt")):
        lines.extend(line for line in path.read_text(encoding="utf-8").splitlines() if line)
    return lines


def test_same_as_opencc_on_every_line_of_the_bundled_texts() -> None:
    converter = _t2s()
    lines = _lines()
    assert len(lines) > 500
    for line in lines:
        assert to_simplified(line) == converter.convert(line), line


def test_traditional_and_ambiguous_characters_still_convert() -> None:
    # traditional titles, and simplified characters OpenCC turns into others (乾 → 干)
    for text in (
        "重慶市萬州區財政局2023年部門預算",
        "臺灣",
        "乾安县",
        "一般公共預算支出",
        "於",
        "著作",
    ):
        assert to_simplified(text) == _t2s().convert(text)
    assert to_simplified("重慶市萬州區") == "重庆市万州区"
    triggers = _t2s_triggers()
    assert triggers is not None and "慶" in triggers[0] and "乾" in triggers[0]
    for phrase in triggers[1]:  # keys of characters OpenCC leaves alone one by one
        assert to_simplified(f"一{phrase}二") == _t2s().convert(f"一{phrase}二")
