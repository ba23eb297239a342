"""The JSON Schema agrees with the validator and the committed copy is current."""

from __future__ import annotations

import copy
import datetime as dt
import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from praxisatlas.cases.loader import MappingNode, Node, ScalarNode, SequenceNode, load_bytes
from praxisatlas.cases.reference import load_reference
from praxisatlas.cases.validation import Context, validate_loaded
from praxisatlas.cases.vocabulary import load_vocabulary
from praxisatlas.opendata.case_schema import front_matter_schema, schema_json
from tests.synthetic import write_synthetic_cases

ROOT = Path(__file__).parent.parent
VALID = ROOT / "tests" / "fixtures" / "valid"
TODAY = dt.date(2026, 11, 22)
BODY = (
    "## Ausgangslage\n\nText.\n\n## Lösung\n\nText.\n\n## Ergebnisse\n\nText.\n\n"
    "## Erfahrungen\n\nText.\n"
)
KNOWN_IDS = {"fall", "online-termine-fiktiv"}


def to_json(node: Node) -> Any:
    """The instance an editor sees: strings, with plain true/false as booleans."""
    if isinstance(node, MappingNode):
        return {k: to_json(e.value) for k, e in node.entries.items()}
    if isinstance(node, SequenceNode):
        return [to_json(item) for item in node.items]
    assert isinstance(node, ScalarNode)
    if node.plain and node.value in ("true", "false"):
        return node.value == "true"
    return node.value


def front_of(path: Path) -> dict[str, Any]:
    loaded = load_bytes(path.read_bytes(), "cases/x.md", "x")
    assert loaded.front is not None
    result: dict[str, Any] = to_json(loaded.front)
    return result


def validator_accepts(front: dict[str, Any]) -> bool:
    text = "---\n" + json.dumps(front, ensure_ascii=False) + "\n---\n\n" + BODY
    loaded = load_bytes(text.encode("utf-8"), "cases/fall.md", "fall")
    ctx = Context(load_vocabulary(), load_reference(), TODAY, KNOWN_IDS)
    case, problems = validate_loaded(loaded, ctx)
    return case is not None and not problems


@pytest.fixture(scope="module")
def schema_validator() -> jsonschema.Draft202012Validator:
    schema = front_matter_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(
        schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    )


def base() -> dict[str, Any]:
    return front_of(VALID / "online-termine-fiktiv.md") | {
        "organisations": [{"role": "lead", "ags": "05911"}]
    }


def full() -> dict[str, Any]:
    front = front_of(VALID / "digitale-bauakte-musterkreis.md")
    # The validator also resolves county names; the schema describes keys only.
    front["organisations"][3] = {"role": "adopter", "ags": "16063"}
    return front


def test_committed_schema_is_current() -> None:
    committed = (ROOT / "schema" / "case.schema.json").read_text(encoding="utf-8")
    assert committed == schema_json(), "Regenerate: praxisatlas.opendata.case_schema.schema_json()"


def test_schema_is_german_and_closed(schema_validator: jsonschema.Draft202012Validator) -> None:
    schema = front_matter_schema()
    assert schema["additionalProperties"] is False
    assert schema["properties"]["status"]["enum"] == [
        "idee",
        "planung",
        "pilot",
        "regelbetrieb",
        "eingestellt",
    ]
    assert schema["properties"]["status"]["title"] == "Status"
    assert "e-akte" in schema["properties"]["topics"]["items"]["enum"]
    assert set(schema["required"]) == {
        "title",
        "summary",
        "organisations",
        "topics",
        "status",
        "start",
        "contact",
        "sources",
        "reviewed",
        "license",
    }
    org = schema["properties"]["organisations"]["items"]
    assert org["additionalProperties"] is False


def edit(front: dict[str, Any], path: str, value: Any) -> dict[str, Any]:
    """Set (or delete, for value ``...``) the value at a dotted path like ``a.0.b``."""
    result = copy.deepcopy(front)
    *parents, last = path.split(".")
    target: Any = result
    for part in parents:
        target = target[int(part)] if isinstance(target, list) else target[part]
    key: Any = int(last) if isinstance(target, list) else last
    if value is ...:
        del target[key]
    else:
        target[key] = value
    return result


VALID_EDITS: list[tuple[str, Any]] = [
    ("end", "2025"),
    ("start", "2021-09"),
    ("leika", ["99050012104000"]),
    ("ozg_themenfeld", ["bauen-wohnen", "umwelt"]),
    ("software", {"open_source": False}),
    ("contact.email", "buergerbuero@example.org"),
    ("contact.open_to", ["telefonat", "unterlagen"]),
    (
        "organisations",
        [
            {"role": "lead", "ags": "05911"},
            {"role": "partner", "name": "X GmbH", "kind": "IT-Dienstleister"},
        ],
    ),
    ("fictitious", False),
    ("related", ["online-termine-fiktiv"]),
]
INVALID_EDITS: list[tuple[str, Any]] = [
    ("title", ...),
    ("title", "x" * 91),
    ("summary", "Eine **fette** Zusammenfassung mit genug Zeichen."),
    ("summary", "Ein <b>HTML</b>-Satz mit ausreichend vielen Zeichen."),
    ("colour", "rot"),
    ("status", "fertig"),
    ("topics", []),
    ("topics", ["e-akte", "e-rechnung", "e-vergabe", "e-payment", "terminvergabe"]),
    ("topics", ["e-akten"]),
    ("topics", ["e-akte", "e-akte"]),
    ("organisations", [{"role": "partner", "ags": "05911"}]),
    ("organisations", [{"role": "lead", "name": "Digitalagentur"}]),
    ("organisations", [{"role": "lead", "ags": "123"}]),
    ("organisations", [{"role": "lead", "ags": "05911", "farbe": "rot"}]),
    ("organisations", [{"role": "chef", "ags": "05911"}]),
    ("organisations", []),
    ("reviewed", "2024-2-1"),
    ("start", "2021-13"),
    ("start", "März 2021"),
    ("sources", []),
    ("sources.0.url", "ftp://example.org/x"),
    ("sources.0.url", "javascript:alert(1)"),
    ("sources.0.title", ...),
    ("contact", "Bürgerbüro"),
    ("contact.function", ...),
    ("contact.email", "buergerbuero(at)example.org"),
    ("contact.open_to", ["kaffee"]),
    ("license", "MIT"),
    ("fictitious", "yes"),
    ("leika", ["12345"]),
    ("ozg_themenfeld", ["bauen"]),
    ("effort", {"cost": "viel"}),
    ("outcomes", [{"text": "Gut."}]),
    ("software", {"name": "X"}),
    ("related", ["Kein_Slug"]),
]


@pytest.mark.parametrize(("path", "value"), VALID_EDITS)
def test_valid_examples_agree(
    schema_validator: jsonschema.Draft202012Validator, path: str, value: Any
) -> None:
    front = edit(base(), path, value)
    assert validator_accepts(front)
    assert list(schema_validator.iter_errors(front)) == []


@pytest.mark.parametrize(("path", "value"), INVALID_EDITS)
def test_invalid_examples_agree(
    schema_validator: jsonschema.Draft202012Validator, path: str, value: Any
) -> None:
    front = edit(base(), path, value)
    assert not validator_accepts(front)
    assert list(schema_validator.iter_errors(front)) != []


def test_full_fixture_and_synthetic_cases_pass_the_schema(
    schema_validator: jsonschema.Draft202012Validator, tmp_path: Path
) -> None:
    assert list(schema_validator.iter_errors(full())) == []
    for path in write_synthetic_cases(tmp_path, 40, seed=5):
        front = front_of(path)
        assert list(schema_validator.iter_errors(front)) == [], path.name


def test_shipped_cases_pass_the_schema(
    schema_validator: jsonschema.Draft202012Validator,
) -> None:
    cases = sorted((ROOT / "cases").glob("*.md"))
    for path in cases:
        errors = [e.message for e in schema_validator.iter_errors(front_of(path))]
        assert errors == [], path.name
