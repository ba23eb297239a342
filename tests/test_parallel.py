"""Unit tests of the forked worker and of deferred output files."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from praxisatlas import parallel
from praxisatlas.output import OutputFile

REPO = Path(__file__).resolve().parents[1]
needs_fork = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="fork only on Linux")


def _in_fresh_process(check: str) -> None:
    """Run ``check`` in a new interpreter: the test process may run server threads (the
    browser fixtures), and with threads ``parallel`` rightly refuses to fork."""
    code = f"import tests.test_parallel as t; t.{check}()"
    subprocess.run([sys.executable, "-c", code], cwd=REPO, check=True, timeout=120)


@needs_fork
def test_child_sees_parent_state_and_returns_result() -> None:
    _in_fresh_process("check_child_sees_parent_state_and_returns_result")


@needs_fork
def test_each_result_is_ready_as_soon_as_its_work_is_done() -> None:
    _in_fresh_process("check_each_result_is_ready_as_soon_as_its_work_is_done")


@needs_fork
def test_error_in_child_comes_back_with_its_traceback() -> None:
    _in_fresh_process("check_error_in_child_comes_back_with_its_traceback")


@needs_fork
def test_cancel_reaps_the_child() -> None:
    _in_fresh_process("check_cancel_reaps_the_child")


@needs_fork
def test_split_gives_each_item_to_exactly_one_process() -> None:
    _in_fresh_process("check_split_gives_each_item_to_exactly_one_process")


def check_split_gives_each_item_to_exactly_one_process() -> None:
    split = parallel.Split(400)

    def take_from_back() -> list[int]:
        taken = []
        while (index := split.take_back()) is not None:
            taken.append(index)
            time.sleep(0.0005)
        return taken

    pending = parallel.start([take_from_back])
    deadline = time.monotonic() + 60
    while split.taken_by_back() == 0:  # a slow fork must not leave everything to us
        assert time.monotonic() < deadline
        time.sleep(0.001)
    mine = []
    for index in range(split.count):
        if split.take_front(index):
            mine.append(index)
        time.sleep(0.0005)
    theirs = pending.result(0)
    assert mine and theirs  # both took a share
    assert mine == list(range(len(mine)))  # this process: a prefix, in order
    assert sorted(theirs) == list(range(len(mine), split.count))  # the child: the rest
    assert theirs == sorted(theirs, reverse=True)  # from the back
    assert split.taken_by_back() == len(theirs)


def test_split_without_a_second_process_leaves_everything_to_the_front() -> None:
    for shared in (True, False):
        split = parallel.Split(3, shared=shared)
        assert [split.take_front(i) for i in range(3)] == [True, True, True]
        assert split.take_back() is None and split.taken_by_back() == 0


def test_unshared_split_needs_no_fork_context(monkeypatch: pytest.MonkeyPatch) -> None:
    # As on Windows: there is no "fork" context, and the plugin must still load.
    def no_fork(method: str | None = None) -> None:
        raise ValueError(f"cannot find context for {method!r}")

    monkeypatch.setattr(parallel.multiprocessing, "get_context", no_fork)
    split = parallel.Split(2, shared=False)
    assert split.take_back() == 1 and split.take_front(0) and not split.take_front(1)
    from praxisatlas.plugin import PraxisatlasPlugin

    PraxisatlasPlugin()


def check_child_sees_parent_state_and_returns_result() -> None:
    parent_pid = os.getpid()
    data = {"cases": list(range(1000))}  # inherited, never pickled on the way in
    pending = parallel.start(
        [lambda: (os.getpid(), sum(data["cases"])), lambda: b"\xff" * 5_000_000]
    )
    assert pending.forked
    child_pid, total = pending.result(0)
    assert child_pid != parent_pid
    assert total == sum(range(1000))
    assert pending.result(1) == b"\xff" * 5_000_000  # far larger than a pipe buffer
    with pytest.raises(ChildProcessError):  # reaped after the last result
        os.waitpid(child_pid, 0)


def check_each_result_is_ready_as_soon_as_its_work_is_done() -> None:
    # The second work only ends once this process has the first result: if the first
    # were held back until the end, this would wait forever (the timeout would fail it).
    read_fd, write_fd = os.pipe()
    pending = parallel.start([lambda: "Seiten", lambda: os.read(read_fd, 5)])
    assert pending.result(0) == "Seiten"
    os.write(write_fd, b"weiter")
    assert pending.result(1) == b"weite"


def check_error_in_child_comes_back_with_its_traceback() -> None:
    def fail() -> None:
        raise ValueError("kaputte Daten")

    never: list[int] = []
    pending = parallel.start([lambda: "gut", fail, lambda: never.append(1)])
    assert pending.forked
    assert pending.result(0) == "gut"
    with pytest.raises(parallel.WorkerError, match="ValueError: kaputte Daten"):
        pending.result(1)
    # The child stops at the first error; what came after it is never computed.
    with pytest.raises(parallel.WorkerError, match="ohne Ergebnis beendet"):
        pending.result(2)


def check_cancel_reaps_the_child() -> None:
    pending = parallel.start([lambda: time.sleep(60)])
    assert pending.forked
    pid = pending._pid
    started = time.monotonic()
    pending.cancel()
    assert time.monotonic() - started < 10  # stopped, not waited for
    with pytest.raises(ChildProcessError):
        os.waitpid(pid, 0)
    assert not pending.forked


def test_runs_inline_when_switched_off_or_threads_run() -> None:
    pending = parallel.start([lambda: os.getpid(), lambda: "zwei"], fork=False)
    assert not pending.forked
    assert (pending.result(0), pending.result(1)) == (os.getpid(), "zwei")
    stop = threading.Event()
    thread = threading.Thread(target=stop.wait)
    thread.start()
    try:
        assert not parallel.can_fork()  # e.g. mkdocs serve's server thread
        pending = parallel.start([lambda: os.getpid()])
        assert not pending.forked and pending.result() == os.getpid()
    finally:
        stop.set()
        thread.join()


def test_inline_errors_propagate_unchanged() -> None:
    def fail() -> None:
        raise KeyError("x")

    with pytest.raises(KeyError):
        parallel.start([fail], fork=False)


def test_deferred_output_file() -> None:
    calls: list[int] = []

    def make() -> str:
        calls.append(1)
        return "{}"

    data = OutputFile("daten/x.json", make)
    assert data.deferred and calls == []
    assert data.content == "{}" and calls == [1]
    assert not OutputFile("a.md", "text").deferred
    page = OutputFile("seite.md", make)
    assert page.deferred and page.is_page and not data.is_page
    assert page.content == "{}" and calls == [1, 1]
