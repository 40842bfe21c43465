"""How a document prints its numbers (cells of its tables, figures of its narrative)."""

from __future__ import annotations

import random
from decimal import ROUND_HALF_UP, Decimal

TEN_THOUSAND = Decimal(10000)
CENT = Decimal("0.01")


def wan_text(amount: Decimal) -> str:
    """Decimal text without exponent or trailing zeros ('1398.18', '25', '0')."""
    text = format(amount, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text or "0"


class Printer:
    """How this document prints numbers."""

    def __init__(self, rng: random.Random, variants: dict[str, str], granularity: int) -> None:
        self.thousands = variants["thousands"] == "yes"
        self.zero = variants["zero_style"]
        self.granularity = granularity
        self.short_prose = rng.random() < 0.3  # 68.2 / 25 rather than 68.20 / 25.00
        self.prose_thousands = variants["prose_numbers"] == "thousands"

    def cell(self, yuan: int, unit: str) -> str:
        if yuan == 0:
            return "0.00" if self.zero == "zero" else ""
        if unit == "万元":
            if yuan % 100:  # not a whole cent of 万元: round half up, as a report would
                yuan = (yuan + 50) // 100 * 100
            whole, cents = divmod(yuan // 100, 100)
        else:
            whole, cents = yuan, 0
        return f"{whole:,}.{cents:02d}" if self.thousands else f"{whole}.{cents:02d}"

    def prose(self, yuan: int) -> tuple[str, Decimal]:
        """A 万元 figure as the narrative prints it (rounded to the cent of 万元)."""
        value = (Decimal(yuan) / TEN_THOUSAND).quantize(CENT, rounding=ROUND_HALF_UP)
        text = f"{value:,.2f}" if self.prose_thousands else f"{value:.2f}"
        if self.short_prose and not self.prose_thousands:
            text = wan_text(value)
        return text, Decimal(text.replace(",", ""))


def cell_amount_wan(cell: str, unit: str) -> str:
    """The printed cell in 万元, exactly (Decimal for 元; 万元 text kept as printed)."""
    text = cell.replace(",", "")
    if unit == "元":
        return wan_text(Decimal(text) / TEN_THOUSAND)
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text or "0"
