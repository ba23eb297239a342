"""German text processing for the search index, identical to lunr-languages' ``lunr.de.js``.

The browser runs lunr.js with ``lunr.de.js``; the index is built here. Both sides must turn
a word into the same term, so this module mirrors the JavaScript step by step:

1. ``lunr.tokenizer``: lower-case, split on whitespace and hyphens (``/[\\s\\-]+/``);
2. ``trimmer-de``: strip leading/trailing characters outside ``lunr.de.wordCharacters``
   (digits are not word characters, so "2021" disappears, as in the browser);
3. ``stopWordFilter-de``: drop words from the Snowball German stop list
   (``data/stopwords-de.txt``, the same list as in ``lunr.de.js``);
4. ``stemmer-de``: the Snowball German stemmer (PyPI ``snowballstemmer`` 2.x, the same
   algorithm ``lunr.de.js`` was generated from; pinned below 3 because the browser test
   checks word for word that both stem every corpus word alike).

On top of that, the catalogue's search (``index.py``, ``katalog.js``) uses

5. a few question and filler words as stop words (``data/search-stopwords.txt``), so
   "wie viel kostet ein Telenotarzt" searches for "kostet Telenotarzt"; and words such
   as "kostet" that a query looks for but does not require (``data/search-optional.txt``,
   ``search_optional_words``; they stay in the index);
6. compound splitting driven by the catalogue's own vocabulary (``split_compound``): the
   same function runs in Python at index time and in ``katalog.js`` at query time, with a
   browser parity test.

No NLTK and no network: lunr.py's ``languages="de"`` would download NLTK data at build time.
Terms are cached per raw token, so a corpus costs one stemmer call per distinct word.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import cache
from importlib import resources

import snowballstemmer

# lunr.de.wordCharacters, copied from lunr-languages (lunr.de.js).
WORD_CHARACTERS = (
    "A-Za-z\xaa\xba\xc0-\xd6\xd8-\xf6\xf8-\u02b8\u02e0-\u02e4\u1d00-\u1d25\u1d2c-\u1d5c"
    "\u1d62-\u1d65\u1d6b-\u1d77\u1d79-\u1dbe\u1e00-\u1eff\u2071\u207f\u2090-\u209c\u212a"
    "\u212b\u2132\u214e\u2160-\u2188\u2c60-\u2c7f\ua722-\ua787\ua78b-\ua7ad\ua7b0-\ua7b7"
    "\ua7f7-\ua7ff\uab30-\uab5a\uab5c-\uab64\ufb00-\ufb06\uff21-\uff3a\uff41-\uff5a"
)
_SEPARATOR = re.compile(r"[\s\-]+")
_TRIM_START = re.compile(f"^[^{WORD_CHARACTERS}]+")
_TRIM_END = re.compile(f"[^{WORD_CHARACTERS}]+$")


@cache
def stopwords() -> frozenset[str]:
    """The shipped German stop list (comment lines start with ``#``)."""
    text = resources.files("praxisatlas").joinpath("data/stopwords-de.txt").read_text("utf-8")
    return frozenset(
        line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#")
    )


@cache
def search_stopwords() -> frozenset[str]:
    """Question and filler words the catalogue search skips besides the Snowball list."""
    text = resources.files("praxisatlas").joinpath("data/search-stopwords.txt").read_text("utf-8")
    return frozenset(
        line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#")
    )


@cache
def search_optional_words() -> frozenset[str]:
    """Words a query looks for without requiring them ("kostet" in "wie viel kostet …")."""
    text = resources.files("praxisatlas").joinpath("data/search-optional.txt").read_text("utf-8")
    return frozenset(
        line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#")
    )


def tokenize(text: str) -> list[str]:
    """``lunr.tokenizer``: lower-case and split on whitespace and hyphens."""
    return [token for token in _SEPARATOR.split(text.lower()) if token]


def trim(token: str) -> str:
    """``trimmer-de``: remove non-word characters at both ends."""
    return _TRIM_END.sub("", _TRIM_START.sub("", token))


class GermanAnalyzer:
    """Turns text into index terms; memoises the whole pipeline per raw token."""

    def __init__(self) -> None:
        self._stemmer = snowballstemmer.stemmer("german")
        self._stopwords = stopwords() | search_stopwords()
        self._terms: dict[str, str | None] = {}
        self._stems: dict[str, str] = {}

    def stem(self, word: str) -> str:
        """``stemmer-de`` on one already lower-cased, trimmed word (memoised)."""
        result = self._stems.get(word)
        if result is None:
            result = self._stems[word] = self._stemmer.stemWord(word)
        return result

    def term(self, token: str) -> str | None:
        """The index term of one tokenizer token, or None when the pipeline drops it."""
        try:
            return self._terms[token]
        except KeyError:
            pass
        trimmed = trim(token)
        term = None if not trimmed or trimmed in self._stopwords else self.stem(trimmed)
        self._terms[token] = term or None
        return term or None

    def terms(self, text: str) -> list[str]:
        """All index terms of ``text`` in order (duplicates kept, as lunr's pipeline does)."""
        result = []
        for token in tokenize(text):
            term = self.term(token)
            if term is not None:
                result.append(term)
        return result

    def stems_seen(self) -> dict[str, str]:
        """Every trimmed, non-stop word seen so far and its stem (for browser cross-checks)."""
        return {trim(token): term for token, term in self._terms.items() if term is not None}


# Compound splitting: a word of at least ``COMPOUND_MIN`` letters splits into a head and a
# tail of at least ``PART_MIN`` letters when the tail's stem and the head's stem (possibly
# without a linking element, "Gesundheit-s-amt") are words of the catalogue; the longest
# tail wins ("Land|kreisverwaltung" before "Landkreis|verwaltung"), then both sides split
# again. ``katalog.js`` (``splitCompound``) is a line-by-line copy.
COMPOUND_MIN = 7
PART_MIN = 3
LINKING = ("", "s", "es", "n", "en")
MAX_PARTS = 4


def split_compound(
    word: str, vocabulary: frozenset[str] | set[str], stem: Callable[[str], str]
) -> list[str]:
    """The stems of the parts of ``word`` (lower-cased, trimmed), or [] if it does not split.

    ``vocabulary`` is the set of stems the catalogue uses as words of their own (at least
    ``PART_MIN`` letters); ``stem`` is the German stemmer.
    """
    parts = _split(word, vocabulary, stem, 0)
    return parts if len(parts) > 1 else []


def _may_stem_into(word: str, vocabulary: frozenset[str] | set[str]) -> bool:
    """Whether ``word``'s stem can be in ``vocabulary`` at all: Snowball's German stemmer
    (before Snowball 3, which also folds "ue" into "ü") only folds letters (ß, umlauts) of
    a lower-cased word and removes suffixes, so its stem is a prefix of the folded word.
    Most tails of a long word fail this at once, without the stemmer (which costs far
    more). Only a shortcut: the result is the same as stemming every tail, as
    ``katalog.js`` does."""
    folded = word.replace("ß", "ss").replace("ä", "a").replace("ö", "o").replace("ü", "u")
    return any(folded[:k] in vocabulary for k in range(PART_MIN, len(folded) + 1))


def _split(
    word: str, vocabulary: frozenset[str] | set[str], stem: Callable[[str], str], depth: int
) -> list[str]:
    if len(word) >= COMPOUND_MIN and depth < MAX_PARTS - 1:
        for i in range(PART_MIN, len(word) - PART_MIN + 1):
            head, tail = word[:i], word[i:]
            if not _may_stem_into(tail, vocabulary) or stem(tail) not in vocabulary:
                continue
            for link in LINKING:
                if link and not head.endswith(link):
                    continue
                base = head[: len(head) - len(link)]
                if len(base) >= PART_MIN and stem(base) in vocabulary:
                    parts = _split(base, vocabulary, stem, depth + 1)
                    parts += _split(tail, vocabulary, stem, depth + 1)
                    return parts[:MAX_PARTS]
    return [stem(word)]
