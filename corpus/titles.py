"""Document titles, table labels and unit lines in the forms the field uses."""

from __future__ import annotations

import random

from corpus.units import Unit

_CN_ORDINAL = ("一", "二", "三", "四", "五", "六", "七", "八", "九", "十", "十一", "十二", "十三")


def table_label(style: str, index: int) -> str:
    if style == "附件":
        return f"附件{index}" if index % 2 else f"附件 {index}"
    if style == "表":
        return f"表{_CN_ORDINAL[index - 1]}"
    if style == "公开表":
        return f"公开{index:02d}表"
    if style == "ordinal":  # 五、<title> on the title line
        return f"{_CN_ORDINAL[index - 1]}、"
    return ""


def unit_line(style: str, unit: str, unit_name: str) -> tuple[str, bool]:
    if style == "金额单位":
        return f"金额单位：{unit}", False
    if style == "bracket_title":
        return f"单位：{unit}", True
    if style == "bracket_line":
        return f"（单位：{unit}）", False
    if style == "编制单位":
        return f"编制单位：{unit_name}\t\t\t单位：{unit}", False
    return f"单位：{unit}", False


def compiler_text(label: str, name: str) -> str:
    """A compiler line as printed: ``<label>：<name>`` (``填报单位： <name>``, with a space)."""
    return f"{label}： {name}" if label == "填报单位" else f"{label}：{name}"


def compiler_rows(label: str, name: str, unit: str, placement: str,
                  width: int) -> list[tuple[str, str]]:
    """The rows of a compiler line ``<label>：<name>`` as (first cell, last cell): its name cut
    every ``width`` characters when the cell wraps (0: no wrap), the unit spec ``unit``
    (单位：万元) at the right of its first row (``same_row``), on a row of its own
    (``own_row``), cut after its colon (``wrapped``: 单位： | 万元) or not here (``above``)."""
    text = compiler_text(label, name)
    parts = [text[i:i + width] for i in range(0, len(text), width)] if width else [text]
    rows = [(part, "") for part in parts]
    if placement == "same_row":
        rows[0] = (parts[0], unit)
    elif placement == "own_row":
        rows.append((unit, ""))
    elif placement == "wrapped":
        spec, _, value = unit.partition("：")
        rows += [(spec + "：", ""), (value, "")]
    return rows


def _doc_words(kind: str, scope_word: str) -> tuple[str, str]:
    kind_word = "预算" if kind == "budget" else "决算"
    return kind_word, "" if scope_word == "none" else scope_word


def title_lines(rng: random.Random, unit: Unit, year: int, variants: dict[str, str]) -> list[str]:
    kind_word, scope = _doc_words(variants["kind"], variants["scope_word"])
    form = variants["title_form"]
    du = "年度" if variants["kind"] == "final_accounts" or rng.random() < 0.3 else "年"
    if form == "spaced_year":
        return [f"{unit.name} {year} {du}{scope}{kind_word}情况说明"]
    if form in ("bare", "公开", "信息公开", "公开说明"):
        suffix = "" if form == "bare" else form
        return [f"{unit.name}{year}{du}{scope}{kind_word}{suffix}"]
    if form == "two_lines":
        return [unit.name, f"{year}{du}{scope}{kind_word}情况说明"]
    if form == "year_first":
        return [f"{year}年度{unit.name}{scope}{kind_word}公开"]
    if form == "level_word":
        return [f"{unit.name}{year}年{unit.level_word}{scope or '部门'}{kind_word}"]
    if form == "two_lines_sentence":
        return [unit.name, f"{year}{du}{scope}{kind_word}", f"（按照规定向社会公开{kind_word}信息）"]
    if form == "dated":
        month, day = rng.randint(1, 3 if kind_word == "预算" else 9), rng.randint(1, 28)
        publish_year = year if kind_word == "预算" else year + 1
        return [f"{unit.name}{year}{du}{scope}{kind_word}情况说明",
                f"{publish_year}年{month}月{day}日"]
    if form == "fullwidth_year":  # ２０２３年 (full-width digits)
        wide = "".join(chr(ord(ch) + 0xFEE0) for ch in str(year))
        return [f"{unit.name}{wide}{du}{scope}{kind_word}情况说明"]
    if form == "no_title":  # a cover without a title: the unit stands in the first heading
        return [f"第一部分 {unit.name}概况"]
    if form == "page_number":
        return [f"- {rng.randint(1, 3)} -", f"{unit.name}{year}{du}{scope}{kind_word}情况说明"]
    return [f"{unit.name}{year}{du}{scope}{kind_word}情况说明"]


def contents(title_rows: list[str], budget: bool, scope: str) -> list[str]:
    """A table of contents: the sections and the table titles with leader dots, no tables."""
    kind = "预算" if budget else "决算"
    entries = [f"一、{scope}基本情况", f"二、{scope}{kind}情况说明", "三、“三公”经费情况说明",
               *title_rows]
    lines = ["目  录", ""]
    for page, entry in enumerate(entries, start=1):
        lines.append(f"{entry}{'…' * max(4, 30 - len(entry))}{page + 1}")
    return [*lines, ""]
