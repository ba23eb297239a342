"""Real builds of small sites with the real theme: pages, links, escaping, determinism."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import Callable
from html.parser import HTMLParser
from pathlib import Path
from unittest import mock
from urllib.parse import unquote, urlsplit

import jinja2
import pytest

from praxisatlas.cases.model import Contact, Organisation, Source
from praxisatlas.cases.reference import load_reference
from praxisatlas.plugin import PraxisatlasPlugin
from tests.factories import make_case, make_catalogue
from tests.sitebuild import build_site, site_files

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
    on_env: Callable[..., object] = PraxisatlasPlugin.on_env
    removed = []

    def without_nav_cache(
        self: PraxisatlasPlugin, env: jinja2.Environment, /, **kwargs: object
    ) -> object:
        result = on_env(self, env, **kwargs)
        removed.append(env.globals.pop("pa_nav_cache"))
        return result

    with mock.patch.object(PraxisatlasPlugin, "on_env", without_nav_cache):
        uncached = build_site(tmp_path, catalogue=_catalogue(), plugin_options=options)
    assert removed == [{}]

    def normalised(path: Path) -> str:
        text = re.sub(r"\s+", " ", path.read_text(encoding="utf-8"))
        return re.sub(r"praxisatlas-html-[0-9a-f]+", "", text)

    for page in ("faelle/alpha/index.html", "themen/e-akte/index.html", "kreise/05162/index.html"):
        assert normalised(site / page) == normalised(uncached / page), page


def test_failing_data_file_fails_the_build_with_a_message(
    tmp_path: Path,
    site: Path,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:

    from praxisatlas.opendata import data_page

    def broken(*args: object) -> str:
        raise RuntimeError("CSV kaputt")

    # data_page.py lists the published files and imports render_csv by name.
    monkeypatch.setattr(data_page, "render_csv", broken)
    with pytest.raises(RuntimeError, match="CSV kaputt"):
        build_site(tmp_path / "p", catalogue=_catalogue(), plugin_options={"cache": False})
