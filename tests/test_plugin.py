"""The MkDocs plugin as a whole: real case files, the failure listing, options, serve."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from mkdocs.exceptions import PluginError

from praxisatlas.cases.pipeline import collect
from praxisatlas.config import today_of
from praxisatlas.plugin import PraxisatlasPlugin
from tests.sitebuild import TODAY, build_site, run_mkdocs, write_site
from tests.synthetic import write_synthetic_cases

pytestmark = pytest.mark.slow


def _synthetic(tmp_path: Path, n: int) -> dict[str, str]:
    paths = write_synthetic_cases(tmp_path / "synthetic", n, seed=3)
    return {p.name: p.read_text(encoding="utf-8") for p in paths}


def test_builds_real_case_files(tmp_path: Path) -> None:
    cases = _synthetic(tmp_path, 4)
    site = build_site(tmp_path / "site", cases)
    for name in cases:
        page = site / "faelle" / name.removesuffix(".md") / "index.html"
        assert "Fiktiver Beispielfall" in page.read_text(encoding="utf-8")


def test_broken_cases_fail_with_every_problem_listed(tmp_path: Path) -> None:
    cases = _synthetic(tmp_path, 3)
    names = sorted(cases)
    cases[names[0]] = cases[names[0]].replace("\nstatus: ", "\nstatus: erfunden-", 1)
    cases[names[1]] = "\n".join(
        line for line in cases[names[1]].splitlines() if not line.startswith("title:")
    )
    cases[names[2]] = cases[names[2]].replace("\ntopics:", "\ntopics:\n  - gibt-es-nicht", 1)
    root = tmp_path / "broken"
    write_site(root, cases)
    result = run_mkdocs(root)
    output = result.stdout + result.stderr
    assert result.returncode != 0
    assert "Traceback" not in output
    # Exactly the problems `praxisatlas validate` reports (same text, path:line: field: …).
    _, problems = collect(root / "cases")
    assert len(problems) >= 3
    for problem in problems:
        assert str(problem) in output
    assert {p.path.rsplit("/", 1)[-1] for p in problems} == set(names)
    assert f"Der Katalog enthält {len(problems)} Problem(e)" in output


def test_disabled_plugin_adds_nothing(tmp_path: Path) -> None:
    site = build_site(
        tmp_path,
        _synthetic(tmp_path, 1),
        plugin_options={"enabled": False},
        config={"nav": [{"Start": "index.md"}]},
        # Hand-written pages link to generated ones, which are missing by design here.
        strict=False,
    )
    assert not (site / "faelle").exists()
    assert (site / "index.html").exists()


def test_today_option() -> None:
    assert str(today_of(TODAY)) == TODAY
    with pytest.raises(PluginError, match="muss ein Datum"):
        today_of("morgen")


class _Server:
    def __init__(self) -> None:
        self.watched: list[str] = []

    def watch(self, path: str, *args: Any) -> None:
        self.watched.append(path)


def test_serve_watches_cases_and_vocabulary(tmp_path: Path) -> None:
    from mkdocs.config import load_config

    config_file = write_site(tmp_path, plugin_options={"vocabulary": "topics.yml"})
    config = load_config(str(config_file))
    plugin = config.plugins["praxisatlas"]
    assert isinstance(plugin, PraxisatlasPlugin)
    plugin.on_config(config)
    server = _Server()
    plugin.on_serve(server, config=config, builder=None)  # type: ignore[arg-type]
    assert server.watched == [str(tmp_path / "cases"), str(tmp_path / "topics.yml")]


def test_a_hand_written_page_wins_over_a_generated_one_at_its_path_or_address(
    tmp_path: Path,
) -> None:
    paths = write_synthetic_cases(tmp_path / "synthetic", 2, seed=3)
    first, second = (p.stem for p in paths)
    docs = {
        f"faelle/{first}.md": "# Eigene Seite A\n\nVon Hand.\n",  # the same source path
        f"faelle/{second}/index.md": "# Eigene Seite B\n\nVon Hand.\n",  # the same address
    }
    write_site(tmp_path, {p.name: p.read_text(encoding="utf-8") for p in paths}, docs)
    result = run_mkdocs(tmp_path)
    assert result.returncode == 0, result.stderr
    for name, title in ((first, "Eigene Seite A"), (second, "Eigene Seite B")):
        html = (tmp_path / "site" / "faelle" / name / "index.html").read_text(encoding="utf-8")
        assert title in html and "Steckbrief" not in html
    replaced = [line for line in result.stderr.splitlines() if "ersetzt die erzeugte" in line]
    assert len(replaced) == 2
