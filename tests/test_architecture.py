"""The package layout is the architecture: stages, their order, and no import cycles.

Reads every module's imports (including those under ``TYPE_CHECKING``) with ``ast``, so
a cycle or a stage importing a later one fails here before anyone has to debug it.
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "plugins" / "praxisatlas"

# Pipeline order (DESIGN.md §2): a module may import its own stage and earlier ones.
STAGES = {
    # Utilities every stage may use (DESIGN.md lists them apart from the stages).
    "text_de": -1,
    "cache": -1,
    "cases": 0,
    "output": 1,
    "spill": 2,
    "website": 2,
    "search": 2,
    "opendata": 2,
    "contribute": 2,
    "generators": 3,
    "assembly": 4,
    "compatibility": 3,
    "cli": 4,
    "config": 4,
    "plugin": 5,
}
ADAPTER = {"praxisatlas.plugin", "praxisatlas.config"}


def module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def modules() -> dict[str, Path]:
    return {module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def imports_of(path: Path) -> set[str]:
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            assert node.level == 0, f"{path}: relative import (use absolute imports)"
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
    return found


def internal_graph() -> dict[str, set[str]]:
    known = modules()
    return {
        name: {m for m in imports_of(path) if m in known and m != name}
        for name, path in known.items()
    }


def stage(module: str) -> int | None:
    parts = module.split(".")
    return STAGES.get(parts[1]) if len(parts) > 1 else None


def test_no_import_cycles() -> None:
    graph = internal_graph()
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(graph[node]):
            if state.get(nxt) == 1:
                cycle = [*stack[stack.index(nxt) :], nxt]
                raise AssertionError("import cycle: " + " -> ".join(cycle))
            if nxt not in state:
                visit(nxt)
        stack.pop()
        state[node] = 2

    for name in sorted(graph):
        if name not in state:
            visit(name)


def test_stages_import_only_earlier_stages() -> None:
    wrong = []
    for name, targets in internal_graph().items():
        own = stage(name)
        if own is None:
            continue
        for target in targets:
            theirs = stage(target)
            if theirs is not None and theirs > own:
                wrong.append(f"{name} imports {target}")
            if theirs == own and target.split(".")[1] != name.split(".")[1]:
                wrong.append(f"{name} imports the sibling stage {target}")
    assert wrong == []


def test_only_the_adapter_imports_mkdocs() -> None:
    users = {
        name
        for name, path in modules().items()
        if any(m == "mkdocs" or m.startswith(("mkdocs.", "material")) for m in imports_of(path))
    }
    assert users <= ADAPTER


def test_no_module_shadows_a_well_known_module() -> None:
    well_known = set(sys.stdlib_module_names) | {
        "jsonschema",
        "yaml",
        "markdown",
        "jinja2",
        "lunr",
        "babel",
        "frontmatter",
        "mkdocs",
    }
    shadowing = [n for n in modules() if n.rsplit(".", 1)[-1] in well_known]
    assert shadowing == []


def test_no_two_module_names_differ_only_by_underscores() -> None:
    seen: dict[str, str] = {}
    clashes = []
    for name in modules():
        key = name.rsplit(".", 1)[-1].replace("_", "")
        if key in seen and seen[key] != name.rsplit(".", 1)[-1]:
            clashes.append((seen[key], name))
        seen.setdefault(key, name.rsplit(".", 1)[-1])
    assert clashes == []
