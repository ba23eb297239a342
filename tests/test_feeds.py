"""Atom feeds: every feed parses with feedparser, entries are right and in order."""

from __future__ import annotations

import dataclasses
import datetime as dt
import xml.etree.ElementTree as ET

import feedparser
import pytest

from praxisatlas.opendata import feeds
from praxisatlas.output import OutputFile, SiteSettings
from tests.factories import make_case, make_catalogue
from tests.test_exports import INJECTED_TITLE, SETTINGS, data_catalogue

ATOM = "{http://www.w3.org/2005/Atom}"


def _by_path(files: list[OutputFile]) -> dict[str, str]:
    return {f.path: str(f.content) for f in files}


@pytest.fixture(scope="module")
def generated() -> dict[str, str]:
    return _by_path(feeds.generate(data_catalogue(), SETTINGS))


def test_one_feed_for_all_each_handlungsfeld_and_each_land(generated: dict[str, str]) -> None:
    catalogue = data_catalogue()
    expected = {"daten/feeds/alle.xml"}
    expected |= {f"daten/feeds/themen/{t.slug}.xml" for t in catalogue.vocabulary.fields}
    expected |= {f"daten/feeds/laender/{land.slug}.xml" for land in catalogue.reference.laender}
    assert set(generated) == expected
    assert len(expected) == 1 + 12 + 16


def test_every_feed_is_valid_atom(generated: dict[str, str]) -> None:
    for path, text in generated.items():
        parsed = feedparser.parse(text)
        assert parsed.bozo == 0, (path, parsed.get("bozo_exception"))
        assert parsed.version == "atom10", path
        assert parsed.feed.title.startswith("Praxisatlas"), path
        assert parsed.feed.updated, path


def test_all_feed_entries_newest_first_with_links_authors_categories(
    generated: dict[str, str],
) -> None:
    parsed = feedparser.parse(generated["daten/feeds/alle.xml"])
    ids = [entry.link.rsplit("/", 2)[-2] for entry in parsed.entries]
    # reviewed: a 2026-01-15, d 2026-01-15 (tie -> id), b 2025-06-01, c 2024-01-01
    assert ids == ["a-bauantrag", "d-zweckverband", "b-formel", "c-nord"]
    assert parsed.feed.updated == "2026-01-15T00:00:00Z"
    first = parsed.entries[0]
    assert first.id == "https://praxisatlas.example.org/faelle/a-bauantrag/"
    assert first.link == "https://praxisatlas.example.org/faelle/a-bauantrag/"
    assert first.author == "Rhein-Kreis Neuss"
    assert first.summary == "Ein fiktiver Fall für Tests."
    assert [tag.term for tag in first.tags] == ["e-akte"]
    assert first.tags[0].label == "E-Akte & Dokumentenmanagement"
    assert first.tags[0].scheme == "https://praxisatlas.example.org/themen/"
    formel = next(e for e in parsed.entries if e.link.endswith("/b-formel/"))
    assert formel.title == INJECTED_TITLE  # text, escaped by the XML writer
    assert formel.author == "München"  # only the lead, not the partner


def test_topic_and_land_feeds_hold_their_cases(generated: dict[str, str]) -> None:
    def entry_ids(path: str) -> list[str]:
        parsed = feedparser.parse(generated[path])
        return sorted(entry.link.rsplit("/", 2)[-2] for entry in parsed.entries)

    assert entry_ids("daten/feeds/themen/verwaltung-digital.xml") == [
        "a-bauantrag",
        "b-formel",
        "c-nord",
    ]
    assert entry_ids("daten/feeds/themen/gesundheit-pflege.xml") == ["c-nord"]
    assert entry_ids("daten/feeds/laender/hamburg.xml") == ["c-nord"]
    assert entry_ids("daten/feeds/laender/sachsen.xml") == ["d-zweckverband"]
    assert entry_ids("daten/feeds/laender/saarland.xml") == []


def test_empty_feed_is_valid_with_deterministic_date(generated: dict[str, str]) -> None:
    parsed = feedparser.parse(generated["daten/feeds/laender/saarland.xml"])
    assert parsed.bozo == 0
    assert parsed.entries == []
    assert parsed.feed.author == "Praxisatlas"
    assert parsed.feed.updated == "2026-01-15T00:00:00Z"  # newest case of the catalogue
    assert parsed.feed.link == "https://praxisatlas.example.org/laender/saarland/"


def test_feeds_do_not_depend_on_build_date_or_input_order() -> None:
    later = dataclasses.replace(SETTINGS, build_date=dt.date(2030, 1, 1))
    shuffled = make_catalogue(*reversed(list(data_catalogue())))
    assert _by_path(feeds.generate(shuffled, later)) == _by_path(
        feeds.generate(data_catalogue(), SETTINGS)
    )


def test_relative_links_without_site_url() -> None:
    files = _by_path(feeds.generate(data_catalogue(), SiteSettings()))
    root = ET.fromstring(files["daten/feeds/themen/verwaltung-digital.xml"])
    alternate = root.find(f"{ATOM}link[@rel='alternate']")
    assert alternate is not None
    assert alternate.get("href") == "../../../themen/verwaltung-digital/"
    entry_link = root.find(f"{ATOM}entry/{ATOM}link")
    assert entry_link is not None
    assert entry_link.get("href", "").startswith("../../../faelle/")
    category = root.find(f"{ATOM}entry/{ATOM}category")
    assert category is not None and category.get("scheme") is None
    entry_id = root.find(f"{ATOM}entry/{ATOM}id")
    assert entry_id is not None and entry_id.text == "urn:praxisatlas:faelle:a-bauantrag"
    alle = ET.fromstring(files["daten/feeds/alle.xml"])
    alle_link = alle.find(f"{ATOM}link[@rel='alternate']")
    assert alle_link is not None and alle_link.get("href") == "../../"
    assert feedparser.parse(files["daten/feeds/alle.xml"]).bozo == 0


def test_markup_in_titles_stays_text() -> None:
    case = make_case("x", title="<script>alert(1)</script> & Co", summary="a < b & c > d")
    text = _by_path(feeds.generate(make_catalogue(case), SETTINGS))["daten/feeds/alle.xml"]
    assert "<script>" not in text
    parsed = feedparser.parse(text)
    assert parsed.bozo == 0
    assert parsed.entries[0].title == "<script>alert(1)</script> & Co"


def test_control_characters_are_dropped() -> None:
    case = make_case("x", title="Titel\x0bmit\x00Steuerzeichen", summary="ok\x1f.")
    text = _by_path(feeds.generate(make_catalogue(case), SETTINGS))["daten/feeds/alle.xml"]
    parsed = feedparser.parse(text)
    assert parsed.bozo == 0
    assert parsed.entries[0].title == "TitelmitSteuerzeichen"
    assert feeds.xml_text("ä\tb\n😀") == "ä\tb\n😀"


def test_entries_are_capped() -> None:
    cases = [make_case(f"fall-{i:03d}", reviewed=dt.date(2025, 1, 1)) for i in range(60)]
    text = _by_path(feeds.generate(make_catalogue(*cases), SETTINGS))["daten/feeds/alle.xml"]
    assert len(feedparser.parse(text).entries) == feeds.MAX_ENTRIES
