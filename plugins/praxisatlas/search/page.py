"""The catalogue page ``/katalog/``, the compare page and every file they load.

``generate`` is registered in ``generators.GENERATORS``. It emits

- ``katalog/index.md``: search form, the frame of the filter panel (``katalog.js`` fills it
  from ``faelle.json``: the filters need JavaScript anyway, and 500 checkboxes of static
  HTML cost every visitor parse time), and a list of every case in ``<noscript>`` so the
  page works without JavaScript (``katalog.js`` shows the same list whenever it cannot
  start, e.g. when ``faelle.json`` fails to load);
- ``katalog/vergleich/index.md``: the side-by-side view of 2–3 cases (``?ids=a,b,c``);
- ``katalog/faelle.json`` and ``katalog/suchindex.json`` (see ``index.py``),
  ``katalog/vergleich.json`` (facts per case for the compare table);
- the scripts and styles: ``katalog.js``, ``vergleich.js``, ``katalog.css`` from this
  package, and lunr.js with lunr-languages' German files read from the installed MkDocs
  package (``mkdocs/contrib/search/``) — never from a CDN, never copied into the repo.
  The scripts are minified at build time (``minify_js``, rjsmin; the readable sources
  are this package's ``assets/`` and MkDocs' files), keeping their licence headers.
"""

from __future__ import annotations

import importlib.util
import re
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import rjsmin
from jinja2 import Environment

from praxisatlas import text_de
from praxisatlas.cases.catalogue import Catalogue
from praxisatlas.cases.collation import in_title_order
from praxisatlas.cases.model import (
    COST_BANDS,
    DURATION_BANDS,
    EVIDENCE,
    OPEN_TO,
    ROLES,
    STAFF_BANDS,
    Case,
)
from praxisatlas.output import (
    ContributeLinks,
    OutputFile,
    SiteSettings,
    compact_json,
    page_front_matter,
    template_environment,
)
from praxisatlas.search.german import GermanAnalyzer
from praxisatlas.search.index import (
    SearchIndex,
    build_case_list,
    build_search_index,
    shard_count,
)
from praxisatlas.search.synonyms import load_synonyms

# lunr.js first; the language files extend the global ``lunr`` it defines.
LUNR_FILES = {
    "lunr.js": "templates/search/lunr.js",
    "lunr.stemmer.support.js": "lunr-language/lunr.stemmer.support.js",
    "lunr.de.js": "lunr-language/lunr.de.js",
}
ASSETS = ("katalog.js", "vergleich.js", "katalog.css")
_LEADING_COMMENT = re.compile(r"\s*/\*.*?\*/\s*", re.DOTALL)


def mkdocs_search_dir() -> Path:
    """``mkdocs/contrib/search`` of the installed MkDocs, found without importing MkDocs."""
    spec = importlib.util.find_spec("mkdocs")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("Das Paket mkdocs ist nicht installiert.")
    return Path(next(iter(spec.submodule_search_locations))) / "contrib" / "search"


def lunr_files() -> dict[str, str]:
    """lunr.js and the German lunr-languages files, by output file name."""
    base = mkdocs_search_dir()
    return {name: (base / path).read_text("utf-8") for name, path in LUNR_FILES.items()}


def asset(name: str) -> str:
    return resources.files("praxisatlas.search").joinpath(f"assets/{name}").read_text("utf-8")


def minify_js(source: str) -> str:
    """``source`` without comments and needless white space (rjsmin); the leading block
    comment (licence and origin) and ``/*!`` comments are kept."""
    header = _LEADING_COMMENT.match(source)
    head = header.group(0).strip() + "\n" if header else ""
    body = source[header.end() :] if header else source
    return head + str(rjsmin.jsmin(body, keep_bang_comments=True)) + "\n"


def shipped(name: str, text: str) -> str:
    """What is written for an asset: scripts minified, everything else as it is."""
    return minify_js(text) if name.endswith(".js") else text


@cache
def _environment() -> Environment:
    return template_environment("praxisatlas.search", "templates")


def _front_matter(title: str, description: str) -> str:
    return page_front_matter(
        {"title": title, "description": description, "hide": ["navigation", "toc"]}
    )


def catalogue_page(catalogue: Catalogue, links: ContributeLinks | None = None) -> str:
    cases = in_title_order(catalogue)
    count_text = text_de.count(len(cases))
    html = (
        _environment()
        .get_template("katalog.html")
        .render(
            cases=cases,
            count_text=count_text,
            shards=shard_count(len(cases)),
            lunr_scripts=list(LUNR_FILES),
            issue_form_url=(links or ContributeLinks()).issue_form_url,
        )
    )
    return (
        _front_matter(
            "Katalog",
            "Alle Fälle des Praxisatlas durchsuchen und nach Thema, Land, Kreis, Status "
            "und weiteren Merkmalen filtern.",
        )
        + "# Katalog\n\n"
        + html
    )


def compare_page() -> str:
    html = _environment().get_template("vergleich.html").render()
    return (
        _front_matter("Fälle vergleichen", "Zwei oder drei Fälle des Praxisatlas nebeneinander.")
        + "# Fälle vergleichen\n\n"
        + html
    )


COMPARE_ROWS = (
    "Kurzbeschreibung",
    "Federführung",
    "Beteiligt",
    "Land",
    "Kreistyp",
    "Größe",
    "Status",
    "Zeitraum",
    "Themen",
    "Kosten",
    "Personal",
    "Dauer",
    "Förderung",
    "Software",
    "Offen für",
    "Ergebnisse",
    "Übertragbarkeit",
    "Quellen",
    "Zuletzt geprüft",
)


def _organisations(case: Case, lead: bool) -> str:
    return "; ".join(
        o.name if lead else f"{o.name} ({ROLES[o.role]})"
        for o in case.organisations
        if (o.role == "lead") == lead
    )


def _effort(case: Case) -> list[str]:
    """Cost, staff and duration bands ("" = keine Angabe)."""
    effort = case.effort
    if effort is None:
        return ["", "", ""]
    return [
        COST_BANDS.get(effort.cost or "", ""),
        STAFF_BANDS.get(effort.staff or "", ""),
        DURATION_BANDS.get(effort.duration or "", ""),
    ]


def _software(case: Case) -> str:
    if case.software is None:
        return ""
    parts = [case.software.name or "", "Open Source" if case.software.open_source else ""]
    if case.software.license:
        parts.append(f"Lizenz {case.software.license}")
    return ", ".join(p for p in parts if p) or "keine Angabe zum Namen"


def _open_to(case: Case) -> str:
    if case.contact.open_to is None:
        return ""  # keine Angabe
    return ", ".join(OPEN_TO[o] for o in case.contact.open_to) or "nein"


def compare_facts(case: Case, catalogue: Catalogue) -> list[str]:
    """The compare table's column for one case, in ``COMPARE_ROWS`` order ("" = keine Angabe)."""
    topics = catalogue.vocabulary.topics
    facets = catalogue.facets

    def label(facet: str) -> str:
        values = catalogue.values_of(case, facet)
        return ", ".join(facets[facet].terms[v].label for v in values)

    period = f"{case.start.label} bis {case.end.label}" if case.end else f"seit {case.start.label}"
    return [
        case.summary,
        _organisations(case, lead=True),
        _organisations(case, lead=False),
        label("land"),
        label("kreistyp"),
        label("groesse"),
        label("status"),
        period,
        ", ".join(topics[t].label for t in case.topics),
        *_effort(case),
        "; ".join(f.programme + (f" ({f.provider})" if f.provider else "") for f in case.funding),
        _software(case),
        _open_to(case),
        # "text – berichtet (ohne Messung)": the evidence label has brackets of its own.
        "; ".join(f"{o.text} – {EVIDENCE[o.evidence]}" for o in case.outcomes),
        case.transferability or "",
        text_de.count(len(case.sources), text_de.SOURCES),
        text_de.date(case.reviewed),
    ]


def compare_data(catalogue: Catalogue) -> dict[str, Any]:
    return {
        "rows": list(COMPARE_ROWS),
        "cases": {
            case.id: {"t": case.title, "u": case.url, "f": compare_facts(case, catalogue)}
            for case in catalogue.cases.values()
        },
    }


def generate(catalogue: Catalogue, settings: SiteSettings) -> list[OutputFile]:
    """All files of the catalogue and compare pages."""
    synonyms = load_synonyms()  # checked now: a broken list stops the build at once
    built: list[SearchIndex] = []

    def search_index() -> SearchIndex:
        # One build for the meta file and every shard, in whichever process makes them.
        if not built:
            built.append(build_search_index(catalogue, GermanAnalyzer(), synonyms))
        return built[0]

    def shard(k: int) -> OutputFile:
        return OutputFile(
            f"katalog/suchindex/{k}.json",
            lambda: compact_json(search_index().shard(k)),
            reads_texts=True,
        )

    files = [
        OutputFile("katalog/index.md", catalogue_page(catalogue, settings.contribute), in_nav=True),
        OutputFile("katalog/vergleich/index.md", compare_page()),
        # Data files are made after the pages are converted, or taken from the cache.
        OutputFile("katalog/faelle.json", lambda: compact_json(build_case_list(catalogue))),
        OutputFile(
            "katalog/suchindex.json",
            lambda: compact_json(search_index().meta()),
            reads_texts=True,
        ),
        *(shard(k) for k in range(shard_count(len(catalogue)))),
        OutputFile("katalog/vergleich.json", lambda: compact_json(compare_data(catalogue))),
    ]
    files += [
        OutputFile(f"katalog/{name}", shipped(name, text)) for name, text in lunr_files().items()
    ]
    files += [OutputFile(f"katalog/{name}", shipped(name, asset(name))) for name in ASSETS]
    return files
