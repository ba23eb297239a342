"""The generated issue form, config.yml and GitLab template: valid, documented, in sync."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from praxisatlas import cli
from praxisatlas.cases.model import STATUSES
from praxisatlas.cases.reference import load_reference
from praxisatlas.cases.vocabulary import load_vocabulary, parse_vocabulary
from praxisatlas.contribute import issue_form, issue_form_files
from praxisatlas.contribute.issue_form import (
    CONFIRM_GITHUB_FORM,
    CONFIRM_GITLAB_TEMPLATE,
    GITHUB_CONFIG,
    GITHUB_FORM,
    GITLAB_TEMPLATE,
)

ROOT = Path(__file__).resolve().parent.parent
ID_RE = re.compile(r"^[A-Za-z0-9_-]+$")
ELEMENT_KEYS = {
    "markdown": {"type", "attributes"},
    "input": {"type", "id", "attributes", "validations"},
    "textarea": {"type", "id", "attributes", "validations"},
    "dropdown": {"type", "id", "attributes", "validations"},
    "checkboxes": {"type", "id", "attributes"},
}
ATTRIBUTE_KEYS = {
    "markdown": {"value"},
    "input": {"label", "description", "placeholder", "value"},
    "textarea": {"label", "description", "placeholder", "value", "render"},
    "dropdown": {"label", "description", "multiple", "options", "default"},
    "checkboxes": {"label", "description", "options"},
}


def _form() -> dict[str, Any]:
    data = yaml.safe_load((ROOT / GITHUB_FORM).read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def test_committed_files_are_up_to_date(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["issue-form", "--root", str(ROOT), "--check"]) == 0
    assert "5 erzeugte Dateien sind aktuell." in capsys.readouterr().out


def test_check_fails_on_a_stale_file_and_regeneration_fixes_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "mkdocs.yml").write_text("site_url: https://atlas.example.net\n", "utf-8")
    assert cli.main(["issue-form", "--root", str(tmp_path), "--check"]) == 1
    assert f"{GITHUB_FORM}: veraltet" in capsys.readouterr().err
    assert cli.main(["issue-form", "--root", str(tmp_path)]) == 0
    assert cli.main(["issue-form", "--root", str(tmp_path), "--check"]) == 0
    config = yaml.safe_load((tmp_path / GITHUB_CONFIG).read_text("utf-8"))
    assert config["contact_links"][0]["url"] == "https://atlas.example.net/mitmachen/"
    # Regenerating changes nothing.
    before = {p: (tmp_path / p).read_bytes() for p in (GITHUB_FORM, GITHUB_CONFIG, GITLAB_TEMPLATE)}
    assert cli.main(["issue-form", "--root", str(tmp_path)]) == 0
    assert "nichts geschrieben" in capsys.readouterr().out
    assert before == {p: (tmp_path / p).read_bytes() for p in before}


def test_form_has_the_documented_shape() -> None:
    form = _form()
    assert set(form) == {"name", "description", "title", "labels", "body"}
    assert form["name"] == "Neuer Fall"
    ids, labels = [], []
    for element in form["body"]:
        kind = element["type"]
        assert set(element) <= ELEMENT_KEYS[kind], element
        assert set(element["attributes"]) <= ATTRIBUTE_KEYS[kind], element
        if kind == "markdown":
            continue
        assert ID_RE.match(element["id"])
        ids.append(element["id"])
        labels.append(element["attributes"]["label"])
        if kind == "dropdown":
            options = element["attributes"]["options"]
            assert len(options) == len(set(options)) and "None" not in options
        if kind == "checkboxes":
            for option in element["attributes"]["options"]:
                assert set(option) == {"label", "required"}
    assert len(ids) == len(set(ids))
    assert len(labels) == len(set(labels)), "GitHub verlangt eindeutige Beschriftungen"


def test_required_fields_are_validated() -> None:
    elements = {e["id"]: e for e in _form()["body"] if "id" in e}
    for required in (
        "title",
        "summary",
        "land",
        "kreis",
        "topics",
        "status",
        "start",
        "contact_function",
        "sources",
        "body_ausgangslage",
        "body_loesung",
        "body_ergebnisse",
        "body_erfahrungen",
    ):
        assert elements[required]["validations"] == {"required": True}, required
    for optional in ("end", "contact_email", "outcomes", "effort_cost", "software_name"):
        assert elements[optional]["validations"] == {"required": False}, optional
    licence = elements["license"]["attributes"]["options"]
    assert len(licence) == 1 and licence[0]["required"] is True
    assert "CC BY 4.0" in licence[0]["label"]
    consent = elements["consent"]["attributes"]["options"]
    assert all(option["required"] for option in consent)
    assert any("Kontaktdaten" in option["label"] for option in consent)


def test_dropdowns_come_from_vocabulary_and_reference() -> None:
    elements = {e["id"]: e for e in _form()["body"] if "id" in e}
    vocabulary = load_vocabulary()
    topics = elements["topics"]["attributes"]
    assert topics["multiple"] is True
    expected = [
        f"{vocabulary.field_of(slug).label} › "
        + ("übergreifend" if vocabulary.topics[slug].is_field else vocabulary.topics[slug].label)
        for slug in vocabulary.active_slugs()
    ]
    assert sorted(topics["options"]) == sorted(expected)
    assert "Digitale Verwaltung (E-Government) › E-Akte & Dokumentenmanagement" in topics["options"]
    laender = elements["land"]["attributes"]["options"]
    assert laender == [land.name for land in load_reference().laender]
    assert len(laender) == 16
    assert elements["status"]["attributes"]["options"] == list(STATUSES.values())


def test_vocabulary_change_reaches_the_form() -> None:
    """A new Unterthema appears, a deprecated one disappears: the form follows the file."""
    text = (ROOT / "plugins/praxisatlas/data/topics.yml").read_text(encoding="utf-8")
    changed = text.replace(
        "      - slug: e-rechnung\n",
        '      - slug: e-siegel\n        label: "E-Siegel"\n        description: "Test."\n'
        "      - slug: e-rechnung\n        deprecated: true\n        replaced_by: e-akte\n",
        1,
    )
    assert changed != text
    vocabulary = parse_vocabulary(changed)
    options = [o for o, _v in issue_form.topic_options(vocabulary)]
    assert "Digitale Verwaltung (E-Government) › E-Siegel" in options
    assert "Digitale Verwaltung (E-Government) › E-Rechnung" not in options
    form = issue_form_files.github_form(issue_form.form_fields(vocabulary))
    assert "E-Siegel" in form and "› E-Rechnung" not in form


def test_labels_come_from_the_schema() -> None:
    from praxisatlas.cases.schema import FIELDS_BY_KEY

    elements = {e["id"]: e["attributes"] for e in _form()["body"] if "id" in e}
    assert elements["summary"]["label"] == FIELDS_BY_KEY["summary"].label
    assert FIELDS_BY_KEY["summary"].description in elements["summary"]["description"]
    assert FIELDS_BY_KEY["sources"].description in elements["sources"]["description"]


def test_config_disables_blank_issues() -> None:
    config = yaml.safe_load((ROOT / GITHUB_CONFIG).read_text(encoding="utf-8"))
    assert config["blank_issues_enabled"] is False
    links = config["contact_links"]
    assert links and all(set(link) == {"name", "url", "about"} for link in links)
    assert any(link["url"].endswith("/mitmachen/#ohne-github-konto") for link in links)


def test_gitlab_template_has_the_same_fields() -> None:
    text = (ROOT / GITLAB_TEMPLATE).read_text(encoding="utf-8")
    headings = [re.sub(r" \*$", "", h) for h in re.findall(r"^### (.+)$", text, flags=re.M)]
    form_labels = [e["attributes"]["label"] for e in _form()["body"] if "id" in e]
    assert headings == form_labels
    assert "### Titel des Falls *" in text
    assert "- [ ] Die genannte Stelle ist damit einverstanden" in text
    assert "/label ~neuer-fall" in text
    # HTML comments stay closed: no "--" inside a hint.
    for comment in re.findall(r"<!--(.*?)-->", text, flags=re.S):
        assert "--" not in comment


def test_confirm_form_names_a_case_a_contact_and_corrections() -> None:
    form = yaml.safe_load((ROOT / CONFIRM_GITHUB_FORM).read_text(encoding="utf-8"))
    assert form["name"] == "Fall bestätigen oder ergänzen"
    assert form["labels"] == ["fall-bestaetigen"]
    elements = {e["id"]: e for e in form["body"] if "id" in e}
    assert list(elements) == [
        "case",
        "confirm",
        "contact_function",
        "organisation",
        "contact_email",
        "contact_phone",
        "contact_url",
        "open_to",
        "corrections",
        "consent",
    ]
    for element in form["body"]:
        assert set(element) <= ELEMENT_KEYS[element["type"]]
        assert set(element["attributes"]) <= ATTRIBUTE_KEYS[element["type"]]
    assert elements["case"]["validations"] == {"required": True}
    assert elements["contact_function"]["validations"] == {"required": True}
    # The contact fields mean the same as in "Neuer Fall": same labels, same choices.
    new_case = {e["id"]: e for e in _form()["body"] if "id" in e}
    for key in ("contact_email", "contact_phone", "contact_url", "open_to"):
        assert elements[key]["attributes"]["label"] == new_case[key]["attributes"]["label"]
    assert elements["open_to"]["attributes"]["options"] == [
        "Telefonat",
        "Hospitation vor Ort",
        "Unterlagen teilen",
    ]
    assert all(o["required"] for o in elements["consent"]["attributes"]["options"])
    assert not any(o["required"] for o in elements["confirm"]["attributes"]["options"])
    text = (ROOT / CONFIRM_GITLAB_TEMPLATE).read_text(encoding="utf-8")
    headings = [re.sub(r" \*$", "", h) for h in re.findall(r"^### (.+)$", text, flags=re.M)]
    assert headings == [e["attributes"]["label"] for e in form["body"] if "id" in e]
    assert "/label ~fall-bestaetigen" in text
    for comment in re.findall(r"<!--(.*?)-->", text, flags=re.S):
        assert "--" not in comment
