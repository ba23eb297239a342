"""Real builds of small sites with the real theme: pages, links, escaping, determinism."""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
import os
import re
import subprocess
import sys
import time
from html.parser import HTMLParser
from pathlib import Path
from unittest import mock
from urllib.parse import unquote, urlsplit

import pytest

from praxisatlas.cases.model import Contact, Organisation, Source
from praxisatlas.cases.reference import load_reference
from tests.factories import make_case, make_catalogue
from tests.sitebuild import REPO, build_site, site_files

pytestmark = pytest.mark.slow

HOSTILE_TITLE = (
    "<script>alert('t')</script> {{ 7*7 }} {% if x %} [x](javascript:alert(1)) *a* _b_ | `c` \"q\""
)
HOSTILE_SUMMARY = "<img src=x onerror=alert('s')> \"Zitat\" & {{ 6*7 }} | </p><p>"
HOSTILE_ORG = "<b onmouseover=alert('o')>Amt</b> | *fett* `code`"


def _hostile_case():  # type: ignore[no-untyped-def]
    reference = load_reference()
    kreis = reference.kreis_by_ags["09162"]
    return make_case(
        "boese",
        ags="09162",
        title=HOSTILE_TITLE,
        summary=HOSTILE_SUMMARY,
        topics=("e-akte", "ozg-onlinedienste"),
        organisations=(
            Organisation(
                role="lead",
                name=HOSTILE_ORG,
                kind="Amt <i>",
                ags="09162",
                kreis=kreis,
                land=reference.land_of(kreis),
            ),
        ),
        contact=Contact(function="</dd><script>alert('c')</script>", email="a@example.org"),
        sources=(Source(title="<script>alert('q')</script>", url="javascript:alert('u')"),),
        rights_holder="{% raw %}<svg onload=alert('r')>",
        body="## Ausgangslage\n\n[klick](javascript:alert('b')) und "
        "[zwei](&#106;avascript:alert('e'))\n\n## Lösung\n\nText.\n",
    )


def _catalogue():  # type: ignore[no-untyped-def]
    reference = load_reference()
    land = reference.land_by_code["03"]
    return make_catalogue(
        make_case(
            "alpha",
            ags="05162",
            title="Alpha: E-Akte im Kreis",
            reviewed=dt.date(2020, 1, 1),
            related=("beta",),
        ),
        make_case(
            "beta", ags="05162004", title="Beta: Online-Dienste", topics=("ozg-onlinedienste",)
        ),
        make_case(
            "gamma",
            ags="05162",
            title="Gamma: Gemeinsam",
            topics=("e-akte",),
            status="regelbetrieb",
            adopted_from=("alpha",),
        ),
        make_case(
            "delta",
            title="Delta: Landesweit",
            organisations=(
                Organisation(role="lead", name="IT.Niedersachsen", kind="Landesbetrieb", land=land),
            ),
            topics=("verwaltung-digital",),
        ),
        _hostile_case(),
    )


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_site(
        tmp_path_factory.mktemp("site"),
        catalogue=_catalogue(),
        plugin_options={
            "edit_url": "https://github.com/org/praxisatlas/edit/main/cases/{filename}"
        },
    )


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []
        self.attrs: list[tuple[str, str, str]] = []
        self.scripts: list[str] = []
        self.title = ""
        self._in: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            self.attrs.append((tag, name, value or ""))
            if tag == "a" and name == "href" and value:
                self.links.append(value)
        if tag in ("script", "title"):
            self._in = tag
            if tag == "script":
                self.scripts.append("")

    def handle_endtag(self, tag: str) -> None:
        self._in = None

    def handle_data(self, data: str) -> None:
        if self._in == "script":
            self.scripts[-1] += data
        elif self._in == "title":
            self.title += data


def _parse(path: Path) -> _Collector:
    collector = _Collector()
    collector.feed(path.read_text(encoding="utf-8"))
    return collector


def test_pages_of_every_kind_exist(site: Path) -> None:
    expected = [
        "index.html",
        "faelle/alpha/index.html",
        "faelle/boese/index.html",
        "themen/index.html",
        "themen/e-akte/index.html",
        "themen/verwaltung-digital/index.html",
        "laender/index.html",
        "laender/nordrhein-westfalen/index.html",
        "laender/niedersachsen/index.html",
        "kreise/index.html",
        "kreise/05162/index.html",
        "kreise/09162/index.html",
        "status/index.html",
        "status/pilot/index.html",
        "jahre/2022/index.html",
        "kreistypen/landkreis/index.html",
        "groessen/index.html",
    ]
    missing = [page for page in expected if not (site / page).is_file()]
    assert missing == []
    # Counties without cases get no profile page, but all 400 are listed.
    assert not (site / "kreise/01001").exists()
    kreise = (site / "kreise/index.html").read_text(encoding="utf-8")
    assert kreise.count('<th scope="row">') == 400


def test_case_page_fact_box(site: Path) -> None:
    html = (site / "faelle/alpha/index.html").read_text(encoding="utf-8")
    assert "Fiktiver Beispielfall" in html
    assert "veraltet" in html and "01.01.2020" in html
    assert 'href="../../themen/e-akte/"' in html
    assert 'href="../../status/pilot/"' in html
    assert 'href="../../laender/nordrhein-westfalen/"' in html
    assert "Ähnliche Fälle" in html and 'href="../../faelle/gamma/"' in html
    assert re.search(r"<h2 id=\"[^\"]+\">Weitere Fälle aus Rhein-Kreis Neuss<", html)
    assert 'href="https://github.com/org/praxisatlas/edit/main/cases/alpha.md"' in html
    assert "Auf GitHub bearbeiten" in html
    assert '<meta name="description" content="Ein fiktiver Fall für Tests.">' in html
    assert '"dateModified":"2020-01-01"' in html
    gamma = (site / "faelle/gamma/index.html").read_text(encoding="utf-8")
    assert "veraltet" not in gamma
    assert "Übernommen von" in gamma and 'href="../../faelle/alpha/"' in gamma
    # Case pages are out of the navigation and out of Material's search index.
    home = (site / "index.html").read_text(encoding="utf-8")
    assert "faelle/alpha" not in home.split('class="md-content"')[0]


def test_every_markdown_heading_became_a_heading(site: Path) -> None:
    # A heading glued to a generated HTML block stays literal text ("## Weitere Fälle").
    literal = [
        str(page.relative_to(site))
        for page in site.rglob("*.html")
        if re.search(r"^\s*#{1,6} ", page.read_text(encoding="utf-8"), re.MULTILINE)
    ]
    assert literal == []


def test_home_page_figures_and_newest(site: Path) -> None:
    html = (site / "index.html").read_text(encoding="utf-8")
    assert "praxisatlas:kennzahlen" not in html and "praxisatlas:neueste" not in html
    figures = re.findall(r'pa-figure__value">([^<]+)<', html)
    # 5 cases; Kreise 05162 and 09162; Länder NRW, Bayern, Niedersachsen.
    assert figures[:3] == ["5", "2", "3"]
    assert 'href="faelle/alpha/"' in html
    assert 'type="application/atom+xml"' in html and "daten/feeds/alle.xml" in html


def test_feeds_linked_in_head_of_field_and_land_pages(site: Path) -> None:
    field = (site / "themen/verwaltung-digital/index.html").read_text(encoding="utf-8")
    assert 'href="../../daten/feeds/themen/verwaltung-digital.xml"' in field
    land = (site / "laender/bayern/index.html").read_text(encoding="utf-8")
    assert 'href="../../daten/feeds/laender/bayern.xml"' in land


def test_every_internal_link_resolves(site: Path) -> None:
    broken: list[str] = []
    for page in sorted(site.rglob("*.html")):
        base = page.parent
        for href in _parse(page).links:
            parts = urlsplit(href)
            if parts.scheme or parts.netloc or not parts.path:
                continue
            path = unquote(parts.path)
            # 404.html links root-absolute (it is served at any depth).
            target = (site / path.lstrip("/") if path.startswith("/") else base / path).resolve()
            if target.is_dir():
                target = target / "index.html"
            if not target.is_file():
                broken.append(f"{page.relative_to(site)} -> {href}")
    assert broken == []


def test_hostile_text_is_escaped_everywhere(site: Path) -> None:
    for page in sorted(site.rglob("*.html")):
        parsed = _parse(page)
        where = page.relative_to(site)
        for tag, name, value in parsed.attrs:
            assert not name.startswith("on"), f"{where}: <{tag} {name}>"
            assert not value.strip().lower().startswith(("javascript:", "data:")), (
                f"{where}: <{tag} {name}={value!r}>"
            )
        for script in parsed.scripts:
            if script.startswith("{"):  # JSON-LD: data, but no "<" that could end the script
                assert "<" not in script and ">" not in script, f"{where}: {script[:80]}"
            else:
                assert "alert(" not in script, f"{where}: script {script[:80]}"
    html = (site / "faelle/boese/index.html").read_text(encoding="utf-8")
    parsed = _parse(site / "faelle/boese/index.html")
    # The browser shows the title as text, exactly as written.
    assert parsed.title == f"{' '.join(HOSTILE_TITLE.split())} - Praxisatlas"
    assert "{{ 7*7 }}" in parsed.title
    assert "&#34;Zitat&#34; &amp; {{ 6*7 }}" in html
    assert "\\u003cscript\\u003ealert" in html  # JSON-LD headline
    assert "&lt;b onmouseover" in html
    assert "&lt;/dd&gt;&lt;script&gt;" in html


def test_case_keys_cannot_change_rendering(site: Path) -> None:
    # Material keys in a case's body text stay text: our front matter comes first.
    catalogue = _catalogue()
    case = dataclasses.replace(
        catalogue.cases["alpha"], body="---\ntemplate: 404.html\nhide: [navigation]\n---\n\nText.\n"
    )
    from praxisatlas.output import SiteSettings
    from praxisatlas.website.pages import SitePages

    page = SitePages(make_catalogue(case), SiteSettings()).case_page(case)
    assert isinstance(page.content, str)
    front, _, rest = page.content.removeprefix("---\n").partition("\n---\n")
    assert sorted(line.split(":")[0] for line in front.splitlines()) == [
        "description",
        "jsonld",
        "search",
    ]
    assert "template: 404.html" in rest


def test_rebuild_is_byte_identical(
    tmp_path: Path, site: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # MkDocs dates sitemap.xml (<lastmod>) and the gzip header of sitemap.xml.gz with the
    # build date; SOURCE_DATE_EPOCH pins it, so every byte must match.
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1795000000")
    options = {"edit_url": "https://github.com/org/praxisatlas/edit/main/cases/{filename}"}
    first = site_files(build_site(tmp_path / "a", catalogue=_catalogue(), plugin_options=options))
    second = site_files(build_site(tmp_path / "b", catalogue=_catalogue(), plugin_options=options))
    assert sorted(first) == sorted(second)
    assert [name for name in first if first[name] != second[name]] == []
    assert "sitemap.xml" in first and "faelle/boese/index.html" in first


def test_cached_navigation_matches_material(tmp_path: Path, site: Path) -> None:
    # overrides/main.html reuses the rendered nav for pages outside it; without the cache
    # (no `pa_nav_cache` global) Material renders it itself: the pages must not differ.
    options = {"edit_url": "https://github.com/org/praxisatlas/edit/main/cases/{filename}"}
    with mock.patch("praxisatlas.plugin._prepare_theme", lambda env: None):
        uncached = build_site(tmp_path, catalogue=_catalogue(), plugin_options=options)

    def normalised(path: Path) -> str:
        text = re.sub(r"\s+", " ", path.read_text(encoding="utf-8"))
        return re.sub(r"praxisatlas-html-[0-9a-f]+", "", text)

    for page in ("faelle/alpha/index.html", "themen/e-akte/index.html", "kreise/05162/index.html"):
        assert normalised(site / page) == normalised(uncached / page), page


def test_second_process_build_equals_serial_build(tmp_path: Path) -> None:
    # In a new interpreter: the browser fixtures' server threads would (rightly) stop the
    # plugin from forking in this process.
    _in_fresh_process("check_second_process_build", tmp_path)


def test_warnings_of_pages_converted_in_second_process_count(tmp_path: Path) -> None:
    _in_fresh_process("check_second_process_warnings", tmp_path)


def _in_fresh_process(check: str, root: Path) -> None:
    code = f"import tests.test_site_build as t; t.{check}({str(root)!r})"
    subprocess.run([sys.executable, "-c", code], cwd=REPO, check=True, timeout=300)


def _second_process_takes_every_page() -> None:
    """Patch this process to wait until the second one has taken all generated pages."""

    _front_waits_until(lambda split: split.taken_by_back() == split.count)


def _second_process_takes_some_pages() -> None:
    """Patch this process to wait until the second one has taken a page: a mixed split."""
    _front_waits_until(lambda split: split.taken_by_back() > 0)


def _front_waits_until(ready) -> None:  # type: ignore[no-untyped-def]
    from praxisatlas import parallel

    take_front = parallel.Split.take_front

    def wait_then_take(self, index):  # type: ignore[no-untyped-def]
        deadline = time.monotonic() + 120
        while not ready(self):
            assert time.monotonic() < deadline, "the second process took no pages"
            time.sleep(0.005)
        return take_front(self, index)

    parallel.Split.take_front = wait_then_take  # type: ignore[method-assign]


def _this_process_takes_every_page() -> None:
    """Patch the second process to take no generated page: this one renders them all."""
    from praxisatlas import parallel

    parallel.Split.take_back = lambda self: None  # type: ignore[method-assign]


def _count_early_rendered_pages() -> list[str]:
    """Patch the plugin to record the pages this process renders with the theme early."""
    from praxisatlas.plugin import PraxisatlasPlugin, _PageRenderedEarly

    rendered: list[str] = []
    on_page_content = PraxisatlasPlugin.on_page_content

    def spy(self, html, /, *, page, config, files):  # type: ignore[no-untyped-def]
        result = on_page_content(self, html, page=page, config=config, files=files)
        if isinstance(page, _PageRenderedEarly):
            rendered.append(page.file.src_uri)
        return result

    PraxisatlasPlugin.on_page_content = spy  # type: ignore[method-assign]
    return rendered


def _count_moved_pages() -> list[str]:
    """Patch the plugin to record the pages it takes from the second process."""
    from praxisatlas.plugin import PraxisatlasPlugin

    moved: list[str] = []
    take = PraxisatlasPlugin._take_converted

    def spy(self, page):  # type: ignore[no-untyped-def]
        moved.append(page.file.src_uri)
        return take(self, page)

    PraxisatlasPlugin._take_converted = spy  # type: ignore[method-assign]
    return moved


def check_second_process_build(root: str) -> None:
    from praxisatlas import parallel

    os.environ["SOURCE_DATE_EPOCH"] = "1795000000"
    forked: list[bool] = []
    real_start = parallel.start

    def spy(works, *, fork=True):  # type: ignore[no-untyped-def]
        pending = real_start(works, fork=fork)
        forked.append(pending.forked)
        return pending

    parallel.start = spy  # type: ignore[assignment]
    moved = _count_moved_pages()
    early = _count_early_rendered_pages()
    linux = sys.platform.startswith("linux")
    serial = site_files(
        build_site(Path(root) / "s", catalogue=_catalogue(), plugin_options={"parallel": False})
    )
    assert forked == [False] and moved == [] and early == []
    take_back, take_front = parallel.Split.take_back, parallel.Split.take_front
    for variant in ("here", "shared", "all"):
        parallel.Split.take_back = take_back  # type: ignore[method-assign]
        parallel.Split.take_front = take_front  # type: ignore[method-assign]
        if variant == "here":
            _this_process_takes_every_page()
        if variant == "shared":
            _second_process_takes_some_pages()
        if variant == "all":
            _second_process_takes_every_page()
        early.clear()
        moved.clear()
        forking = site_files(build_site(Path(root) / variant, catalogue=_catalogue()))
        if linux:
            if variant == "here":  # every generated page rendered early here, none moved
                assert moved == [] and {"faelle/alpha.md", "katalog/index.md"} <= set(early)
            with pytest.raises(ChildProcessError):  # the second process is reaped
                os.waitpid(-1, os.WNOHANG)
            if variant == "shared":  # each process converted and rendered some
                assert moved and early and not set(moved) & set(early)
            if variant == "all":
                assert early == []
        assert forked[-1] == linux
        assert sorted(serial) == sorted(forking)
        assert [name for name in serial if serial[name] != forking[name]] == [], variant
        for data_file in ("katalog/suchindex.json", "daten/faelle.csv", "daten/feeds/alle.xml"):
            assert forking[data_file], data_file
    if linux:
        pages = [name for name in serial if name.endswith("index.html")]
        # All generated pages moved in the last build: case pages, index pages, katalog.
        assert {"faelle/alpha.md", "themen/e-akte.md", "katalog/index.md"} <= set(moved)
        assert len(moved) > len(pages) / 2


def test_nav_page_with_a_subtitle_keeps_pages_rendered_in_mkdocs_order(tmp_path: Path) -> None:
    _in_fresh_process("check_nav_page_with_a_subtitle", tmp_path)


def check_nav_page_with_a_subtitle(root: str) -> None:
    # Material's nav shows a page's subtitle on every page, and that front matter is
    # only read with the page: no page may be rendered before all are read.
    os.environ["SOURCE_DATE_EPOCH"] = "1795000000"
    text = (REPO / "docs/ueber.md").read_text(encoding="utf-8")
    docs = {"ueber.md": text.replace("---\n", "---\nsubtitle: Wer dahintersteht\n", 1)}
    early = _count_early_rendered_pages()
    serial = site_files(
        build_site(
            Path(root) / "s", docs=docs, catalogue=_catalogue(), plugin_options={"parallel": False}
        )
    )
    forking = site_files(build_site(Path(root) / "p", docs=docs, catalogue=_catalogue()))
    assert "Wer dahintersteht" in serial["faelle/alpha/index.html"].decode("utf-8")
    assert early == []
    assert [name for name in serial if serial[name] != forking[name]] == []


def check_second_process_warnings(root: str) -> None:
    # A warning while a page is converted in the second process reaches this process's
    # log, once and on its page, so `mkdocs build --strict` fails as it does serially.
    from mkdocs.exceptions import Abort

    from praxisatlas import generators, plugin
    from praxisatlas.output import OutputFile

    _second_process_takes_every_page()
    generators.GENERATORS.append(
        lambda catalogue, settings: [OutputFile("extra/warnung.md", "# W\n\n[kaputt](fehlt.md)\n")]
    )
    moved = _count_moved_pages()
    messages: list[str] = []

    class Collect(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            messages.append(record.getMessage())

    logging.getLogger("mkdocs").addHandler(Collect(logging.WARNING))
    for name, options in (("s", {"parallel": False}), ("p", {})):
        messages.clear()
        with pytest.raises(Abort, match="1 warnings in strict mode"):
            build_site(Path(root) / name, catalogue=_catalogue(), plugin_options=options)
        assert messages == [
            "Doc file 'extra/warnung.md' contains a link 'fehlt.md', but the target "
            "'extra/fehlt.md' is not found among documentation files."
        ], (name, messages)
    if not sys.platform.startswith("linux"):
        return
    assert "extra/warnung.md" in moved
    # An error while converting a page there fails the build on that page, with its text.
    real = plugin.neutralise_unsafe_links

    def fail_on_one_page(html: str) -> str:
        if "kaputt" in html:
            raise RuntimeError("Umwandlung gescheitert")
        return real(html)

    plugin.neutralise_unsafe_links = fail_on_one_page
    messages.clear()
    with pytest.raises(Abort):
        build_site(Path(root) / "e", catalogue=_catalogue(), strict=False)
    assert "Error reading page 'extra/warnung.md':" in messages
    assert "Umwandlung gescheitert" in messages


def test_failing_data_file_fails_the_build_with_a_message(
    tmp_path: Path,
    site: Path,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    from mkdocs.exceptions import Abort

    from praxisatlas import parallel
    from praxisatlas.opendata import exports

    def broken(*args: object) -> str:
        raise RuntimeError("CSV kaputt")

    monkeypatch.setattr(exports, "render_csv", broken)
    if parallel.can_fork():
        # The error happens in the second process and is reported by the plugin.
        with pytest.raises(Abort):
            build_site(tmp_path / "p", catalogue=_catalogue())
        assert "Datendateien nicht erzeugt" in caplog.text
        assert "RuntimeError: CSV kaputt" in caplog.text
    else:
        with pytest.raises(RuntimeError, match="CSV kaputt"):
            build_site(tmp_path / "p", catalogue=_catalogue())
