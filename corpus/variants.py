"""The dimensions along which generated documents vary, with the default (realistic) mix.

Every document records the value it drew for every dimension, so a score can be broken down
by family (``layout=text``, ``code_style=split`` …). A caller can pin any dimension to one or
more values (``choose={"layout": ("text",)}``); pinned dimensions draw uniformly among the
values given.
"""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence

# dimension → ((value, weight), …); weights are the default mix, roughly as often as the
# field sees them (docs/FIELD_NOTES.md)
DIMENSIONS: dict[str, tuple[tuple[str, float], ...]] = {
    "kind": (("budget", 0.6), ("final_accounts", 0.4)),
    "level": (("county", 0.72), ("city", 0.18), ("province", 0.10)),
    "title_form": (
        ("one_line", 0.30), ("spaced_year", 0.15), ("bare", 0.05), ("公开", 0.04),
        ("信息公开", 0.03), ("公开说明", 0.03), ("two_lines", 0.12),
        ("year_first", 0.06), ("level_word", 0.06), ("two_lines_sentence", 0.05),
        ("dated", 0.06), ("page_number", 0.05), ("fullwidth_year", 0.02), ("no_title", 0.02),
    ),
    "contents": (("none", 0.85), ("toc", 0.15)),  # a table of contents listing the tables
    "scope_word": (("部门", 0.6), ("单位", 0.35), ("none", 0.05)),
    "label_style": (("附件", 0.42), ("表", 0.33), ("公开表", 0.10), ("ordinal", 0.07),
                    ("none", 0.08)),
    "table_title": (("with_unit", 0.55), ("bare", 0.35), ("year_unit", 0.10)),
    "unit_style": (
        ("单位", 0.62), ("金额单位", 0.10), ("bracket_title", 0.08), ("bracket_line", 0.05),
        ("编制单位", 0.15),
    ),
    "money_unit": (("wan", 0.78), ("yuan", 0.12), ("mixed", 0.10)),
    "code_style": (("joined", 0.70), ("split", 0.15), ("spaced", 0.12), ("split_partial", 0.03)),
    "change_columns": (("no", 0.8), ("yes", 0.2)),  # 比上年增减 (budget) / 年初预算数 (final)
    "expenditure_split": (("two", 0.9), ("three", 0.1)),  # + 单位预留机动经费 (budgets)
    "furniture": (("none", 0.9), ("web", 0.1)),  # a web page's breadcrumbs and metadata first
    "prose_numbers": (("plain", 0.9), ("thousands", 0.1)),  # 1,398.18 万元 in the narrative
    "wrap_names": (("no", 0.8), ("yes", 0.2)),
    "basic_lanes": (("one", 0.7), ("two", 0.3)),
    "zero_style": (("blank", 0.8), ("zero", 0.2)),
    "page_break": (("none", 0.66), ("title_header", 0.14), ("header", 0.1), ("repeat_row", 0.05),
                   ("bare", 0.05)),  # bare: a blank line, then the rows go on
    "layout": (("tab", 0.8), ("text", 0.12), ("text_gaps", 0.05), ("text_tight", 0.03)),
    "thousands": (("yes", 0.6), ("no", 0.4)),
    "prior_column": (("no", 0.8), ("yes", 0.2)),
    "funds": (("gpb", 0.8), ("with_other", 0.2)),
    "encoding": (("utf-8", 0.9), ("gb18030", 0.1)),
    # a compiler line between a table's title and its header (部门：X as the Jiangsu budgets,
    # 编制单位：X as Nanjing's, 填报单位： <code>-X as the Chongqing performance tables print it),
    # in ruled copies a row of its own right above the header
    "compiler_line": (("none", 0.82), ("部门", 0.08), ("编制单位", 0.07), ("填报单位", 0.03)),
    # where the unit stands then: at the right of the compiler's row, on a row of its own below
    # it, on its own row with 万元 / 元 wrapped into the next row (单位： | 万元), or where the
    # unit_style puts it, above (the compiler line is then right above the header)
    "compiler_unit": (("same_row", 0.45), ("own_row", 0.2), ("wrapped", 0.15), ("above", 0.2)),
    # the compiler's name wrapped in its cell: the rest alone on the next ruled row(s)
    "compiler_wrap": (("no", 0.7), ("yes", 0.3)),
}

# Dimensions added after corpora had been generated: drawn from a document's second random
# stream (``draw(…, late=…)``), so a document that draws their first value (no compiler line)
# keeps the bytes it had before they existed.
LATE: frozenset[str] = frozenset({"compiler_line", "compiler_unit", "compiler_wrap"})

FAULTS: tuple[str, ...] = (
    "figure_twice",  # a headline figure stated twice with different amounts
    "table_twice",  # one table printed twice
    "conflicting_copy",  # a second document of the same unit and year, one figure different
    "split_files",  # narrative and tables in two files (the tables file has no title)
    "cut_table",  # the last table cut off inside a number (the file ends there)
    "contradicting_totals",  # a 合计 row that is not the sum of its items
    "empty_table",  # a table title with nothing under it
    "header_only",  # a table with its header and no rows
    "social_insurance_zero",  # 社会保险基金支出预算 0.00 万元 beside the real total
)


def draw(rng: random.Random, choose: Mapping[str, Sequence[str]] | None = None,
         late: random.Random | None = None) -> dict[str, str]:
    """One value per dimension (pinned dimensions draw among the values given); the ``LATE``
    dimensions draw from ``late`` (``rng`` when none is given)."""
    choose = choose or {}
    out: dict[str, str] = {}
    for name, options in DIMENSIONS.items():
        source = late if late is not None and name in LATE else rng
        pinned = choose.get(name)
        if pinned:
            known = {v for v, _ in options}
            unknown = [v for v in pinned if v not in known]
            if unknown:
                raise ValueError(
                    f"family {name}={unknown[0]!r} is unknown; choose among "
                    f"{', '.join(sorted(known))}"
                )
            out[name] = source.choice(list(pinned))
        else:
            values = [v for v, _ in options]
            weights = [w for _, w in options]
            out[name] = source.choices(values, weights)[0]
    return out


def parse_families(specs: Sequence[str]) -> dict[str, tuple[str, ...]]:
    """``["layout=text", "code_style=split,spaced"]`` → {layout: (text,), code_style: (…)}."""
    out: dict[str, tuple[str, ...]] = {}
    for spec in specs:
        name, _, values = spec.partition("=")
        if name not in DIMENSIONS or not values:
            raise ValueError(
                f"--family {spec!r}: expected DIMENSION=VALUE[,VALUE] with DIMENSION one of "
                f"{', '.join(DIMENSIONS)}"
            )
        out[name] = tuple(v for v in values.split(",") if v)
    return out
