"""``QuickPreview``: which outputs ``mkdocs serve --dirty`` must build again."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace

import pytest

from praxisatlas.quick_preview import (
    PageKey,
    QuickPreview,
    file_key,
    file_keys,
    own_key,
    site_key,
)


@pytest.fixture
def preview() -> Iterator[QuickPreview]:
    quick = QuickPreview()
    try:
        yield quick
    finally:
        quick.close()


def _site(root: Path, pages: dict[str, str], data: tuple[str, ...] = ()) -> list[PageKey]:
    """Outputs for ``pages`` (path: key) as the last build left them, and the keys."""
    keys = []
    for path, key in pages.items():
        output = root / path.replace(".md", "/index.html")
        output.parent.mkdir(parents=True, exist_ok=True)
        output.write_text(key, encoding="utf-8")
        keys.append(PageKey(path, str(output), key))
    for name in data:
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text("{}", encoding="utf-8")
    return keys


def _present(root: Path) -> set[str]:
    return {str(p.relative_to(root)) for p in root.rglob("*") if p.is_file()}


def test_source_is_written_only_when_it_changes(preview: QuickPreview) -> None:
    first = preview.source("faelle/a.md", "---\ntitle: A\n---\n")
    stamp = first.stat().st_mtime_ns
    first.touch()  # an older stamp would not tell a rewrite apart
    touched = first.stat().st_mtime_ns
    assert preview.source("faelle/a.md", "---\ntitle: A\n---\n") == first
    assert first.stat().st_mtime_ns == touched >= stamp
    preview.source("faelle/a.md", b"---\ntitle: B\n---\n")
    assert first.read_text(encoding="utf-8") == "---\ntitle: B\n---\n"
    first.unlink()  # gone: written again even though unchanged
    assert preview.source("faelle/a.md", b"---\ntitle: B\n---\n").is_file()


def test_only_pages_whose_key_changed_are_built_again(
    preview: QuickPreview, tmp_path: Path
) -> None:
    pages = {"faelle/a.md": "1", "faelle/b.md": "1", "index.md": "k"}
    keys = _site(tmp_path, pages)
    assert preview.plan("site", keys, [], str(tmp_path)) == 3  # the first build builds everything
    assert _present(tmp_path) == set()
    preview.built()

    keys = _site(tmp_path, pages)
    assert preview.plan("site", keys, [], str(tmp_path)) == 0
    assert len(_present(tmp_path)) == 3
    preview.built()

    keys = _site(tmp_path, {**pages, "faelle/b.md": "2"})
    assert preview.plan("site", keys, [], str(tmp_path)) == 1
    assert _present(tmp_path) == {"faelle/a/index.html", "index/index.html"}
    preview.built()

    keys = _site(tmp_path, {**pages, "faelle/b.md": "2"})
    (tmp_path / "sitemap.xml").write_text("<urlset/>", encoding="utf-8")
    (tmp_path / ".hidden").write_text("bleibt", encoding="utf-8")
    # mkdocs.yml, the theme or the navigation changed: the site directory is emptied, as
    # MkDocs does without --dirty.
    assert preview.plan("anders", keys, [], str(tmp_path)) == 3
    assert _present(tmp_path) == {".hidden"}


def test_files_no_longer_in_the_site_are_removed(preview: QuickPreview, tmp_path: Path) -> None:
    preview.source("faelle/a.md", "a")
    preview.source("faelle/b.md", "b")
    data = str(tmp_path / "daten/faelle/b.json")
    keys = _site(tmp_path, {"faelle/a.md": "1", "faelle/b.md": "1"}, ("daten/faelle/b.json",))
    preview.plan("site", keys, [data], str(tmp_path))
    preview.built()

    keys = _site(tmp_path, {"faelle/a.md": "1", "faelle/b.md": "1"}, ("daten/faelle/b.json",))
    assert preview.plan("site", keys[:1], [], str(tmp_path)) == 0  # case b was deleted
    assert _present(tmp_path) == {"faelle/a/index.html"}
    assert {p.name for p in preview.root.rglob("*.md")} == {"a.md"}


def test_after_a_failed_or_unplanned_build_the_next_builds_everything(
    preview: QuickPreview, tmp_path: Path
) -> None:
    pages = {"faelle/a.md": "1", "index.md": "k"}
    preview.plan("site", _site(tmp_path, pages), [], str(tmp_path))
    preview.built()
    preview.seen["index.md"] = ("Start", {"icon": "x"})
    preview.plan("site", _site(tmp_path, pages), [], str(tmp_path))
    (tmp_path / "halb.json").write_text("{}", encoding="utf-8")  # written, then it failed
    preview.failed()
    assert preview.seen == {}
    assert preview.plan("site", _site(tmp_path, pages), [], str(tmp_path)) == 2
    assert _present(tmp_path) == set()
    preview.built()

    preview.seen["index.md"] = ("Start", {})
    preview.built()  # a build without a plan: the plugin was off, or another plugin took part
    assert preview.seen == {}
    assert preview.plan("site", _site(tmp_path, pages), [], str(tmp_path)) == 2


def test_site_key_follows_config_theme_navigation_and_hand_written_files(tmp_path: Path) -> None:
    config = tmp_path / "mkdocs.yml"
    config.write_text("site_name: A\n", encoding="utf-8")
    theme = tmp_path / "overrides"
    (theme / "partials").mkdir(parents=True)
    footer = theme / "partials" / "footer.html"
    footer.write_text("a", encoding="utf-8")
    about = tmp_path / "ueber.md"
    about.write_text("# Über\n", encoding="utf-8")

    def key(nav: str = "nav", files: tuple[str, ...] = ("ueber.md",)) -> str:
        return site_key(str(config), [str(theme)], nav, files, [_file(about)])

    first = key()
    assert key() == first
    assert key(nav="nav2") != first
    assert key(files=("ueber.md", "hilfe.md")) != first  # links to it now resolve
    # Editors' lock and backup files, and a dangling link, change nothing and break nothing.
    (theme / "partials" / ".#footer.html").symlink_to(tmp_path / "nirgends")
    (theme / "partials" / "footer.html~").write_text("alt", encoding="utf-8")
    assert key() == first
    about.write_text("---\nicon: x\n---\n# Über uns\n", encoding="utf-8")  # a nav page
    second = key()
    assert second != first
    footer.write_text("ab", encoding="utf-8")
    third = key()
    assert third != second
    config.write_text("site_name: B\n", encoding="utf-8")
    assert key() != third


def _file(path: Path | None, src_uri: str = "ueber.md") -> SimpleNamespace:
    return SimpleNamespace(src_uri=src_uri, abs_src_path=None if path is None else str(path))


def test_hand_written_files_are_keyed_by_content_or_by_size_and_time(tmp_path: Path) -> None:
    assert file_key(_file(None)) == file_key(_file(tmp_path / "nicht-da")) == ""
    page = tmp_path / "ueber.md"
    page.write_text("# Über\n", encoding="utf-8")
    key = own_key(_file(page), "katalog")
    os.utime(page, ns=(0, 0))  # only the time: the same page
    assert own_key(_file(page), "katalog") == key != own_key(_file(page), "anders")
    page.write_text("# Über uns\n", encoding="utf-8")
    assert own_key(_file(page), "katalog") != key

    image = tmp_path / "bild.png"
    image.write_bytes(b"\x89PNG1")
    static = _file(image, "bild.png")
    key = own_key(static, "katalog")
    assert own_key(static, "anders") == key  # the catalogue does not show in an image
    stamp = image.stat().st_mtime_ns
    image.write_bytes(b"\x89PNG2")
    os.utime(image, ns=(stamp - 10**10, stamp - 10**10))  # replaced by an older copy
    assert own_key(static, "katalog") != key


def test_an_unplanned_build_after_a_planned_one_starts_from_an_empty_site(
    preview: QuickPreview, tmp_path: Path
) -> None:
    preview.plan("site", _site(tmp_path, {"index.md": "k"}), [], str(tmp_path))
    preview.built()
    preview.unplanned(str(tmp_path))  # e.g. the plugin was switched off
    assert _present(tmp_path) == set()
    _site(tmp_path, {"index.md": "k"})
    preview.built()
    preview.unplanned(str(tmp_path))  # a second one: MkDocs' own --dirty
    assert _present(tmp_path) == {"index/index.html"}


def test_file_keys_cover_generated_pages_and_hand_written_files(tmp_path: Path) -> None:
    page = tmp_path / "ueber.md"
    page.write_text("# Über\n", encoding="utf-8")

    def file(src_uri: str, source: Path | None, generated_by: str | None) -> SimpleNamespace:
        output = str(tmp_path / "site" / src_uri)
        path = None if source is None else str(source)
        return SimpleNamespace(
            src_uri=src_uri, abs_src_path=path, abs_dest_path=output, generated_by=generated_by
        )

    files = [
        file("ueber.md", page, None),
        file("faelle/a.md", tmp_path / "a.md", "praxisatlas"),
        file("daten/faelle.json", None, "praxisatlas"),  # a data file: written every build
    ]
    keys = {key.path: key.key for key in file_keys(files, {"faelle/a.md": "herkunft"}, "k")}
    assert keys == {"ueber.md": own_key(files[0], "k"), "faelle/a.md": "herkunft"}
