"""The outlines of the 400 Kreise, read from the package's TopoJSON file, as SVG paths.

``data/kreise-karte.topojson`` is built once by ``scripts/build_geometry.py`` from BKG's
VG5000 (projected to EPSG:25832, y southwards, rounded to whole units, simplified as a
topology). Every stretch of border between two Kreise is one *arc* there, stored once, so
neighbours are exactly the Kreise that share an arc, and Land borders are the arcs between
Kreise of different Länder (or on the edge of the country). Standard library only: the
site build needs neither shapely nor pyproj.
"""

from __future__ import annotations

import itertools
import json
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache
from importlib import resources

GEOMETRY_FILE = "kreise-karte.topojson"

Point = tuple[int, int]
Box = tuple[int, int, int, int]  # x0, y0, x1, y1


def numbers(values: Iterable[int]) -> str:
    """SVG path numbers, as short as they go: a minus sign separates by itself."""
    out: list[str] = []
    for value in values:
        text = str(value)
        if out and value >= 0:
            out.append(" ")
        out.append(text)
    return "".join(out)


def _polyline(points: Sequence[Point]) -> str:
    """``M x y l dx dy …`` for a line through ``points`` (relative moves are shorter)."""
    (x, y), deltas = points[0], []
    for (px, py), (qx, qy) in itertools.pairwise(points):
        deltas += [qx - px, qy - py]
    return f"M{numbers([x, y])}l{numbers(deltas)}" if deltas else f"M{numbers([x, y])}"


@dataclass(frozen=True)
class Geometry:
    """The Kreise as rings of arcs, with the topology questions the site asks."""

    width: int
    height: int
    arcs: tuple[tuple[Point, ...], ...]
    rings: dict[str, tuple[tuple[int, ...], ...]]  # by Kreis key; ~i is arc i reversed
    names: dict[str, str]
    # Path data per Kreis, made once: every Kreis appears on its neighbours' maps too.
    _paths: dict[str, str] = field(default_factory=dict, compare=False, repr=False)

    @property
    def keys(self) -> list[str]:
        return sorted(self.rings)

    def _owners(self) -> dict[int, set[str]]:
        owners: dict[int, set[str]] = defaultdict(set)
        for ags, rings in self.rings.items():
            for ring in rings:
                for arc in ring:
                    owners[arc if arc >= 0 else ~arc].add(ags)
        return owners

    def ring_points(self, ring: Sequence[int]) -> list[Point]:
        points: list[Point] = []
        for arc in ring:
            part = self.arcs[arc] if arc >= 0 else tuple(reversed(self.arcs[~arc]))
            points.extend(part if not points else part[1:])
        return points

    def path(self, ags: str) -> str:
        """The Kreis as SVG path data (rings closed; holes need ``fill-rule: evenodd``)."""
        path = self._paths.get(ags)
        if path is None:
            rings = self.rings[ags]
            path = "".join(_polyline(self.ring_points(ring)[:-1]) + "z" for ring in rings)
            self._paths[ags] = path
        return path

    def box(self, keys: Iterable[str]) -> Box:
        points = [
            p
            for ags in keys
            for ring in self.rings[ags]
            for arc in ring
            for p in self.arcs[arc if arc >= 0 else ~arc]
        ]
        xs = [x for x, _ in points]
        ys = [y for _, y in points]
        return min(xs), min(ys), max(xs), max(ys)

    def neighbours(self) -> dict[str, tuple[str, ...]]:
        """Kreise sharing a border with each Kreis (touching at a point is not enough)."""
        result: dict[str, set[str]] = {ags: set() for ags in self.rings}
        for owners in self._owners().values():
            for ags in owners:
                result[ags] |= owners - {ags}
        return {ags: tuple(sorted(others)) for ags, others in result.items()}

    def land_border_arcs(self) -> list[int]:
        """Arcs between Kreise of two Länder, and arcs on the edge of the country."""
        return [
            arc
            for arc, owners in sorted(self._owners().items())
            if len(owners) == 1 or len({ags[:2] for ags in owners}) > 1
        ]

    def land_borders(self) -> str:
        """Path data of every border between two Länder and of the country's edge."""
        return "".join(_polyline(self.arcs[arc]) for arc in self.land_border_arcs())

    def arc_owners(self) -> dict[int, set[str]]:
        """The Kreise along each arc (one at the country's edge, else two)."""
        return self._owners()


@cache
def load_geometry() -> Geometry:
    """The shipped geometry (read once per process)."""
    text = resources.files("praxisatlas").joinpath(f"data/{GEOMETRY_FILE}").read_text("utf-8")
    data = json.loads(text)
    scale_x, scale_y = data["transform"]["scale"]
    shift_x, shift_y = data["transform"]["translate"]
    arcs = []
    for encoded in data["arcs"]:
        x = y = 0
        points = []
        for dx, dy in encoded:
            x, y = x + dx, y + dy
            points.append((round(x * scale_x + shift_x), round(y * scale_y + shift_y)))
        arcs.append(tuple(points))
    rings: dict[str, tuple[tuple[int, ...], ...]] = {}
    names: dict[str, str] = {}
    for geometry in data["objects"]["kreise"]["geometries"]:
        polygons = geometry["arcs"] if geometry["type"] == "MultiPolygon" else [geometry["arcs"]]
        rings[geometry["id"]] = tuple(tuple(ring) for polygon in polygons for ring in polygon)
        names[geometry["id"]] = geometry["properties"]["name"]
    _, _, width, height = data["bbox"]
    return Geometry(width, height, tuple(arcs), rings, names)


@cache
def neighbours() -> dict[str, tuple[str, ...]]:
    return load_geometry().neighbours()
