"""The fast reader's vectorised steps give what their plain Python statements give."""

from __future__ import annotations

import random

from ingest.pdf_pdfium import _suspects, _suspects_slowly


def _page(rng: random.Random, n: int) -> tuple[list[str], list[float], list[float], list[float]]:
    texts = [rng.choice("0123456789元万合计") for _ in range(n)]
    x0s = [round(rng.uniform(50, 550), rng.choice((0, 1, 4))) for _ in range(n)]
    tops = [round(rng.uniform(50, 90), rng.choice((0, 1, 4))) for _ in range(n)]
    sizes = [rng.choice((9.0, 10.5, 12.0)) for _ in range(n)]
    for _ in range(rng.randrange(3)):  # a fake bold: a character printed again, shifted < 1 pt
        k = rng.randrange(n)
        texts.append(texts[k])
        x0s.append(x0s[k] + rng.choice((0.0, 0.3, 1.0, 1.5)))
        tops.append(tops[k] + rng.choice((0.0, 0.5, 1.0, 2.0)))
        sizes.append(sizes[k])
    return texts, x0s, tops, sizes


def test_suspects_are_the_groups_with_a_cluster() -> None:
    rng = random.Random(7)
    found = 0
    for _ in range(400):
        page = _page(rng, rng.randrange(1, 60))
        expected = _suspects_slowly(*page)
        assert _suspects(*page) == expected
        found += bool(expected)
    assert found > 50  # the comparison covered pages with doubled characters


def test_no_suspect_on_a_page_without_doubles() -> None:
    texts, x0s = list("一二三四"), [10.0, 20.0, 30.0, 40.0]
    assert _suspects(texts, x0s, [5.0] * 4, [9.0] * 4) == set()
    assert _suspects(["一", "一"], [10.0, 10.5], [5.0, 5.8], [9.0, 9.0]) == {("一", 9.0)}
