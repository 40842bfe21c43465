"""Exclusive, advisory build locks (``fcntl.flock``) that say who holds them.

The lock file holds the pid of the build that owns it. The file is never deleted (deleting a
lock file lets two processes lock two different inodes); the kernel releases the lock when the
owner exits, however it exits.
"""

from __future__ import annotations

import fcntl
import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from warehouse.errors import BuildError, ExitCode

POLL_SECONDS = 0.2


@dataclass
class BuildLock:
    """An exclusive lock on ``path``; ``what`` names what it protects in messages."""

    path: Path
    what: str
    _fd: int | None = field(default=None, init=False, repr=False)

    def holder_pid(self) -> int | None:
        """The pid written by the current holder, None when unknown."""
        try:
            text = self.path.read_text(encoding="ascii").strip()
        except (OSError, UnicodeDecodeError):
            return None
        return int(text) if text.isdigit() else None

    def acquire(self, timeout: float, say: Callable[[str], None] = print) -> None:
        """Take the lock, waiting up to ``timeout`` seconds; BuildError(LOCK_TIMEOUT) after."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            if not _try_lock(fd):
                pid = self.holder_pid()
                holder = f"pid {pid}" if pid else "pid unknown"
                shown = f"{round(timeout, 1):g}"
                say(f"another build is running ({holder}) on {self.what} — waiting up to {shown} s")
                deadline = time.monotonic() + timeout
                while not _try_lock(fd):
                    if time.monotonic() >= deadline:
                        raise BuildError(
                            ExitCode.LOCK_TIMEOUT,
                            f"gave up after {shown} s: another build ({holder}) still holds "
                            f"{self.path} ({self.what}). Wait for it to finish, or raise "
                            "--lock-timeout; if no build is running, the lock is released "
                            "automatically and this message means the holder is stuck.",
                        )
                    time.sleep(POLL_SECONDS)
            os.ftruncate(fd, 0)
            os.pwrite(fd, f"{os.getpid()}\n".encode("ascii"), 0)
        except BaseException:
            os.close(fd)
            raise
        self._fd = fd

    def release(self) -> None:
        """Release the lock (the pid stays in the file until the next holder overwrites it)."""
        if self._fd is None:
            return
        fd, self._fd = self._fd, None
        try:
            fcntl.flock(fd, fcntl.LOCK_UN)
        finally:
            os.close(fd)

    def __enter__(self) -> BuildLock:
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()


def _try_lock(fd: int) -> bool:
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    return True
