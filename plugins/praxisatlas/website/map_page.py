"""The map page ``/karte/``: cases per Land as a tile map (grid cartogram) of the 16 Länder.

Each Land is one square at its approximate position (Schleswig-Holstein top, Bayern
bottom right), not its real outline: no geometry to license, no tiles, no requests. A
tile with cases is a link (``<a href>`` inside the SVG, reachable by keyboard, named
"Bayern: 5 Fälle") to the Land's page; the count is printed on the tile, so the colour
(darker = more cases) only repeats what the text says. The same numbers follow as a table.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from markupsafe import Markup

from praxisatlas.cases.catalogue import Catalogue
from praxisatlas.cases.collation import german_sort_key
from praxisatlas.output import OutputFile, SiteSettings
from praxisatlas.website.charts import Bar, cases_label, data_table, format_number

PAGE_PATH = "karte/index.md"

# (column, row) of each Land's tile, west -> east and north -> south, by 2-digit code.
TILE_POSITIONS: dict[str, tuple[int, int]] = {
    "01": (2, 0),  # Schleswig-Holstein
    "04": (1, 1),  # Bremen
    "02": (2, 1),  # Hamburg
    "13": (3, 1),  # Mecklenburg-Vorpommern
    "05": (0, 2),  # Nordrhein-Westfalen
    "03": (1, 2),  # Niedersachsen
    "15": (2, 2),  # Sachsen-Anhalt
    "12": (3, 2),  # Brandenburg
    "11": (4, 2),  # Berlin
    "07": (0, 3),  # Rheinland-Pfalz
    "06": (1, 3),  # Hessen
    "16": (2, 3),  # Thüringen
    "14": (3, 3),  # Sachsen
    "10": (0, 4),  # Saarland
    "08": (1, 4),  # Baden-Württemberg
    "09": (2, 4),  # Bayern
}

TILE = 92
GAP = 6
MARGIN = 4


@dataclass(frozen=True)
class Shade:
    """One legend class: counts from ``low`` to ``high`` (inclusive) share a fill colour."""

    low: int
    high: int
    fill: str
    text: str  # text colour on this fill, contrast ≥ 4.5:1

    def contains(self, count: int) -> bool:
        return self.low <= count <= self.high

    @property
    def label(self) -> str:
        if self.low == self.high:
            return format_number(self.low)
        return f"{format_number(self.low)} bis {format_number(self.high)}"


# Indigo ramp (Material 50/200/400/700/900); white text only on the two darkest.
_FILLS = (
    ("#f5f6fb", "#1a1a1a"),
    ("#c5cae9", "#1a1a1a"),
    ("#7986cb", "#000000"),
    ("#303f9f", "#ffffff"),
    ("#1a237e", "#ffffff"),
)


def shades(maximum: int) -> list[Shade]:
    """Legend classes: "0", then up to four count ranges splitting 1..``maximum`` evenly."""
    result = [Shade(0, 0, *_FILLS[0])]
    steps = min(4, maximum)
    low = 1
    for step in range(1, steps + 1):
        high = -(-maximum * step // steps)  # ceiling division
        result.append(Shade(low, high, *_FILLS[step]))
        low = high + 1
    return result


def shade_of(count: int, legend: Sequence[Shade]) -> Shade:
    for shade in legend:
        if shade.contains(count):
            return shade
    return legend[-1]


@dataclass(frozen=True)
class LandCount:
    """A Land and the number of its cases, as the map shows it."""

    code: str
    slug: str
    name: str
    short: str
    count: int


def land_counts(catalogue: Catalogue) -> list[LandCount]:
    """Cases per Land from the ``land`` facet, in the order of the reference data."""
    terms = catalogue.facets["land"].terms
    return [
        LandCount(land.code, land.slug, land.name, land.short, terms[land.slug].count)
        for land in catalogue.reference.laender
    ]


def tile_map_svg(counts: Sequence[LandCount]) -> Markup:
    """The tile map; tiles of Länder with cases link to ``../laender/<slug>/``."""
    legend = shades(max((c.count for c in counts), default=0))
    columns = 1 + max(col for col, _ in TILE_POSITIONS.values())
    rows = 1 + max(row for _, row in TILE_POSITIONS.values())
    width = 2 * MARGIN + columns * TILE + (columns - 1) * GAP
    height = 2 * MARGIN + rows * TILE + (rows - 1) * GAP
    described = "; ".join(f"{c.name}: {cases_label(c.count)}" for c in counts)
    parts = [
        Markup(
            '<svg xmlns="http://www.w3.org/2000/svg" class="pa-karte__svg" role="group" '
            'aria-labelledby="karte-title" aria-describedby="karte-desc" '
            'viewBox="0 0 {w} {h}" width="100%" style="max-width:380px;height:auto;display:block">'
            '<title id="karte-title">Fälle je Land (Kachelkarte)</title>'
            '<desc id="karte-desc">{desc}</desc>'
            "<style>svg.pa-karte__svg a{{text-decoration:none}}"
            ".pa-karte__svg a:focus rect,.pa-karte__svg a:hover rect"
            "{{stroke:#000;stroke-width:4}}</style>"
        ).format(w=width, h=height, desc=described)
    ]
    for land in counts:
        col, row = TILE_POSITIONS[land.code]
        x = MARGIN + col * (TILE + GAP)
        y = MARGIN + row * (TILE + GAP)
        shade = shade_of(land.count, legend)
        tile = Markup(
            '<rect x="{x}" y="{y}" width="{t}" height="{t}" rx="6" fill="{fill}" '
            'stroke="#5c6bc0" stroke-width="1"/>'
            '<text x="{cx}" y="{ty}" text-anchor="middle" font-size="22" font-weight="bold" '
            'fill="{tc}" aria-hidden="true">{short}</text>'
            '<text x="{cx}" y="{cy}" text-anchor="middle" font-size="26" '
            'fill="{tc}" aria-hidden="true">{count}</text>'
        ).format(
            x=x,
            y=y,
            t=TILE,
            fill=shade.fill,
            cx=x + TILE // 2,
            ty=y + 36,
            cy=y + 72,
            tc=shade.text,
            short=land.short,
            count=format_number(land.count),
        )
        name = f"{land.name}: {cases_label(land.count)}"
        if land.count:
            parts.append(
                Markup(
                    '<a href="../laender/{slug}/" aria-label="{name}">'
                    "<title>{name}</title>{tile}</a>"
                ).format(slug=land.slug, name=name, tile=tile)
            )
        else:
            parts.append(
                Markup('<g role="img" aria-label="{name}"><title>{name}</title>{tile}</g>').format(
                    name=name, tile=tile
                )
            )
    parts.append(Markup("</svg>"))
    return Markup("").join(parts)


def legend_html(counts: Sequence[LandCount]) -> Markup:
    """The colour key as a list: swatch plus the count range in words."""
    legend = shades(max((c.count for c in counts), default=0))
    items = [
        Markup(
            '<li style="display:flex;align-items:center;gap:.5rem;margin:0">'
            '<svg width="18" height="18" aria-hidden="true" focusable="false">'
            '<rect x="0.5" y="0.5" width="17" height="17" rx="3" fill="{fill}" stroke="#5c6bc0"/>'
            "</svg>{label}</li>"
        ).format(
            fill=shade.fill, label=f"{shade.label} {'Fall' if shade.label == '1' else 'Fälle'}"
        )
        for shade in legend
    ]
    return Markup(
        '<p id="karte-legende" style="margin-bottom:.25rem"><strong>Legende</strong> '
        "(je dunkler, desto mehr Fälle; die Zahl steht auf jeder Kachel):</p>"
        '<ul aria-labelledby="karte-legende" style="list-style:none;padding:0;margin:0 0 1rem;'
        'display:flex;flex-wrap:wrap;gap:.5rem 1.25rem">{items}</ul>'
    ).format(items=Markup("").join(items))


def render_page(catalogue: Catalogue) -> str:
    counts = land_counts(catalogue)
    with_cases = sum(1 for c in counts if c.count)
    # The table is read, not placed: alphabetical (the tiles keep their positions).
    by_name = sorted(counts, key=lambda c: german_sort_key(c.name))
    bars = [Bar(c.name, c.count, f"../laender/{c.slug}/" if c.count else None) for c in by_name]
    block = Markup(
        '<div class="pa-karte" style="display:flex;flex-wrap:wrap;gap:1rem 1.5rem;'
        'align-items:flex-start"><div style="flex:0 1 380px;min-width:0">{svg}{legend}</div>'
        '<div style="flex:1 1 13rem;min-width:0">{table}</div></div>'
    ).format(
        svg=tile_map_svg(counts),
        legend=legend_html(counts),
        table=data_table("Fälle je Land", "Land", bars),
    )
    lines = [
        "---",
        "title: Karte",
        "description: Wo die Fälle des Praxisatlas herkommen – Fälle je Land als Kachelkarte.",
        "---",
        "",
        "# Karte",
        "",
        f"Fälle aus {format_number(with_cases)} von 16 Ländern. Jede Kachel steht für ein Land "
        "(ungefähr an seiner Lage, nicht in seiner Form) und zeigt die Zahl seiner Fälle; "
        "Kacheln mit Fällen führen zur Seite des Landes. Ein länderübergreifender Fall zählt "
        "in jedem beteiligten Land. Weitere Zahlen stehen in der "
        "[Statistik](../statistik/index.md).",
        "",
        str(block),
        "",
    ]
    return "\n".join(lines)


def generate(catalogue: Catalogue, settings: SiteSettings) -> list[OutputFile]:
    """The map page (in the navigation)."""
    del settings  # relative links only
    return [OutputFile(PAGE_PATH, render_page(catalogue), in_nav=True)]
