"""The Länder tile map: counts agree with the cases, tiles link and are named."""

from __future__ import annotations

import re
from collections import Counter

from praxisatlas.cases.reference import load_reference
from praxisatlas.output import SiteSettings
from praxisatlas.website import map_page
from tests.test_exports import data_cases, data_catalogue
from tests.test_statistics import read_tables


def independent_land_counts() -> Counter[str]:
    """Cases per Land name, straight from the organisations of each case."""
    reference = load_reference()
    counts: Counter[str] = Counter()
    for case in data_cases():
        codes = {org.land.code for org in case.organisations if org.land}
        counts.update(reference.land_by_code[code].name for code in codes)
    return counts


def test_every_land_has_one_tile_at_a_distinct_position() -> None:
    codes = {land.code for land in load_reference().laender}
    assert set(map_page.TILE_POSITIONS) == codes
    assert len(set(map_page.TILE_POSITIONS.values())) == 16
    # Rough geography: Schleswig-Holstein north of everything, Bayern south and east of BW.
    sh_row = map_page.TILE_POSITIONS["01"][1]
    assert all(row > sh_row for code, (_, row) in map_page.TILE_POSITIONS.items() if code != "01")
    assert map_page.TILE_POSITIONS["09"][0] > map_page.TILE_POSITIONS["08"][0]


def test_tiles_show_the_counts_and_link_with_accessible_names() -> None:
    page = map_page.render_page(data_catalogue())
    expected = independent_land_counts()
    links = re.findall(r'<a href="\.\./laender/([a-z-]+)/" aria-label="([^"]+)">', page)
    reference = load_reference()
    named = {reference.land_by_slug[slug].name: label for slug, label in links}
    assert set(named) == set(expected)  # exactly the Länder with cases are links
    for name, count in expected.items():
        noun = "Fall" if count == 1 else "Fälle"
        assert named[name] == f"{name}: {count} {noun}"
    # Länder without cases: a labelled, non-link tile.
    assert '<g role="img" aria-label="Saarland: 0 Fälle">' in page


def test_table_agrees_with_independent_counts() -> None:
    table = read_tables(map_page.render_page(data_catalogue()))["Fälle je Land"]
    assert len(table) == 16
    expected = independent_land_counts()
    assert {name: n for name, n in table.items() if n} == dict(expected)


def test_printed_tile_numbers_match_table() -> None:
    page = map_page.render_page(data_catalogue())
    svg = re.search(r'<svg xmlns="http://www.w3.org/2000/svg" class="pa-karte__svg".*?</svg>', page)
    assert svg
    shorts = re.findall(
        r'font-size="22" font-weight="bold" fill="[^"]+" aria-hidden="true">(\w\w)<', svg.group(0)
    )
    numbers = re.findall(r'font-size="26" fill="[^"]+" aria-hidden="true">([\d.]+)<', svg.group(0))
    reference = load_reference()
    by_short = {land.short: land.name for land in reference.laender}
    table = read_tables(page)["Fälle je Land"]
    assert {by_short[s]: int(n) for s, n in zip(shorts, numbers, strict=True)} == table


def test_legend_classes_cover_every_count_without_gaps() -> None:
    for maximum in range(0, 60):
        legend = map_page.shades(maximum)
        assert legend[0].label == "0"
        assert len(legend) <= 5
        covered = [n for shade in legend for n in range(shade.low, shade.high + 1)]
        assert covered == list(range(0, maximum + 1)), maximum


def test_tile_colour_follows_count_and_text_stays_readable() -> None:
    legend = map_page.shades(8)
    assert map_page.shade_of(0, legend).fill != map_page.shade_of(8, legend).fill
    for fill, text in {(s.fill, s.text) for s in legend}:
        assert _contrast(fill, text) >= 4.5, (fill, text)


def test_legend_is_text_not_only_colour() -> None:
    page = map_page.render_page(data_catalogue())
    assert "<strong>Legende</strong>" in page
    assert "0 Fälle</li>" in page and "1 Fall</li>" in page


def test_generate_puts_the_page_in_the_nav() -> None:
    files = map_page.generate(data_catalogue(), SiteSettings())
    assert [(f.path, f.in_nav) for f in files] == [("karte/index.md", True)]


def _luminance(hex_colour: str) -> float:
    channels = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def _contrast(a: str, b: str) -> float:
    high, low = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)
