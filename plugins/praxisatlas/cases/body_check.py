"""Case bodies: a model of how Python-Markdown reads them, and what it must not find.

``check_body`` returns ``(line, message)`` for everything in a body the site must not
render: raw HTML that would run or load something, unsafe link schemes, attribute lists,
emoji shortcodes, images, relative links that lead nowhere (judged by the caller's
``LinkCheck``), and missing, doubled or misordered sections. The validator reports them
under the field ``body``.
"""

from __future__ import annotations

import bisect
import html
import re
from collections.abc import Callable

from markdown.extensions.attr_list import get_attrs_and_remainder
from markdown.extensions.fenced_code import FencedBlockPreprocessor

from praxisatlas.cases import hints
from praxisatlas.cases.schema import BODY_SECTIONS

# MkDocs renders bodies with Python-Markdown and always with fenced_code, so text counts
# as code exactly where Python-Markdown takes it as code: fenced blocks (found with
# fenced_code's own pattern), indented blocks outside lists, and inline code spans.
# Everything else is checked for HTML, attribute lists, images, script URLs and links.
#   * Python-Markdown's raw-HTML preprocessor takes a block-level tag (<div>, <script>,
#     <iframe>, ...) at the start of a line even inside backticks, before any inline
#     code is found;
#   * inline code spans pair backtick runs across the lines of a paragraph, and
#     Python-Markdown's pattern backtracks to shorter runs, so spans are trusted only
#     where every line of the paragraph pairs equal runs by itself.
# These checks give friendly messages; the security boundary is the sanitiser on the
# rendered HTML (website/sanitize.py), which does not depend on predicting the parser.

_FENCE_RE = re.compile(r"^(`{3,}|~{3,})")
_FENCED_BLOCK_RE = FencedBlockPreprocessor.FENCED_BLOCK_RE
_LIST_ITEM_RE = re.compile(r"^ {0,3}(?:[*+-]|[0-9]+[.)])[ \t]")
_INDENTED_RE = re.compile(r"^(?: {4}|\t)")
_BACKTICKS_RE = re.compile(r"`+")
# Lines that could split a paragraph or be taken as raw HTML, whatever surrounds them.
_AUTOLINK_RE = re.compile(
    r"<(?:https?://[^\s<>\"'`]+|mailto:[^\s<>\"'`]+|[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+)>",
    re.IGNORECASE,
)
_TAG_RE = re.compile(r"<(!--|[/!?]?[A-Za-z][A-Za-z0-9-]*)([^>]*)")
_DANGEROUS_TAGS = {
    "script": "<script> ist nicht erlaubt: Skripte aus Fall-Texten würden im Browser ausgeführt",
    "iframe": "<iframe> ist nicht erlaubt: eingebettete fremde Seiten würden Dritte kontaktieren",
    "style": "<style> ist nicht erlaubt: Gestaltung kommt allein aus dem Theme",
    "object": "<object> ist nicht erlaubt: eingebettete Inhalte sind ausgeschlossen",
    "embed": "<embed> ist nicht erlaubt: eingebettete Inhalte sind ausgeschlossen",
    "form": "<form> ist nicht erlaubt: Formulare würden Daten an Dritte senden",
    "link": "<link> ist nicht erlaubt: er würde Dateien von anderen Servern laden",
    "meta": "<meta> ist nicht erlaubt: er kann Weiterleitungen auslösen",
    "base": "<base> ist nicht erlaubt: er würde alle Links der Seite umlenken",
    "svg": "<svg> ist nicht erlaubt: SVG kann Skripte enthalten",
    "math": "<math> ist nicht erlaubt: MathML kann Skripte einschleusen",
}
_EVENT_ATTR_RE = re.compile(r"\bon[a-z]+\s*=", re.IGNORECASE)
_SCRIPT_URL_ATTR_RE = re.compile(
    r"(href|src|action|formaction|xlink:href)\s*=\s*[\"']?\s*(javascript|vbscript|data):",
    re.IGNORECASE,
)
# Patterns that find a start only (the rest is read with bounded lookups), so that no
# input makes the checks quadratic.
_ATTR_LIST_RE = re.compile(r"\{:?[ \t]*(?:[#.][^\s}]|[A-Za-z_][\w-]*[ \t]*=)")
_ATTR_LIST_END_RE = re.compile(r"[^}\n]{0,500}\}?")
_LINK_DEST_RE = re.compile(r"\]\(\s*<?([^)>]*)")
_REF_DEF_RE = re.compile(r"^ {0,3}\[[^\]\n]+\]:[ \t]*\n?[ \t]*<?([^\s>]*)", re.MULTILINE)
_IMAGE_RE = re.compile(r"!\[")
_IMAGE_TARGET_RE = re.compile(r"!\[[^\]\n]{0,500}\]\(\s{0,50}<?([^)>\s]{0,2000})")
_EMOJI_RE = re.compile(r"(?<![\w:/]):([a-z0-9_+-]*[a-z_][a-z0-9_+-]*|[+-]1):(?![\w/])")
_SCHEME_RE = re.compile(r"^([a-z][a-z0-9+.-]*):")
_SAFE_SCHEMES = {"http", "https", "mailto", "tel"}
_HEADING_RE = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
# Anything that may need a closer look; most prose lines contain none of it.
_SUSPECT_RE = re.compile(r"[<{`]|\]\(|!\[|\]:|:[a-z0-9_+-]+:")


def _blank(match: re.Match[str]) -> str:
    return " " * len(match.group(0))


def _mask_code_spans(line: str) -> str | None:
    """The line with inline code spans blanked, or None when the pairing is uncertain."""
    if "`" not in line:
        return line
    runs = [m.span() for m in _BACKTICKS_RE.finditer(line)]
    if not runs:
        return line
    if len(runs) % 2 or "\\`" in line or "|" in line or len({e - s for s, e in runs}) != 1:
        return None
    parts: list[str] = []
    position = 0
    for (_, open_end), (close_start, _) in zip(runs[::2], runs[1::2], strict=True):
        parts.append(line[position:open_end])
        parts.append(" " * (close_start - open_end))
        position = close_start
    parts.append(line[position:])
    return "".join(parts)


def _mask_code(lines: list[str], skip: set[int]) -> list[str]:
    """Blank inline code spans paragraph by paragraph (lines in ``skip`` are left out)."""
    masked = list(lines)
    group: list[int] = []
    for index in [*range(len(lines)), len(lines)]:
        if index < len(lines) and index not in skip and lines[index].strip():
            group.append(index)
            continue
        results = [_mask_code_spans(lines[i]) for i in group]
        if all(r is not None for r in results):
            for i, result in zip(group, results, strict=True):
                masked[i] = str(result)
        group = []
    return masked


def _url_scheme(raw: str) -> str | None:
    """The scheme a browser would see, after entities and whitespace tricks."""
    cleaned = html.unescape(raw)
    cleaned = "".join(ch for ch in cleaned if ch > " " and ch != "\x7f").lower()
    match = _SCHEME_RE.match(cleaned)
    return match.group(1) if match else None


def _code_fences(lines: list[str]) -> tuple[set[int], int | None]:
    """Indexes of the lines of fenced code blocks (as fenced_code finds them, on text
    normalised as Python-Markdown does first), and the index of an unclosed fence."""
    text = "\n".join(line.expandtabs(4) if line.strip() else "" for line in lines)
    inside: set[int] = set()
    index = 0
    while (match := _FENCED_BLOCK_RE.search(text, index)) is not None:
        if match.group("attrs") and get_attrs_and_remainder(match.group("attrs"))[1]:
            index = match.end("attrs")  # not a fence for fenced_code either
            continue
        first = text.count("\n", 0, match.start())
        inside.update(range(first, first + match.group(0).count("\n") + 1))
        index = match.end()
    unclosed = next(
        (i for i, line in enumerate(lines) if i not in inside and _FENCE_RE.match(line)), None
    )
    return inside, unclosed


def _indented_code(lines: list[str], skip: set[int]) -> set[int]:
    """Indexes of the lines of indented code blocks: blocks after a blank line whose
    lines are all indented by four spaces (or a tab), unless they continue a list."""
    code: set[int] = set()
    in_list = False
    index = 0
    while index < len(lines):
        if index in skip or not lines[index].strip():
            index += 1
            continue
        block_end = index
        while block_end < len(lines) and lines[block_end].strip() and block_end not in skip:
            block_end += 1
        block = range(index, block_end)
        indented = all(_INDENTED_RE.match(lines[i]) for i in block)
        after_blank = index == 0 or not lines[index - 1].strip()
        if indented and after_blank and not in_list:
            code.update(block)
        elif not indented:
            in_list = bool(_LIST_ITEM_RE.match(lines[index])) or (
                in_list and any(_LIST_ITEM_RE.match(lines[i]) for i in block)
            )
        index = block_end
    return code


LinkCheck = Callable[[str], str | None]


def check_body(
    body: str, first_line: int, link_check: LinkCheck | None = None
) -> list[tuple[int, str]]:
    """Problems in the Markdown body as (file line, German message).

    ``link_check`` judges relative link targets (a German message or None).
    """
    lines = body.split("\n")
    found: list[tuple[int, str]] = []
    headings: list[tuple[int, str]] = []
    subheadings: list[tuple[int, int, str]] = []
    fenced, unclosed = _code_fences(lines)
    if unclosed is not None:
        fence = _FENCE_RE.match(lines[unclosed])
        found.append(
            (
                first_line + unclosed,
                f"Ein Code-Block ({fence.group(1) if fence else '```'}) wird nicht geschlossen; "
                "die schließende Zeile muss genau so aussehen wie die öffnende",
            )
        )
    fenced |= _indented_code(lines, fenced)
    for index, line in enumerate(lines):
        if index in fenced or not line.startswith("#"):
            continue
        heading = _HEADING_RE.match(line)
        if heading and len(heading.group(1)) == 1:
            found.append(
                (
                    first_line + index,
                    "Überschriften erster Ebene (# …) sind nicht erlaubt; der Titel kommt "
                    "aus title, Abschnitte beginnen mit ##",
                )
            )
        elif heading and len(heading.group(1)) == 2:
            headings.append((first_line + index, heading.group(2)))
        if heading and len(heading.group(1)) >= 2:  # near misses: "## Loesung", "### …"
            subheadings.append((first_line + index, len(heading.group(1)), heading.group(2)))
    found.extend(
        (first_line + index, message)
        for index, message in hints.leftover_template_hints(lines, fenced)
    )
    masked = _mask_code(lines, fenced)
    for index in fenced:
        masked[index] = ""
    for index, line in enumerate(masked):
        if "<" in line:
            masked[index] = _AUTOLINK_RE.sub(_blank, line)
    text = "\n".join(masked)
    if _SUSPECT_RE.search(text):
        starts = [0]
        for line in masked:
            starts.append(starts[-1] + len(line) + 1)
        found.extend(
            (first_line + bisect.bisect_right(starts, offset) - 1, message)
            for offset, message in _text_problems(text, link_check)
        )
    found.extend(_section_problems(headings, first_line, subheadings))
    return found


Found = list[tuple[int, str]]


def _text_problems(text: str, link_check: LinkCheck | None = None) -> Found:
    """(offset, message) for HTML, attribute lists, images, script URLs and emoji."""
    problems = _tag_problems(text)
    problems += _attr_list_problems(text)
    images, image_spans = _image_problems(text)
    problems += images
    problems += _link_problems(text, image_spans, link_check)
    problems += [
        (
            match.start(),
            f"Emoji-Kürzel (:{match.group(1)}:) sind nicht erlaubt (sie würden Bilder von "
            "fremden Servern laden); bitte das Zeichen selbst oder Text verwenden",
        )
        for match in _EMOJI_RE.finditer(text)
    ]
    return problems


def _tag_message(name: str, attrs: str) -> str | None:
    """Why an opening tag is dangerous, or None for plain HTML."""
    if name in _DANGEROUS_TAGS:
        return _DANGEROUS_TAGS[name]
    if _EVENT_ATTR_RE.search(attrs):
        return (
            f"HTML mit Ereignis-Attribut (<{name} on…=) ist nicht erlaubt: es würde "
            "Skript ausführen"
        )
    if _SCRIPT_URL_ATTR_RE.search(attrs):
        return f"HTML mit Skript-Adresse (<{name} …javascript:…>) ist nicht erlaubt"
    return None


def _tag_problems(text: str) -> Found:
    """Dangerous tags one by one; other HTML once per line, naming its tags."""
    problems: Found = []
    plain: dict[int, list[str]] = {}
    line_of: dict[int, int] = {}
    for match in _TAG_RE.finditer(text):
        tag, attrs = match.group(1), match.group(2)
        name = tag.lstrip("/!?").lower()
        message = None if tag.startswith("/") else _tag_message(name, attrs)
        if tag == "!--":
            problems.append((match.start(), "HTML-Kommentare (<!-- … -->) sind nicht erlaubt"))
        elif message is not None:
            problems.append((match.start(), message))
        else:
            line_start = text.rfind("\n", 0, match.start()) + 1
            line_of.setdefault(line_start, match.start())
            plain.setdefault(line_start, []).append(f"</{name}>" if tag[0] == "/" else f"<{name}>")
    reported = {text.rfind("\n", 0, offset) + 1 for offset, _ in problems}
    for line_start, tags in plain.items():
        opened = {t for t in tags if not t.startswith("</")}
        shown = [
            t for t in dict.fromkeys(tags) if not (t.startswith("</") and f"<{t[2:]}" in opened)
        ]
        closing_only = all(t.startswith("</") for t in shown)
        if shown and not (closing_only and line_start in reported):
            problems.append(
                (
                    line_of[line_start],
                    f"HTML ({', '.join(shown)}) ist im Text nicht erlaubt; bitte Markdown "
                    "verwenden (ein einzelnes < als &lt; schreiben)",
                )
            )
    return problems


def _attr_list_problems(text: str) -> Found:
    problems: Found = []
    for match in _ATTR_LIST_RE.finditer(text):
        end = _ATTR_LIST_END_RE.match(text, match.end())
        snippet = match.group(0) + (end.group(0) if end else "")
        excerpt = snippet if len(snippet) <= 60 else snippet[:59] + "…"
        if _EVENT_ATTR_RE.search(snippet):
            message = (
                f"Attributliste mit Ereignis-Attribut ({excerpt}) ist nicht erlaubt: "
                "sie würde Skript ausführen"
            )
        else:
            message = (
                f"Attributlisten ({excerpt}) sind nicht erlaubt: sie können beliebige "
                "HTML-Attribute setzen"
            )
        problems.append((match.start(), message))
    return problems


def _image_message(target: str | None) -> str:
    scheme = _url_scheme(target) if target is not None else None
    if scheme in ("http", "https"):
        return (
            "Bilder von fremden Servern sind nicht erlaubt (der Browser jedes Besuchers "
            "würde sie dort abrufen)"
        )
    if scheme is not None and scheme not in _SAFE_SCHEMES:
        return f"Bild mit unzulässiger Adresse ({scheme}:) ist nicht erlaubt"
    return (
        "Bilder werden in Fall-Texten nicht unterstützt; bitte beschreiben Sie den "
        "Inhalt im Text oder verlinken Sie eine Quelle"
    )


def _image_problems(text: str) -> tuple[Found, list[tuple[int, int]]]:
    """Every "![" (inline, reference or shortcut image alike), and the spans of the
    images whose target could be read (the target only chooses the message)."""
    problems: Found = []
    spans: list[tuple[int, int]] = []
    for match in _IMAGE_RE.finditer(text):
        full = _IMAGE_TARGET_RE.match(text, match.start())
        if full:
            spans.append(full.span())
        problems.append((match.start(), _image_message(full.group(1) if full else None)))
    return problems, spans


def _link_problems(
    text: str, image_spans: list[tuple[int, int]], link_check: LinkCheck | None
) -> Found:
    """Links (inline and reference definitions) with unsafe schemes or going nowhere."""
    problems: Found = []
    targets = [
        (m.start(), m.group(1))
        for m in _LINK_DEST_RE.finditer(text)
        if not any(s <= m.start() < e for s, e in image_spans)
    ]
    targets += [(m.start(), m.group(1)) for m in _REF_DEF_RE.finditer(text)]
    for offset, target in targets:
        scheme = _url_scheme(target)
        if scheme is not None and scheme not in _SAFE_SCHEMES:
            problems.append(
                (
                    offset,
                    f"Links mit '{scheme}:'-Adressen sind nicht erlaubt; nur http, https, "
                    "mailto und tel",
                )
            )
        elif scheme is None and link_check is not None:
            link_message = link_check(target)
            if link_message is not None:
                problems.append((offset, link_message))
    return problems


def _section_problems(
    headings: list[tuple[int, str]],
    first_line: int,
    all_headings: list[tuple[int, int, str]] | None = None,
) -> list[tuple[int, str]]:
    """Missing, doubled and misordered ``##`` sections (other ``##`` headings are fine);
    a missing section written almost right is reported at that heading."""
    found: list[tuple[int, str]] = []
    order = ", ".join(BODY_SECTIONS)
    first: dict[str, int] = {}
    for line, title in headings:
        if title not in BODY_SECTIONS:
            continue
        if title in first:
            found.append((line, f"Abschnitt ## {title} kommt doppelt vor"))
        else:
            first[title] = line
    missing = [s for s in BODY_SECTIONS if s not in first]
    for section in list(missing):
        near = hints.near_miss(section, all_headings or [])
        if near is not None:
            found.append(near)
            missing.remove(section)
    if missing:
        names = ", ".join(f"## {s}" for s in missing)
        word = "Abschnitt fehlt" if len(missing) == 1 else "Abschnitte fehlen"
        found.append((first_line, f"{word}: {names} (Reihenfolge: {order})"))
    expected = [s for s in BODY_SECTIONS if s in first]
    actual = sorted(first, key=first.__getitem__)
    for title, want in zip(actual, expected, strict=True):
        if title != want:
            found.append(
                (
                    first[title],
                    f"Abschnitte bitte in der Reihenfolge {order}; hier erwartet: ## {want}",
                )
            )
            break
    return found
