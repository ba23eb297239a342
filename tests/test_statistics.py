"""The statistics page: its tables agree with counts computed here from the cases."""

from __future__ import annotations

import re
from collections import Counter
from html.parser import HTMLParser

from praxisatlas.cases.catalogue import Catalogue
from praxisatlas.cases.model import Case, PartialDate
from praxisatlas.cases.reference import load_reference
from praxisatlas.cases.vocabulary import load_vocabulary
from praxisatlas.output import SiteSettings
from praxisatlas.website import statistics_page
from praxisatlas.website.charts import Bar, bar_chart_svg, data_table
from tests.factories import make_case, make_catalogue
from tests.test_exports import data_cases, data_catalogue


class TableReader(HTMLParser):
    """Collect every table on a page: caption -> {row header text: number}."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: dict[str, dict[str, int]] = {}
        self._caption: str | None = None
        self._cell: list[str] | None = None
        self._row: list[str] = []
        self._in_caption = False
        self._text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "caption":
            self._in_caption, self._text = True, []
        elif tag in ("th", "td"):
            self._cell = []
        elif tag == "tr":
            self._row = []

    def handle_endtag(self, tag: str) -> None:
        if tag == "caption":
            self._in_caption = False
            self._caption = "".join(self._text)
            self.tables[self._caption] = {}
        elif tag in ("th", "td") and self._cell is not None:
            self._row.append("".join(self._cell))
            self._cell = None
        elif tag == "tr" and self._caption and len(self._row) == 2 and self._row[1] != "Fälle":
            self.tables[self._caption][self._row[0]] = int(self._row[1].replace(".", ""))

    def handle_data(self, data: str) -> None:
        if self._in_caption:
            self._text.append(data)
        if self._cell is not None:
            self._cell.append(data)


def read_tables(page: str) -> dict[str, dict[str, int]]:
    reader = TableReader()
    reader.feed(page)
    return reader.tables


def expected_counts(cases: list[Case]) -> dict[str, Counter[str]]:
    """Counts straight from the case objects, without the catalogue's facet code."""
    vocabulary = load_vocabulary()
    reference = load_reference()
    counts: dict[str, Counter[str]] = {
        key: Counter() for key in ("handlungsfeld", "land", "jahr", "status", "kreistyp", "groesse")
    }
    type_labels = {"landkreis": "Landkreis", "kreisfreie-stadt": "Kreisfreie Stadt"}
    status_labels = {
        "idee": "Idee",
        "planung": "In Planung",
        "pilot": "Pilotbetrieb",
        "regelbetrieb": "Regelbetrieb",
        "eingestellt": "Eingestellt",
    }
    for case in cases:
        fields = {vocabulary.field_of(topic).label for topic in case.topics}
        counts["handlungsfeld"].update(fields)
        codes = {org.land.code for org in case.organisations if org.land}
        counts["land"].update(reference.land_by_code[code].name for code in codes)
        counts["jahr"][str(case.start.year)] += 1
        counts["status"][status_labels[case.status]] += 1
        lead = next((o for o in case.organisations if o.role == "lead" and o.kreis), None)
        if lead and lead.kreis:
            counts["kreistyp"][type_labels[lead.kreis.type]] += 1
            population = lead.kreis.population_2018
            size = (
                "unter 100.000 Einwohner"
                if population < 100_000
                else "100.000 bis unter 250.000 Einwohner"
                if population < 250_000
                else "250.000 bis unter 500.000 Einwohner"
                if population < 500_000
                else "500.000 Einwohner und mehr"
            )
            counts["groesse"][size] += 1
    return counts


CAPTIONS = {
    "handlungsfeld": "Fälle je Handlungsfeld",
    "land": "Fälle je Land",
    "jahr": "Fälle je Startjahr",
    "status": "Fälle je Status",
    "kreistyp": "Fälle je Kreistyp",
    "groesse": "Fälle je Größenklasse",
}


def test_tables_agree_with_independent_counts() -> None:
    page = statistics_page.render_page(data_catalogue())
    tables = read_tables(page)
    assert set(CAPTIONS.values()) <= set(tables)
    for key, expected in expected_counts(data_cases()).items():
        table = tables[CAPTIONS[key]]
        shown = {label: count for label, count in table.items() if count}
        assert shown == dict(expected), key
    # Gaps between start years are shown as 0 (a continuous time axis).
    assert list(tables["Fälle je Startjahr"]) == [str(y) for y in range(2018, 2025)]
    assert tables["Fälle je Startjahr"]["2021"] == 0
    # Every Handlungsfeld and Land is listed, also without cases.
    assert len(tables["Fälle je Handlungsfeld"]) == 12
    assert len(tables["Fälle je Land"]) == 16
    assert tables["Fälle je Land"]["Saarland"] == 0


def test_each_chart_is_accessible_svg_with_the_table_numbers() -> None:
    page = statistics_page.render_page(data_catalogue())
    svgs = re.findall(r"<svg .*?</svg>", page, flags=re.S)
    assert len(svgs) == 6
    for svg in svgs:
        assert 'role="img"' in svg
        labelled = re.search(r'aria-labelledby="([^"]+)"', svg)
        assert labelled
        for ident in labelled.group(1).split():
            assert f'id="{ident}"' in svg
        assert "<title " in svg and "<desc " in svg
        assert "http" not in svg.replace("http://www.w3.org/2000/svg", "")
    land_svg = next(s for s in svgs if "Fälle je Land</title>" in s)
    assert "Hamburg: 1 Fall;" in land_svg
    assert "Saarland: 0 Fälle" in land_svg
    # Bar value labels: every number of the table is printed in the chart, in order.
    values = re.findall(r'font-weight="bold" fill="currentColor">([\d.]+)</text>', land_svg)
    assert [int(v) for v in values] == list(read_tables(page)["Fälle je Land"].values())


def test_table_rows_link_to_index_pages_only_when_there_are_cases() -> None:
    page = statistics_page.render_page(data_catalogue())
    assert '<a href="../laender/hamburg/">Hamburg</a>' in page
    assert '<a href="../laender/saarland/">' not in page
    assert '<a href="../themen/gesundheit-pflege/">' in page
    assert '<a href="../jahre/2019/">2019</a>' in page
    assert '<a href="../jahre/2021/">' not in page
    assert '<a href="../kreistypen/kreisfreie-stadt/">' in page
    assert '<a href="../groessen/ab-500000/">' in page
    assert '<a href="../status/idee/">' in page


def test_tables_have_caption_and_scoped_headers() -> None:
    table = str(data_table("Titel", "Land", [Bar("A & B", 3, "../x/"), Bar("<C>", 0)]))
    assert "<caption>Titel</caption>" in table
    assert '<th scope="col">Land</th>' in table
    assert '<th scope="row"><a href="../x/">A &amp; B</a></th>' in table
    assert '<th scope="row">&lt;C&gt;</th>' in table


def test_bar_lengths_are_proportional() -> None:
    svg = str(bar_chart_svg("t", "T", [Bar("a", 4), Bar("b", 2), Bar("c", 0)]))
    widths = re.findall(r'width="([\d.]+)" height="14" fill="#3949ab"', svg)
    assert [float(w) for w in widths] == [316.0, 158.0, 0.0]


def test_long_labels_wrap_inside_the_chart() -> None:
    long_label = "Ein sehr langer Name eines Handlungsfelds aus einem eigenen Vokabular mit Zusatz"
    svg = str(bar_chart_svg("t", "T", [Bar(long_label, 1), Bar("kurz", 2)]))
    lines = re.findall(r"<tspan [^>]*>([^<]*)</tspan>", svg)
    assert len(lines) == 2 and " ".join(lines) == long_label
    assert all(len(line) <= 44 for line in lines)
    viewbox = re.search(r'viewBox="0 0 360 (\d+)"', svg)
    assert viewbox and int(viewbox.group(1)) == 2 * 40 + 17
    assert ">kurz</text>" in svg


def test_notes_mention_cases_without_kreis_and_empty_catalogue_works() -> None:
    page = statistics_page.render_page(data_catalogue())
    assert "1 Fall ohne Kreis als Federführung" in page
    empty = statistics_page.render_page(Catalogue([], load_vocabulary(), load_reference()))
    assert "**0 Fälle**" in empty
    assert "Fälle je Startjahr" in empty and "Noch keine Fälle." in empty


def test_old_start_years_share_one_bar() -> None:
    cases = [
        make_case("alt", start=PartialDate(1978)),
        make_case("mitte", start=PartialDate(2010)),
        make_case("neu", start=PartialDate(2025, 2)),
        make_case("neu-zwei", start=PartialDate(2025)),
    ]
    bars = statistics_page._year_bars(make_catalogue(*cases))
    labels = [bar.label for bar in bars]
    assert labels == ["vor 2011", *(str(y) for y in range(2011, 2026))]
    assert bars[0].value == 2 and bars[0].href is None
    assert bars[-1].value == 2 and bars[-1].href == "../jahre/2025/"
    assert sum(bar.value for bar in bars) == len(cases)


def test_generate_puts_the_page_in_the_nav() -> None:
    files = statistics_page.generate(data_catalogue(), SiteSettings())
    assert [(f.path, f.in_nav) for f in files] == [("statistik/index.md", True)]
