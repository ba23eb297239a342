"""Problems found in case files, reported as ``path:line: field: message``."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

# Categories a terminal or a log viewer may not show as what they are: control
# characters (ESC starts terminal sequences), format characters (bidi overrides,
# zero-width characters), line separators, surrogates, private-use and unassigned.
_INVISIBLE_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"})


def visible(text: str) -> str:
    """``text`` with every invisible or control character written as an escape.

    Problems echo values from case files; raw, an ESC sequence could forge or hide CI
    log lines and a zero-width space would make two different names look the same.
    """
    if text.isprintable():  # the common case: nothing to escape (Zs aside, see below)
        return text
    parts: list[str] = []
    for ch in text:
        if unicodedata.category(ch) in _INVISIBLE_CATEGORIES:
            code = ord(ch)
            parts.append(
                f"\\x{code:02x}"
                if code < 0x100
                else f"\\u{code:04x}"
                if code < 0x10000
                else f"\\U{code:08x}"
            )
        else:  # e.g. a no-break space: printable on every terminal
            parts.append(ch)
    return "".join(parts)


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with one case file; messages are German, for contributors.

    Every part is stored escaped (see ``visible``), so no output path can print a raw
    control or format character from a case file. ``warning`` marks a problem that
    fails only under ``--strict`` (and in CI).
    """

    path: str
    line: int
    field: str
    message: str
    warning: bool = False

    def __post_init__(self) -> None:
        for name in ("path", "field", "message"):
            value = getattr(self, name)
            shown = visible(value)
            if shown is not value:
                object.__setattr__(self, name, shown)

    def __str__(self) -> str:
        note = "Warnung: " if self.warning else ""
        return f"{self.path}:{self.line}: {self.field}: {note}{self.message}"


def errors(problems: list[Problem]) -> list[Problem]:
    """The problems that are not warnings."""
    return [p for p in problems if not p.warning]


class CatalogueError(Exception):
    """Raised when a catalogue cannot be built; carries every problem found."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = sorted(problems)
        super().__init__(
            f"{len(self.problems)} Problem(e) in den Fall-Dateien:\n"
            + "\n".join(str(p) for p in self.problems)
        )
