"""Run a piece of work in a forked child process while the caller goes on.

A build has two cores but MkDocs renders pages on one. The plugin hands the data
files that no page depends on (search index, case list, exports) to a child process
forked after validation: the child inherits the catalogue without copying or
pickling it, computes the files while MkDocs converts the pages, and sends them back
through a pipe before MkDocs copies static files.

Forking is only safe in a single-threaded process (``mkdocs serve`` runs a server
thread) on a platform where it is usual (not macOS, not Windows); everywhere else, or
when switched off, the work simply runs at once in the calling process. Errors in
the child come back as ``WorkerError`` with the child's traceback text.
"""

from __future__ import annotations

import os
import pickle
import sys
import threading
import traceback
from collections.abc import Callable
from typing import Generic, TypeVar

T = TypeVar("T")


class WorkerError(RuntimeError):
    """The child process failed; the message holds what it reported."""


def can_fork() -> bool:
    return (
        hasattr(os, "fork") and sys.platform.startswith("linux") and threading.active_count() == 1
    )


class Pending(Generic[T]):
    """The result of ``start``: ``result()`` waits for it, ``cancel()`` abandons it."""

    def __init__(self, value: T | None = None, pid: int = 0, fd: int = -1) -> None:
        self._value = value
        self._pid = pid
        self._fd = fd

    @property
    def forked(self) -> bool:
        return self._pid != 0

    def result(self) -> T:
        if self._pid:
            self._value = self._collect()
        return self._value  # type: ignore[return-value]

    def cancel(self) -> None:
        """Stop waiting: the child exits on the closed pipe and is reaped."""
        if self._pid:
            os.close(self._fd)
            os.waitpid(self._pid, 0)
            self._pid = 0

    def _collect(self) -> T:
        with os.fdopen(self._fd, "rb") as pipe:
            data = pipe.read()
        _, status = os.waitpid(self._pid, 0)
        self._pid = 0
        if not data:
            raise WorkerError(f"Hilfsprozess ohne Ergebnis beendet (Status {status})")
        ok, payload = pickle.loads(data)
        if not ok:
            raise WorkerError(payload)
        return payload  # type: ignore[no-any-return]


def start(work: Callable[[], T], *, fork: bool = True) -> Pending[T]:
    """Run ``work`` in a forked child if possible, else right away in this process."""
    if not (fork and can_fork()):
        return Pending(work())
    read_fd, write_fd = os.pipe()
    pid = os.fork()
    if pid == 0:  # child: compute, send, and leave without running the parent's cleanup
        status = 0
        try:
            os.close(read_fd)
            try:
                data = pickle.dumps((True, work()), protocol=pickle.HIGHEST_PROTOCOL)
            except BaseException:
                data = pickle.dumps((False, traceback.format_exc()))
            with os.fdopen(write_fd, "wb") as pipe:
                pipe.write(data)
        except BaseException:
            status = 1
        finally:
            os._exit(status)
    os.close(write_fd)
    return Pending(pid=pid, fd=read_fd)
