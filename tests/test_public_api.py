"""The plugin stays on MkDocs' and Material's public plugin API (DESIGN.md §2).

Greps the package: no private attribute of another object is read or written, no class
is swapped at run time, no deprecated event is used, no process is started or forked,
and no build step of MkDocs is copied or called.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import mkdocs.plugins

PACKAGE = Path(__file__).resolve().parent.parent / "plugins" / "praxisatlas"

# Events MkDocs documents as deprecated (mkdocs.org, "Plugins" → "Events").
DEPRECATED_EVENTS = {"on_page_read_source"}
FORBIDDEN = {
    "class swap": re.compile(r"__class__\s*="),
    "fork": re.compile(r"\bos\.fork\b|\bfork\(|memfd_create"),
    "multiprocessing": re.compile(r"\bmultiprocessing\b|ProcessPoolExecutor"),
    "MkDocs build steps": re.compile(
        r"_populate_page|_build_page|_build_theme_template|mkdocs\.commands\.build"
    ),
    "deprecated event": re.compile("|".join(DEPRECATED_EVENTS)),
}


# Names that only ever hold our own objects: argparse's namespace gets ``_run`` from the CLI.
OWN_OBJECTS = {"self", "cls", "args"}
# argparse looks its messages up through its module-level gettext alias ``_``; the CLI
# swaps it for German ones (cli/_deutsch.py). Not MkDocs or Material.
ALLOWED_MODULE_ATTRIBUTES = {("argparse", "_")}


def _sources() -> dict[Path, str]:
    return {p: p.read_text(encoding="utf-8") for p in sorted(PACKAGE.rglob("*.py"))}


def test_no_fork_class_swap_copied_build_step_or_deprecated_event() -> None:
    found = [
        f"{path.relative_to(PACKAGE)}:{number}: {what}"
        for path, text in _sources().items()
        for number, line in enumerate(text.splitlines(), 1)
        for what, pattern in FORBIDDEN.items()
        if pattern.search(line)
    ]
    assert found == []


def test_no_private_attribute_of_another_object() -> None:
    """``x._name`` only on objects of our own (``self``, ``cls``, the CLI's arguments)."""
    found = []
    for path, text in _sources().items():
        for node in ast.walk(ast.parse(text)):
            if not isinstance(node, ast.Attribute):
                continue
            name = node.attr
            if not name.startswith("_") or (name.startswith("__") and name.endswith("__")):
                continue
            owner = node.value
            if isinstance(owner, ast.Name) and owner.id in OWN_OBJECTS:
                continue
            if isinstance(owner, ast.Name) and (owner.id, name) in ALLOWED_MODULE_ATTRIBUTES:
                continue
            found.append(f"{path.relative_to(PACKAGE)}:{node.lineno}: .{name}")
    assert found == []


def test_plugin_events_are_current_mkdocs_events() -> None:
    from praxisatlas.plugin import PraxisatlasPlugin

    events = {name for name in vars(PraxisatlasPlugin) if name.startswith("on_")}
    assert "on_files" in events and "on_startup" in events
    current = {f"on_{event}" for event in mkdocs.plugins.EVENTS} - DEPRECATED_EVENTS
    assert events <= current


def test_the_grep_would_find_what_it_forbids() -> None:
    # The patterns are live: each matches the code it is meant to keep out.
    samples = {
        "class swap": "page.__class__ = Other",
        "fork": "pid = os.fork()",
        "multiprocessing": "import multiprocessing",
        "MkDocs build steps": "from mkdocs.commands.build import _populate_page",
        "deprecated event": "def on_page_read_source(self, page, config):",
    }
    for what, sample in samples.items():
        assert FORBIDDEN[what].search(sample), what
