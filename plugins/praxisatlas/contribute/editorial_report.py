"""Maintainer reports over the case files: what needs an editor's attention.

- **Prüfung fällig**: the last editorial review (``reviewed``) is more than 24 months old
  (overdue, shown as "veraltet" on the site) or turns 24 months old within N days.
- **Fehlende Angaben**: optional data that makes a case useful to others is missing
  (outcomes, effort, a contact channel, openness to exchange, transferability).
- **Verweise**: ``adopted_from`` / ``related`` name a case id that does not exist.
- **Ohne Kontaktweg** and **Nicht bestätigt** (on request), grouped by the Land of the
  lead organisation, so maintainers know which counties to ask: cases whose contact has
  no phone, e-mail or web page, and cases the administration has not confirmed
  (``confirmed``).
- **Links** (only on request, needs the network): external URLs of sources, contact
  pages and repositories that no longer answer.

The report reads the front matter of every file leniently (via the strict loader's
node tree, without the validator), so it also covers files that fail validation; those
files are listed separately, because their data may be incomplete.
"""

from __future__ import annotations

import datetime as dt
import html
import http.client
import importlib
import re
import socket
import ssl
import urllib.error
import urllib.request
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from praxisatlas import text_de
from praxisatlas.cases.addresses import public_ip
from praxisatlas.cases.loader import (
    CASE_SUFFIX,
    Entry,
    MappingNode,
    Node,
    ScalarNode,
    SequenceNode,
    load_file,
)
from praxisatlas.cases.model import Case, review_due
from praxisatlas.cases.problems import visible
from praxisatlas.cases.reference import Reference, load_reference
from praxisatlas.cases.schema import PLACEHOLDER_HINT
from praxisatlas.cases.writer import plain_data

DEFAULT_DUE_DAYS = 90
USER_AGENT = "Praxisatlas-Linkpruefung/1.0 (woechentliche Pruefung der Quellenangaben)"

SECTION_TITLES: dict[str, str] = {
    "due": "Prüfung fällig",
    "missing": "Fehlende Angaben",
    "refs": "Verweise auf unbekannte Fälle",
    "links": "Externe Links",
    "contacts": "Ohne Kontaktweg (nach Land)",
    "unconfirmed": "Nicht von der Verwaltung bestätigt (nach Land)",
}
# Sections whose findings are listed under the Land of the case.
GROUPED_SECTIONS = frozenset({"contacts", "unconfirmed"})
NO_LAND = "ohne Land"

MISSING_LABELS: dict[str, str] = {
    "outcomes": "Ergebnisse (outcomes)",
    "effort": "Aufwand (effort)",
    "contact_channel": "Kontaktweg (contact.email, contact.phone oder contact.url)",
    "open_to": "Offen für Austausch (contact.open_to)",
    "transferability": "Übertragbarkeit (transferability)",
    "section_texts": "Abschnittstexte (Hinweise „Bitte ersetzen: …“ stehen noch im Text)",
}


@dataclass(frozen=True)
class Record:
    """What the reports need to know about one case file, valid or not."""

    id: str
    path: str
    title: str
    reviewed: dt.date | None
    reviewed_line: int = 1
    missing: tuple[str, ...] = ()
    # (field path, case id, line)
    references: tuple[tuple[str, str, int], ...] = ()
    # (field path, url, line)
    urls: tuple[tuple[str, str, int], ...] = ()
    valid: bool = True
    land: str = NO_LAND
    contact_line: int = 1
    confirmed: bool = False


@dataclass(frozen=True)
class Finding:
    """One line of a report: a file, a line, the field and a German message."""

    section: str
    path: str
    line: int
    field: str
    message: str
    case_id: str = ""
    severity: str = "warnung"  # "fehler" for broken links and unknown references
    group: str = ""  # the Land, in sections listed by Land

    def __post_init__(self) -> None:
        # Messages echo titles and URLs from case files: no raw control or bidi character
        # may reach a terminal, a CI log or an issue (see problems.visible).
        for name in ("path", "field", "message"):
            object.__setattr__(self, name, visible(getattr(self, name)))

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.field}: {self.message}"


@dataclass
class Report:
    """Findings per section plus what was checked."""

    sections: dict[str, list[Finding]]
    checked: int
    today: dt.date
    invalid: list[str] = field(default_factory=list)
    links_checked: int = 0

    @property
    def findings(self) -> list[Finding]:
        return [f for items in self.sections.values() for f in items]


# --- reading -------------------------------------------------------------------------


def _entry(node: Node | None, key: str) -> Entry | None:
    return node.entries.get(key) if isinstance(node, MappingNode) else None


def _nested(node: MappingNode, key: str, inner: str) -> Entry | None:
    outer = _entry(node, key)
    return _entry(outer.value, inner) if outer else None


def _text(node: Node | None) -> str:
    return node.value.strip() if isinstance(node, ScalarNode) and not node.is_null else ""


def _present(node: Node | None) -> bool:
    if node is None:
        return False
    value = plain_data(node)
    if isinstance(value, bool):
        return True
    return bool(value.strip()) if isinstance(value, str) else bool(value)


def _reviewed(front: MappingNode) -> dt.date | None:
    entry = front.entries.get("reviewed")
    try:
        return dt.date.fromisoformat(_text(entry.value)) if entry else None
    except ValueError:
        return None


def _missing_in_front(front: MappingNode, body: str) -> list[str]:
    contact = _entry(front, "contact")
    contact_node = contact.value if contact else None

    def present(node: Node | None, key: str) -> bool:
        entry = _entry(node, key)
        return entry is not None and _present(entry.value)

    return _missing(
        outcomes=present(front, "outcomes"),
        effort=present(front, "effort"),
        contact_channel=any(present(contact_node, k) for k in ("email", "phone", "url")),
        open_to=present(contact_node, "open_to"),
        transferability=present(front, "transferability"),
        section_texts=PLACEHOLDER_HINT not in body,
    )


def _missing(**present: bool) -> list[str]:
    """The keys of ``MISSING_LABELS`` whose information is not there, in that order."""
    return [key for key in MISSING_LABELS if not present[key]]


def _references_in_front(front: MappingNode) -> list[tuple[str, str, int]]:
    references: list[tuple[str, str, int]] = []
    for key in ("adopted_from", "related"):
        entry = front.entries.get(key)
        if entry is not None and isinstance(entry.value, SequenceNode):
            for index, item in enumerate(entry.value.items):
                if _text(item):
                    references.append((f"{key}[{index}]", _text(item), item.line))
    return references


def _urls_in_front(front: MappingNode) -> list[tuple[str, str, int]]:
    found: list[tuple[str, Entry | None]] = []
    sources = front.entries.get("sources")
    if sources is not None and isinstance(sources.value, SequenceNode):
        found += [
            (f"sources[{index}].url", _entry(item, "url"))
            for index, item in enumerate(sources.value.items)
        ]
    contact = _entry(front, "contact")
    found.append(("contact.url", _entry(contact.value if contact else None, "url")))
    software = _entry(front, "software")
    found.append(
        ("software.repository", _entry(software.value if software else None, "repository"))
    )
    return [
        (field, _text(entry.value), entry.value.line)
        for field, entry in found
        if entry is not None and _text(entry.value)
    ]


def record_from_front(
    case_id: str,
    path: str,
    front: MappingNode,
    valid: bool,
    body: str = "",
    reference: Reference | None = None,
) -> Record:
    """A record from a file's raw front matter; tolerant of any shape."""
    reviewed_entry = front.entries.get("reviewed")
    title = front.entries.get("title")
    contact = _entry(front, "contact")
    confirmed = front.entries.get("confirmed")
    return Record(
        id=case_id,
        path=path,
        title=_text(title.value) if title else "",
        reviewed=_reviewed(front),
        reviewed_line=reviewed_entry.key_line if reviewed_entry else 1,
        missing=tuple(_missing_in_front(front, body)),
        references=tuple(_references_in_front(front)),
        urls=tuple(_urls_in_front(front)),
        valid=valid,
        land=_lead_land(front, reference or load_reference()),
        contact_line=contact.key_line if contact else 1,
        confirmed=confirmed is not None and _present(confirmed.value),
    )


def _lead_land(front: MappingNode, reference: Reference) -> str:
    """Name of the Land of the first lead organisation (by key, Kreis name or ``land``)."""
    organisations = _entry(front, "organisations")
    if organisations is None or not isinstance(organisations.value, SequenceNode):
        return NO_LAND
    for item in organisations.value.items:
        role = _entry(item, "role")
        if role is None or _text(role.value) != "lead":
            continue
        ags_entry, land_entry = _entry(item, "ags"), _entry(item, "land")
        ags = _text(ags_entry.value) if ags_entry else ""
        if ags[:2] in reference.land_by_code and ags[:5].isdigit():
            return reference.land_by_code[ags[:2]].name
        if ags and len(named := reference.kreise_named(ags)) == 1:
            return reference.land_of(named[0]).name
        code = _text(land_entry.value) if land_entry else ""
        if code in reference.land_by_code:
            return reference.land_by_code[code].name
    return NO_LAND


def record_from_case(case: Case) -> Record:
    """A record from a validated case (no line numbers: those live in the file)."""
    missing = _missing(
        outcomes=bool(case.outcomes),
        effort=case.effort is not None,
        contact_channel=bool(case.contact.email or case.contact.phone or case.contact.url),
        open_to=bool(case.contact.open_to),
        transferability=bool(case.transferability),
        section_texts=PLACEHOLDER_HINT not in case.body,
    )
    references = [(f"adopted_from[{i}]", ref, 1) for i, ref in enumerate(case.adopted_from)]
    references += [(f"related[{i}]", ref, 1) for i, ref in enumerate(case.related)]
    urls = [(f"sources[{i}].url", s.url, 1) for i, s in enumerate(case.sources)]
    if case.contact.url:
        urls.append(("contact.url", case.contact.url, 1))
    if case.software and case.software.repository:
        urls.append(("software.repository", case.software.repository, 1))
    lead = next((org for org in case.organisations if org.role == "lead"), None)
    return Record(
        id=case.id,
        path=case.path,
        title=case.title,
        reviewed=case.reviewed,
        missing=tuple(missing),
        references=tuple(references),
        urls=tuple(urls),
        land=lead.land.name if lead is not None and lead.land is not None else NO_LAND,
        confirmed=case.confirmed is not None,
    )


def _display_path(file: Path) -> str:
    """``cases/<file>.md`` relative to the working directory when possible."""
    try:
        return file.resolve().relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return file.as_posix()


def _invalid_paths(cases_dir: Path) -> set[str]:
    """Names of the files the validator rejects (empty if the pipeline is unavailable)."""
    pipeline: Any = importlib.import_module("praxisatlas.cases.pipeline")
    _cases, problems = pipeline.collect(cases_dir)
    return {Path(problem.path).name for problem in problems}


def read_records(cases_dir: Path) -> tuple[list[Record], list[str]]:
    """Records of every ``*.md`` file in ``cases_dir`` and the paths that fail validation."""
    invalid_names = _invalid_paths(cases_dir)
    records: list[Record] = []
    invalid: list[str] = []
    reference = load_reference()
    for file in sorted(cases_dir.glob(f"*{CASE_SUFFIX}")):
        path = _display_path(file)
        valid = file.name not in invalid_names
        if not valid:
            invalid.append(path)
        loaded = load_file(file, path)
        if loaded.front is None:
            continue
        records.append(
            record_from_front(loaded.id, path, loaded.front, valid, loaded.body, reference)
        )
    return records, invalid


# --- sections ------------------------------------------------------------------------


def _label(record: Record) -> str:
    return f"„{record.title}“" if record.title else record.id


def due_findings(records: Iterable[Record], today: dt.date, within_days: int) -> list[Finding]:
    """Reviews older than 24 months (overdue) or turning 24 months within ``within_days``."""
    horizon = today + dt.timedelta(days=within_days)
    found = []
    for record in records:
        if record.reviewed is None:
            found.append(
                Finding(
                    "due",
                    record.path,
                    record.reviewed_line,
                    "reviewed",
                    f"{_label(record)}: Datum der letzten Prüfung fehlt oder ist ungültig",
                    record.id,
                )
            )
            continue
        due = review_due(record.reviewed)
        if due < today:
            days = (today - due).days
            message = (
                f"{_label(record)}: Prüfung seit {days} Tag(en) überfällig "
                f"(zuletzt geprüft {text_de.date(record.reviewed)}; wird als veraltet angezeigt)"
            )
        elif due <= horizon:
            message = (
                f"{_label(record)}: Prüfung fällig am {text_de.date(due)} "
                f"(zuletzt geprüft {text_de.date(record.reviewed)})"
            )
        else:
            continue
        found.append(
            Finding("due", record.path, record.reviewed_line, "reviewed", message, record.id)
        )
    # Most urgent first; stable by path.
    found.sort(key=lambda f: f.path)
    by_id = {r.id: r for r in records}
    found.sort(key=lambda f: by_id[f.case_id].reviewed or dt.date.min)
    return found


def missing_findings(records: Iterable[Record]) -> list[Finding]:
    found = []
    for record in sorted(records, key=lambda r: r.path):
        if record.missing:
            labels = ", ".join(MISSING_LABELS[key] for key in record.missing)
            found.append(
                Finding(
                    "missing",
                    record.path,
                    1,
                    "optionale Angaben",
                    f"{_label(record)}: fehlt {labels}",
                    record.id,
                )
            )
    return found


def reference_findings(records: Iterable[Record]) -> list[Finding]:
    records = list(records)
    known = {r.id for r in records}
    found = []
    for record in sorted(records, key=lambda r: r.path):
        for where, target, line in record.references:
            if target == record.id:
                message = "verweist auf sich selbst"
            elif target not in known:
                message = f"Fall '{target}' gibt es nicht (keine Datei cases/{target}.md)"
            else:
                continue
            found.append(Finding("refs", record.path, line, where, message, record.id, "fehler"))
    return found


def _by_land(found: list[Finding], reference: Reference) -> list[Finding]:
    """Findings ordered by Land (alphabetically, "ohne Land" last), then by path."""
    names = sorted(land.name for land in reference.laender)
    order = {name: index for index, name in enumerate(names)}
    return sorted(found, key=lambda f: (order.get(f.group, len(order)), f.path))


def contact_findings(
    records: Iterable[Record], reference: Reference | None = None
) -> list[Finding]:
    """Cases whose contact names no phone, e-mail or web page, by Land."""
    found = [
        Finding(
            "contacts",
            record.path,
            record.contact_line,
            "contact",
            f"{_label(record)}: weder Telefon noch E-Mail noch Webseite der Ansprechstelle",
            record.id,
            group=record.land,
        )
        for record in records
        if "contact_channel" in record.missing
    ]
    return _by_land(found, reference or load_reference())


def unconfirmed_findings(
    records: Iterable[Record], reference: Reference | None = None
) -> list[Finding]:
    """Cases not confirmed by their administration, by Land."""
    found = [
        Finding(
            "unconfirmed",
            record.path,
            1,
            "confirmed",
            f"{_label(record)}: noch nicht von der Verwaltung bestätigt",
            record.id,
            "hinweis",
            group=record.land,
        )
        for record in records
        if not record.confirmed
    ]
    return _by_land(found, reference or load_reference())


# --- links ---------------------------------------------------------------------------


@dataclass(frozen=True)
class LinkResult:
    """Outcome of checking one URL: ``ok``, ``broken`` or ``unclear`` (blocked, rate limit)."""

    url: str
    state: str
    detail: str


_UNCLEAR_STATUS = {401, 403, 429}
Fetcher = Callable[[str, float], LinkResult]


# Which resolved addresses the link check may connect to: (ip, port) -> allowed.
AddressPolicy = Callable[[str, int], bool]


def public_address(ip: str, port: int) -> bool:
    """The link check's policy: public addresses only (see ``addresses.public_ip``)."""
    return public_ip(ip)


class ForbiddenAddress(OSError):
    """A link led to an address the link check must not connect to."""

    def __init__(self, host: str, address: str) -> None:
        super().__init__(f"{host} -> {address}")
        self.host = host
        self.address = address


def _guarded_connect(allow: AddressPolicy) -> Callable[..., socket.socket]:
    """``socket.create_connection`` that resolves the host once, refuses it when any of
    its addresses is not allowed, and connects to a checked address (so a second DNS
    answer cannot lead elsewhere)."""

    def connect(
        address: tuple[str, int],
        timeout: float | None = None,
        source_address: tuple[str, int] | None = None,
        **_: Any,
    ) -> socket.socket:
        host, port = address
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        for *_rest, sockaddr in infos:
            if not allow(str(sockaddr[0]), port):
                raise ForbiddenAddress(host, str(sockaddr[0]))
        last: OSError | None = None
        for family, kind, proto, _name, sockaddr in infos:
            sock = socket.socket(family, kind, proto)
            try:
                if timeout is not None:
                    sock.settimeout(timeout)
                if source_address is not None:
                    sock.bind(source_address)
                sock.connect(sockaddr)
                return sock
            except OSError as error:
                sock.close()
                last = error
        raise last or OSError(f"{host}: keine Adresse")

    return connect


def _opener(allow: AddressPolicy) -> urllib.request.OpenerDirector:
    """A urllib opener whose every connection, the first and each redirect's, goes
    through the address check; no proxy (it would hide where a request goes)."""
    connect = _guarded_connect(allow)

    # http.client opens every connection with the attribute _create_connection that its
    # __init__ sets to socket.create_connection; replacing it there keeps HTTPS' own TLS
    # setup (and its check of the host name) as it is.
    class GuardedHTTP(http.client.HTTPConnection):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._create_connection = connect

    class GuardedHTTPS(http.client.HTTPSConnection):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._create_connection = connect

    class HTTPHandler(urllib.request.HTTPHandler):
        def http_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
            return self.do_open(GuardedHTTP, req)

    class HTTPSHandler(urllib.request.HTTPSHandler):
        def https_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
            return self.do_open(GuardedHTTPS, req, context=ssl.create_default_context())

    return urllib.request.build_opener(
        urllib.request.ProxyHandler({}), HTTPHandler(), HTTPSHandler()
    )


def _request(url: str, method: str, timeout: float, allow: AddressPolicy) -> int:
    request = urllib.request.Request(
        url, method=method, headers={"User-Agent": USER_AGENT, "Accept": "*/*"}
    )
    try:
        with _opener(allow).open(request, timeout=timeout) as response:
            if method == "GET":
                response.read(1024)
            return int(response.status)
    except urllib.error.HTTPError as error:
        return int(error.code)


def _forbidden(error: BaseException) -> ForbiddenAddress | None:
    reason = error.reason if isinstance(error, urllib.error.URLError) else error
    return reason if isinstance(reason, ForbiddenAddress) else None


def check_url(url: str, timeout: float = 10.0, allow: AddressPolicy | None = None) -> LinkResult:
    """HEAD, then GET when HEAD is refused or fails (many servers mishandle HEAD).

    Connects only to addresses ``allow`` permits (default: ``public_address``), checked
    after DNS resolution and again for every redirect.
    """
    allow = allow or public_address
    if not re.match(r"^https?://", url, flags=re.IGNORECASE):
        return LinkResult(url, "broken", "keine http(s)-Adresse")
    try:
        try:
            status = _request(url, "HEAD", timeout, allow)
        except (urllib.error.URLError, OSError) as error:
            if _forbidden(error) is not None:
                raise
            status = 0
        if status == 0 or status >= 400:
            status = _request(url, "GET", timeout, allow)
    except (urllib.error.URLError, OSError) as error:
        forbidden = _forbidden(error)
        if forbidden is not None:
            return LinkResult(
                url,
                "broken",
                f"nicht geprüft: {forbidden.host} führt zur Adresse {forbidden.address} im "
                "eigenen Rechner oder Netz (geprüft werden nur öffentliche Adressen)",
            )
        if not isinstance(error, urllib.error.URLError):
            if isinstance(error, TimeoutError):
                return LinkResult(url, "unclear", f"keine Antwort innerhalb von {timeout:g} s")
            return LinkResult(url, "broken", f"nicht erreichbar ({error})")
        reason = error.reason
        if isinstance(reason, TimeoutError):
            return LinkResult(url, "unclear", f"keine Antwort innerhalb von {timeout:g} s")
        return LinkResult(url, "broken", f"nicht erreichbar ({reason})")
    except ValueError as error:
        return LinkResult(url, "broken", f"nicht erreichbar ({error})")
    if status < 400:
        return LinkResult(url, "ok", f"HTTP {status}")
    if status in _UNCLEAR_STATUS:
        return LinkResult(url, "unclear", f"HTTP {status} (Zugriff verweigert oder begrenzt)")
    return LinkResult(url, "broken", f"HTTP {status}")


def link_findings(
    records: Iterable[Record],
    timeout: float = 10.0,
    workers: int = 8,
    fetch: Fetcher = check_url,
) -> tuple[list[Finding], int]:
    """Check every distinct URL once (bounded concurrency); findings for broken/unclear."""
    records = list(records)
    urls = sorted({url for r in records for _w, url, _l in r.urls})
    with ThreadPoolExecutor(max_workers=max(1, workers)) as pool:
        results = dict(zip(urls, pool.map(lambda u: fetch(u, timeout), urls), strict=True))
    found = []
    for record in sorted(records, key=lambda r: r.path):
        for where, url, line in record.urls:
            result = results[url]
            if result.state == "ok":
                continue
            prefix = "Link defekt" if result.state == "broken" else "Link nicht prüfbar"
            found.append(
                Finding(
                    "links",
                    record.path,
                    line,
                    where,
                    f"{prefix}: {url} – {result.detail}",
                    record.id,
                    "fehler" if result.state == "broken" else "hinweis",
                )
            )
    return found, len(urls)


# --- building and rendering ------------------------------------------------------------


def build_report(
    records: list[Record],
    today: dt.date,
    sections: Iterable[str],
    due_days: int = DEFAULT_DUE_DAYS,
    invalid: Iterable[str] = (),
    link_timeout: float = 10.0,
    link_workers: int = 8,
    fetch: Fetcher = check_url,
) -> Report:
    report = Report(sections={}, checked=len(records), today=today, invalid=sorted(invalid))
    for name in sections:
        if name == "due":
            report.sections[name] = due_findings(records, today, due_days)
        elif name == "missing":
            report.sections[name] = missing_findings(records)
        elif name == "refs":
            report.sections[name] = reference_findings(records)
        elif name == "contacts":
            report.sections[name] = contact_findings(records)
        elif name == "unconfirmed":
            report.sections[name] = unconfirmed_findings(records)
        elif name == "links":
            report.sections[name], report.links_checked = link_findings(
                records, link_timeout, link_workers, fetch
            )
        else:
            raise ValueError(f"unbekannter Berichtsteil: {name}")
    return report


def failing(report: Report) -> bool:
    """Whether ``--exit-code`` should fail: any finding except links that were only unclear."""
    return any(f.severity != "hinweis" for f in report.findings)


def _intro(report: Report) -> str:
    text = f"{report.checked} Fall-Datei(en) ausgewertet am {text_de.date(report.today)}"
    if report.links_checked:
        text += f", {report.links_checked} verschiedene Links geprüft"
    return text + "."


def _invalid_note(report: Report) -> str:
    return (
        f"{len(report.invalid)} Datei(en) bestehen die Prüfung nicht; ihre Angaben wurden "
        "so weit wie möglich ausgewertet und können unvollständig sein "
        "(Details: praxisatlas validate):"
    )


def render_text(report: Report) -> str:
    lines = [f"Praxisatlas-Bericht: {_intro(report)}"]
    if report.invalid:
        lines += ["", _invalid_note(report), *(f"  {path}" for path in report.invalid)]
    for name, findings in report.sections.items():
        lines += ["", f"{SECTION_TITLES[name]}: {len(findings)}"]
        if name not in GROUPED_SECTIONS:
            lines += [f"  {finding}" for finding in findings]
            continue
        for land, items in _groups(findings):
            lines.append(f"  {land} ({len(items)}):")
            lines += [f"    {finding}" for finding in items]
    return "\n".join(lines) + "\n"


def _groups(findings: list[Finding]) -> list[tuple[str, list[Finding]]]:
    """Consecutive findings of the same Land, in their order."""
    groups: list[tuple[str, list[Finding]]] = []
    for finding in findings:
        if not groups or groups[-1][0] != finding.group:
            groups.append((finding.group, []))
        groups[-1][1].append(finding)
    return groups


_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+!|~>-])")


def md_escape(text: str) -> str:
    """Plain text for a Markdown table cell or list item: no markup, no HTML, one line."""
    text = " ".join(text.split())
    return _MD_SPECIAL.sub(r"\\\1", html.escape(text, quote=False))


def render_markdown(report: Report) -> str:
    """GitHub-flavoured Markdown, e.g. for ``$GITHUB_STEP_SUMMARY`` or an issue body."""
    lines = ["## Praxisatlas-Bericht", "", md_escape(_intro(report))]
    if report.invalid:
        lines += ["", md_escape(_invalid_note(report)), ""]
        lines += [f"- {md_escape(path)}" for path in report.invalid]
    for name, findings in report.sections.items():
        lines += ["", f"### {SECTION_TITLES[name]} ({len(findings)})", ""]
        if not findings:
            lines.append("Nichts zu tun.")
            continue
        groups = _groups(findings) if name in GROUPED_SECTIONS else [("", findings)]
        for land, items in groups:
            if land:
                lines += [f"#### {md_escape(land)} ({len(items)})", ""]
            lines += ["| Datei | Zeile | Feld | Befund |", "| --- | ---: | --- | --- |"]
            lines += [
                f"| {md_escape(f.path)} | {f.line} | {md_escape(f.field)} | "
                f"{md_escape(f.message)} |"
                for f in items
            ]
            if land:
                lines.append("")
    return "\n".join(lines) + "\n"
