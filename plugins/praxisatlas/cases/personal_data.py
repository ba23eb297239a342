"""Does a contact look like a private person? A name, a salutation, a personal mailbox.

A case's contact is a function and a functional mailbox, not a private person (DESIGN.md,
``contact``); these heuristics turn a likely person into a warning, not an error.
"""

from __future__ import annotations

import re
from functools import cache
from importlib import resources

_SALUTATION_RE = re.compile(r"(?<!\w)(Herr|Frau|Hr\.|Fr\.)\s+(?:(?:Dr|Prof)\.\s*)*[A-ZÄÖÜ]")
# A capitalised word followed by a surname-like one ("Max Mustermann", "Hans-Peter
# von Beispiel"); the lookahead lets every word be the start of a pair.
_NAME_PAIR_RE = re.compile(
    r"(?<![\w-])([A-ZÄÖÜ][a-zäöüéß]+)(?=(?:-[A-ZÄÖÜ][a-zäöüéß]+)?\s+(?:[A-ZÄÖÜ]\.\s+)?"
    r"(?:(?:von|van|de|zu)\s+)?[A-ZÄÖÜ][a-zäöüß]+(?![\w-]))"
)
_ASCII_UMLAUTS = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss", "é": "e"})


@cache
def first_names() -> frozenset[str]:
    """Common German first names (``data/vornamen.txt``), as written."""
    text = resources.files("praxisatlas").joinpath("data", "vornamen.txt").read_text("utf-8")
    return frozenset(
        line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#")
    )


@cache
def _mailbox_names() -> frozenset[str]:
    names = {name.lower() for name in first_names()}
    return frozenset(names | {name.translate(_ASCII_UMLAUTS) for name in names})


def personal_name(function: str) -> str | None:
    """Why a contact function looks like a person's name, or None."""
    salutation = _SALUTATION_RE.search(function)
    if salutation:
        return f"Anrede '{salutation.group(1)}'"
    names = first_names()
    for match in _NAME_PAIR_RE.finditer(function):
        if match.group(1) in names:
            return f"Vorname '{match.group(1)}'"
    return None


def personal_mailbox(email: str) -> str | None:
    """Why an e-mail address looks like a personal mailbox (vorname.nachname@), or None."""
    local = email.rsplit("@", 1)[0].lower()
    parts = re.split(r"[._-]", local)
    if len(parts) == 2 and parts[0] in _mailbox_names() and parts[1].isalpha():
        return "vorname.nachname@"
    return None
