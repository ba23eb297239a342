"""What generators hand to the MkDocs plugin: files to add to the site, in memory.

Each generator module (site pages, search index, exports, feeds, statistics, map)
exposes ``generate(catalogue, settings) -> list[OutputFile]`` and knows nothing of
MkDocs; ``plugin.py`` turns the list into ``File.generated(...)`` objects.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from praxisatlas.cases.catalogue import Catalogue

Content = str | bytes


@dataclass(frozen=True)
class OutputFile:
    """A page (``.md``) or data file (anything else) at a site-relative source path.

    ``source`` is the content, or a function that makes it. The plugin computes such a
    deferred data file in a second process while MkDocs converts the pages (see
    ``parallel.py``), and a deferred page when MkDocs reads it, in whichever process
    converts it; everyone else simply reads ``content``.
    """

    path: str
    source: Content | Callable[[], Content]
    # Index pages go into the navigation; case pages never do (see DESIGN.md §2).
    in_nav: bool = False

    @property
    def is_page(self) -> bool:
        return self.path.endswith(".md")

    @property
    def deferred(self) -> bool:
        return callable(self.source)

    @property
    def content(self) -> Content:
        return self.source() if callable(self.source) else self.source


@dataclass(frozen=True)
class SiteSettings:
    """Everything generators need to know about the site being built."""

    site_url: str = ""
    # e.g. "https://github.com/org/praxisatlas/edit/main/cases/{path}"; "" hides the link
    edit_url_template: str = ""
    today: dt.date = field(default_factory=dt.date.today)
    # "Last updated" stamp for feeds and exports; fixed per build for determinism
    build_date: dt.date = field(default_factory=dt.date.today)
    production: bool = False


@dataclass(frozen=True)
class PageContext:
    """What a page filter may read: the catalogue, settings, ``extra`` from mkdocs.yml."""

    catalogue: Catalogue
    settings: SiteSettings
    extra: dict[str, Any] = field(default_factory=dict)
    src_path: str = ""


# Names reserved for examples and tests (RFC 2606, RFC 6761): a site published there
# would point its sitemap, canonical links, feeds and forms at nobody's server.
_RESERVED_SECOND_LEVEL = ("example.com", "example.net", "example.org")
_RESERVED_TOP_LEVEL = ("example", "test", "invalid", "localhost", "local")


def site_url_problem(site_url: str) -> str | None:
    """A German message if ``site_url`` is empty or a placeholder, else ``None``."""
    if not site_url.strip():
        return (
            "mkdocs.yml, site_url: Die Adresse der Website fehlt. Sie wird für kanonische "
            "Links, die sitemap.xml, die Feeds und die Formular-Links gebraucht."
        )
    host = (urlsplit(site_url.strip()).hostname or "").rstrip(".").lower()
    reserved = (
        not host
        or host.rsplit(".", 1)[-1] in _RESERVED_TOP_LEVEL
        or any(host == d or host.endswith("." + d) for d in _RESERVED_SECOND_LEVEL)
        or _is_ip_literal(host)
    )
    if not reserved:
        return None
    return (
        f"mkdocs.yml, site_url: '{site_url}' ist ein Platzhalter ({host or 'keine Domain'} "
        "ist für Beispiele reserviert oder keine öffentliche Adresse). Bitte die echte "
        "Adresse der Website eintragen, z. B. https://praxisatlas.landkreis-beispiel.de/."
    )


def _is_ip_literal(host: str) -> bool:
    try:
        ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return False
    return True


def check_site_url(extra: dict[str, Any], settings: SiteSettings) -> list[str]:
    """Config check: the production site needs its real address."""
    problem = site_url_problem(settings.site_url)
    return [problem] if problem else []
