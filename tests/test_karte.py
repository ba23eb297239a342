"""The Kreis map: shipped geometry, neighbours, the /karte/ page and the profiles' mini maps."""

from __future__ import annotations

import dataclasses
import gzip
import re
from collections import Counter
from functools import cache
from html.parser import HTMLParser
from pathlib import Path

import pytest

from praxisatlas.cases.reference import load_reference
from praxisatlas.opendata import data_page
from praxisatlas.output import SiteSettings
from praxisatlas.website import kreis_map, map_page
from praxisatlas.website.kreis_map import load_geometry, neighbours
from tests.factories import make_case, make_catalogue
from tests.test_exports import data_cases, data_catalogue

REPO = Path(__file__).resolve().parents[1]
ATTRIBUTION = "© GeoBasis-DE / BKG (2021), verändert"
KREIS_LINK = re.compile(r'<a href="\.\./kreise/(\d{5})/" id="k\d{5}"><title>([^<]+)</title>')


@cache
def karte_page() -> str:
    return map_page.render_page(data_catalogue())


def independent_kreis_counts() -> Counter[str]:
    """Cases per Kreis key, straight from the organisations of each case (every role)."""
    counts: Counter[str] = Counter()
    for case in data_cases():
        counts.update({org.kreis.ags for org in case.organisations if org.kreis})
    return counts


# --- the shipped geometry -----------------------------------------------------------------


def test_one_shape_per_current_kreis_none_missing_none_extra() -> None:
    geometry = load_geometry()
    current = {kreis.ags for kreis in load_reference().current_kreise}
    assert len(current) == 400
    assert set(geometry.rings) == current
    assert "16056" not in geometry.rings  # Eisenach is part of the Wartburgkreis
    for ags in current:
        assert geometry.path(ags).startswith("M"), ags


def test_rings_close_and_shared_borders_are_one_arc_run_both_ways() -> None:
    """No slivers or gaps: two neighbours draw their border from the very same points."""
    geometry = load_geometry()
    uses: Counter[int] = Counter()
    directions: dict[int, set[bool]] = {}
    for rings in geometry.rings.values():
        for ring in rings:
            points = geometry.ring_points(ring)
            assert points[0] == points[-1] and len(points) >= 4
            for arc in ring:
                index = arc if arc >= 0 else ~arc
                uses[index] += 1
                directions.setdefault(index, set()).add(arc >= 0)
    assert set(uses) == set(range(len(geometry.arcs)))  # no unused arc
    assert max(uses.values()) == 2
    for index, count in uses.items():
        if count == 2:  # an inner border: once forwards, once backwards (opposite sides)
            assert directions[index] == {True, False}, index
    for index, owners in geometry.arc_owners().items():
        assert len(owners) == uses[index]  # a border between two different Kreise


def test_geometry_is_projected_rounded_and_small() -> None:
    geometry = load_geometry()
    path = REPO / "plugins" / "praxisatlas" / "data" / kreis_map.GEOMETRY_FILE
    assert path.stat().st_size < 200_000
    # EPSG:25832 at 200 m: Germany is about 640 x 870 km.
    assert 3000 < geometry.width < 3400 and 4100 < geometry.height < 4500
    assert all(isinstance(c, int) for arc in geometry.arcs for p in arc for c in p)


def test_attribution_in_the_package_data_readme() -> None:
    readme = (REPO / "plugins" / "praxisatlas" / "data" / "README.md").read_text("utf-8")
    assert ATTRIBUTION in readme and "dl-de/by-2-0" in readme and "16063" in readme


# --- neighbours ---------------------------------------------------------------------------


def test_neighbours_of_known_kreise() -> None:
    found = neighbours()
    # Region Hannover: the eight Landkreise around it (Wolfsburg, Hannover's old city
    # neighbours Braunschweig and Salzgitter do not touch it).
    assert set(found["03241"]) == {
        "03151",  # Gifhorn
        "03157",  # Peine
        "03252",  # Hameln-Pyrmont
        "03254",  # Hildesheim
        "03256",  # Nienburg (Weser)
        "03257",  # Schaumburg
        "03351",  # Celle
        "03358",  # Heidekreis
    }
    # Berlin: Potsdam and the eight Brandenburg Landkreise on its edge.
    assert set(found["11000"]) == {
        "12054",
        "12060",
        "12061",
        "12063",
        "12064",
        "12065",
        "12067",
        "12069",
        "12072",
    }
    # Bremerhaven: Cuxhaven, Wesermarsch across the Weser, and the city of Bremen, whose
    # overseas port area lies inside Bremerhaven.
    assert found["04012"] == ("03352", "03461", "04011")
    # The merged Wartburgkreis has Eisenach's neighbours, and Eisenach is gone.
    assert {"06632", "06636", "16064", "16066", "16067"} <= set(found["16063"])
    assert all("16056" not in others for others in found.values())


def test_neighbourhood_is_symmetric_and_everyone_has_a_neighbour() -> None:
    found = neighbours()
    for ags, others in found.items():
        assert others, ags
        assert ags not in others
        for other in others:
            assert ags in found[other], (ags, other)


def test_land_borders_are_the_arcs_between_two_laender_or_at_the_edge() -> None:
    geometry = load_geometry()
    owners = geometry.arc_owners()
    borders = set(geometry.land_border_arcs())
    between = {
        frozenset(owner[:2] for owner in kreise): arc
        for arc, kreise in owners.items()
        if len(kreise) == 2
    }
    assert between[frozenset({"11", "12"})] in borders  # Berlin | Brandenburg
    hannover_hildesheim = next(a for a, k in owners.items() if k == {"03241", "03254"})
    assert hannover_hildesheim not in borders
    assert all(len(owners[arc]) == 1 or len({k[:2] for k in owners[arc]}) == 2 for arc in borders)


# --- the map page -------------------------------------------------------------------------


def test_kreise_with_cases_are_links_named_with_their_count() -> None:
    page = karte_page()
    reference = load_reference()
    expected = independent_kreis_counts()
    links = dict(KREIS_LINK.findall(page))
    assert set(links) == set(expected)
    for ags, count in expected.items():
        noun = "Fall" if count == 1 else "Fälle"
        assert links[ags] == f"{reference.kreis_by_ags[ags].label}: {count} {noun}"
    # Every other Kreis is drawn, unlinked, inside the hidden group, with its tooltip.
    drawn = set(re.findall(r'id="k(\d{5})"', page))
    assert drawn == {k.ags for k in reference.current_kreise}
    assert '<path id="k16063" class="s0" d="M' in page
    assert "<title>Wartburgkreis: 0 Fälle</title>" in page


def test_colour_classes_follow_the_counts() -> None:
    catalogue = data_catalogue()
    page = map_page.render_page(catalogue)
    counts = map_page.kreis_counts(catalogue)
    legend = map_page.shades(max(counts.values()))
    classes = dict(re.findall(r'id="k(\d{5})"><title>[^<]*</title><path class="(s\d)"', page))
    classes |= dict(re.findall(r'<path id="k(\d{5})" class="(s\d)"', page))
    assert len(classes) == 400
    for ags, css in classes.items():
        shade = map_page.shade_of(counts[ags], legend)
        assert css == f"s{shade.level}" and shade.contains(counts[ags])
    assert {css for css in classes.values()} == {f"s{shade.level}" for shade in legend}


def test_few_count_ranges_take_the_darkest_levels() -> None:
    assert [s.level for s in map_page.shades(0)] == [0]
    assert [s.level for s in map_page.shades(1)] == [0, 4]
    assert [s.level for s in map_page.shades(2)] == [0, 3, 4]
    assert [s.level for s in map_page.shades(9)] == [0, 1, 2, 3, 4]


class _TableRows(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.rows: list[list[str]] = []
        self._cells: list[str] | None = None
        self._in_table = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "table" and ("id", "pa-karte-tabelle") in attrs:
            self._in_table = True
        elif self._in_table and tag == "tr":
            self.rows.append([])
        elif self._in_table and tag in ("th", "td"):
            self._cells = []

    def handle_endtag(self, tag: str) -> None:
        if tag == "table":
            self._in_table = False
        elif self._in_table and tag in ("th", "td") and self._cells is not None:
            self.rows[-1].append("".join(self._cells))
            self._cells = None

    def handle_data(self, data: str) -> None:
        if self._cells is not None:
            self._cells.append(data)


def table_rows(page: str) -> list[list[str]]:
    parser = _TableRows()
    parser.feed(page)
    return parser.rows


def test_table_is_the_text_alternative_with_the_same_counts() -> None:
    page = karte_page()
    reference = load_reference()
    head, *rows = table_rows(page)
    assert head == ["Kreis", "Land", "Fälle"]
    expected = independent_kreis_counts()
    assert {row[0]: int(row[2]) for row in rows} == {
        reference.kreis_by_ags[ags].label: n for ags, n in expected.items()
    }
    assert [int(row[2]) for row in rows] == sorted((int(row[2]) for row in rows), reverse=True)
    for row in rows:
        kreis = next(k for k in reference.current_kreise if k.label == row[0])
        assert row[1] == reference.land_of(kreis).name


def test_legend_classes_cover_every_count_without_gaps() -> None:
    for maximum in range(0, 60):
        legend = map_page.shades(maximum)
        assert legend[0].label == "0 Fälle"
        assert len(legend) <= 5
        covered = [n for shade in legend for n in range(shade.low, shade.high + 1)]
        assert covered == list(range(0, maximum + 1)), maximum


def test_legend_explains_the_count_and_every_class_in_words() -> None:
    page = karte_page()
    assert '<h2 id="karte-legende">Legende</h2>' in page
    assert "federführend, als Partner oder als Nachnutzer" in page
    maximum = max(independent_kreis_counts().values())
    for shade in map_page.shades(maximum):
        assert f"<span>{shade.label}</span>" in page


def test_attribution_on_the_map_page_and_the_open_data_page() -> None:
    catalogue = data_catalogue()
    assert ATTRIBUTION in map_page.render_page(catalogue)
    assert ATTRIBUTION in data_page.render_page(catalogue, SiteSettings())


def test_zoom_offers_every_land_inside_the_map() -> None:
    geometry = load_geometry()
    page = karte_page()
    options = re.findall(r'<option value="(-?\d+) (-?\d+) (\d+) (\d+)">([^<]+)</option>', page)
    assert len(options) == 17 and options[0][4] == "Ganz Deutschland"
    for x, y, w, h, _name in options[1:]:
        assert int(x) >= -map_page.PADDING and int(x) + int(w) <= geometry.width + map_page.PADDING
        assert int(y) >= -map_page.PADDING and int(y) + int(h) <= geometry.height + map_page.PADDING


def test_map_page_stays_small_when_every_kreis_has_cases() -> None:
    """≤ 150 KB gzip for the whole page: the table is bounded by the 400 Kreise, so the
    worst case is every Kreis with cases; the theme's frame adds about 15 KB."""
    reference = load_reference()
    base = make_case("fall")
    cases = []
    for kreis in reference.current_kreise:
        lead = dataclasses.replace(
            base.organisations[0],
            name=kreis.label,
            ags=kreis.ags,
            kreis=kreis,
            land=reference.land_of(kreis),
        )
        for i in range(3 if kreis.ags < "05" else 1):  # several legend classes
            case_id = f"fall-{kreis.ags}-{i}"
            cases.append(
                dataclasses.replace(
                    base, id=case_id, path=f"cases/{case_id}.md", organisations=(lead,)
                )
            )
    page = map_page.render_page(make_catalogue(*cases))
    assert len(KREIS_LINK.findall(page)) == 400
    assert len(gzip.compress(page.encode("utf-8"))) < 110_000


def test_generate_puts_the_page_in_the_nav_with_its_script() -> None:
    files = map_page.generate(data_catalogue(), SiteSettings())
    assert [(f.path, f.in_nav) for f in files] == [
        ("karte/index.md", True),
        ("karte/karte.js", False),
        ("karte/karte.css", False),
    ]
    page = str(files[0].content)
    assert '<script src="karte.js" defer></script>' in page
    assert '<link rel="stylesheet" href="karte.css">' in page
    assert "<style" not in page  # an inline style in body is invalid HTML (issue 19)


def test_stylesheet_colours_are_the_legend_colours() -> None:
    css = map_page.asset("karte.css")
    levels = dict(re.findall(r"\.pa-karte__svg \.s(\d)\{fill:(#[0-9a-f]{6})\}", css))
    assert levels == {str(i): fill for i, fill in enumerate(map_page.FILLS)}


# --- the Kreis profiles' mini maps --------------------------------------------------------


def test_mini_map_links_the_neighbours_with_cases() -> None:
    reference = load_reference()
    counts = dict.fromkeys((k.ags for k in reference.current_kreise), 0)
    counts |= {"03241": 2, "03254": 3, "03351": 1, "03101": 4}  # Braunschweig: no neighbour
    html = str(map_page.neighbour_map(reference, counts, "03241"))
    links = re.findall(r'<a href="\.\./(\d{5})/"><title>([^<]+)</title>', html)
    assert links == [
        ("03254", "Landkreis Hildesheim: 3 Fälle"),
        ("03351", "Landkreis Celle: 1 Fall"),
    ]
    listed = re.findall(r'<li><a href="\.\./(\d{5})/">([^<]+)</a>: ([^<]+)</li>', html)
    assert listed == [
        ("03351", "Landkreis Celle", "1 Fall"),
        ("03254", "Landkreis Hildesheim", "3 Fälle"),
    ]
    assert "<h3>Nachbarkreise mit Fällen</h3>" in html
    assert len(re.findall(r'<path fill="[^"]+" d="M', html)) == 8  # every neighbour drawn
    assert 'aria-label="Region Hannover: 2 Fälle (diese Seite)"' in html
    assert ATTRIBUTION in html


def test_mini_map_without_neighbours_with_cases_says_so() -> None:
    reference = load_reference()
    counts = dict.fromkeys((k.ags for k in reference.current_kreise), 0) | {"03241": 1}
    html = str(map_page.neighbour_map(reference, counts, "03241"))
    assert "<a href" not in html.split("<h3>")[0]
    assert "Keiner der 8 Nachbarkreise hat bisher einen Fall." in html


@pytest.mark.slow
def test_every_mini_map_is_at_most_10_kb() -> None:
    reference = load_reference()
    counts = {k.ags: 1 for k in reference.current_kreise}
    sizes = {
        ags: len(str(map_page.neighbour_map(reference, counts, ags)).encode("utf-8"))
        for ags in counts
    }
    largest = max(sizes, key=sizes.__getitem__)
    assert sizes[largest] <= 10_000, (largest, sizes[largest])
