"""Every kind of page of the site in headless Chromium, on a desktop and on a phone:
WCAG 2.1 A/AA (axe-core), no third-party request (checked by the ``browser_page``
fixture), no failed request, no console error, no cookie, no sideways scrolling."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

pytestmark = pytest.mark.browser

# One page of every kind the site has (hand-written, generated, catalogue, 404).
PAGES = {
    "Startseite": "",
    "Fall": "faelle/e-akte-kreisverwaltung/",
    "Fall (eingestellt)": "faelle/schulbus-app/",
    "Unterthema": "themen/e-akte/",
    "Handlungsfeld": "themen/verwaltung-digital/",
    "Themen": "themen/",
    "Kreisprofil": "kreise/09184/",
    "Kreise": "kreise/",
    "Land": "laender/bayern/",
    "Länder": "laender/",
    "Status": "status/regelbetrieb/",
    "Status-Übersicht": "status/",
    "Jahr": "jahre/2021/",
    "Jahre": "jahre/",
    "Kreistyp": "kreistypen/landkreis/",
    "Kreistypen": "kreistypen/",
    "Größenklasse": "groessen/100000-250000/",
    "Größenklassen": "groessen/",
    "Katalog": "katalog/",
    "Vergleich": "katalog/vergleich/",
    "Statistik": "statistik/",
    "Karte": "karte/",
    "Daten": "daten/",
    "Mitmachen": "mitmachen/",
    "Über": "ueber/",
    "Impressum": "impressum/",
    "Datenschutz": "datenschutz/",
    "Barrierefreiheit": "barrierefreiheit/",
    "Leichte Sprache": "leichte-sprache/",
    "Seite nicht gefunden": "404.html",
}
VIEWPORTS = {"Desktop": (1280, 900), "Smartphone": (390, 844)}


@pytest.mark.parametrize("viewport", list(VIEWPORTS))
@pytest.mark.parametrize("name", list(PAGES))
def test_page_type_is_accessible(
    name: str,
    viewport: str,
    served_site: str,
    browser_page: Any,
    assert_accessible: Callable[[Any], None],
) -> None:
    width, height = VIEWPORTS[viewport]
    browser_page.set_viewport_size({"width": width, "height": height})
    failed: list[str] = []
    console_errors: list[str] = []
    browser_page.on("requestfailed", lambda request: failed.append(request.url))
    browser_page.on(
        "response",
        lambda response: (
            failed.append(f"{response.status} {response.url}") if response.status >= 400 else None
        ),
    )
    browser_page.on(
        "console",
        lambda message: console_errors.append(message.text) if message.type == "error" else None,
    )
    browser_page.on("pageerror", lambda error: console_errors.append(str(error)))
    response = browser_page.goto(served_site + PAGES[name], wait_until="networkidle")
    assert response is not None and response.status == 200
    assert failed == [], f"{name}: fehlgeschlagene Anfragen {failed}"
    assert console_errors == [], f"{name}: Konsolenfehler {console_errors}"
    assert browser_page.locator("html").get_attribute("lang") == "de"
    assert_accessible(browser_page)
    overflow = browser_page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0, f"{name} ({viewport}) scrolls sideways by {overflow}px"
    assert browser_page.context.cookies() == []


def test_case_page_content(served_site: str, browser_page: Any) -> None:
    browser_page.goto(served_site + PAGES["Fall"])
    assert browser_page.locator("h1").first.inner_text().startswith("Fiktiv:")
    facts = browser_page.locator(".pa-facts")
    assert facts.is_visible()
    assert "Fiktiver Beispielfall" in browser_page.locator(".pa-fictitious").inner_text()
    assert browser_page.locator(".pa-confirmed").inner_text() == (
        "Von der Verwaltung bestätigt am 12.10.2026 "
        "(Stabsstelle Digitalisierung, Landkreis München)"
    )
    topic = browser_page.locator(".pa-facts a.pa-tag").first
    topic.click()
    browser_page.wait_for_load_state()
    assert "/themen/" in browser_page.url


def test_not_found_page_is_german_and_offers_ways_on(served_site: str, browser_page: Any) -> None:
    browser_page.goto(served_site + "404.html")
    assert browser_page.title() == "Praxisatlas"
    content = browser_page.locator("article")
    assert content.locator("h1").inner_text() == "Seite nicht gefunden"
    assert "Not found" not in browser_page.content()
    links = {a.inner_text(): a.get_attribute("href") for a in content.locator("li a").all()}
    assert set(links) == {"Katalog", "Themen", "Kreise", "Startseite"}
    # The 404 page may be served at any depth: its links are absolute.
    assert all(href and href.startswith("/") for href in links.values())
    search = content.get_by_role("searchbox", name="Im Katalog suchen")
    search.fill("E-Akte")
    search.press("Enter")
    browser_page.wait_for_load_state()
    assert "/katalog/?q=E-Akte" in browser_page.url
