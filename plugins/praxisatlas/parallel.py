"""Run pieces of work in a forked child process while the caller goes on.

A build has two cores but MkDocs renders pages on one. The plugin hands part of the
build to a child process forked once the pages are known: the child inherits the
catalogue and MkDocs' state without copying or pickling them, runs its pieces of work
one after the other (the data files no page depends on, then pages from the end of
MkDocs' list, shared out with ``Split``) and stores each result as soon as it is
done, where the caller picks it up when it needs it.

Forking is only safe in a single-threaded process (``mkdocs serve`` runs a server
thread) on a platform where it is usual (not macOS, not Windows); everywhere else, or
when switched off, the work simply runs at once in the calling process. Errors in the
child come back as ``WorkerError`` with the child's traceback text.
"""

from __future__ import annotations

import contextlib
import mmap
import multiprocessing
import os
import pickle
import signal
import struct
import sys
import threading
import traceback
from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager
from typing import Any


class WorkerError(RuntimeError):
    """The child process failed; the message holds what it reported."""


def can_fork() -> bool:
    return (
        hasattr(os, "fork")
        and hasattr(os, "memfd_create")
        and sys.platform.startswith("linux")
        and threading.active_count() == 1
    )


class Pending:
    """The results of ``start``: ``result(i)`` waits for the ``i``-th (read each once;
    after the last the child is reaped), ``cancel()`` abandons them all."""

    def __init__(
        self,
        values: list[Any] | None = None,
        pid: int = 0,
        signals: int = -1,
        stores: Sequence[int] = (),
    ) -> None:
        self._values = values or []
        self._pid = pid
        self._signals = signals  # read end of the pipe: one byte per finished work
        self._stores = list(stores)  # one memory file per work, holding its pickle; -1: read
        self._done = 0
        self._status: int | None = None

    @property
    def forked(self) -> bool:
        return self._pid != 0

    def result(self, index: int = 0) -> Any:
        if not self._pid:
            return self._values[index]
        while self._done <= index and self._status is None:
            if os.read(self._signals, 1):
                self._done += 1
            else:  # the child ended without finishing this one
                self._reap()
        if self._done <= index:
            raise WorkerError(f"Hilfsprozess ohne Ergebnis beendet (Status {self._status})")
        store = self._stores[index]
        self._stores[index] = -1
        try:
            ok, payload = pickle.loads(_read_all(store))
        finally:
            os.close(store)
        if self._done == len(self._stores):
            self._reap()
        if not ok:
            raise WorkerError(payload)
        return payload

    def cancel(self) -> None:
        """Stop waiting: the child is stopped and reaped."""
        if self._pid and self._status is None:
            os.kill(self._pid, signal.SIGKILL)  # a zombie until reaped: the pid stays ours
            self._reap()
        for store in self._stores:
            if store != -1:
                os.close(store)
        self._stores = []
        self._pid = 0

    def _reap(self) -> None:
        if self._status is None:
            self._status = os.waitpid(self._pid, 0)[1]
            os.close(self._signals)


class Split:
    """``count`` items shared out between this process and a child forked after it:
    this process takes them from the front in order, the child from the back, until
    they meet. Whichever is faster takes more, so both finish at about the same time
    on any machine, whatever else the child has to do first."""

    _STATE = struct.Struct("qq")  # next index for the front, one past the last free one

    def __init__(self, count: int, *, shared: bool = True) -> None:
        self.count = count
        self._state: mmap.mmap | bytearray
        self._lock: AbstractContextManager[Any]
        if shared:  # anonymous memory and a lock that a forked child shares
            self._state = mmap.mmap(-1, self._STATE.size)
            self._lock = multiprocessing.get_context("fork").Lock()
        else:  # no second process (and no "fork" context at all on Windows)
            self._state = bytearray(self._STATE.size)
            self._lock = contextlib.nullcontext()
        self._STATE.pack_into(self._state, 0, 0, count)

    def take_front(self, index: int) -> bool:
        """Claim item ``index`` for the front; False if the back has taken it."""
        with self._lock:
            front, back = self._positions()
            if index >= back:
                return False
            self._STATE.pack_into(self._state, 0, max(front, index + 1), back)
            return True

    def take_back(self) -> int | None:
        """Claim the last free item for the back; None once the two have met."""
        with self._lock:
            front, back = self._positions()
            if back <= front:
                return None
            self._STATE.pack_into(self._state, 0, front, back - 1)
            return back - 1

    def taken_by_back(self) -> int:
        with self._lock:
            return self.count - self._positions()[1]

    def _positions(self) -> tuple[int, int]:
        front, back = self._STATE.unpack_from(self._state)
        return int(front), int(back)


def _read_all(fd: int) -> bytes:
    size = os.fstat(fd).st_size
    chunks = []
    offset = 0
    while offset < size:
        chunk = os.pread(fd, size - offset, offset)
        if not chunk:
            break
        chunks.append(chunk)
        offset += len(chunk)
    return b"".join(chunks)


def start(works: Sequence[Callable[[], Any]], *, fork: bool = True) -> Pending:
    """Run ``works`` in order in a forked child if possible, else right away here."""
    if not (fork and can_fork()):
        return Pending([work() for work in works])
    # Results travel through memory files, not the pipe: a pipe holds 64 KiB, and each
    # refill would wait for this process's main thread to read it. The pipe only says
    # which results are ready.
    stores = [os.memfd_create(f"praxisatlas-{index}") for index in range(len(works))]
    read_fd, write_fd = os.pipe()
    pid = os.fork()
    if pid == 0:  # child: compute, store, signal, and leave without the parent's cleanup
        status = 0
        try:
            os.close(read_fd)
            for work, store in zip(works, stores, strict=True):
                try:
                    data = pickle.dumps((True, work()), protocol=pickle.HIGHEST_PROTOCOL)
                except BaseException:
                    data = pickle.dumps((False, traceback.format_exc()))
                    status = 1
                with os.fdopen(store, "wb", closefd=False) as file:
                    file.write(data)
                os.write(write_fd, b".")
                if status:
                    break
        except BaseException:
            status = 1
        finally:
            os._exit(status)
    os.close(write_fd)
    return Pending(pid=pid, signals=read_fd, stores=stores)
