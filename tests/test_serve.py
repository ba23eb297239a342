"""``mkdocs serve`` with the plugin: a real server, edits to a case file, the reloads.

After a valid edit only that case is read again and the page shows it; after a broken
edit the problems appear in the terminal (path:line, German) and the server keeps
serving the last good site; after the fix the page follows again.
"""

from __future__ import annotations

import contextlib
import os
import queue
import socket
import sqlite3
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.sitebuild import write_site
from tests.synthetic import write_synthetic_cases

pytestmark = pytest.mark.slow


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class _Server:
    def __init__(self, config_file: Path, port: int) -> None:
        env = {**os.environ, "PYTHONUNBUFFERED": "1", "NO_MKDOCS_2_WARNING": "1"}
        env.pop("PRAXISATLAS_PRODUCTION", None)
        address = f"127.0.0.1:{port}"
        self.url = f"http://{address}/"
        self.process = subprocess.Popen(
            [sys.executable, "-m", "mkdocs", "serve", "-f", str(config_file), "-a", address],
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            env=env,
        )
        self.lines: queue.Queue[str] = queue.Queue()
        self.log: list[str] = []
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.put(line.rstrip("\n"))

    def wait_for(self, text: str, timeout: float = 900) -> list[str]:
        """Log lines up to the first one containing ``text``."""
        deadline = time.monotonic() + timeout
        seen = []
        while time.monotonic() < deadline:
            try:
                line = self.lines.get(timeout=0.5)
            except queue.Empty:
                assert self.process.poll() is None, "server stopped:\n" + "\n".join(self.log)
                continue
            self.log.append(line)
            seen.append(line)
            if text in line:
                return seen
        raise AssertionError(f"no '{text}' in time:\n" + "\n".join(self.log))

    def get(self, path: str) -> str:
        with urllib.request.urlopen(self.url + path, timeout=30) as response:
            return str(response.read().decode("utf-8"))

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()


@pytest.fixture
def server(tmp_path: Path) -> Iterator[tuple[_Server, Path]]:
    paths = write_synthetic_cases(tmp_path / "synthetic", 6, seed=11)
    cases = {p.name: p.read_text(encoding="utf-8") for p in paths}
    config_file = write_site(tmp_path / "site", cases)
    running = _Server(config_file, _free_port())
    try:
        running.wait_for("Serving on")
        yield running, tmp_path / "site" / "cases" / paths[0].name
    finally:
        running.stop()


def _edit(case: Path, old: str, new: str) -> None:
    text = case.read_text(encoding="utf-8")
    assert old in text
    case.write_text(text.replace(old, new, 1), encoding="utf-8")


def _page_origins(site_dir: Path) -> int:
    """How many pages the cache knows by what they are made from (conversion.reuse)."""
    database = site_dir / ".cache" / "plugin" / "praxisatlas" / "cache.sqlite"
    with contextlib.closing(sqlite3.connect(database)) as db:
        count = db.execute("SELECT COUNT(*) FROM entries WHERE kind = 'seitenherkunft'")
        return int(count.fetchone()[0])


def test_reload_after_valid_and_broken_edits(server: tuple[_Server, Path]) -> None:
    running, case = server
    page = f"faelle/{case.stem}/"
    assert "Ausgangslage" in running.get(page)
    origins = _page_origins(case.parent.parent)
    assert origins > 6

    _edit(case, "## Ausgangslage\n", "## Ausgangslage\n\nErste Änderung im Test.\n")
    seen = running.wait_for("Reloading browsers")
    reread = [line for line in seen if "neu gelesen" in line]
    assert reread == [line for line in reread if case.name in line] and len(reread) == 1
    assert "Erste Änderung im Test." in running.get(page)
    # Only the edited case's page is made anew; every other page is known by its origin.
    assert _page_origins(case.parent.parent) == origins + 1

    _edit(case, "\nstatus: ", "\nstatus: erfunden-")
    seen = running.wait_for("letzten fehlerfreien Stand")
    problem = next(line for line in seen if f"{case.name}:" in line)
    assert ": status: " in problem and "Traceback" not in "\n".join(seen)
    running.wait_for("Reloading browsers")
    assert running.process.poll() is None
    assert "Erste Änderung im Test." in running.get(page)  # the last good site

    _edit(case, "\nstatus: erfunden-", "\nstatus: ")
    _edit(case, "Erste Änderung im Test.", "Zweite Änderung im Test.")
    running.wait_for("Reloading browsers")
    assert "Zweite Änderung im Test." in running.get(page)
