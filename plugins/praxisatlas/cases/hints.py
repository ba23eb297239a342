"""Suggestions that finish a validation message: what the contributor probably meant.

A message that only says what is wrong leaves the fix to guessing. These helpers see the
likely intent behind a near miss (``start: März 2021`` → ``2021-03``, ``www.kreis.de`` →
``https://www.kreis.de``, ``## Loesung`` → ``## Lösung``, a tab in the YAML header →
its line and column) and word it in German. Each returns "" (or nothing) when it sees
no likely intent, so a message never suggests something wrong.
"""

from __future__ import annotations

import difflib
import re
from typing import Any

from praxisatlas.cases.collation import fold_words
from praxisatlas.cases.schema import PLACEHOLDER_HINT

_MONTHS = {
    "jan": 1,
    "januar": 1,
    "jänner": 1,
    "feb": 2,
    "februar": 2,
    "mär": 3,
    "märz": 3,
    "maerz": 3,
    "mrz": 3,
    "apr": 4,
    "april": 4,
    "mai": 5,
    "jun": 6,
    "juni": 6,
    "jul": 7,
    "juli": 7,
    "aug": 8,
    "august": 8,
    "sep": 9,
    "sept": 9,
    "september": 9,
    "okt": 10,
    "oktober": 10,
    "nov": 11,
    "november": 11,
    "dez": 12,
    "dezember": 12,
}
_MONTH_NAME_YEAR = re.compile(r"^([A-Za-zÄÖÜäöü]+)\.?\s*([0-9]{4})$")
_NUMERIC_MONTH_YEAR = re.compile(r"^([0-9]{1,2})\s*[./-]\s*([0-9]{4})$")
_YEAR_MONTH = re.compile(r"^([0-9]{4})\s*[./-]\s*([0-9]{1,2})$")
_GERMAN_DAY = re.compile(r"^([0-9]{1,2})\.\s*([0-9]{1,2})\.\s*([0-9]{4})$")
# A bare host name with a known-looking ending, optionally followed by a path.
_BARE_HOST = re.compile(
    r"^(?:www\.)?[A-Za-z0-9äöüÄÖÜß-]+(?:\.[A-Za-z0-9äöüÄÖÜß-]+)*\.[A-Za-z]{2,}(?:[/?#]\S*)?$"
)


def partial_date(value: str, allow_day: bool = False) -> str:
    """``2021-03`` for ``März 2021``, ``03/2021``, ``3.2021``, ``2021/3``; with
    ``allow_day`` also ``2021-03-15`` for ``15.03.2021``; else ""."""
    text = value.strip()
    month = year = day = None
    if match := _MONTH_NAME_YEAR.match(text):
        month = _MONTHS.get(match.group(1).casefold())
        year = int(match.group(2))
    elif match := _NUMERIC_MONTH_YEAR.match(text):
        month, year = int(match.group(1)), int(match.group(2))
    elif match := _YEAR_MONTH.match(text):
        year, month = int(match.group(1)), int(match.group(2))
    elif allow_day and (match := _GERMAN_DAY.match(text)):
        day, month, year = (int(g) for g in match.groups())
    if month is None or year is None or not 1 <= month <= 12:
        return ""
    if day is not None:
        return f"{year:04d}-{month:02d}-{day:02d}" if 1 <= day <= 31 else ""
    return f"{year:04d}-{month:02d}"


def date_hint(value: str, allow_day: bool = False) -> str:
    """ "; gemeint ist wohl '2021-03'" (in quotes, as YAML needs it), or ""."""
    suggestion = partial_date(value, allow_day)
    return f'; gemeint ist wohl "{suggestion}" (in Anführungszeichen)' if suggestion else ""


def url_hint(value: str) -> str:
    """ "; gemeint ist wohl 'https://www.kreis.de'" for an address without scheme, or ""."""
    text = value.strip()
    if "://" in text or "@" in text or " " in text or not _BARE_HOST.match(text):
        return ""
    return f"; gemeint ist wohl 'https://{text}'"


def _fold(text: str) -> str:
    """Compare headings loosely: case, umlauts written as ae/oe/ue, accents, spaces."""
    return fold_words(text).replace(" ", "")


def near_miss(section: str, headings: list[tuple[int, int, str]]) -> tuple[int, str] | None:
    """The heading (file line, level, text) that was probably meant as ``## section``
    (``## Loesung``, ``### Ergebnisse``, ``## Erfahrung``): (line, German message)."""
    wanted = _fold(section)
    best: tuple[float, int, int, str] | None = None
    for line, level, title in headings:
        if level == 2 and title == section:
            continue
        ratio = difflib.SequenceMatcher(None, wanted, _fold(title)).ratio()
        if ratio >= 0.8 and (best is None or ratio > best[0]):
            best = (ratio, line, level, title)
    if best is None:
        return None
    _, line, level, title = best
    return (
        line,
        f"Die Überschrift '{'#' * level} {title}' wird nicht als Abschnitt erkannt: bitte "
        f"genau '## {section}' schreiben",
    )


LEFTOVER_HINT_MESSAGE = (
    "Hier steht noch ein Hinweis aus der Vorlage („Bitte ersetzen: …“); bitte durch den "
    "eigenen Text ersetzen"
)


def leftover_template_hints(lines: list[str], skip: set[int]) -> list[tuple[int, str]]:
    """(index, message) for each line that still holds a hint of ``praxisatlas new``."""
    return [
        (index, LEFTOVER_HINT_MESSAGE)
        for index, line in enumerate(lines)
        if index not in skip and PLACEHOLDER_HINT in line
    ]


def tab_in_yaml(text: str, problem: str, mark: Any, first_line: int) -> tuple[int, str] | None:
    """(file line, German message) when libyaml stumbled over a tab in the YAML header
    (``problem`` and ``mark`` of its error), naming the tab's line and column."""
    if mark is None:
        return None
    lines = text.split("\n")
    line_index, column_index = int(mark.line), int(mark.column)
    at_mark = lines[line_index][column_index : column_index + 1] if line_index < len(lines) else ""
    if "tab" not in problem and at_mark != "\t":
        return None
    for index in (line_index, line_index - 1, line_index + 1):
        if 0 <= index < len(lines) and "\t" in lines[index]:
            line = first_line + index
            column = lines[index].index("\t") + 1
            return line, (
                f"YAML-Syntaxfehler: Tabulator in Zeile {line}, Spalte {column}; YAML erlaubt "
                "zum Einrücken nur Leerzeichen – bitte den Tabulator durch Leerzeichen ersetzen"
            )
    return None
