"""The field specs: complete, consistent with the model and usable by other modules."""

from __future__ import annotations

import dataclasses
import re

from praxisatlas.cases.model import LICENSES, STATUSES, Case
from praxisatlas.cases.schema import (
    BODY_SECTION_HINTS,
    BODY_SECTIONS,
    FIELDS,
    FIELDS_BY_KEY,
    FieldSpec,
)


def walk(specs: tuple[FieldSpec, ...]) -> list[FieldSpec]:
    found: list[FieldSpec] = []
    for spec in specs:
        found.append(spec)
        if spec.items is not None:
            found.extend(walk((spec.items,)))
        found.extend(walk(spec.fields))
    return found


def test_front_matter_keys_match_the_case_model() -> None:
    model_fields = {f.name for f in dataclasses.fields(Case)}
    derived = {"id", "path", "fields", "body", "body_line", "extra"}
    # Every typed attribute is declared; a declared key without one lives in Case.extra.
    assert model_fields - derived <= set(FIELDS_BY_KEY)
    required = {s.key for s in FIELDS if s.required}
    assert required == {
        "title", "summary", "organisations", "topics", "status", "start", "contact",
        "sources", "reviewed", "license",
    }  # fmt: skip


def test_every_spec_is_documented_in_german() -> None:
    for spec in walk(FIELDS):
        assert spec.label, spec.key
        assert spec.type in ("string", "boolean", "list", "object")
        assert (spec.items is not None) == (spec.type == "list"), spec.key
        assert bool(spec.fields) == (spec.type == "object"), spec.key
        if spec.pattern:
            re.compile(spec.pattern)
        if spec.enum:
            assert spec.format == "enum" and all(spec.enum.values())
    for spec in FIELDS:
        assert spec.description.endswith("."), spec.key


def test_enums_come_from_the_model() -> None:
    assert FIELDS_BY_KEY["status"].enum is STATUSES
    assert FIELDS_BY_KEY["license"].enum is LICENSES
    org = FIELDS_BY_KEY["organisations"].items
    assert org is not None and org.field("role") is not None
    assert org.field("nope") is None
    assert FIELDS_BY_KEY["title"].max_length == 90
    assert FIELDS_BY_KEY["summary"].max_length == 300


def test_body_sections() -> None:
    assert BODY_SECTIONS == ("Ausgangslage", "Lösung", "Ergebnisse", "Erfahrungen")
    assert set(BODY_SECTION_HINTS) == set(BODY_SECTIONS)
