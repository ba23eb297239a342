"""Registry of everything the plugin adds to or changes in a site.

``GENERATORS`` produce files from the catalogue; ``PAGE_FILTERS`` rewrite the Markdown
of hand-written pages (e.g. fill live figures into the home page, or the publisher's
details into the legal pages); ``CONFIG_CHECKS`` inspect ``extra`` from mkdocs.yml.
Each feature module registers itself here with one line, so ``plugin.py`` stays a
thin adapter that only loops over these lists.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from praxisatlas.cases.catalogue import Catalogue
from praxisatlas.opendata import data_page, feeds
from praxisatlas.output import OutputFile, PageContext, SiteSettings, check_site_url
from praxisatlas.search import page as search_page
from praxisatlas.website import contribute_page, legal_pages, map_page, statistics_page
from praxisatlas.website import home as site_home
from praxisatlas.website import pages as site_pages

Generator = Callable[[Catalogue, SiteSettings], list[OutputFile]]


PageFilter = Callable[[str, PageContext], str]
# Returns German messages about the site configuration (e.g. unfilled placeholders of the
# publishing body). The plugin fails a production build on any message and only logs
# them (INFO, so ``--strict`` stays green) in the default demo build.
ConfigCheck = Callable[[dict[str, Any], SiteSettings], list[str]]

GENERATORS: list[Generator] = [
    site_pages.generate,
    search_page.generate,
    contribute_page.generate,
    data_page.generate,
    feeds.generate,
    statistics_page.generate,
    map_page.generate,
]
# Under `mkdocs serve --dirty` a hand-written page is built again when the catalogue
# changes, but not for an edit to a case's text (quick_preview): filters read no body.
PAGE_FILTERS: list[PageFilter] = [site_home.fill_home_page, legal_pages.fill_details]
CONFIG_CHECKS: list[ConfigCheck] = [
    check_site_url,
    legal_pages.check_details,
    contribute_page.check_links,
]


def config_messages(extra: dict[str, Any], settings: SiteSettings) -> list[str]:
    """What every check says about ``extra`` from mkdocs.yml."""
    return [message for check in CONFIG_CHECKS for message in check(extra, settings)]


def config_summary(messages: list[str]) -> str:
    """One line for a demo build instead of one per message: how many settings are still
    missing or placeholders, and which (``mkdocs.yml, extra.betreiber.name: …`` → ``name``
    under ``extra.betreiber``). The production build lists every message in full."""
    groups: dict[str, list[str]] = {}
    for message in messages:
        where = message.split(": ", 1)[0].removeprefix("mkdocs.yml, ")
        section, _, key = where.rpartition(".")
        groups.setdefault(section or where, []).append(key)
    parts = "; ".join(
        f"{section}: {', '.join(keys)}" if keys != [section] else section
        for section, keys in groups.items()
    )
    count = len(messages)
    what = "1 Angabe" if count == 1 else f"{count} Angaben"
    return (
        f"Demo-Build: {what} in mkdocs.yml fehlen oder sind Platzhalter ({parts}). "
        "Vor der Veröffentlichung ausfüllen; PRAXISATLAS_PRODUCTION=1 mkdocs build nennt "
        "jede einzeln und bricht bis dahin ab."
    )
