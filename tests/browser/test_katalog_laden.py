"""How the catalogue page loads (issues 14 and 19): nothing moves when the script runs,
the scripts are deferred and minified, and the downloads a search needs start early
without being fetched twice."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

import pytest

from praxisatlas.search.page import asset
from tests.browser.test_katalog import result_ids, wait_ready

pytestmark = pytest.mark.browser

# Layout-shift entries since navigation (buffered), without those after user input.
OBSERVE_SHIFTS = """
window.__shifts = [];
new PerformanceObserver(list => {
  for (const e of list.getEntries()) if (!e.hadRecentInput) window.__shifts.push(e.value);
}).observe({type: 'layout-shift', buffered: true});
"""
POSITIONS = """() => Object.fromEntries(['#pa-liste', '#pa-anzahl', '#pa-q', '#pa-vorschlag']
  .map(s => [s, Math.round(document.querySelector(s).getBoundingClientRect().top)]))"""


@pytest.mark.parametrize("width", [390, 1280])
def test_results_list_does_not_move_when_the_script_runs(
    served_site: str, browser: Any, width: int
) -> None:
    context = browser.new_context(viewport={"width": width, "height": 844}, locale="de-DE")
    page = context.new_page()
    page.add_init_script(OBSERVE_SHIFTS)
    held: list[Any] = []
    page.route("**/katalog/faelle.json", lambda route: held.append(route))
    page.goto(f"{served_site}katalog/", wait_until="domcontentloaded")
    page.wait_for_function("() => window.praxisatlasVorab && document.fonts.status === 'loaded'")
    page.wait_for_function(
        "() => getComputedStyle(document.querySelector('.pa-layout')).display === 'grid'"
    )
    before = page.evaluate(POSITIONS)
    assert page.is_visible("#pa-q") and page.is_visible(".pa-sortierung")
    assert not page.is_visible("#pa-ohne-js")
    assert held, "faelle.json wurde nicht angefordert"
    for route in held:
        route.continue_()
    wait_ready(page)
    page.wait_for_timeout(300)  # let the observer report the last frames
    after = page.evaluate(POSITIONS)
    shifts = page.evaluate("window.__shifts")
    context.close()
    assert {k: after[k] for k in ("#pa-liste", "#pa-anzahl", "#pa-q")} == {
        k: before[k] for k in ("#pa-liste", "#pa-anzahl", "#pa-q")
    }
    assert after["#pa-vorschlag"] >= before["#pa-vorschlag"] >= 844  # below the fold
    assert sum(shifts) <= 0.05, shifts


def test_scripts_are_deferred_minified_and_work(served_site: str, browser_page: Any) -> None:
    page = browser_page
    sizes: dict[str, int] = {}

    def record(response: Any) -> None:
        path = urlsplit(response.url).path
        if path.endswith(".js") and "/katalog/" in path:
            sizes[path.rsplit("/", 1)[-1]] = len(response.body())

    page.on("response", record)
    page.goto(f"{served_site}katalog/?q=Rettungswagen")
    wait_ready(page)
    assert result_ids(page) == ["telenotarzt-im-rettungsdienst"]
    deferred = page.eval_on_selector_all(
        "script[src]", "els => els.filter(s => s.src.endsWith('/katalog.js')).map(s => s.defer)"
    )
    assert deferred == [True]
    assert sizes["katalog.js"] < 0.8 * len(asset("katalog.js").encode())
    assert "// ---" not in page.evaluate("fetch('katalog.js').then(r => r.text())")
    assert sizes["lunr.js"] < 50_000  # about 98 KB unminified


def test_a_search_link_starts_its_downloads_early_and_fetches_each_once(
    served_site: str, browser_page: Any
) -> None:
    page = browser_page
    requested: list[str] = []
    page.on("request", lambda r: requested.append(urlsplit(r.url).path))
    page.goto(f"{served_site}katalog/?q=Rettungswagen")
    wait_ready(page)
    assert result_ids(page) == ["telenotarzt-im-rettungsdienst"]
    katalog = [p for p in requested if p.startswith("/katalog/")]
    assert len(katalog) == len(set(katalog)), katalog  # nothing fetched twice
    shards = [p for p in katalog if p.startswith("/katalog/suchindex/")]
    assert shards and "/katalog/suchindex.json" in katalog and "/katalog/lunr.js" in katalog
    # Started by the inline script while the page is parsed: before katalog.js (deferred)
    # could run, which is after parsing ends.
    started, parsed = page.evaluate(
        "[performance.getEntriesByName(new URL('suchindex.json', location).href)[0].startTime,"
        " performance.getEntriesByType('navigation')[0].domInteractive]"
    )
    assert started <= parsed


def test_searching_after_the_script_runs_fetches_each_file_once(
    served_site: str, browser_page: Any
) -> None:
    """Once katalog.js runs (and has fetched lunr.js when idle), the inline script starts
    nothing more: no second suchindex.json, no second lunr.js replacing window.lunr."""
    page = browser_page
    requested: list[str] = []
    page.on("request", lambda r: requested.append(urlsplit(r.url).path))
    page.goto(f"{served_site}katalog/")
    wait_ready(page)
    page.wait_for_function("() => window.lunr && window.lunr.de")  # fetched when idle
    page.fill("#pa-q", "Rettungswagen")
    wait_ready(page)
    assert result_ids(page) == ["telenotarzt-im-rettungsdienst"]
    katalog = [p for p in requested if p.startswith("/katalog/")]
    assert len(katalog) == len(set(katalog)), katalog


def test_typing_before_the_script_runs_is_searched(served_site: str, browser_page: Any) -> None:
    page = browser_page
    held: list[Any] = []
    page.route("**/katalog/katalog.js", lambda route: held.append(route))
    page.goto(f"{served_site}katalog/", wait_until="commit")
    page.wait_for_selector("#pa-q")
    page.fill("#pa-q", "Rettungswagen")  # the inline script starts the index downloads
    page.wait_for_function("() => window.praxisatlasVorab.meta")
    for route in held:
        route.continue_()
    wait_ready(page)
    assert result_ids(page) == ["telenotarzt-im-rettungsdienst"]
    assert "q=Rettungswagen" in page.url


def test_filter_panel_is_built_after_the_first_results(served_site: str, browser_page: Any) -> None:
    """The first results do not wait for the filter panel's checkboxes (issue 14)."""
    page = browser_page
    page.add_init_script(
        """window.__order = [];
        new MutationObserver(() => {
          for (const [name, sel] of [['treffer', '.pa-treffer'], ['facette', '.pa-facette']])
            if (!window.__order.includes(name) && document.querySelector(sel))
              window.__order.push(name);
        }).observe(document, {subtree: true, childList: true});"""
    )
    page.goto(f"{served_site}katalog/?status=pilot")
    wait_ready(page)
    assert page.evaluate("window.__order") == ["treffer", "facette"]
    # Filters from the URL are applied to the panel once it is built.
    assert page.is_checked(".pa-wert input[name='status'][value='pilot']")
    assert (
        int(page.inner_text("#pa-facette-status .pa-wert:has(input[value='pilot']) [data-anzahl]"))
        > 0
    )
