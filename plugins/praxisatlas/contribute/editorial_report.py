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
import re
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

from praxisatlas import text_de
from praxisatlas.cases.model import review_due
from praxisatlas.cases.problems import visible
from praxisatlas.cases.reference import Reference, load_reference
from praxisatlas.contribute.link_check import Fetcher, check_url
from praxisatlas.contribute.report_records import (
    MISSING_LABELS,
    Record,
)

DEFAULT_DUE_DAYS = 90

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
