"""What generators hand to the MkDocs plugin: files to add to the site, in memory.

Each generator module (site pages, search index, exports, feeds, statistics, map)
exposes ``generate(catalogue, settings) -> list[OutputFile]`` and knows nothing of
MkDocs; ``plugin.py`` turns the list into ``File.generated(...)`` objects.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

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
