from __future__ import annotations

from collections import Counter

from praxisatlas.cases.reference import load_reference

# conventions-de.md §5.4 (Destatis 2018, Thüringen corrected for the 2021 merger)
PER_LAND = {
    "01": (11, 4),
    "02": (0, 1),
    "03": (37, 8),
    "04": (0, 2),
    "05": (31, 22),
    "06": (21, 5),
    "07": (24, 12),
    "08": (35, 9),
    "09": (71, 25),
    "10": (6, 0),
    "11": (0, 1),
    "12": (14, 4),
    "13": (6, 2),
    "14": (10, 3),
    "15": (11, 3),
    "16": (17, 5),
}


def test_current_kreise_counts() -> None:
    ref = load_reference()
    current = ref.current_kreise
    assert len(current) == 400
    types = Counter(k.type for k in current)
    assert types == {"landkreis": 294, "kreisfreie-stadt": 106}


def test_per_land_counts() -> None:
    ref = load_reference()
    counts: dict[str, list[int]] = {code: [0, 0] for code in PER_LAND}
    for kreis in ref.current_kreise:
        counts[kreis.land_code][kreis.type == "kreisfreie-stadt"] += 1
    assert {code: tuple(v) for code, v in counts.items()} == PER_LAND


def test_keys_and_laender() -> None:
    ref = load_reference()
    assert len(ref.laender) == 16
    assert ref.land_by_code["16"].name == "Thüringen"
    for kreis in ref.kreise:
        assert len(kreis.ags) == 5 and kreis.ags.isdigit()
        assert kreis.land_code in ref.land_by_code
        assert "," not in kreis.name


def test_eisenach_merged_into_wartburgkreis() -> None:
    ref = load_reference()
    eisenach = ref.kreis_by_ags["16056"]
    assert not eisenach.current
    assert eisenach.valid_until == "2021-06-30"
    assert eisenach.successor == "16063"
    assert ref.kreis_by_ags["16063"].name == "Wartburgkreis"
    assert eisenach not in ref.current_kreise


def test_labels_disambiguate_city_and_county() -> None:
    ref = load_reference()
    assert ref.kreis_by_ags["09162"].label == "München"
    assert ref.kreis_by_ags["09184"].label == "Landkreis München"
    assert ref.kreis_by_ags["05162"].label == "Rhein-Kreis Neuss"
    assert ref.kreis_by_ags["01051"].label == "Kreis Dithmarschen"
    assert ref.kreis_by_ags["03241"].label == "Region Hannover"


def test_lookup_by_name_and_suggestions() -> None:
    ref = load_reference()
    assert [k.ags for k in ref.kreise_named("landkreis münchen")] == ["09184"]
    assert {k.ags for k in ref.kreise_named("München")} == {"09162", "09184"}
    assert "09184" in [k.ags for k in ref.suggest_kreise("Landkreis Munchen")]
    assert ref.find_land("Baden-Wuerttemberg") is ref.land_by_code["08"]
    assert ref.find_land("08") is ref.land_by_code["08"]


def test_population_classes() -> None:
    ref = load_reference()
    assert ref.kreis_by_ags["11000"].population_class == "ab-500000"
    assert ref.kreis_by_ags["07320"].population_class == "unter-100000"  # Zweibrücken


def test_either_county_prefix_finds_the_kreis() -> None:
    ref = load_reference()
    assert [k.ags for k in ref.kreise_named("Landkreis Lippe")] == ["05766"]  # "Kreis Lippe"
    assert [k.ags for k in ref.kreise_named("Kreis Harburg")] == ["03353"]  # "Landkreis Harburg"
    # A prefix never turns a kreisfreie Stadt into a match; the bare name stays ambiguous.
    assert [k.ags for k in ref.kreise_named("Kreis München")] == ["09184"]
    assert sorted(k.ags for k in ref.kreise_named("München")) == ["09162", "09184"]
