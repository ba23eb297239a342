"""Checked case files kept in the content cache: an unchanged file is not checked again.

What checking a case file gives (its ``Case``, or none, and its problems) depends on the
file's bytes, the path problems show, and what the file is checked against: the
vocabulary, the reference data, today, the ids of the folder and the hand-written site
pages (``Context``). ``CheckedCases`` keys each result by all of these (the cache adds
its own version, which covers this package's code), so any change to one of them checks
the file again. Reading and checking is most of what loading costs; a build in which
few cases changed reads the others from one database.

A result is stored pickled, and read back with an unpickler that makes nothing but the
classes of the case model, dates and problems; Kreise and Länder are stored by their key
and become the reference data's own objects again. An entry holding anything else fails
to load and the file is checked again: a cache entry can never run code.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import io
import pickle
from pathlib import Path
from typing import Any

from praxisatlas.cache import ContentCache
from praxisatlas.cases import model
from praxisatlas.cases.check_context import Context
from praxisatlas.cases.loader import LoadedFile, case_id_of, load_bytes, read_file
from praxisatlas.cases.problems import Problem
from praxisatlas.cases.reference import Kreis, Land, Reference
from praxisatlas.cases.validation import validate_loaded

KIND = "fallpruefung"
Checked = tuple[model.Case | None, list[Problem]]

# Everything a stored result may be made of besides plain values.
_CLASSES: dict[tuple[str, str], type] = {
    (cls.__module__, cls.__qualname__): cls
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
        dt.date,
        dt.datetime,
    )
}


_DATACLASSES = frozenset(cls for cls in _CLASSES.values() if dataclasses.is_dataclass(cls))
_MADE = ("praxisatlas.cases.checked_cases", "_made")


def context_digest(ctx: Context) -> str:
    """Everything besides a file that decides what checking it gives."""
    vocabulary = ctx.vocabulary
    reference = ctx.reference
    parts = (
        vocabulary.version,
        list(vocabulary.topics.values()),
        list(vocabulary.ozg_themenfelder.values()),
        reference.laender,
        reference.kreise,
        ctx.today.isoformat(),
        None if ctx.known_ids is None else sorted(ctx.known_ids),
        None if ctx.site_pages is None else sorted(ctx.site_pages),
    )
    # Frozen dataclasses of plain values, lists and strings: their repr is stable.
    return hashlib.sha256(repr(parts).encode("utf-8", "surrogatepass")).hexdigest()


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
        payload = self.cache.get(KIND, key)
        stored = None if payload is None else self._restore(payload)
        if stored is not None:
            return stored
        result = validate_loaded(load_bytes(data, path, case_id_of(file), size=size), self.ctx)
        self.cache.put(KIND, key, self._store(result))
        return result

    def _store(self, result: Checked) -> bytes:
        buffer = io.BytesIO()
        _Pickler(buffer).dump(result)
        return buffer.getvalue()

    def _restore(self, payload: bytes) -> Checked | None:
        try:
            result = _Unpickler(io.BytesIO(payload), self.ctx.reference).load()
        except Exception:  # anything unexpected in an entry: check the file again
            return None
        if not (
            isinstance(result, tuple)
            and len(result) == 2
            and (result[0] is None or isinstance(result[0], model.Case))
            and isinstance(result[1], list)
            and all(isinstance(p, Problem) for p in result[1])
        ):
            return None
        return result[0], result[1]


def _by_fields(obj: Any) -> tuple[Any, tuple[Any, ...]]:
    """Made again by ``_made`` from the object's fields. Pickle's default reads an
    object's ``__dict__``, after which Python keeps a real dict beside the object; and
    pickling a text keeps a UTF-8 copy inside it for good (PyUnicode_AsUTF8AndSize), so
    texts that are not ASCII (a case's body above all) travel as bytes."""
    values = (getattr(obj, f.name) for f in dataclasses.fields(obj))
    encoded = tuple(_bytes_if_text(value) for value in values)
    return _made, (type(obj), encoded)


def _bytes_if_text(value: Any) -> Any:
    if isinstance(value, str) and not value.isascii():
        return value.encode("utf-8", "surrogatepass")
    return value


def _made(cls: type, values: tuple[Any, ...]) -> Any:
    """The model object of ``cls`` with ``values`` (texts as bytes: ``_by_fields``)."""
    if cls not in _DATACLASSES:
        raise pickle.UnpicklingError(repr(cls))
    return cls(*(v.decode("utf-8", "surrogatepass") if isinstance(v, bytes) else v for v in values))


class _Pickler(pickle.Pickler):
    def __init__(self, file: io.BytesIO) -> None:
        super().__init__(file)
        self.dispatch_table = dict.fromkeys(_DATACLASSES, _by_fields)

    def persistent_id(self, obj: Any) -> tuple[str, str] | None:
        if isinstance(obj, Kreis):
            return ("kreis", obj.ags)
        if isinstance(obj, Land):
            return ("land", obj.code)
        return None


class _Unpickler(pickle.Unpickler):
    def __init__(self, file: io.BytesIO, reference: Reference) -> None:
        super().__init__(file)
        self._reference = reference

    def find_class(self, module: str, name: str) -> Any:
        if (module, name) == _MADE:
            return _made
        cls = _CLASSES.get((module, name))
        if cls is None:
            raise pickle.UnpicklingError(f"{module}.{name}")
        return cls

    def persistent_load(self, pid: Any) -> Kreis | Land:
        match pid:
            case ("kreis", str(ags)) if ags in self._reference.kreis_by_ags:
                return self._reference.kreis_by_ags[ags]
            case ("land", str(code)) if code in self._reference.land_by_code:
                return self._reference.land_by_code[code]
        raise pickle.UnpicklingError(repr(pid))
