"""Small charts as inline SVG, drawn in Python (no script, no network, no renderer download).

Two kinds are enough for the report: horizontal stacked bars (shares, parts of a total,
statuses) and horizontal grouped bars (two or more figures side by side). Every bar carries a
``<title>`` with its exact figure, so hovering shows the number as printed; labels are escaped.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from html import escape

PALETTE = (
    "#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f",
    "#edc948", "#b07aa1", "#ff9da7", "#9c755f", "#bab0ac",
    "#86bcb6", "#d37295", "#a0cbe8", "#ffbe7d", "#8cd17d",
)  # fmt: skip
FONT = (
    "'Noto Sans CJK SC','Source Han Sans SC','WenQuanYi Zen Hei','Microsoft YaHei',"
    "'PingFang SC',sans-serif"
)
ROW = 22  # bar height + gap
BAR = 16
WIDTH = 900

Number = int | float | Decimal


@dataclass(frozen=True)
class Bar:
    """One bar: its label and (series, value) parts, in drawing order."""

    label: str
    parts: Sequence[tuple[str, Number]]


def text_width(text: str, size: float = 12) -> float:
    """Approximate rendered width: CJK and full-width characters are one em, others ~0.6."""
    return sum(size if ord(ch) > 0x2E7F else size * 0.6 for ch in text)


def fmt(value: Number, decimals: int = 2) -> str:
    return f"{float(value):,.{decimals}f}"


def colours(series: Sequence[str]) -> dict[str, str]:
    return {name: PALETTE[i % len(PALETTE)] for i, name in enumerate(series)}


def _series(bars: Sequence[Bar]) -> list[str]:
    seen: list[str] = []
    for bar in bars:
        for name, _ in bar.parts:
            if name not in seen:
                seen.append(name)
    return seen


def _legend(
    series: Sequence[str], palette: dict[str, str], top: float, left: float
) -> tuple[list[str], float]:
    """Legend items wrapped over lines; returns the elements and the height used."""
    items, x, y = [], left, top
    for name in series:
        width = 18 + text_width(name, 11) + 16
        if x + width > WIDTH - 10 and x > left:
            x, y = left, y + 18
        items.append(
            f'<rect x="{x:.1f}" y="{y:.1f}" width="12" height="12" fill="{palette[name]}"/>'
            f'<text x="{x + 16:.1f}" y="{y + 10:.1f}" font-size="11">{escape(name)}</text>'
        )
        x += width
    return items, (y - top) + 22


def _svg(title: str, height: float, body: list[str]) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" width="{WIDTH}" '
        f'height="{height:.0f}" viewBox="0 0 {WIDTH} {height:.0f}" font-family="{FONT}" '
        f'aria-label="{escape(title)}"><title>{escape(title)}</title>' + "".join(body) + "</svg>"
    )


def stacked_bars(
    bars: Sequence[Bar],
    *,
    title: str,
    unit: str = "万元",
    percent: bool = False,
    decimals: int = 2,
    show_sum: bool = True,
) -> str:
    """Horizontal stacked bars; ``percent`` draws every bar as shares of its own total;
    ``show_sum`` prints the sum of the drawn parts at the end of each bar."""
    if not bars:
        return ""
    series = _series(bars)
    palette = colours(series)
    label_width = min(max(text_width(b.label) for b in bars) + 12, 380)
    plot_left, plot_right = label_width, WIDTH - 90
    plot = plot_right - plot_left
    totals = [sum(float(v) for _, v in b.parts if v is not None and float(v) > 0) for b in bars]
    scale_max = 1.0 if percent else (max(totals) or 1.0)
    legend, legend_height = _legend(series, palette, 6, 8)
    top = legend_height + 10
    body = list(legend)
    for index, (bar, total) in enumerate(zip(bars, totals, strict=True)):
        y = top + index * ROW
        body.append(
            f'<text x="{plot_left - 6:.1f}" y="{y + BAR - 4:.1f}" font-size="12" '
            f'text-anchor="end">{escape(bar.label)}</text>'
        )
        x = plot_left
        for name, value in bar.parts:
            if value is None or float(value) <= 0 or total <= 0:
                continue
            share = float(value) / total
            width = plot * (share if percent else float(value) / scale_max)
            tip = f"{bar.label} · {name}: {fmt(value, decimals)} {unit}"
            if percent:
                tip += f" ({share * 100:.1f}%)"
            body.append(
                f'<rect x="{x:.2f}" y="{y:.1f}" width="{max(width, 0.5):.2f}" height="{BAR}" '
                f'fill="{palette[name]}"><title>{escape(tip)}</title></rect>'
            )
            if percent and width > 34:
                body.append(
                    f'<text x="{x + width / 2:.1f}" y="{y + BAR - 4:.1f}" font-size="10" '
                    f'text-anchor="middle" fill="#fff">{share * 100:.0f}%</text>'
                )
            x += width
        if show_sum:
            body.append(
                f'<text x="{x + 4:.1f}" y="{y + BAR - 4:.1f}" font-size="11" fill="#444">'
                f"{fmt(total, decimals)}</text>"
            )
    height = top + len(bars) * ROW + 8
    return _svg(title, height, body)


def grouped_bars(bars: Sequence[Bar], *, title: str, unit: str = "万元", decimals: int = 2) -> str:
    """Horizontal grouped bars: each part of a bar is drawn as its own thin bar."""
    if not bars:
        return ""
    series = _series(bars)
    palette = colours(series)
    label_width = min(max(text_width(b.label) for b in bars) + 12, 380)
    plot_left, plot_right = label_width, WIDTH - 110
    plot = plot_right - plot_left
    values = [float(v) for b in bars for _, v in b.parts if v is not None]
    scale_max = max([*values, 0.0]) or 1.0
    legend, legend_height = _legend(series, palette, 6, 8)
    top = legend_height + 10
    body = list(legend)
    y = top
    thin = 13
    for bar in bars:
        parts = [(n, v) for n, v in bar.parts if v is not None]
        group = max(len(parts), 1) * (thin + 2)
        body.append(
            f'<text x="{plot_left - 6:.1f}" y="{y + group / 2 + 4:.1f}" font-size="12" '
            f'text-anchor="end">{escape(bar.label)}</text>'
        )
        for offset, (name, value) in enumerate(parts):
            yy = y + offset * (thin + 2)
            width = plot * max(float(value), 0.0) / scale_max
            tip = f"{bar.label} · {name}: {fmt(value, decimals)} {unit}"
            body.append(
                f'<rect x="{plot_left:.1f}" y="{yy:.1f}" width="{max(width, 0.5):.2f}" '
                f'height="{thin}" fill="{palette[name]}"><title>{escape(tip)}</title></rect>'
                f'<text x="{plot_left + width + 4:.1f}" y="{yy + thin - 3:.1f}" font-size="10" '
                f'fill="#444">{fmt(value, decimals)}</text>'
            )
        y += group + 10
    return _svg(title, y + 4, body)


@dataclass(frozen=True)
class RateBar:
    """One execution rate: its label, the rate (1 = 100 %) and what it is of (the figures)."""

    label: str
    rate: Number
    detail: str = ""
    indent: bool = False  # drawn under the bar before it (a code under its unit's total)


def _fit(label: str, width: float, size: float) -> str:
    """``label`` cut from the left with '…' to fit ``width`` (the bar's title keeps it whole)."""
    if text_width(label, size) <= width:
        return label
    while label and text_width("…" + label, size) > width:
        label = label[1:]
    return "…" + label


def rate_bars(bars: Sequence[RateBar], *, title: str, reference: float = 1.0) -> str:
    """Horizontal bars of rates (execution = actual / budget) with a dashed line at
    ``reference`` (100 %): below it blue, above it orange; each bar's ``<title>`` gives the
    rate and its figures."""
    if not bars:
        return ""
    label_width = min(max(text_width(b.label) + (14 if b.indent else 0) for b in bars) + 12, 420)
    plot_left, plot_right = label_width, WIDTH - 80
    plot = plot_right - plot_left
    scale_max = max([float(b.rate) for b in bars] + [reference]) * 1.05
    under, over = PALETTE[0], PALETTE[1]
    legend = [
        f'<rect x="8" y="6" width="12" height="12" fill="{under}"/>'
        f'<text x="24" y="16" font-size="11">{escape(f"≤ {reference:.0%} of the budget")}</text>',
        f'<rect x="200" y="6" width="12" height="12" fill="{over}"/>'
        f'<text x="216" y="16" font-size="11">{escape(f"> {reference:.0%} of the budget")}</text>',
    ]
    top = 30
    body = list(legend)
    y = top
    for bar in bars:
        rate = float(bar.rate)
        width = plot * max(rate, 0.0) / scale_max
        colour = over if rate > reference else under
        tip = f"{bar.label}: {rate:.2%}" + (f" ({bar.detail})" if bar.detail else "")
        size = 11 if bar.indent else 12
        shown = _fit(bar.label, label_width - 14, size)
        weight = "" if bar.indent else ' font-weight="bold"'
        body.append(
            f'<text x="{plot_left - 6:.1f}" y="{y + BAR - 4:.1f}" font-size="{size}"{weight} '
            f'text-anchor="end">{escape(shown)}</text>'
            f'<rect x="{plot_left:.1f}" y="{y:.1f}" width="{max(width, 0.5):.2f}" '
            f'height="{BAR}" fill="{colour}"><title>{escape(tip)}</title></rect>'
            f'<text x="{plot_left + width + 4:.1f}" y="{y + BAR - 4:.1f}" font-size="10" '
            f'fill="#444">{rate:.2%}</text>'
        )
        y += ROW
    x = plot_left + plot * reference / scale_max
    body.append(
        f'<line x1="{x:.1f}" y1="{top - 4}" x2="{x:.1f}" y2="{y:.1f}" stroke="#333" '
        f'stroke-dasharray="4 3"/>'
    )
    return _svg(title, y + 6, body)
