"""One progress line per build step, with its wall time and CPU time (this process and the
worker processes it waited for: on a shared machine the CPU time says what a step costs,
the wall time also what the neighbours took)."""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field


@dataclass
class StepNote:
    """What a step reports on its progress line (set inside the step)."""

    text: str = ""


@dataclass
class Progress:
    total: int
    say: Callable[[str], None]
    timings: list[tuple[str, float]] = field(default_factory=list)
    _number: int = 0

    @contextmanager
    def step(self, name: str) -> Iterator[StepNote]:
        self._number += 1
        label = f"[{self._number}/{self.total}] {name:<13}"
        note = StepNote()
        started = time.perf_counter()
        cpu_started = _cpu_seconds()
        try:
            yield note
        except BaseException:
            elapsed = time.perf_counter() - started
            self.timings.append((name, elapsed))
            self.say(f"{label} FAILED after {elapsed:.2f} s")
            raise
        elapsed = time.perf_counter() - started
        cpu = _cpu_seconds() - cpu_started
        self.timings.append((name, elapsed))
        self.say(f"{label} {elapsed:7.2f} s  cpu {cpu:6.2f} s  {note.text}".rstrip())


def _cpu_seconds() -> float:
    """User + system CPU seconds of this process and its waited-for children."""
    times = os.times()
    return times.user + times.system + times.children_user + times.children_system
