"""The prebuilt index: lunr's own format and scores, small, consistent with the case list."""

from __future__ import annotations

import datetime as dt
import json
from functools import cache
from typing import Any

import pytest
from lunr.builder import Builder
from lunr.index import Index
from lunr.pipeline import Pipeline

from praxisatlas.cases.catalogue import Catalogue
from praxisatlas.cases.collation import german_sort_key, in_title_order
from praxisatlas.cases.pipeline import load_catalogue
from praxisatlas.search.german import GermanAnalyzer
from praxisatlas.search.index import (
    BODY_TERMS,
    FIELD_BOOSTS,
    analyse,
    build_case_list,
    build_search_index,
    compact_lunr_index,
    serialise_lunr_index,
)
from tests.browser.conftest import SITE_CASES
from tests.factories import make_case, make_catalogue


@cache
def catalogue() -> Catalogue:
    return load_catalogue(SITE_CASES, today=dt.date(2026, 11, 22))


def _plain(value: Any) -> Any:
    """lunr.py keeps defaultdicts and tuples; compare as JSON."""
    return json.loads(json.dumps(value))


def test_index_equals_lunr_py_build_of_the_same_terms() -> None:
    documents = analyse(catalogue(), GermanAnalyzer())
    ours = serialise_lunr_index(documents)
    builder = Builder()
    builder.ref("ref")
    for name, boost in FIELD_BOOSTS.items():
        builder.field(name, boost)
    for doc in documents:
        # A list is tokenised as-is (one token per element): the pipeline is ours.
        builder.add({"ref": doc.ref, **{name: doc.fields[name] for name in FIELD_BOOSTS}})
    theirs = _plain(builder.build().serialize())
    assert ours["fields"] == theirs["fields"]
    assert ours["invertedIndex"] == theirs["invertedIndex"]
    # lunr.py also serialises empty field vectors, which no query ever reads.
    assert ours["fieldVectors"] == [v for v in theirs["fieldVectors"] if v[1]]
    assert ours["version"] == "2.3.9"
    assert ours["pipeline"] == ["stemmer-de"]


def _lunr_py_index(serialised: dict[str, Any]) -> Index:
    analyzer = GermanAnalyzer()

    def stemmer_de(token: Any, i: int | None = None, tokens: Any = None) -> Any:
        return token.update(lambda word, _meta: analyzer.stem(word))

    Pipeline.register_function(stemmer_de, "stemmer-de")
    return Index.load(json.loads(json.dumps(serialised)))


def test_index_loads_in_lunr_and_finds_inflected_forms() -> None:
    serialised = build_search_index(catalogue())
    ids = [case.id for case in in_title_order(catalogue())]
    index = _lunr_py_index(serialised)
    hits = [ids[int(hit["ref"])] for hit in index.search("schulen")]
    assert hits[0] == "tablets-fuer-die-schule"
    assert "glasfaser-fuer-gewerbegebiete" not in hits
    hits = [ids[int(hit["ref"])] for hit in index.search("rettungswagen")]
    assert hits == ["telenotarzt-im-rettungsdienst"]  # a body word


def test_title_outranks_body() -> None:
    title = make_case("a-titel", title="Fiktiver Fall: Breitband im Kreis", body=_body("Text."))
    body = make_case("b-text", title="Fiktiver Fall: Netze", body=_body("Breitband für alle."))
    serialised = build_search_index(make_catalogue(title, body))
    hits = _lunr_py_index(serialised).search("breitband")
    assert [hit["ref"] for hit in hits] == ["0", "1"]


def _body(text: str) -> str:
    return (
        f"## Ausgangslage\n\n{text}\n\n## Lösung\n\nX.\n\n"
        "## Ergebnisse\n\nY.\n\n## Erfahrungen\n\nZ.\n"
    )


def test_body_is_reduced_to_its_most_characteristic_terms() -> None:
    words = " ".join(f"Kx{chr(97 + i // 26)}{chr(97 + i % 26)}k" for i in range(200))
    case = make_case("lang", body=_body(words + " Besonderheit Besonderheit Besonderheit"))
    other = make_case("kurz", body=_body("Kxaak"))
    cat = make_catalogue(case, other)
    long_doc = analyse(cat, GermanAnalyzer())[list(cat.cases).index("lang")]
    assert len(long_doc.fields["b"]) == BODY_TERMS
    assert long_doc.fields["b"][0] == "besond"  # most frequent, rare elsewhere
    assert len(set(long_doc.fields["b"])) == BODY_TERMS


def test_link_targets_and_urls_are_not_indexed() -> None:
    case = make_case(
        "links",
        body=_body("Siehe [Bericht](https://example.org/geheimwort) und https://x.org/pfad"),
    )
    (doc,) = analyse(make_catalogue(case), GermanAnalyzer())
    assert "bericht" in doc.fields["b"]
    assert not [t for t in doc.fields["b"] if "geheim" in t or "pfad" in t or "org" in t]


def test_case_list_refs_and_facets_agree_with_the_catalogue() -> None:
    cat = catalogue()
    data = build_case_list(cat)
    # Title order; the search index's refs are these positions.
    assert [row[0] for row in data["cases"]] == [case.id for case in in_title_order(cat)]
    titles = [row[1] for row in data["cases"]]
    assert titles == sorted(titles, key=german_sort_key)
    analyzer = GermanAnalyzer()
    documents = analyse(cat, analyzer)
    assert [doc.ref for doc in documents] == [str(i) for i in range(len(data["cases"]))]
    for doc, row in zip(documents, data["cases"], strict=True):
        assert doc.fields["t"] == analyzer.terms(row[1])
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


def test_compact_index_keeps_everything_lunr_needs() -> None:
    """The shipped file drops the postings; they follow from the field vectors."""
    full = build_search_index(catalogue())
    compact = compact_lunr_index(full)
    assert "invertedIndex" not in compact
    assert compact["fieldVectors"] == full["fieldVectors"]
    rebuilt: dict[str, dict[str, Any]] = {
        term: {"_index": i, **{field: {} for field in compact["fields"]}}
        for i, term in enumerate(compact["terms"])
    }
    for name, elements in compact["fieldVectors"]:
        field, _, ref = name.partition("/")
        for term_index in elements[::2]:
            rebuilt[compact["terms"][term_index]][field][ref] = {}
    assert sorted(rebuilt.items()) == [tuple(entry) for entry in full["invertedIndex"]]
    full_size = len(json.dumps(full, separators=(",", ":")))
    assert len(json.dumps(compact, separators=(",", ":"))) < 0.7 * full_size


def test_compact_index_refuses_postings_with_metadata() -> None:
    full = build_search_index(catalogue())
    full["invertedIndex"][0][1]["t"]["0"] = {"position": [[0, 3]]}
    with pytest.raises(ValueError, match="metadata"):
        compact_lunr_index(full)


def test_case_list_orders_kreise_by_name() -> None:
    cat = make_catalogue(
        make_case("a", ags="09162"), make_case("b", ags="01001"), make_case("c", ags="03241")
    )
    kreise = next(f for f in build_case_list(cat)["facets"] if f["name"] == "kreis")
    labels = [t["l"] for t in kreise["terms"]]
    assert labels == ["Flensburg", "München", "Region Hannover"]


def test_index_is_deterministic() -> None:
    first = json.dumps(build_search_index(catalogue()), sort_keys=True)
    assert json.dumps(build_search_index(catalogue()), sort_keys=True) == first
