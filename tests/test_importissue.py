"""``import-issue``: an issue body as GitHub renders it (or a filled GitLab template)
becomes a case file that passes the validator, or a German list of what is missing."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from praxisatlas import cli
from praxisatlas.cases import pipeline
from praxisatlas.cases.loader import load_bytes
from praxisatlas.contribute import issue_import

FIXTURES = Path(__file__).parent / "fixtures" / "issues"
REVIEWED = dt.date(2026, 11, 20)


def _validate(folder: Path) -> list[str]:
    cases, problems = pipeline.collect(folder, today=REVIEWED, root=folder.parent)
    assert cases or problems
    return [str(p) for p in problems]


def test_github_issue_round_trips_into_a_valid_case(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    cases = tmp_path / "cases"
    code = cli.main(
        [
            "import-issue",
            str(FIXTURES / "github-neuer-fall.md"),
            "--cases-dir",
            str(cases),
            "--reviewed",
            REVIEWED.isoformat(),
        ]
    )
    out = capsys.readouterr()
    assert code == 0, out.err
    # The id is slugified from the title, umlauts transliterated.
    target = cases / "fiktiver-fall-digitale-kfz-zulassung-im-landkreis-goerlitz.md"
    assert f"Fall angelegt: {target.as_posix()}" in out.out
    assert _validate(cases) == []

    loaded = load_bytes(target.read_bytes(), "x.md", "x")
    assert loaded.front is not None
    [case], problems = pipeline.collect(cases, today=REVIEWED)
    assert problems == []
    assert (
        case.title
        == "Fiktiver Fall: Digitale Kfz-Zulassung im Landkreis Görlitz – Übergänge ohne Papier"
    )
    assert case.summary.endswith("ohne Papierakte abgeschlossen.")  # two lines joined
    # Multi-select with commas inside labels.
    assert case.topics == ("ozg-onlinedienste", "interkommunale-zusammenarbeit", "terminvergabe")
    assert [(o.role, o.ags, o.name) for o in case.organisations][:3] == [
        ("lead", "14626", case.organisations[0].name),
        ("partner", "14625", case.organisations[1].name),
        ("adopter", "14628", case.organisations[2].name),
    ]
    other = case.organisations[3]
    assert (other.role, other.name, other.kind) == (
        "partner",
        "Kommunaler IT-Dienstleister Sachsen (fiktiv)",
        "IT-Dienstleister",
    )
    assert case.status == "pilot"
    assert str(case.start) == "2022-04" and case.end is None  # "_No response_" → absent
    assert case.contact.function == "Sachgebiet Zulassung, Team Digitalisierung"
    assert case.contact.phone is None
    assert case.contact.open_to == ("telefonat", "unterlagen")
    assert [(s.title, s.url) for s in case.sources] == [
        ("Fiktive Pressemitteilung zur Kfz-Zulassung", "https://example.org/presse/kfz-zulassung"),
        ("Fiktiver Bericht im Kreistag", "https://example.org/kreistag/vorlage-17"),
    ]
    assert [(o.text, o.evidence) for o in case.outcomes] == [
        ("Weniger Nachforderungen", "geschaetzt"),
        ("Termine schneller verfügbar", "gemessen"),
    ]
    assert case.effort is not None and (case.effort.cost, case.effort.staff) == (
        "50000-250000",
        None,
    )
    assert case.software is None and case.funding == ()
    assert case.license == "CC-BY-4.0" and case.reviewed == REVIEWED
    assert "Über 30 % der\nVorgänge" in case.body
    # A second import of the same issue does not overwrite the file.
    code = cli.main(
        [
            "import-issue",
            str(FIXTURES / "github-neuer-fall.md"),
            "--cases-dir",
            str(cases),
        ]
    )
    assert code == 1
    assert "gibt es schon" in capsys.readouterr().err


def test_filled_gitlab_template_is_accepted() -> None:
    body = (FIXTURES / "gitlab-neuer-fall.md").read_text(encoding="utf-8")
    result = issue_import.build_case(body, today=REVIEWED)
    assert result.problems == []
    assert result.case_id == "fiktiver-fall-maengelmelder-der-stadt-wuerzburg"
    assert 'ags: "09663"' in result.text  # keys stay quoted strings
    assert "  - buergerportal-apps\n  - online-beteiligung\n" in result.text
    assert "title: example.org\n" in result.text  # a bare URL gets its host as title


def _with(body: str, heading: str, value: str) -> str:
    head, sep, rest = body.partition(f"### {heading}\n\n")
    assert sep, heading
    _old, sep2, tail = rest.partition("\n\n###")
    return f"{head}{sep}{value}{sep2}{tail}"


def test_missing_and_invalid_answers_are_listed_in_german(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    body = (FIXTURES / "github-neuer-fall.md").read_text(encoding="utf-8")
    body = _with(body, "Kurzbeschreibung", "_No response_")
    body = _with(body, "Federführender Kreis oder kreisfreie Stadt", "Görlitzz")
    body = _with(body, "Themen", "Digitale Verwaltung (E-Government) › E-Akten")
    body = _with(body, "Kontakt: E-Mail", "keine-adresse")
    body = body.replace("- [X] Die genannte Stelle", "- [ ] Die genannte Stelle")
    issue = tmp_path / "issue.md"
    issue.write_text(body, encoding="utf-8")
    code = cli.main(["import-issue", str(issue), "--cases-dir", str(tmp_path / "cases")])
    err = capsys.readouterr().err
    assert code == 1
    assert not (tmp_path / "cases").exists()
    assert "- Kurzbeschreibung: fehlt (Pflichtfeld)" in err
    assert "- Federführender Kreis oder kreisfreie Stadt: „Görlitzz“ ist kein Kreis" in err
    assert "Meinten Sie „Landkreis Görlitz“ (14626)" in err
    assert "- Themen: „digitale verwaltung (e-government) › e-akten“ ist keine der möglichen" in err
    assert "e-akten“ ist keine der möglichen Angaben; meinten Sie „Digitale Verwaltung" in err
    assert "- Einverständnis: nicht bestätigt: „Die genannte Stelle ist damit einverstanden" in err
    # One round: the validator's findings come with the form's, each field once.
    assert "- Kontakt: E-Mail: Keine gültige E-Mail-Adresse: 'keine-adresse'" in err
    assert err.count("- Kurzbeschreibung:") == 1
    assert err.count("- Federführender Kreis oder kreisfreie Stadt:") == 1


def test_validator_problems_are_reported_with_form_labels() -> None:
    body = (FIXTURES / "github-neuer-fall.md").read_text(encoding="utf-8")
    body = _with(body, "Kontakt: E-Mail", "keine-adresse")
    body = _with(body, "Beginn", "April 2022")
    result = issue_import.build_case(body, today=REVIEWED)
    assert not result.ok and result.text == ""
    assert any(p.startswith("Kontakt: E-Mail: ") for p in result.problems), result.problems
    assert any(p.startswith("Beginn: ") for p in result.problems), result.problems


def test_ambiguous_kreis_names_need_the_land() -> None:
    body = (FIXTURES / "github-neuer-fall.md").read_text(encoding="utf-8")
    body = _with(body, "Federführender Kreis oder kreisfreie Stadt", "München")
    body = _with(body, "Land", "Bayern")
    body = _with(body, "Weitere Beteiligte", "_No response_")
    result = issue_import.build_case(body, today=REVIEWED)
    assert any(
        "„München“ ist nicht eindeutig" in p and "09162" in p and "09184" in p
        for p in result.problems
    ), result.problems
    body = _with(body, "Federführender Kreis oder kreisfreie Stadt", "09184")
    assert issue_import.build_case(body, today=REVIEWED).problems == []
    body = _with(body, "Land", "Hessen")
    result = issue_import.build_case(body, today=REVIEWED)
    assert any("liegt nicht in Hessen" in p for p in result.problems), result.problems


def test_hostile_text_never_passes() -> None:
    body = (FIXTURES / "github-neuer-fall.md").read_text(encoding="utf-8")
    body = _with(body, "Lösung", "<script>alert(1)</script>\n\n## Eigene Überschrift")
    result = issue_import.build_case(body, today=REVIEWED)
    assert not result.ok
    assert any("script" in p for p in result.problems), result.problems


def test_stdin_and_stdout(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import io

    body = (FIXTURES / "github-neuer-fall.md").read_text(encoding="utf-8")
    monkeypatch.setattr("sys.stdin", io.StringIO(body))
    assert cli.main(["import-issue", "-", "--stdout", "--id", "mein-fall"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("---\ntitle: ")
    assert "\n## Erfahrungen\n" in out


def test_text_without_form_headings() -> None:
    result = issue_import.build_case("Hallo, wir haben da ein Projekt …")
    assert result.problems and "keine Überschriften des Formulars" in result.problems[0]


def test_issue_comment_lists_problems_as_plain_text() -> None:
    body = (FIXTURES / "github-neuer-fall.md").read_text(encoding="utf-8")
    body = _with(body, "Federführender Kreis oder kreisfreie Stadt", "<img src=x onerror=alert(1)>")
    comment = issue_import.issue_comment(issue_import.build_case(body, today=REVIEWED))
    assert comment.startswith("Danke für den Vorschlag! Bevor die Redaktion")
    assert not re.search(r"(?<!\\)<", comment)  # every "<" is escaped: no HTML
    assert "\\<img src=x onerror=alert\\(1\\)\\>" in comment
    assert "Bitte das Issue bearbeiten" in comment


def test_issue_comment_preview_cannot_be_closed_by_contributed_backticks() -> None:
    body = (FIXTURES / "github-neuer-fall.md").read_text(encoding="utf-8")
    body = _with(body, "Lösung", "Mit `Code` und ````\nvier Backticks.")
    result = issue_import.build_case(body, today=REVIEWED)
    assert result.ok, result.problems
    comment = issue_import.issue_comment(result)
    assert "`````markdown\n---\ntitle: " in comment
    assert comment.rstrip().endswith("`````\n\n</details>")


def test_comment_mode_writes_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    issue = str(FIXTURES / "github-neuer-fall.md")
    assert cli.main(["import-issue", "--comment", issue]) == 0
    assert "Vorschau der Fall-Datei" in capsys.readouterr().out
    assert not (tmp_path / "cases").exists()


def test_list_answers_accept_bullets_and_keep_minus_signs() -> None:
    body = (FIXTURES / "github-neuer-fall.md").read_text(encoding="utf-8")
    body = _with(
        body,
        "Wichtigste Ergebnisse in Stichpunkten",
        "- -20 % Nachforderungen (geschätzt)\n2. Mehr Zufriedenheit\n• Schneller (gemessen)",
    )
    result = issue_import.build_case(body, today=REVIEWED)
    assert result.ok, result.problems
    assert (
        "  - text: -20 % Nachforderungen\n    evidence: geschaetzt\n"
        "  - text: Mehr Zufriedenheit\n    evidence: berichtet\n"
        "  - text: Schneller\n    evidence: gemessen\n"
    ) in result.text


def test_all_problems_of_an_issue_in_one_round() -> None:
    body = (FIXTURES / "github-neuer-fall.md").read_text(encoding="utf-8")
    body = _with(body, "Titel des Falls", "_No response_")  # found by the form reader
    body = _with(body, "Beginn", "April 2022")  # found by the validator
    body = _with(body, "Kontakt: Telefon", "0800 keine Nummer")  # found by the validator
    result = issue_import.build_case(body, today=REVIEWED)
    problems = result.problems
    assert sum(p.startswith("Titel des Falls: ") for p in problems) == 1, problems
    assert any(p.startswith("Beginn: ") for p in problems), problems
    assert any(p.startswith("Kontakt: Telefon: Keine plausible") for p in problems), problems


@pytest.mark.parametrize(
    ("answer", "slugs"),
    [
        ("Schul-IT & Ausstattung", ("schul-it",)),
        ("schul-it, e-akte", ("schul-it", "e-akte")),
        ("Bildung & Schule > Schul-IT & Ausstattung", ("schul-it",)),
        (
            "Bildung & Schule>Schulanbindung & Schul-WLAN, E-Rechnung",
            ("schulanbindung", "e-rechnung"),
        ),
        (
            "Organisation, IT & Informationssicherheit, Datenschutz",
            ("organisation-it", "datenschutz"),
        ),
    ],
)
def test_topics_by_sub_topic_label_slug_or_ascii_separator(
    answer: str, slugs: tuple[str, ...]
) -> None:
    body = (FIXTURES / "gitlab-neuer-fall.md").read_text(encoding="utf-8")
    body = re.sub(
        r"(### Themen \*\n\n<!--.*?-->\n).*?(\n\n### )",
        lambda m: m[1] + answer + m[2],
        body,
        count=1,
        flags=re.S,
    )
    result = issue_import.build_case(body, today=REVIEWED)
    assert result.problems == []
    front = result.text.split("---\n")[1]
    assert "topics:\n" + "".join(f"  - {slug}\n" for slug in slugs) in front


def test_a_label_shared_by_several_topics_is_not_guessed() -> None:
    body = (FIXTURES / "github-neuer-fall.md").read_text(encoding="utf-8")
    body = _with(body, "Themen", "übergreifend")
    result = issue_import.build_case(body, today=REVIEWED)
    assert any(
        p.startswith("Themen: „übergreifend“ ist keine der möglichen Angaben")
        for p in result.problems
    ), result.problems


def test_a_new_declared_field_is_asked_and_imported_without_further_code(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Issue 17: the form and the import read the declarations; a new optional text
    field needs no question and no reader of its own."""
    from praxisatlas.cases import schema
    from praxisatlas.cases.reference import load_reference
    from praxisatlas.cases.vocabulary import load_vocabulary
    from praxisatlas.contribute import issue_form

    extra = schema.FieldSpec(
        "accessibility",
        "string",
        "Barrierefreiheit",
        "Wie das Angebot für Menschen mit Behinderungen zugänglich ist.",
        format="longtext",
        max_length=600,
    )
    fields = (*schema.FIELDS, extra)
    monkeypatch.setattr(issue_form, "FIELDS", fields)
    monkeypatch.setattr(issue_import, "FIELDS", fields)
    form = issue_form.form_fields()
    question = next(f for f in form if f.target == "accessibility")
    assert (question.id, question.kind, question.label) == (
        "accessibility",
        "textarea",
        "Barrierefreiheit",
    )
    assert not question.required
    assert [f.id for f in form][-3:] == ["accessibility", "license", "consent"]
    body = (FIXTURES / "github-neuer-fall.md").read_text(encoding="utf-8")
    body += "\n### Barrierefreiheit\n\nVorlesefunktion und Leichte Sprache\n"
    answers = issue_import.parse_sections(body, form)
    builder = issue_import.NewCaseAnswers(answers, form, load_vocabulary(), load_reference())
    front = builder.front_matter(REVIEWED)
    assert front["accessibility"] == "Vorlesefunktion und Leichte Sprache"
    assert list(front)[-2:] == ["transferability", "accessibility"]
    assert builder.problems == []


def test_every_declared_field_is_asked_or_left_to_the_editors() -> None:
    from praxisatlas.contribute import issue_form

    form = issue_form.form_fields()
    assert issue_form.unlisted_keys(form) == []
    targets = {f.target.split(".")[0] for f in form}
    assert issue_form.NOT_ASKED.isdisjoint(targets)
