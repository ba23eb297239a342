"""Reloading the catalogue after edits (mkdocs serve): only changed files are read again."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from praxisatlas.cases.incremental import CaseFolder
from praxisatlas.cases.problems import CatalogueError
from tests.synthetic import write_synthetic_cases


def _touch(path: Path, text: str) -> None:
    path.write_text(text, encoding="utf-8")
    stat = path.stat()  # a new mtime even on a coarse clock
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))


def test_only_changed_files_are_read_again(tmp_path: Path) -> None:
    cases_dir = tmp_path / "cases"
    paths = write_synthetic_cases(cases_dir, 5, seed=2)
    folder = CaseFolder(cases_dir)
    first = folder.load()
    assert len(first) == 5 and sorted(folder.reread) == sorted(paths)
    assert folder.load() is first and folder.reread == []  # nothing changed

    edited = paths[1]
    text = edited.read_text(encoding="utf-8")
    _touch(edited, text.replace("## Lösung", "Geändert.\n\n## Lösung", 1))
    second = folder.load()
    assert folder.reread == [edited]
    assert "Geändert." in second.cases[edited.stem].body
    unchanged = paths[0].stem
    assert second.cases[unchanged] is first.cases[unchanged]  # reused, not re-read

    _touch(edited, text.replace("\nstatus: ", "\nstatus: erfunden-", 1))
    with pytest.raises(CatalogueError) as error:
        folder.load()
    assert [p.path.rsplit("/", 1)[-1] for p in error.value.problems] == [edited.name]
    assert folder.catalogue is second  # the last good state stays

    _touch(edited, text)
    assert folder.load().cases[edited.stem].body == first.cases[edited.stem].body
    assert folder.reread == [edited]

    added = write_synthetic_cases(tmp_path / "neu", 6, seed=9)[-1]
    (cases_dir / added.name).write_text(added.read_text(encoding="utf-8"), encoding="utf-8")
    assert len(folder.load()) == 6 and len(folder.reread) == 6  # a new file: all again


def test_a_folder_is_kept_while_what_cases_are_checked_against_is_unchanged(
    tmp_path: Path,
) -> None:
    import datetime as dt
    from importlib import resources

    from praxisatlas.cases.vocabulary import DEFAULT_PATH

    cases_dir = tmp_path / "cases"
    write_synthetic_cases(cases_dir, 2, seed=1)
    vocabulary = tmp_path / "themen.yml"
    vocabulary.write_bytes(resources.files("praxisatlas").joinpath(DEFAULT_PATH).read_bytes())
    today = dt.date(2026, 11, 1)
    folder = CaseFolder.reused(None, cases_dir, vocabulary, today, None)
    assert CaseFolder.reused(folder, cases_dir, vocabulary, today, None) is folder
    # Another day, another vocabulary file or an edit to it: every case is read again.
    assert (
        CaseFolder.reused(folder, cases_dir, vocabulary, dt.date(2026, 11, 2), None) is not folder
    )
    assert CaseFolder.reused(folder, cases_dir, None, today, None) is not folder
    _touch(vocabulary, vocabulary.read_text(encoding="utf-8") + "\n")
    again = CaseFolder.reused(folder, cases_dir, vocabulary, today, None)
    assert again is not folder and again.load()


def test_a_case_linking_to_a_page_that_goes_away_is_checked_again(tmp_path: Path) -> None:
    cases_dir, docs = tmp_path / "cases", tmp_path / "docs"
    (path,) = write_synthetic_cases(cases_dir, 1, seed=4)
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("## Lösung", "Siehe [Über](../ueber.md).\n\n## Lösung", 1))
    docs.mkdir()
    (docs / "ueber.md").write_text("# Über\n", encoding="utf-8")
    folder = CaseFolder.reused(None, cases_dir, None, None, docs)
    assert len(folder.load()) == 1
    assert CaseFolder.reused(folder, cases_dir, None, None, docs) is folder
    (docs / "ueber.md").unlink()  # the case file itself is unchanged
    again = CaseFolder.reused(folder, cases_dir, None, None, docs)
    assert again is not folder
    with pytest.raises(CatalogueError) as error:
        again.load()
    assert "zeigt auf keine Seite" in str(error.value.problems[0])
