"""The map page ``/karte/``: a choropleth of the 400 Kreise, and the Kreis profiles' mini maps.

The map is inline SVG drawn from the package's geometry (``kreis_map.py``): one path per
Kreis, coloured by its number of cases (every case the Kreis takes part in, as on its
profile page), Land borders on top. A Kreis with cases is a link to its profile, named
"Region Hannover: 5 Fälle" (its ``<title>``, which is also the tooltip); Kreise without
cases are decoration (the table and the sentence above it say which). The table of the
Kreise with cases is the text alternative. ``karte.js`` adds what needs a script: a caption
for the Kreis under the pointer or keyboard focus, zoom to a Land, sorting the table, and
the catalogue's filters (``/karte/?thema=…``, read from ``../katalog/faelle.json``, the
catalogue's own data file), which recolour the map and recount the table. Without
JavaScript the page shows every case.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from importlib import resources

from markupsafe import Markup

from praxisatlas import text_de
from praxisatlas.cases.catalogue import Catalogue
from praxisatlas.cases.collation import german_sort_key
from praxisatlas.cases.reference import (
    GEOMETRY_ATTRIBUTION,
    GEOMETRY_LICENSE,
    GEOMETRY_LICENSE_URL,
    Reference,
)
from praxisatlas.output import OutputFile, SiteSettings, page_front_matter
from praxisatlas.website.kreis_map import Geometry, load_geometry, neighbours

PAGE_PATH = "karte/index.md"
ASSETS = ("karte.js", "karte.css")
PADDING = 12  # map units (200 m) around a zoomed Land


@dataclass(frozen=True)
class Shade:
    """One legend class: counts from ``low`` to ``high`` (inclusive) share a fill level."""

    low: int
    high: int
    level: int  # index into FILLS, and the CSS class s0 … s4

    @property
    def fill(self) -> str:
        return FILLS[self.level]

    def contains(self, count: int) -> bool:
        return self.low <= count <= self.high

    @property
    def label(self) -> str:
        if self.low == self.high:
            return text_de.count(self.low)
        return f"{text_de.number(self.low)} bis {text_de.number(self.high)} Fälle"


# Blue-grey 50 for "no case", then an indigo ramp (Material 300/400/600/900). karte.js
# repeats these classes (s0 … s4) when it recolours the map for a filter.
FILLS = ("#eceff1", "#9fa8da", "#5c6bc0", "#3949ab", "#1a237e")


def shades(maximum: int) -> list[Shade]:
    """Legend classes: "0", then up to four count ranges splitting 1..``maximum`` evenly.

    With fewer than four ranges they take the darkest levels, so that a few Kreise with
    cases (a narrow filter) stand out from the pale "no case" level.
    """
    result = [Shade(0, 0, 0)]
    steps = min(4, maximum)
    low = 1
    for step in range(1, steps + 1):
        high = -(-maximum * step // steps)  # ceiling division
        result.append(Shade(low, high, step + 4 - steps))
        low = high + 1
    return result


def shade_of(count: int, legend: Sequence[Shade]) -> Shade:
    for shade in legend:
        if shade.contains(count):
            return shade
    return legend[-1]


def kreis_counts(catalogue: Catalogue) -> dict[str, int]:
    """Cases per current Kreis key (0 for Kreise without cases)."""
    terms = catalogue.facets["kreis"].terms
    return {
        kreis.ags: terms[kreis.ags].count if kreis.ags in terms else 0
        for kreis in catalogue.reference.current_kreise
    }


def map_svg(geometry: Geometry, reference: Reference, counts: Mapping[str, int]) -> Markup:
    """The choropleth; Kreise with cases link to ``../kreise/<ags>/``."""
    legend = shades(max(counts.values(), default=0))
    quiet: list[Markup] = []
    links: list[Markup] = []
    for ags in geometry.keys:
        count = counts.get(ags, 0)
        kreis = reference.kreis_by_ags[ags]
        name = f"{kreis.label}: {text_de.count(count)}"
        css = f"s{shade_of(count, legend).level}"
        if count:
            links.append(
                Markup(
                    '<a href="../kreise/{ags}/" id="k{ags}"><title>{name}</title>'
                    '<path class="{css}" d="{d}"/></a>'
                ).format(ags=ags, name=name, css=css, d=geometry.path(ags))
            )
        else:
            quiet.append(
                Markup(
                    '<path id="k{ags}" class="{css}" d="{d}"><title>{name}</title></path>'
                ).format(ags=ags, name=name, css=css, d=geometry.path(ags))
            )
    return Markup(
        '<svg xmlns="http://www.w3.org/2000/svg" class="pa-karte__svg" id="pa-karte-svg" '
        'role="group" aria-labelledby="karte-titel" viewBox="0 0 {w} {h}" '
        'data-ganz="0 0 {w} {h}">'
        '<title id="karte-titel">Karte: Fälle je Kreis</title>'
        '<g aria-hidden="true">{quiet}</g><g>{links}</g>'
        '<path class="pa-karte__laender" aria-hidden="true" d="{borders}"/>'
        "</svg>"
    ).format(
        w=geometry.width,
        h=geometry.height,
        quiet=Markup("").join(quiet),
        links=Markup("").join(links),
        borders=geometry.land_borders(),
    )


def swatch(fill: str) -> Markup:
    return Markup(
        '<svg width="18" height="18" aria-hidden="true" focusable="false">'
        '<rect x="0.5" y="0.5" width="17" height="17" fill="{fill}" stroke="#757575"/></svg>'
    ).format(fill=fill)


def legend_html(counts: Mapping[str, int]) -> Markup:
    """The colour key: swatch plus the count range in words (karte.js rewrites the ranges)."""
    legend = {shade.level: shade for shade in shades(max(counts.values(), default=0))}
    items = [
        Markup('<li data-stufe="{i}"{hidden}>{swatch}<span>{label}</span></li>').format(
            i=level,
            hidden=Markup("") if level in legend else Markup(" hidden"),
            swatch=swatch(fill),
            label=legend[level].label if level in legend else "",
        )
        for level, fill in enumerate(FILLS)
    ]
    return Markup(
        '<h2 id="karte-legende">Legende</h2>'
        "<p>Je dunkler ein Kreis, desto mehr Fälle. Gezählt wird jeder Fall, an dem der Kreis "
        "beteiligt ist – federführend, als Partner oder als Nachnutzer; ein gemeinsamer Fall "
        "zählt also in jedem beteiligten Kreis. Dicke Linien sind Ländergrenzen.</p>"
        '<ul class="pa-karte__legende" id="pa-karte-legende" aria-labelledby="karte-legende">'
        "{items}</ul>"
    ).format(items=Markup("").join(items))


def zoom_html(geometry: Geometry, reference: Reference) -> Markup:
    """A choice of Land to zoom to (karte.js shows and runs it)."""
    options = [
        Markup('<option value="0 0 {w} {h}">Ganz Deutschland</option>').format(
            w=geometry.width, h=geometry.height
        )
    ]
    for land in sorted(reference.laender, key=lambda land: german_sort_key(land.name)):
        keys = [ags for ags in geometry.keys if ags[:2] == land.code]
        x0, y0, x1, y1 = geometry.box(keys)
        options.append(
            Markup('<option value="{x} {y} {w} {h}">{name}</option>').format(
                x=x0 - PADDING,
                y=y0 - PADDING,
                w=x1 - x0 + 2 * PADDING,
                h=y1 - y0 + 2 * PADDING,
                name=land.name,
            )
        )
    return Markup(
        '<p class="pa-karte__zoom" hidden><label for="pa-karte-land">Ausschnitt: </label>'
        '<select id="pa-karte-land">{options}</select></p>'
    ).format(options=Markup("").join(options))


def table_html(reference: Reference, counts: Mapping[str, int]) -> Markup:
    """The Kreise with cases, most cases first: the map's text alternative."""
    rows = []
    kreise = [reference.kreis_by_ags[ags] for ags, count in counts.items() if count]
    kreise.sort(key=lambda k: (-counts[k.ags], german_sort_key(k.label), k.ags))
    for kreis in kreise:
        land = reference.land_of(kreis)
        rows.append(
            Markup(
                '<tr data-ags="{ags}"><th scope="row"><a href="../kreise/{ags}/">{label}</a></th>'
                '<td>{land}</td><td style="text-align:right">{count}</td></tr>'
            ).format(
                ags=kreis.ags,
                label=kreis.label,
                land=land.name,
                count=text_de.number(counts[kreis.ags]),
            )
        )
    return Markup(
        '<table id="pa-karte-tabelle"><caption>Fälle je Kreis '
        "(Kreise mit Fällen)</caption>"
        '<thead><tr><th scope="col">Kreis</th><th scope="col">Land</th>'
        '<th scope="col" style="text-align:right">Fälle</th></tr></thead>'
        "<tbody>{rows}</tbody></table>"
    ).format(rows=Markup("").join(rows))


def attribution_html() -> Markup:
    return Markup(
        '<p class="pa-quelle" style="font-size:.8rem">Kartengrundlage: {a} (VG5000, '
        'Stand 01.01.2021; Lizenz: <a href="{url}">{license}</a>); vereinfacht, Eisenach mit '
        "dem Wartburgkreis vereinigt.</p>"
    ).format(a=GEOMETRY_ATTRIBUTION, url=GEOMETRY_LICENSE_URL, license=GEOMETRY_LICENSE)


def render_page(catalogue: Catalogue) -> str:
    geometry = load_geometry()
    reference = catalogue.reference
    counts = kreis_counts(catalogue)
    with_cases = sum(1 for count in counts.values() if count)
    block = Markup(
        '<div class="pa-karte-seite"><link rel="stylesheet" href="karte.css">'
        '<div class="pa-karte__filter" id="pa-karte-filter" role="status" hidden></div>'
        '<div class="pa-karte" id="pa-karte">{zoom}{svg}'
        '<p class="pa-karte__info" id="pa-karte-info" hidden></p>'
        "{legend}{attribution}</div>"
        "{table}"
        '<script src="karte.js" defer></script></div>'
    ).format(
        zoom=zoom_html(geometry, reference),
        svg=map_svg(geometry, reference, counts),
        legend=legend_html(counts),
        attribution=attribution_html(),
        table=table_html(reference, counts),
    )
    total = len(counts)
    meta = {
        "title": "Karte",
        "description": "Wo die Fälle des Praxisatlas herkommen – Fälle je Kreis auf einer Karte "
        "der 400 Landkreise und kreisfreien Städte.",
    }
    lines = [
        page_front_matter(meta) + "# Karte",
        "",
        f"Fälle aus {text_de.number(with_cases)} von {text_de.number(total)} Landkreisen und "
        "kreisfreien Städten. Jeder Kreis mit Fällen führt zu seiner Seite; die Tabelle unter "
        "der Karte nennt dieselben Zahlen. Im [Katalog](../katalog/index.md) lassen sich Fälle "
        "filtern und dann auf der Karte zeigen. Weitere Zahlen stehen in der "
        "[Statistik](../statistik/index.md).",
        "",
        str(block),
        "",
    ]
    return "\n".join(lines)


def asset(name: str) -> str:
    return resources.files("praxisatlas.website").joinpath(f"assets/{name}").read_text("utf-8")


# --- the Kreis profile's mini map -------------------------------------------------------------

HIGHLIGHT = "#ffb300"  # amber 600: the page's own Kreis, apart from the indigo ramp


def neighbour_map(reference: Reference, counts: Mapping[str, int], ags: str) -> Markup:
    """The Kreis and its neighbours, coloured as on ``/karte/``, with the neighbours with
    cases as links (from ``kreise/<ags>/``), then those neighbours as a list."""
    geometry = load_geometry()
    others = neighbours()[ags]
    legend = shades(max(counts.values(), default=0))
    x0, y0, x1, y1 = geometry.box([ags, *others])
    pad = max(4, (x1 - x0 + y1 - y0) // 60)
    kreis = reference.kreis_by_ags[ags]
    shapes = []
    for other in others:
        count = counts.get(other, 0)
        name = f"{reference.kreis_by_ags[other].label}: {text_de.count(count)}"
        fill = shade_of(count, legend).fill
        path = Markup('<path fill="{fill}" d="{d}"/>').format(fill=fill, d=geometry.path(other))
        if count:
            shapes.append(
                Markup('<a href="../{o}/"><title>{name}</title>{path}</a>').format(
                    o=other, name=name, path=path
                )
            )
        else:
            shapes.append(
                Markup('<g aria-hidden="true"><title>{name}</title>{path}</g>').format(
                    name=name, path=path
                )
            )
    svg = Markup(
        '<svg xmlns="http://www.w3.org/2000/svg" class="pa-minikarte" role="group" '
        'aria-labelledby="minikarte-titel" viewBox="{x} {y} {w} {h}" '
        'style="display:block;width:100%;max-width:22rem;height:auto;fill-rule:evenodd">'
        "<style>.pa-minikarte path{{stroke:#fff;stroke-width:1px;"
        "vector-effect:non-scaling-stroke}}"
        ".pa-minikarte a:focus{{outline:none}}"
        ".pa-minikarte a:focus path,.pa-minikarte a:hover path{{stroke:#000;stroke-width:3px}}"
        ".pa-minikarte .pa-minikarte__kreis{{stroke:#000;stroke-width:2px}}</style>"
        '<title id="minikarte-titel">{label} und seine Nachbarkreise</title>'
        "{shapes}"
        '<g role="img" aria-label="{label}: {count} (diese Seite)">'
        '<path class="pa-minikarte__kreis" fill="{hl}" d="{d}"/></g></svg>'
    ).format(
        x=x0 - pad,
        y=y0 - pad,
        w=x1 - x0 + 2 * pad,
        h=y1 - y0 + 2 * pad,
        label=kreis.label,
        count=text_de.count(counts.get(ags, 0)),
        shapes=Markup("").join(shapes),
        hl=HIGHLIGHT,
        d=geometry.path(ags),
    )
    with_cases = sorted(
        (o for o in others if counts.get(o, 0)),
        key=lambda o: german_sort_key(reference.kreis_by_ags[o].label),
    )
    if with_cases:
        items = Markup("").join(
            Markup('<li><a href="../{o}/">{label}</a>: {count}</li>').format(
                o=o, label=reference.kreis_by_ags[o].label, count=text_de.count(counts[o])
            )
            for o in with_cases
        )
        listing = Markup("<ul>{items}</ul>").format(items=items)
    elif others:
        listing = Markup("<p>Keiner der {n} Nachbarkreise hat bisher einen Fall.</p>").format(
            n=text_de.number(len(others))
        )
    else:
        listing = Markup("<p>Dieser Kreis grenzt an keinen anderen Kreis.</p>")
    key = Markup(
        '<ul class="pa-minikarte__legende" style="list-style:none;padding:0;margin:.5rem 0">'
        '<li style="display:flex;gap:.5rem;align-items:center;margin:0">{hl} {label}</li>'
        '<li style="display:flex;gap:.5rem;align-items:center;margin:0">{zero} '
        "Nachbarkreis ohne Fall</li>"
        '<li style="display:flex;gap:.5rem;align-items:center;margin:0">{some} '
        "Nachbarkreis mit Fällen (je dunkler, desto mehr; wie auf der Karte)</li></ul>"
    ).format(
        hl=swatch(HIGHLIGHT),
        label=kreis.label,
        zero=swatch(FILLS[0]),
        some=swatch(FILLS[1]),
    )
    return Markup(
        '<div class="pa-minikarte-bild">{svg}{key}</div>'
        "<h3>Nachbarkreise mit Fällen</h3>{listing}"
        '<p style="font-size:.8rem">Kartengrundlage: {a}. '
        '<a href="../../karte/">Karte aller Kreise</a></p>'
    ).format(svg=svg, key=key, listing=listing, a=GEOMETRY_ATTRIBUTION)


def generate(catalogue: Catalogue, settings: SiteSettings) -> list[OutputFile]:
    """The map page (in the navigation) and its script."""
    del settings  # relative links only
    return [
        OutputFile(PAGE_PATH, render_page(catalogue), in_nav=True),
        *(OutputFile(f"karte/{name}", asset(name)) for name in ASSETS),
    ]
