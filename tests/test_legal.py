"""The publishing body's details: markers in the legal pages, placeholders, config check."""

from __future__ import annotations

import datetime as dt
import html
import logging
import re
from pathlib import Path
from typing import Any

import markdown
import pytest
from mkdocs.exceptions import Abort, PluginError

from praxisatlas import generators
from praxisatlas.output import PageContext, SiteSettings
from praxisatlas.website import legal_pages
from tests.factories import make_case, make_catalogue
from tests.sitebuild import build_site, repo_config

FILLED: dict[str, Any] = {
    "name": "Landkreis Musterland",
    "rechtsform": "Körperschaft des öffentlichen Rechts",
    "anschrift": "Kreishausstraße 1\n12345 Musterstadt",
    "vertreten_durch": "Landrätin Erika Muster",
    "email": "praxisatlas@musterland.example",
    "telefon": "+49 1234 567-0",
    "inhaltlich_verantwortlich": "Max Muster, Kreishausstraße 1, 12345 Musterstadt",
    "aufsichtsbehoerde": "Regierungspräsidium Musterstadt",
    "datenschutzbeauftragter": (
        "Datenschutzbeauftragte des Landkreises\ndatenschutz@musterland.example"
    ),
    "datenschutz_aufsichtsbehoerde": "Landesbeauftragte für den Datenschutz Musterland",
    "rechtsgrundlage_datenschutz": (
        "Art. 6 Abs. 1 Buchst. e DSGVO in Verbindung mit § 3 Landesdatenschutzgesetz Musterland"
    ),
    "hoster": "Muster-Hosting GmbH, Serverweg 2, 54321 Rechenstadt",
    "server_protokolle": "Die Protokolle werden nach sieben Tagen gelöscht.",
    "barrierefreiheit_recht": "die Barrierefreie-Informationstechnik-Verordnung (BITV 2.0)",
    "stand_barrierefreiheit": dt.date(2026, 11, 20),
    "schlichtungsstelle": "Schlichtungsstelle nach § 16 BGG, Mauerstraße 53, 10117 Berlin",
}
SETTINGS = SiteSettings()


def _html(fragment: str) -> str:
    """Render a Markdown fragment the way MkDocs does (Python-Markdown)."""
    return markdown.markdown(fragment, extensions=["tables"])


def _text(fragment: str) -> str:
    """What a visitor reads: tags removed, entities decoded."""
    return html.unescape(re.sub(r"<[^>]+>", "", fragment)).strip()


def _context(details: Any, src_path: str = "impressum.md") -> PageContext:
    extra = {} if details is None else {"betreiber": details}
    return PageContext(
        catalogue=make_catalogue(make_case()), settings=SETTINGS, extra=extra, src_path=src_path
    )


# --- rendering values --------------------------------------------------------------


def test_value_can_form_neither_html_nor_markdown() -> None:
    hostile = '<script>alert(1)</script> *fett* [x](javascript:alert(2)) `code` # "q"'
    html = _html("Herausgeber: " + legal_pages.render_value("name", {"name": hostile}))
    assert "<script" not in html
    assert "<em>" not in html and "<strong>" not in html and "<code>" not in html
    assert "javascript:" not in html.replace("&#58;", "?")
    assert "<a " not in html
    # … but the visitor still reads the text as written.
    assert _text(html) == "Herausgeber: " + hostile


def test_value_at_line_start_does_not_become_a_list_or_heading() -> None:
    for value in ("1. Stelle", "- Stelle", "# Stelle", "> Stelle"):
        html = _html(legal_pages.render_value("name", {"name": value}))
        assert html.startswith("<p>"), (value, html)


def test_multiline_value_becomes_line_breaks_inside_one_line() -> None:
    rendered = legal_pages.render_value("anschrift", {"anschrift": "Weg 1\n\n12345 Ort\n"})
    assert "\n" not in rendered
    assert rendered == "Weg 1<br>12345 Ort"
    # Inside a list item or table cell the structure survives.
    html = _html(f"- Anschrift: {rendered}\n- Telefon: 1")
    assert html.count("<li>") == 2


def test_email_becomes_mailto_link() -> None:
    rendered = legal_pages.render_value("email", {"email": "info@kreis.example"})
    html = _html(rendered)
    assert 'href="mailto:info@kreis.example"' in html
    assert ">info&#64;kreis&#46;example<" in html or ">info@kreis&#46;example<" in html


def test_invalid_email_is_plain_text() -> None:
    rendered = legal_pages.render_value("email", {"email": 'x" onclick="alert(1)'})
    assert "<a " not in rendered
    assert "onclick=" not in _html(rendered)


def test_dates_in_german_notation() -> None:
    key = "stand_barrierefreiheit"
    assert legal_pages.render_value(key, {key: dt.date(2026, 3, 5)}) == "05&#46;03&#46;2026"
    assert legal_pages.render_value(key, {key: "2026-03-05"}) == "05&#46;03&#46;2026"


def test_placeholder_is_highlighted() -> None:
    rendered = legal_pages.render_value("name", {"name": "[PLATZHALTER: Name der Stelle]"})
    assert rendered.startswith('<mark class="pa-placeholder">')
    assert "PLATZHALTER" in rendered and "Name der Stelle" in rendered


def test_placeholder_inside_partly_filled_value_is_highlighted_alone() -> None:
    rendered = legal_pages.render_value(
        "anschrift", {"anschrift": "Kreishaus, [PLATZHALTER: Straße]\n12345 Ort"}
    )
    assert rendered.startswith("Kreishaus, <mark")
    assert rendered.count("<mark") == 1
    assert rendered.endswith("<br>12345 Ort")


@pytest.mark.parametrize("value", [None, "", "   ", ["a"], {"a": 1}, True])
def test_missing_or_unusable_value_shows_a_placeholder_with_its_label(value: Any) -> None:
    rendered = legal_pages.render_value("hoster", {"hoster": value})
    assert '<mark class="pa-placeholder">' in rendered
    assert "Hosting" in rendered


def test_unknown_marker_key_is_visible() -> None:
    rendered = legal_pages.render_value("adresse", {"adresse": "x"})
    assert "<mark" in rendered and "betreiber.adresse" in _text(rendered)


# --- the page filter ---------------------------------------------------------------


def test_filter_replaces_every_marker_with_any_spacing() -> None:
    page = "{{ betreiber.name }} / {{betreiber.email}} / {{  betreiber.telefon  }}"
    result = legal_pages.fill_details(page, _context(FILLED))
    assert "{{" not in result
    assert "Landkreis Musterland" in result
    assert "mailto:praxisatlas@musterland.example" in result
    assert "&#43;49 1234 567&#45;0" in result


def test_filter_leaves_other_text_alone() -> None:
    page = "Kein Marker: {{ seite.titel }} und betreiber als Wort."
    assert legal_pages.fill_details(page, _context(FILLED)) == page


def test_filter_without_config_section_shows_placeholders() -> None:
    result = legal_pages.fill_details("{{ betreiber.name }}", _context(None))
    assert result.startswith('<mark class="pa-placeholder">')


def test_filter_is_registered_and_config_check_too() -> None:
    assert legal_pages.fill_details in generators.PAGE_FILTERS
    assert legal_pages.check_details in generators.CONFIG_CHECKS


# --- the configuration check -------------------------------------------------------


def test_filled_details_pass() -> None:
    assert legal_pages.check_details({"betreiber": FILLED}, SETTINGS) == []


def test_iso_date_string_is_accepted() -> None:
    details = {**FILLED, "stand_barrierefreiheit": "2026-11-20"}
    assert legal_pages.check_details({"betreiber": details}, SETTINGS) == []


def test_shipped_config_has_exactly_the_known_keys_all_placeholders() -> None:
    details = repo_config()["extra"]["betreiber"]
    assert list(details) == [field.key for field in legal_pages.FIELDS]
    messages = legal_pages.check_details({"betreiber": details}, SETTINGS)
    assert len(messages) == len(legal_pages.FIELDS)
    for field, message in zip(legal_pages.FIELDS, messages, strict=True):
        assert message.startswith(f"mkdocs.yml, extra.betreiber.{field.key}: noch ein Platzhalter")


def test_missing_section_is_one_message_naming_every_key() -> None:
    (message,) = legal_pages.check_details({"generator": False}, SETTINGS)
    assert "extra.betreiber" in message and "fehlt" in message
    for field in legal_pages.FIELDS:
        assert field.key in message


def test_section_must_be_a_mapping() -> None:
    (message,) = legal_pages.check_details({"betreiber": "Landkreis"}, SETTINGS)
    assert "Zuordnung" in message


def test_each_problem_is_reported_once_with_key_and_hint() -> None:
    details = dict(FILLED)
    del details["telefon"]
    details["hoster"] = ""
    details["email"] = "keine-adresse"
    details["stand_barrierefreiheit"] = "20.11.2026"
    details["anschrift"] = "Kreishausstraße 1\n[PLATZHALTER: PLZ und Ort]"
    details["anschrit"] = "Tippfehler"
    messages = legal_pages.check_details({"betreiber": details}, SETTINGS)
    assert messages == [
        "mkdocs.yml, extra.betreiber.anschrift: noch ein Platzhalter – bitte die echte "
        "Angabe eintragen (Postanschrift der herausgebenden Stelle).",
        "mkdocs.yml, extra.betreiber.email: 'keine-adresse' ist keine E-Mail-Adresse "
        "(E-Mail-Adresse für Anfragen).",
        "mkdocs.yml, extra.betreiber.telefon: Angabe fehlt (Telefonnummer für Anfragen).",
        "mkdocs.yml, extra.betreiber.hoster: Angabe ist leer oder kein Text "
        "(Hosting-Anbieter mit Anschrift).",
        "mkdocs.yml, extra.betreiber.stand_barrierefreiheit: '20.11.2026' ist kein Datum; "
        "bitte im Format JJJJ-MM-TT angeben (Datum der Erklärung zur Barrierefreiheit).",
        "mkdocs.yml, extra.betreiber.anschrit: unbekannte Angabe. Meinten Sie 'anschrift'?",
    ]


# --- real builds -------------------------------------------------------------------


# Any address outside the reserved example domains passes the production check.
REAL_SITE_URL = "https://praxisatlas.kreis-musterland.de/"


def _catalogue() -> Any:
    return make_catalogue(make_case("erster-fall"), make_case("zweiter-fall", ags="09162"))


def _read(site: Path, page: str) -> str:
    return (site / page / "index.html").read_text(encoding="utf-8")


@pytest.mark.slow
def test_demo_build_passes_strict_and_shows_placeholders(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.INFO, logger="mkdocs.plugins.praxisatlas"):
        site = build_site(tmp_path, catalogue=_catalogue())
    for page in ("impressum", "datenschutz", "barrierefreiheit"):
        html = _read(site, page)
        assert '<mark class="pa-placeholder">' in html, page
        assert "{{" not in html, page
    # One line sums up every placeholder (issue 20: no 16 lines of noise per build).
    notes = [r for r in caplog.records if "extra.betreiber" in r.getMessage()]
    assert len(notes) == 1 and notes[0].levelno == logging.INFO
    message = notes[0].getMessage()
    # The publisher's details, site_url (example.org) and repository_url.
    count = len(legal_pages.FIELDS) + 2
    assert message.startswith(f"Demo-Build: {count} Angaben in mkdocs.yml fehlen")
    assert "(site_url; extra.betreiber: name, " in message
    assert all(field.key in message for field in legal_pages.FIELDS)
    assert "plugins.praxisatlas: repository_url" in message


@pytest.mark.slow
def test_case_pages_never_fill_markers(tmp_path: Path) -> None:
    """Contributed text cannot pull the publisher's details (or anything) into a page."""
    body = "## Ausgangslage\n\nKontakt: {{ betreiber.email }}\n\n## Lösung\n\nText.\n"
    case = make_case("marker-fall", title="Titel {{ betreiber.name }}", body=body)
    config = repo_config()
    extra = {**config["extra"], "betreiber": FILLED}
    site = build_site(tmp_path, catalogue=make_catalogue(case), config={"extra": extra})
    html = _read(site, "faelle/marker-fall")
    assert "praxisatlas@musterland.example" not in html
    assert "Landkreis Musterland" not in html
    assert "betreiber.email" in html


@pytest.mark.slow
def test_production_build_fails_listing_placeholders(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    with (
        caplog.at_level(logging.INFO, logger="mkdocs.plugins.praxisatlas"),
        pytest.raises((Abort, PluginError)),
    ):
        build_site(tmp_path, catalogue=_catalogue(), plugin_options={"production": True})
    errors = [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR]
    for field in legal_pages.FIELDS:
        assert any(f"extra.betreiber.{field.key}: noch ein Platzhalter" in e for e in errors)
    assert any("plugins.praxisatlas.repository_url: Angabe fehlt" in e for e in errors)
    assert not (tmp_path / "site" / "impressum" / "index.html").exists()


@pytest.mark.slow
def test_filled_config_builds_in_production_mode(tmp_path: Path) -> None:
    config = repo_config()
    extra = {**config["extra"], "betreiber": {**FILLED, "name": "Landkreis <Musterland>"}}
    site = build_site(
        tmp_path,
        catalogue=_catalogue(),
        plugin_options={
            "production": True,
            "repository_url": "https://gitlab.opencode.de/musterland/praxisatlas",
        },
        config={"extra": extra, "site_url": REAL_SITE_URL},
    )
    impressum = _read(site, "impressum")
    assert "Landkreis &#60;Musterland&#62;" in impressum
    assert "<Musterland>" not in impressum
    assert 'href="mailto:praxisatlas@musterland.example"' in impressum
    assert "Kreishausstraße 1<br>12345 Musterstadt" in impressum
    assert "20&#46;11&#46;2026" in _read(site, "barrierefreiheit")
    for html_file in site.rglob("*.html"):
        text = html_file.read_text(encoding="utf-8")
        assert "PLATZHALTER" not in text, html_file
        assert "{{ betreiber" not in text, html_file
