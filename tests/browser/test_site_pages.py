"""The site's page types in headless Chromium: WCAG 2.1 A/AA (axe-core), no third-party
requests (checked by the ``browser_page`` fixture), no sideways scrolling on a phone."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

pytestmark = pytest.mark.browser

PAGES = {
    "Startseite": "",
    "Fall": "faelle/e-akte-kreisverwaltung/",
    "Unterthema": "themen/e-akte/",
    "Handlungsfeld": "themen/verwaltung-digital/",
    "Themen": "themen/",
    "Kreisprofil": "kreise/09184/",
    "Kreise": "kreise/",
    "Land": "laender/bayern/",
    "Status": "status/regelbetrieb/",
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
    response = browser_page.goto(served_site + PAGES[name], wait_until="networkidle")
    assert response is not None and response.status == 200
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
    topic = browser_page.locator(".pa-facts a.pa-tag").first
    topic.click()
    browser_page.wait_for_load_state()
    assert "/themen/" in browser_page.url
