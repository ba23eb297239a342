"""Code-health limits (issue 17): complexity, module size and dead code.

radon grades each function's cyclomatic complexity; D (21+) or worse means a function
does too many things to read or test. vulture finds definitions nothing uses. Both run
through their Python APIs over the package, so the limits hold in every test run.
"""

from __future__ import annotations

from pathlib import Path

import vulture
from radon.complexity import cc_rank, cc_visit

PACKAGE = Path(__file__).resolve().parent.parent / "plugins" / "praxisatlas"
MAX_MODULE_LINES = 500

# The only modules allowed over the size limit, with a ceiling: it may only shrink.
LONG: dict[str, int] = {
    # A declarative table: one FieldSpec per front-matter key, nothing else to split.
    "cases/schema.py": 600,
}
# Used from outside Python's view: MkDocs calls the plugin's hooks and reads attributes
# it sets on pages and files; PyYAML calls increase_indent with its own arguments.
VULTURE_IGNORE = [
    "PraxisatlasPlugin",
    "on_*",
    "dirty",
    "rendered_html",
    "active",
    "content_bytes",
    "content_string",
    "_current_page",
    "__class__",
    "indentless",
    # urllib calls the link check's handler methods; http.client its connection factory.
    "http_open",
    "https_open",
    "_create_connection",
    # Observability used by tests (what was fetched, what was stemmed, what is a page).
    "taken_by_back",
    "stems_seen",
    "is_page",
    "land_by_slug",
    "record_from_case",
    "arc_owners",
    # Called by pickle (checked_cases.py).
    "persistent_id",
    "persistent_load",
    "find_class",
    "dispatch_table",
    # Read by the Jinja templates.
    "place",
    # Kept as data though no code reads it yet (reference data, form descriptions).
    "short",
    "github_path",
    "gitlab_path",
]


def _modules() -> list[Path]:
    return sorted(PACKAGE.rglob("*.py"))


def _name(path: Path) -> str:
    return path.relative_to(PACKAGE).as_posix()


def test_no_function_is_graded_d_or_worse() -> None:
    found: dict[str, str] = {}
    for path in _modules():
        for block in cc_visit(path.read_text(encoding="utf-8")):
            rank = cc_rank(block.complexity)
            if rank >= "D":
                found[f"{_name(path)}:{block.fullname}"] = rank
    assert found == {}, "Funktion aufteilen (radon cc)"


def test_no_module_is_much_longer_than_about_500_lines() -> None:
    lengths = {_name(p): len(p.read_text(encoding="utf-8").splitlines()) for p in _modules()}
    too_long = {
        name: count for name, count in lengths.items() if count > LONG.get(name, MAX_MODULE_LINES)
    }
    assert too_long == {}
    assert all(lengths.get(name, 0) > MAX_MODULE_LINES for name in LONG), "LONG kürzen"


def test_no_dead_code() -> None:
    scanner = vulture.Vulture(ignore_names=VULTURE_IGNORE)
    scanner.scavenge([str(PACKAGE)])
    unused = [
        f"{Path(item.filename).relative_to(PACKAGE)}:{item.first_lineno}: {item.message}"
        for item in scanner.get_unused_code(min_confidence=60)
    ]
    assert unused == []
