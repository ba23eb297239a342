"""The catalogue page in headless Chromium: German search, filters, counts, URL state,
compare view, accessibility, and no request to any other host (checked by the fixture)."""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

from praxisatlas.cases.catalogue import Catalogue
from praxisatlas.cases.collation import german_sort_key, in_title_order
from praxisatlas.cases.pipeline import collect, load_catalogue
from praxisatlas.search.german import GermanAnalyzer
from tests.browser.conftest import REPO, SITE_CASES
from tests.sitebuild import TODAY

pytestmark = pytest.mark.browser


@cache
def fixture_catalogue() -> Catalogue:
    import datetime as dt

    return load_catalogue(SITE_CASES, today=dt.date.fromisoformat(TODAY))


def open_katalog(page: Any, base: str, query: str = "") -> None:
    page.goto(f"{base}katalog/{query}")
    wait_ready(page)


def wait_ready(page: Any) -> None:
    page.wait_for_function(
        "() => document.querySelector('#pa-katalog[data-bereit]') &&"
        " !document.querySelector('#pa-anzahl').textContent.includes('geladen')"
    )


def result_ids(page: Any) -> list[str]:
    hrefs: list[str] = page.eval_on_selector_all(
        "#pa-liste .pa-treffer__titel a", "els => els.map(a => a.getAttribute('href'))"
    )
    return [href.rstrip("/").rsplit("/", 1)[-1] for href in hrefs]


def dom_counts(page: Any) -> dict[tuple[str, str], int]:
    rows: list[list[str]] = page.eval_on_selector_all(
        ".pa-wert input[type=checkbox]",
        "els => els.map(e => [e.name, e.value,"
        " e.closest('li').querySelector('[data-anzahl]').textContent])",
    )
    return {(name, value): int(count) for name, value, count in rows}


def reference(
    catalogue: Catalogue,
    selected: dict[str, list[str]],
    topics_all: bool = False,
    universe: set[str] | None = None,
) -> tuple[set[str], dict[tuple[str, str], int]]:
    """Results and per-value counts computed straight from the catalogue's facets."""
    ids = set(catalogue.cases) if universe is None else universe
    members = {
        (name, term.value): set(term.case_ids)
        for name, facet in catalogue.facets.items()
        for term in facet.terms.values()
    }

    def passes(case_id: str, facet: str) -> bool:
        chosen = selected.get(facet, [])
        if not chosen:
            return True
        hits = [case_id in members[(facet, v)] for v in chosen]
        return all(hits) if facet == "thema" and topics_all else any(hits)

    results = {c for c in ids if all(passes(c, f) for f in catalogue.facets)}
    counts = {}
    for name, facet in catalogue.facets.items():
        if name == "thema" and topics_all:
            base = results
        else:
            base = {c for c in ids if all(passes(c, f) for f in catalogue.facets if f != name)}
        for term in facet.nonempty():
            counts[(name, term.value)] = len(base & members[(name, term.value)])
    return results, counts


def check(page: Any, name: str, value: str) -> None:
    page.check(f".pa-wert input[name='{name}'][value='{value}']")
    wait_ready(page)


# --- search -------------------------------------------------------------------------------


def test_inflected_query_finds_the_base_form(served_site: str, browser_page: Any) -> None:
    page = browser_page
    open_katalog(page, served_site)
    page.fill("#pa-q", "Schulen")
    page.press("#pa-q", "Enter")
    wait_ready(page)
    found = result_ids(page)
    assert "tablets-fuer-die-schule" in found  # says "Schule", never "Schulen"
    assert "glasfaser-fuer-gewerbegebiete" not in found
    assert "für „Schulen“" in page.inner_text("#pa-anzahl")
    # Several words: the case with every one comes first.
    page.fill("#pa-q", "Akte Verwaltung")
    page.press("#pa-q", "Enter")
    wait_ready(page)
    assert result_ids(page)[0] == "e-akte-kreisverwaltung"
    assert parse_qs(urlsplit(page.url).query)["q"] == ["Akte Verwaltung"]
    # Query syntax and stray characters are plain text, never an error.
    page.fill("#pa-q", 'titel:xylofonie* ^2 +"Xylofonie" -x ~1 <b>')
    page.press("#pa-q", "Enter")
    wait_ready(page)
    assert "Keine Fälle gefunden" in page.inner_text("#pa-anzahl")


def test_query_from_url_and_header_form(served_site: str, browser_page: Any) -> None:
    page = browser_page
    page.goto(f"{served_site}themen/")
    page.fill("#pa-kopfsuche-q", "Rettungswagen")
    page.press("#pa-kopfsuche-q", "Enter")
    page.wait_for_url(re.compile(r"/katalog/\?q=Rettungswagen$"))
    wait_ready(page)
    assert page.input_value("#pa-q") == "Rettungswagen"
    assert result_ids(page) == ["telenotarzt-im-rettungsdienst"]


def test_python_and_lunr_de_stem_every_corpus_word_alike(
    served_site: str, browser_page: Any
) -> None:
    analyzer = GermanAnalyzer()
    for case in fixture_catalogue():
        analyzer.terms(f"{case.title} {case.summary} {case.body}")
    # The published catalogue's vocabulary too: far more word forms than the fixtures.
    real_cases, _ = collect(REPO / "cases")
    for case in real_cases:
        analyzer.terms(f"{case.title} {case.summary} {case.body}")
    python_stems = analyzer.stems_seen()
    assert len(python_stems) > 300
    page = browser_page
    open_katalog(page, served_site)
    page.focus("#pa-q")  # loads lunr.js and lunr.de.js
    page.wait_for_function("() => window.lunr && window.lunr.de && window.lunr.de.stemmer")
    words = sorted(python_stems)
    browser_stems = page.evaluate("words => words.map(w => lunr.de.stemmer(w))", words)
    differences = {
        w: (python_stems[w], b)
        for w, b in zip(words, browser_stems, strict=True)
        if python_stems[w] != b
    }
    assert not differences


def test_search_index_loads_only_when_searching(served_site: str, browser_page: Any) -> None:
    page = browser_page
    requested: list[str] = []
    page.on("request", lambda r: requested.append(urlsplit(r.url).path))
    open_katalog(page, served_site)
    page.wait_for_function("() => window.lunr && window.lunr.de")  # fetched when idle
    page.wait_for_timeout(300)
    assert "/katalog/faelle.json" in requested
    assert not [p for p in requested if p.endswith("suchindex.json")]
    with page.expect_request("**/katalog/suchindex.json"):
        page.focus("#pa-q")
    requested.clear()
    page.goto(f"{served_site}faelle/schulbus-app/")
    page.goto(f"{served_site}")
    assert requested and not [p for p in requested if "/katalog/" in p]


def test_search_index_loads_ahead_of_the_first_keystroke(
    served_site: str, browser_page: Any
) -> None:
    page = browser_page
    open_katalog(page, served_site)
    page.mouse.move(0, 0)
    with page.expect_request("**/katalog/suchindex.json"):
        page.hover("#pa-q")  # pointing at the field is enough
    requested: list[str] = []
    page.on("request", lambda r: requested.append(urlsplit(r.url).path))
    # Arriving with a query (the header search): loaded with the page, no interaction.
    page.goto(f"{served_site}katalog/?q=Rettungswagen")
    wait_ready(page)
    assert {"/katalog/faelle.json", "/katalog/suchindex.json"} <= set(requested)
    assert result_ids(page) == ["telenotarzt-im-rettungsdienst"]


def test_typing_searches_while_typing_in_one_history_entry(
    served_site: str, browser_page: Any
) -> None:
    page = browser_page
    open_katalog(page, served_site)
    start_url = page.url
    page.focus("#pa-q")
    page.wait_for_function("() => window.lunr && window.lunr.de")
    page.keyboard.type("Rettungs", delay=10)  # faster than the 80 ms pause
    wait_ready(page)
    page.wait_for_function("() => location.search === '?q=Rettungs'")
    assert result_ids(page) == ["telenotarzt-im-rettungsdienst"]  # a prefix while typing
    page.keyboard.type("wagen", delay=150)  # slower: every keystroke searches
    page.wait_for_function("() => location.search === '?q=Rettungswagen'")
    wait_ready(page)
    assert "für „Rettungswagen“" in page.inner_text("#pa-anzahl")
    page.go_back()  # the whole typed word was one search
    page.wait_for_url(start_url)
    wait_ready(page)
    assert page.input_value("#pa-q") == ""
    assert len(result_ids(page)) == min(25, len(fixture_catalogue()))


# --- filters and counts ------------------------------------------------------------------------

SCENARIOS: list[tuple[dict[str, list[str]], bool]] = [
    ({}, False),
    ({"land": ["nordrhein-westfalen", "bayern"]}, False),
    ({"land": ["nordrhein-westfalen", "bayern"], "status": ["regelbetrieb"]}, False),
    ({"thema": ["bildung-schule", "mobilitaet-verkehr"], "austausch": ["ja"]}, False),
    ({"thema": ["bildung-schule", "schul-it"]}, True),
    ({"thema": ["verwaltung-digital"], "kreistyp": ["landkreis"], "jahr": ["2018"]}, False),
    ({"bestaetigt": ["ja"]}, False),
    ({"bestaetigt": ["nein"], "status": ["regelbetrieb"]}, False),
]


@pytest.mark.parametrize(("selected", "topics_all"), SCENARIOS)
def test_filters_and_counts_match_the_catalogue(
    served_site: str, browser_page: Any, selected: dict[str, list[str]], topics_all: bool
) -> None:
    page = browser_page
    open_katalog(page, served_site)
    page.click("#pa-filter-umschalter") if page.is_visible("#pa-filter-umschalter") else None
    if topics_all:
        page.check("input[name='thema-verknuepfung'][value='alle']")
    for name, values in selected.items():
        for value in values:
            page.click(f"#pa-facette-{name} [data-mehr]") if not page.is_visible(
                f".pa-wert input[name='{name}'][value='{value}']"
            ) else None
            check(page, name, value)
    expected_results, expected_counts = reference(fixture_catalogue(), selected, topics_all)
    assert set(result_ids(page)) == expected_results
    assert dom_counts(page) == expected_counts


def test_counts_with_query_and_filters(served_site: str, browser_page: Any) -> None:
    page = browser_page
    open_katalog(page, served_site, "?q=digital")
    matched = set(result_ids(page))
    assert 1 < len(matched) < len(fixture_catalogue())
    _, unfiltered = reference(fixture_catalogue(), {}, universe=matched)
    assert dom_counts(page) == unfiltered
    selected = {"status": ["regelbetrieb", "pilot"]}
    open_katalog(page, served_site, "?q=digital&status=regelbetrieb&status=pilot")
    results, counts = reference(fixture_catalogue(), selected, universe=matched)
    assert set(result_ids(page)) == results
    assert dom_counts(page) == counts


def test_sorting(served_site: str, browser_page: Any) -> None:
    page = browser_page
    catalogue = fixture_catalogue()
    open_katalog(page, served_site, "?sort=neu")
    assert result_ids(page) == [c.id for c in catalogue.newest(len(catalogue))]
    page.select_option("#pa-sort", "geprueft")
    wait_ready(page)
    reviewed = [catalogue.cases[i].reviewed for i in result_ids(page)]
    assert reviewed == sorted(reviewed, reverse=True)
    page.select_option("#pa-sort", "titel")
    wait_ready(page)
    titles = [catalogue.cases[i].title for i in result_ids(page)]
    assert titles == sorted(titles, key=german_sort_key)
    assert result_ids(page) == [c.id for c in in_title_order(catalogue)][: len(titles)]
    assert "sort=titel" in page.url


def test_filter_panel_has_labelled_checkboxes_in_fieldsets(
    served_site: str, browser_page: Any
) -> None:
    page = browser_page
    open_katalog(page, served_site)
    facets = page.evaluate(
        """() => [...document.querySelectorAll('#pa-facetten > fieldset')].map(fs => ({
            legend: fs.querySelector(':scope > legend').textContent,
            boxes: [...fs.querySelectorAll('input[type=checkbox]')].map(
                b => [b.name, b.value, b.labels.length, b.labels[0].textContent.trim()])
        }))"""
    )
    catalogue = fixture_catalogue()
    assert [f["legend"] for f in facets] == [f.label for f in catalogue.facets.values()]
    for facet, (name, expected) in zip(facets, catalogue.facets.items(), strict=True):
        terms = {t.value: t for t in expected.nonempty()}
        assert {(b[0], b[1]) for b in facet["boxes"]} == {(name, v) for v in terms}
        for _, value, labels, text in facet["boxes"]:
            assert labels == 1
            assert text.startswith(terms[value].label)

    # Unterthemen appear with their Handlungsfeld or on request.
    subtopic = ".pa-wert input[value='schul-it']"
    assert not page.is_visible(subtopic)
    more = page.locator("#pa-facette-thema [data-mehr]")
    more.click()
    assert more.get_attribute("aria-expanded") == "true"
    assert page.is_visible(subtopic)
    more.click()
    check(page, "thema", "bildung-schule")
    assert page.is_visible(subtopic)

    # The Kreis facet narrows its list by name.
    page.fill("#pa-facette-suche-kreis", "harb")
    visible = page.eval_on_selector_all(
        "#pa-facette-kreis li:not([hidden]) .pa-wert__name", "els => els.map(e => e.textContent)"
    )
    assert visible == ["Landkreis Harburg"]


def test_filters_work_with_the_keyboard(served_site: str, browser_page: Any) -> None:
    page = browser_page
    open_katalog(page, served_site)
    page.focus(".pa-wert input[name='status'][value='pilot']")
    page.keyboard.press("Space")
    wait_ready(page)
    assert parse_qs(urlsplit(page.url).query) == {"status": ["pilot"]}
    page.keyboard.press("Tab")
    page.keyboard.press("Space")
    wait_ready(page)
    assert parse_qs(urlsplit(page.url).query) == {"status": ["pilot", "regelbetrieb"]}


def test_phone_filter_panel_opens_and_leads_back_to_results(
    served_site: str, browser_page: Any
) -> None:
    page = browser_page
    page.set_viewport_size({"width": 390, "height": 844})
    open_katalog(page, served_site)
    toggle = page.locator("#pa-filter-umschalter")
    assert toggle.is_visible() and not page.is_visible("#pa-facetten")
    toggle.click()
    assert toggle.get_attribute("aria-expanded") == "true"
    check(page, "status", "pilot")
    done = page.locator("#pa-filter-fertig")
    assert done.inner_text() == "3 Fälle anzeigen"
    done.click()
    assert not page.is_visible("#pa-facetten")
    assert toggle.inner_text() == "Filter anzeigen (1 aktiv)"
    assert page.evaluate("document.activeElement.id") == "pa-ergebnisse-titel"


# --- URL state -----------------------------------------------------------------------------------


def test_url_state_round_trips_and_back_button_restores(
    served_site: str, browser_page: Any
) -> None:
    page = browser_page
    open_katalog(page, served_site, "?q=Bus&land=bayern&sort=titel&thema-verknuepfung=alle")
    assert page.input_value("#pa-q") == "Bus"
    assert page.is_checked(".pa-wert input[name='land'][value='bayern']")
    assert page.is_checked("input[name='thema-verknuepfung'][value='alle']")
    assert page.input_value("#pa-sort") == "titel"
    assert result_ids(page) == ["rufbus-auf-dem-land"]
    first_url = page.url

    check(page, "land", "niedersachsen")
    params = parse_qs(urlsplit(page.url).query)
    assert params["land"] == ["niedersachsen", "bayern"] or set(params["land"]) == {
        "bayern",
        "niedersachsen",
    }
    assert params["q"] == ["Bus"] and params["sort"] == ["titel"]
    assert set(result_ids(page)) == {"rufbus-auf-dem-land", "schulbus-app"}

    page.go_back()
    wait_ready(page)
    assert page.url == first_url
    assert not page.is_checked(".pa-wert input[name='land'][value='niedersachsen']")
    assert result_ids(page) == ["rufbus-auf-dem-land"]

    page.click("#pa-zuruecksetzen")
    wait_ready(page)
    assert parse_qs(urlsplit(page.url).query) == {"q": ["Bus"], "sort": ["titel"]}
    page.go_back()
    wait_ready(page)
    assert page.is_checked(".pa-wert input[name='land'][value='bayern']")


def test_active_filter_chip_removes_its_filter(served_site: str, browser_page: Any) -> None:
    page = browser_page
    open_katalog(page, served_site, "?status=pilot&status=planung")
    assert len(result_ids(page)) == 4
    page.click("#pa-aktiv button[data-entferne-wert='planung']")
    wait_ready(page)
    assert parse_qs(urlsplit(page.url).query) == {"status": ["pilot"]}
    assert len(result_ids(page)) == 3


# --- compare ------------------------------------------------------------------------------------


def test_compare_two_cases_side_by_side(served_site: str, browser_page: Any) -> None:
    page = browser_page
    open_katalog(page, served_site, "?sort=titel")
    boxes = page.locator("#pa-liste input[data-vergleich]")
    boxes.nth(0).check()
    boxes.nth(1).check()
    chosen = result_ids(page)[:2]
    assert parse_qs(urlsplit(page.url).query)["vergleich"] == [",".join(chosen)]
    page.click("#pa-vergleich-link")
    page.wait_for_selector("table.pa-vergleichstabelle")
    assert parse_qs(urlsplit(page.url).query)["ids"] == [",".join(chosen)]
    headers = page.eval_on_selector_all(
        "table.pa-vergleichstabelle thead th[scope=col] > a:not(.pa-entfernen)",
        "els => els.map(e => e.textContent)",
    )
    catalogue = fixture_catalogue()
    assert headers == [catalogue.cases[i].title for i in chosen]
    row_headers = page.eval_on_selector_all(
        "table.pa-vergleichstabelle tbody th[scope=row]", "els => els.map(e => e.textContent)"
    )
    assert "Status" in row_headers and "Federführung" in row_headers
    status_row = page.locator("tbody tr", has=page.locator("th", has_text="Status")).first
    assert status_row.locator("td").all_inner_texts() == [
        catalogue.facets["status"].terms[catalogue.cases[i].status].label for i in chosen
    ]


# --- without JavaScript ---------------------------------------------------------------------


def test_without_javascript_every_case_is_reached_through_the_index_pages(
    served_site: str, browser: Any, request_log: Any
) -> None:
    """The page no longer inlines every case (60 KB gzip at any N): it links the static
    index pages, which list every case."""
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.on("request", lambda r: request_log.urls.append(r.url))
    page.goto(f"{served_site}katalog/")
    assert page.is_visible("#pa-ohne-js")
    assert not page.is_visible("#pa-filter")
    assert not page.is_visible("#pa-q")  # a search field that cannot search would mislead
    page.click("#pa-ohne-js a[href='../themen/']")
    reached: set[str] = set()
    for topic in page.eval_on_selector_all(
        "article a[href*='themen/']", "els => els.map(a => a.href)"
    ):
        page.goto(topic)
        reached.update(
            href.rstrip("/").rsplit("/", 1)[-1]
            for href in page.eval_on_selector_all(
                "article a[href*='faelle/']", "els => els.map(a => a.href)"
            )
        )
    assert {case.id for case in fixture_catalogue()} <= reached
    context.close()
    request_log.assert_loopback_only()


def test_index_pages_are_offered_when_the_data_cannot_load(
    served_site: str, browser_page: Any
) -> None:
    page = browser_page
    page.route("**/katalog/faelle.json", lambda route: route.fulfill(status=404, body=""))
    page.goto(f"{served_site}katalog/")
    page.wait_for_function(
        "() => document.getElementById('pa-anzahl').textContent.includes('nicht geladen')"
    )
    assert page.is_visible("#pa-ohne-js a[href='../themen/']")
    assert not page.is_visible("#pa-q")


# --- accessibility ------------------------------------------------------------------------------


@pytest.mark.parametrize("viewport", [(1280, 900), (390, 844)], ids=["desktop", "phone"])
def test_catalogue_has_no_wcag_violations(
    served_site: str,
    browser_page: Any,
    assert_accessible: Callable[[Any], None],
    viewport: tuple[int, int],
    tmp_path: Path,
) -> None:
    page = browser_page
    page.set_viewport_size({"width": viewport[0], "height": viewport[1]})
    open_katalog(page, served_site, "?q=digital&land=nordrhein-westfalen&vergleich=schulbus-app")
    if page.is_visible("#pa-filter-umschalter"):
        page.click("#pa-filter-umschalter")
    page.click("#pa-facette-thema [data-mehr]")
    page.fill("#pa-facette-suche-kreis", "a") if page.is_visible(
        "#pa-facette-suche-kreis"
    ) else None
    assert page.is_visible("#pa-facette-land")
    assert_accessible(page)
    page.goto(f"{served_site}katalog/vergleich/?ids=schulbus-app,e-akte-kreisverwaltung")
    page.wait_for_selector("table.pa-vergleichstabelle")
    assert_accessible(page)
