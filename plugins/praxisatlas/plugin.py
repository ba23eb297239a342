"""The MkDocs plugin: a thin adapter between MkDocs and the praxisatlas package.

``on_files`` loads and validates the catalogue, then adds every file the registered
generators produce (in memory, ``File.generated``) and forks the computation of the
deferred data files (``parallel.py``), collected in ``on_env`` before MkDocs copies
them; ``on_page_markdown`` runs the page filters on hand-written pages and takes the
generated HTML blocks out of every page, ``on_page_content`` puts them back and defuses
non-web links; ``on_serve`` watches the cases and the vocabulary. All the work
lives in MkDocs-free modules (see ``generators.py``), so a later move to another
static-site tool touches only this file and ``config.py``.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
from pathlib import Path
from typing import Any, cast

import jinja2
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.livereload import LiveReloadServer
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.pages import Page

from . import generators, parallel
from .catalogue import Catalogue
from .config import PraxisatlasConfig
from .output import Content, OutputFile, SiteSettings
from .pipeline import load_catalogue
from .problems import CatalogueError
from .site.render import extract_html, insert_html, unwrap_html
from .site.sanitize import neutralise_unsafe_links
from .vocabulary import VocabularyError, load_vocabulary

log = logging.getLogger("mkdocs.plugins.praxisatlas")

_TRUE = {"1", "true", "yes", "ja", "on"}


def _load_catalogue(cases_dir: Path, vocabulary_path: Path | None, today: dt.date) -> Catalogue:
    """Load and validate every case (raises ``CatalogueError`` listing all problems)."""
    vocabulary = load_vocabulary(vocabulary_path) if vocabulary_path else None
    return load_catalogue(cases_dir, vocabulary=vocabulary, today=today)


def _today(option: str | dt.date | None) -> dt.date:
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


class PraxisatlasPlugin(BasePlugin[PraxisatlasConfig]):  # type: ignore[no-untyped-call]
    """Turns ``cases/*.md`` into the pages and data files of the Praxisatlas site."""

    def __init__(self) -> None:
        super().__init__()
        self.catalogue: Catalogue | None = None
        self.settings = SiteSettings()
        self._root = Path.cwd()
        # Data files computed in a second process; filled in before MkDocs copies them.
        self._deferred: list[File] = []
        self._pending: parallel.Pending[list[Content]] | None = None
        # Generated HTML blocks taken out of each page's Markdown (see extract_html).
        self._html_blocks: dict[str, list[str]] = {}

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig | None:
        if not self.config.enabled:
            return None
        self._root = Path(config.config_file_path or "mkdocs.yml").resolve().parent
        production = self.config.production
        if production is None:
            production = os.environ.get("PRAXISATLAS_PRODUCTION", "").lower() in _TRUE
        today = _today(cast("str | dt.date | None", self.config.today))
        self.settings = SiteSettings(
            site_url=config.site_url or "",
            edit_url_template=self.config.edit_url,
            today=today,
            build_date=today,
            production=production,
        )
        return config

    @property
    def cases_dir(self) -> Path:
        return self._root / self.config.cases_dir

    @property
    def vocabulary_path(self) -> Path | None:
        return self._root / self.config.vocabulary if self.config.vocabulary else None

    def on_files(self, files: Files, /, *, config: MkDocsConfig) -> Files | None:
        if not self.config.enabled:
            return None
        self._abandon_pending()
        self._html_blocks = {}
        self.catalogue = self._load()
        self._check_config(config)
        makers = []
        for generate in generators.GENERATORS:
            for output in generate(self.catalogue, self.settings):
                file = self._add(files, config, output)
                if file is not None and callable(output.source):
                    self._deferred.append(file)
                    makers.append(output.source)
        # Forked after all pages exist, so the child sees the finished catalogue.
        self._pending = parallel.start(
            lambda: [make() for make in makers], fork=self.config.parallel
        )
        return files

    def on_env(
        self, env: jinja2.Environment, /, *, config: MkDocsConfig, files: Files
    ) -> jinja2.Environment | None:
        # Rendered navigation per page depth, for pages outside the nav (overrides/main.html).
        env.globals["pa_nav_cache"] = {}
        self._fill_deferred()
        return env

    def on_build_error(self, *, error: Exception) -> None:
        self._abandon_pending()

    def on_page_markdown(
        self, markdown: str, /, *, page: Page, config: MkDocsConfig, files: Files
    ) -> str | None:
        if not self.config.enabled or self.catalogue is None:
            return None
        if not page.file.generated_by:
            context = generators.PageContext(
                catalogue=self.catalogue,
                settings=self.settings,
                extra=dict(config.extra),
                src_path=page.file.src_uri,
            )
            for page_filter in generators.PAGE_FILTERS:
                markdown = page_filter(markdown, context)
        markdown, blocks = extract_html(markdown)
        if blocks:
            self._html_blocks[page.file.src_uri] = blocks
        return markdown

    def on_page_content(
        self, html: str, /, *, page: Page, config: MkDocsConfig, files: Files
    ) -> str | None:
        if not self.config.enabled:
            return None
        blocks = self._html_blocks.pop(page.file.src_uri, None)
        if blocks:
            try:
                html = insert_html(html, blocks)
            except ValueError as error:
                raise PluginError(f"Praxisatlas: {page.file.src_uri}: {error}") from None
        return neutralise_unsafe_links(unwrap_html(html))

    def on_serve(
        self, server: LiveReloadServer, /, *, config: MkDocsConfig, builder: Any
    ) -> LiveReloadServer | None:
        if self.config.enabled:
            server.watch(str(self.cases_dir))
            if self.vocabulary_path:
                server.watch(str(self.vocabulary_path))
        return server

    def _load(self) -> Catalogue:
        try:
            return _load_catalogue(self.cases_dir, self.vocabulary_path, self.settings.today)
        except CatalogueError as error:
            for problem in error.problems:
                log.error(str(problem))
            raise PluginError(
                f"Der Katalog enthält {len(error.problems)} Problem(e) in den Fall-Dateien "
                f"unter '{self.config.cases_dir}' (siehe oben). Bitte korrigieren und "
                "erneut bauen; 'praxisatlas validate' zeigt dieselbe Liste."
            ) from None
        except (VocabularyError, OSError) as error:
            raise PluginError(f"Praxisatlas: {error}") from None

    def _check_config(self, config: MkDocsConfig) -> None:
        messages = [
            message
            for check in generators.CONFIG_CHECKS
            for message in check(dict(config.extra), self.settings)
        ]
        for message in messages:
            (log.error if self.settings.production else log.info)(message)
        if messages and self.settings.production:
            raise PluginError(
                f"Produktions-Build abgebrochen: {len(messages)} Angabe(n) in mkdocs.yml "
                "fehlen oder sind Platzhalter (siehe oben)."
            )

    def _fill_deferred(self) -> None:
        """Wait for the data files of the second process (MkDocs copies them next)."""
        if self._pending is None:
            return
        try:
            contents = self._pending.result()
        except parallel.WorkerError as error:
            raise PluginError(f"Praxisatlas: Datendateien nicht erzeugt:\n{error}") from None
        finally:
            self._pending = None
        for file, content in zip(self._deferred, contents, strict=True):
            if isinstance(content, bytes):
                file.content_bytes = content
            else:
                file.content_string = content
        self._deferred = []

    def _abandon_pending(self) -> None:
        if self._pending is not None:
            self._pending.cancel()
        self._pending = None
        self._deferred = []

    def _add(self, files: Files, config: MkDocsConfig, output: OutputFile) -> File | None:
        existing = files.get_file_from_path(output.path)
        if existing is not None:
            if existing.generated_by is not None:
                raise PluginError(f"Praxisatlas: Datei '{output.path}' wird doppelt erzeugt")
            # A hand-written page with the same path wins over a generated one.
            log.info("Praxisatlas: '%s' liegt in docs/ und ersetzt die erzeugte Seite", output.path)
            return None
        inclusion = InclusionLevel.UNDEFINED if output.in_nav else InclusionLevel.NOT_IN_NAV
        # Deferred data files get their content in on_env.
        content = "" if output.deferred else output.content
        file = File.generated(config, output.path, content=content, inclusion=inclusion)
        files.append(file)
        return file
