"""The issue forms for contributors without git, generated from the field schema.

Two forms, each one list of ``FormField`` that is the single definition behind its
GitHub issue form, its GitLab description template and ``import-issue``:

- "Neuer Fall" (``form_fields``): ``.github/ISSUE_TEMPLATE/neuer-fall.yml`` and
  ``.gitlab/issue_templates/Neuer-Fall.md``; the import writes a new case file.
- "Fall bestätigen oder ergänzen" (``confirm_fields``):
  ``.github/ISSUE_TEMPLATE/fall-bestaetigen.yml`` and
  ``.gitlab/issue_templates/Fall-bestaetigen.md``; the administration behind a case
  confirms it and names a contact; the import changes the existing case file.

Labels and descriptions come from ``praxisatlas.cases.schema``; the topic options from the
vocabulary, the Länder from the reference data. Regenerate with ``praxisatlas
issue-form`` after changing any of them (``--check`` fails while a file is outdated).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from praxisatlas.cases.model import DEFAULT_LICENSE, LICENSES
from praxisatlas.cases.reference import Reference, load_reference
from praxisatlas.cases.schema import (
    BODY_SECTION_HINTS,
    BODY_SECTIONS,
    FIELDS,
    MAX_TOPICS,
    FieldSpec,
)
from praxisatlas.cases.vocabulary import Vocabulary, load_vocabulary

GITHUB_FORM = ".github/ISSUE_TEMPLATE/neuer-fall.yml"
GITHUB_CONFIG = ".github/ISSUE_TEMPLATE/config.yml"
GITLAB_TEMPLATE = ".gitlab/issue_templates/Neuer-Fall.md"
ISSUE_LABEL = "neuer-fall"
TITLE_PREFIX = "[Neuer Fall]: "
CONFIRM_GITHUB_FORM = ".github/ISSUE_TEMPLATE/fall-bestaetigen.yml"
CONFIRM_GITLAB_TEMPLATE = ".gitlab/issue_templates/Fall-bestaetigen.md"
CONFIRM_LABEL = "fall-bestaetigen"
CONFIRM_TITLE_PREFIX = "[Fall bestätigen]: "
TOPIC_SEPARATOR = " › "
GENERAL_TOPIC = "übergreifend"
DEFAULT_SITE_URL = "https://praxisatlas.example.org/"

# How GitHub renders an empty optional field in the issue body.
NO_RESPONSE = "_No response_"


@dataclass(frozen=True)
class FormField:
    """One element of the form and where its answer goes in the case file.

    ``target`` is a front-matter path (``contact.email``), ``body:<Abschnitt>`` for a
    body section, or a name handled by ``importissue`` (``lead.land``, ``partners``,
    ``consent``…). ``options`` are what people see; ``values`` what is written.
    """

    id: str
    kind: str  # "input" | "textarea" | "dropdown" | "checkboxes"
    label: str
    description: str
    target: str
    required: bool = False
    options: tuple[str, ...] = ()
    values: tuple[str, ...] = ()
    multiple: bool = False
    placeholder: str = ""
    # Further accepted answers (text → value), e.g. a sub-topic's label alone.
    aliases: tuple[tuple[str, str], ...] = ()


def spec(path: str) -> FieldSpec:
    """The schema field at a dotted path, e.g. ``contact.email`` or ``sources.url``."""
    specs: tuple[FieldSpec, ...] = FIELDS
    found: FieldSpec | None = None
    for key in path.split("."):
        found = next((s for s in specs if s.key == key), None)
        if found is None:
            raise KeyError(path)
        inner = found.items if found.items is not None else found
        specs = inner.fields
    assert found is not None
    return found


def topic_options(vocabulary: Vocabulary) -> list[tuple[str, str]]:
    """(label, slug) for every active topic: "Handlungsfeld › Unterthema" in file order."""
    options = []
    for field in vocabulary.fields:
        if not field.deprecated:
            options.append((f"{field.label}{TOPIC_SEPARATOR}{GENERAL_TOPIC}", field.slug))
        for child in vocabulary.children(field.slug):
            if not child.deprecated:
                options.append((f"{field.label}{TOPIC_SEPARATOR}{child.label}", child.slug))
    return options


def topic_aliases(vocabulary: Vocabulary) -> list[tuple[str, str]]:
    """(text, slug) for topic answers without the Handlungsfeld: a label that names one
    active topic only (a Handlungsfeld or an Unterthema), and every active slug."""
    active = [t for t in vocabulary.topics.values() if not t.deprecated]
    labels: dict[str, list[str]] = {}
    for topic in active:
        labels.setdefault(topic.label, []).append(topic.slug)
    aliases = [(label, slugs[0]) for label, slugs in labels.items() if len(slugs) == 1]
    return aliases + [(topic.slug, topic.slug) for topic in active]


def _enum(path: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    field = spec(path)
    enum = field.enum or (field.items.enum if field.items else None) or {}
    return tuple(enum.values()), tuple(enum.keys())


def _limit_sentence(path: str) -> str:
    """The schema's length limit as a sentence: "Höchstens 90 Zeichen."."""
    limit = spec(path).limit_text
    return f"{limit[:1].upper()}{limit[1:]}."


def ask(path: str, extra: str = "", *, label: str = "", id: str = "") -> FormField:
    """The question for the declared field at ``path``, as its declaration says: a
    dropdown for allowed values (several for a list), a text area for long text, else an
    input; the German label ("Kontakt: E-Mail" for a nested key), help text, whether it is
    required and an example come from the declaration. ``extra`` adds to the help text."""
    field = spec(path)
    parent = path.rpartition(".")[0]
    common: dict[str, Any] = {
        "id": id or path.replace(".", "_"),
        "label": label or (f"{spec(parent).label}: {field.label}" if parent else field.label),
        "description": " ".join(part for part in (field.description, extra) if part),
        "target": path,
        "required": field.required,
    }
    items = field.items if field.type == "list" else field
    if items is not None and items.enum:
        options, values = _enum(path)
        multiple = field.type == "list"
        return FormField(
            kind="dropdown", options=options, values=values, multiple=multiple, **common
        )
    example = field.example if isinstance(field.example, str) else ""
    kind = "textarea" if field.format == "longtext" else "input"
    return FormField(kind=kind, placeholder=example, **common)


# Declared keys the "Neuer Fall" form does not ask for: set by the editors (review,
# confirmation) or needing knowledge of the catalogue and its references.
NOT_ASKED = frozenset(
    {"reviewed", "confirmed", "adopted_from", "related", "ozg_themenfeld", "leika", "fictitious"}
)


def unlisted_keys(listed: list[FormField]) -> list[str]:
    """Declared top-level keys of plain values (text, allowed values) that neither the
    ``listed`` questions nor ``NOT_ASKED`` cover: a new optional field is asked without
    more ado."""
    # lead.land, lead.kreis and partners are the form's questions for organisations.
    asked = {form.target.split(".")[0] for form in listed} | {"organisations"}
    return [
        field.key
        for field in FIELDS
        if field.key not in asked | NOT_ASKED
        and (field.type == "string" or (field.items is not None and field.items.type == "string"))
    ]


def _open_to(extra: str) -> FormField:
    return ask("contact.open_to", extra, label="Kontakt: offen für", id="open_to")


# Both forms ask this consent before contact data is published: (option, value).
CONTACT_CONSENT = (
    "Die genannte Stelle ist damit einverstanden, dass ihre Kontaktdaten veröffentlicht werden.",
    "contact",
)


def _consent(*options: tuple[str, str]) -> FormField:
    return FormField(
        "consent",
        "checkboxes",
        "Einverständnis",
        "Der Praxisatlas veröffentlicht die Kontaktdaten, damit andere Kommunen nachfragen können.",
        "consent",
        required=True,
        options=tuple(option for option, _value in options),
        values=tuple(value for _option, value in options),
    )


def form_fields(
    vocabulary: Vocabulary | None = None, reference: Reference | None = None
) -> list[FormField]:
    """Every element of the form, in order."""
    vocabulary = vocabulary or load_vocabulary()
    reference = reference or load_reference()
    topics = topic_options(vocabulary)
    laender = [land for land in reference.laender]
    license_label = LICENSES[DEFAULT_LICENSE]
    fields = [
        ask("title", _limit_sentence("title"), label="Titel des Falls"),
        ask("summary", _limit_sentence("summary")),
        FormField(
            "land",
            "dropdown",
            "Land",
            "In welchem Land liegt der federführende Kreis oder die kreisfreie Stadt?",
            "lead.land",
            required=True,
            options=tuple(land.name for land in laender),
            values=tuple(land.code for land in laender),
        ),
        FormField(
            "kreis",
            "input",
            "Federführender Kreis oder kreisfreie Stadt",
            "Name (z. B. „Landkreis Hildesheim“ oder „Bielefeld“) oder 5-stelliger "
            "Kreisschlüssel (z. B. 05162). Ist eine kreisangehörige Gemeinde federführend: "
            "ihr Kreis hier, die Gemeinde unter „Weitere Beteiligte“.",
            "lead.kreis",
            required=True,
            placeholder="Rhein-Kreis Neuss",
        ),
        FormField(
            "partner",
            "textarea",
            "Weitere Beteiligte",
            "Eine Organisation pro Zeile: ein Kreis (Name oder Kreisschlüssel) oder "
            "„Name (Art)“, z. B. „Zweckverband KDN (IT-Dienstleister)“. Nachnutzer mit "
            "„Nachnutzer:“ davor.",
            "partners",
            placeholder="Kreis Lippe\nNachnutzer: Kreis Gütersloh\n"
            "ITK Rheinland (IT-Dienstleister)",
        ),
        FormField(
            "topics",
            "dropdown",
            spec("topics").label,
            f"{spec('topics').description} Bitte 1 bis {MAX_TOPICS} auswählen; "
            f"„{GENERAL_TOPIC}“ wählen, wenn kein Unterthema passt.",
            "topics",
            required=True,
            multiple=True,
            options=tuple(label for label, _slug in topics),
            values=tuple(slug for _label, slug in topics),
            aliases=tuple(topic_aliases(vocabulary)),
        ),
        ask("status"),
        ask("start"),
        ask("end", "Leer lassen, wenn das Vorhaben noch läuft."),
        ask("contact.function"),
        ask("contact.email"),
        ask("contact.phone"),
        ask("contact.url"),
        _open_to("Mehrfachauswahl möglich."),
        FormField(
            "sources",
            "textarea",
            spec("sources").label,
            f"{spec('sources').description} Eine Quelle pro Zeile: Titel, dann die Webadresse.",
            "sources",
            required=True,
            placeholder="Pressemitteilung des Kreises https://www.kreis-beispiel.de/presse/123",
        ),
        *(
            FormField(
                f"body_{_ascii(section)}",
                "textarea",
                section,
                BODY_SECTION_HINTS[section],
                f"body:{section}",
                required=True,
            )
            for section in BODY_SECTIONS
        ),
        FormField(
            "outcomes",
            "textarea",
            "Wichtigste Ergebnisse in Stichpunkten",
            f"{spec('outcomes').description} Ein Ergebnis pro Zeile; am Ende in Klammern, "
            "wie es belegt ist: (gemessen), (geschätzt) oder (berichtet).",
            "outcomes",
            placeholder="Bearbeitungszeit von 6 auf 2 Wochen gesunken (gemessen)",
        ),
        ask("effort.cost"),
        ask("effort.staff"),
        ask("effort.duration"),
        ask("effort.note"),
        FormField(
            "funding",
            "textarea",
            spec("funding").label,
            f"{spec('funding').description} Ein Programm pro Zeile, Fördergeber in Klammern.",
            "funding",
            placeholder="Modellprojekte Smart Cities (Bund)",
        ),
        ask("software.name"),
        FormField(
            "software_open_source",
            "dropdown",
            "Software: Open Source?",
            "Ist die eingesetzte Software quelloffen (Quellcode unter einer freien Lizenz)?",
            "software.open_source",
            options=("Ja", "Nein"),
            values=("true", "false"),
        ),
        ask("software.license", label="Software: Lizenz"),
        ask("software.repository"),
        ask("transferability"),
        ask("rights_holder", label="Rechteinhaber des Textes"),
    ]
    closing = [
        FormField(
            "license",
            "checkboxes",
            "Lizenz",
            "Beiträge erscheinen unter einer freien Lizenz, damit andere sie nutzen dürfen.",
            "license",
            required=True,
            options=(
                f"Der Text darf unter {license_label} (CC BY 4.0) veröffentlicht werden, "
                "und ich darf das erlauben.",
            ),
            values=(DEFAULT_LICENSE,),
        ),
        _consent(
            CONTACT_CONSENT,
            ("Der Beitrag enthält keine personenbezogenen Daten von Privatpersonen.", "privacy"),
        ),
    ]
    # Declared fields the form does not list: asked as their declaration says.
    unlisted = [ask(key) for key in unlisted_keys(fields + closing)]
    return fields + unlisted + closing


def confirm_fields(reference: Reference | None = None) -> list[FormField]:
    """Every element of the form "Fall bestätigen oder ergänzen", in order.

    The contact fields are those of "Neuer Fall" (same schema labels), so an answer means
    the same in both forms. ``case`` names the existing case; ``corrections`` is free text
    for the editors and is never written into the file unread.
    """
    del reference  # the form lists no reference data; kept for a uniform signature
    return [
        FormField(
            "case",
            "input",
            "Fall (Kennung oder Adresse)",
            "Welcher Fall im Praxisatlas? Die Adresse der Fallseite "
            "(z. B. https://praxisatlas.example.org/faelle/e-akte-kreis-lippe/) oder nur "
            "die Kennung am Ende (e-akte-kreis-lippe).",
            "case",
            required=True,
            placeholder="e-akte-kreis-lippe",
        ),
        FormField(
            "confirm",
            "checkboxes",
            "Bestätigung",
            "Haken setzen, wenn die Beschreibung des Falls zutrifft (Korrekturen bitte unten "
            "nennen). Ohne Haken werden nur die Kontaktangaben ergänzt.",
            "confirmed",
            options=(
                "Die Angaben zu diesem Fall sind zutreffend (bei Bedarf mit den Korrekturen "
                "unten).",
            ),
            values=("confirmed",),
        ),
        ask(
            "contact.function",
            "Sie erscheint auf der Fallseite als Ansprechstelle.",
            label="Ihre Stelle (Funktion oder Organisationseinheit)",
        ),
        FormField(
            "organisation",
            "input",
            "Ihre Organisation",
            "Verwaltung, zu der die Stelle gehört, z. B. „Landkreis Hildesheim“ oder "
            "„Stadt Bielefeld“.",
            "confirmed.by",
            required=True,
            placeholder="Landkreis Hildesheim",
        ),
        ask(
            "contact.email",
            "Eine öffentliche Adresse der Stelle; E-Mail oder Telefon bitte angeben, wenn "
            "der Fall noch keinen Kontaktweg hat.",
        ),
        ask("contact.phone"),
        ask("contact.url"),
        _open_to("Mehrfachauswahl möglich; leer lassen, um die bisherige Angabe zu behalten."),
        FormField(
            "corrections",
            "textarea",
            "Korrekturen und Ergänzungen",
            "Was an der Beschreibung nicht (mehr) stimmt oder fehlt, gern mit Quelle. Die "
            "Redaktion arbeitet es von Hand ein.",
            "corrections",
            placeholder="Seit 2024 im Regelbetrieb; Ergebnisse: siehe Bericht "
            "https://www.kreis-beispiel.de/bericht",
        ),
        _consent(
            ("Ich gehöre zur genannten Verwaltung oder spreche in ihrem Auftrag.", "authority"),
            CONTACT_CONSENT,
            ("Die Angaben enthalten keine personenbezogenen Daten von Privatpersonen.", "privacy"),
        ),
    ]


def _ascii(text: str) -> str:
    return text.lower().replace("ö", "oe").replace("ä", "ae").replace("ü", "ue")
