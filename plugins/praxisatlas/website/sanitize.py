"""Last line of defence for links in rendered case bodies.

The validator rejects raw HTML in case bodies, but Markdown itself can carry a
``javascript:`` link (``[x](javascript:…)``), which Python-Markdown passes through.
Every ``href``/``src`` whose scheme is not a web, mail or phone scheme becomes ``#``.
"""

from __future__ import annotations

import html
import re

# Values that are plainly web links or relative paths are skipped by the lookahead, so
# the Python check runs only for the few others (a page has hundreds of links).
_ATTRIBUTE = re.compile(
    r"""(\s(?:href|src|action|formaction|xlink:href)\s*=\s*)(["'])"""
    r"""(?!https?://|mailto:|tel:|#|\.\./|\./)(.*?)\2""",
    re.I,
)
_SCHEME = re.compile(r"^([a-z][a-z0-9+.\-]*):", re.I)
_ALLOWED = {"http", "https", "mailto", "tel"}
_IGNORED = re.compile(r"[\x00-\x20\x7f]+")


def _check(match: re.Match[str]) -> str:
    value = _IGNORED.sub("", html.unescape(match.group(3)))
    scheme = _SCHEME.match(value)
    if scheme is None or scheme.group(1).lower() in _ALLOWED:
        return match.group(0)
    return f"{match.group(1)}{match.group(2)}#{match.group(2)}"


def neutralise_unsafe_links(page_html: str) -> str:
    """``page_html`` with every link to a non-web scheme (``javascript:``, ``data:``…) removed."""
    return _ATTRIBUTE.sub(_check, page_html)
