"""Unit and golden-file tests of the generated site pages (no MkDocs build)."""

from __future__ import annotations

import datetime as dt
import os
import re
from pathlib import Path

import pytest
import yaml

from praxisatlas import output
from praxisatlas.cases.model import Confirmation, Contact, Effort, Outcome, PartialDate, Source
from praxisatlas.output import OutputFile, PageContext, SiteSettings
from praxisatlas.website import render
from praxisatlas.website.home import fill_home_page
from praxisatlas.website.pages import SitePages, generate
from praxisatlas.website.sanitize import neutralise_unsafe_links
from praxisatlas.website.similar import SimilarCases
from tests.factories import TODAY, make_case, make_catalogue

GOLDEN = Path(__file__).parent / "golden" / "site"
SETTINGS = SiteSettings(
    site_url="https://praxisatlas.example.org/",
    edit_url_template="https://github.com/org/praxisatlas/edit/main/cases/{filename}",
    today=TODAY,
    build_date=TODAY,
)


def _golden_catalogue():  # type: ignore[no-untyped-def]
    return make_catalogue(
        make_case(
            "e-akte-neuss",
            title="E-Akte im ganzen Haus: *Rhein-Kreis* Neuss",
            summary="Der Kreis führt die E-Akte ein – mit <Ämtern> & Schulen.",
            topics=("e-akte", "ozg-onlinedienste"),
            status="regelbetrieb",
            start=PartialDate(2019, 5),
            contact=Contact(
                function="Stabsstelle Digitalisierung",
                email="digital@example.org",
                phone="+49 2131 0000",
                open_to=("telefonat", "hospitation"),
            ),
            sources=(
                Source(
                    title="Bericht",
                    url="https://example.org/bericht",
                    publisher="Kreis",
                    date="2024",
                ),
            ),
            effort=Effort(cost="50000-250000", staff="1-3"),
            outcomes=(Outcome(text="Weniger Papier", evidence="geschaetzt"),),
            transferability="Gut übertragbar auf andere Kreise.",
            rights_holder="Rhein-Kreis Neuss",
        ),
        make_case("ozg-muenchen", ags="09162", topics=("ozg-onlinedienste",)),
        make_case("e-akte-zwei", topics=("e-akte",), reviewed=dt.date(2023, 1, 1)),
    )


def _normalise(markdown: str) -> str:
    # The HTML-block and case-body markers carry a per-process secret; golden files show
    # it as NONCE.
    return re.sub(r"praxisatlas-(html|fall)-[0-9a-f]+", r"praxisatlas-\1-NONCE", markdown)


def _check_golden(name: str, output: OutputFile) -> None:
    assert isinstance(output.content, str)
    actual = _normalise(output.content)
    path = GOLDEN / name
    if os.environ.get("UPDATE_GOLDEN") == "1":
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(actual, encoding="utf-8")
    assert path.exists(), f"{path} fehlt: mit UPDATE_GOLDEN=1 erzeugen"
    assert actual == path.read_text(encoding="utf-8")


def test_case_page_golden() -> None:
    pages = SitePages(_golden_catalogue(), SETTINGS)
    case = pages.catalogue.cases["e-akte-neuss"]
    _check_golden("case-e-akte-neuss.md", pages.case_page(case))


def test_topic_page_golden() -> None:
    pages = {p.path: p for p in generate(_golden_catalogue(), SETTINGS)}
    _check_golden("topic-e-akte.md", pages["themen/e-akte.md"])
    _check_golden("topic-verwaltung-digital.md", pages["themen/verwaltung-digital.md"])


def test_generated_front_matter_is_ours_and_valid_yaml() -> None:
    for page in generate(_golden_catalogue(), SETTINGS):
        assert isinstance(page.content, str) and page.content.startswith("---\n")
        front = page.content.split("---\n")[1]
        meta = yaml.safe_load(front)
        assert set(meta) <= {"description", "jsonld", "search", "alternate_feeds"}, page.path


def test_index_pages_are_in_nav_and_case_pages_are_not() -> None:
    pages = generate(_golden_catalogue(), SETTINGS)
    in_nav = sorted(p.path for p in pages if p.in_nav)
    assert in_nav == [
        "groessen/index.md",
        "jahre/index.md",
        "kreise/index.md",
        "kreistypen/index.md",
        "laender/index.md",
        "status/index.md",
        "themen/index.md",
    ]
    assert len({p.path for p in pages}) == len(pages)


def test_stale_note_after_24_months() -> None:
    pages = {p.path: p.content for p in generate(_golden_catalogue(), SETTINGS)}
    assert "veraltet" in str(pages["faelle/e-akte-zwei.md"])
    assert "veraltet" not in str(pages["faelle/e-akte-neuss.md"])


def test_contact_without_route_says_how_to_reach_the_unit() -> None:
    no_route = make_case("ohne-weg", contact=Contact(function="IT-Abteilung des Kreises"))
    pages = {p.path: str(p.content) for p in generate(make_catalogue(no_route), SETTINGS)}
    assert "Kein direkter Kontaktweg angegeben" in pages["faelle/ohne-weg.md"]
    golden = {p.path: str(p.content) for p in generate(_golden_catalogue(), SETTINGS)}
    assert "Kein direkter Kontaktweg" not in golden["faelle/e-akte-neuss.md"]


def test_confirmed_case_says_so_and_is_a_catalogue_facet() -> None:
    confirmed = make_case(
        "bestaetigt",
        confirmed=Confirmation(dt.date(2026, 10, 5), "Stabsstelle Digitalisierung, Kreis Lippe"),
    )
    other = make_case("offen")
    catalogue = make_catalogue(confirmed, other)
    pages = {p.path: str(p.content) for p in generate(catalogue, SETTINGS)}
    assert (
        'Von der Verwaltung bestätigt am <time datetime="2026-10-05">05.10.2026</time> '
        "(Stabsstelle Digitalisierung, Kreis Lippe)"
    ) in pages["faelle/bestaetigt.md"]
    assert "Von der Verwaltung bestätigt" not in pages["faelle/offen.md"]
    facet = catalogue.facets["bestaetigt"]
    assert facet.label == "Von der Verwaltung bestätigt"
    assert facet.terms["ja"].case_ids == ["bestaetigt"]
    assert facet.terms["nein"].case_ids == ["offen"]


def test_similar_cases_weighted_and_deterministic() -> None:
    base = make_case("a", ags="05162", topics=("e-akte",))
    same_county_type = make_case("b", ags="05158", topics=("e-akte",))  # Landkreis, similar size
    city = make_case("c", ags="09162", topics=("e-akte",))  # kreisfreie Stadt, large
    two_shared = make_case("d", ags="09162", topics=("e-akte", "ozg-onlinedienste"))
    unrelated = make_case("e", topics=("ozg-onlinedienste",))
    catalogue = make_catalogue(base, same_county_type, city, two_shared, unrelated)
    similar = SimilarCases(catalogue)
    first, *rest = [c.id for c in similar.for_case(base)]
    assert first == "b" and sorted(rest) == ["c", "d"]
    query = catalogue.cases["d"]
    # c: shared topic + same type + same size; a, b, e: one shared topic each (a tie).
    ranked = [c.id for c in similar.for_case(query)]
    assert ranked[0] == "c" and sorted(ranked[1:]) == ["a", "b", "e"]
    # Ties are ordered by a hash of both ids: the same input gives the same order every time.
    again = SimilarCases(make_catalogue(*reversed(list(catalogue.cases.values()))))
    assert [c.id for c in again.for_case(query)] == ranked


def test_md_text_neutralises_markdown_and_html() -> None:
    text = "<b>*x*</b> [a](javascript:y) `c` | # _d_ {{ e }}"
    escaped = str(render.md_text(text))
    assert not re.search(r"[<>*`|#_\[\]{}()]", re.sub(r"&#\d+;", "", escaped))
    assert "&#60;b&#62;" in escaped


def test_rel_url() -> None:
    assert render.rel_url("themen/e-akte/", "faelle/x/") == "../../themen/e-akte/"
    assert render.rel_url("themen/e-akte/", "themen/") == "../themen/e-akte/"
    assert render.rel_url("kreise/", "") == "kreise/"
    assert render.rel_url("", "") == "./"


def test_safe_url_and_link_neutraliser() -> None:
    assert render.safe_url("https://example.org/x") == "https://example.org/x"
    assert render.safe_url(" JavaScript:alert(1)") == "#"
    html = (
        '<a href="javascript:alert(1)">a</a><a href="&#106;avascript:x">b</a>'
        '<a href="https://ok.example/">c</a><a href="../rel/">d</a><img src="data:x">'
    )
    cleaned = neutralise_unsafe_links(html)
    assert cleaned.count('href="#"') == 2
    assert 'src="#"' in cleaned
    assert 'href="https://ok.example/"' in cleaned and 'href="../rel/"' in cleaned


def test_protected_html_round_trip() -> None:
    markdown = render.protect_html("# T\n\n<p>a &amp; b</p>\n\nText *x*\n")
    assert markdown.startswith("# T\n\n<!--praxisatlas-html-")
    assert "Text *x*" in markdown
    assert render.unwrap_html(markdown) == "# T\n\n<p>a &amp; b</p>\n\nText *x*\n"
    # A body cannot forge the marker: it holds a secret.
    assert render.unwrap_html("<!--praxisatlas-html-\n<b>x</b>\n-->") == (
        "<!--praxisatlas-html-\n<b>x</b>\n-->"
    )


def test_html_blocks_leave_markdown_and_come_back_after_conversion() -> None:
    import markdown as python_markdown

    source = render.protect_html(
        "# T\n\n<div>*kein* Markdown</div>\n\nText *x*\n\n<ul><li>1</li></ul>\n"
    )
    stripped, blocks = render.extract_html(source)
    assert blocks == ["<div>*kein* Markdown</div>", "<ul><li>1</li></ul>"]
    assert "<" not in stripped and "Text *x*" in stripped
    html = python_markdown.markdown(stripped)
    assert render.insert_html(html, blocks) == (
        "<h1>T</h1>\n<div>*kein* Markdown</div>\n<p>Text <em>x</em></p>\n<ul><li>1</li></ul>"
    )
    # Pages without generated blocks pass unchanged; a lost placeholder is an error.
    assert render.extract_html("Text\n") == ("Text\n", [])
    with pytest.raises(ValueError, match="nicht mehr auffindbar"):
        render.insert_html("<p>weg</p>", blocks)


def test_front_matter_quotes_everything() -> None:
    text = output.page_front_matter({"description": 'a: "b" #c\n- d', "search": {"exclude": True}})
    assert yaml.safe_load(text.split("---\n")[1]) == {
        "description": 'a: "b" #c\n- d',
        "search": {"exclude": True},
    }


@pytest.mark.parametrize("src_path", ["index.md", "ueber.md"])
def test_home_page_markers(src_path: str) -> None:
    catalogue = _golden_catalogue()
    markdown = "# Start\n\n<!-- praxisatlas:kennzahlen -->\n\n<!-- praxisatlas:neueste -->\n"
    context = PageContext(catalogue=catalogue, settings=SETTINGS, src_path=src_path)
    result = render.unwrap_html(fill_home_page(markdown, context))
    if src_path != "index.md":
        assert result == markdown
        return
    assert "praxisatlas:" not in result
    assert re.findall(r'pa-figure__value">([^<]+)<', result)[:3] == ["3", "2", "2"]
    assert result.count('class="pa-case"') == 3
    assert 'href="faelle/e-akte-neuss/"' in result


def test_index_pages_list_umlaut_titles_under_their_base_letter() -> None:
    catalogue = make_catalogue(
        make_case("z", title="Fiktiv: Zählerstände"),
        make_case("a", title="Fiktiv: Ämter online"),
        make_case("b", title="Fiktiv: Bürgerkonto"),
    )
    pages = {p.path: p for p in generate(catalogue, SETTINGS)}
    text = pages["themen/e-akte.md"].content
    assert isinstance(text, str)
    positions = [text.index(title) for title in ("Ämter online", "Bürgerkonto", "Zählerstände")]
    assert positions == sorted(positions)  # as in the catalogue, not "Ä" after "Z"
