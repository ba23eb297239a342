"""Problems found in case files, reported as ``path:line: field: message``."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with one case file; messages are German, for contributors."""

    path: str
    line: int
    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.field}: {self.message}"


class CatalogueError(Exception):
    """Raised when a catalogue cannot be built; carries every problem found."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = sorted(problems)
        super().__init__(
            f"{len(self.problems)} Problem(e) in den Fall-Dateien:\n"
            + "\n".join(str(p) for p in self.problems)
        )
