"""Converting pages to HTML only once: generated HTML blocks and a cache of converted pages.

Before MkDocs converts a page, ``PageConversions.prepare`` takes the generated HTML blocks
out of its Markdown (see ``render.extract_html``). For a generated page it then looks up
the page's converted HTML in the cache, keyed by the Markdown exactly as MkDocs would
convert it, the Markdown configuration and the page's place in the site. On a hit,
MkDocs gets nothing to convert, and ``finish`` hands back the cached HTML together with
what MkDocs would have learnt from converting the page (``PageFacts``: its title, table of
contents and anchors), for the plugin to set on the page. On a miss, MkDocs converts the
whole page and ``finish`` stores the HTML and the facts, but only when the page holds no
link MkDocs would rewrite or check: such a page is simply converted anew in every build,
so MkDocs' link checks run every time.

Nothing here knows about MkDocs; the plugin calls ``prepare`` last among the Markdown
events and ``finish`` first among the content events.
"""

from __future__ import annotations

import json
import re
import types
from dataclasses import dataclass, field
from typing import Any

from praxisatlas.cache import ContentCache
from praxisatlas.website.render import (
    PORTABLE_MARK,
    extract_html,
    insert_html,
    local,
    portable,
    unwrap_html,
)

KIND = "seiten"

_LINK = re.compile(r"""\s(?:href|src)=(["'])(.*?)\1""")
_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")


def markdown_context(*settings: Any) -> str | None:
    """A stable text of the Markdown settings (extensions, their options, ...) for cache
    keys; functions (e.g. a ``slugify``) by their qualified name, which the package
    digest covers for our own. ``None`` (nothing is cached) when a setting holds another
    kind of object, whose options could not be told apart."""

    def name(value: Any) -> str:
        if isinstance(value, types.FunctionType | types.BuiltinFunctionType | type):
            return f"{value.__module__}.{value.__qualname__}"
        raise TypeError(type(value).__name__)

    try:
        return json.dumps(settings, sort_keys=True, default=name)
    except (TypeError, ValueError):
        return None


def _cacheable_links(html: str) -> bool:
    """Only absolute links and links to anchors: nothing MkDocs rewrites per site."""
    links = (m.group(2) for m in _LINK.finditer(html))
    return all(link.startswith("#") or _SCHEME.match(link) for link in links)


@dataclass(frozen=True)
class PageFacts:
    """What MkDocs learns from converting a page besides its HTML: the title (``None``
    when the page's metadata sets it), the table of contents as nested
    ``[title, id, level, children]`` lists, the ids that links may point to, and the
    page's links to its own anchors (anchor: link as written), which MkDocs checks after
    the build. A cacheable page links to no other page (see ``_cacheable_links``)."""

    title: str | None
    toc: list[Any]
    anchors: list[str]
    links: dict[str, str] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {
            "title": self.title,
            "toc": self.toc,
            "anchors": sorted(self.anchors),
            "links": self.links,
        }

    @classmethod
    def from_json(cls, data: Any) -> PageFacts | None:
        if not isinstance(data, dict):
            return None
        title, toc, anchors = data.get("title"), data.get("toc"), data.get("anchors")
        if not (title is None or isinstance(title, str)) or not isinstance(toc, list):
            return None
        if not _toc_ok(toc):
            return None
        if not isinstance(anchors, list) or not all(isinstance(a, str) for a in anchors):
            return None
        links = data.get("links")
        if not isinstance(links, dict) or not all(
            isinstance(k, str) and isinstance(v, str) for k, v in links.items()
        ):
            return None
        return cls(title, toc, anchors, links)


def _toc_ok(items: Any) -> bool:
    return isinstance(items, list) and all(
        isinstance(item, list)
        and len(item) == 4
        and isinstance(item[0], str)
        and isinstance(item[1], str)
        and isinstance(item[2], int)
        and _toc_ok(item[3])
        for item in items
    )


@dataclass
class _Pending:
    blocks: list[str]
    key: str | None = None
    cached: tuple[str, PageFacts] | None = None


@dataclass
class PageConversions:
    """Per build: the pages between ``prepare`` and ``finish``, and the cache they use.

    ``context`` is everything besides a page's Markdown that decides its HTML (the
    Markdown extensions and their options, the URL style); ``None`` caches nothing.
    """

    cache: ContentCache
    context: str | None
    _pending: dict[str, _Pending] = field(default_factory=dict)

    def prepare(self, src_uri: str, markdown: str, *, cacheable: bool) -> str:
        """The Markdown MkDocs should convert for the page ``src_uri``."""
        markdown, blocks = extract_html(markdown)
        pending = _Pending(blocks)
        usable = self.cache.enabled and self.context is not None
        if cacheable and usable and PORTABLE_MARK not in markdown:
            pending.key = self.cache.key(KIND, self.context or "", src_uri, portable(markdown))
            pending.cached = self._load(pending.key)
            if pending.cached is not None:
                markdown = ""
        if blocks or pending.key:
            self._pending[src_uri] = pending
        return markdown

    def finish(self, src_uri: str, html: str, facts: PageFacts) -> tuple[str, PageFacts | None]:
        """The page's HTML, with the HTML blocks back in, and the facts to set on the page
        when they come from the cache (``None``: MkDocs converted the page itself).
        ``facts`` are what MkDocs made of the page just now."""
        pending = self._pending.pop(src_uri, None)
        cached: PageFacts | None = None
        if pending is not None:
            if pending.cached is not None:
                html, cached = pending.cached
            elif pending.key is not None:
                self._store(pending.key, html, facts)
            if pending.blocks:
                html = insert_html(html, pending.blocks)
        return unwrap_html(html), cached

    def _load(self, key: str) -> tuple[str, PageFacts] | None:
        payload = self.cache.get(KIND, key)
        if payload is None:
            return None
        try:
            entry = json.loads(payload.decode("utf-8", "surrogatepass"))
        except ValueError:
            return None
        if not isinstance(entry, dict) or not isinstance(entry.get("html"), str):
            return None
        facts = PageFacts.from_json(entry.get("facts"))
        return None if facts is None else (local(entry["html"]), facts)

    def _store(self, key: str, html: str, facts: PageFacts) -> None:
        if PORTABLE_MARK in html or not _cacheable_links(html):
            return
        entry = {"html": portable(html), "facts": facts.to_json()}
        data = json.dumps(entry, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
        self.cache.put(KIND, key, data.encode("utf-8", "surrogatepass"))
