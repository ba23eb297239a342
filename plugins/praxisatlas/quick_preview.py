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
  hand-written page its file's content (not its time, which an edit during a build or a
  copy with ``cp -p`` can leave older than the output) and the catalogue without case
  texts (page filters fill figures into it); for a hand-written static file its size and
  time, compared for equality (``own_key``);
- per page, its title and metadata as last read, for the pages MkDocs does not read
  again: the navigation of a rebuilt page shows them.

Before the pages are read, ``plan`` removes the output of every page whose key changed
and of every file the plugin no longer adds: MkDocs then builds exactly those pages
again. When the site itself changed (``site_key``: mkdocs.yml, the theme overrides, the
navigation, the set of hand-written files, the content of the hand-written pages in the
navigation) it empties the site directory, as a build without ``--dirty`` does. So does
the build after a failed one, whose outputs are not known, and the first build without
a plan (the plugin switched off, or another plugin taking part: ``unplanned``) and the
first with one again. Nothing here imports MkDocs; it reads MkDocs' files only through
their public ``src_uri`` and ``abs_src_path``.
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
from typing import Any, Protocol

from praxisatlas.output import Content


@dataclass(frozen=True)
class PageKey:
    """A page of this build: its path in the docs, its output file and what it is made
    from (see the module docstring)."""

    path: str
    output: str
    key: str


def _bytes(content: Content) -> bytes:
    return content if isinstance(content, bytes) else content.encode("utf-8", "surrogatepass")


def content_key(content: Content) -> str:
    return hashlib.sha256(_bytes(content)).hexdigest()


class _Source(Protocol):
    @property
    def src_uri(self) -> str: ...

    @property
    def abs_src_path(self) -> str | None: ...


class _File(_Source, Protocol):
    @property
    def abs_dest_path(self) -> str: ...

    @property
    def generated_by(self) -> str | None: ...


def file_key(file: _Source) -> str:
    """Of a file's content ('' when it cannot be read: MkDocs will report that)."""
    return _path_key(file.abs_src_path)


def _path_key(path: str | None) -> str:
    try:
        return content_key(Path(path).read_bytes()) if path else ""
    except OSError:
        return ""


def _stat_key(file: _Source) -> str:
    """Of a file's size and time (for files too large to read on every build)."""
    try:
        stat = os.stat(file.abs_src_path) if file.abs_src_path else None
    except OSError:
        return ""
    return f"{stat.st_size}:{stat.st_mtime_ns}" if stat else ""


def file_keys(files: Iterable[_File], generated: dict[str, str], catalogue: str) -> list[PageKey]:
    """The keys of a build's files: of the generated pages (``generated``, by path) and
    of every hand-written file (``own_key``)."""
    return [
        PageKey(f.src_uri, f.abs_dest_path, generated.get(f.src_uri) or own_key(f, catalogue))
        for f in files
        if not f.generated_by or f.src_uri in generated
    ]


def own_key(file: _Source, catalogue: str) -> str:
    """Of a hand-written file: a page's content and the catalogue without case texts
    (page filters fill figures into pages, and read no case's text); a static file's
    size and time, compared for equality (a copy may keep an older time)."""
    if file.src_uri.endswith(".md"):
        return catalogue + file_key(file)
    return _stat_key(file)


def _editor_file(name: str) -> bool:
    """Hidden, lock and backup files editors leave next to the file being edited."""
    return name.startswith((".", "#")) or name.endswith("~")


def site_key(
    config_file: str | None,
    theme_dirs: Iterable[str],
    nav: Any,
    hand_written: Iterable[str],
    nav_pages: Iterable[_Source],
) -> str:
    """Of what every page shows or links to besides its own content: the configuration
    file, the theme overrides (by name, size and time), the navigation as MkDocs knows it
    before reading the pages, the hand-written files (their paths: links to them) and the
    hand-written pages in the navigation (their content: titles and metadata)."""
    digest = hashlib.sha256(repr(nav).encode("utf-8", "surrogatepass"))
    digest.update(_path_key(config_file).encode("ascii"))
    for directory in theme_dirs:
        for root, dirs, files in os.walk(directory):
            dirs[:] = sorted(d for d in dirs if not _editor_file(d))
            for name in sorted(n for n in files if not _editor_file(n)):
                try:  # a file an editor just removed, or a dangling link
                    stat = os.stat(os.path.join(root, name))
                except OSError:
                    continue
                entry = f"{root}/{name}\0{stat.st_size}\0{stat.st_mtime_ns}\n"
                digest.update(entry.encode("utf-8", "surrogateescape"))
    for path in sorted(hand_written):
        digest.update(path.encode("utf-8", "surrogateescape") + b"\n")
    for page in nav_pages:
        digest.update(file_key(page).encode("ascii"))
    return digest.hexdigest()


def nav_outline(items: Iterable[Any]) -> list[Any]:
    """The navigation's titles (as given in mkdocs.yml), addresses and nesting."""
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
        # By path, as the last build read them: a page's title and metadata.
        self.seen: dict[str, tuple[str, dict[str, Any]]] = {}

    def source(self, path: str, content: Content) -> Path:
        """The file with a generated page's source, written only when it changed."""
        target = self.root / path
        key = content_key(content)
        if self._written.get(path) != key or not target.is_file():
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(_bytes(content))
            self._written[path] = key
        return target

    def source_key(self, path: str) -> str:
        """The key of the content ``source`` last wrote for ``path``."""
        return self._written[path]

    def plan(
        self, site: str, pages: Iterable[PageKey], data_files: Iterable[str], site_dir: str
    ) -> int:
        """Remove the outputs of the pages to build again and of the files no longer in
        the site (see the module docstring); how many pages will be built."""
        current = {page.path: page for page in pages}
        outputs = {page.output for page in current.values()} | set(data_files)
        everything = site != self._site
        if everything:
            _empty(site_dir)
        stale = [
            page.output
            for page in current.values()
            if everything or self._built.get(page.path) != page
        ]
        for output in [] if everything else [*stale, *(self._outputs - outputs)]:
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
        """A build succeeded: with a plan, its keys are the ones to compare with next;
        without one (see the module docstring) the next build builds every page."""
        if self._planned is None:
            self._forget()
        else:
            self._site, self._built, self._outputs = self._planned
            self._planned = None

    def unplanned(self, site_dir: str) -> None:
        """A build without a plan begins (see the module docstring): after one with a plan,
        the site directory is emptied, so MkDocs builds every page as the others see it."""
        if self._site is not None:
            _empty(site_dir)
        self._forget()

    def failed(self) -> None:
        """A build failed, perhaps after writing some outputs: the next builds every page."""
        self._forget()

    def _forget(self) -> None:
        """Keys, titles and plan: the next planned build empties the site directory."""
        self._site, self._built, self._planned = None, {}, None
        self.seen.clear()

    def close(self) -> None:
        shutil.rmtree(self.root, ignore_errors=True)


def _empty(directory: str) -> None:
    """Remove what is in ``directory`` but hidden entries (as MkDocs cleans its site)."""
    if not os.path.isdir(directory):
        return
    for entry in os.scandir(directory):
        if entry.name.startswith("."):
            continue
        if entry.is_dir(follow_symlinks=False):
            shutil.rmtree(entry.path, ignore_errors=True)
        else:
            with contextlib.suppress(FileNotFoundError):
                os.remove(entry.path)
