"""The one table of exit codes of every command (``budget-warehouse``, ``python -m warehouse``,
``python -m ingest``), and the build failure that carries one."""

from __future__ import annotations

from enum import IntEnum


class ExitCode(IntEnum):
    """Exit codes shared by every command; the same failure exits the same way everywhere."""

    OK = 0
    FAILED = 1  # the command could not do what was asked (bad SQL, no warehouse yet, a bug)
    USAGE = 2  # click's usage error: unknown option, missing argument
    LOCK_TIMEOUT = 3  # another build held the lock for longer than --lock-timeout
    INGEST = 4  # ingest failed (no such folder), or --strict and a file was rejected
    LANDED_EXPECTATIONS = 5  # a critical expectation of the landed suite failed
    DBT = 6  # dbt build failed (a model, seed or test)
    MARTS_EXPECTATIONS = 7  # a critical expectation of the marts suite failed
    EXPORT = 8  # writing the exports failed
    PUBLISH = 9  # the new warehouse could not be put in place
    QUARANTINED = 10  # --strict and a document was quarantined (nothing published)
    REPORT = 11  # writing the docs or the HTML report failed


EXIT_CODE_MEANINGS: dict[ExitCode, str] = {
    ExitCode.OK: "done",
    ExitCode.FAILED: "could not do it (bad SQL, no warehouse yet, unexpected error)",
    ExitCode.USAGE: "usage error",
    ExitCode.LOCK_TIMEOUT: "lock timeout",
    ExitCode.INGEST: "ingest (or a --strict rejection)",
    ExitCode.LANDED_EXPECTATIONS: "landed expectations",
    ExitCode.DBT: "dbt",
    ExitCode.MARTS_EXPECTATIONS: "marts expectations",
    ExitCode.EXPORT: "exports",
    ExitCode.PUBLISH: "publish",
    ExitCode.QUARANTINED: "--strict and a document was quarantined (nothing published)",
    ExitCode.REPORT: "docs or report",
}


def exit_codes_help() -> str:
    """One line for every command's --help epilog."""
    return (
        "Exit codes: "
        + "; ".join(f"{int(code)} {meaning}" for code, meaning in EXIT_CODE_MEANINGS.items())
        + "."
    )


class BuildError(Exception):
    """A build step failed; ``message`` tells the user what happened and what to do."""

    def __init__(self, code: ExitCode, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
