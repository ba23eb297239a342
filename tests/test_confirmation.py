"""``import-issue`` with the form "Fall bestätigen oder ergänzen": the administration
confirms its case and names a contact; the existing file changes, no second file."""

from __future__ import annotations

import datetime as dt
import re
import shutil
from pathlib import Path

import pytest

from praxisatlas import cli
from praxisatlas.cases import pipeline
from praxisatlas.contribute import confirmation
from praxisatlas.contribute.issue_form import confirm_fields
from praxisatlas.contribute.issue_form_files import CONFIRM_FORM, gitlab_template

FIXTURES = Path(__file__).parent / "fixtures"
ISSUE = (FIXTURES / "issues" / "github-fall-bestaetigen.md").read_text(encoding="utf-8")
CASE = "digitale-bauakte-musterkreis"
TODAY = dt.date(2026, 11, 20)


@pytest.fixture
def cases(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cases"
    shutil.copytree(FIXTURES / "valid", folder)
    monkeypatch.chdir(tmp_path)
    return folder


def _import(*args: str) -> int:
    return cli.main(["import-issue", *args, "--reviewed", TODAY.isoformat()])


def _answer(body: str, label: str, value: str) -> str:
    """The issue body with the answer under ``### label`` replaced."""
    pattern = rf"(### {re.escape(label)}\n\n)(.*?)(\n\n### |\Z)"
    changed, count = re.subn(pattern, lambda m: m[1] + value + m[3], body, count=1, flags=re.S)
    assert count == 1, label
    return changed


def _write_issue(tmp_path: Path, body: str) -> str:
    path = tmp_path / "issue.md"
    path.write_text(body, encoding="utf-8")
    return str(path)


def test_confirmation_changes_the_existing_file_only(
    cases: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before_files = sorted(p.name for p in cases.iterdir())
    before = (cases / f"{CASE}.md").read_text(encoding="utf-8")
    assert _import(_write_issue(tmp_path, ISSUE)) == 0
    out = capsys.readouterr().out
    assert f"Fall bestätigt und ergänzt: cases/{CASE}.md" in out
    # Corrections are shown to the editors, never written into the file.
    assert "Seit 2024 auch für Abbruchanzeigen" in out
    assert sorted(p.name for p in cases.iterdir()) == before_files
    after = (cases / f"{CASE}.md").read_text(encoding="utf-8")
    assert "Abbruchanzeigen" not in after
    removed = [line for line in before.splitlines() if line not in after.splitlines()]
    added = [line for line in after.splitlines() if line not in before.splitlines()]
    assert removed == [
        "  function: Stabsstelle Digitalisierung",
        "  email: digital@example.org",
        "  open_to: [telefonat, hospitation]",
    ]
    assert added == [
        "  function: Amt für Digitalisierung, Sachgebiet Bauen",
        "  email: bauakte@example.org",
        "  open_to:",
        "    - telefonat",
        "    - unterlagen",
        "confirmed:",
        '  date: "2026-11-20"',
        "  by: Amt für Digitalisierung, Sachgebiet Bauen, Landkreis Hildesheim",
    ]
    # The comment line, the folded summary and the body stay as they were.
    assert after.startswith("---\n# A complete, valid (fictitious) case")
    assert after.split("\n---\n", 1)[1] == before.split("\n---\n", 1)[1]
    found, problems = pipeline.collect(cases, today=TODAY)
    assert problems == []
    case = next(c for c in found if c.id == CASE)
    assert case.confirmed is not None
    assert case.confirmed.date == TODAY
    assert case.contact.phone == "+49 5121 309-0"  # kept: the form left it empty
    assert case.contact.open_to == ("telefonat", "unterlagen")


def test_confirming_again_replaces_the_confirmation(
    cases: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    issue = _write_issue(tmp_path, ISSUE)
    assert _import(issue) == 0
    assert cli.main(["import-issue", issue, "--reviewed", "2026-11-21"]) == 0
    text = (cases / f"{CASE}.md").read_text(encoding="utf-8")
    assert text.count("confirmed:") == 1
    assert 'date: "2026-11-21"' in text
    assert cli.main(["import-issue", issue, "--reviewed", "2026-11-21"]) == 0
    assert "Keine Änderung" in capsys.readouterr().out


def test_without_the_tick_only_the_contact_is_added(cases: Path) -> None:
    body = _answer(
        ISSUE,
        "Bestätigung",
        "- [ ] Die Angaben zu diesem Fall sind zutreffend (bei Bedarf mit den Korrekturen unten).",
    )
    result = confirmation.build_confirmation(body, cases, today=TODAY)
    assert result.ok, result.problems
    assert not result.confirmed
    assert "confirmed:" not in result.text
    assert "bauakte@example.org" in result.text


def test_unknown_case_id_is_a_german_message_and_writes_nothing(
    cases: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = {p.name: p.read_bytes() for p in cases.iterdir()}
    body = _answer(ISSUE, "Fall (Kennung oder Adresse)", "digitale-bauakte-musterkreiz")
    assert _import(_write_issue(tmp_path, body)) == 1
    err = capsys.readouterr().err
    assert (
        "Fall (Kennung oder Adresse): Den Fall „digitale-bauakte-musterkreiz“ gibt es im "
        "Praxisatlas nicht (keine Datei cases/digitale-bauakte-musterkreiz.md). Meinten Sie "
        "„digitale-bauakte-musterkreis“?"
    ) in err
    assert "Traceback" not in err
    assert {p.name: p.read_bytes() for p in cases.iterdir()} == before


@pytest.mark.parametrize(
    ("label", "value", "message"),
    [
        (
            "Fall (Kennung oder Adresse)",
            "../../etc/passwd",
            "„../../etc/passwd“ ist keine Kennung eines Falls",
        ),
        (
            "Fall (Kennung oder Adresse)",
            "cases/../mkdocs.yml",
            "ist keine Kennung eines Falls",
        ),
        (
            "Ihre Stelle (Funktion oder Organisationseinheit)",
            'Amt <script>alert("x")</script>',
            "Nur Klartext erlaubt",
        ),
        (
            "Ihre Stelle (Funktion oder Organisationseinheit)",
            "Amt\n---\nfictitious: false\nreviewed: 2099-01-01",
            # One line, dumped as a YAML string: no key of its own, no early '---'.
            "",
        ),
        (
            "Kontakt: E-Mail",
            "a@example.org\nurl: javascript:alert(1)",
            "Kontakt: E-Mail: Keine gültige E-Mail-Adresse",
        ),
        ("Kontakt: offen für", "Telefonat, Kaffee", "„kaffee“ ist keine der möglichen Angaben"),
    ],
)
def test_hostile_issue_bodies_never_break_the_file(
    cases: Path, label: str, value: str, message: str
) -> None:
    before = (cases / f"{CASE}.md").read_text(encoding="utf-8")
    result = confirmation.build_confirmation(_answer(ISSUE, label, value), cases, today=TODAY)
    if message:
        assert not result.ok
        assert any(message in problem for problem in result.problems), result.problems
        assert result.text == ""
    else:
        assert result.ok, result.problems
        folder = cases.parent / "check" / "cases"
        shutil.copytree(cases, folder)
        (folder / f"{CASE}.md").write_text(result.text, encoding="utf-8")
        found, problems = pipeline.collect(folder, today=TODAY)
        assert problems == []
        case = next(c for c in found if c.id == CASE)
        assert case.contact.function == "Amt --- fictitious: false reviewed: 2099-01-01"
        assert case.reviewed == dt.date(2026, 1, 15)
    assert (cases / f"{CASE}.md").read_text(encoding="utf-8") == before


def test_problems_are_reported_at_once(cases: Path) -> None:
    body = _answer(ISSUE, "Kontakt: E-Mail", "kein@mail")
    body = _answer(body, "Ihre Organisation", "_No response_")
    body = body.replace("- [X] Ich gehöre", "- [ ] Ich gehöre")
    result = confirmation.build_confirmation(body, cases, today=TODAY)
    assert result.problems == [
        "Ihre Organisation: fehlt (Pflichtfeld)",
        "Einverständnis: nicht bestätigt: „Ich gehöre zur genannten Verwaltung oder spreche in "
        "ihrem Auftrag.“",
    ] or all(
        any(part in p for p in result.problems)
        for part in ("Ihre Organisation: fehlt", "Einverständnis: nicht bestätigt")
    )


def test_a_case_without_contact_route_needs_one(cases: Path) -> None:
    path = cases / "online-termine-fiktiv.md"
    text = path.read_text(encoding="utf-8")
    text = re.sub(r"\n  (email|phone|url): [^\n]*", "", text)
    path.write_text(text, encoding="utf-8")
    body = _answer(ISSUE, "Fall (Kennung oder Adresse)", "cases/online-termine-fiktiv.md")
    body = _answer(body, "Kontakt: E-Mail", "_No response_")
    result = confirmation.build_confirmation(body, cases, today=TODAY)
    assert any("noch keinen Kontaktweg" in p for p in result.problems), result.problems
    body = _answer(body, "Kontakt: Telefon", "+49 5121 309-1234")
    assert confirmation.build_confirmation(body, cases, today=TODAY).ok


def test_case_page_address_or_id() -> None:
    assert confirmation.case_id_of("https://atlas.example.org/faelle/e-akte-lippe/") == (
        "e-akte-lippe"
    )
    assert confirmation.case_id_of("https://atlas.example.org/faelle/e-akte-lippe/#kontakt") == (
        "e-akte-lippe"
    )
    assert confirmation.case_id_of(" `cases/e-akte-lippe.md` ") == "e-akte-lippe"
    assert confirmation.case_id_of("e-akte-lippe") == "e-akte-lippe"


def test_comment_shows_the_change_and_the_corrections_safely(
    cases: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = (cases / f"{CASE}.md").read_text(encoding="utf-8")
    body = _answer(
        ISSUE, "Korrekturen und Ergänzungen", "````\n</details> @redaktion <img src=x>\n````"
    )
    assert _import(_write_issue(tmp_path, body), "--comment") == 0
    out = capsys.readouterr().out
    assert out.startswith("Danke! Die Angaben sind vollständig.")
    assert "+  email: bauakte@example.org" in out
    # The contributed text sits in a fence longer than any backtick run inside it.
    assert "`````text\n````\n</details> @redaktion <img src=x>\n````\n`````" in out
    assert (cases / f"{CASE}.md").read_text(encoding="utf-8") == before


def test_filled_gitlab_template_is_accepted(cases: Path) -> None:
    answers = {
        "Fall (Kennung oder Adresse)": CASE,
        "Ihre Stelle (Funktion oder Organisationseinheit)": "Bauamt",
        "Ihre Organisation": "Landkreis Hildesheim",
        "Kontakt: Telefon": "+49 5121 309-4444",
        "Kontakt: offen für": "hospitation",
    }
    lines = []
    for line in gitlab_template(confirm_fields(), form=CONFIRM_FORM).split("\n"):
        lines.append(line.replace("- [ ]", "- [x]"))
        label = re.sub(r"^### (.*?)( \*)?$", r"\1", line)
        if line.startswith("### ") and label in answers:
            lines += ["", answers[label]]
    result = confirmation.build_confirmation("\n".join(lines), cases, today=TODAY)
    assert result.ok, result.problems
    assert "  function: Bauamt\n" in result.text
    assert "  by: Bauamt, Landkreis Hildesheim\n" in result.text
    assert "  open_to:\n    - hospitation\n" in result.text
    assert "  email: digital@example.org\n" in result.text  # kept


def test_new_case_issues_are_not_taken_for_confirmations() -> None:
    body = (FIXTURES / "issues" / "github-neuer-fall.md").read_text(encoding="utf-8")
    assert not confirmation.is_confirmation(body)
    assert confirmation.is_confirmation(ISSUE)


def test_an_organisation_not_in_the_case_is_pointed_out_to_the_editors(
    cases: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    result = confirmation.build_confirmation(ISSUE, cases, today=TODAY)
    assert result.ok and result.notes == []  # Landkreis Hildesheim leads the case
    body = _answer(ISSUE, "Ihre Organisation", "Landratsamt Görlitz")
    result = confirmation.build_confirmation(body, cases, today=TODAY)
    assert result.ok  # a hint, not a problem: the editors decide
    assert result.notes == [
        "„Landratsamt Görlitz“ ist unter den Beteiligten des Falls nicht genannt "
        "(Landkreis Hildesheim, Kommunaler IT-Dienstleister (fiktiv), Gemeinde Musterdorf "
        "(fiktiv), Wartburgkreis); bitte prüfen, ob die Rückmeldung von der zuständigen "
        "Verwaltung kommt."
    ]
    assert "Hinweis für die Redaktion: „Landratsamt Görlitz“" in (
        confirmation.confirmation_comment(result)
    )
    assert not confirmation.build_confirmation(
        _answer(ISSUE, "Ihre Organisation", "Landratsamt Hildesheim"), cases, today=TODAY
    ).notes


def test_case_pages_link_the_confirm_form_with_the_case_filled_in() -> None:
    from urllib.parse import parse_qs, urlsplit

    from praxisatlas.output import SiteSettings, contribute_links
    from praxisatlas.website.pages import SitePages
    from tests.factories import make_case, make_catalogue

    github = "https://github.com/musterland/praxisatlas"
    url = contribute_links(github).confirm_url("e-akte", "E-Akte & „mehr“")
    query = parse_qs(urlsplit(url).query)
    assert url.startswith(github + "/issues/new?")
    assert query["template"] == ["fall-bestaetigen.yml"]
    assert query["title"] == ["[Fall bestätigen]: E-Akte & „mehr“"]
    # GitHub fills a form field from the query parameter named like the field's id.
    assert query[confirm_fields()[0].id] == ["e-akte"]
    gitlab = contribute_links("https://gitlab.opencode.de/land/atlas").confirm_url("x", "T")
    assert parse_qs(urlsplit(gitlab).query)["issuable_template"] == ["Fall-bestaetigen"]
    assert contribute_links("").confirm_url("x", "T") == ""

    catalogue = make_catalogue(make_case("erster-fall"))
    settings = SiteSettings(contribute=contribute_links(github))
    pages = {p.path: str(p.content) for p in SitePages(catalogue, settings).all_pages()}
    assert "Fall bestätigen und Ansprechstelle nennen</a>" in pages["faelle/erster-fall.md"]
    assert "template=fall-bestaetigen.yml" in pages["faelle/erster-fall.md"]
    plain = {p.path: str(p.content) for p in SitePages(catalogue, SiteSettings()).all_pages()}
    assert "Fall bestätigen und Ansprechstelle" not in plain["faelle/erster-fall.md"]
