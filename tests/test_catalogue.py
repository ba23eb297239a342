from __future__ import annotations

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
