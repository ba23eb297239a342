"""Reference data shipped with the package: the Länder and the Kreise.

Source of the Kreis list: Statistisches Bundesamt (Destatis), Gemeindeverzeichnis-
Informationssystem GV-ISys, "Kreisfreie Städte und Landkreise nach Fläche, Bevölkerung
und Bevölkerungsdichte", Gebietsstand 31.12.2018, via the npm package
``landkreise-deutschland`` 3.0.0; edited (see ``scripts/build_kreise.py``).
"""

from __future__ import annotations

import csv
import difflib
import unicodedata
from dataclasses import dataclass
from functools import cache
from importlib import resources

# The Kreis outlines of the map (data/kreise-karte.topojson, see scripts/build_geometry.py).
GEOMETRY_ATTRIBUTION = "© GeoBasis-DE / BKG (2021), verändert"
GEOMETRY_LICENSE = "Datenlizenz Deutschland – Namensnennung – Version 2.0"
GEOMETRY_LICENSE_URL = "https://www.govdata.de/dl-de/by-2-0"

KREIS_ATTRIBUTION = (
    "Quelle: Statistisches Bundesamt (Destatis), Gemeindeverzeichnis-Informationssystem "
    "GV-ISys, Gebietsstand 31.12.2018 (über das npm-Paket landkreise-deutschland 3.0.0); "
    "bearbeitet: Namenszusätze entfernt, Eisenach (16056) seit 01.07.2021 als Teil des "
    "Wartburgkreises (16063) geführt."
)
POPULATION_DATE = "31.12.2018"

COUNTY_TYPE_LABELS = {"landkreis": "Landkreis", "kreisfreie-stadt": "Kreisfreie Stadt"}

# Size classes by population (Destatis 2018); upper bounds are exclusive.
POPULATION_CLASSES: tuple[tuple[str, str, int | None], ...] = (
    ("unter-100000", "unter 100.000 Einwohner", 100_000),
    ("100000-250000", "100.000 bis unter 250.000 Einwohner", 250_000),
    ("250000-500000", "250.000 bis unter 500.000 Einwohner", 500_000),
    ("ab-500000", "500.000 Einwohner und mehr", None),
)
POPULATION_CLASS_LABELS = {slug: label for slug, label, _ in POPULATION_CLASSES}


@dataclass(frozen=True)
class Land:
    """A German Land with its 2-digit key."""

    code: str
    slug: str
    name: str
    short: str


@dataclass(frozen=True)
class Kreis:
    """A Landkreis or kreisfreie Stadt with its 5-digit key."""

    ags: str
    name: str
    type: str  # "landkreis" | "kreisfreie-stadt"
    destatis_type: str
    population_2018: int
    valid_until: str  # "" while current
    successor: str  # key of the Kreis it merged into, or ""

    @property
    def land_code(self) -> str:
        return self.ags[:2]

    @property
    def current(self) -> bool:
        return not self.valid_until

    @property
    def type_label(self) -> str:
        return COUNTY_TYPE_LABELS[self.type]

    @property
    def label(self) -> str:
        """Name as people say it: "Landkreis München" vs. "München"."""
        if self.type == "kreisfreie-stadt":
            return self.name
        lowered = self.name.lower()
        if "kreis" in lowered or "region" in lowered:
            return self.name
        prefix = "Kreis" if self.destatis_type == "Kreis" else "Landkreis"
        return f"{prefix} {self.name}"

    @property
    def population_class(self) -> str:
        for slug, _label, upper in POPULATION_CLASSES:
            if upper is None or self.population_2018 < upper:
                return slug
        raise AssertionError("unreachable")


def _fold(text: str) -> str:
    """Comparison key for names: case-, accent- and punctuation-insensitive."""
    text = text.casefold().replace("ß", "ss")
    text = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in text if ch.isalnum())


def _prefix_aliases(label: str) -> set[str]:
    """People write "Landkreis Lippe" for the Kreis Lippe and "Kreis Harburg" for the
    Landkreis Harburg: accept the other prefix as well."""
    for prefix, other in (("Kreis ", "Landkreis "), ("Landkreis ", "Kreis ")):
        if label.startswith(prefix):
            return {other + label.removeprefix(prefix)}
    return set()


class Reference:
    """Lookup of Länder and Kreise by key and by name."""

    def __init__(self, laender: list[Land], kreise: list[Kreis]) -> None:
        self.laender = laender
        self.kreise = kreise
        self.land_by_code = {land.code: land for land in laender}
        self.land_by_slug = {land.slug: land for land in laender}
        self.kreis_by_ags = {k.ags: k for k in kreise}
        self.current_kreise = [k for k in kreise if k.current]
        self._by_name: dict[str, list[Kreis]] = {}
        for kreis in self.current_kreise:
            for name in {kreis.name, kreis.label, *_prefix_aliases(kreis.label)}:
                self._by_name.setdefault(_fold(name), []).append(kreis)

    @property
    def laender_by_name(self) -> list[Land]:
        """The Länder alphabetically (Baden-Württemberg … Thüringen): every list meant for
        reading. ``laender`` keeps the official key order (Schleswig-Holstein first) for
        where the key is the point (data files, the tile map's positions)."""
        return sorted(self.laender, key=lambda land: _fold(land.name))

    def land_of(self, kreis: Kreis) -> Land:
        return self.land_by_code[kreis.land_code]

    def find_land(self, text: str) -> Land | None:
        """A Land by 2-digit code, slug or name."""
        if text in self.land_by_code:
            return self.land_by_code[text]
        key = _fold(text)
        for land in self.laender:
            if key in (_fold(land.name), _fold(land.slug)):
                return land
        return None

    def kreise_named(self, name: str) -> list[Kreis]:
        """Current Kreise whose name or label equals ``name`` (loosely compared)."""
        return list(self._by_name.get(_fold(name), []))

    def suggest_kreise(self, name: str, limit: int = 3) -> list[Kreis]:
        matches = difflib.get_close_matches(_fold(name), list(self._by_name), n=limit, cutoff=0.6)
        seen: dict[str, Kreis] = {}
        for match in matches:
            for kreis in self._by_name[match]:
                seen.setdefault(kreis.ags, kreis)
        return list(seen.values())[:limit]


def _read_csv(name: str) -> list[dict[str, str]]:
    text = resources.files("praxisatlas").joinpath("data", name).read_text(encoding="utf-8")
    return list(csv.DictReader(text.splitlines(), delimiter=";"))


@cache
def load_reference() -> Reference:
    """The shipped reference data (cached: it never changes at run time)."""
    laender = [Land(**row) for row in _read_csv("laender.csv")]
    kreise = [
        Kreis(
            ags=row["ags"],
            name=row["name"],
            type=row["type"],
            destatis_type=row["destatis_type"],
            population_2018=int(row["population_2018"]),
            valid_until=row["valid_until"],
            successor=row["successor"],
        )
        for row in _read_csv("kreise.csv")
    ]
    return Reference(laender, kreise)
