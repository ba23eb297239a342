"""Validation: a loaded case file becomes a typed ``Case`` or a list of problems.

The shape of every field comes from ``schema.FIELDS`` (``spec_checks.py``); the rules
that need reference data or other fields are in ``organisation_checks.py`` and
``case_rules.py``, the body's in ``body_check.py``. Every problem is collected; nothing
stops at the first one. Messages are German and name the fix.
"""

from __future__ import annotations

from typing import Any

from praxisatlas.cases.builder import build
from praxisatlas.cases.case_rules import CaseRules
from praxisatlas.cases.check_context import Context
from praxisatlas.cases.loader import LoadedFile, MappingNode, SequenceNode
from praxisatlas.cases.model import Case, Organisation
from praxisatlas.cases.organisation_checks import OrganisationChecks
from praxisatlas.cases.problems import Problem, errors
from praxisatlas.cases.schema import FIELDS
from praxisatlas.cases.spec_checks import SpecChecks


class FieldChecker(SpecChecks, OrganisationChecks, CaseRules):
    """Checks one loaded file against ``FIELDS`` and the cross-field rules.

    ``build`` returns the ``Case`` or None and leaves every problem in ``problems``; the
    single-value checks (``check_string``, ``check_topic``, ``organisation`` ...) are also
    used by ``praxisatlas new`` to check answers one at a time.
    """

    def build(self) -> Case | None:
        loaded = self.loaded
        front = loaded.front
        assert front is not None
        raw = self.check_mapping(FIELDS, front, "", 1)
        organisations = self.organisations(raw, front)
        topics = self.unique_topics(raw, front)
        self.check_period(raw, front)
        self.check_open_source(raw, front)
        self.contact_warnings(raw, front)
        self.check_id()
        self.check_body()
        if errors(self.problems):
            return None
        # Everything else comes from the declarations, by name and type (builder.py).
        return build(
            Case,
            raw,
            id=loaded.id,
            path=loaded.path,
            organisations=tuple(organisations),
            topics=tuple(topics),
            fields=tuple(dict.fromkeys(self.ctx.vocabulary.field_of(t).slug for t in topics)),
            body=loaded.body,
            body_line=loaded.body_line,
        )

    def organisations(self, raw: dict[str, Any], front: MappingNode) -> list[Organisation]:
        entry = front.entries.get("organisations")
        if entry is None or not isinstance(entry.value, SequenceNode):
            return []
        found: list[Organisation] = []
        raw_orgs = raw.get("organisations") or []
        for index, (item, node) in enumerate(zip(raw_orgs, entry.value.items, strict=True)):
            if isinstance(item, dict) and isinstance(node, MappingNode):
                org = self.organisation(item, node, f"organisations[{index}]")
                if org is not None:
                    found.append(org)
        self.check_lead(raw_orgs, entry.key_line)
        return found


def validate_loaded(loaded: LoadedFile, ctx: Context) -> tuple[Case | None, list[Problem]]:
    """Validate one loaded file: a ``Case`` when there are no problems."""
    if loaded.front is None:
        return None, list(loaded.problems)
    checker = FieldChecker(loaded, ctx, list(loaded.problems))
    case = checker.build()
    return case, checker.problems


__all__ = ["Context", "FieldChecker", "validate_loaded"]
