"""The publishing body's details in the legal pages (Impressum, Datenschutz, Barrierefreiheit).

The details live in one place, ``extra.betreiber`` in ``mkdocs.yml``; the hand-written
pages in ``docs/`` refer to them with markers like ``{{ betreiber.name }}``. This module
holds the list of those details (``FIELDS``), a page filter that fills the markers in
(escaped, so a value can form neither HTML nor Markdown), and a configuration check that
names every detail still missing or still a placeholder. The plugin fails a production
build on those messages; a demo build only notes them and shows the placeholders
highlighted on the pages.

Only hand-written pages pass through page filters; case bodies never do, so contributed
text cannot use the markers.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from dataclasses import dataclass
from typing import Any

from markupsafe import escape

from praxisatlas import text_de
from praxisatlas.output import PageContext, SiteSettings

CONFIG_KEY = "betreiber"
MARKER = re.compile(r"\{\{\s*betreiber\.([A-Za-z0-9_]+)\s*\}\}")
# A placeholder is "[PLATZHALTER: …]"; it may stand alone or inside a partly filled value.
PLACEHOLDER = re.compile(r"\[\s*PLATZHALTER\b[^\]]*\]", re.IGNORECASE)
# Characters that mean something in Markdown or HTML become numeric entities.
_MD_SPECIAL = re.compile(r"[\\`*_{}\[\]()#+\-.!|~^=:<>&\"'$]")
_EMAIL = re.compile(r"^[^@\s<>\"']+@[^@\s<>\"']+\.[^@\s<>\"']+$")


@dataclass(frozen=True)
class Field:
    """One detail of the publishing body, with the German hint shown while it is missing."""

    key: str
    label: str
    kind: str = "text"  # "text", "email", "date"


FIELDS: tuple[Field, ...] = (
    Field("name", "Name der herausgebenden Stelle"),
    Field("rechtsform", "Rechtsform, z. B. Körperschaft des öffentlichen Rechts"),
    Field("anschrift", "Postanschrift der herausgebenden Stelle"),
    Field("vertreten_durch", "vertretungsberechtigte Person mit Funktion"),
    Field("email", "E-Mail-Adresse für Anfragen", kind="email"),
    Field("telefon", "Telefonnummer für Anfragen"),
    Field(
        "inhaltlich_verantwortlich",
        "Verantwortlich für den Inhalt nach § 18 Abs. 2 MStV: Name und Anschrift",
    ),
    Field("aufsichtsbehoerde", "zuständige Aufsichtsbehörde (Kommunal- oder Rechtsaufsicht)"),
    Field("datenschutzbeauftragter", "Kontakt der oder des Datenschutzbeauftragten"),
    Field("datenschutz_aufsichtsbehoerde", "zuständige Datenschutz-Aufsichtsbehörde"),
    Field(
        "rechtsgrundlage_datenschutz",
        "Rechtsgrundlage der Verarbeitung nach DSGVO und Landes- oder Bundesrecht",
    ),
    Field("hoster", "Hosting-Anbieter mit Anschrift"),
    Field("server_protokolle", "Server-Protokolle des Hosting-Anbieters: Inhalt und Speicherdauer"),
    Field("barrierefreiheit_recht", "Rechtsgrundlage der Erklärung zur Barrierefreiheit"),
    Field("stand_barrierefreiheit", "Datum der Erklärung zur Barrierefreiheit", kind="date"),
    Field("schlichtungsstelle", "Durchsetzungsverfahren: zuständige Schlichtungsstelle"),
)
FIELDS_BY_KEY = {field.key: field for field in FIELDS}


def _md_escape(text: str) -> str:
    """HTML-escape ``text`` and turn Markdown syntax characters into entities."""
    return _MD_SPECIAL.sub(lambda m: f"&#{ord(m.group())};", text)


def _mark(text: str) -> str:
    return f'<mark class="pa-placeholder">{_md_escape(text)}</mark>'


def _as_date(value: Any) -> dt.date | None:
    """A date from YAML (unquoted ``2026-11-22``) or an ISO date string."""
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            return None
    return None


def _value_text(value: Any) -> str | None:
    """The value as text (dates in German notation); ``None`` for lists, maps, empty."""
    date = _as_date(value)
    if date is not None:
        return text_de.date(date)
    if isinstance(value, bool) or value is None or isinstance(value, list | dict):
        return None
    text = str(value).strip()
    return text or None


def _render_line(line: str) -> str:
    """One line of a value; placeholder parts highlighted, everything escaped."""
    parts: list[str] = []
    position = 0
    for match in PLACEHOLDER.finditer(line):
        parts.append(_md_escape(line[position : match.start()]))
        parts.append(_mark(match.group()))
        position = match.end()
    parts.append(_md_escape(line[position:]))
    return "".join(parts)


def render_value(key: str, details: dict[str, Any]) -> str:
    """Inline HTML for ``betreiber.<key>``: safe in a Markdown paragraph, list or table."""
    field = FIELDS_BY_KEY.get(key)
    if field is None:
        return _mark(f"[PLATZHALTER: unbekannte Angabe „{CONFIG_KEY}.{key}“]")
    text = _value_text(details.get(key))
    if text is None:
        return _mark(f"[PLATZHALTER: {field.label}]")
    if field.kind == "email" and _EMAIL.match(text):
        return f'<a href="mailto:{escape(text)}">{_md_escape(text)}</a>'
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return "<br>".join(_render_line(line) for line in lines)


def _details(extra: dict[str, Any]) -> dict[str, Any]:
    details = extra.get(CONFIG_KEY)
    return details if isinstance(details, dict) else {}


def fill_details(markdown: str, context: PageContext) -> str:
    """Replace every ``{{ betreiber.<key> }}`` marker of a hand-written page."""
    if "betreiber" not in markdown:
        return markdown
    details = _details(context.extra)
    return MARKER.sub(lambda m: render_value(m.group(1), details), markdown)


def check_details(extra: dict[str, Any], settings: SiteSettings) -> list[str]:
    """German messages for every missing, malformed or placeholder detail."""
    where = f"mkdocs.yml, extra.{CONFIG_KEY}"
    raw = extra.get(CONFIG_KEY)
    if raw is None:
        return [
            f"{where}: Der Abschnitt fehlt. Er enthält die Angaben der herausgebenden Stelle "
            f"für Impressum, Datenschutzerklärung und Erklärung zur Barrierefreiheit "
            f"({', '.join(field.key for field in FIELDS)})."
        ]
    if not isinstance(raw, dict):
        return [f"{where}: muss eine Zuordnung von Angaben sein (z. B. 'name: …')."]
    messages: list[str] = []
    for field in FIELDS:
        value = raw.get(field.key)
        text = _value_text(value)
        if field.key not in raw:
            messages.append(f"{where}.{field.key}: Angabe fehlt ({field.label}).")
        elif text is None:
            messages.append(f"{where}.{field.key}: Angabe ist leer oder kein Text ({field.label}).")
        elif PLACEHOLDER.search(text):
            messages.append(
                f"{where}.{field.key}: noch ein Platzhalter – bitte die echte Angabe "
                f"eintragen ({field.label})."
            )
        elif field.kind == "email" and not _EMAIL.match(text):
            messages.append(
                f"{where}.{field.key}: '{text}' ist keine E-Mail-Adresse ({field.label})."
            )
        elif field.kind == "date" and _as_date(value) is None:
            messages.append(
                f"{where}.{field.key}: '{text}' ist kein Datum; bitte im Format JJJJ-MM-TT "
                f"angeben ({field.label})."
            )
    for key in sorted(set(raw) - set(FIELDS_BY_KEY), key=str):
        close = difflib.get_close_matches(str(key), list(FIELDS_BY_KEY), n=1)
        hint = f" Meinten Sie '{close[0]}'?" if close else ""
        messages.append(f"{where}.{key}: unbekannte Angabe.{hint}")
    return messages
