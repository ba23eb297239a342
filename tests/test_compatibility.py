"""The plugin next to MkDocs settings and Material's plugins: a correct site or a clear stop."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from praxisatlas import compatibility
from tests.sitebuild import build_site, repo_config, run_mkdocs, write_site
from tests.synthetic import write_synthetic_cases

pytestmark = pytest.mark.slow


def _cases(tmp_path: Path, n: int = 3) -> dict[str, str]:
    paths = write_synthetic_cases(tmp_path / "synthetic", n, seed=7)
    return {p.name: p.read_text(encoding="utf-8") for p in paths}


def _with_plugins(*extra: Any) -> list[Any]:
    return [*extra, *(repo_config().get("plugins") or [])]


def test_messages_name_the_setting_and_the_fix() -> None:
    assert compatibility.problems(use_directory_urls=True, plugins=["search", "tags"]) == []
    (message,) = compatibility.problems(use_directory_urls=False, plugins=["praxisatlas"])
    assert "'use_directory_urls: false' wird nicht unterstützt" in message
    assert "'use_directory_urls: true'" in message
    # Material's offline plugin switches directory URLs off itself: one message, naming it.
    (message,) = compatibility.problems(use_directory_urls=False, plugins=["material/offline"])
    assert "'offline'" in message and "unpkg.com" in message


@pytest.mark.parametrize(
    ("config", "expected"),
    [
        ({"use_directory_urls": False}, "'use_directory_urls: false' wird nicht unterstützt"),
        ({"plugins": _with_plugins("offline")}, "Materials Plugin 'offline' wird nicht"),
    ],
)
def test_unsupported_setting_stops_the_build_at_once(
    tmp_path: Path, config: dict[str, Any], expected: str
) -> None:
    # A broken case too: the build must stop before the cases are even read.
    cases = _cases(tmp_path, 1)
    name = next(iter(cases))
    cases[name] = cases[name].replace("\nstatus: ", "\nstatus: erfunden-", 1)
    write_site(tmp_path / "site", cases, config=config)
    result = run_mkdocs(tmp_path / "site")
    output = result.stdout + result.stderr
    assert result.returncode != 0
    assert expected in output
    assert "Traceback" not in output
    assert "Der Katalog enthält" not in output
    assert not (tmp_path / "site" / "site").exists()


def test_builds_with_materials_search_and_tags(tmp_path: Path) -> None:
    docs = {
        "ueber.md": "---\ntags:\n  - Projekt\n---\n\n# Über den Praxisatlas\n\nText.\n",
        "schlagworte.md": "# Schlagworte\n\n<!-- material/tags -->\n",
    }
    site = build_site(
        tmp_path,
        _cases(tmp_path),
        docs,
        config={"plugins": _with_plugins("search", "tags")},
    )
    index = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))
    locations = {doc["location"] for doc in index["docs"]}
    assert "themen/" in locations and "ueber/" in locations
    # Case pages stay out of Material's index (DESIGN.md §5); their pages are complete.
    assert not any(location.startswith("faelle/") for location in locations)
    case_pages = sorted((site / "faelle").glob("*/index.html"))
    assert len(case_pages) == 3
    for page in case_pages:
        html = page.read_text(encoding="utf-8")
        assert "Steckbrief" in html and "Ausgangslage" in html
    tags = (site / "schlagworte" / "index.html").read_text(encoding="utf-8")
    assert "Projekt" in tags and "ueber/" in tags
