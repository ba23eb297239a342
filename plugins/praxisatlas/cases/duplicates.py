"""Cases that look like copies of each other: the same title, or nearly the same text,
under another id.

A copy of an existing case saved under a new id validates on its own; only a look across
the catalogue shows it. Texts are compared after folding case, umlauts (``ä``/``ae``),
accents, punctuation and spacing, so a copy with a changed comma or line break is still
found, and sentence by sentence, so a copy with a sentence added or reworded is found too.
Both run in linear time: a fuzzy comparison of every pair of titles took longer than
validating 5,000 cases and flagged generated titles that only share a pattern. Each pair
is reported once, on the later id, as a warning (it fails only under ``--strict`` and in
CI, where a real duplicate should not be merged unnoticed).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable

from praxisatlas.cases.collation import fold_words
from praxisatlas.cases.model import Case
from praxisatlas.cases.problems import Problem

_SENTENCE_END = re.compile(r"(?<=[.!?:;])\s+|\n+")

# A sentence counts from this many words on: headings and short phrases ("Mehr dazu:")
# recur in unrelated cases.
MIN_SENTENCE_WORDS = 6
# A sentence found in more cases than this is boilerplate, not evidence of a copy.
MAX_SENTENCE_CASES = 5
# Share of sentences two texts have in common (of the shorter text) from which they count
# as nearly the same; below this, cases of one county that reuse a paragraph are fine.
NEAR_SHARE = 0.8


def sentences(body: str) -> frozenset[str]:
    """The folded sentences of a text that are long enough to tell texts apart."""
    folded = (fold_words(part) for part in _SENTENCE_END.split(body))
    return frozenset(s for s in folded if s.count(" ") + 1 >= MIN_SENTENCE_WORDS)


def _same_text(
    ordered: list[Case], texts: dict[str, frozenset[str]]
) -> dict[str, tuple[Case, int]]:
    """For each later case, the earlier case it shares most sentences with, if nearly all."""
    holders: dict[str, list[Case]] = {}
    for case in ordered:
        for sentence in texts[case.id]:
            holders.setdefault(sentence, []).append(case)
    by_id = {case.id: case for case in ordered}
    found: dict[str, tuple[Case, int]] = {}
    for case in ordered:
        # Counted by id: hashing a whole Case for every shared sentence would cost more.
        shared = Counter(
            other.id
            for sentence in texts[case.id]
            if len(holders[sentence]) <= MAX_SENTENCE_CASES
            for other in holders[sentence]
            if other.id < case.id
        )
        for other_id, count in shared.most_common(1):
            smaller = min(len(texts[case.id]), len(texts[other_id]))
            if count >= NEAR_SHARE * smaller:
                found[case.id] = (by_id[other_id], round(100 * count / smaller))
    return found


def near_duplicates(cases: Iterable[Case]) -> list[Problem]:
    """A warning for each case whose title or text repeats an earlier case's (by id)."""
    ordered = sorted(cases, key=lambda c: c.id)
    texts = {case.id: sentences(case.body) for case in ordered}
    by_title: dict[str, Case] = {}
    reasons: dict[str, str] = {}
    for case in ordered:
        title = fold_words(case.title)
        if title in by_title:
            other = by_title[title]
            reasons[case.id] = f"denselben Titel wie {other.path} ({other.id})"
        by_title.setdefault(title, case)
    for case_id, (other, share) in _same_text(ordered, texts).items():
        what = "denselben Text" if share == 100 else f"fast denselben Text ({share} % der Sätze)"
        reasons.setdefault(case_id, f"{what} wie {other.path} ({other.id})")
    return [
        Problem(
            case.path,
            1,
            "title",
            f"hat {reasons[case.id]} – ein doppelt eingetragener Fall? Falls ja, die Kopie "
            "löschen; sonst Titel und Text unterscheidbar machen.",
            warning=True,
        )
        for case in ordered
        if case.id in reasons
    ]
