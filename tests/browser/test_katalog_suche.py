"""The catalogue's forgiving search in Chromium (issue 14): partial matches ranked after
full ones, compounds both ways, synonyms in each direction, prefixes while typing, typos,
an empty result that offers ways on, "keine Angabe" facets, and parity of the German
analysis and compound splitting between Python (index) and the browser (query)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from praxisatlas.cases.pipeline import collect, load_catalogue
from praxisatlas.search.german import GermanAnalyzer, split_compound, tokenize, trim
from praxisatlas.search.index import build_search_index
from tests.browser.conftest import REPO, SITE_CASES
from tests.browser.test_katalog import open_katalog, result_ids, wait_ready

pytestmark = pytest.mark.browser

CASE = """---
title: 'Fiktiv: {title}'
summary: {summary}
organisations:
- role: lead
  ags: '{ags}'
topics:
- abfallwirtschaft
status: {status}
start: 2023-02
contact:
  function: Stabsstelle Digitalisierung
  email: digital@example.org
sources:
- title: Fiktive Projektbeschreibung
  url: https://example.org/{id}
reviewed: '2025-06-30'
license: CC-BY-4.0
fictitious: true
---
## Ausgangslage

{body}

## Lösung

Ein Team aus dem Haus setzte das Vorhaben um.

## Ergebnisse

Die Beschäftigten sparen Zeit.

## Erfahrungen

Früh mit allen Beteiligten sprechen.
"""

SEARCH_CASES = {
    "schulverwaltung": (
        "Digitale Schulverwaltung",
        "Ein Werkzeug für Sekretariate.",
        "Die Schulverwaltung arbeitete mit Papier.",
        "09162",
        "pilot",
    ),
    "verwaltung-der-schulen": (
        "Eine Plattform für die Verwaltung der Schulen",
        "Alle Schulen nutzen dieselbe Plattform.",
        "Die Verwaltung der Schulen war zersplittert.",
        "01001",
        "regelbetrieb",
    ),
    "ki-auskunft": (
        "KI beantwortet Anfragen",
        "Ein Sprachmodell gibt Auskunft.",
        "Die KI kennt die Öffnungszeiten.",
        "03241",
        "regelbetrieb",
    ),
    "intelligenz-antraege": (
        "Künstliche Intelligenz prüft Anträge",
        "Anträge werden vorsortiert.",
        "Die künstliche Intelligenz sortiert Eingänge.",
        "05162",
        "pilot",
    ),
    "rufbus-nord": (
        "Rufbus im Norden",
        "Fahrten auf Bestellung, ohne festen Fahrplan.",
        "Der Rufbus fährt ohne Fahrplan.",
        "01001",
        "eingestellt",
    ),
    "bedarfsverkehr-sued": (
        "On-Demand-Verkehr im Süden",
        "Fahrten per App bestellen, ohne Fahrplan.",
        "Der On-Demand-Verkehr ersetzt leere Linien.",
        "09162",
        "pilot",
    ),
}


@pytest.fixture(scope="module")
def search_site(
    tmp_path_factory: pytest.TempPathFactory,
    site_builder: Callable[[Path], Path],
    serve_directory: Callable[[Path], str],
) -> str:
    cases = tmp_path_factory.mktemp("search-cases")
    for case_id, (title, summary, body, ags, status) in SEARCH_CASES.items():
        (cases / f"{case_id}.md").write_text(
            CASE.format(
                id=case_id, title=title, summary=summary, body=body, ags=ags, status=status
            ),
            "utf-8",
        )
    return serve_directory(site_builder(cases))


def search(page: Any, text: str) -> list[str]:
    page.fill("#pa-q", text)
    page.press("#pa-q", "Enter")
    wait_ready(page)
    return result_ids(page)


def partial_ids(page: Any) -> list[str]:
    hrefs: list[str] = page.eval_on_selector_all(
        "#pa-liste .pa-treffer--teilweise .pa-treffer__titel a",
        "els => els.map(a => a.getAttribute('href'))",
    )
    return [href.rstrip("/").rsplit("/", 1)[-1] for href in hrefs]


def test_several_words_rank_full_matches_first_and_mark_partial_ones(
    search_site: str, browser_page: Any
) -> None:
    page = browser_page
    open_katalog(page, search_site)
    found = search(page, "Plattform Schulen")
    assert found[0] == "verwaltung-der-schulen"  # both words
    assert "schulverwaltung" in found[1:]  # only "Schul…" (a compound part)
    assert partial_ids(page) == found[1:]
    assert "Treffer für einzelne Suchwörter: „schulen“" in page.inner_text(
        "#pa-liste .pa-treffer--teilweise"
    )
    assert "nur mit einzelnen Suchwörtern" in page.inner_text("#pa-anzahl")
    # A word nobody uses does not empty the result.
    found = search(page, "Rufbus Xylofonorchester")
    assert found[0] == "rufbus-nord"
    assert set(partial_ids(page)) == set(found) == {"rufbus-nord", "bedarfsverkehr-sued"}


def test_compounds_meet_their_parts_both_ways(search_site: str, browser_page: Any) -> None:
    page = browser_page
    open_katalog(page, search_site)
    compound = search(page, "Schulverwaltung")
    assert compound[:2] == ["schulverwaltung", "verwaltung-der-schulen"]
    assert not partial_ids(page)
    assert set(search(page, "Verwaltung der Schulen")[:2]) == set(compound[:2])
    assert not partial_ids(page)
    assert set(search(page, "Schul-Verwaltung")[:2]) == set(compound[:2])


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("KI", {"ki-auskunft", "intelligenz-antraege"}),
        ("künstliche Intelligenz", {"ki-auskunft", "intelligenz-antraege"}),
        ("Rufbus", {"rufbus-nord", "bedarfsverkehr-sued"}),
        ("On-Demand-Verkehr", {"rufbus-nord", "bedarfsverkehr-sued"}),
        ("Rufbusse", {"rufbus-nord", "bedarfsverkehr-sued"}),
    ],
)
def test_synonyms_work_in_each_direction(
    search_site: str, browser_page: Any, query: str, expected: set[str]
) -> None:
    page = browser_page
    open_katalog(page, search_site)
    found = search(page, query)
    assert set(found) == expected
    assert not partial_ids(page)


def test_prefix_while_typing_and_typos_rank_below_exact_matches(
    search_site: str, browser_page: Any
) -> None:
    page = browser_page
    open_katalog(page, search_site)
    assert search(page, "Schulverw")[0] == "schulverwaltung"  # a prefix of 3+ letters
    assert search(page, "Schulverwaltng")[0] == "schulverwaltung"  # one letter missing
    assert search(page, "Intellignez") == ["intelligenz-antraege"]
    # Typos only from five letters: "Rifbus" is five letters off by one; "Ruf" a prefix.
    assert "rufbus-nord" in search(page, "Rifbus")
    # An exact word outranks a word one typo away from it.
    found = search(page, "Plattform Plattfor")
    assert found[0] == "verwaltung-der-schulen"


@pytest.mark.parametrize("query", ["Rufbos", "Rufbu"])
def test_synonyms_apply_to_words_reached_by_a_typo_or_a_prefix(
    search_site: str, browser_page: Any, query: str
) -> None:
    page = browser_page
    open_katalog(page, search_site)
    assert set(search(page, query)) == {"rufbus-nord", "bedarfsverkehr-sued"}
    assert not partial_ids(page)


def test_cost_questions_do_not_require_the_word_kostet(served_site: str, browser_page: Any) -> None:
    page = browser_page
    open_katalog(page, served_site)
    found = search(page, "wie viel kostet ein Telenotarzt")
    assert found[0] == "telenotarzt-im-rettungsdienst"
    assert "telenotarzt-im-rettungsdienst" not in partial_ids(page)  # "kostet" is optional
    # A case with "kostet" alone is a partial match, after the full one.
    assert partial_ids(page) == found[1:]
    assert "offene-daten-portal" in found[1:]
    assert "Treffer für einzelne Suchwörter: „kostet“" in page.inner_text(
        "#pa-liste .pa-treffer--teilweise"
    )
    # With every other word present, a case that also says "kosten" ranks first.
    found = search(page, "was kosten Rufbusse")
    assert found[0] == "rufbus-auf-dem-land" and found[0] not in partial_ids(page)
    # Alone, the word is searched like any other ("kosten", and "kosteten" as a prefix).
    found = search(page, "Kosten")
    assert found[0] == "rufbus-auf-dem-land" and not partial_ids(page)


def test_empty_result_offers_a_spelling_places_and_a_way_to_propose_a_case(
    search_site: str, browser_page: Any
) -> None:
    page = browser_page
    open_katalog(page, search_site)
    assert search(page, "Schulferwaltunk") == []
    ways = page.locator("#pa-weiter")
    assert ways.is_visible()
    assert page.get_attribute("[data-meinten]", "data-meinten") == "schulverwaltung"
    propose = page.locator("#pa-vorschlag a", has_text="Fall vorschlagen")
    assert propose.is_visible()
    assert propose.get_attribute("href") == "../mitmachen/"
    page.click("[data-meinten]")
    wait_ready(page)
    assert result_ids(page)[0] == "schulverwaltung"
    assert not page.locator("#pa-weiter").is_visible()
    # Filtered to nothing: Kreise whose names contain a query word are offered as links.
    page.goto(f"{search_site}katalog/?q=Flensburg&status=pilot")
    wait_ready(page)
    assert result_ids(page) == []
    link = page.locator("#pa-weiter a", has_text="Flensburg")
    assert link.get_attribute("href") == "../kreise/01001/"


def test_yes_no_facets_count_keine_angabe_apart_from_nein(
    served_site: str, browser_page: Any
) -> None:
    from tests.browser.test_katalog import dom_counts, fixture_catalogue

    page = browser_page
    open_katalog(page, served_site)
    counts = dom_counts(page)
    cases = list(fixture_catalogue())
    assert counts[("opensource", "ja")] == sum(c.open_source is True for c in cases)
    assert counts[("opensource", "keine-angabe")] == sum(c.open_source is None for c in cases)
    assert ("opensource", "nein") not in counts  # no fixture says "nein"
    assert counts[("austausch", "keine-angabe")] == sum(c.open_to_exchange is None for c in cases)
    labels = page.eval_on_selector_all(
        "#pa-facette-opensource .pa-wert__name", "els => els.map(e => e.textContent)"
    )
    assert labels == ["ja", "keine Angabe"]


def _corpus_words() -> list[str]:
    words: set[str] = set()
    texts = []
    real_cases, _ = collect(REPO / "cases")
    fixtures = load_catalogue(SITE_CASES, today=dt.date(2026, 11, 22))
    for case in [*real_cases, *fixtures]:
        texts.append(f"{case.title} {case.summary} {case.body}")
    for text in texts:
        words.update(trim(token) for token in tokenize(text))
    words.update(["schulverwaltung", "kreisverwaltung", "glasfaserausbau", "telenotarztsystem"])
    return sorted(w for w in words if w)


def test_python_and_browser_split_compounds_alike(served_site: str, browser_page: Any) -> None:
    analyzer = GermanAnalyzer()
    index = build_search_index(load_catalogue(SITE_CASES, today=dt.date(2026, 11, 22)))
    vocabulary = frozenset(t for t in index.terms if len(t) >= 3 and " " not in t)
    words = _corpus_words()
    expected = [split_compound(w, vocabulary, analyzer.stem) for w in words]
    assert sum(1 for parts in expected if parts) > 50  # the test compares real splits
    page = browser_page
    open_katalog(page, served_site)
    actual = page.evaluate(
        "async words => { await PraxisatlasKatalog.ready();"
        " return words.map(w => PraxisatlasKatalog.splitCompound(w)); }",
        words,
    )
    differences = {w: (e, a) for w, e, a in zip(words, expected, actual, strict=True) if e != a}
    assert not differences


def test_python_and_browser_analyse_queries_alike(served_site: str, browser_page: Any) -> None:
    analyzer = GermanAnalyzer()
    texts = [
        "wer hat die E-Akte eingeführt",
        "wie viel kostet ein Telenotarzt?",
        "Gibt es Rufbusse in Bayern",
        "„Schul-IT“ (Landkreis) 2021",
        "welche Kreise haben Glasfaser, Breitband & KI",
    ]
    page = browser_page
    open_katalog(page, served_site)
    actual = page.evaluate(
        "async texts => { await PraxisatlasKatalog.ready();"
        " return texts.map(t => PraxisatlasKatalog.analyse(t).map(w => w.stem)); }",
        texts,
    )
    assert actual == [analyzer.terms(text) for text in texts]
