"""Open-data exports: faelle.json, faelle.csv (as German Excel reads it), the schemas, page."""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import io
import json
import os
from pathlib import Path

import pytest
import yaml

from praxisatlas.cases.catalogue import Catalogue
from praxisatlas.cases.model import (
    Case,
    Confirmation,
    Effort,
    Funding,
    Organisation,
    Outcome,
    PartialDate,
    Software,
    Source,
)
from praxisatlas.cases.reference import KREIS_ATTRIBUTION, load_reference
from praxisatlas.opendata import data_page, exports
from praxisatlas.opendata.case_schema import front_matter_schema
from praxisatlas.output import SiteSettings
from tests.factories import make_case, make_catalogue

GOLDEN = Path(__file__).parent / "golden" / "data" / "faelle.json"
BUILD_DATE = dt.date(2026, 11, 22)
SETTINGS = SiteSettings(
    site_url="https://praxisatlas.example.org/", today=BUILD_DATE, build_date=BUILD_DATE
)
INJECTED_TITLE = '=HYPERLINK("https://boese.example/","Klick")'


def data_cases() -> list[Case]:
    """A small catalogue that exercises every export path.

    Shared with the feed, statistics and map tests: two Länder in one case, an
    organisation without Kreis, optional fields filled, formula-injection payloads.
    """
    reference = load_reference()
    bayern = reference.land_by_code["09"]
    sachsen = reference.land_by_code["14"]
    hamburg = reference.kreis_by_ags["02000"]
    plain = make_case("a-bauantrag", ags="05162", topics=("e-akte",))
    injected = make_case(
        "b-formel",
        ags="09162",
        title=INJECTED_TITLE,
        summary='Ein Fall mit "Anführungszeichen"; Semikolon und Umlauten: äöüß.',
        topics=("e-rechnung", "schul-it"),
        status="regelbetrieb",
        start=PartialDate(2019),
        reviewed=dt.date(2025, 6, 1),
        organisations=(
            *make_case(ags="09162").organisations,
            Organisation(role="partner", name="@SUM(1)", kind="Verein", land=bayern),
        ),
        contact=dataclasses.replace(
            make_case().contact, phone="+49 89 1234-0", open_to=("telefonat", "unterlagen")
        ),
        sources=(
            Source("Pressemitteilung", "https://example.org/a", publisher="Stadt", date="2020"),
            Source("-Bericht", "https://example.org/b"),
        ),
        funding=(Funding("Modellprojekte Smart Cities", "BMWSB"),),
        effort=Effort(cost="50000-250000", staff="1-3", duration="1-2-jahre", note="grob"),
        outcomes=(Outcome("Bearbeitungszeit halbiert", "gemessen"),),
        transferability="Zeile eins\nZeile zwei",
        software=Software(True, "OpenBau", "EUPL-1.2", "https://gitlab.opencode.de/x"),
        related=("a-bauantrag",),
        leika=("99050012104000",),
        rights_holder="Landeshauptstadt München",
        confirmed=Confirmation(dt.date(2026, 3, 2), "IT-Referat, Landeshauptstadt München"),
    )
    cross_border = make_case(
        "c-nord",
        ags="01051",
        topics=("e-akte", "telemedizin"),
        status="idee",
        start=PartialDate(2024, 1),
        reviewed=dt.date(2024, 1, 1),
        organisations=(
            *make_case(ags="01051").organisations,
            Organisation(
                role="partner",
                name=hamburg.label,
                kind=hamburg.type_label,
                ags="02000",
                kreis=hamburg,
                land=reference.land_of(hamburg),
            ),
        ),
    )
    without_kreis = make_case(
        "d-zweckverband",
        topics=("glasfaser",),
        status="eingestellt",
        start=PartialDate(2018),
        end=PartialDate(2020, 6),
        reviewed=dt.date(2026, 1, 15),
        organisations=(
            Organisation(
                role="lead", name="Zweckverband Breitband", kind="Zweckverband", land=sachsen
            ),
        ),
    )
    return [plain, injected, cross_border, without_kreis]


def data_catalogue() -> Catalogue:
    return make_catalogue(*data_cases())


def read_csv(content: bytes) -> list[dict[str, str]]:
    """Read the CSV as a consumer would: utf-8-sig, ``;``."""
    text = content.decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text, newline=""), delimiter=";"))


# --- faelle.json ---------------------------------------------------------------------------


def test_json_reads_back_with_header_and_every_case() -> None:
    catalogue = data_catalogue()
    data = json.loads(exports.render_json(catalogue, SETTINGS))
    assert data["schema_version"] == exports.SCHEMA_VERSION
    assert data["generated"] == "2026-11-22"
    assert data["license"] == "CC-BY-4.0"
    assert data["attribution"]["kreise"] == KREIS_ATTRIBUTION
    assert data["attribution"]["population_date"] == "31.12.2018"
    assert data["count"] == 4
    assert [c["id"] for c in data["cases"]] == sorted(c.id for c in data_cases())
    by_id = {c["id"]: c for c in data["cases"]}
    formel = by_id["b-formel"]
    assert formel["title"] == INJECTED_TITLE  # JSON keeps the text as written
    assert formel["license"] == "CC-BY-4.0"
    assert formel["effort"] == {
        "cost": "50000-250000",
        "duration": "1-2-jahre",
        "note": "grob",
        "staff": "1-3",
    }
    assert formel["software"]["open_source"] is True
    assert "body" not in formel  # the texts are in one file per case
    derived = formel["derived"]
    assert derived["record_url"] == "https://praxisatlas.example.org/daten/faelle/b-formel.json"
    assert derived["url"] == "https://praxisatlas.example.org/faelle/b-formel/"
    assert [land["slug"] for land in derived["laender"]] == ["bayern"]
    assert derived["county_type"] == {"label": "Kreisfreie Stadt", "slug": "kreisfreie-stadt"}
    assert derived["population_class"]["slug"] == "ab-500000"
    assert derived["population_class"]["date"] == "31.12.2018"
    assert [f["slug"] for f in derived["handlungsfelder"]] == [
        "verwaltung-digital",
        "bildung-schule",
    ]
    nord = by_id["c-nord"]["derived"]
    assert [land["name"] for land in nord["laender"]] == ["Schleswig-Holstein", "Hamburg"]
    assert nord["stale"] is True
    zweckverband = by_id["d-zweckverband"]
    assert zweckverband["organisations"][0]["land"] == "14"
    assert zweckverband["derived"]["county_type"] is None
    assert zweckverband["end"] == "2020-06"


def test_confirmation_is_in_json_and_csv() -> None:
    catalogue = data_catalogue()
    data = json.loads(exports.render_json(catalogue, SETTINGS))
    by_id = {case["id"]: case for case in data["cases"]}
    assert by_id["b-formel"]["confirmed"] == {
        "date": "2026-03-02",
        "by": "IT-Referat, Landeshauptstadt München",
    }
    assert by_id["a-bauantrag"]["confirmed"] is None
    rows = {row["Kennung"]: row for row in read_csv(exports.render_csv(catalogue, SETTINGS))}
    assert rows["b-formel"]["Von der Verwaltung bestätigt am"] == "2026-03-02"
    assert rows["b-formel"]["Von der Verwaltung bestätigt durch"] == (
        "IT-Referat, Landeshauptstadt München"
    )
    assert rows["a-bauantrag"]["Von der Verwaltung bestätigt am"] == ""


def test_json_url_is_site_relative_without_site_url() -> None:
    data = json.loads(exports.render_json(data_catalogue(), SiteSettings(build_date=BUILD_DATE)))
    assert data["cases"][0]["derived"]["url"] == "faelle/a-bauantrag/"
    assert data["source"] is None


def test_json_is_deterministic_and_matches_golden_file() -> None:
    first = exports.render_json(data_catalogue(), SETTINGS)
    reversed_input = make_catalogue(*reversed(data_cases()))
    assert exports.render_json(reversed_input, SETTINGS) == first
    if os.environ.get("UPDATE_GOLDEN"):
        GOLDEN.parent.mkdir(parents=True, exist_ok=True)
        GOLDEN.write_bytes(first)
    assert GOLDEN.exists(), "Golden-Datei fehlt: mit UPDATE_GOLDEN=1 erzeugen"
    assert first == GOLDEN.read_bytes()


# --- faelle.csv ----------------------------------------------------------------------------


def test_csv_is_excel_friendly_bytes() -> None:
    content = exports.render_csv(data_catalogue(), SETTINGS)
    assert content.startswith(b"\xef\xbb\xbf")  # UTF-8 byte-order mark
    lines = content[3:].split(b"\r\n")
    assert lines[0].startswith(b'"Kennung";"Titel";')
    assert lines[-1] == b""  # every record ends with CRLF
    assert "äöüß".encode() in content


def test_csv_reads_back_one_row_per_case_with_german_headers() -> None:
    rows = read_csv(exports.render_csv(data_catalogue(), SETTINGS))
    assert [r["Kennung"] for r in rows] == ["a-bauantrag", "b-formel", "c-nord", "d-zweckverband"]
    assert list(rows[0]) == [column.header for column in exports.COLUMNS]
    formel = rows[1]
    assert formel["Kurzbeschreibung"] == (
        'Ein Fall mit "Anführungszeichen"; Semikolon und Umlauten: äöüß.'
    )
    assert formel["Themen"] == "E-Rechnung | Schul-IT & Ausstattung"
    assert formel["Status"] == "Regelbetrieb"
    assert formel["Kreise"] == "München (09162)"
    assert formel["Übertragbarkeit"] == "Zeile eins\nZeile zwei"
    assert formel["Aufwand: Kosten"] == "50.000 € bis 250.000 €"
    assert formel["Software: Open Source"] == "ja"
    assert formel["Adresse"] == "https://praxisatlas.example.org/faelle/b-formel/"
    nord = rows[2]
    assert nord["Länder"] == "Schleswig-Holstein | Hamburg"
    assert nord["Partner"] == "Hamburg (02000)"
    assert rows[3]["Federführung"] == "Zweckverband Breitband (Zweckverband)"
    assert rows[3]["Kreistyp"] == ""


def test_exports_say_keine_angabe_for_missing_yes_no_values() -> None:
    catalogue = data_catalogue()
    rows = {r["Kennung"]: r for r in read_csv(exports.render_csv(catalogue, SETTINGS))}
    records = {r["id"]: r for r in json.loads(exports.render_json(catalogue, SETTINGS))["cases"]}
    for case in catalogue:
        row, derived = rows[case.id], records[case.id]["derived"]
        expected_source = (
            "keine Angabe"
            if case.software is None
            else ("ja" if case.software.open_source else "nein")
        )
        assert row["Software: Open Source"] == derived["open_source"] == expected_source
        if case.contact.open_to is None:
            assert row["Kontakt: Offen für"] == derived["open_to_exchange"] == "keine Angabe"
            assert records[case.id]["contact"]["open_to"] is None
    assert {r["Software: Open Source"] for r in rows.values()} >= {"ja", "keine Angabe"}


def test_csv_neutralises_formula_injection() -> None:
    rows = read_csv(exports.render_csv(data_catalogue(), SETTINGS))
    formel = rows[1]
    assert formel["Titel"] == "'" + INJECTED_TITLE
    assert formel["Partner"] == "'@SUM(1) (Verein)"
    assert formel["Kontakt: Telefon"] == "'+49 89 1234-0"
    assert formel["Quellen"].startswith("Pressemitteilung (Stadt, 2020)")
    for row in rows:
        for value in row.values():
            assert not value.startswith(("=", "+", "-", "@", "\t", "\r")), value


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("=1+1", "'=1+1"),
        ("+49", "'+49"),
        ("-2", "'-2"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("harmlos = gut", "harmlos = gut"),
        ("", ""),
    ],
)
def test_neutralise(cell: str, expected: str) -> None:
    assert exports.neutralise(cell) == expected


def test_every_column_has_a_description_and_schema_fields_exist() -> None:
    from praxisatlas.cases.schema import FIELDS_BY_KEY

    for column in exports.COLUMNS:
        assert column.description, column.header
        if column.key:
            assert column.key.partition(".")[0] in FIELDS_BY_KEY
    headers = [column.header for column in exports.COLUMNS]
    assert len(headers) == len(set(headers))
    # Every front-matter field shows up in some column.
    keys = {column.key.partition(".")[0] for column in exports.COLUMNS}
    assert set(FIELDS_BY_KEY) <= keys


# --- schemas and the page ------------------------------------------------------------------


def test_schema_json_is_the_front_matter_schema() -> None:
    catalogue = data_catalogue()
    schema = json.loads(data_page.render_schema(catalogue))
    assert schema == front_matter_schema(catalogue.vocabulary, catalogue.reference)
    assert "title" in schema["properties"]


def test_page_documents_files_and_every_column() -> None:
    page = data_page.render_page(data_catalogue(), SETTINGS)
    assert page.startswith("---\n")
    links = ("(faelle.json)", "(faelle.csv)", "(feeds/alle.xml)", "(faelle.schema.json)")
    for link in (*links, "(fall.schema.json)", "(falldatei.schema.json)"):
        assert link in page
    assert "UTF-8 mit Byte-Order-Mark" in page and "Semikolon" in page
    # The per-case files: a heading (escaped: "<kennung>" would be an HTML tag) and a row.
    assert "\n## faelle/&lt;kennung&gt;.json\n" in page and "| `faelle/<kennung>.json` |" in page
    for column in exports.COLUMNS:
        assert f"| {column.header} |" in page
    assert "feeds/laender/bayern.xml" in page and "feeds/themen/bildung-schule.xml" in page
    assert "Destatis" in page


def test_page_describes_the_dataset_for_portals() -> None:
    page = data_page.render_page(data_catalogue(), SETTINGS)
    front = yaml.safe_load(page.split("---\n")[1])
    assert front["alternate_feeds"] == [
        {"title": "Praxisatlas: neue und aktualisierte Fälle", "url": "daten/feeds/alle.xml"}
    ]
    jsonld = json.loads(front["jsonld"])
    assert jsonld["@type"] == "Dataset"
    urls = [d["contentUrl"] for d in jsonld["distribution"]]
    assert urls == [
        "https://praxisatlas.example.org/daten/faelle.json",
        "https://praxisatlas.example.org/daten/faelle.csv",
        "https://praxisatlas.example.org/daten/faelle.schema.json",
        "https://praxisatlas.example.org/daten/fall.schema.json",
        "https://praxisatlas.example.org/daten/falldatei.schema.json",
    ]
    assert "<" not in front["jsonld"] and "&" not in front["jsonld"]


def test_json_is_compact_and_each_case_file_holds_its_text() -> None:
    catalogue = data_catalogue()
    text = exports.render_json(catalogue, SETTINGS).decode("utf-8")
    assert text == exports._compact(json.loads(text))  # made record by record, same bytes
    assert text.count("\n") == 1 and '": ' not in text and '", "' not in text
    listed = {c["id"]: c for c in json.loads(text)["cases"]}
    for case in catalogue:
        record = json.loads(exports.render_case_json(case, catalogue, SETTINGS))
        assert record.pop("schema_version") == exports.SCHEMA_VERSION
        assert record.pop("body") == case.body
        assert record == listed[case.id]


def test_generate_lists_all_files() -> None:
    catalogue = data_catalogue()
    files = {f.path: f for f in data_page.generate(catalogue, SETTINGS)}
    assert set(files) == {
        "daten/faelle.json",
        "daten/faelle.csv",
        "daten/faelle.schema.json",
        "daten/fall.schema.json",
        "daten/falldatei.schema.json",
        "daten/index.md",
        *(f"daten/faelle/{case.id}.json" for case in catalogue),
    }
    assert files["daten/index.md"].in_nav
    assert isinstance(files["daten/faelle.csv"].content, bytes)
