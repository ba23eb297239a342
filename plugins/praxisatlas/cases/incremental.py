"""Reloading a catalogue after an edit, for ``mkdocs serve``: only changed files are re-read.

``CaseFolder.load()`` reads and validates every case the first time. Afterwards it
re-reads and re-validates only the files whose size or modification time changed, and
reuses every other case as it was. Ids and references between cases depend only on the
set of file names; when that set changes (a case added, removed or renamed), or the
folder holds anything else that is reported, everything is read again; so it is when
the hand-written pages a case's links may point to change (``CaseFolder.reused``). A
failed load
raises ``CatalogueError`` and keeps the last good state, so the next load after a fix
again re-reads only what changed.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass, field
from pathlib import Path

from praxisatlas.cache import ContentCache
from praxisatlas.cases.catalogue import Catalogue
from praxisatlas.cases.model import Case
from praxisatlas.cases.pipeline import collect, linkable_pages, scan_cases_dir
from praxisatlas.cases.problems import CatalogueError, Problem, errors
from praxisatlas.cases.reference import Reference, load_reference
from praxisatlas.cases.vocabulary import Vocabulary, load_vocabulary

Signature = tuple[int, int]  # (size, modification time in ns)


def _signature(path: Path) -> Signature | None:
    try:
        stat = os.stat(path, follow_symlinks=False)
    except OSError:
        return None
    return stat.st_size, stat.st_mtime_ns


@dataclass
class CaseFolder:
    """The cases of ``cases_dir``, kept between loads (see the module docstring)."""

    cases_dir: Path
    vocabulary: Vocabulary = field(default_factory=load_vocabulary)
    reference: Reference = field(default_factory=load_reference)
    today: dt.date | None = None
    # Hand-written pages that relative links in case bodies may point to, and which
    # there were when the cases were read.
    docs_dir: Path | None = None
    pages: frozenset[str] = frozenset()
    catalogue: Catalogue | None = None
    # Case files with the signature they had when their case was read.
    _read: dict[Path, tuple[Signature | None, Case]] = field(default_factory=dict)
    # The vocabulary file the folder was made with (None: the shipped one), as it was.
    vocabulary_file: tuple[Path, Signature | None] | None = None
    # Files re-read by the last load (for the log and the tests).
    reread: list[Path] = field(default_factory=list)
    # Warnings (not errors) of the cases as last read, by the path in the problem.
    _warnings: dict[str, list[Problem]] = field(default_factory=dict)

    def reread_report(self, total: int) -> list[str]:
        """What the last load read, for the terminal (German)."""
        if len(self.reread) == total:
            return [f"Praxisatlas: alle {total} Fall-Dateien gelesen"]
        return [f"Praxisatlas: {path.name} neu gelesen" for path in self.reread]

    @classmethod
    def reused(
        cls,
        folder: CaseFolder | None,
        cases_dir: Path,
        vocabulary_path: Path | None,
        today: dt.date | None,
        docs_dir: Path | None,
    ) -> CaseFolder:
        """``folder`` if it was made for the same folder, vocabulary file (unchanged
        since), day and site pages, else a new one: every case is read again when what
        cases are checked against has changed."""
        vocabulary_file = None
        if vocabulary_path is not None:
            vocabulary_file = (vocabulary_path, _signature(vocabulary_path))
        pages = linkable_pages(cases_dir, docs_dir)
        now = (cases_dir, vocabulary_file, today, docs_dir, pages)
        if folder is not None and folder.made_for() == now:
            return folder
        vocabulary = load_vocabulary(vocabulary_path) if vocabulary_path else load_vocabulary()
        return cls(
            cases_dir,
            vocabulary,
            today=today,
            docs_dir=docs_dir,
            pages=pages,
            vocabulary_file=vocabulary_file,
        )

    def made_for(self) -> tuple[object, ...]:
        """What the folder's cases are checked against: folder, vocabulary file, day, the
        pages a link may point to."""
        return self.cases_dir, self.vocabulary_file, self.today, self.docs_dir, self.pages

    def load(self, cache: ContentCache | None = None) -> Catalogue:
        """The catalogue as the folder is now (raises ``CatalogueError``); ``cache``
        keeps checked files between processes (see ``checked_cases``)."""
        files, problems = scan_cases_dir(self.cases_dir) if self.cases_dir.is_dir() else ([], [])
        same_names = self.catalogue is not None and not problems and set(files) == set(self._read)
        if not same_names:
            return self._load_all(files, cache)
        changed = [f for f in files if _signature(f) != self._read[f][0]]
        self.reread = changed
        if not changed:
            assert self.catalogue is not None
            return self.catalogue
        signatures = {f: _signature(f) for f in changed}
        cases, problems = collect(
            self.cases_dir,
            self.vocabulary,
            self.reference,
            self.today,
            files=changed,
            docs_dir=self.docs_dir,
            cache=cache,
        )
        if errors(problems):
            raise CatalogueError(problems)
        warnings = dict(self._warnings)
        for case in cases:
            warnings[case.path] = []
        for problem in problems:
            warnings.setdefault(problem.path, []).append(problem)
        self._warnings = warnings
        by_path = {case.path: case for case in cases}
        read = dict(self._read)
        for file in changed:
            old = read[file][1]
            new = by_path.get(old.path)
            if new is None:  # e.g. the file changed while it was read: read all again
                return self._load_all(files, cache)
            read[file] = (signatures[file], new)
        return self._keep(read)

    def _load_all(self, files: list[Path], cache: ContentCache | None) -> Catalogue:
        signatures = {f: _signature(f) for f in files}
        cases, problems = collect(
            self.cases_dir,
            self.vocabulary,
            self.reference,
            self.today,
            docs_dir=self.docs_dir,
            cache=cache,
        )
        if errors(problems):
            raise CatalogueError(problems)
        self._warnings = {}
        for problem in problems:
            self._warnings.setdefault(problem.path, []).append(problem)
        self.reread = list(files)
        paths = {case.path: case for case in cases}
        read: dict[Path, tuple[Signature | None, Case]] = {}
        for case in cases:
            matches = [f for f in files if case.path.endswith("/" + f.name) or case.path == f.name]
            if len(matches) == 1:
                read[matches[0]] = (signatures[matches[0]], case)
        if len(read) != len(paths):  # cannot tell files apart: never reuse anything
            read = {}
        return self._keep(read, cases)

    def _keep(
        self, read: dict[Path, tuple[Signature | None, Case]], cases: list[Case] | None = None
    ) -> Catalogue:
        self._read = read
        all_cases = [case for _, case in read.values()] if cases is None else cases
        warnings = sorted(p for found in self._warnings.values() for p in found)
        self.catalogue = Catalogue(
            all_cases, self.vocabulary, self.reference, today=self.today, warnings=warnings
        )
        return self.catalogue
