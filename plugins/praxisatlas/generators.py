"""Registry of everything the plugin adds to or changes in a site.

``GENERATORS`` produce files from the catalogue; ``PAGE_FILTERS`` rewrite the Markdown
of hand-written pages (e.g. fill live figures into the home page, or the publisher's
details into the legal pages); ``CONFIG_CHECKS`` inspect ``extra`` from mkdocs.yml.
Each feature module registers itself here with one line, so ``plugin.py`` stays a
thin adapter that only loops over these lists.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from . import contributing, exports, feeds, karte, legal, statistics
from .catalogue import Catalogue
from .output import OutputFile, SiteSettings
from .search import page as search_page
from .site import home as site_home
from .site import pages as site_pages

Generator = Callable[[Catalogue, SiteSettings], list[OutputFile]]


@dataclass(frozen=True)
class PageContext:
    """What a page filter may read: the catalogue, settings, ``extra`` from mkdocs.yml."""

    catalogue: Catalogue
    settings: SiteSettings
    extra: dict[str, Any] = field(default_factory=dict)
    src_path: str = ""


PageFilter = Callable[[str, PageContext], str]
# Returns German messages about the site configuration (e.g. unfilled placeholders of the
# publishing body). The plugin fails a production build on any message and only logs
# them (INFO, so ``--strict`` stays green) in the default demo build.
ConfigCheck = Callable[[dict[str, Any], SiteSettings], list[str]]

GENERATORS: list[Generator] = [
    site_pages.generate,
    search_page.generate,
    contributing.generate,
    exports.generate,
    feeds.generate,
    statistics.generate,
    karte.generate,
]
PAGE_FILTERS: list[PageFilter] = [site_home.fill_home_page, legal.fill_details]
CONFIG_CHECKS: list[ConfigCheck] = [legal.check_details]
