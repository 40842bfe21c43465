"""Importing great-expectations: seconds of CPU, so once, early, and without what it need not load.

* GX imports pyspark when it is installed (the Spark target's requirements: pyspark, its ML
  package, scipy; ~0.5 s of the ~2 s GX import) only to offer Spark data sources; these suites
  validate pandas frames and DuckDB SQL. :func:`great_expectations` imports GX with pyspark
  hidden (``import pyspark`` raises ImportError while GX is imported, which GX handles as
  "pyspark not installed"); a process that imported pyspark before keeps it.
* :func:`preload` imports GX in a background thread: the build starts it with the landed
  suite, whose SQL runs first, in DuckDB, with the GIL released. (Not during ingest: ingest
  forks its worker processes, and a fork while another thread holds an import lock leaves
  the child that lock held; and a build with nothing changed would pay for an import it
  never uses.)

This module imports nothing heavy itself.
"""

from __future__ import annotations

import sys
import threading
import warnings
from types import ModuleType

_LOCK = threading.Lock()


def great_expectations() -> ModuleType:
    """The ``great_expectations`` module (and ``great_expectations.expectations``), imported
    once (a second caller waits for the first)."""
    with _LOCK:
        if "great_expectations.expectations" in sys.modules:
            import great_expectations as gx

            return gx
        # GX imports pyspark when it can: its pandas-version warning says nothing here
        warnings.filterwarnings(
            "ignore", message="PySpark does not yet fully support pandas", category=FutureWarning
        )
        hidden = "pyspark" not in sys.modules
        if hidden:
            sys.modules["pyspark"] = None  # type: ignore[assignment]  # import raises
        try:
            import great_expectations as gx
            import great_expectations.expectations  # the expectation classes
        finally:
            if hidden and sys.modules.get("pyspark", 0) is None:
                del sys.modules["pyspark"]
        return gx


def preload() -> threading.Thread:
    """Start importing GX in a daemon thread (an error is left for the caller that uses GX
    to meet)."""

    def run() -> None:
        try:
            great_expectations()
        except Exception:  # the suite's own import meets it again, with its context
            return

    thread = threading.Thread(target=run, name="gx-import", daemon=True)
    thread.start()
    return thread
