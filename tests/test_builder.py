"""The generic builder: the typed model from checked values, by field name and type."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, fields

from praxisatlas.cases.builder import build, partial_date
from praxisatlas.cases.model import Case, Contact, PartialDate, Software
from tests.factories import make_case


@dataclass(frozen=True)
class _Part:
    name: str
    note: str | None = None


@dataclass(frozen=True)
class _Whole:
    title: str
    start: PartialDate
    reviewed: dt.date
    parts: tuple[_Part, ...] = ()
    tags: tuple[str, ...] = ()
    part: _Part | None = None
    flag: bool = False
    extra: dict[str, object] = field(default_factory=dict)


def test_converts_by_annotated_type() -> None:
    whole = build(
        _Whole,
        {
            "title": "T",
            "start": "2021-09",
            "reviewed": "2026-01-15",
            "parts": [{"name": "a"}, {"name": "b", "note": "n"}],
            "tags": ["x", "y", "x"],
            "part": {"name": "p"},
            "flag": True,
        },
    )
    assert whole == _Whole(
        title="T",
        start=PartialDate(2021, 9),
        reviewed=dt.date(2026, 1, 15),
        parts=(_Part("a"), _Part("b", "n")),
        tags=("x", "y"),
        part=_Part("p"),
        flag=True,
    )


def test_missing_and_empty_values_keep_defaults_and_given_wins() -> None:
    whole = build(
        _Whole,
        {"title": "T", "start": "2021", "reviewed": "2026-01-15", "part": {}, "tags": None},
        title="given",
    )
    assert whole.title == "given"
    assert whole.start == PartialDate(2021)
    assert whole.part is None and whole.tags == () and whole.flag is False


def test_declared_keys_without_an_attribute_go_to_extra() -> None:
    whole = build(
        _Whole, {"title": "T", "start": "2021", "reviewed": "2026-01-15", "video": "https://v"}
    )
    assert whole.extra == {"video": "https://v"}


def test_model_parts() -> None:
    assert build(Contact, {"function": "Stelle", "open_to": ["telefonat", "telefonat"]}) == (
        Contact(function="Stelle", open_to=("telefonat",))
    )
    assert build(Software, {"open_source": False}) == Software(open_source=False)
    assert partial_date("2019") == PartialDate(2019)


def test_case_value_reads_attributes_and_extra() -> None:
    case = make_case()
    assert case.value("title") == case.title
    assert case.value("not_declared") is None
    with_extra = build(type(case), {"video": "https://v"}, **_fields_of(case))
    assert with_extra.value("video") == "https://v"


def _fields_of(case: Case) -> dict[str, object]:
    return {f.name: getattr(case, f.name) for f in fields(case) if f.name != "extra"}
