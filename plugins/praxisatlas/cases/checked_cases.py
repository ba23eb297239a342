"""Checked case files kept in the content cache: an unchanged file is not checked again.

What checking a case file gives (its ``Case``, or none, and its problems) depends on the
file's bytes, the path problems show, and what the file is checked against (``Context``).
``CheckedCases`` keys each result by the file, the vocabulary, the reference data and
today (the cache adds its own version, which covers this package's code and the
libraries that read a file). The ids of the folder and the hand-written site pages are
not in the key: a check only asks whether a referenced case or page exists, so the
result records the ids and pages it found and is used only while they all still exist.
A result that found a reference missing (an error that lists suggestions from the whole
folder) is not kept. A case added to the folder thus re-checks no other case.

Results are stored as JSON in which every object says what it is (a model class by
name, a date, a Kreis or Land by its key); reading one makes nothing but those. A
result is used only if it belongs to the file: the case's id and path and every
problem's path must be the file's.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
from collections.abc import Iterator, Set
from pathlib import Path
from typing import Any

from praxisatlas.cache import ContentCache
from praxisatlas.cases import model
from praxisatlas.cases.check_context import Context
from praxisatlas.cases.loader import LoadedFile, case_id_of, load_bytes, read_file
from praxisatlas.cases.problems import Problem, errors
from praxisatlas.cases.reference import Kreis, Land, Reference
from praxisatlas.cases.validation import validate_loaded

KIND = "fallpruefung"
Checked = tuple[model.Case | None, list[Problem]]

# The classes a stored result is made of, by name.
_CLASSES: dict[str, type] = {
    cls.__name__: cls
    for cls in (
        model.Case,
        model.PartialDate,
        model.Organisation,
        model.Contact,
        model.Source,
        model.Funding,
        model.Effort,
        model.Outcome,
        model.Software,
        model.Confirmation,
        Problem,
    )
}


def context_digest(ctx: Context) -> str:
    """What besides the file decides a check's result, apart from the ids and pages
    it looks up (see the module docstring)."""
    reference = ctx.reference
    parts = (
        ctx.vocabulary.fingerprint(),
        reference.laender,
        reference.kreise,
        ctx.today.isoformat(),
        ctx.known_ids is None,
        ctx.site_pages is None,
    )
    # Frozen dataclasses of plain values, lists and strings: their repr is stable.
    return hashlib.sha256(repr(parts).encode("utf-8", "surrogatepass")).hexdigest()


class _Lookups(Set[str]):
    """A set that notes which members were looked up, and whether a check needed more
    than that (a missing member, or the whole set for a "meinten Sie" hint)."""

    def __init__(self, members: Set[str]) -> None:
        self._members = members
        self.found: set[str] = set()
        self.whole = False

    def __contains__(self, value: object) -> bool:
        if value in self._members:
            self.found.add(str(value))
            return True
        self.whole = True
        return False

    def __iter__(self) -> Iterator[str]:
        self.whole = True
        return iter(self._members)

    def __len__(self) -> int:
        self.whole = True
        return len(self._members)


@dataclasses.dataclass
class CheckedCases:
    """Checks case files against ``ctx``, through ``cache`` (see the module docstring)."""

    cache: ContentCache
    ctx: Context
    _context: str = dataclasses.field(init=False)

    def __post_init__(self) -> None:
        self._context = context_digest(self.ctx)

    def check(self, file: Path, path: str) -> Checked:
        """The case in ``file`` (shown as ``path`` in problems) and its problems."""
        read = read_file(file, path)
        if isinstance(read, LoadedFile):  # unreadable: nothing worth keeping
            return validate_loaded(read, self.ctx)
        data, size = read
        key = self.cache.key(KIND, self._context, path, str(size), hashlib.sha256(data).digest())
        stored = self._restore(self.cache.get(KIND, key), file, path)
        if stored is not None:
            return stored
        ids = None if self.ctx.known_ids is None else _Lookups(self.ctx.known_ids)
        pages = None if self.ctx.site_pages is None else _Lookups(self.ctx.site_pages)
        ctx = dataclasses.replace(self.ctx, known_ids=ids, site_pages=pages)
        case, problems = validate_loaded(load_bytes(data, path, case_id_of(file), size=size), ctx)
        if not any(lookups is not None and lookups.whole for lookups in (ids, pages)):
            payload = {
                "case": case,
                "problems": problems,
                "ids": sorted(ids.found) if ids is not None else [],
                "pages": sorted(pages.found) if pages is not None else [],
            }
            try:
                encoded = json.dumps(
                    {key: _tagged(value) for key, value in payload.items()}, ensure_ascii=False
                )
            except (TypeError, ValueError):  # a value only a check of the file can give
                encoded = None
            if encoded is not None:
                self.cache.put(KIND, key, encoded.encode("utf-8", "surrogatepass"))
        return case, problems

    def _restore(self, payload: bytes | None, file: Path, path: str) -> Checked | None:
        """The stored result, if it is one and belongs to ``file``; else ``None``."""
        if payload is None:
            return None
        decode = _Decoder(self.ctx.reference)
        try:
            entry = json.loads(payload.decode("utf-8", "surrogatepass"), object_hook=decode)
        except (ValueError, TypeError, KeyError):
            return None
        if not isinstance(entry, dict) or set(entry) != {"case", "problems", "ids", "pages"}:
            return None
        case, problems = entry["case"], entry["problems"]
        if not isinstance(problems, list) or not all(
            isinstance(p, Problem) and p.path == path for p in problems
        ):
            return None
        if case is None:
            if not errors(problems):  # a file without a case has an error
                return None
        elif not (
            isinstance(case, model.Case) and case.id == case_id_of(file) and case.path == path
        ):
            return None
        if not self._still_found(entry["ids"], self.ctx.known_ids):
            return None
        if not self._still_found(entry["pages"], self.ctx.site_pages):
            return None
        return case, problems

    @staticmethod
    def _still_found(found: Any, members: Set[str] | None) -> bool:
        if not isinstance(found, list):
            return False
        return members is None or all(isinstance(m, str) and m in members for m in found)


def _tagged(value: Any) -> Any:
    """``value`` as JSON values; every object but the plain ones says what it is."""
    if value is None or isinstance(value, str | bool | int | float):
        return value
    if isinstance(value, list):
        return [_tagged(item) for item in value]
    if isinstance(value, tuple):
        return {"tupel": [_tagged(item) for item in value]}
    if isinstance(value, dict):
        return {"abbildung": [[_tagged(k), _tagged(v)] for k, v in value.items()]}
    if isinstance(value, Kreis):
        return {"kreis": value.ags}
    if isinstance(value, Land):
        return {"land": value.code}
    if isinstance(value, dt.datetime):
        return {"zeit": value.isoformat()}
    if isinstance(value, dt.date):
        return {"datum": value.isoformat()}
    if _CLASSES.get(type(value).__name__) is type(value) and dataclasses.is_dataclass(value):
        fields = [_tagged(getattr(value, f.name)) for f in dataclasses.fields(value)]
        return {"klasse": type(value).__name__, "felder": fields}
    raise TypeError(type(value).__name__)


class _Decoder:
    """Turns the tagged objects of a stored result back into values (``object_hook``)."""

    def __init__(self, reference: Reference) -> None:
        self._reference = reference

    def __call__(self, obj: dict[str, Any]) -> Any:
        if set(obj) == {"case", "problems", "ids", "pages"}:  # the entry itself
            return obj
        match obj:
            case {"kreis": str(ags)}:
                return self._reference.kreis_by_ags[ags]
            case {"land": str(code)}:
                return self._reference.land_by_code[code]
            case {"zeit": str(text)}:
                return dt.datetime.fromisoformat(text)
            case {"datum": str(text)}:
                return dt.date.fromisoformat(text)
            case {"tupel": list(items)}:
                return tuple(items)
            case {"abbildung": list(pairs)}:
                return {key: value for key, value in pairs}
            case {"klasse": str(name), "felder": list(fields)}:
                return _CLASSES[name](*fields)
        raise ValueError("unbekannter Eintrag")
