"""The content cache: entries, damage, versions, and builds with a cold, warm or no cache."""

from __future__ import annotations

import contextlib
import os
import sqlite3
from pathlib import Path

import pytest

from praxisatlas.cache import ContentCache
from tests.sitebuild import build_config_file, run_mkdocs, site_files, write_site
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
    cache.close()
    _damage_entries(tmp_path, "daten", damage)
    again = ContentCache(tmp_path, version="v1")
    assert again.contains("daten", key)
    assert again.get("daten", key) is None
    assert not again.contains("daten", key)


def test_a_damaged_database_is_started_afresh(tmp_path: Path) -> None:
    cache = ContentCache(tmp_path, version="v1")
    key = cache.key("daten", "x")
    cache.put("daten", key, b"alt")
    cache.close()
    (tmp_path / "cache.sqlite").write_bytes(b"kein SQLite" * 100)
    again = ContentCache(tmp_path, version="v1")
    assert again.get("daten", key) is None
    again.put("daten", key, b"neu")
    assert again.get("daten", key) == b"neu"


def test_a_large_payload_is_written_in_pieces_and_read_whole(tmp_path: Path) -> None:
    payload = bytes(range(256)) * 20_000 + b"Ende"  # 5 MB: past the piece size, not a multiple
    cache = ContentCache(tmp_path, version="v1")
    key = cache.key("daten", "gross")
    cache.put("daten", key, payload)
    cache.put("daten", key, payload)  # stored again under the same key: still one entry
    cache.close()
    assert list(_entries(tmp_path).values()) == [payload]
    assert ContentCache(tmp_path, version="v1").get("daten", key) == payload


def test_a_database_of_an_older_layout_is_started_afresh(tmp_path: Path) -> None:
    ContentCache(tmp_path, version="v1").close()
    (tmp_path / "cache.sqlite").unlink()
    with contextlib.closing(sqlite3.connect(tmp_path / "cache.sqlite")) as database:
        database.execute(  # the layout before the digest had a column of its own
            "CREATE TABLE entries (kind TEXT NOT NULL, key TEXT NOT NULL,"
            " payload BLOB NOT NULL, PRIMARY KEY (kind, key)) WITHOUT ROWID"
        )
        database.execute("INSERT INTO entries VALUES ('daten', 'k', x'00')")
        database.commit()
    cache = ContentCache(tmp_path, version="v1")
    key = cache.key("daten", "x")
    assert cache.get("daten", key) is None
    cache.put("daten", key, b"neu")
    assert cache.get("daten", key) == b"neu"


def _entries(directory: Path) -> dict[tuple[str, str], bytes]:
    """Every entry of the cache database in ``directory``: (kind, key) -> stored bytes."""
    with contextlib.closing(sqlite3.connect(directory / "cache.sqlite")) as database:
        rows = database.execute("SELECT kind, key, payload FROM entries").fetchall()
    return {(kind, key): payload for kind, key, payload in rows}


def _damage_entries(directory: Path, kind: str, damage) -> None:  # type: ignore[no-untyped-def]
    with contextlib.closing(sqlite3.connect(directory / "cache.sqlite")) as database:
        for (entry_kind, key), payload in _entries(directory).items():
            if entry_kind == kind:
                database.execute(
                    "UPDATE entries SET payload = ? WHERE kind = ? AND key = ?",
                    (damage(payload), kind, key),
                )
        database.commit()


def test_another_version_discards_the_cache(tmp_path: Path) -> None:
    old = ContentCache(tmp_path, version="praxisatlas 0.1.0")
    key = old.key("daten", "x")
    old.put("daten", key, b"alt")
    old.close()
    (tmp_path / "fremd.txt").write_text("x", encoding="utf-8")
    new = ContentCache(tmp_path, version="praxisatlas 0.2.0")
    assert new.get("daten", key) is None
    assert new.get("daten", new.key("daten", "x")) is None
    assert sorted(p.name for p in tmp_path.iterdir()) == ["VERSION", "cache.sqlite"]
    # The same version again keeps what is there.
    new.put("daten", new.key("daten", "x"), b"neu")
    new.close()
    again = ContentCache(tmp_path, version="praxisatlas 0.2.0")
    assert again.get("daten", again.key("daten", "x")) == b"neu"


def _cases(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, count: int, seed: int) -> Path:
    """``count`` synthetic cases and a fixed build date."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1795000000")
    cases_dir = tmp_path / "cases"
    write_synthetic_cases(cases_dir, count, seed=seed)
    return cases_dir


def _site(root: Path, cases_dir: Path, options: dict[str, object]) -> Path:
    return write_site(root, plugin_options={"cases_dir": str(cases_dir), **options}, copy_docs=True)


@pytest.mark.slow
def test_cold_warm_and_no_cache_builds_are_identical(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cases_dir = _cases(tmp_path, monkeypatch, 12, seed=5)
    cache_dir = tmp_path / "cache"
    options = {"cache_dir": str(cache_dir)}
    cold = site_files(build_config_file(_site(tmp_path / "cold", cases_dir, options)))
    entries = _entries(cache_dir)
    pages = [entry for entry in entries if entry[0] == "seiten"]
    outputs = [entry for entry in entries if entry[0] == "ausgabe"]
    data = [entry for entry in entries if entry[0] == "daten"]
    checked = [entry for entry in entries if entry[0] == "fallpruefung"]
    # every case checked, every case page converted and finished, the data files
    assert len(checked) == 12 and len(pages) >= 12 and len(outputs) > len(pages) and data
    # The warm build runs in a fresh process, as every real build does: nothing that
    # differs between processes (such as the markers' secret) may reach a cache key.
    warm_config = _site(tmp_path / "warm", cases_dir, options)
    result = run_mkdocs(warm_config.parent)
    assert result.returncode == 0, result.stderr
    warm = site_files(warm_config.parent / "site")
    # The warm build took everything from the cache and wrote nothing new.
    assert _entries(cache_dir) == entries
    off = site_files(build_config_file(_site(tmp_path / "off", cases_dir, {"cache": False})))
    assert not (tmp_path / "off" / ".cache").exists()
    for other in (warm, off):
        assert sorted(other) == sorted(cold)
        assert [name for name in cold if cold[name] != other[name]] == []

    # A damaged entry (here: every checked case, converted page, page origin and
    # finished page) is rebuilt, never served.
    for kind in ("fallpruefung", "seiten", "seitenherkunft", "ausgabe"):
        _damage_entries(cache_dir, kind, lambda payload: payload[:-10])
    repaired = site_files(build_config_file(_site(tmp_path / "repaired", cases_dir, options)))
    assert [name for name in cold if cold[name] != repaired.get(name)] == []
    assert _entries(cache_dir) == entries

    # A changed case changes its page and the data files, nothing else is converted anew.
    first = sorted(cases_dir.glob("*.md"))[0]
    first.write_text(
        first.read_text(encoding="utf-8").replace("## Ausgangslage", "## Ausgangslage\n\nNeu."),
        encoding="utf-8",
    )
    changed = site_files(build_config_file(_site(tmp_path / "changed", cases_dir, options)))
    added = set(_entries(cache_dir)) - set(entries)
    assert len([entry for entry in added if entry[0] == "seiten"]) == 1
    assert b"Neu." in changed[f"faelle/{first.stem}/index.html"]


def test_pages_from_the_cache_keep_title_contents_and_anchors(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A page converted from the cache must give MkDocs what converting it would have: its
    # title, table of contents (rendered by the theme) and anchors (checked by MkDocs).
    cases_dir = _cases(tmp_path, monkeypatch, 6, seed=2)
    case_id = sorted(cases_dir.glob("*.md"))[0].stem
    cache_dir = tmp_path / "cache"

    def site(name: str, site_name: str, options: dict[str, object]) -> Path:
        # A hand-written page links to anchors of a case page; MkDocs checks them.
        docs = {"verweis.md": f"# Verweis\n\n[Lösung](faelle/{case_id}.md#loesung)\n"}
        config = {"site_name": site_name, "validation": {"anchors": "warn"}}
        return write_site(
            tmp_path / name,
            docs=docs,
            plugin_options={"cases_dir": str(cases_dir), **options},
            config=config,
        )

    options = {"cache_dir": str(cache_dir)}
    build_config_file(site("kalt", "Praxisatlas", options))
    # Another site name: every finished page differs, every conversion comes from the
    # cache (in a fresh process, as in real use). Strict: an anchor missing from a cached
    # page would be a warning.
    renamed = site("umbenannt", "Praxisatlas Test", options)
    result = run_mkdocs(renamed.parent)
    assert result.returncode == 0, result.stderr
    assert "Praxisatlas-Cache" not in result.stderr
    off = site_files(build_config_file(site("ohne", "Praxisatlas Test", {"cache": False})))
    warm = site_files(renamed.parent / "site")
    assert [name for name in off if off[name] != warm.get(name)] == []
    page = warm[f"faelle/{case_id}/index.html"].decode("utf-8")
    assert 'href="#loesung"' in page and "md-nav--secondary" in page  # the table of contents


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
        site = SiteFiles(catalogue, settings, cache, inputs_digest(catalogue, settings))
        planned = {p.path: p.later for p in site.plan() if not p.is_page}
        made = dict(site.data_files())
        assert set(made) == {path for path, later in planned.items() if later}
        return planned

    first = plan("## Ausgangslage\n\nAlt.\n")
    assert first["daten/faelle/a.json"] and first["daten/faelle.json"]  # all made
    again = plan("## Ausgangslage\n\nAlt.\n")
    assert not any(again.values())  # nothing changed: all from the cache
    changed = plan("## Ausgangslage\n\nNeu.\n")
    assert changed["daten/faelle/b.json"] and changed["katalog/suchindex.json"]
    assert not changed["daten/faelle/a.json"]  # made from case a only: still cached
    assert not changed["daten/faelle.json"]  # reads no case's text: still cached


def test_stable_text_is_the_same_in_every_process() -> None:
    # String hashing differs per process, and with it the order of a set (MkDocs keeps
    # the theme's templates in one): the text of a page key must not.
    import subprocess
    import sys

    code = (
        "from praxisatlas.website.page_outputs import stable_text;"
        "print(stable_text({'t': {'404.html', 'sitemap.xml', 'a', 'b', 'c'}, 'f': print}))"
    )
    texts = {
        subprocess.run(
            [sys.executable, "-c", code],
            env={**os.environ, "PYTHONHASHSEED": str(seed)},
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        for seed in range(1, 6)
    }
    assert len(texts) == 1 and "builtins.print" in texts.pop()


def test_a_warm_build_makes_no_generated_page_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A generated page is made from the catalogue and the settings alone: while they are
    # unchanged, its conversion is found by what it is made from, without making it.
    from praxisatlas.assembly import SiteFiles

    cases_dir = _cases(tmp_path, monkeypatch, 5, seed=3)
    options = {"cache_dir": str(tmp_path / "cache")}
    made: list[str] = []
    make = SiteFiles.page_body

    def counted(self: SiteFiles, path: str) -> str | None:
        body = make(self, path)
        if body is not None:
            made.append(path)
        return body

    monkeypatch.setattr(SiteFiles, "page_body", counted)
    cold = site_files(build_config_file(_site(tmp_path / "kalt", cases_dir, options)))
    generated = set(made)
    assert {f"faelle/{path.stem}.md" for path in cases_dir.glob("*.md")} <= generated
    made.clear()
    warm = site_files(build_config_file(_site(tmp_path / "warm", cases_dir, options)))
    assert warm == cold
    assert made == []
    # A case's text changed: only its own page is made again (no other page shows it).
    first, second = sorted(cases_dir.glob("*.md"))[:2]
    first.write_text(
        first.read_text(encoding="utf-8").replace("## Ausgangslage", "## Ausgangslage\n\nNeu."),
        encoding="utf-8",
    )
    made.clear()
    changed = site_files(build_config_file(_site(tmp_path / "neu", cases_dir, options)))
    assert made == [f"faelle/{first.stem}.md"]
    assert b"Neu." in changed[f"faelle/{first.stem}/index.html"]
    off = site_files(build_config_file(_site(tmp_path / "aus", cases_dir, {"cache": False})))
    assert [name for name in off if off[name] != changed.get(name)] == []
    # Its title changed: every page may list it, so every page is made again.
    text = second.read_text(encoding="utf-8")
    second.write_text(text.replace('title: "', 'title: "Neu: ', 1), encoding="utf-8")
    made.clear()
    renamed = site_files(build_config_file(_site(tmp_path / "titel", cases_dir, options)))
    assert set(made) == generated
    off = site_files(build_config_file(_site(tmp_path / "aus2", cases_dir, {"cache": False})))
    assert [name for name in off if off[name] != renamed.get(name)] == []


@pytest.mark.parametrize(
    ("options", "config"),
    [
        ({"edit_url": "https://example.org/bearbeiten/{path}"}, {}),  # the settings
        ({"vocabulary": "themen.yml"}, {}),  # another vocabulary (one topic relabelled)
        ({}, {"markdown_extensions": ["tables", {"toc": {"permalink": "¶"}}]}),  # Markdown
    ],
)
def test_pages_known_by_their_origin_follow_what_they_are_made_from(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    options: dict[str, object],
    config: dict[str, object],
) -> None:
    from importlib import resources

    cases_dir = _cases(tmp_path, monkeypatch, 4, seed=8)
    topics = resources.files("praxisatlas").joinpath("data/topics.yml").read_text("utf-8")
    relabelled = topics.replace('label: "Radverkehr & Sharing"', 'label: "Radverkehr und Teilen"')
    assert relabelled != topics

    def site(name: str, extra: dict[str, object], cfg: dict[str, object]) -> Path:
        root = tmp_path / name
        root.mkdir()
        (root / "themen.yml").write_text(relabelled, encoding="utf-8")
        plugin = {"cases_dir": str(cases_dir), **extra}
        return write_site(root, plugin_options=plugin, config=cfg, copy_docs=False)

    cached = {"cache_dir": str(tmp_path / "cache")}
    # Not strict: without the hand-written pages, the navigation names missing pages.
    build_config_file(site("vorher", cached, {}), strict=False)
    after_config = site("nachher", {**cached, **options}, config)
    after = site_files(build_config_file(after_config, strict=False))
    off_config = site("ohne", {"cache": False, **options}, config)
    expected = site_files(build_config_file(off_config, strict=False))
    assert [name for name in expected if expected[name] != after.get(name)] == []
    assert sorted(after) == sorted(expected)
