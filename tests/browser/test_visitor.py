"""What a first-time visitor sees (issue 20), in Chromium: the whole menu, a way to the form
from an empty search and from every case page, places named once, Länder in reading
order, German anchors, an even fact box and a readable search field on a phone."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.browser.conftest import SITE_CASES

pytestmark = pytest.mark.browser


def test_menu_lists_every_further_entry_point(served_site: str, browser_page: Any) -> None:
    browser_page.goto(served_site)
    menu = browser_page.locator(".md-sidebar--primary")
    for label in ("Status", "Startjahre", "Kreistypen", "Größenklassen"):
        link = menu.get_by_role("link", name=label, exact=True)
        assert link.count() == 1 and link.is_visible(), label
    menu.get_by_role("link", name="Status", exact=True).click()
    browser_page.wait_for_load_state()
    assert browser_page.url.endswith("/status/")
    assert browser_page.locator("h1").inner_text().startswith("Fälle nach Status")
    # The section heading leads to its own overview, which links all four.
    browser_page.goto(served_site + "zugaenge/")
    overview = browser_page.locator("article")
    for label in ("Status", "Startjahre", "Kreistypen", "Größenklassen"):
        assert overview.get_by_role("link", name=label, exact=True).count() == 1


def test_empty_search_offers_to_propose_a_case(served_site: str, browser_page: Any) -> None:
    browser_page.goto(served_site + "katalog/?q=quxbarzonk")
    count = browser_page.locator("#pa-anzahl")
    count.filter(has_text="Keine Fälle gefunden").wait_for()
    propose = browser_page.get_by_role("link", name="Einen Fall vorschlagen")
    assert propose.is_visible()
    propose.click()
    browser_page.wait_for_load_state()
    assert browser_page.url.endswith("/mitmachen/")


def test_case_page_fall_ergaenzen_and_even_fact_box(served_site: str, browser_page: Any) -> None:
    browser_page.goto(served_site + "faelle/e-akte-kreisverwaltung/")
    facts = browser_page.locator(".pa-facts dl")
    terms = facts.locator("dt").all_inner_texts()
    assert "Ansprechstelle" in terms and "Ansprechpartner" not in terms
    assert "Aufwand" in terms
    # Every row's text starts at the same left edge, "Aufwand" included (the numbered
    # sources keep their numbers in front).
    edges = browser_page.evaluate(
        """() => Array.from(document.querySelectorAll('.pa-facts dd:not(:has(ol))')).map(dd => {
            const range = document.createRange();
            range.selectNodeContents(dd);
            return Math.round(range.getClientRects()[0].left);
        })"""
    )
    assert len(set(edges)) == 1, edges
    heading = browser_page.locator("h2#fall-ergaenzen")
    assert heading.inner_text().startswith("Fall ergänzen")
    section = browser_page.locator("p.pa-edit")
    section.get_by_role("link", name="Mitmachen").click()
    browser_page.wait_for_load_state()
    assert browser_page.url.endswith("/mitmachen/")


def test_anchors_use_german_transliteration(served_site: str, browser_page: Any) -> None:
    browser_page.goto(served_site + "kreise/#baden-wuerttemberg")
    target = browser_page.locator("#baden-wuerttemberg")
    assert target.inner_text().startswith("Baden-Württemberg")
    assert browser_page.locator('.md-sidebar--secondary a[href="#baden-wuerttemberg"]').count()
    assert browser_page.locator('[id="baden-wurttemberg"]').count() == 0
    # Länder in reading order: the page's sections run from Baden-Württemberg to Thüringen.
    headings = browser_page.locator("article h2").all_inner_texts()
    names = [h.strip() for h in headings]
    assert names[0].startswith("Baden-Württemberg") and names[-1].startswith("Thüringen")


def test_catalogue_placeholder_fits_on_a_phone(served_site: str, browser_page: Any) -> None:
    browser_page.set_viewport_size({"width": 390, "height": 844})
    browser_page.goto(served_site + "katalog/")
    fits = browser_page.evaluate(
        """() => {
            const input = document.getElementById('pa-q');
            const style = getComputedStyle(input);
            const context = document.createElement('canvas').getContext('2d');
            context.font = style.font;
            const text = context.measureText(input.placeholder).width;
            const room = input.clientWidth - parseFloat(style.paddingLeft)
                - parseFloat(style.paddingRight);
            return [text, room];
        }"""
    )
    text, room = fits
    assert text <= room, f"Platzhalter {text:.0f}px breit, Platz {room:.0f}px"


CITY_STATE_CASE = """---
title: 'Fiktiv: Gemeinsame Bürgerservice-App von Berlin und Hamburg'
summary: Zwei Stadtstaaten betreiben eine gemeinsame App für Termine in Bürgerämtern.
organisations:
- role: lead
  ags: '11000'
- role: partner
  ags: '02000'
topics:
- terminvergabe
status: regelbetrieb
start: '2021'
contact:
  function: Stabsstelle Digitalisierung
  email: digital@example.org
sources:
- title: Fiktive Projektbeschreibung
  url: https://example.org/stadtstaaten
reviewed: '2025-06-30'
license: CC-BY-4.0
fictitious: true
---
## Ausgangslage

Text.

## Lösung

Text.

## Ergebnisse

Text.

## Erfahrungen

Text.
"""


def test_city_states_named_once(
    tmp_path_factory: pytest.TempPathFactory,
    site_builder: Callable[[Path], Path],
    serve_directory: Callable[[Path], str],
    browser_page: Any,
) -> None:
    cases = tmp_path_factory.mktemp("stadtstaaten")
    (cases / "stadtstaaten-app.md").write_text(CITY_STATE_CASE, encoding="utf-8")
    source = SITE_CASES / "e-akte-kreisverwaltung.md"
    (cases / source.name).write_text(source.read_text(encoding="utf-8"), encoding="utf-8")
    base = serve_directory(site_builder(cases))
    browser_page.goto(base)
    newest = browser_page.locator(".pa-case__meta").all_inner_texts()
    assert any(meta.startswith("Berlin · Regelbetrieb") for meta in newest), newest
    assert not any("Berlin, Berlin" in meta for meta in newest)
    browser_page.goto(base + "katalog/?q=Stadtstaaten")
    card = browser_page.locator(".pa-treffer__meta").first
    card.filter(has_text="Regelbetrieb").wait_for()
    assert card.inner_text().startswith("Berlin · Hamburg · Regelbetrieb"), card.inner_text()
    # Länder filter in reading order: Bayern before Berlin before Hamburg.
    browser_page.goto(base + "katalog/")
    land = browser_page.locator("#pa-facette-land label").all_inner_texts()
    names = [text.split("\n")[0].strip() for text in land]
    assert [n for n in names if n] == sorted(n for n in names if n), names
