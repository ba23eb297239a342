"""Checks on the real cases shipped in ``cases/`` (the starter catalogue).

These tests read the repository's own case files, so they fail when someone adds a case
that does not validate, drops a source, marks a real case as fictitious or removes one of
the stopped projects whose lessons the catalogue is meant to keep.
"""

from __future__ import annotations

import datetime as dt
import re
from functools import cache
from pathlib import Path

from praxisatlas.cases.model import Case
from praxisatlas.cases.pipeline import collect

CASES_DIR = Path(__file__).resolve().parent.parent / "cases"

# The four stopped projects of the starter catalogue: what went wrong is part of the value.
STOPPED_CASES = (
    "muenchen-limux-eingestellt",
    "dillingen-rufbus-eingestellt",
    "andernach-app-eingestellt",
    "efi-on-demand-leverkusen-rbk",
)

# A mailbox local part that looks like a person ("vorname.nachname", "v.nachname",
# "vorname_nachname"), as opposed to a functional one ("digitalisierung", "info").
PERSONAL_LOCAL_PART = re.compile(r"^[a-zäöüß]+[._-][a-zäöüß]+$", re.IGNORECASE)
# Parts of a local part that mark a mailbox as functional: whole parts ("it", "info")
# and longer words that may be glued to others ("digitalisierung", "kreisverwaltung").
FUNCTIONAL_PARTS = frozenset({"amt", "buero", "egov", "info", "it", "kontakt", "post", "team"})
FUNCTIONAL_STEMS = ("digital", "presse", "service", "stelle", "verwaltung")


@cache
def _collected() -> tuple[tuple[Case, ...], tuple[str, ...]]:
    cases, problems = collect(CASES_DIR)
    return tuple(cases), tuple(str(p) for p in problems)


def _cases() -> tuple[Case, ...]:
    return _collected()[0]


def test_shipped_cases_validate_without_problems() -> None:
    _, problems = _collected()
    assert problems == ()


def test_at_least_thirty_cases() -> None:
    assert len(_cases()) >= 30


def test_every_case_has_a_web_source() -> None:
    for case in _cases():
        assert case.sources, case.id
        assert any(s.url.startswith(("https://", "http://")) for s in case.sources), case.id


def test_no_shipped_case_is_fictitious() -> None:
    assert [c.id for c in _cases() if c.fictitious] == []


def _looks_personal(email: str) -> bool:
    local = email.split("@", 1)[0].casefold()
    if not PERSONAL_LOCAL_PART.match(local):
        return False
    parts = re.split(r"[._-]", local)
    functional = any(p in FUNCTIONAL_PARTS or p.startswith(FUNCTIONAL_STEMS) for p in parts)
    return not functional


def test_personal_mailbox_detection() -> None:
    assert _looks_personal("erika.mustermann@kreis.example")
    assert _looks_personal("e_mustermann@kreis.example")
    assert _looks_personal("britta.schmitt@kreis.example")
    assert not _looks_personal("schul.it@kreis.example")
    assert not _looks_personal("presse.stelle@kreis.example")
    assert not _looks_personal("digitalisierung@kreis.example")
    assert not _looks_personal("schul-it@kreis.example")
    assert not _looks_personal("info@kreis.example")


def test_contact_mailboxes_are_functional() -> None:
    personal = [
        (c.id, c.contact.email)
        for c in _cases()
        if c.contact.email is not None and _looks_personal(c.contact.email)
    ]
    assert personal == []


def test_reviewed_dates_are_not_in_the_future() -> None:
    today = dt.date.today()
    assert [(c.id, c.reviewed) for c in _cases() if c.reviewed > today] == []


def test_catalogue_spreads_over_laender_and_fields() -> None:
    laender = {land.code for case in _cases() for land in case.laender}
    fields = {f for case in _cases() for f in case.fields}
    assert len(laender) >= 10, sorted(laender)
    assert len(fields) >= 8, sorted(fields)


def test_stopped_projects_are_present_and_stopped() -> None:
    by_id = {c.id: c for c in _cases()}
    for case_id in STOPPED_CASES:
        assert case_id in by_id, case_id
        case = by_id[case_id]
        assert case.status == "eingestellt", case_id
        assert case.end is not None, case_id
        assert "## Erfahrungen" in case.body, case_id
