"""The catalogue and compare pages as generated Markdown/HTML, and their files."""

from __future__ import annotations

import dataclasses
import json
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml

from praxisatlas.cases.model import Effort, Software
from praxisatlas.output import SiteSettings
from praxisatlas.search.page import (
    COMPARE_ROWS,
    LUNR_FILES,
    asset,
    catalogue_page,
    compare_data,
    generate,
    minify_js,
    mkdocs_search_dir,
)
from tests.factories import make_case, make_catalogue

HOSTILE = '<script>alert("x")</script> {{ 7*7 }} [a](javascript:alert(1)) & "q"'


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))


def _tags(html: str) -> list[tuple[str, dict[str, str | None]]]:
    collector = _Collector()
    collector.feed(html)
    return collector.tags


def test_catalogue_page_size_does_not_grow_with_the_catalogue() -> None:
    """No inline list of every case (124 KB gzip at 5,000 cases before issue 14): without
    JavaScript the page links the static index pages, which list every case."""
    hostile = make_case("boese", title=HOSTILE, ags="09162")
    small = catalogue_page(make_catalogue(hostile, make_case("zweiter", ags="05162")))
    many = catalogue_page(
        make_catalogue(*(make_case(f"fall-{i:04d}", ags="09162") for i in range(300)))
    )
    assert "alert" not in small and "boese" not in small  # no contributed text at all
    assert len(many) - len(small) < 20  # only the count in the intro differs
    links = [a["href"] for tag, a in _tags(small) if tag == "a"]
    assert {"../themen/", "../laender/", "../kreise/", "../status/"} <= set(links)
    scripts = [a for tag, a in _tags(small) if tag == "script"]
    # The inline start-up script, then katalog.js deferred; lunr.js only for a search.
    assert scripts == [{}, {"src": "katalog.js", "defer": None}]


def test_catalogue_page_loads_its_style_before_and_its_script_after_the_content() -> None:
    """The stylesheet comes before the form (nothing is drawn unstyled, then moved); the
    inline script that shows the form runs before it is parsed; katalog.js is deferred."""
    page = catalogue_page(make_catalogue(make_case("a", ags="09162")))
    inline = page.index("<script>")
    assert inline < page.index('<link rel="stylesheet" href="katalog.css">') < page.index("<form")
    assert 'root.classList.remove("pa-ohne-skript")' in page[inline:]
    assert page.index('<script src="katalog.js" defer></script>') > page.index("</form>")
    assert (
        'data-teile="1"' in page
        and 'data-lunr="lunr.js lunr.stemmer.support.js lunr.de.js"' in page
    )


def test_filter_panel_is_left_to_javascript_but_the_page_is_complete() -> None:
    page = catalogue_page(make_catalogue(make_case("a", ags="09162")))
    assert '<div id="pa-facetten"></div>' in page
    assert 'type="checkbox"' not in page  # built by katalog.js from faelle.json
    front = yaml.safe_load(page.split("---\n")[1])
    assert page.startswith("---\n") and front["hide"] == ["navigation", "toc"]
    assert '<p class="pa-anzahl" id="pa-anzahl" role="status" aria-live="polite">1 Fall</p>' in page


def test_generate_ships_lunr_from_the_installed_mkdocs_minified() -> None:
    files = {f.path: f.content for f in generate(make_catalogue(make_case()), SiteSettings())}
    for name, source in LUNR_FILES.items():
        original = (mkdocs_search_dir() / source).read_text("utf-8")
        assert files[f"katalog/{name}"] == minify_js(original)
        assert len(str(files[f"katalog/{name}"])) < 0.7 * len(original)
    assert "lunr.Pipeline.registerFunction(lunr.de.stemmer,'stemmer-de')" in str(
        files["katalog/lunr.de.js"]
    )
    # Licence headers stay.
    assert str(files["katalog/lunr.js"]).startswith("/**\n * lunr - http://lunrjs.com")
    assert "@license MIT" in str(files["katalog/lunr.js"])
    assert "Copyright 2014, Mihai Valentin" in str(files["katalog/lunr.de.js"])
    shipped = str(files["katalog/katalog.js"])
    assert shipped == minify_js(asset("katalog.js")) and len(shipped) < 0.8 * len(
        asset("katalog.js")
    )
    assert files["katalog/katalog.css"] == asset("katalog.css")
    for name in ("faelle.json", "suchindex.json", "vergleich.json"):
        json.loads(files[f"katalog/{name}"])
    assert {"katalog/index.md", "katalog/vergleich/index.md", "katalog/katalog.js"} <= set(files)


def test_compare_data_has_one_value_per_row() -> None:
    case = dataclasses.replace(
        make_case("mit-software"),
        effort=Effort(cost="10000-50000", staff="1-3"),
        software=Software(open_source=True, name="Moodle", license="GPL-3.0-or-later"),
    )
    data = compare_data(make_catalogue(case))
    facts = dict(zip(COMPARE_ROWS, data["cases"]["mit-software"]["f"], strict=True))
    assert data["rows"] == list(COMPARE_ROWS)
    assert facts["Kosten"] == "10.000 € bis 50.000 €"
    assert facts["Dauer"] == ""
    assert facts["Software"] == "Moodle, Open Source, Lizenz GPL-3.0-or-later"
    assert facts["Status"] == "Pilotbetrieb"
    assert facts["Quellen"] == "1 Quelle"
    assert facts["Zeitraum"] == "seit 03/2022"


def test_compare_data_says_keine_angabe_and_has_no_nested_brackets() -> None:
    from praxisatlas.cases.model import Contact, Outcome

    missing = make_case("ohne-angaben")
    stated = dataclasses.replace(
        make_case("mit-angaben"),
        contact=Contact(function="Stabsstelle", open_to=()),
        outcomes=(Outcome(text="Weniger Papier", evidence="berichtet"),),
    )
    data = compare_data(make_catalogue(missing, stated))
    empty = dict(zip(COMPARE_ROWS, data["cases"]["ohne-angaben"]["f"], strict=True))
    given = dict(zip(COMPARE_ROWS, data["cases"]["mit-angaben"]["f"], strict=True))
    assert empty["Offen für"] == empty["Software"] == ""  # shown as "keine Angabe"
    assert given["Offen für"] == "nein"
    assert given["Ergebnisse"] == "Weniger Papier – berichtet (ohne Messung)"


@pytest.mark.slow
def test_built_pages_carry_the_header_form_and_no_search_index(tmp_path: Path) -> None:
    from tests.sitebuild import build_site

    site = build_site(tmp_path, catalogue=make_catalogue(make_case("ein-fall")), strict=False)
    case_html = (site / "faelle" / "ein-fall" / "index.html").read_text("utf-8")
    forms = [a for tag, a in _tags(case_html) if tag == "form" and "pa-kopfsuche" in str(a)]
    assert forms == [
        {
            "class": "pa-kopfsuche",
            "role": "search",
            "aria-label": "Suche",
            "action": "../../katalog/",
            "method": "get",
        }
    ]
    assert 'name="q"' in case_html and 'for="pa-kopfsuche-q"' in case_html
    assert "search_index.json" not in case_html and "lunr" not in case_html
    assert not (site / "search").exists()
    assert (site / "katalog" / "suchindex.json").is_file()
