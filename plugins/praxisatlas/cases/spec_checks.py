"""The checks driven by the field declarations (``schema.FIELDS``).

Every key and value of the front matter is checked against its ``FieldSpec``: known
key, required, type (mapping, list, boolean, text), length, and the value's format
(enum, URL, e-mail, phone, dates, topic, OZG field, LeiKa key, Land, case id). The
formats that need reference data read it from the ``Context``.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Callable
from typing import Any

from praxisatlas.cases import hints
from praxisatlas.cases.addresses import char_name, internal_host, url_problem
from praxisatlas.cases.check_context import Checker, hint
from praxisatlas.cases.loader import Entry, MappingNode, Node, ScalarNode, SequenceNode, node_kind
from praxisatlas.cases.schema import (
    DATE_PATTERN,
    EMAIL_PATTERN,
    ID_PATTERN,
    LEIKA_PATTERN,
    MARKUP_PATTERN,
    PHONE_PATTERN,
    FieldSpec,
)

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

FormatCheck = Callable[["SpecChecks", FieldSpec, str, int, str], "str | None"]


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


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


_BY_KEY: dict[int, tuple[tuple[FieldSpec, ...], dict[str, FieldSpec]]] = {}


def _by_key(specs: tuple[FieldSpec, ...]) -> dict[str, FieldSpec]:
    """Specs by key, computed once per spec tuple (they are module-level constants)."""
    cached = _BY_KEY.get(id(specs))
    if cached is None or cached[0] is not specs:
        cached = _BY_KEY[id(specs)] = (specs, {s.key: s for s in specs})
    return cached[1]


def _is_null(node: Node) -> bool:
    return isinstance(node, ScalarNode) and node.is_null


class SpecChecks(Checker):
    """Keys and values against their declarations; returns the values that passed."""

    # --- structure ------------------------------------------------------------------

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
                known = f" (meinten Sie '{alias}'?)" if alias in by_key else hint(key, by_key)
                self.report(
                    entry.key_line, _join(path, key), f"Unbekannter Schlüssel '{key}'{known}"
                )
                continue
            value = self.check_value(spec, entry.value, _join(path, key), entry)
            if value is not None:
                values[key] = value
        for spec in specs:
            found = node.entries.get(spec.key)
            if not spec.required or (found is not None and not _is_null(found.value)):
                continue
            where = _join(path, spec.key)
            if found is None:
                self.report(line, where, f"Pflichtangabe fehlt ({spec.label})")
            else:
                self.report(found.key_line, where, f"Pflichtangabe ist leer ({spec.label})")
        return values

    def check_value(self, spec: FieldSpec, node: Node, path: str, entry: Entry | None) -> Any:
        if _is_null(node):
            return None
        if spec.type == "object":
            return self.check_object(spec, node, path, entry)
        if spec.type == "list":
            return self.check_list(spec, node, path)
        if not isinstance(node, ScalarNode):
            self.report(node.line, path, f"Erwartet einen Einzelwert, gefunden: {node_kind(node)}")
            return None
        if spec.type == "boolean":
            return self.check_boolean(node, path)
        return self.check_string(spec, node, path)

    def check_object(
        self, spec: FieldSpec, node: Node, path: str, entry: Entry | None
    ) -> dict[str, Any] | None:
        if not isinstance(node, MappingNode):
            self.report(
                node.line, path, f"Erwartet 'schlüssel: wert'-Angaben, gefunden: {node_kind(node)}"
            )
            return None
        return self.check_mapping(spec.fields, node, path, entry.key_line if entry else node.line)

    def check_list(self, spec: FieldSpec, node: Node, path: str) -> list[Any] | None:
        if not isinstance(node, SequenceNode):
            extra = ""
            if isinstance(node, ScalarNode):
                extra = f"; als Liste schreiben, z. B. [{node.value}] oder mit '- ' je Zeile"
            self.report(node.line, path, f"Erwartet eine Liste, gefunden: {node_kind(node)}{extra}")
            return None
        count = len(node.items)
        if spec.min_length is not None and count < spec.min_length:
            self.report(node.line, path, f"Mindestens {spec.min_length} Einträge nötig")
        if spec.max_length is not None and count > spec.max_length:
            self.report(
                node.line, path, f"Höchstens {spec.max_length} Einträge erlaubt (gefunden: {count})"
            )
        assert spec.items is not None
        items: list[Any] = []
        for index, item in enumerate(node.items):
            item_path = f"{path}[{index}]"
            if _is_null(item):
                self.report(item.line, item_path, "Leerer Listeneintrag")
                items.append(None)
            else:
                items.append(self.check_value(spec.items, item, item_path, None))
        return items

    def check_boolean(self, node: ScalarNode, path: str) -> bool | None:
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

    # --- text values ----------------------------------------------------------------

    def check_string(self, spec: FieldSpec, node: ScalarNode, path: str) -> str | None:
        line = node.line
        value: str | None = node.value.strip()
        if spec.format in ("text", "longtext"):
            value = self.plain_text(spec.format, node.value.strip(), line, path)
        if value is None or not self.length_fits(spec, value, line, path):
            return None
        check = _FORMAT_CHECKS.get(spec.format or "")
        if check is not None:
            return check(self, spec, value, line, path)
        if spec.pattern is not None and spec.format != "ags" and not re.match(spec.pattern, value):
            self.report(line, path, f"Ungültiges Format: '{value}'")
            return None
        return value

    def plain_text(self, fmt: str, value: str, line: int, path: str) -> str | None:
        """One line (``text``) or whitespace folded (``longtext``), no hidden characters,
        no markup."""
        value = " ".join(value.split()) if fmt == "longtext" else value
        if fmt == "text" and "\n" in value:
            self.report(line, path, "Nur eine Zeile erlaubt")
            return None
        hidden = hidden_character(value)
        if hidden is not None:
            self.report(line, path, hidden)
            return None
        if _MARKUP_RE.search(value):
            self.report(line, path, "Nur Klartext erlaubt: keine Markdown- oder HTML-Auszeichnung")
            return None
        return value

    def length_fits(self, spec: FieldSpec, value: str, line: int, path: str) -> bool:
        if not value:
            self.report(line, path, f"Darf nicht leer sein ({spec.label})")
            return False
        if spec.min_length is not None and len(value) < spec.min_length:
            self.report(line, path, f"Zu kurz: mindestens {spec.min_length} Zeichen")
            return False
        if spec.max_length is not None and len(value) > spec.max_length:
            self.report(
                line, path, f"Zu lang: {len(value)} Zeichen, höchstens {spec.max_length} erlaubt"
            )
            return False
        return True

    # --- formats --------------------------------------------------------------------

    def check_enum(self, spec: FieldSpec, value: str, line: int, path: str) -> str | None:
        assert spec.enum is not None
        if value in spec.enum:
            return value
        self.report(
            line,
            path,
            f"Unbekannter Wert '{value}'{hint(value, spec.enum)}; erlaubt: {', '.join(spec.enum)}",
        )
        return None

    def check_url(self, _spec: FieldSpec, value: str, line: int, path: str) -> str | None:
        reason = url_problem(value)
        if reason is None:
            return value
        self.report(
            line, path, f"Keine gültige Webadresse: '{value}' – {reason}{hints.url_hint(value)}"
        )
        return None

    def check_email(self, _spec: FieldSpec, value: str, line: int, path: str) -> str | None:
        if not EMAIL_RE.match(value):
            self.report(line, path, f"Keine gültige E-Mail-Adresse: '{value}'")
            return None
        reason = internal_host(value.rsplit("@", 1)[1])
        if reason is not None:
            self.report(line, path, f"Keine öffentliche E-Mail-Adresse: '{value}' – {reason}")
            return None
        return value

    def check_phone(self, _spec: FieldSpec, value: str, line: int, path: str) -> str | None:
        digits = sum(ch.isdigit() for ch in value)
        if PHONE_RE.match(value) and 6 <= digits <= 17:
            return value
        self.report(line, path, f"Keine plausible Telefonnummer: '{value}' (z. B. +49 5121 309-0)")
        return None

    def check_ozg(self, _spec: FieldSpec, value: str, line: int, path: str) -> str | None:
        ozg = self.ctx.vocabulary.ozg_themenfelder
        if value in ozg:
            return value
        self.report(line, path, f"Unbekanntes OZG-Themenfeld '{value}'{hint(value, ozg)}")
        return None

    def check_leika(self, _spec: FieldSpec, value: str, line: int, path: str) -> str | None:
        if LEIKA_RE.match(value):
            return value
        self.report(
            line,
            path,
            "LeiKa-Schlüssel müssen genau 14 Ziffern haben (in Anführungszeichen), "
            f"gefunden: '{value}'",
        )
        return None

    def check_land(self, _spec: FieldSpec, value: str, line: int, path: str) -> str | None:
        if value in self.ctx.reference.land_by_code:
            return value
        land = self.ctx.reference.find_land(value)
        known = f'; für {land.name} bitte "{land.code}" angeben' if land else ""
        self.report(
            line, path, f"Unbekannter Länderschlüssel '{value}' (2 Ziffern, 01 bis 16){known}"
        )
        return None

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
            date_hint = hints.date_hint(value, allow_day)
            self.report(line, path, f"Erwartet {expected}, gefunden: '{value}'{date_hint}")
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
        topic = self.ctx.vocabulary.topics.get(value)
        if topic is None:
            self.report(
                line,
                path,
                f"Unbekanntes Thema '{value}'{hint(value, self.ctx.vocabulary.active_slugs())} "
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
                f"Es gibt keinen Fall '{value}' (Datei cases/{value}.md){hint(value, known)}",
            )
            return None
        return value


# The check of each ``FieldSpec.format`` beyond length (formats not listed: the
# declaration's pattern, if any).
_FORMAT_CHECKS: dict[str, FormatCheck] = {
    "enum": SpecChecks.check_enum,
    "url": SpecChecks.check_url,
    "email": SpecChecks.check_email,
    "phone": SpecChecks.check_phone,
    "ozg": SpecChecks.check_ozg,
    "leika": SpecChecks.check_leika,
    "land": SpecChecks.check_land,
    "date": lambda checker, _spec, value, line, path: checker.check_date(value, line, path),
    "partial-date": lambda checker, spec, value, line, path: checker.check_partial_date(
        value, line, path, allow_day=spec.key == "date"
    ),
    "topic": lambda checker, _spec, value, line, path: checker.check_topic(value, line, path),
    "case-id": lambda checker, _spec, value, line, path: checker.check_case_ref(value, line, path),
}
