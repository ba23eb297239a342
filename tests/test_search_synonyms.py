"""The synonym list: the shipped one is valid; broken lists are reported with lines."""

from __future__ import annotations

import pytest

from praxisatlas.search.synonyms import SynonymError, load_synonyms, parse_synonyms


def test_shipped_list_loads_and_resolves_both_directions() -> None:
    expansions = load_synonyms().expansions()
    assert "kunstlich intelligenz" in expansions["ki"]
    assert "ki" in expansions["kunstlich intelligenz"]
    assert {"e akt", "eakt", "elektron akt"} <= set(expansions["eakt"])
    assert "glasfas" in expansions["breitband"] and "breitband" in expansions["glasfas"]
    assert "onlinezugangsgesetz" in expansions["ozg"]


def test_narrower_terms_work_one_way_and_transitively() -> None:
    synonyms = parse_synonyms(
        "gleichbedeutend:\n  - [Telenotarzt, Telenotfallmedizin]\n"
        "unterbegriffe:\n  Gesundheit: [Telemedizin]\n  Telemedizin: [Telenotarzt]\n",
        "s.yml",
    )
    expansions = synonyms.expansions()
    assert expansions["gesund"] == ["gesund", "telemedizin", "telenotarzt", "telenotfallmedizin"]
    assert "telemedizin" not in expansions["telenotarzt"]


def test_problems_name_file_line_and_field() -> None:
    text = (
        "gleichbedeutend:\n"
        "  - [KI, künstliche Intelligenz]\n"
        "  - [ki, und]\n"
        "  - [Einzeln]\n"
        "unterbegriffe:\n"
        "  Bus: [Rufbus]\n"
        "  Rufbus: [Bus]\n"
        "quatsch: 1\n"
    )
    with pytest.raises(SynonymError) as error:
        parse_synonyms(text, "s.yml")
    assert error.value.problems == [
        "s.yml:8: quatsch: unbekannter Abschnitt (erlaubt: gleichbedeutend, unterbegriffe)",
        "s.yml:3: gleichbedeutend: „ki“ steht schon in Zeile 2"
        " (ein Begriff darf nur in einer Gruppe stehen)",
        "s.yml:3: gleichbedeutend: „und“ besteht nur aus Stoppwörtern oder Zahlen"
        " und ist nicht suchbar",
        "s.yml:4: gleichbedeutend: eine Gruppe braucht mindestens zwei Begriffe",
        "s.yml:7: unterbegriffe: Kreis: bus → rufbus → bus",
    ]
