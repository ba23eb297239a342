"""Statistics, map and open data in a real build and in Chromium.

The built-site checks (no browser) read the exports and feeds the plugin wrote and follow
every feed link of every page; the browser checks run axe-core (WCAG 2.1 A/AA) on
``/statistik/`` and ``/karte/`` at desktop and phone width, check that nothing overflows
sideways, that the map's tiles are reachable by keyboard with a name, and (through the
``browser_page`` fixture) that no request leaves 127.0.0.1.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections import Counter
from pathlib import Path
from typing import Any

import feedparser
import pytest

from praxisatlas.cases.pipeline import load_catalogue
from tests.browser.conftest import BUILD_TODAY, SITE_CASES

VIEWPORTS = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 390, "height": 844}}


def _fixture_cases() -> list[Any]:
    import datetime as dt

    return list(load_catalogue(SITE_CASES, today=dt.date.fromisoformat(BUILD_TODAY)))


# --- the built site (no browser) -------------------------------------------------------------


def test_exports_in_the_built_site_hold_every_case(built_site: Path) -> None:
    cases = _fixture_cases()
    data = json.loads((built_site / "daten" / "faelle.json").read_text(encoding="utf-8"))
    assert sorted(c["id"] for c in data["cases"]) == sorted(c.id for c in cases)
    raw = (built_site / "daten" / "faelle.csv").read_bytes()
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"), newline=""), delimiter=";"))
    assert sorted(r["Kennung"] for r in rows) == sorted(c.id for c in cases)
    schema = json.loads((built_site / "daten" / "schema.json").read_text(encoding="utf-8"))
    assert "title" in schema["properties"]
    assert (built_site / "daten" / "index.html").exists()


def test_every_feed_link_of_every_page_resolves_to_valid_atom(built_site: Path) -> None:
    linked: set[Path] = set()
    pattern = re.compile(
        r'<link rel="alternate feed" type="application/atom\+xml"[^>]*href="([^"]+)"'
    )
    for page in built_site.rglob("*.html"):
        for href in pattern.findall(page.read_text(encoding="utf-8")):
            target = (page.parent / href).resolve()
            assert target.is_file(), f"{page.relative_to(built_site)} -> {href}"
            linked.add(target)
    feeds = sorted((built_site / "daten" / "feeds").rglob("*.xml"))
    assert len(feeds) == 1 + 12 + 16
    assert (built_site / "daten" / "feeds" / "alle.xml").resolve() in linked
    for feed in feeds:
        parsed = feedparser.parse(feed.read_bytes())
        assert parsed.bozo == 0, (feed, parsed.get("bozo_exception"))
    alle = feedparser.parse((built_site / "daten" / "feeds" / "alle.xml").read_bytes())
    assert len(alle.entries) == len(_fixture_cases())


def test_map_counts_in_the_built_page_match_the_cases(built_site: Path) -> None:
    expected: Counter[str] = Counter()
    for case in _fixture_cases():
        expected.update({org.land.name for org in case.organisations if org.land})
    html = (built_site / "karte" / "index.html").read_text(encoding="utf-8")
    labels = re.findall(r'<a href="\.\./laender/[a-z-]+/" aria-label="([^":]+): (\d+) F', html)
    assert {name: int(count) for name, count in labels} == dict(expected)


# --- in the browser ---------------------------------------------------------------------------


@pytest.mark.browser
@pytest.mark.parametrize("viewport", list(VIEWPORTS))
@pytest.mark.parametrize("path", ["statistik/", "karte/", "daten/"])
def test_page_is_accessible_and_fits(
    browser_page: Any, served_site: str, assert_accessible: Any, path: str, viewport: str
) -> None:
    browser_page.set_viewport_size(VIEWPORTS[viewport])
    browser_page.goto(served_site + path)
    assert_accessible(browser_page)
    overflow = browser_page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0, f"{path} ist {overflow}px breiter als der Bildschirm ({viewport})"
    if path == "statistik/":
        # Every chart is as wide as its column at most, and has its table.
        widths = browser_page.eval_on_selector_all(
            "svg.pa-chart__svg",
            "els => els.map(e => [e.getBoundingClientRect().width, e.parentElement.clientWidth])",
        )
        assert len(widths) == 6
        assert all(width <= column + 0.5 for width, column in widths)
        assert browser_page.locator("table caption").count() == 6


@pytest.mark.browser
def test_map_tiles_are_keyboard_links_with_names(browser_page: Any, served_site: str) -> None:
    browser_page.goto(served_site + "karte/")
    tiles = browser_page.locator("svg.pa-karte__svg a")
    names = tiles.evaluate_all("els => els.map(e => e.getAttribute('aria-label'))")
    assert names and all(re.fullmatch(r"[\w -]+: \d+ (Fall|Fälle)", n) for n in names)
    focused: list[str] = []
    for _ in range(80):
        browser_page.keyboard.press("Tab")
        label = browser_page.evaluate(
            "document.activeElement.closest('svg.pa-karte__svg') ? "
            "document.activeElement.getAttribute('aria-label') : null"
        )
        if label:
            focused.append(label)
        if len(focused) == len(names):
            break
    assert focused == names  # every tile link is reached, in document order
    href = browser_page.evaluate("document.activeElement.getAttribute('href')")
    with browser_page.expect_navigation():
        browser_page.keyboard.press("Enter")
    assert browser_page.url.endswith(href.replace("../", "")), browser_page.url
