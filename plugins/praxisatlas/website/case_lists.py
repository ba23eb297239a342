"""Case lists on index pages: what an entry shows about a case, rendered once per depth.

``CaseItem`` is a case as a list shows it (title, summary, place, status, period);
``CaseLists`` renders lists of them with the ``_case_item`` template, reusing each
entry's HTML for pages at the same link depth. Used by the site pages and the home page.
"""

from __future__ import annotations

from dataclasses import dataclass

from markupsafe import Markup

from praxisatlas.cases.model import STATUSES, Case
from praxisatlas.cases.reference import Reference
from praxisatlas.website.render import environment


@dataclass(frozen=True)
class CaseItem:
    """What a case list on any index page shows about one case."""

    id: str
    url: str
    title: str
    summary: str
    place: str
    status: str
    period: str
    fictitious: bool


def case_item(case: Case, reference: Reference) -> CaseItem:
    return CaseItem(
        id=case.id,
        url=case.url,
        title=case.title,
        summary=case.summary,
        place=_place(case, reference),
        status=STATUSES[case.status],
        period=_period(case),
        fictitious=case.fictitious,
    )


def place_label(name: str, land_name: str | None) -> str:
    """ "Kreis Steinfurt, Nordrhein-Westfalen"; a city-state once ("Berlin", not
    "Berlin, Berlin"), and so any place that already is its Land."""
    if not land_name or name == land_name or name.endswith(f" {land_name}"):
        return name
    return f"{name}, {land_name}"


def _place(case: Case, reference: Reference) -> str:
    kreis = case.primary_kreis
    if kreis is not None:
        return place_label(kreis.label, reference.land_of(kreis).name)
    lead = next((o for o in case.organisations if o.role == "lead"), case.organisations[0])
    return place_label(lead.name, lead.land.name if lead.land else None)


def _period(case: Case) -> str:
    if case.end is not None:
        return f"{case.start.label} – {case.end.label}"
    if case.status in ("pilot", "regelbetrieb"):
        return f"seit {case.start.label}"
    return f"Beginn {case.start.label}"


class CaseLists:
    """Renders case lists; each entry is rendered once per link depth and then reused.

    A case appears on a dozen index pages; at 10,000 cases rendering (and escaping) every
    entry anew was the largest part of the generator's time.
    """

    def __init__(self) -> None:
        self._cache: dict[tuple[str, int, bool], str] = {}
        self._template = environment().get_template("_case_item.html.j2")

    def __call__(self, items: list[CaseItem], page_url: str, summaries: bool = True) -> Markup:
        depth = page_url.count("/")
        parts = []
        for item in items:
            key = (item.id, depth, summaries)
            html = self._cache.get(key)
            if html is None:
                html = self._template.render(c=item, page_url=page_url, summaries=summaries)
                self._cache[key] = html
            parts.append(html)
        return Markup('<ul class="pa-cases">\n' + "".join(parts) + "</ul>")
