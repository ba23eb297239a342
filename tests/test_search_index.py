"""The sharded search index: every word findable, compounds split, scores ranked, shards
consistent with the term list, the case list consistent with the catalogue."""

from __future__ import annotations

import datetime as dt
import json
from functools import cache

from praxisatlas.cases.catalogue import Catalogue
from praxisatlas.cases.collation import german_sort_key, in_title_order
from praxisatlas.cases.pipeline import load_catalogue
from praxisatlas.search.german import GermanAnalyzer
from praxisatlas.search.index import (
    SearchIndex,
    build_case_list,
    build_search_index,
    shard_count,
    shard_of,
)
from tests.browser.conftest import SITE_CASES
from tests.factories import make_case, make_catalogue


@cache
def catalogue() -> Catalogue:
    return load_catalogue(SITE_CASES, today=dt.date(2026, 11, 22))


def _body(text: str) -> str:
    return (
        f"## Ausgangslage\n\n{text}\n\n## Lösung\n\nX.\n\n"
        "## Ergebnisse\n\nY.\n\n## Erfahrungen\n\nZ.\n"
    )


def _postings(index: SearchIndex, term: str) -> dict[int, int]:
    """Case position -> score, decoded as katalog.js decodes it."""
    flat = index.postings[index.terms.index(term)]
    result: dict[int, int] = {}
    position = 0
    for delta, score in zip(flat[::2], flat[1::2], strict=True):
        position += delta
        result[position] = score
    return result


def test_every_word_of_a_long_body_is_indexed() -> None:
    words = " ".join(f"Kx{chr(97 + i // 26)}{chr(97 + i % 26)}k" for i in range(200))
    case = make_case("lang", body=_body(words + " Rufbusse eingeführt"))
    index = build_search_index(make_catalogue(case, make_case("kurz")))
    for word in ("kxaak", "kxhrk", "rufbuss", "eingefuhrt"):
        assert word in index.terms, word


def test_status_topics_and_places_are_searchable_but_question_words_are_not() -> None:
    case = make_case("eingestellt", status="eingestellt", ags="09162")
    index = build_search_index(make_catalogue(case))
    for term in ("eingestellt", "munch", "bay", "akt"):
        assert any(t == term or t.startswith(term) for t in index.terms), term
    analyzer = GermanAnalyzer()
    assert analyzer.terms("wer hat die E-Akte eingeführt wie viel gibt es") == [
        "e",
        "akt",
        "eingefuhrt",
    ]


def test_compounds_add_their_parts_when_the_parts_are_words_of_the_catalogue() -> None:
    compound = make_case("kompositum", body=_body("Die Schulverwaltung arbeitet digital."))
    parts = make_case("teile", body=_body("Die Verwaltung der Schulen arbeitet digital."))
    index = build_search_index(make_catalogue(compound, parts))
    positions = {
        case.id: i for i, case in enumerate(in_title_order(make_catalogue(compound, parts)))
    }
    for term in ("schul", "verwalt"):
        assert positions["kompositum"] in _postings(index, term)
        assert positions["teile"] in _postings(index, term)
    assert positions["kompositum"] in _postings(index, "schulverwalt")


def test_title_outranks_body_and_phrases_are_indexed_from_title_and_summary() -> None:
    in_title = make_case("titel", title="Fiktiv: Breitband im Kreis")
    in_body = make_case("text", body=_body("Hier geht es auch um Breitband."))
    cat = make_catalogue(in_title, in_body)
    index = build_search_index(cat)
    positions = {case.id: i for i, case in enumerate(in_title_order(cat))}
    scores = _postings(index, "breitband")
    assert scores[positions["titel"]] > scores[positions["text"]]
    assert positions["titel"] in _postings(index, "breitband kreis")


def test_shards_hold_every_posting_once_in_term_order() -> None:
    index = build_search_index(catalogue())
    assert index.shards == shard_count(len(catalogue()))
    total = 0
    for k in range(index.shards):
        shard = index.shard(k)
        terms = [t for t in index.terms if shard_of(t, index.shards) == k]
        assert shard == [index.postings[index.terms.index(t)].tolist() for t in terms]
        total += len(shard)
    assert total == len(index.terms)
    assert index.terms == sorted(index.terms)
    # A prefix of three letters or more always lives in one shard.
    assert shard_of("schul", 125) == shard_of("schwarz", 125) == shard_of("sc", 125)
    assert shard_count(1) == 1 and shard_count(5000) == 125


def test_meta_lists_forms_synonyms_and_stop_words() -> None:
    meta = build_search_index(catalogue()).meta()
    assert len(meta["forms"]) == len(meta["terms"])
    assert "ki" in meta["synonyms"] and "kunstlich intelligenz" in meta["synonyms"]["ki"]
    assert "wer" in meta["stopwords"]


def test_case_list_refs_and_facets_agree_with_the_catalogue() -> None:
    cat = catalogue()
    data = build_case_list(cat)
    # Title order; the search index's refs are these positions.
    assert [row[0] for row in data["cases"]] == [case.id for case in in_title_order(cat)]
    titles = [row[1] for row in data["cases"]]
    assert titles == sorted(titles, key=german_sort_key)
    index = build_search_index(cat)
    for position, row in enumerate(data["cases"]):
        for term in GermanAnalyzer().terms(row[1]):
            assert position in _postings(index, term)
    names = [facet["name"] for facet in data["facets"]]
    assert names == list(cat.facets)
    for row in data["cases"]:
        case = cat.cases[row[0]]
        assert row[1:5] == [case.title, case.summary, str(case.start), case.reviewed.isoformat()]
        for facet, positions in zip(data["facets"], row[5], strict=True):
            values = {facet["terms"][p]["v"] for p in positions}
            assert values == set(cat.values_of(case, facet["name"]))
    topics = data["facets"][names.index("thema")]["terms"]
    for term in topics:
        if "p" in term:
            assert cat.vocabulary.topics[term["v"]].parent == topics[term["p"]]["v"]


def test_title_order_puts_umlauts_with_their_base_letter() -> None:
    cat = make_catalogue(
        make_case("z", title="Fiktiv: Zählerstände"),
        make_case("a", title="Fiktiv: Ämter online"),
        make_case("b", title="Fiktiv: Bürgerkonto"),
        make_case("c", title="Fiktiv: Anträge"),
    )
    # "Ämter" files under A (before "Anträge"), not after Z
    assert [case.id for case in in_title_order(cat)] == ["a", "c", "b", "z"]


def test_case_list_orders_kreise_by_name() -> None:
    cat = make_catalogue(
        make_case("a", ags="09162"), make_case("b", ags="01001"), make_case("c", ags="03241")
    )
    kreise = next(f for f in build_case_list(cat)["facets"] if f["name"] == "kreis")
    labels = [t["l"] for t in kreise["terms"]]
    assert labels == ["Flensburg", "München", "Region Hannover"]


def test_index_is_deterministic() -> None:
    first = json.dumps(build_search_index(catalogue()).meta(), sort_keys=True)
    again = build_search_index(catalogue())
    assert json.dumps(again.meta(), sort_keys=True) == first
    assert again.postings == build_search_index(catalogue()).postings
