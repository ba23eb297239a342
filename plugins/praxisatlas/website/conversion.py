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

A page the plugin generates is made from the catalogue and the settings alone, so it is
the same page whenever what it reads of those is (its ``origin``, a digest the plugin
passes to ``reuse``). Its conversion key and HTML blocks are also stored by its origin:
in a build where the origin is found, the page's Markdown is not made at all.

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
from praxisatlas.output import compact_json
from praxisatlas.website.render import (
    PORTABLE_MARK,
    extract_html,
    insert_html,
    local,
    portable,
    unwrap_html,
)

KIND = "seiten"
ORIGIN_KIND = "seitenherkunft"

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
    origin: str | None = None  # see ``reuse``
    reused: bool = False  # found by its origin: its Markdown was never made


@dataclass
class PageConversions:
    """Per build: the pages between ``prepare`` and ``finish``, and the cache they use.

    ``context`` is everything besides a page's Markdown that decides its HTML (the
    Markdown extensions and their options, the URL style); ``None`` caches nothing.
    """

    cache: ContentCache
    context: str | None
    _pending: dict[str, _Pending] = field(default_factory=dict)
    _origins: dict[str, str] = field(default_factory=dict)  # not found by ``reuse``

    def reuse(self, src_uri: str, origin: str) -> bool:
        """Whether the page ``src_uri`` made from ``origin`` was converted before and its
        HTML is in the cache; then its Markdown need not be made (``prepare`` gets '').
        Otherwise the page is stored by its origin once converted."""
        if not self.cache.enabled or self.context is None:
            return False
        self._origins[src_uri] = origin
        entry = _json_entry(self.cache.get(ORIGIN_KIND, self._origin_key(src_uri, origin)))
        if entry is None:
            return False
        key, blocks = entry.get("key"), entry.get("blocks")
        if not isinstance(key, str) or not isinstance(blocks, list):
            return False
        if not all(isinstance(block, str) for block in blocks):
            return False
        cached = self._load(key)
        if cached is None:
            return False
        del self._origins[src_uri]
        self._pending[src_uri] = _Pending([local(b) for b in blocks], key, cached, reused=True)
        return True

    def prepare(self, src_uri: str, markdown: str, *, cacheable: bool) -> str:
        """The Markdown MkDocs should convert for the page ``src_uri``."""
        origin = self._origins.pop(src_uri, None)
        reused = self._pending.get(src_uri)
        if reused is not None and reused.reused:
            return ""
        markdown, blocks = extract_html(markdown)
        pending = _Pending(blocks)
        usable = self.cache.enabled and self.context is not None
        if cacheable and usable and PORTABLE_MARK not in markdown:
            pending.key = self.cache.key(KIND, self.context or "", src_uri, portable(markdown))
            pending.cached = self._load(pending.key)
            pending.origin = origin
            if pending.cached is not None:
                markdown = ""
        if blocks or pending.key:
            self._pending[src_uri] = pending
        return markdown

    def _origin_key(self, src_uri: str, origin: str) -> str:
        return self.cache.key(ORIGIN_KIND, self.context or "", src_uri, origin)

    def finish(self, src_uri: str, html: str, facts: PageFacts) -> tuple[str, PageFacts | None]:
        """The page's HTML, with the HTML blocks back in, and the facts to set on the page
        when they come from the cache (``None``: MkDocs converted the page itself).
        ``facts`` are what MkDocs made of the page just now."""
        pending = self._pending.pop(src_uri, None)
        cached: PageFacts | None = None
        if pending is not None:
            in_cache = pending.cached is not None
            if pending.cached is not None:
                html, cached = pending.cached
            elif pending.key is not None:
                in_cache = self._store(pending.key, html, facts)
            if in_cache and pending.origin is not None:
                self._store_origin(src_uri, pending)
            if pending.blocks:
                html = insert_html(html, pending.blocks)
        return unwrap_html(html), cached

    def _store_origin(self, src_uri: str, pending: _Pending) -> None:
        if pending.origin is None or any(PORTABLE_MARK in block for block in pending.blocks):
            return
        entry = {"key": pending.key, "blocks": [portable(block) for block in pending.blocks]}
        self.cache.put(ORIGIN_KIND, self._origin_key(src_uri, pending.origin), _compact_json(entry))

    def _load(self, key: str) -> tuple[str, PageFacts] | None:
        entry = _json_entry(self.cache.get(KIND, key))
        if entry is None or not isinstance(entry.get("html"), str):
            return None
        facts = PageFacts.from_json(entry.get("facts"))
        return None if facts is None else (local(entry["html"]), facts)

    def _store(self, key: str, html: str, facts: PageFacts) -> bool:
        """Keep a converted page; whether it could be kept."""
        if PORTABLE_MARK in html or not _cacheable_links(html):
            return False
        entry = {"html": portable(html), "facts": facts.to_json()}
        self.cache.put(KIND, key, _compact_json(entry))
        return True


def _json_entry(payload: bytes | None) -> dict[str, Any] | None:
    """A cache entry holding a JSON object, else ``None``."""
    if payload is None:
        return None
    try:
        entry = json.loads(payload.decode("utf-8", "surrogatepass"))
    except ValueError:
        return None
    return entry if isinstance(entry, dict) else None


def _compact_json(entry: dict[str, Any]) -> bytes:
    return compact_json(entry).encode("utf-8", "surrogatepass")
