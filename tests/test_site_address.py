"""The production site needs its real address: placeholders in ``site_url`` are caught."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from mkdocs.exceptions import Abort, PluginError

from praxisatlas import cli
from praxisatlas.output import SiteSettings, check_site_url, site_url_problem
from tests.factories import make_case, make_catalogue
from tests.sitebuild import REPO, build_site, repo_config
from tests.test_legal import FILLED

PLACEHOLDERS = [
    "",
    "   ",
    "https://praxisatlas.example.org/",
    "https://example.com/",
    "http://www.example.net/atlas/",
    "https://atlas.example/",
    "https://atlas.test/",
    "https://atlas.invalid/",
    "http://localhost:8000/",
    "http://127.0.0.1:8000/",
    "http://[::1]/",
    "https://praxisatlas.local/",
]
REAL = [
    "https://praxisatlas.landkreis-beispiel.de/",
    "https://org.github.io/praxisatlas/",
    "https://example-landkreis.de/",  # only the reserved names themselves are placeholders
    "https://notexample.org/",
]


@pytest.mark.parametrize("url", PLACEHOLDERS)
def test_placeholder_addresses_are_named_in_german(url: str) -> None:
    message = site_url_problem(url)
    assert message is not None
    assert message.startswith("mkdocs.yml, site_url: ")
    assert "Bitte die echte" in message or "fehlt" in message


@pytest.mark.parametrize("url", REAL)
def test_real_addresses_pass(url: str) -> None:
    assert site_url_problem(url) is None
    assert check_site_url({}, SiteSettings(site_url=url)) == []


def _filled_config(site_url: str) -> dict[str, object]:
    return {"extra": {**repo_config()["extra"], "betreiber": FILLED}, "site_url": site_url}


@pytest.mark.slow
def test_production_build_fails_on_the_shipped_placeholder_address(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    catalogue = make_catalogue(make_case("erster-fall"))
    with (
        caplog.at_level(logging.INFO, logger="mkdocs.plugins.praxisatlas"),
        pytest.raises((Abort, PluginError)),
    ):
        build_site(
            tmp_path,
            catalogue=catalogue,
            plugin_options={"production": True},
            config=_filled_config("https://praxisatlas.example.org/"),
        )
    errors = [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR]
    assert any(
        "site_url: 'https://praxisatlas.example.org/' ist ein Platzhalter" in e for e in errors
    )
    # Everything else was filled in: the address is the only complaint.
    assert not any("extra.betreiber" in e for e in errors)


@pytest.mark.slow
def test_demo_build_only_mentions_the_placeholder_address(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.INFO, logger="mkdocs.plugins.praxisatlas"):
        build_site(
            tmp_path,
            catalogue=make_catalogue(make_case("erster-fall")),
            config=_filled_config("https://praxisatlas.example.org/"),
        )
    notes = [r for r in caplog.records if "site_url" in r.getMessage()]
    assert notes and all(r.levelno == logging.INFO for r in notes)


def test_issue_form_check_fails_on_placeholder_only_in_production(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    args = ["issue-form", "--root", str(REPO), "--check"]
    assert cli.main(args) == 0
    capsys.readouterr()
    assert cli.main([*args, "--production"]) == 1
    err = capsys.readouterr().err
    assert "site_url: 'https://praxisatlas.example.org/' ist ein Platzhalter" in err
    assert cli.main([*args, "--production", "--site-url", REAL[0]]) == 1  # files then differ
    assert "Platzhalter" not in capsys.readouterr().err


def test_issue_form_production_from_environment(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("PRAXISATLAS_PRODUCTION", "1")
    assert cli.main(["issue-form", "--root", str(REPO), "--check"]) == 1
    assert "Platzhalter" in capsys.readouterr().err
