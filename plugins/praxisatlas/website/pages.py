"""Generate the German site pages: one page per case and an index per facet.

``generate(catalogue, settings)`` is registered in ``generators.GENERATORS``. Each page
is Markdown with front matter written here (never copied from a case) and HTML blocks
rendered by autoescaping Jinja templates; case bodies are inserted as Markdown.
"""

from __future__ import annotations

import functools
from collections import defaultdict
from typing import Any

from praxisatlas.cases.catalogue import Catalogue, Term
from praxisatlas.cases.collation import german_sort_key, in_title_order
from praxisatlas.cases.model import (
    COST_BANDS,
    DURATION_BANDS,
    EVIDENCE,
    LICENSE_URLS,
    LICENSES,
    OPEN_TO,
    ROLES,
    STAFF_BANDS,
    STATUSES,
    Case,
    Organisation,
)
from praxisatlas.cases.reference import KREIS_ATTRIBUTION, POPULATION_DATE, Kreis
from praxisatlas.cases.vocabulary import Topic
from praxisatlas.output import OutputFile, SiteSettings, json_for_script, page_front_matter
from praxisatlas.website import map_page
from praxisatlas.website.case_lists import CaseItem, CaseLists, case_item, place_label
from praxisatlas.website.render import render
from praxisatlas.website.sanitize import mark_body
from praxisatlas.website.similar import SimilarCases

SIMILAR_LIMIT = 5
SAME_KREIS_LIMIT = 5

# Facets with a simple "term → cases" page: (facet, URL prefix, heading of a term page).
SIMPLE_FACETS: dict[str, tuple[str, str, str]] = {
    "status": ("status", "Status", "Fälle nach Status"),
    "jahr": ("jahre", "Startjahr", "Fälle nach Startjahr"),
    "kreistyp": ("kreistypen", "Kreistyp", "Fälle nach Kreistyp"),
    "groesse": ("groessen", "Größenklasse", "Fälle nach Größe des Kreises"),
}
SIMPLE_FACET_INTROS: dict[str, str] = {
    "status": "Wie weit ist ein Vorhaben? Von der Idee bis zum Regelbetrieb – und auch "
    "eingestellte Vorhaben, aus denen sich lernen lässt.",
    "jahr": "Fälle nach dem Jahr, in dem das Vorhaben begonnen hat.",
    "kreistyp": "Fälle nach der Art des federführenden Kreises: Landkreis oder kreisfreie Stadt.",
    "groesse": "Fälle nach der Einwohnerzahl des federführenden Kreises "
    f"(Einwohner laut Destatis, Stand {POPULATION_DATE}).",
}

# What a term page must say beyond its heading: the date of the population figures.
SIMPLE_FACET_TERM_NOTES: dict[str, str] = {
    "groesse": f"Einwohnerzahl des federführenden Kreises laut Destatis, Stand {POPULATION_DATE} "
    "(die neueste amtliche Kreisliste, die dem Praxisatlas vorliegt).",
}


def page_url(path: str) -> str:
    """Site-relative URL of a generated page: ``themen/index.md`` → ``themen/``."""
    url = path.removesuffix("index.md").removesuffix(".md")
    return url + "/" if url and not url.endswith("/") else url


class SitePages:
    """Builds every page; per-case data used on many pages is computed once."""

    def __init__(self, catalogue: Catalogue, settings: SiteSettings) -> None:
        self.catalogue = catalogue
        self.settings = settings
        self.reference = catalogue.reference
        self.vocabulary = catalogue.vocabulary
        self.items = {case.id: case_item(case, self.reference) for case in catalogue.cases.values()}
        # Lists are alphabetical by title (then id, so equal titles stay in a fixed order).
        self._rank = {case.id: index for index, case in enumerate(in_title_order(catalogue))}
        self.similar = SimilarCases(catalogue)
        self.case_list = CaseLists()
        self._by_kreis: dict[str, list[CaseItem]] = {}
        self.adopted_by: dict[str, list[str]] = defaultdict(list)
        for case in catalogue.cases.values():
            for source_id in case.adopted_from:
                self.adopted_by[source_id].append(case.id)

    # -- shared pieces -------------------------------------------------------------------

    def case_items(self, ids: list[str]) -> list[CaseItem]:
        return [self.items[i] for i in sorted(ids, key=self._rank.__getitem__)]

    def _kreis_items(self, ags: str) -> list[CaseItem]:
        """The cases of a Kreis in list order (computed once per Kreis)."""
        items = self._by_kreis.get(ags)
        if items is None:
            items = self._by_kreis[ags] = self.case_items(self._term("kreis", ags).case_ids)
        return items

    def _term(self, facet: str, value: str) -> Term:
        return self.catalogue.facets[facet].terms[value]

    def _count(self, facet: str, value: str) -> int:
        term = self.catalogue.facets[facet].terms.get(value)
        return term.count if term else 0

    def _page(
        self, path: str, template: str, meta: dict[str, Any], in_nav: bool = False, **ctx: Any
    ) -> OutputFile:
        # Made when MkDocs reads the page, like the case pages below.
        def make() -> str:
            return render(template, page_url=page_url(path), case_list=self.case_list, **ctx)

        return OutputFile(
            path=path, source=make, in_nav=in_nav, front_matter=page_front_matter(meta)
        )

    # -- case pages ----------------------------------------------------------------------

    def case_page(self, case: Case) -> OutputFile:
        # The body is made when MkDocs reads the page, so the build never holds every
        # case page's Markdown at once.
        return OutputFile(
            path=f"faelle/{case.id}.md",
            source=lambda: self.case_page_body(case),
            front_matter=page_front_matter(self.case_page_meta(case)),
            case_id=case.id,  # the only page that shows the case's body
        )

    def case_page_meta(self, case: Case) -> dict[str, Any]:
        return {
            "description": case.summary,
            "jsonld": json_for_script(self.case_jsonld(case)),
            # Case pages stay out of Material's search index (see DESIGN.md §5).
            "search": {"exclude": True},
        }

    def case_page_body(self, case: Case) -> str:
        kreis = case.primary_kreis
        same_kreis: list[CaseItem] = []
        same_kreis_total = 0
        if kreis is not None:
            in_kreis = self._kreis_items(kreis.ags)
            same_kreis_total = len(in_kreis) - 1
            same_kreis = [i for i in in_kreis[: SAME_KREIS_LIMIT + 1] if i.id != case.id]
            same_kreis = same_kreis[:SAME_KREIS_LIMIT]
        similar = [self.items[c.id] for c in self.similar.for_case(case, SIMILAR_LIMIT)]
        path = f"faelle/{case.id}.md"
        context: dict[str, Any] = dict(
            page_url=page_url(path),
            case_list=self.case_list,
            case=case,
            item=self.items[case.id],
            organisations=[self._organisation(o) for o in case.organisations],
            topics=[self.vocabulary.topics[t] for t in case.topics],
            status_label=STATUSES[case.status],
            open_to=None
            if case.contact.open_to is None
            else [OPEN_TO[o] for o in case.contact.open_to],
            license_label=LICENSES.get(case.license, case.license),
            license_url=LICENSE_URLS.get(case.license, ""),
            stale=case.is_stale(self.settings.today),
            effort=self._effort(case),
            outcomes=[(o.text, EVIDENCE.get(o.evidence, o.evidence)) for o in case.outcomes],
            ozg=[
                self.vocabulary.ozg_themenfelder[s].label
                for s in case.ozg_themenfeld
                if s in self.vocabulary.ozg_themenfelder
            ],
            adopted_from=self._linked_cases(case.adopted_from),
            adopted_by=self._linked_cases(self.adopted_by.get(case.id, [])),
            related=self._linked_cases(case.related),
            similar=similar,
            kreis=kreis,
            same_kreis=same_kreis,
            same_kreis_total=same_kreis_total,
            edit_url=self._edit_url(case),
            case_issue_url=self.settings.contribute.case_issue_url(
                case.id, case.title, self._absolute(case.url)
            ),
            repository_url=self.settings.contribute.repository_url,
            confirm_url=self.settings.contribute.confirm_url(case.id, case.title),
        )
        # The body is the contributor's Markdown: rendered by MkDocs, never protected as
        # HTML, and cleaned after rendering (between the markers, see sanitize.py).
        return (
            render("case_head.md.j2", **context)
            + mark_body(case.body)
            + render("case_tail.md.j2", **context)
        )

    def _linked_cases(self, ids: list[str] | tuple[str, ...]) -> list[CaseItem]:
        return [self.items[i] for i in ids if i in self.items]

    def _organisation(self, org: Organisation) -> dict[str, Any]:
        kreis = org.kreis
        # Name the Kreis only when the organisation is not the Kreis itself.
        show_kreis = kreis is not None and org.name not in (kreis.label, kreis.name)
        # A city-state (or an organisation named after its Land) says its Land once.
        place = kreis.label if kreis is not None and show_kreis else org.name
        land = org.land
        if land is not None and place_label(place, land.name) == place:
            land = None
        return {
            "name": org.name,
            "kind": org.kind,
            "role": ROLES.get(org.role, org.role),
            "kreis": kreis,
            "show_kreis": show_kreis,
            "land": land,
        }

    @staticmethod
    def _effort(case: Case) -> list[tuple[str, str]]:
        effort = case.effort
        if effort is None:
            return []
        rows = [
            ("Kosten", COST_BANDS.get(effort.cost, effort.cost) if effort.cost else None),
            ("Personal", STAFF_BANDS.get(effort.staff, effort.staff) if effort.staff else None),
            (
                "Dauer bis zum Betrieb",
                DURATION_BANDS.get(effort.duration, effort.duration) if effort.duration else None,
            ),
            ("Anmerkung", effort.note),
        ]
        return [(label, value) for label, value in rows if value]

    def _absolute(self, url: str) -> str:
        site = self.settings.site_url
        return site.rstrip("/") + "/" + url if site else url

    def _edit_url(self, case: Case) -> str:
        template = self.settings.edit_url_template
        if not template:
            return ""
        filename = case.path.rsplit("/", 1)[-1]
        return template.format(filename=filename, id=case.id, path=case.path)

    def case_jsonld(self, case: Case) -> dict[str, Any]:
        data: dict[str, Any] = {
            "@context": "https://schema.org",
            "@type": "Article",
            "headline": case.title,
            "description": case.summary,
            "inLanguage": "de",
            "dateModified": case.reviewed.isoformat(),
            "about": [
                {"@type": "Thing", "name": self.vocabulary.topics[t].label} for t in case.topics
            ],
            "spatialCoverage": [
                {"@type": "AdministrativeArea", "name": k.label, "identifier": k.ags}
                for k in case.kreise
            ]
            or [{"@type": "AdministrativeArea", "name": land.name} for land in case.laender],
            "license": LICENSE_URLS.get(case.license, case.license),
        }
        if case.rights_holder:
            data["copyrightHolder"] = {"@type": "Organization", "name": case.rights_holder}
        if self.settings.site_url:
            data["url"] = self._absolute(case.url)
        return data

    # -- topic pages ---------------------------------------------------------------------

    def topic_pages(self) -> list[OutputFile]:
        fields = []
        for field in self.vocabulary.fields:
            children = [
                (topic, self._count("thema", topic.slug))
                for topic in self.vocabulary.children(field.slug)
                if not topic.deprecated or self._count("thema", topic.slug)
            ]
            count = self._count("thema", field.slug)
            if field.deprecated and not count:
                continue
            fields.append((field, count, children))
        pages = [
            self._page(
                "themen/index.md",
                "topics_index.md.j2",
                {
                    "description": "Alle Handlungsfelder und Unterthemen des Praxisatlas mit "
                    "der Zahl ihrer Fälle."
                },
                in_nav=True,
                fields=fields,
                total=len(self.catalogue),
            )
        ]
        for slug, topic in self.vocabulary.topics.items():
            term = self.catalogue.facets["thema"].terms.get(slug)
            if term is None or not term.case_ids:
                continue
            pages.append(self.topic_page(topic, term))
        return pages

    def topic_page(self, topic: Topic, term: Term) -> OutputFile:
        meta: dict[str, Any] = {"description": topic.description}
        parent: Topic | None = None
        children: list[tuple[Topic, int]] = []
        if topic.is_field:
            meta["alternate_feeds"] = [
                {
                    "title": f"Neue Fälle im Handlungsfeld {topic.label}",
                    "url": f"daten/feeds/themen/{topic.slug}.xml",
                }
            ]
            children = [
                (child, self._count("thema", child.slug))
                for child in self.vocabulary.children(topic.slug)
                if not child.deprecated or self._count("thema", child.slug)
            ]
        else:
            parent = self.vocabulary.topics[topic.parent] if topic.parent else None
        return self._page(
            f"themen/{topic.slug}.md",
            "topic.md.j2",
            meta,
            topic=topic,
            parent=parent,
            children=children,
            cases=self.case_items(term.case_ids),
        )

    # -- Länder and Kreise ---------------------------------------------------------------

    def land_pages(self) -> list[OutputFile]:
        kreise_by_land: dict[str, list[Kreis]] = defaultdict(list)
        for term in self.catalogue.facets["kreis"].nonempty():
            kreis = self.reference.kreis_by_ags[term.value]
            kreise_by_land[kreis.land_code].append(kreis)
        rows = [
            (land, self._count("land", land.slug), len(kreise_by_land.get(land.code, [])))
            for land in self.reference.laender_by_name
        ]
        pages = [
            self._page(
                "laender/index.md",
                "laender_index.md.j2",
                {"description": "Fälle des Praxisatlas nach Ländern."},
                in_nav=True,
                rows=rows,
            )
        ]
        for land, count, _ in rows:
            if not count:
                continue
            kreise = [
                (kreis, self._count("kreis", kreis.ags))
                for kreis in sorted(kreise_by_land.get(land.code, []), key=lambda k: k.label)
            ]
            meta = {
                "description": f"Gute Beispiele der Digitalisierung aus {land.name}.",
                "alternate_feeds": [
                    {
                        "title": f"Neue Fälle aus {land.name}",
                        "url": f"daten/feeds/laender/{land.slug}.xml",
                    }
                ],
            }
            pages.append(
                self._page(
                    f"laender/{land.slug}.md",
                    "land.md.j2",
                    meta,
                    land=land,
                    kreise=kreise,
                    cases=self.case_items(self._term("land", land.slug).case_ids),
                )
            )
        return pages

    def kreis_pages(self) -> list[OutputFile]:
        groups = []
        for land in self.reference.laender_by_name:
            kreise = sorted(
                (k for k in self.reference.current_kreise if k.land_code == land.code),
                key=lambda k: (german_sort_key(k.label), k.ags),
            )
            groups.append((land, [(k, self._count("kreis", k.ags)) for k in kreise]))
        with_cases = len(self.catalogue.facets["kreis"].nonempty())
        pages = [
            self._page(
                "kreise/index.md",
                "kreise_index.md.j2",
                {
                    "description": "Alle Landkreise und kreisfreien Städte Deutschlands mit der "
                    "Zahl ihrer Fälle im Praxisatlas."
                },
                in_nav=True,
                groups=groups,
                total=len(self.reference.current_kreise),
                with_cases=with_cases,
                attribution=KREIS_ATTRIBUTION,
            )
        ]
        counts = map_page.kreis_counts(self.catalogue)
        for term in self.catalogue.facets["kreis"].nonempty():
            kreis = self.reference.kreis_by_ags[term.value]
            pages.append(
                self._page(
                    f"kreise/{kreis.ags}.md",
                    "kreis.md.j2",
                    {"description": f"Gute Beispiele der Digitalisierung: {kreis.label}."},
                    kreis=kreis,
                    land=self.reference.land_of(kreis),
                    population_date=POPULATION_DATE,
                    size_label=self._term("groesse", kreis.population_class).label
                    if kreis.population_class in self.catalogue.facets["groesse"].terms
                    else kreis.population_class,
                    size_has_page=self._count("groesse", kreis.population_class) > 0,
                    type_has_page=self._count("kreistyp", kreis.type) > 0,
                    cases=self.case_items(term.case_ids),
                    # Drawn when the page is made (a build with its HTML cached never does).
                    neighbour_map=functools.partial(
                        map_page.neighbour_map, self.reference, counts, kreis.ags
                    ),
                )
            )
        return pages

    # -- status, year, county type, size -------------------------------------------------

    def simple_facet_pages(self, facet: str) -> list[OutputFile]:
        prefix, term_heading, index_heading = SIMPLE_FACETS[facet]
        terms = list(self.catalogue.facets[facet].terms.values())
        pages = [
            self._page(
                f"{prefix}/index.md",
                "facet_index.md.j2",
                {"description": f"{index_heading} im Praxisatlas."},
                in_nav=True,
                heading=index_heading,
                intro=SIMPLE_FACET_INTROS[facet],
                column=term_heading,
                terms=terms,
            )
        ]
        for term in terms:
            if not term.case_ids:
                continue
            pages.append(
                self._page(
                    f"{prefix}/{term.value}.md",
                    "facet_term.md.j2",
                    {"description": f"{term_heading}: {term.label} – Fälle im Praxisatlas."},
                    heading=f"{term_heading}: {term.label}",
                    index_heading=index_heading,
                    note=SIMPLE_FACET_TERM_NOTES.get(facet, ""),
                    cases=self.case_items(term.case_ids),
                )
            )
        return pages

    def all_pages(self) -> list[OutputFile]:
        pages = [self.case_page(case) for case in self.catalogue.cases.values()]
        pages += self.topic_pages()
        pages += self.land_pages()
        pages += self.kreis_pages()
        for facet in SIMPLE_FACETS:
            pages += self.simple_facet_pages(facet)
        return pages


def generate(catalogue: Catalogue, settings: SiteSettings) -> list[OutputFile]:
    """All site pages of the catalogue (registered in ``generators.GENERATORS``)."""
    return SitePages(catalogue, settings).all_pages()
