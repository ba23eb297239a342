"""The ``/daten/`` page and the list of every open-data file: the exports, their schemas,
the case-file schema and the page that documents them.

The page's column reference comes from the same ``COLUMNS`` list that writes the CSV.
"""

from __future__ import annotations

from functools import partial
from typing import Any

from markupsafe import escape

from praxisatlas import text_de
from praxisatlas.cases.catalogue import Catalogue
from praxisatlas.cases.model import LICENSES
from praxisatlas.cases.reference import (
    GEOMETRY_ATTRIBUTION,
    GEOMETRY_LICENSE,
    GEOMETRY_LICENSE_URL,
    KREIS_ATTRIBUTION,
    POPULATION_DATE,
)
from praxisatlas.opendata.case_schema import schema_json
from praxisatlas.opendata.export_schema import as_json, case_file_schema, dataset_schema
from praxisatlas.opendata.exports import (
    COLUMNS,
    CSV_PATH,
    DATASET_LICENSE,
    JSON_PATH,
    LIST_SEPARATOR,
    SCHEMA_VERSION,
    absolute_url,
    case_json_path,
    render_case_json,
    render_csv,
    render_json,
)
from praxisatlas.output import OutputFile, SiteSettings, json_for_script, page_front_matter

# The schema of what a contributor writes (the front matter of cases/<id>.md) ...
CASE_FILE_SCHEMA_PATH = "daten/falldatei.schema.json"
# ... and the schemas of the export files themselves.
JSON_SCHEMA_PATH = "daten/faelle.schema.json"
CASE_JSON_SCHEMA_PATH = "daten/fall.schema.json"
PAGE_PATH = "daten/index.md"


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
        "Außerdem lädt die [Katalogseite](../katalog/index.md) eigene Dateien: "
        "`katalog/faelle.json` (die Angaben, die Trefferliste, Filter und Vergleich zeigen) sowie "
        "`katalog/suchindex.json` und `katalog/suchindex/<teil>.json` (der Suchindex: die "
        "Wortliste und, nach Anfangsbuchstaben in Teile geteilt, die Fundstellen; die Suche "
        "lädt nur die Teile, die eine Anfrage braucht). Ihr Aufbau folgt der Katalogseite "
        "und kann sich mit ihr ändern; "
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
