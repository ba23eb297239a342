"""The statistics page ``/statistik/``: cases per Handlungsfeld, Land, year, status, type, size.

Every number comes from ``Catalogue.facets``, the same counts the index pages show. Each
section is an SVG bar chart plus a table of the same numbers (see ``charts.py``).
"""

from __future__ import annotations

from dataclasses import dataclass

from praxisatlas import text_de
from praxisatlas.cases.catalogue import Catalogue
from praxisatlas.cases.reference import POPULATION_DATE
from praxisatlas.output import OutputFile, SiteSettings, page_front_matter
from praxisatlas.website.charts import Bar, chart_block

PAGE_PATH = "statistik/index.md"
# Years shown one by one in the start-year chart; earlier ones share a bar.
YEAR_SPAN = 15


@dataclass(frozen=True)
class Section:
    """One chart: which facet, where its index pages live, and how to explain the count."""

    key: str
    heading: str
    column: str
    bars: list[Bar]
    note: str = ""


def _bars(
    catalogue: Catalogue, facet: str, url_dir: str, only: set[str] | None = None
) -> list[Bar]:
    """One bar per term, in the facet's order; empty terms have no index page to link."""
    return [
        Bar(term.label, term.count, f"../{url_dir}/{term.value}/" if term.count else None)
        for term in catalogue.facets[facet].terms.values()
        if only is None or term.value in only
    ]


def _year_bars(catalogue: Catalogue) -> list[Bar]:
    """Start years ascending: the last ``YEAR_SPAN`` years without gaps (years without
    cases shown as 0), older cases together in one "vor …" bar, so one early outlier
    does not stretch the chart over decades of empty years."""
    terms = catalogue.facets["jahr"].terms
    years = sorted(int(value) for value in terms if terms[value].count)
    if not years:
        return []
    first = max(years[0], years[-1] - YEAR_SPAN + 1)
    bars = []
    older = sum(terms[str(year)].count for year in years if year < first)
    if older:
        bars.append(Bar(f"vor {first}", older))
    for year in range(first, years[-1] + 1):
        term = terms.get(str(year))
        count = term.count if term else 0
        bars.append(Bar(str(year), count, f"../jahre/{year}/" if count else None))
    return bars


def sections(catalogue: Catalogue) -> list[Section]:
    """The page's charts, in reading order."""
    fields = {topic.slug for topic in catalogue.vocabulary.fields}
    without_kreis = sum(1 for case in catalogue if case.primary_kreis is None)
    kreis_note = (
        f" {text_de.count(without_kreis)} ohne Kreis als Federführung "
        "(z. B. Landesbehörden oder Zweckverbände) ist hier nicht enthalten."
        if without_kreis
        else ""
    )
    return [
        Section(
            "handlungsfeld",
            "Fälle je Handlungsfeld",
            "Handlungsfeld",
            _bars(catalogue, "thema", "themen", only=fields),
            "Ein Fall kann Themen aus mehreren Handlungsfeldern haben und zählt dann in "
            "jedem davon; die Summe kann deshalb größer sein als die Zahl der Fälle.",
        ),
        Section(
            "land",
            "Fälle je Land",
            "Land",
            _bars(catalogue, "land", "laender"),
            "Gezählt wird jedes Land, aus dem eine beteiligte Organisation kommt; ein "
            "länderübergreifender Fall zählt in jedem beteiligten Land.",
        ),
        Section(
            "jahr",
            "Fälle je Startjahr",
            "Startjahr",
            _year_bars(catalogue),
            "Das Jahr, in dem das Vorhaben begonnen hat; Jahre ohne Fälle mit 0, "
            f"Fälle mit Beginn vor den letzten {YEAR_SPAN} Jahren zusammengefasst.",
        ),
        Section(
            "status",
            "Fälle je Status",
            "Status",
            _bars(catalogue, "status", "status"),
            "Der Stand des Vorhabens bei der letzten redaktionellen Prüfung.",
        ),
        Section(
            "kreistyp",
            "Fälle je Kreistyp",
            "Kreistyp",
            _bars(catalogue, "kreistyp", "kreistypen"),
            "Maßgeblich ist der Kreis der federführenden Organisation." + kreis_note,
        ),
        Section(
            "groesse",
            "Fälle je Größenklasse",
            "Einwohnerzahl des Kreises",
            _bars(catalogue, "groesse", "groessen"),
            "Größenklasse des federführenden Kreises nach Einwohnerzahl "
            f"(Statistisches Bundesamt, Stand {POPULATION_DATE})." + kreis_note,
        ),
    ]


def render_page(catalogue: Catalogue) -> str:
    kreise = len(catalogue.facets["kreis"].nonempty())
    laender = len(catalogue.facets["land"].nonempty())
    total = len(catalogue)
    meta = {
        "title": "Statistik",
        "description": "Zahlen zum Praxisatlas – Fälle je Handlungsfeld, Land, Startjahr, "
        "Status, Kreistyp und Größenklasse.",
    }
    lines = [
        page_front_matter(meta) + "# Statistik",
        "",
        f"Der Praxisatlas enthält **{text_de.count(total)}** aus "
        f"{text_de.count(kreise, ('Kreis', 'Kreisen'))} in "
        f"{text_de.count(laender, ('Land', 'Ländern'))}. "
        "Jedes Diagramm zeigt dieselben Zahlen wie die Tabelle daneben; ein Klick auf einen "
        "Eintrag der Tabelle führt zu den Fällen. Wo die Fälle herkommen, zeigt die "
        "[Karte](../karte/index.md); alle Daten gibt es als [offene Daten](../daten/index.md).",
        "",
    ]
    for section in sections(catalogue):
        lines += [f"## {section.heading}", ""]
        if section.note:
            lines += [section.note, ""]
        if section.bars:
            block = chart_block(
                f"chart-{section.key}", section.heading, section.column, section.bars
            )
            lines += [str(block), ""]
        else:
            lines += ["Noch keine Fälle.", ""]
    return "\n".join(lines)


def generate(catalogue: Catalogue, settings: SiteSettings) -> list[OutputFile]:
    """The statistics page (in the navigation)."""
    del settings  # the page links relatively; nothing depends on the site URL
    return [OutputFile(PAGE_PATH, render_page(catalogue), in_nav=True)]
