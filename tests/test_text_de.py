"""German numbers, dates, plurals and lists (text_de): one place, Babel's de_DE rules."""

from __future__ import annotations

import datetime as dt

from praxisatlas import text_de


def test_numbers_group_thousands_with_a_dot() -> None:
    assert [text_de.number(n) for n in (0, 7, 999, 1000, 12345, 1234567)] == [
        "0",
        "7",
        "999",
        "1.000",
        "12.345",
        "1.234.567",
    ]


def test_dates_day_month_year() -> None:
    assert text_de.date(dt.date(2026, 3, 7)) == "07.03.2026"
    assert text_de.date(dt.date(999, 12, 24)) == "24.12.0999"


def test_count_picks_singular_only_for_one() -> None:
    assert text_de.count(0) == "0 Fälle"
    assert text_de.count(1) == "1 Fall"
    assert text_de.count(2) == "2 Fälle"
    assert text_de.count(1234) == "1.234 Fälle"
    assert text_de.count(1, text_de.SOURCES) == "1 Quelle"
    assert text_de.count(3, ("Kreis", "Kreisen")) == "3 Kreisen"
    assert text_de.noun(1, ("Land", "Länder")) == "Land"


def test_lists_join_with_und_or_oder() -> None:
    assert text_de.join([]) == ""
    assert text_de.join(["Bayern"]) == "Bayern"
    assert text_de.join(["Bayern", "Hessen"]) == "Bayern und Hessen"
    assert text_de.join(["A", "B", "C"]) == "A, B und C"
    assert text_de.join(["A", "B", "C"], "oder") == "A, B oder C"
