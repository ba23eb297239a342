"""Live figures and the newest cases on the hand-written home page (``docs/index.md``).

The page contains the markers ``<!-- praxisatlas:kennzahlen -->`` and
``<!-- praxisatlas:neueste -->``; this page filter replaces them with HTML blocks.
"""

from __future__ import annotations

from praxisatlas.output import PageContext
from praxisatlas.website.case_lists import CaseLists, case_item
from praxisatlas.website.render import render

FIGURES_MARKER = "<!-- praxisatlas:kennzahlen -->"
NEWEST_MARKER = "<!-- praxisatlas:neueste -->"
NEWEST_LIMIT = 6


def fill_home_page(markdown: str, context: PageContext) -> str:
    """Replace the home-page markers (only in ``index.md``) with live content."""
    if context.src_path != "index.md":
        return markdown
    catalogue = context.catalogue
    if FIGURES_MARKER in markdown:
        figures = render(
            "home_figures.html.j2",
            cases=len(catalogue),
            kreise=len(catalogue.facets["kreis"].nonempty()),
            laender=len(catalogue.facets["land"].nonempty()),
            topics=len(catalogue.facets["thema"].nonempty()),
            page_url="",
        )
        markdown = markdown.replace(FIGURES_MARKER, "\n" + figures + "\n")
    if NEWEST_MARKER in markdown:
        items = [case_item(c, catalogue.reference) for c in catalogue.newest(NEWEST_LIMIT)]
        newest = render("home_newest.html.j2", cases=items, page_url="", case_list=CaseLists())
        markdown = markdown.replace(NEWEST_MARKER, "\n" + newest + "\n")
    return markdown
