""" "Ähnliche Fälle": cases sharing topics, weighted by comparable counties.

Candidates come only from an index of the topics each case names itself (not the
Handlungsfelder derived from them), so the work is O(N·k) with k the size of a topic,
never O(N²) over all pairs. Ties are broken by case id, so the result is deterministic.
"""

from __future__ import annotations

import heapq
from collections import defaultdict

from ..catalogue import Catalogue
from ..model import Case

# A shared Unterthema says more than a shared Handlungsfeld named directly.
SUBTOPIC_WEIGHT = 4
FIELD_WEIGHT = 2
# Comparable county: same type (Landkreis / kreisfreie Stadt), same population class.
SAME_TYPE_BONUS = 1
SAME_SIZE_BONUS = 1


class SimilarCases:
    """Precomputed topic index; ``for_case`` ranks one case's neighbours."""

    def __init__(self, catalogue: Catalogue) -> None:
        self.catalogue = catalogue
        self._weight = {
            slug: FIELD_WEIGHT if topic.is_field else SUBTOPIC_WEIGHT
            for slug, topic in catalogue.vocabulary.topics.items()
        }
        by_topic: dict[str, list[str]] = defaultdict(list)
        for case in catalogue.cases.values():  # ids in sorted order
            for slug in case.topics:
                by_topic[slug].append(case.id)
        self._by_topic = dict(by_topic)
        self._profile = {
            case.id: (case.county_type, case.population_class) for case in catalogue.cases.values()
        }

    def for_case(self, case: Case, limit: int = 5) -> list[Case]:
        scores: dict[str, int] = defaultdict(int)
        for slug in case.topics:
            weight = self._weight.get(slug, SUBTOPIC_WEIGHT)
            for other in self._by_topic.get(slug, ()):
                scores[other] += weight
        scores.pop(case.id, None)
        county_type, size = self._profile[case.id]
        ranked: list[tuple[int, str]] = []
        for other, score in scores.items():
            other_type, other_size = self._profile[other]
            if county_type is not None and other_type == county_type:
                score += SAME_TYPE_BONUS
            if size is not None and other_size == size:
                score += SAME_SIZE_BONUS
            ranked.append((-score, other))
        return [self.catalogue.cases[other] for _, other in heapq.nsmallest(limit, ranked)]
