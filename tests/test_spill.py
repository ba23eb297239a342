"""Output parked on disk during a build, and the site state finished pages are keyed by."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest

from praxisatlas.spill import SpillDir
from praxisatlas.website.page_outputs import directories_digest
from tests.sitebuild import build_config_file, site_files, write_site
from tests.synthetic import write_synthetic_cases


def test_spill_dir_round_trip_and_close() -> None:
    spill = SpillDir()
    try:
        spill.park("faelle/a.md", "<p>Grüße \udcff</p>")  # any text, even surrogates
        spill.park("faelle/b.md", "<p>B</p>")
        path = spill.put("daten/x.json", b"{}")
        assert path.parent == spill.root and path.name != "x.json"
        assert spill.unpark("faelle/b.md") == "<p>B</p>"
        assert spill.unpark("faelle/a.md") == "<p>Grüße \udcff</p>"
        assert spill.unpark("faelle/a.md") == "<p>Grüße \udcff</p>"  # reading keeps it
        assert spill.path("daten/x.json").read_bytes() == b"{}"
        assert len(list(spill.root.iterdir())) == 2  # the pages share one file
    finally:
        spill.close()
    assert not spill.root.exists()


def test_directories_digest_follows_theme_files_but_not_installed_packages(
    tmp_path: Path,
) -> None:
    overrides = tmp_path / "overrides"
    (overrides / "partials").mkdir(parents=True)
    (overrides / "main.html").write_text("{% extends 'base.html' %}", encoding="utf-8")
    package = tmp_path / "lib" / "site-packages" / "theme"
    package.mkdir(parents=True)
    (package / "base.html").write_text("a", encoding="utf-8")
    first = directories_digest([overrides, package])
    (package / "base.html").write_text("b", encoding="utf-8")  # covered by its version
    assert directories_digest([overrides, package]) == first
    (overrides / "partials" / "footer.html").write_text("x", encoding="utf-8")
    assert directories_digest([overrides, package]) != first


@pytest.mark.slow
def test_a_build_parks_pages_on_disk_and_cleans_up(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The temporary directory is gone after the build, and the site is the same as one
    # built with another plugin taking part (then nothing is parked).
    temporary = tmp_path / "tmp"
    temporary.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(temporary))
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1795000000")
    cases_dir = tmp_path / "cases"
    write_synthetic_cases(cases_dir, 5, seed=3)
    options = {"cases_dir": str(cases_dir), "cache": False}
    alone = site_files(build_config_file(write_site(tmp_path / "a", plugin_options=options)))
    assert list(temporary.iterdir()) == []
    # A hooks file is a plugin too: with it, pages stay in memory and are rendered as usual.
    hooks = tmp_path / "hooks.py"
    hooks.write_text("def on_page_content(html, **kwargs):\n    return html\n", encoding="utf-8")
    with_hooks = site_files(
        build_config_file(
            write_site(tmp_path / "b", plugin_options=options, config={"hooks": [str(hooks)]})
        )
    )
    assert [name for name in alone if alone[name] != with_hooks.get(name)] == []
    assert sorted(alone) == sorted(with_hooks)
