"""``mkdocs serve`` with the plugin: a real server, edits to a case file, the reloads.

After a valid edit only that case is read again and the page shows it; after a broken
edit the problems appear in the terminal (path:line, German) and the server keeps
serving the last good site; after the fix the page follows again. With ``--dirty`` only
the pages an edit changes are built again, and the site still shows every change.
"""

from __future__ import annotations

import contextlib
import gzip
import json
import os
import queue
import re
import shutil
import socket
import sqlite3
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest

from tests.sitebuild import repo_config, run_mkdocs, site_files, write_site
from tests.synthetic import write_synthetic_cases

pytestmark = pytest.mark.slow


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class _Server:
    def __init__(
        self, config_file: Path, port: int, *options: str, tmp: Path | None = None
    ) -> None:
        env = {**os.environ, "PYTHONUNBUFFERED": "1", "NO_MKDOCS_2_WARNING": "1"}
        if tmp is not None:  # where `mkdocs serve` keeps the site it serves
            env["TMPDIR"] = str(tmp)
        env.pop("PRAXISATLAS_PRODUCTION", None)
        address = f"127.0.0.1:{port}"
        self.url = f"http://{address}/"
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "mkdocs",
                "serve",
                "-f",
                str(config_file),
                "-a",
                address,
                *options,
            ],
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


_BUILT = re.compile(r"Praxisatlas \(--dirty\): (\d+) von (\d+) Seiten werden neu gebaut")


def _built(seen: list[str]) -> tuple[int, int]:
    """Pages built again and pages in the site, from a --dirty build's log."""
    found = [m for line in seen if (m := _BUILT.search(line))]
    assert len(found) == 1, seen
    return int(found[0].group(1)), int(found[0].group(2))


def _older(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` and give it a time before its last one (``cp -p``)."""
    stamp = path.stat().st_mtime_ns
    path.write_text(text, encoding="utf-8")
    os.utime(path, ns=(stamp - 10**10, stamp - 10**10))


def _without_reload(html: str) -> str:
    """A served page without the live-reload call (which names the build's epoch)."""
    return re.sub(r"livereload\([0-9, ]*\)", "", html)


def _text(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def _comparable(files: dict[str, bytes], served: str, site_url: str) -> dict[str, bytes]:
    """A site's files unpacked, with the served address as the site's own."""
    pairs = ((served, site_url), (quote(served, safe=""), quote(site_url, safe="")))
    result = {}
    for path, content in files.items():
        content = gzip.decompress(content) if path.endswith(".gz") else content
        for old, new in pairs:
            content = content.replace(old.encode(), new.encode())
        result[path] = content
    return result


def _missing(running: _Server, path: str) -> bool:
    try:
        running.get(path)
    except urllib.error.HTTPError as error:
        return error.code == 404
    return False


def test_dirty_reload_builds_only_what_an_edit_changes(tmp_path: Path) -> None:
    paths = write_synthetic_cases(tmp_path / "synthetic", 6, seed=11)
    config_file = write_site(
        tmp_path / "site", {p.name: p.read_text(encoding="utf-8") for p in paths[:5]}
    )
    cases_dir = tmp_path / "site" / "cases"
    case, other, new = cases_dir / paths[0].name, cases_dir / paths[1].name, paths[5]
    tmp = tmp_path / "tmp"
    tmp.mkdir()
    running = _Server(config_file, _free_port(), "--dirty", tmp=tmp)
    try:
        built, total = _built(running.wait_for("Serving on"))
        assert built == total > 20
        page, other_page = f"faelle/{case.stem}/", f"faelle/{other.stem}/"
        other_html = _without_reload(running.get(other_page))

        # A case's text: its page only.
        _edit(case, "## Ausgangslage\n", "## Ausgangslage\n\nErste Änderung im Test.\n")
        assert _built(running.wait_for("Reloading browsers")) == (1, total)
        assert "Erste Änderung im Test." in running.get(page)
        assert _without_reload(running.get(other_page)) == other_html

        # A case's title: every page that may list it, e.g. its Kreis page.
        title = re.search(r"^title: (.*)$", case.read_text(encoding="utf-8"), re.M)
        assert title is not None
        _edit(case, f"title: {title.group(1)}", "title: Fiktiver Fall Umbenannt im Test")
        built, _ = _built(running.wait_for("Reloading browsers"))
        assert 1 < built <= total
        kreis = re.search(r'href="((?:\.\./)+)(kreise/[0-9]+/)"', running.get(page))
        assert kreis is not None
        assert "Fiktiver Fall Umbenannt im Test" in running.get(kreis.group(2))

        # A broken edit builds nothing new; the last good site stays.
        _edit(case, "\nstatus: ", "\nstatus: erfunden-")
        running.wait_for("letzten fehlerfreien Stand")
        assert _built(running.wait_for("Reloading browsers"))[0] == 0
        assert "Erste Änderung im Test." in running.get(page)
        _edit(case, "\nstatus: erfunden-", "\nstatus: ")
        running.wait_for("Reloading browsers")

        # A new case: its page, and the figures of the hand-written home page.
        home = running.get("")
        shutil.copy(new, cases_dir / new.name)
        built, now = _built(running.wait_for("Reloading browsers"))
        assert now > total and 1 < built <= now
        assert "Fiktiver Fall" in running.get(f"faelle/{new.stem}/")
        assert "5 Fälle" in _text(home) and "6 Fälle" in _text(running.get(""))

        # Hand-written pages: a link to a page that comes later, and an edit saved with an
        # old time (as `cp -p` leaves it, or a save during a build).
        about = tmp_path / "site" / "docs" / "ueber.md"
        _edit(about, "\n## ", "\nSiehe auch die [Hilfe](hilfe.md).\n\n## ")
        running.wait_for("Reloading browsers")
        (about.parent / "hilfe.md").write_text("# Hilfe\n\nText.\n", encoding="utf-8")
        running.wait_for("Reloading browsers")
        assert 'href="../hilfe/"' in running.get("ueber/")
        helps = about.parent / "hilfe.md"  # not in the navigation
        _older(helps, helps.read_text(encoding="utf-8").replace("Text.", "Neuer Text."))
        assert _built(running.wait_for("Reloading browsers"))[0] == 1
        assert "Neuer Text." in running.get("hilfe/")

        # A static file, then an older copy of another version; a hand-written page in
        # place of a generated one, edited with an old time too.
        note = about.parent / "hinweis.txt"
        note.write_text("eins", encoding="utf-8")
        running.wait_for("Reloading browsers")
        _older(note, "zwei")
        running.wait_for("Reloading browsers")
        assert running.get("hinweis.txt") == "zwei"
        compare = about.parent / "katalog" / "vergleich" / "index.md"
        compare.parent.mkdir(parents=True)
        compare.write_text("# Vergleich von Hand\n", encoding="utf-8")
        running.wait_for("Reloading browsers")
        _older(compare, "# Vergleich geändert\n")
        running.wait_for("Reloading browsers")
        assert "Vergleich geändert" in running.get("katalog/vergleich/")

        # A deleted case: its page is gone.
        other.unlink()
        running.wait_for("Reloading browsers")
        assert _missing(running, other_page)
        assert running.process.poll() is None

        # After all this the served site is the site a full build makes, file for file
        # (but for the address: `mkdocs serve` sets site_url to its own).
        (served,) = tmp.glob("mkdocs_*")
        assert run_mkdocs(tmp_path / "site").returncode == 0
        site_url = repo_config()["site_url"]
        built = _comparable(site_files(tmp_path / "site" / "site"), running.url, site_url)
        assert _comparable(site_files(served), running.url, site_url) == built
    finally:
        running.stop()


def test_dirty_reload_next_to_other_plugins_builds_every_generated_page(tmp_path: Path) -> None:
    """Material's search indexes the pages it sees built: with another plugin taking part,
    --dirty stays MkDocs' own (our pages are built every time)."""
    paths = write_synthetic_cases(tmp_path / "synthetic", 3, seed=11)
    plugins = ["search", *(repo_config().get("plugins") or [])]
    config_file = write_site(
        tmp_path / "site",
        {p.name: p.read_text(encoding="utf-8") for p in paths},
        config={"plugins": plugins},
    )
    case = tmp_path / "site" / "cases" / paths[0].name
    running = _Server(config_file, _free_port(), "--dirty")
    try:
        running.wait_for("Serving on")
        _edit(case, "## Ausgangslage\n", "## Ausgangslage\n\nÄnderung neben der Suche.\n")
        seen = running.wait_for("Reloading browsers")
        assert not any("Praxisatlas (--dirty)" in line for line in seen)
        index = json.loads(running.get("search/search_index.json"))
        assert "themen/" in {doc["location"] for doc in index["docs"]}
        assert "Änderung neben der Suche." in running.get(f"faelle/{case.stem}/")
    finally:
        running.stop()


def test_dirty_reload_after_switching_the_plugin_off_and_on(tmp_path: Path) -> None:
    paths = write_synthetic_cases(tmp_path / "synthetic", 2, seed=5)
    config_file = write_site(
        tmp_path / "site", {p.name: p.read_text(encoding="utf-8") for p in paths}
    )
    tmp = tmp_path / "tmp"
    tmp.mkdir()
    config = config_file.read_text(encoding="utf-8")
    assert "\n    today: " in config
    running = _Server(config_file, _free_port(), "--dirty", tmp=tmp)
    try:
        running.wait_for("Serving on")
        (served,) = tmp.glob("mkdocs_*")
        site_url = repo_config()["site_url"]
        for text in (
            config.replace("\n    today: ", "\n    enabled: false\n    today: "),
            config,
        ):
            config_file.write_text(text, encoding="utf-8")
            running.wait_for("Reloading browsers")
            assert run_mkdocs(tmp_path / "site", strict=False).returncode == 0
            built = _comparable(site_files(tmp_path / "site" / "site"), running.url, site_url)
            assert _comparable(site_files(served), running.url, site_url) == built
    finally:
        running.stop()
