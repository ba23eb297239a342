"""Converting pages to HTML only once: generated HTML blocks and a cache of converted pages.

Before MkDocs converts a page, ``PageConversions.prepare`` takes the generated HTML blocks
out of its Markdown (see ``render.extract_html``). For a generated page it then looks up
the page's converted HTML in the cache, keyed by the Markdown exactly as MkDocs would
convert it, the Markdown configuration and the page's place in the site. On a hit,
MkDocs gets only the page's *headings* to convert (its "skeleton"), which yields the same
title, table of contents and anchors at a fraction of the cost, and ``finish`` swaps in
the cached HTML. On a miss, MkDocs converts the whole page and ``finish`` stores the
result, but only after checking that the skeleton gives exactly the headings and anchors
of the whole page and that the page holds no link MkDocs would rewrite or check: such a
page is simply converted anew in every build.

Nothing here knows about MkDocs; the plugin calls ``prepare`` last among the Markdown
events and ``finish`` first among the content events.
"""

from __future__ import annotations

import json
import re
import types
from collections.abc import Callable
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

_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_ATX_HEADING = re.compile(r"^ {0,3}#{1,6}(?:[ \t]|$)")
_HEADING = re.compile(r"<h([1-6])\b[^>]*>.*?</h\1>", re.DOTALL)
_ID = re.compile(r"""\sid=(["'])(.*?)\1""")
_LINK = re.compile(r"""\s(?:href|src)=(["'])(.*?)\1""")
_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")
# A heading line of plain text (entities allowed): no Markdown syntax whose result could
# depend on the rest of the page (reference links, footnotes, attribute lists, HTML).
_PLAIN_HEADING = re.compile(r"^ {0,3}(#{1,6})[ \t]+([^\[\]<>`*_{}\\!|~^=:$]*?)(?:[ \t]+#+)?[ \t]*$")
_HEADING_PARTS = re.compile(
    r"<h([1-6]) id=\"([^\"]*)\">([^<]*)"
    r"(?:<a class=\"headerlink\" href=\"#\2\"[^>]*>[^<]*</a>)?</h\1>"
)


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


def skeleton(markdown: str) -> str:
    """The ATX headings of ``markdown`` (outside fenced code), one paragraph each."""
    headings: list[str] = []
    fence = ""
    for line in markdown.splitlines():
        opened = _FENCE.match(line)
        if fence:
            if opened and opened.group(1)[0] == fence[0] and len(opened.group(1)) >= len(fence):
                fence = ""
        elif opened:
            fence = opened.group(1)
        elif _ATX_HEADING.match(line):
            headings.append(line.strip())
    return "\n\n".join(headings) + "\n"


def _shape(html: str) -> tuple[bool, list[str], list[str], list[str]]:
    """What MkDocs derives from a converted page besides its HTML: whether it opens with
    its title (h1), its headings, every element id (anchors) and its links to anchors."""
    links = [m.group(2) for m in _LINK.finditer(html)]
    return (
        html.lstrip().startswith("<h1"),
        [m.group(0) for m in _HEADING.finditer(html)],
        sorted(m.group(2) for m in _ID.finditer(html)),
        sorted(link for link in links if link.startswith("#")),
    )


def _plain_skeleton_matches(outline: str, html: str) -> bool:
    """Whether the skeleton of plain-text headings gives exactly the page's headings,
    decided without converting it: same levels and texts in the same order, no other
    element id (so Markdown derives the same ids), no anchor link but the headings'
    own, the title first exactly when the page starts with it. False means: check by
    converting (``convert_plain``), not: different."""
    lines = [_PLAIN_HEADING.match(line) for line in outline.split("\n\n") if line.strip()]
    if not all(lines):
        return False
    headings = [m.group(0) for m in _HEADING.finditer(html)]
    parts = [_HEADING_PARTS.fullmatch(h) for h in headings]
    if len(parts) != len(lines) or not all(parts):
        return False
    for line, part in zip(lines, parts, strict=True):
        assert line is not None and part is not None
        if len(line.group(1)) != int(part.group(1)) or line.group(2).strip() != part.group(3):
            return False
    ids = sorted(m.group(2) for m in _ID.finditer(html))
    if ids != sorted(part.group(2) for part in parts if part is not None):
        return False
    anchors = [link for link in (m.group(2) for m in _LINK.finditer(html)) if link.startswith("#")]
    if len(anchors) != html.count('<a class="headerlink" href="#'):
        return False
    return html.lstrip().startswith("<h1") == outline.startswith("# ")


def _cacheable_links(html: str) -> bool:
    """Only absolute links and links to anchors: nothing MkDocs rewrites per site."""
    links = (m.group(2) for m in _LINK.finditer(html))
    return all(link.startswith("#") or _SCHEME.match(link) for link in links)


@dataclass
class _Pending:
    blocks: list[str]
    key: str | None = None
    markdown: str = ""
    cached_html: str | None = None


@dataclass
class PageConversions:
    """Per build: the pages between ``prepare`` and ``finish``, and the cache they use.

    ``context`` is everything besides a page's Markdown that decides its HTML (the
    Markdown extensions and their options, the URL style); ``convert_plain`` converts
    Markdown as MkDocs does, without MkDocs' link handling (used to check skeletons).
    Without ``convert_plain`` nothing is cached.
    """

    cache: ContentCache
    context: str
    convert_plain: Callable[[str], str] | None = None
    _pending: dict[str, _Pending] = field(default_factory=dict)

    def prepare(self, src_uri: str, markdown: str, *, cacheable: bool) -> str:
        """The Markdown MkDocs should convert for the page ``src_uri``."""
        markdown, blocks = extract_html(markdown)
        pending = _Pending(blocks)
        usable = self.cache.enabled and self.convert_plain is not None
        if cacheable and usable and PORTABLE_MARK not in markdown:
            pending.key = self.cache.key(KIND, self.context, src_uri, portable(markdown))
            entry = self._load(pending.key)
            if entry is not None:
                pending.cached_html = local(entry["html"])
                markdown = entry["skeleton"]
            else:
                pending.markdown = markdown
        if blocks or pending.key:
            self._pending[src_uri] = pending
        return markdown

    def finish(self, src_uri: str, html: str) -> str:
        """The page's HTML: from the cache (on a hit), with the HTML blocks back in."""
        pending = self._pending.pop(src_uri, None)
        if pending is not None:
            if pending.cached_html is not None:
                html = pending.cached_html
            elif pending.key is not None:
                self._store(pending, html)
            if pending.blocks:
                html = insert_html(html, pending.blocks)
        return unwrap_html(html)

    def _load(self, key: str) -> dict[str, str] | None:
        payload = self.cache.get(KIND, key)
        if payload is None:
            return None
        try:
            entry = json.loads(payload.decode("utf-8"))
        except ValueError:
            return None
        if (
            not isinstance(entry, dict)
            or not isinstance(entry.get("html"), str)
            or not isinstance(entry.get("skeleton"), str)
        ):
            return None
        return entry

    def _store(self, pending: _Pending, html: str) -> None:
        assert self.convert_plain is not None and pending.key is not None
        if PORTABLE_MARK in html or not _cacheable_links(html):
            return
        outline = skeleton(pending.markdown)
        if not _plain_skeleton_matches(outline, html) and (
            _shape(self.convert_plain(outline)) != _shape(html)
        ):
            return
        entry = {"html": portable(html), "skeleton": outline}
        data = json.dumps(entry, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
        self.cache.put(KIND, pending.key, data.encode("utf-8", "surrogatepass"))
