"""Hostile and careless input (issue 18): every class, with fixtures of its own.

``tests/fixtures/hostile/`` holds case files written as a careless or hostile
contributor would write them:

- ``abgelehnt/``: must be rejected, each with a German ``path:line: field: message``;
- ``warnung/``: private persons as contacts: warnings, fatal under --strict and in CI;
- ``angenommen/``: code examples, decomposed Unicode (NFD), allowed relative links:
  accepted and published safely;
- ``nutzlast/``: parser-differential payloads (bodies only) that are fed through the
  whole build past the validator, to show that the sanitiser alone keeps them out.

Every output (messages, log, published files) is checked for raw control, bidi and
format characters and for tracebacks.
"""

from __future__ import annotations

import html.parser
import json
import re
import shutil
import subprocess
import sys
import unicodedata
from collections import Counter
from pathlib import Path

import pytest

from praxisatlas import cli
from praxisatlas.cases.site_links import GENERATED_PAGES
from tests.factories import make_case, make_catalogue
from tests.sitebuild import REPO, TODAY, build_site, run_mkdocs, write_site

HOSTILE = Path(__file__).parent / "fixtures" / "hostile"
PROBLEM_RE = re.compile(r"^(cases/[^:]+\.md):(\d+): (.+?): (.+)$")
HIDDEN = frozenset({"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"})

# file -> [(line, field, part of the message)]; every problem of the file is listed.
REJECTED: dict[str, list[tuple[int, str, str]]] = {
    # 3 silent truncation at " #"
    "abgeschnitten-summary.md": [
        (3, "summary", "gelesen wurde nur 'Erreichbar rund um die Uhr'. Bitte den ganzen Wert")
    ],
    "abgeschnitten-titel.md": [(2, "title", "gelesen wurde nur 'Fiktiver Fall Nummer'")],
    "abgeschnitten-quelle.md": [(13, "title", "Der Wert endet bei ' #'")],
    "abgeschnitten-funktion.md": [
        (11, "function", "ein gewollter Kommentar steht nach zwei Leerzeichen"),
    ],
    # 5 values echoed escaped
    "echo-esc-status.md": [
        (8, "status", "Unbekannter Wert 'pilot\\x1b[2K\\x0d::error file=cases/x.md::gefälscht'")
    ],
    "echo-rlo-thema.md": [
        (7, "topics[0]", "Unbekanntes Thema 'e-akte\\u202e' (meinten Sie 'e-akte'?)")
    ],
    "echo-nullbreite-thema.md": [
        (7, "topics[0]", "Unbekanntes Thema 'e-akte\\u200b' (meinten Sie 'e-akte'?)")
    ],
    "echo-esc-schluessel.md": [
        (
            17,
            "lizenz\\x1b]8;;https://example.org\\x07",
            "Unbekannter Schlüssel 'lizenz\\x1b]8;;https://example.org\\x07'",
        )
    ],
    # 6 control characters in URLs
    "url-nul.md": [(14, "sources[0].url", "Steuerzeichen U+0000 an Stelle 27")],
    "url-bel.md": [(14, "sources[0].url", "'https://example.org/\\x07quelle' – Unsichtbares")],
    "url-esc.md": [(14, "sources[0].url", "Steuerzeichen U+001B an Stelle 21")],
    "url-rlo.md": [(14, "sources[0].url", "U+202E (RIGHT-TO-LEFT OVERRIDE) an Stelle 21")],
    "url-zugangsdaten.md": [
        (14, "sources[0].url", "Benutzername oder Passwort in der Adresse (…@) sind nicht erlaubt")
    ],
    "url-leerzeichen.md": [(12, "contact.url", "Leerzeichen an Stelle 28")],
    # 7 invisible (format) characters in plain-text fields
    "unsichtbar-titel-nullbreite.md": [(2, "title", "U+200B (ZERO WIDTH SPACE) an Stelle 24")],
    "unsichtbar-summary-trennstrich.md": [(3, "summary", "U+00AD (SOFT HYPHEN)")],
    "unsichtbar-funktion-wortverbinder.md": [(11, "contact.function", "U+2060 (WORD JOINER)")],
    "unsichtbar-organisation-bom.md": [
        (8, "organisations[1].name", "U+FEFF (ZERO WIDTH NO-BREAK SPACE) an Stelle 1")
    ],
    "unsichtbar-organisation-joiner.md": [
        (8, "organisations[1].name", "U+200D (ZERO WIDTH JOINER)")
    ],
    # 8 internal addresses
    "intern-localhost.md": [(14, "sources[0].url", "'localhost' ist eine Adresse im eigenen")],
    "intern-metadaten.md": [(14, "sources[0].url", "IP-Adressen sind nicht erlaubt")],
    "intern-privatnetz.md": [
        (14, "sources[0].url", "'https://10.0.0.12/intranet' – IP-Adressen sind nicht erlaubt"),
        (16, "sources[1].url", "'http://[::1]:9000/' – IP-Adressen sind nicht erlaubt"),
    ],
    "intern-dezimal-ip.md": [(14, "sources[0].url", "IP-Adressen sind nicht erlaubt")],
    "intern-local-domain.md": [
        (12, "contact.url", "'drucker.local' ist eine Adresse im eigenen Rechner oder Netz"),
        (13, "contact.email", "Keine öffentliche E-Mail-Adresse: 'digital@kreis.internal'"),
    ],
    "intern-ohne-domain.md": [
        (14, "sources[0].url", "'intranet' ist kein öffentlicher Rechnername")
    ],
    # 9 relative links
    "link-mkdocs-yml.md": [(34, "body", "Der Link '../mkdocs.yml' zeigt auf keine Seite")],
    "link-gibt-es-nicht.md": [
        (34, "body", "Der Link 'gibt-es-nicht.md' zeigt auf keinen Fall: es gibt keine Datei")
    ],
    "link-git-config.md": [(34, "body", "'../../.git/config' zeigt aus der Website hinaus")],
    "link-absolut.md": [(34, "body", "Absolute Pfade wie '/etc/hostname' sind nicht erlaubt")],
    "link-ohne-schema.md": [(34, "body", "'//example.org/x' hat kein http:// oder https://")],
    "link-referenz.md": [(36, "body", "Der Link '../docs/ueber.md' zeigt auf keine Seite")],
    "link-verzeichnis.md": [(34, "body", "Der Link '../themen/' zeigt auf keine Seite")],
    # 10 names that contradict their key
    "name-goerlitz-bautzen.md": [
        (
            7,
            "organisations[0].name",
            '\'Landkreis Görlitz\' ist Landkreis Görlitz ("14626"), der Schlüssel "14625" '
            "gehört aber zu Landkreis Bautzen",
        )
    ],
    "name-landkreis-muenchen-stadt.md": [
        (7, "organisations[0].name", 'der Schlüssel "09162" gehört aber zu München')
    ],
    "name-region-hannover.md": [
        (7, "organisations[0].name", "'Region Hannover' ist Region Hannover (\"03241\")")
    ],
    "name-kreis-gemeindeschluessel.md": [
        (7, "organisations[0].name", 'der Schlüssel "14625010" gehört aber zu Landkreis Bautzen')
    ],
    # 13 smaller message gaps
    "utf16-mit-bom.md": [(1, "datei", "in UTF-16 gespeichert; bitte als UTF-8 speichern")],
    "utf16-ohne-bom.md": [(1, "datei", "in UTF-16 gespeichert; bitte als UTF-8 speichern")],
    "doppelte-schluessel.md": [
        (17, "status", "Schlüssel 'status' kommt doppelt vor (zuerst in Zeile 8)"),
        (18, "title", "Schlüssel 'title' kommt doppelt vor (zuerst in Zeile 2)"),
    ],
    "organisation-name-abgelehnt.md": [
        (8, "organisations[1].name", "Nur Klartext erlaubt: keine Markdown- oder HTML-Auszeichnung")
    ],
    "tabulator.md": [
        (11, "datei", "Tabulator in Zeile 11, Spalte 1; YAML erlaubt zum Einrücken nur"),
    ],
    "steuerzeichen-roh.md": [(3, "datei", "Steuerzeichen U+001B im Kopfbereich")],
}


def assert_no_hidden(text: str, where: str) -> None:
    """No raw control (but newline and tab), bidi or format character in ``text``."""
    for index, ch in enumerate(text):
        if ch not in "\n\t" and unicodedata.category(ch) in HIDDEN:
            context = text[max(0, index - 40) : index + 40]
            raise AssertionError(f"{where}: raw U+{ord(ch):04X} near {context!r}")


def cases_copy(tmp_path: Path, folder: str) -> Path:
    """``tmp_path/cases`` with the fixtures of ``folder`` (problems then say cases/…)."""
    target = tmp_path / "cases"
    shutil.copytree(HOSTILE / folder, target)
    return target


def validate(
    args: list[str], capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> tuple[int, str, str]:
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    code = cli.main(["validate", *args, "--today", TODAY])
    out, err = capsys.readouterr()
    return code, out, err


def parse(out: str) -> list[tuple[str, int, str, str]]:
    """Problem lines as (path, line, field, message); the summary line is left out."""
    lines = out.strip().split("\n")
    parsed = []
    for line in lines[:-1]:
        match = PROBLEM_RE.match(line)
        assert match, f"not path:line: field: message: {line!r}"
        parsed.append((match[1], int(match[2]), match[3], match[4]))
    return parsed


# --- rejected ----------------------------------------------------------------------


def test_every_rejected_fixture_is_listed() -> None:
    on_disk = {p.name for p in (HOSTILE / "abgelehnt").iterdir()}
    assert on_disk == set(REJECTED)


def test_rejected_fixtures_report_german_path_line_field_message(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    cases_copy(tmp_path, "abgelehnt")
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("CI", raising=False)
    code, out, err = validate([], capsys, monkeypatch)
    assert code == 1
    assert "Traceback" not in out + err
    assert_no_hidden(out + err, "validate")
    problems = parse(out)
    assert out.strip().split("\n")[-1].startswith(f"{len(problems)} Probleme in {len(REJECTED)}")
    by_file: dict[str, list[tuple[int, str, str]]] = {}
    for path, line, field, message in problems:
        by_file.setdefault(path.removeprefix("cases/"), []).append((line, field, message))
    assert set(by_file) == set(REJECTED)
    for name, expected in REJECTED.items():
        found = by_file[name]
        assert len(found) == len(expected), (name, found)
        for (line, field, part), (got_line, got_field, message) in zip(
            expected, sorted(found), strict=True
        ):
            assert (got_line, got_field) == (line, field), (name, found)
            assert part in message, (name, message)
        # German, and the English of the YAML parser is not passed on.
        for _line, _field, message in found:
            assert not re.search(r"\b(found|expected|could not|not allowed)\b", message)


def test_rejected_fixtures_fail_the_build_with_the_same_messages(tmp_path: Path) -> None:
    write_site(tmp_path)
    shutil.rmtree(tmp_path / "cases")
    cases_copy(tmp_path, "abgelehnt")
    result = run_mkdocs(tmp_path)
    log = result.stdout + result.stderr
    assert result.returncode == 1
    assert "Traceback" not in log
    # Our lines (Material's own end-of-life banner is coloured with ESC sequences).
    ours = [line for line in log.split("\n") if "cases/" in line or "Katalog" in line]
    assert len(ours) > len(REJECTED)
    assert_no_hidden("\n".join(ours), "mkdocs build")
    for name, expected in REJECTED.items():
        for line, field, part in expected:
            assert f"cases/{name}:{line}: {field}: " in log, name
            assert part in log, name
    assert not (tmp_path / "site" / "faelle").exists()


MAIN = "from praxisatlas.cli import main; raise SystemExit(main())"


def test_validate_runs_as_a_process_without_traceback(tmp_path: Path) -> None:
    cases_copy(tmp_path, "abgelehnt")
    result = subprocess.run(
        [sys.executable, "-c", MAIN, "validate", "--format", "json"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
        env={"PATH": "/usr/bin:/bin"},
    )
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert_no_hidden(result.stdout + result.stderr, "validate --format json")
    data = json.loads(result.stdout)
    assert {p["path"].removeprefix("cases/") for p in data["problems"]} == set(REJECTED)
    # json.dumps would write a raw U+202E: the messages themselves are escaped.
    assert_no_hidden("".join(p["message"] + p["field"] for p in data["problems"]), "json")


# --- 4: private persons as contacts -------------------------------------------------

WARNED = {
    "kontakt-personenname.md": [(11, "contact.function", "(Vorname 'Max')")],
    "kontakt-postfach.md": [(12, "contact.email", "persönlichen Postfach aus (vorname.nachname@)")],
    "kontakt-anrede.md": [(11, "contact.function", "(Anrede 'Frau')")],
    "kontakt-stelle-mit-name.md": [
        (11, "contact.function", "(Vorname 'Sabine')"),
        (12, "contact.email", "'sabine-beispiel@kreis.example' sieht nach einem persönlichen"),
    ],
}


def test_private_contacts_warn_and_fail_under_strict_and_in_ci(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    cases_copy(tmp_path, "warnung")
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("CI", raising=False)
    code, out, _ = validate([], capsys, monkeypatch)
    assert code == 0
    found = parse(out)
    expected = [
        (f"cases/{name}", line, field, part)
        for name, items in sorted(WARNED.items())
        for line, field, part in items
    ]
    assert len(found) == len(expected)
    for (path, line, field, message), (e_path, e_line, e_field, part) in zip(
        found, expected, strict=True
    ):
        assert (path, line, field) == (e_path, e_line, e_field)
        assert message.startswith("Warnung: ") and part in message
    assert out.strip().endswith("5 Probleme (davon 5 Warnungen) in 4 von 4 Dateien")
    code, strict_out, _ = validate(["--strict"], capsys, monkeypatch)
    assert code == 1 and strict_out == out
    monkeypatch.setenv("CI", "true")
    code, _, _ = validate([], capsys, monkeypatch)
    assert code == 1
    code, out, _ = validate(["--format", "github"], capsys, monkeypatch)
    assert out.count("::error ") == 5  # in CI the annotations are errors, too


def test_private_contacts_fail_a_strict_build_only(tmp_path: Path) -> None:
    write_site(tmp_path)
    shutil.rmtree(tmp_path / "cases")
    cases_copy(tmp_path, "warnung")
    result = run_mkdocs(tmp_path)
    assert result.returncode == 1
    warned = [
        line
        for line in (result.stdout + result.stderr).split("\n")
        if line.startswith("WARNING") and "cases/kontakt-" in line
    ]
    assert len(warned) == 5
    assert "cases/kontakt-personenname.md:11: contact.function: Warnung: 'Max" in warned[1]
    assert run_mkdocs(tmp_path, strict=False).returncode == 0


def test_shipped_cases_have_no_warnings(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(REPO)
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    assert cli.main(["validate", "--strict"]) == 0, capsys.readouterr().out


class _Scan(html.parser.HTMLParser):
    """Collects what a browser could execute or load: tags, attributes, script text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: Counter[str] = Counter()
        self.attributes: list[tuple[str, str, str]] = []
        self.script_text: list[str] = []
        self._in: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags[tag] += 1
        self.attributes.extend((tag, name, value or "") for name, value in attrs)
        if tag in ("script", "style"):
            self._in = tag

    def handle_endtag(self, tag: str) -> None:
        if tag == self._in:
            self._in = None

    def handle_data(self, data: str) -> None:
        if self._in:
            self.script_text.append(data)


def _executable(page_html: str) -> str:
    """Everything of a page that is not plain text: attributes and script/style text."""
    scan = _Scan()
    scan.feed(page_html)
    attributes = " ".join(f"{tag} {name}={value}" for tag, name, value in scan.attributes)
    return attributes + " ".join(scan.script_text)


# --- 1, 2, 9: accepted and published safely ------------------------------------------


@pytest.fixture(scope="module")
def accepted_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("angenommen")
    cases = {
        path.name: path.read_text(encoding="utf-8")
        for path in sorted((HOSTILE / "angenommen").iterdir())
    }
    return build_site(root, cases)


def _text_outputs(site: Path) -> list[Path]:
    return [
        p
        for p in sorted(site.rglob("*"))
        if p.suffix in (".html", ".json", ".csv", ".xml", ".txt")
        and "assets" not in p.relative_to(site).parts
    ]


def test_accepted_fixtures_validate(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("CI", raising=False)
    folder = str(HOSTILE / "angenommen")
    code, out, _ = validate(
        [folder, "--cases-dir", folder, "--docs-dir", str(REPO / "docs"), "--strict"],
        capsys,
        monkeypatch,
    )
    assert (code, out) == (0, "8 Fälle geprüft, keine Probleme\n")


def test_code_examples_are_published_escaped(accepted_site: Path) -> None:
    page = (accepted_site / "faelle" / "code-html-zaun" / "index.html").read_text()
    assert (
        '<pre><code class="language-html">&lt;a href="https://example.org/termin" '
        'onclick="alert(1)"&gt;Termin&lt;/a&gt;\n'
        "&lt;script&gt;alert('praxisatlasXSS')&lt;/script&gt;\n</code></pre>"
    ) in page
    yaml_page = (accepted_site / "faelle" / "code-yaml-kommentar" / "index.html").read_text()
    assert '<code class="language-yaml"># Kommentar: keine Überschrift\n' in yaml_page
    assert "&lt;iframe src=" in yaml_page
    tilde = (accepted_site / "faelle" / "code-tilde-zaun" / "index.html").read_text()
    assert "<pre><code>&lt;style&gt;body{display:none}&lt;/style&gt;\n# auch" in tilde
    indented = (accepted_site / "faelle" / "code-eingerueckt" / "index.html").read_text()
    assert '<pre><code>&lt;script src="https://example.org/x.js"&gt;&lt;/script&gt;' in indented
    assert "<p>Danach weiter im Text.</p>" in indented
    for page_html in (page, yaml_page, tilde, indented):
        assert page_html.count("<h1") == 1  # the title only
        assert "praxisatlasXSS" not in _executable(page_html)


def test_decomposed_text_is_published_composed(accepted_site: Path) -> None:
    composed = "Fiktiver Fall: Bürgerbüro in Görlitz"
    page = (accepted_site / "faelle" / "nfd-ganze-datei" / "index.html").read_text()
    assert composed in page and '<h2 id="loesung">Lösung' in page
    organisation = (accepted_site / "faelle" / "nfd-organisation" / "index.html").read_text()
    assert "Zweckverband Öffentlicher Nahverkehr Süd" in organisation
    assert "Görlitz" in organisation
    exports = json.loads((accepted_site / "daten" / "faelle.json").read_text())
    titles = json.dumps(exports, ensure_ascii=False)
    assert composed in titles
    assert "Fiktiver Fall: Überschriften zerlegt" in titles
    assert composed in (accepted_site / "daten" / "faelle.csv").read_text()
    for path in _text_outputs(accepted_site):
        text = path.read_text(encoding="utf-8")
        assert unicodedata.is_normalized("NFC", text), path
        assert "\u0308" not in text, path  # a combining diaeresis left over


def test_allowed_relative_links_resolve(accepted_site: Path) -> None:
    page = (accepted_site / "faelle" / "links-erlaubt" / "index.html").read_text()
    for href in (
        "../code-html-zaun/",
        "../../ueber/",
        "../../themen/#e-akte",
        "../../themen/e-akte/",
        "../../katalog/",
    ):
        assert f'href="{href}"' in page, href
    for generated in GENERATED_PAGES:
        index = generated.removesuffix("index.md") + "index.html"
        assert (accepted_site / index).is_file(), generated


def test_published_files_hold_no_hidden_characters(accepted_site: Path) -> None:
    for path in _text_outputs(accepted_site):
        text = path.read_text(encoding="utf-8")
        if path.suffix == ".csv":
            text = text.removeprefix("\ufeff")  # the byte-order mark Excel needs, on purpose
        assert_no_hidden(text, str(path))


# --- 12: the sanitiser is the boundary ----------------------------------------------


PAYLOADS = sorted((HOSTILE / "nutzlast").glob("*.md"))
# Elements only the theme may write; a case body never adds one.
THEME_ONLY = {
    "script", "style", "iframe", "object", "embed", "form", "input", "button", "base",
    "meta", "link", "img", "svg", "math", "noscript", "details", "textarea", "select",
}  # fmt: skip


@pytest.fixture(scope="module")
def payload_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Every payload as a case body, built past the validator (an in-memory catalogue)."""
    cases = [make_case("harmlos")] + [
        make_case(path.stem, body=path.read_text(encoding="utf-8")) for path in PAYLOADS
    ]
    return build_site(tmp_path_factory.mktemp("nutzlast"), catalogue=make_catalogue(*cases))


def test_payloads_leave_no_executable_markup(payload_site: Path) -> None:
    assert len(PAYLOADS) >= 10
    baseline = _Scan()
    baseline.feed((payload_site / "faelle" / "harmlos" / "index.html").read_text())
    assert not [a for a in baseline.attributes if a[1].startswith("on")]
    for path in PAYLOADS:
        page = (payload_site / "faelle" / path.stem / "index.html").read_text()
        scan = _Scan()
        scan.feed(page)
        executable = _executable(page)
        assert "praxisatlasXSS" not in executable, path.name
        assert "evil.example" not in executable, path.name
        assert not re.search(r"javascript:|vbscript:|data:", executable, re.I), path.name
        assert not [a for a in scan.attributes if a[1].startswith("on")], path.name
        for tag in THEME_ONLY:
            assert scan.tags[tag] == baseline.tags[tag], (path.name, tag)
    for output in _text_outputs(payload_site):
        if output.suffix == ".html":
            executable = _executable(output.read_text(encoding="utf-8"))
            assert "praxisatlasXSS" not in executable, output
            assert "evil.example" not in executable, output


def test_sanitiser_cleans_only_the_body_and_everything_when_markers_are_lost() -> None:
    import markdown

    from praxisatlas.website.sanitize import mark_body, sanitise_case_html

    def convert(body: str) -> str:
        md = markdown.Markdown(extensions=["toc", "tables", "fenced_code", "admonition"])
        return md.convert("# Fall&#58; Titel\n" + mark_body(body) + "## Steckbrief\n")

    page = sanitise_case_html(convert("Text <img src=x onerror=praxisatlasXSS()> weiter\n"))
    assert page.startswith('<h1 id="fall-titel">Fall&#58; Titel</h1>')  # as written
    assert "<p>Text  weiter</p>" in page and "praxisatlas-fall-" not in page
    # An unclosed raw HTML block takes the end marker with it: all is cleaned then.
    lost = convert("<div>\n\n<script>praxisatlasXSS()</script>\n")
    assert "praxisatlas-fall-" in lost
    cleaned = sanitise_case_html(lost)
    assert "<script" not in cleaned and "praxisatlas-fall-" not in cleaned
    assert cleaned.startswith('<h1 id="fall-titel">Fall: Titel</h1>')


def test_shipped_case_bodies_come_out_of_the_sanitiser_unchanged() -> None:
    import markdown

    from praxisatlas.cases.loader import load_file
    from praxisatlas.website.sanitize import sanitise_markdown_html

    config = {"toc": {"permalink": True, "permalink_title": "Link zu diesem Abschnitt"}}
    md = markdown.Markdown(
        extensions=["toc", "tables", "fenced_code", "admonition"], extension_configs=config
    )
    shipped = sorted((REPO / "cases").glob("*.md"))
    assert shipped
    for path in shipped:
        body_html = md.reset().convert(load_file(path, path.name).body)
        assert sanitise_markdown_html(body_html) == body_html, path.name
