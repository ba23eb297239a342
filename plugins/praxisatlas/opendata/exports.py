"""Open data under ``/daten/``: ``faelle.json``, ``faelle.csv``, their schemas and the page.

``faelle.json`` holds every field of every case plus derived fields (Länder, Kreise,
county type, population class, Handlungsfelder, URL) under a dataset header with
attribution of the reference data. ``faelle.csv`` is made for German Excel opened by
double-click: UTF-8 with byte-order mark (else Excel guesses Windows-1252), ``;`` as
delimiter (the list separator of the German locale), CRLF line ends, every field quoted,
lists joined with " | ", and cells that Excel would read as a formula prefixed with ``'``.
The column reference on the ``/daten/`` page comes from the same ``COLUMNS`` list that
writes the CSV, and their labels and descriptions from the field specs in ``schema.py``.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import partial
from typing import Any

from markupsafe import escape

from praxisatlas import text_de
from praxisatlas.cases.catalogue import Catalogue
from praxisatlas.cases.model import (
    COST_BANDS,
    DURATION_BANDS,
    EVIDENCE,
    LICENSES,
    NOT_STATED,
    OPEN_TO,
    STAFF_BANDS,
    STATUSES,
    Case,
    Organisation,
    PartialDate,
    yes_no,
)
from praxisatlas.cases.reference import (
    COUNTY_TYPE_LABELS,
    GEOMETRY_ATTRIBUTION,
    GEOMETRY_LICENSE,
    GEOMETRY_LICENSE_URL,
    KREIS_ATTRIBUTION,
    POPULATION_CLASS_LABELS,
    POPULATION_DATE,
    Land,
)
from praxisatlas.cases.schema import FIELDS, FIELDS_BY_KEY, FieldSpec
from praxisatlas.opendata.case_schema import schema_json
from praxisatlas.opendata.export_schema import as_json, case_file_schema, dataset_schema
from praxisatlas.output import OutputFile, SiteSettings, json_for_script, page_front_matter

# Bump the major version when a key is removed or changes meaning, the minor version
# when keys are added; consumers can rely on that.
SCHEMA_VERSION = "2.0"
DATASET_LICENSE = "CC-BY-4.0"
JSON_PATH = "daten/faelle.json"
# One file per case with its whole record and its text: the texts are most of the data,
# and in one file they would pass the size limit of git-based Pages hosts at 10,000 cases.
CASE_JSON_DIR = "daten/faelle"
CSV_PATH = "daten/faelle.csv"
# The schema of what a contributor writes (the front matter of cases/<id>.md) ...
CASE_FILE_SCHEMA_PATH = "daten/falldatei.schema.json"
# ... and the schemas of the export files themselves.
JSON_SCHEMA_PATH = "daten/faelle.schema.json"
CASE_JSON_SCHEMA_PATH = "daten/fall.schema.json"
PAGE_PATH = "daten/index.md"
LIST_SEPARATOR = " | "
# A cell starting with one of these is a formula (or DDE payload) in Excel/LibreOffice.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def absolute_url(settings: SiteSettings, path: str) -> str:
    """``path`` (site-relative, e.g. "faelle/x/") under ``site_url``; unchanged without one."""
    if not settings.site_url:
        return path
    return settings.site_url.rstrip("/") + "/" + path.lstrip("/")


# --- JSON ---------------------------------------------------------------------------------


def _date(value: PartialDate | None) -> str | None:
    return str(value) if value is not None else None


def _data(spec: FieldSpec, value: Any) -> Any:
    """A model value as JSON data, shaped by its declaration (every declared key present)."""
    if value is None:
        return None
    if spec.type == "list":
        assert spec.items is not None
        return [_data(spec.items, item) for item in value]
    if spec.type == "object":
        return {f.key: _data(f, getattr(value, f.key, None)) for f in spec.fields}
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, PartialDate | Land):
        return value.code if isinstance(value, Land) else str(value)
    return value


def case_json_path(case_id: str) -> str:
    return f"{CASE_JSON_DIR}/{case_id}.json"


def case_record(
    case: Case, catalogue: Catalogue, settings: SiteSettings, *, body: bool = True
) -> dict[str, Any]:
    """Every front-matter field under its own key, the body (unless ``body`` is false),
    and ``derived`` values."""
    vocabulary = catalogue.vocabulary
    kreis = case.primary_kreis
    return {
        "id": case.id,
        **{spec.key: _data(spec, case.value(spec.key)) for spec in FIELDS},
        **({"body": case.body} if body else {}),
        "derived": {
            "url": absolute_url(settings, case.url),
            "record_url": absolute_url(settings, case_json_path(case.id)),
            "laender": [
                {"code": land.code, "slug": land.slug, "name": land.name} for land in case.laender
            ],
            "kreise": [
                {"ags": k.ags, "name": k.name, "label": k.label, "type": k.type}
                for k in case.kreise
            ],
            "county_type": None
            if kreis is None
            else {"slug": kreis.type, "label": COUNTY_TYPE_LABELS[kreis.type]},
            "population_class": None
            if kreis is None
            else {
                "slug": kreis.population_class,
                "label": POPULATION_CLASS_LABELS[kreis.population_class],
                "population": kreis.population_2018,
                "date": POPULATION_DATE,
            },
            "handlungsfelder": [
                {"slug": slug, "label": vocabulary.topics[slug].label} for slug in case.fields
            ],
            "topic_labels": [vocabulary.topics[slug].label for slug in case.topics],
            "status_label": STATUSES[case.status],
            "stale": case.is_stale(catalogue.today),
            # "ja", "nein" or "keine Angabe", as the catalogue's filters count them.
            "open_to_exchange": yes_no(case.open_to_exchange),
            "open_source": yes_no(case.open_source),
        },
    }


def dataset(catalogue: Catalogue, settings: SiteSettings) -> dict[str, Any]:
    """The whole ``faelle.json`` document."""
    return {
        "schema_version": SCHEMA_VERSION,
        "generated": settings.build_date.isoformat(),
        "source": absolute_url(settings, "") or None,
        "license": DATASET_LICENSE,
        "license_note": (
            "Die Zusammenstellung steht unter CC-BY-4.0 (Namensnennung: Praxisatlas). "
            "Jeder Fall steht unter der Lizenz in seinem Feld 'license'; Rechteinhaber ist "
            "'rights_holder' oder, wenn leer, die federführende Organisation."
        ),
        "attribution": {
            "kreise": KREIS_ATTRIBUTION,
            "population_date": POPULATION_DATE,
            "vocabulary_version": catalogue.vocabulary.version,
        },
        "count": len(catalogue),
        "cases": [case_record(case, catalogue, settings, body=False) for case in catalogue],
    }


def _compact(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":")) + "\n"


def render_json(catalogue: Catalogue, settings: SiteSettings) -> str:
    """``faelle.json``: every case without its text (compact: it is read by programs)."""
    return _compact(dataset(catalogue, settings))


def render_case_json(case: Case, catalogue: Catalogue, settings: SiteSettings) -> str:
    """``faelle/<id>.json``: one case's whole record with its text."""
    record = case_record(case, catalogue, settings)
    return _compact({"schema_version": SCHEMA_VERSION, **record})


# --- CSV ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    """One CSV column: header, what it holds, the front-matter key it comes from."""

    header: str
    description: str
    value: Callable[[Case, Catalogue, SiteSettings], str]
    key: str = ""  # front-matter key (dotted for nested fields); "" for derived columns


def _join(values: Iterable[str]) -> str:
    return LIST_SEPARATOR.join(v for v in values if v)


def _org_label(org: Organisation) -> str:
    return f"{org.name} ({org.ags or org.kind})"


def _orgs(role: str) -> Callable[[Case, Catalogue, SiteSettings], str]:
    return lambda c, _cat, _s: _join(_org_label(o) for o in c.organisations if o.role == role)


def _spec(key: str) -> FieldSpec:
    """The field spec of ``key`` or ``parent.child``."""
    parent, _, child = key.partition(".")
    spec = FIELDS_BY_KEY[parent]
    if child:
        nested = spec.field(child)
        if nested is None:
            raise KeyError(key)
        return nested
    return spec


def _field(
    key: str, value: Callable[[Case, Catalogue, SiteSettings], str], header: str = ""
) -> Column:
    """A column filled from a front-matter field: header and description from its spec."""
    spec = _spec(key)
    parent, _, child = key.partition(".")
    label = header or (f"{FIELDS_BY_KEY[parent].label}: {spec.label}" if child else spec.label)
    return Column(label, spec.description, value, key)


def _effort(case: Case, part: str, labels: dict[str, str] | None = None) -> str:
    """One part of ``effort`` ("cost", "staff", …), as its German band label if banded."""
    value: str | None = getattr(case.effort, part) if case.effort else None
    if not value:
        return ""
    return labels[value] if labels else value


def _source(case: Case) -> str:
    parts = []
    for source in case.sources:
        detail = ", ".join(p for p in (source.publisher, source.date) if p)
        parts.append(f"{source.title}{f' ({detail})' if detail else ''}: {source.url}")
    return _join(parts)


def _open_to(case: Case) -> str:
    open_to = case.contact.open_to
    if open_to is None:
        return NOT_STATED
    return _join(OPEN_TO[v] for v in open_to) or "nein"


_FIELD_COLUMNS: tuple[Column, ...] = (
    Column(
        "Kennung",
        "Eindeutige Kennung des Falls (Dateiname ohne .md); Teil der Adresse der Fallseite.",
        lambda c, _cat, _s: c.id,
    ),
    _field("title", lambda c, _cat, _s: c.title),
    _field("summary", lambda c, _cat, _s: c.summary),
    Column(
        "Federführung",
        "Organisationen mit der Rolle Federführung, je mit Kreisschlüssel oder Art.",
        _orgs("lead"),
        "organisations",
    ),
    Column(
        "Partner",
        "Organisationen mit der Rolle Partner, je mit Kreisschlüssel oder Art.",
        _orgs("partner"),
        "organisations",
    ),
    Column(
        "Nachnutzer",
        "Organisationen mit der Rolle Nachnutzer, je mit Kreisschlüssel oder Art.",
        _orgs("adopter"),
        "organisations",
    ),
    Column(
        "Länder",
        "Abgeleitet: Länder aller beteiligten Organisationen.",
        lambda c, _cat, _s: _join(land.name for land in c.laender),
    ),
    Column(
        "Kreise",
        "Abgeleitet: Kreise aller beteiligten Organisationen mit Kreisschlüssel, "
        "federführender Kreis zuerst.",
        lambda c, _cat, _s: _join(f"{k.label} ({k.ags})" for k in c.kreise),
    ),
    Column(
        "Kreistyp",
        "Abgeleitet: Landkreis oder kreisfreie Stadt (federführender Kreis).",
        lambda c, _cat, _s: COUNTY_TYPE_LABELS[c.county_type] if c.county_type else "",
    ),
    Column(
        f"Größenklasse (Einwohner {POPULATION_DATE})",
        "Abgeleitet: Einwohnerzahl des federführenden Kreises als Größenklasse "
        f"(Statistisches Bundesamt, Stand {POPULATION_DATE}).",
        lambda c, _cat, _s: (
            POPULATION_CLASS_LABELS[c.population_class] if c.population_class else ""
        ),
    ),
    Column(
        "Handlungsfelder",
        "Abgeleitet: Handlungsfelder der Themen des Falls.",
        lambda c, cat, _s: _join(cat.vocabulary.topics[slug].label for slug in c.fields),
    ),
    _field("topics", lambda c, cat, _s: _join(cat.vocabulary.topics[t].label for t in c.topics)),
    _field("status", lambda c, _cat, _s: STATUSES[c.status]),
    _field("start", lambda c, _cat, _s: str(c.start)),
    _field("end", lambda c, _cat, _s: _date(c.end) or ""),
    _field("contact.function", lambda c, _cat, _s: c.contact.function),
    _field("contact.email", lambda c, _cat, _s: c.contact.email or ""),
    _field("contact.phone", lambda c, _cat, _s: c.contact.phone or ""),
    _field("contact.url", lambda c, _cat, _s: c.contact.url or ""),
    _field("contact.open_to", lambda c, _cat, _s: _open_to(c)),
    _field("sources", lambda c, _cat, _s: _source(c)),
    _field("reviewed", lambda c, _cat, _s: c.reviewed.isoformat()),
    _field(
        "confirmed.date",
        lambda c, _cat, _s: c.confirmed.date.isoformat() if c.confirmed else "",
        "Von der Verwaltung bestätigt am",
    ),
    _field(
        "confirmed.by",
        lambda c, _cat, _s: c.confirmed.by if c.confirmed else "",
        "Von der Verwaltung bestätigt durch",
    ),
    _field("license", lambda c, _cat, _s: c.license),
    _field("rights_holder", lambda c, _cat, _s: c.rights_holder or ""),
    _field(
        "funding",
        lambda c, _cat, _s: _join(
            f"{f.programme} ({f.provider})" if f.provider else f.programme for f in c.funding
        ),
    ),
    _field("effort.cost", lambda c, _cat, _s: _effort(c, "cost", COST_BANDS)),
    _field("effort.staff", lambda c, _cat, _s: _effort(c, "staff", STAFF_BANDS)),
    _field("effort.duration", lambda c, _cat, _s: _effort(c, "duration", DURATION_BANDS)),
    _field("effort.note", lambda c, _cat, _s: _effort(c, "note")),
    _field(
        "outcomes",
        lambda c, _cat, _s: _join(f"{o.text} – {EVIDENCE[o.evidence]}" for o in c.outcomes),
    ),
    _field("transferability", lambda c, _cat, _s: c.transferability or ""),
    _field("software.open_source", lambda c, _cat, _s: yes_no(c.open_source)),
    _field("software.name", lambda c, _cat, _s: (c.software.name or "") if c.software else ""),
    _field(
        "software.license", lambda c, _cat, _s: (c.software.license or "") if c.software else ""
    ),
    _field(
        "software.repository",
        lambda c, _cat, _s: (c.software.repository or "") if c.software else "",
    ),
    _field("adopted_from", lambda c, _cat, _s: _join(c.adopted_from)),
    _field("related", lambda c, _cat, _s: _join(c.related)),
    _field(
        "ozg_themenfeld",
        lambda c, cat, _s: _join(
            cat.vocabulary.ozg_themenfelder[s].label if s in cat.vocabulary.ozg_themenfelder else s
            for s in c.ozg_themenfeld
        ),
    ),
    _field("leika", lambda c, _cat, _s: _join(c.leika)),
    _field("fictitious", lambda c, _cat, _s: yes_no(c.fictitious)),
)


def _text_value(key: str) -> Callable[[Case, Catalogue, SiteSettings], str]:
    return lambda c, _cat, _s: str(c.value(key) or "")


def _declared_text_columns(columns: tuple[Column, ...]) -> tuple[Column, ...]:
    """A column for each declared top-level text field that no column above shows.

    A new optional text field in ``schema.FIELDS`` reaches the CSV without a change here.
    """
    shown = {column.key.partition(".")[0] for column in columns}
    return tuple(
        _field(spec.key, _text_value(spec.key))
        for spec in FIELDS
        if spec.key not in shown and spec.format in ("text", "longtext")
    )


COLUMNS: tuple[Column, ...] = (
    *_FIELD_COLUMNS,
    *_declared_text_columns(_FIELD_COLUMNS),
    Column(
        "Adresse",
        "Abgeleitet: Adresse der Fallseite im Praxisatlas.",
        lambda c, _cat, s: absolute_url(s, c.url),
    ),
)


def neutralise(cell: str) -> str:
    """Keep spreadsheets from running a cell as a formula (OWASP "CSV injection")."""
    return "'" + cell if cell.startswith(FORMULA_PREFIXES) else cell


def render_csv(catalogue: Catalogue, settings: SiteSettings) -> bytes:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, delimiter=";", quoting=csv.QUOTE_ALL, lineterminator="\r\n")
    writer.writerow([column.header for column in COLUMNS])
    for case in catalogue:
        writer.writerow([neutralise(column.value(case, catalogue, settings)) for column in COLUMNS])
    return buffer.getvalue().encode("utf-8-sig")


# --- schemas ------------------------------------------------------------------------------


def render_schema(catalogue: Catalogue) -> str:
    """The front-matter JSON Schema for the catalogue's own vocabulary."""
    return schema_json(catalogue.vocabulary, catalogue.reference)


def render_json_schema(catalogue: Catalogue) -> str:
    """The JSON Schema of ``faelle.json``."""
    return as_json(dataset_schema(catalogue.vocabulary))


def render_case_json_schema(catalogue: Catalogue) -> str:
    """The JSON Schema of ``faelle/<id>.json``."""
    return as_json(case_file_schema(catalogue.vocabulary))


# --- the /daten/ page -----------------------------------------------------------------------


def _cell(text: str) -> str:
    """Plain text for a Markdown table cell: HTML-escaped, pipes and newlines defused."""
    return str(escape(text)).replace("|", "&#124;").replace("\n", " ")


PAGE_DESCRIPTION = (
    "Alle Fälle des Praxisatlas als JSON und CSV mit JSON-Schemas, das JSON-Schema der "
    "Fall-Dateien und Atom-Feeds neuer und aktualisierter Fälle."
)


def dataset_jsonld(settings: SiteSettings) -> dict[str, Any]:
    """schema.org ``Dataset`` for the page, so data portals and search engines find it."""
    downloads = [
        (JSON_PATH, "application/json"),
        (CSV_PATH, "text/csv"),
        (JSON_SCHEMA_PATH, "application/schema+json"),
        (CASE_JSON_SCHEMA_PATH, "application/schema+json"),
        (CASE_FILE_SCHEMA_PATH, "application/schema+json"),
    ]
    return {
        "@context": "https://schema.org",
        "@type": "Dataset",
        "name": "Praxisatlas: Fälle guter Digitalisierungspraxis",
        "description": PAGE_DESCRIPTION,
        "inLanguage": "de",
        "license": f"https://spdx.org/licenses/{DATASET_LICENSE}.html",
        "dateModified": settings.build_date.isoformat(),
        "url": absolute_url(settings, "daten/"),
        "distribution": [
            {
                "@type": "DataDownload",
                "encodingFormat": media_type,
                "contentUrl": absolute_url(settings, path),
            }
            for path, media_type in downloads
        ],
        "variableMeasured": [column.header for column in COLUMNS],
        "creditText": f"Praxisatlas. Kreise: {KREIS_ATTRIBUTION}",
    }


def render_page(catalogue: Catalogue, settings: SiteSettings) -> str:
    meta = {
        "title": "Offene Daten",
        "description": PAGE_DESCRIPTION,
        "alternate_feeds": [
            {"title": "Praxisatlas: neue und aktualisierte Fälle", "url": "daten/feeds/alle.xml"}
        ],
        "jsonld": json_for_script(dataset_jsonld(settings)),
    }
    licences = ", ".join(f"{name} ({spdx})" for spdx, name in LICENSES.items())
    lines = [
        page_front_matter(meta) + "# Offene Daten",
        "",
        "Alle Fälle des Praxisatlas stehen als offene Daten zur freien Weiterverwendung "
        "bereit – für eigene Auswertungen, Tabellen oder andere Portale. Die Dateien "
        "entstehen bei jeder Veröffentlichung neu aus denselben Fall-Dateien wie die "
        f"Website (Stand: {text_de.date(settings.build_date)}, "
        f"{len(catalogue)} Fälle).",
        "",
        "| Datei | Inhalt | Format |",
        "| --- | --- | --- |",
        "| [faelle.json](faelle.json) | alle Fälle mit allen Angaben und abgeleiteten "
        "Werten, ohne Fließtext | JSON, UTF-8 |",
        "| `faelle/<kennung>.json` | ein Fall mit allen Angaben, dem Fließtext und "
        "abgeleiteten Werten; die Adresse steht in `faelle.json` unter "
        "`derived.record_url` | JSON, UTF-8 |",
        "| [faelle.csv](faelle.csv) | alle Fälle als Tabelle, eine Zeile je Fall (ohne "
        "Fließtext) | CSV für Excel: UTF-8 mit BOM, Semikolon |",
        "| [faelle.schema.json](faelle.schema.json) | Aufbau von `faelle.json` | JSON Schema |",
        "| [fall.schema.json](fall.schema.json) | Aufbau von `faelle/<kennung>.json` "
        "| JSON Schema |",
        "| [falldatei.schema.json](falldatei.schema.json) | Aufbau einer Fall-Datei "
        "`cases/<kennung>.md` (Front Matter) | JSON Schema |",
        "| [Atom-Feeds](#feeds) | neue und aktualisierte Fälle | Atom 1.0 |",
        "",
        "Außerdem lädt die [Katalogseite](../katalog/) eigene Dateien: `katalog/faelle.json` "
        "(die Angaben, die Trefferliste und Filter zeigen), `katalog/suchindex.json` (der "
        "Suchindex im Format von lunr.js) und `katalog/vergleich.json` (die Angaben der "
        "Vergleichsansicht). Ihr Aufbau folgt der Katalogseite und kann sich mit ihr ändern; "
        "für eigene Auswertungen sind die Dateien oben gedacht.",
        "",
        "## Lizenz und Quellenangabe",
        "",
        f"Die Zusammenstellung steht unter **{LICENSES[DATASET_LICENSE]}** "
        f"({DATASET_LICENSE}); bitte nennen Sie „Praxisatlas“ als Quelle. Jeder Fall hat "
        "zusätzlich seine eigene Lizenz (Feld `license` bzw. Spalte „Lizenz“) und, falls "
        "angegeben, einen Rechteinhaber; sonst hält die federführende Organisation die "
        f"Rechte. Verwendete Lizenzen: {licences}.",
        "",
        f"Kreise, Kreistypen und Größenklassen beruhen auf Daten des Statistischen "
        f"Bundesamts: {KREIS_ATTRIBUTION} Einwohnerzahlen mit Stand {POPULATION_DATE}, nur für "
        f"die Größenklassen verwendet. Themen-Vokabular Version "
        f"{catalogue.vocabulary.version or 'ohne Angabe'}.",
        "",
        f"Die Kreisgrenzen der [Karte](../karte/index.md): {GEOMETRY_ATTRIBUTION} "
        f"(VG5000, Stand 01.01.2021, [{GEOMETRY_LICENSE}]({GEOMETRY_LICENSE_URL})); "
        "vereinfacht, gerundet, Eisenach mit dem Wartburgkreis vereinigt.",
        "",
        "## faelle.json",
        "",
        "Ein Objekt mit Kopfangaben und der Liste `cases`:",
        "",
        f"- `schema_version`: Version des Datenformats (derzeit {SCHEMA_VERSION}; die erste "
        "Stelle ändert sich nur, wenn Felder wegfallen oder ihre Bedeutung ändern),",
        "- `generated`: Erstellungsdatum, `license` und `license_note`: Lizenz der "
        "Zusammenstellung, `attribution`: Quellen der Referenzdaten, `count`: Zahl der Fälle,",
        "- `cases`: je Fall die Kennung (`id`), alle Felder der Fall-Datei unter ihrem "
        "Schlüssel (fehlende Angaben als `null` oder leere Liste; bei Organisationen "
        "zusätzlich das Land des Kreisschlüssels, `land`) und "
        "unter `derived` die abgeleiteten Werte: Adresse der Fallseite (`url`) und der "
        "Datei des Falls mit Fließtext (`record_url`), Länder, Kreise, Kreistyp, "
        "Größenklasse mit "
        "Einwohnerzahl und Stand, Handlungsfelder, Bezeichnungen von Themen und Status sowie "
        "`stale` (letzte Prüfung älter als 24 Monate).",
        "",
        "Die Datei ist UTF-8-kodiert und kompakt (ohne Einrückung und Zeilenumbrüche), "
        "Schlüssel sind alphabetisch sortiert; bei unveränderten Fällen ändert sich nur das "
        "Erstellungsdatum. Den genauen Aufbau beschreibt das JSON Schema "
        "[faelle.schema.json](faelle.schema.json) (Entwurf 2020-12); jede Veröffentlichung "
        "wird dagegen geprüft.",
        "",
        "## faelle/&lt;kennung&gt;.json",
        "",
        "Je Fall eine Datei mit `schema_version` und demselben Eintrag wie in `faelle.json`, "
        "dazu der Fließtext als Markdown in `body`. Der Fließtext steht nicht in "
        "`faelle.json`, damit die Datei auch bei vielen tausend Fällen handlich bleibt. "
        "Aufbau: [fall.schema.json](fall.schema.json).",
        "",
        "## faelle.csv",
        "",
        "Die CSV-Datei öffnet sich in einem deutschsprachigen Microsoft Excel **per "
        "Doppelklick** mit richtigen Umlauten und Spalten:",
        "",
        "- Zeichenkodierung **UTF-8 mit Byte-Order-Mark** (BOM) – daran erkennt Excel UTF-8,",
        "- Trennzeichen **Semikolon** (`;`), das Listentrennzeichen deutscher Ländereinstellungen,",
        "- Zeilenende CRLF, jedes Feld in doppelten Anführungszeichen, eine Zeile je Fall,",
        "- Listen (z. B. mehrere Themen) in einer Zelle, getrennt durch "
        f"„{LIST_SEPARATOR.strip()}“,",
        "- Zellen, die mit `=`, `+`, `-`, `@` oder einem Tabulator beginnen, erhalten ein "
        "vorangestelltes Apostroph (`'`), damit Tabellenprogramme sie nicht als Formel "
        "ausführen; eine Telefonnummer wie `+49 …` erscheint deshalb als `'+49 …`.",
        "",
        "Kreisschlüssel stehen in Klammern hinter dem Namen (z. B. „Rhein-Kreis Neuss "
        "(05162)“), damit Excel die führende Null nicht entfernt. Eine Zelle mit einem "
        "einzelnen LeiKa-Schlüssel zeigt Excel als Zahl in Exponentialschreibweise; den "
        "genauen Wert zeigt die Zelle nach dem Umstellen auf das Zahlenformat „0“, oder Sie "
        "nehmen `faelle.json`.",
        "",
        "In LibreOffice Calc wählen Sie beim Öffnen „Unicode (UTF-8)“ und das Semikolon als "
        "Trennzeichen. Der Fließtext der Fälle fehlt in der CSV-Datei (Excel begrenzt Zellen "
        "auf 32.767 Zeichen); er steht in `faelle/<kennung>.json`.",
        "",
        "### Spalten",
        "",
        "| Spalte | Inhalt | Feld in der Fall-Datei |",
        "| --- | --- | --- |",
    ]
    for column in COLUMNS:
        key = f"`{column.key}`" if column.key else "abgeleitet"
        lines.append(f"| {_cell(column.header)} | {_cell(column.description)} | {key} |")
    lines += [
        "",
        "## falldatei.schema.json",
        "",
        "Das [JSON Schema](falldatei.schema.json) beschreibt die Felder einer Fall-Datei "
        "(`cases/<kennung>.md`, YAML-Front-Matter) mit deutschen Beschreibungen und erlaubten "
        "Werten. Editoren wie Visual Studio Code (mit der YAML-Erweiterung) bieten damit "
        "Vervollständigung und Prüfung beim Schreiben an. Vollständig prüft erst "
        "`praxisatlas validate` (z. B. ob ein Kreisschlüssel existiert).",
        "",
        "## Feeds",
        "",
        "Atom-Feeds melden neue und aktualisierte Fälle (sortiert nach dem Datum der letzten "
        "Prüfung, höchstens die neuesten 50). Feed-Reader und viele E-Mail-Programme können "
        "sie abonnieren.",
        "",
        "- [Alle Fälle](feeds/alle.xml)",
        "",
        "### Je Handlungsfeld",
        "",
    ]
    lines += [
        f"- [{_cell(topic.label)}](feeds/themen/{topic.slug}.xml)"
        for topic in catalogue.vocabulary.fields
    ]
    lines += ["", "### Je Land", ""]
    lines += [
        f"- [{_cell(land.name)}](feeds/laender/{land.slug}.xml)"
        for land in catalogue.reference.laender_by_name
    ]
    lines.append("")
    return "\n".join(lines)


def generate(catalogue: Catalogue, settings: SiteSettings) -> list[OutputFile]:
    """The data files and the ``/daten/`` page that documents them."""
    return [
        # Made after the pages (or taken from the cache), see assembly.py.
        OutputFile(JSON_PATH, lambda: render_json(catalogue, settings)),
        *(
            OutputFile(
                case_json_path(c.id),
                partial(render_case_json, c, catalogue, settings),
                case_id=c.id,
            )
            for c in catalogue
        ),
        OutputFile(CSV_PATH, lambda: render_csv(catalogue, settings)),
        OutputFile(JSON_SCHEMA_PATH, render_json_schema(catalogue)),
        OutputFile(CASE_JSON_SCHEMA_PATH, render_case_json_schema(catalogue)),
        OutputFile(CASE_FILE_SCHEMA_PATH, render_schema(catalogue)),
        OutputFile(PAGE_PATH, render_page(catalogue, settings), in_nav=True),
    ]
