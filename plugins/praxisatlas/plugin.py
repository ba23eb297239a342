"""The MkDocs plugin: a thin adapter between MkDocs and the praxisatlas package.

``on_files`` loads and validates the catalogue, then adds every file the registered
generators produce (in memory, ``File.generated``); ``on_nav`` forks a second process
(``parallel.py``) that computes the deferred data files and then converts (and renders
with the theme) a share of the generated pages, which ``on_pre_page`` hands over to their
results; ``on_page_markdown`` runs the page
filters on hand-written pages and takes the generated HTML blocks out of every page,
``on_page_content`` puts them back, defuses non-web links and renders this process's
share of the generated pages at once, so both processes work until the last page;
``on_env`` collects the data files before MkDocs copies them; ``on_serve`` watches the
cases and the vocabulary. All the work lives in MkDocs-free modules (see
``generators.py``), so a later move to another static-site tool touches only this file
and ``config.py``.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import pickle
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast

import jinja2
from mkdocs.commands.build import get_context
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.livereload import LiveReloadServer
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import TableOfContents
from mkdocs.utils.meta import get_data

from praxisatlas import generators, parallel
from praxisatlas.cases.catalogue import Catalogue
from praxisatlas.cases.pipeline import load_catalogue
from praxisatlas.cases.problems import CatalogueError
from praxisatlas.cases.vocabulary import VocabularyError, load_vocabulary
from praxisatlas.config import PraxisatlasConfig
from praxisatlas.output import (
    Content,
    OutputFile,
    PageContext,
    SiteSettings,
    contribute_links,
)
from praxisatlas.website import anchors
from praxisatlas.website.render import extract_html, insert_html, unwrap_html
from praxisatlas.website.sanitize import (
    is_case_page,
    neutralise_unsafe_links,
    sanitise_case_html,
)

log = logging.getLogger("mkdocs.plugins.praxisatlas")

_TRUE = {"1", "true", "yes", "ja", "on"}

# Template of pages the theme rendered in the second process (see _PageConvertedElsewhere).
_RENDERED_ELSEWHERE = "praxisatlas/im-zweiten-prozess-erzeugt.html"
# Rendering there needs the theme's environment as on_env leaves it and a page context
# no other plugin changes.
_RENDER_EVENTS = {"env": 1, "page_context": 0}

# Front-matter keys of a page that Material's navigation shows on every other page.
_NAV_META = ("icon", "subtitle", "status")

# Page events of other plugins would run twice on a page converted in the second
# process (there, and again on the result here); with any of them, no page moves.
_PAGE_EVENTS = {"pre_page": 1, "page_read_source": 1, "page_markdown": 1, "page_content": 1}


@dataclass
class _ConvertedPage:
    """What converting a page yields, as ``Page.render`` and the page events leave it."""

    content: str = ""
    toc: TableOfContents | None = None
    title: str | None = None
    anchors: set[str] | None = None
    links_to_anchors: dict[str, dict[str, str]] | None = None  # by target src_uri
    meta: dict[str, Any] | None = None
    html: bytes | None = None  # the finished HTML page, when the theme rendered it there
    log: tuple[tuple[str, int, str], ...] = ()  # (logger, level, message) to repeat here
    error: str | None = None


class _FinishedPage(Page):
    """A page whose finished HTML waits for MkDocs to write it: MkDocs renders it with
    the pass-through template ``_RENDERED_ELSEWHERE``, which reads ``rendered_html``."""

    html: bytes | None = None

    def hold(self, html: bytes) -> None:
        self.html = html
        self.meta = {**self.meta, "template": _RENDERED_ELSEWHERE}

    @property
    def rendered_html(self) -> str:
        # Finished pages wait as UTF-8: half the memory of a str with any character
        # beyond Latin-1 ("surrogatepass" keeps every str as it was). MkDocs reads the
        # HTML once, to write it; it is dropped then, so the next page reuses the memory
        # instead of the process growing to hold every page.
        html, self.html = self.html, None
        if html is None:  # a second read would write an empty page, noted only at INFO
            raise PluginError(f"Praxisatlas: {self.file.src_uri}: HTML der Seite schon geschrieben")
        return html.decode("utf-8", "surrogatepass")


class _PageConvertedElsewhere(_FinishedPage):
    """A page the second process converts: here, reading and rendering it only take
    over the result (the page's class is switched after the fork, see ``on_nav``)."""

    take_converted: Callable[[Page], _ConvertedPage]
    converted: _ConvertedPage

    def read_source(self, config: MkDocsConfig) -> None:
        self.converted = converted = self.take_converted(self)  # waits for it at first
        for name, level, message in converted.log:
            logging.getLogger(name).log(level, message)
        if converted.error is not None:
            raise PluginError(converted.error)
        self.markdown, self.meta = "", converted.meta or {}
        if converted.html is not None:
            self.hold(converted.html)
            converted.html = None

    def render(self, config: MkDocsConfig, files: Files) -> None:
        converted = self.converted
        self.content = converted.content
        self.toc = cast(TableOfContents, converted.toc)
        self._title_from_render = converted.title
        self.present_anchor_ids = converted.anchors
        if converted.links_to_anchors is not None:
            self.links_to_anchors = {
                target: anchors
                for src_uri, anchors in converted.links_to_anchors.items()
                if (target := files.get_file_from_path(src_uri)) is not None
            }


class _PageRenderedEarly(_FinishedPage):
    """A generated page this process converted and, while the second process still
    works, rendered with the theme at once (see ``on_page_content``)."""


def _encoded(html: str) -> bytes:
    return html.encode("utf-8", "surrogatepass")  # see _FinishedPage.rendered_html


def _events_as_expected(config: MkDocsConfig, counts: dict[str, int]) -> bool:
    return all(len(config.plugins.events[event]) == count for event, count in counts.items())


def _prepare_theme(env: jinja2.Environment) -> None:
    # Rendered navigation per page depth, for pages outside the nav (overrides/main.html).
    env.globals["pa_nav_cache"] = {}


class _ListHandler(logging.Handler):
    def __init__(self, records: list[tuple[str, int, str]]) -> None:
        super().__init__()
        self.records = records

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append((record.name, record.levelno, record.getMessage()))


@contextmanager
def _captured_mkdocs_log() -> Iterator[list[tuple[str, int, str]]]:
    """Collect MkDocs' log records instead of printing them: the parent repeats them, so
    they count for ``--strict`` and appear once, in page order."""
    logger = logging.getLogger("mkdocs")
    records: list[tuple[str, int, str]] = []
    saved = logger.handlers[:], logger.propagate
    logger.handlers, logger.propagate = [_ListHandler(records)], False
    try:
        yield records
    finally:
        logger.handlers, logger.propagate = saved


def _load_catalogue(
    cases_dir: Path, vocabulary_path: Path | None, today: dt.date, docs_dir: Path
) -> Catalogue:
    """Load and validate every case (raises ``CatalogueError`` listing all problems)."""
    vocabulary = load_vocabulary(vocabulary_path) if vocabulary_path else None
    return load_catalogue(cases_dir, vocabulary=vocabulary, today=today, docs_dir=docs_dir)


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
        self._pending: parallel.Pending | None = None
        self._data_makers: list[Callable[[], Content]] = []
        # Deferred pages: made when MkDocs reads them (on_page_read_source).
        self._page_makers: dict[str, Callable[[], Content]] = {}
        # Generated pages (in memory) and those of them the second process converts.
        self._generated_pages: dict[str, File] = {}
        self._converted: dict[str, bytes] | None = None
        # Generated pages this process and the second one share out (see on_nav).
        self._split = parallel.Split(0, shared=False)
        self._split_index: dict[str, int] = {}
        # Generated HTML blocks taken out of each page's Markdown (see extract_html).
        self._html_blocks: dict[str, list[str]] = {}
        # Renders this process's share of the generated pages with the theme as soon as
        # they are converted, so both processes split all the page work (see on_nav).
        self._render_early: Callable[[Page], str] | None = None

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig | None:
        if not self.config.enabled:
            return None
        self._root = Path(config.config_file_path or "mkdocs.yml").resolve().parent
        production = self.config.production
        if production is None:
            production = os.environ.get("PRAXISATLAS_PRODUCTION", "").lower() in _TRUE
        # Heading anchors transliterate umlauts like the site's URLs (unless mkdocs.yml
        # sets its own slugify).
        config.mdx_configs.setdefault("toc", {}).setdefault("slugify", anchors.slugify)
        today = _today(cast("str | dt.date | None", self.config.today))
        self.settings = SiteSettings(
            site_url=config.site_url or "",
            edit_url_template=self.config.edit_url,
            contribute=contribute_links(
                self.config.repository_url,
                self.config.issue_form_url,
                self.config.case_issue_url,
                self.config.forge or "",
            ),
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
        self.catalogue = self._load(Path(config.docs_dir))
        self._check_config(config)
        for generate in generators.GENERATORS:
            for output in generate(self.catalogue, self.settings):
                file = self._add(files, config, output)
                if file is None:
                    continue
                if file.is_documentation_page():
                    self._generated_pages[file.src_uri] = file
                    if callable(output.source):
                        self._page_makers[file.src_uri] = output.source
                elif callable(output.source):
                    self._deferred.append(file)
                    self._data_makers.append(output.source)
        return files

    # Last, so the second process sees the navigation as every plugin left it.
    @event_priority(-100)
    def on_nav(
        self, nav: Navigation, /, *, config: MkDocsConfig, files: Files
    ) -> Navigation | None:
        if not self.config.enabled or self.catalogue is None:
            return None
        fork = self.config.parallel and parallel.can_fork()
        pages = self._pages_for_second_process(config, files) if fork else []
        split = parallel.Split(len(pages), shared=fork)
        makers = self._data_makers
        render = bool(pages) and self._can_render_elsewhere(config, nav)

        def convert_pages() -> dict[str, bytes]:
            # Each page pickled at once: at the end, when this process waits for the
            # last page, only that one is left to pickle.
            theme = self._theme_renderer(config, nav, files) if render else None
            converted = {}
            while (index := split.take_back()) is not None:
                result = self._convert(pages[index], config, files, theme)
                converted[pages[index].src_uri] = pickle.dumps(result, pickle.HIGHEST_PROTOCOL)
            return converted

        self._split = split
        self._split_index = {file.src_uri: index for index, file in enumerate(pages)}
        self._pending = parallel.start(
            [lambda: [make() for make in makers], convert_pages], fork=fork
        )
        # MkDocs renders every page with the theme only after converting all of them,
        # when the second process has long finished: rendering this process's share at
        # once keeps both processes busy until the last page.
        self._render_early = (
            self._theme_renderer(config, nav, files) if render and self._pending.forked else None
        )
        return nav

    def on_env(
        self, env: jinja2.Environment, /, *, config: MkDocsConfig, files: Files
    ) -> jinja2.Environment | None:
        _prepare_theme(env)
        rendered = jinja2.DictLoader({_RENDERED_ELSEWHERE: "{{ page.rendered_html }}"})
        env.loader = jinja2.ChoiceLoader([rendered, *([env.loader] if env.loader else [])])
        self._fill_deferred()
        return env

    def on_build_error(self, *, error: Exception) -> None:
        self._abandon_pending()

    def on_pre_page(self, page: Page, /, *, config: MkDocsConfig, files: Files) -> Page | None:
        index = self._split_index.get(page.file.src_uri)
        if index is None or self._split.take_front(index):
            return None  # converted here
        # The second process has taken this page: reading and rendering take its result.
        page.__class__ = _PageConvertedElsewhere
        cast(_PageConvertedElsewhere, page).take_converted = self._take_converted
        return page

    def on_page_read_source(self, /, *, page: Page, config: MkDocsConfig) -> str | None:
        make = self._page_makers.pop(page.file.src_uri, None)
        if make is None:
            return None
        content = make()
        return content if isinstance(content, str) else content.decode("utf-8")

    def on_page_markdown(
        self, markdown: str, /, *, page: Page, config: MkDocsConfig, files: Files
    ) -> str | None:
        if not self.config.enabled or self.catalogue is None:
            return None
        if isinstance(page, _PageConvertedElsewhere):
            return None  # the page events ran in the second process
        if not page.file.generated_by:
            context = PageContext(
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
        if isinstance(page, _PageConvertedElsewhere):
            return None
        if page.file.generated_by and is_case_page(page.file.src_uri):
            html = sanitise_case_html(html)  # before our own HTML blocks go back in
        blocks = self._html_blocks.pop(page.file.src_uri, None)
        if blocks:
            try:
                html = insert_html(html, blocks)
            except ValueError as error:
                raise PluginError(f"Praxisatlas: {page.file.src_uri}: {error}") from None
        html = neutralise_unsafe_links(unwrap_html(html))
        if self._render_early is not None and page.file.src_uri in self._split_index:
            page.content = html  # as MkDocs sets it after this event
            page.__class__ = _PageRenderedEarly
            cast(_PageRenderedEarly, page).hold(_encoded(self._render_early(page)))
        return html

    def on_serve(
        self, server: LiveReloadServer, /, *, config: MkDocsConfig, builder: Any
    ) -> LiveReloadServer | None:
        if self.config.enabled:
            server.watch(str(self.cases_dir))
            if self.vocabulary_path:
                server.watch(str(self.vocabulary_path))
        return server

    def _load(self, docs_dir: Path) -> Catalogue:
        try:
            catalogue = _load_catalogue(
                self.cases_dir, self.vocabulary_path, self.settings.today, docs_dir
            )
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
        for warning in catalogue.warnings:  # fatal under --strict, as MkDocs' own warnings
            log.warning(str(warning))
        return catalogue

    def _check_config(self, config: MkDocsConfig) -> None:
        messages = [
            message
            for check in generators.CONFIG_CHECKS
            for message in check(dict(config.extra), self.settings)
        ]
        if messages and not self.settings.production:
            log.info(generators.config_summary(messages))
        if messages and self.settings.production:
            for message in messages:
                log.error(message)
            raise PluginError(
                f"Produktions-Build abgebrochen: {len(messages)} Angabe(n) in mkdocs.yml "
                "fehlen oder sind Platzhalter (siehe oben)."
            )

    def _pages_for_second_process(self, config: MkDocsConfig, files: Files) -> list[File]:
        """The generated pages, in the order MkDocs converts them: this process takes them
        from the front, the second process from the back once the data files are done."""
        if not _events_as_expected(config, _PAGE_EVENTS):
            return []
        return [
            file
            for file in files.documentation_pages(inclusion=InclusionLevel.is_included)
            if self._generated_pages.get(file.src_uri) is file
        ]

    def _can_render_elsewhere(self, config: MkDocsConfig, nav: Navigation) -> bool:
        """Whether a page can be rendered with the theme before every page is read (in
        the second process, or here at once), with the same result: the navigation must
        not depend on other pages' content. A nav page's title only comes from its
        content after conversion, and Material's nav shows an icon, subtitle or status
        from its front matter, which is only read with the page."""
        if not _events_as_expected(config, _RENDER_EVENTS):
            return False
        for page in nav.pages:
            if page.title is None:
                return False
            if page.file.src_uri in self._page_makers:
                continue  # a generated page: its front matter never sets these keys
            _, meta = get_data(page.file.content_string)
            if any(key in meta for key in _NAV_META):
                return False
        return True

    @staticmethod
    def _theme_renderer(
        config: MkDocsConfig, nav: Navigation, files: Files
    ) -> Callable[[Page], str]:
        """Render a converted page with the theme, as MkDocs' ``_build_page`` does."""
        env = config.theme.get_env()
        _prepare_theme(env)
        doc_files = files.documentation_pages(inclusion=InclusionLevel.is_included)

        def render(page: Page) -> str:
            page.active = True
            try:
                context = get_context(nav, doc_files, config, page)
                template = env.get_template(page.meta.get("template", "main.html"))
                context = config.plugins.on_page_context(context, page=page, config=config, nav=nav)
                return template.render(context)
            finally:
                page.active = False

        return render

    def _convert(
        self,
        file: File,
        config: MkDocsConfig,
        files: Files,
        theme: Callable[[Page], str] | None = None,
    ) -> _ConvertedPage:
        """Convert one page as MkDocs' build loop does (``_populate_page``), for the
        parent process: the page events run here, their log comes along. (The only
        ``on_pre_page`` is ours, which shares out the pages: it has no part here.)"""
        page = file.page or Page(None, file, config)  # as MkDocs' build loop
        config._current_page = page
        with _captured_mkdocs_log() as records:
            try:
                page.read_source(config)
                page.markdown = config.plugins.on_page_markdown(
                    cast(str, page.markdown), page=page, config=config, files=files
                )
                page.render(config, files)
                page.content = config.plugins.on_page_content(
                    cast(str, page.content), page=page, config=config, files=files
                )
                html = _encoded(theme(page)) if theme is not None else None
            except Exception as error:  # reported by the parent, on this page
                return _ConvertedPage(log=tuple(records), error=str(error) or repr(error))
            finally:
                config._current_page = None
        links = page.links_to_anchors
        return _ConvertedPage(
            meta=dict(page.meta),
            content=page.content,
            html=html,
            toc=page.toc,
            title=page._title_from_render,
            anchors=page.present_anchor_ids,
            links_to_anchors=None
            if links is None
            else {target.src_uri: anchors for target, anchors in links.items()},
            log=tuple(records),
        )

    def _take_converted(self, page: Page) -> _ConvertedPage:
        """The second process's result for ``page`` (waits for it the first time)."""
        if self._converted is None:
            self._converted = self._result(1, "Seiten nicht umgewandelt")
        converted = pickle.loads(self._converted.pop(page.file.src_uri))
        assert isinstance(converted, _ConvertedPage)
        return converted

    def _result(self, index: int, failure: str) -> Any:
        assert self._pending is not None
        try:
            return self._pending.result(index)
        except parallel.WorkerError as error:
            self._abandon_pending()
            raise PluginError(f"Praxisatlas: {failure}:\n{error}") from None

    def _fill_deferred(self) -> None:
        """Wait for the data files of the second process (MkDocs copies them next)."""
        if self._pending is None:
            return
        try:
            contents = self._result(0, "Datendateien nicht erzeugt")
        finally:
            # Every page is read by now: the second process has nothing left to give
            # (when no page moved there, its page result was never fetched).
            if self._pending is not None:
                self._pending.cancel()
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
        self._data_makers = []
        self._page_makers = {}
        self._generated_pages = {}
        self._converted = None
        self._split_index = {}
        self._render_early = None

    def _add(self, files: Files, config: MkDocsConfig, output: OutputFile) -> File | None:
        existing = files.get_file_from_path(output.path)
        if existing is not None:
            if existing.generated_by is not None:
                raise PluginError(f"Praxisatlas: Datei '{output.path}' wird doppelt erzeugt")
            # A hand-written page with the same path wins over a generated one.
            log.info("Praxisatlas: '%s' liegt in docs/ und ersetzt die erzeugte Seite", output.path)
            return None
        inclusion = InclusionLevel.UNDEFINED if output.in_nav else InclusionLevel.NOT_IN_NAV
        # Deferred data files get their content in on_env, deferred pages when read.
        content = "" if output.deferred else output.content
        file = File.generated(config, output.path, content=content, inclusion=inclusion)
        files.append(file)
        return file
