"""Build output parked on disk until MkDocs writes it, so a build's memory stays flat.

MkDocs holds every page's HTML from the moment the page is converted until it is written,
and a generated file's content from the moment it is added until it is copied. With
thousands of case pages that is most of a build's memory. ``SpillDir`` parks such
content in a temporary directory: the plugin puts a page's HTML there after converting
it and takes it back just before the theme renders the page, and hands data files to
MkDocs as files in it. Nothing here knows about MkDocs.
"""

from __future__ import annotations

import hashlib
import shutil
import tempfile
from pathlib import Path

from praxisatlas.output import Content


class SpillDir:
    """A temporary directory for one build; ``close`` removes it."""

    def __init__(self) -> None:
        self.root = Path(tempfile.mkdtemp(prefix="praxisatlas-"))

    def path(self, name: str) -> Path:
        """Where the content called ``name`` is parked (a name is any text)."""
        digest = hashlib.sha256(name.encode("utf-8", "surrogatepass")).hexdigest()
        return self.root / digest

    def put(self, name: str, content: Content) -> Path:
        path = self.path(name)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_bytes(content.encode("utf-8", "surrogatepass"))
        return path

    def read(self, name: str) -> str:
        """The text parked as ``name``."""
        return self.path(name).read_bytes().decode("utf-8", "surrogatepass")

    def close(self) -> None:
        shutil.rmtree(self.root, ignore_errors=True)
