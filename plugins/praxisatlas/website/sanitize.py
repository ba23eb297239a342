"""The security boundary for contributed text: an allow-list sanitiser on rendered HTML.

The validator rejects raw HTML, script URLs and the like with friendly messages, but it
does so by predicting how Python-Markdown parses a body, and a parser can always be read
differently. So whatever Markdown made of a case page is cleaned with ``nh3`` (the Rust
``ammonia`` sanitiser, an HTML5 parser): only the elements and attributes Markdown
produces for the syntax we allow survive, links only to ``http:``, ``https:``,
``mailto:`` or relative targets. The fact box and other blocks our own templates write
are not Markdown output: they are inserted after cleaning (see ``render.insert_html``).

``neutralise_unsafe_links`` stays as a last line of defence for every page (hand-written
pages may hold HTML on purpose).
"""

from __future__ import annotations

import html
import re
import secrets

import nh3

# The secret in every marker of generated Markdown (here and in ``render``), so text in a
# case body can never forge one. One per process: ``render.portable`` replaces it in
# cache keys and entries, so markers of every kind must share it.
PROCESS_SECRET = secrets.token_hex(12)

# What Python-Markdown writes for the syntax MkDocs enables (core, toc, tables,
# fenced_code, admonition): nothing that loads, embeds, styles freely or runs anything.
_TAGS = {
    "p", "br", "hr", "em", "strong", "code", "pre", "blockquote",
    "ul", "ol", "li", "a", "h1", "h2", "h3", "h4", "h5", "h6",
    "table", "thead", "tbody", "tr", "th", "td", "div",
}  # fmt: skip
_ATTRIBUTES: dict[str, set[str]] = {
    "a": {"href", "title", "class"},  # class: the heading permalinks (toc)
    **{f"h{level}": {"id"} for level in range(1, 7)},
    "code": {"class"},  # language-… of fenced code
    "div": {"class"},  # admonition
    "p": {"class"},  # admonition-title
    "ol": {"start"},
}
# Column alignment of tables, exactly as the tables extension writes it.
_ALIGN = {f"text-align: {side};" for side in ("left", "center", "right")}
_VALUES = {"th": {"style": _ALIGN}, "td": {"style": _ALIGN}}
_SCHEMES = {"http", "https", "mailto"}

_CLEANER = nh3.Cleaner(
    tags=_TAGS,
    attributes=_ATTRIBUTES,
    tag_attribute_values=_VALUES,
    url_schemes=_SCHEMES,
    clean_content_tags={"script", "style"},
    link_rel=None,
    strip_comments=True,
)
# The HTML5 serialiser writes void elements, no-break spaces and the permalink sign
# (toc's "&para;") differently from Python-Markdown; written back as Python-Markdown
# writes them, a page that needed no cleaning keeps its exact bytes.
_VOID = re.compile(r"<(br|hr)>")


def sanitise_markdown_html(markdown_html: str) -> str:
    """``markdown_html`` (what Python-Markdown made of a page) reduced to the allow-list."""
    cleaned = _CLEANER.clean(markdown_html)
    cleaned = _VOID.sub(r"<\1 />", cleaned)
    return cleaned.replace("&nbsp;", "\u00a0").replace("\u00b6", "&para;")


def is_case_page(src_uri: str) -> bool:
    """Whether a generated page holds a contributed case body (``faelle/<id>.md``)."""
    return src_uri.startswith("faelle/") and src_uri.count("/") == 1


# Paragraphs around the case body in a case page's Markdown, so that exactly the body's
# HTML is cleaned (the title and headings our templates write stay as written). The
# per-process secret keeps a body from forging them.
_NONCE = PROCESS_SECRET
_BODY_START = f"praxisatlas-fall-{_NONCE}-anfang"
_BODY_END = f"praxisatlas-fall-{_NONCE}-ende"


def mark_body(body: str) -> str:
    """The case body's Markdown between two marker paragraphs (see ``sanitise_case_html``)."""
    return f"\n{_BODY_START}\n\n{body.strip(chr(10))}\n\n{_BODY_END}\n\n"


def sanitise_case_html(page_html: str) -> str:
    """A case page's Markdown output with the body between the markers cleaned.

    When Markdown did not keep the markers as paragraphs of their own (a body that ends
    in an unclosed construct), everything Markdown made of the page is cleaned instead.
    """
    start, end = f"<p>{_BODY_START}</p>\n", f"<p>{_BODY_END}</p>\n"
    first = page_html.find(start)
    last = page_html.find(end)
    if (
        first == -1
        or last < first
        or page_html.count(_BODY_START) != 1
        or page_html.count(_BODY_END) != 1
    ):
        cleaned = sanitise_markdown_html(page_html)
        return cleaned.replace(_BODY_START, "").replace(_BODY_END, "")
    body = page_html[first + len(start) : last]
    return page_html[:first] + sanitise_markdown_html(body) + page_html[last + len(end) :]


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
