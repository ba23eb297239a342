"""``praxisatlas new``: options or prompts in, a file that passes ``validate`` out."""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from praxisatlas import cli
from praxisatlas.contribute.issue_import import case_id_from_title


def _front(text: str) -> dict[str, Any]:
    """The front matter as data (the writer chooses quoting and layout)."""
    data = yaml.safe_load(text.split("---\n")[1])
    assert isinstance(data, dict)
    return data


OPTIONS = [
    "--title", "Fiktiver Fall: Digitale Akte im Test",
    "--summary", "Ein fiktiver Fall, angelegt zum Ausprobieren des Befehls.",
    "--ags", "Wartburgkreis",
    "--topic", "e-akte",
    "--topic", "terminvergabe",
    "--status", "pilot",
    "--start", "2024-05",
    "--function", "Stabsstelle Digitalisierung",
    "--email", "digital@example.org",
    "--open-to", "telefonat",
    "--source-title", "Fiktive Quelle",
    "--source-url", "https://example.org/quelle",
    "--reviewed", "2026-01-15",
]  # fmt: skip


@pytest.fixture
def cases(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "cases").mkdir()
    return tmp_path / "cases"


def test_options_write_a_valid_file(cases: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["new", "--non-interactive", *OPTIONS]) == 0
    target = cases / "fiktiver-fall-digitale-akte-im-test.md"
    text = target.read_text(encoding="utf-8")
    assert '    ags: "16063"\n' in text  # the county name was resolved to its key
    assert "topics:\n  - e-akte\n  - terminvergabe\n" in text
    assert "## Ausgangslage\n\n_Bitte ersetzen:" in text
    assert "Angelegt: cases/fiktiver-fall-digitale-akte-im-test.md" in capsys.readouterr().out
    # The section hints must be replaced: validate names each one (issue 20 point 7) ...
    assert cli.main(["validate", "--today", "2026-11-22"]) == 1
    out = capsys.readouterr().out
    assert out.count("Hinweis aus der Vorlage") == 4 and "4 Probleme in 1 von 1 Datei" in out
    # ... and the maintainers' report lists them too.
    assert cli.main(["report", "--missing", "--today", "2026-11-22"]) == 0
    assert "Hinweise „Bitte ersetzen: …“" in capsys.readouterr().out
    # Everything else was valid already: with text in place of the hints it passes.
    target.write_text(re.sub(r"_Bitte ersetzen: [^\n]*_", "Text.", text), encoding="utf-8")
    assert cli.main(["validate", "--today", "2026-11-22"]) == 0
    assert capsys.readouterr().out == "1 Fall geprüft, keine Probleme\n"


def test_refuses_to_overwrite(cases: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (cases / "vorhanden.md").write_text("alt", encoding="utf-8")
    assert cli.main(["new", "--non-interactive", "--id", "vorhanden", *OPTIONS]) == 1
    assert (
        "cases/vorhanden.md existiert schon; nichts überschrieben. Frei ist z. B. --id vorhanden-2"
    ) in capsys.readouterr().err
    assert (cases / "vorhanden.md").read_text(encoding="utf-8") == "alt"


def test_non_interactive_reports_missing_and_invalid(
    cases: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli.main(["new", "--non-interactive", "--title", "Fiktiver Fall: Test"]) == 1
    assert "Abgebrochen: --summary fehlt" in capsys.readouterr().err
    bad = [*OPTIONS, "--start", "2024-13"]
    assert cli.main(["new", "--non-interactive", *bad]) == 1
    assert "Abgebrochen: --start: Ungültiger Monat in '2024-13'" in capsys.readouterr().err
    assert list(cases.iterdir()) == []


def test_prompts_ask_again_until_valid(
    cases: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    answers = [
        "Kurz", "Fiktiver Fall: Online-Termine im Test",
        "Ungültig!", "",  # id: refused, then the suggested default
        "Ein fiktiver Fall, angelegt zum Ausprobieren des Befehls.",
        "München", "09162",
        "e-akten", "e-akte",
        "fertig", "idee",
        "2024-13", "2024",
        "Bürgerbüro",
        "kein@mail", "",
        "",
        "telefonat,kaffee", "",
        "Fiktive Quelle",
        "www.example.org", "https://example.org/q",
        "",  # no further source
        "MIT", "",
        "", "", "", "", "",  # optional: cost, staff, duration, outcomes, transferability
    ]  # fmt: skip
    monkeypatch.setattr("sys.stdin", io.StringIO("\n".join(answers) + "\n"))
    assert cli.main(["new"]) == 0
    out = capsys.readouterr().out
    for message in (
        "Zu kurz: mindestens 5 Zeichen",
        "Ungültiger Dateiname 'Ungültig!.md'",
        "'München' ist mehrdeutig",
        "Unbekanntes Thema 'e-akten' (meinten Sie 'e-akte'?)",
        "Unbekannter Wert 'fertig'",
        "Ungültiger Monat in '2024-13'",
        "Keine gültige E-Mail-Adresse: 'kein@mail'",
        "Unbekannt: kaffee; erlaubt: telefonat, hospitation, unterlagen",
        "Keine gültige Webadresse: 'www.example.org'",
        "Unbekannter Wert 'MIT'",
        "verwaltung-digital: ozg-onlinedienste, e-akte",
    ):
        assert message in out
    text = (cases / "fiktiver-fall-online-termine-im-test.md").read_text(encoding="utf-8")
    assert 'ags: "09162"' in text and "status: idee" in text and "email" not in text
    target = cases / "fiktiver-fall-online-termine-im-test.md"
    target.write_text(re.sub(r"_Bitte ersetzen: [^\n]*_", "Text.", text), encoding="utf-8")
    assert cli.main(["validate"]) == 0


def test_prompt_end_of_input_aborts(
    cases: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO("Fiktiver Fall: Abbruch\n"))
    assert cli.main(["new"]) == 1
    assert "Abgebrochen: Eingabe beendet" in capsys.readouterr().err
    assert list(cases.iterdir()) == []


def test_kreis_short_name_is_shown_and_confirmed(
    cases: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    answers = [
        "Fiktiver Fall: Online-Termine im Test", "",
        "Ein fiktiver Fall, angelegt zum Ausprobieren des Befehls.",
        "Harz", "n",  # shown as Landkreis Harz; not the one meant
        "Lkr. Görlitz", "j",
        "e-akte", "pilot", "2024", "Bürgerbüro", "", "", "",
        "Fiktive Quelle", "https://example.org/q",
        "Fiktiver Bericht", "https://example.org/bericht",
        "",  # no third source
        "",  # licence: default
        "10000-50000", "", "",
        "Wartezeit halbiert (gemessen)", "Mehr Termine online", "",
        "Braucht ein Terminportal.",
    ]  # fmt: skip
    monkeypatch.setattr("sys.stdin", io.StringIO("\n".join(answers) + "\n"))
    assert cli.main(["new"]) == 0
    out = capsys.readouterr().out
    assert "→ Landkreis Harz (15085), Sachsen-Anhalt" in out
    assert "→ Landkreis Görlitz (14626), Sachsen" in out
    assert "Ist das der gemeinte Kreis? [J/n]" in out
    assert "Geprüft am" not in out  # editorial: not asked
    text = (cases / "fiktiver-fall-online-termine-im-test.md").read_text(encoding="utf-8")
    front = _front(text)
    assert front["organisations"][0]["ags"] == "14626"
    assert len(front["sources"]) == 2
    assert front["effort"] == {"cost": "10000-50000"}
    assert front["outcomes"] == [
        {"text": "Wartezeit halbiert", "evidence": "gemessen"},
        {"text": "Mehr Termine online", "evidence": "berichtet"},
    ]
    assert front["transferability"] == "Braucht ein Terminportal."
    target = cases / "fiktiver-fall-online-termine-im-test.md"
    target.write_text(re.sub(r"_Bitte ersetzen: [^\n]*_", "Text.", text), encoding="utf-8")
    assert cli.main(["validate"]) == 0


def test_options_for_sources_effort_outcomes_and_landkreis_short_form(
    cases: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    options = [o if o != "Wartburgkreis" else "LK Harz" for o in OPTIONS]
    extra = [
        "--source-title", "Zweite Quelle", "--source-url", "https://example.org/zwei",
        "--cost", "unter-10000", "--duration", "6-12-monate",
        "--outcome", "Weniger Papier (geschätzt)",
        "--transferability", "Für jeden Kreis mit E-Akte.",
    ]  # fmt: skip
    assert cli.main(["new", "--non-interactive", *options, *extra]) == 0
    assert "→ Landkreis Harz (15085), Sachsen-Anhalt" in capsys.readouterr().out
    text = (cases / "fiktiver-fall-digitale-akte-im-test.md").read_text(encoding="utf-8")
    front = _front(text)
    assert front["organisations"][0]["ags"] == "15085"
    assert {"title": "Zweite Quelle", "url": "https://example.org/zwei"} in front["sources"]
    assert front["effort"] == {"cost": "unter-10000", "duration": "6-12-monate"}
    assert front["outcomes"][0]["evidence"] == "geschaetzt"
    target = cases / "fiktiver-fall-digitale-akte-im-test.md"
    target.write_text(re.sub(r"_Bitte ersetzen: [^\n]*_", "Text.", text), encoding="utf-8")
    assert cli.main(["validate", "--today", "2026-11-22"]) == 0
    unpaired = [*OPTIONS, "--source-title", "Ohne Adresse"]
    assert cli.main(["new", "--non-interactive", "--id", "zwei", *unpaired]) == 1
    assert "--source-title und --source-url bitte paarweise" in capsys.readouterr().err


def test_a_taken_id_comes_with_a_free_one(
    cases: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    (cases / "fiktiver-fall-digitale-akte-im-test.md").write_text("alt", encoding="utf-8")
    assert cli.main(["new", "--non-interactive", *OPTIONS]) == 0
    assert "Angelegt: cases/fiktiver-fall-digitale-akte-im-test-2.md" in capsys.readouterr().out
    answers = ["Fiktiver Fall: Digitale Akte im Test", "fiktiver-fall-digitale-akte-im-test"]
    monkeypatch.setattr("sys.stdin", io.StringIO("\n".join(answers) + "\n"))
    assert cli.main(["new"]) == 1
    out = capsys.readouterr().out
    assert "[fiktiver-fall-digitale-akte-im-test-3]" in out  # the suggested default is free
    assert (
        "Es gibt schon einen Fall 'fiktiver-fall-digitale-akte-im-test'; frei ist z. B. "
        "'fiktiver-fall-digitale-akte-im-test-3'"
    ) in out


def test_generated_ids_end_between_words_and_not_on_a_filler_word(
    cases: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    title = "Fiktiver Fall: Digitale Schulverwaltung und Schülerbeförderung für Grundschulen"
    options = [*OPTIONS]
    options[options.index("--title") + 1] = title
    assert cli.main(["new", "--non-interactive", *options]) == 0
    assert "Angelegt: cases/fiktiver-fall-digitale-schulverwaltung.md" in capsys.readouterr().out
    assert case_id_from_title("Digitale Schulverwaltung für alle Grundschulen", limit=30) == (
        "digitale-schulverwaltung"
    )
    assert case_id_from_title("Kfz-Zulassung online") == "kfz-zulassung-online"
