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
from jsonschema import Draft202012Validator, FormatChecker

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
    schema = json.loads(
        (built_site / "daten" / "falldatei.schema.json").read_text(encoding="utf-8")
    )
    assert "title" in schema["properties"]
    # The export validates against the schemas published beside it.
    for document, schema_name in [
        (data, "faelle.schema.json"),
        *(
            (json.loads(path.read_text(encoding="utf-8")), "fall.schema.json")
            for path in sorted((built_site / "daten" / "faelle").glob("*.json"))
        ),
    ]:
        published = json.loads((built_site / "daten" / schema_name).read_text(encoding="utf-8"))
        errors = list(
            Draft202012Validator(published, format_checker=FormatChecker()).iter_errors(document)
        )
        assert errors == [], (schema_name, [e.message for e in errors[:3]])
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
        expected.update({org.kreis.ags for org in case.organisations if org.kreis})
    html = (built_site / "karte" / "index.html").read_text(encoding="utf-8")
    links = re.findall(r'<a href="\.\./kreise/(\d{5})/" id="k\d{5}"><title>[^<]+: (\d+) F', html)
    assert {ags: int(count) for ags, count in links} == dict(expected)
    assert "© GeoBasis-DE / BKG (2021), verändert" in html
    for ags in expected:  # every link leads to a built profile page, with its mini map
        profile = (built_site / "kreise" / ags / "index.html").read_text(encoding="utf-8")
        assert 'class="pa-minikarte"' in profile and "Nachbarkreise mit Fällen" in profile


# --- in the browser ---------------------------------------------------------------------------


@pytest.mark.browser
@pytest.mark.parametrize("viewport", list(VIEWPORTS))
@pytest.mark.parametrize(
    "path", ["statistik/", "karte/", "karte/?status=regelbetrieb", "daten/", "kreise/03241/"]
)
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
def test_map_kreise_are_keyboard_links_with_names_outline_and_caption(
    browser_page: Any, served_site: str
) -> None:
    browser_page.goto(served_site + "karte/")
    links = browser_page.locator("#pa-karte-svg a")
    names = links.evaluate_all("els => els.map(e => e.querySelector('title').textContent)")
    assert names and all(re.fullmatch(r"[\w .()/-]+: \d+ (Fall|Fälle)", n) for n in names)
    # The accessible name is the Kreis and its count, as the tooltip and caption show it.
    first = browser_page.get_by_role("link", name=names[0], exact=True)
    assert first.count() == 1
    focused: list[str] = []
    for _ in range(120):
        browser_page.keyboard.press("Tab")
        name = browser_page.evaluate(
            "document.activeElement.closest('#pa-karte-svg') ? "
            "document.activeElement.querySelector('title').textContent : null"
        )
        if name:
            focused.append(name)
            # Visible focus: an outline drawn over the map, and the caption names the Kreis.
            outline = browser_page.get_attribute("#pa-karte-svg .pa-karte__fokus", "d")
            own = browser_page.evaluate(
                "document.activeElement.querySelector('path').getAttribute('d')"
            )
            assert outline == own
            assert browser_page.text_content("#pa-karte-info") == name
        if len(focused) == len(names):
            break
    assert focused == names  # every Kreis link is reached, in document order
    href = browser_page.evaluate("document.activeElement.getAttribute('href')")
    with browser_page.expect_navigation():
        browser_page.keyboard.press("Enter")
    assert browser_page.url.endswith(href.replace("../", "")), browser_page.url


def _expected_counts(status: str) -> dict[str, int]:
    counts: Counter[str] = Counter()
    for case in _fixture_cases():
        if case.status == status:
            counts.update({org.kreis.ags for org in case.organisations if org.kreis})
    return dict(counts)


def _map_counts(page: Any) -> dict[str, int]:
    pairs = page.eval_on_selector_all(
        "#pa-karte-svg a[id], #pa-karte-svg path[id]",
        "els => els.map(e => [e.id.slice(1), e.querySelector('title').textContent])",
    )
    return {ags: int(re.search(r": (\d+) F", text).group(1)) for ags, text in pairs}


@pytest.mark.browser
def test_catalogue_filters_carry_to_the_map(browser_page: Any, served_site: str) -> None:
    """/katalog/?status=… -> link -> /karte/?status=…: the map counts only those cases."""
    browser_page.goto(served_site + "katalog/?status=regelbetrieb")
    browser_page.wait_for_selector("#pa-liste li")
    with browser_page.expect_navigation():
        browser_page.click("#pa-karte-link")
    assert browser_page.url == served_site + "karte/?status=regelbetrieb"
    browser_page.wait_for_selector("#pa-karte-filter:not([hidden])")
    expected = _expected_counts("regelbetrieb")
    assert expected and expected != _expected_counts("pilot")
    counts = _map_counts(browser_page)
    assert len(counts) == 400
    assert {ags: n for ags, n in counts.items() if n} == expected
    assert "Status: Regelbetrieb" in browser_page.text_content("#pa-karte-filter")
    # The table follows: only Kreise with matching cases, with the filtered counts.
    rows = browser_page.eval_on_selector_all(
        "#pa-karte-tabelle tbody tr:not([hidden])",
        "rows => rows.map(r => [r.dataset.ags, r.cells[2].textContent])",
    )
    assert {ags: int(n) for ags, n in rows} == expected
    # Changing the filter in the catalogue changes the link (the URL state goes along).
    browser_page.goto(served_site + "katalog/?status=pilot&status=planung")
    browser_page.wait_for_selector("#pa-liste li")
    with browser_page.expect_navigation():
        browser_page.click("#pa-karte-link")
    assert browser_page.url.endswith("karte/?status=pilot&status=planung")
    browser_page.wait_for_selector("#pa-karte-filter:not([hidden])")
    either = Counter(_expected_counts("pilot")) + Counter(_expected_counts("planung"))
    assert {a: n for a, n in _map_counts(browser_page).items() if n} == dict(either)


@pytest.mark.browser
def test_without_javascript_the_map_shows_every_case(browser: Any, served_site: str) -> None:
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(served_site + "karte/?status=regelbetrieb")
    expected: Counter[str] = Counter()
    for case in _fixture_cases():
        expected.update({org.kreis.ags for org in case.organisations if org.kreis})
    assert {a: n for a, n in _map_counts(page).items() if n} == dict(expected)
    assert page.is_hidden("#pa-karte-filter")
    context.close()


@pytest.mark.browser
def test_map_zooms_to_a_land_and_the_table_sorts(browser_page: Any, served_site: str) -> None:
    browser_page.set_viewport_size(VIEWPORTS["phone"])
    browser_page.goto(served_site + "karte/")
    whole = browser_page.get_attribute("#pa-karte-svg", "viewBox")
    browser_page.select_option("#pa-karte-land", label="Saarland")
    box = browser_page.get_attribute("#pa-karte-svg", "viewBox")
    assert box != whole
    width = float(box.split()[2])
    assert width < float(whole.split()[2]) / 4  # the Saarland fills the phone's width
    heads = browser_page.locator("#pa-karte-tabelle thead th")
    assert heads.nth(2).get_attribute("aria-sort") == "descending"
    heads.nth(0).locator("button").click()
    assert heads.nth(0).get_attribute("aria-sort") == "ascending"
    names = browser_page.eval_on_selector_all(
        "#pa-karte-tabelle tbody th", "cells => cells.map(c => c.textContent)"
    )
    assert names == sorted(names, key=lambda n: n.lower().replace("ü", "u").replace("ö", "o"))
