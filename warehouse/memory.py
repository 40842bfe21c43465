"""Give the memory a finished step freed back to the system.

The build runs its steps in one process (ingest, the landed suite, dbt in-process, the marts
suite, the exports, dbt docs). Python objects and DuckDB buffers a step frees stay in the C
heap's free lists: the process's resident memory only grows, and each step's peak adds to what
the previous ones left. :func:`release_memory` collects Python's garbage and asks glibc to
return free heap pages (``malloc_trim``), so a step's peak is its own (measured at 10,000
documents: see BENCHMARKS.md).
"""

from __future__ import annotations

import atexit
import contextlib
import ctypes
import ctypes.util
import gc
import os
import sys


def release_memory() -> bool:
    """Collect garbage and trim the C heap; False where there is no glibc ``malloc_trim``."""
    gc.collect()
    name = ctypes.util.find_library("c")
    if name is None:
        return False
    trim = getattr(ctypes.CDLL(name), "malloc_trim", None)
    if trim is None:
        return False
    trim(0)
    return True


def freeze_for_exit() -> None:
    """Before the build's process exits: hide every object from the garbage collector.

    Python's finalization runs the collector over every live object several times (as it
    clears the modules); after a build, with dbt's, great-expectations' and DuckDB's objects
    loaded, that took 1.3 s of CPU (bundled documents; 3 s of wall at 10,000 on the busy
    machine) after the last line was printed. ``gc.freeze()`` removes it: objects are still
    freed by reference counting, cyclic ones are left to the ending process. DuckDB's bindings
    (nanobind) then report the objects left at finalization on stderr ("leaked N instances"),
    which says nothing to the user: stderr is closed for what finalization prints.

    Only when this process's own stdout is in use (the command line); an in-process caller
    (a test's CliRunner) goes on running, and nothing is done."""
    if sys.stdout is not sys.__stdout__ or sys.stderr is not sys.__stderr__:
        return
    gc.freeze()
    atexit.register(_quiet_finalization)


def _quiet_finalization() -> None:
    """At exit, after the build's last line: stderr's descriptor to /dev/null, so that what
    finalization prints about the frozen objects is not shown."""
    sys.stderr.flush()
    with contextlib.suppress(OSError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, 2)
