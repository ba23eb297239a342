"""The German analysis pipeline must produce exactly the terms lunr.de.js would."""

from __future__ import annotations

import re

import pytest

from praxisatlas.search.german import GermanAnalyzer, stopwords, tokenize, trim
from praxisatlas.search.page import mkdocs_search_dir


def test_stopword_list_is_the_one_lunr_de_js_uses() -> None:
    js = (mkdocs_search_dir() / "lunr-language" / "lunr.de.js").read_text("utf-8")
    match = re.search(r"generateStopWordFilter\('([^']*)'", js)
    assert match is not None
    assert stopwords() == frozenset(match.group(1).split(" "))


def test_word_characters_match_lunr_de_js() -> None:
    from praxisatlas.search.german import WORD_CHARACTERS

    js = (mkdocs_search_dir() / "lunr-language" / "lunr.de.js").read_text("utf-8")
    match = re.search(r'lunr\.de\.wordCharacters = "([^"]*)"', js)
    assert match is not None
    decoded = re.sub(r"\\u([0-9A-Fa-f]{4})", lambda m: chr(int(m.group(1), 16)), match.group(1))
    decoded = re.sub(r"\\x([0-9A-Fa-f]{2})", lambda m: chr(int(m.group(1), 16)), decoded)
    assert decoded == WORD_CHARACTERS


def test_tokenizer_splits_on_whitespace_and_hyphens_like_lunr() -> None:
    assert tokenize("E-Akte  im\tKreis--Haus\n") == ["e", "akte", "im", "kreis", "haus"]


def test_trimmer_drops_punctuation_and_digits_at_the_edges() -> None:
    assert trim("„schule“,") == "schule"
    assert trim("(ozg)") == "ozg"
    assert trim("2021") == ""
    assert trim("12.0") == ""
    assert trim("straße.") == "straße"


def test_inflected_forms_share_a_term() -> None:
    analyzer = GermanAnalyzer()
    assert analyzer.terms("Schule") == analyzer.terms("Schulen") == ["schul"]
    assert analyzer.terms("Landkreise") == analyzer.terms("Landkreis")
    assert analyzer.terms("Digitalisierung digitalisieren")[0] == "digitalisier"


def test_stopwords_and_numbers_are_not_terms() -> None:
    analyzer = GermanAnalyzer()
    assert analyzer.terms("und die 2021 für über") == []
    assert analyzer.term("daß") is None


def test_stems_seen_reports_trimmed_words_and_their_stems() -> None:
    analyzer = GermanAnalyzer()
    analyzer.terms("Häuser, Schulen!")
    assert analyzer.stems_seen() == {"häuser": "haus", "schulen": "schul"}


def _shipped_words() -> list[str]:
    from tests.sitebuild import REPO

    words = {trim(t) for p in (REPO / "cases").glob("*.md") for t in tokenize(p.read_text("utf-8"))}
    return sorted(w for w in words if w)


def test_the_c_stemmer_stems_as_the_python_one() -> None:
    # PyStemmer (Snowball's C code) is what snowballstemmer hands out when installed; it
    # must stem every word and every tail a compound split tries exactly as the pure
    # Python stemmer the browser's lunr.de.js was checked against.
    import snowballstemmer
    from snowballstemmer.german_stemmer import GermanStemmer

    Stemmer = pytest.importorskip("Stemmer", reason="PyStemmer: only up to Python 3.13")

    assert isinstance(snowballstemmer.stemmer("german"), Stemmer.Stemmer)
    words = sorted({w[i:] for w in _shipped_words() for i in range(len(w) - 2)})
    assert len(words) > 10_000
    python = GermanStemmer()
    assert GermanAnalyzer()._stemmer.stemWords(words) == [python.stemWord(w) for w in words]


def test_the_compound_shortcut_splits_as_stemming_every_tail(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from praxisatlas.search import german

    analyzer = GermanAnalyzer()
    words = _shipped_words()
    vocabulary = frozenset(s for s in map(analyzer.stem, words) if len(s) >= german.PART_MIN)
    fast = [german.split_compound(w, vocabulary, analyzer.stem) for w in words]
    monkeypatch.setattr(german, "_may_stem_into", lambda word, vocabulary: True)
    assert fast == [german.split_compound(w, vocabulary, analyzer.stem) for w in words]
    assert sum(1 for parts in fast if parts) > 500  # the shipped cases have many compounds
