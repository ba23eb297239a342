"""Synthetic cases are valid, fictitious, varied and deterministic."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from praxisatlas.cases.pipeline import collect, load_catalogue
from tests.synthetic import write_synthetic_cases

TODAY = dt.date(2026, 11, 22)


def test_synthetic_cases_are_valid_and_fictitious(tmp_path: Path) -> None:
    paths = write_synthetic_cases(tmp_path, 120, seed=3)
    assert len(paths) == 120
    cases, problems = collect(tmp_path, today=TODAY, root=tmp_path)
    assert problems == []
    assert len(cases) == 120
    assert all(c.fictitious and c.title.startswith("Fiktiver Fall") for c in cases)
    assert all(s.url.startswith("https://example.org/") for c in cases for s in c.sources)
    assert len({c.status for c in cases}) == 5
    assert len({c.primary_kreis.ags for c in cases if c.primary_kreis}) > 60
    assert len({t for c in cases for t in c.topics}) > 40
    words = [len(c.body.split()) for c in cases]
    assert min(words) > 250 and max(words) < 800


def test_synthetic_cases_are_deterministic(tmp_path: Path) -> None:
    first = [p.read_text(encoding="utf-8") for p in write_synthetic_cases(tmp_path / "a", 20, 7)]
    again = [p.read_text(encoding="utf-8") for p in write_synthetic_cases(tmp_path / "b", 20, 7)]
    other = [p.read_text(encoding="utf-8") for p in write_synthetic_cases(tmp_path / "c", 20, 8)]
    assert first == again
    assert first != other


def test_load_catalogue_builds_facets(tmp_path: Path) -> None:
    write_synthetic_cases(tmp_path, 30, seed=1)
    catalogue = load_catalogue(tmp_path, today=TODAY)
    assert len(catalogue.cases) == 30
