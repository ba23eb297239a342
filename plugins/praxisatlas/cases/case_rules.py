"""Rules over the whole case: what one field's declaration cannot say alone.

A lead organisation, no topic twice, the end not before the start, open-source software
with its repository and licence, a contact that is not a private person, a valid file
name, and the body's problems (``body_check.py``) with links judged against the site.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from praxisatlas.cases.body_check import check_body
from praxisatlas.cases.builder import partial_date
from praxisatlas.cases.check_context import Checker
from praxisatlas.cases.loader import MappingNode, SequenceNode
from praxisatlas.cases.model import PartialDate
from praxisatlas.cases.personal_data import personal_mailbox, personal_name
from praxisatlas.cases.schema import ID_MAX_LENGTH
from praxisatlas.cases.site_links import relative_link_problem
from praxisatlas.cases.spec_checks import ID_RE

MAX_BODY_PROBLEMS = 50  # per file; a pasted web page should not flood the report
_UMLAUTS = str.maketrans(
    {"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss", "Ä": "ae", "Ö": "oe", "Ü": "ue"}
)


def slugify(text: str) -> str:
    """A valid case id from free text ("Digitale Akte Kreis Überall" → "
    ""digitale-akte-kreis-ueberall")."""
    text = text.translate(_UMLAUTS).lower()
    text = re.sub(r"[^a-z0-9]+", "-", text.encode("ascii", "ignore").decode()).strip("-")
    return text[:ID_MAX_LENGTH].rstrip("-")


def _partial(value: str | None) -> PartialDate | None:
    return partial_date(value) if value is not None else None


def _before(end: PartialDate, start: PartialDate) -> bool:
    """True when ``end`` is before ``start``; a bare year covers all its months."""
    if end.month is None or start.month is None:
        return end.year < start.year
    return end < start


# Contact keys that may name a private person: the test, and the advice (value, reason).
_PERSONAL_CONTACT: tuple[
    tuple[str, Callable[[str], str | None], Callable[[str, str], str]], ...
] = (
    (
        "function",
        personal_name,
        lambda function, person: (
            f"'{function}' sieht nach dem Namen einer Person aus ({person}); bitte eine "
            "Funktion oder Stelle angeben (z. B. Stabsstelle Digitalisierung), "
            "Personen nur mit ihrer Einwilligung"
        ),
    ),
    (
        "email",
        personal_mailbox,
        lambda email, mailbox: (
            f"'{email}' sieht nach einem persönlichen Postfach aus ({mailbox}); bitte ein "
            "Funktionspostfach angeben (z. B. digitalisierung@kreis-beispiel.de)"
        ),
    ),
)


class CaseRules(Checker):
    """Each rule reads the checked values (``raw``) and the front matter for lines."""

    def check_lead(self, raw_orgs: list[Any], key_line: int) -> None:
        if (
            raw_orgs
            and all(isinstance(i, dict) for i in raw_orgs)
            and not any(i.get("role") == "lead" for i in raw_orgs)
        ):
            self.report(
                key_line,
                "organisations",
                "Mindestens eine Organisation braucht role: lead (Federführung)",
            )

    def unique_topics(self, raw: dict[str, Any], front: MappingNode) -> list[str]:
        topics: list[str] = []
        for index, topic in enumerate(raw.get("topics") or []):
            if topic is None:
                continue
            if topic in topics:
                entry = front.entries["topics"]
                assert isinstance(entry.value, SequenceNode)
                self.report(
                    entry.value.items[index].line,
                    f"topics[{index}]",
                    f"Thema '{topic}' ist doppelt angegeben",
                )
                continue
            topics.append(topic)
        return topics

    def check_period(self, raw: dict[str, Any], front: MappingNode) -> None:
        start = _partial(raw.get("start"))
        end = _partial(raw.get("end"))
        if start is not None and end is not None and _before(end, start):
            self.report(
                front.entries["end"].value.line,
                "end",
                f"Das Ende ({end}) liegt vor dem Beginn ({start})",
            )

    def check_open_source(self, raw: dict[str, Any], front: MappingNode) -> None:
        software = raw.get("software")
        if not isinstance(software, dict) or software.get("open_source") is not True:
            return
        entry = front.entries["software"]
        for key, label in (
            ("repository", "die Adresse des Quellcodes"),
            ("license", "die Softwarelizenz"),
        ):
            if (
                key not in software
                and isinstance(entry.value, MappingNode)
                and key not in entry.value.entries
            ):
                self.report(
                    entry.key_line,
                    f"software.{key}",
                    f"Bei open_source: true bitte {label} angeben ({key})",
                )

    def contact_warnings(self, raw: dict[str, Any], front: MappingNode) -> None:
        """Warn when the contact looks like a private person (a name, a personal mailbox)."""
        contact = raw.get("contact")
        entry = front.entries.get("contact")
        if not isinstance(contact, dict) or entry is None:
            return
        node = entry.value
        if not isinstance(node, MappingNode):
            return
        for key, looks_personal, advice in _PERSONAL_CONTACT:
            value = contact.get(key)
            if not isinstance(value, str):
                continue
            reason = looks_personal(value)
            if reason is not None:
                self.warn(node.entries[key].value.line, f"contact.{key}", advice(value, reason))

    def check_id(self) -> None:
        case_id = self.loaded.id
        if len(case_id) > ID_MAX_LENGTH:
            self.report(
                1,
                "id",
                f"Der Dateiname ist zu lang ({len(case_id)} Zeichen, höchstens {ID_MAX_LENGTH})",
            )
        elif not ID_RE.match(case_id):
            self.report(
                1,
                "id",
                f"Ungültiger Dateiname '{case_id}.md': nur Kleinbuchstaben a–z, Ziffern und "
                "einzelne Bindestriche (z. B. "
                f"{slugify(case_id) or 'digitale-akte-kreis-beispiel'}.md)",
            )

    def check_body(self) -> None:
        loaded = self.loaded
        found = sorted(
            check_body(
                loaded.body,
                loaded.body_line,
                lambda target: relative_link_problem(target, self.ctx),
            )
        )
        for line, message in found[:MAX_BODY_PROBLEMS]:
            self.report(line, "body", message)
        if len(found) > MAX_BODY_PROBLEMS:
            rest = len(found) - MAX_BODY_PROBLEMS
            self.report(
                found[MAX_BODY_PROBLEMS][0],
                "body",
                f"… und {rest} weitere Probleme im Text (nicht einzeln aufgeführt)",
            )
