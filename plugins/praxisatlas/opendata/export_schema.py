"""JSON Schemas (draft 2020-12) of the open-data export itself: ``faelle.json`` and the
per-case files ``faelle/<id>.json``.

The case-file schema (``case_schema.py``) describes what a contributor writes; the export
is shaped differently: every key is always present, a missing value is ``null`` (or an
empty list), dates and LeiKa keys are strings, each case has its ``id`` and ``derived``
values, organisations their ``land``, and only the per-case file holds the ``body``. So
the export schema is derived from the same field declarations (``schema.FIELDS``) with
those rules, and the parts that exist only in the export are declared here, next to
nothing else. A test validates the shipped export against it.
"""

from __future__ import annotations

import copy
import json
from typing import Any

from praxisatlas.cases.reference import COUNTY_TYPE_LABELS, POPULATION_CLASS_LABELS
from praxisatlas.cases.schema import FIELDS, FieldSpec
from praxisatlas.cases.vocabulary import Vocabulary, load_vocabulary
from praxisatlas.opendata.case_schema import DRAFT, string_schema

LAND_CODE = {"type": "string", "pattern": "^(0[1-9]|1[0-6])$"}
KREIS_KEY = {"type": "string", "pattern": "^(0[1-9]|1[0-6])[0-9]{3}$"}
SLUG = {"type": "string", "pattern": "^[a-z0-9]+(-[a-z0-9]+)*$"}
URL_OR_PATH = {
    "type": "string",
    "description": "Absolute Adresse; ohne eingestellte Website-Adresse ein Pfad wie faelle/x/.",
}


# Optional fields the export writes with a default rather than null: lists as [] (except
# open_to, where "not stated" is not "nobody") and the fictitious flag as false.
NEVER_NULL = frozenset(
    {
        "topics",
        "sources",
        "funding",
        "outcomes",
        "adopted_from",
        "related",
        "ozg_themenfeld",
        "leika",
        "organisations",
        "fictitious",
    }
)


def _nullable(schema: dict[str, Any]) -> dict[str, Any]:
    """``schema`` or ``null``: how the export writes a value the case does not give."""
    return {"anyOf": [schema, {"type": "null"}]}


def _object(properties: dict[str, Any], description: str = "") -> dict[str, Any]:
    out: dict[str, Any] = {
        "type": "object",
        "properties": properties,
        "required": sorted(properties),
        "additionalProperties": False,
    }
    if description:
        out["description"] = description
    return out


def _labelled(labels: dict[str, str], **more: dict[str, Any]) -> dict[str, Any]:
    """A ``{slug, label}`` object whose values come from ``labels`` (plus ``more`` keys)."""
    return _object(
        {
            "slug": {"type": "string", "enum": sorted(labels)},
            "label": {"type": "string", "enum": sorted(set(labels.values()))},
            **more,
        }
    )


def _value(spec: FieldSpec, vocabulary: Vocabulary) -> dict[str, Any]:
    """The export form of one declared field (without its title and description)."""
    if spec.type == "object":
        properties = {s.key: _field(s, vocabulary) for s in spec.fields}
        if spec.key == "organisation":
            properties["land"] = _nullable(
                {**LAND_CODE, "description": "Land des Kreisschlüssels (abgeleitet)"}
            )
        return _object(properties)
    if spec.type == "list":
        assert spec.items is not None
        out: dict[str, Any] = {"type": "array", "items": _value(spec.items, vocabulary)}
        if spec.required and spec.min_length is not None:
            out["minItems"] = spec.min_length
        if spec.max_length is not None:
            out["maxItems"] = spec.max_length
        return out
    if spec.type == "boolean":
        return {"type": "boolean"}
    if spec.format in ("partial-date", "leika"):
        # Written as text in the export, whatever YAML type the case file used.
        return {"type": "string", "pattern": spec.pattern}
    return string_schema(spec, vocabulary)


def _field(spec: FieldSpec, vocabulary: Vocabulary) -> dict[str, Any]:
    value = _value(spec, vocabulary)
    if not spec.required and spec.key not in NEVER_NULL:
        value = _nullable(value)
    out: dict[str, Any] = {"title": spec.label}
    if spec.description:
        out["description"] = spec.description
    out.update(value)
    return out


def _derived(vocabulary: Vocabulary) -> dict[str, Any]:
    yes_no = {"type": "string", "enum": ["ja", "nein", "keine Angabe"]}
    return _object(
        {
            "url": {**URL_OR_PATH, "title": "Adresse der Fallseite"},
            "record_url": {**URL_OR_PATH, "title": "Adresse der Datei des Falls mit Text"},
            "laender": {
                "title": "Länder",
                "type": "array",
                "items": _object({"code": LAND_CODE, "slug": SLUG, "name": {"type": "string"}}),
            },
            "kreise": {
                "title": "Kreise",
                "type": "array",
                "items": _object(
                    {
                        "ags": KREIS_KEY,
                        "name": {"type": "string"},
                        "label": {"type": "string"},
                        "type": {"type": "string", "enum": sorted(COUNTY_TYPE_LABELS)},
                    }
                ),
            },
            "county_type": {
                "title": "Kreistyp des federführenden Kreises",
                **_nullable(_labelled(COUNTY_TYPE_LABELS)),
            },
            "population_class": {
                "title": "Größenklasse des federführenden Kreises",
                **_nullable(
                    _labelled(
                        POPULATION_CLASS_LABELS,
                        population={"type": "integer", "minimum": 0},
                        date={"type": "string"},
                    )
                ),
            },
            "handlungsfelder": {
                "title": "Handlungsfelder",
                "type": "array",
                "items": _object(
                    {
                        "slug": {"type": "string", "enum": [t.slug for t in vocabulary.fields]},
                        "label": {"type": "string"},
                    }
                ),
            },
            "topic_labels": {
                "title": "Bezeichnungen der Themen",
                "type": "array",
                "items": {"type": "string"},
            },
            "status_label": {"title": "Bezeichnung des Status", "type": "string"},
            "stale": {
                "title": "Veraltet",
                "description": "Letzte Prüfung älter als 24 Monate.",
                "type": "boolean",
            },
            "open_to_exchange": {"title": "Offen für Austausch", **yes_no},
            "open_source": {"title": "Open Source", **yes_no},
        },
        "Aus den Angaben abgeleitete Werte.",
    ) | {"title": "Abgeleitet"}


def record_schema(vocabulary: Vocabulary, *, body: bool) -> dict[str, Any]:
    """One case as the export writes it; with ``body`` as in ``faelle/<id>.json``."""
    properties: dict[str, Any] = {
        "id": {"title": "Kennung", "description": "Dateiname der Fall-Datei ohne .md.", **SLUG}
    }
    properties.update({spec.key: _field(spec, vocabulary) for spec in FIELDS})
    properties["derived"] = _derived(vocabulary)
    if body:
        properties["body"] = {
            "title": "Text",
            "description": "Der Text des Falls als Markdown (Abschnitte Ausgangslage, Lösung, "
            "Ergebnisse, Erfahrungen).",
            "type": "string",
        }
    return _object(properties)


# The key both export files start with.
HEADER: dict[str, Any] = {
    "schema_version": {
        "title": "Version des Datenformats",
        "description": "Die erste Stelle ändert sich nur, wenn Felder wegfallen oder "
        "ihre Bedeutung ändern.",
        "type": "string",
        "pattern": r"^[0-9]+\.[0-9]+$",
    },
}


def dataset_schema(vocabulary: Vocabulary | None = None) -> dict[str, Any]:
    """The schema of ``faelle.json``."""
    vocabulary = vocabulary or load_vocabulary()
    properties = HEADER | {
        "generated": {"title": "Erstellungsdatum", "type": "string", "format": "date"},
        "source": {"title": "Adresse der Website", **_nullable({"type": "string"})},
        "license": {"title": "Lizenz der Zusammenstellung", "type": "string"},
        "license_note": {"title": "Hinweis zur Lizenz", "type": "string"},
        "attribution": {
            "title": "Quellen der Referenzdaten",
            **_object(
                {
                    "kreise": {"type": "string"},
                    "population_date": {"type": "string"},
                    "vocabulary_version": _nullable({"type": "string"}),
                }
            ),
        },
        "count": {"title": "Zahl der Fälle", "type": "integer", "minimum": 0},
        "cases": {
            "title": "Fälle",
            "type": "array",
            "items": {"$ref": "#/$defs/case"},
        },
    }
    return {
        "$schema": DRAFT,
        "title": "Praxisatlas: faelle.json",
        "description": "Alle Fälle mit allen Angaben und abgeleiteten Werten, ohne Text. "
        "Fehlende Angaben stehen als null oder leere Liste.",
        **_object(properties),
        "$defs": {"case": record_schema(vocabulary, body=False)},
    }


def case_file_schema(vocabulary: Vocabulary | None = None) -> dict[str, Any]:
    """The schema of ``faelle/<id>.json``: one case with its text."""
    vocabulary = vocabulary or load_vocabulary()
    record = record_schema(vocabulary, body=True)
    record["properties"] = HEADER | record["properties"]
    record["required"] = sorted(record["properties"])
    return {
        "$schema": DRAFT,
        "title": "Praxisatlas: faelle/<kennung>.json",
        "description": "Ein Fall mit allen Angaben, dem Text und abgeleiteten Werten.",
        **copy.deepcopy(record),
    }


def as_json(schema: dict[str, Any]) -> str:
    """Deterministic JSON text (sorted keys, UTF-8, trailing newline)."""
    return json.dumps(schema, ensure_ascii=False, indent=2, sort_keys=True) + "\n"


__all__ = ["as_json", "case_file_schema", "dataset_schema", "record_schema"]
