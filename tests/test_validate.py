"""Validation rules beyond the broken fixtures: resolution, derived fields, edge cases."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from praxisatlas.cases.body_check import check_body
from praxisatlas.cases.case_rules import slugify
from praxisatlas.cases.loader import load_bytes
from praxisatlas.cases.model import Case, PartialDate
from praxisatlas.cases.pipeline import collect, load_catalogue
from praxisatlas.cases.problems import CatalogueError
from praxisatlas.cases.reference import load_reference
from praxisatlas.cases.validation import Context, validate_loaded
from praxisatlas.cases.vocabulary import load_vocabulary, parse_vocabulary

TODAY = dt.date(2026, 11, 22)
BASE = {
    "title": 'title: "Fiktiver Fall: Digitale Akte"',
    "summary": "summary: Ein fiktiver Fall für die Tests des Prüfprogramms im Praxisatlas.",
    "organisations": 'organisations:\n  - role: lead\n    ags: "05162"',
    "topics": "topics: [e-akte]",
    "status": "status: pilot",
    "start": 'start: "2022-03"',
    "contact": "contact:\n  function: Stabsstelle Digitalisierung",
    "sources": "sources:\n  - title: Fiktive Quelle\n    url: https://example.org/quelle",
    "reviewed": "reviewed: 2026-01-15",
    "license": "license: CC-BY-4.0",
}
BODY = (
    "## Ausgangslage\n\nText.\n\n## Lösung\n\nText.\n\n## Ergebnisse\n\nText.\n\n"
    "## Erfahrungen\n\nText.\n"
)


def text(body: str = BODY, add: str = "", **replace: str) -> str:
    parts = {**BASE, **replace}
    lines = [v for v in parts.values() if v]
    if add:
        lines.append(add)
    return "---\n" + "\n".join(lines) + "\n---\n\n" + body


def check(source: str, case_id: str = "fall", known: set[str] | None = None, vocabulary=None):  # type: ignore[no-untyped-def]
    ctx = Context(vocabulary or load_vocabulary(), load_reference(), TODAY, known)
    loaded = load_bytes(source.encode("utf-8"), f"cases/{case_id}.md", case_id)
    case, problems = validate_loaded(loaded, ctx)
    return case, [f"{p.line}: {p.field}: {p.message}" for p in problems]


def valid(source: str, **kw: object) -> Case:
    case, problems = check(source, **kw)  # type: ignore[arg-type]
    assert problems == []
    assert case is not None
    return case


def test_minimal_case_is_typed_and_derived() -> None:
    case = valid(text(topics="topics: [e-akte, terminvergabe, verwaltung-digital]"))
    assert case.id == "fall" and case.path == "cases/fall.md"
    assert case.start == PartialDate(2022, 3)
    assert case.reviewed == dt.date(2026, 1, 15)
    assert case.fields == ("verwaltung-digital", "buergerservice-beteiligung")
    lead = case.organisations[0]
    assert (lead.ags, lead.kind, lead.name) == ("05162", "Landkreis", "Rhein-Kreis Neuss")
    assert lead.land is not None and lead.land.code == "05"
    assert case.contact.email is None
    assert case.fictitious is False
    assert case.body_line == 18
    assert case.body.startswith("\n## Ausgangslage")


def test_county_names_resolve_or_fail_with_suggestions() -> None:
    case = valid(text(organisations="organisations:\n  - role: lead\n    ags: Landkreis Harz"))
    assert case.organisations[0].ags == "15085"
    case = valid(text(organisations="organisations:\n  - role: lead\n    name: Bochum"))
    assert case.organisations[0].ags == "05911"
    _, problems = check(text(organisations="organisations:\n  - role: lead\n    ags: Hildesheym"))
    assert problems == [
        "6: organisations[0].ags: Kein aktueller Kreis namens 'Hildesheym' "
        '(meinten Sie Landkreis Hildesheim, "03254"?)'
    ]
    _, problems = check(text(organisations="organisations:\n  - role: lead\n    name: München"))
    assert problems[0].startswith("6: organisations[0].name: 'München' ist mehrdeutig")


def test_gemeinde_key_and_organisations_without_key() -> None:
    orgs = (
        'organisations:\n  - role: lead\n    ags: "03254021"\n    name: Gemeinde Testdorf\n'
        '  - role: partner\n    name: ITEOS (fiktiv)\n    kind: IT-Dienstleister\n    land: "08"'
    )
    case = valid(text(organisations=orgs))
    gemeinde, partner = case.organisations
    assert (gemeinde.ags, gemeinde.kind, gemeinde.kreis and gemeinde.kreis.ags) == (
        "03254021",
        "Gemeinde",
        "03254",
    )
    assert partner.kreis is None and partner.land is not None and partner.land.code == "08"
    assert [land.code for land in case.laender] == ["03", "08"]
    _, problems = check(
        text(organisations='organisations:\n  - role: lead\n    ags: "05162"\n    land: "09"')
    )
    assert problems == [
        "7: organisations[0].land: Widerspricht dem Kreisschlüssel (Rhein-Kreis Neuss liegt in "
        "Nordrhein-Westfalen); land bei ags bitte weglassen"
    ]
    _, problems = check(
        text(
            organisations="organisations:\n  - role: lead\n    name: X\n"
            "    kind: Y\n    land: Bayern"
        )
    )
    assert problems == [
        "8: organisations[0].land: Unbekannter Länderschlüssel 'Bayern' (2 Ziffern, 01 bis 16); "
        'für Bayern bitte "09" angeben'
    ]


def test_deprecated_topic_names_replacement() -> None:
    vocab_text = (
        "version: 1\nhandlungsfelder:\n  - slug: feld\n    label: Feld\n    description: D.\n"
        "    unterthemen:\n      - {slug: alt, label: Alt, description: D., deprecated: true,"
        " replaced_by: neu}\n      - {slug: neu, label: Neu, description: D.}\n"
    )
    vocabulary = parse_vocabulary(vocab_text)
    _, problems = check(text(topics="topics: [alt]"), vocabulary=vocabulary)
    assert problems == [
        "7: topics[0]: Das Thema 'alt' wird nicht mehr verwendet; bitte 'neu' verwenden"
    ]


def test_dates_and_periods() -> None:
    assert valid(text(add='end: "2022"')).end == PartialDate(2022)
    _, problems = check(text(start='start: "2022"', add='end: "2021-12"'))
    assert problems == ["17: end: Das Ende (2021-12) liegt vor dem Beginn (2022)"]
    _, problems = check(text(reviewed="reviewed: 2026-11-23"))
    assert problems == ["15: reviewed: Das Datum 2026-11-23 liegt in der Zukunft"]
    _, problems = check(text(reviewed="reviewed: 2026-11-22", start="start: 1900"))
    assert problems == ["9: start: Unplausibles Jahr 1900"]


def test_booleans_and_software() -> None:
    case = valid(text(add="software:\n  open_source: false\nfictitious: true"))
    assert case.software is not None and case.software.open_source is False
    assert case.fictitious is True
    _, problems = check(text(add="fictitious: True"))
    assert problems[0].startswith("17: fictitious: 'True' ist kein Wahrheitswert")
    _, problems = check(text(add="software:\n  name: X"))
    assert problems == ["17: software.open_source: Pflichtangabe fehlt (Open Source)"]


def test_references_need_known_ids() -> None:
    source = text(add="related: [anderer-fall]\nadopted_from: [anderer-fall]")
    case = valid(source, known={"fall", "anderer-fall"})
    assert case.related == ("anderer-fall",) and case.adopted_from == ("anderer-fall",)
    _, problems = check(source, known={"fall", "anderer-falll"})
    assert problems[0] == (
        "17: related[0]: Es gibt keinen Fall 'anderer-fall' (Datei cases/anderer-fall.md) "
        "(meinten Sie 'anderer-falll'?)"
    )


def test_unknown_keys_nested_and_top_level() -> None:
    _, problems = check(text(add="contact_email: x@example.org", contact="contact:\n  funktion: X"))
    assert sorted(problems) == [
        "10: contact.function: Pflichtangabe fehlt (Funktion oder Stelle)",
        "11: contact.funktion: Unbekannter Schlüssel 'funktion' (meinten Sie 'function'?)",
        "17: contact_email: Unbekannter Schlüssel 'contact_email' (meinten Sie 'contact'?)",
    ]


@pytest.mark.parametrize(
    ("snippet", "ok"),
    [
        ("Code `<script>` bleibt Code.", True),
        ("``a ` <b> ``", False),  # unequal runs: pairing uncertain, so checked as text
        ("`a` and `<b>`", True),
        ("`x\n`<b>`", False),  # runs pair across the lines of a paragraph
        ("a ``` b\n\n```\nx = '<b>'\n```", True),
        ("Kosten < 10.000 € und 3 > 2.", True),
        ("<https://example.org/a> und <info@example.org>", True),
        ("[Bericht](https://example.org) [Mail](mailto:a@example.org) [Anker](#abschnitt)", True),
        ("### Unterabschnitt\n\nText mit Uhrzeit 10:30:00 und Verhältnis 1:2.", True),
        ("```\nx = '<iframe></iframe>'\n```", True),
        # MkDocs always enables fenced_code, which takes fences before any HTML is found.
        ("```\n<iframe></iframe>\n```", True),
        ("a ``` b\n```\nx = '<b>'\n```", True),  # a fence needs no blank line before
        ("```\n# <b>\n```", True),
        ("~~~\n<iframe></iframe>\n~~~", True),
        ("```\n\n<script>x</script>\n\n```", True),
        ("```\nx ``` <script>x</script>\n```", True),
        (" ```\n<script>x</script>\n```", False),  # an indented fence is no fence
        ("```\n<script>x</script>\n````", False),  # the closing fence must match
        ("text\n    <script>x</script>", False),  # no blank line: not indented code
        ("- item\n\n    <script>x</script>", False),  # continues the list item
        ("\\`<script>x</script>`", False),  # escaped backtick opens no span
        ("[x]:\n  javascript:alert(1)", False),
        ("[x](\n javascript:alert(1))", False),
        ("<img\nsrc=x\nonerror=alert(1)>", False),
        ("<IMG SRC=x OnError=alert(1)>", False),
        ("[x](  javascript:alert(1))", False),
        ("[x](java\tscript:alert(1))", False),
        ("[x](&#x6A;avascript:alert(1))", False),
        ("![x][ref]", False),
        ("{ .klasse }", False),
        ("Absatz\n{ onmouseover=alert(1) }", False),
        ("<details><summary>Mehr</summary>Text</details>", False),
        (":material-account:", False),
        ("<?php echo 1; ?>", False),
    ],
)
def test_body_snippets(snippet: str, ok: bool) -> None:
    body = BODY.replace("## Lösung\n\nText.\n", f"## Lösung\n\n{snippet}\n")
    assert (check_body(body, 1) == []) is ok, check_body(body, 1)


def test_body_problem_lines_are_file_lines() -> None:
    body = BODY.replace("## Ergebnisse\n\nText.\n", "## Ergebnisse\n\nText <script>x</script>\n")
    _, problems = check(text(body=body))
    assert problems == [
        "29: body: <script> ist nicht erlaubt: Skripte aus Fall-Texten würden im Browser ausgeführt"
    ]


def test_slugify() -> None:
    assert slugify("Digitale Akte – Kreis Überall!") == "digitale-akte-kreis-ueberall"
    assert len(slugify("x" * 200)) == 80


def write(folder: Path, name: str, source: str) -> None:
    (folder / name).write_text(source, encoding="utf-8")


def test_collect_reports_id_conflicts_and_references(tmp_path: Path) -> None:
    write(tmp_path, "e-akte.md", text(add="related: [fall-zwei]"))
    write(tmp_path, "ｅ-akte.md", text())  # full-width "e": equal after NFKC
    write(tmp_path, "fall-zwei.md", text(add="related: [e-akte]"))
    cases, problems = collect(tmp_path, today=TODAY, root=tmp_path)
    assert [c.id for c in cases] == ["fall-zwei"]
    assert [str(p) for p in problems if p.field == "id" and "kollidiert" in p.message] == [
        "e-akte.md:1: id: Kennung kollidiert mit ｅ-akte.md (gleich nach Groß-/Kleinschreibung "
        "oder Unicode-Normalisierung)",
        "ｅ-akte.md:1: id: Kennung kollidiert mit e-akte.md (gleich nach Groß-/Kleinschreibung "
        "oder Unicode-Normalisierung)",
    ]


def test_load_catalogue_raises_with_all_problems(tmp_path: Path) -> None:
    write(tmp_path, "gut.md", text())
    write(tmp_path, "schlecht.md", text(status="status: fertig", license="license: MIT"))
    with pytest.raises(CatalogueError) as err:
        load_catalogue(tmp_path, today=TODAY)
    assert [p.field for p in err.value.problems] == ["status", "license"]
    (tmp_path / "schlecht.md").unlink()
    assert list(load_catalogue(tmp_path, today=TODAY).cases) == ["gut"]


def test_mutated_files_never_raise() -> None:
    """Structure-aware fuzzing: any value replaced by any shape gives problems, not errors."""
    import random

    from tests.synthetic import synthetic_case_text

    fixtures = Path(__file__).parent / "fixtures" / "valid"
    sources = [p.read_text(encoding="utf-8") for p in sorted(fixtures.glob("*.md"))]
    rng = random.Random(3)
    reference, vocabulary = load_reference(), load_vocabulary()
    topics = [(t.slug, t.label, t.description) for t in vocabulary.topics.values()]
    sources += [
        synthetic_case_text(i, rng, reference.current_kreise, topics, ["umwelt"], ["fall"])
        for i in range(10)
    ]
    values = [
        "",
        "~",
        "[]",
        "{}",
        "[a, b]",
        "{a: 1}",
        "true",
        "yes",
        '""',
        "- x",
        "München",
        "16056",
        "2024-02-30",
        "javascript:x",
        "<script>",
        "99999999999999",
        "null",
        "[[x]]",
        "{role: lead}",
        '[{role: lead, ags: "05162"}]',
        ":smile:",
        "x" * 400,
    ]
    ctx = Context(vocabulary, reference, TODAY, {"fall", "online-termine-fiktiv"})
    for _ in range(1500):
        lines = rng.choice(sources).split("\n")
        for _ in range(rng.randint(1, 4)):
            index = rng.randrange(1, min(len(lines), 60))
            line = lines[index]
            if ":" in line and rng.random() < 0.8:
                lines[index] = line[: line.index(":") + 1] + " " + rng.choice(values)
            else:
                lines[index] = rng.choice(values) if rng.random() < 0.5 else ""
        loaded = load_bytes("\n".join(lines).encode("utf-8"), "cases/fall.md", "fall")
        case, problems = validate_loaded(loaded, ctx)
        assert (case is None) == bool(problems)


def test_plain_text_fields_refuse_control_characters() -> None:
    _, problems = check(text(title='title: "Fiktiver Fall \\u202eakA etalatigiD"'))
    assert problems == [
        "2: title: Unsichtbares Zeichen U+202E (RIGHT-TO-LEFT OVERRIDE) an Stelle 15 ist nicht "
        "erlaubt; bitte entfernen (oft beim Kopieren aus Webseiten oder PDFs eingefügt)"
    ]


@pytest.mark.parametrize(
    "unit", ["`", "`a", "<a", "](", "![", "[", "{:", ":a", "<", "](&#", "```\n", "{a=", ":a:"]
)
def test_pathological_bodies_are_checked_in_linear_time(unit: str) -> None:
    """Inputs that make naive patterns quadratic or worse; a regression shows as a hang."""
    body = unit * (100_000 // len(unit))
    assert isinstance(check_body(body, 1), list)


def test_body_problems_are_capped_per_file() -> None:
    body = BODY.replace("## Lösung\n\nText.\n", "## Lösung\n\n" + ":smile:\n" * 60)
    _, problems = check(text(body=body))
    assert len(problems) == 51
    assert problems[-1] == "75: body: … und 10 weitere Probleme im Text (nicht einzeln aufgeführt)"


def test_confirmation_needs_date_and_unit() -> None:
    case = valid(
        text(add="confirmed:\n  date: 2026-11-02\n  by: Stabsstelle Digitalisierung, Kreis Lippe")
    )
    assert case.confirmed is not None
    assert case.confirmed.date == dt.date(2026, 11, 2)
    assert case.confirmed.by == "Stabsstelle Digitalisierung, Kreis Lippe"
    assert valid(text()).confirmed is None
    _case, problems = check(text(add="confirmed:\n  date: 2027-01-01"))
    assert any("confirmed.date" in p and "Zukunft" in p for p in problems)
    assert any("confirmed.by" in p and "Pflichtangabe fehlt" in p for p in problems)
