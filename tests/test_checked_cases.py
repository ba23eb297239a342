"""Checked case files from the content cache: the same result as checking, never stale,
never anything but case data."""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import pickle
import sqlite3
import sys
from pathlib import Path

import pytest

from praxisatlas.cache import ContentCache
from praxisatlas.cases import checked_cases
from praxisatlas.cases.check_context import Context
from praxisatlas.cases.loader import LoadedFile
from praxisatlas.cases.pipeline import collect
from praxisatlas.cases.reference import load_reference
from tests.synthetic import write_synthetic_cases

TODAY = dt.date(2026, 11, 1)


def _folder(tmp_path: Path) -> Path:
    cases_dir = tmp_path / "cases"
    paths = write_synthetic_cases(cases_dir, 6, seed=4)
    # One case with a warning (a personal mailbox as contact), one with an error.
    text = paths[1].read_text(encoding="utf-8")
    personal = "\n  email: erika.mustermann@kreis-beispiel.de\n"
    paths[1].write_text(text.replace("\n  email: fall-2@example.org\n", personal), encoding="utf-8")
    text = paths[2].read_text(encoding="utf-8")
    paths[2].write_text(text.replace("\nstatus: ", "\nstatus: erfunden-", 1), encoding="utf-8")
    return cases_dir


def _rows(cache_dir: Path) -> list[tuple[str, bytes]]:
    with contextlib.closing(sqlite3.connect(cache_dir / "cache.sqlite")) as database:
        return database.execute(
            "SELECT key, payload FROM entries WHERE kind = ?", (checked_cases.KIND,)
        ).fetchall()


def test_a_checked_file_is_taken_from_the_cache_with_the_same_result(tmp_path: Path) -> None:
    cases_dir = _folder(tmp_path)
    expected = collect(cases_dir, today=TODAY, root=tmp_path)
    assert expected[0] and any(p.warning for p in expected[1])
    assert any(not p.warning for p in expected[1])

    cache_dir = tmp_path / "cache"
    first = ContentCache(cache_dir, version="v1")
    assert collect(cases_dir, today=TODAY, root=tmp_path, cache=first) == expected
    first.close()
    assert len(_rows(cache_dir)) == 6  # one result per file, the broken one included

    again = ContentCache(cache_dir, version="v1")
    cases, problems = collect(cases_dir, today=TODAY, root=tmp_path, cache=again)
    assert (cases, problems) == expected
    assert (again.hits, again.misses) == (6, 0)
    # Kreise and Länder are the reference data's own objects, not copies.
    reference = load_reference()
    for case in cases:
        for org in case.organisations:
            if org.kreis is not None:
                assert org.kreis is reference.kreis_by_ags[org.kreis.ags]
            if org.land is not None:
                assert org.land is reference.land_by_code[org.land.code]


def test_a_changed_file_or_context_is_checked_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cases_dir = _folder(tmp_path)
    cache = ContentCache(tmp_path / "cache", version="v1")
    collect(cases_dir, today=TODAY, root=tmp_path, cache=cache)

    edited = sorted(cases_dir.glob("*.md"))[0]
    edited.write_text(
        edited.read_text(encoding="utf-8").replace("## Lösung", "Neu.\n\n## Lösung", 1),
        encoding="utf-8",
    )
    before = cache.misses
    cases, _ = collect(cases_dir, today=TODAY, root=tmp_path, cache=cache)
    assert cache.misses - before == 1
    assert "Neu." in next(c for c in cases if c.id == edited.stem).body

    # Another day: every file again (a review date may have become overdue) ...
    before = cache.misses
    later = collect(cases_dir, today=dt.date(2027, 6, 1), root=tmp_path, cache=cache)
    assert cache.misses - before == 6
    assert later == collect(cases_dir, today=dt.date(2027, 6, 1), root=tmp_path)
    # A new file is checked; no other file is (none referred to the new id).
    extra = write_synthetic_cases(tmp_path / "neu", 7, seed=11)[-1]
    (cases_dir / extra.name).write_bytes(extra.read_bytes())
    checked = _count_checks(monkeypatch)
    assert collect(cases_dir, today=TODAY, root=tmp_path, cache=cache) == collect(
        cases_dir, today=TODAY, root=tmp_path
    )
    assert checked == [extra.name]


def _entry(case: object, problems: object, ids: object = (), pages: object = ()) -> bytes:
    entry = {"case": case, "problems": problems, "ids": list(ids), "pages": list(pages)}  # type: ignore[call-overload]
    return json.dumps(entry).encode("utf-8")


_ERROR = {"klasse": "Problem", "felder": ["cases/x.md", 1, "status", "falsch", False]}


@pytest.mark.parametrize(
    "payload",
    [
        pickle.dumps(("kein", "Eintrag")),  # not JSON at all
        b'{"case": null}',  # not a checked file
        _entry(None, []),  # no case and no error: a case would be dropped silently
        _entry(None, [_ERROR]),  # another file's problem
        _entry({"klasse": "Path", "felder": ["/etc/passwd"]}, []),  # not a model class
        _entry({"kreis": "99999"}, []),  # a Kreis the reference data does not know
        _entry({"klasse": "Case", "felder": [1, 2]}, []),  # not a whole case
    ],
)
def test_an_entry_that_is_not_this_files_result_is_not_used(tmp_path: Path, payload: bytes) -> None:
    cases_dir = _folder(tmp_path)
    cache_dir = tmp_path / "cache"
    expected = collect(cases_dir, today=TODAY, root=tmp_path)
    cache = ContentCache(cache_dir, version="v1")
    collect(cases_dir, today=TODAY, root=tmp_path, cache=cache)
    cache.flush()
    assert len(_rows(cache_dir)) == 6
    for key, _ in _rows(cache_dir):  # stored with a matching digest: only the content is wrong
        cache.put(checked_cases.KIND, key, payload)
    cache.flush()

    assert collect(cases_dir, today=TODAY, root=tmp_path, cache=cache) == expected
    cache.flush()
    # Each entry was checked anew and stored again.
    assert all(stored != payload for _, stored in _rows(cache_dir))


def test_another_files_result_is_not_used(tmp_path: Path) -> None:
    # Entries are keyed by the file's bytes and path, so only a forged entry could hold
    # another case: it would replace that case or, with a crafted id, write elsewhere.
    cases_dir = _folder(tmp_path)
    cache_dir = tmp_path / "cache"
    cache = ContentCache(cache_dir, version="v1")
    expected = collect(cases_dir, today=TODAY, root=tmp_path, cache=cache)
    cache.flush()
    rows = _rows(cache_dir)
    first = rows[0][1]
    for key, _ in rows:
        cache.put(checked_cases.KIND, key, first)
    cache.flush()
    cases, problems = collect(cases_dir, today=TODAY, root=tmp_path, cache=cache)
    assert [repr(c) for c in cases] == [repr(c) for c in expected[0]]
    assert problems == expected[1]


def _count_checks(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The names of the files checked from now on (not taken from the cache)."""
    checked: list[str] = []
    check = checked_cases.validate_loaded

    def counted(loaded: LoadedFile, ctx: Context) -> checked_cases.Checked:
        checked.append(loaded.path.rsplit("/", 1)[-1])
        return check(loaded, ctx)

    monkeypatch.setattr(checked_cases, "validate_loaded", counted)
    return checked


def test_a_reference_to_another_case_is_checked_again_when_that_case_goes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cases_dir = _folder(tmp_path)
    files = sorted(cases_dir.glob("*.md"))
    referring, referred = files[0], files[3]
    text = referring.read_text(encoding="utf-8")
    referring.write_text(
        text.replace("\nstatus: ", f"\nrelated:\n  - {referred.stem}\nstatus: ", 1),
        encoding="utf-8",
    )
    cache = ContentCache(tmp_path / "cache", version="v1")
    cases, _ = collect(cases_dir, today=TODAY, root=tmp_path, cache=cache)
    assert next(c for c in cases if c.id == referring.stem).related == (referred.stem,)

    referred.unlink()
    checked = _count_checks(monkeypatch)
    cases, problems = collect(cases_dir, today=TODAY, root=tmp_path, cache=cache)
    assert checked == [referring.name]  # only the case that refers to it
    assert (cases, problems) == collect(cases_dir, today=TODAY, root=tmp_path)
    assert any(
        p.path.endswith(referring.name) and f"Es gibt keinen Fall '{referred.stem}'" in p.message
        for p in problems
    )


def test_storing_a_case_keeps_no_second_copy_of_its_text(tmp_path: Path) -> None:
    # Pickling a str that is not ASCII would keep a UTF-8 copy inside it for good: a
    # second copy of every case body for the whole build.
    cases_dir = _folder(tmp_path)
    cache = ContentCache(tmp_path / "cache", version="v1")
    cases, _ = collect(cases_dir, today=TODAY, root=tmp_path, cache=cache)
    assert cache.misses == 6  # every case was just checked and stored
    for case in cases:
        assert not case.body.isascii()
        fresh = case.body.encode("utf-8").decode("utf-8")
        assert sys.getsizeof(case.body) == sys.getsizeof(fresh)
