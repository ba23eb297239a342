"""Build output parked on disk until MkDocs writes it, so a build's memory stays flat.

MkDocs holds every page's HTML from the moment the page is converted until it is written,
and a generated file's content from the moment it is added until it is copied. With
thousands of case pages that is most of a build's memory. ``SpillDir`` parks such
content in a temporary directory: the plugin parks a page's HTML there after converting
it and reads it back just before the theme renders the page (all pages in one file:
creating a file costs more than writing a page), and hands large data files to MkDocs
as files of their own. Nothing here knows about MkDocs.
"""

from __future__ import annotations

import hashlib
import io
import shutil
import tempfile
from pathlib import Path

from praxisatlas.output import Content


class SpillDir:
    """A temporary directory for one build; ``close`` removes it."""

    def __init__(self) -> None:
        self.root = Path(tempfile.mkdtemp(prefix="praxisatlas-"))
        self._pages = open(self.root / "seiten", "w+b")  # noqa: SIM115 (closed by close)
        self._parked: dict[str, tuple[int, int]] = {}

    def park(self, name: str, text: str) -> None:
        """Keep ``text`` as ``name`` (a page's HTML) until ``unpark``."""
        data = text.encode("utf-8", "surrogatepass")
        offset = self._pages.seek(0, io.SEEK_END)
        self._pages.write(data)
        self._parked[name] = (offset, len(data))

    def unpark(self, name: str) -> str:
        """The text parked as ``name`` (it stays parked)."""
        offset, length = self._parked[name]
        self._pages.seek(offset)
        return self._pages.read(length).decode("utf-8", "surrogatepass")

    def path(self, name: str) -> Path:
        """Where the content called ``name`` is parked (a name is any text)."""
        digest = hashlib.sha256(name.encode("utf-8", "surrogatepass")).hexdigest()
        return self.root / digest

    def put(self, name: str, content: Content) -> Path:
        """Write ``content`` to a file of its own (``path(name)``)."""
        path = self.path(name)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_bytes(content.encode("utf-8", "surrogatepass"))
        return path

    def close(self) -> None:
        self._pages.close()
        shutil.rmtree(self.root, ignore_errors=True)
