"""Finished pages from the cache: a page whose theme output cannot have changed is not
rendered through the theme again.

With thousands of case pages, rendering every page through the theme's templates is the
largest cost of a build in which little or nothing changed. ``PageOutputs`` keys a
page's finished HTML by everything the theme reads to render it: the site (``site``, see
``site_digest``: the versions the cache already covers, the configuration, the
navigation, the theme's own files outside installed packages) and the page itself (its
address, title, metadata, table of contents, HTML content and neighbours, as the plugin
reads them from MkDocs). A page whose key is in the cache takes its stored output; every
other page is rendered as usual and stored afterwards.

Nothing here imports MkDocs: ``site_state`` and ``page_state`` read the public
attributes of MkDocs' configuration, navigation and page objects handed in by the plugin.
"""

from __future__ import annotations

import hashlib
import json
import types
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from praxisatlas.cache import ContentCache

KIND = "ausgabe"
# A page taken from the cache is "rendered" by this template: its stored output.
TEMPLATE = "praxisatlas/ausgabe.html"
TEMPLATE_SOURCE = "{{ praxisatlas_ausgabe }}"
CONTEXT_NAME = "praxisatlas_ausgabe"


def stable_text(value: Any) -> str:
    """A text of ``value`` that is the same in every process for equal values: sets
    sorted, functions by qualified name, other objects by ``repr`` (an object whose repr
    differs between processes only makes its pages miss the cache, never hit wrongly)."""

    def name(obj: Any) -> Any:
        if isinstance(obj, set | frozenset):
            return sorted(stable_text(item) for item in obj)
        if isinstance(obj, types.FunctionType | types.BuiltinFunctionType | type):
            return f"{obj.__module__}.{obj.__qualname__}"
        return f"{type(obj).__module__}.{type(obj).__qualname__}:{obj!r}"

    return json.dumps(value, sort_keys=True, ensure_ascii=False, default=name)


def directories_digest(directories: Iterable[str | Path]) -> str:
    """A digest of every file below ``directories`` that does not belong to an installed
    package (a package's files are covered by its version in the cache version)."""
    digest = hashlib.sha256()
    for directory in directories:
        root = Path(directory)
        if {"site-packages", "dist-packages"} & set(root.parts) or not root.is_dir():
            continue
        digest.update(str(root).encode("utf-8", "surrogatepass"))
        for path in sorted(root.rglob("*")):
            if path.is_file():
                digest.update(path.relative_to(root).as_posix().encode("utf-8", "surrogatepass"))
                digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def site_digest(*parts: Any) -> str:
    """The site's part of every page key, from stable texts of ``parts``."""
    return hashlib.sha256(stable_text(parts).encode("utf-8", "surrogatepass")).hexdigest()


def content_digest(html: str | None) -> str:
    return hashlib.sha256((html or "").encode("utf-8", "surrogatepass")).hexdigest()


# Configuration entries that decide nothing in a page's output (paths of this checkout,
# the server address, the plugins, which are checked separately).
_NOT_IN_OUTPUT = {"config_file_path", "docs_dir", "site_dir", "dev_addr", "plugins", "watch"}


def site_state(config: Any, nav: Any, options: dict[str, Any]) -> str:
    """What every page's theme output depends on besides the page."""
    settings = {key: value for key, value in config.items() if key not in _NOT_IN_OUTPUT}
    theme = config.theme  # its repr holds a set, in an order that differs per process
    settings["theme"] = [theme.name, theme.dirs, theme.static_templates, dict(theme.items())]
    return site_digest(
        settings,
        options,
        directories_digest(config.theme.dirs),
        _nav_state(nav.items),
        _link(nav.homepage),
    )


def _nav_state(items: list[Any]) -> list[Any]:
    return [
        [
            type(item).__name__,
            item.title,
            getattr(item, "url", None),
            _nav_state(item.children or []),
        ]
        for item in items
    ]


def _link(page: Any) -> list[Any] | None:
    return None if page is None else [page.title, page.url]


def toc_state(items: Any) -> list[Any]:
    return [[item.title, item.id, item.level, toc_state(item.children)] for item in items]


def page_state(page: Any, digest: str | None) -> dict[str, Any]:
    """What the theme reads of ``page`` to render it; ``digest``: of the page's HTML
    when it is parked on disk (see ``spill``)."""
    return {
        "src": page.file.src_uri,
        "dest": page.file.dest_uri,
        "url": page.url,
        "canonical": page.canonical_url,
        "edit": page.edit_url,
        "home": page.is_homepage,
        "title": page.title,
        "meta": page.meta,
        "toc": toc_state(page.toc),
        "content": digest or content_digest(page.content),
        "previous": _link(page.previous_page),
        "next": _link(page.next_page),
        "ancestors": [ancestor.title for ancestor in page.ancestors],
    }


@dataclass
class PageOutputs:
    """One build's page keys: ``plan`` before the pages are rendered, ``output`` for a
    page taken from the cache, ``store`` after a page was rendered by the theme."""

    cache: ContentCache
    site: str
    _keys: dict[str, str] = field(default_factory=dict)
    _hits: set[str] = field(default_factory=set)

    def plan(self, src_uri: str, state: Mapping[str, Any]) -> bool:
        """Note the page's key; whether its output is (presumably) in the cache."""
        key = self.cache.key(KIND, self.site, stable_text(state))
        self._keys[src_uri] = key
        if self.cache.contains(KIND, key):
            self._hits.add(src_uri)
            return True
        return False

    def output(self, src_uri: str) -> str | None:
        """The stored output of a page ``plan`` found, or ``None`` (then render it)."""
        if src_uri not in self._hits:
            return None
        payload = self.cache.get(KIND, self._keys[src_uri])
        if payload is None:  # damaged since: rendered and stored again
            self._hits.discard(src_uri)
            return None
        return payload.decode("utf-8", "surrogatepass")

    def store(self, src_uri: str, output: str) -> None:
        """Keep a rendered page's output (nothing to do for a page from the cache)."""
        key = self._keys.pop(src_uri, None)
        if key is not None and src_uri not in self._hits:
            self.cache.put(KIND, key, output.encode("utf-8", "surrogatepass"))
