"""Synonyms and abbreviations for the catalogue search (``data/synonyms.yml``).

Editors keep a German list of equivalent terms (``gleichbedeutend``, both directions) and
of narrower terms (``unterbegriffe``, one direction). Each term is analysed like indexed
text (``GermanAnalyzer``), so a term is a sequence of stems. ``expansions`` resolves the
list into what ``katalog.js`` needs: for every term (its stems joined by a space), the
terms a query for it also looks for. The list is checked when the site is built: every
term must be searchable, appear only once, and narrower terms must not form a cycle.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from praxisatlas.search.german import GermanAnalyzer

DEFAULT_PATH = "data/synonyms.yml"


class SynonymError(ValueError):
    """The synonym list is broken; ``problems`` are ``path:line: field: message`` lines."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__(
            f"Die Synonymliste enthält {len(problems)} Problem(e):\n" + "\n".join(problems)
        )
        self.problems = problems


@dataclass(frozen=True)
class Synonyms:
    """Equivalence groups and narrower terms, each term as its analysed stems."""

    groups: tuple[tuple[str, ...], ...]
    narrower: dict[str, tuple[str, ...]]

    def expansions(self) -> dict[str, list[str]]:
        """Per term: itself, the other members of its group, and (transitively) the
        narrower terms of any of them — in a fixed order."""
        group_of: dict[str, tuple[str, ...]] = {}
        for group in self.groups:
            for term in group:
                group_of[term] = group
        terms = sorted({*group_of, *self.narrower, *(t for v in self.narrower.values() for t in v)})
        result: dict[str, list[str]] = {}
        for term in terms:
            seen: list[str] = []
            todo = [term]
            while todo:
                current = todo.pop(0)
                for equal in group_of.get(current, (current,)):
                    if equal not in seen:
                        seen.append(equal)
                        todo.extend(self.narrower.get(equal, ()))
            if len(seen) > 1:
                result[term] = seen
        return result


def load_synonyms(path: str | Path | None = None) -> Synonyms:
    """Read and check the list (the packaged one unless ``path`` is given)."""
    if path is None:
        text = resources.files("praxisatlas").joinpath(DEFAULT_PATH).read_text("utf-8")
        shown = f"praxisatlas/{DEFAULT_PATH}"
    else:
        text = Path(path).read_text("utf-8")
        shown = str(path)
    return parse_synonyms(text, shown)


def parse_synonyms(text: str, shown: str) -> Synonyms:
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as error:
        raise SynonymError([f"{shown}:1: -: kein gültiges YAML ({error})"]) from None
    reader = _Reader(shown)
    sections = reader.sections(root)
    groups = reader.groups(sections.get("gleichbedeutend"))
    narrower = reader.narrower(sections.get("unterbegriffe"))
    reader.check_cycles(narrower)
    if reader.problems:
        raise SynonymError(reader.problems)
    return Synonyms(tuple(groups), narrower)


class _Reader:
    """Reads the list's node tree; every problem goes into ``problems``."""

    def __init__(self, shown: str) -> None:
        self.shown = shown
        self.analyzer = GermanAnalyzer()
        self.problems: list[str] = []
        self.first_line: dict[str, int] = {}
        # The node of each broader term, for messages about its narrower terms.
        self.key_nodes: dict[str, Node] = {}

    def report(self, node: Node, field: str, message: str) -> None:
        self.problems.append(f"{self.shown}:{node.start_mark.line + 1}: {field}: {message}")

    def term_of(self, node: Node, field: str) -> str | None:
        if not isinstance(node, ScalarNode) or not str(node.value).strip():
            self.report(node, field, "Begriff muss ein nicht leerer Text sein")
            return None
        stems = " ".join(self.analyzer.terms(str(node.value)))
        if not stems:
            self.report(
                node,
                field,
                f"„{node.value}“ besteht nur aus Stoppwörtern oder Zahlen und ist nicht suchbar",
            )
            return None
        return stems

    def claim(self, node: Node, field: str, stems: str) -> bool:
        if stems in self.first_line:
            self.report(
                node,
                field,
                f"„{node.value}“ steht schon in Zeile {self.first_line[stems]} "
                "(ein Begriff darf nur in einer Gruppe stehen)",
            )
            return False
        self.first_line[stems] = node.start_mark.line + 1
        return True

    def sections(self, root: Node | None) -> dict[str, Node]:
        sections: dict[str, Node] = {}
        if isinstance(root, MappingNode):
            for key, value in root.value:
                if key.value not in ("gleichbedeutend", "unterbegriffe"):
                    self.report(
                        key,
                        str(key.value),
                        "unbekannter Abschnitt (erlaubt: gleichbedeutend, unterbegriffe)",
                    )
                else:
                    sections[key.value] = value
        elif root is not None:
            self.report(root, "-", "erwartet die Abschnitte gleichbedeutend und unterbegriffe")
        return sections

    def groups(self, node: Node | None) -> list[tuple[str, ...]]:
        groups: list[tuple[str, ...]] = []
        if node is not None and not isinstance(node, SequenceNode):
            self.report(node, "gleichbedeutend", "erwartet eine Liste von Gruppen")
            return groups
        for group_node in node.value if node is not None else ():
            if not isinstance(group_node, SequenceNode) or len(group_node.value) < 2:
                self.report(
                    group_node, "gleichbedeutend", "eine Gruppe braucht mindestens zwei Begriffe"
                )
                continue
            group = []
            for item in group_node.value:
                stems = self.term_of(item, "gleichbedeutend")
                if stems is not None and self.claim(item, "gleichbedeutend", stems):
                    group.append(stems)
            if len(group) > 1:
                groups.append(tuple(group))
        return groups

    def narrower(self, node: Node | None) -> dict[str, tuple[str, ...]]:
        narrower: dict[str, tuple[str, ...]] = {}
        if node is not None and not isinstance(node, MappingNode):
            self.report(node, "unterbegriffe", "erwartet Oberbegriff: [Unterbegriffe]")
            return narrower
        for key, value in node.value if node is not None else ():
            broader = self.term_of(key, "unterbegriffe")
            if not isinstance(value, SequenceNode) or not value.value:
                self.report(
                    value, f"unterbegriffe.{key.value}", "erwartet eine Liste von Unterbegriffen"
                )
                continue
            items = [self.term_of(item, f"unterbegriffe.{key.value}") for item in value.value]
            if broader is None:
                continue
            if broader in narrower:
                self.report(key, "unterbegriffe", f"„{key.value}“ steht doppelt")
                continue
            self.key_nodes[broader] = key
            narrower[broader] = tuple(i for i in items if i is not None and i != broader)
        return narrower

    def check_cycles(self, narrower: dict[str, tuple[str, ...]]) -> None:
        """Narrower terms must not lead back to where they started (depth-first, fixed
        order)."""
        state: dict[str, int] = {}

        def visit(term: str, path: list[str]) -> None:
            state[term] = 1
            for child in narrower.get(term, ()):
                if state.get(child) == 1:
                    cycle = [*path[path.index(child) :], child] if child in path else [term, child]
                    self.report(
                        self.key_nodes[term], "unterbegriffe", "Kreis: " + " → ".join(cycle)
                    )
                elif child not in state:
                    visit(child, [*path, child])
            state[term] = 2

        for term in narrower:
            if term not in state:
                visit(term, [term])
