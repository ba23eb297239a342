"""Anchors of headings (``#baden-wuerttemberg``): German transliteration, as in every URL
of the site (``/laender/baden-wuerttemberg/``), instead of dropping the umlauts
(Python-Markdown's default makes ``#baden-wurttemberg``)."""

from __future__ import annotations

import unicodedata

from markdown.extensions.toc import slugify as markdown_slugify

_GERMAN = str.maketrans(
    {"ä": "ae", "ö": "oe", "ü": "ue", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue", "ß": "ss"}
)


def slugify(value: str, separator: str) -> str:
    """The ``slugify`` of Python-Markdown's ``toc`` extension, after ä → ae, ö → oe,
    ü → ue, ß → ss (other accents are dropped as before: é → e)."""
    slug: str = markdown_slugify(unicodedata.normalize("NFC", value).translate(_GERMAN), separator)
    return slug
