"""Build the typed model from checked front-matter values, by field name and type.

The validator checks every value against its declaration in ``schema.FIELDS`` and hands
the values that passed, as plain data keyed like the front matter, to ``build``. Each
dataclass field of the target (``Case``, ``Contact``, ``Source`` …) takes the value of
the key of the same name, converted by its annotated type: nested dataclasses and
tuples of them are built the same way, ``PartialDate`` and ``dt.date`` parsed from their
checked text, and lists of strings kept in order without repeats. Declared keys the
target has no attribute for go into its ``extra`` mapping, so a new optional field
needs no change here nor in the model (``Case.value`` reads either).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
import types
import typing
from collections.abc import Mapping
from functools import cache
from typing import Any, TypeVar

from praxisatlas.cases.model import PartialDate

T = TypeVar("T")

_PARTIAL_DATE = re.compile(r"^([0-9]{4})(?:-([0-9]{2}))?$")


def partial_date(value: str) -> PartialDate:
    """``2021`` or ``2021-09`` (already checked) as a ``PartialDate``."""
    match = _PARTIAL_DATE.match(value)
    assert match is not None, value
    return PartialDate(int(match.group(1)), int(match.group(2)) if match.group(2) else None)


@cache
def _hints(cls: type) -> dict[str, Any]:
    return typing.get_type_hints(cls)


def _optional(hint: Any) -> Any:
    """``X`` for ``X | None``; ``hint`` itself otherwise."""
    if isinstance(hint, types.UnionType) or typing.get_origin(hint) is typing.Union:
        rest = [arg for arg in typing.get_args(hint) if arg is not type(None)]
        if len(rest) == 1:
            return rest[0]
    return hint


def _convert(hint: Any, value: Any) -> Any:
    target = _optional(hint)
    if typing.get_origin(target) is tuple:
        item = typing.get_args(target)[0]
        if dataclasses.is_dataclass(item):
            return tuple(_convert(item, entry) for entry in value)
        return tuple(dict.fromkeys(value))
    if target is PartialDate:
        return partial_date(value)
    if dataclasses.is_dataclass(target) and isinstance(target, type):
        return build(target, value) if value else None
    if target is dt.date:
        return dt.date.fromisoformat(value)
    if target is bool:
        return bool(value)
    return value


def build(cls: type[T], values: Mapping[str, Any], **given: Any) -> T:
    """An instance of the dataclass ``cls`` from checked ``values``; ``given`` wins.

    A key without a value keeps the field's default; declared keys ``cls`` has no field
    for go into its ``extra`` field when it has one.
    """
    assert dataclasses.is_dataclass(cls)
    hints = _hints(cls)
    names = {f.name for f in dataclasses.fields(cls)}
    arguments: dict[str, Any] = {}
    for key, value in values.items():
        if key in given or value is None:
            continue
        if key in names:
            arguments[key] = _convert(hints[key], value)
        elif "extra" in names:
            arguments.setdefault("extra", {})[key] = value
    arguments.update(given)
    return cls(**arguments)
