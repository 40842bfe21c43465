"""Progress bars for long work, shown only on a terminal (cron and pipes get no bar)."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TextIO

import click

Advance = Callable[[str], None]


def is_terminal(stream: TextIO | None = None) -> bool:
    stream = stream or sys.stderr
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


@contextmanager
def progress_bar(length: int, label: str) -> Iterator[Advance | None]:
    """A click progress bar on stderr; yields ``advance(item)`` (one step, naming the item),
    or None when stderr is not a terminal, so the caller prints lines or nothing instead."""
    if not is_terminal() or length <= 0:
        yield None
        return
    current = {"item": ""}
    with click.progressbar(
        length=length,
        label=label,
        file=sys.stderr,
        show_pos=True,
        item_show_func=lambda _: current["item"][:40] or None,
    ) as bar:

        def advance(item: str) -> None:
            current["item"] = item
            bar.update(1)

        yield advance
