"""The contributing guidance: the /mitmachen/ page (field reference generated from the
schema) and CONTRIBUTING.md (its example case must pass the validator)."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from praxisatlas import cli
from praxisatlas.cases.schema import FieldSpec
from praxisatlas.cases.vocabulary import load_vocabulary
from praxisatlas.website import contribute_page
from tests.factories import make_case, make_catalogue

ROOT = Path(__file__).resolve().parent.parent


def _schema_paths(node: dict[str, Any], prefix: str = "") -> list[str]:
    """Every key of the committed JSON Schema, nested as ``contact.email``/``sources[].url``."""
    paths = []
    for key, sub in node.get("properties", {}).items():
        path = f"{prefix}{key}"
        paths.append(path)
        if sub.get("type") == "object":
            paths += _schema_paths(sub, f"{path}.")
        items = sub.get("items") or {}
        if isinstance(items, dict) and items.get("type") == "object":
            paths += _schema_paths(items, f"{path}[].")
    return paths


def _page() -> str:
    [page] = contribute_page.generate(make_catalogue(make_case()), _settings())
    assert page.path == "mitmachen/index.md" and page.in_nav
    assert isinstance(page.content, str)
    return page.content


def _settings() -> Any:
    from praxisatlas.output import SiteSettings

    return SiteSettings()


def test_field_reference_covers_every_key_of_the_json_schema() -> None:
    schema = json.loads((ROOT / "schema" / "case.schema.json").read_text(encoding="utf-8"))
    page = _page()
    rows = re.findall(
        r"^(?: {4})*- `([^`]+)` · \*\*(Pflicht|freiwillig|Pflicht im Eintrag)\*\* – ",
        page,
        flags=re.M,
    )
    keys = [key for key, _required in rows]
    expected = _schema_paths(schema)
    assert len(expected) > 30
    assert sorted(keys) == sorted(expected)
    required = {key for key, flag in rows if flag == "Pflicht"}
    assert set(schema["required"]) <= required
    assert "contact.function" in required and "contact.email" not in required


def test_enum_values_and_topics_are_listed() -> None:
    page = _page()
    assert "`regelbetrieb` (Regelbetrieb)" in page
    assert "`CC-BY-4.0` (Creative Commons Namensnennung 4.0)" in page
    assert "`geschaetzt` (geschätzt)" in page
    vocabulary = load_vocabulary()
    for slug in vocabulary.active_slugs():
        assert f"`{slug}`" in page, slug


def test_page_text_covers_the_contribution_paths() -> None:
    page = _page()
    for heading in (
        "## Was einen guten Fall ausmacht",
        "### Mit dem Formular (ohne Git)",
        "### Ohne GitHub-Konto",
        "### Mit Git (Pull Request)",
        "## Kontaktdaten und Einverständnis",
        "## Lizenz",
        "## Feldübersicht",
    ):
        assert f"\n{heading}\n" in page, heading
    assert "CC BY 4.0" in page and "praxisatlas new" in page


def test_cells_cannot_break_the_table_or_inject_html() -> None:
    evil = FieldSpec(
        "x", "string", "X", "a | b <script>alert(1)</script> [l](javascript:1)\nzweite Zeile"
    )
    [row] = contribute_page.field_rows((evil,))
    assert "|" not in row.description and "<" not in row.description
    assert "\n" not in row.description and "[" not in row.description
    assert row.description.startswith("a &#124; b &#60;script&#62;")


@pytest.mark.slow
def test_real_build_has_the_page_and_the_anchors_the_issue_config_links_to(
    tmp_path: Path,
) -> None:
    from tests.sitebuild import build_site

    site = build_site(tmp_path / "site", catalogue=make_catalogue(make_case()))
    html = (site / "mitmachen" / "index.html").read_text(encoding="utf-8")
    assert 'id="ohne-github-konto"' in html  # target of .github/ISSUE_TEMPLATE/config.yml
    assert 'id="felduebersicht"' in html  # linked from the page itself
    assert html.count("<li><code>") > 40  # the field reference: a list, no wide table
    assert "<table" not in html
    assert 'href="../impressum/"' in html and 'href="../themen/"' in html
    config = (ROOT / ".github" / "ISSUE_TEMPLATE" / "config.yml").read_text(encoding="utf-8")
    assert "mitmachen/#ohne-github-konto" in config


def _example() -> str:
    text = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")
    match = re.search(r"```markdown\n(---\n.*?)```", text, flags=re.S)
    assert match, "CONTRIBUTING.md: Beispiel einer Fall-Datei fehlt"
    return match.group(1)


def test_contributing_example_case_is_valid(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    cases = tmp_path / "cases"
    cases.mkdir()
    # Marked fictitious here only: the example itself is what contributors copy.
    example = _example().replace("---\n", "---\nfictitious: true\n", 1)
    (cases / "beispiel-online-terminvergabe.md").write_text(example, encoding="utf-8")
    code = cli.main(["validate", str(cases), "--today", "2026-11-22"])
    out = capsys.readouterr().out
    assert code == 0, out
    assert "keine Probleme" in out


def test_contributing_names_only_commands_that_exist() -> None:
    from praxisatlas.cli import build_parser

    text = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")
    used = set(re.findall(r"praxisatlas ([a-z][a-z-]+)", text))
    parser = build_parser()
    available = set(parser._subparsers._group_actions[0].choices)  # type: ignore[union-attr]
    assert used <= available, used - available
    for required in ("new", "validate", "import-issue", "report", "issue-form"):
        assert required in used
    # Every anchor of the table of contents exists as a heading.
    headings = re.findall(r"^## (.+)$", text, flags=re.M)
    for anchor in re.findall(r"\]\(#([^)]+)\)", text):
        assert any(_github_anchor(h) == anchor for h in headings), anchor


def _github_anchor(heading: str) -> str:
    """GitHub's heading anchors: lower case, punctuation dropped, spaces to hyphens."""
    text = re.sub(r"[^\w\- ]", "", heading.lower())
    return text.replace(" ", "-")
