"""The case front matter, declared once.

``FIELDS`` is the single source for the validator (``validation.py``), the builder of
``Case`` (``builder.py``), the JSON Schema (``opendata/case_schema.py``), the exports, the
field reference on the contributing page, the issue form and the ``new`` wizard.
Each ``FieldSpec`` says what a key holds (``type`` and ``format``), whether it is
required, its German label and description, allowed values with German labels, length
limits and an example. Rules that depend on other fields or on reference data (Kreis
keys, topic slugs, ids of other cases) are named by ``format`` and checked in
``validation.py``; the JSON Schema covers them as far as JSON Schema can.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from praxisatlas.cases.model import (
    COST_BANDS,
    DURATION_BANDS,
    EVIDENCE,
    LICENSES,
    OPEN_TO,
    ROLES,
    STAFF_BANDS,
    STATUSES,
)

FieldType = Literal["string", "boolean", "list", "object"]

# ``format`` values of string fields:
FORMATS: dict[str, str] = {
    "text": "einzeiliger Klartext (ohne Markdown und HTML)",
    "longtext": "Klartext, auch mehrere Sätze (ohne Markdown und HTML)",
    "enum": "einer der erlaubten Werte",
    "url": "Webadresse mit http:// oder https://",
    "email": "E-Mail-Adresse",
    "phone": "Telefonnummer",
    "date": "Datum JJJJ-MM-TT",
    "partial-date": "Jahr JJJJ oder Jahr und Monat JJJJ-MM",
    "ags": "5-stelliger Kreisschlüssel oder 8-stelliger Gemeindeschlüssel",
    "land": "2-stelliger Länderschlüssel",
    "topic": "Slug eines Themas aus dem Themen-Vokabular",
    "ozg": "Slug eines OZG-Themenfelds",
    "leika": "14-stelliger LeiKa-Schlüssel",
    "case-id": "Kennung (Dateiname ohne .md) eines anderen Falls",
}

ID_PATTERN = r"^[a-z0-9]+(-[a-z0-9]+)*$"
ID_MAX_LENGTH = 80
AGS_PATTERN = r"^([0-9]{5}|[0-9]{8})$"
LAND_PATTERN = r"^(0[1-9]|1[0-6])$"
LEIKA_PATTERN = r"^[0-9]{14}$"
DATE_PATTERN = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"
PARTIAL_DATE_PATTERN = r"^[0-9]{4}(-(0[1-9]|1[0-2]))?$"
# Formats checked by pattern, in the validator and in the published JSON Schema alike
# (JSON Schema patterns have no flags: the validator adds IGNORECASE for URLs and
# MULTILINE for markup itself).
URL_PATTERN = r"^https?://[^\s/?#@]+(:[0-9]+)?([/?#]\S*)?$"
EMAIL_PATTERN = r"^[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}$"
PHONE_PATTERN = r"^\+?[0-9][0-9 ()/.-]*[0-9]$"
# Markup refused in plain-text fields: it would be rendered somewhere (Markdown in
# lists, HTML in feeds).
MARKUP_PATTERN = r"<[A-Za-z/!?]|\]\(|\*\*|__|`|^#|!\["
BODY_SECTIONS: tuple[str, ...] = ("Ausgangslage", "Lösung", "Ergebnisse", "Erfahrungen")
BODY_SECTION_HINTS: dict[str, str] = {
    "Ausgangslage": "Welches Problem gab es, wer war betroffen, was war der Anlass?",
    "Lösung": "Was wurde umgesetzt, mit welchen Partnern und welcher Technik?",
    "Ergebnisse": "Was hat sich verändert? Zahlen bitte mit Quelle oder Messmethode.",
    "Erfahrungen": "Was sollten andere wissen, auch was nicht funktioniert hat?",
}
# ``praxisatlas new`` writes "_Bitte ersetzen: <hint>_" under each section heading;
# ``praxisatlas report`` lists files where it is left.
PLACEHOLDER_HINT = "_Bitte ersetzen:"
MAX_TOPICS = 4


@dataclass(frozen=True)
class FieldSpec:
    """One front-matter key: what it holds and how it is shown to people.

    ``type`` is the YAML shape (``string``, ``boolean``, ``list``, ``object``);
    ``format`` refines strings (see ``FORMATS``); ``items`` describes list elements and
    ``fields`` the keys of an object. ``enum`` maps allowed values to German labels.
    Lengths count characters for strings and elements for lists.
    """

    key: str
    type: FieldType
    label: str
    description: str
    required: bool = False
    format: str | None = None
    enum: dict[str, str] | None = None
    min_length: int | None = None
    max_length: int | None = None
    pattern: str | None = None
    items: FieldSpec | None = None
    fields: tuple[FieldSpec, ...] = ()
    example: object = None

    @property
    def limit_text(self) -> str:
        """The length limit in German, e.g. "höchstens 90 Zeichen" ("" without a limit)."""
        if self.max_length is None:
            return ""
        unit = "Einträge" if self.type == "list" else "Zeichen"
        return f"höchstens {self.max_length} {unit}"

    def field(self, key: str) -> FieldSpec | None:
        """The nested field ``key`` of an object field."""
        for spec in self.fields:
            if spec.key == key:
                return spec
        return None


def _text(
    key: str,
    label: str,
    description: str,
    *,
    required: bool = False,
    min_length: int | None = None,
    max_length: int | None = None,
    pattern: str | None = None,
    example: object = None,
) -> FieldSpec:
    """A one-line plain-text field."""
    return FieldSpec(
        key,
        "string",
        label,
        description,
        required=required,
        format="text",
        min_length=min_length,
        max_length=max_length,
        pattern=pattern,
        example=example,
    )


ORGANISATION = FieldSpec(
    "organisation",
    "object",
    "Organisation",
    "Eine beteiligte Organisation: entweder mit Kreis- oder Gemeindeschlüssel (ags) oder "
    "mit Name und Art (name, kind).",
    fields=(
        FieldSpec(
            "role",
            "string",
            "Rolle",
            "Federführung, Partner oder Nachnutzer.",
            required=True,
            format="enum",
            enum=ROLES,
            example="lead",
        ),
        FieldSpec(
            "ags",
            "string",
            "Kreis- oder Gemeindeschlüssel",
            '5-stelliger Kreisschlüssel (z. B. "05162") oder 8-stelliger Gemeindeschlüssel '
            "eines aktuellen Kreises, in Anführungszeichen. Ein eindeutiger Kreisname wird "
            "ebenfalls erkannt.",
            format="ags",
            pattern=AGS_PATTERN,
            example="05162",
        ),
        _text(
            "name",
            "Name",
            "Name der Organisation; Pflicht ohne ags und bei einem Gemeindeschlüssel.",
            max_length=120,
            example="Zweckverband Kommunale Datenverarbeitung",
        ),
        _text(
            "kind",
            "Art",
            "Art der Organisation, z. B. IT-Dienstleister, Zweckverband, Land, Gemeinde; "
            "Pflicht ohne ags.",
            max_length=60,
            example="IT-Dienstleister",
        ),
        FieldSpec(
            "land",
            "string",
            "Land",
            '2-stelliger Länderschlüssel für Organisationen ohne ags (z. B. "05" für '
            "Nordrhein-Westfalen).",
            format="land",
            pattern=LAND_PATTERN,
            example="05",
        ),
    ),
)

FIELDS: tuple[FieldSpec, ...] = (
    _text(
        "title",
        "Titel",
        "Kurzer, sprechender Titel des Falls.",
        required=True,
        min_length=5,
        max_length=90,
        example="Digitale Bauantragsstellung im Landkreis Beispiel",
    ),
    FieldSpec(
        "summary",
        "string",
        "Kurzbeschreibung",
        "Ein bis zwei Sätze Klartext; erscheint in Listen und als Seitenbeschreibung.",
        required=True,
        format="longtext",
        min_length=20,
        max_length=300,
        example="Der Kreis nimmt Bauanträge vollständig digital entgegen und bearbeitet sie "
        "medienbruchfrei.",
    ),
    FieldSpec(
        "organisations",
        "list",
        "Organisationen",
        "Beteiligte Organisationen; mindestens eine mit der Rolle lead (Federführung).",
        required=True,
        min_length=1,
        max_length=30,
        items=ORGANISATION,
        example=[{"role": "lead", "ags": "05162"}],
    ),
    FieldSpec(
        "topics",
        "list",
        "Themen",
        f"1 bis {MAX_TOPICS} Themen aus dem Themen-Vokabular (Unterthema oder Handlungsfeld).",
        required=True,
        min_length=1,
        max_length=MAX_TOPICS,
        items=FieldSpec("topic", "string", "Thema", "Slug eines Themas.", format="topic"),
        example=["e-akte"],
    ),
    FieldSpec(
        "status",
        "string",
        "Status",
        "Stand des Vorhabens.",
        required=True,
        format="enum",
        enum=STATUSES,
        example="regelbetrieb",
    ),
    FieldSpec(
        "start",
        "string",
        "Beginn",
        "Beginn des Vorhabens als JJJJ oder JJJJ-MM.",
        required=True,
        format="partial-date",
        pattern=PARTIAL_DATE_PATTERN,
        example="2021-09",
    ),
    FieldSpec(
        "end",
        "string",
        "Ende",
        "Ende des Vorhabens als JJJJ oder JJJJ-MM, nicht vor dem Beginn.",
        format="partial-date",
        pattern=PARTIAL_DATE_PATTERN,
        example="2023",
    ),
    FieldSpec(
        "contact",
        "object",
        "Kontakt",
        "Ansprechstelle für andere Kommunen: eine Funktion oder Stelle, keine Privatperson.",
        required=True,
        fields=(
            _text(
                "function",
                "Funktion oder Stelle",
                'Z. B. "Stabsstelle Digitalisierung".',
                required=True,
                min_length=3,
                max_length=120,
                example="Stabsstelle Digitalisierung",
            ),
            FieldSpec(
                "email",
                "string",
                "E-Mail",
                "Möglichst ein Funktionspostfach.",
                format="email",
                max_length=254,
                example="digitalisierung@example.org",
            ),
            FieldSpec(
                "phone",
                "string",
                "Telefon",
                'Telefonnummer der Stelle, z. B. "+49 5121 309-0".',
                format="phone",
                max_length=40,
                example="+49 5121 309-0",
            ),
            FieldSpec(
                "url",
                "string",
                "Webseite",
                "Webseite der Stelle oder des Projekts.",
                format="url",
                max_length=500,
                example="https://example.org/digitalisierung",
            ),
            FieldSpec(
                "open_to",
                "list",
                "Offen für",
                "Wofür die Stelle anderen Kommunen zur Verfügung steht.",
                max_length=len(OPEN_TO),
                items=FieldSpec(
                    "open_to", "string", "Austauschform", "", format="enum", enum=OPEN_TO
                ),
                example=["telefonat", "hospitation"],
            ),
        ),
    ),
    FieldSpec(
        "sources",
        "list",
        "Quellen",
        "Woher die Angaben stammen; mindestens eine öffentlich erreichbare Quelle.",
        required=True,
        min_length=1,
        max_length=20,
        items=FieldSpec(
            "source",
            "object",
            "Quelle",
            "Eine Quelle mit Titel und Webadresse.",
            fields=(
                _text("title", "Titel", "Titel der Quelle.", required=True, max_length=200),
                FieldSpec(
                    "url",
                    "string",
                    "Webadresse",
                    "Adresse der Quelle (http/https).",
                    required=True,
                    format="url",
                    max_length=500,
                ),
                _text(
                    "publisher", "Herausgeber", "Wer die Quelle veröffentlicht hat.", max_length=120
                ),
                FieldSpec(
                    "date",
                    "string",
                    "Datum",
                    "Veröffentlichungsdatum als JJJJ, JJJJ-MM oder JJJJ-MM-TT.",
                    format="partial-date",
                    pattern=r"^[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?$",
                ),
            ),
        ),
        example=[{"title": "Pressemitteilung", "url": "https://example.org/presse"}],
    ),
    FieldSpec(
        "reviewed",
        "string",
        "Zuletzt geprüft",
        "Datum der letzten redaktionellen Prüfung (JJJJ-MM-TT); nach 24 Monaten gilt der "
        "Fall als veraltet.",
        required=True,
        format="date",
        pattern=DATE_PATTERN,
        example="2026-01-15",
    ),
    FieldSpec(
        "confirmed",
        "object",
        "Von der Verwaltung bestätigt",
        "Die Verwaltung, die den Fall verantwortet, hat ihn bestätigt (über das Formular "
        "„Fall bestätigen oder ergänzen“); die Redaktion trägt Datum und Stelle ein.",
        fields=(
            FieldSpec(
                "date",
                "string",
                "Bestätigt am",
                "Datum der Bestätigung (JJJJ-MM-TT).",
                required=True,
                format="date",
                pattern=DATE_PATTERN,
                example="2026-12-01",
            ),
            _text(
                "by",
                "Bestätigt durch",
                "Bestätigende Stelle: Funktion oder Organisationseinheit und Organisation, "
                "keine Privatperson.",
                required=True,
                min_length=3,
                max_length=200,
                example="Stabsstelle Digitalisierung, Landkreis Hildesheim",
            ),
        ),
    ),
    FieldSpec(
        "license",
        "string",
        "Lizenz",
        "Lizenz des Textes (SPDX-Kennung).",
        required=True,
        format="enum",
        enum=LICENSES,
        example="CC-BY-4.0",
    ),
    _text("rights_holder", "Rechteinhaber", "Wer die Rechte am Text hält.", max_length=200),
    FieldSpec(
        "funding",
        "list",
        "Förderung",
        "Förderprogramme, aus denen das Vorhaben finanziert wurde.",
        max_length=10,
        items=FieldSpec(
            "funding",
            "object",
            "Förderprogramm",
            "",
            fields=(
                _text(
                    "programme",
                    "Programm",
                    "Name des Förderprogramms.",
                    required=True,
                    max_length=200,
                ),
                _text("provider", "Fördergeber", "Wer fördert.", max_length=200),
            ),
        ),
    ),
    FieldSpec(
        "effort",
        "object",
        "Aufwand",
        "Grobe Angaben zum Aufwand, als Spannen statt Scheingenauigkeit.",
        fields=(
            FieldSpec("cost", "string", "Kosten", "Kostenspanne.", format="enum", enum=COST_BANDS),
            FieldSpec(
                "staff", "string", "Personal", "Personaleinsatz.", format="enum", enum=STAFF_BANDS
            ),
            FieldSpec(
                "duration",
                "string",
                "Dauer",
                "Dauer der Einführung.",
                format="enum",
                enum=DURATION_BANDS,
            ),
            FieldSpec(
                "note",
                "string",
                "Anmerkung",
                "Erläuterung zum Aufwand.",
                format="longtext",
                max_length=500,
            ),
        ),
    ),
    FieldSpec(
        "outcomes",
        "list",
        "Ergebnisse",
        "Wichtige Ergebnisse mit Angabe, wie belastbar sie sind.",
        max_length=10,
        items=FieldSpec(
            "outcome",
            "object",
            "Ergebnis",
            "",
            fields=(
                FieldSpec(
                    "text",
                    "string",
                    "Ergebnis",
                    "Das Ergebnis in einem Satz.",
                    required=True,
                    format="longtext",
                    max_length=300,
                ),
                FieldSpec(
                    "evidence",
                    "string",
                    "Beleg",
                    "Wie das Ergebnis belegt ist.",
                    required=True,
                    format="enum",
                    enum=EVIDENCE,
                ),
            ),
        ),
    ),
    FieldSpec(
        "transferability",
        "string",
        "Übertragbarkeit",
        "Was andere Kommunen für eine Nachnutzung brauchen.",
        format="longtext",
        max_length=600,
    ),
    FieldSpec(
        "software",
        "object",
        "Software",
        "Eingesetzte Software; bei Open Source mit Lizenz und Quellcode-Adresse.",
        fields=(
            FieldSpec(
                "open_source",
                "boolean",
                "Open Source",
                "true, wenn die Software quelloffen ist, sonst false.",
                required=True,
            ),
            _text("name", "Name", "Name der Software.", max_length=120),
            _text(
                "license",
                "Softwarelizenz",
                "SPDX-Kennung der Softwarelizenz, z. B. EUPL-1.2.",
                max_length=60,
                pattern=r"^[A-Za-z0-9.+-]+( (AND|OR|WITH) [A-Za-z0-9.+-]+)*$",
            ),
            FieldSpec(
                "repository",
                "string",
                "Quellcode",
                "Adresse des Quellcodes (http/https).",
                format="url",
                max_length=500,
            ),
        ),
    ),
    FieldSpec(
        "adopted_from",
        "list",
        "Nachgenutzt von",
        "Kennungen der Fälle, deren Lösung hier nachgenutzt wurde.",
        max_length=20,
        items=FieldSpec("id", "string", "Fall", "", format="case-id", pattern=ID_PATTERN),
    ),
    FieldSpec(
        "related",
        "list",
        "Verwandte Fälle",
        "Kennungen verwandter Fälle.",
        max_length=20,
        items=FieldSpec("id", "string", "Fall", "", format="case-id", pattern=ID_PATTERN),
    ),
    FieldSpec(
        "ozg_themenfeld",
        "list",
        "OZG-Themenfeld",
        "Themenfelder des OZG-Umsetzungskatalogs.",
        max_length=14,
        items=FieldSpec("ozg", "string", "OZG-Themenfeld", "", format="ozg"),
    ),
    FieldSpec(
        "leika",
        "list",
        "LeiKa-Schlüssel",
        "14-stellige Schlüssel des Leistungskatalogs (LeiKa), in Anführungszeichen.",
        max_length=50,
        items=FieldSpec(
            "leika", "string", "LeiKa-Schlüssel", "", format="leika", pattern=LEIKA_PATTERN
        ),
        example=["99050012104000"],
    ),
    FieldSpec(
        "fictitious",
        "boolean",
        "Fiktiv",
        "Nur für Test- und Messdaten: true kennzeichnet einen erfundenen Fall.",
    ),
)

FIELDS_BY_KEY: dict[str, FieldSpec] = {spec.key: spec for spec in FIELDS}
