"""Checked case files from the content cache: the same result as checking, never stale,
never anything but case data."""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import os
import pickle
import sqlite3
import sys
from pathlib import Path

import pytest

from praxisatlas.cache import ContentCache
from praxisatlas.cases import checked_cases
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


def test_a_changed_file_or_context_is_checked_again(tmp_path: Path) -> None:
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
    # ... and so does a new file (references between cases may now resolve).
    extra = write_synthetic_cases(tmp_path / "neu", 7, seed=11)[-1]
    (cases_dir / extra.name).write_bytes(extra.read_bytes())
    before = cache.misses
    collect(cases_dir, today=TODAY, root=tmp_path, cache=cache)
    assert cache.misses - before == 7


class _Evil:
    def __reduce__(self) -> tuple[object, tuple[str]]:
        return (os.system, ("touch pwned",))


def _unknown_kreis() -> bytes:
    class Stored(pickle.Pickler):
        def persistent_id(self, obj: object) -> tuple[str, str] | None:
            return ("kreis", "99999") if obj == "K" else None

    buffer = io.BytesIO()
    Stored(buffer).dump((None, ["K"]))
    return buffer.getvalue()


@pytest.mark.parametrize(
    "payload",
    [
        pickle.dumps(_Evil()),  # a class outside the case model: never made
        _unknown_kreis(),  # a Kreis the reference data does not know
        pickle.dumps(("kein", "Fall")),  # not a checked file
        b"\x80\x05kaputt",  # not a pickle at all
    ],
)
def test_an_entry_holding_anything_else_is_not_used(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, payload: bytes
) -> None:
    monkeypatch.chdir(tmp_path)
    cases_dir = _folder(tmp_path)
    cache_dir = tmp_path / "cache"
    expected = collect(cases_dir, today=TODAY, root=tmp_path)
    cache = ContentCache(cache_dir, version="v1")
    collect(cases_dir, today=TODAY, root=tmp_path, cache=cache)
    for key, _ in _rows(cache_dir):  # stored with a matching digest: only the content is wrong
        cache.put(checked_cases.KIND, key, payload)
    cache.flush()

    assert collect(cases_dir, today=TODAY, root=tmp_path, cache=cache) == expected
    assert not (tmp_path / "pwned").exists()
    # Each entry was checked anew and stored again.
    assert all(stored != payload for _, stored in _rows(cache_dir))


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
