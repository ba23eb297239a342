"""The catalogue's data files: a compact case list and a sharded full-text index.

Payload split (what the browser fetches, and when):

- ``katalog/faelle.json`` — loaded with the page: per case its id, title, summary, start,
  last review and its facet values as small integers into per-facet term tables. Enough to
  browse, filter, count and sort without a query.
- ``katalog/suchindex.json`` — loaded when someone is about to search: the index
  vocabulary (every term, sorted; a word form per term for "Meinten Sie …"), the
  resolved synonym list, the extra stop words, the stems of the optional query words
  (``search_optional_words``) and the number of shards.
- ``katalog/suchindex/<k>.json`` — the postings, split into shards by the first two
  letters of each term (``shard_of``), fetched only for the terms a query needs: a query
  at 5,000 cases reads a few shards, not the whole index.

What is indexed: every word of title ``t``, summary ``s``, organisations and places ``o``
(names, Kreis, Land), keywords ``k`` (topic labels, status, OZG fields, software, funding)
and body ``b`` — each analysed by ``german.py`` (lunr.de.js's tokenizer, trimmer, stop
words and Snowball stemmer, plus question words); compound words add their parts
(``split_compound``), so "Schulverwaltung" is also found as "Verwaltung der Schulen";
title and summary add their adjacent term pairs ("verwalt schul") so that a phrase ranks
above scattered words. Each posting is a case's position in ``faelle.json`` and one
integer score: BM25 (k1 = 1.2, b = 0.75, lunr's idf) per field times the field boost
(title 10, summary 5, places 3, keywords 2, body 1), summed over fields, times 10. Smaller
than lunr's format by leaving out what no query reads (field vectors, positions) rather
than words.
"""

from __future__ import annotations

import itertools
import math
import re
from array import array
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from praxisatlas.cases.catalogue import Catalogue
from praxisatlas.cases.collation import german_sort_key, in_title_order
from praxisatlas.cases.model import STATUSES, Case
from praxisatlas.search.german import (
    PART_MIN,
    GermanAnalyzer,
    search_optional_words,
    search_stopwords,
    split_compound,
    tokenize,
    trim,
)
from praxisatlas.search.synonyms import Synonyms, load_synonyms

INDEX_VERSION = 2
FIELD_BOOSTS: dict[str, int] = {"t": 10, "s": 5, "o": 3, "k": 2, "b": 1}
PHRASE_FIELDS = ("t", "s")
PHRASE_BOOST = 4
SCORE_SCALE = 10
# Shards: about one per CASES_PER_SHARD cases (at most MAX_SHARDS), so that a query's few
# shards stay small at any N; the count is known before the index is built, which lets
# the plugin name the files up front and compute them later.
CASES_PER_SHARD = 40
MAX_SHARDS = 256
_K1 = 1.2
_B = 0.75
_MARKDOWN_LINK = re.compile(r"\]\([^)]*\)")
_URL = re.compile(r"(?:https?|mailto):\S+")
_HEADING = re.compile(r"^#+\s.*$", re.MULTILINE)


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
    keywords.append(STATUSES[case.status])
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


def shard_count(cases: int) -> int:
    """How many shards the index of ``cases`` cases is split into."""
    return max(1, min(MAX_SHARDS, -(-cases // CASES_PER_SHARD)))


def _letter(term: str, i: int) -> int:
    ch = term[i] if i < len(term) else ""
    return ord(ch) - 96 if "a" <= ch <= "z" else 0


def shard_of(term: str, shards: int) -> int:
    """The shard holding ``term``: by its first two letters, so a prefix of three or more
    letters lives in one shard (``katalog.js`` computes the same)."""
    key = _letter(term, 0) * 27 + _letter(term, 1)
    return key * shards // 729


@dataclass(frozen=True)
class SearchIndex:
    """The built index: sorted terms, a word form per term, postings per term."""

    terms: list[str]
    forms: list[str]
    postings: list[array[int]]  # per term: [position delta, score, position delta, score, …]
    shards: int
    synonyms: dict[str, list[str]]
    optional: list[str]  # stems a query looks for without requiring them

    def meta(self) -> dict[str, Any]:
        """``suchindex.json``."""
        return {
            "version": INDEX_VERSION,
            "shards": self.shards,
            "terms": self.terms,
            "forms": self.forms,
            "synonyms": self.synonyms,
            "stopwords": sorted(search_stopwords()),
            "optional": self.optional,
        }

    def shard(self, k: int) -> list[list[int]]:
        """``suchindex/<k>.json``: the postings of shard ``k``'s terms, in term order."""
        return [self.postings[i].tolist() for i in self._by_shard[k]]

    @cached_property
    def _by_shard(self) -> list[list[int]]:
        """Term positions per shard (sorted once, not once per shard)."""
        groups: list[list[int]] = [[] for _ in range(self.shards)]
        for position, term in enumerate(self.terms):
            groups[shard_of(term, self.shards)].append(position)
        return groups


def _bigrams(stems: list[str]) -> list[str]:
    return [f"{a} {b}" for a, b in itertools.pairwise(stems) if a != b]


# Per case, per field: how often each (word, stem) pair occurs, and for the phrase fields
# the stems in text order (counts, not token lists: the index of 10,000 cases is built
# in one go, and its memory is the build's peak).
Tokens = list[dict[str, tuple[Counter[tuple[str, str]], list[str]]]]


def _tokens(
    cases: list[Case], catalogue: Catalogue, analyzer: GermanAnalyzer
) -> tuple[Tokens, Counter[tuple[str, str]]]:
    """Pass 1: (word, stem) pairs per field, memoised per raw token, and how often each
    pair occurs (the catalogue's own words decide how compounds split)."""
    analysed: dict[str, tuple[str, str] | None] = {}
    tokens: Tokens = []
    word_counts: Counter[tuple[str, str]] = Counter()
    for case in cases:
        texts = field_texts(case, catalogue)
        per_field: dict[str, tuple[Counter[tuple[str, str]], list[str]]] = {}
        for name in FIELD_BOOSTS:
            kept = []
            for token in tokenize(texts[name]):
                if token in analysed:
                    pair = analysed[token]
                else:
                    stem = analyzer.term(token)
                    pair = analysed[token] = None if stem is None else (trim(token), stem)
                if pair is not None:
                    kept.append(pair)
            pairs = Counter(kept)
            word_counts.update(pairs)
            sequence = [stem for _, stem in kept] if name in PHRASE_FIELDS else []
            per_field[name] = (pairs, sequence)
        tokens.append(per_field)
    return tokens, word_counts


def _documents(
    tokens: Tokens, parts: Callable[[str], list[str]]
) -> tuple[list[dict[str, Counter[str]]], Counter[str], dict[str, int]]:
    """Pass 2: terms per field (word stems, compound parts, title/summary pairs), the
    number of documents per term, and the total length of each field. Each case's tokens
    are emptied once its terms are made: the two are never all in memory together."""
    documents: list[dict[str, Counter[str]]] = []
    df: Counter[str] = Counter()
    lengths: dict[str, int] = dict.fromkeys(FIELD_BOOSTS, 0)
    for position, per_field in enumerate(tokens):
        tokens[position] = {}
        fields: dict[str, Counter[str]] = {}
        for name, (pairs, sequence) in per_field.items():
            # Stems, then words, each in the order of their first occurrence.
            counted: Counter[str] = Counter()
            words: Counter[str] = Counter()
            for (word, stem), n in pairs.items():
                counted[stem] += n
                words[word] += n
            for word, count in words.items():
                for part in parts(word):
                    counted[part] += count
            if name in PHRASE_FIELDS:
                fields["p" + name] = Counter(_bigrams(sequence))
            fields[name] = counted
            lengths[name] += counted.total()
        documents.append(fields)
        df.update({t for counts in fields.values() for t in counts})
    return documents, df, lengths


def _postings(
    documents: list[dict[str, Counter[str]]], df: Counter[str], lengths: dict[str, int]
) -> dict[str, array[int]]:
    """Per term: BM25 scores (field boosts; a title/summary pair counts once) as position
    deltas and scaled scores, flattened. Each document is emptied once scored, and the
    postings are packed arrays: together they are the build's memory peak."""
    count = max(len(documents), 1)
    average = {name: (lengths[name] / count) or 1.0 for name in FIELD_BOOSTS}
    idf = {t: math.log(1 + abs((count - n + 0.5) / (n + 0.5))) for t, n in df.items()}
    postings: dict[str, array[int]] = {}
    previous: dict[str, int] = {}
    for position, fields in enumerate(documents):
        per_term: dict[str, float] = {}
        for name, counts in fields.items():
            if name.startswith("p"):
                boost, norm = PHRASE_BOOST, _K1  # a pair counts once, whatever the length
                counts = Counter(dict.fromkeys(counts, 1))
            else:
                boost = FIELD_BOOSTS[name]
                length = sum(counts.values())
                norm = _K1 * (1 - _B + _B * length / average[name])
            for term, tf in counts.items():
                weight = idf[term] * (_K1 + 1) * tf / (norm + tf) * boost
                per_term[term] = per_term.get(term, 0.0) + weight
        for term, weight in per_term.items():
            flat = postings.get(term)
            if flat is None:
                flat = postings[term] = array("q")
            flat.append(position - previous.get(term, 0))
            flat.append(max(1, round(weight * SCORE_SCALE)))
            previous[term] = position
        documents[position] = {}
    return postings


def build_search_index(
    catalogue: Catalogue,
    analyzer: GermanAnalyzer | None = None,
    synonyms: Synonyms | None = None,
) -> SearchIndex:
    """Analyse every case (in title order: a case's position is its ref) into postings."""
    analyzer = analyzer or GermanAnalyzer()
    tokens, word_counts = _tokens(in_title_order(catalogue), catalogue, analyzer)
    form_counts: dict[str, Counter[str]] = {}
    for (word, stem), n in word_counts.items():
        form_counts.setdefault(stem, Counter())[word] += n
    vocabulary = frozenset(t for t in form_counts if len(t) >= PART_MIN)
    parts_cache: dict[str, list[str]] = {}

    def parts(word: str) -> list[str]:
        found = parts_cache.get(word)
        if found is None:
            found = parts_cache[word] = split_compound(word, vocabulary, analyzer.stem)
        return found

    documents, df, lengths = _documents(tokens, parts)
    del tokens
    by_term = _postings(documents, df, lengths)
    terms = sorted(by_term)
    postings = [by_term[term] for term in terms]
    del by_term
    forms = []
    for term in terms:
        counter = form_counts.get(term)
        if counter is None:
            forms.append("")  # a pair of terms
            continue
        form = min(counter.items(), key=lambda item: (-item[1], item[0]))[0]
        forms.append("" if form == term else form)
    resolved = (synonyms or load_synonyms()).expansions()
    optional = sorted({analyzer.stem(word) for word in search_optional_words()})
    return SearchIndex(terms, forms, postings, shard_count(len(documents)), resolved, optional)


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
