"""The content cache: entries, damage, versions, and builds with a cold, warm or no cache."""

from __future__ import annotations

from pathlib import Path

import pytest

from praxisatlas.cache import ContentCache
from praxisatlas.website.conversion import skeleton
from tests.sitebuild import build_config_file, site_files, write_site
from tests.synthetic import write_synthetic_cases


def test_entry_round_trip_and_cache_off(tmp_path: Path) -> None:
    cache = ContentCache(tmp_path / "c", version="v1")
    key = cache.key("seiten", "faelle/a.md", "# A\n")
    assert key != cache.key("seiten", "faelle/a.md", "# B\n")
    assert key != cache.key("seiten", "faelle/a.md#", "# A\n")  # parts are length-prefixed
    assert cache.get("seiten", key) is None
    cache.put("seiten", key, "Grüße".encode())
    assert cache.get("seiten", key) == "Grüße".encode()
    off = ContentCache(None, version="v1")
    off.put("seiten", key, b"x")
    assert not off.enabled and off.get("seiten", key) is None


@pytest.mark.parametrize(
    "damage",
    [
        lambda data: data[: len(data) - 3],  # truncated
        lambda data: data[:-1] + bytes([data[-1] ^ 1]),  # one bit flipped
        lambda data: b"{}",  # not an entry of ours
        lambda data: b"",
    ],
)
def test_damaged_entry_is_ignored_and_removed(tmp_path: Path, damage) -> None:  # type: ignore[no-untyped-def]
    cache = ContentCache(tmp_path, version="v1")
    key = cache.key("daten", "x")
    cache.put("daten", key, b"payload" * 100)
    (path,) = (p for p in (tmp_path / "daten").rglob("*") if p.is_file())
    path.write_bytes(damage(path.read_bytes()))
    assert cache.get("daten", key) is None
    assert not path.exists()


def test_another_version_discards_the_cache(tmp_path: Path) -> None:
    old = ContentCache(tmp_path, version="praxisatlas 0.1.0")
    key = old.key("daten", "x")
    old.put("daten", key, b"alt")
    (tmp_path / "fremd.txt").write_text("x", encoding="utf-8")
    new = ContentCache(tmp_path, version="praxisatlas 0.2.0")
    assert new.get("daten", key) is None
    assert new.get("daten", new.key("daten", "x")) is None
    assert sorted(p.name for p in tmp_path.iterdir()) == ["VERSION"]
    # The same version again keeps what is there.
    new.put("daten", new.key("daten", "x"), b"neu")
    again = ContentCache(tmp_path, version="praxisatlas 0.2.0")
    assert again.get("daten", again.key("daten", "x")) == b"neu"


def test_skeleton_keeps_headings_outside_code() -> None:
    markdown = (
        "# Titel\n\nText mit # Raute.\n\n## Ausgangslage\n\n```\n# kein Titel\n```\n\n"
        "~~~~\n## auch nicht\n```\n~~~~\n\n   ### Eingerückt\n\n    # Code\n#Kein\n"
    )
    assert skeleton(markdown) == "# Titel\n\n## Ausgangslage\n\n### Eingerückt\n"


def _site(root: Path, cases_dir: Path, options: dict[str, object]) -> Path:
    return write_site(root, plugin_options={"cases_dir": str(cases_dir), **options}, copy_docs=True)


@pytest.mark.slow
def test_cold_warm_and_no_cache_builds_are_identical(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1795000000")
    cases_dir = tmp_path / "cases"
    write_synthetic_cases(cases_dir, 12, seed=5)
    cache_dir = tmp_path / "cache"
    options = {"cache_dir": str(cache_dir)}
    cold = site_files(build_config_file(_site(tmp_path / "cold", cases_dir, options)))
    entries = sorted(p for p in cache_dir.rglob("*") if p.is_file() and p.name != "VERSION")
    pages = [p for p in entries if "seiten" in p.parts]
    data = [p for p in entries if "daten" in p.parts]
    assert len(pages) >= 12 and data  # every case page, the data files
    stamps = {p: p.stat().st_mtime_ns for p in entries}
    warm = site_files(build_config_file(_site(tmp_path / "warm", cases_dir, options)))
    # The warm build took everything from the cache and wrote nothing new.
    assert sorted(p for p in cache_dir.rglob("*") if p.is_file() and p.name != "VERSION") == (
        entries
    )
    assert {p: p.stat().st_mtime_ns for p in entries} == stamps
    off = site_files(build_config_file(_site(tmp_path / "off", cases_dir, {"cache": False})))
    assert not (tmp_path / "off" / ".cache").exists()
    for other in (warm, off):
        assert sorted(other) == sorted(cold)
        assert [name for name in cold if cold[name] != other[name]] == []

    # A damaged entry (here: every page entry) is rebuilt, never served.
    for page in pages:
        page.write_bytes(page.read_bytes()[:-10])
    repaired = site_files(build_config_file(_site(tmp_path / "repaired", cases_dir, options)))
    assert [name for name in cold if cold[name] != repaired.get(name)] == []
    assert all(
        page.stat().st_size > 0 and page.stat().st_mtime_ns != stamps[page] for page in pages
    )

    # A changed case changes its page and the data files, nothing else is converted anew.
    first = sorted(cases_dir.glob("*.md"))[0]
    first.write_text(
        first.read_text(encoding="utf-8").replace("## Ausgangslage", "## Ausgangslage\n\nNeu."),
        encoding="utf-8",
    )
    before = {p for p in cache_dir.rglob("*") if p.is_file()}
    changed = site_files(build_config_file(_site(tmp_path / "changed", cases_dir, options)))
    added = {p for p in cache_dir.rglob("*") if p.is_file()} - before
    assert len([p for p in added if "seiten" in p.parts]) == 1
    assert b"Neu." in changed[f"faelle/{first.stem}/index.html"]


TRICKY_PAGES = [
    "# Titel\n\n## Ausgangslage\n\nText.\n\n## Lösung\n\nMehr.\n",
    "# Fall &#58; A &#38; B\n\nText\n\n## Lösung ##\n",
    "Vorweg.\n\n# Titel\n\n## A\n",  # the title is not the first element
    "# Titel\n\n<div>\n## Kein Titel\n</div>\n\nB\n===\n",  # raw HTML, setext
    "# T\n\n## A\n\n## A\n\n[x]: https://example.org\n\n## [x]\n",  # reference link
    "# T\n\n## A & B\n\n*[A]: Abkürzung\n",
    "# T\n\n[Sprung](#a)\n\n## A\n",  # a link to an anchor besides the headings'
    "# T\n\n```\n## Code\n```\n\n## Echt\n",
]


@pytest.mark.parametrize("page", TRICKY_PAGES)
def test_skeleton_check_without_converting_is_sound(page: str) -> None:
    # Whenever the quick check accepts a skeleton, converting it really gives the page's
    # headings, ids and anchor links (else the page would be cached with a wrong outline).
    import markdown

    from praxisatlas.website.conversion import _plain_skeleton_matches, _shape

    md = markdown.Markdown(
        extensions=["toc", "tables", "fenced_code", "admonition", "abbr", "attr_list"],
        extension_configs={"toc": {"permalink": True}},
    )
    html = md.reset().convert(page)
    outline = skeleton(page)
    if _plain_skeleton_matches(outline, html):
        assert _shape(md.reset().convert(outline)) == _shape(html)


def test_skeleton_check_accepts_plain_pages() -> None:
    import markdown

    from praxisatlas.website.conversion import _plain_skeleton_matches

    md = markdown.Markdown(extensions=["toc"], extension_configs={"toc": {"permalink": True}})
    for page in TRICKY_PAGES[:2]:
        assert _plain_skeleton_matches(skeleton(page), md.reset().convert(page))
    assert not _plain_skeleton_matches(
        skeleton(TRICKY_PAGES[2]), md.reset().convert(TRICKY_PAGES[2])
    )


def test_markdown_context_is_stable_and_refuses_unknown_objects() -> None:
    from praxisatlas.website import anchors
    from praxisatlas.website.conversion import markdown_context

    configs = {"toc": {"permalink": True, "slugify": anchors.slugify}}
    text = markdown_context(["toc"], configs, True)
    assert text is not None and "praxisatlas.website.anchors.slugify" in text
    assert "0x" not in text  # no memory address: the same in every process
    assert markdown_context(["toc"], {"toc": {"x": object()}}, True) is None


def test_data_files_of_unchanged_cases_come_from_the_cache(tmp_path: Path) -> None:
    from praxisatlas.assembly import SiteFiles, inputs_digest
    from praxisatlas.output import SiteSettings
    from tests.factories import make_case, make_catalogue

    settings = SiteSettings(site_url="https://praxisatlas.example.org/")
    cache = ContentCache(tmp_path, version="v1")

    def plan(body: str) -> dict[str, bool]:
        catalogue = make_catalogue(make_case("a"), make_case("b", body=body))
        site = SiteFiles(catalogue, settings, cache, inputs_digest(catalogue, settings, None))
        planned = {p.path: p.later for p in site.plan() if not p.is_page}
        made = dict(site.data_files())
        assert set(made) == {path for path, later in planned.items() if later}
        return planned

    first = plan("## Ausgangslage\n\nAlt.\n")
    assert first["daten/faelle/a.json"] and first["daten/faelle.json"]  # all made
    again = plan("## Ausgangslage\n\nAlt.\n")
    assert not any(again.values())  # nothing changed: all from the cache
    changed = plan("## Ausgangslage\n\nNeu.\n")
    assert changed["daten/faelle/b.json"] and changed["daten/faelle.json"]
    assert not changed["daten/faelle/a.json"]  # made from case a only: still cached
