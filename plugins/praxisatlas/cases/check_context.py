"""What every check of a case file shares: its context, where problems go, hints.

The validator is a ``FieldChecker`` (``validation.py``) made of three groups of checks,
each a subclass of ``Checker``: the checks driven by the field declarations
(``spec_checks.py``), the organisation rules (``organisation_checks.py``) and the rules
over the whole case (``case_rules.py``).
"""

from __future__ import annotations

import datetime as dt
import difflib
from collections.abc import Iterable, Set
from dataclasses import dataclass, field

from praxisatlas.cases.loader import LoadedFile
from praxisatlas.cases.problems import Problem
from praxisatlas.cases.reference import Reference
from praxisatlas.cases.vocabulary import Vocabulary


@dataclass
class Context:
    """What validation needs besides the file: reference data, today, ids of the run,
    and the hand-written site pages (``docs/``, as ``ueber.md``) links may point to
    (None: not known, such links are not checked)."""

    vocabulary: Vocabulary
    reference: Reference
    today: dt.date
    known_ids: Set[str] | None = None
    site_pages: Set[str] | None = None


@dataclass
class Checker:
    """One loaded file under check; every problem found is appended to ``problems``."""

    loaded: LoadedFile
    ctx: Context
    problems: list[Problem] = field(default_factory=list)

    def report(self, line: int, where: str, message: str) -> None:
        self.problems.append(Problem(self.loaded.path, line, where, message))

    def warn(self, line: int, where: str, message: str) -> None:
        self.problems.append(Problem(self.loaded.path, line, where, message, warning=True))


def suggest(value: str, choices: Iterable[str], n: int = 1) -> list[str]:
    """Closest allowed values for a "meinten Sie …?" hint."""
    pool = list(choices)
    if not value:
        return []
    lowered = {c.lower(): c for c in pool}
    if value.lower() in lowered:
        return [lowered[value.lower()]]
    return difflib.get_close_matches(value, pool, n=n, cutoff=0.6)


def hint(value: str, choices: Iterable[str]) -> str:
    """`` (meinten Sie '…'?)`` with the closest allowed value, or nothing."""
    found = suggest(value, choices)
    return f" (meinten Sie '{found[0]}'?)" if found else ""
