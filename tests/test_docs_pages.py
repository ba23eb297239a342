"""The hand-written pages in docs/: home, about, legal pages, Leichte Sprache, footer."""

from __future__ import annotations

import functools
import http.server
import os
import re
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from praxisatlas.cases.reference import KREIS_ATTRIBUTION, load_reference
from praxisatlas.cases.vocabulary import load_vocabulary
from praxisatlas.website import legal_pages
from praxisatlas.website.home import FIGURES_MARKER, NEWEST_MARKER
from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS, WCAG_TAGS
from tests.factories import make_case, make_catalogue
from tests.sitebuild import REPO, build_site

DOCS = REPO / "docs"
LEGAL_PAGES = ("impressum", "datenschutz", "barrierefreiheit", "leichte-sprache", "ueber")
FOOTER_LABELS = {
    "impressum": "Impressum",
    "datenschutz": "Datenschutz",
    "barrierefreiheit": "Barrierefreiheit",
    "leichte-sprache": "Leichte Sprache",
    "ueber": "Über den Praxisatlas",
}


def _page(name: str) -> str:
    return (DOCS / name).read_text(encoding="utf-8")


def _body(name: str) -> str:
    """The page without its front matter."""
    text = _page(name)
    if text.startswith("---\n"):
        text = text.split("\n---\n", 1)[1]
    return text


def _flat(text: str) -> str:
    return " ".join(text.split())


def _markers(text: str) -> list[str]:
    return legal_pages.MARKER.findall(text)


def test_home_has_both_markers_on_their_own_lines() -> None:
    lines = _body("index.md").splitlines()
    assert lines.count(FIGURES_MARKER) == 1
    assert lines.count(NEWEST_MARKER) == 1


def test_home_explains_use_and_links_entry_points() -> None:
    home = _body("index.md")
    for target in (
        "katalog/index.md",
        "themen/index.md",
        "laender/index.md",
        "kreise/index.md",
        "statistik/index.md",
        "karte/index.md",
        "daten/index.md",
        "mitmachen/index.md",
        "leichte-sprache.md",
        "ueber.md",
    ):
        assert f"]({target})" in home, target
    assert "## Mitmachen" in home


def test_every_marker_names_a_known_detail() -> None:
    used: set[str] = set()
    for path in sorted(DOCS.rglob("*.md")):
        keys = _markers(path.read_text(encoding="utf-8"))
        unknown = sorted(set(keys) - set(legal_pages.FIELDS_BY_KEY))
        assert not unknown, f"{path.name}: unbekannte Angaben {unknown}"
        used.update(keys)
    # Every configured detail appears on some page; otherwise it should not be asked for.
    assert used == set(legal_pages.FIELDS_BY_KEY)


def test_impressum_has_the_required_details() -> None:
    keys = set(_markers(_page("impressum.md")))
    assert {
        "name",
        "rechtsform",
        "anschrift",
        "vertreten_durch",
        "email",
        "telefon",
        "aufsichtsbehoerde",
        "inhaltlich_verantwortlich",
    } <= keys
    assert "§ 5 Digitale-Dienste-Gesetz" in _page("impressum.md")
    assert "§ 18 Abs. 2 MStV" in _page("impressum.md")


def test_no_outdated_law_names_in_legal_pages() -> None:
    for name in ("impressum.md", "datenschutz.md", "barrierefreiheit.md"):
        assert not re.search(r"\b(TMG|TTDSG|RStV)\b", _page(name)), name


def test_privacy_statement_covers_what_article_13_asks() -> None:
    text = _flat(_body("datenschutz.md"))
    for statement in ("Keine Cookies", "Kein Tracking", "Keine Inhalte Dritter"):
        assert statement in text
    for phrase in ("Art. 6 Abs. 1 Buchst. a DSGVO", "Art. 15 DSGVO", "Art. 17 DSGVO", "Art. 77"):
        assert phrase in text, phrase
    assert {
        "name",
        "anschrift",
        "datenschutzbeauftragter",
        "hoster",
        "server_protokolle",
        "rechtsgrundlage_datenschutz",
        "datenschutz_aufsichtsbehoerde",
    } <= set(_markers(text))


def test_accessibility_statement_has_the_prescribed_sections() -> None:
    text = _body("barrierefreiheit.md")
    headings = re.findall(r"^## (.+)$", text, flags=re.M)
    assert headings == [
        "Stand der Vereinbarkeit mit den Anforderungen",
        "Nicht barrierefreie Inhalte",
        "Erstellung dieser Erklärung",
        "Feedback und Kontakt",
        "Durchsetzungsverfahren",
    ]
    flat = _flat(text)
    assert "WCAG" in flat and "axe-core" in flat and "Chromium" in flat
    assert {"stand_barrierefreiheit", "schlichtungsstelle", "email"} <= set(_markers(text))
    assert "](leichte-sprache.md)" in text


def test_about_page_attributes_the_kreis_list_as_in_the_reference_data() -> None:
    text = _flat(_body("ueber.md"))
    assert _flat(KREIS_ATTRIBUTION) in text
    for component in ("MkDocs", "Material for MkDocs", "lunr.js", "CC BY 4.0", "EUPL"):
        assert component in text, component
    assert "24 Monate" in text and "eingestellt" in text


NUMBER_WORDS = {12: "zwölf", 14: "14", 400: "400"}


def test_figures_in_the_text_match_the_reference_data() -> None:
    """Numbers written into the prose stay true when the vocabulary or Kreis list changes."""
    vocabulary = load_vocabulary()
    fields = NUMBER_WORDS[len(vocabulary.fields)]
    ozg = NUMBER_WORDS[len(vocabulary.ozg_themenfelder)]
    kreise = NUMBER_WORDS[len(load_reference().current_kreise)]
    home = _flat(_body("index.md"))
    about = _flat(_body("ueber.md"))
    assert f"{fields} Handlungsfelder" in home
    assert f"alle {kreise} Kreise" in home
    assert f"mit {fields} Handlungsfeldern" in about
    assert f"den {ozg} Themenfeldern" in about
    assert f"Die Liste der {kreise} Kreise" in about


ABBREVIATIONS = re.compile(r"\b(z\. ?B\.|bzw\.|usw\.|d\. ?h\.|ca\.|ggf\.|u\. ?a\.|Nr\.|etc\.)")


def test_leichte_sprache_keeps_its_rules() -> None:
    """Short sentences, one statement each, no abbreviations, no subordinate clauses."""
    text = _body("leichte-sprache.md")
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)
    text = legal_pages.MARKER.sub("X", text)
    assert not ABBREVIATIONS.search(text)
    for raw in text.splitlines():
        line = raw.strip().lstrip("#-*> ").strip("* ")
        if not line:
            continue
        for sentence in re.split(r"(?<=[.?!:])\s+", line):
            words = sentence.split()
            assert len(words) <= 12, sentence
            assert not re.search(r", (die|der|das|dass|weil|wenn|obwohl|damit)\b", sentence), (
                sentence
            )


# --- built site ----------------------------------------------------------------------


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    catalogue = make_catalogue(make_case("erster-fall"), make_case("zweiter-fall", ags="09162"))
    return build_site(tmp_path_factory.mktemp("docs_site"), catalogue=catalogue)


@pytest.mark.slow
def test_footer_links_every_legal_page_from_every_page(built: Path) -> None:
    pages = sorted(built.rglob("index.html"))
    assert len(pages) > 10
    for page in pages:
        html = page.read_text(encoding="utf-8")
        footer = html[html.index('class="md-copyright pa-footer"') :]
        for slug, label in FOOTER_LABELS.items():
            match = re.search(rf'<a href="([^"]*)">{label}</a>', footer)
            assert match, f"{page}: {label}"
            target = (page.parent / match.group(1) / "index.html").resolve()
            assert target == (built / slug / "index.html").resolve(), (page, match.group(1))
        assert "CC BY 4.0" in footer
        assert "Made with" not in footer


@pytest.mark.slow
def test_pages_are_built_in_german_with_a_title(built: Path) -> None:
    titles = {
        "impressum": "Impressum",
        "datenschutz": "Datenschutzerklärung",
        "barrierefreiheit": "Erklärung zur Barrierefreiheit",
        "leichte-sprache": "Leichte Sprache",
        "ueber": "Über den Praxisatlas",
    }
    for slug in LEGAL_PAGES:
        html = (built / slug / "index.html").read_text(encoding="utf-8")
        assert '<html lang="de"' in html
        assert f"<title>{titles[slug]} - Praxisatlas</title>" in html
    home = (built / "index.html").read_text(encoding="utf-8")
    assert FIGURES_MARKER not in home and NEWEST_MARKER not in home
    assert 'href="leichte-sprache/"' in home


# --- in the browser ------------------------------------------------------------------

HAND_WRITTEN = ("", "impressum/", "datenschutz/", "barrierefreiheit/", "leichte-sprache/", "ueber/")


@pytest.fixture(scope="module")
def served(built: Path) -> Iterator[str]:
    handler = functools.partial(_QuietHandler, directory=str(built))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


def check_in_browser(base_url: str) -> list[str]:
    """axe-core WCAG 2.1 A/AA at desktop and phone width; no foreign requests, no storage.

    Runs in a child process (see ``__main__`` below): Playwright's sync API cannot start
    while the session browser of ``tests/browser/`` is running in the test process.
    """
    from axe_playwright_python.sync_playwright import Axe
    from playwright.sync_api import sync_playwright

    axe = Axe()
    requested: list[str] = []
    problems: list[str] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for width, height in ((1280, 900), (390, 844)):
            context = browser.new_context(viewport={"width": width, "height": height})
            page = context.new_page()
            page.on("request", lambda request: requested.append(request.url))
            for path in HAND_WRITTEN:
                page.goto(base_url + path, wait_until="networkidle")
                options = {"runOnly": {"type": "tag", "values": WCAG_TAGS}}
                for violation in axe.run(page, options=options).response["violations"]:
                    targets = [str(node["target"]) for node in violation["nodes"][:3]]
                    problems.append(f"{width}px /{path}: {violation['id']} {targets}")
                storage = page.evaluate("[localStorage.length, sessionStorage.length]")
                if storage != [0, 0]:
                    problems.append(f"{width}px /{path}: Web Storage benutzt {storage}")
            if context.cookies():
                problems.append(f"{width}px: Cookies gesetzt {context.cookies()}")
            context.close()
        browser.close()
    problems.extend(f"fremde Anfrage: {url}" for url in requested if not url.startswith(base_url))
    return problems


@pytest.mark.browser
@pytest.mark.slow
def test_hand_written_pages_are_accessible_and_private(served: str) -> None:
    if not Path(CHROMIUM).exists() and os.environ.get("CI", "").lower() not in ("1", "true"):
        pytest.skip(f"{CHROMIUM} fehlt")
    result = subprocess.run(
        [sys.executable, "-m", "tests.test_docs_pages", served],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.strip() == "OK", result.stdout


if __name__ == "__main__":
    found = check_in_browser(sys.argv[1])
    print("\n".join(found) if found else "OK")
