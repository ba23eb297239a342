"""The open-data exports under ``/daten/``: ``faelle.json``, ``faelle/<id>.json``, ``faelle.csv``.

``faelle.json`` holds every field of every case plus derived fields (Länder, Kreise,
county type, population class, Handlungsfelder, URL) under a dataset header with
attribution of the reference data. ``faelle.csv`` is made for German Excel opened by
double-click: UTF-8 with byte-order mark (else Excel guesses Windows-1252), ``;`` as
delimiter (the list separator of the German locale), CRLF line ends, every field quoted,
lists joined with " | ", and cells that Excel would read as a formula prefixed with ``'``.
Column labels and descriptions come from the field specs in ``schema.py``; the ``/daten/``
page (``data_page.py``) documents the columns from the same ``COLUMNS`` list.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from praxisatlas.cases.catalogue import Catalogue
from praxisatlas.cases.model import (
    COST_BANDS,
    DURATION_BANDS,
    EVIDENCE,
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
    KREIS_ATTRIBUTION,
    POPULATION_CLASS_LABELS,
    POPULATION_DATE,
    Land,
)
from praxisatlas.cases.schema import FIELDS, FIELDS_BY_KEY, FieldSpec
from praxisatlas.output import SiteSettings, compact_json

# Bump the major version when a key is removed or changes meaning, the minor version
# when keys are added; consumers can rely on that.
SCHEMA_VERSION = "2.0"
DATASET_LICENSE = "CC-BY-4.0"
JSON_PATH = "daten/faelle.json"
# One file per case with its whole record and its text: the texts are most of the data,
# and in one file they would pass the size limit of git-based Pages hosts at 10,000 cases.
CASE_JSON_DIR = "daten/faelle"
CSV_PATH = "daten/faelle.csv"
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


def _dataset_head(catalogue: Catalogue, settings: SiteSettings) -> dict[str, Any]:
    """``faelle.json`` without its ``cases``."""
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
    }


def _compact(data: Any) -> str:
    return compact_json(data) + "\n"


def render_json(catalogue: Catalogue, settings: SiteSettings) -> bytes:
    """``faelle.json``: every case without its text (compact: it is read by programs),
    made record by record (the same bytes as ``_compact`` of the whole document as UTF-8):
    at 10,000 cases, the whole document as Python objects and then as text was the
    build's memory peak."""
    records = (case_record(case, catalogue, settings, body=False) for case in catalogue)
    return _compact_with_list(_dataset_head(catalogue, settings), "cases", records)


def _compact_with_list(head: dict[str, Any], name: str, items: Iterable[Any]) -> bytes:
    """``_compact({**head, name: list(items)})`` in UTF-8, one item at a time."""
    chunks: list[bytes] = []
    for key in sorted([*head, name]):  # as sort_keys orders them
        chunks.append(b"," if chunks else b"{")
        chunks.append(compact_json(key).encode("utf-8") + b":")
        if key != name:
            chunks.append(compact_json(head[key]).encode("utf-8"))
            continue
        chunks.append(b"[")
        for index, item in enumerate(items):
            if index:
                chunks.append(b",")
            chunks.append(compact_json(item).encode("utf-8"))
        chunks.append(b"]")
    chunks.append(b"}\n")
    return b"".join(chunks)


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
    # Encoded row by row: no copy of the whole table as text besides the bytes.
    buffer = io.BytesIO()
    text = io.TextIOWrapper(buffer, encoding="utf-8-sig", newline="")
    writer = csv.writer(text, delimiter=";", quoting=csv.QUOTE_ALL, lineterminator="\r\n")
    writer.writerow([column.header for column in COLUMNS])
    for case in catalogue:
        writer.writerow([neutralise(column.value(case, catalogue, settings)) for column in COLUMNS])
    text.flush()
    return buffer.getvalue()
