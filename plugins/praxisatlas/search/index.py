"""The catalogue's two data files: a compact case list and a prebuilt lunr index.

Payload split (what the browser fetches, and when):

- ``katalog/faelle.json`` — loaded with the page: per case its id, title, summary, start,
  last review and its facet values as small integers into per-facet term tables. Enough to
  browse, filter, count and sort without a query.
- ``katalog/suchindex.json`` — loaded only when someone is about to search: a lunr 2.3.9
  index in lunr's own serialisation, shipped without the postings that ``fieldVectors``
  already imply (``compact_lunr_index``; ``katalog.js`` restores them exactly and hands the
  result to ``lunr.Index.load``), with

  * refs = the case's position in ``faelle.json`` ("0", "1", …), not the id or URL;
  * one-letter field names, boosts title ``t``^10, summary ``s``^5, organisations and
    places ``o``^3, topics/software/funding ``k``^2, body ``b``^1;
  * no term positions or other metadata (the catalogue shows summaries, not snippets);
  * the body reduced to its ``BODY_TERMS`` most characteristic distinct terms (term
    frequency × inverse document frequency over the corpus), each counted once: the
    body is long, repetitive prose; these terms find a case by what it is about, and the
    index stays small and cheap to build;
  * the German pipeline of ``german.py`` with the lunr-languages labels, so lunr.js
    resolves ``stemmer-de`` from ``lunr.de.js`` for queries.

The index is written directly in lunr's format instead of through lunr.py's ``Builder``:
the same BM25 scores (k1 = 1.2, b = 0.75, rounded to three decimals) at a fraction of the
cost; ``tests/test_search_index.py`` checks the result equals lunr.py's own build.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from praxisatlas.cases.catalogue import Catalogue
from praxisatlas.cases.collation import german_sort_key, in_title_order
from praxisatlas.cases.model import Case
from praxisatlas.search.german import SEARCH_PIPELINE_LABELS, GermanAnalyzer

LUNR_VERSION = "2.3.9"
FIELD_BOOSTS: dict[str, int] = {"t": 10, "s": 5, "o": 3, "k": 2, "b": 1}
BODY_TERMS = 48
_K1 = 1.2
_B = 0.75
_MARKDOWN_LINK = re.compile(r"\]\([^)]*\)")
_URL = re.compile(r"(?:https?|mailto):\S+")
_HEADING = re.compile(r"^#+\s.*$", re.MULTILINE)


@dataclass(frozen=True)
class IndexedCase:
    """A case's searchable text per field (already analysed into terms)."""

    ref: str
    fields: dict[str, list[str]]


def field_texts(case: Case, catalogue: Catalogue) -> dict[str, str]:
    """Plain text per index field (before analysis) — what a query can find."""
    vocabulary = catalogue.vocabulary
    places: list[str] = []
    for org in case.organisations:
        places.append(org.name)
        if org.kreis is not None:
            places.append(org.kreis.label)
        if org.land is not None:
            places.append(org.land.name)
    keywords = [vocabulary.topics[slug].label for slug in (*case.fields, *case.topics)]
    keywords += [
        vocabulary.ozg_themenfelder[s].label
        for s in case.ozg_themenfeld
        if s in vocabulary.ozg_themenfelder
    ]
    if case.software is not None and case.software.name:
        keywords.append(case.software.name)
    keywords += [f.programme for f in case.funding]
    return {
        "t": case.title,
        "s": case.summary,
        "o": " ".join(dict.fromkeys(places)),
        "k": " ".join(dict.fromkeys(keywords)),
        "b": body_text(case),
    }


def body_text(case: Case) -> str:
    """The body without section headings, link targets and URLs."""
    text = _HEADING.sub(" ", case.body)
    text = _MARKDOWN_LINK.sub("] ", text)
    text = _URL.sub(" ", text)
    parts = [text]
    if case.transferability:
        parts.append(case.transferability)
    parts += [outcome.text for outcome in case.outcomes]
    return "\n".join(parts)


def analyse(catalogue: Catalogue, analyzer: GermanAnalyzer) -> list[IndexedCase]:
    """Terms per field for every case, the body reduced to its most characteristic terms."""
    analysed: list[tuple[str, dict[str, list[str]], Counter[str]]] = []
    body_df: Counter[str] = Counter()
    for position, case in enumerate(in_title_order(catalogue)):
        texts = field_texts(case, catalogue)
        fields = {name: analyzer.terms(texts[name]) for name in FIELD_BOOSTS if name != "b"}
        body = Counter(analyzer.terms(texts["b"]))
        body_df.update(body.keys())
        analysed.append((str(position), fields, body))
    total = max(len(analysed), 1)
    result = []
    for doc_ref, fields, body in analysed:
        ranked = sorted(
            body.items(),
            key=lambda item: (-item[1] * math.log(total / body_df[item[0]] + 1), item[0]),
        )
        fields["b"] = [term for term, _ in ranked[:BODY_TERMS]]
        result.append(IndexedCase(doc_ref, fields))
    return result


def _idf(documents_with_term: int, document_count: int) -> float:
    """``lunr.idf``."""
    x = (document_count - documents_with_term + 0.5) / (documents_with_term + 0.5)
    return math.log(1 + abs(x))


def serialise_lunr_index(documents: Iterable[IndexedCase]) -> dict[str, Any]:
    """A lunr 2.3.9 serialised index of already analysed documents (no metadata)."""
    docs = list(documents)
    field_names = list(FIELD_BOOSTS)
    term_index: dict[str, int] = {}
    postings: dict[str, dict[str, dict[str, dict[str, object]]]] = {}
    frequencies: list[tuple[str, str, Counter[str], int]] = []
    lengths: dict[str, int] = dict.fromkeys(field_names, 0)
    for doc in docs:
        for name in field_names:
            terms = doc.fields.get(name, [])
            lengths[name] += len(terms)
            counts = Counter(terms)
            for term in terms:  # first-occurrence order decides lunr's term index
                if term not in term_index:
                    term_index[term] = len(term_index)
                    postings[term] = {f: {} for f in field_names}
                postings[term][name][doc.ref] = {}
            frequencies.append((doc.ref, name, counts, len(terms)))
    count = len(docs)
    average = {name: (lengths[name] / count if count else 0.0) for name in field_names}
    idf_cache: dict[str, float] = {}
    vectors: list[list[Any]] = []
    for ref, name, counts, length in frequencies:
        if not counts:
            continue  # lunr keeps empty vectors; queries never read them
        boost = FIELD_BOOSTS[name]
        norm = _K1 * (1 - _B + _B * (length / average[name]))
        elements: list[tuple[int, float]] = []
        for term, tf in counts.items():
            idf = idf_cache.get(term)
            if idf is None:
                df = sum(len(docs_in_field) for docs_in_field in postings[term].values())
                idf = idf_cache[term] = _idf(df, count)
            score = idf * ((_K1 + 1) * tf) / (norm + tf) * boost
            elements.append((term_index[term], round(score, 3)))
        elements.sort()
        vectors.append([f"{name}/{ref}", [x for pair in elements for x in pair]])
    inverted = [[term, {"_index": term_index[term], **postings[term]}] for term in sorted(postings)]
    return {
        "version": LUNR_VERSION,
        "fields": field_names,
        "fieldVectors": vectors,
        "invertedIndex": inverted,
        "pipeline": list(SEARCH_PIPELINE_LABELS),
    }


def build_search_index(
    catalogue: Catalogue, analyzer: GermanAnalyzer | None = None
) -> dict[str, Any]:
    """The serialised lunr index of the whole catalogue (refs = positions in the case list)."""
    return serialise_lunr_index(analyse(catalogue, analyzer or GermanAnalyzer()))


def compact_lunr_index(serialised: dict[str, Any]) -> dict[str, Any]:
    """The index as shipped: lunr's serialisation with ``terms`` for ``invertedIndex``.

    Without metadata, a posting only says which field of which case has the term, and
    ``fieldVectors`` says that already. So the file keeps just the terms in ``_index`` order,
    and ``katalog.js`` (``expandIndex``) rebuilds ``invertedIndex`` exactly before handing
    the index to ``lunr.Index.load``. That halves the file (gzip: 307 -> 180 KB at 1,000
    synthetic cases) and the time to fetch and parse it, which is most of the wait for the
    first result; rebuilding takes the browser a few milliseconds.
    """
    terms = [""] * len(serialised["invertedIndex"])
    for term, posting in serialised["invertedIndex"]:
        if any(meta for field in serialised["fields"] for meta in posting[field].values()):
            raise ValueError(f"posting of {term!r} carries metadata; it cannot be rebuilt")
        terms[posting["_index"]] = term
    return {
        "version": serialised["version"],
        "fields": serialised["fields"],
        "fieldVectors": serialised["fieldVectors"],
        "terms": terms,
        "pipeline": serialised["pipeline"],
    }


def build_case_list(catalogue: Catalogue) -> dict[str, Any]:
    """``faelle.json``: what the catalogue needs to browse, filter, count and sort.

    ``facets`` lists each facet's non-empty terms in display order: the catalogue's, Kreise
    alphabetically (Unterthemen carry
    the position of their Handlungsfeld as ``p``); ``cases`` holds, per case,
    ``[id, title, summary, start, reviewed, [[term positions] per facet]]``, in title
    order (``in_title_order``; a case's position is its ref in the search index).
    """
    facets: list[dict[str, Any]] = []
    positions: dict[str, dict[str, int]] = {}
    vocabulary = catalogue.vocabulary
    for name, facet in catalogue.facets.items():
        terms = facet.nonempty()
        if name == "kreis":  # by name, not by key: people look for "Harburg", not "03353"
            terms = sorted(terms, key=lambda t: (german_sort_key(t.label), t.value))
        positions[name] = {term.value: i for i, term in enumerate(terms)}
        entries: list[dict[str, Any]] = []
        for term in terms:
            entry: dict[str, Any] = {"v": term.value, "l": term.label}
            if name == "thema":
                parent = vocabulary.topics[term.value].parent
                if parent is not None and parent in positions[name]:
                    entry["p"] = positions[name][parent]
            entries.append(entry)
        facets.append({"name": name, "label": facet.label, "terms": entries})
    cases = []
    for case in in_title_order(catalogue):
        values = [
            sorted(positions[name][v] for v in catalogue.values_of(case, name))
            for name in catalogue.facets
        ]
        cases.append(
            [case.id, case.title, case.summary, str(case.start), case.reviewed.isoformat(), values]
        )
    return {"facets": facets, "cases": cases}
