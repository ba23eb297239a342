"""The MkDocs plugin: a thin adapter between MkDocs and the praxisatlas package.

``on_startup`` notes whether MkDocs serves the site (``--dirty``: ``quick_preview``);
``on_config`` checks the configuration and opens the cache; ``on_files`` loads and
validates the catalogue (under ``mkdocs serve`` re-reading only changed case files) and
adds every generated file; ``on_nav`` keeps the navigation and, under ``--dirty``, has
MkDocs build again only the pages an edit changed; ``on_page_markdown`` makes a
generated page's body (unless the cache holds its conversion under what the page is made
from), runs the page filters on hand-written pages and, last of all plugins, takes the
generated HTML blocks out and looks the page up in the cache; ``on_page_content``, first
of all plugins, puts cached HTML (and what MkDocs would have learnt converting it) and
the blocks back and defuses non-web links, and, last of all, parks a generated page's
HTML on disk; ``on_env`` makes the data files and finds the pages whose finished output
is in the cache; ``on_page_context`` takes parked HTML back and hands over cached
output; ``on_post_page`` stores a rendered page's output; ``on_serve`` watches the cases
and the vocabulary. Parking, finished pages and ``--dirty`` previews need every other
plugin away. Only MkDocs' public plugin API is used; the work lives in MkDocs-free
modules.
"""

from __future__ import annotations

import datetime as dt
import logging
from pathlib import Path
from typing import Any, Literal

import jinja2
import markupsafe
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.livereload import LiveReloadServer
from mkdocs.plugins import BasePlugin, CombinedEvent, event_priority
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import AnchorLink, TableOfContents
from mkdocs.utils.templates import TemplateContext

from praxisatlas import compatibility, generators
from praxisatlas.assembly import Planned, SiteFiles, inputs_digest
from praxisatlas.cache import ContentCache
from praxisatlas.cases.catalogue import Catalogue
from praxisatlas.cases.incremental import CaseFolder
from praxisatlas.cases.pipeline import load_catalogue
from praxisatlas.cases.problems import CatalogueError
from praxisatlas.cases.vocabulary import VocabularyError, load_vocabulary
from praxisatlas.config import PraxisatlasConfig, site_settings
from praxisatlas.output import PageContext, SiteSettings
from praxisatlas.quick_preview import (
    QuickPreview,
    file_keys,
    nav_outline,
    site_key,
)
from praxisatlas.spill import SpillDir
from praxisatlas.website import anchors, page_outputs
from praxisatlas.website.conversion import PageConversions, PageFacts, markdown_context
from praxisatlas.website.page_outputs import PageOutputs
from praxisatlas.website.sanitize import (
    is_case_page,
    neutralise_unsafe_links,
    sanitise_case_html,
)

log = logging.getLogger("mkdocs.plugins.praxisatlas")
EXCLUDED = InclusionLevel.EXCLUDED

# Data files from the cache this large wait on disk; smaller ones (and the thousands made
# from a single case) stay in memory, where they cost less than writing and copying again.
_PARK_FROM = 256 * 1024


def _load_catalogue(
    cases_dir: Path, vocabulary: Path | None, today: dt.date, docs_dir: Path, cache: ContentCache
) -> Catalogue:
    """Load and validate every case (raises ``CatalogueError`` listing all problems)."""
    return load_catalogue(
        cases_dir, load_vocabulary(vocabulary), today=today, docs_dir=docs_dir, cache=cache
    )


def _alone(config: MkDocsConfig) -> bool:
    """Whether no other plugin takes part in the build (see page_outputs and spill)."""
    return set(config.plugins) == {"praxisatlas"}


def _facts(page: Page) -> PageFacts:
    """What MkDocs learnt from converting ``page`` (see conversion.PageFacts)."""
    links = (page.links_to_anchors or {}).get(page.file, {})
    title = None if "title" in page.meta else page.title
    return PageFacts(
        title, page_outputs.toc_state(page.toc), sorted(page.present_anchor_ids or ()), links
    )


def _set_facts(page: Page, facts: PageFacts) -> None:
    if facts.title is not None:
        page.title = facts.title
    page.toc = TableOfContents(_toc_links(facts.toc))
    page.present_anchor_ids = set(facts.anchors)
    if page.links_to_anchors is not None and facts.links:  # None: MkDocs checks no anchors
        page.links_to_anchors = {page.file: dict(facts.links)}


def _toc_links(items: list[Any]) -> list[AnchorLink]:
    links = []
    for title, anchor, level, children in items:
        link = AnchorLink(title, anchor, level)
        link.children = _toc_links(children)
        links.append(link)
    return links


class PraxisatlasPlugin(BasePlugin[PraxisatlasConfig]):  # type: ignore[no-untyped-call]
    """Turns ``cases/*.md`` into the pages and data files of the Praxisatlas site."""

    def __init__(self) -> None:
        super().__init__()
        self.catalogue: Catalogue | None = None
        self.settings = SiteSettings()
        self.serving = False
        self._root = Path.cwd()
        self._folder: CaseFolder | None = None  # kept between builds of `mkdocs serve`
        self._cache = ContentCache(None)
        self._site: SiteFiles | None = None
        self._conversions = PageConversions(ContentCache(None), None)
        self._data_files: dict[str, File] = {}
        self._nav: Navigation | None = None
        self._env: jinja2.Environment | None = None
        self._outputs: PageOutputs | None = None
        self._templates: dict[str, str] = {}  # of pages taken from the cache
        self._spill: SpillDir | None = None
        self._parked: dict[str, str] = {}  # pages whose HTML waits on disk: its digest
        self._preview: QuickPreview | None = None  # under `mkdocs serve --dirty`
        self._active_preview: QuickPreview | None = None  # in this build (see on_files)
        self._page_keys: dict[str, str] = {}  # generated pages: what each is made from

    def on_startup(self, *, command: Literal["build", "gh-deploy", "serve"], dirty: bool) -> None:
        # With this event MkDocs keeps the plugin between the builds of `mkdocs serve`.
        self.serving = command == "serve"
        if self.serving and dirty and self._preview is None:
            self._preview = QuickPreview()

    def on_pre_build(self, *, config: MkDocsConfig) -> None:
        if self._preview is not None and not (self.config.enabled and _alone(config)):
            self._preview.unplanned(config.site_dir)  # see QuickPreview.unplanned

    def on_shutdown(self) -> None:
        if self._preview is not None:
            self._preview.close()
            self._preview = None

    # Last: the checks see the configuration as every other plugin left it.
    @event_priority(-100)
    def on_config(self, config: MkDocsConfig) -> MkDocsConfig | None:
        if not self.config.enabled:
            return None
        problems = compatibility.problems(
            use_directory_urls=config.use_directory_urls, plugins=list(config.plugins)
        )
        if problems:
            raise PluginError("\n".join(problems))
        self._root = Path(config.config_file_path or "mkdocs.yml").resolve().parent
        # Heading anchors transliterate umlauts like the site's URLs (unless mkdocs.yml
        # sets its own slugify).
        config.mdx_configs.setdefault("toc", {}).setdefault("slugify", anchors.slugify)
        self.settings = site_settings(self.config, config.site_url or "")
        cache_dir = self._root / self.config.cache_dir if self.config.cache else None
        self._cache = ContentCache(cache_dir)
        context = markdown_context(
            config.markdown_extensions, config.mdx_configs, config.use_directory_urls
        )
        self._conversions = PageConversions(self._cache, context)
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
        self.catalogue = self._load(Path(config.docs_dir))
        self._check_config(config)
        inputs = inputs_digest(self.catalogue, self.settings)
        self._site = SiteFiles(self.catalogue, self.settings, self._cache, inputs)
        self._data_files = {}
        if self._spill is not None:
            self._spill.close()
        # Other plugins may need every page's events: then --dirty works as MkDocs' own.
        self._active_preview = self._preview if _alone(config) else None
        # Parking output on disk changes nothing another plugin could see only when no
        # other plugin takes part (and under --dirty few pages are built).
        self._spill = SpillDir() if _alone(config) and self._active_preview is None else None
        self._parked, self._page_keys = {}, {}
        # Where each file already there goes: a generated file never overwrites one.
        taken = {file.dest_uri for file in files}
        for planned in self._site.plan():
            self._add(files, config, planned, taken)
        return files

    def on_nav(self, nav: Navigation, /, *, config: MkDocsConfig, files: Files) -> None:
        self._nav = nav
        preview, site = self._active_preview, self._site
        if preview is None or site is None:  # else: MkDocs builds only what an edit changed
            return
        keys = file_keys(files, self._page_keys, site.inputs.structure)
        theirs = [f.src_uri for f in files if not (f.generated_by or f.inclusion == EXCLUDED)]
        in_nav = [p.file for p in nav.pages if not p.file.generated_by]
        theme = [config.theme.custom_dir] if config.theme.custom_dir else []
        key = site_key(config.config_file_path, theme, nav_outline(nav.items), theirs, in_nav)
        ours = [f.abs_dest_path for f in files if f.generated_by == "praxisatlas"]
        preview.plan(key, keys, ours, config.site_dir)
        pages, built = files.documentation_pages(), 0
        for file in pages:  # the navigation shows what MkDocs does not read again
            if file.is_modified():
                built += 1
            elif file.page and file.src_uri in preview.seen:
                file.page.title, meta = preview.seen[file.src_uri]
                file.page.meta = dict(meta)
        log.info("Praxisatlas (--dirty): %d von %d Seiten werden neu gebaut", built, len(pages))

    def on_env(
        self, env: jinja2.Environment, /, *, config: MkDocsConfig, files: Files
    ) -> jinja2.Environment | None:
        # Rendered navigation per page depth, for pages outside the nav (overrides/main.html).
        env.globals["pa_nav_cache"] = {}
        if self._site is not None:  # the data files, before MkDocs copies them
            for path, content in self._site.data_files():
                if path not in self._data_files and self._spill is not None:
                    self._spill.put(path, content)
                else:
                    self._data_files[path].content_bytes = content
        self._plan_outputs(env, config, files)
        return env

    def _plan_outputs(self, env: jinja2.Environment, config: MkDocsConfig, files: Files) -> None:
        """Pages whose output is in the cache are rendered by a template that writes it.

        Only when no other plugin takes part: another plugin's page events could add to
        an output in ways the key does not see."""
        self._outputs, self._templates, self._env = None, {}, env
        if not (self.config.enabled and self._cache.enabled and self._nav and _alone(config)):
            return
        if self._active_preview is not None:  # MkDocs renders only the pages that changed
            return
        site = page_outputs.site_state(config, self._nav, dict(self.config))
        self._outputs = PageOutputs(self._cache, site)
        for file in files.documentation_pages():
            page = file.page
            state = page_outputs.page_state(page, self._parked.get(file.src_uri)) if page else None
            if page is not None and state and self._outputs.plan(file.src_uri, state):
                self._templates[file.src_uri] = page.meta.get("template", "main.html")
                page.meta["template"] = page_outputs.TEMPLATE
        log.debug("Praxisatlas: %d Seiten fertig aus dem Cache", len(self._templates))
        if self._templates:
            loader = jinja2.DictLoader({page_outputs.TEMPLATE: page_outputs.TEMPLATE_SOURCE})
            env.loader = jinja2.ChoiceLoader([loader, *([env.loader] if env.loader else [])])

    # Last: the context as every other plugin left it.
    @event_priority(-100)
    def _cached_output(
        self, context: TemplateContext, /, *, page: Page, config: MkDocsConfig, nav: Navigation
    ) -> TemplateContext | None:
        template = self._templates.get(page.file.src_uri)
        if template is None or self._outputs is None or self._env is None:
            return None
        output = self._outputs.output(page.file.src_uri)
        if output is None:  # the entry was damaged: render the page as MkDocs would have
            self._unpark(page)
            output = self._env.get_template(template).render(context)
        context[page_outputs.CONTEXT_NAME] = markupsafe.Markup(output)  # type: ignore[literal-required]
        return context

    # Last: the output as every other plugin left it.
    @event_priority(-100)
    def on_post_page(self, output: str, /, *, page: Page, config: MkDocsConfig) -> str | None:
        if self._outputs is not None:
            self._outputs.store(page.file.src_uri, output)
        if page.file.src_uri in self._parked:  # rendered: its HTML is not needed again
            page.content = ""
        return None

    # First: the page's own Markdown, before any other plugin reads it.
    @event_priority(100)
    def _make_markdown(
        self, markdown: str, /, *, page: Page, config: MkDocsConfig, files: Files
    ) -> str | None:
        if not self.config.enabled or self.catalogue is None or self._site is None:
            return None
        if page.file.generated_by == "praxisatlas" and _alone(config):
            # Made from the catalogue and the settings only: converted before if what it
            # reads of them is unchanged, and then its Markdown is not made at all.
            origin = self._site.origin(page.file.src_uri) + "\0" + markdown
            if self._conversions.reuse(page.file.src_uri, origin):
                return ""
        if page.file.generated_by:
            body = self._site.page_body(page.file.src_uri)
            return None if body is None else markdown + body
        context = PageContext(self.catalogue, self.settings, dict(config.extra), page.file.src_uri)
        for page_filter in generators.PAGE_FILTERS:
            markdown = page_filter(markdown, context)
        return markdown

    # Last: what MkDocs converts, after every other plugin changed the Markdown.
    @event_priority(-100)
    def _prepare_conversion(
        self, markdown: str, /, *, page: Page, config: MkDocsConfig, files: Files
    ) -> str | None:
        if not self.config.enabled:
            return None
        ours = page.file.generated_by == "praxisatlas"
        return self._conversions.prepare(page.file.src_uri, markdown, cacheable=ours)

    on_page_markdown = CombinedEvent(_make_markdown, _prepare_conversion)

    # First: every other plugin sees the page's whole HTML.
    @event_priority(100)
    def _finish_content(
        self, html: str, /, *, page: Page, config: MkDocsConfig, files: Files
    ) -> str | None:
        if not self.config.enabled:
            return None
        if page.file.generated_by and is_case_page(page.file.src_uri):
            # The security boundary: the contributed body is cleaned before our own HTML
            # blocks go back in (a cached conversion was cleaned when it was stored).
            html = sanitise_case_html(html)
        try:
            html, cached = self._conversions.finish(page.file.src_uri, html, _facts(page))
        except ValueError as error:
            raise PluginError(f"Praxisatlas: {page.file.src_uri}: {error}") from None
        if cached is not None:  # MkDocs converted nothing: what it would have learnt
            _set_facts(page, cached)
        return neutralise_unsafe_links(html)

    # Last: a generated page's HTML waits on disk until the theme renders the page.
    @event_priority(-100)
    def _park_content(
        self, html: str, /, *, page: Page, config: MkDocsConfig, files: Files
    ) -> str | None:
        if self._spill is None or page.file.generated_by != "praxisatlas":
            return None
        self._parked[page.file.src_uri] = page_outputs.content_digest(html)
        self._spill.park(page.file.src_uri, html)
        # Converted: no one reads its Markdown or source again (no other plugin takes part).
        page.markdown = ""
        page.file.content_string = ""
        return ""

    on_page_content = CombinedEvent(_finish_content, _park_content)

    # First: every other plugin sees the page's whole HTML again.
    @event_priority(100)
    def _unpark_content(
        self, context: TemplateContext, /, *, page: Page, config: MkDocsConfig, nav: Navigation
    ) -> TemplateContext | None:
        # A page taken whole from the cache needs no HTML (unless its entry is damaged).
        if page.file.src_uri not in self._templates:
            self._unpark(page)
        if self._active_preview is not None and page.title is not None:
            self._active_preview.seen[page.file.src_uri] = (page.title, dict(page.meta))
        return None

    on_page_context = CombinedEvent(_unpark_content, _cached_output)

    def _unpark(self, page: Page) -> None:
        if self._spill is not None and page.file.src_uri in self._parked:
            page.content = self._spill.unpark(page.file.src_uri)

    def on_post_build(self, *, config: MkDocsConfig) -> None:
        if self._cache.enabled:
            log.debug("Praxisatlas-Cache: %d Treffer, %d neu", self._cache.hits, self._cache.misses)
        if self._preview is not None:
            self._preview.built()
        self._finish_build()

    def on_build_error(self, *, error: Exception) -> None:
        if self._preview is not None:
            self._preview.failed()
        self._finish_build()

    def _finish_build(self) -> None:
        self._cache.close()
        self._site = None
        self._outputs, self._templates, self._nav, self._env = None, {}, None, None
        if self._spill is not None:
            self._spill.close()
        self._spill, self._parked = None, {}

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
            if self.serving:
                catalogue = self._load_serving(docs_dir)
            else:
                catalogue = _load_catalogue(
                    self.cases_dir, self.vocabulary_path, self.settings.today, docs_dir, self._cache
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

    def _load_serving(self, docs_dir: Path) -> Catalogue:
        """Under `mkdocs serve`: re-read changed cases only; after a broken edit keep
        serving the last good catalogue (the problems go to the terminal) instead of
        failing the rebuild, which would leave the server waiting."""
        self._folder = CaseFolder.reused(
            self._folder, self.cases_dir, self.vocabulary_path, self.settings.today, docs_dir
        )
        try:
            catalogue = self._folder.load(self._cache)
        except CatalogueError as error:
            if self.catalogue is None:
                raise
            for problem in error.problems:
                log.error(str(problem))
            log.warning(
                "Praxisatlas: %d Problem(e) in den Fall-Dateien (siehe oben); die Vorschau "
                "zeigt weiter den letzten fehlerfreien Stand.",
                len(error.problems),
            )
            return self.catalogue
        for line in self._folder.reread_report(len(catalogue)):
            log.info(line)
        return catalogue

    def _check_config(self, config: MkDocsConfig) -> None:
        messages = generators.config_messages(dict(config.extra), self.settings)
        if messages and not self.settings.production:
            log.info(generators.config_summary(messages))
        if messages and self.settings.production:
            for message in messages:
                log.error(message)
            raise PluginError(
                f"Produktions-Build abgebrochen: {len(messages)} Angabe(n) in mkdocs.yml "
                "fehlen oder sind Platzhalter (siehe oben)."
            )

    def _add(self, files: Files, config: MkDocsConfig, planned: Planned, taken: set[str]) -> None:
        path = planned.path
        existing = files.get_file_from_path(path)
        if existing is not None and existing.generated_by is not None:
            raise PluginError(f"Praxisatlas: Datei '{path}' wird doppelt erzeugt")
        inclusion = InclusionLevel.UNDEFINED if planned.in_nav else InclusionLevel.NOT_IN_NAV
        source = self._on_disk(planned)
        if source is None:
            file = File.generated(config, path, content=planned.content, inclusion=inclusion)
        else:
            file = File.generated(config, path, abs_src_path=str(source), inclusion=inclusion)
        if existing is not None or file.dest_uri in taken:
            # A hand-written file with the same path or address wins over a generated one.
            log.info("Praxisatlas: '%s' liegt in docs/ und ersetzt die erzeugte Datei", path)
            self._page_keys.pop(path, None)
            return
        files.append(file)
        if planned.later and not planned.is_page and source is None:
            self._data_files[path] = file

    def _on_disk(self, planned: Planned) -> Path | None:
        """The file MkDocs reads a generated file from, if not from memory: under --dirty
        a page's source (see on_nav); a large data file parked on disk."""
        path, content = planned.path, planned.content
        if planned.is_page and self._active_preview is not None:
            origin = self._site.origin(path) if planned.later and self._site else ""
            source = self._active_preview.source(path, content)
            self._page_keys[path] = self._active_preview.source_key(path) + origin
            return source
        if self._spill is None or planned.is_page or (planned.later and planned.of_case):
            return None
        if planned.later:  # all but those of a single case: written there in on_env
            return self._spill.path(path)
        return self._spill.put(path, content) if len(content) >= _PARK_FROM else None
