"""A content-addressed cache on disk, after Material's convention (``.cache/plugin/<name>/``).

Each entry is stored under a key that is a hash of everything that changes its content
(the caller passes those parts to ``key``); the cache's own ``version`` (package version,
a digest of the package's code and data, the versions of MkDocs, Markdown and Material)
goes into every key, and a cache written by another version is discarded as a whole when
the cache is opened. Each entry carries a digest of its payload: an entry that is
truncated, corrupt or not ours is ignored (and removed), never served, and the caller
simply makes the content again.

Nothing here knows about MkDocs; ``ContentCache(None, ...)`` is a cache that is switched
off (every ``get`` misses, ``put`` does nothing).
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import shutil
import sys
import threading
from functools import cache
from importlib import metadata
from pathlib import Path

DEFAULT_DIR = ".cache/plugin/praxisatlas"
_MAGIC = b"praxisatlas-cache 1\n"
_DIGEST = hashlib.sha256().digest_size
_VERSION_FILE = "VERSION"
_PACKAGE = Path(__file__).resolve().parent


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
        *(f"{name} {_version_of(name)}" for name in ("mkdocs", "markdown", "mkdocs-material")),
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
        if current == self.version:
            return
        # Written by another version (or not by us at all): start afresh.
        if directory.is_dir():
            shutil.rmtree(directory, ignore_errors=True)
        directory.mkdir(parents=True, exist_ok=True)
        _write_atomically(marker, self.version.encode("utf-8"))

    def key(self, *parts: str | bytes) -> str:
        """A key from the parts that decide an entry's content (and the cache version)."""
        digest = hashlib.sha256()
        for part in (self.version, *parts):
            data = part.encode("utf-8", "surrogatepass") if isinstance(part, str) else part
            digest.update(len(data).to_bytes(8, "big"))
            digest.update(data)
        return digest.hexdigest()

    def _path(self, kind: str, key: str) -> Path:
        assert self.directory is not None
        return self.directory / kind / key[:2] / key

    def contains(self, kind: str, key: str) -> bool:
        """Whether an entry exists under ``key`` (``get`` still checks it is intact)."""
        return self.directory is not None and self._path(kind, key).is_file()

    def get(self, kind: str, key: str) -> bytes | None:
        """The payload stored under ``key``, or ``None`` (missing, damaged, cache off)."""
        if self.directory is None:
            return None
        path = self._path(kind, key)
        try:
            data = path.read_bytes()
        except OSError:
            self.misses += 1
            return None
        header = len(_MAGIC) + _DIGEST
        payload = data[header:]
        if (
            len(data) < header
            or data[: len(_MAGIC)] != _MAGIC
            or hashlib.sha256(payload).digest() != data[len(_MAGIC) : header]
        ):
            with contextlib.suppress(OSError):
                path.unlink()
            self.misses += 1
            return None
        self.hits += 1
        return payload

    def put(self, kind: str, key: str, payload: bytes) -> None:
        """Store ``payload`` under ``key``; a cache that cannot be written is no error."""
        if self.directory is None:
            return
        path = self._path(kind, key)
        with contextlib.suppress(OSError):
            path.parent.mkdir(parents=True, exist_ok=True)
            _write_atomically(path, _MAGIC + hashlib.sha256(payload).digest() + payload)


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
