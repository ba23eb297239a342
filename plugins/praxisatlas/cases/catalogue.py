"""The catalogue: all validated cases plus the facets that index them.

Facet -> Term -> case ids, in the spirit of Hugo's taxonomies. Every index page,
the catalogue filters, the statistics and the exports read the same facets, so a
count shown anywhere is the same count.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from praxisatlas.cases.model import NOT_STATED, STATUSES, Case, yes_no
from praxisatlas.cases.problems import Problem
from praxisatlas.cases.reference import COUNTY_TYPE_LABELS, POPULATION_CLASS_LABELS, Reference
from praxisatlas.cases.vocabulary import Vocabulary


@dataclass
class Term:
    """One value of a facet and the ids of the cases that have it (sorted)."""

    value: str
    label: str
    case_ids: list[str] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.case_ids)


@dataclass
class Facet:
    """A way to slice the catalogue; terms keep a fixed, meaningful order."""

    name: str
    label: str
    terms: dict[str, Term]

    def nonempty(self) -> list[Term]:
        return [t for t in self.terms.values() if t.case_ids]


# Facet names are part of the catalogue page's URL state: keep them stable.
FACET_LABELS: dict[str, str] = {
    "thema": "Thema",
    "land": "Land",
    "kreis": "Kreis",
    "kreistyp": "Kreistyp",
    "groesse": "Größe (Einwohner)",
    "status": "Status",
    "jahr": "Startjahr",
    "austausch": "Offen für Austausch",
    "opensource": "Open Source",
    "bestaetigt": "Von der Verwaltung bestätigt",
}
# A yes/no facet counts "keine Angabe" on its own: missing is not "nein".
NOT_STATED_VALUE = "keine-angabe"
YES_NO = {"ja": "ja", "nein": "nein", NOT_STATED_VALUE: NOT_STATED}


class Catalogue:
    """Immutable after construction: cases by id and every facet."""

    def __init__(
        self,
        cases: Iterable[Case],
        vocabulary: Vocabulary,
        reference: Reference,
        today: dt.date | None = None,
        warnings: Iterable[Problem] = (),
    ) -> None:
        # Problems that do not stop a build (shown, and fatal under --strict).
        self.warnings: tuple[Problem, ...] = tuple(warnings)
        self.cases: dict[str, Case] = {c.id: c for c in sorted(cases, key=lambda c: c.id)}
        self.vocabulary = vocabulary
        self.reference = reference
        # "today" decides the "veraltet" note; injectable so builds and tests are reproducible.
        self.today = today or dt.date.today()
        self.facets: dict[str, Facet] = {name: self._build_facet(name) for name in FACET_LABELS}

    def __len__(self) -> int:
        return len(self.cases)

    def __iter__(self):  # type: ignore[no-untyped-def]
        return iter(self.cases.values())

    def newest(self, limit: int) -> list[Case]:
        """Newest by start, then most recently reviewed, then id (stable)."""
        ordered = sorted(self.cases.values(), key=lambda c: c.id)
        ordered.sort(key=lambda c: (c.start, c.reviewed), reverse=True)
        return ordered[:limit]

    def values_of(self, case: Case, facet: str) -> list[str]:
        """The facet values a case has (a case in an Unterthema is in its Handlungsfeld too)."""
        return _EXTRACTORS[facet](case)

    def _build_facet(self, name: str) -> Facet:
        terms = {value: Term(value, label) for value, label in self._term_order(name)}
        for case in self.cases.values():
            for value in self.values_of(case, name):
                if value not in terms:  # years and Kreise appear only when used
                    terms[value] = Term(value, self._label(name, value))
                terms[value].case_ids.append(case.id)
        if name in ("jahr",):
            terms = dict(sorted(terms.items(), reverse=True))
        return Facet(name, FACET_LABELS[name], terms)

    def _term_order(self, name: str) -> list[tuple[str, str]]:
        if name == "thema":
            return [(t.slug, t.label) for t in self.vocabulary.topics.values()]
        if name == "land":
            return [(land.slug, land.name) for land in self.reference.laender_by_name]
        if name == "kreis":
            return [(k.ags, k.label) for k in self.reference.current_kreise]
        if name == "kreistyp":
            return list(COUNTY_TYPE_LABELS.items())
        if name == "groesse":
            return list(POPULATION_CLASS_LABELS.items())
        if name == "status":
            return list(STATUSES.items())
        if name in ("austausch", "opensource", "bestaetigt"):
            return list(YES_NO.items())
        return []

    def _label(self, name: str, value: str) -> str:
        if name == "kreis":
            return self.reference.kreis_by_ags[value].label
        return value


def _topic_values(case: Case) -> list[str]:
    return list(dict.fromkeys([*case.fields, *case.topics]))


def _yes_no_value(value: bool | None) -> str:
    return NOT_STATED_VALUE if value is None else yes_no(value)


_EXTRACTORS: dict[str, Callable[[Case], list[str]]] = {
    "thema": _topic_values,
    "land": lambda c: [land.slug for land in c.laender],
    "kreis": lambda c: [k.ags for k in c.kreise],
    "kreistyp": lambda c: [c.county_type] if c.county_type else [],
    "groesse": lambda c: [c.population_class] if c.population_class else [],
    "status": lambda c: [c.status],
    "jahr": lambda c: [str(c.start.year)],
    "austausch": lambda c: [_yes_no_value(c.open_to_exchange)],
    "opensource": lambda c: [_yes_no_value(c.open_source)],
    # A case is confirmed or it is not: never "keine Angabe".
    "bestaetigt": lambda c: ["ja" if c.confirmed else "nein"],
}
