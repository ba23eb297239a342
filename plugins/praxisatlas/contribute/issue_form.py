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


def _question(
    kind: str, id: str, path: str, extra: str, required: bool | None, label: str, **more: Any
) -> FormField:
    """A question about the declared field at ``path``: its label, description and
    whether it is required, unless the form says otherwise."""
    field = spec(path)
    return FormField(
        id=id,
        kind=kind,
        label=label or field.label,
        description=" ".join(part for part in (field.description, extra) if part),
        target=path,
        required=field.required if required is None else required,
        **more,
    )


def _input(
    id: str,
    path: str,
    extra: str = "",
    required: bool | None = None,
    placeholder: str = "",
    label: str = "",
) -> FormField:
    example = spec(path).example
    placeholder = placeholder or (example if isinstance(example, str) else "")
    return _question("input", id, path, extra, required, label, placeholder=placeholder)


def _dropdown(
    id: str,
    path: str,
    required: bool | None = None,
    multiple: bool = False,
    extra: str = "",
    label: str = "",
) -> FormField:
    options, values = _enum(path)
    return _question(
        "dropdown",
        id,
        path,
        extra,
        required,
        label,
        options=options,
        values=values,
        multiple=multiple,
    )


def _limit_sentence(path: str) -> str:
    """The schema's length limit as a sentence: "Höchstens 90 Zeichen."."""
    limit = spec(path).limit_text
    return f"{limit[:1].upper()}{limit[1:]}."


def _contact(key: str, extra: str = "") -> FormField:
    """A contact question, asked alike in both forms ("Kontakt: E-Mail")."""
    path = f"contact.{key}"
    return _input(
        f"contact_{key}", path, extra, label=f"{spec('contact').label}: {spec(path).label}"
    )


def _open_to(extra: str) -> FormField:
    return _dropdown(
        "open_to", "contact.open_to", multiple=True, label="Kontakt: offen für", extra=extra
    )


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
        _input("title", "title", _limit_sentence("title"), label="Titel des Falls"),
        FormField(
            "summary",
            "textarea",
            spec("summary").label,
            f"{spec('summary').description} {_limit_sentence('summary')}",
            "summary",
            required=True,
            placeholder=str(spec("summary").example),
        ),
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
        _dropdown("status", "status"),
        _input("start", "start", placeholder="2021-09"),
        _input("end", "end", "Leer lassen, wenn das Vorhaben noch läuft.", placeholder="2023"),
        _contact("function"),
        _contact("email"),
        _contact("phone"),
        _contact("url"),
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
        _dropdown("effort_cost", "effort.cost", required=False, label="Aufwand: Kosten"),
        _dropdown("effort_staff", "effort.staff", required=False, label="Aufwand: Personal"),
        _dropdown("effort_duration", "effort.duration", required=False, label="Aufwand: Dauer"),
        FormField(
            "effort_note",
            "textarea",
            "Aufwand: Anmerkung",
            spec("effort.note").description,
            "effort.note",
        ),
        FormField(
            "funding",
            "textarea",
            spec("funding").label,
            f"{spec('funding').description} Ein Programm pro Zeile, Fördergeber in Klammern.",
            "funding",
            placeholder="Modellprojekte Smart Cities (Bund)",
        ),
        _input("software_name", "software.name", label="Software: Name", required=False),
        FormField(
            "software_open_source",
            "dropdown",
            "Software: Open Source?",
            "Ist die eingesetzte Software quelloffen (Quellcode unter einer freien Lizenz)?",
            "software.open_source",
            options=("Ja", "Nein"),
            values=("true", "false"),
        ),
        _input("software_license", "software.license", label="Software: Lizenz", required=False),
        _input(
            "software_repository",
            "software.repository",
            label="Software: Quellcode",
            required=False,
        ),
        FormField(
            "transferability",
            "textarea",
            spec("transferability").label,
            spec("transferability").description,
            "transferability",
        ),
        _input("rights_holder", "rights_holder", label="Rechteinhaber des Textes"),
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
    return fields


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
        _input(
            "contact_function",
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
        _contact(
            "email",
            "Eine öffentliche Adresse der Stelle; E-Mail oder Telefon bitte angeben, wenn "
            "der Fall noch keinen Kontaktweg hat.",
        ),
        _contact("phone"),
        _contact("url"),
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
