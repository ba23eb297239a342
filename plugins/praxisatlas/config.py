"""Options of the ``praxisatlas`` MkDocs plugin (``plugins: [praxisatlas: {...}]``).

Together with ``plugin.py`` the only module that imports MkDocs.
"""

from __future__ import annotations

import datetime as dt
import os
from typing import cast

from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.exceptions import PluginError

from praxisatlas.cache import DEFAULT_DIR
from praxisatlas.output import SiteSettings, contribute_links


class PraxisatlasConfig(base.Config):  # type: ignore[no-untyped-call]
    """Typed plugin options; paths are relative to the directory of ``mkdocs.yml``."""

    enabled = c.Type(bool, default=True)
    """Switch the plugin off (e.g. to build only the hand-written pages)."""

    cases_dir = c.Type(str, default="cases")
    """Directory with one Markdown file per case (``cases/<id>.md``)."""

    vocabulary = c.Optional(c.Type(str))
    """Topic vocabulary file; default: the file shipped in the package."""

    edit_url = c.Type(str, default="")
    """Template of the "Auf GitHub bearbeiten" link of a case page, e.g.
    ``https://github.com/ORG/REPO/edit/main/cases/{filename}`` (also ``{id}``, ``{path}``).
    Empty: no link. The link is a plain link; nothing calls a forge's API."""

    repository_url = c.Type(str, default="")
    """Web address of the repository with the cases, e.g.
    ``https://github.com/ORG/praxisatlas`` or ``https://gitlab.opencode.de/GRUPPE/praxisatlas``.
    Mitmachen, every case page ("Fall ergänzen") and the catalogue link to it and to its
    issue form. Required by the production build; plain links, no forge API calls."""

    forge = c.Optional(c.Choice(("github", "gitlab")))
    """``github`` or ``gitlab`` (OpenCoDE); default: ``github`` for github.com, else
    ``gitlab``. Decides the default addresses below."""

    issue_form_url = c.Type(str, default="")
    """Address of the form "Neuer Fall"; default: ``<repository_url>/issues/new?template=
    neuer-fall.yml`` (GitHub) or ``<repository_url>/-/issues/new?issuable_template=
    Neuer-Fall`` (GitLab)."""

    case_issue_url = c.Type(str, default="")
    """Template of the "Fall ergänzen" link of a case page (a new issue about the case);
    ``{id}``, ``{title}`` and ``{url}`` are filled in URL-encoded. Default: a new issue
    with title and text prefilled on the repository's forge."""

    production = c.Optional(c.Type(bool))
    """Production build: configuration checks (publisher details, …) fail the build.
    Default: environment variable ``PRAXISATLAS_PRODUCTION`` (``1``/``true``/``ja``)."""

    today = c.Optional(c.Type((str, dt.date)))
    """Fixed "today" (ISO date) for the "veraltet" notes and feed dates; for reproducible
    builds and tests. Default: ``SOURCE_DATE_EPOCH`` if set, else the current date."""

    cache = c.Type(bool, default=True)
    """Keep converted case pages and data files in ``cache_dir`` and reuse them while
    nothing they are made from has changed. The site is the same byte for byte with the
    cache, without it and with an empty one."""

    cache_dir = c.Type(str, default=DEFAULT_DIR)
    """Directory of the cache (Material's convention: ``.cache/plugin/<name>``). Safe to
    delete at any time; a cache of another Praxisatlas version is discarded by itself."""


_TRUE = {"1", "true", "yes", "ja", "on"}


def site_settings(options: PraxisatlasConfig, site_url: str) -> SiteSettings:
    """What the generators need of the configuration."""
    production = options.production
    if production is None:
        production = os.environ.get("PRAXISATLAS_PRODUCTION", "").lower() in _TRUE
    today = today_of(cast("str | dt.date | None", options.today))
    return SiteSettings(
        site_url=site_url,
        edit_url_template=options.edit_url,
        contribute=contribute_links(
            options.repository_url,
            options.issue_form_url,
            options.case_issue_url,
            options.forge or "",
        ),
        today=today,
        build_date=today,
        production=production,
    )


def today_of(option: str | dt.date | None) -> dt.date:
    """The build's "today": the option, else ``SOURCE_DATE_EPOCH``, else the date."""
    if isinstance(option, dt.date):
        return option
    if option:
        try:
            return dt.date.fromisoformat(option)
        except ValueError as error:
            raise PluginError(
                f"praxisatlas: 'today' muss ein Datum wie 2026-01-31 sein, nicht '{option}'"
            ) from error
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), tz=dt.UTC).date()
    return dt.date.today()
