"""A content-addressed cache on disk, after Material's convention (``.cache/plugin/<name>/``).

Each entry is stored under a key that is a hash of everything that changes its content
(the caller passes those parts to ``key``); the cache's own ``version`` (package version,
a digest of the package's code and data, the versions of MkDocs, Markdown and Material)
goes into every key, and a cache written by another version is discarded as a whole when
the cache is opened. Each entry carries a digest of its payload: an entry that is
truncated, corrupt or not ours is ignored (and removed), never served, and the caller
simply makes the content again.

The entries live in one SQLite database (``cache.sqlite``), not one file each: a build
reads and writes tens of thousands of entries, and creating a file costs far more than
a row. Writes are committed in batches and by ``flush``; a database that cannot be read
is deleted and started afresh, and one that cannot be written is no error.

Nothing here knows about MkDocs; ``ContentCache(None, ...)`` is a cache that is switched
off (every ``get`` misses, ``put`` does nothing).
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import shutil
import sqlite3
import sys
import threading
from functools import cache
from importlib import metadata
from pathlib import Path

import yaml

DEFAULT_DIR = ".cache/plugin/praxisatlas"
_VERSION_FILE = "VERSION"
_DATABASE = "cache.sqlite"
_BATCH = 2000  # writes per commit
_LARGE = 1 << 20  # payloads from this size on are written in pieces of this size
_PACKAGE = Path(__file__).resolve().parent
# Distributions whose version can change what a build makes from the same content:
# reading case files, checking, converting, templates, search terms, formatting.
_TOOLCHAIN = (
    "mkdocs",
    "markdown",
    "mkdocs-material",
    "pymdown-extensions",
    "pygments",
    "pyyaml",
    "python-frontmatter",
    "jinja2",
    "markupsafe",
    "nh3",
    "babel",
    "snowballstemmer",
    "pystemmer",
    "rjsmin",
)


@cache
def code_digest() -> str:
    """A digest of every file of the installed package (code, templates, reference data):
    an edited template or rule changes every key, even without a new version number."""
    digest = hashlib.sha256()
    for path in sorted(_PACKAGE.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts:
            digest.update(path.relative_to(_PACKAGE).as_posix().encode("utf-8") + b"\0")
            digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def _version_of(distribution: str) -> str:
    try:
        return metadata.version(distribution)
    except metadata.PackageNotFoundError:
        return "-"


@cache
def software_version() -> str:
    """What, besides the content, decides the output: this package and its toolchain."""
    parts = [
        f"praxisatlas {_version_of('praxisatlas')} {code_digest()}",
        *(f"{name} {_version_of(name)}" for name in _TOOLCHAIN),
        # Case files are read by libyaml when PyYAML has it, else by PyYAML itself.
        f"libyaml {getattr(yaml, '__with_libyaml__', False)}",
        f"python {sys.version_info.major}.{sys.version_info.minor}",
    ]
    return "\n".join(parts)


class ContentCache:
    """Entries by kind and key below ``directory``; ``None`` switches the cache off."""

    def __init__(self, directory: Path | None, version: str | None = None) -> None:
        self.directory = directory
        self.version = software_version() if version is None else version
        self.hits = 0
        self.misses = 0
        self._db: sqlite3.Connection | None = None
        self._pending = 0
        if directory is not None:
            self._open(directory)

    @property
    def enabled(self) -> bool:
        return self.directory is not None

    def _open(self, directory: Path) -> None:
        marker = directory / _VERSION_FILE
        try:
            current = marker.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            current = None
        if current != self.version:
            # Written by another version (or not by us at all): start afresh.
            if directory.is_dir():
                shutil.rmtree(directory, ignore_errors=True)
            directory.mkdir(parents=True, exist_ok=True)
            _write_atomically(marker, self.version.encode("utf-8"))
        self._db = _connect(directory / _DATABASE)

    def key(self, *parts: str | bytes) -> str:
        """A key from the parts that decide an entry's content (and the cache version)."""
        digest = hashlib.sha256()
        for part in (self.version, *parts):
            data = part.encode("utf-8", "surrogatepass") if isinstance(part, str) else part
            digest.update(len(data).to_bytes(8, "big"))
            digest.update(data)
        return digest.hexdigest()

    def contains(self, kind: str, key: str) -> bool:
        """Whether an entry exists under ``key`` (``get`` still checks it is intact)."""
        row = self._query("SELECT 1 FROM entries WHERE kind = ? AND key = ?", (kind, key))
        return row is not None

    def get(self, kind: str, key: str) -> bytes | None:
        """The payload stored under ``key``, or ``None`` (missing, damaged, cache off)."""
        if self._db is None:
            return None
        row = self._query(
            "SELECT digest, payload FROM entries WHERE kind = ? AND key = ?", (kind, key)
        )
        if (
            row is None
            or not isinstance(row[1], bytes)
            or hashlib.sha256(row[1]).digest() != row[0]
        ):
            if row is not None:
                self._write("DELETE FROM entries WHERE kind = ? AND key = ?", (kind, key))
            self.misses += 1
            return None
        self.hits += 1
        return row[1]

    def put(self, kind: str, key: str, payload: bytes) -> None:
        """Store ``payload`` under ``key``; a cache that cannot be written is no error."""
        # The digest has a column of its own, so the payload is stored as it is.
        digest = hashlib.sha256(payload).digest()
        insert = "INSERT OR REPLACE INTO entries (kind, key, digest, payload) VALUES (?, ?, ?, "
        if len(payload) < _LARGE:
            self._write(insert + "?)", (kind, key, digest, payload))
            return
        # A large payload (a data file is megabytes at 10,000 cases) is written through
        # SQLite's blob I/O: bound as a parameter, SQLite would copy it whole first.
        rowid = self._write(insert + "zeroblob(?))", (kind, key, digest, len(payload)))
        if rowid is None or self._db is None:
            return
        view = memoryview(payload)
        try:
            with self._db.blobopen("entries", "payload", rowid) as blob:
                for start in range(0, len(view), _LARGE):
                    blob.write(view[start : start + _LARGE])
        except sqlite3.Error:  # the digest does not match the zeros: never served
            return

    def flush(self) -> None:
        """Commit what was written (also done every ``_BATCH`` writes)."""
        if self._db is not None:
            try:
                self._db.commit()
            except sqlite3.Error:
                self._lost()
            self._pending = 0

    def close(self) -> None:
        """Commit and close; the cache then works as switched off."""
        self.flush()
        database, self._db = self._db, None
        if database is not None:
            with contextlib.suppress(sqlite3.Error):
                database.close()

    def _query(self, sql: str, parameters: tuple[str, ...]) -> tuple[object, ...] | None:
        if self._db is None:
            return None
        try:
            row: tuple[object, ...] | None = self._db.execute(sql, parameters).fetchone()
        except sqlite3.Error:
            self._lost()
            return None
        return row

    def _write(self, sql: str, parameters: tuple[str | bytes | int, ...]) -> int | None:
        """Run ``sql``; the row it wrote (``None``: nothing written)."""
        if self._db is None:
            return None
        try:
            rowid = self._db.execute(sql, parameters).lastrowid
        except sqlite3.OperationalError:  # e.g. locked by another build for too long
            return None
        except sqlite3.Error:
            self._lost()
            return None
        self._pending += 1
        if self._pending >= _BATCH:
            self.flush()
        return rowid

    def _lost(self) -> None:
        """The database is damaged: this build goes on without a cache, the next one
        starts afresh."""
        database, self._db = self._db, None
        if database is not None:
            with contextlib.suppress(sqlite3.Error):
                database.close()
        if self.directory is not None:
            for name in (_DATABASE, _DATABASE + "-journal"):
                with contextlib.suppress(OSError):
                    (self.directory / name).unlink()


def _connect(path: Path) -> sqlite3.Connection | None:
    """The cache database at ``path``, made if missing, deleted and made again if it is
    not a database of ours; ``None`` if it cannot be opened at all."""
    for _ in range(2):
        try:
            # One connection per build; `mkdocs serve` may build in another thread.
            database = sqlite3.connect(path, timeout=10, check_same_thread=False)
            database.execute("PRAGMA synchronous = OFF")  # a cache: rebuilt if ever lost
            # A rowid table: payloads of tens of KiB are written several times faster
            # than into a WITHOUT ROWID table, which keeps them inside its key's B-tree.
            database.execute(
                "CREATE TABLE IF NOT EXISTS entries (kind TEXT NOT NULL, key TEXT NOT NULL,"
                " digest BLOB NOT NULL, payload BLOB NOT NULL, PRIMARY KEY (kind, key))"
            )
            database.execute("SELECT kind, key, digest, payload FROM entries LIMIT 1").fetchall()
            database.commit()
            return database
        except sqlite3.Error:
            with contextlib.suppress(sqlite3.Error, UnboundLocalError):
                database.close()
            for name in (path.name, path.name + "-journal"):
                with contextlib.suppress(OSError):
                    (path.parent / name).unlink()
    return None


def _write_atomically(path: Path, data: bytes) -> None:
    # Another build (or a crash) never sees a half-written entry: write, then rename. The
    # temporary name is unique per process and thread (no random names to try: a build
    # writes thousands of entries).
    temporary = path.with_name(f".tmp-{os.getpid()}-{threading.get_ident()}-{path.name}")
    try:
        with open(temporary, "wb") as file:
            file.write(data)
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise
