from __future__ import annotations

import dataclasses

from tests.factories import make_case, make_catalogue


def test_facets_count_cases_on_both_topic_levels() -> None:
    cat = make_catalogue(
        make_case("a", topics=("e-akte",)),
        make_case("b", ags="09162", topics=("e-rechnung", "open-data")),
    )
    thema = cat.facets["thema"].terms
    assert thema["verwaltung-digital"].case_ids == ["a", "b"]
    assert thema["e-akte"].case_ids == ["a"]
    assert thema["open-data"].case_ids == ["b"]
    assert cat.facets["land"].terms["bayern"].case_ids == ["b"]
    assert cat.facets["kreis"].terms["09162"].label == "München"
    assert cat.facets["kreistyp"].terms["kreisfreie-stadt"].count == 1
    assert cat.facets["jahr"].terms["2022"].count == 2
    assert len(cat.facets["kreis"].terms) == 400


def test_newest_is_deterministic() -> None:
    cat = make_catalogue(make_case("b"), make_case("a"))
    assert [c.id for c in cat.newest(5)] == ["a", "b"]


def test_stale_after_24_months() -> None:
    import datetime as dt

    case = make_case(reviewed=dt.date(2024, 11, 22))
    assert not case.is_stale(dt.date(2026, 11, 22))
    assert case.is_stale(dt.date(2026, 11, 23))


def test_yes_no_facets_count_missing_as_keine_angabe_not_nein() -> None:
    from praxisatlas.cases.model import Contact, Software

    contact = Contact(function="Stabsstelle Digitalisierung")
    catalogue = make_catalogue(
        make_case("ohne-angaben"),  # no software, no open_to
        make_case(
            "mit-nein",
            software=Software(open_source=False, name="Fachverfahren"),
            contact=dataclasses.replace(contact, open_to=()),
        ),
        make_case(
            "mit-ja",
            software=Software(open_source=True, name="LibreOffice"),
            contact=dataclasses.replace(contact, open_to=("telefonat",)),
        ),
    )
    for name in ("austausch", "opensource"):
        terms = catalogue.facets[name].terms
        assert [(t.value, t.label, t.case_ids) for t in terms.values()] == [
            ("ja", "ja", ["mit-ja"]),
            ("nein", "nein", ["mit-nein"]),
            ("keine-angabe", "keine Angabe", ["ohne-angaben"]),
        ]
