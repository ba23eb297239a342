#!/usr/bin/env python3
"""Build ``plugins/praxisatlas/data/kreise-karte.topojson`` from the BKG reference file.

Input: ``kreise-vg5000-2021.geojson`` (BKG VG5000, Stand 01.01.2021, dl-de/by-2-0; see
``/work/shared/reference/geo/README.md``), 401 Kreise in WGS 84. Run once, commit the output::

    pip install -e '.[geo]'
    python scripts/build_geometry.py path/to/kreise-vg5000-2021.geojson

Edits made (the data is attributed as "© GeoBasis-DE / BKG (2021), verändert"):

- Eisenach (16056) is merged into the Wartburgkreis (16063), as on 2021-07-01: 400 Kreise;
- coordinates are projected to ETRS89 / UTM zone 32N (EPSG:25832, the usual projection for
  maps of all Germany), flipped so y grows southwards (SVG), and rounded to a grid of
  ``GRID`` metres;
- borders are simplified as a topology (TopoJSON): every stretch of border between two
  Kreise (an *arc*) is stored and simplified once, so neighbours always share exactly the
  same line – no slivers, no gaps; small islands (below ``MIN_ISLAND_KM2``) are dropped.

The script checks its own result (400 valid shapes, areas that add up to the area of their
union, i.e. no overlaps, and no new holes, i.e. no gaps) and refuses to write otherwise.
Needs ``shapely`` and ``pyproj`` (the optional ``geo`` extra); the plugin reads the output
with the standard library only.
"""

from __future__ import annotations

import itertools
import json
import math
import sys
from collections import defaultdict
from pathlib import Path

from pyproj import Transformer
from shapely.geometry import MultiPolygon, Polygon, shape
from shapely.ops import unary_union
from shapely.strtree import STRtree
from shapely.validation import explain_validity

OUT = Path(__file__).resolve().parent.parent / "plugins/praxisatlas/data/kreise-karte.topojson"
MERGED = {"16056": "16063"}  # Eisenach -> Wartburgkreis (2021-07-01)
GRID = 200.0  # metres per unit of the output coordinates
TOLERANCE = 5.0  # Douglas-Peucker tolerance in grid units (1 km)
MIN_ISLAND_KM2 = 4.0
ATTRIBUTION = "© GeoBasis-DE / BKG (2021), verändert"

Point = tuple[int, int]


def load(path: Path) -> tuple[dict[str, Polygon | MultiPolygon], dict[str, str]]:
    """Shapes (WGS 84) and names by Kreis key, with the merges applied."""
    data = json.loads(path.read_text(encoding="utf-8"))
    shapes: dict[str, list[Polygon | MultiPolygon]] = defaultdict(list)
    names: dict[str, str] = {}
    for feature in data["features"]:
        ags = feature["properties"]["ARS"]
        target = MERGED.get(ags, ags)
        shapes[target].append(shape(feature["geometry"]))
        if ags not in MERGED:
            names[ags] = feature["properties"]["GEN"]
    merged = {
        ags: parts[0] if len(parts) == 1 else unary_union(parts) for ags, parts in shapes.items()
    }
    return merged, names


def rings_of(geometry: Polygon | MultiPolygon) -> list[list[list[tuple[float, float]]]]:
    """Polygons as lists of rings (exterior first), each ring closed."""
    polygons = geometry.geoms if isinstance(geometry, MultiPolygon) else [geometry]
    return [[list(p.exterior.coords), *(list(r.coords) for r in p.interiors)] for p in polygons]


def project(shapes: dict[str, Polygon | MultiPolygon]) -> dict[str, list[list[list[Point]]]]:
    """Project to EPSG:25832, flip y and round to the grid; shared vertices stay shared."""
    transformer = Transformer.from_crs("EPSG:4326", "EPSG:25832", always_xy=True)
    cache: dict[tuple[float, float], tuple[float, float]] = {}
    projected: dict[str, list[list[list[tuple[float, float]]]]] = {}
    for ags, geometry in shapes.items():
        polygons = []
        for polygon in rings_of(geometry):
            rings = []
            for ring in polygon:
                out = []
                for lon, lat in ring:
                    if (lon, lat) not in cache:
                        cache[(lon, lat)] = transformer.transform(lon, lat)
                    out.append(cache[(lon, lat)])
                rings.append(out)
            polygons.append(rings)
        projected[ags] = polygons
    xs = [x for x, _ in cache.values()]
    ys = [y for _, y in cache.values()]
    x0, y1 = min(xs), max(ys)
    result: dict[str, list[list[list[Point]]]] = {}
    for ags, polygons in projected.items():
        result[ags] = [
            [
                dedupe([(round((x - x0) / GRID), round((y1 - y) / GRID)) for x, y in ring])
                for ring in p
            ]
            for p in polygons
        ]
    return result


def dedupe(ring: list[Point]) -> list[Point]:
    out = [p for i, p in enumerate(ring) if i == 0 or p != ring[i - 1]]
    return out


def split_into_arcs(
    kreise: dict[str, list[list[list[Point]]]],
) -> tuple[list[list[Point]], dict[str, list[list[list[int]]]]]:
    """TopoJSON arcs: rings are cut where the set of Kreise along the border changes."""
    owners: dict[frozenset[Point], set[str]] = defaultdict(set)
    for ags, polygons in kreise.items():
        for polygon in polygons:
            for ring in polygon:
                for a, b in itertools.pairwise(ring):
                    owners[frozenset((a, b))].add(ags)

    def edge_owners(a: Point, b: Point) -> frozenset[str]:
        return frozenset(owners[frozenset((a, b))])

    arcs: list[list[Point]] = []
    index: dict[tuple[Point, ...], int] = {}

    def arc_id(points: list[Point]) -> int:
        key = tuple(points)
        if key in index:
            return index[key]
        reverse = tuple(reversed(points))
        if reverse in index:
            return ~index[reverse]
        index[key] = len(arcs)
        arcs.append(points)
        return index[key]

    topology: dict[str, list[list[list[int]]]] = {}
    for ags, polygons in sorted(kreise.items()):
        out_polygons = []
        for polygon in polygons:
            out_rings = []
            for ring in polygon:
                vertices = ring[:-1]
                n = len(vertices)
                cuts = [
                    i
                    for i in range(n)
                    if edge_owners(vertices[i - 1], vertices[i])
                    != edge_owners(vertices[i], vertices[(i + 1) % n])
                ]
                if not cuts:
                    # A ring shared as a whole (an island, or an enclave and its hole): start
                    # at its smallest point so both sides find the same arc.
                    start = vertices.index(min(vertices))
                    cuts = [start]
                pieces = []
                for k, start in enumerate(cuts):
                    end = cuts[(k + 1) % len(cuts)]
                    if end <= start:
                        end += n
                    pieces.append([vertices[i % n] for i in range(start, end + 1)])
                if len(cuts) == 1:  # canonical direction for a closed arc
                    piece = pieces[0]
                    if piece[1] > piece[-2]:
                        pieces = [list(reversed(piece))]
                        out_rings.append([~arc_id(pieces[0])])
                        continue
                out_rings.append([arc_id(piece) for piece in pieces])
            out_polygons.append(out_rings)
        topology[ags] = out_polygons
    return arcs, topology


def douglas_peucker(points: list[Point], tolerance: float) -> list[Point]:
    """Keep both ends; drop points closer than ``tolerance`` to the simplified line."""
    if len(points) <= 2:
        return points
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        first, last = stack.pop()
        (ax, ay), (bx, by) = points[first], points[last]
        length = math.hypot(bx - ax, by - ay)
        best, best_index = -1.0, -1
        for i in range(first + 1, last):
            px, py = points[i]
            if length == 0:
                distance = math.hypot(px - ax, py - ay)
            else:
                distance = abs((bx - ax) * (ay - py) - (ax - px) * (by - ay)) / length
            if distance > best:
                best, best_index = distance, i
        if best > tolerance:
            keep[best_index] = True
            stack += [(first, best_index), (best_index, last)]
    return [p for p, k in zip(points, keep, strict=True) if k]


def simplify_arc(points: list[Point], tolerance: float) -> list[Point]:
    if points[0] == points[-1]:
        # A closed arc: split at its farthest point so it keeps some area.
        far = max(
            range(len(points)),
            key=lambda i: (points[i][0] - points[0][0]) ** 2 + (points[i][1] - points[0][1]) ** 2,
        )
        a = douglas_peucker(points[: far + 1], tolerance)
        b = douglas_peucker(points[far:], tolerance)
        merged = a + b[1:]
        if len(merged) < 4:  # keep a triangle at least
            third = max(range(1, len(points) - 1), key=lambda i: abs(i - far))
            merged = sorted({0, far, third, len(points) - 1})
            merged = [points[i] for i in merged]
        return merged
    return douglas_peucker(points, tolerance)


def ring_points(arc_ids: list[int], arcs: list[list[Point]]) -> list[Point]:
    out: list[Point] = []
    for arc in arc_ids:
        points = arcs[arc] if arc >= 0 else list(reversed(arcs[~arc]))
        out.extend(points if not out else points[1:])
    return out


def polygon_of(polygons: list[list[list[int]]], arcs: list[list[Point]]) -> MultiPolygon:
    return MultiPolygon(
        [
            Polygon(ring_points(rings[0], arcs), [ring_points(r, arcs) for r in rings[1:]])
            for rings in polygons
        ]
    )


def drop_small_islands(
    topology: dict[str, list[list[list[int]]]], arcs: list[list[Point]], shared: set[int]
) -> dict[str, list[list[list[int]]]]:
    """Drop polygons below ``MIN_ISLAND_KM2`` that touch no other Kreis (never the largest)."""
    limit = MIN_ISLAND_KM2 * 1_000_000 / (GRID * GRID)
    result = {}
    for ags, polygons in topology.items():
        areas = [Polygon(ring_points(p[0], arcs)).area for p in polygons]
        largest = areas.index(max(areas))
        result[ags] = [
            p
            for i, (p, area) in enumerate(zip(polygons, areas, strict=True))
            if i == largest
            or area >= limit
            or any((a if a >= 0 else ~a) in shared for ring in p for a in ring)
        ]
    return result


def check(
    topology: dict[str, list[list[list[int]]]], arcs: list[list[Point]], reference_holes: int
) -> dict[str, str]:
    """Problems with the simplified shapes by Kreis: invalid shapes, overlaps, gaps."""
    problems: dict[str, str] = {}
    shapes = {ags: polygon_of(p, arcs) for ags, p in topology.items()}
    for ags, geometry in sorted(shapes.items()):
        if not geometry.is_valid:
            problems[ags] = f"ungültige Form ({explain_validity(geometry)})"
    if problems:
        return problems
    keys = sorted(shapes)
    tree = STRtree([shapes[k] for k in keys])
    for ags in keys:
        for j in tree.query(shapes[ags]):
            other = keys[int(j)]
            if other > ags and shapes[ags].intersection(shapes[other]).area > 1e-9:
                problems[ags] = f"überlappt {other}"
                problems[other] = f"überlappt {ags}"
    union = unary_union(list(shapes.values()))
    holes = [Polygon(r) for p in getattr(union, "geoms", [union]) for r in p.interiors]
    if len(holes) != reference_holes:
        for hole in holes:
            for j in tree.query(hole.buffer(0.5)):
                if shapes[keys[int(j)]].distance(hole) < 0.5:
                    problems.setdefault(keys[int(j)], f"Lücke bei {hole.representative_point()}")
    return problems


def encode(
    arcs: list[list[Point]], topology: dict[str, list[list[list[int]]]], names: dict[str, str]
) -> dict[str, object]:
    width = max(x for arc in arcs for x, _ in arc)
    height = max(y for arc in arcs for _, y in arc)
    encoded_arcs = []
    for arc in arcs:
        delta = [list(arc[0])]
        delta += [[x - px, y - py] for (px, py), (x, y) in itertools.pairwise(arc)]
        encoded_arcs.append(delta)
    geometries = []
    for ags in sorted(topology):
        polygons = topology[ags]
        geometry: dict[str, object] = {"id": ags, "properties": {"name": names[ags]}}
        if len(polygons) == 1:
            geometry |= {"type": "Polygon", "arcs": polygons[0]}
        else:
            geometry |= {"type": "MultiPolygon", "arcs": polygons}
        geometries.append(geometry)
    return {
        "type": "Topology",
        "bbox": [0, 0, width, height],
        "transform": {"scale": [1, 1], "translate": [0, 0]},
        "arcs": encoded_arcs,
        "objects": {"kreise": {"type": "GeometryCollection", "geometries": geometries}},
        "praxisatlas": {
            "attribution": ATTRIBUTION,
            "license": "dl-de/by-2-0",
            "source": "BKG VG5000, Verwaltungsgebiete 1:5 000 000, Stand 01.01.2021",
            "crs": f"EPSG:25832, y nach Süden, 1 Einheit = {GRID:g} m",
            "edits": "Eisenach (16056) mit dem Wartburgkreis (16063) vereinigt; projiziert, "
            "gerundet, vereinfacht, kleine Inseln entfernt",
        },
    }


def main(src: str) -> None:
    shapes, names = load(Path(src))
    union = unary_union(list(shapes.values()))
    reference_holes = sum(len(p.interiors) for p in getattr(union, "geoms", [union]))
    kreise = project(shapes)
    arcs, topology = split_into_arcs(kreise)
    shared_count: dict[int, int] = defaultdict(int)
    for polygons in topology.values():
        for polygon in polygons:
            for ring in polygon:
                for a in ring:
                    shared_count[a if a >= 0 else ~a] += 1
    shared = {a for a, n in shared_count.items() if n > 1}
    original = [list(a) for a in arcs]
    tolerance = {i: TOLERANCE for i in range(len(arcs))}
    for _ in range(8):
        simplified = [simplify_arc(arc, tolerance[i]) for i, arc in enumerate(original)]
        reduced = drop_small_islands(topology, simplified, shared)
        problems = check(reduced, simplified, reference_holes)
        if not problems:
            break
        # Halve the tolerance on the arcs of every Kreis with a problem, then retry.
        for ags in problems:
            for polygon in topology[ags]:
                for ring in polygon:
                    for a in ring:
                        tolerance[a if a >= 0 else ~a] /= 2
    if problems:
        sys.exit("\n".join(f"{k}: {v}" for k, v in sorted(problems.items())))
    if len(reduced) != 400:
        sys.exit(f"{len(reduced)} Kreise statt 400")
    used = sorted(
        {a if a >= 0 else ~a for ps in reduced.values() for p in ps for r in p for a in r}
    )
    renumber = {old: new for new, old in enumerate(used)}
    final_topology = {
        ags: [
            [[renumber[a] if a >= 0 else ~renumber[~a] for a in ring] for ring in polygon]
            for polygon in polygons
        ]
        for ags, polygons in reduced.items()
    }
    final_arcs = [simplified[old] for old in used]
    data = encode(final_arcs, final_topology, names)
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"), sort_keys=True) + "\n"
    OUT.write_text(text, encoding="utf-8")
    points = sum(len(a) for a in final_arcs)
    print(
        f"{OUT.name}: {len(reduced)} Kreise, {len(final_arcs)} Bögen, {points} Punkte, "
        f"{len(text.encode()):,} Bytes"
    )


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("Aufruf: python scripts/build_geometry.py kreise-vg5000-2021.geojson")
    main(sys.argv[1])
