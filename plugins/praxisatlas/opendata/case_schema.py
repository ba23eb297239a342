"""JSON Schema (draft 2020-12) of the case front matter, generated from ``schema.FIELDS``.

Editors (e.g. VS Code with the YAML extension) use it for completion and checks while a
case is written; the site publishes it as ``daten/falldatei.schema.json``. It mirrors the
validator as far as JSON Schema can: types, required keys, lengths, patterns, allowed
values (including topic and OZG slugs from the vocabulary) and "either ``ags`` or
``name`` + ``kind``". Rules needing reference data or several fields (Kreis keys that
exist, ``end`` after ``start``, ids of other cases, the body) remain the validator's.
The schema describes the canonical form: Kreis keys as quoted digits (the validator
additionally resolves an unambiguous county name).
"""

from __future__ import annotations

import json
from typing import Any

from praxisatlas.cases.reference import Reference, load_reference
from praxisatlas.cases.schema import (
    EMAIL_PATTERN,
    FIELDS,
    FORMATS,
    ID_MAX_LENGTH,
    MARKUP_PATTERN,
    MAX_TOPICS,
    PHONE_PATTERN,
    URL_PATTERN,
    FieldSpec,
)
from praxisatlas.cases.vocabulary import Vocabulary, load_vocabulary

DRAFT = "https://json-schema.org/draft/2020-12/schema"
# Kreis keys start with a Land code 01-16.
KREIS_KEY_PATTERN = r"^(0[1-9]|1[0-6])[0-9]{3}([0-9]{3})?$"


def string_schema(spec: FieldSpec, vocabulary: Vocabulary) -> dict[str, Any]:
    out: dict[str, Any] = {"type": "string"}
    fmt = spec.format
    if spec.min_length is not None:
        out["minLength"] = spec.min_length
    if spec.max_length is not None:
        out["maxLength"] = spec.max_length
    if spec.enum is not None:
        out["enum"] = list(spec.enum)
        out["enumDescriptions"] = list(spec.enum.values())
    if fmt == "text":
        out["pattern"] = r"^[^\n]*\S[^\n]*$"
        out["not"] = {"pattern": MARKUP_PATTERN}
    elif fmt == "longtext":
        out["pattern"] = r"\S"
        out["not"] = {"pattern": MARKUP_PATTERN}
    elif fmt == "url":
        out["format"] = "uri"
        out["pattern"] = URL_PATTERN
    elif fmt == "email":
        out["format"] = "email"
        out["pattern"] = EMAIL_PATTERN
    elif fmt == "phone":
        out["pattern"] = PHONE_PATTERN
    elif fmt == "date":
        out["format"] = "date"
        out["pattern"] = spec.pattern
    elif fmt == "ags":
        out["pattern"] = KREIS_KEY_PATTERN
    elif fmt == "topic":
        out["enum"] = vocabulary.active_slugs()
        out["enumDescriptions"] = [vocabulary.topics[s].label for s in out["enum"]]
    elif fmt == "ozg":
        out["enum"] = list(vocabulary.ozg_themenfelder)
        out["enumDescriptions"] = [o.label for o in vocabulary.ozg_themenfelder.values()]
    elif fmt == "case-id":
        out["pattern"] = spec.pattern
        out["maxLength"] = ID_MAX_LENGTH
    elif spec.pattern is not None:
        out["pattern"] = spec.pattern
    return out


def _field(spec: FieldSpec, vocabulary: Vocabulary) -> dict[str, Any]:
    out: dict[str, Any] = {"title": spec.label}
    if spec.description:
        described = spec.description
        if spec.format in FORMATS and spec.format not in ("text", "longtext", "enum"):
            described += f" Format: {FORMATS[spec.format]}."
        out["description"] = described
    if spec.type == "object":
        out.update(_object(spec.fields, vocabulary))
        if spec.key == "organisation":
            out["anyOf"] = [{"required": ["ags"]}, {"required": ["name", "kind"]}]
    elif spec.type == "list":
        assert spec.items is not None
        out["type"] = "array"
        out["items"] = _field(spec.items, vocabulary)
        if spec.min_length is not None:
            out["minItems"] = spec.min_length
        if spec.max_length is not None:
            out["maxItems"] = spec.max_length
        if spec.key in ("topics", "open_to", "ozg_themenfeld", "leika", "related"):
            out["uniqueItems"] = True
        if spec.key == "organisations":
            out["contains"] = {"properties": {"role": {"const": "lead"}}, "required": ["role"]}
    elif spec.type == "boolean":
        out["type"] = "boolean"
    elif spec.format == "partial-date":
        # YAML 1.2 editors read an unquoted year as a number; the validator accepts it.
        out["anyOf"] = [
            {"type": "string", "pattern": spec.pattern},
            {"type": "integer", "minimum": 1950, "maximum": 2100},
        ]
    elif spec.format == "leika":
        out["anyOf"] = [
            {"type": "string", "pattern": spec.pattern},
            {"type": "integer", "minimum": 10**13, "maximum": 10**14 - 1},
        ]
    else:
        out.update(string_schema(spec, vocabulary))
    if spec.example is not None:
        out["examples"] = [spec.example]
    return out


def _object(specs: tuple[FieldSpec, ...], vocabulary: Vocabulary) -> dict[str, Any]:
    return {
        "type": "object",
        "properties": {s.key: _field(s, vocabulary) for s in specs},
        "required": [s.key for s in specs if s.required],
        "additionalProperties": False,
    }


def front_matter_schema(
    vocabulary: Vocabulary | None = None, reference: Reference | None = None
) -> dict[str, Any]:
    """The JSON Schema of a case's front matter, with German titles and descriptions."""
    vocabulary = vocabulary or load_vocabulary()
    reference = reference or load_reference()
    schema: dict[str, Any] = {
        "$schema": DRAFT,
        "title": "Praxisatlas: Angaben eines Falls",
        "description": (
            "Kopfbereich (YAML-Front-Matter) einer Fall-Datei cases/<kennung>.md. "
            f"Themen: 1 bis {MAX_TOPICS} aus dem Themen-Vokabular (Version "
            f"{vocabulary.version}); Kreisschlüssel: {len(reference.current_kreise)} aktuelle "
            "Kreise. Weitere Regeln (Kreisschlüssel vorhanden, Ende nach Beginn, Verweise, "
            "Text) prüft `praxisatlas validate`."
        ),
    }
    schema.update(_object(FIELDS, vocabulary))
    return schema


def schema_json(vocabulary: Vocabulary | None = None, reference: Reference | None = None) -> str:
    """The schema as deterministic JSON text (sorted keys, UTF-8, trailing newline)."""
    data = front_matter_schema(vocabulary, reference)
    return json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True) + "\n"


__all__ = ["front_matter_schema", "schema_json", "string_schema"]
