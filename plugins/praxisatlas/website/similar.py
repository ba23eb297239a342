""" "Ähnliche Fälle": cases sharing topics, weighted by comparable counties.

Each topic a case names itself (not the Handlungsfelder derived from them) counts for
every other case that names it too: an Unterthema twice, a Handlungsfeld once, plus one
each when the other case's lead county has the same type (Landkreis / kreisfreie Stadt)
and the same population class. Candidates come only from per-topic lists, counted with
``Counter.update`` (a C loop), so the work is O(N·k) with k the size of a topic, never a
comparison of all pairs. Ties get a fixed pseudo-random order, so the result is
deterministic.
"""

from __future__ import annotations

import zlib
from collections import Counter, defaultdict
from itertools import takewhile

from praxisatlas.cases.catalogue import Catalogue
from praxisatlas.cases.model import Case

SUBTOPIC_WEIGHT = 2
FIELD_WEIGHT = 1

Profile = tuple[str | None, str | None]


class SimilarCases:
    """Precomputed topic lists; ``for_case`` ranks one case's neighbours."""

    def __init__(self, catalogue: Catalogue) -> None:
        self.catalogue = catalogue
        self._weight = {
            slug: FIELD_WEIGHT if topic.is_field else SUBTOPIC_WEIGHT
            for slug, topic in catalogue.vocabulary.topics.items()
        }
        by_topic: dict[str, list[str]] = defaultdict(list)
        by_topic_type: dict[tuple[str, str | None], list[str]] = defaultdict(list)
        by_topic_size: dict[tuple[str, str | None], list[str]] = defaultdict(list)
        # Case.county_type and .population_class walk the organisations: look them up once.
        self._profile: dict[str, Profile] = {
            case.id: (case.county_type, case.population_class) for case in catalogue.cases.values()
        }
        for case in catalogue.cases.values():  # ids in sorted order
            county_type, size = self._profile[case.id]
            for slug in case.topics:
                by_topic[slug].append(case.id)
                by_topic_type[slug, county_type].append(case.id)
                by_topic_size[slug, size].append(case.id)
        self._by_topic = dict(by_topic)
        self._by_topic_type = dict(by_topic_type)
        self._by_topic_size = dict(by_topic_size)

    def for_case(self, case: Case, limit: int = 5) -> list[Case]:
        scores: Counter[str] = Counter()
        county_type, size = self._profile[case.id]
        for slug in case.topics:
            for _ in range(self._weight.get(slug, SUBTOPIC_WEIGHT)):
                scores.update(self._by_topic.get(slug, ()))
            if county_type is not None:
                scores.update(self._by_topic_type.get((slug, county_type), ()))
            if size is not None:
                scores.update(self._by_topic_size.get((slug, size), ()))
        del scores[case.id]
        ranked = scores.most_common()  # sorted by score in C; ties in insertion order
        if len(ranked) > limit:
            cutoff = ranked[limit - 1][1]
            ranked = list(takewhile(lambda item: item[1] >= cutoff, ranked))
        # Equal scores: a fixed pseudo-random order per case (not the id, which would show
        # the alphabetically first cases as "similar" everywhere).
        ranked.sort(key=lambda item: (-item[1], zlib.crc32(f"{case.id}|{item[0]}".encode())))
        return [self.catalogue.cases[other] for other, _ in ranked[:limit]]
