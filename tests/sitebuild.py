"""Build small real Praxisatlas sites in temporary directories (for tests).

The site uses the repository's ``mkdocs.yml`` (theme, Markdown extensions, plugins, nav),
its ``overrides/`` and a copy of its hand-written ``docs/``; only the cases, the docs
given by the test and the output directory differ. Nothing is written into the repository.

- ``write_site(root, cases=..., docs=...)`` writes ``root/mkdocs.yml``, ``root/cases/``
  and ``root/docs/``; returns the config path.
- ``build_site(root, ...)`` writes and builds in-process (``--strict`` by default) and
  returns the site directory. Pass ``catalogue=`` to build from an in-memory
  ``Catalogue`` (e.g. from ``tests.factories``) instead of case files.
- ``run_mkdocs(root)`` runs ``mkdocs build`` in a subprocess (to assert on the log and the
  exit code, e.g. for broken cases).
- ``build_repo_site(cases_dir, work_dir)`` builds the repository's site from another
  cases directory (used by the browser fixtures).
- ``site_files(site_dir)`` maps every output file to its bytes (for determinism checks).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from unittest import mock

import yaml

from praxisatlas.cases.catalogue import Catalogue

REPO = Path(__file__).resolve().parents[1]
# Fixed "today" so "veraltet" notes and dates never depend on the day the tests run.
TODAY = "2026-11-22"
MINIMAL_HOME = (
    "# Praxisatlas\n\nGute Beispiele der Digitalisierung aus deutschen Kreisen.\n\n"
    "<!-- praxisatlas:kennzahlen -->\n\n## Neueste Fälle\n\n<!-- praxisatlas:neueste -->\n"
)


def repo_config() -> dict[str, Any]:
    """The repository's ``mkdocs.yml`` as a dict (it must stay free of Python tags)."""
    data = yaml.safe_load((REPO / "mkdocs.yml").read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def _with_plugin_options(plugins: list[Any], options: Mapping[str, Any]) -> list[Any]:
    result: list[Any] = []
    for entry in plugins:
        if entry == "praxisatlas" or (isinstance(entry, dict) and "praxisatlas" in entry):
            current = dict(entry["praxisatlas"] or {}) if isinstance(entry, dict) else {}
            current.update(options)
            result.append({"praxisatlas": current})
        else:
            result.append(entry)
    return result


def write_site(
    root: Path,
    cases: Mapping[str, str] | None = None,
    docs: Mapping[str, str | bytes] | None = None,
    *,
    plugin_options: Mapping[str, Any] | None = None,
    config: Mapping[str, Any] | None = None,
    copy_docs: bool = True,
) -> Path:
    """Write a site below ``root``; ``cases`` maps file names to their text."""
    root.mkdir(parents=True, exist_ok=True)
    cases_dir = root / "cases"
    cases_dir.mkdir(exist_ok=True)
    for name, text in (cases or {}).items():
        (cases_dir / name).write_text(text, encoding="utf-8")
    docs_dir = root / "docs"
    if docs_dir.exists():
        shutil.rmtree(docs_dir)
    source_docs = REPO / "docs"
    if copy_docs and source_docs.is_dir():
        shutil.copytree(source_docs, docs_dir)
    else:
        docs_dir.mkdir()
        if (source_docs / "assets").is_dir():
            shutil.copytree(source_docs / "assets", docs_dir / "assets")
    for name, content in (docs or {}).items():
        target = docs_dir / name
        target.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            target.write_bytes(content)
        else:
            target.write_text(content, encoding="utf-8")
    if not (docs_dir / "index.md").exists():
        (docs_dir / "index.md").write_text(MINIMAL_HOME, encoding="utf-8")

    data = repo_config()
    data["docs_dir"] = str(docs_dir)
    data["site_dir"] = str(root / "site")
    theme = dict(data.get("theme") or {})
    theme["custom_dir"] = str(REPO / "overrides")
    data["theme"] = theme
    options: dict[str, Any] = {"cases_dir": "cases", "today": TODAY}
    options.update(plugin_options or {})
    data["plugins"] = _with_plugin_options(list(data.get("plugins") or []), options)
    data.update(config or {})
    config_file = root / "mkdocs.yml"
    config_file.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return config_file


@contextmanager
def catalogue_override(catalogue: Catalogue | None) -> Iterator[None]:
    """Make the plugin use ``catalogue`` instead of loading case files."""
    if catalogue is None:
        yield
        return
    with mock.patch("praxisatlas.plugin._load_catalogue", return_value=catalogue):
        yield


def build_config_file(config_file: Path, *, strict: bool = True) -> Path:
    """Build the site of ``config_file`` in this process; return its site directory."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    cfg = load_config(str(config_file), strict=strict)
    build(cfg)
    return Path(cfg.site_dir)


def build_site(
    root: Path,
    cases: Mapping[str, str] | None = None,
    docs: Mapping[str, str | bytes] | None = None,
    *,
    catalogue: Catalogue | None = None,
    plugin_options: Mapping[str, Any] | None = None,
    config: Mapping[str, Any] | None = None,
    copy_docs: bool = True,
    strict: bool = True,
) -> Path:
    """Write and build a site in-process; raises MkDocs' ``Abort`` on strict warnings."""
    config_file = write_site(
        root,
        cases,
        docs,
        plugin_options=plugin_options,
        config=config,
        copy_docs=copy_docs,
    )
    with catalogue_override(catalogue):
        return build_config_file(config_file, strict=strict)


def run_mkdocs(root: Path, *, strict: bool = True) -> subprocess.CompletedProcess[str]:
    """``mkdocs build`` on ``root/mkdocs.yml`` in a fresh process (log + exit code)."""
    command = [sys.executable, "-m", "mkdocs", "build", "-f", str(root / "mkdocs.yml")]
    if strict:
        command.append("--strict")
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    env.pop("PRAXISATLAS_PRODUCTION", None)
    return subprocess.run(command, capture_output=True, text=True, env=env, check=False)


def build_repo_site(cases_dir: Path, work_dir: Path) -> Path:
    """The repository's site (its docs, config, overrides) built from ``cases_dir``."""
    config_file = write_site(work_dir, plugin_options={"cases_dir": str(cases_dir.resolve())})
    return build_config_file(config_file, strict=False)


def site_files(site_dir: Path) -> dict[str, bytes]:
    """Every file of a built site by relative path."""
    return {
        path.relative_to(site_dir).as_posix(): path.read_bytes()
        for path in sorted(site_dir.rglob("*"))
        if path.is_file()
    }
