"""The case pipeline: a folder of case files in, a ``Catalogue`` (or every problem) out.

``collect`` reads and validates; ``load_catalogue`` is what the plugin and the CLI call.
Folder-level rules live here: only ``<id>.md`` files directly in the cases folder are
cases; anything else there (sub-folders, dotfiles, symlinks, other extensions) is
reported, never silently skipped or published. Ids must stay distinct after case folding
and Unicode normalisation, and references between cases must point to existing files.
"""

from __future__ import annotations

import datetime as dt
import gc
import os
import unicodedata
from collections.abc import Sequence
from pathlib import Path

from praxisatlas.cache import ContentCache
from praxisatlas.cases.catalogue import Catalogue
from praxisatlas.cases.checked_cases import CheckedCases
from praxisatlas.cases.loader import CASE_SUFFIX, load_file, printable
from praxisatlas.cases.model import Case
from praxisatlas.cases.problems import CatalogueError, Problem, errors
from praxisatlas.cases.reference import Reference, load_reference
from praxisatlas.cases.validation import Context, validate_loaded
from praxisatlas.cases.vocabulary import Vocabulary, load_vocabulary

MAX_REPORTED_NESTED = 50


def display_path(path: Path, root: Path | None = None) -> str:
    """``path`` relative to ``root`` (default: the working directory), with '/'."""
    base = Path.cwd() if root is None else root
    try:
        relative = Path(os.path.relpath(path.absolute(), base.absolute())).as_posix()
    except ValueError:
        return printable(path.as_posix())
    return printable(path.as_posix() if relative.startswith("../") else relative)


def _display_paths(files: Sequence[Path], root: Path | None) -> list[str]:
    """``display_path`` for many files, computing each folder's prefix once."""
    prefixes: dict[Path, str] = {}
    shown: list[str] = []
    for file in files:
        parent = file.parent
        if parent not in prefixes:
            prefixes[parent] = display_path(parent, root)
        prefix = prefixes[parent]
        name = printable(file.name)
        shown.append(name if prefix == "." else f"{prefix}/{name}")
    return shown


def _id_key(case_id: str) -> str:
    return unicodedata.normalize("NFKC", case_id).casefold()


def scan_cases_dir(cases_dir: Path, root: Path | None = None) -> tuple[list[Path], list[Problem]]:
    """Case files in ``cases_dir`` (sorted) and problems with everything else in it."""
    files: list[Path] = []
    problems: list[Problem] = []
    shown = display_path(cases_dir, root)
    try:
        entries = sorted(os.scandir(cases_dir), key=lambda e: e.name)
    except OSError as err:
        return [], [
            Problem(
                shown, 1, "ordner", f"Der Fall-Ordner kann nicht gelesen werden: {err.strerror}"
            )
        ]
    for entry in entries:
        path = Path(entry.path)
        name = printable(entry.name)
        where = name if shown == "." else f"{shown}/{name}"
        if entry.is_symlink():
            problems.append(
                Problem(
                    where,
                    1,
                    "datei",
                    "Symbolische Links sind im Fall-Ordner nicht erlaubt; bitte die Datei selbst "
                    "ablegen",
                )
            )
        elif entry.name.startswith("."):
            problems.append(
                Problem(
                    where,
                    1,
                    "datei",
                    "Versteckte Dateien (Name beginnt mit '.') sind im Fall-Ordner nicht erlaubt",
                )
            )
        elif entry.is_dir(follow_symlinks=False):
            problems.append(
                Problem(
                    where,
                    1,
                    "ordner",
                    "Unterordner werden nicht gelesen; Fälle gehören direkt in den Fall-Ordner",
                )
            )
            problems.extend(_nested(path, root))
        elif not entry.is_file(follow_symlinks=False):
            problems.append(Problem(where, 1, "datei", "Keine normale Datei"))
        elif not entry.name.endswith(CASE_SUFFIX):
            suffix = Path(name).suffix
            hint = (
                f"; bitte in '{name[: -len(suffix)]}.md' umbenennen"
                if suffix.lower() in (".md", ".markdown")
                else ""
            )
            problems.append(
                Problem(
                    where,
                    1,
                    "datei",
                    "Nur Dateien mit der Endung .md werden gelesen (gefunden: "
                    f"'{suffix or 'ohne Endung'}'){hint}",
                )
            )
        else:
            files.append(path)
    return files, problems


def _nested(folder: Path, root: Path | None) -> list[Problem]:
    problems: list[Problem] = []
    for dirpath, dirnames, filenames in os.walk(folder):
        dirnames.sort()
        for name in sorted(filenames):
            if len(problems) >= MAX_REPORTED_NESTED:
                return problems
            where = display_path(Path(dirpath) / name, root)
            problems.append(
                Problem(
                    where,
                    1,
                    "datei",
                    "Liegt in einem Unterordner und wird nicht gelesen; Fälle gehören direkt in "
                    "den Fall-Ordner",
                )
            )
    return problems


def _inside(file: Path, folder: Path) -> bool:
    return file.absolute().parent.resolve() == folder.resolve()


def _unreadable(file: Path, cases_dir: Path, root: Path | None) -> str | None:
    """Why a file named on the command line is not checked as a case; None if it is."""
    if not file.exists() and not file.is_symlink():
        return "Die Datei oder der Ordner existiert nicht"
    if not _inside(file, cases_dir):
        return (
            f"Liegt nicht direkt im Fall-Ordner {display_path(cases_dir, root)}/ und "
            "wird nicht geprüft"
        )
    if file.is_symlink():
        return "Symbolische Links sind im Fall-Ordner nicht erlaubt; bitte die Datei selbst ablegen"
    if not file.name.endswith(CASE_SUFFIX):
        return "Nur Dateien mit der Endung .md werden gelesen"
    if not file.is_file():
        return "Die Datei existiert nicht"
    return None


def collect(
    cases_dir: Path,
    vocabulary: Vocabulary | None = None,
    reference: Reference | None = None,
    today: dt.date | None = None,
    *,
    files: Sequence[Path] | None = None,
    root: Path | None = None,
    docs_dir: Path | None = None,
    cache: ContentCache | None = None,
) -> tuple[list[Case], list[Problem]]:
    """Read and validate case files; returns valid cases and all problems (sorted).

    Without ``files`` every file in ``cases_dir`` is checked. With ``files`` only those
    are, but ids and cross-references are still checked against the whole folder.
    Paths in problems are relative to ``root`` (default: the working directory).
    Relative links in bodies may point to the hand-written pages in ``docs_dir``
    (default: ``docs/`` beside the cases folder, when there is one). Warnings are among
    the problems; a case with warnings only is valid. With an enabled ``cache``, a file
    checked before against the same context is not checked again (``checked_cases``).
    """
    cases_dir = Path(cases_dir)
    ctx = Context(
        vocabulary=vocabulary or load_vocabulary(),
        reference=reference or load_reference(),
        today=today or dt.date.today(),
        site_pages=linkable_pages(cases_dir, docs_dir),
    )
    all_files, problems = scan_cases_dir(cases_dir, root) if cases_dir.is_dir() else ([], [])
    if not cases_dir.is_dir() and files is None:
        problems.append(
            Problem(display_path(cases_dir, root), 1, "ordner", "Der Fall-Ordner existiert nicht")
        )
    if files is None:
        selected = all_files
    else:
        problems = []
        selected = []
        for file in files:
            message = _unreadable(file, cases_dir, root)
            if message is None:
                selected.append(file)
            else:
                problems.append(Problem(display_path(file, root), 1, "datei", message))
    ctx.known_ids = {f.name[: -len(CASE_SUFFIX)] for f in all_files} | {
        f.name[: -len(CASE_SUFFIX)] for f in selected
    }
    shown_paths = _display_paths(selected, root)
    problems.extend(
        _id_conflicts(
            [
                (printable(f.name)[: -len(CASE_SUFFIX)], shown)
                for f, shown in zip(selected, shown_paths, strict=True)
            ],
            all_files,
            root,
        )
    )
    cases, found = _check_files(selected, shown_paths, ctx, cache)
    problems.extend(found)
    conflicted = {p.path for p in errors(problems)}
    cases = [c for c in cases if c.path not in conflicted]
    return sorted(cases, key=lambda c: c.id), sorted(set(problems))


def _check_files(
    files: list[Path], shown_paths: list[str], ctx: Context, cache: ContentCache | None
) -> tuple[list[Case], list[Problem]]:
    """Check each file (shown by its path in ``shown_paths``): the valid cases, all
    problems."""
    cached = CheckedCases(cache, ctx) if cache is not None and cache.enabled else None
    cases: list[Case] = []
    problems: list[Problem] = []
    # One file at a time: a file's node tree is dropped before the next one is read.
    # The cyclic garbage collector is paused meanwhile: loading allocates many small
    # objects without cycles (refcounting frees them), and the collector's repeated
    # passes over the growing list of cases cost about a third of the time at 10,000.
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        for file, shown in zip(files, shown_paths, strict=True):
            if cached is not None:
                case, found = cached.check(file, shown)
            else:
                case, found = validate_loaded(load_file(file, shown), ctx)
            problems.extend(found)
            if case is not None:
                cases.append(case)
    finally:
        if was_enabled:
            gc.enable()
    return cases, problems


def linkable_pages(cases_dir: Path, docs_dir: Path | None) -> frozenset[str]:
    """The pages a case's links may point to: those of ``docs_dir``, by default the
    ``docs`` folder next to ``cases_dir``."""
    return site_pages(cases_dir.parent / "docs" if docs_dir is None else docs_dir)


def site_pages(docs_dir: Path) -> frozenset[str]:
    """The Markdown pages in ``docs_dir`` as site paths (``ueber.md``); none when there
    is no such folder."""
    if not docs_dir.is_dir():
        return frozenset()
    return frozenset(
        path.relative_to(docs_dir).as_posix()
        for path in docs_dir.rglob("*.md")
        if not any(part.startswith(".") for part in path.relative_to(docs_dir).parts)
    )


def _id_conflicts(
    checked: list[tuple[str, str]], all_files: list[Path], root: Path | None
) -> list[Problem]:
    """Problems for checked (id, path) pairs whose id folds to another file's id."""
    by_key: dict[str, list[str]] = {}
    for file, shown in zip(all_files, _display_paths(all_files, root), strict=True):
        by_key.setdefault(_id_key(printable(file.name)[: -len(CASE_SUFFIX)]), []).append(shown)
    problems: list[Problem] = []
    for case_id, path in checked:
        others = [p for p in by_key.get(_id_key(case_id), []) if p != path]
        if others:
            problems.append(
                Problem(
                    path,
                    1,
                    "id",
                    f"Kennung kollidiert mit {', '.join(others)} (gleich nach "
                    "Groß-/Kleinschreibung oder Unicode-Normalisierung)",
                )
            )
    return problems


def load_catalogue(
    cases_dir: Path,
    vocabulary: Vocabulary | None = None,
    reference: Reference | None = None,
    today: dt.date | None = None,
    *,
    root: Path | None = None,
    docs_dir: Path | None = None,
    strict: bool = False,
    cache: ContentCache | None = None,
) -> Catalogue:
    """Load every case in ``cases_dir`` into a ``Catalogue``.

    Raises ``CatalogueError`` with all problems (with ``strict`` also when there are
    warnings only); their paths are relative to ``root`` (default: the working
    directory). Warnings of a valid catalogue are in its ``warnings``.
    """
    vocabulary = vocabulary or load_vocabulary()
    reference = reference or load_reference()
    cases, problems = collect(
        cases_dir, vocabulary, reference, today, root=root, docs_dir=docs_dir, cache=cache
    )
    if errors(problems) or (strict and problems):
        raise CatalogueError(problems)
    return Catalogue(cases, vocabulary, reference, today=today, warnings=problems)


__all__ = ["collect", "display_path", "load_catalogue", "scan_cases_dir"]
