"""Near-duplicate cases (issue 20 point 8): a copy under a new id gets a warning."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from praxisatlas import cli
from praxisatlas.cases.duplicates import near_duplicates
from praxisatlas.cases.pipeline import collect
from tests.factories import make_case

REPO = Path(__file__).resolve().parents[1]
VALID = REPO / "tests" / "fixtures" / "valid" / "online-termine-fiktiv.md"


LONG = (
    "## Ausgangslage\n\nDer Kreis führte die elektronische Akte in allen Ämtern ein. "
    "Zuvor lagen die Vorgänge in Papierordnern in drei Gebäuden verteilt.\n\n"
    "## Lösung\n\nEin Dokumentenmanagementsystem verbindet die Fachverfahren der Ämter. "
    "Die Beschäftigten wurden in zwanzig Schulungen auf die Arbeit vorbereitet. "
    "Seit dem Frühjahr läuft die Akte im Regelbetrieb ohne Papier.\n"
)


def test_copy_under_a_new_id_is_warned_on_the_later_id() -> None:
    original = make_case("digitale-akte", title="Landkreis X: Digitale Akte", body=LONG)
    copy = make_case("digitale-akte-2", title="Landkreis X: Digitale Akte", body=LONG)
    [warning] = near_duplicates([copy, original])
    assert warning.warning
    assert warning.path == "cases/digitale-akte-2.md" and warning.field == "title"
    assert "denselben Titel wie cases/digitale-akte.md (digitale-akte)" in warning.message


def test_same_text_under_another_title() -> None:
    first = make_case("a", title="Erster Titel", body=LONG)
    second = make_case("b", title="Ganz anderer Titel", body=LONG.replace("Papier.", "Papier!"))
    [warning] = near_duplicates([first, second])
    assert "hat denselben Text wie cases/a.md (a)" in warning.message
    assert warning.path == "cases/b.md"


def test_nearly_the_same_text_with_a_sentence_added_or_reworded() -> None:
    first = make_case("a", title="Erster Titel", body=LONG)
    changed = LONG.replace("in zwanzig Schulungen", "in dreißig Kursen") + (
        "\nDie Kosten trug zur Hälfte das Land aus einem Förderprogramm für Kommunen.\n"
    )
    second = make_case("b", title="Ganz anderer Titel", body=changed)
    [warning] = near_duplicates([first, second])
    assert "fast denselben Text (80 % der Sätze) wie cases/a.md (a)" in warning.message


def test_a_shared_paragraph_is_not_a_copy() -> None:
    own = (
        "## Ausgangslage\n\nIm Nachbarkreis begann das Projekt mit einer Umfrage unter "
        "allen Schulen. Die Ergebnisse zeigten großen Bedarf an Endgeräten für Lehrkräfte. "
        "Daraus entstand ein Medienentwicklungsplan für den ganzen Kreis.\n"
    )
    reused = "Ein Dokumentenmanagementsystem verbindet die Fachverfahren der Ämter."
    first = make_case("a", title="Erster Titel", body=LONG)
    second = make_case("b", title="Zweiter Titel", body=own + reused + "\n")
    assert near_duplicates([first, second]) == []


def test_boilerplate_sentences_are_not_evidence() -> None:
    boiler = "Weitere Informationen gibt es auf der Internetseite des Kreises für alle."
    cases = [
        make_case(f"fall-{n}", title=f"Titel {n}", body=f"## A\n\n{boiler}\n") for n in range(7)
    ]
    assert near_duplicates(cases) == []


def test_titles_equal_after_folding_case_umlauts_and_punctuation() -> None:
    first = make_case("a", title="Kreis Neuss: Digitale Schülerbeförderung", body="## A\n\n1\n")
    second = make_case("b", title="Kreis Neuss – digitale Schuelerbefoerderung", body="## A\n\n2\n")
    [warning] = near_duplicates([first, second])
    assert "denselben Titel" in warning.message
    third = make_case("c", title="Kreis Neuss: Digitale Schülerbeförderung 2", body="## A\n\n3\n")
    assert near_duplicates([first, third]) == []


def test_distinct_cases_pass() -> None:
    first = make_case("a", title="Digitale Akte", body="## A\n\nEins.\n")
    second = make_case("b", title="Online-Terminvergabe", body="## A\n\nZwei.\n")
    assert near_duplicates([first, second]) == []


def test_shipped_catalogue_has_no_near_duplicates() -> None:
    cases, problems = collect(REPO / "cases")
    assert [p for p in problems if not p.warning] == []
    assert near_duplicates(cases) == []


def test_validate_warns_on_a_copy_and_fails_only_when_strict(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    cases = tmp_path / "cases"
    cases.mkdir()
    shutil.copy(VALID, cases / VALID.name)
    shutil.copy(VALID, cases / "online-termine-kopie.md")
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("CI", raising=False)
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    assert cli.main(["validate"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == (
        "cases/online-termine-kopie.md:1: title: Warnung: hat denselben Titel wie "
        "cases/online-termine-fiktiv.md (online-termine-fiktiv) – ein doppelt eingetragener "
        "Fall? Falls ja, die Kopie löschen; sonst Titel und Text unterscheidbar machen."
    )
    assert cli.main(["validate", "--strict"]) == 1
    capsys.readouterr()
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    monkeypatch.setenv("CI", "true")
    assert cli.main(["validate"]) == 1
    assert "::error file=cases/online-termine-kopie.md,line=1" in capsys.readouterr().out
