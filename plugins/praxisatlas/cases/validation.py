"""Validation: a loaded case file becomes a typed ``Case`` or a list of problems.

The shape of every field comes from ``schema.FIELDS``; this module adds the rules that
need reference data (Kreise, Länder, topic vocabulary), other fields (``end`` after
``start``, open-source software needs a repository) or the body text (required
sections, no raw HTML or script URLs). Every problem is collected; nothing stops at the
first one. Messages are German and name the fix.
"""

from __future__ import annotations

import bisect
import datetime as dt
import difflib
import html
import posixpath
import re
import unicodedata
import urllib.parse
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any

from markdown.extensions.attr_list import get_attrs_and_remainder
from markdown.extensions.fenced_code import FencedBlockPreprocessor

from praxisatlas.cases import hints
from praxisatlas.cases.addresses import char_name, internal_host, url_problem
from praxisatlas.cases.builder import build, partial_date
from praxisatlas.cases.loader import (
    Entry,
    LoadedFile,
    MappingNode,
    Node,
    ScalarNode,
    SequenceNode,
    node_kind,
)
from praxisatlas.cases.model import Case, Organisation, PartialDate
from praxisatlas.cases.problems import Problem, errors
from praxisatlas.cases.reference import Kreis, Land, Reference
from praxisatlas.cases.schema import (
    BODY_SECTIONS,
    DATE_PATTERN,
    EMAIL_PATTERN,
    FIELDS,
    ID_MAX_LENGTH,
    ID_PATTERN,
    LEIKA_PATTERN,
    MARKUP_PATTERN,
    PHONE_PATTERN,
    FieldSpec,
)
from praxisatlas.cases.vocabulary import Vocabulary

ID_RE = re.compile(ID_PATTERN)
EMAIL_RE = re.compile(EMAIL_PATTERN)
PHONE_RE = re.compile(PHONE_PATTERN)
PARTIAL_DATE_RE = re.compile(r"^([0-9]{4})(?:-([0-9]{2}))?$")
SOURCE_DATE_RE = re.compile(r"^([0-9]{4})(?:-([0-9]{2})(?:-([0-9]{2}))?)?$")
DATE_RE = re.compile(DATE_PATTERN)
LEIKA_RE = re.compile(LEIKA_PATTERN)
BOOL_WORDS = {"true": True, "false": False}
YAML11_BOOLS = {"yes", "no", "on", "off", "y", "n", "true", "false", "ja", "nein"}
MIN_YEAR = 1950
MAX_BODY_PROBLEMS = 50  # per file; a pasted web page should not flood the report
# German words contributors are likely to use for a key.
KEY_ALIASES = {
    "titel": "title",
    "zusammenfassung": "summary",
    "kurzbeschreibung": "summary",
    "organisationen": "organisations",
    "organizations": "organisations",
    "themen": "topics",
    "thema": "topics",
    "beginn": "start",
    "ende": "end",
    "kontakt": "contact",
    "quellen": "sources",
    "geprueft": "reviewed",
    "lizenz": "license",
    "licence": "license",
    "foerderung": "funding",
    "aufwand": "effort",
    "ergebnisse": "outcomes",
    "tags": "topics",
}
# Characters a plain-text field may not hold: controls (but tab and newline, which the
# field rules handle), and every character that is invisible or changes how text around
# it reads: format characters (Cf: bidi overrides, zero-width characters, soft hyphen,
# BOM), line and paragraph separators, private-use, surrogates and unassigned ones.
_HIDDEN_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"})
_MARKUP_RE = re.compile(MARKUP_PATTERN, re.MULTILINE)


@dataclass
class Context:
    """What validation needs besides the file: reference data, today, ids of the run,
    and the hand-written site pages (``docs/``, as ``ueber.md``) links may point to
    (None: not known, such links are not checked)."""

    vocabulary: Vocabulary
    reference: Reference
    today: dt.date
    known_ids: set[str] | None = None
    site_pages: frozenset[str] | None = None


def hidden_character(value: str) -> str | None:
    """A German message naming the first control or invisible character in ``value``."""
    if value.isprintable():
        return None
    for index, ch in enumerate(value):
        if ch in "\t\n":
            continue
        category = unicodedata.category(ch)
        if category in _HIDDEN_CATEGORIES:
            kind = "Steuerzeichen" if category == "Cc" else "Unsichtbares Zeichen"
            return (
                f"{kind} {char_name(ch)} an Stelle {index + 1} ist nicht erlaubt; bitte "
                "entfernen (oft beim Kopieren aus Webseiten oder PDFs eingefügt)"
            )
    return None


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
# Names that say they are a Kreis, not a Gemeinde or an office.
_NAMES_A_KREIS_RE = re.compile(r"kreis|^(städte)?region\b|^regionalverband\b", re.IGNORECASE)
_SALUTATION_RE = re.compile(r"(?<!\w)(Herr|Frau|Hr\.|Fr\.)\s+(?:(?:Dr|Prof)\.\s*)*[A-ZÄÖÜ]")
# A capitalised word followed by a surname-like one ("Max Mustermann", "Hans-Peter
# von Beispiel"); the lookahead lets every word be the start of a pair.
_NAME_PAIR_RE = re.compile(
    r"(?<![\w-])([A-ZÄÖÜ][a-zäöüéß]+)(?=(?:-[A-ZÄÖÜ][a-zäöüéß]+)?\s+(?:[A-ZÄÖÜ]\.\s+)?"
    r"(?:(?:von|van|de|zu)\s+)?[A-ZÄÖÜ][a-zäöüß]+(?![\w-]))"
)
_ASCII_UMLAUTS = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss", "é": "e"})


@cache
def first_names() -> frozenset[str]:
    """Common German first names (``data/vornamen.txt``), as written."""
    text = resources.files("praxisatlas").joinpath("data", "vornamen.txt").read_text("utf-8")
    return frozenset(
        line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#")
    )


@cache
def _mailbox_names() -> frozenset[str]:
    names = {name.lower() for name in first_names()}
    return frozenset(names | {name.translate(_ASCII_UMLAUTS) for name in names})


def _personal_name(function: str) -> str | None:
    """Why a contact function looks like a person's name, or None."""
    salutation = _SALUTATION_RE.search(function)
    if salutation:
        return f"Anrede '{salutation.group(1)}'"
    names = first_names()
    for match in _NAME_PAIR_RE.finditer(function):
        if match.group(1) in names:
            return f"Vorname '{match.group(1)}'"
    return None


def _personal_mailbox(email: str) -> str | None:
    """Why an e-mail address looks like a personal mailbox (vorname.nachname@), or None."""
    local = email.rsplit("@", 1)[0].lower()
    parts = re.split(r"[._-]", local)
    if len(parts) == 2 and parts[0] in _mailbox_names() and parts[1].isalpha():
        return "vorname.nachname@"
    return None


def suggest(value: str, choices: Iterable[str], n: int = 1) -> list[str]:
    """Closest allowed values for a "meinten Sie …?" hint."""
    pool = list(choices)
    if not value:
        return []
    lowered = {c.lower(): c for c in pool}
    if value.lower() in lowered:
        return [lowered[value.lower()]]
    return difflib.get_close_matches(value, pool, n=n, cutoff=0.6)


def _hint(value: str, choices: Iterable[str]) -> str:
    found = suggest(value, choices)
    return f" (meinten Sie '{found[0]}'?)" if found else ""


def _allowed(choices: Iterable[str]) -> str:
    return ", ".join(choices)


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


_BY_KEY: dict[int, tuple[tuple[FieldSpec, ...], dict[str, FieldSpec]]] = {}


def _by_key(specs: tuple[FieldSpec, ...]) -> dict[str, FieldSpec]:
    """Specs by key, computed once per spec tuple (they are module-level constants)."""
    cached = _BY_KEY.get(id(specs))
    if cached is None or cached[0] is not specs:
        cached = _BY_KEY[id(specs)] = (specs, {s.key: s for s in specs})
    return cached[1]


@dataclass
class FieldChecker:
    """Checks one loaded file against ``FIELDS`` and the cross-field rules.

    ``build`` returns the ``Case`` or None and leaves every problem in ``problems``; the
    single-value checks (``check_string``, ``check_topic``, ``organisation`` ...) are also
    used by ``praxisatlas new`` to check answers one at a time.
    """

    loaded: LoadedFile
    ctx: Context
    problems: list[Problem] = field(default_factory=list)
    # The organisation being checked (for messages of its other keys).
    org_node: MappingNode | None = None
    org_path: str = "organisations"

    def report(self, line: int, where: str, message: str) -> None:
        self.problems.append(Problem(self.loaded.path, line, where, message))

    # --- generic, driven by FieldSpec -----------------------------------------------

    def check_mapping(
        self, specs: tuple[FieldSpec, ...], node: MappingNode, path: str, line: int
    ) -> dict[str, Any]:
        """Check keys and values of a mapping; returns the values that passed."""
        by_key = _by_key(specs)
        values: dict[str, Any] = {}
        for key, entry in node.entries.items():
            spec = by_key.get(key)
            if spec is None:
                alias = KEY_ALIASES.get(key.lower())
                hint = f" (meinten Sie '{alias}'?)" if alias in by_key else _hint(key, list(by_key))
                self.report(
                    entry.key_line, _join(path, key), f"Unbekannter Schlüssel '{key}'{hint}"
                )
                continue
            value = self.check_value(spec, entry.value, _join(path, key), entry)
            if value is not None:
                values[key] = value
        for spec in specs:
            entry_or_none = node.entries.get(spec.key)
            if spec.required and (
                entry_or_none is None
                or (isinstance(entry_or_none.value, ScalarNode) and entry_or_none.value.is_null)
            ):
                where = _join(path, spec.key)
                if entry_or_none is None:
                    self.report(line, where, f"Pflichtangabe fehlt ({spec.label})")
                else:
                    self.report(
                        entry_or_none.key_line, where, f"Pflichtangabe ist leer ({spec.label})"
                    )
        return values

    def check_value(self, spec: FieldSpec, node: Node, path: str, entry: Entry | None) -> Any:
        if isinstance(node, ScalarNode) and node.is_null:
            return None
        if spec.type == "object":
            if not isinstance(node, MappingNode):
                self.report(
                    node.line,
                    path,
                    f"Erwartet 'schlüssel: wert'-Angaben, gefunden: {node_kind(node)}",
                )
                return None
            return self.check_mapping(
                spec.fields, node, path, entry.key_line if entry else node.line
            )
        if spec.type == "list":
            if not isinstance(node, SequenceNode):
                extra = ""
                if isinstance(node, ScalarNode):
                    extra = f"; als Liste schreiben, z. B. [{node.value}] oder mit '- ' je Zeile"
                self.report(
                    node.line, path, f"Erwartet eine Liste, gefunden: {node_kind(node)}{extra}"
                )
                return None
            count = len(node.items)
            if spec.min_length is not None and count < spec.min_length:
                self.report(node.line, path, f"Mindestens {spec.min_length} Einträge nötig")
            if spec.max_length is not None and count > spec.max_length:
                self.report(
                    node.line,
                    path,
                    f"Höchstens {spec.max_length} Einträge erlaubt (gefunden: {count})",
                )
            assert spec.items is not None
            items: list[Any] = []
            for index, item in enumerate(node.items):
                item_path = f"{path}[{index}]"
                if isinstance(item, ScalarNode) and item.is_null:
                    self.report(item.line, item_path, "Leerer Listeneintrag")
                    items.append(None)
                    continue
                items.append(self.check_value(spec.items, item, item_path, None))
            return items
        if not isinstance(node, ScalarNode):
            self.report(node.line, path, f"Erwartet einen Einzelwert, gefunden: {node_kind(node)}")
            return None
        if spec.type == "boolean":
            if node.value in BOOL_WORDS and node.plain:
                return BOOL_WORDS[node.value]
            if node.value.lower() in YAML11_BOOLS:
                self.report(
                    node.line,
                    path,
                    f"'{node.value}' ist kein Wahrheitswert; bitte true oder false (klein, ohne "
                    "Anführungszeichen) schreiben",
                )
            else:
                self.report(node.line, path, f"Erwartet true oder false, gefunden: '{node.value}'")
            return None
        return self.check_string(spec, node, path)

    def check_string(self, spec: FieldSpec, node: ScalarNode, path: str) -> str | None:
        value = node.value.strip()
        line = node.line
        fmt = spec.format
        if fmt in ("text", "longtext"):
            value = " ".join(value.split()) if fmt == "longtext" else value
            if fmt == "text" and "\n" in value:
                self.report(line, path, "Nur eine Zeile erlaubt")
                return None
            hidden = hidden_character(value)
            if hidden is not None:
                self.report(line, path, hidden)
                return None
            if _MARKUP_RE.search(value):
                self.report(
                    line, path, "Nur Klartext erlaubt: keine Markdown- oder HTML-Auszeichnung"
                )
                return None
        if not value:
            self.report(line, path, f"Darf nicht leer sein ({spec.label})")
            return None
        if spec.min_length is not None and len(value) < spec.min_length:
            self.report(line, path, f"Zu kurz: mindestens {spec.min_length} Zeichen")
            return None
        if spec.max_length is not None and len(value) > spec.max_length:
            self.report(
                line, path, f"Zu lang: {len(value)} Zeichen, höchstens {spec.max_length} erlaubt"
            )
            return None
        if fmt == "enum":
            assert spec.enum is not None
            if value not in spec.enum:
                self.report(
                    line,
                    path,
                    f"Unbekannter Wert '{value}'{_hint(value, spec.enum)}; erlaubt: "
                    f"{_allowed(spec.enum)}",
                )
                return None
        elif fmt == "url":
            reason = url_problem(value)
            if reason is not None:
                self.report(
                    line,
                    path,
                    f"Keine gültige Webadresse: '{value}' – {reason}{hints.url_hint(value)}",
                )
                return None
        elif fmt == "email":
            if not EMAIL_RE.match(value):
                self.report(line, path, f"Keine gültige E-Mail-Adresse: '{value}'")
                return None
            reason = internal_host(value.rsplit("@", 1)[1])
            if reason is not None:
                self.report(line, path, f"Keine öffentliche E-Mail-Adresse: '{value}' – {reason}")
                return None
        elif fmt == "phone":
            digits = sum(ch.isdigit() for ch in value)
            if not PHONE_RE.match(value) or not 6 <= digits <= 17:
                self.report(
                    line, path, f"Keine plausible Telefonnummer: '{value}' (z. B. +49 5121 309-0)"
                )
                return None
        elif fmt == "date":
            return self.check_date(value, line, path)
        elif fmt == "partial-date":
            return self.check_partial_date(value, line, path, allow_day=spec.key == "date")
        elif fmt == "topic":
            return self.check_topic(value, line, path)
        elif fmt == "ozg":
            ozg = self.ctx.vocabulary.ozg_themenfelder
            if value not in ozg:
                self.report(line, path, f"Unbekanntes OZG-Themenfeld '{value}'{_hint(value, ozg)}")
                return None
        elif fmt == "leika":
            if not LEIKA_RE.match(value):
                self.report(
                    line,
                    path,
                    "LeiKa-Schlüssel müssen genau 14 Ziffern haben (in Anführungszeichen), "
                    f"gefunden: '{value}'",
                )
                return None
        elif fmt == "land":
            if value not in self.ctx.reference.land_by_code:
                land = self.ctx.reference.find_land(value)
                hint = f'; für {land.name} bitte "{land.code}" angeben' if land else ""
                self.report(
                    line,
                    path,
                    f"Unbekannter Länderschlüssel '{value}' (2 Ziffern, 01 bis 16){hint}",
                )
                return None
        elif fmt == "case-id":
            return self.check_case_ref(value, line, path)
        elif spec.pattern is not None and fmt != "ags" and not re.match(spec.pattern, value):
            self.report(line, path, f"Ungültiges Format: '{value}'")
            return None
        return value

    # --- formats needing reference data ---------------------------------------------

    def check_date(self, value: str, line: int, path: str) -> str | None:
        if not DATE_RE.match(value):
            self.report(line, path, f"Erwartet ein Datum JJJJ-MM-TT, gefunden: '{value}'")
            return None
        try:
            day = dt.date.fromisoformat(value)
        except ValueError:
            self.report(line, path, f"'{value}' ist kein gültiges Kalenderdatum")
            return None
        if day > self.ctx.today:
            self.report(line, path, f"Das Datum {value} liegt in der Zukunft")
            return None
        if day.year < MIN_YEAR:
            self.report(line, path, f"Das Datum {value} liegt vor {MIN_YEAR}")
            return None
        return value

    def check_partial_date(self, value: str, line: int, path: str, allow_day: bool) -> str | None:
        match = (SOURCE_DATE_RE if allow_day else PARTIAL_DATE_RE).match(value)
        expected = "JJJJ, JJJJ-MM oder JJJJ-MM-TT" if allow_day else "JJJJ oder JJJJ-MM"
        if not match:
            hint = hints.date_hint(value, allow_day)
            self.report(line, path, f"Erwartet {expected}, gefunden: '{value}'{hint}")
            return None
        year = int(match.group(1))
        month = int(match.group(2)) if match.group(2) else None
        if month is not None and not 1 <= month <= 12:
            self.report(line, path, f"Ungültiger Monat in '{value}'")
            return None
        if allow_day and match.group(3):
            try:
                dt.date.fromisoformat(value)
            except ValueError:
                self.report(line, path, f"'{value}' ist kein gültiges Kalenderdatum")
                return None
        if not MIN_YEAR <= year <= self.ctx.today.year + 10:
            self.report(line, path, f"Unplausibles Jahr {year}")
            return None
        return value

    def check_topic(self, value: str, line: int, path: str) -> str | None:
        topics = self.ctx.vocabulary.topics
        topic = topics.get(value)
        if topic is None:
            self.report(
                line,
                path,
                f"Unbekanntes Thema '{value}'{_hint(value, self.ctx.vocabulary.active_slugs())} "
                "(siehe Themenliste unter /themen/)",
            )
            return None
        if topic.deprecated:
            repl = f"; bitte '{topic.replaced_by}' verwenden" if topic.replaced_by else ""
            self.report(line, path, f"Das Thema '{value}' wird nicht mehr verwendet{repl}")
            return None
        return value

    def check_case_ref(self, value: str, line: int, path: str) -> str | None:
        if not ID_RE.match(value):
            self.report(
                line, path, f"'{value}' ist keine gültige Fall-Kennung (Dateiname ohne .md)"
            )
            return None
        if value == self.loaded.id:
            self.report(line, path, "Ein Fall darf nicht auf sich selbst verweisen")
            return None
        known = self.ctx.known_ids
        if known is not None and value not in known:
            self.report(
                line,
                path,
                f"Es gibt keinen Fall '{value}' (Datei cases/{value}.md){_hint(value, known)}",
            )
            return None
        return value

    def resolve_kreis_name(self, name: str, line: int, path: str) -> Kreis | None:
        ref = self.ctx.reference
        matches = ref.kreise_named(name)
        if len(matches) == 1:
            return matches[0]
        if matches:
            options = " oder ".join(f'{k.label} ({k.type_label}, "{k.ags}")' for k in matches)
            self.report(
                line, path, f"'{name}' ist mehrdeutig: {options}; bitte den Schlüssel angeben"
            )
        else:
            found = ref.suggest_kreise(name)
            hint = (
                (" (meinten Sie " + " oder ".join(f'{k.label}, "{k.ags}"' for k in found) + "?)")
                if found
                else ""
            )
            self.report(line, path, f"Kein aktueller Kreis namens '{name}'{hint}")
        return None

    def check_kreis_key(self, key: str, line: int, path: str) -> Kreis | None:
        ref = self.ctx.reference
        kreis = ref.kreis_by_ags.get(key[:5])
        if kreis is None:
            self.report(line, path, f"Unbekannter Kreisschlüssel '{key[:5]}' (siehe /kreise/)")
            return None
        if not kreis.current:
            successor = ref.kreis_by_ags.get(kreis.successor)
            since = dt.date.fromisoformat(kreis.valid_until) + dt.timedelta(days=1)
            target = f'{successor.label} ("{successor.ags}")' if successor else kreis.successor
            self.report(
                line,
                path,
                f"{kreis.name} ({kreis.ags}) gehört seit {since:%d.%m.%Y} zum {target}; bitte "
                "diesen Schlüssel angeben",
            )
            return None
        return kreis

    def name_fits_kreis(self, name: str, kreis: Kreis, key: str | None) -> bool:
        """False (and reported) when ``name`` names another Kreis than the key does.

        Only names that say they are a Kreis ("Landkreis Görlitz", "Rhein-Kreis Neuss",
        "Region Hannover") are compared: a Gemeinde may share its name with a Kreis
        elsewhere (Frankenthal in Sachsen, Lichtenfels in Hessen).
        """
        if not _NAMES_A_KREIS_RE.search(name):
            return True
        named = self.ctx.reference.kreise_named(name)
        if not named or any(k.ags == kreis.ags for k in named):
            return True
        others = " oder ".join(f'{k.label} ("{k.ags}")' for k in named)
        self.report(
            self.line_of("name"),
            f"{self.org_path}.name",
            f"'{name}' ist {others}, der Schlüssel \"{key or kreis.ags}\" gehört aber zu "
            f"{kreis.label}; bitte Name oder Schlüssel korrigieren (oder den Namen weglassen)",
        )
        return False

    def relative_link_problem(self, target: str) -> str | None:
        """Why a relative link (or image) target in the body leads nowhere on the site.

        Allowed: other cases (``anderer-fall.md``), the pages the site always generates
        (``../themen/index.md``, ``../themen/<thema>.md``) and
        hand-written pages (``../ueber.md``), each with an optional ``#anker``.
        """
        words = target.strip().lstrip("<").split()
        target = words[0] if words else ""
        if not target or target.startswith("#"):
            return None
        allowed = (
            "erlaubt sind Links auf andere Fälle (anderer-fall.md) und Seiten der Website "
            "(z. B. ../themen/index.md, ../ueber.md)"
        )
        if target.startswith("//"):
            return (
                f"Der Link '{target}' hat kein http:// oder https://; bitte die vollständige "
                "Adresse angeben"
            )
        path = urllib.parse.unquote(target.split("#", 1)[0].split("?", 1)[0])
        if path.startswith("/") or "\\" in path:
            return f"Absolute Pfade wie '{target}' sind nicht erlaubt; {allowed}"
        resolved = posixpath.normpath(posixpath.join(CASE_PAGES, path))
        if resolved == ".." or resolved.startswith("../"):
            return f"Der Link '{target}' zeigt aus der Website hinaus; {allowed}"
        if not resolved.endswith(".md"):
            return f"Der Link '{target}' zeigt auf keine Seite der Website; {allowed}"
        if resolved.startswith(CASE_PAGES + "/"):
            case_id = resolved[len(CASE_PAGES) + 1 : -3]
            known = self.ctx.known_ids
            if "/" in case_id or (known is not None and case_id not in known):
                return (
                    f"Der Link '{target}' zeigt auf keinen Fall: es gibt keine Datei "
                    f"cases/{case_id}.md{_hint(case_id, known or ())}"
                )
            return None
        if resolved in GENERATED_PAGES:
            return None
        folder, _, name = resolved.partition("/")
        slug = name.removesuffix(".md")
        if folder == "themen" and slug in self.ctx.vocabulary.active_slugs():
            return None  # every topic in use has its page
        pages = self.ctx.site_pages
        if pages is None or resolved in pages:
            return None
        return f"Der Link '{target}' zeigt auf keine Seite der Website; {allowed}"

    def line_of(self, key: str) -> int:
        entry = self.org_node.entries.get(key) if self.org_node is not None else None
        return entry.value.line if entry is not None else 1

    def contact_warnings(self, contact: dict[str, Any], node: MappingNode) -> None:
        """Warn when the contact looks like a private person (a name, a personal mailbox)."""
        function = contact.get("function")
        email = contact.get("email")
        person = _personal_name(function) if isinstance(function, str) else None
        if person is not None:
            self.problems.append(
                Problem(
                    self.loaded.path,
                    node.entries["function"].value.line,
                    "contact.function",
                    f"'{function}' sieht nach dem Namen einer Person aus ({person}); bitte eine "
                    "Funktion oder Stelle angeben (z. B. Stabsstelle Digitalisierung), "
                    "Personen nur mit ihrer Einwilligung",
                    warning=True,
                )
            )
        mailbox = _personal_mailbox(email) if isinstance(email, str) else None
        if mailbox is not None:
            self.problems.append(
                Problem(
                    self.loaded.path,
                    node.entries["email"].value.line,
                    "contact.email",
                    f"'{email}' sieht nach einem persönlichen Postfach aus ({mailbox}); bitte ein "
                    "Funktionspostfach angeben (z. B. digitalisierung@kreis-beispiel.de)",
                    warning=True,
                )
            )

    # --- whole-case rules -----------------------------------------------------------

    def organisation(
        self, raw: dict[str, Any], node: MappingNode, path: str
    ) -> Organisation | None:
        ref = self.ctx.reference
        role = raw.get("role")
        ags_value: str | None = raw.get("ags")
        name: str | None = raw.get("name")
        kind: str | None = raw.get("kind")
        land_code: str | None = raw.get("land")
        ags_entry = node.entries.get("ags")
        kreis: Kreis | None = None
        key: str | None = None
        if ags_value is not None and ags_entry is not None:
            line, where = ags_entry.value.line, f"{path}.ags"
            if ags_value.isdigit():
                if len(ags_value) == 5 or len(ags_value) == 8:
                    kreis = self.check_kreis_key(ags_value, line, where)
                    key = ags_value
                    if kreis is None:
                        return None
                    if len(ags_value) == 8 and name is None:
                        self.report(
                            line,
                            f"{path}.name",
                            "Bei einem 8-stelligen Gemeindeschlüssel bitte auch den Namen der "
                            "Gemeinde angeben",
                        )
                        return None
                else:
                    hint = ""
                    if len(ags_value) in (4, 7):
                        hint = (
                            f'; fehlt die führende Null? Bitte in Anführungszeichen: "0{ags_value}"'
                        )
                    self.report(
                        line,
                        where,
                        "Der Schlüssel muss 5 (Kreis) oder 8 (Gemeinde) Ziffern haben, "
                        f"gefunden: '{ags_value}'{hint}",
                    )
                    return None
            else:
                kreis = self.resolve_kreis_name(ags_value, line, where)
                if kreis is None:
                    return None
                key = kreis.ags
        elif ags_entry is None or (
            isinstance(ags_entry.value, ScalarNode) and ags_entry.value.is_null
        ):
            if "ags" in node.entries:
                return None
            if name is None:
                if "name" not in node.entries:  # a rejected name was reported already
                    self.report(
                        node.line, path, "Entweder ags (Kreisschlüssel) oder name und kind angeben"
                    )
                return None
            if kind is None and "kind" in node.entries:
                return None  # a rejected kind was reported already
            if kind is None:
                matches = ref.kreise_named(name)
                if len(matches) == 1 and land_code is None:
                    kreis = matches[0]
                    key = kreis.ags
                else:
                    line = node.entries["name"].value.line
                    if len(matches) > 1:
                        self.resolve_kreis_name(name, line, f"{path}.name")
                    else:
                        self.report(
                            line,
                            f"{path}.kind",
                            "Ohne ags bitte die Art der Organisation angeben (kind, z. B. "
                            "IT-Dienstleister)",
                        )
                    return None
        else:
            return None
        if role is None:
            return None
        if kreis is not None and name is not None and not self.name_fits_kreis(name, kreis, key):
            return None
        land: Land | None = None
        if kreis is not None:
            land = ref.land_of(kreis)
            if land_code is not None and land_code != land.code:
                self.report(
                    node.entries["land"].value.line,
                    f"{path}.land",
                    f"Widerspricht dem Kreisschlüssel ({kreis.label} liegt in {land.name}); land "
                    "bei ags bitte weglassen",
                )
                return None
            if len(key or "") == 8:
                kind = kind or "Gemeinde"
            return Organisation(
                role=role,
                name=name or kreis.label,
                kind=kind or kreis.type_label,
                ags=key,
                kreis=kreis,
                land=land,
            )
        if land_code is not None:
            land = ref.land_by_code.get(land_code)
        assert name is not None and kind is not None
        return Organisation(role=role, name=name, kind=kind, land=land)

    def build(self) -> Case | None:
        loaded = self.loaded
        front = loaded.front
        assert front is not None
        raw = self.check_mapping(FIELDS, front, "", 1)
        orgs: list[Organisation] = []
        org_entry = front.entries.get("organisations")
        if org_entry is not None and isinstance(org_entry.value, SequenceNode):
            raw_orgs = raw.get("organisations") or []
            for index, (item, node) in enumerate(zip(raw_orgs, org_entry.value.items, strict=True)):
                if isinstance(item, dict) and isinstance(node, MappingNode):
                    self.org_node, self.org_path = node, f"organisations[{index}]"
                    org = self.organisation(item, node, f"organisations[{index}]")
                    if org is not None:
                        orgs.append(org)
            if (
                raw_orgs
                and all(isinstance(i, dict) for i in raw_orgs)
                and not any(isinstance(i, dict) and i.get("role") == "lead" for i in raw_orgs)
            ):
                self.report(
                    org_entry.key_line,
                    "organisations",
                    "Mindestens eine Organisation braucht role: lead (Federführung)",
                )
        topics: list[str] = []
        topic_entry = front.entries.get("topics")
        for index, topic in enumerate(raw.get("topics") or []):
            if topic is None:
                continue
            if topic in topics:
                assert topic_entry is not None and isinstance(topic_entry.value, SequenceNode)
                self.report(
                    topic_entry.value.items[index].line,
                    f"topics[{index}]",
                    f"Thema '{topic}' ist doppelt angegeben",
                )
                continue
            topics.append(topic)
        start = _partial(raw.get("start"))
        end = _partial(raw.get("end"))
        if start is not None and end is not None and _before(end, start):
            end_entry = front.entries["end"]
            self.report(
                end_entry.value.line, "end", f"Das Ende ({end}) liegt vor dem Beginn ({start})"
            )
        software_raw = raw.get("software")
        if isinstance(software_raw, dict):
            soft_entry = front.entries["software"]
            if software_raw.get("open_source") is True:
                for key, label in (
                    ("repository", "die Adresse des Quellcodes"),
                    ("license", "die Softwarelizenz"),
                ):
                    if (
                        key not in software_raw
                        and isinstance(soft_entry.value, MappingNode)
                        and key not in soft_entry.value.entries
                    ):
                        self.report(
                            soft_entry.key_line,
                            f"software.{key}",
                            f"Bei open_source: true bitte {label} angeben ({key})",
                        )
        contact_entry = front.entries.get("contact")
        if isinstance(raw.get("contact"), dict) and isinstance(
            contact_entry.value if contact_entry else None, MappingNode
        ):
            assert contact_entry is not None and isinstance(contact_entry.value, MappingNode)
            self.contact_warnings(raw["contact"], contact_entry.value)
        self.check_id()
        body_problems = sorted(
            check_body(loaded.body, loaded.body_line, self.relative_link_problem)
        )
        for line, message in body_problems[:MAX_BODY_PROBLEMS]:
            self.report(line, "body", message)
        if len(body_problems) > MAX_BODY_PROBLEMS:
            rest = len(body_problems) - MAX_BODY_PROBLEMS
            self.report(
                body_problems[MAX_BODY_PROBLEMS][0],
                "body",
                f"… und {rest} weitere Probleme im Text (nicht einzeln aufgeführt)",
            )
        if errors(self.problems):
            return None
        # Everything else comes from the declarations, by name and type (builder.py).
        return build(
            Case,
            raw,
            id=loaded.id,
            path=loaded.path,
            organisations=tuple(orgs),
            topics=tuple(topics),
            fields=tuple(dict.fromkeys(self.ctx.vocabulary.field_of(t).slug for t in topics)),
            body=loaded.body,
            body_line=loaded.body_line,
        )

    def check_id(self) -> None:
        case_id = self.loaded.id
        if len(case_id) > ID_MAX_LENGTH:
            self.report(
                1,
                "id",
                f"Der Dateiname ist zu lang ({len(case_id)} Zeichen, höchstens {ID_MAX_LENGTH})",
            )
        elif not ID_RE.match(case_id):
            self.report(
                1,
                "id",
                f"Ungültiger Dateiname '{case_id}.md': nur Kleinbuchstaben a–z, Ziffern und "
                "einzelne Bindestriche (z. B. "
                f"{slugify(case_id) or 'digitale-akte-kreis-beispiel'}.md)",
            )


def _partial(value: str | None) -> PartialDate | None:
    return partial_date(value) if value is not None else None


def _before(end: PartialDate, start: PartialDate) -> bool:
    """True when ``end`` is before ``start``; a bare year covers all its months."""
    if end.month is None or start.month is None:
        return end.year < start.year
    return end < start


_UMLAUTS = str.maketrans(
    {"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss", "Ä": "ae", "Ö": "oe", "Ü": "ue"}
)


def slugify(text: str) -> str:
    """A valid case id from free text ("Digitale Akte Kreis Überall" → "
    ""digitale-akte-kreis-ueberall")."""
    text = text.translate(_UMLAUTS).lower()
    text = re.sub(r"[^a-z0-9]+", "-", text.encode("ascii", "ignore").decode()).strip("-")
    return text[:ID_MAX_LENGTH].rstrip("-")


# --- body ---------------------------------------------------------------------------
#
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


def _text_problems(text: str, link_check: LinkCheck | None = None) -> list[tuple[int, str]]:
    """(offset, message) for HTML, attribute lists, images, script URLs and emoji."""
    problems: list[tuple[int, str]] = []
    plain: dict[int, list[str]] = {}
    line_of: dict[int, int] = {}
    for match in _TAG_RE.finditer(text):
        tag, attrs = match.group(1), match.group(2)
        name = tag.lstrip("/!?").lower()
        line_start = text.rfind("\n", 0, match.start()) + 1
        if tag == "!--":
            problems.append((match.start(), "HTML-Kommentare (<!-- … -->) sind nicht erlaubt"))
        elif tag.startswith("/"):
            line_of.setdefault(line_start, match.start())
            plain.setdefault(line_start, []).append(f"</{name}>")
        elif name in _DANGEROUS_TAGS:
            problems.append((match.start(), _DANGEROUS_TAGS[name]))
        elif _EVENT_ATTR_RE.search(attrs):
            problems.append(
                (
                    match.start(),
                    f"HTML mit Ereignis-Attribut (<{name} on…=) ist nicht erlaubt: es würde "
                    "Skript ausführen",
                )
            )
        elif _SCRIPT_URL_ATTR_RE.search(attrs):
            problems.append(
                (
                    match.start(),
                    f"HTML mit Skript-Adresse (<{name} …javascript:…>) ist nicht erlaubt",
                )
            )
        else:
            line_of.setdefault(line_start, match.start())
            plain.setdefault(line_start, []).append(f"<{name}>")
    reported = {text.rfind("\n", 0, offset) + 1 for offset, _ in problems}
    for line_start, tags in plain.items():
        opened = {t for t in tags if not t.startswith("</")}
        shown = [
            t for t in dict.fromkeys(tags) if not (t.startswith("</") and f"<{t[2:]}" in opened)
        ]
        closing_only = all(t.startswith("</") for t in shown)
        if closing_only and line_start in reported:
            continue
        if shown:
            problems.append(
                (
                    line_of[line_start],
                    f"HTML ({', '.join(shown)}) ist im Text nicht erlaubt; bitte Markdown "
                    "verwenden (ein einzelnes < als &lt; schreiben)",
                )
            )
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
    image_spans: list[tuple[int, int]] = []
    for match in _IMAGE_RE.finditer(text):
        # Every "![" is reported (inline, reference or shortcut image alike); the target,
        # when it can be read, only chooses the message.
        full = _IMAGE_TARGET_RE.match(text, match.start())
        target = full.group(1) if full else None
        if full:
            image_spans.append(full.span())
        scheme = _url_scheme(target) if target is not None else None
        if scheme in ("http", "https"):
            message = (
                "Bilder von fremden Servern sind nicht erlaubt (der Browser jedes Besuchers "
                "würde sie dort abrufen)"
            )
        elif scheme is not None and scheme not in _SAFE_SCHEMES:
            message = f"Bild mit unzulässiger Adresse ({scheme}:) ist nicht erlaubt"
        else:
            message = (
                "Bilder werden in Fall-Texten nicht unterstützt; bitte beschreiben Sie den "
                "Inhalt im Text oder verlinken Sie eine Quelle"
            )
        problems.append((match.start(), message))
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
    for match in _EMOJI_RE.finditer(text):
        problems.append(
            (
                match.start(),
                f"Emoji-Kürzel (:{match.group(1)}:) sind nicht erlaubt (sie würden Bilder von "
                "fremden Servern laden); bitte das Zeichen selbst oder Text verwenden",
            )
        )
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


def validate_loaded(loaded: LoadedFile, ctx: Context) -> tuple[Case | None, list[Problem]]:
    """Validate one loaded file: a ``Case`` when there are no problems."""
    if loaded.front is None:
        return None, list(loaded.problems)
    checker = FieldChecker(loaded, ctx, list(loaded.problems))
    case = checker.build()
    return case, checker.problems
