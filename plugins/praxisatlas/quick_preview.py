"""``mkdocs serve --dirty``: after an edit, build again only the pages it changes.

With ``--dirty`` MkDocs keeps the site directory between builds and builds a page again
only when its source file is newer than its output (``File.is_modified``); a file whose
content is in memory always counts as changed. On its own that would build every
generated page after each edit, and would leave hand-written pages with stale figures.
``QuickPreview`` keeps, for the whole session:

- a directory with the source of every generated page, written only when it changed, so
  an unchanged page has an older source than its output and MkDocs leaves it alone;
- per page, the key of what it was made from in the last good build: a generated page's
  origin (``SiteFiles.origin``) and front matter, or its whole content; for a
  hand-written page the catalogue (page filters fill figures into it), as MkDocs
  already compares its own file.

Before the pages are read, ``plan`` removes the output of every page whose key changed,
of every page no longer in the site, and of all pages when the site itself changed
(mkdocs.yml, the theme's files, the navigation): MkDocs then builds exactly those
again. A failed build forgets the keys, so the next one builds every page. Nothing here
knows about MkDocs.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import shutil
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from praxisatlas.output import Content


@dataclass(frozen=True)
class PageKey:
    """A page of this build: its path in the docs, its output file and what it is made
    from (see the module docstring)."""

    path: str
    output: str
    key: str


def content_key(content: Content) -> str:
    data = content if isinstance(content, bytes) else content.encode("utf-8", "surrogatepass")
    return hashlib.sha256(data).hexdigest()


def site_key(config_file: str | None, theme_dirs: Iterable[str], nav: str) -> str:
    """Of what every page shows besides its own content: the configuration file, the
    theme's files (by name, size and time) and the navigation."""
    digest = hashlib.sha256(nav.encode("utf-8", "surrogatepass"))
    if config_file and os.path.isfile(config_file):
        digest.update(Path(config_file).read_bytes())
    for directory in theme_dirs:
        for root, dirs, files in os.walk(directory):
            dirs.sort()
            for name in sorted(files):
                stat = os.stat(os.path.join(root, name))
                entry = f"{root}/{name}\0{stat.st_size}\0{stat.st_mtime_ns}\n"
                digest.update(entry.encode("utf-8", "surrogateescape"))
    return digest.hexdigest()


def nav_outline(items: Iterable[Any]) -> list[Any]:
    """What every page shows of the navigation: titles, addresses, nesting."""
    return [
        (i.title, getattr(i, "url", None), nav_outline(getattr(i, "children", None) or []))
        for i in items
    ]


class QuickPreview:
    """The pages of the last good build of a ``mkdocs serve --dirty`` session; ``close``
    removes the source directory."""

    def __init__(self) -> None:
        self.root = Path(tempfile.mkdtemp(prefix="praxisatlas-vorschau-"))
        self._written: dict[str, str] = {}  # source path: key of the content on disk
        self._built: dict[str, PageKey] = {}  # by path, of the last good build
        self._outputs: set[str] = set()  # every file the plugin added to it
        self._site: str | None = None
        self._planned: tuple[str, dict[str, PageKey], set[str]] | None = None
        self.titles: dict[str, str] = {}  # by path, as the last build found them

    def source(self, path: str, content: Content) -> Path:
        """The file with a generated page's source, written only when it changed."""
        target = self.root / path
        key = content_key(content)
        if self._written.get(path) != key or not target.is_file():
            target.parent.mkdir(parents=True, exist_ok=True)
            data = content if isinstance(content, bytes) else content.encode("utf-8")
            target.write_bytes(data)
            self._written[path] = key
        return target

    def plan(self, site: str, pages: Iterable[PageKey], data_files: Iterable[str]) -> int:
        """Remove the outputs of the pages to build again and of the files no longer in
        the site (see the module docstring); how many pages will be built."""
        current = {page.path: page for page in pages}
        outputs = {page.output for page in current.values()} | set(data_files)
        everything = site != self._site
        stale = [
            page.output
            for page in current.values()
            if everything or self._built.get(page.path) != page
        ]
        for output in [*stale, *(self._outputs - outputs)]:
            with contextlib.suppress(FileNotFoundError):
                os.remove(output)
            with contextlib.suppress(OSError):  # a page's directory, once empty
                os.rmdir(os.path.dirname(output))
        for path in set(self._written) - set(current):  # no longer generated
            (self.root / path).unlink(missing_ok=True)
            del self._written[path]
        self._planned = (site, current, outputs)
        return len(stale)

    def built(self) -> None:
        """The planned build succeeded: its keys are the ones to compare with next."""
        if self._planned is not None:
            self._site, self._built, self._outputs = self._planned
        self._planned = None

    def failed(self) -> None:
        """A build failed, perhaps after writing some outputs: the next builds every page."""
        self._site, self._built, self._planned = None, {}, None
        self.titles.clear()  # the outputs are kept: files a later build no longer adds

    def close(self) -> None:
        shutil.rmtree(self.root, ignore_errors=True)
