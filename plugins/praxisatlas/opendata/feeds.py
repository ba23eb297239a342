"""Atom 1.0 feeds of new and updated cases under ``daten/feeds/``.

One feed for all cases (``alle.xml``, linked from the home page), one per Handlungsfeld
(``themen/<slug>.xml``) and one per Land (``laender/<slug>.xml``), linked from the
matching index pages. Every feed exists even without cases, so every link works. Entries
are ordered by ``reviewed`` (the date a case was last checked, i.e. updated), newest
first; the feed's ``updated`` is the newest entry's date, so an unchanged catalogue
produces byte-identical feeds. Built with ``xml.etree``, which escapes all text.
"""

from __future__ import annotations

import datetime as dt
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterable
from dataclasses import dataclass
from functools import partial

from praxisatlas.cases.catalogue import Catalogue
from praxisatlas.cases.model import Case
from praxisatlas.opendata.exports import DATASET_LICENSE
from praxisatlas.output import OutputFile, SiteSettings

ATOM = "http://www.w3.org/2005/Atom"
FEED_DIR = "daten/feeds"
MAX_ENTRIES = 50
_NOT_XML_CHAR = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
# Serialise Atom as the default namespace (<feed xmlns=...>), not as "ns0:".
ET.register_namespace("", ATOM)


@dataclass(frozen=True)
class FeedSpec:
    """One feed: where it lives, what it is called, which page it belongs to."""

    path: str  # site-relative, e.g. "daten/feeds/themen/bildung.xml"
    title: str
    subtitle: str
    page: str  # site-relative URL of the matching HTML page ("" = home)
    case_ids: tuple[str, ...]


def feed_specs(catalogue: Catalogue) -> list[FeedSpec]:
    """All feeds: everything, each Handlungsfeld, each Land."""
    topics = catalogue.facets["thema"].terms
    laender = catalogue.facets["land"].terms
    specs = [
        FeedSpec(
            f"{FEED_DIR}/alle.xml",
            "Praxisatlas: neue und aktualisierte Fälle",
            "Gute Beispiele der Digitalisierung aus deutschen Kreisen und Kommunen.",
            "",
            tuple(catalogue.cases),
        )
    ]
    for topic in catalogue.vocabulary.fields:
        term = topics.get(topic.slug)
        specs.append(
            FeedSpec(
                f"{FEED_DIR}/themen/{topic.slug}.xml",
                f"Praxisatlas: Handlungsfeld {topic.label}",
                topic.description,
                f"themen/{topic.slug}/",
                tuple(term.case_ids) if term else (),
            )
        )
    for land in catalogue.reference.laender:
        term = laender.get(land.slug)
        specs.append(
            FeedSpec(
                f"{FEED_DIR}/laender/{land.slug}.xml",
                f"Praxisatlas: Fälle aus {land.name}",
                f"Neue und aktualisierte Fälle mit Beteiligten aus {land.name}.",
                f"laender/{land.slug}/",
                tuple(term.case_ids) if term else (),
            )
        )
    return specs


def _timestamp(day: dt.date) -> str:
    return f"{day.isoformat()}T00:00:00Z"


def _href(settings: SiteSettings, feed_path: str, target: str) -> str:
    """Absolute URL under ``site_url``; otherwise relative to the feed file's folder."""
    if settings.site_url:
        return settings.site_url.rstrip("/") + "/" + target
    depth = feed_path.count("/")
    return "../" * depth + target


def _id(settings: SiteSettings, path: str) -> str:
    """Stable ids: the absolute URL when the site has one, else a URN of the path."""
    if settings.site_url:
        return settings.site_url.rstrip("/") + "/" + path
    return "urn:praxisatlas:" + path.strip("/").replace("/", ":")


def ordered(cases: Iterable[Case]) -> list[Case]:
    """Newest ``reviewed`` first; ties by id so the order never depends on input order."""
    result = sorted(cases, key=lambda c: c.id)
    result.sort(key=lambda c: c.reviewed, reverse=True)
    return result


def xml_text(text: str) -> str:
    """Drop characters XML 1.0 cannot carry (control characters); etree would write them."""
    return _NOT_XML_CHAR.sub("", text)


def _sub(parent: ET.Element, tag: str, text: str | None = None, **attrib: str) -> ET.Element:
    clean = {key: xml_text(value) for key, value in attrib.items()}
    element = ET.SubElement(parent, f"{{{ATOM}}}{tag}", clean)
    if text is not None:
        element.text = xml_text(text)
    return element


def render_feed(spec: FeedSpec, catalogue: Catalogue, settings: SiteSettings) -> str:
    cases = ordered(catalogue.cases[i] for i in spec.case_ids)[:MAX_ENTRIES]
    newest = max((c.reviewed for c in catalogue), default=settings.build_date)
    updated = cases[0].reviewed if cases else newest
    vocabulary = catalogue.vocabulary
    scheme = _href(settings, spec.path, "themen/")

    feed = ET.Element(f"{{{ATOM}}}feed", {"{http://www.w3.org/XML/1998/namespace}lang": "de"})
    _sub(feed, "id", _id(settings, spec.path))
    _sub(feed, "title", spec.title)
    _sub(feed, "subtitle", spec.subtitle)
    _sub(feed, "updated", _timestamp(updated))
    _sub(
        feed,
        "link",
        rel="self",
        type="application/atom+xml",
        href=_href(settings, spec.path, spec.path),
    )
    _sub(
        feed, "link", rel="alternate", type="text/html", href=_href(settings, spec.path, spec.page)
    )
    author = _sub(feed, "author")
    _sub(author, "name", "Praxisatlas")
    _sub(feed, "rights", f"Zusammenstellung: {DATASET_LICENSE}; jeder Fall unter seiner Lizenz")
    for case in cases:
        entry = _sub(feed, "entry")
        _sub(entry, "id", _id(settings, case.url))
        _sub(entry, "title", case.title)
        _sub(entry, "updated", _timestamp(case.reviewed))
        _sub(
            entry,
            "link",
            rel="alternate",
            type="text/html",
            href=_href(settings, spec.path, case.url),
        )
        for org in case.organisations:
            if org.role == "lead":
                _sub(_sub(entry, "author"), "name", org.name)
        for slug in case.topics:
            category = {"term": slug, "label": vocabulary.topics[slug].label}
            if settings.site_url:  # a scheme is an IRI: only when the site has an address
                category["scheme"] = scheme
            _sub(entry, "category", **category)
        _sub(entry, "summary", case.summary, type="text")
        _sub(entry, "rights", case.license)
    ET.indent(feed)
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(feed, encoding="unicode") + "\n"


def generate(catalogue: Catalogue, settings: SiteSettings) -> list[OutputFile]:
    """Every feed, empty ones included (the index pages link them all)."""
    return [
        # Deferred: the plugin may compute them in a second process.
        OutputFile(spec.path, partial(render_feed, spec, catalogue, settings))
        for spec in feed_specs(catalogue)
    ]
