"""Build valid ``Case`` objects in memory for unit tests (no files, no validator)."""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

from praxisatlas.cases.catalogue import Catalogue
from praxisatlas.cases.model import Case, Contact, Organisation, PartialDate, Source
from praxisatlas.cases.reference import load_reference
from praxisatlas.cases.vocabulary import load_vocabulary

TODAY = dt.date(2026, 11, 22)


def make_case(id: str = "beispiel-fall", ags: str = "05162", **overrides: Any) -> Case:
    reference = load_reference()
    vocabulary = load_vocabulary()
    kreis = reference.kreis_by_ags[ags[:5]]
    topics = overrides.pop("topics", ("e-akte",))
    case = Case(
        id=id,
        path=f"cases/{id}.md",
        title=f"Fiktiver Testfall {id}",
        summary="Ein fiktiver Fall für Tests.",
        organisations=(
            Organisation(
                role="lead",
                name=kreis.label,
                kind=kreis.type_label,
                ags=ags,
                kreis=kreis,
                land=reference.land_of(kreis),
            ),
        ),
        topics=tuple(topics),
        fields=tuple(dict.fromkeys(vocabulary.field_of(t).slug for t in topics)),
        status="pilot",
        start=PartialDate(2022, 3),
        contact=Contact(function="Stabsstelle Digitalisierung", email="digital@example.org"),
        sources=(Source(title="Testquelle", url="https://example.org/quelle"),),
        reviewed=dt.date(2026, 1, 15),
        license="CC-BY-4.0",
        body="## Ausgangslage\n\nText.\n\n## Lösung\n\nText.\n\n"
        "## Ergebnisse\n\nText.\n\n## Erfahrungen\n\nText.\n",
        fictitious=True,
    )
    return dataclasses.replace(case, **overrides)


def make_catalogue(*cases: Case) -> Catalogue:
    return Catalogue(cases, load_vocabulary(), load_reference(), today=TODAY)
