"""``praxisatlas new``: options or prompts in, a file that passes ``validate`` out."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest

from praxisatlas import cli

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
    assert "cases/vorhanden.md existiert schon; nichts überschrieben." in capsys.readouterr().err
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
        "MIT", "",
        "",
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
