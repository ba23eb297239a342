"""What a first-time visitor meets (issue 20): the way to the form "Neuer Fall", places
named once, Länder in reading order, the whole menu, German anchors and a quiet build."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from praxisatlas import generators
from praxisatlas.cases.reference import load_reference
from praxisatlas.output import SiteSettings, contribute_links, forge_of
from praxisatlas.website import anchors, contribute_page
from praxisatlas.website.case_lists import place_label
from praxisatlas.website.pages import SitePages
from tests.factories import make_case, make_catalogue
from tests.sitebuild import build_site, run_mkdocs, write_site

GITHUB = "https://github.com/musterland/praxisatlas"
OPENCODE = "https://gitlab.opencode.de/musterland/praxisatlas"


# --- 1. repository and issue-form addresses ----------------------------------------------


def test_links_follow_from_the_repository_and_its_forge() -> None:
    github = contribute_links(GITHUB + "/")
    assert github.repository_url == GITHUB
    assert github.issue_form_url == GITHUB + "/issues/new?template=neuer-fall.yml"
    gitlab = contribute_links(OPENCODE + ".git")
    assert gitlab.issue_form_url == OPENCODE + "/-/issues/new?issuable_template=Neuer-Fall"
    assert forge_of(GITHUB) == "github" and forge_of(OPENCODE) == "gitlab"
    assert (github.forge, gitlab.forge) == ("github", "gitlab")
    # Explicit addresses win; a forge can be named for a host that does not say it.
    own = contribute_links(OPENCODE, issue_form_url="https://example.org/formular")
    assert own.issue_form_url == "https://example.org/formular"
    assert contribute_links("https://git.kreis.example/atlas", forge="github").issue_form_url == (
        "https://git.kreis.example/atlas/issues/new?template=neuer-fall.yml"
    )
    assert contribute_links("").issue_form_url == ""
    # The Mitmachen page names the forge the option says, not the one the host suggests.
    named = contribute_links("https://git.kreis.example/atlas", forge="gitlab")
    page = contribute_page.render_page(make_catalogue(make_case()).vocabulary, named)
    assert "(OpenCoDE bzw. GitLab)" in page and "Vorlage „Neuer-Fall“ ist schon gewählt" in page


def test_case_issue_link_is_prefilled_and_encoded() -> None:
    url = contribute_links(GITHUB).case_issue_url(
        "e-akte", "E-Akte & „mehr“?", "https://atlas.example/faelle/e-akte/"
    )
    query = parse_qs(urlsplit(url).query)
    assert url.startswith(GITHUB + "/issues/new?")
    assert query["title"] == ["Ergänzung zu „E-Akte & „mehr“?“"]
    assert query["body"][0].startswith("Fall: e-akte (https://atlas.example/faelle/e-akte/)")
    gitlab = parse_qs(urlsplit(contribute_links(OPENCODE).case_issue_url("x", "T")).query)
    assert gitlab["issue[title]"] == ["Ergänzung zu „T“"]
    assert "issue[description]" in gitlab


def test_production_requires_the_repository() -> None:
    [message] = contribute_page.check_links({}, SiteSettings())
    assert message.startswith("mkdocs.yml, plugins.praxisatlas.repository_url: Angabe fehlt")
    settings = SiteSettings(contribute=contribute_links(GITHUB))
    assert contribute_page.check_links({}, settings) == []
    insecure = SiteSettings(contribute=contribute_links("http://git.example/atlas"))
    assert any("keine https-Adresse" in m for m in contribute_page.check_links({}, insecure))


@pytest.mark.slow
@pytest.mark.parametrize("repository", [GITHUB, OPENCODE])
def test_mitmachen_case_pages_and_catalogue_link_the_form(tmp_path: Path, repository: str) -> None:
    links = contribute_links(repository)
    site = build_site(
        tmp_path,
        catalogue=make_catalogue(make_case("erster-fall")),
        plugin_options={"repository_url": repository},
    )
    mitmachen = (site / "mitmachen" / "index.html").read_text(encoding="utf-8")
    form = links.issue_form_url.replace("&", "&amp;")
    assert f'href="{form}"' in mitmachen and "Formular „Neuer Fall“ öffnen" in mitmachen
    assert f'href="{repository}"' in mitmachen
    case = (site / "faelle" / "erster-fall" / "index.html").read_text(encoding="utf-8")
    assert 'id="fall-ergaenzen"' in case
    [href] = re.findall(r'href="([^"]*)">Ergänzung vorschlagen', case)
    assert href.startswith(repository) and "erster-fall" in href
    assert 'href="../../mitmachen/"' in case
    katalog = (site / "katalog" / "index.html").read_text(encoding="utf-8")
    assert f'<a href="{form}">Einen Fall vorschlagen</a>' in katalog


def test_without_repository_every_link_leads_to_mitmachen() -> None:
    catalogue = make_catalogue(make_case("erster-fall"))
    pages = {p.path: str(p.content) for p in SitePages(catalogue, SiteSettings()).all_pages()}
    case = pages["faelle/erster-fall.md"]
    assert "## Fall ergänzen" in case and "Ergänzung vorschlagen" not in case
    assert 'href="../../mitmachen/"' in case
    [page] = contribute_page.generate(catalogue, SiteSettings())
    assert "Issues → New issue" in str(page.content)


# --- 2. city-states ----------------------------------------------------------------------


def test_city_state_named_once() -> None:
    assert place_label("Berlin", "Berlin") == "Berlin"
    assert place_label("Freie und Hansestadt Hamburg", "Hamburg") == "Freie und Hansestadt Hamburg"
    assert place_label("Bremerhaven", "Bremen") == "Bremerhaven, Bremen"
    assert place_label("Kreis Steinfurt", "Nordrhein-Westfalen") == (
        "Kreis Steinfurt, Nordrhein-Westfalen"
    )
    berlin = make_case("berlin-fall", ags="11000")
    pages = SitePages(make_catalogue(berlin), SiteSettings())
    assert pages.items["berlin-fall"].place == "Berlin"
    html = pages.case_page_body(berlin)
    assert "Kreisfreie Stadt</li>" in html  # not "Kreisfreie Stadt, Berlin" after "Berlin"


# --- 3. Länder in reading order ------------------------------------------------------------


def test_laender_read_alphabetically_keys_kept_where_they_matter() -> None:
    reference = load_reference()
    names = [land.name for land in reference.laender_by_name]
    assert names[:3] == ["Baden-Württemberg", "Bayern", "Berlin"]
    assert names[-2:] == ["Schleswig-Holstein", "Thüringen"]
    assert [land.code for land in reference.laender][:2] == ["01", "02"]
    catalogue = make_catalogue(make_case())
    assert list(catalogue.facets["land"].terms)[:2] == ["baden-wuerttemberg", "bayern"]
    pages = {p.path: str(p.content) for p in SitePages(catalogue, SiteSettings()).all_pages()}
    laender = pages["laender/index.md"]
    assert laender.index("Baden-Württemberg") < laender.index("Hamburg")
    assert laender.index("Hamburg") < laender.index("Schleswig-Holstein")
    kreise = pages["kreise/index.md"]
    assert kreise.index("## Baden") < kreise.index("## Schleswig") < kreise.index("## Th")


# --- 5. anchors ----------------------------------------------------------------------------


def test_anchors_transliterate_like_the_urls() -> None:
    assert anchors.slugify("Baden-Württemberg", "-") == "baden-wuerttemberg"
    assert anchors.slugify("Feldübersicht", "-") == "felduebersicht"
    assert anchors.slugify("Straße & Größe", "-") == "strasse-groesse"
    assert anchors.slugify("Café", "-") == "cafe"
    decomposed = "Thu\u0308ringen"  # ü as u + combining diaeresis
    assert anchors.slugify(decomposed, "-") == "thueringen"


# --- 13. a quiet build ---------------------------------------------------------------------


def test_config_summary_is_one_line_naming_each_setting() -> None:
    summary = generators.config_summary(
        [
            "mkdocs.yml, extra.betreiber.name: noch ein Platzhalter – … (Name).",
            "mkdocs.yml, extra.betreiber.email: noch ein Platzhalter – … (E-Mail).",
            "mkdocs.yml, plugins.praxisatlas.repository_url: Angabe fehlt – …",
        ]
    )
    assert "\n" not in summary
    assert summary.startswith("Demo-Build: 3 Angaben in mkdocs.yml fehlen oder sind Platzhalter")
    assert "(extra.betreiber: name, email; plugins.praxisatlas: repository_url)" in summary


@pytest.mark.slow
def test_demo_build_log_is_german_and_short(tmp_path: Path) -> None:
    """The shipped configuration builds without MkDocs' English nav notice and with one
    line about the placeholders."""
    valid = Path(__file__).parent / "fixtures" / "valid" / "online-termine-fiktiv.md"
    write_site(tmp_path, cases={valid.name: valid.read_text(encoding="utf-8")})
    result = run_mkdocs(tmp_path)
    log = result.stderr + result.stdout
    assert result.returncode == 0, log
    assert "not included in the" not in log
    lines = [line for line in log.splitlines() if "Platzhalter" in line]
    assert len(lines) == 1 and "Demo-Build:" in lines[0]
    assert not [r for r in log.splitlines() if "extra.betreiber." in r]


# --- 5. the date of the population figures --------------------------------------------------


def test_size_class_pages_name_the_population_date() -> None:
    catalogue = make_catalogue(make_case())
    pages = {p.path: str(p.content) for p in SitePages(catalogue, SiteSettings()).all_pages()}
    size_pages = [path for path in pages if path.startswith("groessen/")]
    assert len(size_pages) == 2
    for path in size_pages:
        assert "Stand 31.12.2018" in pages[path], path
