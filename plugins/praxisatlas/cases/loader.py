"""Strict reading of case files: front matter + body, with a line number for every value.

The YAML front matter is parsed from libyaml events (or PyYAML's pure-Python parser when
libyaml is missing) into a small node tree of our own instead of Python objects: every
scalar stays the string that was written (``01054`` stays ``"01054"``, ``no`` stays
``"no"``), and typing is left to the schema. Anchors, aliases, explicit tags, merge keys,
duplicate keys and deep nesting are refused, because each of them lets a file mean
something other than what a reviewer reads.

This module only reads; ``validate.py`` decides what the values mean.
"""

from __future__ import annotations

import os
import re
import stat
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from praxisatlas.cases import hints
from praxisatlas.cases.problems import Problem

MAX_FILE_BYTES = 256 * 1024
MAX_DEPTH = 6
CASE_SUFFIX = ".md"
# Plain scalars that YAML would read as null: we keep them as "no value".
NULL_WORDS = frozenset({"", "~", "null", "Null", "NULL"})

_Loader: type[yaml.BaseLoader] = getattr(yaml, "CBaseLoader", yaml.BaseLoader)


@dataclass(slots=True)
class Node:
    """A YAML node with the 1-based file line it starts on."""

    line: int


@dataclass(slots=True)
class ScalarNode(Node):
    """A scalar exactly as written; ``plain`` is False for quoted and block scalars."""

    value: str
    plain: bool = True

    @property
    def is_null(self) -> bool:
        return self.plain and self.value in NULL_WORDS


@dataclass(slots=True)
class SequenceNode(Node):
    items: tuple[Node, ...]


@dataclass(slots=True)
class Entry:
    """One key of a mapping: the key's line and the value node."""

    key: str
    key_line: int
    value: Node


@dataclass(slots=True)
class MappingNode(Node):
    entries: dict[str, Entry]


def node_kind(node: Node) -> str:
    """German name of the node's kind, for messages."""
    if isinstance(node, MappingNode):
        return "Zuordnung (key: value)"
    if isinstance(node, SequenceNode):
        return "Liste"
    return "Einzelwert"


@dataclass
class LoadedFile:
    """A case file as read: its id (the file stem), front matter tree and body.

    ``front`` is None when the file could not be read; ``problems`` then says why.
    """

    path: str
    id: str
    front: MappingNode | None = None
    body: str = ""
    body_line: int = 1
    problems: list[Problem] = field(default_factory=list)


class _YamlRefused(Exception):
    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.line = line
        self.message = message


class _Composer:
    """Builds our node tree from parser events, refusing what we do not allow."""

    def __init__(self, loader: yaml.BaseLoader, line_offset: int, text: str) -> None:
        self.get: Callable[[], yaml.Event] = loader.get_event
        self.offset = line_offset
        self.lines = text.split("\n")
        # Problems that do not stop reading (the first value of a doubled key is kept,
        # a truncated value is read as YAML reads it), so all of them are reported.
        self.problems: list[tuple[int, str, str]] = []
        self.key = "datei"  # the key whose value is being read, for messages

    def line(self, event: yaml.Event) -> int:
        mark = event.start_mark
        return (int(mark.line) if mark is not None else 0) + self.offset

    def document(self) -> Node | None:
        event = self.get()
        if not isinstance(event, yaml.StreamStartEvent):
            raise _YamlRefused(self.line(event), "YAML-Strom beginnt unerwartet")
        event = self.get()
        if isinstance(event, yaml.StreamEndEvent):
            return None
        root = self.node(self.get(), 1)
        self.get()  # DocumentEndEvent
        event = self.get()
        if not isinstance(event, yaml.StreamEndEvent):
            raise _YamlRefused(
                self.line(event),
                "Der Kopfbereich enthält mehrere YAML-Dokumente; erlaubt ist genau eines",
            )
        return root

    def refuse(self, event: yaml.Event, depth: int) -> None:
        """Raise for aliases, anchors, tags and too deep nesting."""
        line = self.line(event)
        if isinstance(event, yaml.AliasEvent):
            raise _YamlRefused(
                line, f"YAML-Verweise (*{event.anchor}) sind nicht erlaubt; Wert bitte ausschreiben"
            )
        anchor = getattr(event, "anchor", None)
        if anchor is not None:
            raise _YamlRefused(
                line, f"YAML-Anker (&{anchor}) sind nicht erlaubt; Wert bitte ausschreiben"
            )
        tag = getattr(event, "tag", None)
        if tag is not None:
            tag = tag.replace("tag:yaml.org,2002:", "!!")
            raise _YamlRefused(
                line, f"YAML-Tags ({tag}) sind nicht erlaubt; bitte nur den Wert angeben"
            )
        if depth > MAX_DEPTH:
            raise _YamlRefused(
                line, f"Zu tief verschachtelt (mehr als {MAX_DEPTH} Ebenen im Kopfbereich)"
            )

    def node(self, event: Any, depth: int) -> Node:
        # Hot path (every value of every case): attribute access instead of getattr.
        kind = type(event)
        line = event.start_mark.line + self.offset
        if kind is _SCALAR and event.anchor is None and event.tag is None:
            if not event.style:
                self.check_comment(event)
            return ScalarNode(line, event.value, not event.style)
        if kind is _ALIAS or event.anchor is not None or event.tag is not None or depth > MAX_DEPTH:
            self.refuse(event, depth)
        get = self.get
        if kind is _SEQUENCE:
            items: list[Node] = []
            while True:
                event = get()
                if type(event) is _SEQUENCE_END:
                    return SequenceNode(line, tuple(items))
                items.append(self.node(event, depth + 1))
        if kind is _MAPPING:
            entries: dict[str, Entry] = {}
            while True:
                event = get()
                if type(event) is _MAPPING_END:
                    return MappingNode(line, entries)
                key_node = self.node(event, depth + 1)
                if not isinstance(key_node, ScalarNode):
                    raise _YamlRefused(
                        key_node.line, "Schlüssel müssen einfache Namen sein, keine Listen"
                    )
                key = key_node.value
                if key == "<<" and key_node.plain:
                    raise _YamlRefused(
                        key_node.line, "YAML-Merge-Schlüssel (<<) sind nicht erlaubt"
                    )
                self.key = key
                value = self.node(get(), depth + 1)
                if key in entries:
                    self.problems.append(
                        (
                            key_node.line,
                            key,
                            f"Schlüssel '{key}' kommt doppelt vor "
                            f"(zuerst in Zeile {entries[key].key_line}); bitte nur einmal angeben",
                        )
                    )
                    continue
                entries[key] = Entry(key, key_node.line, value)
        raise _YamlRefused(line, "Unerwartetes YAML-Element")

    def check_comment(self, event: Any) -> None:
        """Report a plain value that YAML cuts at `` #`` (the rest is a comment)."""
        end = event.end_mark
        if end is None or not 0 <= end.line < len(self.lines):
            return
        rest = self.lines[end.line][end.column :]
        comment = _COMMENT_AFTER_VALUE.match(rest)
        # A comment is written "value  # note" (two spaces, as yamllint asks); one space
        # or a "#" right before text ("Uhr #1 im Land") is text that YAML cut off.
        if comment is None or (len(comment.group(1)) > 1 and comment.group(2) in ("", " ")):
            return
        shown = event.value if len(event.value) <= 40 else "…" + event.value[-39:]
        self.problems.append(
            (
                end.line + self.offset,
                self.key,
                f"Der Wert endet bei ' #': YAML liest den Rest der Zeile als Kommentar, gelesen "
                f"wurde nur '{shown}'. Bitte den ganzen Wert in Anführungszeichen setzen "
                '("…"); ein gewollter Kommentar steht nach zwei Leerzeichen (wert  # Kommentar) '
                "oder in einer eigenen Zeile",
            )
        )


_SCALAR = yaml.ScalarEvent
_ALIAS = yaml.AliasEvent
_SEQUENCE = yaml.SequenceStartEvent
_SEQUENCE_END = yaml.SequenceEndEvent
_MAPPING = yaml.MappingStartEvent
_MAPPING_END = yaml.MappingEndEvent


_COMMENT_AFTER_VALUE = re.compile(r"([ \t]+)#(.?)")

# libyaml's messages, explained in German (the original stays in parentheses).
_YAML_MESSAGES: tuple[tuple[str, str], ...] = (
    (
        "mapping values are not allowed",
        "ein Doppelpunkt ist hier nicht erlaubt; Wert in Anführungszeichen setzen",
    ),
    ("did not find expected key", "Schlüssel erwartet; Einrückung prüfen"),
    ("could not find expected ':'", "Doppelpunkt nach dem Schlüssel fehlt"),
    (
        "found character that cannot start any token",
        "mit diesem Zeichen darf kein Wert "
        "beginnen; Wert in Anführungszeichen setzen, Tabulatoren durch Leerzeichen ersetzen",
    ),
    ("found a tab character", "Tabulator in der Einrückung; bitte Leerzeichen verwenden"),
    (
        "found unexpected end of stream",
        "unerwartetes Ende; Anführungszeichen oder Klammer nicht geschlossen?",
    ),
    ("did not find expected ',' or ']'", "Komma oder ] fehlt"),
    ("did not find expected ',' or '}'", "Komma oder } fehlt"),
    ("did not find expected '-' indicator", "Listeneintrag mit '- ' erwartet; Einrückung prüfen"),
    (
        "did not find expected <document start>",
        "unerwarteter Inhalt nach dem Ende des Kopfbereichs",
    ),
    (
        "found unknown escape character",
        "unbekannte Escape-Sequenz in Anführungszeichen; "
        "einen Backslash verdoppeln oder einfache Anführungszeichen verwenden",
    ),
    ("did not find expected node content", "Wert fehlt"),
    ("found undefined tag handle", "YAML-Tags sind nicht erlaubt"),
    ("found unexpected ':'", "unerwarteter Doppelpunkt; Wert in Anführungszeichen setzen"),
    ("did not find expected comment or line break", "unerwarteter Text nach dem Wert"),
)


def _german(err: yaml.MarkedYAMLError) -> str:
    detail = err.problem or err.context or "unbekannter Fehler"
    for english, german in _YAML_MESSAGES:
        if english in detail:
            return german
    return f"nicht lesbar (Meldung des YAML-Parsers: {detail})"


# A tab where YAML expects indentation or a separator (quoted values may hold tabs).
_TAB_RE = re.compile(r"^[ \t]*\t|[:-]\t|\t[ \t]*(?:#|$)", re.MULTILINE)


def _tab_line(text: str) -> int | None:
    """0-based line of the first tab YAML would stumble over, if any."""
    match = _TAB_RE.search(text)
    return text.count("\n", 0, match.start()) if match else None


def parse_front_matter(
    text: str, first_line: int = 1, problems: list[tuple[int, str, str]] | None = None
) -> Node | None:
    """Parse YAML text into our node tree; ``first_line`` is the file line of its line 1.

    Raises ``ValueError`` with ``args == (line, message)`` on anything refused. Problems
    that do not stop reading (doubled keys, values cut at `` #``) are appended to
    ``problems`` as (line, key, message); without that list the first one is raised.
    """
    loader = _Loader(text)
    composer = _Composer(loader, first_line, text)
    try:
        root = composer.document()
    except _YamlRefused as err:
        raise ValueError(err.line, err.message) from None
    except yaml.MarkedYAMLError as err:
        mark = err.problem_mark or err.context_mark
        line = int(mark.line) + first_line if mark is not None else first_line
        tab = hints.tab_in_yaml(text, err.problem or "", mark, first_line)
        if tab is not None:  # German only, with the tab's line and column
            raise ValueError(*tab) from None
        tab_line = _tab_line(text)  # a tab elsewhere that led to a later error
        if tab_line is not None:
            raise ValueError(
                tab_line + first_line,
                "YAML-Syntaxfehler: Tabulatorzeichen im Kopfbereich; YAML erlaubt zum "
                "Einrücken und nach ':' oder '-' nur Leerzeichen. Bitte den Tabulator durch "
                "Leerzeichen ersetzen",
            ) from None
        raise ValueError(line, f"YAML-Syntaxfehler: {_german(err)}") from None
    except yaml.reader.ReaderError as err:
        line = text.count("\n", 0, max(err.position, 0)) + first_line
        raise ValueError(
            line,
            f"Steuerzeichen U+{err.character:04X} im Kopfbereich ist nicht erlaubt; bitte "
            "entfernen (oft beim Kopieren aus Webseiten oder PDFs eingefügt)",
        ) from None
    except yaml.YAMLError as err:
        raise ValueError(first_line, f"YAML-Fehler: {err}") from None
    except Exception as err:  # a parser state we did not foresee must not be a traceback
        raise ValueError(first_line, f"YAML nicht lesbar ({type(err).__name__})") from None
    finally:
        loader.dispose()
    if problems is not None:
        problems.extend(composer.problems)
    elif composer.problems:
        line, _key, message = composer.problems[0]
        raise ValueError(line, message)
    return root


_CLOSING_RE = re.compile(r"^---[ \t]*$", re.MULTILINE)


def split_front_matter(text: str) -> tuple[str, str, int] | str:
    """Split normalised text into (yaml, body, body_line), or return a German error."""
    if not text.strip():
        return "Die Datei ist leer"
    first, _, rest = text.partition("\n")
    if first.rstrip() != "---":
        return "Die Datei muss mit einer Zeile '---' beginnen (Kopfbereich mit den Angaben)"
    closing = _CLOSING_RE.search(rest)
    if closing is None:
        return "Die schließende Zeile '---' des Kopfbereichs fehlt"
    yaml_text = rest[: closing.start()]
    body = rest[closing.end() + 1 :]
    return yaml_text, body, yaml_text.count("\n") + 3


def decode(data: bytes) -> str:
    """Decode UTF-8 (BOM allowed), normalise line endings and Unicode (NFC).

    NFC: macOS tools save "ö" as "o" + combining diaeresis (NFD); both must read, match
    and publish as the same text. Raises UnicodeDecodeError.
    """
    text = data.decode("utf-8-sig")
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text if unicodedata.is_normalized("NFC", text) else unicodedata.normalize("NFC", text)


def _utf16(data: bytes) -> bool:
    """Whether ``data`` looks like UTF-16 text (a byte-order mark, or ASCII with NULs
    in every other byte)."""
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        return True
    sample = data[:400]
    if len(sample) < 8:
        return False
    for start in (0, 1):
        zeros = sample[1 - start :: 2]
        if zeros.count(0) >= 0.9 * len(zeros) and sample[start::2].count(0) == 0:
            return True
    return False


def load_bytes(data: bytes, path: str, case_id: str, size: int | None = None) -> LoadedFile:
    """Read one case file's bytes; every failure becomes a problem on the result.

    ``size`` is the size on disk when only the first bytes were read.
    """
    size = len(data) if size is None else size
    loaded = LoadedFile(path=path, id=case_id)

    def fail(line: int, message: str) -> LoadedFile:
        loaded.problems.append(Problem(path, line, "datei", message))
        return loaded

    if size > MAX_FILE_BYTES or len(data) > MAX_FILE_BYTES:
        return fail(
            1,
            f"Die Datei ist zu groß ({-(-max(size, len(data)) // 1024)} KiB; "
            f"höchstens {MAX_FILE_BYTES // 1024} KiB)",
        )
    if _utf16(data):
        return fail(
            1,
            "Die Datei ist in UTF-16 gespeichert; bitte als UTF-8 speichern (im Editor "
            "„Speichern unter“ mit der Kodierung UTF-8)",
        )
    if b"\x00" in data:
        line = data[: data.index(b"\x00")].count(b"\n") + 1
        return fail(line, "Die Datei enthält NUL-Bytes (keine Textdatei?)")
    try:
        text = decode(data)
    except UnicodeDecodeError as err:
        line = data[: err.start].count(b"\n") + 1
        return fail(
            line,
            f"Die Datei ist nicht in UTF-8 gespeichert (Byte 0x{data[err.start]:02x} an "
            f"Position {err.start}); bitte als UTF-8 speichern",
        )
    split = split_front_matter(text)
    if isinstance(split, str):
        return fail(1, split)
    yaml_text, body, body_line = split
    kept: list[tuple[int, str, str]] = []
    try:
        root = parse_front_matter(yaml_text, first_line=2, problems=kept)
    except ValueError as err:
        return fail(int(err.args[0]), str(err.args[1]))
    loaded.problems.extend(Problem(path, line, key, message) for line, key, message in kept)
    if root is None or (isinstance(root, ScalarNode) and root.is_null):
        return fail(1, "Der Kopfbereich zwischen den '---'-Zeilen ist leer")
    if not isinstance(root, MappingNode):
        return fail(
            root.line,
            f"Der Kopfbereich muss aus 'schlüssel: wert'-Zeilen bestehen, nicht aus einer "
            f"{node_kind(root)}",
        )
    loaded.front = root
    loaded.body = body
    loaded.body_line = body_line
    return loaded


def printable(name: str) -> str:
    """A file name as text: bytes that are not UTF-8 become visible escapes (\\xe9)."""
    return name.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


def case_id_of(file: Path) -> str:
    """The id a case file gives its case: its name without ``.md``."""
    name = printable(file.name)
    return name[: -len(CASE_SUFFIX)] if name.endswith(CASE_SUFFIX) else Path(name).stem


def read_file(file: Path, path: str) -> tuple[bytes, int] | LoadedFile:
    """One case file's first bytes and its size on disk (no symlinks, regular files only,
    size-capped); a ``LoadedFile`` with the problem when it cannot be read."""
    try:
        info = os.lstat(file)
        if stat.S_ISLNK(info.st_mode) or not stat.S_ISREG(info.st_mode):
            loaded = LoadedFile(path=path, id=case_id_of(file))
            loaded.problems.append(
                Problem(path, 1, "datei", "Keine normale Datei (symbolischer Link o. Ä.)")
            )
            return loaded
        # O_NOFOLLOW: a file swapped for a symlink after the check above is not followed.
        descriptor = os.open(file, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
        with os.fdopen(descriptor, "rb") as handle:
            data = handle.read(MAX_FILE_BYTES + 1)
    except OSError as err:
        loaded = LoadedFile(path=path, id=case_id_of(file))
        loaded.problems.append(
            Problem(path, 1, "datei", f"Die Datei kann nicht gelesen werden: {err.strerror}")
        )
        return loaded
    return data, info.st_size


def load_file(file: Path, path: str) -> LoadedFile:
    """Read one case file from disk (see ``read_file``)."""
    read = read_file(file, path)
    if isinstance(read, LoadedFile):
        return read
    data, size = read
    return load_bytes(data, path, case_id_of(file), size=size)
