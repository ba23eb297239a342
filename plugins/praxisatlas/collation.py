"""German alphabetical order for titles and names, the same on every page."""

from __future__ import annotations

_UMLAUTS = str.maketrans({"ä": "a", "ö": "o", "ü": "u", "ß": "ss"})


def german_sort_key(text: str) -> str:
    """German-ish alphabetical order: umlauts sort with their base letter ("Ämter" under A)."""
    return text.casefold().translate(_UMLAUTS)
