"""Rendering helpers: the Jinja environment, safe front matter, relative URLs.

Contributed text reaches a generated page only through these helpers: HTML blocks are
rendered with autoescape, text inside Markdown syntax (headings) is entity-escaped so it
can neither form Markdown nor HTML, and front matter is written by us
(``output.page_front_matter``) from validated fields only (a case can never set
``template``, ``hide``, ``search``, … itself).
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any

from jinja2 import Environment
from markupsafe import Markup

from praxisatlas import text_de
from praxisatlas.output import template_environment
from praxisatlas.website.sanitize import PROCESS_SECRET

# ASCII characters with a meaning in Markdown (inline or at a line start) or HTML.
_MD_SPECIAL = re.compile(r"[\\`*_{}\[\]()#+!|~^=:<>&\"'$]")

# Python-Markdown tokenises every tag of a raw HTML block (most of the build time of
# index pages at 10,000 cases). A comment is one token, so generated HTML blocks travel
# through Markdown inside a comment and are unwrapped after rendering. The marker holds
# the per-process secret, so text in a case body can never forge it.
_NONCE = PROCESS_SECRET
_OPEN = f"<!--praxisatlas-html-{_NONCE}\n"
_CLOSE = f"\npraxisatlas-html-{_NONCE}-->"


def md_text(text: str) -> Markup:
    """Text for a Markdown context (e.g. a heading): punctuation becomes entities."""
    return Markup(_MD_SPECIAL.sub(lambda m: f"&#{ord(m.group())};", " ".join(text.split())))


def rel_url(target: str, page_url: str) -> str:
    """Relative link from the page at ``page_url`` (e.g. ``faelle/x/``) to ``target``.

    Both are site-relative URLs as MkDocs builds them with ``use_directory_urls``
    (pages end in ``/``); raw HTML links are not rewritten by MkDocs, so we do it.
    """
    prefix = "../" * page_url.count("/")
    return (prefix + target) or "./"


def safe_url(url: str) -> str:
    """``url`` if it is a web, mail or phone address, else ``#`` (never ``javascript:``)."""
    lowered = url.strip().lower()
    if lowered.startswith(("https://", "http://", "mailto:", "tel:")):
        return url.strip()
    return "#"


@cache
def environment() -> Environment:
    """The Jinja environment for site pages (templates compiled once per process)."""
    env = template_environment("praxisatlas.website", "templates")
    env.filters.update(
        md=md_text,
        url=safe_url,
        rel=rel_url,
        date=text_de.date,
        number=text_de.number,
        cases=text_de.count,
        noun=lambda count, singular, plural: text_de.noun(count, (singular, plural)),
    )
    return env


def _protect_block(block: str) -> str:
    if not block.startswith("<") or "-->" in block:
        return block
    content = block.rstrip("\n")
    return f"{_OPEN}{content}{_CLOSE}" + block[len(content) :]


def protect_html(markdown: str) -> str:
    """Wrap each HTML block (a paragraph starting with ``<``) so Markdown skips it."""
    return "\n\n".join(_protect_block(block) for block in markdown.split("\n\n"))


def extract_html(markdown: str) -> tuple[str, list[str]]:
    """Take the protected HTML blocks out of ``markdown`` before MkDocs converts it.

    Each block becomes a one-word placeholder paragraph, and ``insert_html`` puts it back
    into the converted page. Even as a comment, every raw HTML block costs Python-Markdown
    about 0.1 ms (HTML parser, stash, post-processor): a quarter of a case page's
    conversion time.
    """
    if _OPEN not in markdown:
        return markdown, []
    parts: list[str] = []
    blocks: list[str] = []
    position = 0
    while (start := markdown.find(_OPEN, position)) != -1:
        end = markdown.find(_CLOSE, start)
        if end == -1:
            break
        parts.append(markdown[position:start])
        parts.append(_placeholder(len(blocks)))
        blocks.append(markdown[start + len(_OPEN) : end])
        position = end + len(_CLOSE)
    parts.append(markdown[position:])
    return "".join(parts), blocks


def insert_html(page_html: str, blocks: list[str]) -> str:
    """Undo ``extract_html`` in the converted page (every placeholder must be found)."""
    for index, block in enumerate(blocks):
        token = _placeholder(index)
        paragraph = f"<p>{token}</p>"
        if paragraph in page_html:
            page_html = page_html.replace(paragraph, block, 1)
        elif token in page_html:
            page_html = page_html.replace(token, block, 1)
        else:
            raise ValueError(f"HTML-Block {index} nicht mehr auffindbar")
    return page_html


def _placeholder(index: int) -> str:
    return f"praxisatlas-html-{_NONCE}-{index}"


def unwrap_html(page_html: str) -> str:
    """Undo ``protect_html`` in the HTML MkDocs rendered from a generated page."""
    if _OPEN not in page_html:
        return page_html
    return page_html.replace(_OPEN, "").replace(_CLOSE, "")


# Stands for this process's marker in text that outlives the process (the cache): Python-
# Markdown drops STX from any text it converts, and text holding one is never cached.
PORTABLE_MARK = "\x02"


def portable(text: str) -> str:
    """``text`` with this process's marker replaced by ``PORTABLE_MARK`` (see ``local``)."""
    return text.replace(_NONCE, PORTABLE_MARK)


def local(text: str) -> str:
    """Undo ``portable`` in this process."""
    return text.replace(PORTABLE_MARK, _NONCE)


def render(template: str, **context: Any) -> str:
    """Render a site template to Markdown with protected HTML blocks."""
    return protect_html(environment().get_template(template).render(**context))
