"""Where a relative link in a case body may lead: other cases and pages of the site."""

from __future__ import annotations

import posixpath
import urllib.parse

from praxisatlas.cases.check_context import Context, hint

# Pages the site always generates (besides case pages and hand-written pages): relative
# links in case bodies may point to them. Kept in step with website/ by a build test.
GENERATED_PAGES = frozenset(
    {
        "katalog/index.md",
        "katalog/vergleich/index.md",
        "themen/index.md",
        "laender/index.md",
        "kreise/index.md",
        "status/index.md",
        "jahre/index.md",
        "kreistypen/index.md",
        "groessen/index.md",
        "statistik/index.md",
        "karte/index.md",
        "daten/index.md",
        "mitmachen/index.md",
    }
)
# The folder case pages are generated in: a body's relative links start from there.
CASE_PAGES = "faelle"
_ALLOWED = (
    "erlaubt sind Links auf andere Fälle (anderer-fall.md) und Seiten der Website "
    "(z. B. ../themen/index.md, ../ueber.md)"
)


def relative_link_problem(target: str, ctx: Context) -> str | None:
    """Why a relative link (or image) target in the body leads nowhere on the site.

    Allowed: other cases (``anderer-fall.md``), the pages the site always generates
    (``../themen/index.md``, ``../themen/<thema>.md``) and
    hand-written pages (``../ueber.md``), each with an optional ``#anker``.
    """
    words = target.strip().lstrip("<").split()
    target = words[0] if words else ""
    if not target or target.startswith("#"):
        return None
    if target.startswith("//"):
        return (
            f"Der Link '{target}' hat kein http:// oder https://; bitte die vollständige "
            "Adresse angeben"
        )
    path = urllib.parse.unquote(target.split("#", 1)[0].split("?", 1)[0])
    if path.startswith("/") or "\\" in path:
        return f"Absolute Pfade wie '{target}' sind nicht erlaubt; {_ALLOWED}"
    resolved = posixpath.normpath(posixpath.join(CASE_PAGES, path))
    if resolved == ".." or resolved.startswith("../"):
        return f"Der Link '{target}' zeigt aus der Website hinaus; {_ALLOWED}"
    if not resolved.endswith(".md"):
        return f"Der Link '{target}' zeigt auf keine Seite der Website; {_ALLOWED}"
    if resolved.startswith(CASE_PAGES + "/"):
        return _case_link_problem(target, resolved[len(CASE_PAGES) + 1 : -3], ctx)
    if _site_page_exists(resolved, ctx):
        return None
    return f"Der Link '{target}' zeigt auf keine Seite der Website; {_ALLOWED}"


def _case_link_problem(target: str, case_id: str, ctx: Context) -> str | None:
    known = ctx.known_ids
    if "/" in case_id or (known is not None and case_id not in known):
        return (
            f"Der Link '{target}' zeigt auf keinen Fall: es gibt keine Datei "
            f"cases/{case_id}.md{hint(case_id, known or ())}"
        )
    return None


def _site_page_exists(resolved: str, ctx: Context) -> bool:
    if resolved in GENERATED_PAGES:
        return True
    folder, _, name = resolved.partition("/")
    if folder == "themen" and name.removesuffix(".md") in ctx.vocabulary.active_slugs():
        return True  # every topic in use has its page
    pages = ctx.site_pages
    return pages is None or resolved in pages
