"""Accessible SVG charts and data tables, rendered at build time.

No chart library runs in the browser: every chart is a static inline ``<svg role="img">``
whose ``<title>``/``<desc>`` name it and list its numbers, and every chart comes with a
``<table>`` of the same numbers. Values are printed next to the bars, so no information
depends on colour. Text uses ``currentColor`` (the page's text colour, contrast ≥ 4.5:1
by the theme); bars use a dark indigo (≥ 3:1 against white, WCAG 1.4.11).
"""

from __future__ import annotations

import textwrap
from collections.abc import Sequence
from dataclasses import dataclass

from markupsafe import Markup, escape

from praxisatlas import text_de

BAR_COLOUR = "#3949ab"  # Material indigo 600: 7.4:1 against white
TRACK_COLOUR = "#e8eaf6"  # indigo 50, behind the bars (decorative)

# Geometry in viewBox units; the SVG scales with the width of its column.
WIDTH = 360
ROW_HEIGHT = 40
LABEL_SIZE = 14
BAR_HEIGHT = 14
VALUE_SPACE = 44
LINE_HEIGHT = 17
# Characters per label line: about WIDTH / (0.55 * LABEL_SIZE) for a sans-serif font.
LABEL_CHARS = 44
# Rendered at most 1:1, so labels stay at body text size on wide screens and the table
# fits beside the chart; on a phone the chart shrinks only slightly.
MAX_WIDTH = f"{WIDTH}px"


@dataclass(frozen=True)
class Bar:
    """One category: its label, count and (optionally) the page that lists its cases."""

    label: str
    value: int
    href: str | None = None


def _label_lines(label: str) -> list[str]:
    """Wrap a label that would not fit the chart's width (e.g. from a custom vocabulary)."""
    return textwrap.wrap(label, LABEL_CHARS) or [""]


def bar_chart_svg(chart_id: str, title: str, bars: Sequence[Bar]) -> Markup:
    """A horizontal bar chart: label above each bar, value right of its end."""
    maximum = max((bar.value for bar in bars), default=0)
    track = WIDTH - VALUE_SPACE
    labels = [_label_lines(bar.label) for bar in bars]
    height = sum(ROW_HEIGHT + LINE_HEIGHT * (len(lines) - 1) for lines in labels)
    desc = "; ".join(f"{bar.label}: {text_de.count(bar.value)}" for bar in bars) or "Keine Daten."
    parts = [
        Markup(
            '<svg xmlns="http://www.w3.org/2000/svg" role="img" class="pa-chart__svg" '
            'aria-labelledby="{id}-title {id}-desc" viewBox="0 0 {w} {h}" width="100%" '
            'style="max-width:{mw};height:auto;display:block">'
            '<title id="{id}-title">{title}</title><desc id="{id}-desc">{desc}</desc>'
        ).format(id=chart_id, w=WIDTH, h=height, mw=MAX_WIDTH, title=title, desc=desc)
    ]
    top = 0
    for bar, lines in zip(bars, labels, strict=True):
        baseline = top + LABEL_SIZE
        bar_top = baseline + LINE_HEIGHT * (len(lines) - 1) + 5
        length = round(track * bar.value / maximum, 1) if maximum else 0.0
        label = Markup("").join(
            Markup('<tspan x="0" dy="{dy}">{line}</tspan>').format(
                dy=0 if number == 0 else LINE_HEIGHT, line=line
            )
            for number, line in enumerate(lines)
        )
        parts.append(
            Markup(
                '<g><text x="0" y="{ty}" font-size="{fs}" fill="currentColor">{label}</text>'
                '<rect x="0" y="{by}" width="{track}" height="{bh}" fill="{tc}"/>'
                '<rect x="0" y="{by}" width="{len}" height="{bh}" fill="{bc}"/>'
                '<text x="{vx}" y="{vy}" font-size="{fs}" font-weight="bold" '
                'fill="currentColor">{value}</text></g>'
            ).format(
                ty=baseline,
                fs=LABEL_SIZE,
                label=label if len(lines) > 1 else lines[0],
                by=bar_top,
                track=track,
                bh=BAR_HEIGHT,
                tc=TRACK_COLOUR,
                len=length,
                bc=BAR_COLOUR,
                vx=track + 6,
                vy=bar_top + BAR_HEIGHT - 3,
                value=text_de.number(bar.value),
            )
        )
        top += ROW_HEIGHT + LINE_HEIGHT * (len(lines) - 1)
    parts.append(Markup("</svg>"))
    return Markup("").join(parts)


def data_table(caption: str, head: str, bars: Sequence[Bar], value_head: str = "Fälle") -> Markup:
    """The chart's numbers as a table: row headers link to the index page when there is one."""
    rows = []
    for bar in bars:
        label = (
            Markup('<a href="{href}">{label}</a>').format(href=bar.href, label=bar.label)
            if bar.href
            else escape(bar.label)
        )
        rows.append(
            Markup(
                '<tr><th scope="row">{label}</th><td style="text-align:right">{value}</td></tr>'
            ).format(label=label, value=text_de.number(bar.value))
        )
    return Markup(
        "<table><caption>{caption}</caption>"
        '<thead><tr><th scope="col">{head}</th>'
        '<th scope="col" style="text-align:right">{value_head}</th></tr></thead>'
        "<tbody>{rows}</tbody></table>"
    ).format(caption=caption, head=head, value_head=value_head, rows=Markup("").join(rows))


def chart_block(chart_id: str, title: str, head: str, bars: Sequence[Bar]) -> Markup:
    """Chart and table side by side on wide screens, stacked on narrow ones (flex-wrap)."""
    return Markup(
        '<div class="pa-chart" style="display:flex;flex-wrap:wrap;gap:1rem 1.5rem;'
        'align-items:flex-start">'
        '<div style="flex:0 1 {mw};min-width:0">{svg}</div>'
        '<div style="flex:1 1 13rem;min-width:0">{table}</div></div>'
    ).format(
        mw=MAX_WIDTH,
        svg=bar_chart_svg(chart_id, title, bars),
        table=data_table(title, head, bars),
    )
