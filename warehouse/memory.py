"""Give the memory a finished step freed back to the system.

The build runs its steps in one process (ingest, the landed suite, dbt in-process, the marts
suite, the exports, dbt docs). Python objects and DuckDB buffers a step frees stay in the C
heap's free lists: the process's resident memory only grows, and each step's peak adds to what
the previous ones left. :func:`release_memory` collects Python's garbage and asks glibc to
return free heap pages (``malloc_trim``), so a step's peak is its own (measured at 10,000
documents: see BENCHMARKS.md).
"""

from __future__ import annotations

import ctypes
import ctypes.util
import gc


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
    """Before the process exits: hide every object from the garbage collector (``gc.freeze``).

    Python's finalization runs the collector over every live object several times (as it
    clears the modules); after a build, with dbt's, great-expectations' and DuckDB's objects
    loaded, that took 1.3 s of CPU (bundled documents; 3-10 s of wall on a busy machine)
    after the last line was printed. The objects are still freed by reference counting; only
    cyclic garbage is left for the exiting process to drop."""
    gc.freeze()
