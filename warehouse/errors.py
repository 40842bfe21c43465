"""Build failures and the process exit code each one maps to."""

from __future__ import annotations

from enum import IntEnum


class ExitCode(IntEnum):
    """Exit codes of ``python -m warehouse`` (2 is click's usage error)."""

    OK = 0
    FAILED = 1  # unexpected error (a bug): the traceback is printed
    LOCK_TIMEOUT = 3  # another build held the lock for longer than --lock-timeout
    INGEST = 4  # ingest failed, or --strict and a file was rejected
    LANDED_EXPECTATIONS = 5  # a critical expectation of the landed suite failed
    DBT = 6  # dbt build failed (a model, seed or test)
    MARTS_EXPECTATIONS = 7  # a critical expectation of the marts suite failed
    EXPORT = 8  # writing the exports failed
    PUBLISH = 9  # the new warehouse could not be put in place
    QUARANTINED = 10  # --strict and a document was quarantined (nothing published)


class BuildError(Exception):
    """A build step failed; ``message`` tells the user what happened and what to do."""

    def __init__(self, code: ExitCode, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
