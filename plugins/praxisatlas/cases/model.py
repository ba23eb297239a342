"""The typed case model: what a validated case file becomes.

Instances are created only by the validator (``validate.py``) or by test factories;
everything downstream (site, search, exports, CLI reports) reads these types.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import total_ordering

from praxisatlas.cases.reference import Kreis, Land

STATUSES: dict[str, str] = {
    "idee": "Idee",
    "planung": "In Planung",
    "pilot": "Pilotbetrieb",
    "regelbetrieb": "Regelbetrieb",
    "eingestellt": "Eingestellt",
}
ROLES: dict[str, str] = {"lead": "Federführung", "partner": "Partner", "adopter": "Nachnutzer"}
# What every page, filter, count and export shows for a value the case does not give:
# missing is not "nein".
NOT_STATED = "keine Angabe"


def yes_no(value: bool | None) -> str:
    """ "ja", "nein" or "keine Angabe" (None: the case does not say)."""
    return NOT_STATED if value is None else ("ja" if value else "nein")


OPEN_TO: dict[str, str] = {
    "telefonat": "Telefonat",
    "hospitation": "Hospitation vor Ort",
    "unterlagen": "Unterlagen teilen",
}
# Licences a case text may carry: SPDX id → (German name, German licence text).
_LICENSE_TABLE: dict[str, tuple[str, str]] = {
    "CC-BY-4.0": (
        "Creative Commons Namensnennung 4.0",
        "https://creativecommons.org/licenses/by/4.0/deed.de",
    ),
    "CC-BY-SA-4.0": (
        "Creative Commons Namensnennung – Weitergabe unter gleichen Bedingungen 4.0",
        "https://creativecommons.org/licenses/by-sa/4.0/deed.de",
    ),
    "CC0-1.0": (
        "CC0 1.0 (gemeinfrei)",
        "https://creativecommons.org/publicdomain/zero/1.0/deed.de",
    ),
    "DL-DE-BY-2.0": (
        "Datenlizenz Deutschland – Namensnennung – 2.0",
        "https://www.govdata.de/dl-de/by-2-0",
    ),
    "DL-DE-ZERO-2.0": (
        "Datenlizenz Deutschland – Zero – 2.0",
        "https://www.govdata.de/dl-de/zero-2-0",
    ),
}
LICENSES: dict[str, str] = {spdx: name for spdx, (name, _url) in _LICENSE_TABLE.items()}
LICENSE_URLS: dict[str, str] = {spdx: url for spdx, (_name, url) in _LICENSE_TABLE.items()}
DEFAULT_LICENSE = "CC-BY-4.0"
COST_BANDS: dict[str, str] = {
    "unter-10000": "unter 10.000 €",
    "10000-50000": "10.000 € bis 50.000 €",
    "50000-250000": "50.000 € bis 250.000 €",
    "250000-1000000": "250.000 € bis 1 Mio. €",
    "ab-1000000": "mehr als 1 Mio. €",
}
STAFF_BANDS: dict[str, str] = {
    "unter-1": "weniger als 1 Vollzeitstelle",
    "1-3": "1 bis 3 Vollzeitstellen",
    "ab-3": "mehr als 3 Vollzeitstellen",
}
DURATION_BANDS: dict[str, str] = {
    "unter-6-monate": "unter 6 Monaten",
    "6-12-monate": "6 bis 12 Monate",
    "1-2-jahre": "1 bis 2 Jahre",
    "ab-2-jahre": "mehr als 2 Jahre",
}
EVIDENCE: dict[str, str] = {
    "gemessen": "gemessen",
    "geschaetzt": "geschätzt",
    "berichtet": "berichtet (ohne Messung)",
}
STALE_AFTER_MONTHS = 24


def add_months(day: dt.date, months: int) -> dt.date:
    """``day`` plus whole months, clamped to the month's last day (29 Feb → 28 Feb)."""
    year, month = divmod(day.year * 12 + day.month - 1 + months, 12)
    following = dt.date(year + (month + 1) // 12, (month + 1) % 12 + 1, 1)
    return dt.date(year, month + 1, min(day.day, (following - dt.timedelta(days=1)).day))


def review_due(reviewed: dt.date) -> dt.date:
    """The day after which a case reviewed on ``reviewed`` is shown as "veraltet"."""
    return add_months(reviewed, STALE_AFTER_MONTHS)


@total_ordering
@dataclass(frozen=True)
class PartialDate:
    """A year or a year and month, as in ``start: 2021`` or ``start: 2021-09``."""

    year: int
    month: int | None = None

    def __str__(self) -> str:
        return f"{self.year:04d}" if self.month is None else f"{self.year:04d}-{self.month:02d}"

    def __lt__(self, other: object) -> bool:
        if not isinstance(other, PartialDate):
            return NotImplemented
        return (self.year, self.month or 0) < (other.year, other.month or 0)

    @property
    def label(self) -> str:
        """German display: "09/2021" or "2021"."""
        return str(self.year) if self.month is None else f"{self.month:02d}/{self.year}"


@dataclass(frozen=True)
class Organisation:
    """An organisation taking part; ``kreis`` is resolved from ``ags`` when given."""

    role: str
    name: str
    kind: str
    ags: str | None = None
    kreis: Kreis | None = None
    land: Land | None = None


@dataclass(frozen=True)
class Contact:
    function: str
    email: str | None = None
    phone: str | None = None
    url: str | None = None
    # None: the case says nothing (shown as "keine Angabe"); (): open to nothing.
    open_to: tuple[str, ...] | None = None


@dataclass(frozen=True)
class Source:
    title: str
    url: str
    publisher: str | None = None
    date: str | None = None


@dataclass(frozen=True)
class Funding:
    programme: str
    provider: str | None = None


@dataclass(frozen=True)
class Effort:
    cost: str | None = None
    staff: str | None = None
    duration: str | None = None
    note: str | None = None


@dataclass(frozen=True)
class Outcome:
    text: str
    evidence: str


@dataclass(frozen=True)
class Software:
    open_source: bool
    name: str | None = None
    license: str | None = None
    repository: str | None = None


@dataclass(frozen=True)
class Confirmation:
    """The administration behind a case confirmed it: when and which unit."""

    date: dt.date
    by: str


@dataclass(frozen=True)
class Case:
    """One validated case. ``fields`` are the Handlungsfelder derived from ``topics``."""

    id: str
    path: str
    title: str
    summary: str
    organisations: tuple[Organisation, ...]
    topics: tuple[str, ...]
    fields: tuple[str, ...]
    status: str
    start: PartialDate
    contact: Contact
    sources: tuple[Source, ...]
    reviewed: dt.date
    license: str
    body: str
    end: PartialDate | None = None
    rights_holder: str | None = None
    funding: tuple[Funding, ...] = ()
    effort: Effort | None = None
    outcomes: tuple[Outcome, ...] = ()
    transferability: str | None = None
    software: Software | None = None
    adopted_from: tuple[str, ...] = ()
    related: tuple[str, ...] = ()
    ozg_themenfeld: tuple[str, ...] = ()
    leika: tuple[str, ...] = ()
    fictitious: bool = False
    confirmed: Confirmation | None = None
    # Line of the first body line in the file, for body problems and "edit" links.
    body_line: int = 1
    extra: dict[str, object] = field(default_factory=dict, compare=False, hash=False)

    def value(self, key: str) -> object:
        """The value of the front-matter key ``key`` (``None`` when not given).

        Fields declared in ``schema.FIELDS`` without an attribute here live in ``extra``.
        """
        return self.extra[key] if key in self.extra else getattr(self, key, None)

    @property
    def url(self) -> str:
        """Site-relative URL of the case page."""
        return f"faelle/{self.id}/"

    @property
    def kreise(self) -> tuple[Kreis, ...]:
        """Distinct Kreise of all organisations, lead first, in file order."""
        seen: dict[str, Kreis] = {}
        for org in sorted(self.organisations, key=lambda o: o.role != "lead"):
            if org.kreis is not None:
                seen.setdefault(org.kreis.ags, org.kreis)
        return tuple(seen.values())

    @property
    def laender(self) -> tuple[Land, ...]:
        seen: dict[str, Land] = {}
        for org in sorted(self.organisations, key=lambda o: o.role != "lead"):
            if org.land is not None:
                seen.setdefault(org.land.code, org.land)
        return tuple(sorted(seen.values(), key=lambda land: land.code))

    @property
    def primary_kreis(self) -> Kreis | None:
        """The first lead organisation's Kreis: decides county type and size class."""
        kreise = self.kreise
        return kreise[0] if kreise else None

    @property
    def county_type(self) -> str | None:
        kreis = self.primary_kreis
        return kreis.type if kreis else None

    @property
    def population_class(self) -> str | None:
        kreis = self.primary_kreis
        return kreis.population_class if kreis else None

    @property
    def open_to_exchange(self) -> bool | None:
        """Whether the contact offers any exchange; None when the case does not say."""
        open_to = self.contact.open_to
        return None if open_to is None else bool(open_to)

    @property
    def open_source(self) -> bool | None:
        """Whether the software is open source; None when the case names no software."""
        return None if self.software is None else self.software.open_source

    def is_stale(self, today: dt.date) -> bool:
        """True when the last editorial review is more than 24 months old."""
        return review_due(self.reviewed) < today
