"""German text: numbers, dates, plurals and lists, all through Babel's ``de_DE`` locale.

Every page, export and message that shows a number or a date to people formats it here,
so "1.234 Fälle" and "7. März 2026" look the same everywhere and no module keeps its own
month names or thousands separator.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from functools import cache
from typing import Literal

from babel import Locale
from babel.dates import format_date
from babel.lists import format_list
from babel.numbers import format_decimal

LOCALE = Locale.parse("de_DE")

# Nouns the site counts, as (singular, plural); ``count`` picks by Babel's plural rule.
CASES = ("Fall", "Fälle")
SOURCES = ("Quelle", "Quellen")


# Memoised: a build formats the same few numbers and dates thousands of times, and Babel
# takes tens of microseconds for each.
@cache
def number(value: int) -> str:
    """``1234`` → ``1.234``."""
    return format_decimal(value, locale=LOCALE)


@cache
def date(value: dt.date) -> str:
    """``2026-03-07`` → ``07.03.2026`` (fact boxes, reports, messages)."""
    return format_date(value, "dd.MM.yyyy", locale=LOCALE)


@cache
def noun(count: int, forms: tuple[str, str]) -> str:
    """The singular or plural of ``forms`` that goes with ``count``."""
    singular, plural = forms
    return singular if LOCALE.plural_form(count) == "one" else plural


def count(value: int, forms: tuple[str, str] = CASES) -> str:
    """``1`` → ``1 Fall``, ``1234`` → ``1.234 Fälle``."""
    return f"{number(value)} {noun(value, forms)}"


def join(items: Iterable[str], style: Literal["und", "oder"] = "und") -> str:
    """``a, b und c`` (or ``a, b oder c``)."""
    return format_list(list(items), style="standard" if style == "und" else "or", locale=LOCALE)
