"""``praxisatlas report``: review due, missing data, unknown references, link check."""

from __future__ import annotations

import dataclasses
import datetime as dt
import http.server
import socket
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from praxisatlas.cases.loader import load_bytes
from praxisatlas.cases.model import Contact, Effort, Outcome, Source, add_months, review_due
from praxisatlas.contribute import editorial_report, link_check, report_records
from tests.factories import TODAY, make_case, make_catalogue


def _record(**overrides: object) -> report_records.Record:
    return report_records.record_from_case(make_case(**overrides))  # type: ignore[arg-type]


def test_add_months_clamps_to_month_end() -> None:
    assert add_months(dt.date(2024, 2, 29), 24) == dt.date(2026, 2, 28)
    assert add_months(dt.date(2024, 11, 30), 3) == dt.date(2025, 2, 28)
    assert add_months(dt.date(2024, 1, 31), 1) == dt.date(2024, 2, 29)
    assert add_months(dt.date(2024, 12, 15), 1) == dt.date(2025, 1, 15)
    assert add_months(dt.date(2024, 1, 31), 11) == dt.date(2024, 12, 31)


def test_report_and_site_share_the_stale_rule() -> None:
    # The site's "veraltet" (Case.is_stale) and the report's "überfällig" are one rule.
    reviewed = dt.date(2024, 2, 29)
    for today in (dt.date(2026, 2, 28), dt.date(2026, 3, 1), dt.date(2026, 3, 2)):
        case = make_case(reviewed=reviewed)
        overdue = any(
            "überfällig" in f.message
            for f in editorial_report.due_findings(
                [report_records.record_from_case(case)], today, 0
            )
        )
        assert case.is_stale(today) == overdue == (today > review_due(reviewed))


def test_due_overdue_and_fresh() -> None:
    catalogue = make_catalogue(
        make_case("alt", reviewed=dt.date(2024, 10, 1)),  # 24 months on 2026-10-01: overdue
        make_case("bald", reviewed=dt.date(2024, 12, 20)),  # due 2026-12-20: within 90 days
        make_case("frisch", reviewed=dt.date(2026, 1, 15)),
    )
    findings = editorial_report.due_findings(
        [report_records.record_from_case(c) for c in catalogue], TODAY, 90
    )
    assert [f.case_id for f in findings] == ["alt", "bald"]
    assert "seit 52 Tag(en) überfällig" in findings[0].message
    assert "zuletzt geprüft 01.10.2024" in findings[0].message
    assert "fällig am 20.12.2026" in findings[1].message
    # A shorter horizon leaves only the overdue one.
    assert [
        f.case_id
        for f in editorial_report.due_findings(
            [report_records.record_from_case(c) for c in catalogue], TODAY, 10
        )
    ] == ["alt"]


def test_due_agrees_with_the_site_stale_rule() -> None:
    """A case is overdue exactly when the site shows it as veraltet (model.is_stale)."""
    for reviewed in (dt.date(2024, 11, 21), dt.date(2024, 11, 22), dt.date(2024, 11, 23)):
        case = make_case(reviewed=reviewed)
        findings = editorial_report.due_findings([report_records.record_from_case(case)], TODAY, 0)
        overdue = bool(findings) and "überfällig" in findings[0].message
        assert overdue == case.is_stale(TODAY), reviewed


def test_missing_optional_data() -> None:
    bare = _record(id="karg")
    assert bare.missing == ("outcomes", "effort", "open_to", "transferability")
    full = _record(
        id="voll",
        outcomes=(Outcome("Bearbeitungszeit halbiert", "gemessen"),),
        effort=Effort(cost="10000-50000"),
        contact=Contact(function="Stabsstelle", phone="+49 1", open_to=("telefonat",)),
        transferability="Gut übertragbar.",
    )
    assert full.missing == ()
    no_channel = _record(id="ohne-weg", contact=Contact(function="Stabsstelle"))
    assert "contact_channel" in no_channel.missing
    findings = editorial_report.missing_findings([bare, full, no_channel])
    assert [f.case_id for f in findings] == ["karg", "ohne-weg"]
    assert "Ergebnisse (outcomes)" in findings[0].message


def test_unknown_and_self_references() -> None:
    records = [
        _record(id="a", related=("b", "gibt-es-nicht")),
        _record(id="b", adopted_from=("b",)),
    ]
    findings = editorial_report.reference_findings(records)
    assert [(f.case_id, f.field, f.message) for f in findings] == [
        (
            "a",
            "related[1]",
            "Fall 'gibt-es-nicht' gibt es nicht (keine Datei cases/gibt-es-nicht.md)",
        ),
        ("b", "adopted_from[0]", "verweist auf sich selbst"),
    ]


RAW = b"""---
title: "Kaputter, aber lesbarer Fall"
summary: x
status: unbekannt
reviewed: 2023-05-04
related:
  - fehlt-auch
contact:
  function: Amt
  url: https://example.org/kontakt
sources:
  - title: Quelle
    url: https://example.org/q
software:
  open_source: true
  repository: https://example.org/repo
---
Text ohne Abschnitte.
"""


def test_record_from_raw_front_matter_keeps_lines() -> None:
    loaded = load_bytes(RAW, "cases/kaputt.md", "kaputt")
    assert loaded.front is not None
    record = report_records.record_from_front(
        "kaputt", "cases/kaputt.md", loaded.front, valid=False
    )
    assert record.reviewed == dt.date(2023, 5, 4)
    assert record.reviewed_line == 5
    assert record.references == (("related[0]", "fehlt-auch", 7),)
    assert record.urls == (
        ("sources[0].url", "https://example.org/q", 13),
        ("contact.url", "https://example.org/kontakt", 10),
        ("software.repository", "https://example.org/repo", 16),
    )
    assert record.missing == ("outcomes", "effort", "open_to", "transferability")
    built = editorial_report.build_report(
        [record], TODAY, ["due", "refs"], invalid=["cases/kaputt.md"]
    )
    text = editorial_report.render_text(built)
    assert "1 Datei(en) bestehen die Prüfung nicht" in text
    assert "cases/kaputt.md:5: reviewed: „Kaputter, aber lesbarer Fall“: Prüfung seit" in text
    assert "cases/kaputt.md:7: related[0]: Fall 'fehlt-auch' gibt es nicht" in text


def test_markdown_output_escapes_contributed_text() -> None:
    record = _record(id="x", title="<img src=x onerror=alert(1)> | [Klick](javascript:1)")
    built = editorial_report.build_report([record], TODAY, ["missing", "refs"])
    markdown = editorial_report.render_markdown(built)
    assert "<img" not in markdown
    assert "&lt;img" in markdown
    assert "\\| \\[Klick\\]\\(javascript:1\\)" in markdown
    assert "### Verweise auf unbekannte Fälle (0)\n\nNichts zu tun." in markdown
    table_rows = [line for line in markdown.splitlines() if line.startswith("| cases/")]
    assert len(table_rows) == 1 and table_rows[0].count(" | ") == 3


def test_exit_code_only_for_real_findings() -> None:
    record = _record(id="x")
    unclear = link_check.LinkResult("https://example.org/quelle", "unclear", "HTTP 429")
    built = editorial_report.build_report([record], TODAY, ["links"], fetch=lambda url, t: unclear)
    assert built.findings and not editorial_report.failing(built)
    broken = link_check.LinkResult("https://example.org/quelle", "broken", "HTTP 404")
    built = editorial_report.build_report([record], TODAY, ["links"], fetch=lambda url, t: broken)
    assert editorial_report.failing(built)
    assert built.links_checked == 1


# --- link check against a local server (never the internet in tests) ------------------


class _Handler(http.server.BaseHTTPRequestHandler):
    def _answer(self, body: bool) -> None:
        path = self.path
        # Record before answering: the client may go on as soon as it has the response.
        self.server.seen.append((self.command, path, self.headers["User-Agent"]))  # type: ignore[attr-defined]
        if path == "/ok":
            self.send_response(200)
        elif path == "/nur-get" and self.command == "HEAD":
            self.send_response(405)
        elif path == "/nur-get":
            self.send_response(200)
        elif path == "/weiter":
            self.send_response(301)
            self.send_header("Location", "/ok")
        elif path == "/gesperrt":
            self.send_response(403)
        else:
            self.send_response(404)
        self.send_header("Content-Length", "2" if body else "0")
        self.end_headers()
        if body:
            self.wfile.write(b"ok")

    def do_HEAD(self) -> None:
        self._answer(body=False)

    def do_GET(self) -> None:
        self._answer(body=True)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture()
def local_server() -> Iterator[tuple[str, list[tuple[str, str, str]]]]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    server.seen = []  # type: ignore[attr-defined]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", server.seen  # type: ignore[attr-defined]
    finally:
        server.shutdown()
        server.server_close()


def loopback(ip: str, port: int) -> bool:
    """Address policy for tests against the local listener (127.0.0.1 only)."""
    return ip == "127.0.0.1"


def check_local(url: str, timeout: float) -> link_check.LinkResult:
    return link_check.check_url(url, timeout, allow=loopback)


def test_check_url_head_then_get(local_server: tuple[str, list[tuple[str, str, str]]]) -> None:
    base, seen = local_server
    assert check_local(f"{base}/ok", 5).state == "ok"
    assert check_local(f"{base}/nur-get", 5).state == "ok"
    assert ("GET", "/nur-get", link_check.USER_AGENT) in seen
    assert check_local(f"{base}/weiter", 5).state == "ok"
    gone = check_local(f"{base}/weg", 5)
    assert (gone.state, gone.detail) == ("broken", "HTTP 404")
    assert check_local(f"{base}/gesperrt", 5).state == "unclear"
    assert link_check.check_url("ftp://example.org/x", 5).state == "broken"
    assert all(agent == link_check.USER_AGENT for _m, _p, agent in seen)


def test_check_url_unreachable_port() -> None:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    result = check_local(f"http://127.0.0.1:{port}/", 2)
    assert result.state == "broken"
    assert result.detail.startswith("nicht erreichbar")


def test_link_findings_dedupe_and_report(
    local_server: tuple[str, list[tuple[str, str, str]]],
) -> None:
    base, seen = local_server
    cases = [
        make_case("eins", sources=(Source("Gut", f"{base}/ok"), Source("Weg", f"{base}/weg"))),
        make_case("zwei", sources=(Source("Weg", f"{base}/weg"),)),
    ]
    records = [report_records.record_from_case(c) for c in make_catalogue(*cases)]
    findings, checked = editorial_report.link_findings(
        records, timeout=5, workers=2, fetch=check_local
    )
    assert checked == 2
    assert [(f.case_id, f.field) for f in findings] == [
        ("eins", "sources[1].url"),
        ("zwei", "sources[0].url"),
    ]
    assert findings[0].message == f"Link defekt: {base}/weg – HTTP 404"
    # Each distinct URL is requested once (HEAD; GET only after a failed HEAD).
    assert sum(1 for m, p, _a in seen if p == "/ok") == 1


def test_command_on_files(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    pytest.importorskip("praxisatlas.cases.pipeline")
    from praxisatlas import cli

    cases = tmp_path / "cases"
    cases.mkdir()
    (cases / "kaputt.md").write_bytes(RAW)
    assert cli.main(["report", str(cases), "--today", "2026-11-22"]) == 0
    out = capsys.readouterr().out
    assert "1 Fall-Datei(en) ausgewertet am 22.11.2026." in out
    assert "bestehen die Prüfung nicht" in out
    assert "Prüfung fällig: 1" in out
    assert "Verweise auf unbekannte Fälle: 1" in out
    assert cli.main(["report", str(cases), "--refs", "--exit-code"]) == 1
    capsys.readouterr()
    assert cli.main(["report", str(cases), "--due", "--format", "markdown"]) == 0
    out = capsys.readouterr().out
    assert "### Prüfung fällig (1)" in out and "Verweise" not in out
    assert cli.main(["report", str(tmp_path / "fehlt")]) == 2


def test_dataclass_records_are_immutable() -> None:
    record = _record()
    with pytest.raises(dataclasses.FrozenInstanceError):
        record.title = "x"  # type: ignore[misc]


def test_command_link_check_against_a_local_server(
    tmp_path: Path,
    local_server: tuple[str, list[tuple[str, str, str]]],
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from praxisatlas import cli

    base, _seen = local_server
    cases = tmp_path / "cases"
    cases.mkdir()
    raw = RAW.decode().replace("https://example.org/q", f"{base}/weg")
    raw = raw.replace("https://example.org/kontakt", f"{base}/ok")
    raw = raw.replace("https://example.org/repo", f"{base}/gesperrt")
    (cases / "kaputt.md").write_text(raw, encoding="utf-8")
    args = ["report", str(cases), "--links", "--format", "markdown", "--timeout", "5"]
    # As shipped, the link check does not connect to this machine at all.
    assert cli.main([*args, "--exit-code", "--workers", "2"]) == 1
    assert capsys.readouterr().out.count("im eigenen Rechner oder Netz") == 3
    assert _seen == []
    monkeypatch.setattr(link_check, "public_address", loopback)
    assert cli.main([*args, "--exit-code", "--workers", "2"]) == 1
    out = capsys.readouterr().out
    assert "### Externe Links (2)" in out
    assert "Link defekt" in out and "HTTP 404" in out
    assert "Link nicht prüfbar" in out and "HTTP 403" in out
    # Without --exit-code the report never fails the job.
    assert cli.main(args) == 0


CASE_TEMPLATE = """---
title: "Fiktiver Fall {id}"
summary: Ein fiktiver Fall für den Bericht über Kontaktwege und Bestätigungen.
organisations:
  - role: lead
    {org}
topics: [e-akte]
status: pilot
start: "2022"
contact:
  function: Stabsstelle Digitalisierung
{contact}sources:
  - title: Fiktive Quelle
    url: https://example.org/quelle
reviewed: 2026-01-15
license: CC-BY-4.0
{confirmed}---

## Ausgangslage

Text.

## Lösung

Text.

## Ergebnisse

Text.

## Erfahrungen

Text.
"""


def test_contacts_and_confirmations_by_land(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from praxisatlas import cli

    cases = tmp_path / "cases"
    cases.mkdir()
    confirmed = "confirmed:\n  date: 2026-11-01\n  by: Stabsstelle Digitalisierung\n"
    phone = '  phone: "+49 5121 309-0"\n'
    files = {
        # id: (organisation, contact lines, confirmed)
        "hildesheim-ohne": ('ags: "03254"', "", ""),
        "goerlitz-ohne": ("ags: Görlitz", "", ""),
        "lippe-mit": ('ags: "05766"', phone, confirmed),
        "harz-bestaetigt-ohne": ('ags: "15085"', "", confirmed),
        "verband-ohne": ('name: Zweckverband\n    kind: Zweckverband\n    land: "14"', "", ""),
    }
    for case_id, (org, contact, conf) in files.items():
        text = CASE_TEMPLATE.format(id=case_id, org=org, contact=contact, confirmed=conf)
        (cases / f"{case_id}.md").write_text(text, encoding="utf-8")
    assert cli.main(["validate", str(cases), "--today", "2026-11-22"]) == 0
    capsys.readouterr()
    args = ["report", str(cases), "--contacts", "--unconfirmed", "--today", "2026-11-22"]
    assert cli.main(args) == 0
    out = capsys.readouterr().out
    contacts, unconfirmed = out.split("Ohne Kontaktweg (nach Land): ")[1].split(
        "Nicht von der Verwaltung bestätigt (nach Land): "
    )
    assert contacts.splitlines()[:8] == [
        "4",
        "  Niedersachsen (1):",
        f"    {cases.as_posix()}/hildesheim-ohne.md:10: contact: „Fiktiver Fall "
        "hildesheim-ohne“: weder Telefon noch E-Mail noch Webseite der Ansprechstelle",
        "  Sachsen (2):",
        f"    {cases.as_posix()}/goerlitz-ohne.md:10: contact: „Fiktiver Fall goerlitz-ohne“: "
        "weder Telefon noch E-Mail noch Webseite der Ansprechstelle",
        f"    {cases.as_posix()}/verband-ohne.md:12: contact: „Fiktiver Fall verband-ohne“: "
        "weder Telefon noch E-Mail noch Webseite der Ansprechstelle",
        "  Sachsen-Anhalt (1):",
        f"    {cases.as_posix()}/harz-bestaetigt-ohne.md:10: contact: „Fiktiver Fall "
        "harz-bestaetigt-ohne“: weder Telefon noch E-Mail noch Webseite der Ansprechstelle",
    ]
    assert "lippe-mit" not in contacts
    assert unconfirmed.splitlines()[0] == "3"
    assert "  Niedersachsen (1):" in unconfirmed and "  Sachsen (2):" in unconfirmed
    assert "harz-bestaetigt-ohne" not in unconfirmed and "lippe-mit" not in unconfirmed
    # Not confirmed is a note, not a failure; a missing contact route is.
    assert cli.main(["report", str(cases), "--unconfirmed", "--exit-code"]) == 0
    assert cli.main(["report", str(cases), "--contacts", "--exit-code"]) == 1
    capsys.readouterr()
    assert cli.main([*args, "--format", "markdown"]) == 0
    out = capsys.readouterr().out
    assert "### Ohne Kontaktweg (nach Land) (4)" in out
    assert "#### Sachsen (2)" in out and "#### Sachsen\\-Anhalt (1)" in out


# --- the link check connects to public addresses only (issue 18) ----------------------


class _Redirect(http.server.BaseHTTPRequestHandler):
    """Answers / with a redirect to wherever the server's ``target`` says."""

    def _answer(self) -> None:
        self.server.seen.append((self.command, self.path))  # type: ignore[attr-defined]
        self.send_response(302 if self.path == "/" else 200)
        self.send_header("Location", self.server.target)  # type: ignore[attr-defined]
        self.send_header("Content-Length", "0")
        self.end_headers()

    do_HEAD = do_GET = _answer

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture()
def redirecting_server() -> Iterator[http.server.ThreadingHTTPServer]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Redirect)
    server.seen = []  # type: ignore[attr-defined]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()


def _fake_dns(monkeypatch: pytest.MonkeyPatch, names: dict[str, str]) -> None:
    """Resolve the given names to the given addresses; any other name is refused."""
    real = socket.getaddrinfo

    def getaddrinfo(host: str, port: int, *args: object, **kwargs: object) -> object:
        if host not in names and host not in ("127.0.0.1", "localhost"):
            raise socket.gaierror(socket.EAI_NONAME, "nicht im Test")
        return real(names.get(host, host), port, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)


def test_link_check_refuses_loopback_private_and_metadata_addresses(
    redirecting_server: http.server.ThreadingHTTPServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    port = redirecting_server.server_address[1]
    # A public-looking name that resolves to this machine, and the address literally.
    _fake_dns(monkeypatch, {"intern.example.org": "127.0.0.1"})
    for url in (f"http://127.0.0.1:{port}/", f"http://intern.example.org:{port}/"):
        result = link_check.check_url(url, 2)
        assert result.state == "broken"
        assert "führt zur Adresse 127.0.0.1 im eigenen Rechner oder Netz" in result.detail
    assert redirecting_server.seen == []  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    "target",
    [
        "http://localhost:{port}/geheim",
        "http://127.0.0.1:{port}/geheim",
        "http://metadaten.example.org/latest/meta-data/",
        "http://privat.example.org/",
    ],
)
def test_link_check_refuses_a_redirect_to_an_internal_address(
    redirecting_server: http.server.ThreadingHTTPServer,
    monkeypatch: pytest.MonkeyPatch,
    target: str,
) -> None:
    port = redirecting_server.server_address[1]
    redirecting_server.target = target.format(port=port)  # type: ignore[attr-defined]
    # Only the names below resolve; the addresses are refused before any connection.
    _fake_dns(
        monkeypatch,
        {
            "start.example.org": "127.0.0.1",
            "metadaten.example.org": "169.254.169.254",
            "privat.example.org": "10.11.12.13",
        },
    )
    connections = iter([True])  # the first connection (to the start page) only

    def first_only(ip: str, _port: int) -> bool:
        return ip == "127.0.0.1" and next(connections, False)

    result = link_check.check_url(f"http://start.example.org:{port}/", 2, allow=first_only)
    assert result.state == "broken"
    assert "im eigenen Rechner oder Netz" in result.detail
    assert redirecting_server.seen == [("HEAD", "/")]  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("address", "public"),
    [
        ("127.0.0.1", False),
        ("127.8.9.10", False),
        ("::1", False),
        ("10.0.0.1", False),
        ("172.16.5.4", False),
        ("192.168.1.1", False),
        ("169.254.169.254", False),
        ("100.64.0.1", False),
        ("0.0.0.0", False),
        ("224.0.0.1", False),
        ("fe80::1", False),
        ("fd00::1", False),
        ("::ffff:127.0.0.1", False),
        ("::ffff:10.0.0.1", False),
        ("kein-ip", False),
        ("93.184.216.34", True),
        ("2a00:1450:4001:80b::200e", True),
    ],
)
def test_public_address_policy(address: str, public: bool) -> None:
    assert link_check.public_address(address, 443) is public


def test_findings_show_control_and_bidi_characters_escaped() -> None:
    finding = editorial_report.Finding(
        "links", "cases/x.md", 3, "sources[0].url", "Link defekt: https://example.org/\x1b[2K\u202e"
    )
    assert str(finding) == (
        "cases/x.md:3: sources[0].url: Link defekt: https://example.org/\\x1b[2K\\u202e"
    )
