"""One built page of every kind passes the Nu HTML Checker (vnu.jar).

The only errors allowed are three that Material for MkDocs' own templates produce on
every page; anything else, from our templates or generated pages, fails the test.
``scripts/test`` installs Java and vnu.jar (``ensure_vnu``); without them the test is
skipped locally and fails under CI.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.browser.test_site_pages import PAGES
from tests.sitebuild import REPO, build_repo_site

pytestmark = pytest.mark.vnu

VNU_JAR = REPO / ".venv" / "vnu" / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
SITE_CASES = REPO / "tests" / "fixtures" / "site_cases"

# Material's theme, not ours: checkbox toggles with autocomplete="off", the drawer labels
# with tabindex="" and the table-of-contents toggle label pointing at a hidden input.
KNOWN_THEME_ERRORS = (
    "Attribute “autocomplete” is only allowed when the input type is",
    "Bad value “” for attribute “tabindex” on element “label”",
    "The value of the “for” attribute of the “label” element must be the ID of a non-hidden",
)


def _in_ci() -> bool:
    return os.environ.get("CI", "").lower() in ("1", "true", "yes")


@pytest.fixture(scope="module")
def checker() -> list[str]:
    java = shutil.which("java")
    if not (java and VNU_JAR.exists()):
        if _in_ci():
            pytest.fail("java oder vnu.jar fehlt (scripts/test installiert beides)")
        pytest.skip("java oder vnu.jar fehlt: ./scripts/test installiert beides")
    return [java, "-jar", str(VNU_JAR), "--format", "json", "--exit-zero-always"]


@pytest.fixture(scope="module")
def fixture_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_repo_site(SITE_CASES, tmp_path_factory.mktemp("vnu"))


def _page_file(site: Path, url: str) -> Path:
    return site / url if url.endswith(".html") else site / url / "index.html"


def _errors(checker: list[str], files: list[Path]) -> list[dict[str, object]]:
    result = subprocess.run(
        [*checker, *map(str, files)], capture_output=True, text=True, timeout=300, check=True
    )
    messages: list[dict[str, object]] = json.loads(result.stderr)["messages"]
    return [m for m in messages if m.get("type") == "error"]


@pytest.mark.slow
def test_every_page_kind_is_valid_html(checker: list[str], fixture_site: Path) -> None:
    files = [_page_file(fixture_site, url) for url in PAGES.values()]
    assert all(f.exists() for f in files)
    errors = _errors(checker, files)
    unexpected = [
        f"{str(e['url']).rsplit('/site/', 1)[-1]}:{e.get('lastLine')}: {e['message']}"
        for e in errors
        if not str(e["message"]).startswith(KNOWN_THEME_ERRORS)
    ]
    assert unexpected == []


@pytest.mark.slow
def test_checker_catches_an_inline_style_in_the_body(checker: list[str], tmp_path: Path) -> None:
    """The check can fail: the error this test suite once had is found."""
    page = tmp_path / "seite.html"
    page.write_text(
        '<!doctype html><html lang="de"><head><meta charset="utf-8"><title>x</title></head>'
        "<body><p>Text</p><style>p{color:red}</style></body></html>",
        encoding="utf-8",
    )
    errors = _errors(checker, [page])
    assert any("style" in str(e["message"]) for e in errors)
