"""The open-data export validates against the JSON Schemas published beside it (issue 19.6)."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator, FormatChecker

from praxisatlas.cases.catalogue import Catalogue
from praxisatlas.cases.pipeline import load_catalogue
from praxisatlas.opendata import data_page, exports
from praxisatlas.opendata.export_schema import case_file_schema, dataset_schema
from tests.synthetic import write_synthetic_cases
from tests.test_exports import GOLDEN, SETTINGS, data_catalogue

REPO = Path(__file__).resolve().parents[1]


def _errors(schema: dict[str, Any], document: Any) -> list[str]:
    validator = Draft202012Validator(schema, format_checker=FormatChecker())
    return [
        f"{'/'.join(str(p) for p in error.absolute_path)}: {error.message}"
        for error in validator.iter_errors(document)
    ]


def _assert_export_valid(catalogue: Catalogue) -> None:
    dataset = json.loads(exports.render_json(catalogue, SETTINGS))
    assert _errors(dataset_schema(catalogue.vocabulary), dataset) == []
    record_schema = case_file_schema(catalogue.vocabulary)
    for case in catalogue:
        record = json.loads(exports.render_case_json(case, catalogue, SETTINGS))
        assert _errors(record_schema, record) == [], case.id


def test_schemas_are_valid_draft_2020_12() -> None:
    Draft202012Validator.check_schema(dataset_schema())
    Draft202012Validator.check_schema(case_file_schema())


def test_export_with_every_optional_field_validates() -> None:
    _assert_export_valid(data_catalogue())


def test_shipped_catalogue_export_validates() -> None:
    _assert_export_valid(load_catalogue(REPO / "cases", root=REPO))


def test_synthetic_catalogue_export_validates(tmp_path: Path) -> None:
    write_synthetic_cases(tmp_path, 150, seed=3)
    _assert_export_valid(load_catalogue(tmp_path, root=tmp_path))


def test_golden_export_validates() -> None:
    golden = json.loads(GOLDEN.read_text(encoding="utf-8"))
    assert _errors(dataset_schema(), golden) == []


def _first_case(document: dict[str, Any]) -> dict[str, Any]:
    case: dict[str, Any] = document["cases"][0]
    return case


MUTATIONS: dict[str, Callable[[dict[str, Any]], None]] = {
    "extra key": lambda d: _first_case(d).update(unknown=1),
    "missing key": lambda d: _first_case(d).pop("summary"),
    "null where required": lambda d: _first_case(d).update(title=None),
    "unknown status": lambda d: _first_case(d).update(status="vielleicht"),
    "text in the list file": lambda d: _first_case(d).update(body="## Ausgangslage"),
    "yes/no not counted": lambda d: _first_case(d)["derived"].update(open_source="unbekannt"),
    "kreis key as number": lambda d: _first_case(d)["organisations"][0].update(ags=5162),
    "count as text": lambda d: d.update(count="3"),
}


@pytest.mark.parametrize("name", MUTATIONS)
def test_schema_rejects_a_broken_export(name: str) -> None:
    dataset = json.loads(exports.render_json(data_catalogue(), SETTINGS))
    broken = copy.deepcopy(dataset)
    MUTATIONS[name](broken)
    assert _errors(dataset_schema(), broken) != []


def test_case_file_schema_requires_the_text() -> None:
    catalogue = data_catalogue()
    case = next(iter(catalogue))
    record = json.loads(exports.render_case_json(case, catalogue, SETTINGS))
    del record["body"]
    assert any("'body' is a required property" in e for e in _errors(case_file_schema(), record))


def test_schemas_are_published_beside_the_export() -> None:
    catalogue = data_catalogue()
    files = {f.path: f.content for f in data_page.generate(catalogue, SETTINGS)}
    assert json.loads(str(files["daten/faelle.schema.json"])) == dataset_schema(
        catalogue.vocabulary
    )
    assert json.loads(str(files["daten/fall.schema.json"])) == case_file_schema(
        catalogue.vocabulary
    )
    case_file = json.loads(str(files["daten/falldatei.schema.json"]))
    assert case_file["title"] == "Praxisatlas: Angaben eines Falls"
